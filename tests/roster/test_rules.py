"""Every hard rule: a roster that breaks it and one that keeps it.

Each case is checked twice: by the independent checker (the breaking roster is reported under
the rule's name, the other is not) and by the CP-SAT model with only that rule's module, with
the roster fixed (the breaking roster is infeasible, the other feasible).
"""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from bemanning.roster import checker
from bemanning.roster.model import build
from bemanning.roster.problem import (
    Behov,
    Enhetsinfo,
    Franvaro,
    Historik,
    PassTyp,
    Regler,
    Schema,
)
from bemanning.roster.rules import (
    arbetstid,
    dagar_i_rad,
    dygnsvila,
    franvaro,
    helger,
    introduktion,
    kompetens,
    nattarbete,
    overlapp,
    tackning,
    veckovila,
)
from tests.roster.conftest import person, problem

D, K, N, S = "U/D", "U/K", "U/N", "U/S"
TIDIG = PassTyp("U/T", "U", 4 * 60, 6 * 60, kompetens="underskoterska", namn="Tidig")
SEN = PassTyp("U/E", "U", 17 * 60, 4 * 60, kompetens="underskoterska", namn="Sen")
NATT6 = PassTyp("U/M", "U", 23 * 60, 8 * 60, kompetens="underskoterska", natt=True, namn="Natt2")


def roster(*items) -> Schema:
    return Schema.of(items)


def days(pid: str, pass_id: str, day_list) -> list[tuple[str, int, str]]:
    return [(pid, d, pass_id) for d in day_list]


def base(**kw):
    return problem(**kw)


def with_types(*extra, **kw):
    from tests.roster.conftest import DAG, KVALL, NATT, SSK

    return problem(pass_typer=(DAG, KVALL, NATT, SSK, *extra), **kw)


CASES = [
    # (id, rule name in the checker, rule module, problem, breaking roster, keeping roster)
    ("kompetens", checker.KOMPETENS, kompetens, base(),
     roster(("A", 0, S)), roster(("A", 0, D))),
    ("kompetens-sjukskoterska", checker.KOMPETENS, kompetens,
     base(personal=(person("A", kompetenser=frozenset({"sjukskoterska"})),)),
     roster(("A", 0, D)), roster(("A", 0, S))),
    ("franvaro", checker.FRANVARO, franvaro, base(franvaro=(Franvaro("A", 2, "semester"),)),
     roster(("A", 2, D)), roster(("A", 1, D), ("A", 3, D))),
    ("delad-tur", checker.OVERLAPP, overlapp, with_types(SEN),
     roster(("A", 0, D), ("A", 0, "U/E")), roster(("A", 0, D), ("A", 1, "U/E"))),
    ("overlapp-over-midnatt", checker.OVERLAPP, overlapp, with_types(TIDIG),
     roster(("A", 0, N), ("A", 1, "U/T")), roster(("A", 0, N), ("A", 2, "U/T"))),
    ("dygnsvila-kvall-dag", checker.DYGNSVILA, dygnsvila, base(),
     roster(("A", 0, K), ("A", 1, D)), roster(("A", 0, K), ("A", 1, K))),
    ("dygnsvila-over-midnatt", checker.DYGNSVILA, dygnsvila, base(),
     roster(("A", 0, N), ("A", 1, K)), roster(("A", 0, N), ("A", 1, N))),
    ("dygnsvila-natt-till-natt-sen", checker.DYGNSVILA, dygnsvila, with_types(NATT6),
     roster(("A", 0, "U/M"), ("A", 1, K)), roster(("A", 0, "U/M"), ("A", 2, K))),
    ("dygnsvila-periodgrans", checker.DYGNSVILA, dygnsvila,
     base(historik=(Historik("A", -10 * 60, 8 * 60),)),  # 14:00–22:00 the day before
     roster(("A", 0, D)), roster(("A", 0, K))),
    ("kort-dygnsvila-utan-kompensation", checker.DYGNSVILA, dygnsvila,
     with_types(TIDIG, enheter=(Enhetsinfo("U", "Enheten", "O", kort_dygnsvila=True),)),
     roster(("A", 0, K), ("A", 1, D), ("A", 2, "U/T")),
     roster(("A", 0, K), ("A", 1, D), ("A", 2, D))),
    ("kort-dygnsvila-bara-dar-det-ar-tillatet", checker.DYGNSVILA, dygnsvila, base(),
     roster(("A", 0, K), ("A", 1, D), ("A", 3, D)),
     roster(("A", 0, K), ("A", 2, D), ("A", 3, D))),
    ("veckovila-kalendervecka", checker.VECKOVILA, veckovila, base(),
     roster(*days("A", D, range(1, 7))),  # mån ledig: 00:00–tis 07:00 är bara 31 h
     roster(*days("A", D, range(2, 7)))),
    ("veckovila-rullande-over-veckograns", checker.VECKOVILA, veckovila,
     base(regler=Regler(veckovila_fonster="rullande", max_dagar_i_rad=None)),
     roster(*days("A", D, range(3, 10))),  # tor–ons: kalenderveckorna har vila, rullande inte
     roster(*days("A", D, range(3, 7)), *days("A", D, range(8, 11)))),
    ("nattarbete", checker.NATTARBETE, nattarbete,
     base(regler=Regler(veckovila_timmar=None, max_dagar_i_rad=None)),
     roster(*days("A", N, [0, 1, 2, 3, 4, 7, 8, 9, 10])),  # 90 h > 8 h × 11 dygn
     roster(*days("A", N, [0, 1, 2, 3, 7, 8, 9, 10]))),
    ("dagar-i-rad", checker.DAGAR_I_RAD, dagar_i_rad,
     base(regler=Regler(veckovila_timmar=None)),
     roster(*days("A", D, range(3, 10))), roster(*days("A", D, range(3, 9)))),
    ("dagar-i-rad-periodgrans", checker.DAGAR_I_RAD, dagar_i_rad,
     base(regler=Regler(veckovila_timmar=None),
          historik=tuple(Historik("A", -d * 1440 + 7 * 60, 8 * 60) for d in (1, 2, 3))),
     roster(*days("A", D, range(0, 4))), roster(*days("A", D, range(0, 3)))),
    ("minst-dagar-i-rad", checker.DAGAR_I_RAD, dagar_i_rad,
     base(regler=Regler(min_dagar_i_rad=2)),
     roster(("A", 3, D)), roster(("A", 0, D), ("A", 3, D), ("A", 4, D), ("A", 13, D))),
    ("minst-lediga-i-rad", checker.DAGAR_I_RAD, dagar_i_rad,
     base(regler=Regler(min_lediga_i_rad=2)),
     roster(*days("A", D, [1, 2, 4, 5])), roster(*days("A", D, [1, 2, 5, 6]))),
    ("varannan-helg", checker.HELGER, helger, base(),
     roster(("A", 5, D), ("A", 13, D)), roster(("A", 5, D), ("A", 6, D))),
    ("helger-max", checker.HELGER, helger,
     base(dagar=21, regler=Regler(helg="max", max_helger=1)),
     roster(("A", 6, D), ("A", 19, D)), roster(("A", 5, D), ("A", 6, D))),
    ("arbetstid-for-lite", checker.ARBETSTID, arbetstid,
     base(personal=(person("A", mal_minuter=10 * 8 * 60),)),
     roster(*days("A", D, range(0, 8))), roster(*days("A", D, range(0, 10)))),
    ("arbetstid-for-mycket", checker.ARBETSTID, arbetstid,
     base(personal=(person("A", mal_minuter=5 * 8 * 60),)),
     roster(*days("A", D, range(0, 7))), roster(*days("A", D, range(0, 6)))),
    ("arbetstid-max-pass", checker.ARBETSTID, arbetstid,
     base(personal=(person("A", max_pass={N: 1}),)),
     roster(("A", 0, N), ("A", 3, N)), roster(("A", 0, N), ("A", 3, D))),
    ("ny-medarbetare-ensam", checker.INTRODUKTION, introduktion,
     base(personal=(person("A", introducerad=False), person("B")),
          enheter=(Enhetsinfo("U", "Enheten", "O", kraver_introducerad=True),)),
     roster(("A", 0, D), ("B", 1, D)), roster(("A", 0, D), ("B", 0, K))),
    ("minsta-bemanning", checker.MINSTA, tackning,
     base(personal=(person("A"), person("B")), behov=(Behov(0, N, 2, minst=1),)),
     roster(("A", 1, N)), roster(("A", 0, N))),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_checker_reports_the_breach(case):
    _id, rule, _module, prob, bad, good = case
    assert any(b.regel == rule for b in checker.check(prob, bad)), "brottet syns inte"
    assert [str(b) for b in checker.check(prob, bad) if b.regel == rule][0]  # a Swedish line
    assert [b for b in checker.check(prob, good) if b.regel == rule] == []


def _feasible_with(prob, module, schema: Schema) -> bool:
    from ortools.sat.python import cp_model

    ctx = build(prob, explain=True, rules=[module])
    for lit, _guard in ctx.guards.values():
        ctx.model.add(lit == 1)
    wanted = schema.as_set()
    for key in wanted:
        p = prob.person_index[key[0]]
        t = prob.pass_index[key[2]]
        if (p, key[1], t) not in ctx.x:
            return False  # the model cannot even express this pass
    for (p, d, t), var in ctx.x.items():
        key = (prob.personal[p].person_id, d, prob.pass_typer[t].pass_id)
        ctx.model.add(var == int(key in wanted))
    ctx.model.clear_objective()
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = 10
    solver.parameters.num_workers = 1
    return solver.solve(ctx.model) in (cp_model.OPTIMAL, cp_model.FEASIBLE)


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_model_module_rejects_the_breach_and_holds_the_rule(case):
    _id, _rule, module, prob, bad, good = case
    assert not _feasible_with(prob, module, bad)
    assert _feasible_with(prob, module, good)


def test_other_omrade_is_reported():
    prob = base(
        personal=(person("A"), person("B", enhet="V")),
        enheter=(Enhetsinfo("U", "Enheten", "O"), Enhetsinfo("V", "Andra", "P")),
    )
    found = checker.check(prob, roster(("B", 0, D)))
    assert [b.regel for b in found] == [checker.OMRADE]
    assert checker.check(prob, roster(("A", 0, D))) == []


def test_unknown_pass_is_reported():
    found = checker.check(base(), roster(("A", 0, "U/X")))
    assert [b.regel for b in found] == [checker.OKANT]


def test_violation_text_says_who_when_and_which_rule():
    prob = base()
    text = str(checker.check(prob, roster(("A", 0, K), ("A", 1, D)))[0])
    assert text.startswith("Dygnsvila:")
    assert "Person A" in text and "2024-03-05" in text and "11 h" in text


def test_weekend_soft_rule_is_not_a_breach():
    prob = base(regler=Regler(helg_hard=False))
    assert checker.check(prob, roster(("A", 5, D), ("A", 13, D))) == []


def test_start_weekday_from_date():
    prob = base(start=date(2024, 3, 6))  # a Wednesday: days 3 and 4 are the weekend
    assert prob.weekends()[0] == [3, 4]
    assert attrs.evolve(prob, start=None, startveckodag=0).weekends()[0] == [5, 6]


@pytest.mark.parametrize("order", ["som vanligt", "rättvisa före helger"])
def test_fair_weekends_hold_whatever_order_the_rules_are_built_in(order):
    """Rättvisan läser vilka helger var och en arbetar; den får dem av modellen, inte av att
    helgregeln råkar ha körts först."""
    from bemanning.roster.rules import RULES, helger, rattvisa
    from bemanning.roster.solver import Installningar, solve
    from tests.roster.conftest import behov_every_day

    rules = list(RULES)
    if order != "som vanligt":
        rules.remove(rattvisa)
        rules.insert(rules.index(helger), rattvisa)
    weekend_need = tuple(b for b in behov_every_day("U/D", 1, 28) if b.dag % 7 >= 5)
    prob = problem(dagar=28, personal=(person("A"), person("B")), behov=weekend_need,
                   regler=attrs.evolve(Regler(), helg="ingen", rattvisa_helger=50))
    ctx = build(prob, rules=rules)
    assert any("skillnad i antal helger" in term.text for term in ctx.objective.terms)
    result = solve(prob, Installningar(time_limit_s=10, workers=1, seed=2), ctx=ctx)
    assert result.schema is not None
    worked = {pid: {t.dag // 7 for t in items}
              for pid, items in result.schema.by_person().items()}
    assert len(worked.get("A", ())) == len(worked.get("B", ())) >= 2
