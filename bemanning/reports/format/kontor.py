"""DOCX (python-docx) och XLSX (openpyxl) ur ett `Dokument`.

DOCX är gjort för att klistras in i en tjänsteskrivelse: rubriker, brödtext, bildtext i
kursiv före varje tabell och tabeller med rutnät. XLSX har hela rapporten på bladet
"Rapport" och tabeller med `blad` också på egna blad, med riktiga datum och tal.
Dokumentegenskaperna (författare, datum) sätts till fasta värden: inga användarnamn.
"""

from __future__ import annotations

import io
import zipfile
from datetime import date, datetime

from bemanning.reports.format.dokument import Decimal, Dokument, Rubrik, Stycke, Tabell, cell_text

DATE_FORMAT = "yyyy-mm-dd"
WIDE_TABLE = 8  # fler kolumner än så: liggande sida i DOCX


def escape(text: str) -> str:
    """Som `xml.sax.saxutils.escape` (&, < och >), utan att läsa in den modulen (och urllib och
    http) vid varje start av en rapport."""
    return text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")


def _stamp(dokument: Dokument) -> datetime:
    day = dokument.datum or date(2000, 1, 1)
    return datetime(day.year, day.month, day.day)


def docx_bytes(dokument: Dokument) -> bytes:
    from docx import Document

    doc = Document()
    props = doc.core_properties
    props.author = dokument.forfattare
    props.last_modified_by = dokument.forfattare
    props.title = dokument.titel
    props.comments = ""
    props.created = props.modified = _stamp(dokument)
    props.revision = 1
    if max((len(t.kolumner) for t in dokument.tabeller), default=0) > WIDE_TABLE:
        from docx.enum.section import WD_ORIENT

        section = doc.sections[0]
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = section.page_height, section.page_width
    style_id = doc.styles["Table Grid"].style_id
    tables: dict[str, str] = {}
    doc.add_heading(dokument.titel, level=1)
    doc.add_heading(dokument.rubrik, level=2)
    for del_ in dokument.delar:
        if isinstance(del_, Stycke):
            paragraph = doc.add_paragraph(style="List Bullet" if del_.punkt else None)
            run = paragraph.add_run(del_.text)
            run.italic = del_.kursiv or None
        elif isinstance(del_, Rubrik):
            doc.add_heading(del_.text, level=min(del_.niva + 1, 9))
        elif isinstance(del_, Tabell):
            if del_.rubrik:
                caption = doc.add_paragraph()
                caption.add_run(del_.rubrik).italic = True
            marker = f"@@BEMANNING-TABELL-{len(tables)}@@"
            doc.add_paragraph(marker)
            tables[f"<w:p><w:r><w:t>{marker}</w:t></w:r></w:p>"] = _table_xml(
                del_, style_id, _text_width_twips(doc)
            )
            doc.add_paragraph()
    buffer = io.BytesIO()
    doc.save(buffer)
    return _replace_in_part(buffer.getvalue(), "word/document.xml", tables)


def _replace_in_part(package: bytes, part: str, replacements: dict[str, str]) -> bytes:
    """Byter platshållarstycken mot tabellernas XML direkt i den sparade filen.

    Att i stället hänga in stora tabeller i python-docx trädet tar lxml minuter för
    tiotusentals rader (namnrymderna rättas nod för nod); strängbytet tar bråkdelar av en sekund.
    """
    if not replacements:
        return package
    source = zipfile.ZipFile(io.BytesIO(package))
    xml = source.read(part).decode("utf-8")
    for marker, table in replacements.items():
        if xml.count(marker) != 1:
            raise RuntimeError(f"platshållaren för en tabell finns inte i {part}")
        xml = xml.replace(marker, table)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = xml.encode("utf-8") if info.filename == part else source.read(info.filename)
            target.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return out.getvalue()


def _text_width_twips(doc) -> int:
    section = doc.sections[-1]
    return int((section.page_width - section.left_margin - section.right_margin) / 635)


def _table_xml(tabell: Tabell, style_id: str, width: int) -> str:
    """Tabellen som WordprocessingML i ett stycke (python-docx cell för cell är för långsamt
    för tiotusentals rader): rutnät, fet rubrikrad, tal högerställda."""
    numeric = tabell.numeric_columns()
    col = max(1, width // max(1, len(tabell.kolumner)))

    def cell(text: str, bold: bool, right: bool) -> str:
        ppr = '<w:pPr><w:jc w:val="right"/></w:pPr>' if right else ""
        rpr = "<w:rPr><w:b/></w:rPr>" if bold else ""
        run = f'<w:r>{rpr}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        return f'<w:tc><w:tcPr><w:tcW w:w="{col}" w:type="dxa"/></w:tcPr><w:p>{ppr}{run}</w:p></w:tc>'

    parts = [
        '<w:tbl><w:tblPr><w:tblStyle w:val="{escape(style_id)}"/>'
        '<w:tblW w:w="0" w:type="auto"/><w:tblLook w:val="04A0" w:firstRow="1" w:lastRow="0" '
        'w:firstColumn="1" w:lastColumn="0" w:noHBand="0" w:noVBand="1"/></w:tblPr><w:tblGrid>',
        f'<w:gridCol w:w="{col}"/>' * len(tabell.kolumner),
        "</w:tblGrid>",
        '<w:tr><w:trPr><w:tblHeader/></w:trPr>' + "".join(cell(name, True, False) for name in tabell.kolumner) + "</w:tr>",
    ]
    for row in tabell.rader:
        parts.append("<w:tr>" + "".join(cell(cell_text(v), False, numeric[i]) for i, v in enumerate(row)) + "</w:tr>")
    parts.append("</w:tbl>")
    return "".join(parts)


def _sheet_title(name: str) -> str:
    for char in "[]:*?/\\":
        name = name.replace(char, " ")
    return name[:31]


class _Sheet:
    """Ett blad i skrivläge (openpyxl write_only): rader läggs till i ordning, snabbt även
    för tiotusentals rader. Kolumnbredderna räknas fram innan raderna skrivs."""

    def __init__(self, wb, title: str, widths: dict[int, int]) -> None:
        from openpyxl.styles import Font
        from openpyxl.utils import get_column_letter

        self.ws = wb.create_sheet(_sheet_title(title))
        for col, width in widths.items():
            self.ws.column_dimensions[get_column_letter(col)].width = max(10, min(width, 80) + 2)
        self.bold, self.italic = Font(bold=True), Font(italic=True)
        self.rows = 0

    def _cell(self, value, font=None):
        from openpyxl.cell import WriteOnlyCell

        from bemanning.io.excelsafe import xlsx_cell

        if isinstance(value, Decimal):
            cell = WriteOnlyCell(self.ws, value=round(value.value, value.decimals))
            cell.number_format = "0." + "0" * value.decimals if value.decimals else "0"
        elif isinstance(value, date):
            cell = WriteOnlyCell(self.ws, value=value)
            cell.number_format = DATE_FORMAT
        elif isinstance(value, str) or font is not None:
            cell = xlsx_cell(self.ws, value)  # text blir alltid textcell, aldrig formel
        else:
            return value
        if font is not None:
            cell.font = font
        return cell

    def append(self, values, font=None) -> None:
        self.ws.append([self._cell(v, font) for v in values])
        self.rows += 1

    def table(self, tabell: Tabell, caption: bool = True) -> None:
        if caption and tabell.rubrik:
            self.append([tabell.rubrik], self.italic)
        self.append(tabell.kolumner, self.bold)
        for row in tabell.rader:
            self.append(row)


def _widths(tabeller: list[Tabell]) -> dict[int, int]:
    widths: dict[int, int] = {}
    for tabell in tabeller:
        for col, name in enumerate(tabell.kolumner, start=1):
            widths[col] = max(widths.get(col, 0), min(len(name), 40))
        for row in tabell.rader:
            for col, value in enumerate(row, start=1):
                widths[col] = max(widths.get(col, 0), len(cell_text(value)))
    return widths


def xlsx_bytes(dokument: Dokument) -> bytes:
    from openpyxl import Workbook

    wb = Workbook(write_only=True)
    wb.properties.creator = dokument.forfattare
    wb.properties.lastModifiedBy = dokument.forfattare
    wb.properties.title = dokument.titel
    wb.properties.created = wb.properties.modified = _stamp(dokument)
    sheet = _Sheet(wb, "Rapport", _widths(dokument.tabeller))
    sheet.append([dokument.titel], sheet.bold)
    sheet.append([dokument.rubrik], sheet.bold)
    sheet.append([])
    for del_ in dokument.delar:
        if isinstance(del_, Stycke):
            text = ("• " if del_.punkt else "") + del_.text
            sheet.append([text], sheet.italic if del_.kursiv else None)
        elif isinstance(del_, Rubrik):
            sheet.append([])
            sheet.append([del_.text], sheet.bold)
        elif isinstance(del_, Tabell):
            sheet.append([])
            sheet.table(del_)
    for tabell in dokument.tabeller:
        if tabell.blad:
            own = _Sheet(wb, tabell.blad, _widths([tabell]))
            own.ws.freeze_panes = "A2"
            own.ws.auto_filter.ref = f"A1:{_column(len(tabell.kolumner))}{len(tabell.rader) + 1}"
            own.table(tabell, caption=False)
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


def _column(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index)
