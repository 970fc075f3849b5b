"""Numbers read from a string column's data buffer by 64-bit word arithmetic (SWAR).

The sort-key builders (``keys``) find a field by the offsets of its separators; its
digits are then read as one unaligned 64-bit word per row and eight digits, and combined
by a few column operations, instead of a string kernel's copy and a cast per field.
"""

from __future__ import annotations

import numpy as np


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
