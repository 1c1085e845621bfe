"""Run folders: a manifest that says "complete" only when everything is written, with
the provenance a reader needs to reproduce the run (git commit, package versions,
config hash, seeds, wall time)."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path


def git_state(repo: Path) -> dict[str, object]:
    try:
        proc = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True, text=True, timeout=10)
        commit = proc.stdout.strip() if proc.returncode == 0 else ""
        dirty = bool(
            subprocess.run(
                ["git", "status", "--porcelain", "--untracked-files=no"],
                cwd=repo,
                capture_output=True,
                text=True,
                timeout=10,
            ).stdout.strip()
        )
    except (OSError, subprocess.SubprocessError):
        commit, dirty = "", None
    return {"git_commit": commit or None, "git_dirty": dirty}


def package_versions() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for name in ("mesa", "numpy", "pandas", "pyarrow", "matplotlib", "hydra-core", "omegaconf"):
        try:
            out[name] = version(name)
        except PackageNotFoundError:
            out[name] = "not installed"
    return out


def config_hash(cfg) -> str:
    text = json.dumps(dataclasses.asdict(cfg), sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def write_json_atomic(path: Path, data: dict) -> None:
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(data, indent=2, default=str))
    os.replace(tmp, path)


class RunFolder:
    """A run folder whose manifest says "running" until :meth:`complete` is called.

    A crash, a kill or a bad input leaves the manifest at "running" or "failed", never
    "complete"; ``complete`` is written last, by an atomic rename.
    """

    def __init__(self, path: Path, cfg, *, experiment: str, seeds: list[int]):
        self.path = Path(path)
        self.path.mkdir(parents=True, exist_ok=True)
        (self.path / "figures").mkdir(exist_ok=True)
        self.t0 = time.perf_counter()
        repo = Path(__file__).resolve().parents[2]
        self.manifest = {
            "experiment": experiment,
            "status": "running",
            "command": " ".join(["python", "-m", f"experiments.{experiment}"] + sys.argv[1:]),
            **git_state(repo),
            "packages": package_versions(),
            "config_hash": config_hash(cfg),
            "seeds": seeds,
            "started": time.strftime("%Y-%m-%dT%H:%M:%S"),
        }
        write_json_atomic(self.path / "manifest.json", self.manifest)

    def fail(self, message: str) -> None:
        self.manifest.update(status="failed", error=message)
        write_json_atomic(self.path / "manifest.json", self.manifest)

    def complete(self, **extra) -> None:
        self.manifest.update(extra)
        self.manifest["wall_time_s"] = round(time.perf_counter() - self.t0, 3)
        self.manifest["status"] = "complete"
        write_json_atomic(self.path / "manifest.json", self.manifest)


def is_complete(path: Path) -> bool:
    f = Path(path) / "manifest.json"
    try:
        return json.loads(f.read_text()).get("status") == "complete"
    except (OSError, ValueError):
        return False
