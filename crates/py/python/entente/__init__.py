"""Entente from Python: code news text into sourced facts, read and fill Entente stores.

Every fact is a dict in the ``entente.fact/1`` contract (the lines ``entente export`` writes):
``schema``, ``id``, ``kind`` (document, actor, role, membership, partnership, event),
``evidence`` (document, sentence, byte span, text and rule) and ``confidence``, plus the kind's
own fields.

>>> import entente
>>> facts = entente.code("Japan and NATO signed a partnership programme in Brussels.", date="2023-07-12")
>>> sorted((f["source"]["id"], f["plover"], f["target"]["id"], f["date"]) for f in facts if f["kind"] == "event")
[('JPN', 'SUPPORT', 'NATO', '2023-07-12'), ('NATO', 'SUPPORT', 'JPN', '2023-07-12')]
"""

from __future__ import annotations

import datetime as _dt
import json as _json
import os as _os
from typing import Any, Dict, Iterable, List, Mapping, Optional, Sequence, Union

from . import _entente
from ._entente import SCHEMA, EntenteError

__all__ = ["code", "code_many", "Store", "EntenteError", "SCHEMA", "event_record"]

Fact = Dict[str, Any]
DateLike = Union[str, _dt.date, None]
TextLike = Union[str, Mapping[str, Any]]


def _date(date: DateLike) -> Optional[str]:
    if date is None or isinstance(date, str):
        return date
    if isinstance(date, _dt.date):
        return date.isoformat()
    raise TypeError(f"date must be a str, a datetime.date or None, not {type(date).__name__}")


def _text(item: TextLike) -> Dict[str, Any]:
    if isinstance(item, str):
        return {"text": item, "date": None, "url": None, "title": None}
    if isinstance(item, Mapping):
        if not isinstance(item.get("text"), str):
            raise TypeError("each text given as a mapping needs a 'text' string")
        return {
            "text": item["text"],
            "date": _date(item.get("date")),
            "url": item.get("url"),
            "title": item.get("title"),
        }
    raise TypeError(f"a text is a str or a mapping with 'text', not {type(item).__name__}")


def code(text: str, date: DateLike = None, url: Optional[str] = None, title: Optional[str] = None) -> List[Fact]:
    """Code one text: its facts (document, actors, roles, memberships, events, ...).

    ``date`` is the document's date, against which "on Tuesday" or "last year" resolve; without
    it, a dateline in the text is used if there is one. Raises :class:`EntenteError` when the
    text cannot be coded (it is empty, say).
    """
    item = _text({"text": text, "date": date, "url": url, "title": title})
    return [_json.loads(line) for line in _entente.code(item)]


def code_many(texts: Iterable[TextLike], jobs: Optional[int] = None) -> List[List[Fact]]:
    """Code many texts on ``jobs`` threads (default: one per core), each alone as :func:`code`
    would; results in input order. Each text is a str or a mapping with ``text`` and optional
    ``date``, ``url``, ``title``. Raises :class:`EntenteError` naming the first text that failed.
    """
    items = [_text(t) for t in texts]
    jobs = jobs or _os.cpu_count() or 1
    if jobs < 1:
        raise ValueError("jobs must be at least 1")
    out: List[List[Fact]] = []
    for i, (facts, error) in enumerate(_entente.code_many(items, jobs)):
        if error is not None:
            raise EntenteError(f"text {i}: {error}")
        out.append([_json.loads(line) for line in facts])
    return out


def _ref(ref: Optional[Mapping[str, Any]], prefix: str) -> Dict[str, Any]:
    ref = ref or {}
    return {f"{prefix}_id": ref.get("id"), f"{prefix}_name": ref.get("name"), f"{prefix}_type": ref.get("type")}


def event_record(fact: Fact) -> Dict[str, Any]:
    """An ``event`` fact as one flat record (one row of a table: ``pandas.DataFrame(records)``)."""
    if fact.get("kind") != "event":
        raise ValueError(f"not an event fact: kind {fact.get('kind')!r}")
    location = fact.get("location") or {}
    evidence = fact.get("evidence") or [{}]
    first = evidence[0]
    record: Dict[str, Any] = {"id": fact["id"], "date": fact.get("date")}
    record.update(_ref(fact.get("source"), "source"))
    record.update(_ref(fact.get("target"), "target"))
    record.update(
        {
            "plover": fact.get("plover"),
            "mode": fact.get("mode"),
            "cameo": fact.get("cameo"),
            "goldstein": fact.get("goldstein"),
            "modality": fact.get("modality"),
            "location": location.get("name"),
            "location_country": location.get("country"),
            "mentions": fact.get("mentions"),
            "documents": len({e.get("doc") for e in evidence}),
            "confidence": fact.get("confidence"),
            "doc": first.get("doc"),
            "sentence": first.get("sentence"),
            "text": first.get("text"),
            "rule": first.get("rule"),
        }
    )
    return record


class Store:
    """An Entente store (an SQLite file, created if missing), as ``entente --db PATH`` opens it.

    Raises :class:`EntenteError` when the file cannot be opened as a store.
    """

    def __init__(self, path: Union[str, "_os.PathLike[str]"]):
        self._store = _entente.Store(_os.fspath(path))

    @property
    def path(self) -> str:
        return str(self._store.path)

    def facts(self, kind: Optional[str] = None) -> List[Fact]:
        """Every fact, as ``entente export`` writes them; only those of ``kind`` when given."""
        facts = (_json.loads(line) for line in self._store.fact_lines())
        return [f for f in facts if kind is None or f["kind"] == kind]

    def events(self) -> List[Dict[str, Any]]:
        """The events as flat records, ready for ``pandas.DataFrame`` or ``pyarrow.Table.from_pylist``."""
        return [event_record(f) for f in self.facts("event")]

    def ingest(self, paths: Union[str, "_os.PathLike[str]", Sequence[Union[str, "_os.PathLike[str]"]]], jobs: Optional[int] = None) -> Dict[str, Any]:
        """Ingests files and directories as ``entente ingest`` does (any format it reads).

        Returns the counts (files, stored, duplicates, failed, words, mentions, events,
        not_english, analysed_again: analyses made again once a person named in the document was
        learned from an earlier one) and ``errors``, one line per document or file that failed; a bad file never
        stops the others.
        """
        if isinstance(paths, (str, _os.PathLike)):
            paths = [paths]
        counts, errors = self._store.ingest_paths([_os.fspath(p) for p in paths], jobs or 0)
        summary: Dict[str, Any] = dict(counts)
        summary["errors"] = errors
        return summary

    def __repr__(self) -> str:
        return f"entente.Store({self.path!r})"


def __getattr__(name: str) -> Any:
    # `entente.spark` on first use: it needs pyspark only when a job runs.
    if name == "spark":
        import importlib

        return importlib.import_module(".spark", __name__)
    raise AttributeError(f"module 'entente' has no attribute {name!r}")

