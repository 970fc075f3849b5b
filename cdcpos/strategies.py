"""Hypothesis strategies for every kind of AWS DMS CDC position, to test your own tools.

Install with ``pip install "cdcpos[hypothesis]"``.  Once cdcpos is installed,
``st.from_type(cdcpos.PostgresLsn)`` (and every other value class) works too, through the
``hypothesis`` entry point (``cdcpos._hypothesis_plugin``).

What there is:

* **values** of each kind (:func:`postgres_lsns`, :func:`checkpoints`, ...), and of each
  field (:func:`start_positions`, :func:`stop_positions`, :func:`positions`);
* **strings** that cdcpos accepts: :func:`strings` for one kind, in canonical and every
  accepted non-canonical spelling (``000004af/b00000d0`` for ``4AF/B00000D0``), and
  :func:`start_position_strings` and friends for whole fields; :func:`checkpoint_strings`
  per engine shape; :func:`pasted` for what ``lenient=True`` also accepts;
* :func:`start_times` (every ``CdcStartTime`` form), :func:`task_arns` and
  :func:`start_replication_task_requests` (``StartReplicationTask`` keyword dicts);
* ``invalid_*``: near misses, one edit away from a valid string, that cdcpos rejects
  (for testing error paths).

The strings come from the grammar itself (``grammar/cdcpos.lark``) through
:func:`hypothesis.extra.lark.from_lark`: this module holds no second copy of the format
rules.  Only what a regular grammar cannot say is added here, by asking the value
classes: an instant is drawn as a ``datetime`` and written by its class (a digit pattern
almost never spells a real calendar day), an Oracle SCN is kept below 2**64, and a token
is kept only when the grammar's lexer reads it as the intended kind.

>>> import cdcpos
>>> from hypothesis import given
>>> from cdcpos import strategies
>>> @given(strategies.start_position_strings())
... def test_round_trip(text):
...     value = cdcpos.parse_start_position(text)
...     assert cdcpos.parse_start_position(str(value)) == value
>>> test_round_trip()
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from decimal import Decimal
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import cdcpos
from cdcpos import _fastpath
from cdcpos._engines import KIND_FAMILY, family_of_engine
from cdcpos._errors import Rejected
from cdcpos._parse import RULE_CLASSES, normalize_lenient
from cdcpos._positions.base import Position
from cdcpos._positions.checkpoint import CHECKPOINT_POSITION_CLASSES
from cdcpos._positions.times import _Instant
from cdcpos._rules import position_kind

__all__ = [
    "CHECKPOINT_POSITION_KINDS",
    "KINDS",
    "checkpoint_strings",
    "checkpoints",
    "commit_times",
    "dates",
    "db2_lris",
    "db2_nows",
    "db2_start_from_context_strings",
    "db2_start_from_contexts",
    "db2_timestamps",
    "invalid_checkpoint_strings",
    "invalid_db2_start_from_context_strings",
    "invalid_position_strings",
    "invalid_start_position_strings",
    "invalid_start_times",
    "invalid_stop_position_strings",
    "invalid_strings",
    "mysql_binlog_positions",
    "mysql_stream_positions",
    "opaque_positions",
    "oracle_scns",
    "oracle_stream_positions",
    "pasted",
    "position_strings",
    "positions",
    "postgres_lsns",
    "server_times",
    "sqlserver_lsns",
    "start_position_strings",
    "start_positions",
    "start_replication_task_requests",
    "start_times",
    "stop_position_strings",
    "stop_positions",
    "strings",
    "task_arns",
    "values",
    "values_of_type",
]

# ====================================================================== the grammar

# Every value class, by kind.
_CLASSES: dict[str, type[Position]] = {
    cls.kind: cls
    for cls in (getattr(cdcpos, name) for name in cdcpos.__all__)
    if isinstance(cls, type) and issubclass(cls, Position) and hasattr(cls, "kind")
}
#: Every kind of value cdcpos has, in a stable order.
KINDS: tuple[str, ...] = tuple(sorted(_CLASSES))
# Checkpoint position terminal -> kind, from the core's own table.
_CHECKPOINT_TERMINAL_KIND = {
    terminal: cls.kind for terminal, cls in CHECKPOINT_POSITION_CLASSES.items()
}
#: The kinds a checkpoint's position can have: one engine shape each (``opaque`` is an
#: engine cdcpos does not know).
CHECKPOINT_POSITION_KINDS: tuple[str, ...] = tuple(_CHECKPOINT_TERMINAL_KIND.values())
# The entry points (grammar start symbols) and the public function reading each.
_ENTRY_PARSERS: dict[str, Callable[[str], Position]] = {
    "start_position": cdcpos.parse_start_position,
    "stop_position": cdcpos.parse_stop_position,
    "checkpoint": cdcpos.parse_checkpoint,
    "db2_start_from_context": cdcpos.parse_db2_start_from_context,
    "any": cdcpos.parse,
}
# A value rule's terminal, for the rules made of exactly one terminal.
_RULE_TERMINAL = {
    rule: terminals[0]
    for rule, terminals in _fastpath.RULE_GROUP_TERMINALS.items()
    if len(terminals) == 1
}
_TERMINAL_CLASS: dict[str, type[Position]] = {
    **{terminal: RULE_CLASSES[rule] for rule, terminal in _RULE_TERMINAL.items()},
    **CHECKPOINT_POSITION_CLASSES,
}
_MAX_INSTANT = datetime(9999, 12, 31, 23, 59, 59)


@cache
def _grammar() -> Any:
    """The grammar as lark compiled it (no transformer: trees of tokens)."""
    from cdcpos._lark import lark_parser

    return lark_parser(transform=False)


@cache
def _terminal_pattern(name: str) -> str:
    for terminal in _grammar().terminals:
        if terminal.name == name:
            return str(terminal.pattern.to_regexp())
    raise KeyError(name)


def _builds(cls: type[Position]) -> Callable[[str], bool]:
    """Whether the class accepts a token the grammar accepted (a real day, an SCN < 2**64)."""

    def builds(token: str) -> bool:
        try:
            cls._from_token(token)  # type: ignore[attr-defined]
        except Rejected:
            return False
        return True

    return builds


_TRAILING_LOOKAHEAD = re.compile(r"(.*)\(\?=([^()]*)\)")


@cache
def _terminal(name: str) -> SearchStrategy[str]:
    """Tokens of one terminal of the grammar that its value class accepts."""
    cls: Any = _TERMINAL_CLASS.get(name)
    if cls is not None and issubclass(cls, _Instant):
        # A run of digits almost never spells a real calendar instant: draw the instant
        # and let its class write it (an instant has exactly one spelling).
        return _instants().map(lambda d: str(cls(d)))
    pattern = _terminal_pattern(name)
    context = _TRAILING_LOOKAHEAD.fullmatch(pattern)
    if context is not None:
        # The terminal looks ahead at what follows it (the '#' after a checkpoint field):
        # generate the token followed by that context, then keep the token alone.
        body, following = context.groups()
        compiled = re.compile(pattern)
        tokens = (
            st.from_regex(f"(?:{body})(?:{following})", fullmatch=True)
            .map(compiled.match)
            .filter(lambda m: m is not None and m.end() > 0)
            .map(lambda m: m.group(0))  # type: ignore[union-attr]
        )
    else:
        tokens = st.from_regex(pattern, fullmatch=True)
    if cls is None:
        return tokens
    tokens = tokens.filter(_builds(cls))
    maximum = getattr(cls, "_max", None)
    if maximum is not None:
        # Integer positions: their canonical spelling of any value, edges included.
        canonical = st.integers(min_value=0, max_value=maximum).map(lambda n: str(cls(n)))
        tokens = st.one_of(tokens, canonical)
    return tokens


def _instants() -> SearchStrategy[datetime]:
    return st.datetimes(min_value=datetime(1, 1, 1), max_value=_MAX_INSTANT).map(
        lambda d: d.replace(microsecond=0)
    )


@cache
def _terminal_names(start: str) -> frozenset[str]:
    terminals, rules, _ = _grammar().grammar.compile([start], ())
    names = {t.name for t in terminals}
    for rule in rules:
        names.update(s.name for s in rule.expansion if s.is_term)
    return frozenset(names)


def _from_grammar(
    start: str, overrides: dict[str, SearchStrategy[str]] | None = None
) -> SearchStrategy[str]:
    """Strings of a grammar rule, every terminal drawn by :func:`_terminal`."""
    from hypothesis.extra.lark import from_lark

    names = _terminal_names(start)
    explicit = {name: _terminal(name) for name in names}
    explicit.update({k: v for k, v in (overrides or {}).items() if k in names})
    strategy: SearchStrategy[str] = from_lark(_grammar(), start=start, explicit=explicit)
    if start in ("checkpoint", "start_position"):
        # One engine per checkpoint: the grammar lets two known shapes of two engines
        # through, the checkpoint class rejects them (cdcpos._positions.checkpoint).
        strategy = strategy.filter(_one_engine)
    return strategy


def _one_engine(text: str) -> bool:
    fields = text.split("#")
    if not text.startswith("checkpoint:") or len(fields) != 8 or fields[5] == "*":
        return True
    kinds = (position_kind(fields[2]), position_kind(fields[5]))
    return len({KIND_FAMILY[k] for k in kinds if k in KIND_FAMILY}) <= 1


def _lexed_kinds(entry: str, text: str) -> list[str]:
    """The kinds of the position tokens lark's lexer reads in ``text`` (the grammar decides)."""
    tree = _grammar().parse(text, start=entry)
    found = []
    for token in tree.scan_values(lambda v: hasattr(v, "type")):
        if token.type in _CHECKPOINT_TERMINAL_KIND:
            found.append(_CHECKPOINT_TERMINAL_KIND[token.type])
        elif token.type == "NO_POSITION":
            found.append("*")
    return found


# ====================================================================== strings


def _check_kind(kind: str) -> str:
    if kind not in _CLASSES:
        raise ValueError(f"unknown kind {kind!r}; expected one of {', '.join(KINDS)}")
    return kind


@cache
def _position_tokens(kind: str) -> SearchStrategy[str]:
    """Tokens of a checkpoint position of one engine shape, as the lexer reads them."""
    (terminal,) = (t for t, k in _CHECKPOINT_TERMINAL_KIND.items() if k == kind)
    priority = {t.name: t.priority for t in _grammar().terminals}
    # The lexer tries terminals by priority: a token that a terminal of at least the same
    # priority also matches (followed by the '#' that ends the field) is not this shape.
    shadowing = [
        re.compile(_terminal_pattern(other))
        for other in _CHECKPOINT_TERMINAL_KIND
        if other != terminal and priority[other] >= priority[terminal]
    ]
    return _terminal(terminal).filter(
        lambda token: not any(p.match(token + "#") for p in shadowing)
    )


def strings(kind: str, *, canonical: bool = False) -> SearchStrategy[str]:
    """Strings of one kind of value that cdcpos accepts.

    With ``canonical=True``, only the canonical spelling (``str()`` of a value); else
    every spelling the grammar accepts for that kind (``000004af/b00000d0`` as well as
    ``4AF/B00000D0``).  Checkpoint-only kinds (``mysql_stream``, ``oracle_stream``,
    ``opaque``) give the text of a checkpoint's position field, which their class
    constructor reads.

    >>> import cdcpos
    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.strings("postgres_lsn"), lambda s: s != s.upper())
    '0/a'
    >>> find(strategies.strings("sqlserver_lsn", canonical=True), lambda s: True)
    '00000000:00000000:0000'
    """
    _check_kind(kind)
    if canonical:
        return values(kind).map(str)
    if kind in RULE_CLASSES:
        return _from_grammar(kind).filter(lambda s: _parsed_kind(s) == kind)
    return _position_tokens(kind)


def _parsed_kind(text: str) -> str | None:
    """The kind lark's grammar reads a top-level string as (None if it rejects it)."""
    from lark.exceptions import LarkError

    for entry in ("start_position", "stop_position", "db2_start_from_context"):
        try:
            tree = _grammar().parse(text, start=entry)
        except LarkError:
            continue
        return str(tree.data)
    return None


def start_position_strings() -> SearchStrategy[str]:
    """Every ``CdcStartPosition`` string cdcpos accepts: dates, checkpoints, native positions.

    >>> import cdcpos
    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.start_position_strings(), lambda s: "/" in s and len(s) > 3)
    '0/10'
    """
    return _from_grammar("start_position")


def stop_position_strings() -> SearchStrategy[str]:
    """``server_time:<date>`` and ``commit_time:<date>`` strings (real calendar instants).

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.stop_position_strings(), lambda s: s.startswith("commit"))
    'commit_time:2000-01-01T00:00:00'
    """
    return _from_grammar("stop_position")


def db2_start_from_context_strings() -> SearchStrategy[str]:
    """Db2 LUW ``StartFromContext`` strings: ``timestamp:<date>``, ``NOW`` or an LRI.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.db2_start_from_context_strings(), lambda s: not s.startswith("t"))
    'NOW'
    """
    return _from_grammar("db2_start_from_context")


def position_strings() -> SearchStrategy[str]:
    """Every string :func:`cdcpos.parse` accepts: a start or a stop position.

    >>> import cdcpos
    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.position_strings(), lambda s: cdcpos.parse(s).kind == "server_time")
    'server_time:2000-01-01T00:00:00'
    """
    return st.one_of(start_position_strings(), stop_position_strings())


def _engine_kinds(engine: str | None, position_kind: str | None) -> tuple[str, ...]:
    if position_kind is not None:
        if position_kind not in CHECKPOINT_POSITION_KINDS:
            raise ValueError(
                f"a checkpoint position has no kind {position_kind!r}; expected one of "
                + ", ".join(CHECKPOINT_POSITION_KINDS)
            )
        return (position_kind,)
    if engine is not None:
        family = family_of_engine(engine, field="engine", text=engine)
        kinds = tuple(k for k in CHECKPOINT_POSITION_KINDS if KIND_FAMILY.get(k) == family)
        if not kinds:
            raise ValueError(f"cdcpos knows no checkpoint position written by engine {engine!r}")
        return kinds
    return CHECKPOINT_POSITION_KINDS


def checkpoint_strings(
    *, engine: str | None = None, position_kind: str | None = None
) -> SearchStrategy[str]:
    """Recovery checkpoints, from the grammar; ``str(parse_checkpoint(s)) == s`` for each.

    ``engine`` (a DMS ``EngineName``) or ``position_kind`` (one of
    :data:`CHECKPOINT_POSITION_KINDS`) keeps one engine shape: both positions of the
    checkpoint then have that shape (the second may be ``*``).  Without either, each
    position may have any shape, as the grammar allows.

    >>> import cdcpos
    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.checkpoint_strings(engine="postgres"), lambda s: "*" in s)
    'checkpoint:V0#0#0/0#0#0#*#0#0'
    >>> ck = find(strategies.checkpoint_strings(position_kind="oracle_stream"), lambda s: True)
    >>> cdcpos.parse_checkpoint(ck).engine_kind
    'oracle_stream'
    """
    kinds = _engine_kinds(engine, position_kind)
    if kinds == CHECKPOINT_POSITION_KINDS:
        overrides = {t: _position_tokens(k) for t, k in _CHECKPOINT_TERMINAL_KIND.items()}
    else:
        # Every position terminal draws a token of the wanted shapes, so whichever
        # alternative of the grammar is taken, the position has that shape.
        shape = st.one_of([_position_tokens(k) for k in kinds])
        overrides = dict.fromkeys(_CHECKPOINT_TERMINAL_KIND, shape)
    allowed = {*kinds, "*"}
    # The grammar has the last word on which shape each position is read as.
    return _from_grammar("checkpoint", overrides).filter(
        lambda s: set(_lexed_kinds("checkpoint", s)) <= allowed
    )


def pasted(texts: SearchStrategy[str]) -> SearchStrategy[str]:
    """What pasting does to a value: whitespace, quotes (also typographic), a space after
    ``server_time:``.  cdcpos accepts the result only with ``lenient=True``.

    >>> import cdcpos
    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> s = find(strategies.pasted(strategies.stop_position_strings()), lambda s: "“" in s)
    >>> cdcpos.parse_stop_position(s, lenient=True).kind in ("server_time", "commit_time")
    True
    """

    @st.composite
    def paste(draw: st.DrawFn) -> str:
        original = draw(texts)
        text = original
        if ":" in text and draw(st.booleans()):
            head, _, tail = text.partition(":")
            text = head + ":" + draw(_whitespace(1)) + tail
            if normalize_lenient(text) != normalize_lenient(original):
                text = original  # only the clock of a stop position takes that space
        if draw(st.booleans()):
            opening, closing = draw(st.sampled_from(_QUOTE_PAIRS))
            text = opening + text + closing
        text = draw(_whitespace(0)) + text + draw(_whitespace(0))
        return text

    return paste().filter(lambda s: s != "" and normalize_lenient(s) != s)


def _whitespace(min_size: int) -> SearchStrategy[str]:
    return st.text(st.sampled_from(_unicode_spaces()), min_size=min_size, max_size=3)


@cache
def _unicode_spaces() -> tuple[str, ...]:
    """Every character ``str.isspace`` calls whitespace (what pasting brings along)."""
    return tuple(c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace())


_QUOTE_PAIRS = (('"', '"'), ("'", "'"), ("\u201c", "\u201d"), ("\u2018", "\u2019"))


# ====================================================================== values


def values(kind: str) -> SearchStrategy[Position]:
    """Values of one kind (``'postgres_lsn'``, ``'checkpoint'``, ... see :data:`KINDS`).

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.values("oracle_scn"), lambda v: int(v) > 10**19)
    OracleScn('10000000000000000001')
    """
    _check_kind(kind)
    return _values(kind)


@cache
def _values(kind: str) -> SearchStrategy[Position]:
    cls = _CLASSES[kind]
    if issubclass(cls, _Instant):
        return _instants().map(cls)
    if kind == "checkpoint":
        return checkpoint_strings().map(cdcpos.parse_checkpoint)
    return strings(kind).map(cls)


def dates() -> SearchStrategy[cdcpos.DatePosition]:
    """Date positions (``2018-03-08T12:12:12``, UTC), from year 1 to 9999.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.dates(), lambda d: d.value.year >= 2018)
    DatePosition('2018-01-01T00:00:00')
    """
    return values("date")  # type: ignore[return-value]


def server_times() -> SearchStrategy[cdcpos.ServerTime]:
    """``server_time:`` stop positions.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.server_times(), lambda v: True)
    ServerTime('server_time:2000-01-01T00:00:00')
    """
    return values("server_time")  # type: ignore[return-value]


def commit_times() -> SearchStrategy[cdcpos.CommitTime]:
    """``commit_time:`` stop positions.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.commit_times(), lambda v: v.value.year < 1970)
    CommitTime('commit_time:1969-01-01T00:00:00')
    """
    return values("commit_time")  # type: ignore[return-value]


def stop_positions() -> SearchStrategy[cdcpos.StopPosition]:
    """Stop positions of either clock.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.stop_positions(), lambda v: v.clock == "commit_time")
    CommitTime('commit_time:2000-01-01T00:00:00')
    """
    return st.one_of(server_times(), commit_times())


def postgres_lsns() -> SearchStrategy[cdcpos.PostgresLsn]:
    """PostgreSQL LSNs, over the whole 64-bit range.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.postgres_lsns(), lambda v: int(v) >= 2**32)
    PostgresLsn('1/0')
    """
    return values("postgres_lsn")  # type: ignore[return-value]


def sqlserver_lsns() -> SearchStrategy[cdcpos.SqlServerLsn]:
    """SQL Server LSNs, over the whole 80-bit range.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.sqlserver_lsns(), lambda v: v.slot > 0)
    SqlServerLsn('00000000:00000000:0001')
    """
    return values("sqlserver_lsn")  # type: ignore[return-value]


def oracle_scns() -> SearchStrategy[cdcpos.OracleScn]:
    """Oracle SCNs, 0 to 2**64-1.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.oracle_scns(), lambda v: int(v) > 6916532)
    OracleScn('6916533')
    """
    return values("oracle_scn")  # type: ignore[return-value]


def mysql_binlog_positions() -> SearchStrategy[cdcpos.MySqlBinlogPosition]:
    """MySQL/MariaDB binlog positions (``mysql-bin-changelog.000024:373``) of any stem.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.mysql_binlog_positions(), lambda v: v.offset > 0)
    MySqlBinlogPosition('0.0:1')
    """
    return values("mysql_binlog")  # type: ignore[return-value]


def mysql_stream_positions() -> SearchStrategy[cdcpos.MySqlStreamPosition]:
    """The 7-field MySQL positions found inside checkpoints.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.mysql_stream_positions(), lambda v: v.transaction_id > 0)
    MySqlStreamPosition('$.0:0:0:0:1:$.0:0')
    """
    return values("mysql_stream")  # type: ignore[return-value]


def oracle_stream_positions() -> SearchStrategy[cdcpos.OracleStreamPosition]:
    """The Oracle-shaped positions found inside checkpoints.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.oracle_stream_positions(), lambda v: True)
    OracleStreamPosition('00000000.00000000.00000000.0000.00.0000:0.0.0')
    """
    return values("oracle_stream")  # type: ignore[return-value]


def opaque_positions() -> SearchStrategy[cdcpos.OpaquePosition]:
    """Checkpoint positions of engines cdcpos does not know (kept as text).

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.opaque_positions(), lambda v: True).kind
    'opaque'
    """
    return values("opaque")  # type: ignore[return-value]


def checkpoints(
    *, engine: str | None = None, position_kind: str | None = None
) -> SearchStrategy[cdcpos.Checkpoint]:
    """Recovery checkpoints; ``engine``/``position_kind`` as in :func:`checkpoint_strings`.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.checkpoints(engine="sqlserver"), lambda c: c.second_position).position
    SqlServerLsn('00000000:00000000:0000')
    """
    return checkpoint_strings(engine=engine, position_kind=position_kind).map(
        cdcpos.parse_checkpoint
    )


def db2_lris() -> SearchStrategy[cdcpos.Db2Lri]:
    """Db2 LUW LRIs (34 hex digits).

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.db2_lris(), lambda v: int(v) > 0).kind
    'db2_lri'
    """
    return values("db2_lri")  # type: ignore[return-value]


def db2_timestamps() -> SearchStrategy[cdcpos.Db2Timestamp]:
    """Db2 LUW ``timestamp:<date>`` contexts.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.db2_timestamps(), lambda v: True)
    Db2Timestamp('timestamp:2000-01-01T00:00:00')
    """
    return values("db2_timestamp")  # type: ignore[return-value]


def db2_nows() -> SearchStrategy[cdcpos.Db2Now]:
    """The Db2 LUW ``NOW`` context (one value).

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.db2_nows(), lambda v: True)
    Db2Now('NOW')
    """
    return values("db2_now")  # type: ignore[return-value]


def db2_start_from_contexts() -> SearchStrategy[Position]:
    """Any Db2 LUW ``StartFromContext`` value.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.db2_start_from_contexts(), lambda v: v.kind == "db2_now")
    Db2Now('NOW')
    """
    return db2_start_from_context_strings().map(cdcpos.parse_db2_start_from_context)


def start_positions() -> SearchStrategy[Position]:
    """Any ``CdcStartPosition`` value: a date, a checkpoint or a native position.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.start_positions(), lambda v: v.kind == "oracle_scn")
    OracleScn('0')
    """
    return start_position_strings().map(cdcpos.parse_start_position)


def positions() -> SearchStrategy[Position]:
    """Values of every kind, the checkpoint-only ones included.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.positions(), lambda v: v.kind == "opaque").kind
    'opaque'
    """
    return st.one_of([values(kind) for kind in KINDS])


def values_of_type(cls: type[Any]) -> SearchStrategy[Any]:
    """The strategy ``st.from_type(cls)`` resolves to, for a cdcpos value class.

    >>> import cdcpos
    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.values_of_type(cdcpos.StopPosition), lambda v: True).kind
    'server_time'
    """
    if cls is Position:
        return positions()
    if cls is cdcpos.StopPosition:
        return stop_positions()
    kind = getattr(cls, "kind", None)
    if kind in _CLASSES and _CLASSES[kind] is cls:
        return values(kind)
    raise TypeError(f"cdcpos has no strategy for {cls!r}")


# ====================================================================== CdcStartTime

# The last instant CdcStartTime can name (epoch seconds, as DMS receives it).
_LAST_SECOND = int(
    (_MAX_INSTANT.replace(tzinfo=UTC) - datetime(1970, 1, 1, tzinfo=UTC)).total_seconds()
)
# Offsets stay a day inside the datetime range, so converting to UTC never leaves it.
_FIRST_START = datetime(1970, 1, 1)
_LAST_START = _MAX_INSTANT - timedelta(days=1)


def _offsets() -> SearchStrategy[timezone]:
    return st.builds(
        timezone,
        st.integers(min_value=-(23 * 60 + 59), max_value=23 * 60 + 59).map(
            lambda m: timedelta(minutes=m)
        ),
    )


def start_times() -> SearchStrategy[Any]:
    """Every ``CdcStartTime`` form :func:`cdcpos.parse_start_time` accepts, from 1970 on:

    naive (UTC) and aware ``datetime``, ``date``, epoch seconds as ``int``, ``float``,
    ``Decimal`` or decimal text, and ISO 8601 text (``Z``, an offset, or a bare date).

    >>> import cdcpos
    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.start_times(), lambda t: isinstance(t, str) and t.endswith("Z"))
    '2000-01-01T00:00:00Z'
    """
    naive = st.datetimes(min_value=_FIRST_START, max_value=_LAST_START)
    aware = st.builds(lambda d, tz: d.replace(tzinfo=tz), naive, _offsets())
    seconds = st.integers(min_value=0, max_value=_LAST_SECOND)
    iso = st.one_of(
        aware.map(lambda d: d.isoformat()),
        aware.map(lambda d: d.astimezone(UTC).replace(tzinfo=None).isoformat() + "Z"),
        naive.map(lambda d: d.date().isoformat()),
    )
    return st.one_of(
        naive,
        aware,
        st.dates(min_value=_FIRST_START.date(), max_value=_LAST_START.date()),
        seconds,
        st.floats(min_value=0, max_value=_LAST_SECOND, allow_nan=False),
        st.decimals(min_value=0, max_value=_LAST_SECOND, places=3, allow_nan=False),
        seconds.map(str),
        iso,
    )


def invalid_start_times() -> SearchStrategy[Any]:
    """``CdcStartTime`` values cdcpos rejects with :class:`InvalidPosition`: near misses
    of valid text, epoch milliseconds (the CloudFormation trap), non-finite numbers.

    >>> import cdcpos
    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.invalid_start_times(), lambda t: isinstance(t, int))
    253402300800
    """
    texts = start_times().filter(lambda t: isinstance(t, str))
    milliseconds = st.integers(min_value=_LAST_SECOND + 1, max_value=_LAST_SECOND * 1000)
    return st.one_of(
        milliseconds,
        st.sampled_from([float("nan"), float("inf"), float("-inf"), Decimal("NaN")]),
        _near_misses(texts).filter(_rejects(cdcpos.parse_start_time)),
    )


# ====================================================================== StartReplicationTask

_PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b")
_TASK_TYPES = ("start-replication", "resume-processing", "reload-target")


def task_arns() -> SearchStrategy[str]:
    """DMS task ARNs: ``arn:<partition>:dms:<region>:<account>:task:<id>``, with a
    generated (26 or 39 upper-case alphanumerics) or custom (``ResourceIdentifier``) id.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> find(strategies.task_arns(), lambda a: True)
    'arn:aws:dms:aa-aaaa-1:000000000000:task:A'
    """
    generated = st.from_regex(r"[A-Z0-9]{26}|[A-Z0-9]{39}", fullmatch=True)
    # A custom id: a letter first, no '--', no '-' last, at most 31 characters.
    custom = st.from_regex(r"[A-Za-z](?:-?[A-Za-z0-9]){0,30}", fullmatch=True).filter(
        lambda s: len(s) <= 31
    )
    return st.builds(
        "arn:{}:dms:{}:{}:task:{}".format,
        st.sampled_from(_PARTITIONS),
        st.from_regex(r"[a-z]{2}-[a-z]{4,9}-[1-9]", fullmatch=True),
        st.from_regex(r"[0-9]{12}", fullmatch=True),
        st.one_of(custom, generated),
    )


def start_replication_task_requests(*, engine: str | None = None) -> SearchStrategy[dict[str, Any]]:
    """Keyword dicts for ``StartReplicationTask`` (boto3 ``start_replication_task(**d)``).

    ``ReplicationTaskArn`` and ``StartReplicationTaskType`` always; at most one of
    ``CdcStartPosition`` (a string cdcpos accepts) and ``CdcStartTime`` (a ``datetime``
    or epoch seconds), since DMS rejects both together; optionally ``CdcStopPosition``.
    With ``engine``, start positions are ones that engine can have written.

    >>> from hypothesis import find
    >>> from cdcpos import strategies
    >>> sorted(find(strategies.start_replication_task_requests(),
    ...             lambda d: "CdcStartPosition" in d and "CdcStopPosition" in d))
    ['CdcStartPosition', 'CdcStopPosition', 'ReplicationTaskArn', 'StartReplicationTaskType']
    """
    start_texts = start_position_strings()
    if engine is not None:
        family_of_engine(engine, field="engine", text=engine)  # an unknown engine fails now
        start_texts = start_texts.filter(_accepted_for_engine(engine))
    # DMS takes whole seconds (botocore drops microseconds on the wire).
    wire_times = st.one_of(
        st.datetimes(min_value=_FIRST_START, max_value=_LAST_START, timezones=st.just(UTC)).map(
            lambda d: d.replace(microsecond=0)
        ),
        st.integers(min_value=0, max_value=_LAST_SECOND),
    )
    start: SearchStrategy[dict[str, Any]] = st.one_of(
        st.just({}),
        start_texts.map(lambda s: {"CdcStartPosition": s}),
        wire_times.map(lambda t: {"CdcStartTime": t}),
    )
    stop: SearchStrategy[dict[str, Any]] = st.one_of(
        st.just({}), stop_position_strings().map(lambda s: {"CdcStopPosition": s})
    )
    base = st.fixed_dictionaries(
        {
            "ReplicationTaskArn": task_arns(),
            "StartReplicationTaskType": st.sampled_from(_TASK_TYPES),
        }
    )
    return st.builds(lambda b, s, e: {**b, **s, **e}, base, start, stop)


def _accepted_for_engine(engine: str) -> Callable[[str], bool]:
    def accepted(text: str) -> bool:
        try:
            cdcpos.parse_start_position(text, engine=engine)
        except cdcpos.InvalidPosition:
            return False
        return True

    return accepted


# ====================================================================== near misses

# Characters an edit may bring in: the ASCII the formats are made of, and what hostile
# or pasted input carries (non-ASCII digits, NUL, a lone surrogate, BOM, every kind of
# space, line breaks, typographic quotes).
_HOSTILE = (
    "\u0661\u0662\u0663",  # Arabic-Indic digits
    "\u00b2\u00b9\u2070",  # superscripts
    "\uff10\U0001d7d9",  # fullwidth and mathematical digits
    "_\x00\ud800\udfff\ufeff\r\n\t",
    "\u201c\u201d\u2018\u2019\u00ab\u00bb",
    "\u0130\u212a\u017f",  # letters whose case mapping lands in ASCII
)


def _edit_characters() -> SearchStrategy[str]:
    return st.one_of(
        st.characters(min_codepoint=0x20, max_codepoint=0x7E),
        st.sampled_from("".join(_HOSTILE)),
        st.sampled_from(_unicode_spaces()),
        st.characters(),
    )


def _near_misses(valid: SearchStrategy[str]) -> SearchStrategy[str]:
    """One edit of a valid string: a character inserted, deleted, replaced or two swapped."""

    @st.composite
    def edit(draw: st.DrawFn) -> str:
        text = draw(valid)
        operation = draw(st.sampled_from(("insert", "delete", "replace", "swap")))
        if operation == "insert" or not text:
            at = draw(st.integers(min_value=0, max_value=len(text)))
            return text[:at] + draw(_edit_characters()) + text[at:]
        at = draw(st.integers(min_value=0, max_value=len(text) - 1))
        if operation == "delete":
            return text[:at] + text[at + 1 :]
        if operation == "replace":
            return text[:at] + draw(_edit_characters()) + text[at + 1 :]
        if at + 1 >= len(text):
            return text[:at]
        return text[:at] + text[at + 1] + text[at] + text[at + 2 :]

    return edit()


def _rejects(parse: Callable[[Any], object]) -> Callable[[Any], bool]:
    def rejected(text: Any) -> bool:
        try:
            parse(text)
        except cdcpos.InvalidPosition:
            return True
        return False

    return rejected


def invalid_strings(kind: str) -> SearchStrategy[str]:
    """Near misses of one kind: one edit away from a valid string, rejected by its class.

    >>> import cdcpos
    >>> from hypothesis import given
    >>> from cdcpos import strategies
    >>> @given(strategies.invalid_strings("postgres_lsn"))
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.PostgresLsn(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    cls = _CLASSES[_check_kind(kind)]
    return _near_misses(strings(kind)).filter(_rejects(cls))


def _invalid_entry(entry: str, valid: SearchStrategy[str]) -> SearchStrategy[str]:
    return _near_misses(valid).filter(_rejects(_ENTRY_PARSERS[entry]))


def invalid_start_position_strings() -> SearchStrategy[str]:
    """Near misses of ``CdcStartPosition`` strings that cdcpos rejects.

    >>> import cdcpos
    >>> from hypothesis import given
    >>> from cdcpos import strategies
    >>> @given(strategies.invalid_start_position_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse_start_position(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("start_position", start_position_strings())


def invalid_stop_position_strings() -> SearchStrategy[str]:
    """Near misses of ``CdcStopPosition`` strings that cdcpos rejects.

    >>> import cdcpos
    >>> from hypothesis import given
    >>> from cdcpos import strategies
    >>> @given(strategies.invalid_stop_position_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse_stop_position(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("stop_position", stop_position_strings())


def invalid_checkpoint_strings() -> SearchStrategy[str]:
    """Near misses of recovery checkpoints that cdcpos rejects.

    >>> import cdcpos
    >>> from hypothesis import given
    >>> from cdcpos import strategies
    >>> @given(strategies.invalid_checkpoint_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse_checkpoint(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("checkpoint", checkpoint_strings())


def invalid_db2_start_from_context_strings() -> SearchStrategy[str]:
    """Near misses of Db2 LUW ``StartFromContext`` strings that cdcpos rejects.

    >>> import cdcpos
    >>> from hypothesis import given
    >>> from cdcpos import strategies
    >>> @given(strategies.invalid_db2_start_from_context_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse_db2_start_from_context(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("db2_start_from_context", db2_start_from_context_strings())


def invalid_position_strings() -> SearchStrategy[str]:
    """Near misses that :func:`cdcpos.parse` rejects.

    >>> import cdcpos
    >>> from hypothesis import given
    >>> from cdcpos import strategies
    >>> @given(strategies.invalid_position_strings())
    ... def test_rejected(text):
    ...     try:
    ...         cdcpos.parse(text)
    ...     except cdcpos.InvalidPosition as error:
    ...         assert error.text == text
    ...     else:
    ...         raise AssertionError(f"accepted {text!r}")
    >>> test_rejected()
    """
    return _invalid_entry("any", position_strings())
