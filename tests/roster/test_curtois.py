"""The Curtois & Qu adapter: parsing, the published objective, Instance1's optimum."""

from __future__ import annotations

from bemanning.roster import curtois
from bemanning.roster.checker import check
from bemanning.roster.solver import OPTIMAL, Installningar, solve
from tests.roster.conftest import CURTOIS, needs_shared


@needs_shared
def test_parse_instance1():
    inst = curtois.parse(CURTOIS / "Instance1.txt")
    assert inst.horizon == 14
    assert len(inst.staff) == 8
    assert [s.shift_id for s in inst.shifts] == ["D"]
    assert inst.days_off["A"] == (0,)
    assert inst.cover[0] == (0, "D", 5, 100, 1)


@needs_shared
def test_instance1_reaches_the_proven_optimum():
    inst = curtois.parse(CURTOIS / "Instance1.txt")
    problem = curtois.to_problem(inst)
    result = solve(problem, Installningar(time_limit_s=30, workers=2, seed=1))
    assert result.objektiv == 607
    assert result.status == OPTIMAL
    assignment = {(a.person_id, a.dag): a.pass_id for a in result.schema.tilldelningar}
    assert curtois.objective(inst, assignment) == 607
    assert curtois.hard_violations(inst, assignment) == []
    assert check(problem, result.schema) == []


@needs_shared
def test_benchmark_settings_by_model_size():
    small = curtois.settings(curtois.parse(CURTOIS / "Instance1.txt"), time_limit_s=30)
    assert (small.konstruktion, small.helarbetare, small.forsta_andel) == (False, 8, 0.5)
    for name in ("Instance8.txt", "Instance12.txt"):
        large = curtois.settings(curtois.parse(CURTOIS / name), time_limit_s=30)
        assert (large.konstruktion, large.helarbetare, large.forsta_andel) == (True, None, 0.1)
        assert large.liten_modell <= 2324  # instance 8's pass variables: the large settings


@needs_shared
def test_instance1_reaches_607_with_the_benchmark_settings():
    inst = curtois.parse(CURTOIS / "Instance1.txt")
    problem = curtois.to_problem(inst)
    result = solve(problem, curtois.settings(inst, time_limit_s=30))
    assignment = {(a.person_id, a.dag): a.pass_id for a in result.schema.tilldelningar}
    assert curtois.objective(inst, assignment) == 607
    assert curtois.hard_violations(inst, assignment) == []
    assert check(problem, result.schema) == []
