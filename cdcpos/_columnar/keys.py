"""Sort keys straight from the data buffer: the kinds most columns hold, in a few numpy
passes each, and the column of sort keys alone (``cdcpos.polars``' ``sort_key()``).

``values`` builds a key from string columns cut by Arrow kernels (a copy per field) and
joins a dozen parts; here the fields of a row are found by the offsets of their
separators in the buffer (the expression that matched the row says where they are), the
numbers are read from the digits by column arithmetic, and every fixed part of a key
(the domain, the integers, the tuple marks) is laid out in one byte matrix that a single
mask compacts.  Only text of any length (a checkpoint's, a binlog file name) is joined by
Arrow.  The bytes are ``cdcpos._sort_bytes``' by construction, and the tests compare them
with ``cdcpos.sort_bytes`` of the values.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdcpos._columnar.encode import _assemble, _binary, _row_key, as_string_array
from cdcpos._columnar.exact import _exact_rows
from cdcpos._columnar.kinds import _suspects, entry_of, kinds_of
from cdcpos._columnar.positions import _sqlserver_key
from cdcpos._columnar.scan import _data, field_bounds
from cdcpos._columnar.schema import _KIND_CODE
from cdcpos._columnar.schema import KIND_NAMES as _KIND_NAMES
from cdcpos._columnar.values import _KINDS, _tail_is_nested
from cdcpos._sort_bytes import END, NEGATIVE, NON_NEGATIVE, STRING, STRING_END, TUPLE

# ---------------------------------------------------------------- numbers from the buffer

_HEX = np.zeros(256, np.uint8)
_HEX[48:58] = np.arange(10)
_HEX[65:71] = np.arange(10, 16)
_HEX[97:103] = np.arange(10, 16)
_DIGIT = np.zeros(256, np.uint8)
_DIGIT[48:58] = np.arange(10)


def _number(data: np.ndarray, starts: np.ndarray, ends: np.ndarray, base: int) -> np.ndarray:
    """The digits ``data[start:end]`` of each row as uint64 (at most 19 decimal or 16 hex
    digits: the expression that matched the rows bounds them, or the caller checked)."""
    n = len(starts)
    if not n:
        return np.zeros(0, np.uint64)
    width = int((ends - starts).max())
    assert width <= (19 if base == 10 else 16), "a number the fast path does not read"
    table = _DIGIT if base == 10 else _HEX
    if width == 0 or not len(data):
        return np.zeros(n, np.uint64)
    if width == 1:  # one digit at most (a counter that is 0, say): no matrix
        digit = table[data[np.minimum(starts, len(data) - 1)]]
        return np.where(ends > starts, digit, 0).astype(np.uint64)
    # The digits right-aligned in a matrix as wide as the longest; left of a shorter
    # number, the byte before it (a separator, which reads as 0) stands in.
    before = np.maximum(starts - 1, 0)
    at = ends[:, None] - np.arange(width, 0, -1)
    digits = table[data[np.maximum(at, before[:, None])]]
    if starts.min() == 0 or table[data[before]].any():
        # A row's first field: the byte before it is the previous row's (maybe a digit).
        digits[at < starts[:, None]] = 0
    powers = np.uint64(base) ** np.arange(width - 1, -1, -1, dtype=np.uint64)
    return digits @ powers  # type: ignore[no-any-return]


def _signed(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> np.ndarray:
    """``-?digits`` (at most 18 digits) as int64."""
    negative = data[starts] == ord("-")
    magnitude = _number(data, starts + negative, ends, 10).astype(np.int64)
    return np.where(negative, -magnitude, magnitude)


# ---------------------------------------------------------------- fixed parts of a key

_SIZES = np.array([1 << (8 * k) for k in range(8)], np.uint64)


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
        if not values.any():  # 0 in every row (most counters): a constant
            return self.const(bytes((NON_NEGATIVE, 0)))
        signed = values.dtype.kind == "i"
        negative = values < 0 if signed else np.zeros(self.n, bool)
        magnitude = values.astype(np.uint64)
        if signed:
            magnitude = np.where(negative, ~magnitude + np.uint64(1), magnitude)
        size = np.searchsorted(_SIZES, magnitude, side="right")
        width = 3 + int(size.max(initial=0))
        matrix = np.empty((self.n, 11), np.uint8)
        matrix[:, 0] = np.where(negative, NEGATIVE, NON_NEGATIVE)
        matrix[:, 1] = size > 0
        matrix[:, 2] = size
        # The magnitude's significant bytes first (a shift of 64 only happens for 0).
        shift = (np.uint64(64) - size.astype(np.uint64) * np.uint64(8)) % np.uint64(64)
        matrix[:, 3:] = (magnitude << shift).astype(">u8").view(np.uint8).reshape(self.n, 8)
        if negative.any():
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
        width = sum(part.shape[1] for part in self.parts)
        matrix = np.empty((self.n, width), np.uint8)
        keep = np.empty((self.n, width), bool)
        total = np.zeros(self.n, np.int64)
        column = 0
        for part, length in zip(self.parts, self.lengths, strict=True):
            end = column + part.shape[1]
            matrix[:, column:end] = part
            if isinstance(length, int):
                keep[:, column:end] = True
            else:
                keep[:, column:end] = np.arange(part.shape[1]) < length[:, None]
            total += length
            column = end
        return matrix, keep, total

    def packed(self) -> tuple[np.ndarray, np.ndarray]:
        """(each row's bytes at the left of a matrix, their lengths): a part of another."""
        matrix, keep, lengths = self._keep()
        packed = np.zeros((self.n, int(lengths.max(initial=0))), np.uint8)
        packed[np.arange(packed.shape[1]) < lengths[:, None]] = matrix[keep]
        return packed, lengths

    def binary(self) -> pa.Array:
        matrix, keep, lengths = self._keep()
        return _binary(matrix[keep], lengths)


# ---------------------------------------------------------------- keys of kinds


def _slices(data: np.ndarray, starts: np.ndarray, ends: np.ndarray) -> pa.Array:
    """``data[start:end]`` of each row, as a binary column."""
    lengths = ends - starts
    offsets = np.zeros(len(starts) + 1, np.int64)
    np.cumsum(lengths, out=offsets[1:])
    at = np.arange(offsets[-1]) + np.repeat(starts - offsets[:-1], lengths)
    return _binary(data[at], lengths)


def _join(*parts: pa.Array | bytes) -> pa.Array:
    scalars = [pa.scalar(p, pa.binary()) if isinstance(p, bytes) else p for p in parts]
    return pc.binary_join_element_wise(*scalars, pa.scalar(b"", pa.binary()))


def _domain(name: bytes) -> bytes:
    """A key's start: the tuple, then its domain (a constant string)."""
    return bytes((TUPLE, STRING)) + name + STRING_END


_END = bytes((END,))


def _postgres_lsn_keys(texts: pa.Array) -> pa.Array:
    offsets, data = _data(texts)
    slash = np.flatnonzero(data == ord("/"))  # one per row: the expression says
    lsn = _number(data, offsets[:-1], slash, 16) << np.uint64(32)
    lsn |= _number(data, slash + 1, offsets[1:], 16)
    return _Block(len(texts)).const(_domain(b"postgres_lsn")).integer(lsn).const(_END).binary()


def _oracle_scn_keys(texts: pa.Array) -> pa.Array:
    # At most 19 digits: classify sends longer SCNs to the exact path.
    offsets, data = _data(texts)
    scn = _number(data, offsets[:-1], offsets[1:], 10)
    return _Block(len(texts)).const(_domain(b"oracle_scn")).integer(scn).const(_END).binary()


def _sqlserver_lsn_keys(texts: pa.Array) -> pa.Array:
    return _row_key(b"sqlserver_lsn", _sqlserver_key(texts))


def _mysql_binlog_keys(texts: pa.Array) -> pa.Array:
    # ``file.sequence:offset``: the only ':', and the last '.' before it (a file name may
    # hold dots); no run of 20 digits, or classify sent the row to the exact path.
    offsets, data = _data(texts)
    colon = np.flatnonzero(data == ord(":"))
    dots = np.flatnonzero(data == ord("."))
    dot = dots[np.searchsorted(dots, colon) - 1]
    starts = offsets[:-1]
    numbers = (
        _Block(len(texts))
        .const(STRING_END + bytes((TUPLE,)))
        .integer(_number(data, dot + 1, colon, 10))
        .integer(_number(data, colon + 1, offsets[1:], 10))
        .const(bytes((STRING,)))
        .binary()
    )
    return _join(
        _domain(b"mysql_binlog:")[: -len(STRING_END)],
        _slices(data, starts, dot),
        numbers,
        _slices(data, starts, colon),
        STRING_END + _END + _END,
    )


def _postgres_checkpoint_keys(texts: pa.Array) -> tuple[np.ndarray, pa.Array]:
    """(the rows it builds, their keys) of checkpoints of PostgreSQL positions (the second
    ``*`` or one): those whose version and counters fit 64 bits (the others are left)."""
    n = len(texts)
    _, data = _data(texts)
    starts, ends = field_bounds(texts, "#", 8)
    counters = [1, 3, 4, 6, 7]
    fits = ends[:, 0] - starts[:, 0] - len("checkpoint:V") <= 19
    for i in counters:
        fits &= ends[:, i] - starts[:, i] <= 18
    if not fits.all():
        rows = np.flatnonzero(fits)
        if not len(rows):
            return rows, pa.array([], pa.binary())
        built, keys = _postgres_checkpoint_keys(texts.filter(pa.array(fits)))
        return rows[built], keys
    slashes = np.flatnonzero(data == ord("/"))
    first = slashes[np.searchsorted(slashes, starts[:, 2])]
    lsn = _number(data, starts[:, 2], first, 16) << np.uint64(32)
    lsn |= _number(data, first + 1, ends[:, 2], 16)
    none = (ends[:, 5] - starts[:, 5] == 1) & (data[starts[:, 5]] == ord("*"))
    nested = _tail_is_nested()
    block = _Block(n).integer(lsn).const(bytes((TUPLE,)) if nested else b"")
    block.integer(_number(data, starts[:, 0] + len("checkpoint:V"), ends[:, 0], 10))
    block.const(bytes((TUPLE,)))
    for i in counters:
        block.integer(_signed(data, starts[:, i], ends[:, i]))
    block.const(_END)
    if none.all():
        block.const(bytes((TUPLE, END)))
    else:
        # A second PostgreSQL LSN where there is one (``*`` reads as an empty field).
        at = np.where(none, ends[:, 5], starts[:, 5])
        slash = slashes[np.minimum(np.searchsorted(slashes, at), len(slashes) - 1)]
        slash = np.where(none, ends[:, 5], slash)
        other = _number(data, at, slash, 16) << np.uint64(32)
        other |= _number(data, np.minimum(slash + 1, ends[:, 5]), ends[:, 5], 16)
        second = _Block(n).const(_domain(b"postgres_lsn")).integer(other).const(_END)
        matrix, lengths = second.packed()
        matrix[none, :2] = (TUPLE, END)
        block.part(matrix, np.where(none, 2, lengths))
    block.const(bytes((STRING,)))
    tail = STRING_END + (_END if nested else b"") + _END
    head = _domain(b"checkpoint:postgres_lsn")
    return np.arange(n), _join(head, block.binary(), texts.cast(pa.binary()), tail)


_FAST: dict[str, Callable[[pa.Array], pa.Array]] = {
    "postgres_lsn": _postgres_lsn_keys,
    "oracle_scn": _oracle_scn_keys,
    "sqlserver_lsn": _sqlserver_lsn_keys,
    "mysql_binlog": _mysql_binlog_keys,
}

# ---------------------------------------------------------------- the column

BATCH_ROWS = 1 << 18
# The numpy builders work on chunks this large: their temporaries (a few per byte and
# per number of a row) then stay in the processor's cache instead of streaming through
# memory, which is most of their time on a busy machine (measured: 262k rows per call
# took 30% longer than 64k; 4k rows, twice as long, for the calls' own cost).
_CHUNK = 1 << 16


def sort_key_column(values: object, *, kind: str | None = None) -> pa.Array:
    """``cdcpos.sort_bytes`` of every row (null when invalid or null), as binary.

    >>> import cdcpos
    >>> keys = sort_key_column(["0/2", "checkpoint:V1#1#0/1#0#0#*#0#0", "x", None])
    >>> keys[0].as_py() == cdcpos.sort_bytes(cdcpos.parse("0/2")), keys[2:].to_pylist()
    (True, [None, None])
    """
    texts = as_string_array(values)
    entry = entry_of(kind)
    if len(texts) <= BATCH_ROWS:
        return _sort_keys(texts, entry, kind)
    return pa.concat_arrays(
        [
            _sort_keys(texts.slice(start, BATCH_ROWS), entry, kind)
            for start in range(0, len(texts), BATCH_ROWS)
        ]
    )


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
        subset = texts.filter(pa.array(postgres))
        for start in range(0, len(rows), _CHUNK):
            built, keys = _postgres_checkpoint_keys(subset.slice(start, _CHUNK))
            pieces.append((rows[start + built], keys))
            left[rows[start + built]] = False
    for name in np.unique(codes[left]):
        mask = left & (codes == name)
        rows = np.flatnonzero(mask)
        subset = texts.filter(pa.array(mask))
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
    return _assemble(n, pieces, pa.binary())
