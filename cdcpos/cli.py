"""The ``cdcpos`` command: parse, validate, compare, sort, pick the latest and convert
AWS DMS change-data-capture positions from files, stdin or arguments.

Every command that reads files reads stdin when no file (or ``-``) is named, one
position per line.  Lines are bytes decoded as UTF-8 one by one: ``\\n`` and ``\\r\\n``
endings, a last line without a newline and a byte-order mark at the start of a file are
accepted; a line that is not UTF-8 is reported as an invalid line, never a crash.
Parsing goes through :func:`cdcpos.iter_parse` (the bulk path), so memory stays
constant however long the input (``sort`` must hold its lines; ``latest`` holds one
line per key).

Exit status, for every command:

* ``0``: done.  ``parse`` reports invalid lines in its output and still exits 0.
* ``1``: some input is not a valid position (``validate``, ``compare``, ``sort``,
  ``latest``, ``convert``).
* ``2``: usage error, a file that cannot be read, or positions with no common order
  (different engines, clocks or binlog stems).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from itertools import count
from json.encoder import encode_basestring
from typing import IO, Any, NamedTuple

import cdcpos
from cdcpos._engines import family_of_engine
from cdcpos._parse import normalize_lenient

__all__ = ["fields_of", "main"]

STDIN = "-"
STDIN_NAME = "<stdin>"
# Bytes asked of the file per read: big enough that per-read costs vanish, small enough
# that memory stays flat and a slow pipe still streams (read1 returns what is there).
BLOCK_SIZE = 1 << 18
# A line longer than this (no newline within it) is cut here and reported invalid, so a
# binary file passed by mistake cannot fill memory.  Positions are <= MAX_LENGTH chars.
LINE_LIMIT = 1 << 16
_BOM = b"\xef\xbb\xbf"

# --kind choices -> the kind argument of cdcpos.iter_parse ("start-time" is separate:
# a CdcStartTime is a timestamp, read by cdcpos.parse_start_time).
KINDS: dict[str, str | None] = {
    "any": None,
    "start": "start",
    "stop": "stop",
    "checkpoint": "checkpoint",
    "start-time": None,
    "db2-context": "db2-context",
}

Value = Any  # a cdcpos.Position, or an aware UTC datetime for --kind start-time


# ====================================================================== fields of a value


def _nested(value: cdcpos.Position | None) -> dict[str, Any] | None:
    if value is None:
        return None
    return {"kind": value.kind, "canonical": str(value), "fields": fields_of(value)}


def _integer_fields(value: Any) -> dict[str, Any]:
    return {"value": int(value)}


def _sqlserver_fields(value: cdcpos.SqlServerLsn) -> dict[str, Any]:
    return {
        "value": int(value),
        "virtual_log_file": value.virtual_log_file,
        "block": value.block,
        "slot": value.slot,
    }


def _instant_fields(value: Any) -> dict[str, Any]:
    return {"value": value.value.isoformat()}


def _clock_fields(value: cdcpos.StopPosition) -> dict[str, Any]:
    return {"clock": value.clock, "value": value.value.isoformat()}


def _no_fields(value: Any) -> dict[str, Any]:
    return {}


def _binlog_fields(value: cdcpos.MySqlBinlogPosition) -> dict[str, Any]:
    return {
        "file": value.file,
        "stem": value.stem,
        "sequence": value.sequence,
        "offset": value.offset,
    }


def _mysql_stream_fields(value: cdcpos.MySqlStreamPosition) -> dict[str, Any]:
    return {
        "binlog_position": _nested(value.binlog_position),
        "transaction_id": value.transaction_id,
        "opaque_fields": list(value.opaque_fields),
        "second_binlog_position": _nested(value.second_binlog_position),
    }


def _oracle_stream_fields(value: cdcpos.OracleStreamPosition) -> dict[str, Any]:
    return {"groups": list(value.groups), "inferred_scn": _nested(value.inferred_scn)}


def _opaque_fields(value: cdcpos.OpaquePosition) -> dict[str, Any]:
    return {"text": value.text}


def _checkpoint_fields(value: cdcpos.Checkpoint) -> dict[str, Any]:
    return {
        "version": value.version,
        "counters": list(value.counters),
        "engine_kind": value.engine_kind,
        "position": _nested(value.position),
        "second_position": _nested(value.second_position),
    }


def _start_time_fields(value: datetime) -> dict[str, Any]:
    return {"epoch_seconds": cdcpos.to_epoch_seconds(value)}


_FIELD_READERS: dict[type, Callable[[Any], dict[str, Any]]] = {
    cdcpos.PostgresLsn: _integer_fields,
    cdcpos.OracleScn: _integer_fields,
    cdcpos.Db2Lri: _integer_fields,
    cdcpos.SqlServerLsn: _sqlserver_fields,
    cdcpos.DatePosition: _instant_fields,
    cdcpos.Db2Timestamp: _instant_fields,
    cdcpos.ServerTime: _clock_fields,
    cdcpos.CommitTime: _clock_fields,
    cdcpos.Db2Now: _no_fields,
    cdcpos.MySqlBinlogPosition: _binlog_fields,
    cdcpos.MySqlStreamPosition: _mysql_stream_fields,
    cdcpos.OracleStreamPosition: _oracle_stream_fields,
    cdcpos.OpaquePosition: _opaque_fields,
    cdcpos.Checkpoint: _checkpoint_fields,
    datetime: _start_time_fields,
}


def fields_of(value: cdcpos.Position | datetime) -> dict[str, Any]:
    """The public fields of a value as JSON-ready data: the ``fields`` of ``cdcpos parse``.

    Integers stay integers (LSNs and SCNs can exceed 2**53: read them with a JSON parser
    that keeps big integers, or use ``canonical``).  A position inside a value (a
    checkpoint's) appears as ``{"kind": ..., "canonical": ..., "fields": ...}``.  A
    ``CdcStartTime`` (an aware UTC ``datetime``) gives its epoch seconds.

    >>> import cdcpos
    >>> from cdcpos.cli import fields_of
    >>> fields_of(cdcpos.parse("00000014:00000061:0001"))
    {'value': 5629499540570113, 'virtual_log_file': 20, 'block': 97, 'slot': 1}
    >>> ck = fields_of(cdcpos.parse("checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121"))
    >>> ck["version"], ck["counters"], ck["engine_kind"], ck["second_position"]
    (1, [34, 0, 0, 0, 121], 'postgres_lsn', None)
    >>> ck["position"]
    {'kind': 'postgres_lsn', 'canonical': '132/F000E48', 'fields': {'value': 1314511654472}}
    """
    for cls in type(value).__mro__:
        reader = _FIELD_READERS.get(cls)
        if reader is not None:
            return reader(value)
    raise TypeError(f"fields_of takes a cdcpos value, not {type(value).__name__}")


def _kind_of(value: Value) -> str:
    return "start_time" if isinstance(value, datetime) else str(value.kind)


def _canonical(value: Value) -> str:
    if isinstance(value, datetime):
        # parse_start_time returns aware UTC datetimes: ISO 8601 with Z, as AWS prints.
        return value.isoformat().replace("+00:00", "Z")
    return str(value)


# The JSON text of `fields`, written directly per class: serializing is most of the CLI's
# own cost per line, and building dicts for json.dumps costs two to three times as much.
# The tests check every class against _ENCODE(fields_of(value)), key order included.
_ENCODE = json.JSONEncoder(ensure_ascii=False, separators=(",", ":"), check_circular=False).encode
_quote_json = encode_basestring


def _integer_json(value: Any) -> str:
    return f'{{"value":{int(value)}}}'


def _sqlserver_json(value: cdcpos.SqlServerLsn) -> str:
    return (
        f'{{"value":{int(value)},"virtual_log_file":{value.virtual_log_file},'
        f'"block":{value.block},"slot":{value.slot}}}'
    )


def _instant_json(value: Any) -> str:
    return f'{{"value":"{value.value.isoformat()}"}}'


def _clock_json(value: cdcpos.StopPosition) -> str:
    return f'{{"clock":"{value.clock}","value":"{value.value.isoformat()}"}}'


def _no_fields_json(value: Any) -> str:
    return "{}"


def _binlog_json(value: cdcpos.MySqlBinlogPosition) -> str:
    return (
        f'{{"file":{_quote_json(value.file)},"stem":{_quote_json(value.stem)},'
        f'"sequence":{value.sequence},"offset":{value.offset}}}'
    )


def _nested_json(value: cdcpos.Position | None) -> str:
    if value is None:
        return "null"
    return (
        f'{{"kind":"{value.kind}","canonical":{_quote_json(str(value))},'
        f'"fields":{_FIELDS_JSON[type(value)](value)}}}'
    )


def _mysql_stream_json(value: cdcpos.MySqlStreamPosition) -> str:
    third, fourth = value.opaque_fields
    return (
        f'{{"binlog_position":{_nested_json(value.binlog_position)},'
        f'"transaction_id":{value.transaction_id},"opaque_fields":[{third},{fourth}],'
        f'"second_binlog_position":{_nested_json(value.second_binlog_position)}}}'
    )


def _oracle_stream_json(value: cdcpos.OracleStreamPosition) -> str:
    groups = ",".join(map(str, value.groups))
    return f'{{"groups":[{groups}],"inferred_scn":{_nested_json(value.inferred_scn)}}}'


def _opaque_json(value: cdcpos.OpaquePosition) -> str:
    return f'{{"text":{_quote_json(value.text)}}}'


def _checkpoint_json(value: cdcpos.Checkpoint) -> str:
    counters = ",".join(map(str, value.counters))
    position = value.position
    return (
        f'{{"version":{value.version},"counters":[{counters}],"engine_kind":"{position.kind}",'
        f'"position":{_nested_json(position)},'
        f'"second_position":{_nested_json(value.second_position)}}}'
    )


_FIELDS_JSON: dict[type, Callable[[Any], str]] = {
    cdcpos.PostgresLsn: _integer_json,
    cdcpos.OracleScn: _integer_json,
    cdcpos.Db2Lri: _integer_json,
    cdcpos.SqlServerLsn: _sqlserver_json,
    cdcpos.DatePosition: _instant_json,
    cdcpos.Db2Timestamp: _instant_json,
    cdcpos.ServerTime: _clock_json,
    cdcpos.CommitTime: _clock_json,
    cdcpos.Db2Now: _no_fields_json,
    cdcpos.MySqlBinlogPosition: _binlog_json,
    cdcpos.MySqlStreamPosition: _mysql_stream_json,
    cdcpos.OracleStreamPosition: _oracle_stream_json,
    cdcpos.OpaquePosition: _opaque_json,
    cdcpos.Checkpoint: _checkpoint_json,
}


# ====================================================================== reading lines


class LineProblem(NamedTuple):
    """A line that is not even text: bad UTF-8, or far too long to be a position."""

    type: str
    reason: str
    column: int | None

    def message(self, text: str) -> str:
        where = f" at column {self.column}" if self.column is not None else ""
        return f"Invalid line {_quote(text)}: {self.reason}{where}"


def _quote(text: str) -> str:
    return repr(text if len(text) <= 80 else text[:77] + "...")


class Block(NamedTuple):
    """Consecutive lines of one source; ``problems`` maps an index to why it is unreadable."""

    source: str
    first_line: int
    texts: list[str]
    problems: dict[int, LineProblem]


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
    return Block(source, first_line, texts, {})


def _split_lines_slowly(chunk: bytes, source: str, first_line: int) -> Block:
    """Some line of the chunk is not UTF-8: decode line by line and say which."""
    texts: list[str] = []
    problems: dict[int, LineProblem] = {}
    for index, raw in enumerate(chunk.split(b"\n")[:-1]):
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        try:
            texts.append(raw.decode("utf-8"))
        except UnicodeDecodeError as error:
            # The input is shown with the bad bytes as \xNN escapes, and the column
            # counts characters, as InvalidPosition columns do.
            column = len(raw[: error.start].decode("utf-8")) + 1
            texts.append(raw.decode("utf-8", "backslashreplace"))
            problems[index] = LineProblem(
                "InvalidUtf8",
                f"not UTF-8 text ({error.reason}: byte 0x{raw[error.start]:02x})",
                column,
            )
    return Block(source, first_line, texts, problems)


def _too_long(prefix: bytes, source: str, number: int) -> Block:
    reason = (
        f"line longer than {LINE_LIMIT} bytes (positions are at most {cdcpos.MAX_LENGTH} "
        f"characters; the input shown is its first {LINE_LIMIT} bytes)"
    )
    text = prefix.decode("utf-8", "backslashreplace")
    return Block(source, number, [text], {0: LineProblem("LineTooLong", reason, None)})


def _read_blocks(
    stream: IO[bytes], source: str, progress: Callable[[int], object] | None
) -> Iterator[Block]:
    """The lines of a binary stream, in blocks, in constant memory."""
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
            yield _too_long(pending, source, number)
            number += 1
            pending, skipping, at_start = b"", False, False
            data = data[end + 1 :]
        cut = data.rfind(b"\n")
        if cut < 0:
            pending += data
            if len(pending) > LINE_LIMIT:
                pending, skipping = pending[:LINE_LIMIT], True
            continue
        chunk, pending = pending + data[: cut + 1], data[cut + 1 :]
        if at_start:
            chunk = chunk.removeprefix(_BOM)
            at_start = False
        block = _split_lines(chunk, source, number)
        number += len(block.texts)
        yield block
    if skipping:
        yield _too_long(pending, source, number)
    elif pending:
        # The last line has no newline; a lone CR there is the rest of a CRLF ending.
        if at_start:
            pending = pending.removeprefix(_BOM)
        yield _split_lines(pending.removesuffix(b"\r") + b"\n", source, number)


class _Progress:
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


class _Input:
    """The lines of the files named on the command line; stdin for none or ``-``."""

    def __init__(
        self, paths: Sequence[str], command: str, no_progress: bool, streams_output: bool = False
    ) -> None:
        self.paths = list(paths) or [STDIN]
        self.command = command
        self.failed = False  # some file could not be read
        self._progress: _Progress | None = None
        self._want_progress = _Progress.wanted(no_progress, streams_output)

    def warn(self, message: str) -> None:
        if self._progress is not None:
            self._progress.write(message)
        else:
            sys.stderr.write(message + "\n")

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
        if self._want_progress:
            self._progress = _Progress(self._total_size(), f"cdcpos {self.command}")
        update = self._progress.update if self._progress is not None else None
        try:
            for path in self.paths:
                if path == STDIN:
                    yield from self._blocks_of(sys.stdin.buffer, STDIN_NAME, update)
                    continue
                try:
                    stream = open(path, "rb")  # noqa: SIM115 - closed below, in this frame
                except OSError as error:
                    self._fail(f"cannot read {path}: {error.strerror or error}")
                    continue
                with stream:
                    yield from self._blocks_of(stream, path, update)
        finally:
            if self._progress is not None:
                self._progress.close()
                self._progress = None

    def _blocks_of(
        self, stream: IO[bytes], source: str, update: Callable[[int], object] | None
    ) -> Iterator[Block]:
        try:
            yield from _read_blocks(stream, source, update)
        except _ReadError as error:
            self._fail(str(error))

    def _fail(self, message: str) -> None:
        self.failed = True
        self.warn(f"cdcpos {self.command}: {message}")


# ====================================================================== parsing


class _Options(NamedTuple):
    kind: str
    engine: str | None
    lenient: bool


def _start_time(text: str, options: _Options) -> Value:
    candidate = normalize_lenient(text) if options.lenient else text
    try:
        return cdcpos.parse_start_time(candidate, engine=options.engine)
    except cdcpos.InvalidPosition as error:
        return error
    except OverflowError:
        # Epoch seconds before year 1 overflow datetime inside parse_start_time.
        return cdcpos.InvalidPosition(
            "epoch seconds out of range (before the year 1)", field="CdcStartTime", text=text
        )


def _parse_texts(texts: list[str], options: _Options) -> list[Value]:
    """The value (or InvalidPosition) of each text, in order, through the bulk path.

    A block of lines is bounded already (``BLOCK_SIZE`` bytes), so ``parse_many`` takes
    it whole: ``iter_parse`` would cut it into chunks again, line by line, at a cost of
    a fifth of the parse time.
    """
    if options.kind == "start-time":
        return [_start_time(text, options) for text in texts]
    values, problems = cdcpos.parse_many(
        texts,
        kind=KINDS[options.kind],
        engine=options.engine,
        errors="collect",
        lenient=options.lenient,
    )
    if not problems:
        return values
    bad = dict(problems)
    parsed = iter(values)
    return [bad[index] if index in bad else next(parsed) for index in range(len(texts))]


def _block_values(block: Block, options: _Options) -> list[Value]:
    """One value, InvalidPosition or LineProblem per line of the block, in order."""
    problems = block.problems
    if not problems:
        return _parse_texts(block.texts, options)
    readable = [text for index, text in enumerate(block.texts) if index not in problems]
    parsed = iter(_parse_texts(readable, options))
    return [problems.get(index) or next(parsed) for index in range(len(block.texts))]


def _is_error(value: Value) -> bool:
    return isinstance(value, (cdcpos.InvalidPosition, LineProblem))


def _message(error: cdcpos.InvalidPosition | LineProblem, text: str) -> str:
    """The error's message; the CLI says where by file and line, not by bulk index."""
    if isinstance(error, LineProblem):
        return error.message(text)
    if error.index is None:
        return str(error)
    return str(
        cdcpos.InvalidPosition(
            error.reason,
            field=error.field,
            text=error.text,
            column=error.column,
            expected=error.expected,
            hint=error.hint,
        )
    )


def _error_fields(error: cdcpos.InvalidPosition | LineProblem, text: str) -> dict[str, Any]:
    if isinstance(error, LineProblem):
        return {
            "type": error.type,
            "message": error.message(text),
            "column": error.column,
            "field": None,
            "reason": error.reason,
            "expected": None,
            "hint": None,
        }
    return {
        "type": "InvalidPosition",
        "message": _message(error, text),
        "column": error.column,
        "field": error.field,
        "reason": error.reason,
        "expected": error.expected,
        "hint": error.hint,
    }


def _record(
    source: str, number: int, text: str, value: Value, with_fields: bool = True
) -> dict[str, Any]:
    """One line's result, as ``cdcpos parse`` prints it."""
    record: dict[str, Any] = {"file": source, "line": number, "input": text}
    if _is_error(value):
        record["ok"] = False
        record["error"] = _error_fields(value, text)
    else:
        record["ok"] = True
        record["kind"] = _kind_of(value)
        record["canonical"] = _canonical(value)
        if with_fields:
            record["fields"] = fields_of(value)
    return record


# ====================================================================== output


class _Output:
    """stdout as UTF-8 bytes whatever the locale (JSON Lines are UTF-8)."""

    def __init__(self) -> None:
        self._text = sys.stdout
        self._bytes: IO[bytes] | None = getattr(sys.stdout, "buffer", None)

    def write(self, text: str) -> None:
        if self._bytes is not None:
            self._bytes.write(text.encode("utf-8", "backslashreplace"))
        else:  # a text-only stdout (doctest, an IDE console)
            self._text.write(text)

    def flush(self) -> None:
        (self._bytes or self._text).flush()


def _jsonl_records(block: Block, values: Iterable[Value], with_fields: bool = True) -> list[str]:
    """The JSON text of each line's record (the same as ``_ENCODE(_record(...))``)."""
    quote = encode_basestring
    prefix = '{"file":' + quote(block.source) + ',"line":'
    writers = _FIELDS_JSON
    records: list[str] = []
    append = records.append
    number = block.first_line
    for text, value in zip(block.texts, values, strict=True):
        writer = writers.get(type(value))
        if writer is not None:
            canonical = str(value)
            quoted = quote(text)
            head = (
                f'{prefix}{number},"input":{quoted},"ok":true,"kind":"{value.kind}",'
                f'"canonical":{quoted if canonical == text else quote(canonical)}'
            )
            append(f'{head},"fields":{writer(value)}}}' if with_fields else head + "}")
        else:
            append(_ENCODE(_record(block.source, number, text, value, with_fields)))
        number += 1
    return records


_TABLE_HEADER = f"{'LINE':<10}  {'OK':<3}  {'KIND':<14}  CANONICAL OR ERROR\n"


def _table_rows(block: Block, values: Iterable[Value], with_file: bool) -> list[str]:
    rows = []
    for number, text, value in zip(count(block.first_line), block.texts, values):
        where = f"{block.source}:{number}" if with_file else str(number)
        if _is_error(value):
            rows.append(f"{where:<10}  {'no':<3}  {'-':<14}  {_message(value, text)}\n")
        else:
            rows.append(f"{where:<10}  {'yes':<3}  {_kind_of(value):<14}  {_canonical(value)}\n")
    return rows


# ====================================================================== commands


def _options(args: argparse.Namespace) -> _Options:
    return _Options(args.kind, args.engine, args.lenient)


def _command_parse(args: argparse.Namespace) -> int:
    source = _Input(args.files, "parse", args.no_progress, streams_output=True)
    options = _options(args)
    out = _Output()
    fmt = args.format
    first = True
    if fmt == "json":
        out.write("[")
    elif fmt == "table":
        out.write(_TABLE_HEADER)
    for block in source.blocks():
        values = _block_values(block, options)
        if fmt == "table":
            out.write("".join(_table_rows(block, values, len(source.paths) > 1)))
        else:
            records = _jsonl_records(block, values, not args.no_fields)
            if not records:
                continue
            if fmt == "jsonl":
                out.write("\n".join(records))
                out.write("\n")
            else:
                out.write(("\n" if first else ",\n") + ",\n".join(records))
                first = False
        out.flush()
    if fmt == "json":
        out.write("]\n" if first else "\n]\n")
    out.flush()
    return 2 if source.failed else 0


def _command_validate(args: argparse.Namespace) -> int:
    options = _options(args)
    if args.value is not None:
        if args.files:
            raise _UsageError("give either --value or files, not both")
        bad = 0
        for text in args.value:
            (value,) = _parse_texts([text], options)
            if _is_error(value):
                bad += 1
                if not args.quiet:
                    sys.stderr.write(_message(value, text) + "\n")
        return 1 if bad else 0
    source = _Input(args.files, "validate", args.no_progress)
    lines = bad = 0
    for block in source.blocks():
        lines += len(block.texts)
        values = _block_values(block, options)
        for number, text, value in zip(count(block.first_line), block.texts, values):
            if _is_error(value):
                bad += 1
                if not args.quiet:
                    source.warn(f"{block.source}:{number}: {_message(value, text)}")
    if bad and not args.quiet:
        source.warn(f"cdcpos validate: {bad} of {lines} lines invalid")
    if source.failed:
        return 2
    return 1 if bad else 0


class _UsageError(Exception):
    """Bad arguments found after argparse: exit status 2, like argparse's own errors."""


class _NoCommonOrder(Exception):
    """Positions that cannot be ordered (exit status 2)."""


def _order(a: Value, b: Value) -> int:
    """-1, 0 or 1; ``TypeError`` when the two have no common order."""
    if a == b:
        return 0
    return -1 if a < b else 1


def _parse_argument(text: str, options: _Options) -> Value:
    (value,) = _parse_texts([text], options)
    if _is_error(value):
        raise _InvalidInput(_message(value, text))
    return value


class _InvalidInput(Exception):
    """An input that is not a valid position (exit status 1)."""


def _command_compare(args: argparse.Namespace) -> int:
    options = _options(args)
    a = _parse_argument(args.a, options)
    b = _parse_argument(args.b, options)
    try:
        result = _order(a, b)
    except TypeError as error:
        raise _NoCommonOrder(_without_library_advice(error)) from None
    out = _Output()
    out.write((str(result) if args.numeric else "<=>"[result + 1]) + "\n")
    out.flush()
    return 0


# -------------------------------------------------------------------- sort and latest


class _Entry(NamedTuple):
    """An input line that holds a position: what sort and latest order and print."""

    source: str
    line: int
    record: str  # the line as read, printed as is
    key: str | None  # the key's identity (--key), None without a key
    value: Value


class _Layout:
    """Where the position (and the key) is in a line: the whole line, a TSV column or a
    JSON Lines field."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.key: str | None = args.key
        self.value: str | None = args.value
        self.forced: str | None = args.input_format
        self.header_row = not args.no_header
        if self.key is not None and self.value is None:
            raise _UsageError("--key needs --value: the field or column holding the position")
        if args.no_header:
            if self.forced == "jsonl":
                raise _UsageError("--no-header is for TSV input")
            self.forced = "tsv"
            for name in (self.key, self.value):
                if name is not None and not (name.isdigit() and int(name) > 0):
                    raise _UsageError(
                        f"with --no-header, --key and --value are column numbers (1 = "
                        f"first), not {name!r}"
                    )
        self.header: str | None = None  # the first TSV header seen, printed first
        self._format = "lines"
        self._columns: tuple[int | None, int] = (None, 0)

    @property
    def records(self) -> bool:
        return self.value is not None

    def start_source(self, source: str, first: str) -> bool:
        """Read a source's first line; True when it is a header, not a record."""
        fmt = self.forced or ("jsonl" if first.lstrip().startswith("{") else "tsv")
        self._format = fmt
        if fmt == "jsonl":
            return False
        assert self.value is not None
        if not self.header_row:
            key = None if self.key is None else int(self.key) - 1
            self._columns = (key, int(self.value) - 1)
            return False
        names = first.split("\t")
        wanted = [self.value] if self.key is None else [self.key, self.value]
        for name in wanted:
            if name not in names:
                raise _UsageError(
                    f"{source}: no column {name!r} in the TSV header "
                    f"(columns: {', '.join(names)}); --input-format jsonl reads JSON Lines"
                )
        key_column = None if self.key is None else names.index(self.key)
        self._columns = (key_column, names.index(self.value))
        if self.header is None:
            self.header = first
        return True

    def split(self, text: str) -> tuple[str | None, str] | str:
        """``(key, position text)`` of a record, or why the record has none."""
        if self._format == "jsonl":
            return self._split_json(text)
        cells = text.split("\t")
        key_column, value_column = self._columns
        if value_column >= len(cells) or (key_column is not None and key_column >= len(cells)):
            return f"a TSV row with {len(cells)} columns has no column {value_column + 1}"
        key = None if key_column is None else json.dumps(cells[key_column])
        return (key, cells[value_column])

    def _split_json(self, text: str) -> tuple[str | None, str] | str:
        try:
            record = json.loads(text)
        except ValueError as error:
            return f"not JSON ({error})"
        if not isinstance(record, dict):
            return "not a JSON object"
        key = None
        if self.key is not None:
            if self.key not in record:
                return f"no field {self.key!r}"
            key = json.dumps(record[self.key], sort_keys=True)
        position = record.get(self.value)
        if not isinstance(position, str):
            if self.value not in record:
                return f"no field {self.value!r}"
            return f"field {self.value!r} is {json.dumps(position)}, not a string"
        return (key, position)


def _entries(
    source: _Input, layout: _Layout, options: _Options, invalid: Callable[[str], None]
) -> Iterator[_Entry]:
    for block in source.blocks():
        if not layout.records:
            values = _block_values(block, options)
            for number, text, value in zip(count(block.first_line), block.texts, values):
                if _is_error(value):
                    invalid(f"{block.source}:{number}: {_message(value, text)}")
                else:
                    yield _Entry(block.source, number, text, None, value)
            continue
        # Records: take the position out of each line, then parse those in bulk.
        rows: list[tuple[int, str, str | None]] = []  # (line number, line, key)
        positions: list[str] = []
        for index, text in enumerate(block.texts):
            number = block.first_line + index
            if number == 1 and layout.start_source(block.source, text):
                continue  # a TSV header row
            if index in block.problems:
                invalid(f"{block.source}:{number}: {block.problems[index].message(text)}")
                continue
            found = layout.split(text)
            if isinstance(found, str):
                invalid(f"{block.source}:{number}: {found}")
                continue
            rows.append((number, text, found[0]))
            positions.append(found[1])
        values = _parse_texts(positions, options)
        for (number, text, key), position, value in zip(rows, positions, values, strict=True):
            if _is_error(value):
                invalid(f"{block.source}:{number}: {_message(value, position)}")
            else:
                yield _Entry(block.source, number, text, key, value)


def _describe(entry: _Entry) -> str:
    return f"{entry.source}:{entry.line} ({_kind_of(entry.value)})"


def _without_library_advice(error: TypeError) -> str:
    # The library's message ends by suggesting key=cdcpos.sort_key, which means
    # nothing on a command line.
    return str(error).split("; use key=")[0]


def _no_common_order(a: _Entry, b: _Entry, error: TypeError) -> _NoCommonOrder:
    key = "" if a.key is None else f"key {a.key}: "
    return _NoCommonOrder(
        f"{key}{_describe(a)} and {_describe(b)} have no common order: "
        + _without_library_advice(error)
    )


def _collect(
    args: argparse.Namespace, command: str, consume: Callable[[Iterator[_Entry]], None]
) -> tuple[_Layout, int]:
    """Feed the entries of the input to ``consume``; the exit status so far."""
    layout = _Layout(args)
    source = _Input(args.files, command, args.no_progress)
    bad = 0

    def invalid(message: str) -> None:
        nonlocal bad
        bad += 1
        source.warn(message)

    consume(_entries(source, layout, _options(args), invalid))
    if source.failed:
        return layout, 2
    if bad and not args.skip_invalid:
        source.warn(
            f"cdcpos {command}: {bad} invalid line{'s' if bad > 1 else ''}; nothing printed "
            "(--skip-invalid leaves them out)"
        )
        return layout, 1
    return layout, 0


def _print_records(layout: _Layout, entries: Iterable[_Entry]) -> None:
    out = _Output()
    if layout.header is not None:
        out.write(layout.header + "\n")
    for entry in entries:
        out.write(entry.record + "\n")
    out.flush()


def _sort_key(value: Value) -> Any:
    return value if isinstance(value, datetime) else cdcpos.sort_key(value)


def _command_sort(args: argparse.Namespace) -> int:
    groups: dict[str | None, list[_Entry]] = {}

    def consume(entries: Iterator[_Entry]) -> None:
        for entry in entries:
            groups.setdefault(entry.key, []).append(entry)

    layout, status = _collect(args, "sort", consume)
    if status:
        return status
    ordered: list[_Entry] = []
    for group in groups.values():
        first = group[0]
        # Every value must order against the first: then all share one domain, where
        # cdcpos.sort_key agrees with < (and is computed once per value).
        for entry in group[1:]:
            try:
                _order(first.value, entry.value)
            except TypeError as error:
                raise _no_common_order(first, entry, error) from None
        ordered.extend(
            sorted(group, key=lambda entry: _sort_key(entry.value), reverse=args.reverse)
        )
    _print_records(layout, ordered)
    return 0


def _command_latest(args: argparse.Namespace) -> int:
    latest: dict[str | None, _Entry] = {}

    def consume(entries: Iterator[_Entry]) -> None:
        for entry in entries:
            best = latest.get(entry.key)
            if best is not None:
                try:
                    if _order(entry.value, best.value) < 0:
                        continue  # an equal position later in the input wins
                except TypeError as error:
                    raise _no_common_order(best, entry, error) from None
            latest[entry.key] = entry

    layout, status = _collect(args, "latest", consume)
    if status:
        return status
    _print_records(layout, latest.values())
    return 0


# -------------------------------------------------------------------- convert


def _sqlserver_lsn(text: str) -> cdcpos.SqlServerLsn:
    if text[:2] in ("0x", "0X"):
        return cdcpos.SqlServerLsn.from_binary(text)
    if ":" in text:
        return cdcpos.SqlServerLsn(text)
    return cdcpos.SqlServerLsn.from_decimal(text)


def _oracle_scn(text: str) -> cdcpos.OracleScn:
    if text[:2] in ("0x", "0X"):
        return cdcpos.OracleScn.from_wrap_base(text)
    return cdcpos.OracleScn(text)


def _epoch(text: str) -> str:
    return str(cdcpos.to_epoch_seconds(cdcpos.parse_start_time(text)))


def _start_time_text(text: str) -> str:
    return _canonical(cdcpos.parse_start_time(text))


# --to form -> (what it reads, the conversion).  Each target reads every spelling of its
# own family, so a bare decimal is never ambiguous.
CONVERSIONS: dict[str, tuple[str, Callable[[str], str]]] = {
    "sqlserver": (
        "SQL Server LSN in the DMS form 00000014:00000061:0001",
        lambda text: str(_sqlserver_lsn(text)),
    ),
    "sqlserver-binary": (
        "SQL Server LSN as binary(10), 0x00000014000000610001",
        lambda text: _sqlserver_lsn(text).to_binary(),
    ),
    "sqlserver-decimal": (
        "SQL Server LSN as numeric(25,0), 20000000009700001",
        lambda text: _sqlserver_lsn(text).to_decimal(),
    ),
    "oracle": ("Oracle SCN in decimal, 133146295620", lambda text: str(_oracle_scn(text))),
    "oracle-wrap-base": (
        "Oracle SCN as 0xWRAP.BASE, 0x001f.00233d44",
        lambda text: _oracle_scn(text).to_wrap_base(),
    ),
    "postgres": (
        "PostgreSQL LSN unpadded (PostgreSQL's own form), 4AF/B00000D0",
        lambda text: str(cdcpos.PostgresLsn(text)),
    ),
    "postgres-padded": (
        "PostgreSQL LSN padded as in DMS checkpoints, 000004AF/B00000D0",
        lambda text: cdcpos.PostgresLsn(text).to_dms(),
    ),
    "epoch": ("CdcStartTime as epoch seconds (what DMS receives), 1520511132", _epoch),
    "start-time": ("CdcStartTime as ISO 8601 UTC, 2018-03-08T12:12:12Z", _start_time_text),
}


def _command_convert(args: argparse.Namespace) -> int:
    convert = CONVERSIONS[args.to][1]
    out = _Output()
    bad = 0

    def one(where: str, text: str) -> None:
        nonlocal bad
        try:
            converted = convert(text)
        except cdcpos.InvalidPosition as error:
            bad += 1
            sys.stderr.write(f"{where}{error}\n")
            return
        except (ValueError, OverflowError) as error:
            # Epoch seconds before the year 1 overflow datetime in parse_start_time.
            bad += 1
            sys.stderr.write(f"{where}Invalid value {_quote(text)}: out of range ({error})\n")
            return
        out.write(converted + "\n")

    if args.values:
        for text in args.values:
            one("", text)
        out.flush()
        return 1 if bad else 0
    source = _Input([], "convert", args.no_progress, streams_output=True)
    for block in source.blocks():
        for index, text in enumerate(block.texts):
            where = f"{block.source}:{block.first_line + index}: "
            problem = block.problems.get(index)
            if problem is not None:
                bad += 1
                sys.stderr.write(where + problem.message(text) + "\n")
            else:
                one(where, text)
        out.flush()
    return 1 if bad else 0


# ====================================================================== arguments

_DESCRIPTION = """\
Parse, validate, compare, sort and convert AWS DMS change-data-capture positions:
recovery checkpoints, CdcStartPosition values (dates, PostgreSQL/SQL Server LSNs, Oracle
SCNs, MySQL binlog positions), CdcStopPosition values and CdcStartTime timestamps.
Commands that take FILE read stdin when no FILE (or -) is given, one position per line."""

_EPILOG = """\
exit status: 0 done (parse reports invalid lines in its output and exits 0);
             1 some input is not a valid position; 2 usage error, unreadable file,
             or positions with no common order (different engines or clocks).

examples:
  cdcpos parse examples/positions.txt                  # one JSON object per line
  cdcpos validate --kind start --value 0/5120E10
  cdcpos compare 4AF/B00000D0 16/B374D848
  cdcpos latest --key task --value checkpoint export.jsonl
  cdcpos convert --to sqlserver-binary 00000014:00000061:0001

'cdcpos COMMAND --help' shows each command's options and examples."""

_PARSE_EPILOG = """\
Each output line is one JSON object, in input order:
  {"file": ..., "line": 3, "input": ..., "ok": true, "kind": "postgres_lsn",
   "canonical": "4AF/B00000D0", "fields": {"value": 5152618578128}}
  {"file": ..., "line": 4, "input": ..., "ok": false,
   "error": {"type": "InvalidPosition", "message": ..., "column": 11, "field": ...,
             "reason": ..., "expected": ..., "hint": ...}}
error types: InvalidPosition, InvalidUtf8 (the input shows bad bytes as \\xNN),
LineTooLong.  parse exits 0 when it could read its input, even if lines are invalid
(use validate for a pass/fail answer).

examples:
  cdcpos parse examples/positions.txt
  cdcpos parse --kind checkpoint --format table checkpoints.txt
  cdcpos parse positions.txt | jq -c 'select(.ok | not) | {line, error: .error.message}'
  aws dms describe-replication-tasks --query 'ReplicationTasks[].RecoveryCheckpoint' \\
      --output text | tr '\\t' '\\n' | cdcpos parse --kind checkpoint"""

_VALIDATE_EPILOG = """\
Prints nothing for valid input.  Each invalid line is reported on stderr as
FILE:LINE: MESSAGE (with --value, just the message).  Exit status 0 when all are valid,
1 when any is invalid, 2 on usage errors or unreadable files.

examples:
  cdcpos validate positions.txt
  cdcpos validate --kind start --engine postgres start-positions.txt
  cdcpos validate --value 4AF/B00000D0 --value 6916533
  cdcpos validate --kind stop --lenient --value 'commit_time: 2018-02-09T12:12:12 '
  cdcpos validate --kind start-time --engine oracle --value 1520511132
  if cdcpos validate -q --kind checkpoint --value "$CHECKPOINT"; then ...; fi"""

_COMPARE_EPILOG = """\
Prints <, = or > (A is before, at, or after B); with --numeric -1, 0 or 1.  Exit status
1 when A or B is invalid, 2 when they have no common order (positions of different
engines, server_time against commit_time, binlogs of different stems).

examples:
  cdcpos compare 4AF/B00000D0 16/B374D848                                  # >
  cdcpos compare --numeric 00000014:00000061:0001 00000014:00000061:0002   # -1
  cdcpos compare checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0 \\
      checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121                        # >
  cdcpos compare --kind start-time 2018-03-08T12:12:12Z 1520511132         # =
  [ "$(cdcpos compare "$CURRENT" "$TARGET")" = "<" ] && echo "still behind\""""

_SORT_EPILOG = """\
Prints the input lines ordered by their positions (stable: equal positions keep their
input order).  All positions must share one order: a mix of engines, clocks or binlog
stems is an error (exit 2), not a guess.  With --value, each line is a record (TSV with
a header row, or JSON Lines) whose position is that column or field; with --key too,
records are grouped by key (in order of first appearance) and sorted within each key,
where each key's positions must share one order.  The input is held in memory.

examples:
  cdcpos sort lsns.txt
  cdcpos sort --reverse --kind checkpoint checkpoints.txt
  cdcpos sort --value checkpoint export.tsv
  cdcpos sort --key task --value checkpoint export.jsonl"""

_LATEST_EPILOG = """\
Prints the line holding the furthest position; with --key and --value, for each key
(TSV column or JSON field, e.g. a task ARN), the record with the furthest position of
that key, keys in order of first appearance (a TSV header row is printed first).  An
equal position later in the input wins.  Positions of one key must share one order: a
mix of engines or clocks for one key is an error (exit 2), not a guess.  Memory grows
with the number of keys, not lines.

examples:
  cdcpos latest checkpoints.txt
  cdcpos latest --key task_arn --value checkpoint export.tsv
  cdcpos latest --no-header --key 1 --value 3 export.tsv
  aws dms describe-replication-tasks --query \\
      'ReplicationTasks[].{task: ReplicationTaskArn, checkpoint: RecoveryCheckpoint}' \\
      | jq -c '.[]' | cdcpos latest --skip-invalid --key task --value checkpoint"""


def _convert_epilog() -> str:
    forms = "\n".join(f"  {name:<18} {what}" for name, (what, _) in CONVERSIONS.items())
    return f"""\
Each --to form reads every spelling of its own family (for example, --to sqlserver reads
00000014:00000061:0001, 0x00000014000000610001 and 20000000009700001).  With no VALUE,
converts each line of stdin.  Invalid values are reported on stderr (exit status 1) and
print nothing.

forms:
{forms}

examples:
  cdcpos convert --to sqlserver-binary 00000014:00000061:0001     # 0x00000014000000610001
  cdcpos convert --to sqlserver-decimal 0x00000014000000610001    # 20000000009700001
  cdcpos convert --to sqlserver 20000000009700001                 # 00000014:00000061:0001
  cdcpos convert --to oracle 0x001f.00233d44                      # 133146295620
  cdcpos convert --to oracle-wrap-base 133146295620               # 0x001f.00233d44
  cdcpos convert --to postgres-padded 4AF/B00000D0                # 000004AF/B00000D0
  cdcpos convert --to postgres 000004AF/B00000D0                  # 4AF/B00000D0
  cdcpos convert --to start-time 1520511132                       # 2018-03-08T12:12:12Z
  cdcpos convert --to epoch 2018-03-08T12:12:12Z                  # 1520511132"""


def _engine_name(name: str) -> str:
    try:
        family_of_engine(name, field="--engine", text=None)
    except cdcpos.InvalidPosition as error:
        raise argparse.ArgumentTypeError(f"{error.reason} ({error.hint})") from None
    return name


def _parser() -> argparse.ArgumentParser:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(
        prog="cdcpos", description=_DESCRIPTION, epilog=_EPILOG, formatter_class=raw
    )
    parser.add_argument("--version", action="version", version=f"cdcpos {cdcpos.__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    positions = argparse.ArgumentParser(add_help=False)
    group = positions.add_argument_group("what the input is")
    group.add_argument(
        "--kind",
        choices=list(KINDS),
        default="any",
        metavar="KIND",
        help="the field the positions are for: any start or stop position (default), "
        "start (CdcStartPosition), stop (CdcStopPosition), checkpoint "
        "(RecoveryCheckpoint), start-time (CdcStartTime), db2-context (StartFromContext)",
    )
    group.add_argument(
        "--engine",
        type=_engine_name,
        metavar="ENGINE",
        help="the source's DMS EngineName (postgres, mysql, oracle, sqlserver, ...): "
        "positions that engine cannot have written are invalid",
    )
    group.add_argument(
        "--lenient",
        action="store_true",
        help="first remove surrounding whitespace and quotes, and a space after "
        "server_time:/commit_time: (as pasted from older AWS documentation)",
    )
    files = argparse.ArgumentParser(add_help=False)
    files.add_argument("files", nargs="*", metavar="FILE", help="input files (default: stdin)")
    files.add_argument(
        "--no-progress",
        action="store_true",
        help="no progress bar (shown only on a terminal's stderr, never in CI)",
    )

    parse = commands.add_parser(
        "parse",
        parents=[files, positions],
        help="one JSON object per input line",
        description="Parse each input line; print one JSON object per line, in order.",
        epilog=_PARSE_EPILOG,
        formatter_class=raw,
    )
    parse.add_argument(
        "--format",
        choices=("jsonl", "json", "table"),
        default="jsonl",
        help="jsonl: JSON Lines (default); json: one JSON array; table: aligned text",
    )
    parse.add_argument(
        "--no-fields",
        action="store_true",
        help="leave out each value's fields (faster: decoding a checkpoint's fields "
        "costs several times its parse)",
    )
    parse.set_defaults(handler=_command_parse)

    validate = commands.add_parser(
        "validate",
        parents=[files, positions],
        help="exit 0 when every position is valid, 1 otherwise",
        description="Check positions: exit 0 when all are valid, 1 when any is invalid.",
        epilog=_VALIDATE_EPILOG,
        formatter_class=raw,
    )
    validate.add_argument(
        "--value",
        action="append",
        metavar="TEXT",
        help="validate TEXT instead of files (repeatable)",
    )
    validate.add_argument(
        "-q", "--quiet", action="store_true", help="no messages: the exit status only"
    )
    validate.set_defaults(handler=_command_validate)

    compare = commands.add_parser(
        "compare",
        parents=[positions],
        help="print <, = or > for two positions",
        description="Compare two positions of one engine (or clock).",
        epilog=_COMPARE_EPILOG,
        formatter_class=raw,
    )
    compare.add_argument("a", metavar="A")
    compare.add_argument("b", metavar="B")
    compare.add_argument(
        "--numeric", action="store_true", help="print -1, 0 or 1 instead of <, = or >"
    )
    compare.set_defaults(handler=_command_compare)

    records = argparse.ArgumentParser(add_help=False)
    group = records.add_argument_group("records (TSV or JSON Lines)")
    group.add_argument(
        "--value",
        metavar="FIELD",
        help="the TSV column (by header name) or JSON field holding the position",
    )
    group.add_argument(
        "--key",
        metavar="FIELD",
        help="the TSV column or JSON field that groups records (e.g. a task ARN)",
    )
    group.add_argument(
        "--input-format",
        choices=("tsv", "jsonl"),
        help="default: JSON Lines when a file's first line starts with '{', else TSV",
    )
    group.add_argument(
        "--no-header",
        action="store_true",
        help="TSV without a header row: --key and --value are column numbers (1 = first)",
    )
    records.add_argument(
        "--skip-invalid",
        action="store_true",
        help="leave out invalid lines (still reported on stderr) instead of failing",
    )

    sort = commands.add_parser(
        "sort",
        parents=[files, positions, records],
        help="print the lines ordered by position",
        description="Order lines (or records) by their positions.",
        epilog=_SORT_EPILOG,
        formatter_class=raw,
    )
    sort.add_argument("-r", "--reverse", action="store_true", help="furthest first")
    sort.set_defaults(handler=_command_sort)

    latest = commands.add_parser(
        "latest",
        parents=[files, positions, records],
        help="print the furthest position (per key)",
        description="Print the line (or, per key, the record) with the furthest position.",
        epilog=_LATEST_EPILOG,
        formatter_class=raw,
    )
    latest.set_defaults(handler=_command_latest)

    convert = commands.add_parser(
        "convert",
        help="convert between spellings (SQL Server LSN, Oracle SCN, LSN padding, epoch)",
        description="Convert positions between the spellings databases and DMS use.",
        epilog=_convert_epilog(),
        formatter_class=raw,
    )
    convert.add_argument(
        "--to", required=True, choices=list(CONVERSIONS), metavar="FORM", help="target form"
    )
    convert.add_argument("values", nargs="*", metavar="VALUE", help="values (default: stdin)")
    convert.add_argument("--no-progress", action="store_true", help=argparse.SUPPRESS)
    convert.set_defaults(handler=_command_convert)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``cdcpos`` command; return its exit status.

    >>> from cdcpos.cli import main
    >>> main(["compare", "4AF/B00000D0", "16/B374D848"])
    >
    0
    """
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit:  # --help, --version, or a usage error
        return exit.code if isinstance(exit.code, int) else 0 if exit.code is None else 2
    try:
        status: int = args.handler(args)
        return status
    except _UsageError as error:
        sys.stderr.write(f"cdcpos {args.command}: error: {error}\n")
        return 2
    except _InvalidInput as error:
        sys.stderr.write(f"{error}\n")
        return 1
    except _NoCommonOrder as error:
        sys.stderr.write(f"cdcpos {args.command}: {error}\n")
        return 2
    except BrokenPipeError:
        # The reader went away (cdcpos parse big.txt | head): stop quietly.  Point
        # stdout at /dev/null so that the interpreter's final flush does not fail again.
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError, AttributeError):
            pass
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
