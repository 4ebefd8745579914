"""A lower bound from the people's rows on their own (Lagrangian relaxation of the coverage).

CP-SAT's bound on the whole model is weak on long periods and large områden (Curtois 16: 29
against a best known 3 225; 13: 65 against 1 905): its LP cannot see that one person cannot
work every day. Here the coverage, the only rule tying people together that costs anything, is
priced instead of kept: a price λ per day and pass type (between minus the weight of one person
too many and the weight of one missing), and

    L(λ) = Σ λ · need  +  Σ over people of  min over that person's rows of
                                            (the row's own costs − Σ λ over the passes it takes)

is at most the cost of every roster: for a roster the coverage part costs at least Σ λ · (need −
people placed), and each row at least its minimum. The rows keep every rule about one person
(hours, days in a row, rest, weekends, wishes), so L is far stronger than a relaxation of the
whole model's LP. Rules between people (minimum staffing, introduction, fairness) are left
out: leaving out a rule, or a cost that is never negative, only lowers the minimum, so the bound
stays a bound. Each row's minimum is CP-SAT's proven bound for it (so a row not solved to
optimum in time still gives a valid figure), and the prices move by subgradient steps towards
the uncovered and over-covered passes.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor

import attrs

from bemanning.roster.cpsat import Installningar, make_solver, watch
from bemanning.roster.model import build
from bemanning.roster.problem import RosterProblem

log = logging.getLogger("bemanning.roster")

# prices in tenths of the objective's unit (CP-SAT needs whole coefficients)
SCALE = 10
# rules left out of a person's row: coverage (priced instead), and the rules between people
LEFT_OUT = ("tackning", "introduktion", "rattvisa")


@attrs.define
class _Row:
    """One person's row model, built once; the prices change only its objective."""

    model: object
    base_vars: list[int]  # the row's own cost terms (variable index, coefficient)
    base_coefs: list[int]
    offset: int
    x: dict[tuple[int, int], int]  # (day, pass type) -> variable index


def _row_model(problem: RosterProblem, p: int) -> _Row:
    from bemanning.roster.rules import RULES

    person = problem.personal[p]
    pid = person.person_id
    sub = attrs.evolve(
        problem,
        personal=(person,),
        behov=(),
        franvaro=tuple(f for f in problem.franvaro if f.person_id == pid),
        onskemal=tuple(o for o in problem.onskemal if o.person_id == pid),
        historik=tuple(h for h in problem.historik if h.person_id == pid),
        enheter=tuple(attrs.evolve(e, kraver_introducerad=False) for e in problem.enheter),
    )
    rules = [r for r in RULES if r.__name__.rsplit(".", 1)[-1] not in LEFT_OUT]
    ctx = build(sub, rules=rules)
    base_vars, base_coefs, offset = [], [], 0
    for term in ctx.objective.terms:
        if term.coef < 0:
            raise ValueError("en kostnad under noll gör gränsen ogiltig")
        if isinstance(term.var, int):
            offset += term.coef * term.var
            continue
        index = term.var.index
        if index < 0:  # a negated literal: coef * (1 - v)
            offset += term.coef
            base_vars.append(-index - 1)
            base_coefs.append(-term.coef)
        else:
            base_vars.append(index)
            base_coefs.append(term.coef)
    x = {(d, t): var.index for (_q, d, t), var in ctx.x.items()}
    return _Row(ctx.model, base_vars, base_coefs, offset, x)


def lagrange_bound(problem: RosterProblem, seconds: float, *, workers: int = 1,
                   upper: float | None = None, seed: int = 1, max_rounds: int | None = None,
                   is_cancelled: Callable[[], bool] = lambda: False) -> float | None:
    """The best L(λ) found within `seconds` (None when not one full round of rows was solved).

    `upper` (the cost of a known roster) sets the step length; without it 5 % above L."""
    from ortools.sat.python import cp_model

    from bemanning.roster.rules import tackning

    began = time.monotonic()
    deadline = began + seconds
    demand = {(b.dag, problem.pass_index[b.pass_id]): b for b in problem.behov
              if b.pass_id in problem.pass_index and 0 <= b.dag < problem.dagar}
    rows = []
    for p in range(len(problem.personal)):
        if is_cancelled() or time.monotonic() > deadline:
            return None
        rows.append(_row_model(problem, p))
    slots = set(demand) | {key for row in rows for key in row.x}
    need, low, high = {}, {}, {}
    for d, t in slots:
        b = demand.get((d, t))
        w_under, w_over = tackning.weights(problem, b, problem.pass_typer[t])
        need[d, t] = b.antal if b is not None else 0
        low[d, t] = -SCALE * w_over
        high[d, t] = SCALE * w_under if need[d, t] > 0 else 0
    price = dict.fromkeys(slots, 0)  # start: the rows' own costs (at least 0)
    best: float | None = None
    step_scale = 1.0
    since_better = 0
    settings = Installningar(workers=1, lns=False)
    pool = ThreadPoolExecutor(max(1, workers), thread_name_prefix="bemanning-grans")

    def solve_row(item: tuple[int, _Row]) -> tuple[float, dict[tuple[int, int], int]] | None:
        i, row = item
        model = row.model
        obj = model.proto.objective
        obj.vars.clear()
        obj.coeffs.clear()
        coefs: dict[int, int] = {}
        for v, c in zip(row.base_vars, row.base_coefs, strict=True):
            coefs[v] = coefs.get(v, 0) + SCALE * c
        for key, v in row.x.items():
            coefs[v] = coefs.get(v, 0) - price[key]
        obj.vars.extend(list(coefs))
        obj.coeffs.extend(list(coefs.values()))
        obj.offset = SCALE * row.offset
        remaining = deadline - time.monotonic()
        if remaining <= 0.02 or is_cancelled():
            return None
        solver = make_solver(settings, min(remaining, 2.0), 1, seed + i)
        with watch(solver, is_cancelled):
            status = solver.solve(model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return None
        solution = solver.response_proto.solution
        taken = {key: int(solution[v]) for key, v in row.x.items()}
        return solver.best_objective_bound, taken

    iterations = 0
    try:
        while time.monotonic() < deadline and not is_cancelled() \
                and (max_rounds is None or iterations < max_rounds):
            results = list(pool.map(solve_row, enumerate(rows)))
            if any(r is None for r in results):
                break
            iterations += 1
            value = (sum(price[k] * need[k] for k in slots) + sum(r[0] for r in results)) / SCALE
            log.debug("gräns ur raderna: varv %d, L %.1f", iterations, value)
            if best is None or value > best + 1e-9:
                best, since_better = value, 0
            else:
                since_better += 1
                if since_better >= 3:
                    step_scale, since_better = step_scale / 2, 0
            placed = dict.fromkeys(slots, 0)
            for _bound, taken in results:
                for key, v in taken.items():
                    placed[key] += v
            grad = {k: need[k] - placed[k] for k in slots}
            norm = sum(g * g for g in grad.values())
            if norm == 0:
                break  # the rows cover the need exactly: L is the optimum of the relaxation
            target = upper if upper is not None and upper > best else best * 1.05 + 1
            step = SCALE * step_scale * (target - value) / norm
            for k in slots:
                price[k] = min(high[k], max(low[k], round(price[k] + step * grad[k])))
    finally:
        pool.shutdown(wait=True)
    log.info("gräns ur raderna var för sig: %s efter %d varv, %.1f s",
             "-" if best is None else math.ceil(best - 1e-6), iterations,
             time.monotonic() - began)
    return best
