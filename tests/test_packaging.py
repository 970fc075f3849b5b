"""Packaging: a missing extra says how to install it; the license and metadata ship.

A missing package is simulated in a fresh interpreter by ``sys.modules[name] = None``,
which makes ``import name`` fail exactly as it does when the package is not installed
(``ModuleNotFoundError`` with ``.name`` set), without uninstalling anything.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import subprocess
import sys
import textwrap
import tomllib
import zipfile
from pathlib import Path
from typing import Any

import pytest

from cdcpos._extras import EXTRAS, install_line

ROOT = Path(__file__).resolve().parent.parent
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))

# Every optional third-party package cdcpos uses anywhere.
OPTIONAL = sorted({package for packages in EXTRAS.values() for package in packages})


def _run(code: str, *, cwd: Path = ROOT, env: dict[str, str] | None = None) -> dict[str, object]:
    """Run ``code`` in a fresh interpreter and return the JSON object it prints last."""
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        cwd=cwd,
        env=env,
        check=False,
        timeout=120,
    )
    assert completed.returncode == 0, completed.stderr
    result: dict[str, object] = json.loads(completed.stdout.splitlines()[-1])
    return result


def _import_without(module: str, missing: list[str]) -> dict[str, object]:
    return _run(
        f"""
        import json, sys
        for name in {missing!r}:
            sys.modules[name] = None
        try:
            import {module}
        except ImportError as error:
            print(json.dumps({{"type": type(error).__name__, "name": error.name,
                              "message": str(error), "cause": repr(error.__cause__),
                              "suppressed": error.__suppress_context__}}))
        else:
            print(json.dumps({{"type": None}}))
        """
    )


@pytest.mark.parametrize(
    ("module", "package", "extra"),
    [
        ("cdcpos.aws", "pydantic", "aws"),
        ("cdcpos._pydantic", "pydantic", "pydantic"),
        ("cdcpos.strategies", "hypothesis", "hypothesis"),
    ],
)
def test_a_missing_extra_names_its_install_line(module: str, package: str, extra: str) -> None:
    error = _import_without(module, [package])
    assert error["type"] == "ModuleNotFoundError"
    assert error["name"] == package  # code that reads .name still sees the missing package
    message = str(error["message"])
    assert f"pip install 'cdcpos[{extra}]'" in message, message
    assert module in message and package in message, message
    assert error["cause"] == "None" and error["suppressed"] is True  # one clean message


def test_the_extras_named_bring_the_missing_package() -> None:
    # The install line an error gives must install the package that was missing.
    declared = PYPROJECT["project"]["optional-dependencies"]
    for extra, package in {
        "aws": "pydantic",
        "pydantic": "pydantic",
        "hypothesis": "hypothesis",
    }.items():
        names = {_requirement_name(r) for r in declared[extra]}
        assert package in names, (extra, names)


def _requirement_name(requirement: str) -> str:
    for stop in "<>=!~[; ":
        requirement = requirement.split(stop, 1)[0]
    return requirement.strip().lower()


def test_extras_table_agrees_with_pyproject() -> None:
    declared = PYPROJECT["project"]["optional-dependencies"]
    for extra, requirements in declared.items():
        if extra == "test":
            continue
        assert extra in EXTRAS, f"pyproject extra {extra!r} is missing from cdcpos._extras.EXTRAS"
        assert {_requirement_name(r) for r in requirements} == set(EXTRAS[extra]), extra
    # CI installs ".[test]" and nothing else: it must bring every other declared extra.
    test_extra = {_requirement_name(r) for r in declared["test"]}
    for extra, requirements in declared.items():
        assert {_requirement_name(r) for r in requirements} <= test_extra, extra


def test_install_line_rejects_an_unknown_extra() -> None:
    assert install_line("spark") == "pip install 'cdcpos[spark]'"
    with pytest.raises(ValueError, match="unknown extra 'sprak'"):
        install_line("sprak")


def test_the_core_works_without_any_extra() -> None:
    # What `pip install cdcpos` gives: parsing, the CLI module and errors need no extra.
    result = _run(
        f"""
        import json, sys
        for name in {OPTIONAL!r}:
            sys.modules[name] = None
        import cdcpos, cdcpos.cli
        value = cdcpos.parse("checkpoint:V1#1#000004AF/B00000D0#0#0#*#0#0")
        try:
            cdcpos.parse("0/G")
        except cdcpos.InvalidPosition as error:
            message = str(error)
        print(json.dumps({{"value": str(value.position), "error": message}}))
        """
    )
    assert result["value"] == "4AF/B00000D0"
    assert str(result["error"]).startswith("Invalid")


def _blocking_site(tmp_path: Path, packages: list[str]) -> dict[str, str]:
    """An environment whose every interpreter starts with ``packages`` missing."""
    (tmp_path / "sitecustomize.py").write_text(
        "import sys\n" + "".join(f"sys.modules[{p!r}] = None\n" for p in packages),
        encoding="utf-8",
    )
    path = os.pathsep.join([str(tmp_path), os.environ.get("PYTHONPATH", "")])
    return {**os.environ, "PYTHONPATH": path}


def _fuzz_runner(monkeypatch: pytest.MonkeyPatch) -> Any:
    """fuzz/run.py as a module (fuzz/ is no package), registered for this test only."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("fuzz_run", ROOT / "fuzz" / "run.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, "fuzz_run", module)  # its dataclasses look it up
    spec.loader.exec_module(module)
    return module


def test_fuzz_runner_names_the_extra_of_a_target_it_lacks(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # In this process: the runner's answer when the fuzzing process lists no pydantic
    # target (the real chain, a fuzzing process without pydantic, is the slow test below).
    runner = _fuzz_runner(monkeypatch)
    monkeypatch.setattr(runner, "list_targets", lambda: {"parse": "positions"})
    with pytest.raises(SystemExit) as exited:
        runner.main(["--runs", "1", "pydantic_types"])
    assert exited.value.code == 2
    stderr = capsys.readouterr().err
    assert "pydantic_types needs pip install 'cdcpos[pydantic]'" in stderr
    assert "unknown targets" not in stderr


@pytest.mark.slow
def test_fuzz_runner_names_the_extra_of_a_target_it_cannot_run(tmp_path: Path) -> None:
    env = _blocking_site(tmp_path, ["pydantic"])
    completed = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "run.py"), "--runs", "1", "pydantic_types"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 2, completed.stderr
    assert "pydantic_types needs pip install 'cdcpos[pydantic]'" in completed.stderr
    assert "unknown targets" not in completed.stderr


def test_fuzz_runner_names_the_fuzz_extra_without_atheris(tmp_path: Path) -> None:
    env = _blocking_site(tmp_path, ["atheris"])
    completed = subprocess.run(
        [sys.executable, str(ROOT / "fuzz" / "run.py"), "--runs", "1", "parse"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
        timeout=300,
    )
    assert completed.returncode == 1, completed.stderr
    assert "fuzzing needs atheris: pip install 'cdcpos[fuzz]'" in completed.stderr
    assert "Traceback" not in completed.stderr


# The SHA-256 of https://www.apache.org/licenses/LICENSE-2.0.txt, the text every Apache-2.0
# project ships unchanged (the appendix's "[yyyy] [name of copyright owner]" included).
APACHE_2_0_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"


def test_license_is_the_complete_apache_2_0_text() -> None:
    license_file = ROOT / "LICENSE"
    assert hashlib.sha256(license_file.read_bytes()).hexdigest() == APACHE_2_0_SHA256
    project = PYPROJECT["project"]
    assert project["license"] == "Apache-2.0"  # SPDX expression, as the text says
    assert project["license-files"] == ["LICENSE"]


@pytest.mark.slow
def test_wheel_ships_the_license_grammar_and_metadata(tmp_path: Path) -> None:
    # A real build, by the same backend users get (pip fetches hatchling from the index).
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "-w", str(tmp_path), "--no-deps", "-q"],
        check=True,
        capture_output=True,
        timeout=600,
    )
    [wheel] = tmp_path.glob("cdcpos-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        names = set(archive.namelist())
        dist_info = next(n.split("/")[0] for n in names if n.endswith(".dist-info/METADATA"))
        metadata = archive.read(f"{dist_info}/METADATA").decode()
        license_text = archive.read(f"{dist_info}/licenses/LICENSE")
    assert hashlib.sha256(license_text).hexdigest() == APACHE_2_0_SHA256
    assert "cdcpos/grammar/cdcpos.lark" in names and "cdcpos/py.typed" in names
    assert "License-Expression: Apache-2.0" in metadata.splitlines()
    assert "Requires-Python: >=3.11" in metadata.splitlines()
    for extra in PYPROJECT["project"]["optional-dependencies"]:
        assert f"Provides-Extra: {extra}" in metadata.splitlines()


# -- the project's own documentation stands on its own

FORMATS = ROOT / "docs" / "formats.md"
_TEXT_SUFFIXES = {".py", ".md", ".lark", ".toml", ".txt", ".cfg", ".ini", ".yml", ".yaml"}
_SKIP_DIRS = {".git", ".ci-venv", "corpus", "__pycache__", ".mypy_cache", ".ruff_cache", "build"}


def _project_text_files() -> list[Path]:
    found = []
    for path in ROOT.rglob("*"):
        relative = path.relative_to(ROOT)
        if any(part in _SKIP_DIRS or part.startswith(".venv") for part in relative.parts):
            continue
        if path.is_file() and (path.suffix in _TEXT_SUFFIXES or relative.parts[0] == ".ci"):
            found.append(path)
    return found


def _anchors(markdown: str) -> set[str]:
    return set(re.findall(r'<a id="([^"]+)"></a>', markdown))


def test_nothing_points_outside_the_repository() -> None:
    # The workspace that held the first format notes is not shipped: docs/formats.md is the
    # reference now.  (The pattern is split so that this file does not match itself.)
    outside = re.compile("shared" + r"/(?:spec|seed)|positions\.md")
    offenders = [
        f"{path.relative_to(ROOT)}:{number}"
        for path in _project_text_files()
        for number, line in enumerate(
            path.read_text(encoding="utf-8", errors="replace").splitlines(), 1
        )
        if outside.search(line)
    ]
    assert offenders == []


def test_every_link_into_the_format_reference_resolves() -> None:
    anchors = _anchors(FORMATS.read_text(encoding="utf-8"))
    assert {"reading", "date", "postgres-lsn", "checkpoint", "decisions"} <= anchors
    links = [
        (path.relative_to(ROOT), anchor)
        for path in _project_text_files()
        for anchor in re.findall(
            r"formats\.md#([A-Za-z0-9_-]+)", path.read_text(encoding="utf-8", errors="replace")
        )
    ]
    assert links, "the README and the code link into docs/formats.md"
    assert [(path, a) for path, a in links if a not in anchors] == []
    # Links inside the page itself.
    internal = re.findall(r"\]\(#([A-Za-z0-9_-]+)\)", FORMATS.read_text(encoding="utf-8"))
    assert sorted(set(internal) - anchors) == []


def test_section_numbers_cited_in_code_are_sections_of_the_format_reference() -> None:
    # Comments cite the reference as "§3.2"; a renumbered page would leave them dangling.
    headings = set(
        re.findall(r"^#{2,3} ([0-9]+(?:\.[0-9]+)?)\.? ", FORMATS.read_text("utf-8"), re.M)
    )
    sources = [ROOT / "grammar" / "cdcpos.lark", ROOT / "tests" / "examples.py"]
    cited = {
        n
        for path in sources
        for n in re.findall(r"§([0-9]+(?:\.[0-9]+)?)", path.read_text("utf-8"))
    }
    assert cited and cited <= headings, sorted(cited - headings)


def _shell_blocks(markdown: str) -> list[str]:
    return re.findall(r"^```(?:sh|bash|shell|console)\n(.*?)^```", markdown, re.M | re.S)


def test_readme_shell_examples_quote_every_checkpoint() -> None:
    # A checkpoint holds '*': unquoted, zsh and bash's failglob refuse the whole command.
    docs = [ROOT / "README.md", ROOT / "benchmarks" / "README.md", FORMATS]
    unquoted = [
        (path.name, line)
        for path in docs
        for block in _shell_blocks(path.read_text("utf-8"))
        for line in block.splitlines()
        if re.search(r"""(?<!['"])checkpoint:V""", line)
    ]
    assert unquoted == []
    assert any("checkpoint:V" in b for b in _shell_blocks((ROOT / "README.md").read_text("utf-8")))


def test_readme_extras_table_lists_every_extra() -> None:
    readme = (ROOT / "README.md").read_text("utf-8")
    table = readme.split("| extra | brings |", 1)[1].split("\n\n", 1)[0]
    listed = set(re.findall(r"^\| `([a-z0-9-]+)` \|", table, re.M))
    assert set(PYPROJECT["project"]["optional-dependencies"]) <= listed
    assert listed <= set(EXTRAS) | {"test"}  # no extra the code does not know


def test_a_package_that_fails_on_a_missing_dependency_names_the_dependency(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # An older pyarrow imports numpy on import: without numpy, "import pyarrow" fails with
    # "No module named 'numpy.core'", and the message must say numpy, not pyarrow.
    from cdcpos._extras import require

    (tmp_path / "cdcpos_wrapper_pkg").mkdir()
    (tmp_path / "cdcpos_wrapper_pkg" / "__init__.py").write_text(
        "import cdcpos_absent_dependency.core\n"
    )
    (tmp_path / "cdcpos_broken_pkg.py").write_text("raise ImportError('a broken install')\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    with pytest.raises(ImportError) as caught:
        require("arrow", "json", "cdcpos_wrapper_pkg")
    assert str(caught.value) == (
        "cdcpos.arrow needs cdcpos_absent_dependency, which is not installed: "
        "pip install 'cdcpos[arrow]'"
    )
    assert caught.value.name == "cdcpos_absent_dependency"
    with pytest.raises(ImportError) as caught:  # not a missing module: the one that failed
        require("polars", "cdcpos_broken_pkg")
    assert str(caught.value).startswith("cdcpos.polars needs cdcpos_broken_pkg, which")
