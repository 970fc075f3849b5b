"""Parquet for the command line (``pip install 'cdcpos[arrow]'``): a column of a Parquet
file read as lines (``--column NAME``), and ``cdcpos parse --format parquet --output FILE``,
which writes the struct columns of ``cdcpos.arrow.parse``.

pyarrow is imported only here, and only when a Parquet file is read or written.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from cdcpos.cli._common import Options, OutputError, UsageError
from cdcpos.cli._input import Block, LineProblem, decoded, quote

__all__ = ["ParquetError", "ParquetWriter", "read_column"]

# Rows per block read: about the lines of a block of a text file.
BATCH_ROWS = 1 << 14
_INSTALL = "pip install 'cdcpos[arrow]'"


class ParquetError(Exception):
    """A Parquet file that cannot be read (reported like any unreadable input)."""


def _pyarrow() -> tuple[Any, Any]:
    try:
        import pyarrow  # type: ignore[import-untyped, unused-ignore]
        import pyarrow.parquet  # type: ignore[import-untyped, unused-ignore]
    except ImportError:
        raise UsageError(f"reading or writing Parquet needs pyarrow: {_INSTALL}") from None
    return pyarrow, pyarrow.parquet


_NULL = LineProblem("NullValue", "a null, not a position", None)


def _texts(values: list[Any], problems: dict[int, LineProblem]) -> list[str]:
    texts: list[str] = []
    for index, value in enumerate(values):
        if value is None:
            problems[index] = _NULL
            texts.append("")
        elif type(value) is str:
            texts.append(value)
        else:  # integers: SCNs or epoch seconds stored as numbers
            texts.append(str(value))
    return texts


def _values(pyarrow: Any, column: Any, problems: dict[int, LineProblem]) -> list[Any]:
    """A batch's values as Python objects; a text that is not UTF-8 is an invalid line.

    Parquet's reader checks no UTF-8 (a writer that did not check either leaves such bytes
    in a string column): ``to_pylist`` raised ``UnicodeDecodeError`` for the whole file.
    """
    try:
        return list(column.to_pylist())
    except UnicodeDecodeError:
        pass
    if pyarrow.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    values: list[Any] = []
    for index, data in enumerate(column.cast(pyarrow.large_binary()).to_pylist()):
        if data is None:
            values.append(None)
            continue
        text, problem = decoded(data)
        values.append(text)
        if problem is not None:
            problems[index] = problem
    return values


def _readable_type(pyarrow: Any, data_type: Any) -> bool:
    types = pyarrow.types
    if types.is_dictionary(data_type):
        data_type = data_type.value_type
    return bool(
        types.is_string(data_type)
        or types.is_large_string(data_type)
        or getattr(types, "is_string_view", lambda _: False)(data_type)
        or types.is_integer(data_type)
    )


def read_column(path: str, column: str | None) -> Iterator[Block]:
    """The values of one column of a Parquet file as blocks of lines (line = row, from 1).

    ``column`` may be None when the file has exactly one column.  Raises ``ParquetError``
    for a file that is not Parquet, has no such column, or a column that is not text.
    """
    pyarrow, parquet = _pyarrow()
    try:
        file = parquet.ParquetFile(path)
    except (pyarrow.ArrowException, OSError) as error:
        raise ParquetError(f"cannot read {path} as Parquet: {error}") from None
    with file:
        names = file.schema_arrow.names
        if column is None:
            if len(names) != 1:
                shown = ", ".join(repr(n) for n in names[:12])
                raise ParquetError(
                    f"{path} has {len(names)} columns ({shown}): --column says which holds "
                    "the positions"
                )
            column = names[0]
        if column not in names:
            shown = ", ".join(repr(n) for n in names[:12])
            raise ParquetError(f"{path}: no column {quote(column)} (columns: {shown})")
        data_type = file.schema_arrow.field(column).type
        if not _readable_type(pyarrow, data_type):
            raise ParquetError(f"{path}: column {quote(column)} is {data_type}, not text")
        number = 1
        try:
            for batch in file.iter_batches(batch_size=BATCH_ROWS, columns=[column]):
                problems: dict[int, LineProblem] = {}
                texts = _texts(_values(pyarrow, batch.column(0), problems), problems)
                yield Block(path, number, texts, problems, columnar=True)
                number += len(texts)
        except (pyarrow.ArrowException, OSError) as error:
            raise ParquetError(f"cannot read {path}: {error}") from None


class ParquetWriter:
    """``parse --format parquet --output FILE``: per block, the input's ``file``, ``line``
    and ``input`` columns, then the children of ``cdcpos.arrow.parse`` as columns."""

    def __init__(self, path: str, options: Options, kinds: dict[str, str | None]) -> None:
        if options.kind == "start-time":
            raise UsageError("--format parquet reads positions, not --kind start-time")
        self._pyarrow, self._parquet = _pyarrow()
        try:
            import cdcpos.arrow as arrow  # type: ignore[import-untyped, import-not-found, unused-ignore]
        except ImportError as error:
            if error.name == "cdcpos.arrow":
                raise UsageError(
                    "--format parquet needs cdcpos.arrow, which this build of cdcpos lacks"
                ) from None
            raise UsageError(f"--format parquet: {error}") from None
        self._parse = arrow.parse
        self._path = path
        self._options = options
        self._kind = kinds[options.kind]
        self._writer: Any = None

    def write(self, block: Block) -> None:
        pa = self._pyarrow
        texts: list[str | None] = list(block.texts)
        for index in block.problems:  # unreadable lines (bad UTF-8, too long, null) are null
            texts[index] = None
        parsed = self._parse(
            texts, kind=self._kind, engine=self._options.engine, lenient=self._options.lenient
        )
        columns = {
            "file": pa.array([block.source] * len(texts), pa.string()).dictionary_encode(),
            "line": pa.array(range(block.first_line, block.first_line + len(texts)), pa.int64()),
            "input": pa.array(block.texts, pa.string()),
        }
        for field, child in zip(parsed.type, parsed.flatten(), strict=True):
            columns[field.name] = child
        table = pa.table(columns)
        try:
            if self._writer is None:
                self._writer = self._parquet.ParquetWriter(self._path, table.schema)
            self._writer.write_table(table)
        except (pa.ArrowException, OSError) as error:
            raise OutputError(f"cannot write {self._path}: {error}") from None

    def close(self) -> None:
        if self._writer is None:  # no input: an empty file with the schema
            self.write(Block("", 1, [], {}))
        try:
            self._writer.close()
        except (self._pyarrow.ArrowException, OSError) as error:
            raise OutputError(f"cannot write {self._path}: {error}") from None
