"""The fast path is derived from the grammar; these tests prove it equals the grammar.

* The generated module is current (regenerating it from grammar/cdcpos.lark changes nothing).
* On strings generated from the grammar itself (hypothesis.extra.lark.from_lark), on the
  spec's examples, and on mutations of both, the derived regular expressions and lark
  accept exactly the same strings and build equal values.
* On the same strings, the portable expressions (no lookaround, for RE2 and Rust regex)
  accept exactly what the derived ones accept and pick the same rule, compiled by Python,
  by pyarrow (RE2) and by Polars (Rust regex).
* ``python -m cdcpos._generate`` checks (``--check``), explains itself (``--help``) and
  never rewrites an installed package.
"""

from __future__ import annotations

import functools
import re
import shutil
import subprocess
import sys
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
from cdcpos._generate import main as generate_main
from cdcpos._lark import lark_parser, parse_with_lark
from cdcpos._parse import _BUILD, matcher
from cdcpos._positions import Checkpoint, Position

from . import background
from .background import Run, Steps
from .examples import INVALID_STRINGS, SPEC_EXAMPLES

ROOT = Path(__file__).resolve().parent.parent
LOOKAHEAD = "(?=#)"


def test_generated_fast_path_is_current(capsys: pytest.CaptureFixture[str]) -> None:
    # In process (`--check` in a process of its own: the stale-file test below).
    assert generate_main(["--check"]) == 0, (
        "cdcpos/_fastpath.py is stale: run `python -m cdcpos._generate`\n" + capsys.readouterr().err
    )
    expected = render(grammar_path().read_text(encoding="utf-8"))
    assert GENERATED.read_text(encoding="utf-8") == expected


def _copy_checkout(tmp_path: Path) -> Path:
    checkout = tmp_path / "checkout"
    shutil.copytree(
        ROOT / "cdcpos", checkout / "cdcpos", ignore=shutil.ignore_patterns("__pycache__")
    )
    shutil.copytree(ROOT / "grammar", checkout / "grammar")
    return checkout


def _generate_run(*args: str, path: Path) -> Run:
    """_generate as a process of a background job (tests/background.py)."""
    return Run(
        [sys.executable, "-m", "cdcpos._generate", *args],
        cwd=path,
        env=background.environ(PYTHONPATH=str(path)),
    )


# The generator in processes of its own, on copies of the checkout: 1.5 to 3 s of
# waiting, which the jobs spend while the tests before these run.
@background.job("test_check_fails_on_a_stale_file_and_generate_repairs_it")
def _stale_file_repaired(tmp: Path) -> Steps[dict[str, Any]]:
    seen: dict[str, Any] = {}
    checkout = _copy_checkout(tmp)
    generated = checkout / "cdcpos" / "_fastpath.py"
    generated.write_text(generated.read_text(encoding="utf-8") + "# edited\n", encoding="utf-8")
    seen["stale"] = yield _generate_run("--check", path=checkout)
    seen["after check"] = generated.read_text(encoding="utf-8")
    seen["generate"] = yield _generate_run(path=checkout)
    seen["check again"] = yield _generate_run("--check", path=checkout)
    seen["after generate"] = generated.read_text(encoding="utf-8")
    return seen


def test_check_fails_on_a_stale_file_and_generate_repairs_it() -> None:
    seen = _stale_file_repaired.result()
    stale = seen["stale"]
    assert stale.returncode == 1 and "stale" in stale.stderr
    assert seen["after check"].endswith("# edited\n")  # --check writes nothing
    assert seen["generate"].returncode == 0
    assert seen["check again"].returncode == 0
    assert seen["after generate"] == GENERATED.read_text(encoding="utf-8")


@background.job("test_generate_never_rewrites_an_installed_package")
def _installed_package(tmp: Path) -> Steps[dict[str, Any]]:
    # The layout of a wheel: the grammar inside the package, in site-packages.
    seen: dict[str, Any] = {}
    site = tmp / "lib" / "site-packages"
    shutil.copytree(ROOT / "cdcpos", site / "cdcpos", ignore=shutil.ignore_patterns("__pycache__"))
    (site / "cdcpos" / "grammar").mkdir()
    shutil.copy(ROOT / "grammar" / "cdcpos.lark", site / "cdcpos" / "grammar" / "cdcpos.lark")
    generated = site / "cdcpos" / "_fastpath.py"
    seen["stale text"] = generated.read_text(encoding="utf-8") + "# stale\n"
    generated.write_text(seen["stale text"], encoding="utf-8")
    seen["generate"] = yield _generate_run(path=site)
    seen["after generate"] = generated.read_text(encoding="utf-8")
    seen["check"] = yield _generate_run("--check", path=site)
    return seen


def test_generate_never_rewrites_an_installed_package() -> None:
    seen = _installed_package.result()
    result = seen["generate"]
    assert result.returncode == 2
    assert "refusing to rewrite" in result.stderr and "site-packages" in result.stderr
    assert seen["after generate"] == seen["stale text"]
    assert seen["check"].returncode == 1  # checking is still allowed


@background.job("test_generate_outside_a_checkout_refuses")
def _outside_a_checkout(tmp: Path) -> Steps[subprocess.CompletedProcess[str]]:
    # A copy of the package without grammar/ beside it (and not in site-packages).
    shutil.copytree(ROOT / "cdcpos", tmp / "cdcpos", ignore=shutil.ignore_patterns("__pycache__"))
    (tmp / "cdcpos" / "grammar").mkdir()
    shutil.copy(ROOT / "grammar" / "cdcpos.lark", tmp / "cdcpos" / "grammar" / "cdcpos.lark")
    return (yield _generate_run(path=tmp))


def test_generate_outside_a_checkout_refuses() -> None:
    result = _outside_a_checkout.result()
    assert result.returncode == 2 and "not in a checkout" in result.stderr


def test_generate_help(capsys: pytest.CaptureFixture[str]) -> None:
    # In process: every other test here runs the generator as `python -m cdcpos._generate`.
    with pytest.raises(SystemExit) as exit:
        generate_main(["--help"])
    assert exit.value.code == 0
    out = capsys.readouterr().out
    assert "--check" in out and "grammar/cdcpos.lark" in out
    assert out.startswith("usage: python -m cdcpos._generate")


def test_grammar_digest_matches() -> None:
    import hashlib

    text = (ROOT / "grammar" / "cdcpos.lark").read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode()).hexdigest() == _fastpath.GRAMMAR_SHA256


def test_fast_path_never_imports_lark(tmp_path: Path) -> None:
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


# Built once (a strategy made inside a draw is validated again on every draw).
_OPERATIONS = st.sampled_from(["delete", "insert", "replace", "duplicate", "case"])
_CHARACTERS = st.sampled_from(_MUTATION_ALPHABET)


@st.composite
def mutated(draw: st.DrawFn, base: st.SearchStrategy[str]) -> str:
    text = draw(base)
    for _ in range(draw(st.integers(1, 3))):
        operation = draw(_OPERATIONS)
        index = draw(st.integers(0, len(text)))
        char = draw(_CHARACTERS)
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


# Small budgets in the fast suite; test_differential_long_run and test_portable_long_run
# (slow) draw from the same strategies with big ones.
@pytest.mark.parametrize("entry", ENTRY_POINTS)
@_differential(8)
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
@_differential(8)
@given(data=st.data())
def test_mutated_grammar_strings_agree(entry: str, data: st.DataObject) -> None:
    assert_agree(entry, data.draw(_mutated_grammar_strings(entry)))


_EXAMPLE_TEXTS = [s for s, _ in SPEC_EXAMPLES] + [s for s, *_ in INVALID_STRINGS]


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@pytest.mark.parametrize("text", _EXAMPLE_TEXTS)
def test_examples_agree(entry: str, text: str) -> None:
    assert_agree(entry, text)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@_differential(12)
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


# ---------------------------------------------------------------- portable expressions

ENTRY_RULES = {
    entry: tuple(rule for rule, _ in kinds)
    for entry, kinds in _fastpath.PORTABLE_KIND_PATTERNS.items()
}


def derived_rule(entry: str, text: str) -> str | None:
    """The rule the derived expression picks (``lastgroup``), or ``None``."""
    found = matcher(entry)(text)
    return None if found is None else found.lastgroup


@functools.cache
def _portable(entry: str) -> tuple[re.Pattern[str], list[tuple[str, re.Pattern[str]]]]:
    return re.compile(_fastpath.PORTABLE_ENTRY_PATTERNS[entry]), [
        (rule, re.compile(pattern)) for rule, pattern in _fastpath.PORTABLE_KIND_PATTERNS[entry]
    ]


def portable_rule(entry: str, text: str) -> str | None:
    """The first rule whose portable expression matches, by Python's re.

    ``fullmatch``: in Python, ``$`` also matches before a final newline (not in RE2 or Rust).
    """
    whole, kinds = _portable(entry)
    rule = next((rule for rule, pattern in kinds if pattern.fullmatch(text)), None)
    assert (rule is not None) == (whole.fullmatch(text) is not None), (entry, text)
    return rule


def assert_portable_agrees(entry: str, texts: list[str]) -> None:
    """Python re, pyarrow (RE2) and Polars (Rust regex) all pick the derived rule."""
    import polars as pl
    import pyarrow as pa
    import pyarrow.compute as pc

    expected = [derived_rule(entry, t) for t in texts]
    assert [portable_rule(entry, t) for t in texts] == expected, texts
    column, series = pa.array(texts, pa.string()), pl.Series(texts, dtype=pl.String)
    by_arrow: list[str | None] = [None] * len(texts)
    by_polars: list[str | None] = [None] * len(texts)
    for rule, pattern in _fastpath.PORTABLE_KIND_PATTERNS[entry]:
        for found, hits in (
            (by_arrow, pc.match_substring_regex(column, pattern).to_pylist()),
            (by_polars, series.str.contains(pattern).to_list()),
        ):
            for i, hit in enumerate(hits):
                if hit and found[i] is None:
                    found[i] = rule
    assert by_arrow == expected, texts
    assert by_polars == expected, texts
    whole = _fastpath.PORTABLE_ENTRY_PATTERNS[entry]
    accepted = [rule is not None for rule in expected]
    assert pc.match_substring_regex(column, whole).to_pylist() == accepted
    assert series.str.contains(whole).to_list() == accepted


def test_portable_expressions_have_no_lookaround_or_group() -> None:
    from re import _parser  # type: ignore[attr-defined]

    def walk(items: Any) -> None:
        for op, av in items:
            assert op not in (_parser.ASSERT, _parser.ASSERT_NOT, _parser.GROUPREF), op
            if op is _parser.SUBPATTERN:
                walk(av[3])
            elif op is _parser.BRANCH:
                for branch in av[1]:
                    walk(branch)
            elif op in (_parser.MAX_REPEAT, _parser.MIN_REPEAT):
                assert op is _parser.MAX_REPEAT
                walk(av[2])

    patterns = [*_fastpath.PORTABLE_ENTRY_PATTERNS.values()]
    patterns += [p for kinds in _fastpath.PORTABLE_KIND_PATTERNS.values() for _, p in kinds]
    patterns += [p for _, p in _fastpath.PORTABLE_CHECKPOINT_POSITION_PATTERNS]
    for pattern in patterns:
        assert re.compile(pattern).groups == 0, pattern
        assert pattern.startswith("^") and pattern.endswith("$"), pattern
        walk(_parser.parse(pattern))
    # Every value rule of each entry, in the derived expression's order.
    for entry, rules in ENTRY_RULES.items():
        assert list(rules) == list(re.compile(_fastpath.ENTRY_PATTERNS[entry]).groupindex)


def test_a_lookaround_the_generator_cannot_remove_is_an_error() -> None:
    from cdcpos._generate import _without_lookaround

    assert _without_lookaround("T", "[a-z]+(?=#)", "#") == "[a-z]+"
    with pytest.raises(ValueError, match="look-ahead"):
        _without_lookaround("T", "[a-z]+(?=#)", ":")  # not followed by '#'
    with pytest.raises(ValueError, match="negative look-ahead"):
        _without_lookaround("T", "(?!AB#)[a-z]+(?=#)", "#")  # word outside the class
    with pytest.raises(ValueError, match="not portable"):
        _without_lookaround("T", "(?<=a)b", None)


def test_checkpoint_position_patterns_pick_the_lexer_terminal() -> None:
    # The field between two '#': the first portable terminal that matches is the one
    # the derived checkpoint expression captured.
    decode = re.compile(_fastpath.RULE_PATTERNS["checkpoint"]).fullmatch
    names = _fastpath.RULE_GROUP_TERMINALS["checkpoint"]
    patterns = [(t, re.compile(p)) for t, p in _fastpath.PORTABLE_CHECKPOINT_POSITION_PATTERNS]
    for text, _ in SPEC_EXAMPLES:
        found = decode(text)
        if found is None:
            continue
        field = text.split("#")[2]
        captured = next(
            names[i]
            for i, g in enumerate(found.groups())
            if g == field
            and names[i] not in ("CHECKPOINT_COUNTER", "CHECKPOINT_VERSION", "CHECKPOINT_PREFIX")
        )
        assert next(t for t, p in patterns if p.search(field)) == captured


@pytest.mark.parametrize("entry", ENTRY_POINTS)
@_differential(5)
@given(data=st.data())
def test_portable_agrees_on_generated_and_mutated_strings(entry: str, data: st.DataObject) -> None:
    texts = data.draw(
        st.lists(
            st.one_of(grammar_strings(entry), _mutated_grammar_strings(entry)),
            min_size=1,
            max_size=8,
        )
    )
    assert_portable_agrees(entry, texts)


@pytest.mark.parametrize("entry", ENTRY_POINTS)
def test_portable_agrees_on_examples(entry: str) -> None:
    assert_portable_agrees(
        entry, [*_EXAMPLE_TEXTS, "0/1\n", "\n0/1", "checkpoint:V1#1#*#0#0#*#0#0"]
    )


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRY_POINTS)
@_differential(500)
@given(data=st.data())
def test_portable_long_run(entry: str, data: st.DataObject) -> None:
    texts = data.draw(st.lists(_long_run_strings(entry), min_size=1, max_size=8))
    assert_portable_agrees(entry, texts)
