"""For the researcher: a scenario of one's own with a policy block, compared end to end
with shipped scenarios; refused comparison overrides; the exports; the report drawn again
for a subset (and in Vietnamese) without simulating."""

from __future__ import annotations

import json

import numpy as np
import openpyxl
import pandas as pd
import pytest
import yaml
from clitools import assert_user_error, cli, run_in_process

import sim
from sim.core.errors import ConfigError
from sim.output.comparison import ReportData
from sim.output.comparison_report import fmt_value, what_it_shows

SHORT = "end=2021-12"  # four yearly rotation waves (Oct 2018 .. Oct 2021)


def _user_folder(root):
    conf = root / "my_scenarios"
    (conf / "scenario").mkdir(parents=True)
    scenario = {
        "name": "rotation_x2",
        "description": "twice the rotations",
        "source": "estimate",
        "actions": [],
        "policy": {"rotation": {"per_year": 24}},
    }
    (conf / "scenario" / "rotation_x2.yaml").write_text(yaml.safe_dump(scenario))
    return conf


@pytest.fixture(scope="module")
def user_dir(tmp_path_factory):
    return _user_folder(tmp_path_factory.mktemp("user"))


@pytest.fixture(scope="module")
def finished(tmp_path_factory, user_dir):
    """The "done when" comparison: a user's policy variant beside baseline and
    merge_offices, 3 replications, with a policy override for every scenario."""
    run_dir = tmp_path_factory.mktemp("compare") / "run"
    with pytest.MonkeyPatch.context() as mp:
        mp.delenv("CADRESIM_TRACEBACK", raising=False)
        out = run_in_process(
            mp,
            "experiments.compare",
            f"hydra.searchpath=[file://{user_dir}]",
            "scenarios=[baseline,rotation_x2,merge_offices]",
            "replications=3",
            "workers=1",
            SHORT,
            "policy.pool.noise_sd=0.5",  # the default value: listed in the report, numbers unchanged
            "report.metrics=[headcount,leader_posts,rotations,leaders_women_share]",  # fewer panels: a faster test
            run_dir=run_dir,
        )
    return out


# --------------------------------------------------------------------------- scenario files
def test_a_policy_block_applies_to_its_scenario_only(user_dir):
    mine = sim.load_config([f"hydra.searchpath=[file://{user_dir}]", "scenario=rotation_x2"])
    base = sim.load_config([f"hydra.searchpath=[file://{user_dir}]", "scenario=baseline"])
    assert mine.policy.rotation.per_year == 24 and mine.scenario.policy == {"rotation": {"per_year": 24}}
    assert base.policy.rotation.per_year == 12 and base.scenario.policy == {}
    # the rest of the policy is the composed one, command-line overrides included
    both = sim.load_config([f"hydra.searchpath=[file://{user_dir}]", "scenario=rotation_x2", "policy.rotation.wave_month=11"])
    assert both.policy.rotation.per_year == 24 and both.policy.rotation.wave_month == 11


def test_a_bad_key_in_a_policy_block_names_the_file(tmp_path):
    conf = tmp_path / "c"
    (conf / "scenario").mkdir(parents=True)
    (conf / "scenario" / "typo.yaml").write_text("name: typo\nactions: []\npolicy: {rotation: {per_yer: 24}}\n")
    with pytest.raises(ConfigError) as err:
        sim.load_config([f"hydra.searchpath=[file://{conf}]", "scenario=typo"])
    text = str(err.value)
    assert "scenario/typo.yaml" in text and "per_yer" in text and "per_year" in text


def test_an_edited_scenario_file_is_read_again(tmp_path):
    """load_config keeps what it composed (sim/params/compose.py), but a scenario file
    edited between two calls is read again, even an edit that keeps the file's size, and
    each call's config is its own."""
    conf = tmp_path / "c"
    (conf / "scenario").mkdir(parents=True)
    path = conf / "scenario" / "mine.yaml"
    text = "name: mine\nactions:\n  - {kind: merge, month: '2019-05', units: [pc_office, council_office]}\n"
    path.write_text(text)
    overrides = [f"hydra.searchpath=[file://{conf}]", "scenario=mine", "end=2019-12"]
    first, second = sim.load_config(overrides), sim.load_config(overrides)
    assert first == second and first is not second and first.scenario.actions is not second.scenario.actions
    second.scenario.actions.clear()  # what a caller does to its config does not reach the next call
    assert sim.load_config(overrides) == first
    path.write_text(text.replace("2019-05", "2019-04"))  # the same size, another month
    assert [a.month for a in sim.load_config(overrides).scenario.actions] == ["2019-04"]
    (conf / "scenario" / "other.yaml").write_text("name: other\nactions: []\n")  # a file added to the folder
    assert "other" not in first.scenarios and "other" in sim.load_config([*overrides, "scenarios=[baseline,other]"]).scenarios


@pytest.mark.parametrize(
    "name,check",
    [
        ("baseline_rotation_x2", lambda c: c.policy.rotation.per_year == 24),
        ("pool_women_quota", lambda c: c.policy.pool.target_mode == "quota"),
        ("no_retirement_roadmap", lambda c: c.policy.retirement_rule == "labour_code_2012"),
    ],
)
def test_shipped_policy_variants_change_only_their_policy(name, check):
    cfg = sim.load_config([f"scenario={name}"])
    assert check(cfg) and not check(sim.load_config([]))
    assert cfg.scenario.actions == [] and cfg.scenario.source and cfg.scenario.description
    assert name in sim.load_config([]).scenarios  # appended to the default comparison


# --------------------------------------------------------------------------- refused overrides
@pytest.mark.parametrize(
    "override",
    ["scenario=merge_offices", "scenario.actions=[]", "+scenario.policy.rotation.per_year=24"],
)
def test_a_comparison_refuses_scenario_overrides(in_process, override):
    out = in_process("experiments.compare", "scenarios=[baseline,merge_offices]", "replications=1", SHORT, override)
    assert_user_error(out, override, "scenarios=[", "scenario/<name>.yaml", "hydra.searchpath")
    assert not (out.run_dir / "manifest.json").exists()  # refused before anything is written


# --------------------------------------------------------------------------- the main job end to end
def test_a_user_scenario_compared_end_to_end(finished):
    assert finished.code == 0, finished.stderr
    folder = finished.run_dir
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete"
    summary = pd.read_csv(folder / "summary.csv").set_index(["scenario", "metric"])
    # the yearly wave doubles; the Standing Committee's 2018-2020 plan (policy.plan) is the same
    plan = sim.load_config([]).policy.plan.rotations
    base = summary.loc[("baseline", "rotations_total"), "mean"] - plan
    mine = summary.loc[("rotation_x2", "rotations_total"), "mean"] - plan
    assert base > 0 and mine / base == pytest.approx(2.0, rel=0.05)
    assert summary.loc[("merge_offices", "rotations_total"), "mean"] == pytest.approx(base + plan, rel=0.05)
    # exports
    ts_csv = pd.read_csv(folder / "timeseries.csv")
    ts_pq = pd.read_parquet(folder / "timeseries.parquet")
    assert len(ts_csv) == len(ts_pq) == 3 * 3 * 40 and list(ts_csv.columns) == list(ts_pq.columns)
    pd.testing.assert_series_equal(ts_csv["headcount"], ts_pq["headcount"], check_dtype=False)
    book = openpyxl.load_workbook(folder / "report.xlsx", read_only=True)
    assert {"differences", "levels", "scenarios", "summary", "runs"} <= set(book.sheetnames)
    diffs = pd.read_excel(folder / "report.xlsx", sheet_name="differences", index_col=0)
    assert list(diffs.columns) == ["rotation_x2", "merge_offices"]
    # figures and reports
    for fig in ("headline.png", "metrics_over_time.png", "differences_from_reference.png", "pipeline.png"):
        assert (folder / "figures" / fig).stat().st_size > 10_000, fig
    report = (folder / "report.md").read_text()
    assert "rotation_x2" in report and "`policy.rotation.per_year`" in report
    assert "apply to every scenario, the reference included: `policy.pool.noise_sd=0.5`" in report
    assert "What this comparison shows" in report and "rotations started" in report
    assert "BRIEF" not in report and "_end |" not in report  # plain labels, no code names in the tables
    # the terminal: headline lines and the report's path
    assert "rotation_x2 vs baseline" in finished.stdout and f"report: {folder / 'report.md'}" in finished.stdout


def test_experiments_report_redraws_a_subset_in_vietnamese(finished):
    folder = finished.run_dir
    parts_before = sorted(p.name for p in (folder / "parts").glob("*"))
    p = cli("experiments.report", f"run_dir={folder}", "scenarios=[merge_offices]", "metrics=[headcount,rotations]", "lang=vi")
    assert p.returncode == 0, p.stderr
    subs = list((folder / "reports").iterdir())
    assert len(subs) == 1
    sub = subs[0]
    assert sorted(p.name for p in (folder / "parts").glob("*")) == parts_before  # nothing simulated
    summary = pd.read_csv(sub / "summary.csv")
    assert set(summary["scenario"]) == {"baseline", "merge_offices"}
    report = (sub / "report.vi.md").read_text(encoding="utf-8")
    assert "## Kết quả chính của so sánh" in report and "## Thuật ngữ" in report
    for term in ("quy hoạch", "luân chuyển", "điều động", "biên chế"):
        assert term in report
    assert "số cán bộ đang công tác" in report  # the registry's Vietnamese label
    assert "rotation_x2" not in report.split("## Thuật ngữ")[0]
    assert (sub / "figures" / "metrics_over_time.png").is_file() and (sub / "report.xlsx").is_file()


def test_experiments_report_refuses_a_scenario_not_in_the_folder(finished, in_process):
    out = in_process("experiments.report", f"run_dir={finished.run_dir}", "scenarios=[reform_2025]")
    assert_user_error(out, "reform_2025 not in this comparison", "baseline, rotation_x2, merge_offices")


# --------------------------------------------------------------------------- the paragraph
def _table(rows):
    cols = ["scenario", "metric", "n", "mean", "p5", "p95", "reference", "diff_mean", "diff_ci_low", "diff_ci_high"]
    return pd.DataFrame(rows, columns=cols).assign(diff_p5=np.nan, diff_p95=np.nan)


def test_what_it_shows_names_clear_effects_and_noise():
    rows = [
        ("baseline", "headcount_end", 20, 3800, 3790, 3810, "baseline", 0, 0, 0),
        ("baseline", "leaders_women_share_end", 20, 0.3, 0.29, 0.31, "baseline", 0, 0, 0),
        ("cut", "headcount_end", 20, 3700, 3690, 3710, "baseline", -100, -110, -90),
        ("cut", "leaders_women_share_end", 20, 0.32, 0.31, 0.33, "baseline", 0.02, 0.01, 0.03),
        ("same", "headcount_end", 20, 3801, 3790, 3810, "baseline", 1, -2, 4),
        ("same", "leaders_women_share_end", 20, 0.3, 0.29, 0.31, "baseline", 0.001, -0.004, 0.006),
    ]
    data = ReportData(pd.DataFrame(), pd.DataFrame(), _table(rows), {"run": {"end": "2025-12", "seeds": list(range(20))}})
    text = what_it_shows(data)
    assert "**cut** changes cadres in post at the end by -100 people (90 % interval -110 to -90)" in text
    assert "women among leaders at the end by +2 pp" in text
    assert "Within noise" in text and "**same**" in text.split("Within noise")[1]
    assert "**same** changes" not in text
    vi = what_it_shows(data, "vi")
    assert "số cán bộ đang công tác" in vi and "Khác biệt không rõ ràng" in vi


def test_shares_are_percent_and_differences_percentage_points():
    assert fmt_value("leaders_women_share_end", 0.253) == "25.3 %"
    assert fmt_value("leaders_women_share_end", 0.012, diff=True) == "+1.2 pp"
    assert fmt_value("headcount_end", 3761.0, "vi") == "3.761"


def test_the_report_says_which_policy_overrides_apply_to_all_and_which_a_scenario_keeps():
    from sim.output.comparison_report import policy_section

    rows = [("baseline", "headcount_end", 2, 1, 1, 1, "baseline", 0, 0, 0), ("rot", "headcount_end", 2, 1, 1, 1, "baseline", 0, 0, 0)]
    meta = {
        "run": {"policy_overrides": ["policy.rotation.per_year=6", "policy.pool.noise_sd=0.4"]},
        "scenarios": {"baseline": {"policy_keys": []}, "rot": {"policy_keys": ["policy.rotation.per_year"]}},
    }
    text = policy_section(ReportData(pd.DataFrame(), pd.DataFrame(), _table(rows), meta))
    assert "apply to every scenario, the reference included: `policy.rotation.per_year=6`, `policy.pool.noise_sd=0.4`" in text
    assert "Scenario **rot** sets `policy.rotation.per_year` in its own file" in text
    assert "baseline** sets" not in text
    meta["run"]["policy_overrides"] = []
    assert "None" in policy_section(ReportData(pd.DataFrame(), pd.DataFrame(), _table(rows), meta))


def test_experiments_report_refuses_a_folder_that_is_not_a_finished_comparison(finished, in_process, tmp_path):
    out = in_process("experiments.report", f"run_dir={tmp_path}")
    assert_user_error(out, f"run_dir={tmp_path}: not a finished comparison folder", "summary.csv")
    half = tmp_path / "half"
    half.mkdir()
    for name in ("timeseries.parquet", "runs.csv", "summary.csv", "comparison.yaml"):
        (half / name).write_bytes((finished.run_dir / name).read_bytes())
    (half / "manifest.json").write_text(json.dumps({"status": "running"}))
    assert_user_error(in_process("experiments.report", f"run_dir={half}"), "did not finish")
