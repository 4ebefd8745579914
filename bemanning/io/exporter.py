"""Export av registret i de kanoniska filformaten (samma form som importen läser).

CSV med semikolon, UTF-8 med BOM (Excel öppnar den rätt), ISO-datum, decimalkomma,
listor kommaseparerade inom cellen. Export följd av import ger samma register.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Any

from bemanning.errors import UserError
from bemanning.io import formats
from bemanning.io.excelsafe import csv_row, csv_text
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.serialize import to_record
from bemanning.model.values import format_number
from bemanning.store.register import Register


def cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, Enum):
        return str(value.value)
    if isinstance(value, bool):
        return "ja" if value else "nej"
    if isinstance(value, float):
        return format_number(value)
    if isinstance(value, (list, tuple)):
        return ",".join(str(v) for v in value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def csv_bytes(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(csv_row(header))
    # En fil kan ha hundratusentals rader men få olika värden (datum, insatser, koder): varje
    # värdes text räknas en gång (nyckeln har typen med, så att True och 1 inte blandas ihop).
    texts: dict[tuple[type, Any], str] = {}
    for row in rows:
        line = []
        for value in row:
            try:
                text = texts[(type(value), value)]
            except KeyError:
                if len(texts) > 20_000:  # många olika (id, fritext): minnet hålls litet
                    texts.clear()
                text = texts[(type(value), value)] = csv_text(cell(value))
            except TypeError:  # ett värde som inte kan vara en nyckel (en lista)
                text = csv_text(cell(value))
            line.append(text)
        writer.writerow(line)
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def write_new_file(path: Path, data: bytes, *, force: bool = False) -> Path:
    """Skriv en fil, men skriv aldrig över en befintlig utan `force`.

    En vanlig fil skrivs först bredvid under ett eget tillfälligt namn och byter sedan namn, så att
    ingen halv fil blir kvar; den kan läsas bara av ägaren, som registret (filerna har uppgifter om
    enskilda). Ett rör eller en enhet (`/dev/null`, `/dev/stdout`) skrivs rakt in: den
    håller inga data som kan skrivas över, och ett namnbyte skulle ersätta själva enheten med en fil.
    """
    import os
    import stat
    import tempfile

    try:
        mode = path.stat().st_mode
    except FileNotFoundError:
        mode = None
    except OSError as exc:
        raise UserError(f"Kan inte skriva {path}: {exc.strerror}.") from None
    if mode is not None and stat.S_ISDIR(mode):
        raise UserError(f"{path} är en katalog. Ange ett filnamn, till exempel {path / 'rapport.csv'}.")
    try:
        if mode is not None and not stat.S_ISREG(mode):
            with open(path, "wb") as handle:
                handle.write(data)
            return path
        if mode is not None and not force:
            raise UserError(f"Filen {path} finns redan. Välj ett annat namn eller lägg till --force för att skriva över.")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
            os.replace(tmp_name, path)
        except BaseException:
            Path(tmp_name).unlink(missing_ok=True)
            raise
    except OSError as exc:
        raise UserError(f"Kan inte skriva {path}: {exc.strerror}.") from None
    return path


def beslut_row(lage: BeslutLage) -> list[Any]:
    values = beslut_values(lage)
    return [values[c] for c in formats.BESLUT.columns]


def beslut_values(lage: BeslutLage) -> dict[str, Any]:
    """Beslutet i beslutsfilens kolumner: samma namn som importen och formuläret läser."""
    b = lage.beslut
    e = lage.enskild
    w = b.onskemal
    values = {
        "beslut_id": b.beslut_id,
        "person_id": b.person_id,
        "kon": e.kon.value if e else "",
        "insats": b.insats,
        "beslutsdatum": b.beslutsdatum,
        "verkstalld_datum": lage.verkstalld_datum,
        "avslutad_datum": lage.avslutad_datum,
        "avslutsorsak": lage.avslutsorsak,
        "orsak": b.orsak,
        "fodelsear": e.fodelsear if e else None,
        "sprak": e.sprak if e else (),
        "omrade": e.omrade if e else None,
        "x_km": e.x_km if e else None,
        "y_km": e.y_km if e else None,
        "timmar_per_manad": b.omfattning_timmar,
        "enhet": b.enhet,
        "kon_onskemal": w.kon.value if w.kon else None,
        "kon_krav": w.kon_krav,
        "onskat_sprak": w.sprak,
        "sprak_krav": w.sprak_krav,
        "intressen": w.intressen,
        "tider": w.tider,
        "max_avstand_km": w.max_avstand_km,
        "sarskilda_behov": w.sarskilda_behov,
        "undantagna": w.undantagna,
    }
    return values


def export_beslut(reg: Register, per: date) -> bytes:
    return csv_bytes(formats.BESLUT.columns, (beslut_row(x) for x in reg.beslut_lagen(per)))


def export_erbjudanden(reg: Register, per: date) -> bytes:
    rows = []
    for lage in reg.beslut_lagen(per):
        for offer in lage.erbjudanden:
            rows.append([lage.beslut_id, offer.datum, offer.utfall, offer.kommentar, offer.kandidat])
    return csv_bytes(formats.ERBJUDANDEN.columns, rows)


def _resource_rows(items: Iterable[Any], kind: formats.FileKind) -> list[list[Any]]:
    rows = []
    for item in items:
        record = to_record(item)
        rows.append([getattr(item, c) if hasattr(item, c) else record.get(c) for c in kind.columns])
    return rows


def export_kind(reg: Register, kind: str, per: date) -> bytes:
    if kind == "beslut":
        return export_beslut(reg, per)
    if kind == "erbjudanden":
        return export_erbjudanden(reg, per)
    sources = {
        "uppdragstagare": reg.uppdragstagare,
        "personal": reg.personal,
        "enheter": reg.enheter,
        "omraden": reg.omraden,
    }
    if kind not in sources:
        raise UserError(f'Okänt filslag "{kind}"; välj bland {", ".join(formats.KINDS)}.')
    spec = formats.KINDS[kind]
    return csv_bytes(spec.columns, _resource_rows(sources[kind](per), spec))
