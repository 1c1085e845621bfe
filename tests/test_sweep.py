"""Hydra multiruns of experiments.run (basic, joblib, submitit_local launchers; the Slurm
launcher config) and gathering a multirun with experiments.sweep, all started in this
process (clitools.run_in_process, the ``in_process`` fixture); joblib and submitit
start their own worker processes."""

import json
import shutil
from pathlib import Path

import pandas as pd
import pytest
import yaml
from clitools import run_in_process
from hydra import compose, initialize_config_dir

import sim
from sim.core.errors import InputError
from sim.params.compose import CONFIG_DIR
from sim.studies.sweep import gather_sweep, job_overrides, run_sweep

ROOT = Path(__file__).resolve().parent.parent
# `-m` as an override: the in-process runner puts hydra.run.dir= first, after which argparse
# takes no more flags; Hydra reads hydra.mode in its first composition (single_compose=False)
MULTIRUN = "hydra.mode=MULTIRUN"
# jobs in other processes (joblib, submitit) draw no figures: these tests read the jobs'
# tables (test_cli checks a run's figures); in this process grid_sweep patches them out
NO_FIGURES = "report.figures=false"


def _complete_jobs(sweep_dir: Path) -> list[Path]:
    jobs = sorted(p for p in sweep_dir.iterdir() if (p / ".hydra").is_dir())
    for job in jobs:
        assert json.loads((job / "manifest.json").read_text())["status"] == "complete", job
    return jobs


@pytest.fixture(scope="module")
def grid_sweep(tmp_path_factory):
    """seed=range(0,2) x policy.selection.rule=merit,random with the basic launcher."""
    from sim.output import report

    sweep_dir = tmp_path_factory.mktemp("mr") / "basic"
    with pytest.MonkeyPatch.context() as mp:
        # the jobs' own figures are not read here (test_cli checks a run's figures)
        mp.setattr(report, "single_run_figures", lambda *a, **k: [])
        p = run_in_process(mp, "experiments.run", MULTIRUN, "seed=range(0,2)", "policy.selection.rule=merit,random",
                           "end=2019-06", f"hydra.sweep.dir={sweep_dir}", run_dir=sweep_dir.parent / "run",
                           single_compose=False)  # fmt: skip
    assert p.code == 0, p.stderr
    return sweep_dir


def test_basic_multirun_writes_one_complete_run_folder_per_job(grid_sweep):
    jobs = _complete_jobs(grid_sweep)
    assert len(jobs) == 4
    combos = set()
    for job in jobs:
        ov = yaml.safe_load((job / ".hydra" / "overrides.yaml").read_text())
        combos.add(tuple(sorted(ov)))
        ts = pd.read_parquet(job / "timeseries.parquet")
        seed = int(next(o for o in ov if o.startswith("seed=")).split("=")[1])
        assert (ts["seed"] == seed).all() and ts["month"].iloc[-1] == "2019-06"
    assert len(combos) == 4  # every combination exactly once


def test_joblib_multirun_on_local_cores(in_process, tmp_path):
    """Two workers for four jobs: each worker runs two, and a reused worker carries
    nothing from one job to the next (every job's table is the library's own run)."""
    sweep_dir = tmp_path / "joblib"
    p = in_process("experiments.run", MULTIRUN, "policy.selection.rule=merit,seniority", "seed=3,4", "end=2019-03",
                   NO_FIGURES, "hydra/launcher=joblib", "hydra.launcher.n_jobs=2", f"hydra.sweep.dir={sweep_dir}",
                   single_compose=False)  # fmt: skip
    assert p.code == 0, p.stderr
    assert "JoblibLauncher" in (sweep_dir / "multirun.yaml").read_text()
    assert len(_complete_jobs(sweep_dir)) == 4
    assert not list(sweep_dir.glob("*/figures/*.png"))  # the workers got report.figures=false
    sweep = gather_sweep(sweep_dir)
    assert sweep.varied == ["policy.selection.rule", "seed"]
    assert list(sweep.runs["policy.selection.rule"]) == ["merit", "merit", "seniority", "seniority"]
    assert list(sweep.runs["seed"]) == [3, 4, 3, 4]
    for job in sweep.runs["job"]:
        ov = job_overrides(sweep_dir / job)
        own = sim.simulate(sim.load_config([f"policy.selection.rule={ov['policy.selection.rule']}", "end=2019-03"]),
                           seed=ov["seed"]).timeseries  # fmt: skip
        pd.testing.assert_frame_equal(pd.read_parquet(sweep_dir / job / "timeseries.parquet"), own, check_dtype=False)


def test_sweep_gathers_a_multirun_into_tidy_tables(grid_sweep, in_process, tmp_path):
    out = tmp_path / "gathered"
    p = in_process("experiments.sweep", f"sweep.dir={grid_sweep}", "sweep.outcomes=[leaders_end,promotions_total]",
                   run_dir=out)  # fmt: skip
    assert p.code == 0, p.stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    ts = pd.read_parquet(out / "sweep_timeseries.parquet")
    assert len(ts) == 4 * 10  # 4 runs x 2018-09..2019-06
    assert {"job", "policy.selection.rule", "seed", "month", "headcount"} <= set(ts.columns)
    assert ts.groupby("job")["policy.selection.rule"].nunique().eq(1).all()
    # each job's rows are that job's own timeseries, labelled with its overrides
    for job in ("0", "3"):
        own = pd.read_parquet(grid_sweep / job / "timeseries.parquet")
        rows = ts[ts["job"] == job]
        assert rows["policy.selection.rule"].iloc[0] == job_overrides(grid_sweep / job)["policy.selection.rule"]
        pd.testing.assert_frame_equal(rows[own.columns].reset_index(drop=True), own, check_dtype=False)
    runs = pd.read_csv(out / "sweep_runs.csv")
    assert len(runs) == 4 and set(runs["policy.selection.rule"]) == {"merit", "random"}
    summary0 = pd.read_csv(grid_sweep / "0" / "summary.csv").set_index("metric")["value"]
    assert runs.loc[runs["job"] == 0, "leaders_end"].item() == pytest.approx(summary0["leaders_end"])
    assert (out / "figures" / "outcomes_vs_parameters.png").stat().st_size > 10_000
    assert "policy.selection.rule" in (out / "report.md").read_text()


def test_sweep_skips_unfinished_jobs(grid_sweep, tmp_path):
    copy = tmp_path / "mr"
    shutil.copytree(grid_sweep, copy)
    manifest = copy / "2" / "manifest.json"
    manifest.write_text(json.dumps({**json.loads(manifest.read_text()), "status": "running"}))
    sweep = gather_sweep(copy)
    assert sorted(sweep.runs["job"]) == ["0", "1", "3"]
    assert "2" in sweep.skipped and "not 'complete'" in sweep.skipped["2"]
    assert sweep.varied == ["seed", "policy.selection.rule"]
    assert sweep.parameters == ["seed", "policy.selection.rule", "end"]


def test_submitit_local_multirun(in_process, tmp_path):
    sweep_dir = tmp_path / "submitit"
    p = in_process("experiments.run", MULTIRUN, "seed=0,1", "end=2019-03", NO_FIGURES, "hydra/launcher=submitit_local",
                   f"hydra.sweep.dir={sweep_dir}", single_compose=False)  # fmt: skip
    assert p.code == 0, p.stderr
    jobs = _complete_jobs(sweep_dir)
    assert len(jobs) == 2
    assert sorted(gather_sweep(sweep_dir).runs["seed"]) == [0, 1]


def test_slurm_launcher_config_composes():
    with initialize_config_dir(config_dir=str(CONFIG_DIR), version_base=None):
        cfg = compose("config", ["hydra/launcher=slurm", "hydra.launcher.partition=short"], return_hydra_config=True)
    launcher = cfg.hydra.launcher
    assert launcher["_target_"].endswith("submitit_launcher.SlurmLauncher")
    assert launcher["partition"] == "short"
    assert launcher["cpus_per_task"] == 1 and launcher["timeout_min"] > 0


@pytest.mark.parametrize(
    "args,fragment",
    [
        ([], "sweep.dir is not set"),
        (["sweep.dir=/nonexistent/multirun"], "/nonexistent/multirun: sweep folder not found"),
    ],
)
def test_bad_sweep_dir_exits_2(in_process, args, fragment):
    p = in_process("experiments.sweep", *args)
    assert p.code == 2, p.stderr
    assert fragment in p.stderr and "Traceback" not in p.stderr


def test_gather_rejects_a_folder_without_jobs_and_unknown_outcomes(grid_sweep, in_process, tmp_path):
    (tmp_path / "empty").mkdir()
    with pytest.raises(InputError, match="holds no job folders"):
        gather_sweep(tmp_path / "empty")
    p = in_process("experiments.sweep", f"sweep.dir={grid_sweep}", "sweep.outcomes=[no_such_metric]")
    assert p.code == 2
    assert "no_such_metric" in p.stderr and "leaders_end" in p.stderr


def test_run_sweep_gives_the_multirun_tables_without_hydra(grid_sweep):
    """The same grid run through the study runner: the same jobs, values and numbers as
    the multirun's job folders."""
    ran = run_sweep({"seed": [0, 1], "policy.selection.rule": ["merit", "random"]}, ["end=2019-06"], workers=2,
                    progress=False)  # fmt: skip
    gathered = gather_sweep(grid_sweep)
    assert ran.varied == ["seed", "policy.selection.rule"]
    assert list(ran.runs["job"]) == list(gathered.runs["job"]) == ["0", "1", "2", "3"]
    cols = ["job", "seed", "policy.selection.rule", "leaders_end", "promotions_total", "headcount_2019_03"]
    cols = [c for c in cols if c in gathered.runs.columns]
    pd.testing.assert_frame_equal(ran.runs[cols], gathered.runs[cols], check_dtype=False)
    expected = gathered.timeseries.drop(columns="end")  # an override of the multirun, a fixed setting here
    pd.testing.assert_frame_equal(ran.timeseries, expected, check_dtype=False)
    with pytest.raises(sim.ConfigError, match="needs a list"):
        run_sweep({"seed": []})
