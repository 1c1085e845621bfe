"""The starting population: a synthetic roster, and a loader for a user's roster CSV.

Roster CSV schema (one row per cadre; UTF-8; header row required):

============== ======== ===========================================================
column         required meaning
============== ======== ===========================================================
cadre_id       yes      unique identifier (any text; anonymised)
birth          yes      birth month, YYYY-MM (use YYYY-01 when the month is unknown,
                        as Decree 135/2020 art. 3 does)
sex            yes      M or F
unit           yes      unit id: ``P.<key>`` at the province, ``<district code>.<key>``
post           yes      head | deputy | division_head | division_deputy | specialist
home_district  no       district code of the cadre's home (default: the unit's district,
                        or a random district for province units)
entry          no       month of entry into service, YYYY-MM (default: age 23)
post_since     no       month the current post was taken, YYYY-MM (default: start)
rank_since     no       month the current rank was reached, YYYY-MM (default: post_since)
competence     no       latent competence, standard-normal scale (default: drawn)
head_terms     no       consecutive terms already served in this head post (default 0)
============== ======== ===========================================================

:func:`synthetic_roster` returns a DataFrame in exactly this schema, so
``sim.synthetic_roster(cfg).to_csv("roster.csv", index=False)`` gives a valid template.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from sim.core.calendar import format_month, parse_month
from sim.core.errors import InputError
from sim.core.vocabulary import HEAD, NEVER, POST_KINDS, PROVINCE_AREA, SPECIALIST
from sim.params.schema import SimConfig
from sim.rules.retirement import retirement_month_index
from sim.world.org import Org

REQUIRED = ["cadre_id", "birth", "sex", "unit", "post"]
OPTIONAL = ["home_district", "entry", "post_since", "rank_since", "competence", "head_terms"]
COLUMNS = REQUIRED + OPTIONAL
MIN_AGE_MONTHS = 16 * 12  # nobody younger is on a roster (estimate: a loose floor; civil servants are recruited from 18, Law on Cadres and Civil Servants 2008 art. 36)
DEFAULT_ENTRY_AGE_MONTHS = 23 * 12  # entry when the roster gives none (estimate: graduates enter around 22-23)
# consecutive terms in one head post: a term is 5 years (Regulation 105-QĐ/TW, 2017), so
# more than 10 (50 years in one post) cannot happen within a working life
MAX_HEAD_TERMS = 10


@dataclass
class Population:
    """The starting cadres as parallel arrays (month indices, booleans, post ids)."""

    cadre_id: np.ndarray  # str
    post: np.ndarray  # post id
    birth: np.ndarray
    female: np.ndarray
    home: np.ndarray  # area index of the home district (1..n)
    entry: np.ndarray
    post_since: np.ndarray
    rank_since: np.ndarray
    competence: np.ndarray
    head_terms: np.ndarray

    def __len__(self) -> int:
        return len(self.post)


@lru_cache(maxsize=8)
def _synthetic_ids(n: int) -> tuple[str, ...]:
    """C00000, C00001, ...: the same for every replication, so made once."""
    return tuple(f"C{i:05d}" for i in range(n))


def generate_population(org: Org, cfg: SimConfig, rng: np.random.Generator) -> Population:
    """Fill the organisation's posts with synthetic cadres (vectorised).

    Every parameter comes from ``cfg.org.population`` (see the org YAML for sources and
    estimates).
    """
    pop = cfg.org.population
    start = cfg.start_index
    n_posts = org.n_posts
    pids = np.flatnonzero(org.post_active[:n_posts])
    kind = org.post_kind[pids]
    leader = kind <= 1
    vac = np.where(leader, pop.vacancy_rate_leaders, pop.vacancy_rate_staff)
    # the provincial top three are always in post at the start
    filled = (rng.random(len(pids)) >= vac) | (org.post_rank[pids] == 6)
    pids = pids[filled]
    n = len(pids)
    rank = org.post_rank[pids].astype(int)
    women = np.asarray(pop.women_share_by_rank)[rank]
    female = rng.random(n) < women
    # a unit's sex rule (the org file's leader_sex: the Women's Union) decides its leaders' sex
    sex_rule = org.post_sex_rule[pids]
    female = np.where(sex_rule >= 0, sex_rule == 1, female)
    mean = np.asarray(pop.age_mean_by_rank, float)[rank]
    sd = np.asarray(pop.age_sd_by_rank, float)[rank]
    # Ages on a man's career scale: a normal by rank truncated to [min_age, 60)
    # (redrawn, not clipped, so no pile-up at the bounds).
    lo = pop.min_age * 12.0
    age_m = rng.normal(mean, sd) * 12.0
    for _ in range(100):
        out = (age_m < lo) | (age_m >= 720.0)
        if not out.any():
            break
        age_m[out] = rng.normal(mean[out], sd[out]) * 12.0
    # Women's careers end 5 years earlier (55 vs 60 in 2018): compress their ages
    # proportionally between entry and the statutory age (estimate).
    age_f = lo + (age_m - lo) * (660.0 - lo) / (720.0 - lo)
    age = np.where(female, age_f, age_m)
    top = np.where(female, 659, 719)  # nobody past the 2012 statutory age at the start
    age = np.clip(np.floor(age), lo, top).astype(np.int64)
    birth = start - age
    career = age - int(lo)
    in_rank = np.minimum(rng.integers(0, pop.max_months_in_rank + 1, n), career)
    in_post = np.minimum(rng.integers(0, pop.max_months_in_rank + 1, n), in_rank)
    # heads have served fewer than two full terms in their post (the two-term limit)
    in_post = np.where(org.post_kind[pids] == 0, np.minimum(in_post, 119), in_post)
    area = org.post_area[pids].astype(int)
    n_districts = len(org.district_codes)
    random_home = rng.integers(1, n_districts + 1, n) if n_districts else np.zeros(n, int)
    local = rng.random(n) < pop.local_share
    home = np.where((area != PROVINCE_AREA) & local, area, random_home)
    nl = org.post_non_local[pids] & (area != PROVINCE_AREA)
    if nl.any() and n_districts > 1:
        # Non-local-rule posts: a share of holders come from another district.
        other = (area + rng.integers(1, n_districts, n) - 1) % n_districts + 1
        non_local_now = rng.random(n) < pop.non_local_share_2018
        home = np.where(nl, np.where(non_local_now, other, area), home)
    competence = rng.normal(0.0, 1.0, n) + pop.competence_rank_shift * rank
    capped = np.flatnonzero((org.post_age_below[pids] < NEVER) | (org.post_first_age_below[pids] < NEVER))
    if len(capped):
        # drawn last, so that the other cadres' draws are those of an organisation without caps
        age[capped], in_rank[capped], in_post[capped] = _capped_ages(
            org, pids[capped], age[capped], in_rank[capped], in_post[capped], int(lo), pop.max_months_in_rank, rng
        )
        birth = start - age
    head_terms = np.where(kind[filled] == 0, in_post // 60, 0)
    return Population(
        cadre_id=np.array(_synthetic_ids(n), dtype=object),
        post=pids.astype(np.int64),
        birth=birth,
        female=female,
        home=home.astype(np.int64),
        entry=birth + int(lo),
        post_since=start - in_post,
        rank_since=start - in_rank,
        competence=competence,
        head_terms=head_terms.astype(np.int64),
    )


# the youngest age drawn for a post under an age cap: this many years below its
# first-appointment cap (or its in-office cap, if it has no first-appointment cap)
CAPPED_AGE_SPAN_YEARS = 5  # estimate: a Youth Union secretary is typically appointed in the five years before the cap


def _capped_ages(
    org: Org, posts: np.ndarray, age: np.ndarray, in_rank: np.ndarray, in_post: np.ndarray, lo: int, max_in_rank: int,
    rng: np.random.Generator,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Ages (months) and months in rank and in post of the holders of posts under an age
    cap (the org file's ``*_max_age_first`` / ``*_max_age``), so that the caps hold at the
    start: the age is uniform between ``CAPPED_AGE_SPAN_YEARS`` below the first-appointment
    cap and the in-office cap (estimate), and the time in post is long enough that the
    post was taken at or below the first-appointment cap."""
    first, office = org.post_first_age_below[posts], org.post_age_below[posts]
    upper = np.where(office < NEVER, office, first + max_in_rank)  # exclusive, months
    anchor = np.where(first < NEVER, first, office)
    lower = np.maximum(anchor - (CAPPED_AGE_SPAN_YEARS + 1) * 12, lo)
    new_age = lower + np.floor(rng.random(len(posts)) * (upper - lower)).astype(np.int64)
    career = new_age - lo
    # appointed at an age below the first-appointment cap: at least this long in post
    need = np.where(first < NEVER, new_age - first + 1, 0)
    kind = org.post_kind[posts]
    post_months = np.clip(np.maximum(np.minimum(in_post, career), need), 0, career)
    post_months = np.where(kind == 0, np.minimum(post_months, 119), post_months)  # the two-term limit
    rank_months = np.clip(np.maximum(np.minimum(in_rank, career), post_months), 0, career)
    return new_age, rank_months, post_months


def population_frame(pop: Population, org: Org) -> pd.DataFrame:
    """A population as a DataFrame in the roster-CSV schema."""
    unit_ids = np.array([u.uid for u in org.units], dtype=object)
    codes = np.array(org.area_codes, dtype=object)
    fmt = np.vectorize(format_month, otypes=[object])
    return pd.DataFrame(
        {
            "cadre_id": pop.cadre_id,
            "birth": fmt(pop.birth),
            "sex": np.where(pop.female, "F", "M"),
            "unit": unit_ids[org.post_unit[pop.post]],
            "post": np.array(POST_KINDS, dtype=object)[org.post_kind[pop.post]],
            "home_district": codes[pop.home],
            "entry": fmt(pop.entry),
            "post_since": fmt(pop.post_since),
            "rank_since": fmt(pop.rank_since),
            "competence": np.round(pop.competence, 4),
            "head_terms": pop.head_terms,
        },
        columns=COLUMNS,
    )


def load_roster(
    path: str | Path, org: Org, cfg: SimConfig, rng: np.random.Generator, lines: list[int] | None = None
) -> Population:
    """Read and check a roster CSV; map each row to a free post of its unit and kind.

    Raises :class:`InputError` naming the file, line (1 = header) and column.
    ``lines``: the physical line each data record starts on (a quoted field may span
    lines; ``sim.world.roster_checks.check_roster_file`` finds them); by default record
    ``i`` is taken to be on line ``i + 2``.
    """
    path = Path(path)
    name = str(path)
    if not path.is_file():
        raise InputError("roster file not found", file=name)
    raw = path.read_bytes()
    if not raw.strip():
        raise InputError("the roster file is empty", file=name)
    try:
        raw.decode("utf-8-sig")
    except UnicodeDecodeError as err:
        line = raw[: err.start].count(b"\n") + 1
        raise InputError("the file is not UTF-8 text; save it as UTF-8 CSV", file=name, line=line) from None
    try:
        df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as err:
        raise InputError(f"cannot parse the CSV ({err})", file=name) from None
    df.columns = [c.strip() for c in df.columns]
    missing = [c for c in REQUIRED if c not in df.columns]
    if missing:
        raise InputError(
            f"missing column(s) {', '.join(missing)}; required: {', '.join(REQUIRED)}", file=name, line=1
        )
    unknown = [c for c in df.columns if c not in COLUMNS]
    if unknown:
        raise InputError(f"unknown column(s) {', '.join(unknown)}; valid: {', '.join(COLUMNS)}", file=name, line=1)
    if len(df) == 0:
        raise InputError("the roster has a header but no cadres", file=name)

    start = cfg.start_index
    n = len(df)
    line_of = np.asarray(lines) if lines is not None and len(lines) == n else np.arange(n) + 2  # header is line 1

    def bad(i: int, col: str, msg: str) -> InputError:
        return InputError(msg, file=name, line=int(line_of[i]), column=col)

    ids = df["cadre_id"].str.strip()
    for i, v in enumerate(ids):
        if not v:
            raise bad(i, "cadre_id", "empty cadre_id")
    dup = ids.duplicated()
    if dup.any():
        i = int(np.flatnonzero(dup.to_numpy())[0])
        raise bad(i, "cadre_id", f"duplicate cadre_id '{ids.iloc[i]}'")

    def months(col: str, default: np.ndarray | None) -> np.ndarray:
        if col not in df.columns:
            return default
        out = np.empty(n, np.int64)
        for i, v in enumerate(df[col]):
            v = v.strip()
            if not v and default is not None:
                out[i] = default[i]
                continue
            if not v.isascii():
                raise bad(i, col, f"'{v}' is not a month in the form YYYY-MM (write it with the digits 0-9)")
            try:
                out[i] = parse_month(v)
            except ValueError as err:
                raise bad(i, col, str(err)) from None
        return out

    birth = months("birth", None)
    sex = df["sex"].str.strip().str.upper()
    for i, v in enumerate(sex):
        if v not in ("M", "F"):
            raise bad(i, "sex", f"sex '{df['sex'].iloc[i]}' must be M or F")
    female = (sex == "F").to_numpy()
    ret = retirement_month_index(birth, female, cfg.policy.retirement_rule)
    past = np.flatnonzero(ret < start)
    if len(past):
        i = int(past[0])
        raise bad(
            i,
            "birth",
            f"cadre '{ids.iloc[i]}' reached retirement age in {format_month(ret[i])}, before the start "
            f"({cfg.start}); remove the row or correct the birth month",
        )
    too_young = np.flatnonzero(start - birth < MIN_AGE_MONTHS)
    if len(too_young):
        i = int(too_young[0])
        raise bad(i, "birth", f"cadre '{ids.iloc[i]}' is younger than 16 at the start ({cfg.start})")

    valid_units = org.unit_ids()
    kind_index = {k: i for i, k in enumerate(POST_KINDS)}
    free: dict[tuple[int, int], list[int]] = {}
    for u in org.active_units():
        for p in org.posts_of(u):
            free.setdefault((u.index, int(org.post_kind[p])), []).append(p)
    post = np.empty(n, np.int64)
    area = np.empty(n, np.int64)
    for i, (uid, pk) in enumerate(zip(df["unit"].str.strip(), df["post"].str.strip().str.lower())):
        unit = org.unit_by_id.get(uid)
        if unit is None or not unit.active:
            shown = ", ".join(valid_units[:12]) + (", ..." if len(valid_units) > 12 else "")
            raise bad(i, "unit", f"unknown unit '{uid}'; valid unit ids look like: {shown}")
        if pk not in kind_index:
            raise bad(i, "post", f"unknown post '{pk}'; valid: {', '.join(POST_KINDS)}")
        slots = free.get((unit.index, kind_index[pk]), [])
        if not slots and kind_index[pk] == HEAD and unit.concurrent_with is not None:
            raise bad(
                i,
                "post",
                f"unit '{uid}' has no head post of its own: the organisation file makes the holder of a post of "
                f"'{unit.concurrent_with}' head it concurrently (org.concurrent); put this cadre in that post, "
                "or drop the org.concurrent entry",
            )
        if not slots:
            quota = len(org.posts_of(unit, kind_index[pk]))
            raise bad(i, "post", f"more people than posts: unit '{uid}' has {quota} '{pk}' post(s)")
        post[i] = slots.pop(0)
        area[i] = unit.area

    n_d = len(org.district_codes)
    if "home_district" in df.columns:
        home = np.empty(n, np.int64)
        for i, v in enumerate(df["home_district"].str.strip()):
            if not v:
                home[i] = area[i] if area[i] else 1 + int(rng.integers(n_d))
            elif v in org.district_codes:
                home[i] = org.district_codes.index(v) + 1
            else:
                raise bad(i, "home_district", f"unknown district '{v}'; valid: {', '.join(org.district_codes)}")
    else:
        home = np.where(area > 0, area, 1 + rng.integers(0, max(n_d, 1), n))
    # the default entry (age 23) is never after the start: a younger cadre entered by then
    entry = months("entry", np.minimum(birth + DEFAULT_ENTRY_AGE_MONTHS, start))
    post_since = months("post_since", np.full(n, start, np.int64))
    rank_since = months("rank_since", post_since.copy())
    for col, arr in (("entry", entry), ("post_since", post_since), ("rank_since", rank_since)):
        late = np.flatnonzero(arr > start)
        if len(late):
            i = int(late[0])
            raise bad(i, col, f"{format_month(arr[i])} is after the start of the run ({cfg.start})")
    if "competence" in df.columns:
        competence = rng.normal(0.0, 1.0, n)
        for i, v in enumerate(df["competence"].str.strip()):
            if v:
                try:
                    if not v.isascii() or "_" in v:
                        raise ValueError(v)
                    competence[i] = float(v)
                except ValueError:
                    raise bad(i, "competence", f"'{v}' is not a number") from None
    else:
        competence = rng.normal(0.0, 1.0, n)
    head_terms = np.zeros(n, np.int64)
    if "head_terms" in df.columns:
        for i, v in enumerate(df["head_terms"].str.strip()):
            if v:
                if not (v.isascii() and v.isdigit()):
                    raise bad(i, "head_terms", f"'{v}' is not a whole number >= 0")
                if int(v) > MAX_HEAD_TERMS:
                    raise bad(i, "head_terms", f"head_terms {v} is more than {MAX_HEAD_TERMS} consecutive 5-year terms in one post")
                head_terms[i] = int(v)
    return Population(
        cadre_id=ids.to_numpy(dtype=object),
        post=post,
        birth=birth,
        female=female,
        home=home,
        entry=entry,
        post_since=post_since,
        rank_since=rank_since,
        competence=competence,
        head_terms=head_terms,
    )


__all__ = ["COLUMNS", "Population", "generate_population", "load_roster", "population_frame", "SPECIALIST"]
