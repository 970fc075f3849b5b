"""Hypothesis profiles: random locally, derandomized in CI, so that a failure replays.

* ``dev`` (the default): a fresh random seed per run and the local example database
  (``.hypothesis/``), which replays a failure on the next local run; ``print_blob`` prints
  the ``@reproduce_failure(...)`` line that replays it anywhere.
* ``ci`` (when ``CI`` is set to ``true``/``1``/``yes``, as ``.ci/run`` and hosted CI do):
  ``derandomize=True``, so every run draws the same examples (a failure seen in CI happens
  again with ``CI=true python -m pytest ...``), no example database (a clean clone behaves
  like CI), no deadline (a shared CI machine is slow and uneven) and ``print_blob``.

``HYPOTHESIS_PROFILE=dev|ci`` overrides the choice; ``pytest --hypothesis-seed=N`` replays
the seed a ``dev`` failure prints.  See tests/README.md.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

from hypothesis import settings

settings.register_profile("dev", print_blob=True)
settings.register_profile("ci", derandomize=True, database=None, deadline=None, print_blob=True)


def profile_for(environ: Mapping[str, str]) -> str:
    """The profile for an environment: ``HYPOTHESIS_PROFILE``, else ``ci`` under CI."""
    chosen = environ.get("HYPOTHESIS_PROFILE")
    if chosen:
        return chosen
    return "ci" if environ.get("CI", "").strip().lower() in ("1", "true", "yes") else "dev"


settings.load_profile(profile_for(os.environ))
