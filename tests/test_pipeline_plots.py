"""Pipeline figures: a synthetic table in, a Figure with the expected pieces out."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PolyCollection
from matplotlib.container import ErrorbarContainer
from matplotlib.figure import Figure

from sim.plots.pipeline import congress_bars, pipeline_panel


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    plt.close("all")


def _timeseries(scenarios=("baseline", "all_pilots"), seeds=(1, 2)):
    """Monthly rows 2019-01..2021-06 for each scenario and seed."""
    months = pd.period_range("2019-01", "2021-06", freq="M")
    rng = np.random.default_rng(0)
    rows = []
    for s in scenarios:
        for seed in seeds:
            for m in months:
                rows.append(
                    dict(
                        month=str(m),
                        scenario=s,
                        seed=seed,
                        bench_strength=2 + rng.random(),
                        succession_gaps=int(rng.integers(0, 3)),
                        pool_women_share=0.2 + 0.1 * rng.random(),
                        pool_under40_share=0.1 + 0.1 * rng.random(),
                        rotations_active=int(rng.integers(5, 15)),
                    )
                )
    return pd.DataFrame(rows)


def _bars(ax):
    return [p for p in ax.patches if p.get_height() == p.get_height()]  # drawn bars (non-NaN)


def test_pipeline_panel_layout():
    ts = _timeseries()
    fig = pipeline_panel(ts)
    assert isinstance(fig, Figure)
    bench, gaps, shares, rot = fig.axes
    assert len(fig.axes) == 4
    assert len(_bars(gaps)) == 2 * 3  # 2 scenarios x years 2019, 2020, 2021
    # several seeds: a 5-95% band around each scenario's mean
    assert sum(isinstance(c, PolyCollection) for c in bench.collections) == 2
    assert sum(isinstance(c, ErrorbarContainer) for c in gaps.containers) == 2
    # 2 scenarios x 2 shares, plus the two dashed target lines at the given values
    dashed = [tuple(line.get_ydata()) for line in shares.lines if line.get_linestyle() == "--"]
    assert sorted(y[0] for y in dashed) == [0.15, 0.25]
    assert len(shares.lines) == 2 * 2 + 2
    assert len(rot.lines) == 2


def test_pipeline_panel_gap_bars_are_yearly_sums():
    ts = _timeseries(scenarios=("baseline",), seeds=(1,))
    ts["succession_gaps"] = 1  # 12 per full year, 6 in the half year 2021
    fig = pipeline_panel(ts, women_target=0.3, young_target=0.2)
    gaps = fig.axes[1]
    assert [p.get_height() for p in _bars(gaps)] == [12, 12, 6]
    assert not gaps.containers[0].errorbar  # one run: no error bars
    assert not any(isinstance(c, PolyCollection) for c in fig.axes[0].collections)  # nor bands
    dashed = sorted(line.get_ydata()[0] for line in fig.axes[2].lines if line.get_linestyle() == "--")
    assert dashed == [0.2, 0.3]


def test_pipeline_panel_without_seed_column_and_missing_metric():
    ts = _timeseries(scenarios=("baseline",), seeds=(1,)).drop(columns=["seed", "rotations_active"])
    fig = pipeline_panel(ts)
    assert len(fig.axes) == 4
    assert len(fig.axes[3].lines) == 0
    assert any("no rotations_active" in t.get_text() for t in fig.axes[3].texts)


def _summary(runs=3):
    rng = np.random.default_rng(1)
    rows = []
    for s in ("baseline", "merge_offices"):
        for r in range(runs):
            rows.append(
                {
                    "scenario": s,
                    "seed": r,
                    "headcount_end": 100,  # not a congress key: ignored
                    "congress_2020_share_women": rng.random(),
                    "congress_2020_share_under40": rng.random(),
                    "congress_2020_share_new": rng.random(),
                    "congress_2020_mean_age": 50 + rng.random(),
                    "congress_2020_non_local_district_secretaries": int(rng.integers(0, 8)),
                    "congress_2025_share_women": rng.random(),
                    "congress_2025_mean_age": 50 + rng.random(),
                }
            )
    return pd.DataFrame(rows)


def test_congress_bars_layout():
    fig = congress_bars(_summary())
    assert isinstance(fig, Figure)
    titles = [ax.get_title() for ax in fig.axes]
    assert titles == [
        "women share",
        "under-40 share",
        "share newly elected",
        "mean age (years)",
        "non-local district secretaries",
    ]
    counts = [len(_bars(ax)) for ax in fig.axes]
    assert counts == [2 * 2, 2, 2, 2 * 2, 2]  # scenarios x congress years present
    assert all(any(isinstance(c, ErrorbarContainer) for c in ax.containers) for ax in fig.axes)


def test_congress_bars_heights_are_means():
    df = pd.DataFrame(
        {
            "scenario": ["a", "a", "b"],
            "congress_2020_share_women": [0.1, 0.3, 0.5],
            "congress_2025_share_women": [0.2, np.nan, np.nan],
        }
    )
    fig = congress_bars(df)
    (ax,) = fig.axes
    heights = sorted(round(p.get_height(), 9) for p in _bars(ax))
    assert heights == [0.2, 0.2, 0.5]  # a 2020 mean, a 2025 (NaN skipped), b 2020; b 2025 has no data


def test_congress_bars_single_run_has_no_error_bars():
    fig = congress_bars(_summary(runs=1))
    assert not any(isinstance(c, ErrorbarContainer) for ax in fig.axes for c in ax.containers)
