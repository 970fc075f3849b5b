"""The grammar as lark reads it: the reference parser behind the fast path.

Built once, lazily and under a lock (building at import would cost every user).  LALR
with the contextual lexer; the transformer turns each value rule into the same value the
fast path builds, from the same ``(terminal, text)`` tokens.
"""

from __future__ import annotations

import os
import threading
from typing import Any

from cdcpos._generate import ENTRY_POINTS, grammar_path
from cdcpos._parse import RULE_CLASSES
from cdcpos._positions import Checkpoint, Position

__all__ = ["lark_parser", "parse_with_lark", "values_transformer"]

_lock = threading.Lock()
_parsers: dict[bool, Any] = {}


def _after_fork_in_child() -> None:
    # A thread of the parent may have held the lock while building: in the child that
    # thread does not exist, and the lock would never be released.  What was built is
    # kept (a dict entry is set whole), what was being built is built again.
    global _lock
    _lock = threading.Lock()


os.register_at_fork(after_in_child=_after_fork_in_child)


def values_transformer() -> Any:
    """A lark ``Transformer`` building cdcpos values, one method per value rule."""
    from lark import Transformer

    def single_token(cls: Any) -> Any:
        return lambda self, children: cls._from_token(str(children[0]))

    methods: dict[str, Any] = {
        rule: single_token(cls) for rule, cls in RULE_CLASSES.items() if cls is not Checkpoint
    }
    methods["checkpoint"] = lambda self, children: Checkpoint._from_tokens(
        [(token.type, str(token)) for token in children]
    )
    return type("ValuesTransformer", (Transformer,), methods)()


def lark_parser(*, transform: bool = True) -> Any:
    """The LALR parser of ``grammar/cdcpos.lark``; with ``transform``, it builds values."""
    parser = _parsers.get(transform)
    if parser is None:
        with _lock:
            parser = _parsers.get(transform)
            if parser is None:
                from lark import Lark

                parser = Lark(
                    grammar_path().read_text(encoding="utf-8"),
                    parser="lalr",
                    lexer="contextual",
                    start=list(ENTRY_POINTS),
                    transformer=values_transformer() if transform else None,
                )
                _parsers[transform] = parser
    return parser


def parse_with_lark(entry: str, text: str) -> Position:
    """Parse with lark alone; raises lark's ``UnexpectedInput`` on a rejection."""
    if entry == "any":
        from lark.exceptions import UnexpectedInput

        try:
            return parse_with_lark("start_position", text)
        except UnexpectedInput:
            return parse_with_lark("stop_position", text)
    return lark_parser().parse(text, start=entry)  # type: ignore[no-any-return]
