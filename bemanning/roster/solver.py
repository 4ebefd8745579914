"""Solving: CP-SAT on the whole model first, then a neighbourhood search of our own.

Phase 1 runs CP-SAT on the full model for a share of the time (all `workers`). If that has not
proved optimality, phase 2 repeatedly frees a neighbourhood — some people's whole rows, a
window of days for everybody, or some people over a window — fixes every other pass to the
current roster, and re-solves that small model with the current roster as hint. Better (or
equal) rosters are kept. The time limit, the number of workers and the seed are settings; a
cancel flag and a progress callback (best objective, bound, elapsed) serve the TUI. Solver logs
go to the logger `bemanning.roster`, never to stdout.
"""

from __future__ import annotations

import logging
import math
import random
import threading
import time
from collections import defaultdict
from collections.abc import Callable

import attrs

from bemanning.roster.construct import construct
from bemanning.roster.cpsat import Installningar, cancel_fn, make_solver, watch
from bemanning.roster.model import Ctx, build
from bemanning.roster.problem import RosterProblem, Schema, Tilldelning
from bemanning.roster.soft import Kostnad

log = logging.getLogger("bemanning.roster")

OPTIMAL = "optimal"
FEASIBLE = "lösning"
INFEASIBLE = "omöjlig"
NO_SOLUTION = "ingen lösning"
CANCELLED = "avbruten"


@attrs.frozen
class Framsteg:
    sekunder: float
    basta: float | None
    grans: float | None
    losningar: int
    fas: str


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
    """Solve a roster problem. `prepare(ctx)` may add terms (e.g. a change penalty) first."""
    from ortools.sat.python import cp_model

    settings = settings or Installningar()
    is_cancelled = cancel_fn(cancel)
    began = time.monotonic()
    deadline = began + settings.time_limit_s
    if ctx is None:
        ctx = build(problem)
        if prepare is not None:
            prepare(ctx)
            ctx.model.minimize(ctx.objective.expression())
    model = ctx.model
    if hint is None and settings.konstruktion:
        per_person = max(0.3, min(1.0, settings.time_limit_s * 0.2 / max(1, len(problem.personal))))
        hint = construct(problem, seconds_per_person=per_person, seed=settings.seed,
                         is_cancelled=is_cancelled)
    full = None
    if hint is not None:
        full = _complete(ctx, hint, settings)
        if full is not None:
            model.clear_hints()
            model.proto.solution_hint.vars.extend(range(len(full)))
            model.proto.solution_hint.values.extend(full)
        else:
            wanted = hint.as_set()
            for (p, d, t), var in ctx.x.items():
                key = (problem.personal[p].person_id, d, problem.pass_typer[t].pass_id)
                model.add_hint(var, key in wanted)
    log.info("modell: %d variabler, %d villkor", len(model.proto.variables),
             len(model.proto.constraints))
    state = {"best": None, "bound": None, "count": 0}

    def report(phase: str) -> None:
        if progress is not None:
            progress(Framsteg(time.monotonic() - began, state["best"], state["bound"],
                              state["count"], phase))

    def on_solution(obj: float, bound: float) -> None:
        if state["best"] is None or obj < state["best"]:
            state["best"] = obj
        state["bound"] = bound
        state["count"] += 1
        report("hela modellen")

    share = settings.forsta_andel
    if len(ctx.x) < settings.liten_modell:
        share = max(share, 0.5)  # small models: CP-SAT's own portfolio is strong there
    first = settings.time_limit_s if not settings.lns else max(
        min(settings.time_limit_s, 2.0), settings.time_limit_s * share)
    whole_workers = settings.helarbetare or settings.workers
    solver = make_solver(settings, first, whole_workers, settings.seed)
    callback = _callback_class()(on_solution, is_cancelled)
    with watch(solver, is_cancelled):
        status = solver.solve(model, callback)
    name = solver.status_name(status)
    log.info("fas 1: %s, mål %s, gräns %s efter %.1f s", name,
             solver.objective_value if status in (cp_model.OPTIMAL, cp_model.FEASIBLE) else "-",
             solver.best_objective_bound, time.monotonic() - began)
    if status == cp_model.INFEASIBLE or status == cp_model.MODEL_INVALID:
        return Resultat(INFEASIBLE, None, None, None, time.monotonic() - began, ctx)
    bound = solver.best_objective_bound
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE) and full is not None:
        # phase 1 found nothing in time, but the constructed roster keeps every rule
        values = full
        best = sum(t.coef * evaluate(t.var, full) for t in ctx.objective.terms)
        bound = 0.0
    elif status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        if is_cancelled():
            return Resultat(CANCELLED, None, None, None, time.monotonic() - began, ctx)
        remaining = deadline - time.monotonic()
        if remaining <= 0.5:
            return Resultat(NO_SOLUTION, None, None, None, time.monotonic() - began, ctx)
        solver = make_solver(settings, remaining, whole_workers, settings.seed + 1)
        callback = _callback_class()(on_solution, is_cancelled, stop_at_first=settings.lns)
        with watch(solver, is_cancelled):
            status = solver.solve(model, callback)
        if status == cp_model.INFEASIBLE:
            return Resultat(INFEASIBLE, None, None, None, time.monotonic() - began, ctx)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            final = CANCELLED if is_cancelled() else NO_SOLUTION
            return Resultat(final, None, None, None, time.monotonic() - began, ctx)
        bound = solver.best_objective_bound
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        values = list(solver.response_proto.solution)
        best = round(solver.objective_value)
    state["best"], state["bound"] = best, bound
    iterations = 0
    proven = status == cp_model.OPTIMAL
    whole = settings.hel_skiva
    local = settings.lns_skiva
    # neighbourhood sizes and the random stream carry over from one slice to the next (a fresh
    # start each slice would repeat the same small neighbourhoods)
    shares = dict(START_SHARES)
    rng = random.Random(settings.seed)
    while (not proven and settings.lns and not is_cancelled()
           and deadline - time.monotonic() > 0.5 and best > math.ceil(bound - 1e-6)):
        # time slices: our neighbourhoods, then CP-SAT on the whole model from the best roster
        slice_end = min(deadline, time.monotonic() + local)
        before = best
        values, best, n = _lns(ctx, settings, values, best, bound, slice_end, is_cancelled,
                               state, report, shares, rng, iterations)
        iterations += n
        # each kind of search gets more time while it pays, less when it does not
        local = (min(4 * settings.lns_skiva, local * 1.5) if best < before
                 else max(2.0, local / 2))
        remaining = deadline - time.monotonic()
        if whole <= 0 or remaining < 1.0 or is_cancelled():
            continue
        model.clear_hints()
        model.proto.solution_hint.vars.extend(range(len(values)))
        model.proto.solution_hint.values.extend(values)
        solver = make_solver(settings, min(whole, remaining), whole_workers,
                              settings.seed + iterations)
        with watch(solver, is_cancelled):
            status = solver.solve(model, _callback_class()(on_solution, is_cancelled))
        if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            bound = max(bound, solver.best_objective_bound)
            if round(solver.objective_value) < best:
                best = round(solver.objective_value)
                values = list(solver.response_proto.solution)
                log.info("hela modellen: %d", best)
                whole = min(4 * settings.hel_skiva, whole * 1.5)
            else:
                whole = max(2.0, whole / 2)
            proven = status == cp_model.OPTIMAL and round(solver.objective_value) <= best
        state["bound"] = bound
    optimal = proven or best <= math.ceil(bound - 1e-6)
    final = OPTIMAL if optimal else (CANCELLED if is_cancelled() else FEASIBLE)
    result = Resultat(final, schema_from(ctx, values), best, bound,
                      time.monotonic() - began, ctx, values, iterations)
    log.info("klart: %s, mål %s, gräns %s, %d grannskap, %.1f s", final, best, bound,
             iterations, result.sekunder)
    report("klart")
    return result


def _complete(ctx: Ctx, hint: Schema, settings: Installningar) -> list[int] | None:
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
    solver = make_solver(settings, 5.0, 1, settings.seed)
    status = solver.solve(sub)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        log.info("startschemat kostar %s", round(solver.objective_value))
        return list(solver.response_proto.solution)
    log.info("startschemat bryter mot en hård regel i hela modellen (%s)",
             solver.status_name(status))
    return None


# starting size of each kind of neighbourhood, as a share of the people × days; a size grows
# by a tenth when its neighbourhood was solved to optimum and shrinks when time ran out
START_SHARES = {"personer": 0.1, "dagar": 0.15, "block": 0.2, "lucka": 0.2, "luckrader": 0.1,
                "onskemal": 0.2}


def _lns(ctx, settings, values, best, bound, deadline, is_cancelled, state, report, share, rng,
         done):
    """Large neighbourhood search over people and days; returns (values, best, iterations).

    `workers` threads each solve one neighbourhood at a time with one CP-SAT worker (the
    solver releases the GIL), so two cores stay busy; a result replaces the current roster
    when it is at least as good. `share` (sizes per kind) and `rng` live across slices; `done`,
    the neighbourhoods of earlier slices, moves the CP-SAT seeds on.
    """
    from ortools.sat.python import cp_model

    problem = ctx.problem
    n_people, n_days = len(problem.personal), problem.dagar
    keys = list(ctx.x)
    indices = [ctx.x[k].index for k in keys]
    kinds = ("personer", "dagar", "block", "lucka", "lucka", "luckrader", "onskemal")
    wishes = []  # (person, day, [(variable index, wanted value)]) of önskemål on one pass
    for o in problem.onskemal:
        p = problem.person_index.get(o.person_id)
        if p is None or not 0 <= o.dag < n_days:
            continue
        types = ([problem.pass_index[o.pass_id]] if o.pass_id in problem.pass_index
                 else [t for t, _ in ctx.by_pd.get((p, o.dag), ())] if o.pass_id is None else [])
        found = [ctx.x[p, o.dag, t].index for t in types if (p, o.dag, t) in ctx.x]
        if found:
            wishes.append((p, o.dag, o.onskat, found))
    under = [(d, t, var.index) for (d, t), var in ctx.under.items()]
    working = defaultdict(set)  # day -> people working (for the current roster)
    for (p, d, _t), index in zip(keys, indices, strict=True):
        working[d].add((p, index))
    able = {(d, t): [(p, var.index) for p, var in items] for (d, t), items in ctx.by_dt.items()}
    shared = {"values": values, "best": best, "iterations": 0}
    lock = threading.Lock()

    def pick():
        kind = rng.choice(kinds)
        f = share[kind]
        if kind == "personer":
            people = set(rng.sample(range(n_people), max(1, min(n_people, round(f * n_people)))))
            return kind, f, lambda p, d: p in people
        if kind == "dagar":
            width = max(1, min(n_days, round(f * n_days)))
            d0 = rng.randrange(0, n_days - width + 1)
            return kind, f, lambda p, d: d0 <= d < d0 + width
        root = math.sqrt(f)
        size = max(1, min(n_people, round(root * n_people)))
        width = max(2, min(n_days, round(root * n_days)))
        gaps = [(d, t) for d, t, index in under if shared["values"][index] > 0]
        if kind == "luckrader" and gaps:
            # whole rows of people who could take an uncovered pass: with hours near the
            # limits, taking one more pass means giving up another somewhere in the period
            day, t = rng.choice(gaps)
            values = shared["values"]
            could = sorted(p for p, index in able.get((day, t), ()) if not values[index])
            rows = max(1, min(n_people, round(f * n_people)))
            people = set(rng.sample(could, min(len(could), rows)))
            if len(people) < rows:
                rest = sorted(set(range(n_people)) - people)
                people |= set(rng.sample(rest, min(len(rest), rows - len(people))))
            return kind, f, lambda p, d: p in people
        if kind == "luckrader":
            kind, f = "personer", share["personer"]
            people = set(rng.sample(range(n_people), max(1, min(n_people, round(f * n_people)))))
            return kind, f, lambda p, d: p in people
        if kind == "onskemal":
            values = shared["values"]
            unmet = [(p, d) for p, d, wanted, found in wishes
                     if any(values[i] for i in found) != wanted]
            if unmet:
                # a wish not met: free that person and others working around that day
                p0, day = rng.choice(unmet)
                others = sorted({p for p, index in working[day] if values[index]} - {p0})
                people = {p0} | set(rng.sample(others, min(len(others), max(1, size - 1))))
                d0 = max(0, min(n_days - width, day - width // 2))
                return kind, f, lambda p, d: p in people and d0 <= d < d0 + width
            kind, f = "block", share["block"]
        if kind == "lucka":
            if gaps:
                day, t = rng.choice(gaps)
                values = shared["values"]
                # people who could take the uncovered pass: free that day first, then those
                # working another pass that day (their pass may move to someone else)
                busy_today = {p for p, index in working[day] if values[index]}
                could = {p for p, index in able.get((day, t), ()) if not values[index]}
                idle = sorted(could - busy_today) or sorted(could)
                busy = sorted((could & busy_today) or busy_today)
                people = set(rng.sample(idle, min(len(idle), max(1, size * 2 // 3))))
                people |= set(rng.sample(busy, min(len(busy), max(1, size - len(people)))))
                d0 = max(0, min(n_days - width, day - width // 2))
                return kind, f, lambda p, d: p in people and d0 <= d < d0 + width
        people = set(rng.sample(range(n_people), size))
        d0 = rng.randrange(0, n_days - width + 1)
        return kind, f, lambda p, d: p in people and d0 <= d < d0 + width

    def worker(seed: int) -> None:
        while not is_cancelled():
            remaining = deadline - time.monotonic()
            with lock:
                if remaining < 0.2 or shared["best"] <= math.ceil(bound - 1e-6):
                    return
                kind, f, free = pick()
                base = shared["values"]
                base_obj = shared["best"]
                sub = ctx.model.clone()
                proto = sub.proto
                variables = proto.variables
                for (p, d, _t), index in zip(keys, indices, strict=True):
                    if not free(p, d):
                        dom = variables[index].domain
                        value = base[index]
                        dom[0] = value
                        dom[1] = value
                sub.clear_hints()
                proto.solution_hint.vars.extend(range(len(base)))
                proto.solution_hint.values.extend(base)
                proto.objective.domain.extend([-(1 << 60), base_obj])
                seed += 1
            limit = min(settings.delsekunder, remaining)
            workers = settings.delarbetare or 1
            solver = make_solver(settings, limit, workers, seed)
            with watch(solver, is_cancelled):
                status = solver.solve(sub)
            with lock:
                shared["iterations"] += 1
                log.debug("grannskap %d %s %.3f: %s %.2f s", shared["iterations"], kind, f,
                          solver.status_name(status), solver.wall_time)
                if status == cp_model.MODEL_INVALID:
                    log.error("ogiltig delmodell: %s", sub.validate())
                    return
                if status == cp_model.OPTIMAL:
                    share[kind] = min(0.9, f * 1.1)
                elif status != cp_model.INFEASIBLE:
                    share[kind] = max(0.02, f / 1.1)
                if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
                    obj = round(solver.objective_value)
                    if obj <= shared["best"]:
                        if obj < shared["best"]:
                            log.info("grannskap %d (%s): %d -> %d", shared["iterations"], kind,
                                     shared["best"], obj)
                            shared["best"] = obj
                            state["best"] = obj
                            report("grannskapssökning")
                        shared["values"] = list(solver.response_proto.solution)

    first_seed = settings.seed * 1000 + 7919 * done
    threads = [threading.Thread(target=worker, args=(first_seed + 100 * i,),
                                name=f"bemanning-lns-{i}", daemon=True)
               for i in range(max(1, settings.workers))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return shared["values"], shared["best"], shared["iterations"]
