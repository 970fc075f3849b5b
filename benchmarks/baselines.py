"""Baselines the benchmarks compare cdcpos against, run in the same process on the same corpus.

``split_parse`` is what a user writes by hand with ``str.split``/``partition``: it finds
the shape, splits the fields and converts the numbers, returning plain tuples, and
validates nothing (it accepts garbage and can raise anything on it).

``floor`` is the least any parser of this grammar into objects can do per string: one
match of the same grammar-derived expression and one object with one slot.

``parse_in_processes`` is the documented way to fan parsing out over processes (README,
"Performance"): chunks of strings to a process pool, values back by pickle.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from itertools import chain, islice
from typing import Any

import cdcpos


def split_parse(text: str) -> tuple[Any, ...]:
    if text.startswith("checkpoint:"):
        version, n1, position, n2, n3, second, n4, n5 = text[12:].split("#")
        return (
            int(version),
            int(n1),
            _split_position(position),
            int(n2),
            int(n3),
            None if second == "*" else _split_position(second),
            int(n4),
            int(n5),
        )
    if text.startswith(("server_time:", "commit_time:")):
        clock, _, when = text.partition(":")
        return (clock, when)
    if text[4:5] == "-" and text[10:11] == "T":
        return ("date", text)
    return _split_position(text)


def _split_position(text: str) -> tuple[Any, ...]:
    if "/" in text:
        high, _, low = text.partition("/")
        return ("postgres", int(high, 16) << 32 | int(low, 16))
    parts = text.split(":")
    if len(parts) == 3:
        return ("sqlserver", int(parts[0], 16), int(parts[1], 16), int(parts[2], 16))
    if len(parts) == 7:
        return ("mysql_stream", parts[0], int(parts[1]), int(parts[2]), int(parts[3]),
                int(parts[4]), parts[5], int(parts[6]))  # fmt: skip
    if len(parts) == 2:
        file, offset = parts
        if "." in offset:  # Oracle-shaped: hex groups, ':', decimal groups
            return ("oracle_stream", file, offset)
        return ("mysql", file, int(offset))
    return ("scn", int(text))


class OneSlot:
    """The smallest value object: one slot."""

    __slots__ = ("text",)


def floor(texts: list[str], fullmatch: Callable[[str], Any]) -> list[OneSlot]:
    """One match and one one-slot object per string: what parse_many cannot go below."""
    new = object.__new__
    fill = OneSlot.text.__set__  # type: ignore[attr-defined]
    out = []
    append = out.append
    for text in texts:
        if fullmatch(text) is not None:
            value = new(OneSlot)
            fill(value, text)
            append(value)
    return out


def chunks(texts: Iterable[str], size: int = 50_000) -> Iterator[list[str]]:
    """Lists of ``size`` strings (the last one shorter)."""
    it = iter(texts)
    while chunk := list(islice(it, size)):
        yield chunk


def latest_of(texts: list[str]) -> Any:
    """The greatest value of a chunk by ``sort_key`` (what a worker returns instead of
    every value when only a reduction is needed)."""
    return max(cdcpos.parse_many(texts), key=cdcpos.sort_key)


def latest_in_processes(pool: Any, texts: Iterable[str], size: int = 50_000) -> Any:
    """The greatest value by ``sort_key``, each chunk reduced in a worker."""
    return max(pool.imap(latest_of, chunks(texts, size)), key=cdcpos.sort_key)


def parse_in_processes(pool: Any, texts: Iterable[str], size: int = 50_000) -> list[Any]:
    """``parse_many`` over a ``multiprocessing.Pool``, values in input order: the README's
    recipe.  ``imap`` hands the chunks over one at a time, so a worker that finishes takes
    the next (``map`` would list them all first and hand them over in pairs here: ten
    chunks, two workers, five tasks; one worker got three while the other idled)."""
    return list(chain.from_iterable(pool.imap(cdcpos.parse_many, chunks(texts, size))))
