"""Severance for early retirement, regime by regime, against worked examples derived by
hand from the decree texts (sim/rules/early_retirement.py cites each article and source),
and a real run whose ``severance_cost_vnd`` is the sum of its early retirements' parts.

Units: payments in months of current monthly salary; salary in multiples of the base
salary (coefficient + leadership allowance, plus the 25 % public-service allowance of
Decree 34/2012 on both); VND nominal at the base salary in force.
"""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest

import sim
from sim.core.calendar import parse_month
from sim.core.vocabulary import Event
from sim.model import CadreModel
from sim.output.result import Result
from sim.params.schema_scenario import ActionSpec
from sim.rules import early_retirement as er
from sim.rules.pay import base_salary_vnd, salary_multiple
from sim.rules.retirement import retirement_month_index


# ------------------------------------------------------------------ counting time
def test_years_are_rounded_by_half_years():
    # Decree 178/2024 art. 5, Decree 177/2024 art. 3: 1-6 odd months = 1/2 year, 7-11 = 1 year
    assert er.years_rounded(36, 1) == 3.0
    assert er.years_rounded(37, 1) == 3.5
    assert er.years_rounded(42, 1) == 3.5
    assert er.years_rounded(43, 1) == 4.0
    # the older texts (not verified): fewer than 3 odd months do not count
    assert er.years_rounded(38, 3) == 3.0
    assert er.years_rounded(39, 3) == 3.5
    assert er.years_rounded(-5, 1) == 0.0


def test_months_early_run_to_the_pension_start():
    # Official Letter 1814/BNV (2025): a man born 15 Jan 1966 reaches his Decree 135
    # age in Oct 2027 (pension from Nov 2027); leaving from 1 May 2025 he retires
    # "2 years 6 months" = 30 months early.
    ret = int(retirement_month_index(np.array([parse_month("1966-01")]), np.array([False]))[0])
    assert ret == parse_month("2027-10")
    assert er.months_early(ret, parse_month("2025-05")) == 30


def test_service_allowance():
    # 5 months for the first 20 insured years, 0.5 for each year from the 21st
    assert er.service_allowance(20 * 12) == 5.0
    assert er.service_allowance(26 * 12) == 5.0 + 0.5 * 6
    assert er.service_allowance(26 * 12 + 4) == 5.0 + 0.5 * 6.5  # 4 odd months = half a year
    # 15-20 insured years: 4 months for the first 15 (Decree 67/2025), 5 (Decree 177/2024)
    assert er.service_allowance(18 * 12, 1, 4.0) == 4.0 + 0.5 * 3
    assert er.service_allowance(18 * 12, 1, 5.0) == 5.0 + 0.5 * 3
    assert er.service_allowance(18 * 12) == 0.0  # the older decrees: 20 years needed


# ------------------------------------------------------------------ the worked examples
def test_decree_108_as_amended_in_2019():
    """A man 3 years 4 months from 60, 26 insured years, coefficient 5.76 + allowance 0.7,
    leaving in Sep 2019 (Decree 113/2018 counts years early to 60, art. 54.1a of the 2014
    Social Insurance Law):
      3 months x 3.5 years (40 months: 3 years + 4 odd months = half a year)  = 10.5
      5 months for the first 20 insured years + 0.5 x 6 further years         =  8.0
      total 18.5 months of salary; salary (5.76 + 0.7) x 1.25 = 8.075 base salaries,
      at 1,490,000 VND (Decree 38/2019) = 12,031,750 VND; 18.5 x that = 222,587,375 VND."""
    leave = parse_month("2019-09")
    birth = parse_month("1962-12")  # turns 60 in Dec 2022: pension from Jan 2023
    assert er.reference_rule(leave, "decree_108", parse_month("2021-01")) == "labour_code_2012"
    early = er.months_early(birth + 720, leave)
    assert early == 40
    pay = er.payment("decree_108", early, 26 * 12)
    assert (pay.lump_sum, pay.per_year_early, pay.service) == (0.0, 10.5, 8.0)
    salary = salary_multiple(5.76, 0.7, 0.25)
    assert salary == pytest.approx(8.075)
    assert pay.total * salary * base_salary_vnd(leave) == pytest.approx(222_587_375)
    # from 2021 (Decree 143/2020) the same count runs to the Decree 135 age
    assert er.reference_rule(parse_month("2021-01"), "decree_108", parse_month("2021-01")) == "decree_135"


def test_decree_29_in_2024():
    """Decree 29/2023 art. 5: a woman 4 years 8 months before her Decree 135 age, 30
    insured years: 3 x 5 years (56 months: 8 odd months = a year) = 15; service 5 +
    0.5 x 10 = 10; total 25 months of salary."""
    pay = er.payment("decree_29", 56, 30 * 12)
    assert (pay.per_year_early, pay.service, pay.total) == (15.0, 10.0, 25.0)


def test_decree_178_the_ministry_example():
    """Official Letter 1814/BNV (2025), Mr C: coefficient 4.65, position allowance 0.6,
    public-service allowance 25 %: current salary (4.65 + 0.6) x 1.25 x 2,340,000 =
    15,356,250 VND a month; 30 months early, 22 insured years, leaving 2 months after the
    decision (Mar -> May 2025):
      one-time pension   1.0 x 30               = 30   -> 460,687,500 VND
      per year early     5 x 2.5                = 12.5 -> 191,953,125 VND
      service            5 + 0.5 x 2            =  6   ->  92,137,500 VND
      total 48.5 months = 744,778,125 VND (the three parts as published; the news page
      prints the sum as 744,788,125, a typo: the parts add to 744,778,125)."""
    salary_vnd = salary_multiple(4.65, 0.6, 0.25) * base_salary_vnd(parse_month("2025-05"))
    assert salary_vnd == pytest.approx(15_356_250)
    pay = er.payment("decree_178", 30, 22 * 12, months_since_decision=2)
    assert (pay.lump_sum, pay.per_year_early, pay.service) == (30.0, 12.5, 6.0)
    assert pay.lump_sum * salary_vnd == pytest.approx(460_687_500)
    assert pay.per_year_early * salary_vnd == pytest.approx(191_953_125)
    assert pay.service * salary_vnd == pytest.approx(92_137_500)
    assert pay.total * salary_vnd == pytest.approx(744_778_125)


def test_decree_178_five_to_ten_years_and_the_halving():
    """A man 7 years 3 months early (87 months), 33 insured years (Decree 178 art. 7.1,
    7.2b as amended by 67/2025):
      within 12 months of the decision: 0.9 x 60 = 54; later: 0.45 x 60 = 27
      per year early: 4 months x 7.5 years (3 odd months = half a year) = 30
      service: 5 + 0.5 x 13 = 11.5
      total 95.5 months (within 12 months), 68.5 (from the 13th month)."""
    assert er.payment("decree_178", 87, 33 * 12, 11).total == pytest.approx(54 + 30 + 11.5)
    late = er.payment("decree_178", 87, 33 * 12, 12)
    assert (late.lump_sum, late.per_year_early, late.service) == (27.0, 30.0, 11.5)
    # 2-5 years early with 18 insured years: 36 + 5 x 3 + (4 + 0.5 x 3) = 56.5 (the 15-year clause)
    assert er.payment("decree_178", 36, 18 * 12).total == pytest.approx(56.5)
    # under 2 years early: the one-time pension only (our reading of art. 7.2, not verified)
    assert er.payment("decree_178", 14, 35 * 12).total == 14.0
    assert er.payment("decree_178", 14, 35 * 12, 13).total == 7.0


def test_over_age_cadres_decree_26_then_177():
    """A man not re-elected for age, 2 years 7 months (31 months) early, 35 insured years:
    Decree 26/2015: 3 x 3 years (7 odd months = a year) + (5 + 0.5 x 15) = 9 + 12.5 = 21.5
    Decree 177/2024 art. 3.2: 5 x 3 + 12.5 = 27.5; with 17 insured years 15 + (5 + 0.5 x 2) = 21."""
    assert er.payment("decree_26", 31, 35 * 12).total == pytest.approx(21.5)
    assert er.payment("decree_177", 31, 35 * 12).total == pytest.approx(27.5)
    assert er.payment("decree_177", 31, 17 * 12).total == pytest.approx(21.0)
    assert er.payment("decree_26", 31, 17 * 12).total == pytest.approx(9.0)


def test_eligibility_windows():
    # Decrees 108 / 29: 2-5 years early with >= 20 insured years; Decree 178: <= 10 years
    assert not er.eligible(23, "decree_108") and er.eligible(24, "decree_108") and er.eligible(60, "decree_29")
    assert not er.eligible(61, "decree_29")
    assert er.eligible(120, "decree_178") and not er.eligible(121, "decree_178") and not er.eligible(0, "decree_178")
    assert not er.eligible(36, "decree_178", insured_months=239) and er.eligible(36, "decree_178", insured_months=240)
    with pytest.raises(ValueError, match="unknown regime"):
        er.payment("decree_999", 36, 240)


# ------------------------------------------------------------------ the regime by month
def test_regimes_switch_at_the_configured_months(base_cfg):
    tr = base_cfg.policy.transition
    d29, d178, d177 = parse_month(tr.decree_29_from), parse_month(tr.decree_178_from), parse_month(tr.decree_177_from)
    assert (d29, d178, d177) == (parse_month("2023-07"), parse_month("2025-01"), parse_month("2025-01"))
    assert er.regime(d29 - 1, d178, d29) == "decree_108"
    assert er.regime(d29, d178, d29) == "decree_29"
    assert er.regime(d178 - 1, d178, d29) == "decree_29"
    assert er.regime(d178, d178, d29) == "decree_178"
    assert er.over_age_regime(d177 - 1, d177) == "decree_26"
    assert er.over_age_regime(d177, d177) == "decree_177"


def test_public_service_allowance_is_in_the_wage_bill():
    on = sim.simulate(sim.load_config(["end=2018-10"]), seed=0).timeseries
    off = sim.simulate(sim.load_config(["end=2018-10", "policy.wage.public_service_allowance=0"]), seed=0).timeseries
    assert np.allclose(on["wage_bill"], 1.25 * off["wage_bill"])


# ------------------------------------------------------------------ a real run adds up
def _abolish_districts(start: str, end: str, month: str):
    cfg = sim.load_config([f"start={start}", f"end={end}"])
    action = ActionSpec(kind="abolish_level", month=month, level="district")
    return dataclasses.replace(cfg, scenario=dataclasses.replace(cfg.scenario, name="baseline", actions=[action]))


def _merger_2025_with_deadline():
    # surplus deputies of a Jan 2025 merger reach their deadline in Mar 2026, 14 months
    # after the decision: Decree 178's one-time pension is halved (take-up 1, and no decay
    # with the years left, so that every eligible surplus leader takes it)
    cfg = sim.load_config(
        ["start=2024-12", "end=2026-04", "policy.transition.takeup_decree_178=1.0", "policy.transition.takeup_decay_years=1000"]
    )
    action = ActionSpec(
        kind="merge",
        month="2025-01",
        level="both",
        units=["propaganda", "mass_mobilisation"],
        new_key="pmm",
        new_name="Propaganda and Mass Mobilisation",
        deadline="2026-03",
    )
    return dataclasses.replace(cfg, scenario=dataclasses.replace(cfg.scenario, name="baseline", actions=[action]))


RUNS = {
    # district cadres offered early retirement under each restructuring regime
    "decree_108_2019": lambda: _abolish_districts("2019-06", "2019-12", "2019-10"),
    "decree_108_2021": lambda: _abolish_districts("2020-06", "2021-06", "2021-03"),  # + the 2020 congresses (Decree 26)
    "decree_29_2023": lambda: _abolish_districts("2023-09", "2023-12", "2023-10"),
    "reform_2025": lambda: sim.load_config(["scenario=reform_2025", "start=2024-12"]),  # Decrees 178 and 177
    "decree_178_deadline": _merger_2025_with_deadline,
}


@pytest.mark.parametrize("name", list(RUNS))
def test_severance_is_the_sum_of_the_early_retirements(name):
    """Recompute every early retirement of a run from the people store and the rules:
    the regime of its month, months early to the reference age, insured service since
    entry, the halving from the decision that made the cadre surplus, the salary at
    leaving and the base salary of the month; the run's ``severance_cost_vnd`` (and
    ``severance_cost``) must be exactly their sum."""
    cfg = RUNS[name]()
    model = CadreModel(cfg)
    while model.running:
        model.step()
    res = Result.from_model(model)
    people, tr = model.people, cfg.policy.transition
    row = {c: k for k, c in enumerate(people.cadre_ids)}
    log = list(model.log)
    total = total_vnd = 0.0
    seen: set[str] = set()
    n = 0
    for k, (m, kind, cid, *_rest, detail) in enumerate(log):
        if kind != Event.EARLY_RETIREMENT:
            continue
        i = row[cid]
        insured = m - int(people.entry[i])
        if detail.startswith("not re-elected"):
            reg = er.over_age_regime(m, parse_month(tr.decree_177_from))
            pay = er.payment(reg, max(er.months_early(int(people.ret[i]), m), 0), insured)
        else:
            reg = er.regime(m, parse_month(tr.decree_178_from), parse_month(tr.decree_29_from))
            if er.reference_rule(m, reg, parse_month(tr.decree_143_from)) == "labour_code_2012":
                ret = int(people.birth[i]) + (660 if people.female[i] else 720)
            else:
                ret = int(people.ret[i])
            # the decision: the cadre's last "surplus" event if still surplus, else this month
            before = [e for e in log[:k] if e[2] == cid]
            last_surplus = max((j for j, e in enumerate(before) if e[1] == Event.SURPLUS), default=None)
            ended = last_surplus is None or any(e[1] != Event.STILL_SURPLUS for e in before[last_surplus + 1 :])
            decided = m if ended else before[last_surplus][0]
            pay = er.payment(reg, er.months_early(ret, m), insured, m - decided)
        assert er.LAW[reg] in detail  # the event names the decree it was paid under
        cost = pay.total * float(people.pay[i])
        total += cost
        total_vnd += cost * base_salary_vnd(m)
        seen.add(reg)
        n += 1
    assert n == res.summary["early_retirements_total"] > 0
    assert res.summary["severance_cost_total"] == pytest.approx(total, rel=1e-12)
    assert res.summary["severance_cost_vnd_total"] == pytest.approx(total_vnd, rel=1e-12)
    expected = {
        "decree_108_2019": {"decree_108"},
        "decree_108_2021": {"decree_108", "decree_26"},
        "decree_29_2023": {"decree_29"},
        "reform_2025": {"decree_178", "decree_177"},
        "decree_178_deadline": {"decree_178"},
    }[name]
    assert expected <= seen
