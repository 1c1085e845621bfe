"""sim.plots as one package: importing it leaves matplotlib's backend alone, figures are
not left open in pyplot, and words on figures come from the metric registry."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from matplotlib.figure import Figure

from sim.metrics import METRICS, metric
from sim.output.comparison import KEY_METRICS, KEY_OUTCOMES
from sim.plots import comparison, pipeline, run, style

ROOT = Path(__file__).resolve().parent.parent


def test_importing_the_plots_and_writers_does_not_touch_the_backend():
    """In a fresh interpreter: no backend is chosen by importing, and one the user
    chose is kept; a figure is drawn and saved without pyplot ever being imported."""
    code = textwrap.dedent(
        """
        import sys
        import matplotlib
        import sim.plots.style, sim.plots.run, sim.plots.pipeline, sim.plots.comparison
        import sim.output.report, sim.output.comparison, sim.output.comparison_report, sim.output.study_reports
        import sim.studies.compare, sim.studies.sensitivity, sim.studies.sweep, sim.studies.benchmark
        assert matplotlib.rcParams._get_backend_or_none() is None, matplotlib.rcParams._get_backend_or_none()
        assert "matplotlib.pyplot" not in sys.modules
        matplotlib.use("svg")
        import importlib
        for name in ("sim.plots.style", "sim.plots.run", "sim.plots.pipeline", "sim.plots.comparison"):
            importlib.reload(sys.modules[name])
        assert matplotlib.get_backend() == "svg", matplotlib.get_backend()
        import pandas as pd
        ts = pd.DataFrame({"month": ["2019-01", "2019-02"], "scenario": "s", "seed": 0, "headcount": [1, 2]})
        sim.plots.style.save(sim.plots.comparison.metrics_over_time(ts, ["headcount"]), sys.argv[1])
        assert "matplotlib.pyplot" not in sys.modules
        """
    )
    env = {k: v for k, v in os.environ.items() if k != "MPLBACKEND"}
    out = Path(os.environ.get("TMPDIR", "/tmp")) / f"cadresim_backend_{os.getpid()}.png"
    p = subprocess.run([sys.executable, "-c", code, str(out)], cwd=ROOT, env=env, capture_output=True, text=True)
    assert p.returncode == 0, p.stderr
    assert out.stat().st_size > 1000
    out.unlink()


def test_summary_keys_in_words_and_units():
    assert style.summary_text("headcount_end") == "cadres in post at the end"
    assert style.summary_unit("headcount_end") == "people"
    assert style.summary_text("promotions_total") == "promotions, total over the horizon"
    assert style.summary_unit("promotions_total") == "people"  # a monthly flow summed: no "per month"
    assert style.summary_text("leaders_2020_10") == f"{metric('leaders').text()} in 2020-10"
    assert style.summary_text("congress_2020_share_women") == "congress 2020 share women"
    assert style.summary_text("headcount_end", "vi") == f"{metric('headcount').text('vi')} cuối kỳ"
    assert style.yearly_unit("succession_gaps") == "posts per year"


def test_every_listed_metric_is_in_the_registry():
    names = {m.name for m in METRICS}
    for name in (*comparison.TIME_METRICS, *pipeline.PANEL_COLUMNS, *run.RESTRUCTURING_PANELS, *KEY_METRICS):
        assert name in names, name
    assert KEY_OUTCOMES[0] == "headcount_end" and "promotions_total" in KEY_OUTCOMES


def _comparison_table(months=("2019-01", "2019-02", "2019-03")):
    rows = [
        {"month": m, "scenario": s, "seed": r, "replicate": r, "headcount": 100 + i + r + k,
         "leaders_women_share": 0.2 + 0.01 * r}
        for k, s in enumerate(("baseline", "merged")) for r in range(3) for i, m in enumerate(months)
    ]  # fmt: skip
    return pd.DataFrame(rows)


def test_metrics_over_time_draws_the_mean_and_band_with_registry_labels():
    ts = _comparison_table()
    fig = comparison.metrics_over_time(ts, ["headcount", "leaders_women_share"])
    assert isinstance(fig, Figure)
    a, b = fig.axes  # one row per metric; one column: the reference beside "merged"
    assert a.get_ylabel() == f"{metric('headcount').text()} (people)"
    assert b.get_ylabel() == f"{metric('leaders_women_share').text()} (%)"
    assert [t.get_text() for t in a.get_legend().get_texts()] == ["baseline", "merged"]
    assert b.yaxis.get_major_formatter().__class__.__name__ == "PercentFormatter"
    line = a.lines[0]
    np.testing.assert_allclose(line.get_ydata(), [101, 102, 103])  # mean over replicates 0, 1, 2
    np.testing.assert_allclose(line.get_xdata(), [2019, 2019 + 1 / 12, 2019 + 2 / 12])
    assert len(a.collections) == 2  # one 5-95% band per scenario


def test_panel_grid_keeps_only_the_panels_asked_for():
    fig, axes = style.panel_grid(5, ncols=3)
    assert len(axes) == 5 and len(fig.axes) == 5
    assert tuple(fig.get_size_inches()) == pytest.approx((4.6 * 3, 3.2 * 2))


def test_save_writes_at_the_fixed_size(tmp_path):
    fig = style.figure(4, 3)
    fig.subplots().plot([0, 1], [0, 1])
    name = style.save(fig, tmp_path / "f.png")
    from PIL import Image

    with Image.open(tmp_path / name) as img:
        assert img.size == (4 * style.DPI, 3 * style.DPI)
