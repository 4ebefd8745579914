"""Fixturen från Ludvika: importera, rapportera 2023-12-31 och få exakt den förväntade rapporten."""

from __future__ import annotations

import json
from datetime import date

from bemanning.reports import manadsrapport
from bemanning.reports.ej_verkstallda import statistikrapport
from bemanning.reports.format import render
from bemanning.reports.installningar import load_installningar

R = date(2023, 12, 31)


def expected(fixture_dir):
    return json.loads((fixture_dir / "forvantad-2023-12-31.json").read_text(encoding="utf-8"))


def test_report_at_2023_12_31_is_exactly_the_expected_file(ludvika, fixture_dir):
    rapport = statistikrapport(ludvika.beslut_lagen(R), R)
    got = rapport.to_json()
    want = expected(fixture_dir)
    assert got["sammanfattning"] == want["sammanfattning"]
    assert got["per_insats"] == want["per_insats"]
    assert list(got["per_insats"]) == list(want["per_insats"])  # samma ordning
    assert got["detalj"] == want["detalj"]
    assert got == want


def test_through_the_machine_readable_csv(ludvika, fixture_dir):
    rapport = statistikrapport(ludvika.beslut_lagen(R), R)
    rows = manadsrapport.read_detalj_csv(manadsrapport.detalj_csv(rapport))
    assert rows == expected(fixture_dir)["detalj"]


def test_november_seed_day_count(ludvika):
    nov = date(2023, 11, 30)
    rapport = statistikrapport(ludvika.beslut_lagen(nov), nov)
    first = rapport.rader[0]
    assert (first.datum, first.antal_dagar) == (date(2022, 9, 19), 437)
    # verkställda i december finns med i november, men inte i december
    assert {"VON23-024", "VON23-025", "VON23-026"} <= {r.beslut_id for r in rapport.rader}


def test_report_is_reproducible_after_later_events(ludvika, tmp_path, fixture_dir):
    from bemanning.io.importer import import_files

    before = statistikrapport(ludvika.beslut_lagen(R), R).to_json()
    later = tmp_path / "erbj.csv"
    later.write_text("beslut_id;datum;utfall;kommentar\nVON23-003;2024-01-02;tackat nej;\n", encoding="utf-8")
    import_files(ludvika, [later], today=date(2024, 1, 3))
    assert statistikrapport(ludvika.beslut_lagen(R), R).to_json() == before == expected(fixture_dir)


def test_every_format_renders_and_holds_no_person_id(ludvika):
    from .test_format import _all_text

    rapport = statistikrapport(ludvika.beslut_lagen(R), R)
    dok = manadsrapport.dokument(rapport, load_installningar())
    for fmt in ("md", "txt", "csv", "docx", "xlsx"):
        text = _all_text(render(dok, fmt))
        assert "VON23" not in text, fmt
