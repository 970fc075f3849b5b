"""pydantic fields: every value class and the request-field aliases, their errors and schemas."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import BaseModel, TypeAdapter, ValidationError

import cdcpos
from cdcpos import Position
from cdcpos._pydantic import ERROR_TYPES, position_pattern, without_lenient_advice
from cdcpos.aws import CdcStartPosition, CdcStartTime, CdcStopPosition, RecoveryCheckpoint

from . import background
from .background import Run, Steps
from .examples import DB2_EXAMPLES, SPEC_EXAMPLES
from .shared_strategies import shared

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


@background.job("test_import_cdcpos_aws_imports_pydantic_but_not_boto3")
def _import_cdcpos_aws(tmp: Path) -> Steps[subprocess.CompletedProcess[str]]:
    # An interpreter importing pydantic (0.3 s): it runs while the tests before this one
    # do (tests/background.py).
    code = (
        "import sys, cdcpos.aws; assert 'pydantic' in sys.modules;"
        "bad = [m for m in ('boto3', 'botocore') if m in sys.modules]; assert not bad, bad"
    )
    return (yield Run([sys.executable, "-c", code]))


def test_import_cdcpos_aws_imports_pydantic_but_not_boto3() -> None:
    result = _import_cdcpos_aws.result()
    assert result.returncode == 0, result.stderr


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


def check_no_lenient_mode_offered(text: str) -> None:
    for adapter in (START, STOP, CHECKPOINT, ANY_POSITION):
        try:
            adapter.validate_python(text)
        except ValidationError as error:
            assert all("lenient" not in e["msg"] for e in error.errors())


# Small budgets here; the ``slow`` twins (``..._big_budget``) run the same checks with big ones.
@settings(max_examples=8, deadline=None)
@given(shared("pasted", shared("position_strings")))
def test_no_error_of_pasted_text_offers_a_lenient_mode(text: str) -> None:
    check_no_lenient_mode_offered(text)


@pytest.mark.slow
@settings(max_examples=200, deadline=None)
@given(shared("pasted", shared("position_strings")))
def test_no_error_of_pasted_text_offers_a_lenient_mode_big_budget(text: str) -> None:
    check_no_lenient_mode_offered(text)


def test_without_lenient_advice_keeps_the_rest_of_the_hint() -> None:
    assert without_lenient_advice(None) is None
    assert without_lenient_advice("pass the bare SCN") == "pass the bare SCN"
    assert (
        without_lenient_advice("remove it, or parse leniently (lenient=True; --lenient on the CLI)")
        == "remove it"
    )
    assert without_lenient_advice("parse leniently (lenient=True)") is None


_NEAR_TEXT = st.text(alphabet="0123456789abcdefABCDEF/:.#*-_$ TVcheckpoint", max_size=40)


@settings(max_examples=40, deadline=None)
@given(_NEAR_TEXT)
def test_any_text_is_a_value_or_exactly_the_librarys_one_error(text: str) -> None:
    check_value_or_the_librarys_one_error(text)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None)
@given(_NEAR_TEXT)
def test_any_text_is_a_value_or_exactly_the_librarys_one_error_big_budget(text: str) -> None:
    check_value_or_the_librarys_one_error(text)


def check_value_or_the_librarys_one_error(text: str) -> None:
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
    "examples",
    [pytest.param(12, id="small"), pytest.param(150, id="big", marks=pytest.mark.slow)],
)
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
def test_text_in_the_schema_pattern_is_never_a_syntax_error(
    cls: type[Position], examples: int
) -> None:
    pattern = position_pattern(cls)
    assert pattern is not None
    adapter = TypeAdapter(cls)

    @settings(max_examples=examples, deadline=None)
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


# ---------------------------------------------------------------- one reading per value

VALUE_CLASSES = [*CLASSES.values(), Position, cdcpos.StopPosition]
# Near-misses that are costly to reject: the diagnosis of each must run once.
HOSTILE = [
    ("checkpoint:V1#1#0/1#0#0#" + "0." * 2048)[:4094] + "#x",
    "a" + ".1" * 1500,
    "1.00." * 600,
    "4AF/B00000DZ",
    "",
    " 0/1",
    "server_time:2018-02-30T00:00:00",
]


def _pydantic_modules_with(name: str) -> list[Any]:
    """The modules of ``cdcpos._pydantic`` that call the reader ``name`` by that global."""
    import importlib
    import pkgutil

    import cdcpos._pydantic as package

    found = [
        module
        for info in pkgutil.iter_modules(package.__path__, package.__name__ + ".")
        if hasattr(module := importlib.import_module(info.name), name)
    ]
    assert found, f"no module of cdcpos._pydantic reads with {name}"
    return found


class Reads:
    """Every reader a pydantic field can call, wrapped to record what it was given."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.calls: list[tuple[str, object]] = []
        for name in (
            "parse",
            "parse_stop_position",
            "parse_db2_start_from_context",
            "parse_start_time",
        ):
            for module in _pydantic_modules_with(name):
                monkeypatch.setattr(module, name, self._wrap(name, getattr(module, name)))
        for alias in (CdcStartPosition, CdcStopPosition, RecoveryCheckpoint):
            field = alias.__metadata__[0]
            monkeypatch.setattr(field, "read", self._wrap(field.field, field.read))
        for cls in CLASSES.values():
            monkeypatch.setattr(cls, "__init__", self._wrap_init(cls))

    def _wrap(self, name: str, read: Any) -> Any:
        def counted(value: object, *args: Any, **kwargs: Any) -> Any:
            self.calls.append((name, value))
            return read(value, *args, **kwargs)

        return counted

    def _wrap_init(self, cls: type[Position]) -> Any:
        init = cls.__init__

        def counted(instance: Position, value: object, *args: Any) -> None:
            self.calls.append((cls.__name__, value))
            init(instance, value, *args)

        return counted

    def of(self, value: object) -> list[str]:
        return [name for name, given in self.calls if given is value or given == value]


@pytest.mark.parametrize("text", HOSTILE)
def test_a_bad_value_is_read_once_by_every_class_field(
    monkeypatch: pytest.MonkeyPatch, text: str
) -> None:
    adapters = {cls: TypeAdapter(cls) for cls in VALUE_CLASSES}  # built before counting
    reads = Reads(monkeypatch)
    rejected = 0
    for cls, adapter in adapters.items():
        reads.calls.clear()
        try:
            adapter.validate_python(text)  # some are valid opaque positions
        except ValidationError as error:
            assert len(error.errors()) == 1
            rejected += 1
        assert len(reads.of(text)) == 1, (cls, reads.calls)
    assert rejected >= len(adapters) - 1


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("context", [None, {"source_engine": "postgres"}])
def test_a_bad_value_is_read_once_by_every_request_field(
    monkeypatch: pytest.MonkeyPatch, text: str, context: Any
) -> None:
    from cdcpos.aws import ReplicationTask, StartReplicationTaskRequest

    reads = Reads(monkeypatch)
    for adapter in (START, STOP, CHECKPOINT):
        reads.calls.clear()
        errors_of(adapter, text, context=context)
        assert len(reads.of(text)) == 1, reads.calls
    for model, data in [
        (StartReplicationTaskRequest, {"CdcStartPosition": text}),
        (StartReplicationTaskRequest, {"CdcStopPosition": text}),
        (ReplicationTask, {"RecoveryCheckpoint": text, "CdcStartPosition": text}),
    ]:
        reads.calls.clear()
        full = {"ReplicationTaskArn": TASK_ARN, "StartReplicationTaskType": "start-replication"}
        with pytest.raises(ValidationError):
            model.model_validate({**full, **data}, context=context)
        # Once per field that holds it.
        assert len(reads.of(text)) == len(data), reads.calls


@pytest.mark.parametrize(
    "value", ["1641556979000", 1641556979000, "2018-03-08 12:12:12 UTC", "x" * 100, 10**30]
)
@pytest.mark.parametrize("context", [None, {"source_engine": "postgres"}])
def test_a_bad_time_is_read_once(monkeypatch: pytest.MonkeyPatch, value: Any, context: Any) -> None:
    from cdcpos.aws import ReplicationTaskStats

    reads = Reads(monkeypatch)
    errors_of(START_TIME, value, context=context)
    assert reads.of(value) == ["parse_start_time"]
    reads.calls.clear()
    with pytest.raises(ValidationError):
        ReplicationTaskStats.model_validate({"StartDate": value})
    assert reads.of(value) == ["parse_start_time"]


def test_a_good_value_for_the_wrong_engine_is_read_once_then_checked(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads = Reads(monkeypatch)
    (error,) = errors_of(START, "0/5120E10", context={"source_engine": "mysql"})
    assert error["type"] == "cdcpos_engine"
    # One reading, and one check of the text that read (it matches the derived expression).
    assert reads.of("0/5120E10") == ["CdcStartPosition", "CdcStartPosition"]
    reads.calls.clear()
    (error,) = errors_of(START_TIME, 1520511132, context={"source_engine": "postgres"})
    assert error["type"] == "cdcpos_engine"
    assert reads.of(1520511132) == ["parse_start_time"]  # the engine is refused before reading


# ---------------------------------------------------------------- JSON round trip, every kind

MYSQL_CHECKPOINTS = [
    text for text, kind in SPEC_EXAMPLES if kind == "checkpoint" and "mysql" in text
]
ROUND_TRIP_VALUES: list[Position] = [
    *(cdcpos.parse_checkpoint(text).position for text in MYSQL_CHECKPOINTS),  # type: ignore[attr-defined]
    cdcpos.parse_checkpoint("checkpoint:V1#1#$.583860:1357#0#0#*#0#0").position,  # type: ignore[attr-defined]
    cdcpos.MySqlBinlogPosition("$.583860:1357"),
    cdcpos.OracleStreamPosition("00000007.c99042d0.00000001.000c.01.0000:401032.58563.16"),
    cdcpos.OpaquePosition("some-engine@42"),
    cdcpos.OpaquePosition("0/1"),  # an opaque position whose text is an LSN's
    cdcpos.OpaquePosition("opaque:x"),
    cdcpos.Db2Lri("0100000000000022CC000000000004FB13"),
    cdcpos.Db2Lri("0000000000000000000000000000000042"),  # its digits also read as an SCN
    cdcpos.Db2Lri("9" * 34),  # all digits, too large for an SCN
    cdcpos.Db2Timestamp("timestamp:2021-09-21T13:00:00"),
    cdcpos.Db2Now(),
    *(cdcpos.parse(text) for text, kind in SPEC_EXAMPLES),
]
FIELD_TYPES: list[Any] = [*VALUE_CLASSES, CdcStartPosition, CdcStopPosition, RecoveryCheckpoint]
FIELD_ADAPTERS = [(field, TypeAdapter(field)) for field in FIELD_TYPES]


def field_name(field: Any) -> str:
    return getattr(field, "__name__", None) or field.__metadata__[0].field


def check_round_trip(value: Position) -> int:
    """Through every field type that takes ``value``: JSON and back, equal, same class; the
    JSON text fits the field's schema pattern.  Returns how many fields took it."""
    taken = 0
    for field, adapter in FIELD_ADAPTERS:
        try:
            validated = adapter.validate_python(value)
        except ValidationError:
            continue
        taken += 1
        dumped = adapter.dump_json(validated)
        again = adapter.validate_json(dumped)
        assert type(again) is type(value) and again == value, (field_name(field), value, dumped)
        assert str(again) == str(value)
        pattern = adapter.json_schema()["pattern"]
        assert re.fullmatch(pattern[1:-1], json.loads(dumped)), (field_name(field), dumped)
        assert adapter.json_schema(mode="serialization")["pattern"] == pattern
    return taken


@pytest.mark.parametrize("value", ROUND_TRIP_VALUES, ids=repr)
def test_every_kind_survives_json_through_every_field_that_takes_it(value: Position) -> None:
    # At least its own class and Position take every value.
    assert check_round_trip(value) >= 2


def test_position_field_tags_only_the_ambiguous_kinds() -> None:
    dumped = {repr(v): json.loads(ANY_POSITION.dump_json(v)) for v in ROUND_TRIP_VALUES}
    assert dumped["OpaquePosition('some-engine@42')"] == "opaque:some-engine@42"
    assert dumped["OpaquePosition('0/1')"] == "opaque:0/1"
    assert dumped["Db2Lri('0000000000000000000000000000000042')"] == "db2_lri:" + "0" * 32 + "42"
    assert (
        dumped["Db2Lri('0100000000000022CC000000000004FB13')"]
        == "0100000000000022CC000000000004FB13"
    )
    for value in ROUND_TRIP_VALUES:
        if value.kind not in ("opaque", "db2_lri"):
            assert dumped[repr(value)] == str(value)
    # And reads the tag in JSON written by hand.
    assert ANY_POSITION.validate_json('"opaque:a:b"') == cdcpos.OpaquePosition("a:b")
    for bad in ("opaque:a b", "opaque:a#b", "opaque:", "db2_lri:0/1"):
        (error,) = errors_of(ANY_POSITION, bad)
        assert error["type"] == "cdcpos_syntax", bad


def test_a_request_field_takes_a_value_only_if_its_text_reads_back_as_it() -> None:
    lri = cdcpos.Db2Lri("0000000000000000000000000000000042")
    (error,) = errors_of(START, lri)
    assert error["type"] == "cdcpos_wrong_kind"
    (error,) = errors_of(START, cdcpos.MySqlBinlogPosition("$.583860:1357"))
    assert error["type"] == "cdcpos_wrong_kind"
    assert START.validate_python(cdcpos.OracleScn("42")) == cdcpos.OracleScn("42")


@settings(max_examples=15, deadline=None)
@given(shared("positions"))
def test_any_value_survives_json_through_every_field_that_takes_it(value: Position) -> None:
    assert check_round_trip(value) >= 2


@pytest.mark.slow
@settings(max_examples=3000, deadline=None)
@given(shared("positions"))
def test_any_value_survives_json_through_every_field_slow(value: Position) -> None:
    assert check_round_trip(value) >= 2


@settings(max_examples=40, deadline=None)
@given(shared("start_times"))
def test_any_start_time_survives_json(value: Any) -> None:
    check_start_time_survives_json(value)


@pytest.mark.slow
@settings(max_examples=500, deadline=None)
@given(shared("start_times"))
def test_any_start_time_survives_json_big_budget(value: Any) -> None:
    check_start_time_survives_json(value)


def check_start_time_survives_json(value: Any) -> None:
    from typing import Annotated

    from cdcpos._pydantic import TimestampField

    for adapter in (START_TIME, TypeAdapter(Annotated[datetime, TimestampField()])):
        try:
            parsed = adapter.validate_python(value)
        except ValidationError:
            continue
        dumped = adapter.dump_json(parsed)
        assert adapter.validate_json(dumped) == parsed
        assert adapter.validate_python(json.loads(dumped)) == parsed


# ---------------------------------------------------------------- numpy, Decimal, str subclasses

EPOCH_DATETIME = datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)


def numpy_inputs() -> list[Any]:
    numpy = pytest.importorskip("numpy")
    return [
        pytest.param(numpy.float64(1520511132.0), id="float64"),
        pytest.param(numpy.int64(1520511132), id="int64"),
        pytest.param(numpy.str_("1520511132"), id="str_"),
        pytest.param(numpy.str_("2018-03-08T12:12:12Z"), id="str_-iso"),
        pytest.param(numpy.float32(1.0), id="float32-small"),
        pytest.param(numpy.uint64(1520511132), id="uint64"),
        pytest.param(Decimal("1520511132"), id="Decimal"),
        pytest.param(Decimal("1520511132.000"), id="Decimal-scale"),
    ]


@pytest.mark.parametrize("value", numpy_inputs())
def test_start_time_from_numpy_and_decimal_is_a_time_or_a_validation_error(value: Any) -> None:
    """Whatever the core makes of these, the field answers with a value or a pydantic error."""
    from cdcpos.aws import StartReplicationTaskRequest

    try:
        START_TIME.validate_python(value)
    except ValidationError as error:
        assert [e["type"] for e in error.errors()] in (["cdcpos_type"], ["cdcpos_value"])
    try:
        StartReplicationTaskRequest.model_validate(
            {"ReplicationTaskArn": TASK_ARN, "StartReplicationTaskType": "start-replication",
             "CdcStartTime": value}
        )  # fmt: skip
    except ValidationError as error:
        assert error.errors()[0]["loc"] == ("CdcStartTime",)


@pytest.mark.parametrize(
    "value",
    [
        p
        for p in numpy_inputs()
        if p.id != "float32-small"
    ],
)  # fmt: skip
def test_start_time_accepts_numpy_scalars_and_decimal(value: Any) -> None:
    assert START_TIME.validate_python(value) == EPOCH_DATETIME
    assert cdcpos.parse_start_time(value) == EPOCH_DATETIME


@pytest.mark.parametrize(
    "failure",
    [
        __import__("decimal").InvalidOperation("[<class 'decimal.ConversionSyntax'>]"),
        OverflowError("date value out of range"),
        AttributeError("no such thing"),
        RecursionError("deep"),
    ],
    ids=type,
)
def test_nothing_but_a_validation_error_escapes_a_field(
    monkeypatch: pytest.MonkeyPatch, failure: Exception
) -> None:
    """A reader that raises something it should not is still one field error."""
    from cdcpos.aws import StartReplicationTaskRequest

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise failure

    for name in ("parse_start_time", "parse_stop_position"):
        for module in _pydantic_modules_with(name):
            monkeypatch.setattr(module, name, broken)
    monkeypatch.setattr(CdcStartPosition.__metadata__[0], "read", broken)
    monkeypatch.setattr(cdcpos.PostgresLsn, "__init__", broken)
    for adapter, value in [
        (START_TIME, 1520511132),
        (START, "0/1"),
        (TypeAdapter(cdcpos.StopPosition), "server_time:2018-02-09T12:12:12"),
        (TypeAdapter(cdcpos.PostgresLsn), "0/1"),
    ]:
        (error,) = errors_of(adapter, value)
        assert error["type"] == "cdcpos_value"
        assert type(failure).__name__ in error["msg"]
    error = errors_of(
        TypeAdapter(StartReplicationTaskRequest),
        {"ReplicationTaskArn": TASK_ARN, "StartReplicationTaskType": "start-replication",
         "CdcStartTime": 1520511132},
    )  # fmt: skip
    assert [e["loc"] for e in error] == [("CdcStartTime",)]


def test_str_subclasses_are_read_as_their_text() -> None:
    import enum

    class Slot(enum.StrEnum):
        START = "0/1"

        def __str__(self) -> str:  # never used for reading
            raise RuntimeError("not me")

    for adapter in (START, TypeAdapter(cdcpos.PostgresLsn), ANY_POSITION):
        assert adapter.validate_python(Slot.START) == cdcpos.PostgresLsn("0/1")
        assert adapter.dump_json(adapter.validate_python(Slot.START)) == b'"0/1"'


def test_no_subclass_from_outside_can_reach_a_field() -> None:
    # The value classes refuse subclassing (tests/test_inputs.py), so a field only ever sees
    # the library's own classes: what it holds is what its JSON reads back as.
    with pytest.raises(TypeError, match="subclass"):

        class MyLsn(cdcpos.PostgresLsn):
            __slots__ = ()
