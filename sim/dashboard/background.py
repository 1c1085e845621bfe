"""A small comparison started from the page: ``python -m experiments.compare`` in a
child process, watched through its part store.

The child is the command line itself (so the folder it writes is exactly what
``experiments.compare`` writes, manifest last); its progress is the number of finished
runs in ``<folder>/parts/`` (one file per run, written as each run ends) against
scenarios x replications; it is finished when the child exits, complete when the
manifest says so.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from sim.core.errors import ConfigError
from sim.output.run_folder import is_complete
from sim.params.compose import check_scenario_names, load_config


@dataclass(frozen=True)
class Progress:
    """``state``: "running" (runs going), "writing" (runs done, tables and figures being
    written), "complete" or "failed" (``message`` says why)."""

    done: int
    total: int
    state: str
    message: str = ""

    @property
    def percent(self) -> float:
        return 100.0 * self.done / self.total if self.total else 0.0


def new_folder(results: Path) -> Path:
    """A fresh run folder under ``results`` named like Hydra's (``YYYY-MM-DD_HH-MM-SS``)."""
    stamp = time.strftime("%Y-%m-%d_%H-%M-%S")
    path, k = Path(results) / stamp, 1
    while path.exists():
        path, k = Path(results) / f"{stamp}_{k}", k + 1
    return path


class BackgroundComparison:
    """One comparison in a child process (never more than one per page).

    Args:
        out: the run folder to write (must not exist yet).
        scenarios: names of ``scenario/*.yaml`` files, the reference first.
        replications: runs per scenario (>= 2, so that paired intervals exist).
        overrides: further Hydra overrides (``dashboard.overrides``, e.g. ``end=2021-12``).

    Unknown scenario names and overrides that do not compose raise ConfigError here;
    what fails later (a roster that cannot be read, an action outside the horizon) is
    the child's error message, shown by :meth:`progress`.
    """

    def __init__(
        self, out: Path, scenarios: Sequence[str], replications: int, overrides: Sequence[str] = (), workers: int = 1
    ):
        if not scenarios:
            raise ConfigError("choose at least one scenario")
        if replications < 2:
            raise ConfigError(f"replications = {replications}: at least 2 are needed for paired intervals")
        check_scenario_names(scenarios)
        load_config([*overrides, f"scenario={scenarios[0]}"])  # a bad override is named here, before any child starts
        self.out = Path(out)
        self.total = len(scenarios) * int(replications)
        self.command = [
            sys.executable,
            "-m",
            "experiments.compare",
            f"scenarios=[{','.join(scenarios)}]",
            f"replications={int(replications)}",
            f"workers={int(workers)}",
            *overrides,
            f"hydra.run.dir={self.out.resolve()}",
        ]
        self._proc: subprocess.Popen | None = None
        self._log = None
        self._final: Progress | None = None

    def start(self) -> BackgroundComparison:
        if self.out.exists():
            raise ConfigError(f"{self.out} exists already; a new comparison needs a new folder")
        # stderr (tqdm's bar, any error message) goes to a file: a pipe nobody reads could fill and stall the child
        self._log = tempfile.TemporaryFile()
        self._proc = subprocess.Popen(
            self.command, stdout=subprocess.DEVNULL, stderr=self._log, stdin=subprocess.DEVNULL
        )
        return self

    def done_runs(self) -> int:
        parts = self.out / "parts"
        return len(list(parts.glob("*.parquet"))) if parts.is_dir() else 0

    def progress(self) -> Progress:
        if self._proc is None:
            raise RuntimeError("start() was not called")
        if self._final is not None:
            return self._final
        done = min(self.done_runs(), self.total)
        code = self._proc.poll()
        if code is None:
            return Progress(done, self.total, "running" if done < self.total else "writing")
        if code == 0 and is_complete(self.out):
            self._final = Progress(self.total, self.total, "complete")
        else:
            self._final = Progress(done, self.total, "failed", self._failure(code))
        self._log.close()
        return self._final

    def _failure(self, code: int) -> str:
        text = ""
        if self._log is not None:
            self._log.seek(0)
            lines = [
                ln
                for ln in self._log.read().decode("utf-8", "replace").splitlines()
                if ln.strip() and "it/s" not in ln and "run/s" not in ln
            ]
            text = "\n".join(lines[-5:])
        manifest = self.out / "manifest.json"
        if not text and manifest.is_file():
            text = json.loads(manifest.read_text()).get("error", "")
        return text or f"exit code {code}"

    def wait(self, timeout: float | None = None) -> Progress:
        if self._proc is not None:
            self._proc.wait(timeout)
        return self.progress()

    def cancel(self) -> None:
        if self._proc is not None and self._proc.poll() is None:
            self._proc.terminate()
            self._proc.wait(10)
        if self._proc is not None:
            self.progress()  # records the outcome and closes the log


__all__ = ["BackgroundComparison", "Progress", "new_folder"]
