"""A pytest plugin for mutation runs only (``[tool.mutmut]`` in pyproject.toml loads it).

The core builds its compiled matchers and its checkpoint decoder on first use and keeps
them for the life of the process.  mutmut runs the clean suite, then forks one child per
mutant from that process: without this plugin, a mutant inside one of those builders
never runs (the child reuses what the original code built), and only the first test of
the stats run is recorded as reaching it.  Forgetting the caches before every test makes
each test build them again, through the code under test.  Rebuilding is cheap: ``re``
keeps its own cache of compiled expressions.

A missing name fails the run loudly (the clean run must pass) instead of letting the
mutants of a renamed cache survive silently; so does a ``cdcpos`` imported from anywhere
but mutmut's copy (an installed or editable one would make every mutant survive).
"""

from __future__ import annotations

from pathlib import Path

import pytest


def pytest_configure(config: pytest.Config) -> None:
    import cdcpos

    imported = Path(cdcpos.__file__).resolve()
    if "mutants" not in imported.parts:
        raise pytest.UsageError(f"mutation run: the tests import {imported}, not mutants/cdcpos")


# Tests that start a fresh interpreter without site-packages: mutmut's copy of the package
# cannot be imported there (its trampolines import mutmut).  They test imports, not values.
_NEED_A_PLAIN_INTERPRETER = frozenset(
    {
        "test_import_cdcpos_imports_no_heavy_module",
        "test_a_cold_parse_of_every_kind_imports_no_re",
        "test_a_cold_rejection_is_still_diagnosed",
        "test_check_finds_a_stale_table_and_generate_repairs_it",
        "test_a_table_of_another_python_is_not_checked_nor_used",
    }
)
# Tests that do not fit a mutation run: a clock-bounded run in a subprocess (a mutant's
# slowness is not a kill); a fork while the reference parser's lock is held (the lark
# layer, not the core); a test whose parameter ids hold control characters and lone
# surrogates, which mutmut cannot hand back to pytest as node ids (every id is "not found"
# and the clean run fails).
_NOT_FOR_MUTATION = frozenset(
    {
        "test_the_limit_is_checked_before_any_regex_or_lark_work",
        "test_fork_while_the_reference_parser_is_being_built",
        "test_control_characters_surrogates_and_bom_are_rejected",
    }
)


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    left_out = _NEED_A_PLAIN_INTERPRETER | _NOT_FOR_MUTATION
    kept = [item for item in items if getattr(item, "originalname", item.name) not in left_out]
    config.hook.pytest_deselected(items=[item for item in items if item not in kept])
    items[:] = kept


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item: pytest.Item) -> None:
    from cdcpos import _parse, _rules
    from cdcpos._positions import base, checkpoint, checkpoint_order, mysql, packed, times

    _rules._entry_compiled.clear()
    _rules._value_matchers.clear()
    _rules._layout.clear()
    _rules._dispatchers.clear()
    _rules._shapes.clear()
    _parse._builders.clear()
    _parse._CLOCK_SPACE.clear()
    packed._slots_of.clear()
    packed._masks.clear()
    base._SETTERS.clear()  # the pickling setters, one per class
    mysql._binlog_domains.clear()
    # Functions that put what they build in their own place on first use: back to the stub.
    checkpoint.decode_checkpoint = checkpoint._decode_first
    checkpoint._checkpoint_sort_key = checkpoint._first_checkpoint_sort_key
    checkpoint_order.checkpoint_sort_key = checkpoint_order._first_sort_key
    times._fromisoformat = times._first_fromisoformat
