"""`bemanning.matching.cpsat` bygger samma CP-SAT-modell och ger samma svar som `cp_model`, utan pandas;
lösarens egna `np.unique` ger samma värden utan numpy.ma."""

from __future__ import annotations

import random
import subprocess
import sys

from ortools.sat.python import cp_model

from bemanning.matching import cpsat


def _build(api, rng: random.Random, n_vars: int = 40):
    """Samma anrop som `solver.solve_cpsat` gör, i samma ordning, med `api` = cp_model eller cpsat."""
    model = api.CpModel()
    x = [model.new_bool_var(f"x{e}") for e in range(n_vars)]
    groups = [list(range(i, min(n_vars, i + 3))) for i in range(0, n_vars, 3)]
    for edges in groups:
        model.add_at_most_one(x[e] for e in edges)
    by_k = [list(range(k, n_vars, 5)) for k in range(5)]
    for k, edges in enumerate(by_k):
        model.add(sum(x[e] for e in edges) <= 2)
        model.add(api.LinearExpr.weighted_sum([x[e] for e in edges], [rng.randint(100, 900) for _ in edges])
                  <= 1500 + 100 * k)
    for e in range(n_vars):
        model.add_hint(x[e], e % 4 == 0)
    cov = [rng.randint(1, 50) for _ in range(n_vars)]
    model.add(api.LinearExpr.weighted_sum(x, cov) <= 10_000)
    objective = api.LinearExpr.weighted_sum(x, cov)
    model.maximize(objective)
    return model, x, objective


def test_the_model_is_the_same_as_with_cp_model_and_so_is_the_answer():
    for seed in range(3):
        ours, x_ours, obj_ours = _build(cpsat, random.Random(seed))
        theirs, x_theirs, obj_theirs = _build(cp_model, random.Random(seed))
        assert str(ours.model_proto) == str(theirs.proto)
        results = []
        for model, x, api, objective in ((ours, x_ours, cpsat, obj_ours), (theirs, x_theirs, cp_model, obj_theirs)):
            solver = api.CpSolver()
            solver.parameters.num_workers = 1
            solver.parameters.random_seed = 1
            status = solver.solve(model)
            assert status == api.OPTIMAL
            values = solver.boolean_values(x) if api is cpsat else [bool(solver.boolean_value(v)) for v in x]
            results.append((solver.status_name(status), solver.objective_value, values))
            # nästa nivå som i solve_cpsat: målet låst, nya ledtrådar
            model.add(objective >= int(round(solver.objective_value)))
            model.clear_hints()
            for v, on in zip(x, values, strict=True):
                model.add_hint(v, on)
        assert results[0] == results[1]
        assert str(ours.model_proto) == str(theirs.proto)


def test_matching_with_cpsat_does_not_read_pandas():
    code = (
        "import sys, random\n"
        "from tests.matching.test_exact import _trap\n"
        "from bemanning.matching.solver import solve\n"
        "r = solve(_trap(random.Random(1), n_parts=2, extra=3), metod='cpsat')\n"
        "assert r.optimal\n"
        "print('pandas' in sys.modules, 'ortools.sat.python.cp_model' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_unique_helpers_equal_np_unique():
    import numpy as np

    from bemanning.matching.solver import _present, _unique

    rng = np.random.default_rng(3)
    for size in (0, 1, 2, 5, 1000):
        for high in (1, 3, 50):
            values = rng.integers(0, high, size=size, dtype=np.int64)
            expected = np.unique(values)
            for got in (_unique(values), _present(values, high)):
                assert got.dtype == expected.dtype and got.tolist() == expected.tolist()
