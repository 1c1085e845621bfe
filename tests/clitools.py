"""Running the command-line entry points from tests, as a user would."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def cli(module: str, *args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    """``python -m <module> <args>`` from the repository root, with a plain environment
    (no traceback switches) and the Agg backend; output captured."""
    env = {**os.environ, "MPLBACKEND": "Agg"}
    env.pop("HYDRA_FULL_ERROR", None)
    env.pop("CADRESIM_TRACEBACK", None)
    return subprocess.run(
        [sys.executable, "-m", module, *args], cwd=cwd or ROOT, env=env, capture_output=True, text=True, timeout=600
    )
