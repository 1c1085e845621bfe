"""Shared command-line plumbing: user errors become one message and exit code 2.

Set CADRESIM_TRACEBACK=1 to see the full traceback instead.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable

import yaml
from hydra.errors import HydraException
from omegaconf.errors import OmegaConfBaseException

from sim.core.errors import USER_ERRORS
from sim.params.compose import _explain_omegaconf
from sim.params.schema import register


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


def run_cli(main: Callable[[], object]) -> None:
    """Run a @hydra.main function; report user errors without a traceback (exit 2)."""
    register()
    show_tb = os.environ.get("CADRESIM_TRACEBACK") == "1"
    # Let Hydra re-raise so that composition errors reach us instead of exit code 1.
    os.environ["HYDRA_FULL_ERROR"] = "1"
    quiet = contextlib.nullcontext() if show_tb else contextlib.redirect_stderr(_WithoutHydraJobError(sys.stderr))
    try:
        with quiet:
            main()
    except (*USER_ERRORS, HydraException, OmegaConfBaseException, yaml.YAMLError) as err:
        if show_tb:
            raise
        print(f"cadresim: error: {_message(err)}", file=sys.stderr)
        sys.exit(2)
