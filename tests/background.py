"""Processes a test starts ahead of its turn, while the tests before it run.

A few tests wait on a real process for most of their time: a fuzzing run, the generator on
a copy of the checkout, an interpreter that imports the heavy extras.  The suite runs in
one process on one core, so those waits left the machine's other core idle.  A test of
that kind puts its processes in a *job*, a generator that yields each :class:`Run` (the
arguments of ``subprocess.run``) and receives its ``CompletedProcess``::

    @background.job("test_a_short_fuzzing_run_works")
    def fuzzing_run(tmp: Path) -> Iterator[Run, CompletedProcess[str], CompletedProcess[str]]:
        return (yield Run([sys.executable, "fuzz/fuzz.py", ...]))

    def test_a_short_fuzzing_run_works() -> None:
        result = fuzzing_run.result()
        assert ...

When collection ends, ``conftest.py`` queues the jobs of the selected tests, in the order of
the tests; one job's process runs at a time, next to the tests, and the next one starts
at the next test boundary after it ends.  ``result()`` returns what the job returned, and
runs it (or what is left of it) in the foreground when it has not run yet: under ``-k``,
alone, or when its test comes before the queue gets to it.  The test asserts the same
things about the same processes; only the waiting moved.

A job sees the working directory and the environment the session started with (a test
that changes them while a job's process starts does not leak into it); its output goes to
files (no pipe fills up while nobody reads it) and its temporary directory is removed
when the session ends.  No thread is involved, so a test that forks still forks a process
with one thread.
"""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import tempfile
from collections.abc import Callable, Generator, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Generic, TypeVar

T = TypeVar("T")
PIPE_BUFFER = 1 << 16  # what a Linux pipe holds before a writer blocks


@dataclass(frozen=True)
class Run:
    """One process of a job, with ``subprocess.run``'s meaning (its output is captured)."""

    args: list[str]
    cwd: Path | str | None = None  # None: the session's working directory
    env: Mapping[str, str] | None = None  # None: the session's environment
    text: bool = True
    timeout: float = 300.0
    # Its standard input, a pipe as subprocess.run(input=...) gives, written whole before
    # the process starts: at most a pipe's buffer (None: /dev/null).
    input: bytes | None = None


Steps = Generator[Run, "subprocess.CompletedProcess[Any]", T]

# What the session started with: jobs run between tests that may change both.
_SESSION: dict[str, Any] = {}


def _session_cwd() -> str:
    return _SESSION.get("cwd") or os.getcwd()


def _session_env() -> dict[str, str]:
    return dict(_SESSION.get("env") or os.environ)


def environ(**changes: str) -> dict[str, str]:
    """The session's environment with these variables set (for :attr:`Run.env`)."""
    return {**_session_env(), **changes}


@dataclass
class _Started:
    run: Run
    process: subprocess.Popen[bytes]
    out: IO[bytes]
    err: IO[bytes]


class Job(Generic[T]):
    """A generator of processes, run at most once per session; see the module docstring."""

    def __init__(self, steps: Callable[[Path], Steps[T]], tests: Iterable[str]) -> None:
        self.steps = steps
        self.tests = frozenset(tests)
        self.name = f"{steps.__module__}.{steps.__qualname__}"
        self._reset()

    def _reset(self) -> None:
        self._generator: Steps[T] | None = None
        self._current: _Started | None = None
        self._done = False
        self._value: Any = None
        self._error: BaseException | None = None
        self._tmp: str | None = None

    def __repr__(self) -> str:
        return f"<background job {self.name}>"

    # ------------------------------------------------------------------ driving
    @property
    def started(self) -> bool:
        return self._generator is not None

    @property
    def done(self) -> bool:
        return self._done

    def start(self) -> None:
        if self._generator is None:
            self._tmp = tempfile.mkdtemp(prefix="cdcpos-job-")
            self._generator = self.steps(Path(self._tmp))
            self._advance(None)

    def poll(self) -> bool:
        """Move on without waiting; True once the job has ended."""
        while not self._done:
            assert self._current is not None
            if self._current.process.poll() is None:
                return False
            self._advance(self._collect())
        return True

    def result(self) -> T:
        """What the job returned (its exception raised again), running it first if needed."""
        self.start()
        while not self._done:
            current = self._current
            assert current is not None
            try:
                current.process.wait(timeout=current.run.timeout)
            except subprocess.TimeoutExpired:
                self._kill()
                raise
            self._advance(self._collect())
        if self._error is not None:
            raise self._error
        return self._value  # type: ignore[no-any-return]

    def _advance(self, completed: subprocess.CompletedProcess[Any] | None) -> None:
        assert self._generator is not None
        self._current = None
        try:
            run = self._generator.send(completed)  # type: ignore[arg-type]
        except StopIteration as stop:
            self._done, self._value = True, stop.value
            return
        except Exception as error:  # the test sees it from result()
            self._done, self._error = True, error
            return
        out, err = tempfile.TemporaryFile(), tempfile.TemporaryFile()  # noqa: SIM115 (kept open)
        stdin: Any = subprocess.DEVNULL
        if run.input is not None:  # no pipe to keep fed between tests: it fits at once
            if len(run.input) > PIPE_BUFFER:
                raise ValueError(f"{len(run.input)} bytes of input: more than a pipe holds")
            stdin, writer = os.pipe()
            with open(writer, "wb") as pipe:
                pipe.write(run.input)
        env = _session_env() if run.env is None else dict(run.env)
        try:
            process = subprocess.Popen(
                run.args,
                stdin=stdin,
                stdout=out,
                stderr=err,
                cwd=run.cwd if run.cwd is not None else _session_cwd(),
                env=env,
            )
        finally:
            if run.input is not None:
                os.close(stdin)  # the child has its own descriptor
        self._current = _Started(run, process, out, err)

    def _collect(self) -> subprocess.CompletedProcess[Any]:
        current = self._current
        assert current is not None
        outputs = []
        for file in (current.out, current.err):
            file.seek(0)
            data: Any = file.read()
            file.close()
            if current.run.text:  # decoded as text=True decodes: locale, universal newlines
                data = io.TextIOWrapper(io.BytesIO(data)).read()
            outputs.append(data)
        return subprocess.CompletedProcess(
            current.run.args, current.process.returncode, outputs[0], outputs[1]
        )

    def _kill(self) -> None:
        current, self._current = self._current, None
        if current is not None:
            if current.process.poll() is None:
                current.process.kill()
                current.process.wait()
            current.out.close()
            current.err.close()
        self._done = True

    def finish(self) -> None:
        """End the session's use: stop a process still running, remove the directory."""
        self._kill()
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
        self._reset()


_JOBS: dict[tuple[str, str], Job[Any]] = {}


def job(*tests: str) -> Callable[[Callable[[Path], Steps[T]]], Job[T]]:
    """Register a job for the named tests of the module that defines it."""

    def register(steps: Callable[[Path], Steps[T]]) -> Job[T]:
        made = Job(steps, tests)
        for test in tests:
            _JOBS[(steps.__module__, test)] = made
        return made

    return register


class _Queue:
    def __init__(self) -> None:
        self.waiting: list[Job[Any]] = []
        self.all: list[Job[Any]] = []

    def schedule(self, items: Iterable[Any]) -> None:
        """Queue the jobs of these test items (pytest items), in their order."""
        _SESSION.update(cwd=os.getcwd(), env=dict(os.environ))
        for item in items:
            module = getattr(getattr(item, "module", None), "__name__", None)
            name = getattr(item, "originalname", None)
            found = _JOBS.get((module, name))  # type: ignore[arg-type]
            if found is not None and found not in self.all:
                self.all.append(found)
                self.waiting.append(found)
        self.pump()

    def pump(self) -> None:
        """Between tests: let the running job move on; start the next one when none runs."""
        running = [queued for queued in self.all if queued.started and not queued.done]
        for queued in running:
            queued.poll()
        if any(queued.started and not queued.done for queued in self.all):
            return
        while self.waiting:
            queued = self.waiting.pop(0)
            if not queued.started:
                queued.start()
                if not queued.poll():
                    return

    def finish(self) -> None:
        for queued in self.all:
            queued.finish()
        self.waiting.clear()
        self.all.clear()


queue = _Queue()
