"""Why a string was rejected: the column of the first problem, what was expected, a hint.

Layer L2 (tests/test_layers.py): below the values on purpose, since a constructor's
error and ``parse()``'s error are both diagnoses; it reads the grammar's expressions
(``cdcpos._rules``, ``cdcpos._automaton``) and never a value or lark.  Only reached when
the grammar-derived expression did not match, which is the grammar's own answer: the
differential tests (tests/test_fastpath.py) prove on strings generated from the grammar
that the expression and lark accept the same strings.  The column is exact: the longest
prefix of the input that some valid string starts with, found in one linear pass of the
prefix automaton of the grammar-derived expression (``cdcpos._automaton``); what was
expected there is every character that would extend that prefix.
"""

from __future__ import annotations

import re
import string
from typing import Any

from cdcpos._engines import describe_kind
from cdcpos._errors import InvalidPosition
from cdcpos._rules import KIND_ENTRY, MAX_LENGTH

__all__ = [
    "diagnose",
    "first_problem",
    "known_mistake_hint",
    "nearest_shape",
    "start_time_error",
    "too_long",
    "value_rejection",
]


def first_problem(entry: str, text: str) -> tuple[int, str]:
    """``(index, expected)``: where the input stops being the start of a valid string.

    One pass of the entry's prefix automaton (``cdcpos._automaton``), linear in the text.
    """
    automaton = _automaton(entry)
    scan = automaton.scan(text)
    allowed, complete = _furthest_continuations(automaton, text, scan)
    return scan.length, describe_expected(allowed, complete)


# How far past the first problem a repaired text is read to judge the repair.
_REPAIR_WINDOW = 24


def _furthest_continuations(automaton: Any, text: str, scan: Any) -> tuple[set[str], bool]:
    """What can continue the text at its first problem, for the value being read.

    When several values (the grammar's rules) are still possible there, each is judged
    by how far the text goes on when its own continuations repair the problem (put in
    place of the offending character, or before it): only those that go furthest are
    named.  '2018-03-08 12:12:12' is read further as a date with 'T' than as a binlog
    file name with a letter, so 'T' is what is expected.  Constant work: one character
    per class, a window of text after the problem.
    """
    by_label = automaton.continuations_by_label(scan.state)
    allowed: set[str] = set()
    complete = False
    for chars, done in by_label.values():
        allowed |= chars
        complete = complete or done
    index = scan.length
    if len(by_label) < 2 or index >= len(text):
        return allowed, complete
    after = text[index + 1 : index + 1 + _REPAIR_WINDOW]
    scores: dict[str | None, int] = {}
    for label, (chars, _) in by_label.items():
        start = automaton.restrict(scan.state, label)
        representatives: dict[int, str] = {}
        for char in sorted(chars):
            representatives.setdefault(automaton.class_of(char), char)
        reach = -1
        for char in representatives.values():
            state = automaton.scan(char, start).state
            replaced = automaton.scan(after, state)
            inserted = automaton.scan(text[index] + after, state)
            reach = max(
                reach,
                # How far each repair reads, a complete text counting one more.
                replaced.length + (replaced.complete and replaced.length == len(after)),
                inserted.length - 1 + (inserted.complete and inserted.length > len(after)),
            )
        scores[label] = reach
    best = max(scores.values())
    if list(scores.values()).count(best) == len(scores):
        return allowed, complete  # no value reads further than another: name them all
    allowed, complete = set(), False
    for label, (chars, done) in by_label.items():
        if scores[label] == best:
            allowed |= chars
            complete = complete or done
    return allowed, complete


_PRINTABLE = [chr(c) for c in range(0x20, 0x7F)]


def _char_classes(entry: str) -> list[list[str]]:
    """Printable ASCII split into classes that the entry's expression treats alike.

    Two characters are alike when every literal and character set of the expression
    contains both or neither (the automaton's classes).
    """
    classes: list[list[str]] = _automaton(entry).printable_classes()
    return classes


def _automaton(entry: str) -> Any:
    """The prefix automaton of an entry's derived expression (built on first use)."""
    from cdcpos._automaton import for_pattern
    from cdcpos._rules import entry_pattern

    return for_pattern(entry_pattern(entry))


_DIGITS = set(string.digits)
_HEX = set(string.hexdigits)
_LETTERS = set(string.ascii_letters)


def describe_expected(allowed: set[str], at_end: bool) -> str:
    """Words for a set of allowed next characters."""
    parts: list[str] = []
    rest = set(allowed)
    missing = sorted(set(_PRINTABLE) - rest)
    if len(missing) <= 6:
        parts.append(
            "a printable ASCII character"
            + (" other than " + " or ".join(repr(c) for c in missing) if missing else "")
        )
        rest = set()
    if rest >= _LETTERS | _DIGITS:
        parts.append("a letter or digit")
        rest -= _LETTERS | _DIGITS
    elif rest >= _HEX:
        parts.append("a hex digit")
        rest -= _HEX
    elif rest >= _DIGITS:
        parts.append("a digit")
        rest -= _DIGITS
    if rest >= _LETTERS:
        parts.append("a letter")
        rest -= _LETTERS
    parts.extend(repr(c) for c in sorted(rest))
    if at_end:
        parts.append("end of input")
    if not parts:
        return "nothing more"
    if len(parts) == 1:
        return parts[0]
    return ", ".join(parts[:-1]) + " or " + parts[-1]


def diagnose(
    entry: str, field: str, original: str, candidate: str, lenient: bool
) -> InvalidPosition:
    """The error for a ``candidate`` the entry's expression rejected: where, what, a hint.

    ``original`` is the input as given and is what the error keeps (``text``), in lenient
    mode too; ``candidate`` is what was read (``original`` after lenient normalization),
    and the column is mapped back to ``original``.  The caller raises it.
    """
    index, expected = first_problem(entry, candidate)
    if index >= len(candidate):
        reason = "unexpected end of input" if candidate else "empty input"
    else:
        reason = f"unexpected {candidate[index]!r}"
    column = index + 1
    if lenient and candidate != original:
        column = _original_index(original, candidate, index) + 1
    return InvalidPosition(
        reason,
        field=field,
        text=original,
        column=column,
        expected=expected,
        hint=known_mistake_hint(entry, candidate if lenient else original, lenient=lenient),
    )


def _original_index(original: str, candidate: str, index: int) -> int:
    """Where ``candidate[index]`` is in ``original``.  Lenient normalization only removes
    characters (around the value, and spaces after the clock), none of which begin or end
    the normalized text, so matching the candidate's characters from the left finds them."""
    position = -1
    try:
        for char in candidate[: index + 1]:
            position = original.index(char, position + 1)
    except ValueError:  # pragma: no cover - a normalization that rewrites characters
        return index
    if index >= len(candidate):  # the end of the candidate: just after its last character
        position += 1
    return position


# ====================================================================== start times

# The spellings a CdcStartTime string may take, as far as a column can be given: epoch
# seconds, or an ISO 8601 date with an optional time and zone, as datetime.fromisoformat
# reads them (Python 3.11: any one character between date and time, basic and extended
# forms, week dates, a space before the zone).  A text that fits and is still rejected
# is a value problem (a month 13), which has no column.
_START_TIME_FORMS = (
    r"-?[0-9]+(?:\.[0-9]+)?"
    r"|(?:[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{8}|[0-9]{4}-?W[0-9]{2}(?:-?[0-9])?)"
    r"(?:[ -~][0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2})?)?(?:[.,][0-9]+)?"
    r" ?(?:Z|[+-][0-9]{2}(?::?[0-9]{2}(?::?[0-9]{2}(?:[.,][0-9]+)?)?)?)?)?"
)


def start_time_error(text: str, hint: str | None) -> InvalidPosition:
    """The error for a ``CdcStartTime`` string that is no timestamp: with the column of
    the first problem and what was expected there, when its spelling is what is wrong."""
    from cdcpos._automaton import for_pattern

    automaton = for_pattern(_START_TIME_FORMS)
    scan = automaton.scan(text)
    if scan.length == len(text) and scan.complete:
        return InvalidPosition(  # the spelling is right: the value is not
            "no such date and time (an ISO 8601 timestamp of a real instant is expected)",
            field="CdcStartTime",
            text=text,
            hint=hint,
        )
    if scan.length >= len(text):
        problem = "unexpected end of input" if text else "empty input"
    else:
        problem = f"unexpected {text[scan.length]!r}"
    return InvalidPosition(
        f"not epoch seconds or an ISO 8601 timestamp: {problem}",
        field="CdcStartTime",
        text=text,
        column=scan.length + 1,
        expected=describe_expected(automaton.continuations(scan.state), scan.complete),
        hint=hint,
    )


def nearest_shape(kinds: tuple[str, ...], text: str) -> tuple[str, int, str, str]:
    """Of the kinds' shapes, the one ``text`` follows longest: ``(kind, index of the first
    problem, what was expected there, the problem in words)``."""
    found = [(first_problem(kind, text), kind) for kind in kinds]
    (index, expected), kind = max(found, key=lambda item: item[0][0])
    if index >= len(text):
        problem = "unexpected end of input" if text else "empty input"
    else:
        problem = f"unexpected {text[index]!r}"
    return kind, index, expected, problem


def too_long(field: str, text: str) -> InvalidPosition:
    """The error for an input over ``MAX_LENGTH``, found before any matching."""
    return InvalidPosition(
        f"too long: {len(text)} characters, the limit is {MAX_LENGTH}",
        field=field,
        text=text,
        hint="real positions and checkpoints are far shorter (varchar(1024) in DMS)",
    )


def value_rejection(kind: str, field: str, text: str) -> InvalidPosition:
    """The error for a ``text`` that the rule of ``kind`` rejected (a class's constructor).

    The constructor of a kind speaks of that kind: the first problem is found against the
    kind's own expression (``PostgresLsn("6916533")`` is not a PostgreSQL LSN because an
    LSN has a '/', not because it would be an Oracle SCN).
    """
    if len(text) > MAX_LENGTH:
        return too_long(field, text)
    what = describe_kind(kind)
    if kind == "opaque":  # defined only by the '#' that ends it in a checkpoint
        return InvalidPosition(
            f"not {what}: printable ASCII without '#', and not '*'", field=field, text=text
        )
    index, expected = first_problem(kind, text)
    if index >= len(text):
        problem = "unexpected end of input" if text else "empty input"
    else:
        problem = f"unexpected {text[index]!r}"
    # The known mistakes are those of the entry where the kind is read on its own (none
    # for the kinds written only inside checkpoints).
    entry = KIND_ENTRY.get(kind)
    return InvalidPosition(
        f"not {what}: {problem}",
        field=field,
        text=text,
        column=index + 1,
        expected=expected,
        hint=None if entry is None else known_mistake_hint(entry, text),
    )


# ====================================================================== known mistakes

_TYPOGRAPHIC_QUOTES = "\u201c\u201d\u2018\u2019"
# One optional quote between two runs of spaces, written so that no two runs of \s compete
# (which made the match quadratic on long runs of spaces).
_CLOCK_SPACE = re.compile(r"\s*(?:[\"'\u201c\u201d]\s*)?(server_time|commit_time):\s+")
_ORACLE_PREFIX = re.compile(r"\s*oracle\s*scn\s*:\s*([0-9]+)\s*", re.IGNORECASE)
# MySQL: uuid:interval[:interval...][,uuid:...]; MariaDB: domain-server-sequence[,...].
_UUID_GTID = (
    r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
    r"(?::[0-9]+(?:-[0-9]+)?)+"
)
_GTID = re.compile(
    rf"{_UUID_GTID}(?:,\s*{_UUID_GTID})*|[0-9]+-[0-9]+-[0-9]+(?:,\s*[0-9]+-[0-9]+-[0-9]+)*"
)
_SQLSERVER_BINARY = re.compile(r"0[xX][0-9A-Fa-f]{20}")
_ORACLE_WRAP_BASE = re.compile(r"0[xX]([0-9A-Fa-f]{1,8})\.([0-9A-Fa-f]{1,8})")
_DATE_LIKE = re.compile(
    r"(?:(server_time|commit_time|timestamp):)?"
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})([ tT_]?)([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?"
    r"([.,][0-9]+)?(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?| ?UTC)?"
)
# A PostgreSQL LSN with a half of more than 8 hex digits (a shorter one is another problem).
_PG_LONG_HALF = re.compile(r"[0-9A-Fa-f]{9,}/[0-9A-Fa-f]+|[0-9A-Fa-f]+/[0-9A-Fa-f]{9,}")
_DB2_LRI = re.compile(r"[0-9A-Fa-f]{34}")


_LENIENT = ", or parse leniently (lenient=True; --lenient on the command line)"

# What each entry point reads, and the function that reads it (for "use ..." hints), in
# the order they are tried: a checkpoint is named as one before as a start position.
_ENTRY_READERS = {
    "stop_position": ("CdcStopPosition", "parse_stop_position"),
    "checkpoint": ("RecoveryCheckpoint", "parse_checkpoint"),
    "start_position": ("CdcStartPosition", "parse_start_position"),
    "db2_start_from_context": ("Db2 StartFromContext", "parse_db2_start_from_context"),
}
# The entries whose strings an entry reads as well ("any": start and stop positions).
_READS_ALSO = {
    "any": ("start_position", "stop_position", "checkpoint"),
    "start_position": ("checkpoint",),
}
# The grammar's keywords: case matters in each (DMS rejects 'SERVER_TIME:').
_KEYWORDS = ("checkpoint:V", "server_time:", "commit_time:", "timestamp:", "NOW")


def _other_entry(entry: str, text: str) -> tuple[str, str] | None:
    """``(kind, entry)`` when ``text`` is a valid string of another entry point.

    Two automata answer for all entries (those of ``any`` and of Db2 contexts, which
    ``parse()`` and the Db2 reader build anyway): the kind a text completes tells the
    entry that reads it.
    """
    skipped = {entry, *_READS_ALSO.get(entry, ())}
    for source in ("any", "db2_start_from_context"):
        automaton = _automaton(source)
        scan = automaton.scan(text)
        if not (scan.complete and scan.length == len(text)):
            continue
        for kind in sorted(automaton.accepted_labels(scan.state)):
            if source != "any":
                other = source
            elif kind in _STOP_KINDS or kind == "checkpoint":
                other = "stop_position" if kind in _STOP_KINDS else "checkpoint"
            else:
                other = "start_position"
            if other not in skipped:
                return kind, other
    return None


_STOP_KINDS = ("server_time", "commit_time")


def _other_entry_hint(entry: str, text: str) -> str | None:
    found = _other_entry(entry, text)
    if found is None:
        return None
    from cdcpos._engines import describe_kind

    kind, other = found
    field, reader = _ENTRY_READERS[other]
    hint = f"this is {describe_kind(kind)}, a {field}; use {reader}()"
    if entry == "stop_position" and kind == "date":
        return (
            "a stop position names its clock: 'server_time:<date>' or 'commit_time:<date>' "
            f"({hint})"
        )
    return hint


def _case_hint(entry: str, text: str) -> str | None:
    """A hint when a keyword of the grammar begins ``text`` in the wrong case."""
    for keyword in _KEYWORDS:
        head = text[: len(keyword)]
        if head == keyword or head.lower() != keyword.lower():
            continue
        if keyword == "checkpoint:V":
            how = "('checkpoint' in lower case, 'V' in upper case)"
        elif keyword.isupper():
            how = "in upper case"
        else:
            how = "in lower case"
        hint = f"keywords are case-sensitive: write {keyword!r} {how}"
        fixed = keyword + text[len(keyword) :]
        scan = _automaton(entry).scan(fixed)
        if scan.complete and scan.length == len(fixed):
            return hint
        other = _other_entry_hint(entry, fixed)
        return hint + (f"; then {other}" if other else "")
    return None


def known_mistake_hint(entry: str, text: str, *, lenient: bool = False) -> str | None:
    """A hint when ``text`` matches a mistake people are known to make, else ``None``.

    ``lenient``: the text was read in lenient mode (and is what it read), so the hints
    do not suggest it.  A hint is never empty.
    """
    also = "" if lenient else _LENIENT
    stripped = text.strip()
    if any(q in text for q in _TYPOGRAPHIC_QUOTES):
        return (
            "remove the typographic quotes \u201c\u201d (they come from copying the AWS "
            f"documentation){also}"
        )
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "\"'":
        return f"remove the quotes around the value{also}"
    if _CLOCK_SPACE.match(text):
        clock = _CLOCK_SPACE.match(text).group(1)  # type: ignore[union-attr]
        return f"remove the space after '{clock}:' (older SDK docs print one){also}"
    if stripped != text:
        return f"remove the whitespace around the value{also}"
    if "\ufeff" in text:
        return "remove the byte order mark (U+FEFF) at the start"
    # str.isascii() reads a flag of the string: no pass over an ASCII text.
    if not text.isascii() and any(c.isdigit() and not c.isascii() for c in text):
        return "only the ASCII digits 0-9 are accepted"
    # A valid value given to the wrong function, or one in the wrong case: say which.
    hint = _other_entry_hint(entry, text) or _case_hint(entry, text)
    if hint:
        return hint
    oracle = _ORACLE_PREFIX.fullmatch(text)
    if oracle:
        return f"pass the bare SCN: {oracle.group(1)!r}"
    if text.lower().startswith("position:"):
        return "DMS takes no 'position:' prefix; pass the position alone"
    # The converted values are spelled here from the digits (the classes are a layer up):
    # tests/test_invalid.py checks them against SqlServerLsn.from_binary/from_wrap_base.
    if _SQLSERVER_BINARY.fullmatch(text):
        digits = text[2:].lower()
        return (
            "this is a SQL Server binary(10) LSN; SqlServerLsn.from_binary() converts it "
            f"to the DMS form '{digits[:8]}:{digits[8:16]}:{digits[16:]}'"
        )
    wrap_base = _ORACLE_WRAP_BASE.fullmatch(text)
    if wrap_base:
        scn = int(wrap_base.group(1), 16) << 32 | int(wrap_base.group(2), 16)
        return (
            "this is an Oracle SCN in wrap.base form; OracleScn.from_wrap_base() converts "
            f"it to '{scn}'"
        )
    if text.startswith("checkpoint:"):
        fields = text.count("#") + 1  # counted, not split: no list of thousands of fields
        if fields != 8:
            return (
                "a checkpoint has 8 '#'-separated fields after 'checkpoint:' "
                f"(V<version>#n#position#n#n#second position or *#n#n); found {fields}"
            )
        if not text.startswith("checkpoint:V"):
            return "a checkpoint starts 'checkpoint:V' and its version, e.g. checkpoint:V1#..."
        return None
    if entry == "stop_position" and not text.startswith(("server_time:", "commit_time:")):
        if _DATE_LIKE.fullmatch(text):
            return "a stop position names its clock: 'server_time:<date>' or 'commit_time:<date>'"
        return "a stop position is 'server_time:YYYY-MM-DDTHH:MM:SS' or 'commit_time:YYYY-MM-DDTHH:MM:SS'"
    date = _DATE_LIKE.fullmatch(text)
    if date:
        problems = []
        if date.group(3) != "T":
            problems.append("'T' between date and time")
        if date.group(4) is None or date.group(4).count(":") != 2:
            problems.append("hours, minutes and seconds")
        if date.group(5):
            problems.append("no fractional seconds")
        if date.group(6):
            problems.append("no time zone (the value is UTC)")
        if problems:  # none: the date's form is right, and the problem is elsewhere
            return "DMS takes a date as YYYY-MM-DDTHH:MM:SS in UTC: " + ", ".join(problems)
    if _GTID.fullmatch(text):
        return (
            "this looks like a MySQL/MariaDB GTID (set); DMS takes a binlog position "
            "(file:offset, e.g. mysql-bin-changelog.000024:373) as CdcStartPosition"
        )
    if _PG_LONG_HALF.fullmatch(text):
        return "each half of a PostgreSQL LSN has 1 to 8 hex digits (e.g. 16/B374D848)"
    if entry != "db2_start_from_context" and _DB2_LRI.fullmatch(text):
        return "this looks like a Db2 LRI; use parse_db2_start_from_context()"
    return None
