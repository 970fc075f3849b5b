"""pydantic v2 support: cdcpos values as model fields, and the field types of DMS requests.

Imported only when pydantic asks a cdcpos type for its schema (through
``Position.__get_pydantic_core_schema__``) or by :mod:`cdcpos.aws`: ``import cdcpos`` never
imports pydantic.

Each field is one plain validator that calls the library's own reader **once** per value,
so one bad value gives exactly one error and costs one rejection (a hostile string is never
diagnosed twice); its ``type`` names the failure family (:data:`ERROR_TYPES`), found from
the grammar-derived expressions (``cdcpos._fastpath``) without reading the value again, and
its message is the library's.  JSON schemas carry a ``pattern`` derived from the grammar,
never a second copy of the format rules.

Decisions [decision]:

* **No lenient mode.**  The fields read what they are given exactly, as DMS will: a model
  validates what is sent.  To accept pasted text (quotes, surrounding whitespace, a space
  after ``commit_time:``), read it first with ``cdcpos.parse_*(text, lenient=True)`` and
  give the model the value.  Hints therefore never suggest ``lenient=True``: the error says
  what to remove.
* **JSON round trip.**  Every value a field accepts comes back equal (same class) from
  ``model_validate_json(model_dump_json())``.  A field of a value class writes the value's
  canonical text.  A ``cdcpos.Position`` field reads every kind, including those
  :func:`cdcpos.parse` does not read (the positions found inside checkpoints, the Db2
  ``StartFromContext`` values); the two kinds whose text alone could be read as another
  kind are written with their kind in front: ``opaque:<text>`` (any printable text could be
  an opaque position) and ``db2_lri:<digits>`` for a Db2 LRI whose 34 digits are all
  decimal (they read as an Oracle SCN).  A request field (``CdcStartPosition``, ...) takes
  a value only when its text reads back as that same value.
* **Nothing but validation errors.**  A wrong type is ``cdcpos_type``; anything else the
  reader raises (which would be a bug of the reader) is reported as ``cdcpos_value`` naming
  the exception, so that validating untrusted input never ends in another exception.

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

import numbers
import re
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from decimal import Decimal
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import PydanticCustomError, core_schema

import cdcpos
from cdcpos import (
    MAX_LENGTH,
    Db2Lri,
    InvalidPosition,
    OpaquePosition,
    Position,
    StopPosition,
    _fastpath,
    parse,
    parse_db2_start_from_context,
    parse_start_time,
    parse_stop_position,
)
from cdcpos._engines import family_of_engine
from cdcpos._parse import _CHECKPOINT_ONLY

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


def _entry_kinds(*entries: str) -> frozenset[str]:
    """The kinds an entry point reads: the names of its expression's groups (grammar rules)."""
    return frozenset(
        name for entry in entries for name in re.compile(_fastpath.ENTRY_PATTERNS[entry]).groupindex
    )


#: Kinds :func:`cdcpos.parse` reads, and kinds of the Db2 ``StartFromContext``.
_PARSE_KINDS = _entry_kinds("start_position", "stop_position")
_DB2_KINDS = _entry_kinds("db2_start_from_context")
# Kinds with a form of their own found only inside checkpoints (``$.583860:1357`` is a
# binlog position there); opaque is left out: any printable text has its form.
_CHECKPOINT_SPELLINGS = tuple(kind for kind in _CHECKPOINT_ONLY if kind != "opaque")
# The kinds a `Position` field writes with their kind in front (see the module docstring).
_TAGGED = {"opaque": OpaquePosition, "db2_lri": Db2Lri}


def _rule_pattern(kind: str) -> str:
    if kind in _fastpath.ENTRY_PATTERNS:  # a kind that is a whole entry (checkpoint)
        return _fastpath.ENTRY_PATTERNS[kind]
    return _fastpath.RULE_PATTERNS[kind]


def _checkpoint_spelling(kind: str) -> str:
    return _standalone(_fastpath.TERMINAL_PATTERNS[_CHECKPOINT_ONLY[kind][0]])


_compiled: dict[str, Callable[[str], object]] = {}


def _fullmatch(pattern: str) -> Callable[[str], object]:
    """The compiled ``fullmatch`` of a derived pattern (compiled once, on first use)."""
    found = _compiled.get(pattern)
    if found is None:
        found = _compiled[pattern] = re.compile(pattern).fullmatch
    return found


def _forms(text: str) -> frozenset[str]:
    """The kinds, among those readable on their own, whose derived form ``text`` has.

    Only the grammar-derived expressions run: nothing is parsed (so nothing is diagnosed).
    """
    if len(text) > MAX_LENGTH:
        return frozenset()
    return frozenset(
        kind for kind in _PARSE_KINDS | _DB2_KINDS if _fullmatch(_rule_pattern(kind))(text)
    )


def _position_reading(text: str) -> tuple[str, Callable[[str], Position]]:
    """Which reader a ``Position`` field uses for ``text``: (kind or entry, reader).

    Kind tags first, then the forms :func:`cdcpos.parse` reads, then Db2's, then the
    spellings found inside checkpoints; text of no form goes to :func:`cdcpos.parse`, whose
    error is the one to give.
    """
    for kind in _TAGGED:
        if text.startswith(kind + ":"):
            return kind, _read_tagged
    if len(text) <= MAX_LENGTH:
        if _fullmatch(_fastpath.ENTRY_PATTERNS["start_position"])(text) or _fullmatch(
            _fastpath.ENTRY_PATTERNS["stop_position"]
        )(text):
            return "any", parse
        if _fullmatch(_fastpath.ENTRY_PATTERNS["db2_start_from_context"])(text):
            return "db2", parse_db2_start_from_context
        for kind in _CHECKPOINT_SPELLINGS:
            if _fullmatch(_checkpoint_spelling(kind))(text):
                return kind, _CHECKPOINT_ONLY[kind][1]
    return "any", parse


def _read_tagged(text: str) -> Position:
    kind, _, rest = text.partition(":")
    return _TAGGED[kind](rest)


def _read_position(text: str) -> Position:
    """A ``Position`` field's reader: every kind, each from its own form (one reader call)."""
    return _position_reading(text)[1](text)


def _dump_position(value: Position) -> str:
    """A ``Position`` field's JSON text: canonical, tagged when it would read as another kind."""
    text = str(value)
    # Untagged text is never read as opaque; an LRI's is read as one unless its digits
    # fit a form cdcpos.parse reads first.
    if value.kind == "opaque" or (value.kind == "db2_lri" and _position_reading(text)[0] != "db2"):
        return f"{value.kind}:{text}"
    return text


def _class_alternatives(cls: type[Position]) -> list[str]:
    if cls is Position:
        return [
            *(_fastpath.ENTRY_PATTERNS[e] for e in ("start_position", "stop_position")),
            _fastpath.ENTRY_PATTERNS["db2_start_from_context"],
            *(_checkpoint_spelling(kind) for kind in _CHECKPOINT_SPELLINGS),
            *(f"{kind}:(?:{_own_pattern(tagged)})" for kind, tagged in _TAGGED.items()),
        ]
    if cls is StopPosition:
        return [_fastpath.ENTRY_PATTERNS["stop_position"]]
    return _own_alternatives(cls)


def _own_alternatives(cls: type[Position]) -> list[str]:
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
        alternatives.append(_checkpoint_spelling(kind))
    return alternatives


def _own_pattern(cls: type[Position]) -> str:
    return "|".join(_own_alternatives(cls))


def position_pattern(cls: type[Position]) -> str | None:
    """The anchored JSON Schema ``pattern`` of a value class's text, derived from the grammar.

    ``None`` when the class has no pattern of its own (a private base class).

    >>> import re, cdcpos
    >>> bool(re.search(position_pattern(cdcpos.PostgresLsn), "4AF/B00000D0"))
    True
    >>> bool(re.search(position_pattern(cdcpos.OpaquePosition), "*"))
    False
    >>> bool(re.search(position_pattern(cdcpos.Position), "opaque:some-engine@42"))
    True
    """
    alternatives = _class_alternatives(cls)
    if not alternatives:
        return None
    return "^(?:" + "|".join(_portable(a) for a in alternatives) + ")$"


def _has_form(pattern: str | None, text: str) -> bool:
    """Whether ``text`` matches the derived pattern (a value error, not a syntax error)."""
    if pattern is None or len(text) > MAX_LENGTH:
        return False
    # The anchors are for JSON Schema; Python's '$' also matches before a final
    # newline, so match the body in full instead.
    return _fullmatch(pattern[1:-1])(text) is not None


# ====================================================================== failure families


def position_error(
    error: InvalidPosition,
    text: str,
    *,
    pattern: str | None,
    kinds: frozenset[str],
    given: Position | None = None,
) -> PydanticCustomError:
    """Turn the reader's rejection of ``text`` into the pydantic error of its family.

    ``kinds`` are the kinds the field takes; ``given`` is the value when the input was a
    cdcpos value rather than text.  Nothing is read again: the family comes from the
    error and the derived forms.
    """
    if len(text) > MAX_LENGTH:
        family = "cdcpos_too_long"
    elif given is not None or _other_kind_form(text, pattern, kinds):
        family = "cdcpos_wrong_kind"
    elif error.column is not None or not _has_form(pattern, text):
        family = "cdcpos_syntax"
    else:
        family = "cdcpos_value"
    return _invalid_position_error(family, error)


def _other_kind_form(text: str, pattern: str | None, kinds: frozenset[str]) -> bool:
    """Whether ``text`` is in the form of a kind the field does not take, and not its own."""
    if _has_form(pattern, text):
        return False
    return any(kind not in kinds for kind in _forms(text))


# ====================================================================== value classes


# The value classes of the library; a field keeps instances of these as they are.
_LIBRARY_CLASSES = frozenset(
    value
    for value in vars(cdcpos).values()
    if isinstance(value, type) and issubclass(value, Position)
)


def _class_reader(cls: type[Position]) -> Callable[[str], Position]:
    # The two public base classes have no text of their own: they read any position
    # (Position) or either clock (StopPosition).  Every other class parses its own text.
    if cls is Position:
        return _read_position
    if cls is StopPosition:
        return lambda text: parse_stop_position(text)
    return lambda text: cls(text)


def _class_kinds(cls: type[Position]) -> frozenset[str]:
    if cls is Position:
        return _PARSE_KINDS | _DB2_KINDS | frozenset(_CHECKPOINT_ONLY)
    if cls is StopPosition:
        return _entry_kinds("stop_position")
    kind = getattr(cls, "kind", None)
    return frozenset() if kind is None else frozenset({kind})


def position_core_schema(
    cls: type[Position], source: Any, handler: GetCoreSchemaHandler
) -> core_schema.CoreSchema:
    """The core schema of a value class: an instance, or a str parsed by the class itself.

    Serializes to the canonical ``str()`` in JSON mode (the instance in Python mode); a
    ``Position`` field tags the kinds whose text is ambiguous (see the module docstring).

    >>> from pydantic import TypeAdapter
    >>> import cdcpos
    >>> TypeAdapter(cdcpos.SqlServerLsn).validate_json('"00000014:00000061:0001"').slot
    1
    >>> TypeAdapter(cdcpos.Position).dump_json(cdcpos.OpaquePosition("some-engine@42"))
    b'"opaque:some-engine@42"'
    """
    read = _class_reader(cls)
    pattern = position_pattern(cls)
    kinds = _class_kinds(cls)
    name = cls.__name__

    def validate(value: Any) -> Position:
        if isinstance(value, cls):
            if type(value) in _LIBRARY_CLASSES:
                return value
            # A subclass defined outside cdcpos: read from its text, so that the field
            # holds what its JSON reads back as (a library value).
            text = str(value)
        elif isinstance(value, str):
            text = _plain_text(value)
        else:
            raise _type_error(name, f"a str or a {name}", value)
        try:
            return read(text)
        except InvalidPosition as error:
            raise position_error(error, text, pattern=pattern, kinds=kinds) from None
        except TypeError:
            raise _type_error(name, f"a str or a {name}", value) from None
        except Exception as error:  # a reader's bug must not escape validation
            raise _unexpected_error(name, text, error) from None

    dump = _dump_position if cls is Position else str
    return core_schema.no_info_plain_validator_function(
        validate,
        serialization=core_schema.plain_serializer_function_ser_schema(dump, when_used="json"),
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
