"""The field types of DMS requests (read with the validation context) and time fields."""

from __future__ import annotations

import numbers
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from cdcpos import (
    InvalidPosition,
    Position,
    parse_start_time,
)
from cdcpos._engines import family_of_engine
from cdcpos._pydantic._errors import (
    _invalid_position_error,
    _plain_text,
    _type_error,
    _unexpected_error,
    custom_error,
)
from cdcpos._pydantic._patterns import _entry_kinds, entry_pattern, position_error

# ====================================================================== validation context

CONTEXT_KEYS = ("source_engine", "migration_type", "first_run")
MIGRATION_TYPES = ("full-load", "cdc", "full-load-and-cdc")


def _context(info: core_schema.ValidationInfo | None) -> Mapping[str, Any]:
    context = None if info is None else info.context
    # A context that is not a mapping belongs to someone else's validators: not ours to read.
    return context if isinstance(context, Mapping) else {}


def source_engine(info: core_schema.ValidationInfo | None) -> str | None:
    """The DMS ``EngineName`` in the validation context (key ``source_engine``), checked."""
    engine = _context(info).get("source_engine")
    if engine is None:
        return None
    if not isinstance(engine, str):
        raise _type_error("source_engine", "a str (a DMS EngineName)", engine)
    try:
        family_of_engine(engine, field="source_engine", text=engine)
    except InvalidPosition as error:
        raise _invalid_position_error("cdcpos_context", error) from None
    return engine


def migration_type(info: core_schema.ValidationInfo | None) -> str | None:
    """The task's ``MigrationType`` in the validation context (key ``migration_type``)."""
    value = _context(info).get("migration_type")
    if value is None:
        return None
    if value not in MIGRATION_TYPES:
        raise custom_error(
            "cdcpos_context",
            f"Invalid migration_type {value!r} in the validation context: expected one of "
            + ", ".join(MIGRATION_TYPES),
        )
    return str(value)


def first_run(info: core_schema.ValidationInfo | None) -> bool | None:
    """Whether the task has never run (key ``first_run``); ``None`` when unknown."""
    value = _context(info).get("first_run")
    if value is None:
        return None
    if not isinstance(value, bool):
        raise custom_error(
            "cdcpos_context",
            f"Invalid first_run {value!r} in the validation context: expected True or False",
        )
    return value


def check_context(info: core_schema.ValidationInfo | None) -> None:
    """Read every context key once, so a malformed context is one error, raised early."""
    source_engine(info)
    migration_type(info)
    first_run(info)


# ====================================================================== request fields


class PositionField:
    """``Annotated`` metadata: a request field read by one of the library's entry points.

    The value is read once, without the engine; a value that reads is then checked against
    the ``source_engine`` of the validation context (``engine_aware`` fields), by reading
    its text with the engine.  An instance of a value class is taken when it is of a kind
    the field reads and its text reads back as that same value (so an ``OpaquePosition`` is
    no ``CdcStartPosition``, and the JSON round trip gives back what was given).

    >>> from typing import Annotated
    >>> from pydantic import TypeAdapter
    >>> import cdcpos
    >>> start = TypeAdapter(Annotated[cdcpos.Position, PositionField(
    ...     "CdcStartPosition", cdcpos.parse_start_position, ("start_position",), True)])
    >>> start.validate_python("0/5120E10")
    PostgresLsn('0/5120E10')
    """

    def __init__(
        self,
        field: str,
        read: Callable[..., Position],
        entries: tuple[str, ...],
        engine_aware: bool,
    ) -> None:
        self.field = field
        self.read = read
        self.entries = entries
        self.engine_aware = engine_aware
        self.pattern = entry_pattern(*entries)
        self.kinds = _entry_kinds(*entries)

    def _given(self, value: Position) -> str:
        """The text of a value passed in, when the field can take it."""
        text = str(value)
        if value.kind not in self.kinds:
            raise custom_error(
                "cdcpos_wrong_kind",
                f"Invalid {self.field} {value!r}: a {type(value).__name__} ({value.kind}) is "
                f"not a {self.field}, which takes {', '.join(sorted(self.kinds))}",
                reason=f"{value.kind} is not a {self.field}",
            )
        return text

    def validate(self, value: Any, info: core_schema.ValidationInfo | None = None) -> Position:
        engine = source_engine(info) if self.engine_aware else None
        given = value if isinstance(value, Position) else None
        if given is not None:
            text = self._given(given)
        elif isinstance(value, str):
            text = _plain_text(value)
        else:
            raise _type_error(self.field, "a str or a cdcpos value", value)
        try:
            parsed = self.read(text)
        except InvalidPosition as error:
            raise position_error(
                error, text, pattern=self.pattern, kinds=self.kinds, given=given
            ) from None
        except TypeError:
            raise _type_error(self.field, "a str or a cdcpos value", value) from None
        except Exception as error:  # a reader's bug must not escape validation
            raise _unexpected_error(self.field, value, error) from None
        if given is not None and (type(parsed) is not type(given) or parsed != given):
            raise custom_error(
                "cdcpos_wrong_kind",
                f"Invalid {self.field} {given!r}: its text reads as {parsed!r}, another "
                "value; give the text, or a value of a kind the field reads",
                reason="its text reads as another value",
            )
        if engine is not None:
            # Only a value that read is read again, with the engine: its text matches the
            # derived expression, so nothing is diagnosed twice.
            try:
                self.read(text, engine=engine)
            except InvalidPosition as error:
                raise _invalid_position_error("cdcpos_engine", error) from None
            except Exception as error:  # a reader's bug must not escape validation
                raise _unexpected_error(self.field, value, error) from None
        # A value passed in stays itself (a checkpoint keeps its exact text anyway).
        return given if given is not None else parsed

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_plain_validator_function(
            self.validate,
            serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "pattern": self.pattern, "description": f"DMS {self.field}"}


def _iso_utc(value: datetime) -> str:
    """ISO 8601 in UTC with a ``Z``: what the AWS CLI prints and every reader accepts."""
    return value.astimezone(UTC).isoformat().replace("+00:00", "Z")


_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
# Epoch seconds of the first instant past datetime's range, and of its first instant.
_END_SECONDS = int((datetime.max.replace(tzinfo=UTC) - _EPOCH).total_seconds()) + 1
_MIN_SECONDS = int((datetime.min.replace(tzinfo=UTC) - _EPOCH).total_seconds())
_EPOCH_TEXT = re.compile(r"-?[0-9]+(?:\.[0-9]+)?")


def _epoch_number(value: object) -> Decimal | None:
    """``value`` as a number of epoch seconds, when it is one (a number or decimal text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        if len(value) > 64 or not _EPOCH_TEXT.fullmatch(value):
            return None
    elif not isinstance(value, (numbers.Real, Decimal)):
        return None
    try:
        number = Decimal(_plain_text(value) if isinstance(value, str) else str(value))
    except Exception:  # str() of a huge int is a ValueError; a number's __str__ may fail
        return None
    return number if number.is_finite() and number.adjusted() < 20 else None


def _time_family(error: InvalidPosition, value: object) -> str:
    """The family of a rejected time, from the value itself (nothing is read again)."""
    number = _epoch_number(value)
    # Past the year 9999 as seconds, within range as milliseconds: the CloudFormation trap.
    if (
        number is not None
        and number >= _END_SECONDS
        and _MIN_SECONDS <= number / 1000 < _END_SECONDS
    ):
        return "cdcpos_epoch_milliseconds"
    if isinstance(value, str) and not _EPOCH_TEXT.fullmatch(value):
        return "cdcpos_syntax"
    return "cdcpos_value"


_refusals: dict[str, InvalidPosition | None] = {}
_PROBE = datetime(2000, 1, 1, tzinfo=UTC)


def _time_refusal(engine: str, value: object) -> InvalidPosition | None:
    """The core's refusal of any start time for a source engine, quoting ``value``.

    Asked of the core once per engine name, with a probe: the user's value is not read again.
    """
    if engine not in _refusals:
        try:
            parse_start_time(_PROBE, engine=engine)
        except InvalidPosition as error:
            _refusals[engine] = error
        else:
            _refusals[engine] = None
    refusal = _refusals[engine]
    if refusal is None:
        return None
    return InvalidPosition(
        refusal.reason,
        field=refusal.field,
        text=value if isinstance(value, str) else None,
        column=refusal.column,
        expected=refusal.expected,
        hint=refusal.hint,
    )


class StartTimeField:
    """``Annotated`` metadata for ``CdcStartTime``: read by :func:`cdcpos.parse_start_time`.

    Accepts what :func:`cdcpos.parse_start_time` accepts: a ``datetime`` (naive means UTC),
    a ``date``, epoch seconds (int, float, ``Decimal``, numpy scalars, or a decimal string)
    or ISO 8601 text; gives an aware UTC ``datetime``; serializes to ISO 8601 with ``Z`` in
    JSON.  The value is read once.  Epoch milliseconds are an error
    (``cdcpos_epoch_milliseconds``), and so is a start time for a source engine (from the
    validation context) that cannot start from a time (``cdcpos_engine``).

    >>> from typing import Annotated
    >>> from datetime import datetime
    >>> from pydantic import TypeAdapter
    >>> start = TypeAdapter(Annotated[datetime, StartTimeField()])
    >>> start.validate_python(1520511132)
    datetime.datetime(2018, 3, 8, 12, 12, 12, tzinfo=datetime.timezone.utc)
    >>> start.dump_json(start.validate_python("2018-03-08T13:12:12+01:00"))
    b'"2018-03-08T12:12:12Z"'
    """

    field = "CdcStartTime"
    accepted = "a datetime, epoch seconds or an ISO 8601 str"

    def _read(self, value: Any) -> datetime:
        try:
            return parse_start_time(value)
        except InvalidPosition as error:
            raise _invalid_position_error(_time_family(error, value), self._named(error)) from None
        except TypeError:
            raise _type_error(self.field, self.accepted, value) from None
        except Exception as error:  # a reader's bug must not escape validation
            raise _unexpected_error(self.field, value, error) from None

    def _named(self, error: InvalidPosition) -> InvalidPosition:
        return error

    def validate(self, value: Any, info: core_schema.ValidationInfo | None = None) -> datetime:
        engine = source_engine(info)
        if isinstance(value, bool):  # an int, to Python; never a time
            raise _type_error(self.field, self.accepted, value)
        if isinstance(value, str):
            value = _plain_text(value)
        parsed = self._read(value)
        refusal = None if engine is None else _time_refusal(engine, value)
        if refusal is not None:
            raise _invalid_position_error("cdcpos_engine", refusal)
        return parsed

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.with_info_plain_validator_function(
            self.validate,
            serialization=core_schema.plain_serializer_function_ser_schema(
                _iso_utc, when_used="json"
            ),
        )

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        text = {"type": "string", "format": "date-time"}
        if handler.mode == "serialization":
            return {**text, "description": f"DMS {self.field}, ISO 8601 in UTC"}
        return {
            "anyOf": [text, {"type": "number"}],
            "description": f"DMS {self.field}: ISO 8601 or epoch seconds (not milliseconds)",
        }


class TimestampField(StartTimeField):
    """``Annotated`` metadata for the timestamps of DMS responses (dates, stats).

    Reads what boto3 returns (aware ``datetime``), the raw JSON of the API (epoch seconds)
    and ISO 8601 text (the botocore examples), with the rules of ``CdcStartTime`` but no
    engine check; the message names the timestamp, not ``CdcStartTime``.

    >>> from typing import Annotated
    >>> from datetime import datetime
    >>> from pydantic import TypeAdapter
    >>> TypeAdapter(Annotated[datetime, TimestampField()]).validate_python(1457658794.056)
    datetime.datetime(2016, 3, 11, 1, 13, 14, 56000, tzinfo=datetime.timezone.utc)
    """

    field = "timestamp"

    def _named(self, error: InvalidPosition) -> InvalidPosition:
        return InvalidPosition(
            error.reason,
            field=self.field,
            text=error.text,
            column=error.column,
            expected=error.expected,
            # The core's hint names CdcStartTime; the rule is the same for every DMS timestamp.
            hint=None if error.hint is None else error.hint.replace("CdcStartTime", "DMS"),
        )

    def validate(self, value: Any, info: core_schema.ValidationInfo | None = None) -> datetime:
        if isinstance(value, bool):
            raise _type_error(self.field, self.accepted, value)
        return self._read(_plain_text(value) if isinstance(value, str) else value)
