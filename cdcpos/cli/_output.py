"""Writing output: stdout as UTF-8 bytes whatever the locale, the JSON Lines records of
``cdcpos parse`` and its aligned table."""

from __future__ import annotations

import re
import sys
from collections.abc import Iterable
from itertools import count
from json.encoder import encode_basestring
from typing import IO

import cdcpos
from cdcpos.cli._checkpoint_json import checkpoint_fields_json
from cdcpos.cli._common import OutputError, Value, describe_os_error
from cdcpos.cli._fields import ENCODE, FIELDS_JSON, canonical, kind_of
from cdcpos.cli._input import Block
from cdcpos.cli._parsing import is_error, message, parse_record


class Output:
    """stdout as UTF-8 bytes whatever the locale (JSON Lines are UTF-8).

    A write that fails (stdout closed, a full disk) raises ``OutputError`` (exit status 2,
    one line on stderr); a reader that went away raises ``BrokenPipeError``, which
    ``main`` turns into the quiet exit of a Unix filter.
    """

    def __init__(self) -> None:
        self._text = sys.stdout
        self._bytes: IO[bytes] | None = getattr(sys.stdout, "buffer", None)

    @property
    def stream(self) -> IO[bytes] | None:
        """The binary stdout (None when it is closed or text only)."""
        return self._bytes

    def write(self, text: str) -> None:
        try:
            if self._bytes is not None:
                _write_all(self._bytes, text.encode("utf-8", "backslashreplace"))
            elif self._text is not None:  # a text-only stdout (doctest, an IDE console)
                self._text.write(text)
            else:
                raise OutputError("cannot write to stdout: it is closed")
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as error:
            raise OutputError(f"cannot write to stdout: {describe_os_error(error)}") from None

    def write_bytes(self, data: bytes) -> None:
        """UTF-8 bytes, as workers of --jobs give them (no decoding and encoding again)."""
        if self._bytes is None:
            self.write(data.decode("utf-8"))
            return
        try:
            _write_all(self._bytes, data)
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as error:
            raise OutputError(f"cannot write to stdout: {describe_os_error(error)}") from None

    def flush(self) -> None:
        stream = self._bytes or self._text
        if stream is None:
            return
        try:
            stream.flush()
        except BrokenPipeError:
            raise
        except (OSError, ValueError) as error:
            raise OutputError(f"cannot write to stdout: {describe_os_error(error)}") from None


def _write_all(stream: IO[bytes], data: bytes) -> None:
    """All of ``data``: under ``python -u`` or PYTHONUNBUFFERED, ``sys.stdout.buffer`` is
    the unbuffered file itself, whose write() is one system call and may write part only
    (a signal, or the reader going away mid-write) and say so instead of raising; the
    rest, unwritten, was silently lost and a broken pipe went unseen (exit 0, not 141)."""
    written = stream.write(data)
    if written is not None and written >= len(data):  # buffered streams write all or raise
        return
    view = memoryview(data)[written or 0 :]
    while view:
        # None: a non-blocking stdout that would block; try again.
        view = view[stream.write(view) or 0 :]


# Characters str.splitlines() (and JavaScript before ES2019) take as line ends that JSON
# lets a string hold raw: U+2028, U+2029 and U+0085.  They are written as \uXXXX, with the
# other C1 controls (U+0080 to U+009F), so that one record is one line for every reader.
# JSON's own encoder already escapes the C0 controls (\n, \x0b, \x1c, ...).  Outside strings
# JSON text is ASCII, so escaping them in a whole serialized record is exact.
_RAW_IN_JSON = re.compile("[\x80-\x9f\u2028\u2029]")


def _escape_match(match: re.Match[str]) -> str:
    return f"\\u{ord(match.group()):04x}"


def escape_line_breaks(json_text: str) -> str:
    """JSON text with U+2028, U+2029 and the C1 controls escaped (see ``_RAW_IN_JSON``).

    >>> escape_line_breaks('{"input":"a\u2028b\x85"}')
    '{"input":"a\\\\u2028b\\\\u0085"}'
    """
    if json_text.isascii() or _RAW_IN_JSON.search(json_text) is None:  # isascii: C speed
        return json_text
    return _RAW_IN_JSON.sub(_escape_match, json_text)


def jsonl_records(block: Block, values: Iterable[Value], with_fields: bool = True) -> list[str]:
    """The JSON text of each line's record (the same as ``ENCODE(parse_record(...))``)."""
    quote = encode_basestring
    source = quote(block.source)
    # One f-string per record (the per-line cost of `cdcpos parse`); a checkpoint's text
    # is its canonical form: quoted once, its fields written from it (no decoding).
    writers = FIELDS_JSON
    checkpoint = cdcpos.Checkpoint
    checkpoint_json = checkpoint_fields_json
    records: list[str] = []
    append = records.append
    number = block.first_line
    for text, value in zip(block.texts, values, strict=True):
        writer = writers.get(type(value))
        if writer is not None:
            canonical = str(value)
            quoted = quote(text)
            shown = quoted if canonical == text else quote(canonical)
            if not with_fields:
                fields = ""
            elif type(value) is checkpoint:
                fields = f',"fields":{checkpoint_json(canonical) or writer(value)}'
            else:
                fields = f',"fields":{writer(value)}'
            append(
                f'{{"file":{source},"line":{number},"input":{quoted},"ok":true,'
                f'"kind":"{value.kind}","canonical":{shown}{fields}}}'
            )
        else:
            append(ENCODE(parse_record(block.source, number, text, value, with_fields)))
        number += 1
    return records


TABLE_HEADER = f"{'LINE':<10}  {'OK':<3}  {'KIND':<14}  CANONICAL OR ERROR\n"


def table_rows(block: Block, values: Iterable[Value], with_file: bool) -> list[str]:
    rows = []
    for number, text, value in zip(count(block.first_line), block.texts, values):
        where = f"{block.source}:{number}" if with_file else str(number)
        if is_error(value):
            rows.append(f"{where:<10}  {'no':<3}  {'-':<14}  {message(value, text)}\n")
        else:
            rows.append(f"{where:<10}  {'yes':<3}  {kind_of(value):<14}  {canonical(value)}\n")
    return rows
