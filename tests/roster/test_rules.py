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
from bemanning.roster.kallor import KALLOR, hjalptext, kalla
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
from tests.roster.conftest import BRYT, person, problem

D, K, N, S = "U/D", "U/K", "U/N", "U/S"
TIDIG = PassTyp("U/T", "U", 4 * 60, 6 * 60, kompetens="underskoterska", namn="Tidig")
SEN = PassTyp("U/E", "U", 17 * 60, 4 * 60, kompetens="underskoterska", namn="Sen")
NATT6 = PassTyp("U/M", "U", 23 * 60, 8 * 60, kompetens="underskoterska", natt=True, namn="Natt2")


# AB 24: passes for the 24-hour periods from the dygnsbryt
K13 = PassTyp("U/K13", "U", 13 * 60, 8 * 60, kompetens="underskoterska", namn="Kväll 13–21")
D08 = PassTyp("U/D08", "U", 8 * 60, 8 * 60, kompetens="underskoterska", namn="Dag 08–16")
M05 = PassTyp("U/M05", "U", 5 * 60, 8 * 60, kompetens="underskoterska", namn="Morgon 05–13")
D09 = PassTyp("U/D09", "U", 9 * 60, 6 * 60, kompetens="underskoterska", namn="Dag 09–15")


def bryt(minutes: int, *, kort: bool = False, **kw):
    """A problem whose unit U has its dygnsbryt at `minutes` after midnight."""
    return problem(pass_typer=(K13, D08, M05, D09),
                   enheter=(Enhetsinfo("U", "Enheten", "O", kort_dygnsvila=kort,
                                       dygnsbryt=minutes),), **kw)


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
     with_types(TIDIG, enheter=(Enhetsinfo("U", "Enheten", "O", kort_dygnsvila=True,
                                           dygnsbryt=BRYT),)),
     roster(("A", 0, K), ("A", 1, D), ("A", 2, "U/T")),
     roster(("A", 0, K), ("A", 1, D), ("A", 2, D))),
    ("kort-dygnsvila-bara-dar-det-ar-tillatet", checker.DYGNSVILA, dygnsvila, base(),
     roster(("A", 0, K), ("A", 1, D), ("A", 3, D)),
     roster(("A", 0, K), ("A", 2, D), ("A", 3, D))),
    # kväll 13–21 then dag 08–16: an 11-hour gap, but 00:00–08:00 is all the period holds
    ("dygnsvila-per-dygn-bryt-0000", checker.DYGNSVILA, dygnsvila, bryt(0),
     roster(("A", 0, "U/K13"), ("A", 1, "U/D08")),
     roster(("A", 0, "U/K13"), ("A", 1, "U/K13"))),
    # from 21:00 the same pair has 21:00–08:00 inside one period; a lone 05–13 has 8 h + 8 h
    ("dygnsvila-per-dygn-bryt-2100", checker.DYGNSVILA, dygnsvila, bryt(21 * 60),
     roster(("A", 2, "U/M05")),
     roster(("A", 0, "U/K13"), ("A", 1, "U/D08"))),
    # 09–15 leaves 9 h in its period: allowed on a marked unit if the next period holds 13 h
    ("dygnsvila-per-dygn-kort-utan-kompensation", checker.DYGNSVILA, dygnsvila,
     bryt(0, kort=True),
     roster(("A", 0, "U/D09"), ("A", 1, "U/D09")),
     roster(("A", 0, "U/D09"), ("A", 2, "U/D09"))),
    ("dygnsvila-per-dygn-kort-bara-dar-det-ar-tillatet", checker.DYGNSVILA, dygnsvila,
     bryt(0),
     roster(("A", 0, "U/D09")),
     roster(("A", 0, "U/K13"))),
    ("veckovila-kalendervecka", checker.VECKOVILA, veckovila, base(),
     roster(*days("A", D, range(1, 7))),  # mån ledig: 00:00–tis 07:00 är bara 31 h
     roster(*days("A", D, range(2, 7)))),
    ("veckovila-rullande-over-veckograns", checker.VECKOVILA, veckovila,
     base(regler=Regler(veckovila_fonster="rullande", max_dagar_i_rad=None)),
     roster(*days("A", D, range(3, 10))),  # tor–ons: kalenderveckorna har vila, rullande inte
     roster(*days("A", D, range(3, 7)), *days("A", D, range(8, 11)))),
    ("nattarbete", checker.NATTARBETE, nattarbete,
     base(regler=Regler(veckovila_timmar=None, max_dagar_i_rad=None)),
     # 14 dygn less 2 started weeks: 8 h × 12 = 96 h
     roster(*days("A", N, [0, 1, 2, 3, 4, 7, 8, 9, 10, 11])),  # 100 h
     roster(*days("A", N, [0, 1, 2, 3, 4, 7, 8, 9, 10]))),  # 90 h
    # semester counts as worked time: 3 days × 38,25 h / 7 = 16,4 h on top of the nights
    ("nattarbete-med-franvaro", checker.NATTARBETE, nattarbete,
     base(regler=Regler(veckovila_timmar=None, max_dagar_i_rad=None),
          franvaro=tuple(Franvaro("A", d, "semester") for d in (11, 12, 13))),
     roster(*days("A", N, [0, 1, 2, 3, 4, 6, 7, 8])),  # 80 h + 16,4 h > 96 h
     roster(*days("A", N, [0, 1, 2, 3, 5, 6, 7]))),  # 70 h + 16,4 h
    # 15 dygn are three started weeks: 8 h × (15 − 3) = 96 h, not 8 h × 15 × 6/7
    ("nattarbete-paborjad-sjudagarsperiod", checker.NATTARBETE, nattarbete,
     base(dagar=15, regler=Regler(veckovila_timmar=None, max_dagar_i_rad=None)),
     roster(*days("A", N, [0, 1, 2, 3, 4, 7, 8, 9, 10, 14])),  # 100 h
     roster(*days("A", N, [0, 1, 2, 3, 7, 8, 9, 10, 14]))),  # 90 h
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
          enheter=(Enhetsinfo("U", "Enheten", "O", kraver_introducerad=True,
                              dygnsbryt=BRYT),)),
     roster(("A", 0, D), ("B", 1, D)), roster(("A", 0, D), ("B", 0, K))),
    ("minsta-bemanning", checker.MINSTA, tackning,
     base(personal=(person("A"), person("B")), behov=(Behov(0, N, 2, minst=1),)),
     roster(("A", 1, N)), roster(("A", 0, N))),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_checker_reports_the_breach(case):
    _id, rule, _module, prob, bad, good = case
    assert any(b.regel == rule for b in checker.check(prob, bad)), "brottet syns inte"
    lines = [str(b) for b in checker.check(prob, bad) if b.regel == rule]
    assert lines[0].startswith(f"{rule}: ")  # a Swedish line under the rule's name
    assert all(line.endswith(f"({kalla(rule)})") for line in lines)  # and where it comes from
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
        enheter=(Enhetsinfo("U", "Enheten", "O", dygnsbryt=BRYT),
                 Enhetsinfo("V", "Andra", "P", dygnsbryt=BRYT)),
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


def test_kvall_then_dag_keeps_the_gap_but_breaks_the_24_hour_period():
    """Issue 18: kväll 13–21, then dag 08–16, dygnsbryt 00:00."""
    prob = bryt(0)
    pair = roster(("A", 0, "U/K13"), ("A", 1, "U/D08"))
    found = [b for b in checker.check(prob, pair) if b.regel == checker.DYGNSVILA]
    assert len(found) == 1
    text = str(found[0])
    assert "24-timmarsperioden från tis 2024-03-05 00:00" in text
    assert "som längst 8 h" in text and "minst 11 h" in text
    assert text.endswith("(AB 24, dygnsvila, från 2023-10-01)")
    # the gap rule alone lets the pair through, in the checker and in the model
    assert not any("vila före passet" in b.text for b in found)
    forbidden, short = dygnsvila.successions(prob)
    k13, d08 = prob.pass_index["U/K13"], prob.pass_index["U/D08"]
    assert (k13, d08, 1) not in forbidden and not short
    assert not _feasible_with(prob, dygnsvila, pair)


def test_kvall_then_dag_holds_with_a_dygnsbryt_that_leaves_11_hours_in_one_period():
    pair = roster(("A", 0, "U/K13"), ("A", 1, "U/D08"))
    for minutes in (21 * 60, 20 * 60):
        prob = bryt(minutes)
        assert checker.check(prob, pair) == []
        assert _feasible_with(prob, dygnsvila, pair)


def test_periods_come_from_the_home_unit():
    """A resurspass at another unit counts in the periods of the person's home unit."""
    other = PassTyp("V/D08", "V", 8 * 60, 8 * 60, kompetens="underskoterska", namn="Dag")
    prob = problem(pass_typer=(K13, other),
                   enheter=(Enhetsinfo("U", "Hem", "O", dygnsbryt=0),
                            Enhetsinfo("V", "Annan", "O", dygnsbryt=21 * 60)))
    pair = roster(("A", 0, "U/K13"), ("A", 1, "V/D08"))
    assert [b.regel for b in checker.check(prob, pair)] == [checker.DYGNSVILA]
    assert not _feasible_with(prob, dygnsvila, pair)


def test_night_work_averages_with_absence_per_atl_13a():
    """ATL 13 a §: 24 h off per started seven-day period, absence counted as worked time.

    The old count (1,5 days a week off, absence days removed) allowed 8 h × (14 − 3 − 3) = 64 h
    here and so rejected these seven nights; the law allows 96 h less the 16,4 h of semester.
    """
    prob = base(regler=Regler(veckovila_timmar=None, max_dagar_i_rad=None),
                franvaro=tuple(Franvaro("A", d, "semester") for d in (11, 12, 13)))
    seven = roster(*days("A", N, [0, 1, 2, 3, 5, 6, 7]))
    assert checker.check(prob, seven) == []
    assert _feasible_with(prob, nattarbete, seven)
    eight = roster(*days("A", N, [0, 1, 2, 3, 4, 6, 7, 8]))
    found = [str(b) for b in checker.check(prob, eight) if b.regel == checker.NATTARBETE]
    assert found == [
        "Nattarbete: Person A arbetar natt: beräkningsperioden 2024-03-04–2024-03-17 (14 dygn, "
        "2 påbörjade sjudagarsperioder à 24 h avräknade) har 80 h arbete och 3 dagars frånvaro "
        "räknad som arbetad tid (16,4 h); i snitt högst 8 h per 24-timmarsperiod ger högst 96 h "
        "(ATL 13 a §, nattarbete, från 2005-07-01)"]
    # the same eight nights without the semester keep the rule
    assert checker.check(attrs.evolve(prob, franvaro=()), eight) == []


def test_night_work_reference_period_is_at_most_four_months():
    from bemanning.roster.rules.nattarbete import reference_periods

    prob = base(dagar=16 * 7, start=date(2025, 11, 3))  # to 2026-02-22, under four months
    assert reference_periods(prob) == [(0, 112)]
    long = base(dagar=150, start=date(2025, 10, 31))  # four months end 2026-02-28
    assert reference_periods(long) == [(0, 120), (120, 150)]


def test_every_rule_says_where_it_comes_from():
    """Issue 18 item 8: the paragraph and the date it applies from, the same in the F1 help."""
    assert kalla(checker.DYGNSVILA) == "AB 24, dygnsvila, från 2023-10-01"
    assert kalla(checker.DYGNSVILA, date(2026, 3, 2)) == "AB 24, dygnsvila, från 2023-10-01"
    assert kalla(checker.NATTARBETE) == "ATL 13 a §, nattarbete, från 2005-07-01"
    assert kalla(checker.VECKOVILA) == "ATL 14 §, veckovila, från 2005-07-01"
    names = {getattr(checker, n) for n in dir(checker)
             if n.isupper() and isinstance(getattr(checker, n), str)}
    assert names <= set(KALLOR), "en regel i kontrollen saknar källa"
    helptext = hjalptext()
    for rule in names:
        assert f"{rule} ({kalla(rule)})" in helptext
    prob = base(regler=Regler(helg="max", max_helger=0))
    found = checker.check(prob, roster(("A", 5, D)))
    assert [str(b) for b in found] == [
        "Helger: Person A arbetar 1 helger under schemaperioden 2024-03-04–2024-03-17, högst 0 "
        "(lokal schemaregel, helger)"]


@pytest.mark.parametrize("minutes, both", [(0, False), (21 * 60, True)])
def test_solver_keeps_the_24_hour_period(minutes, both):
    """The full model (not only the rule module): with dygnsbryt 00:00 the solver leaves one of
    kväll 13–21 and dag 08–16 unmanned rather than give both to A; from 21:00 it gives both."""
    from bemanning.roster.solver import Installningar, solve

    prob = bryt(minutes, dagar=2, behov=(Behov(0, "U/K13", 1), Behov(1, "U/D08", 1)),
                regler=Regler(veckovila_timmar=None, helg="ingen"))
    result = solve(prob, Installningar(time_limit_s=5, workers=1, seed=1))
    assert result.schema is not None
    assert checker.check(prob, result.schema) == []
    assert (len(result.schema.tilldelningar) == 2) is both


def test_period_constraints_are_left_out_only_where_the_gap_rule_implies_them():
    prob = bryt(0)
    forbidden = frozenset(dygnsvila.successions(prob)[0])
    k13, d08 = prob.pass_index["U/K13"], prob.pass_index["U/D08"]
    assert not dygnsvila.implied_by_gap(prob, {k13, d08}, 0, forbidden, 660)
    assert dygnsvila.implied_by_gap(prob, {k13, d08}, 21 * 60, forbidden, 660)
    assert dygnsvila.implied_by_gap(prob, {k13}, 0, forbidden, 660)


def test_a_dygnsbryt_that_no_pass_of_the_unit_fits_is_said_with_a_better_one():
    from bemanning.roster.problem import hhmm

    found = dygnsvila.dygnsbryt_varningar(bryt(0))
    assert len(found) == 1
    line = found[0]
    assert line.startswith("Dygnsvila (AB 24, dygnsvila, från 2023-10-01): Enheten har "
                           "dygnsbryt 00:00")
    assert "Dag 08–16 08:00–16:00 (som mest 8 h)" in line
    assert "Dag 09–15 09:00–15:00 (som mest 9 h)" in line
    assert "Kväll" not in line and "Morgon" not in line
    better = line.rsplit("till exempel ", 1)[1].rstrip(".")
    minutes = int(better[:2]) * 60 + int(better[3:])
    assert hhmm(minutes) == better and dygnsvila.dygnsbryt_varningar(bryt(minutes)) == []
    assert dygnsvila.dygnsbryt_varningar(base()) == []  # the test unit's 10:00 fits its passes
