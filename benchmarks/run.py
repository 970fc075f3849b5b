"""Every performance figure of cdcpos, in one process, as ratios against baselines.

    python -m benchmarks.run [--size N] [--json FILE]

The machine is shared and noisy, so each figure is a ratio against a baseline run in the
same process on the same corpus, each timing the best of several repeats.  Prints a table
and JSON.  The targets are the ones of the bulk-speed issue.
"""

from __future__ import annotations

import argparse
import gc
import json
import re
import statistics
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

import cdcpos
from benchmarks.baselines import split_parse
from benchmarks.corpus import corpus, postgres_checkpoints
from cdcpos._rules import entry_pattern

REPEATS = 5


def best_time(function: Callable[[], Any], repeats: int = REPEATS) -> float:
    """The fastest of ``repeats`` runs (the least disturbed by other load)."""
    times = []
    for _ in range(repeats):
        gc.collect()
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times)


def paired_times(
    subject: Callable[[], Any], baseline: Callable[[], Any], repeats: int = REPEATS
) -> tuple[float, float]:
    """Best times of two functions run alternately, so both see the same load."""
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for which, function in enumerate((subject, baseline)):
            gc.collect()
            start = time.perf_counter()
            function()
            times[which].append(time.perf_counter() - start)
    return min(times[0]), min(times[1])


def retained_bytes(build: Callable[[], Any]) -> tuple[int, Any]:
    """Bytes still allocated after ``build()`` returns, with what it returned."""
    gc.collect()
    tracemalloc.start()
    try:
        result = build()
        current, _ = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return current, result


def cold_start(runs: int) -> tuple[float, float]:
    """Median wall time of two fresh interpreters, alternated so both see the same load.

    cdcpos is byte-compiled first, as ``pip install`` does (ipaddress ships compiled).
    """
    import compileall
    from pathlib import Path

    compileall.compile_dir(str(Path(cdcpos.__file__).parent), quiet=1)
    ours = [sys.executable, "-c", "import cdcpos; cdcpos.parse('0/16B3748')"]
    theirs = [sys.executable, "-c", "import ipaddress; ipaddress.ip_address('1.2.3.4')"]
    times: dict[int, list[float]] = {0: [], 1: []}
    for _ in range(runs):
        for which, command in enumerate((ours, theirs)):
            start = time.perf_counter()
            subprocess.run(command, check=True)
            times[which].append(time.perf_counter() - start)
    return statistics.median(times[0]), statistics.median(times[1])


def lark_baselines(texts: list[str]) -> tuple[float, float]:
    """Seconds per string: lark LALR building a tree, and with the inline transformer."""
    from cdcpos._lark import lark_parser

    tree_parser = lark_parser(transform=False)
    value_parser = lark_parser(transform=True)

    def entry(text: str) -> str:
        return (
            "stop_position"
            if text.startswith(("server_time", "commit_time"))
            else ("start_position")
        )

    entries = [entry(t) for t in texts]
    tree, inline = paired_times(
        lambda: [tree_parser.parse(t, start=e) for t, e in zip(texts, entries, strict=True)],
        lambda: [value_parser.parse(t, start=e) for t, e in zip(texts, entries, strict=True)],
        3,
    )
    return tree / len(texts), inline / len(texts)


def measure(size: int, lark_size: int, sort_size: int, cold_runs: int) -> dict[str, Any]:
    texts = corpus(size)
    n = len(texts)
    parse_many_s, split_s = paired_times(
        lambda: cdcpos.parse_many(texts), lambda: [split_parse(t) for t in texts]
    )
    parse_many_s, split_s = parse_many_s / n, split_s / n
    fullmatch = re.compile(entry_pattern("any")).fullmatch
    parse = cdcpos.parse
    parse_s, regex_s = paired_times(
        lambda: [parse(t) for t in texts], lambda: [fullmatch(t) for t in texts]
    )
    parse_s, regex_s = parse_s / n, regex_s / n
    lark_tree_s, lark_inline_s = lark_baselines(texts[:lark_size])
    # The same subset through parse_many, timed next to lark's, for the lark ratios.
    subset = texts[:lark_size]
    subset_s = best_time(lambda: cdcpos.parse_many(subset)) / len(subset)

    ours_bytes, values = retained_bytes(lambda: cdcpos.parse_many(texts))
    tuple_bytes, tuples = retained_bytes(lambda: [split_parse(t) for t in texts])
    del values, tuples

    # Sorting: PostgreSQL checkpoints (one engine), as parsed by parse_many.  "cold" is
    # the first sort, which decodes each checkpoint's fields; "warm" sorts them again.
    checkpoints = cdcpos.parse_many(postgres_checkpoints(sort_size))
    fresh = postgres_checkpoints(sort_size)
    cold_sort_s, reparse_s = paired_times(
        lambda: sorted(cdcpos.parse_many(fresh)), lambda: cdcpos.parse_many(fresh), 3
    )
    keys = [cdcpos.sort_key(v)[1:] for v in checkpoints]  # the plain key tuples
    value_sort_s, key_sort_s = paired_times(lambda: sorted(checkpoints), lambda: sorted(keys))
    sort_key_s, key_sort_s2 = paired_times(
        lambda: sorted(checkpoints, key=cdcpos.sort_key), lambda: sorted(keys)
    )
    lsns = cdcpos.parse_many([str(v.position) for v in checkpoints])  # type: ignore[attr-defined]
    lsn_ints = [int(v) for v in lsns]  # type: ignore[call-overload]
    lsn_sort_s, lsn_int_sort_s = paired_times(lambda: sorted(lsns), lambda: sorted(lsn_ints))
    lsn_sort_key_s, lsn_int_sort_s2 = paired_times(
        lambda: sorted(lsns, key=cdcpos.sort_key), lambda: sorted(lsn_ints)
    )

    ours_cold, ipaddress_cold = cold_start(cold_runs)
    figures = {
        "parse_many throughput / hand-written split parser": (split_s / parse_many_s, ">=", 1.0),
        "parse_many throughput / lark LALR tree": (lark_tree_s / subset_s, ">=", 30.0),
        "parse_many throughput / lark LALR inline transformer": (
            lark_inline_s / subset_s, ">=", None),
        "parse per call / re.fullmatch per call (time)": (parse_s / regex_s, "<=", 2.5),
        "memory per value / hand-written tuple": (ours_bytes / tuple_bytes, "<=", 1.0),
        "sorted(checkpoints) / sorted(key tuples), warm": (value_sort_s / key_sort_s, "<=", 12.0),
        "sorted(checkpoints, key=sort_key) / sorted(key tuples), warm": (
            sort_key_s / key_sort_s2, "<=", 3.0),
        "sorted(fresh checkpoints) incl. first decode / sorted(key tuples)": (
            (cold_sort_s - reparse_s) / key_sort_s, "<=", None),
        "sorted(PostgresLsn) / sorted(ints)": (lsn_sort_s / lsn_int_sort_s, "<=", None),
        "sorted(PostgresLsn, key=sort_key) / sorted(ints)": (
            lsn_sort_key_s / lsn_int_sort_s2, "<=", None),
        "cold start wall / ipaddress cold start wall": (ours_cold / ipaddress_cold, "<=", 1.5),
    }  # fmt: skip
    return {
        "corpus_size": n,
        "lark_subset_size": lark_size,
        "sort_size": sort_size,
        "absolute": {
            "parse_many_us_per_item": parse_many_s * 1e6,
            "split_parser_us_per_item": split_s * 1e6,
            "re_fullmatch_us_per_item": regex_s * 1e6,
            "parse_us_per_call": parse_s * 1e6,
            "lark_tree_us_per_item": lark_tree_s * 1e6,
            "lark_inline_us_per_item": lark_inline_s * 1e6,
            "bytes_per_value": ours_bytes / n,
            "bytes_per_split_tuple": tuple_bytes / n,
            "sorted_checkpoints_ms": value_sort_s * 1e3,
            "sorted_checkpoints_sort_key_ms": sort_key_s * 1e3,
            "sorted_key_tuples_ms": key_sort_s * 1e3,
            "cold_start_ms": ours_cold * 1e3,
            "ipaddress_cold_start_ms": ipaddress_cold * 1e3,
        },
        "figures": {
            name: {
                "ratio": ratio,
                "target": None if t is None else f"{op} {t}",
                "met": None if t is None else (ratio >= t if op == ">=" else ratio <= t),
            }
            for name, (ratio, op, t) in figures.items()
        },
    }


def table(result: dict[str, Any]) -> str:
    lines = ["| figure | ratio | target | met |", "|---|---|---|---|"]
    for name, figure in result["figures"].items():
        met = {True: "yes", False: "**no**", None: "(info)"}[figure["met"]]
        lines.append(f"| {name} | {figure['ratio']:.2f} | {figure['target'] or ''} | {met} |")
    lines.append("")
    lines.append("| absolute (this run) | value |")
    lines.append("|---|---|")
    for name, value in result["absolute"].items():
        lines.append(f"| {name} | {value:.2f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000, help="corpus size")
    parser.add_argument("--lark-size", type=int, default=5_000, help="strings for lark")
    parser.add_argument("--sort-size", type=int, default=100_000)
    parser.add_argument("--cold-runs", type=int, default=21)
    parser.add_argument("--json", help="also write the JSON here")
    args = parser.parse_args(argv)
    result = measure(args.size, args.lark_size, args.sort_size, args.cold_runs)
    print(table(result))
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
