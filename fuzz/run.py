"""Run every fuzz target (or some) for a bounded number of inputs or time, and report.

    python fuzz/run.py                          # every target, 10000 inputs each
    python fuzz/run.py --runs 2000 parse        # one target
    python fuzz/run.py --seconds 300            # 5 minutes per target (about an hour in all)

Each target runs in its own process (``fuzz/fuzz.py``), several at a time, on a corpus
directory per target (``fuzz/corpus/<target>``, kept between runs and seeded from
``fuzz/seeds``) with a dictionary of the grammar's literals.  The table at the end gives,
per target, the inputs run, the time, the coverage reached and whether anything was found;
a finding leaves its input in ``fuzz/corpus/artifacts`` and makes the exit status 1.
"""

from __future__ import annotations

import argparse
import hashlib
import importlib.util
import os
import re
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from cdcpos._extras import install_line

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEEDS = HERE / "seeds"
# Targets that fuzz/targets.py defines only when the extra they need is installed.
OPTIONAL_TARGETS = {"pydantic_types": "pydantic", "aws_models": "aws"}

# Words of the formats and of the mistakes users make, for libFuzzer's dictionary; the
# grammar's own literal terminals are added from grammar/cdcpos.lark.
_EXTRA_WORDS = (
    "#", ":", "/", ".", "-", "*", "$", "T", "0x", "Oracle SCN:", "position:", " ",
    "\u201c", "\u201d", "\ufeff", "\r\n", '"', "'", "Z", "+01:00", "1641556979000",
    "00000000", "FFFFFFFF", "18446744073709551615", "9999-12-31T23:59:59",
    '"CdcStartPosition": ', '"CdcStartTime": ', '"CdcStopPosition": ',
    '"StartReplicationTaskType": "start-replication"', '"RecoveryCheckpoint": ',
)  # fmt: skip


def grammar_words() -> list[str]:
    """The literal strings of the grammar (``"checkpoint:V"``, ``"NOW"``, ...)."""
    from lark import Lark

    from cdcpos._generate import ENTRY_POINTS, grammar_path

    parser = Lark(
        grammar_path().read_text(encoding="utf-8"), parser="lalr", start=list(ENTRY_POINTS)
    )
    words = [t.pattern.value for t in parser.terminals if t.pattern.type == "str"]
    # Literal prefixes of regex terminals: "server_time:", "commit_time:", "timestamp:".
    for t in parser.terminals:
        prefix = re.match(r"[a-z_]+:", t.pattern.value)
        if t.pattern.type == "re" and prefix:
            words.append(prefix.group(0))
    return sorted(set(words))


def write_dictionary(path: Path) -> Path:
    entries = []
    for word in [*grammar_words(), *_EXTRA_WORDS]:
        escaped = "".join(
            chr(b) if 0x20 <= b < 0x7F and chr(b) not in '"\\' else f"\\x{b:02X}"
            for b in word.encode("utf-8")
        )
        entries.append(f'"{escaped}"')
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(entries) + "\n", encoding="utf-8")
    return path


def seed_inputs(kind: str) -> list[bytes]:
    """The committed seeds that suit a target's input form."""
    # One input per line: the lines are UTF-8 (NUL, BOM and typographic quotes included).
    if kind in ("positions", "start_times"):
        return [line for line in (SEEDS / f"{kind}.txt").read_bytes().split(b"\n") if line]
    if kind == "requests":
        return [line for line in (SEEDS / "requests.jsonl").read_bytes().splitlines() if line]
    if kind == "files":
        lines = (SEEDS / "positions.txt").read_bytes().split(b"\n")
        # Runs of a few lines, with both line endings.
        chunks = [b"\n".join(lines[i : i + 4]) for i in range(0, len(lines), 4)]
        return chunks + [chunk.replace(b"\n", b"\r\n") for chunk in chunks[::3]]
    raise ValueError(kind)


def prepare_corpus(directory: Path, seeds: list[bytes]) -> None:
    directory.mkdir(parents=True, exist_ok=True)
    for seed in seeds:
        (directory / f"seed-{hashlib.sha1(seed).hexdigest()[:16]}").write_bytes(seed)


@dataclass
class Result:
    target: str
    status: int
    runs: int
    seconds: float
    coverage: int
    corpus: int
    findings: dict[str, list[Path]]  # the exception a finding raises -> its inputs
    log: Path


def replay(target: str, artifact: Path) -> str:
    """What an input found: the first line of the exception it raises, run on its own."""
    completed = subprocess.run(
        [sys.executable, str(HERE / "fuzz.py"), target, str(artifact)],
        capture_output=True,
        text=True,
        errors="replace",
        cwd=ROOT,
        check=False,
        timeout=120,
    )
    return _exception_line(completed.stdout + completed.stderr) or (
        "no longer fails" if completed.returncode == 0 else f"exit {completed.returncode}"
    )


def _exception_line(log: str) -> str | None:
    # atheris prints the exception's summary line right after this marker.
    found = re.search(r"=== Uncaught Python exception: ===\n(.*)", log)
    if found:
        return found.group(1).strip()[:200]
    if "ERROR: libFuzzer: timeout" in log:
        return "timeout: one input took over 10 s"
    return None


def _kind_of_finding(line: str) -> str:
    """One line per kind of finding: the quoted input and the numbers in it left out."""
    return re.sub(r"[0-9]+", "N", re.sub(r"'[^']*'|\"[^\"]*\"", "'...'", line))


def run_target(
    target: str,
    kind: str,
    *,
    runs: int | None,
    seconds: int | None,
    seed: int,
    corpus_root: Path,
    artifacts: Path,
    dictionary: Path,
    keep_going: bool = False,
) -> Result:
    corpus = corpus_root / target
    prepare_corpus(corpus, seed_inputs(kind))
    artifacts.mkdir(parents=True, exist_ok=True)
    log = corpus_root / "logs" / f"{target}.log"
    log.parent.mkdir(parents=True, exist_ok=True)
    command = [
        sys.executable,
        str(HERE / "fuzz.py"),
        target,
        f"-runs={runs}" if runs is not None else f"-max_total_time={seconds}",
        f"-seed={seed}",
        f"-dict={dictionary}",
        "-timeout=10",  # an input taking seconds is a finding (backtracking)
        "-print_final_stats=1",
        f"-artifact_prefix={artifacts}/{target}-",
        str(corpus),
    ]
    if keep_going:
        # A child process fuzzes; a finding is recorded and fuzzing goes on.
        command[4:4] = ["-fork=1", "-ignore_crashes=1", "-ignore_timeouts=1"]
    before = set(artifacts.glob(f"{target}-*"))
    started = time.perf_counter()
    with log.open("w", encoding="utf-8") as out:
        completed = subprocess.run(
            command, stdout=out, stderr=subprocess.STDOUT, cwd=ROOT, check=False
        )
    elapsed = time.perf_counter() - started
    text = log.read_text(encoding="utf-8", errors="replace")
    executed = re.findall(r"stat::number_of_executed_units: (\d+)", text)
    executed += re.findall(r"^#(\d+): cov:", text, flags=re.MULTILINE)  # -fork's progress
    coverage = re.findall(r"cov: (\d+) ft: \d+ corp: (\d+)", text)
    findings: dict[str, list[Path]] = {}
    for artifact in sorted(set(artifacts.glob(f"{target}-*")) - before)[:50]:
        findings.setdefault(_kind_of_finding(replay(target, artifact)), []).append(artifact)
    findings.pop("no longer fails", None)
    if not findings and (completed.returncode != 0 or not executed):
        summary = _exception_line(text) or f"exit status {completed.returncode}, see the log"
        findings[summary] = []
    return Result(
        target=target,
        status=completed.returncode,
        runs=int(executed[-1]) if executed else 0,
        seconds=elapsed,
        coverage=int(coverage[-1][0]) if coverage else 0,
        corpus=int(coverage[-1][1]) if coverage else 0,
        findings=findings,
        log=log,
    )


def list_targets() -> dict[str, str]:
    """Target name -> seed kind, asked of a fuzzing process (importing targets instruments)."""
    code = (
        "import sys; sys.path.insert(0, sys.argv[1]); import targets\n"
        "for name, target in targets.TARGETS.items(): print(name, target.seeds)\n"
    )
    if importlib.util.find_spec("atheris") is None:
        sys.exit(f"fuzzing needs atheris: {install_line('fuzz')}")
    listing = subprocess.run(
        [sys.executable, "-c", code, str(HERE)], capture_output=True, text=True, check=True
    ).stdout
    return dict(line.split() for line in listing.splitlines() if line.strip())


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("targets", nargs="*", help="targets to run (default: all)")
    budget = parser.add_mutually_exclusive_group()
    budget.add_argument("--runs", type=int, help="inputs per target (default 10000)")
    budget.add_argument("--seconds", type=int, help="time per target, instead of --runs")
    parser.add_argument("--seed", type=int, default=1, help="libFuzzer's random seed")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1)
    parser.add_argument(
        "--keep-going",
        action="store_true",
        help="record findings and go on fuzzing (libFuzzer -fork=1 -ignore_crashes=1)",
    )
    parser.add_argument("--corpus", type=Path, default=HERE / "corpus")
    parser.add_argument("--artifacts", type=Path, default=HERE / "corpus" / "artifacts")
    args = parser.parse_args(argv)
    runs = args.runs if args.runs is not None or args.seconds is not None else 10000

    known = list_targets()
    chosen = args.targets or list(known)
    unknown = [t for t in chosen if t not in known]
    for target in unknown if args.targets else sorted(OPTIONAL_TARGETS.keys() - known.keys()):
        if target in OPTIONAL_TARGETS:  # an extra is missing: say which one brings it
            needs = f"{target} needs {install_line(OPTIONAL_TARGETS[target])}"
            if args.targets:
                parser.error(needs)
            print(f"skipped {needs}", file=sys.stderr)
    if unknown:
        parser.error(f"unknown targets {unknown}; known: {', '.join(known)}")
    dictionary = write_dictionary(args.corpus / "cdcpos.dict")
    with ThreadPoolExecutor(max_workers=max(1, args.workers)) as pool:
        results = list(
            pool.map(
                lambda t: run_target(
                    t,
                    known[t],
                    runs=runs,
                    seconds=args.seconds,
                    seed=args.seed,
                    corpus_root=args.corpus,
                    artifacts=args.artifacts,
                    dictionary=dictionary,
                    keep_going=args.keep_going,
                ),
                chosen,
            )
        )
    print(
        f"{'target':<30} {'inputs':>9} {'seconds':>8} {'inputs/s':>9} {'cov':>5} {'corpus':>7}  result"
    )
    for r in results:
        rate = r.runs / r.seconds if r.seconds else 0.0
        outcome = "ok" if not r.findings else f"{len(r.findings)} FINDING(S) (log: {r.log})"
        print(
            f"{r.target:<30} {r.runs:>9} {r.seconds:>8.1f} {rate:>9.0f} {r.coverage:>5} "
            f"{r.corpus:>7}  {outcome}"
        )
        for summary, inputs in r.findings.items():
            example = f"; e.g. {inputs[0]}" if inputs else ""
            print(f"    {summary} ({len(inputs)} input(s){example})")
    return 0 if all(not r.findings for r in results) else 1


if __name__ == "__main__":
    sys.exit(main())
