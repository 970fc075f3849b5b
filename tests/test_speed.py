"""The speed mechanisms behave (no timing here: figures are in benchmarks/run.py).

* parse_many/iter_parse pause the cyclic collector and always put it back: after
  errors, across nested and concurrent batches, in a forked child, and never turning on
  a collector the user turned off;
* pickles carry the validated state and load without parsing; 0.1.0 pickles still load;
* a checkpoint's sort key read straight from the capture groups equals the one of the
  full decode, and sorting or max() of fresh checkpoints builds no field objects;
* parse() compiles only the rules a text's first character can start, and answers as
  the entry's whole expression does;
* ``import cdcpos`` imports neither re, typing, decimal, datetime nor contextlib.
"""

from __future__ import annotations

import ast
import gc
import os
import pickle
import subprocess
import sys
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import cdcpos
from cdcpos import strategies
from cdcpos._positions import checkpoint as checkpoint_module
from cdcpos._positions import checkpoint_order
from cdcpos._rules import dispatch_matcher, entry_matcher

from .examples import INVALID_STRINGS, SPEC_EXAMPLES
from .shared_strategies import shared

ROOT = Path(__file__).resolve().parent.parent


def budget(examples: int) -> Any:
    return settings(
        max_examples=examples,
        deadline=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )


# Small budgets in the fast suite (the grammar's strategies draw slowly); each property has
# a ``slow``-marked twin (``..._big_budget``) that runs the same check with the big one.
FAST = budget(12)
BIG = budget(100)
VALID = [s for s, _ in SPEC_EXAMPLES]


@pytest.fixture(autouse=True)
def _collector_on() -> Iterator[None]:
    """Each test starts with the collector running, and leaves it as it found it."""
    was = gc.isenabled()
    gc.enable()
    yield
    if not was:
        gc.disable()


# ====================================================================== the collector


def _watching(texts: list[str], seen: list[bool]) -> Iterator[str]:
    """The strings, noting whether the collector runs while parse_many reads each."""
    for text in texts:
        seen.append(gc.isenabled())
        yield text


def test_parse_many_pauses_the_collector_and_restores_it() -> None:
    seen: list[bool] = []
    assert cdcpos.parse_many(_watching(VALID, seen)) == [cdcpos.parse(s) for s in VALID]
    assert seen and not any(seen)
    assert gc.isenabled()


def test_restored_after_an_invalid_string_and_after_the_iterable_fails() -> None:
    with pytest.raises(cdcpos.InvalidPosition):
        cdcpos.parse_many(["0/1", "0/x"])
    assert gc.isenabled()

    def failing() -> Iterator[str]:
        yield "0/1"
        raise RuntimeError("the source failed")

    with pytest.raises(RuntimeError):
        cdcpos.parse_many(failing())
    assert gc.isenabled()
    with pytest.raises(TypeError):
        cdcpos.parse_many(["0/1", None])  # type: ignore[list-item]
    assert gc.isenabled()


def test_a_user_disabled_collector_stays_disabled() -> None:
    gc.disable()
    cdcpos.parse_many(VALID)
    list(cdcpos.iter_parse(VALID))
    with pytest.raises(cdcpos.InvalidPosition):
        cdcpos.parse_many(["0/x"])
    assert not gc.isenabled()


def test_nested_batches_restore_only_when_the_outer_one_ends() -> None:
    seen: list[bool] = []

    def nested() -> Iterator[str]:
        for text in VALID:
            cdcpos.parse_many([text])  # an inner batch ends here...
            seen.append(gc.isenabled())  # ...and the outer one is still inside
            yield text

    cdcpos.parse_many(nested())
    assert seen and not any(seen)
    assert gc.isenabled()


def test_one_thread_leaving_does_not_restart_it_under_another() -> None:
    inside = threading.Event()
    release = threading.Event()
    seen: list[bool] = []
    failures: list[BaseException] = []

    def slow() -> Iterator[str]:
        yield "0/1"
        inside.set()
        assert release.wait(30)
        seen.append(gc.isenabled())
        yield "0/2"

    def run() -> None:
        try:
            cdcpos.parse_many(slow())
        except BaseException as error:  # pragma: no cover - reported below
            failures.append(error)

    thread = threading.Thread(target=run)
    thread.start()
    try:
        assert inside.wait(30)
        cdcpos.parse_many(VALID)  # this thread's batch starts and ends meanwhile
        assert not gc.isenabled()  # the other one is still inside
    finally:
        release.set()
        thread.join(30)
    assert not failures and seen == [False]
    assert gc.isenabled()


def test_many_threads_at_once_leave_it_as_found() -> None:
    def work() -> None:
        for _ in range(20):
            cdcpos.parse_many(VALID)

    threads = [threading.Thread(target=work) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert gc.isenabled()


def test_iter_parse_does_not_hold_it_paused_across_a_yield() -> None:
    values = cdcpos.iter_parse(iter(VALID * 3), chunk_size=2)
    next(values)
    assert gc.isenabled()  # suspended between chunks: the collector runs
    assert len(list(values)) == len(VALID) * 3 - 1
    assert gc.isenabled()


@pytest.mark.skipif(not hasattr(os, "fork"), reason="fork is POSIX only")
def test_a_child_forked_while_another_thread_is_inside_gets_it_back() -> None:
    inside = threading.Event()
    release = threading.Event()

    def slow() -> Iterator[str]:
        yield "0/1"
        inside.set()
        release.wait(30)

    thread = threading.Thread(target=lambda: cdcpos.parse_many(slow()))
    thread.start()
    try:
        assert inside.wait(30)
        assert not gc.isenabled()
        pid = os.fork()
        if pid == 0:  # the child: the other thread is gone, its batch never ends
            code = 0 if gc.isenabled() else 1
            cdcpos.parse_many(VALID)
            code |= 0 if gc.isenabled() else 2
            os._exit(code)
        _, status = os.waitpid(pid, 0)
    finally:
        release.set()
        thread.join(30)
    assert os.waitstatus_to_exitcode(status) == 0
    assert gc.isenabled()


# ====================================================================== pickles


def _no_parsing(*args: object) -> None:
    raise AssertionError("a pickle was parsed again")


def _forbid_parsing(monkeypatch: pytest.MonkeyPatch, values: list[Any]) -> None:
    """Every way the values' classes parse a text fails the test (until ``undo()``)."""
    for cls in {type(v) for v in values}:
        monkeypatch.setattr(cls, "__init__", _no_parsing)
        monkeypatch.setattr(cls, "_from_token", _no_parsing)


def _every_kind() -> list[cdcpos.Position]:
    values = [cdcpos.parse(s) for s in VALID]
    values.append(cdcpos.parse_db2_start_from_context("NOW"))
    values.append(cdcpos.parse_db2_start_from_context("timestamp:2021-09-21T13:00:00"))
    values.append(cdcpos.parse_db2_start_from_context("0100000000000022CC000000000004FB13"))
    mysql = cdcpos.parse_checkpoint(
        "checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080:"
        "mysql-bin-changelog.157832:1876#0#0#*#0#93"
    )
    opaque = cdcpos.parse_checkpoint("checkpoint:V1#1#{resume:token}#0#0#*#0#0")
    values += [mysql, mysql.position, opaque.position]
    return values


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_pickles_load_without_parsing(protocol: int, monkeypatch: pytest.MonkeyPatch) -> None:
    values = _every_kind()
    expected = [(type(v), str(v), cdcpos.sort_key(v)) for v in values]
    data = pickle.dumps(values, protocol)
    assert b"cdcpos._" not in data

    _forbid_parsing(monkeypatch, values)
    monkeypatch.setattr(cdcpos._parse, "_parse_one", _no_parsing)
    loaded = pickle.loads(data)
    monkeypatch.undo()
    assert loaded == values
    assert [(type(v), str(v), cdcpos.sort_key(v)) for v in loaded] == expected
    assert [hash(v) for v in loaded] == [hash(v) for v in values]


def test_loaded_values_stay_immutable_and_checkpoints_decode_again() -> None:
    text = "checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0"
    checkpoint = cdcpos.parse_checkpoint(text)
    assert checkpoint.position == cdcpos.PostgresLsn("4AF/B00000D0")  # decoded now
    loaded = pickle.loads(pickle.dumps(checkpoint))
    assert str(loaded) == text and loaded.position == checkpoint.position
    with pytest.raises(AttributeError):
        loaded._text = "x"


# Written by cdcpos 0.1.0's __reduce__, (cls, (canonical text,)), with the classes in
# cdcpos._values: protocol 2 and 4 dumps of [PostgresLsn, a MySQL checkpoint,
# MySqlBinlogPosition, DatePosition].
OLD_PICKLES = [
    b"\x80\x02]q\x00(ccdcpos._values\nPostgresLsn\nq\x01X\x0c\x00\x00\x004AF/B00000D0q\x02\x85q"
    b"\x03Rq\x04ccdcpos._values\nCheckpoint\nq\x05Xs\x00\x00\x00checkpoint:V1#27#mysql-bin-chan"
    b"gelog.157832:1975:-1:2002:677883278264080:mysql-bin-changelog.157832:1876#0#0#*#0#93q\x06"
    b"\x85q\x07Rq\x08ccdcpos._values\nMySqlBinlogPosition\nq\tX\x1e\x00\x00\x00mysql-bin-change"
    b"log.000024:373q\n\x85q\x0bRq\x0cccdcpos._values\nDatePosition\nq\rX\x13\x00\x00\x002018-0"
    b"3-08T12:12:12q\x0e\x85q\x0fRq\x10e.",
    b"\x80\x04\x950\x01\x00\x00\x00\x00\x00\x00]\x94(\x8c\x0ecdcpos._values\x94\x8c\x0bPostgre"
    b"sLsn\x94\x93\x94\x8c\x0c4AF/B00000D0\x94\x85\x94R\x94h\x01\x8c\nCheckpoint\x94\x93\x94\x8cs"
    b"checkpoint:V1#27#mysql-bin-changelog.157832:1975:-1:2002:677883278264080:mysql-bin-chang"
    b"elog.157832:1876#0#0#*#0#93\x94\x85\x94R\x94h\x01\x8c\x13MySqlBinlogPosition\x94\x93\x94"
    b"\x8c\x1emysql-bin-changelog.000024:373\x94\x85\x94R\x94h\x01\x8c\x0cDatePosition\x94\x93"
    b"\x94\x8c\x132018-03-08T12:12:12\x94\x85\x94R\x94e.",
]


@pytest.mark.parametrize("data", OLD_PICKLES, ids=["protocol-2", "protocol-4"])
def test_pickles_of_0_1_0_load(data: bytes) -> None:
    postgres, checkpoint, binlog, date = pickle.loads(data)
    assert type(postgres) is cdcpos.PostgresLsn and postgres == cdcpos.PostgresLsn("4AF/B00000D0")
    assert type(checkpoint) is cdcpos.Checkpoint
    assert checkpoint.position.kind == "mysql_stream" and checkpoint.counters == (27, 0, 0, 0, 93)
    assert binlog == cdcpos.MySqlBinlogPosition("mysql-bin-changelog.000024:373")
    assert date.value.isoformat() == "2018-03-08T12:12:12"
    # and they write the new form, which loads to the same values
    assert pickle.loads(pickle.dumps([postgres, checkpoint, binlog, date])) == [
        postgres,
        checkpoint,
        binlog,
        date,
    ]


# ====================================================================== sort keys


def full_decode_key(text: str) -> tuple[Any, ...]:
    """The sort key from the full decode: its domain, its position's key, the tail."""
    _, _, position, _, domain, _ = checkpoint_module.decode_checkpoint(text)
    return (domain, position._key, checkpoint_order.tail_of(text))


def check_key_only_decode(text: str) -> None:
    from_groups = checkpoint_order.checkpoint_sort_key(text)
    assert from_groups == full_decode_key(text)
    fresh, decoded = cdcpos.parse_checkpoint(text), cdcpos.parse_checkpoint(text)
    decoded.position  # noqa: B018 - decodes every field first
    assert cdcpos.sort_key(fresh) == cdcpos.sort_key(decoded) == from_groups


@FAST
@given(shared("checkpoint_strings"))
def test_the_key_only_decode_equals_the_full_one(text: str) -> None:
    check_key_only_decode(text)


@pytest.mark.slow
@BIG
@given(shared("checkpoint_strings"))
def test_the_key_only_decode_equals_the_full_one_big_budget(text: str) -> None:
    check_key_only_decode(text)


def check_key_only_decode_of_kind(kind: str, data: st.DataObject) -> None:
    text = data.draw(shared("checkpoint_strings", position_kind=kind))
    key = checkpoint_order.checkpoint_sort_key(text)
    assert key == full_decode_key(text)
    assert key[0] == "checkpoint:" + cdcpos.parse_checkpoint(text).position._domain


@pytest.mark.parametrize("kind", strategies.CHECKPOINT_POSITION_KINDS)
@FAST
@given(data=st.data())
def test_the_key_only_decode_covers_every_engine(kind: str, data: st.DataObject) -> None:
    check_key_only_decode_of_kind(kind, data)


@pytest.mark.slow
@pytest.mark.parametrize("kind", strategies.CHECKPOINT_POSITION_KINDS)
@BIG
@given(data=st.data())
def test_the_key_only_decode_covers_every_engine_big_budget(kind: str, data: st.DataObject) -> None:
    check_key_only_decode_of_kind(kind, data)


def check_tail_orders_as_the_full_key(a: str, b: str) -> None:
    # Same position, everything after it different: the tail decides, as the full key.
    first_a, first_b = cdcpos.parse_checkpoint(a), cdcpos.parse_checkpoint(b)
    tied = b.replace(str(b.split("#")[2]), a.split("#")[2], 1)
    try:
        tied_value = cdcpos.parse_checkpoint(tied)
    except cdcpos.InvalidPosition:
        return  # a's position and b's second position are of two engines: no checkpoint
    if tied_value.position != first_a.position:
        return  # the replacement changed more than the position
    full_a, full_b = (
        checkpoint_module.decode_checkpoint(a),
        checkpoint_module.decode_checkpoint(tied),
    )
    key_a, key_b = cdcpos.sort_key(first_a), cdcpos.sort_key(tied_value)
    assert (key_a < key_b) == (full_a[5] < full_b[5])
    assert (key_a == key_b) == (a == tied)
    if a == tied:
        assert hash(key_a) == hash(key_b)
    del first_b


@FAST
@given(shared("checkpoint_strings"), shared("checkpoint_strings"))
def test_the_tail_orders_as_the_full_key(a: str, b: str) -> None:
    check_tail_orders_as_the_full_key(a, b)


@pytest.mark.slow
@BIG
@given(shared("checkpoint_strings"), shared("checkpoint_strings"))
def test_the_tail_orders_as_the_full_key_big_budget(a: str, b: str) -> None:
    check_tail_orders_as_the_full_key(a, b)


def test_tied_positions_order_by_counters_as_numbers() -> None:
    nine = cdcpos.parse_checkpoint("checkpoint:V1#9#000004AF/B00000D0#0#0#*#0#0")
    ten = cdcpos.parse_checkpoint("checkpoint:V1#10#000004AF/B00000D0#0#0#*#0#0")
    minus = cdcpos.parse_checkpoint("checkpoint:V1#-1#000004AF/B00000D0#0#0#*#0#0")
    assert sorted([ten, nine, minus], key=cdcpos.sort_key) == [minus, nine, ten]
    assert max(cdcpos.parse_many([str(ten), str(nine), str(minus)])) == ten


def _undecoded(checkpoint: Any) -> bool:
    try:
        checkpoint._decoded  # noqa: B018
    except AttributeError:
        return True
    return False


def check_sorting_and_max_build_no_fields(texts: list[str]) -> None:
    expected = sorted(
        [cdcpos.parse_checkpoint(t) for t in texts],
        key=lambda c: (c.position, c.version, c.counters),
    )
    fresh: list[Any] = cdcpos.parse_many(texts)
    ordered = sorted(fresh, key=cdcpos.sort_key)
    assert all(_undecoded(c) for c in fresh)
    assert [str(c) for c in ordered] == [str(c) for c in sorted(fresh)]
    assert [(c.position, c.version, c.counters) for c in ordered] == [
        (c.position, c.version, c.counters) for c in expected
    ]
    fresh = cdcpos.parse_many(texts)  # fresh again: max() and min() decode nothing either
    assert str(max(fresh)) == str(ordered[-1]) and str(min(fresh)) == str(ordered[0])
    assert all(_undecoded(c) for c in fresh)


_POSTGRES_CHECKPOINT_LISTS = st.lists(
    shared("checkpoint_strings", engine="postgres"), min_size=2, max_size=8
)


@FAST
@given(_POSTGRES_CHECKPOINT_LISTS)
def test_sorting_and_max_of_fresh_checkpoints_build_no_fields(texts: list[str]) -> None:
    check_sorting_and_max_build_no_fields(texts)


@pytest.mark.slow
@BIG
@given(_POSTGRES_CHECKPOINT_LISTS)
def test_sorting_and_max_of_fresh_checkpoints_build_no_fields_big_budget(
    texts: list[str],
) -> None:
    check_sorting_and_max_build_no_fields(texts)


def test_checkpoints_of_different_engines_or_opaque_still_do_not_order() -> None:
    postgres = cdcpos.parse_checkpoint("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0")
    sqlserver = cdcpos.parse_checkpoint(
        "checkpoint:V1#156#00000032:00000a55:000c#0#217#00000032:00000a5a:0003#0#213"
    )
    opaque = cdcpos.parse_checkpoint("checkpoint:V1#1#{resume:token}#0#0#*#0#0")
    with pytest.raises(TypeError, match="no common order"):
        max(postgres, sqlserver)
    with pytest.raises(TypeError, match="opaque"):
        max(opaque, opaque)
    assert sorted([sqlserver, opaque, postgres], key=cdcpos.sort_key)  # a stable order


# ====================================================================== dispatch


_INVALID = [s for s, *_ in INVALID_STRINGS]
_ENTRIES = ["start_position", "stop_position", "checkpoint", "db2_start_from_context", "any"]


def _same_match(entry: str, text: str) -> None:
    whole, dispatched = entry_matcher(entry)(text), dispatch_matcher(entry)(text)
    assert (whole is None) == (dispatched is None), (entry, text)
    if whole is not None and dispatched is not None:
        assert whole.lastgroup == dispatched.lastgroup, (entry, text)


@pytest.mark.parametrize("entry", _ENTRIES)
def test_dispatch_answers_as_the_whole_expression_on_examples(entry: str) -> None:
    for text in [*VALID, *_INVALID, "", "c", "checkpoint:", "N", "NOW", "s", "t", "0"]:
        _same_match(entry, text)


_DISPATCH_TEXTS = st.one_of(
    shared("position_strings"),
    shared("db2_start_from_context_strings"),
    shared("invalid_position_strings"),
    st.text(alphabet="checkpoint:V#0123456789abcdefABCDEF/.-_NOWsrvemi*$", max_size=40),
)


@pytest.mark.parametrize("entry", _ENTRIES)
@FAST
@given(text=_DISPATCH_TEXTS)
def test_dispatch_answers_as_the_whole_expression_on_generated_strings(
    entry: str, text: str
) -> None:
    _same_match(entry, text)


@pytest.mark.slow
@pytest.mark.parametrize("entry", _ENTRIES)
@BIG
@given(text=_DISPATCH_TEXTS)
def test_dispatch_answers_as_the_whole_expression_on_generated_strings_big_budget(
    entry: str, text: str
) -> None:
    _same_match(entry, text)


# ====================================================================== cold start

_COLD = """
import sys
before = set(sys.modules)
import cdcpos
imported = set(sys.modules) - before
print(sorted(imported))
cdcpos.parse("0/16B3748")
print(sorted(set(sys.modules) - before - imported))
"""


def test_import_cdcpos_imports_no_heavy_module() -> None:
    # -S: no site, so no .pth of this environment has imported anything before us.
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run(
        [sys.executable, "-S", "-c", _COLD], capture_output=True, text=True, env=env, check=True
    )
    at_import, at_parse = (set(ast.literal_eval(line)) for line in result.stdout.splitlines())
    heavy = {"re", "typing", "decimal", "datetime", "contextlib", "string", "enum", "threading"}
    assert heavy.isdisjoint(at_import), at_import
    assert "cdcpos._diagnose" not in at_import  # explaining rejections is for rejections
    assert "cdcpos._positions.start_time" not in at_import
    assert "cdcpos._bulk" not in at_import and "cdcpos._positions.checkpoint_order" not in at_import
    # The first LSN needs its expression: compiled ahead (no re) under the Python that made
    # cdcpos._fastpath_sre (tests/test_precompiled.py), by re under another one.
    from cdcpos import _fastpath_sre

    if tuple(sys.version_info[:2]) == _fastpath_sre.PYTHON:
        assert heavy.isdisjoint(at_parse) and "cdcpos._fastpath_sre" in at_parse, at_parse
    else:
        assert "re" in at_parse and heavy.isdisjoint(at_parse - {"re", "enum"}), at_parse
    assert "cdcpos._diagnose" not in at_parse


def test_lazy_names_behave_as_plain_ones() -> None:
    assert "parse_start_time" in dir(cdcpos) and "to_epoch_seconds" in dir(cdcpos)
    from cdcpos import parse_start_time, to_epoch_seconds

    assert to_epoch_seconds(parse_start_time(1641556979)) == 1641556979
    with pytest.raises(AttributeError):
        cdcpos.no_such_name  # type: ignore[attr-defined]  # noqa: B018


def test_values_come_back_from_a_process_pool_as_parsed() -> None:
    # The README's recipe (benchmarks.baselines.parse_in_processes), with real processes.
    import multiprocessing

    from benchmarks.baselines import parse_in_processes
    from benchmarks.corpus import corpus

    texts = corpus(3000)
    with multiprocessing.get_context("spawn" if os.name == "nt" else "fork").Pool(2) as pool:
        values = parse_in_processes(pool, texts, 500)
    assert values == cdcpos.parse_many(texts)
    assert [type(v) for v in values] == [type(v) for v in cdcpos.parse_many(texts)]
    assert [cdcpos.sort_key(v) for v in values] == [cdcpos.sort_key(cdcpos.parse(t)) for t in texts]


@pytest.mark.parametrize("protocol", range(pickle.HIGHEST_PROTOCOL + 1))
def test_parse_many_lists_pickle_in_bulk(protocol: int, monkeypatch: pytest.MonkeyPatch) -> None:
    values = cdcpos.parse_many(VALID)
    values.extend(_every_kind())  # every class, still the bulk list
    data = pickle.dumps(values, protocol)
    assert b"cdcpos._" not in data

    _forbid_parsing(monkeypatch, values)
    for cls in {type(v) for v in values}:
        monkeypatch.setattr(cls, "__reduce_ex__", _no_parsing)  # one state for the list
    loaded = pickle.loads(data)
    monkeypatch.undo()
    assert type(loaded) is list and loaded == values
    assert [(type(v), str(v)) for v in loaded] == [(type(v), str(v)) for v in values]
    assert [cdcpos.sort_key(v) for v in loaded] == [cdcpos.sort_key(v) for v in values]
    assert [hash(v) for v in loaded] == [hash(v) for v in values]


def test_a_bulk_list_holding_something_else_pickles_as_a_plain_list() -> None:
    values = cdcpos.parse_many(["0/1", "0/2"])
    values.append("not a value")  # type: ignore[arg-type]
    assert pickle.loads(pickle.dumps(values)) == [*cdcpos.parse_many(["0/1", "0/2"]), "not a value"]
    assert pickle.loads(pickle.dumps(cdcpos.parse_many([]))) == []


def test_loading_a_bulk_pickle_pauses_the_collector_and_restores_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Loading builds one tracked object per value, as parsing does: with the collector
    # running, its young passes would start every ~700 of them.  Counted by gc's own
    # callbacks while the values are built (pickle's own reading of the state, before,
    # makes a tuple per binlog key and may start a few).
    from cdcpos._positions import base

    values = cdcpos.parse_many(VALID * 400)
    data = pickle.dumps(values)
    building: list[bool] = []
    starts: list[int] = []
    build = base._unpack_many

    def watched(*state: Any) -> list[Any]:
        building.append(True)
        try:
            return build(*state)
        finally:
            building.pop()

    def count(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and building:
            starts.append(info["generation"])

    monkeypatch.setattr(base, "_unpack_many", watched)
    gc.collect()
    gc.callbacks.append(count)
    try:
        loaded = pickle.loads(data)
    finally:
        gc.callbacks.remove(count)
    assert loaded == values
    assert len(values) > 10 * gc.get_threshold()[0]  # enough to start many passes if running
    assert starts == []
    assert gc.isenabled()


def test_a_broken_bulk_pickle_leaves_the_collector_running() -> None:
    values = cdcpos.parse_many(VALID)
    classes, counts, slots, states, codes = _bulk_state(values)
    with pytest.raises(
        ValueError, match=r"^a damaged cdcpos pickle: the class codes do not match the values$"
    ):
        cdcpos.Position._unpack_many(classes, counts, slots, states, codes + b"\0")
    assert gc.isenabled()
    gc.disable()
    try:
        assert cdcpos.Position._unpack_many(classes, counts, slots, states, codes) == values
        assert not gc.isenabled()  # a user's gc.disable() stays
    finally:
        gc.enable()


def _bulk_state(values: list[Any]) -> tuple[Any, ...]:
    return values.__reduce_ex__(5)[1]  # type: ignore[no-any-return]


def test_a_bulk_pickle_codes_each_value_by_its_class_in_one_byte() -> None:
    values = cdcpos.parse_many([*VALID, *reversed(VALID)])
    values.extend(_every_kind())
    classes, counts, _, _, codes = _bulk_state(values)
    assert type(codes) is bytes and len(codes) == len(values)
    assert [classes[code] for code in codes] == [type(v) for v in values]
    assert counts == [sum(type(v) is cls for v in values) for cls in classes]
    assert len(set(classes)) == len(classes)  # one group per class
    one_class = cdcpos.parse_many(["0/1", "0/2", "0/1"])
    assert _bulk_state(one_class)[4] == bytes(3)
    assert pickle.loads(pickle.dumps(one_class)) == one_class


@pytest.mark.parametrize(
    "damage",
    [
        lambda codes: codes[:-1],  # a value missing
        lambda codes: codes + codes[:1],  # one too many
        lambda codes: bytes([codes[0] ^ 1]) + codes[1:],  # one value in the wrong group
        lambda codes: bytes([255]) + codes[1:],  # a class that is not there
    ],
)
def test_a_bulk_pickle_whose_codes_do_not_match_its_groups_is_refused(
    damage: Callable[[bytes], bytes],
) -> None:
    # ``next`` on a used-up group would end the loading map silently: a damaged pickle
    # must fail loudly, never load fewer values.
    values = cdcpos.parse_many(["0/1", "0/2", "100", "0/3", "checkpoint:V1#1#0/1#0#0#*#0#0"])
    classes, counts, slots, states, codes = _bulk_state(values)
    with pytest.raises(
        ValueError, match=r"^a damaged cdcpos pickle: the class codes do not match the values$"
    ):
        cdcpos.Position._unpack_many(classes, counts, slots, states, damage(codes))


def test_a_bulk_pickle_whose_slot_values_do_not_match_the_count_is_refused() -> None:
    values = cdcpos.parse_many(["0/1", "0/2"])
    classes, _, slots, states, codes = _bulk_state(values)
    with pytest.raises(ValueError, match=r"^a damaged cdcpos pickle: 2 _key for 3 values$"):
        cdcpos.Position._unpack_many(classes, [3], slots, states, codes + b"\0")


def test_bulk_pickles_of_the_earlier_layout_still_load() -> None:
    # Before the class codes, the last item was the index list: the position in the
    # input of each value of the groups, one group after the other.
    values = cdcpos.parse_many([*VALID, *reversed(VALID)])
    values.extend(_every_kind())
    classes, counts, slots, states, codes = _bulk_state(values)
    order = sorted(range(len(codes)), key=codes.__getitem__)  # stable: input order per group
    loaded = cdcpos.Position._unpack_many(classes, counts, slots, states, order)
    assert [(type(v), str(v)) for v in loaded] == [(type(v), str(v)) for v in values]
