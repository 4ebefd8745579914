"""The engine's parts for large models (issue 19): the construction that solves rows two at a
time and then again against the others, and the neighbourhoods solved as sub-models of only
the constraints that can change. Run on a small problem with the thresholds set to zero, so
that the same code paths run in a second; every roster must pass the independent checker."""

from __future__ import annotations

import random
import time

import attrs
import pytest

from bemanning.roster import checker
from bemanning.roster.construct import construct
from bemanning.roster.cpsat import Installningar, Progress
from bemanning.roster.model import build
from bemanning.roster.neighbourhood import NeighbourhoodSearch
from bemanning.roster.problem import Schema
from bemanning.roster.solver import _Solve, evaluate, schema_from, solve
from bemanning.roster.submodel import SubModels
from tests.roster.test_neighbourhood import _bad_start, long_problem


def _cost(ctx, schema: Schema) -> int | None:
    full = _Solve(ctx.problem, Installningar(), None, lambda: False)._complete(ctx, schema)
    if full is None:
        return None
    return sum(t.coef * evaluate(t.var, full) for t in ctx.objective.terms)


def test_two_at_a_time_gives_the_same_roster_every_time_and_keeps_every_rule():
    prob = long_problem()
    rosters = [construct(prob, workers=2, sweeps=1) for _ in range(2)]
    assert rosters[0] == rosters[1]
    assert checker.check(prob, rosters[0]) == []
    assert _cost(build(prob), rosters[0]) is not None  # the full model accepts it as a start


def test_solving_each_row_again_against_the_others_makes_the_start_no_dearer():
    prob = long_problem()
    ctx = build(prob)
    once = _cost(ctx, construct(prob, workers=1, sweeps=0))
    again = _cost(ctx, construct(prob, workers=1, sweeps=2))
    assert once is not None and again is not None
    assert again <= once


def test_the_rounds_keep_a_hard_minimum_and_an_introduced_colleague():
    """Rules between people, which one row's model does not see: a night needs at least one
    person (minst), and a new employee may not work a unit's pass without an introduced one."""
    prob = long_problem()
    people = (*prob.personal[:4], attrs.evolve(prob.personal[4], introducerad=False))
    behov = tuple(attrs.evolve(b, minst=1) if b.pass_id == "U/K" else b for b in prob.behov)
    units = tuple(attrs.evolve(e, kraver_introducerad=True) for e in prob.enheter)
    prob = attrs.evolve(prob, personal=people, behov=behov, enheter=units)
    roster = construct(prob, workers=2, sweeps=3)
    assert checker.check(prob, roster) == []
    counts = {(t.dag, t.pass_id) for t in roster.tilldelningar}
    assert all((d, "U/K") in counts for d in range(prob.dagar))
    assert _cost(build(prob), roster) is not None


def test_a_sub_model_keeps_only_constraints_on_free_variables_and_its_solutions_hold():
    from ortools.sat.python import cp_model

    prob = long_problem()
    ctx = build(prob)
    start = _bad_start(ctx)
    cells = [(p, d, var.index) for (p, d, _t), var in ctx.x.items()]
    subs = SubModels(ctx.model, [i for _p, _d, i in cells])
    free = [i for p, d, i in cells if p == 0 and d < 7]
    sub = subs.build(free, start.values, start.cost)
    assert 0 < len(sub.proto.constraints) < len(ctx.model.proto.constraints) / 3
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    assert solver.solve(sub) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = list(solver.response_proto.solution)
    assert solver.objective_value <= start.cost
    assert all(values[i] == start.values[i] for p, d, i in cells if not (p == 0 and d < 7))
    assert checker.check(prob, schema_from(ctx, values)) == []


def test_the_search_through_sub_models_improves_and_every_roster_passes_the_checker():
    prob = long_problem()
    ctx = build(prob)
    start = _bad_start(ctx)
    settings = Installningar(workers=1, seed=3, delmodell_fran=0)
    search = NeighbourhoodSearch(ctx, settings, lambda: False, Progress(None, time.monotonic()),
                                 random.Random(3))
    assert search._submodels is not None
    best = search.improve(start, until=time.monotonic() + 4.0)
    assert best.cost < start.cost
    assert checker.check(prob, schema_from(ctx, best.values)) == []


def test_a_large_model_solve_with_rounds_and_sub_models_passes_the_checker():
    prob = long_problem()
    result = solve(prob, Installningar(time_limit_s=8, workers=2, seed=2, delmodell_fran=0,
                                          stor_modell=0))
    assert result.ok and result.objektiv >= result.grans - 1e-6
    assert checker.check(prob, result.schema) == []


def test_construction_stops_when_cancelled():
    prob = long_problem()
    assert construct(prob, workers=2, is_cancelled=lambda: True) is None


def _record_steps(monkeypatch) -> list[tuple[str, float]]:
    """The solver's steps in order: ("sök", 0) for a slice of the neighbourhood search and
    ("hela", seconds) for a solve of the whole model."""
    steps: list[tuple[str, float]] = []
    improve, whole = NeighbourhoodSearch.improve, _Solve._solve_whole

    def recorded_improve(self, incumbent, until):
        steps.append(("sök", 0.0))
        return improve(self, incumbent, until)

    def recorded_whole(self, ctx, seconds, seed, stop_at_first=False):
        steps.append(("hela", seconds))
        return whole(self, ctx, seconds, seed, stop_at_first)

    monkeypatch.setattr(NeighbourhoodSearch, "improve", recorded_improve)
    monkeypatch.setattr(_Solve, "_solve_whole", recorded_whole)
    return steps


def test_a_large_model_from_a_start_goes_straight_to_the_search_with_short_whole_slices(
        monkeypatch):
    prob = long_problem()
    steps = _record_steps(monkeypatch)
    result = solve(prob, Installningar(time_limit_s=16, workers=2, seed=2, stor_modell=0,
                                       konstruktion_varv=0, lns_skiva=2.0))
    assert result.ok and checker.check(prob, result.schema) == []
    assert steps[0] == ("sök", 0.0)  # no phase 1 on the whole model
    wholes = [seconds for kind, seconds in steps if kind == "hela"]
    assert wholes  # the bound still comes from the whole-model slices between the search's
    assert all(seconds <= 2.0 + 1e-9 for seconds in wholes)  # 5 % of 16 s, at least 2 s
    assert result.objektiv >= result.grans - 1e-6


def test_a_smaller_model_keeps_phase_one_and_its_usual_whole_slices(monkeypatch):
    prob = long_problem()
    steps = _record_steps(monkeypatch)
    result = solve(prob, Installningar(time_limit_s=20, workers=2, seed=2, liten_modell=0,
                                       konstruktion_varv=0, lns_skiva=2.0))
    assert result.ok and checker.check(prob, result.schema) == []
    assert steps[0] == ("hela", 3.0)  # phase 1 first: 15 % of the time
    assert steps[1] == ("sök", 0.0)
    assert steps[2] == ("hela", 5.0)  # the first whole-model slice has the usual length


def test_a_neighbourhood_on_a_large_model_never_returns_a_dearer_roster_with_an_offset():
    """A negated literal in the objective gives CP-SAT a constant (offset); the limit of a
    neighbourhood must be the roster's cost less it, else it lets dearer rosters through."""
    from ortools.sat.python import cp_model

    from bemanning.roster.soft import TACKNING

    prob = long_problem()
    ctx = build(prob)
    # a cost for each of the first person's first day passes NOT worked: a constant of 50 per
    # pass in CP-SAT's objective
    firsts = [var for (p, d, _t), var in ctx.x.items() if p == 0 and d == 0]
    for var in firsts:
        ctx.objective.add(TACKNING, "", 50, ~var)
    ctx.model.minimize(ctx.objective.expression())
    offset = ctx.model.proto.objective.offset
    assert offset >= 50
    start = _bad_start(ctx)
    for fran in (10**9, 0):  # below and from `stor_modell`: the same limit
        settings = Installningar(workers=1, seed=3, delmodell_fran=0, stor_modell=fran)
        search = NeighbourhoodSearch(ctx, settings, lambda: False,
                                     Progress(None, time.monotonic()), random.Random(3))
        search._current = start
        # a neighbourhood where any roster but the start is dearer: the start's limit is its
        # cost, so the sub-model may only give the start back (or a cheaper roster)
        sub, _expand = search._sub_model(search.people(), start)
        limit = list(sub.proto.objective.domain)[-1]
        assert limit == start.cost - offset
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    assert solver.solve(sub) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    assert solver.objective_value <= start.cost
    assert checker.check(prob, schema_from(ctx, list(solver.response_proto.solution))) == []


def test_a_round_that_leaves_more_uncovered_is_thrown_away(monkeypatch):
    from bemanning.roster import construct as construction

    prob = long_problem()
    first = construct(prob, workers=1, sweeps=0)
    real, calls = construction._solve_row, []

    def worse_after_the_first_round(sub, *args, **kwargs):
        calls.append(1)
        if len(calls) <= len(prob.personal):
            return real(sub, *args, **kwargs)
        return []  # every row solved again comes back empty: the round uncovers everything

    monkeypatch.setattr(construction, "_solve_row", worse_after_the_first_round)
    again = construct(prob, workers=1, sweeps=2)
    assert len(calls) == 2 * len(prob.personal)  # the second round ran, then the rounds stopped
    assert again == first
    assert checker.check(prob, again) == []


def test_a_row_takes_the_pass_that_those_still_to_come_cannot_take(monkeypatch):
    """The first in the order may work Dag or Kväll, the second Dag or Natt; Dag weighs a
    little more. By weight alone the first takes Dag and Kväll stays uncovered; with the
    urgency (`URGENCY`: what those still to come can take) the first takes Kväll and the
    second Dag, and both are covered."""
    from bemanning.roster import construct as construct_module
    from bemanning.roster.problem import Behov
    from tests.roster.conftest import DAG, KVALL, NATT, person, problem

    prob = problem(
        dagar=1, pass_typer=(DAG, KVALL, NATT),
        personal=(person("A", max_pass={"U/N": 0}), person("B", max_pass={"U/K": 0})),
        behov=(Behov(0, "U/D", 1, vikt_under=110), Behov(0, "U/K", 1, vikt_under=100)))

    def placed(urgency: float) -> set[tuple[str, str]]:
        monkeypatch.setattr(construct_module, "URGENCY", urgency)
        roster = construct(prob, workers=1)
        assert checker.check(prob, roster) == []
        return {(t.person_id, t.pass_id) for t in roster.tilldelningar}

    assert placed(0.0) == {("A", "U/D")}
    assert placed(3.0) == {("A", "U/K"), ("B", "U/D")}


def test_those_still_to_come_are_expected_on_a_weekend_only_as_often_as_they_may_work_one(
        monkeypatch):
    """Four weeks, a person who may work at most one of the four weekends: on a Saturday they
    count for a quarter of what they count for on a Monday (the need on weekends is then seen
    as the scarcer one, which it is when everybody's weekends run out)."""
    from bemanning.roster import construct as construct_module
    from tests.roster.conftest import person, problem

    monkeypatch.setattr(construct_module, "SUPPLY_WEEKENDS", True)
    prob = problem(dagar=28, personal=(person("A", max_helger=1),))
    rates = construct_module._Supply(prob).rates[0]
    monday, saturday = rates[0, "U/D"], rates[5, "U/D"]
    assert saturday == pytest.approx(monday / 4)
