"""Properties of every kind of value, on inputs drawn from cdcpos.strategies.

Bounded runs (``slow``-marked; CI runs them): round trips through text and pickle, order
against the numeric value, ``==``/``hash``/``<`` agreeing, the fast path against lark on
generated and mutated strings, and the strategies themselves (what they promise users).
"""

from __future__ import annotations

import json
import pickle
from datetime import UTC, datetime, timedelta
from importlib.metadata import entry_points
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cdcpos
from cdcpos import Position, strategies
from cdcpos._parse import normalize_lenient

from . import test_oracles as oracles
from .shared_strategies import shared
from .test_fastpath import assert_agree, fast

pytestmark = pytest.mark.slow

# Bounded budgets: the whole slow suite of this file runs in well under a minute.
EXAMPLES = 30


def bounded(examples: int = EXAMPLES) -> Any:
    return settings(
        max_examples=examples,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# Each top-level kind, and the public function that reads it.
ENTRY_OF_KIND = {
    "date": cdcpos.parse_start_position,
    "checkpoint": cdcpos.parse_start_position,
    "mysql_binlog": cdcpos.parse_start_position,
    "postgres_lsn": cdcpos.parse_start_position,
    "sqlserver_lsn": cdcpos.parse_start_position,
    "oracle_scn": cdcpos.parse_start_position,
    "server_time": cdcpos.parse_stop_position,
    "commit_time": cdcpos.parse_stop_position,
    "db2_timestamp": cdcpos.parse_db2_start_from_context,
    "db2_now": cdcpos.parse_db2_start_from_context,
    "db2_lri": cdcpos.parse_db2_start_from_context,
}
CHECKPOINT_ONLY = ("mysql_stream", "oracle_stream", "opaque")
PARSE_ANY = {k for k, f in ENTRY_OF_KIND.items() if f is not cdcpos.parse_db2_start_from_context}


def test_kinds_cover_every_value_class() -> None:
    assert set(strategies.KINDS) == set(ENTRY_OF_KIND) | set(CHECKPOINT_ONLY)


# ---------------------------------------------------------------- one kind at a time


def assert_consistent(a: Position, b: Position) -> None:
    """``==``, ``hash``, the four orderings and ``sort_key`` tell one story."""
    equal = a == b
    assert (a != b) == (not equal) and (b == a) == equal
    if equal:
        assert hash(a) == hash(b)
        assert cdcpos.sort_key(a) == cdcpos.sort_key(b)
    try:
        less, greater = a < b, a > b
    except TypeError:
        # Different domains (engines, clocks, stems), opaque, or Db2 NOW: never ordered.
        with pytest.raises(TypeError):
            _ = b < a
        assert (
            not equal
            or a.kind == "db2_now"
            or "opaque"
            in (
                a.kind,
                getattr(a, "engine_kind", None),
            )
        )
        return
    assert [less, equal, greater].count(True) == 1, (a, b)
    assert (a <= b) == (less or equal) and (a >= b) == (greater or equal)
    assert (b > a) == less and (b < a) == greater
    assert (cdcpos.sort_key(a) < cdcpos.sort_key(b)) == less


@pytest.mark.parametrize("kind", strategies.KINDS)
@bounded()
@given(data=st.data())
def test_value_properties(kind: str, data: st.DataObject) -> None:
    """Any spelling reads to a value whose canonical text, class, pickle, ``==``, ``hash``
    and ``<`` are all consistent."""
    text = data.draw(shared("strings", kind), label="text")
    cls = type(data.draw(shared("values", kind)))
    top_level = kind in ENTRY_OF_KIND
    value = ENTRY_OF_KIND[kind](text) if top_level else cls(text)
    assert type(value) is cls and value.kind == kind
    canonical = str(value)
    # parse(str(v)) == v, and the canonical text round-trips byte for byte.
    again = ENTRY_OF_KIND[kind](canonical) if top_level else cls(canonical)
    assert again == value and type(again) is cls and str(again) == canonical
    if kind in PARSE_ANY:
        assert cdcpos.parse(canonical) == value
    if kind in ("checkpoint", "opaque"):
        assert canonical == text  # kept exactly as written
    assert cls(canonical) == value
    assert repr(value) == f"{cls.__name__}({canonical!r})"
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        loaded = pickle.loads(pickle.dumps(value, protocol=protocol))
        assert type(loaded) is cls and loaded == value and str(loaded) == canonical
        assert hash(loaded) == hash(value)
    other = data.draw(st.one_of(st.just(again), shared("values", kind)), label="other")
    assert_consistent(value, other)
    assert_consistent(other, value)


@pytest.mark.parametrize("shape", [None, *strategies.CHECKPOINT_POSITION_KINDS])
@bounded(20)
@given(data=st.data())
def test_checkpoints_round_trip_byte_for_byte(shape: str | None, data: st.DataObject) -> None:
    text = data.draw(shared("checkpoint_strings", position_kind=shape))
    checkpoint = cdcpos.parse_checkpoint(text)
    assert str(checkpoint) == text
    assert str(cdcpos.parse(text)) == text and str(cdcpos.Checkpoint(text)) == text
    if shape is not None:
        assert checkpoint.engine_kind == shape
        second = checkpoint.second_position
        assert second is None or second.kind == shape
    # The decoded fields rebuild to values of their own class.
    position = checkpoint.position
    assert type(position)(str(position)) == position
    assert len(checkpoint.counters) == 5


@pytest.mark.parametrize("engine", ["mysql", "aurora-postgresql", "sqlserver", "oracle"])
@bounded(10)
@given(data=st.data())
def test_checkpoints_per_engine_parse_with_that_engine(engine: str, data: st.DataObject) -> None:
    text = data.draw(shared("checkpoint_strings", engine=engine))
    assert str(cdcpos.parse_checkpoint(text, engine=engine)) == text


# ---------------------------------------------------------------- order and equality


def numeric_value(kind: str, text: str) -> Any:
    """The number a position stands for, computed here from its documented layout."""
    if kind == "postgres_lsn":
        high, low = text.split("/")
        return int(high, 16) << 32 | int(low, 16)
    if kind == "sqlserver_lsn":
        return int(text.replace(":", ""), 16)
    if kind == "oracle_scn":
        return int(text)
    if kind == "db2_lri":
        return int(text, 16)
    raise AssertionError(kind)


@pytest.mark.parametrize("kind", ["postgres_lsn", "sqlserver_lsn", "oracle_scn", "db2_lri"])
@bounded()
@given(data=st.data())
def test_order_agrees_with_the_numeric_value(kind: str, data: st.DataObject) -> None:
    texts = data.draw(st.lists(shared("strings", kind), min_size=2, max_size=6))
    values = [ENTRY_OF_KIND[kind](t) for t in texts]
    numbers = [numeric_value(kind, t) for t in texts]
    for value, number in zip(values, numbers, strict=True):
        assert int(value) == number
    for a, x in zip(values, numbers, strict=True):
        for b, y in zip(values, numbers, strict=True):
            assert (a < b) == (x < y) and (a == b) == (x == y) and (a >= b) == (x >= y)
    assert [int(v) for v in sorted(values)] == sorted(numbers)


@bounded()
@given(a=strategies.mysql_binlog_positions(), b=strategies.mysql_binlog_positions())
def test_binlog_order_is_sequence_then_offset_within_a_stem(
    a: cdcpos.MySqlBinlogPosition, b: cdcpos.MySqlBinlogPosition
) -> None:
    if a.stem == b.stem:
        assert (a < b) == ((a.sequence, a.offset, a.file) < (b.sequence, b.offset, b.file))
    else:
        with pytest.raises(TypeError, match="sort_key"):
            _ = a < b


@bounded(100)
@given(a=shared("positions"), b=shared("positions"))
def test_eq_hash_and_order_agree_across_kinds(a: Position, b: Position) -> None:
    assert_consistent(a, b)
    # sort_key is a total order on any mix: exactly one of <, ==, > between two keys, the
    # same answer whichever comes first, and == only for equal values.
    ka, kb = cdcpos.sort_key(a), cdcpos.sort_key(b)
    assert [ka < kb, ka == kb, ka > kb].count(True) == 1
    assert (ka == kb) == (a == b)
    forwards = [str(v) for v in sorted([a, b], key=cdcpos.sort_key)]
    assert forwards == [str(v) for v in sorted([b, a], key=cdcpos.sort_key)] or a == b


# ---------------------------------------------------------------- fast path against lark

ENTRIES = ("start_position", "stop_position", "checkpoint", "db2_start_from_context")
VALID = {
    "start_position": shared("start_position_strings"),
    "stop_position": shared("stop_position_strings"),
    "checkpoint": shared("checkpoint_strings"),
    "db2_start_from_context": strategies.db2_start_from_context_strings(),
}
INVALID = {
    "start_position": strategies.invalid_start_position_strings(),
    "stop_position": strategies.invalid_stop_position_strings(),
    "checkpoint": strategies.invalid_checkpoint_strings(),
    "db2_start_from_context": strategies.invalid_db2_start_from_context_strings(),
}


def assert_paths_agree(entry: str, text: str) -> Position | None:
    """The fast path and lark agree (the check of tests/test_fastpath.py); the value."""
    assert_agree(entry, text)
    return fast(entry, text)


@pytest.mark.parametrize("entry", ENTRIES)
@bounded()
@given(data=st.data())
def test_fast_path_and_lark_agree_on_generated_strings(entry: str, data: st.DataObject) -> None:
    text = data.draw(VALID[entry])
    assert assert_paths_agree(entry, text) is not None


# ---------------------------------------------------------------- rejections


PUBLIC = {
    "start_position": cdcpos.parse_start_position,
    "stop_position": cdcpos.parse_stop_position,
    "checkpoint": cdcpos.parse_checkpoint,
    "db2_start_from_context": cdcpos.parse_db2_start_from_context,
}


@pytest.mark.parametrize("entry", ENTRIES)
@bounded()
@given(data=st.data())
def test_near_misses_are_rejected_cleanly_by_both_paths(entry: str, data: st.DataObject) -> None:
    text = data.draw(INVALID[entry])
    assert assert_paths_agree(entry, text) is None
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        PUBLIC[entry](text)
    error = caught.value
    assert error.__cause__ is None and (error.__context__ is None or error.__suppress_context__)
    assert error.text == text
    if error.column is not None:
        assert 1 <= error.column <= len(text) + 1
        assert error.expected
    assert pickle.loads(pickle.dumps(error)).args == error.args


@pytest.mark.parametrize("kind", sorted(ENTRY_OF_KIND))
@bounded(15)
@given(data=st.data())
def test_near_misses_of_a_kind_are_rejected_by_its_class(kind: str, data: st.DataObject) -> None:
    text = data.draw(shared("invalid_strings", kind))
    cls = type(data.draw(shared("values", kind)))
    with pytest.raises(cdcpos.InvalidPosition):
        cls(text)


@pytest.mark.parametrize("entry", ["start_position", "stop_position", "checkpoint"])
@bounded()
@given(data=st.data())
def test_pasted_strings_need_lenient(entry: str, data: st.DataObject) -> None:
    text = data.draw(VALID[entry])
    pasted = data.draw(strategies.pasted(st.just(text)))
    assert normalize_lenient(pasted) == text
    assert PUBLIC[entry](pasted, lenient=True) == PUBLIC[entry](text)
    with pytest.raises(cdcpos.InvalidPosition):
        PUBLIC[entry](pasted)


# ---------------------------------------------------------------- CdcStartTime


@bounded(200)
@given(value=strategies.start_times())
def test_start_times_read_to_aware_utc(value: Any) -> None:
    read = cdcpos.parse_start_time(value)
    assert read.tzinfo is UTC
    assert datetime(1970, 1, 1, tzinfo=UTC) <= read
    seconds = cdcpos.to_epoch_seconds(read)
    if read.microsecond == 0:
        assert seconds == int(seconds) and cdcpos.parse_start_time(seconds) == read
    else:
        # A float holds about 16 digits: microseconds of far-off years do not survive.
        assert abs(cdcpos.parse_start_time(seconds) - read) < timedelta(milliseconds=1)
    if isinstance(value, datetime) and value.tzinfo is not None:
        assert read == value


@bounded(100)
@given(value=strategies.invalid_start_times())
def test_invalid_start_times_are_rejected(value: Any) -> None:
    with pytest.raises(cdcpos.InvalidPosition):
        cdcpos.parse_start_time(value)


# ---------------------------------------------------------------- StartReplicationTask


@pytest.fixture(scope="module")
def dms_operation() -> Any:
    import boto3

    client = boto3.client("dms", region_name="us-east-1")
    return client.meta.service_model.operation_model("StartReplicationTask")


@bounded(100)
@given(request=shared("start_replication_task_requests"))
def test_requests_fit_the_botocore_model(dms_operation: Any, request: dict[str, Any]) -> None:
    from botocore.serialize import create_serializer
    from botocore.validate import ParamValidator

    report = ParamValidator().validate(request, dms_operation.input_shape)
    assert not report.has_errors(), report.generate_report()
    shape = dms_operation.input_shape.members["StartReplicationTaskType"]
    assert request["StartReplicationTaskType"] in shape.enum
    assert not {"CdcStartPosition", "CdcStartTime"} <= set(request)
    if "CdcStartPosition" in request:
        cdcpos.parse_start_position(request["CdcStartPosition"])
    if "CdcStopPosition" in request:
        cdcpos.parse_stop_position(request["CdcStopPosition"])
    # What goes on the wire: the start time as epoch seconds, positions as given.
    body = json.loads(
        create_serializer("json").serialize_to_request(request, dms_operation)["body"]
    )
    if "CdcStartTime" in request:
        expected = cdcpos.to_epoch_seconds(cdcpos.parse_start_time(request["CdcStartTime"]))
        assert body["CdcStartTime"] == expected
    assert body.get("CdcStartPosition") == request.get("CdcStartPosition")


@bounded(100)
@given(request=shared("start_replication_task_requests"))
def test_requests_validate_as_the_cdcpos_aws_model(request: dict[str, Any]) -> None:
    """The strategy and cdcpos.aws (written separately) agree on what a request is."""
    from cdcpos.aws import StartReplicationTaskRequest

    model = StartReplicationTaskRequest.model_validate(request)
    kwargs = model.to_boto3()
    assert kwargs["ReplicationTaskArn"] == request["ReplicationTaskArn"]
    for field in ("CdcStartPosition", "CdcStopPosition"):
        if field in request:
            assert cdcpos.parse(kwargs[field]) == cdcpos.parse(request[field])
    if "CdcStartTime" in request:
        assert kwargs["CdcStartTime"] == cdcpos.parse_start_time(request["CdcStartTime"])


@pytest.mark.parametrize("engine", ["postgres", "docdb", "mongodb", "mysql", "oracle", "sqlserver"])
@bounded(30)
@given(data=st.data())
def test_requests_for_an_engine_carry_its_positions(engine: str, data: st.DataObject) -> None:
    from cdcpos.aws import StartReplicationTaskRequest

    request = data.draw(shared("start_replication_task_requests", engine=engine))
    StartReplicationTaskRequest.model_validate(request, context={"source_engine": engine})
    if "CdcStartPosition" in request:
        value = cdcpos.parse_start_position(request["CdcStartPosition"], engine=engine)
        assert engine not in ("postgres", "docdb") or value.kind != "date"
    if engine in ("postgres", "docdb"):
        assert "CdcStartTime" not in request


# ---------------------------------------------------------------- the oracles, big budgets
# tests/test_oracles.py runs these with small budgets in the fast suite.


@pytest.mark.parametrize("kind", sorted(oracles.FIELD_SHAPES))
@bounded(150)
@given(data=st.data())
def test_checkpoint_order_agrees_with_the_oracle(kind: str, data: st.DataObject) -> None:
    texts = data.draw(oracles.related(oracles.checkpoints(kind), oracles.respell_checkpoint))
    values = [cdcpos.parse_checkpoint(t) for t in texts]
    for a, x in zip(values, texts, strict=True):
        assert str(a) == x
        for b, y in zip(values, texts, strict=True):
            oracles.assert_agrees(a, b, oracles.cmp_checkpoint(x, y))


@pytest.mark.parametrize("kind", sorted(oracles.KIND_READERS))
@bounded(150)
@given(data=st.data())
def test_position_order_agrees_with_the_oracle(kind: str, data: st.DataObject) -> None:
    strategy, read, cls = oracles.KIND_READERS[kind]
    texts = data.draw(st.lists(strategy, min_size=2, max_size=8))
    values = [cls(t) for t in texts]
    for a, x in zip(values, texts, strict=True):
        for b, y in zip(values, texts, strict=True):
            oracles.assert_agrees(a, b, oracles.cmp_position(kind, read(x), read(y)))


@bounded(300)
@given(checkpoint=oracles.checkpoints())
def test_checkpoints_decode_to_the_oracle(checkpoint: str) -> None:
    oracles.test_checkpoints_round_trip_byte_for_byte_and_decode_to_the_oracle.hypothesis.inner_test(
        checkpoint
    )


@bounded(100)
@given(arn=strategies.task_arns())
def test_task_arns_have_the_documented_shape(arn: str) -> None:
    prefix, partition, service, region, account, resource, task_id = arn.split(":")
    assert (prefix, service, resource) == ("arn", "dms", "task")
    assert partition.startswith("aws") and account.isdigit() and len(account) == 12
    assert region.count("-") == 2
    generated = task_id.isalnum() and task_id.isupper() and len(task_id) in (26, 39)
    custom = (
        len(task_id) <= 31
        and task_id[0].isalpha()
        and not task_id.endswith("-")
        and "--" not in task_id
        and task_id.replace("-", "").isalnum()
        and task_id.isascii()
    )
    assert generated or custom


# ---------------------------------------------------------------- st.from_type


def test_the_hypothesis_entry_point_is_installed() -> None:
    hooks = [e.value for e in entry_points(group="hypothesis")]
    assert "cdcpos._hypothesis_plugin:_register" in hooks


VALUE_CLASSES = [
    getattr(cdcpos, name)
    for name in cdcpos.__all__
    if isinstance(getattr(cdcpos, name), type) and issubclass(getattr(cdcpos, name), Position)
]


@pytest.mark.parametrize("cls", VALUE_CLASSES, ids=lambda c: c.__name__)
@bounded(20)
@given(data=st.data())
def test_from_type_draws_instances(cls: type[Position], data: st.DataObject) -> None:
    value = data.draw(st.from_type(cls))
    assert isinstance(value, cls)
    assert type(value)(str(value)) == value
