"""Shared command-line plumbing: user errors become one message and exit code 2.

* a bad input, or a run folder that cannot be used (locked by another command, inputs
  changed since its saved runs, read-only, a file in the way): one line, exit code 2;
* another environment error (a full disk): one line naming the path, exit code 1;
* Ctrl-C, SIGTERM and SIGHUP (what Slurm and other schedulers send) alike: the run
  folder is marked failed ("interrupted ... rerun to finish"), exit code 128 + signal;
* a crash (a fault of cadresim): the run folder is marked failed with the error, and
  the traceback is shown (exit code 1).

Set CADRESIM_TRACEBACK=1 to see the full traceback instead of the one-line messages.
"""

from __future__ import annotations

import contextlib
import os
import signal
import sys
import threading
from collections.abc import Callable

import yaml
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from sim.core.errors import USER_ERRORS, Interrupted, describe_os_error, is_path_error
from sim.output.run_folder import fail_open_folders, open_folders
from sim.params.compose import _explain_omegaconf, ensure_registered

# signals handled like Ctrl-C
STOP_SIGNALS = tuple(getattr(signal, name) for name in ("SIGTERM", "SIGHUP") if hasattr(signal, name))


def _message(err: BaseException) -> str:
    text = _explain_omegaconf(err) if not isinstance(err, USER_ERRORS) else str(err)
    keep = []
    for line in text.splitlines():
        if line.startswith("Config search path"):
            break  # Hydra's search path is noise for the user
        if not line.startswith("To append to your config"):
            keep.append(line)
    return "\n".join(keep).strip()


_HYDRA_JOB_ERROR = "Error executing job with overrides:"


class _WithoutHydraJobError:
    """stderr without the line Hydra writes before re-raising a job's error (we print
    our own message instead)."""

    def __init__(self, stream):
        self._stream = stream

    def write(self, text: str) -> int:
        if text.startswith(_HYDRA_JOB_ERROR):
            return len(text)
        return self._stream.write(text)

    def __getattr__(self, name):
        return getattr(self._stream, name)


def _raise_interrupted(signum, frame) -> None:
    raise Interrupted(signal.Signals(signum).name)


@contextlib.contextmanager
def _stop_signals_interrupt():
    """SIGTERM and SIGHUP raise :class:`Interrupted` (a KeyboardInterrupt) while the
    command runs, so they stop it as Ctrl-C does (main thread only)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = {s: signal.signal(s, _raise_interrupted) for s in STOP_SIGNALS}
    try:
        yield
    finally:
        for s, handler in previous.items():
            signal.signal(s, handler)


def _exit_code(err: KeyboardInterrupt) -> int:
    name = getattr(err, "signal_name", "SIGINT")
    return 128 + int(getattr(signal, name, signal.SIGINT))


def run_cli(main: Callable[[], object]) -> None:
    """Run a @hydra.main function; report user errors without a traceback (exit 2)."""
    ensure_registered()
    show_tb = os.environ.get("CADRESIM_TRACEBACK") == "1"
    # Let Hydra re-raise so that composition errors reach us instead of exit code 1.
    os.environ["HYDRA_FULL_ERROR"] = "1"
    quiet = contextlib.nullcontext() if show_tb else contextlib.redirect_stderr(_WithoutHydraJobError(sys.stderr))
    before = {f.token for f in open_folders()}  # folders opened by earlier commands of this process
    try:
        with quiet, _stop_signals_interrupt():
            main()
    except (*USER_ERRORS, HydraException, OmegaConfBaseException, yaml.YAMLError) as err:
        fail_open_folders(_message(err), since=before)
        if show_tb:
            raise
        print(f"cadresim: error: {_message(err)}", file=sys.stderr)
        sys.exit(2)
    except KeyboardInterrupt as err:
        how = getattr(err, "signal_name", "SIGINT")
        failed = fail_open_folders(f"interrupted ({how}); rerun the same command with hydra.run.dir=<this folder> to finish", since=before)
        if show_tb:
            raise
        where = f"; the run folder {failed[0]} says 'failed'" if failed else ""
        print(f"cadresim: interrupted ({how}){where}; rerun the same command to finish", file=sys.stderr)
        sys.exit(_exit_code(err))
    except OSError as err:
        fail_open_folders(describe_os_error(err), since=before)
        if show_tb:
            raise
        print(f"cadresim: error: {describe_os_error(err)}", file=sys.stderr)
        sys.exit(2 if is_path_error(err) else 1)
    except Exception as err:
        fail_open_folders(
            f"crashed ({type(err).__name__}: {err}); a fault of cadresim, not of the inputs: please report it",
            since=before,
        )
        raise
