"""The fast path is derived from the grammar; these tests prove it equals the grammar.

* The generated module is current (regenerating it from grammar/cdcpos.lark changes nothing).
* On strings generated from the grammar itself (hypothesis.extra.lark.from_lark), on the
  spec's examples, and on mutations of both, the derived regular expressions and lark
  accept exactly the same strings and build equal values.
"""

from __future__ import annotations

import functools
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.lark import from_lark
from lark.exceptions import LarkError

import cdcpos
from cdcpos import _fastpath
from cdcpos._errors import Rejected
from cdcpos._generate import ENTRY_POINTS, GENERATED, grammar_path, render
from cdcpos._lark import lark_parser, parse_with_lark
from cdcpos._parse import _BUILD, matcher
from cdcpos._positions import Checkpoint, Position

from .examples import INVALID_STRINGS, SPEC_EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
LOOKAHEAD = "(?=#)"


def test_generated_fast_path_is_current() -> None:
    expected = render(grammar_path().read_text(encoding="utf-8"))
    assert GENERATED.read_text(encoding="utf-8") == expected, (
        "cdcpos/_fastpath.py is stale: run `python -m cdcpos._generate`"
    )


def test_grammar_digest_matches() -> None:
    import hashlib

    text = (ROOT / "grammar" / "cdcpos.lark").read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode()).hexdigest() == _fastpath.GRAMMAR_SHA256


def test_fast_path_never_imports_lark(tmp_path: Path) -> None:
    import subprocess
    import sys

    code = (
        "import sys, cdcpos\n"
        "cdcpos.parse_many(open(sys.argv[1]).read().splitlines(), errors='skip')\n"
        "for s in ['0/16B3748', 'checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0']:\n"
        "    v = cdcpos.parse(s); v < v; hash(v); v.kind\n"
        "cdcpos.parse_checkpoint('checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0').position\n"
        "heavy = [m for m in ('lark', 'regex', 'pydantic', 'hypothesis', 'boto3')"
        " if m in sys.modules]\n"
        "print(heavy)\n"
    )
    valid = tmp_path / "valid.txt"
    valid.write_text("\n".join(s for s, _ in SPEC_EXAMPLES) + "\n", encoding="utf-8")
    result = subprocess.run(
        [sys.executable, "-c", code, str(valid)], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


# ---------------------------------------------------------------- the two parsers


def fast(entry: str, text: str) -> Position | None:
    """The fast path alone: derived regex and constructor, ``None`` when it rejects."""
    found = matcher(entry)(text)
    if found is None:
        return None
    try:
        return _BUILD[found.lastgroup](text)  # type: ignore[index]
    except Rejected:
        return None


def slow(entry: str, text: str) -> Position | None:
    """lark alone on the grammar, ``None`` when it rejects."""
    try:
        return parse_with_lark(entry, text)
    except LarkError:
        return None
    except Rejected:
        return None


def same_value(a: Position, b: Position) -> bool:
    if type(a) is not type(b) or str(a) != str(b):
        return False
    if isinstance(a, Checkpoint):
        fields_a, fields_b = a._fields(), b._fields()  # type: ignore[attr-defined]
        return all(
            (x is None and y is None) or (type(x) is type(y) and x == y)
            for x, y in zip(fields_a, fields_b, strict=True)
        )
    return bool(a == b) and a._sort_key() == b._sort_key()


def assert_agree(entry: str, text: str) -> None:
    a, b = fast(entry, text), slow(entry, text)
    if a is None or b is None:
        assert a is None and b is None, (entry, text, a, b)
    else:
        assert same_value(a, b), (entry, text, a, b)


# ---------------------------------------------------------------- generated strings


def _terminal_strategies(entry: str) -> dict[str, Any]:
    # A terminal that looks ahead to the '#' after it cannot be generated on its own
    # (from_regex generates whole tokens); generate the token without the look-ahead,
    # and the parsers judge the joined string.
    explicit: dict[str, Any] = {}
    if entry not in ("checkpoint", "start_position"):  # the only entries with checkpoints
        return explicit
    for name, pattern in _fastpath.TERMINAL_PATTERNS.items():
        if pattern.endswith(LOOKAHEAD):
            explicit[name] = st.from_regex(pattern[: -len(LOOKAHEAD)], fullmatch=True)
    return explicit


@functools.cache
def grammar_strings(entry: str) -> st.SearchStrategy[str]:
    # Built once per entry: from_lark validates a strategy for every terminal.
    return from_lark(
        lark_parser(transform=False), start=entry, explicit=_terminal_strategies(entry)
    )


# Characters that matter to the grammar, plus ones it never accepts.
_MUTATION_ALPHABET = "0123456789abcdefABCDEFxXV:/.#-*$_ T\t\n\u0660\u00b2\u201c'\" NOWtimestamp"


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    text = draw(base)
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(st.sampled_from(["delete", "insert", "replace", "duplicate", "case"]))
        index = draw(st.integers(0, len(text)))
        char = draw(st.sampled_from(_MUTATION_ALPHABET))
        if operation == "delete" and text:
            index = min(index, len(text) - 1)
            text = text[:index] + text[index + 1 :]
        elif operation == "insert":
            text = text[:index] + char + text[index:]
        elif operation == "replace" and text:
            index = min(index, len(text) - 1)
            text = text[:index] + char + text[index + 1 :]
        elif operation == "duplicate":
            end = draw(st.integers(index, len(text)))
            text = text[:end] + text[index:end] + text[end:]
        elif operation == "case":
            text = text.swapcase()
    return text


def _differential(examples: int) -> Any:
    def decorate(test: Any) -> Any:
        return settings(
            max_examples=examples,
            deadline=None,
            database=None,
            suppress_health_check=list(HealthCheck),
        )(test)

    return decorate


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@_differential(50)
@given(data=st.data())
def test_grammar_strings_agree(entry: str, data: st.DataObject) -> None:
    text = data.draw(grammar_strings(entry))
    assert_agree(entry, text)
    # Whatever the grammar generates and both accept round-trips through str().
    value = fast(entry, text)
    if value is not None and isinstance(value, Checkpoint):
        assert str(value) == text


@functools.cache
def _mutated_grammar_strings(entry: str) -> st.SearchStrategy[str]:
    return mutated(grammar_strings(entry))


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@_differential(50)
@given(data=st.data())
def test_mutated_grammar_strings_agree(entry: str, data: st.DataObject) -> None:
    assert_agree(entry, data.draw(_mutated_grammar_strings(entry)))


_EXAMPLE_TEXTS = [s for s, _ in SPEC_EXAMPLES] + [s for s, *_ in INVALID_STRINGS]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("text", _EXAMPLE_TEXTS)
def test_examples_agree(entry: str, text: str) -> None:
    assert_agree(entry, text)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@_differential(50)
@given(data=st.data())
def test_mutated_examples_agree(entry: str, data: st.DataObject) -> None:
    assert_agree(entry, data.draw(mutated(st.sampled_from(_EXAMPLE_TEXTS))))


@functools.cache
def _long_run_strings(entry: str) -> st.SearchStrategy[str]:
    base = st.one_of(grammar_strings(entry), st.sampled_from(_EXAMPLE_TEXTS))
    return st.one_of(base, mutated(base))


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRY_POINTS)
@_differential(2000)
@given(data=st.data())
def test_differential_long_run(entry: str, data: st.DataObject) -> None:
    text = data.draw(_long_run_strings(entry))
    assert_agree(entry, text)


def test_public_parse_agrees_with_lark_on_examples() -> None:
    """The public entry points give lark's answer, and the error when lark rejects."""
    for text in _EXAMPLE_TEXTS:
        expected = slow("start_position", text) or slow("stop_position", text)
        if expected is None:
            with pytest.raises(cdcpos.InvalidPosition):
                cdcpos.parse(text)
        else:
            assert same_value(cdcpos.parse(text), expected)


def test_entry_patterns_capture_only_value_rules() -> None:
    # match.lastgroup must name a value rule: no other capturing group may exist.
    for entry, pattern in _fastpath.ENTRY_PATTERNS.items():
        compiled = re.compile(pattern)
        assert set(compiled.groupindex) <= set(_BUILD), entry
        assert compiled.groups == len(compiled.groupindex), entry
