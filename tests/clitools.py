"""Running the command-line entry points from tests, as a user would.

Most tests run an entry point in this process (:func:`run_in_process`, through the
``in_process`` fixture of conftest.py): the same ``experiments._cli.run_cli`` on the
module's ``@hydra.main`` function with ``sys.argv`` patched, which is what
``python -m experiments.<name>`` does, without paying interpreter, import and Hydra
start-up for each test. A handful of tests run a real subprocess (:func:`cli`,
:func:`start`) to check that the two agree and for what only a process can show (exit
status, SIGKILL).
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import itertools
import json
import logging
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# switches that change what the command line prints; a user's shell has none of them
_SWITCHES = ("HYDRA_FULL_ERROR", "CADRESIM_TRACEBACK", "HYDRA_MAIN_MODULE")


def plain_env() -> dict[str, str]:
    """The environment of a user's shell: no traceback switches, the Agg backend."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    for key in _SWITCHES:
        env.pop(key, None)
    return env


def cli(module: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m <module> <args>`` in a subprocess, from the repository root; output captured."""
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=cwd or ROOT, env=plain_env(), capture_output=True, text=True, timeout=600
    )


def start(module: str, *args: str) -> subprocess.Popen:
    """``python -m <module> <args>`` started in the background (stdout discarded, stderr piped)."""
    return subprocess.Popen(
        [sys.executable, "-m", module, *args], cwd=ROOT, env=plain_env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE
    )


@dataclass
class Outcome:
    """What a command line run left: exit code (int, or "uncaught <Error>" for what a
    process would show as a traceback), its output, and its run folder."""

    code: int | str | None
    stderr: str
    stdout: str
    run_dir: Path

    @property
    def status(self) -> str | None:
        """The run folder's manifest status, or None if no manifest was written."""
        f = self.run_dir / "manifest.json"
        return json.loads(f.read_text())["status"] if f.exists() else None

    @property
    def message(self) -> str:
        """stderr from the ``cadresim: error:`` line on."""
        return self.stderr[self.stderr.index("cadresim: error:") :]

    @classmethod
    def of(cls, p: subprocess.CompletedProcess, run_dir: Path) -> Outcome:
        return cls(p.returncode, p.stderr, p.stdout, run_dir)


def assert_user_error(outcome: Outcome, *fragments: str) -> None:
    """Exit code 2, one message, no traceback, every fragment in it, no complete folder."""
    err = outcome.stderr
    assert outcome.code == 2, (outcome.code, err)
    assert "Traceback" not in err, err
    assert err.count("cadresim: error:") == 1, err
    for f in fragments:
        assert f in outcome.message, f"{f!r} not in:\n{outcome.message}"
    # a run that started and stopped says so; none says "complete"
    assert outcome.status in (None, "failed"), outcome.status


def run_in_process(monkeypatch: pytest.MonkeyPatch, module: str, *args: str, run_dir: Path, single_compose: bool = True) -> Outcome:
    """``python -m <module> [flags] hydra.run.dir=<run_dir> <overrides>`` in this process.

    Environment, ``sys.argv`` and logging are restored afterwards (``run_cli`` sets
    HYDRA_FULL_ERROR; Hydra adds a log file handler in the run folder).

    ``single_compose``: Hydra composes the config twice, once to read ``hydra.mode``
    (swallowing any error there and taking the mode as "run") and once for the run. The
    first is skipped (same outcome, half the time) unless a config sets ``hydra.mode``;
    tests/test_bad_inputs.py::test_in_process_matches_a_real_subprocess checks that the
    messages agree.
    """
    from hydra._internal.hydra import Hydra
    from hydra.core.global_hydra import GlobalHydra

    from experiments._cli import run_cli

    entry = importlib.import_module(module)
    # Hydra finds configs/ relative to the calling file when the module is __main__,
    # as it is under `python -m`.
    monkeypatch.setenv("HYDRA_MAIN_MODULE", "__main__")
    monkeypatch.setenv("HYDRA_FULL_ERROR", "1")  # so that run_cli's setting is undone
    if single_compose:
        monkeypatch.setattr(Hydra, "get_mode", lambda self, config_name, overrides: None)
    script = str(Path(*module.split(".")).with_suffix(".py"))
    # flags (-m, --cfg job) before the run folder, as a user would type them
    flags = [a for a in args if a.startswith("-")]
    overrides = [a for a in args if not a.startswith("-")]
    monkeypatch.setattr(sys, "argv", [script, *flags, f"hydra.run.dir={run_dir}", *overrides])

    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    err, out = io.StringIO(), io.StringIO()
    GlobalHydra.instance().clear()
    code: int | str | None = 0
    try:
        with contextlib.redirect_stderr(err), contextlib.redirect_stdout(out):
            run_cli(entry.main)
    except SystemExit as e:
        code = e.code
    except Exception as e:  # what the command line would show as a traceback
        code = f"uncaught {type(e).__name__}"
        err.write(f"Traceback (most recent call last):\n{type(e).__name__}: {e}\n")
    finally:
        GlobalHydra.instance().clear()
        for h in root.handlers:
            if h not in handlers:
                h.close()
        root.handlers[:] = handlers
        root.setLevel(level)
    return Outcome(code, err.getvalue(), out.getvalue(), run_dir)


class InProcess:
    """The ``in_process`` fixture: ``in_process("experiments.run", "seed=2")`` gives an
    Outcome; each call gets its own run folder under the test's tmp_path."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, tmp_path: Path):
        # a user's shell has no traceback switch; a test may still set one after this
        monkeypatch.delenv("CADRESIM_TRACEBACK", raising=False)
        self._monkeypatch = monkeypatch
        self._tmp_path = tmp_path
        self._counter = itertools.count()

    def __call__(self, module: str, *args: str, run_dir: Path | None = None, single_compose: bool = True) -> Outcome:
        run_dir = run_dir or self._tmp_path / f"run{next(self._counter)}"
        with self._monkeypatch.context() as mp:
            return run_in_process(mp, module, *args, run_dir=run_dir, single_compose=single_compose)


def scenario_names() -> list[str]:
    """The shipped scenario names: from the config search path once sim.params.compose
    finds them, else the files of configs/scenario/."""
    for module in ("sim.params.compose", "sim.params.search"):
        found = getattr(importlib.import_module(module), "scenario_names", None) if importlib.util.find_spec(module) else None
        if found is not None:
            return list(found())
    return sorted(p.stem for p in (ROOT / "configs" / "scenario").glob("*.yaml"))
