"""The dashboard (sim/dashboard, experiments/dashboard.py): inputs read from the schema,
the one adapter from page values to a model, both pages rendered with ``solara.render``,
a small comparison started in the background, and the real server driven in headless
Chromium (Debian's package, through Playwright's ``executable_path``).

The comparison folder the page tests read is made by the page's own background runner,
i.e. by ``python -m experiments.compare`` in a child process (2 scenarios x 3
replications to 2019-06).
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import ipyvuetify as v
import numpy as np
import pandas as pd
import pytest
import solara
from clitools import ROOT, assert_user_error, plain_env

import sim
from sim.core.errors import ConfigError, InputError
from sim.dashboard import assets
from sim.dashboard.background import BackgroundComparison, new_folder
from sim.dashboard.compare import (
    ComparePage,
    bands,
    comparison_folders,
    differences,
    headline,
    load_comparison,
)
from sim.dashboard.controls import build_model, control, controls, live_config, to_overrides
from sim.dashboard.live import LivePage, control_label, latest_events
from sim.dashboard.settings import LIVE_PARAMETERS, DashboardSpec
from sim.dashboard.text import UI, metric_label, parameter_label
from sim.params.declare import PROBABILITY, info
from sim.params.schema_studies import ParamRange
from sim.studies.stats import paired_difference

SHORT = ["end=2019-06"]  # the horizon of every model and comparison here
# the background comparison's own overrides: no figures (the pages read the tables; the
# figures of a comparison are checked in test_compare and test_researcher)
IN_BACKGROUND = [*SHORT, "report.figures=false"]
COMPARED = ["baseline", "merge_offices"]
REPLICATIONS = 3


def declared(cfg, key):
    """The schema field of a dotted key and its value, found independently of the dashboard."""
    obj, f = cfg, None
    for name in key.split("."):
        f = {x.name: x for x in dataclasses.fields(obj)}[name]
        obj = getattr(obj, name)
    return f, obj


# --------------------------------------------------------------------------- inputs from the schema
def test_every_live_input_is_the_schema_declaration(base_cfg):
    made = controls(base_cfg, LIVE_PARAMETERS, DashboardSpec().ranges)
    assert [c.key for c in made] == LIVE_PARAMETERS
    for c in made:
        f, value = declared(base_cfg, c.key)
        meta = info(f)
        assert (c.unit, c.doc, c.source, c.value) == (meta["unit"], meta["doc"], meta["source"], value), c.key
        if meta["choices"]:
            assert (c.kind, c.choices) == ("select", meta["choices"]), c.key
        elif isinstance(value, bool):
            assert c.kind == "checkbox", c.key
        elif meta["check"] == PROBABILITY:
            assert (c.kind, c.low, c.high) == ("float", 0.0, 1.0), c.key
    kinds = {c.key: c.kind for c in made}
    # the list: selects for the rules and modes, sliders for numbers, a switch for the payroll cut
    assert (
        kinds["policy.selection.rule"]
        == kinds["policy.retirement_rule"]
        == kinds["policy.pool.target_mode"]
        == "select"
    )
    assert kinds["policy.payroll.enabled"] == "checkbox"
    per_year = made[LIVE_PARAMETERS.index("policy.rotation.per_year")]
    assert (per_year.kind, per_year.low, per_year.high, per_year.unit) == ("int", 0, 48, "rotations per yearly wave")


def test_a_bad_parameter_list_is_named(base_cfg):
    with pytest.raises(ConfigError, match=r"unknown key policy\.pool\.nope; valid keys of policy\.pool: per_post_max"):
        control(base_cfg, "policy.pool.nope")
    with pytest.raises(ConfigError, match=r"dashboard\.ranges: policy\.rotation\.length_months has no declared range"):
        control(base_cfg, "policy.rotation.length_months")
    with pytest.raises(ConfigError, match="only numbers, flags and choices"):
        control(base_cfg, "policy.exits.annual_rates")
    with pytest.raises(ConfigError, match=r"= 12 lies outside its slider range \[0, 6\]"):
        control(base_cfg, "policy.rotation.per_year", [ParamRange(name="policy.rotation.per_year", low=0, high=6)])


def test_the_adapter_turns_page_values_into_overrides_and_a_composed_config():
    values = {
        "policy.rotation.per_year": 24,
        "scenario": "merge_offices",
        "policy.pool.target_mode": "quota",
        "policy.payroll.enabled": False,
        "policy.pool.women_target": 0.3,
        "seed": 3,
    }
    overrides = to_overrides(values, SHORT)
    assert overrides == [
        "end=2019-06",
        "scenario=merge_offices",
        "seed=3",
        "policy.rotation.per_year=24",
        "policy.pool.target_mode=quota",
        "policy.payroll.enabled=false",
        "policy.pool.women_target=0.3",
    ]
    model = build_model(values, SHORT)
    assert model.cfg == sim.load_config(overrides)
    p = model.cfg.policy
    assert (model.scenario_name, model.seed, p.rotation.per_year, p.pool.target_mode) == (
        "merge_offices",
        3,
        24,
        "quota",
    )
    assert (p.payroll.enabled, p.pool.women_target, model.cfg.end) == (False, 0.3, "2019-06")
    # a value the schema rejects is named by the schema's own check
    with pytest.raises(ConfigError, match="women_target"):
        live_config({"policy.pool.women_target": 1.5})


# --------------------------------------------------------------------------- the live page
def _html(rc, testid: str) -> str:
    return rc.find(v.Html, attributes={"data-testid": testid}).widget.children[0]


def _charts(rc) -> list:
    return rc.find(solara.widgets.VegaLite).widgets


def test_live_page_inputs_rebuild_the_model_and_the_panels_follow_it():
    settings = DashboardSpec(overrides=SHORT)
    models = []
    box, rc = solara.render(solara.AppLayout(children=[LivePage(settings, on_model=models.append)]), handle_error=False)
    assert len(models) == 1 and models[0].scenario_name == "baseline"
    cfg = models[0].cfg
    made = controls(cfg, settings.parameters, settings.ranges)
    sliders = {w.label: w for w in rc.find(v.Slider).widgets}
    selects = {w.label: w for w in rc.find(v.Select).widgets}
    for c in made:
        shown = sliders if c.kind in ("int", "float") else selects if c.kind == "select" else None
        if shown is not None:
            assert control_label(c, "en") in shown, (c.key, sorted(shown))
            assert shown[control_label(c, "en")].v_model == c.value
    assert selects["Scenario"].v_model == "baseline" and "merge_offices" in selects["Scenario"].items

    # a slider bound to policy.rotation.per_year: moving it rebuilds the model with that value
    per_year = next(c for c in made if c.key == "policy.rotation.per_year")
    sliders[control_label(per_year, "en")].v_model = 24
    assert len(models) == 2 and models[-1].cfg.policy.rotation.per_year == 24
    # a scenario change rebuilds the model; the policy value chosen stays
    rc.find(v.Select, label="Scenario").widget.v_model = "merge_offices"
    model = models[-1]
    assert len(models) == 3 and model.scenario_name == "merge_offices" and model.cfg.policy.rotation.per_year == 24
    assert model.cfg == sim.load_config([*SHORT, "scenario=merge_offices", "policy.rotation.per_year=24"])
    assert _html(rc, "now-month") == "–"

    # Step twice: the panels show the model's second month, as a direct simulation has it
    step = rc.find(v.Btn, children=["Step"]).widget
    step.click()
    step.click()
    assert model.time == 2 and _html(rc, "now-month") == "2018-10"
    direct = sim.simulate(model.cfg).timeseries.set_index("month").loc["2018-10"]
    assert _html(rc, "now-headcount") == f"{int(direct['headcount']):,}"
    assert _html(rc, "now-leaders") == f"{int(direct['leaders']):,}"
    # six charts once a month is recorded: headcount, levels, vacancies, pipeline, shares, pyramid
    assert len(_charts(rc)) == 6
    spec = json.dumps([w.spec for w in _charts(rc)])
    for name in ("headcount", "vacant_leader_posts", "bench_strength", "pool_women_share"):
        assert metric_label(name) in spec, name
    events = latest_events(model)
    assert (
        len(events)
        and events["month"].iloc[0] == "2018-10"
        and set(events["kind"])
        <= {
            "promotion",
            "retirement",
            "early retirement",
            "merge",
        }
    )
    # SolaraViz's Reset rebuilds the model from the same composed config
    rc.find(v.Btn, children=["Reset"]).widget.click()
    assert _html(rc, "now-month") == "–"
    step = rc.find(v.Btn, children=["Step"]).widget
    step.click()
    assert _html(rc, "now-month") == "2018-09"
    rc.close()


def test_live_page_speaks_vietnamese():
    box, rc = solara.render(
        solara.AppLayout(children=[LivePage(DashboardSpec(overrides=SHORT), lang="vi")]), handle_error=False
    )
    selects = {w.label for w in rc.find(v.Select).widgets}
    assert {UI["vi"]["scenario"], UI["vi"]["org"], parameter_label("policy.selection.rule", "vi")} <= selects
    sliders = {w.label for w in rc.find(v.Slider).widgets}
    assert "Số lượt luân chuyển mỗi năm" in sliders
    rc.find(v.Btn, children=["Step"]).widget.click()
    texts = " ".join(str(w.children) for w in rc.find(v.Html).widgets) + json.dumps([w.spec for w in _charts(rc)])
    assert metric_label("headcount", "vi") in texts and "số cán bộ đang công tác" in texts
    rc.close()


# --------------------------------------------------------------------------- a comparison in the background
@pytest.fixture(scope="module")
def comparison(tmp_path_factory):
    """A comparison folder made by the page's background runner, and, at the same time,
    one that fails in the child (its roster file is missing): (results root, folder,
    progress seen, the failed job's last progress)."""
    root = tmp_path_factory.mktemp("results")
    elsewhere = tmp_path_factory.mktemp("failing")
    job = BackgroundComparison(new_folder(root), COMPARED, REPLICATIONS, IN_BACKGROUND).start()
    bad = BackgroundComparison(
        new_folder(elsewhere), ["baseline"], 2, [*SHORT, f"roster={elsewhere}/missing.csv"]
    ).start()
    seen = []
    deadline = time.monotonic() + 240
    while time.monotonic() < deadline:
        p = job.progress()
        seen.append(p)
        if p.state in ("complete", "failed"):
            break
        time.sleep(0.1)
    else:
        job.cancel()
        pytest.fail("the background comparison did not finish in 240 s")
    failed = bad.wait(120)
    return root, job.out, seen, failed


def test_background_comparison_shows_progress_and_ends_complete(comparison):
    root, folder, seen, _ = comparison
    assert seen[-1].state == "complete", seen[-1].message
    assert seen[-1].done == seen[-1].total == len(COMPARED) * REPLICATIONS
    assert all(a.done <= b.done for a, b in zip(seen, seen[1:])), "progress went backwards"
    assert {p.state for p in seen[:-1]} <= {"running", "writing"}
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["scenarios"] == COMPARED
    assert manifest["replications"] == REPLICATIONS and manifest["overrides"] == SHORT  # the models' overrides
    assert manifest["figures"] == [] and not list(folder.glob("figures/*.png"))  # report.figures=false reached the child
    assert comparison_folders(root) == [folder]


def test_a_failing_background_comparison_says_why(comparison, tmp_path):
    failed = comparison[3]
    assert failed.state == "failed" and "missing.csv: roster file not found" in failed.message, failed
    # what can be checked before a child starts is refused at once, with the schema's message
    with pytest.raises(ConfigError, match="unknown name.*no_such_scenario"):
        BackgroundComparison(tmp_path / "x", ["baseline", "no_such_scenario"], 2)
    with pytest.raises(ConfigError, match="end"):
        BackgroundComparison(tmp_path / "x", ["baseline"], 2, ["end=2050-12"])
    with pytest.raises(ConfigError, match="at least 2"):
        BackgroundComparison(tmp_path / "x", ["baseline"], 1)
    assert not (tmp_path / "x").exists()


# --------------------------------------------------------------------------- the comparison page
def test_comparison_tables_are_the_folder_statistics(comparison):
    folder = comparison[1]
    data = load_comparison(folder)
    assert (data.scenarios, data.reference, data.replications, data.end) == (
        COMPARED,
        "baseline",
        REPLICATIONS,
        "2019-06",
    )
    ts = data.timeseries
    metrics = ["headcount", "leader_posts", "bench_strength"]
    b = bands(data, COMPARED, metrics).set_index(["metric", "scenario", "month"])
    for month in ("2018-09", "2019-01", "2019-06"):
        vals = ts[(ts["scenario"] == "merge_offices") & (ts["month"] == month)]["bench_strength"].to_numpy()
        row = b.loc[("bench_strength", "merge_offices", month)]
        assert np.isclose(row["mean"], vals.mean())
        assert np.allclose([row["p5"], row["p95"]], np.percentile(vals, [5, 95]))
    d = differences(data, COMPARED, metrics)
    assert set(d["scenario"]) == {"merge_offices"}
    d = d.set_index(["metric", "scenario", "month"])
    for month in ("2018-10", "2019-03", "2019-06"):
        pair = ts[ts["month"] == month].pivot(index="replicate", columns="scenario", values="headcount")
        expect = paired_difference((pair["merge_offices"] - pair["baseline"]).to_numpy(dtype=float))
        got = d.loc[("headcount", "merge_offices", month)]
        assert np.allclose([got[k] for k in expect], list(expect.values()), equal_nan=True), month
    # the last month's paired difference is the summary.csv difference of the end-of-horizon stock
    summ = data.summary.set_index(["scenario", "metric"]).loc[("merge_offices", "headcount_end")]
    last = d.loc[("headcount", "merge_offices", "2019-06")]
    assert np.allclose(
        [last["diff_mean"], last["diff_ci_low"], last["diff_ci_high"]],
        [summ["diff_mean"], summ["diff_ci_low"], summ["diff_ci_high"]],
    )
    table = headline(data, COMPARED, ["headcount", "promotions"], "vi")
    assert list(table["metric"]) == ["headcount_end", "headcount_end", "promotions_total", "promotions_total"]
    assert list(table["label"])[::2] == [metric_label("headcount", "vi"), metric_label("promotions", "vi")]
    csv = pd.read_csv(folder / "summary.csv").set_index(["scenario", "metric"])
    for _, r in table.iterrows():
        assert np.isclose(r["mean"], csv.loc[(r["scenario"], r["metric"]), "mean"])


def test_comparison_page_shows_bands_differences_headline_and_download(comparison):
    root, folder = comparison[:2]
    box, rc = solara.render(
        solara.AppLayout(children=[ComparePage(DashboardSpec(results=str(root), overrides=SHORT))]), handle_error=False
    )
    assert rc.find(v.Select, label="Comparison folder").widget.v_model == str(folder)
    band_chart, diff_chart = _charts(rc)
    assert [p["title"] for p in band_chart.spec["vconcat"]] == [
        metric_label(m) for m in ("headcount", "leader_posts", "bench_strength")
    ]
    assert len(diff_chart.spec["vconcat"]) == 3
    assert "merge_offices" in json.dumps(diff_chart.spec["datasets"])
    # a chosen subset: one metric
    rc.find(v.Select, label="Metrics").widget.v_model = ["promotions"]
    band_chart, diff_chart = _charts(rc)
    assert [p["title"] for p in band_chart.spec["vconcat"]] == [metric_label("promotions")]
    from solara.components.datatable import DataTableWidget

    table = rc.find(DataTableWidget).widget
    assert [row["metric"] for row in table.items] == [metric_label("promotions")] * 2
    assert [row[UI["en"]["scenario"]] for row in table.items] == COMPARED
    assert any("Download CSV" in str(w.children) for w in rc.find(v.Btn).widgets)
    # the launcher is there, offering the scenarios found on the config search path
    offered = [item["value"] for w in rc.find(v.Select, label="Scenarios").widgets for item in w.items]
    assert set(sim.params.search.scenario_names()) <= set(offered)
    rc.close()


def test_comparison_page_without_a_folder_says_where_it_looked(tmp_path):
    box, rc = solara.render(
        solara.AppLayout(children=[ComparePage(DashboardSpec(results=str(tmp_path)))]), handle_error=False
    )
    assert any("No finished comparison in " + str(tmp_path) in str(w.children) for w in rc.find(v.Alert).widgets)
    rc.close()


def test_an_unfinished_or_foreign_folder_is_refused(comparison, tmp_path):
    folder = comparison[1]
    with pytest.raises(InputError, match="missing manifest.json, timeseries.parquet, summary.csv"):
        load_comparison(tmp_path)
    copy = tmp_path / "copy"
    shutil.copytree(folder, copy)
    manifest = json.loads((copy / "manifest.json").read_text())
    (copy / "manifest.json").write_text(json.dumps({**manifest, "status": "running"}))
    with pytest.raises(InputError, match="not complete \\(manifest status 'running'\\)"):
        load_comparison(copy)
    assert comparison_folders(tmp_path) == []


# --------------------------------------------------------------------------- the server
def test_offline_asset_aliases(tmp_path):
    src = tmp_path / "cdn"
    for name in ("vega@5.21.0", "vega@5.3.1", "vega-lite@5.2.0", "vega-embed@6", "requirejs@2.3.6"):
        (src / name / "build").mkdir(parents=True)
    (src / "@widgetti" / "app@10.1.1").mkdir(parents=True)
    assert assets.major_aliases(sorted(p.name for p in src.iterdir())) == {
        "vega@5": "vega@5.21.0",
        "vega-lite@5": "vega-lite@5.2.0",
        "requirejs@2": "requirejs@2.3.6",
    }
    out = assets.alias_folder(src, tmp_path / "out")
    assert (out / "vega@5").resolve() == (src / "vega@5.21.0").resolve()
    assert (out / "vega-embed@6").resolve() == (src / "vega-embed@6").resolve()
    assert (out / "@widgetti" / "app@10.1.1").resolve() == (src / "@widgetti" / "app@10.1.1").resolve()
    assert assets.alias_folder(src, out) == out  # idempotent


def test_dashboard_bad_settings_are_named(in_process):
    assert_user_error(
        in_process("experiments.dashboard", "dashboard.port=70000"), "dashboard.port = 70000 must be 1..65535"
    )
    assert_user_error(
        in_process("experiments.dashboard", "dashboard.parameters=[policy.pool.nope]"), "unknown key policy.pool.nope"
    )
    assert_user_error(in_process("experiments.dashboard", "dashboard.lang=fr"), "dashboard.lang")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _number(text: str) -> float:
    return float(text.replace(",", ""))


def _not_blank(png: Path) -> tuple[float, int]:
    """(share of pixels unlike the commonest colour, number of colours) of a screenshot."""
    from PIL import Image

    img = np.asarray(Image.open(png).convert("RGB")).reshape(-1, 3)
    colours, counts = np.unique(img, axis=0, return_counts=True)
    return 1.0 - counts.max() / counts.sum(), len(colours)


def test_the_served_pages_in_a_real_browser(comparison, tmp_path):
    """python -m experiments.dashboard on a free port, opened in headless Chromium: Step
    three times, the page's numbers equal a direct sim.simulate of the same months.
    Skipped without Debian's chromium, except in CI (.ci/run installs it), where that fails."""
    from playwright.sync_api import expect, sync_playwright

    if shutil.which("chromium") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("chromium is not installed: .ci/run should have installed Debian's package")
        pytest.skip("Debian's chromium is not installed (apt-get install -y chromium; .ci/run does it)")

    root, folder = comparison[:2]
    port = _free_port()
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "experiments.dashboard", f"dashboard.port={port}", f"dashboard.results={root}"],
        cwd=ROOT,
        env=plain_env(),
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    t0 = time.monotonic()
    # the same months simulated directly, while the server starts
    direct = sim.simulate(sim.load_config(["end=2018-11"])).timeseries.set_index("month").loc["2018-11"]
    url = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                with urllib.request.urlopen(url + "/", timeout=2) as r:
                    if r.status == 200:
                        break
            except OSError:
                pass
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail(
                    f"the server did not start: {server.stderr.read().decode() if server.poll() is not None else 'timeout'}"
                )
            time.sleep(0.3)
        t_up = time.monotonic()
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=shutil.which("chromium"), args=["--no-sandbox", "--disable-gpu"]
            )
            try:
                page = browser.new_page(viewport={"width": 1400, "height": 1000})
                page.goto(url + "/")
                expect(page).to_have_title(re.compile("cadresim"), timeout=30000)
                step = page.get_by_role("button", name="Step")
                step.wait_for(timeout=30000)
                for month in ("2018-09", "2018-10", "2018-11"):
                    step.click()
                    expect(page.get_by_test_id("now-month")).to_have_text(month, timeout=15000)
                shown = {
                    k: _number(page.get_by_test_id(f"now-{k}").inner_text())
                    for k in ("headcount", "leaders", "vacant_leader_posts", "bench_strength", "promotions")
                }
                page.locator("svg").nth(3).wait_for(timeout=15000)  # the charts are drawn (offline)
                live_png = tmp_path / "live.png"
                page.screenshot(path=str(live_png))
                t_live = time.monotonic()

                page.goto(url + "/compare")
                expect(page.get_by_text("End of horizon (2019-06)")).to_be_visible(timeout=30000)
                page.locator("svg").nth(1).wait_for(timeout=15000)
                compare_png = tmp_path / "compare.png"
                page.screenshot(path=str(compare_png))
                t_done = time.monotonic()
            finally:
                browser.close()
    finally:
        server.terminate()
        try:
            server.wait(5)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait(5)
        log.close()
    print(
        f"browser test: server up {t_up - t0:.1f} s, live page {t_live - t0:.1f} s, pages done {t_done - t0:.1f} s, server stopped {time.monotonic() - t0:.1f} s"
    )
    assert shown["headcount"] == direct["headcount"] and shown["leaders"] == direct["leaders"], (shown, direct)
    assert shown["vacant_leader_posts"] == direct["vacant_leader_posts"] and shown["promotions"] == direct["promotions"]
    assert shown["bench_strength"] == round(float(direct["bench_strength"]), 2)
    for png in (live_png, compare_png):
        changed, colours = _not_blank(png)
        assert changed > 0.05 and colours > 50, (png, changed, colours)
