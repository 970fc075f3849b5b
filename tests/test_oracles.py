"""Independent oracles: every kind read by a small reference reader written here, from the
format reference (the users' copy is docs/formats.md), never from cdcpos code.

The differential tests (fast path against lark) cannot see a bug in the constructors both
paths share; these can.  Each reader below turns a string into plain Python values:

* PostgreSQL LSN: ``int(hi, 16) << 32 | int(lo, 16)``;
* SQL Server LSN: the 80-bit integer of its 8+8+4 hex digits;
* binlog position: ``(stem, sequence, offset)``, ordered within one stem;
* Oracle SCN and Db2 LRI: the integer;
* dates and clocks: a ``datetime`` (aware inputs are normalised to UTC here, by subtracting
  the offset);
* checkpoint: ``(position, version, counters as integers, second position)``.

The strings come from generators written in this file (Hypothesis), which spell every
value in every accepted way: either case, zero padding, leading zeros, multi-digit and
negative counters, ``$`` stems, upper-case second positions inside checkpoints.  The
properties run in the fast suite with small budgets; the hand-written examples pin the
classes of bugs that once survived the whole suite (issue 13).
"""

from __future__ import annotations

import functools
import itertools
import pickle
import re
from collections.abc import Callable
from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cdcpos

# Small budgets: the whole file runs in a few seconds (the slow suite has the big ones).
FAST = settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
# Smaller still where the slow twin in test_properties.py draws from the same strategies
# (test_position_order_agrees_with_the_oracle, 150 examples per kind).
SMALL = settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.too_slow])

MAX_U16, MAX_U32, MAX_U64 = (1 << 16) - 1, (1 << 32) - 1, (1 << 64) - 1
LIMIT = r"18446744073709551615|2\*\*64|2\^64"

# ====================================================================== reference readers
# Written from the format reference, sections 2-4: nothing here imports cdcpos.

HEX = "[0-9A-Fa-f]"
PG_SHAPE = re.compile(rf"({HEX}{{1,8}})/({HEX}{{1,8}})")
SQLSERVER_SHAPE = re.compile(rf"({HEX}{{8}}):({HEX}{{8}}):({HEX}{{4}})")
FILE = r"(?:\$|[A-Za-z0-9_][A-Za-z0-9_.\-]*)\.[0-9]+"
BINLOG_SHAPE = re.compile(rf"({FILE}):([0-9]+)")
STREAM_SHAPE = re.compile(rf"({FILE}):([0-9]+):(-?[0-9]+):([0-9]+):([0-9]+):({FILE}):([0-9]+)")
ORACLE_STREAM_SHAPE = re.compile(
    rf"({HEX}{{8}})\.({HEX}{{8}})\.({HEX}{{8}})\.({HEX}{{4}})\.({HEX}{{2}})\.({HEX}{{4}})"
    r":([0-9]+)\.([0-9]+)\.([0-9]+)"
)
DATE_SHAPE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})")


def read_pg(text: str) -> int:
    hi, lo = PG_SHAPE.fullmatch(text).groups()  # type: ignore[union-attr]
    return int(hi, 16) << 32 | int(lo, 16)


def read_sqlserver(text: str) -> int:
    vlf, block, slot = SQLSERVER_SHAPE.fullmatch(text).groups()  # type: ignore[union-attr]
    return int(vlf + block + slot, 16)  # the 80-bit value: 8, 8 and 4 hex digits


def read_binlog(text: str) -> tuple[str, int, int, str]:
    """(stem, sequence, offset, file as written)."""
    file, offset = BINLOG_SHAPE.fullmatch(text).groups()  # type: ignore[union-attr]
    stem, _, sequence = file.rpartition(".")
    return stem, int(sequence), int(offset), file


def read_date(text: str, prefix: str = "") -> datetime:
    assert text.startswith(prefix)
    fields = DATE_SHAPE.fullmatch(text[len(prefix) :]).groups()  # type: ignore[union-attr]
    return datetime(*map(int, fields))


def read_stream(text: str) -> tuple[Any, ...]:
    """The 7 fields: two binlog readings and three integers."""
    f1, o1, third, fourth, txn, f2, o2 = STREAM_SHAPE.fullmatch(text).groups()  # type: ignore[union-attr]
    return (
        read_binlog(f"{f1}:{o1}"),
        int(third),
        int(fourth),
        int(txn),
        read_binlog(f"{f2}:{o2}"),
    )


def read_oracle_stream(text: str) -> tuple[int, ...]:
    groups = ORACLE_STREAM_SHAPE.fullmatch(text).groups()  # type: ignore[union-attr]
    return tuple(int(g, 16) for g in groups[:6]) + tuple(int(g) for g in groups[6:])


def checkpoint_field_kind(field: str) -> str | None:
    """Which shape a checkpoint position field has (section 4); None for ``*``."""
    if field == "*":
        return None
    for kind, shape in (
        ("sqlserver_lsn", SQLSERVER_SHAPE),
        ("postgres_lsn", PG_SHAPE),
        ("oracle_stream", ORACLE_STREAM_SHAPE),
        ("mysql_stream", STREAM_SHAPE),
        ("mysql_binlog", BINLOG_SHAPE),
    ):
        if shape.fullmatch(field):
            return kind
    return "opaque"


READERS: dict[str, Callable[[str], Any]] = {
    "postgres_lsn": read_pg,
    "sqlserver_lsn": read_sqlserver,
    "mysql_binlog": read_binlog,
    "mysql_stream": read_stream,
    "oracle_stream": read_oracle_stream,
    "opaque": lambda text: text,
}


def read_checkpoint(text: str) -> dict[str, Any]:
    """``checkpoint:V<version>#<n>#<position>#<n>#<n>#<second or *>#<n>#<n>``."""
    assert text.startswith("checkpoint:V")
    fields = text[len("checkpoint:V") :].split("#")
    assert len(fields) == 8, text
    version, n1, first, n2, n3, second, n4, n5 = fields
    first_kind, second_kind = checkpoint_field_kind(first), checkpoint_field_kind(second)
    assert first_kind is not None
    return {
        "version": int(version),
        "counters": (int(n1), int(n2), int(n3), int(n4), int(n5)),
        "kind": first_kind,
        "position": READERS[first_kind](first),
        "second_kind": second_kind,
        "second": None if second_kind is None else READERS[second_kind](second),
    }


# ====================================================================== the oracle's order

INCOMPARABLE = "incomparable"  # ordering raises TypeError
EQUALITY_ONLY = "equality only"  # opaque: == by text, ordering raises TypeError
SAME_UNORDERED = "same, unordered"  # one opaque value twice: equal, ordering raises
# cmp results: -1, 0 (equal values), 1, or None where the reference leaves the order of two
# unequal values to the implementation (e.g. ``mysql-bin.1:4`` and ``mysql-bin.01:4``).


def sign(a: Any, b: Any) -> int:
    return (a > b) - (a < b)


def lexicographic(*results: int | None) -> int | None:
    for result in results:
        if result is None or result != 0:
            return result
    return 0


def cmp_binlog(a: tuple[str, int, int, str], b: tuple[str, int, int, str]) -> int | None:
    """Within one stem: by (sequence, offset); equal numbers in other spellings: open."""
    if a[0] != b[0]:
        return None
    by_number = sign(a[1:3], b[1:3])
    if by_number:
        return by_number
    return 0 if a[3] == b[3] else None


def cmp_stream(a: tuple[Any, ...], b: tuple[Any, ...]) -> int | None:
    """By the binlog of fields 1-2, then the rest."""
    return lexicographic(cmp_binlog(a[0], b[0]), sign(a[1:4], b[1:4]), cmp_binlog(a[4], b[4]))


def domain_of(kind: str, reading: Any) -> tuple[str, ...]:
    if kind in ("mysql_binlog",):
        return (kind, reading[0])
    if kind == "mysql_stream":
        return (kind, reading[0][0])
    return (kind,)


def cmp_position(kind: str, a: Any, b: Any) -> int | str | None:
    if kind == "opaque":
        return SAME_UNORDERED if a == b else EQUALITY_ONLY
    if domain_of(kind, a) != domain_of(kind, b):
        return INCOMPARABLE
    if kind == "mysql_binlog":
        return cmp_binlog(a, b)
    if kind == "mysql_stream":
        return cmp_stream(a, b)
    return sign(a, b)


def cmp_second(a: dict[str, Any], b: dict[str, Any]) -> int | None:
    if a["second_kind"] is None and b["second_kind"] is None:
        return 0
    if a["second_kind"] is None or b["second_kind"] is None:
        return None  # '*' against a position: the reference does not say which is first
    if a["second_kind"] != b["second_kind"] or a["second_kind"] == "opaque":
        return 0 if a["second"] == b["second"] else None
    result = cmp_position(a["second_kind"], a["second"], b["second"])
    return result if isinstance(result, int) else None


def cmp_checkpoint(a_text: str, b_text: str) -> int | str | None:
    """By the first position, ties by version, counters (as integers), second position;
    equal only when the text is equal (checkpoints are kept byte for byte)."""
    a, b = read_checkpoint(a_text), read_checkpoint(b_text)
    if a["kind"] == "opaque" or b["kind"] == "opaque":
        return SAME_UNORDERED if a_text == b_text else EQUALITY_ONLY
    if domain_of(a["kind"], a["position"]) != domain_of(b["kind"], b["position"]):
        return INCOMPARABLE
    first = cmp_position(a["kind"], a["position"], b["position"])
    assert not isinstance(first, str)
    result = lexicographic(
        first,
        sign(a["version"], b["version"]),
        sign(a["counters"], b["counters"]),
        cmp_second(a, b),
    )
    if result == 0 and a_text != b_text:
        return None  # the same fields spelled differently: unequal, order open
    return result


def assert_agrees(a: cdcpos.Position, b: cdcpos.Position, expected: int | str | None) -> None:
    """``==``, ``hash``, ``<``/``<=``/``>``/``>=`` and ``sort_key`` against the oracle."""
    context = (str(a), str(b), expected)
    if expected == SAME_UNORDERED:
        assert a == b and hash(a) == hash(b) and str(a) == str(b), context
        assert cdcpos.sort_key(a) == cdcpos.sort_key(b), context
        with pytest.raises(TypeError):
            _ = a <= b
        return
    if expected in (INCOMPARABLE, EQUALITY_ONLY):
        assert a != b and not a == b, context  # noqa: SIM201 (both operators)
        with pytest.raises(TypeError):
            _ = a < b
        with pytest.raises(TypeError):
            _ = b >= a
        assert cdcpos.sort_key(a) != cdcpos.sort_key(b)
        return
    if expected == 0:
        assert a == b and b == a and not a != b, context  # noqa: SIM202 (both operators)
        assert hash(a) == hash(b) and str(a) == str(b), context
        assert cdcpos.sort_key(a) == cdcpos.sort_key(b), context
        assert a <= b and a >= b and not a < b and not a > b, context
        return
    assert a != b and not a == b, context  # noqa: SIM201 (both operators)
    less, greater = a < b, a > b
    assert less != greater, context
    if expected is not None:
        assert less == (expected < 0), context
    assert (a <= b) == less and (a >= b) == greater and (b > a) == less, context
    assert (cdcpos.sort_key(a) < cdcpos.sort_key(b)) == less, context


def assert_sorted_like_the_oracle(values: list[cdcpos.Position], key: Callable[[Any], Any]) -> None:
    """``sorted`` puts the values in the oracle's order (where the oracle decides one)."""
    ordered = sorted(values)
    for earlier, later in itertools.pairwise(ordered):
        assert key(earlier) <= key(later), (str(earlier), str(later))
    by_key = sorted(values, key=cdcpos.sort_key)
    assert [key(v) for v in by_key] == [key(v) for v in ordered]


# ====================================================================== generators
# Written here, not taken from cdcpos.strategies: they aim at the spellings that matter.


@functools.cache  # one strategy per pool: built once, not on every draw
def unsigned(maximum: int, *common: int) -> st.SearchStrategy[int]:
    """Integers up to ``maximum``, often from a small pool so that pairs collide."""
    return st.one_of(
        st.sampled_from((0, 1, 9, 10, *common, maximum)),
        st.integers(min_value=0, max_value=maximum),
    )


_CASES = st.sampled_from(("upper", "lower", "mixed"))


@st.composite
def hex_spelling(draw: st.DrawFn, value: int, min_width: int, max_width: int) -> str:
    """``value`` in hex, zero-padded to some width, upper, lower or mixed case."""
    digits = f"{value:x}"
    width = draw(st.integers(min_value=max(min_width, len(digits)), max_value=max_width))
    text = digits.rjust(width, "0")
    case = draw(_CASES)
    if case == "upper":
        return text.upper()
    if case == "lower":
        return text
    flips = draw(st.integers(min_value=0, max_value=(1 << len(text)) - 1))
    return "".join(c.upper() if flips >> i & 1 else c for i, c in enumerate(text))


@st.composite
def decimal_spelling(draw: st.DrawFn, value: int, max_zeros: int = 3) -> str:
    return "0" * draw(st.integers(min_value=0, max_value=max_zeros)) + str(value)


@st.composite
def pg_lsns(draw: st.DrawFn) -> str:
    hi = draw(unsigned(MAX_U32, 0x4AF, 0x16))
    lo = draw(unsigned(MAX_U32, 0xB00000D0, 0x5120E10))
    return f"{draw(hex_spelling(hi, 1, 8))}/{draw(hex_spelling(lo, 1, 8))}"


@st.composite
def sqlserver_lsns(draw: st.DrawFn) -> str:
    vlf, block, slot = (
        draw(unsigned(MAX_U32, 0x32)),
        draw(unsigned(MAX_U32, 0xA55)),
        draw(unsigned(MAX_U16, 0xC)),
    )
    return ":".join(
        (
            draw(hex_spelling(vlf, 8, 8)),
            draw(hex_spelling(block, 8, 8)),
            draw(hex_spelling(slot, 4, 4)),
        )
    )


STEMS = ("mysql-bin", "mysql-bin-changelog", "binlog", "x.y", "A_1-b")


@functools.cache
def _stems(dollar: bool) -> st.SearchStrategy[str]:
    stems = st.sampled_from(STEMS + (("$",) if dollar else ()))
    return st.one_of(stems, st.from_regex(r"[A-Za-z0-9_][A-Za-z0-9_.\-]{0,6}", fullmatch=True))


@st.composite
def binlog_files(draw: st.DrawFn, dollar: bool = False) -> str:
    stem = draw(_stems(dollar))
    sequence = draw(unsigned(MAX_U64, 2, 24, 157832))
    return f"{stem}.{draw(decimal_spelling(sequence, 6))}"


@st.composite
def binlogs(draw: st.DrawFn, dollar: bool = False) -> str:
    offset = draw(unsigned(MAX_U64, 4, 5, 373, 1975))
    return f"{draw(binlog_files(dollar))}:{draw(decimal_spelling(offset))}"


_THIRDS = st.one_of(st.sampled_from((0, -1)), st.integers(-(10**6), 10**6))


@st.composite
def mysql_streams(draw: st.DrawFn) -> str:
    first = draw(binlogs(dollar=True))
    third = draw(_THIRDS)
    third_text = ("-" if third < 0 else "") + draw(decimal_spelling(abs(third), 2))
    fourth = draw(decimal_spelling(draw(unsigned(MAX_U64, 2002))))
    txn = draw(decimal_spelling(draw(unsigned(MAX_U64, 677883278264080))))
    second = draw(binlogs(dollar=True))
    return f"{first}:{third_text}:{fourth}:{txn}:{second}"


@st.composite
def oracle_streams(draw: st.DrawFn) -> str:
    widths = (8, 8, 8, 4, 2, 4)
    hexes = [draw(hex_spelling(draw(unsigned((1 << 4 * w) - 1)), w, w)) for w in widths]
    decimals = [draw(decimal_spelling(draw(unsigned(10**12, 16, 58563)), 2)) for _ in range(3)]
    return ".".join(hexes) + ":" + ".".join(decimals)


# Printable ASCII without '#' (section 4), kept only when it has no known shape.
opaque_positions = st.text(
    st.sampled_from([chr(c) for c in range(0x21, 0x7F) if chr(c) != "#"]), min_size=1, max_size=12
).filter(lambda s: s != "*" and checkpoint_field_kind(s) == "opaque")

FIELD_SHAPES: dict[str, st.SearchStrategy[str]] = {
    "postgres_lsn": pg_lsns(),
    "sqlserver_lsn": sqlserver_lsns(),
    "mysql_binlog": binlogs(dollar=True),
    "mysql_stream": mysql_streams(),
    "oracle_stream": oracle_streams(),
    "opaque": opaque_positions,
}
# One engine per checkpoint (section 10): the second position's shapes for each first
# (an opaque position pairs with anything).
SAME_FAMILY = {
    "postgres_lsn": ("postgres_lsn", "opaque"),
    "sqlserver_lsn": ("sqlserver_lsn", "opaque"),
    "mysql_binlog": ("mysql_binlog", "mysql_stream", "opaque"),
    "mysql_stream": ("mysql_binlog", "mysql_stream", "opaque"),
    "oracle_stream": ("oracle_stream", "opaque"),
    "opaque": tuple(FIELD_SHAPES),
}


_COUNTER_VALUES = st.one_of(
    st.sampled_from((0, 1, 9, 10, 27, 93, 156, 5015)), st.integers(0, 10**20)
)


@st.composite
def counters(draw: st.DrawFn) -> str:
    value = draw(_COUNTER_VALUES)
    return ("-" if draw(st.integers(0, 7)) == 0 else "") + str(value)


# Built once (a strategy made inside a draw is validated again on every draw).
_KINDS = st.sampled_from(sorted(FIELD_SHAPES))
_SECOND_KINDS = {kind: st.sampled_from((None, *same)) for kind, same in SAME_FAMILY.items()}
_VERSIONS = st.sampled_from((0, 1, 2, 10))


@st.composite
def checkpoints(draw: st.DrawFn, kind: str | None = None) -> str:
    kind = kind or draw(_KINDS)
    first = draw(FIELD_SHAPES[kind])
    second_kind = draw(_SECOND_KINDS[kind])
    second = "*" if second_kind is None else draw(FIELD_SHAPES[second_kind])
    version = draw(_VERSIONS)
    n = [draw(counters()) for _ in range(5)]
    return f"checkpoint:V{version}#{n[0]}#{first}#{n[1]}#{n[2]}#{second}#{n[3]}#{n[4]}"


@st.composite
def related(
    draw: st.DrawFn, strategy: st.SearchStrategy[str], tweak: Callable[..., Any]
) -> list[str]:
    """A few strings, some of them small changes of the first (so that ties happen)."""
    first = draw(strategy)
    more = draw(st.lists(st.one_of(strategy, tweak(first)), min_size=1, max_size=4))
    return [first, *more]


def respell_checkpoint(text: str) -> st.SearchStrategy[str]:
    """The same checkpoint with one counter or the version changed (V1#9 vs V1#10)."""
    head, _, rest = text.partition("#")
    fields = rest.split("#")

    @st.composite
    def change(draw: st.DrawFn) -> str:
        changed = list(fields)
        index = draw(st.sampled_from((0, 2, 3, 5, 6)))
        changed[index] = draw(counters())
        version = draw(st.sampled_from((head, "checkpoint:V1", "checkpoint:V10")))
        return "#".join((version, *changed))

    return change()


# ====================================================================== properties

KIND_READERS: dict[str, tuple[st.SearchStrategy[str], Callable[[str], Any], type[Any]]] = {
    "postgres_lsn": (pg_lsns(), read_pg, cdcpos.PostgresLsn),
    "sqlserver_lsn": (sqlserver_lsns(), read_sqlserver, cdcpos.SqlServerLsn),
    "mysql_binlog": (binlogs(), read_binlog, cdcpos.MySqlBinlogPosition),
    "mysql_stream": (mysql_streams(), read_stream, cdcpos.MySqlStreamPosition),
    "oracle_stream": (oracle_streams(), read_oracle_stream, cdcpos.OracleStreamPosition),
}


@pytest.mark.parametrize("kind", sorted(KIND_READERS))
@SMALL
@given(data=st.data())
def test_order_equality_and_hash_agree_with_the_oracle(kind: str, data: st.DataObject) -> None:
    strategy, read, cls = KIND_READERS[kind]
    texts = data.draw(st.lists(strategy, min_size=2, max_size=4))
    # The same value in another spelling, so that equality across spellings is exercised.
    texts.append(data.draw(st.sampled_from(texts)).swapcase())
    values = [cls(t) for t in texts]
    for a, x in zip(values, texts, strict=True):
        for b, y in zip(values, texts, strict=True):
            assert_agrees(a, b, cmp_position(kind, read(x), read(y)))


@FAST
@given(st.lists(pg_lsns(), min_size=2, max_size=8))
def test_postgres_lsns_sort_by_the_64_bit_value(texts: list[str]) -> None:
    values = [cdcpos.parse_start_position(t) for t in texts]
    assert [int(v) for v in values] == [read_pg(t) for t in texts]
    assert_sorted_like_the_oracle(values, lambda v: read_pg(str(v)))


@FAST
@given(st.lists(sqlserver_lsns(), min_size=2, max_size=8))
def test_sqlserver_lsns_sort_by_the_80_bit_value(texts: list[str]) -> None:
    values = [cdcpos.parse_start_position(t) for t in texts]
    assert [int(v) for v in values] == [read_sqlserver(t) for t in texts]
    assert_sorted_like_the_oracle(values, lambda v: read_sqlserver(str(v)))


@FAST
@given(
    st.lists(
        st.one_of(unsigned(MAX_U64, 6916533)).flatmap(decimal_spelling), min_size=2, max_size=8
    )
)
def test_oracle_scns_are_their_decimal_number(texts: list[str]) -> None:
    values = [cdcpos.parse_start_position(t) for t in texts]
    for a, x in zip(values, texts, strict=True):
        assert a.kind == "oracle_scn" and int(a) == int(x) and str(a) == str(int(x))
        for b, y in zip(values, texts, strict=True):
            assert_agrees(a, b, sign(int(x), int(y)))


@FAST
@given(
    st.lists(
        unsigned((1 << 136) - 1).flatmap(lambda n: hex_spelling(n, 34, 34)), min_size=2, max_size=6
    )
)
def test_db2_lris_are_their_34_digit_number(texts: list[str]) -> None:
    values = [cdcpos.parse_db2_start_from_context(t) for t in texts]
    for a, x in zip(values, texts, strict=True):
        assert a.kind == "db2_lri" and int(a) == int(x, 16)
        assert str(a).upper() == x.upper()
        for b, y in zip(values, texts, strict=True):
            assert_agrees(a, b, sign(int(x, 16), int(y, 16)))


@FAST
@given(texts=st.lists(binlogs(), min_size=2, max_size=6), stem=st.sampled_from(STEMS))
def test_binlogs_order_by_sequence_then_offset_within_a_stem(texts: list[str], stem: str) -> None:
    # Half of them moved to one stem, so that most pairs are comparable.
    texts = [f"{stem}.{t.rpartition('.')[2]}" if i % 2 else t for i, t in enumerate(texts)]
    values = [cdcpos.parse_start_position(t) for t in texts]
    for a, x in zip(values, texts, strict=True):
        s, sequence, offset, file = read_binlog(x)
        assert (a.stem, a.sequence, a.offset, a.file) == (s, sequence, offset, file)
        for b, y in zip(values, texts, strict=True):
            assert_agrees(a, b, cmp_position("mysql_binlog", read_binlog(x), read_binlog(y)))


@FAST
@given(st.data())
def test_checkpoints_order_by_position_version_counters_and_second(data: st.DataObject) -> None:
    kind = data.draw(st.sampled_from(sorted(FIELD_SHAPES)))
    texts = data.draw(related(checkpoints(kind), respell_checkpoint))
    values = [cdcpos.parse_checkpoint(t) for t in texts]
    for a, x in zip(values, texts, strict=True):
        for b, y in zip(values, texts, strict=True):
            assert_agrees(a, b, cmp_checkpoint(x, y))


@FAST
@given(checkpoints())
def test_checkpoints_round_trip_byte_for_byte_and_decode_to_the_oracle(text: str) -> None:
    expected = read_checkpoint(text)
    checkpoint = cdcpos.parse_checkpoint(text)
    for value in (checkpoint, cdcpos.parse(text), cdcpos.Checkpoint(text)):
        assert str(value) == text
    assert str(pickle.loads(pickle.dumps(checkpoint))) == text
    assert checkpoint.version == expected["version"]
    assert checkpoint.counters == expected["counters"]
    assert checkpoint.engine_kind == expected["kind"]
    assert READERS[expected["kind"]](str(checkpoint.position)) == expected["position"]
    second = checkpoint.second_position
    if expected["second_kind"] is None:
        assert second is None
    else:
        assert second is not None and second.kind == expected["second_kind"]
        assert READERS[second.kind](str(second)) == expected["second"]


# ---------------------------------------------------------------- canonical text

CANONICAL: dict[str, Callable[[Any], str]] = {
    # Section 3.2: PostgreSQL's own %X/%X.
    "postgres_lsn": lambda n: f"{n >> 32:X}/{n & MAX_U32:X}",
    # Section 3.3: lower case, 8:8:4.
    "sqlserver_lsn": lambda n: f"{n >> 48:08x}:{n >> 16 & MAX_U32:08x}:{n & MAX_U16:04x}",
    # Section 3.1: the file as given, the offset without leading zeros.
    "mysql_binlog": lambda r: f"{r[3]}:{r[2]}",
}


@pytest.mark.parametrize("kind", sorted(CANONICAL))
@FAST
@given(data=st.data())
def test_canonical_text_is_the_documented_form_and_reads_back_equal(
    kind: str, data: st.DataObject
) -> None:
    strategy, read, cls = KIND_READERS[kind]
    text = data.draw(strategy)
    value = cdcpos.parse_start_position(text)
    canonical = CANONICAL[kind](read(text))
    assert str(value) == canonical
    assert cdcpos.parse(canonical) == value and read(canonical) == read(text)
    assert cls(canonical) == value and repr(value) == f"{cls.__name__}({canonical!r})"


@pytest.mark.parametrize("kind", ["mysql_stream", "oracle_stream"])
@FAST
@given(data=st.data())
def test_checkpoint_only_kinds_read_back_equal_from_their_text(
    kind: str, data: st.DataObject
) -> None:
    strategy, read, cls = KIND_READERS[kind]
    text = data.draw(strategy)
    value = cls(text)
    assert read(str(value)) == read(text) and cls(str(value)) == value


# ---------------------------------------------------------------- dates and clocks

INSTANT_CLASSES = {
    cdcpos.DatePosition: "",
    cdcpos.ServerTime: "server_time:",
    cdcpos.CommitTime: "commit_time:",
    cdcpos.Db2Timestamp: "timestamp:",
}
ODD_OFFSETS = (
    timedelta(hours=5, minutes=45),
    timedelta(minutes=-1),
    timedelta(hours=-9, minutes=-30),
    timedelta(hours=14),
    timedelta(hours=-23, minutes=-59),
)
offsets = st.one_of(
    st.sampled_from(ODD_OFFSETS),
    st.integers(min_value=-(24 * 60 - 1), max_value=24 * 60 - 1).map(
        lambda m: timedelta(minutes=m)
    ),
)
# A day inside datetime's range, so that every offset can be undone.
naive_instants = st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30))


def text_of_instant(moment: datetime) -> str:
    return (
        f"{moment.year:04d}-{moment.month:02d}-{moment.day:02d}"
        f"T{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}"
    )


@FAST
@given(
    cls=st.sampled_from(sorted(INSTANT_CLASSES, key=lambda c: c.__name__)),
    moments=st.lists(st.tuples(naive_instants, offsets), min_size=2, max_size=5),
)
def test_aware_datetimes_are_normalised_to_utc(
    cls: type[Any], moments: list[tuple[datetime, timedelta]]
) -> None:
    prefix = INSTANT_CLASSES[cls]
    awares = [wall.replace(microsecond=0, tzinfo=timezone(offset)) for wall, offset in moments]
    # The oracle: wall-clock time minus the offset is UTC.
    utc = [wall.replace(microsecond=0) - offset for wall, offset in moments]
    values = [cls(moment) for moment in awares]
    for value, expected in zip(values, utc, strict=True):
        assert value.value == expected and value.to_utc() == expected.replace(tzinfo=UTC)
        assert str(value) == prefix + text_of_instant(expected)
        assert read_date(str(value), prefix) == expected
        assert cls(str(value)) == value and cls(expected) == value
    for a, x in zip(values, awares, strict=True):
        for b, y in zip(values, awares, strict=True):
            assert_agrees(a, b, sign(x, y))


@FAST
@given(
    moment=st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(9999, 12, 30)),
    offset=offsets,
)
def test_start_time_text_with_an_odd_offset_reads_to_the_same_instant(
    moment: datetime, offset: timedelta
) -> None:
    moment = moment.replace(microsecond=0)
    sign_char = "-" if offset < timedelta(0) else "+"
    minutes = abs(offset) // timedelta(minutes=1)
    text = f"{text_of_instant(moment)}{sign_char}{minutes // 60:02d}:{minutes % 60:02d}"
    read = cdcpos.parse_start_time(text)
    assert read == (moment - offset).replace(tzinfo=UTC) and read.tzinfo is UTC


@FAST
@given(st.lists(naive_instants, min_size=2, max_size=6))
def test_dates_order_like_datetimes(moments: list[datetime]) -> None:
    texts = [text_of_instant(m) for m in moments]
    values = [cdcpos.parse_start_position(t) for t in texts]
    for a, x in zip(values, texts, strict=True):
        assert str(a) == x and a.value == read_date(x)
        for b, y in zip(values, texts, strict=True):
            assert_agrees(a, b, sign(read_date(x), read_date(y)))


# ====================================================================== pinned examples
# One example per class of bug that once survived the suite (issue 13); the properties
# above catch the same classes on generated strings.


def test_binlog_order_ignores_the_zero_padding_of_the_file_name() -> None:
    a = cdcpos.parse("mysql-bin.1:4")
    b = cdcpos.parse("mysql-bin.000001:5")
    assert a < b and b > a and not b < a
    assert cdcpos.sort_key(a) < cdcpos.sort_key(b)
    assert sorted([b, a]) == [a, b]
    assert cdcpos.parse("mysql-bin.000002:1") > cdcpos.parse("mysql-bin.1:999999")


def test_aware_datetime_is_read_in_utc() -> None:
    plus_one = timezone(timedelta(hours=1))
    d = cdcpos.DatePosition(datetime(2018, 3, 8, 13, 12, 12, tzinfo=plus_one))
    assert str(d) == "2018-03-08T12:12:12"
    assert d == cdcpos.DatePosition("2018-03-08T12:12:12")
    kathmandu = timezone(timedelta(hours=5, minutes=45))
    s = cdcpos.ServerTime(datetime(2018, 3, 8, 0, 0, 0, tzinfo=kathmandu))
    assert str(s) == "server_time:2018-03-07T18:15:00"
    late = cdcpos.CommitTime(
        datetime(2018, 3, 8, 23, 59, 30, tzinfo=timezone(-timedelta(minutes=1)))
    )
    assert str(late) == "commit_time:2018-03-09T00:00:30"


def test_checkpoint_counters_order_as_integers_at_the_same_position() -> None:
    nine = cdcpos.parse_checkpoint("checkpoint:V1#9#000004AF/B00000D0#0#0#*#0#0")
    ten = cdcpos.parse_checkpoint("checkpoint:V1#10#000004AF/B00000D0#0#0#*#0#0")
    assert nine < ten and not ten < nine
    assert sorted([ten, nine]) == [nine, ten]
    assert sorted([ten, nine], key=cdcpos.sort_key) == [nine, ten]
    last = cdcpos.parse_checkpoint("checkpoint:V1#9#000004AF/B00000D0#0#0#*#0#10")
    assert cdcpos.parse_checkpoint("checkpoint:V1#9#000004AF/B00000D0#0#0#*#0#9") < last


@pytest.mark.parametrize(
    "text",
    [
        "checkpoint:V1#156#00000032:00000A55:000C#0#217#00000032:00000A5A:0003#0#213",
        "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000A5A:0003#0#213",
        "checkpoint:V1#1#000004af/b00000d0#0#0#0000004A/B00000D0#0#0",
        "checkpoint:V1#5015#00000007.C99042D0.00000001.000C.01.0000:401032.58563.16#0#0#*#0#0",
        "checkpoint:V1#27#$.000001:4:-1:2002:1:$.1:0004#-0#0#mysql-bin.1:5#-10#93",
    ],
)
def test_checkpoints_keep_every_spelling_byte_for_byte(text: str) -> None:
    checkpoint = cdcpos.parse_checkpoint(text)
    assert str(checkpoint) == text and str(cdcpos.parse(text)) == text
    assert repr(checkpoint) == f"Checkpoint({text!r})"
    expected = read_checkpoint(text)
    assert checkpoint.counters == expected["counters"]


def test_postgres_lsn_halves_are_32_bits_each() -> None:
    assert int(cdcpos.parse("0/12345678")) == 0x12345678
    with pytest.raises(cdcpos.InvalidPosition):
        cdcpos.parse("0/123456789")
    assert cdcpos.parse("FFFFFFFF/FFFFFFFF") > cdcpos.parse("FFFFFFFE/FFFFFFFF")
    assert str(cdcpos.parse("000004af/b00000d0")) == "4AF/B00000D0"


def test_sqlserver_canonical_text_is_lower_case() -> None:
    value = cdcpos.parse("00000032:00000A55:000C")
    assert str(value) == "00000032:00000a55:000c"
    assert value == cdcpos.parse("00000032:00000a55:000c")
    assert int(value) == 0x0000003200000A55000C


# ---------------------------------------------------------------- section 10 decisions
# Found by the oracles before the core followed section 10 of the format reference.


def test_datetimes_with_microseconds_are_rejected() -> None:
    with pytest.raises(ValueError):
        cdcpos.DatePosition(datetime(2018, 3, 8, 12, 12, 12, 500000))


def test_an_aware_datetime_outside_the_range_is_an_invalid_position() -> None:
    with pytest.raises(ValueError):
        cdcpos.DatePosition(datetime(1, 1, 1, tzinfo=timezone(timedelta(hours=1))))


def test_binlog_numbers_are_bounded_like_an_scn() -> None:
    # "larger is rejected with the limit in the message", in whichever notation.
    assert cdcpos.parse(f"mysql-bin.1:{MAX_U64}").offset == MAX_U64
    with pytest.raises(cdcpos.InvalidPosition, match=LIMIT):
        cdcpos.parse(f"mysql-bin.1:{MAX_U64 + 1}")
    with pytest.raises(cdcpos.InvalidPosition, match=LIMIT):
        cdcpos.parse(f"mysql-bin.{MAX_U64 + 1}:4")


def test_mixed_engine_checkpoints_are_rejected() -> None:
    with pytest.raises(cdcpos.InvalidPosition):
        cdcpos.parse_checkpoint("checkpoint:V1#1#000004AF/B00000D0#0#0#00000032:00000a55:000c#0#0")
