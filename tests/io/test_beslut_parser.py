"""Beslutsfilens snabba radläsare (`BeslutParser`) ger samma rader, fel och varningar som
`parse_beslut`, rad för rad: också för rader med fel, varningar, korta rader och id som måste
rättas till (blanksteg, ej NFC)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from bemanning.io import formats
from bemanning.io.problems import Problem
from bemanning.io.rows import RowReader, TableContext
from bemanning.io.tabular import read_table
from bemanning.model.insats import default_katalog

TODAY = date(2025, 6, 1)
HEADER = ("beslut_id;person_id;kon;insats;beslutsdatum;verkstalld_datum;avslutad_datum;avslutsorsak;orsak;"
          "fodelsear;sprak;omrade;x_km;y_km;timmar_per_manad;enhet;kon_onskemal;kon_krav;onskat_sprak;sprak_krav;"
          "intressen;tider;max_avstand_km;sarskilda_behov;undantagna")
ROWS = [
    "B1;P1;K;LSS – kontaktperson;2025-01-02;2025-02-01;;;;1960;SV,arabiska;norr;1,5;2;8;E1;M;ja;Sv;nej;"
    "djur, musik;vardag,kväll;20;rullstol;U2, U1,U2",
    "B2;P2;m;SoL – kontaktperson;2025-01-03;;2025-03-01;avliden;2;;;;;;;;;;;;;;;;",
    "B3;P3;K;LSS – kontaktperson;2025-01-04",  # kort rad: resten är tomma celler
    " B4 ;P4;K;LSS – kontaktperson;2025-01-04;;;;;;;;;;;;;;;;;;;;",  # id med blanksteg: rättas
    "B5;P5;X;LSS – kontaktperson;2025-01-04;;;;;;;;;;;;;;;;;;;;",  # fel kön
    "B6;P6;K;Okänd insats;2025-01-04;;;;;;;;;;;;;;;;;;;;",  # okänd insats
    "B7;P7;K;LSS – kontaktperson;2025-13-04;;;;;;;;;;;;;;;;;;;;",  # inget datum
    "B8;P8;K;LSS – kontaktperson;2025-01-04;2024-12-01;;;;;;;;;;;;;;;;;;;",  # varning: verkställt före
    "B9;P9;K;LSS – kontaktperson;2026-01-04;;;;;;;;;;;;;;;;;;;;",  # varning: i framtiden
    "B10;;K;LSS – kontaktperson;2025-01-04;;;;;;;;;;;;;;;;;;;;",  # person saknas
    "B11;19121212-1213;K;LSS – kontaktperson;2025-01-04;;;;;;;;;;;;;;;;;;;;",  # fel kontrollsiffra
    "B12;P12;K;LSS – kontaktperson;2025-01-04;;;;4;;;;;;-3;;;;;;;morgon;;;",  # orsak, timmar, tid
    "B13;P13;K;LSS – kontaktperson;2025-01-04;;;;;1850;;;;;;;;;;;;;;;",  # födelseår
    "B14;P14;K;LSS – kontaktperson;2025-01-04;;2025-01-01;;;;;;;;;;;;;;;;;;",  # varning: avslutat före
    "B15;P15;K;LSS – kontaktperson;2025-01-02;2025-02-01;;;;1960;SV,arabiska;norr;1,5;2;8;E1;M;ja;Sv;nej;"
    "djur, musik;vardag,kväll;20;rullstol;U2, U1,U2",  # samma värden igen (ur minnet)
]


def _parse_all(path: Path, fast: bool) -> tuple[list, list[Problem]]:
    table = read_table(path)
    context = TableContext(table)
    problems: list[Problem] = []
    parser = formats.BeslutParser(default_katalog(), TODAY)
    rows = []
    for line, cells in table.rows:
        r = RowReader(table, line, cells, problems, context)
        rows.append(parser(r) if fast else formats.parse_beslut(r, default_katalog(), TODAY))
    return rows, problems


def test_fast_parser_gives_the_same_rows_and_problems(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "beslut.csv"
    path.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    slow_rows, slow_problems = _parse_all(path, fast=False)
    slow_parse = formats.parse_beslut
    handed_over: list[int] = []

    def counted(r, katalog, today):
        handed_over.append(r.line)
        return slow_parse(r, katalog, today)

    monkeypatch.setattr(formats, "parse_beslut", counted)
    fast_rows, fast_problems = _parse_all(path, fast=True)
    # raderna utan fel och varningar läses utan parse_beslut; de andra av den
    assert handed_over == list(range(6, 16))  # B5–B14 (rad 1 är rubrikraden)
    assert fast_rows == slow_rows
    assert fast_problems == slow_problems
    # provet prövar något: både godkända rader och rader med fel och varningar finns
    assert sum(row is not None for row in fast_rows) >= 5
    assert any(not p.varning for p in fast_problems) and any(p.varning for p in fast_problems)


def test_fast_parser_with_few_columns(tmp_path: Path) -> None:
    path = tmp_path / "beslut.csv"
    path.write_text("beslut_id;person_id;kon;insats;beslutsdatum\nB1;P1;K;LSS – kontaktperson;2025-01-02\n"
                    "B2;P2;M;Äldreboende;2025-01-03\n", encoding="utf-8")
    fast_rows, fast_problems = _parse_all(path, fast=True)
    assert fast_rows == _parse_all(path, fast=False)[0]
    assert fast_problems == [] and all(row is not None for row in fast_rows)


def test_records_give_the_same_rows_problems_and_stored_records(tmp_path: Path) -> None:
    """Importens väg (`BeslutParser.records`): samma rader, fel och varningar som `parse_beslut`,
    och posterna är de som `to_record` ger för radens modellobjekt (det som registreras)."""
    from bemanning.model.serialize import to_record

    path = tmp_path / "beslut.csv"
    path.write_text(HEADER + "\n" + "\n".join(ROWS) + "\n", encoding="utf-8")
    slow_rows, slow_problems = _parse_all(path, fast=False)
    table = read_table(path)
    context = TableContext(table)
    problems: list[Problem] = []
    parser = formats.BeslutParser(default_katalog(), TODAY)
    records = [parser.records(RowReader(table, line, cells, problems, context)) for line, cells in table.rows]
    assert problems == slow_problems
    assert [r is None for r in records] == [r is None for r in slow_rows]
    checked = 0
    for record, slow in zip(records, slow_rows, strict=True):
        if slow is None:
            continue
        assert record.as_beslut_row() == slow
        assert record.beslut_record == to_record(slow.beslut)
        assert record.enskild_record == to_record(slow.enskild)
        assert (record.beslut_id, record.person_id, record.kon, record.beslutsdatum) == (
            slow.beslut.beslut_id, slow.enskild.person_id, slow.enskild.kon.value, slow.beslut.beslutsdatum)
        checked += 1
    assert checked >= 5
