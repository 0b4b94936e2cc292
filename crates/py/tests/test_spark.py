"""The Spark job in local mode against the CLI: a WARC (with a duplicate page and a broken
record), JSONL, HTML and text files, coded one task per file, written as Parquet by date,
merged into a store; the store's export equals `entente ingest`'s on the same files."""

import os
import pathlib
import shutil
import subprocess
import sys

import pytest

import entente

ROOT = pathlib.Path(__file__).resolve().parents[3]
EXAMPLES = ROOT / "examples"


def needed(what, why):
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing, and CI must run the Spark test: {why}")
    pytest.skip(f"SKIPPED: {what} is not here ({why})")


def record(uri, html):
    body = html.encode()
    payload = b"HTTP/1.1 200 OK\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: %d\r\n\r\n%s" % (len(body), body)
    head = (
        "WARC/1.0\r\nWARC-Type: response\r\nWARC-Target-URI: %s\r\nWARC-Date: 2023-07-12T08:00:00Z\r\n"
        "Content-Type: application/http; msgtype=response\r\nContent-Length: %d\r\n\r\n" % (uri, len(payload))
    )
    return head.encode() + payload + b"\r\n\r\n"


def page(name):
    text = (EXAMPLES / name).read_text()
    title, _, rest = text.partition("\n\n")
    paragraphs = "".join(f"<p>{p}</p>" for p in rest.split("\n\n"))
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{paragraphs}</article></body></html>"


@pytest.fixture(scope="module")
def spark():
    try:
        from pyspark.sql import SparkSession
    except ImportError as e:
        needed("pyspark", str(e))
    if shutil.which("java") is None:
        needed("java", "Spark runs on the JVM")
    # The workers run this Python, which has the package installed.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("entente-test")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .getOrCreate()
    )
    yield session
    session.stop()


def test_the_spark_job_gives_the_store_ingest_gives(spark, tmp_path):
    cli = os.environ.get("ENTENTE_BIN")
    if not cli:
        needed("ENTENTE_BIN (the entente binary)", "the test compares the job's store with the CLI's")
    inputs = tmp_path / "news"
    inputs.mkdir()
    warc = record("https://news.example/world/finland-joins-nato", page("finland-joins-nato.txt"))
    warc += record("https://news.example/world/sweden-joins-nato", page("sweden-joins-nato.txt"))
    warc += record("https://mirror.example/finland", page("finland-joins-nato.txt"))  # the same text again
    warc += b"WARC/1.0\r\nWARC-Type: response\r\nContent-Length: 99999\r\n\r\ntruncated"
    (inputs / "crawl.warc").write_bytes(warc)
    for name in ["asia-africa-groupings.jsonl", "camp-david-trilateral.html", "aukus-announcement.txt", "russia-invades-ukraine.txt"]:
        shutil.copy(EXAMPLES / name, inputs / name)

    out = tmp_path / "records"
    result = entente.spark.run(spark, [str(inputs)], str(out), db=str(tmp_path / "spark.db"))
    assert len(result["files"]) == 5 and result["errors"] == []
    merged = result["merge"]
    assert merged["stored"] == 10 and merged["duplicates"] == 1 and merged["failed"] == 1, merged
    # The plan left the writer no analysis to make again (the workers made them).
    assert merged["analysed_again"] == 0, merged
    partitions = sorted(p.name for p in out.iterdir() if p.name.startswith("date="))
    assert len(partitions) > 3 and "date=2022-02-24" in partitions, partitions

    ingest = subprocess.run([cli, "--db", str(tmp_path / "cli.db"), "--quiet", "ingest", str(inputs)], capture_output=True, text=True)
    assert ingest.returncode == 3, ingest.stderr  # the broken record
    exports = []
    for db in ["spark.db", "cli.db"]:
        done = subprocess.run([cli, "--db", str(tmp_path / db), "export"], check=True, capture_output=True, text=True)
        exports.append(done.stdout)
    assert exports[0].count("\n") > 50
    assert exports[0] == exports[1]
