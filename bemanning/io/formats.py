"""Filernas kolumner och hur en rad blir modellobjekt.

Beslut och erbjudanden följer den kanoniska formen i `domain/dataformat.md`; uppdragstagare,
personal, enheter och områden är projektets egna filer med samma regler (semikolon, ISO-datum,
listor kommaseparerade inom cellen).
"""

from __future__ import annotations

from datetime import date
from typing import Any

import attrs

from bemanning.io.rows import MEMO_MAX, RowReader, _plain_id
from bemanning.model import personnummer
from bemanning.model.beslut import Beslut, Onskemal
from bemanning.model.beslutsrad import BeslutRow
from bemanning.model.display import shown
from bemanning.model.enhet import Enhet, Samplaneringsomrade, parse_dygnsbryt
from bemanning.model.enskild import Enskild
from bemanning.model.errors import ValidationError
from bemanning.model.handelse import UTFALL
from bemanning.model.insats import Katalog
from bemanning.model.resurser import Personal, Uppdragstagare, Vetting
from bemanning.model.serialize import from_record, to_record
from bemanning.model.values import (
    parse_bool,
    parse_date,
    parse_id,
    parse_int,
    parse_kon,
    parse_list,
    parse_number,
)


@attrs.frozen
class FileKind:
    name: str
    key: str
    required: tuple[str, ...]
    optional: tuple[str, ...]

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


BESLUT = FileKind(
    "beslut",
    "beslut_id",
    ("beslut_id", "person_id", "kon", "insats", "beslutsdatum"),
    (
        "verkstalld_datum", "avslutad_datum", "avslutsorsak", "orsak",
        "fodelsear", "sprak", "omrade", "x_km", "y_km",
        "timmar_per_manad", "enhet", "kon_onskemal", "kon_krav", "onskat_sprak", "sprak_krav",
        "intressen", "tider", "max_avstand_km", "sarskilda_behov", "undantagna",
    ),
)
ERBJUDANDEN = FileKind("erbjudanden", "beslut_id", ("beslut_id", "datum", "utfall"), ("kommentar", "kandidat"))
UPPDRAGSTAGARE = FileKind(
    "uppdragstagare",
    "uppdragstagare_id",
    ("uppdragstagare_id", "namn", "kon"),
    (
        "fodelsear", "sprak", "intressen", "erfarenheter", "omrade", "x_km", "y_km", "tider",
        "max_uppdrag", "max_timmar_per_manad", "alder_min", "alder_max", "max_avstand_km",
        "status", "registerutdrag_datum", "kanal",
    ),
)
PERSONAL = FileKind(
    "personal",
    "personal_id",
    ("personal_id", "namn", "enhet"),
    (
        "kompetenser", "arbetstidsmatt", "sysselsattningsgrad", "onskad_grad", "kan_kontaktperson",
        "introducerad", "kon", "fodelsear", "sprak", "intressen", "erfarenheter", "x_km", "y_km",
        "tider", "resurstimmar_per_manad", "max_uppdrag", "alder_min", "alder_max", "max_avstand_km",
    ),
)
ENHETER = FileKind(
    "enheter", "enhet_id", ("enhet_id", "namn", "omrade"),
    ("typ", "kort_dygnsvila_tillaten", "kraver_introducerad", "dygnsbryt"),
)
OMRADEN = FileKind("omraden", "omrade_id", ("omrade_id", "namn"), ())

KINDS = {k.name: k for k in (BESLUT, ERBJUDANDEN, UPPDRAGSTAGARE, PERSONAL, ENHETER, OMRADEN)}
# Ordningen importen skriver i: det som andra filer pekar på först.
IMPORT_ORDER = ("omraden", "enheter", "personal", "uppdragstagare", "beslut", "erbjudanden")


def detect_kind(header: tuple[str, ...]) -> FileKind | None:
    columns = set(header)
    if "utfall" in columns and "beslut_id" in columns:
        return ERBJUDANDEN
    for kind in (BESLUT, UPPDRAGSTAGARE, PERSONAL, ENHETER, OMRADEN):
        if kind.key in columns and (kind is not ENHETER or "personal_id" not in columns):
            return kind
    return None


def _year(field: str, text: str) -> int:
    return parse_int(field, text, minimum=1890, maximum=date.today().year)


def _age(field: str, text: str) -> int:
    return parse_int(field, text, minimum=0, maximum=130)


def _count(field: str, text: str) -> int:
    return parse_int(field, text, minimum=0, maximum=1000)


def _tider(field: str, text: str) -> tuple[str, ...]:
    values = tuple(t.replace("kväll", "kvall") for t in parse_list(text))
    unknown = [t for t in values if t not in ("vardag", "kvall", "helg")]
    if unknown:
        raise ValidationError(field, f'"{unknown[0]}" är ingen tid; använd vardag, kvall eller helg')
    return values


def _list(_field: str, text: str) -> tuple[str, ...]:
    return parse_list(text)


def _number(field: str, text: str) -> float:
    return parse_number(field, text, minimum=None if field in ("x_km", "y_km") else 0.0)


def _orsak(field: str, text: str) -> int:
    value = parse_int(field, text)
    if value not in (1, 2, 3):
        raise ValidationError(field, f'"{shown(text)}" är ingen orsakskod; använd 1, 2 eller 3')
    return value


def _utfall(field: str, text: str) -> str:
    value = " ".join(text.strip().lower().split())
    if value not in UTFALL:
        raise ValidationError(field, f'"{shown(text)}" är inget utfall; skriv "tackat nej" eller "accepterat"')
    return value


def parse_beslut(r: RowReader, katalog: Katalog, today: date) -> BeslutRow | None:
    beslut_id = r.value("beslut_id", parse_id, required=True)
    person_id = r.value("person_id", parse_id, required=True)
    if person_id and personnummer.looks_like_personnummer(person_id) and not personnummer.is_valid(person_id):
        r.error("person_id", "personnumret klarar inte kontrollsiffran (Luhn); kontrollera siffrorna")
        person_id = None
    kon = r.value("kon", parse_kon, required=True)
    label = r.value("insats", required=True)
    insats = None
    if label:
        try:
            insats = katalog.resolve(label)
        except ValidationError as exc:
            r.error("insats", exc.message)
    beslutsdatum = r.value("beslutsdatum", parse_date, required=True)
    verkstalld = r.value("verkstalld_datum", parse_date)
    avslutad = r.value("avslutad_datum", parse_date)
    onskemal_args: dict[str, Any] = {
        "kon": r.value("kon_onskemal", parse_kon),
        "kon_krav": r.value("kon_krav", parse_bool, default=False),
        "sprak": (r.value("onskat_sprak") or "").lower() or None,
        "sprak_krav": r.value("sprak_krav", parse_bool, default=False),
        "intressen": r.value("intressen", _list, default=()),
        "tider": r.value("tider", _tider, default=()),
        "max_avstand_km": r.value("max_avstand_km", _number),
        "sarskilda_behov": r.value("sarskilda_behov", _list, default=()),
        "undantagna": tuple(sorted({x.strip() for x in r.raw("undantagna").split(",") if x.strip()})),
    }
    omfattning = r.value("timmar_per_manad", _number)
    orsak = r.value("orsak", _orsak)
    enskild_args = {
        "person_id": person_id,
        "kon": kon,
        "fodelsear": r.value("fodelsear", _year),
        "sprak": r.value("sprak", _list, default=()),
        "omrade": r.value("omrade", parse_id) or None,
        "x_km": r.value("x_km", _number),
        "y_km": r.value("y_km", _number),
    }
    if beslutsdatum and verkstalld and verkstalld < beslutsdatum:
        r.warn("verkstalld_datum", f"verkställt {verkstalld} är före beslutsdatum {beslutsdatum}; kontrollera datumen")
    if beslutsdatum and beslutsdatum > today:
        r.warn("beslutsdatum", f"{beslutsdatum} ligger i framtiden")
    if beslutsdatum and avslutad and avslutad < beslutsdatum:
        r.warn("avslutad_datum", f"avslutat {avslutad} är före beslutsdatum {beslutsdatum}; kontrollera datumen")
    if not r.ok:
        return None
    onskemal = r.build(Onskemal, **onskemal_args)
    enskild = r.build(Enskild, **enskild_args)
    beslut = r.build(
        Beslut,
        beslut_id=beslut_id,
        person_id=person_id,
        insats=insats.namn if insats else "",
        beslutsdatum=beslutsdatum,
        omfattning_timmar=omfattning,
        orsak=orsak,
        enhet=r.value("enhet", parse_id) or None,
        onskemal=onskemal,
    )
    if beslut is None or enskild is None:
        return None
    return BeslutRow(
        fil=r.table.fil,
        line=r.line,
        beslut=beslut,
        enskild=enskild,
        verkstalld_datum=verkstalld,
        avslutad_datum=avslutad,
        avslutsorsak=r.value("avslutsorsak") or "",
        columns=r.columns,
    )


class BeslutParser:
    """`parse_beslut` för många rader i samma tabell: samma rader, snabbare.

    En rad där allt går att tolka (inga fel, inga varningar) byggs här direkt ur cellerna, med
    varje kolumns tolkning gjord en gång per olikt värde. Allt annat (ett fel, en varning, ett
    värde som modellen inte tar emot) går till `parse_beslut`, som då ger raden precis som förut,
    med sina fel och varningar i samma ordning.
    """

    #: kolumn -> (tolkning, standardvärde för en tom cell, krävs)
    PARSED: dict[str, tuple[Any, Any, bool]] = {
        "kon": (parse_kon, None, True),
        "beslutsdatum": (parse_date, None, True),
        "verkstalld_datum": (parse_date, None, False),
        "avslutad_datum": (parse_date, None, False),
        "kon_onskemal": (parse_kon, None, False),
        "kon_krav": (parse_bool, False, False),
        "sprak_krav": (parse_bool, False, False),
        "intressen": (_list, (), False),
        "tider": (_tider, (), False),
        "max_avstand_km": (_number, None, False),
        "sarskilda_behov": (_list, (), False),
        "timmar_per_manad": (_number, None, False),
        "orsak": (_orsak, None, False),
        "fodelsear": (_year, None, False),
        "sprak": (_list, (), False),
        "omrade": (parse_id, None, False),
        "x_km": (_number, None, False),
        "y_km": (_number, None, False),
        "enhet": (parse_id, None, False),
    }
    def __init__(self, katalog: Katalog, today: date) -> None:
        self.katalog = katalog
        self.today = today
        self._context: Any = None
        self._absent: dict[str, Any] = {}
        self._plan: list[tuple[str, int, dict[str, tuple[bool, Any]] | None, Any]] = []
        self._insatser: dict[str, Any] = {}
        self._undantagna: dict[str, tuple[str, ...]] = {}

    def __call__(self, r: RowReader) -> BeslutRow | None:
        fast = self._fast(r)
        return fast if fast is not None else parse_beslut(r, self.katalog, self.today)

    def _parsed(self, column: str, text: str, seen: dict[str, tuple[bool, Any]]) -> tuple[bool, Any]:
        """(gick det, värdet) för en icke tom cell som inte tolkats förut, som `RowReader.value`
        tolkar den."""
        parse = self.PARSED[column][0]
        if parse is parse_id and _plain_id(text):
            hit: tuple[bool, Any] = (True, text)
        else:
            try:
                hit = (True, parse(column, text))
            except ValidationError:
                hit = (False, None)
        if len(seen) < MEMO_MAX:
            seen[text] = hit
        return hit

    def _prepare(self, context: Any) -> None:
        """En ny tabell: vilka kolumner som finns, i vilken cell, och hur de tolkas."""
        self._context = context
        self._absent = {}
        self._plan = []
        for column in BESLUT.columns:
            index = context.index.get(column)
            spec = self.PARSED.get(column)
            if index is None:  # kolumnen finns inte: som en tom cell på varje rad
                self._absent[column] = "" if spec is None else spec[1]
                continue
            self._plan.append((column, index - 1, None if spec is None else {}, spec))

    def records(self, r: RowReader) -> RecordRow | None:
        """Raden som poster (`RecordRow`): för importen, som skriver posterna och inte behöver
        modellobjekten. Samma rader, fel och varningar som `__call__`."""
        checked = self._checked(r)
        if checked is None:
            row = parse_beslut(r, self.katalog, self.today)
            return None if row is None else RecordRow.of(row)
        values, insats, undantagna = checked
        kon_onskemal = values["kon_onskemal"]
        beslutsdatum = values["beslutsdatum"]
        person_id = values["person_id"]
        kon = values["kon"]._value_
        beslut_record = {
            "beslut_id": values["beslut_id"],
            "person_id": person_id,
            "insats": insats.namn,
            "beslutsdatum": beslutsdatum.isoformat(),
            "omfattning_timmar": values["timmar_per_manad"],
            "orsak": values["orsak"],
            "enhet": values["enhet"] or None,
            "onskemal": {
                "kon": None if kon_onskemal is None else kon_onskemal._value_,
                "kon_krav": values["kon_krav"],
                "sprak": values["onskat_sprak"].lower() or None,
                "sprak_krav": values["sprak_krav"],
                "intressen": list(values["intressen"]),
                "tider": list(values["tider"]),
                "max_avstand_km": values["max_avstand_km"],
                "sarskilda_behov": list(values["sarskilda_behov"]),
                "undantagna": list(undantagna),
            },
        }
        enskild_record = {
            "person_id": person_id,
            "kon": kon,
            "fodelsear": values["fodelsear"],
            "sprak": list(values["sprak"]),
            "omrade": values["omrade"] or None,
            "x_km": values["x_km"],
            "y_km": values["y_km"],
        }
        return RecordRow(r.table.fil, r.line, values["beslut_id"], person_id, kon, beslutsdatum, beslut_record,
                         enskild_record, values["verkstalld_datum"], values["avslutad_datum"],
                         values["avslutsorsak"] or "", r.context.columns)

    def _checked(self, r: RowReader) -> tuple[dict[str, Any], Any, tuple[str, ...]] | None:
        """(cellernas värden, insatsen, de undantagna) för en rad utan fel och varningar, vars
        värden modellen tar emot som de är; annars None (och `parse_beslut` läser raden)."""
        if r.context is not self._context:
            self._prepare(r.context)
        cells = r.cells
        count = len(cells)
        values: dict[str, Any] = dict(self._absent)
        for column, i, seen, spec in self._plan:
            text = cells[i] if i < count else ""
            if seen is None:
                values[column] = text
            elif not text:
                if spec[2]:
                    return None  # värde saknas: felet ges av parse_beslut
                values[column] = spec[1]
            else:
                hit = seen.get(text)
                if hit is None:
                    hit = self._parsed(column, text, seen)
                if not hit[0]:
                    return None
                values[column] = hit[1]
        beslut_id, person_id, label = values["beslut_id"], values["person_id"], values["insats"]
        if not beslut_id or not person_id or not label:
            return None
        if not _plain_id(beslut_id) or not _plain_id(person_id):
            return None
        if personnummer.looks_like_personnummer(person_id) and not personnummer.is_valid(person_id):
            return None
        insats = self._insatser.get(label)
        if insats is None:
            try:
                insats = self._insatser[label] = self.katalog.resolve(label)
            except ValidationError:
                return None
        beslutsdatum, verkstalld, avslutad = values["beslutsdatum"], values["verkstalld_datum"], values["avslutad_datum"]
        if ((verkstalld and verkstalld < beslutsdatum) or beslutsdatum > self.today
                or (avslutad and avslutad < beslutsdatum)):
            return None  # en varning: parse_beslut ger den
        undantagna_text = values["undantagna"]
        undantagna = self._undantagna.get(undantagna_text)
        if undantagna is None:
            undantagna = tuple(sorted({x.strip() for x in undantagna_text.split(",") if x.strip()}))
            if len(self._undantagna) < MEMO_MAX:
                self._undantagna[undantagna_text] = undantagna
        # Modellens egna kontroller (Beslut, Onskemal, Enskild) är redan gjorda av tolkningarna ovan:
        # id, person och insats ifyllda, personnumret klarar kontrollsiffran, timmar och avstånd inte
        # negativa (`_number`), orsak 1–3 (`_orsak`), födelseåret rimligt (`_year`, samma gränser).
        return values, insats, undantagna

    def _fast(self, r: RowReader) -> BeslutRow | None:
        checked = self._checked(r)
        if checked is None:
            return None
        values, insats, undantagna = checked
        beslut_id, person_id = values["beslut_id"], values["person_id"]
        try:
            onskemal = Onskemal(
                kon=values["kon_onskemal"],
                kon_krav=values["kon_krav"],
                sprak=values["onskat_sprak"].lower() or None,
                sprak_krav=values["sprak_krav"],
                intressen=values["intressen"],
                tider=values["tider"],
                max_avstand_km=values["max_avstand_km"],
                sarskilda_behov=values["sarskilda_behov"],
                undantagna=undantagna,
            )
            enskild = Enskild(
                person_id=person_id,
                kon=values["kon"],
                fodelsear=values["fodelsear"],
                sprak=values["sprak"],
                omrade=values["omrade"] or None,
                x_km=values["x_km"],
                y_km=values["y_km"],
            )
            beslut = Beslut(
                beslut_id=beslut_id,
                person_id=person_id,
                insats=insats.namn,
                beslutsdatum=values["beslutsdatum"],
                omfattning_timmar=values["timmar_per_manad"],
                orsak=values["orsak"],
                enhet=values["enhet"] or None,
                onskemal=onskemal,
            )
        except ValidationError:
            return None  # modellen tar inte emot raden: parse_beslut ger felet
        return BeslutRow(
            fil=r.table.fil,
            line=r.line,
            beslut=beslut,
            enskild=enskild,
            verkstalld_datum=values["verkstalld_datum"],
            avslutad_datum=values["avslutad_datum"],
            avslutsorsak=values["avslutsorsak"] or "",
            columns=r.context.columns,
        )


class RecordRow:
    """En godkänd rad ur beslutsfilen som de poster importen registrerar: beslutets och den
    enskildes, som `to_record` ger dem för `BeslutRow`:s modellobjekt. Modellobjekten (`beslut`,
    `enskild`) byggs ur posterna först när någon frågar efter dem (en jämförelse med registret);
    en import av nya beslut behöver dem aldrig."""

    __slots__ = ("fil", "line", "beslut_id", "person_id", "kon", "beslutsdatum", "beslut_record",
                 "enskild_record", "verkstalld_datum", "avslutad_datum", "avslutsorsak", "columns",
                 "_beslut", "_enskild")

    def __init__(self, fil: str, line: int, beslut_id: str, person_id: str, kon: str, beslutsdatum: date,
                 beslut_record: dict[str, Any], enskild_record: dict[str, Any], verkstalld_datum: date | None,
                 avslutad_datum: date | None, avslutsorsak: str, columns: frozenset[str]) -> None:
        self.fil = fil
        self.line = line
        self.beslut_id = beslut_id
        self.person_id = person_id
        self.kon = kon
        self.beslutsdatum = beslutsdatum
        self.beslut_record = beslut_record
        self.enskild_record = enskild_record
        self.verkstalld_datum = verkstalld_datum
        self.avslutad_datum = avslutad_datum
        self.avslutsorsak = avslutsorsak
        self.columns = columns
        self._beslut: Beslut | None = None
        self._enskild: Enskild | None = None

    @classmethod
    def of(cls, row: BeslutRow) -> RecordRow:
        """En rad som `parse_beslut` gav, som poster."""
        made = cls(row.fil, row.line, row.beslut.beslut_id, row.enskild.person_id, row.enskild.kon.value,
                   row.beslut.beslutsdatum, to_record(row.beslut), to_record(row.enskild), row.verkstalld_datum,
                   row.avslutad_datum, row.avslutsorsak, row.columns)
        made._beslut, made._enskild = row.beslut, row.enskild
        return made

    @property
    def beslut(self) -> Beslut:
        if self._beslut is None:
            self._beslut = from_record(Beslut, self.beslut_record)
        return self._beslut

    @property
    def enskild(self) -> Enskild:
        if self._enskild is None:
            self._enskild = from_record(Enskild, self.enskild_record)
        return self._enskild

    def as_beslut_row(self) -> BeslutRow:
        return BeslutRow(fil=self.fil, line=self.line, beslut=self.beslut, enskild=self.enskild,
                         verkstalld_datum=self.verkstalld_datum, avslutad_datum=self.avslutad_datum,
                         avslutsorsak=self.avslutsorsak, columns=self.columns)


@attrs.frozen
class ErbjudandeRow:
    fil: str
    line: int
    beslut_id: str
    datum: date
    utfall: str
    kommentar: str
    kandidat: str | None


def parse_erbjudande(r: RowReader) -> ErbjudandeRow | None:
    beslut_id = r.value("beslut_id", parse_id, required=True)
    datum = r.value("datum", parse_date, required=True)
    utfall = r.value("utfall", _utfall, required=True)
    if not r.ok:
        return None
    return ErbjudandeRow(r.table.fil, r.line, beslut_id, datum, utfall, r.value("kommentar") or "", r.value("kandidat", parse_id) or None)


def _common_person(r: RowReader) -> dict[str, Any]:
    return {
        "fodelsear": r.value("fodelsear", _year),
        "sprak": r.value("sprak", _list, default=()),
        "intressen": r.value("intressen", _list, default=()),
        "erfarenheter": r.value("erfarenheter", _list, default=()),
        "x_km": r.value("x_km", _number),
        "y_km": r.value("y_km", _number),
        "tider": r.value("tider", _tider, default=("vardag", "kvall", "helg")),
        "alder_min": r.value("alder_min", _age),
        "alder_max": r.value("alder_max", _age),
        "max_avstand_km": r.value("max_avstand_km", _number),
    }


def parse_uppdragstagare(r: RowReader) -> Uppdragstagare | None:
    args = {
        "uppdragstagare_id": r.value("uppdragstagare_id", parse_id, required=True),
        "namn": r.value("namn", required=True),
        "kon": r.value("kon", parse_kon, required=True),
        "omrade": r.value("omrade", parse_id) or None,
        "max_uppdrag": r.value("max_uppdrag", _count, default=1),
        "max_timmar_per_manad": r.value("max_timmar_per_manad", _number, default=10.0),
        "status": r.value("status", lambda _f, t: Vetting.parse(t), default=Vetting.INTRESSEANMALAN),
        "registerutdrag_datum": r.value("registerutdrag_datum", parse_date),
        "kanal": r.value("kanal") or "",
        **_common_person(r),
    }
    return r.build(Uppdragstagare, **args)


def parse_personal(r: RowReader) -> Personal | None:
    args = {
        "personal_id": r.value("personal_id", parse_id, required=True),
        "namn": r.value("namn", required=True),
        "enhet": r.value("enhet", parse_id, required=True),
        "kompetenser": r.value("kompetenser", _list, default=()),
        "arbetstidsmatt": r.value("arbetstidsmatt", _number, default=38.25),
        "sysselsattningsgrad": r.value("sysselsattningsgrad", _number, default=100.0),
        "onskad_grad": r.value("onskad_grad", _number),
        "kan_kontaktperson": r.value("kan_kontaktperson", parse_bool, default=False),
        "introducerad": r.value("introducerad", parse_bool, default=True),
        "kon": r.value("kon", parse_kon),
        "resurstimmar_per_manad": r.value("resurstimmar_per_manad", _number),
        "max_uppdrag": r.value("max_uppdrag", _count, default=1),
        **_common_person(r),
    }
    return r.build(Personal, **args)


def parse_enhet(r: RowReader) -> Enhet | None:
    return r.build(
        Enhet,
        enhet_id=r.value("enhet_id", parse_id, required=True),
        namn=r.value("namn", required=True),
        omrade=r.value("omrade", parse_id, required=True),
        typ=r.value("typ") or "annan",
        kort_dygnsvila_tillaten=r.value("kort_dygnsvila_tillaten", parse_bool, default=False),
        kraver_introducerad=r.value("kraver_introducerad", parse_bool, default=False),
        dygnsbryt=r.value("dygnsbryt", parse_dygnsbryt, default=None),
    )


def parse_omrade(r: RowReader) -> Samplaneringsomrade | None:
    return r.build(
        Samplaneringsomrade,
        omrade_id=r.value("omrade_id", parse_id, required=True),
        namn=r.value("namn", required=True),
    )
