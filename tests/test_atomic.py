"""Atomic outputs (GitHub issue 6): a run folder's manifest says "complete" only when
everything was written. A run killed while simulating or while writing, or one that
crashes inside, leaves "running" or "failed", never "complete".
"""

from __future__ import annotations

import dataclasses
import itertools
import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest
from clitools import start

import sim
from sim.core.errors import InputError
from sim.model import CadreModel
from sim.output import report as reporting
from sim.output.run_folder import RunFolder, is_complete, write_json_atomic


def _status(folder: Path) -> str | None:
    f = folder / "manifest.json"
    return json.loads(f.read_text())["status"] if f.exists() else None


def _manifests_saying_complete(folder: Path) -> list[Path]:
    """Any JSON file in the folder (manifest, leftover temporary) that says complete."""
    out = []
    for f in folder.rglob("*.json*"):
        try:
            if json.loads(f.read_text()).get("status") == "complete":
                out.append(f)
        except (ValueError, OSError, AttributeError):
            pass
    return out


def _start_run(run_dir: Path, *overrides: str) -> subprocess.Popen:
    """A real ``python -m experiments.run``: only a process can be killed mid-write."""
    return start("experiments.run", f"hydra.run.dir={run_dir}", *overrides)


def _wait_for(proc: subprocess.Popen, ready, timeout: float = 120.0) -> None:
    t0 = time.monotonic()
    while not ready():
        if proc.poll() is not None:
            raise AssertionError(f"the run ended (code {proc.returncode}) before it could be killed: {proc.stderr.read()!r}")
        if time.monotonic() - t0 > timeout:
            proc.kill()
            raise AssertionError("the run never reached the point where it was to be killed")
        time.sleep(0.002)


@pytest.mark.parametrize(
    "moment",
    ["while simulating", "while writing the outputs"],
)
def test_killed_run_is_never_marked_complete(tmp_path, moment):
    """SIGKILL the command line at a moment when it is still working; the folder it
    leaves says "running", and nothing in it says "complete"."""
    run_dir = tmp_path / "run"
    # a long horizon, so that the simulation takes a while after the manifest appears
    proc = _start_run(run_dir, "end=2035-12", "scenario=all_pilots")
    if moment == "while simulating":
        _wait_for(proc, lambda: _status(run_dir) == "running")
    else:
        _wait_for(proc, lambda: (run_dir / "timeseries.parquet").exists())
    assert proc.poll() is None, "the run ended before the kill"
    proc.send_signal(signal.SIGKILL)
    proc.wait(timeout=60)
    proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL
    assert _status(run_dir) == "running"
    assert not is_complete(run_dir)
    assert _manifests_saying_complete(run_dir) == []


def test_a_run_left_alone_is_complete(tmp_path):
    """The control for the test above: the same command, not killed, completes."""
    run_dir = tmp_path / "run"
    proc = _start_run(run_dir, "end=2019-03")
    _, err = proc.communicate(timeout=300)
    assert proc.returncode == 0, err
    assert is_complete(run_dir)
    manifest = json.loads((run_dir / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["wall_time_s"] > 0
    # "complete" is written last: every output is older than (or as old as) the manifest
    written = [p for p in run_dir.rglob("*") if p.is_file() and ".hydra" not in p.parts and p.suffix != ".log"]
    assert {p.name for p in written} >= {"timeseries.parquet", "events.parquet", "summary.csv", "report.md"}
    last = (run_dir / "manifest.json").stat().st_mtime_ns
    assert all(p.stat().st_mtime_ns <= last for p in written)


# --------------------------------------------------------------------------- crashes inside
@pytest.fixture(scope="module")
def short_config():
    return sim.load_config(["end=2019-03"])


def test_user_error_inside_the_run_marks_the_folder_failed(tmp_path, short_config):
    def run():
        raise InputError("bad row", file="roster.csv", line=3, column="birth")

    with pytest.raises(InputError):
        reporting.write_single_run(tmp_path, short_config, run)
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert "roster.csv, line 3, column 'birth': bad row" in manifest["error"]


def test_bad_roster_through_the_model_marks_the_folder_failed(tmp_path, short_config):
    path = tmp_path / "roster.csv"
    df = sim.synthetic_roster(short_config).head(10)
    df.loc[2, "sex"] = "X"
    df.to_csv(path, index=False)
    cfg = dataclasses.replace(short_config, roster=str(path))
    out = tmp_path / "run"
    with pytest.raises(InputError, match="column 'sex'"):
        reporting.write_single_run(out, cfg, lambda: sim.simulate(cfg))
    assert _status(out) == "failed"
    assert not is_complete(out)


def test_crash_in_the_middle_of_the_simulation_is_not_complete(tmp_path, short_config, monkeypatch):
    step = CadreModel.step
    months = itertools.count(1)

    def crashing_step(self):
        if next(months) == 4:
            raise RuntimeError("simulated crash in month 4")
        step(self)

    monkeypatch.setattr(CadreModel, "step", crashing_step)
    with pytest.raises(RuntimeError, match="simulated crash"):
        reporting.write_single_run(tmp_path, short_config, lambda: sim.simulate(short_config))
    assert _status(tmp_path) in ("running", "failed")
    assert not (tmp_path / "timeseries.parquet").exists()


@pytest.mark.parametrize("writer", ["figures", "report", "summary"])
def test_crash_while_writing_outputs_is_not_complete(tmp_path, short_config, monkeypatch, writer):
    """A writer that fails (disk full, a plotting error) leaves the folder incomplete."""

    def boom(*args, **kwargs):
        raise OSError(28, "No space left on device")

    if writer == "figures":
        monkeypatch.setattr(reporting, "single_run_figures", boom)
    elif writer == "report":
        monkeypatch.setattr(reporting, "single_run_report", boom)
    else:
        monkeypatch.setattr(reporting.pd.DataFrame, "to_csv", boom)
    with pytest.raises(OSError, match="No space left"):
        reporting.write_single_run(tmp_path, short_config, lambda: sim.simulate(short_config))
    assert _status(tmp_path) in ("running", "failed")
    assert not is_complete(tmp_path)


def test_manifest_is_replaced_atomically(tmp_path, monkeypatch):
    """The manifest is written to a temporary file and renamed: a failure while writing
    leaves the previous manifest intact, and a torn file never reads as complete."""
    folder = RunFolder(tmp_path, sim.SimConfig(), experiment="run", seeds=[0])
    assert _status(tmp_path) == "running"

    real_replace = os.replace

    def failing_replace(src, dst):
        raise OSError("killed before the rename")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        folder.complete()
    monkeypatch.setattr(os, "replace", real_replace)
    assert _status(tmp_path) == "running"
    assert not is_complete(tmp_path)
    # a torn manifest (half a JSON document) is not complete either
    (tmp_path / "manifest.json").write_text('{"experiment": "run", "status": "compl')
    assert not is_complete(tmp_path)
    write_json_atomic(tmp_path / "manifest.json", {"status": "complete"})
    assert is_complete(tmp_path)
