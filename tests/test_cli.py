"""Command-line entry points, end to end, writing into tmp_path.

They run in-process (clitools.run_in_process: the same run_cli and @hydra.main as
``python -m``); the real subprocesses are in test_atomic.py (a run left alone, runs
killed) and test_bad_inputs.py (a bad input: exit code 2, no traceback).
"""

import json

import pandas as pd
import pytest
from clitools import assert_user_error

import sim


def test_run_writes_a_complete_run_folder(in_process, tmp_path):
    out = tmp_path / "run"
    p = in_process("experiments.run", "seed=2", run_dir=out)
    assert p.code == 0, p.stderr
    assert f"run folder: {out}" in p.stdout
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["seeds"] == [2]
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert ts["month"].iloc[-1] == "2025-12" and (ts["seed"] == 2).all()
    summary = pd.read_csv(out / "summary.csv")
    assert {"headcount_end", "retirements_total"} <= set(summary["metric"])
    for fig in ("headcount_leaders.png", "age_pyramid.png", "flows_per_year.png"):
        assert (out / "figures" / fig).stat().st_size > 10_000
    assert (out / ".hydra" / "config.yaml").exists()
    assert "![" in (out / "report.md").read_text()
    # the run folder's table is the library's result for the same config and seed
    res = sim.simulate(sim.load_config(["seed=2"]))
    pd.testing.assert_frame_equal(ts, res.timeseries, check_dtype=False)


def test_a_run_without_figures(in_process, tmp_path):
    """``report.figures=false``: the same tables, no figures, and report.md says why."""
    out = tmp_path / "run"
    p = in_process("experiments.run", "seed=2", "end=2019-06", "report.figures=false", run_dir=out)
    assert p.code == 0, p.stderr
    assert json.loads((out / "manifest.json").read_text())["status"] == "complete"
    assert not list(out.glob("figures/*.png"))
    report = (out / "report.md").read_text()
    assert "![" not in report and "Not drawn: this folder was written with `report.figures=false`." in report
    res = sim.simulate(sim.load_config(["seed=2", "end=2019-06"]))
    pd.testing.assert_frame_equal(pd.read_parquet(out / "timeseries.parquet"), res.timeseries, check_dtype=False)


@pytest.mark.parametrize(
    "override,fragments",
    [
        ("roster=/nonexistent/roster.csv", ["/nonexistent/roster.csv", "not found"]),
        ("seed=-1", ["seed = -1"]),
        ("end=2040-01", ["later than 2035-12"]),
        ("start=2026-01", ["must be before end"]),
        ("policy.selection.rule=lottery", ["policy.selection.rule", "merit, seniority, random"]),
        ("scenario=nonesuch", ["scenario", "baseline"]),
        ("policy.vacancy.fill_probability_leader=1.5", ["fill_probability_leader = 1.5", "probability"]),
        ("policy.not_a_key=1", ["not_a_key"]),
    ],
)
def test_bad_input_exits_2_without_traceback(in_process, override, fragments):
    assert_user_error(in_process("experiments.run", override), *fragments)


def test_bad_roster_on_the_command_line(in_process, tmp_path):
    df = sim.synthetic_roster(sim.load_config([])).head(20)
    df.loc[4, "birth"] = "not-a-date"
    path = tmp_path / "bad.csv"
    df.to_csv(path, index=False)
    p = in_process("experiments.run", f"roster={path}")
    assert_user_error(p, "bad.csv", "line 6", "column 'birth'")
    assert p.status == "failed"


def test_benchmark_prints_one_json_line(in_process):
    p = in_process("experiments.benchmark", "benchmark.replications=2", "benchmark.boltzmann_steps=2", "end=2019-06")
    assert p.code == 0, p.stderr
    line = json.loads(p.stdout.strip().splitlines()[-1])
    assert line["ratio"] > 0 and line["cadresim_agent_months_per_s"] > 0
    assert line["boltzmann_agent_steps_per_s"] > 0
    assert json.loads((p.run_dir / "benchmark.json").read_text()) == line
