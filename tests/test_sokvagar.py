"""Var registret ligger: demon följer --db och BEMANNING_DB men rör aldrig ett riktigt register,
och en sökväg i en katalog som inte finns är ett svenskt fel i stället för ett tomt register."""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.cli import main
from bemanning.store import open_register


def _content(path: Path) -> list:
    reg = open_register(path)
    try:
        return [(e.entitet, e.nyckel, e.typ, e.datum, e.data) for e in reg.events()]
    finally:
        reg.close()


def _real_register(path: Path) -> None:
    csv = path.parent / "beslut.csv"
    csv.write_text("beslut_id;person_id;kon;insats;beslutsdatum\nB1;P1;K;SoL – kontaktperson;2024-01-02\n",
                   encoding="utf-8")
    assert main(["--db", str(path), "importera", str(csv)]) == 0


def test_demo_builds_where_bemanning_db_points(tmp_path, monkeypatch, capsys):
    target = tmp_path / "min-demo.sqlite"
    monkeypatch.setenv("BEMANNING_DB", str(target))
    assert main(["demo", "--bara-ladda"]) == 0
    assert str(target) in capsys.readouterr().out
    reg = open_register(target)
    try:
        assert len(reg.uppdragstagare()) == 40
    finally:
        reg.close()


def test_demo_never_touches_a_real_register(tmp_path, monkeypatch, capsys):
    real = tmp_path / "register.sqlite"
    _real_register(real)
    before, inode = _content(real), real.stat().st_ino
    monkeypatch.setenv("BEMANNING_DB", str(real))
    assert main(["demo", "--ny", "--bara-ladda"]) == 1
    err = capsys.readouterr().err
    assert "riktigt register" in err and "--db" in err
    # samma fil (inte raderad och ersatt) med samma innehåll; SQLite får skriva in sin logg (WAL)
    assert real.stat().st_ino == inode and _content(real) == before


def test_a_register_in_a_missing_folder_is_a_swedish_error(tmp_path, capsys):
    missing = tmp_path / "finns-inte" / "register.sqlite"
    assert main(["--db", str(missing), "beslut", "--antal"]) == 1
    assert main(["--db", str(missing), "importera", str(tmp_path / "x.csv")]) == 1
    err = capsys.readouterr().err
    assert f"Registret {missing} finns inte" in err
    assert f"Katalogen {missing.parent} finns inte" in err
    assert not missing.parent.exists()


def test_a_file_where_a_folder_should_be_is_said_in_swedish(tmp_path):
    blocker = tmp_path / "fil"
    blocker.write_text("x", encoding="utf-8")
    from bemanning.errors import UserError

    with pytest.raises(UserError) as caught:
        open_register(blocker / "register.sqlite")
    message = str(caught.value)
    assert "en fil, inte en katalog" in message
    assert "Not a directory" not in message and "Errno" not in message
