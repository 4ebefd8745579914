"""Regressionskorpus: en trasig fil per felklass ur issue 17, och det svenska meddelandet den ska ge.

Filerna skapas av `build(folder)` (en del klasser, som FIFO, länkslingor och enheter, går inte
att checka in som filer). Varje post: (namn, sökväg, meddelande som ska finnas i utskriften,
extra argument till `bemanning importera`).
"""

from __future__ import annotations

import io
import os
import re
import struct
import zipfile
from pathlib import Path

HEADER = "beslut_id;person_id;kon;insats;beslutsdatum\n"
ROW = "B1;P1;K;LSS – kontaktperson;2023-02-03\n"
GOOD = HEADER + ROW
PNR = "19121212-1212"  # Skatteverkets testpersonnummer; får aldrig synas i ett meddelande


def _xlsx(rows: list[list[object]]) -> bytes:
    import openpyxl

    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _rezip(data: bytes, replace: dict[str, bytes | None]) -> bytes:
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            if item.filename in replace:
                if replace[item.filename] is not None:
                    target.writestr(item.filename, replace[item.filename])
                continue
            target.writestr(item, source.read(item.filename))
    return out.getvalue()


def _claim_size(data: bytes, member: str, size: int) -> bytes:
    """The zip file with `member`'s uncompressed size written as `size` in its local header and
    in the central directory (what a zip bomb declares)."""
    out = bytearray(data)
    name = member.encode()
    for signature, offset, header in ((b"PK\x03\x04", 22, 30), (b"PK\x01\x02", 24, 46)):
        at = out.find(signature)
        while at >= 0:
            if out[at + header:at + header + len(name)] == name:
                out[at + offset:at + offset + 4] = struct.pack("<I", size)
            at = out.find(signature, at + 1)
    return bytes(out)


def _beslut(*rows: str) -> bytes:
    return (HEADER + "".join(r + "\n" for r in rows)).encode("utf-8")


def _mapping_case(folder: Path, name: str, content: bytes | None) -> list[str]:
    path = folder / name
    if content is None:
        path.mkdir()
    else:
        path.write_bytes(content)
    data = folder / f"data-{name}.csv"
    data.write_text(GOOD, encoding="utf-8")
    return [str(data), "--mappning", str(path)]


def build(folder: Path) -> list[tuple[str, list[str], str]]:
    """(felklass, argument till `importera`, meddelande) för varje fil i korpusen."""
    folder.mkdir(parents=True, exist_ok=True)
    cases: list[tuple[str, list[str], str]] = []

    def add(klass: str, name: str, content: bytes, message: str, *extra: str) -> None:
        path = folder / name
        path.write_bytes(content)
        cases.append((klass, [str(path), *extra], message))

    # -- läsning ----------------------------------------------------------------------------
    add("utf16-utan-bom", "utf16.csv", GOOD.encode("utf-16-le"),
        "utf16.csv: filen verkar vara UTF-16 eller UTF-32 utan byteordningsmärke (BOM)")
    add("utf32-trasig", "utf32.csv", b"\xff\xfe\x00\x00" + GOOD.encode("utf-32-le")[:-3],
        "utf32.csv: filen börjar som UTF-32 men är trasig")
    add("stort-falt", "stort.csv", _beslut("B1;P1;K;" + "x" * 200_000 + ";2023-02-03"),
        "stort.csv, rad 2, kolumn 4: fältet är 200000 tecken långt; högst 10000 tecken läses")
    add("ensamt-citattecken", "citat.csv",
        _beslut('B1;P1;K;"LSS – kontaktperson;2023-02-03', *[f"B{i};P{i};K;LSS – kontaktperson;2023-02-03" for i in range(2, 30)]),
        'citat.csv, rad 2, kolumn 4: fältet sträcker sig över 29 rader; ett citattecken (") som aldrig avslutas?')
    add("naken-cr", "cr.csv", _beslut("B1;P1;K;LSS – kontakt\rperson;2023-02-03"),
        "cr.csv, rad 2, kolumn 5 (beslutsdatum): värde saknas")
    add("bara-semikolon", "semikolon.csv", b";;;;\n;;\n",
        "semikolon.csv: filen har ingen rubrikrad (alla rader är tomma)")
    add("nul-byte", "nul.csv", GOOD.encode() + b"B2;P2;K;LSS\x00;2023-02-03\n",
        "nul.csv, rad 3, kolumn 12: filen innehåller en NUL-byte (0x00)")
    add("trasig-xlsx", "trasig.xlsx", b"PK\x03\x04 inte alls en zip",
        "trasig.xlsx: filen går inte att läsa som Excel (xlsx)")
    good_xlsx = _xlsx([HEADER.strip().split(";"), ROW.strip().split(";")])
    add("xlsx-trasigt-blad", "blad.xlsx", _rezip(good_xlsx, {"xl/worksheets/sheet1.xml": b"<worksheet><sheetData><row"}),
        "blad.xlsx: filen går inte att läsa som Excel (xlsx)")
    add("xlsx-utan-blad", "utanblad.xlsx", _rezip(good_xlsx, {"xl/worksheets/sheet1.xml": None}),
        "utanblad.xlsx: arbetsboken har inget kalkylblad")
    workbook = zipfile.ZipFile(io.BytesIO(good_xlsx)).read("xl/workbook.xml").decode()
    no_sheets = re.sub(r"<sheets>.*</sheets>", "<sheets/>", workbook).encode()
    add("xlsx-tom-bladlista", "bladlos.xlsx", _rezip(good_xlsx, {"xl/workbook.xml": no_sheets}),
        "bladlos.xlsx: arbetsboken har inget kalkylblad")
    # en zip-bomb: bladets innehåll säger sig packas upp till 900 MB (storleken står i zip-filens
    # innehållsförteckning och läses innan något packas upp; att packa ihop 900 MB på riktigt
    # tar sekunder i varje provkörning)
    add("xlsx-zipbomb", "bomb.xlsx", _claim_size(good_xlsx, "xl/worksheets/sheet1.xml", 900 << 20),
        "bomb.xlsx: arbetsboken packas upp till 900 MB; högst 800 MB läses")
    add("xlsx-som-csv", "excel.csv", good_xlsx,
        "excel.csv: är en Excel-fil (xlsx) eller annan zip-fil men heter inte .xlsx")
    add("gammal-xls", "gammal.xls", b"\xd0\xcf\x11\xe0" + b"\x00" * 100,
        "gammal.xls: är det gamla Excel-formatet (xls)")
    add("upprepad-rubrik", "rubrik2.csv", _beslut("B1;P1;K;LSS – kontaktperson;2023-02-03", HEADER.strip().upper()),
        "rubrik2.csv, rad 3: rubrikraden finns en gång till här")

    # -- sökvägen ---------------------------------------------------------------------------
    loop = folder / "slinga.csv"
    os.symlink(loop, loop)
    cases.append(("lankslinga", [str(loop)], "slinga.csv: sökvägen är en slinga av symboliska länkar"))
    long_name = folder / ("l" * 300 + ".csv")
    cases.append(("for-langt-namn", [str(long_name)], "filnamnet eller sökvägen är för lång"))
    fifo = folder / "ror.csv"
    os.mkfifo(fifo)
    cases.append(("fifo", [str(fifo)], "ror.csv: är ett namngivet rör (FIFO), inte en vanlig fil"))
    cases.append(("enhet", ["/dev/zero"], "zero: är en enhet (teckenenhet), inte en vanlig fil"))
    directory = folder / "katalog.csv"
    directory.mkdir()
    cases.append(("katalog", [str(directory)], "katalog.csv innehåller inga CSV- eller XLSX-filer"))
    cases.append(("finns-inte", [str(folder / "saknas.csv")], "saknas.csv: filen finns inte"))

    # -- kodning ----------------------------------------------------------------------------
    mixed = GOOD.encode() + "B2;P2;K;LSS – kontaktperson;2023-02-03\nB3;Pö;K;".encode() + b"S\xe5m;2023-02-03\n"
    add("utf8-med-fel", "blandad.csv", mixed,
        "blandad.csv, rad 4, kolumn 10: byte E5 är inte giltig UTF-8")

    # -- värden -----------------------------------------------------------------------------
    numbers = "beslut_id;person_id;kon;insats;beslutsdatum;timmar_per_manad\n"
    for klass, value, message in [
        ("nan", "NaN", '"NaN" är inget tal'),
        ("inf", "inf", '"inf" är inget tal'),
        ("infinity", "-Infinity", '"-Infinity" är inget tal'),
        ("exponent", "1e309", '"1e309" är inget tal; skriv talet utan exponent (e)'),
        ("understreck", "1_000", '"1_000" är inget tal; skriv talet utan understreck'),
        ("arabiska-siffror", "١٥", '"١٥" är inget tal; skriv siffrorna 0–9'),
        ("for-stort-tal", "99999999", '"99999999" är för stort; högst 1000000'),
    ]:
        add(f"tal-{klass}", f"tal-{klass}.csv",
            (numbers + f"B1;P1;K;LSS – kontaktperson;2023-02-03;{value}\n").encode(),
            f"tal-{klass}.csv, rad 2, kolumn 6 (timmar_per_manad): {message}")
    add("jattestort-heltal", "heltal.csv", (HEADER.strip() + ";orsak\n" + "B1;P1;K;LSS – kontaktperson;2023-02-03;" + "9" * 4400 + "\n").encode(),
        'heltal.csv, rad 2, kolumn 6 (orsak): "9999999999999999999999999999999999999999… (4400 tecken)" har för många siffror')
    add("id-nollbredd", "zwsp.csv", _beslut("B1\u200b;P1;K;LSS – kontaktperson;2023-02-03"),
        'zwsp.csv, rad 2, kolumn 1 (beslut_id): "B1\\u200b" innehåller tecknet U+200B nollbreddsmellanslag')
    add("id-bom", "bomid.csv", _beslut("B1\ufeff;P1;K;LSS – kontaktperson;2023-02-03"),
        "U+FEFF byteordningsmärke (BOM)")
    add("id-mjukt-bindestreck", "shy.csv", _beslut("B\u00ad1;P1;K;LSS – kontaktperson;2023-02-03"),
        'shy.csv, rad 2, kolumn 1 (beslut_id): "B\\xad1" innehåller tecknet U+00AD mjukt bindestreck')
    add("id-styrtecken", "esc.csv", _beslut("B1\x1b[31m;P1;K;LSS – kontaktperson;2023-02-03"),
        "esc.csv, rad 2, kolumn 1: fältet innehåller tecknet U+001B escape-tecken (ESC)")
    add("id-for-langt", "langtid.csv", _beslut("B" * 150 + ";P1;K;LSS – kontaktperson;2023-02-03"),
        "langtid.csv, rad 2, kolumn 1 (beslut_id): är 150 tecken långt; ett id får vara högst 100 tecken")
    add("id-skiftlage", "skiftlage.csv", _beslut("ab1;P1;K;LSS – kontaktperson;2023-02-03", "AB1;P2;K;LSS – kontaktperson;2023-02-03"),
        'skiftlage.csv, rad 3, kolumn 1 (beslut_id): "AB1" skiljer sig bara i stora och små bokstäver från "ab1"')
    add("id-skiftlage-registret", "skiftlage2.csv", _beslut("s1;P1;K;LSS – kontaktperson;2023-02-03"),
        'skiftlage2.csv, rad 2, kolumn 1 (beslut_id): "s1" skiljer sig bara i stora och små bokstäver från beslutet "S1" i registret')
    add("bel-i-kon", "bel.csv", _beslut("B1;P1;K\x07;LSS – kontaktperson;2023-02-03"),
        "bel.csv, rad 2, kolumn 3: fältet innehåller tecknet U+0007 klocktecken (BEL)")
    add("esc-i-text", "esctext.csv", _beslut("B1;P1;K;LSS – kontaktperson\x1b]0;titel\x07;2023-02-03"),
        "esctext.csv, rad 2, kolumn 4: fältet innehåller tecknet U+001B escape-tecken (ESC)")
    add("pnr-fel-kolumn", "pnrkon.csv", _beslut(f"B1;P1;{PNR};LSS – kontaktperson;2023-02-03"),
        'pnrkon.csv, rad 2, kolumn 3 (kon): "[personnummer]" är inget kön')
    add("pnr-mellanslag-luhn", "pnrspace.csv", _beslut("B1;19121212 1213;K;LSS – kontaktperson;2023-02-03"),
        "pnrspace.csv, rad 2, kolumn 2 (person_id): personnumret klarar inte kontrollsiffran (Luhn)")
    add("pnr-i-datum", "pnrdatum.csv", _beslut("B1;P1;K;LSS – kontaktperson;191212121212"),
        'pnrdatum.csv, rad 2, kolumn 5 (beslutsdatum): "[personnummer]" är inget datum')
    add("langt-varde", "langt.csv", _beslut("B1;P1;" + "K" * 10_000 + ";LSS – kontaktperson;2023-02-03"),
        'langt.csv, rad 2, kolumn 3 (kon): "KKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKKK… (10000 tecken)" är inget kön')

    # -- mappningsfilen ---------------------------------------------------------------------
    for klass, name, content, message in [
        ("mappning-fel-typ", "typ.toml", b"[beslut]\ndatumformat = 5\n", "beslut.datumformat ska vara text"),
        # a format without a year (or with minutes, %M, for the month) made every row say "skriv
        # ÅÅÅÅ-MM-DD" with no word about the mapping
        ("mappning-datumformat", "datum.toml", b'[beslut]\ndatumformat = "%d.%M.%Y"\n',
         'beslut.datumformat "%d.%M.%Y" kan inte läsa ett datum; det ska ha dag, månad och år'),
        ("mappning-datumformat-utan-ar", "datum2.toml", b'[beslut]\ndatumformat = "%d.%m"\n',
         'beslut.datumformat "%d.%m" kan inte läsa ett datum'),
        ("mappning-fel-typ-kolumn", "typ2.toml", b"[beslut.kolumner]\nbeslut_id = 7\n",
         "beslut.kolumner.beslut_id ska vara text inom citattecken, inte ett tal"),
        ("mappning-okand-tabell", "okand.toml", b"[besluten]\n", "tabellen [besluten] känns inte igen"),
        ("mappning-okand-nyckel", "nyckel.toml", b"[beslut]\nkolumn = {}\n", '"kolumn" i [beslut] känns inte igen'),
        ("mappning-inte-utf8", "latin.toml", '[beslut.varden.kon]\nKön = "K"\n'.encode("cp1252"),
         "rad 2: filen är inte UTF-8"),
        ("mappning-syntax", "syntax.toml", b"[beslut\n", "felaktig TOML på rad 1, kolumn 8: en tabellrubrik saknar sin avslutande hakparentes"),
        ("mappning-katalog", "katalog.toml", None, "katalog.toml: är en katalog, inte en fil"),
    ]:
        cases.append((klass, _mapping_case(folder, name, content), f"Kolumnmappningen {message}"
                      if klass == "mappning-katalog" else message))
    return cases
