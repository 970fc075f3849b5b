"""Lists of values that pickle in bulk: what ``parse_many`` returns.

Pickling values one by one costs a Python ``__reduce_ex__`` call per value to dump, and
loading builds them one by one while the cyclic collector walks them: a process pool
returning parsed values was 4x slower than one process.  ``PositionList`` (a ``list``)
pickles as one packed state instead: the values grouped by class, each group's slot
values in one list, and the order.  Dumping and loading run no Python code per value:
``map`` over C callables (``type``, ``operator.attrgetter``, ``object.__new__``, the slot
descriptors' own setters, ``list.__getitem__``).  It loads as a plain ``list`` of values.

The pickle names ``cdcpos.Position._unpack_many`` (a public path, like every other
cdcpos pickle; the loader is in ``cdcpos._positions.base``, which the classes need anyway),
the classes by their public names, and the slot names.
"""

from __future__ import annotations

from collections import Counter
from itertools import repeat
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
    """``(classes, counts, slot names, slot values, order)``: the values grouped by class."""
    classes = list(map(type, values))
    ids = list(map(id, classes))
    order = sorted(range(len(values)), key=ids.__getitem__)  # grouped by class, stable
    grouped = list(map(values.__getitem__, order))
    counts = Counter(classes)
    present = sorted(counts, key=id)  # the order the groups have in ``grouped``
    group_slots = []
    group_states = []
    start = 0
    for cls in present:
        end = start + counts[cls]
        members = grouped[start:end]
        slots = _state_slots(cls)
        group_slots.append(slots)
        group_states.append([_joined(list(map(attrgetter(slot), members))) for slot in slots])
        start = end
    return (present, [counts[cls] for cls in present], group_slots, group_states, order)


def _joined(values: list[Any]) -> Any:
    """A list of strs as one str, when no value holds the separator (the pickler would
    otherwise write and memoize each str on its own); anything else as it is."""
    if values and all(map(str.__instancecheck__, values)):
        joined = "\n".join(values)
        if joined.count("\n") == len(values) - 1:
            return joined
    return values
