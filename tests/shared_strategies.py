"""One strategy object per ``cdcpos.strategies`` call, shared by every test module.

Each call of a ``cdcpos.strategies`` function returns a new strategy object.  The grammar
strategies under it (``hypothesis.extra.lark.from_lark``: about 50 ms each, 8 to 26 of
them per object) are built once per process for each rule and set of checkpoint shapes
(``cdcpos.strategies._grammar``); what a new object still costs is validating its own filters and branches on its first
draw.  Tests that draw from the same strategy ask for it here:
``shared("checkpoint_strings", engine="postgres")`` is built once per run.  What is drawn
does not change: the object is the one the call returns.
"""

from __future__ import annotations

import functools
from typing import Any

from hypothesis.strategies import SearchStrategy

from cdcpos import strategies


@functools.cache
def shared(name: str, *args: Any, **kwargs: Any) -> SearchStrategy[Any]:
    """``cdcpos.strategies.<name>(*args, **kwargs)``, built once per run (arguments hashable)."""
    made: SearchStrategy[Any] = getattr(strategies, name)(*args, **kwargs)
    return made
