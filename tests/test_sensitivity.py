"""experiments.sensitivity and sim.studies.sensitivity: the declared ranges, applying
sample points to the config, a tiny Morris run end to end through the entry point (in
this process) and a tiny Sobol run from Python."""

import json

import numpy as np
import pandas as pd
import pytest

import sim
from sim.core.errors import ConfigError
from sim.params.schema import ParamRange
from sim.studies.sensitivity import check_parameters, get_param, point_configs, run_sensitivity, sample, set_param


def test_declared_ranges_are_valid_and_contain_the_defaults():
    cfg = sim.load_config(["+experiment=sensitivity"])
    spec = cfg.sensitivity
    check_parameters(cfg, spec)
    assert spec.method == "morris" and len(spec.parameters) >= 5
    for p in spec.parameters:
        assert p.low <= get_param(cfg, p.name) <= p.high, p.name
        assert p.source, f"{p.name} needs a source for its range"


def test_set_param_changes_only_that_key_and_rechecks_ranges():
    cfg = sim.load_config([])
    new = set_param(cfg, "policy.vacancy.fill_probability_leader", 0.25)
    assert new.policy.vacancy.fill_probability_leader == 0.25
    assert cfg.policy.vacancy.fill_probability_leader != 0.25  # the original is untouched
    assert new.policy.vacancy.fill_probability_entry == cfg.policy.vacancy.fill_probability_entry
    assert new.policy.selection == cfg.policy.selection
    months = set_param(cfg, "policy.appointment.min_months_in_post", 30.6).policy.appointment.min_months_in_post
    assert months == 31 and isinstance(months, int)
    with pytest.raises(ConfigError, match="fill_probability_leader = 1.5"):
        set_param(cfg, "policy.vacancy.fill_probability_leader", 1.5)


@pytest.mark.parametrize(
    "params,method,samples,fragment",
    [
        ([ParamRange(name="policy.vacancy.nope", low=0, high=1)], "morris", 2, "valid: fill_probability_leader"),
        ([ParamRange(name="policy.selection.rule", low=0, high=1)], "morris", 2, "not a number"),
        ([ParamRange(name="policy.appointment.term_months", low=59, high=61)], "morris", 2, "repeated integers"),
        ([ParamRange(name="policy.selection.noise_sd", low=0, high=1)], "sobol", 6, "power of two"),
        ([], "morris", 2, "+experiment=sensitivity"),
    ],
)
def test_bad_sensitivity_specs_are_rejected(params, method, samples, fragment):
    cfg = sim.load_config([])
    spec = cfg.sensitivity.__class__(method=method, parameters=params, samples=samples)
    with pytest.raises(ConfigError) as err:
        check_parameters(cfg, spec)
    assert fragment in str(err.value)


def test_morris_end_to_end(in_process, tmp_path):
    out = tmp_path / "sens"
    p = in_process("experiments.sensitivity", "+experiment=sensitivity", "end=2019-06", "sensitivity.samples=2",
            "sensitivity.replications=2", "sensitivity.outcomes=[headcount_end,promotions_total]", "workers=2",
            run_dir=out)  # fmt: skip
    assert p.code == 0, p.stderr
    cfg = sim.load_config(["+experiment=sensitivity"])
    params = cfg.sensitivity.parameters
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["method"] == "morris"
    n_points = 2 * (len(params) + 1)  # Morris: trajectories x (parameters + 1)
    assert manifest["points"] == n_points and manifest["runs"] == 2 * n_points
    samples = pd.read_csv(out / "samples.csv")
    assert len(samples) == n_points
    for p_ in params:
        assert samples[p_.name].between(p_.low, p_.high).all()
        if p_.integer:
            assert (samples[p_.name] == samples[p_.name].round()).all()
    indices = pd.read_csv(out / "indices.csv")
    assert len(indices) == 2 * len(params)
    assert set(indices["outcome"]) == {"headcount_end", "promotions_total"}
    assert (indices["mu_star"].dropna() >= 0).all()
    assert (indices["mu_star"] >= indices["mu"].abs() - 1e-9).all()
    # recruiting faster must move the end headcount: its effect is not zero
    fill = indices[
        (indices["outcome"] == "headcount_end") & (indices["parameter"] == "policy.vacancy.fill_probability_entry")
    ]
    assert fill["mu_star"].item() > 0
    assert (out / "figures" / "sensitivity.png").stat().st_size > 10_000
    assert "mu_star" in (out / "report.md").read_text()


def test_sobol_in_process_averages_replications():
    cfg = sim.load_config(["end=2019-03", "workers=1", "sensitivity.method=sobol", "sensitivity.samples=2",
                           "sensitivity.replications=2", "sensitivity.outcomes=[headcount_end]"])  # fmt: skip
    params = [
        ParamRange(name="policy.vacancy.fill_probability_entry", low=0.05, high=0.5, source="test"),
        ParamRange(name="policy.selection.noise_sd", low=0.0, high=1.0, source="test"),
    ]
    cfg.sensitivity.parameters = params
    res = run_sensitivity(cfg, progress=False)
    assert len(res.samples) == 2 * (2 + 2)  # Saltelli, first and total order: N x (D + 2)
    assert res.runs == 2 * len(res.samples)
    assert {"S1", "S1_conf", "ST", "ST_conf"} <= set(res.indices.columns)
    # a sample point's outcome is the mean of its replicates, each an ordinary run
    X = sample(cfg.sensitivity, cfg.seed)
    first = next(iter(point_configs(cfg, cfg.sensitivity, X).values()))
    runs = [sim.simulate(first, seed=s).summary["headcount_end"] for s in res.seeds]
    assert res.samples["headcount_end"].iloc[0] == pytest.approx(np.mean(runs))
