"""Hypothesis strategies for every kind of AWS DMS CDC position, to test your own tools.

Install with ``pip install "cdcpos[hypothesis]"``.  Once cdcpos is installed,
``st.from_type(cdcpos.PostgresLsn)`` (and every other value class) works too, through the
``hypothesis`` entry point (``cdcpos._hypothesis_plugin``).

What there is:

* **values** of each kind (:func:`postgres_lsns`, :func:`checkpoints`, ...), and of each
  field (:func:`start_positions`, :func:`stop_positions`, :func:`positions`);
* **strings** that cdcpos accepts: :func:`strings` for one kind, in canonical and every
  accepted non-canonical spelling (``000004af/b00000d0`` for ``4AF/B00000D0``), and
  :func:`start_position_strings` and friends for whole fields; :func:`checkpoint_strings`
  per engine shape; :func:`pasted` for what ``lenient=True`` also accepts;
* :func:`start_times` (every ``CdcStartTime`` form), :func:`task_arns` and
  :func:`start_replication_task_requests` (``StartReplicationTask`` keyword dicts);
* ``invalid_*``: near misses, one edit away from a valid string, that cdcpos rejects
  (for testing error paths).

The strings come from the grammar itself (``grammar/cdcpos.lark``) through
:func:`hypothesis.extra.lark.from_lark`: this module holds no second copy of the format
rules.  Only what a regular grammar cannot say is added here, by asking the value
classes: an instant is drawn as a ``datetime`` and written by its class (a digit pattern
almost never spells a real calendar day), an Oracle SCN is kept below 2**64, a token
is kept only when the grammar's lexer reads it as the intended kind, and a checkpoint has
one engine (both positions of one engine family; an opaque position pairs with anything).
With ``engine=``, :func:`checkpoint_strings`, :func:`checkpoints` and
:func:`start_replication_task_requests` draw only what that engine accepts.

The package is split by concept (``_grammar``: the grammar as strategies; ``_strings``,
``_checkpoints``, ``_values``, ``_pasted``, ``_start_times``, ``_requests``, ``_invalid``);
import the public names from ``cdcpos.strategies``.  Every example below is a small
derandomized ``@given`` test: it asserts what holds for every draw, never prints one.

>>> import cdcpos
>>> from hypothesis import given, settings
>>> from cdcpos import strategies
>>> @settings(max_examples=5, deadline=None, derandomize=True)
... @given(strategies.start_position_strings())
... def test_round_trip(text):
...     value = cdcpos.parse_start_position(text)
...     assert cdcpos.parse_start_position(str(value)) == value
>>> test_round_trip()
"""

from __future__ import annotations

try:  # a missing extra names its install line
    import hypothesis  # noqa: F401
except ModuleNotFoundError as error:
    from cdcpos._extras import missing_extra

    raise missing_extra(error, "cdcpos.strategies", "hypothesis") from None

from cdcpos.strategies._checkpoints import checkpoint_strings, checkpoints
from cdcpos.strategies._grammar import CHECKPOINT_POSITION_KINDS, KINDS
from cdcpos.strategies._invalid import (
    invalid_checkpoint_strings,
    invalid_db2_start_from_context_strings,
    invalid_position_strings,
    invalid_start_position_strings,
    invalid_stop_position_strings,
    invalid_strings,
)
from cdcpos.strategies._pasted import pasted
from cdcpos.strategies._requests import start_replication_task_requests, task_arns
from cdcpos.strategies._start_times import invalid_start_times, start_times
from cdcpos.strategies._strings import (
    db2_start_from_context_strings,
    position_strings,
    start_position_strings,
    stop_position_strings,
    strings,
)
from cdcpos.strategies._values import (
    commit_times,
    dates,
    db2_lris,
    db2_nows,
    db2_start_from_contexts,
    db2_timestamps,
    mysql_binlog_positions,
    mysql_stream_positions,
    opaque_positions,
    oracle_scns,
    oracle_stream_positions,
    positions,
    postgres_lsns,
    server_times,
    sqlserver_lsns,
    start_positions,
    stop_positions,
    values,
    values_of_type,
)

__all__ = [
    "CHECKPOINT_POSITION_KINDS",
    "KINDS",
    "checkpoint_strings",
    "checkpoints",
    "commit_times",
    "dates",
    "db2_lris",
    "db2_nows",
    "db2_start_from_context_strings",
    "db2_start_from_contexts",
    "db2_timestamps",
    "invalid_checkpoint_strings",
    "invalid_db2_start_from_context_strings",
    "invalid_position_strings",
    "invalid_start_position_strings",
    "invalid_start_times",
    "invalid_stop_position_strings",
    "invalid_strings",
    "mysql_binlog_positions",
    "mysql_stream_positions",
    "opaque_positions",
    "oracle_scns",
    "oracle_stream_positions",
    "pasted",
    "position_strings",
    "positions",
    "postgres_lsns",
    "server_times",
    "sqlserver_lsns",
    "start_position_strings",
    "start_positions",
    "start_replication_task_requests",
    "start_times",
    "stop_position_strings",
    "stop_positions",
    "strings",
    "task_arns",
    "values",
    "values_of_type",
]
