"""The README's test command, read and checked before CI runs it.

``python3 .ci/test_command.py README.md`` prints the command (the ``sh`` block after
``<!-- test-command -->``) when it runs the whole suite, and otherwise exits with status 2
and says why.  The whole suite means: pytest runs, and its ``-m`` expressions select both
the tests marked ``slow`` and the unmarked ones (``pyproject.toml`` deselects ``slow`` by
default, so a command that lost ``-m "slow or not slow"`` would pass without the slow
tests).  Markers are evaluated by pytest's own expression parser, so ``-m slow`` in one
invocation plus a plain ``pytest`` in another counts as the whole suite too.

Standard library only, apart from pytest's expression parser, which is imported when it
is there (CI checks after installing the test extra; without pytest a small fallback reads
``and``/``or``/``not`` expressions).
"""

from __future__ import annotations

import re
import shlex
import sys
from collections.abc import Callable
from pathlib import Path

MARKER = "<!-- test-command -->"
# What pyproject.toml's addopts selects when a command gives no -m.
DEFAULT_MARKEXPR = "not slow"
SEPARATORS = {"&&", "||", ";", "|", "&"}


def read_command(readme: str) -> str:
    """The lines of the first ``sh`` block after the marker, joined by newlines."""
    lines = readme.splitlines()
    try:
        start = next(i for i, line in enumerate(lines) if line.strip() == MARKER)
    except StopIteration:
        return ""
    block: list[str] = []
    inside = False
    for line in lines[start + 1 :]:
        if not inside and line.startswith("```sh"):
            inside = True
        elif inside and line.startswith("```"):
            break
        elif inside:
            block.append(line)
    return "\n".join(block).strip()


def _words(command: str) -> list[str]:
    lexer = shlex.shlex(command, posix=True, punctuation_chars=";&|")
    lexer.whitespace_split = True
    return list(lexer)


def pytest_runs(command: str) -> list[list[str]]:
    """The arguments of every pytest invocation in a shell command: simple commands whose
    program (after ``NAME=value`` assignments) is ``pytest`` or ``python ... -m pytest``."""
    runs: list[list[str]] = []
    simple: list[str] = []
    # A backslash-newline continues a line; any other newline ends a command.
    joined = command.replace("\\\n", " ").replace("\n", " ; ")
    for word in [*_words(joined), ";"]:
        if word not in SEPARATORS:
            simple.append(word)
            continue
        arguments = _pytest_arguments(simple)
        if arguments is not None:
            runs.append(arguments)
        simple = []
    return runs


def _pytest_arguments(simple: list[str]) -> list[str] | None:
    words = list(simple)
    while words and re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*=.*", words[0], re.S):
        words.pop(0)  # environment assignments
    if not words:
        return None
    program = words[0].rsplit("/", 1)[-1]
    if program in ("pytest", "py.test"):
        return words[1:]
    if re.fullmatch(r"python[0-9.]*", program):
        i = 1
        while i < len(words) - 1:
            if words[i] == "-m":
                return words[i + 2 :] if words[i + 1] == "pytest" else None
            if not words[i].startswith("-"):
                return None  # a script, not a module
            i += 2 if words[i] in ("-X", "-W") else 1
    return None


def markexpr(arguments: list[str]) -> str:
    """The ``-m`` expression one pytest invocation uses (the last one given wins)."""
    found = DEFAULT_MARKEXPR
    for i, argument in enumerate(arguments):
        if argument == "-m" and i + 1 < len(arguments):
            found = arguments[i + 1]
        elif argument.startswith("-m") and len(argument) > 2 and not argument.startswith("--"):
            found = argument[2:].lstrip("=")
    return found


def _evaluator(expression: str) -> Callable[[Callable[[str], bool]], bool]:
    try:
        from _pytest.mark.expression import Expression
    except ImportError:  # pragma: no cover - CI checks with pytest installed
        return lambda matcher: _fallback(expression, matcher)
    compiled = Expression.compile(expression)
    return compiled.evaluate


def _fallback(expression: str, matcher: Callable[[str], bool]) -> bool:
    if not re.fullmatch(r"[A-Za-z0-9_\s()]*", expression):
        raise ValueError(f"cannot read the -m expression {expression!r}")
    python = re.sub(r"[A-Za-z_][A-Za-z0-9_]*", lambda m: _name(m.group(0), matcher), expression)
    return bool(eval(python, {"__builtins__": {}}))


def _name(word: str, matcher: Callable[[str], bool]) -> str:
    return word if word in ("and", "or", "not") else str(matcher(word))


def selects(expression: str, marker: str | None) -> bool:
    """Whether ``-m expression`` runs a test carrying ``marker`` (None: no marker)."""
    if not expression.strip():
        return True
    return _evaluator(expression)(lambda name: name == marker)


def problems(command: str) -> list[str]:
    """Why a command would not run the whole suite (empty when it does)."""
    if not command.strip():
        return ["no test command found in README.md"]
    runs = pytest_runs(command)
    if not runs:
        return [f"the README's test command does not run pytest: {command}"]
    found = []
    expressions = [markexpr(arguments) for arguments in runs]
    try:
        slow = any(selects(e, "slow") for e in expressions)
        fast = any(selects(e, None) for e in expressions)
    except Exception as error:  # a malformed -m expression: pytest would refuse it too
        return [f"the README's test command has an unreadable -m expression ({error}): {command}"]
    if not slow:
        found.append(
            "the README's test command does not run the slow tests (pytest deselects "
            f'them by default; add -m "slow or not slow"): {command}'
        )
    if not fast:
        found.append(f"the README's test command does not run the fast tests: {command}")
    return found


def main(argv: list[str]) -> int:
    readme = Path(argv[1] if len(argv) > 1 else "README.md")
    command = read_command(readme.read_text(encoding="utf-8"))
    found = problems(command)
    for problem in found:
        print(problem, file=sys.stderr)
    if found:
        return 2
    print(command)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
