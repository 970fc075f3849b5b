"""What every value shares: immutability, equality, order by domain, pickling, reading text.

Every value is immutable, hashable and picklable, has a ``kind``, a canonical ``str()``
and an eval-style ``repr``.  Values of one *domain* (one engine's position form, one
clock, one binlog stem) are ordered; ordering values of different domains raises
``TypeError`` (as ``ipaddress`` does for IPv4 against IPv6), and ``cdcpos.sort_key``
orders mixed lists.

A class reads its own text with its own rule of the grammar (``cdcpos._rules``); its
``_from_token`` only turns a token the grammar has accepted into a value, applying the
checks a regular grammar cannot express (a real calendar day, an SCN below 2**64).  A
text that is not one is explained by ``cdcpos._diagnose``.
"""

from __future__ import annotations

import copyreg
from itertools import repeat

from cdcpos._collector import pause, resume
from cdcpos._errors import InvalidPosition, Rejected
from cdcpos._rules import MAX_LENGTH, plain_text, value_matcher

# typing only for the checker; cdcpos._diagnose (which compiles its hints' expressions)
# on the first rejection: neither is for ``import cdcpos``.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from collections.abc import Callable
    from typing import Any, ClassVar, NoReturn

__all__ = ["Position", "sort_key"]

MAX_U64 = (1 << 64) - 1
MAX_U32 = (1 << 32) - 1
MAX_U16 = (1 << 16) - 1

_sealed = False


def seal() -> None:
    """Refuse subclasses from now on: called once every value class is defined."""
    global _sealed
    _sealed = True


class Position:
    """Base of every cdcpos value.

    Subclasses define ``kind``, a ``_key`` (the comparison key) and a ``_domain``: a
    string naming what the key is comparable with.  Equal domains imply one class.

    The value classes are final: defining a subclass outside cdcpos raises ``TypeError``.
    Equality, hashing and order are defined per class (a value equals only a value of its
    own class), which a subclass could only break; wrap a value instead.

    >>> import cdcpos
    >>> class MyLsn(cdcpos.PostgresLsn): ...
    Traceback (most recent call last):
    ...
    TypeError: cdcpos value classes cannot be subclassed (MyLsn from PostgresLsn): ...
    """

    __slots__ = ()
    __module__ = "cdcpos"
    kind: ClassVar[str]
    _domain: str
    _key: Any

    def __init_subclass__(cls, **kwargs: Any) -> None:
        # cdcpos defines all its classes while cdcpos._positions is imported, then seals.
        if _sealed:
            base = next(b for b in cls.__mro__[1:] if b.__module__ == "cdcpos")
            raise TypeError(
                f"cdcpos value classes cannot be subclassed ({cls.__name__} from "
                f"{base.__name__}): equality, hashing and order are defined per class, "
                "so a subclass would break them; wrap the value in your own class instead"
            )
        super().__init_subclass__(**kwargs)

    # -- parsing from text: every public class accepts its own canonical text ----------
    def __init__(self, text: str) -> None:  # pragma: no cover - replaced per class
        raise NotImplementedError

    def __setattr__(self, name: str, value: object) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def __delattr__(self, name: str) -> NoReturn:
        raise AttributeError(f"{type(self).__name__} is immutable")

    def _sort_key(self) -> tuple[str, Any]:
        return (self._domain, self._key)

    # -- comparison ------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._key == other._key)

    def __ne__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return bool(self._key != other._key)

    def __hash__(self) -> int:
        return hash((self._domain, self._key))

    def __lt__(self, other: object) -> bool:
        try:
            if self._domain == other._domain:  # type: ignore[attr-defined]
                return bool(self._key < other._key)  # type: ignore[attr-defined]
        except AttributeError:
            return NotImplemented
        raise _incomparable(self, other)

    def __le__(self, other: object) -> bool:
        try:
            if self._domain == other._domain:  # type: ignore[attr-defined]
                return bool(self._key <= other._key)  # type: ignore[attr-defined]
        except AttributeError:
            return NotImplemented
        raise _incomparable(self, other)

    def __gt__(self, other: object) -> bool:
        try:
            if self._domain == other._domain:  # type: ignore[attr-defined]
                return bool(self._key > other._key)  # type: ignore[attr-defined]
        except AttributeError:
            return NotImplemented
        raise _incomparable(self, other)

    def __ge__(self, other: object) -> bool:
        try:
            if self._domain == other._domain:  # type: ignore[attr-defined]
                return bool(self._key >= other._key)  # type: ignore[attr-defined]
        except AttributeError:
            return NotImplemented
        raise _incomparable(self, other)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        # __reduce_ex__ rather than __reduce__: pickle calls it directly (object's own
        # __reduce_ex__ would look __reduce__ up and call it: 40% more per value).
        # Loads without re-parsing: a new object whose one slot is set by the slot's own
        # C setter (see _SlotSetter), the already validated key as state.  Pickles of
        # cdcpos 0.1.0, (cls, (canonical text,)), still load through the constructor.
        cls = type(self)
        setter = _SETTERS.get(cls) or _slot_setter_of(cls, "_key")
        return (_newobj, (cls,), self._key, None, None, setter)

    @staticmethod
    def _unpack_many(*state: Any) -> list[Position]:
        # Loads a list of values pickled in bulk (cdcpos._positions.packed): the pickle
        # names it by this public path.  (A comment: help() shows docstrings.)
        return unpack_many(*state)

    def __copy__(self) -> Position:
        return self

    def __deepcopy__(self, memo: object) -> Position:
        return self

    @classmethod
    def __get_pydantic_core_schema__(cls, source: Any, handler: Any) -> Any:
        """pydantic v2 support; pydantic is imported only when a model uses the type.

        The one import of a higher layer (an integration) below it: pydantic looks for the
        hook on the class itself, so it delegates in one line (tests/test_layers.py).
        """
        from cdcpos._pydantic import position_core_schema

        return position_core_schema(cls, source, handler)

    @classmethod
    def __get_pydantic_json_schema__(cls, core_schema: Any, handler: Any) -> Any:
        from cdcpos._pydantic import position_json_schema

        return position_json_schema(cls, core_schema, handler)


Position._unpack_many.__module__ = "cdcpos"  # pickles as cdcpos.Position._unpack_many


def unpack_many(*state: Any) -> list[Any]:
    """The values ``cdcpos._positions.packed.pack_many`` packed (``classes, counts, slot
    names, slot values, order``), in order, as a ``list``.

    Only C callables run per value: ``object.__new__``, the slot descriptors' setters,
    ``str.split``, ``sys.intern``, ``list.__getitem__``.  The collector is paused around
    it as around ``parse_many`` (``cdcpos._collector``): it builds one tracked object per
    value and no cycle, and with the collector running its passes were half the load.
    """
    pause()
    try:
        return _unpack_many(*state)
    finally:
        resume()


def _unpack_many(
    classes: list[type],
    counts: list[int],
    group_slots: list[tuple[str, ...]],
    group_states: list[list[list[Any]]],
    order: bytes | list[int],
) -> list[Any]:
    from collections import deque
    from itertools import chain
    from sys import intern

    new = object.__new__
    groups = []
    for cls, count, slots, states in zip(classes, counts, group_slots, group_states, strict=True):
        members: list[Any] = list(map(new, repeat(cls, count)))
        for slot, state in zip(slots, states, strict=True):
            values = state.split("\n") if isinstance(state, str) else state
            if len(values) != count:
                raise ValueError(
                    f"a damaged cdcpos pickle: {len(values)} {slot} for {count} values"
                )
            if slot == "_domain":  # interned, as parsing leaves them (identity compares)
                values = list(map(intern, values))
            deque(map(getattr(cls, slot).__set__, members, values), maxlen=0)
        groups.append(members)
    if not isinstance(order, bytes):
        # The layout before the class codes: the position of each value in the groups,
        # one after the other (still loads).
        grouped = list(chain.from_iterable(groups))
        back = sorted(range(len(order)), key=order.__getitem__)  # where each value went
        return list(map(grouped.__getitem__, back))
    # One byte per value, the index of its group: each value is the next one of its
    # group.  ``next`` on a used-up group would end the ``map`` silently (StopIteration),
    # so the codes must account for every value of every group, exactly.
    if len(order) != sum(counts) or any(
        order.count(code) != count for code, count in enumerate(counts)
    ):
        raise ValueError("a damaged cdcpos pickle: the class codes do not match the values")
    if len(groups) == 1:
        return groups[0]
    return list(map(next, map([iter(group) for group in groups].__getitem__, order)))


def _incomparable(a: Position, b: object) -> TypeError:
    if isinstance(b, Position):
        return TypeError(
            f"cannot order {a!r} ({a.kind}) and {b!r} ({b.kind}): positions of different "
            "engines, clocks or binlog stems have no common order; "
            "use key=cdcpos.sort_key to sort a mixed list"
        )
    return TypeError(f"cannot order {type(a).__name__} and {type(b).__name__}")


# ====================================================================== pickling
#
# A pickle names a public class and its already validated state; loading it runs no
# Python code per value.  ``copyreg.__newobj__`` makes pickle write NEWOBJ (the class's
# C ``__new__``), and the sixth item of the reduce tuple, the ``state_setter``, is called
# as ``setter(value, state)``: given the slot descriptor's own ``__set__`` (a C
# method-wrapper) it fills the slot without a Python frame.  A method-wrapper pickles
# only through the private class that defines the slot, so the object put in the tuple
# is a _SlotSetter, which pickles as ``getattr(getattr(<public class>, slot), "__set__")``
# and so loads as that C setter.  Pickle memoizes it: written once per dump.


class _SlotDescriptor:
    """Pickles as ``getattr(owner, slot)``: the slot's member descriptor."""

    __slots__ = ("owner", "slot")

    def __init__(self, owner: type, slot: str) -> None:
        self.owner = owner
        self.slot = slot

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        return (getattr, (self.owner, self.slot))


class _SlotSetter:
    """A slot's C setter, picklable by the public class that has the slot."""

    __slots__ = ("owner", "set", "slot")

    def __init__(self, owner: type, slot: str) -> None:
        self.owner = owner
        self.slot = slot
        self.set = getattr(owner, slot).__set__

    def __call__(self, value: object, state: object) -> None:
        # What loads in its place is the C setter; this runs only for readers of reduce
        # tuples other than pickle.
        self.set(value, state)

    def __reduce_ex__(self, protocol: object) -> tuple[Any, ...]:
        return (getattr, (_SlotDescriptor(self.owner, self.slot), "__set__"))


# NEWOBJ: pickle writes the class and calls its C __new__ on load.
_newobj = copyreg.__newobj__  # type: ignore[attr-defined]

# One setter per class and slot, so that pickle's memo writes it once per dump.
_SETTERS: dict[type, _SlotSetter] = {}


def _slot_setter_of(cls: type, slot: str) -> _SlotSetter:
    found = _SETTERS[cls] = _SlotSetter(cls, slot)
    return found


# Slot setters: values are immutable to users, so construction writes slots through
# their descriptors (faster than object.__setattr__, and never via __init__).
_new = object.__new__


def _slot_setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    setter: Callable[[Any, Any], None] = vars(cls)[name].__set__
    return setter


def read(cls: Any, text: object) -> Any:
    """The value of class ``cls`` written ``text``, read by the class's own grammar rule.

    Raises :class:`InvalidPosition` (``field`` is the class name), ``TypeError`` when
    ``text`` is not a ``str``.
    """
    field = cls.__name__
    checked = plain_text(text, field)
    if len(checked) > MAX_LENGTH:
        from cdcpos._diagnose import too_long

        raise too_long(field, checked)
    if value_matcher(cls.kind)(checked):
        try:
            return cls._from_token(checked)
        except Rejected as rejected:
            raise InvalidPosition(
                rejected.reason, field=field, text=checked, hint=rejected.hint
            ) from None
    from cdcpos._diagnose import value_rejection

    raise value_rejection(cls.kind, field, checked)


def _adopt(self: Position, other: Position) -> None:
    """Copy the slots of a freshly read value into ``self`` (the public constructors)."""
    for klass in type(self).__mro__:
        for slot in getattr(klass, "__slots__", ()):
            # Not contextlib.suppress: contextlib is not for ``import cdcpos``.
            try:  # noqa: SIM105
                object.__setattr__(self, slot, getattr(other, slot))
            except AttributeError:  # a lazily filled slot may not be filled yet
                pass


class _IntegerPosition(Position):
    """A position whose whole value is one non-negative integer (``int(p)`` gives it)."""

    __slots__ = ("_key",)
    __module__ = "cdcpos"  # help() of the public subclasses lists it
    _key: int
    _max: ClassVar[int]
    _max_text: ClassVar[str]  # the bound as people write it (2**64-1)
    _range_name: ClassVar[str]  # how messages name the value ("pg_lsn", as PostgreSQL)

    def __init__(self, value: str | int) -> None:
        if isinstance(value, int) and not isinstance(value, bool):
            # int.__index__ of an int subclass (IntEnum) is a plain int: int(lsn) must
            # not hand back the subclass.
            object.__setattr__(self, "_key", check_range(type(self), int.__index__(value)))
            return
        import numbers  # not for ``import cdcpos``: only an unusual argument gets here

        if isinstance(value, numbers.Integral) and not isinstance(value, bool):
            # numpy.int64 and the other integer scalars (numpy.bool_ is not Integral).
            object.__setattr__(self, "_key", check_range(type(self), int(value)))
            return
        _adopt(self, read(type(self), value))

    @classmethod
    def _of(cls, value: int) -> Any:
        self = _new(cls)
        set_int(self, value)
        return self

    def __int__(self) -> int:
        return self._key

    def __index__(self) -> int:
        return self._key


set_int = _slot_setter(_IntegerPosition, "_key")


def u64_or_none(digits: str) -> int | None:
    """The value of ASCII ``digits`` when it is at most 2**64-1, else ``None``.

    More than 20 significant digits is out of range whatever they are: decided before
    ``int()``, whose time grows with the square of the digits (about 200 us at
    ``MAX_LENGTH``), so that a long hostile number is rejected in linear time.

    >>> u64_or_none("0" * 30 + "42"), u64_or_none("18446744073709551616"), u64_or_none("9" * 99)
    (42, None, None)
    """
    if len(digits) > 20 and len(digits.lstrip("0")) > 20:
        return None
    value = int(digits)
    return value if value <= MAX_U64 else None


def check_range(cls: type[_IntegerPosition], value: int) -> int:
    """``value`` when the class holds it, else :class:`InvalidPosition` ("out of range")."""
    if 0 <= value <= cls._max:
        return value
    raise InvalidPosition(
        f"{cls._range_name} out of range: {describe_int(value)} is not between 0 and "
        f"{cls._max} ({cls._max_text})",
        field=cls.__name__,
        text=None,
    )


def describe_int(value: int) -> str:
    """An integer for a message: its digits, or its size when printing it would not do
    (past Python's digit limit, ``str()`` of an int raises)."""
    if value.bit_length() <= 256:
        return str(value)
    return f"{'-' if value < 0 else ''}an integer of {value.bit_length()} bits"


def sort_key(value: Position) -> tuple[str, Any]:
    """A key that orders any mix of positions: by domain name, then within the domain.

    Within one domain it agrees with ``<``; across domains the order is by the domain's
    name (``'checkpoint:postgres_lsn'``, ``'mysql_binlog:mysql-bin'``, ...), which is
    arbitrary but stable.

    >>> import cdcpos
    >>> values = [cdcpos.parse(s) for s in ("6916533", "0/16B3748", "0/1", "100")]
    >>> [str(v) for v in sorted(values, key=cdcpos.sort_key)]
    ['100', '6916533', '0/1', '0/16B3748']
    """
    try:
        return value._sort_key()
    except AttributeError:
        raise TypeError(f"sort_key takes a cdcpos value, not {type(value).__name__}") from None
