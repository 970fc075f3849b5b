"""The DMS models against a real boto3 client: its own parameter validation (through
botocore's Stubber), its own response parser, and the documented sample responses.

No network: the Stubber answers before any request is sent, and the one end-to-end test
answers in botocore's ``before-send`` hook, after the request is serialized and signed.
"""

from __future__ import annotations

import calendar
import json
import re
import subprocess
import sys
import unicodedata
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import boto3
import pytest
from botocore.awsrequest import AWSResponse
from botocore.exceptions import ParamValidationError
from botocore.loaders import Loader
from botocore.parsers import create_parser
from botocore.stub import Stubber
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import cdcpos
import cdcpos.aws
from cdcpos.aws import (
    ERROR_TYPES,
    TASK_STATUSES,
    CreateReplicationTaskRequest,
    ModifyReplicationTaskRequest,
    ReplicationTask,
    ReplicationTaskStats,
    StartReplicationTaskRequest,
    Tag,
    iter_replication_tasks,
)
from cdcpos.aws._text import _tag_character_allowed

from . import background
from .background import Run, Steps
from .examples import SPEC_EXAMPLES
from .shared_strategies import shared

DATA = Path(__file__).parent / "data" / "aws"
UTC = UTC
TASK_ARN = "arn:aws:dms:us-east-1:123456789012:task:RALPZGYI3IUSJCBKKIRBEURKDY"
ENDPOINT_ARN = "arn:aws:dms:us-east-1:123456789012:endpoint:ZW5UAN6P4E77EC7YWHK4RZZ3BE"
INSTANCE_ARN = "arn:aws:dms:us-east-1:123456789012:rep:6UTDJGBOUS3VI3SUWA66XFJCJQ"
MAPPINGS = '{"rules": []}'
CREATE = {
    "ReplicationTaskIdentifier": "orders-cdc",
    "SourceEndpointArn": ENDPOINT_ARN,
    "TargetEndpointArn": ENDPOINT_ARN,
    "ReplicationInstanceArn": INSTANCE_ARN,
    "MigrationType": "full-load-and-cdc",
    "TableMappings": MAPPINGS,
}


@pytest.fixture
def client() -> Any:
    return boto3.client(
        "dms",
        region_name="us-east-1",
        aws_access_key_id="testing",
        aws_secret_access_key="testing",
    )


@pytest.fixture
def stubbed(client: Any) -> Iterator[tuple[Any, Stubber]]:
    with Stubber(client) as stubber:
        yield client, stubber
        stubber.assert_no_pending_responses()


def parse_like_boto3(client: Any, operation: str, raw_json: str) -> dict[str, Any]:
    """What boto3 returns for an HTTP body: botocore's own parser for the operation."""
    parser = create_parser(client.meta.service_model.protocol)
    output = client.meta.service_model.operation_model(operation).output_shape
    parsed = parser.parse({"body": raw_json.encode(), "headers": {}, "status_code": 200}, output)
    parsed.pop("ResponseMetadata")
    return parsed  # type: ignore[no-any-return]


def botocore_examples() -> dict[str, list[dict[str, Any]]]:
    examples = Loader().load_service_model("dms", "examples-1")
    return examples["examples"]  # type: ignore[no-any-return]


def one_error(model: type[Any], data: Any, context: Any = None) -> dict[str, Any]:
    with pytest.raises(ValidationError) as caught:
        model.model_validate(data, context=context)
    errors = caught.value.errors()
    assert len(errors) == 1, errors
    # The printed error names the field (its location) and carries the message.
    printed = str(caught.value)
    assert all(str(part) in printed for part in errors[0]["loc"])
    assert errors[0]["msg"] in printed
    return errors[0]


def start(**fields: Any) -> dict[str, Any]:
    return {
        "ReplicationTaskArn": TASK_ARN,
        "StartReplicationTaskType": "start-replication",
        **fields,
    }


# ---------------------------------------------------------------- the seed's sample


def test_seed_samples_are_repaired_only_where_line_wrapping_broke_them() -> None:
    for name in ("request", "response"):
        verbatim = (DATA / f"seed_start_replication_task_{name}.txt").read_text()
        repaired = (DATA / f"start_replication_task.{name}.json").read_text()
        assert re.sub(r"\s", "", verbatim) == re.sub(r"\s", "", repaired)
        json.loads(repaired)


def test_verbatim_seed_request_is_rejected_for_its_broken_arn() -> None:
    text = (DATA / "seed_start_replication_task_request.txt").read_text()
    error = one_error(StartReplicationTaskRequest, json.loads(text))
    assert error["type"] == "cdcpos_arn"
    assert error["loc"] == ("ReplicationTaskArn",)
    assert "whitespace at column 21" in error["msg"]


def test_seed_request_and_response_through_the_stubbed_client(
    stubbed: tuple[Any, Stubber],
) -> None:
    client, stubber = stubbed
    request = StartReplicationTaskRequest.model_validate_json(
        (DATA / "start_replication_task.request.json").read_text()
    )
    kwargs = request.to_boto3()
    # "CdcStartTime": null in the sample is an absent field, which boto3 must not get.
    assert kwargs == {"ReplicationTaskArn": TASK_ARN, "StartReplicationTaskType": "reload-target"}
    raw = (DATA / "start_replication_task.response.json").read_text()
    stubber.add_response(
        "start_replication_task", parse_like_boto3(client, "StartReplicationTask", raw), kwargs
    )
    task = ReplicationTask.from_response(client.start_replication_task(**kwargs))

    assert task.ReplicationTaskIdentifier == "aks145"
    assert task.Status == "starting" and task.Status in TASK_STATUSES
    assert task.MigrationType == "full-load"
    assert task.ReplicationTaskArn == TASK_ARN
    assert task.ReplicationTaskStartDate == datetime(2016, 3, 11, 1, 13, 14, 56000, tzinfo=UTC)
    assert task.ReplicationTaskCreationDate == datetime(2015, 12, 3, 23, 34, 40, 107000, tzinfo=UTC)
    assert task.ReplicationTaskStartDate.tzinfo is UTC  # boto3 gave tzlocal()
    assert task.decoded_settings["FullLoadSettings"]["TargetTablePrepMode"] == "DO_NOTHING"
    assert task.decoded_table_mappings["TableMappings"][0]["SourceSchema"] == "testDB"
    # The raw JSON (epoch numbers) reads to the very same task.
    assert ReplicationTask.from_response(json.loads(raw)) == task
    assert (
        ReplicationTask.model_validate_json(json.dumps(json.loads(raw)["ReplicationTask"])) == task
    )


# ---------------------------------------------------------------- to_boto3 vs the client


def sent(client: Any, operation: str, kwargs: dict[str, Any]) -> Any:
    """The JSON body a call would have put on the wire (see :func:`call`)."""
    return call(client, operation, kwargs)[0]


def call(
    client: Any, operation: str, kwargs: dict[str, Any], response: Any = None
) -> tuple[Any, Any]:
    """Call ``operation`` on a real client whose answer is stubbed: botocore checks the
    parameters against the DMS service model and serializes them, as for a real call.
    Returns the JSON body the stub got (what would have gone on the wire) and what the
    client returned."""
    bodies: list[bytes] = []

    def capture(params: dict[str, Any], **_: Any) -> None:
        bodies.append(params["body"])

    method = next(k for k, v in client.meta.method_to_api_mapping.items() if v == operation)
    with Stubber(client) as stubber:
        # First, so it sees the request before the stub answers; no expected_params: the
        # stub compares nothing, the body is checked against an independent expectation.
        client.meta.events.register_first("before-call.*.*", capture, unique_id="sent")
        try:
            stubber.add_response(method, response or {"ReplicationTask": {}})
            result = getattr(client, method)(**kwargs)
            stubber.assert_no_pending_responses()
        finally:
            client.meta.events.unregister("before-call.*.*", unique_id="sent")
    (body,) = bodies
    return json.loads(body), result


START_WIRE = {"ReplicationTaskArn": TASK_ARN, "StartReplicationTaskType": "start-replication"}
# (request as given, the body that must reach the service): written out, not computed by
# the code under test.
REQUESTS = [
    pytest.param(start(), START_WIRE, id="bare"),
    *[
        pytest.param(
            start(CdcStartPosition=text),
            {**START_WIRE, "CdcStartPosition": text if kind == "checkpoint" else canonical},
            id=f"start-{kind}-{i}",
        )
        for i, (text, kind, canonical) in enumerate(
            (t, k, str(cdcpos.parse(t))) for t, k in SPEC_EXAMPLES
        )
        if kind not in ("server_time", "commit_time")
    ],
    pytest.param(
        start(CdcStartPosition="000004af/b00000d0"),
        {**START_WIRE, "CdcStartPosition": "4AF/B00000D0"},
        id="start-canonical",
    ),
    pytest.param(
        start(CdcStartPosition="checkpoint:V1#1#000004af/b00000d0#0#0#*#0#0"),
        {**START_WIRE, "CdcStartPosition": "checkpoint:V1#1#000004af/b00000d0#0#0#*#0#0"},
        id="checkpoint-exact",
    ),
    pytest.param(start(CdcStartTime=1520511132), {**START_WIRE, "CdcStartTime": 1520511132}, id="time-epoch"),
    pytest.param(start(CdcStartTime=1520511132.25), {**START_WIRE, "CdcStartTime": 1520511132.25}, id="time-fraction"),
    pytest.param(start(CdcStartTime="2018-03-08T12:12:12"), {**START_WIRE, "CdcStartTime": 1520511132}, id="time-doc-example"),
    pytest.param(start(CdcStartTime="2018-03-08T13:12:12+01:00"), {**START_WIRE, "CdcStartTime": 1520511132}, id="time-offset"),
    pytest.param(start(CdcStartTime=datetime(2018, 3, 8, 12, 12, 12)), {**START_WIRE, "CdcStartTime": 1520511132}, id="time-naive"),
    pytest.param(
        start(CdcStopPosition="server_time:2018-02-09T12:12:12"),
        {**START_WIRE, "CdcStopPosition": "server_time:2018-02-09T12:12:12"},
        id="stop-server",
    ),
    pytest.param(
        start(CdcStopPosition="commit_time:2018-02-09T12:12:12"),
        {**START_WIRE, "CdcStopPosition": "commit_time:2018-02-09T12:12:12"},
        id="stop-commit",
    ),
    pytest.param(
        start(CdcStartTime=1520511132, CdcStopPosition="server_time:2018-03-09T00:00:00"),
        {**START_WIRE, "CdcStartTime": 1520511132, "CdcStopPosition": "server_time:2018-03-09T00:00:00"},
        id="time-and-stop",
    ),
    pytest.param(
        start(
            StartReplicationTaskType="resume-processing",
            CdcStartPosition="checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
            CdcStopPosition="commit_time:2018-02-09T12:12:12",
        ),
        {
            "ReplicationTaskArn": TASK_ARN,
            "StartReplicationTaskType": "resume-processing",
            "CdcStartPosition": "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
            "CdcStopPosition": "commit_time:2018-02-09T12:12:12",
        },
        id="resume-from-checkpoint",
    ),
    pytest.param(
        {
            "replication_task_arn": TASK_ARN,
            "start_replication_task_type": "reload-target",
            "cdc_stop_position": "server_time:2018-02-09T12:12:12",
        },
        {
            "ReplicationTaskArn": TASK_ARN,
            "StartReplicationTaskType": "reload-target",
            "CdcStopPosition": "server_time:2018-02-09T12:12:12",
        },
        id="snake-case",
    ),
]  # fmt: skip


@pytest.mark.parametrize(("data", "wire"), REQUESTS)
def test_to_boto3_passes_the_clients_own_validation(
    client: Any, data: dict[str, Any], wire: dict[str, Any]
) -> None:
    kwargs = StartReplicationTaskRequest.model_validate(data).to_boto3()
    assert sent(client, "StartReplicationTask", kwargs) == wire


@pytest.mark.parametrize(("data", "wire"), REQUESTS[:1] + REQUESTS[-4:])
def test_the_clients_validation_rejects_a_wrong_value_in_any_field(
    client: Any, data: dict[str, Any], wire: dict[str, Any]
) -> None:
    # The validation the test above relies on is real, for every field to_boto3 gives.
    kwargs = StartReplicationTaskRequest.model_validate(data).to_boto3()
    for name in kwargs:
        with pytest.raises(ParamValidationError, match=name):
            sent(client, "StartReplicationTask", {**kwargs, name: ["not", "a", "scalar"]})
    with pytest.raises(ParamValidationError, match="Unknown parameter"):
        sent(client, "StartReplicationTask", {**kwargs, "CdcStopPositon": "x"})


def _expected_wire(data: dict[str, Any]) -> dict[str, Any]:
    """The body DMS must get for a request the strategy drew: its own reading of the
    fields, independent of the models (checkpoints exact, positions canonical, times as
    epoch seconds)."""
    wire: dict[str, Any] = {}
    for name, value in data.items():
        if name == "CdcStartPosition":
            wire[name] = (
                value
                if value.startswith("checkpoint:")
                else str(cdcpos.parse_start_position(value))
            )
        elif name == "CdcStopPosition":
            wire[name] = str(cdcpos.parse_stop_position(value))
        elif name == "CdcStartTime":
            wire[name] = value if isinstance(value, int) else calendar.timegm(value.utctimetuple())
        else:
            wire[name] = value
    return wire


_CLIENTS: list[Any] = []


def shared_client() -> Any:
    """One client for property tests (function-scoped fixtures do not fit them)."""
    if not _CLIENTS:
        credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing"}
        _CLIENTS.append(boto3.client("dms", region_name="us-east-1", **credentials))
    return _CLIENTS[0]


def check_request_reaches_the_service(data: dict[str, Any]) -> None:
    request = StartReplicationTaskRequest.model_validate(data)
    kwargs = request.to_boto3()
    # Every field given is in the call, under its own name: none dropped, none added.
    assert set(kwargs) == set(data)
    assert sent(shared_client(), "StartReplicationTask", kwargs) == _expected_wire(data)


# Small budgets in the fast suite; the ``slow`` twins run the same checks with big ones.
@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared("start_replication_task_requests"))
def test_any_request_reaches_the_service_whole(data: dict[str, Any]) -> None:
    check_request_reaches_the_service(data)


@pytest.mark.slow
@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared("start_replication_task_requests"))
def test_any_request_reaches_the_service_whole_slow(data: dict[str, Any]) -> None:
    check_request_reaches_the_service(data)


def check_model_json_round_trip(data: dict[str, Any]) -> None:
    request = StartReplicationTaskRequest.model_validate(data)
    again = StartReplicationTaskRequest.model_validate_json(request.model_dump_json())
    assert again == request
    assert again.to_boto3() == request.to_boto3()


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared("start_replication_task_requests"))
def test_any_request_survives_json(data: dict[str, Any]) -> None:
    check_model_json_round_trip(data)


@pytest.mark.slow
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(shared("start_replication_task_requests"))
def test_any_request_survives_json_slow(data: dict[str, Any]) -> None:
    check_model_json_round_trip(data)


@pytest.mark.parametrize(("data", "wire"), REQUESTS)
def test_every_example_request_survives_json(data: dict[str, Any], wire: dict[str, Any]) -> None:
    check_model_json_round_trip(data)


def test_to_boto3_keeps_the_stop_position_in_every_request_type() -> None:
    stop = "server_time:2018-02-09T12:12:12"
    for kwargs in (
        StartReplicationTaskRequest.model_validate(start(CdcStopPosition=stop)).to_boto3(),
        StartReplicationTaskRequest.model_validate(
            start(CdcStartPosition="0/1", CdcStopPosition=stop)
        ).to_boto3(),
        ModifyReplicationTaskRequest.model_validate(
            {"ReplicationTaskArn": TASK_ARN, "CdcStopPosition": stop}
        ).to_boto3(),
        CreateReplicationTaskRequest.model_validate(
            {**CREATE, "CdcStartTime": 1520511132, "CdcStopPosition": stop}
        ).to_boto3(),
    ):
        assert kwargs["CdcStopPosition"] == stop


def test_to_boto3_values() -> None:
    kwargs = StartReplicationTaskRequest.model_validate(
        start(
            CdcStartPosition="000004af/b00000d0", CdcStopPosition="server_time:2018-02-09T12:12:12"
        )
    ).to_boto3()
    assert kwargs["CdcStartPosition"] == "4AF/B00000D0"  # canonical
    checkpoint = "checkpoint:V1#1#000004af/b00000d0#0#0#*#0#0"
    kwargs = StartReplicationTaskRequest.model_validate(
        start(CdcStartPosition=checkpoint)
    ).to_boto3()
    assert kwargs["CdcStartPosition"] == checkpoint  # exactly as DMS wrote it
    kwargs = StartReplicationTaskRequest.model_validate(
        start(CdcStartTime="2018-03-08T13:12:12+01:00")
    ).to_boto3()
    assert kwargs["CdcStartTime"] == datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)
    assert list(kwargs) == ["ReplicationTaskArn", "StartReplicationTaskType", "CdcStartTime"]


def test_the_client_does_reject_what_to_boto3_leaves_out(client: Any) -> None:
    # The validation the tests above rely on is real: a None field fails it.
    with Stubber(client) as stubber, pytest.raises(ParamValidationError):
        stubber.add_response("start_replication_task", {"ReplicationTask": {}})
        client.start_replication_task(**start(), CdcStartTime=None)


def test_the_wire_body_carries_epoch_seconds_and_exact_text(client: Any) -> None:
    """End to end: serialized, signed, and answered in before-send (no network)."""
    sent: list[Any] = []
    raw = (DATA / "start_replication_task.response.json").read_text().encode()

    class Body:
        def stream(self, **_: Any) -> Iterator[bytes]:
            yield raw

    def answer(request: Any, **_: Any) -> AWSResponse:
        sent.append(request)
        return AWSResponse(request.url, 200, {}, Body())

    client.meta.events.register("before-send.database-migration-service", answer)
    checkpoint = "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213"
    for fields in (
        {"CdcStartTime": "2018-03-08T12:12:12Z"},
        {"CdcStartPosition": checkpoint, "CdcStopPosition": "commit_time:2018-02-09T12:12:12"},
    ):
        request = StartReplicationTaskRequest.model_validate(start(**fields))
        response = client.start_replication_task(**request.to_boto3())
        assert ReplicationTask.from_response(response).ReplicationTaskIdentifier == "aks145"
    first, second = (json.loads(r.body) for r in sent)
    assert sent[0].headers["X-Amz-Target"] == b"AmazonDMSv20160101.StartReplicationTask"
    assert first == {
        "ReplicationTaskArn": TASK_ARN,
        "StartReplicationTaskType": "start-replication",
        "CdcStartTime": 1520511132,
    }
    assert second["CdcStartPosition"] == checkpoint
    assert second["CdcStopPosition"] == "commit_time:2018-02-09T12:12:12"


def test_create_and_modify_to_boto3_pass_the_clients_validation(client: Any) -> None:
    create = CreateReplicationTaskRequest.model_validate(
        {
            **CREATE,
            "MigrationType": "cdc",
            "ReplicationTaskSettings": "",
            "CdcStartTime": 1520511132,
            "CdcStopPosition": "server_time:2018-03-09T00:00:00",
            "Tags": [{"Key": "team", "Value": "data"}],
            "ResourceIdentifier": "Example-App-ARN1",
        }
    )
    assert sent(client, "CreateReplicationTask", create.to_boto3()) == {
        **CREATE,
        "MigrationType": "cdc",
        "ReplicationTaskSettings": "",
        "CdcStartTime": 1520511132,
        "CdcStopPosition": "server_time:2018-03-09T00:00:00",
        "Tags": [{"Key": "team", "Value": "data"}],
        "ResourceIdentifier": "Example-App-ARN1",
    }

    modify = ModifyReplicationTaskRequest.model_validate(
        {
            "replication_task_arn": TASK_ARN,
            "cdc_start_position": "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121",
            "TaskData": "{}",
        },
        context={"source_engine": "postgres", "migration_type": "full-load-and-cdc"},
    )
    assert sent(client, "ModifyReplicationTask", modify.to_boto3()) == {
        "ReplicationTaskArn": TASK_ARN,
        "CdcStartPosition": "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121",
        "TaskData": "{}",
    }


# ---------------------------------------------------------------- botocore's examples


def test_botocore_start_example_uses_an_instance_arn_which_is_caught(client: Any) -> None:
    (example,) = botocore_examples()["StartReplicationTask"]
    error = one_error(StartReplicationTaskRequest, example["input"])
    assert error["type"] == "cdcpos_arn"
    assert "replication instance ('rep'), not of a replication task" in error["msg"]
    # With the task's own ARN (from the example's output) the example is valid.
    task_arn = example["output"]["ReplicationTask"]["ReplicationTaskArn"]
    request = StartReplicationTaskRequest.model_validate(
        {**example["input"], "ReplicationTaskArn": task_arn}
    )
    assert request.CdcStartTime == datetime(2016, 12, 14, 13, 33, 20, tzinfo=UTC)
    body, response = call(client, "StartReplicationTask", request.to_boto3(), example["output"])
    # The example's own input, with the task's ARN, and its time as epoch seconds.
    assert body == {**example["input"], "ReplicationTaskArn": task_arn, "CdcStartTime": 1481722400}
    task = ReplicationTask.from_response(response)
    assert task.ReplicationTaskCreationDate == datetime(2016, 12, 14, 18, 25, 43, tzinfo=UTC)
    assert task.decoded_settings["Logging"] == {"EnableLogging": False}
    with pytest.raises(ValueError, match=r"TableMappings is not JSON: 'file://mappingfile\.json'"):
        _ = task.decoded_table_mappings


def test_botocore_create_example_passes_a_cli_file_url_which_is_caught(client: Any) -> None:
    (example,) = botocore_examples()["CreateReplicationTask"]
    with pytest.raises(ValidationError) as caught:
        CreateReplicationTaskRequest.model_validate(example["input"])
    # One mistake, one error: a CLI file URL.  (AWS's example also gives a full-load task
    # a CdcStartTime; the service takes that, so it is not an error.)
    (file_url,) = caught.value.errors()
    assert (file_url["type"], file_url["loc"]) == ("cdcpos_json", ("TableMappings",))
    assert "file:// is read by the AWS CLI" in file_url["msg"]
    request = CreateReplicationTaskRequest.model_validate(
        {**example["input"], "TableMappings": MAPPINGS}
    )
    assert request.Tags == [Tag(Key="Acount", Value="24352226")]
    body, response = call(client, "CreateReplicationTask", request.to_boto3(), example["output"])
    assert body == {**example["input"], "TableMappings": MAPPINGS, "CdcStartTime": 1481739943}
    task = ReplicationTask.from_response(response)
    assert task.Status == "creating"


@pytest.mark.parametrize(
    "operation",
    [
        "StartReplicationTask",
        "CreateReplicationTask",
        "StopReplicationTask",
        "DeleteReplicationTask",
    ],
)
def test_every_botocore_example_task_reads(client: Any, operation: str) -> None:
    for example in botocore_examples().get(operation, []):
        method = client.meta.method_to_api_mapping
        name = next(k for k, v in method.items() if v == operation)
        with Stubber(client) as stubber:
            stubber.add_response(name, example["output"])
            response = getattr(client, name)(**example["input"])
        task = ReplicationTask.from_response(response)
        assert task.ReplicationTaskArn == example["output"]["ReplicationTask"]["ReplicationTaskArn"]
        assert task.MigrationType == example["output"]["ReplicationTask"]["MigrationType"]


def test_botocore_describe_example_through_the_paginator(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    (example,) = botocore_examples()["DescribeReplicationTasks"]
    stubber.add_response("describe_replication_tasks", example["output"], example["input"])
    response = client.describe_replication_tasks(**example["input"])
    assert list(iter_replication_tasks(response)) == []


# ---------------------------------------------------------------- DescribeReplicationTasks


def test_describe_pages_through_the_paginator(stubbed: tuple[Any, Stubber]) -> None:
    client, stubber = stubbed
    raw_pages = [(DATA / f"describe_replication_tasks.page{n}.json").read_text() for n in (1, 2)]
    pages = [parse_like_boto3(client, "DescribeReplicationTasks", raw) for raw in raw_pages]
    stubber.add_response("describe_replication_tasks", pages[0], {})
    stubber.add_response("describe_replication_tasks", pages[1], {"Marker": "page-2"})
    paginator = client.get_paginator("describe_replication_tasks")
    tasks = list(iter_replication_tasks(paginator.paginate()))

    assert [t.ReplicationTaskIdentifier for t in tasks] == [
        "aks145",
        "orders-cdc",
        "sales-sqlserver",
    ]
    _, mysql, sqlserver = tasks
    assert mysql.CdcStartPosition == cdcpos.MySqlBinlogPosition("mysql-bin-changelog.000024:373")
    assert mysql.CdcStopPosition == cdcpos.ServerTime("server_time:2018-02-09T12:12:12")
    assert mysql.RecoveryCheckpoint is not None
    assert mysql.RecoveryCheckpoint.position.transaction_id == 677883278264080  # type: ignore[attr-defined]
    stats = mysql.ReplicationTaskStats
    assert stats is not None
    assert (stats.FullLoadProgressPercent, stats.ElapsedTimeMillis, stats.TablesLoaded) == (
        100,
        3600000,
        12,
    )
    assert stats.StopDate == datetime(2023, 12, 7, 16, 38, 51, 500000, tzinfo=UTC)
    assert mysql.decoded_table_mappings["rules"][0]["rule-action"] == "include"
    assert sqlserver.CdcStartPosition == cdcpos.DatePosition("2023-12-07T15:38:51")
    assert sqlserver.RecoveryCheckpoint is not None
    assert sqlserver.RecoveryCheckpoint.engine_kind == "sqlserver_lsn"
    # The raw JSON, read without boto3, gives the same tasks.
    assert list(iter_replication_tasks([json.loads(raw) for raw in raw_pages])) == tasks
    # A checkpoint handed back to DMS is the exact text DMS wrote.
    again = StartReplicationTaskRequest.model_validate(
        start(
            StartReplicationTaskType="resume-processing",
            CdcStartPosition=mysql.RecoveryCheckpoint,
        ),
        context={"source_engine": "aurora"},
    )
    assert (
        again.to_boto3()["CdcStartPosition"]
        == json.loads(raw_pages[0])["ReplicationTasks"][1]["RecoveryCheckpoint"]
    )


def test_iter_replication_tasks_refuses_what_is_not_a_describe_response() -> None:
    with pytest.raises(ValueError, match="no 'ReplicationTasks' key"):
        list(iter_replication_tasks({"ReplicationTask": {}}))
    with pytest.raises(TypeError, match="not str"):
        list(iter_replication_tasks(["ReplicationTasks"]))  # type: ignore[list-item]
    assert list(iter_replication_tasks({"Marker": "", "ResponseMetadata": {}})) == []
    with pytest.raises(ValueError, match="iter_replication_tasks"):
        ReplicationTask.from_response({"ReplicationTasks": []})


# ---------------------------------------------------------------- ReplicationTask


def task_data(**fields: Any) -> dict[str, Any]:
    raw = json.loads((DATA / "describe_replication_tasks.page1.json").read_text())
    return {**raw["ReplicationTasks"][1], **fields}


def test_unknown_keys_are_kept_so_a_newer_api_does_not_break_reading() -> None:
    data = task_data(ReplicationTaskStats={"TablesLoaded": 1, "RowsApplied": 5}, NewField=[1])
    task = ReplicationTask.model_validate(data)
    assert task.model_extra == {"NewField": [1]}
    assert task.ReplicationTaskStats is not None
    assert task.ReplicationTaskStats.model_extra == {"RowsApplied": 5}
    assert task.model_dump()["NewField"] == [1]
    assert ReplicationTask.model_validate(task.model_dump(mode="json")) == task


def test_snake_case_and_json_round_trip() -> None:
    task = ReplicationTask.model_validate(
        {"recovery_checkpoint": "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0", "status": "ready"}
    )
    assert task.RecoveryCheckpoint == cdcpos.parse_checkpoint(
        "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0"
    )
    dumped = json.loads(task.model_dump_json(exclude_none=True))
    assert dumped == {
        "RecoveryCheckpoint": "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
        "Status": "ready",
    }


def test_response_dates_read_datetimes_epoch_seconds_and_iso_text() -> None:
    expected = datetime(2023, 12, 7, 15, 38, 51, tzinfo=UTC)
    for value in (1701963531, 1701963531.0, "2023-12-07T15:38:51Z", expected):
        stats = ReplicationTaskStats.model_validate({"StartDate": value})
        assert stats.StartDate == expected


@pytest.mark.parametrize(
    ("fields", "error_type", "loc"),
    [
        # epoch milliseconds in a raw document: no silent reading as seconds (nor as ms)
        ({"ReplicationTaskStartDate": 1701963531000}, "cdcpos_epoch_milliseconds", ("ReplicationTaskStartDate",)),
        ({"ReplicationTaskStats": {"StopDate": 1701963531000}}, "cdcpos_epoch_milliseconds", ("ReplicationTaskStats", "StopDate")),
        ({"ReplicationTaskStats": {"TablesLoaded": "12"}}, "int_type", ("ReplicationTaskStats", "TablesLoaded")),
        ({"ReplicationTaskStats": {"TablesLoaded": True}}, "int_type", ("ReplicationTaskStats", "TablesLoaded")),
        ({"ReplicationTaskStats": {"TablesLoaded": 12.0}}, "int_type", ("ReplicationTaskStats", "TablesLoaded")),
        ({"MigrationType": "full-load-cdc"}, "literal_error", ("MigrationType",)),
        ({"RecoveryCheckpoint": "checkpoint:V1#27#x"}, "cdcpos_syntax", ("RecoveryCheckpoint",)),
        ({"CdcStopPosition": "2018-02-09T12:12:12"}, "cdcpos_wrong_kind", ("CdcStopPosition",)),
        ({"Status": 3}, "string_type", ("Status",)),
        ({"ReplicationTaskCreationDate": "last tuesday"}, "cdcpos_syntax", ("ReplicationTaskCreationDate",)),
    ],
)  # fmt: skip
def test_bad_response_values_are_one_error_naming_the_field(
    fields: dict[str, Any], error_type: str, loc: tuple[str, ...]
) -> None:
    error = one_error(ReplicationTask, task_data(**fields))
    assert (error["type"], error["loc"]) == (error_type, loc)


def test_response_timestamp_message_names_no_request_field() -> None:
    error = one_error(ReplicationTask, {"ReplicationTaskStartDate": 1701963531000})
    assert error["msg"].startswith("Invalid timestamp '1701963531000'")
    assert "CdcStartTime" not in error["msg"]
    assert "2023-12-07T15:38:51" in error["msg"]


def test_recovery_checkpoint_is_checked_against_the_context_engine() -> None:
    data = task_data(CdcStartPosition=None)
    error = one_error(ReplicationTask, data, context={"source_engine": "postgres"})
    assert (error["type"], error["loc"]) == ("cdcpos_engine", ("RecoveryCheckpoint",))
    assert "MySQL stream position" in error["msg"]
    task = ReplicationTask.model_validate(data, context={"source_engine": "aurora"})
    assert str(task.RecoveryCheckpoint) == data["RecoveryCheckpoint"]


# ---------------------------------------------------------------- request rules

RULES: list[Any] = [
    # required fields and the enum
    ({"StartReplicationTaskType": "start-replication"}, None, "missing", ("ReplicationTaskArn",), "Field required"),
    ({"ReplicationTaskArn": TASK_ARN}, None, "missing", ("StartReplicationTaskType",), "Field required"),
    (start(StartReplicationTaskType="resume"), None, "literal_error", ("StartReplicationTaskType",), "'resume-processing'"),
    (start(StartReplicationTaskType="START-REPLICATION"), None, "literal_error", ("StartReplicationTaskType",), "'start-replication'"),
    (start(StartReplicationTaskType=1), None, "literal_error", ("StartReplicationTaskType",), "'reload-target'"),
    # task ARN form
    (start(ReplicationTaskArn="RALPZGYI3IUSJCBKKIRBEURKDY"), None, "cdcpos_arn", ("ReplicationTaskArn",), "expected arn:<partition>:dms"),
    (start(ReplicationTaskArn=TASK_ARN.replace(":aws:", ":aws-mars:")), None, "cdcpos_arn", ("ReplicationTaskArn",), "unknown partition 'aws-mars'"),
    (start(ReplicationTaskArn=TASK_ARN.replace(":dms:", ":rds:")), None, "cdcpos_arn", ("ReplicationTaskArn",), "service 'rds' is not dms"),
    (start(ReplicationTaskArn=TASK_ARN.replace("us-east-1", "virginia")), None, "cdcpos_arn", ("ReplicationTaskArn",), "not an AWS region"),
    (start(ReplicationTaskArn=TASK_ARN.replace("123456789012", "12345")), None, "cdcpos_arn", ("ReplicationTaskArn",), "not 12 digits"),
    (start(ReplicationTaskArn=TASK_ARN.replace(":task:", ":endpoint:")), None, "cdcpos_arn", ("ReplicationTaskArn",), "ARN of an endpoint"),
    (start(ReplicationTaskArn=TASK_ARN.replace("RALPZ", "ralpz")[:-1] + "-"), None, "cdcpos_arn", ("ReplicationTaskArn",), "end with a hyphen"),
    (start(ReplicationTaskArn=TASK_ARN + "\n"), None, "cdcpos_arn", ("ReplicationTaskArn",), "whitespace"),
    (start(ReplicationTaskArn=b"arn"), None, "cdcpos_type", ("ReplicationTaskArn",), "must be a str, not bytes"),
    # CdcStartPosition xor CdcStartTime
    (start(CdcStartPosition="0/1", CdcStartTime=1520511132), None, "cdcpos_start_conflict", ("CdcStartTime",), "both given"),
    # each field's format
    (start(CdcStartPosition="\u201c2018-03-08T12:12:12\u201d"), None, "cdcpos_syntax", ("CdcStartPosition",), "typographic quotes"),
    (start(CdcStartPosition="Oracle SCN:6916533"), None, "cdcpos_syntax", ("CdcStartPosition",), "pass the bare SCN"),
    (start(CdcStartPosition="3E11FA47-71CA-11E1-9E33-C80AA9429562:23"), None, "cdcpos_syntax", ("CdcStartPosition",), "GTID"),
    (start(CdcStartPosition="server_time:2018-02-09T12:12:12"), None, "cdcpos_wrong_kind", ("CdcStartPosition",), "CdcStartPosition"),
    (start(CdcStopPosition="commit_time: 3018-02-09T12:12:12 "), None, "cdcpos_syntax", ("CdcStopPosition",), "remove the space"),
    (start(CdcStopPosition="2018-02-09T12:12:12"), None, "cdcpos_wrong_kind", ("CdcStopPosition",), "names its clock"),
    (start(CdcStartTime=1641556979000), None, "cdcpos_epoch_milliseconds", ("CdcStartTime",), "pass 1641556979"),
    (start(CdcStartTime="2018-03-08 12:12:12 UTC"), None, "cdcpos_syntax", ("CdcStartTime",), "ISO 8601"),
    # the source engine
    (start(CdcStartTime=1520511132), {"source_engine": "postgres"}, "cdcpos_engine", ("CdcStartTime",), "PostgreSQL sources do not support"),
    (start(CdcStartPosition="2018-03-08T12:12:12"), {"source_engine": "aurora-postgresql"}, "cdcpos_engine", ("CdcStartPosition",), "cannot start from a date"),
    (start(CdcStartTime="2018-03-08"), {"source_engine": "docdb"}, "cdcpos_engine", ("CdcStartTime",), "DocumentDB"),
    (start(CdcStartPosition="mysql-bin-changelog.000024:373"), {"source_engine": "oracle"}, "cdcpos_engine", ("CdcStartPosition",), "not a position of engine 'oracle'"),
    (start(CdcStartPosition="00000014:00000061:0001"), {"source_engine": "postgres"}, "cdcpos_engine", ("CdcStartPosition",), "SQL Server LSN"),
    # the first run, and the migration type
    (start(StartReplicationTaskType="resume-processing"), {"first_run": True}, "cdcpos_first_run", ("StartReplicationTaskType",), "only available for previously executed tasks"),
    (start(StartReplicationTaskType="reload-target"), {"first_run": True}, "cdcpos_first_run", ("StartReplicationTaskType",), "first time a task runs"),
    (start(StartReplicationTaskType="resume-processing", CdcStartTime=1520511132), {"migration_type": "cdc"}, "cdcpos_migration_type", ("CdcStartTime",), "only with start-replication"),
    # a malformed context, and names given twice
    (start(), {"source_engine": "postgresql"}, "cdcpos_context", (), "unknown engine 'postgresql'"),
    (start(), {"migration_type": "cdc-only"}, "cdcpos_context", (), "migration_type"),
    (start(), {"first_run": "yes"}, "cdcpos_context", (), "first_run"),
    ({**start(), "start_replication_task_type": "reload-target"}, None, "cdcpos_duplicate_field", (), "given twice"),
    # nothing unknown, nothing coerced
    (start(CdcStartPositon="0/1"), None, "extra_forbidden", ("CdcStartPositon",), "Extra inputs"),
    (start(CdcStartPosition=6916533), None, "cdcpos_type", ("CdcStartPosition",), "must be a str or a cdcpos value, not int"),
    (start(CdcStartTime=True), None, "cdcpos_type", ("CdcStartTime",), "not bool"),
]  # fmt: skip


@pytest.mark.parametrize(("data", "context", "error_type", "loc", "fragment"), RULES)
def test_every_documented_mistake_is_one_error_naming_the_field(
    data: dict[str, Any], context: Any, error_type: str, loc: tuple[str, ...], fragment: str
) -> None:
    error = one_error(StartReplicationTaskRequest, data, context)
    assert (error["type"], error["loc"]) == (error_type, loc)
    assert fragment in error["msg"]
    if error_type.startswith("cdcpos_"):
        assert error_type in ERROR_TYPES


@pytest.mark.parametrize(
    ("data", "context"),
    [
        (start(StartReplicationTaskType="start-replication"), {"first_run": True}),
        (start(StartReplicationTaskType="resume-processing"), {"first_run": False}),
        (start(CdcStartPosition="0/1"), {"migration_type": "cdc", "source_engine": "postgres"}),
        (
            start(StartReplicationTaskType="resume-processing", CdcStartPosition="0/1"),
            {"migration_type": "full-load-and-cdc"},
        ),
        (start(CdcStartTime=1520511132), {"source_engine": "mysql", "migration_type": "cdc"}),
        (start(StartReplicationTaskType="resume-processing"), {"migration_type": "full-load"}),
        (start(), {"unrelated": "keys are someone else's"}),
    ],
)
def test_allowed_by_the_rules(data: dict[str, Any], context: dict[str, Any]) -> None:
    request = StartReplicationTaskRequest.model_validate(data, context=context)
    assert set(request.to_boto3()) == set(data)


def test_one_bad_field_among_good_ones_is_one_error() -> None:
    # The conflict rule is not reported for a start position that was itself invalid.
    error = one_error(StartReplicationTaskRequest, start(CdcStartPosition="0/x", CdcStartTime=1))
    assert error["loc"] == ("CdcStartPosition",)


def test_create_request_rules() -> None:
    good = {
        "ReplicationTaskIdentifier": "orders-cdc",
        "SourceEndpointArn": ENDPOINT_ARN,
        "TargetEndpointArn": ENDPOINT_ARN,
        "ReplicationInstanceArn": INSTANCE_ARN,
        "MigrationType": "full-load-and-cdc",
        "TableMappings": MAPPINGS,
    }
    CreateReplicationTaskRequest.model_validate(good)
    cases = [
        ({"CdcStartPosition": "0/1", "CdcStartTime": 1}, "cdcpos_start_conflict", ("CdcStartTime",)),
        ({"ReplicationTaskIdentifier": "1orders"}, "cdcpos_identifier", ("ReplicationTaskIdentifier",)),
        ({"ReplicationTaskIdentifier": "orders--cdc"}, "cdcpos_identifier", ("ReplicationTaskIdentifier",)),
        ({"ReplicationTaskIdentifier": "a" * 256}, "cdcpos_identifier", ("ReplicationTaskIdentifier",)),
        ({"ResourceIdentifier": "a" * 32}, "cdcpos_identifier", ("ResourceIdentifier",)),
        ({"ReplicationInstanceArn": ENDPOINT_ARN}, "cdcpos_arn", ("ReplicationInstanceArn",)),
        ({"SourceEndpointArn": INSTANCE_ARN}, "cdcpos_arn", ("SourceEndpointArn",)),
        ({"TableMappings": "[]"}, "cdcpos_json", ("TableMappings",)),
        ({"TableMappings": "{rules: []}"}, "cdcpos_json", ("TableMappings",)),
        ({"ReplicationTaskSettings": "{"}, "cdcpos_json", ("ReplicationTaskSettings",)),
        ({"Tags": [{"Key": "aws:team"}]}, "cdcpos_tag", ("Tags", 0, "Key")),
        ({"Tags": [{"Key": "team", "Value": "a" * 257}]}, "cdcpos_tag", ("Tags", 0, "Value")),
        ({"Tags": [{"Key": "team", "Colour": "red"}]}, "extra_forbidden", ("Tags", 0, "Colour")),
        ({"MigrationType": None}, "literal_error", ("MigrationType",)),
    ]  # fmt: skip
    for fields, error_type, loc in cases:
        error = one_error(CreateReplicationTaskRequest, {**good, **fields})
        assert (error["type"], error["loc"]) == (error_type, loc), fields
    # A full-load task may carry CDC fields: AWS's own example does, and the service takes it.
    request = CreateReplicationTaskRequest.model_validate(
        {**good, "MigrationType": "full-load", "CdcStartPosition": "0/1"}
    )
    assert request.CdcStartPosition == cdcpos.PostgresLsn("0/1")


def test_modify_request_rules() -> None:
    error = one_error(
        ModifyReplicationTaskRequest,
        {"ReplicationTaskArn": TASK_ARN, "CdcStartTime": 1520511132},
        {"source_engine": "postgres"},
    )
    assert (error["type"], error["loc"]) == ("cdcpos_engine", ("CdcStartTime",))
    request = ModifyReplicationTaskRequest.model_validate(
        {"ReplicationTaskArn": TASK_ARN, "MigrationType": "full-load", "CdcStopPosition": "server_time:2018-02-09T12:12:12"},
    )  # fmt: skip
    assert request.CdcStopPosition == cdcpos.ServerTime("server_time:2018-02-09T12:12:12")


def test_requests_are_immutable() -> None:
    request = StartReplicationTaskRequest.model_validate(start())
    with pytest.raises(ValidationError):
        request.CdcStartPosition = cdcpos.PostgresLsn("0/1")  # type: ignore[misc]


def test_json_schema_of_the_request() -> None:
    schema = StartReplicationTaskRequest.model_json_schema()
    assert schema["required"] == ["ReplicationTaskArn", "StartReplicationTaskType"]
    assert schema["additionalProperties"] is False
    properties = schema["properties"]
    assert properties["StartReplicationTaskType"]["enum"] == [
        "start-replication",
        "resume-processing",
        "reload-target",
    ]
    start_position = properties["CdcStartPosition"]["anyOf"][0]
    assert re.search(start_position["pattern"], "mysql-bin-changelog.000024:373")
    assert not re.search(start_position["pattern"], "server_time:2018-02-09T12:12:12")


# ---------------------------------------------------------------- JSON documents in strings

DEEP = [
    "[" * 30000,
    "{" + '"a":[' * 30000,
    "[" * 30000 + "]" * 30000,
    '{"a":' * 30000 + "1" + "}" * 30000,
]


@pytest.mark.parametrize("text", DEEP, ids=lambda t: t[:6])
@pytest.mark.parametrize("field", ["TableMappings", "ReplicationTaskSettings"])
def test_deeply_nested_json_is_a_json_error_not_a_recursion_error(text: str, field: str) -> None:
    for model, data in [
        (CreateReplicationTaskRequest, {**CREATE, field: text}),
        (ModifyReplicationTaskRequest, {"ReplicationTaskArn": TASK_ARN, field: text}),
    ]:
        error = one_error(model, data)
        assert (error["type"], error["loc"]) == ("cdcpos_json", (field,))
        assert "nested too deeply" in error["msg"] or "not JSON" in error["msg"]
    # A task read back holds the text; decoding it says which field is not JSON.
    task = ReplicationTask.model_validate({field: text})
    with pytest.raises(ValueError, match=f"{field} is not JSON"):
        _ = task.decoded_table_mappings if field == "TableMappings" else task.decoded_settings


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('{"a": NaN}', "NaN"),
        ('{"a": -Infinity}', "Infinity"),
        ('{"a": 1' + "0" * 5000 + "}", "not JSON"),  # past Python's int digit limit
        ('{"a": 1} x', "not JSON"),
        ("", "not JSON"),
        ('"{}"', "not str"),
        ("null", "not NoneType"),
    ],
)
def test_what_is_not_a_json_object_is_one_json_error(text: str, fragment: str) -> None:
    error = one_error(CreateReplicationTaskRequest, {**CREATE, "TableMappings": text})
    assert error["type"] == "cdcpos_json"
    assert fragment in error["msg"]


def test_a_deep_raw_response_is_a_validation_error() -> None:
    document = '{"ReplicationTask": {"X": ' + "[" * 30000 + "]" * 30000 + "}}"
    with pytest.raises(ValidationError):
        ReplicationTask.model_validate_json(document)


_JSON_TEXTS = st.one_of(
    st.text(alphabet='{}[]":,0123456789 aN', max_size=60),
    st.integers(0, 50000).map(lambda n: "[" * n + "]" * (n % 3)),
    st.recursive(st.integers() | st.text(max_size=3), lambda inner: st.lists(inner) | st.dictionaries(st.text(max_size=3), inner)).map(json.dumps),
)  # fmt: skip


@settings(max_examples=15, deadline=None)
@given(_JSON_TEXTS)
def test_any_text_is_a_json_object_or_one_json_error(text: str) -> None:
    check_json_object_or_one_json_error(text)


@pytest.mark.slow
@settings(max_examples=300, deadline=None)
@given(_JSON_TEXTS)
def test_any_text_is_a_json_object_or_one_json_error_slow(text: str) -> None:
    check_json_object_or_one_json_error(text)


def check_json_object_or_one_json_error(text: str) -> None:
    try:
        document = json.loads(text, parse_constant=lambda name: 1 / 0)
    except (ValueError, RecursionError, ZeroDivisionError):
        document = None
    data = {**CREATE, "TableMappings": text}
    if isinstance(document, dict):
        assert CreateReplicationTaskRequest.model_validate(data).TableMappings == text
    else:
        error = one_error(CreateReplicationTaskRequest, data)
        assert (error["type"], error["loc"]) == ("cdcpos_json", ("TableMappings",))


# ---------------------------------------------------------------- tags, without `regex`

# One character of every Unicode general category, with the category written out: the
# tag rule [doc: botocore Tag, Java ``^([\p{L}\p{Z}\p{N}_.:/=+\-]*)$``] takes L*, Z*, N*.
TAG_MEMBERS = {
    "Lu": "A", "Ll": "\u00e9", "Lt": "\u01c5", "Lm": "\u02b0", "Lo": "\u4e2d",
    "Nd": "\u0663", "Nl": "\u216b", "No": "\u00bd",
    "Zs": "\u00a0", "Zl": "\u2028", "Zp": "\u2029",
}  # fmt: skip
TAG_NON_MEMBERS = {
    "Cc": "\t", "Cf": "\u200b", "Cs": "\ud800", "Co": "\ue000", "Cn": "\u0378",
    "Mn": "\u0301", "Mc": "\u0903", "Me": "\u20dd",
    "Pc": "\u203f", "Pd": "\u2013", "Ps": "(", "Pe": ")", "Pi": "\u00ab", "Pf": "\u00bb", "Po": "!",
    "Sm": "<", "Sc": "$", "Sk": "^", "So": "\U0001f600",
}  # fmt: skip
TAG_PUNCTUATION = "_.:/=+-"  # outside L, Z, N but named by the rule
ALLOWED_CATEGORIES = frozenset(TAG_MEMBERS)


def tag_takes(char: str) -> bool:
    try:
        Tag(Key="k" + char, Value=char + "v")
    except ValidationError as error:
        assert [e["type"] for e in error.errors()] == ["cdcpos_tag", "cdcpos_tag"]
        return False
    return True


def test_the_examples_are_of_the_categories_they_stand_for() -> None:
    for category, char in {**TAG_MEMBERS, **TAG_NON_MEMBERS}.items():
        assert unicodedata.category(char) == category, (category, char)
    # Every general category is represented.
    assert len(TAG_MEMBERS) + len(TAG_NON_MEMBERS) == 30


@pytest.mark.parametrize(("category", "char"), TAG_MEMBERS.items())
def test_tags_take_letters_separators_and_numbers(category: str, char: str) -> None:
    assert tag_takes(char)


@pytest.mark.parametrize(("category", "char"), TAG_NON_MEMBERS.items())
def test_tags_refuse_every_other_category(category: str, char: str) -> None:
    assert not tag_takes(char)
    error = one_error(Tag, {"Key": "team" + char})
    assert f"U+{ord(char):04X}" in error["msg"] and "column 5" in error["msg"]


def test_tags_take_the_named_punctuation_only() -> None:
    for char in TAG_PUNCTUATION:
        assert unicodedata.category(char)[0] not in "LZN"
        assert tag_takes(char)
    for char in "@#*,;?'\"\\|~`&%":
        assert not tag_takes(char)


def test_tags_agree_with_the_categories_on_every_boundary() -> None:
    """At every code point where the general category changes, and just before it."""
    previous = None
    checked = 0
    for code in range(sys.maxunicode + 1):
        category = unicodedata.category(chr(code))
        if category != previous and code:
            for char in (chr(code - 1), chr(code)):
                expected = (
                    unicodedata.category(char) in ALLOWED_CATEGORIES or char in TAG_PUNCTUATION
                )
                assert _tag_character_allowed(char) is expected, hex(ord(char))
                checked += 1
        previous = category
    assert checked > 7000
    # The model applies the same rule: a sample of the boundaries through validation.
    assert tag_takes("\u02ff") is (unicodedata.category("\u02ff") in ALLOWED_CATEGORIES)


@background.job("test_the_models_work_without_the_regex_module")
def _models_without_regex(tmp: Path) -> Steps[subprocess.CompletedProcess[str]]:
    # An interpreter importing pydantic (0.4 s): it runs while the tests before this one
    # do (tests/background.py).
    code = (
        "import sys; sys.modules['regex'] = None\n"
        "from cdcpos.aws import Tag\n"
        "Tag(Key='\u00e9quipe \u0663', Value='a/b')\n"
        "try:\n    Tag(Key='team\u200b')\nexcept ValueError as e:\n    print(e.errors()[0]['type'])\n"
    )
    return (yield Run([sys.executable, "-c", code]))


def test_the_models_work_without_the_regex_module() -> None:
    # `regex` is no dependency: with it unimportable, tags are still checked.
    result = _models_without_regex.result()
    result.check_returncode()
    assert result.stdout.split() == ["cdcpos_tag"]
