"""pydantic v2 support: cdcpos values as model fields, and the field types of DMS requests.

Imported only when pydantic asks a cdcpos type for its schema (through
``Position.__get_pydantic_core_schema__``) or by :mod:`cdcpos.aws`: ``import cdcpos`` never
imports pydantic.

Each field is one plain validator that calls the library's own parser, so one bad value
gives exactly one error; its ``type`` names the failure family (:data:`ERROR_TYPES`) and its
message is the library's.  JSON schemas carry a ``pattern`` derived from the grammar (through
``cdcpos._fastpath``), never a second copy of the format rules.

>>> from pydantic import BaseModel
>>> import cdcpos
>>> class Slot(BaseModel):
...     lsn: cdcpos.PostgresLsn
>>> Slot(lsn="000004af/b00000d0").model_dump_json()
'{"lsn":"4AF/B00000D0"}'
"""

from __future__ import annotations

try:  # a missing extra names its install line
    import pydantic  # noqa: F401
except ModuleNotFoundError as error:
    from cdcpos._extras import missing_extra

    raise missing_extra(error, "cdcpos._pydantic", "pydantic") from None

import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

from cdcpos import _fastpath
from cdcpos._engines import family_of_engine
from cdcpos._errors import InvalidPosition
from cdcpos._parse import (
    _CHECKPOINT_ONLY,
    MAX_LENGTH,
    parse,
    parse_db2_start_from_context,
    parse_stop_position,
)
from cdcpos._positions import Position, StopPosition, parse_start_time

__all__ = [
    "ERROR_TYPES",
    "PositionField",
    "StartTimeField",
    "TimestampField",
    "custom_error",
    "entry_pattern",
    "position_core_schema",
    "position_json_schema",
    "position_pattern",
    "source_engine",
]

#: The stable ``type`` of every error the cdcpos pydantic types raise, and what it means.
ERROR_TYPES: dict[str, str] = {
    "cdcpos_type": "the input has the wrong Python type (not a str, number or datetime as the "
    "field takes)",
    "cdcpos_too_long": f"longer than cdcpos.MAX_LENGTH ({MAX_LENGTH}) characters",
    "cdcpos_syntax": "not in the field's format; the message gives the column of the first "
    "problem and what was expected there",
    "cdcpos_value": "in the field's format, but no such value (a day that does not exist, a "
    "number out of range)",
    "cdcpos_wrong_kind": "a valid cdcpos value of a kind the field does not take (an SCN for "
    "a PostgresLsn field, a date for CdcStopPosition)",
    "cdcpos_engine": "a valid value that the source engine named in the validation context "
    "cannot use",
    "cdcpos_epoch_milliseconds": "a timestamp in epoch milliseconds where DMS takes seconds",
    "cdcpos_context": "the validation context is malformed (an unknown engine name, ...)",
    "cdcpos_arn": "not a DMS ARN of the expected resource type",
    "cdcpos_identifier": "not a valid DMS identifier",
    "cdcpos_json": "not the JSON document the field holds",
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


def _invalid_position_error(error_type: str, error: InvalidPosition) -> PydanticCustomError:
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


# ====================================================================== patterns

# Python-only syntax in the derived expressions: named groups, and '\#' (an identity
# escape that ECMA-262 regular expressions in unicode mode reject).
_NAMED_GROUP = re.compile(r"\(\?P<[A-Za-z_][A-Za-z0-9_]*>")
# A lookaround ending in '#': checkpoint-only terminals look ahead to the '#' that follows
# them inside a checkpoint.
_HASH_LOOKAROUND = re.compile(r"\(\?([=!])((?:[^()\\]|\\.)*)#\)")


def _portable(pattern: str) -> str:
    return _NAMED_GROUP.sub("(?:", pattern).replace("\\#", "#")


def _standalone(pattern: str) -> str:
    """A checkpoint-only terminal read on its own: its '#' lookarounds look at the end."""
    return _HASH_LOOKAROUND.sub(r"(?\1\2$)", pattern)


def entry_pattern(*entries: str) -> str:
    """The anchored pattern of one or more grammar entry points, portable to JSON Schema.

    >>> import re
    >>> bool(re.search(entry_pattern("stop_position"), "server_time:2018-02-09T12:12:12"))
    True
    """
    body = "|".join(_portable(_fastpath.ENTRY_PATTERNS[entry]) for entry in entries)
    return f"^(?:{body})$"


def _class_alternatives(cls: type[Position]) -> list[str]:
    if cls is Position:
        return [_fastpath.ENTRY_PATTERNS[e] for e in ("start_position", "stop_position")]
    if cls is StopPosition:
        return [_fastpath.ENTRY_PATTERNS["stop_position"]]
    kind = getattr(cls, "kind", None)
    if kind is None:
        return []
    alternatives = []
    if kind in _fastpath.ENTRY_PATTERNS:  # a kind that is a whole entry (checkpoint)
        alternatives.append(_fastpath.ENTRY_PATTERNS[kind])
    else:
        terminals = _fastpath.RULE_GROUP_TERMINALS.get(kind, ())
        if len(terminals) == 1:
            alternatives.append(_fastpath.TERMINAL_PATTERNS[terminals[0]])
    if kind in _CHECKPOINT_ONLY:  # the spelling found inside checkpoints
        terminal = _CHECKPOINT_ONLY[kind][0]
        alternatives.append(_standalone(_fastpath.TERMINAL_PATTERNS[terminal]))
    return alternatives


def position_pattern(cls: type[Position]) -> str | None:
    """The anchored JSON Schema ``pattern`` of a value class's text, derived from the grammar.

    ``None`` when the class has no pattern of its own (a private base class).

    >>> import re, cdcpos
    >>> bool(re.search(position_pattern(cdcpos.PostgresLsn), "4AF/B00000D0"))
    True
    >>> bool(re.search(position_pattern(cdcpos.OpaquePosition), "*"))
    False
    """
    alternatives = _class_alternatives(cls)
    if not alternatives:
        return None
    return "^(?:" + "|".join(_portable(a) for a in alternatives) + ")$"


_form_matchers: dict[str, Callable[[str], object]] = {}


def _has_form(pattern: str | None, text: str) -> bool:
    """Whether ``text`` matches the derived pattern (a value error, not a syntax error)."""
    if pattern is None:
        return False
    matcher = _form_matchers.get(pattern)
    if matcher is None:
        # The anchors are for JSON Schema; Python's '$' also matches before a final
        # newline, so match the body in full instead.
        matcher = _form_matchers[pattern] = re.compile(pattern[1:-1]).fullmatch
    return matcher(text) is not None


# ====================================================================== failure families


def _other_kind(text: str) -> Position | None:
    """The value ``text`` is as any position at all, or ``None``."""
    for reader in (parse, parse_db2_start_from_context):
        try:
            return reader(text)
        except InvalidPosition:
            pass
    return None


def position_error(
    error: InvalidPosition,
    text: str,
    *,
    pattern: str | None,
    takes: Callable[[Position], bool],
    without_engine: Callable[[], object] | None = None,
    given: Position | None = None,
) -> PydanticCustomError:
    """Turn the parser's rejection of ``text`` into the pydantic error of its family.

    ``given`` is the value when the input was a cdcpos value rather than text.
    """
    if len(text) > MAX_LENGTH:
        family = "cdcpos_too_long"
    elif without_engine is not None and _succeeds(without_engine):
        family = "cdcpos_engine"
    elif given is not None or not takes_any_reading(text, takes):
        family = "cdcpos_wrong_kind"
    elif error.column is not None or not _has_form(pattern, text):
        family = "cdcpos_syntax"
    else:
        family = "cdcpos_value"
    return _invalid_position_error(family, error)


def takes_any_reading(text: str, takes: Callable[[Position], bool]) -> bool:
    """False when ``text`` is a valid position of a kind the field does not take."""
    other = _other_kind(text)
    return other is None or takes(other)


def _succeeds(attempt: Callable[[], object]) -> bool:
    try:
        attempt()
    except (InvalidPosition, TypeError):
        return False
    return True


# ====================================================================== value classes


def _parser_of(cls: type[Position]) -> Callable[[str], Position]:
    # The two public base classes have no text of their own: they read any position
    # (Position) or either clock (StopPosition).  Every other class parses its own text.
    if cls is Position:
        return parse
    if cls is StopPosition:
        return parse_stop_position
    return cls


def position_core_schema(
    cls: type[Position], source: Any, handler: GetCoreSchemaHandler
) -> core_schema.CoreSchema:
    """The core schema of a value class: an instance, or a str parsed by the class itself.

    Serializes to the canonical ``str()`` in JSON mode (the instance in Python mode).

    >>> from pydantic import TypeAdapter
    >>> import cdcpos
    >>> TypeAdapter(cdcpos.SqlServerLsn).validate_json('"00000014:00000061:0001"').slot
    1
    """
    read = _parser_of(cls)
    pattern = position_pattern(cls)
    name = cls.__name__

    def takes(value: Position) -> bool:
        return isinstance(value, cls)

    def validate(value: Any) -> Position:
        if isinstance(value, cls):
            return value
        if not isinstance(value, str):
            raise _type_error(name, f"a str or a {name}", value)
        try:
            return read(value)
        except InvalidPosition as error:
            raise position_error(error, value, pattern=pattern, takes=takes) from None

    return core_schema.no_info_plain_validator_function(
        validate,
        serialization=core_schema.plain_serializer_function_ser_schema(str, when_used="json"),
    )


def position_json_schema(
    cls: type[Position], schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
) -> JsonSchemaValue:
    """A string schema with the grammar-derived ``pattern`` (in both schema modes).

    >>> from pydantic import TypeAdapter
    >>> import cdcpos
    >>> TypeAdapter(cdcpos.SqlServerLsn).json_schema()["pattern"]
    '^(?:[0-9A-Fa-f]{8}:[0-9A-Fa-f]{8}:[0-9A-Fa-f]{4})$'
    """
    result: dict[str, Any] = {"type": "string"}
    pattern = position_pattern(cls)
    if pattern is not None:
        result["pattern"] = pattern
    doc = (cls.__doc__ or "").strip().splitlines()
    if doc:
        result["description"] = doc[0]
    return result


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

    ``engine_aware`` fields check the position against the ``source_engine`` of the
    validation context.  Instances of a value class are accepted when their text is a
    valid value of the field (so an ``OpaquePosition`` is no ``CdcStartPosition``).

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

    def _takes(self, value: Position) -> bool:
        try:
            self.read(str(value))
        except InvalidPosition:
            return False
        return True

    def validate(self, value: Any, info: core_schema.ValidationInfo | None = None) -> Position:
        engine = source_engine(info) if self.engine_aware else None
        if isinstance(value, Position):
            text = str(value)
        elif isinstance(value, str):
            text = value
        else:
            raise _type_error(self.field, "a str or a cdcpos value", value)
        try:
            parsed = self.read(text, engine=engine) if engine else self.read(text)
        except InvalidPosition as error:
            without_engine = (lambda: self.read(text)) if engine else None
            raise position_error(
                error,
                text,
                pattern=self.pattern,
                takes=self._takes,
                without_engine=without_engine,
                given=value if isinstance(value, Position) else None,
            ) from None
        # A value passed in stays itself (a checkpoint keeps its exact text anyway).
        return value if isinstance(value, Position) else parsed

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


_TIME_INPUTS = (datetime, date, int, float, Decimal, str)


def _time_family(error: InvalidPosition, value: object, retry: Callable[[object], object]) -> str:
    if isinstance(value, (int, float, Decimal, str)) and not isinstance(value, bool):
        try:
            as_milliseconds = Decimal(str(value)) / 1000
        except ArithmeticError:
            as_milliseconds = None
        if (
            as_milliseconds is not None
            and as_milliseconds.is_finite()
            and _succeeds(lambda: retry(as_milliseconds))
        ):
            return "cdcpos_epoch_milliseconds"
    if isinstance(value, str) and not re.fullmatch(r"-?[0-9]+(?:\.[0-9]+)?", value):
        return "cdcpos_syntax"
    return "cdcpos_value"


class StartTimeField:
    """``Annotated`` metadata for ``CdcStartTime``: read by :func:`cdcpos.parse_start_time`.

    Accepts a ``datetime`` (naive means UTC), a ``date``, epoch seconds (int, float,
    ``Decimal`` or a decimal string) or ISO 8601 text; gives an aware UTC ``datetime``;
    serializes to ISO 8601 with ``Z`` in JSON.  Epoch milliseconds are an error
    (``cdcpos_epoch_milliseconds``), and so is a start time for a source engine (from the
    validation context) that cannot start from a time.

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

    def validate(self, value: Any, info: core_schema.ValidationInfo | None = None) -> datetime:
        engine = source_engine(info)
        if isinstance(value, bool) or not isinstance(value, _TIME_INPUTS):
            raise _type_error(self.field, "a datetime, epoch seconds or an ISO 8601 str", value)
        try:
            return parse_start_time(value, engine=engine)
        except InvalidPosition as error:
            if engine is not None and _succeeds(lambda: parse_start_time(value)):
                family = "cdcpos_engine"
            else:
                family = _time_family(error, value, parse_start_time)  # type: ignore[arg-type]
            raise _invalid_position_error(family, error) from None

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

    def validate(self, value: Any, info: core_schema.ValidationInfo | None = None) -> datetime:
        if isinstance(value, bool) or not isinstance(value, _TIME_INPUTS):
            raise _type_error(self.field, "a datetime, epoch seconds or an ISO 8601 str", value)
        try:
            return parse_start_time(value)
        except InvalidPosition as error:
            renamed = InvalidPosition(
                error.reason,
                field=self.field,
                text=error.text,
                column=error.column,
                expected=error.expected,
                # The core's hint names CdcStartTime; the rule is the same for every DMS timestamp.
                hint=None if error.hint is None else error.hint.replace("CdcStartTime", "DMS"),
            )
            family = _time_family(error, value, parse_start_time)  # type: ignore[arg-type]
            raise _invalid_position_error(family, renamed) from None
