r"""A prefix automaton of each entry point: how far a text stays the start of a valid one.

Derived from the expressions of the fast path (``cdcpos._fastpath``, which
``python -m cdcpos._generate`` derives from ``grammar/cdcpos.lark``), with the standard
library only: ``re._parser`` reads an expression into a tree, which becomes an automaton
over classes of characters whose every state kept is the start of some valid string (the
others are left out).  Reading a text is one pass of its deterministic form (sets of
states, cached): the longest viable prefix ends where the set becomes empty.  One pass
gives that length, the characters that can continue the prefix, and whether it is
complete, in time linear in the text whatever the text.  (Backtracking partial matches,
as the error path used before, take quadratic time on ``'a' + '.1' * n``.)

Lookaheads.  The derived expressions hold ``(?=#)`` after each position field of a
checkpoint and ``(?!\*#)`` before an opaque position.  ``(?=#)`` could be dropped without
changing the language: a literal ``#`` follows every such field anyway.  ``(?!\*#)``
could NOT: in the first position field no other alternative matches a lone ``*``
(``checkpoint:V1#1#*#0#0#*#0#0`` is rejected), so dropping it would accept that text.
So the automaton keeps lookaheads exactly: one whose body is a fixed sequence of
character sets becomes an *obligation* carried by the states after it (how much of the
body the next characters matched); expression states paired with pending obligations
form an ordinary automaton again.  A construct it cannot translate exactly (lookbehind,
backreferences, possessive repeats, categories such as ``\d``, flags) raises
``NotImplementedError`` when the automaton is built, as the tests do for every entry
point: a change of the generator cannot silently change the diagnosis.

Nothing is built at ``import cdcpos``: :func:`for_pattern` builds an expression's
automaton on first use and caches it; even then only the states the texts read reach
are explored (a few milliseconds of CPU for an entry point).  The caches are shared by
threads under locks that a forked child replaces (``os.register_at_fork``), so a fork
while another thread builds cannot deadlock the child.
"""

from __future__ import annotations

import bisect
import operator
import os
import threading
import weakref
from collections.abc import Iterable
from re import _constants as _sre
from re import _parser
from typing import Any, NamedTuple

__all__ = ["Automaton", "Scan", "for_pattern"]

_MAX_CODE = 0x10FFFF
# The characters a message may show as examples; the classes split them too.
PRINTABLE = tuple(chr(c) for c in range(0x20, 0x7F))

Intervals = tuple[tuple[int, int], ...]


class Scan(NamedTuple):
    """What one pass over a text found."""

    #: Length of the longest prefix of the text that some valid string starts with.
    length: int
    #: The automaton's state after that prefix (for :meth:`Automaton.continuations`).
    state: int
    #: Whether that prefix is itself a valid string.
    complete: bool


# ====================================================================== expression -> NFA


def _complement(intervals: Iterable[tuple[int, int]]) -> Intervals:
    result, low = [], 0
    for start, end in sorted(intervals):
        if start > low:
            result.append((low, start - 1))
        low = max(low, end + 1)
    if low <= _MAX_CODE:
        result.append((low, _MAX_CODE))
    return tuple(result)


_ONE_CHARACTER = (_sre.LITERAL, _sre.NOT_LITERAL, _sre.ANY, _sre.IN)


class _Nfa:
    """Thompson's construction over character sets, with lookaheads as special edges."""

    _UNSUPPORTED_FLAGS = (
        _sre.SRE_FLAG_IGNORECASE
        | _sre.SRE_FLAG_LOCALE
        | _sre.SRE_FLAG_MULTILINE
        | _sre.SRE_FLAG_DOTALL
    )

    def __init__(self, pattern: str) -> None:
        tree = _parser.parse(pattern)
        if tree.state.flags & self._UNSUPPORTED_FLAGS:
            raise NotImplementedError(f"flags {tree.state.flags:#x} in {pattern!r}")
        self.group_names = {index: name for name, index in tree.state.groupdict.items()}
        self.epsilon: list[list[int]] = []
        self.moves: list[list[tuple[int, int]]] = []  # (set id, target)
        self.looks: list[list[tuple[int, int]]] = []  # (lookahead id, target)
        self.labels: list[str | None] = []  # the outermost named group of each state
        self.sets: list[Intervals] = []
        self._set_ids: dict[Intervals, int] = {}
        #: (positive, the set ids the body's characters must be in, in order)
        self.lookaheads: list[tuple[bool, tuple[int, ...]]] = []
        self._label: str | None = None
        # Set ids of the items already met: a repeat such as [0-9]{18} meets one item
        # 18 times.  Keyed by identity for sets (lists), which the tree keeps alive.
        self._item_sets: dict[tuple[Any, Any], int | None] = {}
        self.start = self._state()
        # The ends of a top-level alternation stay apart, each in its named group, so
        # that a complete text tells which value rule it completes.
        if len(tree.data) == 1 and tree.data[0][0] is _sre.BRANCH:
            branches = tree.data[0][1][1]
            self.accepting = {self._sequence(branch, self.start) for branch in branches}
        else:
            self.accepting = {self._sequence(tree, self.start)}

    def _state(self) -> int:
        self.epsilon.append([])
        self.moves.append([])
        self.looks.append([])
        self.labels.append(self._label)
        return len(self.epsilon) - 1

    def _set(self, intervals: Intervals) -> int:
        found = self._set_ids.get(intervals)
        if found is None:
            found = self._set_ids[intervals] = len(self.sets)
            self.sets.append(intervals)
        return found

    def _char_set(self, op: Any, av: Any) -> Intervals | None:
        """The code points one item matches, or ``None`` when it is not one character."""
        if op is _sre.LITERAL:
            return ((av, av),)
        if op is _sre.NOT_LITERAL:
            return _complement([(av, av)])
        if op is _sre.ANY:
            return _complement([(10, 10)])  # no DOTALL: anything but a newline
        if op is not _sre.IN:
            return None
        members: list[tuple[int, int]] = []
        negate = False
        for item_op, item in av:
            if item_op is _sre.NEGATE:
                negate = True
            elif item_op is _sre.LITERAL:
                members.append((item, item))
            elif item_op is _sre.RANGE:
                members.append(item)
            else:  # a category (\d, \w, \s): Unicode tables the grammar never needs
                raise NotImplementedError(f"{item_op} in a character set")
        merged = _complement(_complement(members))
        return _complement(merged) if negate else merged

    def _item_set(self, op: Any, av: Any) -> int | None:
        """The set id of a one-character item (``None``: not one character)."""
        if op not in _ONE_CHARACTER:
            return None
        key = (op, id(av) if op is _sre.IN else av)
        if key in self._item_sets:
            return self._item_sets[key]
        intervals = self._char_set(op, av)
        found = self._item_sets[key] = None if intervals is None else self._set(intervals)
        return found

    def _sequence(self, items: Any, state: int) -> int:
        # A SubPattern's items are its .data; indexing the SubPattern itself is slow.
        for op, av in getattr(items, "data", items):
            state = self._item(op, av, state)
        return state

    def _item(self, op: Any, av: Any, state: int) -> int:
        set_id = self._item_set(op, av)
        if set_id is not None:
            target = self._state()
            self.moves[state].append((set_id, target))
            return target
        if op is _sre.SUBPATTERN:
            group, add_flags, del_flags, body = av
            if (add_flags | del_flags) & self._UNSUPPORTED_FLAGS:
                raise NotImplementedError(f"inline flags in group {group}")
            outer = self._label
            if outer is None and group is not None:
                self._label = self.group_names.get(group)
            try:
                return self._sequence(body, state)
            finally:
                self._label = outer
        if op is _sre.BRANCH:
            end = self._state()
            for branch in av[1]:
                self.epsilon[self._sequence(branch, state)].append(end)
            return end
        if op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT):
            # Lazy and greedy repeats match the same strings; only the choice differs.
            low, high, body = av
            for _ in range(low):
                state = self._sequence(body, state)
            if high is _sre.MAXREPEAT:
                loop = self._state()
                self.epsilon[state].append(loop)
                self.epsilon[self._sequence(body, loop)].append(loop)
                return loop
            end = self._state()
            for _ in range(high - low):
                self.epsilon[state].append(end)
                state = self._sequence(body, state)
            self.epsilon[state].append(end)
            return end
        if op in (_sre.ASSERT, _sre.ASSERT_NOT):
            direction, body = av
            if direction != 1:
                raise NotImplementedError("a lookbehind")
            sets = tuple(self._set(s) for s in self._fixed_sequence(list(body)))
            self.lookaheads.append((op is _sre.ASSERT, sets))
            target = self._state()
            self.looks[state].append((len(self.lookaheads) - 1, target))
            return target
        # POSSESSIVE_REPEAT and ATOMIC_GROUP match fewer strings than their plain forms;
        # AT (anchors), GROUPREF, GROUPREF_EXISTS are not regular or need context.
        raise NotImplementedError(f"{op} in a derived expression")

    def _fixed_sequence(self, items: list[Any]) -> list[Intervals]:
        """A lookahead's body as one character set per character."""
        result: list[Intervals] = []
        for op, av in items:
            intervals = self._char_set(op, av)
            if intervals is not None:
                result.append(intervals)
            elif op is _sre.SUBPATTERN:
                result += self._fixed_sequence(list(av[3]))
            elif op in (_sre.MAX_REPEAT, _sre.MIN_REPEAT) and av[0] == av[1]:
                result += self._fixed_sequence(list(av[2])) * av[0]
            else:
                raise NotImplementedError(f"{op} inside a lookahead")
        return result


# ====================================================================== the automaton


Obligations = frozenset[tuple[int, int]]  # (lookahead id, characters of its body matched)


class Automaton:
    """The automaton of one expression, built as far as the texts read need it.

    Its states are *threads*: a state of the expression paired with the lookaheads still
    pending.  A thread is *live* when some valid string continues from it; deterministic
    states hold live threads only, so a text is viable while its set is not empty.
    Threads, moves and liveness are found on first use and cached: an expression of
    thousands of states (64-bit bounds spelt out digit by digit) costs what texts reach.

    >>> automaton = Automaton(r"[0-9]{1,2}/[0-9]")
    >>> automaton.scan("12/").length, automaton.scan("12/").complete
    (3, False)
    >>> automaton.scan("123/4").length  # '123' starts no valid string
    2
    >>> sorted(automaton.continuations(automaton.scan("1").state))
    ['/', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9']
    """

    def __init__(self, pattern: str) -> None:
        nfa = self._nfa = _Nfa(pattern)
        self._classify(nfa)
        masks = self._set_masks
        self._lookaheads = [
            (positive, tuple(masks[s] for s in body)) for positive, body in nfa.lookaheads
        ]
        self._classes_of_set = [
            [cls for cls in range(self.class_count) if mask >> cls & 1] for mask in masks
        ]
        # Threads, numbered as they are first met, and what is known of each.
        self._thread_ids: dict[tuple[int, Obligations], int] = {}
        self._threads: list[tuple[int, Obligations]] = []
        self._closures: dict[tuple[int, Obligations], frozenset[int]] = {}
        self._moves: dict[int, dict[int, frozenset[int]]] = {}
        self._live: dict[int, bool] = {}
        self._live_moves_of: dict[int, dict[int, frozenset[int]]] = {}
        # Reentrant: a step finds moves and liveness, which find moves.
        self._lock = threading.RLock()
        # Deterministic states: sets of live threads, numbered as they are first met.
        # A state's row maps an ASCII character to the next state's row (the rows chain,
        # so reading a character is one dict lookup); the row's number is under the key
        # "" (never a character).  Characters after which no valid string continues are
        # not in the rows but in ``_dead``, so the reading loop tests nothing else.
        with self._lock:
            start = frozenset(t for t in self._closure(nfa.start, frozenset()) if self._is_live(t))
        self._subsets: list[frozenset[int]] = [start]
        self._subset_ids: dict[frozenset[int], int] = {start: 0}
        self._rows: list[dict[str, Any]] = [{"": 0}]
        self._dead: set[tuple[int, str]] = set()
        self._complete: dict[int, bool] = {}
        _automata.add(self)

    # ------------------------------------------------------------------ construction

    def _classify(self, nfa: _Nfa) -> None:
        """Split the code points into classes no set of the expression tells apart."""
        bounds = {0}
        for intervals in nfa.sets:
            for start, end in intervals:
                bounds.add(start)
                if end < _MAX_CODE:
                    bounds.add(end + 1)
        self._starts = sorted(bounds)
        signatures: dict[tuple[bool, ...], int] = {}
        self._interval_class: list[int] = []
        for low in self._starts:
            signature = tuple(
                any(start <= low <= end for start, end in intervals) for intervals in nfa.sets
            )
            self._interval_class.append(signatures.setdefault(signature, len(signatures)))
        self.class_count = len(signatures)
        # Each set as the bit mask of the classes it holds.
        self._set_masks = [0] * len(nfa.sets)
        for signature, cls in signatures.items():
            for set_id, inside in enumerate(signature):
                if inside:
                    self._set_masks[set_id] |= 1 << cls
        self._printable_class = {c: self.class_of(c) for c in PRINTABLE}

    def class_of(self, char: str) -> int:
        """The class of one character."""
        return self._interval_class[bisect.bisect_right(self._starts, ord(char)) - 1]

    def _thread(self, state: int, pending: Obligations) -> int:
        key = (state, pending)
        found = self._thread_ids.get(key)
        if found is None:
            found = self._thread_ids[key] = len(self._threads)
            self._threads.append(key)
        return found

    def _closure(self, state: int, pending: Obligations) -> frozenset[int]:
        """Threads reached from ``state`` without reading: consuming states or the end."""
        key = (state, pending)
        known = self._closures.get(key)
        if known is not None:
            return known
        nfa = self._nfa
        found: set[int] = set()
        stack = [key]
        seen = {key}
        while stack:
            state, pending = stack.pop()
            after = [(target, pending) for target in nfa.epsilon[state]]
            for look, target in nfa.looks[state]:
                positive, body = self._lookaheads[look]
                if not body:
                    if positive:  # an empty lookahead always matches
                        after.append((target, pending))
                    continue  # an empty negative lookahead never lets through
                after.append((target, pending | {(look, 0)}))
            for item in after:
                if item not in seen:
                    seen.add(item)
                    stack.append(item)
            if nfa.moves[state] or state in nfa.accepting:
                found.add(self._thread(state, pending))
        known = self._closures[key] = frozenset(found)
        return known

    def _advance(self, pending: Obligations, cls: int) -> Obligations | None:
        """Pending lookaheads after one more character of class ``cls`` (None: fails)."""
        bit = 1 << cls
        left = set()
        for look, matched in pending:
            positive, body = self._lookaheads[look]
            if body[matched] & bit:
                if matched + 1 < len(body):
                    left.add((look, matched + 1))
                elif not positive:
                    return None  # the forbidden text is there
            elif positive:
                return None  # the required text is not
        return frozenset(left)

    def _moves_of(self, thread: int) -> dict[int, frozenset[int]]:
        """Class -> the threads one character of that class leads to (live or not)."""
        known = self._moves.get(thread)
        if known is not None:
            return known
        state, pending = self._threads[thread]
        by_class: dict[int, set[int]] = {}
        for set_id, target in self._nfa.moves[state]:
            if not pending:  # no lookahead: the same threads for every class of the set
                reached = self._closure(target, pending)
                for cls in self._classes_of_set[set_id]:
                    by_class.setdefault(cls, set()).update(reached)
                continue
            for cls in self._classes_of_set[set_id]:
                left = self._advance(pending, cls)
                if left is not None:
                    by_class.setdefault(cls, set()).update(self._closure(target, left))
        known = self._moves[thread] = {cls: frozenset(t) for cls, t in by_class.items()}
        return known

    def _accepting(self, thread: int) -> bool:
        """The expression's end, with no lookahead still demanding characters."""
        state, pending = self._threads[thread]
        return state in self._nfa.accepting and all(
            not self._lookaheads[look][0] for look, _ in pending
        )

    def _is_live(self, thread: int) -> bool:
        """Whether some valid string continues from ``thread``: a depth-first search for
        an accepting thread.  On success the path found is live; on failure everything
        seen is dead (what was seen is closed under moves and holds no accepting one)."""
        known = self._live.get(thread)
        if known is not None:
            return known
        if self._accepting(thread):
            self._live[thread] = True
            return True
        seen = {thread}
        path = [thread]
        pending = [iter(self._successors(thread))]
        while pending:
            following = next(pending[-1], None)
            if following is None:
                pending.pop()
                path.pop()
                continue
            if following in seen:
                continue
            seen.add(following)
            known = self._live.get(following)
            if known is False:
                continue
            if known or self._accepting(following):
                for node in path:
                    self._live[node] = True
                self._live[following] = True
                return True
            path.append(following)
            pending.append(iter(self._successors(following)))
        for node in seen:
            self._live[node] = False
        return False

    def _successors(self, thread: int) -> set[int]:
        found: set[int] = set()
        for targets in self._moves_of(thread).values():
            found |= targets
        return found

    def _live_moves(self, thread: int) -> dict[int, frozenset[int]]:
        """The moves of ``thread`` to live threads only (kept: a character outside ASCII,
        which the rows do not cache, asks for them again)."""
        if thread not in self._live_moves_of:
            moves = self._moves_of(thread).items()
            live = {cls: frozenset(t for t in ts if self._is_live(t)) for cls, ts in moves}
            self._live_moves_of[thread] = {cls: ts for cls, ts in live.items() if ts}
        return self._live_moves_of[thread]

    # ------------------------------------------------------------------ reading

    def scan(self, text: str, state: int = 0) -> Scan:
        """One pass: the longest viable prefix of ``text``, and what follows from it.

        ``state``: start from there (a state a previous scan returned) instead of from
        the beginning, as if the text read to that state came before ``text``.
        """
        if not self._subsets[state]:  # an expression that matches nothing
            return Scan(0, state, False)
        row = self._rows[state]
        # The hot loop is one dict lookup per character; the index is not counted but
        # read back from the iterator (what is left of the text) when the loop stops.
        characters = iter(text)
        for char in characters:
            found = row.get(char)
            if found is None:
                found = self._step(row[""], char)
                if found is None:
                    state = row[""]
                    index = len(text) - operator.length_hint(characters) - 1
                    return Scan(index, state, self.complete(state))
            row = found
        state = row[""]
        return Scan(len(text), state, self.complete(state))

    def _step(self, state: int, char: str) -> dict[str, Any] | None:
        """The next state's row (``None``: no valid string continues); cached for ASCII."""
        if (state, char) in self._dead:
            return None
        cls = self.class_of(char)
        cache = char < "\x80"  # other characters are not cached: the tables stay small
        with self._lock:
            targets: set[int] = set()
            for thread in self._subsets[state]:
                targets.update(self._live_moves(thread).get(cls, ()))
            if not targets:
                if cache:
                    self._dead.add((state, char))
                return None
            row = self._rows[self._state_of(frozenset(targets))]
            if cache:
                self._rows[state][char] = row
        return row

    def _state_of(self, subset: frozenset[int]) -> int:
        """The number of the deterministic state of a set of live threads (lock held)."""
        found = self._subset_ids.get(subset)
        if found is None:
            found = len(self._subsets)
            self._subsets.append(subset)
            self._rows.append({"": found})
            self._subset_ids[subset] = found
        return found

    def restrict(self, state: int, label: str | None) -> int:
        """The state with only the threads of one named group (one value rule) left."""
        labels = self._nfa.labels
        with self._lock:
            return self._state_of(
                frozenset(t for t in self._subsets[state] if labels[self._threads[t][0]] == label)
            )

    def complete(self, state: int) -> bool:
        """Whether the text read up to ``state`` is a valid string."""
        known = self._complete.get(state)
        if known is None:
            with self._lock:
                known = any(self._accepting(thread) for thread in self._subsets[state])
            self._complete[state] = known
        return known

    def continuations(self, state: int) -> set[str]:
        """The printable ASCII characters that keep the text viable after ``state``."""
        found: set[str] = set()
        for chars, _ in self.continuations_by_label(state).values():
            found |= chars
        return found

    def continuations_by_label(self, state: int) -> dict[str | None, tuple[set[str], bool]]:
        """For each named group alive at ``state`` (the value rule being read): the
        printable characters that continue it, and whether it is complete there."""
        found: dict[str | None, tuple[set[int], bool]] = {}
        with self._lock:
            for thread in self._subsets[state]:
                label = self._nfa.labels[self._threads[thread][0]]
                classes, complete = found.get(label, (set(), False))
                classes.update(self._live_moves(thread))
                found[label] = (classes, complete or self._accepting(thread))
        return {
            label: ({c for c, cls in self._printable_class.items() if cls in classes}, done)
            for label, (classes, done) in found.items()
        }

    def accepted_labels(self, state: int) -> set[str]:
        """The named groups that the text read to ``state`` completes (its kinds)."""
        with self._lock:
            return {
                label
                for thread in self._subsets[state]
                if self._accepting(thread)
                and (label := self._nfa.labels[self._threads[thread][0]]) is not None
            }

    def printable_classes(self) -> list[list[str]]:
        """Printable ASCII split into the classes the expression treats alike."""
        classes: dict[int, list[str]] = {}
        for char, cls in self._printable_class.items():
            classes.setdefault(cls, []).append(char)
        return list(classes.values())

    def _reset_lock(self) -> None:
        self._lock = threading.RLock()


# ====================================================================== per entry point

_automata: weakref.WeakSet[Automaton] = weakref.WeakSet()  # for the fork handler
_by_pattern: dict[str, Automaton] = {}
_build_lock = threading.Lock()


def for_pattern(pattern: str) -> Automaton:
    """The automaton of a derived expression (an entry's, a kind's), built on first use."""
    found = _by_pattern.get(pattern)
    if found is None:
        with _build_lock:  # one build per expression, even when many threads ask at once
            found = _by_pattern.get(pattern)
            if found is None:
                found = _by_pattern[pattern] = Automaton(pattern)
    return found


def _after_fork_in_child() -> None:
    # The parent's locks may have been held by a thread that does not exist in the child.
    global _build_lock
    _build_lock = threading.Lock()
    for automaton in _automata:
        automaton._reset_lock()


os.register_at_fork(after_in_child=_after_fork_in_child)
