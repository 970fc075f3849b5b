"""The grammar's expressions, compiled: what reading values and diagnosing both need.

Layer L1 (see tests/test_layers.py): below the values, which read their own text with
these matchers, and below the diagnosis, which explains why a text does not match them.
Everything here is derived from ``cdcpos._fastpath`` (generated from the grammar) and
compiled lazily, so that ``import cdcpos`` compiles nothing.
"""

from __future__ import annotations

import operator

from cdcpos import _fastpath

# No typing and no re at import (``import cdcpos`` stays near the interpreter's own cold
# start): annotations are strings, and each expression is compiled on first use.
TYPE_CHECKING = False
if TYPE_CHECKING:
    import re
    from collections.abc import Callable
    from typing import Any

__all__ = [
    "ANY_PARTS",
    "CHECKPOINT_POSITION_KINDS",
    "CHECKPOINT_TERMINALS",
    "ENTRY_FIELDS",
    "KIND_ENTRY",
    "MAX_LENGTH",
    "CheckpointLayout",
    "checkpoint_layout",
    "dispatch_matcher",
    "entry_matcher",
    "entry_pattern",
    "entry_rows",
    "entry_rules",
    "plain_text",
    "position_kind",
    "value_matcher",
]

#: The longest input any entry point reads.  Real checkpoints fit the ``varchar(1024)``
#: column of ``awsdms_txn_state``; this leaves room, and is checked before any regex work.
MAX_LENGTH = 4096

# Entry points: the grammar's start symbols, plus "any" (a start or a stop position).
#: The entry points "any" is made of, in the order it tries them.
ANY_PARTS = ("start_position", "stop_position")
_ENTRY_PATTERNS = dict(_fastpath.ENTRY_PATTERNS)
_ENTRY_PATTERNS["any"] = "|".join(_ENTRY_PATTERNS[part] for part in ANY_PARTS)

#: What each entry reads, as messages name it.
ENTRY_FIELDS = {
    "start_position": "CdcStartPosition",
    "stop_position": "CdcStopPosition",
    "checkpoint": "RecoveryCheckpoint",
    "db2_start_from_context": "StartFromContext",
    "any": "position",
}

#: The entry where a kind of value is read on its own (diagnosis explains a constructor's
#: rejection against it: "this is a PostgreSQL LSN, not an Oracle SCN").
KIND_ENTRY = {
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

#: Kinds (or spellings) found inside checkpoints -> their checkpoint terminal.  A binlog
#: position inside a checkpoint may have the stem ``$``, so its class reads that spelling.
CHECKPOINT_TERMINALS = {
    "mysql_stream": "CHECKPOINT_MYSQL_STREAM",
    "oracle_stream": "CHECKPOINT_ORACLE_STREAM",
    "opaque": "OPAQUE_POSITION",
    "mysql_binlog": "CHECKPOINT_MYSQL_BINLOG",
}


#: Terminals of a position inside a checkpoint -> the kind of value they hold.
CHECKPOINT_POSITION_KINDS = {
    "CHECKPOINT_POSTGRES_LSN": "postgres_lsn",
    "CHECKPOINT_SQLSERVER_LSN": "sqlserver_lsn",
    "CHECKPOINT_ORACLE_STREAM": "oracle_stream",
    "CHECKPOINT_MYSQL_STREAM": "mysql_stream",
    "CHECKPOINT_MYSQL_BINLOG": "mysql_binlog",
    "OPAQUE_POSITION": "opaque",
}


def plain_text(text: object, field: str) -> str:
    """``text`` as a plain ``str``; ``TypeError`` naming ``field`` when it is not a ``str``.

    A ``str`` subclass (``enum.StrEnum``, ``numpy.str_``) is read as its text with
    ``str.__str__``, never through an overridden ``__str__`` or ``__len__``, and what is
    kept is a plain ``str`` (a value must not pickle as numpy's type).
    """
    if type(text) is str:
        return text
    if isinstance(text, str):
        return str.__str__(text)
    if isinstance(text, bytes | bytearray | memoryview):
        raise TypeError(
            f"{field} must be a str, not {type(text).__name__}: decode it first "
            "(or open the file in text mode)"
        )
    raise TypeError(f"{field} must be a str, not {type(text).__name__}")


def entry_pattern(entry: str) -> str:
    """The derived expression of an entry point, one named group per value rule.

    A kind of value is an entry too (``'postgres_lsn'``, ``'mysql_stream'``, ...): its text
    on its own, which a class's constructor reads.  (Opaque positions are only defined by
    the '#' that ends them in a checkpoint, and have no such entry.)
    """
    found = _ENTRY_PATTERNS.get(entry)
    if found is None:
        found = _kind_pattern(entry)
    return found


def _kind_pattern(kind: str) -> str:
    alternatives = []
    if kind in _fastpath.RULE_PATTERNS:
        alternatives.append(_fastpath.RULE_PATTERNS[kind])
    terminal = CHECKPOINT_TERMINALS.get(kind)
    if terminal is not None and kind != "opaque":
        # A checkpoint terminal ends in a look-ahead to the '#' after the field; on its
        # own, the end of the text is that end.
        alternatives.append(_fastpath.TERMINAL_PATTERNS[terminal].removesuffix("(?=#)"))
    if not alternatives:
        raise KeyError(kind)
    return "|".join(f"(?:{a})" for a in alternatives)


# Compiled on first use.  A race compiles twice, harmlessly.  Fork-safe as it is: plain
# dicts and no lock, so a child forked mid-compile has nothing to wait for.
_entry_compiled: dict[str, re.Pattern[str]] = {}


def _entry_expression(entry: str) -> re.Pattern[str]:
    found = _entry_compiled.get(entry)
    if found is None:
        found = _entry_compiled[entry] = compile_pattern(_ENTRY_PATTERNS[entry])
    return found


def entry_matcher(entry: str) -> Callable[[str], re.Match[str] | None]:
    """The compiled ``fullmatch`` of an entry point's derived expression."""
    return _entry_expression(entry).fullmatch


# ====================================================================== dispatch
#
# One string (parse(), parse_start_position(), ...) should compile only what it needs:
# the "any" expression is 1,600 characters and compiling it is most of a cold
# parse('0/16B3748').  An entry's expression is an alternation of one named group per
# value rule; a rule whose expression starts with a literal (``checkpoint:V``,
# ``server_time:``, ``NOW``, ...) cannot match a text that does not start with it.  So
# the first character picks the rules that can match (those with no literal prefix,
# and those whose prefix starts with it), kept in the entry's order; their alternation,
# compiled on first use and shared by every first character that picks the same rules,
# matches exactly what the entry's expression matches (fullmatch takes the first
# alternative that matches, and the ones left out cannot).  The first characters are
# read by the generator (_fastpath.ENTRY_ALTERNATIVES, from each alternative's syntax
# tree), not at run time: scanning 1,600 characters of expression in Python was a third
# of a cold parse().  tests/test_speed.py checks the dispatch against the entry's
# expression.

_dispatchers: dict[str, Callable[[str], re.Match[str] | None]] = {}


def _no_match(text: str) -> None:
    """No rule of the entry can start with this character (an empty expression would
    match the empty text)."""


def dispatch_matcher(entry: str) -> Callable[[str], re.Match[str] | None]:
    """A ``fullmatch`` equal to :func:`entry_matcher`'s that compiles only the rules a
    text's first character can start (for one string at a time)."""
    found = _dispatchers.get(entry)
    if found is not None:
        return found
    alternatives = _alternatives_of(entry)
    compiled: dict[str, Callable[[str], re.Match[str] | None]] = {}
    by_first: dict[str, Callable[[str], re.Match[str] | None]] = {}

    def matcher_for(first: str) -> Callable[[str], re.Match[str] | None]:
        expression = dispatch_expression(alternatives, first)
        match = compiled.get(expression)
        if match is None and not expression:
            match = compiled[expression] = _no_match
        elif match is None:
            match = compiled[expression] = compile_pattern(expression).fullmatch
        by_first[first] = match
        return match

    def fullmatch(text: str) -> re.Match[str] | None:
        first = text[:1]
        match = by_first.get(first)
        if match is None:
            match = matcher_for(first)
        return match(text)

    found = _dispatchers[entry] = fullmatch
    return found


def _alternatives_of(entry: str) -> tuple[tuple[str, str], ...]:
    return entry_rows(_fastpath.ENTRY_ALTERNATIVES, entry)


def entry_rows(
    table: dict[str, tuple[tuple[str, str], ...]], entry: str
) -> tuple[tuple[str, str], ...]:
    """An entry's rows of a table ``cdcpos._fastpath`` holds per entry point; those of
    "any" are its parts' (:data:`ANY_PARTS`), in order."""
    if entry == "any":
        return tuple(row for part in ANY_PARTS for row in table[part])
    return table[entry]


def dispatch_expression(alternatives: tuple[tuple[str, str], ...], first: str) -> str:
    """The alternation of the alternatives a text starting with ``first`` can match ('':
    none can), in the entry's order."""
    return "|".join(pattern for starts, pattern in alternatives if not starts or starts == first)


def entry_rules(entry: str) -> list[str | None]:
    """The value rule of each capturing group of an entry's expression (by ``lastindex``)."""
    groups = _entry_expression(entry).groupindex
    rules: list[str | None] = [None] * (len(groups) + 1)
    for rule, index in groups.items():
        rules[index] = rule
    return rules


_value_matchers: dict[str, Callable[[str], bool]] = {}


def value_matcher(kind: str) -> Callable[[str], bool]:
    """Whether a text is one value of ``kind``, by that kind's own rule of the grammar.

    A kind read inside checkpoints (a MySQL stream, ``$.000001:4``) takes that spelling
    too (``entry_pattern(kind)``).
    """
    found = _value_matchers.get(kind)
    if found is not None:
        return found
    if kind == "opaque":
        # Defined by the '#' that ends it: its terminal looks ahead to one.
        opaque = compile_pattern(_value_pattern(kind)).fullmatch

        def matches(text: str) -> bool:
            return opaque(text + "#") is not None

    else:
        full = compile_pattern(_value_pattern(kind)).fullmatch

        def matches(text: str) -> bool:
            return full(text) is not None

    found = _value_matchers[kind] = matches
    return found


def _value_pattern(kind: str) -> str:
    if kind == "opaque":
        return f"(?:{_fastpath.TERMINAL_PATTERNS['OPAQUE_POSITION']})#"
    return entry_pattern(kind)


_shapes: list[Callable[[str], re.Match[str] | None]] = []


def position_kind(field: str) -> str:
    """The kind a checkpoint's position field is read as (``'opaque'`` when no known
    shape fits), by the checkpoint terminals in the grammar's order of priority."""
    if not _shapes:
        _shapes.append(compile_pattern(_shapes_pattern()).fullmatch)
    found = _shapes[0](field + "#")
    return "opaque" if found is None else str(found.lastgroup)


def _shapes_pattern() -> str:
    known = [
        f"(?P<{kind}>{_fastpath.TERMINAL_PATTERNS[terminal]})"
        for terminal, kind in CHECKPOINT_POSITION_KINDS.items()
        if kind != "opaque"
    ]
    return f"(?:{'|'.join(known)})#"


class CheckpointLayout:
    """Where the checkpoint rule's capture groups put each field.

    ``first`` and ``second`` are the alternatives of the two positions, as ``(group index,
    terminal name)``; ``NO_POSITION`` is the ``*`` of the second one.  (A plain class, not
    a ``typing.NamedTuple``: importing typing is a cost ``import cdcpos`` need not pay.)
    """

    __slots__ = ("counters", "first", "match", "second", "version")

    def __init__(
        self,
        match: Callable[[str], re.Match[str] | None],
        version: int,
        counters: Callable[[Any], tuple[str, ...]],
        first: tuple[tuple[int, str], ...],
        second: tuple[tuple[int, str], ...],
    ) -> None:
        self.match = match
        self.version = version
        self.counters = counters
        self.first = first
        self.second = second


_NOT_POSITIONS = frozenset({"CHECKPOINT_PREFIX", "CHECKPOINT_VERSION", "CHECKPOINT_COUNTER"})
_layout: list[CheckpointLayout] = []


def _position_runs() -> tuple[list[tuple[int, str]], list[tuple[int, str]]]:
    """The checkpoint rule's two runs of position alternatives, as ``(group, terminal)``."""
    names = _fastpath.RULE_GROUP_TERMINALS["checkpoint"]
    runs: list[list[tuple[int, str]]] = []
    for index, name in enumerate(names):
        if name not in _NOT_POSITIONS:
            if runs and runs[-1][-1][0] == index - 1:
                runs[-1].append((index, name))
            else:
                runs.append([(index, name)])
    first, second = runs
    return first, second


def checkpoint_layout() -> CheckpointLayout:
    """The checkpoint rule's expression and the fields its capture groups hold.

    The groups are the rule's named terminals in order: the prefix, the version, the
    counters, and two runs of position alternatives (the position, then the second
    position or ``*``).
    """
    if _layout:
        return _layout[0]
    names = _fastpath.RULE_GROUP_TERMINALS["checkpoint"]
    first, second = _position_runs()
    layout = CheckpointLayout(
        match=compile_pattern(_fastpath.RULE_PATTERNS["checkpoint"]).fullmatch,
        version=names.index("CHECKPOINT_VERSION"),
        counters=operator.itemgetter(
            *(i for i, n in enumerate(names) if n == "CHECKPOINT_COUNTER")
        ),
        first=tuple(first),
        second=tuple(second),
    )
    _layout.append(layout)
    return layout


def checkpoint_position_pattern() -> str:
    """The alternatives of a checkpoint's first position, one group each in the rule's
    order (the terminal expressions capture nothing themselves): read at the position's
    offset, ``lastindex`` says which terminal took it."""
    first, _ = _position_runs()
    return "|".join(f"({_fastpath.TERMINAL_PATTERNS[name]})" for _, name in first)


# ====================================================================== compiling
#
# ``import re`` costs a cold start more than all of cdcpos (it imports enum): 8.7 ms of
# CPU against 18 ms for ``import cdcpos`` on the development machine.  So the expressions
# above are compiled ahead: ``python -m cdcpos._generate`` stores the code that
# ``re.compile`` makes of each (``compiled_patterns()``) in ``_fastpath_sre``, and
# ``compile_pattern`` hands it to ``_sre.compile`` (the C engine ``re`` itself calls last)
# without importing ``re``.  The code is the regular-expression engine's own and changes
# between Python versions, so it is used only under the interpreter it was made by (the
# version and the engine's MAGIC number match), only for the exact pattern text it was
# made from (a stale table can only miss), and only if the engine accepts it (it
# validates code); anything else goes to ``re.compile``.  tests/test_precompiled.py checks
# that every stored pattern compiles equal (``==`` of pattern objects compares code) to
# ``re.compile``'s.


def compile_pattern(pattern: str) -> re.Pattern[str]:
    """``re.compile(pattern)``; ahead-compiled code when ``_fastpath_sre`` holds it."""
    found = _precompiled(pattern)
    if found is not None:
        return found
    import re

    return re.compile(pattern)


def _precompiled(pattern: str) -> re.Pattern[str] | None:
    import sys

    try:
        import _sre  # type: ignore[import-not-found]  # the engine under re: no stubs

        from cdcpos import _fastpath_sre as table
    except ImportError:  # another implementation of Python; the generator's first table
        return None
    stored = table.PATTERNS.get(pattern)
    if (
        stored is None
        or sys.version_info[:2] != table.PYTHON
        or _sre.MAGIC != table.MAGIC
        or _sre.CODESIZE != 4
        or sys.byteorder != "little"
    ):
        return None
    flags, groups, groupindex, indexgroup, code = stored
    try:
        compiled: re.Pattern[str] = _sre.compile(
            pattern,
            flags,
            memoryview(bytes.fromhex(code)).cast("I").tolist(),
            groups,
            dict(groupindex),
            indexgroup,
        )
    except Exception:  # the engine refused the code (it validates it): re.compile decides
        return None
    return compiled


def compiled_patterns() -> list[str]:
    """Every expression this module compiles from the generated ones, for the generator
    to compile ahead: the entries', each first character's dispatch, each kind's own, the
    shapes of checkpoint positions, the checkpoint layout, a checkpoint's position."""
    found = set(_ENTRY_PATTERNS.values())
    for entry in _ENTRY_PATTERNS:
        alternatives = _alternatives_of(entry)
        # The first character of each literal prefix, and '' (present when an alternative
        # has no prefix): what every other character picks, the alternatives without one.
        firsts = {starts for starts, _ in alternatives}
        found.update(dispatch_expression(alternatives, first) for first in firsts)
    found.update(_value_pattern(kind) for kind in (*KIND_ENTRY, *CHECKPOINT_TERMINALS))
    found.add(_shapes_pattern())
    found.add(_fastpath.RULE_PATTERNS["checkpoint"])
    found.add(checkpoint_position_pattern())
    found.discard("")
    return sorted(found)
