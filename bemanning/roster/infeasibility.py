"""Why no roster keeps all hard rules: the conflicting rules and inputs, in Swedish.

The model is built with one enforcement literal per rule and input (`build(explain=True)`):
"Veckovila för Anna", "Arbetstid för Anna", "Frånvaro för Anna", "Minsta bemanning NATT natt".
Solved with all of them as assumptions, CP-SAT returns a set that cannot hold together
(`sufficient_assumptions_for_infeasibility`); a deletion pass makes it small.
"""

from __future__ import annotations

import logging
import time

import attrs

from bemanning.roster.model import Guard, build
from bemanning.roster.problem import Problem

log = logging.getLogger("bemanning.roster")


@attrs.frozen
class Forklaring:
    mojlig: bool | None  # True: a roster exists; False: conflict found; None: unknown in time
    konflikt: tuple[Guard, ...] = ()

    @property
    def regler(self) -> list[str]:
        return sorted({g.regel for g in self.konflikt})

    def lines(self) -> list[str]:
        if self.mojlig:
            return ["Det finns scheman som håller alla hårda regler."]
        if self.mojlig is None:
            return ["Ingen förklaring hittades inom tidsgränsen."]
        out = ["Inget schema kan hålla alla hårda regler. Dessa regler och indata går inte ihop:"]
        for regel in self.regler:
            items = [g.text for g in self.konflikt if g.regel == regel]
            out.append(f"- {regel}: " + "; ".join(sorted(set(items))))
        return out


def _solve(ctx, assumptions, seconds: float, workers: int):
    from ortools.sat.python import cp_model

    model = ctx.model
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.log_to_stdout = False
    status = solver.solve(model)
    return status, solver


def explain(problem: Problem, *, sekunder: float = 30.0, arbetare: int = 2) -> Forklaring:
    from ortools.sat.python import cp_model

    began = time.monotonic()
    ctx = build(problem, explain=True)
    ctx.model.clear_objective()
    guards = list(ctx.guards.values())
    literals = [lit for lit, _ in guards]
    by_index = {lit.index: guard for lit, guard in guards}
    status, solver = _solve(ctx, literals, sekunder / 2, arbetare)
    if status in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return Forklaring(True)
    if status != cp_model.INFEASIBLE:
        return Forklaring(None)
    core = [i for i in solver.sufficient_assumptions_for_infeasibility() if i in by_index]
    log.info("förklaring: %d av %d villkor i första kärnan", len(core), len(literals))
    # deletion pass: drop what the conflict does not need
    lits = {lit.index: lit for lit in literals}
    kept = list(core)
    for index in list(core):
        remaining = sekunder - (time.monotonic() - began)
        if remaining < 1 or len(kept) <= 1:
            break
        trial = [i for i in kept if i != index]
        status, _ = _solve(ctx, [lits[i] for i in trial], min(5.0, remaining), arbetare)
        if status == cp_model.INFEASIBLE:
            kept = trial
    return Forklaring(False, tuple(by_index[i] for i in kept))
