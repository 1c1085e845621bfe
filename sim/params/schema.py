"""Typed configuration: the schema of every parameter.

The dataclasses here are registered in Hydra's ConfigStore (see :func:`register`), so a
composed config is checked against them at composition time: an unknown key or a wrong
type fails before any simulation starts. Values and their sources live in the YAML files
under ``configs/``; ranges are checked in ``__post_init__``. The model only ever sees
these dataclasses, never a DictConfig.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from typing import Any

from sim.core.calendar import parse_month
from sim.core.errors import ConfigError
from sim.core.vocabulary import N_RANKS, SECTORS
from sim.params.checks import check_config

SCENARIO_NAMES = [
    "baseline",
    "concurrent_heads",
    "merge_party_state",
    "mass_mobilisation_front",
    "enterprise_bloc",
    "merge_departments",
    "merge_offices",
    "all_pilots",
    "thai_binh_2019",
    "reform_2025",
]
LATEST_END = "2035-12"


def _check_prob(where: str, value: float) -> None:
    if not 0.0 <= float(value) <= 1.0:
        raise ConfigError(f"{where} = {value} is not a probability in [0, 1]")


def _check_nonneg(where: str, value: float) -> None:
    if value < 0:
        raise ConfigError(f"{where} = {value} must be >= 0")


def _check_choice(where: str, value: str, valid: tuple[str, ...] | list[str]) -> None:
    if value not in valid:
        raise ConfigError(f"{where} = {value!r} is not valid; choose one of: {', '.join(valid)}")


def _check_rank_list(where: str, values: list, n: int = N_RANKS) -> None:
    if len(values) != n:
        raise ConfigError(f"{where} needs {n} values (one per rank 0..{n - 1}), got {len(values)}")


# --------------------------------------------------------------------------- organisation
@dataclass
class UnitSpec:
    """A unit template: instantiated once at the province, or once per district."""

    key: str = "???"  # unique within its level, e.g. "home_affairs"
    name: str = "???"  # English name
    sector: str = "state"  # party | state | front | assembly
    function: str = "???"  # function tag used to pair units for mergers
    head_rank: int = 4  # rank of the head post (see README: the rank ladder)
    deputy_rank: int = 3  # rank of deputy posts
    deputies: int = 2  # deputy quota (persons)
    divisions: int = 0  # internal divisions, each with a head (rank 2) and deputies (rank 1)
    division_deputies: int = 1  # deputies per division
    specialists: int = 0  # specialist posts (rank 0)
    head_key: bool = True  # the head post is a key post (succession planning)
    head_non_local: bool = False  # non-local rule applies to the head (Reg. 98 / 65)
    psc_remit: bool = True  # leaders managed by the provincial Standing Committee

    def __post_init__(self) -> None:
        where = f"unit '{self.key}'"
        _check_choice(f"{where}.sector", self.sector, SECTORS)
        if not 0 <= self.deputy_rank < self.head_rank < N_RANKS:
            raise ConfigError(
                f"{where}: need 0 <= deputy_rank < head_rank < {N_RANKS}, "
                f"got deputy_rank={self.deputy_rank}, head_rank={self.head_rank}"
            )
        for name in ("deputies", "divisions", "division_deputies", "specialists"):
            _check_nonneg(f"{where}.{name}", getattr(self, name))
        if self.divisions and self.deputy_rank <= 2:
            raise ConfigError(f"{where}: a unit with divisions needs deputy_rank >= 3")


@dataclass
class DistrictSpec:
    code: str = "???"  # short code used in unit ids, e.g. "QP"
    name: str = "???"
    kind: str = "district"  # district | city


@dataclass
class PopulationSpec:
    """Parameters of the synthetic starting roster (all estimates unless stated)."""

    age_mean_by_rank: list[float] = field(default_factory=lambda: [40, 44, 47, 50, 52, 53, 55])
    age_sd_by_rank: list[float] = field(default_factory=lambda: [12, 7, 6, 5, 4, 4, 3])
    min_age: int = 23  # years; graduates enter around 22-23
    women_share_by_rank: list[float] = field(
        default_factory=lambda: [0.45, 0.30, 0.25, 0.21, 0.15, 0.13, 0.10]
    )
    max_months_in_rank: int = 120
    local_share: float = 0.8  # district cadres whose home is their district
    non_local_share_2018: float = 0.5  # non-local-rule posts held by non-locals in 2018
    competence_rank_shift: float = 0.25  # latent competence mean rises per rank
    vacancy_rate_leaders: float = 0.05  # share of leader posts vacant at the start
    vacancy_rate_staff: float = 0.04  # share of other posts vacant at the start

    def __post_init__(self) -> None:
        for name in ("age_mean_by_rank", "age_sd_by_rank", "women_share_by_rank"):
            _check_rank_list(f"org.population.{name}", getattr(self, name))
        for i, v in enumerate(self.women_share_by_rank):
            _check_prob(f"org.population.women_share_by_rank[{i}]", v)
        for name in ("local_share", "non_local_share_2018", "vacancy_rate_leaders", "vacancy_rate_staff"):
            _check_prob(f"org.population.{name}", getattr(self, name))


@dataclass
class OrgConfig:
    name: str = "???"
    province: str = "???"
    districts: list[DistrictSpec] = field(default_factory=list)
    province_units: list[UnitSpec] = field(default_factory=list)
    district_units: list[UnitSpec] = field(default_factory=list)
    population: PopulationSpec = field(default_factory=PopulationSpec)

    def __post_init__(self) -> None:
        codes = [d.code for d in self.districts]
        dup = sorted({c for c in codes if codes.count(c) > 1})
        if dup:
            raise ConfigError(f"org.districts: duplicate district code(s) {', '.join(dup)}")
        for level in ("province_units", "district_units"):
            keys = [u.key for u in getattr(self, level)]
            dup = sorted({k for k in keys if keys.count(k) > 1})
            if dup:
                raise ConfigError(f"org.{level}: duplicate unit key(s) {', '.join(dup)}")


# --------------------------------------------------------------------------- policy
@dataclass
class ExitSpec:
    """Other exits: annual probability by age band, times a multiplier by rank."""

    band_lower_ages: list[int] = field(default_factory=lambda: [18, 30, 40, 50])
    annual_rates: list[float] = field(default_factory=lambda: [0.015, 0.008, 0.005, 0.004])
    rank_multipliers: list[float] = field(default_factory=lambda: [1.0, 0.8, 0.7, 0.6, 0.5, 0.5, 0.5])

    def __post_init__(self) -> None:
        if len(self.band_lower_ages) != len(self.annual_rates):
            raise ConfigError("policy.exits: band_lower_ages and annual_rates differ in length")
        if list(self.band_lower_ages) != sorted(self.band_lower_ages):
            raise ConfigError("policy.exits.band_lower_ages must be increasing")
        for i, r in enumerate(self.annual_rates):
            if not 0.0 <= r < 1.0:
                raise ConfigError(f"policy.exits.annual_rates[{i}] = {r} must be in [0, 1)")
        _check_rank_list("policy.exits.rank_multipliers", self.rank_multipliers)
        for i, m in enumerate(self.rank_multipliers):
            _check_nonneg(f"policy.exits.rank_multipliers[{i}]", m)


@dataclass
class AppointmentSpec:
    min_months_left: int = 60  # Reg. 105-QĐ/TW: a full term of working age at promotion
    min_months_in_post: int = 24  # 2025 rule for public employees (default; medium confidence)
    term_months: int = 60  # Reg. 105-QĐ/TW: 5-year term

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_nonneg(f"policy.appointment.{f.name}", getattr(self, f.name))
        if self.term_months == 0:
            raise ConfigError("policy.appointment.term_months must be > 0")


@dataclass
class SelectionSpec:
    rule: str = "merit"  # merit | seniority | random
    noise_sd: float = 0.5  # sd of the noise on observed competence (estimate)

    def __post_init__(self) -> None:
        _check_choice("policy.selection.rule", self.rule, ("merit", "seniority", "random"))
        _check_nonneg("policy.selection.noise_sd", self.noise_sd)


@dataclass
class VacancySpec:
    fill_probability_leader: float = 0.4  # per month a vacant head/deputy post is filled (estimate)
    fill_probability_division: float = 0.5  # per month, division head/deputy posts (estimate)
    fill_probability_entry: float = 0.2  # per month, a specialist post is recruited to (estimate)

    def __post_init__(self) -> None:
        for f in fields(self):
            _check_prob(f"policy.vacancy.{f.name}", getattr(self, f.name))


@dataclass
class RecruitmentSpec:
    age_min: int = 23  # years at entry (estimate)
    age_max: int = 32  # years at entry (estimate)
    women_share: float = 0.48  # women in public-sector employment 2016 (OECD/ADB), BRIEF §8

    def __post_init__(self) -> None:
        _check_prob("policy.recruitment.women_share", self.women_share)
        if not 18 <= self.age_min <= self.age_max <= 50:
            raise ConfigError(
                f"policy.recruitment: need 18 <= age_min <= age_max <= 50, got "
                f"{self.age_min}..{self.age_max}"
            )


@dataclass
class SeniorExtensionSpec:
    enabled: bool = False  # Decree 83/2022: listed senior posts may serve to 65 (M) / 60 (F)
    min_rank: int = 6

    def __post_init__(self) -> None:
        if not 0 <= self.min_rank < N_RANKS:
            raise ConfigError(f"policy.senior_extension.min_rank must be 0..{N_RANKS - 1}")


@dataclass
class PoolSpec:
    """Succession pool (quy hoạch), Regulation 50-QĐ/TW (2021)."""

    per_post_max: int = 3  # Reg. 50: at most 3 candidates per post
    posts_per_person_max: int = 3  # Reg. 50: one person in the pool for at most 3 posts
    review_month: int = 12  # calendar month of the yearly review (estimate)
    rebuild_months: list[str] = field(default_factory=lambda: ["2020-10", "2025-10"])  # new terms
    women_target: float = 0.25  # Reg. 50: women >= 25%
    young_target: float = 0.15  # Reg. 50: under 40 >= 15% (province/district)
    young_age: int = 40
    target_mode: str = "preference"  # none | preference | quota
    choice: str = "mixed"  # merit | seniority | random | mixed
    noise_sd: float = 0.5  # estimate

    def __post_init__(self) -> None:
        _check_prob("policy.pool.women_target", self.women_target)
        _check_prob("policy.pool.young_target", self.young_target)
        _check_choice("policy.pool.target_mode", self.target_mode, ("none", "preference", "quota"))
        _check_choice("policy.pool.choice", self.choice, ("merit", "seniority", "random", "mixed"))
        if not 1 <= self.review_month <= 12:
            raise ConfigError(f"policy.pool.review_month = {self.review_month} must be 1..12")
        if self.per_post_max < 1 or self.posts_per_person_max < 1:
            raise ConfigError("policy.pool.per_post_max and posts_per_person_max must be >= 1")


@dataclass
class RotationSpec:
    """Rotation (luân chuyển), Regulation 98-QĐ/TW (2017)."""

    per_year: int = 12  # rotations started per yearly wave (estimate; no published count)
    wave_month: int = 10  # calendar month of the wave (the 2018 plan: Q4 2018 and 2019)
    length_months: int = 36  # Reg. 98: at least 3 years
    max_age_men: int = 50  # Reg. 98 art. 5: >= 10 years of service left
    max_age_women: int = 45
    min_months_left_other: int = 60  # non-local and term-limit moves: >= 5 years left
    higher_return_probability: float = 0.1  # return to a higher post (estimate)
    experience_bonus: float = 0.3  # competence bonus in later selection (estimate)

    def __post_init__(self) -> None:
        _check_nonneg("policy.rotation.per_year", self.per_year)
        _check_prob("policy.rotation.higher_return_probability", self.higher_return_probability)
        if not 1 <= self.wave_month <= 12:
            raise ConfigError(f"policy.rotation.wave_month = {self.wave_month} must be 1..12")
        if self.length_months < 1:
            raise ConfigError("policy.rotation.length_months must be >= 1")


@dataclass
class NonLocalSpec:
    strictness: str = "preference"  # off | preference | required (Reg. 98 / 65)

    def __post_init__(self) -> None:
        _check_choice("policy.non_local.strictness", self.strictness, ("off", "preference", "required"))


@dataclass
class TermLimitSpec:
    enabled: bool = True
    max_consecutive_terms: int = 2  # Reg. 98 (2017), Reg. 65 (2022)

    def __post_init__(self) -> None:
        if self.max_consecutive_terms < 1:
            raise ConfigError("policy.term_limit.max_consecutive_terms must be >= 1")


@dataclass
class CongressSpec:
    """Party congresses (Directive 35-CT/TW, 30 May 2019)."""

    district_months: list[str] = field(default_factory=lambda: ["2020-06", "2025-06"])
    province_months: list[str] = field(default_factory=lambda: ["2020-10", "2025-10"])
    previous_committee_size: int = 54  # Thái Bình 2015-2020 (baochinhphu.vn)
    shrink: float = 0.05  # Directive 35: about 5% smaller
    first_time_min_months: int = 60  # Directive 35: a full term left
    reelected_min_months: int = 30  # Directive 35: at least half a term left
    age_rule_basis: str = "labour_code_2012"  # the directive used the 2019 ages (60/55)
    age_rule_basis_2025: str = "decree_135"  # Directive 45-CT/TW (2024) used the new ages
    reelected_min_months_2025: int = 48  # Directive 45-CT/TW: re-elected need 48 months
    women_target: float = 0.15  # medium confidence
    under40_target: float = 0.10  # Directive 35

    def __post_init__(self) -> None:
        _check_prob("policy.congress.shrink", self.shrink)
        _check_prob("policy.congress.women_target", self.women_target)
        _check_prob("policy.congress.under40_target", self.under40_target)
        for name in ("age_rule_basis", "age_rule_basis_2025"):
            _check_choice(f"policy.congress.{name}", getattr(self, name), ("decree_135", "labour_code_2012"))
        if self.previous_committee_size < 1:
            raise ConfigError("policy.congress.previous_committee_size must be >= 1")


@dataclass
class TransitionSpec:
    """What happens to leaders left above quota by a restructuring action (BRIEF §5)."""

    deadline_policy: bool = True  # cure surplus at the deadline (transfer, then early retirement)
    default_deadline_months: int = 24  # estimate; Thái Bình's office merger allowed ~19 months
    legal_deputies_province: int = 3  # Decree 107/2020: on average 3 deputies per department
    legal_deputies_district: int = 2  # Decree 108/2020: on average 2 per district division
    extra_deputies_per_extra_body: int = 1  # Conclusions 186/187 (2025): +1 for 2 bodies, +2 for 3
    takeup_decree_108: float = 0.3  # estimate: early-retirement take-up when eligible, Decree 108/113
    takeup_decree_178: float = 0.6  # estimate: Decree 178/2024 pays more, so more take it
    takeup_decay_years: float = 5.0  # estimate: take-up falls as exp(-years early / this)
    decree_178_from: str = "2025-01"  # Decree 178/2024 in force from 1 Jan 2025
    to_province_share: float = 0.3  # abolished level: share of reassignments sought at the province (estimate)
    reappoint_on_merge: bool = True  # leaders of a merged unit get new appointments: time in post restarts (modelling choice)

    def __post_init__(self) -> None:
        for name in ("takeup_decree_108", "takeup_decree_178", "to_province_share"):
            _check_prob(f"policy.transition.{name}", getattr(self, name))
        for name in ("default_deadline_months", "legal_deputies_province", "legal_deputies_district", "extra_deputies_per_extra_body"):
            _check_nonneg(f"policy.transition.{name}", getattr(self, name))
        if self.takeup_decay_years <= 0:
            raise ConfigError("policy.transition.takeup_decay_years must be > 0")
        try:
            parse_month(self.decree_178_from)
        except ValueError as err:
            raise ConfigError(f"policy.transition.decree_178_from: {err}") from None


@dataclass
class PayrollCut:
    start: str = "???"  # YYYY-MM
    end: str = "???"  # YYYY-MM: the cut is reached linearly by this month
    share: float = 0.05  # share of the staff (specialist) posts at the start to abolish
    source: str = ""

    def __post_init__(self) -> None:
        _check_prob("policy.payroll.cuts[].share", self.share)
        try:
            if parse_month(self.start) >= parse_month(self.end):
                raise ConfigError(f"policy.payroll cut {self.start}..{self.end}: start must be before end")
        except ValueError as err:
            raise ConfigError(f"policy.payroll.cuts: {err}") from None


@dataclass
class PayrollSpec:
    """Replacement policy: vacated staff posts are abolished until the cut is reached."""

    enabled: bool = True
    cuts: list[PayrollCut] = field(default_factory=list)


@dataclass
class WageSpec:
    """Monthly pay in units of the base salary (lương cơ sở)."""

    coefficient_by_rank: list[float] = field(default_factory=lambda: [3.66, 4.74, 5.08, 5.76, 6.44, 7.28, 7.64])
    allowance_by_rank: list[float] = field(default_factory=lambda: [0.0, 0.2, 0.3, 0.7, 0.9, 1.25, 1.3])
    base_salary_vnd: list[float] = field(default_factory=lambda: [1.39e6, 1.49e6, 1.80e6, 2.34e6])
    base_salary_from: list[str] = field(default_factory=lambda: ["2018-07", "2019-07", "2023-07", "2024-07"])

    def __post_init__(self) -> None:
        _check_rank_list("policy.wage.coefficient_by_rank", self.coefficient_by_rank)
        _check_rank_list("policy.wage.allowance_by_rank", self.allowance_by_rank)
        if len(self.base_salary_vnd) != len(self.base_salary_from) or not self.base_salary_vnd:
            raise ConfigError("policy.wage: base_salary_vnd and base_salary_from must be non-empty and of equal length")


@dataclass
class PolicyConfig:
    retirement_rule: str = "decree_135"  # decree_135 | labour_code_2012
    senior_extension: SeniorExtensionSpec = field(default_factory=SeniorExtensionSpec)
    exits: ExitSpec = field(default_factory=ExitSpec)
    appointment: AppointmentSpec = field(default_factory=AppointmentSpec)
    selection: SelectionSpec = field(default_factory=SelectionSpec)
    vacancy: VacancySpec = field(default_factory=VacancySpec)
    recruitment: RecruitmentSpec = field(default_factory=RecruitmentSpec)
    pool: PoolSpec = field(default_factory=PoolSpec)
    rotation: RotationSpec = field(default_factory=RotationSpec)
    non_local: NonLocalSpec = field(default_factory=NonLocalSpec)
    term_limit: TermLimitSpec = field(default_factory=TermLimitSpec)
    congress: CongressSpec = field(default_factory=CongressSpec)
    transition: TransitionSpec = field(default_factory=TransitionSpec)
    payroll: PayrollSpec = field(default_factory=PayrollSpec)
    wage: WageSpec = field(default_factory=WageSpec)

    def __post_init__(self) -> None:
        _check_choice("policy.retirement_rule", self.retirement_rule, ("decree_135", "labour_code_2012"))


# --------------------------------------------------------------------------- scenario
@dataclass
class ActionSpec:
    """One dated restructuring action (see sim/restructuring.py).

    Units are selected in each chosen area by key (``units``) and/or by function tag
    (``functions``); a ``merge`` joins all selected units of an area into one, a
    ``concurrent_head`` gives the first selected unit's head the second unit's head post.
    """

    kind: str = "???"  # concurrent_head | merge | split | abolish_level
    month: str = "???"  # YYYY-MM, effective month
    level: str = "province"  # province | district | both
    units: list[str] = field(default_factory=list)  # unit keys at that level
    functions: list[str] = field(default_factory=list)  # function tags at that level
    districts: Any = "all"  # "all", a number of districts chosen with the seed, or a list of codes
    new_key: str | None = None  # key of the merged unit (default: the keys joined by "+")
    new_name: str | None = None
    deputies: int | None = None  # deputy quota of the merged unit (default: legal + extra per body)
    deadline: str | None = None  # YYYY-MM by which surplus leaders must be cured (default: policy)
    note: str = ""

    def __post_init__(self) -> None:
        _check_choice("action.kind", self.kind, ACTION_KINDS)
        _check_choice("action.level", self.level, ("province", "district", "both"))
        d = self.districts
        if not (d == "all" or isinstance(d, int) or (isinstance(d, list) and all(isinstance(x, str) for x in d))):
            raise ConfigError(f"action.districts = {d!r} must be 'all', a number, or a list of district codes")
        if isinstance(d, int) and d < 1:
            raise ConfigError(f"action.districts = {d} must be >= 1")
        if self.deputies is not None and self.deputies < 0:
            raise ConfigError(f"action.deputies = {self.deputies} must be >= 0")


ACTION_KINDS = ("concurrent_head", "merge", "split", "abolish_level")


@dataclass
class ScenarioConfig:
    name: str = "baseline"
    description: str = ""
    source: str = ""
    actions: list[ActionSpec] = field(default_factory=list)


# --------------------------------------------------------------------------- experiments
@dataclass
class BenchmarkSpec:
    replications: int = 20  # timed replications of the default province
    boltzmann_steps: int = 20  # steps of Mesa's Boltzmann wealth example at the same agent count
    compare_replications: int = 0  # >0: also time a comparison of all scenarios x this many

    def __post_init__(self) -> None:
        if self.replications < 1 or self.boltzmann_steps < 1:
            raise ConfigError("benchmark.replications and benchmark.boltzmann_steps must be >= 1")
        _check_nonneg("benchmark.compare_replications", self.compare_replications)


@dataclass
class ParamRange:
    """One parameter of a sensitivity analysis: a dotted config key and its range."""

    name: str = "???"  # e.g. "policy.vacancy.fill_probability_leader"
    low: float = 0.0
    high: float = 1.0
    integer: bool = False
    source: str = ""  # why this range

    def __post_init__(self) -> None:
        if not self.low < self.high:
            raise ConfigError(f"sensitivity parameter {self.name}: low ({self.low}) must be < high ({self.high})")


@dataclass
class SensitivitySpec:
    method: str = "morris"  # morris | sobol (SALib)
    parameters: list[ParamRange] = field(default_factory=list)
    outcomes: list[str] = field(default_factory=lambda: ["headcount_end", "leaders_end"])
    samples: int = 4  # Morris trajectories, or Sobol base sample N
    levels: int = 4  # Morris grid levels
    replications: int = 2  # replications averaged at each sample point

    def __post_init__(self) -> None:
        _check_choice("sensitivity.method", self.method, ("morris", "sobol"))
        if self.samples < 1 or self.replications < 1:
            raise ConfigError("sensitivity.samples and sensitivity.replications must be >= 1")


@dataclass
class SweepSpec:
    dir: str | None = None  # a multirun folder to gather (experiments.sweep)
    outcomes: list[str] = field(default_factory=lambda: ["headcount_end", "leaders_end"])


# --------------------------------------------------------------------------- top level
@dataclass
class SimConfig:
    seed: int = 0
    start: str = "2018-09"
    end: str = "2025-12"
    roster: str | None = None  # path to a roster CSV; null = synthetic population
    org: OrgConfig = field(default_factory=OrgConfig)
    scenario: ScenarioConfig = field(default_factory=ScenarioConfig)
    policy: PolicyConfig = field(default_factory=PolicyConfig)
    # used by experiments.compare
    scenarios: list[str] = field(default_factory=lambda: list(SCENARIO_NAMES))
    replications: int = 100  # replicates per scenario in experiments.compare; 10 scenarios x 100 take ~1-2 min on 2 cores
    workers: int = 0  # processes for comparisons; 0 = all local cores
    benchmark: BenchmarkSpec = field(default_factory=BenchmarkSpec)
    sensitivity: SensitivitySpec = field(default_factory=SensitivitySpec)
    sweep: SweepSpec = field(default_factory=SweepSpec)

    def __post_init__(self) -> None:
        if self.seed < 0:
            raise ConfigError(f"seed = {self.seed} must be >= 0")
        try:
            s, e = parse_month(self.start), parse_month(self.end)
        except ValueError as err:
            raise ConfigError(f"start/end: {err}") from None
        if s >= e:
            raise ConfigError(f"start ({self.start}) must be before end ({self.end})")
        if e > parse_month(LATEST_END):
            raise ConfigError(f"end ({self.end}) is later than {LATEST_END}, the model's limit")
        if s < parse_month("2000-01"):
            raise ConfigError(f"start ({self.start}) is before 2000-01")
        bad = [n for n in self.scenarios if n not in SCENARIO_NAMES]
        if bad:
            raise ConfigError(
                f"scenarios: unknown name(s) {', '.join(bad)}; valid: {', '.join(SCENARIO_NAMES)}"
            )
        if self.replications < 1:
            raise ConfigError(f"replications = {self.replications} must be >= 1")
        _check_nonneg("workers", self.workers)

        check_config(self)

    @property
    def start_index(self) -> int:
        return parse_month(self.start)

    @property
    def end_index(self) -> int:
        return parse_month(self.end)


def register() -> None:
    """Register the schema with Hydra's ConfigStore (idempotent)."""
    from hydra.core.config_store import ConfigStore

    cs = ConfigStore.instance()
    cs.store(name="sim_schema", node=SimConfig)
