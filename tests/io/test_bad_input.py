"""Trasiga filer ger exakt det svenska meddelandet och lämnar registret orört."""

from datetime import date
from pathlib import Path

import pytest

from bemanning.io.importer import import_files
from bemanning.io.problems import ImportFailed

HEADER = "beslut_id;person_id;kon;insats;beslutsdatum\n"
ROW = "B1;P1;K;LSS – kontaktperson;2023-02-03\n"


@pytest.fixture
def seeded(reg, tmp_path):
    path = tmp_path / "start.csv"
    path.write_text(HEADER + "S1;PS1;M;SoL – kontaktperson;2023-01-01\n", encoding="utf-8")
    import_files(reg, [path], today=date(2024, 1, 3))
    return reg


def _write(tmp_path: Path, name: str, content: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content)
    return path


CASES = [
    ("datum.csv", (HEADER + "B1;P1;K;LSS – kontaktperson;2023-02-30\n").encode(),
     'datum.csv, rad 2, kolumn 5 (beslutsdatum): "2023-02-30" är inget datum (finns inte i kalendern)'),
    ("datumform.csv", (HEADER + "B1;P1;K;LSS – kontaktperson;3/2/2023\n").encode(),
     'datumform.csv, rad 2, kolumn 5 (beslutsdatum): "3/2/2023" är inget datum; skriv ÅÅÅÅ-MM-DD, till exempel 2023-11-30'),
    ("insats.csv", (HEADER + "B1;P1;K;Kontaktfamilj för vuxna;2023-02-03\n").encode(),
     'insats.csv, rad 2, kolumn 4 (insats): "Kontaktfamilj för vuxna" finns inte i insatskatalogen; skriv en '
     'känd insats (till exempel "LSS – kontaktperson") eller lägg till ett alias i insatser.toml'),
    ("dubblett.csv", (HEADER + ROW + "B1;P2;M;LSS – kontaktperson;2023-02-04\n").encode(),
     'dubblett.csv, rad 3, kolumn 1 (beslut_id): "B1" finns redan på rad 2; varje beslut_id får bara finnas en gång'),
    ("tabb.csv", (HEADER + ROW).replace(";", "\t").encode(),
     'tabb.csv, rad 1: hittar inga kolumner avgränsade med ";" eller "," (filen verkar använda tabb som '
     "avgränsare); spara filen som CSV med semikolon som avgränsare"),
    ("tom.csv", b"\n\n", "tom.csv: filen är tom; den ska börja med en rubrikrad"),
    ("noll.csv", b"", "noll.csv: filen är tom (0 byte); exportera den igen ur verksamhetssystemet"),
    ("rubrik.csv", HEADER.encode(), "rubrik.csv: filen har bara en rubrikrad och inga rader att importera"),
    ("kon.csv", (HEADER + "B1;P1;X;LSS – kontaktperson;2023-02-03\n").encode(),
     'kon.csv, rad 2, kolumn 3 (kon): "X" är inget kön; skriv K eller M'),
    ("saknas.csv", b"beslut_id;person_id;kon;insats\nB1;P1;K;LSS \xe2\x80\x93 kontaktperson\n",
     'saknas.csv, rad 1 (beslutsdatum): kolumnen "beslutsdatum" saknas i rubrikraden; en beslutfil ska ha '
     "kolumnerna beslut_id;person_id;kon;insats;beslutsdatum"),
    # a quote never closed used to swallow the rows after it and say only "värde saknas"
    ("citat.csv", (HEADER + 'B1;"P1;K;LSS – kontaktperson;2023-02-03\n' + ROW.replace("B1", "B2")
                   + ROW.replace("B1", "B3")).encode(),
     "citat.csv, rad 2, kolumn 2: citattecknet i början av kolumn 2 öppnas på rad 2 men stängs aldrig, så "
     "resten av filen blir en enda cell. Ta bort citattecknet, eller skriv det dubbelt om det hör till värdet"),
    ("citat2.csv", (HEADER + 'B1;"P1;K;LSS – kontaktperson;2023-02-03\n' + ROW.replace("B1", "B2")
                    + 'B3;P"3;K;LSS – kontaktperson;2023-02-03\n' + ROW.replace("B1", "B4")).encode(),
     "citat2.csv, rad 2, kolumn 2: citattecknet i början av kolumn 2 öppnas på rad 2 men stängs först på "
     "rad 4, så raderna däremellan blir en enda cell. Ta bort citattecknet, eller skriv det dubbelt om det "
     "hör till värdet"),
    ("pnr.csv", (HEADER + "B1;19811218-9875;K;LSS – kontaktperson;2023-02-03\n").encode(),
     "pnr.csv, rad 2, kolumn 2 (person_id): personnumret klarar inte kontrollsiffran (Luhn); kontrollera siffrorna"),
]


@pytest.mark.parametrize(("name", "content", "message"), CASES, ids=[c[0] for c in CASES])
def test_broken_file_gives_exact_message_and_changes_nothing(seeded, tmp_path, name, content, message):
    before = seeded.last_event_id()
    path = _write(tmp_path, name, content)
    with pytest.raises(ImportFailed) as exc:
        import_files(seeded, [path], today=date(2024, 1, 3))
    assert message in exc.value.details
    assert exc.value.message.startswith("Importen avbröts")
    assert "Inget har ändrats i registret" in exc.value.message
    assert seeded.last_event_id() == before
    assert [x.beslut_id for x in seeded.beslut_lagen(date(2024, 1, 3))] == ["S1"]


def test_one_bad_row_among_good_ones_stops_the_whole_import(seeded, tmp_path):
    good = "".join(f"G{i};PG{i};K;LSS – kontaktperson;2023-03-0{i}\n" for i in range(1, 6))
    path = _write(tmp_path, "blandat.csv", (HEADER + good + "B9;P9;K;LSS – kontaktperson;2023-13-01\n").encode())
    before = seeded.last_event_id()
    with pytest.raises(ImportFailed) as exc:
        import_files(seeded, [path], today=date(2024, 1, 3))
    assert exc.value.details == ['blandat.csv, rad 7, kolumn 5 (beslutsdatum): "2023-13-01" är inget datum (finns inte i kalendern)']
    assert seeded.last_event_id() == before


def test_every_error_of_a_file_is_listed_not_just_the_first(seeded, tmp_path):
    path = _write(tmp_path, "tva.csv", (HEADER + "B1;P1;X;Okänd;2023-02-30\n").encode())
    with pytest.raises(ImportFailed) as exc:
        import_files(seeded, [path], today=date(2024, 1, 3))
    assert [d.split(":")[0] for d in exc.value.details] == [
        "tva.csv, rad 2, kolumn 3 (kon)", "tva.csv, rad 2, kolumn 4 (insats)", "tva.csv, rad 2, kolumn 5 (beslutsdatum)",
    ]


def test_cp1252_file_is_read_with_a_warning(reg, tmp_path):
    path = _write(tmp_path, "ansi.csv", (HEADER + "B1;P1;K;Äldreboende – demens;2023-02-03\n").encode("cp1252"))
    result = import_files(reg, [path], today=date(2024, 1, 3))
    assert [str(w) for w in result.warnings] == [
        "varning: ansi.csv: filen är inte UTF-8 och lästes som Windows-1252 (cp1252); kontrollera å, ä och ö "
        "och spara gärna som UTF-8 nästa gång"
    ]
    assert reg.beslut_lage("B1", date(2024, 1, 3)).beslut.insats == "Äldreboende – demens"


def test_comma_delimited_file_is_accepted(reg, tmp_path):
    path = _write(tmp_path, "komma.csv", (HEADER + ROW).replace(";", ",").encode())
    import_files(reg, [path], today=date(2024, 1, 3))
    assert reg.beslut_lage("B1", date(2024, 1, 3)) is not None


def test_offer_for_unknown_beslut_is_an_error(reg, tmp_path):
    path = _write(tmp_path, "erbjudanden.csv", b"beslut_id;datum;utfall\nX9;2023-05-01;tackat nej\n")
    with pytest.raises(ImportFailed) as exc:
        import_files(reg, [path], today=date(2024, 1, 3))
    assert exc.value.details == [
        'erbjudanden.csv, rad 2, kolumn 1 (beslut_id): beslutet "X9" finns varken i registret eller i beslutsfilen'
    ]


def test_doubtful_rows_are_warnings(reg, tmp_path):
    content = (HEADER.rstrip("\n") + ";verkstalld_datum\n"
               "B1;P1;K;LSS – kontaktperson;2023-02-03;2023-01-01\n"
               "B2;P1;M;LSS – kontaktperson;2030-01-01;\n")
    path = _write(tmp_path, "tveksam.csv", content.encode())
    result = import_files(reg, [path], today=date(2024, 1, 3))
    texts = [str(w) for w in result.warnings]
    assert "varning: tveksam.csv, rad 2, kolumn 6 (verkstalld_datum): verkställt 2023-01-01 är före beslutsdatum 2023-02-03; kontrollera datumen" in texts
    assert "varning: tveksam.csv, rad 3, kolumn 5 (beslutsdatum): 2030-01-01 ligger i framtiden" in texts
    assert any("samma person har kön K på rad 2 men M här" in t for t in texts)
    assert all("P1" not in t for t in texts)  # person_id visas aldrig


def test_a_check_without_saving_says_the_check_found_errors_not_that_the_import_stopped(seeded, tmp_path):
    """Kontrollera (torrkörning) sparar aldrig något; felen sägs som kontrollens, med samma rader."""
    path = _write(tmp_path, "kontroll.csv", (HEADER + "B9;P9;K;LSS – kontaktperson;2023-13-01\n").encode())
    before = seeded.last_event_id()
    with pytest.raises(ImportFailed) as exc:
        import_files(seeded, [path], today=date(2024, 1, 3), dry_run=True)
    assert exc.value.message.startswith("Kontrollen hittade 1 fel i filen. Inget har ändrats i registret.")
    assert any("kontroll.csv, rad 2, kolumn 5 (beslutsdatum)" in line for line in exc.value.details)
    assert seeded.last_event_id() == before


def test_a_value_with_a_line_break_inside_quotes_is_still_read(reg, tmp_path):
    """A comment written in Excel may hold a line break; only lines that look like whole rows are
    taken for a quote that was never closed."""
    header = "beslut_id;person_id;kon;insats;beslutsdatum;verkstalld_datum;avslutad_datum;avslutsorsak;orsak\n"
    row = 'B1;P1;K;LSS – kontaktperson;2023-02-03;;2023-05-01;"ansökan återtagen;\nenligt telefonsamtal";\n'
    path = _write(tmp_path, "kommentar.csv", (header + row).encode())
    import_files(reg, [path], today=date(2024, 1, 3))
    assert reg.beslut_lage("B1", date(2024, 1, 3)) is not None
