"""Sub-models of only the free variables (`SubModels.compact`, issue 19): the fixed variables
are put in as their values. The compact model must have exactly the solutions of the whole
model with those variables fixed, and its objective must be the whole model's."""

from __future__ import annotations

import random

from ortools.sat.python import cp_model

from bemanning.roster import checker
from bemanning.roster.model import build
from bemanning.roster.solver import schema_from
from bemanning.roster.submodel import SubModels
from tests.roster.test_neighbourhood import _bad_start, long_problem


def _random_model(rng: random.Random, n: int = 7):
    """A small model with every kind of constraint the rules use, and a solution of it."""
    model = cp_model.CpModel()
    xs = [model.new_bool_var(f"x{i}") for i in range(n)]
    k = model.new_int_var(0, 4, "k")

    def lit():
        v = rng.choice(xs)
        return v if rng.random() < 0.6 else ~v

    model.add(sum(xs[:4]) == k)
    model.add(k + xs[4] - xs[5] <= 3)
    model.add_bool_or([lit(), lit(), lit()])
    model.add_bool_and([lit()]).only_enforce_if(lit())
    model.add_at_most_one([xs[0], xs[1], ~xs[6]])
    model.add_exactly_one([xs[2], xs[5], xs[6]])
    model.add(2 * xs[1] + 3 * xs[3] >= 2).only_enforce_if(lit())
    model.add_bool_or([lit(), lit()]).only_enforce_if([lit(), lit()])
    model.minimize(sum((i + 1) * x for i, x in enumerate(xs)) + 2 * k)
    return model, xs, k


def _solutions(model, variables) -> set[tuple[int, ...]]:
    class Collect(cp_model.CpSolverSolutionCallback):
        def __init__(self) -> None:
            super().__init__()
            self.found: set[tuple[int, ...]] = set()

        def on_solution_callback(self) -> None:
            self.found.add(tuple(self.value(v) for v in variables))

    plain = model.clone()
    plain.proto.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.enumerate_all_solutions = True
    solver.parameters.num_workers = 1
    collect = Collect()
    solver.solve(plain, collect)
    return collect.found


def test_the_compact_sub_model_has_exactly_the_solutions_of_the_whole_model_so_fixed():
    checked = 0
    for seed in range(40):
        rng = random.Random(seed)
        model, xs, k = _random_model(rng)
        solver = cp_model.CpSolver()
        solver.parameters.num_workers = 1
        if solver.solve(model) != cp_model.OPTIMAL:
            continue  # the drawn literals made it infeasible
        values = list(solver.response_proto.solution)
        cost = round(solver.objective_value) + 100
        subs = SubModels(model, [x.index for x in xs], depth=1)
        free = [x.index for x in rng.sample(xs, 3)]
        compact = subs.compact(free, values, cost)
        whole = subs.build(free, values, cost)
        every = [*xs, k]
        want = _solutions(whole, every)
        got = {tuple(compact.expand(s)[v.index] for v in every)
               for s in _solutions(compact.model, list(_all_vars(compact.model)))}
        assert got == want, seed
        assert len(compact.model.proto.variables) < len(model.proto.variables)
        checked += 1
    assert checked >= 20


def _all_vars(model):
    return [model.get_int_var_from_proto_index(i) for i in range(len(model.proto.variables))]


def test_the_compact_sub_model_costs_what_the_whole_model_says_and_keeps_every_rule():
    prob = long_problem()
    ctx = build(prob)
    start = _bad_start(ctx)
    cells = [(p, d, var.index) for (p, d, _t), var in ctx.x.items()]
    subs = SubModels(ctx.model, [i for _p, _d, i in cells])
    free = [i for p, d, i in cells if p in (0, 1) and d < 10]
    compact = subs.compact(free, start.values, start.cost)
    assert len(compact.model.proto.variables) < len(ctx.model.proto.variables) / 3
    solver = cp_model.CpSolver()
    solver.parameters.num_workers = 1
    solver.parameters.max_time_in_seconds = 5
    assert solver.solve(compact.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)
    values = compact.expand(solver.response_proto.solution)
    assert solver.objective_value < start.cost
    # the whole model agrees on the cost of the expanded solution
    whole = sum(t.coef * (values[t.var.index] if t.var.index >= 0
                          else 1 - values[-t.var.index - 1])
                for t in ctx.objective.terms if not isinstance(t.var, int))
    whole += sum(t.coef * t.var for t in ctx.objective.terms if isinstance(t.var, int))
    assert round(solver.objective_value) == whole
    assert all(values[i] == start.values[i] for p, d, i in cells if not (p in (0, 1) and d < 10))
    assert checker.check(prob, schema_from(ctx, values)) == []


def test_the_search_uses_compact_sub_models_below_kompakt_till_and_keeps_every_rule():
    import time

    from bemanning.roster.cpsat import Installningar, Progress
    from bemanning.roster.neighbourhood import NeighbourhoodSearch

    prob = long_problem()
    ctx = build(prob)
    start = _bad_start(ctx)
    for limit, compact in ((10 ** 9, True), (0, False)):
        settings = Installningar(workers=2, seed=5, delmodell_fran=0, kompakt_till=limit)
        search = NeighbourhoodSearch(ctx, settings, lambda: False,
                                     Progress(None, time.monotonic()), random.Random(5))
        assert search._compact is compact
        best = search.improve(start, until=time.monotonic() + 3.0)
        assert best.cost < start.cost
        assert checker.check(prob, schema_from(ctx, best.values)) == []
