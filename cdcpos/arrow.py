"""Columns of positions as Arrow: ``cdcpos.arrow.parse`` (``pip install 'cdcpos[arrow]'``).

``parse(values)`` reads a column of strings (a pyarrow ``Array``/``ChunkedArray`` of
``string``, ``large_string`` or ``string_view``, or a dictionary of them, or any iterable
of ``str``) and returns
one ``pyarrow.StructArray`` row per input row; a null gives a null row.  Most rows are
decided without a Python call per row: the kind by the grammar's portable expressions
(RE2), the fields by string kernels.  The rows that path does not accept go through
``cdcpos.parse_many`` itself, so an invalid row carries exactly the message
``cdcpos.parse`` gives, and bad input never raises: it is reported row by row.

The children of the struct:

=====================  ============================  ==========================================
child                  type                          value
=====================  ============================  ==========================================
``valid``              bool                          the row parses (never null under a row)
``kind``               dictionary<int8, string>      ``value.kind``: ``checkpoint``, ``date``,
                                                     ``postgres_lsn``, ... (null when invalid)
``position_kind``      dictionary<int8, string>      a checkpoint's ``engine_kind`` (the kind of
                                                     its position: ``postgres_lsn``,
                                                     ``mysql_stream``, ``opaque``, ...); else
                                                     ``kind``
``canonical``          string                        ``str(value)``: a checkpoint's exact text
``sort_key``           binary                        ``cdcpos.sort_bytes(value)``: byte order is
                                                     ``cdcpos.sort_key`` order, domain first
``error``              string                        the message of ``cdcpos.parse`` (of the
                                                     entry ``kind`` names); null when valid
``lsn``                uint64                        a PostgreSQL LSN, native or a checkpoint's
                                                     position (``int(lsn)``)
``scn``                uint64                        a native Oracle SCN
``binlog_file``        string                        a MySQL binlog position's file, native or
                                                     a checkpoint's (for a 7-field MySQL
                                                     checkpoint position, its first position)
``binlog_sequence``    uint64                        that file's sequence number
``binlog_offset``      uint64                        that position's offset
``time``               timestamp[s] (naive, UTC)     a date, ``server_time``, ``commit_time``
                                                     or Db2 ``timestamp:`` value
``checkpoint_version`` uint64                        a checkpoint's ``version``
``checkpoint_counters`` fixed_size_list<int64>[5]    a checkpoint's ``counters``
``second_position_kind`` dictionary<int8, string>    kind of a checkpoint's second position
                                                     (null for ``*``)
=====================  ============================  ==========================================

A typed child is null where it does not apply, and where the number does not fit its
type (a counter beyond 64 bits): ``canonical`` and ``sort_key`` stay exact.  Typed
children cost about 90 bytes a row; the text children (``canonical``, ``sort_key``,
``error``, ``binlog_file``) about the length of the input each.

A large column is split into slices parsed on several threads at once (pyarrow's
kernels and numpy release the GIL; the rows come back in order, the same as on one
thread): as many threads as the cores this process may use, at most 8, and one per
32,768 rows at most, so a small batch starts none.  ``set_threads(n)`` (or the
environment variable ``CDCPOS_THREADS``) chooses another count; ``set_threads(1)`` runs
everything in the calling thread (say, under a framework that runs batches in parallel
itself).

``kind`` is the entry point, as for ``cdcpos.parse_many`` (``None``: any position,
``'start'``, ``'stop'``, ``'checkpoint'``, ``'db2-context'``); ``engine`` rejects the
values that DMS engine cannot have written; ``lenient=True`` first removes what pasting
adds (whitespace, quotes).

>>> import cdcpos.arrow
>>> column = cdcpos.arrow.parse(["0/16B3748", "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
...                              "4AF/B00000DZ", None])
>>> column.field("kind").to_pylist()
['postgres_lsn', 'checkpoint', None, None]
>>> column.field("lsn").to_pylist()
[23803720, 5152618578128, None, None]
>>> column.field("error")[2].as_py()
"Invalid position '4AF/B00000DZ': unexpected 'Z' at column 12 (expected a hex digit or end of input)"
>>> column.field("sort_key")[0].as_py() == cdcpos.sort_bytes(cdcpos.parse("0/16B3748"))
True
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from cdcpos._extras import require

require("arrow", "pyarrow", "numpy")

from cdcpos import _columnar  # noqa: E402  (after the check that names the extra)

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["SCHEMA", "parse", "set_threads"]

#: The type of the struct column ``parse`` returns.
SCHEMA = _columnar.STRUCT_TYPE


def parse(
    values: Any,
    *,
    kind: str | None = None,
    engine: str | None = None,
    lenient: bool = False,
) -> pa.StructArray:
    """Parse a column of strings into a struct column (schema in the module docstring).

    ``TypeError`` when the column does not hold strings (or an item of an iterable is
    not a ``str`` or ``None``); ``ValueError`` for an unknown ``kind``.  A string that
    is not a position is never an exception: its row has ``valid=false`` and ``error``.

    >>> import pyarrow as pa, cdcpos.arrow
    >>> rows = cdcpos.arrow.parse(pa.array(["mysql-bin.000112:4", "nope"]))
    >>> rows.field("valid").to_pylist(), rows.field("binlog_offset").to_pylist()
    ([True, False], [4, None])
    """
    return _columnar.parse_column(values, kind=kind, engine=engine, lenient=lenient)


def set_threads(count: int | None) -> None:
    """Parse a large column on ``count`` threads (``1``: in the calling thread only);
    ``None`` restores the default (the cores this process may use, at most 8, unless the
    environment variable ``CDCPOS_THREADS`` says otherwise).  It applies to
    ``cdcpos.arrow``, ``cdcpos.polars`` and ``cdcpos.spark`` alike; ``ValueError`` for
    anything but a positive int or ``None``.

    >>> import cdcpos.arrow
    >>> cdcpos.arrow.set_threads(1)
    >>> cdcpos.arrow.set_threads(None)
    """
    _columnar.set_threads(count)
