"""The model's vocabulary, declared once: post kinds, areas and levels, sectors, ranks,
event kinds and the flow column each way of leaving counts in.

Every other module reads these names from here; a new event kind or post kind is added
in this file and nowhere else.
"""

from __future__ import annotations

# ---------------------------------------------------------------------------- posts
HEAD, DEPUTY, DIVISION_HEAD, DIVISION_DEPUTY, SPECIALIST = range(5)
POST_KINDS = ("head", "deputy", "division_head", "division_deputy", "specialist")
LEADER_KINDS = (HEAD, DEPUTY)  # "leaders" are the holders of these posts

# ---------------------------------------------------------------------------- places
PROVINCE_AREA = 0  # area index of the province; districts are 1..n
PROVINCE_CODE = "P"  # area code in unit ids ("P.home_affairs")
LEVELS = ("province", "district")
SECTORS = ("party", "state", "front", "assembly")

# ---------------------------------------------------------------------------- ranks
N_RANKS = 7
TOP_RANK = N_RANKS - 1
RANK_NAMES = (
    "specialist",
    "deputy division head",
    "division head",
    "deputy director / district deputy leader",
    "director / district top leader",
    "provincial deputy leader",
    "provincial top leader",
)
PROVINCIAL_LEADER_RANK = 5  # ranks 5-6 are provincial leaders, chosen from the whole province

# ---------------------------------------------------------------------------- time
NEVER = 10**9  # a month index that never comes (no retirement, no term end, ...)


# ---------------------------------------------------------------------------- events
class Event:
    """Event kinds (the ``kind`` column of ``Result.events``)."""

    # people leaving
    RETIREMENT = "retirement"
    EXIT = "exit"
    EARLY_RETIREMENT = "early_retirement"
    TO_COMMUNE = "to_commune"
    TO_CENTRAL = "to_central"
    # people moving
    RECRUITMENT = "recruitment"
    PROMOTION = "promotion"
    TRANSFER = "transfer"
    REBALANCE_TRANSFER = "rebalance_transfer"
    FROM_CENTRAL = "from_central"
    REAPPOINTED = "reappointed"
    EXTENDED = "extended"
    ROTATION_OUT = "rotation_out"
    ROTATION_RETURN = "rotation_return"
    ROTATION_END_IN_PLACE = "rotation_end_in_place"
    TERM_LIMIT_MOVE = "term_limit_move"
    TERM_LIMIT_SWAP = "term_limit_swap"
    TERM_LIMIT_NO_POST = "term_limit_no_post"
    AGE_OUT = "age_out"  # a leader past the unit's in-office age cap leaves the post (Decision 289-QĐ/TW)
    SURPLUS = "surplus"
    SURPLUS_PLACED = "surplus_placed"
    STILL_SURPLUS = "still_surplus"
    STEPPED_DOWN = "stepped_down"
    KEPT_HEAD = "kept_head"
    KEPT_DEPUTY = "kept_deputy"
    # the organisation (no cadre)
    MERGE = "merge"
    SPLIT = "split"
    CONCURRENT_HEAD = "concurrent_head"
    ABOLISH_LEVEL = "abolish_level"
    DIVISIONS_CUT = "divisions_cut"
    POOL_REVIEW = "pool_review"
    DISTRICT_CONGRESS = "district_congress"
    PROVINCIAL_CONGRESS = "provincial_congress"
    ELECTION = "election"  # People's Council election: the council and committee leaders stand again


# each way of leaving the payroll -> the flow column that counts it (besides "exits")
EXIT_FLOWS = {
    Event.RETIREMENT: "retirements",
    Event.EXIT: "other_exits",
    Event.EARLY_RETIREMENT: "early_retirements",
    Event.TO_COMMUNE: "to_commune",
    Event.TO_CENTRAL: "to_central",
}
# event kinds counted one for one by a flow column
COUNTED_FLOWS = {Event.RECRUITMENT: "recruits", **EXIT_FLOWS}
