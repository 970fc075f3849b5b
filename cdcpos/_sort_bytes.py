"""An order-preserving byte encoding of ``cdcpos.sort_key``: ``cdcpos.sort_bytes``.

``sort_bytes(a) < sort_bytes(b)`` exactly when ``sort_key(a) < sort_key(b)``, and the
two are equal exactly when the keys are equal, because the bytes are an encoding of the
key tuple that preserves the order of each part:

* every item starts with a one-byte tag, and a tuple ends with ``0x00``, lower than any
  tag, so a tuple that is a prefix of another sorts first (as Python's tuples do);
* an integer of any size: the tag of its sign, then the number of bytes of the number
  of bytes, the number of bytes, and the big-endian magnitude (a longer number is a
  larger one); a negative number writes the complement of its magnitude's encoding;
* a naive ``datetime``: microseconds since 0001-01-01, encoded as an integer;
* a string: its UTF-8 bytes with ``0x00`` escaped as ``0x00 0xFF``, then ``0x00 0x00``
  (UTF-8 keeps the order of code points; the terminator sorts below every character);
* an object whose type defines ``key()`` (a part of a key that orders by a key of its
  own, read lazily, such as a checkpoint's tail) is encoded as that key.

The key starts with the domain, so a mixed column groups by domain as ``sort_key`` does.
The encoding is derived from the key's structure alone, so it agrees with ``sort_key``
by construction; the columnar path (``cdcpos.arrow``) writes the same bytes without
building values, and the tests prove the two equal.
"""

from __future__ import annotations

from cdcpos._positions import sort_key

# No typing and no datetime at import: `import cdcpos` imports this module, and its cold
# start stays near the interpreter's own (datetime is imported when a date key comes).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["sort_bytes"]

END = 0x00
NONE = 0x01
NEGATIVE = 0x02
NON_NEGATIVE = 0x03
DATETIME = 0x04
STRING = 0x05
TUPLE = 0x06
STRING_END = b"\x00\x00"

_EPOCH_ORDINAL = 1  # datetime(1, 1, 1).toordinal()
_MICROSECONDS_PER_DAY = 86_400_000_000


def sort_bytes(value: Any) -> bytes:
    """The order-preserving byte key of a cdcpos value: bytes order is ``sort_key`` order.

    Store it in a database column (a ``BLOB``, ``BYTEA`` or ``BINARY``): ``ORDER BY``
    and ``MAX()`` then agree with cdcpos.  ``TypeError`` for anything but a cdcpos value.

    >>> import cdcpos
    >>> a, b = cdcpos.parse("0/16B3748"), cdcpos.parse("4AF/B00000D0")
    >>> cdcpos.sort_bytes(a) < cdcpos.sort_bytes(b), a < b
    (True, True)
    >>> cdcpos.sort_bytes(a).hex(" ")
    '06 05 70 6f 73 74 67 72 65 73 5f 6c 73 6e 00 00 03 01 04 01 6b 37 48 00'
    """
    out = bytearray()
    _encode(sort_key(value), out)
    return bytes(out)


def magnitude(number: int) -> bytes:
    """The encoding of a non-negative integer, after its tag."""
    body = number.to_bytes((number.bit_length() + 7) // 8, "big")
    size = len(body)
    size_bytes = size.to_bytes((size.bit_length() + 7) // 8, "big")
    return bytes((len(size_bytes),)) + size_bytes + body


def _encode(item: Any, out: bytearray) -> None:
    own_key = getattr(type(item), "key", None)
    if own_key is not None and callable(own_key):
        _encode(item.key(), out)
    elif isinstance(item, str):
        out.append(STRING)
        out += item.encode("utf-8", "surrogatepass").replace(b"\x00", b"\x00\xff")
        out += STRING_END
    elif isinstance(item, int):  # bool too: True == 1, as in the key's own comparisons
        if item >= 0:
            out.append(NON_NEGATIVE)
            out += magnitude(item)
        else:
            out.append(NEGATIVE)
            out += bytes(0xFF - b for b in magnitude(-item))
    elif isinstance(item, tuple):
        out.append(TUPLE)
        for part in item:
            _encode(part, out)
        out.append(END)
    elif item is None:
        out.append(NONE)
    else:
        from datetime import datetime

        if not (isinstance(item, datetime) and item.tzinfo is None):
            raise TypeError(f"sort_bytes cannot encode a {type(item).__name__} in a sort key")
        # Naive instants compare as their fields do (fold aside, which == ignores too).
        days = item.toordinal() - _EPOCH_ORDINAL
        seconds = item.hour * 3600 + item.minute * 60 + item.second
        out.append(DATETIME)
        out += magnitude(days * _MICROSECONDS_PER_DAY + seconds * 1_000_000 + item.microsecond)
