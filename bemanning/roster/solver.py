"""Solving: CP-SAT on the whole model first, then a neighbourhood search of our own.

`solve` goes in steps (`_Solve.run`):

1. the model: every rule module adds its variables, constraints and costs (`model.build`);
2. a start: a roster built person by person (`construct.py`), completed to a full solution of
   the model and given to CP-SAT as hint;
3. the whole model: CP-SAT on the full model for a share of the time;
4. improvement, unless that proved the roster optimal: slices of our neighbourhood search
   (`neighbourhood.py`) take turns with slices of CP-SAT on the whole model from the best
   roster; each kind gets more time while it pays and less when it does not;
5. the result: the roster, its cost, the bound and a status.

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

from bemanning.roster.construct import construct, construct_again
from bemanning.roster.cpsat import (
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
        self.deadline = self.began + settings.time_limit_s
        self.progress = Progress(progress, self.began)
        # the construction's rounds after the first one, run in turn with the neighbourhood
        # search by the hand-over rule (`HandOver`); large models from a constructed start only
        self.rounds = False
        self.per_person = 0.5
        self.first_round_s = 0.0

    def remaining(self) -> float:
        return self.deadline - time.monotonic()

    def run(self, hint: Schema | None, prepare: Callable[[Ctx], None] | None,
            ctx: Ctx | None) -> Resultat:
        # the bound from the rows is a bound for the problem's own model only (a model from the
        # caller, or terms added to it, may cost less)
        self.plain_model = ctx is None and prepare is None
        if ctx is None:
            ctx = self._model(prepare)
        start = self._start(ctx, hint)
        log.info("modell: %d variabler, %d villkor", len(ctx.model.proto.variables),
                 len(ctx.model.proto.constraints))
        found = self._whole_model(ctx, start)
        if isinstance(found, str):
            return Resultat(found, None, None, None, time.monotonic() - self.began, ctx)
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
            # seconds are a safety net. The first round always ends; the rounds after it, which
            # solve each row again against the others, run on large models only (there a
            # neighbourhood of the whole model costs ten times a row; on smaller ones, such as
            # Curtois 8–12, the neighbourhood search has the time as before), in turn with the
            # neighbourhood search as long as they pay more per second (`_improve`)
            self.per_person = max(0.05, min(1.0, settings.time_limit_s * 0.2
                                            / max(1, len(problem.personal))))
            began = time.monotonic()
            hint = construct(problem, seconds_per_person=self.per_person, seed=settings.seed,
                             is_cancelled=self.is_cancelled, workers=settings.workers)
            self.first_round_s = time.monotonic() - began
            self.rounds = (hint is not None and settings.konstruktion_varv > 0
                           and len(ctx.model.proto.variables) >= settings.varv_fran)
        if hint is None:
            return None
        model = ctx.model
        full = self._complete(ctx, hint, "startschemat")
        if full is not None:
            _hint_all(model, full)
        else:
            wanted = hint.as_set()
            for (p, d, t), var in ctx.x.items():
                key = (problem.personal[p].person_id, d, problem.pass_typer[t].pass_id)
                model.add_hint(var, key in wanted)
        return full

    def _complete(self, ctx: Ctx, hint: Schema, what: str = "schemat") -> list[int] | None:
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
            log.info("%s kostar %s", what, round(solver.objective_value))
            return list(solver.response_proto.solution)
        log.info("%s bryter mot en hård regel i hela modellen (%s)", what,
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
        if start is not None:
            if self.rounds and settings.lns:
                # the construction's rounds and the search go on from the start: phase 1 gave
                # nothing in 3 s (5 s with the model's presolve under load) on Curtois 13 and
                # the demo in every run logged (UNKNOWN, bound 0); the whole-model slices after
                # the rounds still give a bound
                log.info("fas 1 hoppas över: stor modell med konstruerat startschema")
                return Incumbent(start, _cost(ctx, start), 0.0)
            if len(ctx.model.proto.variables) >= settings.stor_modell:
                # a large model from a constructed start: CP-SAT on the whole model found
                # nothing better than the start in 4 s on the demo (27 000 variables)
                first = min(first, max(1.0, 0.05 * settings.time_limit_s))
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
            return Incumbent(start, _cost(ctx, start), 0.0)
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

    def _solve_whole(self, ctx: Ctx, seconds: float, seed: int, stop_at_first: bool = False):
        settings = self.settings
        solver = make_solver(settings, seconds, settings.helarbetare or settings.workers, seed)
        callback = _callback_class()(
            lambda cost, bound: self.progress.solution(cost, bound, "hela modellen"),
            self.is_cancelled, stop_at_first)
        with watch(solver, self.is_cancelled):
            status = solver.solve(ctx.model, callback)
        return solver, status

    # -- 4. improvement -----------------------------------------------------------------------

    def _improve(self, ctx: Ctx, best: Incumbent) -> tuple[Incumbent, int]:
        """Neighbourhood slices and whole-model slices in turn until the time is up, the roster
        is proven optimal or the search is cancelled; (best roster, neighbourhoods solved).

        On a large model from a constructed start the construction's rounds take part too: the
        hand-over rule (`HandOver`) gives the next turn to a round or to the neighbourhood
        search by what each took off the cost per second the last time it ran (the first slice
        of the search, a third as long as the round before it, measures the search's rate)."""
        settings = self.settings
        self.progress.best, self.progress.bound = best.cost, best.bound
        if not settings.lns:
            return best, 0
        # neighbourhood sizes and the random stream carry over from one slice to the next (a
        # fresh start each slice would repeat the same small neighbourhoods)
        search = NeighbourhoodSearch(ctx, settings, self.is_cancelled, self.progress,
                                     random.Random(settings.seed))
        local, whole = settings.lns_skiva, settings.hel_skiva
        rule = HandOver() if self.rounds else None
        round_s = self.first_round_s
        sweep = 1  # the construction's round to come (the first one made the start)
        last_round = self.began + settings.time_limit_s * settings.konstruktion_andel
        while not best.closed and not self.is_cancelled() and self.remaining() > 0.5:
            rounds_left = (rule is not None and sweep <= settings.konstruktion_varv
                           and time.monotonic() < last_round)
            if rounds_left and rule.next_is_round():
                began, before = time.monotonic(), best.cost
                best = self._round(ctx, best, sweep)
                sweep += 1
                round_s = time.monotonic() - began
                rule.record_round(before - best.cost, round_s)
                continue
            began, before = time.monotonic(), best.cost
            seconds, probe = local, rounds_left and rule.search_rate is None
            if probe:
                # the probe: a third of a round (on the demo's norr the rounds took off a
                # hundred times more per second than the search from the first rounds' roster,
                # a probe as long as a round cost a round)
                seconds = min(local, max(PROBE_MIN_S, round_s * PROBE_SHARE))
            best = search.improve(best, until=min(self.deadline, began + seconds))
            if rule is not None:
                rule.record_search(before - best.cost, time.monotonic() - began)
            if not probe:
                local = (min(4 * settings.lns_skiva, local * 1.5) if best.cost < before
                         else max(2.0, local / 2))
            remaining = self.remaining()
            if whole <= 0 or remaining < 1.0 or self.is_cancelled():
                continue
            if rounds_left and rule.next_is_round():
                continue  # a round next: the whole model waits until the rounds have handed over
            best, better = self._whole_slice(ctx, best, min(whole, remaining),
                                             settings.seed + search.iterations)
            if better is not None:
                whole = (min(4 * settings.hel_skiva, whole * 1.5) if better
                         else max(2.0, whole / 2))
            self.progress.bound = best.bound
        if rule is not None:
            log.info("konstruktionens varv: %d efter det första; per sekund senast: varv %s, "
                     "grannskap %s", sweep - 1, _rate(rule.round_rate), _rate(rule.search_rate))
        if search.iterations:
            log.info("grannskap per sort (dragna/förbättrade, poäng): %s", ", ".join(
                f"{k} {search.drawn[k]}/{search.improved[k]} {search.scores[k]:.2f}"
                for k in search.drawn if search.drawn[k]))
        return best, search.iterations

    def _round(self, ctx: Ctx, best: Incumbent, sweep: int) -> Incumbent:
        """One round of the construction from the best roster: every row solved again against
        all the others; the roster it gives when it costs less in the whole model."""
        settings = self.settings
        began = time.monotonic()
        again = construct_again(self.problem, schema_from(ctx, best.values), sweep,
                                seconds_per_person=self.per_person, seed=settings.seed,
                                is_cancelled=self.is_cancelled, workers=settings.workers,
                                until=self.deadline - 0.5)
        if again is None:
            return best
        rows_s = time.monotonic() - began
        full = self._complete(ctx, again, f"varv {sweep + 1}")
        if full is None:
            return best
        cost = _cost(ctx, full)
        log.info("varv %d: %d -> %d på %.1f s (raderna %.1f s)", sweep + 1, best.cost, cost,
                 time.monotonic() - began, rows_s)
        if cost >= best.cost:
            return best
        self.progress.best = cost
        self.progress.send(self.progress.snapshot("konstruktion"))
        return Incumbent(full, cost, best.bound)

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

    def _result(self, ctx: Ctx, best: Incumbent, iterations: int) -> Resultat:
        best = self._row_bound(ctx, best)
        if self.progress.bound is None or best.bound > self.progress.bound:
            self.progress.bound = best.bound
        final = OPTIMAL if best.closed else (CANCELLED if self.is_cancelled() else FEASIBLE)
        result = Resultat(final, schema_from(ctx, best.values), best.cost, best.bound,
                          time.monotonic() - self.began, ctx, best.values, iterations)
        log.info("klart: %s, mål %s, gräns %s, %d grannskap, %.1f s", final, best.cost,
                 best.bound, iterations, result.sekunder)
        self.progress.send(self.progress.snapshot("klart"))
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


# the first slice of the search that measures its rate for the hand-over rule (`HandOver`): this
# share of the round before it, at least this many seconds
PROBE_SHARE = 1 / 3
PROBE_MIN_S = 2.0

# the bound from the rows after the search on small models: at most this long and this many rounds
RAD_GRANS_MAX_S = 2.0
RAD_GRANS_VARV = 10


@attrs.define
class HandOver:
    """When the construction's rounds hand over to the neighbourhood search: each takes its
    next turn by what it took off the cost per second, the round in its last turn, the search
    over its slices with each older slice counting half as much as the one after it (so that one
    slice that found nothing does not make a round look better than a search that keeps
    paying). A round runs first (the second round took off 14–38 % of the first round's
    uncovered cost on the demo), then a short slice of the search (a third as long as that
    round), so that both have a rate; after that a round runs as long as the last round paid
    more per second than the search; a tie goes to the search. A round that took nothing off
    has rate 0 and never comes back; one that lost comes back when the search has slowed down
    below it."""

    round_rate: float | None = None
    _gain: float = 0.0  # what the search took off, older slices halved each time, and in how long
    _seconds: float = 0.0

    @property
    def search_rate(self) -> float | None:
        return self._gain / self._seconds if self._seconds > 0 else None

    def next_is_round(self) -> bool:
        if self.round_rate is None:
            return True
        return self.search_rate is not None and self.round_rate > self.search_rate

    def record_round(self, gain: float, seconds: float) -> None:
        self.round_rate = max(0.0, gain) / max(seconds, 1e-3)

    def record_search(self, gain: float, seconds: float) -> None:
        self._gain = self._gain / 2 + max(0.0, gain)
        self._seconds = self._seconds / 2 + max(seconds, 1e-3)


def _rate(rate: float | None) -> str:
    return "-" if rate is None else f"{rate:.1f}"


def _cost(ctx: Ctx, values: list[int]) -> int:
    return sum(t.coef * evaluate(t.var, values) for t in ctx.objective.terms)


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
