"""Formaten: guldfiler byte för byte (CSV, Markdown), DOCX och XLSX lästa cell för cell,
och ingen identitet i någon månads- eller KF-rapport."""

from __future__ import annotations

import io
import os
import zipfile
from datetime import date

import pytest

from bemanning.reports import manadsrapport
from bemanning.reports.ej_verkstallda import statistikrapport
from bemanning.reports.format import render, svenskt_datum
from bemanning.reports.installningar import Installningar, load_installningar
from bemanning.reports.ivo import Kvartal, ivo_rapport, kf_dokument, kvartalsstatistik

from .conftest import GOLDEN
from .samples import NAMN, PNR_K, PNR_M, RAPPORTDATUM, sample_lagen

UPDATE = os.environ.get("UPPDATERA_GULD") == "1"


@pytest.fixture
def rapport():
    return statistikrapport(sample_lagen(), RAPPORTDATUM)


@pytest.fixture
def dok(rapport):
    return manadsrapport.dokument(rapport, load_installningar())


def check_golden(name: str, data: bytes) -> None:
    path = GOLDEN / name
    if UPDATE:
        path.write_bytes(data)
    assert path.exists(), f"guldfilen {name} saknas; kör med UPPDATERA_GULD=1 och läs igenom den"
    assert data == path.read_bytes(), f"{name} skiljer sig från guldfilen"


def test_sample_report_rows(rapport):
    got = [(r.beslut_om, r.datum.isoformat(), r.antal_dagar, r.kon, r.orsak) for r in rapport.rader]
    assert got == [
        ("LSS – kontaktperson", "2023-02-10", 476, "K", 1),
        ("LSS – daglig verksamhet", "2023-11-20", 193, "M", 3),
        ("LSS – kontaktperson", "2024-01-15", 137, "K", 2),  # avbrott
        ("SoL – kontaktperson", "2024-02-29", 92, "M", 2),
        ("Äldreboende", "2024-02-29", 92, "K", 2),
    ]


def test_golden_markdown(dok):
    check_golden("statistikrapport-2024-05-31.md", render(dok, "md"))


def test_golden_text(dok):
    check_golden("statistikrapport-2024-05-31.txt", render(dok, "txt"))


def test_preview_shows_the_first_rows_and_says_how_many_are_left(dok):
    """Förhandsvisningen (gränssnittet) visar de första raderna av en lång tabell och hur många som
    är kvar; exporten har alltid alla."""
    from bemanning.reports.format import plain_text

    full = plain_text(dok)
    preview = plain_text(dok, max_rader=2)
    assert "2024-02-29" in full and "2024-02-29" not in preview  # rad 4 och 5 i tabell 3
    assert "… och 3 rader till. Hela tabellen finns i exporten." in preview
    assert plain_text(dok, max_rader=5) == full


def test_golden_excel_csv(dok):
    data = render(dok, "csv")
    assert data.startswith(b"\xef\xbb\xbf")
    check_golden("statistikrapport-2024-05-31.csv", data)


def test_golden_detail_csv(rapport):
    data = manadsrapport.detalj_csv(rapport)
    header = data.decode("utf-8-sig").split("\r\n")[0]
    assert header == (
        "Beslut om;Besluts-datum;Antal dagar;Kvinna eller man;"
        "Tackat nej till erbjuden plats (1) Resursbrist (2) Annat (3)"
    )
    check_golden("statistikrapport-2024-05-31-detalj.csv", data)
    assert manadsrapport.read_detalj_csv(data) == rapport.to_json()["detalj"]


def test_title_heading_and_month_names(dok):
    assert dok.titel == (
        "Vård- och omsorgsnämndens rapport angående antal beslut om insatser som inte verkställts "
        "till och med 31 maj 2024"
    )
    assert dok.rubrik == "Statistikrapport den 31 maj 2024"
    assert svenskt_datum(date(2023, 12, 1)) == "1 december 2023"


def test_namnd_name_comes_from_config():
    settings = Installningar.from_config({"namnd": "Socialnämnden"})
    assert settings.titel_per(date(2023, 12, 31)).startswith("Socialnämndens rapport angående")


def _docx_tables(data: bytes):
    from docx import Document

    doc = Document(io.BytesIO(data))
    return doc, [[[c.text for c in row.cells] for row in t.rows] for t in doc.tables]


def test_docx_cell_by_cell(rapport, dok):
    doc, tables = _docx_tables(render(dok, "docx"))
    texts = [p.text for p in doc.paragraphs]
    assert dok.titel in texts and dok.rubrik in texts
    for caption in (manadsrapport.RUBRIK_1, manadsrapport.RUBRIK_2, manadsrapport.RUBRIK_3):
        assert caption in texts
    assert len(tables) == 3
    assert tables[0] == [list(manadsrapport.KOLUMNER_1), ["5", "3", "2", "1"]]
    assert tables[1] == [list(manadsrapport.KOLUMNER_2)] + [[k, str(v)] for k, v in rapport.per_insats]
    assert tables[2][0] == list(manadsrapport.KOLUMNER_3)
    assert tables[2][1:] == [
        [r.beslut_om, r.datum.isoformat(), str(r.antal_dagar), r.kon, str(r.orsak)] for r in rapport.rader
    ]


def test_xlsx_cell_by_cell(rapport, dok):
    from openpyxl import load_workbook

    wb = load_workbook(io.BytesIO(render(dok, "xlsx")))
    assert wb.sheetnames == ["Rapport", "Detalj"]
    detail = wb["Detalj"]
    rows = list(detail.iter_rows(values_only=True))
    assert rows[0] == manadsrapport.KOLUMNER_3
    for got, r in zip(rows[1:], rapport.rader, strict=True):
        assert got[0] == r.beslut_om
        assert got[1].date() == r.datum  # ett riktigt datum i Excel
        assert got[2:] == (r.antal_dagar, r.kon, r.orsak)
    assert detail["B2"].number_format == "yyyy-mm-dd"
    sheet = [tuple(v for v in row if v is not None) for row in wb["Rapport"].iter_rows(values_only=True)]
    assert sheet[0] == (dok.titel,) and sheet[1] == (dok.rubrik,)
    start = sheet.index((manadsrapport.RUBRIK_1,))
    assert sheet[start + 1] == manadsrapport.KOLUMNER_1
    assert sheet[start + 2] == (5, 3, 2, 1)


def _all_text(data: bytes) -> str:
    """Bytes som text; för DOCX/XLSX (zip) varje fil i arkivet uppackad."""
    if data[:2] == b"PK":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode("utf-8", "replace") for n in archive.namelist())
    return data.decode("utf-8", "replace")


def _forbidden(lagen):
    words = {NAMN, "Agnes", "Testsson", PNR_K, PNR_M, PNR_K.replace("-", ""), PNR_M.replace("-", ""),
             PNR_K[2:], PNR_K[2:].replace("-", ""), "19520314", "PSEUDO", "P-GB", "GB-"}
    for x in lagen:
        words.add(x.beslut.person_id)
        words.add(x.beslut.beslut_id)
    return words


def test_no_identity_in_any_monthly_or_kf_format(rapport, dok):
    lagen = sample_lagen()
    settings = load_installningar()
    outputs = {f"manad.{fmt}": render(dok, fmt) for fmt in ("md", "txt", "csv", "docx", "xlsx")}
    outputs["manad.detalj.csv"] = manadsrapport.detalj_csv(rapport)
    kvartal = Kvartal(2024, 2)
    statistik = [kvartalsstatistik(ivo_rapport(lagen, kvartal))]
    for fmt in ("md", "txt", "csv", "docx", "xlsx"):
        outputs[f"kf.{fmt}"] = render(kf_dokument(statistik, settings), fmt)
    forbidden = _forbidden(lagen)
    for name, data in outputs.items():
        text = _all_text(data)
        leaks = sorted(w for w in forbidden if w in text)
        assert not leaks, f"{name} innehåller {leaks}"


def test_golden_ivo_csv():
    from bemanning.reports.format import tabell_csv
    from bemanning.reports.ivo import ivo_tabell

    rapport = ivo_rapport(sample_lagen(), Kvartal(2024, 2))
    data = tabell_csv(ivo_tabell(rapport))
    check_golden("ivo-2024K2.csv", data)
    text = data.decode("utf-8-sig")
    for forbidden in (PNR_K, PNR_M, NAMN, "GB-", "PSEUDO"):
        assert forbidden not in text


def test_a_row_repeated_as_one_object_is_written_like_separate_equal_rows():
    """En rapport räknad i grupper upprepar samma radobjekt; CSV:n blir densamma som med en egen
    rad per beslut, också för sanningsvärden (True == 1), formelliknande text och citattecken."""
    from bemanning.reports.format import Dokument, Tabell, dokument_csv

    def doc(rows):
        return Dokument("T", "R", (Tabell(("a", "b", "c"), tuple(rows)),))

    shared = ("=summa;x", True, date(2026, 1, 2))
    other = ('ett "citat"', 1, None)
    repeated = [shared] * 3 + [other] * 2 + [shared]
    separate = [tuple(row) for row in (list(r) for r in repeated)]
    assert len({id(r) for r in separate}) == len(separate)
    text = dokument_csv(doc(repeated)).decode("utf-8-sig")
    assert text == dokument_csv(doc(separate)).decode("utf-8-sig")
    assert text.count("'=summa;x") == 4 and text.count("True") == 4 and text.count(';1;') == 2
