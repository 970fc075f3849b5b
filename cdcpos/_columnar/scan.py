"""Scans of a string column's data buffer with numpy: what a row contains, without a regex.

The checks the grammar cannot express (a number past 64 bits, the two positions of a
checkpoint from one engine) only need to know *which rows may fail them*; those rows go to
the exact path.  A regular-expression search per row costs more than the match of the
whole grammar's expression (RE2 runs ``[0-9]{20}`` at about 0.25 µs a row), while a byte
comparison over the whole buffer, packed into 64-bit words, costs a few nanoseconds a row.
Each scan here may flag a row that does not have the property (a run that crosses from one
row into the next): a flagged row only takes the slower, exact path, so that is safe;
what a scan must never do is miss a row that has it.
"""

from __future__ import annotations

import numpy as np
import pyarrow as pa

_DIGIT_RUN = 20  # a decimal number of 20 digits or more may pass 2**64-1 (19 never does)


def _data(texts: pa.Array) -> tuple[np.ndarray, np.ndarray]:
    """(offsets relative to the first row's text, the bytes of all rows) of a string array."""
    n = len(texts)
    _, offsets_buffer, data = texts.buffers()
    offsets = np.frombuffer(offsets_buffer, np.int32, n + 1, texts.offset * 4).astype(np.int64)
    start = int(offsets[0])
    if data is None:
        return offsets - start, np.zeros(0, np.uint8)
    return offsets - start, np.frombuffer(data, np.uint8, int(offsets[-1]) - start, start)


def _bits(mask: np.ndarray) -> np.ndarray:
    """Booleans as 64-bit words, bit ``p`` of the stream the most significant first."""
    packed = np.packbits(mask)
    padding = -len(packed) % 8
    if padding:
        packed = np.concatenate([packed, np.zeros(padding, np.uint8)])
    return packed.view(">u8").astype(np.uint64)


def _ahead(words: np.ndarray, k: int) -> np.ndarray:
    """Bit ``p`` of the result is bit ``p + k`` of ``words`` (0 past the end), 0 < k < 64."""
    following = np.zeros_like(words)
    following[:-1] = words[1:]
    return (words << np.uint64(k)) | (following >> np.uint64(64 - k))


def _positions(words: np.ndarray) -> np.ndarray:
    """The bit positions set in ``words``."""
    nonzero = np.flatnonzero(words)
    if not len(nonzero):
        return nonzero
    bits = np.unpackbits(words[nonzero].astype(">u8").view(np.uint8)).reshape(-1, 64)
    word, bit = np.nonzero(bits)
    return nonzero[word] * 64 + bit


def _rows_of(offsets: np.ndarray, positions: np.ndarray) -> np.ndarray:
    return np.searchsorted(offsets, positions, side="right") - 1


def long_digit_runs(texts: pa.Array) -> np.ndarray:
    """Rows that may hold a run of 20 ASCII digits (every row that does is flagged).

    A run starting at byte ``p`` is found by doubling: runs of 2 are ``d & d<<1``, of 4
    ``r2 & r2<<2``, and so on to 16, then 20; a run crossing into the next row flags the
    row where it starts.

    >>> import pyarrow as pa
    >>> long_digit_runs(pa.array(["1" * 19 + "x", "1" * 20, "x" + "1" * 19])).tolist()
    [False, True, False]
    >>> long_digit_runs(pa.array(["1" * 10, "1" * 10])).tolist()  # across rows: flagged
    [True, False]
    """
    n = len(texts)
    flagged = np.zeros(n, bool)
    offsets, data = _data(texts)
    if len(data) < _DIGIT_RUN:
        return flagged
    runs = _bits((data - np.uint8(48)) < np.uint8(10))
    for k in (1, 2, 4, 8, 4):  # runs of 2, 4, 8, 16, 20
        runs &= _ahead(runs, k)
    flagged[_rows_of(offsets, _positions(runs))] = True
    return flagged


def contains_triple(texts: pa.Array, outer: str, middle: str) -> np.ndarray:
    """Rows that contain ``outer + middle + outer`` (exactly: a triple across rows is not
    counted), found from the ``middle`` bytes, which are expected to be rare."""
    n = len(texts)
    found = np.zeros(n, bool)
    offsets, data = _data(texts)
    if len(data) < 3:
        return found
    at = np.flatnonzero(data[1:-1] == ord(middle)) + 1
    at = at[(data[at - 1] == ord(outer)) & (data[at + 1] == ord(outer))]
    rows = _rows_of(offsets, at - 1)
    same_row = at + 1 < offsets[rows + 1]
    found[rows[same_row]] = True
    return found


def field_bounds(texts: pa.Array, separator: str, fields: int) -> tuple[np.ndarray, np.ndarray]:
    """(starts, ends) of each row's fields, (n, fields) each, as offsets into ``_data``'s
    bytes, for rows that all hold exactly ``fields - 1`` separators (the grammar says so)."""
    n = len(texts)
    offsets, data = _data(texts)
    at = np.flatnonzero(data == ord(separator))
    assert len(at) == n * (fields - 1), f"a field count other than {fields}"
    inner = at.reshape(n, fields - 1)
    starts = np.empty((n, fields), np.int64)
    ends = np.empty((n, fields), np.int64)
    starts[:, 0] = offsets[:-1]
    starts[:, 1:] = inner + 1
    ends[:, :-1] = inner
    ends[:, -1] = offsets[1:]
    return starts, ends


def counts_in(texts: pa.Array, byte: str, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """How many ``byte`` each ``[start, end)`` range of ``_data``'s bytes holds."""
    _, data = _data(texts)
    at = np.flatnonzero(data == ord(byte))
    return np.searchsorted(at, ends) - np.searchsorted(at, starts)
