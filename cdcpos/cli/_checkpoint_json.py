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
# the per-line cost of `cdcpos parse`): f-strings (one BUILD_STRING, measured about twice
# as fast as %-formatting the same record), and the token's own digits wherever they are
# already canonical: turning an int back into decimal text costs more than the rest of
# the formatting.  ints only where the grammar allows a spelling that is not canonical
# (leading zeros, upper case, -0) or the JSON wants a number from hex digits.
#
# No JSON escaping except for opaque positions: the grammar's binlog files are
# `\$|[A-Za-z0-9_][A-Za-z0-9_.\-]*` and every other structured terminal is hex digits,
# decimal digits and `/:.-`, none of which JSON escapes (tests/test_cli_fields.py checks
# each terminal's characters, and the output against json.dumps of the decoded value).


def _postgres(token: str) -> str:
    # Canonical: upper case without leading zeros; the value is both halves zero-padded
    # side by side (one int, measured faster than shifting two).
    high, _, low = token.partition("/")
    return (
        f'{{"kind":"postgres_lsn","canonical":"{(high.lstrip("0") or "0").upper()}/'
        f'{(low.lstrip("0") or "0").upper()}","fields":{{"value":'
        f"{int(high.zfill(8) + low.zfill(8), 16)}}}}}"
    )


def _sqlserver(token: str) -> str:
    # Fixed widths (8:8:4 hex digits): lower case is the canonical zero-padded form, and
    # the 80-bit value is the three fields side by side.
    return (
        f'{{"kind":"sqlserver_lsn","canonical":"{token.lower()}","fields":{{"value":'
        f'{int(token.replace(":", ""), 16)},"virtual_log_file":{int(token[:8], 16)},'
        f'"block":{int(token[9:17], 16)},"slot":{int(token[18:], 16)}}}}}'
    )


def _oracle_stream(token: str) -> str:
    # Fixed hex widths 8.8.8.4.2.4 (characters 0-38), ':', three decimal groups; the
    # inferred SCN is the first two groups side by side.
    decimals = token[40:]
    if "0" in decimals:  # perhaps leading zeros: written from ints
        d0, d1, d2 = decimals.split(".")
        decimals = f"{int(d0)}.{int(d1)}.{int(d2)}"
    scn = str(int(token[:8] + token[9:17], 16))
    return (
        f'{{"kind":"oracle_stream","canonical":"{token[:39].lower()}:{decimals}","fields":'
        f'{{"groups":[{int(token[:8], 16)},{int(token[9:17], 16)},{int(token[18:26], 16)},'
        f"{int(token[27:31], 16)},{int(token[32:34], 16)},{int(token[35:39], 16)},"
        f'{decimals.replace(".", ",")}],"inferred_scn":{{"kind":"oracle_scn","canonical":'
        f'"{scn}","fields":{{"value":{scn}}}}}}}}}'
    )


def _binlog_of(file: str, offset: str) -> str:
    """A binlog position's JSON from its file and canonical offset digits."""
    stem, _, sequence = file.rpartition(".")
    return (
        f'{{"kind":"mysql_binlog","canonical":"{file}:{offset}","fields":{{"file":"{file}",'
        f'"stem":"{stem}","sequence":{sequence.lstrip("0") or "0"},"offset":{offset}}}}}'
    )


def _binlog(token: str) -> str:
    file, _, offset = token.rpartition(":")
    if offset[0] == "0":
        offset = offset.lstrip("0") or "0"
    return _binlog_of(file, offset)


# A number after ':' (the fields of a MySQL stream; files hold no ':') that is not
# canonical: a leading zero, or -0.
_NOT_CANONICAL = re.compile(r":-?0[0-9]|:-0:").search


def _mysql_stream(token: str) -> str:
    if _NOT_CANONICAL(token) is not None:
        file, offset, third, fourth, transaction, second_file, second_offset = token.split(":")
        token = (
            f"{file}:{int(offset)}:{int(third)}:{int(fourth)}:{int(transaction)}:"
            f"{second_file}:{int(second_offset)}"
        )
    file, offset, third, fourth, transaction, second_file, second_offset = token.split(":")
    return (
        f'{{"kind":"mysql_stream","canonical":"{token}","fields":{{"binlog_position":'
        f"{_binlog_of(file, offset)},"
        f'"transaction_id":{transaction},"opaque_fields":[{third},{fourth}],'
        f'"second_binlog_position":{_binlog_of(second_file, second_offset)}}}}}'
    )


def _opaque(token: str) -> str:
    quoted = _quote(token)
    return f'{{"kind":"opaque","canonical":{quoted},"fields":{{"text":{quoted}}}}}'


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
    classify = _classify or _compile()
    # A terminal without a writer (a grammar newer than this module) falls back to the
    # object path; tests/test_cli_fields.py fails on it, so that it does not stay slow.
    match = classify(fields[2] + "#")
    found = _WRITERS.get(match.lastgroup or "") if match is not None else None
    if found is None:
        return None
    kind, write = found
    second_token = fields[5]
    if second_token == "*":
        second_json = "null"
    else:
        second = classify(second_token + "#")
        second_found = _WRITERS.get(second.lastgroup or "") if second is not None else None
        if second_found is None:
            return None
        second_json = second_found[1](second_token)
    counters = f"{fields[1]},{fields[3]},{fields[4]},{fields[6]},{fields[7]}"
    if "-0" in counters:  # the grammar writes no leading zeros; only -0 is not canonical
        counters = ",".join("0" if c == "-0" else c for c in counters.split(","))
    # The version has no leading zeros either (grammar: 0|[1-9][0-9]*).
    return (
        f'{{"version":{fields[0][12:]},"counters":[{counters}],"engine_kind":"{kind}",'
        f'"position":{write(fields[2])},"second_position":{second_json}}}'
    )
