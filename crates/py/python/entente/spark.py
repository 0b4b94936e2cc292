"""Entente on a Spark cluster: one task per input file codes its documents with this package
(read, extract, analyse: the costly half of ``entente ingest``), the records go out as Parquet
partitioned by the documents' dates, and a merge writes them into a store in input order, as
``entente ingest`` would have: the same documents, facts and merged events (tested in Spark's
local mode against the CLI).

Each task analyses its documents knowing no people; the store's one writer knows every
person named by the documents before. So before the merge writes, the driver plans from the
records' hashes and people alone what the writer will know before each document, and the
workers make again, in parallel, the analyses that changes (a page naming "Albanese" after
another introduced Prime Minister Anthony Albanese); the writer then only checks them.

    spark-submit --master 'local[2]' "$(python -c 'import entente.spark as s; print(s.__file__)')" \\
        --out records/ --db spark.db CC-NEWS-20240101.warc.gz more-news/

Every worker needs the ``entente`` wheel installed (``pip install entente-*.whl``).
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any, Dict, Iterable, Iterator, List, Optional, Sequence, Tuple

from . import Store, _entente

SCHEMA = "file INT, seq INT, date STRING, hash STRING, people STRING, record STRING"
UNDATED = "undated"


def _analyse(indexed_files: Iterable[Tuple[int, str]]) -> Iterator[Tuple[int, int, str, Optional[str], str, str]]:
    # Runs on the executors: imports what the worker has installed.
    from entente import _entente as native

    for index, path in indexed_files:
        for seq, (date, hash_, people, record) in enumerate(native.analyse_file_records(path)):
            yield (index, seq, date or UNDATED, hash_, people, record)


def _reanalyse(people: Any) -> Any:
    # Runs on the executors: one Reanalyser per partition, for the people broadcast.
    def run(rows: Iterable[Any]) -> Iterator[str]:
        from entente import _entente as native

        reanalyser = native.Reanalyser(people.value)
        for row in rows:
            yield reanalyser.reanalyse(row.record, row.before)

    return run


def analyse(spark: Any, paths: Sequence[str], out: str) -> Dict[str, Any]:
    """Codes every file under ``paths`` (one task each) and writes the records to ``out`` as
    Parquet partitioned by ``date`` (``undated`` for documents without one). Returns the files
    and the paths that could not be read."""
    files, errors = _entente.discover([os.fspath(p) for p in paths])
    files = [os.fspath(f) for f in files]
    indexed = list(enumerate(files))
    rdd = spark.sparkContext.parallelize(indexed, max(1, len(indexed))).mapPartitions(_analyse)
    spark.createDataFrame(rdd, SCHEMA).write.mode("overwrite").partitionBy("date").parquet(out)
    return {"files": files, "errors": errors}


def merge(spark: Any, records: str, db: str) -> Dict[str, Any]:
    """Writes the records under ``records`` into the store ``db`` in input order (file, then
    document within it) and merges events; returns the ingest summary and its error lines.

    First the plan: the driver reads each record's hash and people (not its text) in order and
    works out how many people the writer will know before it; the workers make again the
    analyses that changes. The records so made are kept on the workers' disks until written."""
    from pyspark import StorageLevel

    store = Store(db)
    frame = spark.read.parquet(records)
    keys = frame.select("file", "seq", "hash", "people").orderBy("file", "seq").collect()
    people, before = store._store.plan_known((row.hash, row.people) for row in keys)
    order = spark.createDataFrame([(row.file, row.seq, n) for row, n in zip(keys, before)], "file INT, seq INT, before LONG")
    planned = (
        frame.select("file", "seq", "record")
        .join(order, ["file", "seq"])
        .orderBy("file", "seq")
        .rdd.mapPartitions(_reanalyse(spark.sparkContext.broadcast(people)))
        .persist(StorageLevel.DISK_ONLY)
    )
    planned.count()  # every analysis made again now, on the workers, not one by one below
    try:
        counts, errors = store._store.ingest_analysed(planned.toLocalIterator(), f"spark:{records}")
    finally:
        planned.unpersist()
    summary: Dict[str, Any] = dict(counts)
    summary["errors"] = errors
    return summary


def run(spark: Any, paths: Sequence[str], out: str, db: Optional[str] = None) -> Dict[str, Any]:
    """:func:`analyse`, then :func:`merge` into ``db`` when one is given."""
    result = analyse(spark, paths, out)
    if db is not None:
        result["merge"] = merge(spark, out, db)
    return result


def main(argv: Optional[List[str]] = None) -> int:
    parser = argparse.ArgumentParser(prog="entente.spark", description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="+", help="WARC, JSONL, HTML, text or feed files and directories")
    parser.add_argument("--out", required=True, help="where the Parquet records go (partitioned by date)")
    parser.add_argument("--db", help="the store to merge them into (none: records only)")
    parser.add_argument("--master", help="the Spark master when not run by spark-submit (e.g. local[2])")
    args = parser.parse_args(argv)
    from pyspark.sql import SparkSession

    # Local workers run this Python (the one with the package), unless told otherwise.
    os.environ.setdefault("PYSPARK_PYTHON", sys.executable)
    builder = SparkSession.builder.appName("entente")
    if args.master:
        builder = builder.master(args.master)
    spark = builder.getOrCreate()
    try:
        result = run(spark, args.paths, args.out, args.db)
    finally:
        spark.stop()
    for error in result["errors"] + result.get("merge", {}).get("errors", []):
        print(error, file=sys.stderr)
    merged = result.get("merge")
    line = f"{len(result['files'])} files coded into {args.out}"
    if merged:
        line += f"; {merged['stored']} documents stored in {args.db}, {merged['duplicates']} duplicates, {merged['failed']} failed"
    print(line, file=sys.stderr)
    failed = result["errors"] or (merged and merged["failed"])
    return 3 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
