"""The ``fields`` JSON of a checkpoint written straight from its text, without decoding it
into objects (what ``cdcpos parse`` spends most of its time on otherwise).

The library decides validity (``parse_many``); this module only lays out the fields of a
checkpoint it accepted.  Its text splits on ``#`` into the grammar's eight fields (no
position contains ``#``), and the position's kind is the first of the grammar's position
terminals, in the grammar's order, that matches it whole: the expressions come from the
generated ``cdcpos._fastpath``, so the grammar stays the one specification.  Each kind's
JSON is then written from the token's text.  tests/test_cli_fields.py proves the result
equal to ``json.dumps(fields_of(value))`` on generated and real checkpoints; anything
unexpected falls back to the object path.
"""

# %-formatting: measured faster than f-strings and str.format for these many-field records.
# ruff: noqa: UP031

from __future__ import annotations

import re
from collections.abc import Callable
from json.encoder import encode_basestring as _quote

from cdcpos import _fastpath  # generated from the grammar: the position terminals

__all__ = ["checkpoint_fields_json"]

_PREFIX = "checkpoint:V"


def _position_terminals() -> list[str]:
    """The checkpoint's position terminals, in the order of the grammar's alternatives:
    the capture groups between its second and third fields."""
    names = _fastpath.RULE_GROUP_TERMINALS["checkpoint"]
    start = names.index("CHECKPOINT_COUNTER") + 1
    return list(names[start : names.index("CHECKPOINT_COUNTER", start)])


def _classifier() -> Callable[[str], re.Match[str] | None]:
    # Each terminal's expression ends in a lookahead for the '#' that follows a position
    # in a checkpoint, so the token is matched with that '#' appended.
    alternatives = "|".join(
        f"(?P<{name}>{_fastpath.TERMINAL_PATTERNS[name]})" for name in _position_terminals()
    )
    return re.compile(f"(?:{alternatives})#").fullmatch


# Each writer gives a position's nested JSON from its token.  Written for speed (this is
# the per-line cost of `cdcpos parse`): %-formatting, few calls, ints only where the
# grammar allows a spelling that is not the canonical one (leading zeros, upper case).


def _postgres(token: str) -> str:
    high, _, low = token.partition("/")
    h = int(high, 16)
    lo = int(low, 16)
    return '{"kind":"postgres_lsn","canonical":"%X/%X","fields":{"value":%d}}' % (
        h,
        lo,
        h << 32 | lo,
    )


def _sqlserver(token: str) -> str:
    # Fixed widths (8:8:4 hex digits): lower case is the canonical zero-padded form.
    return (
        '{"kind":"sqlserver_lsn","canonical":"%s","fields":{"value":%d,'
        '"virtual_log_file":%d,"block":%d,"slot":%d}}'
        % (
            token.lower(),
            int(token[:8] + token[9:17] + token[18:], 16),
            int(token[:8], 16),
            int(token[9:17], 16),
            int(token[18:], 16),
        )
    )


def _oracle_stream(token: str) -> str:
    # Fixed hex widths 8.8.8.4.2.4 (characters 0-38), ':', three decimal groups.
    g0 = int(token[:8], 16)
    g1 = int(token[9:17], 16)
    d0, d1, d2 = token[40:].split(".")
    i0, i1, i2 = int(d0), int(d1), int(d2)
    scn = g0 << 32 | g1
    return (
        '{"kind":"oracle_stream","canonical":"%s:%d.%d.%d","fields":{"groups":[%d,%d,%d,%d,%d,%d,'
        '%d,%d,%d],"inferred_scn":{"kind":"oracle_scn","canonical":"%d","fields":{"value":%d}}}}'
        % (
            token[:39].lower(),
            i0,
            i1,
            i2,
            g0,
            g1,
            int(token[18:26], 16),
            int(token[27:31], 16),
            int(token[32:34], 16),
            int(token[35:39], 16),
            i0,
            i1,
            i2,
            scn,
            scn,
        )
    )


def _binlog_of(file: str, offset: int) -> str:
    stem, _, sequence = file.rpartition(".")
    quoted = _quote(file)
    return (
        '{"kind":"mysql_binlog","canonical":%s,"fields":{"file":%s,"stem":%s,"sequence":%d,'
        '"offset":%d}}' % (_quote(f"{file}:{offset}"), quoted, _quote(stem), int(sequence), offset)
    )


def _binlog(token: str) -> str:
    file, _, offset = token.rpartition(":")
    return _binlog_of(file, int(offset))


def _mysql_stream(token: str) -> str:
    file, offset, third, fourth, transaction, second_file, second_offset = token.split(":")
    first = int(offset)
    second = int(second_offset)
    t3 = int(third)
    t4 = int(fourth)
    tx = int(transaction)
    return (
        '{"kind":"mysql_stream","canonical":%s,"fields":{"binlog_position":%s,'
        '"transaction_id":%d,"opaque_fields":[%d,%d],"second_binlog_position":%s}}'
        % (
            _quote(f"{file}:{first}:{t3}:{t4}:{tx}:{second_file}:{second}"),
            _binlog_of(file, first),
            tx,
            t3,
            t4,
            _binlog_of(second_file, second),
        )
    )


def _opaque(token: str) -> str:
    quoted = _quote(token)
    return '{"kind":"opaque","canonical":%s,"fields":{"text":%s}}' % (quoted, quoted)


# Terminal -> (kind, writer).
_WRITERS: dict[str, tuple[str, Callable[[str], str]]] = {
    "CHECKPOINT_POSTGRES_LSN": ("postgres_lsn", _postgres),
    "CHECKPOINT_SQLSERVER_LSN": ("sqlserver_lsn", _sqlserver),
    "CHECKPOINT_ORACLE_STREAM": ("oracle_stream", _oracle_stream),
    "CHECKPOINT_MYSQL_STREAM": ("mysql_stream", _mysql_stream),
    "CHECKPOINT_MYSQL_BINLOG": ("mysql_binlog", _binlog),
    "OPAQUE_POSITION": ("opaque", _opaque),
}

_classify: Callable[[str], re.Match[str] | None] | None = None


def _compile() -> Callable[[str], re.Match[str] | None]:
    """Compiled on first use: not for `import cdcpos.cli`."""
    global _classify
    _classify = _classifier()
    return _classify


def checkpoint_fields_json(text: str) -> str | None:
    """The ``fields`` JSON of a valid checkpoint's text; None when its layout is not the
    expected one (the caller then decodes the value instead).

    >>> checkpoint_fields_json("checkpoint:V1#34#00000132/0F000E48#0#0#*#0#121")[:62]
    '{"version":1,"counters":[34,0,0,0,121],"engine_kind":"postgres'
    """
    fields = text.split("#")
    if len(fields) != 8 or not fields[0].startswith(_PREFIX):
        return None
    version, c1, token, c2, c3, second_token, c4, c5 = fields
    classify = _classify or _compile()
    # A terminal without a writer (a grammar newer than this module) falls back to the
    # object path; tests/test_cli_fields.py fails on it, so that it does not stay slow.
    match = classify(token + "#")
    found = _WRITERS.get(match.lastgroup or "") if match is not None else None
    if found is None:
        return None
    kind, write = found
    if second_token == "*":
        second_json = "null"
    else:
        second = classify(second_token + "#")
        second_found = _WRITERS.get(second.lastgroup or "") if second is not None else None
        if second_found is None:
            return None
        second_json = second_found[1](second_token)
    counters: tuple[str, ...] = (c1, c2, c3, c4, c5)
    if "-0" in counters:  # the grammar writes no leading zeros; only -0 is not int()'s
        counters = tuple("0" if c == "-0" else c for c in counters)
    # The version has no leading zeros either (grammar: 0|[1-9][0-9]*).
    return (
        '{"version":%s,"counters":[%s,%s,%s,%s,%s],"engine_kind":"%s","position":%s,'
        '"second_position":%s}' % (version[12:], *counters, kind, write(token), second_json)
    )
