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

from cdcpos._pydantic._errors import ERROR_TYPES, custom_error, without_lenient_advice
from cdcpos._pydantic._fields import (
    PositionField,
    StartTimeField,
    TimestampField,
    check_context,
    first_run,
    migration_type,
    source_engine,
)
from cdcpos._pydantic._patterns import entry_pattern, position_pattern
from cdcpos._pydantic._values import position_core_schema, position_json_schema

__all__ = [
    "ERROR_TYPES",
    "PositionField",
    "StartTimeField",
    "TimestampField",
    "check_context",
    "custom_error",
    "entry_pattern",
    "first_run",
    "migration_type",
    "position_core_schema",
    "position_json_schema",
    "position_pattern",
    "source_engine",
    "without_lenient_advice",
]
