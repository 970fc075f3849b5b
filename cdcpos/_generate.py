"""Derive the fast path's regular expressions from ``grammar/cdcpos.lark``.

The grammar is the one specification of every format.  Every rule in it is a finite
sequence or choice of terminals (no recursion), so each entry point is a regular
language and can be written as one regular expression.  This module walks the rules
lark compiled from the grammar and writes ``cdcpos/_fastpath.py``:

* ``ENTRY_PATTERNS[entry]``: the whole entry point, one named group per value rule
  (``(?P<postgres_lsn>...)``) and no other capturing group, so ``match.lastgroup``
  names the rule that matched;
* ``RULE_PATTERNS[rule]`` and ``RULE_GROUP_TERMINALS[rule]``: one value rule with a
  capturing group around every terminal occurrence, and the terminal name of each
  group, so a match yields the same ``(terminal, text)`` tokens that lark's lexer does.

It also writes *portable* expressions, for regular-expression engines without
lookaround (RE2 in pyarrow and DuckDB, Rust's ``regex`` in Polars), each anchored with
``^...$`` and without capturing groups:

* ``PORTABLE_ENTRY_PATTERNS[entry]``: the whole entry point;
* ``PORTABLE_KIND_PATTERNS[entry]``: ``(rule, pattern)`` pairs in the order the entry tries
  them, so the first that matches names the rule (``match.lastgroup`` above);
* ``PORTABLE_CHECKPOINT_POSITION_PATTERNS``: ``(terminal, pattern)`` pairs of one position
  field inside a checkpoint (the text between two ``#``), in the lexer's order.

The grammar's only lookarounds say where a checkpoint field ends: ``(?=#)`` is removed
because the literal ``#`` follows in the rule, and ``(?!*#)`` before a field of printable
characters (not the lone ``*`` that means "no position") becomes the same set of strings
spelled without lookaround.  Anything else the generator cannot rewrite is an error.

Alternatives keep lark's order of terminal priority, because lark's lexer tries
terminals in that order; ``tests/test_fastpath.py`` proves on strings generated from the
grammar (and mutated) that the regular expressions and lark accept the same strings and
build equal values, that the portable expressions (also compiled by pyarrow and Polars)
accept the same strings and pick the same rule, and that the generated file is current
(``python -m cdcpos._generate --check``).

Run ``python -m cdcpos._generate`` in a checkout after editing the grammar; it refuses to
rewrite an installed package.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import re
import sys
from pathlib import Path
from typing import Any

ENTRY_POINTS = ("start_position", "stop_position", "checkpoint", "db2_start_from_context")
GENERATED = Path(__file__).with_name("_fastpath.py")


def grammar_path() -> Path:
    """The grammar file: inside the installed package, or at the top of a checkout."""
    packaged = Path(__file__).with_name("grammar") / "cdcpos.lark"
    if packaged.is_file():
        return packaged
    return Path(__file__).resolve().parent.parent / "grammar" / "cdcpos.lark"


class _Deriver:
    def __init__(self, grammar_text: str) -> None:
        from lark import Lark

        parser = Lark(grammar_text, parser="lalr", start=list(ENTRY_POINTS))
        # Terminals the grammar names; the others are its anonymous literals ("#"), which
        # carry no value and are not captured.
        self.named = set(re.findall(r"^([A-Z][A-Z0-9_]*)(?:\.[0-9]+)?\s*:", grammar_text, re.M))
        self.terminals = {t.name: t for t in parser.terminals}
        self.rules: dict[str, list[Any]] = {}
        for rule in parser.rules:
            self.rules.setdefault(rule.origin.name, []).append(rule)
        # lark's lexer tries terminals by descending priority; a choice between
        # terminals must try them in the same order to pick the same one.
        self.priority = {t.name: t.priority for t in parser.terminals}

    def _alternatives(self, name: str) -> list[Any]:
        # Priority first (the lexer's order).  Alternatives of equal priority are disjoint
        # (the differential tests check it), so their order only affects speed: those
        # whose first terminal has a short bounded width fail fastest, so they go first.
        rules = self.rules[name]
        return sorted(rules, key=lambda r: (-max(self._first_priority(r), 0), self._first_width(r)))

    def _first_width(self, rule: Any) -> int:
        symbol = rule.expansion[0]
        if symbol.is_term:
            return int(self.terminals[symbol.name].pattern.max_width)
        return max(self._first_width(r) for r in self.rules[symbol.name])

    def _first_priority(self, rule: Any) -> int:
        symbol = rule.expansion[0]
        if symbol.is_term:
            return int(self.priority[symbol.name])
        return max(self._first_priority(r) for r in self.rules[symbol.name])

    def symbol(self, symbol: Any, groups: list[str] | None) -> str:
        """Regex of one grammar symbol; with ``groups``, capture every named terminal."""
        if symbol.is_term:
            body = self.terminals[symbol.name].pattern.to_regexp()
            if groups is None or symbol.name not in self.named:
                return f"(?:{body})"
            groups.append(symbol.name)
            return f"({body})"
        return self.rule(symbol.name, groups)

    def rule(self, name: str, groups: list[str] | None) -> str:
        alternatives = [
            "".join(self.symbol(s, groups) for s in r.expansion) for r in self._alternatives(name)
        ]
        return "(?:" + "|".join(alternatives) + ")"

    def entry(self, name: str) -> tuple[list[str], list[str]]:
        """The entry's alternatives (its pattern joined by ``|``), each one named group of a
        value rule, and those rule names."""
        value_rules: list[str] = []
        alternatives: list[str] = []
        for r in self._alternatives(name):
            if r.options.expand1 and len(r.expansion) == 1 and not r.expansion[0].is_term:
                rule_name = r.expansion[0].name  # `?entry: a | b` inlines to rule a or b
                value_rules.append(rule_name)
                alternatives.append(f"(?P<{rule_name}>{self.rule(rule_name, None)})")
            else:
                value_rules.append(name)
                body = "".join(self.symbol(s, None) for s in r.expansion)
                alternatives.append(f"(?P<{name}>{body})")
        return alternatives, value_rules

    # -- portable expressions: no lookaround, no capturing group ------------------------

    def _literal_of(self, symbol: Any) -> str | None:
        """The literal text a symbol always matches, or ``None``."""
        if not symbol.is_term:
            return None
        pattern = self.terminals[symbol.name].pattern
        return pattern.value if pattern.type == "str" else None

    def portable_symbol(self, symbol: Any, follow: str | None) -> str:
        """``symbol`` without lookaround; ``follow`` is the literal that always comes next."""
        if symbol.is_term:
            body = self.terminals[symbol.name].pattern.to_regexp()
            return "(?:" + _without_lookaround(symbol.name, body, follow) + ")"
        return self.portable_rule(symbol.name, follow)

    def portable_sequence(self, expansion: list[Any], follow: str | None) -> str:
        parts = []
        for index, symbol in enumerate(expansion):
            nxt = self._literal_of(expansion[index + 1]) if index + 1 < len(expansion) else follow
            parts.append(self.portable_symbol(symbol, nxt))
        return "".join(parts)

    def portable_rule(self, name: str, follow: str | None) -> str:
        alternatives = [
            self.portable_sequence(r.expansion, follow) for r in self._alternatives(name)
        ]
        return "(?:" + "|".join(alternatives) + ")"

    def portable_kinds(self, name: str) -> list[tuple[str, str]]:
        """``(value rule, portable pattern)`` of an entry, in the order the entry tries them."""
        kinds: list[tuple[str, str]] = []
        for r in self._alternatives(name):
            if r.options.expand1 and len(r.expansion) == 1 and not r.expansion[0].is_term:
                rule_name = r.expansion[0].name
                kinds.append((rule_name, self.portable_rule(rule_name, None)))
            else:
                kinds.append((name, self.portable_sequence(r.expansion, None)))
        return kinds

    def checkpoint_positions(self) -> list[tuple[str, str]]:
        """``(terminal, portable pattern)`` of a position field of a checkpoint."""
        found: list[tuple[str, str]] = []
        for r in self._alternatives("_checkpoint_position"):
            (symbol,) = r.expansion
            body = self.terminals[symbol.name].pattern.to_regexp()
            found.append((symbol.name, _without_lookaround(symbol.name, body, "#")))
        return found


# The lookarounds the grammar may use, and that the portable expressions rewrite.
_LOOKAHEAD_END = re.compile(r"\(\?=(?P<literal>(?:\\.|[^\\()])+)\)$")
_LOOKAHEAD_NOT = re.compile(r"^\(\?!(?P<literal>(?:\\.|[^\\()])+)\)")


def _literal_text(pattern: str) -> str | None:
    """The text a regular expression made of literals only matches, else ``None``."""
    from re import _parser  # the standard library's own parser of re syntax

    items = _parser.parse(pattern)
    if all(op is _parser.LITERAL for op, _ in items):
        return "".join(chr(code) for _, code in items)
    return None


def _class_chars(pattern: str) -> set[int] | None:
    """The characters of a one-character class ``[...]``, else ``None``."""
    from re import _parser

    items = _parser.parse(pattern)
    if len(items) != 1:
        return None
    op, av = items[0]
    if op is _parser.LITERAL:
        return {av}
    if op is not _parser.IN or any(o is _parser.NEGATE for o, _ in av):
        return None
    return _class_chars_of(av)


def _class_of(chars: set[int]) -> str:
    """A character class of ``chars``, written for every engine (``\\xHH`` escapes)."""
    ranges: list[tuple[int, int]] = []
    for code in sorted(chars):
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    return (
        "["
        + "".join(
            _class_char(a) if a == b else f"{_class_char(a)}-{_class_char(b)}" for a, b in ranges
        )
        + "]"
    )


def _class_char(code: int) -> str:
    char = chr(code)
    if char.isascii() and char.isalnum():
        return char
    if code > 0xFF:
        return f"\\x{{{code:X}}}"
    return f"\\x{code:02X}"


def _without_lookaround(name: str, body: str, follow: str | None) -> str:
    """Terminal ``name``'s expression ``body`` without lookaround, as portable syntax.

    ``follow`` is the literal the grammar always puts after the terminal.
    """
    ahead = _LOOKAHEAD_END.search(body)
    if ahead is not None:
        literal = _literal_text(ahead["literal"])
        if literal is None or follow is None or not follow.startswith(literal):
            raise ValueError(
                f"terminal {name}: cannot remove the look-ahead {ahead[0]} "
                f"(the grammar does not always follow it with that literal; next: {follow!r})"
            )
        body = body[: ahead.start()]
    behind = _LOOKAHEAD_NOT.match(body)
    if behind is not None:
        body = _excluding_word(name, body[behind.end() :], behind["literal"], follow)
    return portable(body)


def _excluding_word(name: str, body: str, excluded: str, follow: str | None) -> str:
    """``(?!<word><follow>)[C]+`` as an expression without look-ahead.

    The field is one or more characters of the class C, which does not hold the first
    character of the literal that follows it; so the look-ahead excludes exactly one
    field, ``<word>``.  The strings of C+ other than ``w1..wn``: those that differ from
    it at some first position i, and those that extend it.
    """
    literal = _literal_text(excluded)
    chars = _class_chars(body[:-1]) if body.endswith("+") else None
    word = literal[: -len(follow)] if literal and follow and literal.endswith(follow) else ""
    if (
        chars is None
        or not word
        or follow is None
        or ord(follow[0]) in chars
        or any(ord(c) not in chars for c in word)
    ):
        raise ValueError(f"terminal {name}: cannot remove the negative look-ahead (?!{excluded})")
    klass = _class_of(chars)
    alternatives = [
        re.escape(word[:i]) + _class_of(chars - {ord(word[i])}) + klass + "*"
        for i in range(len(word))
    ]
    alternatives.append(re.escape(word) + klass + "+")
    return "(?:" + "|".join(alternatives) + ")"


# Characters written with a backslash outside a class (the syntax all three engines share).
_META = set(".^$*+?()[]{}|\\")


def portable(pattern: str) -> str:
    """``pattern`` rewritten in the syntax RE2, Rust ``regex`` and Python ``re`` share.

    Capturing groups become non-capturing; lookaround, backreferences and anything else
    outside that common syntax raise ``ValueError``.
    """
    from re import _parser

    def literal(code: int) -> str:
        char = chr(code)
        if char in _META:
            return "\\" + char
        if 0x20 < code < 0x7F:
            return char
        return _class_char(code)

    def items(seq: Any) -> str:
        return "".join(item(op, av) for op, av in seq)

    def atom(seq: Any) -> str:
        # A repeated operand: one item that is already atomic, or a group.
        text = items(seq)
        if len(seq) == 1 and seq[0][0] in (_parser.LITERAL, _parser.IN, _parser.ANY):
            return text
        return f"(?:{text})"

    def item(op: Any, av: Any) -> str:
        if op is _parser.LITERAL:
            return literal(av)
        if op is _parser.IN:
            negate = any(o is _parser.NEGATE for o, _ in av)
            chars = _class_chars_of(av)
            if chars is None:
                raise ValueError(f"not portable: character class {av!r}")
            text = _class_of(chars)
            return "[^" + text[1:] if negate else text
        if op is _parser.SUBPATTERN:
            _group, add_flags, del_flags, seq = av
            if add_flags or del_flags:
                raise ValueError("not portable: inline flags")
            return f"(?:{items(seq)})"
        if op is _parser.BRANCH:
            return "(?:" + "|".join(items(seq) for seq in av[1]) + ")"
        if op is _parser.MAX_REPEAT:
            low, high, seq = av
            if (low, high) == (0, _parser.MAXREPEAT):
                suffix = "*"
            elif (low, high) == (1, _parser.MAXREPEAT):
                suffix = "+"
            elif (low, high) == (0, 1):
                suffix = "?"
            elif high is _parser.MAXREPEAT:
                suffix = f"{{{low},}}"
            elif low == high:
                suffix = f"{{{low}}}"
            else:
                suffix = f"{{{low},{high}}}"
            return atom(seq) + suffix
        raise ValueError(f"not portable: {op} (lookaround, backreference or lazy repeat)")

    return items(_parser.parse(pattern))


def _class_chars_of(av: Any) -> set[int] | None:
    """The characters a class's items name (a ``NEGATE`` is the caller's to apply), else
    ``None`` when an item is not a literal or a range (a category such as ``\\d``)."""
    from re import _parser

    chars: set[int] = set()
    for o, a in av:
        if o is _parser.NEGATE:
            continue
        if o is _parser.LITERAL:
            chars.add(a)
        elif o is _parser.RANGE:
            chars.update(range(a[0], a[1] + 1))
        else:
            return None
    return chars


def hints(pattern: str) -> tuple[int, int | None, str, str]:
    """Necessary conditions of a match, cheap to test before running the expression.

    ``(shortest, longest or None, literal prefix, characters every match contains)``,
    read from the expression's syntax tree: the columnar path runs an expression only on
    the rows that pass them, which changes no answer.
    """
    from re import _parser

    tree = _parser.parse(pattern)
    low, high = tree.getwidth()

    def prefix(items: Any) -> tuple[str, bool]:
        text = ""
        for op, av in items:
            if op is _parser.AT:
                continue
            if op is _parser.LITERAL:
                text += chr(av)
                continue
            if op is _parser.SUBPATTERN:
                inner, complete = prefix(av[3])
            elif op is _parser.BRANCH:
                found = [prefix(branch) for branch in av[1]]
                inner = _common_prefix([f[0] for f in found])
                complete = all(f == (inner, True) for f in found)
            else:
                inner, complete = "", False
            text += inner
            if not complete:
                return text, False
        return text, True

    def required(items: Any) -> set[str]:
        chars: set[str] = set()
        for op, av in items:
            if op is _parser.LITERAL:
                chars.add(chr(av))
            elif op is _parser.SUBPATTERN:
                chars |= required(av[3])
            elif op is _parser.BRANCH:
                chars |= set.intersection(*(required(branch) for branch in av[1]))
            elif op is _parser.MAX_REPEAT and av[0] >= 1:
                chars |= required(av[2])
        return chars

    longest = None if high >= _parser.MAXREPEAT else int(high)
    return int(low), longest, prefix(tree)[0], "".join(sorted(required(tree)))


def _common_prefix(texts: list[str]) -> str:
    shortest = min(texts, key=len)
    for index, char in enumerate(shortest):
        if any(text[index] != char for text in texts):
            return shortest[:index]
    return shortest


def render(grammar_text: str) -> str:
    """The source text of ``_fastpath.py`` for this grammar."""
    deriver = _Deriver(grammar_text)
    entry_patterns: dict[str, str] = {}
    entry_alternatives: dict[str, list[tuple[str, str]]] = {}
    value_rules: list[str] = []
    for entry in ENTRY_POINTS:
        alternatives, rules = deriver.entry(entry)
        entry_patterns[entry] = "|".join(alternatives)
        # The first character every match of an alternative starts with ('' when none is
        # fixed): parse() compiles only the alternatives a text's first character allows.
        entry_alternatives[entry] = [(hints(a)[2][:1], a) for a in alternatives]
        value_rules.extend(r for r in rules if r not in value_rules)
    rule_patterns: dict[str, str] = {}
    rule_groups: dict[str, tuple[str, ...]] = {}
    for rule in value_rules:
        groups: list[str] = []
        rule_patterns[rule] = deriver.rule(rule, groups)
        rule_groups[rule] = tuple(groups)
    terminal_patterns = {
        name: t.pattern.to_regexp()
        for name, t in deriver.terminals.items()
        if not name.startswith("_") and not name.startswith("__") and name.isupper()
    }
    portable_kinds = {entry: deriver.portable_kinds(entry) for entry in ENTRY_POINTS}
    portable_entries = {
        entry: "^(?:" + "|".join(pattern for _, pattern in kinds) + ")$"
        for entry, kinds in portable_kinds.items()
    }
    checkpoint_positions = deriver.checkpoint_positions()
    digest = hashlib.sha256(grammar_text.encode()).hexdigest()
    lines = [
        '"""Regular expressions derived from grammar/cdcpos.lark.  Generated: do not edit.',
        "",
        "Regenerate with ``python -m cdcpos._generate``; tests/test_fastpath.py fails when",
        'this file is stale and proves it accepts what the grammar accepts."""',
        "",
        f"GRAMMAR_SHA256 = {digest!r}",
        "",
        "ENTRY_PATTERNS = {",
        *(f"    {k!r}: {v!r}," for k, v in entry_patterns.items()),
        "}",
        "",
        "# Each entry's alternatives, joined by '|' above, with the first character every",
        "# match of it starts with ('': not fixed), for compiling only what a text can start.",
        "ENTRY_ALTERNATIVES = {",
        *(
            f"    {entry!r}: (\n"
            + "".join(f"        ({first!r}, {pattern!r}),\n" for first, pattern in pairs)
            + "    ),"
            for entry, pairs in entry_alternatives.items()
        ),
        "}",
        "",
        "RULE_PATTERNS = {",
        *(f"    {k!r}: {v!r}," for k, v in rule_patterns.items()),
        "}",
        "",
        "RULE_GROUP_TERMINALS = {",
        *(f"    {k!r}: {v!r}," for k, v in rule_groups.items()),
        "}",
        "",
        "TERMINAL_PATTERNS = {",
        *(f"    {k!r}: {v!r}," for k, v in terminal_patterns.items()),
        "}",
        "",
        "# Without lookaround or capturing groups: for RE2 (pyarrow, DuckDB) and Rust regex (Polars).",
        "# Anchored with ^...$; in Python use fullmatch ($ also matches before a final newline).",
        "PORTABLE_ENTRY_PATTERNS = {",
        *(f"    {k!r}: {v!r}," for k, v in portable_entries.items()),
        "}",
        "",
        "PORTABLE_KIND_PATTERNS = {",
        *(
            f"    {entry!r}: (\n"
            + "".join(
                f"        ({rule!r}, {'^(?:' + pattern + ')$'!r}),\n" for rule, pattern in kinds
            )
            + "    ),"
            for entry, kinds in portable_kinds.items()
        ),
        "}",
        "",
        "# Necessary conditions of each kind's portable expression (cdcpos._generate.hints):",
        "# (shortest, longest or None, literal prefix, characters every match contains).",
        "PORTABLE_KIND_HINTS = {",
        *(
            f"    {rule!r}: {hints('^(?:' + pattern + ')$')!r},"
            for rule, pattern in dict(
                kind for kinds in portable_kinds.values() for kind in kinds
            ).items()
        ),
        "}",
        "",
        "PORTABLE_CHECKPOINT_POSITION_PATTERNS = (",
        *(f"    ({k!r}, {'^(?:' + v + ')$'!r})," for k, v in checkpoint_positions),
        ")",
        "",
    ]
    return "\n".join(lines)


def _checkout_problem() -> str | None:
    """Why ``_fastpath.py`` must not be rewritten here, or ``None`` in a writable checkout."""
    package = GENERATED.resolve().parent
    if any(part in ("site-packages", "dist-packages") for part in package.parts):
        return f"{package} is an installed package (site-packages)"
    if not (package.parent / "grammar" / "cdcpos.lark").is_file():
        return f"{package} is not in a checkout of cdcpos (no grammar/cdcpos.lark beside it)"
    if not os.access(GENERATED, os.W_OK) or not os.access(package, os.W_OK):
        return f"{GENERATED} is not writable"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m cdcpos._generate",
        description="Derive cdcpos/_fastpath.py (the regular expressions of the fast path and "
        "the portable, lookaround-free ones of the columnar path) from grammar/cdcpos.lark. "
        "Run it in a checkout after editing the grammar; it never rewrites an installed package.",
    )
    parser.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when cdcpos/_fastpath.py differs from what the grammar gives",
    )
    args = parser.parse_args(argv)
    expected = render(grammar_path().read_text(encoding="utf-8"))
    from cdcpos._precompile import (
        GENERATED_SRE,
        check_sre,
        expected_sre,
        is_current,
        write_if_changed,
    )

    if args.check:
        return check_sre() if is_current(GENERATED, expected) else 1
    problem = _checkout_problem()
    if problem is not None:
        print(
            f"refusing to rewrite {GENERATED}: {problem}. Edit grammar/cdcpos.lark in a "
            "checkout of cdcpos and run `python -m cdcpos._generate` there "
            "(`--check` only compares).",
            file=sys.stderr,
        )
        return 2
    rewritten = write_if_changed(GENERATED, expected)
    write_if_changed(GENERATED_SRE, expected_sre(reload=rewritten))  # from _fastpath.py as written
    return 0


if __name__ == "__main__":
    sys.exit(main())
