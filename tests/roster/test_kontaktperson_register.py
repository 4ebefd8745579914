"""Kontaktpersonsuppdrag som personal har accepterat i matchningen läggs in i schemat.

Registret byggs med kärnans egna funktioner (import av formulär, arbetsgången i matchningen), och
problemet byggs som `bemanning schema` bygger det (`build_from_args`). Lösaren får några sekunder
på en liten enhet.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bemanning.cli import build_parser, main
from bemanning.cli.schema import build_from_args
from bemanning.io.forms import parse_form
from bemanning.matching import workflow
from bemanning.roster.figures import compute, kontaktperson_lines
from bemanning.roster.indata import KALLA_INDATA, KALLA_REGISTER
from bemanning.roster.resurspass import KONTAKTPERSON
from bemanning.roster.solver import Installningar, solve
from bemanning.store import open_register, recording

START = date(2024, 3, 4)  # en måndag
PASS_CSV = """enhet;pass;namn;start;slut;rast_minuter;kompetens;natt
U;D;Dag;07:00;15:30;30;underskoterska;nej
U;K;Kväll;14:00;22:00;30;underskoterska;nej
"""
BEHOV_CSV = """enhet;pass;man;tis;ons;tor;fre;lor;son;minst
U;D;1;1;1;1;1;1;1;0
U;K;1;1;1;1;1;1;1;0
"""
STAFF = ("P1", "P2", "P3", "P4", "P5")


def _beslut(reg, beslut_id: str, timmar: str) -> None:
    form = {"beslut_id": beslut_id, "person_id": f"X-{beslut_id}", "kon": "K",
            "insats": "SoL – kontaktperson", "beslutsdatum": "2024-01-10",
            "timmar_per_manad": timmar}
    recording.record_beslut(reg, parse_form("beslut", form, today=date(2024, 3, 1)).value)


@pytest.fixture
def register_path(tmp_path: Path) -> Path:
    """En enhet med fem anställda. P1 har accepterat ett uppdrag (13 h/mån = 3 h/vecka) före
    periodens start; P2 tackade nej, P3 är godkänd men inte erbjuden, P4 bara föreslagen, och P5
    accepterar först efter att perioden börjat."""
    path = tmp_path / "register.sqlite"
    reg = open_register(path)
    try:
        for kind, form in (
            ("omraden", {"omrade_id": "O", "namn": "Området"}),
            ("enheter", {"enhet_id": "U", "namn": "Enheten", "omrade": "O"}),
            *(("personal", {"personal_id": pid, "namn": f"Test {pid}", "enhet": "U",
                            "kompetenser": "underskoterska", "kan_kontaktperson": "ja"})
              for pid in STAFF),
        ):
            recording.create_resurs(reg, parse_form(kind, form).value, date(2024, 1, 1))
        for beslut_id in ("B1", "B2", "B3", "B4", "B5"):
            _beslut(reg, beslut_id, "13")
        workflow.godkann(reg, "B1", "P1", date(2024, 2, 1))
        workflow.erbjud(reg, "B1", "P1", date(2024, 2, 5), "accepterat")
        workflow.godkann(reg, "B2", "P2", date(2024, 2, 1))
        workflow.erbjud(reg, "B2", "P2", date(2024, 2, 5), "tackat nej")
        workflow.godkann(reg, "B3", "P3", date(2024, 2, 1))
        reg.append(workflow.forslag_events(reg.beslut_lage("B4", date.max), "P4", date(2024, 2, 1)))
        workflow.godkann(reg, "B5", "P5", date(2024, 2, 1))
        workflow.erbjud(reg, "B5", "P5", date(2024, 3, 6), "accepterat")
    finally:
        reg.close()
    return path


@pytest.fixture
def indata(tmp_path: Path) -> Path:
    directory = tmp_path / "indata"
    directory.mkdir()
    (directory / "pass.csv").write_text(PASS_CSV, encoding="utf-8")
    (directory / "behov.csv").write_text(BEHOV_CSV, encoding="utf-8")
    return directory


def _problem(register_path: Path, indata: Path, start: date = START, veckor: int = 1):
    args = build_parser().parse_args([
        "--db", str(register_path), "schema", "--indata", str(indata), "--omrade", "O",
        "--start", start.isoformat(), "--veckor", str(veckor)])
    problem, _settings = build_from_args(args)
    return problem


def test_accepted_uppdrag_gives_the_staff_member_kontaktperson_hours(register_path, indata):
    problem = _problem(register_path, indata, veckor=2)
    p1 = problem.person("P1")
    assert p1.kontaktperson_minuter == 2 * 3 * 60  # 13 h/mån = 3 h/vecka, två veckor
    assert p1.kontaktperson_kalla == KALLA_REGISTER
    # Tackat nej, godkänd men inte erbjuden, bara föreslagen: inga timmar.
    for pid in ("P2", "P3", "P4"):
        assert problem.person(pid).kontaktperson_minuter == 0, pid
        assert problem.person(pid).kontaktperson_kalla == ""


def test_uppdrag_accepted_after_the_period_start_is_not_counted(register_path, indata):
    assert _problem(register_path, indata).person("P5").kontaktperson_minuter == 0
    later = _problem(register_path, indata, start=date(2024, 3, 11))
    assert later.person("P5").kontaktperson_minuter == 3 * 60
    assert later.person("P1").kontaktperson_minuter == 3 * 60


def test_ended_uppdrag_gives_no_hours(register_path, indata):
    reg = open_register(register_path)
    try:
        workflow.verkstall(reg, "B1", date(2024, 2, 10))
        recording.record_avslutat(reg, "B1", date(2024, 3, 1), "behovet upphört")
    finally:
        reg.close()
    assert _problem(register_path, indata).person("P1").kontaktperson_minuter == 0


def test_kontaktperson_csv_still_counts_and_wins_for_its_person(register_path, indata):
    (indata / "kontaktperson.csv").write_text(
        "personal_id;timmar_per_vecka;timmar_per_manad\nP1;5;\nP2;;26\n", encoding="utf-8")
    problem = _problem(register_path, indata)
    assert (problem.person("P1").kontaktperson_minuter, problem.person("P1").kontaktperson_kalla) \
        == (5 * 60, KALLA_INDATA)  # samma person räknas aldrig två gånger
    assert (problem.person("P2").kontaktperson_minuter, problem.person("P2").kontaktperson_kalla) \
        == (6 * 60, KALLA_INDATA)


def test_solved_roster_reports_the_kontaktperson_resurspass(register_path, indata):
    problem = _problem(register_path, indata)
    result = solve(problem, Installningar(time_limit_s=5, workers=1))
    assert result.schema is not None, result.status
    nt = compute(problem, result.schema)
    assert nt.resurspass_timmar[KONTAKTPERSON] == 3.0
    kp = [r for r in nt.resurspass if r.anvandning == KONTAKTPERSON]
    assert [(r.person_id, r.timmar) for r in kp] == [("P1", 3.0)]
    assert "3,0 h i veckan" in kp[0].varfor and KALLA_REGISTER in kp[0].varfor
    row = next(r for r in nt.personer if r.person_id == "P1")
    assert row.kontaktperson_timmar == 3.0
    lines = kontaktperson_lines(problem, nt)
    assert lines[0].startswith("Kontaktpersonsuppdrag i ordinarie schema: 1 person, 3,0 h")
    assert lines[1:] == ["  Test P1 (U): 3,0 h i perioden, 3,0 h i veckan, accepterat i matchningen"]


def test_schema_command_lists_the_kontaktperson_hours_from_the_register(register_path, indata,
                                                                       capsys):
    code = main(["--db", str(register_path), "schema", "--indata", str(indata), "--omrade", "O",
                 "--start", START.isoformat(), "--veckor", "1", "--tidsgrans", "5",
                 "--arbetare", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Kontaktpersonsuppdrag accepterade i matchningen (registret per 2024-03-04): " \
           "1 person i området." in out
    assert "kontaktpersonsuppdrag 3 h" in out  # raden Resurspass: … per användning
    assert "  Test P1 (U): 3,0 h i perioden, 3,0 h i veckan, accepterat i matchningen" in out
    assert "Test P2" not in out
