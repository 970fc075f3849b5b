"""Throughput of ``cdcpos parse FILE`` against ``cdcpos.parse_many`` on the same file.

    python -m benchmarks.bench_cli [--lines N] [--repeats R] [--corpus NAME ...]
                                   [--jobs-lines N] [--json FILE]

Targets (issue 12): ``cdcpos parse`` (fields) within 2.0x of calling ``parse_many``
directly on checkpoints; ``cdcpos parse --jobs 2`` at least 1.6x faster than ``--jobs 1``
on a 1M-line file (two cores).

* Baseline, in this process: read the file, split it into lines, ``cdcpos.parse_many(lines,
  errors="collect")``: the values only, nothing printed.
* Subject: the installed ``cdcpos`` console script in a subprocess, stdout to /dev/null;
  wall time, interpreter start-up included (reported too).  ``parse`` prints one JSON
  object per line with the value's fields, with the default ``--jobs auto`` (the number
  of cores for a file of 8 MiB or more, else 1); ``parse --jobs 1`` is the same in one
  process; ``parse --no-fields`` leaves the fields out; ``validate`` prints nothing for
  valid lines.
* Parallel figure: ``parse --jobs 1`` against ``parse --jobs 2`` on a file of
  ``--jobs-lines`` lines (default 1M) of the ``valid`` corpus, alternating; the
  speed-up is the ratio of the best times.  Measure it on an idle machine: other load
  takes the second core.  The CPU time of each (``wait4``: the command and its workers)
  is printed too, with the speed-up it allows on two free cores (half the CPU time of
  ``--jobs 2`` is the least wall time two cores can give it): that figure does not
  depend on the load.

Corpora, from the committed sample ``examples/positions.txt`` repeated to N lines:
``examples`` (as committed: 18 valid lines of every kind and 3 invalid ones), ``valid``
(its 18 valid lines), ``native`` (its 13 valid non-checkpoint lines) and ``checkpoints``
(its 5 checkpoints).  The machine may be shared: baseline and subject runs alternate and
each figure is the best of R runs.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import cdcpos

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "examples" / "positions.txt"


def console_script() -> str:
    beside = Path(sys.executable).with_name("cdcpos")
    found = str(beside) if beside.exists() else shutil.which("cdcpos")
    if not found:
        sys.exit("the cdcpos console script is not installed: run `pip install -e .`")
    return found


def corpora() -> dict[str, list[str]]:
    sample = SAMPLE.read_text(encoding="utf-8").splitlines()
    _, problems = cdcpos.parse_many(sample, errors="collect")
    invalid = {index for index, _ in problems}
    valid = [line for index, line in enumerate(sample) if index not in invalid]
    return {
        "examples": sample,
        "valid": valid,
        "native": [line for line in valid if not line.startswith("checkpoint:")],
        "checkpoints": [line for line in valid if line.startswith("checkpoint:")],
    }


def write_corpus(path: Path, lines: list[str], count: int) -> None:
    repeated = (lines * (count // len(lines) + 1))[:count]
    path.write_text("".join(line + "\n" for line in repeated), encoding="utf-8")


def baseline(path: Path) -> None:
    with path.open(encoding="utf-8") as file:
        lines = file.read().splitlines()
    cdcpos.parse_many(lines, errors="collect")


def timed(function: Callable[[], Any]) -> float:
    gc.collect()
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


# The console script runs this tree's cdcpos, as the baseline in this process does (the
# installed one may be another checkout's).
ENV = {
    **os.environ,
    "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")])),
}


def command_runner(args: list[str]) -> Callable[[], None]:
    def run() -> None:
        # Exit status 1 is validate's answer for a corpus with invalid lines.
        result = subprocess.run(args, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
        if result.returncode not in (0, 1):
            raise SystemExit(f"{' '.join(args)} exited {result.returncode}")

    return run


SUBJECTS = ("parse", "parse --jobs 1", "parse --no-fields", "validate")


def measure(path: Path, script: str, repeats: int) -> dict[str, float]:
    subjects = {
        "parse": command_runner([script, "parse", str(path)]),
        "parse --jobs 1": command_runner([script, "parse", "--jobs", "1", str(path)]),
        "parse --no-fields": command_runner([script, "parse", "--no-fields", str(path)]),
        "validate": command_runner([script, "validate", "-q", str(path)]),
    }
    best: dict[str, float] = {"parse_many": float("inf")}
    best.update({name: float("inf") for name in subjects})
    for _ in range(repeats):
        # Alternate, so that baseline and subjects see the same load.
        best["parse_many"] = min(best["parse_many"], timed(lambda: baseline(path)))
        for name, run in subjects.items():
            best[name] = min(best[name], timed(run))
    return best


def cpu_seconds(args: list[str]) -> float:
    """The CPU time (user + system) of a command and of the children it waited for (the
    workers of --jobs): what it costs whatever the load."""
    with open(os.devnull, "wb") as devnull:
        process = subprocess.Popen(args, stdout=devnull, stderr=devnull, env=ENV)
        _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(args)} exited {process.returncode}")
    return usage.ru_utime + usage.ru_stime


def measure_jobs(path: Path, script: str, repeats: int) -> dict[str, dict[str, float]]:
    """Wall time and CPU time, best of ``repeats``, of --jobs 1 and --jobs 2."""
    commands = {jobs: [script, "parse", "--jobs", jobs, str(path)] for jobs in ("1", "2")}
    wall = {jobs: float("inf") for jobs in commands}
    cpu = {jobs: float("inf") for jobs in commands}
    for _ in range(repeats):
        for jobs, args in commands.items():
            wall[jobs] = min(wall[jobs], timed(command_runner(args)))
            cpu[jobs] = min(cpu[jobs], cpu_seconds(args))
    return {"wall": wall, "cpu": cpu}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lines", type=int, default=200_000, help="lines per corpus")
    parser.add_argument("--repeats", type=int, default=3, help="runs per figure (best kept)")
    parser.add_argument(
        "--corpus", action="append", choices=list(corpora()), help="only these corpora"
    )
    parser.add_argument(
        "--jobs-lines", type=int, default=1_000_000, help="lines of the --jobs file (0: skip)"
    )
    parser.add_argument(
        "--jobs-corpus",
        default="valid",
        choices=list(corpora()),
        help="corpus of the --jobs file (default: valid, every kind; invalid lines would "
        "measure the error diagnosis instead)",
    )
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    script = console_script()
    startup = min(timed(command_runner([script, "parse", os.devnull])) for _ in range(5))
    results: dict[str, Any] = {
        "lines": args.lines,
        "repeats": args.repeats,
        "startup_seconds": startup,
        "corpora": {},
    }
    results["load_average_start"] = os.getloadavg()[0]
    print(
        f"cdcpos start-up (parse of an empty file): {startup:.3f}s; {args.lines} lines each; "
        f"load average {os.getloadavg()[0]:.2f} ({os.cpu_count()} cores: ratios are only "
        "meaningful below about 1.5, and --jobs 2 needs a free second core)"
    )
    header = f"{'corpus':<12} {'parse_many':>10}"
    for name in SUBJECTS:
        header += f" {name:>24}"
    print(header)
    with tempfile.TemporaryDirectory() as directory:
        for corpus, lines in corpora().items():
            if (args.corpus and corpus not in args.corpus) or not args.lines:
                continue
            path = Path(directory) / f"{corpus}.txt"
            write_corpus(path, lines, args.lines)
            best = measure(path, script, args.repeats)
            load = os.getloadavg()[0]
            row = f"{corpus:<12} {best['parse_many']:>9.2f}s"
            ratios = {}
            for name in SUBJECTS:
                ratios[name] = best[name] / best["parse_many"]
                row += f" {best[name]:>14.2f}s ({ratios[name]:4.2f}x)"
            print(f"{row}  (load {load:.2f})", flush=True)
            results["corpora"][corpus] = {
                "seconds": best,
                "ratio_to_parse_many": ratios,
                "load_average": load,
            }
            path.unlink()
        if args.jobs_lines:
            path = Path(directory) / "jobs.txt"
            write_corpus(path, corpora()[args.jobs_corpus], args.jobs_lines)
            load_before = os.getloadavg()[0]
            measured = measure_jobs(path, script, args.repeats)
            wall, cpu = measured["wall"], measured["cpu"]
            speedup = wall["1"] / wall["2"]
            # On a free core one process takes its CPU time; two processes on two free
            # cores take at least half of theirs: an upper bound of the speed-up.
            bound = cpu["1"] / (cpu["2"] / 2)
            load = os.getloadavg()[0]
            print(
                f"parse --jobs 1 / --jobs 2 on {args.jobs_lines} lines ({args.jobs_corpus}): "
                f"{wall['1']:.2f}s / {wall['2']:.2f}s = {speedup:.2f}x faster with 2 processes "
                f"({os.cpu_count()} cores; load average {load_before:.2f} before, {load:.2f} "
                f"after); CPU time {cpu['1']:.2f}s / {cpu['2']:.2f}s in all processes: on "
                f"{min(os.cpu_count() or 1, 2)} free cores at best {bound:.2f}x"
            )
            results["jobs"] = {
                "lines": args.jobs_lines,
                "corpus": args.jobs_corpus,
                "seconds": wall,
                "cpu_seconds": cpu,
                "speedup": speedup,
                "speedup_bound_from_cpu": bound,
                "load_average": [load_before, load],
            }
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
