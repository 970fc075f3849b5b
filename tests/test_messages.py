"""Error messages that help: each class of issue 9 section 4, and a property over all.

* no empty hints, and no hint that misjudges a valid value of another kind;
* a valid value given to the wrong function says what it is and which function takes it;
* a keyword in the wrong case says so;
* "expected" names what continues the value being read, not every alternative;
* lenient mode: hints do not suggest it, ``text`` is the input as given, the column
  points into it;
* start-time errors quote the input and give a column where there is one.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import cdcpos
from cdcpos import _diagnose

from .examples import DB2_EXAMPLES, SPEC_EXAMPLES
from .test_fastpath import _differential, grammar_strings, mutated

FUNCTIONS: dict[str, Callable[..., Any]] = {
    "start_position": cdcpos.parse_start_position,
    "stop_position": cdcpos.parse_stop_position,
    "checkpoint": cdcpos.parse_checkpoint,
    "db2_start_from_context": cdcpos.parse_db2_start_from_context,
    "any": cdcpos.parse,
}
READER = {
    "start_position": "parse_start_position()",
    "stop_position": "parse_stop_position()",
    "checkpoint": "parse_checkpoint()",
    "db2_start_from_context": "parse_db2_start_from_context()",
}
EXAMPLES = [t for t, _ in SPEC_EXAMPLES] + [t for t, _ in DB2_EXAMPLES]


def error_of(function: Callable[..., Any], text: str, **options: Any) -> cdcpos.InvalidPosition:
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        function(text, **options)
    return caught.value


def accepts(function: Callable[..., Any], text: str, **options: Any) -> bool:
    try:
        function(text, **options)
    except cdcpos.InvalidPosition:
        return False
    return True


def assert_well_formed(error: cdcpos.InvalidPosition, text: str) -> None:
    """What every error keeps: the input as given, a column inside it, a real hint."""
    assert error.text == text
    if error.column is not None:
        assert 1 <= error.column <= len(text) + 1, (text, error.column)
        assert error.expected
    if error.hint is not None:
        assert error.hint.strip() and not error.hint.rstrip().endswith(":"), error.hint
        assert not error.hint.rstrip().endswith(":"), error.hint
    message = str(error)
    assert repr(text)[:60] in message or "characters)" in message
    assert not message.rstrip().endswith(("Hint:", "Hint: ", ":")), message


# ---------------------------------------------------------------- another kind of value


@pytest.mark.parametrize(
    ("function", "text", "reader", "what"),
    [
        (
            cdcpos.parse_start_position,
            "server_time:2018-02-09T12:12:12",
            "parse_stop_position()",
            "server_time stop position",
        ),
        (
            cdcpos.parse_start_position,
            "commit_time:2018-02-09T12:12:12",
            "parse_stop_position()",
            "commit_time",
        ),
        (cdcpos.parse_checkpoint, "4AF/B00000D0", "parse_start_position()", "PostgreSQL LSN"),
        (cdcpos.parse_checkpoint, "6916533", "parse_start_position()", "Oracle SCN"),
        (
            cdcpos.parse_stop_position,
            "checkpoint:V1#1#x#0#0#*#0#0",
            "parse_checkpoint()",
            "checkpoint",
        ),
        (cdcpos.parse_stop_position, "2018-02-09T12:12:12", "parse_start_position()", "a date"),
        (cdcpos.parse, "NOW", "parse_db2_start_from_context()", "Db2 NOW"),
        (
            cdcpos.parse,
            "timestamp:2021-09-21T13:00:00",
            "parse_db2_start_from_context()",
            "Db2 timestamp",
        ),
        (cdcpos.parse_db2_start_from_context, "0/1", "parse_start_position()", "PostgreSQL LSN"),
        (
            cdcpos.parse_db2_start_from_context,
            "server_time:2018-02-09T12:12:12",
            "parse_stop_position()",
            "server_time",
        ),
    ],
)
def test_a_valid_value_of_another_kind_says_what_it_is(
    function: Callable[..., Any], text: str, reader: str, what: str
) -> None:
    error = error_of(function, text)
    assert_well_formed(error, text)
    assert error.hint is not None and f"use {reader}" in error.hint and what in error.hint


def test_the_empty_date_hint_is_gone() -> None:
    error = error_of(cdcpos.parse_start_position, "server_time:2018-02-09T12:12:12")
    assert "DMS takes a date" not in str(error)


def test_a_short_lsn_is_not_said_to_have_long_halves() -> None:
    error = error_of(cdcpos.parse_checkpoint, "4AF/B00000D0")
    assert "1 to 8 hex digits" not in str(error)
    # A half that is too long still says so.
    assert "1 to 8 hex digits" in (error_of(cdcpos.parse, "123456789/0").hint or "")


@pytest.mark.parametrize("entry", sorted(FUNCTIONS))
def test_every_example_rejected_elsewhere_names_who_takes_it(entry: str) -> None:
    """Siblings: every valid example, given to each function that rejects it."""
    function = FUNCTIONS[entry]
    for text in EXAMPLES:
        if accepts(function, text):
            continue
        error = error_of(function, text)
        assert_well_formed(error, text)
        takers = [e for e in READER if accepts(FUNCTIONS[e], text)]
        assert takers, text
        assert error.hint is not None and any(READER[e] in error.hint for e in takers), (
            entry,
            text,
            error.hint,
        )


# ---------------------------------------------------------------- wrong case


@pytest.mark.parametrize(
    ("function", "text", "keyword"),
    [
        (cdcpos.parse_stop_position, "SERVER_TIME:2018-02-09T12:12:12", "server_time:"),
        (cdcpos.parse_stop_position, "Server_Time:2018-02-09T12:12:12", "server_time:"),
        (cdcpos.parse_stop_position, "COMMIT_TIME:2018-02-09T12:12:12", "commit_time:"),
        (cdcpos.parse, "SERVER_TIME:2018-02-09T12:12:12", "server_time:"),
        (cdcpos.parse_checkpoint, "Checkpoint:V1#1#x#0#0#*#0#0", "checkpoint:V"),
        (cdcpos.parse_checkpoint, "checkpoint:v1#1#x#0#0#*#0#0", "checkpoint:V"),
        (cdcpos.parse, "CHECKPOINT:V1#1#000004AF/B00000D0#0#0#*#0#0", "checkpoint:V"),
        (cdcpos.parse_db2_start_from_context, "TIMESTAMP:2021-09-21T13:00:00", "timestamp:"),
        (cdcpos.parse_db2_start_from_context, "now", "NOW"),
        (cdcpos.parse_db2_start_from_context, "Now", "NOW"),
    ],
)
def test_a_keyword_in_the_wrong_case_gets_a_hint(
    function: Callable[..., Any], text: str, keyword: str
) -> None:
    error = error_of(function, text)
    assert_well_formed(error, text)
    assert error.hint is not None and "case-sensitive" in error.hint and repr(keyword) in error.hint


def test_the_case_hint_also_names_the_function_when_the_fixed_value_is_elsewhere() -> None:
    error = error_of(cdcpos.parse_start_position, "Server_time:2018-02-09T12:12:12")
    assert "case-sensitive" in (error.hint or "") and "parse_stop_position()" in (error.hint or "")


# ---------------------------------------------------------------- what is expected


@pytest.mark.parametrize(
    ("function", "text", "column", "expected"),
    [
        (cdcpos.parse, "2018-03-08 12:12:12", 11, "'T'"),
        (cdcpos.parse_start_position, "2018-03-08 12:12:12", 11, "'T'"),
        (cdcpos.parse, "server_time:2018-02-09 12:12:12", 23, "'T'"),
        (cdcpos.parse, "0 / 1", 2, "a hex digit or '/'"),
        # One value being read: everything that continues it, the end included.
        (cdcpos.parse, "4AF/B00000DZ", 12, "a hex digit or end of input"),
    ],
)
def test_expected_names_what_continues_the_value_being_read(
    function: Callable[..., Any], text: str, column: int, expected: str
) -> None:
    error = error_of(function, text)
    assert (error.column, error.expected) == (column, expected)


def test_expected_is_never_narrowed_to_nothing() -> None:
    """The narrowed set is part of what continues the text, and never empty."""
    from cdcpos._diagnose import _automaton, _furthest_continuations

    for entry in FUNCTIONS:
        automaton = _automaton(entry)
        for text in [*EXAMPLES, "2018-03-08 12:12:12", "a.1.1:x", "0/1/2", "1-2-3x"]:
            for end in range(len(text) + 1):
                candidate = text[:end] + "~" + text[end:]
                scan = automaton.scan(candidate)
                allowed, complete = _furthest_continuations(automaton, candidate, scan)
                assert allowed <= automaton.continuations(scan.state)
                assert allowed or complete
                assert not complete or scan.complete


# ---------------------------------------------------------------- lenient mode


@pytest.mark.parametrize(
    "text",
    [
        ' "0/1x" ',
        "\u201c0/1x\u201d",
        "  server_time:  2018-02-09T12:12:1x ",
        "'checkpoint:V1#1#x#0#0#*#0#y'",
        "\u201c2018-03-08 12:12:12\u201d",
        " \u201c0/1\u201dx",
    ],
)
def test_lenient_errors_keep_the_input_and_do_not_suggest_lenient_mode(text: str) -> None:
    for function in FUNCTIONS.values():
        error = error_of(function, text, lenient=True)
        assert_well_formed(error, text)
        assert "lenient" not in str(error)
        if error.column is not None and error.column <= len(text):
            # The column points at the offending character of the input as given.
            assert str(error).split("unexpected ")[1].startswith(repr(text[error.column - 1]))


def test_strict_errors_still_suggest_lenient_mode() -> None:
    error = error_of(cdcpos.parse, ' "0/1" ')
    assert "lenient=True" in (error.hint or "")


# ---------------------------------------------------------------- start times


@pytest.mark.parametrize(
    ("text", "column"),
    [
        ("2018-03-08 12:12:12 UTC", 21),
        ("2018-03-08T12:12:1x", 19),
        (" 1520511132", 1),
        ("1520511132 ", 11),
        ("2018-03", 8),
        ("x", 1),
        ("\u0661\u0662", 1),
    ],
)
def test_start_time_errors_quote_the_input_and_give_the_column(text: str, column: int) -> None:
    error = error_of(cdcpos.parse_start_time, text)
    assert_well_formed(error, text)
    assert error.column == column and error.expected


def test_a_start_time_that_is_no_instant_has_no_column() -> None:
    error = error_of(cdcpos.parse_start_time, "2018-13-08T12:12:12")
    assert_well_formed(error, "2018-13-08T12:12:12")
    assert error.column is None and "no such date" in error.reason


# ---------------------------------------------------------------- every invalid string


@functools.cache
def _mutated(entry: str) -> st.SearchStrategy[str]:
    base = (
        st.one_of(grammar_strings("start_position"), grammar_strings("stop_position"))
        if entry == "any"
        else grammar_strings(entry)
    )
    return mutated(base)


def check_messages(entry: str, text: str) -> None:
    for lenient in (False, True):
        try:
            FUNCTIONS[entry](text, lenient=lenient)
        except cdcpos.InvalidPosition as error:
            assert_well_formed(error, text)
            if lenient:
                assert "lenient" not in str(error)


# 15 per entry in the fast suite; the slow twin below draws 500.
@pytest.mark.parametrize("entry", sorted(FUNCTIONS))
@_differential(15)
@given(data=st.data())
def test_every_invalid_string_gets_a_well_formed_message(entry: str, data: st.DataObject) -> None:
    check_messages(entry, data.draw(_mutated(entry)))


@pytest.mark.slow
@pytest.mark.parametrize("entry", sorted(FUNCTIONS))
@_differential(500)
@given(data=st.data())
def test_many_invalid_strings_get_well_formed_messages(entry: str, data: st.DataObject) -> None:
    check_messages(entry, data.draw(_mutated(entry)))


def test_known_mistake_hints_are_never_empty() -> None:
    texts = [*EXAMPLES, "server_time:2018-02-09T12:12:12", "2018-03-08T12:12:12", ""]
    for entry in FUNCTIONS:
        for text in texts:
            for lenient in (False, True):
                hint = _diagnose.known_mistake_hint(entry, text, lenient=lenient)
                assert hint is None or (hint.strip() and not hint.rstrip().endswith(":"))
