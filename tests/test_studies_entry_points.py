"""The study entry points run in this process, as ``python -m experiments.<name>`` would.

``entry_point`` (used by test_compare, test_sweep and test_sensitivity too) calls an
entry point's ``main`` through ``experiments._cli.run_cli`` with a patched
``sys.argv``: the same Hydra composition, run folder and exit codes as the command
line, without paying a new interpreter's start-up for each test. The one real
subprocess of these files is the killed comparison in test_compare.
"""

from __future__ import annotations

import ast
import contextlib
import importlib
import io
import json
import logging
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

import pytest
from hydra.core.global_hydra import GlobalHydra

from experiments._cli import run_cli

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINTS = ("run", "compare", "sweep", "sensitivity", "benchmark")


@dataclass
class Outcome:
    """Exit code (0 when main returned), and what was printed."""

    returncode: int | str | None
    stdout: str
    stderr: str


def entry_point(module: str, *args: str) -> Outcome:
    """Run ``python -m <module> <args>`` in this process; environment, logging and
    Hydra's global state are restored afterwards."""
    mod = importlib.import_module(module)
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    out, err = io.StringIO(), io.StringIO()
    code: int | str | None = 0
    # HYDRA_MAIN_MODULE: Hydra finds configs/ relative to the entry point's file, as it
    # does when the module runs as __main__
    env = {"MPLBACKEND": "Agg", "HYDRA_MAIN_MODULE": "__main__"}
    GlobalHydra.instance().clear()
    # run_cli sets HYDRA_FULL_ERROR; patch.dict puts the environment back as it was
    with mock.patch.dict(os.environ, env), mock.patch.object(sys, "argv", [mod.__file__, *args]):
        for name in ("HYDRA_FULL_ERROR", "CADRESIM_TRACEBACK"):
            os.environ.pop(name, None)
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                run_cli(mod.main)
        except SystemExit as e:
            code = e.code
        finally:
            GlobalHydra.instance().clear()
            for h in root.handlers:  # Hydra's job logging (a FileHandler in the run folder)
                if h not in handlers:
                    h.close()
            root.handlers[:] = handlers
            root.setLevel(level)
    return Outcome(code, out.getvalue(), err.getvalue())


def test_entry_point_reports_user_errors_like_the_command_line(tmp_path):
    p = entry_point("experiments.compare", "scenarios=[baseline,nonesuch]", f"hydra.run.dir={tmp_path}")
    assert p.returncode == 2
    assert p.stderr.startswith("cadresim: error: ") and "nonesuch" in p.stderr
    assert "HYDRA_FULL_ERROR" not in os.environ  # restored


def test_benchmark_entry_point_times_a_comparison_too(tmp_path):
    p = entry_point(
        "experiments.benchmark", f"hydra.run.dir={tmp_path}", "benchmark.replications=1", "benchmark.boltzmann_steps=2",
        "benchmark.compare_replications=1", "scenarios=[baseline,merge_offices]", "workers=1", "end=2019-06",
    )  # fmt: skip
    assert p.returncode == 0, p.stderr
    line = json.loads(p.stdout.strip().splitlines()[-1])
    assert line == json.loads((tmp_path / "benchmark.json").read_text())
    assert line["compare_runs"] == 2 and line["compare_scenarios"] == 2 and line["compare_workers"] == 1
    assert line["ratio"] > 0


@pytest.mark.parametrize("name", ENTRY_POINTS)
def test_entry_points_stay_thin(name):
    """An entry point composes the config, calls sim and says where the folder is: its
    main has a handful of statements and the module defines nothing else."""
    tree = ast.parse((ROOT / "experiments" / f"{name}.py").read_text())
    functions = [n for n in tree.body if isinstance(n, ast.FunctionDef)]
    assert [f.name for f in functions] == ["main"]
    body = [s for s in functions[0].body if not isinstance(s, ast.Expr) or not isinstance(s.value, ast.Constant)]
    assert len(body) <= 8, f"experiments/{name}.py main has {len(body)} statements; move the logic into sim/"
