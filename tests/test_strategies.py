"""What cdcpos.strategies promises its users, in the fast suite (small budgets): whatever a
strategy draws for an engine validates for that engine, checkpoints have one engine, and
arguments that contradict each other are refused."""

from __future__ import annotations

import functools
import importlib
import re
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

import cdcpos
from cdcpos import strategies
from cdcpos._engines import KIND_FAMILY, SOURCE_ENGINES

from .shared_strategies import shared

SMALL = settings(
    max_examples=4,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
)
# Engines whose sources DMS documents cannot start from a time (format reference 5).
NO_TIME_START = {"postgres", "aurora-postgresql", "aurora-postgresql-serverless", "docdb"}
# One engine of each checkpoint shape (and both kinds of no-time-start engine) in the fast
# suite: each engine's strategies are built from the grammar anew, about 0.1 s an engine.
# The slow suite draws for every engine (test_properties.py draws more for each, too).
FAST_ENGINES = ("mysql", "aurora", "postgres", "sqlserver", "oracle", "db2", "docdb", "s3")
# Engines whose checkpoint position shapes cdcpos knows (format reference 10).
KNOWN_SHAPES = {
    engine
    for engine in SOURCE_ENGINES
    if engine.split("-")[0] in ("mysql", "mariadb", "aurora", "gcp", "postgres", "sqlserver")
    or engine in ("azuredb", "azure-sql-managed-instance", "oracle")
}


def test_every_source_engine_is_classified() -> None:
    # The two tables above are written from the reference; the engine list is the core's.
    assert "mongodb" in SOURCE_ENGINES and "docdb" in SOURCE_ENGINES
    assert set(SOURCE_ENGINES) >= set(FAST_ENGINES)
    assert not {"mongodb", "docdb", "sybase", "db2", "s3"} & KNOWN_SHAPES
    assert set(SOURCE_ENGINES) >= NO_TIME_START


@pytest.mark.parametrize(
    "engine",
    [e if e in FAST_ENGINES else pytest.param(e, marks=pytest.mark.slow) for e in SOURCE_ENGINES],
)
@SMALL
@given(data=st.data())
def test_what_is_drawn_for_an_engine_validates_for_it(engine: str, data: st.DataObject) -> None:
    from cdcpos.aws import StartReplicationTaskRequest

    text = data.draw(shared("checkpoint_strings", engine=engine), label="checkpoint")
    checkpoint = cdcpos.parse_checkpoint(text, engine=engine)
    assert str(checkpoint) == text
    kinds = {checkpoint.engine_kind}
    if checkpoint.second_position is not None:
        kinds.add(checkpoint.second_position.kind)
    if engine in KNOWN_SHAPES:
        assert "opaque" not in kinds
        assert len({KIND_FAMILY[k] for k in kinds}) == 1
    else:
        assert kinds == {"opaque"}

    request = data.draw(shared("start_replication_task_requests", engine=engine), label="request")
    StartReplicationTaskRequest.model_validate(request, context={"source_engine": engine})
    if "CdcStartPosition" in request:
        value = cdcpos.parse_start_position(request["CdcStartPosition"], engine=engine)
        if engine in NO_TIME_START:
            assert value.kind != "date"
    if engine in NO_TIME_START:
        assert "CdcStartTime" not in request


@pytest.mark.parametrize("engine", ["postgres", "docdb"])
def test_engines_without_a_time_start_are_refused_one_by_the_model(engine: str) -> None:
    """The property above is not vacuous: the model does refuse a time start there."""
    from pydantic import ValidationError

    from cdcpos.aws import StartReplicationTaskRequest

    request: dict[str, Any] = {
        "ReplicationTaskArn": "arn:aws:dms:us-east-1:123456789012:task:RALPZGYI3IUSJCBKKIRBEURKDY",
        "StartReplicationTaskType": "start-replication",
        "CdcStartTime": 1520511132,
    }
    with pytest.raises(ValidationError):
        StartReplicationTaskRequest.model_validate(request, context={"source_engine": engine})


# Checkpoints drawn directly and as start positions (strings("checkpoint"),
# values("checkpoint") and positions() draw from checkpoint_strings()).
_ANY_CHECKPOINT = st.one_of(
    shared("checkpoint_strings"),
    shared("start_position_strings").filter(lambda s: s.startswith("checkpoint:")),
)


@SMALL
@given(st.lists(_ANY_CHECKPOINT, min_size=3, max_size=3))
def test_checkpoints_have_one_engine(texts: list[str]) -> None:
    for text in texts:
        checkpoint = cdcpos.parse_checkpoint(text)
        second = checkpoint.second_position
        kinds = {checkpoint.engine_kind} | ({second.kind} if second is not None else set())
        assert len({KIND_FAMILY.get(k, k) for k in kinds - {"opaque"}}) <= 1, text


@pytest.mark.parametrize(
    ("engine", "kind"),
    [("postgres", "sqlserver_lsn"), ("mysql", "opaque"), ("mongodb", "postgres_lsn")],
)
def test_conflicting_engine_and_position_kind_are_refused(engine: str, kind: str) -> None:
    for strategy in (strategies.checkpoint_strings, strategies.checkpoints):
        with pytest.raises(ValueError, match=f"engine {engine!r} and position_kind {kind!r}"):
            strategy(engine=engine, position_kind=kind)


@pytest.mark.parametrize(
    ("engine", "kind"), [("aurora", "mysql_stream"), ("docdb", "opaque"), ("oracle", None)]
)
@SMALL
@given(data=st.data())
def test_agreeing_engine_and_position_kind_draw_that_kind(
    engine: str, kind: str | None, data: st.DataObject
) -> None:
    checkpoint = data.draw(shared("checkpoints", engine=engine, position_kind=kind))
    assert checkpoint.engine_kind == (kind or "oracle_stream")


def _drawn(make: Any) -> list[str]:
    """Five strings from a new strategy object ``make()``, derandomized."""
    drawn: list[str] = []

    @settings(max_examples=5, deadline=None, derandomize=True, database=None)
    @given(make())
    def draw(text: str) -> None:
        drawn.append(text)

    draw()
    return drawn


_SHAPES = ("postgres_lsn", "sqlserver_lsn", "mysql_binlog")
# New objects of the kinds that were built again: a union of several grammar strategies
# with filters over it (and single shapes, each with its own overrides).
_MAKERS = {
    "start_position_strings": strategies.start_position_strings,
    "checkpoint_strings": strategies.checkpoint_strings,
    **{
        kind: functools.partial(strategies.checkpoint_strings, position_kind=kind)
        for kind in _SHAPES
    },
}


def test_grammar_strategies_are_built_once_for_each_set_of_shapes(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A strategy asked for again draws from the grammar strategies already built (each
    build is 50 ms), the same strings; each set of shapes keeps its own overrides."""
    from hypothesis.extra import lark as lark_extra

    built: list[str] = []

    class Counted(lark_extra.LarkStrategy):
        def __init__(self, grammar: Any, start: str | None, *args: Any) -> None:
            built.append(str(start))
            super().__init__(grammar, start, *args)

    monkeypatch.setattr(lark_extra, "LarkStrategy", Counted)
    first = {name: _drawn(make) for name, make in _MAKERS.items()}  # built if not before
    built_first = list(built)
    again = {name: _drawn(make) for name, make in reversed(_MAKERS.items())}
    assert built == built_first  # nothing built again, whichever order they are asked in
    assert again == first
    for name, texts in first.items():
        for text in texts:
            value = cdcpos.parse_start_position(text)
            if not isinstance(value, cdcpos.Checkpoint):
                assert name == "start_position_strings", text
                continue
            second = value.second_position
            kinds = {value.engine_kind} | ({second.kind} if second is not None else set())
            if name in _SHAPES:  # no shape leaked from the overrides of another one
                assert kinds == {name}, text
            else:
                assert len({KIND_FAMILY.get(k, k) for k in kinds - {"opaque"}}) <= 1, text


def test_unknown_kinds_and_engines_are_refused() -> None:
    with pytest.raises(ValueError, match="no kind 'lsn'"):
        strategies.checkpoint_strings(position_kind="lsn")
    with pytest.raises(cdcpos.InvalidPosition, match="unknown engine"):
        strategies.checkpoint_strings(engine="postgress")
    with pytest.raises(cdcpos.InvalidPosition, match="target engine"):
        strategies.start_replication_task_requests(engine="kafka")


@pytest.mark.parametrize("texts", ["0/1", None, ["0/1"]])
def test_pasted_takes_a_strategy(texts: object) -> None:
    # A plain text was an AttributeError from inside Hypothesis at the first draw.
    with pytest.raises(InvalidArgument, match=r"takes a strategy of strings, not .*st\.just"):
        strategies.pasted(texts)  # type: ignore[arg-type]


def test_the_package_keeps_every_public_name() -> None:
    package = importlib.import_module("cdcpos.strategies")
    assert package.__file__ is not None and package.__file__.endswith("__init__.py")
    for name in package.__all__:
        value = getattr(package, name)
        if callable(value):
            assert value.__module__.startswith("cdcpos.strategies."), name
            assert value.__doc__ and ">>> " in value.__doc__, f"{name} has no example"
        else:
            assert name in ("KINDS", "CHECKPOINT_POSITION_KINDS") and value
    assert strategies.postgres_lsns is package.postgres_lsns


def test_no_hand_written_module_of_the_package_is_long() -> None:
    from pathlib import Path

    root = Path(strategies.__file__).parent
    lengths = {p.name: len(p.read_text(encoding="utf-8").splitlines()) for p in root.glob("*.py")}
    assert len(lengths) >= 4 and max(lengths.values()) <= 600, lengths


def _terminal_patterns() -> list[tuple[str, str]]:
    from cdcpos.strategies._grammar import _grammar

    return [(t.name, str(t.pattern.to_regexp())) for t in _grammar().terminals]


@pytest.mark.parametrize(("name", "pattern"), _terminal_patterns())
def test_terminal_expressions_are_drawn_by_translation_and_match(name: str, pattern: str) -> None:
    from cdcpos.strategies._grammar import _regex_strings, _sequence, re_parser

    body = re.sub(r"\(\?=[^()]*\)$", "", pattern)  # the trailing context, as _terminal does
    translated = _sequence(re_parser.parse(body))
    # Only a lookaround is left to st.from_regex (the opaque position's (?!\*#)).
    assert (translated is None) == ("(?!" in body), name

    @settings(max_examples=30, deadline=None, derandomize=True, database=None)
    @given(_regex_strings(body))
    def drawn(text: str) -> None:
        assert re.fullmatch(body, text), (name, text)

    drawn()


@pytest.mark.parametrize(
    "pattern", [r"(?i)ab", r"[^a]x", r"\d+", r"(?!b)a", r"(?:a|b\w)c", r".", r"a{2,}?"]
)
def test_what_is_not_translated_is_left_to_from_regex(pattern: str) -> None:
    from cdcpos.strategies._grammar import _regex_strings, _sequence, re_parser

    parsed = re_parser.parse(pattern)
    assert parsed.state.flags & ~re.UNICODE or _sequence(parsed) is None

    @settings(max_examples=20, deadline=None, derandomize=True, database=None)
    @given(_regex_strings(pattern))
    def drawn(text: str) -> None:
        assert re.fullmatch(pattern, text)

    drawn()
