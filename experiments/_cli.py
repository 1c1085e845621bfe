"""Shared command-line plumbing: user errors become one message and exit code 2.

Set CADRESIM_TRACEBACK=1 to see the full traceback instead.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable

from sim.config import register
from sim.errors import USER_ERRORS


def _message(err: BaseException) -> str:
    from sim.api import _explain_omegaconf

    text = _explain_omegaconf(err) if not isinstance(err, USER_ERRORS) else str(err)
    keep = []
    for line in text.splitlines():
        if line.startswith("Config search path"):
            break  # Hydra's search path is noise for the user
        if not line.startswith("To append to your config"):
            keep.append(line)
    return "\n".join(keep).strip()


def run_cli(main: Callable[[], object]) -> None:
    """Run a @hydra.main function; report user errors without a traceback (exit 2)."""
    from hydra.errors import HydraException
    from omegaconf.errors import OmegaConfBaseException

    register()
    show_tb = os.environ.get("CADRESIM_TRACEBACK") == "1"
    # Let Hydra re-raise so that composition errors reach us instead of exit code 1.
    os.environ["HYDRA_FULL_ERROR"] = "1"
    try:
        main()
    except (*USER_ERRORS, HydraException, OmegaConfBaseException) as err:
        if show_tb:
            raise
        print(f"cadresim: error: {_message(err)}", file=sys.stderr)
        sys.exit(2)
