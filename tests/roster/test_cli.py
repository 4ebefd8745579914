"""`bemanning schema` and `bemanning bench curtois` from the command line."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from bemanning.cli import main
from tests.roster.conftest import CURTOIS, needs_shared

DEMO = Path(__file__).parents[2] / "data" / "demo"
needs_demo = pytest.mark.skipif(not (DEMO / "personal.csv").exists(), reason="demodata saknas")


def test_cli_import_does_not_load_ortools():
    code = ("import sys, bemanning.cli; bemanning.cli.build_parser(); "
            "assert 'ortools' not in sys.modules, 'ortools laddas vid start'")
    subprocess.run([sys.executable, "-c", code], check=True)


@needs_demo
def test_schema_command_prints_figures_and_exports(tmp_path, capsys):
    target = tmp_path / "schema.csv"
    code = main(["schema", "--personal", str(DEMO / "personal.csv"),
                 "--enheter", str(DEMO / "enheter.csv"), "--omrade", "soder", "--veckor", "1",
                 "--tidsgrans", "10", "--export", str(target)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Täckningsgrad" in out and "alla hårda regler hålls" in out
    assert re.search(r"nedre gräns \d+, (högst \d+,\d % från bästa möjliga|gränsen är för låg för att "
                     r"säga hur nära bästa möjliga schemat ligger)\)", out), out
    assert "VARNING" not in out  # the demo units' dygnsbryt 19:00 holds all their passes
    assert target.exists() and (tmp_path / "schema-enhet.csv").exists()
    # the solver's status in words, not its internal name
    assert re.search(r"Klart på [\d,]+ s: (bevisat det bästa möjliga schemat|ett schema som håller alla "
                     r"hårda regler \(inte bevisat det bästa\)); kostnad \d+ \(lägre är bättre", out), out


def test_every_solver_status_is_said_in_words():
    from bemanning.roster import solver

    for status in (solver.OPTIMAL, solver.FEASIBLE, solver.INFEASIBLE, solver.NO_SOLUTION, solver.CANCELLED):
        text = solver.status_text(status)
        assert text != status and " " in text, status


@needs_demo
def test_schema_command_unknown_area(capsys):
    code = main(["schema", "--personal", str(DEMO / "personal.csv"),
                 "--enheter", str(DEMO / "enheter.csv"), "--omrade", "oster"])
    assert code == 1
    assert "oster finns inte" in capsys.readouterr().err


@needs_shared
def test_bench_curtois_command(capsys):
    code = main(["bench", "curtois", "1", "--sekunder", "10", "--katalog", str(CURTOIS)])
    out = capsys.readouterr().out
    assert code == 0
    assert "Instance1" in out and "607" in out


@needs_shared
def test_bench_curtois_repeated_shows_every_run_and_how_many_beat_the_naive_row(capsys):
    code = main(["bench", "curtois", "1", "--sekunder", "10", "--upprepa", "2",
                 "--katalog", str(CURTOIS)])
    out = capsys.readouterr().out
    assert code == 0
    row = next(line for line in out.splitlines() if line.startswith("Instance1"))
    # the naive row is already the optimum 607 on instance 1: proven optimal runs count
    assert row.endswith("607     2 av 2  607, 607")


def test_a_run_beats_the_naive_row_only_below_it_or_at_a_proven_optimum():
    from bemanning.roster.bench import BenchRad

    row = BenchRad("Instance7", 1062, 1056, 1063, 60.0, "lösning", 0,
                   (1062, 1063, 1071, None), (False, False, False, False))
    assert row.slog_naiv == 1
    proven = BenchRad("Instance1", 607, 607, 607, 1.0, "optimal", 0, (607, 607), (True, False))
    assert proven.slog_naiv == 1


def test_the_gap_to_the_bound_is_how_far_the_roster_can_be_from_the_best_possible():
    from bemanning.roster.bench import BenchRad
    from bemanning.roster.solver import gap_to_bound

    assert gap_to_bound(1100, 1000.0) == pytest.approx(10.0)
    assert gap_to_bound(1000, 999.4) == 0.0  # costs are integers: the bound rounds up
    assert gap_to_bound(5, 0.0) is None and gap_to_bound(None, 10.0) is None
    # repeated: the median of the runs against the best bound of any run
    row = BenchRad("Instance7", 1070, 1056, 1063, 60.0, "lösning", 0,
                   (1070, 1060, 1062), (False, False, False), 1000.0)
    assert row.median == 1062 and row.gap_grans == pytest.approx(6.2)


@needs_shared
def test_bench_curtois_shows_the_lower_bound_and_the_gap_to_it(capsys):
    code = main(["bench", "curtois", "1", "--sekunder", "10", "--markdown",
                 "--katalog", str(CURTOIS)])
    out = capsys.readouterr().out
    assert code == 0
    assert "| nedre gräns | gap till gräns % |" in out
    # instance 1 is solved to optimum: the bound is the optimum and the gap 0
    assert "| Instance1 | 607 | 607 | 0.0 | 607 | 0.0 |" in out
    assert "Mediangap mot nedre gräns (högst så långt från bästa möjliga): 0.00 %" in out


def test_bench_curtois_refuses_zero_repetitions_in_swedish(capsys):
    code = main(["bench", "curtois", "1", "--upprepa", "0", "--katalog", str(CURTOIS)])
    assert code == 1
    assert "--upprepa måste vara minst 1" in capsys.readouterr().err


def test_schema_bad_start_date_is_a_usage_error_in_swedish(capsys):
    with pytest.raises(SystemExit) as exc:
        main(["schema", "--start", "2024-02-30"])
    assert exc.value.code == 2
    assert '"2024-02-30" är inget datum (finns inte i kalendern)' in capsys.readouterr().err


def test_schema_bad_start_in_period_toml_names_the_file(tmp_path, capsys):
    (tmp_path / "pass.csv").write_text("enhet;pass;namn;start;slut\n", encoding="utf-8")
    (tmp_path / "period.toml").write_text('start = "2024-13-01"\n', encoding="utf-8")
    code = main(["schema", "--indata", str(tmp_path), "--personal", str(DEMO / "personal.csv"),
                 "--enheter", str(DEMO / "enheter.csv")])
    assert code == 1
    err = capsys.readouterr().err
    assert "period.toml: start:" in err and '"2024-13-01" är inget datum' in err
    assert "Traceback" not in err


@pytest.mark.parametrize(("content", "message"), [
    ('start = "2024-03-04"\nveckor = 6 # m\xe5nad\n'.encode("latin-1"),
     "period.toml, rad 2, kolumn 15: byte E5 är inte giltig UTF-8"),
    (b'veckor = "sex"\n', "period.toml: veckor ska vara ett helt antal veckor"),
    (b"veckor = 2.5\n", "period.toml: veckor ska vara ett helt antal veckor"),
    (b"veckor = true\n", "period.toml: veckor ska vara ett helt antal veckor"),
])
def test_a_broken_period_toml_says_where_in_swedish(tmp_path, capsys, content, message):
    """Found by a fuzzer: broken UTF-8 or a text for veckor gave an internal error."""
    (tmp_path / "pass.csv").write_text("enhet;pass;namn;start;slut\n", encoding="utf-8")
    (tmp_path / "period.toml").write_bytes(content)
    code = main(["schema", "--indata", str(tmp_path), "--personal", str(DEMO / "personal.csv"),
                 "--enheter", str(DEMO / "enheter.csv")])
    err = capsys.readouterr().err
    assert code == 1, err
    assert message in err
    assert "Traceback" not in err and "internt fel" not in err


def test_schema_command_with_a_missing_register_says_so_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "finns-inte.db"
    code = main(["--db", str(missing), "schema", "--veckor", "1"])
    assert code == 1
    assert "finns inte" in capsys.readouterr().err
    assert not missing.exists()


@needs_demo
def test_schema_input_folder_comes_from_the_users_configuration(tmp_path, monkeypatch, capsys):
    """`indata` under [schema] (relativt konfigurationsfilen) väljer schemakatalogen; --indata
    går före, och demodatan är bara standard när inget är inställt."""
    from bemanning.services.schema import demo_dir, input_dir

    config = tmp_path / "bemanning.toml"
    config.write_text('[schema]\nindata = "min-schemakatalog"\n', encoding="utf-8")
    monkeypatch.setenv("BEMANNING_CONFIG", str(config))
    code = main(["schema", "--personal", str(DEMO / "personal.csv"),
                 "--enheter", str(DEMO / "enheter.csv"), "--veckor", "1"])
    assert code == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'min-schemakatalog'} saknar pass.csv" in err
    assert input_dir(DEMO / "schema", {"indata": "min-schemakatalog"}) == DEMO / "schema"
    assert input_dir(None, {}) == demo_dir()


@needs_demo
def test_schema_on_the_demo_register_plans_with_the_staff_there_are(tmp_path, capsys):
    """The demo's period (period.toml: 2024-03-04) began before the demo register's staff were
    registered (its dates follow today): a period already begun is planned with today's staff."""
    from datetime import date

    from bemanning.demo import load_demo

    db = tmp_path / "demo.sqlite"
    load_demo(db, today=date(2026, 11, 23))
    code = main(["--db", str(db), "schema", "--omrade", "norr", "--veckor", "1",
                 "--tidsgrans", "3", "--arbetare", "1"])
    out = capsys.readouterr().out
    assert code == 0, out
    assert "Schema för norr 2024-03-04, 1 vecka: 56 personer" in out


def test_schema_reads_each_units_dygnsbryt(tmp_path, capsys):
    """The enheter file's dygnsbryt reaches the roster; a missing column means "not given"."""
    from bemanning.roster.indata import read_enheter_csv

    units = {e.enhet_id: e.dygnsbryt for e in read_enheter_csv(DEMO / "enheter.csv")}
    assert units["HT-NORR"] == "19:00"
    plain = tmp_path / "enheter.csv"
    plain.write_text("enhet_id;namn;omrade\nU;Enheten;O\n", encoding="utf-8")
    assert [e.dygnsbryt for e in read_enheter_csv(plain)] == [None]
    bad = tmp_path / "fel.csv"
    bad.write_text("enhet_id;namn;omrade;dygnsbryt\nU;Enheten;O;25:00\n", encoding="utf-8")
    code = main(["schema", "--personal", str(DEMO / "personal.csv"), "--enheter", str(bad),
                 "--omrade", "O"])
    err = capsys.readouterr().err
    assert code == 1
    assert "fel.csv, rad 2: dygnsbryt" in err and "00:00–23:59" in err and "Traceback" not in err


def test_enheter_form_checks_dygnsbryt():
    from bemanning.io.forms import parse_form

    base = {"enhet_id": "U", "namn": "Enheten", "omrade": "O"}
    assert parse_form("enheter", base).value.dygnsbryt is None  # inte angiven: schemat väljer en som passar
    assert parse_form("enheter", base | {"dygnsbryt": "7:00"}).value.dygnsbryt == "07:00"
    assert "klockslag" in parse_form("enheter", base | {"dygnsbryt": "kl 7"}).errors["dygnsbryt"]


def test_schema_warns_when_the_dygnsbryt_leaves_no_room_for_a_pass(tmp_path, capsys):
    indata = tmp_path / "schema"
    indata.mkdir()
    (indata / "pass.csv").write_text(
        "enhet;pass;namn;start;slut;rast_minuter;kompetens;natt\n"
        "U;D;Dag;07:00;16:00;30;;nej\nU;K;Kväll;14:00;22:00;30;;nej\n", encoding="utf-8")
    (indata / "behov.csv").write_text("enhet;pass;man;tis;ons;tor;fre;lor;son\n",
                                      encoding="utf-8")
    (tmp_path / "personal.csv").write_text("personal_id;namn;enhet\nP1;Test Testsson;U\n",
                                           encoding="utf-8")
    (tmp_path / "enheter.csv").write_text("enhet_id;namn;omrade;dygnsbryt\nU;Enheten;O;00:00\n",
                                          encoding="utf-8")
    main(["schema", "--personal", str(tmp_path / "personal.csv"), "--enheter",
          str(tmp_path / "enheter.csv"), "--indata", str(indata), "--start", "2024-03-04",
          "--veckor", "1", "--tidsgrans", "3"])
    out = capsys.readouterr().out
    assert ("VARNING: Dygnsvila (AB 24, dygnsvila, från 2023-10-01): Enheten har dygnsbryt "
            "00:00, och U Dag 07:00–16:00 (som mest 8 h) lämnar då mindre än 11 h") in out
    assert "Kväll" not in out.split("VARNING: ", 1)[1].split("\n", 1)[0]


@needs_demo
def test_a_unit_without_dygnsbryt_gets_one_that_fits_its_passes_and_is_told(tmp_path):
    """Utan dygnsbryt i enhetsfilen väljer schemat ett klockslag där enhetens pass ryms (00:00 gör
    det inte för ett dagpass 07–16 följt av ett nytt dagpass: bara 8 h vila inom dygnet), och
    schemaläggaren får veta vilket."""
    from datetime import date

    from bemanning.roster.indata import build_problem, read_enheter_csv, read_personal_csv
    from bemanning.roster.rules.dygnsvila import dygnsbryt_anteckningar, dygnsbryt_varningar

    rows = (DEMO / "enheter.csv").read_text(encoding="utf-8-sig").splitlines()
    header = rows[0].split(";")
    drop = header.index("dygnsbryt")
    plain = tmp_path / "enheter.csv"
    plain.write_text("\n".join(";".join(c for i, c in enumerate(r.split(";")) if i != drop) for r in rows) + "\n",
                     encoding="utf-8")
    prob = build_problem(personal=read_personal_csv(DEMO / "personal.csv"), enheter=read_enheter_csv(plain),
                         omrade="norr", start=date(2024, 3, 4), weeks=1, schema_dir=DEMO / "schema")
    assert dygnsbryt_varningar(prob) == []
    notes = dygnsbryt_anteckningar(prob)
    assert notes and all("ingen dygnsbryt angiven" in n for n in notes)
    assert all(e.dygnsbryt_vald for e in prob.enheter)


@needs_demo
@pytest.mark.parametrize(("name", "change", "message"), [
    # trasig UTF-8 mitt i en rad: fil, rad och kolumn (förut ett internt fel, UnicodeDecodeError)
    ("kontaktperson.csv", lambda b: b.replace(b"P0029;2;", b"P0029;\xc2\x7f2;"),
     "kontaktperson.csv, rad 4, kolumn 7"),
    # rubrikraden utan personal_id (förut ett internt fel, KeyError)
    ("kontaktperson.csv", lambda b: b.replace(b"personal_id;", b"personal_ix;"),
     "kontaktperson.csv, rad 2: kolumnen personal_id saknas i rubrikraden"),
    # radnumret räknar kommentarsraden överst i filen
    ("kontaktperson.csv", lambda b: b.replace(b"P0029;2;", b";2;"),
     "kontaktperson.csv, rad 4: personal_id: värde saknas"),
    ("pass.csv", lambda b: b.replace(b"07:00;16:00;30;", b"07:00;16:00;30;x;y;z;w;", 1),
     "pass.csv, rad 2: raden har 12 fält men rubrikraden 8 kolumner"),
    # rubrikraden borttagen: den första dataraden läses som rubrik
    ("franvaro.csv", lambda b: b.replace(b"personal_id;fran;till;orsak\n", b""),
     "franvaro.csv, rad 2: kolumnen personal_id, fran saknas i rubrikraden"),
])
def test_a_broken_file_in_the_roster_input_says_where_in_swedish(tmp_path, capsys, name, change,
                                                                 message):
    import shutil

    indata = tmp_path / "schema"
    shutil.copytree(DEMO / "schema", indata)
    (indata / name).write_bytes(change((indata / name).read_bytes()))
    code = main(["schema", "--indata", str(indata), "--personal", str(DEMO / "personal.csv"),
                 "--enheter", str(DEMO / "enheter.csv"), "--veckor", "4", "--tidsgrans", "1"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert message in err
    assert "Traceback" not in err and "internt fel" not in err and "--kodning" not in err


def test_read_rows_says_a_missing_file_and_broken_utf8_in_its_own_words(tmp_path):
    """The roster's files are not imported: no `importera --kodning` advice, and a file that
    vanished between the check and the read is named with its whole path."""
    from bemanning.errors import UserError
    from bemanning.roster.indata import read_rows

    with pytest.raises(UserError, match=r"Filen .*borta\.csv finns inte\.") as missing:
        read_rows(tmp_path / "borta.csv")
    assert "--kodning" not in str(missing.value)
    broken = tmp_path / "pass.csv"
    broken.write_bytes("enhet;pass\nÖst;dag\n".encode() + b"x;\xff\n")
    with pytest.raises(UserError) as bad:
        read_rows(broken)
    said = str(bad.value)
    assert "pass.csv" in said and "rad 3" in said and "FF är inte giltig UTF-8" in said
    assert "--kodning" not in said


def test_the_gap_to_the_bound_is_said_in_words_a_schemalaggare_can_use():
    """A gap of thousands of per cent (demo norr: cost 37 721 against the capacity bound 1 029)
    says the bound is weak, not how bad the roster is: it is said in words, not as a number."""
    from bemanning.roster.solver import gap_text

    assert gap_text(None) == ""
    assert gap_text(0.0) == "högst 0,0 % från bästa möjliga"
    assert gap_text(12.34) == "högst 12,3 % från bästa möjliga"
    assert gap_text(100.0) == "högst 100,0 % från bästa möjliga"
    weak = gap_text(3565.8)
    assert "%" not in weak and "för låg" in weak


def test_two_people_with_the_same_name_are_told_apart_by_their_id_in_the_roster():
    """The demo has two "Fatima Svensson" in norr: in the Schema table and the export per unit
    a schemaläggare must see which is which; a name of its own is shown as it is."""
    from bemanning.roster.export import by_unit_rows
    from bemanning.roster.problem import Behov, Schema, Tilldelning
    from tests.roster.conftest import person, problem

    prob = problem(personal=(person("P1", namn="Fatima Svensson"), person("P2", namn="Fatima Svensson"),
                             person("P3", namn="Ali Ek")),
                   behov=(Behov(0, "U/D", 3),), dagar=7)
    assert prob.labels() == {"P1": "Fatima Svensson (P1)", "P2": "Fatima Svensson (P2)", "P3": "Ali Ek"}
    rows = by_unit_rows(prob, Schema.of([Tilldelning(pid, 0, "U/D") for pid in ("P1", "P2", "P3")]))
    monday = "\n".join(cell for row in rows for cell in row)
    assert "Fatima Svensson (P1)" in monday and "Fatima Svensson (P2)" in monday
    assert "Ali Ek (" not in monday


@pytest.mark.parametrize(("value", "message"), [
    ('["foo"]', "okänd sort foo"),
    ("5", "ska vara en lista med namn"),
    ("[]", "ska vara en lista med namn"),
])
def test_an_unknown_kind_of_neighbourhood_in_the_configuration_is_a_swedish_error(tmp_path, capsys,
                                                                                 value, message):
    config = tmp_path / "bemanning.toml"
    config.write_text(f"[schema.losare]\ngrannskap = {value}\n", encoding="utf-8")
    code = main(["--config", str(config), "schema", "--personal", str(DEMO / "personal.csv"),
                 "--enheter", str(DEMO / "enheter.csv"), "--omrade", "soder", "--veckor", "1",
                 "--tidsgrans", "2"])
    err = capsys.readouterr().err
    assert code == 1 and message in err and "Traceback" not in err, err


def test_the_kinds_of_neighbourhood_can_be_chosen_one_or_several():
    from bemanning.services.schema import solver_settings

    assert solver_settings({"losare": {"grannskap": "helger"}}).grannskap == ("helger",)
    assert solver_settings({"losare": {"grannskap": ["lucka", "tidslucka"]}}).grannskap == ("lucka", "tidslucka")
    assert solver_settings({}).grannskap is None
