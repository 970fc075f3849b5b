"""Text rules of the DMS API for the fields that are not positions: ARNs, identifiers, JSON documents, tags."""

from __future__ import annotations

import json
import re
import unicodedata
from typing import Annotated, Any

from pydantic import (
    GetCoreSchemaHandler,
    GetJsonSchemaHandler,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import core_schema

from cdcpos._errors import quote
from cdcpos._pydantic import (
    custom_error,
)


class _TextRule:
    """``Annotated`` metadata for a str field with a documented format (ARN, identifier, JSON)."""

    error_type = ""

    def __init__(self, field: str) -> None:
        self.field = field

    def problem(self, text: str) -> str | None:  # pragma: no cover - overridden
        raise NotImplementedError

    def validate(self, value: Any) -> str:
        if not isinstance(value, str):
            raise custom_error(
                "cdcpos_type", f"{self.field} must be a str, not {type(value).__name__}"
            )
        problem = self.problem(value)
        if problem is not None:
            raise custom_error(
                self.error_type, f"Invalid {self.field} {quote(value)}: {problem}", problem=problem
            )
        return value

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> core_schema.CoreSchema:
        return core_schema.no_info_plain_validator_function(self.validate)

    def __get_pydantic_json_schema__(
        self, schema: core_schema.CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        return {"type": "string", "description": self.field}


# -- ARNs [doc]: docs/formats.md#task-arn
_PARTITIONS = "aws, aws-cn, aws-us-gov or aws-iso*"
_RESOURCE_NAMES = {
    "task": "a replication task",
    "rep": "a replication instance",
    "endpoint": "an endpoint",
    "subgrp": "a replication subnet group",
    "cert": "a certificate",
    "es": "an event subscription",
    "assessment-run": "an assessment run",
    "replication-config": "a serverless replication config",
    "data-provider": "a data provider",
    "instance-profile": "an instance profile",
    "migration-project": "a migration project",
}


def _arn_problem(text: str, resource: str) -> str | None:
    form = f"arn:<partition>:dms:<region>:<12-digit account>:{resource}:<id>"
    blank = next((i for i, c in enumerate(text) if c.isspace()), None)
    if blank is not None:
        return (
            f"whitespace at column {blank + 1}; expected {form}. Hint: copying an ARN from a "
            "web page can break it across lines; remove the whitespace"
        )
    parts = text.split(":", 6)
    if len(parts) < 7 or parts[0] != "arn":
        return f"expected {form}"
    _, partition, service, region, account, kind, identifier = parts
    if not re.fullmatch(r"aws(?:-cn|-us-gov|-iso(?:-[a-z]+)?)?", partition):
        return f"unknown partition {partition!r} (expected {_PARTITIONS})"
    if service != "dms":
        return f"service {service!r} is not dms; expected {form}"
    if not re.fullmatch(r"[a-z]{2}(?:-[a-z]+)+-[0-9]+", region):
        return f"{region!r} is not an AWS region (e.g. us-east-1)"
    if not re.fullmatch(r"[0-9]{12}", account):
        return f"the account {account!r} is not 12 digits"
    if kind != resource:
        what = _RESOURCE_NAMES.get(kind, f"a {kind!r} resource")
        return (
            f"this is the ARN of {what} ({kind!r}), not of {_RESOURCE_NAMES[resource]} "
            f"({resource!r})"
        )
    # Generated ids are 26 or 39 upper-case alphanumerics; a custom ResourceIdentifier
    # follows _resource_identifier_problem [doc].
    if re.fullmatch(r"[A-Z0-9]{26}|[A-Z0-9]{39}", identifier):
        return None
    custom = _resource_identifier_problem(identifier)
    if custom is not None:
        return (
            f"the id {identifier!r} is neither generated (26 or 39 upper-case letters and "
            f"digits) nor a valid ResourceIdentifier: {custom}"
        )
    return None


class _DmsArn(_TextRule):
    error_type = "cdcpos_arn"

    def __init__(self, field: str, resource: str) -> None:
        super().__init__(field)
        self.resource = resource

    def problem(self, text: str) -> str | None:
        return _arn_problem(text, self.resource)


# -- identifiers [doc: botocore DMS service model, CreateReplicationTaskMessage]


def _identifier_problem(text: str, limit: int) -> str | None:
    if not 1 <= len(text) <= limit:
        return f"{len(text)} characters; it must have 1 to {limit}"
    bad = next((c for c in text if not (c.isascii() and (c.isalnum() or c == "-"))), None)
    if bad is not None:
        return f"{bad!r} is not allowed (only ASCII letters, digits and '-')"
    if not text[0].isalpha():
        return "it must start with a letter"
    if text.endswith("-"):
        return "it must not end with a hyphen"
    if "--" in text:
        return "it must not contain two consecutive hyphens"
    return None


def _resource_identifier_problem(text: str) -> str | None:
    return _identifier_problem(text, 31)


class _Identifier(_TextRule):
    error_type = "cdcpos_identifier"

    def __init__(self, field: str, limit: int) -> None:
        super().__init__(field)
        self.limit = limit

    def problem(self, text: str) -> str | None:
        return _identifier_problem(text, self.limit)


# -- JSON documents


def _not_json_constant(name: str) -> Any:
    raise ValueError(f"{name} is not JSON (RFC 8259 has no NaN or Infinity)")


def _load_json(text: str) -> Any:
    """Decode a JSON document, raising ``ValueError`` (never ``RecursionError``) for any
    text that is not one: ``NaN``/``Infinity`` (Python's extension) and nesting too deep
    for the decoder are errors too.

    >>> _load_json('{"rules": []}')
    {'rules': []}
    >>> _load_json("[" * 100000)
    Traceback (most recent call last):
    ...
    ValueError: nested too deeply to decode
    """
    try:
        return json.loads(text, parse_constant=_not_json_constant)
    except RecursionError:
        # The decoder recurses once per level: a hostile document must not crash the caller.
        raise ValueError("nested too deeply to decode") from None


class _JsonObject(_TextRule):
    """A field holding a JSON object as text (``TableMappings``, ``ReplicationTaskSettings``).

    Any text that is not a JSON object is a ``cdcpos_json`` error, nesting too deep for the
    decoder included (never a ``RecursionError``).
    """

    error_type = "cdcpos_json"

    def __init__(self, field: str, allow_empty: bool = False) -> None:
        super().__init__(field)
        self.allow_empty = allow_empty

    def problem(self, text: str) -> str | None:
        if self.allow_empty and text == "":
            return None
        if text.startswith("file://"):
            return (
                "file:// is read by the AWS CLI, not by the API; with boto3 pass the "
                "file's contents"
            )
        try:
            document = _load_json(text)
        except ValueError as error:
            return f"not JSON ({error})"
        if not isinstance(document, dict):
            return f"expected a JSON object, not {type(document).__name__}"
        return None


# -- tags [doc: botocore DMS service model, Tag]


#: Characters a tag allows besides letters, numbers and separators [doc: botocore DMS service
#: model, Tag: the Java expression ``^([\p{L}\p{Z}\p{N}_.:/=+\-]*)$``].
_TAG_PUNCTUATION = frozenset("_.:/=+-")


def _tag_character_allowed(char: str) -> bool:
    """Whether a tag key or value may hold ``char``: a letter (Unicode category L*), a
    separator (Z*: spaces, U+2028, U+2029; not tab or newline, which are controls), a number
    (N*), or one of ``_ . : / = + -``.

    >>> [_tag_character_allowed(c) for c in "é٣\\u00a0_\\t@"]
    [True, True, True, True, False, False]
    """
    return char in _TAG_PUNCTUATION or unicodedata.category(char)[0] in "LZN"


class _TagText(_TextRule):
    error_type = "cdcpos_tag"

    def __init__(self, field: str, limit: int) -> None:
        super().__init__(field)
        self.limit = limit

    def problem(self, text: str) -> str | None:
        if not 1 <= len(text) <= self.limit:
            return f"{len(text)} characters; it must have 1 to {self.limit}"
        if text.lower().startswith(("aws:", "dms:")):
            return "it must not start with 'aws:' or 'dms:'"
        for column, char in enumerate(text, 1):
            if not _tag_character_allowed(char):
                return (
                    f"{char!r} (U+{ord(char):04X}, {unicodedata.category(char)}) at column "
                    f"{column} is not allowed: only letters, numbers, spaces and _ . : / = + -"
                )
        return None


_TaskArn = Annotated[str, _DmsArn("ReplicationTaskArn", "task")]
