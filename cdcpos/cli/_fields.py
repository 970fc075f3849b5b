"""The fields of a value: ``fields_of`` (JSON-ready data) and the JSON text of the same
fields written directly per class (what ``cdcpos parse`` prints)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime
from json.encoder import encode_basestring
from typing import Any

import cdcpos
from cdcpos.cli._checkpoint_json import checkpoint_fields_json
from cdcpos.cli._common import Value


def _nested(value: cdcpos.Position | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"kind": value.kind, "canonical": str(value), "fields": fields_of(value)}


def _integer_fields(value: Any) -> dict[str, Any]:
    return {"value": int(value)}


def _sqlserver_fields(value: cdcpos.SqlServerLsn) -> dict[str, Any]:
    return {
        "value": int(value),
        "virtual_log_file": value.virtual_log_file,
        "block": value.block,
        "slot": value.slot,
    }


def _instant_fields(value: Any) -> dict[str, Any]:
    return {"value": value.value.isoformat()}


def _clock_fields(value: cdcpos.StopPosition) -> dict[str, Any]:
    return {"clock": value.clock, "value": value.value.isoformat()}


def _no_fields(value: Any) -> dict[str, Any]:
    return {}


def _binlog_fields(value: cdcpos.MySqlBinlogPosition) -> dict[str, Any]:
    return {
        "file": value.file,
        "stem": value.stem,
        "sequence": value.sequence,
        "offset": value.offset,
    }


def _mysql_stream_fields(value: cdcpos.MySqlStreamPosition) -> dict[str, Any]:
    return {
        "binlog_position": _nested(value.binlog_position),
        "transaction_id": value.transaction_id,
        "opaque_fields": list(value.opaque_fields),
        "second_binlog_position": _nested(value.second_binlog_position),
    }


def _oracle_stream_fields(value: cdcpos.OracleStreamPosition) -> dict[str, Any]:
    return {"groups": list(value.groups), "inferred_scn": _nested(value.inferred_scn)}


def _opaque_fields(value: cdcpos.OpaquePosition) -> dict[str, Any]:
    return {"text": value.text}


def _checkpoint_fields(value: cdcpos.Checkpoint) -> dict[str, Any]:
    return {
        "version": value.version,
        "counters": list(value.counters),
        "engine_kind": value.engine_kind,
        "position": _nested(value.position),
        "second_position": _nested(value.second_position),
    }


def _start_time_fields(value: datetime) -> dict[str, Any]:
    return {"epoch_seconds": cdcpos.to_epoch_seconds(value)}


_FIELD_READERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    cdcpos.PostgresLsn: _integer_fields,
    cdcpos.OracleScn: _integer_fields,
    cdcpos.Db2Lri: _integer_fields,
    cdcpos.SqlServerLsn: _sqlserver_fields,
    cdcpos.DatePosition: _instant_fields,
    cdcpos.Db2Timestamp: _instant_fields,
    cdcpos.ServerTime: _clock_fields,
    cdcpos.CommitTime: _clock_fields,
    cdcpos.Db2Now: _no_fields,
    cdcpos.MySqlBinlogPosition: _binlog_fields,
    cdcpos.MySqlStreamPosition: _mysql_stream_fields,
    cdcpos.OracleStreamPosition: _oracle_stream_fields,
    cdcpos.OpaquePosition: _opaque_fields,
    cdcpos.Checkpoint: _checkpoint_fields,
    datetime: _start_time_fields,
}


def fields_of(value: cdcpos.Position | datetime) -> dict[str, Any]:
    """The public fields of a value as JSON-ready data: the ``fields`` of ``cdcpos parse``.

    Integers stay integers (LSNs and SCNs can exceed 2**53: read them with a JSON parser
    that keeps big integers, or use ``canonical``).  A position inside a value (a
    checkpoint's) appears as ``{"kind": ..., "canonical": ..., "fields": ...}``.  A
    ``CdcStartTime`` (an aware UTC ``datetime``) gives its epoch seconds.

    >>> import cdcpos
    >>> from cdcpos.cli import fields_of
    >>> fields_of(cdcpos.parse("00000014:00000061:0001"))
    {'value': 5629499540570113, 'virtual_log_file': 20, 'block': 97, 'slot': 1}
    >>> ck = fields_of(cdcpos.parse("checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121"))
    >>> ck["version"], ck["counters"], ck["engine_kind"], ck["second_position"]
    (1, [34, 0, 0, 0, 121], 'postgres_lsn', None)
    >>> ck["position"]
    {'kind': 'postgres_lsn', 'canonical': '132/F000E48', 'fields': {'value': 1314511654472}}
    """
    for cls in type(value).__mro__:
        reader = _FIELD_READERS.get(cls)
        if reader is not None:
            return reader(value)
    raise TypeError(f"fields_of takes a cdcpos value, not {type(value).__name__}")


def kind_of(value: Value) -> str:
    return "start_time" if isinstance(value, datetime) else str(value.kind)


def canonical(value: Value) -> str:
    if isinstance(value, datetime):
        # parse_start_time returns aware UTC datetimes: ISO 8601 with Z, as AWS prints.
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


# The JSON text of `fields`, written directly per class: serializing is most of the CLI's
# own cost per line, and building dicts for json.dumps costs two to three times as much.
# The tests check every class against ENCODE(fields_of(value)), key order included.
ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
quote_json = encode_basestring


def _integer_json(value: Any) -> str:
    return f'{{"value":{int(value)}}}'


def _sqlserver_json(value: cdcpos.SqlServerLsn) -> str:
    return (
        f'{{"value":{int(value)},"virtual_log_file":{value.virtual_log_file},'
        f'"block":{value.block},"slot":{value.slot}}}'
    )


def _instant_json(value: Any) -> str:
    return f'{{"value":"{value.value.isoformat()}"}}'


def _clock_json(value: cdcpos.StopPosition) -> str:
    return f'{{"clock":"{value.clock}","value":"{value.value.isoformat()}"}}'


def _no_fields_json(value: Any) -> str:
    return "{}"


def _binlog_json(value: cdcpos.MySqlBinlogPosition) -> str:
    return (
        f'{{"file":{quote_json(value.file)},"stem":{quote_json(value.stem)},'
        f'"sequence":{value.sequence},"offset":{value.offset}}}'
    )


def _nested_json(value: cdcpos.Position | None) -> str:
    if value is None:
        return "null"
    return (
        f'{{"kind":"{value.kind}","canonical":{quote_json(str(value))},'
        f'"fields":{FIELDS_JSON[type(value)](value)}}}'
    )


def _mysql_stream_json(value: cdcpos.MySqlStreamPosition) -> str:
    third, fourth = value.opaque_fields
    return (
        f'{{"binlog_position":{_nested_json(value.binlog_position)},'
        f'"transaction_id":{value.transaction_id},"opaque_fields":[{third},{fourth}],'
        f'"second_binlog_position":{_nested_json(value.second_binlog_position)}}}'
    )


def _oracle_stream_json(value: cdcpos.OracleStreamPosition) -> str:
    groups = ",".join(map(str, value.groups))
    return f'{{"groups":[{groups}],"inferred_scn":{_nested_json(value.inferred_scn)}}}'


def _opaque_json(value: cdcpos.OpaquePosition) -> str:
    return f'{{"text":{quote_json(value.text)}}}'


def _checkpoint_json(value: cdcpos.Checkpoint) -> str:
    counters = ",".join(map(str, value.counters))
    position = value.position
    return (
        f'{{"version":{value.version},"counters":[{counters}],"engine_kind":"{position.kind}",'
        f'"position":{_nested_json(position)},'
        f'"second_position":{_nested_json(value.second_position)}}}'
    )


def _checkpoint_json_from_text(value: cdcpos.Checkpoint) -> str:
    # Straight from the text: decoding a checkpoint into objects costs several times
    # its parse (see cdcpos.cli._checkpoint_json).
    return checkpoint_fields_json(str(value)) or _checkpoint_json(value)


FIELDS_JSON: dict[type, Callable[[Any], str]] = {
    cdcpos.PostgresLsn: _integer_json,
    cdcpos.OracleScn: _integer_json,
    cdcpos.Db2Lri: _integer_json,
    cdcpos.SqlServerLsn: _sqlserver_json,
    cdcpos.DatePosition: _instant_json,
    cdcpos.Db2Timestamp: _instant_json,
    cdcpos.ServerTime: _clock_json,
    cdcpos.CommitTime: _clock_json,
    cdcpos.Db2Now: _no_fields_json,
    cdcpos.MySqlBinlogPosition: _binlog_json,
    cdcpos.MySqlStreamPosition: _mysql_stream_json,
    cdcpos.OracleStreamPosition: _oracle_stream_json,
    cdcpos.OpaquePosition: _opaque_json,
    cdcpos.Checkpoint: _checkpoint_json_from_text,
}
