"""Every performance figure of cdcpos, in one process, as ratios against baselines.

    python -m benchmarks.run [--size N] [--big-size N] [--json FILE]

The machine is shared and noisy, so each figure is a ratio against a baseline run in the
same process on the same strings, subject and baseline alternated, each keeping the best
of several repeats (the cold start: the median of many alternated fresh interpreters).
Prints a table, the load average, and JSON.  The targets are the ones of issue 12.
"""

from __future__ import annotations

import argparse
import gc
import hashlib
import json
import os
import pickle
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cdcpos
from benchmarks.baselines import (
    floor,
    latest_in_processes,
    latest_of,
    parse_in_processes,
    split_parse,
)
from benchmarks.corpus import corpus, postgres_checkpoints
from cdcpos._rules import entry_pattern

REPEATS = 5
ROOT = Path(__file__).resolve().parent.parent
OURS = "import cdcpos; cdcpos.parse('0/16B3748')"
THEIRS = "import ipaddress; ipaddress.ip_address('1.2.3.4')"


def paired_times(
    subject: Callable[[], Any],
    baseline: Callable[[], Any],
    repeats: int = REPEATS,
    setup: Callable[[], Any] | None = None,
) -> tuple[float, float]:
    """Best times of two functions run alternately, so both see the same load.

    ``setup`` runs before each timing, untimed (fresh values for a first sort).
    """
    times: tuple[list[float], list[float]] = ([], [])
    for _ in range(repeats):
        for which, function in enumerate((subject, baseline)):
            if setup is not None:
                setup()
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


def paused(function: Callable[[], Any]) -> Callable[[], Any]:
    """``function`` with the cyclic collector paused, as parse_many runs its loop."""

    def run() -> Any:
        was = gc.isenabled()
        gc.disable()
        try:
            return function()
        finally:
            if was:
                gc.enable()

    return run


# ---------------------------------------------------------------- cold start


def installed_python(venv: Path | None) -> tuple[str, str]:
    """A Python with cdcpos installed the way a user installs it, and how it was made.

    A wheel built from this tree (``pip wheel . --no-deps``) installed with ``--no-index``
    into a fresh venv: pip byte-compiles it, as ipaddress is in the standard library.
    ``venv`` reuses (or creates) that environment.
    """
    where = Path(venv) if venv else Path(tempfile.mkdtemp(prefix="cdcpos-cold-"))
    python = where / "bin" / "python"
    # A kept venv holds the code of the tree it was made from: reinstall when the package
    # changed since (a cold start of 2026-11-29 measured a venv of the day before: 1.55
    # where the tree gave 1.02).
    stamp, source = where / "cdcpos-source.sha256", source_digest()
    if not python.exists() or not stamp.exists() or stamp.read_text() != source:
        wheels = where / "wheels"
        shutil.rmtree(wheels, ignore_errors=True)
        pip = [sys.executable, "-m", "pip", "-q"]
        subprocess.run([*pip, "wheel", str(ROOT), "--no-deps", "-w", str(wheels)], check=True)
        if not python.exists():
            subprocess.run([sys.executable, "-m", "venv", str(where)], check=True)
        (wheel,) = wheels.glob("cdcpos-*.whl")
        install = [str(python), "-m", "pip", "-q", "install", "--no-index", "--no-deps"]
        subprocess.run([*install, "--force-reinstall", str(wheel)], check=True)
        stamp.write_text(source)
    return str(python), f"wheel installed in {where}"


def source_digest() -> str:
    """A digest of what the wheel is built from: the package's files and pyproject.toml."""
    digest = hashlib.sha256()
    files = sorted(
        p for p in (ROOT / "cdcpos").rglob("*") if p.is_file() and "__pycache__" not in p.parts
    )
    for path in [ROOT / "pyproject.toml", *files]:
        digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def cold_start(runs: int, venv: Path | None) -> tuple[float, float, float, float, str]:
    """Median and best wall time of fresh interpreters, ours and ipaddress's, alternated."""
    python, how = installed_python(venv)
    # From another directory, so that this tree is not what gets imported.
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "PYTHONHOME")}
    times: dict[int, list[float]] = {0: [], 1: []}
    for command in (OURS, THEIRS):  # warm the file cache once
        subprocess.run([python, "-c", command], check=True, env=env, cwd=tempfile.gettempdir())
    for _ in range(runs):
        for which, command in enumerate((OURS, THEIRS)):
            start = time.perf_counter()
            subprocess.run([python, "-c", command], check=True, env=env, cwd=tempfile.gettempdir())
            times[which].append(time.perf_counter() - start)
    return (
        statistics.median(times[0]),
        statistics.median(times[1]),
        min(times[0]),
        min(times[1]),
        how,
    )


# ---------------------------------------------------------------- lark (information only)


def lark_inline_per_item(texts: list[str]) -> float:
    """Seconds per string through lark LALR with the inline transformer."""
    from cdcpos._lark import lark_parser

    parser = lark_parser(transform=True)

    def entry(text: str) -> str:
        return (
            "stop_position" if text.startswith(("server_time", "commit_time")) else "start_position"
        )

    entries = [entry(t) for t in texts]
    best, _ = paired_times(
        lambda: [parser.parse(t, start=e) for t, e in zip(texts, entries, strict=True)],
        lambda: None,
        3,
    )
    return best / len(texts)


# ---------------------------------------------------------------- all figures


def measure(
    size: int,
    lark_size: int,
    sort_size: int,
    cold_runs: int,
    big_size: int | None = None,
    small_size: int = 50_000,
    pool_size: int | None = None,
    venv: Path | None = None,
) -> dict[str, Any]:
    """Every figure.  ``big_size`` (1M by default) is the large batch; ``small_size`` the
    batch it is compared with; ``pool_size`` the strings fanned out over Pool(2)."""
    import multiprocessing

    big_size = big_size or 5 * size  # the command line asks for 1M
    small_size = min(small_size, big_size)
    load_before = os.getloadavg()
    big = corpus(big_size)
    texts = big[:size]
    small = big[:small_size]
    n = len(texts)
    fullmatch = re.compile(entry_pattern("any")).fullmatch

    # parse_many per item at 1M / at 50k, and at 1M / its floor (same collector setting:
    # parse_many pauses it, so the floor runs paused too).  Each ratio is of two timings
    # alternated in one pairing: the host's own speed moves by a third within minutes, so
    # a floor timed after parse_many (as before) gave 1.25 and 1.80 in two runs.
    big_s, small_s = paired_times(
        lambda: cdcpos.parse_many(big), lambda: cdcpos.parse_many(small), 3
    )
    big_per, small_per = big_s / len(big), small_s / len(small)
    big_against_floor_s, floor_big_s = paired_times(
        lambda: cdcpos.parse_many(big), paused(lambda: floor(big, fullmatch)), 3
    )
    floor_per = floor_big_s / len(big)
    big.clear()  # memory back before the rest

    # pickle round trip / parse_many on the same strings (the collector as users leave it)
    values = cdcpos.parse_many(texts)
    pickle_s, parse_many_s = paired_times(
        lambda: pickle.loads(pickle.dumps(values, pickle.HIGHEST_PROTOCOL)),
        lambda: cdcpos.parse_many(texts),
    )
    # the same with the collector paused around the round trip too (information: pickle
    # cannot pause it itself; a caller can)
    pickle_paused_s, parse_many_s2 = paired_times(
        paused(lambda: pickle.loads(pickle.dumps(values, pickle.HIGHEST_PROTOCOL))),
        lambda: cdcpos.parse_many(texts),
    )

    # Pool(2) returning values / one process (the pool started before timing, as a
    # long-running job keeps one)
    pool_texts = texts[: pool_size or n]
    chunk = max(1_000, len(pool_texts) // 10)  # ten chunks: both workers busy, then pipelined
    with multiprocessing.get_context("fork").Pool(2) as pool:
        parse_in_processes(pool, pool_texts[:100])  # the workers are up
        pool_s, one_s = paired_times(
            lambda: parse_in_processes(pool, pool_texts, chunk),
            lambda: cdcpos.parse_many(pool_texts),
            3,
        )
        latest_pool_s, latest_one_s = paired_times(
            lambda: latest_in_processes(pool, pool_texts, chunk),
            lambda: latest_of(pool_texts),
            3,
        )

    # information: against a hand-written parser, per call, memory, lark
    split_s = paired_times(lambda: [split_parse(t) for t in texts], lambda: None)[0]
    parse = cdcpos.parse
    parse_s, regex_s = paired_times(
        lambda: [parse(t) for t in texts], lambda: [fullmatch(t) for t in texts]
    )
    ours_bytes, kept = retained_bytes(lambda: cdcpos.parse_many(texts))
    tuple_bytes, tuples = retained_bytes(lambda: [split_parse(t) for t in texts])
    del kept, tuples
    lark_per = lark_inline_per_item(texts[:lark_size])

    # sorting: the corpus's values (every kind; keys computed once before) by sort_key,
    # against sorting their key tuples
    for value in values:
        cdcpos.sort_key(value)
    keys = [cdcpos.sort_key(v) for v in values]
    mixed_sort_s, mixed_keys_s = paired_times(
        lambda: sorted(values, key=cdcpos.sort_key), lambda: sorted(keys)
    )
    values.clear()  # keys.clear() too: the first sort below runs with only its checkpoints
    keys.clear()  # alive, as the collector's full passes walk every live object
    # the first sort of freshly parsed checkpoints of one engine (the key read from the
    # match, no fields decoded), against sorting their key tuples
    checkpoint_texts = postgres_checkpoints(sort_size)
    fresh: list[Any] = []

    def reparse() -> None:
        fresh[:] = cdcpos.parse_many(checkpoint_texts)

    reparse()
    checkpoint_keys = [cdcpos.sort_key(v) for v in fresh]
    first_sort_s, checkpoint_keys_s = paired_times(
        lambda: sorted(fresh, key=cdcpos.sort_key), lambda: sorted(checkpoint_keys), setup=reparse
    )
    lsns = cdcpos.parse_many([str(v.position) for v in fresh])
    lsn_ints = [int(v) for v in lsns]  # type: ignore[call-overload]
    lsn_sort_s, lsn_int_sort_s = paired_times(lambda: sorted(lsns), lambda: sorted(lsn_ints))
    fresh.clear()

    ours_cold, theirs_cold, ours_best, theirs_best, how = cold_start(cold_runs, venv)
    load_after = os.getloadavg()
    figures = {
        "parse_many per item at 1M / at 50k": (big_per / small_per, "<=", 1.15),
        "parse_many at 1M / floor (match + one-slot object, collector paused)": (
            big_against_floor_s / floor_big_s, "<=", 1.2),
        "pickle.loads(pickle.dumps(values)) / parse_many, same strings": (
            pickle_s / parse_many_s, "<=", 1.0),
        "Pool(2) returning values: speed over one process": (one_s / pool_s, ">=", 1.4),
        "cold start / ipaddress cold start (median wall)": (ours_cold / theirs_cold, "<=", 1.3),
        "sorted(values, key=sort_key) / sorted(key tuples)": (
            mixed_sort_s / mixed_keys_s, "<=", 2.5),
        "first sorted(fresh checkpoints, key=sort_key) / sorted(key tuples)": (
            first_sort_s / checkpoint_keys_s, "<=", 4.0),
        "parse_many throughput / hand-written split parser": (split_s / parse_many_s, ">=", 1.0),
        "parse per call / re.fullmatch per call": (parse_s / regex_s, "<=", 2.5),
        "memory per value / hand-written tuple": (ours_bytes / tuple_bytes, "<=", 1.0),
        "Pool(2) reducing each chunk (max by sort_key): speed over one process": (
            latest_one_s / latest_pool_s, ">=", None),
    }  # fmt: skip
    return {
        "corpus_size": n,
        "big_size": big_size,
        "small_size": small_size,
        "pool_size": len(pool_texts),
        "lark_subset_size": lark_size,
        "sort_size": sort_size,
        "cold_runs": cold_runs,
        "cold_start_how": how,
        "load_average_before": list(load_before),
        "load_average_after": list(load_after),
        "cpus": os.cpu_count(),
        "absolute": {
            "parse_many_us_per_item_at_big": big_per * 1e6,
            "parse_many_us_per_item_at_small": small_per * 1e6,
            "floor_us_per_item_at_big": floor_per * 1e6,
            "parse_many_us_per_item": parse_many_s / n * 1e6,
            "pickle_round_trip_us_per_item": pickle_s / n * 1e6,
            "pickle_round_trip_collector_paused_over_parse_many": pickle_paused_s / parse_many_s2,
            "pool2_us_per_item": pool_s / len(pool_texts) * 1e6,
            "split_parser_us_per_item": split_s / n * 1e6,
            "parse_us_per_call": parse_s / n * 1e6,
            "re_fullmatch_us_per_item": regex_s / n * 1e6,
            "lark_inline_us_per_item": lark_per * 1e6,
            "lark_inline_over_parse_many": lark_per / (parse_many_s / n),
            "bytes_per_value": ours_bytes / n,
            "bytes_per_split_tuple": tuple_bytes / n,
            "sorted_values_sort_key_ms": mixed_sort_s * 1e3,
            "sorted_key_tuples_ms": mixed_keys_s * 1e3,
            "first_sorted_fresh_checkpoints_ms": first_sort_s * 1e3,
            "sorted_checkpoint_key_tuples_ms": checkpoint_keys_s * 1e3,
            "sorted_postgres_lsn_over_ints": lsn_sort_s / lsn_int_sort_s,
            "cold_start_median_ms": ours_cold * 1e3,
            "ipaddress_cold_start_median_ms": theirs_cold * 1e3,
            "cold_start_best_ms": ours_best * 1e3,
            "ipaddress_cold_start_best_ms": theirs_best * 1e3,
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
    before = ", ".join(f"{x:.2f}" for x in result["load_average_before"])
    after = ", ".join(f"{x:.2f}" for x in result["load_average_after"])
    lines.append("")
    lines.append(f"Load average before: {before}; after: {after} ({result['cpus']} CPUs).")
    lines.append(f"Cold start: {result['cold_start_how']}, {result['cold_runs']} runs each.")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=200_000, help="corpus size")
    parser.add_argument("--big-size", type=int, default=1_000_000, help="the large batch")
    parser.add_argument("--small-size", type=int, default=50_000, help="the small batch")
    parser.add_argument("--pool-size", type=int, default=None, help="strings for Pool(2)")
    parser.add_argument("--lark-size", type=int, default=2_000, help="strings for lark")
    parser.add_argument("--sort-size", type=int, default=100_000)
    parser.add_argument("--cold-runs", type=int, default=41)
    parser.add_argument("--venv", type=Path, help="reuse (or create) the cold-start venv here")
    parser.add_argument("--json", help="also write the JSON here")
    args = parser.parse_args(argv)
    result = measure(
        args.size,
        args.lark_size,
        args.sort_size,
        args.cold_runs,
        big_size=args.big_size,
        small_size=args.small_size,
        pool_size=args.pool_size,
        venv=args.venv,
    )
    print(table(result))
    print(json.dumps(result, indent=2))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(result, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
