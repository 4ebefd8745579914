"""`bemanning schema` and `bemanning bench curtois` from the command line."""

from __future__ import annotations

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
    assert target.exists() and (tmp_path / "schema-enhet.csv").exists()


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


def test_schema_command_with_a_missing_register_says_so_and_creates_nothing(tmp_path, capsys):
    missing = tmp_path / "finns-inte.db"
    code = main(["--db", str(missing), "schema", "--veckor", "1"])
    assert code == 1
    assert "finns inte" in capsys.readouterr().err
    assert not missing.exists()
