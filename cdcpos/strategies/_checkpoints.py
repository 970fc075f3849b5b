"""Recovery checkpoints, one engine per checkpoint."""

from __future__ import annotations

from functools import cache

from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

import cdcpos
from cdcpos._engines import KIND_FAMILY, family_of_engine
from cdcpos.strategies._grammar import (
    _CHECKPOINT_TERMINAL_KIND,
    CHECKPOINT_POSITION_KINDS,
    _from_grammar,
    _lexed_kinds,
    _position_tokens,
)


def _kinds_of_engine(engine: str) -> tuple[str, ...]:
    """The checkpoint position shapes an engine writes.

    An engine whose shapes cdcpos knows writes only those (a known engine hint excludes
    opaque positions); one whose shapes it does not know (``mongodb``, ``docdb``,
    ``sybase``, ...) writes opaque positions [decision, format reference section 10].
    """
    family = family_of_engine(engine, field="engine", text=engine)
    kinds = tuple(k for k in CHECKPOINT_POSITION_KINDS if KIND_FAMILY.get(k) == family)
    return kinds or ("opaque",)


def _shape_groups(engine: str | None, position_kind: str | None) -> list[tuple[str, ...]]:
    """Groups of shapes; a checkpoint draws both its positions from one group."""
    if position_kind is not None and position_kind not in CHECKPOINT_POSITION_KINDS:
        raise ValueError(
            f"a checkpoint position has no kind {position_kind!r}; expected one of "
            + ", ".join(CHECKPOINT_POSITION_KINDS)
        )
    if engine is not None:
        kinds = _kinds_of_engine(engine)
        if position_kind is not None and position_kind not in kinds:
            raise ValueError(
                f"engine {engine!r} and position_kind {position_kind!r} conflict: that engine "
                f"writes checkpoint positions of kind {', '.join(kinds)}; give one of them, "
                "or both in agreement"
            )
        return [(position_kind,)] if position_kind is not None else [kinds]
    if position_kind is not None:
        return [(position_kind,)]
    # One engine per checkpoint: both positions of one family (MySQL binlog and stream
    # are one), and an opaque position pairs with anything [format reference section 10].
    families: dict[str, list[str]] = {}
    for kind in CHECKPOINT_POSITION_KINDS:
        if kind in KIND_FAMILY:
            families.setdefault(KIND_FAMILY[kind], []).append(kind)
    return [(*kinds, "opaque") for kinds in families.values()]


@cache
def _checkpoints_of(kinds: tuple[str, ...]) -> SearchStrategy[str]:
    # Every position terminal draws a token of the wanted shapes, so whichever
    # alternative of the grammar is taken, the position has one of them.
    shape = st.one_of([_position_tokens(k) for k in kinds])
    overrides = dict.fromkeys(_CHECKPOINT_TERMINAL_KIND, shape)
    allowed = {*kinds, "*"}
    # The grammar has the last word on which shape each position is read as.
    return _from_grammar("checkpoint", overrides).filter(
        lambda s: set(_lexed_kinds("checkpoint", s)) <= allowed
    )


def checkpoint_strings(
    *, engine: str | None = None, position_kind: str | None = None
) -> SearchStrategy[str]:
    """Recovery checkpoints, from the grammar; ``str(parse_checkpoint(s)) == s`` for each.

    One engine per checkpoint: both positions have shapes of one engine family (or
    ``*`` for the second); an opaque position (an engine cdcpos does not know) pairs
    with anything.  ``engine`` (a DMS ``EngineName``) keeps the shapes that engine
    writes: its known shapes, or opaque positions for an engine whose shapes cdcpos
    does not know (``mongodb``, ``docdb``, ...), so that
    ``parse_checkpoint(s, engine=engine)`` accepts every string drawn.
    ``position_kind`` (one of :data:`CHECKPOINT_POSITION_KINDS`) keeps one shape; with
    ``engine`` as well, it must be a shape of that engine (else ``ValueError``).

    >>> import cdcpos
    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.checkpoint_strings(engine="docdb"))
    ... def test_docdb(text):
    ...     checkpoint = cdcpos.parse_checkpoint(text, engine="docdb")
    ...     assert str(checkpoint) == text and checkpoint.engine_kind == "opaque"
    >>> test_docdb()
    >>> strategies.checkpoint_strings(engine="postgres", position_kind="sqlserver_lsn")
    Traceback (most recent call last):
      ...
    ValueError: engine 'postgres' and position_kind 'sqlserver_lsn' conflict: that engine writes checkpoint positions of kind postgres_lsn; give one of them, or both in agreement
    """
    groups = _shape_groups(engine, position_kind)
    return st.one_of([_checkpoints_of(kinds) for kinds in groups])


def checkpoints(
    *, engine: str | None = None, position_kind: str | None = None
) -> SearchStrategy[cdcpos.Checkpoint]:
    """Recovery checkpoints; ``engine``/``position_kind`` as in :func:`checkpoint_strings`.

    >>> from hypothesis import given, settings
    >>> from cdcpos import strategies
    >>> @settings(max_examples=5, deadline=None, derandomize=True)
    ... @given(strategies.checkpoints(engine="sqlserver"))
    ... def test_sqlserver(checkpoint):
    ...     second = checkpoint.second_position
    ...     assert checkpoint.engine_kind == "sqlserver_lsn"
    ...     assert second is None or second.kind == "sqlserver_lsn"
    >>> test_sqlserver()
    """
    return checkpoint_strings(engine=engine, position_kind=position_kind).map(
        cdcpos.parse_checkpoint
    )
