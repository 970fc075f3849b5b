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

Alternatives keep lark's order of terminal priority, because lark's lexer tries
terminals in that order; ``tests/test_fastpath.py`` proves on strings generated from the
grammar (and mutated) that the regular expressions and lark accept the same strings and
build equal values, and fails when the generated file is stale.

Run ``python -m cdcpos._generate`` after editing the grammar.
"""

from __future__ import annotations

import hashlib
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

    def entry(self, name: str) -> tuple[str, list[str]]:
        """Entry pattern with one named group per value rule, and those rule names."""
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
        return "|".join(alternatives), value_rules


def render(grammar_text: str) -> str:
    """The source text of ``_fastpath.py`` for this grammar."""
    deriver = _Deriver(grammar_text)
    entry_patterns: dict[str, str] = {}
    value_rules: list[str] = []
    for entry in ENTRY_POINTS:
        pattern, rules = deriver.entry(entry)
        entry_patterns[entry] = pattern
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
    ]
    return "\n".join(lines)


def main() -> int:
    GENERATED.write_text(render(grammar_path().read_text(encoding="utf-8")), encoding="utf-8")
    print(f"wrote {GENERATED}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
