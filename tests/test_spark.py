"""cdcpos.spark.with_parsed in a real local Spark session (local[2], one for the module).

On the same strings, every row Spark gives equals ``cdcpos.arrow.parse`` (converted to the
Spark types the module documents); the latest checkpoint per task by ``max_by`` on the
sort key equals Python's.

Every test that starts the session is ``slow``: a JVM and its Python workers take 15-20 s
before the first row, more than the rest of the fast suite's budget (tests/README.md).
CI runs them (the README's test command runs both suites); ``python -m pytest -m slow
tests/test_spark.py`` runs them alone.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from decimal import Decimal
from typing import Any

import pyarrow as pa
import pytest
from pyspark.sql import SparkSession

import cdcpos
import cdcpos.arrow
import cdcpos.spark
from benchmarks.corpus import corpus

from .test_arrow import REAL


@pytest.fixture(scope="module")
def spark() -> Iterator[Any]:
    # The workers run this interpreter, with this checkout first on the path.
    os.environ["PYSPARK_PYTHON"] = sys.executable
    session = (
        SparkSession.builder.master("local[2]")
        .appName("cdcpos-tests")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "2")
        .config("spark.sql.session.timeZone", "UTC")
        .getOrCreate()
    )
    yield session
    session.stop()


def spark_rows(texts: list[str | None], **options: Any) -> list[Any]:
    """What Spark must give: cdcpos.arrow.parse in Spark's types, as Python values."""
    column = cdcpos.spark.for_spark(cdcpos.arrow.parse(texts, **options))
    rows = column.to_pylist()
    for row in rows:
        if row is not None:
            for name, value in row.items():
                if isinstance(value, Decimal):
                    row[name] = int(value)
    return rows


def plain(row: Any) -> Any:
    if row is None:
        return None
    out = row.asDict(recursive=True)
    for name, value in out.items():
        if isinstance(value, Decimal):
            out[name] = int(value)
        elif isinstance(value, bytearray):
            out[name] = bytes(value)
    return out


@pytest.mark.slow
def test_rows_equal_arrow_parse(spark: Any) -> None:
    texts = [*REAL, None, *corpus(150), "x" * 5000, "checkpoint:V1#1#*#0#0#*#0#0"]
    df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "id long, position string")
    parsed = cdcpos.spark.with_parsed(df.repartition(2), "position")
    assert parsed.schema["cdcpos"].dataType == cdcpos.spark.SPARK_TYPE
    got = {row["id"]: plain(row["cdcpos"]) for row in parsed.collect()}
    assert [got[i] for i in range(len(texts))] == spark_rows(texts)
    # Options reach the workers.
    checkpoints = cdcpos.spark.with_parsed(
        df, "position", into="p", kind="checkpoint", engine="postgres"
    )
    got = {row["id"]: plain(row["p"]) for row in checkpoints.collect()}
    assert [got[i] for i in range(len(texts))] == spark_rows(
        texts, kind="checkpoint", engine="postgres"
    )


@pytest.mark.slow
def test_latest_checkpoint_per_task(spark: Any) -> None:
    from pyspark.sql import functions as F

    texts = [t for t in corpus(300) if t.startswith("checkpoint:")]
    rows = [(f"task-{i % 3}", t) for i, t in enumerate(texts)] + [("task-0", "garbage")]
    df = spark.createDataFrame(rows, "task string, checkpoint string")
    latest = dict(
        cdcpos.spark.with_parsed(df, "checkpoint", kind="checkpoint")
        .where("cdcpos.valid")
        .groupBy("task")
        .agg(F.max_by("checkpoint", "cdcpos.sort_key").alias("latest"))
        .collect()
    )
    expected: dict[str, Any] = {}
    for task, text in rows[:-1]:
        value = cdcpos.parse(text)
        if task not in expected or cdcpos.sort_key(value) > cdcpos.sort_key(expected[task]):
            expected[task] = value
    assert latest == {task: str(value) for task, value in expected.items()}


@pytest.mark.slow
def test_bad_arguments(spark: Any) -> None:
    df = spark.createDataFrame([(1, "0/1")], "id long, position string")
    with pytest.raises(ValueError, match="no column"):
        cdcpos.spark.with_parsed(df, "nope")
    with pytest.raises(TypeError, match="strings"):
        cdcpos.spark.with_parsed(df, "id")
    with pytest.raises(ValueError, match="unknown kind"):
        cdcpos.spark.with_parsed(df, "position", kind="nope")
    with pytest.raises(ValueError, match="exists"):
        cdcpos.spark.with_parsed(df, "position", into="id")


@pytest.mark.slow
def test_larger_data_in_many_batches(spark: Any) -> None:
    texts = corpus(20_000)
    spark.conf.set("spark.sql.execution.arrow.maxRecordsPerBatch", "1000")  # many batches
    df = spark.createDataFrame([(i, t) for i, t in enumerate(texts)], "id long, position string")
    got = {
        row["id"]: plain(row["cdcpos"])
        for row in cdcpos.spark.with_parsed(df.repartition(4), "position").collect()
    }
    assert [got[i] for i in range(len(texts))] == spark_rows(texts)


def test_spark_type_matches_the_arrow_schema() -> None:
    names = [f.name for f in cdcpos.spark.SPARK_TYPE.fields]
    assert names == [f.name for f in cdcpos.arrow.SCHEMA]
    assert cdcpos.spark.for_spark(cdcpos.arrow.parse(["0/1"])).type.num_fields == len(names)
    assert pa.types.is_decimal(
        cdcpos.spark.for_spark(cdcpos.arrow.parse(["0/1"])).type.field("lsn").type
    )
