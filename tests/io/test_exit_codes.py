"""Slutkoderna skiljer felen åt: 0 klart, 1 felaktiga indata, 2 felaktigt anrop, 3 internt fel
(en svensk mening och en loggfil, aldrig en traceback)."""

from __future__ import annotations

from pathlib import Path

import pytest

from bemanning.cli import main
from tests.io.corpus import GOOD


def test_done_bad_input_and_bad_call_have_their_own_codes(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite")
    good = tmp_path / "ok.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["--db", db, "importera", str(good)]) == 0
    bad = tmp_path / "fel.csv"
    bad.write_text(GOOD.replace("2023-02-03", "2023-02-30"), encoding="utf-8")
    assert main(["--db", db, "importera", str(bad)]) == 1
    with pytest.raises(SystemExit) as exc:
        main(["--db", db, "importera", "--kodning", "latin-9", str(good)])
    assert exc.value.code == 2
    assert "ogiltigt val" in capsys.readouterr().err


def test_an_internal_error_gives_code_3_a_swedish_sentence_and_a_log_file(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    import bemanning.io.importer as importer

    def broken(*_args, **_kwargs):
        raise RuntimeError("oväntat fel med 19121212-1212 i texten")

    monkeypatch.setattr(importer, "import_files", broken)
    good = tmp_path / "ok.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["--db", str(tmp_path / "r.sqlite"), "importera", str(good)]) == 3
    err = capsys.readouterr().err
    assert "Traceback" not in err and "RuntimeError" not in err
    assert "Ett internt fel uppstod i bemanning" in err
    log = Path(err.strip().rsplit(": ", 1)[1])
    assert log.is_file() and log.is_relative_to(tmp_path / "state")
    text = log.read_text(encoding="utf-8")
    assert "RuntimeError" in text and "Traceback" in text
    assert "19121212-1212" not in text and "[personnummer]" in text


def test_a_personnummer_in_a_user_error_is_masked(tmp_path, capsys):
    missing = tmp_path / "191212121212.toml"
    good = tmp_path / "ok.csv"
    good.write_text(GOOD, encoding="utf-8")
    assert main(["--db", str(tmp_path / "r.sqlite"), "importera", str(good), "--mappning", str(missing)]) == 1
    err = capsys.readouterr().err
    assert "191212121212" not in err and "[personnummer].toml" in err
