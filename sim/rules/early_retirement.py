"""Early retirement: eligibility, take-up and the one-off payment, regime by regime.

Every payment is in **months of the person's current monthly salary** (tiền lương hiện
hưởng: salary coefficient + leadership allowance + the 25 % public-service allowance of
Decree 34/2012 on both, times the base salary — as in the Ministry of Home Affairs'
worked example for Decree 178, Official Letter 1814/BNV 2025, news.laodong.vn 1500297;
that the older decrees counted the public-service allowance too is *not verified*).
Seniority allowances are not modelled. Each payment is returned as its parts
(:class:`Severance`) so that a run can be audited.

Surplus leaders after a restructuring action (``regime``):

* ``decree_108`` — Decree 108/2014/NĐ-CP art. 8.1 as amended by Decree 113/2018/NĐ-CP
  and Decree 143/2020/NĐ-CP, until ``decree_29_from``;
* ``decree_29`` — Decree 29/2023/NĐ-CP art. 5 (in force 20 Jul 2023), until
  ``decree_178_from``;
* ``decree_178`` — Decree 178/2024/NĐ-CP art. 7 as amended by Decree 67/2025/NĐ-CP
  art. 1.6, from 1 Jan 2025.

Cadres not re-elected at a congress for age (``over_age_regime``):

* ``decree_26`` — Decree 26/2015/NĐ-CP, until ``decree_177_from``;
* ``decree_177`` — Decree 177/2024/NĐ-CP art. 3.2, from 1 Jan 2025.

Months early (:func:`months_early`) run from the month of leaving to the statutory
pension start, the month after the retirement month (Decree 135/2020 art. 3 and
Appendix I), except under Decree 113/2018 before Decree 143/2020, which counted them to
60 (men) and 55 (women), art. 54.1a of the 2014 Social Insurance Law
(:func:`reference_rule`).

Take-up is not published: it is a parameter (``policy.transition``), scaled down
exponentially with the years given up.

Sources read (stored public pages; the decree texts themselves were not available):
lawnet.vn 165220 (Decree 113/2018 on art. 8 of Decree 108); thongtin.vietnam.vn and
vietnam.vn (Decree 29/2023 art. 5; dated 3 Jun 2023, in force 20 Jul 2023);
thuvienphapluat.vn 9503 (Decree 26/2015); news.laodong.vn 1474853, 1545601, 1444024
(Decree 177/2024 art. 3.2 and its rounding); news.laodong.vn 1444967, 1444694, 1451485,
1479449, 1505080, 1463017, 1463001 (Decree 178/2024 arts. 5 and 7, Decree 67/2025
art. 1.6, Circular 01/2025/TT-BNV art. 4).
"""

from __future__ import annotations

import math
from typing import NamedTuple

REGIMES = ("decree_108", "decree_29", "decree_178")
OVER_AGE_REGIMES = ("decree_26", "decree_177")

LAW = {
    "decree_108": "Decree 108/2014 art. 8.1 (amended 113/2018, 143/2020)",
    "decree_29": "Decree 29/2023 art. 5",
    "decree_178": "Decree 178/2024 art. 7 (amended 67/2025)",
    "decree_26": "Decree 26/2015",
    "decree_177": "Decree 177/2024 art. 3.2",
}

# an insured career long enough for a pension (2014 Social Insurance Law art. 54: 20
# years; the 2024 law lowers it to 15 years from 1 Jul 2025, not modelled: every
# cadre this close to retirement in the model has well over 20 years)
MIN_INSURED_MONTHS = 240


class Severance(NamedTuple):
    """A one-off payment in months of current salary, by part."""

    lump_sum: float  # Decree 178 art. 7.1: the one-time pension for the months retired early
    per_year_early: float  # months of salary for each year retired early
    service: float  # months of salary for the insured years of service
    regime: str

    @property
    def total(self) -> float:
        return self.lump_sum + self.per_year_early + self.service


# ------------------------------------------------------------------ regimes in force
def regime(month: int, decree_178_from: int, decree_29_from: int | None = None) -> str:
    """Restructuring regime in force in a month (month indices): Decree 108/2014 (as
    amended) before ``decree_29_from``, Decree 29/2023 until ``decree_178_from``,
    Decree 178/2024 after. Without ``decree_29_from`` the Decree 29 period is skipped."""
    if month >= decree_178_from:
        return "decree_178"
    if decree_29_from is not None and month >= decree_29_from:
        return "decree_29"
    return "decree_108"


def over_age_regime(month: int, decree_177_from: int) -> str:
    """Regime for cadres not re-elected or re-appointed for age: Decree 26/2015 until
    Decree 177/2024 takes over (1 Jan 2025)."""
    return "decree_177" if month >= decree_177_from else "decree_26"


def reference_rule(month: int, regime_name: str, decree_143_from: int) -> str:
    """The retirement rule that months early are counted against.

    Decree 113/2018 (amending art. 8.1 of Decree 108/2014) paid "3 months' salary for
    each year retired early compared with art. 54.1a of the Social Insurance Law", i.e.
    60 for men and 55 for women (lawnet.vn 165220); Decree 143/2020 re-based it on the
    ages of Decree 135/2020 (Appendix I). Decrees 29/2023 and 178/2024 count against
    Decree 135/2020 Appendix I."""
    if regime_name == "decree_108" and month < decree_143_from:
        return "labour_code_2012"
    return "decree_135"


# ------------------------------------------------------------------ counting time
def months_early(retirement_month: int, leave_month: int) -> int:
    """Months retired early: from the first month out of service (``leave_month``) to the
    statutory pension start, the month after the retirement month (Decree 135/2020
    art. 3: retirement at the end of the month the age is reached, pension from the 1st
    of the next). E.g. a man born Jan 1966 reaches his age in Oct 2027 (Appendix I);
    leaving from 1 May 2025 he retires 30 months (2 years 6 months) early, as in Official
    Letter 1814/BNV (2025)."""
    return retirement_month + 1 - leave_month


def years_rounded(months: int, small_part: int = 1) -> float:
    """Whole and half years of a span of months, odd months rounded as the decrees say.

    ``small_part=1`` (Decree 178/2024 art. 5; Decree 177/2024 art. 3, news.laodong.vn
    1444694 and 1444024): 1-6 odd months count as half a year, 7-11 as a whole year.
    ``small_part=3`` (the older texts, Decree 108/2014 and its successors: fewer than 3
    odd months do not count, 3-6 are half a year, more are a year) — *not verified*
    against the text of Decree 108/2014, 29/2023 or 26/2015: recalled from the usual
    rule of the social-insurance law.
    """
    months = max(int(months), 0)
    whole, odd = divmod(months, 12)
    if odd == 0 or odd < small_part:
        return float(whole)
    return whole + (0.5 if odd <= 6 else 1.0)


def service_allowance(insured_months: int, small_part: int = 1, fifteen_year_rate: float | None = None) -> float:
    """Months of salary for the insured years: 5 for the first 20 years, 0.5 for each
    year from the 21st (Decree 108/2014 art. 8.1c; Decree 29/2023 art. 5; Decree 26/2015;
    Decree 177/2024 art. 3.2c; Decree 178/2024 art. 7.2 as amended by 67/2025).

    ``fifteen_year_rate``: those with 15 to 20 insured years (pension-eligible under the
    2024 Social Insurance Law) get this many months for the first 15 years plus 0.5 a
    year from the 16th — 4 under Decree 67/2025 (news.laodong.vn 1479449, 1505080), 5
    under Decree 177/2024 art. 3.2c (1545601). Whether the 15-year clause is meant only
    for those short of 20 years is our reading, not verified; None: no such clause."""
    years = years_rounded(insured_months, small_part)
    if years >= 20:
        return 5.0 + 0.5 * (years - 20)
    if fifteen_year_rate is not None and years >= 15:
        return fifteen_year_rate + 0.5 * (years - 15)
    return 0.0


# ------------------------------------------------------------------ eligibility and take-up
def eligible(months_left: int, regime_name: str, insured_months: int | None = None) -> bool:
    """May someone ``months_left`` months before the reference retirement month
    (:func:`reference_rule`) retire early under this regime?

    Decree 108/2014 art. 8.1 (113/2018) and Decree 29/2023 art. 5: 2 to 5 years early
    (men 55-58, women 50-53 before 2021) with >= 20 insured years; Decree 178/2024
    art. 2 and 7: at most 10 years early with an insured career that gives a pension.
    ``insured_months`` None: the insurance condition is not checked."""
    if regime_name not in REGIMES:
        raise ValueError(f"unknown regime {regime_name!r}; valid: {', '.join(REGIMES)}")
    if insured_months is not None and insured_months < MIN_INSURED_MONTHS:
        return False
    if regime_name == "decree_178":
        return 0 < months_left <= 120
    return 24 <= months_left <= 60


def takeup_probability(
    months_left: int,
    regime_name: str,
    base_108: float,
    base_178: float,
    decay_years: float,
    insured_months: int | None = None,
) -> float:
    """Probability that an eligible person offered early retirement takes it (Decree 29
    shares the take-up of Decree 108: the same payment; estimate)."""
    if not eligible(months_left, regime_name, insured_months):
        return 0.0
    base = base_178 if regime_name == "decree_178" else base_108
    return base * math.exp(-(months_left / 12.0) / decay_years)


# ------------------------------------------------------------------ the payments
def payment_decree_108(months_early: int, insured_months: int) -> Severance:
    """Decree 108/2014/NĐ-CP art. 8.1 as amended by Decree 113/2018/NĐ-CP (in force
    15 Oct 2018) and Decree 143/2020/NĐ-CP: no pension deduction, plus

    * 3 months' salary for each year retired early (art. 8.1b as amended by 113/2018;
      counted to 60/55 until Decree 143/2020, then to Decree 135/2020 Appendix I);
    * 5 months' salary for the first 20 years of insured service and 0.5 month for each
      further year (art. 8.1c).

    Period: 2015 until Decree 29/2023 took over (20 Jul 2023). Whether the Decree 108
    regime itself still applied in the first half of 2023 was not verified. Salary:
    current monthly salary (salary by grade and step plus position and seniority
    allowances, lawnet.vn 165171)."""
    return Severance(0.0, 3.0 * years_rounded(months_early, 3), service_allowance(insured_months, 3), "decree_108")


def payment_decree_29(months_early: int, insured_months: int) -> Severance:
    """Decree 29/2023/NĐ-CP art. 5 (dated 3 Jun 2023, in force 20 Jul 2023, applies
    until 31 Dec 2030; replaced by Decree 154/2025 from 16 Jun 2025 for ordinary
    streamlining): those 2-5 years before the Decree 135/2020 Appendix I age with >= 20
    insured years get no pension deduction, 3 months' salary for each year retired early,
    5 months for the first 20 insured years and 0.5 month for each further year
    (thongtin.vietnam.vn; news.laodong.vn 1413211).

    *Doubtful*: the French summary speaks of the *average* salary (tiền lương bình quân;
    its definition in the decree was not read); the current salary is used, which
    overstates the payment a little where the base salary rose in the last years."""
    return Severance(0.0, 3.0 * years_rounded(months_early, 3), service_allowance(insured_months, 3), "decree_29")


def payment_decree_178(months_early: int, insured_months: int, months_since_decision: int = 0) -> Severance:
    """Decree 178/2024/NĐ-CP art. 7 as amended by Decree 67/2025/NĐ-CP art. 1.6 (in force
    from 1 Jan 2025; Circular 01/2025/TT-BNV art. 4 gives the formulas):

    * art. 7.1, one-time pension for the months retired early: 1.0 x the months early
      (at most 60) for those <= 5 years from the Decree 135/2020 Appendix I age, 0.9 x 60
      for those 5-10 years from it; half of that (0.5 x months, 0.45 x 60) for those who
      leave from the 13th month after the competent authority's restructuring decision
      (``months_since_decision`` >= 12);
    * art. 7.2a/b, per year retired early: 5 months' salary (2-5 years early) or 4 months
      (more than 5 to 10 years early); years rounded as in art. 5 (1-6 odd months = half
      a year — Circular 01/2025 art. 3.4 itself was not read);
    * art. 7.2, service: 5 months for the first 20 insured years and 0.5 month for each
      further year (with 15-20 insured years: 4 months for the first 15, Decree 67/2025).

    Those less than 2 years from retirement get the one-time pension only: art. 7.2
    covers 2-5 and 5-10 years (our reading of the structure of art. 7; not verified).
    """
    months_early = max(int(months_early), 0)
    factor = 0.5 if months_since_decision >= 12 else 1.0
    lump = factor * (float(min(months_early, 60)) if months_early <= 60 else 0.9 * 60)
    if months_early < 24:
        return Severance(lump, 0.0, 0.0, "decree_178")
    rate = 5.0 if months_early <= 60 else 4.0
    return Severance(
        lump, rate * years_rounded(months_early, 1), service_allowance(insured_months, 1, 4.0), "decree_178"
    )


def payment_decree_26(months_early: int, insured_months: int) -> Severance:
    """Decree 26/2015/NĐ-CP (in force 1 May 2015, applied from 1 Jan 2015; article
    number not verified), cadres not meeting the age for re-election or re-appointment
    who retire early with >= 20 insured years: no pension deduction, 3 months' salary
    for each year retired early, 5 months for the first 20 insured years and 0.5 month
    for each further year (thuvienphapluat.vn 9503). Until 31 Dec 2024."""
    return Severance(0.0, 3.0 * years_rounded(months_early, 3), service_allowance(insured_months, 3), "decree_26")


def payment_decree_177(months_early: int, insured_months: int) -> Severance:
    """Decree 177/2024/NĐ-CP art. 3.2 (in force 1 Jan 2025), cadres not re-elected or
    re-appointed who retire early: no pension deduction for up to 5 years early (art.
    3.2a); 5 months' current salary for each year retired early, odd months 1-6 = half a
    year, 7-12 = a year (3.2b); 5 months for the first 20 insured years and 0.5 month for
    each further year, or 5 months for the first 15 years for those with 15-20 (3.2c)
    (news.laodong.vn 1474853, 1545601, 1444024)."""
    return Severance(0.0, 5.0 * years_rounded(months_early, 1), service_allowance(insured_months, 1, 5.0), "decree_177")


def payment(regime_name: str, months_early: int, insured_months: int, months_since_decision: int = 0) -> Severance:
    """The payment of a regime (months of current salary, by part)."""
    if regime_name == "decree_108":
        return payment_decree_108(months_early, insured_months)
    if regime_name == "decree_29":
        return payment_decree_29(months_early, insured_months)
    if regime_name == "decree_178":
        return payment_decree_178(months_early, insured_months, months_since_decision)
    if regime_name == "decree_26":
        return payment_decree_26(months_early, insured_months)
    if regime_name == "decree_177":
        return payment_decree_177(months_early, insured_months)
    raise ValueError(f"unknown regime {regime_name!r}; valid: {', '.join(REGIMES + OVER_AGE_REGIMES)}")
