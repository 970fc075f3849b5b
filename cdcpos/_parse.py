"""Parsing one string: the public entry points, lenient input and engine hints.

Layer L4 (tests/test_layers.py).  Every entry point matches the regular expression
derived from the grammar (``cdcpos._rules``, from ``cdcpos._fastpath``); the rule that
matched names the class that builds the value.  When it does not match, the input is not
in the grammar (tests/test_fastpath.py proves the expression equal to lark on strings
generated from the grammar), and ``cdcpos._diagnose`` says why: the exact column of the
first problem and a hint when the input matches a known mistake.  Parsing never imports
lark.  Many strings at once: ``cdcpos._bulk``.
"""

from __future__ import annotations

from cdcpos._engines import (
    CHECKPOINT_SHAPES,
    KIND_FAMILY,
    NO_TIME_START,
    describe_kind,
    family_of_engine,
)
from cdcpos._errors import InvalidPosition, Rejected
from cdcpos._positions import (
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
    ServerTime,
    SqlServerLsn,
)
from cdcpos._rules import (
    CHECKPOINT_TERMINALS,
    ENTRY_FIELDS,
    MAX_LENGTH,
    dispatch_matcher,
    entry_matcher,
    entry_rules,
    plain_text,
    position_kind,
)

# Not imported by ``import cdcpos`` (a cold start near the interpreter's own): typing
# only for the checker, re and cdcpos._diagnose (which compiles its hints' expressions)
# when first needed, that is on the first rejection.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable
    from typing import Any

__all__ = [
    "MAX_LENGTH",
    "parse",
    "parse_checkpoint",
    "parse_db2_start_from_context",
    "parse_start_position",
    "parse_stop_position",
]

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


#: The compiled ``fullmatch`` of an entry point's derived expression.
matcher = entry_matcher


_builders: dict[str, list[Callable[[str], Position]]] = {}


def builders_by_group(entry: str) -> list[Callable[[str], Position]]:
    """The constructor of each capturing group of an entry's expression (``lastindex``)."""
    found = _builders.get(entry)
    if found is None:
        found = _builders[entry] = [
            _no_rule if rule is None else _BUILD[rule] for rule in entry_rules(entry)
        ]
    return found


# Kinds (or spellings) that occur inside checkpoints: their terminal and class (the
# pydantic schemas read it).
_CHECKPOINT_ONLY: dict[str, tuple[str, Any]] = {
    kind: (terminal, cls)
    for kind, terminal, cls in (
        ("mysql_stream", CHECKPOINT_TERMINALS["mysql_stream"], MySqlStreamPosition),
        ("oracle_stream", CHECKPOINT_TERMINALS["oracle_stream"], OracleStreamPosition),
        ("opaque", CHECKPOINT_TERMINALS["opaque"], OpaquePosition),
        ("mysql_binlog", CHECKPOINT_TERMINALS["mysql_binlog"], MySqlBinlogPosition),
    )
}


# ====================================================================== one string


def _parse_one(
    entry: str, text: object, engine: str | None, lenient: bool, field: str | None = None
) -> Position:
    field = field or ENTRY_FIELDS[entry]
    original = plain_text(text, field)
    if len(original) > MAX_LENGTH:
        from cdcpos._diagnose import too_long

        raise too_long(field, original)
    candidate = normalize_lenient(original) if lenient else original
    match = dispatch_matcher(entry)(candidate)
    if match is not None:
        rule = match.lastgroup
        try:
            value = _BUILD[rule](candidate)  # type: ignore[index]
        except Rejected as rejected:
            raise InvalidPosition(
                rejected.reason, field=field, text=original, hint=rejected.hint
            ) from None
    else:
        from cdcpos._diagnose import diagnose

        raise diagnose(entry, field, original, candidate, lenient) from None
    if engine is not None:
        check_engine(value, engine, field=field, text=original)
    return value


def normalize_lenient(text: str) -> str:
    """Undo what pasting does to a value: whitespace, quotes, a space after the clock.

    >>> normalize_lenient(" “commit_time: 3018-02-09T12:12:12 “ ")
    'commit_time:3018-02-09T12:12:12'
    """
    text = text.strip().lstrip("\ufeff").strip()
    while len(text) >= 2 and text[0] in _QUOTES and text[-1] in _QUOTES:
        text = text[1:-1].strip()
    text = text.strip("".join(_QUOTES)).strip()  # an unpaired quote left behind
    if not _CLOCK_SPACE:
        import re

        _CLOCK_SPACE.append(re.compile(r"^(server_time|commit_time):\s+"))
    return _CLOCK_SPACE[0].sub(r"\1:", text)


_QUOTES = ('"', "'", "\u201c", "\u201d", "\u2018", "\u2019")
_CLOCK_SPACE: list[re.Pattern[str]] = []  # compiled on first use


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
        _check_opaque_positions(value, engine, family, field=field, text=text)  # type: ignore[arg-type]
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


def _check_opaque_positions(
    value: Checkpoint, engine: str, family: str, *, field: str, text: str
) -> None:
    """An engine whose shapes cdcpos knows writes no opaque position [decision]: such a
    position is an error saying which of that engine's shapes it comes nearest to."""
    shapes = CHECKPOINT_SHAPES.get(family)
    if shapes is None:  # an engine whose shapes cdcpos does not know: opaque is its form
        return
    checkpoint = str(value)
    offset = max(text.find(checkpoint), 0)  # lenient input: where the checkpoint starts
    fields = checkpoint.split("#")
    for which, number in (("position", 2), ("second position", 5)):
        if fields[number] == "*" or position_kind(fields[number]) != "opaque":
            continue  # no second position, or a known shape
        position = fields[number]
        from cdcpos import _diagnose  # the error path only: import cdcpos stays cheap

        kind, index, expected, problem = _diagnose.nearest_shape(shapes, position)
        start = offset + sum(len(f) + 1 for f in fields[:number])
        shown = ", ".join(describe_kind(s) for s in shapes)
        raise InvalidPosition(
            f"the {which} {position!r} is not a position of engine {engine!r}: not "
            f"{describe_kind(kind)}: {problem}",
            field=field,
            text=text,
            column=start + index + 1,
            expected=expected,
            hint=f"engine {engine!r} writes {shown} in checkpoints; without an engine (or for "
            "an engine whose positions cdcpos does not know) other fields are opaque positions",
        )


def parse_start_position(
    text: str, *, engine: str | None = None, lenient: bool = False
) -> Position:
    """Parse a ``CdcStartPosition``: a date, a checkpoint, or a native position.

    ``engine`` (a DMS ``EngineName``) rejects positions that engine cannot have written
    (for an engine whose checkpoint positions cdcpos knows, an opaque position too, with
    the nearest of that engine's shapes in the message);
    ``lenient=True`` first removes surrounding whitespace and quotes.  Raises
    :class:`InvalidPosition`; ``TypeError`` when ``text`` is not a ``str``.

    >>> import cdcpos
    >>> cdcpos.parse_start_position("0/5120E10")
    PostgresLsn('0/5120E10')
    >>> cdcpos.parse_start_position("0/5120E10", engine="mysql")
    Traceback (most recent call last):
    ...
    cdcpos.InvalidPosition: Invalid CdcStartPosition '0/5120E10': a PostgreSQL LSN (postgres_lsn, written by postgres engines) is not a position of engine 'mysql'
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
