"""The one exception type of cdcpos, and how its messages are put together."""

from __future__ import annotations

__all__ = ["InvalidPosition", "Rejected"]

_QUOTE_LIMIT = 120


def quote(text: str) -> str:
    """``repr`` of the input, cut to a readable length."""
    if len(text) > _QUOTE_LIMIT:
        return repr(text[: _QUOTE_LIMIT - 20]) + f"... ({len(text)} characters)"
    return repr(text)


def not_utf8(raw: bytes) -> tuple[str, str, int] | None:
    """What a text that is not UTF-8 shows, why it is refused and where; ``None`` for UTF-8.

    The text shows the bad bytes as ``\\xNN`` escapes; the column counts characters (as
    :class:`InvalidPosition` columns do) up to the first bad byte.  The command line's lines
    and the columnar rows of bytes that are not UTF-8 both say it this way.

    >>> not_utf8(b"0/1\\xff")
    ('0/1\\\\xff', 'not UTF-8 text (invalid start byte: byte 0xff)', 4)
    >>> not_utf8("é/1".encode()) is None
    True
    """
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as error:
        column = len(raw[: error.start].decode("utf-8")) + 1
        reason = f"not UTF-8 text ({error.reason}: byte 0x{raw[error.start]:02x})"
        return raw.decode("utf-8", "backslashreplace"), reason, column
    return None


class InvalidPosition(ValueError):
    """A string that is not a valid position for the field it was given as.

    A ``ValueError`` subclass, so ``except ValueError`` keeps working.  Attributes:

    * ``field``: what was being parsed (``'CdcStartPosition'``, ``'CdcStopPosition'``, ...);
    * ``text``: the input, as given (``None`` when it was not a ``str``);
    * ``column``: 1-based column of the first problem, or ``None`` when the problem is the
      value as a whole (a day that does not exist, a number out of range);
    * ``expected``: what would have been valid at that column, in words;
    * ``hint``: a suggestion when the input matches a known mistake, else ``None``;
    * ``reason``: the short statement of what is wrong;
    * ``index``: the item's index when it came from ``parse_many``/``iter_parse``.

    >>> import cdcpos
    >>> try:
    ...     cdcpos.parse_start_position("4AF/B00000DZ")
    ... except cdcpos.InvalidPosition as e:
    ...     print(e.column, e.expected)
    12 a hex digit or end of input
    """

    # The public name: tracebacks, repr, help() and pickles say cdcpos.InvalidPosition.
    __module__ = "cdcpos"

    def __init__(
        self,
        reason: str,
        *,
        field: str,
        text: str | None,
        column: int | None = None,
        expected: str | None = None,
        hint: str | None = None,
        index: int | None = None,
    ) -> None:
        self.reason = reason
        self.index = index
        self.field = field
        self.text = text
        self.column = column
        self.expected = expected
        self.hint = hint
        super().__init__(self._message())

    def _message(self) -> str:
        shown = quote(self.text) if self.text is not None else "value"
        message = f"Invalid {self.field} {shown}"
        if self.index is not None:
            message += f" (item {self.index})"
        message += f": {self.reason}"
        if self.column is not None:
            message += f" at column {self.column}"
        if self.expected:
            message += f" (expected {self.expected})"
        if self.hint:
            message += f". Hint: {self.hint}"
        return message

    def __reduce__(self) -> tuple[object, ...]:
        # Keyword-only arguments need help to survive pickling (multiprocessing pools).  A
        # classmethod pickles as getattr(cdcpos.InvalidPosition, ...): no private path.
        return (
            type(self)._restore,
            (self.reason, self.field, self.text, self.column, self.expected, self.hint, self.index),
        )

    @classmethod
    def _restore(
        cls,
        reason: str,
        field: str,
        text: str | None,
        column: int | None,
        expected: str | None,
        hint: str | None,
        index: int | None = None,
    ) -> InvalidPosition:
        return cls(
            reason, field=field, text=text, column=column, expected=expected, hint=hint, index=index
        )

    def with_index(self, index: int) -> InvalidPosition:
        """The same error, saying which item of a bulk parse it is."""
        return self._restore(
            self.reason, self.field, self.text, self.column, self.expected, self.hint, index
        )

    def without_index(self) -> InvalidPosition:
        """The same error about the string alone, not saying which item of a bulk parse it
        was (for callers that say where in their own words: a file and line, a row).

        >>> error = InvalidPosition("empty input", field="CdcStartPosition", text="", index=3)
        >>> str(error.without_index()) == str(error), error.without_index().index
        (False, None)
        """
        if self.index is None:
            return self
        return self._restore(
            self.reason, self.field, self.text, self.column, self.expected, self.hint
        )


# Pickles written by cdcpos 0.1.0 name this function; they keep loading.
def _rebuild(
    reason: str,
    field: str,
    text: str | None,
    column: int | None,
    expected: str | None,
    hint: str | None,
    index: int | None = None,
) -> InvalidPosition:
    return InvalidPosition._restore(reason, field, text, column, expected, hint, index)


class Rejected(ValueError):
    """Raised by a value's ``_from_token`` when a token the grammar accepted is still invalid.

    (A day that does not exist, an SCN above 2**64-1: what a regular grammar cannot say.)
    The caller turns it into :class:`InvalidPosition` with the field and the input.
    """

    def __init__(self, reason: str, hint: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.hint = hint
