"""The lower bound from the people's rows on their own (coverage priced, not kept): never above
a known optimum or any roster's cost, and stronger than nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.cli.schema import default_curtois_dir
from bemanning.roster import curtois
from bemanning.roster.bound import lagrange_bound
from bemanning.roster.cpsat import Installningar
from bemanning.roster.solver import solve
from tests.roster.test_neighbourhood import long_problem

DIR = Path(default_curtois_dir())


@pytest.mark.skipif(not (DIR / "Instance1.txt").exists(), reason="Curtois-instanserna saknas")
@pytest.mark.parametrize(("number", "optimum"), [(1, 607), (2, 828)])
def test_the_bound_is_at_most_the_proven_optimum_and_well_above_zero(number, optimum):
    problem = curtois.to_problem(curtois.parse(curtois.instance_path(DIR, str(number))))
    bound = lagrange_bound(problem, 120.0, workers=2, upper=optimum, max_rounds=60)
    assert bound is not None
    assert 0.5 * optimum < bound <= optimum


def test_the_bound_is_at_most_the_cost_of_a_solved_roster():
    problem = long_problem()
    result = solve(problem, Installningar(time_limit_s=4, workers=2, seed=1))
    bound = lagrange_bound(problem, 120.0, workers=2, upper=result.objektiv, max_rounds=20)
    assert bound is not None and bound <= result.objektiv
