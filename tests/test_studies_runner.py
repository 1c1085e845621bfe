"""The study runner (sim.studies.runner): jobs in, outputs in job order, the same tables
on one or several workers and whatever ran before in the process, errors naming the
job; and the congress months of a run's summary read from its config."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import sim
from sim.core.errors import ConfigError
from sim.output.result import summarise
from sim.studies import runner
from sim.studies.runner import Job, run_jobs


@pytest.fixture(scope="module")
def short():
    return sim.load_config(["end=2019-03"])


def test_outputs_come_in_job_order_with_their_labels(short):
    other = dataclasses.replace(short, seed=0)  # equal to short, another object: one label may hold it
    jobs = [Job("b", short, 5, 0), Job("a", short, 3, 0), Job("b", other, 4, 1)]
    batch = run_jobs(jobs, workers=1, progress=False, label_column="point")
    assert [(o.label, o.replicate, o.seed) for o in batch.outputs] == [("b", 0, 5), ("a", 0, 3), ("b", 1, 4)]
    assert batch.simulated == 3 and batch.loaded == 0 and batch.workers == 1
    runs = batch.runs_table("point")
    assert list(runs.columns[:3]) == ["point", "replicate", "seed"] and list(runs["point"]) == ["b", "a", "b"]
    ts = batch.timeseries_table()
    assert list(ts.groupby("point", sort=False).size().index) == ["b", "a"]
    assert (ts.loc[ts["point"] == "a", "seed"] == 3).all()


def test_a_job_gives_the_same_run_on_workers_and_after_other_jobs(short):
    """No state is carried from job to job or from a process to its workers."""
    merged = sim.load_config(["end=2019-06", "scenario=merge_offices"])
    alone = run_jobs([Job("x", short, 7, 0)], workers=1, progress=False).outputs[0]
    jobs = [Job("m", merged, 7, 0), Job("x", short, 7, 0), Job("m", merged, 8, 1)]
    after = run_jobs(jobs, workers=1, progress=False).outputs[1]
    pooled = run_jobs(jobs, workers=2, progress=False).outputs[1]
    for out in (after, pooled):
        pd.testing.assert_frame_equal(out.timeseries, alone.timeseries)
        assert out.summary == alone.summary
    direct = sim.simulate(short, seed=7, replicate=0).timeseries.assign(scenario="x")
    pd.testing.assert_frame_equal(alone.timeseries, direct)


def test_resume_loads_saved_parts_and_runs_the_rest(short, tmp_path):
    jobs = [Job("baseline", short, s, r) for r, s in enumerate([0, 1, 2])]
    first = run_jobs(jobs[1:], workers=1, parts_dir=tmp_path, progress=False)
    assert first.simulated == 2 and sorted(p.name for p in tmp_path.iterdir()) == [
        "baseline__r00001.parquet",
        "baseline__r00002.parquet",
    ]
    again = run_jobs(jobs, workers=1, parts_dir=tmp_path, progress=False)
    assert again.loaded == 2 and again.simulated == 1
    # loaded or simulated, the outputs follow the job list
    assert [o.replicate for o in again.outputs] == [0, 1, 2]
    for a, b in zip(first.outputs, again.outputs[1:]):
        pd.testing.assert_frame_equal(a.timeseries, b.timeseries)
        assert a.summary == b.summary


def test_bad_job_lists_are_rejected(short):
    other = sim.load_config(["end=2019-03", "policy.selection.rule=random"])
    with pytest.raises(ValueError, match="different configs"):
        run_jobs([Job("p", short, 0, 0), Job("p", other, 0, 1)], workers=1, progress=False)
    with pytest.raises(ValueError, match="repeat"):
        run_jobs([Job("p", short, 0, 0), Job("p", short, 1, 0)], workers=1, progress=False)
    with pytest.raises(ValueError, match="parts_dir needs keep_timeseries"):
        run_jobs([Job("p", short, 0, 0)], parts_dir="x", keep_timeseries=False, progress=False)
    with pytest.raises(ConfigError, match="workers = -1"):
        run_jobs([Job("p", short, 0, 0)], workers=-1, progress=False)


def test_a_user_error_names_the_job_it_came_from(short, monkeypatch):
    def failing(cfg, seed=None, replicate=None):
        raise ConfigError("policy.x = 2 is out of range")

    monkeypatch.setattr(runner, "simulate", failing)
    with pytest.raises(ConfigError, match=r"^sample point p00003 \(replicate 1\): policy.x = 2"):
        run_jobs([Job("p00003", short, 0, 1)], workers=1, progress=False, noun="sample point")


def test_congress_months_of_the_summary_come_from_the_config():
    cfg = sim.load_config(["end=2021-06", "policy.congress.province_months=[2019-10,2020-10]"])
    res = sim.simulate(cfg)
    assert {"headcount_2019_10", "headcount_2020_10", "leaders_2019_10"} <= set(res.summary)
    row = res.timeseries.set_index("month").loc["2019-10"]
    assert res.summary["headcount_2019_10"] == row["headcount"]
    assert not any(k.endswith("_2025_10") for k in res.summary)
    # months given explicitly; a month outside the horizon is skipped
    keys = summarise(res.timeseries, months=["2019-03", "2030-10"])
    assert "headcount_2019_03" in keys and not any(k.endswith("_2030_10") for k in keys)
