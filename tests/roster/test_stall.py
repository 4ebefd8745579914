"""Phase 1 on a mid-size model is stopped when it does not pay (`solver.Stall`): the rule is
fed rosters and a clock of its own, no timings."""

from __future__ import annotations

from bemanning.roster.solver import Stall


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def test_phase_one_that_does_not_get_a_share_below_the_start_in_time_is_stopped():
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
    clock.now += 0.2  # 2,1 s after the first roster without a per cent
    assert stall.stalled() and stall.stopped


def test_phase_one_that_got_a_share_below_the_start_keeps_its_time_even_if_it_pauses():
    clock = Clock()
    stall = Stall.from_start(5_600, clock)
    stall.solution(5_612)
    clock.now += 1.0
    stall.solution(5_334)  # 5 % below the first roster
    for _ in range(10):
        clock.now += 1.0  # nothing more for 10 s
        assert not stall.stalled()
    assert not stall.stopped


def test_the_least_gain_that_counts_is_never_below_one():
    assert Stall.from_start(20).step == 1.0
    assert Stall.from_start(10_170).step == 101.7
