"""pydantic fields: every value class and the request-field aliases, their errors and schemas."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

import cdcpos
from cdcpos import Position, strategies
from cdcpos._pydantic import ERROR_TYPES, position_pattern, without_lenient_advice
from cdcpos.aws import CdcStartPosition, CdcStartTime, CdcStopPosition, RecoveryCheckpoint

from .examples import DB2_EXAMPLES, SPEC_EXAMPLES

CLASSES: dict[str, type[Position]] = {
    cls.kind: cls
    for cls in (
        cdcpos.DatePosition,
        cdcpos.Checkpoint,
        cdcpos.MySqlBinlogPosition,
        cdcpos.MySqlStreamPosition,
        cdcpos.PostgresLsn,
        cdcpos.SqlServerLsn,
        cdcpos.OracleScn,
        cdcpos.OracleStreamPosition,
        cdcpos.OpaquePosition,
        cdcpos.ServerTime,
        cdcpos.CommitTime,
        cdcpos.Db2Lri,
        cdcpos.Db2Timestamp,
        cdcpos.Db2Now,
    )
}
# Spellings that occur only inside checkpoints, which their classes read too.
CHECKPOINT_ONLY_EXAMPLES = [
    (
        "mysql-bin-changelog.157832:1975:-1:2002:677883278264080:mysql-bin-changelog.157832:1876",
        "mysql_stream",
    ),
    ("00000007.c99042d0.00000001.000c.01.0000:401032.58563.16", "oracle_stream"),
    ("some-engine@42", "opaque"),
    ("$.583860:1357", "mysql_binlog"),
]
ALL_EXAMPLES = SPEC_EXAMPLES + DB2_EXAMPLES + CHECKPOINT_ONLY_EXAMPLES


def errors_of(adapter: TypeAdapter[Any], value: object, **kwargs: Any) -> list[dict[str, Any]]:
    with pytest.raises(ValidationError) as caught:
        adapter.validate_python(value, **kwargs)
    return caught.value.errors()


def parser_message(read: Any, text: object, **kwargs: Any) -> str:
    """The message the library itself gives for ``text``, as a pydantic field gives it: the
    fields have no lenient mode, so the hint's offer of one is left out."""
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        read(text, **kwargs)
    error = caught.value
    return str(
        cdcpos.InvalidPosition(
            error.reason,
            field=error.field,
            text=error.text,
            column=error.column,
            expected=error.expected,
            hint=without_lenient_advice(error.hint),
        )
    )


def body(pattern: str) -> re.Pattern[str]:
    """The JSON Schema pattern without its anchors, to fullmatch with Python."""
    assert pattern.startswith("^") and pattern.endswith("$")
    return re.compile(pattern[1:-1])


# ---------------------------------------------------------------- pydantic stays optional


def test_import_cdcpos_imports_no_pydantic() -> None:
    code = (
        "import sys, cdcpos; cdcpos.parse('0/1');"
        "bad = [m for m in ('pydantic', 'pydantic_core', 'boto3', 'botocore') if m in sys.modules];"
        "assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_import_cdcpos_aws_imports_pydantic_but_not_boto3() -> None:
    code = (
        "import sys, cdcpos.aws; assert 'pydantic' in sys.modules;"
        "bad = [m for m in ('boto3', 'botocore') if m in sys.modules]; assert not bad, bad"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


# ---------------------------------------------------------------- every value class


@pytest.mark.parametrize(("text", "kind"), ALL_EXAMPLES)
def test_class_field_reads_text_and_instances(text: str, kind: str) -> None:
    cls = CLASSES[kind]
    adapter = TypeAdapter(cls)
    value = adapter.validate_python(text)
    assert type(value) is cls
    assert value == cls(text)
    instance = cls(text)
    assert adapter.validate_python(instance) is instance
    assert adapter.validate_json(json.dumps(text)) == value


@pytest.mark.parametrize(("text", "kind"), ALL_EXAMPLES)
def test_class_field_serializes_to_canonical_text_in_json(text: str, kind: str) -> None:
    cls = CLASSES[kind]

    class Model(BaseModel):
        value: cls  # type: ignore[valid-type]

    model = Model(value=text)
    assert model.model_dump_json() == json.dumps({"value": str(cls(text))}, separators=(",", ":"))
    assert model.model_dump() == {"value": cls(text)}  # Python mode keeps the value
    assert Model.model_validate_json(model.model_dump_json()) == model


def test_checkpoint_field_keeps_its_text_byte_for_byte() -> None:
    text = "checkpoint:V1#1#000004af/b00000d0#0#0#*#0#0"  # lower case, as given

    class Model(BaseModel):
        checkpoint: cdcpos.Checkpoint

    assert json.loads(Model(checkpoint=text).model_dump_json())["checkpoint"] == text


@pytest.mark.parametrize(("text", "kind"), ALL_EXAMPLES)
def test_json_schema_pattern_matches_the_text_and_the_canonical_text(text: str, kind: str) -> None:
    cls = CLASSES[kind]
    schema = TypeAdapter(cls).json_schema()
    assert schema["type"] == "string"
    assert body(schema["pattern"]).fullmatch(text)
    assert body(schema["pattern"]).fullmatch(str(cls(text)))
    assert TypeAdapter(cls).json_schema(mode="serialization") == schema


@pytest.mark.parametrize("cls", [*CLASSES.values(), Position, cdcpos.StopPosition])
def test_json_schema_patterns_are_portable(cls: type[Position]) -> None:
    # ECMA-262 (JSON Schema's dialect) has no (?P<name>...) and rejects '\#' in unicode mode.
    pattern = position_pattern(cls)
    assert pattern is not None
    assert "(?P<" not in pattern and "\\#" not in pattern
    re.compile(pattern)


@pytest.mark.parametrize(
    ("cls", "text"),
    [
        (cdcpos.PostgresLsn, "4AF/B00000D0 "),
        (cdcpos.PostgresLsn, "123456789/0"),
        (cdcpos.OracleScn, "-1"),
        (cdcpos.OpaquePosition, "*"),  # the "no position" marker is not a position
        (cdcpos.OpaquePosition, "a#b"),
        (cdcpos.MySqlBinlogPosition, "mysql-bin:4"),
        (cdcpos.Checkpoint, "checkpoint:V1#1#0/1#0#0"),
        (cdcpos.ServerTime, "commit_time:2018-02-09T12:12:12"),
        (cdcpos.DatePosition, "2018-03-08 12:12:12"),
        (cdcpos.Db2Now, "now"),
    ],
)
def test_json_schema_pattern_rejects_malformed_text(cls: type[Position], text: str) -> None:
    pattern = position_pattern(cls)
    assert pattern is not None
    assert not body(pattern).fullmatch(text)
    with pytest.raises(cdcpos.InvalidPosition):
        cls(text)


def test_base_classes_read_any_position_and_any_clock() -> None:
    class Model(BaseModel):
        position: Position
        stop: cdcpos.StopPosition

    model = Model(position="6916533", stop="commit_time:2018-02-09T12:12:12")
    assert model.position == cdcpos.OracleScn("6916533")
    assert model.stop == cdcpos.CommitTime("commit_time:2018-02-09T12:12:12")
    assert Model.model_json_schema()["properties"]["position"]["pattern"].startswith("^(?:")


# ---------------------------------------------------------------- errors: one per value


@pytest.mark.parametrize(
    ("cls", "value", "error_type"),
    [
        # not text at all
        (cdcpos.PostgresLsn, 5, "cdcpos_type"),
        (cdcpos.OracleScn, 6916533, "cdcpos_type"),  # an int is not silently read
        (cdcpos.Checkpoint, b"checkpoint:V1#1#0/1#0#0#*#0#0", "cdcpos_type"),
        (cdcpos.PostgresLsn, cdcpos.OracleScn("5"), "cdcpos_type"),
        (cdcpos.DatePosition, datetime(2018, 3, 8), "cdcpos_type"),
        # not the field's format
        (cdcpos.PostgresLsn, "4AF/B00000DZ", "cdcpos_syntax"),
        (cdcpos.PostgresLsn, "", "cdcpos_syntax"),
        (cdcpos.DatePosition, "2018-03-08 12:12:12", "cdcpos_syntax"),
        (cdcpos.Checkpoint, "checkpoint:V1#1#0/1#0#0", "cdcpos_syntax"),
        (cdcpos.OpaquePosition, "a b", "cdcpos_syntax"),
        (cdcpos.ServerTime, "server_time: 2018-02-09T12:12:12", "cdcpos_syntax"),
        # the format, but no such value
        (cdcpos.DatePosition, "2018-02-30T00:00:00", "cdcpos_value"),
        (cdcpos.OracleScn, "18446744073709551616", "cdcpos_value"),
        (cdcpos.ServerTime, "server_time:2018-13-01T00:00:00", "cdcpos_value"),
        # a valid position of another kind
        (cdcpos.PostgresLsn, "6916533", "cdcpos_wrong_kind"),
        (cdcpos.ServerTime, "commit_time:2018-02-09T12:12:12", "cdcpos_wrong_kind"),
        (cdcpos.Checkpoint, "0/1", "cdcpos_wrong_kind"),
        (cdcpos.StopPosition, "2018-02-09T12:12:12", "cdcpos_wrong_kind"),
        (cdcpos.Db2Lri, "NOW", "cdcpos_wrong_kind"),
        # too long for any field
        (cdcpos.OracleScn, "1" * (cdcpos.MAX_LENGTH + 1), "cdcpos_too_long"),
    ],
)
def test_one_bad_value_is_one_error_of_its_family(
    cls: type[Position], value: object, error_type: str
) -> None:
    class Model(BaseModel):
        value: cls  # type: ignore[valid-type]

    with pytest.raises(ValidationError) as caught:
        Model(value=value)
    (error,) = caught.value.errors()
    assert error["type"] == error_type
    assert error["loc"] == ("value",)
    if error_type != "cdcpos_type":
        # The message is the library's own.
        assert error["msg"] == parser_message(_reader(cls), value)
        assert error["ctx"]["reason"]
    else:
        assert cls.__name__ in error["msg"] and type(value).__name__ in error["msg"]


def _reader(cls: type[Position]) -> Any:
    if cls is cdcpos.StopPosition:
        return cdcpos.parse_stop_position
    return cls


def test_error_context_carries_column_expected_and_hint() -> None:
    (error,) = errors_of(TypeAdapter(cdcpos.DatePosition), "2018-03-08 12:12:12")
    assert error["ctx"]["column"] == 11
    assert "'T' between date and time" in error["ctx"]["hint"]
    assert error["ctx"]["expected"]


def test_error_message_keeps_braces_of_the_input() -> None:
    # pydantic fills message templates key by key: user text must not be re-filled.
    (error,) = errors_of(TypeAdapter(cdcpos.PostgresLsn), "{hint}{reason}")
    assert "'{hint}{reason}'" in error["msg"]


TASK_ARN = "arn:aws:dms:us-east-1:123456789012:task:RALPZGYI3IUSJCBKKIRBEURKDY"


def _type_errors() -> dict[str, tuple[Any, ...]]:
    """For every documented error type, a validation that produces it (and only it)."""
    from cdcpos.aws import ModifyReplicationTaskRequest, StartReplicationTaskRequest, Tag

    def start(**fields: Any) -> dict[str, Any]:
        return {
            "ReplicationTaskArn": TASK_ARN,
            "StartReplicationTaskType": "start-replication",
        } | fields

    def modify(**fields: Any) -> dict[str, Any]:
        return {"ReplicationTaskArn": TASK_ARN} | fields

    start_model = TypeAdapter(StartReplicationTaskRequest)
    modify_model = TypeAdapter(ModifyReplicationTaskRequest)
    return {
        "cdcpos_type": (TypeAdapter(cdcpos.PostgresLsn), 1),
        "cdcpos_too_long": (TypeAdapter(cdcpos.OracleScn), "1" * (cdcpos.MAX_LENGTH + 1)),
        "cdcpos_syntax": (TypeAdapter(cdcpos.PostgresLsn), "x/"),
        "cdcpos_value": (TypeAdapter(cdcpos.OracleScn), "18446744073709551616"),
        "cdcpos_wrong_kind": (TypeAdapter(cdcpos.PostgresLsn), "6916533"),
        "cdcpos_engine": (START, "0/1", {"source_engine": "mysql"}),
        "cdcpos_epoch_milliseconds": (START_TIME, 1641556979000),
        "cdcpos_context": (START, "0/1", {"source_engine": "postgresql"}),
        "cdcpos_arn": (start_model, start(ReplicationTaskArn="arn:aws:dms:x")),
        "cdcpos_identifier": (modify_model, modify(ReplicationTaskIdentifier="1task")),
        "cdcpos_json": (modify_model, modify(TableMappings="[")),
        "cdcpos_tag": (TypeAdapter(Tag), {"Key": "aws:team"}),
        "cdcpos_start_conflict": (start_model, start(CdcStartPosition="0/1", CdcStartTime=1)),
        "cdcpos_first_run": (
            start_model,
            start(StartReplicationTaskType="resume-processing"),
            {"first_run": True},
        ),
        "cdcpos_migration_type": (
            start_model,
            start(StartReplicationTaskType="resume-processing", CdcStartTime=1520511132),
            {"migration_type": "cdc"},
        ),
        "cdcpos_duplicate_field": (
            start_model,
            start(start_replication_task_type="reload-target"),
        ),
    }


def test_every_error_type_is_produced_and_documented() -> None:
    producers = _type_errors()
    # Every documented type has a producer here, and nothing else is produced.
    assert set(producers) == set(ERROR_TYPES)
    for error_type, (adapter, value, *context) in producers.items():
        errors = errors_of(adapter, value, context=context[0] if context else None)
        assert [e["type"] for e in errors] == [error_type], (error_type, errors)
        assert len(ERROR_TYPES[error_type]) > 20  # a description, not a placeholder


def test_errors_never_offer_a_lenient_mode_the_fields_do_not_have() -> None:
    # Each of these is a mistake lenient parsing would undo; the core's hint offers it.
    cases = [
        (TypeAdapter(cdcpos.StopPosition), "commit_time: 3018-02-09T12:12:12 ", "remove the space"),
        (STOP, "commit_time: 3018-02-09T12:12:12", "remove the space"),
        (START, " 0/1", "remove the whitespace"),
        (START, "\u201c2018-03-08T12:12:12\u201d", "typographic quotes"),
        (TypeAdapter(cdcpos.PostgresLsn), "'0/1'", "quotes"),
        (CHECKPOINT, "checkpoint:V1#1#0/1#0#0#*#0#0\n", "whitespace"),
        (TypeAdapter(Position), "\t0/1", "whitespace"),
    ]
    for adapter, text, advice in cases:
        (error,) = errors_of(adapter, text)
        assert "lenient" not in error["msg"], error["msg"]
        assert "lenient" not in (error["ctx"]["hint"] or "")
        assert advice in error["msg"]  # what to remove is still said


@settings(max_examples=60, deadline=None)
@given(strategies.pasted(strategies.position_strings()))
def test_no_error_of_pasted_text_offers_a_lenient_mode(text: str) -> None:
    for adapter in (START, STOP, CHECKPOINT, ANY_POSITION):
        try:
            adapter.validate_python(text)
        except ValidationError as error:
            assert all("lenient" not in e["msg"] for e in error.errors())


def test_without_lenient_advice_keeps_the_rest_of_the_hint() -> None:
    assert without_lenient_advice(None) is None
    assert without_lenient_advice("pass the bare SCN") == "pass the bare SCN"
    assert (
        without_lenient_advice("remove it, or parse leniently (lenient=True; --lenient on the CLI)")
        == "remove it"
    )
    assert without_lenient_advice("parse leniently (lenient=True)") is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="0123456789abcdefABCDEF/:.#*-_$ TVcheckpoint", max_size=40))
def test_any_text_is_a_value_or_exactly_the_librarys_one_error(text: str) -> None:
    for cls in (cdcpos.PostgresLsn, cdcpos.Checkpoint, cdcpos.MySqlBinlogPosition):
        adapter = TypeAdapter(cls)
        try:
            expected = cls(text)
        except cdcpos.InvalidPosition:
            (found,) = errors_of(adapter, text)
            assert found["msg"] == parser_message(cls, text)
            assert found["type"] in ERROR_TYPES
            continue
        assert adapter.validate_python(text) == expected
        # The schema pattern never rejects a valid value.
        pattern = position_pattern(cls)
        assert pattern is not None and body(pattern).fullmatch(text)


@pytest.mark.parametrize(
    "cls",
    [
        cdcpos.PostgresLsn,
        cdcpos.SqlServerLsn,
        cdcpos.OracleScn,
        cdcpos.DatePosition,
        cdcpos.ServerTime,
        cdcpos.Db2Lri,
        cdcpos.OracleStreamPosition,
        cdcpos.MySqlStreamPosition,
    ],
)
def test_text_in_the_schema_pattern_is_never_a_syntax_error(cls: type[Position]) -> None:
    pattern = position_pattern(cls)
    assert pattern is not None
    adapter = TypeAdapter(cls)

    @settings(max_examples=60, deadline=None)
    @given(st.from_regex(body(pattern), fullmatch=True))
    def check(text: str) -> None:
        try:
            adapter.validate_python(text)
        except ValidationError as error:
            (found,) = error.errors()
            assert found["type"] in ("cdcpos_value", "cdcpos_too_long"), found

    check()


# ---------------------------------------------------------------- request-field aliases

START = TypeAdapter(CdcStartPosition)
STOP = TypeAdapter(CdcStopPosition)
CHECKPOINT = TypeAdapter(RecoveryCheckpoint)
START_TIME = TypeAdapter(CdcStartTime)
ANY_POSITION = TypeAdapter(Position)


@pytest.mark.parametrize(
    ("text", "kind"), [(t, k) for t, k in SPEC_EXAMPLES if k not in ("server_time", "commit_time")]
)
def test_cdc_start_position_takes_every_documented_start_form(text: str, kind: str) -> None:
    assert START.validate_python(text) == cdcpos.parse_start_position(text)
    assert START.validate_python(text).kind == kind
    assert (
        START.dump_json(START.validate_python(text))
        == json.dumps(str(cdcpos.parse_start_position(text))).encode()
    )


def test_cdc_start_position_takes_instances_that_are_start_positions() -> None:
    lsn = cdcpos.PostgresLsn("0/1")
    assert START.validate_python(lsn) is lsn
    (error,) = errors_of(START, cdcpos.OpaquePosition("abc"))  # only inside checkpoints
    assert error["type"] == "cdcpos_wrong_kind"
    (error,) = errors_of(START, cdcpos.ServerTime("server_time:2018-02-09T12:12:12"))
    assert error["type"] == "cdcpos_wrong_kind"


@pytest.mark.parametrize(
    ("adapter", "read", "value", "context", "error_type"),
    [
        (
            START,
            cdcpos.parse_start_position,
            "server_time:2018-02-09T12:12:12",
            None,
            "cdcpos_wrong_kind",
        ),
        (START, cdcpos.parse_start_position, "2018-03-08T12:12:12Z", None, "cdcpos_syntax"),
        (START, cdcpos.parse_start_position, "Oracle SCN:6916533", None, "cdcpos_syntax"),
        (START, cdcpos.parse_start_position, "2018-02-30T00:00:00", None, "cdcpos_value"),
        (STOP, cdcpos.parse_stop_position, "2018-02-09T12:12:12", None, "cdcpos_wrong_kind"),
        (
            STOP,
            cdcpos.parse_stop_position,
            "commit_time: 3018-02-09T12:12:12 ",
            None,
            "cdcpos_syntax",
        ),
        (CHECKPOINT, cdcpos.parse_checkpoint, "checkpoint:V1#1#0/1#0#0#*#0", None, "cdcpos_syntax"),
        (CHECKPOINT, cdcpos.parse_checkpoint, "0/1", None, "cdcpos_wrong_kind"),
    ],
)
def test_alias_errors_carry_the_librarys_message(
    adapter: TypeAdapter[Any], read: Any, value: str, context: Any, error_type: str
) -> None:
    (error,) = errors_of(adapter, value, context=context)
    assert error["type"] == error_type
    assert error["msg"] == parser_message(read, value)


@pytest.mark.parametrize(
    ("adapter", "value", "engine", "read_kwargs"),
    [
        (START, "0/5120E10", "mysql", {"engine": "mysql"}),
        (START, "2018-03-08T12:12:12", "postgres", {"engine": "postgres"}),
        (START, "2018-03-08T12:12:12", "docdb", {"engine": "docdb"}),
        (CHECKPOINT, "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0", "oracle", {"engine": "oracle"}),
    ],
)
def test_source_engine_in_the_context_is_checked(
    adapter: TypeAdapter[Any], value: str, engine: str, read_kwargs: dict[str, str]
) -> None:
    read = cdcpos.parse_checkpoint if adapter is CHECKPOINT else cdcpos.parse_start_position
    adapter.validate_python(value)  # fine without an engine
    (error,) = errors_of(adapter, value, context={"source_engine": engine})
    assert error["type"] == "cdcpos_engine"
    assert error["msg"] == parser_message(read, value, **read_kwargs)


def test_matching_engine_passes_and_opaque_checkpoints_fit_any_engine() -> None:
    context = {"source_engine": "aurora-postgresql"}
    assert START.validate_python("16/B374D848", context=context) == cdcpos.PostgresLsn(
        "16/B374D848"
    )
    opaque = "checkpoint:V1#1#some-engine@42#0#0#*#0#0"
    assert str(CHECKPOINT.validate_python(opaque, context={"source_engine": "db2"})) == opaque


@pytest.mark.parametrize(
    "context",
    [{"source_engine": "postgresql"}, {"source_engine": "kafka"}, {"source_engine": 5}],
)
def test_malformed_engine_in_the_context_is_a_context_error(context: dict[str, Any]) -> None:
    (error,) = errors_of(START, "0/1", context=context)
    assert error["type"] in ("cdcpos_context", "cdcpos_type")
    assert "source_engine" in error["msg"]


def test_a_context_that_is_not_a_mapping_is_left_alone() -> None:
    assert START.validate_python("0/1", context="someone else's") == cdcpos.PostgresLsn("0/1")


# ---------------------------------------------------------------- CdcStartTime

UTC = UTC


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1520511132, datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)),
        (1520511132.5, datetime(2018, 3, 8, 12, 12, 12, 500000, tzinfo=UTC)),
        (Decimal("1520511132"), datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)),
        ("1520511132", datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)),
        ("2018-03-08T12:12:12", datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)),
        ("2018-03-08T12:12:12Z", datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)),
        ("2018-03-08T13:12:12+01:00", datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)),
        ("2018-03-08", datetime(2018, 3, 8, tzinfo=UTC)),
        (datetime(2018, 3, 8, 12, 12, 12), datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)),
        (
            datetime(2018, 3, 8, 13, 12, 12, tzinfo=timezone(timedelta(hours=1))),
            datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC),
        ),
        (date(2018, 3, 8), datetime(2018, 3, 8, tzinfo=UTC)),
    ],
)
def test_cdc_start_time_reads_every_documented_input(value: object, expected: datetime) -> None:
    parsed = START_TIME.validate_python(value)
    assert parsed == expected and parsed.tzinfo is UTC
    assert parsed == cdcpos.parse_start_time(value)  # type: ignore[arg-type]


def test_cdc_start_time_from_json_and_back() -> None:
    assert START_TIME.validate_json("1520511132") == datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)
    value = START_TIME.validate_json('"2018-03-08T12:12:12Z"')
    assert START_TIME.dump_json(value) == b'"2018-03-08T12:12:12Z"'
    assert START_TIME.validate_json(START_TIME.dump_json(value)) == value


@pytest.mark.parametrize(
    ("value", "error_type"),
    [
        (1641556979000, "cdcpos_epoch_milliseconds"),
        (1641556979000.0, "cdcpos_epoch_milliseconds"),
        ("1641556979000", "cdcpos_epoch_milliseconds"),
        (Decimal("1641556979000"), "cdcpos_epoch_milliseconds"),
        (10**30, "cdcpos_value"),
        (float("nan"), "cdcpos_value"),
        ("yesterday", "cdcpos_syntax"),
        (" 2018-03-08", "cdcpos_syntax"),
        (True, "cdcpos_type"),
        (None, "cdcpos_type"),
        ([2018, 3, 8], "cdcpos_type"),
    ],
)
def test_cdc_start_time_errors(value: object, error_type: str) -> None:
    (error,) = errors_of(START_TIME, value)
    assert error["type"] == error_type
    if error_type != "cdcpos_type":
        assert error["msg"] == parser_message(cdcpos.parse_start_time, value)
    if error_type == "cdcpos_epoch_milliseconds":
        assert "2022-01-07T12:02:59" in error["msg"]  # the millisecond reading is shown


def test_cdc_start_time_is_refused_for_postgres_sources() -> None:
    (error,) = errors_of(START_TIME, 1520511132, context={"source_engine": "aurora-postgresql"})
    assert error["type"] == "cdcpos_engine"
    assert "PostgreSQL" in error["msg"]
    assert START_TIME.validate_python(1520511132, context={"source_engine": "mysql"}) == datetime(
        2018, 3, 8, 12, 12, 12, tzinfo=UTC
    )


def test_cdc_start_time_json_schema() -> None:
    validation = START_TIME.json_schema()
    assert {"type": "number"} in validation["anyOf"]
    assert START_TIME.json_schema(mode="serialization")["format"] == "date-time"
