"""Scenario comparison: every scenario run with the same replicate seeds, in parallel.

Usable without Hydra, e.g. from a notebook::

    from sim.studies.compare import replicate_seeds, run_comparison, scenario_configs, summarise_comparison
    cfgs = scenario_configs(["baseline", "merge_offices"], ["end=2021-12"])
    comp = run_comparison(cfgs, replicate_seeds(0, 20), workers=0)
    table = summarise_comparison(comp.runs)          # mean, p5, p95, paired differences

**Common random numbers.** Replicate ``r`` uses the seed ``seed + r`` in every scenario.
The model draws each process from its own named stream (sim/model.py), so a scenario's
runs differ from the baseline's only where the scenario really changes something, and
the difference of a pair (same replicate) has far less noise than the difference of two
independent runs. The intervals on differences below are computed on those pairs.

**Resuming.** With ``parts_dir`` set, each finished run is saved as one small parquet
file (its timeseries, with the summary and a key of its configuration in the file's
metadata), written atomically as it completes. A later call with the same ``parts_dir``
loads every part whose key still matches and runs only the rest.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import pickle
import shlex
import sys
import time
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from sim.core.errors import USER_ERRORS, ConfigError
from sim.params.schema import SimConfig

REFERENCE = "baseline"
# Overrides the comparison sets itself, so they are not passed on to each scenario.
EXPERIMENT_KEYS = ("scenario", "scenarios", "replications", "workers")
# Config fields that do not change what one run computes; left out of a run's key, so
# that e.g. raising `replications` reuses the runs already saved.
NON_MODEL_FIELDS = ("scenarios", "replications", "workers", "benchmark", "sensitivity", "sweep")
ID_COLUMNS = ("scenario", "replicate", "seed")
# Summary keys shown in report tables and the differences figure, when present.
KEY_OUTCOMES = (
    "headcount_end",
    "leaders_end",
    "leader_posts_end",
    "surplus_leaders_end",
    "vacant_leader_posts_end",
    "units_end",
    "leaders_women_share_end",
    "leaders_under40_share_end",
    "leaders_mean_age_end",
    "bench_strength_end",
    "retirements_total",
    "early_retirements_total",
    "promotions_total",
    "recruits_total",
    "succession_gaps_total",
    "wage_bill_end",
    "severance_cost_total",
)
PART_META_KEY = b"cadresim_run"


# --------------------------------------------------------------------------- configs
def scenario_overrides(task_overrides: list[str] | tuple[str, ...]) -> list[str]:
    """The command-line overrides that apply to every scenario's model.

    Drops ``hydra...`` overrides and the experiment keys (``scenario``, ``scenarios``,
    ``replications``, ``workers``): each scenario is set by the comparison itself.
    """
    keep = []
    for text in task_overrides:
        key = text.split("=", 1)[0].lstrip("+~")
        if key.startswith("hydra") or key in EXPERIMENT_KEYS:
            continue
        keep.append(text)
    return keep


def scenario_configs(names: list[str], overrides: list[str] | tuple[str, ...] = ()) -> dict[str, SimConfig]:
    """One composed SimConfig per scenario name: ``overrides + ["scenario=<name>"]``."""
    from sim.api import load_config

    if not names:
        raise ConfigError("scenarios is empty; name at least one scenario, e.g. scenarios=[baseline,merge_offices]")
    dup = sorted({n for n in names if list(names).count(n) > 1})
    if dup:
        raise ConfigError(f"scenarios: {', '.join(dup)} listed more than once")
    return {name: load_config([*overrides, f"scenario={name}"]) for name in names}


def replicate_seeds(base_seed: int, replications: int) -> list[int]:
    """Seeds of replicates 0..replications-1: ``base_seed + r`` (the same in every scenario)."""
    if replications < 1:
        raise ConfigError(f"replications = {replications} must be >= 1")
    return [int(base_seed) + r for r in range(replications)]


def run_key(cfg: SimConfig, seed: int) -> str:
    """A short hash of everything that determines one run's output (config + seed)."""
    data = dataclasses.asdict(cfg)
    for name in NON_MODEL_FIELDS:
        data.pop(name, None)
    data["seed"] = int(seed)
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def effective_workers(workers: int, n_jobs: int) -> int:
    """Processes to use: ``workers`` (0 = all local cores), never more than the jobs."""
    if workers < 0:
        raise ConfigError(f"workers = {workers} must be >= 0 (0 = all local cores)")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(workers or cores, n_jobs))


# --------------------------------------------------------------------------- one run
@dataclass
class RunOutput:
    """What a worker sends back: the run's timeseries (or None) and its summary."""

    scenario: str
    replicate: int
    seed: int
    timeseries: pd.DataFrame | None
    summary: dict[str, float]


def run_one(cfg_blob: bytes, scenario: str, replicate: int, seed: int, keep_timeseries: bool = True) -> RunOutput:
    """Simulate one (scenario, replicate); ``cfg_blob`` is the pickled SimConfig.

    The config arrives pickled once in the parent (cheap to send, no per-worker global
    state); the events table stays in the worker.
    """
    from sim.api import simulate

    cfg = pickle.loads(cfg_blob)
    res = simulate(cfg, seed=seed, replicate=replicate)
    ts = None
    if keep_timeseries:
        ts = res.timeseries
        # the comparison's name for the scenario labels the rows, whatever the YAML calls it
        ts["scenario"] = scenario
    return RunOutput(scenario, replicate, int(seed), ts, dict(res.summary))


# --------------------------------------------------------------------------- parts
class PartStore:
    """Finished runs saved one parquet file each, so an interrupted comparison resumes."""

    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)

    def file(self, scenario: str, replicate: int) -> Path:
        return self.path / f"{scenario}__r{replicate:05d}.parquet"

    def save(self, out: RunOutput, key: str) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        table = pa.Table.from_pandas(out.timeseries, preserve_index=False)
        meta = dict(table.schema.metadata or {})
        meta[PART_META_KEY] = json.dumps(
            {"scenario": out.scenario, "replicate": out.replicate, "seed": out.seed, "key": key, "summary": out.summary}
        ).encode()
        final = self.file(out.scenario, out.replicate)
        tmp = final.with_name(final.name + ".tmp")
        pq.write_table(table.replace_schema_metadata(meta), tmp)
        os.replace(tmp, final)  # atomic: a part exists whole or not at all

    def load(self, scenario: str, replicate: int, key: str) -> RunOutput | None:
        """The saved run, or None if absent, unreadable or made with another config."""
        import pyarrow.parquet as pq

        f = self.file(scenario, replicate)
        if not f.exists():
            return None
        try:
            table = pq.read_table(f)
            meta = json.loads(table.schema.metadata[PART_META_KEY])
        except Exception:  # a damaged part is simply run again
            return None
        if meta.get("key") != key:
            return None
        return RunOutput(scenario, replicate, int(meta["seed"]), table.to_pandas(), meta["summary"])


# --------------------------------------------------------------------------- many runs
@dataclass
class Comparison:
    """All runs of a comparison.

    ``timeseries``: one row per run and month (scenario, seed, replicate columns);
    ``runs``: one row per run, its summary metrics as columns.
    """

    timeseries: pd.DataFrame
    runs: pd.DataFrame
    scenarios: list[str]
    seeds: list[int]
    simulated: int = 0
    loaded: int = 0
    workers: int = 1
    seconds: float = 0.0


def run_comparison(
    cfgs_by_scenario: dict[str, SimConfig],
    seeds: list[int],
    workers: int = 0,
    *,
    parts_dir: Path | None = None,
    progress: bool = True,
    keep_timeseries: bool = True,
    desc: str = "runs",
) -> Comparison:
    """Run every scenario with every seed (replicate r = seeds[r]) on local cores.

    Args:
        cfgs_by_scenario: name -> composed SimConfig (see :func:`scenario_configs`).
        seeds: one seed per replicate, shared by all scenarios (common random numbers).
        workers: processes; 0 = all local cores; 1 = in this process.
        parts_dir: if set, finished runs are saved there and reloaded on the next call.
        progress: show a tqdm bar on stderr.
        keep_timeseries: False to return summaries only (less data between processes).
    """
    from tqdm import tqdm

    if parts_dir is not None and not keep_timeseries:
        raise ValueError("parts_dir needs keep_timeseries=True (a part is the run's timeseries)")
    t0 = time.perf_counter()
    names = list(cfgs_by_scenario)
    jobs = [(name, r, int(s)) for name in names for r, s in enumerate(seeds)]
    keys = {(name, r): run_key(cfgs_by_scenario[name], s) for name, r, s in jobs}
    store = PartStore(parts_dir) if parts_dir is not None else None
    done: dict[tuple[str, int], RunOutput] = {}
    if store is not None:
        for name, r, _ in jobs:
            out = store.load(name, r, keys[(name, r)])
            if out is not None:
                done[(name, r)] = out
    loaded = len(done)
    todo = [j for j in jobs if (j[0], j[1]) not in done]
    n_workers = effective_workers(workers, len(todo)) if todo else 0

    def finish(out: RunOutput) -> None:
        if store is not None:
            store.save(out, keys[(out.scenario, out.replicate)])
        done[(out.scenario, out.replicate)] = out

    bar = tqdm(total=len(jobs), initial=loaded, desc=desc, file=sys.stderr, disable=not progress, unit="run")
    try:
        if n_workers == 1:
            for name, r, s in todo:
                try:
                    finish(run_one(pickle.dumps(cfgs_by_scenario[name]), name, r, s, keep_timeseries))
                except USER_ERRORS as err:
                    raise _naming_the_run(err, name, r) from None
                bar.update()
        elif todo:
            blobs = {name: pickle.dumps(cfgs_by_scenario[name]) for name in names}
            # spawn: workers start clean (no inherited Hydra or matplotlib state), as on macOS/Windows
            ctx = multiprocessing.get_context("spawn")
            with ProcessPoolExecutor(max_workers=n_workers, mp_context=ctx) as pool:
                futures = {
                    pool.submit(run_one, blobs[name], name, r, s, keep_timeseries): (name, r) for name, r, s in todo
                }
                try:
                    for fut in as_completed(futures):
                        finish(_result_naming_the_run(fut, *futures[fut]))
                        bar.update()
                except BaseException:
                    for fut in futures:
                        fut.cancel()
                    raise
    finally:
        bar.close()

    outputs = [done[(name, r)] for name, r, _ in jobs]  # job order: deterministic tables
    runs = pd.DataFrame(
        [{"scenario": o.scenario, "replicate": o.replicate, "seed": o.seed, **o.summary} for o in outputs]
    )
    ts = (
        pd.concat([o.timeseries for o in outputs], ignore_index=True)
        if keep_timeseries
        else pd.DataFrame(columns=["month", *ID_COLUMNS])
    )
    return Comparison(
        timeseries=ts,
        runs=runs,
        scenarios=names,
        seeds=[int(s) for s in seeds],
        simulated=len(todo),
        loaded=loaded,
        workers=n_workers,
        seconds=time.perf_counter() - t0,
    )


def _naming_the_run(err: Exception, scenario: str, replicate: int) -> Exception:
    """The same user error, its message prefixed with the run it came from."""
    return type(err)(f"scenario {scenario} (replicate {replicate}): {err}")


def _result_naming_the_run(fut, scenario: str, replicate: int) -> RunOutput:
    try:
        return fut.result()
    except USER_ERRORS as err:
        raise _naming_the_run(err, scenario, replicate) from None


# --------------------------------------------------------------------------- statistics
def summarise_comparison(runs: pd.DataFrame, reference: str | None = REFERENCE) -> pd.DataFrame:
    """Per scenario and summary metric: the spread over replicates and the paired
    difference from the reference scenario.

    Args:
        runs: one row per run with columns scenario, replicate, and one per metric
            (``Comparison.runs``).
        reference: the scenario differences are taken from; if absent from ``runs``,
            the first scenario listed.

    Returns a long table, one row per (scenario, metric), in the metric's own unit:
    ``n`` (runs with a value), ``mean``, ``p5``, ``p95`` (5th and 95th percentiles over
    replicates), ``reference``, ``diff_mean`` (mean of scenario - reference over
    replicates paired by replicate number), ``diff_ci_low``/``diff_ci_high`` (90%
    confidence interval of that mean, Student t on the paired differences),
    ``diff_p5``/``diff_p95`` (5th/95th percentiles of the paired differences: how much
    one replicate's difference varies).
    """
    from scipy import stats

    if runs.empty:
        raise ValueError("no runs to summarise")
    scenarios = list(dict.fromkeys(runs["scenario"]))
    ref = reference if reference in scenarios else scenarios[0]
    metrics = [c for c in runs.columns if c not in ID_COLUMNS and pd.api.types.is_numeric_dtype(runs[c])]
    by_rep = {s: g.set_index("replicate")[metrics] for s, g in runs.groupby("scenario", sort=False)}
    base = by_rep[ref]
    rows = []
    for s in scenarios:
        g = by_rep[s]
        paired = g.merge(base, left_index=True, right_index=True, how="inner", suffixes=("", "__ref"))
        for m in metrics:
            v = g[m].to_numpy(dtype=float)
            v = v[~np.isnan(v)]
            d = (paired[m] - paired[f"{m}__ref"]).to_numpy(dtype=float)
            d = d[~np.isnan(d)]
            row = {"scenario": s, "metric": m, "n": len(v)}
            row.update(_spread(v))
            row["reference"] = ref
            row.update(_paired(d, stats))
            rows.append(row)
    return pd.DataFrame(rows)


def _spread(v: np.ndarray) -> dict[str, float]:
    if len(v) == 0:
        return {"mean": np.nan, "p5": np.nan, "p95": np.nan}
    p5, p95 = np.percentile(v, [5, 95])
    return {"mean": float(v.mean()), "p5": float(p5), "p95": float(p95)}


def _paired(d: np.ndarray, stats) -> dict[str, float]:
    out = dict.fromkeys(("diff_mean", "diff_ci_low", "diff_ci_high", "diff_p5", "diff_p95"), np.nan)
    if len(d) == 0:
        return out
    mean = float(d.mean())
    out["diff_mean"] = mean
    out["diff_p5"], out["diff_p95"] = (float(x) for x in np.percentile(d, [5, 95]))
    if len(d) > 1:
        half = float(stats.t.ppf(0.95, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)))
        out["diff_ci_low"], out["diff_ci_high"] = mean - half, mean + half
    return out


# --------------------------------------------------------------------------- benchmark
def time_comparison(cfg: SimConfig, replications: int) -> dict:
    """Time ``cfg.scenarios`` x ``replications`` runs on all local cores (``cfg.workers``).

    Inside a running Hydra app (experiments.benchmark) each scenario is composed with
    the app's command-line overrides; otherwise ``cfg`` with each scenario swapped in.
    Returns runs, wall seconds (process start-up included), runs per second, workers.
    """
    overrides = _hydra_task_overrides()
    if overrides is not None:
        cfgs = scenario_configs(list(cfg.scenarios), scenario_overrides(overrides))
    else:
        cfgs = {n: dataclasses.replace(cfg, scenario=scenario_configs([n])[n].scenario) for n in cfg.scenarios}
    t0 = time.perf_counter()
    comp = run_comparison(cfgs, replicate_seeds(cfg.seed, replications), cfg.workers, progress=False)
    wall = time.perf_counter() - t0
    n = len(comp.runs)
    return {
        "compare_scenarios": len(cfgs),
        "compare_runs": n,
        "compare_seconds": round(wall, 2),
        "compare_replications_per_s": round(n / wall, 2),
        "compare_workers": comp.workers,
    }


def _hydra_task_overrides() -> list[str] | None:
    try:
        from hydra.core.hydra_config import HydraConfig

        if HydraConfig.initialized():
            return list(HydraConfig.get().overrides.task)
    except ImportError:
        pass
    return None


# --------------------------------------------------------------------------- run folder
def write_comparison(
    out: Path,
    base_cfg: SimConfig,
    overrides: list[str],
    *,
    task_overrides: list[str] | None = None,
    progress: bool = True,
) -> Comparison:
    """Compose every scenario, run (resuming from ``out/parts``), and write the folder.

    Writes manifest.json (status "complete" last), timeseries.parquet, runs.csv (one
    row per run), summary.csv, figures/*.png and report.md into ``out``.
    """
    from sim.output.run_folder import RunFolder, config_hash

    out = Path(out)
    cfgs = scenario_configs(list(base_cfg.scenarios), overrides)
    seeds = replicate_seeds(base_cfg.seed, base_cfg.replications)
    folder = RunFolder(out, base_cfg, experiment="compare", seeds=seeds)
    folder.manifest.update(scenarios=list(cfgs), replications=base_cfg.replications)
    try:
        comp = run_comparison(cfgs, seeds, base_cfg.workers, parts_dir=out / "parts", progress=progress)
    except USER_ERRORS as err:
        folder.fail(str(err))
        raise
    except BaseException:
        n_parts = len(list((out / "parts").glob("*.parquet")))
        folder.fail(
            f"interrupted with {n_parts} of {len(cfgs) * len(seeds)} runs saved in parts/; "
            f"rerun the same command with hydra.run.dir={out} to finish"
        )
        raise
    try:
        table = summarise_comparison(comp.runs)
        comp.timeseries.to_parquet(out / "timeseries.parquet", index=False)
        comp.runs.to_csv(out / "runs.csv", index=False)
        table.to_csv(out / "summary.csv", index=False)
        figs = comparison_figures(comp, table, out / "figures", base_cfg.policy)
        command = _command(task_overrides if task_overrides is not None else overrides)
        (out / "report.md").write_text(comparison_report(comp, table, cfgs, base_cfg, overrides, figs, command, out))
    except BaseException as err:
        # the runs are safe in parts/: a rerun only redoes the tables and figures
        folder.fail(
            f"writing the outputs failed ({type(err).__name__}: {err}); all runs are saved in parts/, "
            f"rerun the same command with hydra.run.dir={out} to retry"
        )
        raise
    folder.complete(
        scenarios=list(cfgs),
        replications=len(seeds),
        reference=table["reference"].iloc[0],
        overrides=overrides,
        scenario_config_hashes={n: config_hash(c) for n, c in cfgs.items()},
        runs_simulated=comp.simulated,
        runs_loaded_from_parts=comp.loaded,
        workers=comp.workers,
        run_seconds=round(comp.seconds, 3),
        figures=figs,
    )
    return comp


def _command(task_overrides: list[str]) -> str:
    return " ".join(["python -m experiments.compare", *(shlex.quote(o) for o in task_overrides)])


def comparison_figures(comp: Comparison, table: pd.DataFrame, figdir: Path, policy=None) -> list[str]:
    """Save the comparison's figures into ``figdir``; returns their file names.

    ``policy`` (a PolicyConfig) supplies the pool targets drawn on the pipeline panel.
    """
    import matplotlib.pyplot as plt

    from sim.plots import comparison as compare_plots

    figdir.mkdir(parents=True, exist_ok=True)
    made: list[str] = []

    def save(fig, name: str) -> None:
        fig.savefig(figdir / name, dpi=110)
        plt.close(fig)
        made.append(name)

    ts = comp.timeseries
    metrics = [m for m in compare_plots.TIME_METRICS if m in ts.columns]
    save(compare_plots.metrics_over_time(ts, metrics), "metrics_over_time.png")
    outcomes = [m for m in KEY_OUTCOMES if m in set(table["metric"])]
    save(compare_plots.end_differences(table, outcomes), "differences_from_reference.png")
    try:  # pipeline figures come from another module; skip if it is not there yet
        from sim.plots import pipeline as pipeline_plots
    except ImportError:
        pipeline_plots = None
    if pipeline_plots is not None:
        if any(c in ts.columns for c in compare_plots.PIPELINE_COLUMNS):
            pool = policy.pool if policy is not None else None
            targets = {"women_target": pool.women_target, "young_target": pool.young_target} if pool else {}
            save(pipeline_plots.pipeline_panel(ts, **targets), "pipeline.png")
        if any(c.startswith(("congress_2020_", "congress_2025_")) for c in comp.runs.columns):
            save(pipeline_plots.congress_bars(comp.runs), "congress.png")
    return made


def _fmt(x: float) -> str:
    if x is None or not np.isfinite(x):
        return "–"
    if abs(x) >= 100 or float(x).is_integer():
        return f"{x:,.0f}"
    return f"{x:.3g}"


def comparison_report(
    comp: Comparison,
    table: pd.DataFrame,
    cfgs: dict[str, SimConfig],
    base_cfg: SimConfig,
    overrides: list[str],
    figs: list[str],
    command: str,
    out: Path,
) -> str:
    """report.md: what was run, the key tables, the figures, how to reproduce it."""
    import yaml

    ref = table["reference"].iloc[0]
    outcomes = [m for m in KEY_OUTCOMES if m in set(table["metric"])]
    t = table.set_index(["scenario", "metric"])
    others = [s for s in comp.scenarios if s != ref]

    def md_table(scenarios: list[str], cell) -> str:
        # metrics as rows: their names are long, scenario names short
        lines = ["| metric | " + " | ".join(scenarios) + " |", "|---|" + "---|" * len(scenarios)]
        lines += [f"| {m} | " + " | ".join(cell(t.loc[(s, m)]) for s in scenarios) + " |" for m in outcomes]
        return "\n".join(lines)

    levels = md_table(comp.scenarios, lambda r: f"{_fmt(r['mean'])} [{_fmt(r['p5'])}, {_fmt(r['p95'])}]")
    diffs = (
        md_table(others, lambda r: f"{_fmt(r['diff_mean'])} [{_fmt(r['diff_ci_low'])}, {_fmt(r['diff_ci_high'])}]")
        if others
        else "(only the reference scenario was run)"
    )
    scen_rows = "\n".join(
        f"| {n} | {c.scenario.description or '–'} | {len(c.scenario.actions)} | {c.scenario.source or '–'} |"
        for n, c in cfgs.items()
    )
    fig_md = "\n\n".join(f"![{f}](figures/{f})" for f in figs)
    conf = yaml.safe_dump(
        {k: v for k, v in dataclasses.asdict(base_cfg).items() if k in ("seed", "start", "end", "roster", "policy")},
        sort_keys=False,
        allow_unicode=True,
    )
    seeds = comp.seeds
    return f"""# cadresim comparison: {len(comp.scenarios)} scenario(s) x {len(seeds)} replication(s)

Horizon {base_cfg.start} to {base_cfg.end}; organisation `{base_cfg.org.name}`. Replicate r
uses seed {seeds[0]} + r (seeds {seeds[0]}..{seeds[-1]}) in every scenario (common random
numbers), so differences are paired by replicate. Reference scenario: `{ref}`.
Runs: {comp.simulated} simulated{f" on {comp.workers} worker process(es)" if comp.simulated else ""},
{comp.loaded} loaded from `parts/` (saved by an earlier, interrupted or repeated attempt).

## Scenarios

| scenario | description | actions | source |
|---|---|---|---|
{scen_rows}

## End of horizon ({base_cfg.end}): mean [5th, 95th percentile over replicates]

{levels}

## Difference from `{ref}`: mean of paired differences [90% confidence interval]

{diffs}

All metrics and scenarios, with the spread of single-replicate differences
(`diff_p5`, `diff_p95`), are in `summary.csv`; one row per run in `runs.csv`; every
month of every run in `timeseries.parquet`. `_end` is the value in {base_cfg.end},
`_total` the sum over the horizon, `_2020_10`/`_2025_10` the value in that congress month.

## Figures

{fig_md}

## Configuration

Overrides applied to every scenario: `{" ".join(overrides) or "(none)"}`.
Reference scenario's seed, horizon and policy:

```yaml
{conf}```

## Reproduce

```bash
{command}
```

The same command with `hydra.run.dir={out}` reruns into this folder: runs already in
`parts/` are loaded, not rerun, so an interrupted comparison finishes where it stopped.
"""
