"""Edits of the organisation that move people with their posts: what the actions are
made of."""

from __future__ import annotations

from sim.core.vocabulary import DIVISION_DEPUTY, DIVISION_HEAD, HEAD, Event
from sim.world.org import Unit


def move_staff_posts(model, src: Unit, dest: Unit) -> None:
    """Divisions and specialist posts of ``src`` (and their holders) move to ``dest``."""
    org = model.org
    for p in [p for p in src.posts if org.post_active[p] and org.post_kind[p] >= DIVISION_HEAD]:
        org.move_post(p, dest)
        h = int(org.post_holder[p])
        if h >= 0:
            model.personnel.reattach(h, dest)


def return_staff_posts(model, merged: Unit, restored: list[Unit]) -> None:
    """After a split, staff posts go back to the unit they were created in."""
    org = model.org
    by_uid = {u.uid: u for u in restored}
    for p in [p for p in merged.posts if org.post_active[p] and org.post_kind[p] >= DIVISION_HEAD]:
        dest = by_uid.get(org.post_origin[p], restored[0])
        org.move_post(p, dest)
        h = int(org.post_holder[p])
        if h >= 0:
            model.personnel.reattach(h, dest)


def close_unit(model, unit: Unit, m: int, reassign: bool = True) -> None:
    """Abolish a unit and its remaining posts. With ``reassign`` the posts must already
    be empty (their people were rehoused)."""
    org = model.org
    vacancies = model.indices.vacancies
    for p in list(unit.posts):
        if not org.post_active[p]:
            continue
        h = int(org.post_holder[p])
        if h >= 0:
            if reassign:
                raise RuntimeError(f"closing {unit.uid}: post {p} still held")
            model.personnel.leave_post(h)
        org.remove_post(p)
        vacancies[int(org.post_rank[p])].discard(p)
    org.deactivate_unit(unit)


def restore_head_post(model, unit: Unit) -> None:
    """A unit whose head was shared gets its own head post back (a vacancy)."""
    spec = unit.spec
    p = model.org.add_post(
        unit,
        HEAD,
        unit.head_rank,
        key=bool(spec.head_key) if spec else True,
        non_local=bool(spec.head_non_local) if spec else False,
        term_limited=bool(spec.head_term_limited) if spec else False,
        psc=bool(spec.psc_remit) if spec else True,
    )
    unit.concurrent_with = None
    model.indices.vacancies[unit.head_rank].add(p)


def cut_divisions(model, unit: Unit, share: float, m: int, deadline: int) -> None:
    """Consolidate ``share`` of ``unit``'s divisions: that share (rounded) of its
    division-head and of its division-deputy posts is abolished, vacant posts first,
    then the most recently created; their holders become surplus in ``unit`` under the
    transition policy (kept until the deadline)."""
    org = model.org
    vacancies = model.indices.vacancies
    removed = 0
    for kind in (DIVISION_HEAD, DIVISION_DEPUTY):
        posts = org.posts_of(unit, kind)
        n_cut = round(share * len(posts))
        if not n_cut:
            continue
        for p in sorted(posts, key=lambda p: (org.post_holder[p] >= 0, -p))[:n_cut]:
            h = int(org.post_holder[p])
            if h >= 0:
                model.transition.make_surplus(h, unit, m, deadline)
            org.remove_post(p)
            vacancies[int(org.post_rank[p])].discard(p)
            removed += 1
    if removed:
        model.log.organisation(m, Event.DIVISIONS_CUT, unit.uid, f"{removed} division head and deputy posts abolished ({share:.0%})")
