"""When CP-SAT on the whole model gets a slice between the neighbourhood slices (issue 19):
on mid-size models only while it takes as much off the cost per second as the neighbourhoods.
The rule is fed gains and seconds (no clock)."""

from __future__ import annotations

from bemanning.roster import checker
from bemanning.roster.cpsat import Installningar
from bemanning.roster.solver import WholePacing, solve
from tests.roster.test_neighbourhood import long_problem


def test_a_whole_model_slice_that_takes_less_per_second_comes_shorter_and_later():
    pacing = WholePacing(5.0, paced=True)
    pacing.local(1000, 10.0)  # the neighbourhoods: 100 per second
    assert pacing.due()
    pacing.whole(True, 50, 5.0)  # better, but 10 per second
    assert pacing.seconds == 2.5
    pacing.local(500, 10.0)
    assert not pacing.due()  # now after two neighbourhood slices
    pacing.local(500, 10.0)
    assert pacing.due()
    pacing.whole(False, 0, 2.5)  # nothing better
    assert pacing.seconds == WholePacing.SHORTEST_S
    assert pacing.between == 4
    for _ in range(20):
        pacing.whole(None, 0, 2.0)
    assert pacing.between == WholePacing.MOST_BETWEEN


def test_a_whole_model_slice_that_pays_as_well_keeps_its_turn_and_grows():
    pacing = WholePacing(5.0, paced=True)
    pacing.local(100, 10.0)  # 10 per second
    pacing.whole(True, 60, 5.0)  # 12 per second
    assert pacing.seconds == 7.5 and pacing.between == 1
    pacing.local(0, 10.0)  # the neighbourhoods have stalled
    assert pacing.due()
    pacing.whole(True, 1, 7.5)  # a little is more than nothing
    assert pacing.seconds == 11.25 and pacing.between == 1
    for _ in range(10):
        pacing.local(0, 1.0)
        pacing.whole(True, 10, 1.0)
    assert pacing.seconds == 4 * 5.0  # never past four times the base


def test_a_slow_whole_model_slice_gets_its_turn_back_when_the_neighbourhoods_slow_down():
    pacing = WholePacing(5.0, paced=True)
    pacing.local(1000, 10.0)
    pacing.whole(True, 10, 5.0)  # 2 per second against 100: shorter, later
    assert pacing.between == 2
    pacing.local(5, 10.0)
    pacing.local(5, 10.0)  # the neighbourhoods now take 0.5 per second
    assert pacing.due()
    pacing.whole(True, 10, 2.5)  # 4 per second
    assert pacing.between == 1 and pacing.seconds == 3.75


def test_unpaced_the_whole_model_slice_follows_every_neighbourhood_slice_as_before():
    pacing = WholePacing(5.0)
    pacing.local(1000, 10.0)
    pacing.whole(True, 1, 5.0)
    assert pacing.due() and pacing.seconds == 7.5
    pacing.whole(False, 0, 7.5)
    assert pacing.due() and pacing.seconds == 3.75
    pacing.whole(None, 0, 3.75)  # no roster at all: unchanged
    assert pacing.seconds == 3.75
    pacing.whole(False, 0, 3.75)
    pacing.whole(False, 0, 2.0)
    assert pacing.seconds == WholePacing.SHORTEST_S


def test_the_paced_solver_returns_a_roster_that_keeps_every_rule(monkeypatch):
    """A mid-size model (thresholds set around the small problem): the paced loop runs, and
    the roster passes the checker and costs what the model says."""
    prob = long_problem()
    made = []
    original = WholePacing.__attrs_post_init__

    def record(self):
        made.append(self)
        original(self)

    monkeypatch.setattr(WholePacing, "__attrs_post_init__", record)
    settings = Installningar(time_limit_s=6.0, workers=2, seed=3, liten_modell=0,
                             stor_modell=10 ** 9, lns_skiva=1.0, hel_skiva=1.0)
    result = solve(prob, settings)
    assert made and made[0].paced
    assert result.ok and checker.check(prob, result.schema) == []
    small = Installningar(time_limit_s=3.0, workers=2, seed=3, liten_modell=10 ** 9)
    made.clear()
    solve(prob, small)
    assert made and not made[0].paced
