"""Projektioner: varje besluts läge i giltig tid, fört bredvid händelserna.

Ett besluts läge en dag `D` är dess händelser med datum till och med `D`, hopvikta i den ordning
de registrerades (`fold_beslut`). Läget ändras bara på de dagar som står i händelserna: deras
datum och de datum som står som värden i dem (ett verkställighetsdatum i en rättelse, ett nytt
beslutsdatum). Mellan två sådana dagar är det detsamma. Projektionen sparar därför en rad per
sådant intervall, räknad med samma funktioner som rapporterna (`fold_beslut`, `oppen_vantetid`,
`orsak`), och frågan "som det stod dag D" blir en intervallfråga i databasen.

Raderna för ett beslut räknas om i samma transaktion som varje ny händelse för det (också en
rättelse som registreras i dag men gäller från i våras). Händelserna förblir det juridiska
materialet; projektionen kan alltid byggas om ur dem (`rebuild`).
"""

from __future__ import annotations

import json
import logging
import re
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from operator import attrgetter, itemgetter
from typing import Any, NamedTuple

import attrs
from sqlalchemy import (
    Connection,
    String,
    delete,
    func,
    insert,
    or_,
    select,
    tuple_,
    type_coerce,
    union,
)
from sqlalchemy.ext.compiler import compiles
from sqlalchemy.sql.elements import ColumnElement
from sqlalchemy.sql.visitors import InternalTraversal

from bemanning.model.beslutslage import (
    Forslag,
    fold_beslut,
    latest_forslag,
    tidigare_forslag,
    uteslutna,
)
from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
from bemanning.model.serialize import to_record
from bemanning.model.vantetid import oppen_vantetid, orsak
from bemanning.store import bulk
from bemanning.store.schema import beslut_lage, enskild_lage, handelse, projektion_meta
from bemanning.svenska import tal

log = logging.getLogger(__name__)

#: Höjs när reglerna som projektionen räknar med ändras; registret byggs då om vid nästa öppning.
#: 2: ett beslut är verkställt eller avslutat först från datumet (också när en rättelse flyttat det
#: framåt), och ett avbrott daterat efter avslutet öppnar ingen väntan.
#: 3: matchningens fält (migrering 0009): önskemålen, timmarna, de uteslutna och förslagen på
#: beslutets rad, den enskildes födelseår och läge på hennes.
VERSION = "3"
OPEN_END = date(9999, 12, 31)
CHUNK = 500

_ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
#: Matchningens fält på beslutets rad (`matching_fields`), i tabellens ordning.
MATCHING_FIELDS = ("timmar", "onskad_kon", "kon_krav", "sprak", "sprak_krav", "intressen", "tider",
                   "sarskilda_behov", "max_avstand_km", "uteslutna", "tidigare_kandidat", "tidigare_status",
                   "accepterad", "godkand", "avbrott_sedan")
_FIELDS = ("insats", "beslutsdatum", "enhet", "person_id", "status", "vantar_sedan", "vantar_avbrott", "orsak",
           "senaste_erbjudande", "senaste_utfall", "har_person", "antal_erbjudanden", "forslag_vantar",
           *MATCHING_FIELDS)
_ENSKILD_FIELDS = ("kon", "omrade", "fodelsear", "x_km", "y_km")

#: Förslag ur matchningen som väntar på enhetschefen eller den enskilde.
VANTANDE_FORSLAG = ("föreslagen", "godkänd", "erbjuden")


def _dates_in(value: Any) -> set[date]:
    """Alla datum som står som värden i en händelses data (i rättelser: både från och till)."""
    found: set[date] = set()
    _collect_dates(value, found)
    return found


_SCALARS = frozenset({int, float, bool, type(None)})


def _collect_dates(value: Any, found: set[date]) -> None:
    if isinstance(value, dict):
        items: Any = value.values()
    elif isinstance(value, list | tuple):
        items = value
    else:
        items = (value,)
    for item in items:
        kind = type(item)
        if kind is str:
            # ett ISO-datum har tio tecken (med en radbrytning efter matchar mönstret, men är inget datum)
            if len(item) == 10 and item[4] == "-" and _ISO_DATE.match(item):
                try:
                    found.add(date.fromisoformat(item))
                except ValueError:
                    pass
        elif kind in _SCALARS:
            continue
        elif isinstance(item, dict | list | tuple):
            _collect_dates(item, found)
        elif isinstance(item, date):
            found.add(item)
        elif isinstance(item, str) and _ISO_DATE.match(item):
            try:
                found.add(date.fromisoformat(item))
            except ValueError:
                pass


_WORD_LISTS: dict[tuple[tuple[Any, ...], bool], str | None] = {}


def _word_list(items: Any, lower: bool) -> str | None:
    """En lista av ord som JSON-text (sorterad, utan dubbletter; med `lower` trimmade, med små
    bokstäver och utan tomma, som matchningen jämför dem), None om den är tom. En gång per lista
    (besluten har några få olika)."""
    if not items:
        return None
    key = (tuple(items), lower)
    if key in _WORD_LISTS:
        return _WORD_LISTS[key]
    words = {s.strip().lower() for s in items if s and s.strip()} if lower else set(items)
    text = json.dumps(sorted(words), ensure_ascii=False) if words else None
    if len(_WORD_LISTS) > 10000:
        _WORD_LISTS.clear()
    _WORD_LISTS[key] = text
    return text


def _wish_values(onskemal: Any, omfattning: Any) -> tuple:
    """Fälten ur önskemålen och omfattningen som matchningen läser, som `arende.build_arende`
    räknar dem: värdena för de nio första av `MATCHING_FIELDS`, i den ordningen."""
    o = onskemal or _NO_WISHES
    get = o.get
    kon = get("kon")
    kon = getattr(kon, "value", kon)
    sprak = get("sprak")
    sprak_text = sprak.strip() if sprak else ""
    max_avstand = get("max_avstand_km")
    return (None if omfattning is None else float(omfattning), kon,
            int(bool(get("kon_krav") and kon is not None)),
            sprak_text.lower() if sprak_text else None,
            int(bool(get("sprak_krav") and sprak_text)),
            _word_list(get("intressen"), True), _word_list(get("tider"), False),
            _word_list(get("sarskilda_behov"), True),
            None if max_avstand is None else float(max_avstand))


_WISH_FIELDS = MATCHING_FIELDS[:9]


def _wishes(onskemal: Any, omfattning: Any) -> dict[str, Any]:
    """`_wish_values` med fältens namn."""
    return dict(zip(_WISH_FIELDS, _wish_values(onskemal, omfattning), strict=True))


_NO_WISHES: dict[str, Any] = {}


def matching_fields(onskemal: Any, omfattning: Any, undantagna: Any, forslag: Sequence[Forslag],
                    declined: Any, avbrott_sedan: date | None) -> dict[str, Any]:
    """Matchningens fält på beslutets rad, ur läget en dag: önskemålen och omfattningen (posten
    efter rättelser och ändringar; värdena som de står i händelserna eller som `Onskemal`),
    förslagen ur matchningen (i den ordning de först föreslogs), de som den enskilde tackat nej
    till, och det öppna avbrottets datum. De uteslutna och förslagen med modellens regler
    (`beslutslage.uteslutna`, `tidigare_forslag`, `latest_forslag`), som `matching.arende` också
    använder; kön (`matching.indata`) läser fälten i stället för händelserna. Hopvikningen
    (`_folded`) fyller raderna med den här funktionen, importens enkla historier (`_simple_rows`)
    med samma önskemål (`_wish_values`) och uteslutna, utan förslag och avbrott (`_simple_matching`)."""
    fields = _wishes(onskemal, omfattning)
    utesluten = uteslutna(undantagna or (), forslag, declined)
    fields["uteslutna"] = json.dumps(sorted(utesluten.items()), ensure_ascii=False) if utesluten else None
    previous = accepted = approved = None
    if forslag:
        previous = tidigare_forslag(forslag, utesluten)
        accepted = latest_forslag(forslag, ("accepterad",))
        approved = latest_forslag(forslag, ("godkänd",))
        if approved is not None and approved.kandidat in declined:
            approved = None
    fields.update(tidigare_kandidat=previous.kandidat if previous else None,
                  tidigare_status=previous.status if previous else None,
                  accepterad=accepted.kandidat if accepted else None,
                  godkand=approved.kandidat if approved else None, avbrott_sedan=avbrott_sedan)
    return fields


_WISH_KEYS = frozenset({"kon", "kon_krav", "sprak", "sprak_krav", "intressen", "tider", "max_avstand_km",
                        "sarskilda_behov", "undantagna"})


_JUST_STR = {str}


def _words_ok(value: Any) -> bool:
    """Ingen lista, eller en lista av texter (exakt `str`; typerna samlas i C)."""
    return value is None or (type(value) is list and (not value or set(map(type, value)) == _JUST_STR))


def _plain_wishes(o: Any) -> bool:
    """Önskemålen som en import eller ett formulär skriver dem (samma värden som efter `from_record`):
    då läses de direkt ur registreringen."""
    if not o:
        return True
    if type(o) is not dict or not o.keys() <= _WISH_KEYS:
        return False
    g = o.get
    kon, sprak, avstand = g("kon"), g("sprak"), g("max_avstand_km")
    return ((kon is None or kon == "K" or kon == "M") and type(g("kon_krav", False)) is bool
            and type(g("sprak_krav", False)) is bool and (sprak is None or type(sprak) is str)
            and (avstand is None or (type(avstand) in (int, float) and avstand >= 0))
            and _words_ok(g("intressen")) and _words_ok(g("tider")) and _words_ok(g("sarskilda_behov"))
            and _words_ok(g("undantagna")))


def _folded(events: Sequence[Handelse], day: date) -> dict[str, Any] | None:
    """Beslutets fält dag `day`, räknade av `fold_beslut` och väntetidens regler."""
    lage = fold_beslut(events, None, day)
    if lage is None:
        return None
    vantetid = oppen_vantetid(lage, day)
    beslut = lage.beslut
    return {
        "insats": lage.beslut.insats,
        "beslutsdatum": lage.beslut.beslutsdatum,
        "enhet": lage.beslut.enhet,
        "status": lage.status,
        "vantar_sedan": vantetid.start if vantetid else None,
        "vantar_avbrott": int(vantetid.avbrott) if vantetid else 0,
        "orsak": orsak(lage, day) if vantetid else None,
        "senaste_erbjudande": lage.latest_offer.datum if lage.latest_offer else None,
        "senaste_utfall": lage.latest_offer.utfall if lage.latest_offer else None,
        "har_person": int(any(f.status == "accepterad" for f in lage.forslag)),
        "antal_erbjudanden": len(lage.erbjudanden),
        "forslag_vantar": sum(1 for f in lage.forslag if f.status in VANTANDE_FORSLAG),
        **matching_fields(to_record(beslut.onskemal), beslut.omfattning_timmar, beslut.onskemal.undantagna,
                          lage.forslag, lage.declined_candidates,
                          lage.open_avbrott.datum if lage.open_avbrott else None),
    }




class _Registrerat(NamedTuple):
    """Fälten ur registreringen som projektionen läser (som `Beslut` efter hopvikningen)."""

    insats: str
    beslutsdatum: date
    enhet: str | None
    orsak: int | None
    omfattning_timmar: float | int | None


def _registered(data: Any) -> _Registrerat | None:
    """Registreringens fält, läsa direkt när de är som en import eller ett formulär skriver dem
    (id, person och insats ifyllda, beslutsdatum ett ISO-datum, orsak 1–3 eller ingen, antal timmar
    inte negativt); annars None, och hopvikningen (`from_record`) läser och prövar posten."""
    if type(data) is not dict:
        return None
    get = data.get
    beslutsdatum, enhet, code, timmar = get("beslutsdatum"), get("enhet"), get("orsak"), get("omfattning_timmar")
    beslut_id, person_id, insats = get("beslut_id"), get("person_id"), get("insats")
    # id, person och insats: texter som inte bara är blanksteg
    if not (type(beslut_id) is str and beslut_id.strip() and type(person_id) is str and person_id.strip()
            and type(insats) is str and insats.strip()
            and type(beslutsdatum) is str and (enhet is None or type(enhet) is str)
            and (code is None or (type(code) is int and code in (1, 2, 3)))
            and (timmar is None or (type(timmar) in (int, float) and timmar >= 0))
            and type(get("onskemal", {})) is dict):
        return None
    return _Registrerat(insats, date.fromisoformat(beslutsdatum), enhet, code, timmar)


#: Beslutets rad i översikten som tupel: kolumnerna i tabellens ordning (importen skriver raderna
#: så, utan en dict per rad).
BESLUT_COLUMNS = tuple(c.name for c in beslut_lage.columns)
ENSKILD_COLUMNS = tuple(c.name for c in enskild_lage.columns)
assert BESLUT_COLUMNS[:16] == ("beslut_id", "giltig_fran", "giltig_till", "insats", "beslutsdatum", "enhet",
                               "person_id", "status", "vantar_sedan", "vantar_avbrott", "orsak",
                               "senaste_erbjudande", "senaste_utfall", "har_person", "antal_erbjudanden",
                               "forslag_vantar") and BESLUT_COLUMNS[16:] == MATCHING_FIELDS
assert ENSKILD_COLUMNS == ("person_id", "giltig_fran", "giltig_till", *_ENSKILD_FIELDS)


def _simple_matching(onskemal: Any, omfattning: Any, undantagna: Any, declined: frozenset[str]) -> tuple:
    """Matchningens fält som tupel i tabellens ordning (`MATCHING_FIELDS`): `matching_fields` utan
    förslag och avbrott (en importerad historik), utan en dict per rad."""
    if undantagna or declined:
        utesluten = uteslutna(undantagna or (), (), declined)
        excluded = json.dumps(sorted(utesluten.items()), ensure_ascii=False) if utesluten else None
    else:
        excluded = None
    return (*_wish_values(onskemal, omfattning), excluded, None, None, None, None, None)


def _simple_rows(beslut_id: str, events: Sequence[Handelse]) -> list[tuple] | None:
    """Beslutets rader (tupler i tabellens ordning, `BESLUT_COLUMNS`) för en enkel historik (en
    registrering först, sedan bara verkställt, avslutat och erbjudanden: det en import skriver),
    utan att vika ihop händelserna en gång per dag. Annars None, och `_folded` räknar.

    Reglerna är hopvikningens för just de händelserna: det senast registrerade verkställandet
    och avslutet med datum till och med dagen gäller; erbjudandena sorteras stabilt på datum och
    det sista är det senaste; beslutet väntar (från beslutsdatum, utan avbrott) när det varken
    är verkställt eller avslutat; orsaken är beslutets kod, annars 1 om det senaste erbjudandet
    avböjdes, annars 2. Utan förslag ur matchningen är har_person och forslag_vantar 0.

    Läget ändras bara på händelsernas datum och beslutsdatum: bara de dagarna prövas (andra datum
    i datat ger samma läge som dagen före och skulle slås ihop ändå), och en rad byggs bara när
    läget ändras."""
    registration = events[0]
    if registration.typ is not HandelseTyp.REGISTRERAD:
        return None
    verkstallt: list[date] = []
    avslutat: list[date] = []
    offers: list[tuple[date, str]] = []
    verkstallt_typ, avslutat_typ, erbjudande_typ = HandelseTyp.VERKSTALLT, HandelseTyp.AVSLUTAT, HandelseTyp.ERBJUDANDE
    for index in range(1, len(events)):
        e = events[index]
        typ = e.typ
        if typ is verkstallt_typ:
            verkstallt.append(e.datum)
        elif typ is avslutat_typ:
            avslutat.append(e.datum)
        elif typ is erbjudande_typ:
            d = e.data
            offers.append((e.datum, d.get("utfall", ""), d.get("kandidat")))
        else:
            return None
    data = registration.data
    b: Any = _registered(data)
    onskemal = data.get("onskemal") if b is not None else None
    if b is None or not _plain_wishes(onskemal):
        lage = fold_beslut((registration,), None, registration.datum)
        if lage is None or not isinstance(lage.beslut.beslutsdatum, date):
            return None
        b = lage.beslut
        onskemal = to_record(b.onskemal)
    undantagna = onskemal.get("undantagna") if onskemal else None
    if len(offers) > 1:
        offers.sort(key=lambda o: o[0])
    first = registration.datum
    beslutsdatum = b.beslutsdatum
    code = int(b.orsak) if b.orsak is not None else None
    omfattning = b.omfattning_timmar
    insats, enhet, person_id = b.insats, b.enhet, data.get("person_id")
    # (dag, status, väntar sedan, orsak, senaste erbjudandet, dess utfall, antal, matchningens fält)
    states: list[tuple] = []
    previous: tuple | None = None
    matching: dict[frozenset[str], tuple] = {}
    if not offers and not verkstallt and not avslutat:
        points: Any = (first,) if beslutsdatum <= first else (first, beslutsdatum)
    else:
        points = {first, beslutsdatum, *verkstallt, *avslutat}
        points.update(o[0] for o in offers)
        points = sorted(points)
    for day in points:
        if day < first:
            continue
        verkstalld = avslutad = None
        for d in verkstallt:
            if d <= day:
                verkstalld = d
        for d in avslutat:
            if d <= day:
                avslutad = d
        seen = 0
        latest: tuple[date, str] | None = None
        declined: frozenset[str] = frozenset()
        for offer in offers:
            if offer[0] <= day:
                seen += 1
                latest = offer[:2]
                if offer[1] == "tackat nej" and offer[2]:
                    declined = declined | {offer[2]}
        if avslutad is not None:
            status, waiting = "avslutat", False
        elif verkstalld is not None:
            status, waiting = "verkställt", False
        else:
            status, waiting = "ej verkställt", beslutsdatum <= day
        if waiting:
            reason = code if code is not None else (1 if latest is not None and latest[1] == "tackat nej" else 2)
        else:
            reason = None
        state = (status, waiting, reason, latest, seen, declined)
        if state == previous:
            continue
        previous = state
        fields = matching.get(declined)
        if fields is None:  # utan förslag och avbrott; de som tackat nej ändras med erbjudandena
            fields = matching[declined] = _simple_matching(onskemal, omfattning, undantagna, declined)
        states.append((day, status, beslutsdatum if waiting else None, reason,
                       latest[0] if latest is not None else None, latest[1] if latest is not None else None,
                       seen, fields))
    rows: list[tuple] = []
    last = len(states) - 1
    for index, (day, status, vantar_sedan, reason, erbjudande, utfall, seen, fields) in enumerate(states):
        till = states[index + 1][0] if index < last else OPEN_END
        rows.append((beslut_id, day, till, insats, beslutsdatum, enhet, person_id, status, vantar_sedan, 0, reason,
                     erbjudande, utfall, 0, seen, 0, *fields))
    return rows


_BESLUT_TUPLE = itemgetter(*BESLUT_COLUMNS)


def beslut_tuples(beslut_id: str, events: Sequence[Handelse]) -> list[tuple]:
    """`beslut_rows` som tupler i tabellens ordning (`BESLUT_COLUMNS`): så skrivs de."""
    simple_rows = _simple_rows(beslut_id, events)
    if simple_rows is not None:
        return simple_rows
    return list(map(_BESLUT_TUPLE, _folded_rows(beslut_id, events)))


def beslut_rows(beslut_id: str, events: Sequence[Handelse]) -> list[dict[str, Any]]:
    """Beslutets intervall, ur alla dess händelser i registreringsordning."""
    simple_rows = _simple_rows(beslut_id, events)
    if simple_rows is not None:
        return [dict(zip(BESLUT_COLUMNS, row, strict=True)) for row in simple_rows]
    return _folded_rows(beslut_id, events)


def _folded_rows(beslut_id: str, events: Sequence[Handelse]) -> list[dict[str, Any]]:
    registrations = [e for e in events if e.typ is HandelseTyp.REGISTRERAD]
    if not registrations:
        return []
    first = min(e.datum for e in registrations)
    person_id = registrations[0].data.get("person_id")  # den enskilde som hopvikningen slår upp
    points = {e.datum for e in events}
    for e in events:
        points.update(_dates_in(e.data))
    rows: list[dict[str, Any]] = []
    for day in sorted(p for p in points if p >= first):
        values = _folded(events, day)
        if values is None:
            continue
        row = {"beslut_id": beslut_id, "giltig_fran": day, "person_id": person_id, **values}
        if rows and all(rows[-1][f] == row[f] for f in _FIELDS):
            continue
        rows.append(row)
    for current, following in zip(rows, rows[1:], strict=False):
        current["giltig_till"] = following["giltig_fran"]
    if rows:
        rows[-1]["giltig_till"] = OPEN_END
    return rows


def _number(value: Any, kind: type) -> Any:
    """Ett tal ur posten (None om det saknas eller inte är ett tal)."""
    if value is None or type(value) is bool:
        return None
    try:
        return kind(value)
    except (TypeError, ValueError):
        return None


def enskild_fields(record: dict[str, Any] | None) -> dict[str, Any]:
    """Den enskildes fält på hennes rad, ur posten efter rättelser: kön och område (listan och
    rapporterna), födelseår och läge (matchningen; åldern ur personnumret räknas när den läses,
    eftersom ett tiosiffrigt nummers sekel beror på dagen)."""
    record = record or {}
    get = record.get
    kon, fodelsear, x_km, y_km = get("kon"), get("fodelsear"), get("x_km"), get("y_km")
    # Värdena som en import skriver dem (text, heltal, flyttal, inget) är redan rätt; annat tolkas.
    return {"kon": kon if kon is None or type(kon) is str else getattr(kon, "value", kon), "omrade": get("omrade"),
            "fodelsear": fodelsear if fodelsear is None or type(fodelsear) is int else _number(fodelsear, int),
            "x_km": x_km if x_km is None or type(x_km) is float else _number(x_km, float),
            "y_km": y_km if y_km is None or type(y_km) is float else _number(y_km, float)}


def enskild_rows(person_id: str, events: Sequence[Handelse]) -> list[dict[str, Any]]:
    """Den enskildes kön, område, födelseår och läge i giltig tid: registreringen gäller från
    början, rättelser från sin dag (samma regel som `Register.enskilda`)."""
    from bemanning.model.beslutslage import fold_record

    if len(events) == 1 and events[0].typ is HandelseTyp.REGISTRERAD:
        # bara registreringen (en import): en rad från början, utan att vika ihop något
        row = {"person_id": person_id, "giltig_fran": date.min}
        row.update(enskild_fields(events[0].data))
        row["giltig_till"] = OPEN_END
        return [row]
    if not any(e.typ is HandelseTyp.REGISTRERAD for e in events):
        return []
    points = [date.min] + sorted({e.datum for e in events if e.typ is not HandelseTyp.REGISTRERAD})
    rows: list[dict[str, Any]] = []
    for day in points:
        record = fold_record(e for e in events if e.typ is HandelseTyp.REGISTRERAD or e.datum <= day)
        fields = enskild_fields(record)
        if rows and all(rows[-1][f] == fields[f] for f in _ENSKILD_FIELDS):
            continue
        rows.append({"person_id": person_id, "giltig_fran": day, **fields})
    for current, following in zip(rows, rows[1:], strict=False):
        current["giltig_till"] = following["giltig_fran"]
    rows[-1]["giltig_till"] = OPEN_END
    return rows


_ENSKILD_TUPLE = itemgetter(*ENSKILD_COLUMNS)


def enskild_tuples(person_id: str, events: Sequence[Handelse]) -> list[tuple]:
    """`enskild_rows` som tupler i tabellens ordning (`ENSKILD_COLUMNS`): så skrivs de."""
    if len(events) == 1 and events[0].typ is HandelseTyp.REGISTRERAD and type(events[0].data) is dict:
        # bara registreringen (en import): en rad från början, utan att vika ihop något
        get = events[0].data.get
        kon, fodelsear, x_km, y_km = get("kon"), get("fodelsear"), get("x_km"), get("y_km")
        if ((kon is None or type(kon) is str) and (fodelsear is None or type(fodelsear) is int)
                and (x_km is None or type(x_km) is float) and (y_km is None or type(y_km) is float)):
            # (värdena som en import skriver dem: som `enskild_fields` ger dem)
            return [(person_id, date.min, OPEN_END, kon, get("omrade"), fodelsear, x_km, y_km)]
    return list(map(_ENSKILD_TUPLE, enskild_rows(person_id, events)))


_COLUMNS = {Entitet.BESLUT: BESLUT_COLUMNS, Entitet.ENSKILD: ENSKILD_COLUMNS}
#: Slagets tabell, nyckelkolumn och raderna för en post som tupler i tabellens ordning.
_KINDS = {
    Entitet.BESLUT: (beslut_lage, beslut_lage.c.beslut_id, beslut_tuples),
    Entitet.ENSKILD: (enskild_lage, enskild_lage.c.person_id, enskild_tuples),
}


def _chunks(items: Sequence[str]) -> Iterator[Sequence[str]]:
    for start in range(0, len(items), CHUNK):
        yield items[start:start + CHUNK]


def events_by_key(connection: Connection, entitet: Entitet, keys: Sequence[str],
                  until: date | None = None) -> dict[str, list[Handelse]]:
    """Postens händelser i registreringsordning, för många poster i satser om 500. Frågan följer
    indexet (entitet, nyckel, id); datumet (`until`) sållas här och inte i frågan, så att databasen
    inte väljer datumindexet och läser alla händelser före dagen."""
    from bemanning.store.register import _row_to_event

    grouped: dict[str, list[Handelse]] = defaultdict(list)
    for chunk in _chunks(keys):
        query = (select(handelse).where(handelse.c.entitet == entitet.value, handelse.c.nyckel.in_(chunk))
                 .order_by(handelse.c.nyckel, handelse.c.id))
        for row in connection.execute(query):
            if until is None or row.datum <= until:
                grouped[row.nyckel].append(_row_to_event(row))
    return grouped


def start_elsewhere(connection: Connection, new_events: Sequence[Handelse],
                    grouped: dict[Entitet, dict[str, list[Handelse]]] | None,
                    extra: Callable[[], Any] | None = None) -> Any:
    """För en stor import av nya beslut: börja räkna besluten rader i en egen process
    (`store.forked`), innan händelserna skrivs. Ger det som skickas till `refresh` som
    `elsewhere`, eller None (raderna räknas då i `refresh` som förut). `extra` räknas också där
    (`forked.start`)."""
    given = grouped.get(Entitet.BESLUT) if grouped else None
    if not given:
        return None
    from bemanning.store import forked

    return forked.start(connection, beslut_lage, BESLUT_COLUMNS, new_events, given, _KINDS[Entitet.BESLUT][2],
                        extra)


def refresh(connection: Connection, new_events: Sequence[Handelse],
            grouped: dict[Entitet, dict[str, list[Handelse]]] | None = None, elsewhere: Any = None) -> None:
    """Räkna om raderna för posterna som `new_events` (just sparade) gäller, i samma transaktion.

    En post som registreras i samma skrivning har alla sina händelser här (registret vägrar en
    andra registrering), så den räknas direkt; för övriga läses händelserna ur databasen.

    `grouped` (en import): för poster som registreras i skrivningen, deras händelser redan ordnade
    per post, i registreringsordning (alla deras händelser i `new_events`, registreringen först).
    Då delas bara de andra händelserna upp här. Stämmer antalet inte med `new_events` räknas allt
    som utan `grouped`.

    `elsewhere` (`start_elsewhere`): besluten rader räknas i en annan process; de skrivs sist, så
    att den enskildes rader räknas här medan processen blir klar.
    """
    beslut, enskild = Entitet.BESLUT, Entitet.ENSKILD
    given_beslut = grouped.get(beslut, {}) if grouped else {}
    given_enskild = grouped.get(enskild, {}) if grouped else {}
    if given_beslut or given_enskild:
        batches = _split(new_events, given_beslut, given_enskild)
        if batches is None:
            batches = _split(new_events, {}, {})
    else:
        batches = _split(new_events, {}, {})
    assert batches is not None
    kinds = list(_KINDS.items())
    if elsewhere is not None:
        if batches[beslut][0]:  # (start_elsewhere tar bara en skrivning där alla beslut är nya)
            elsewhere.cancel()
            raise AssertionError("besluten räknas i en annan process men har andra händelser här")
        kinds.reverse()
    for entitet, (table, key_column, compute) in kinds:
        batch, complete, given = batches[entitet]
        if entitet is beslut and elsewhere is not None:
            elsewhere.write(connection)
            continue
        if not batch and not given:
            continue
        others = sorted(set(batch) - complete)
        events = events_by_key(connection, entitet, others) if others else {}
        for key, items in batch.items():  # i händelsernas ordning (inte mängdens): samma ordning varje gång
            if key in complete:
                events[key] = items
        events.update(given)
        rows: list[tuple] = []
        for key, items in events.items():
            rows.extend(compute(key, items))
        for chunk in _chunks(others):
            connection.execute(delete(table).where(key_column.in_(chunk)))
        bulk.insert_batches(connection, table, _taken(rows, ROW_BATCH), count=len(rows), reindex=True,
                            names=_COLUMNS[entitet])


#: Projektionsrader per sats när de skrivs: de skrivna raderna släpps innan nästa sats tas.
ROW_BATCH = 20_000


def _taken(rows: list[tuple], size: int) -> Iterator[list[tuple]]:
    """`rows` i satser om `size`, i samma ordning; varje sats tas ur listan (som blir tom), så att
    raderna kan släppas när satsen är skriven."""
    while rows:
        batch = rows[:size]
        del rows[:size]
        yield batch


_Batch = tuple[dict[str, list[Handelse]], set[str], dict[str, list[Handelse]]]


def _split(new_events: Sequence[Handelse], given_beslut: dict[str, list[Handelse]],
           given_enskild: dict[str, list[Handelse]]) -> dict[Entitet, _Batch] | None:
    """En genomgång av händelserna (en import har hundratusentals), uppdelade per slag av post:
    (händelserna per post, posterna som registreras här, de givna posternas händelser). De givna
    posterna (`refresh`) hoppas över; None om de inte är precis deras händelser i `new_events`."""
    beslut_batch: dict[str, list[Handelse]] = defaultdict(list)
    enskild_batch: dict[str, list[Handelse]] = defaultdict(list)
    beslut_complete: set[str] = set()
    enskild_complete: set[str] = set()
    beslut, enskild, registrerad = Entitet.BESLUT, Entitet.ENSKILD, HandelseTyp.REGISTRERAD
    if given_beslut or given_enskild:
        # En import av bara nya poster: alla besluts och enskildas händelser är de givna (samma
        # antal per slag; räknat i C). Då finns inget annat att dela upp.
        counts = kind_counts(new_events)
        if (_given_ok(given_beslut) == counts.get(beslut, 0) and _given_ok(given_enskild) == counts.get(enskild, 0)):
            return {beslut: (beslut_batch, beslut_complete, given_beslut),
                    enskild: (enskild_batch, enskild_complete, given_enskild)}
    skipped = 0
    for e in new_events:
        kind = e.entitet
        if kind is beslut:
            if e.nyckel in given_beslut:
                skipped += 1
                continue
            beslut_batch[e.nyckel].append(e)
            if e.typ is registrerad:
                beslut_complete.add(e.nyckel)
        elif kind is enskild:
            if e.nyckel in given_enskild:
                skipped += 1
                continue
            enskild_batch[e.nyckel].append(e)
            if e.typ is registrerad:
                enskild_complete.add(e.nyckel)
    if given_beslut or given_enskild:
        expected = 0
        for given in (given_beslut, given_enskild):
            for items in given.values():
                if not items or items[0].typ is not registrerad:
                    return None
                expected += len(items)
        if skipped != expected:
            return None
    return {beslut: (beslut_batch, beslut_complete, given_beslut),
            enskild: (enskild_batch, enskild_complete, given_enskild)}

def kind_counts(events: Sequence[Handelse]) -> Counter:
    """Antalet händelser per slag av post (räknat i C)."""
    return Counter(map(_ENTITET, events))


_ENTITET = attrgetter("entitet")


def _given_ok(given: dict[str, list[Handelse]]) -> int:
    """Antalet händelser i de givna posterna, -1 om någon inte börjar med sin registrering."""
    total = 0
    registrerad = HandelseTyp.REGISTRERAD
    for items in given.values():
        if not items or items[0].typ is not registrerad:
            return -1
        total += len(items)
    return total


def built_version(connection: Connection) -> str | None:
    return connection.execute(
        select(projektion_meta.c.varde).where(projektion_meta.c.nyckel == "version")
    ).scalar()


def _computed(connection: Connection, entitet: Entitet, compute: Callable[[str, list[Handelse]], list[tuple]],
              progress: Callable[[str], None] | None, doing: str
              ) -> Iterator[tuple[Sequence[str], dict[str, list[tuple]]]]:
    """Slagets poster i satser: (nycklarna, nyckel → raderna som händelserna ger), med förloppet för
    besluten efter varje sats. `rebuild` skriver raderna, `differing_keys` jämför dem."""
    keys = connection.execute(
        select(handelse.c.nyckel).where(handelse.c.entitet == entitet.value).distinct()
        .order_by(handelse.c.nyckel)
    ).scalars().all()
    done = 0
    # Förloppet var 10 000:e beslut, men högst ett tjugotal rader även för en miljon beslut.
    step = max(10000, len(keys) // 20)
    next_report = step
    for chunk in _chunks(keys):
        yield chunk, {key: compute(key, items) for key, items in events_by_key(connection, entitet, chunk).items()}
        done += len(chunk)
        if progress and entitet is Entitet.BESLUT and (done >= next_report or done == len(keys)):
            next_report = (done // step + 1) * step
            progress(f"{doing}: {tal(done)} av {tal(len(keys))} beslut")


def rebuild(connection: Connection, progress: Callable[[str], None] | None = None) -> int:
    """Bygg om alla projektioner ur händelserna (i den givna transaktionen). Returnerar antalet beslut."""
    counts = {}
    for entitet, (table, _key_column, compute) in _KINDS.items():
        connection.execute(delete(table))
        count = 0
        pending: list[tuple] = []
        for chunk, computed in _computed(connection, entitet, compute, progress, "Bygger registrets översikt"):
            count += len(chunk)
            for rows in computed.values():
                pending.extend(rows)
            if len(pending) >= 5000:
                bulk.insert_rows(connection, table, pending, names=_COLUMNS[entitet])
                pending = []
        bulk.insert_rows(connection, table, pending, names=_COLUMNS[entitet])
        counts[entitet] = count
    _set_version(connection)
    log.info("projektionerna byggda för %d beslut", counts[Entitet.BESLUT])
    return counts[Entitet.BESLUT]


def differing_keys(connection: Connection, progress: Callable[[str], None] | None = None
                   ) -> dict[Entitet, list[str]]:
    """`bemanning db kontrollera`: posterna vars rader i översikten inte är vad händelserna ger (en
    rad skriven utanför programmet, eller en händelse införd med SQL utan sin översikt). Läser och
    räknar som `rebuild`, men skriver inget."""
    result: dict[Entitet, list[str]] = {}
    for entitet, (table, key_column, compute) in _KINDS.items():
        wrong: list[str] = []
        for chunk, computed in _computed(connection, entitet, compute, progress,
                                         "Jämför översikten med händelserna"):
            stored: dict[str, list[tuple]] = defaultdict(list)
            for row in connection.execute(select(table).where(key_column.in_(chunk))
                                          .order_by(key_column, table.c.giltig_fran)):
                stored[row._mapping[key_column.name]].append(tuple(row))
            wrong.extend(key for key, rows in computed.items() if rows != stored.get(key, []))
        # rader för nycklar som inte har någon händelse alls
        orphans = connection.execute(
            select(key_column).distinct().where(~key_column.in_(
                select(handelse.c.nyckel).where(handelse.c.entitet == entitet.value)))
        ).scalars().all()
        result[entitet] = sorted(set(wrong) | set(orphans))
    return result


def _set_version(connection: Connection) -> None:
    connection.execute(delete(projektion_meta).where(projektion_meta.c.nyckel == "version"))
    connection.execute(insert(projektion_meta), [{"nyckel": "version", "varde": VERSION}])


def _enskild_on(day: date):
    """Villkoret för att sammanfoga ett besluts rad med den enskildes rad som gäller dag `day`."""
    person = enskild_lage.c
    return (person.person_id == beslut_lage.c.person_id) & (person.giltig_fran <= day) & (person.giltig_till > day)


def as_of(day: date):
    """Villkoret "raden gäller dag `day`"."""
    return (beslut_lage.c.giltig_fran <= day) & (beslut_lage.c.giltig_till > day)


class _UtanIndex(ColumnElement):
    """En kolumn som SQLite inte ska söka i med ett index: `+kolumn` (SQLite:s sätt att säga det).

    `giltig_fran <= i dag` gäller nästan varje rad, men SQLite väljer ändå indexet på
    (giltig_fran, giltig_till) och slår sedan upp varje rad i tabellen: på 100 000 beslut fem
    gånger långsammare än att läsa tabellen rakt igenom. Andra databaser får kolumnen som den är
    (PostgreSQL väljer själv efter sin statistik)."""

    inherit_cache = True
    _traverse_internals = [("column", InternalTraversal.dp_clauseelement)]

    def __init__(self, column: Any) -> None:
        self.column = column
        self.type = column.type


@compiles(_UtanIndex)
def _utan_index(element: _UtanIndex, compiler: Any, **kw: Any) -> str:
    return compiler.process(element.column, **kw)


@compiles(_UtanIndex, "sqlite")
def _utan_index_sqlite(element: _UtanIndex, compiler: Any, **kw: Any) -> str:
    return "+" + compiler.process(element.column, **kw)


def as_of_today(day: date):
    """Som `as_of`, för frågor om i dag över hela registret (listan, översikten): raderna läses
    rakt igenom i stället för genom giltighetsindexet, som inte väljer bort något en sådan dag.
    Ett index på beslutets id används fortfarande (en rad i listan)."""
    return (_UtanIndex(beslut_lage.c.giltig_fran) <= day) & (beslut_lage.c.giltig_till > day)


def waiting_ids(connection: Connection, day: date, started_on_or_before: date) -> list[str]:
    """Beslut som väntar dag `day` med en väntetid som började senast `started_on_or_before`."""
    query = (select(beslut_lage.c.beslut_id)
             .where(beslut_lage.c.giltig_till > day, beslut_lage.c.vantar_sedan <= started_on_or_before,
                    beslut_lage.c.giltig_fran <= day)
             .order_by(beslut_lage.c.beslut_id))
    return list(connection.execute(query).scalars())


#: Beslutets status i projektionen för `bemanning beslut --status`.
STATUS_FILTER = {
    "ej-verkstallda": ("ej verkställt", "avbrott"),
    "verkstallda": ("verkställt",),
    "avslutade": ("avslutat",),
}


#: Statusarna då beslutet väntar på att verkställas (`BeslutLage.is_open`).
OPPEN_STATUS = STATUS_FILTER["ej-verkstallda"]


def _filtered(query, day: date, *, status: str, insats: str, fran: date | None, till: date | None):
    query = query.where(as_of(day))
    if status in STATUS_FILTER:
        query = query.where(beslut_lage.c.status.in_(STATUS_FILTER[status]))
    if insats:
        query = query.where(func.lower(beslut_lage.c.insats).contains(insats.lower(), autoescape=True))
    if fran is not None:
        query = query.where(beslut_lage.c.beslutsdatum >= fran)
    if till is not None:
        query = query.where(beslut_lage.c.beslutsdatum <= till)
    return query


def count_query(day: date, **filters: Any):
    """Antal beslut per insats dag `day`, med samma urval som `bemanning beslut`."""
    query = select(beslut_lage.c.insats, func.count().label("antal"))
    return _filtered(query, day, **filters).group_by(beslut_lage.c.insats).order_by(beslut_lage.c.insats)


def rows_query(day: date, **filters: Any):
    """`bemanning beslut`: id, insats, beslutsdatum, kön, status och väntans start dag `day`, med
    samma urval som `count_query`, äldst först, ur projektionen (ingen hopvikning)."""
    person = enskild_lage.c
    query = select(beslut_lage.c.beslut_id, beslut_lage.c.insats, beslut_lage.c.beslutsdatum, person.kon,
                   beslut_lage.c.status, beslut_lage.c.vantar_sedan).select_from(beslut_lage.outerjoin(
                       enskild_lage,
                       _enskild_on(day)))
    return _filtered(query, day, **filters).order_by(beslut_lage.c.beslutsdatum, beslut_lage.c.beslut_id)


def _matching_filter(insatser: Sequence[str]):
    return beslut_lage.c.insats.in_(list(insatser)) & or_(
        beslut_lage.c.status.in_(STATUS_FILTER["ej-verkstallda"]),
        (beslut_lage.c.har_person == 1) & (beslut_lage.c.status != "avslutat"))


def _matching_selection(column, day: date, insatser: Sequence[str]):
    return select(column).where(as_of(day), _matching_filter(insatser))


def matching_ids_query(day: date, insatser: Sequence[str]):
    """Besluten matchningen behöver dag `day`: de som väntar, och de pågående uppdrag där en
    person från matchningen har accepterats (de tar upp personens timmar), bland `insatser`."""
    return _matching_selection(beslut_lage.c.beslut_id, day, insatser).order_by(beslut_lage.c.beslut_id)


def matching_rows_query(day: date, insatser: Sequence[str]):
    """Kön dag `day` i en fråga: besluten i `matching_ids_query` med matchningens fält
    (`MATCHING_FIELDS`) och den enskildes rad den dagen (kön, område, födelseår, läge; tomt om
    den enskilde inte finns). Datumen tolkas inte av frågan: SQLite ger texten ÅÅÅÅ-MM-DD,
    PostgreSQL ett datum. Ingen ordning: den som läser sorterar."""
    b = beslut_lage.c
    person = enskild_lage.c
    columns = [b.beslut_id, b.insats, type_coerce(b.beslutsdatum, String), b.status,
               *(type_coerce(b[name], String) if name == "avbrott_sedan" else b[name] for name in MATCHING_FIELDS),
               person.person_id.label("enskild"), person.kon, person.omrade, person.fodelsear, person.x_km,
               person.y_km]
    # Omkring hälften av dagens rader är med: tabellen läses rakt igenom (som `as_of_today`, också
    # utan indexet på giltig_till), och den enskildes rad ur det täckande ix_enskild_lage_kon.
    everything = (_UtanIndex(beslut_lage.c.giltig_fran) <= day) & (_UtanIndex(beslut_lage.c.giltig_till) > day)
    return (select(*columns).select_from(beslut_lage.outerjoin(enskild_lage, _enskild_on(day)))
            .where(everything, _matching_filter(insatser)))


def waiting_during_query(first: date, last: date):
    """Besluten som väntade någon dag från `first` till och med `last` (eller vars väntan slutade
    just dagen `first`), och besluten med någon händelse daterad under perioden. Det andra behövs
    för ändringar bakåt i tiden: ett verkställt som registreras i augusti men flyttar väntans slut,
    sett från kvartalets sista dag, syns inte i någon rad som gällde under kvartalet. Ett
    överurval: rapporten prövar sedan varje väntan själv."""
    waiting = (select(beslut_lage.c.beslut_id)
               .where(beslut_lage.c.vantar_sedan.is_not(None), beslut_lage.c.giltig_fran <= last,
                      beslut_lage.c.giltig_till >= first))
    changed = select(handelse.c.nyckel).where(handelse.c.entitet == Entitet.BESLUT.value,
                                              handelse.c.datum >= first, handelse.c.datum <= last)
    return union(waiting, changed)


#: Händelser som kan avsluta en väntan (verkställt, återupptaget, avslutat) på sin egen dag.
_AVSLUTANDE = (HandelseTyp.VERKSTALLT.value, HandelseTyp.ATERUPPTAGET.value, HandelseTyp.AVSLUTAT.value)
#: Händelser som kan flytta en väntans datum eller ge ett beslut flera väntetider på en gång.
_FLYTTANDE = (HandelseTyp.KORRIGERAD.value, HandelseTyp.ANDRAD.value, HandelseTyp.AVBROTT.value)


def kvartal_flyttade_query(last: date):
    """Besluten med en rättelse, en ändring eller ett avbrott daterat till och med `last`: de kan ha
    flera väntetider samtidigt eller flyttade datum, och viks alltid ihop."""
    h = handelse.c
    return select(h.nyckel).where(h.entitet == Entitet.BESLUT.value, h.datum <= last, h.typ.in_(_FLYTTANDE))


def kvartal_slutade_query(first: date, last: date, started_on_or_before: date):
    """Besluten vars väntan kan ha slutat under kvartalet (`first`–`last`) efter gränsen: ett slut
    är alltid dagen för ett verkställt, ett återupptaget eller ett avslutat (eller ett datum i en
    rättelse, se `kvartal_flyttade_query`), och utan rättelse och avbrott väntar beslutet från sitt
    beslutsdatum, som då ska vara senast `started_on_or_before` (gränsen vid `last`)."""
    h = handelse.c
    b = beslut_lage.c
    return (select(h.nyckel).select_from(handelse.join(beslut_lage, b.beslut_id == h.nyckel))
            .where(h.entitet == Entitet.BESLUT.value, h.datum >= first, h.datum <= last, h.typ.in_(_AVSLUTANDE),
                   as_of(last), b.beslutsdatum <= started_on_or_before))


def kvartal_kandidater_query(first: date, last: date, started_on_or_before: date):
    """Besluten som kan ha en rad i kvartalets individrapport (`first`–`last`), sett vid `last`;
    ett överurval som rapporten sedan prövar, mindre än `waiting_during_query`: de som väntar vid
    `last` sedan senast `started_on_or_before` (projektionen den dagen är hopvikningen den dagen,
    och utan avbrott har ett beslut bara en väntan, den i raden), de vars väntan kan ha slutat under
    kvartalet (`kvartal_slutade_query`) och de med rättelser eller avbrott (`kvartal_flyttade_query`)."""
    b = beslut_lage.c
    waiting = select(b.beslut_id).where(as_of(last), b.vantar_sedan <= started_on_or_before)
    return union(waiting, kvartal_slutade_query(first, last, started_on_or_before), kvartal_flyttade_query(last))


def kvartal_vantande_query(last: date, started_on_or_before: date, utom):
    """KF:s väntande vid kvartalets slut i grupper, utom besluten i `utom` (de som viks ihop):
    (vantar_sedan, vantar_avbrott, insats, kon, antal) för beslut som väntar dag `last` sedan
    senast `started_on_or_before`, med den enskildes kön den dagen. Ingen bestämd ordning."""
    b = beslut_lage.c
    person = enskild_lage.c
    return (_statistik_urval(select(b.vantar_sedan, b.vantar_avbrott, b.insats, person.kon,
                                    func.count().label("antal")), last, started_on_or_before)
            .where(b.beslut_id.not_in(utom))
            .group_by(b.vantar_sedan, b.vantar_avbrott, b.insats, person.kon))


def kvartal_personer_query(candidates, day: date):
    """De enskildas person-id dag `day` för besluten i `candidates` (en fråga som ger beslut-id)."""
    return select(beslut_lage.c.person_id).distinct().where(
        as_of(day), beslut_lage.c.beslut_id.in_(candidates), beslut_lage.c.person_id.is_not(None))


def arende_query(day: date, prefixes: Sequence[str] | None = None):
    """Varje beslut dag `day` med beslutsdatum, den enskilde och dennes kön den dagen (IVO:s
    ärende-id räknas över alla beslut, också de som inte står i rapporten). Med `prefixes` bara
    beslut vars person-id börjar med något av dem (personnumrets födelsedatum, 6 eller 8 siffror)."""
    person = enskild_lage.c
    query = (select(beslut_lage.c.beslutsdatum, beslut_lage.c.beslut_id, beslut_lage.c.person_id, person.kon)
             .select_from(beslut_lage.join(
                 enskild_lage,
                 _enskild_on(day)))
             .where(as_of(day)))
    if prefixes is not None:
        by_length: dict[int, list[str]] = defaultdict(list)
        for prefix in prefixes:
            by_length[len(prefix)].append(prefix)
        query = query.where(or_(*(func.substr(beslut_lage.c.person_id, 1, n).in_(sorted(items))
                                  for n, items in sorted(by_length.items())), False))
    return query


def statistik_query(day: date, started_on_or_before: date):
    """Tabell 3:s uppgifter dag `day` (väntande beslut över gränsen), med den enskildes kön den dagen.
    Kolumnernas ordning läses av reports/urval.py; indexet ix_beslut_lage_vantar täcker dem."""
    person = enskild_lage.c
    return _statistik_urval(
        select(beslut_lage.c.beslut_id, beslut_lage.c.insats, beslut_lage.c.beslutsdatum,
               beslut_lage.c.vantar_sedan, beslut_lage.c.vantar_avbrott, beslut_lage.c.orsak, person.kon,
               beslut_lage.c.enhet), day, started_on_or_before)


def statistik_grupper_query(day: date, started_on_or_before: date):
    """Samma urval som `statistik_query`, räknat i grupper med samma väntestart, insats, kön, orsak
    och avbrott: (vantar_sedan, insats, kon, orsak, vantar_avbrott, antal). Tabell 3 i den offentliga
    rapporten har bara de fälten, så grupperna ger samma tabell; svaret har några tusen grupper i
    stället för en rad per beslut (1 000 000 beslut: 15 516 grupper för 448 342 rader). Raderna
    läses ur det täckande indexet ix_beslut_lage_vantar och den enskildes kön ur ix_enskild_lage_kon.
    Grupperna kommer i ingen bestämd ordning: den som läser sorterar (samma ordning i alla databaser)."""
    b = beslut_lage.c
    person = enskild_lage.c
    query = select(b.vantar_sedan, b.insats, person.kon, b.orsak, b.vantar_avbrott, func.count().label("antal"))
    return _statistik_urval(query, day, started_on_or_before).group_by(
        b.vantar_sedan, b.insats, person.kon, b.orsak, b.vantar_avbrott)


def _statistik_urval(query, day: date, started_on_or_before: date):
    """Besluten som väntar dag `day` sedan senast `started_on_or_before`, med den enskildes rad den dagen."""
    return (query.select_from(beslut_lage.outerjoin(enskild_lage, _enskild_on(day)))
            .where(beslut_lage.c.giltig_till > day, beslut_lage.c.giltig_fran <= day,
                   beslut_lage.c.vantar_sedan <= started_on_or_before))


@attrs.frozen
class BeslutUrval:
    """Urvalet i listan över beslut (skärmen Beslut): sök, filter, sortering och sida."""

    per: date
    sok: str = ""
    insats: str | None = None
    status: str = "oppna"  # oppna, alla eller en status
    over_tre_fran: date | None = None  # bara väntetider som började senast denna dag
    enhet: str | None = None
    enheter: tuple[str, ...] | None = None  # rollens enheter; None = alla
    sortering: str = "beslutsdatum"
    fallande: bool = False


def _enhet_expr():
    """Enheten som listan visar: beslutets, annars den enskildes område."""
    return func.coalesce(beslut_lage.c.enhet, enskild_lage.c.omrade, "")


def _sort_expr(field: str):
    """Listans kolumner som uttryck i frågan (fält → uttryck att sortera på)."""
    return {
        "beslut_id": beslut_lage.c.beslut_id,
        "insats": beslut_lage.c.insats,
        "beslutsdatum": beslut_lage.c.beslutsdatum,
        # väntade dagar = dagen − väntans start: fler dagar är en tidigare start; stängda sist
        "dagar": func.coalesce(beslut_lage.c.vantar_sedan, OPEN_END),
        "status": beslut_lage.c.status,
        "kon": func.coalesce(enskild_lage.c.kon, ""),
        "enhet": _enhet_expr(),
        "erbjudanden": beslut_lage.c.antal_erbjudanden,
    }[field]


def needs_person(urval: BeslutUrval) -> bool:
    """Behöver urvalet den enskildes läge (kön, område)? Annars slipper frågan sammanfogningen.
    (Sökningen frågar efter området bara för de beslut som saknar enhet, se `_sok_ord`.)"""
    return bool(urval.enhet or urval.sortering in ("kon", "enhet"))


def _sok_ord(word: str, day: date):
    """Ett sökord (gemener, utan mellanslag) finns i beslutets id, insats eller enhet, eller i den
    enskildes område när beslutet saknar enhet: samma träffar som i texten "id insats enhet" (ett
    ord utan mellanslag kan inte gå över två fält), men den enskilde slås bara upp när beslutet
    saknar enhet och id och insats inte redan träffat, bland de enskilda vars område har ordet (en
    fråga för hela sökningen, inte en per beslut)."""
    def has(column):
        return func.lower(column).contains(word, autoescape=True)

    person = enskild_lage.alias("sok_person")
    in_area = (select(person.c.person_id)
               .where(person.c.giltig_fran <= day, person.c.giltig_till > day, has(person.c.omrade)))
    return or_(has(beslut_lage.c.beslut_id), has(beslut_lage.c.insats),
               beslut_lage.c.enhet.is_not(None) & has(beslut_lage.c.enhet),
               beslut_lage.c.enhet.is_(None) & beslut_lage.c.person_id.in_(in_area))


def list_query(urval: BeslutUrval, columns, *, person_join: bool = True):
    day = urval.per
    source = beslut_lage.outerjoin(
        enskild_lage,
        _enskild_on(day),
    ) if person_join else beslut_lage
    query = select(*columns).select_from(source).where(as_of_today(day))
    if urval.status == "oppna":
        query = query.where(beslut_lage.c.status.in_(STATUS_FILTER["ej-verkstallda"]))
    elif urval.status != "alla":
        query = query.where(beslut_lage.c.status == urval.status)
    if urval.insats:
        query = query.where(beslut_lage.c.insats == urval.insats)
    if urval.over_tre_fran is not None:
        query = query.where(beslut_lage.c.vantar_sedan <= urval.over_tre_fran)
    if urval.enhet:
        query = query.where(_enhet_expr() == urval.enhet)
    if urval.enheter is not None:
        query = query.where(beslut_lage.c.enhet.in_(list(urval.enheter)))
    for word in urval.sok.lower().split():
        query = query.where(_sok_ord(word, day))
    return query


BASE_COLUMNS = (beslut_lage.c.beslut_id, beslut_lage.c.insats, beslut_lage.c.beslutsdatum,
                beslut_lage.c.status, beslut_lage.c.vantar_sedan, beslut_lage.c.enhet,
                beslut_lage.c.antal_erbjudanden, beslut_lage.c.person_id)


def person_rows_query(day: date, person_ids: Sequence[str]):
    """Kön och område dag `day` för de enskilda på en sida av listan."""
    return select(enskild_lage.c.person_id, enskild_lage.c.kon, enskild_lage.c.omrade).where(
        enskild_lage.c.person_id.in_(list(person_ids)), enskild_lage.c.giltig_fran <= day,
        enskild_lage.c.giltig_till > day)


def list_columns():
    return (beslut_lage.c.beslut_id, beslut_lage.c.insats, beslut_lage.c.beslutsdatum, enskild_lage.c.kon,
            beslut_lage.c.status, beslut_lage.c.vantar_sedan, _enhet_expr().label("enhet_visad"),
            beslut_lage.c.antal_erbjudanden)


def list_count_query(urval: BeslutUrval):
    return list_query(urval, (func.count(),), person_join=needs_person(urval))


def list_page_query(urval: BeslutUrval, limit: int, after: tuple | None = None, before: tuple | None = None):
    """En sida av listan, med nyckelmängd (keyset): efter den förra sidans sista rad (`after`)
    eller före nästa sidas första (`before`), aldrig med OFFSET över hela urvalet."""
    key = _sort_expr(urval.sortering)
    order = (key, beslut_lage.c.beslut_id)
    forward = before is None
    descending = _descending(urval)
    if needs_person(urval):
        query = list_query(urval, (*list_columns(), key.label("sortvarde")))
    else:  # utan den enskilde: kön och område hämtas för sidans rader efteråt (person_rows)
        query = list_query(urval, (*BASE_COLUMNS, key.label("sortvarde")), person_join=False)
    if after is not None:
        query = query.where((tuple_(*order) < tuple_(*after)) if descending else (tuple_(*order) > tuple_(*after)))
    if before is not None:
        query = query.where((tuple_(*order) > tuple_(*before)) if descending else (tuple_(*order) < tuple_(*before)))
    reverse = descending == forward
    return query.order_by(*(c.desc() if reverse else c.asc() for c in order)).limit(limit), not forward


def _descending(urval: BeslutUrval) -> bool:
    return urval.fallande != (urval.sortering == "dagar")  # dagar sorteras på väntans startdag


def list_key_query(urval: BeslutUrval, beslut_id: str):
    key = _sort_expr(urval.sortering)
    return list_query(urval, (beslut_lage.c.beslut_id, key.label("sortvarde"))).where(
        beslut_lage.c.beslut_id == beslut_id)


def list_position_query(urval: BeslutUrval, key_value: tuple):
    order = tuple_(_sort_expr(urval.sortering), beslut_lage.c.beslut_id)
    before = order > tuple_(*key_value) if _descending(urval) else order < tuple_(*key_value)
    return list_query(urval, (func.count(),)).where(before)


def distinct_values(day: date, enheter: tuple[str, ...] | None):
    """Insatser och enheter (eller den enskildes område där beslutet saknar enhet) som finns dag
    `day`: filtrens val."""
    urval = BeslutUrval(per=day, status="alla", enheter=enheter)
    insatser = list_query(urval, (beslut_lage.c.insats,), person_join=False).distinct()
    units = list_query(urval, (beslut_lage.c.enhet,), person_join=False).distinct()
    # de enskildas områden (visas som enhet när beslutet saknar en); utan sammanfogning
    areas = select(enskild_lage.c.omrade).where(enskild_lage.c.giltig_fran <= day,
                                                enskild_lage.c.giltig_till > day).distinct()
    if enheter is not None:
        areas = areas.where(False)
    return insatser, units, areas


def overview_query(day: date, enheter: tuple[str, ...] | None):
    """Översikten dag `day` i en läsning av tabellen: antal beslut och väntande förslag per status,
    väntans start och insats. Svaret är kort också för 100 000 beslut (några tusen grupper), och
    antal per status, de öppnas väntetider och besluten över tremånadersgränsen räknas ur det."""
    b = beslut_lage.c
    query = (select(b.status, b.vantar_sedan, b.insats, func.count().label("antal"),
                    func.coalesce(func.sum(b.forslag_vantar), 0).label("forslag"))
             .where(as_of_today(day)).group_by(b.status, b.vantar_sedan, b.insats))
    return query if enheter is None else query.where(b.enhet.in_(list(enheter)))


def oldest_query(day: date, start: date, enheter: tuple[str, ...] | None):
    """Det öppna beslut dag `day` vars väntan började `start` (den tidigaste) och som är äldst."""
    b = beslut_lage.c
    query = (select(b.vantar_sedan, b.insats, b.beslutsdatum, b.beslut_id)
             .where(as_of(day), b.status.in_(STATUS_FILTER["ej-verkstallda"]), b.vantar_sedan == start)
             .order_by(b.beslutsdatum, b.beslut_id).limit(1))
    return query if enheter is None else query.where(b.enhet.in_(list(enheter)))
