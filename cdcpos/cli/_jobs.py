"""``--jobs N``: blocks of input lines handled by N worker processes, output in input order,
in constant memory.

The main process reads (raw bytes, cheap), hands each block to a worker, and writes each
block's output when its turn comes; at most ``2 * N`` blocks are in flight, so memory does
not grow with the input.  Workers are forked where the platform allows (they inherit the
compiled expressions, warmed up before the fork), spawned elsewhere.

Default (``--jobs auto``): the number of cores available to the process when the input is
regular files of at least ``LARGE_INPUT`` bytes in all; 1 for stdin, pipes and smaller
input, where starting workers costs more than it saves.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import signal
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, TypeVar

from cdcpos.cli._input import STDIN

__all__ = ["LARGE_INPUT", "available_cores", "choose_jobs", "jobs_argument", "ordered_map"]

#: Below this many bytes of input, --jobs auto uses one process.
LARGE_INPUT = 8 << 20

Spec = TypeVar("Spec")
Item = TypeVar("Item")
Result = TypeVar("Result")


def available_cores() -> int:
    """The cores this process may run on (its CPU affinity where the platform says)."""
    try:
        return max(len(os.sched_getaffinity(0)), 1)
    except (AttributeError, OSError):
        return os.cpu_count() or 1


def jobs_argument(text: str) -> int | None:
    """``--jobs``: ``auto`` (None) or a number of processes in ASCII digits, at least 1."""
    if text == "auto":
        return None
    if not (text.isascii() and text.isdigit() and len(text) <= 4 and 0 < int(text) <= 256):
        raise argparse.ArgumentTypeError(
            f"expected 'auto' or a number of processes (1 to 256), not {text[:20]!r}"
        )
    return int(text)


def choose_jobs(requested: int | None, paths: Sequence[str]) -> int:
    """The number of processes for ``--jobs`` (None: auto, see the module docstring)."""
    if requested is not None:
        return requested
    cores = available_cores()
    if cores <= 1:
        return 1
    total = 0
    for path in paths:
        if path == STDIN:
            return 1
        try:
            info = os.stat(path)
        except OSError:
            continue  # reported when read
        if not stat.S_ISREG(info.st_mode):
            return 1
        total += info.st_size
    return cores if total >= LARGE_INPUT else 1


def _context() -> Any:
    # fork: workers start in milliseconds and share the parent's compiled expressions.
    # Not once threads run (a lock held by another thread would stay held in the child).
    if "fork" in multiprocessing.get_all_start_methods() and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def ordered_map(
    work: Callable[[Spec, Item], Result],
    spec: Spec,
    items: Iterable[Item],
    jobs: int,
    warm_up: Callable[[], object] | None = None,
) -> Iterator[Result]:
    """``work(spec, item)`` for each item, in order; in ``jobs`` processes when above 1.

    ``work`` must be a module-level function and ``spec`` picklable.  ``items`` is only
    iterated once workers run, so a progress bar started by it starts after the fork.
    """
    if jobs <= 1:
        for item in items:
            yield work(spec, item)
        return
    if warm_up is not None:
        warm_up()  # before the fork: every worker inherits what it compiled
    with _context().Pool(jobs, initializer=_worker_start) as pool:
        pending: deque[Any] = deque()
        for item in items:
            pending.append(pool.apply_async(work, (spec, item)))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()


def _worker_start() -> None:
    # Ctrl-C reaches every process of the terminal's group: the main process stops the
    # pool; workers must not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
