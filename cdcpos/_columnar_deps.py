"""The optional packages of the columnar modules, and the install line that brings them."""

from __future__ import annotations

import importlib


def require(extra: str, *modules: str) -> None:
    """Import ``modules``; when one is missing, say which extra of cdcpos brings it.

    >>> require("arrow", "json")
    >>> require("arrow", "no_such_module_cdcpos")
    Traceback (most recent call last):
    ...
    ImportError: cdcpos.arrow needs no_such_module_cdcpos, which is not installed: pip install 'cdcpos[arrow]'
    """
    for module in modules:
        try:
            importlib.import_module(module)
        except ImportError as error:
            raise ImportError(
                f"cdcpos.{extra} needs {module}, which is not installed: "
                f"pip install 'cdcpos[{extra}]'",
                name=module,
            ) from error
