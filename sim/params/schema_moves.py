"""Schema of the moves that are neither promotions nor the yearly rotation wave: the
provincial Standing Committee's 2018-2020 rotation and transfer plan (``policy.plan``),
needs-based transfers between units (``policy.rebalance``) and moves to and from the
central level (``policy.central``). Each field declares its unit and source."""

from __future__ import annotations

from dataclasses import dataclass

from sim.core.errors import ConfigError
from sim.core.vocabulary import N_RANKS
from sim.params.declare import MONTH, NONNEG, PROBABILITY, check_declared, par

SEED_ARTICLE = "Thái Bình Standing Committee conference on Conclusion 34 and the 2018-2020 rotation plan (provincial news article, 5 Sep 2018)"
REG_65 = "Regulation 65-QĐ/TW (28 Apr 2022)"
REG_98 = "Regulation 98-QĐ/TW (2017)"
REG_105 = "Regulation 105-QĐ/TW (19 Dec 2017) on the decentralisation of cadre management"


@dataclass
class PlanSpec:
    """The provincial Standing Committee's rotation and transfer plan (luân chuyển,
    điều động) for the cadres it manages, carried out in Q4 2018 and 2019 to prepare the
    2020-2025 congresses and the 2021 elections."""

    months: list[str] = par(
        ["2018-10", "2018-12", "2019-03", "2019-06", "2019-09", "2019-12"],
        unit="months (YYYY-MM)",
        check=MONTH,
        doc="the months in which the plan's decisions take effect; the plan's numbers are spread evenly over them",
        source=f"{SEED_ARTICLE}: carried out in Q4 2018 and 2019; the months within that window are an estimate",
    )
    rotations: int = par(
        18,
        unit="cadres over the plan",
        check=NONNEG,
        doc="training rotations (luân chuyển): pool members within policy.rotation's age rule, to an equivalent post in another area",
        source="estimate: no published count for Thái Bình's 2018-2020 plan",
    )
    transfers: int = par(
        10,
        unit="cadres over the plan",
        check=NONNEG,
        doc="rule transfers (điều động): local holders of non-local-rule posts and holders in a second consecutive "
        "term of a term-limited post, to an equivalent post in another area",
        source=f"estimate of the number; the aims: {REG_98} (non-local heads, at most two consecutive terms)",
    )
    managed_ranks: list[int] = par(
        [3, 4],
        unit="ranks (0-6)",
        doc="ranks of the leader posts in the Standing Committee's remit (units with psc_remit): deputy directors and "
        "directors, district deputy and top leaders; ranks 5-6 are managed centrally",
        source=f"{REG_105} (which posts each level manages); the mapping to the model's ranks is an estimate",
    )
    length_months: int = par(
        36,
        unit="months",
        doc="length of a plan rotation",
        source=f"{REG_98}: at least 3 years (qdnd.vn); medium confidence",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.plan")
        bad = [r for r in self.managed_ranks if not 0 <= r < N_RANKS]
        if bad:
            raise ConfigError(f"policy.plan.managed_ranks = {self.managed_ranks}: ranks must be 0..{N_RANKS - 1}")
        if self.length_months < 1:
            raise ConfigError("policy.plan.length_months must be >= 1")
        if self.months != sorted(self.months) or len(set(self.months)) != len(self.months):
            raise ConfigError(f"policy.plan.months = {self.months} must be distinct months in ascending order")


@dataclass
class RebalanceSpec:
    """Needs-based transfers (điều động) from units above their staffing norm to units
    of the same area below it ("nơi thừa, nơi thiếu", the seed article)."""

    every_months: int = par(
        3,
        unit="months",
        check=NONNEG,
        doc="months between reviews of the staffing norms (0: no needs-based transfers)",
        source="estimate: a quarterly review",
    )
    first_month: str = par(
        "2018-10",
        unit="month (YYYY-MM)",
        check=MONTH,
        doc="the first review",
        source=f"{SEED_ARTICLE}: the plan starts in Q4 2018",
    )
    per_review: int = par(
        12,
        unit="transfers per review",
        check=NONNEG,
        doc="most transfers made at one review, across the province",
        source="estimate",
    )
    ranks: list[int] = par(
        [0, 1, 2],
        unit="ranks (0-6)",
        doc="ranks of the posts that may be moved: specialists and division-level posts",
        source="estimate",
    )
    norm_spread: float = par(
        0.12,
        unit="share of a unit's starting staff",
        check=PROBABILITY,
        doc="a unit's norm (posts it needs, vị trí việc làm) differs from its starting staff by a uniform draw in "
        "+/- this share, so that some units start above their norm and others below it",
        source="estimate: no published figure of surplus and shortage by unit",
    )
    min_months_in_post: int = par(
        12,
        unit="months",
        check=NONNEG,
        doc="least time in the current post before a cadre is moved",
        source="estimate",
    )
    freeze_recruitment: bool = par(
        True,
        doc="a unit at or above its norm recruits no one into its vacated staff posts",
        source="Resolution 39-NQ/TW (2015) and Decree 108/2014: no new staff where the payroll is above need",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.rebalance")
        bad = [r for r in self.ranks if not 0 <= r < N_RANKS]
        if bad:
            raise ConfigError(f"policy.rebalance.ranks = {self.ranks}: ranks must be 0..{N_RANKS - 1}")


@dataclass
class CentralSpec:
    """Moves between the province and the central level (Regulation 65-QĐ/TW art. 1.4:
    rotation to and from the central level)."""

    to_central_per_year: float = par(
        0.12,
        unit="probability per year per holder",
        check=PROBABILITY,
        doc="a holder of a provincial leadership post (min_rank and above) is promoted or rotated to a central post",
        source="estimate from 39 provincial secretaries rotated or transferred in 2016-2021 over 63 provinces "
        "(about 12 % a year; Zing, thanhnien.vn); 14 moved to the centre in 2020, Thái Bình's in May 2020",
    )
    min_rank: int = par(
        5,
        unit="rank (0-6)",
        doc="lowest rank of the posts whose holders may move to the centre",
        source="estimate: provincial leaders (deputy secretaries and vice-chairs up)",
    )
    from_central_share: float = par(
        0.1,
        unit="probability per vacancy",
        doc="a vacancy of min_rank or above is filled by a central cadre rotated into the province",
        source="estimate; practice: central cadres rotated to provincial leadership posts (Regulation 65-QĐ/TW art. 1.4)",
    )
    from_central_months: int = par(
        60,
        unit="months",
        doc="how long a central cadre rotated in stays before returning to the centre",
        source="estimate: one term",
    )
    from_central_age: list[int] = par(
        [42, 52],
        unit="years",
        doc="age range of central cadres rotated in (uniform)",
        source="estimate",
    )

    def __post_init__(self) -> None:
        check_declared(self, "policy.central")
        if not 0 <= self.min_rank < N_RANKS:
            raise ConfigError(f"policy.central.min_rank = {self.min_rank} must be 0..{N_RANKS - 1}")
        if not 0.0 <= self.from_central_share <= 1.0:
            raise ConfigError(f"policy.central.from_central_share = {self.from_central_share} must be in [0, 1]")
        lo_hi = self.from_central_age
        if len(lo_hi) != 2 or not 18 <= lo_hi[0] <= lo_hi[1] <= 65:
            raise ConfigError(f"policy.central.from_central_age = {lo_hi} must be [youngest, oldest] within 18..65")
        if self.from_central_months < 1:
            raise ConfigError("policy.central.from_central_months must be >= 1")


__all__ = ["CentralSpec", "PlanSpec", "RebalanceSpec"]
