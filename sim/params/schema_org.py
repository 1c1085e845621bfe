"""Schema of the organisation (``org``): districts, unit templates and the synthetic
starting population. The organisation file (``configs/org/*.yaml``) is data: it lists
the units and districts, with its sources and estimates labelled there."""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.errors import ConfigError
from sim.core.vocabulary import N_RANKS, SECTORS
from sim.params.checks import repeated
from sim.params.declare import NONNEG, PROBABILITY, check_declared, par, section

# the generator's age range (sim/world/roster.py): no one younger than 16 (the roster
# loader's floor), and ages up to the statutory ages of the Labour Code 2012 (art. 187:
# 60 for men, 55 for women), the ages in force at the default start (2018)
MIN_ROSTER_AGE = 16
GENERATED_CAREER_END = {"M": 60, "F": 55}
# unit rules (a unit's leaders' sex and age caps): the ages a cap may take
MAX_CAP_AGE = GENERATED_CAREER_END["M"]
_DECISION_289 = (
    "Decision 289-QĐ/TW (8 Feb 2010), the Youth Union cadre regulation: provincial secretary <= 35 at first "
    "appointment and <= 40 in office, deputies 33 / 38 (tuoitre.vn, 28 Feb 2010; lawnet.vn); district secretary "
    "30 / 35 (lawnet.vn)"
)
LEADER_SEXES = ("M", "F")
_ESTIMATE_AGES = (
    "estimate: no published age distribution by rank; anchors: provincial committees elected in 2015, "
    "mean age 50.05 (hoilhpn.org.vn); provincial Party secretaries in 2020, mean age 52.3 (thanhnien.vn)"
)


@dataclass
class UnitSpec:
    """A unit template: instantiated once at the province, or once in every district."""

    key: str = par("???", doc="unique within its level, e.g. home_affairs")
    name: str = par("???", doc="English name")
    sector: str = par("state", choices=SECTORS, doc="the payroll the unit belongs to")
    function: str = par("???", doc="function tag that pairs units for mergers, e.g. organisation, inspection, office")
    head_rank: int = par(4, unit="rank", doc="rank of the head post (README: the rank ladder)")
    deputy_rank: int = par(3, unit="rank", doc="rank of the deputy posts")
    deputies: int = par(
        2,
        unit="persons",
        check=NONNEG,
        doc="deputy quota",
        source="at most 3 per department (Decree 107/2020), 2 per district division (Decree 108/2020)",
    )
    divisions: int = par(
        0, unit="divisions", check=NONNEG, doc="internal divisions, each with a head (rank 2) and deputies (rank 1)"
    )
    division_deputies: int = par(1, unit="persons", check=NONNEG, doc="deputies per division")
    specialists: int = par(0, unit="posts", check=NONNEG, doc="specialist posts (rank 0)")
    head_key: bool = par(True, doc="the head post is a key post (succession planning)")
    head_non_local: bool = par(
        False,
        doc="the non-local rule applies to the head",
        source="Regulation 98-QĐ/TW (2017); Regulation 65-QĐ/TW (2022) art. 4",
    )
    head_term_limited: bool = par(
        False,
        doc="the head may hold the post for at most two consecutive terms (policy.term_limit)",
        source="Regulation 65-QĐ/TW (28 Apr 2022) art. 4, as Regulation 98-QĐ/TW (2017) before it: the Party "
        "secretary, the People's Committee chair and the heads of police, inspection, court, procuracy, finance, "
        "tax and customs (the last five are outside this model, except inspection and finance)",
    )
    term_cycle: str = par(
        "appointment",
        choices=("appointment", "congress", "election"),
        doc="when its heads' and deputies' terms end: appointment, 5 years after each appointment; congress, at the "
        "next Party congress of its level (policy.congress); election, at the next People's Council election "
        "(policy.elections)",
        source="Regulation 105-QĐ/TW (2017): appointed posts, 5-year terms from the appointment; Party Charter (2011) "
        "art. 15: elected Party posts hold office for the congress's term; Law on the Organisation of Local "
        "Government (2015): People's Council and Committee leaders are elected for the Council's term",
    )
    psc_remit: bool = par(True, doc="the unit's leaders are managed by the provincial Standing Committee")
    # unit rules (issue 11 item 4): declared per unit in the org file, applied by the
    # synthetic roster, the roster check, appointments (sim/processes/vacancies.py) and the
    # age-out move (sim/processes/unit_rules.py)
    leader_sex: str | None = par(
        None,
        doc="M or F: the sex its head and deputies must have (null: no rule)",
        source="Women's Union: women only, by the organisation's nature (Women's Union charter; practice)",
    )
    head_max_age_first: int | None = par(
        None,
        unit="years (whole years of age)",
        doc="oldest age at which a head is first appointed (null: no cap)",
        source=_DECISION_289,
    )
    head_max_age: int | None = par(
        None,
        unit="years (whole years of age)",
        doc="oldest age in office for the head: in the month the head turns one year older, they leave the post "
        "(the age_out move; null: no cap)",
        source=_DECISION_289,
    )
    deputy_max_age_first: int | None = par(
        None, unit="years (whole years of age)", doc="as head_max_age_first, for the deputies", source=_DECISION_289
    )
    deputy_max_age: int | None = par(
        None, unit="years (whole years of age)", doc="as head_max_age, for the deputies", source=_DECISION_289
    )

    def __post_init__(self) -> None:
        where = f"unit '{self.key}'"
        check_declared(self, where)
        if self.leader_sex is not None and self.leader_sex not in LEADER_SEXES:
            raise ConfigError(f"{where}: leader_sex = {self.leader_sex!r} is not valid; choose M, F or null (no rule)")
        for role in ("head", "deputy"):
            first, office = getattr(self, f"{role}_max_age_first"), getattr(self, f"{role}_max_age")
            for name, cap in ((f"{role}_max_age_first", first), (f"{role}_max_age", office)):
                if cap is None:
                    continue
                if isinstance(cap, bool) or not isinstance(cap, int) or not MIN_ROSTER_AGE < cap < MAX_CAP_AGE:
                    raise ConfigError(
                        f"{where}: {name} = {cap!r} must be a whole number of years in {MIN_ROSTER_AGE + 1}.."
                        f"{MAX_CAP_AGE - 1} (older than the youngest cadre, younger than the statutory age), or null"
                    )
            if first is not None and office is not None and first > office:
                raise ConfigError(
                    f"{where}: {role}_max_age_first = {first} is above {role}_max_age = {office}: nobody could be "
                    "appointed at that age and stay in office"
                )
        if not 0 <= self.deputy_rank < self.head_rank < N_RANKS:
            raise ConfigError(
                f"{where}: need 0 <= deputy_rank < head_rank < {N_RANKS}, "
                f"got deputy_rank={self.deputy_rank}, head_rank={self.head_rank}"
            )
        if self.divisions and self.deputy_rank <= 2:
            raise ConfigError(f"{where}: a unit with divisions needs deputy_rank >= 3")


@dataclass
class DistrictSpec:
    """A district-level area of the province (a district or a provincial city)."""

    code: str = par("???", doc='short code used in unit ids, e.g. "QP"')
    name: str = par("???", doc="name of the district")
    kind: str = par("district", doc="district | city")


@dataclass
class PopulationSpec:
    """The synthetic starting roster (ignored when ``roster`` names a CSV)."""

    age_mean_by_rank: list[float] = par(
        [40, 44, 47, 50, 52, 53, 55], unit="years", per_rank=True, source=_ESTIMATE_AGES
    )
    age_sd_by_rank: list[float] = par(
        [12, 7, 6, 5, 4, 4, 3], unit="years", per_rank=True, check=NONNEG, source=_ESTIMATE_AGES
    )
    min_age: int = par(
        23, unit="years", doc="youngest age on the starting roster", source="estimate: graduates enter around 22-23"
    )
    women_share_by_rank: list[float] = par(
        [0.45, 0.30, 0.25, 0.21, 0.15, 0.13, 0.10],
        unit="share of cadres",
        per_rank=True,
        check=PROBABILITY,
        source="estimate (an organisation file sets its own, sourced there)",
    )
    max_months_in_rank: int = par(
        120,
        unit="months",
        check=NONNEG,
        doc="months already in rank (and in post) at the start are drawn up to this",
        source="estimate",
    )
    local_share: float = par(
        0.8, unit="share", check=PROBABILITY, doc="district cadres whose home is their district", source="estimate"
    )
    non_local_share_2018: float = par(
        0.5,
        unit="share",
        check=PROBABILITY,
        doc="holders of district posts under the non-local rule who are non-local at the start",
        source="estimate (34 of 63 provincial Party secretaries were not local in 2020, thanhnien.vn)",
    )
    competence_rank_shift: float = par(
        0.25,
        unit="sd of latent competence per rank",
        doc="the mean latent competence rises by this per rank",
        source="estimate: leaders were selected, so their mean is higher",
    )
    vacancy_rate_leaders: float = par(
        0.05, unit="share of leader posts", check=PROBABILITY, doc="vacant at the start", source="estimate"
    )
    vacancy_rate_staff: float = par(
        0.04, unit="share of other posts", check=PROBABILITY, doc="vacant at the start", source="estimate"
    )

    def __post_init__(self) -> None:
        check_declared(self, "org.population")
        where = "org.population"
        lo, women_end, men_end = MIN_ROSTER_AGE, GENERATED_CAREER_END["F"], GENERATED_CAREER_END["M"]
        if not lo <= self.min_age < women_end:
            raise ConfigError(
                f"{where}.min_age = {self.min_age} must be in {lo}..{women_end - 1}: the generator spreads women's "
                f"ages between min_age and {women_end} and men's up to {men_end} (the 2012 statutory ages), so "
                "no one can be past retirement at the start"
            )
        for r, mean in enumerate(self.age_mean_by_rank):
            if not self.min_age <= mean < men_end:
                raise ConfigError(
                    f"{where}.age_mean_by_rank[{r}] = {mean} must lie in [min_age, {men_end}) = "
                    f"[{self.min_age}, {men_end}): the ages of rank {r} are drawn around it within that range"
                )


CONCURRENT_POSTS = ("head", "deputy")  # the post of the holding unit whose holder also heads the other unit


@dataclass
class ConcurrentSpec:
    """A standing concurrent post (kiêm nhiệm) of the organisation: the holder of one post
    (the head, or the first deputy post, of ``unit``) also heads the unit ``heads``, from
    the start of the run. The headed unit has no head post of its own; whoever holds the
    holding post heads it (a successor too), for the whole run: the arrangement is the
    organisation's, not the person's (estimate: no rule says when it lapses)."""

    unit: str = par("???", doc="key of the unit whose post holds the other unit's head, e.g. party_standing")
    post: str = par("head", choices=CONCURRENT_POSTS, doc="head, or deputy (the unit's first deputy post)")
    heads: str = par("???", doc="key of the unit it also heads, e.g. council_leadership")
    level: str = par("province", choices=("province", "district"), doc="province: once; district: in every district")
    source: str = par("", doc="where the arrangement is documented")

    def __post_init__(self) -> None:
        check_declared(self, f"org.concurrent ({self.unit} -> {self.heads})")


@dataclass
class OrgConfig:
    """One province: its districts, the unit templates of each level, its starting population."""

    name: str = par("???", doc="the organisation file's name, e.g. thai_binh_2018")
    province: str = par("???", doc="the province's name")
    districts: list[DistrictSpec] = par([], doc="district-level areas, in order")
    province_units: list[UnitSpec] = par([], doc="units at the province")
    district_units: list[UnitSpec] = par([], doc="units in every district")
    population: PopulationSpec = section(PopulationSpec)
    concurrent: list[ConcurrentSpec] = par(
        [],
        doc="standing concurrent posts at the start: the holder of one unit's head (or first deputy) post also "
        "heads another unit of the same level (ConcurrentSpec)",
    )

    def __post_init__(self) -> None:
        dup = sorted(set(repeated(d.code for d in self.districts)))
        if dup:
            raise ConfigError(f"org.districts: duplicate district code(s) {', '.join(dup)}")
        for level in ("province_units", "district_units"):
            dup = sorted(set(repeated(u.key for u in getattr(self, level))))
            if dup:
                raise ConfigError(f"org.{level}: duplicate unit key(s) {', '.join(dup)}")
        self._check_unit_rules()
        self._check_concurrent()

    def _check_unit_rules(self) -> None:
        """An age cap the synthetic roster can respect: above the roster's youngest age."""
        lo = self.population.min_age
        for level in ("province_units", "district_units"):
            for u in getattr(self, level):
                for name in ("head_max_age_first", "head_max_age", "deputy_max_age_first", "deputy_max_age"):
                    cap = getattr(u, name)
                    if cap is not None and cap < lo:
                        raise ConfigError(
                            f"org.{level} unit '{u.key}': {name} = {cap} is below org.population.min_age = {lo}, "
                            "the youngest age on the starting roster"
                        )

    def _check_concurrent(self) -> None:
        """Each entry names units of its level; the held unit is held once, is not itself
        a holder, and differs from the holder; a deputy post exists."""
        held: dict[tuple[str, str], int] = {}
        for j, c in enumerate(self.concurrent):
            where = f"org.concurrent[{j}]"
            units = {u.key: u for u in getattr(self, f"{c.level}_units")}
            for name in ("unit", "heads"):
                key = getattr(c, name)
                if key not in units:
                    raise ConfigError(
                        f"{where}.{name} = {key!r} is not a {c.level} unit; valid: {', '.join(sorted(units))}"
                    )
            if c.unit == c.heads:
                raise ConfigError(f"{where}: unit and heads are both {c.unit!r}; a unit cannot head itself concurrently")
            if c.post == "deputy" and units[c.unit].deputies < 1:
                raise ConfigError(f"{where}: post = deputy, but unit {c.unit!r} has no deputy post (deputies = 0)")
            if (c.level, c.heads) in held:
                raise ConfigError(
                    f"{where}.heads = {c.heads!r}: that unit is already headed concurrently by org.concurrent"
                    f"[{held[(c.level, c.heads)]}]"
                )
            held[(c.level, c.heads)] = j
        for j, c in enumerate(self.concurrent):
            if (c.level, c.unit) in held:
                raise ConfigError(
                    f"org.concurrent[{j}].unit = {c.unit!r} is itself headed concurrently (org.concurrent"
                    f"[{held[(c.level, c.unit)]}]); chains of concurrent posts are not supported"
                )


__all__ = ["CONCURRENT_POSTS", "ConcurrentSpec", "DistrictSpec", "OrgConfig", "PopulationSpec", "UnitSpec"]
