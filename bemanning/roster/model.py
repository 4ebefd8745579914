"""Builds the CP-SAT model: one Boolean per person, day and pass type; the rules add the rest.

`build(problem)` creates the decision variables and calls every rule module in `RULES` in turn.
With `explain=True` every hard constraint is guarded by an enforcement literal per rule and
input (person, unit, day), which `infeasibility.py` passes as assumptions to find a conflict.
"""

from __future__ import annotations

from collections import defaultdict

import attrs

from bemanning.roster.problem import Onskemal, RosterProblem
from bemanning.roster.soft import Objective


@attrs.frozen
class Guard:
    regel: str  # rule name (Swedish)
    nyckel: str  # what input it is about (person id, unit, date)
    text: str  # the input, said in Swedish


class Ctx:
    """The model under construction, shared by the rule modules."""

    def __init__(self, problem: RosterProblem, *, explain: bool = False) -> None:
        from ortools.sat.python import cp_model

        self.problem = problem
        self.model = cp_model.CpModel()
        self.explain = explain
        self.objective = Objective()
        self.x: dict[tuple[int, int, int], object] = {}
        self.by_pd: dict[tuple[int, int], list[tuple[int, object]]] = defaultdict(list)
        self.by_dt: dict[tuple[int, int], list[tuple[int, object]]] = defaultdict(list)
        self.work: dict[tuple[int, int], object] = {}
        self.guards: dict[tuple[str, str], tuple[object, Guard]] = {}
        # what rules share with each other and with the search (typed, so that no rule depends
        # on another having run first):
        self.under: dict[tuple[int, int], object] = {}  # (day, pass) -> people missing (coverage)
        self.over: dict[tuple[int, int], object] = {}  # (day, pass) -> people beyond the need
        self.wishes: list[tuple[Onskemal, object]] = []  # önskemål and the literal "it is met"
        self._weekends: dict[int, dict[int, object]] = {}  # person -> weekend -> literal

    # -- guards (assumption literals in explain mode) --------------------------------------
    def guard(self, regel: str, nyckel: str, text: str) -> list:
        """Enforcement literals for a hard constraint of `regel` about `nyckel` (empty normally)."""
        if not self.explain:
            return []
        key = (regel, nyckel)
        if key not in self.guards:
            lit = self.model.new_bool_var(f"vakt[{regel}|{nyckel}]")
            self.guards[key] = (lit, Guard(regel, nyckel, text))
        return [self.guards[key][0]]

    def hard(self, constraint, regel: str, nyckel: str, text: str):
        lits = self.guard(regel, nyckel, text)
        if lits:
            constraint.only_enforce_if(lits)
        return constraint

    # -- shared variables --------------------------------------------------------------------
    def weekends_worked(self, p: int) -> dict[int, object]:
        """Weekend index -> literal "person `p` works that weekend" (a pass starts on its
        Saturday or Sunday). Made once per person, by whichever rule asks first (weekends,
        fairness), so that no rule depends on another having run before it."""
        if p not in self._weekends:
            worked: dict[int, object] = {}
            pid = self.problem.personal[p].person_id
            for k, days in enumerate(self.problem.weekends()):
                ws = [self.work[p, d] for d in days if (p, d) in self.work]
                if not ws:
                    continue
                if len(ws) == 1:
                    worked[k] = ws[0]
                    continue
                wk = self.model.new_bool_var(f"helg[{pid},{k}]")
                for v in ws:
                    self.model.add_implication(v, wk)
                self.model.add_bool_or([*ws, ~wk])
                worked[k] = wk
            self._weekends[p] = worked
        return self._weekends[p]

    # -- helpers -----------------------------------------------------------------------------
    def person_vars(self, p: int) -> list[tuple[int, int, object]]:
        """(day, pass index, var) for a person."""
        out = []
        for d in range(self.problem.dagar):
            for t, var in self.by_pd.get((p, d), ()):
                out.append((d, t, var))
        return out

    def abs_start(self, d: int, t: int) -> int:
        return d * 1440 + self.problem.pass_typer[t].start

    def abs_end(self, d: int, t: int) -> int:
        pt = self.problem.pass_typer[t]
        return d * 1440 + pt.start + pt.langd


def create_variables(ctx: Ctx) -> None:
    problem, model = ctx.problem, ctx.model
    absent = problem.franvaro_set
    delade = problem.regler.delade_turer or ctx.explain
    for p, person in enumerate(problem.personal):
        eligible = []
        for t in problem.eligible_passes(person):
            pt = problem.pass_typer[t]
            usable = problem.qualified(person, pt) and person.max_pass.get(pt.pass_id, 1) != 0
            if usable or ctx.explain:
                eligible.append((t, pt.pass_id))
        pid = person.person_id
        for d in range(problem.dagar):
            if not ctx.explain and (pid, d) in absent:
                continue
            day_vars = []
            for t, pass_id in eligible:
                var = model.new_bool_var(f"x[{pid},{d},{pass_id}]")
                ctx.x[p, d, t] = var
                ctx.by_pd[p, d].append((t, var))
                ctx.by_dt[d, t].append((p, var))
                day_vars.append(var)
            if not day_vars:
                continue
            if len(day_vars) == 1:
                ctx.work[p, d] = day_vars[0]
                continue
            w = model.new_bool_var(f"arbetar[{pid},{d}]")
            if delade:
                for v in day_vars:
                    model.add_implication(v, w)
                model.add_bool_or([*day_vars, ~w])
            else:
                model.add(w == sum(day_vars))
            ctx.work[p, d] = w


def build(problem: RosterProblem, *, explain: bool = False, rules=None) -> Ctx:
    from bemanning.roster.rules import RULES

    ctx = Ctx(problem, explain=explain)
    create_variables(ctx)
    for rule in rules if rules is not None else RULES:
        rule.add(ctx)
    ctx.model.minimize(ctx.objective.expression())
    return ctx
