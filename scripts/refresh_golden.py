"""Write tests/golden/baseline_summary.json: the golden baseline that tests/test_golden.py
compares every fixed-seed run with.

    .venv/bin/python scripts/refresh_golden.py          # rewrite the file
    .venv/bin/python scripts/refresh_golden.py --check  # compare only; exit 1 on a change

Run it only when a change of the simulated numbers is intended (a new rule, a corrected
parameter), then commit the file with the change that caused it, saying why in the
commit message. The file holds, for the default configuration with seed 12345 and for
``scenario=all_pilots`` with the same seed: the whole ``summary`` dict and a few rows of
the timeseries (start, the 2020 and 2025 provincial congress months, the end).
"""

from __future__ import annotations

import argparse
import json
import math
import platform
import sys
from importlib.metadata import version
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "golden" / "baseline_summary.json"
SEED = 12345
RUNS = {
    "baseline": ["seed=12345"],
    "all_pilots": ["scenario=all_pilots", "seed=12345"],
}
ROW_MONTHS = ("2018-09", "2020-10", "2025-10", "2025-12")  # start, congresses, end
REL_TOL = 1e-9  # floats; integral values (counts) must match exactly


def _plain(value):
    """JSON-safe number: NaN becomes None (JSON has no NaN)."""
    if isinstance(value, (int, float)) or hasattr(value, "item"):
        value = float(value)
        return None if math.isnan(value) else value
    return value


def compute() -> dict:
    """Run the golden configurations; returns {run name: {"summary", "rows"}}."""
    import sim

    out = {}
    for name, overrides in RUNS.items():
        res = sim.simulate(sim.load_config(overrides))
        ts = res.timeseries.set_index("month")
        numeric = [c for c in ts.columns if c not in ("scenario", "seed", "replicate")]
        rows = {
            m: {c: _plain(ts.at[m, c]) for c in numeric}
            for m in ROW_MONTHS
            if m in ts.index
        }
        out[name] = {
            "overrides": overrides,
            "summary": {k: _plain(v) for k, v in sorted(res.summary.items())},
            "rows": rows,
        }
    return out


def flatten(runs: dict) -> dict[str, float | None]:
    """'<run>.summary.<key>' and '<run>.rows.<month>.<column>' -> value."""
    flat: dict[str, float | None] = {}
    for name, run in runs.items():
        for k, v in run["summary"].items():
            flat[f"{name}.summary.{k}"] = v
        for month, row in run["rows"].items():
            for c, v in row.items():
                flat[f"{name}.rows.{month}.{c}"] = v
    return flat


def same(old, new) -> bool:
    """Counts (integral values) exactly; other floats to REL_TOL; None is NaN."""
    if old is None or new is None:
        return old is None and new is None
    if float(old).is_integer():
        return old == new
    return math.isclose(old, new, rel_tol=REL_TOL, abs_tol=0.0)


def differences(golden: dict, runs: dict) -> list[str]:
    """Human-readable list of what changed: 'key: old -> new', added, removed."""
    old, new = flatten(golden["runs"]), flatten(runs)
    lines = []
    for k in sorted(old.keys() | new.keys()):
        if k not in new:
            lines.append(f"{k}: {old[k]!r} -> (gone)")
        elif k not in old:
            lines.append(f"{k}: (new) -> {new[k]!r}")
        elif not same(old[k], new[k]):
            lines.append(f"{k}: {old[k]!r} -> {new[k]!r}")
    return lines


def environment() -> dict[str, str]:
    out = {"python": platform.python_version()}
    for pkg in ("numpy", "pandas", "mesa"):
        out[pkg] = version(pkg)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare with the file; do not write it")
    args = parser.parse_args(argv)
    runs = compute()
    if args.check:
        golden = json.loads(GOLDEN.read_text())
        diff = differences(golden, runs)
        print("\n".join(diff) if diff else "golden baseline unchanged")
        return 1 if diff else 0
    data = {
        "about": "Golden baseline for tests/test_golden.py; written by scripts/refresh_golden.py. "
        "Do not edit by hand; NaN is stored as null.",
        "seed": SEED,
        "environment": environment(),
        "runs": runs,
    }
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    tmp = GOLDEN.with_suffix(".json.tmp")
    tmp.write_text(json.dumps(data, indent=1, sort_keys=False) + "\n")
    tmp.replace(GOLDEN)
    n = len(flatten(runs))
    print(f"wrote {GOLDEN.relative_to(ROOT)}: {n} values from {len(runs)} runs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
