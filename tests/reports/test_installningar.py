"""Inställningar och mallen för standardtexten: redigerbara av kommunen, inte kod."""

from __future__ import annotations

from datetime import date

import pytest

from bemanning.errors import UserError
from bemanning.model.tremanadersregeln import Regel
from bemanning.reports.format import Stycke
from bemanning.reports.installningar import Installningar, genitiv, load_installningar, parse_mall


def test_defaults_from_data_rapport_toml():
    settings = load_installningar()
    assert settings.namnd == "Vård- och omsorgsnämnden"
    assert settings.regel == Regel()
    assert "16 kap. 6 f" in settings.lagrum_per(date(2023, 12, 31))
    assert "2025:400" in settings.lagrum_per(date(2025, 7, 1))
    text = " ".join(s.text for s in settings.standardtext(date(2023, 12, 31)))
    for needed in ("IVO", "revisorer", "kommunfullmäktige", "kvartal", "varje månad", "verkställt",
                   "31 december 2023", "Vård- och omsorgsnämnden"):
        assert needed in text


def test_user_config_overrides_namnd_and_rule(tmp_path, monkeypatch):
    own = tmp_path / "bemanning.toml"
    mall = tmp_path / "egen.md"
    mall.write_text("# kommentar\n$namnd rapporterar $regel.\n", encoding="utf-8")
    own.write_text(
        f'[rapport]\nnamnd = "Socialnämnden"\nmall = "{mall.as_posix()}"\n[rapport.regel]\nvariant = "dagar"\ndagar = 90\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("BEMANNING_CONFIG", str(own))
    settings = load_installningar()
    assert settings.namnd_genitiv == "Socialnämndens"
    assert settings.regel == Regel("dagar", 3, 90)
    assert settings.standardtext(date(2024, 1, 31)) == (Stycke("Socialnämnden rapporterar mer än 90 dagar."),)


def test_parse_mall_paragraphs_bullets_and_comments():
    text = "# kommentar\nEtt stycke\nsom fortsätter.\n\nLista:\n\n- punkt ett\n  fortsätter\n- punkt två\n\nSlut."
    assert parse_mall(text) == (
        Stycke("Ett stycke som fortsätter."),
        Stycke("Lista:"),
        Stycke("punkt ett fortsätter", punkt=True),
        Stycke("punkt två", punkt=True),
        Stycke("Slut."),
    )


def test_unknown_placeholder_and_missing_template_are_user_errors(tmp_path):
    with pytest.raises(UserError, match="okänd platshållare"):
        Installningar(titel="$kommunnamn").titel_per(date(2023, 12, 31))
    with pytest.raises(UserError, match="finns inte"):
        Installningar(mall=str(tmp_path / "saknas.md")).standardtext(date(2023, 12, 31))


def test_genitiv():
    assert genitiv("Socialnämnden") == "Socialnämndens"
    assert genitiv("Vård och omsorg Ludvikas") == "Vård och omsorg Ludvikas"


@pytest.mark.parametrize(("written", "said"), [
    ('[rapport]\nnamnd = 5\n', 'namnd under [rapport] ska vara en text inom citattecken, till exempel namnd = "Socialnämnden", inte 5.'),
    ('[rapport.regel]\nmanader = "tre"\n', 'manader under [rapport.regel] ska vara ett heltal 1–24 (utan citattecken), till exempel manader = 3, inte "tre".'),
    ('[rapport.regel]\ndagar = 0\n', "dagar under [rapport.regel] ska vara ett heltal 1–730"),
    ('[rapport]\nregel = 3\n', "[rapport.regel] ska vara en tabell"),
])
def test_a_wrong_type_under_rapport_is_said_with_the_file_and_the_key(tmp_path, monkeypatch, written, said):
    """`namnd = 5` used to give the title "5s rapport …", `manader = "tre"` an internal error."""
    own = tmp_path / "bemanning.toml"
    own.write_text(written, encoding="utf-8")
    monkeypatch.setenv("BEMANNING_CONFIG", str(own))
    with pytest.raises(UserError) as raised:
        load_installningar()
    assert str(own) in str(raised.value)
    assert said in str(raised.value)
