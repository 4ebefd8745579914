"""The lower bound from the people's rows on their own (coverage priced, not kept): never above
a known optimum or any roster's cost, and stronger than nothing."""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.cli.schema import default_curtois_dir
from bemanning.roster import curtois
from bemanning.roster.bound import lagrange_bound
from bemanning.roster.cpsat import Incumbent, Installningar
from bemanning.roster.model import build
from bemanning.roster.solver import _Solve, solve
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



@pytest.mark.skipif(not (DIR / "Instance1.txt").exists(), reason="Curtois-instanserna saknas")
def test_the_result_shows_the_bound_from_the_rows_and_never_above_the_cost():
    """A solve on a small model shows the better of CP-SAT's bound and the one from the rows:
    never above the roster's cost nor the proven optimum (607 on instance 1); where CP-SAT's
    bound is weak (here none at all) the rows lift it above half the optimum."""
    problem = curtois.to_problem(curtois.parse(curtois.instance_path(DIR, "1")))
    for andel in (0, 1):
        result = solve(problem, Installningar(time_limit_s=2, workers=2, seed=1,
                                              rad_grans_andel=andel))
        assert result.objektiv is not None and result.grans is not None
        assert result.grans <= result.objektiv and result.grans <= 607
    settings = Installningar(time_limit_s=2, workers=2, seed=1, rad_grans_andel=1)
    run = _Solve(problem, settings, None, lambda: False)
    run.plain_model = True
    weak = Incumbent([], 700, 0.0)
    lifted = run._row_bound(build(problem), weak)
    assert 0.5 * 607 < lifted.bound <= 607


def test_the_bound_shown_on_a_solved_roster_is_at_most_its_cost():
    problem = long_problem()
    for seed in (1, 2):
        result = solve(problem, Installningar(time_limit_s=3, workers=2, seed=seed,
                                              rad_grans_andel=1))
        assert result.objektiv is not None and result.grans is not None
        assert result.grans <= result.objektiv
