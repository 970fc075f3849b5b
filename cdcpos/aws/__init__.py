"""pydantic models of the DMS task calls, checked against every documented rule.

The requests (:class:`StartReplicationTaskRequest`, :class:`CreateReplicationTaskRequest`,
:class:`ModifyReplicationTaskRequest`) take the API's PascalCase field names (snake_case is
accepted too), reject every documented mistake with a pydantic ``ValidationError`` naming the
field, and give the keyword arguments of the boto3 call with ``to_boto3()``.  The response
object :class:`ReplicationTask` reads what boto3 returns (``datetime`` values) as well as the
raw JSON of the API (epoch seconds), types the CDC positions, and keeps unknown keys.

Importing this module imports pydantic, never boto3: the models produce and read the plain
dicts boto3 takes and returns.

Engine-specific rules need facts the request does not carry; give them in the validation
context: ``source_engine`` (the source endpoint's DMS ``EngineName``), ``migration_type``
(the task's ``MigrationType``) and ``first_run`` (``True`` when the task has never run).

Each field reads its value once (a hostile value costs one rejection, not several), and
every failure is a pydantic ``ValidationError`` whose ``type`` is listed in
:data:`ERROR_TYPES`, never another exception.  There is no lenient mode [decision]: the
models validate what is sent to DMS; read pasted text with ``cdcpos.parse_*(text,
lenient=True)`` first and give the model the value.

>>> from cdcpos.aws import StartReplicationTaskRequest
>>> request = StartReplicationTaskRequest.model_validate({
...     "ReplicationTaskArn": "arn:aws:dms:us-east-1:123456789012:task:RALPZGYI3IUSJCBKKIRBEURKDY",
...     "StartReplicationTaskType": "resume-processing",
...     "CdcStartPosition": "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121",
... }, context={"source_engine": "aurora-postgresql"})
>>> request.CdcStartPosition.position
PostgresLsn('132/F000E48')
>>> request.to_boto3()["CdcStartPosition"]
'checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121'
"""

from __future__ import annotations

try:  # a missing extra names its install line
    import pydantic  # noqa: F401
except ModuleNotFoundError as error:
    from cdcpos._extras import missing_extra

    raise missing_extra(error, "cdcpos.aws", "aws") from None

from cdcpos._pydantic import ERROR_TYPES
from cdcpos.aws._fields import (
    TASK_STATUSES,
    CdcStartPosition,
    CdcStartTime,
    CdcStopPosition,
    MigrationType,
    RecoveryCheckpoint,
    StartReplicationTaskType,
)
from cdcpos.aws._models import (
    CreateReplicationTaskRequest,
    ModifyReplicationTaskRequest,
    ReplicationTask,
    ReplicationTaskStats,
    StartReplicationTaskRequest,
    Tag,
    iter_replication_tasks,
)

__all__ = [
    "ERROR_TYPES",
    "TASK_STATUSES",
    "CdcStartPosition",
    "CdcStartTime",
    "CdcStopPosition",
    "CreateReplicationTaskRequest",
    "MigrationType",
    "ModifyReplicationTaskRequest",
    "RecoveryCheckpoint",
    "ReplicationTask",
    "ReplicationTaskStats",
    "StartReplicationTaskRequest",
    "StartReplicationTaskType",
    "Tag",
    "iter_replication_tasks",
]


# The public models say where users import them from (repr, help(), pickles).
for _name in __all__:
    _value = globals()[_name]
    if isinstance(_value, type):
        _value.__module__ = __name__
del _name, _value
