"""Sort keys straight from the data buffer: the kinds most columns hold, in a few numpy
passes each, and the column of sort keys alone (``cdcpos.polars``' ``sort_key()``).

``values`` builds a key from string columns cut by Arrow kernels (a copy per field) and
joins a dozen parts; here the fields of a row are found by the offsets of their
separators in the buffer (the expression that matched the row says where they are), the
numbers are read from the digits by column arithmetic (``digits``), and a key is a few
Arrow binary views per row (``views``): the integers and short constants packed into
views of 12 bytes by 64-bit shifts, the row's text a view of the input buffer itself,
which one cast to ``binary`` concatenates. (``_Block``, one byte matrix that a mask
compacts, is left for the rare PostgreSQL checkpoint with a second position.) The bytes
are ``cdcpos._sort_bytes``' by construction, and the tests compare them with
``cdcpos.sort_bytes`` of the values.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from cdcpos._columnar.digits import _number, _signed, _slash_in, _Words, _words
from cdcpos._columnar.encode import _binary, as_string_array
from cdcpos._columnar.exact import _exact_rows
from cdcpos._columnar.kinds import BATCH_ROWS, _suspects, entry_of, kinds_of
from cdcpos._columnar.scan import _data
from cdcpos._columnar.schema import _KIND_CODE
from cdcpos._columnar.schema import KIND_NAMES as _KIND_NAMES
from cdcpos._columnar.threads import map_slices
from cdcpos._columnar.values import _KINDS, _tail_is_nested
from cdcpos._columnar.views import _SIZES, _assemble_views, _Views
from cdcpos._sort_bytes import END, NEGATIVE, NON_NEGATIVE, STRING, STRING_END, TUPLE, _encode

# ---------------------------------------------------------------- fixed parts of a key


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


# ---------------------------------------------------------------- keys of kinds


def _join(*parts: pa.Array | bytes) -> pa.Array:
    scalars = [pa.scalar(p, pa.binary()) if isinstance(p, bytes) else p for p in parts]
    return pc.binary_join_element_wise(*scalars, pa.scalar(b"", pa.binary()))


def _domain(name: bytes) -> bytes:
    """A key's start: the tuple, then its domain (a constant string)."""
    return bytes((TUPLE, STRING)) + name + STRING_END


_END = bytes((END,))


def _postgres_lsn_keys(texts: pa.Array) -> _Views:
    offsets, data = _data(texts)
    words = _words(data)
    slash = np.flatnonzero(data == ord("/"))  # one per row: the expression says
    lsn = _number(words, offsets[:-1], slash, 16) << np.uint64(32)
    lsn |= _number(words, slash + 1, offsets[1:], 16)
    return _Views(len(texts), words).const(_domain(b"postgres_lsn")).integer(lsn).const(_END)


def _oracle_scn_keys(texts: pa.Array) -> _Views:
    # At most 19 digits: classify sends longer SCNs to the exact path.
    offsets, data = _data(texts)
    words = _words(data)
    scn = _number(words, offsets[:-1], offsets[1:], 10)
    return _Views(len(texts), words).const(_domain(b"oracle_scn")).integer(scn).const(_END)


def _sqlserver_lsn_keys(texts: pa.Array) -> _Views:
    # ``vlf:block:slot``, 8, 8 and 4 hex digits (the expression says): one 80-bit number,
    # its first 16 digits and its last 4.
    offsets, data = _data(texts)
    words = _words(data)
    starts = offsets[:-1]
    high = _number(words, starts, starts + 8, 16) << np.uint64(32)
    high |= _number(words, starts + 9, starts + 17, 16)
    slot = _number(words, starts + 18, starts + 22, 16)
    views = _Views(len(texts), words).const(_domain(b"sqlserver_lsn"))
    return views.integer(high, slot, 16).const(_END)


def _mysql_binlog_keys(texts: pa.Array) -> _Views:
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
    )


def _postgres_checkpoint_keys(texts: pa.Array) -> tuple[np.ndarray, pa.Array | _Views]:
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
) -> _Views:
    """The keys of PostgreSQL checkpoints without a second position (``*``), as views."""
    nested = _tail_is_nested()
    views = _Views(len(lsn), words).const(_domain(b"checkpoint:postgres_lsn")).integer(lsn)
    views.const(bytes((TUPLE,)) if nested else b"")
    views.integer(_number(words, *version, 10)).const(bytes((TUPLE,)))
    for values in counters:
        views.integer(values)
    views.const(_END + bytes((TUPLE, END, STRING)))
    views.text(offsets[:-1], offsets[1:])
    return views.const(STRING_END + (_END if nested else b"") + _END)


# Each builder returns its keys as a ``_Views`` (``.keys()`` as views, ``.binary()``).
_FAST: dict[str, Callable[[pa.Array], _Views]] = {
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
    chunks = sort_key_chunks(values, kind=kind)
    return chunks.chunk(0) if chunks.num_chunks == 1 else pa.concat_arrays(chunks.chunks)


def sort_key_chunks(values: object, *, kind: str | None = None) -> pa.ChunkedArray:
    """``sort_key_column`` as a chunk of ``binary`` per slice of the threads (``threads``),
    each cast from its views by the thread that built it: Polars takes the chunks as
    they are, where one cast of the whole column (~25 ns a row) ran after the threads.

    >>> sort_key_chunks(["0/2", None]).type
    DataType(binary)
    """
    texts = as_string_array(values, keep_layout=True)
    entry = entry_of(kind)

    def binary(part: pa.Array) -> pa.Array:
        return _sort_keys(part, entry, kind, binary=True)

    return pa.chunked_array(map_slices(texts, binary, most=BATCH_ROWS), pa.binary())


def sort_key_views(values: object, *, kind: str | None = None) -> pa.Array:
    """``sort_key_column`` as ``binary_view`` (Polars' own layout: no copy to hand over).

    >>> sort_key_views(["0/2", None]).type
    DataType(binary_view)
    """
    texts = as_string_array(values, keep_layout=True)
    entry = entry_of(kind)
    parts = map_slices(texts, lambda part: _sort_keys(part, entry, kind), most=BATCH_ROWS)
    return parts[0] if len(parts) == 1 else pa.concat_arrays(parts)


def _sort_keys(texts: pa.Array, entry: str, kind: str | None, *, binary: bool = False) -> pa.Array:
    """The keys of a slice as ``binary_view`` (``binary``: as ``binary``)."""
    n = len(texts)
    found = kinds_of(texts, entry, with_positions=True)
    codes = found.codes
    exact = _suspects(texts, codes, found.proven) & (codes >= 0)
    pieces: list[tuple[np.ndarray, pa.Array | _Views]] = []
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
    if binary:
        in_order = _in_order(n, pieces)
        if in_order is not None:
            # Every row, in pieces of consecutive rows (a column of one kind): their
            # bytes one after the other, without views of the rows, their assembly and
            # a cast of those (~60 ns a row of a PostgreSQL checkpoint).
            parts = [_as_binary(keys) for keys in in_order]
            return parts[0] if len(parts) == 1 else pa.concat_arrays(parts)
    views = [(rows, keys.keys() if isinstance(keys, _Views) else keys) for rows, keys in pieces]
    assembled = _assemble_views(n, views)
    return assembled.cast(pa.binary()) if binary else assembled


def _in_order(n: int, pieces: list[tuple[np.ndarray, pa.Array | _Views]]) -> list[Any] | None:
    """The keys of the pieces in row order when they hold rows 0 to n-1, each piece a run
    of consecutive rows (its rows ascend: each is a mask's rows or a slice of them)."""
    held = sorted((piece for piece in pieces if len(piece[0])), key=lambda piece: int(piece[0][0]))
    at = 0
    for rows, _ in held:
        if int(rows[0]) != at or int(rows[-1]) != at + len(rows) - 1:
            return None
        at += len(rows)
    return [keys for _, keys in held] if at == n and held else None


def _as_binary(keys: pa.Array | _Views) -> pa.Array:
    if isinstance(keys, _Views):
        return keys.binary()
    return keys if keys.type == pa.binary() else keys.cast(pa.binary())
