"""The struct column every batch becomes: its children, their types, the kind dictionary."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

#: Every kind a row or a checkpoint's position can have: one dictionary for all kind children.
KIND_NAMES = (
    "date",
    "checkpoint",
    "mysql_binlog",
    "postgres_lsn",
    "sqlserver_lsn",
    "oracle_scn",
    "server_time",
    "commit_time",
    "db2_timestamp",
    "db2_now",
    "db2_lri",
    "mysql_stream",
    "oracle_stream",
    "opaque",
)
_KIND_CODE = {name: code for code, name in enumerate(KIND_NAMES)}
_KIND_DICTIONARY = pa.array(KIND_NAMES, pa.string())
KIND_TYPE = pa.dictionary(pa.int8(), pa.string())
COUNTERS = 5

FIELDS = (
    pa.field("valid", pa.bool_(), nullable=False),
    pa.field("kind", KIND_TYPE),
    pa.field("position_kind", KIND_TYPE),
    pa.field("canonical", pa.string()),
    pa.field("sort_key", pa.binary()),
    pa.field("error", pa.string()),
    pa.field("lsn", pa.uint64()),
    pa.field("scn", pa.uint64()),
    pa.field("binlog_file", pa.string()),
    pa.field("binlog_sequence", pa.uint64()),
    pa.field("binlog_offset", pa.uint64()),
    pa.field("time", pa.timestamp("s")),
    pa.field("checkpoint_version", pa.uint64()),
    pa.field("checkpoint_counters", pa.list_(pa.int64(), COUNTERS)),
    pa.field("second_position_kind", KIND_TYPE),
)
TYPES = {f.name: f.type for f in FIELDS}
STRUCT_TYPE = pa.struct(FIELDS)
#: The children that hold text (their size follows the input's, not the row count).
TEXT_CHILDREN = ("canonical", "sort_key", "error", "binlog_file")


def _kind_array(codes: np.ndarray) -> pa.Array:
    indices = pa.array(codes, pa.int8(), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, _KIND_DICTIONARY)


def kind_column(codes: np.ndarray) -> pa.Array:
    """The ``kind`` child of these codes."""
    return _kind_array(codes)
