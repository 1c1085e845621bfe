"""Global sensitivity analysis with SALib: which uncertain parameters move which outcomes.

The experiment is declared in the config (``sensitivity``, see
``configs/experiment/sensitivity.yaml``): the parameters (dotted config keys with a
range), the outcomes (summary keys), the method (Morris elementary effects by default,
or Sobol variance indices), the sample size and the replications averaged at each
sample point. Every sample point uses the same replicate seeds (``seed + r``), so
differences between points are not blurred by different random draws.

Usable without Hydra::

    from sim.studies.sensitivity import run_sensitivity
    res = run_sensitivity(sim.load_config(["+experiment=sensitivity", "end=2021-12"]))
    res.indices                       # one row per (outcome, parameter)
"""

from __future__ import annotations

import dataclasses
import math
import warnings
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
from SALib.analyze import morris as morris_analyze
from SALib.analyze import sobol as sobol_analyze
from SALib.sample import morris as morris_sample
from SALib.sample import sobol as sobol_sample

from sim.api import simulate
from sim.core.errors import USER_ERRORS, ConfigError
from sim.output.run_folder import RunFolder
from sim.output.study_reports import MORRIS_COLUMNS, SOBOL_COLUMNS, write_sensitivity_files
from sim.params.schema import ParamRange, SensitivitySpec, SimConfig
from sim.studies.runner import Job, replicate_seeds, run_jobs


# --------------------------------------------------------------------------- parameters
def _field_names(obj) -> list[str]:
    return [f.name for f in dataclasses.fields(obj)]


def get_param(cfg: SimConfig, name: str):
    """The value at a dotted key, e.g. ``policy.vacancy.fill_probability_leader``.

    Raises ConfigError naming the first unknown part and the valid keys there.
    """
    obj, path = cfg, []
    for part in name.split("."):
        if not dataclasses.is_dataclass(obj):
            raise ConfigError(f"sensitivity parameter {name}: {'.'.join(path)} has no sub-keys")
        if part not in _field_names(obj):
            where = ".".join(path) or "the top level"
            raise ConfigError(
                f"sensitivity parameter {name}: '{part}' is not a key of {where}; valid: {', '.join(_field_names(obj))}"
            )
        obj = getattr(obj, part)
        path.append(part)
    return obj


def set_param(cfg, name: str, value: float):
    """A copy of ``cfg`` with the number at dotted key ``name`` set to ``value``.

    The value is rounded when the field holds an int. Each dataclass on the path is
    rebuilt with ``dataclasses.replace``, so its range checks run again (ConfigError).
    """
    head, _, rest = name.partition(".")
    current = getattr(cfg, head)
    if rest:
        return dataclasses.replace(cfg, **{head: set_param(current, rest, value)})
    new = int(round(float(value))) if isinstance(current, int) else float(value)
    return dataclasses.replace(cfg, **{head: new})


def check_parameters(cfg: SimConfig, spec: SensitivitySpec) -> None:
    """Every parameter is a distinct numeric config key; Morris grids of integer
    parameters hit distinct integers; a Sobol sample size is a power of two."""
    if not spec.parameters:
        raise ConfigError(
            "sensitivity.parameters is empty; run with +experiment=sensitivity (the ranges in "
            "configs/experiment/sensitivity.yaml) or give your own list"
        )
    names = [p.name for p in spec.parameters]
    dup = sorted({n for n in names if names.count(n) > 1})
    if dup:
        raise ConfigError(f"sensitivity.parameters: {', '.join(dup)} listed more than once")
    if not spec.outcomes:
        raise ConfigError("sensitivity.outcomes is empty; name at least one summary key, e.g. [leaders_end]")
    for p in spec.parameters:
        value = get_param(cfg, p.name)
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ConfigError(
                f"sensitivity parameter {p.name}: holds {value!r}, not a number; only numeric keys can be varied"
            )
        if (p.integer or isinstance(value, int)) and spec.method == "morris":
            grid = [round(p.low + k * (p.high - p.low) / (spec.levels - 1)) for k in range(spec.levels)]
            if len(set(grid)) < len(grid):
                raise ConfigError(
                    f"sensitivity parameter {p.name}: the {spec.levels} Morris levels on [{p.low}, {p.high}] "
                    f"round to repeated integers {grid}; widen the range or use fewer levels"
                )
    if spec.method == "morris" and spec.levels < 2:
        raise ConfigError(f"sensitivity.levels = {spec.levels} must be >= 2 for Morris")
    if spec.method == "sobol" and spec.samples & (spec.samples - 1):
        raise ConfigError(
            f"sensitivity.samples = {spec.samples}: Sobol needs a power of two (e.g. {2 ** math.ceil(math.log2(spec.samples))})"
        )


def problem(parameters: list[ParamRange]) -> dict:
    """The SALib problem definition."""
    return {
        "num_vars": len(parameters),
        "names": [p.name for p in parameters],
        "bounds": [[float(p.low), float(p.high)] for p in parameters],
    }


def sample(spec: SensitivitySpec, seed: int) -> np.ndarray:
    """Sample points (rows) x parameters (columns), in the parameters' units.

    Morris: ``samples`` trajectories of (parameters + 1) points on a ``levels`` grid.
    Sobol (Saltelli scheme, first and total order): ``samples`` x (parameters + 2) points.
    """
    prob = problem(spec.parameters)
    if spec.method == "morris":
        return morris_sample.sample(prob, spec.samples, num_levels=spec.levels, seed=seed)
    return sobol_sample.sample(prob, spec.samples, calc_second_order=False, seed=seed)


def point_configs(cfg: SimConfig, spec: SensitivitySpec, X: np.ndarray) -> dict[str, SimConfig]:
    """One config per sample point, keyed ``p00000``, ``p00001``, ..."""
    out = {}
    for i, row in enumerate(X):
        c = cfg
        for p, v in zip(spec.parameters, row):
            c = set_param(c, p.name, round(v) if p.integer else v)
        out[f"p{i:05d}"] = c
    return out


# --------------------------------------------------------------------------- analysis
def analyse(spec: SensitivitySpec, X: np.ndarray, Y: pd.DataFrame, seed: int) -> pd.DataFrame:
    """Indices per outcome (columns of ``Y``, one row per sample point) and parameter.

    Morris: ``mu`` (mean elementary effect), ``mu_star`` (mean absolute effect),
    ``sigma`` (sd of effects: non-linearity or interactions), ``mu_star_conf`` (95%
    bootstrap half-width); effects are in the outcome's unit per full parameter range.
    Sobol: ``S1`` first-order and ``ST`` total-order shares of the outcome's variance,
    with 95% bootstrap half-widths. An outcome that does not vary gives NaN indices.
    """
    prob = problem(spec.parameters)
    frames = []
    for outcome in Y.columns:
        y = Y[outcome].to_numpy(dtype=float)
        # constant or partly NaN outcomes give 0/0 inside SALib: report NaN, not a warning storm
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            if spec.method == "morris":
                res = morris_analyze.analyze(prob, X, y, num_levels=spec.levels, num_resamples=1000, seed=seed)
                cols = MORRIS_COLUMNS
            else:
                res = sobol_analyze.analyze(prob, y, calc_second_order=False, num_resamples=1000, seed=seed)
                cols = SOBOL_COLUMNS
        df = pd.DataFrame({c: np.asarray(res[c], dtype=float) for c in cols})
        if np.nanstd(y) == 0 or np.isnan(y).any():
            df.loc[:, list(cols)] = np.nan
        df.insert(0, "parameter", prob["names"])
        df.insert(0, "outcome", outcome)
        frames.append(df)
    table = pd.concat(frames, ignore_index=True)
    ranges = pd.DataFrame([{"parameter": p.name, "low": p.low, "high": p.high} for p in spec.parameters])
    return table.merge(ranges, on="parameter", how="left")


@dataclass
class SensitivityResult:
    """``samples``: one row per sample point (parameter values as applied, outcome means);
    ``indices``: one row per (outcome, parameter); ``runs``: number of simulations."""

    samples: pd.DataFrame
    indices: pd.DataFrame
    method: str
    runs: int
    seeds: list[int]


def sensitivity_jobs(cfgs_by_point: dict[str, SimConfig], seeds: list[int]) -> list[Job]:
    """Every sample point with every replicate seed (the same seeds at every point)."""
    return [Job(point, cfg, int(s), r) for point, cfg in cfgs_by_point.items() for r, s in enumerate(seeds)]


def run_sensitivity(cfg: SimConfig, *, progress: bool = True) -> SensitivityResult:
    """Sample, simulate every point ``sensitivity.replications`` times on ``cfg.workers``
    local cores (0 = all), average the outcomes per point and compute the indices."""
    spec = cfg.sensitivity
    check_parameters(cfg, spec)
    X = sample(spec, cfg.seed)
    cfgs = point_configs(cfg, spec, X)
    seeds = replicate_seeds(cfg.seed, spec.replications)
    # one probe run checks the outcome names before the whole sample is spent
    probe = simulate(next(iter(cfgs.values())), seed=seeds[0]).summary
    bad = [o for o in spec.outcomes if o not in probe]
    if bad:
        raise ConfigError(f"sensitivity.outcomes: unknown summary key(s) {', '.join(bad)}; valid: {', '.join(probe)}")
    batch = run_jobs(
        sensitivity_jobs(cfgs, seeds),
        cfg.workers,
        progress=progress,
        keep_timeseries=False,
        desc="sample runs",
        noun="sample point",
        label_column="point",
    )
    runs = batch.runs_table("point")
    Y = runs.groupby("point", sort=False)[list(spec.outcomes)].mean().reindex(list(cfgs))
    applied = pd.DataFrame(
        [{p.name: get_param(c, p.name) for p in spec.parameters} for c in cfgs.values()], index=list(cfgs)
    )
    samples = pd.concat([applied, Y], axis=1).rename_axis("point").reset_index()
    indices = analyse(spec, X, Y, cfg.seed)
    return SensitivityResult(samples, indices, spec.method, len(runs), seeds)


# --------------------------------------------------------------------------- run folder
def write_sensitivity(out: Path, cfg: SimConfig, *, progress: bool = True) -> SensitivityResult:
    """Run and write ``out``: indices.csv, samples.csv, figures/sensitivity.png,
    report.md and manifest.json (complete last)."""
    out = Path(out)
    spec = cfg.sensitivity
    check_parameters(cfg, spec)
    folder = RunFolder(out, cfg, experiment="sensitivity", seeds=replicate_seeds(cfg.seed, spec.replications))
    try:
        res = run_sensitivity(cfg, progress=progress)
    except USER_ERRORS as err:
        folder.fail(str(err))
        raise
    write_sensitivity_files(out, res.indices, res.samples, res.method, cfg, res.runs, res.seeds)
    folder.complete(
        method=res.method,
        parameters=[p.name for p in spec.parameters],
        outcomes=list(spec.outcomes),
        points=len(res.samples),
        replications=spec.replications,
        runs=res.runs,
    )
    return res
