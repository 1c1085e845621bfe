"""Scenario comparison: every scenario run with the same replicate seeds, in parallel.

Usable without Hydra, e.g. from a notebook::

    from sim.studies.compare import replicate_seeds, run_comparison, scenario_configs, summarise_comparison
    cfgs = scenario_configs(["baseline", "merge_offices"], ["end=2021-12"])
    comp = run_comparison(cfgs, replicate_seeds(0, 20), workers=0)
    table = summarise_comparison(comp.runs)          # mean, p5, p95, paired differences

**Common random numbers.** Replicate ``r`` uses the seed ``seed + r`` in every scenario.
The model draws each process from its own named stream, so a scenario's runs differ
from the baseline's only where the scenario really changes something, and the
difference of a pair (same replicate) has far less noise than the difference of two
independent runs (``sim.studies.stats``).

**Resuming.** With ``parts_dir`` set, each finished run is saved in the part store
(``sim.studies.parts``) as it completes; a later call with the same ``parts_dir`` loads
every part whose key still matches and runs only the rest.

A comparison is a list of jobs (scenario x replicate) for the study runner
(``sim.studies.runner``); its tables are written by ``sim.output.comparison_report``.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd

from sim.api import load_config
from sim.core.errors import USER_ERRORS, ConfigError, describe_os_error
from sim.engine.streams import stream_at
from sim.output.comparison import Comparison, compare_command
from sim.output.comparison_report import comparison_figures, write_comparison_files
from sim.output.run_folder import RunFolder, config_hash, file_sha256, input_hashes
from sim.params.schema import SimConfig
from sim.restructuring import plan
from sim.studies.parts import PartStore, RunOutput
from sim.studies.runner import Job, replicate_seeds, run_jobs, run_key
from sim.studies.stats import ID_COLUMNS, REFERENCE, summarise_comparison
from sim.world.org import Org

# Overrides the comparison sets itself, so they are not passed on to each scenario.
EXPERIMENT_KEYS = ("scenario", "scenarios", "replications", "workers")

__all__ = [
    "REFERENCE",
    "Comparison",
    "check_plans",
    "PartStore",
    "RunOutput",
    "comparison_figures",
    "comparison_jobs",
    "replicate_seeds",
    "run_comparison",
    "run_key",
    "scenario_configs",
    "scenario_overrides",
    "summarise_comparison",
    "write_comparison",
]


def scenario_overrides(task_overrides: list[str] | tuple[str, ...]) -> list[str]:
    """The command-line overrides that apply to every scenario's model.

    Drops ``hydra...`` overrides (but keeps ``hydra.searchpath``: the folders of the
    user's scenario files), ``report.*`` (what the report shows) and the experiment keys
    (``scenario``, ``scenarios``, ``replications``, ``workers``): each scenario is set by
    the comparison itself.
    """
    keep = []
    for text in task_overrides:
        key = text.split("=", 1)[0].lstrip("+~")
        if (key.startswith("hydra") and not key.startswith("hydra.searchpath")) or key in EXPERIMENT_KEYS:
            continue
        if key == "report" or key.startswith("report."):  # what the report shows, not the model
            continue
        keep.append(text)
    return keep


def scenario_configs(names: list[str], overrides: list[str] | tuple[str, ...] = ()) -> dict[str, SimConfig]:
    """One composed SimConfig per scenario name: ``overrides + ["scenario=<name>"]``."""
    if not names:
        raise ConfigError("scenarios is empty; name at least one scenario, e.g. scenarios=[baseline,merge_offices]")
    dup = sorted({n for n in names if list(names).count(n) > 1})
    if dup:
        raise ConfigError(f"scenarios: {', '.join(dup)} listed more than once")
    return {name: load_config([*overrides, f"scenario={name}"]) for name in names}


def seed_dependent(cfg: SimConfig) -> bool:
    """The scenario picks districts at random (``districts: <number>``): its plan
    depends on the seed."""
    return any(
        isinstance(a.districts, int) and not isinstance(a.districts, bool) and a.level != "province"
        for a in cfg.scenario.actions
    )


def check_plans(cfgs_by_scenario: dict[str, SimConfig], seeds: list[int]) -> None:
    """Plan every scenario before any run starts, with every replicate's seed when the
    plan depends on the seed (districts chosen at random), so that a scenario valid for
    some seeds and not others stops the comparison before it starts, naming the seed.

    The plan is made from the same random stream the model uses
    (``stream_at(seed, "restructuring", start)``).
    """
    for name, cfg in cfgs_by_scenario.items():
        if not cfg.scenario.actions:
            continue
        org = Org(cfg.org)  # planning changes nothing in it
        which = list(enumerate(seeds)) if seed_dependent(cfg) else list(enumerate(seeds))[:1]
        for r, s in which:
            try:
                plan(cfg, org, stream_at(int(s), "restructuring", cfg.start_index))
            except ConfigError as err:
                what = f" (replicate {r}, seed {s}: the districts it picks at random depend on the seed)" if seed_dependent(cfg) else ""
                raise ConfigError(f"scenario {name}{what}: {err}") from None


def comparison_jobs(cfgs_by_scenario: dict[str, SimConfig], seeds: list[int]) -> list[Job]:
    """Every scenario with every seed: replicate r uses ``seeds[r]`` in each scenario."""
    return [Job(name, cfg, int(s), r) for name, cfg in cfgs_by_scenario.items() for r, s in enumerate(seeds)]


def run_comparison(
    cfgs_by_scenario: dict[str, SimConfig],
    seeds: list[int],
    workers: int = 0,
    *,
    parts_dir: Path | None = None,
    progress: bool = True,
    keep_timeseries: bool = True,
    desc: str = "runs",
    rerun_parts: dict[str, str] | None = None,
) -> Comparison:
    """Run every scenario with every seed (replicate r = seeds[r]) on local cores.

    Args:
        cfgs_by_scenario: name -> composed SimConfig (see :func:`scenario_configs`).
        seeds: one seed per replicate, shared by all scenarios (common random numbers).
        workers: processes; 0 = all local cores; 1 = in this process.
        parts_dir: if set, finished runs are saved there and reloaded on the next call.
        progress: show a tqdm bar on stderr.
        keep_timeseries: False to return summaries only (less data between processes).
        rerun_parts: if given, receives the saved parts that were damaged and run again.
    """
    check_plans(cfgs_by_scenario, seeds)
    batch = run_jobs(
        comparison_jobs(cfgs_by_scenario, seeds),
        workers,
        parts_dir=parts_dir,
        progress=progress,
        keep_timeseries=keep_timeseries,
        desc=desc,
    )
    if rerun_parts is not None:
        rerun_parts.update(batch.rerun_parts)
    ts = batch.timeseries_table() if keep_timeseries else pd.DataFrame(columns=["month", *ID_COLUMNS])
    return Comparison(
        timeseries=ts,
        runs=batch.runs_table("scenario"),
        scenarios=list(cfgs_by_scenario),
        seeds=[int(s) for s in seeds],
        simulated=batch.simulated,
        loaded=batch.loaded,
        workers=batch.workers,
        seconds=batch.seconds,
    )


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
    ``overrides`` apply to every scenario; ``task_overrides`` (default: ``overrides``)
    are the command line's, quoted in the report's "Reproduce" command.
    """
    out = Path(out)
    cfgs = scenario_configs(list(base_cfg.scenarios), overrides)
    seeds = replicate_seeds(base_cfg.seed, base_cfg.replications)
    roster_sha = {c.roster: file_sha256(c.roster) for c in cfgs.values() if c.roster is not None}
    inputs = {n: input_hashes(c, roster_sha.get(c.roster)) for n, c in cfgs.items()}
    folder = RunFolder(out, base_cfg, experiment="compare", seeds=seeds, inputs=inputs, resume=True)
    folder.manifest.update(scenarios=list(cfgs), replications=base_cfg.replications)
    parts = out / "parts"
    total = len(cfgs) * len(seeds)

    def saved() -> str:
        try:
            return f"{len(list(parts.glob('*.parquet')))} of {total} runs saved in parts/"
        except OSError:
            return f"some of {total} runs saved in parts/"

    rerun: dict[str, str] = {}
    try:
        comp = run_comparison(cfgs, seeds, base_cfg.workers, parts_dir=parts, progress=progress, rerun_parts=rerun)
    except USER_ERRORS as err:
        folder.fail(str(err))
        raise
    except KeyboardInterrupt as err:
        how = getattr(err, "signal_name", "SIGINT")
        folder.fail(f"interrupted ({how}) with {saved()}; rerun the same command with hydra.run.dir={out} to finish")
        raise
    except OSError as err:
        folder.fail(
            f"{describe_os_error(err)}; stopped with {saved()}; fix that, then rerun the same command with "
            f"hydra.run.dir={out} to finish"
        )
        raise
    except BaseException as err:
        folder.fail(
            f"crashed ({type(err).__name__}: {err}) with {saved()}; a rerun would crash again: this is a fault "
            "of cadresim, not of the inputs; please report it with this folder's .hydra/ files"
        )
        raise
    try:
        table = summarise_comparison(comp.runs)
        command = compare_command(task_overrides if task_overrides is not None else overrides)
        figs = write_comparison_files(out, comp, table, cfgs, base_cfg, overrides, command)
    except BaseException as err:
        # the runs are safe in parts/: a rerun only redoes the tables and figures
        why = describe_os_error(err) if isinstance(err, OSError) else f"{type(err).__name__}: {err}"
        folder.fail(
            f"writing the outputs failed ({why}); all runs are saved in parts/, "
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
        parts_rerun=rerun,
        workers=comp.workers,
        run_seconds=round(comp.seconds, 3),
        figures=figs,
    )
    return comp
