"""The prefix automaton (``cdcpos._automaton``) is proved against lark, the grammar itself.

The automaton answers, for a prefix ``p`` of a text: is ``p`` the start of some valid
string (viable), and is ``p`` itself valid (complete)?  Lark judges both directions:

* viable => true: for every prefix the automaton calls viable, it also builds a witness
  completion ``w`` (:func:`completion` below), and lark must accept ``p + w``;
* not viable => true: if some lark-valid string ``v`` started with a prefix the automaton
  calls dead, the automaton would reject ``v`` itself; so this direction is the automaton
  accepting every lark-valid string, checked on strings generated from the grammar
  (``hypothesis.extra.lark.from_lark``) and their every prefix;
* complete <=> lark accepts, on generated strings, mutations of them (insertions,
  deletions, substitutions, truncations) and every prefix of those.

Lark is used without its transformer, so the checks are the grammar's syntax alone (a
calendar or range check belongs to the values, not to the first problem's column).
"""

from __future__ import annotations

import functools
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lark.exceptions import LarkError

from cdcpos import _automaton, _diagnose, _fastpath
from cdcpos._automaton import Automaton, for_pattern
from cdcpos._generate import ENTRY_POINTS
from cdcpos._lark import lark_parser
from cdcpos._rules import ANY_PARTS, entry_pattern

from .examples import DB2_EXAMPLES, INVALID_STRINGS, SPEC_EXAMPLES
from .test_fastpath import _differential, grammar_strings, mutated

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = [*ENTRY_POINTS, "any"]


def for_entry(entry: str) -> Automaton:
    """The automaton of an entry point's derived expression (``any``: start or stop)."""
    return for_pattern(entry_pattern(entry))


@functools.lru_cache(maxsize=1 << 16)  # prefixes repeat across examples ("checkpoint:V1#...")
def lark_accepts(entry: str, text: str) -> bool:
    """The grammar's verdict on ``text`` (syntax only; ``any``: a start or stop position)."""
    starts = ANY_PARTS if entry == "any" else (entry,)
    for start in starts:
        try:
            lark_parser(transform=False).parse(text, start=start)
        except LarkError:
            continue
        return True
    return False


@functools.lru_cache(maxsize=1 << 16)  # automata are shared (for_pattern): states repeat
def completion(automaton: Automaton, state: int) -> str | None:
    """A shortest text completing the one read up to ``state`` (``None``: none): the
    witness lark is given.  A breadth-first search over the automaton's live threads."""
    representative = {
        cls: chr(low)
        for low, cls in reversed(
            list(zip(automaton._starts, automaton._interval_class, strict=True))
        )
    }
    for char in reversed(_automaton.PRINTABLE):  # a printable one, where there is one
        representative[automaton.class_of(char)] = char
    previous: dict[int, tuple[int, int] | None] = dict.fromkeys(automaton._subsets[state])
    queue = list(previous)
    for thread in queue:  # grows while walked: breadth first
        if automaton._accepting(thread):
            path = []
            while (step := previous[thread]) is not None:
                thread, cls = step
                path.append(representative[cls])
            return "".join(reversed(path))
        for cls, targets in sorted(automaton._live_moves(thread).items()):
            for target in sorted(targets):
                if target not in previous:
                    previous[target] = (thread, cls)
                    queue.append(target)
    return None


def test_completion_is_a_shortest_witness() -> None:
    automaton = Automaton(r"[0-9]{2}/[0-9]")
    assert completion(automaton, automaton.scan("1").state) == "0/0"
    assert completion(automaton, automaton.scan("").state) == "00/0"
    assert completion(Automaton(r"a(?=b)c"), 0) is None


def check_text(entry: str, text: str, *, valid: bool | None = None) -> None:
    """Every prefix of ``text``: the automaton's verdicts, each one confirmed by lark."""
    automaton = for_entry(entry)
    scan = automaton.scan(text)
    assert 0 <= scan.length <= len(text)
    if valid:
        assert scan.length == len(text), (entry, text, scan)
    for end in range(scan.length + 1):
        prefix = text[:end]
        at = automaton.scan(prefix)
        assert at.length == end, (entry, text, end)  # a prefix of a viable prefix is viable
        assert at.complete == lark_accepts(entry, prefix), (entry, prefix)
        witness = completion(automaton, at.state)
        assert witness is not None, (entry, prefix)
        assert lark_accepts(entry, prefix + witness), (entry, prefix, witness)
    if scan.length < len(text):
        # The first problem: the character there is not among the continuations, and the
        # text is not valid.
        assert text[scan.length] not in automaton.continuations(scan.state)
        assert not lark_accepts(entry, text), (entry, text)
        assert automaton.scan(text[: scan.length + 1]).length == scan.length
    else:
        assert scan.complete == lark_accepts(entry, text), (entry, text)


def check_continuations(entry: str, text: str) -> None:
    """At the first problem: exactly the continuations the automaton names keep the text
    viable, each confirmed by a witness lark accepts."""
    automaton = for_entry(entry)
    scan = automaton.scan(text)
    prefix = text[: scan.length]
    allowed = automaton.continuations(scan.state)
    for char in _automaton.PRINTABLE:
        extended = automaton.scan(prefix + char)
        assert (extended.length == len(prefix) + 1) == (char in allowed), (prefix, char)
        if char in allowed:
            witness = completion(automaton, extended.state)
            assert witness is not None
            assert lark_accepts(entry, prefix + char + witness), (entry, prefix, char, witness)


@functools.cache
def strings(entry: str) -> st.SearchStrategy[str]:
    if entry == "any":
        return st.one_of(grammar_strings("start_position"), grammar_strings("stop_position"))
    return grammar_strings(entry)


@functools.cache
def mutated_strings(entry: str) -> st.SearchStrategy[str]:
    return mutated(strings(entry))


# ---------------------------------------------------------------- against lark


# Small budgets in the fast suite (every prefix of every string goes to lark); the slow
# twins below draw from the same strategies with big ones.
@pytest.mark.parametrize("entry", ENTRIES)
@_differential(6)
@given(data=st.data())
def test_generated_strings_and_their_prefixes(entry: str, data: st.DataObject) -> None:
    check_text(entry, data.draw(strings(entry)), valid=True)


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES)
@_differential(150)
@given(data=st.data())
def test_many_generated_strings_and_their_prefixes(entry: str, data: st.DataObject) -> None:
    check_text(entry, data.draw(strings(entry)), valid=True)


@pytest.mark.parametrize("entry", ENTRIES)
@_differential(6)
@given(data=st.data())
def test_mutated_strings_and_their_prefixes(entry: str, data: st.DataObject) -> None:
    text = data.draw(mutated_strings(entry))
    check_text(entry, text)
    check_continuations(entry, text)


@pytest.mark.slow
@pytest.mark.parametrize("entry", ENTRIES)
@_differential(400)
@given(data=st.data())
def test_many_mutated_strings_and_their_prefixes(entry: str, data: st.DataObject) -> None:
    text = data.draw(mutated_strings(entry))
    check_text(entry, text)
    check_continuations(entry, text)


EXAMPLES = [t for t, _ in SPEC_EXAMPLES] + [t for t, _ in DB2_EXAMPLES]
EXAMPLES += [t for t, *_ in INVALID_STRINGS]


@pytest.mark.parametrize("entry", ENTRIES)
def test_examples_and_known_mistakes(entry: str) -> None:
    for text in EXAMPLES:
        check_text(entry, text)
        check_continuations(entry, text)


# ---------------------------------------------------------------- lookaheads


def test_the_negative_lookahead_is_kept() -> None:
    """``(?!\\*#)``: a lone ``*`` is no position in the first field, but ``*x`` is opaque
    (dropping the lookahead would accept the first text)."""
    checkpoint = for_entry("checkpoint")
    lone = "checkpoint:V1#1#*#0#0#*#0#0"
    assert not lark_accepts("checkpoint", lone)
    assert checkpoint.scan(lone).length == lone.index("*#") + 1
    assert checkpoint.scan("checkpoint:V1#1#*").length == len("checkpoint:V1#1#*")
    assert "#" not in checkpoint.continuations(checkpoint.scan("checkpoint:V1#1#*").state)
    for text in ("checkpoint:V1#1#*x#0#0#*#0#0", "checkpoint:V1#1#x#0#0#*#0#0"):
        assert lark_accepts("checkpoint", text)
        assert checkpoint.scan(text) == (len(text), checkpoint.scan(text).state, True)


def test_lookaheads_in_general() -> None:
    # A positive lookahead that the next character contradicts leaves nothing.
    assert completion(Automaton(r"a(?=b)c"), 0) is None
    assert Automaton(r"a(?=b)c").scan("a").length == 0
    # One that agrees with what follows changes nothing.
    agreeing = Automaton(r"a+(?=#)#")
    assert agreeing.scan("aa#").complete and agreeing.scan("aab").length == 2
    # A negative lookahead over two characters.
    banned = Automaton(r"(?!xy)[a-z]+")
    assert banned.scan("xy").length == 1 and banned.scan("xz").complete
    assert banned.scan("x").complete and banned.scan("xyz").length == 1
    # At the end of a text the lookahead's body cannot follow: a negative one holds.
    assert Automaton(r"a(?!b)").scan("a").complete
    assert not Automaton(r"a(?=b)").scan("a").complete


@pytest.mark.parametrize(
    "pattern",
    [r"(?<=a)b", r"(a)\1", r"\d", r"[\w]", r"a++", r"(?>a)", r"(?i)a", r"^a", r"a$", r"(?=a+)a"],
)
def test_what_cannot_be_translated_exactly_is_refused(pattern: str) -> None:
    with pytest.raises(NotImplementedError):
        Automaton(pattern)


def test_every_entry_point_is_translated() -> None:
    for entry in ENTRIES:
        automaton = for_entry(entry)
        assert completion(automaton, automaton.scan("").state) is not None
    assert set(_fastpath.ENTRY_PATTERNS) == set(ENTRY_POINTS)


# ---------------------------------------------------------------- the diagnosis uses it


def test_first_problem_reads_the_automaton() -> None:
    assert _diagnose.first_problem("start_position", "4AF/B00000DZ") == (
        11,
        "a hex digit or end of input",
    )
    assert _diagnose.first_problem("start_position", "0/") == (2, "a hex digit")
    index, expected = _diagnose.first_problem("checkpoint", "checkpoint:V1#1#*#")
    assert (index, expected) == (17, "a printable ASCII character other than ' ' or '#'")
    classes = _diagnose._char_classes("start_position")
    assert sorted(c for members in classes for c in members) == list(_automaton.PRINTABLE)
    assert any(set("123456789") == set(members) for members in classes)  # 0 differs


# ---------------------------------------------------------------- laziness and forks


def _run(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        timeout=120,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    ).stdout


def test_nothing_is_built_at_import_or_for_valid_input() -> None:
    code = (
        "import sys, cdcpos\n"
        "cdcpos.parse('0/1'); cdcpos.parse_many(['0/1', 'checkpoint:V1#1#x#0#0#*#0#0'])\n"
        "print('cdcpos._automaton' in sys.modules, 'regex' in sys.modules)\n"
        "import cdcpos._automaton as a\n"
        "print(a._by_pattern)\n"
    )
    assert _run(code).split("\n")[:2] == ["False False", "{}"]


def test_a_fork_while_another_thread_builds_does_not_deadlock() -> None:
    code = """
import os, signal, sys, threading
from cdcpos import _automaton, _fastpath
holding, release = threading.Event(), threading.Event()
def hold():
    with _automaton._build_lock:  # as a thread in the middle of a build does
        holding.set()
        release.wait()
thread = threading.Thread(target=hold)
thread.start()
holding.wait()
pid = os.fork()
if pid == 0:
    signal.alarm(60)  # a deadlock ends the child instead of the test run
    automaton = _automaton.for_pattern(_fastpath.ENTRY_PATTERNS["checkpoint"])
    scan = automaton.scan("checkpoint:V1#1#*#")
    os._exit(0 if scan.length == 17 else 3)
release.set()
thread.join()
_, status = os.waitpid(pid, 0)
print(os.waitstatus_to_exitcode(status))
"""
    assert _run(code).strip() == "0"


def test_threads_racing_to_build_share_one_automaton() -> None:
    code = """
import threading
from cdcpos import _automaton, _fastpath
patterns = _fastpath.ENTRY_PATTERNS
start = threading.Barrier(8)
found = []
def work():
    start.wait()
    automaton = _automaton.for_pattern(patterns["start_position"] + "|" + patterns["stop_position"])
    found.append((id(automaton), [automaton.scan("a" + ".1" * 50 + "!").length for _ in range(50)]))
threads = [threading.Thread(target=work) for _ in range(8)]
for t in threads: t.start()
for t in threads: t.join()
print(len({i for i, _ in found}), {tuple(lengths) for _, lengths in found} == {(101,) * 50})
"""
    assert _run(code).strip() == "1 True"


def test_a_character_outside_ascii_reuses_the_live_moves_of_each_thread(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Rows cache ASCII characters only; any other one is looked up again on every scan,
    # which must not rebuild the moves of the threads it is read from.
    automaton = Automaton(r"[0-9]{1,8}/[0-9A-F]{1,8}")
    first, other = automaton.scan("12/\u00c4B"), automaton.scan("1\u00e9")
    assert (first.length, other.length) == (3, 1)
    calls: list[int] = []
    moves_of = Automaton._moves_of

    def counted(self: Automaton, thread: int) -> dict[int, frozenset[int]]:
        calls.append(thread)
        return moves_of(self, thread)

    monkeypatch.setattr(Automaton, "_moves_of", counted)
    assert automaton.scan("12/\u00c4B") == first
    assert automaton.scan("1\u00e9") == other
    assert calls == []
