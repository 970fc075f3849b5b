"""``--jobs N``: blocks of input lines handled by N worker processes, output in input order,
in constant memory.

The main process reads (raw bytes, cheap) and hands each block to a worker; at most
``2 * N`` blocks are in flight, so memory does not grow with the input.  Workers are
forked where the platform allows (they inherit the compiled expressions, warmed up before
the fork), spawned elsewhere.  Forked workers write each block's output to stdout
themselves when its turn comes (``ordered_write``); otherwise (spawned workers, a stdout
without a file descriptor) the output comes back to the main process, which writes it in
order (``ordered_map``).

Default (``--jobs auto``): the number of cores available to the process when the input is
regular files of at least ``LARGE_INPUT`` bytes in all; 1 for stdin, pipes and smaller
input, where starting workers costs more than it saves.
"""

from __future__ import annotations

import argparse
import contextlib
import errno
import multiprocessing
import os
import signal
import stat
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from typing import Any, TypeVar

from cdcpos._cores import available_cores
from cdcpos.cli._common import WorkerLost
from cdcpos.cli._input import STDIN

__all__ = [
    "LARGE_INPUT",
    "available_cores",
    "choose_jobs",
    "direct_output_fd",
    "jobs_argument",
    "ordered_map",
    "ordered_write",
]

#: Below this many bytes of input, --jobs auto uses one process.
LARGE_INPUT = 8 << 20

Spec = TypeVar("Spec")
Item = TypeVar("Item")
Result = TypeVar("Result")


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
    A worker that dies (killed) raises :class:`WorkerLost` here.
    """
    if jobs <= 1:
        for item in items:
            yield work(spec, item)
        return
    if warm_up is not None:
        warm_up()  # before the fork: every worker inherits what it compiled
    with _worker_pool(jobs) as pool:
        pending: deque[Future[Result]] = deque()
        for item in items:
            pending.append(pool.submit(work, spec, item))
            if len(pending) >= 2 * jobs:
                yield pending.popleft().result()
        while pending:
            yield pending.popleft().result()


@contextlib.contextmanager
def _worker_pool(jobs: int) -> Iterator[ProcessPoolExecutor]:
    """Worker processes that end by finishing their blocks, and a lost worker reported.

    A ``concurrent.futures`` executor, not ``multiprocessing.Pool``: the pool replaces a
    worker that dies (the out-of-memory killer, ``kill -9``) by a new one and waits
    forever for the block the dead one held, so the command hung; the executor notices
    the death, stops the other workers and fails every pending block, which ends the
    command with :class:`WorkerLost`.  On a normal end or an error the workers get no
    new block and end on their own (the blocks already queued are at most ``2 * jobs``;
    killing a worker while it holds a queue's lock is what once left the command waiting
    forever on a write error).  Ctrl-C drops the blocks not started.
    """
    pool = ProcessPoolExecutor(jobs, mp_context=_context(), initializer=_worker_start)
    try:
        yield pool
    except BrokenProcessPool:
        workers = _processes(pool)
        # The executor fails the blocks first and stops the workers after: its shutdown
        # waits for that, and then every exit status is known (read before, one could
        # still be None while the executor's own thread was reaping the process).
        pool.shutdown(wait=True)
        raise WorkerLost(_lost_workers(workers)) from None
    except KeyboardInterrupt:
        # The blocks not handed to a worker yet are dropped; the workers end after the one
        # each holds (a few milliseconds).  Killing them instead would risk what killing a
        # lock holder did to Pool; a second Ctrl-C interrupts the wait.
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    finally:
        pool.shutdown(wait=True)


def _processes(pool: ProcessPoolExecutor) -> list[Any]:
    # The executor keeps its workers in ``_processes`` (CPython 3.8 to 3.14; None once
    # shut down): no public way lists them.  Without it the message names no cause.
    return list((getattr(pool, "_processes", None) or {}).values())


def _lost_workers(workers: list[Any]) -> str:
    """What happened, for the message: how the lost worker ended, where it is known."""
    # The executor stops the other workers itself once one is lost (SIGTERM): only a worker
    # ended by another signal, or by a nonzero exit, is the cause.
    signals, statuses = set(), set()
    for process in workers:
        code = process.exitcode
        if code is not None and code < 0 and -code != signal.SIGTERM:
            signals.add(f"killed by {signal.Signals(-code).name}")
        elif code is not None and code > 0:
            statuses.add(f"exit status {code}")
    causes = sorted(signals) + sorted(statuses)
    how = f" ({', '.join(causes)})" if causes else ""
    # A worker that exits by itself failed to start (a spawned worker cannot import the
    # main module, say); one killed by a signal is most often the out-of-memory killer.
    guess = "" if statuses and not signals else ", perhaps out of memory"
    return (
        f"a worker process ended before its block was done{how}{guess}; "
        "the output is incomplete (run again with fewer --jobs, or --jobs 1)"
    )


def _worker_start() -> None:
    # Ctrl-C reaches every process of the terminal's group: the main process stops the
    # pool; workers must not each print a traceback.
    signal.signal(signal.SIGINT, signal.SIG_IGN)


# ====================================================================== writing in turn
#
# Handing each block's output back to the main process costs as much as a third of the
# parse: the worker pickles it, the pipe copies it, the main process's result thread
# unpickles it, all under one GIL with the reading.  Where the workers are forked, they
# share stdout's open file: each writes its own block when its turn comes (a counter and
# a condition shared by fork), so output never crosses a pipe between processes.


class _Turns:
    """What the forked workers share: whose turn it is, whether any block wrote yet (the
    separators of a JSON array), the file descriptor."""

    def __init__(self, context: Any, fd: int) -> None:
        self.turn = context.Value("q", 0, lock=False)
        self.wrote = context.Value("b", 0, lock=False)
        # A write failed: the blocks after it write nothing (the main process raises the
        # failure; the workers finish their queued blocks, which must not leave output
        # after the hole, should the descriptor take writes again).
        self.failed = context.Value("b", 0, lock=False)
        self.condition = context.Condition()
        self.fd = fd


_turns: _Turns | None = None  # in a worker: set before the fork, inherited


def direct_output_fd(stream: Any) -> int | None:
    """The file descriptor workers can write to in turn: forked workers only (spawned
    ones do not share the parent's open file), a stream with a real descriptor."""
    if _context().get_start_method() != "fork":
        return None
    try:
        fd = int(stream.fileno())
        os.fstat(fd)
    except (AttributeError, OSError, ValueError):
        return None
    return fd


def ordered_write(
    work: Callable[[Spec, Item], bytes],
    spec: Spec,
    items: Iterable[Item],
    jobs: int,
    fd: int,
    separators: tuple[bytes, bytes] = (b"", b""),
    warm_up: Callable[[], object] | None = None,
) -> bool:
    """Write ``work(spec, item)`` for each item to ``fd``, in order, from ``jobs`` forked
    workers; each non-empty output after ``separators[0]`` (the first) or
    ``separators[1]`` (the others).  Whether anything was written.

    A failed write raises its ``OSError`` here (``BrokenPipeError`` for a reader gone).
    """
    global _turns
    if warm_up is not None:
        warm_up()
    turns = _turns = _Turns(_context(), fd)
    try:
        with _worker_pool(jobs) as pool:
            pending: deque[Future[tuple[int, str] | None]] = deque()
            for number, item in enumerate(items):
                task = pool.submit(_write_in_turn, work, spec, number, item, separators)
                pending.append(task)
                if len(pending) >= 2 * jobs:
                    _raise_failure(pending.popleft().result())
            while pending:
                _raise_failure(pending.popleft().result())
    finally:
        _turns = None
    return bool(turns.wrote.value)


def _raise_failure(failure: tuple[int, str] | None) -> None:
    if failure is not None:
        number, message = failure
        error_class = BrokenPipeError if number == errno.EPIPE else OSError
        raise error_class(number, message)


def _write_in_turn(
    work: Callable[[Spec, Item], bytes],
    spec: Spec,
    number: int,
    item: Item,
    separators: tuple[bytes, bytes],
) -> tuple[int, str] | None:
    """In a worker: the block's output, written when the blocks before it are; the
    failure of the write as (errno, message), which the main process raises."""
    data = work(spec, item)
    turns = _turns
    assert turns is not None, "ordered_write's workers are forked after _turns is set"
    with turns.condition:
        while turns.turn.value != number:
            turns.condition.wait()
        try:
            if data and not turns.failed.value:
                data = separators[1 if turns.wrote.value else 0] + data
                turns.wrote.value = 1
                view = memoryview(data)
                while view:
                    view = view[os.write(turns.fd, view) :]
        except OSError as error:
            turns.failed.value = 1
            return error.errno or 0, error.strerror or str(error)
        finally:
            # The next block takes its turn (and writes nothing after a failure): nobody
            # waits for a turn that never comes, and the main process raises the failure.
            turns.turn.value = number + 1
            turns.condition.notify_all()
    return None
