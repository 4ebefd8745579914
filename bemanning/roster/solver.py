"""Solving: CP-SAT on the whole model first, then a neighbourhood search of our own.

`solve` goes in steps (`_Solve.run`):

1. the model: every rule module adds its variables, constraints and costs (`model.build`),
   and a cheap lower bound from the staff's capacity against the coverage (`capacity.py`,
   an LP of milliseconds) that the bound shown never goes below;
2. a start: a roster built person by person (`construct.py`), completed to a full solution of
   the model and given to CP-SAT as hint;
3. the whole model: CP-SAT on the full model for a share of the time (skipped on a large model
   with a constructed start: there the search pays more per second);
4. improvement, unless that proved the roster optimal: slices of our neighbourhood search
   (`neighbourhood.py`) take turns with slices of CP-SAT on the whole model from the best
   roster; each kind gets more time while it pays and less when it does not;
5. the result: the roster, its cost, the bound (the best of CP-SAT's, the capacity bound and,
   when switched on, the one from the rows; never above the cost) and a status.

The time limit, the number of workers and the seed are settings (`Installningar`); a cancel
flag and a progress callback (best cost, bound, elapsed) serve the TUI. Solver logs go to the
logger `bemanning.roster`, never to stdout.
"""

from __future__ import annotations

import logging
import math
import random
import time
from collections.abc import Callable

import attrs

from bemanning.roster.construct import construct
from bemanning.roster.cpsat import (
    PHASE_DONE,
    PHASE_WHOLE,
    Framsteg,
    Incumbent,
    Installningar,
    Progress,
    cancel_fn,
    make_solver,
    watch,
)
from bemanning.roster.model import Ctx, build
from bemanning.roster.neighbourhood import NeighbourhoodSearch
from bemanning.roster.problem import RosterProblem, Schema, Tilldelning
from bemanning.roster.soft import Kostnad

log = logging.getLogger("bemanning.roster")

OPTIMAL = "optimal"
FEASIBLE = "lösning"
INFEASIBLE = "omöjlig"
NO_SOLUTION = "ingen lösning"
CANCELLED = "avbruten"


@attrs.define
class Resultat:
    status: str
    schema: Schema | None
    objektiv: int | None
    grans: float | None
    sekunder: float
    ctx: Ctx
    values: list[int] | None = None
    iterationer: int = 0

    @property
    def kostnader(self) -> list[Kostnad]:
        if self.values is None:
            return []
        return self.ctx.objective.breakdown(lambda var: evaluate(var, self.values))

    @property
    def ok(self) -> bool:
        return self.schema is not None

    @property
    def gap_till_grans(self) -> float | None:
        """How far the roster can at most be from the best possible, in per cent of the bound."""
        return gap_to_bound(self.objektiv, self.grans)


def gap_to_bound(cost: float | None, bound: float | None) -> float | None:
    """(cost - bound) / bound in per cent: the roster is at most that much dearer than the best
    possible one (whose cost is at least the bound). None without a cost or a positive bound."""
    if cost is None or bound is None:
        return None
    bound = math.ceil(bound - 1e-6)  # costs are integers
    if bound <= 0:
        return 0.0 if cost <= bound else None
    return max(0.0, 100.0 * (cost - bound) / bound)


#: Above this gap (per cent) the bound says nothing a schemaläggare can use.
GAP_SAYS_SOMETHING = 100.0


def status_text(status: str) -> str:
    """What the solver's status means for the schemaläggare, in words."""
    return {
        OPTIMAL: "bevisat det bästa möjliga schemat",
        FEASIBLE: "ett schema som håller alla hårda regler (inte bevisat det bästa)",
        CANCELLED: "avbrutet, det bästa schemat hittills",
        INFEASIBLE: "inget schema kan hålla alla hårda regler",
        NO_SOLUTION: "inget schema hittades på den tiden",
    }.get(status, status)


def gap_text(gap: float | None) -> str:
    """How far from the best possible the roster can at most be, in words for the user ("" when
    there is no figure). A gap of thousands of per cent says that the bound is weak, not that the
    roster is bad (on the demo the staff's capacity covers the need, and what is left uncovered
    is due to rules the bound does not see), so it is said so instead of as a number."""
    from bemanning.svenska import tal

    if gap is None:
        return ""
    if gap > GAP_SAYS_SOMETHING:
        return "gränsen är för låg för att säga hur nära bästa möjliga schemat ligger"
    return f"högst {tal(gap, 1)} % från bästa möjliga"


def evaluate(var, values: list[int]) -> int:
    """Value of a variable, a negated literal or a constant under a full solution vector."""
    if isinstance(var, int):
        return var
    index = var.index
    if index < 0:
        return 1 - values[-index - 1]
    return values[index]


def _callback_class():
    from ortools.sat.python import cp_model

    class _Callback(cp_model.CpSolverSolutionCallback):
        def __init__(self, on_solution, is_cancelled, stop_at_first: bool = False) -> None:
            super().__init__()
            self.on_solution = on_solution
            self.is_cancelled = is_cancelled
            self.stop_at_first = stop_at_first

        def on_solution_callback(self) -> None:
            self.on_solution(self.objective_value, self.best_objective_bound)
            if self.is_cancelled() or self.stop_at_first:
                self.stop_search()

    return _Callback


def schema_from(ctx: Ctx, values: list[int]) -> Schema:
    problem = ctx.problem
    items = []
    for (p, d, t), var in ctx.x.items():
        if values[var.index]:
            items.append(Tilldelning(problem.personal[p].person_id, d, problem.pass_typer[t].pass_id))
    return Schema.of(items)


def solve(
    problem: RosterProblem,
    settings: Installningar | None = None,
    *,
    progress: Callable[[Framsteg], None] | None = None,
    cancel=None,
    hint: Schema | None = None,
    prepare: Callable[[Ctx], None] | None = None,
    ctx: Ctx | None = None,
) -> Resultat:
    """Solve a roster problem. `prepare(ctx)` may add terms (e.g. a change penalty) first;
    `hint` is a roster to start from (else one is constructed); `cancel` a threading.Event or a
    callable: when it goes up the best roster so far is returned with status `avbruten`."""
    return _Solve(problem, settings or Installningar(), progress, cancel_fn(cancel)).run(
        hint, prepare, ctx)


class _Solve:
    """One call of `solve`: the settings, the clock, the cancel flag and the progress figures."""

    def __init__(self, problem: RosterProblem, settings: Installningar,
                 progress: Callable[[Framsteg], None] | None,
                 is_cancelled: Callable[[], bool]) -> None:
        self.problem = problem
        self.settings = settings
        self.is_cancelled = is_cancelled
        self.began = time.monotonic()
        # with `deterministisk` the time limit is on the work done (`elapsed`); the clock is
        # only a safety net, `deterministisk_vakt` times as long
        self.deterministic = settings.deterministisk
        self.wall_deadline = self.began + settings.time_limit_s * (
            settings.deterministisk_vakt if self.deterministic else 1.0)
        self.deadline = self.wall_deadline  # the clock's limit (the search's `until`)
        self.work = 0.0  # deterministic seconds spent so far (`deterministisk`)
        self.progress = Progress(progress, self.began)
        self.capacity: float | None = None  # the bound from the staff's capacity (`capacity.py`)

    def elapsed(self) -> float:
        """Seconds of the time limit used: by the clock, or with `deterministisk` the
        deterministic time of every solve so far over `det_rate` times `workers` (the
        construction of the start and the completion of its roster not counted)."""
        if self.deterministic:
            return self.work
        return time.monotonic() - self.began

    def remaining(self) -> float:
        left = self.settings.time_limit_s - self.elapsed()
        if self.deterministic:
            return min(left, self.wall_deadline - time.monotonic())
        return left

    def _spent(self, solver) -> None:  # noqa: ANN001
        """Count a whole-model solve's deterministic time (`deterministisk`)."""
        self.work += solver.deterministic_time / (
            self.settings.det_rate * max(1, self.settings.workers))

    def run(self, hint: Schema | None, prepare: Callable[[Ctx], None] | None,
            ctx: Ctx | None) -> Resultat:
        # the bound from the rows is a bound for the problem's own model only (a model from the
        # caller, or terms added to it, may cost less)
        self.plain_model = ctx is None and prepare is None
        own_model = ctx is None
        if ctx is None:
            ctx = self._model(prepare)
        self.capacity = self._capacity_bound(ctx) if own_model else None
        if self.capacity is not None:
            self.progress.bound = self.capacity
        start = self._start(ctx, hint)
        log.info("modell: %d variabler, %d villkor", len(ctx.model.proto.variables),
                 len(ctx.model.proto.constraints))
        found = self._whole_model(ctx, start)
        if isinstance(found, str):
            return Resultat(found, None, None, None, time.monotonic() - self.began, ctx)
        capacity = self.capacity
        if capacity is not None and found.bound < capacity <= found.cost + 1e-6:
            # a roster whose cost reaches the bound is optimal: the search stops there
            found = attrs.evolve(found, bound=capacity)
        best, iterations = self._improve(ctx, found)
        return self._result(ctx, best, iterations)

    # -- 1. the model -------------------------------------------------------------------------

    def _model(self, prepare: Callable[[Ctx], None] | None) -> Ctx:
        ctx = build(self.problem)
        if prepare is not None:
            prepare(ctx)
            ctx.model.minimize(ctx.objective.expression())
        return ctx

    # -- 2. a start ---------------------------------------------------------------------------

    def _start(self, ctx: Ctx, hint: Schema | None) -> list[int] | None:
        """Give CP-SAT a roster to start from; its full solution vector when it keeps every hard
        rule of the model (a roster to fall back on), else None."""
        settings, problem = self.settings, self.problem
        if hint is None and settings.konstruktion:
            # each row is bounded by CP-SAT's deterministic time (`construct.DET_PER_ROW`); the
            # seconds are a safety net. The rows of the first round are solved within
            # `konstruktion_andel` of the time, the rest copied from rows already placed (a short
            # limit still gives a roster in about that time); the rounds after it, which
            # solve each row again against the others, start only within the same share
            # of the time (each one is about as dear as the first), on large models only: there
            # a neighbourhood of the whole model costs ten times a row (on smaller ones, such as
            # Curtois 8–12, the neighbourhood search has the time as before)
            per_person = max(0.05, min(1.0, settings.time_limit_s * 0.2
                                       / max(1, len(problem.personal))))
            large = len(ctx.model.proto.variables) >= settings.stor_modell
            share = settings.konstruktion_andel * (
                settings.deterministisk_vakt if self.deterministic else 1.0)
            hint = construct(problem, seconds_per_person=per_person, seed=settings.seed,
                             is_cancelled=self.is_cancelled, workers=settings.workers,
                             sweeps=settings.konstruktion_varv if large else 0,
                             until=self.began + settings.time_limit_s * share,
                             deadline=self.began + settings.time_limit_s * share)
        if hint is None:
            return None
        model = ctx.model
        full = self._complete(ctx, hint)
        if full is not None:
            _hint_all(model, full)
        else:
            wanted = hint.as_set()
            for (p, d, t), var in ctx.x.items():
                key = (problem.personal[p].person_id, d, problem.pass_typer[t].pass_id)
                model.add_hint(var, key in wanted)
        return full

    def _complete(self, ctx: Ctx, hint: Schema) -> list[int] | None:
        """The full solution vector of a roster (every auxiliary variable too), or None when the
        roster breaks a hard rule of the full model."""
        from ortools.sat.python import cp_model

        problem = ctx.problem
        wanted = hint.as_set()
        sub = ctx.model.clone()
        sub.clear_hints()
        variables = sub.proto.variables
        for (p, d, t), var in ctx.x.items():
            value = int((problem.personal[p].person_id, d, problem.pass_typer[t].pass_id) in wanted)
            dom = variables[var.index].domain
            dom[0] = value
            dom[1] = value
        solver = make_solver(self.settings, 5.0, 1, self.settings.seed)
        with watch(solver, self.is_cancelled):
            status = solver.solve(sub)
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            log.info("startschemat kostar %s", round(solver.objective_value))
            return list(solver.response_proto.solution)
        log.info("startschemat bryter mot en hård regel i hela modellen (%s)",
                 solver.status_name(status))
        return None

    # -- 3. the whole model -------------------------------------------------------------------

    def _whole_model(self, ctx: Ctx, start: list[int] | None) -> Incumbent | str:
        """CP-SAT on the whole model for the first share of the time: the best roster, or the
        final status when there is none."""
        from ortools.sat.python import cp_model

        settings = self.settings
        share = settings.forsta_andel
        if len(ctx.x) < settings.liten_modell:
            share = max(share, 0.5)  # small models: CP-SAT's own portfolio is strong there
        first = settings.time_limit_s if not settings.lns else max(
            min(settings.time_limit_s, 2.0), settings.time_limit_s * share)
        if start is not None and settings.lns \
                and len(ctx.model.proto.variables) >= settings.stor_modell:
            # a large model from a constructed start goes straight to the search: CP-SAT on the
            # whole model found nothing better than the start in 4 s on the demo (27 000
            # variables) and ended UNKNOWN with the bound 0 after 4,6 s on Curtois 13 (55 000)
            # on an idle machine, time in which the search now improves by thousands; the
            # bound comes from the whole-model slices between the search's
            log.info("fas 1 hoppas över (stor modell med startschema)")
            return self._start_incumbent(ctx, start)
        if start is not None:
            # with a roster to fall back on, never past the time limit (the construction may
            # have taken longer than its share on a busy machine)
            first = max(0.5, min(first, self.remaining()))
        solver, status = self._solve_whole(ctx, first, settings.seed)
        log.info("fas 1: %s, mål %s, gräns %s efter %.1f s", solver.status_name(status),
                 solver.objective_value if _found(status) else "-",
                 solver.best_objective_bound, time.monotonic() - self.began)
        if status in (cp_model.INFEASIBLE, cp_model.MODEL_INVALID):
            return INFEASIBLE
        if _found(status):
            return _incumbent(solver, status)
        if start is not None:
            # nothing found in time, but the constructed roster keeps every rule
            return self._start_incumbent(ctx, start)
        if self.is_cancelled():
            return CANCELLED
        remaining = self.remaining()
        if remaining <= 0.5:
            return NO_SOLUTION
        # the rest of the time, up to the first roster when the neighbourhoods are to go on
        solver, status = self._solve_whole(ctx, remaining, settings.seed + 1,
                                           stop_at_first=settings.lns)
        if status == cp_model.INFEASIBLE:
            return INFEASIBLE
        if not _found(status):
            return CANCELLED if self.is_cancelled() else NO_SOLUTION
        return _incumbent(solver, status)

    @staticmethod
    def _start_incumbent(ctx: Ctx, start: list[int]) -> Incumbent:
        cost = sum(t.coef * evaluate(t.var, start) for t in ctx.objective.terms)
        return Incumbent(start, cost, 0.0)

    def _solve_whole(self, ctx: Ctx, seconds: float, seed: int, stop_at_first: bool = False):
        settings = self.settings
        solver = make_solver(settings, seconds, settings.helarbetare or settings.workers, seed,
                             wall_limit=max(0.05, self.wall_deadline - time.monotonic()))
        callback = _callback_class()(
            lambda cost, bound: self.progress.solution(cost, bound, PHASE_WHOLE),
            self.is_cancelled, stop_at_first)
        cpu = time.process_time()
        with watch(solver, self.is_cancelled):
            status = solver.solve(ctx.model, callback)
        self._spent(solver)
        log.info("hela modellen: %.2f deterministisk tid, %.1f s CPU, %.1f s",
                 solver.deterministic_time, time.process_time() - cpu, solver.wall_time)
        return solver, status

    # -- 4. improvement -----------------------------------------------------------------------

    def _improve(self, ctx: Ctx, best: Incumbent) -> tuple[Incumbent, int]:
        """Neighbourhood slices and whole-model slices in turn until the time is up, the roster
        is proven optimal or the search is cancelled; (best roster, neighbourhoods solved)."""
        settings = self.settings
        self.progress.best, self.progress.bound = best.cost, best.bound
        if not settings.lns:
            return best, 0
        local = settings.lns_skiva
        # mid-size models: the whole-model slices get time by what they take per second
        # against the neighbourhoods (`WholePacing`); small ones (CP-SAT's portfolio is strong
        # there) as before. On a large model a whole-model slice stays short (it keeps the bound
        # up to date): on Curtois 13 two slices of 5 and 7,5 s took 18 and 132 off the cost on
        # an idle machine while the neighbourhoods took thousands in the rest of the time
        large = len(ctx.model.proto.variables) >= settings.stor_modell
        if large:
            pacing = WholePacing(min(settings.hel_skiva, max(
                STOR_HEL_SKIVA_MIN_S, STOR_HEL_SKIVA_ANDEL * settings.time_limit_s)), fixed=True)
        else:
            pacing = WholePacing(settings.hel_skiva, paced=len(ctx.x) >= settings.liten_modell)
        if best.closed or self.is_cancelled() or self.remaining() <= 0.5:
            # no search to set up (on the demo's norr that alone took 2–4 s: the sub-models'
            # index of the whole model), so a short time limit is kept
            return best, 0
        # neighbourhood sizes and the random stream carry over from one slice to the next (a
        # fresh start each slice would repeat the same small neighbourhoods)
        search = NeighbourhoodSearch(ctx, settings, self.is_cancelled, self.progress,
                                     random.Random(settings.seed))
        while not best.closed and not self.is_cancelled() and self.remaining() > 0.5:
            before, began = best.cost, self.elapsed()
            if self.deterministic:
                best = search.improve(best, until=self.wall_deadline,
                                      budget=min(local, self.remaining()))
                self.work += search.slice_work
            else:
                best = search.improve(best, until=min(self.deadline, time.monotonic() + local))
            pacing.local(before - best.cost, self.elapsed() - began)
            local = (min(4 * settings.lns_skiva, local * 1.5) if best.cost < before
                     else max(2.0, local / 2))
            remaining = self.remaining()
            if pacing.seconds <= 0 or remaining < 1.0 or self.is_cancelled() \
                    or not pacing.due():
                continue
            before, began = best.cost, self.elapsed()
            best, better = self._whole_slice(ctx, best, min(pacing.seconds, remaining),
                                             settings.seed + search.iterations)
            pacing.whole(better, before - best.cost, self.elapsed() - began)
            self.progress.bound = best.bound
        if search.iterations:
            log.info("grannskapen: %.1f deterministisk tid på %.1f s, %.1f s CPU (%.2f per "
                     "CPU-sekund)", search.det_total, search.wall_total, search.cpu_total,
                     search.det_total / max(1e-9, search.cpu_total))
            log.info("grannskap per sort (dragna/förbättrade, poäng): %s", ", ".join(
                f"{k} {search.drawn[k]}/{search.improved[k]} {search.scores[k]:.2f}"
                for k in search.drawn if search.drawn[k]))
            log.info("luckor per passtyp (dragna, poäng): %s", ", ".join(
                f"{self.problem.pass_typer[t].pass_id} {n} {search.type_scores[t]:.2f}"
                for t, n in sorted(search.type_drawn.items())))
        return best, search.iterations

    def _whole_slice(self, ctx: Ctx, best: Incumbent, seconds: float,
                     seed: int) -> tuple[Incumbent, bool | None]:
        """CP-SAT on the whole model from the best roster: (best roster, whether it found a
        better one; None when it found none at all)."""
        from ortools.sat.python import cp_model

        _hint_all(ctx.model, best.values)
        solver, status = self._solve_whole(ctx, seconds, seed)
        if not _found(status):
            return best, None
        cost = round(solver.objective_value)
        bound = max(best.bound, solver.best_objective_bound)
        proven = status == cp_model.OPTIMAL and cost <= best.cost
        if cost < best.cost:
            log.info("hela modellen: %d", cost)
            return Incumbent(list(solver.response_proto.solution), cost, bound, proven), True
        return attrs.evolve(best, bound=bound, proven=proven), False

    # -- 5. the result ------------------------------------------------------------------------

    def _capacity_bound(self, ctx: Ctx) -> float | None:
        """The bound from the staff's capacity against the coverage (`capacity.py`): valid for
        a model built here from the problem with every rule, when no cost term of the model
        (also those `prepare` added) can go below zero."""
        from bemanning.roster.capacity import coverage_bound

        proto = ctx.model.proto
        for term in ctx.objective.terms:
            if isinstance(term.var, int):
                low = term.var
            elif term.var.index < 0:  # a negated literal: 0 or 1
                low = 0
            else:
                low = proto.variables[term.var.index].domain[0]
            if term.coef < 0 or low < 0:
                log.info("kapacitetsgräns: en kostnad kan bli under noll, ingen gräns")
                return None
        try:
            return coverage_bound(self.problem)
        except Exception:  # noqa: BLE001 - a bound is a help, never a reason to fail the solve
            log.warning("kapacitetsgränsen kunde inte beräknas", exc_info=True)
            return None

    def _result(self, ctx: Ctx, best: Incumbent, iterations: int) -> Resultat:
        best = self._row_bound(ctx, best)
        capacity = self.capacity
        if capacity is not None and capacity > best.bound:
            if capacity > best.cost + 1e-6:  # cannot happen for a valid bound: never show it
                log.warning("kapacitetsgränsen (%.1f) är över schemats kostnad (%d); visas inte",
                            capacity, best.cost)
            else:
                best = attrs.evolve(best, bound=capacity)
        if self.progress.bound is None or best.bound > self.progress.bound:
            self.progress.bound = best.bound
        final = OPTIMAL if best.closed else (CANCELLED if self.is_cancelled() else FEASIBLE)
        result = Resultat(final, schema_from(ctx, best.values), best.cost, best.bound,
                          time.monotonic() - self.began, ctx, best.values, iterations)
        log.info("klart: %s, mål %s, gräns %s, %d grannskap, %.1f s (%.1f s deterministisk tid "
                 "genom det_rate)", final, best.cost, best.bound, iterations, result.sekunder,
                 self.work)
        self.progress.send(self.progress.snapshot(PHASE_DONE))
        return result


    def _row_bound(self, ctx: Ctx, best: Incumbent) -> Incumbent:
        """The better of CP-SAT's bound and the bound from the people's rows on their own
        (`bound.lagrange_bound`), on small models only and for a short time after the search
        (`rad_grans_andel` of the time, at most `RAD_GRANS_MAX_S` and `RAD_GRANS_VARV` rounds;
        `[schema.losare] rad_grans_andel` in bemanning.toml, off unless set there)."""
        from bemanning.roster.bound import lagrange_bound

        settings = self.settings
        seconds = min(RAD_GRANS_MAX_S, settings.time_limit_s * settings.rad_grans_andel)
        if best.closed or seconds <= 0 or not self.plain_model or self.is_cancelled() \
                or len(ctx.x) >= settings.liten_modell:
            return best
        try:
            rows = lagrange_bound(self.problem, seconds, workers=settings.workers,
                                  upper=best.cost, seed=settings.seed,
                                  max_rounds=RAD_GRANS_VARV, is_cancelled=self.is_cancelled)
        except ValueError:  # a cost below zero: the rows give no valid bound
            return best
        if rows is None or rows <= best.bound:
            return best
        if rows > best.cost + 1e-6:  # cannot happen for a valid bound: never show it
            log.warning("gränsen ur raderna (%.1f) är över schemats kostnad (%d); visas inte",
                        rows, best.cost)
            return best
        return attrs.evolve(best, bound=rows)


# a whole-model slice on a large model (from `stor_modell` variables): this share of the time,
# at least this many seconds, never longer however much it finds
STOR_HEL_SKIVA_ANDEL = 0.05
STOR_HEL_SKIVA_MIN_S = 2.0


@attrs.define
class WholePacing:
    """How long the next whole-model slice is, and whether it is due after a neighbourhood
    slice.

    Unpaced (small models), as before: a slice after every neighbourhood slice, 1.5 times
    longer after one that found a better roster, half as long (at least 2 s) after one that
    found none better. Fixed (large models): a slice after every neighbourhood slice, always
    `base` long.

    Paced (mid-size models): a whole-model slice keeps its time only while it takes at least as
    much off the cost per second as the neighbourhood slices since the last whole-model slice.
    One that takes less (or nothing) makes the next one half as long (at least `SHORTEST_S`)
    and come after twice as many neighbourhood slices (at most `MOST_BETWEEN`); so when the
    neighbourhoods slow down below it, it gets its time back. On Curtois 12, 14, 15 and 16
    the whole-model slices took 1–100 off in 5–17 s where the neighbourhoods took 100–300 per
    second, a third of the time after phase 1.
    """

    base: float
    paced: bool = False
    fixed: bool = False
    seconds: float = attrs.field(init=False)
    between: int = 1  # neighbourhood slices before the next whole-model slice
    _gain: float = 0.0  # taken off by the neighbourhood slices since the last whole-model slice
    _spent: float = 0.0
    _waited: int = 0

    SHORTEST_S = 2.0
    MOST_BETWEEN = 8

    def __attrs_post_init__(self) -> None:
        self.seconds = self.base

    def local(self, gain: float, seconds: float) -> None:
        """A neighbourhood slice took `gain` off the cost in `seconds`."""
        self._gain += max(0.0, gain)
        self._spent += max(0.0, seconds)
        self._waited += 1

    def due(self) -> bool:
        return not self.paced or self._waited >= self.between

    def whole(self, better: bool | None, gain: float, seconds: float) -> None:
        """A whole-model slice: `better` whether it found a better roster (None: no roster at
        all), `gain` what it took off the cost in `seconds`."""
        if self.fixed:
            return
        if not self.paced:
            if better is not None:
                self.seconds = (min(4 * self.base, self.seconds * 1.5) if better
                                else max(self.SHORTEST_S, self.seconds / 2))
            return
        local_rate = self._gain / self._spent if self._spent > 0 else 0.0
        rate = gain / seconds if seconds > 0 else 0.0
        if better and gain > 0 and rate >= local_rate:
            self.seconds = min(4 * self.base, self.seconds * 1.5)
            self.between = 1
        else:
            self.seconds = max(self.SHORTEST_S, self.seconds / 2)
            self.between = min(self.MOST_BETWEEN, 2 * self.between)
        self._gain = self._spent = 0.0
        self._waited = 0

# the bound from the rows after the search on small models: at most this long and this many rounds
RAD_GRANS_MAX_S = 2.0
RAD_GRANS_VARV = 10


def _found(status) -> bool:  # noqa: ANN001
    from ortools.sat.python import cp_model

    return status in (cp_model.OPTIMAL, cp_model.FEASIBLE)


def _incumbent(solver, status) -> Incumbent:  # noqa: ANN001
    from ortools.sat.python import cp_model

    return Incumbent(list(solver.response_proto.solution), round(solver.objective_value),
                     solver.best_objective_bound, status == cp_model.OPTIMAL)


def _hint_all(model, values: list[int]) -> None:  # noqa: ANN001
    """Every variable of the model hinted to its value in `values`."""
    model.clear_hints()
    model.proto.solution_hint.vars.extend(range(len(values)))
    model.proto.solution_hint.values.extend(values)
