"""What each position kind inside a checkpoint gives: its check and its build."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdcpos import _fastpath
from cdcpos._columnar.encode import (
    _all,
    _be_to_u64,
    _bin,
    _encode_ints,
    _encode_magnitudes,
    _encode_str,
    _encode_u64,
    _fixed,
    _hex_bytes,
    _join,
    _signed_ok,
    _split,
    _to_i64,
    _to_u64,
    _uint_fields,
)
from cdcpos._rules import CHECKPOINT_POSITION_KINDS
from cdcpos._sort_bytes import (
    END,
    TUPLE,
)

# A kind's *check* says which of its rows the vectorized path can build (the others go
# to the exact path); its *build* gives the children of those rows (``values``).  Positions
# inside a checkpoint have the same pair, building a domain and a key instead of whole rows.

POSITION_PATTERNS = tuple(
    (CHECKPOINT_POSITION_KINDS[terminal], pattern)
    for terminal, pattern in _fastpath.PORTABLE_CHECKPOINT_POSITION_PATTERNS
)


@dataclass
class _Position:
    domain: Any  # bytes (one domain for all) or a binary column
    key: pa.Array  # the encoded key, binary
    children: dict[str, Any]


def _lsn_values(texts: pa.Array) -> tuple[np.ndarray, pa.Array, pa.Array]:
    high, low = _split(texts, "/", 2)
    values = []
    canonical = []
    for part in (high, low):
        values.append(_be_to_u64(_hex_bytes(_fixed(pc.utf8_lpad(part, 8, "0"), 8))))
        trimmed = pc.utf8_ltrim(part, "0")
        canonical.append(pc.utf8_upper(pc.if_else(pc.equal(trimmed, ""), "0", trimmed)))
    return (values[0] << np.uint64(32)) | values[1], canonical[0], canonical[1]


def _postgres_position(texts: pa.Array) -> _Position:
    lsn, _, _ = _lsn_values(texts)
    return _Position(b"postgres_lsn", _encode_u64(lsn), {"lsn": pa.array(lsn, pa.uint64())})


def _sqlserver_key(texts: pa.Array) -> pa.Array:
    matrix = _fixed(texts, 22)
    digits = np.hstack([matrix[:, 0:8], matrix[:, 9:17], matrix[:, 18:22]])
    return _encode_magnitudes(_hex_bytes(digits))


def _sqlserver_position(texts: pa.Array) -> _Position:
    return _Position(b"sqlserver_lsn", _sqlserver_key(texts), {})


def _binlog_check(texts: pa.Array) -> np.ndarray:
    file, offset = _split(texts, ":", 2, reverse=True)
    _, sequence = _split(file, ".", 2, reverse=True)
    return np.asarray(_uint_fields(offset)[0] & _uint_fields(sequence)[0])


def _binlog_parts(file: pa.Array, offset: pa.Array) -> tuple[pa.Array, pa.Array, dict[str, Any]]:
    """(stem, encoded key, typed children) of binlog positions given as file and offset."""
    stem, sequence = _split(file, ".", 2, reverse=True)
    sequence_values = _to_u64(_uint_fields(sequence)[1])
    offset_digits = _uint_fields(offset)[1]
    offset_values = _to_u64(offset_digits)
    key = _join(
        bytes((TUPLE,)),
        _encode_ints([sequence_values, offset_values]),
        _encode_str(file),
        bytes((END,)),
    )
    children = {
        "binlog_file": file,
        "binlog_sequence": pa.array(sequence_values, pa.uint64()),
        "binlog_offset": pa.array(offset_values, pa.uint64()),
        "_offset_text": offset_digits,
    }
    return stem, key, children


def _binlog_position(texts: pa.Array) -> _Position:
    file, offset = _split(texts, ":", 2, reverse=True)
    stem, key, children = _binlog_parts(file, offset)
    return _Position(_join(b"mysql_binlog:", _bin(stem)), key, children)


def _stream_check(texts: pa.Array) -> np.ndarray:
    parts = _split(texts, ":", 7)
    ok = _binlog_check(pc.binary_join_element_wise(parts[0], parts[1], ":"))
    ok &= _binlog_check(pc.binary_join_element_wise(parts[5], parts[6], ":"))
    ok &= _signed_ok(parts[2]) & _signed_ok(parts[3]) & _uint_fields(parts[4])[0]
    return ok


def _stream_position(texts: pa.Array) -> _Position:
    file, offset, third, fourth, transaction, second_file, second_offset = _split(texts, ":", 7)
    stem, first_key, children = _binlog_parts(file, offset)
    _, second_key, _ = _binlog_parts(second_file, second_offset)
    key = _join(
        bytes((TUPLE,)),
        first_key,
        _encode_ints([_to_i64(third), _to_i64(fourth), _to_u64(_uint_fields(transaction)[1])]),
        second_key,
        bytes((END,)),
    )
    return _Position(_join(b"mysql_stream:", _bin(stem)), key, children)


def _oracle_stream_check(texts: pa.Array) -> np.ndarray:
    _, decimals = _split(texts, ":", 2)
    ok = _all(len(texts))
    for part in _split(decimals, ".", 3):
        ok &= _uint_fields(part)[0]
    return ok


_ORACLE_HEX_GROUPS = ((0, 8), (9, 17), (18, 26), (27, 31), (32, 34), (35, 39))


def _oracle_stream_position(texts: pa.Array) -> _Position:
    hexes, decimals = _split(texts, ":", 2)
    matrix = _fixed(hexes, 39)
    groups = [_be_to_u64(_hex_bytes(matrix[:, a:b])) for a, b in _ORACLE_HEX_GROUPS]
    groups += [_to_u64(_uint_fields(p)[1]) for p in _split(decimals, ".", 3)]
    return _Position(
        b"oracle_stream", _join(bytes((TUPLE,)), _encode_ints(groups), bytes((END,))), {}
    )


def _opaque_position(texts: pa.Array) -> _Position:
    return _Position(b"opaque", _encode_str(texts), {})


_POSITIONS: dict[
    str, tuple[Callable[[pa.Array], np.ndarray] | None, Callable[[pa.Array], _Position]]
] = {
    "postgres_lsn": (None, _postgres_position),
    "sqlserver_lsn": (None, _sqlserver_position),
    "oracle_stream": (_oracle_stream_check, _oracle_stream_position),
    "mysql_stream": (_stream_check, _stream_position),
    "mysql_binlog": (_binlog_check, _binlog_position),
    "opaque": (None, _opaque_position),
}
