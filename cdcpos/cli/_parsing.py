"""From lines to values: each line's value, ``InvalidPosition`` or ``LineProblem``
through the bulk path, and the messages and records that report them."""

from __future__ import annotations

import shlex
from collections.abc import Callable
from typing import Any

import cdcpos
from cdcpos._parse import normalize_lenient  # private: --lenient for CdcStartTime
from cdcpos.cli._common import KINDS, InvalidInput, Options, Value
from cdcpos.cli._fields import canonical, fields_of, kind_of
from cdcpos.cli._input import Block, LineProblem


def _start_time(text: str, options: Options) -> Value:
    candidate = normalize_lenient(text) if options.lenient else text
    try:
        return cdcpos.parse_start_time(candidate, engine=options.engine)
    except cdcpos.InvalidPosition as error:
        return error
    except OverflowError:
        # Epoch seconds before year 1 overflow datetime inside parse_start_time.
        return cdcpos.InvalidPosition(
            "epoch seconds out of range (before the year 1)", field="CdcStartTime", text=text
        )


def parse_texts(texts: list[str], options: Options) -> list[Value]:
    """The value (or InvalidPosition) of each text, in order, through the bulk path.

    A block of lines is bounded already (``BLOCK_SIZE`` bytes), so ``parse_many`` takes
    it whole: ``iter_parse`` would cut it into chunks again, line by line, at a cost of
    a fifth of the parse time.
    """
    if options.kind == "start-time":
        return [_start_time(text, options) for text in texts]
    values, problems = cdcpos.parse_many(
        texts,
        kind=KINDS[options.kind],
        engine=options.engine,
        errors="collect",
        lenient=options.lenient,
    )
    if not problems:
        return values
    bad = dict(problems)
    parsed = iter(values)
    return [bad[index] if index in bad else next(parsed) for index in range(len(texts))]


def block_values(block: Block, options: Options) -> list[Value]:
    """One value, InvalidPosition or LineProblem per line of the block, in order."""
    problems = block.problems
    if not problems:
        return parse_texts(block.texts, options)
    readable = [text for index, text in enumerate(block.texts) if index not in problems]
    parsed = iter(parse_texts(readable, options))
    return [problems.get(index) or next(parsed) for index in range(len(block.texts))]


def is_error(value: Value) -> bool:
    return isinstance(value, (cdcpos.InvalidPosition, LineProblem))


def message(error: cdcpos.InvalidPosition | LineProblem, text: str) -> str:
    """The error's message; the CLI says where by file and line, not by bulk index."""
    if isinstance(error, LineProblem):
        return error.message(text)
    return str(error.without_index())


def error_fields(error: cdcpos.InvalidPosition | LineProblem, text: str) -> dict[str, Any]:
    if isinstance(error, LineProblem):
        return {
            "type": error.type,
            "message": error.message(text),
            "column": error.column,
            "field": None,
            "reason": error.reason,
            "expected": None,
            "hint": None,
        }
    return {
        "type": "InvalidPosition",
        "message": message(error, text),
        "column": error.column,
        "field": error.field,
        "reason": error.reason,
        "expected": error.expected,
        "hint": error.hint,
    }


def parse_record(
    source: str, number: int, text: str, value: Value, with_fields: bool = True
) -> dict[str, Any]:
    """One line's result, as ``cdcpos parse`` prints it."""
    record: dict[str, Any] = {"file": source, "line": number, "input": text}
    if is_error(value):
        record["ok"] = False
        record["error"] = error_fields(value, text)
    else:
        record["ok"] = True
        record["kind"] = kind_of(value)
        record["canonical"] = canonical(value)
        if with_fields:
            record["fields"] = fields_of(value)
    return record


def compare_values(a: Value, b: Value) -> int:
    """-1, 0 or 1; ``TypeError`` when the two have no common order."""
    if a == b:
        return 0
    return -1 if a < b else 1


def parse_argument(text: str, options: Options) -> Value:
    """The value of a command-line argument; ``InvalidInput`` (exit 1) when invalid."""
    (value,) = parse_texts([text], options)
    if is_error(value):
        raise InvalidInput(message(value, text))
    return value


def _is_position(text: str, options: Options) -> bool:
    """Whether a FILE argument that does not exist reads as a position, for a hint."""
    for kind in (options, options._replace(kind="any", engine=None)):
        if not is_error(parse_texts([text], kind)[0]):
            return True
    return False


def value_hint(options: Options) -> Callable[[str], str | None]:
    """``validate``: a missing FILE that is a position was meant for ``--value``."""

    def hint(path: str) -> str | None:
        if not _is_position(path, options):
            return None
        return f"to validate the text itself: --value {shlex.quote(path)}"

    return hint


def pipe_hint(command: str, options: Options) -> Callable[[str], str | None]:
    """Commands that read positions only from lines: a position given as FILE is piped in."""

    def hint(path: str) -> str | None:
        if not _is_position(path, options):
            return None
        return f"to read the text itself: printf '%s\\n' {shlex.quote(path)} | cdcpos {command}"

    return hint
