"""How many cores this process may run on: what ``--jobs auto`` and the columnar threads
start as many workers as.

Layer L0 (tests/test_layers.py): the command line and the columnar engine both need it.
"""

from __future__ import annotations

import os

__all__ = ["available_cores"]


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform says)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return os.cpu_count() or 1
