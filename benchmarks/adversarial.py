"""Time against input length for adversarial inputs: the curve must be at most linear.

    python benchmarks/adversarial.py                  # lengths 256 .. 64 KB, about a minute
    python benchmarks/adversarial.py --max-length 1048576 --json out.json   # on to 1 MB

Inputs built to make a backtracking matcher blow up: long digit runs, long hex runs,
repeated separators (``.1.1.1``, ``1:1:1``), deep nesting of ``#`` and ``:`` in
checkpoints, near misses that fail only at the last character, runs of spaces.

Subjects, per input family and length:

* every public entry point (``parse``, ``parse_start_position``, ``parse_stop_position``,
  ``parse_checkpoint``, ``parse_db2_start_from_context``, ``parse_many``, ``iter_parse``,
  ``parse_start_time``): past ``cdcpos.MAX_LENGTH`` they reject before any work, so the
  curve is flat there; up to the limit they do everything (fast path, lark, diagnosis);
* the grammar-derived regular expression of each entry (``cdcpos._parse.matcher``), the
  lark parser (``cdcpos._lark.parse_with_lark``) and the error diagnosis
  (``cdcpos._diagnose.first_problem`` and ``known_mistake_hint``) called directly on the
  full length, to show that nothing backtracks catastrophically even without the limit.

The table gives the best time of a few runs in microseconds, and the growth exponent
``k`` of ``time ~ length**k`` fitted over the longest lengths (1 is linear; ``flat`` when
the time does not grow).  The verdict fails when any ``k`` exceeds the threshold
(``--threshold``, 1.3: linear with noise; ``n log n`` is about 1.1).

Two figures follow the table:

* the cost of rejecting a hostile string of ``cdcpos.MAX_LENGTH`` (4 KB) characters, per
  family, against rejecting a 20-character invalid string, both through ``cdcpos.parse``
  in this process (target: at most ``--ratio-target``, 30x);
* the first rejection in a fresh interpreter (``import cdcpos`` done), which pays for
  whatever the error path builds lazily, and whether it imports lark or ``regex``;
* ``cdcpos validate`` (the command line, one process) on a file of hostile 4 KB lines
  against a file of valid lines, in bytes per second (target: at least 10%).

Exit status 0 when every verdict holds, 1 otherwise.  Progress goes to stderr.
"""

from __future__ import annotations

import argparse
import contextlib
import functools
import io
import json
import math
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from typing import Any

import cdcpos
from cdcpos import _diagnose, _lark, _parse

ENTRIES = ("start_position", "stop_position", "checkpoint", "db2_start_from_context", "any")
FIELDS = "#0#0#*#0#0"


def _repeat(unit: str, length: int, prefix: str = "", suffix: str = "") -> str:
    body = length - len(prefix) - len(suffix)
    return prefix + (unit * (body // len(unit) + 1))[: max(body, 0)] + suffix


# Each family: length -> input of about that length.
FAMILIES: dict[str, Callable[[int], str]] = {
    # A bare decimal is an Oracle SCN: the fast path reads all digits, then the range check.
    "digits": lambda n: "9" * n,
    "digits+bad": lambda n: "1" * (n - 1) + "x",
    "hex+slash": lambda n: _repeat("A", n, suffix="/"),
    # A binlog stem may hold dots: '[A-Za-z0-9_][A-Za-z0-9_.-]*\.[0-9]+:' backtracks per dot.
    "dots": lambda n: _repeat(".1", n, prefix="a", suffix="!"),
    "dots+colon": lambda n: _repeat(".1", n, prefix="a", suffix=":x"),
    "colons": lambda n: _repeat("1:", n),
    "hex-colons": lambda n: _repeat("00000000:", n),
    # Deep '#' nesting: the checkpoint fields repeated far past the eight there are.
    "hashes": lambda n: _repeat("1#", n, prefix="checkpoint:V1#"),
    "hash-stars": lambda n: _repeat("*#", n, prefix="checkpoint:V1#1#x#0#0#"),
    # One huge position field: opaque (valid shape), a MySQL stream near miss, and '$.'s.
    "checkpoint-opaque": lambda n: _repeat("x", n, prefix="checkpoint:V1#1#", suffix=FIELDS),
    "checkpoint-mysql": lambda n: _repeat(
        ".1", n, prefix="checkpoint:V1#1#a", suffix=":1:1:1:1:a.1:1x" + FIELDS
    ),
    "checkpoint-colons": lambda n: _repeat(":1", n, prefix="checkpoint:V1#1#a.1", suffix=FIELDS),
    "mysql-streams": lambda n: _repeat("a.1:1:-1:1:1:a.1:", n, prefix="checkpoint:V1#1#"),
    # A long near miss in the second position field: it fails at the last character.
    "near-miss-second": lambda n: _repeat("0.", n, prefix="checkpoint:V1#1#0/1#0#0#", suffix="#x"),
    # Binlog-like stems that a backtracking partial match re-reads at every dot.
    "dotted-a": lambda n: _repeat("0.0a.1", n),
    "dotted-zeros": lambda n: _repeat("1.00.", n),
    # Spaces: lenient mode strips them; the hints look for a space after the clock.
    "spaces": lambda n: _repeat(" ", n, suffix="0/1"),
    "clock-spaces": lambda n: _repeat(" ", n, prefix="server_time:", suffix="x"),
    "spaces-clock": lambda n: _repeat(" ", n, suffix="server_time: x"),
    "quotes": lambda n: _repeat("\u201c", n, suffix="0/1"),
}


def _swallow(call: Callable[..., Any], *args: Any) -> None:
    """Call, ignoring the rejections the subject is expected to raise."""
    from lark.exceptions import LarkError

    # ValueError: a range check inside a rule, when lark is called directly.
    with contextlib.suppress(cdcpos.InvalidPosition, LarkError, ValueError):
        call(*args)


def _bulk(text: str) -> None:
    cdcpos.parse_many([text, text], errors="collect")


def _streamed(text: str) -> None:
    list(cdcpos.iter_parse(io.StringIO(text), errors="collect"))


def _regex(entry: str) -> Callable[[str], object]:
    compiled = _parse.matcher(entry)
    return lambda text: compiled(text)


def _lark_parse(entry: str) -> Callable[[str], object]:
    return lambda text: _swallow(_lark.parse_with_lark, entry, text)


def _first_problem(entry: str) -> Callable[[str], object]:
    return lambda text: _diagnose.first_problem(entry, text)


SUBJECTS: dict[str, Callable[[str], object]] = {
    "parse": lambda text: _swallow(cdcpos.parse, text),
    "parse lenient": lambda text: _swallow(functools.partial(cdcpos.parse, lenient=True), text),
    "parse_start_position": lambda text: _swallow(cdcpos.parse_start_position, text),
    "parse_stop_position": lambda text: _swallow(cdcpos.parse_stop_position, text),
    "parse_checkpoint": lambda text: _swallow(cdcpos.parse_checkpoint, text),
    "parse_db2_start_from_context": lambda text: _swallow(
        cdcpos.parse_db2_start_from_context, text
    ),
    "parse_many": _bulk,
    "iter_parse": _streamed,
    "parse_start_time": lambda text: _swallow(cdcpos.parse_start_time, text),
    **{f"regex {entry}": _regex(entry) for entry in ENTRIES},
    **{f"lark {entry}": _lark_parse(entry) for entry in ENTRIES if entry != "any"},
    **{f"first_problem {entry}": _first_problem(entry) for entry in ENTRIES},
    "known_mistake_hint": lambda text: _diagnose.known_mistake_hint("stop_position", text),
}


def measure(subject: Callable[[str], object], text: str, budget: float) -> float:
    """Best time of a few runs (seconds): more runs for quick calls, one for slow ones."""
    best = math.inf
    spent = 0.0
    runs = 0
    while runs < 3 or (spent < budget and runs < 50):
        started = time.perf_counter()
        subject(text)
        elapsed = time.perf_counter() - started
        best = min(best, elapsed)
        spent += elapsed
        runs += 1
        if elapsed > budget:
            break
    return best


def exponent(lengths: list[int], times: list[float]) -> float | None:
    """Slope of log(time) over log(length), over the points above a measurable floor."""
    points = [(math.log(n), math.log(t)) for n, t in zip(lengths, times, strict=True) if t > 2e-5]
    if len(points) < 2:
        return None  # flat: below the timer's useful resolution everywhere
    mean_x = sum(x for x, _ in points) / len(points)
    mean_y = sum(y for _, y in points) / len(points)
    spread = sum((x - mean_x) ** 2 for x, _ in points)
    return sum((x - mean_x) * (y - mean_y) for x, y in points) / spread


# Subjects that run on the whole input; the others stop at cdcpos.MAX_LENGTH.
_UNBOUNDED = ("regex ", "lark ", "first_problem ", "known_mistake_hint")


# Invalid strings of 20 characters, one per kind of mistake: the baseline of a rejection.
SHORT_INVALID = [
    "0/16B3748!0123456789",  # a stray character in a PostgreSQL LSN
    "2018-03-08 12:12:12Z",  # a date with a space and a zone
    "checkpoint:V1#1#*#0#",  # a checkpoint without its first position
    "mysql-bin.000001:12x",  # a binlog offset with a letter
    "00000014:00000061:0x",  # a short SQL Server LSN
]


def rejection_ratios(
    families: dict[str, Callable[[int], str]], budget: float
) -> tuple[float, list[tuple[str, float]]]:
    """Microseconds to reject a short invalid string, and each family's 4 KB cost over it."""
    assert all(len(t) == 20 and not _accepted(t) for t in SHORT_INVALID)

    def reject(text: str) -> None:
        _swallow(cdcpos.parse, text)

    baseline = statistics.median(measure(reject, t, budget) for t in SHORT_INVALID)
    ratios = []
    for name, family in families.items():
        text = family(cdcpos.MAX_LENGTH)
        if len(text) <= cdcpos.MAX_LENGTH and not _accepted(text):
            ratios.append((name, measure(reject, text, budget) / baseline))
    return baseline, ratios


def _accepted(text: str) -> bool:
    try:
        cdcpos.parse(text)
    except cdcpos.InvalidPosition:
        return False
    return True


_COLD = """
import sys, time
import cdcpos
from cdcpos import _diagnose
wall, cpu = time.perf_counter(), time.process_time()
if sys.argv[1] == "parse":
    for text in ("0/16B3748!0123456789", "2018-03-08 12:12:12Z"):
        try:
            cdcpos.parse(text)
        except cdcpos.InvalidPosition:
            pass
        print(time.perf_counter() - wall, time.process_time() - cpu, end=" ")
        wall, cpu = time.perf_counter(), time.process_time()
else:  # the diagnosis alone, as parse() calls it once lark has left the error path
    _diagnose.first_problem("any", "0/16B3748!0123456789")
    print(time.perf_counter() - wall, time.process_time() - cpu, end=" ")
heavy = ",".join(m for m in ("lark", "regex") if m in sys.modules) or "none"
print(heavy)
"""


def cold_rejection(runs: int = 3) -> dict[str, Any]:
    """Seconds of wall-clock and of CPU time (on a shared machine the CPU time is the
    steadier figure), best of ``runs`` fresh interpreters, ``import cdcpos`` done: the
    first and second rejection by ``parse``, and ``first_problem`` alone in another
    interpreter."""

    import compileall
    from pathlib import Path

    # Byte-compiled first, as ``pip install`` leaves the package (benchmarks/run.py does
    # the same): compiling the error path's modules is not what is measured.
    compileall.compile_dir(str(Path(cdcpos.__file__).parent), quiet=1)

    def fresh(mode: str) -> list[list[str]]:
        return [
            subprocess.run(
                [sys.executable, "-c", _COLD, mode], capture_output=True, text=True, check=True
            ).stdout.split()
            for _ in range(runs)
        ]

    def best(found: list[list[str]], column: int) -> float:
        return min(float(run[column]) for run in found)

    parsed, diagnosed = fresh("parse"), fresh("first_problem")
    return {
        "first rejection (parse), wall": best(parsed, 0),
        "first rejection (parse), CPU": best(parsed, 1),
        "second rejection (parse), wall": best(parsed, 2),
        "imported by rejecting": parsed[-1][4],
        "first_problem('any') alone, wall": best(diagnosed, 0),
        "first_problem('any') alone, CPU": best(diagnosed, 1),
        "imported by first_problem": diagnosed[-1][2],
    }


def validate_throughput(families: dict[str, Callable[[int], str]]) -> dict[str, float]:
    """Bytes per second of ``cdcpos validate --jobs 1`` on hostile 4 KB lines (every family
    in turn) and on valid lines of the benchmark corpus, about 2 MB each, best of 3."""
    import tempfile
    from pathlib import Path

    from benchmarks.corpus import corpus

    hostile = [
        text
        for family in families.values()
        if len(text := family(cdcpos.MAX_LENGTH)) <= cdcpos.MAX_LENGTH and not _accepted(text)
    ]
    lines = {
        "hostile": (hostile * (2_000_000 // sum(map(len, hostile)) + 1)),
        "valid": corpus(60_000),
    }
    rates = {}
    with tempfile.TemporaryDirectory() as folder:
        for name, texts in lines.items():
            path = Path(folder) / f"{name}.txt"
            path.write_text("".join(t + "\n" for t in texts), encoding="utf-8")
            command = [sys.executable, "-m", "cdcpos", "validate", "--jobs", "1", str(path)]
            best = math.inf
            for _ in range(3):
                started = time.perf_counter()
                subprocess.run(command, capture_output=True, check=False)
                best = min(best, time.perf_counter() - started)
            rates[name] = path.stat().st_size / best
    return rates


class _Progress:
    """``[done/total] elapsed`` on stderr, so a long run shows it is moving."""

    def __init__(self, total: int) -> None:
        self.total, self.done, self.started = total, 0, time.perf_counter()

    def step(self, what: str) -> None:
        self.done += 1
        elapsed = time.perf_counter() - self.started
        print(
            f"\r[{self.done}/{self.total}] {elapsed:5.0f} s  {what:<60}",
            end="",
            file=sys.stderr,
            flush=True,
        )

    def close(self) -> None:
        print(file=sys.stderr, flush=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--max-length", type=int, default=1 << 16)
    parser.add_argument("--threshold", type=float, default=1.3)
    parser.add_argument("--ratio-target", type=float, default=30.0)
    parser.add_argument("--budget", type=float, default=0.05, help="seconds per measurement")
    parser.add_argument(
        "--cap", type=float, default=5.0, help="stop a row once one input takes this long"
    )
    parser.add_argument("--subjects", nargs="*", help="subject names (default: all)")
    parser.add_argument("--families", nargs="*", help="input families (default: all)")
    parser.add_argument("--json", help="write the figures to this file")
    args = parser.parse_args(argv)

    # Below the limit (where the entry points do all their work), and on beyond it.
    lengths = sorted({256, 1024, cdcpos.MAX_LENGTH, *(4**k for k in range(6, 11))})
    lengths = [n for n in lengths if n <= args.max_length]
    subjects = {k: v for k, v in SUBJECTS.items() if not args.subjects or k in args.subjects}
    families = {k: v for k, v in FAMILIES.items() if not args.families or k in args.families}
    # Build the lazily constructed parts first, so no row pays for them.
    for subject in subjects.values():
        subject("0/x")

    print(
        f"time in microseconds, best of several runs; cdcpos.MAX_LENGTH = {cdcpos.MAX_LENGTH}; "
        f"'-': not run, an earlier length took over {args.cap:g} s"
    )
    print(
        f"{'subject':<31}{'input family':<19}"
        + "".join(f"{_size(n):>10}" for n in lengths)
        + f"{'k':>6}"
    )
    figures = []
    worst: tuple[float, str] = (0.0, "")
    progress = _Progress(len(subjects) * len(families) + 3)
    for subject_name, subject in subjects.items():
        unbounded = subject_name.startswith(_UNBOUNDED)
        for family_name, family in families.items():
            progress.step(f"{subject_name} on {family_name}")
            times: list[float] = []
            for n in lengths:
                if times and times[-1] > args.cap:
                    break
                times.append(measure(subject, family(n), args.budget))
            measured = lengths[: len(times)]
            # The entry points reject past the limit at once: their growth is below it.
            fitted = [i for i, n in enumerate(measured) if unbounded or n <= cdcpos.MAX_LENGTH]
            k = exponent([measured[i] for i in fitted], [times[i] for i in fitted])
            shown = "flat" if k is None or k < 0.05 else f"{k:.2f}"
            cells = [f"{t * 1e6:>10.0f}" if t >= 1e-4 else f"{t * 1e6:>10.1f}" for t in times]
            cells += [f"{'-':>10}"] * (len(lengths) - len(times))
            print(
                f"\r{subject_name:<31}{family_name:<19}" + "".join(cells) + f"{shown:>6}",
                flush=True,
            )
            figures.append(
                {
                    "subject": subject_name,
                    "family": family_name,
                    "lengths": measured,
                    "seconds": times,
                    "exponent": k,
                }
            )
            if k is not None and k > worst[0]:
                worst = (k, f"{subject_name} on {family_name}")
    growth_ok = worst[0] <= args.threshold
    print(
        f"largest growth exponent: {worst[0]:.2f} ({worst[1]}); threshold {args.threshold}: "
        f"{'ok' if growth_ok else 'SUPERLINEAR'}"
    )

    progress.step("rejection cost: 4 KB hostile against 20 characters")
    baseline, ratios = rejection_ratios(families, args.budget)
    print(
        f"\nrejecting a {cdcpos.MAX_LENGTH}-character hostile string / a 20-character invalid "
        f"string (cdcpos.parse; 20 characters: {baseline * 1e6:.1f} us, median of "
        f"{len(SHORT_INVALID)})"
    )
    for name, ratio in ratios:
        print(f"  {name:<19}{ratio:>8.1f}x")
    worst_ratio = max(ratios, key=lambda r: r[1], default=("", 0.0))
    ratio_ok = worst_ratio[1] <= args.ratio_target
    print(
        f"largest: {worst_ratio[1]:.1f}x ({worst_ratio[0]}); target <= {args.ratio_target:g}x: "
        f"{'ok' if ratio_ok else 'OVER'}"
    )

    progress.step("cdcpos validate: hostile 4 KB lines against valid lines")
    rates = validate_throughput(families)
    validate_ratio = rates["hostile"] / rates["valid"]
    validate_ok = validate_ratio >= 0.10
    print(
        f"\ncdcpos validate --jobs 1: hostile 4 KB lines {rates['hostile'] / 1e6:.2f} MB/s, "
        f"valid lines {rates['valid'] / 1e6:.2f} MB/s: {validate_ratio:.0%} "
        f"(target >= 10%: {'ok' if validate_ok else 'UNDER'})"
    )

    progress.step("first rejection in a fresh interpreter")
    cold = cold_rejection()
    progress.close()
    print("\nfresh interpreter, best of 3:")
    for what, value in cold.items():
        shown = f"{value * 1e3:8.1f} ms" if isinstance(value, float) else f"{value:>11}"
        print(f"  {what:<34}{shown}")

    verdict = "ok" if growth_ok and ratio_ok and validate_ok else "FAILED"
    print(f"\nverdict: {verdict}")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as out:
            json.dump(
                {
                    "figures": figures,
                    "worst": worst,
                    "rejection": {"baseline_seconds": baseline, "ratios": dict(ratios)},
                    "cold": cold,
                    "validate_bytes_per_second": rates,
                    "verdict": verdict,
                },
                out,
                indent=1,
            )
    return 0 if verdict == "ok" else 1


def _size(n: int) -> str:
    return (
        f"{n >> 20}M"
        if n >= 1 << 20 and n % (1 << 20) == 0
        else (f"{n >> 10}K" if n % 1024 == 0 else str(n))
    )


if __name__ == "__main__":
    sys.exit(main())
