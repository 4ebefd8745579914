"""`bemanning rapport …` från kommandoraden: filer i aktuell katalog, aldrig överskrivna utan --force."""

from __future__ import annotations

import json
from datetime import date

import pytest

from bemanning.cli import main


@pytest.fixture
def db(register_factory):
    reg = register_factory(
        ["C1;P1;K;LSS – kontaktperson;2023-05-01;;;;", "C2;P2;M;Äldreboende;2023-09-28;;;;"],
        ["C2;2023-12-13;tackat nej;"],
    )
    return reg.url


def run(db, *argv):
    return main(["--db", db, "rapport", *argv])


def test_manad_writes_default_file_and_refuses_to_overwrite(db, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert run(db, "manad", "--datum", "2023-12-31", "--format", "json") == 0
    data = json.loads((tmp_path / "statistikrapport-2023-12-31.json").read_text(encoding="utf-8"))
    assert data["sammanfattning"] == {"antal_beslut": 2, "varav_kvinnor": 1, "varav_man": 1, "antal_tackat_nej": 1}
    assert run(db, "manad", "--datum", "2023-12-31", "--format", "json") == 1
    assert "--force" in capsys.readouterr().err
    assert run(db, "manad", "--datum", "2023-12-31", "--format", "json", "--force") == 0


@pytest.mark.parametrize(
    ("argv", "name"),
    [
        (("manad", "--datum", "2023-12-31"), "statistikrapport-2023-12-31.docx"),
        (("manad", "--datum", "2023-12-31", "--format", "xlsx"), "statistikrapport-2023-12-31.xlsx"),
        (("manad", "--datum", "2023-12-31", "--format", "detalj-csv"), "statistikrapport-2023-12-31-detalj.csv"),
        (("ivo", "--kvartal", "2023K4"), "ivo-2023K4.csv"),
        (("ivo", "--kvartal", "2023K4", "--format", "docx"), "ivo-2023K4.docx"),
        (("kf", "--ar", "2023", "--format", "xlsx"), "kf-2023.xlsx"),
        (("revisorer", "--kvartal", "2023K4"), "revisorer-2023K4.docx"),
        (("jamfor", "--fran", "2023-11-30", "--till", "2023-12-31"), "jamforelse-2023-11-30-2023-12-31.md"),
        (("avgift", "--datum", "2023-12-31"), "sarskild-avgift-2023-12-31.xlsx"),
        (("aterforing", "--datum", "2024-01-03"), "aterforing-2024-01-03.csv"),
    ],
)
def test_every_report_writes_its_file(db, tmp_path, monkeypatch, argv, name):
    monkeypatch.chdir(tmp_path)
    assert run(db, *argv) == 0
    assert (tmp_path / name).stat().st_size > 0


def test_stdout_and_errors(db, tmp_path, capsys):
    assert run(db, "manad", "--datum", "2023-12-31", "--format", "md", "-o", "-") == 0
    out = capsys.readouterr().out
    assert out.startswith("# Vård- och omsorgsnämndens rapport") and "Statistikrapport den 31 december 2023" in out
    assert run(db, "manad", "--datum", "2023-12-31", "--format", "docx", "-o", "-") == 1
    assert main(["--db", str(tmp_path / "saknas.sqlite"), "rapport", "manad"]) == 1
    assert "finns inte" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        run(db, "ivo", "--kvartal", "2023K9")
    assert exc.value.code == 2
    assert not (tmp_path / "saknas.sqlite").exists()


def test_registrera_senarelaggning_exempts_the_fee(register_factory, capsys):
    db = register_factory(["S1;P1;K;SoL – kontaktperson;2025-06-10;;;;", "S2;P2;M;Äldreboende;2025-01-10;;;;"],
                          today=date(2025, 7, 1)).url
    args = ["--db", db, "registrera", "senarelaggning", "S1", "--datum", "2025-08-01", "--till", "2026-09-30"]
    assert main(args) == 0
    assert "Senareläggning begärd av den enskilde till 2026-09-30" in capsys.readouterr().out
    assert run(db, "avgift", "--datum", "2026-03-31", "--format", "md", "-o", "-") == 0
    out = capsys.readouterr().out
    s1 = next(line for line in out.splitlines() if "| S1 |" in line)
    s2 = next(line for line in out.splitlines() if "| S2 |" in line)
    assert "Ingen avgift: senareläggning begärd av den enskilde 2025-08-01 till 2026-09-30 (34 kap. 6 §)" in s1
    assert "10 000–1 000 000 kr" in s1 and "2027-06-10" in s1
    assert "Kan prövas om insatsen inte getts inom skälig tid" in s2
    # ett slut före början är ett svenskt fel, och ingenting sparas
    bad = ["--db", db, "registrera", "senarelaggning", "S2", "--datum", "2026-02-01", "--till", "2026-01-01"]
    assert main(bad) == 1
    assert "före den börjar" in capsys.readouterr().err


def test_revisorer_report_from_the_command_line(register_factory, capsys):
    db = register_factory(["R1;19520314-1220;K;SoL – kontaktperson;2025-09-01;;;;",
                           "R2;P2;M;Äldreboende;2025-10-01;;;;3"], ["R1;2025-12-01;tackat nej;"],
                          today=date(2026, 4, 1)).url
    assert run(db, "revisorer", "--kvartal", "2026K1", "--format", "md", "-o", "-") == 0
    captured = capsys.readouterr()
    out = captured.out
    assert "rapport till revisorerna om ej verkställda beslut, kvartal 1 2026" in out
    assert "| 2 | Kvarstår | SoL | SoL – kontaktperson | 11 kap. 1 § socialtjänstlagen (2025:400) | 2025-09-01 | K | 1952 |" in out
    assert "Erbjudande om kontaktperson 2025-12-01, tackat nej." in out
    assert "19520314" not in out and "R1" not in out and "P2" not in out
    # till förvaltningen, i terminalen: vad som saknas, med beslutet
    assert "Beslut R2: den enskildes födelseår saknas" in captured.err
    assert "Beslut R2: orsaken är Annat" in captured.err


def test_matchning_adds_the_binding_reason_to_the_reasons(register_factory, capsys):
    db = register_factory(["X1;P1;K;LSS – kontaktperson;2025-09-01;;;;"], today=date(2026, 4, 1)).url
    assert run(db, "ivo", "--kvartal", "2026K1", "--matchning", "-o", "-") == 0
    out = capsys.readouterr().out
    assert "Matchning 2026-03-31: Det finns ingen godkänd uppdragstagare" in out
    assert run(db, "ivo", "--kvartal", "2026K1", "-o", "-") == 0
    assert "Matchning" not in capsys.readouterr().out


def test_manad_names_a_beslut_whose_person_is_missing(tmp_path, capsys):
    """Ett beslut vars enskilde inte finns i registret (inget kön) ger ett fel som säger vilket
    beslut det gäller, och ingen rapport."""
    from bemanning.model import Entitet, Handelse, HandelseTyp
    from bemanning.store import open_register

    reg = open_register(tmp_path / "r.sqlite")
    record = {"beslut_id": "C9", "person_id": "P9", "insats": "Äldreboende", "beslutsdatum": "2023-05-01"}
    reg.append([Handelse(Entitet.BESLUT, "C9", HandelseTyp.REGISTRERAD, date(2023, 5, 1), data=record)])
    url = reg.url
    reg.close()
    target = tmp_path / "manad.csv"
    assert main(["--db", url, "rapport", "manad", "--datum", "2023-12-31", "--format", "csv", "-o", str(target)]) == 1
    assert "Beslut C9 saknar uppgift om den enskilde (kön)" in capsys.readouterr().err
    assert not target.exists()
