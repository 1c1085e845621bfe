"""One runner for every study: a list of jobs, run on local cores, resumable.

A job is one replication: a label (the scenario of a comparison, the sample point of a
sensitivity analysis ...), the composed config, the seed and the replicate number. The
model is a function of the job (``sim.api.simulate``) returning a timeseries and a
summary; the study (which configs, which seeds, how many replicates) is declared by the
caller as its list of jobs, in the manner of EMA Workbench's evaluator::

    from sim.studies.runner import Job, run_jobs
    jobs = [Job("baseline", cfg, seed=s, replicate=r) for r, s in enumerate([0, 1, 2])]
    batch = run_jobs(jobs, workers=0)
    batch.runs_table()                 # one row per job: label, replicate, seed, summary

Workers are started fresh for each call (the "spawn" method) and receive everything
they need with the job, so no state is carried from one call or one job to the next:
the same jobs give the same tables on 1 or 16 workers, in any process that calls this,
including a joblib worker that Hydra reuses for several jobs.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import multiprocessing
import os
import pickle
import signal
import sys
import threading
import time
from collections.abc import Sequence
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from sim.api import simulate
from sim.core.errors import USER_ERRORS, ConfigError
from sim.output.run_folder import file_sha256
from sim.params.schema import SEED_MAX, SimConfig
from sim.studies.parts import PartStore, RunOutput

# Config fields that do not change what one run computes; left out of a run's key, so
# that e.g. raising `replications` reuses the runs already saved.
NON_MODEL_FIELDS = ("scenarios", "replications", "workers", "benchmark", "sensitivity", "sweep")
# how often a worker checks that the process that started it is still there (seconds)
PARENT_CHECK_SECONDS = 0.5


@dataclass(frozen=True)
class Job:
    """One replication to run: ``label`` names what it belongs to (a scenario, a sample
    point); jobs that share a label share one config."""

    label: str
    config: SimConfig
    seed: int
    replicate: int


@dataclass
class Batch:
    """The outcome of :func:`run_jobs`: ``outputs`` in job order, how many runs were
    simulated and how many loaded from the part store, on how many worker processes,
    in how many wall seconds."""

    outputs: list[RunOutput]
    simulated: int
    loaded: int
    workers: int
    seconds: float
    rerun_parts: dict[str, str] = dataclasses.field(default_factory=dict)

    def runs_table(self, label_column: str = "scenario") -> pd.DataFrame:
        """One row per run: the label (as ``label_column``), replicate, seed and every
        summary value."""
        return pd.DataFrame(
            [{label_column: o.label, "replicate": o.replicate, "seed": o.seed, **o.summary} for o in self.outputs]
        )

    def timeseries_table(self) -> pd.DataFrame:
        """Every month of every run, in job order (the runs must have kept theirs)."""
        return pd.concat([o.timeseries for o in self.outputs], ignore_index=True)


def replicate_seeds(base_seed: int, replications: int) -> list[int]:
    """Seeds of replicates 0..replications-1: ``base_seed + r`` (the same in every scenario).

    Every seed must fit in an int64 (the tables store seeds as int64).
    """
    if replications < 1:
        raise ConfigError(f"replications = {replications} must be >= 1")
    last = int(base_seed) + replications - 1
    if int(base_seed) < 0 or last > SEED_MAX:
        raise ConfigError(
            f"seed = {base_seed} with replications = {replications}: the replicate seeds seed..seed+{replications - 1} "
            f"must lie in 0..{SEED_MAX} (2**63 - 1, stored as int64)"
        )
    return [int(base_seed) + r for r in range(replications)]


def config_digest(cfg: SimConfig, roster_sha: str | None = None) -> str:
    """A hash of everything in a config that determines its runs' output: the config
    (without the experiment-only fields and the seed) and the contents of the roster
    file it names (``roster_sha``: its sha256, if the caller has it)."""
    data = dataclasses.asdict(cfg)
    for name in (*NON_MODEL_FIELDS, "seed"):
        data.pop(name, None)
    if cfg.roster is not None:
        data["roster_sha256"] = roster_sha or file_sha256(cfg.roster)
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def run_key(cfg: SimConfig, seed: int, digest: str | None = None) -> str:
    """A short hash of everything that determines one run's output: the config, the
    contents of its input files (see :func:`config_digest`) and the seed."""
    digest = digest or config_digest(cfg)
    return hashlib.sha256(f"{digest}:{int(seed)}".encode()).hexdigest()[:20]


def effective_workers(workers: int, n_jobs: int) -> int:
    """Processes to use: ``workers`` (0 = all local cores), never more than the jobs."""
    if workers < 0:
        raise ConfigError(f"workers = {workers} must be >= 0 (0 = all local cores)")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return max(1, min(workers or cores, n_jobs))


def _watch_parent(parent: int) -> None:
    """In a worker: end this process as soon as the process that started it is gone
    (its parent pid changes when the parent dies, however it died)."""
    while True:
        if os.getppid() != parent:
            os._exit(70)
        time.sleep(PARENT_CHECK_SECONDS)


def worker_init(parent: int) -> None:
    """Start of every worker process: die with the parent, leave Ctrl-C to the parent.

    On Linux the kernel sends SIGKILL to the worker when its parent dies
    (``prctl(PR_SET_PDEATHSIG)``); everywhere a watchdog thread checks the parent pid.
    The parent stops its workers itself on Ctrl-C, SIGTERM and SIGHUP.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG = 1
        except (OSError, AttributeError):
            pass
    if os.getppid() != parent:  # died before the line above
        os._exit(70)
    threading.Thread(target=_watch_parent, args=(parent,), name="parent-watchdog", daemon=True).start()


def _stop_workers(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now (an interrupted study does not wait for their runs)."""
    procs = list(getattr(pool, "_processes", {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for p in procs:
        try:
            p.terminate()
        except (OSError, ValueError, AttributeError):
            pass
    for p in procs:
        try:
            p.join(timeout=5)
            if p.is_alive():
                p.kill()
        except (OSError, ValueError, AttributeError, AssertionError):
            pass


def run_one(
    cfg_blob: bytes, label: str, replicate: int, seed: int, keep_timeseries: bool = True, label_column: str = "scenario"
) -> RunOutput:
    """Simulate one job; ``cfg_blob`` is the pickled SimConfig.

    The config arrives pickled once per label in the parent (cheap to send, no
    per-worker global state); the events table stays in the worker. The timeseries'
    ``label_column`` is set to the label, whatever the config's scenario is called.
    """
    cfg = pickle.loads(cfg_blob)
    res = simulate(cfg, seed=seed, replicate=replicate)
    ts = None
    if keep_timeseries:
        ts = res.timeseries
        ts[label_column] = label
    return RunOutput(label, replicate, int(seed), ts, dict(res.summary))


def _config_blobs(jobs: Sequence[Job]) -> dict[str, bytes]:
    """Each label's config, pickled once; jobs of one label must share their config."""
    first: dict[str, SimConfig] = {}
    for job in jobs:
        cfg = first.setdefault(job.label, job.config)
        if cfg is not job.config and cfg != job.config:
            raise ValueError(f"jobs labelled {job.label!r} have different configs; give each config its own label")
    return {label: pickle.dumps(cfg) for label, cfg in first.items()}


def run_jobs(
    jobs: Sequence[Job],
    workers: int = 0,
    *,
    parts_dir: Path | None = None,
    progress: bool = True,
    keep_timeseries: bool = True,
    desc: str = "runs",
    noun: str = "scenario",
    label_column: str = "scenario",
) -> Batch:
    """Run every job on local processes and return their outputs in job order.

    Args:
        jobs: the replications to run; (label, replicate) must be unique.
        workers: processes; 0 = all local cores; 1 = in this process.
        parts_dir: if set, each finished run is saved there the moment it finishes, and
            runs already saved with the same config and seed are loaded, not rerun.
        progress: show a tqdm bar on stderr (``desc`` is its title).
        keep_timeseries: False to return summaries only (less data between processes).
        noun: what a label is, for error messages ("scenario merge_offices (replicate 3): ...").
        label_column: the timeseries column that receives each job's label.
    """
    if parts_dir is not None and not keep_timeseries:
        raise ValueError("parts_dir needs keep_timeseries=True (a part is the run's timeseries)")
    ids = [(j.label, j.replicate) for j in jobs]
    if len(set(ids)) != len(ids):
        raise ValueError("jobs repeat a (label, replicate) pair")
    t0 = time.perf_counter()
    blobs = _config_blobs(jobs)
    keys: dict[tuple[str, int], str] = {}
    if parts_dir is not None:
        digests: dict[str, str] = {}
        for j in jobs:
            if j.label not in digests:
                digests[j.label] = config_digest(j.config)
            keys[(j.label, j.replicate)] = run_key(j.config, j.seed, digests[j.label])
    store = PartStore(parts_dir) if parts_dir is not None else None
    done: dict[tuple[str, int], RunOutput] = {}
    if store is not None:
        for j in jobs:
            out = store.load(j.label, j.replicate, keys[(j.label, j.replicate)])
            if out is not None:
                done[(j.label, j.replicate)] = out
        for name, why in store.problems.items():
            print(f"cadresim: warning: part {name} is {why}; running it again", file=sys.stderr)
    loaded = len(done)
    todo = [j for j in jobs if (j.label, j.replicate) not in done]
    n_workers = effective_workers(workers, len(todo)) if todo else 0

    def finish(out: RunOutput) -> None:
        if store is not None:
            store.save(out, keys[(out.label, out.replicate)])
        done[(out.label, out.replicate)] = out

    def args(j: Job) -> tuple:
        return (blobs[j.label], j.label, j.replicate, j.seed, keep_timeseries, label_column)

    # in a terminal the bar redraws often; into a log file (no terminal) it is written
    # at most every 30 s, so a long job leaves a few updates, not thousands
    interval = 0.1 if sys.stderr.isatty() else 30.0
    bar = tqdm(
        total=len(jobs), initial=loaded, desc=desc, file=sys.stderr, disable=not progress, unit="run", mininterval=interval
    )
    try:
        if n_workers == 1:
            for j in todo:
                try:
                    finish(run_one(*args(j)))
                except USER_ERRORS as err:
                    raise _naming_the_run(err, noun, j) from None
                bar.update()
        elif todo:
            # spawn: workers start clean (no inherited Hydra or matplotlib state), as on macOS/Windows
            ctx = multiprocessing.get_context("spawn")
            pool = ProcessPoolExecutor(
                max_workers=n_workers, mp_context=ctx, initializer=worker_init, initargs=(os.getpid(),)
            )
            try:
                futures = {pool.submit(run_one, *args(j)): j for j in todo}
                for fut in as_completed(futures):
                    try:
                        out = fut.result()
                    except USER_ERRORS as err:
                        raise _naming_the_run(err, noun, futures[fut]) from None
                    finish(out)
                    bar.update()
            except BaseException:
                _stop_workers(pool)  # do not wait for the runs in flight
                raise
            pool.shutdown(wait=True)
    finally:
        bar.close()
    return Batch(
        outputs=[done[i] for i in ids],  # job order: deterministic tables
        simulated=len(todo),
        loaded=loaded,
        workers=n_workers,
        seconds=time.perf_counter() - t0,
        rerun_parts=dict(store.problems) if store is not None else {},
    )


def _naming_the_run(err: Exception, noun: str, job: Job) -> Exception:
    """The same user error, its message prefixed with the run it came from."""
    return type(err)(f"{noun} {job.label} (replicate {job.replicate}): {err}")
