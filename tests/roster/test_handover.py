"""The hand-over rule between the construction's rounds and the neighbourhood search (issue 19):
a round goes on while it takes more off the cost per second than the search does, and the
search takes over when it pays more. The rule is fed gains and seconds directly (no clock);
the solver is run with a scripted rule, so that what it does does not depend on the machine's
speed. Every roster must pass the independent checker."""

from __future__ import annotations

import attrs
import pytest

from bemanning.roster import checker, solver
from bemanning.roster.construct import construct, construct_again
from bemanning.roster.cpsat import Installningar
from bemanning.roster.model import build
from bemanning.roster.solver import HandOver, solve
from tests.roster.test_large import _cost
from tests.roster.test_neighbourhood import long_problem


def test_a_round_comes_first_then_the_search_so_that_both_have_a_rate():
    rule = HandOver()
    assert rule.next_is_round()
    rule.record_round(2000, 5.0)
    assert rule.search_rate is None
    assert not rule.next_is_round()  # the search has no rate yet: it runs next


def test_the_rounds_go_on_while_they_take_off_more_per_second_than_the_search():
    rule = HandOver()
    rule.record_round(2000, 5.0)  # 400 per second
    rule.record_search(100, 2.0)  # 50 per second
    assert rule.next_is_round()
    rule.record_round(600, 5.0)  # 120 per second: still more than the search
    assert rule.next_is_round()
    rule.record_round(500, 5.0)
    assert rule.next_is_round()


def test_the_rounds_hand_over_when_the_search_pays_more_per_second():
    rule = HandOver()
    rule.record_round(2000, 5.0)
    rule.record_search(100, 2.0)
    rule.record_round(200, 5.0)  # 40 per second, the search 50
    assert not rule.next_is_round()
    rule.record_search(250, 5.0)  # it keeps paying: the search keeps the turn
    assert not rule.next_is_round()


def test_a_tie_goes_to_the_search_and_a_round_that_took_nothing_never_comes_back():
    rule = HandOver()
    rule.record_round(100, 2.0)
    rule.record_search(50, 1.0)
    assert not rule.next_is_round()  # 50 per second each
    rule.record_round(0, 5.0)
    for _ in range(20):
        rule.record_search(0, 10.0)  # even a search that has stopped finding anything
    assert not rule.next_is_round()


def test_a_round_comes_back_when_the_search_has_slowed_down_below_it():
    rule = HandOver()
    rule.record_round(100, 5.0)  # 20 per second
    rule.record_search(300, 3.0)  # 100 per second: the search takes over
    assert not rule.next_is_round()
    rule.record_search(0, 3.0)  # one slice with nothing: the older slice still counts
    assert not rule.next_is_round()
    rule.record_search(0, 10.0)
    rule.record_search(0, 10.0)
    assert rule.next_is_round()  # the search now takes off less per second than the round did


def test_one_more_round_from_a_roster_keeps_every_rule_and_costs_no_more():
    prob = long_problem()
    ctx = build(prob)
    first = construct(prob, workers=2, sweeps=0)
    again = construct_again(prob, first, 1, workers=2)
    assert checker.check(prob, again) == []
    before, after = _cost(ctx, first), _cost(ctx, again)
    assert before is not None and after is not None
    assert after <= before
    # the same roster every time (each row's solve is bounded by deterministic work)
    assert construct_again(prob, first, 1, workers=2) == again


@attrs.define
class _Scripted(HandOver):
    """A rule that answers from a script (round or not, one answer per question, then the
    last answer again), and counts the rounds the solver ran."""

    script: list[bool] = attrs.field(factory=list)
    rounds: int = 0
    searches: int = 0

    def next_is_round(self) -> bool:
        return self.script.pop(0) if len(self.script) > 1 else self.script[0]

    def record_round(self, gain: float, seconds: float) -> None:
        self.rounds += 1
        assert gain >= 0  # a round never makes the roster dearer
        super().record_round(gain, seconds)

    def record_search(self, gain: float, seconds: float) -> None:
        self.searches += 1
        super().record_search(gain, seconds)


def _solve_with(monkeypatch, script: list[bool], rounds: int = 3):
    made = []

    def scripted() -> _Scripted:
        made.append(_Scripted(script=list(script)))
        return made[-1]

    monkeypatch.setattr(solver, "HandOver", scripted)
    prob = long_problem()
    # large-model paths on a small problem (thresholds 0); rounds may start until the end
    settings = Installningar(time_limit_s=12, workers=2, seed=2, stor_modell=0, varv_fran=0,
                             delmodell_fran=0, konstruktion_varv=rounds, konstruktion_andel=1.0)
    result = solve(prob, settings)
    assert result.ok
    assert checker.check(prob, result.schema) == []
    assert len(made) == 1
    return made[0]


def test_the_solver_keeps_constructing_while_the_rule_says_so(monkeypatch):
    rule = _solve_with(monkeypatch, [True], rounds=3)
    assert rule.rounds == 3  # every round allowed, then the search has the rest of the time
    assert rule.searches >= 1


def test_the_solver_hands_over_to_the_search_when_the_rule_says_so(monkeypatch):
    rule = _solve_with(monkeypatch, [True, False], rounds=3)
    assert rule.rounds == 1
    assert rule.searches >= 1


@pytest.mark.parametrize("varv_fran", [0, 10**9])
def test_rounds_run_only_on_large_models(monkeypatch, varv_fran):
    made = []
    monkeypatch.setattr(solver, "HandOver", lambda: made.append(_Scripted(script=[True]))
                        or made[-1])
    prob = long_problem()
    result = solve(prob, Installningar(time_limit_s=4, workers=2, seed=2,
                                       varv_fran=varv_fran, konstruktion_varv=1,
                                       konstruktion_andel=1.0))
    assert checker.check(prob, result.schema) == []
    assert len(made) == (1 if varv_fran == 0 else 0)
