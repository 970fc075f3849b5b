"""The columnar engine behind ``cdcpos.arrow``, ``cdcpos.polars`` and ``cdcpos.spark``.

One batch of strings becomes one Arrow struct column in two passes:

1. **The vectorized path** decides most rows without a Python call per row.  The kind
   of a row is the first of its entry's value rules whose *portable* expression (derived
   from the grammar by ``cdcpos._generate``, run by RE2 through ``pyarrow.compute``)
   matches it, exactly as ``match.lastgroup`` of the derived expression names it; then
   the checks a regular grammar cannot express (a real calendar day, an SCN below 2**64)
   run on integer columns, and each kind's fields, canonical text and sort key are cut
   from the text with string kernels and numpy (fixed-width hex and decimal fields).
2. **The exact path** takes every row the first one did not accept: it is
   ``cdcpos.parse_many`` itself, so a rejected row carries the message ``cdcpos.parse``
   gives, and a row the vectorized path leaves to it on purpose (a number beyond 64
   bits, an hour ``24``, text ``lenient=True`` must clean, a kind the ``engine`` rejects)
   gets exactly the object path's answer.

So the result never depends on the vectorized path being complete, only on it being
right where it answers; ``tests/test_arrow.py`` proves that on strings generated from
the grammar, mutated, and real ones, against ``parse_many`` and ``cdcpos.sort_bytes``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import cdcpos
from cdcpos import _fastpath
from cdcpos._sort_bytes import (
    DATETIME,
    END,
    NEGATIVE,
    NON_NEGATIVE,
    STRING,
    STRING_END,
    TUPLE,
    sort_bytes,
)

# ---------------------------------------------------------------- the schema

#: Every kind a row or a checkpoint's position can have: one dictionary for all kind children.
KIND_NAMES = (
    "date",
    "checkpoint",
    "mysql_binlog",
    "postgres_lsn",
    "sqlserver_lsn",
    "oracle_scn",
    "server_time",
    "commit_time",
    "db2_timestamp",
    "db2_now",
    "db2_lri",
    "mysql_stream",
    "oracle_stream",
    "opaque",
)
_KIND_CODE = {name: code for code, name in enumerate(KIND_NAMES)}
_KIND_DICTIONARY = pa.array(KIND_NAMES, pa.string())
KIND_TYPE = pa.dictionary(pa.int8(), pa.string())
COUNTERS = 5

FIELDS = (
    pa.field("valid", pa.bool_(), nullable=False),
    pa.field("kind", KIND_TYPE),
    pa.field("position_kind", KIND_TYPE),
    pa.field("canonical", pa.string()),
    pa.field("sort_key", pa.binary()),
    pa.field("error", pa.string()),
    pa.field("lsn", pa.uint64()),
    pa.field("scn", pa.uint64()),
    pa.field("binlog_file", pa.string()),
    pa.field("binlog_sequence", pa.uint64()),
    pa.field("binlog_offset", pa.uint64()),
    pa.field("time", pa.timestamp("s")),
    pa.field("checkpoint_version", pa.uint64()),
    pa.field("checkpoint_counters", pa.list_(pa.int64(), COUNTERS)),
    pa.field("second_position_kind", KIND_TYPE),
)
TYPES = {f.name: f.type for f in FIELDS}
STRUCT_TYPE = pa.struct(FIELDS)
#: The children that hold text (their size follows the input's, not the row count).
TEXT_CHILDREN = ("canonical", "sort_key", "error", "binlog_file")

# ---------------------------------------------------------------- entry points

# The ``kind`` argument of parse_many, and the entry point of the grammar it reads.
_ENTRY_OF_KIND: dict[str | None, str] = {
    None: "any",
    "any": "any",
    "start": "start_position",
    "start_position": "start_position",
    "stop": "stop_position",
    "stop_position": "stop_position",
    "checkpoint": "checkpoint",
    "db2": "db2_start_from_context",
    "db2-context": "db2_start_from_context",
    "db2_context": "db2_start_from_context",
    "db2_start_from_context": "db2_start_from_context",
}


def entry_of(kind: str | None) -> str:
    try:
        return _ENTRY_OF_KIND[kind]
    except (KeyError, TypeError):
        known = ", ".join(repr(k) for k in _ENTRY_OF_KIND if k is not None)
        raise ValueError(f"unknown kind {kind!r}; expected one of {known}") from None


def kind_patterns(entry: str) -> tuple[tuple[str, str], ...]:
    """``(rule, portable pattern)`` in the order the entry tries them ("any": start, stop)."""
    if entry == "any":
        return (
            _fastpath.PORTABLE_KIND_PATTERNS["start_position"]
            + _fastpath.PORTABLE_KIND_PATTERNS["stop_position"]
        )
    return _fastpath.PORTABLE_KIND_PATTERNS[entry]


def entry_pattern(entry: str) -> str:
    """The portable expression of a whole entry point."""
    return "^(?:" + "|".join(pattern for _, pattern in kind_patterns(entry)) + ")$"


# Position terminals of a checkpoint -> the kind of value they hold.
_POSITION_KIND = {
    "CHECKPOINT_POSTGRES_LSN": "postgres_lsn",
    "CHECKPOINT_SQLSERVER_LSN": "sqlserver_lsn",
    "CHECKPOINT_ORACLE_STREAM": "oracle_stream",
    "CHECKPOINT_MYSQL_STREAM": "mysql_stream",
    "CHECKPOINT_MYSQL_BINLOG": "mysql_binlog",
    "OPAQUE_POSITION": "opaque",
}
POSITION_PATTERNS = tuple(
    (_POSITION_KIND[terminal], pattern)
    for terminal, pattern in _fastpath.PORTABLE_CHECKPOINT_POSITION_PATTERNS
)

# ---------------------------------------------------------------- input


def as_string_array(values: Any) -> pa.Array:
    """A ``pa.string()`` array (one chunk) of the input; ``TypeError`` for anything else."""
    if isinstance(values, pa.ChunkedArray):
        values = (
            (values.combine_chunks() if values.num_chunks != 1 else values.chunk(0))
            if values.num_chunks
            else pa.array([], pa.string())
        )
    if isinstance(values, pa.Array):
        kind = values.type
        if pa.types.is_null(kind):
            return pa.nulls(len(values), pa.string())
        if not (
            pa.types.is_string(kind)
            or pa.types.is_large_string(kind)
            or pa.types.is_string_view(kind)
        ):
            raise TypeError(
                f"cdcpos reads a column of strings (string, large_string or string_view), "
                f"not {kind}"
            )
        return values if pa.types.is_string(kind) else values.cast(pa.string())
    if isinstance(values, (str, bytes)):
        raise TypeError("cdcpos.arrow.parse takes a column or an iterable of str, not one str")
    items = values if isinstance(values, (list, tuple)) else list(values)
    try:
        return pa.array(items, pa.string())
    except (pa.ArrowTypeError, pa.ArrowInvalid, TypeError):
        for index, item in enumerate(items):
            if item is not None and not isinstance(item, str):
                raise TypeError(
                    f"item {index} must be a str (or None), not {type(item).__name__}"
                ) from None
        raise


# ---------------------------------------------------------------- numpy helpers

_HEX = np.zeros(256, np.uint8)
_HEX[48:58] = np.arange(10)
_HEX[65:71] = np.arange(10, 16)
_HEX[97:103] = np.arange(10, 16)
_MAX_DIGITS_U64 = 19  # any 19-digit decimal fits 64 bits unsigned
_MAX_U64 = str((1 << 64) - 1)  # and a 20-digit one up to this
_MAX_DIGITS_I64 = 18  # and any 18-digit one fits signed, either sign


def _fixed(texts: pa.Array, width: int) -> np.ndarray:
    """The bytes of strings that all have ``width`` bytes, as an (n, width) matrix."""
    n = len(texts)
    if n == 0:
        return np.zeros((0, width), np.uint8)
    _, offsets_buffer, data = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, n + 1, texts.offset * 4)
    assert offsets[-1] - offsets[0] == n * width, "fixed-width field of another width"
    return np.frombuffer(data, np.uint8, n * width, int(offsets[0])).reshape(n, width)


def _hex_bytes(nibble_matrix: np.ndarray) -> np.ndarray:
    """Hex digits (n, 2k) -> big-endian bytes (n, k); an odd width gets a leading 0."""
    nibbles = _HEX[nibble_matrix]
    if nibbles.shape[1] % 2:
        nibbles = np.hstack([np.zeros((len(nibbles), 1), np.uint8), nibbles])
    return (nibbles[:, 0::2] << 4) | nibbles[:, 1::2]  # type: ignore[no-any-return]


def _be_u64(values: np.ndarray) -> np.ndarray:
    return values.astype(">u8").view(np.uint8).reshape(len(values), 8)


def _be_to_u64(matrix: np.ndarray) -> np.ndarray:
    """Big-endian bytes (n, <=8) -> uint64."""
    padded = np.zeros((len(matrix), 8), np.uint8)
    padded[:, 8 - matrix.shape[1] :] = matrix
    return padded.view(">u8").reshape(len(matrix)).astype(np.uint64)


def _binary(data: np.ndarray, lengths: np.ndarray) -> pa.Array:
    offsets = np.zeros(len(lengths) + 1, np.int32)
    np.cumsum(lengths, out=offsets[1:])
    return pa.Array.from_buffers(
        pa.binary(), len(lengths), [None, pa.py_buffer(offsets), pa.py_buffer(data)]
    )


def _encode_magnitudes(
    big_endian: np.ndarray, negative: np.ndarray | None = None, tag: int = NON_NEGATIVE
) -> pa.Array:
    """``cdcpos._sort_bytes`` integers from big-endian magnitudes (n, W), as binary."""
    n, width = big_endian.shape
    nonzero = big_endian != 0
    size = np.where(nonzero.any(axis=1), width - np.argmax(nonzero, axis=1), 0)
    matrix = np.empty((n, width + 3), np.uint8)
    matrix[:, 0] = tag
    matrix[:, 1] = size > 0
    matrix[:, 2] = size
    matrix[:, 3:] = big_endian
    keep = np.empty((n, width + 3), bool)
    keep[:, :2] = True
    keep[:, 2] = size > 0
    keep[:, 3:] = np.arange(width)[None, :] >= (width - size)[:, None]
    if negative is not None and negative.any():
        matrix[negative, 0] = NEGATIVE
        matrix[negative, 1:] = 0xFF - matrix[negative, 1:]
    return _binary(matrix[keep], keep.sum(axis=1))


def _encode_u64(values: np.ndarray) -> pa.Array:
    return _encode_ints([values])


def _encode_i64(values: np.ndarray) -> pa.Array:
    return _encode_ints([values])


def _encode_ints(columns: list[np.ndarray]) -> pa.Array:
    """The encodings of several 64-bit integer columns, concatenated row by row.

    One gather for all of them: ``_encode_magnitudes`` laid side by side.
    """
    n = len(columns[0])
    width = 11
    matrix = np.empty((n, width * len(columns)), np.uint8)
    keep = np.empty((n, width * len(columns)), bool)
    positions = np.arange(8)[None, :]
    for index, values in enumerate(columns):
        negative = values < 0 if values.dtype.kind == "i" else np.zeros(n, bool)
        magnitudes = (
            np.where(negative, -values, values).astype(np.uint64)
            if values.dtype.kind == "i"
            else values.astype(np.uint64)
        )
        size = np.zeros(n, np.int64)
        for bits in range(0, 64, 8):
            size += magnitudes >= (np.uint64(1) << np.uint64(bits))
        part = matrix[:, index * width : (index + 1) * width]
        mask = keep[:, index * width : (index + 1) * width]
        part[:, 0] = np.where(negative, NEGATIVE, NON_NEGATIVE)
        part[:, 1] = size > 0
        part[:, 2] = size
        part[:, 3:] = _be_u64(magnitudes)
        mask[:, :2] = True
        mask[:, 2] = size > 0
        mask[:, 3:] = positions >= (8 - size)[:, None]
        if negative.any():
            part[negative, 1:] = 0xFF - part[negative, 1:]
    return _binary(matrix[keep], keep.sum(axis=1))


def _b(value: bytes) -> pa.Scalar:
    return pa.scalar(value, pa.binary())


def _join(*parts: Any) -> pa.Array:
    """Concatenate binary columns and constants row by row."""
    args = [_b(p) if isinstance(p, bytes) else p for p in parts]
    return pc.binary_join_element_wise(*args, _b(b""))


def _bin(texts: pa.Array) -> pa.Array:
    return texts.cast(pa.binary())


def _encode_str(texts: pa.Array | bytes) -> Any:
    # Every string the grammar accepts is printable ASCII: no NUL to escape.
    if isinstance(texts, bytes):
        return bytes((STRING,)) + texts + STRING_END
    return _join(bytes((STRING,)), _bin(texts), STRING_END)


def _np(array: pa.Array) -> np.ndarray:
    return np.asarray(array.to_numpy(zero_copy_only=False))


def _split(texts: pa.Array, separator: str, parts: int, *, reverse: bool = False) -> list[pa.Array]:
    """Split strings that hold exactly ``parts`` fields (the grammar says so)."""
    lists = pc.split_pattern(texts, separator, max_splits=parts - 1, reverse=reverse)
    assert len(lists.values) == parts * len(texts), f"a field count other than {parts}"
    return [pc.list_element(lists, i) for i in range(parts)]


def _uint_fields(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """Decimal digits (leading zeros allowed): (fits in the fast path, digits trimmed)."""
    trimmed = pc.utf8_ltrim(texts, "0")
    trimmed = pc.if_else(pc.equal(trimmed, ""), "0", trimmed)
    length = pc.utf8_length(trimmed)
    fits = pc.or_(
        pc.less_equal(length, _MAX_DIGITS_U64),
        pc.and_(pc.equal(length, len(_MAX_U64)), pc.less_equal(trimmed, _MAX_U64)),
    )
    return _np(fits), trimmed


def _to_u64(digits: pa.Array) -> np.ndarray:
    return _np(pc.cast(digits, pa.uint64()))


def _signed_ok(texts: pa.Array) -> np.ndarray:
    digits = pc.utf8_ltrim(pc.utf8_ltrim(texts, "-"), "0")
    return _np(pc.less_equal(pc.utf8_length(digits), _MAX_DIGITS_I64))


def _to_i64(texts: pa.Array) -> np.ndarray:
    return _np(pc.cast(texts, pa.int64()))


def _all(n: int) -> np.ndarray:
    return np.ones(n, bool)


def _repeat(value: Any, n: int, kind: pa.DataType) -> pa.Array:
    return pa.array([value], kind).take(pa.array(np.zeros(n, np.int64)))


# ---------------------------------------------------------------- what each kind gives

# A kind's *check* says which of its rows the vectorized path can build (the others go
# to the exact path); its *build* gives the children of those rows.  Positions inside a
# checkpoint have the same pair, building a domain and a key instead of whole rows.


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


def _row_key(domain: Any, *key: Any) -> pa.Array:
    """A value's sort key: (domain, key...) as a tuple."""
    return _join(bytes((TUPLE,)), *_domain_parts(domain), *key, bytes((END,)))


def _domain_parts(domain: Any) -> list[Any]:
    if isinstance(domain, bytes):
        return [_encode_str(domain)]
    return [bytes((STRING,)), domain, STRING_END]


# -- whole rows, by kind ----------------------------------------------------------------


def _date_check(prefix: int) -> Callable[[pa.Array], np.ndarray]:
    def check(texts: pa.Array) -> np.ndarray:
        return _date_fields(texts, prefix)[0]

    return check


_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], np.int64)


def _date_fields(texts: pa.Array, prefix: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a real instant datetime accepts, epoch seconds, seconds of the day)."""
    digits = _fixed(texts, prefix + 19)[:, prefix:].astype(np.int64) - 48

    def number(start: int, width: int) -> np.ndarray:
        value = np.zeros(len(digits), np.int64)
        for column in range(start, start + width):
            value = value * 10 + digits[:, column]
        return value

    year, month, day = number(0, 4), number(5, 2), number(8, 2)
    hour, minute, second = number(11, 2), number(14, 2), number(17, 2)
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _DAYS[np.clip(month, 0, 12)] + (leap & (month == 2))
    # An hour 24 is left to the exact path: whether datetime accepts it depends on the
    # Python version.
    ok = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59)
    # Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil).
    y = year - (month <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (month + np.where(month > 2, -3, 9)) + 2) // 5 + day - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    days = era * 146097 + doe - 719468
    of_day = hour * 3600 + minute * 60 + second
    return ok, days * 86400 + of_day, days


def _date_build(kind: str, prefix: int) -> Callable[[pa.Array], dict[str, Any]]:
    def build(texts: pa.Array) -> dict[str, Any]:
        _, seconds, _ = _date_fields(texts, prefix)
        # The key is microseconds since 0001-01-01, as cdcpos._sort_bytes writes a datetime.
        micros = (seconds + 719162 * 86400).astype(np.uint64) * np.uint64(1_000_000)
        key = _encode_magnitudes(_be_u64(micros), tag=DATETIME)
        return {
            "canonical": texts,
            "sort_key": _row_key(kind.encode(), key),
            "time": pa.array(seconds, pa.int64()).cast(pa.timestamp("s")),
        }

    return build


def _postgres_build(texts: pa.Array) -> dict[str, Any]:
    lsn, high, low = _lsn_values(texts)
    return {
        "canonical": pc.binary_join_element_wise(high, low, "/"),
        "sort_key": _row_key(b"postgres_lsn", _encode_u64(lsn)),
        "lsn": pa.array(lsn, pa.uint64()),
    }


def _sqlserver_build(texts: pa.Array) -> dict[str, Any]:
    return {
        "canonical": pc.utf8_lower(texts),
        "sort_key": _row_key(b"sqlserver_lsn", _sqlserver_key(texts)),
    }


def _scn_check(texts: pa.Array) -> np.ndarray:
    return _uint_fields(texts)[0]


def _scn_build(texts: pa.Array) -> dict[str, Any]:
    digits = _uint_fields(texts)[1]
    values = _to_u64(digits)
    return {
        "canonical": digits,
        "sort_key": _row_key(b"oracle_scn", _encode_u64(values)),
        "scn": pa.array(values, pa.uint64()),
    }


def _lri_build(texts: pa.Array) -> dict[str, Any]:
    return {
        "canonical": pc.utf8_upper(texts),
        "sort_key": _row_key(b"db2_lri", _encode_magnitudes(_hex_bytes(_fixed(texts, 34)))),
    }


def _now_build(texts: pa.Array) -> dict[str, Any]:
    n = len(texts)
    key = bytes((TUPLE,)) + _encode_str(b"db2_now") + bytes((TUPLE, END, END))
    return {"canonical": _repeat("NOW", n, pa.string()), "sort_key": _repeat(key, n, pa.binary())}


def _binlog_build(texts: pa.Array) -> dict[str, Any]:
    position = _binlog_position(texts)
    children = dict(position.children)
    offset_text = children.pop("_offset_text")
    return {
        "canonical": pc.binary_join_element_wise(children["binlog_file"], offset_text, ":"),
        "sort_key": _row_key(position.domain, position.key),
        **children,
    }


def _classify_positions(texts: pa.Array) -> np.ndarray:
    """The kind code of each checkpoint position field (first matching terminal).

    ``*`` (no second position) is no terminal's field: -1 without any expression.
    Each expression runs only on the fields no earlier one took.
    """
    n = len(texts)
    codes = np.full(n, -1, np.int8)
    undecided = ~_np(pc.fill_null(pc.equal(texts, "*"), True))
    for kind, pattern in POSITION_PATTERNS:
        rows = np.nonzero(undecided)[0]
        if not len(rows):
            break
        subset = texts if len(rows) == n else texts.take(pa.array(rows))
        matched = rows[_np(pc.match_substring_regex(subset, pattern))]
        codes[matched] = _KIND_CODE[kind]
        undecided[matched] = False
    return codes


def _checkpoint_fields(texts: pa.Array) -> list[pa.Array]:
    return _split(texts, "#", 8)


# The fields and position kinds the check of a batch of checkpoints found, for its build
# when every row passed (the same array): one entry, compared by identity.
_checked: list[Any] = [None, None, None]


def _checkpoint_check(texts: pa.Array) -> np.ndarray:
    fields = _checkpoint_fields(texts)
    ok = _uint_fields(pc.utf8_slice_codeunits(fields[0], 12))[0]
    for index in (1, 3, 4, 6, 7):
        ok &= _signed_ok(fields[index])
    position_codes = []
    for index in (2, 5):
        codes = _classify_positions(fields[index])
        position_codes.append(codes)
        if index == 5:
            # Positions of two kinds: whether one checkpoint may hold them (one engine
            # per checkpoint) is the exact path's to say.
            ok &= (codes == -1) | (codes == position_codes[0])
        for kind, (check, _) in _POSITIONS.items():
            rows = np.nonzero(codes == _KIND_CODE[kind])[0]
            if check is not None and len(rows):
                ok[rows] &= check(fields[index].take(pa.array(rows)))
    _checked[:] = [texts, fields, position_codes]
    return ok


_NESTED: list[bool] = []


def _tail_is_nested() -> bool:
    """Whether a checkpoint's sort key is ``(domain, position key, tail)``, the tail
    ordering by its own ``(version, counters, second position, text)``, rather than those
    four flat after the position key: read once from ``cdcpos.sort_key`` itself."""
    if not _NESTED:
        key = cdcpos.sort_key(cdcpos.parse_checkpoint("checkpoint:V1#1#0/0#0#0#*#0#0"))
        _NESTED.append(len(key) == 3)
    return _NESTED[0]


def _checkpoint_build(texts: pa.Array) -> dict[str, Any]:
    n = len(texts)
    checked, fields, codes = _checked
    if checked is not texts:
        fields = _checkpoint_fields(texts)
        codes = [_classify_positions(fields[2]), _classify_positions(fields[5])]
    version = _to_u64(pc.utf8_slice_codeunits(fields[0], 12))
    counters = np.stack([_to_i64(fields[i]) for i in (1, 3, 4, 6, 7)], axis=1)
    first_codes = codes[0]
    second_field = fields[5]
    no_second = _np(pc.equal(second_field, "*"))
    second_codes = np.where(no_second, -1, codes[1]).astype(np.int8)

    first_domain: list[tuple[np.ndarray, pa.Array]] = []
    first_key: list[tuple[np.ndarray, pa.Array]] = []
    typed: dict[str, list[tuple[np.ndarray, pa.Array]]] = {}
    second_part: list[tuple[np.ndarray, pa.Array]] = []
    for kind, (_, build) in _POSITIONS.items():
        code = _KIND_CODE[kind]
        rows = np.nonzero(first_codes == code)[0]
        if len(rows):
            position = build(fields[2].take(pa.array(rows)))
            domain = position.domain
            if isinstance(domain, bytes):
                domain = _repeat(domain, len(rows), pa.binary())
            first_domain.append((rows, domain))
            first_key.append((rows, position.key))
            for name, column in position.children.items():
                if not name.startswith("_"):
                    typed.setdefault(name, []).append((rows, column))
        rows = np.nonzero(second_codes == code)[0]
        if len(rows):
            position = build(second_field.take(pa.array(rows)))
            second_part.append((rows, _row_key(position.domain, position.key)))
    none_rows = np.nonzero(no_second)[0]
    second_part.append((none_rows, _repeat(bytes((TUPLE, END)), len(none_rows), pa.binary())))
    domain = _assemble(n, first_domain, pa.binary())
    key = _join(
        bytes((TUPLE, STRING)),
        b"checkpoint:",
        domain,
        STRING_END,
        _assemble(n, first_key, pa.binary()),
        b"" if not _tail_is_nested() else bytes((TUPLE,)),
        _encode_u64(version),
        bytes((TUPLE,)),
        _encode_ints([counters[:, i] for i in range(COUNTERS)]),
        bytes((END,)),
        _assemble(n, second_part, pa.binary()),
        _encode_str(texts),
        b"" if not _tail_is_nested() else bytes((END,)),
        bytes((END,)),
    )
    children: dict[str, Any] = {
        "canonical": texts,
        "sort_key": key,
        "position_kind": _kind_array(first_codes),
        "checkpoint_version": pa.array(version, pa.uint64()),
        "checkpoint_counters": pa.FixedSizeListArray.from_arrays(
            pa.array(counters.reshape(-1), pa.int64()), COUNTERS
        ),
        "second_position_kind": _kind_array(second_codes),
    }
    for name, pieces in typed.items():
        children[name] = _assemble(n, pieces, TYPES[name])
    return children


_KINDS: dict[
    str, tuple[Callable[[pa.Array], np.ndarray] | None, Callable[[pa.Array], dict[str, Any]]]
] = {
    "date": (_date_check(0), _date_build("date", 0)),
    "server_time": (_date_check(12), _date_build("server_time", 12)),
    "commit_time": (_date_check(12), _date_build("commit_time", 12)),
    "db2_timestamp": (_date_check(10), _date_build("db2_timestamp", 10)),
    "postgres_lsn": (None, _postgres_build),
    "sqlserver_lsn": (None, _sqlserver_build),
    "oracle_scn": (_scn_check, _scn_build),
    "db2_lri": (None, _lri_build),
    "db2_now": (None, _now_build),
    "mysql_binlog": (_binlog_check, _binlog_build),
    "checkpoint": (_checkpoint_check, _checkpoint_build),
}


# ---------------------------------------------------------------- assembling columns


def _kind_array(codes: np.ndarray) -> pa.Array:
    indices = pa.array(codes, pa.int8(), mask=codes < 0)
    return pa.DictionaryArray.from_arrays(indices, _KIND_DICTIONARY)


def _assemble(n: int, pieces: list[tuple[np.ndarray, pa.Array]], kind: pa.DataType) -> pa.Array:
    """One column of ``n`` rows from pieces (row numbers, values); other rows null."""
    covered = np.zeros(n, bool)
    for rows, _ in pieces:
        covered[rows] = True
    missing = np.nonzero(~covered)[0]
    order = np.concatenate([rows for rows, _ in pieces] + [missing]).astype(np.int64)
    arrays = [column if column.type == kind else column.cast(kind) for _, column in pieces]
    arrays.append(pa.nulls(len(missing), kind))
    arrays = [a for a in arrays if len(a)] or arrays[:1]
    if len(arrays) == 1 and np.array_equal(order, np.arange(n)):
        return arrays[0]
    inverse = np.empty(n, np.int64)
    inverse[order] = np.arange(n)
    # One gather from the pieces (no concatenation first).
    taken = pa.chunked_array(arrays, kind).take(pa.array(inverse))
    return taken.combine_chunks() if isinstance(taken, pa.ChunkedArray) else taken


# ---------------------------------------------------------------- the exact path


def _typed_from_value(value: Any) -> dict[str, Any]:
    """A row's children from a cdcpos value (the exact path), through its public API."""
    kind = value.kind
    position = value.position if kind == "checkpoint" else value
    row: dict[str, Any] = {
        "valid": True,
        "kind": kind,
        "position_kind": position.kind,
        "canonical": str(value),
        "sort_key": sort_bytes(value),
    }
    if position.kind == "postgres_lsn":
        row["lsn"] = int(position)
    if kind == "oracle_scn":
        row["scn"] = int(value)
    binlog = position.binlog_position if position.kind == "mysql_stream" else position
    if binlog.kind == "mysql_binlog":
        row["binlog_file"] = binlog.file
        row["binlog_sequence"] = _u64_or_none(binlog.sequence)
        row["binlog_offset"] = _u64_or_none(binlog.offset)
    if kind in _INSTANT_KINDS:
        row["time"] = value.value
    if kind == "checkpoint":
        row["checkpoint_version"] = _u64_or_none(value.version)
        counters = value.counters
        if all(-(1 << 63) <= c < (1 << 63) for c in counters):
            row["checkpoint_counters"] = list(counters)
        second = value.second_position
        row["second_position_kind"] = None if second is None else second.kind
    return row


_INSTANT_KINDS = frozenset({"date", "server_time", "commit_time", "db2_timestamp"})


def _u64_or_none(number: int) -> int | None:
    return number if 0 <= number < (1 << 64) else None


def _plain_message(error: cdcpos.InvalidPosition) -> str:
    """The message of one string's error, without the item number parse_many adds."""
    return str(
        cdcpos.InvalidPosition(
            error.reason,
            field=error.field,
            text=error.text,
            column=error.column,
            expected=error.expected,
            hint=error.hint,
        )
    )


def _exact_rows(
    texts: list[str], kind: str | None, engine: str | None, lenient: bool
) -> list[dict[str, Any]]:
    values, problems = cdcpos.parse_many(
        texts, kind=kind, engine=engine, errors="collect", lenient=lenient
    )
    rows: list[dict[str, Any]] = []
    bad = dict(problems)
    good = iter(values)
    for index in range(len(texts)):
        error = bad.get(index)
        if error is None:
            rows.append(_typed_from_value(next(good)))
        else:
            rows.append({"valid": False, "error": _plain_message(error)})
    return rows


def _rows_to_children(rows: list[dict[str, Any]]) -> dict[str, pa.Array]:
    columns: dict[str, pa.Array] = {}
    for field in FIELDS:
        values = [row.get(field.name) for row in rows]
        if field.type == KIND_TYPE:
            codes = np.array([-1 if v is None else _KIND_CODE[v] for v in values], np.int8)
            columns[field.name] = _kind_array(codes)
        else:
            columns[field.name] = pa.array(values, field.type)
    return columns


# ---------------------------------------------------------------- one batch


@dataclass
class Batch:
    """The struct column of a batch, and which rows the vectorized path decided."""

    column: pa.StructArray
    vectorized: np.ndarray


def kind_codes(texts: pa.Array, entry: str) -> np.ndarray:
    """The kind code of each row by the portable expressions alone (-1: none matches).

    An expression runs only on the rows that pass its cheap necessary conditions (length
    and literal prefix, from ``_fastpath.PORTABLE_KIND_HINTS``) and that no earlier rule
    took, which saves most of the regular-expression work and changes no answer.
    """
    n = len(texts)
    codes = np.full(n, -1, np.int8)
    length = _np(pc.fill_null(pc.utf8_length(texts), -1))
    undecided = (length >= 0) & (length <= cdcpos.MAX_LENGTH)
    prefixes: dict[str, np.ndarray] = {}

    for kind, pattern in kind_patterns(entry):
        if not undecided.any():
            break
        shortest, longest, prefix, _ = _fastpath.PORTABLE_KIND_HINTS[kind]
        candidate = undecided & (length >= shortest)
        if longest is not None:
            candidate &= length <= longest
        if prefix:
            if prefix not in prefixes:
                prefixes[prefix] = _np(pc.fill_null(pc.starts_with(texts, prefix), False))
            candidate &= prefixes[prefix]
        rows = np.nonzero(candidate)[0]
        if not len(rows):
            continue
        subset = texts if len(rows) == n else texts.take(pa.array(rows))
        matched = rows[_np(pc.match_substring_regex(subset, pattern))]
        codes[matched] = _KIND_CODE[kind]
        undecided[matched] = False
    return codes


# The kinds whose check can make a row invalid (the other checks only leave to the exact
# path what the columns cannot type, which is still valid).  A checkpoint's can: two
# positions of two engines, or a binlog number past 64 bits, are the exact path's to judge.
_SEMANTIC_CHECKS = (
    "date",
    "server_time",
    "commit_time",
    "db2_timestamp",
    "oracle_scn",
    "checkpoint",
)


def classify(texts: pa.Array, *, kind: str | None = None) -> np.ndarray:
    """The kind code of every row (-1: invalid or null), as ``parse_many(kind=kind)`` says.

    The portable expressions and the semantic checks decide; a row a check rejects (a
    day that does not exist, an SCN beyond 64 bits) is asked of the exact path, so the
    answer is ``parse_many``'s even where the vectorized checks are stricter.
    """
    entry = entry_of(kind)
    codes = kind_codes(texts, entry)
    for name in _SEMANTIC_CHECKS:
        check = _KINDS[name][0]
        rows = np.nonzero(codes == _KIND_CODE[name])[0]
        if check is None or not len(rows):
            continue
        failed = rows[~check(texts.take(pa.array(rows)))]
        if len(failed):
            samples = texts.take(pa.array(failed)).to_pylist()
            exact = _exact_rows(samples, kind, None, False)
            codes[failed] = [_KIND_CODE[r["kind"]] if r["valid"] else -1 for r in exact]
    return codes


def kind_column(codes: np.ndarray) -> pa.Array:
    """The ``kind`` child of these codes."""
    return _kind_array(codes)


def parse_batch(
    texts: pa.Array,
    *,
    kind: str | None = None,
    engine: str | None = None,
    lenient: bool = False,
    exact: bool = True,
) -> Batch:
    """Parse one ``pa.string()`` array.  ``exact=False`` leaves the exact path's rows null
    (the tests use it to check the vectorized path alone)."""
    entry = entry_of(kind)
    if engine is not None and not isinstance(engine, str):
        raise TypeError(f"engine must be a str, not {type(engine).__name__}")
    n = len(texts)
    null = _np(texts.is_null())
    codes = kind_codes(texts, entry)
    pieces: dict[str, list[tuple[np.ndarray, pa.Array]]] = {f.name: [] for f in FIELDS}
    decided = np.zeros(n, bool)
    for name, (check, build) in _KINDS.items():
        code = _KIND_CODE[name]
        rows = np.nonzero(codes == code)[0]
        if not len(rows):
            continue
        subset = texts if len(rows) == n else texts.take(pa.array(rows))
        if check is not None:
            ok = check(subset)
            if not ok.all():
                rows = rows[ok]
                subset = subset.filter(pa.array(ok))
                if not len(rows):
                    continue
        children = build(subset)
        children.setdefault("position_kind", _kind_array(np.full(len(rows), code, np.int8)))
        children["kind"] = _kind_array(np.full(len(rows), code, np.int8))
        children["valid"] = pa.array(np.ones(len(rows), bool))
        for child, column in children.items():
            if not child.startswith("_"):
                pieces[child].append((rows, column))
        decided[rows] = True
    if engine is not None and decided.any():
        decided = _engine_check(texts, decided, pieces, kind, engine)
    exact_rows = np.nonzero(~decided & ~null)[0]
    if exact and len(exact_rows):
        answers = _exact_rows(texts.take(pa.array(exact_rows)).to_pylist(), kind, engine, lenient)
        for child, column in _rows_to_children(answers).items():
            pieces[child].append((exact_rows, column))
    columns = [_assemble(n, pieces[f.name], f.type) for f in FIELDS]
    # Every non-null row is valid or not; `valid` is never null under a non-null row.
    columns[0] = pc.fill_null(columns[0], False)
    column = pa.StructArray.from_arrays(columns, fields=list(FIELDS), mask=pa.array(null))
    return Batch(column, decided)


def _engine_check(
    texts: pa.Array,
    decided: np.ndarray,
    pieces: dict[str, list[tuple[np.ndarray, pa.Array]]],
    kind: str | None,
    engine: str,
) -> np.ndarray:
    """Leave to the exact path the rows of every (kind, position kind) ``engine`` rejects.

    Whether an engine can have written a value depends on its kind and, for a checkpoint,
    the kind of its position only; one representative of each pair is asked.
    """
    n = len(texts)
    kinds = _np(_assemble(n, pieces["kind"], KIND_TYPE).indices.fill_null(-1))
    positions = _np(_assemble(n, pieces["position_kind"], KIND_TYPE).indices.fill_null(-1))
    pairs = kinds.astype(np.int32) * 64 + positions
    rejected = np.zeros(n, bool)
    for pair in np.unique(pairs[decided]):
        rows = np.nonzero(decided & (pairs == pair))[0]
        sample = texts[int(rows[0])].as_py()
        _, problems = cdcpos.parse_many([sample], kind=kind, engine=engine, errors="collect")
        if problems:
            rejected[rows] = True
    if rejected.any():
        for child in pieces:
            pieces[child] = [
                (rows[~rejected[rows]], column.filter(pa.array(~rejected[rows])))
                for rows, column in pieces[child]
            ]
    return decided & ~rejected


# ---------------------------------------------------------------- many batches

BATCH_ROWS = 1 << 18


def parse_column(
    values: Any,
    *,
    kind: str | None = None,
    engine: str | None = None,
    lenient: bool = False,
) -> pa.StructArray:
    """The struct column of any column or iterable of strings (see ``cdcpos.arrow.parse``)."""
    texts = as_string_array(values)
    entry_of(kind)
    if len(texts) <= BATCH_ROWS:
        return parse_batch(texts, kind=kind, engine=engine, lenient=lenient).column
    batches = [
        parse_batch(
            texts.slice(start, BATCH_ROWS), kind=kind, engine=engine, lenient=lenient
        ).column
        for start in range(0, len(texts), BATCH_ROWS)
    ]
    return pa.concat_arrays(batches)
