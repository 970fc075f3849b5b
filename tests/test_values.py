"""Values: documented examples, ordering (every pair, every operator), hashing, pickling."""

from __future__ import annotations

import copy
import itertools
import operator
import pickle
from datetime import UTC, datetime, timedelta, timezone

import pytest

import cdcpos
from cdcpos import Position

from .examples import DB2_EXAMPLES, SPEC_EXAMPLES

# ---------------------------------------------------------------- documented examples


@pytest.mark.parametrize(("text", "kind"), SPEC_EXAMPLES)
def test_spec_examples_parse_to_their_kind(text: str, kind: str) -> None:
    assert cdcpos.parse(text).kind == kind


@pytest.mark.parametrize(("text", "kind"), DB2_EXAMPLES)
def test_db2_examples(text: str, kind: str) -> None:
    value = cdcpos.parse_db2_start_from_context(text)
    assert value.kind == kind
    assert str(value) == text


@pytest.mark.parametrize("text", [t for t, k in SPEC_EXAMPLES if k == "checkpoint"])
def test_checkpoints_round_trip_byte_for_byte(text: str) -> None:
    assert str(cdcpos.parse_checkpoint(text)) == text
    assert str(cdcpos.parse_start_position(text)) == text
    assert str(pickle.loads(pickle.dumps(cdcpos.parse(text)))) == text


def test_mysql_checkpoint_fields() -> None:
    ck = cdcpos.parse_checkpoint(SPEC_EXAMPLES[0][0])
    assert (ck.version, ck.counters, ck.second_position) == (1, (27, 0, 0, 0, 93), None)
    stream = ck.position
    assert isinstance(stream, cdcpos.MySqlStreamPosition)
    assert stream.transaction_id == 677883278264080
    assert stream.binlog_position == cdcpos.MySqlBinlogPosition("mysql-bin-changelog.157832:1975")
    assert stream.second_binlog_position.offset == 1876
    assert stream.opaque_fields == (-1, 2002)
    assert ck.engine_kind == "mysql_stream"


def test_postgres_checkpoints() -> None:
    ck = cdcpos.parse_checkpoint("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0")
    assert ck.position == cdcpos.PostgresLsn("4AF/B00000D0")
    assert ck.position.to_dms() == "000004AF/B00000D0"  # type: ignore[attr-defined]
    assert int(ck.position) == 0x4AF << 32 | 0xB00000D0  # type: ignore[call-overload]


def test_sqlserver_checkpoint_has_a_later_second_position() -> None:
    ck = cdcpos.parse_checkpoint(SPEC_EXAMPLES[3][0])
    assert ck.position == cdcpos.SqlServerLsn("00000032:00000a55:000c")
    assert ck.second_position == cdcpos.SqlServerLsn("00000032:00000a5a:0003")
    assert ck.second_position > ck.position
    assert ck.counters == (156, 0, 217, 0, 213)


def test_oracle_stream_checkpoint() -> None:
    ck = cdcpos.parse_checkpoint(SPEC_EXAMPLES[4][0])
    position = ck.position
    assert isinstance(position, cdcpos.OracleStreamPosition)
    assert position.groups == (7, 0xC99042D0, 1, 0xC, 1, 0, 401032, 58563, 16)
    assert int(position.inferred_scn) == 0x7C99042D0


def test_dollar_stem_and_opaque_positions_in_checkpoints() -> None:
    ck = cdcpos.parse_checkpoint("checkpoint:V1#3#$.583860:1357#0#0#*#0#0")
    assert isinstance(ck.position, cdcpos.MySqlBinlogPosition)
    assert (ck.position.stem, ck.position.sequence, ck.position.offset) == ("$", 583860, 1357)
    opaque = cdcpos.parse_checkpoint("checkpoint:V1#1#lsn=42;epoch=7#0#0#*#0#0")
    assert opaque.position == cdcpos.OpaquePosition("lsn=42;epoch=7")
    assert opaque.engine_kind == "opaque"
    with pytest.raises(TypeError, match="opaque"):
        _ = opaque < opaque
    assert opaque == cdcpos.parse_checkpoint("checkpoint:V1#1#lsn=42;epoch=7#0#0#*#0#0")


def test_checkpoint_position_of_another_shape_is_opaque_not_rejected() -> None:
    # A field that only starts like a known shape is a position of an unknown engine.
    ck = cdcpos.parse_checkpoint("checkpoint:V1#1#000004AF/B00000D0X#0#0#*#0#0")
    assert ck.position.kind == "opaque"
    assert str(ck.position) == "000004AF/B00000D0X"


def test_date_values() -> None:
    d = cdcpos.parse("2018-03-08T12:12:12")
    assert isinstance(d, cdcpos.DatePosition)
    assert d.value == datetime(2018, 3, 8, 12, 12, 12)
    assert d.to_utc() == datetime(2018, 3, 8, 12, 12, 12, tzinfo=UTC)
    assert cdcpos.DatePosition(datetime(2018, 3, 8, 13, 12, 13, tzinfo=UTC)) > d
    plus_one = timezone(timedelta(hours=1))
    assert cdcpos.DatePosition(datetime(2018, 3, 8, 13, 12, 12, tzinfo=plus_one)) == d


def test_postgres_arithmetic() -> None:
    a, b = cdcpos.PostgresLsn("0/5120E10"), cdcpos.PostgresLsn("16/B374D848")
    assert b - a == int(b) - int(a)
    assert a + (b - a) == b
    assert (b - 8) + 8 == b
    assert 8 + a == a + 8
    with pytest.raises(cdcpos.InvalidPosition, match="pg_lsn out of range"):
        cdcpos.PostgresLsn(0) - 1
    with pytest.raises(cdcpos.InvalidPosition, match="pg_lsn out of range"):
        cdcpos.PostgresLsn((1 << 64) - 1) + 1
    with pytest.raises(TypeError):
        a + a  # type: ignore[operator]
    assert cdcpos.PostgresLsn(2**64 - 1).to_dms() == "FFFFFFFF/FFFFFFFF"


def test_sqlserver_conversions() -> None:
    lsn = cdcpos.SqlServerLsn("00000014:00000061:0001")
    assert lsn.to_decimal() == "20000000009700001"
    assert cdcpos.SqlServerLsn.from_decimal("20000000009700001") == lsn
    assert cdcpos.SqlServerLsn.from_binary(lsn.to_binary()) == lsn
    assert cdcpos.SqlServerLsn.from_binary("0x00000014000000610001") == lsn
    big = cdcpos.SqlServerLsn("ffffffff:ffffffff:ffff")
    assert cdcpos.SqlServerLsn.from_decimal(big.to_decimal()) == big
    for bad in ["0x0000001400000061000", "00000014000000610001", "0x00000014000000610001 "]:
        with pytest.raises(cdcpos.InvalidPosition, match="20 hex digits"):
            cdcpos.SqlServerLsn.from_binary(bad)
    for bad in ["123", "99999999999999999999999999", "4294967296000000000000000", "1\u0661" * 9]:
        with pytest.raises(cdcpos.InvalidPosition):
            cdcpos.SqlServerLsn.from_decimal(bad)


def test_oracle_conversions() -> None:
    assert int(cdcpos.OracleScn.from_wrap_base("0x001f.00233d44")) == 133146295620
    assert cdcpos.OracleScn(133146295620).to_wrap_base() == "0x001f.00233d44"
    with pytest.raises(cdcpos.InvalidPosition, match="wrap"):
        cdcpos.OracleScn.from_wrap_base("001f.00233d44")
    with pytest.raises(ValueError):
        cdcpos.OracleScn(2**64)


# ---------------------------------------------------------------- ordering

# One ordered list per domain: every pair is checked under every operator.
ORDERED: dict[str, list[str]] = {
    "postgres_lsn": ["0/0", "0/1", "0/5120E10", "0/FFFFFFFF", "1/0", "16/B374D848", "4AF/B00000D0",
                     "FFFFFFFF/FFFFFFFF"],
    "sqlserver_lsn": ["00000000:00000000:0000", "00000014:00000061:0001", "00000014:00000061:0002",
                      "00000014:00000062:0000", "00000032:00000a55:000c", "ffffffff:ffffffff:ffff"],
    "oracle_scn": ["0", "1", "9", "10", "6916533", "133146295620", "18446744073709551615"],
    "mysql_binlog": ["mysql-bin-changelog.000009:4", "mysql-bin-changelog.000024:373",
                     "mysql-bin-changelog.000024:1000", "mysql-bin-changelog.000100:4",
                     "mysql-bin-changelog.1000000:4"],
    "date": ["0001-01-01T00:00:00", "2018-03-08T12:12:12", "2018-03-08T12:12:13",
             "2023-12-07T15:38:51", "9999-12-31T23:59:59"],
    "server_time": ["server_time:2018-02-09T12:12:12", "server_time:2018-02-10T00:00:00"],
    "commit_time": ["commit_time:2018-02-09T12:12:12", "commit_time:3018-02-09T12:12:12"],
    "checkpoint:postgres_lsn": [
        "checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121",
        "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
        "checkpoint:V1#2#000004AF/B00000D0#0#0#*#0#0",
        "checkpoint:V1#2#000004AF/B00000D0#0#0#000004AF/B00000D1#0#0",
        "checkpoint:V1#1#000004AF/B00000D1#0#0#*#0#0",
    ],
    "checkpoint:mysql_stream": [
        "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080:"
        "mysql-bin-changelog.157832:1876#0#0#*#0#93",
        "checkpoint:V1#27#mysql-bin-changelog.157832:1976:-1:2002:677883278264080:"
        "mysql-bin-changelog.157832:1876#0#0#*#0#93",
        "checkpoint:V1#3#mysql-bin-changelog.157833:4:0:100:677883278264081:"
        "mysql-bin-changelog.157833:4#0#0#*#0#0",
    ],
}  # fmt: skip

OPERATORS = [operator.lt, operator.le, operator.eq, operator.ne, operator.ge, operator.gt]
_INT_OPERATORS = {operator.lt: int.__lt__}


def _pairs() -> list[tuple[str, int, int]]:
    return [
        (domain, i, j)
        for domain, items in ORDERED.items()
        for i, j in itertools.product(range(len(items)), repeat=2)
    ]


@pytest.mark.parametrize(("domain", "i", "j"), _pairs())
def test_every_pair_under_every_operator(domain: str, i: int, j: int) -> None:
    items = ORDERED[domain]
    a, b = cdcpos.parse(items[i]), cdcpos.parse(items[j])
    for op in OPERATORS:
        assert op(a, b) is op(i, j), (op.__name__, items[i], items[j])
    if i == j:
        assert hash(a) == hash(b)
    assert (cdcpos.sort_key(a) < cdcpos.sort_key(b)) is (i < j)


@pytest.mark.parametrize("domain", list(ORDERED))
def test_sorted_reverses_a_shuffle(domain: str) -> None:
    values = [cdcpos.parse(s) for s in ORDERED[domain]]
    backwards = values[::-1]
    assert sorted(backwards) == values
    assert [str(v) for v in sorted(backwards, key=cdcpos.sort_key)] == [str(v) for v in values]


def test_equal_spellings_are_equal_values() -> None:
    pairs = [
        ("4AF/B00000D0", "000004af/b00000d0"),
        ("00000032:00000a55:000c", "00000032:00000A55:000C"),
        ("mysql-bin.000001:0004", "mysql-bin.000001:4"),
    ]
    for left, right in pairs:
        a, b = cdcpos.parse(left), cdcpos.parse(right)
        assert a == b and hash(a) == hash(b) and str(a) == str(b)
        assert not a < b and not b < a and a <= b and a >= b


# One value of each domain; values of different domains never order.
ONE_OF_EACH = [
    "0/1", "00000014:00000061:0001", "6916533", "mysql-bin.000001:4", "binlog.000001:4",
    "2018-03-08T12:12:12", "server_time:2018-02-09T12:12:12", "commit_time:2018-02-09T12:12:12",
    "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0",
    "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213",
]  # fmt: skip


@pytest.mark.parametrize(("left", "right"), list(itertools.permutations(ONE_OF_EACH, 2)))
def test_different_domains_do_not_order(left: str, right: str) -> None:
    a, b = cdcpos.parse(left), cdcpos.parse(right)
    assert a != b
    assert a.__eq__(b) is NotImplemented or a.__eq__(b) is False
    for op in (operator.lt, operator.le, operator.gt, operator.ge):
        with pytest.raises(TypeError, match=r"sort_key|cannot order"):
            op(a, b)
    assert cdcpos.sort_key(a) != cdcpos.sort_key(b)


def test_foreign_types_return_not_implemented() -> None:
    lsn = cdcpos.PostgresLsn("0/1")
    for other in [1, "0/1", None, 1.5, object()]:
        assert lsn.__eq__(other) is NotImplemented
        assert lsn.__lt__(other) is NotImplemented
        assert lsn != other
        with pytest.raises(TypeError):
            _ = lsn < other  # type: ignore[operator]


def test_mixed_list_sorts_with_sort_key() -> None:
    values = [cdcpos.parse(s) for s in ONE_OF_EACH]
    ordered = sorted(values, key=cdcpos.sort_key)
    backwards = ordered[::-1]
    assert sorted(backwards, key=cdcpos.sort_key) == ordered
    with pytest.raises(TypeError):
        sorted(values)
    with pytest.raises(TypeError, match="sort_key takes"):
        cdcpos.sort_key("0/1")  # type: ignore[arg-type]


# ---------------------------------------------------------------- immutability, pickling

ALL_VALUES = [cdcpos.parse(s) for s, _ in SPEC_EXAMPLES] + [
    cdcpos.parse_db2_start_from_context(s) for s, _ in DB2_EXAMPLES
]
ALL_VALUES += [
    ck.position  # type: ignore[attr-defined]
    for ck in ALL_VALUES
    if ck.kind == "checkpoint"
]


@pytest.mark.parametrize("value", ALL_VALUES, ids=repr)
def test_pickle_hash_repr_and_immutability(value: Position) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        again = pickle.loads(pickle.dumps(value, protocol))
        assert again == value and hash(again) == hash(value) and str(again) == str(value)
        assert type(again) is type(value)
    assert copy.copy(value) is value and copy.deepcopy(value) is value
    assert eval(repr(value), vars(cdcpos)) == value
    with pytest.raises(AttributeError):
        value._key = 1  # type: ignore[misc]
    with pytest.raises(AttributeError):
        value.anything = 1  # type: ignore[attr-defined]
    with pytest.raises(AttributeError):
        del value._key  # type: ignore[misc]
    assert {value: 1}[type(value)(str(value))] == 1


def test_canonical_text() -> None:
    cases = {
        "000004af/b00000d0": "4AF/B00000D0",
        "00000032:00000A55:000C": "00000032:00000a55:000c",
        "mysql-bin.000001:00004": "mysql-bin.000001:4",
        "0006916533": "6916533",
    }
    for text, canonical in cases.items():
        value = cdcpos.parse(text)
        assert str(value) == canonical
        assert cdcpos.parse(str(value)) == value


def test_value_constructors_check_their_kind() -> None:
    with pytest.raises(cdcpos.InvalidPosition, match="not a PostgreSQL LSN"):
        cdcpos.PostgresLsn("6916533")
    with pytest.raises(cdcpos.InvalidPosition, match="not an Oracle stream position"):
        cdcpos.OracleStreamPosition("0/1")
    with pytest.raises(TypeError):
        cdcpos.PostgresLsn(b"0/1")  # type: ignore[arg-type]
    with pytest.raises(ValueError):
        cdcpos.PostgresLsn(-1)
    assert cdcpos.Db2Now() == cdcpos.parse_db2_start_from_context("NOW")
