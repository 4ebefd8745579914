"""The lower bound from the staff's capacity against the coverage (`capacity.coverage_bound`):
never above a proven optimum or a roster's cost, positive exactly where the staff cannot cover
the need, and shown with every result."""

from __future__ import annotations

import math
from pathlib import Path

import attrs
import pytest

from bemanning.cli.schema import default_curtois_dir
from bemanning.roster import curtois
from bemanning.roster.capacity import coverage_bound
from bemanning.roster.cpsat import Installningar
from bemanning.roster.problem import Behov, Onskemal, Regler
from bemanning.roster.solver import solve
from tests.roster.conftest import DAG, NATT, behov_every_day, person, problem
from tests.roster.test_neighbourhood import long_problem

DIR = Path(default_curtois_dir())
needs_curtois = pytest.mark.skipif(not (DIR / "Instance1.txt").exists(),
                                   reason="Curtois-instanserna saknas")
WEIGHT = 50


def nights(need: int, most: int = 2, people: int = 3, **regler):
    """`people` people who may work at most `most` nights each; one night needed on each of the
    first `need` days (weight `WEIGHT` per night missing)."""
    return problem(dagar=max(need, 7), pass_typer=(NATT,),
                   behov=tuple(Behov(d, "U/N", 1, vikt_under=WEIGHT) for d in range(need)),
                   personal=tuple(person(chr(ord("A") + i), max_pass={"U/N": most})
                                  for i in range(people)),
                   regler=Regler(**regler))


def test_the_bound_counts_the_nights_the_staff_cannot_work():
    """3 people with at most 2 nights each against 8 nights needed: 2 nights stay uncovered."""
    assert math.ceil(coverage_bound(nights(8)) - 1e-6) == 2 * WEIGHT


def test_no_shortage_gives_zero():
    assert math.ceil(coverage_bound(nights(6)) - 1e-6) == 0
    assert coverage_bound(nights(8, most=3)) == pytest.approx(0, abs=1e-3)


def test_a_weight_below_zero_gives_no_bound():
    negative = attrs.evolve(nights(8), onskemal=(Onskemal("A", 0, None, True, vikt=-5),))
    assert coverage_bound(negative) is None


def test_more_than_one_pass_a_day_leaves_the_day_limits_out():
    """With delade turer the one-pass-a-day limits do not hold: the bound keeps only the
    per-type maximum (3 × 2 against 8) and stays a bound."""
    assert math.ceil(coverage_bound(nights(8, delade_turer=True)) - 1e-6) == 2 * WEIGHT


def test_the_result_and_every_progress_report_show_the_capacity_bound():
    reports = []
    result = solve(nights(8), Installningar(time_limit_s=5, workers=1, seed=1),
                   progress=reports.append)
    assert result.objektiv is not None and result.grans is not None
    assert 2 * WEIGHT <= result.grans <= result.objektiv
    assert result.gap_till_grans is not None
    assert reports and all(r.grans is not None and r.grans >= 2 * WEIGHT for r in reports)


def test_the_bound_is_at_most_the_cost_of_a_solved_roster():
    problem_ = long_problem()
    bound = coverage_bound(problem_)
    assert bound is not None
    result = solve(problem_, Installningar(time_limit_s=3, workers=1, seed=1))
    assert result.objektiv is not None and result.grans is not None
    assert bound <= result.objektiv and result.grans <= result.objektiv


@needs_curtois
@pytest.mark.parametrize(("number", "optimum"), [(1, 607), (2, 828), (3, 1001)])
def test_the_bound_is_at_most_the_proven_optimum_and_above_zero(number, optimum):
    problem_ = curtois.to_problem(curtois.parse(curtois.instance_path(DIR, str(number))))
    bound = coverage_bound(problem_)
    assert bound is not None
    assert 0 < bound <= optimum


@needs_curtois
def test_instance_15_is_short_of_night_staff():
    """Night passes needed 104 and 94 times where everyone's maximum allows 84 and 78: at least
    (20 + 16) × 100 from the capacity alone, and never above the best published value."""
    problem_ = curtois.to_problem(curtois.parse(curtois.instance_path(DIR, "15")))
    bound = coverage_bound(problem_)
    assert bound is not None
    assert 3600 - 1e-3 <= bound <= curtois.PUBLISHED_BEST[15]


def test_every_other_weekend_limits_the_weekend_cover():
    """Two people who may work every other weekend against two people needed every day of two
    weekends in a row: each works one of them, so 4 of the 8 weekend passes stay uncovered."""
    short = problem(dagar=14, pass_typer=(DAG,),
                    behov=tuple(Behov(d, "U/D", 2, vikt_under=WEIGHT) for d in (5, 6, 12, 13)),
                    personal=(person("A"), person("B")))
    assert short.regler.helg == "varannan" and short.regler.helg_hard
    bound = coverage_bound(short)
    assert bound == 4 * WEIGHT
    result = solve(short, Installningar(time_limit_s=5, workers=1, seed=1))
    assert result.objektiv is not None and bound <= result.objektiv


def test_hours_the_person_must_work_beyond_the_need_cost_at_least_the_over_weight():
    """One person who must work 30 h (three nights of 10 h) against one night needed: two
    nights beyond the need, each at least the over weight (1 per hour: 10)."""
    short = problem(dagar=7, pass_typer=(NATT,), behov=(Behov(0, "U/N", 1),),
                    personal=(person("A", min_minuter=3 * 600),))
    assert coverage_bound(short) == 2 * 10


def test_hours_short_of_the_target_cost_the_saldo():
    """A target of three nights where the person may work only one: 20 h short at 2 per hour."""
    short = problem(dagar=7, pass_typer=(NATT,), behov=(Behov(0, "U/N", 1),),
                    personal=(person("A", mal_minuter=3 * 600, max_pass={"U/N": 1}),),
                    regler=Regler(tolerans_timmar=100))
    assert short.regler.saldo_per_timme == 2
    assert coverage_bound(short) == 20 * 2


def test_wishes_that_cannot_be_kept_count():
    """A wish to work on a day of absence is never met; a day off wished by someone who must
    work every day of the period is always broken (weight 5 × önskemål 10 each)."""
    from bemanning.roster.problem import Franvaro

    base = problem(dagar=3, pass_typer=(DAG,), behov=behov_every_day("U/D", 1, 3),
                   personal=(person("A", min_minuter=3 * DAG.paid),))
    assert coverage_bound(base) == 0
    absent = attrs.evolve(base, franvaro=(Franvaro("A", 2),),
                          personal=(person("A", min_minuter=2 * DAG.paid),),
                          onskemal=(Onskemal("A", 2, "U/D", True, vikt=5),))
    uncovered = 100 * DAG.paid // 60  # the day of absence's pass, at 100 an hour
    assert coverage_bound(absent) == uncovered + 5 * 10
    day_off = attrs.evolve(base, onskemal=(Onskemal("A", 1, None, False, vikt=5),))
    assert coverage_bound(day_off) == 5 * 10
    result = solve(day_off, Installningar(time_limit_s=3, workers=1, seed=1))
    assert result.objektiv is not None and 5 * 10 <= result.objektiv
    assert result.grans == 5 * 10 or result.grans == result.objektiv
