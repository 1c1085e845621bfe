"""Faults a run folder survives (GitHub issue 16), in this process: resume keyed on the
contents of the inputs, one writer per folder, interruptions and crashes recorded
honestly, damaged parts detected and rerun, int64 seeds, seed-dependent scenarios
checked for every replicate, environment errors in one line, damaged sweep jobs.

The command lines run in-process (the ``in_process`` fixture, as in
tests/test_bad_inputs.py); what only a real process can show (SIGKILL, SIGTERM from
outside, orphaned workers) is in tests/test_faults_processes.py.
"""

from __future__ import annotations

import errno
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from clitools import assert_user_error

import sim
from sim.core.errors import ConfigError, FolderError, Interrupted
from sim.output import run_folder as rf
from sim.output.run_folder import LOCK_NAME, RunFolder, write_json_atomic
from sim.studies import parts as parts_module
from sim.studies import runner
from sim.studies.compare import check_plans, replicate_seeds, run_comparison, scenario_configs
from sim.studies.parts import PartStore, RunOutput
from sim.studies.runner import config_digest, run_key
from sim.studies.sweep import gather_sweep

END = "end=2019-06"  # after the merger of merge_offices (2019-05)


@pytest.fixture(autouse=True)
def _no_figures(no_figures):
    """Figures are not what these tests are about, and they are most of a run's time
    (conftest.py's ``no_figures``)."""


def manifest(folder: Path) -> dict:
    return json.loads((folder / "manifest.json").read_text())


@pytest.fixture(scope="module")
def roster_file(tmp_path_factory) -> Path:
    """A small roster (200 cadres), so that every run here takes a fraction of a second."""
    path = tmp_path_factory.mktemp("roster") / "roster.csv"
    sim.synthetic_roster(sim.load_config([END])).head(200).to_csv(path, index=False)
    return path


def compare_args(roster: Path, *more: str) -> list[str]:
    return ["scenarios=[baseline,merge_offices]", "replications=2", END, "workers=1", f"roster={roster}", *more]


def interrupt_after(monkeypatch, n: int, exc: BaseException) -> None:
    """The study runner's n+1-th run raises ``exc`` (as a signal or a bug would)."""
    real, calls = runner.run_one, []

    def run_one(*args, **kwargs):
        calls.append(1)
        if len(calls) > n:
            raise exc
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_one", run_one)


@pytest.fixture(scope="module")
def complete_dir(tmp_path_factory, roster_file):
    """A complete comparison (2 scenarios x 2 replicates) on the small roster."""
    from clitools import run_in_process

    from sim.output import comparison_report

    out = tmp_path_factory.mktemp("complete") / "cmp"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CADRESIM_TRACEBACK", raising=False)
        mp.setattr(comparison_report, "report_figures", lambda *a, **k: [])
        p = run_in_process(mp, "experiments.compare", *compare_args(roster_file), run_dir=out)
    assert p.code == 0, p.stderr
    return out


def copy_of(folder: Path, tmp_path: Path) -> Path:
    dest = tmp_path / "copy"
    shutil.copytree(folder, dest)
    return dest


# --------------------------------------------------------------------------- resume keyed on contents
def test_interrupt_then_edit_the_roster_then_resume_is_refused(in_process, tmp_path, roster_file, monkeypatch):
    roster = tmp_path / "roster.csv"
    shutil.copy(roster_file, roster)
    out = tmp_path / "cmp"
    with monkeypatch.context() as mp:
        interrupt_after(mp, 1, Interrupted("SIGTERM"))
        first = in_process("experiments.compare", *compare_args(roster), run_dir=out)
    assert first.code == 128 + signal.SIGTERM, first.stderr
    m = manifest(out)
    assert m["status"] == "failed"
    assert "interrupted (SIGTERM) with 1 of 4 runs saved in parts/; rerun the same command" in m["error"]
    assert len(list((out / "parts").glob("*.parquet"))) == 1
    assert not (out / LOCK_NAME).exists()
    before = (out / "manifest.json").read_bytes()

    text = roster.read_text().splitlines()
    cells = text[5].split(",")
    cells[-2] = "0.1234"  # another competence for one cadre
    text[5] = ",".join(cells)
    roster.write_text("\n".join(text) + "\n")
    refused = in_process("experiments.compare", *compare_args(roster), run_dir=out)
    assert_user_error(refused, "cannot resume into this folder: the inputs changed", f"baseline: roster file {roster}", "its contents changed")
    assert (out / "manifest.json").read_bytes() == before  # the interrupted run's record is kept as it was
    assert len(list((out / "parts").glob("*.parquet"))) == 1

    shutil.copy(roster_file, roster)  # the inputs as they were: the resume finishes the run
    again = in_process("experiments.compare", *compare_args(roster), run_dir=out)
    assert again.code == 0, again.stderr
    m = manifest(out)
    assert m["status"] == "complete" and m["runs_loaded_from_parts"] == 1 and m["runs_simulated"] == 3
    assert m["resumed_from"]["status"] == "failed"


@pytest.mark.parametrize(
    "change,named",
    [
        ("policy.selection.rule=random", "policy"),
        ("end=2019-07", "start, end or seed"),
        ("org.population.local_share=0.5", "organisation"),
    ],
)
def test_resume_with_another_config_is_refused_naming_what_changed(in_process, tmp_path, complete_dir, roster_file, change, named):
    out = copy_of(complete_dir, tmp_path)
    before = (out / "manifest.json").read_bytes()
    p = in_process("experiments.compare", *compare_args(roster_file), change, run_dir=out)
    assert p.code == 2, p.stderr
    assert "cannot resume into this folder" in p.message and f"baseline: {named}" in p.message, p.message
    assert (out / "manifest.json").read_bytes() == before  # still the complete comparison
    assert manifest(out)["status"] == "complete"


def test_more_replicates_reuse_the_saved_runs(in_process, tmp_path, complete_dir, roster_file):
    out = copy_of(complete_dir, tmp_path)
    args = [a for a in compare_args(roster_file) if not a.startswith("replications")]
    p = in_process("experiments.compare", *args, "replications=3", run_dir=out)
    assert p.code == 0, p.stderr
    m = manifest(out)
    assert m["runs_loaded_from_parts"] == 4 and m["runs_simulated"] == 2


def test_manifest_records_the_hash_of_every_input(complete_dir, roster_file):
    m = manifest(complete_dir)
    sha = hashlib.sha256(roster_file.read_bytes()).hexdigest()
    for name in ("baseline", "merge_offices"):
        inputs = m["inputs"][name]
        assert inputs["roster"] == {"path": str(roster_file), "sha256": sha}
        assert set(inputs) == {"roster", "org", "scenario", "policy", "horizon_and_seed"}
    assert m["inputs"]["baseline"]["scenario"] != m["inputs"]["merge_offices"]["scenario"]
    assert m["inputs"]["baseline"]["policy"] == m["inputs"]["merge_offices"]["policy"]


def test_a_run_key_changes_with_the_roster_contents_not_its_path(tmp_path, roster_file):
    a = tmp_path / "a.csv"
    shutil.copy(roster_file, a)
    cfg = sim.load_config([END, f"roster={a}"])
    key = run_key(cfg, 3)
    a.write_text(a.read_text().replace("M", "F", 1))
    assert run_key(cfg, 3) != key
    assert run_key(cfg, 3, config_digest(cfg)) == run_key(cfg, 3)


# --------------------------------------------------------------------------- one writer per folder
@pytest.fixture()
def live_pid():
    """A live process on this host (holds a lock in the tests)."""
    proc = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield proc.pid
    proc.kill()
    proc.wait()


def write_lock(folder: Path, **fields) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    rec = {"pid": 1, "host": socket.gethostname(), "process_start": None, "token": "t0", "since": "2026-01-01T00:00:00", "command": "compare"}
    rec.update(fields)
    (folder / LOCK_NAME).write_text(json.dumps(rec))


def test_a_second_writer_is_refused_and_the_holders_files_are_kept(in_process, tmp_path, live_pid):
    out = tmp_path / "run"
    (out / ".hydra").mkdir(parents=True)
    (out / ".hydra" / "overrides.yaml").write_text("- end=2019-02\n")
    (out / rf.HYDRA_BACKUP).mkdir()
    (out / rf.HYDRA_BACKUP / "overrides.yaml").write_text("- end=2019-02\n")
    write_json_atomic(out / "manifest.json", {"status": "running", "experiment": "run"})
    write_lock(out, pid=live_pid, process_start=rf._process_start(live_pid))
    p = in_process("experiments.run", END, run_dir=out)
    assert p.code == 2 and "Traceback" not in p.stderr and p.stderr.count("cadresim: error:") == 1, p.stderr
    for fragment in (str(out), "the run folder is in use by another command", f"pid {live_pid} on host {socket.gethostname()}"):
        assert fragment in p.message
    assert manifest(out) == {"status": "running", "experiment": "run"}  # the holder's manifest is untouched
    assert (out / ".hydra" / "overrides.yaml").read_text() == "- end=2019-02\n"  # Hydra's overwrite undone
    assert json.loads((out / LOCK_NAME).read_text())["pid"] == live_pid


def test_a_lock_from_another_host_needs_the_break_flag(in_process, tmp_path, monkeypatch):
    out = tmp_path / "run"
    write_lock(out, host="node-elsewhere-17", pid=4242)
    p = in_process("experiments.run", END, run_dir=out)
    assert_user_error(p, "in use by another command (pid 4242 on host node-elsewhere-17", "rerun with CADRESIM_BREAK_LOCK=1")
    monkeypatch.setenv("CADRESIM_BREAK_LOCK", "1")
    p = in_process("experiments.run", END, run_dir=out)
    assert p.code == 0, p.stderr
    assert "broke a stale lock" in p.stderr and "broken on request (CADRESIM_BREAK_LOCK=1)" in p.stderr
    assert manifest(out)["status"] == "complete"


@pytest.mark.parametrize("kind", ["dead pid", "reused pid", "empty lock file", "earlier run in this process"])
def test_a_stale_lock_is_broken_and_reported(in_process, tmp_path, live_pid, capsys, kind):
    out = tmp_path / "run"
    if kind == "dead pid":
        dead = subprocess.Popen([sys.executable, "-c", "pass"])
        dead.wait()
        write_lock(out, pid=dead.pid)
        why = f"process {dead.pid} is no longer running"
    elif kind == "reused pid":
        write_lock(out, pid=live_pid, process_start="1")  # the pid's process started later than the lock
        why = f"pid {live_pid} now belongs to another process"
    elif kind == "empty lock file":
        out.mkdir(parents=True)
        (out / LOCK_NAME).write_text("")
        os.utime(out / LOCK_NAME, (0, 0))
        why = "the lock file is empty or unreadable"
    else:
        write_lock(out, pid=os.getpid(), process_start=rf._process_start(os.getpid()), token="gone")
        why = "left by an earlier run in this process"
    if kind == "dead pid":  # through the command line, as a resume after a kill does
        p = in_process("experiments.run", END, run_dir=out)
        assert p.code == 0, p.stderr
        stderr = p.stderr
    else:  # the folder directly (the same code path, without a run)
        RunFolder(out, sim.SimConfig(), experiment="run", seeds=[0]).complete()
        stderr = capsys.readouterr().err
    assert "cadresim: warning:" in stderr and "broke a stale lock" in stderr and why in stderr, stderr
    m = manifest(out)
    assert m["status"] == "complete" and why in m["stale_lock_broken"]
    assert not (out / LOCK_NAME).exists()


def test_the_lock_is_taken_and_released(tmp_path):
    cfg = sim.SimConfig()
    folder = RunFolder(tmp_path, cfg, experiment="run", seeds=[0])
    lock = json.loads((tmp_path / LOCK_NAME).read_text())
    assert lock["pid"] == os.getpid() and lock["host"] == socket.gethostname()
    with pytest.raises(FolderError, match="in use by another command"):
        RunFolder(tmp_path, cfg, experiment="run", seeds=[0])  # a second writer, even in this process
    folder.complete()
    assert not (tmp_path / LOCK_NAME).exists()
    again = RunFolder(tmp_path, cfg, experiment="run", seeds=[0])
    again.fail("bad input")
    assert not (tmp_path / LOCK_NAME).exists()
    assert manifest(tmp_path)["status"] == "failed"


def test_a_failed_run_releases_its_lock(in_process, tmp_path):
    out = tmp_path / "run"
    bad = tmp_path / "bad.csv"
    bad.write_text("cadre_id,birth,sex,unit,post\nC1,1970-01,X,P.organisation,specialist\n")
    p = in_process("experiments.run", END, f"roster={bad}", run_dir=out)
    assert_user_error(p, "sex 'X' must be M or F")
    assert p.status == "failed" and not (out / LOCK_NAME).exists()


def test_temporary_files_have_unique_names(tmp_path, monkeypatch):
    names = []
    real = pq.write_table

    def spy(table, where, **kw):
        names.append(Path(where).name)
        return real(table, where, **kw)

    monkeypatch.setattr(parts_module.pq, "write_table", spy)
    store = PartStore(tmp_path)
    ts = pd.DataFrame({"month": ["2019-01"], "x": [1.0]})
    store.save(RunOutput("baseline", 0, 0, ts, {"x": 1.0}), "k")
    store.save(RunOutput("baseline", 0, 0, ts, {"x": 1.0}), "k")
    assert len(set(names)) == 2 and all(n.startswith(".baseline__r00000.parquet.") and n.endswith(".tmp") for n in names)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["baseline__r00000.parquet"]  # no temporary left
    assert rf._tmp_name(tmp_path / "manifest.json") != rf._tmp_name(tmp_path / "manifest.json")


# --------------------------------------------------------------------------- interruptions and crashes
def test_sighup_stops_a_comparison_like_ctrl_c(in_process, tmp_path, roster_file, monkeypatch):
    out = tmp_path / "cmp"
    real, calls = runner.run_one, []

    def run_one(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            os.kill(os.getpid(), signal.SIGHUP)  # as a closed terminal or a scheduler would send
        return real(*args, **kwargs)

    monkeypatch.setattr(runner, "run_one", run_one)
    handler = signal.getsignal(signal.SIGHUP)
    p = in_process("experiments.compare", *compare_args(roster_file), run_dir=out)
    assert p.code == 128 + signal.SIGHUP, p.stderr
    assert "cadresim: interrupted (SIGHUP)" in p.stderr and "Traceback" not in p.stderr
    m = manifest(out)
    assert m["status"] == "failed" and m["error"].startswith("interrupted (SIGHUP) with ")
    assert "rerun the same command with hydra.run.dir=" in m["error"] and not (out / LOCK_NAME).exists()
    assert signal.getsignal(signal.SIGHUP) == handler  # the handler is put back


def test_a_crash_is_recorded_as_a_failure_without_telling_to_rerun(in_process, tmp_path, roster_file, monkeypatch):
    out = tmp_path / "cmp"
    interrupt_after(monkeypatch, 1, RuntimeError("an index out of range in month 7"))
    p = in_process("experiments.compare", *compare_args(roster_file), run_dir=out)
    assert p.code == "uncaught RuntimeError"
    m = manifest(out)
    assert m["status"] == "failed"
    assert m["error"].startswith("crashed (RuntimeError: an index out of range in month 7) with 1 of 4 runs saved")
    assert "a rerun would crash again" in m["error"] and "to finish" not in m["error"]
    assert not (out / LOCK_NAME).exists()


@pytest.mark.parametrize("fault", ["SIGTERM", "crash"])
def test_a_single_run_records_interruptions_and_crashes(in_process, tmp_path, monkeypatch, fault):
    import experiments.run as entry

    def simulate(cfg):
        if fault == "SIGTERM":
            os.kill(os.getpid(), signal.SIGTERM)
        raise RuntimeError("a fault inside the model")

    monkeypatch.setattr(entry, "simulate", simulate)
    out = tmp_path / "run"
    p = in_process("experiments.run", END, run_dir=out)
    m = manifest(out)
    assert m["status"] == "failed"
    if fault == "SIGTERM":
        assert p.code == 128 + signal.SIGTERM
        assert m["error"].startswith("interrupted (SIGTERM); rerun the same command")
    else:
        assert p.code == "uncaught RuntimeError"
        assert m["error"].startswith("crashed (RuntimeError: a fault inside the model)")
    assert not (out / LOCK_NAME).exists()


# --------------------------------------------------------------------------- integrity of saved parts
def _part(folder: Path, name: str = "baseline__r00001.parquet") -> Path:
    return folder / "parts" / name


def _flipped(data: bytes, at: int) -> bytes:
    out = bytearray(data)
    out[at] ^= 0x10
    return bytes(out)


def test_a_flipped_bit_anywhere_in_a_part_is_never_loaded_silently(complete_dir, tmp_path):
    """Flip one bit at 60 places through a saved part: each load either refuses the part
    (it is run again) or gives exactly the saved run (the bit was in unused padding or
    in statistics), never a changed table."""
    good = PartStore(complete_dir / "parts")
    name = "baseline__r00001.parquet"
    key = json.loads(pq.read_schema(good.path / name).metadata[b"cadresim_run"])["key"]
    saved = good.load("baseline", 1, key)
    data = (good.path / name).read_bytes()
    refused = 0
    for at in np.linspace(4, len(data) - 5, 60).astype(int):
        store = PartStore(tmp_path / f"p{at}")
        (store.path / name).write_bytes(_flipped(data, int(at)))
        out = store.load("baseline", 1, key)
        if out is None:
            refused += 1  # damaged (store.problems says why), or its key no longer matches
        else:
            pd.testing.assert_frame_equal(out.timeseries, saved.timeseries)
            assert out.summary == saved.summary
    assert refused >= 20  # most of the file is data, checked on every read


def test_a_damaged_part_is_reported_and_its_run_redone(in_process, tmp_path, complete_dir, roster_file):
    out = copy_of(complete_dir, tmp_path)
    f = _part(out)
    key = json.loads(pq.read_schema(f).metadata[b"cadresim_run"])["key"]
    data = f.read_bytes()
    for at in range(len(data) // 4, len(data)):  # the first flip that the store detects
        probe = PartStore(tmp_path / "probe")
        (probe.path / f.name).write_bytes(_flipped(data, at))
        if probe.load("baseline", 1, key) is None and f.name in probe.problems:
            break
    f.write_bytes(_flipped(data, at))
    p = in_process("experiments.compare", *compare_args(roster_file), run_dir=out)
    assert p.code == 0, p.stderr
    assert "cadresim: warning: part baseline__r00001.parquet is" in p.stderr and "running it again" in p.stderr
    m = manifest(out)
    assert m["runs_simulated"] == 1 and m["runs_loaded_from_parts"] == 3 and list(m["parts_rerun"]) == ["baseline__r00001.parquet"]
    pd.testing.assert_frame_equal(pd.read_parquet(out / "timeseries.parquet"), pd.read_parquet(complete_dir / "timeseries.parquet"))


def test_a_part_whose_values_changed_fails_its_checksum(tmp_path):
    store = PartStore(tmp_path)
    ts = pd.DataFrame({"month": ["2019-01", "2019-02"], "headcount": [100, 101], "seed": np.array([3, 3], np.int64)})
    store.save(RunOutput("baseline", 0, 3, ts, {"headcount_end": 101.0}), "k")
    assert store.load("baseline", 0, "k") is not None and store.problems == {}
    # a well-formed file with another value and the old metadata: only the checksum can tell
    table = pq.read_table(store.file("baseline", 0))
    changed = table.set_column(1, "headcount", pa.array([100, 999], pa.int64())).replace_schema_metadata(table.schema.metadata)
    pq.write_table(changed, store.file("baseline", 0))
    assert store.load("baseline", 0, "k") is None
    assert store.problems == {"baseline__r00000.parquet": "checksum mismatch (the file's data changed after it was saved)"}


def test_seeds_are_int64_and_checked_to_fit(roster_file):
    cfgs = scenario_configs(["baseline"], [END, f"roster={roster_file}"])
    comp = run_comparison(cfgs, replicate_seeds(2**53, 2), workers=1, progress=False)
    assert comp.timeseries["seed"].dtype == np.int64 and comp.runs["seed"].dtype == np.int64
    assert sorted(comp.timeseries["seed"].unique()) == [2**53, 2**53 + 1]  # distinct (float64 would merge them)
    assert replicate_seeds(2**63 - 3, 3)[-1] == 2**63 - 1
    with pytest.raises(ConfigError, match=r"replicate seeds seed\.\.seed\+2 must lie in 0\.\.9223372036854775807"):
        replicate_seeds(2**63 - 2, 3)


def test_compare_refuses_replicate_seeds_beyond_int64(in_process, roster_file):
    p = in_process("experiments.compare", *compare_args(roster_file), f"seed={2**63 - 1}")
    assert_user_error(p, "seed = 9223372036854775807 with replications = 2", "stored as int64")
    assert p.status is None  # refused before the folder was started


# --------------------------------------------------------------------------- seed-dependent scenarios
RANDOM_TWICE = (
    "scenario.actions=[{kind:abolish_level,month:'2019-01',level:district,districts:2},"
    "{kind:abolish_level,month:'2019-02',level:district,districts:[QP,TB]}]"
)


def test_a_scenario_valid_for_some_seeds_only_is_refused_before_the_comparison(in_process, roster_file, tmp_path):
    # seed 0 picks two districts other than QP and TB; seed 1 picks one of them
    single = in_process("experiments.run", END, f"roster={roster_file}", RANDOM_TWICE, "seed=0")
    assert single.code == 0, single.stderr
    # a comparison takes its scenarios from files (scenario.* overrides are refused there)
    folder = tmp_path / "my_scenarios"
    (folder / "scenario").mkdir(parents=True)
    (folder / "scenario" / "random_twice.yaml").write_text(
        "name: random_twice\n"
        "description: two random districts abolished, then two named ones\n"
        "source: test\n"
        "actions:\n"
        "  - {kind: abolish_level, month: '2019-01', level: district, districts: 2}\n"
        "  - {kind: abolish_level, month: '2019-02', level: district, districts: [QP, TB]}\n",
        encoding="utf-8",
    )
    p = in_process(
        "experiments.compare",
        "scenarios=[baseline,random_twice]",
        f"hydra.searchpath=[file://{folder}]",
        "replications=3",
        END,
        f"roster={roster_file}",
        "workers=1",
    )
    assert_user_error(
        p, "scenario random_twice (replicate 1, seed 1: the districts it picks at random depend on the seed)", "has no units left at 2019-02"
    )
    assert not list((p.run_dir / "parts").glob("*.parquet"))  # nothing was run


def test_the_plan_check_uses_the_models_own_stream():
    """check_plans refuses exactly the seeds for which the model itself fails to plan."""
    from sim.model import CadreModel

    cfg = sim.load_config(["end=2019-03", RANDOM_TWICE])
    outcomes = []
    for seed in range(3):
        try:
            check_plans({"x": cfg}, [seed])
            checked = None
        except ConfigError as err:
            checked = str(err)
        try:
            CadreModel(cfg, seed=seed)
            modelled = None
        except ConfigError as err:
            modelled = str(err)
        assert (checked is None) == (modelled is None), (seed, checked, modelled)
        assert checked is None or checked.endswith(modelled)
        outcomes.append(modelled is None)
    assert outcomes == [True, False, False]


# --------------------------------------------------------------------------- environment errors
def test_a_run_folder_that_is_a_file(in_process, tmp_path):
    out = tmp_path / "file"
    out.write_text("not a folder")
    p = in_process("experiments.run", END, run_dir=out)
    assert p.code == 2 and "Traceback" not in p.stderr
    assert p.stderr.count("cadresim: error:") == 1 and str(out) in p.message and "a file is in the way" in p.message
    assert out.read_text() == "not a folder"


def test_a_read_only_results_folder(in_process, tmp_path, monkeypatch):
    out = tmp_path / "ro" / "run"
    real = Path.mkdir

    def mkdir(self, *a, **kw):
        if str(self).startswith(str(tmp_path / "ro")):
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(self))
        return real(self, *a, **kw)

    monkeypatch.setattr(Path, "mkdir", mkdir)
    p = in_process("experiments.run", END, run_dir=out)
    assert p.code == 2 and "Traceback" not in p.stderr
    assert p.message.strip() == f"cadresim: error: {out}: read-only file system"


def test_a_full_disk_while_saving_parts(in_process, tmp_path, roster_file, monkeypatch):
    out = tmp_path / "cmp"
    real, calls = pq.write_table, []

    def write_table(table, where, **kw):
        calls.append(1)
        if len(calls) > 1:  # as pyarrow reports it: an errno, no file name
            raise OSError(errno.ENOSPC, "Error writing bytes to file. Detail: [errno 28] No space left on device")
        return real(table, where, **kw)

    monkeypatch.setattr(parts_module.pq, "write_table", write_table)
    p = in_process("experiments.compare", *compare_args(roster_file), run_dir=out)
    assert p.code == 1 and "Traceback" not in p.stderr
    assert p.stderr.count("cadresim: error:") == 1 and "no space left on the device" in p.message
    assert f"{out}/parts/.baseline__r00001.parquet." in p.message  # the file being written, named
    m = manifest(out)
    assert m["status"] == "failed" and "no space left on the device; stopped with 1 of 4 runs saved in parts/" in m["error"]
    assert "fix that, then rerun the same command" in m["error"]
    assert len(list((out / "parts").glob("*.parquet"))) == 1 and not list((out / "parts").glob(".*.tmp"))
    monkeypatch.setattr(parts_module.pq, "write_table", real)  # space again: the resume finishes
    again = in_process("experiments.compare", *compare_args(roster_file), run_dir=out)
    assert again.code == 0 and manifest(out)["runs_loaded_from_parts"] == 1


def test_a_full_disk_when_the_manifest_is_first_written(in_process, tmp_path, monkeypatch):
    def full(path, data):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(rf, "write_bytes_atomic", full)
    out = tmp_path / "run"
    p = in_process("experiments.run", END, run_dir=out)
    assert_user_error(p, f"{out}: cannot write the run folder: {out}/", ": no space left on the device")
    assert not (out / LOCK_NAME).exists()


# --------------------------------------------------------------------------- damaged sweep jobs
def _job(root: Path, n: int, value: float) -> Path:
    job = root / str(n)
    (job / ".hydra").mkdir(parents=True)
    (job / ".hydra" / "overrides.yaml").write_text(f"- policy.selection.noise_sd={value}\n")
    pd.DataFrame({"month": ["2019-01"], "scenario": ["baseline"], "seed": [0], "headcount": [10 + n]}).to_parquet(job / "timeseries.parquet")
    pd.DataFrame({"scenario": ["baseline"], "seed": [0], "metric": ["headcount_end"], "value": [10.0 + n]}).to_csv(job / "summary.csv", index=False)
    write_json_atomic(job / "manifest.json", {"status": "complete"})
    return job


@pytest.mark.parametrize(
    "damage,reason",
    [
        (lambda job: (job / "timeseries.parquet").write_bytes(b"PAR1 torn"), "unreadable (ArrowInvalid"),
        (lambda job: pd.DataFrame({"month": []}).to_parquet(job / "timeseries.parquet"), "timeseries.parquet has no rows"),
        (lambda job: (job / ".hydra" / "overrides.yaml").write_text("- [unclosed\n"), "unreadable (InputError"),
    ],
    ids=["torn parquet", "empty timeseries", "broken overrides.yaml"],
)
def test_a_damaged_sweep_job_is_skipped_with_its_reason(tmp_path, damage, reason):
    for n, v in enumerate([0.1, 0.2, 0.3]):
        _job(tmp_path, n, v)
    damage(tmp_path / "1")
    sweep = gather_sweep(tmp_path)
    assert list(sweep.runs["job"]) == ["0", "2"]
    assert sweep.skipped["1"].startswith(reason), sweep.skipped


# --------------------------------------------------------------------------- rosters
def test_a_roster_without_entry_column_does_not_blame_it(in_process, tmp_path, roster_file):
    df = pd.read_csv(roster_file, dtype=str, keep_default_na=False).drop(columns=["entry"])
    df.loc[df["post"] == "specialist", "birth"] = "1998-01"  # 20 at the start: younger than the default entry age
    path = tmp_path / "young.csv"
    df.to_csv(path, index=False)
    p = in_process("experiments.run", END, f"roster={path}")
    assert p.code == 0, p.stderr
