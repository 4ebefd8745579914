"""The engine end to end: solving, figures, resurspass, export, infeasibility, re-planning,
progress and cancel. Every roster the solver returns must pass the checker."""

from __future__ import annotations

import logging
import threading
import time
from datetime import date
from pathlib import Path

import attrs
import pytest

from bemanning.roster import checker
from bemanning.roster.cpsat import PHASE_PARTS
from bemanning.roster.export import by_person_rows, csv_bytes, read_csv, write_csv, write_xlsx
from bemanning.roster.figures import compute, summary_lines
from bemanning.roster.infeasibility import explain
from bemanning.roster.problem import Behov, Enhetsinfo, Franvaro, PassTyp, Regler, RosterProblem
from bemanning.roster.replanning import replan
from bemanning.roster.resurspass import ANNAN_ENHET, KONTAKTPERSON, OPPET, classify
from bemanning.roster.solver import CANCELLED, INFEASIBLE, Installningar, solve
from tests.roster.conftest import BRYT, NATT, person

UD = PassTyp("U/D", "U", 7 * 60, 8 * 60 + 30, betald=8 * 60, kompetens="underskoterska", namn="U dag")
UK = PassTyp("U/K", "U", 14 * 60, 8 * 60, betald=7 * 60 + 30, kompetens="underskoterska",
             namn="U kväll")
VD = PassTyp("V/D", "V", 7 * 60, 8 * 60 + 30, betald=8 * 60, kompetens="underskoterska", namn="V dag")
DEMO = Path(__file__).parents[2] / "data" / "demo"
FAST = Installningar(time_limit_s=8, workers=2, seed=3)


def small(**kw) -> RosterProblem:
    target = round(38.25 * 2 * 60)
    kw.setdefault("personal", (
        person("A", mal_minuter=target),
        person("B", mal_minuter=target),
        person("C", mal_minuter=target, kontaktperson_minuter=4 * 60),
        person("D", enhet="V", mal_minuter=target),
    ))
    behov = [Behov(d, "U/D", 1) for d in range(14)] + [Behov(d, "U/K", 1) for d in range(14)]
    behov += [Behov(d, "V/D", 1) for d in range(14) if d % 7 < 5]
    behov += [Behov(d, "V/D", 2) for d in range(14) if d % 7 >= 5]
    kw.setdefault("behov", tuple(behov))
    return RosterProblem(
        dagar=14, pass_typer=(UD, UK, VD), personal=kw.pop("personal"), behov=kw.pop("behov"),
        enheter=(Enhetsinfo("U", "Enhet U", "O", dygnsbryt=BRYT),
                 Enhetsinfo("V", "Enhet V", "O", dygnsbryt=BRYT)),
        start=date(2024, 3, 4), **kw)


@pytest.fixture(scope="module")
def solved():
    prob = small(onskemal=())
    return prob, solve(prob, FAST)


def test_solver_roster_passes_the_checker(solved):
    prob, result = solved
    assert result.ok
    assert checker.check(prob, result.schema) == []
    assert result.objektiv is not None and result.grans is not None
    assert result.grans <= result.objektiv


def test_cost_is_explained_term_by_term(solved):
    _prob, result = solved
    items = result.kostnader
    assert sum(k.kostnad for k in items) == result.objektiv
    assert all(k.text and k.kategori for k in items)


def test_figures_and_resurspass(solved):
    prob, result = solved
    nt = compute(prob, result.schema)
    assert 0 <= nt.tackningsgrad <= 100
    assert nt.tackta_timmar + nt.obemannade_timmar == pytest.approx(nt.behov_timmar)
    assert nt.andel_heltid_anstallda == 100
    assert nt.resurspass_timmar[KONTAKTPERSON] == 4
    # every pass is need or resurspass: hours add up
    resurs, missing = classify(prob, result.schema)
    scheduled = sum(prob.pass_typ(t.pass_id).paid for t in result.schema.tilldelningar) / 60
    in_need = nt.tackta_timmar
    placed = sum(r.timmar for r in resurs if r.anvandning in (OPPET,))
    assert scheduled == pytest.approx(in_need + placed)
    assert all(r.enhet != r.hemenhet for r in resurs if r.anvandning == ANNAN_ENHET)
    assert {p.person_id for p in nt.personer} == {"A", "B", "C", "D"}
    assert any("Täckningsgrad" in line for line in summary_lines(prob, nt))
    assert sum(o.saknas for o in missing) == nt.obemannade_pass


def test_export_csv_and_xlsx(solved, tmp_path):
    prob, result = solved
    data = csv_bytes(by_person_rows(prob, result.schema))
    assert data.startswith("\ufeff".encode())
    assert data.decode("utf-8-sig").splitlines()[0].startswith("personal_id;namn;enhet;2024-03-04")
    paths = write_csv(prob, result.schema, tmp_path / "schema.csv")
    assert [p.name for p in paths] == ["schema.csv", "schema-enhet.csv"]
    assert read_csv(prob, paths[0]) == result.schema
    from openpyxl import load_workbook

    book = load_workbook(write_xlsx(prob, result.schema, tmp_path / "schema.xlsx"))
    assert book.sheetnames == ["Per person", "Per enhet", "Resurspass", "Obemannat", "Nyckeltal"]
    assert book["Per person"]["A1"].value == "personal_id"


def test_progress_callback_and_no_stdout(capsys, caplog):
    seen = []
    with caplog.at_level(logging.INFO, logger="bemanning.roster"):
        result = solve(small(), Installningar(time_limit_s=3, seed=1), progress=seen.append)
    assert result.ok
    assert seen and seen[-1].basta is not None and seen[-1].sekunder >= 0
    assert capsys.readouterr().out == ""
    assert any("klart" in r.getMessage() for r in caplog.records)


@pytest.mark.skipif(not (DEMO / "personal.csv").exists(), reason="demodata saknas")
@pytest.mark.parametrize("after", [0.0, 1.0, 4.0])
def test_cancel_stops_a_search_that_could_not_finish_in_its_limit(after):
    """Norr in the demo, six weeks, two minutes: far from optimal when the time is up (the
    bound stays far below the cost). Cancelled at once, after a second (the start is being
    built) or after four (CP-SAT on the whole model), it stops within seconds, says so, and a
    roster it returns keeps every hard rule."""
    prob = _demo_problem("norr", weeks=6)
    flag = threading.Event()
    timer = threading.Timer(after, flag.set)
    began = time.monotonic()
    timer.start()
    try:
        result = solve(prob, Installningar(time_limit_s=120, seed=1), cancel=flag)
    finally:
        timer.cancel()
    took = time.monotonic() - began
    assert result.status == CANCELLED
    assert took < after + 20, f"avbrottet tog {took:.1f} s av 120"
    if result.schema is not None:
        assert checker.check(prob, result.schema) == []


def _night_conflict() -> RosterProblem:
    return RosterProblem(
        dagar=7, pass_typer=(NATT,), personal=(person("A"), person("B")),
        behov=tuple(Behov(d, "U/N", 2, minst=2) for d in range(7)),
        enheter=(Enhetsinfo("U", "Hemgården natt", "O", dygnsbryt=BRYT),), start=date(2024, 3, 4))


def test_infeasible_input_names_its_conflict():
    prob = _night_conflict()
    result = solve(prob, Installningar(time_limit_s=10))
    assert result.status == INFEASIBLE and result.schema is None
    why = explain(prob, time_limit_s=20)
    assert why.mojlig is False
    assert "Minsta bemanning" in why.regler
    assert {"Veckovila", "Arbetsdagar i rad", "Nattarbete"} & set(why.regler)
    text = "\n".join(why.lines())
    assert "Hemgården natt" in text and "går inte ihop" in text
    assert "av 7 dagar" in text  # how far the staff reach under the other rules


def test_target_hours_against_absence_conflict():
    prob = small(
        personal=(person("A", mal_minuter=80 * 60),),
        franvaro=tuple(Franvaro("A", d, "semester") for d in range(10)),
    )
    why = explain(prob, time_limit_s=20)
    assert why.mojlig is False
    assert set(why.regler) >= {"Arbetstid", "Frånvaro"}


def test_feasible_input_has_no_conflict():
    assert explain(small(), time_limit_s=10).mojlig is True


def test_replanning_changes_few_passes(solved):
    prob, result = solved
    first = result.schema
    a_days = sorted(t.dag for t in first.tilldelningar if t.person_id == "A" and t.dag >= 4)[:2]
    new = [Franvaro("A", d, "sjuk") for d in a_days]
    out = replan(prob, first, new, fran_dag=4, settings=Installningar(time_limit_s=8, seed=2))
    after = out.resultat.schema
    assert after is not None
    assert checker.check(out.problem, after) == []
    assert len(out.borttagna) == len(a_days)
    assert not any(t.person_id == "A" and t.dag in a_days for t in after.tilldelningar)
    before_days = {t for t in first.tilldelningar if t.dag < 4}
    assert before_days == {t for t in after.tilldelningar if t.dag < 4}
    # the reported number of changed passes is the difference between the rosters
    kept = {(t.person_id, t.dag, t.pass_id) for t in first.tilldelningar
            if not (t.person_id == "A" and t.dag in a_days)}
    now = after.as_set()
    people_days = {(p, d) for p, d, _ in kept ^ now}
    assert out.antal_andrade == len(people_days)
    assert out.antal_andrade <= 2 * len(a_days) + 4  # few changes
    assert "ändrades" in "\n".join(out.lines())


def test_regler_from_settings():
    r = Regler.from_settings({"dygnsvila_timmar": 11, "veckovila_timmar": 0,
                              "vikter": {"obemannat_per_timme": 50}, "losare": {"sekunder": 5}})
    assert r.veckovila_timmar is None and r.obemannat_per_timme == 50



def _demo_problem(omrade: str, weeks: int) -> RosterProblem:
    from bemanning.roster.indata import build_problem, read_enheter_csv, read_personal_csv

    return build_problem(personal=read_personal_csv(DEMO / "personal.csv"),
                         enheter=read_enheter_csv(DEMO / "enheter.csv"), omrade=omrade,
                         start=date(2024, 3, 4), weeks=weeks, schema_dir=DEMO / "schema")


@pytest.mark.skipif(not (DEMO / "personal.csv").exists(), reason="demodata saknas")
def test_demo_area_two_weeks_passes_checker():
    prob = _demo_problem("soder", weeks=2)
    assert {p.enhet for p in prob.personal} == {"HT-SODER", "SB-LINDEN", "LSS-ASPEN", "LSS-ROSEN"}
    result = solve(prob, Installningar(time_limit_s=20, seed=1))
    assert result.ok
    assert checker.check(prob, result.schema) == []
    nt = compute(prob, result.schema)
    assert nt.tackningsgrad > 80


def test_people_work_at_home_unless_another_unit_needs_them():
    prob = small(
        personal=(person("A"), person("D", enhet="V")),
        behov=(Behov(0, "U/D", 1), Behov(0, "V/D", 1), Behov(1, "V/D", 2)),
    )
    result = solve(prob, Installningar(time_limit_s=5, seed=1))
    got = result.schema.as_set()
    assert ("A", 0, "U/D") in got and ("D", 0, "V/D") in got
    assert ("A", 1, "V/D") in got  # V needs two on day 1: A's resurspass goes there
    resurs, _ = classify(prob, result.schema)
    assert [(r.person_id, r.dag, r.anvandning) for r in resurs] == [("A", 1, ANNAN_ENHET)]


@pytest.mark.skipif(not (DEMO / "personal.csv").exists(), reason="demodata saknas")
def test_neighbourhood_progress_comes_from_the_calling_thread_not_from_under_the_lock():
    """The search threads only collect their improvements; the thread that called `solve` hands
    them to the callback, so a slow screen never holds up the search."""
    prob = _demo_problem("soder", weeks=2)
    caller = threading.current_thread()
    seen = []
    settings = Installningar(time_limit_s=15, seed=1, forsta_andel=0.1, liten_modell=0,
                             konstruktion=False)
    result = solve(prob, settings,
                   progress=lambda f: seen.append((f.fas, threading.current_thread())))
    assert result.ok and result.iterationer > 0
    lns = [thread for fas, thread in seen if fas == PHASE_PARTS]
    assert lns, "grannskapssökningen förbättrade aldrig schemat"
    assert all(thread is caller for thread in lns)


def test_the_figures_space_thousands_and_say_when_no_wishes_were_given(solved):
    """ "10160 av 11124 timmar" was hard to read, and "Önskemål uppfyllda: 0 av 0" looked like a
    failure when nobody had asked for anything."""
    prob, result = solved
    nt = attrs.evolve(compute(prob, result.schema), tackta_timmar=10160.0, behov_timmar=11124.0,
                      onskemal_uppfyllda=0, onskemal_totalt=0)
    lines = summary_lines(prob, nt)
    assert any("(10\u00a0160 av 11\u00a0124 timmar)" in line for line in lines)
    assert "Önskemål: inga lämnade för perioden" in lines
    some = attrs.evolve(nt, onskemal_uppfyllda=1200, onskemal_totalt=1500)
    assert "Önskemål uppfyllda: 1\u00a0200 av 1\u00a0500" in summary_lines(prob, some)
