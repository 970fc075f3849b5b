"""DMS source engines (``EngineName``) and the position kinds each one writes.

The names are the ``EngineName`` values of the botocore DMS service model
(``CreateEndpointMessage.EngineName``) that can be the source of a CDC task [doc].
"""

from __future__ import annotations

from cdcpos._errors import InvalidPosition

__all__ = ["ENGINE_FAMILIES", "SOURCE_ENGINES", "describe_kind", "family_of_engine"]

# family -> engine names.  A family is the set of engines that write one position form.
ENGINE_FAMILIES: dict[str, tuple[str, ...]] = {
    "mysql": ("mysql", "mariadb", "aurora", "aurora-serverless", "gcp-mysql"),
    "postgres": ("postgres", "aurora-postgresql", "aurora-postgresql-serverless"),
    "sqlserver": ("sqlserver", "azuredb", "azure-sql-managed-instance"),
    "oracle": ("oracle",),
    "db2": ("db2", "db2-zos"),
    "sybase": ("sybase",),
    "mongodb": ("mongodb",),
    "docdb": ("docdb",),
    "s3": ("s3",),
}
SOURCE_ENGINES: tuple[str, ...] = tuple(e for names in ENGINE_FAMILIES.values() for e in names)
_FAMILY_OF = {engine: family for family, names in ENGINE_FAMILIES.items() for engine in names}

# Engine names the service model lists that are only ever targets.
TARGET_ONLY_ENGINES = frozenset(
    {
        "redshift", "redshift-serverless", "opensearch", "elasticsearch", "dynamodb",
        "kinesis", "kafka", "neptune", "babelfish", "redis", "dms-transfer",
    }
)  # fmt: skip

# position kind -> family that writes it (kinds absent here belong to no engine).
KIND_FAMILY: dict[str, str] = {
    "mysql_binlog": "mysql",
    "mysql_stream": "mysql",
    "postgres_lsn": "postgres",
    "sqlserver_lsn": "sqlserver",
    "oracle_scn": "oracle",
    "oracle_stream": "oracle",
}

#: The position shapes each family writes inside checkpoints (families absent here write
#: shapes cdcpos does not know: their checkpoints hold opaque positions).
CHECKPOINT_SHAPES: dict[str, tuple[str, ...]] = {
    "mysql": ("mysql_binlog", "mysql_stream"),
    "postgres": ("postgres_lsn",),
    "sqlserver": ("sqlserver_lsn",),
    "oracle": ("oracle_stream",),
}

_KIND_NAMES = {
    "date": "a date",
    "checkpoint": "a recovery checkpoint",
    "mysql_binlog": "a MySQL binlog position",
    "mysql_stream": "a MySQL stream position",
    "postgres_lsn": "a PostgreSQL LSN",
    "sqlserver_lsn": "a SQL Server LSN",
    "oracle_scn": "an Oracle SCN",
    "oracle_stream": "an Oracle stream position",
    "opaque": "an opaque position",
    "server_time": "a server_time stop position",
    "commit_time": "a commit_time stop position",
    "db2_lri": "a Db2 LRI",
    "db2_timestamp": "a Db2 timestamp",
    "db2_now": "Db2 NOW",
}

# Engines whose sources DMS documents cannot start from a time [doc]: a date
# CdcStartPosition and a CdcStartTime are rejected with the same reason.
NO_TIME_START = {
    "postgres": "PostgreSQL sources do not support a custom CDC start time (DMS user guide); "
    "start from a checkpoint or an LSN (CdcStartPosition)",
    "docdb": "DocumentDB sources do not support a timestamp start (DMS user guide); "
    "start from a checkpoint (CdcStartPosition)",
}


def describe_kind(kind: str) -> str:
    return _KIND_NAMES.get(kind, kind)


def family_of_engine(engine: str, *, field: str, text: str | None) -> str:
    """The family of a DMS ``EngineName``; an unknown name is an ``InvalidPosition``, a
    name that is not a ``str`` a ``TypeError``."""
    if not isinstance(engine, str):
        raise TypeError(f"engine must be a str (a DMS EngineName), not {type(engine).__name__}")
    engine = str.__str__(engine)  # a str subclass by its text
    name = engine.strip().lower()
    family = _FAMILY_OF.get(name)
    if family is not None:
        return family
    known = ", ".join(SOURCE_ENGINES)
    if name in TARGET_ONLY_ENGINES:
        reason = f"engine {engine!r} is a DMS target engine, not a CDC source"
    else:
        reason = f"unknown engine {engine!r}"
    raise InvalidPosition(reason, field=field, text=text, hint=f"known source engines: {known}")
