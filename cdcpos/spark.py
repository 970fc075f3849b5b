"""Spark: ``cdcpos.spark.with_parsed`` adds the parsed struct column to a DataFrame.

``pip install 'cdcpos[spark]'`` (PySpark 4.1 or later).  The column is computed by the
columnar engine of ``cdcpos.arrow`` on the Arrow batches Spark hands to Python (an Arrow
UDF, ``pyspark.sql.functions.arrow_udf``, which needs no pandas): no Python call per
valid row, the exact path (``cdcpos.parse_many``) for the others, so every row equals
what ``cdcpos.arrow.parse`` gives for the same strings.

The struct has the children of ``cdcpos.arrow.parse`` (see its schema table), in the
types Spark has: kinds as ``string``; the 64-bit unsigned numbers (``lsn``, ``scn``,
``binlog_sequence``, ``binlog_offset``, ``checkpoint_version``) as ``decimal(20,0)``
(Spark's ``long`` is signed); ``time`` as ``timestamp_ntz``; ``checkpoint_counters`` as
``array<bigint>``; ``sort_key`` as ``binary`` (Spark orders binary bytewise, so
``max`` and ``orderBy`` on it agree with ``cdcpos.sort_key``).

The latest checkpoint of each task::

    from pyspark.sql import functions as F
    import cdcpos.spark

    parsed = cdcpos.spark.with_parsed(history, "checkpoint", kind="checkpoint")
    latest = (
        parsed.where("cdcpos.valid")
        .groupBy("task_name")
        .agg(F.max_by("checkpoint", "cdcpos.sort_key").alias("latest"))
    )
"""

from __future__ import annotations

from cdcpos._extras import require

require("spark", "pyspark", "pyarrow", "numpy")

import pyarrow as pa  # noqa: E402
from pyspark.sql import DataFrame  # noqa: E402
from pyspark.sql import types as T  # noqa: E402

from cdcpos import _columnar  # noqa: E402

__all__ = ["SPARK_TYPE", "with_parsed"]

_U64 = T.DecimalType(20, 0)


def _spark_type(kind: pa.DataType) -> T.DataType:
    if kind == _columnar.KIND_TYPE or pa.types.is_string(kind):
        return T.StringType()
    if pa.types.is_boolean(kind):
        return T.BooleanType()
    if pa.types.is_binary(kind):
        return T.BinaryType()
    if pa.types.is_uint64(kind):
        return _U64
    if pa.types.is_timestamp(kind):
        return T.TimestampNTZType()
    if pa.types.is_fixed_size_list(kind):
        return T.ArrayType(T.LongType(), containsNull=False)
    raise AssertionError(f"no Spark type for {kind}")  # pragma: no cover - schema is fixed


#: The Spark type of the struct column ``with_parsed`` adds.
SPARK_TYPE = T.StructType(
    [
        T.StructField(f.name, _spark_type(f.type), nullable=f.name != "valid")
        for f in _columnar.FIELDS
    ]
)


def _arrow_type(kind: pa.DataType) -> pa.DataType:
    """The Arrow type Spark expects for each child."""
    if kind == _columnar.KIND_TYPE:
        return pa.string()
    if pa.types.is_uint64(kind):
        return pa.decimal128(20, 0)
    if pa.types.is_timestamp(kind):
        return pa.timestamp("us")
    if pa.types.is_fixed_size_list(kind):
        return pa.list_(pa.field("element", pa.int64(), nullable=False))
    return kind


_ARROW_FIELDS = [
    pa.field(f.name, _arrow_type(f.type), nullable=f.name != "valid") for f in _columnar.FIELDS
]


def for_spark(column: pa.StructArray) -> pa.StructArray:
    """``cdcpos.arrow.parse``'s struct in the Arrow types of :data:`SPARK_TYPE`."""
    children = [
        column.field(f.name).cast(target.type)
        for f, target in zip(_columnar.FIELDS, _ARROW_FIELDS, strict=True)
    ]
    return pa.StructArray.from_arrays(children, fields=_ARROW_FIELDS, mask=column.is_null())


def with_parsed(
    df: DataFrame,
    column: str,
    *,
    into: str = "cdcpos",
    kind: str | None = None,
    engine: str | None = None,
) -> DataFrame:
    """``df`` with a struct column ``into``: ``column`` (strings) parsed, row by row.

    ``kind`` and ``engine`` as for ``cdcpos.parse_many``.  ``ValueError`` for an unknown
    column or kind, ``TypeError`` when ``column`` is not a string column.
    """
    _columnar.entry_of(kind)
    if engine is not None and not isinstance(engine, str):
        raise TypeError(f"engine must be a str, not {type(engine).__name__}")
    if column not in df.columns:
        raise ValueError(f"no column {column!r}; the columns are {df.columns}")
    if into in df.columns:
        raise ValueError(f"column {into!r} exists already; name the result with into=")
    source = df.schema[column].dataType
    if not isinstance(source, (T.StringType, T.NullType)):
        raise TypeError(f"column {column!r} must hold strings, not {source.simpleString()}")
    from pyspark.sql.functions import arrow_udf  # type: ignore[attr-defined]  # 4.1+

    def parse(texts: pa.Array) -> pa.Array:
        return for_spark(_columnar.parse_column(texts, kind=kind, engine=engine))

    udf = arrow_udf(parse, SPARK_TYPE)  # a scalar Arrow UDF, from the type hints
    return df.withColumn(into, udf(df[column]))
