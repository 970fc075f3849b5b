"""Failure families of the pydantic fields: the stable error types and how errors are made."""

from __future__ import annotations

import re
from typing import Any

from pydantic_core import PydanticCustomError

from cdcpos import (
    MAX_LENGTH,
    InvalidPosition,
)

#: The stable ``type`` of every error the cdcpos pydantic types raise, and what it means.
ERROR_TYPES: dict[str, str] = {
    "cdcpos_type": "the input has the wrong Python type (not a str, number or datetime as the "
    "field takes)",
    "cdcpos_too_long": f"longer than cdcpos.MAX_LENGTH ({MAX_LENGTH}) characters",
    "cdcpos_syntax": "not in the field's format; the message gives the column of the first "
    "problem and what was expected there",
    "cdcpos_value": "in the field's format, but no such value (a day that does not exist, a "
    "number out of range)",
    "cdcpos_wrong_kind": "a cdcpos value, or text in the form of one, of a kind the field does "
    "not take (an SCN for a PostgresLsn field, a date for CdcStopPosition)",
    "cdcpos_engine": "a valid value that the source engine named in the validation context "
    "cannot use",
    "cdcpos_epoch_milliseconds": "a timestamp in epoch milliseconds where DMS takes seconds",
    "cdcpos_context": "the validation context is malformed (an unknown engine name, ...)",
    "cdcpos_arn": "not a DMS ARN of the expected resource type",
    "cdcpos_identifier": "not a valid DMS identifier",
    "cdcpos_json": "not the JSON document the field holds (not JSON, not an object, nested "
    "too deeply)",
    "cdcpos_tag": "not a valid DMS tag key or value",
    "cdcpos_start_conflict": "both CdcStartPosition and CdcStartTime are given",
    "cdcpos_first_run": "a StartReplicationTaskType other than start-replication for a task's "
    "first run",
    "cdcpos_migration_type": "a CDC field or start type that the task's migration type rules out",
    "cdcpos_duplicate_field": "the same field given under its PascalCase and snake_case names",
}


def custom_error(error_type: str, message: str, **details: Any) -> PydanticCustomError:
    """A pydantic error of one of the :data:`ERROR_TYPES`, whose message is ``message``.

    ``details`` go into the error's ``ctx``.  The message is put in last: pydantic fills
    the template key by key, and the message (which quotes user input) must not be
    searched for the other keys' placeholders.

    >>> custom_error("cdcpos_syntax", "Invalid x '{hint}'", hint="h").message()
    "Invalid x '{hint}'"
    """
    if error_type not in ERROR_TYPES:  # pragma: no cover - a programming error
        raise AssertionError(f"undocumented error type {error_type!r}")
    context = {**details, "message": message}
    return PydanticCustomError(error_type, "{message}", context)


def without_lenient_advice(hint: str | None) -> str | None:
    """``hint`` without its suggestion to parse leniently.

    >>> without_lenient_advice("remove the quotes around the value, or parse leniently "
    ...                        "(lenient=True; --lenient on the command line)")
    'remove the quotes around the value'
    >>> without_lenient_advice("e.g. 2018-03-08T12:12:12Z") is None
    False
    """
    # The core's hints offer lenient parsing, which pydantic fields do not have (see
    # above): the alternative that offers it is left out; the rest (what to remove) stays.
    if hint is None or "lenient" not in hint:
        return hint
    kept = [part for part in re.split(r",\s+or\s+", hint) if "lenient" not in part]
    return ", or ".join(kept) or None


def _invalid_position_error(error_type: str, error: InvalidPosition) -> PydanticCustomError:
    hint = without_lenient_advice(error.hint)
    if hint != error.hint:
        error = InvalidPosition(
            error.reason,
            field=error.field,
            text=error.text,
            column=error.column,
            expected=error.expected,
            hint=hint,
        )
    return custom_error(
        error_type,
        str(error),
        reason=error.reason,
        column=error.column,
        expected=error.expected,
        hint=error.hint,
    )


def _type_error(field: str, accepted: str, value: object) -> PydanticCustomError:
    # Worded like the core's own TypeError ("CdcStartPosition must be a str, not int").
    return custom_error(
        "cdcpos_type", f"{field} must be {accepted}, not {type(value).__name__}", field=field
    )


def _unexpected_error(field: str, value: object, error: Exception) -> PydanticCustomError:
    """What a reader raised that it should not have: still a validation error, not a crash."""
    try:
        shown = repr(value)
    except Exception:  # a hostile __repr__ must not escape either
        shown = f"<{type(value).__name__}>"
    if len(shown) > 120:
        shown = shown[:100] + f"... ({len(shown)} characters)"
    return custom_error(
        "cdcpos_value",
        f"Invalid {field} {shown}: cannot be read ({type(error).__name__}: {error})",
        reason=f"cannot be read ({type(error).__name__})",
    )


def _plain_text(value: str) -> str:
    # A str subclass (StrEnum member, numpy.str_) is read as its text, never through an
    # overridden __str__, and never kept as the subclass object.
    return value if type(value) is str else str.__str__(value)
