"""Reading input: the lines of files and stdin as bytes decoded one block at a time, in
constant memory; lines that are not text (bad UTF-8, far too long) are marked, not
raised; a progress bar for a person watching."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator, Sequence
from typing import IO, NamedTuple

import cdcpos
from cdcpos._errors import not_utf8
from cdcpos.cli._common import warn

STDIN = "-"
STDIN_NAME = "<stdin>"
# Bytes asked of the file per read: big enough that per-read costs vanish, small enough
# that memory stays flat and a slow pipe still streams (read1 returns what is there).
BLOCK_SIZE = 1 << 18
# A line longer than this (no newline within it) is cut here and reported invalid, so a
# binary file passed by mistake cannot fill memory.  Positions are <= MAX_LENGTH chars.
LINE_LIMIT = 1 << 16
_BOM = b"\xef\xbb\xbf"


class LineProblem(NamedTuple):
    """A line that is not even text: bad UTF-8, or far too long to be a position."""

    type: str
    reason: str
    column: int | None

    def message(self, text: str) -> str:
        where = f" at column {self.column}" if self.column is not None else ""
        return f"Invalid line {quote(text)}: {self.reason}{where}"


def quote(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


class Block(NamedTuple):
    """Consecutive lines of one source; ``problems`` maps an index to why it is unreadable."""

    source: str
    first_line: int
    texts: list[str]
    problems: dict[int, LineProblem]
    columnar: bool = False  # the rows of a column (Parquet), not lines of text


class _ReadError(Exception):
    pass


def _split_lines(chunk: bytes, source: str, first_line: int) -> Block:
    """Whole lines (``chunk`` ends with a newline) decoded; CRLF taken as one ending."""
    try:
        text = chunk.decode("utf-8")
    except UnicodeDecodeError:
        return _split_lines_slowly(chunk, source, first_line)
    if "\r" in text:
        text = text.replace("\r\n", "\n")
    texts = text.split("\n")  # not splitlines(): \x0b, \x1c, \u2028... are not line ends
    texts.pop()
    problems: dict[int, LineProblem] = {}
    # A line over LINE_LIMIT bytes is LineTooLong wherever it falls in the reads: within one
    # block as well as across several.  A character is 1 to 4 bytes, so only lines longer
    # than a quarter of the limit in characters need their bytes counted.
    if len(chunk) > LINE_LIMIT and max(map(len, texts), default=0) > LINE_LIMIT // 4:
        for index, line in enumerate(texts):
            if len(line) > LINE_LIMIT // 4:
                raw = line.encode("utf-8")
                if len(raw) > LINE_LIMIT:
                    texts[index], problems[index] = _too_long_line(raw)
    return Block(source, first_line, texts, problems)


def _split_lines_slowly(chunk: bytes, source: str, first_line: int) -> Block:
    """Some line of the chunk is not UTF-8: decode line by line and say which."""
    texts: list[str] = []
    problems: dict[int, LineProblem] = {}
    for index, raw in enumerate(chunk.split(b"\n")[:-1]):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        if len(raw) > LINE_LIMIT:
            text, problems[index] = _too_long_line(raw)
            texts.append(text)
            continue
        text, problem = decoded(raw)
        texts.append(text)
        if problem is not None:
            problems[index] = problem
    return Block(source, first_line, texts, problems)


def decoded(raw: bytes) -> tuple[str, LineProblem | None]:
    """A line's text; for bytes that are not UTF-8, how they show and the ``InvalidUtf8``
    problem (``_errors.not_utf8``: the bad bytes as ``\\xNN``, the column in characters)."""
    try:
        return raw.decode("utf-8"), None
    except UnicodeDecodeError:
        refused = not_utf8(raw)
    assert refused is not None, "bytes that did not decode"
    shown, reason, column = refused
    return shown, LineProblem("InvalidUtf8", reason, column)


_TOO_LONG = LineProblem(
    "LineTooLong",
    f"line longer than {LINE_LIMIT} bytes (positions are at most {cdcpos.MAX_LENGTH} "
    f"characters; the input shown is its first {LINE_LIMIT} bytes)",
    None,
)


def _too_long_line(raw: bytes) -> tuple[str, LineProblem]:
    """What stands for a line over LINE_LIMIT bytes: its first LINE_LIMIT bytes."""
    return raw[:LINE_LIMIT].decode("utf-8", "backslashreplace"), _TOO_LONG


def _too_long(prefix: bytes, source: str, number: int) -> Block:
    text, problem = _too_long_line(prefix)
    return Block(source, number, [text], {0: problem})


class RawBlock(NamedTuple):
    """Consecutive whole lines of one source as read, not yet decoded: what a worker of
    ``--jobs`` receives (bytes pickle as a copy; decoding is the worker's work)."""

    source: str
    first_line: int
    data: bytes  # whole lines, each ending with a newline; or the cut start of one line
    too_long: bool  # data is the first LINE_LIMIT bytes of a line over the limit


def is_parquet(path: str) -> bool:
    """A ``.parquet``/``.parq`` file, or a regular file that starts with Parquet's magic."""
    if path.lower().endswith((".parquet", ".parq")):
        return True
    try:
        if not os.path.isfile(path):
            return False
        with open(path, "rb") as file:
            return file.read(4) == b"PAR1"
    except OSError:
        return False


def split_raw(raw: RawBlock | Block) -> Block:
    """The decoded lines of a raw block (a block read already decoded is returned as is)."""
    if isinstance(raw, Block):
        return raw
    if raw.too_long:
        return _too_long(raw.data, raw.source, raw.first_line)
    return _split_lines(raw.data, raw.source, raw.first_line)


def read_blocks(
    stream: IO[bytes], source: str, progress: Callable[[int], object] | None
) -> Iterator[Block]:
    """The lines of a binary stream, in blocks, in constant memory."""
    return map(split_raw, read_raw(stream, source, progress))


def read_raw(
    stream: IO[bytes], source: str, progress: Callable[[int], object] | None
) -> Iterator[RawBlock]:
    """The whole lines of a binary stream, in blocks of bytes, in constant memory."""
    read = getattr(stream, "read1", stream.read)
    pending = b""  # the start of a line whose end has not been read yet
    skipping = False  # pending is the cut start of an overlong line; skip to its end
    at_start = True
    number = 1
    while True:
        try:
            data: bytes = read(BLOCK_SIZE)
        except OSError as error:
            raise _ReadError(f"cannot read {source}: {error.strerror or error}") from None
        if not data:
            break
        if progress is not None:
            progress(len(data))
        if skipping:
            end = data.find(b"\n")
            if end < 0:
                continue
            yield RawBlock(source, number, pending, True)
            number += 1
            pending, skipping, at_start = b"", False, False
            data = data[end + 1 :]
        cut = data.rfind(b"\n")
        if cut < 0:
            pending += data
            if len(pending) > LINE_LIMIT + 1:  # + 1: a CR before the newline is no part
                pending, skipping = pending[:LINE_LIMIT], True
            continue
        chunk, pending = pending + data[: cut + 1], data[cut + 1 :]
        if at_start:
            chunk = chunk.removeprefix(_BOM)
            at_start = False
        yield RawBlock(source, number, chunk, False)
        number += chunk.count(b"\n")
    if skipping:
        yield RawBlock(source, number, pending, True)
    elif pending:
        # The last line has no newline; a lone CR there is the rest of a CRLF ending.
        if at_start:
            pending = pending.removeprefix(_BOM)
        yield RawBlock(source, number, pending.removesuffix(b"\r") + b"\n", False)


class Progress:
    """A progress bar on stderr, for interactive use only (never in pipes or CI logs)."""

    def __init__(self, total: int | None, description: str) -> None:
        # Imported only when a terminal will show it (tqdm ships no type stubs).
        from tqdm import tqdm  # type: ignore[import-untyped]

        self._bar = tqdm(
            total=total,
            desc=description,
            unit="B",
            unit_scale=True,
            unit_divisor=1024,
            file=sys.stderr,
            delay=0.5,  # a short run shows nothing
            leave=False,
            dynamic_ncols=True,
        )

    def update(self, size: int) -> None:
        self._bar.update(size)

    def write(self, message: str) -> None:
        self._bar.write(message, file=sys.stderr)

    def close(self) -> None:
        self._bar.close()

    @staticmethod
    def wanted(disabled: bool, streams_output: bool) -> bool:
        """Only for a person watching: stderr a terminal, not CI, not a dumb terminal,
        and not when the output itself streams to that terminal (the bar would tear it)."""
        if disabled or os.environ.get("CI", "").lower() not in ("", "0", "false", "no"):
            return False
        if os.environ.get("TERM") == "dumb":
            return False
        return _isatty(sys.stderr) and not (streams_output and _isatty(sys.stdout))


def _isatty(stream: IO[str] | None) -> bool:
    try:
        return stream is not None and stream.isatty()
    except (AttributeError, ValueError):  # no such method, or a closed stream
        return False


class Input:
    """The lines of the files named on the command line; stdin for none or ``-``."""

    def __init__(
        self,
        paths: Sequence[str],
        command: str,
        no_progress: bool,
        streams_output: bool = False,
        missing_hint: Callable[[str], str | None] | None = None,
        column: str | None = None,
    ) -> None:
        self.paths = list(paths) or [STDIN]
        self.column = column  # --column: the column of Parquet files holding the positions
        # What to say when a FILE does not exist (say, a position given as a file name).
        self._missing_hint = missing_hint
        self.command = command
        self.failed = False  # some file could not be read
        self._progress: Progress | None = None
        self._want_progress = Progress.wanted(no_progress, streams_output)

    def warn(self, message: str) -> None:
        if self._progress is not None:
            self._progress.write(message)
        else:
            warn(message)

    def _total_size(self) -> int | None:
        total = 0
        for path in self.paths:
            try:
                if path == STDIN or not os.path.isfile(path):
                    return None
                total += os.path.getsize(path)
            except OSError:
                return None
        return total

    def blocks(self) -> Iterator[Block]:
        """The decoded lines of every input, in order."""
        return map(split_raw, self.raw_blocks())

    def raw_blocks(self) -> Iterator[RawBlock | Block]:
        """The lines of every input, in order, as read (see ``split_raw``)."""
        if self._want_progress:
            self._progress = Progress(self._total_size(), f"cdcpos {self.command}")
        update = self._progress.update if self._progress is not None else None
        try:
            for path in self.paths:
                if path == STDIN and self.column is not None:
                    self._fail(f"--column reads Parquet files, not {STDIN_NAME}")
                    continue
                if path != STDIN and (self.column is not None or is_parquet(path)):
                    yield from self._column_of(path)
                    continue
                if path == STDIN:
                    stdin = getattr(sys.stdin, "buffer", None)
                    if stdin is None:  # `<&-`: Python leaves sys.stdin None
                        self._fail(f"cannot read {STDIN_NAME}: stdin is closed")
                    else:
                        yield from self._blocks_of(stdin, STDIN_NAME, update)
                    continue
                try:
                    stream = open(path, "rb")  # noqa: SIM115 - closed below, in this frame
                except OSError as error:
                    why = f"cannot read {path}: {error.strerror or error}"
                    if isinstance(error, FileNotFoundError) and self._missing_hint is not None:
                        hint = self._missing_hint(path)
                        why += f" ({hint})" if hint else ""
                    self._fail(why)
                    continue
                with stream:
                    yield from self._blocks_of(stream, path, update)
        finally:
            if self._progress is not None:
                self._progress.close()
                self._progress = None

    def _blocks_of(
        self, stream: IO[bytes], source: str, update: Callable[[int], object] | None
    ) -> Iterator[RawBlock]:
        try:
            yield from read_raw(stream, source, update)
        except _ReadError as error:
            self._fail(str(error))

    def _column_of(self, path: str) -> Iterator[Block]:
        # Imported here: pyarrow only when a Parquet file is read.
        from cdcpos.cli._parquet import ParquetError, read_column

        try:
            yield from read_column(path, self.column)
        except ParquetError as error:
            self._fail(str(error))
        except FileNotFoundError as error:
            self._fail(f"cannot read {path}: {error.strerror or error}")

    def _fail(self, message: str) -> None:
        self.failed = True
        self.warn(f"cdcpos {self.command}: {message}")
