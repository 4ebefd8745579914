"""Kommandoraden för den som inte är programmerare: hjälpen säger vad varje argument är och
dess standardvärde, ett stavfel i --config eller en felskriven inställning ger ett svenskt
besked i stället för tyst standard eller ett internt fel."""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.cli import build_parser, main


def _help(capsys, *argv: str) -> str:
    with pytest.raises(SystemExit):
        main([*argv, "--help"])
    return capsys.readouterr().out


def test_a_missing_config_file_is_said_not_silently_replaced_by_the_defaults(tmp_path, capsys):
    code = main(["--config", str(tmp_path / "bemaning.toml"), "beslut", "--antal"])
    err = capsys.readouterr().err
    assert code == 1
    assert "Inställningsfilen" in err and "bemaning.toml" in err and "finns inte" in err
    assert "Traceback" not in err


def test_a_config_folder_instead_of_a_file_is_said(tmp_path, capsys):
    assert main(["--config", str(tmp_path), "beslut"]) == 1
    assert "är en katalog" in capsys.readouterr().err


@pytest.mark.parametrize(("line", "said"), [
    ('sekunder = "tio"', 'sekunder under [schema.losare] ska vara ett tal, till exempel sekunder = 60'),
    ("arbetare = 1.5", "arbetare under [schema.losare] ska vara ett heltal"),
    ("lns = 1", "lns under [schema.losare] ska vara true eller false"),
])
def test_a_solver_setting_of_the_wrong_type_is_a_swedish_message_not_an_internal_error(tmp_path, capsys, line, said):
    demo = Path(__file__).parents[2] / "data" / "demo"
    config = tmp_path / "bemanning.toml"
    config.write_text(f"[schema.losare]\n{line}\n", encoding="utf-8")
    code = main(["--config", str(config), "schema", "--personal", str(demo / "personal.csv"),
                 "--enheter", str(demo / "enheter.csv"), "--omrade", "soder", "--veckor", "1"])
    err = capsys.readouterr().err
    assert code == 1, err
    assert said in err and "bemanning.toml" in err, err
    assert "internt fel" not in err


def test_every_argument_and_flag_in_the_help_says_what_it_is():
    """Varje positionsargument och flagga har en hjälptext (inget naket `beslut_id`)."""
    import argparse

    def walk(parser: argparse.ArgumentParser, path: str):
        for action in parser._actions:
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    if sub is not parser:
                        yield from walk(sub, f"{path} {name}")
            elif action.help is None and not isinstance(action, argparse._HelpAction):
                yield f"{path} {'/'.join(action.option_strings) or action.dest}"

    missing = sorted(set(walk(build_parser(), "bemanning")))
    assert not [m for m in missing if m.startswith(("bemanning historik", "bemanning registrera",
                                                     "bemanning exportera", "bemanning beslut",
                                                     "bemanning generera"))], missing


def test_history_help_says_what_the_command_shows(capsys):
    out = _help(capsys, "historik")
    assert "BESLUT_ID" in out and "till exempel" in out
    assert "beslut_id" not in out


def test_defaults_are_stated_in_the_help(capsys):
    assert "standard: ej-verkstallda" in _help(capsys, "beslut")
    out = _help(capsys, "generera")
    assert "standard: 1)" in out and "standard: 2026" in out
    top = _help(capsys)
    assert "standardfel" not in top  # inte programmerarord
    assert "datakatalog" in top


def test_an_offer_declined_can_be_written_as_in_matcha_erbjud(tmp_path, capsys):
    """`bemanning matcha erbjud … --utfall tackat-nej`; `registrera erbjudande` tar samma stavning."""
    csv = tmp_path / "beslut.csv"
    csv.write_text("beslut_id;person_id;kon;insats;beslutsdatum\nB1;P1;K;LSS – kontaktperson;2024-01-02\n",
                   encoding="utf-8")
    db = str(tmp_path / "r.sqlite")
    assert main(["--db", db, "importera", str(csv)]) == 0
    assert main(["--db", db, "registrera", "erbjudande", "B1", "--datum", "2024-01-10",
                 "--utfall", "tackat-nej"]) == 0, capsys.readouterr().err
    capsys.readouterr()
    assert main(["--db", db, "historik", "B1"]) == 0
    assert "tackat nej" in capsys.readouterr().out


def test_generera_counts_one_row_in_the_singular(tmp_path, capsys):
    assert main(["generera", str(tmp_path / "ny" / "katalog"), "--beslut", "10"]) == 0
    out = capsys.readouterr()
    lines = (out.out + out.err).splitlines()
    assert any(line.endswith(": 1 rad") for line in lines), lines  # erbjudanden.csv med frö 2026
    assert not any(line.endswith(": 1 rader") for line in lines), lines


def _interrupted_write(*_args, **_kwargs):
    """Som SQLAlchemy gör med Ctrl+C mitt i en skrivning: avbrottet blir en bruten förbindelse, och
    städningen efteråt (PRAGMA på en ogiltig transaktion) ett nytt fel."""
    from bemanning.errors import RegisterUnavailable

    try:
        try:
            raise KeyboardInterrupt
        except KeyboardInterrupt as ctrl_c:
            raise RegisterUnavailable("Förbindelsen med databasservern bröts.") from ctrl_c
    finally:
        raise RuntimeError("Can't reconnect until invalid transaction is rolled back.")


def _interrupted_plain(*_args, **_kwargs):
    from bemanning.errors import RegisterUnavailable

    try:
        raise KeyboardInterrupt
    except KeyboardInterrupt as ctrl_c:
        raise RegisterUnavailable("Förbindelsen med databasservern bröts.") from ctrl_c


@pytest.mark.parametrize("fake", [_interrupted_write, _interrupted_plain])
def test_ctrl_c_in_the_middle_of_an_import_is_said_as_ctrl_c_not_an_internal_error(tmp_path, capsys, monkeypatch,
                                                                                   fake):
    import bemanning.io.importer

    csv = tmp_path / "beslut.csv"
    csv.write_text("beslut_id;person_id;kon;insats;beslutsdatum\nB1;P1;K;LSS – kontaktperson;2024-01-02\n",
                   encoding="utf-8")
    monkeypatch.setattr(bemanning.io.importer, "import_files", fake)
    code = main(["--db", str(tmp_path / "r.sqlite"), "importera", str(csv)])
    err = capsys.readouterr().err
    assert code == 130, err
    assert "Avbrutet med Ctrl+C" in err
    assert "internt fel" not in err and "databasservern" not in err


def test_one_saved_event_is_said_in_the_singular(tmp_path, capsys):
    csv = tmp_path / "uppdragstagare.csv"
    csv.write_text("uppdragstagare_id;namn;kon\nU1;Test Testsson;K\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "r.sqlite"), "importera", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "1 händelse sparad\n" in out, out


def test_the_import_help_has_the_mapping_example_the_mapping_errors_point_to(tmp_path, capsys):
    mapping = tmp_path / "map.toml"
    mapping.write_text("[beslut]\ndatumformat = 5\n", encoding="utf-8")
    source = tmp_path / "export.csv"
    source.write_text("Nr;Pnr\nA1;P1\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "r.sqlite"), "importera", "--mappning", str(mapping), str(source)]) == 1
    assert "bemanning importera --help" in capsys.readouterr().err
    out = _help(capsys, "importera")
    assert "[beslut.kolumner]" in out and 'datumformat = "%d.%m.%Y"' in out and "[beslut.varden.kon]" in out


def test_large_counts_in_the_import_summary_have_a_thousands_separator(tmp_path, capsys):
    rows = "".join(f"U{i};Namn {i};K\n" for i in range(1200))
    csv = tmp_path / "uppdragstagare.csv"
    csv.write_text("uppdragstagare_id;namn;kon\n" + rows, encoding="utf-8")
    assert main(["--db", str(tmp_path / "r.sqlite"), "importera", "--torrkorning", str(csv)]) == 0
    out = capsys.readouterr().out
    assert "uppdragstagare: 1\u00a0200 nya, 0 ändrade, 0 oförändrade" in out, out


@pytest.mark.parametrize(("argv", "said"), [
    (["--tidsgrans", "-1"], "skriv antal sekunder"),
    (["--tidsgrans", "0"], "skriv antal sekunder"),
    (["--arbetare", "0"], "skriv antal trådar"),
    (["--veckor", "sex"], "skriv antal veckor, 1–16"),
])
def test_schema_numbers_out_of_range_are_refused_with_what_to_write(argv, said, capsys):
    with pytest.raises(SystemExit) as exit_:
        main(["schema", *argv])
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "ogiltigt värde" not in err, err


def test_a_time_limit_with_a_decimal_comma_is_read(capsys):
    args = build_parser().parse_args(["schema", "--tidsgrans", "1,5"])
    assert args.tidsgrans == 1.5


@pytest.mark.parametrize(("argv", "said"), [
    (["rapport", "kf", "--ar", "20233"], "skriv ett år"),  # förut ett internt fel (year out of range)
    (["generera", "ut", "--beslut", "-5"], "skriv antal beslut"),  # förut 0 rader utan ett ord
    (["generera", "ut", "--personalskala", "-1"], "skriv till exempel 1"),
])
def test_impossible_numbers_are_refused_before_anything_runs(argv, said, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(argv)
    assert exit_.value.code == 2
    err = capsys.readouterr().err
    assert said in err and "internt fel" not in err, err
    assert not (tmp_path / "ut").exists()


def test_a_misspelt_area_is_said_as_unknown_not_as_missing_rights(tmp_path, capsys):
    from bemanning.demo import load_demo

    db = tmp_path / "demo.sqlite"
    load_demo(db)
    code = main(["--db", str(db), "schema", "--omrade", "Norr", "--veckor", "1"])
    err = capsys.readouterr().err
    assert code == 1
    assert 'Området "Norr" finns inte i registret' in err and "norr, soder" in err, err
    assert "Din roll" not in err


def test_config_dev_null_means_no_own_settings(capsys, tmp_path):
    csv = tmp_path / "uppdragstagare.csv"
    csv.write_text("uppdragstagare_id;namn;kon\nU1;Test Testsson;K\n", encoding="utf-8")
    assert main(["--db", str(tmp_path / "r.sqlite"), "--config", "/dev/null", "importera", str(csv)]) == 0
