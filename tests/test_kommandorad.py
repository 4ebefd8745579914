"""Kommandoraden: svensk hjälp, slutkoder 0 / 1 / 2, aldrig en traceback för felaktiga indata."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bemanning.cli import main


def test_help_is_swedish(capsys):
    try:
        main(["--help"])
    except SystemExit as exc:
        assert exc.code == 0
    out = capsys.readouterr().out
    assert "användning: bemanning" in out
    assert "visa den här hjälpen och avsluta" in out
    assert "importera" in out and "exportera" in out


def test_usage_error_exits_2_with_swedish_text(capsys):
    try:
        main(["importera"])
    except SystemExit as exc:
        assert exc.code == 2
    err = capsys.readouterr().err
    assert "dessa argument saknas" in err


def test_bad_input_exits_1_without_traceback(tmp_path):
    bad = tmp_path / "trasig.csv"
    bad.write_text("beslut_id;person_id;kon;insats;beslutsdatum\nB1;P1;K;LSS – kontaktperson;2023-02-30\n",
                   encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "bemanning", "--db", str(tmp_path / "r.sqlite"), "importera", str(bad)],
        capture_output=True, text=True,
    )
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    assert 'trasig.csv, rad 2, kolumn 5 (beslutsdatum): "2023-02-30" är inget datum' in proc.stderr


def test_a_reader_that_stops_early_gets_no_error(tmp_path, ludvika):
    """`bemanning beslut | head -1`: läsaren slutar läsa; det är inget programfel och ingen loggfil."""
    db = str(tmp_path / "r.sqlite")
    env = {**os.environ, "XDG_STATE_HOME": str(tmp_path / "state")}
    subprocess.run([sys.executable, "-m", "bemanning", "--db", db, "importera", *map(str, ludvika)],
                   check=True, capture_output=True, env=env)
    proc = subprocess.Popen([sys.executable, "-m", "bemanning", "--db", db, "beslut", "--per", "2024-01-03"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, bufsize=0)
    proc.stdout.close()  # läsaren har redan slutat: varje skrivning till utdata misslyckas
    stderr = proc.stderr.read().decode("utf-8")
    assert proc.wait() == 141
    assert stderr == ""
    assert not list((tmp_path / "state").rglob("fel.log"))


def test_import_then_list_answers_the_kontaktperson_question(tmp_path, ludvika, capsys):
    db = str(tmp_path / "r.sqlite")
    assert main(["--db", db, "importera", *map(str, ludvika)]) == 0
    capsys.readouterr()
    assert main(["--db", db, "beslut", "--per", "2024-01-03", "--insats", "kontaktperson", "--antal"]) == 0
    out = capsys.readouterr().out
    assert "LSS – kontaktperson     12" in out
    assert "SoL – kontaktperson      5" in out


def test_the_import_summary_names_the_files_in_swedish(tmp_path, capsys):
    """Sammanfattningen säger "områden" och "enskilda", inte filslagens namn utan å (omraden)."""
    demo = Path(__file__).resolve().parents[1] / "data" / "demo"
    assert main(["--db", str(tmp_path / "r.sqlite"), "importera", str(demo)]) == 0
    out = capsys.readouterr().out
    assert "omraden.csv: 2 rader (områden)" in out
    assert "  enskilda: 70 nya, 0 ändrade, 0 oförändrade" in out
    assert "omraden:" not in out and "(omraden)" not in out


def test_export_refuses_to_overwrite(tmp_path, ludvika, capsys):
    db = str(tmp_path / "r.sqlite")
    main(["--db", db, "importera", *map(str, ludvika)])
    target = tmp_path / "ut.csv"
    assert main(["--db", db, "exportera", "beslut", "--per", "2024-01-03", "-o", str(target)]) == 0
    assert main(["--db", db, "exportera", "beslut", "--per", "2024-01-03", "-o", str(target)]) == 1
    assert "finns redan" in capsys.readouterr().err
    assert Path(target).read_bytes().startswith("\ufeffbeslut_id;person_id;kon;insats;beslutsdatum".encode())


def test_global_options_work_after_the_command(tmp_path, ludvika, capsys):
    db = str(tmp_path / "r.sqlite")
    assert main(["importera", *map(str, ludvika), "--db", db]) == 0
    capsys.readouterr()
    assert main(["beslut", "--antal", "--per", "2024-01-03", f"--db={db}"]) == 0
    assert "Totalt 27 beslut per 2024-01-03." in capsys.readouterr().out


def test_opening_a_history_is_logged_without_person_id(tmp_path, ludvika, capsys):
    from bemanning.access import Anvandare, Roll
    from bemanning.store import open_register

    db = str(tmp_path / "r.sqlite")
    main(["--db", db, "importera", *map(str, ludvika)])
    assert main(["--db", db, "historik", "VON23-002"]) == 0
    rows = open_register(db).access_log(Anvandare("granskare", frozenset({Roll.GRANSKARE})), beslut_id="VON23-002")
    assert [r["atgard"] for r in rows][-1] == "oppnat_historik"
    assert "VON23P002" not in str(rows)


def test_roles_in_the_settings_limit_the_commands(tmp_path, ludvika, capsys):
    import getpass

    db = str(tmp_path / "r.sqlite")
    assert main(["--db", db, "importera", *map(str, ludvika)]) == 0
    config = tmp_path / "bemanning.toml"
    config.write_text(f'[anvandare."{getpass.getuser()}"]\nroller = ["controller"]\n', encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", db, "--config", str(config), "historik", "VON23-002"]) == 1
    assert "Din roll (controller) får inte se beslut." in capsys.readouterr().err
    out = tmp_path / "rapport.md"
    assert main(["--db", db, "--config", str(config), "rapport", "manad", "--datum", "2023-12-31",
                 "--format", "md", "-o", str(out)]) == 0


def test_thousands_of_report_warnings_are_summarised_in_a_terminal_but_all_written_to_a_file(monkeypatch, capsys):
    """Ett register utan personnummer ger en varning per beslut i IVO-rapporten: i terminalen de
    första tio och hur många till, omdirigerade till en fil allihop."""
    import sys

    from bemanning.cli.rapporter import _print_warnings

    lines = [f"Beslut B{i}: den enskildes födelsedatum saknas." for i in range(3000)]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    _print_warnings(lines)
    err = capsys.readouterr().err.splitlines()
    assert err[:10] == lines[:10] and len(err) == 11
    assert err[10].startswith("… och 2\xa0990 varningar till.") and "2> varningar.txt" in err[10]
    monkeypatch.setattr(sys.stderr, "isatty", lambda: False)
    _print_warnings(lines)
    assert capsys.readouterr().err.splitlines() == lines


def test_a_report_to_dev_null_or_a_pipe_is_written_into_it_not_over_it(tmp_path, ludvika, capsys):
    """`-o /dev/null` (och ett rör) skrivs rakt in: förut byttes enheten ut mot en vanlig fil med
    rapporten i. En vanlig fil skrivs som förut, bara av ägaren läsbar, och skrivs inte över utan
    --force; ett tillfälligt namn blir inte kvar."""
    import os
    import stat
    import threading

    db = str(tmp_path / "r.sqlite")
    main(["--db", db, "importera", *map(str, ludvika)])
    fifo = tmp_path / "ror"
    os.mkfifo(fifo)
    got = []
    reader = threading.Thread(target=lambda: got.append(fifo.read_bytes()), daemon=True)
    reader.start()
    assert main(["--db", db, "rapport", "manad", "--datum", "2023-12-31", "--format", "csv", "-o", str(fifo)]) == 0
    reader.join(timeout=30)
    assert got and got[0].startswith("\ufeff".encode())
    assert stat.S_ISFIFO(fifo.stat().st_mode)
    target = tmp_path / "manad.csv"
    assert main(["--db", db, "rapport", "manad", "--datum", "2023-12-31", "--format", "csv", "-o", str(target)]) == 0
    assert target.read_bytes() == got[0]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert main(["--db", db, "rapport", "manad", "--datum", "2023-12-31", "--format", "csv", "-o", str(target)]) == 1
    assert "finns redan" in capsys.readouterr().err
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.endswith(".tmp")) == []
    assert main(["--db", db, "rapport", "manad", "--datum", "2023-12-31", "--format", "csv", "-o", str(tmp_path)]) == 1
    assert "är en katalog" in capsys.readouterr().err


@pytest.mark.parametrize(("text", "said"), [
    ("[schema\nsekunder = 30\n", "rad 1, kolumn 8: en tabellrubrik saknar sin avslutande hakparentes"),
    ("[schema]\nsekunder = 30\nsekunder = 40\n", "rad 3, kolumn 14: samma nyckel står två gånger"),
    ('[schema]\nindata = "C:\\mapp"\n', "rad 2, kolumn 15: ett omvänt snedstreck"),
    ("[schema]\nindata = min katalog\n", "rad 2, kolumn 10: ett värde som inte går att läsa"),
])
def test_a_broken_configuration_file_is_explained_in_swedish_with_line_and_column(tmp_path, capsys, text,
                                                                                 said):
    # förut stod tomlis engelska text, till exempel "Cannot overwrite a value (at line 3, column 12)"
    db = str(tmp_path / "r.sqlite")
    start = tmp_path / "beslut.csv"
    start.write_text("beslut_id;person_id;kon;insats;beslutsdatum\nB1;P1;K;SoL – kontaktperson;2023-01-01\n",
                     encoding="utf-8")
    assert main(["--db", db, "importera", str(start)]) == 0
    config = tmp_path / "bemanning.toml"
    config.write_text(text, encoding="utf-8")
    capsys.readouterr()
    assert main(["--db", db, "--config", str(config), "beslut"]) == 1
    err = capsys.readouterr().err
    assert f"bemanning.toml: felaktig TOML på {said}" in err
    assert "Expected" not in err and "Cannot" not in err and "Traceback" not in err
