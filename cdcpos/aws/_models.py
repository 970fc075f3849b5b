"""Models of the DMS task calls, with the API's PascalCase field names (snake_case accepted)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from typing import Annotated, Any

from pydantic import (
    AliasChoices,
    AliasGenerator,
    BaseModel,
    ConfigDict,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.alias_generators import to_snake

from cdcpos import (
    Position,
)
from cdcpos._errors import quote
from cdcpos._pydantic import (
    check_context,
    custom_error,
    first_run,
    migration_type,
)
from cdcpos.aws._fields import (
    StartReplicationTaskType,
    _Checkpoint,
    _MigrationType,
    _StartPosition,
    _StartTime,
    _StopPosition,
    _Timestamp,
)
from cdcpos.aws._text import _DmsArn, _Identifier, _JsonObject, _load_json, _TagText, _TaskArn

# ====================================================================== models


def _aliases(name: str) -> AliasChoices:
    return AliasChoices(name, to_snake(name))


class _DmsModel(BaseModel):
    """PascalCase fields (snake_case accepted), strict types, immutable."""

    model_config = ConfigDict(
        strict=True,
        frozen=True,
        alias_generator=AliasGenerator(validation_alias=_aliases),
        # JSON Schema titles are the API's names, not "Replicationtaskarn".
        field_title_generator=lambda name, info: name,
    )

    @model_validator(mode="before")
    @classmethod
    def _one_name_per_field(cls, data: Any, info: ValidationInfo) -> Any:
        # A malformed context is one error, before any field is read.
        check_context(info)
        if isinstance(data, Mapping):
            for name in cls.model_fields:
                snake = to_snake(name)
                if snake != name and name in data and snake in data:
                    raise custom_error(
                        "cdcpos_duplicate_field",
                        f"{name} is given twice, as {name!r} and as {snake!r}; give it once",
                        field=name,
                    )
        return data


class Tag(_DmsModel):
    """A DMS tag, as ``CreateReplicationTask`` takes it.

    >>> Tag(Key="team", Value="data").to_boto3()
    {'Key': 'team', 'Value': 'data'}
    """

    model_config = ConfigDict(extra="forbid")

    Key: Annotated[str, _TagText("Key", 128)]
    Value: Annotated[str, _TagText("Value", 256)] | None = None
    ResourceArn: str | None = None

    def to_boto3(self) -> dict[str, str]:
        """The tag as boto3 takes it (absent fields omitted)."""
        return {k: v for k, v in self.model_dump().items() if v is not None}


def _migration_type_of(info: ValidationInfo) -> str | None:
    # The request's own MigrationType (Create, Modify) wins over the context's.
    own = info.data.get("MigrationType")
    return own if own is not None else migration_type(info)


class _CdcRequest(_DmsModel):
    """The rules shared by the requests that carry the CDC fields."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("StartReplicationTaskType", mode="after", check_fields=False)
    @classmethod
    def _first_run_starts(cls, value: str, info: ValidationInfo) -> str:
        if first_run(info) and value != "start-replication":
            raise custom_error(
                "cdcpos_first_run",
                f"StartReplicationTaskType {value!r} cannot start a task's first run: "
                "start-replication is the only valid action the first time a task runs, and "
                "resume-processing is only available for previously executed tasks (DMS API "
                "reference)",
            )
        return value

    @classmethod
    def _check_cdc_phase(cls, field: str, info: ValidationInfo) -> None:
        # No rule rejects CDC fields on a full-load task: AWS's own CreateReplicationTask
        # example sends CdcStartTime with MigrationType full-load, so the service takes it.
        kind = _migration_type_of(info)
        task_type = info.data.get("StartReplicationTaskType")
        if (
            field != "CdcStopPosition"
            and kind == "cdc"
            and task_type not in (None, "start-replication")
        ):
            raise custom_error(
                "cdcpos_migration_type",
                f"{field} is given with StartReplicationTaskType {task_type!r}: a cdc task "
                "starts from a given point only with start-replication (DMS API reference)",
            )

    @field_validator("CdcStartPosition", mode="after", check_fields=False)
    @classmethod
    def _start_position_rules(cls, value: Position | None, info: ValidationInfo) -> Any:
        if value is not None:
            cls._check_cdc_phase("CdcStartPosition", info)
        return value

    @field_validator("CdcStartTime", mode="after", check_fields=False)
    @classmethod
    def _start_time_rules(cls, value: datetime | None, info: ValidationInfo) -> Any:
        if value is None:
            return value
        if info.data.get("CdcStartPosition") is not None:
            raise custom_error(
                "cdcpos_start_conflict",
                "CdcStartPosition and CdcStartTime are both given; use one of them "
                "(specifying both values results in an error, DMS API reference)",
            )
        cls._check_cdc_phase("CdcStartTime", info)
        return value

    @field_validator("CdcStopPosition", mode="after", check_fields=False)
    @classmethod
    def _stop_position_rules(cls, value: Position | None, info: ValidationInfo) -> Any:
        if value is not None:
            cls._check_cdc_phase("CdcStopPosition", info)
        return value

    def to_boto3(self) -> dict[str, Any]:
        """Keyword arguments for the boto3 call: positions as text, ``CdcStartTime`` as an
        aware UTC ``datetime``, absent fields omitted.  A checkpoint is its exact text."""
        kwargs: dict[str, Any] = {}
        for name in type(self).model_fields:
            value = getattr(self, name)
            if value is None:
                continue
            if isinstance(value, Position):
                value = str(value)
            elif isinstance(value, list):
                value = [tag.to_boto3() for tag in value]
            kwargs[name] = value
        return kwargs


class StartReplicationTaskRequest(_CdcRequest):
    """The request of ``StartReplicationTask``, every documented rule enforced.

    Rules: ``ReplicationTaskArn`` and ``StartReplicationTaskType`` are required, the type is
    one of its three values, ``CdcStartPosition`` and ``CdcStartTime`` are not both given
    [doc: API reference]; the ARN is a task ARN [doc: docs/formats.md §7]; each field has its
    format (the grammar); ``CdcStartTime`` is not in epoch milliseconds [doc: the
    CloudFormation trap].  From the validation context: the source engine's position forms,
    no start time or date for PostgreSQL, no timestamp start for DocumentDB [doc: DMS user
    guide]; ``start-replication`` for a first run, and to start a ``cdc`` task from a given
    point [doc: API reference].

    >>> request = StartReplicationTaskRequest(
    ...     ReplicationTaskArn="arn:aws:dms:us-east-1:123456789012:task:RALPZGYI3IUSJCBKKIRBEURKDY",
    ...     StartReplicationTaskType="start-replication",
    ...     CdcStartTime="2018-03-08T12:12:12Z",
    ...     CdcStopPosition="server_time:2018-03-09T00:00:00",
    ... )
    >>> request.to_boto3()["CdcStartTime"]
    datetime.datetime(2018, 3, 8, 12, 12, 12, tzinfo=datetime.timezone.utc)
    >>> request.to_boto3()["CdcStopPosition"]
    'server_time:2018-03-09T00:00:00'
    """

    ReplicationTaskArn: _TaskArn
    StartReplicationTaskType: StartReplicationTaskType
    CdcStartPosition: _StartPosition | None = None
    CdcStartTime: _StartTime | None = None
    CdcStopPosition: _StopPosition | None = None


class CreateReplicationTaskRequest(_CdcRequest):
    """The request of ``CreateReplicationTask``: the task's identity, and the same CDC rules.

    Its own ``MigrationType`` decides the migration-type rules.

    >>> request = CreateReplicationTaskRequest(
    ...     ReplicationTaskIdentifier="orders-cdc",
    ...     SourceEndpointArn="arn:aws:dms:us-east-1:123456789012:endpoint:ZW5UAN6P4E77EC7YWHK4RZZ3BE",
    ...     TargetEndpointArn="arn:aws:dms:us-east-1:123456789012:endpoint:ASXWXJZLNWNT5HTWCGV2BUJQ7E",
    ...     ReplicationInstanceArn="arn:aws:dms:us-east-1:123456789012:rep:6UTDJGBOUS3VI3SUWA66XFJCJQ",
    ...     MigrationType="cdc",
    ...     TableMappings='{"rules": []}',
    ...     CdcStartPosition="mysql-bin-changelog.000024:373",
    ... )
    >>> request.to_boto3()["CdcStartPosition"]
    'mysql-bin-changelog.000024:373'
    """

    ReplicationTaskIdentifier: Annotated[str, _Identifier("ReplicationTaskIdentifier", 255)]
    SourceEndpointArn: Annotated[str, _DmsArn("SourceEndpointArn", "endpoint")]
    TargetEndpointArn: Annotated[str, _DmsArn("TargetEndpointArn", "endpoint")]
    ReplicationInstanceArn: Annotated[str, _DmsArn("ReplicationInstanceArn", "rep")]
    MigrationType: _MigrationType
    TableMappings: Annotated[str, _JsonObject("TableMappings")]
    # The botocore CreateReplicationTask example sends "" for no settings [doc].
    ReplicationTaskSettings: Annotated[str, _JsonObject("ReplicationTaskSettings", True)] | None = (
        None
    )
    CdcStartPosition: _StartPosition | None = None
    CdcStartTime: _StartTime | None = None
    CdcStopPosition: _StopPosition | None = None
    Tags: list[Tag] | None = None
    TaskData: str | None = None
    ResourceIdentifier: Annotated[str, _Identifier("ResourceIdentifier", 31)] | None = None


class ModifyReplicationTaskRequest(_CdcRequest):
    """The request of ``ModifyReplicationTask``: the same CDC rules as the other two.

    >>> ModifyReplicationTaskRequest(
    ...     ReplicationTaskArn="arn:aws:dms:us-east-1:123456789012:task:RALPZGYI3IUSJCBKKIRBEURKDY",
    ...     CdcStartPosition="checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
    ... ).to_boto3()["CdcStartPosition"]
    'checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0'
    """

    ReplicationTaskArn: _TaskArn
    ReplicationTaskIdentifier: (
        Annotated[str, _Identifier("ReplicationTaskIdentifier", 255)] | None
    ) = None
    MigrationType: _MigrationType | None = None
    TableMappings: Annotated[str, _JsonObject("TableMappings")] | None = None
    ReplicationTaskSettings: Annotated[str, _JsonObject("ReplicationTaskSettings", True)] | None = (
        None
    )
    CdcStartPosition: _StartPosition | None = None
    CdcStartTime: _StartTime | None = None
    CdcStopPosition: _StopPosition | None = None
    TaskData: str | None = None


class ReplicationTaskStats(_DmsModel):
    """``ReplicationTaskStats`` of a task: counters and dates; unknown keys are kept.

    Counters are strict integers (``"12"`` or ``12.0`` is an error, not a 12).

    >>> stats = ReplicationTaskStats.model_validate({"TablesLoaded": 12, "StopDate": 1701967131})
    >>> stats.TablesLoaded, stats.StopDate.isoformat()
    (12, '2023-12-07T16:38:51+00:00')
    """

    model_config = ConfigDict(extra="allow")

    FullLoadProgressPercent: int | None = None
    ElapsedTimeMillis: int | None = None
    TablesLoaded: int | None = None
    TablesLoading: int | None = None
    TablesQueued: int | None = None
    TablesErrored: int | None = None
    FreshStartDate: _Timestamp | None = None
    StartDate: _Timestamp | None = None
    StopDate: _Timestamp | None = None
    FullLoadStartDate: _Timestamp | None = None
    FullLoadFinishDate: _Timestamp | None = None


_Stats = ReplicationTaskStats


def _decode(field: str, text: str | None) -> Any:
    if text is None:
        return None
    try:
        return _load_json(text)
    except ValueError as error:
        raise ValueError(f"{field} is not JSON: {quote(text)} ({error})") from None


class ReplicationTask(_DmsModel):
    """A DMS ``ReplicationTask`` as the API returns it (StartReplicationTask,
    DescribeReplicationTasks, ...): from boto3's dicts (``datetime`` values) or from the raw
    JSON (epoch seconds).  Unknown keys are kept, so a newer API does not break it.

    >>> task = ReplicationTask.model_validate({
    ...     "ReplicationTaskIdentifier": "orders",
    ...     "MigrationType": "cdc",
    ...     "Status": "stopped",
    ...     "RecoveryCheckpoint": "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121",
    ...     "ReplicationTaskStartDate": 1701963531,
    ...     "TableMappings": '{"rules": []}',
    ...     "SomeNewKey": 1,
    ... })
    >>> task.RecoveryCheckpoint.position, task.ReplicationTaskStartDate.isoformat()
    (PostgresLsn('132/F000E48'), '2023-12-07T15:38:51+00:00')
    >>> task.decoded_table_mappings, task.model_extra
    ({'rules': []}, {'SomeNewKey': 1})
    """

    model_config = ConfigDict(extra="allow")

    ReplicationTaskIdentifier: str | None = None
    SourceEndpointArn: str | None = None
    TargetEndpointArn: str | None = None
    ReplicationInstanceArn: str | None = None
    MigrationType: _MigrationType | None = None
    TableMappings: str | None = None
    ReplicationTaskSettings: str | None = None
    Status: str | None = None
    LastFailureMessage: str | None = None
    StopReason: str | None = None
    ReplicationTaskCreationDate: _Timestamp | None = None
    ReplicationTaskStartDate: _Timestamp | None = None
    CdcStartPosition: _StartPosition | None = None
    CdcStopPosition: _StopPosition | None = None
    RecoveryCheckpoint: _Checkpoint | None = None
    ReplicationTaskArn: str | None = None
    ReplicationTaskStats: _Stats | None = None
    TaskData: str | None = None
    TargetReplicationInstanceArn: str | None = None

    @property
    def decoded_settings(self) -> Any:
        """``ReplicationTaskSettings`` decoded from its JSON text (``None`` when absent).

        Raises ``ValueError`` naming the field when the text is not JSON.
        """
        return _decode("ReplicationTaskSettings", self.ReplicationTaskSettings)

    @property
    def decoded_table_mappings(self) -> Any:
        """``TableMappings`` decoded from its JSON text (``None`` when absent).

        Raises ``ValueError`` naming the field when the text is not JSON (the botocore
        examples show ``file://mappingfile.json``, which is the CLI's, not JSON).
        """
        return _decode("TableMappings", self.TableMappings)

    @classmethod
    def from_response(
        cls, response: Mapping[str, Any], *, context: Mapping[str, Any] | None = None
    ) -> ReplicationTask:
        """The task of a response that holds one under ``ReplicationTask`` (StartReplicationTask,
        StopReplicationTask, CreateReplicationTask, ModifyReplicationTask, ...).

        >>> ReplicationTask.from_response({"ReplicationTask": {"Status": "starting"}}).Status
        'starting'
        """
        if not isinstance(response, Mapping) or "ReplicationTask" not in response:
            raise ValueError(
                "expected a response with a 'ReplicationTask' key; for DescribeReplicationTasks "
                "use iter_replication_tasks()"
            )
        return cls.model_validate(response["ReplicationTask"], context=context)


# Keys a DescribeReplicationTasks response may hold besides its tasks.
_DESCRIBE_KEYS = frozenset({"ReplicationTasks", "Marker", "ResponseMetadata"})


def iter_replication_tasks(
    responses: Mapping[str, Any] | Iterable[Mapping[str, Any]],
    *,
    context: Mapping[str, Any] | None = None,
) -> Iterator[ReplicationTask]:
    """Yield the tasks of a ``describe_replication_tasks`` response, or of every page of
    ``client.get_paginator("describe_replication_tasks").paginate(...)``.

    >>> page = {"ReplicationTasks": [{"ReplicationTaskIdentifier": "a"}], "Marker": "m"}
    >>> [t.ReplicationTaskIdentifier for t in iter_replication_tasks([page, page])]
    ['a', 'a']
    """
    pages = [responses] if isinstance(responses, Mapping) else responses
    for page in pages:
        if not isinstance(page, Mapping):
            raise TypeError(
                f"expected a DescribeReplicationTasks response (a dict), not {type(page).__name__}"
            )
        if "ReplicationTasks" not in page and not set(page) <= _DESCRIBE_KEYS:
            raise ValueError(
                "not a DescribeReplicationTasks response: no 'ReplicationTasks' key "
                f"(keys: {', '.join(sorted(map(str, page)))})"
            )
        for task in page.get("ReplicationTasks", ()):
            yield ReplicationTask.model_validate(task, context=context)
