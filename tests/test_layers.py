"""The package's layers go one way, and its public classes show public names.

Layers, lowest first.  A module may import modules of its own layer or of lower ones,
never of a higher one, at module level or inside a function:

* L0 ``_errors`` (``InvalidPosition``, ``Rejected``), ``_engines`` (engine and kind tables),
  ``_extras`` (the error for a missing optional dependency), ``_collector`` (the
  collector paused around bulk loops);
* L1 the grammar as expressions: ``_generate`` (the tool), ``_fastpath`` (generated),
  ``_rules`` (compiled matchers, rule tables, capture layouts), ``_automaton``;
* L2 ``_diagnose``: why a text is rejected.  Below the values on purpose: a constructor's
  error and ``parse()``'s error are both diagnoses;
* L3 the values, one room per engine: ``_positions/`` (``base``, ``times``, ``start_time``,
  ``postgres``, ``mysql``, ``sqlserver``, ``oracle``, ``db2``, ``checkpoint``), and
  ``_values`` (the 0.1.0 module name that old pickles refer to);
* L4 parsing: ``_parse`` (one string), ``_bulk`` (many), and ``cdcpos`` itself (the
  public names);
* L5 ``_lark``: the reference parser, for tests and strategies only;
* L6 integrations: ``_pydantic``, ``aws``, ``strategies``, ``cli``, the columnar ones,
  the hypothesis plugin.

The one exception: pydantic looks for ``__get_pydantic_core_schema__`` and
``__get_pydantic_json_schema__`` on the class itself, so ``Position`` has them, each a
one-line delegation to ``cdcpos._pydantic`` (an import and a return).
"""

from __future__ import annotations

import ast
import fnmatch
import functools
import pickle
import pydoc
import traceback
from dataclasses import dataclass
from pathlib import Path

import pytest

import cdcpos

PACKAGE = Path(cdcpos.__file__).resolve().parent

# (module name pattern, layer).  The first pattern that matches a module gives its layer.
LAYERS: list[tuple[str, int]] = [
    ("cdcpos._errors", 0),
    ("cdcpos._engines", 0),
    ("cdcpos._extras", 0),
    ("cdcpos._collector", 0),
    ("cdcpos._cores", 0),
    ("cdcpos._generate", 1),
    ("cdcpos._precompile", 1),
    ("cdcpos._fastpath", 1),
    ("cdcpos._fastpath_sre", 1),
    ("cdcpos._rules", 1),
    ("cdcpos._automaton", 1),
    ("cdcpos._diagnose", 2),
    ("cdcpos._positions", 3),
    ("cdcpos._positions.*", 3),
    ("cdcpos._values", 3),
    ("cdcpos._sort_bytes", 3),
    ("cdcpos._parse", 4),
    ("cdcpos._bulk", 4),
    ("cdcpos", 4),
    ("cdcpos._lark", 5),
    ("cdcpos._pydantic", 6),
    ("cdcpos._pydantic.*", 6),
    ("cdcpos.aws", 6),
    ("cdcpos.aws.*", 6),
    ("cdcpos.strategies", 6),
    ("cdcpos.strategies.*", 6),
    ("cdcpos.cli", 6),
    ("cdcpos.cli.*", 6),
    ("cdcpos.__main__", 6),
    ("cdcpos._hypothesis_plugin", 6),
    ("cdcpos.arrow", 6),
    ("cdcpos.polars", 6),
    ("cdcpos.spark", 6),
    ("cdcpos._columnar", 6),
    ("cdcpos._columnar.*", 6),
]

# The documented exception: (module, function names, imported module).
HOOK_MODULE = "cdcpos._positions.base"
HOOK_FUNCTIONS = frozenset({"__get_pydantic_core_schema__", "__get_pydantic_json_schema__"})
HOOK_TARGET = "cdcpos._pydantic"


def layer_of(module: str) -> int:
    for pattern, layer in LAYERS:
        if fnmatch.fnmatchcase(module, pattern):
            return layer
    raise AssertionError(f"{module} has no layer: add it to LAYERS in tests/test_layers.py")


def package_modules(root: Path = PACKAGE) -> dict[str, Path]:
    """Every module of the package, by dotted name."""
    modules = {}
    for path in sorted(root.rglob("*.py")):
        parts = list(path.relative_to(root.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


@dataclass(frozen=True)
class Import:
    importer: str
    imported: str
    line: int
    function: str | None  # the innermost enclosing function, None at module level


@functools.cache  # every test reads the same sources: each is parsed once per run
def _tree(source: str) -> ast.Module:
    return ast.parse(source)


def imports_of(module: str, source: str, known: set[str], is_package: bool = False) -> list[Import]:
    """The package modules that ``source`` (the text of ``module``) imports, wherever.

    ``import a.b``, ``from a import b`` (``a.b`` when that is a module, else ``a``),
    relative imports, and ``importlib.import_module``/``__import__`` of a constant name.
    """
    return list(_imports_of(module, source, frozenset(known), is_package))


@functools.cache  # a pure function of its arguments, asked again by every test
def _imports_of(
    module: str, source: str, known: frozenset[str], is_package: bool
) -> tuple[Import, ...]:
    package = module if is_package else module.rpartition(".")[0]
    found: list[Import] = []

    def add(name: str, node: ast.AST, function: str | None) -> None:
        if name == "cdcpos" or name.startswith("cdcpos."):
            found.append(Import(module, name, getattr(node, "lineno", 0), function))

    def visit(node: ast.AST, function: str | None) -> None:
        if isinstance(node, ast.Import):
            for alias in node.names:
                add(alias.name, node, function)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                origin = ".".join(base + ([node.module] if node.module else []))
            else:
                origin = node.module or ""
            for alias in node.names:
                candidate = f"{origin}.{alias.name}"
                add(candidate if candidate in known else origin, node, function)
        elif isinstance(node, ast.Call):
            callee = node.func
            name = callee.attr if isinstance(callee, ast.Attribute) else getattr(callee, "id", "")
            if (
                name in ("import_module", "__import__")
                and node.args
                and isinstance(node.args[0], ast.Constant)
                and isinstance(node.args[0].value, str)
            ):
                add(node.args[0].value, node, function)
        inner = node.name if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef) else function
        for child in ast.iter_child_nodes(node):
            visit(child, inner)

    visit(_tree(source), None)
    return tuple(found)


def _is_hook(edge: Import, source: str) -> bool:
    """The documented pydantic hook: a function of two statements, an import and a return."""
    if (edge.importer, edge.imported) != (HOOK_MODULE, HOOK_TARGET):
        return False
    if edge.function not in HOOK_FUNCTIONS:
        return False
    for node in ast.walk(_tree(source)):
        if isinstance(node, ast.FunctionDef) and node.name == edge.function:
            body = node.body
            if body and isinstance(body[0], ast.Expr) and isinstance(body[0].value, ast.Constant):
                body = body[1:]  # the docstring
            return (
                len(body) == 2
                and isinstance(body[0], ast.ImportFrom)
                and isinstance(body[1], ast.Return)
            )
    return False


def upward_imports(modules: dict[str, str]) -> list[str]:
    """Every import in ``modules`` (name -> source) that points up a layer."""
    known = set(modules)
    problems = []
    for module, source in modules.items():
        is_package = module == "cdcpos" or source is _PACKAGE_MARK.get(module)
        for edge in imports_of(module, source, known, is_package):
            if layer_of(edge.imported) > layer_of(module) and not _is_hook(edge, source):
                where = f"in {edge.function}()" if edge.function else "at module level"
                problems.append(
                    f"{module} (L{layer_of(module)}) imports {edge.imported} "
                    f"(L{layer_of(edge.imported)}) on line {edge.line}, {where}"
                )
    return problems


_PACKAGE_MARK: dict[str, str] = {}


def _sources() -> dict[str, str]:
    sources = {}
    for name, path in package_modules().items():
        sources[name] = path.read_text(encoding="utf-8")
        if path.name == "__init__.py":
            _PACKAGE_MARK[name] = sources[name]
    return sources


def test_every_module_has_a_layer() -> None:
    for module in package_modules():
        layer_of(module)


def test_no_import_points_up_a_layer() -> None:
    assert upward_imports(_sources()) == []


def test_the_pydantic_hooks_are_the_only_exception_and_are_used() -> None:
    sources = _sources()
    known = set(sources)
    hooks = [
        edge
        for edge in imports_of(HOOK_MODULE, sources[HOOK_MODULE], known)
        if _is_hook(edge, sources[HOOK_MODULE])
    ]
    assert {edge.function for edge in hooks} == HOOK_FUNCTIONS


@pytest.mark.parametrize(
    ("module", "source", "expected"),
    [
        # module level, absolute
        ("cdcpos._rules", "from cdcpos._parse import parse\n", "cdcpos._parse"),
        # inside a function, lazily
        ("cdcpos._diagnose", "def f():\n    from cdcpos._lark import x\n", "cdcpos._lark"),
        # `import a.b`
        ("cdcpos._errors", "import cdcpos._positions.base\n", "cdcpos._positions.base"),
        # `from package import module`
        ("cdcpos._positions.base", "from cdcpos import _bulk\n", "cdcpos._bulk"),
        # relative, from a subpackage
        ("cdcpos._positions.postgres", "from .._parse import parse\n", "cdcpos._parse"),
        # the public package itself, from below it
        ("cdcpos._positions.base", "import cdcpos\n", "cdcpos"),
        # importlib with a constant name
        (
            "cdcpos._diagnose",
            "import importlib\nimportlib.import_module('cdcpos._lark')\n",
            "cdcpos._lark",
        ),
        # a hook-named function elsewhere is no exception
        (
            "cdcpos._positions.postgres",
            "def __get_pydantic_core_schema__(c, s, h):\n"
            "    from cdcpos._pydantic import f\n    return f(c, s, h)\n",
            "cdcpos._pydantic",
        ),
    ],
)
def test_the_check_finds_every_form_of_upward_import(
    module: str, source: str, expected: str
) -> None:
    sources = _sources()
    sources[module] = source
    problems = upward_imports(sources)
    assert any(p.startswith(f"{module} ") and f"imports {expected} " in p for p in problems), (
        problems
    )


def test_a_longer_hook_is_no_exception() -> None:
    sources = _sources()
    sources[HOOK_MODULE] = (
        "class Position:\n"
        "    def __get_pydantic_core_schema__(cls, source, handler):\n"
        "        from cdcpos._pydantic import position_core_schema\n"
        "        schema = position_core_schema(cls, source, handler)\n"
        "        return schema\n"
    )
    assert upward_imports(sources) == [
        "cdcpos._positions.base (L3) imports cdcpos._pydantic (L6) on line 3, "
        "in __get_pydantic_core_schema__()"
    ]


def test_no_import_circle_in_the_core() -> None:
    """Below the integrations, the import graph has no cycle at all (within a layer too)."""
    sources = _sources()
    known = set(sources)
    graph: dict[str, set[str]] = {name: set() for name in sources if layer_of(name) < 6}
    for module in graph:
        for edge in imports_of(module, sources[module], known, module in _PACKAGE_MARK):
            if edge.imported in graph and edge.imported != module:
                graph[module].add(edge.imported)
    state: dict[str, int] = {}
    stack: list[str] = []

    def walk(node: str) -> None:
        state[node] = 1
        stack.append(node)
        for nxt in sorted(graph[node]):
            if state.get(nxt) == 1:
                cycle = [*stack[stack.index(nxt) :], nxt]
                raise AssertionError("import circle: " + " -> ".join(cycle))
            if nxt not in state:
                walk(nxt)
        stack.pop()
        state[node] = 2

    for node in sorted(graph):
        if node not in state:
            walk(node)


# Hand-written modules longer than this are split by concept (issue 10).
MAX_LINES = 600
GENERATED = {"cdcpos._fastpath", "cdcpos._fastpath_sre"}


def test_no_hand_written_module_is_too_long() -> None:
    long = {
        name: len(path.read_text(encoding="utf-8").splitlines())
        for name, path in package_modules().items()
        if name not in GENERATED
    }
    assert {name: n for name, n in long.items() if n > MAX_LINES} == {}


# ====================================================================== public names

PUBLIC_CLASSES = [
    value for name in cdcpos.__all__ if isinstance(value := getattr(cdcpos, name), type)
]


def test_every_public_class_says_cdcpos() -> None:
    assert len(PUBLIC_CLASSES) >= 17  # the values, Position, StopPosition, InvalidPosition
    for cls in PUBLIC_CLASSES:
        assert cls.__module__ == "cdcpos", cls
        assert getattr(cdcpos, cls.__qualname__) is cls
        shown = pydoc.render_doc(cls)
        assert not [m for m in PRIVATE_MODULES if m in shown], cls


PRIVATE_MODULES = [name for name in package_modules() if name.startswith("cdcpos._")]


@pytest.mark.parametrize(
    "value",
    [
        cdcpos.parse("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0"),
        cdcpos.parse("0/1"),
        cdcpos.parse("mysql-bin.000001:4"),
        cdcpos.parse("server_time:2018-02-09T12:12:12"),
        cdcpos.parse_db2_start_from_context("NOW"),
    ],
)
def test_pickles_and_reprs_name_no_private_module(value: cdcpos.Position) -> None:
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(value, protocol)
        assert b"cdcpos._" not in data
        assert pickle.loads(data) == value
    assert "cdcpos._" not in repr(value) + repr(type(value))


def test_errors_pickle_and_print_without_a_private_path() -> None:
    with pytest.raises(cdcpos.InvalidPosition) as caught:
        cdcpos.parse("0/x")
    error = caught.value
    assert traceback.format_exception_only(error)[-1].startswith("cdcpos.InvalidPosition: ")
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        data = pickle.dumps(error, protocol)
        assert b"cdcpos._" not in data
        again = pickle.loads(data)
        assert type(again) is cdcpos.InvalidPosition and str(again) == str(error)
        assert again.column == error.column == 3


def test_pickles_of_0_1_0_still_load() -> None:
    # Protocol 0 by hand, as cdcpos 0.1.0 wrote them: the class by its old module, then
    # the canonical text; errors through cdcpos._errors._rebuild.
    value = pickle.loads(b"ccdcpos._values\nPostgresLsn\n(V4AF/B00000D0\ntR.")
    assert value == cdcpos.PostgresLsn("4AF/B00000D0") and type(value) is cdcpos.PostgresLsn
    checkpoint = pickle.loads(
        b"ccdcpos._values\nCheckpoint\n(Vcheckpoint:V1#1#000004AF/B00000D0#0#0#*#0#0\ntR."
    )
    assert checkpoint.position == value
    error = pickle.loads(b"ccdcpos._errors\n_rebuild\n(Vbad\nVCdcStartPosition\nVx\nI1\nNNNtR.")
    assert type(error) is cdcpos.InvalidPosition and error.column == 1 and error.reason == "bad"
