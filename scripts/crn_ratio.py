"""How much common random numbers gain: for each scenario, the spread (standard
deviation over paired seeds) of the paired difference scenario - baseline, relative to
the baseline's own spread, for five outcomes at the end of the horizon. Near 0: the
pairing removes almost all noise; near 1.4 (sqrt 2): it removes none.

    .venv/bin/python scripts/crn_ratio.py [n_seeds] [scenario ...]
"""

from __future__ import annotations

import sys

import numpy as np

import sim

OUTCOMES = ("headcount_end", "promotions_total", "leaders_mean_age_end", "bench_strength_end", "leaders_women_share_end")


def ratios(scenario: str, seeds: range) -> dict[str, float]:
    base_cfg, cfg = sim.load_config(["scenario=baseline"]), sim.load_config([f"scenario={scenario}"])
    base = np.array([[sim.simulate(base_cfg, seed=s).summary[k] for k in OUTCOMES] for s in seeds])
    other = np.array([[sim.simulate(cfg, seed=s).summary[k] for k in OUTCOMES] for s in seeds])
    r = (other - base).std(axis=0, ddof=1) / base.std(axis=0, ddof=1)
    out = dict(zip(OUTCOMES, r.round(3).tolist()))
    out["mean"] = round(float(r.mean()), 3)
    return out


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    for name in sys.argv[2:] or ["merge_offices", "all_pilots"]:
        print(name, ratios(name, range(n)))
