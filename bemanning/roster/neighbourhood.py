"""The neighbourhood search (large neighbourhood search, LNS) of the roster solver.

One step frees a neighbourhood — a part of the roster — fixes every other pass to the current
roster, and lets CP-SAT re-solve that small model with the current roster as hint and its cost
as the upper limit. A result at least as good as the current roster replaces it. The kinds of
neighbourhood:

- `personer`: whole rows of some people;
- `dagar`: a window of days for everybody;
- `block`: some people over a window of days;
- `lucka`: people who could take an uncovered pass, around its day;
- `luckrader`: whole rows of people who could take an uncovered pass;
- `onskemal`: a person whose wish is not met and others working around that day;
- `fonster`: everybody over a window of days that slides through the period, each window
  overlapping the last by a third, so that a long period is swept end to end;
- `personblock`: whole rows of a block of people who can work the same passes (a person and
  those most alike in the passes they can take), the seed person moving through everybody;
- `tackning`: a window of days around an uncovered pass and the people who touch the most of
  the window's coverage faults — who could take its uncovered passes, or who work its passes
  with people beyond the need — so that a chain of moves (one leaves an overfull pass for
  another, who leaves theirs for the gap) lies inside one neighbourhood;
- `byte`: two people over a window of days, one who could take an uncovered pass in it and one
  who works that day and can take most of the same passes, so that passes can change hands
  between them (small: solved to optimum in a fraction of a second even on a large model).
- `veckodagar`: the same days of the week as an uncovered pass (its day and the next, e.g.
  every Saturday and Sunday) in every week of the period, for the people who touch the most
  coverage faults on them: a limit over the whole period (weekends worked, passes of a type)
  can then move between people week by week, where a window of days holds the other weeks fast.
- `tidslucka`: a block of days around a day drawn by its coverage penalty, for the people who
  could take its dearest uncovered pass, those with the most hours left first (`slot.py`).
- `helger`: whole rows of the people who touch the weekends' coverage faults or work half
  weekends (`weekends.py`): a half weekend can be made whole, a block of days can move onto a
  weekend, and weekends can change hands, with the passes on weekdays that pays for.

Each kind has a size (a share of people × days) that grows by a tenth when its neighbourhood was
solved to optimum and shrinks when CP-SAT ran out of time (by more when it found no roster at
all, which on a large model means a far too large neighbourhood). On a large model the kinds start at
most `LARGE_START_CELLS` pass variables large and grow from there (`start_scale`). The kinds are drawn adaptively (a
bandit): each has a score, the recent rate at which its neighbourhoods improved the roster (an
average that forgets, starting optimistic), and is drawn in proportion to it per second its
neighbourhoods take (one that takes a fifth of a second is worth five times one that takes the
whole second at the same rate), never below a floor so that a kind that stopped paying is still
tried now and then. The kinds drawn around an uncovered pass draw the pass the same way, by a
score per pass type: passes nobody more can take (every taker at their most of that type) stop
drawing most of the neighbourhoods. `NeighbourhoodSearch` keeps the
sizes, the random stream and the count of neighbourhoods across the slices of one solve;
`improve` runs one slice with `workers` threads, each solving one neighbourhood at a time with
one CP-SAT worker (CP-SAT releases the GIL, so two cores stay busy).
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable
from typing import TYPE_CHECKING

import attrs

from bemanning.roster import slot as slot_kind
from bemanning.roster.cpsat import (
    PHASE_PARTS,
    Framsteg,
    Incumbent,
    Installningar,
    Progress,
    make_solver,
    watch,
)
from bemanning.roster.model import Ctx

if TYPE_CHECKING:
    from bemanning.roster.submodel import SubModels

log = logging.getLogger("bemanning.roster")

PEOPLE = "personer"
DAYS = "dagar"
BLOCK = "block"
GAP = "lucka"
GAP_ROWS = "luckrader"
WISH = "onskemal"
SLIDE = "fonster"
ROW_BLOCK = "personblock"
COVER = "tackning"
SWAP = "byte"
WEEKDAYS = "veckodagar"
SLOT = slot_kind.SLOT
WEEKENDS = "helger"

KINDS = (PEOPLE, DAYS, BLOCK, GAP, GAP_ROWS, WISH, SLIDE, ROW_BLOCK, COVER, SWAP, WEEKDAYS, SLOT,
         WEEKENDS)
# the kinds drawn unless `grannskap` names others. `tidslucka` only when asked for (on a fixed
# roster of Curtois 12 it filled passes more often per CPU second than `lucka` and `tackning`,
# but in two of three pairs of 60 s runs, three seeds each, main's median was lower). `helger`
# only when asked for too: alone from a fixed roster it did best on Curtois 16 and 14 and worse
# on 15, and in the full mix, under load, the results went both ways.
DEFAULT_KINDS = tuple(k for k in KINDS if k not in (SLOT, WEEKENDS))

# starting score of each kind (the bandit's optimistic start): an uncovered pass twice the others
START_SCORES = {kind: 1.0 for kind in KINDS} | {GAP: 2.0}
FORGET = 0.15  # weight of the newest outcome in a kind's score
FLOOR = 0.05  # least score a kind is drawn with
SHORTEST = 0.05  # seconds: a kind's time per neighbourhood counts as at least this when drawn

# starting size of each kind, as a share of the people × days
START_SIZES = {PEOPLE: 0.1, DAYS: 0.15, BLOCK: 0.2, GAP: 0.2, GAP_ROWS: 0.1, WISH: 0.2,
               SLIDE: 0.1, ROW_BLOCK: 0.1, COVER: 0.1,
               SWAP: 0.25,  # `byte`: a share of the days (always two people)
               WEEKDAYS: 0.05, WEEKENDS: 0.15,
               SLOT: slot_kind.START_SIZE}
SMALLEST = 0.02  # least size of a kind (times the start scale below)
# growth of a kind solved to optimum within QUICK of its time limit (`delsekunder`); 1.1 (as
# any other optimum) unless set: an experiment, not measured to pay yet
QUICK = 0.25
QUICK_GROWTH = 1.1
# on a large model (from `stor_modell` variables) the kinds other than `byte` start at most this
# many pass variables large (their start size times the scale min(1, LARGE_START_CELLS / pass
# variables)): on Curtois 13 (40 000 pass variables) the start sizes left 4 000–8 000 passes free,
# and nearly every neighbourhood ran out of its second without even the hint back (UNKNOWN), so
# in 25 s from the same start only `byte` improved (9 411 -> 8 907); a tenth of them gave 5 645.
# Shrinking by 1,3 from there took a dozen wasted seconds per kind; growing from small is cheap.
LARGE_START_CELLS = 4000


def start_scale(n_variables: int, n_cells: int, settings: Installningar) -> float:
    """The factor on the start sizes (and the least size): 1 below `stor_modell` variables."""
    if n_variables < settings.stor_modell or n_cells <= 0:
        return 1.0
    return min(1.0, LARGE_START_CELLS / n_cells)


@attrs.frozen
class Neighbourhood:
    """The part of the roster one step may change: `free(person, day)`."""

    kind: str
    size: float  # the kind's size when it was drawn (a share of people × days)
    free: Callable[[int, int], bool]
    drawn: str = ""  # the kind drawn (`kind` may be a fallback, e.g. a block with no gap)
    target: int | None = None  # the pass type of the uncovered pass it was drawn around


@attrs.frozen
class Wish:
    """An önskemål on the model's variables: met when any of `indices` is 1 (`wanted`) or none
    is (not wanted)."""

    person: int
    day: int
    wanted: bool
    indices: tuple[int, ...]

    def met(self, values: list[int]) -> bool:
        return any(values[i] for i in self.indices) == self.wanted


@attrs.frozen
class Gap:
    """A (day, pass type) whose coverage variable counts missing people."""

    day: int
    pass_type: int
    index: int  # the variable "people missing"


@attrs.define(eq=False)
class NeighbourhoodSearch:
    ctx: Ctx
    settings: Installningar
    is_cancelled: Callable[[], bool]
    progress: Progress
    rng: random.Random
    sizes: dict[str, float] = attrs.field(factory=lambda: dict(START_SIZES))
    iterations: int = 0  # neighbourhoods solved in all slices so far (moves CP-SAT seeds on)
    scores: dict[str, float] = attrs.field(factory=lambda: dict(START_SCORES))
    drawn: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(KINDS, 0))
    improved: dict[str, int] = attrs.field(factory=lambda: dict.fromkeys(KINDS, 0))
    # seconds one neighbourhood of each kind takes (drawing, building and solving it; an average
    # that forgets like the scores); None until the first one of the kind is solved
    seconds: dict[str, float | None] = attrs.field(factory=lambda: dict.fromkeys(KINDS))
    # how often a neighbourhood drawn around an uncovered pass of each pass type improved the
    # roster (an average that forgets, starting optimistic, as the kinds' scores): the gaps are
    # drawn by it, so that passes no one more can take (on Curtois 15 the nights: 36 of the
    # about 60 uncovered, more than everybody's most nights allow) are not drawn as often as
    # the ones that can be filled
    type_scores: dict[int, float] = attrs.field(factory=dict)
    type_drawn: dict[int, int] = attrs.field(factory=dict)
    _target: int | None = attrs.field(init=False, default=None)
    _slide_at: int = 0  # first day of the next sliding window
    _row_order: list[int] = attrs.field(factory=list)  # seed people of `personblock` to come

    # the model's shape, read once
    _cells: list[tuple[int, int, int]] = attrs.field(init=False)  # (person, day, var index)
    _wishes: list[Wish] = attrs.field(init=False)
    _gaps: list[Gap] = attrs.field(init=False)
    _overs: list[Gap] = attrs.field(init=False)  # (day, pass type) -> people beyond the need
    _working: dict[int, list[tuple[int, int]]] = attrs.field(init=False)  # day -> (p, index)
    _able: dict[tuple[int, int], list[tuple[int, int]]] = attrs.field(init=False)
    _n_people: int = attrs.field(init=False)
    _n_days: int = attrs.field(init=False)
    _kinds: tuple[str, ...] = attrs.field(init=False)
    _passes_of: list[frozenset[int]] = attrs.field(init=False)  # pass types a person can take
    _submodels: SubModels | None = attrs.field(init=False, default=None)  # large models only
    _smallest: float = attrs.field(init=False, default=SMALLEST)  # least size of a kind
    # what CP-SAT adds to the objective's terms (negated literals give a constant): the upper
    # limit of a neighbourhood is on the terms alone, so it is the cost less this
    _limit_offset: int = attrs.field(init=False, default=0)

    # the slice under way: the current roster and the reports waiting to be sent, shared by the
    # threads under the lock
    _current: Incumbent | None = attrs.field(init=False, default=None)
    _pending: list[Framsteg] = attrs.field(init=False, factory=list)
    _lock: threading.Lock = attrs.field(init=False, factory=threading.Lock)
    # deterministic seconds (CP-SAT's deterministic time over `det_rate`, shared by the
    # threads) the last slice took (`deterministisk`)
    slice_work: float = attrs.field(init=False, default=0.0)
    # CP-SAT's deterministic time and wall time of every neighbourhood solved (the calibration
    # of `DET_PER_S`)
    det_total: float = attrs.field(init=False, default=0.0)
    wall_total: float = attrs.field(init=False, default=0.0)
    cpu_total: float = attrs.field(init=False, default=0.0)  # CPU seconds of the solving threads

    def __attrs_post_init__(self) -> None:
        ctx, problem = self.ctx, self.ctx.problem
        self._cells = [(p, d, var.index) for (p, d, _t), var in ctx.x.items()]
        self._wishes = self._read_wishes()
        self._gaps = [Gap(d, t, var.index) for (d, t), var in ctx.under.items()]
        self._overs = [Gap(d, t, var.index) for (d, t), var in ctx.over.items()]
        self._working = defaultdict(list)
        for p, d, index in self._cells:
            self._working[d].append((p, index))
        self._able = {(d, t): [(p, var.index) for p, var in items]
                      for (d, t), items in ctx.by_dt.items()}
        self._n_people = len(problem.personal)
        self._n_days = problem.dagar
        self._kinds = tuple(k for k in KINDS if k in (self.settings.grannskap or DEFAULT_KINDS))
        if not self._kinds:
            raise ValueError(f"okänd sort av grannskap: {self.settings.grannskap}")
        passes: list[set[int]] = [set() for _ in range(self._n_people)]
        for (p, _d, t) in ctx.x:
            passes[p].add(t)
        self._passes_of = [frozenset(s) for s in passes]
        scale = start_scale(len(ctx.model.proto.variables), len(self._cells), self.settings)
        if scale < 1.0:
            self.sizes = {k: v if k == SWAP else v * scale for k, v in self.sizes.items()}
            self._smallest = SMALLEST * scale
        objective = ctx.model.proto.objective
        if objective.scaling_factor in (0.0, 1.0):
            self._limit_offset = round(objective.offset)
        if len(ctx.model.proto.variables) >= self.settings.delmodell_fran:
            from bemanning.roster.submodel import SubModels  # numpy and scipy: large models only

            try:
                self._submodels = SubModels(ctx.model, [index for _p, _d, index in self._cells])
            except ValueError as error:  # a kind of constraint it does not know: whole clones
                log.info("grannskapen löses på hela modellen: %s", error)

    def _read_wishes(self) -> list[Wish]:
        """The önskemål about one day, on the variables of the passes they are about."""
        ctx, problem = self.ctx, self.ctx.problem
        wishes = []
        for o in problem.onskemal:
            p = problem.person_index.get(o.person_id)
            if p is None or not 0 <= o.dag < problem.dagar:
                continue
            if o.pass_id in problem.pass_index:
                types = [problem.pass_index[o.pass_id]]
            elif o.pass_id is None:
                types = [t for t, _ in ctx.by_pd.get((p, o.dag), ())]
            else:
                types = []
            found = tuple(ctx.x[p, o.dag, t].index for t in types if (p, o.dag, t) in ctx.x)
            if found:
                wishes.append(Wish(p, o.dag, o.onskat, found))
        return wishes

    # -- one slice ----------------------------------------------------------------------------

    def improve(self, incumbent: Incumbent, until: float,
                budget: float | None = None) -> Incumbent:
        """Search until the time `until` (monotonic clock); the best roster found. With
        `deterministisk`, until `budget` deterministic seconds are spent too (`_rounds`)."""
        if self.settings.deterministisk:
            return self._rounds(incumbent, until, budget if budget is not None else math.inf)
        self._current = incumbent
        first_seed = self.settings.seed * 1000 + 7919 * self.iterations
        threads = [threading.Thread(target=self._work, args=(first_seed + 100 * i, until),
                                    name=f"bemanning-lns-{i}", daemon=True)
                   for i in range(max(1, self.settings.workers))]
        for thread in threads:
            thread.start()
        for thread in threads:  # progress goes out from here, never from under the lock
            while thread.is_alive():
                thread.join(0.1)
                self._send_pending()
        self._send_pending()
        best, self._current = self._current, None
        return best

    def _rounds(self, incumbent: Incumbent, until: float, budget: float) -> Incumbent:
        """`deterministisk`: rounds of `workers` neighbourhoods drawn from the same roster,
        solved at once (a thread each, each limited by deterministic time) and learnt from in
        the order drawn, so that the result does not depend on which thread finishes first;
        until the round's deterministic time adds up to `budget` (shared by the threads: a
        round of two one-second neighbourhoods counts one second) or the clock reaches `until`.
        """
        self._current = incumbent
        self.slice_work = 0.0
        settings = self.settings
        n = max(1, settings.workers)
        rate = settings.det_rate * n
        seed = settings.seed * 1000 + 7919 * self.iterations
        while not self.is_cancelled() and self.slice_work < budget:
            wall_left = until - time.monotonic()
            left = budget - self.slice_work
            if wall_left < 0.2 or left < 0.2 or self._current.closed:
                break
            current = self._current
            drawn = []
            for _ in range(n):
                neighbourhood = self.draw()
                sub, expand = self._sub_model(neighbourhood, current)
                seed += 1
                solver = make_solver(settings, min(self._seconds(neighbourhood), left),
                                     settings.delarbetare or 1, seed, wall_limit=wall_left)
                drawn.append((neighbourhood, sub, expand, solver))
            statuses: list = [None] * n
            cpus = [0.0] * n
            threads = [threading.Thread(target=self._solve_one, name=f"bemanning-lns-{i}",
                                        args=(drawn[i][3], drawn[i][1], statuses, cpus, i),
                                        daemon=True) for i in range(n)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            self.cpu_total += sum(cpus)
            stop = False
            for (neighbourhood, sub, expand, solver), status in zip(drawn, statuses,
                                                                    strict=True):
                work = solver.deterministic_time / settings.det_rate
                self.slice_work += solver.deterministic_time / rate
                if not self._learn(neighbourhood, solver, status, sub, work, expand):
                    stop = True
            self._send_pending()
            if stop:
                break
        best, self._current = self._current, None
        return best

    def _solve_one(self, solver, sub, statuses: list, cpus: list[float],  # noqa: ANN001
                   i: int) -> None:
        """One neighbourhood of a round (`_rounds`), in its own thread."""
        cpu = time.thread_time()
        with watch(solver, self.is_cancelled):
            statuses[i] = solver.solve(sub)
        cpus[i] = time.thread_time() - cpu

    def _work(self, seed: int, until: float) -> None:
        """One thread: draw a neighbourhood, solve it, keep the result if it is as good."""
        while not self.is_cancelled():
            began = time.monotonic()
            remaining = until - began
            with self._lock:
                current = self._current
                if remaining < 0.2 or current.closed:
                    return
                neighbourhood = self.draw()
                sub, expand = self._sub_model(neighbourhood, current)
            seed += 1
            solver = make_solver(self.settings, min(self._seconds(neighbourhood), remaining),
                                 self.settings.delarbetare or 1, seed)
            cpu = time.thread_time()
            with watch(solver, self.is_cancelled):
                status = solver.solve(sub)
            cpu = time.thread_time() - cpu
            with self._lock:
                self.cpu_total += cpu
                if not self._learn(neighbourhood, solver, status, sub,
                                   time.monotonic() - began, expand):
                    return

    def _seconds(self, neighbourhood: Neighbourhood) -> float:  # noqa: ARG002
        """The time limit of a neighbourhood."""
        return self.settings.delsekunder

    def _sub_model(self, neighbourhood: Neighbourhood, current: Incumbent):
        """The whole model with every pass outside the neighbourhood fixed to the current roster,
        the current roster as hint and its cost as the upper limit (CP-SAT's objective domain
        is on the terms without the constant `offset`); and the function that gives the whole
        model's solution from the sub-model's."""
        limit = current.cost - self._limit_offset
        if self._submodels is not None:
            free = neighbourhood.free
            free_passes = [index for p, d, index in self._cells if free(p, d)]
            return self._submodels.build(free_passes, current.values, limit), list
        sub = self.ctx.model.clone()
        proto = sub.proto
        variables = proto.variables
        free = neighbourhood.free
        base = current.values
        for p, d, index in self._cells:
            if not free(p, d):
                dom = variables[index].domain
                dom[0] = base[index]
                dom[1] = base[index]
        sub.clear_hints()
        proto.solution_hint.vars.extend(range(len(base)))
        proto.solution_hint.values.extend(base)
        proto.objective.domain.extend([-(1 << 60), limit])
        return sub, list

    def _learn(self, neighbourhood: Neighbourhood, solver, status, sub,  # noqa: ANN001
               seconds: float = 0.0, expand: Callable = list) -> bool:
        """Adjust the kind's size and keep a roster at least as good (under the lock); False
        when the search must stop."""
        from ortools.sat.python import cp_model

        self.iterations += 1
        self.det_total += getattr(solver, "deterministic_time", 0.0)  # stand-ins in tests lack it
        self.wall_total += solver.wall_time
        kind, size = neighbourhood.kind, neighbourhood.size
        log.debug("grannskap %d %s %.3f: %s %.2f s", self.iterations, kind, size,
                  solver.status_name(status), solver.wall_time)
        if status == cp_model.MODEL_INVALID:
            log.error("ogiltig delmodell: %s", sub.validate())
            return False
        found = status in (cp_model.OPTIMAL, cp_model.FEASIBLE)
        cost = round(solver.objective_value) if found else None
        current = self._current
        better = cost is not None and cost < current.cost
        if status == cp_model.OPTIMAL:
            quick = solver.wall_time < QUICK * self.settings.delsekunder
            self.sizes[kind] = min(0.9, size * (QUICK_GROWTH if quick else 1.1))
        elif status == cp_model.UNKNOWN:  # not even the hint completed: far too large
            self.sizes[kind] = max(self._smallest, size / 1.3)
        elif status != cp_model.INFEASIBLE:
            self.sizes[kind] = max(self._smallest, size / 1.1)
        self._reward(neighbourhood.drawn or kind, better, seconds)
        if neighbourhood.target is not None:
            self._reward_type(neighbourhood.target, better)
        if cost is None or cost > current.cost:
            return True
        if cost < current.cost:
            log.info("grannskap %d (%s): %d -> %d", self.iterations, kind, current.cost, cost)
            self.progress.best = cost
            self._pending.append(self.progress.snapshot(PHASE_PARTS))
        self._current = attrs.evolve(current, values=expand(solver.response_proto.solution),
                                     cost=cost)
        return True

    def _reward(self, kind: str, better: bool, seconds: float | None = None) -> None:
        """The bandit's update: the kind's score moves towards 1 when it improved, else 0, and
        its time per neighbourhood towards `seconds`."""
        # the plain mean of the outcomes so far (the optimistic start counting as one) until
        # there are 1 / FORGET of them, then an average that forgets: a 60 s search draws about
        # a hundred neighbourhoods of ten kinds, too few for FORGET alone to learn which pay
        weight = max(FORGET, 1.0 / (self.drawn[kind] + 1)) if self.drawn[kind] else FORGET
        self.scores[kind] += weight * (float(better) - self.scores[kind])
        if seconds is not None and seconds > 0:
            before = self.seconds[kind]
            self.seconds[kind] = seconds if before is None else before + FORGET * (seconds - before)
        if better:
            self.improved[kind] += 1

    def _reward_type(self, pass_type: int, better: bool) -> None:
        """A neighbourhood drawn around an uncovered pass of `pass_type` improved or not."""
        n = self.type_drawn.get(pass_type, 0)
        weight = max(FORGET, 1.0 / (n + 2))  # the optimistic start counts as one outcome
        score = self.type_scores.get(pass_type, 1.0)
        self.type_scores[pass_type] = score + weight * (float(better) - score)
        self.type_drawn[pass_type] = n + 1

    def _send_pending(self) -> None:
        with self._lock:
            pending, self._pending = self._pending, []
        for report in pending:
            self.progress.send(report)

    # -- the kinds of neighbourhood -------------------------------------------------------------

    def draw(self) -> Neighbourhood:
        """A neighbourhood of a kind drawn in proportion to the kinds' scores (under the lock:
        it reads the roster)."""
        kinds = self._kinds
        kind = self.rng.choices(kinds, [self._weight(k) for k in kinds])[0]
        self.drawn[kind] += 1
        self._target = None
        make = {
            PEOPLE: self.people,
            DAYS: self.days,
            BLOCK: self.block,
            GAP: self.gap,
            GAP_ROWS: self.gap_rows,
            WISH: self.wish,
            SLIDE: self.slide,
            ROW_BLOCK: self.row_block,
            COVER: self.cover,
            SWAP: self.swap,
            WEEKDAYS: self.weekdays,
            SLOT: lambda: slot_kind.slot(self),
            WEEKENDS: self.weekends,
        }[kind]
        return attrs.evolve(make(), drawn=kind, target=self._target)

    def _weight(self, kind: str) -> float:
        """How likely the kind is drawn: its score per second of a neighbourhood, relative to
        the limit of one (`delsekunder`), so a kind that uses the whole limit is drawn by its
        score alone and a faster one more; never below the floor."""
        score = max(FLOOR, self.scores[kind])
        seconds = self.seconds[kind]
        if seconds is None:
            return score
        return score * max(1.0, self.settings.delsekunder / max(SHORTEST, seconds))

    def people(self) -> Neighbourhood:
        """Whole rows of some people."""
        size = self.sizes[PEOPLE]
        n = self._n_people
        chosen = set(self.rng.sample(range(n), max(1, min(n, round(size * n)))))
        return Neighbourhood(PEOPLE, size, lambda p, d: p in chosen)

    def days(self) -> Neighbourhood:
        """A window of days for everybody."""
        size = self.sizes[DAYS]
        width = max(1, min(self._n_days, round(size * self._n_days)))
        d0 = self.rng.randrange(0, self._n_days - width + 1)
        return Neighbourhood(DAYS, size, lambda p, d: d0 <= d < d0 + width)

    def block(self, kind: str = BLOCK) -> Neighbourhood:
        """Some people over a window of days (the size of `kind`)."""
        size = self.sizes[kind]
        people, width = self._block_shape(size)
        chosen = set(self.rng.sample(range(self._n_people), people))
        d0 = self.rng.randrange(0, self._n_days - width + 1)
        return Neighbourhood(kind, size, lambda p, d: p in chosen and d0 <= d < d0 + width)

    def gap(self) -> Neighbourhood:
        """People who could take an uncovered pass, around its day: those free that day first,
        then those working another pass that day (their pass may move to someone else). With
        no uncovered pass, a block."""
        gaps = self._open_gaps()
        if not gaps:
            return self.block(GAP)
        size = self.sizes[GAP]
        people, width = self._block_shape(size)
        gap = self._choose_gap(gaps)
        values = self._current.values
        busy_today = {p for p, index in self._working[gap.day] if values[index]}
        could = {p for p, index in self._able.get((gap.day, gap.pass_type), ())
                 if not values[index]}
        idle = sorted(could - busy_today) or sorted(could)
        busy = sorted((could & busy_today) or busy_today)
        chosen = set(self.rng.sample(idle, min(len(idle), max(1, people * 2 // 3))))
        chosen |= set(self.rng.sample(busy, min(len(busy), max(1, people - len(chosen)))))
        d0 = max(0, min(self._n_days - width, gap.day - width // 2))
        return Neighbourhood(GAP, size, lambda p, d: p in chosen and d0 <= d < d0 + width)

    def gap_rows(self) -> Neighbourhood:
        """Whole rows of people who could take an uncovered pass: with hours near the limits,
        taking one more pass means giving up another somewhere in the period. With no
        uncovered pass, whole rows of anyone."""
        gaps = self._open_gaps()
        if not gaps:
            return self.people()
        size = self.sizes[GAP_ROWS]
        gap = self._choose_gap(gaps)
        values = self._current.values
        could = sorted(p for p, index in self._able.get((gap.day, gap.pass_type), ())
                       if not values[index])
        rows = max(1, min(self._n_people, round(size * self._n_people)))
        chosen = set(self.rng.sample(could, min(len(could), rows)))
        if len(chosen) < rows:
            rest = sorted(set(range(self._n_people)) - chosen)
            chosen |= set(self.rng.sample(rest, min(len(rest), rows - len(chosen))))
        return Neighbourhood(GAP_ROWS, size, lambda p, d: p in chosen)

    def wish(self) -> Neighbourhood:
        """A person whose wish is not met and others working around that day. With every wish
        met, a block."""
        values = self._current.values
        unmet = [w for w in self._wishes if not w.met(values)]
        if not unmet:
            return self.block()
        size = self.sizes[WISH]
        people, width = self._block_shape(size)
        wish = self.rng.choice(unmet)
        others = sorted({p for p, index in self._working[wish.day] if values[index]}
                        - {wish.person})
        chosen = {wish.person} | set(self.rng.sample(others, min(len(others),
                                                                 max(1, people - 1))))
        d0 = max(0, min(self._n_days - width, wish.day - width // 2))
        return Neighbourhood(WISH, size, lambda p, d: p in chosen and d0 <= d < d0 + width)

    def slide(self) -> Neighbourhood:
        """Everybody over a window of days that slides through the period: the next window
        starts two thirds of a width after this one (a third overlaps), from the start again
        after the end. The width follows the kind's size, so the step stays the same size
        however long the period."""
        size = self.sizes[SLIDE]
        n_days = self._n_days
        width = max(2, min(n_days, round(size * n_days)))
        d0 = self._slide_at if self._slide_at + width <= n_days else max(0, n_days - width)
        self._slide_at = 0 if d0 + width >= n_days else d0 + max(1, width - width // 3)
        return Neighbourhood(SLIDE, size, lambda p, d: d0 <= d < d0 + width)

    def row_block(self) -> Neighbourhood:
        """Whole rows of a block of people alike in the passes they can take: a seed person
        (each in turn, in an order drawn anew every round) and those sharing most of its pass
        types, so that passes can move between them anywhere in the period."""
        size = self.sizes[ROW_BLOCK]
        n = self._n_people
        if not self._row_order:
            self._row_order = list(range(n))
            self.rng.shuffle(self._row_order)
        seed = self._row_order.pop()
        rows = max(2, min(n, round(size * n)))
        mine = self._passes_of[seed]
        ties = {p: self.rng.random() for p in range(n)}

        def alike(p: int) -> tuple[float, float]:
            theirs = self._passes_of[p]
            union = len(mine | theirs)
            return (len(mine & theirs) / union if union else 0.0, ties[p])

        others = sorted((p for p in range(n) if p != seed), key=alike, reverse=True)
        chosen = {seed, *others[: rows - 1]}
        return Neighbourhood(ROW_BLOCK, size, lambda p, d: p in chosen)

    def cover(self) -> Neighbourhood:
        """A window of days around an uncovered pass (the pass anywhere in it) and the people who
        touch the most of the window's coverage faults: each person counts the people missing on
        the uncovered passes they could take there and the people beyond the need on the passes
        they work there; the people are drawn by that count (weighted, without replacement; one
        with no count now and then), always one who could take the chosen pass. With no
        uncovered pass, a block."""
        gaps = self._open_gaps()
        if not gaps:
            return self.block(COVER)
        size = self.sizes[COVER]
        people, width = self._block_shape(size)
        gap = self._choose_gap(gaps)
        d0 = max(0, min(self._n_days - width, gap.day - self.rng.randrange(width)))
        chosen = self._touching(gap, lambda d: d0 <= d < d0 + width, people)
        return Neighbourhood(COVER, size, lambda p, d: p in chosen and d0 <= d < d0 + width)

    def swap(self) -> Neighbourhood:
        """Two people over a window of days (`byte`'s size is a share of the days): one who
        could take an uncovered pass in the window, and one of the three most alike in the pass
        types they can take among those working that day, so that passes can change hands
        between them. With no uncovered pass, a person drawn at random and one alike."""
        size = self.sizes[SWAP]
        n_days = self._n_days
        width = max(2, min(n_days, round(size * n_days)))
        values = self._current.values
        gaps = self._open_gaps()
        first = None
        if gaps:
            gap = self._choose_gap(gaps)
            day = gap.day
            could = [p for p, index in self._able.get((gap.day, gap.pass_type), ())
                     if not values[index]]
            first = self.rng.choice(could) if could else None
        if first is None:
            first, day = self.rng.randrange(self._n_people), self.rng.randrange(n_days)
        busy = {p for p, index in self._working[day] if values[index]} - {first}
        others = sorted(busy) or [p for p in range(self._n_people) if p != first]
        if not others:
            return Neighbourhood(SWAP, size, lambda p, d: p == first)
        mine = self._passes_of[first]

        def alike(p: int) -> float:
            theirs = self._passes_of[p]
            union = len(mine | theirs)
            return len(mine & theirs) / union if union else 0.0

        ties = {p: self.rng.random() for p in others}
        best = sorted(others, key=lambda p: (alike(p), ties[p]), reverse=True)[:3]
        chosen = {first, self.rng.choice(best)}
        d0 = max(0, min(n_days - width, day - self.rng.randrange(width)))
        return Neighbourhood(SWAP, size, lambda p, d: p in chosen and d0 <= d < d0 + width)

    def weekdays(self) -> Neighbourhood:
        """The day of the week of an uncovered pass and the next (two of every seven days,
        every week of the period) for the people who touch the most coverage faults on those
        days (counted as in `tackning`), always one who could take the chosen pass: their
        passes on those days can change hands week by week, so that a person gives up one
        week's Saturday for another's. The size is the share of the people × days freed. With
        no uncovered pass, a block; on a period shorter than two weeks, `tackning`."""
        gaps = self._open_gaps()
        n_days = self._n_days
        if not gaps:
            return self.block(WEEKDAYS)
        if n_days < 14:
            return self.cover()
        size = self.sizes[WEEKDAYS]
        gap = self._choose_gap(gaps)
        first = gap.day % 7 if self.rng.random() < 0.5 else (gap.day - 1) % 7
        wanted = {first, (first + 1) % 7}
        days = frozenset(d for d in range(n_days) if d % 7 in wanted)
        people = max(2, min(self._n_people,
                            round(size * self._n_people * n_days / len(days))))
        chosen = self._touching(gap, days.__contains__, people)
        return Neighbourhood(WEEKDAYS, size, lambda p, d: p in chosen and d in days)

    def weekends(self) -> Neighbourhood:
        """Whole rows of the people who touch the most coverage faults on the weekends or work
        the most half weekends (`weekends.py`), always one who could take the chosen uncovered
        pass on a weekend. With fewer than two weekends or no uncovered pass on a weekend,
        `luckrader`."""
        from bemanning.roster.weekends import choose_people

        problem = self.ctx.problem
        weekends = problem.weekends()
        if len(weekends) < 2:
            return self.gap_rows()
        on_weekend = [g for g in self._open_gaps() if problem.is_weekend_day(g.day)]
        if not on_weekend:
            return self.gap_rows()
        size = self.sizes[WEEKENDS]
        gap = self._choose_gap(on_weekend)
        days = frozenset(d for w in weekends for d in w)
        people = max(2, min(self._n_people, round(size * self._n_people)))
        chosen = choose_people(self, gap, days, weekends, people)
        return Neighbourhood(WEEKENDS, size, lambda p, d: p in chosen)

    def _touching(self, gap: Gap | None, on: Callable[[int], bool], people: int,
                  start: list[float] | None = None) -> set[int]:
        """`people` people drawn by how many coverage faults on the days `on` they touch: the
        people missing on the uncovered passes they could take (times the score of the pass
        type, so that passes nobody more can take count less) and the people beyond the need on
        the passes they work (weighted, without replacement; one touching nothing now and
        then), always one who could take `gap` (if any). `start` is a weight per person that
        the faults add to (`helger`: the half weekends they work)."""
        values = self._current.values
        scores = self.type_scores
        touch = list(start) if start is not None else [0.0] * self._n_people
        for faults, working in ((self._gaps, False), (self._overs, True)):
            for g in faults:
                if values[g.index] > 0 and on(g.day):
                    weight = values[g.index] * (
                        1.0 if working else max(FLOOR, scores.get(g.pass_type, 1.0)))
                    for p, index in self._able.get((g.day, g.pass_type), ()):
                        if bool(values[index]) == working:
                            touch[p] += weight
        could = [] if gap is None else [p for p, index in self._able.get((gap.day, gap.pass_type), ())
                                        if not values[index]]
        first = {self.rng.choice(could)} if could else set()
        # weighted sampling without replacement: the largest random() ** (1 / weight)
        keys = sorted(((self.rng.random() ** (1.0 / (touch[p] + 0.1)), p)
                       for p in range(self._n_people) if p not in first), reverse=True)
        return first | {p for _key, p in keys[: max(0, people - len(first))]}

    def _block_shape(self, size: float) -> tuple[int, int]:
        """(people, days) of a block covering `size` of the people × days."""
        root = math.sqrt(size)
        people = max(1, min(self._n_people, round(root * self._n_people)))
        width = max(2, min(self._n_days, round(root * self._n_days)))
        return people, width

    def _choose_gap(self, gaps: list[Gap]) -> Gap:
        """An uncovered pass, drawn by its pass type's score (never below the floor)."""
        scores = self.type_scores
        gap = self.rng.choices(gaps, [max(FLOOR, scores.get(g.pass_type, 1.0)) for g in gaps])[0]
        self._target = gap.pass_type
        return gap

    def _open_gaps(self) -> list[Gap]:
        values = self._current.values
        return [g for g in self._gaps if values[g.index] > 0]
