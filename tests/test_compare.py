"""experiments.compare and sim.studies.compare: files, common random numbers, statistics,
reproducibility, and resuming an interrupted comparison.

The entry point runs in this process (clitools.run_in_process, the ``in_process``
fixture), except the comparison that is killed part-way, which needs a real process."""

import json
import signal
import subprocess
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from clitools import plain_env, run_in_process
from scipy import stats

import sim
from sim.output.comparison import Comparison
from sim.output.comparison_report import comparison_figures
from sim.output.result import month_range
from sim.studies.benchmark import time_comparison
from sim.studies.compare import replicate_seeds, scenario_configs, scenario_overrides, summarise_comparison
from sim.studies.parts import PartStore, RunOutput
from sim.studies.runner import run_key

ROOT = Path(__file__).resolve().parent.parent
MERGER_MONTH = "2019-05"  # configs/scenario/merge_offices.yaml: the three offices merge
SHORT = ["scenarios=[baseline,merge_offices]", "replications=3", "end=2019-12"]


@pytest.fixture(scope="module")
def compare_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("compare") / "a"
    with pytest.MonkeyPatch.context() as mp:
        p = run_in_process(mp, "experiments.compare", *SHORT, "workers=2", run_dir=out)
    assert p.code == 0, p.stderr
    return out


def test_compare_writes_a_complete_run_folder(compare_dir):
    out = compare_dir
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["scenarios"] == ["baseline", "merge_offices"]
    assert manifest["replications"] == 3 and manifest["seeds"] == [0, 1, 2]
    assert manifest["runs_simulated"] == 6 and manifest["runs_loaded_from_parts"] == 0
    assert manifest["overrides"] == ["end=2019-12"]

    ts = pd.read_parquet(out / "timeseries.parquet")
    months = month_range("2018-09", "2019-12")
    assert len(ts) == 2 * 3 * len(months)
    assert {"scenario", "seed", "replicate", "month", "headcount"} <= set(ts.columns)
    counts = ts.groupby(["scenario", "replicate"]).size()
    assert (counts == len(months)).all() and len(counts) == 6
    assert (ts["seed"] == ts["replicate"]).all()  # seed = 0 + replicate

    summary = pd.read_csv(out / "summary.csv")
    expected_cols = {
        "scenario",
        "metric",
        "n",
        "mean",
        "p5",
        "p95",
        "reference",
        "diff_mean",
        "diff_ci_low",
        "diff_ci_high",
    }
    assert expected_cols <= set(summary.columns)
    assert set(summary["scenario"]) == {"baseline", "merge_offices"}
    assert (summary["reference"] == "baseline").all()
    assert (summary.loc[summary["scenario"] == "baseline", "diff_mean"] == 0).all()
    # summary.csv's mean is the mean of the run table's column
    runs = pd.read_csv(out / "runs.csv")
    row = summary[(summary["scenario"] == "merge_offices") & (summary["metric"] == "headcount_end")].iloc[0]
    assert row["mean"] == pytest.approx(runs.loc[runs["scenario"] == "merge_offices", "headcount_end"].mean())

    for fig in ("metrics_over_time.png", "differences_from_reference.png"):
        assert (out / "figures" / fig).stat().st_size > 10_000
    assert len(list((out / "parts").glob("*.parquet"))) == 6
    report = (out / "report.md").read_text()
    assert "![metrics_over_time.png](figures/metrics_over_time.png)" in report
    assert "python -m experiments.compare 'scenarios=[baseline,merge_offices]' replications=3 end=2019-12" in report
    assert f"hydra.run.dir={out}" in report


def test_common_random_numbers_before_the_merger(compare_dir):
    ts = pd.read_parquet(compare_dir / "timeseries.parquet")
    base = ts[ts["scenario"] == "baseline"].drop(columns="scenario").reset_index(drop=True)
    merged = ts[ts["scenario"] == "merge_offices"].drop(columns="scenario").reset_index(drop=True)
    before = base["month"] < MERGER_MONTH
    assert before.sum() == 3 * 8  # 2018-09 .. 2019-04, three replicates
    pd.testing.assert_frame_equal(base[before], merged[before])
    # from the merger month on the organisation differs: three offices become one unit
    at = base["month"] == MERGER_MONTH
    assert (merged.loc[at, "units"].to_numpy() == base.loc[at, "units"].to_numpy() - 2).all()
    # replicates differ from one another (the seeds are really different)
    assert not base.loc[base["replicate"] == 0, "promotions"].equals(base.loc[base["replicate"] == 1, "promotions"])
    summary = pd.read_csv(compare_dir / "summary.csv").set_index(["scenario", "metric"])
    units = summary.loc[("merge_offices", "units_end")]
    assert units["diff_mean"] == units["diff_ci_low"] == units["diff_ci_high"] == -2


def test_same_config_and_seeds_give_identical_tables(compare_dir, in_process, tmp_path):
    """Another worker count, the same tables; and ``report.figures=false`` (the figures
    are checked on compare_dir) changes only the figures: none drawn, the reports say so."""
    out = tmp_path / "b"
    p = in_process("experiments.compare", *SHORT, "workers=1", "report.figures=false", run_dir=out)
    assert p.code == 0, p.stderr
    pd.testing.assert_frame_equal(
        pd.read_parquet(out / "timeseries.parquet"), pd.read_parquet(compare_dir / "timeseries.parquet")
    )
    assert (out / "summary.csv").read_text() == (compare_dir / "summary.csv").read_text()
    assert not list(out.glob("figures/*.png")) and json.loads((out / "manifest.json").read_text())["figures"] == []
    report, report_vi = (out / "report.md").read_text(), (out / "report.vi.md").read_text()
    assert "![" not in report and "Not drawn: this folder was written with `report.figures=false`." in report
    assert "![" not in report_vi and "Không vẽ biểu đồ" in report_vi
    assert (out / "report.xlsx").stat().st_size > 0


def test_rerun_into_the_same_folder_runs_only_what_is_missing(compare_dir, in_process, tmp_path, no_figures):
    out = tmp_path / "killed"
    # 6 replications (12 runs): enough that the kill lands part-way (it comes within 0.02 s
    # of the third part, the nine runs left take about a second)
    args = [sys.executable, "-m", "experiments.compare", "scenarios=[baseline,merge_offices]", "replications=6",
            "end=2019-12", "workers=1", f"hydra.run.dir={out}"]  # fmt: skip
    proc = subprocess.Popen(args, cwd=ROOT, env=plain_env(), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    parts = out / "parts"
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and len(list(parts.glob("*.parquet"))) < 3 and proc.poll() is None:
        time.sleep(0.02)
    proc.send_signal(signal.SIGKILL)  # as a power cut or a Slurm time limit would
    proc.wait()
    saved = len(list(parts.glob("*.parquet")))
    assert 3 <= saved < 12, f"the run should have been killed part-way ({saved} of 12 parts)"
    assert json.loads((out / "manifest.json").read_text())["status"] != "complete"

    p = in_process("experiments.compare", *args[3:-1], run_dir=out)  # the same command, in this process
    assert p.code == 0, p.stderr
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    assert manifest["runs_loaded_from_parts"] == saved
    assert manifest["runs_simulated"] == 12 - saved
    ts = pd.read_parquet(out / "timeseries.parquet")
    assert len(ts.groupby(["scenario", "replicate"])) == 12
    # replicates 0-2 are the same runs as in the 3-replication comparison
    first3 = ts[ts["replicate"] < 3].reset_index(drop=True)
    pd.testing.assert_frame_equal(first3, pd.read_parquet(compare_dir / "timeseries.parquet"))


def test_parts_from_another_config_or_damaged_are_run_again(tmp_path):
    store = PartStore(tmp_path / "parts")
    cfg = sim.load_config(["end=2019-01"])
    res = sim.simulate(cfg, seed=4, replicate=0)
    key = run_key(cfg, 4)
    store.save(RunOutput("baseline", 0, 4, res.timeseries, res.summary), key)
    loaded = store.load("baseline", 0, key)
    pd.testing.assert_frame_equal(loaded.timeseries, res.timeseries)
    assert loaded.summary == res.summary
    other = sim.load_config(["end=2019-01", "policy.selection.rule=random"])
    assert store.load("baseline", 0, run_key(other, 4)) is None  # another policy
    assert store.load("baseline", 0, run_key(cfg, 5)) is None  # another seed
    # experiment-only keys do not change what a run computes, so its part is reused
    assert run_key(sim.load_config(["end=2019-01", "replications=7", "workers=1"]), 4) == key
    store.file("baseline", 0).write_bytes(b"not parquet")
    assert store.load("baseline", 0, key) is None


def test_summary_statistics_are_paired_by_replicate():
    rng = np.random.default_rng(1)
    level = rng.normal(100, 10, 12)  # replicate effects shared by both scenarios
    shift = rng.normal(-3, 0.5, 12)
    runs = pd.DataFrame(
        {
            "scenario": ["baseline"] * 12 + ["merged"] * 12,
            "replicate": list(range(12)) * 2,
            "seed": list(range(12)) * 2,
            "x": np.concatenate([level, level + shift]),
        }
    )
    runs = runs.iloc[::-1]  # pairing is by replicate number, not by row order
    t = summarise_comparison(runs).set_index(["scenario", "metric"])
    row = t.loc[("merged", "x")]
    assert row["n"] == 12
    assert row["mean"] == pytest.approx((level + shift).mean())
    assert row["p5"] == pytest.approx(np.percentile(level + shift, 5))
    assert row["p95"] == pytest.approx(np.percentile(level + shift, 95))
    assert row["diff_mean"] == pytest.approx(shift.mean())
    half = stats.t.ppf(0.95, 11) * shift.std(ddof=1) / np.sqrt(12)
    assert row["diff_ci_low"] == pytest.approx(shift.mean() - half)
    assert row["diff_ci_high"] == pytest.approx(shift.mean() + half)
    assert row["diff_p5"] == pytest.approx(np.percentile(shift, 5))
    # pairing removes the shared replicate effect: the interval is far narrower than the spread
    assert row["diff_ci_high"] - row["diff_ci_low"] < 0.2 * (row["p95"] - row["p5"])
    assert t.loc[("baseline", "x"), "diff_mean"] == 0


def test_summary_reference_falls_back_to_the_first_scenario_and_skips_nan():
    runs = pd.DataFrame(
        {
            "scenario": ["a", "a", "b", "b"],
            "replicate": [0, 1, 0, 1],
            "seed": [0, 1, 0, 1],
            "x": [1.0, np.nan, 4.0, 6.0],
        }
    )
    t = summarise_comparison(runs).set_index(["scenario", "metric"])
    assert (t["reference"] == "a").all()
    assert t.loc[("a", "x"), "n"] == 1 and t.loc[("b", "x"), "n"] == 2
    assert t.loc[("b", "x"), "diff_mean"] == 3.0  # only replicate 0 has both values
    assert np.isnan(t.loc[("b", "x"), "diff_ci_low"])  # one pair: no interval


def test_scenario_overrides_drop_experiment_and_hydra_keys():
    task = ["scenarios=[baseline]", "replications=5", "workers=2", "scenario=merge_offices", "end=2020-12",
            "hydra.run.dir=/x", "hydra/launcher=joblib", "+policy.selection.rule=random"]  # fmt: skip
    assert scenario_overrides(task) == ["end=2020-12", "+policy.selection.rule=random"]
    assert replicate_seeds(5, 3) == [5, 6, 7]


def test_time_comparison_counts_all_runs():
    line = time_comparison(sim.load_config(["end=2019-06", "scenarios=[baseline,merge_offices]", "workers=1"]), 2)
    assert line["compare_runs"] == 4 and line["compare_scenarios"] == 2
    assert line["compare_workers"] == 1
    assert line["compare_replications_per_s"] == pytest.approx(4 / line["compare_seconds"], rel=0.05)


def test_bad_compare_input_exits_2(in_process, tmp_path):
    p = in_process("experiments.compare", "scenarios=[baseline,nonesuch]", "end=2019-06", run_dir=tmp_path)
    assert p.code == 2, p.stderr
    assert "nonesuch" in p.stderr and "merge_offices" in p.stderr and "Traceback" not in p.stderr
    manifest = tmp_path / "manifest.json"
    assert not manifest.exists() or json.loads(manifest.read_text())["status"] != "complete"


def test_bad_experiment_keys_are_rejected():
    with pytest.raises(sim.ConfigError, match="replications = 0"):
        sim.load_config(["replications=0"])
    with pytest.raises(sim.ConfigError, match="scenarios is empty"):
        scenario_configs([])
    with pytest.raises(sim.ConfigError, match="baseline listed more than once"):
        scenario_configs(["baseline", "baseline"])


def test_pipeline_and_congress_figures_appear_when_their_columns_exist(tmp_path):
    months = month_range("2019-01", "2020-12")
    rows = []
    for scen in ("baseline", "merge_offices"):
        for r in range(3):
            for i, m in enumerate(months):
                rows.append({"month": m, "scenario": scen, "seed": r, "replicate": r, "headcount": 100 + i + r,
                             "bench_strength": 1.5 + 0.01 * i, "succession_gaps": r % 2, "pool_women_share": 0.3,
                             "pool_under40_share": 0.2, "rotations_active": 5 + r})  # fmt: skip
    ts = pd.DataFrame(rows)
    runs = pd.DataFrame(
        [{"scenario": s, "replicate": r, "seed": r, "headcount_end": 120.0 + r, "congress_2020_share_women": 0.2 + 0.02 * r,
          "congress_2025_share_women": 0.25 + 0.01 * r} for s in ("baseline", "merge_offices") for r in range(3)]
    )  # fmt: skip
    table = summarise_comparison(runs)
    comp = Comparison(ts, runs, ["baseline", "merge_offices"], [0, 1, 2])
    names = comparison_figures(comp, table, tmp_path, sim.load_config([]).policy)
    assert names == ["headline.png", "metrics_over_time.png", "differences_from_reference.png", "pipeline.png", "congress.png"]
    for n in names:
        assert (tmp_path / n).stat().st_size > 10_000
