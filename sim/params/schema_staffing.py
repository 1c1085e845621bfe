"""Schema of the policy on staff numbers and pay: the transition of surplus leaders,
the dated payroll cuts and the wage scale (``policy.transition``, ``policy.payroll``,
``policy.wage``). Part of :class:`~sim.params.schema_policy.PolicyConfig`; every field
declares its default, unit and source here (see ``sim/params/declare.py``).
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.calendar import parse_month
from sim.core.errors import ConfigError
from sim.params.declare import MONTH, NONNEG, PROBABILITY, check_declared, par


@dataclass
class TransitionSpec:
    """What happens to leaders left above quota by a restructuring action: kept without
    replacement until a deadline, then transferred, then offered early retirement."""

    deadline_policy: bool = par(
        True,
        doc="at the deadline, transfer surplus leaders, then offer early retirement",
        source="Thái Bình's 2019 office merger (surplus deputies kept until end-2020); Conclusions 186/187 (2025): within 5 years",
    )
    default_deadline_months: int = par(
        24,
        unit="months",
        check=NONNEG,
        doc="deadline after the action when the action names none",
        source="estimate (Thái Bình's 2019 office merger allowed about 19 months)",
    )
    legal_deputies_province: int = par(
        3, unit="deputies per unit", check=NONNEG, source="Decree 107/2020: on average 3 per department"
    )
    legal_deputies_district: int = par(
        2, unit="deputies per unit", check=NONNEG, source="Decree 108/2020: on average 2 per district division"
    )
    extra_deputies_per_extra_body: int = par(
        1,
        unit="deputies per merged body",
        check=NONNEG,
        source="Conclusions 186/187 (2025): +1 deputy when 2 bodies merge, +2 when 3 do",
    )
    extra_deputies_from: str = par(
        "2025-01",
        unit="month (YYYY-MM)",
        check=MONTH,
        doc="first month whose mergers get the extra deputies; earlier mergers (the 2019-20 pilots) get the legal "
        "number only, their sitting excess kept until the deadline",
        source="Conclusions 186/187 (2025) belong to the 2025 reorganisation; before it Decrees 107/2020 and "
        "108/2020 set the averages with no extra (the first month, the start of 2025, is an estimate)",
    )
    divisions_cut_province: float = par(
        0.279,
        unit="share of the merged unit's divisions",
        check=PROBABILITY,
        doc="provincial mergers from extra_deputies_from on consolidate this share of their divisions when the action "
        "gives no divisions_cut (earlier mergers: none)",
        source="Thái Bình's 2025 reorganisation: 49 provincial divisions cut, -27.9 % (baodautu.vn)",
    )
    divisions_cut_district: float = par(
        0.25,
        unit="share of the merged unit's divisions",
        check=PROBABILITY,
        doc="the same for district mergers",
        source="Thái Bình's 2025 reorganisation: 24 of 96 district People's Committee divisions cut, -25 % (baodautu.vn)",
    )
    after_deadline: str = par(
        "step_down",
        choices=("step_down", "keep"),
        doc="a surplus leader neither transferred nor retired at the deadline: step_down takes a vacancy of a lower "
        "rank in the same area (else anywhere), keeping the old allowance; keep leaves them surplus, retried every month",
        source="Decree 178/2024 art. 11 as amended by Decree 67/2025 art. 1.11: a leader who steps down or takes a "
        "lower post because of restructuring keeps the old allowance to the end of the term (at least 6 months); "
        "applied to the 2019-20 pilots too (estimate)",
    )
    takeup_decree_108: float = par(
        0.3,
        unit="probability",
        check=PROBABILITY,
        doc="an eligible surplus leader takes early retirement (2018-2024: Decree 108/2014 and Decree 29/2023 regimes)",
        source="estimate: take-up is not published (Decree 108/2014 as amended by Decree 113/2018)",
    )
    takeup_decree_178: float = par(
        0.6,
        unit="probability",
        check=PROBABILITY,
        doc="the same under the 2025 regime",
        source="estimate: Decree 178/2024 pays more (43,207 people had left nationally by 30 Jun 2025, news.laodong.vn)",
    )
    takeup_decay_years: float = par(
        5.0, unit="years", doc="take-up falls as exp(-years given up / this)", source="estimate"
    )
    decree_143_from: str = par(
        "2021-01",
        unit="month (YYYY-MM)",
        doc="first month in which the Decree 108 regime counts years early to the Decree 135/2020 ages "
        "(before: to 60 for men, 55 for women, as Decree 113/2018 art. 8.1b said)",
        source="Decree 143/2020/NĐ-CP (10 Dec 2020), assumed to apply with Decree 135/2020 from 1 Jan 2021 (not verified)",
    )
    decree_29_from: str = par(
        "2023-07",
        unit="month (YYYY-MM)",
        doc="first month of the Decree 29/2023 regime (replaces Decree 108/2014; same payment formula)",
        source="Decree 29/2023/NĐ-CP of 3 Jun 2023, in force 20 Jul 2023 (vietnam.vn)",
    )
    decree_178_from: str = par(
        "2025-01",
        unit="month (YYYY-MM)",
        doc="first month of the 2025 restructuring regime",
        source="Decree 178/2024/NĐ-CP: in force from 1 Jan 2025",
    )
    decree_177_from: str = par(
        "2025-01",
        unit="month (YYYY-MM)",
        doc="first month in which cadres not re-elected for age leave under Decree 177/2024 (before: Decree 26/2015)",
        source="Decree 177/2024/NĐ-CP of 31 Dec 2024, in force 1 Jan 2025 (trogiupluat.vn; news.laodong.vn)",
    )
    to_province_share: float = par(
        0.3,
        unit="share",
        check=PROBABILITY,
        doc="abolished district level: share of reassignments sought at the province",
        source="estimate",
    )
    reappoint_on_merge: bool = par(
        False,
        doc="leaders kept in a merged unit are appointed anew: their appointment term and consecutive-term count "
        "restart (time towards promotion is time at the rank and is kept either way, Regulation 80-QĐ/TW)",
        source="modelling choice; Regulation 80-QĐ/TW (2022) treats the move as one to an equivalent post",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.transition")
        if self.takeup_decay_years <= 0:
            raise ConfigError("policy.transition.takeup_decay_years must be > 0")
        for name in ("decree_143_from", "decree_29_from", "decree_178_from", "decree_177_from"):
            try:
                parse_month(getattr(self, name))
            except ValueError as err:
                raise ConfigError(f"policy.transition.{name}: {err}") from None
        if parse_month(self.decree_29_from) > parse_month(self.decree_178_from):
            raise ConfigError(
                f"policy.transition.decree_29_from ({self.decree_29_from}) must not be after decree_178_from ({self.decree_178_from})"
            )


@dataclass
class PayrollCut:
    """One dated cut of the staff payroll."""

    start: str = par("???", unit="month (YYYY-MM)", doc="first month of the cut")
    end: str = par("???", unit="month (YYYY-MM)", doc="the cut is reached linearly by this month")
    share: float = par(0.05, unit="share of the staff posts at the start", check=PROBABILITY, doc="posts to abolish")
    source: str = par("", doc="the text that sets the cut")

    def __post_init__(self) -> None:
        check_declared(self, "policy.payroll.cuts[]")
        try:
            if parse_month(self.start) >= parse_month(self.end):
                raise ConfigError(f"policy.payroll cut {self.start}..{self.end}: start must be before end")
        except ValueError as err:
            raise ConfigError(f"policy.payroll.cuts: {err}") from None


@dataclass
class PayrollSpec:
    """Replacement policy: vacated staff (specialist) posts are abolished until the cut is reached."""

    enabled: bool = par(True, source="Resolution 39-NQ/TW (2015); Conclusion 40-KL/TW (2022)")
    cuts: list[PayrollCut] = par([], doc="the dated cuts (configs/policy/default.yaml lists those of 2018-2026)")


@dataclass
class WageSpec:
    """Monthly pay in units of the base salary (lương cơ sở)."""

    coefficient_by_rank: list[float] = par(
        [3.66, 4.74, 5.08, 5.76, 6.44, 7.28, 7.64],
        unit="multiples of the base salary",
        per_rank=True,
        doc="salary coefficient (hệ số lương)",
        source=(
            "Decree 204/2004 scales: rank 0 the mid-point of specialist 2.34-4.98; ranks 1-2 principal specialist "
            "4.40-6.78 (lower and middle steps); ranks 3-6 principal/senior 6.20-8.00 (estimate of the typical step)"
        ),
    )
    allowance_by_rank: list[float] = par(
        [0.0, 0.2, 0.3, 0.7, 0.9, 1.25, 1.3],
        unit="multiples of the base salary",
        per_rank=True,
        doc="leadership allowance",
        source=(
            "Decision 128-QĐ/TW; Decree 204/2004: district division deputy 0.2, division head 0.3-0.4, deputy "
            "director 0.7, director 0.9, deputy provincial secretary 1.25, top leaders 1.3 (ranks 1-4: low confidence)"
        ),
    )
    public_service_allowance: float = par(
        0.25,
        unit="share of salary + leadership allowance",
        check=NONNEG,
        doc="public-service allowance (phụ cấp công vụ) paid to every cadre in service; part of the wage bill and of "
        "the current monthly salary that severance multiplies; 0 leaves it out",
        source="Decree 34/2012/NĐ-CP art. 3 (25 % of salary plus leadership and over-scale seniority allowances); "
        "included in severance pay in the Ministry of Home Affairs' worked example (Official Letter 1814/BNV, 2025; "
        "news.laodong.vn 1500297)",
    )
    base_salary_vnd: list[float] = par(
        [1.30e6, 1.39e6, 1.49e6, 1.80e6, 2.34e6],
        unit="VND per month",
        source="Decrees 47/2017, 72/2018, 38/2019, 24/2023, 73/2024",
    )
    base_salary_from: list[str] = par(
        ["2017-07", "2018-07", "2019-07", "2023-07", "2024-07"],
        unit="months (YYYY-MM)",
        check=MONTH,
        doc="when each base salary takes effect (the 1 Jul 2020 rise was postponed, Resolution 128/2020/QH14)",
        source="Decrees 47/2017, 72/2018, 38/2019, 24/2023, 73/2024",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.wage")
        if len(self.base_salary_vnd) != len(self.base_salary_from) or not self.base_salary_vnd:
            raise ConfigError("policy.wage: base_salary_vnd and base_salary_from must be non-empty and of equal length")
        for i, v in enumerate(self.base_salary_vnd):
            if v <= 0:
                raise ConfigError(f"policy.wage.base_salary_vnd[{i}] = {v} must be > 0")
        for name in ("coefficient_by_rank", "allowance_by_rank"):
            for i, v in enumerate(getattr(self, name)):
                if v < 0:
                    raise ConfigError(f"policy.wage.{name}[{i}] = {v} must be >= 0")


__all__ = ["PayrollCut", "PayrollSpec", "TransitionSpec", "WageSpec"]
