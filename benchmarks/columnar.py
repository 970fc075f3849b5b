"""The columnar figures of cdcpos (Arrow, Polars, Spark), as ratios in one process.

    python -m benchmarks.columnar [--n 1000000] [--spark-n N] [--no-spark] [--threads N]
                                  [--json FILE]

It prints the figures, then the threads a large batch is split over (``--threads``, else
the library's default: ``cdcpos.arrow.set_threads``) and the load average before and
after (the machines are shared: other work on the cores slows the threaded columns more
than the one-thread baseline).

Each figure is a ratio against the object path run in the same process on the same
strings of ``benchmarks.corpus`` (alternated, best of ``--repeats``), because the
machines are shared and noisy.  Targets are those of the columnar issue.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections.abc import Callable
from typing import Any

import polars as pl
import pyarrow as pa

import cdcpos
import cdcpos.arrow
import cdcpos.polars  # registers the namespace
from benchmarks.corpus import corpus, postgres_checkpoints
from benchmarks.run import paired_times
from cdcpos import _columnar
from cdcpos._columnar.threads import thread_count


def _natives(size: int) -> list[str]:
    """Native positions of the corpus (PostgreSQL, MySQL, SQL Server, Oracle)."""
    natives = [
        t
        for t in corpus(size * 5)
        if not t.startswith(("checkpoint:", "server_time:", "commit_time:")) and "T" not in t
    ]
    return natives[:size]


def _read_fields(values: list[Any]) -> int:
    """What the struct column holds, read from the objects (the baseline's second half)."""
    count = 0
    for v in values:
        kind = v.kind
        str(v)
        cdcpos.sort_key(v)
        position = v.position if kind == "checkpoint" else v
        if kind == "checkpoint":
            v.version, v.counters, v.second_position  # noqa: B018
        if position.kind == "postgres_lsn" or kind == "oracle_scn":
            int(position)
        elif position.kind == "mysql_binlog":
            position.file, position.sequence, position.offset  # noqa: B018
        elif position.kind == "mysql_stream":
            b = position.binlog_position
            b.file, b.sequence, b.offset  # noqa: B018
        if kind in ("date", "server_time", "commit_time"):
            v.value  # noqa: B018
        count += 1
    return count


def measure(n: int, repeats: int) -> list[dict[str, Any]]:
    texts = corpus(n)
    column = pa.array(texts, pa.string())
    frame = pl.DataFrame({"p": texts})
    rows: list[dict[str, Any]] = []

    def ratio(
        name: str, target: str, subject: Callable[[], Any], baseline: Callable[[], Any], size: int
    ) -> None:
        ours, theirs = paired_times(subject, baseline, repeats)
        rows.append(
            {
                "figure": name,
                "target": target,
                "ratio": theirs / ours,
                "us_per_string": ours / size * 1e6,
                "baseline_us_per_string": theirs / size * 1e6,
            }
        )
        print(
            f"{name}: {theirs / ours:.1f}x ({ours / size * 1e6:.3f} vs {theirs / size * 1e6:.3f} µs)",
            file=sys.stderr,
        )

    def parse_many() -> Any:
        return cdcpos.parse_many(texts, errors="skip")

    ratio(
        "polars is_valid vs parse_many",
        ">= 10",
        lambda: frame.select(pl.col("p").cdcpos.is_valid()),
        parse_many,
        n,
    )
    ratio(
        "polars kind vs parse_many",
        ">= 10",
        lambda: frame.select(pl.col("p").cdcpos.kind()),
        parse_many,
        n,
    )
    for label, strings in (
        ("PostgreSQL checkpoints", postgres_checkpoints(n)),
        ("native positions", _natives(n)),
    ):
        sub = pl.DataFrame({"p": strings})
        ratio(
            f"sort-key column, {label} (polars) vs [sort_key(v) for v in parse_many]",
            ">= 20",
            lambda sub=sub: sub.select(pl.col("p").cdcpos.sort_key()),  # type: ignore[misc]
            lambda strings=strings: [cdcpos.sort_key(v) for v in cdcpos.parse_many(strings)],  # type: ignore[misc]
            len(strings),
        )
    ratio(
        "arrow.parse full struct vs parse_many + reading the fields",
        ">= 5",
        lambda: cdcpos.arrow.parse(column),
        lambda: _read_fields(cdcpos.parse_many(texts)),
        n,
    )
    parsed = cdcpos.arrow.parse(column)
    typed = sum(
        parsed.field(f.name).nbytes
        for f in _columnar.FIELDS
        if f.name not in _columnar.TEXT_CHILDREN
    )
    total = parsed.nbytes
    text = column.nbytes
    rows.append(
        {
            "figure": "struct column bytes per value, text children excluded",
            "target": "<= 100",
            "ratio": typed / n,
            "detail": f"all children {total / n:.1f} B/value; input text {text / n:.1f} B/value",
        }
    )
    print(f"memory: {typed / n:.1f} B/value typed, {total / n:.1f} total", file=sys.stderr)
    return rows


def measure_spark(n: int) -> dict[str, Any]:
    """``with_parsed`` on ``n`` rows in local[2] against ``cdcpos.arrow.parse`` in one process."""
    from pyspark.sql import SparkSession
    from pyspark.sql import functions as F

    import cdcpos.spark

    os.environ["PYSPARK_PYTHON"] = sys.executable
    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.driver.memory", "2g")
        .getOrCreate()
    )
    try:
        texts = corpus(n)
        path = f"/tmp/cdcpos-bench-{os.getpid()}.parquet"
        pl.DataFrame({"position": texts}).write_parquet(path)

        def run() -> Any:
            # A new DataFrame each time: re-running one would reuse its shuffle output.
            df = spark.read.parquet(path)
            return (
                cdcpos.spark.with_parsed(df, "position")
                .select(F.count(F.when(F.col("cdcpos.valid"), 1)), F.max("cdcpos.sort_key"))
                .collect()
            )

        run()  # start the Python workers
        start = time.perf_counter()
        ((valid, _),) = run()
        spark_seconds = time.perf_counter() - start
        assert valid == len(texts), valid
        start = time.perf_counter()
        cdcpos.arrow.parse(pa.array(texts, pa.string()))
        arrow_seconds = time.perf_counter() - start
        os.remove(path)
    finally:
        spark.stop()
    print(f"spark: {spark_seconds:.2f}s vs arrow {arrow_seconds:.2f}s", file=sys.stderr)
    return {
        "figure": f"Spark with_parsed, {n} rows, local[2] / arrow.parse one process (time)",
        "target": "report",
        "ratio": spark_seconds / arrow_seconds,
        "detail": f"Spark {spark_seconds:.2f} s, arrow.parse {arrow_seconds:.2f} s",
    }


def table(rows: list[dict[str, Any]]) -> str:
    lines = ["| figure | target | measured | detail |", "|---|---|---|---|"]
    for row in rows:
        detail = row.get("detail") or (
            f"{row['us_per_string']:.3f} µs/string vs {row['baseline_us_per_string']:.3f}"
            if "us_per_string" in row
            else ""
        )
        lines.append(f"| {row['figure']} | {row['target']} | {row['ratio']:.2f} | {detail} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.columnar", description=__doc__)
    parser.add_argument("--n", type=int, default=1_000_000, help="strings of the corpus")
    parser.add_argument("--spark-n", type=int, default=None, help="rows for Spark (default --n)")
    parser.add_argument("--no-spark", action="store_true", help="skip the Spark figure")
    parser.add_argument("--spark-only", action="store_true", help="only the Spark figure")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", help="also write the figures as JSON to this file")
    parser.add_argument(
        "--threads", type=int, default=None, help="threads per batch (default: the library's)"
    )
    args = parser.parse_args(argv)
    cdcpos.arrow.set_threads(args.threads)

    # The machines are shared: the load average says how far to trust absolute times.
    load_before = os.getloadavg()
    rows = [] if args.spark_only else measure(args.n, args.repeats)
    if not args.no_spark:
        rows.append(measure_spark(args.spark_n or args.n))
    load_after = os.getloadavg()
    print(table(rows))
    print(
        f"\n{os.cpu_count()} cores, {thread_count()} threads per large batch; "
        f"load average (1, 5, 15 min) before "
        f"{', '.join(f'{x:.1f}' for x in load_before)}, after "
        f"{', '.join(f'{x:.1f}' for x in load_after)}"
    )
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(rows, out, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
