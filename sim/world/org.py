"""The organisation: units at two levels, posts by rank with quotas, and the edits that
restructuring makes to them.

Posts are held in numpy arrays (one element per post) so that monthly metrics are
vectorised over posts; units are small Python objects. A unit's id is
``"<area code>.<key>"``: ``"P.home_affairs"`` at the province, ``"QP.home_affairs"`` in the
district with code QP.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass, field

import numpy as np

from sim.core.errors import ConfigError
from sim.core.vocabulary import (  # noqa: F401  (re-exported for the world layer)
    DEPUTY,
    DIVISION_DEPUTY,
    DIVISION_HEAD,
    HEAD,
    LEADER_KINDS,
    NEVER,
    POST_KINDS,
    PROVINCE_AREA,
    PROVINCE_CODE,
    RANK_NAMES,
    SPECIALIST,
)
from sim.params.schema import OrgConfig, UnitSpec


@dataclass
class Unit:
    index: int
    uid: str
    key: str
    name: str
    sector: str
    function: str
    level: str  # "province" | "district"
    area: int  # 0 = province, 1..n = district
    head_rank: int
    deputy_rank: int
    deputy_quota: int
    active: bool = True
    merged_from: list[str] = field(default_factory=list)
    posts: list[int] = field(default_factory=list)
    concurrent_with: str | None = None  # uid of the unit whose head (or concurrent_post) also heads this one
    # the post of unit ``concurrent_with`` whose holder heads this one, when it is not that
    # unit's head (the org file's ``concurrent`` list: the standing deputy secretary who
    # chairs the People's Committee); None: that unit's head
    concurrent_post: int | None = None
    spec: UnitSpec | None = None  # template it was built from (to restore it after a split)


def _sex_code(spec: UnitSpec | None) -> int:
    """A unit's leader_sex as a post code: -1 no rule, 0 men, 1 women."""
    sex = getattr(spec, "leader_sex", None)
    return -1 if sex is None else int(sex == "F")


def _below(spec: UnitSpec | None, name: str) -> int:
    """An age cap in whole years as the age in months its holder must stay below (NEVER:
    no cap): "at most 40" allows 40 years and 11 months."""
    cap = getattr(spec, name, None)
    return NEVER if cap is None else (int(cap) + 1) * 12


class Org:
    """Units and posts. Post attributes are parallel numpy arrays indexed by post id."""

    def __init__(self, cfg: OrgConfig):
        if not cfg.province_units:
            raise ConfigError(f"org '{cfg.name}': province_units is empty; an organisation needs units")
        self.cfg = cfg
        self.district_codes = [d.code for d in cfg.districts]
        self.area_codes = [PROVINCE_CODE] + self.district_codes
        self.units: list[Unit] = []
        self.unit_by_id: dict[str, Unit] = {}
        self._cap = 0
        self.n_posts = 0
        self.post_unit = np.zeros(0, np.int32)
        self.post_rank = np.zeros(0, np.int8)
        self.post_kind = np.zeros(0, np.int8)
        self.post_active = np.zeros(0, bool)
        self.post_holder = np.zeros(0, np.int32)
        self.post_key = np.zeros(0, bool)
        self.post_non_local = np.zeros(0, bool)
        self.post_term_limited = np.zeros(0, bool)  # head posts under the two-term limit
        self.post_psc = np.zeros(0, bool)
        self.post_area = np.zeros(0, np.int16)
        # unit rules (the unit's leader_sex and age caps, sim/params/schema_org.py), per
        # head and deputy post: the sex required (-1 none, 0 men, 1 women) and the age in
        # months the holder must be below at a first appointment and in office (NEVER: no cap)
        self.post_sex_rule = np.zeros(0, np.int8)
        self.post_first_age_below = np.zeros(0, np.int64)
        self.post_age_below = np.zeros(0, np.int64)
        self.post_origin: list[str] = []  # uid of the unit each post was created in
        self._unit_area = np.zeros(0, np.int64)  # see unit_areas()
        self.version = 0  # bumped on every change to units or leader/division posts (cache key)
        self.staff_version = 0  # bumped when a specialist post is abolished
        # the starting units are built in one batch: one numpy fill for all their posts
        blocks = [self._new_unit(spec, PROVINCE_AREA) for spec in cfg.province_units]
        for area, _ in enumerate(cfg.districts, start=1):
            blocks.extend(self._new_unit(spec, area) for spec in cfg.district_units)
        self._add_posts(blocks)
        self.version += len(blocks)
        for c in cfg.concurrent:
            self._standing_concurrent(c)

    # ------------------------------------------------------------------ building
    def _grow(self, needs: list[int]) -> None:
        """Make room for ``needs[-1]`` posts, with the capacity that growing for each
        of ``needs`` in turn would give (doubling)."""
        cap = self._cap
        for need in needs:
            if need > cap:
                cap = max(need, 2 * cap, 1024)
        if cap == self._cap:
            return
        for name, fill in (
            ("post_unit", 0),
            ("post_rank", 0),
            ("post_kind", 0),
            ("post_active", False),
            ("post_holder", -1),
            ("post_key", False),
            ("post_non_local", False),
            ("post_term_limited", False),
            ("post_psc", False),
            ("post_area", 0),
            ("post_sex_rule", -1),
            ("post_first_age_below", NEVER),
            ("post_age_below", NEVER),
        ):
            old = getattr(self, name)
            new = np.full(cap, fill, dtype=old.dtype)
            new[: len(old)] = old
            setattr(self, name, new)
        self._cap = cap

    def add_unit(
        self,
        spec: UnitSpec,
        area: int,
        *,
        uid: str | None = None,
        deputies: int | None = None,
        merged_from: list[str] | None = None,
        staff: bool = True,
    ) -> Unit:
        """Create a unit with its posts from a template."""
        block = self._new_unit(spec, area, uid=uid, deputies=deputies, merged_from=merged_from, staff=staff)
        self._add_posts([block])
        self.version += 1
        return block[0]

    def _new_unit(
        self,
        spec: UnitSpec,
        area: int,
        *,
        uid: str | None = None,
        deputies: int | None = None,
        merged_from: list[str] | None = None,
        staff: bool = True,
    ) -> tuple[Unit, list[int], list[int]]:
        """Register a unit built from a template; returns it with the kinds and ranks
        of its posts (added by :meth:`_add_posts`)."""
        level = "province" if area == PROVINCE_AREA else "district"
        uid = uid or f"{self.area_codes[area]}.{spec.key}"
        if uid in self.unit_by_id and self.unit_by_id[uid].active:
            raise ValueError(f"unit {uid} already exists")
        quota = spec.deputies if deputies is None else deputies
        unit = Unit(
            index=len(self.units),
            uid=uid,
            key=uid.split(".", 1)[1],
            name=spec.name,
            sector=spec.sector,
            function=spec.function,
            level=level,
            area=area,
            head_rank=spec.head_rank,
            deputy_rank=spec.deputy_rank,
            deputy_quota=quota,
            merged_from=list(merged_from or []),
            spec=spec,
        )
        self.units.append(unit)
        self.unit_by_id[uid] = unit
        kinds = (
            [HEAD]
            + [DEPUTY] * quota
            + [DIVISION_HEAD, *([DIVISION_DEPUTY] * spec.division_deputies)] * (spec.divisions if staff else 0)
            + [SPECIALIST] * (spec.specialists if staff else 0)
        )
        ranks = [spec.head_rank] + [spec.deputy_rank] * quota + [2 if k == DIVISION_HEAD else 1 if k == DIVISION_DEPUTY else 0 for k in kinds[1 + quota :]]
        return unit, kinds, ranks

    def _add_posts(self, blocks: list[tuple[Unit, list[int], list[int]]]) -> None:
        """Append the posts of new units (vectorised version of add_post)."""
        sizes = [len(kinds) for _, kinds, _ in blocks]
        a = self.n_posts
        ends = list(itertools.accumulate(sizes, initial=a))[1:]
        b = ends[-1] if ends else a
        self._grow(ends)
        units = [unit for unit, _, _ in blocks]
        specs = [unit.spec for unit in units]
        kinds = np.array([k for _, block_kinds, _ in blocks for k in block_kinds], dtype=np.int8)
        self.post_unit[a:b] = np.repeat([u.index for u in units], sizes)
        self.post_rank[a:b] = [r for _, _, block_ranks in blocks for r in block_ranks]
        self.post_kind[a:b] = kinds
        self.post_active[a:b] = True
        self.post_holder[a:b] = -1
        self.post_key[a:b] = (kinds == HEAD) & np.repeat([sp.head_key for sp in specs], sizes)
        self.post_non_local[a:b] = (kinds == HEAD) & np.repeat([sp.head_non_local for sp in specs], sizes)
        self.post_term_limited[a:b] = (kinds == HEAD) & np.repeat([sp.head_term_limited for sp in specs], sizes)
        self.post_psc[a:b] = (kinds <= DEPUTY) & np.repeat([sp.psc_remit for sp in specs], sizes)
        self.post_area[a:b] = np.repeat([u.area for u in units], sizes)
        head, deputy = kinds == HEAD, kinds == DEPUTY
        sex = np.repeat([_sex_code(sp) for sp in specs], sizes)
        self.post_sex_rule[a:b] = np.where(head | deputy, sex, -1)
        for arr, role in ((self.post_first_age_below, "max_age_first"), (self.post_age_below, "max_age")):
            arr[a:b] = np.where(head, np.repeat([_below(sp, "head_" + role) for sp in specs], sizes), NEVER)
            arr[a:b] = np.where(deputy, np.repeat([_below(sp, "deputy_" + role) for sp in specs], sizes), arr[a:b])
        start = a
        for unit, k in zip(units, sizes):
            unit.posts.extend(range(start, start + k))
            self.post_origin.extend([unit.uid] * k)
            start += k
        self.n_posts = b

    def add_post(
        self,
        unit: Unit,
        kind: int,
        rank: int,
        *,
        key: bool = False,
        non_local: bool = False,
        term_limited: bool = False,
        psc: bool = False,
    ) -> int:
        pid = self.n_posts
        self._grow([pid + 1])
        self.post_unit[pid] = unit.index
        self.post_rank[pid] = rank
        self.post_kind[pid] = kind
        self.post_active[pid] = True
        self.post_holder[pid] = -1
        self.post_key[pid] = key
        self.post_non_local[pid] = non_local
        self.post_term_limited[pid] = term_limited
        self.post_psc[pid] = psc
        self.post_area[pid] = unit.area
        leader = kind in LEADER_KINDS
        role = "head_" if kind == HEAD else "deputy_"
        self.post_sex_rule[pid] = _sex_code(unit.spec) if leader else -1
        self.post_first_age_below[pid] = _below(unit.spec, role + "max_age_first") if leader else NEVER
        self.post_age_below[pid] = _below(unit.spec, role + "max_age") if leader else NEVER
        unit.posts.append(pid)
        self.post_origin.append(unit.uid)
        self.n_posts += 1
        self.version += 1
        return pid

    def remove_post(self, pid: int) -> None:
        """Abolish a post (it must be vacant)."""
        if self.post_holder[pid] >= 0:
            raise ValueError(f"post {pid} is held; vacate it before removing it")
        self.post_active[pid] = False
        if self.post_kind[pid] == SPECIALIST:
            self.staff_version += 1  # leader-post caches stay valid
        else:
            self.version += 1

    def restore_unit(self, uid: str) -> Unit:
        """Re-create a unit that was merged away: its head and deputy posts, no staff
        posts (those are returned to it by the caller)."""
        old = self.unit_by_id[uid]
        if old.active:
            raise ValueError(f"unit {uid} is active")
        return self.add_unit(old.spec, old.area, uid=uid, deputies=old.deputy_quota, merged_from=old.merged_from, staff=False)

    def move_post(self, pid: int, dest: Unit) -> None:
        """Re-attach a post to another unit (same area)."""
        src = self.units[int(self.post_unit[pid])]
        src.posts.remove(pid)
        self.post_unit[pid] = dest.index
        self.post_area[pid] = dest.area
        dest.posts.append(pid)
        self.version += 1

    def deactivate_unit(self, unit: Unit) -> None:
        unit.active = False
        self.version += 1

    def _standing_concurrent(self, c) -> None:
        """An org-file concurrent post (``OrgConfig.concurrent``): the held unit's head
        post is removed (it is vacant: the organisation is built before the roster) and
        the holding post's holder heads the unit."""
        areas = [PROVINCE_AREA] if c.level == "province" else range(1, len(self.area_codes))
        for area in areas:
            code = self.area_codes[area]
            holder, held = self.unit_by_id[f"{code}.{c.unit}"], self.unit_by_id[f"{code}.{c.heads}"]
            for p in self.posts_of(held, HEAD):
                self.remove_post(p)
            held.concurrent_with = holder.uid
            held.concurrent_post = None if c.post == "head" else self.posts_of(holder, DEPUTY)[0]

    # ------------------------------------------------------------------ queries
    def concurrent_holder_post(self, unit: Unit) -> int | None:
        """The post whose holder heads ``unit`` concurrently (None if it has its own head)."""
        if unit.concurrent_with is None:
            return None
        if unit.concurrent_post is not None:
            return unit.concurrent_post
        heads = self.posts_of(self.unit_by_id[unit.concurrent_with], HEAD)
        return heads[0] if heads else None

    def active_units(self) -> list[Unit]:
        return [u for u in self.units if u.active]

    def unit_areas(self) -> np.ndarray:
        """Area of each unit, by unit index (units are only ever appended, and a unit's
        area never changes, so the array is rebuilt only when units are added)."""
        if len(self._unit_area) != len(self.units):
            self._unit_area = np.array([u.area for u in self.units], dtype=np.int64)
        return self._unit_area

    def posts_of(self, unit: Unit, kind: int | None = None, active_only: bool = True) -> list[int]:
        return [
            p
            for p in unit.posts
            if (not active_only or self.post_active[p]) and (kind is None or self.post_kind[p] == kind)
        ]

    def unit_ids(self) -> list[str]:
        return [u.uid for u in self.units if u.active]

    def counts(self) -> dict[str, int]:
        """Posts by kind and units by level (active only)."""
        act = self.post_active[: self.n_posts]
        kinds = self.post_kind[: self.n_posts][act]
        out = {f"posts_{name}": int(np.sum(kinds == k)) for k, name in enumerate(POST_KINDS)}
        out["posts"] = int(act.sum())
        units = self.active_units()
        out["units"] = len(units)
        out["units_province"] = sum(u.level == "province" for u in units)
        out["units_district"] = sum(u.level == "district" for u in units)
        return out
