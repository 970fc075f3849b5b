"""Every value class as a pydantic field type: its core schema and JSON schema."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from pydantic import GetCoreSchemaHandler, GetJsonSchemaHandler
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

import cdcpos
from cdcpos import (
    InvalidPosition,
    Position,
    StopPosition,
    parse_stop_position,
)
from cdcpos._parse import _CHECKPOINT_ONLY
from cdcpos._pydantic._errors import _plain_text, _type_error, _unexpected_error
from cdcpos._pydantic._patterns import (
    _DB2_KINDS,
    _PARSE_KINDS,
    _dump_position,
    _entry_kinds,
    _read_position,
    position_error,
    position_pattern,
)

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
