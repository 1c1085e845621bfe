"""Run folders: one writer at a time, a manifest that says "complete" only when
everything is written, and the provenance a reader needs to reproduce the run (git
commit, package versions, hashes of the config and of every input file, seeds, wall
time).

**One writer per folder.** :class:`RunFolder` takes a lock file (``.cadresim.lock``:
the holder's pid, host, process start time and command) before it writes anything of
its own; a second process that opens the same folder gets a :class:`FolderError`
naming the holder (exit code 2 on the command line). A lock whose holder is provably
gone (same host, no such process, or the pid now belongs to a younger process) is
stale: it is broken, and the manifest and stderr say so. A lock from another host
cannot be checked from here; it is broken only when ``CADRESIM_BREAK_LOCK=1`` is set.
Hydra writes ``.hydra/`` before any code of ours runs, so the holder keeps a copy of
its ``.hydra/*.yaml`` and puts them back when it finishes, should a refused second
command have overwritten them.

**Resume keyed on contents.** The manifest records ``inputs``: the sha256 of the
roster file's bytes and of each config section (organisation, scenario, policy,
horizon and seed) of every scenario. A folder that already holds saved parts is
reused only when the inputs of every scenario it ran are unchanged; otherwise the
folder refuses, naming what changed.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import platform
import socket
import subprocess
import sys
import time
import uuid
import weakref
from contextlib import suppress
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from sim.core.errors import FolderError, describe_os_error

LOCK_NAME = ".cadresim.lock"
HYDRA_BACKUP = ".cadresim.hydra"  # the holder's copy of .hydra/*.yaml
BREAK_LOCK_ENV = "CADRESIM_BREAK_LOCK"
# the folders this process holds open (not complete, not failed): path -> RunFolder
_OPEN: weakref.WeakValueDictionary[str, RunFolder] = weakref.WeakValueDictionary()


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


def _digest(data) -> str:
    text = json.dumps(data, sort_keys=True, default=str)
    return hashlib.sha256(text.encode()).hexdigest()


def config_hash(cfg) -> str:
    return _digest(dataclasses.asdict(cfg))[:16]


def file_sha256(path: str | Path) -> str | None:
    """sha256 of a file's bytes, or None if it cannot be read (the loader reports why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
    except OSError:
        return None
    return h.hexdigest()


# the sections of a config whose change makes saved runs of it stale
INPUT_SECTIONS = ("org", "scenario", "policy")


def input_hashes(cfg, roster_sha: str | None = None) -> dict[str, object]:
    """What one scenario's runs were made from: the roster file (path and sha256 of its
    bytes), and a sha256 of each config section and of the horizon and seed.

    ``roster_sha`` saves reading the roster again when the caller has hashed it.
    """
    out: dict[str, object] = {}
    if cfg.roster is not None:
        out["roster"] = {"path": str(cfg.roster), "sha256": roster_sha or file_sha256(cfg.roster)}
    for name in INPUT_SECTIONS:
        out[name] = _digest(dataclasses.asdict(getattr(cfg, name)))[:16]
    out["horizon_and_seed"] = _digest([cfg.start, cfg.end, cfg.seed])[:16]
    return out


def changed_inputs(before: dict, now: dict) -> list[str]:
    """What differs between two :func:`input_hashes` of one scenario, in words."""
    out = []
    old_r, new_r = before.get("roster"), now.get("roster")
    if old_r != new_r:
        if old_r is None or new_r is None:
            out.append(f"roster ({(old_r or {}).get('path', 'synthetic')} -> {(new_r or {}).get('path', 'synthetic')})")
        elif old_r.get("path") != new_r.get("path"):
            out.append(f"roster ({old_r['path']} -> {new_r['path']})")
        else:
            out.append(
                f"roster file {new_r['path']} (its contents changed: sha256 {str(old_r.get('sha256'))[:12]} -> "
                f"{str(new_r.get('sha256'))[:12]})"
            )
    labels = {"org": "organisation", "scenario": "scenario actions", "policy": "policy", "horizon_and_seed": "start, end or seed"}
    out += [labels[k] for k in labels if before.get(k) != now.get(k)]
    return out


def _tmp_name(path: Path) -> Path:
    # unique per process and call: two writers never share a temporary file
    return path.with_name(f".{path.name}.{os.getpid()}.{uuid.uuid4().hex[:8]}.tmp")


def write_bytes_atomic(path: Path, data: bytes) -> None:
    tmp = _tmp_name(path)
    try:
        tmp.write_bytes(data)
        os.replace(tmp, path)
    finally:
        with suppress(OSError):
            tmp.unlink()


def write_json_atomic(path: Path, data: dict) -> None:
    write_bytes_atomic(path, json.dumps(data, indent=2, default=str).encode())


# --------------------------------------------------------------------------- the lock
def _process_start(pid: int) -> str | None:
    """The start time of a process (clock ticks since boot, Linux), to tell a reused pid."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = stat.rsplit(")", 1)[-1].split()
    return fields[19] if len(fields) > 19 else None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # another user's process
    try:  # a zombie is dead: it only waits to be reaped
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[-1].split()[0]
        return state != "Z"
    except OSError:
        return True


def _lock_record(token: str) -> dict[str, object]:
    return {
        "pid": os.getpid(),
        "host": socket.gethostname(),
        "process_start": _process_start(os.getpid()),
        "token": token,
        "since": time.strftime("%Y-%m-%dT%H:%M:%S"),
        "command": " ".join([Path(sys.argv[0]).name if sys.argv else "python", *sys.argv[1:]])[:300],
    }


def _holder_text(rec: dict) -> str:
    return f"pid {rec.get('pid')} on host {rec.get('host')}, since {rec.get('since')}, command: {rec.get('command')}"


def _why_stale(rec: dict | None, lock_path: Path) -> str | None:
    """Why the lock's holder is gone (then the lock may be broken), or None if it may be alive."""
    if rec is None:
        return "the lock file is empty or unreadable (its writer was stopped while taking it)"
    if rec.get("host") != socket.gethostname():
        return None  # cannot be checked from here
    pid = int(rec.get("pid", -1))
    if pid == os.getpid() and rec.get("process_start") == _process_start(pid):
        folder = _OPEN.get(str(lock_path.parent))
        if folder is not None and folder.token == rec.get("token"):
            return None  # an open RunFolder of this very process
        return "left by an earlier run in this process that did not finish"
    if pid <= 0 or not _alive(pid):
        return f"process {pid} is no longer running"
    start = _process_start(pid)
    if rec.get("process_start") is not None and start is not None and start != rec.get("process_start"):
        return f"pid {pid} now belongs to another process"
    return None


def _read_lock(lock_path: Path) -> dict | None:
    try:
        rec = json.loads(lock_path.read_text())
        return rec if isinstance(rec, dict) else None
    except (OSError, ValueError):
        return None


def _create_exclusive(tmp: Path, lock_path: Path, data: bytes) -> None:
    """Create ``lock_path`` holding ``data``, or raise FileExistsError."""
    try:
        os.link(tmp, lock_path)  # atomic: the lock appears with its contents, or not at all
    except FileExistsError:
        raise
    except OSError:  # a file system without hard links
        fd = os.open(lock_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
        with os.fdopen(fd, "wb") as f:
            f.write(data)


def acquire_lock(folder: Path, token: str) -> str | None:
    """Take ``folder``'s lock; returns a note when a stale lock was broken to take it.

    Raises FolderError when another live writer holds it (or one on another host, unless
    ``CADRESIM_BREAK_LOCK=1``).
    """
    lock_path = folder / LOCK_NAME
    data = json.dumps(_lock_record(token)).encode()
    note = None
    for _ in range(5):
        tmp = _tmp_name(lock_path)
        tmp.write_bytes(data)
        try:
            _create_exclusive(tmp, lock_path, data)
            return note
        except FileExistsError:
            pass
        finally:
            with suppress(OSError):
                tmp.unlink()
        rec = _read_lock(lock_path)
        if rec is None and lock_path.exists() and time.time() - lock_path.stat().st_mtime < 2:
            time.sleep(0.2)  # being written right now (os.link makes that rare)
            rec = _read_lock(lock_path)
        why = _why_stale(rec, lock_path)
        if why is None and os.environ.get(BREAK_LOCK_ENV) == "1":
            why = f"broken on request ({BREAK_LOCK_ENV}=1)"
        if why is None:
            extra = (
                f"; if that process is gone, rerun with {BREAK_LOCK_ENV}=1 to break the lock"
                if rec and rec.get("host") != socket.gethostname()
                else "; wait for it to finish, or choose another folder (hydra.run.dir=...)"
            )
            raise FolderError(
                f"the run folder is in use by another command ({_holder_text(rec or {})}){extra}", file=str(folder)
            )
        # break it: move it aside first, so that two breakers cannot both succeed
        aside = lock_path.with_name(f"{LOCK_NAME}.broken.{os.getpid()}.{uuid.uuid4().hex[:6]}")
        try:
            os.rename(lock_path, aside)
        except FileNotFoundError:
            continue  # someone else broke it; try to take it again
        taken = _read_lock(aside)
        with suppress(OSError):
            aside.unlink()
        if taken is not None and (rec is None or taken.get("token") != rec.get("token")):
            # what we moved aside was a fresh lock taken meanwhile: put it back and refuse
            with suppress(OSError):
                os.link(aside, lock_path)
            raise FolderError(f"the run folder is in use by another command ({_holder_text(taken)})", file=str(folder))
        held = _holder_text(rec) if rec else "unknown holder"
        note = f"{folder}: broke a stale lock ({held}): {why}"
        print(f"cadresim: warning: {note}", file=sys.stderr)
    raise FolderError("could not take the run folder's lock (it keeps changing hands)", file=str(folder))


def release_lock(folder: Path, token: str) -> None:
    """Remove ``folder``'s lock if it is still the one ``token`` took."""
    lock_path = Path(folder) / LOCK_NAME
    rec = _read_lock(lock_path)
    if rec is not None and rec.get("token") == token:
        with suppress(OSError):
            lock_path.unlink()


# --------------------------------------------------------------------------- the folder
class RunFolder:
    """A run folder whose manifest says "running" until :meth:`complete` is called.

    A crash, a kill or a bad input leaves the manifest at "running" or "failed", never
    "complete"; ``complete`` is written last, by an atomic rename. The folder is locked
    from the constructor to :meth:`complete` or :meth:`fail` (or until the object is
    collected).

    Args:
        path: the folder (created if absent).
        cfg: the config the manifest's ``config_hash`` is taken of.
        experiment: the entry point's name (``run``, ``compare`` ...).
        seeds: the seeds of the runs.
        inputs: what the runs are made from, by label (see :func:`input_hashes`);
            recorded in the manifest (by default those of ``cfg``, under its scenario's name).
        resume: the folder's saved parts may be reused: refuse when the previous
            manifest's inputs of any label differ from ``inputs``.
    """

    def __init__(
        self,
        path: Path,
        cfg,
        *,
        experiment: str,
        seeds: list[int],
        inputs: dict[str, dict] | None = None,
        resume: bool = False,
    ):
        self.path = Path(path)
        self.token = uuid.uuid4().hex
        self._locked = False
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            lock_note = acquire_lock(self.path, self.token)
        except FolderError:
            restore_hydra_backup(self.path)  # undo what Hydra wrote for this refused command
            raise
        except OSError as err:
            raise FolderError(f"cannot use the run folder: {describe_os_error(err)}", file=str(self.path)) from None
        self._locked = True
        _OPEN[str(self.path)] = self
        self._finalizer = weakref.finalize(self, release_lock, self.path, self.token)
        try:
            previous = self._previous_manifest()
            if resume and inputs is not None and previous is not None:
                try:
                    self._check_resume(previous, inputs)
                except FolderError:
                    restore_hydra_backup(self.path)
                    raise
            self._hydra = self._hydra_files()
            backup = self.path / HYDRA_BACKUP
            if self._hydra:
                backup.mkdir(exist_ok=True)
                for f, data in self._hydra.items():
                    write_bytes_atomic(backup / f.name, data)
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
                "writer": {k: v for k, v in _lock_record(self.token).items() if k in ("pid", "host")},
            }
            if inputs is None and dataclasses.is_dataclass(cfg) and hasattr(cfg, "scenario"):
                inputs = {cfg.scenario.name: input_hashes(cfg)}  # what a single run is made from
            if inputs is not None:
                self.manifest["inputs"] = inputs
            if lock_note:
                self.manifest["stale_lock_broken"] = lock_note
            if previous is not None and previous.get("status") != "complete" and resume:
                self.manifest["resumed_from"] = {k: previous.get(k) for k in ("status", "started", "error")}
            write_json_atomic(self.path / "manifest.json", self.manifest)
            (self.path / "figures").mkdir(exist_ok=True)
        except OSError as err:
            self._release()
            raise FolderError(f"cannot write the run folder: {describe_os_error(err)}", file=str(self.path)) from None
        except BaseException:
            self._release()
            raise

    # -- resume
    def _previous_manifest(self) -> dict | None:
        f = self.path / "manifest.json"
        try:
            data = json.loads(f.read_text())
        except (OSError, ValueError):
            return None
        return data if isinstance(data, dict) else None

    def _check_resume(self, previous: dict, inputs: dict[str, dict]) -> None:
        before = previous.get("inputs")
        if not isinstance(before, dict) or not any((self.path / "parts").glob("*.parquet")):
            return
        changes = []
        for label, now in inputs.items():
            old = before.get(label)
            if isinstance(old, dict):
                what = changed_inputs(old, now)
                if what:
                    changes.append(f"{label}: {', '.join(what)}")
        if changes:
            raise FolderError(
                "cannot resume into this folder: the inputs changed since its runs were saved ("
                + "; ".join(changes)
                + "); choose a new folder (hydra.run.dir=...), or restore the inputs to finish the interrupted run",
                file=str(self.path),
            )

    # -- Hydra's files, guarded against a refused second command
    def _hydra_files(self) -> dict[Path, bytes]:
        out = {}
        for f in sorted((self.path / ".hydra").glob("*.yaml")):
            with suppress(OSError):
                out[f] = f.read_bytes()
        return out

    def _restore_hydra_files(self) -> None:
        for f, data in self._hydra.items():
            try:
                same = f.read_bytes() == data
            except OSError:
                same = False
            if not same:
                with suppress(OSError):
                    write_bytes_atomic(f, data)

    # -- the end
    def _release(self) -> None:
        if self._locked:
            self._locked = False
            _OPEN.pop(str(self.path), None)
            release_lock(self.path, self.token)
            self._finalizer.detach()

    @property
    def is_open(self) -> bool:
        """Locked by this object, neither complete nor failed yet."""
        return self._locked

    def fail(self, message: str) -> None:
        self.manifest.update(status="failed", error=message)
        try:
            self._restore_hydra_files()
            write_json_atomic(self.path / "manifest.json", self.manifest)
        finally:
            self._release()

    def complete(self, **extra) -> None:
        self.manifest.update(extra)
        self.manifest["wall_time_s"] = round(time.perf_counter() - self.t0, 3)
        self.manifest["status"] = "complete"
        self._restore_hydra_files()
        write_json_atomic(self.path / "manifest.json", self.manifest)
        self._release()


def restore_hydra_backup(path: Path) -> None:
    """Put back the ``.hydra/*.yaml`` of the command that last wrote ``path`` (a refused
    command's Hydra wrote its own there before any code of ours ran)."""
    backup = Path(path) / HYDRA_BACKUP
    for f in sorted(backup.glob("*.yaml")) if backup.is_dir() else []:
        with suppress(OSError):
            target = Path(path) / ".hydra" / f.name
            data = f.read_bytes()
            if not target.exists() or target.read_bytes() != data:
                write_bytes_atomic(target, data)


def open_folders() -> list[RunFolder]:
    """The run folders this process holds open (locked, neither complete nor failed)."""
    return [f for f in list(_OPEN.values()) if f.is_open]


def fail_open_folders(message: str, since: set[str] | None = None) -> list[Path]:
    """Mark every folder this process holds open as failed with ``message`` (the command
    line calls this when a command stops on an error the folder's writer did not catch);
    ``since``: tokens of folders that were open before and are left alone."""
    done = []
    for f in open_folders():
        if since is not None and f.token in since:
            continue
        with suppress(OSError):
            f.fail(message)
        done.append(f.path)
    return done


def is_complete(path: Path) -> bool:
    f = Path(path) / "manifest.json"
    try:
        return json.loads(f.read_text()).get("status") == "complete"
    except (OSError, ValueError, AttributeError):
        return False
