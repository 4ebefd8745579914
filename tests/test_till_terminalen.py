"""`-o -` och `--export -` betyder terminalen för varje kommando som skriver en fil (issue 20)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.cli import main

DEMO = Path(__file__).parents[1] / "data" / "demo"
LUDVIKA = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "ludvika-2023"


@pytest.fixture
def db(tmp_path, capsys):
    if not LUDVIKA.is_dir():
        pytest.skip("../shared/fixtures/ludvika-2023 saknas")
    path = str(tmp_path / "r.sqlite")
    assert main(["--db", path, "importera", *sorted(map(str, LUDVIKA.glob("*.csv")))]) == 0
    capsys.readouterr()
    return path


def test_exportera_dash_writes_to_the_terminal_and_no_file(db, tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["--db", db, "exportera", "beslut", "--per", "2024-01-03", "-o", "-"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("beslut_id;person_id;kon;insats;beslutsdatum")
    assert not (tmp_path / "-").exists(), "ingen fil som heter -"


def test_exportera_to_a_file_says_how_many_rows(db, tmp_path, capsys):
    target = tmp_path / "ut.csv"
    assert main(["--db", db, "exportera", "omraden", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    rows = len(target.read_text(encoding="utf-8-sig").splitlines()) - 1
    word = "rad" if rows == 1 else "rader"
    assert out.strip() == f"Skrev {target} ({rows} {word})."


@pytest.mark.skipif(not (DEMO / "personal.csv").exists(), reason="demodata saknas")
def test_schema_export_dash_writes_the_roster_alone_to_the_terminal(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code = main(["schema", "--personal", str(DEMO / "personal.csv"), "--enheter", str(DEMO / "enheter.csv"),
                 "--omrade", "soder", "--veckor", "1", "--tidsgrans", "5", "--export", "-"])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    lines = captured.out.splitlines()
    assert lines and ";" in lines[0], "schemat som CSV först på standard ut"
    assert all(";" in line for line in lines), "inget annat än schemat på standard ut"
    assert "Täckningsgrad" in captured.err
    assert not (tmp_path / "-").exists()
