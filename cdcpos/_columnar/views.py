"""Keys as Arrow binary views: a few views per row, concatenated by one cast.

The parts of a sort key that vary in length from row to row (the integers' encodings,
a few bytes each) are packed into views of 12 bytes by shifts of 64-bit columns; the
row's text is a view of the input buffer itself; a long constant a view of a buffer of
constants.  One cast to ``binary`` copies each view's bytes in order, and the rows are
handed on as ``binary_view`` (Polars' own layout) without another copy.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from cdcpos._columnar.digits import _u64, _Words
from cdcpos._sort_bytes import NEGATIVE, NON_NEGATIVE, _encode

_SIZES = np.array([1 << (8 * k) for k in range(8)], np.uint64)


def _byte_sizes(magnitudes: np.ndarray) -> np.ndarray:
    """The bytes of each uint64 without its leading zero bytes (0 for 0).

    By the float exponent (the bit length, exact below 2**53: a fifth of the time of a
    ``searchsorted`` in ``_SIZES``); above, a float may round up to the next power of
    two, so those columns take the search.
    """
    if len(magnitudes) and int(magnitudes.max()) >= 1 << 53:
        return np.searchsorted(_SIZES, magnitudes, side="right")
    return (np.frexp(magnitudes.astype(np.float64))[1] + 7) >> 3


_INLINE = 12  # the bytes an Arrow binary view holds in itself
_MASKS = np.array([(1 << (8 * k)) - 1 for k in range(8)] + [(1 << 64) - 1], np.uint64)
_U0, _U64 = _u64(0), _u64(64)

Words = np.ndarray | np.uint64
Lengths = np.ndarray | int


def _low(lengths: Lengths) -> Words:
    """A mask of the first ``lengths`` bytes (0 to 8) of a little-endian word."""
    return _MASKS[lengths]


def _shl(lo: Words, hi: Words, bits: Lengths) -> tuple[Words, Words]:
    """The 128-bit number ``hi:lo`` shifted left by ``bits`` (0 to 127; numpy shifts of 64
    bits or more give 0, and a negative amount wraps to one of those)."""
    if isinstance(bits, int):
        if bits == 0:
            return lo, hi
        if bits >= 64:
            return _U0 * lo, lo << _u64(bits - 64)
        return lo << _u64(bits), (hi << _u64(bits)) | (lo >> _u64(64 - bits))
    b = bits.astype(np.uint64)
    return lo << b, (hi << b) | (lo >> (_U64 - b)) | (lo << (b - _U64))


def _shr(lo: Words, hi: Words, bits: np.ndarray) -> tuple[Words, Words]:
    """The 128-bit number ``hi:lo`` shifted right by ``bits`` (0 to 127)."""
    b = bits.astype(np.uint64)
    return (lo >> b) | (hi << (_U64 - b)) | (hi >> (b - _U64)), hi >> b


class _Views:
    """Rows of bytes built part by part as a few Arrow binary views per row, which one
    cast to ``binary`` concatenates (Arrow copies each view's bytes in order).

    A view holds up to 12 bytes in itself, or refers to bytes of a buffer: the parts of
    a key that vary in length from row to row (the integers, a few bytes each) are
    packed into inline views by shifts of 64-bit columns, the text of a row is a view of
    the input's own buffer and a long constant one of a buffer of constants.  No byte
    matrix is compacted and no column joined: a view costs the cast about 5 ns, where
    ``_Block``'s mask and Arrow's join cost 2-3 ns a byte (measured: 7 views a row, 40
    ns, against 300 for ``_Block`` and a join of a PostgreSQL checkpoint's key).
    """

    def __init__(self, n: int, words: _Words) -> None:
        self.n = n
        self.words = words
        self.views: list[tuple[Words, Words]] = []
        self.consts = bytearray()
        # The inline bytes not yet in a view: (low 8, next 8, length, longest length).
        self.lo: Words = _U0
        self.hi: Words = _U0
        self.length: Lengths = 0
        self.longest = 0

    def _inline(self, lo: Words, hi: Words, length: Lengths, longest: int) -> None:
        """Append bytes (``hi:lo``, little-endian, zero past ``length``; ``longest`` at
        most 16) to the pending inline view, starting a new view when they may not fit."""
        if self.longest + longest > _INLINE:
            self._flush()
            if longest > _INLINE:
                # The first 12 bytes are a view of their own, the rest starts the next.
                first = (
                    np.minimum(length, _INLINE)
                    if isinstance(length, np.ndarray)
                    else min(length, _INLINE)
                )
                self.lo, self.hi, self.length, self.longest = (
                    lo,
                    hi & _u64(0xFFFFFFFF),
                    first,
                    _INLINE,
                )
                self._flush()
                rest = (
                    np.maximum(length - _INLINE, 0)
                    if isinstance(length, np.ndarray)
                    else max(length - _INLINE, 0)
                )
                lo, hi, length, longest = hi >> _u64(32), _U0, rest, longest - _INLINE
        shifted_lo, shifted_hi = _shl(lo, hi, self.length * 8)
        self.lo, self.hi = self.lo | shifted_lo, self.hi | shifted_hi
        self.length = self.length + length
        self.longest += longest

    def _flush(self) -> None:
        if self.longest:
            length = self.length
            size = length.astype(np.uint64) if isinstance(length, np.ndarray) else _u64(length)
            self.views.append(
                (size | (self.lo << _u64(32)), (self.lo >> _u64(32)) | (self.hi << _u64(32)))
            )
        self.lo, self.hi, self.length, self.longest = _U0, _U0, 0, 0

    def const(self, data: bytes) -> _Views:
        if len(data) <= _INLINE:
            if data:
                lo = int.from_bytes(data[:8], "little")
                self._inline(
                    _u64(lo), _u64(int.from_bytes(data[8:], "little")), len(data), len(data)
                )
            return self
        self._flush()
        at = len(self.consts)
        self.consts += data
        head = int.from_bytes(data[:4], "little")
        self.views.append((_u64(len(data) | head << 32), _u64(1 | at << 32)))
        return self

    def integer(
        self, values: np.ndarray, low: np.ndarray | None = None, low_bits: int = 0
    ) -> _Views:
        """``cdcpos._sort_bytes``' encoding of 64-bit integers (signed or not), or of the
        unsigned ``values << low_bits | low`` (``low_bits`` at most 16)."""
        smallest = values.min() if len(values) else 0
        if low is None and (not len(values) or smallest == values.max()):
            # One value in every row (a version, most counters): a constant, encoded by
            # the object path's own encoder.
            out = bytearray()
            _encode(int(values[0]) if len(values) else 0, out)
            return self.const(bytes(out))
        signed = low is None and values.dtype.kind == "i" and bool(smallest < 0)
        magnitude = values.astype(np.uint64)
        if signed:
            negative = values < 0
            magnitude = np.where(negative, ~magnitude + _u64(1), magnitude)
        size = _byte_sizes(magnitude)
        body_lo: Words
        body_hi: Words
        if low is None:
            # The big-endian bytes of the number, from the first that is not 0.
            body_lo = magnitude.byteswap() >> ((_u64(8) - size.astype(np.uint64)) * _u64(8))
            body_hi = _U0
        else:
            extra = low_bits // 8
            size = np.where(size > 0, size + extra, _byte_sizes(low.astype(np.uint64)))
            # 8 + extra big-endian bytes, then the leading ones dropped.
            full_lo = magnitude.byteswap()
            full_hi = low.astype(np.uint64).byteswap() >> _u64(64 - low_bits)
            body_lo, body_hi = _shr(full_lo, full_hi, (8 + extra - size) * 8)
        header = (
            _u64(NON_NEGATIVE)
            | ((size > 0).astype(np.uint64) << _u64(8))
            | (size.astype(np.uint64) << _u64(16))
        )
        lo, hi = _shl(body_lo, body_hi, 24)
        lo = lo | header
        length = np.where(size > 0, size + 3, 2)
        if signed:
            # A negative number: its tag, then the complement of the magnitude's bytes.
            flip_lo = _low(np.minimum(length, 8)) & ~_u64(0xFF)
            flip_hi = _low(np.maximum(length - 8, 0))
            lo = np.where(negative, (lo ^ flip_lo) & ~_u64(0xFF) | _u64(NEGATIVE), lo)
            hi = np.where(negative, hi ^ flip_hi, hi)
        self._inline(lo, hi, length, 3 + int(size.max()) if len(size) else 2)
        return self

    def text(self, starts: np.ndarray, ends: np.ndarray) -> _Views:
        """The bytes ``data[start:end]`` of each row (``data`` the words' bytes)."""
        self._flush()
        length = ends - starts
        ahead = self.words.ahead(starts)
        size = length.astype(np.uint64)
        first = size | (ahead << _u64(32))
        second = starts.astype(np.uint64) << _u64(32)  # buffer 0, the input's bytes
        if len(length) and length.min() <= _INLINE:
            # A view of 12 bytes or fewer holds them (zero after them), as Arrow requires.
            short = length <= _INLINE
            lo = ahead & _low(np.minimum(length, 8))
            hi = self.words.ahead(starts + 8) & _low(np.clip(length - 8, 0, 4))
            first = np.where(short, size | (lo << _u64(32)), first)
            second = np.where(short, (lo >> _u64(32)) | (hi << _u64(32)), second)
        self.views.append((first, second))
        return self

    def _cast(self) -> tuple[np.ndarray, np.ndarray, pa.Buffer]:
        """(the views, each row's offset into the bytes and the end, the bytes)."""
        self._flush()
        n, count = self.n, len(self.views)
        views = np.empty((n, count, 2), np.uint64)
        for index, (first, second) in enumerate(self.views):
            views[:, index, 0] = first
            views[:, index, 1] = second
        buffers = [pa.py_buffer(self.words.data), pa.py_buffer(bytes(self.consts) or b"\0")]
        flat = pa.Array.from_buffers(
            pa.binary_view(), n * count, [None, pa.py_buffer(views), *buffers]
        ).cast(pa.binary())
        _, offsets, data = flat.buffers()
        # Every ``count``-th offset: the start of each row's first view.
        ends = np.frombuffer(offsets, np.int32, n * count + 1)[::count].copy()
        return views, ends, data

    def binary(self) -> pa.Array:
        if not self.n:
            return pa.array([], pa.binary())
        _, ends, data = self._cast()
        return pa.Array.from_buffers(pa.binary(), self.n, [None, pa.py_buffer(ends), data])

    def keys(self) -> pa.Array:
        """The rows as ``binary_view``: one view per row of the concatenated bytes.

        Polars holds binary columns as views: it takes these without a copy, and the
        column's slices and kinds are put together by their views alone
        (``_assemble_views``), where ``binary`` arrays are copied byte by byte at each
        step (measured: 18 ns a row a copy, three of them for a PostgreSQL checkpoint).
        """
        n = self.n
        if not n:
            return pa.array([], pa.binary_view())
        views, ends, data = self._cast()
        lengths = np.diff(ends)
        # A view's bytes 4-7 are its first 4 bytes, inline or not: the row's prefix.
        if lengths.min() <= _INLINE or int((views[:, 0, 0] & _u64(0xFFFFFFFF)).min()) < 4:
            binary = pa.Array.from_buffers(pa.binary(), n, [None, pa.py_buffer(ends), data])
            return binary.cast(pa.binary_view())  # short keys: Arrow lays them out
        rows = np.empty((n, 2), np.uint64)
        rows[:, 0] = lengths.astype(np.uint64) | (views[:, 0, 0] >> _u64(32) << _u64(32))
        rows[:, 1] = ends[:-1].astype(np.uint64) << _u64(32)  # buffer 0
        return pa.Array.from_buffers(pa.binary_view(), n, [None, pa.py_buffer(rows), data])


def _assemble_views(n: int, pieces: list[tuple[np.ndarray, pa.Array]]) -> pa.Array:
    """One ``binary_view`` column of ``n`` rows from pieces (row numbers, values), other
    rows null: the views are put in place, the bytes stay where they are."""
    if len(pieces) == 1 and len(pieces[0][0]) == n and np.array_equal(pieces[0][0], np.arange(n)):
        # As views too when a kind built plain binary: the slices of a column are joined
        # by ``pa.concat_arrays``, which refuses binary next to binary_view.
        whole = pieces[0][1]
        return whole if whole.type == pa.binary_view() else whole.cast(pa.binary_view())
    views = np.zeros((n, 2), np.uint64)  # a null row: an empty view
    # One 16-byte item a view: a row is put in place by one gather, not two.
    records = views.view(np.dtype((np.void, 16))).reshape(n)
    valid = np.zeros(n, bool)
    buffers: list[pa.Buffer] = []
    for rows, column in pieces:
        if not len(rows):
            continue
        column = column if column.type == pa.binary_view() else column.cast(pa.binary_view())
        own = column.buffers()
        held = np.frombuffer(own[1], np.uint64, 2 * len(column), 16 * column.offset)
        held = held.reshape(-1, 2)
        if buffers:
            # A view of more than 12 bytes names its buffer (the low half of its second
            # word): the buffers of the pieces follow each other.
            outside = (held[:, 0] & _u64(0xFFFFFFFF)) > _INLINE
            held = held.copy()
            held[:, 1] += np.where(outside, _u64(len(buffers)), _u64(0))
        records[rows] = held.view(records.dtype).reshape(len(held))
        if column.null_count:
            kept = column.is_valid().to_numpy(zero_copy_only=False)
            valid[rows] = kept
            views[rows[~kept]] = 0  # a null's view: empty
        else:
            valid[rows] = True
        buffers.extend(own[2:])
    bits = pa.py_buffer(np.packbits(valid, bitorder="little"))
    nulls = n - int(valid.sum())
    return pa.Array.from_buffers(
        pa.binary_view(), n, [bits, pa.py_buffer(views), *buffers], null_count=nulls
    )
