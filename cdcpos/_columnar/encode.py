"""Input, numpy and Arrow helpers, and the order-preserving key encoders.

The encoders write, for whole columns at once, the bytes ``cdcpos._sort_bytes`` writes for
one value (integers, strings, datetimes, tuples), so a vectorized sort key equals
``cdcpos.sort_bytes`` of the value.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdcpos._sort_bytes import (
    END,
    NEGATIVE,
    NON_NEGATIVE,
    STRING,
    STRING_END,
    TUPLE,
)

# ---------------------------------------------------------------- input


def as_string_array(
    values: Any, *, keep_layout: bool = False, unencodable: dict[int, str] | None = None
) -> pa.Array:
    """A ``pa.string()`` array (one chunk) of the input; ``TypeError`` for anything else.

    ``keep_layout``: a ``large_string`` or ``string_view`` array is returned as it is, for
    ``threads.map_slices`` to cast each slice in the thread that works on it (a cast of
    the whole column, ~20 ns a row, would run before the threads, on one core).

    An item that is a ``str`` with no UTF-8 (a lone surrogate) is a null, recorded in
    ``unencodable`` (row -> str) when it is given.
    """
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
        if pa.types.is_dictionary(kind) and _is_text(kind.value_type):
            # Dictionary-encoded text (a pandas category, Parquet read with
            # read_dictionary): its values, row by row.
            values = values.dictionary_decode()
            kind = values.type
        if not _is_text(kind):
            raise TypeError(
                f"cdcpos reads a column of strings (string, large_string or string_view, "
                f"or a dictionary of them), not {kind}"
            )
        return values if pa.types.is_string(kind) or keep_layout else values.cast(pa.string())
    if isinstance(values, (str, bytes)):
        raise TypeError("cdcpos.arrow.parse takes a column or an iterable of str, not one str")
    items = values if isinstance(values, (list, tuple)) else list(values)
    try:
        return pa.array(items, pa.string())
    except UnicodeEncodeError:
        # A str with a lone surrogate (json.loads makes them of "\\ud800") has no UTF-8:
        # its row is a null here, and the str goes to ``unencodable`` for the caller to
        # answer (without one, the row stays null: a sort key's answer for an invalid row).
        kept: list[str | None] = []
        for index, item in enumerate(items):
            if isinstance(item, str) and not _encodes(item):
                if unencodable is not None:
                    unencodable[index] = item
                item = None
            kept.append(item)
        return as_string_array(kept)
    except (pa.ArrowTypeError, pa.ArrowInvalid, TypeError):
        for index, item in enumerate(items):
            if item is not None and not isinstance(item, str):
                raise TypeError(
                    f"item {index} must be a str (or None), not {type(item).__name__}"
                ) from None
        raise


def _is_text(kind: pa.DataType) -> bool:
    return bool(
        pa.types.is_string(kind) or pa.types.is_large_string(kind) or pa.types.is_string_view(kind)
    )


def _encodes(text: str) -> bool:
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


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


# ---------------------------------------------------------------- sort keys of values


def _row_key(domain: Any, *key: Any) -> pa.Array:
    """A value's sort key: (domain, key...) as a tuple."""
    return _join(bytes((TUPLE,)), *_domain_parts(domain), *key, bytes((END,)))


def _domain_parts(domain: Any) -> list[Any]:
    if isinstance(domain, bytes):
        return [_encode_str(domain)]
    return [bytes((STRING,)), domain, STRING_END]


# ---------------------------------------------------------------- assembling columns


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
    if np.array_equal(order, np.arange(n)):
        # The pieces are the rows in order (a column of one kind, cut in chunks).
        return arrays[0] if len(arrays) == 1 else pa.concat_arrays(arrays)
    inverse = np.empty(n, np.int64)
    inverse[order] = np.arange(n)
    # One gather from the pieces (no concatenation first).
    taken = pa.chunked_array(arrays, kind).take(pa.array(inverse))
    return taken.combine_chunks() if isinstance(taken, pa.ChunkedArray) else taken
