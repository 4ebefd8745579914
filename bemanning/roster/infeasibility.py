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
from bemanning.roster.problem import RosterProblem

log = logging.getLogger("bemanning.roster")


@attrs.frozen
class Forklaring:
    mojlig: bool | None  # True: a roster exists; False: conflict found; None: unknown in time
    konflikt: tuple[Guard, ...] = ()
    detaljer: tuple[str, ...] = ()  # e.g. how many days a minimum staffing can be met

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
        out.extend(self.detaljer)
        return out


def _solve(ctx, assumptions, seconds: float, workers: int):
    from ortools.sat.python import cp_model

    model = ctx.model
    model.clear_assumptions()
    model.add_assumptions(assumptions)
    solver = cp_model.CpSolver()
    solver.parameters.catch_sigint_signal = False  # Ctrl+C går till Python
    solver.parameters.max_time_in_seconds = seconds
    solver.parameters.num_workers = workers
    solver.parameters.log_to_stdout = False
    status = solver.solve(model)
    return status, solver


def explain(problem: RosterProblem, *, time_limit_s: float = 30.0, workers: int = 2) -> Forklaring:
    from ortools.sat.python import cp_model

    began = time.monotonic()
    ctx = build(problem, explain=True)
    ctx.model.clear_objective()
    guards = list(ctx.guards.values())
    literals = [lit for lit, _ in guards]
    by_index = {lit.index: guard for lit, guard in guards}
    status, solver = _solve(ctx, literals, time_limit_s / 2, workers)
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
        remaining = time_limit_s - (time.monotonic() - began)
        if remaining < 1 or len(kept) <= 1:
            break
        trial = [i for i in kept if i != index]
        status, _ = _solve(ctx, [lits[i] for i in trial], min(5.0, remaining), workers)
        if status == cp_model.INFEASIBLE:
            kept = trial
    conflict = tuple(by_index[i] for i in kept)
    details = []
    for guard in conflict:
        if guard.regel == "Minsta bemanning":
            line = _minimum_reach(problem, guard, max(2.0, time_limit_s - (time.monotonic() - began)),
                                  workers)
            if line:
                details.append(line)
    return Forklaring(False, conflict, tuple(details))


def _minimum_reach(problem: RosterProblem, guard: Guard, seconds: float, workers: int) -> str | None:
    """How many of the days the minimum staffing of one pass can be met under the other rules."""
    from ortools.sat.python import cp_model

    pass_id = guard.nyckel.split("/", 1)[1]
    relaxed = attrs.evolve(problem, behov=tuple(
        attrs.evolve(b, minst=0) if b.pass_id == pass_id else b for b in problem.behov))
    ctx = build(relaxed)
    t = problem.pass_index[pass_id]
    met = []
    for b in problem.behov:
        if b.pass_id != pass_id or not b.minst:
            continue
        m = ctx.model.new_bool_var(f"uppfylld[{b.dag}]")
        ctx.model.add(sum(v for _, v in ctx.by_dt.get((b.dag, t), [])) >= b.minst).only_enforce_if(m)
        met.append(m)
    if not met:
        return None
    ctx.model.maximize(sum(met))
    status, solver = _solve(ctx, [], min(seconds, 10.0), workers)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    staff = sum(1 for p in problem.personal if problem.qualified(p, problem.pass_typer[t])
                and t in problem.eligible_passes(p))
    return (f"{guard.text}, men de {staff} som kan ta passet räcker under de andra reglerna "
            f"bara till {round(solver.objective_value)} av {len(met)} dagar.")
