"""How a pass is named where several enheter are listed together (Obemannat, Resurspass)."""

from __future__ import annotations

from pathlib import Path

from bemanning.roster.indata import load_pass_types
from bemanning.roster.problem import PassTyp


def test_a_pass_from_pass_csv_names_its_enhet_once(tmp_path: Path):
    pass_csv = tmp_path / "pass.csv"
    pass_csv.write_text(
        "enhet;pass;namn;start;slut;rast_minuter;kompetens;natt\n"
        "HT-NORR;K;Kväll;14:00;22:00;30;underskoterska;nej\n"
        "NATT;N;;21:00;07:00;0;;ja\n",
        encoding="utf-8",
    )
    kvall, natt = load_pass_types(pass_csv)
    assert kvall.enhet_label == "HT-NORR Kväll"
    assert natt.enhet_label == "NATT N"


def test_a_pass_named_without_its_enhet_gets_it_in_front():
    assert PassTyp("D", "SB-BJORKEN", 420, 510, namn="Dag").enhet_label == "SB-BJORKEN Dag"
    assert PassTyp("D", "", 420, 510).enhet_label == "D"
