"""The ``cdcpos`` command: read positions from files or stdin, print one JSON object per line.

Minimal form (the CLI issue extends it): ``cdcpos parse [FILE ...]``.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator, Sequence
from typing import TextIO

import cdcpos


def _lines(paths: Sequence[str]) -> Iterator[str]:
    for path in paths or ["-"]:
        if path == "-":
            yield from sys.stdin
        else:
            with open(path, encoding="utf-8", errors="surrogateescape", newline="") as f:
                yield from f


def _record(text: str, value: cdcpos.Position | cdcpos.InvalidPosition) -> dict[str, object]:
    if isinstance(value, cdcpos.InvalidPosition):
        return {"input": text, "ok": False, "error": str(value)}
    return {"input": text, "ok": True, "kind": value.kind, "canonical": str(value)}


def _parse(paths: Sequence[str], out: TextIO) -> int:
    status = 0
    lines = (line.rstrip("\r\n") for line in _lines(paths))
    for line in lines:
        try:
            value: cdcpos.Position | cdcpos.InvalidPosition = cdcpos.parse(line)
        except cdcpos.InvalidPosition as error:
            value = error
            status = 1
        out.write(json.dumps(_record(line, value)) + "\n")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="cdcpos", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    parse = sub.add_parser("parse", help="one JSON object per input line")
    parse.add_argument("files", nargs="*")
    args = parser.parse_args(argv)
    return _parse(args.files, sys.stdout)


if __name__ == "__main__":
    sys.exit(main())
