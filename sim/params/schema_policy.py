"""Schema of the cadre policy (``policy``): the law where it exists, estimates elsewhere.

Every field declares its default, unit and source here (see ``sim/params/declare.py``);
``configs/policy/default.yaml`` holds only what is data rather than a default (the dated
payroll cuts).
"""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.errors import ConfigError
from sim.core.vocabulary import N_RANKS
from sim.params.declare import MONTH, NONNEG, PROBABILITY, check_declared, par, section
from sim.params.schema_moves import CentralSpec, PlanSpec, RebalanceSpec
from sim.params.schema_staffing import PayrollSpec, TransitionSpec, WageSpec
from sim.rules import pool as pool_rules
from sim.rules import retirement as retirement_rules
from sim.rules import rotation as rotation_rules
from sim.rules import selection as selection_rules

REG_50 = "Regulation 50-QĐ/TW (27 Dec 2021)"
REG_98 = "Regulation 98-QĐ/TW (2017)"
REG_105 = "Regulation 105-QĐ/TW (2017)"
DIR_35 = "Directive 35-CT/TW (30 May 2019)"
DIR_45 = "Directive 45-CT/TW (14 Apr 2025)"


@dataclass
class SeniorExtensionSpec:
    """Longer service for listed senior posts (off by default)."""

    enabled: bool = par(
        False,
        doc="listed senior posts may serve to 65 (men) / 60 (women)",
        source="Decree 83/2022 (amended by Decree 99/2024)",
    )
    min_rank: int = par(
        6,
        unit="rank",
        doc="lowest rank of a listed post",
        source="estimate: only the provincial top leaders would be listed",
    )

    def __post_init__(self) -> None:
        if not 0 <= self.min_rank < N_RANKS:
            raise ConfigError(f"policy.senior_extension.min_rank must be 0..{N_RANKS - 1}")


@dataclass
class ExitSpec:
    """Exits other than retirement (resignation, transfer out, death, dismissal): an
    annual probability by age band, times a multiplier by rank."""

    band_lower_ages: list[int] = par(
        [18, 30, 40, 50],
        unit="years",
        doc="lower bound of each age band",
        source="estimate: no published exit rates by age",
    )
    annual_rates: list[float] = par(
        [0.015, 0.008, 0.005, 0.004],
        unit="probability per year, one per age band",
        source=(
            "estimate: no published exit rates by age; for comparison, quits from the state sector ran at "
            "about 0.8 % a year in 2020-2022, mostly public-service employees (quochoitv.vn; VnExpress, MoHA 2023)"
        ),
    )
    rank_multipliers: list[float] = par(
        [1.0, 0.8, 0.7, 0.6, 0.5, 0.5, 0.5],
        unit="multiplier",
        per_rank=True,
        check=NONNEG,
        source="estimate: leaders rarely leave",
    )

    def __post_init__(self) -> None:
        if len(self.band_lower_ages) != len(self.annual_rates):
            raise ConfigError("policy.exits: band_lower_ages and annual_rates differ in length")
        if list(self.band_lower_ages) != sorted(self.band_lower_ages):
            raise ConfigError("policy.exits.band_lower_ages must be increasing")
        for i, r in enumerate(self.annual_rates):
            if not 0.0 <= r < 1.0:
                raise ConfigError(f"policy.exits.annual_rates[{i}] = {r} must be in [0, 1)")
        check_declared(self, "policy.exits")
        # the rate of a band times the multiplier of a rank is an exit probability per year
        if self.annual_rates and self.rank_multipliers:
            i = max(range(len(self.annual_rates)), key=lambda k: self.annual_rates[k])
            r = max(range(len(self.rank_multipliers)), key=lambda k: self.rank_multipliers[k])
            worst = self.annual_rates[i] * self.rank_multipliers[r]
            if worst >= 1.0:
                raise ConfigError(
                    f"policy.exits.annual_rates[{i}] x policy.exits.rank_multipliers[{r}] = "
                    f"{self.annual_rates[i]} x {self.rank_multipliers[r]} = {worst:.4g}: an exit rate after its rank "
                    "multiplier must stay below 1 per year"
                )


@dataclass
class AppointmentSpec:
    """Appointment terms and the conditions of a promotion."""

    min_months_left: int = par(
        60,
        unit="months",
        check=NONNEG,
        doc="months to statutory retirement needed at promotion (a full term)",
        source=f"{REG_105}; Guidance 06-HD/BTCTW (2021)",
    )
    min_months_in_post: int = par(
        24,
        unit="months",
        check=NONNEG,
        doc="months in the current or an equivalent post (same rank, any unit) before a promotion; first appointments exempt",
        source="Regulation 80-QĐ/TW (18 Aug 2022): at least 2 years in the current or an equivalent post",
    )
    term_months: int = par(
        60, unit="months", check=NONNEG, doc="length of an appointment term", source=f"{REG_105}: 5 years"
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.appointment")
        if self.term_months == 0:
            raise ConfigError("policy.appointment.term_months must be > 0")


@dataclass
class SelectionSpec:
    """How a vacancy's holder is chosen among the eligible candidates one rank below."""

    rule: str = par(
        "merit",
        choices=selection_rules.RULES,
        doc="merit: noisy observed competence; seniority: months in rank; random",
        source="modelling choice",
    )
    noise_sd: float = par(
        0.5,
        unit="sd of latent competence (which has sd 1)",
        check=NONNEG,
        doc="noise on observed competence",
        source="estimate",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.selection")


@dataclass
class VacancySpec:
    """How fast a vacant post is filled."""

    fill_probability_leader: float = par(
        0.4,
        unit="probability per month",
        check=PROBABILITY,
        doc="a vacant head or deputy post is filled",
        source="estimate: a vacant head or deputy post waits about 2.5 months",
    )
    fill_probability_division: float = par(
        0.5,
        unit="probability per month",
        check=PROBABILITY,
        doc="a vacant division head or deputy post is filled",
        source="estimate",
    )
    fill_probability_entry: float = par(
        0.2,
        unit="probability per month",
        check=PROBABILITY,
        doc="a vacant specialist post is recruited to",
        source="estimate: recruitment comes in rounds; about 5 months to fill",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.vacancy")


@dataclass
class RecruitmentSpec:
    """Who is recruited at entry rank."""

    age_min: int = par(23, unit="years", doc="youngest age at entry", source="estimate")
    age_max: int = par(32, unit="years", doc="oldest age at entry", source="estimate")
    women_share: float = par(
        0.48,
        unit="share of recruits",
        check=PROBABILITY,
        source="women in public-sector employment, 48.1 % in 2016 (OECD/ADB via hanoitimes.vn)",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.recruitment")
        if not 18 <= self.age_min <= self.age_max <= 50:
            raise ConfigError(
                f"policy.recruitment: need 18 <= age_min <= age_max <= 50, got {self.age_min}..{self.age_max}"
            )


@dataclass
class PoolSpec:
    """Succession pool (quy hoạch), Regulation 50-QĐ/TW (2021)."""

    per_post_max: int = par(3, unit="candidates per post", source=f"{REG_50}: at most 3 candidates per post")
    posts_per_person_max: int = par(
        3, unit="posts per person", source=f"{REG_50}: one person in the pool for at most 3 posts at one level"
    )
    review_month: int = par(
        12, unit="calendar month (1-12)", doc="month of the yearly review", source="estimate: each December"
    )
    rebuild_months: list[str] = par(
        ["2020-10", "2025-10"],
        unit="months (YYYY-MM)",
        check=MONTH,
        doc="the pool is rebuilt at the start of each congress term (the months of policy.congress.province_months; later ones every policy.congress.period_years)",
        source=f"{DIR_35}; {DIR_45}",
    )
    women_target: float = par(0.25, unit="share of the pool", check=PROBABILITY, source=f"{REG_50}: women >= 25 %; for the pools of 2018-2021, before it, an assumption (the same target)")
    young_target: float = par(
        0.15, unit="share of the pool", check=PROBABILITY, source=f"{REG_50}: under 40 >= 15 % (province, district); for 2018-2021, before it, an assumption (the same target)"
    )
    young_age: int = par(
        40,
        unit="years",
        doc="under this age a cadre counts as young (the pool target and the under-40 metrics)",
        source=REG_50,
    )
    next_term_after_months: int = par(
        24,
        unit="months after a term's start",
        check=NONNEG,
        doc="from this long after a term starts, the yearly review plans for the next term (candidates need a full "
        "term of working age at the next term's start); before it, the current term's pool is reviewed against "
        "the current term's start",
        source=f"{REG_50}: candidates for the next term need a full term of working age (vietnamnet.vn, 4 Jan 2022); "
        "when in the term the next term's pool is made: estimate",
    )
    target_mode: str = par(
        "preference",
        choices=pool_rules.TARGET_MODES,
        doc="how the targets are pursued: not at all, by a score preference, or by a hard quota (swaps)",
        source="modelling choice: the regulation sets the targets, not the method",
    )
    choice: str = par(
        "mixed", choices=pool_rules.CHOICE_RULES, doc="how candidates are ranked", source="modelling choice"
    )
    noise_sd: float = par(
        0.5,
        unit="sd of latent competence",
        check=NONNEG,
        doc="noise on observed competence in the pool review",
        source="estimate",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.pool")
        if not 1 <= self.review_month <= 12:
            raise ConfigError(f"policy.pool.review_month = {self.review_month} must be 1..12")
        if self.per_post_max < 1 or self.posts_per_person_max < 1:
            raise ConfigError("policy.pool.per_post_max and posts_per_person_max must be >= 1")


@dataclass
class RotationSpec:
    """Rotation (luân chuyển), Regulation 98-QĐ/TW (2017)."""

    per_year: int = par(
        12, unit="rotations per yearly wave", check=NONNEG, source="estimate: no published yearly count"
    )
    wave_month: int = par(
        10,
        unit="calendar month (1-12)",
        doc="month of the yearly wave",
        source="the province's 2018-2020 rotation plan ran in Q4 2018 and 2019 (Thái Bình news article, 5 Sep 2018)",
    )
    length_months: int = par(36, unit="months", source=f"{REG_98}: at least 3 years (qdnd.vn); medium confidence")
    max_age_men: int = par(
        50,
        unit="years",
        doc="oldest age at rotation, men",
        source=f"{REG_98} art. 5: >= 10 years (2 terms) of service left",
    )
    max_age_women: int = par(
        45,
        unit="years",
        doc="oldest age at rotation, women",
        source=f"{REG_98} art. 5: >= 10 years (2 terms) of service left",
    )
    reg65_from: str = par(
        "2022-04",
        unit="month (YYYY-MM)",
        check=MONTH,
        doc="from this month training rotations need min_months_left_reg65 of service left instead of the age limits",
        source="Regulation 65-QĐ/TW, signed 28 Apr 2022, in force on signing (art. 5)",
    )
    min_months_left_reg65: int = par(
        120,
        unit="months",
        check=NONNEG,
        doc="service left to the statutory retirement month needed for a training rotation from reg65_from",
        source="Regulation 65-QĐ/TW (2022) art. 5: at least 10 years of service left",
    )
    min_months_left_other: int = par(
        60,
        unit="months",
        doc="service left needed for non-local and term-limit moves",
        source=f"{REG_98} art. 5: >= 5 years",
    )
    higher_return_probability: float = par(
        0.1,
        unit="probability",
        check=PROBABILITY,
        doc="a rotated cadre returns to a post one rank higher",
        source=f"estimate; {REG_98}: a higher post only exceptionally",
    )
    experience_bonus: float = par(
        0.3,
        unit="sd of latent competence",
        doc="bonus for rotation experience in later selection",
        source="estimate",
    )
    key_post_experience_bonus: float = par(
        0.3,
        unit="sd of latent competence",
        doc="further bonus for rotation experience when the post filled is a key post (added to experience_bonus): "
        "the plan rotates pool members to prepare them for key posts",
        source="estimate: as large again as experience_bonus; aim from the 2018-2020 rotation plan (seed article: "
        "rotation to train pool members and create a long-term source of cadres)",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.rotation")
        if not 1 <= self.wave_month <= 12:
            raise ConfigError(f"policy.rotation.wave_month = {self.wave_month} must be 1..12")
        if self.length_months < 1:
            raise ConfigError("policy.rotation.length_months must be >= 1")


@dataclass
class NonLocalSpec:
    """The non-local rule for the district Party secretary, PC chair and listed heads."""

    strictness: str = par(
        "preference",
        choices=rotation_rules.STRICTNESS,
        doc="off, a preference for non-local candidates, or required",
        source="Regulation 98-QĐ/TW (2017); Regulation 65-QĐ/TW (2022) art. 4",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.non_local")


@dataclass
class TermLimitSpec:
    """At most two consecutive terms in one head post, then rotate or move."""

    enabled: bool = par(True, source="Regulation 98-QĐ/TW (2017); Regulation 65-QĐ/TW (2022)")
    max_consecutive_terms: int = par(2, unit="terms", source="Regulation 98-QĐ/TW (2017); Regulation 65-QĐ/TW (2022)")

    def __post_init__(self) -> None:
        if self.max_consecutive_terms < 1:
            raise ConfigError("policy.term_limit.max_consecutive_terms must be >= 1")


@dataclass
class CongressSpec:
    """Party congresses (Directive 35-CT/TW, 30 May 2019; the 2025 round Directive 45-CT/TW)."""

    district_months: list[str] = par(
        ["2020-06", "2025-06"],
        unit="months (YYYY-MM)",
        check=MONTH,
        doc="the district congresses known; later ones follow every period_years",
        source=f"{DIR_35}: district congresses mid-2020 (reference month Jun 2020); {DIR_45}: Jun 2025",
    )
    province_months: list[str] = par(
        ["2020-10", "2025-10"],
        unit="months (YYYY-MM)",
        check=MONTH,
        doc="the provincial congresses known; later ones follow every period_years",
        source=f"Thái Bình's 20th provincial congress, 15 Oct 2020 ({DIR_35}: Sep-Oct 2020); {DIR_45}",
    )
    period_years: int = par(
        5,
        unit="years",
        check=NONNEG,
        doc="years between congresses after the last month listed (0: only the months listed); "
        "the pool is rebuilt on the same cycle",
        source="Party Charter (2011) art. 15: district and provincial congresses every five years",
    )
    previous_committee_size: int = par(
        54,
        unit="members",
        doc="provincial Party committee before the first congress",
        source="Thái Bình 2015-2020 (baochinhphu.vn); 51 were elected in 2020 (thoidai.com.vn)",
    )
    shrink: float = par(
        0.05,
        unit="share",
        check=PROBABILITY,
        doc="each committee is this much smaller",
        source=f"{DIR_35}: about 5 % smaller",
    )
    first_time_min_months: int = par(
        60, unit="months", doc="working age left needed by a first-time member", source=f"{DIR_35}: a full term"
    )
    reelected_min_months: int = par(
        30,
        unit="months",
        doc="working age left needed by a re-elected member",
        source=f"{DIR_35}: at least half a term",
    )
    age_rule_basis: str = par(
        "labour_code_2012",
        choices=retirement_rules.RULES,
        doc="retirement ages the age rule is computed with",
        source=f"{DIR_35} used the ages in force in 2019 (60/55)",
    )
    age_rule_basis_2025: str = par(
        "decree_135",
        choices=retirement_rules.RULES,
        doc="the same for the 2025 round (and, an assumption, for the rounds after it)",
        source=f"{DIR_45}: the current ages",
    )
    reelected_min_months_2025: int = par(
        48,
        unit="months",
        doc="the same for the 2025 round (and, an assumption, for the rounds after it)",
        source=f"{DIR_45}: re-elected members need 48 months",
    )
    women_target: float = par(
        0.15, unit="share of the committee", check=PROBABILITY, source=f"{DIR_35}: women >= 15 % (medium confidence)"
    )
    under40_target: float = par(
        0.10, unit="share of the committee", check=PROBABILITY, source=f"{DIR_35}: under 40 >= 10 %"
    )
    previous_mean_age: float = par(
        50.05,
        unit="years (age at the previous congress)",
        doc="mean age the incumbent committee at the start is drawn to, at the congress that elected it "
        "(the last provincial congress before the start: 2015-10 for a start in 2018, one period before "
        "the first of province_months; the month is an estimate)",
        source="provincial committees elected in 2015, first 21 provinces: mean age 50.05 "
        "(Women's Union report, hoilhpn.org.vn; medium confidence)",
    )
    previous_women_share: float = par(
        0.13,
        unit="share of the committee",
        check=PROBABILITY,
        doc="women's share of the incumbent committee at the start",
        source="provincial committees elected in 2015, first 21 provinces: 146 women of 1,123 "
        "(Women's Union report, hoilhpn.org.vn; medium confidence)",
    )
    incumbents_first: bool = par(
        True,
        doc="at a congress, members who meet the re-election age rule and still hold a post of the committee's "
        "ranks are re-elected before the other seats are filled (with the top leaders); false: they compete "
        "on score with the newcomers",
        source="estimate: practice (the personnel plan gives the committee's seats by post); it brings the share "
        "new near the 2015 outcome, 352 first-timers of 1,123 members (31 %, first 21 provinces, hoilhpn.org.vn)",
    )
    standing_size: int = par(
        15,
        unit="members",
        doc="the standing committee the provincial committee elects from its members at each congress "
        "(and the incumbent one at the start)",
        source="2015 provincial congresses, first 21 provinces: 314 standing-committee members, about 15 "
        "each (Women's Union report, hoilhpn.org.vn; medium confidence)",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.congress")
        if self.previous_committee_size < 1:
            raise ConfigError("policy.congress.previous_committee_size must be >= 1")
        if not 0 < self.previous_mean_age < 100:
            raise ConfigError(f"policy.congress.previous_mean_age = {self.previous_mean_age} must be an age in years (0..100)")
        if self.standing_size < 1:
            raise ConfigError("policy.congress.standing_size must be >= 1")


@dataclass
class ElectionSpec:
    """People's Council elections, whose term People's Council and Committee leaders serve."""

    months: list[str] = par(
        ["2021-05", "2026-03"],
        unit="months (YYYY-MM)",
        check=MONTH,
        doc="the elections known; later ones follow every period_years",
        source="National Assembly Resolution 133/2020/QH14: election day 23 May 2021 (terms 2021-2026); "
        "the 2021-2026 terms were shortened and the next election held on 15 Mar 2026 "
        "(langnhindongdoi.com; thaison.tuyenquang.gov.vn)",
    )
    period_years: int = par(
        5,
        unit="years",
        check=NONNEG,
        doc="years between elections after the last month listed (0: only the months listed)",
        source="Law on the Organisation of Local Government (2015): the People's Council's term is five years",
    )
    age_rule_basis: str = par(
        "labour_code_2012",
        choices=retirement_rules.RULES,
        doc="retirement ages the first election's age rule is computed with (later elections: the ages in "
        "force, policy.retirement_rule)",
        source="Guidance 26-HD/BTCTW (18 Oct 2019) on the 2020-2025 personnel work used the ages in force in "
        "2019 (60/55) (luatvietnam.vn)",
    )
    reelected_min_months: int = par(
        30,
        unit="months",
        check=NONNEG,
        doc="working age left at the first election month that a People's Council or Committee leader needs "
        "to stand again; those short of it are not re-elected (first-timers need a full term: the "
        "vacancy process's policy.appointment.min_months_left)",
        source="Guidance 26-HD/BTCTW (18 Oct 2019): re-election to government posts at least 30 months, "
        "reference month May 2021 (luatvietnam.vn)",
    )
    reelected_min_months_later: int = par(
        48,
        unit="months",
        check=NONNEG,
        doc="the same for the later elections",
        source=f"{DIR_45}: those re-elected to a Party committee (48 months left) may be re-elected to "
        "government leadership posts (laodongthudo.vn); measured here at the election month (approximation)",
    )

    fill_at_election: bool = par(
        True,
        doc="the leader posts left vacant at an election are filled in the election month (by the vacancy rules), "
        "not at the monthly fill rate",
        source="Law on the Organisation of Local Government (2015): the new People's Council elects its chair, "
        "vice-chairs and the People's Committee at its first session",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.elections")


@dataclass
class PolicyConfig:
    """The cadre policy: each section is one part of the law or of its practice."""

    retirement_rule: str = par(
        "decree_135",
        choices=retirement_rules.RULES,
        doc="statutory retirement ages: decree_135, the 2021-2035 roadmap; labour_code_2012, 60 (men) / 55 (women)",
        source="Labour Code 2019 art. 169 and Decree 135/2020 art. 4 (decree_135); Labour Code 2012 (labour_code_2012)",
    )
    senior_extension: SeniorExtensionSpec = section(SeniorExtensionSpec)
    exits: ExitSpec = section(ExitSpec)
    appointment: AppointmentSpec = section(AppointmentSpec)
    selection: SelectionSpec = section(SelectionSpec)
    vacancy: VacancySpec = section(VacancySpec)
    recruitment: RecruitmentSpec = section(RecruitmentSpec)
    pool: PoolSpec = section(PoolSpec)
    rotation: RotationSpec = section(RotationSpec)
    plan: PlanSpec = section(PlanSpec)
    rebalance: RebalanceSpec = section(RebalanceSpec)
    central: CentralSpec = section(CentralSpec)
    non_local: NonLocalSpec = section(NonLocalSpec)
    term_limit: TermLimitSpec = section(TermLimitSpec)
    congress: CongressSpec = section(CongressSpec)
    elections: ElectionSpec = section(ElectionSpec)
    transition: TransitionSpec = section(TransitionSpec)
    payroll: PayrollSpec = section(PayrollSpec)
    wage: WageSpec = section(WageSpec)

    def __post_init__(self) -> None:
        check_declared(self, "policy")


__all__ = [
    "AppointmentSpec",
    "CongressSpec",
    "ElectionSpec",
    "ExitSpec",
    "NonLocalSpec",
    "PolicyConfig",
    "PoolSpec",
    "RecruitmentSpec",
    "RotationSpec",
    "SelectionSpec",
    "SeniorExtensionSpec",
    "TermLimitSpec",
    "VacancySpec",
]
