"""The request fields as annotated types: every form each field takes, read by cdcpos."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Literal

from cdcpos import (
    Checkpoint,
    Position,
    StopPosition,
    parse_checkpoint,
    parse_start_position,
    parse_stop_position,
)
from cdcpos._pydantic import (
    PositionField,
    StartTimeField,
    TimestampField,
)

# ====================================================================== field types

#: ``CdcStartPosition``: a date, a recovery checkpoint or a native position (LSN, SCN,
#: binlog position), checked against the context's ``source_engine`` when one is given.
CdcStartPosition = Annotated[
    Position,
    PositionField("CdcStartPosition", parse_start_position, ("start_position",), True),
]
#: ``CdcStopPosition``: ``server_time:<date>`` or ``commit_time:<date>``.
CdcStopPosition = Annotated[
    StopPosition,
    PositionField("CdcStopPosition", parse_stop_position, ("stop_position",), False),
]
#: ``RecoveryCheckpoint``: a checkpoint, kept byte for byte as DMS wrote it.
RecoveryCheckpoint = Annotated[
    Checkpoint,
    PositionField("RecoveryCheckpoint", parse_checkpoint, ("checkpoint",), True),
]
#: ``CdcStartTime``: an aware UTC ``datetime`` from a datetime, epoch seconds or ISO 8601.
CdcStartTime = Annotated[datetime, StartTimeField()]

StartReplicationTaskType = Literal["start-replication", "resume-processing", "reload-target"]
MigrationType = Literal["full-load", "cdc", "full-load-and-cdc"]

#: The task statuses the DMS API reference documents (``Status`` accepts any string, so
#: that a status added later does not break reading a task).
TASK_STATUSES = (
    "moving",
    "creating",
    "deleting",
    "failed",
    "failed-move",
    "modifying",
    "ready",
    "running",
    "starting",
    "stopped",
    "stopping",
    "testing",
)

# Private names for the annotations: a field called CdcStartPosition (with a default) must
# not resolve its annotation to its own default.
_StartPosition = CdcStartPosition
_StopPosition = CdcStopPosition
_Checkpoint = RecoveryCheckpoint
_StartTime = CdcStartTime
_Timestamp = Annotated[datetime, TimestampField()]
_MigrationType = MigrationType
