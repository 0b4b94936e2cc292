"""The Python package against the real pipeline: texts coded, stores filled and read."""

import datetime
import doctest
import json
import os
import pathlib
import subprocess

import pytest

import entente

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"
SENTENCE = "Japan and NATO signed a partnership programme in Brussels."


def events(facts):
    return [f for f in facts if f["kind"] == "event"]


def test_code_gives_contract_facts_with_evidence():
    facts = entente.code(SENTENCE, date="2023-07-12")
    assert all(f["schema"] == entente.SCHEMA == "entente.fact/1" for f in facts)
    kinds = {f["kind"] for f in facts}
    assert {"document", "actor", "event"} <= kinds
    coded = events(facts)
    assert {(e["source"]["id"], e["target"]["id"]) for e in coded} == {("JPN", "NATO"), ("NATO", "JPN")}
    for event in coded:
        assert event["date"] == "2023-07-12"
        for evidence in event["evidence"]:
            span = SENTENCE.encode()[evidence["start"] : evidence["end"]].decode()
            assert span == evidence["text"] and evidence["rule"] and evidence["doc"] == "text"


def test_dates_resolve_against_the_date_given():
    text = "Japan's prime minister visited NATO headquarters on Tuesday."
    (event,) = events(entente.code(text, date=datetime.date(2023, 7, 13)))
    assert event["date"] == "2023-07-11"


def test_code_many_keeps_order_and_equals_code():
    texts = [SENTENCE, {"text": "China criticised NATO's plan to open an office in Tokyo.", "date": "2023-06-10"}, "Nothing happened."]
    many = entente.code_many(texts, jobs=2)
    assert len(many) == 3
    assert many[0] == entente.code(SENTENCE)
    assert ("CHN", "DISAPPROVE", "NATO") in {(e["source"]["id"], e["plover"], e["target"]["id"]) for e in events(many[1])}
    assert events(many[2]) == []


def test_the_documented_example_holds():
    assert doctest.testmod(entente).failed == 0


def test_bad_input_raises_python_errors():
    with pytest.raises(entente.EntenteError, match="no text"):
        entente.code("   ")
    with pytest.raises(entente.EntenteError, match="text 1"):
        entente.code_many(["Japan met NATO.", ""])
    with pytest.raises(TypeError):
        entente.code_many([42])
    with pytest.raises(entente.EntenteError, match="cannot open the store"):
        entente.Store("/nonexistent-dir/x/entente.db")


def test_a_store_filled_from_python_reads_as_the_cli_exports_it(tmp_path):
    store = entente.Store(tmp_path / "py.db")
    summary = store.ingest([EXAMPLES, tmp_path / "missing.txt"], jobs=2)
    assert summary["stored"] >= 10 and summary["failed"] == 1
    assert any("missing.txt" in e for e in summary["errors"])
    facts = store.facts()
    assert facts and all(f["schema"] == "entente.fact/1" for f in facts)
    records = store.events()
    assert len(records) == len(store.facts("event")) > 0
    assert {"id", "date", "source_id", "target_id", "plover", "goldstein", "doc", "text", "rule"} <= set(records[0])
    cli = os.environ.get("ENTENTE_BIN")
    if cli:
        out = subprocess.run([cli, "--db", str(store.path), "export"], check=True, capture_output=True, text=True)
        assert [json.loads(l) for l in out.stdout.splitlines()] == facts
