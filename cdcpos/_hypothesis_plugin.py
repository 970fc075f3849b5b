"""Hypothesis plugin: ``st.from_type`` for every cdcpos value class.

Hypothesis runs :func:`_register` while ``import hypothesis`` is executing (through the
``hypothesis`` entry point in ``pyproject.toml``), so this module imports nothing heavy:
each class is registered with a callable that imports :mod:`cdcpos.strategies` only when
a test first asks for that type.  Set ``HYPOTHESIS_NO_PLUGINS=1`` to disable it.

>>> import cdcpos
>>> from hypothesis import given, settings, strategies as st
>>> @settings(max_examples=10, deadline=None, derandomize=True)
... @given(st.from_type(cdcpos.PostgresLsn), st.from_type(cdcpos.Position))
... def test_from_type(lsn, value):
...     assert isinstance(lsn, cdcpos.PostgresLsn) and 0 <= int(lsn) < 2**64
...     assert isinstance(value, cdcpos.Position) and type(value)(str(value)) == value
>>> test_from_type()
"""

from __future__ import annotations

from typing import Any

__all__: list[str] = []


def _values_of(cls: type[Any]) -> Any:
    from cdcpos import strategies

    return strategies.values_of_type(cls)


def _register() -> None:
    """Register a strategy for every public cdcpos value class (the entry point hook)."""
    from hypothesis import strategies as st

    import cdcpos

    for name in cdcpos.__all__:
        cls = getattr(cdcpos, name)
        if isinstance(cls, type) and issubclass(cls, cdcpos.Position):
            st.register_type_strategy(cls, _values_of)
