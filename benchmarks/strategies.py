"""How fast ``cdcpos.strategies`` draws, against the same strategies drawing each terminal
with ``st.from_regex`` (what they did before the terminals were translated).

    python -m benchmarks.strategies [--examples N] [--repeats R]

Both strategies are built in this process from the same grammar: the baseline by building
the strategies again with ``_grammar._regex_strings`` standing for ``st.from_regex``.  Each
timing runs a ``@given`` test of ``--examples`` derandomized examples that only receives
the string; the two are alternated and the best of ``--repeats`` kept.  Prints a table
and the load average.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from benchmarks.run import paired_times
from cdcpos import strategies
from cdcpos.strategies import _grammar

SUBJECTS: dict[str, Callable[[], Any]] = {
    "checkpoint_strings()": strategies.checkpoint_strings,
    "start_position_strings()": strategies.start_position_strings,
    "stop_position_strings()": strategies.stop_position_strings,
}


def _forget_built_strategies() -> None:
    for name, module in list(sys.modules.items()):
        if not name.startswith("cdcpos.strategies"):
            continue
        for value in vars(module).values():
            clear = getattr(value, "cache_clear", None)
            if clear is not None:
                clear()


@contextmanager
def _drawn_by_from_regex() -> Iterator[None]:
    """The strategies built while inside draw each terminal with ``st.from_regex``."""
    translated = _grammar._regex_strings
    _grammar._regex_strings = lambda pattern: st.from_regex(pattern, fullmatch=True)
    _forget_built_strategies()
    try:
        yield
    finally:
        _grammar._regex_strings = translated
        _forget_built_strategies()


def _runner(strategy: Any, examples: int) -> Callable[[], None]:
    @settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def draw(text: str) -> None:
        pass

    draw()  # builds the strategy (from_lark is lazy), untimed
    return draw


def measure(examples: int, repeats: int) -> list[dict[str, Any]]:
    rows = []
    for name, build in SUBJECTS.items():
        subject = _runner(build(), examples)
        with _drawn_by_from_regex():
            baseline = _runner(build(), examples)
        ours, theirs = paired_times(subject, baseline, repeats)
        rows.append(
            {
                "strategy": name,
                "speed-up": theirs / ours,
                "ms_per_example": ours / examples * 1e3,
                "baseline_ms_per_example": theirs / examples * 1e3,
            }
        )
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--examples", type=int, default=300)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    before = os.getloadavg()
    rows = measure(args.examples, args.repeats)
    after = os.getloadavg()
    print("| strategy | translated terminals, ms an example | st.from_regex | speed-up |")
    print("|---|---|---|---|")
    for row in rows:
        print(
            f"| `{row['strategy']}` | {row['ms_per_example']:.2f} | "
            f"{row['baseline_ms_per_example']:.2f} | {row['speed-up']:.2f}x |"
        )
    print(
        f"{args.examples} examples, best of {args.repeats}; load average before "
        f"{before[0]:.2f}, after {after[0]:.2f}",
        file=sys.stderr,
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
