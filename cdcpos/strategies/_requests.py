"""``StartReplicationTask`` requests and task ARNs."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import cdcpos
from cdcpos._engines import KIND_FAMILY, NO_TIME_START, family_of_engine
from cdcpos.strategies._checkpoints import checkpoint_strings
from cdcpos.strategies._start_times import (
    _FIRST_START,
    _LAST_SECOND,
    _LAST_START,
)
from cdcpos.strategies._strings import (
    start_position_strings,
    stop_position_strings,
    strings,
)

# ====================================================================== StartReplicationTask

_PARTITIONS = ("aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b")
_TASK_TYPES = ("start-replication", "resume-processing", "reload-target")


def task_arns() -> SearchStrategy[str]:
    """DMS task ARNs: ``arn:<partition>:dms:<region>:<account>:task:<id>``, with a
    generated (26 or 39 upper-case alphanumerics) or custom (``ResourceIdentifier``) id.

    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.task_arns())
    ... def test_arn(arn):
    ...     prefix, partition, service, region, account, resource, task_id = arn.split(":")
    ...     assert (prefix, service, resource) == ("arn", "dms", "task")
    ...     assert partition.startswith("aws") and len(account) == 12 and task_id[0].isalnum()
    >>> test_arn()
    """
    return _task_arns()


@cache
def _task_arns() -> SearchStrategy[str]:
    # Built once: every from_regex is compiled on first draw, per strategy object.
    generated = st.from_regex(r"[A-Z0-9]{26}|[A-Z0-9]{39}", fullmatch=True)
    # A custom id: a letter first, no '--', no '-' last, at most 31 characters.
    custom = st.from_regex(r"[A-Za-z](?:-?[A-Za-z0-9]){0,30}", fullmatch=True).filter(
        lambda s: len(s) <= 31
    )
    return st.builds(
        "arn:{}:dms:{}:{}:task:{}".format,
        st.sampled_from(_PARTITIONS),
        st.from_regex(r"[a-z]{2}-[a-z]{4,9}-[1-9]", fullmatch=True),
        st.from_regex(r"[0-9]{12}", fullmatch=True),
        st.one_of(custom, generated),
    )


def start_replication_task_requests(*, engine: str | None = None) -> SearchStrategy[dict[str, Any]]:
    """Keyword dicts for ``StartReplicationTask`` (boto3 ``start_replication_task(**d)``).

    ``ReplicationTaskArn`` and ``StartReplicationTaskType`` always; at most one of
    ``CdcStartPosition`` (a string cdcpos accepts) and ``CdcStartTime`` (a ``datetime``
    or epoch seconds), since DMS rejects both together; optionally ``CdcStopPosition``.
    With ``engine`` (a DMS ``EngineName``), every request is one that engine accepts:
    start positions are ones that engine writes (its native positions, its checkpoints,
    dates) and, for the engines that cannot start from a time (PostgreSQL, DocumentDB),
    neither a date position nor a ``CdcStartTime``.

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=10, deadline=None, derandomize=True)
    ... @given(strategies.start_replication_task_requests(engine="postgres"))
    ... def test_postgres(request):
    ...     assert "CdcStartTime" not in request
    ...     if "CdcStartPosition" in request:
    ...         position = cdcpos.parse_start_position(request["CdcStartPosition"], engine="postgres")
    ...         assert position.kind in ("postgres_lsn", "checkpoint")
    >>> test_postgres()
    """
    return _requests(engine)


@cache
def _requests(engine: str | None) -> SearchStrategy[dict[str, Any]]:
    time_start = True
    start_texts = start_position_strings()
    if engine is not None:
        family = family_of_engine(engine, field="engine", text=engine)  # unknown: fails now
        time_start = family not in NO_TIME_START
        start_texts = _start_texts_of(family, engine, time_start)
    # DMS takes whole seconds (botocore drops microseconds on the wire).
    wire_times = st.one_of(
        st.datetimes(min_value=_FIRST_START, max_value=_LAST_START, timezones=st.just(UTC)).map(
            lambda d: d.replace(microsecond=0)
        ),
        st.integers(min_value=0, max_value=_LAST_SECOND),
    )
    starts: list[SearchStrategy[dict[str, Any]]] = [
        st.just({}),
        start_texts.map(lambda s: {"CdcStartPosition": s}),
    ]
    if time_start:
        starts.append(wire_times.map(lambda t: {"CdcStartTime": t}))
    start: SearchStrategy[dict[str, Any]] = st.one_of(starts)
    stop: SearchStrategy[dict[str, Any]] = st.one_of(
        st.just({}), stop_position_strings().map(lambda s: {"CdcStopPosition": s})
    )
    base = st.fixed_dictionaries(
        {
            "ReplicationTaskArn": task_arns(),
            "StartReplicationTaskType": st.sampled_from(_TASK_TYPES),
        }
    )
    return st.builds(lambda b, s, e: {**b, **s, **e}, base, start, stop)


@cache
def _start_texts_of(family: str, engine: str, time_start: bool) -> SearchStrategy[str]:
    """``CdcStartPosition`` strings an engine accepts, drawn by shape (not by filtering
    every shape, which would almost never draw an opaque checkpoint for ``mongodb``)."""
    native = [
        strings(kind)
        for kind in ("mysql_binlog", "postgres_lsn", "sqlserver_lsn", "oracle_scn")
        if KIND_FAMILY[kind] == family
    ]
    dates = [strings("date")] if time_start else []
    texts = st.one_of(*native, *dates, checkpoint_strings(engine=engine))
    # The parser has the last word (it rejects next to nothing drawn above).
    return texts.filter(_accepted_for_engine(engine))


def _accepted_for_engine(engine: str) -> Callable[[str], bool]:
    def accepted(text: str) -> bool:
        try:
            cdcpos.parse_start_position(text, engine=engine)
        except cdcpos.InvalidPosition:
            return False
        return True

    return accepted
