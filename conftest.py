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

import os
from collections.abc import Mapping

from hypothesis import HealthCheck, settings

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
