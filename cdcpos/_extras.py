"""The error a module of an optional extra raises when the package the extra brings is missing.

The core (``pip install cdcpos``) is pure Python; the integrations need packages that come
with extras (see the README's extras table).  Without this, ``import cdcpos.aws`` on a core
install fails with ``No module named 'pydantic'``, which does not say that cdcpos has an
extra for it, nor which one.  Each such module imports its third-party package first::

    try:  # a missing extra names its install line
        import pydantic  # noqa: F401
    except ModuleNotFoundError as error:
        raise missing_extra(error, "cdcpos.aws", "aws") from None

(a ``try`` block keeps the imports that follow at the top of the module for the linters,
which a plain call before them would not.)  The columnar modules, which need several
packages, call ``require`` before their imports instead (and mark those ``# noqa: E402``).
This module imports nothing of cdcpos, so any layer may use it.
"""

from __future__ import annotations

import importlib

__all__ = ["EXTRAS", "install_line", "missing_extra", "require"]

# Extra -> the third-party packages it brings for cdcpos (pyproject.toml lists them with
# their versions; tests/test_packaging.py checks the two agree).
EXTRAS: dict[str, tuple[str, ...]] = {
    "pydantic": ("pydantic",),
    "aws": ("pydantic", "boto3", "botocore"),
    "hypothesis": ("hypothesis",),
    "fuzz": ("atheris",),
    "arrow": ("pyarrow", "numpy"),
    "polars": ("polars", "pyarrow", "numpy"),
    "spark": ("pyspark", "pyarrow", "numpy"),
}


def install_line(extra: str) -> str:
    """The command that installs ``extra``, quoted so that zsh does not glob the brackets.

    >>> install_line("aws")
    "pip install 'cdcpos[aws]'"
    """
    if extra not in EXTRAS:
        raise ValueError(f"unknown extra {extra!r}; known: {', '.join(EXTRAS)}")
    return f"pip install 'cdcpos[{extra}]'"


def missing_extra(error: ModuleNotFoundError, feature: str, extra: str) -> ModuleNotFoundError:
    """The error for ``feature`` failing to import a package that ``extra`` brings.

    It keeps the missing module's ``name`` (so ``except ModuleNotFoundError`` and tools that
    read ``.name`` still work) and says what to install.

    >>> error = ModuleNotFoundError("No module named 'pydantic'", name="pydantic")
    >>> print(missing_extra(error, "cdcpos.aws", "aws"))
    cdcpos.aws needs pydantic, which is not installed: pip install 'cdcpos[aws]'
    """
    return ModuleNotFoundError(_needs(feature, error.name or "a package", extra), name=error.name)


def _needs(feature: str, missing: str, extra: str) -> str:
    """The one wording of a missing optional dependency (both errors above and below)."""
    return f"{feature} needs {missing}, which is not installed: {install_line(extra)}"


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
            # The package that is missing, which may be another one than ``module``: an
            # older pyarrow imports numpy on import, and without it fails with "No module
            # named 'numpy.core'".  An ImportError of another kind (a broken install) names
            # the module that did not import.
            missing = module
            if isinstance(error, ModuleNotFoundError) and error.name:
                missing = error.name.partition(".")[0]
            raise ImportError(_needs(f"cdcpos.{extra}", missing, extra), name=missing) from error
