"""Läser en tabell ur CSV eller XLSX, och kraschar aldrig.

Varje sätt en fil kan vara oläslig på blir ett `TableError` med en svensk mening, filen och där
det går rad och kolumn:

- sökvägen: finns inte, saknar behörighet, länkslinga, för långt namn, katalog, FIFO, enhet eller
  uttag (kontrolleras med `os.stat` INNAN filen öppnas, så att läsningen aldrig väntar), större
  än `MAX_FILE_BYTES`;
- innehållet: xlsx eller xls med ändelsen .csv, NUL-byte, UTF-16/UTF-32 (läses via BOM; utan BOM
  ett meddelande), ogiltig UTF-8 (pekar ut den första felaktiga byten; `encoding="cp1252"` läser
  den som Windows-1252), ett fält längre än `MAX_CELL_CHARS`, ingen rubrikrad, en rubrikrad som
  upprepas inne i filen;
- xlsx: trasig, utan blad, ett blad som inte går att läsa.

Ren cp1252 (inga giltiga UTF-8-tecken alls) läses som förut med en varning, och texter som ser
ut som dubbelkodad UTF-8 (`Ã¥`, `Ã¶`) ger en varning.
"""

from __future__ import annotations

import csv
import errno
import io
import os
import re
import stat
import unicodedata
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path

import attrs

from bemanning.io.excelsafe import csv_unescape
from bemanning.io.problems import Problem
from bemanning.model.display import char_name, shown

#: Största fil som läses (byte).
MAX_FILE_BYTES = 200 * 1024 * 1024
#: Mest en arbetsbok (xlsx) får packas upp till (byte). En zip-fil kan packas upp till tusen gånger
#: sin storlek; en arbetsbok med 100 000 beslut är omkring 60 MB uppackad.
MAX_XLSX_UNPACKED_BYTES = 4 * MAX_FILE_BYTES
#: Längsta fält (tecken). Ett längre fält är nästan alltid ett citattecken som aldrig avslutas.
MAX_CELL_CHARS = 10_000
#: Ett fält över fler rader än så är ett citattecken som aldrig avslutas, inte en kommentar.
MAX_CELL_LINES = 10
#: Kodningar som kan anges med --kodning.
ENCODINGS = ("utf-8", "cp1252")

# Styrtecken som aldrig hör hemma i en cell (tabb och radbrytning i ett citerat fält får finnas).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_MOJIBAKE = re.compile("Ã[¥¤¶…„–©¼]")

csv.field_size_limit(max(csv.field_size_limit(), 2**31 - 1))


@attrs.frozen
class Table:
    fil: str
    header: tuple[str, ...]
    rows: tuple[tuple[int, tuple[str, ...]], ...]  # (radnummer i filen, celler)
    warnings: tuple[Problem, ...] = ()

    def column_number(self, name: str) -> int | None:
        return _column_index(self.header).get(name)


@lru_cache(maxsize=64)
def _column_index(header: tuple[str, ...]) -> dict[str, int]:
    index: dict[str, int] = {}
    for number, name in enumerate(header, start=1):
        index.setdefault(name, number)
    return index


class TableError(Exception):
    def __init__(self, problem: Problem) -> None:
        super().__init__(str(problem))
        self.problem = problem


class FileMissing(TableError):
    """The file named does not exist (a caller may say so in its own words)."""


def _fail(name: str, message: str, line: int | None = None, column: int | None = None) -> TableError:
    return TableError(Problem(name, line, column, None, message))


# -- sökvägen -----------------------------------------------------------------------------------

_KINDS_OF_FILE = (
    (stat.S_ISFIFO, "är ett namngivet rör (FIFO), inte en vanlig fil; spara data i en fil och importera den"),
    (stat.S_ISCHR, "är en enhet (teckenenhet), inte en vanlig fil"),
    (stat.S_ISBLK, "är en enhet (blockenhet), inte en vanlig fil"),
    (stat.S_ISSOCK, "är ett uttag (socket), inte en vanlig fil"),
)


def _os_error(name: str, path: Path, exc: OSError) -> TableError:
    code = exc.errno
    if isinstance(exc, FileNotFoundError):
        return FileMissing(Problem(name, None, None, None, f"filen finns inte ({shown(str(path), 200)})"))
    if isinstance(exc, PermissionError):
        return _fail(name, "du saknar behörighet att läsa filen; be den som äger filen om läsrätt eller kopiera den")
    if code == errno.ELOOP:
        return _fail(name, "sökvägen är en slinga av symboliska länkar; peka på själva filen")
    if code == errno.ENAMETOOLONG:
        return _fail(name, "filnamnet eller sökvägen är för lång för filsystemet; byt namn på filen")
    if code == errno.ENOTDIR:
        return _fail(name, "en del av sökvägen är inte en katalog; kontrollera sökvägen")
    if isinstance(exc, IsADirectoryError):
        return _fail(name, "är en katalog, inte en fil")
    reason = exc.strerror or type(exc).__name__
    return _fail(name, f"filen går inte att läsa ({reason})")


def display_name(path: Path) -> str:
    """Filnamnet som det visas: kapat och utan styrtecken."""
    return shown(path.name or str(path), 80)


def check_regular_file(path: Path, name: str | None = None) -> os.stat_result:
    """Vägra allt som inte är en vanlig, läsbar fil, utan att öppna den."""
    name = name or display_name(path)
    try:
        info = os.stat(path)
    except (OSError, ValueError) as exc:
        if isinstance(exc, ValueError):  # NUL i sökvägen
            raise _fail(name, "sökvägen innehåller ett otillåtet tecken") from None
        raise _os_error(name, path, exc) from None
    if stat.S_ISDIR(info.st_mode):
        raise _fail(name, "är en katalog, inte en fil")
    for test, message in _KINDS_OF_FILE:
        if test(info.st_mode):
            raise _fail(name, message)
    if not stat.S_ISREG(info.st_mode):
        raise _fail(name, "är ingen vanlig fil")
    if info.st_size > MAX_FILE_BYTES:
        raise _fail(
            name,
            f"filen är {info.st_size // (1024 * 1024)} MB; högst {MAX_FILE_BYTES // (1024 * 1024)} MB "
            "läses; dela upp den",
        )
    return info


def read_bytes(path: Path, name: str | None = None) -> bytes:
    """Filens bytes, eller `TableError`. Öppnas utan att blockera och kontrolleras igen efter
    öppningen (filen kan ha bytts ut mot ett rör mellan kontrollen och öppningen)."""
    name = name or display_name(path)
    check_regular_file(path, name)
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0))
    except OSError as exc:
        raise _os_error(name, path, exc) from None
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _fail(name, "är ingen vanlig fil")
        chunks = []
        total = 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            total += len(chunk)
            if total > MAX_FILE_BYTES:
                raise _fail(name, f"filen är större än {MAX_FILE_BYTES // (1024 * 1024)} MB; dela upp den")
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError as exc:
        raise _os_error(name, path, exc) from None
    finally:
        os.close(fd)


# -- kodning ------------------------------------------------------------------------------------

_BOMS = (
    (b"\x00\x00\xfe\xff", "utf-32-be", "UTF-32"),
    (b"\xff\xfe\x00\x00", "utf-32-le", "UTF-32"),
    (b"\xef\xbb\xbf", "utf-8", "UTF-8"),
    (b"\xfe\xff", "utf-16-be", "UTF-16"),
    (b"\xff\xfe", "utf-16-le", "UTF-16"),
)


def _position(raw: bytes, offset: int, encoding: str = "utf-8") -> tuple[int, int]:
    """Rad och kolumn (från 1) för byte `offset`; kolumnen räknas i tecken."""
    start = max(raw.rfind(b"\n", 0, offset), raw.rfind(b"\r", 0, offset)) + 1
    line = raw.count(b"\n", 0, offset) + 1
    if b"\n" not in raw[:offset]:
        line = raw.count(b"\r", 0, offset) + 1
    column = len(raw[start:offset].decode(encoding, errors="replace")) + 1
    return line, column


def _utf8_error(name: str, raw: bytes, exc: UnicodeDecodeError, import_hint: bool = True) -> TableError:
    line, column = _position(raw, exc.start)
    bad = raw[exc.start:exc.end].hex(" ").upper()
    message = f"byte {bad} är inte giltig UTF-8; spara filen som UTF-8 (i Excel: CSV UTF-8)"
    if import_hint:
        message += " eller, om hela filen är sparad som Windows-1252, importera med --kodning cp1252"
    return _fail(name, message, line, column)


def _has_real_utf8(raw: bytes) -> bool:
    """Finns det minst ett giltigt UTF-8-tecken utanför ASCII? Då är filen UTF-8 med fel i."""
    text = raw.decode("utf-8", errors="surrogateescape")
    return any(ord(c) > 127 and not 0xDC80 <= ord(c) <= 0xDCFF for c in text)


def decode(name: str, raw: bytes, encoding: str | None = None,
           import_hint: bool = True) -> tuple[str, list[Problem]]:
    """Text ur filens bytes efter BOM, UTF-8 eller (bara ren Windows-1252) cp1252.

    `import_hint=False` leaves the advice about `importera --kodning` out of the message on
    broken UTF-8, for files that are not read by `importera`."""
    for bom, codec, label in _BOMS:
        if raw.startswith(bom):
            body = raw[len(bom):]
            try:
                return body.decode(codec), []
            except UnicodeDecodeError as exc:
                if codec == "utf-8" and encoding != "cp1252":
                    raise _utf8_error(name, body, exc, import_hint) from None
                if codec != "utf-8":
                    raise _fail(name, f"filen börjar som {label} men är trasig efter byte {exc.start + len(bom)}; "
                                      "spara den igen som UTF-8") from None
                raw = body
                break
    if b"\x00" in raw:
        offset = raw.index(b"\x00")
        zeros = raw[:200].count(b"\x00")
        if zeros * 4 >= min(len(raw), 200):
            raise _fail(name, "filen verkar vara UTF-16 eller UTF-32 utan byteordningsmärke (BOM); "
                              "spara den som UTF-8 (i Excel: CSV UTF-8)")
        line, column = _position(raw, offset)
        raise _fail(name, "filen innehåller en NUL-byte (0x00); den är trasig eller ingen textfil", line, column)
    if encoding == "cp1252":
        text = raw.decode("cp1252", errors="replace")
        return text, []
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        if encoding == "utf-8" or _has_real_utf8(raw):
            raise _utf8_error(name, raw, exc, import_hint) from None
        try:
            text = raw.decode("cp1252")
        except UnicodeDecodeError as exc2:
            raise _utf8_error(name, raw, exc2, import_hint) from None
        warning = Problem(
            name, None, None, None,
            "filen är inte UTF-8 och lästes som Windows-1252 (cp1252); kontrollera å, ä och ö "
            "och spara gärna som UTF-8 nästa gång",
            varning=True,
        )
        return text, [warning]
    return text, _mojibake(name, text)


def _mojibake(name: str, text: str) -> list[Problem]:
    match = _MOJIBAKE.search(text)
    if match is None:
        return []
    line = text.count("\n", 0, match.start()) + 1
    column = match.start() - (text.rfind("\n", 0, match.start()) + 1) + 1
    return [Problem(
        name, line, column, None,
        f'texten innehåller "{match.group()}", som ser ut som å, ä eller ö som kodats två gånger '
        "(filen har sparats om i fel teckenkodning); kontrollera namnen i registret efteråt",
        varning=True,
    )]


# -- rader --------------------------------------------------------------------------------------

def _delimiter(name: str, header_line: str) -> str:
    if header_line.count(";") >= 1:
        return ";"
    if header_line.count(",") >= 1:
        return ","
    found = next((d for d in ("\t", "|") if d in header_line), None)
    hint = f' (filen verkar använda {"tabb" if found == chr(9) else repr(found)} som avgränsare)' if found else ""
    raise _fail(
        name,
        f'hittar inga kolumner avgränsade med ";" eller ","{hint}; spara filen som CSV med '
        "semikolon som avgränsare",
        1,
    )


def _clean(cell: str) -> str:
    return unicodedata.normalize("NFC", cell.strip())


def _check_cells(name: str, line: int, cells) -> None:
    """Fältlängd, fält över många rader och styrtecken, cell för cell (det första felet vinner)."""
    for column, cell in enumerate(cells, start=1):
        if len(cell) > MAX_CELL_CHARS:
            raise _fail(
                name,
                f"fältet är {len(cell)} tecken långt; högst {MAX_CELL_CHARS} tecken läses. Oftast "
                'är det ett citattecken (") som aldrig avslutas; kontrollera raden',
                line, column,
            )
        if cell.count("\n") >= MAX_CELL_LINES:
            raise _fail(
                name,
                f"fältet sträcker sig över {cell.rstrip(chr(10)).count(chr(10)) + 1} rader; ett citattecken (\") som aldrig "
                "avslutas? Ta bort citattecknet eller avsluta det",
                line, column,
            )
        bad = _CONTROL.search(cell)
        if bad is not None:
            raise _fail(
                name,
                f"fältet innehåller tecknet {char_name(bad.group())}, som inte hör hemma i en "
                "tabell; ta bort det (det kommer oftast från en kopiering ur ett annat program)",
                line, column,
            )


def _build(name: str, numbered_rows, warnings: list[Problem], *, unescape: bool, text: str | None = None) -> Table:
    """Rubrikrad och datarader, med kontroll av fältlängd och upprepad rubrikrad.

    Med hela filens `text` (CSV) görs det som gäller hela filen en gång i stället för i varje
    cell: utan citattecken kan inget fält sträcka sig över flera rader, utan styrtecken i filen
    finns inga i någon cell, en fil i NFC har bara celler i NFC och utan apostrof finns inget att
    ta bort. Bara fältlängden prövas rad för rad. Resultatet och felen är desamma.
    """
    whole_file = text is not None and '"' not in text and _CONTROL.search(text) is None
    normalized = text is not None and unicodedata.is_normalized("NFC", text)
    may_unescape = unescape and (text is None or "'" in text)
    header: tuple[str, ...] | None = None
    first = ""
    rows = []
    strip = str.strip
    for line, cells in numbered_rows:
        if not whole_file or (cells and max(map(len, cells)) > MAX_CELL_CHARS):
            _check_cells(name, line, cells)
        if normalized:
            cleaned = tuple(map(strip, cells))
            if not any(cleaned):
                continue
        else:
            if not any(c.strip() for c in cells):
                continue
            cleaned = tuple(_clean(c) for c in cells)
        if may_unescape:
            cleaned = tuple(csv_unescape(c) for c in cleaned)  # '=… skrevs så av exporten
        if header is None:
            header = tuple(c.lower() for c in cleaned)
            first = header[0]
            continue
        if (len(cleaned) == len(header) and cleaned[0].lower() == first
                and tuple(c.lower() for c in cleaned) == header):
            raise _fail(
                name,
                "rubrikraden finns en gång till här; ta bort raden (filen är kanske två filer ihopklistrade)",
                line,
            )
        rows.append((line, cleaned))
    if header is None:
        raise _fail(name, "filen har ingen rubrikrad (alla rader är tomma); den ska börja med en rubrikrad")
    if not rows:
        raise _fail(name, "filen har bara en rubrikrad och inga rader att importera")
    return Table(name, header, tuple(rows), tuple(warnings))


def _csv_rows(name: str, text: str, delimiter: str):
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)
    start = 1
    header_cells: int | None = None
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except csv.Error:
            raise _fail(name, "raden går inte att läsa som CSV; kontrollera citattecken och avgränsare",
                        start) from None
        if header_cells is None:
            header_cells = len(cells)
        elif reader.line_num > start:
            last = text.count("\n") + (0 if text.endswith("\n") else 1)
            _check_quote_closed(name, cells, start, reader.line_num, delimiter, header_cells,
                                at_end=reader.line_num >= last)
        yield start, cells
        start = reader.line_num + 1


def _check_quote_closed(name: str, cells: list[str], start: int, end: int, delimiter: str,
                        header_cells: int, *, at_end: bool) -> None:
    """A record over several lines is either a value with a line break in it (a comment written
    in Excel) or a quote that was never closed, which swallows the rows after it into one value
    (they then vanish, and only "värde saknas" in the last columns is said). A swallowed line is
    told by holding as many separators as a whole row."""
    for column, cell in enumerate(cells, start=1):
        if "\n" not in cell or cell.count("\n") >= MAX_CELL_LINES:  # the latter: `_check_cells`
            continue
        swallowed = cell.split("\n")[1:]
        if header_cells > 1 and any(line.count(delimiter) >= header_cells - 1 for line in swallowed):
            closed = ("stängs aldrig, så resten av filen" if at_end
                      else f"stängs först på rad {end}, så raderna däremellan")
            raise _fail(
                name,
                f"citattecknet i början av kolumn {column} öppnas på rad {start} men {closed} "
                "blir en enda cell. Ta bort citattecknet, eller skriv det dubbelt om det hör "
                "till värdet",
                start, column,
            )


def read_csv_text(name: str, text: str, warnings: list[Problem] | None = None) -> Table:
    if "\r" in text:
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    first = next((line for line in text.split("\n") if line.strip()), None)
    if first is None:
        raise _fail(name, "filen är tom; den ska börja med en rubrikrad")
    delimiter = _delimiter(name, first)
    return _build(name, _csv_rows(name, text, delimiter), list(warnings or ()), unescape=True, text=text)


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat() if value.time() == datetime.min.time() else value.isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _check_unpacked_size(path: Path, name: str) -> None:
    """Vägra en arbetsbok som packas upp till mer än `MAX_XLSX_UNPACKED_BYTES` (en zip-bomb läses
    annars in i minnet); storlekarna står i zip-filens innehållsförteckning, inget packas upp."""
    import zipfile

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(item.file_size for item in archive.infolist())
    except (OSError, zipfile.BadZipFile, ValueError, EOFError):
        return  # openpyxl säger att filen inte går att läsa som Excel
    if unpacked > MAX_XLSX_UNPACKED_BYTES:
        raise _fail(
            name,
            f"arbetsboken packas upp till {unpacked // (1024 * 1024)} MB; högst "
            f"{MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)} MB läses. Spara tabellen som CSV UTF-8 "
            "eller dela upp den",
        )


def read_xlsx(path: Path, name: str | None = None) -> Table:
    import openpyxl

    name = name or display_name(path)
    check_regular_file(path, name)
    _check_unpacked_size(path, name)
    try:
        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
    except Exception:  # noqa: BLE001 - openpyxl kastar många olika fel för trasiga filer
        raise _fail(name, "filen går inte att läsa som Excel (xlsx); öppna den i Excel och spara den igen") from None
    try:
        if not book.worksheets:
            raise _fail(name, "arbetsboken har inget kalkylblad; lägg tabellen på det första bladet")
        sheet = book.worksheets[0]
        numbered = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            numbered.append((number, [_cell_text(v) for v in values]))
    except TableError:
        raise
    except Exception:  # noqa: BLE001 - trasigt blad: openpyxl och zipfile kastar vilket fel som helst
        raise _fail(name, "det första bladet i arbetsboken är trasigt och går inte att läsa; "
                          "öppna filen i Excel och spara den igen") from None
    finally:
        try:
            book.close()
        except Exception:  # noqa: BLE001
            pass
    return _build(name, numbered, [], unescape=False)


def read_table(path: Path, encoding: str | None = None) -> Table:
    path = Path(path)
    name = display_name(path)
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return read_xlsx(path, name)
    if suffix == ".xls":
        raise _fail(name, "är det gamla Excel-formatet (xls); spara den som xlsx eller CSV UTF-8")
    raw = read_bytes(path, name)
    if not raw:
        raise _fail(name, "filen är tom (0 byte); exportera den igen ur verksamhetssystemet")
    if raw.startswith(b"PK\x03\x04"):
        raise _fail(name, "är en Excel-fil (xlsx) eller annan zip-fil men heter inte .xlsx; byt filändelse "
                          "till .xlsx eller spara den som CSV")
    if raw.startswith(b"\xd0\xcf\x11\xe0"):
        raise _fail(name, "är en fil i det gamla Excel-formatet (xls); spara den som xlsx eller CSV UTF-8")
    text, warnings = decode(name, raw, encoding)
    return read_csv_text(name, text, warnings)
