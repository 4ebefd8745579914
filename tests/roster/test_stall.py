"""Phase 1 on a mid-size model stops once it stops paying (`solver.Stall`): the rule is fed
rosters and a clock of its own, no timings."""

from __future__ import annotations

from bemanning.roster.solver import Stall


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_phase_one_that_takes_less_than_a_share_of_the_cost_for_a_while_is_stopped():
    clock = Clock()
    stall = Stall.from_start(10_000, clock)
    assert not stall.stalled()  # no roster yet: presolve may take its time
    clock.now += 5
    assert not stall.stalled()
    stall.solution(10_000)  # the start
    clock.now += 1.5
    stall.solution(9_950)  # half a per cent: does not count
    clock.now += 0.4
    assert not stall.stalled()
    clock.now += 0.2  # 2,1 s after the start without a per cent
    assert stall.stalled() and stall.stopped


def test_phase_one_that_keeps_taking_a_share_of_the_cost_goes_on():
    clock = Clock()
    stall = Stall.from_start(5_600, clock)
    cost = 5_600
    stall.solution(cost)
    for _ in range(10):
        clock.now += 1.5
        cost -= 80  # more than a per cent of the start every 1,5 s
        stall.solution(cost)
        assert not stall.stalled()
    clock.now += Stall.SECONDS + 0.1
    assert stall.stalled()


def test_the_least_gain_that_counts_is_never_below_one():
    assert Stall.from_start(20).step == 1.0
    assert Stall.from_start(10_170).step == 101.7
