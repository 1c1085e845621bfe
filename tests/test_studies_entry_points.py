"""The study entry points, run in this process as ``python -m experiments.<name>``
would (the ``in_process`` fixture), and that they stay thin."""

from __future__ import annotations

import ast
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
ENTRY_POINTS = ("run", "compare", "report", "sweep", "sensitivity", "benchmark")


def test_benchmark_entry_point_times_a_comparison_too(in_process, tmp_path):
    p = in_process(
        "experiments.benchmark", "benchmark.replications=1", "benchmark.boltzmann_steps=2",
        "benchmark.compare_replications=1", "scenarios=[baseline,merge_offices]", "workers=1", "end=2019-06",
        run_dir=tmp_path,
    )  # fmt: skip
    assert p.code == 0, p.stderr
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
