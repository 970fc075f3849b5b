"""Parsing: the public entry points, the bulk path, lenient input and error reports.

Every entry point first tries the regular expression derived from the grammar
(``cdcpos._fastpath``).  When it does not match, lark parses the string with the grammar
itself and decides (``cdcpos._lark``); the error then names the exact column of the first
problem, found by partial matching of the same derived expression, and a hint when the
input matches a known mistake (``cdcpos._hints``).  Valid input never imports lark.
"""

from __future__ import annotations

import operator
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any, Literal, overload

from cdcpos import _fastpath, _values
from cdcpos._engines import KIND_FAMILY, NO_TIME_START, describe_kind, family_of_engine
from cdcpos._errors import InvalidPosition
from cdcpos._values import (
    Checkpoint,
    CommitTime,
    DatePosition,
    Db2Lri,
    Db2Now,
    Db2Timestamp,
    MySqlBinlogPosition,
    MySqlStreamPosition,
    OpaquePosition,
    OracleScn,
    OracleStreamPosition,
    Position,
    PostgresLsn,
    Rejected,
    ServerTime,
    SqlServerLsn,
)

__all__ = [
    "MAX_LENGTH",
    "iter_parse",
    "parse",
    "parse_checkpoint",
    "parse_db2_start_from_context",
    "parse_many",
    "parse_start_position",
    "parse_stop_position",
]

#: The longest input any entry point reads.  Real checkpoints fit the ``varchar(1024)``
#: column of ``awsdms_txn_state``; this leaves room, and is checked before any regex work.
MAX_LENGTH = 4096

# Grammar rule -> the class whose ``_from_token`` builds its value from the matched text.
RULE_CLASSES: dict[str, Any] = {
    "date": DatePosition,
    "checkpoint": Checkpoint,
    "mysql_binlog": MySqlBinlogPosition,
    "postgres_lsn": PostgresLsn,
    "sqlserver_lsn": SqlServerLsn,
    "oracle_scn": OracleScn,
    "server_time": ServerTime,
    "commit_time": CommitTime,
    "db2_timestamp": Db2Timestamp,
    "db2_now": Db2Now,
    "db2_lri": Db2Lri,
}
_BUILD: dict[str, Callable[[str], Position]] = {
    rule: cls._from_token for rule, cls in RULE_CLASSES.items()
}


def _no_rule(text: str) -> Position:  # pragma: no cover - entry patterns capture only rules
    raise AssertionError("a group that is not a value rule matched")


# Entry points: the grammar's start symbols, plus "any" (a start or a stop position).
_ENTRY_PATTERNS = dict(_fastpath.ENTRY_PATTERNS)
_ENTRY_PATTERNS["any"] = _ENTRY_PATTERNS["start_position"] + "|" + _ENTRY_PATTERNS["stop_position"]
_FIELDS = {
    "start_position": "CdcStartPosition",
    "stop_position": "CdcStopPosition",
    "checkpoint": "RecoveryCheckpoint",
    "db2_start_from_context": "StartFromContext",
    "any": "position",
}
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

# Compiled lazily: `import cdcpos` compiles nothing.  A race compiles twice, harmlessly.
_compiled: dict[str, re.Pattern[str]] = {}


def _entry_expression(entry: str) -> re.Pattern[str]:
    found = _compiled.get(entry)
    if found is None:
        found = _compiled[entry] = re.compile(_ENTRY_PATTERNS[entry])
    return found


def matcher(entry: str) -> Callable[[str], re.Match[str] | None]:
    """The compiled ``fullmatch`` of an entry point's derived expression."""
    return _entry_expression(entry).fullmatch


_builders: dict[str, list[Callable[[str], Position]]] = {}


def builders_by_group(entry: str) -> list[Callable[[str], Position]]:
    """The constructor of each capturing group of an entry's expression (``lastindex``)."""
    found = _builders.get(entry)
    if found is None:
        groups = _entry_expression(entry).groupindex
        found = [_no_rule] * (len(groups) + 1)
        for rule, index in groups.items():
            found[index] = _BUILD[rule]
        _builders[entry] = found
    return found


def entry_pattern(entry: str) -> str:
    return _ENTRY_PATTERNS[entry]


def _checkpoint_decoder() -> Callable[[str], Any]:
    """A decoder of checkpoint text laid out from the checkpoint rule's capture groups.

    The groups are the rule's named terminals in order: the version, the counters, and
    two runs of position alternatives (the position, then the second position or ``*``).
    """
    names = _fastpath.RULE_GROUP_TERMINALS["checkpoint"]
    roles = _values._CHECKPOINT_ROLES
    version_index = names.index("CHECKPOINT_VERSION")
    counters = operator.itemgetter(*(i for i, n in enumerate(names) if n == "CHECKPOINT_COUNTER"))
    runs: list[list[tuple[int, Any]]] = []
    for index, name in enumerate(names):
        if name == "NO_POSITION" or name in _values.CHECKPOINT_POSITION_CLASSES:
            alternative = (index, None if name == "NO_POSITION" else roles[name])
            if runs and runs[-1][-1][0] == index - 1:
                runs[-1].append(alternative)
            else:
                runs.append([alternative])
    first_run, second_run = runs
    match = re.compile(_fastpath.RULE_PATTERNS["checkpoint"]).fullmatch
    fields = _values.checkpoint_fields

    def decode(text: str) -> Any:
        groups = match(text).groups()  # type: ignore[union-attr]
        first: Any = None
        second: Any = None
        for index, build in first_run:
            if groups[index] is not None:
                first = build(groups[index])
                break
        for index, build in second_run:
            if groups[index] is not None:
                second = None if build is None else build(groups[index])
                break
        return fields(
            int(groups[version_index]), tuple(map(int, counters(groups))), first, second, text
        )

    return decode


def _decode_checkpoint(text: str) -> Any:
    # Built on first use (compiling the expression is not for `import cdcpos`).
    decode = _values.decode_checkpoint = _checkpoint_decoder()
    return decode(text)


_values.decode_checkpoint = _decode_checkpoint


# ====================================================================== one string


def _check_type(text: object, field: str) -> str:
    if type(text) is str:
        return text
    if isinstance(text, str):
        return str(text)  # a str subclass: read its plain text
    raise TypeError(f"{field} must be a str, not {type(text).__name__}")


def _parse_one(
    entry: str, text: object, engine: str | None, lenient: bool, field: str | None = None
) -> Position:
    field = field or _FIELDS[entry]
    original = _check_type(text, field)
    if len(original) > MAX_LENGTH:
        raise InvalidPosition(
            f"too long: {len(original)} characters, the limit is {MAX_LENGTH}",
            field=field,
            text=original,
            hint="real positions and checkpoints are far shorter (varchar(1024) in DMS)",
        )
    candidate = normalize_lenient(original) if lenient else original
    match = matcher(entry)(candidate)
    if match is not None:
        rule = match.lastgroup
        try:
            value = _BUILD[rule](candidate)  # type: ignore[index]
        except Rejected as rejected:
            raise InvalidPosition(
                rejected.reason, field=field, text=original, hint=rejected.hint
            ) from None
    else:
        value = _slow_parse(entry, field, original, candidate, lenient)
    if engine is not None:
        check_engine(value, engine, field=field, text=original)
    return value


def _slow_parse(entry: str, field: str, original: str, candidate: str, lenient: bool) -> Position:
    """The fast path did not match: lark decides, and explains a rejection."""
    from cdcpos._diagnose import diagnose

    return diagnose(entry, field, original, candidate, lenient)


def normalize_lenient(text: str) -> str:
    """Undo what pasting does to a value: whitespace, quotes, a space after the clock.

    >>> normalize_lenient(" “commit_time: 3018-02-09T12:12:12 “ ")
    'commit_time:3018-02-09T12:12:12'
    """
    text = text.strip().lstrip("\ufeff").strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    text = text.strip("".join(_QUOTES)).strip()  # an unpaired quote left behind
    return _CLOCK_SPACE.sub(r"\1:", text)


_QUOTES = ('"', "'", "\u201c", "\u201d", "\u2018", "\u2019")
_CLOCK_SPACE = re.compile(r"^(server_time|commit_time):\s+")


def check_engine(value: Position, engine: str, *, field: str, text: str) -> None:
    """Reject a value that the source engine ``engine`` cannot have written."""
    family = family_of_engine(engine, field=field, text=text)
    kind = value.kind
    if kind == "date":
        if family in NO_TIME_START:
            raise InvalidPosition(
                f"engine {engine!r} cannot start from a date",
                field=field,
                text=text,
                hint=NO_TIME_START[family],
            )
        return
    if kind == "checkpoint":
        kind = value.engine_kind  # type: ignore[attr-defined]
        if kind == "opaque":
            return
    written_by = KIND_FAMILY.get(kind)
    if written_by is None or written_by == family:
        return
    hint = None
    if family == "sqlserver" and kind == "oracle_scn":
        hint = "a SQL Server decimal LSN is a conversion: SqlServerLsn.from_decimal() gives the DMS form"
    what = describe_kind(kind)
    raise InvalidPosition(
        f"{what} ({kind}, written by {written_by} engines) is not a position of engine {engine!r}",
        field=field,
        text=text,
        hint=hint,
    )


def parse_start_position(
    text: str, *, engine: str | None = None, lenient: bool = False
) -> Position:
    """Parse a ``CdcStartPosition``: a date, a checkpoint, or a native position.

    ``engine`` (a DMS ``EngineName``) rejects positions that engine cannot have written;
    ``lenient=True`` first removes surrounding whitespace and quotes.  Raises
    :class:`InvalidPosition`; ``TypeError`` when ``text`` is not a ``str``.

    >>> import cdcpos
    >>> cdcpos.parse_start_position("0/5120E10")
    PostgresLsn('0/5120E10')
    >>> cdcpos.parse_start_position("0/5120E10", engine="mysql")
    Traceback (most recent call last):
    ...
    cdcpos._errors.InvalidPosition: Invalid CdcStartPosition '0/5120E10': a PostgreSQL LSN (postgres_lsn, written by postgres engines) is not a position of engine 'mysql'
    """
    return _parse_one("start_position", text, engine, lenient)


def parse_stop_position(text: str, *, lenient: bool = False) -> Position:
    """Parse a ``CdcStopPosition``: ``server_time:<date>`` or ``commit_time:<date>``.

    >>> import cdcpos
    >>> cdcpos.parse_stop_position("commit_time: 2018-02-09T12:12:12", lenient=True)
    CommitTime('commit_time:2018-02-09T12:12:12')
    """
    return _parse_one("stop_position", text, None, lenient)


def parse_checkpoint(text: str, *, engine: str | None = None, lenient: bool = False) -> Checkpoint:
    """Parse a ``RecoveryCheckpoint``; ``str()`` of the result is exactly ``text``.

    >>> import cdcpos
    >>> s = "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121"
    >>> str(cdcpos.parse_checkpoint(s)) == s
    True
    """
    return _parse_one("checkpoint", text, engine, lenient)  # type: ignore[return-value]


def parse_db2_start_from_context(text: str, *, lenient: bool = False) -> Position:
    """Parse a Db2 LUW ``StartFromContext``: ``timestamp:<date>``, ``NOW`` or a 34-digit LRI.

    >>> import cdcpos
    >>> cdcpos.parse_db2_start_from_context("timestamp:2021-09-21T13:00:00").kind
    'db2_timestamp'
    """
    return _parse_one("db2_start_from_context", text, None, lenient)


def parse(text: str, *, engine: str | None = None, lenient: bool = False) -> Position:
    """Parse any start position, checkpoint or stop position.

    >>> import cdcpos
    >>> [cdcpos.parse(s).kind for s in ("2018-03-08T12:12:12", "16/B374D848",
    ...                                   "server_time:2018-02-09T12:12:12")]
    ['date', 'postgres_lsn', 'server_time']
    """
    return _parse_one("any", text, engine, lenient)


# The entry each kind of value is read from by its class's constructor.
_KIND_ENTRY = {
    "date": "start_position",
    "checkpoint": "checkpoint",
    "mysql_binlog": "start_position",
    "postgres_lsn": "start_position",
    "sqlserver_lsn": "start_position",
    "oracle_scn": "start_position",
    "server_time": "stop_position",
    "commit_time": "stop_position",
    "db2_timestamp": "db2_start_from_context",
    "db2_now": "db2_start_from_context",
    "db2_lri": "db2_start_from_context",
}
# Kinds (or spellings) that occur only inside checkpoints: their checkpoint terminal.
_CHECKPOINT_ONLY: dict[str, tuple[str, Any]] = {
    "mysql_stream": ("CHECKPOINT_MYSQL_STREAM", MySqlStreamPosition),
    "oracle_stream": ("CHECKPOINT_ORACLE_STREAM", OracleStreamPosition),
    "opaque": ("OPAQUE_POSITION", OpaquePosition),
    "mysql_binlog": ("CHECKPOINT_MYSQL_BINLOG", MySqlBinlogPosition),
}


def parse_kind(kind: str, text: object, field: str | None = None) -> Position:
    """Parse ``text`` as one kind of value (the classes' constructors use this).

    ``field`` names the value in messages (the class constructors pass their name).
    """
    field = field or describe_kind(kind)
    if kind in _CHECKPOINT_ONLY:
        terminal, cls = _CHECKPOINT_ONLY[kind]
        checked = _check_type(text, field)
        if len(checked) <= MAX_LENGTH and re.fullmatch(
            f"(?:{_fastpath.TERMINAL_PATTERNS[terminal]})#", checked + "#"
        ):
            return cls._from_token(checked)  # type: ignore[no-any-return]
        if kind not in _KIND_ENTRY:
            raise InvalidPosition(
                f"not {describe_kind(kind)} as written inside a checkpoint",
                field=field,
                text=checked,
            )
    value = _parse_one(_KIND_ENTRY[kind], text, None, False, field=field)
    if value.kind != kind:
        raise InvalidPosition(
            f"this is {describe_kind(value.kind)}, not {describe_kind(kind)}",
            field=field,
            text=str(text),
        )
    return value


# ====================================================================== many strings

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
def parse_many(
    texts: Iterable[str],
    *,
    kind: str | None = ...,
    engine: str | None = ...,
    errors: Literal["collect"],
    lenient: bool = ...,
) -> tuple[list[Position], list[tuple[int, InvalidPosition]]]: ...


def parse_many(
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

    >>> import cdcpos
    >>> cdcpos.parse_many(["0/1", "0/2"])
    [PostgresLsn('0/1'), PostgresLsn('0/2')]
    >>> values, problems = cdcpos.parse_many(["0/1", "0/x"], errors="collect")
    >>> values, [(i, e.column) for i, e in problems]
    ([PostgresLsn('0/1')], [(1, 3)])
    """
    _check_errors(errors)
    entry = _entry_of(kind)
    values: list[Position] = []
    problems: list[tuple[int, InvalidPosition]] = []
    append = values.append
    if engine is None and not lenient:
        # The hot loop: one derived-regex match and one constructor per string.  Any
        # string it cannot take whole goes through the full single-string path.
        match = matcher(entry)
        build = builders_by_group(entry)
        limit = MAX_LENGTH
        for index, text in enumerate(texts):
            try:
                found = match(text) if len(text) <= limit else None
            except TypeError:  # not a str: the slow path says so
                found = None
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
    if errors == "collect":
        return values, problems
    return values


def _parse_slow_item(
    entry: str,
    text: object,
    engine: str | None,
    lenient: bool,
    index: int,
    errors: str,
    append: Callable[[Position], None],
    problems: list[tuple[int, InvalidPosition]],
) -> None:
    try:
        append(_parse_one(entry, text, engine, lenient))
    except InvalidPosition as error:
        if errors == "raise":
            raise error.with_index(index) from None
        if errors == "collect":
            problems.append((index, error.with_index(index)))


def iter_parse(
    lines: Iterable[str],
    *,
    kind: str | None = None,
    engine: str | None = None,
    errors: str = "raise",
    lenient: bool = False,
    chunk_size: int = 4096,
) -> Iterator[Position | InvalidPosition]:
    """Parse lines lazily (a file object works), in constant memory.

    Line terminators (``\\n``, ``\\r\\n``) are removed; nothing else is.  ``errors``:
    ``'raise'``, ``'skip'``, or ``'collect'`` (the error is yielded in the value's place).
    Work is done in chunks of ``chunk_size`` lines through :func:`parse_many`.

    >>> import cdcpos, io
    >>> list(cdcpos.iter_parse(io.StringIO("0/1\\n0/2\\r\\n")))
    [PostgresLsn('0/1'), PostgresLsn('0/2')]
    """
    # Arguments are checked now, not at the first next() of a generator.
    _check_errors(errors)
    _entry_of(kind)
    return _iter_chunks(lines, kind, engine, errors, lenient, chunk_size)


def _iter_chunks(
    lines: Iterable[str],
    kind: str | None,
    engine: str | None,
    errors: str,
    lenient: bool,
    chunk_size: int,
) -> Iterator[Position | InvalidPosition]:
    start = 0
    chunk: list[str] = []
    for line in lines:
        if line.endswith("\n"):
            line = line[:-2] if line.endswith("\r\n") else line[:-1]
        chunk.append(line)
        if len(chunk) >= chunk_size:
            yield from _parse_chunk(chunk, start, kind, engine, errors, lenient)
            start += len(chunk)
            chunk = []
    if chunk:
        yield from _parse_chunk(chunk, start, kind, engine, errors, lenient)


def _parse_chunk(
    chunk: list[str], start: int, kind: str | None, engine: str | None, errors: str, lenient: bool
) -> Iterator[Position | InvalidPosition]:
    values, problems = parse_many(
        chunk, kind=kind, engine=engine, errors="collect", lenient=lenient
    )
    if not problems:
        yield from values
        return
    if errors == "raise":
        index, error = problems[0]
        yield from values[:index]
        raise error.with_index(start + index)
    if errors == "skip":
        yield from values
        return
    bad = {index: error.with_index(start + index) for index, error in problems}
    ok = iter(values)
    for index in range(len(chunk)):
        yield bad[index] if index in bad else next(ok)
