"""Sort keys straight from the data buffer: the kinds most columns hold, in a few numpy
passes each, and the column of sort keys alone (``cdcpos.polars``' ``sort_key()``).

``values`` builds a key from string columns cut by Arrow kernels (a copy per field) and
joins a dozen parts; here the fields of a row are found by the offsets of their
separators in the buffer (the expression that matched the row says where they are), the
numbers are read from the digits by column arithmetic, and a key is a few Arrow binary
views per row (``_Views``): the integers and short constants packed into views of 12
bytes by 64-bit shifts, the row's text a view of the input buffer itself, which one cast
to ``binary`` concatenates.  (``_Block``, one byte matrix that a mask compacts, is left
for the rare PostgreSQL checkpoint with a second position.)  The bytes are
``cdcpos._sort_bytes``' by construction, and the tests compare them with
``cdcpos.sort_bytes`` of the values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdcpos._columnar.encode import _binary, as_string_array
from cdcpos._columnar.exact import _exact_rows
from cdcpos._columnar.kinds import BATCH_ROWS, _suspects, entry_of, kinds_of
from cdcpos._columnar.scan import _data
from cdcpos._columnar.schema import _KIND_CODE
from cdcpos._columnar.schema import KIND_NAMES as _KIND_NAMES
from cdcpos._columnar.threads import map_slices
from cdcpos._columnar.values import _KINDS, _tail_is_nested
from cdcpos._sort_bytes import END, NEGATIVE, NON_NEGATIVE, STRING, STRING_END, TUPLE, _encode

# ---------------------------------------------------------------- numbers from the buffer


class _Words:
    """The 8 bytes before each offset of ``data``, as little-endian uint64: ``words[e]``
    (``e`` a column of offsets) holds ``data[e-8:e]``, its last byte the most
    significant, zeros before the first byte.  Read in place: a view of the data with a
    stride of one byte (a copy of the buffer cost 5 % of a PostgreSQL checkpoint's key);
    only the offsets below 8 read a padded copy of the first bytes."""

    def __init__(self, data: np.ndarray) -> None:
        self.data = data
        size = len(data)
        self.inner = (
            np.ndarray((size - 7,), "<u8", data, 0, (1,)) if size >= 8 else np.zeros(1, "<u8")
        )
        head = np.zeros(16, np.uint8)
        head[8 : 8 + min(size, 8)] = data[:8]
        self.head = np.ndarray((9,), "<u8", head, 0, (1,))

    def __getitem__(self, ends: np.ndarray) -> np.ndarray:
        if not len(ends) or ends.min() >= 8:
            return self.inner[ends - 8]  # type: ignore[no-any-return]
        return np.where(  # type: ignore[no-any-return]
            ends >= 8, self.inner[np.maximum(ends - 8, 0)], self.head[np.minimum(ends, 8)]
        )

    def ahead(self, starts: np.ndarray) -> np.ndarray:
        """``data[s:s+8]`` for each ``s`` of ``starts``, zeros past the data's end."""
        size = len(self.data)
        if not len(starts) or starts.max() <= size - 8:
            return self.inner[starts]  # type: ignore[no-any-return]
        kept = min(size, 8)
        tail = np.zeros(16, np.uint8)
        tail[:kept] = self.data[size - kept :]
        last = np.ndarray((9,), "<u8", tail, 0, (1,))
        return np.where(  # type: ignore[no-any-return]
            starts <= size - 8,
            self.inner[np.clip(starts, 0, max(size - 8, 0))],
            last[np.clip(starts - (size - kept), 0, 8)],
        )


def _words(data: np.ndarray) -> _Words:
    return _Words(data)


def _u64(value: int) -> np.uint64:
    return np.uint64(value)


# A mask of the last k bytes of a word (the k bytes just before its offset), k = 0..8.
_LAST = np.array(
    [0] + [((1 << 64) - 1) << (8 * (8 - k)) & ((1 << 64) - 1) for k in range(1, 9)], np.uint64
)
_ZEROS = _u64(0x3030303030303030)  # '0' in every byte
_LOW_NIBBLES, _BIT_6 = _u64(0x0F0F0F0F0F0F0F0F), _u64(0x0101010101010101)
_EVEN_BYTES, _EVEN_PAIRS = _u64(0x00FF00FF00FF00FF), _u64(0x0000FFFF0000FFFF)
_LOW_HALF = _u64(0xFFFFFFFF)


def _eight(words: _Words, ends: np.ndarray, lengths: np.ndarray | int, base: int) -> np.ndarray:
    """The number the ``lengths`` (0 to 8) digits just before each ``end`` spell, as uint64.

    SWAR: the digits are read as one 64-bit word per row and combined in three steps of
    pairs (two digits, then two pairs, then two quads), each one multiply or shift, an
    add and a mask over the column, instead of one column operation per digit.  The
    bytes before a shorter number are masked to a zero digit.
    """
    mask = _LAST[lengths]
    word = words[ends] & mask
    if base == 10:
        word -= _ZEROS & mask  # every kept byte is a digit, >= '0': no borrow
        word = (word * _u64(10) + (word >> _u64(8))) & _EVEN_BYTES
        word = (word * _u64(100) + (word >> _u64(16))) & _EVEN_PAIRS
        return (word * _u64(10000) + (word >> _u64(32))) & _LOW_HALF  # type: ignore[no-any-return]
    # A hex digit's value is its low nibble, plus 9 for a letter (bit 6: 'A'-'F', 'a'-'f').
    word = (word & _LOW_NIBBLES) + _u64(9) * ((word >> _u64(6)) & _BIT_6)
    word = ((word << _u64(4)) | (word >> _u64(8))) & _EVEN_BYTES
    word = ((word << _u64(8)) | (word >> _u64(16))) & _EVEN_PAIRS
    return ((word << _u64(16)) | (word >> _u64(32))) & _LOW_HALF  # type: ignore[no-any-return]


def _number(words: _Words, starts: np.ndarray, ends: np.ndarray, base: int) -> np.ndarray:
    """The digits ``data[start:end]`` of each row as uint64 (``words`` is ``_words(data)``;
    at most 19 decimal or 16 hex digits: the expression that matched the rows bounds
    them, or the caller checked), eight digits at a time from the end."""
    n = len(starts)
    if not n:
        return np.zeros(0, np.uint64)
    lengths = ends - starts
    width = int(lengths.max())
    assert width <= (19 if base == 10 else 16), "a number the fast path does not read"
    # Numbers of one width in every row (fixed-width hex, zero-padded counters): their
    # masks are constants, not a gather from ``_LAST`` per row.
    uniform = int(lengths.min()) == width
    if width == 1 and uniform:
        # One digit in every row (most counters, a version 1): its byte alone (a gather
        # of bytes costs a fifth of one of unaligned words).
        digit = words.data[ends - 1].astype(np.uint64)
        if base == 10:
            return digit - _u64(48)  # type: ignore[no-any-return]
        return (digit & _u64(15)) + _u64(9) * ((digit >> _u64(6)) & _u64(1))  # type: ignore[no-any-return]
    value = _eight(words, ends, min(width, 8) if uniform else np.minimum(lengths, 8), base)
    for chunk in range(1, -(-width // 8)):
        left: np.ndarray | int
        if uniform:
            left, at = min(width - 8 * chunk, 8), ends - 8 * chunk
        else:
            left = np.clip(lengths - 8 * chunk, 0, 8)
            # A row with no digits left reads word 0 (masked to nothing), not a negative one.
            at = np.where(left > 0, ends - 8 * chunk, 0)
        scale = _u64(10 ** (8 * chunk) if base == 10 else 1 << (32 * chunk))
        value += _eight(words, at, left, base) * scale
    return value


def _signed(data: np.ndarray, words: _Words, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``-?digits`` (at most 18 digits) as int64."""
    if len(starts) and int((ends - starts).max()) == 1:
        # One byte in every row (most counters): a digit, no sign ('-' alone is none).
        return data[starts].astype(np.int64) - 48  # type: ignore[no-any-return]
    negative = data[starts] == ord("-")
    if not negative.any():
        return _number(words, starts, ends, 10).astype(np.int64)
    magnitude = _number(words, starts + negative, ends, 10).astype(np.int64)
    return np.where(negative, -magnitude, magnitude)


# ---------------------------------------------------------------- fixed parts of a key

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


class _Block:
    """Rows of bytes built part by part: a matrix of each part's widest bytes and each
    row's length of it; ``binary()`` keeps the first ``length`` bytes of every part, in
    one mask over one matrix.  Each part is only as wide as its longest row in the batch
    (a counter that is 0 everywhere takes two columns, not eleven)."""

    def __init__(self, n: int) -> None:
        self.n = n
        self.parts: list[np.ndarray] = []
        self.lengths: list[np.ndarray | int] = []

    def const(self, data: bytes) -> _Block:
        if data:
            self.parts.append(np.frombuffer(data, np.uint8)[None, :])
            self.lengths.append(len(data))
        return self

    def integer(self, values: np.ndarray) -> _Block:
        """``cdcpos._sort_bytes``' encoding of 64-bit integers (signed or not)."""
        if not len(values) or values.min() == values.max():
            # One value in every row (a version, most counters): a constant, encoded by
            # the object path's own encoder.
            out = bytearray()
            _encode(int(values[0]) if len(values) else 0, out)
            return self.const(bytes(out))
        signed = values.dtype.kind == "i" and bool(values.min() < 0)
        negative = values < 0 if signed else np.zeros(self.n, bool)
        magnitude = values.astype(np.uint64)
        if signed:
            magnitude = np.where(negative, ~magnitude + np.uint64(1), magnitude)
        size = np.searchsorted(_SIZES, magnitude, side="right")
        width = 3 + int(size.max(initial=0))
        matrix = np.empty((self.n, 11), np.uint8)
        matrix[:, 0] = np.where(negative, NEGATIVE, NON_NEGATIVE) if signed else NON_NEGATIVE
        matrix[:, 1] = size > 0
        matrix[:, 2] = size
        # The magnitude's significant bytes first (a shift of 64 only happens for 0).
        shift = (np.uint64(64) - size.astype(np.uint64) * np.uint64(8)) % np.uint64(64)
        matrix[:, 3:] = (magnitude << shift).astype(">u8").view(np.uint8).reshape(self.n, 8)
        if signed:
            matrix[negative, 1:] = 0xFF - matrix[negative, 1:]
        self.parts.append(matrix[:, :width])
        self.lengths.append(np.where(size > 0, size + 3, 2))
        return self

    def part(self, matrix: np.ndarray, lengths: np.ndarray | int) -> _Block:
        """Bytes of any width, of which each row keeps its first ``lengths``."""
        self.parts.append(matrix)
        self.lengths.append(lengths)
        return self

    def _keep(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(the bytes, which of them each row keeps, each row's length), row-major.

        Built column-major and transposed once: a part's byte column is then one
        contiguous run of ``n`` bytes, where row-major slices of a few columns pay
        numpy's loop overhead once per row and part (measured: 0.25 against 0.05 µs a
        row for a PostgreSQL checkpoint's key).
        """
        width = sum(part.shape[1] for part in self.parts)
        matrix = np.empty((width, self.n), np.uint8)
        keep = np.empty((width, self.n), bool)
        total = np.zeros(self.n, np.int64)
        column = 0
        for part, length in zip(self.parts, self.lengths, strict=True):
            end = column + part.shape[1]
            matrix[column:end] = part.T
            if isinstance(length, int):
                keep[column:end] = True
            else:
                for byte in range(part.shape[1]):
                    np.less(byte, length, out=keep[column + byte])
            total += length
            column = end
        return np.ascontiguousarray(matrix.T), np.ascontiguousarray(keep.T), total

    def packed(self) -> tuple[np.ndarray, np.ndarray]:
        """(each row's bytes at the left of a matrix, their lengths): a part of another."""
        matrix, keep, lengths = self._keep()
        packed = np.zeros((self.n, int(lengths.max(initial=0))), np.uint8)
        packed[np.arange(packed.shape[1]) < lengths[:, None]] = np.compress(
            keep.ravel(), matrix.ravel()
        )
        return packed, lengths

    def binary(self) -> pa.Array:
        matrix, keep, lengths = self._keep()
        # ``compress`` of the flat arrays, not ``matrix[keep]``: the same bytes, about
        # three times faster (measured: 0.16 against 0.48 µs a row of 60 bytes).
        return _binary(np.compress(keep.ravel(), matrix.ravel()), lengths)


# ---------------------------------------------------------------- keys as Arrow views

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
        return pieces[0][1]
    views = np.zeros((n, 2), np.uint64)  # a null row: an empty view
    valid = np.zeros(n, bool)
    buffers: list[pa.Buffer] = []
    for rows, column in pieces:
        if not len(rows):
            continue
        column = column if column.type == pa.binary_view() else column.cast(pa.binary_view())
        own = column.buffers()
        held = np.frombuffer(own[1], np.uint64, 2 * len(column), 16 * column.offset)
        held = held.reshape(-1, 2)
        # A view of more than 12 bytes names its buffer (the low half of its second
        # word): the buffers of the pieces follow each other.
        outside = (held[:, 0] & _u64(0xFFFFFFFF)) > _INLINE
        views[rows, 0] = held[:, 0]
        views[rows, 1] = np.where(outside, held[:, 1] + _u64(len(buffers)), held[:, 1])
        valid[rows] = column.is_valid().to_numpy(zero_copy_only=False)
        buffers.extend(own[2:])
    views[~valid] = 0
    bits = pa.py_buffer(np.packbits(valid, bitorder="little"))
    nulls = n - int(valid.sum())
    return pa.Array.from_buffers(
        pa.binary_view(), n, [bits, pa.py_buffer(views), *buffers], null_count=nulls
    )


# ---------------------------------------------------------------- keys of kinds


def _join(*parts: pa.Array | bytes) -> pa.Array:
    scalars = [pa.scalar(p, pa.binary()) if isinstance(p, bytes) else p for p in parts]
    return pc.binary_join_element_wise(*scalars, pa.scalar(b"", pa.binary()))


def _domain(name: bytes) -> bytes:
    """A key's start: the tuple, then its domain (a constant string)."""
    return bytes((TUPLE, STRING)) + name + STRING_END


_END = bytes((END,))


def _postgres_lsn_keys(texts: pa.Array) -> pa.Array:
    offsets, data = _data(texts)
    words = _words(data)
    slash = np.flatnonzero(data == ord("/"))  # one per row: the expression says
    lsn = _number(words, offsets[:-1], slash, 16) << np.uint64(32)
    lsn |= _number(words, slash + 1, offsets[1:], 16)
    return _Views(len(texts), words).const(_domain(b"postgres_lsn")).integer(lsn).const(_END).keys()


def _oracle_scn_keys(texts: pa.Array) -> pa.Array:
    # At most 19 digits: classify sends longer SCNs to the exact path.
    offsets, data = _data(texts)
    words = _words(data)
    scn = _number(words, offsets[:-1], offsets[1:], 10)
    return _Views(len(texts), words).const(_domain(b"oracle_scn")).integer(scn).const(_END).keys()


def _sqlserver_lsn_keys(texts: pa.Array) -> pa.Array:
    # ``vlf:block:slot``, 8, 8 and 4 hex digits (the expression says): one 80-bit number,
    # its first 16 digits and its last 4.
    offsets, data = _data(texts)
    words = _words(data)
    starts = offsets[:-1]
    high = _number(words, starts, starts + 8, 16) << np.uint64(32)
    high |= _number(words, starts + 9, starts + 17, 16)
    slot = _number(words, starts + 18, starts + 22, 16)
    views = _Views(len(texts), words).const(_domain(b"sqlserver_lsn"))
    return views.integer(high, slot, 16).const(_END).keys()


def _mysql_binlog_keys(texts: pa.Array) -> pa.Array:
    # ``file.sequence:offset``: the only ':', and the last '.' before it (a file name may
    # hold dots); no run of 20 digits, or classify sent the row to the exact path.
    offsets, data = _data(texts)
    colon = np.flatnonzero(data == ord(":"))
    dots = np.flatnonzero(data == ord("."))
    dot = dots[np.searchsorted(dots, colon) - 1]
    starts = offsets[:-1]
    words = _words(data)
    return (
        _Views(len(texts), words)
        .const(_domain(b"mysql_binlog:")[: -len(STRING_END)])
        .text(starts, dot)
        .const(STRING_END + bytes((TUPLE,)))
        .integer(_number(words, dot + 1, colon, 10))
        .integer(_number(words, colon + 1, offsets[1:], 10))
        .const(bytes((STRING,)))
        .text(starts, colon)
        .const(STRING_END + _END + _END)
        .keys()
    )


_SLASHES = _u64(0x2F2F2F2F2F2F2F2F)
_LOW_BITS, _HIGH_BITS = _u64(0x0101010101010101), _u64(0x8080808080808080)


def _slash_in(words: np.ndarray) -> np.ndarray:
    """The index (0-7) of the first '/' of each word's bytes, which hold one: a
    PostgreSQL LSN's high half is 1 to 8 digits, so the eight bytes after the position's
    first digit hold its '/' (found without a scan of the whole buffer).

    SWAR: a byte equal to '/' is a zero byte of ``word ^ '////////'``, and
    ``(x - 0x01..) & ~x & 0x80..`` flags the first zero byte exactly (a borrow can only
    flag bytes after it); its bit, 2**(8k+7), gives k by the float exponent (exact for
    a power of two)."""
    x = words ^ _SLASHES
    flags = (x - _LOW_BITS) & ~x & _HIGH_BITS
    lowest = flags & (~flags + _u64(1))
    return (np.frexp(lowest.astype(np.float64))[1].astype(np.int64) - 8) // 8


def _postgres_checkpoint_keys(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(the rows it builds, their keys) of checkpoints of PostgreSQL positions (the second
    ``*`` or one): those whose version and counters fit 64 bits (the others are left).

    The fields are found by the offsets of the seven ``#`` of each row (the expression
    that matched says there are seven), without a matrix of field bounds: field ``i``
    ends at ``#`` number ``i`` and starts after ``#`` number ``i - 1``.
    """
    n = len(texts)
    offsets, data = _data(texts)
    found = np.flatnonzero(data == ord("#"))
    assert len(found) == 7 * n, "a field count other than 8"
    hashes = found.reshape(n, 7)

    def field(i: int) -> tuple[np.ndarray, np.ndarray]:
        start = offsets[:-1] if i == 0 else hashes[:, i - 1] + 1
        return start, (offsets[1:] if i == 7 else hashes[:, i])

    counters = [field(i) for i in (1, 3, 4, 6, 7)]
    version_start, version_end = field(0)
    version_start = version_start + len("checkpoint:V")
    fits = version_end - version_start <= 19
    for start, end in counters:
        fits &= end - start <= 18
    if not fits.all():
        rows = np.flatnonzero(fits)
        if not len(rows):
            return rows, pa.array([], pa.binary())
        built, keys = _postgres_checkpoint_keys(texts.filter(pa.array(fits)))
        return rows[built], keys
    words = _words(data)
    position_start, position_end = hashes[:, 1] + 1, hashes[:, 2]
    first = position_start + 1 + _slash_in(words[position_start + 9])
    lsn = _number(words, position_start, first, 16) << np.uint64(32)
    lsn |= _number(words, first + 1, position_end, 16)
    second_start, second_end = field(5)
    none = second_end - second_start == 1  # ``*``: a PostgreSQL LSN has 3 bytes at least
    if none.all():
        numbers = [_signed(data, words, start, end) for start, end in counters]
        views = _postgres_checkpoint_views(
            words, offsets, lsn, (version_start, version_end), numbers
        )
        return np.arange(n), views
    nested = _tail_is_nested()
    block = _Block(n).integer(lsn).const(bytes((TUPLE,)) if nested else b"")
    block.integer(_number(words, version_start, version_end, 10))
    block.const(bytes((TUPLE,)))
    for start, end in counters:
        block.integer(_signed(data, words, start, end))
    block.const(_END)
    if none.all():
        block.const(bytes((TUPLE, END)))
    else:
        # A second PostgreSQL LSN where there is one (``*`` reads as an empty field).
        at = np.where(none, second_end, second_start)
        slashes = np.flatnonzero(data == ord("/"))
        slash = slashes[np.minimum(np.searchsorted(slashes, at), len(slashes) - 1)]
        slash = np.where(none, second_end, slash)
        other = _number(words, at, slash, 16) << np.uint64(32)
        other |= _number(words, np.minimum(slash + 1, second_end), second_end, 16)
        second = _Block(n).const(_domain(b"postgres_lsn")).integer(other).const(_END)
        matrix, lengths = second.packed()
        matrix[none, :2] = (TUPLE, END)
        block.part(matrix, np.where(none, 2, lengths))
    block.const(bytes((STRING,)))
    tail = STRING_END + (_END if nested else b"") + _END
    head = _domain(b"checkpoint:postgres_lsn")
    return np.arange(n), _join(head, block.binary(), texts.cast(pa.binary()), tail)


def _postgres_checkpoint_views(
    words: _Words,
    offsets: np.ndarray,
    lsn: np.ndarray,
    version: tuple[np.ndarray, np.ndarray],
    counters: list[np.ndarray],
) -> pa.Array:
    """The keys of PostgreSQL checkpoints without a second position (``*``), as views."""
    nested = _tail_is_nested()
    views = _Views(len(lsn), words).const(_domain(b"checkpoint:postgres_lsn")).integer(lsn)
    views.const(bytes((TUPLE,)) if nested else b"")
    views.integer(_number(words, *version, 10)).const(bytes((TUPLE,)))
    for values in counters:
        views.integer(values)
    views.const(_END + bytes((TUPLE, END, STRING)))
    views.text(offsets[:-1], offsets[1:])
    return views.const(STRING_END + (_END if nested else b"") + _END).keys()


_FAST: dict[str, Callable[[pa.Array], pa.Array]] = {
    "postgres_lsn": _postgres_lsn_keys,
    "oracle_scn": _oracle_scn_keys,
    "sqlserver_lsn": _sqlserver_lsn_keys,
    "mysql_binlog": _mysql_binlog_keys,
}

# ---------------------------------------------------------------- the column

# The numpy builders work on chunks this large: their temporaries (a few 64-bit columns
# per part of a key, and the views, 16 bytes each) then stay in the processor's cache
# instead of streaming through memory, which is most of their time on a busy machine
# (measured on 1M PostgreSQL checkpoints, 2 threads: 615-660 ns a row at 8-16k rows per
# call, 773 at 64k; 262k took 30% longer than 64k before the views).
_CHUNK = 1 << 14


def sort_key_column(values: object, *, kind: str | None = None) -> pa.Array:
    """``cdcpos.sort_bytes`` of every row (null when invalid or null), as binary.

    >>> import cdcpos
    >>> keys = sort_key_column(["0/2", "checkpoint:V1#1#0/1#0#0#*#0#0", "x", None])
    >>> keys[0].as_py() == cdcpos.sort_bytes(cdcpos.parse("0/2")), keys[2:].to_pylist()
    (True, [None, None])
    """
    return sort_key_views(values, kind=kind).cast(pa.binary())


def sort_key_views(values: object, *, kind: str | None = None) -> pa.Array:
    """``sort_key_column`` as ``binary_view`` (Polars' own layout: no copy to hand over).

    >>> sort_key_views(["0/2", None]).type
    DataType(binary_view)
    """
    texts = as_string_array(values)
    entry = entry_of(kind)
    parts = map_slices(texts, lambda part: _sort_keys(part, entry, kind), most=BATCH_ROWS)
    return parts[0] if len(parts) == 1 else pa.concat_arrays(parts)


def _sort_keys(texts: pa.Array, entry: str, kind: str | None) -> pa.Array:
    n = len(texts)
    found = kinds_of(texts, entry, with_positions=True)
    codes = found.codes
    exact = _suspects(texts, codes, found.proven) & (codes >= 0)
    pieces: list[tuple[np.ndarray, pa.Array]] = []
    left = (codes >= 0) & ~exact
    postgres = left & (codes == _KIND_CODE["checkpoint"])
    postgres &= found.positions == _KIND_CODE["postgres_lsn"]
    if postgres.any():
        rows = np.flatnonzero(postgres)
        subset = texts if len(rows) == n else texts.filter(pa.array(postgres))
        for start in range(0, len(rows), _CHUNK):
            built, keys = _postgres_checkpoint_keys(subset.slice(start, _CHUNK))
            pieces.append((rows[start + built], keys))
            left[rows[start + built]] = False
    for name in np.unique(codes[left]):
        mask = left & (codes == name)
        rows = np.flatnonzero(mask)
        subset = texts if len(rows) == n else texts.filter(pa.array(mask))
        kind_name = _KIND_NAMES[int(name)]
        if kind_name in _FAST:
            for start in range(0, len(rows), _CHUNK):
                chunk = subset.slice(start, _CHUNK)
                pieces.append((rows[start : start + _CHUNK], _FAST[kind_name](chunk)))
            continue
        check, build = _KINDS[kind_name]
        ok = np.ones(len(rows), bool) if check is None else check(subset)
        if not ok.all():
            exact[rows[~ok]] = True
            rows, subset = rows[ok], subset.filter(pa.array(ok))
        if len(rows):
            pieces.append((rows, build(subset)["sort_key"]))
    asked = np.flatnonzero(exact)
    if len(asked):
        answers = _exact_rows(texts.take(pa.array(asked)).to_pylist(), kind, None, False)
        pieces.append((asked, pa.array([a.get("sort_key") for a in answers], pa.binary())))
    return _assemble_views(n, pieces)
