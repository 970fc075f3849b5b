"""The grammar as strategies: tokens of each terminal, strings of each rule (shared by every module of the package)."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime
from functools import cache
from re import _parser as re_parser  # the standard library's own parser of re syntax
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import cdcpos
from cdcpos import _fastpath
from cdcpos._engines import KIND_FAMILY
from cdcpos._errors import Rejected
from cdcpos._parse import RULE_CLASSES
from cdcpos._positions.base import Position
from cdcpos._positions.checkpoint import CHECKPOINT_POSITION_CLASSES
from cdcpos._positions.times import _Instant
from cdcpos._rules import position_kind

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
            _regex_strings(f"(?:{body})(?:{following})")
            .map(compiled.match)
            .filter(lambda m: m is not None and m.end() > 0)
            .map(lambda m: m.group(0))  # type: ignore[union-attr]
        )
    else:
        tokens = _regex_strings(pattern)
    if cls is None:
        return tokens
    tokens = tokens.filter(_builds(cls))
    maximum = getattr(cls, "_max", None)
    if maximum is not None:
        # Integer positions: their canonical spelling of any value, edges included.
        canonical = st.integers(min_value=0, max_value=maximum).map(lambda n: str(cls(n)))
        tokens = st.one_of(tokens, canonical)
    return tokens


def _regex_strings(pattern: str) -> SearchStrategy[str]:
    """Strings that fullmatch ``pattern``: a terminal's expression, read by ``re``'s own
    parser and drawn part by part, each run of one character class as one ``st.text``.

    ``st.from_regex`` draws such a run character by character, each a choice of its own
    (a checkpoint string took 118 choices); checkpoint and start-position strings draw
    1.5 to 1.6 times as fast this way (``python -m benchmarks.strategies``).  Literals,
    classes of characters and ranges, groups, alternatives and repeats are translated;
    anything else (a lookaround, a negated class, a flag) is left to ``st.from_regex``.

    >>> import re
    >>> from hypothesis import given, settings
    >>> pattern = "[0-9A-Fa-f]{1,8}/[0-9A-Fa-f]{1,8}"
    >>> @settings(max_examples=20, deadline=None, derandomize=True)
    ... @given(_regex_strings(pattern))
    ... def test_lsn(text):
    ...     assert re.fullmatch(pattern, text)
    >>> test_lsn()
    """
    parsed = re_parser.parse(pattern)
    translated = None if parsed.state.flags & ~re.UNICODE else _sequence(parsed)
    return st.from_regex(pattern, fullmatch=True) if translated is None else translated


def _sequence(items: Any) -> SearchStrategy[str] | None:
    parts = []
    for op, argument in items:
        part = _regex_node(op, argument)
        if part is None:
            return None
        parts.append(part)
    if len(parts) == 1:
        return parts[0]
    return st.tuples(*parts).map("".join)


def _alphabet(items: Any) -> str | None:
    """The characters of a class made of literals and ranges (None for anything else)."""
    from cdcpos._generate import _class_chars_of  # the portable expressions' reading

    if any(op is re_parser.NEGATE for op, _ in items):
        return None
    codes = _class_chars_of(items)
    return None if codes is None else "".join(map(chr, sorted(codes)))


def _regex_node(op: Any, argument: Any) -> SearchStrategy[str] | None:
    if op is re_parser.LITERAL:
        return st.just(chr(argument))
    if op is re_parser.IN:
        chars = _alphabet(argument)
        return None if chars is None else st.sampled_from(chars)
    if op is re_parser.SUBPATTERN:
        _, add_flags, del_flags, items = argument
        return None if add_flags or del_flags else _sequence(items)
    if op is re_parser.BRANCH:
        alternatives = [_sequence(items) for items in argument[1]]
        if any(a is None for a in alternatives):
            return None
        return st.one_of(*alternatives)  # type: ignore[arg-type]
    if op is re_parser.MAX_REPEAT:
        least, most, items = argument
        most = None if most is re_parser.MAXREPEAT else most
        if len(items) == 1 and items[0][0] is re_parser.IN:
            chars = _alphabet(items[0][1])
            if chars is not None:
                return st.text(chars, min_size=least, max_size=most)
        inner = _sequence(items)
        if inner is None:
            return None
        return st.lists(inner, min_size=least, max_size=most).map("".join)
    return None


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
    if overrides is None:
        return _rule_strings(start)
    return _from_lark(start, overrides)


@cache
def _rule_strings(start: str) -> SearchStrategy[str]:
    # Built once per rule: from_lark re-reads the whole grammar each time it is called.
    return _from_lark(start, {})


def _from_lark(start: str, overrides: dict[str, SearchStrategy[str]]) -> SearchStrategy[str]:
    from hypothesis.extra.lark import from_lark

    names = _terminal_names(start)
    explicit = {name: _terminal(name) for name in names}
    explicit.update({k: v for k, v in overrides.items() if k in names})
    strategy: SearchStrategy[str] = from_lark(_grammar(), start=start, explicit=explicit)
    if start in ("checkpoint", "start_position"):
        # One engine per checkpoint: the grammar lets two known shapes of two engines
        # through, the checkpoint class rejects them (cdcpos._positions.checkpoint).
        strategy = strategy.filter(_one_engine)
    return _drawn_from(strategy)


@st.composite
def _drawn_from(draw: st.DrawFn, strategy: SearchStrategy[str]) -> str:
    """Draws from ``strategy``, built once, whatever is made of this strategy later.

    ``from_lark`` is lazy, and so is every ``.map``/``.filter`` of it: each builds the
    grammar's strategies again when first drawn (50 ms).  Behind ``st.deferred`` that
    still happened: ``st.one_of`` flattens a deferred strategy into what it wraps, and a
    filter over the flattened branch (``start_position_strings()``,
    ``checkpoint_strings()``, ...) made a new lazy ``from_lark`` for every new object.
    A composite is never flattened: its ``.filter`` rebuilds only this function's
    strategy, which draws from the one ``strategy`` (built on the first draw).
    """
    return draw(strategy)


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
