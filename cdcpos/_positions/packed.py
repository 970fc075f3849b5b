"""Lists of values that pickle in bulk: what ``parse_many`` returns.

Pickling values one by one costs a Python ``__reduce_ex__`` call per value to dump, and
loading builds them one by one while the cyclic collector walks them: a process pool
returning parsed values was 4x slower than one process.  ``PositionList`` (a ``list``)
pickles as one packed state instead: the values grouped by class, each group's slot
values in one list, and one byte per value saying which group holds it.  Dumping and
loading run no Python code per value: ``map`` and ``compress`` over C callables (``type``,
``operator.attrgetter``, ``object.__new__``, the slot descriptors' own setters, ``next``).
It loads as a plain ``list`` of values.

The pickle names ``cdcpos.Position._unpack_many`` (a public path, like every other
cdcpos pickle; the loader is in ``cdcpos._positions.base``, which the classes need anyway),
the classes by their public names, and the slot names.
"""

from __future__ import annotations

from itertools import compress, repeat
from operator import attrgetter

from cdcpos._positions.base import Position

TYPE_CHECKING = False  # typing only for the checker: not for ``import cdcpos``
if TYPE_CHECKING:
    from typing import Any

__all__ = ["PositionList", "pack_many"]

# Slots filled lazily (decoded fields, a cached sort key): not part of the state.
_LAZY_SLOTS = frozenset({"_decoded", "_sort"})
_slots_of: dict[type, tuple[str, ...]] = {}


def _state_slots(cls: type) -> tuple[str, ...]:
    """The slots a value of ``cls`` is made of, in a stable order."""
    found = _slots_of.get(cls)
    if found is None:
        names = {
            name
            for klass in cls.__mro__
            for name in getattr(klass, "__slots__", ())
            if name not in _LAZY_SLOTS
        }
        found = _slots_of[cls] = tuple(sorted(names))
    return found


class PositionList(list):  # type: ignore[type-arg]
    """A ``list`` of cdcpos values that pickles in bulk (see the module's docstring)."""

    __slots__ = ()

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        if not all(map(isinstance, self, repeat(Position))):  # a user put something else in
            return (list, (list(self),))
        return (Position._unpack_many, pack_many(self))


def pack_many(values: list[Any]) -> tuple[Any, ...]:
    """``(classes, counts, slot names, slot values, codes)``: the values grouped by class,
    in order within each group, and ``codes``, one byte per value: the index of its class.

    The groups are cut by one C pass per class (``compress`` over a mask that
    ``bytes.translate`` makes from the codes), not by sorting the values by class: the
    sort of the indices (and its inverse on loading, and the index list in the pickle)
    was half of a bulk pickle's cost.  A byte codes every class: the value classes are
    final (``Position`` refuses subclasses), and there are fewer than 256.
    """
    classes = list(map(type, values))
    present = list(dict.fromkeys(classes))  # in order of first appearance
    if len(present) == 1:
        codes = bytes(len(values))
    else:
        codes = bytes(map({cls: code for code, cls in enumerate(present)}.__getitem__, classes))
    counts = []
    group_slots = []
    group_states = []
    for code, cls in enumerate(present):
        members = (
            values if len(present) == 1 else list(compress(values, codes.translate(_mask(code))))
        )
        slots = _state_slots(cls)
        counts.append(len(members))
        group_slots.append(slots)
        group_states.append([_joined(list(map(attrgetter(slot), members))) for slot in slots])
    return (present, counts, group_slots, group_states, codes)


_masks: dict[int, bytes] = {}


def _mask(code: int) -> bytes:
    """The ``bytes.translate`` table that keeps ``code`` as 1 and makes every other byte 0."""
    found = _masks.get(code)
    if found is None:
        found = _masks[code] = bytes(byte == code for byte in range(256))
    return found


def _joined(values: list[Any]) -> Any:
    """A list of strs as one str, when no value holds the separator (the pickler would
    otherwise write and memoize each str on its own); anything else as it is."""
    if values and all(map(str.__instancecheck__, values)):
        joined = "\n".join(values)
        if joined.count("\n") == len(values) - 1:
            return joined
    return values
