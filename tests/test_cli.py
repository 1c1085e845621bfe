"""Command-line entry points, end to end, in subprocesses writing into tmp_path."""

import json
from pathlib import Path

import pandas as pd
import pytest
from clitools import cli

import sim

ROOT = Path(__file__).resolve().parent.parent




def test_run_writes_a_complete_run_folder(tmp_path):
    out = tmp_path / "run"
    p = cli("experiments.run", f"hydra.run.dir={out}", "seed=2")
    assert p.returncode == 0, p.stderr
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


def _assert_user_error(p, *fragments):
    assert p.returncode == 2, (p.returncode, p.stderr)
    assert "Traceback" not in p.stderr
    for f in fragments:
        assert f in p.stderr, p.stderr


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
def test_bad_input_exits_2_without_traceback(tmp_path, override, fragments):
    out = tmp_path / "run"
    p = cli("experiments.run", f"hydra.run.dir={out}", override)
    _assert_user_error(p, *fragments)
    manifest = out / "manifest.json"
    assert not manifest.exists() or json.loads(manifest.read_text())["status"] != "complete"


def test_bad_roster_on_the_command_line(tmp_path):
    df = sim.synthetic_roster(sim.load_config([])).head(20)
    df.loc[4, "birth"] = "not-a-date"
    path = tmp_path / "bad.csv"
    df.to_csv(path, index=False)
    out = tmp_path / "run"
    p = cli("experiments.run", f"hydra.run.dir={out}", f"roster={path}")
    _assert_user_error(p, "bad.csv", "line 6", "column 'birth'")
    assert json.loads((out / "manifest.json").read_text())["status"] == "failed"


def test_benchmark_prints_one_json_line(tmp_path):
    p = cli("experiments.benchmark", f"hydra.run.dir={tmp_path}", "benchmark.replications=2", "benchmark.boltzmann_steps=2", "end=2019-06")
    assert p.returncode == 0, p.stderr
    line = json.loads(p.stdout.strip().splitlines()[-1])
    assert line["ratio"] > 0 and line["cadresim_agent_months_per_s"] > 0
    assert line["boltzmann_agent_steps_per_s"] > 0
