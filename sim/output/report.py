"""Writing run folders: tables, figures and report.md from Results (no simulation here)."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import yaml

from sim.core.errors import USER_ERRORS
from sim.output.glossary import phrase
from sim.output.result import Result
from sim.output.run_folder import RunFolder
from sim.plots import run as plotting
from sim.plots.style import save


def single_run_figures(res: Result, figdir: Path) -> list[str]:
    """Save one run's figures into ``figdir``; returns their file names."""
    ts = res.timeseries
    names = [
        save(plotting.headcount_and_leaders(ts), figdir / "headcount_leaders.png"),
        save(plotting.age_pyramid(res.ages), figdir / "age_pyramid.png"),
        save(plotting.flows_per_year(ts), figdir / "flows_per_year.png"),
    ]
    names += [save(fig, figdir / name) for name, fig in plotting.single_run_extra_figures(res)]
    return names


def draws_figures(cfg) -> bool:
    """``report.figures`` of a config (True for one without a ``report`` section)."""
    return bool(getattr(getattr(cfg, "report", None), "figures", True))


def write_single_run(out: Path, cfg, run: Callable[[], Result]) -> Result:
    """Run and write a single-replication folder; the manifest says complete last."""
    folder = RunFolder(out, cfg, experiment="run", seeds=[cfg.seed])
    try:
        res = run()
    except USER_ERRORS as err:
        folder.fail(str(err))
        raise
    res.timeseries.to_parquet(out / "timeseries.parquet", index=False)
    res.events.to_parquet(out / "events.parquet", index=False)
    pd.DataFrame(
        [{"scenario": res.scenario, "seed": res.seed, "metric": k, "value": v} for k, v in res.summary.items()]
    ).to_csv(out / "summary.csv", index=False)
    figs = single_run_figures(res, out / "figures") if draws_figures(cfg) else []
    (out / "report.md").write_text(single_run_report(res, cfg, figs))
    folder.complete(scenario=res.scenario, org_counts=res.org_counts)
    return res


def single_run_report(res: Result, cfg, figs: list[str]) -> str:
    keys = [
        "headcount_start",
        "headcount_end",
        "leader_posts_end",
        "leaders_end",
        "vacant_leader_posts_end",
        "leaders_women_share_end",
        "leaders_under40_share_end",
        "leaders_mean_age_end",
        "retirements_total",
        "other_exits_total",
        "recruits_total",
        "promotions_total",
    ]
    rows = "\n".join(f"| {k} | {res.summary[k]:.4g} |" for k in keys if k in res.summary)
    fig_md = "\n\n".join(f"![{f}](figures/{f})" for f in figs) if draws_figures(cfg) else phrase("no_figures")
    conf = yaml.safe_dump(
        {k: v for k, v in dataclasses.asdict(cfg).items() if k in ("seed", "start", "end", "roster", "scenario", "policy")},
        sort_keys=False,
        allow_unicode=True,
    )
    return (
        f"# cadresim run: scenario `{res.scenario}`, seed {res.seed}\n\n"
        f"Horizon {cfg.start} to {cfg.end}; organisation `{cfg.org.name}` "
        f"({res.org_counts.get('units', '?')} units, {res.org_counts.get('posts', '?')} posts).\n\n"
        f"## Key outcomes\n\n| metric | value |\n|---|---|\n{rows}\n\n"
        f"## Figures\n\n{fig_md}\n\n"
        f"## Configuration (scenario and policy)\n\n```yaml\n{conf}```\n\n"
        f"Reproduce: `python -m experiments.run scenario={res.scenario} seed={res.seed}` "
        f"(with the same overrides as in `.hydra/overrides.yaml`).\n"
    )
