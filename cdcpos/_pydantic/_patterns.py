"""Which kind a text has the form of, from the grammar-derived expressions, and the JSON schema patterns."""

from __future__ import annotations

import re
from collections.abc import Callable

from pydantic_core import PydanticCustomError

from cdcpos import (
    MAX_LENGTH,
    Db2Lri,
    InvalidPosition,
    OpaquePosition,
    Position,
    StopPosition,
    _fastpath,
    parse,
    parse_db2_start_from_context,
)
from cdcpos._parse import _CHECKPOINT_ONLY
from cdcpos._pydantic._errors import _invalid_position_error
from cdcpos._rules import ANY_PARTS, entry_matcher

# ====================================================================== patterns

# Python-only syntax in the derived expressions: named groups, and '\#' (an identity
# escape that ECMA-262 regular expressions in unicode mode reject).
_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")


def _portable(pattern: str) -> str:
    return _NAMED_GROUP.sub("(?:", pattern).replace("\\#", "#")


# A checkpoint-only terminal read on its own (outside a checkpoint, nothing follows it):
# the generated lookaround-free pattern of that field, without its anchors.
_CHECKPOINT_FIELD_PATTERNS = {
    terminal: pattern.removeprefix("^").removesuffix("$")
    for terminal, pattern in _fastpath.PORTABLE_CHECKPOINT_POSITION_PATTERNS
}


def entry_pattern(*entries: str) -> str:
    """The anchored pattern of one or more grammar entry points, portable to JSON Schema.

    >>> import re
    >>> bool(re.search(entry_pattern("stop_position"), "server_time:2018-02-09T12:12:12"))
    True
    """
    body = "|".join(_portable(_fastpath.ENTRY_PATTERNS[entry]) for entry in entries)
    return f"^(?:{body})$"


def _entry_kinds(*entries: str) -> frozenset[str]:
    """The kinds an entry point reads: the names of its expression's groups (grammar rules)."""
    return frozenset(
        name for entry in entries for name in re.compile(_fastpath.ENTRY_PATTERNS[entry]).groupindex
    )


#: Kinds :func:`cdcpos.parse` reads, and kinds of the Db2 ``StartFromContext``.
_PARSE_KINDS = _entry_kinds("start_position", "stop_position")
_DB2_KINDS = _entry_kinds("db2_start_from_context")
# Kinds with a form of their own found only inside checkpoints (``$.583860:1357`` is a
# binlog position there); opaque is left out: any printable text has its form.
_CHECKPOINT_SPELLINGS = tuple(kind for kind in _CHECKPOINT_ONLY if kind != "opaque")
# The kinds a `Position` field writes with their kind in front (see the module docstring).
_TAGGED = {"opaque": OpaquePosition, "db2_lri": Db2Lri}


def _rule_pattern(kind: str) -> str:
    if kind in _fastpath.ENTRY_PATTERNS:  # a kind that is a whole entry (checkpoint)
        return _fastpath.ENTRY_PATTERNS[kind]
    return _fastpath.RULE_PATTERNS[kind]


def _checkpoint_spelling(kind: str) -> str:
    return _CHECKPOINT_FIELD_PATTERNS[_CHECKPOINT_ONLY[kind][0]]


_compiled: dict[str, Callable[[str], object]] = {}


def _fullmatch(pattern: str) -> Callable[[str], object]:
    """The compiled ``fullmatch`` of a derived pattern (compiled once, on first use)."""
    found = _compiled.get(pattern)
    if found is None:
        found = _compiled[pattern] = re.compile(pattern).fullmatch
    return found


def _forms(text: str) -> frozenset[str]:
    """The kinds, among those readable on their own, whose derived form ``text`` has.

    Only the grammar-derived expressions run: nothing is parsed (so nothing is diagnosed).
    """
    if len(text) > MAX_LENGTH:
        return frozenset()
    return frozenset(
        kind for kind in _PARSE_KINDS | _DB2_KINDS if _fullmatch(_rule_pattern(kind))(text)
    )


def _position_reading(text: str) -> tuple[str, Callable[[str], Position]]:
    """Which reader a ``Position`` field uses for ``text``: (kind or entry, reader).

    Kind tags first, then the forms :func:`cdcpos.parse` reads, then Db2's, then the
    spellings found inside checkpoints; text of no form goes to :func:`cdcpos.parse`, whose
    error is the one to give.
    """
    for kind in _TAGGED:
        if text.startswith(kind + ":"):
            return kind, _read_tagged
    if len(text) <= MAX_LENGTH:
        if entry_matcher("any")(text):  # what parse() reads: a start or a stop position
            return "any", parse
        if _fullmatch(_fastpath.ENTRY_PATTERNS["db2_start_from_context"])(text):
            return "db2", parse_db2_start_from_context
        for kind in _CHECKPOINT_SPELLINGS:
            if _fullmatch(_checkpoint_spelling(kind))(text):
                return kind, _CHECKPOINT_ONLY[kind][1]
    return "any", parse


def _read_tagged(text: str) -> Position:
    kind, _, rest = text.partition(":")
    return _TAGGED[kind](rest)


def _read_position(text: str) -> Position:
    """A ``Position`` field's reader: every kind, each from its own form (one reader call)."""
    return _position_reading(text)[1](text)


def _dump_position(value: Position) -> str:
    """A ``Position`` field's JSON text: canonical, tagged when it would read as another kind."""
    text = str(value)
    # Untagged text is never read as opaque; an LRI's is read as one unless its digits
    # fit a form cdcpos.parse reads first.
    if value.kind == "opaque" or (value.kind == "db2_lri" and _position_reading(text)[0] != "db2"):
        return f"{value.kind}:{text}"
    return text


def _class_alternatives(cls: type[Position]) -> list[str]:
    if cls is Position:
        return [
            *(_fastpath.ENTRY_PATTERNS[part] for part in ANY_PARTS),
            _fastpath.ENTRY_PATTERNS["db2_start_from_context"],
            *(_checkpoint_spelling(kind) for kind in _CHECKPOINT_SPELLINGS),
            *(f"{kind}:(?:{_own_pattern(tagged)})" for kind, tagged in _TAGGED.items()),
        ]
    if cls is StopPosition:
        return [_fastpath.ENTRY_PATTERNS["stop_position"]]
    return _own_alternatives(cls)


def _own_alternatives(cls: type[Position]) -> list[str]:
    kind = getattr(cls, "kind", None)
    if kind is None:
        return []
    alternatives = []
    if kind in _fastpath.ENTRY_PATTERNS:  # a kind that is a whole entry (checkpoint)
        alternatives.append(_fastpath.ENTRY_PATTERNS[kind])
    else:
        terminals = _fastpath.RULE_GROUP_TERMINALS.get(kind, ())
        if len(terminals) == 1:
            alternatives.append(_fastpath.TERMINAL_PATTERNS[terminals[0]])
    if kind in _CHECKPOINT_ONLY:  # the spelling found inside checkpoints
        alternatives.append(_checkpoint_spelling(kind))
    return alternatives


def _own_pattern(cls: type[Position]) -> str:
    return "|".join(_own_alternatives(cls))


def position_pattern(cls: type[Position]) -> str | None:
    """The anchored JSON Schema ``pattern`` of a value class's text, derived from the grammar.

    ``None`` when the class has no pattern of its own (a private base class).

    >>> import re, cdcpos
    >>> bool(re.search(position_pattern(cdcpos.PostgresLsn), "4AF/B00000D0"))
    True
    >>> bool(re.search(position_pattern(cdcpos.OpaquePosition), "*"))
    False
    >>> bool(re.search(position_pattern(cdcpos.Position), "opaque:some-engine@42"))
    True
    """
    alternatives = _class_alternatives(cls)
    if not alternatives:
        return None
    return "^(?:" + "|".join(_portable(a) for a in alternatives) + ")$"


def _has_form(pattern: str | None, text: str) -> bool:
    """Whether ``text`` matches the derived pattern (a value error, not a syntax error)."""
    if pattern is None or len(text) > MAX_LENGTH:
        return False
    # The anchors are for JSON Schema; Python's '$' also matches before a final
    # newline, so match the body in full instead.
    return _fullmatch(pattern[1:-1])(text) is not None


# ====================================================================== failure families


def position_error(
    error: InvalidPosition,
    text: str,
    *,
    pattern: str | None,
    kinds: frozenset[str],
    given: Position | None = None,
) -> PydanticCustomError:
    """Turn the reader's rejection of ``text`` into the pydantic error of its family.

    ``kinds`` are the kinds the field takes; ``given`` is the value when the input was a
    cdcpos value rather than text.  Nothing is read again: the family comes from the
    error and the derived forms.
    """
    if len(text) > MAX_LENGTH:
        family = "cdcpos_too_long"
    elif given is not None or _other_kind_form(text, pattern, kinds):
        family = "cdcpos_wrong_kind"
    elif error.column is not None or not _has_form(pattern, text):
        family = "cdcpos_syntax"
    else:
        family = "cdcpos_value"
    return _invalid_position_error(family, error)


def _other_kind_form(text: str, pattern: str | None, kinds: frozenset[str]) -> bool:
    """Whether ``text`` is in the form of a kind the field does not take, and not its own."""
    if _has_form(pattern, text):
        return False
    return any(kind not in kinds for kind in _forms(text))
