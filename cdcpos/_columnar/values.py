"""What each kind of a whole row gives: its check and its build (the columns of its rows)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

import cdcpos
from cdcpos._columnar.encode import (
    _assemble,
    _be_u64,
    _encode_ints,
    _encode_magnitudes,
    _encode_str,
    _encode_u64,
    _fixed,
    _hex_bytes,
    _join,
    _np,
    _repeat,
    _row_key,
    _signed_ok,
    _split,
    _to_i64,
    _to_u64,
    _uint_fields,
)
from cdcpos._columnar.positions import (
    _POSITIONS,
    POSITION_PATTERNS,
    _binlog_check,
    _binlog_position,
    _lsn_values,
    _sqlserver_key,
)
from cdcpos._columnar.schema import _KIND_CODE, COUNTERS, TYPES, _kind_array
from cdcpos._sort_bytes import (
    DATETIME,
    END,
    STRING,
    STRING_END,
    TUPLE,
)

# Each kind's (check, build) pair, as for the positions of a checkpoint (``positions``).


def _date_check(prefix: int) -> Callable[[pa.Array], np.ndarray]:
    def check(texts: pa.Array) -> np.ndarray:
        return _calendar_ok(*_date_parts(texts, prefix))

    return check


_DAYS = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], np.int32)


def _date_parts(texts: pa.Array, prefix: int) -> list[np.ndarray]:
    """Year, month, day, hour, minute, second of fixed-width texts (int32 columns)."""
    # One contiguous row per digit position (a column of the byte matrix is strided).
    digits = _fixed(texts, prefix + 19)[:, prefix:].T.astype(np.int32, order="C") - 48

    def number(start: int, width: int) -> np.ndarray:
        value: np.ndarray = digits[start]
        for row in range(start + 1, start + width):
            value = value * 10 + digits[row]
        return value

    return [
        number(start, width) for start, width in ((0, 4), (5, 2), (8, 2), (11, 2), (14, 2), (17, 2))
    ]


def _calendar_ok(
    year: np.ndarray,
    month: np.ndarray,
    day: np.ndarray,
    hour: np.ndarray,
    minute: np.ndarray,
    second: np.ndarray,
) -> np.ndarray:
    """A real instant datetime accepts."""
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    month_days = _DAYS[np.clip(month, 0, 12)] + (leap & (month == 2))
    # An hour 24 is left to the exact path: whether datetime accepts it depends on the
    # Python version.
    ok: np.ndarray = (year >= 1) & (month >= 1) & (month <= 12) & (day >= 1) & (day <= month_days)
    ok &= (hour <= 23) & (minute <= 59) & (second <= 59)
    return ok


def _date_fields(texts: pa.Array, prefix: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(a real instant datetime accepts, epoch seconds, seconds of the day)."""
    parts = _date_parts(texts, prefix)
    ok = _calendar_ok(*parts)
    year, month, day, hour, minute, second = (part.astype(np.int64) for part in parts)
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
        rows = np.flatnonzero(undecided)
        if not len(rows):
            break
        subset = texts if len(rows) == n else texts.filter(pa.array(undecided))
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
            mask = codes == _KIND_CODE[kind]
            if check is not None and mask.any():
                ok[mask] &= check(fields[index].filter(pa.array(mask)))
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
        mask = first_codes == code
        rows = np.flatnonzero(mask)
        if len(rows):
            position = build(fields[2].filter(pa.array(mask)))
            domain = position.domain
            if isinstance(domain, bytes):
                domain = _repeat(domain, len(rows), pa.binary())
            first_domain.append((rows, domain))
            first_key.append((rows, position.key))
            for name, column in position.children.items():
                if not name.startswith("_"):
                    typed.setdefault(name, []).append((rows, column))
        mask = second_codes == code
        rows = np.flatnonzero(mask)
        if len(rows):
            position = build(second_field.filter(pa.array(mask)))
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
