"""Faults only a real process can show (GitHub issue 16): a comparison's worker
processes die with their parent however it dies (SIGKILL, SIGTERM), a SIGTERM marks the
run folder failed with "interrupted ... rerun to finish", and a second comparison into
a folder that a running one holds is refused.

These start real ``python -m experiments.compare`` processes with 2 workers; the rest
of the fault tests run in-process (tests/test_faults.py).
"""

from __future__ import annotations

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from clitools import ROOT, plain_env

from sim.output.run_folder import LOCK_NAME

# runs to 2035 take several seconds each, so the workers are in the middle of one when
# the main process is stopped (a worker between runs would notice its parent's end anyway)
# long enough (80 runs to 2035, about 20 s on 2 workers) that a signal sent after the
# in-process checks of a test still lands while runs are going on
ARGS = ["scenarios=[baseline,merge_offices]", "replications=40", "end=2035-12", "workers=2"]
BUSY_TICKS = 250  # CPU time (1/100 s) of a worker past its imports, inside a run


def _children() -> dict[int, list[int]]:
    out: dict[int, list[int]] = {}
    for d in Path("/proc").iterdir():
        if d.name.isdigit():
            try:
                ppid = int((d / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            out.setdefault(ppid, []).append(int(d.name))
    return out


def descendants(pid: int) -> list[int]:
    """Every process started (directly or not) by ``pid``: workers, resource tracker."""
    children, out, todo = _children(), [], [pid]
    while todo:
        for c in children.get(todo.pop(), []):
            out.append(c)
            todo.append(c)
    return out


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (OSError, IndexError):
        return False
    return state != "Z"  # a zombie has ended; it only waits to be reaped


def _cpu_ticks(pid: int) -> int:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def start_comparison(out: Path) -> tuple[subprocess.Popen, list[int]]:
    """A comparison with 2 workers, once both workers are busy simulating.

    Its stderr goes to a file (``out.parent / "stderr.txt"``): a pipe closed by the test
    would kill a worker at its next write and hide whether it dies with its parent.
    """
    err = open(out.parent / "stderr.txt", "wb")  # noqa: SIM115 (closed by the test's end)
    cmd = [sys.executable, "-m", "experiments.compare", f"hydra.run.dir={out}", *ARGS]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=plain_env(), stdout=subprocess.DEVNULL, stderr=err)
    err.close()  # the child holds its own copy
    deadline = time.monotonic() + 240
    workers: list[int] = []
    busy = 0
    while time.monotonic() < deadline and proc.poll() is None:
        workers = [p for p in descendants(proc.pid) if alive(p)]  # 2 workers and the resource tracker
        busy = sum(_cpu_ticks(p) > BUSY_TICKS for p in workers)
        if busy >= 2:
            break
        time.sleep(0.1)
    if proc.poll() is not None or busy < 2:
        proc.kill()
        pytest.fail(f"the comparison did not get going: {(out.parent / 'stderr.txt').read_text()[-2000:]}")
    saved = len(list((out / "parts").glob("*.parquet")))
    assert saved < 40, f"the comparison is too short: {saved} of its 80 runs are already saved"
    return proc, workers


def wait_all_gone(pids: list[int], seconds: float) -> list[int]:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        left = [p for p in pids if alive(p)]
        if not left:
            return []
        time.sleep(0.1)
    return [p for p in pids if alive(p)]


def test_sigkill_of_the_main_process_leaves_no_worker_alive(tmp_path):
    out = tmp_path / "cmp"
    proc, workers = start_comparison(out)
    assert len(workers) >= 3, workers
    proc.send_signal(signal.SIGKILL)  # as the out-of-memory killer or a node failure would
    proc.wait(timeout=30)
    # the workers are in the middle of a run: without the parent-death watch they would
    # finish it and the runs queued for them (a minute or more) before they notice
    left = wait_all_gone(workers, 10.0)
    assert left == [], f"processes still alive 10 s after the main process was killed: {left}"
    assert json.loads((out / "manifest.json").read_text())["status"] == "running"
    assert json.loads((out / LOCK_NAME).read_text())["pid"] == proc.pid  # stale now; the next run breaks it


def test_sigterm_stops_the_workers_and_marks_the_folder_interrupted(tmp_path, in_process):
    out = tmp_path / "cmp"
    proc, workers = start_comparison(out)
    try:
        # a second comparison into the same folder, while the first runs: refused
        hydra_before = (out / ".hydra" / "overrides.yaml").read_text()
        second = in_process("experiments.compare", "scenarios=[baseline]", "replications=2", "end=2019-03", run_dir=out)
        assert second.code == 2, second.stderr
        assert f"the run folder is in use by another command (pid {proc.pid} on host" in second.message
        assert json.loads((out / "manifest.json").read_text())["status"] == "running"  # the first one's
        assert (out / ".hydra" / "overrides.yaml").read_text() == hydra_before  # Hydra's overwrite undone
    finally:
        proc.send_signal(signal.SIGTERM)  # what Slurm sends at the time limit
    try:
        proc.wait(timeout=60)
    finally:
        if proc.poll() is None:
            proc.kill()
    err = (tmp_path / "stderr.txt").read_text()
    assert proc.returncode == 128 + signal.SIGTERM, err
    assert "cadresim: interrupted (SIGTERM)" in err and "Traceback" not in err, err
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "failed"
    assert manifest["error"].startswith("interrupted (SIGTERM) with ") and "rerun the same command" in manifest["error"]
    assert (out / ".hydra" / "overrides.yaml").read_text() == hydra_before
    assert not (out / LOCK_NAME).exists()
    assert wait_all_gone(workers, 10.0) == []
