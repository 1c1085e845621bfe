"""Golden baseline (GitHub issue 6): fixed-seed runs of the default configuration and of
``scenario=all_pilots`` must reproduce tests/golden/baseline_summary.json: counts
exactly, other numbers to a relative 1e-9. Any change of the simulated numbers fails
here with the list of what changed; when the change is intended, refresh the file with
``scripts/refresh_golden.py`` and commit it with the change.
"""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "refresh_golden.py"


def _load_script():
    spec = importlib.util.spec_from_file_location("refresh_golden", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


golden_script = _load_script()


@pytest.fixture(scope="module")
def golden() -> dict:
    path = golden_script.GOLDEN
    assert path.exists(), f"{path} is missing; create it with: .venv/bin/python scripts/refresh_golden.py"
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def current() -> dict:
    return golden_script.compute()


def test_golden_file_covers_the_runs(golden):
    assert set(golden["runs"]) == set(golden_script.RUNS)
    for name, run in golden["runs"].items():
        assert run["overrides"] == golden_script.RUNS[name]
        assert len(run["summary"]) > 20
        assert set(run["rows"]) == set(golden_script.ROW_MONTHS)


def test_simulated_numbers_match_the_golden_baseline(golden, current):
    diff = golden_script.differences(golden, current)
    if diff:
        env_now = golden_script.environment()
        env_note = ""
        if env_now != golden.get("environment"):
            env_note = f"\n(note: the file was written with {golden.get('environment')}; this run uses {env_now})"
        shown = "\n  ".join(diff[:60]) + (f"\n  ... and {len(diff) - 60} more" if len(diff) > 60 else "")
        pytest.fail(
            f"{len(diff)} golden value(s) changed (old -> new):\n  {shown}{env_note}\n"
            "If this change is intended, run: .venv/bin/python scripts/refresh_golden.py "
            "and commit tests/golden/baseline_summary.json with it.",
            pytrace=False,
        )


def test_comparison_rules():
    """Counts exactly, other floats to a relative 1e-9, NaN (None) only equals NaN;
    added and removed keys are reported."""
    same = golden_script.same
    assert same(3900.0, 3900.0) and not same(3900.0, 3901.0) and not same(3900.0, 3900.000001)
    assert same(0.25, 0.25 * (1 + 1e-12)) and not same(0.25, 0.25 * (1 + 1e-8))
    assert same(None, None) and not same(None, 0.0) and not same(0.0, None)
    old = {"runs": {"r": {"summary": {"a": 1.0, "b": 0.5}, "rows": {}}}}
    new = {"r": {"summary": {"a": 2.0, "c": 0.1}, "rows": {}}}
    assert golden_script.differences(old, new) == [
        "r.summary.a: 1.0 -> 2.0",
        "r.summary.b: 0.5 -> (gone)",
        "r.summary.c: (new) -> 0.1",
    ]
