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

    def __post_init__(self) -> None:
        where = f"unit '{self.key}'"
        check_declared(self, where)
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


@dataclass
class OrgConfig:
    """One province: its districts, the unit templates of each level, its starting population."""

    name: str = par("???", doc="the organisation file's name, e.g. thai_binh_2018")
    province: str = par("???", doc="the province's name")
    districts: list[DistrictSpec] = par([], doc="district-level areas, in order")
    province_units: list[UnitSpec] = par([], doc="units at the province")
    district_units: list[UnitSpec] = par([], doc="units in every district")
    population: PopulationSpec = section(PopulationSpec)

    def __post_init__(self) -> None:
        dup = sorted(set(repeated(d.code for d in self.districts)))
        if dup:
            raise ConfigError(f"org.districts: duplicate district code(s) {', '.join(dup)}")
        for level in ("province_units", "district_units"):
            dup = sorted(set(repeated(u.key for u in getattr(self, level))))
            if dup:
                raise ConfigError(f"org.{level}: duplicate unit key(s) {', '.join(dup)}")


__all__ = ["DistrictSpec", "OrgConfig", "PopulationSpec", "UnitSpec"]
