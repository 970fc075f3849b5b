"""The cyclic garbage collector, paused while cdcpos builds many values at once.

Layer L0 (tests/test_layers.py): ``parse_many``/``iter_parse`` (``cdcpos._bulk``) and the
bulk pickle loader (``cdcpos._positions.base.unpack_many``) both build one tracked object
per value, and both pause the collector around their loop with :func:`pause` and
:func:`resume` (always paired, in ``try``/``finally``).
"""

from __future__ import annotations

# _thread, not threading: importing threading is a cost `import cdcpos` need not pay.
import _thread
import gc
import os

__all__ = ["pause", "resume"]

# Every value is an object the cyclic collector tracks, so a young-generation pass runs
# every ~700 allocations and the older passes walk everything a batch has built so far:
# at 1M strings the collector was half of parse_many.  The values hold only ints, strs,
# tuples of those and datetimes, so a batch creates no reference cycle for the collector
# to find.  Pausing it around the loop (rather than untracking values, which Python
# cannot do for instances) keeps the cost per string flat however long the batch is.
#
# Rules: the collector is paused while at least one thread is inside a batch (or a bulk load) (a count
# under a lock, so that one thread leaving does not restart it while another is still
# inside); it is restarted only if it was running when the first of them came in (a
# user's own gc.disable() is respected); it is restored on every exit, exceptions
# included.  The user's iterable runs while the collector is paused: cycles it makes
# are collected at the next pass after the batch, not lost.  iter_parse pauses it per
# chunk, never across a yield (a suspended generator must not hold it paused).

_gc_lock = _thread.allocate_lock()
_gc_inside = 0  # batches running, all threads
_gc_was_enabled = False  # whether the first of them found the collector running
_gc_local = _thread._local()  # batches running in this thread (for fork, below)


def pause() -> None:
    """Pause the collector until the matching :func:`resume` (nests, across threads)."""
    global _gc_inside, _gc_was_enabled
    with _gc_lock:
        if _gc_inside == 0:
            _gc_was_enabled = gc.isenabled()
            gc.disable()
        _gc_inside += 1
    _gc_local.depth = getattr(_gc_local, "depth", 0) + 1


def resume() -> None:
    """Undo one :func:`pause`; the last one restarts the collector if it was running."""
    global _gc_inside
    _gc_local.depth -= 1
    with _gc_lock:
        _gc_inside -= 1
        if _gc_inside == 0 and _gc_was_enabled:
            gc.enable()


def _after_fork_in_child() -> None:
    # Only the forking thread survives a fork: the batches of the others never finish in
    # the child, and the lock may have been held by one of them.  Count this thread's
    # own batches only, and restart the collector if none is left.
    global _gc_lock, _gc_inside
    paused_by_us = _gc_inside > 0
    _gc_lock = _thread.allocate_lock()
    _gc_inside = getattr(_gc_local, "depth", 0)
    if paused_by_us and _gc_inside == 0 and _gc_was_enabled:
        gc.enable()


if hasattr(os, "register_at_fork"):  # not on Windows
    os.register_at_fork(after_in_child=_after_fork_in_child)
