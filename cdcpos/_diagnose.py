"""Why a string was rejected: the column of the first problem, what was expected, a hint.

Only reached when the fast path did not match.  Lark, reading the grammar itself,
decides first (should the fast path ever miss a valid string, lark's value is returned).
The column is exact: the longest prefix of the input that some valid string starts with,
found in one linear pass of the prefix automaton of the grammar-derived expression
(``cdcpos._automaton``); what was expected there is every character that would extend
that prefix.
"""

from __future__ import annotations

import re
import string
from typing import Any

from cdcpos._errors import InvalidPosition
from cdcpos._values import Position

__all__ = ["diagnose", "first_problem", "known_mistake_hint"]


def first_problem(entry: str, text: str) -> tuple[int, str]:
    """``(index, expected)``: where the input stops being the start of a valid string.

    One pass of the entry's prefix automaton (``cdcpos._automaton``), linear in the text.
    """
    automaton = _automaton(entry)
    scan = automaton.scan(text)
    allowed = automaton.continuations(scan.state)
    return scan.length, describe_expected(allowed, scan.complete)


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
    from cdcpos._parse import entry_pattern

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


def diagnose(entry: str, field: str, original: str, candidate: str, lenient: bool) -> Position:
    """Return lark's value if lark accepts ``candidate``; else raise ``InvalidPosition``."""
    from lark.exceptions import LarkError

    from cdcpos._lark import parse_with_lark

    try:
        return parse_with_lark(entry, candidate)
    except LarkError:
        pass  # rejected by the grammar itself; explained below
    except ValueError as error:  # a semantic check inside a rule (Rejected)
        raise InvalidPosition(
            getattr(error, "reason", str(error)),
            field=field,
            text=original,
            hint=getattr(error, "hint", None),
        ) from None
    shown = candidate if lenient else original
    index, expected = first_problem(entry, candidate)
    if index >= len(candidate):
        reason = "unexpected end of input" if candidate else "empty input"
    else:
        reason = f"unexpected {candidate[index]!r}"
    raise InvalidPosition(
        reason,
        field=field,
        text=shown,
        column=index + 1,
        expected=expected,
        hint=known_mistake_hint(entry, original),
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
_ORACLE_WRAP_BASE = re.compile(r"0[xX][0-9A-Fa-f]{1,8}\.[0-9A-Fa-f]{1,8}")
_DATE_LIKE = re.compile(
    r"(?:(server_time|commit_time|timestamp):)?"
    r"([0-9]{4}-[0-9]{2}-[0-9]{2})([ tT_]?)([0-9]{2}:[0-9]{2}(?::[0-9]{2})?)?"
    r"([.,][0-9]+)?(Z|z|[+-][0-9]{2}(?::?[0-9]{2})?| ?UTC)?"
)
_PG_LONG_HALF = re.compile(r"[0-9A-Fa-f]+/[0-9A-Fa-f]+")
_DB2_LRI = re.compile(r"[0-9A-Fa-f]{34}")


def known_mistake_hint(entry: str, text: str) -> str | None:
    """A hint when ``text`` matches a mistake people are known to make, else ``None``."""
    stripped = text.strip()
    if any(q in text for q in _TYPOGRAPHIC_QUOTES):
        return (
            "remove the typographic quotes \u201c\u201d (they come from copying the AWS "
            "documentation), or parse leniently (lenient=True; --lenient on the command line)"
        )
    if len(stripped) >= 2 and stripped[0] == stripped[-1] and stripped[0] in "\"'":
        return "remove the quotes around the value, or parse leniently (lenient=True; --lenient on the command line)"
    if _CLOCK_SPACE.match(text):
        clock = _CLOCK_SPACE.match(text).group(1)  # type: ignore[union-attr]
        return f"remove the space after '{clock}:' (older SDK docs print one), or parse leniently (lenient=True; --lenient on the command line)"
    if stripped != text:
        return "remove the whitespace around the value, or parse leniently (lenient=True; --lenient on the command line)"
    if "\ufeff" in text:
        return "remove the byte order mark (U+FEFF) at the start"
    # str.isascii() reads a flag of the string: no pass over an ASCII text.
    if not text.isascii() and any(c.isdigit() and not c.isascii() for c in text):
        return "only the ASCII digits 0-9 are accepted"
    oracle = _ORACLE_PREFIX.fullmatch(text)
    if oracle:
        return f"pass the bare SCN: {oracle.group(1)!r}"
    if text.lower().startswith("position:"):
        return "DMS takes no 'position:' prefix; pass the position alone"
    if _SQLSERVER_BINARY.fullmatch(text):
        from cdcpos._values import SqlServerLsn

        return (
            "this is a SQL Server binary(10) LSN; SqlServerLsn.from_binary() converts it "
            f"to the DMS form {str(SqlServerLsn.from_binary(text))!r}"
        )
    if _ORACLE_WRAP_BASE.fullmatch(text):
        from cdcpos._values import OracleScn

        return (
            "this is an Oracle SCN in wrap.base form; OracleScn.from_wrap_base() converts "
            f"it to {str(OracleScn.from_wrap_base(text))!r}"
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
        if text.lower().startswith(("server_time:", "commit_time:")):
            return "write the clock in lower case: 'server_time:' or 'commit_time:'"
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
    if entry == "db2_start_from_context" and text.lower() == "now":
        return "write NOW in upper case"
    return None
