"""Parsing many strings: ``parse_many`` (an iterable) and ``iter_parse`` (lines, lazily).

Layer L4 (tests/test_layers.py), over the single-string path of ``cdcpos._parse``: the hot
loop is one match of the grammar-derived expression and one constructor per string; any
string it cannot take whole goes through ``cdcpos._parse`` for its error.
"""

from __future__ import annotations

import io

from cdcpos._collector import pause as _pause_gc
from cdcpos._collector import resume as _resume_gc
from cdcpos._errors import InvalidPosition, Rejected
from cdcpos._parse import _parse_one, builders_by_group, matcher
from cdcpos._positions import Position
from cdcpos._positions.packed import PositionList
from cdcpos._rules import ENTRY_FIELDS, MAX_LENGTH

# typing only for the checker: importing it is a cost ``import cdcpos`` need not pay.  At
# run time @overload is a no-op (the stubs are replaced by the implementation below).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable, Iterable, Iterator
    from typing import Any, Literal, overload
else:

    def overload(function: object) -> object:
        return function


__all__ = ["iter_parse", "parse_many"]

_KIND_ALIASES = {
    None: "any",
    "any": "any",
    "start": "start_position",
    "start_position": "start_position",
    "stop": "stop_position",
    "stop_position": "stop_position",
    "checkpoint": "checkpoint",
    "db2": "db2_start_from_context",
    "db2-context": "db2_start_from_context",
    "db2_context": "db2_start_from_context",
    "db2_start_from_context": "db2_start_from_context",
}

_ERRORS = ("raise", "skip", "collect")


def _check_errors(errors: str) -> None:
    if errors not in _ERRORS:
        raise ValueError(f"errors must be one of {_ERRORS}, not {errors!r}")


def _entry_of(kind: str | None) -> str:
    try:
        return _KIND_ALIASES[kind]
    except KeyError:
        known = ", ".join(repr(k) for k in _KIND_ALIASES if k is not None)
        raise ValueError(f"unknown kind {kind!r}; expected one of {known}") from None


@overload
def parse_many(
    texts: Iterable[str],
    *,
    kind: str | None = ...,
    engine: str | None = ...,
    errors: Literal["raise", "skip"] = ...,
    lenient: bool = ...,
) -> list[Position]: ...
@overload
def parse_many(  # noqa: F811 - ruff does not see the run-time @overload as typing's
    texts: Iterable[str],
    *,
    kind: str | None = ...,
    engine: str | None = ...,
    errors: Literal["collect"],
    lenient: bool = ...,
) -> tuple[list[Position], list[tuple[int, InvalidPosition]]]: ...


def parse_many(  # noqa: F811
    texts: Iterable[str],
    *,
    kind: str | None = None,
    engine: str | None = None,
    errors: str = "raise",
    lenient: bool = False,
) -> Any:
    """Parse every string of an iterable, as fast as the grammar allows.

    ``kind``: ``None`` (any position), ``'start'``, ``'stop'``, ``'checkpoint'`` or
    ``'db2-context'``.  ``errors``: ``'raise'`` (the first bad string raises
    :class:`InvalidPosition`, whose ``index`` attribute says which), ``'skip'`` (bad
    strings are left out) or ``'collect'`` (returns ``(values, [(index, error), ...])``).

    ``texts`` is an iterable of ``str`` (a ``str`` or ``bytes`` itself is a ``TypeError``:
    its items would be characters).  An item that is not a ``str`` raises ``TypeError``
    with ``errors='raise'``; with ``'skip'``/``'collect'`` it is one bad item like a bad
    string, reported as an :class:`InvalidPosition` whose ``text`` is ``None``.

    >>> import cdcpos
    >>> cdcpos.parse_many(["0/1", "0/2"])
    [PostgresLsn('0/1'), PostgresLsn('0/2')]
    >>> values, problems = cdcpos.parse_many(["0/1", "0/x", None], errors="collect")
    >>> values, [(i, e.column) for i, e in problems]
    ([PostgresLsn('0/1')], [(1, 3), (2, None)])
    """
    _check_errors(errors)
    entry = _entry_of(kind)
    _check_iterable(texts, "parse_many")
    _pause_gc()
    try:
        values, problems = _parse_all(texts, entry, engine, lenient, errors)
    finally:
        _resume_gc()
    if errors == "collect":
        return values, [(index, _as_reported(error, entry, index)) for index, error in problems]
    return values


def _check_iterable(texts: object, function: str) -> None:
    if isinstance(texts, str | bytes | bytearray | memoryview):
        raise TypeError(
            f"{function} takes an iterable of str (a list, a file), not a "
            f"{type(texts).__name__}, whose items would be characters; "
            f"for one value use cdcpos.parse(), or pass [text]"
        )


def _as_reported(error: InvalidPosition | TypeError, entry: str, index: int) -> InvalidPosition:
    """A bad item as ``collect`` reports it: an item that is not a ``str`` too."""
    if isinstance(error, InvalidPosition):
        return error
    return InvalidPosition(
        error.args[0], field=ENTRY_FIELDS[entry], text=None, index=index, hint=_type_hint(error)
    )


def _type_hint(error: TypeError) -> str | None:
    return "open the file in text mode" if "text mode" in str(error) else None


_Problems = list[tuple[int, "InvalidPosition | TypeError"]]


def _parse_all(
    texts: Iterable[object], entry: str, engine: str | None, lenient: bool, errors: str
) -> tuple[list[Position], _Problems]:
    """Values, and the bad items as ``(index, InvalidPosition or TypeError)``; with
    ``errors='raise'`` the first bad item raises instead."""
    values: list[Position] = PositionList()  # pickles in bulk (a process pool's return)
    problems: _Problems = []
    append = values.append
    if engine is None and not lenient:
        # The hot loop: one derived-regex match and one constructor per string.  Any
        # item it cannot take whole (a str subclass too: it must be read by its plain
        # text, never by its own __len__) goes through the full single-string path.
        match = matcher(entry)
        build = builders_by_group(entry)
        limit = MAX_LENGTH
        for index, text in enumerate(texts):
            if type(text) is str and len(text) <= limit:
                found = match(text)
                if found is not None:
                    try:
                        append(build[found.lastindex](text))  # type: ignore[index]
                        continue
                    except Rejected:
                        pass
            _parse_slow_item(entry, text, None, False, index, errors, append, problems)
    else:
        for index, text in enumerate(texts):
            _parse_slow_item(entry, text, engine, lenient, index, errors, append, problems)
    return values, problems


def _parse_slow_item(
    entry: str,
    text: object,
    engine: str | None,
    lenient: bool,
    index: int,
    errors: str,
    append: Callable[[Position], None],
    problems: _Problems,
) -> None:
    try:
        append(_parse_one(entry, text, engine, lenient))
    except InvalidPosition as error:
        if errors == "raise":
            raise error.with_index(index) from None
        if errors == "collect":
            problems.append((index, error.with_index(index)))
    except TypeError as error:  # an item that is not a str
        if errors == "raise":
            raise TypeError(f"item {index}: {error}") from None
        if errors == "collect":
            problems.append((index, error))


def iter_parse(
    lines: Iterable[str],
    *,
    kind: str | None = None,
    engine: str | None = None,
    errors: str = "raise",
    lenient: bool = False,
    chunk_size: int = 4096,
) -> Iterator[Position | InvalidPosition]:
    """Parse lines lazily (a file object opened in text mode works), in constant memory.

    Line terminators (``\\n``, ``\\r\\n``) are removed; nothing else is.  ``errors``:
    ``'raise'``, ``'skip'``, or ``'collect'`` (the error is yielded in the value's place).
    Work is done in chunks of ``chunk_size`` lines through :func:`parse_many`, and items
    that are not ``str`` are treated as there.  A ``str``, ``bytes`` or a file opened in
    binary mode is a ``TypeError``.

    >>> import cdcpos, io
    >>> list(cdcpos.iter_parse(io.StringIO("0/1\\n0/2\\r\\n")))
    [PostgresLsn('0/1'), PostgresLsn('0/2')]
    """
    # Arguments are checked now, not at the first next() of a generator.
    _check_errors(errors)
    entry = _entry_of(kind)
    _check_iterable(lines, "iter_parse")
    if isinstance(lines, io.RawIOBase | io.BufferedIOBase) or "b" in str(
        getattr(lines, "mode", "")
    ):
        raise TypeError(
            "iter_parse reads lines of text: open the file in text mode "
            "(open(path, encoding='utf-8')), not binary mode"
        )
    return _iter_chunks(lines, entry, engine, errors, lenient, chunk_size)


def _iter_chunks(
    lines: Iterable[object],
    entry: str,
    engine: str | None,
    errors: str,
    lenient: bool,
    chunk_size: int,
) -> Iterator[Position | InvalidPosition]:
    start = 0
    chunk: list[object] = []
    for line in lines:
        if isinstance(line, str):
            line = str.__str__(line)  # a str subclass by its text
            if line.endswith("\n"):
                line = line[:-2] if line.endswith("\r\n") else line[:-1]
        chunk.append(line)
        if len(chunk) >= chunk_size:
            yield from _parse_chunk(chunk, start, entry, engine, errors, lenient)
            start += len(chunk)
            chunk = []
    if chunk:
        yield from _parse_chunk(chunk, start, entry, engine, errors, lenient)


def _parse_chunk(
    chunk: list[object],
    start: int,
    entry: str,
    engine: str | None,
    errors: str,
    lenient: bool,
) -> Iterator[Position | InvalidPosition]:
    _pause_gc()  # per chunk, never across a yield
    try:
        values, problems = _parse_all(chunk, entry, engine, lenient, "collect")
    finally:
        _resume_gc()
    if not problems:
        yield from values
        return
    if errors == "raise":
        index, error = problems[0]
        yield from values[:index]
        if isinstance(error, InvalidPosition):
            raise error.with_index(start + index)
        if isinstance(chunk[index], bytes | bytearray):
            raise TypeError(
                f"line {start + index + 1} is bytes: iter_parse reads text; open the file "
                "in text mode (open(path, encoding='utf-8'))"
            )
        raise TypeError(f"item {start + index}: {error}")
    if errors == "skip":
        yield from values
        return
    bad = {
        index: _as_reported(error, entry, start + index).with_index(start + index)
        for index, error in problems
    }
    ok = iter(values)
    for index in range(len(chunk)):
        yield bad[index] if index in bad else next(ok)
