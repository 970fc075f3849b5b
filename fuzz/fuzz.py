#!/usr/bin/env python3
"""Run one fuzz target under atheris (libFuzzer): ``python fuzz/fuzz.py TARGET [flags] [dirs]``.

``TARGET`` is a name from ``fuzz/targets.py`` (``python fuzz/fuzz.py --list`` prints them);
the remaining arguments go to libFuzzer unchanged, e.g. ``-runs=100000``,
``-max_total_time=3600``, ``-dict=fuzz/corpus/cdcpos.dict`` and corpus directories (the
first one collects new inputs).  A crash, an unexpected exception or a failed assertion
stops the run with a non-zero status and a ``crash-*`` file holding the input; replay it
with ``python fuzz/fuzz.py TARGET crash-...``.  ``fuzz/run.py`` runs every target.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
_TARGET_VARIABLE = "CDCPOS_FUZZ_TARGET"


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[1] in ("-h", "--help"):
        print(__doc__)
        return 2
    import atheris
    import targets

    if argv[1] == "--list":
        print("\n".join(targets.TARGETS))
        return 0
    # libFuzzer's -fork and -jobs modes start this script again with the flags alone:
    # the target travels in the environment.
    name = argv[1]
    if name.startswith("-") and _TARGET_VARIABLE in os.environ:
        name, argv = os.environ[_TARGET_VARIABLE], [argv[0], "", *argv[1:]]
    os.environ[_TARGET_VARIABLE] = name
    if name not in targets.TARGETS:
        print(f"unknown target {name!r}; known: {', '.join(targets.TARGETS)}", file=sys.stderr)
        return 2
    target = targets.TARGETS[name]
    flags = argv[2:]
    if not any(flag.startswith("-max_len=") for flag in flags):
        flags.insert(0, f"-max_len={target.max_len}")
    atheris.Setup([str(Path(argv[0]).resolve()), *flags], target.function)
    atheris.Fuzz()
    return 0  # pragma: no cover - atheris.Fuzz() exits the process


if __name__ == "__main__":
    sys.exit(main(sys.argv))
