"""Hypothesis profiles for every test, doctest and README example: random locally, derandomized in CI.

* ``dev`` (the default): a fresh random seed per run and the local example database
  (``.hypothesis/``), which replays a failure on the next local run; ``print_blob`` prints
  the ``@reproduce_failure(...)`` line that replays it anywhere.
* ``ci`` (when ``CI`` is set to ``true``/``1``/``yes``, as ``.ci/run`` and hosted CI do):
  ``derandomize=True``, so every run draws the same examples (a failure seen in CI happens
  again with ``CI=true python -m pytest ...``), no example database (a clean clone behaves
  like CI) and ``print_blob``.

Neither has a deadline or the ``too_slow`` health check: they are timings, which fail at
random on a loaded machine.

``HYPOTHESIS_PROFILE=dev|ci`` overrides the choice; ``pytest --hypothesis-seed=N`` replays
the seed a ``dev`` failure prints.  See tests/README.md.
"""

from __future__ import annotations

import gc
import os
import sys
from collections.abc import Mapping
from typing import Any

# pytest rewrites the asserts of every module of a distribution that ships a pytest
# plugin, Hypothesis's 80 modules included, each time they are imported where no bytecode
# is written (PYTHONDONTWRITEBYTECODE): 1 s of every run's collection, for asserts that
# are Hypothesis's own invariants.  Tests and conftest files are rewritten as before.
# (The rewriting hook's list is pytest's own; without it nothing changes.)
for _hook in sys.meta_path:
    _marked = getattr(_hook, "_must_rewrite", None)
    if isinstance(_marked, set):
        _marked.discard("hypothesis")

import pytest  # noqa: E402
from hypothesis import HealthCheck, settings  # noqa: E402

# No deadline and no "generation is slow" health check in either profile: both are timings,
# and on a shared machine they fail at random (the project measures speed in benchmarks/,
# never with a timed assertion in a test).
UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
settings.register_profile("dev", print_blob=True, **UNTIMED)
settings.register_profile("ci", derandomize=True, database=None, print_blob=True, **UNTIMED)


def profile_for(environ: Mapping[str, str]) -> str:
    """The profile for an environment: ``HYPOTHESIS_PROFILE``, else ``ci`` under CI."""
    chosen = environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if environ.get("CI", "").strip().lower() in ("1", "true", "yes") else "dev"


settings.load_profile(profile_for(os.environ))


def _freeze() -> None:
    gc.collect()
    gc.freeze()


def _background() -> Any:
    """tests/background.py's queue, if a test module imported it (None otherwise)."""
    module = sys.modules.get("tests.background")
    return None if module is None else module.queue


def pytest_collection_finish(session: Any) -> None:
    """Freeze what collection built: the collector stops re-scanning it for the whole run.

    Collection imports every test module, the columnar and cloud libraries and the
    grammar: objects that live until the end of the run.  Each full pass of the collector
    walked all of them again, and again after every module for what that module left
    (shared strategies, Hypothesis's caches, the reports): 3 to 4 s of a fast run.
    Frozen at collection and after each test module, they are left out of every later
    pass.  What a test creates and drops is collected as before; a frozen object that
    becomes garbage later stays in memory until the run ends.
    """
    _freeze()
    # The processes of the selected tests that start ahead of their turn (background.py).
    queue = _background()
    if queue is not None and not session.config.option.collectonly:
        queue.schedule(session.items)


@pytest.hookimpl(trylast=True)  # after the test's own teardown (monkeypatch undone)
def pytest_runtest_teardown(item: Any, nextitem: Any) -> None:
    if nextitem is None or nextitem.path != item.path:
        _freeze()
    queue = _background()
    if queue is not None:
        queue.pump()


def pytest_sessionfinish(session: Any) -> None:
    queue = _background()
    if queue is not None:
        queue.finish()
