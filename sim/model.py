"""CadreModel: the province's cadres, month by month.

The model builds the world (organisation, people store, personnel moves) and composes
the processes in a declared order. Each month reads, in order: the month's dated
events on Mesa's event list, in :class:`~sim.engine.phases.Phase` priority order
(restructuring actions, congresses, pool reviews, rotation waves) → the monthly phases
of :data:`~sim.engine.phases.MONTH_PHASES` (exits, rotation returns, term ends,
vacancy filling, surplus deadlines), each run by the processes that hook into it →
data collection.

Speed: the work in a month is proportional to what happens in it (see docs/architecture.md).
"""

from __future__ import annotations

import mesa
import numpy as np

from sim import restructuring
from sim.agents import AgentViews
from sim.engine.phases import MONTH_PHASES
from sim.engine.streams import STREAM_NAMES, Streams, make_streams
from sim.engine.timetable import Timetable
from sim.metrics import FLOW_COLUMNS, MonthRecorder
from sim.params.compose import load_config
from sim.params.schema import SimConfig
from sim.processes.assessment import Assessment
from sim.processes.central import Central
from sim.processes.congress import Congress
from sim.processes.elections import Elections
from sim.processes.exits import Exits
from sim.processes.payroll import Payroll
from sim.processes.pool import Pool
from sim.processes.rebalance import Rebalance
from sim.processes.recruitment import Recruitment
from sim.processes.rotation import Rotation
from sim.processes.term_limit import TermLimit
from sim.processes.terms import Terms
from sim.processes.transition import Transition
from sim.processes.unit_rules import UnitRules
from sim.processes.vacancies import Vacancies
from sim.world.indices import Indices
from sim.world.org import Org
from sim.world.people import People
from sim.world.personnel import EventLog, Personnel
from sim.world.roster import Population, generate_population
from sim.world.roster_checks import load_roster_checked

# The processes, in the order they are set up, admit the starting cadres, measure and
# check; within a monthly phase, hooks run in this order too.
PROCESSES = (
    Assessment, Exits, Central, Terms, Payroll, Transition, Rotation, Pool, Recruitment, Rebalance, Vacancies, TermLimit,
    Congress, Elections, UnitRules,
)


class CadreModel(mesa.Model):
    """A province's cadre corps under a restructuring scenario.

    Args:
        config: a composed :class:`sim.params.schema.SimConfig`; when omitted it is
            composed from ``configs/`` with the keyword parameters below as overrides.
        scenario: scenario name (config group ``scenario``), e.g. ``"merge_offices"``.
        seed: root seed of the named random streams (also accepted as ``rng`` when it
            is an int, as ``mesa.batch_run(..., rng=[...])`` passes it).
        start, end: "YYYY-MM" horizon overrides.
        overrides: further Hydra overrides, e.g. ``["policy.selection.rule=random"]``.
    """

    def __init__(
        self,
        config: SimConfig | None = None,
        *,
        scenario: str | None = None,
        seed: int | None = None,
        rng=None,
        start: str | None = None,
        end: str | None = None,
        overrides: list[str] | tuple[str, ...] = (),
    ):
        if seed is None and isinstance(rng, (int, np.integer)):
            seed = int(rng)
        if config is None:
            given = {"scenario": scenario, "start": start, "end": end, "seed": seed}
            config = load_config([*overrides, *(f"{k}={v}" for k, v in given.items() if v is not None)])
        elif scenario is not None and scenario != config.scenario.name:
            raise ValueError(f"scenario={scenario!r} disagrees with config.scenario.name={config.scenario.name!r}")
        self.cfg = config
        self.seed = int(config.seed if seed is None else seed)
        super().__init__(rng=self.seed)
        self.scenario_name = config.scenario.name
        self.policy = config.policy
        self.start, self.end = config.start_index, config.end_index
        self.month = self.start  # the calendar month being (or next to be) simulated
        self.streams = Streams(self.seed, self._current_month)
        self.flows = dict.fromkeys(FLOW_COLUMNS, 0)
        self.totals = dict.fromkeys(FLOW_COLUMNS, 0)
        self.summary_extra: dict[str, float] = {}

        # the world
        self.processes = [cls(self) for cls in PROCESSES]
        columns = {}
        for proc in self.processes:
            setattr(self, proc.name, proc)
            columns.update(proc.columns)
        self.org = Org(config.org)
        self.people = People(columns)
        self.indices = Indices()
        self.log = EventLog(self.people, self.org)
        self.personnel = Personnel(self.people, self.org, self.indices, self.log, self.flows)
        self._views = AgentViews(self)
        for proc in self.processes:
            proc.setup()
        self.personnel.on_remove.append(self._views.removed)

        # dated events: the scenario's actions, then each process's own
        self.timetable = Timetable(self, self.start, self.end)
        self.planned = restructuring.plan(config, self.org, self.streams["restructuring"])
        restructuring.schedule(self, self.planned, self.timetable)
        for proc in self.processes:
            proc.schedule(self.timetable)

        # the starting cadres
        if config.roster is not None:
            pop = load_roster_checked(config.roster, self.org, config, self.streams["population"])
        else:
            pop = generate_population(self.org, config, self.streams["population"])
        self._admit(pop)
        self.initial_headcount = self.personnel.headcount
        self.initial_ages = self.people.age_table(self.month)

        self.recorder = MonthRecorder(self)
        self.datacollector = self.recorder.datacollector
        self._month_hooks = [
            getattr(proc, proc.hooks[phase]) for phase in MONTH_PHASES for proc in self.processes if phase in proc.hooks
        ]
        self.running = True

    def _admit(self, pop: Population) -> None:
        """Put the starting cadres into their posts; each process initialises its columns."""
        people, org = self.people, self.org
        n0, k = people.n, len(pop)
        people.alloc(n0 + k + max(256, k // 2))
        idx = np.arange(n0, n0 + k)
        people.birth[idx] = pop.birth
        people.female[idx] = pop.female
        people.home[idx] = pop.home
        people.entry[idx] = pop.entry
        people.competence[idx] = pop.competence
        people.post[idx] = pop.post
        rank = org.post_rank[pop.post].astype(np.int64)
        people.rank[idx] = rank
        people.unit[idx] = org.post_unit[pop.post]
        people.post_since[idx] = pop.post_since
        people.rank_since[idx] = pop.rank_since
        people.active[idx] = True
        people.key[idx] = idx
        org.post_holder[pop.post] = idx
        people.n = n0 + k
        people.cadre_ids.extend(pop.cadre_id.tolist())
        for proc in self.processes:
            proc.admit(idx, pop)
        self.indices.add_bulk(people.unit[idx].astype(np.int64), org.post_area[pop.post].astype(np.int64), rank, idx)
        self.personnel.headcount += k
        held = np.zeros(org.n_posts, bool)
        held[pop.post] = True
        for p in np.flatnonzero(org.post_active[: org.n_posts] & ~held).tolist():
            self.indices.vacancies[int(org.post_rank[p])].add(p)

    # ------------------------------------------------------------------ the month
    def step(self) -> None:
        """The month's phases, then data collection (its dated events have run already)."""
        m = self.month
        for hook in self._month_hooks:
            hook(m)
        self.recorder.record(m)
        self.month += 1
        if self.month > self.end:
            self.running = False

    def run(self) -> CadreModel:
        """Run to the end of the horizon."""
        while self.running:
            self.step()
        return self

    # ------------------------------------------------------------------ views
    def _current_month(self) -> int:
        return self.month

    @property
    def headcount(self) -> int:
        return self.personnel.headcount

    @property
    def events(self) -> EventLog:
        return self.log

    @property
    def agents(self):
        """Mesa's agent set; the Cadre views are created on first access."""
        self._views.materialise()
        return self._all_agents

    @agents.setter
    def agents(self, value) -> None:
        mesa.Model.agents.fset(self, value)

    def agents_admitted(self, i: int) -> None:
        self._views.admitted(i)

    def age_table(self) -> dict[str, np.ndarray]:
        """Ages (years) and sexes of the cadres in post now (for pyramids)."""
        return self.people.age_table(self.month)


__all__ = ["CadreModel", "PROCESSES", "STREAM_NAMES", "make_streams"]
