"""Export och import går jämnt upp; ändrade värden förs in först när användaren bekräftar."""

from datetime import date
from pathlib import Path

import pytest

from bemanning.errors import UserError
from bemanning.io.exporter import export_kind, write_new_file
from bemanning.io.importer import import_files
from bemanning.io.mapping import load_mapping
from bemanning.model import HandelseTyp
from bemanning.store import open_register

DEMO = Path(__file__).resolve().parents[2] / "data" / "demo"


def _snapshot(reg, per):
    return [(x.beslut, x.enskild, x.status, x.verkstalld_datum, x.avslutad_datum, x.erbjudanden)
            for x in reg.beslut_lagen(per)]


def test_export_then_import_gives_the_same_register(reg, tmp_path):
    import_files(reg, [DEMO / f"{n}.csv" for n in ("omraden", "enheter", "personal", "uppdragstagare", "beslut", "erbjudanden")],
                 today=date(2026, 11, 23))
    per = date(2026, 11, 23)
    copy = open_register(tmp_path / "kopia.sqlite")
    paths = []
    for kind in ("omraden", "enheter", "personal", "uppdragstagare", "beslut", "erbjudanden"):
        path = tmp_path / f"{kind}.csv"
        path.write_bytes(export_kind(reg, kind, per))
        paths.append(path)
    import_files(copy, paths, today=per)
    assert _snapshot(copy, per) == _snapshot(reg, per)
    assert copy.personal() == reg.personal()
    assert copy.uppdragstagare() == reg.uppdragstagare()
    # och exporten av kopian är samma bytes
    assert export_kind(copy, "beslut", per) == export_kind(reg, "beslut", per)


def test_export_never_overwrites_without_force(tmp_path):
    path = tmp_path / "ut.csv"
    write_new_file(path, b"a")
    with pytest.raises(UserError, match="finns redan"):
        write_new_file(path, b"b")
    write_new_file(path, b"c", force=True)
    assert path.read_bytes() == b"c"


def test_changed_values_are_shown_and_applied_only_when_confirmed(reg, ludvika, tmp_path):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    changed = tmp_path / "beslut.csv"
    text = ludvika[0].read_text(encoding="utf-8-sig")
    changed.write_text(text.replace("VON23-003;VON23P003;M;LSS – kontaktperson;2022-11-25",
                                    "VON23-003;VON23P003;M;LSS – kontaktperson;2022-11-26"), encoding="utf-8")
    result = import_files(reg, [changed], today=date(2024, 1, 10))
    assert [str(d) for d in result.pending_diffs] == [
        "beslut.csv rad 4, beslut VON23-003: beslutsdatum: 2022-11-25 → 2022-11-26"
    ]
    assert result.events == []
    assert reg.beslut_lage("VON23-003", date(2024, 1, 10)).beslut.beslutsdatum == date(2022, 11, 25)

    confirmed = import_files(reg, [changed], confirm=True, today=date(2024, 1, 10))
    assert [e.typ for e in confirmed.events] == [HandelseTyp.KORRIGERAD]
    assert reg.beslut_lage("VON23-003", date(2024, 1, 10)).beslut.beslutsdatum == date(2022, 11, 26)
    assert reg.beslut_lage("VON23-003", date(2024, 1, 9)).beslut.beslutsdatum == date(2022, 11, 25)


def test_a_new_verkstalld_datum_is_progress_not_a_correction(reg, ludvika, tmp_path):
    import_files(reg, ludvika, today=date(2024, 1, 3))
    later = tmp_path / "beslut.csv"
    text = ludvika[0].read_text(encoding="utf-8-sig")
    later.write_text(text.replace("VON23-003;VON23P003;M;LSS – kontaktperson;2022-11-25;",
                                  "VON23-003;VON23P003;M;LSS – kontaktperson;2022-11-25;2024-01-08"), encoding="utf-8")
    result = import_files(reg, [later], today=date(2024, 1, 10))
    assert [e.typ for e in result.events] == [HandelseTyp.VERKSTALLT]
    assert reg.beslut_lage("VON23-003", date(2024, 1, 8)).is_verkstallt


def test_column_mapping_reads_another_systems_export(reg, tmp_path):
    mapping = tmp_path / "mappning.toml"
    mapping.write_text(
        '[beslut]\ndatumformat = "%d.%m.%Y"\n'
        '[beslut.kolumner]\nbeslut_id = "Beslutsnr"\nperson_id = "Klient"\nkon = "Kön"\n'
        'insats = "Insats"\nbeslutsdatum = "Beslutsdatum"\n'
        '[beslut.varden.kon]\nKvinna = "K"\nMan = "M"\n',
        encoding="utf-8",
    )
    source = tmp_path / "treserva.csv"
    source.write_text("Beslutsnr;Klient;Kön;Insats;Beslutsdatum\nT-1;X1;Kvinna;SoL - kontaktperson;03.02.2023\n",
                      encoding="utf-8")
    import_files(reg, [source], mapping=load_mapping(mapping), today=date(2024, 1, 3))
    lage = reg.beslut_lage("T-1", date(2024, 1, 3))
    assert lage.beslut.beslutsdatum == date(2023, 2, 3)
    assert lage.beslut.insats == "SoL – kontaktperson"
    assert lage.enskild.kon.value == "K"


def test_xlsx_files_are_read_like_csv(reg, tmp_path):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(["beslut_id", "person_id", "kon", "insats", "beslutsdatum"])
    sheet.append(["X-1", "P1", "M", "LSS – ledsagarservice", date(2023, 5, 4)])
    path = tmp_path / "beslut.xlsx"
    book.save(path)
    import_files(reg, [path], today=date(2024, 1, 3))
    assert reg.beslut_lage("X-1", date(2024, 1, 3)).beslut.beslutsdatum == date(2023, 5, 4)
