"""A large batch split into consecutive slices, each worked on by one thread.

The columnar engine spends its time in pyarrow's compute kernels (RE2) and numpy's loops,
and both release the GIL while they run, so slices of one batch run in parallel on
several cores (the Python between two kernels is a few microseconds per slice).  Each
row's answer depends on that row's text alone (a scan of the data buffer that reads past
a slice's end only flags more rows for the exact path, never fewer), so the slices'
results, joined in order, are exactly the whole batch's: ``tests/test_columnar_speed.py``
checks that on strings cut at every kind of row.

How many threads: ``set_threads(count)``, else the environment variable
``CDCPOS_THREADS``, else the cores this process may run on, at most ``MAX_THREADS``
(beyond, the Python between the kernels and the memory bandwidth stop it scaling).  A
batch gets one thread per ``MIN_ROWS`` rows at most, so a small batch (Spark's 10,000-row
Arrow batches, a test's dozen strings) runs in the calling thread and starts none.
Polars runs the expressions of a query on its own threads too, and may hand over several
batches at once (its streaming engine): set ``CDCPOS_THREADS=1`` to leave all the
parallelism to Polars.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

import pyarrow as pa

from cdcpos._cores import available_cores

T = TypeVar("T")

#: The most threads the default uses.
MAX_THREADS = 8
#: The fewest rows worth a thread of their own: a slice does a few dozen kernel calls, and
#: at this size their fixed cost (and a thread's start, about 0.1 ms) is below 1 %.
MIN_ROWS = 1 << 15

_chosen: int | None = None


def set_threads(count: int | None) -> None:
    """Use ``count`` threads per batch (``1``: none); ``None`` restores the default."""
    global _chosen
    if count is not None and (not isinstance(count, int) or isinstance(count, bool) or count < 1):
        raise ValueError(f"the thread count is a positive int or None, not {count!r}")
    _chosen = count


def thread_count() -> int:
    """The threads a large batch is split over (see the module docstring)."""
    if _chosen is not None:
        return _chosen
    setting = os.environ.get("CDCPOS_THREADS", "").strip()
    if setting:
        try:
            return max(1, int(setting))
        except ValueError:
            raise ValueError(
                f"CDCPOS_THREADS must be a positive integer, not {setting!r}"
            ) from None
    return min(available_cores(), MAX_THREADS)


def slices_of(n: int, threads: int, most: int) -> list[tuple[int, int]]:
    """``(start, length)`` of consecutive slices covering ``n`` rows: one per thread, and
    none longer than ``most`` rows (at least one slice, empty for ``n == 0``)."""
    pieces = max(threads, -(-n // most), 1)
    size = max(1, -(-n // pieces))
    return [(start, min(size, n - start)) for start in range(0, n, size)] or [(0, 0)]


def map_slices(texts: pa.Array, work: Callable[[pa.Array], T], *, most: int) -> list[T]:
    """``work`` of each consecutive slice of ``texts``, in order: on several threads when
    the batch has ``MIN_ROWS`` rows per thread, else one after the other in this one.

    ``work`` is given ``pa.string()`` slices: a slice of another string layout
    (``large_string``, ``string_view``: Polars hands over views) is cast by the thread
    that works on it."""
    threads = min(thread_count(), len(texts) // MIN_ROWS)
    slices = [texts.slice(start, length) for start, length in slices_of(len(texts), threads, most)]
    if not pa.types.is_string(texts.type):
        plain = work

        def work(piece: pa.Array) -> T:
            return plain(piece.cast(pa.string()))

    if threads <= 1 or len(slices) == 1:
        return [work(piece) for piece in slices]
    # A pool per batch, not one kept for the process: a thread costs ~0.1 ms to start,
    # nothing against a batch this large, and a kept pool would not survive a fork (Spark
    # forks its Python workers): the child would wait forever on threads it does not have.
    with ThreadPoolExecutor(min(threads, len(slices)), thread_name_prefix="cdcpos") as pool:
        return list(pool.map(work, slices))
