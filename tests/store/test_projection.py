"""Projektionerna: på slumpade historier är raderna som förts händelse för händelse lika med en
ombyggnad ur händelserna, och lika med dagens hopvikning för varje dag som frågas.

Historierna har med det som gör registret svårt: en rättelse som registreras efter en
rapportdag men gäller från före den, avbrott och återupptaganden, rättelser av kön på den
enskilde, erbjudanden efter rapportdagen, och händelser som registreras i annan ordning än
deras datum.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

import attrs
import pytest
from sqlalchemy import delete, select

from bemanning.model.beslut import Beslut
from bemanning.model.enskild import Enskild
from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
from bemanning.model.serialize import to_record
from bemanning.model.tremanadersregeln import Regel
from bemanning.model.values import Kon
from bemanning.model.vantetid import oppen_vantetid, orsak
from bemanning.reports import ivo
from bemanning.reports.aterforing import aterforing_csv, aterforing_rader
from bemanning.reports.ej_verkstallda import rapporterade
from bemanning.reports.ivo import Kvartal, arende_ids, ivo_rapport, kvartalsstatistik
from bemanning.reports.jamforelse import jamforelse
from bemanning.reports.manadsrapport import detalj_csv
from bemanning.reports.sarskild_avgift import avgiftsrisk
from bemanning.reports.urval import (
    arende_ids_ur_registret,
    aterforing_ur_registret,
    avgiftsrisk_ur_registret,
    ivo_ur_registret,
    jamforelse_ur_registret,
    kvartalsstatistik_ur_registret,
    lagen_for_jamforelse,
    lagen_for_kvartal,
    lagen_for_statistik,
    statistikrapport_for_utskrift,
    statistikrapport_ur_registret,
)
from bemanning.store import open_register, projection
from bemanning.store.schema import beslut_lage, enskild_lage
from bemanning.uppdrag import staff_uppdrag

START = date(2023, 1, 1)
INSATSER = ("SoL – kontaktperson", "LSS – ledsagarservice", "Äldreboende")


def _day(rng: random.Random, span: int = 500) -> date:
    return START + timedelta(days=rng.randrange(span))


def _fiktivt_personnummer(index: int) -> str:
    """Ett påhittat personnummer född 1985-01-01 eller -02 som klarar kontrollsiffran."""
    from bemanning.model.personnummer import luhn_ok

    head = f"85010{1 + index % 2}{index:03d}"
    check = next(d for d in range(10) if luhn_ok(f"{head}{d}"))
    return f"19{head[:6]}-{head[6:]}{check}"


def _history(rng: random.Random, n_beslut: int, personnummer: bool = False) -> list[Handelse]:
    """Händelser i den ordning de registreras (inte i datumordning). Med `personnummer` har de
    enskilda påhittade personnummer med bara två födelsedagar (IVO:s ärende-id delar prefix)."""
    events: list[Handelse] = []
    people = [_fiktivt_personnummer(i) if personnummer else f"E{i}" for i in range(max(1, n_beslut // 2))]
    for person in people:
        kon = rng.choice([Kon.K, Kon.M])
        events.append(Handelse(Entitet.ENSKILD, person, HandelseTyp.REGISTRERAD, START,
                               to_record(Enskild(person_id=person, kon=kon)), "prov"))
    for index in range(n_beslut):
        key = f"B{index:03d}"
        beslutsdatum = _day(rng, 300)
        person = rng.choice(people)
        beslut = Beslut(beslut_id=key, person_id=person, insats=rng.choice(INSATSER), beslutsdatum=beslutsdatum)
        events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.REGISTRERAD, beslutsdatum, to_record(beslut), "prov"))
        later = beslutsdatum
        for _ in range(rng.randrange(6)):
            later = later + timedelta(days=rng.randrange(1, 120))
            kind = rng.choice(["erbjudande", "verkstallt", "avbrott", "aterupptaget", "avslutat",
                               "rattelse_datum", "rattelse_verkstallt", "kon", "orsak"])
            if kind == "erbjudande":
                data = {"utfall": rng.choice(["tackat nej", "accepterat"]), "kommentar": "",
                        "kandidat": rng.choice([None, "U1", "U2"])}
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.ERBJUDANDE, later, data, "prov"))
            elif kind == "verkstallt":
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.VERKSTALLT, later, {}, "prov"))
            elif kind == "avbrott":
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.AVBROTT, later, {}, "prov"))
            elif kind == "aterupptaget":
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.ATERUPPTAGET, later, {}, "prov"))
            elif kind == "avslutat":
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.AVSLUTAT, later,
                                       {"orsak": "återtagen ansökan"}, "prov"))
            elif kind == "rattelse_datum":
                # registreras senare men gäller från ett tidigare datum (före en rapportdag)
                new = beslutsdatum - timedelta(days=rng.randrange(1, 60))
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.KORRIGERAD,
                                       beslutsdatum + timedelta(days=rng.randrange(0, 30)),
                                       {"falt": {"beslutsdatum": {"fran": beslutsdatum.isoformat(),
                                                                  "till": new.isoformat()}}}, "prov"))
            elif kind == "rattelse_verkstallt":
                value = later + timedelta(days=rng.randrange(-20, 40))
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.KORRIGERAD, later,
                                       {"falt": {"verkstalld_datum": {"fran": None, "till": value.isoformat()}}},
                                       "prov"))
            elif kind == "kon":
                new = rng.choice(["K", "M"])
                events.append(Handelse(Entitet.ENSKILD, person, HandelseTyp.KORRIGERAD, later,
                                       {"falt": {"kon": {"fran": "K" if new == "M" else "M", "till": new}}}, "prov"))
            else:
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.KORRIGERAD, later,
                                       {"falt": {"orsak": {"fran": None, "till": rng.choice([1, 2, 3])}}}, "prov"))
    # Registreringsordningen: huvudsakligen efter datum, men en del sent registrerade.
    head = events[: len(people)]
    rest = sorted(events[len(people):], key=lambda e: (e.datum + timedelta(days=rng.choice([0, 0, 0, 90])), rng.random()))
    registered = {e.nyckel for e in rest if e.typ is HandelseTyp.REGISTRERAD}
    ordered: list[Handelse] = []
    seen: set[str] = set()
    waiting: list[Handelse] = []
    for e in rest:  # en händelse för ett beslut registreras aldrig före beslutet självt
        if e.entitet is Entitet.BESLUT and e.typ is not HandelseTyp.REGISTRERAD and e.nyckel not in seen:
            waiting.append(e)
            continue
        ordered.append(e)
        if e.typ is HandelseTyp.REGISTRERAD:
            seen.add(e.nyckel)
            ordered.extend(w for w in waiting if w.nyckel == e.nyckel)
            waiting = [w for w in waiting if w.nyckel != e.nyckel]
    assert not waiting and registered <= seen
    return head + ordered


def _jamfor(*args) -> list:
    result = jamforelse(*args)
    return [(r.lage, _all_fields(r.rad), r.forklaring, r.dagar_fran, r.dagar_till, r.datum) for r in result.rader]


def _all_fields(rad) -> tuple:
    return attrs.astuple(rad)


def _public_fields(rad) -> tuple:
    """Fälten som står i den offentliga rapporten (tabell 3)."""
    return (rad.beslut_om, rad.datum, rad.antal_dagar, rad.kon, rad.orsak)


def _rows(reg) -> list[tuple]:
    with reg.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(beslut_lage).order_by(
            beslut_lage.c.beslut_id, beslut_lage.c.giltig_fran))]


def _assert_a_rebuild_gives_the_same_rows(reg) -> list[tuple]:
    """Rader byggda händelse för händelse (beslut och enskilda) är desamma efter en ombyggnad ur
    händelserna; ger besluten."""
    step_by_step, people = _rows(reg), _people(reg)
    with reg.transaction() as conn:
        conn.execute(delete(beslut_lage))
        conn.execute(delete(enskild_lage))
    reg.rebuild_projections()
    assert _rows(reg) == step_by_step
    assert _people(reg) == people
    return step_by_step


def _people(reg) -> list[tuple]:
    with reg.engine.connect() as conn:
        return [tuple(r) for r in conn.execute(select(enskild_lage).order_by(
            enskild_lage.c.person_id, enskild_lage.c.giltig_fran))]


def _as_of(reg, day: date) -> dict[str, tuple]:
    with reg.engine.connect() as conn:
        rows = conn.execute(select(beslut_lage).where(projection.as_of(day)))
        return {r.beslut_id: (r.status, r.vantar_sedan, bool(r.vantar_avbrott), r.orsak) for r in rows}


@pytest.fixture
def register_at(tmp_path):
    """Öppnar ett tomt register på SQLite eller PostgreSQL (eget schema; hoppas över utan server)."""
    from contextlib import ExitStack

    from bemanning.store.testing import pg_test_url, scratch_schema

    stack = ExitStack()

    def make(backend: str):
        if backend == "sqlite":
            return open_register(tmp_path / "r.sqlite")
        url, reason = pg_test_url()
        if url is None:
            pytest.skip(reason)
        return open_register(stack.enter_context(scratch_schema(url)))

    yield make
    stack.close()


@pytest.mark.parametrize("backend,seed", [("sqlite", s) for s in range(12)] + [("postgresql", 0), ("postgresql", 1)])
def test_projection_equals_rebuild_and_the_fold_for_every_day(register_at, backend, seed):
    rng = random.Random(seed)
    reg = register_at(backend)
    events = _history(rng, 14)
    for event in events:  # händelse för händelse, som när användare arbetar
        reg.append([event])
    step_by_step = _assert_a_rebuild_gives_the_same_rows(reg)
    assert step_by_step, "projektionen ska ha rader"

    regel = Regel()
    days = sorted({START + timedelta(days=offset) for offset in range(0, 900, 7)}
                  | {e.datum for e in events} | {e.datum - timedelta(days=1) for e in events})
    for day in days:
        lagen = reg.beslut_lagen(day)
        expected = {}
        for lage in lagen:
            vantetid = oppen_vantetid(lage, day)
            expected[lage.beslut_id] = (
                lage.status, vantetid.start if vantetid else None,
                bool(vantetid.avbrott) if vantetid else False,
                orsak(lage, day) if vantetid else None,
            )
        assert _as_of(reg, day) == expected, day
        # status och väntan säger samma sak: ett beslut väntar precis när det står som öppet, också
        # när en rättelse flyttat verkställandet till ett senare datum än dagen
        for beslut_id, (status, vantar_sedan, _, _) in expected.items():
            assert (status in projection.OPPEN_STATUS) == (vantar_sedan is not None), (day, beslut_id, status)
        # `bemanning beslut`: listans rader ur projektionen är desamma som ur hopvikningen
        folded = sorted(([x.beslut_id, x.beslut.insats, x.beslut.beslutsdatum,
                          x.enskild.kon.value if x.enskild else None, x.status,
                          x.waiting_days() if x.is_open else None] for x in lagen),
                        key=lambda row: (row[2], row[0]))
        listed = [[r.beslut_id, r.insats, r.beslutsdatum, r.kon, r.status,
                   (day - r.vantar_sedan).days if r.status in projection.OPPEN_STATUS else None]
                  for r in reg.beslut_rows(day)]
        assert listed == folded, day
        # uppdragen i personalens schema: urvalet med accepterade erbjudanden ger samma uppdrag
        chosen_uppdrag = staff_uppdrag(reg.beslut_lagen(day, ids=reg.beslut_with_accepted_offer(day)), {"U1", "U2"})
        all_uppdrag = staff_uppdrag(lagen, {"U1", "U2"})
        assert {k: [x.beslut_id for x in v] for k, v in chosen_uppdrag.items()} == \
            {k: [x.beslut_id for x in v] for k, v in all_uppdrag.items()}, day
        reported = {v.beslut_id for v, _ in rapporterade(lagen, day, regel)}
        chosen = set(reg.waiting_beslut_ids(day, regel.senaste_startdatum(day)))
        assert chosen == reported, day
        # och rapporten ur urvalet, och ur projektionens rader direkt, är densamma som ur alla beslut
        only = reg.beslut_lagen(day, ids=chosen)
        everything = [_all_fields(r) for _, r in rapporterade(lagen, day, regel)]
        assert [_all_fields(r) for _, r in rapporterade(only, day, regel)] == everything
        direct = statistikrapport_ur_registret(reg, day, regel)
        assert [_all_fields(r) for r in direct.rader] == everything
        # rapporten som den skrivs ut (raderna räknade i grupper i databasen): samma tabeller
        printed = statistikrapport_for_utskrift(reg, day, regel)
        assert [_public_fields(r) for r in printed.rader] == [_public_fields(r) for r in direct.rader], day
        assert printed.antal_avbrott == direct.antal_avbrott, day
        assert printed.sammanfattning == direct.sammanfattning, day
        assert printed.per_insats == direct.per_insats, day
        assert detalj_csv(printed) == detalj_csv(direct), day
        # återföringen med bara öppna beslut: samma rader ur de väntande som ur alla beslut
        assert aterforing_rader(reg.beslut_lagen(day, ids=reg.waiting_beslut_ids(day, day)), day, regel,
                                bara_oppna=True) == aterforing_rader(lagen, day, regel, bara_oppna=True), day
        # särskild avgift: samma rader ur urvalet (lagen_for_statistik) som ur alla beslut
        assert avgiftsrisk(lagen_for_statistik(reg, day, regel), day, regel) == avgiftsrisk(lagen, day, regel)
        assert avgiftsrisk_ur_registret(reg, day, regel) == avgiftsrisk(lagen, day, regel)
    # kvartalen: KF:s statistik, och varje rad i IVO:s rapport utom ärende-id och skäl, ur urvalet
    # (de som väntade under kvartalet) är desamma som ur alla beslut
    for year in range(START.year, START.year + 3):
        for number in range(1, 5):
            kvartal = Kvartal(year, number)
            everything = ivo_rapport(reg.beslut_lagen(kvartal.slut), kvartal, regel)
            chosen = ivo_rapport(lagen_for_kvartal(reg, kvartal), kvartal, regel)
            assert kvartalsstatistik(chosen) == kvartalsstatistik(everything), kvartal
            assert [attrs.evolve(r, arende_id="", motivering="") for r in chosen.rader] == \
                [attrs.evolve(r, arende_id="", motivering="") for r in everything.rader], kvartal
    for fran, till in zip(days[::9], days[4::9], strict=False):
        if fran < till:
            assert _jamfor(*lagen_for_jamforelse(reg, fran, till, regel), fran, till, regel) == \
                _jamfor(reg.beslut_lagen(fran), reg.beslut_lagen(till), fran, till, regel)
    reg.close()


@pytest.mark.parametrize("backend,seed", [("sqlite", s) for s in range(6)] + [("postgresql", 0)])
def test_the_ivo_report_from_the_register_equals_the_one_from_every_beslut(register_at, backend, seed,
                                                                           monkeypatch):
    """IVO:s rapport ur urvalet (de som väntade under kvartalet) med ärende-id och skyddade id över
    hela registret är densamma som ur alla beslut: ärende-id (samma födelsedag och kön delar
    prefix), skäl, varningar. En motivering som nämner ett beslut utanför rapporten får samma
    varning och används inte."""
    rng = random.Random(seed)
    reg = register_at(backend)
    events = _history(rng, 16, personnummer=True)
    # Beslutet "Tidigt" (ett id med bara bokstäver, som granskningen inte känner igen på formen)
    # verkställs i tid i januari 2023 och står aldrig i någon rapport; varje annat beslut nämner
    # det i sin motivering, som då inte får användas
    person = next(e.nyckel for e in events if e.entitet is Entitet.ENSKILD)
    early = Beslut(beslut_id="Tidigt", person_id=person, insats=INSATSER[0], beslutsdatum=START)
    events += [Handelse(Entitet.BESLUT, "Tidigt", HandelseTyp.REGISTRERAD, START, to_record(early), "prov"),
               Handelse(Entitet.BESLUT, "Tidigt", HandelseTyp.VERKSTALLT, START + timedelta(days=5), {}, "prov")]
    for index in range(16):
        for offset in (100, 250, 400):
            events.append(Handelse(Entitet.BESLUT, f"B{index:03d}", HandelseTyp.MOTIVERING,
                                   START + timedelta(days=offset), {"text": "Väntar som tidigt."}, "prov"))
    monkeypatch.setattr(ivo, "_digits", lambda _id, attempt, man: f"{attempt:02d}{int(man)}")  # alla krockar
    reg.append(events)
    regel = Regel()
    refused = 0
    for day in (START + timedelta(days=offset) for offset in range(0, 900, 30)):
        everything = arende_ids(reg.beslut_lagen(day))
        assert arende_ids_ur_registret(reg, day) == everything, day
        # bara personer födda 1985-01-02: deras id är desamma (de beror bara på samma födelsedag)
        second = arende_ids_ur_registret(reg, day, {date(1985, 1, 2)})
        assert second == {k: v for k, v in everything.items() if v.startswith("19850102")}, day
    for year in range(START.year, START.year + 3):
        for number in range(1, 5):
            kvartal = Kvartal(year, number)
            from_register = ivo_ur_registret(reg, kvartal, regel, reg.katalog)
            assert from_register == ivo_rapport(reg.beslut_lagen(kvartal.slut), kvartal, regel, reg.katalog), kvartal
            refused += sum(1 for v in from_register.motiveringsvarningar if "används inte" in v)
    assert refused, "någon motivering som nämner Tidigt ska ha vägrats"
    reg.close()


def _registered(kon: Kon, beslutsdatum: date) -> list[Handelse]:
    """En enskild E1 och hennes eller hans beslut B1, registrerade på beslutsdagen."""
    person = Enskild(person_id="E1", kon=kon)
    beslut = Beslut(beslut_id="B1", person_id="E1", insats=INSATSER[0], beslutsdatum=beslutsdatum)
    return [Handelse(Entitet.ENSKILD, "E1", HandelseTyp.REGISTRERAD, beslutsdatum, to_record(person), "prov"),
            Handelse(Entitet.BESLUT, "B1", HandelseTyp.REGISTRERAD, beslutsdatum, to_record(beslut), "prov")]


def test_a_whole_import_batch_and_a_late_correction(tmp_path):
    """Ett beslut som importeras med sitt verkställande i samma skrivning, och en rättelse av
    beslutsdatum som registreras ett år senare men gäller bakåt: "som det stod" före rättelsens
    datum ändras inte, efter den gör det."""
    reg = open_register(tmp_path / "r.sqlite")
    reg.append(_registered(Kon.K, date(2023, 3, 15)))

    def reported(day: date) -> list[str]:
        return reg.waiting_beslut_ids(day, Regel().senaste_startdatum(day))

    assert reported(date(2023, 5, 20)) == [] and reported(date(2023, 6, 15)) == ["B1"]
    reg.append([Handelse(Entitet.BESLUT, "B1", HandelseTyp.KORRIGERAD, date(2023, 5, 20),
                         {"falt": {"beslutsdatum": {"fran": "2023-03-15", "till": "2023-02-01"}}}, "prov")])
    # före rättelsens datum som förut; från den räknas beslutet från februari
    assert reported(date(2023, 5, 19)) == []
    assert reported(date(2023, 5, 20)) == ["B1"]
    assert reg.count_beslut(date(2023, 6, 1), status="ej-verkstallda") == {INSATSER[0]: 1}
    assert reg.count_beslut(date(2023, 6, 1), status="verkstallda") == {}
    assert reg.count_beslut(date(2023, 3, 14)) == {}
    reg.close()


@pytest.mark.parametrize("grouping", ["rätt", "en händelse saknas", "ingen registrering först"])
def test_events_given_grouped_by_the_import_give_the_same_rows_and_a_wrong_grouping_is_ignored(tmp_path, grouping):
    """Importen ger projektionen de nya postenas händelser redan ordnade per post (`grouped`). Rätt
    ordnade ger de samma rader som utan; stämmer de inte med händelserna räknas allt som utan dem."""
    events = [*_registered(Kon.K, date(2023, 3, 15)),
              Handelse(Entitet.BESLUT, "B1", HandelseTyp.VERKSTALLT, date(2023, 4, 1), {}, "prov"),
              Handelse(Entitet.BESLUT, "B1", HandelseTyp.ERBJUDANDE, date(2023, 3, 20),
                       {"utfall": "tackat nej", "kandidat": "U1"}, "prov")]
    beslut_events = [e for e in events if e.entitet is Entitet.BESLUT]
    grouped = {Entitet.BESLUT: {"B1": beslut_events}, Entitet.ENSKILD: {"E1": [events[0]]}}
    if grouping == "en händelse saknas":
        grouped[Entitet.BESLUT]["B1"] = beslut_events[:2]
    elif grouping == "ingen registrering först":
        grouped[Entitet.BESLUT]["B1"] = beslut_events[1:] + beslut_events[:1]
    rows = {}
    for name, given in (("utan", None), ("med", grouped)):
        reg = open_register(tmp_path / f"{name}.sqlite")
        reg.append(events, grouped=given)
        with reg.engine.connect() as conn:
            rows[name] = (conn.execute(select(beslut_lage).order_by(beslut_lage.c.giltig_fran)).all(),
                          conn.execute(select(enskild_lage)).all())
        reg.close()
    assert rows["med"] == rows["utan"]
    assert [r.status for r in rows["utan"][0]] == ["ej verkställt", "ej verkställt", "verkställt"]


def test_a_correction_that_moves_verkstallandet_later_leaves_the_beslut_waiting_until_then(tmp_path):
    """En rättelse den 1 maj säger att beslutet verkställdes först den 1 juli. I juni står det
    alltså som ej verkställt och väntar (i listan, i antalen och i rapporten), från juli som
    verkställt. Förut stod det som verkställt i juni men räknades ändå som väntande."""
    reg = open_register(tmp_path / "r.sqlite")
    reg.append([
        *_registered(Kon.K, date(2023, 1, 10)),
        Handelse(Entitet.BESLUT, "B1", HandelseTyp.KORRIGERAD, date(2023, 5, 1),
                 {"falt": {"verkstalld_datum": {"fran": None, "till": "2023-07-01"}}}, "prov"),
    ])
    june, july = date(2023, 6, 15), date(2023, 7, 1)
    assert [(r.status, r.vantar_sedan) for r in reg.beslut_rows(june)] == [("ej verkställt", date(2023, 1, 10))]
    assert [x.status for x in reg.beslut_lagen(june)] == ["ej verkställt"]
    assert reg.count_beslut(june, status="ej-verkstallda") == {INSATSER[0]: 1}
    assert reg.waiting_beslut_ids(june, Regel().senaste_startdatum(june)) == ["B1"]
    assert [(r.status, r.vantar_sedan) for r in reg.beslut_rows(july)] == [("verkställt", None)]
    assert reg.count_beslut(july, status="verkstallda") == {INSATSER[0]: 1}
    reg.close()


def test_an_avbrott_dated_after_avslutet_opens_no_wait(tmp_path):
    """Verkställt i februari, avbrott i april, och sedan förs in att beslutet avslutades redan i
    mars. Ett avslutat beslut lämnar rapporterna: avbrottet i april öppnar ingen väntan."""
    reg = open_register(tmp_path / "r.sqlite")
    reg.append([
        *_registered(Kon.M, date(2023, 1, 10)),
        Handelse(Entitet.BESLUT, "B1", HandelseTyp.VERKSTALLT, date(2023, 2, 1), {}, "prov"),
        Handelse(Entitet.BESLUT, "B1", HandelseTyp.AVBROTT, date(2023, 4, 1), {}, "prov"),
        Handelse(Entitet.BESLUT, "B1", HandelseTyp.AVSLUTAT, date(2023, 3, 1), {"orsak": "flyttat"}, "prov"),
    ])
    day = date(2023, 9, 1)
    assert [(r.status, r.vantar_sedan) for r in reg.beslut_rows(day)] == [("avslutat", None)]
    assert reg.waiting_beslut_ids(day, Regel().senaste_startdatum(day)) == []
    reg.close()


def _matching_json(resultat) -> dict:
    data = resultat.to_json()
    data["statistik"].pop("sekunder")
    return data


def _assert_same_matching(reg, per: date, **kwargs) -> None:
    """Matchningen ur registret (kön läst direkt ur projektionens urval, `indata.read_queue`) ger
    samma resultat, tecken för tecken i JSON, som matchningen på varje hopvikt beslut."""
    import json

    from bemanning.matching.engine import match, match_register

    everything = match(reg.beslut_lagen(per), reg.uppdragstagare(per), reg.personal(per), per,
                       katalog=reg.katalog, **kwargs)
    selected = match_register(reg, per, **kwargs)
    assert _matching_json(selected) == _matching_json(everything), per
    assert selected.json_text() == json.dumps(selected.to_json(), ensure_ascii=False, indent=2)
    extra = {"sparade_forslag": 3}
    assert selected.json_text(extra) == json.dumps(selected.to_json() | extra, ensure_ascii=False, indent=2)


def test_matching_on_the_selection_equals_matching_on_every_beslut(tmp_path):
    """Matchningen läser bara de beslut den behöver (väntande och pågående uppdrag med person);
    förslagen, förklaringarna och hela JSON-texten blir desamma som när alla beslut läses."""
    from bemanning.demo import DEMO_REFERENCE, load_demo
    from bemanning.matching.settings import Settings

    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    reg = open_register(db)
    for per in (DEMO_REFERENCE, DEMO_REFERENCE - timedelta(days=200), DEMO_REFERENCE + timedelta(days=30)):
        _assert_same_matching(reg, per, settings=Settings(workers=1))
    _assert_same_matching(reg, DEMO_REFERENCE, settings=Settings(workers=1), insats="ledsag")
    reg.close()


def test_matching_on_the_ludvika_fixture_is_unchanged(tmp_path, ludvika):
    from bemanning.io.importer import import_files
    from bemanning.matching.settings import Settings

    reg = open_register(tmp_path / "ludvika.sqlite")
    import_files(reg, ludvika)
    for per in (date(2023, 12, 31), date(2024, 1, 3), date(2023, 6, 30)):
        _assert_same_matching(reg, per, settings=Settings(workers=1))
    reg.close()


def _matching_history(rng: random.Random, n_beslut: int) -> list[Handelse]:
    """Ett slumpat register för matchningen: personer, enskilda med läge och ålder, beslut med
    önskemål, och förslag, godkännanden, avvisningar, erbjudanden (med person), verkställanden,
    avbrott, återupptaganden, avslut, rättelser och ändringar av önskemålen och av den enskilde."""
    from bemanning.model.beslut import Onskemal
    from bemanning.model.resurser import Vetting
    from tests.matching.cases import pers, upp

    words = ("djur", "fiske", "musik", "spel")
    events: list[Handelse] = []
    people_ids = []
    for j in range(12):
        common = dict(x=rng.uniform(0, 20), y=rng.uniform(0, 20), kon=rng.choice(("K", "M")),
                      sprak=rng.choice(((), ("finska",), ("arabiska",))),
                      tider=tuple(sorted(rng.sample(("vardag", "kvall", "helg"), rng.randint(1, 3)))),
                      intressen=tuple(sorted(rng.sample(words, rng.randint(0, 2)))),
                      erfarenheter=("autism",) if rng.random() < 0.3 else (),
                      max_avstand_km=rng.choice((None, 8.0, 15.0)), alder_min=rng.choice((None, 18)),
                      alder_max=rng.choice((None, 70)))
        if rng.random() < 0.7:
            person = upp(f"U{j}", fodelsear=rng.randint(1950, 2000), max_uppdrag=rng.randint(1, 2),
                         timmar=float(rng.choice((8, 16))),
                         status=Vetting.GODKAND if rng.random() < 0.85 else Vetting.REFERENSER, **common)
            events.append(Handelse(Entitet.UPPDRAGSTAGARE, person.uppdragstagare_id, HandelseTyp.REGISTRERAD,
                                   START, to_record(person), "prov"))
        else:
            person = pers(f"P{j}", timmar=float(rng.choice((8, 16))), kan=rng.random() < 0.8, **common)
            events.append(Handelse(Entitet.PERSONAL, person.personal_id, HandelseTyp.REGISTRERAD, START,
                                   to_record(person), "prov"))
        people_ids.append(f"U{j}" if isinstance(person, type(upp("X"))) else f"P{j}")
    enskilda = [f"E{i}" for i in range(max(1, n_beslut // 2))]
    for person in enskilda:
        enskild = Enskild(person_id=person, kon=rng.choice([Kon.K, Kon.M]), fodelsear=rng.randint(1940, 2015),
                          x_km=rng.uniform(0, 20), y_km=rng.uniform(0, 20), omrade=rng.choice(("norr", "soder")))
        events.append(Handelse(Entitet.ENSKILD, person, HandelseTyp.REGISTRERAD, START, to_record(enskild), "prov"))
    for index in range(n_beslut):
        key = f"B{index:03d}"
        beslutsdatum = _day(rng, 300)
        sprak = rng.choice((None, "finska", "arabiska"))
        onskemal = Onskemal(kon=rng.choice((None, Kon.K, Kon.M)), kon_krav=rng.random() < 0.3, sprak=sprak,
                            sprak_krav=sprak is not None and rng.random() < 0.5,
                            intressen=tuple(rng.sample(words, rng.randint(0, 2))),
                            tider=tuple(rng.sample(("vardag", "kvall", "helg"), rng.randint(0, 2))),
                            max_avstand_km=rng.choice((None, 5.0, 12.0)),
                            sarskilda_behov=("autism",) if rng.random() < 0.15 else (),
                            undantagna=(rng.choice(people_ids),) if rng.random() < 0.15 else ())
        beslut = Beslut(beslut_id=key, person_id=rng.choice(enskilda), insats=rng.choice(INSATSER),
                        beslutsdatum=beslutsdatum, omfattning_timmar=rng.choice((None, 4.0, 8.0, 12.0)),
                        onskemal=onskemal)
        events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.REGISTRERAD, beslutsdatum, to_record(beslut), "prov"))
        later = beslutsdatum
        proposed: list[str] = []
        for _ in range(rng.randrange(7)):
            later = later + timedelta(days=rng.randrange(0, 60))
            kind = rng.choice(["forslag", "forslag", "godkant", "avvisat", "erbjudande", "verkstallt", "avbrott",
                               "aterupptaget", "avslutat", "andring", "rattelse_verkstallt", "enskild"])
            kandidat = rng.choice(proposed) if proposed and rng.random() < 0.8 else rng.choice(people_ids)
            if kind == "forslag":
                proposed.append(kandidat)
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.FORSLAG, later,
                                       {"kandidat": kandidat, "motivering": ""}, "prov"))
            elif kind in ("godkant", "avvisat"):
                typ = HandelseTyp.GODKANT if kind == "godkant" else HandelseTyp.AVVISAT
                events.append(Handelse(Entitet.BESLUT, key, typ, later, {"kandidat": kandidat}, "prov"))
            elif kind == "erbjudande":
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.ERBJUDANDE, later,
                                       {"utfall": rng.choice(["tackat nej", "accepterat"]), "kommentar": "",
                                        "kandidat": rng.choice([None, kandidat])}, "prov"))
            elif kind in ("verkstallt", "avbrott", "aterupptaget"):
                typ = {"verkstallt": HandelseTyp.VERKSTALLT, "avbrott": HandelseTyp.AVBROTT,
                       "aterupptaget": HandelseTyp.ATERUPPTAGET}[kind]
                events.append(Handelse(Entitet.BESLUT, key, typ, later, {}, "prov"))
            elif kind == "avslutat":
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.AVSLUTAT, later,
                                       {"orsak": "återtagen ansökan"}, "prov"))
            elif kind == "andring":
                field, value = rng.choice([("onskemal.sprak", rng.choice(["finska", "arabiska", None])),
                                           ("onskemal.kon", rng.choice(["K", "M", None])),
                                           ("onskemal.tider", ["helg"]), ("omfattning_timmar", 16.0),
                                           ("onskemal.undantagna", [kandidat])])
                typ = rng.choice([HandelseTyp.ANDRAD, HandelseTyp.KORRIGERAD])
                events.append(Handelse(Entitet.BESLUT, key, typ, later,
                                       {"falt": {field: {"fran": None, "till": value}}}, "prov"))
            elif kind == "rattelse_verkstallt":
                value = rng.choice([None, (later - timedelta(days=5)).isoformat()])
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.KORRIGERAD, later,
                                       {"falt": {"verkstalld_datum": {"fran": None, "till": value}}}, "prov"))
            else:
                field, value = rng.choice([("kon", rng.choice(["K", "M"])), ("x_km", rng.uniform(0, 20)),
                                           ("fodelsear", rng.randint(1940, 2015)), ("omrade", "norr")])
                events.append(Handelse(Entitet.ENSKILD, beslut.person_id, HandelseTyp.KORRIGERAD, later,
                                       {"falt": {field: {"fran": None, "till": value}}}, "prov"))
    return events


@pytest.mark.parametrize("backend,seed", [("sqlite", s) for s in range(6)] + [("postgresql", 0)])
def test_matching_from_the_projection_equals_matching_on_every_folded_beslut(register_at, backend, seed,
                                                                             monkeypatch):
    """På slumpade register med hela arbetsgången (förslag, godkännanden, avvisningar, erbjudanden
    med person, avbrott, rättelser och ändringar av önskemål och av den enskilde) är matchningen ur
    projektionens urval densamma som på varje hopvikt beslut, för många dagar och inställningar.
    JSON-texten skrivs i bitar om tre beslut och händelserna läses i bitar om sju (som i ett stort
    register om 2 000 och 5 000)."""
    from bemanning.matching.settings import Settings

    monkeypatch.setattr("bemanning.matching.engine.CHUNK_ITEMS", 3)
    monkeypatch.setattr("bemanning.matching.indata.BATCH", 7)  # ett besluts händelser över två bitar

    rng = random.Random(seed)
    reg = register_at(backend)
    events = _matching_history(rng, 40)
    beslut_first = sorted(events, key=lambda e: e.entitet is Entitet.BESLUT and e.typ is not HandelseTyp.REGISTRERAD)
    reg.append(beslut_first)
    days = [START + timedelta(days=offset) for offset in range(30, 700, 45)]
    for per in days:
        _assert_same_matching(reg, per, settings=Settings(workers=1))
    for per in days[3::4]:
        _assert_same_matching(reg, per, settings=Settings(workers=1, las_godkanda=False))
        _assert_same_matching(reg, per, settings=Settings(workers=1), insats="kontakt")
    reg.close()


@pytest.mark.parametrize("backend,seed", [("sqlite", s) for s in range(4)] + [("postgresql", 0)])
def test_the_matching_fields_built_event_by_event_equal_a_rebuild_and_the_fold(register_at, backend, seed):
    """Matchningens fält (önskemålen, timmarna, de uteslutna, förslagen, avbrottet; den enskildes
    födelseår och läge) förda händelse för händelse är desamma som efter en ombyggnad, och raden som
    gäller en dag har de fält som hopvikningen den dagen ger."""
    rng = random.Random(100 + seed)
    reg = register_at(backend)
    events = _matching_history(rng, 24)
    beslut_first = sorted(events, key=lambda e: e.entitet is Entitet.BESLUT and e.typ is not HandelseTyp.REGISTRERAD)
    for event in beslut_first:
        reg.append([event])
    _assert_a_rebuild_gives_the_same_rows(reg)
    for per in [START + timedelta(days=offset) for offset in range(0, 700, 30)]:
        with reg.engine.connect() as conn:
            stored = {r.beslut_id: {f: r._mapping[f] for f in projection.MATCHING_FIELDS}
                      for r in conn.execute(select(beslut_lage).where(projection.as_of(per)))}
        expected = {}
        for lage in reg.beslut_lagen(per):
            b = lage.beslut
            expected[lage.beslut_id] = projection.matching_fields(
                to_record(b.onskemal), b.omfattning_timmar, b.onskemal.undantagna,
                lage.forslag, lage.declined_candidates, lage.open_avbrott.datum if lage.open_avbrott else None)
        assert stored == expected, per
    reg.close()


def test_the_overview_figures_equal_those_of_every_beslut(tmp_path):
    """Översiktens siffror räknas i databasen; de är desamma som ur alla hopvikta beslut."""
    from collections import Counter

    from bemanning.demo import DEMO_REFERENCE, load_demo
    from bemanning.reports.sarskild_avgift import avgiftsrisk
    from bemanning.store.projection import VANTANDE_FORSLAG
    from tui.screens.oversikt import berakna

    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    reg = open_register(db)
    for per in (DEMO_REFERENCE, DEMO_REFERENCE - timedelta(days=200)):
        lagen = reg.beslut_lagen(per)
        oppna = [x for x in lagen if x.is_open]
        got = berakna(reg, per)
        assert got.antal_beslut == len(lagen)
        assert got.oppna == len(oppna)
        assert sorted(got.vantedagar) == sorted(x.waiting_days() for x in oppna)
        assert got.aldsta_dagar == max(x.waiting_days() for x in oppna)
        assert got.forslag == sum(1 for x in oppna for f in x.forslag if f.status in VANTANDE_FORSLAG)
        risk = avgiftsrisk(lagen, per, Regel())
        assert got.avgift_antal == len(risk.rader) and got.avgift_kan == len(risk.kan_ge_avgift)
        assert got.over_tre == len(risk.rader)
        assert got.avgift_dagar == sum(r.rad.dagar_over for r in risk.rader)
        assert got.per_insats == tuple(Counter(r.rad.beslut_om for r in risk.rader).most_common())
        units = ("HT-NORR",)
        scoped = berakna(reg, per, units)
        assert scoped.avgift_kan == len(avgiftsrisk([x for x in lagen if x.beslut.enhet in units], per,
                                                    Regel()).kan_ge_avgift)
        assert scoped.oppna == sum(1 for x in oppna if x.beslut.enhet in units) < got.oppna
    # En senareläggning som den enskilde begärt undantar beslutet (34 kap. 6 §): samma antal som
    # rapporternas egen prövning.
    from bemanning.store import recording

    per = DEMO_REFERENCE
    reported = [v.beslut_id for v, _ in rapporterade(reg.beslut_lagen(per), per, Regel())]
    before = berakna(reg, per).avgift_kan
    recording.record_senarelaggning(reg, reported[-1], per - timedelta(days=5), till=per + timedelta(days=60))
    after = berakna(reg, per)
    assert after.avgift_kan == len(avgiftsrisk(reg.beslut_lagen(per), per, Regel()).kan_ge_avgift) == before - 1
    # och rapporten om särskild avgift ur projektionen har samma rader, med undantaget
    from_projection = avgiftsrisk_ur_registret(reg, per, Regel())
    assert from_projection == avgiftsrisk(reg.beslut_lagen(per), per, Regel())
    assert sum(1 for r in from_projection.rader if r.undantagen) == 1
    reg.close()


def test_db_bygg_om_rebuilds_the_projections_from_the_events(tmp_path, capsys):
    from bemanning.cli import main
    from bemanning.demo import DEMO_REFERENCE, load_demo

    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    reg = open_register(db)
    before = _rows(reg)
    with reg.transaction() as conn:
        conn.execute(delete(beslut_lage))
    reg.close()
    assert main(["--db", str(db), "db", "bygg-om"]) == 0
    assert "70 beslut" in capsys.readouterr().out
    reg = open_register(db)
    assert _rows(reg) == before
    reg.close()


def test_a_register_from_before_the_projections_gets_them_on_first_open_with_progress(tmp_path):
    from bemanning.demo import DEMO_REFERENCE, load_demo
    from bemanning.store.schema import projektion_meta

    db = tmp_path / "demo.sqlite"
    load_demo(db, today=DEMO_REFERENCE)
    reg = open_register(db)
    before = _rows(reg)
    with reg.transaction() as conn:  # som ett register från före uppgraderingen
        conn.execute(delete(beslut_lage))
        conn.execute(delete(projektion_meta))
    reg.close()
    said: list[str] = []
    reg = open_register(db, progress=said.append)
    assert _rows(reg) == before
    assert said and said[-1] == "Bygger registrets översikt: 70 av 70 beslut"
    reg.close()
    said.clear()
    open_register(db, progress=said.append).close()
    assert said == [], "byggs bara en gång"


def _simple_history(rng: random.Random, key: str) -> list[Handelse]:
    """En historik som en import skriver: registreringen, sedan verkställt, avslutat och
    erbjudanden i valfri ordning och med valfria datum (också före beslutsdatum och samma dag)."""
    beslutsdatum = _day(rng, 300)
    from bemanning.model.beslut import Onskemal

    onskemal = Onskemal(kon=rng.choice([None, Kon.K]), kon_krav=rng.random() < 0.3, sprak=rng.choice([None, " Finska"]),
                        sprak_krav=rng.random() < 0.5, intressen=tuple(rng.sample(["Djur", "musik ", "spel"], 2)),
                        tider=rng.choice([(), ("helg",)]), max_avstand_km=rng.choice([None, 5, 7.5]),
                        undantagna=rng.choice([(), ("U2",)]))
    beslut = Beslut(beslut_id=key, person_id="E1", insats=rng.choice(INSATSER), beslutsdatum=beslutsdatum,
                    orsak=rng.choice([None, None, 1, 2, 3]), enhet=rng.choice([None, "HT-NORR"]),
                    omfattning_timmar=rng.choice([None, 6, 7.5]), onskemal=onskemal)
    events = [Handelse(Entitet.BESLUT, key, HandelseTyp.REGISTRERAD, beslutsdatum, to_record(beslut), "prov")]
    for _ in range(rng.randrange(7)):
        day = beslutsdatum + timedelta(days=rng.randrange(-10, 200))
        kind = rng.choice([HandelseTyp.ERBJUDANDE, HandelseTyp.ERBJUDANDE, HandelseTyp.VERKSTALLT,
                           HandelseTyp.AVSLUTAT])
        data: dict = {}
        if kind is HandelseTyp.ERBJUDANDE:
            # en kommentar som ser ut som ett datum är också en dag då läget kan ändras
            data = {"utfall": rng.choice(["tackat nej", "accepterat"]),
                    "kommentar": rng.choice(["", (day + timedelta(days=3)).isoformat()]),
                    "kandidat": rng.choice([None, "U1", "U2"])}
        elif kind is HandelseTyp.AVSLUTAT:
            data = {"orsak": "återtagen ansökan"}
        events.append(Handelse(Entitet.BESLUT, key, kind, day, data, "prov"))
    return events


@pytest.mark.parametrize("seed", range(3))
def test_import_histories_give_the_same_rows_as_the_fold(seed):
    """Importens historier (registrering, verkställt, avslutat, erbjudanden) räknas utan att
    vikas ihop dag för dag; raderna ska vara exakt de som hopvikningen ger."""
    rng = random.Random(seed)
    for index in range(300):
        events = _simple_history(rng, f"B{index:03d}")
        assert projection._simple_rows(events[0].nyckel, events) is not None
        points = {e.datum for e in events} | {d for e in events for d in projection._dates_in(e.data)}
        rows = projection.beslut_rows(events[0].nyckel, events)
        # samma rader som med hopvikningen för varje dag
        folded = []
        for day in sorted(p for p in points if p >= events[0].datum):
            values = projection._folded(events, day)
            if folded and all(folded[-1][f] == values[f] for f in projection._FIELDS if f in values):
                continue
            folded.append({"giltig_fran": day, **values})
        assert [{k: r[k] for k in folded[0]} for r in rows] == folded


def test_db_kontrollera_finds_an_overview_that_differs_from_the_events_and_bygg_om_mends_it(tmp_path, capsys):
    """En rad ändrad utanför programmet, ett beslut utan sina rader och en händelse införd utan sin
    översikt: `bemanning db kontrollera` nämner just de tre besluten (utan att ändra något) och slutar
    med 1; efter `db bygg-om` stämmer allt och den slutar med 0."""
    from sqlalchemy import insert, update

    from bemanning.cli import main
    from bemanning.store.schema import handelse

    path = tmp_path / "r.sqlite"
    reg = open_register(path)
    rng = random.Random(3)
    reg.append(_history(rng, 10))
    with reg.transaction() as conn:
        conn.execute(update(beslut_lage).where(beslut_lage.c.beslut_id == "B001").values(status="verkställt"))
        conn.execute(delete(beslut_lage).where(beslut_lage.c.beslut_id == "B002"))
        conn.execute(insert(handelse).values(entitet="beslut", nyckel="B003", typ="avslutat", datum=date(2025, 1, 1),
                                             registrerad=date(2025, 1, 1), kalla="sql", data='{"orsak": "flyttat"}'))
    before = _rows(reg)
    reg.close()
    assert main(["--db", str(path), "db", "kontrollera"]) == 1
    out = capsys.readouterr().out
    assert "för 3 beslut och 0 enskilda" in out and "B001, B002, B003" in out
    reg = open_register(path)
    assert _rows(reg) == before  # kontrollen ändrar inget
    reg.close()
    assert main(["--db", str(path), "db", "bygg-om"]) == 0
    assert main(["--db", str(path), "db", "kontrollera"]) == 0
    assert "stämmer med händelserna" in capsys.readouterr().out


def test_db_kontrollera_and_bygg_om_cover_the_matching_fields(tmp_path, capsys):
    """Ett ändrat önskemål på beslutets rad och ett ändrat läge på den enskildes rad (matchningens
    fält, som kön läser i stället för händelserna) hittas av `db kontrollera`; `db bygg-om` rättar dem."""
    from sqlalchemy import update

    from bemanning.cli import main

    path = tmp_path / "r.sqlite"
    reg = open_register(path)
    reg.append(_matching_history(random.Random(5), 12))
    with reg.transaction() as conn:
        conn.execute(update(beslut_lage).where(beslut_lage.c.beslut_id == "B004").values(tider='["natt"]'))
        conn.execute(update(enskild_lage).where(enskild_lage.c.person_id == "E1").values(x_km=999.0))
    reg.close()
    assert main(["--db", str(path), "db", "kontrollera"]) == 1
    out = capsys.readouterr().out
    assert "för 1 beslut och 1 enskilda" in out and "B004" in out
    assert main(["--db", str(path), "db", "bygg-om"]) == 0
    assert main(["--db", str(path), "db", "kontrollera"]) == 0
    assert "stämmer med händelserna" in capsys.readouterr().out


def test_the_first_page_of_the_beslut_list_is_read_from_an_index_without_the_table(tmp_path):
    """Listans sida (öppna beslut dag D, sorterade) läses ur indexet `ix_beslut_lage_giltig`
    utan att varje öppet beslut slås upp i tabellen (migrering 0011): frågans kostnad följer
    indexet, inte de breda raderna med matchningens fält."""
    from sqlalchemy import text
    from sqlalchemy.dialects import sqlite

    reg = open_register(tmp_path / "r.sqlite")
    try:
        reg.append(_registered(Kon.K, date(2026, 1, 5)))
        query, _reverse = projection.list_page_query(
            projection.BeslutUrval(per=date(2026, 6, 1), status="oppna"), 100)
        sql = str(query.compile(dialect=sqlite.dialect(), compile_kwargs={"literal_binds": True}))
        with reg.engine.connect() as conn:
            plan = " ".join(str(row[-1]) for row in conn.execute(text("EXPLAIN QUERY PLAN " + sql)))
            assert [r.beslut_id for r in conn.execute(text(sql))] == ["B1"]
    finally:
        reg.close()
    assert "COVERING INDEX ix_beslut_lage_giltig" in plan, plan


def _import_histories(rng: random.Random, n_beslut: int, people: list[str]) -> list[Handelse]:
    """Enkla historier som en import skriver dem (registreringen, sedan erbjudanden, verkställt
    och avslutat), för de enskilda `people`; en del erbjudanden efter kvartalens slut, en del
    beslut med en registrerad orsak, ett verkställt efter ett avslut och två verkställanden."""
    events: list[Handelse] = []
    for index in range(n_beslut):
        key = f"S{index:03d}"
        beslutsdatum = _day(rng, 400)
        beslut = Beslut(beslut_id=key, person_id=rng.choice(people), insats=rng.choice(INSATSER),
                        beslutsdatum=beslutsdatum, orsak=rng.choice([None, None, 1, 2, 3]))
        events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.REGISTRERAD, beslutsdatum, to_record(beslut), "prov"))
        later = beslutsdatum
        for _ in range(rng.randrange(5)):
            later = later + timedelta(days=rng.randrange(1, 150))
            kind = rng.choice(["erbjudande", "erbjudande", "verkstallt", "avslutat"])
            if kind == "erbjudande":
                data = {"utfall": rng.choice(["tackat nej", "accepterat"]), "kommentar": "",
                        "kandidat": rng.choice([None, "U1", "U2"])}
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.ERBJUDANDE, later, data, "prov"))
            elif kind == "verkstallt":
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.VERKSTALLT, later, {}, "prov"))
            else:
                events.append(Handelse(Entitet.BESLUT, key, HandelseTyp.AVSLUTAT, later,
                                       {"orsak": rng.choice(["återtagen ansökan", "behovet upphört"])}, "prov"))
    # registrerade i annan ordning än datumen (men beslutet före sina händelser)
    rng.shuffle(events)
    events.sort(key=lambda e: e.typ is not HandelseTyp.REGISTRERAD)
    return events


def _rows_of(result) -> list:
    return [(r.lage, _all_fields(r.rad), r.forklaring, r.dagar_fran, r.dagar_till, r.datum) for r in result.rader]


def _report_fields(lage) -> tuple:
    """Det rapporterna läser i ett läge (inte historiken; den enskildes kön, födelseår och -dag)."""
    e = lage.enskild
    return (lage.beslut.beslut_id, lage.beslut.person_id, lage.beslut.insats, lage.beslut.beslutsdatum,
            lage.beslut.orsak, lage.per, lage.erbjudanden, lage.verkstalld_datum, lage.avslutad_datum,
            lage.avslutsorsak, lage.avbrott, lage.forslag, lage.senarelaggningar, lage.motiveringar,
            (e.person_id, e.kon, e.fodelsear, e.birth_date()) if e else None)


@pytest.mark.parametrize("backend,seed", [("sqlite", s) for s in range(6)] + [("postgresql", 0), ("postgresql", 1)])
def test_the_quarter_reports_read_in_batches_equal_those_folded_from_every_beslut(register_at, backend, seed,
                                                                                 monkeypatch):
    """Kvartalsrapporterna (IVO, revisorerna, KF) läser kandidaterna i databasen och lägena i
    satser, enkla historier utan hopvikning. På slumpade historier (enkla och svåra: rättelser
    registrerade efter kvartalet men daterade före det, avbrott och återupptaganden, rättelser av
    kön, erbjudanden efter kvartalets slut) är lägena och rapporterna desamma som ur alla beslut."""
    from bemanning.store import register as register_module

    monkeypatch.setattr(register_module, "LAGEN_SATS", 3)  # många små satser
    rng = random.Random(seed)
    reg = register_at(backend)
    events = _history(rng, 12, personnummer=True)
    people = sorted({e.nyckel for e in events if e.entitet is Entitet.ENSKILD})
    simple = _import_histories(rng, 16, people)
    for event in events + simple:
        reg.append([event])
    regel = Regel()
    ids = sorted({e.nyckel for e in events + simple if e.entitet is Entitet.BESLUT})
    light = 0
    for index, day in enumerate(sorted({START + timedelta(days=offset) for offset in range(0, 900, 11)}
                                       | {e.datum for e in simple})):
        batches = list(reg.beslut_lagen_satsvis(day, ids))
        assert all(len(batch) <= 3 for batch in batches)
        batched = sorted((_report_fields(x) for batch in batches for x in batch), key=lambda f: f[0])
        assert batched == sorted((_report_fields(x) for x in reg.beslut_lagen(day)), key=lambda f: f[0]), day
        light += sum(1 for batch in batches for x in batch if not x.historik)  # byggda utan hopvikning
        lagen = reg.beslut_lagen(day)
        # återföringen, läst i satser och skriven medan den läses: samma fil (var tredje dag)
        for bara_oppna in (False, True) if index % 3 == 0 else ():
            assert aterforing_ur_registret(reg, day, regel, bara_oppna=bara_oppna) == \
                aterforing_csv(lagen, day, regel, bara_oppna=bara_oppna), day
    assert light, "enkla historier ska byggas utan hopvikning"
    # jämförelsen ur projektionens rader: samma rader och förklaringar som ur alla beslut
    days = [START + timedelta(days=offset) for offset in range(0, 900, 23)]
    for fran, till in zip(days, days[3:], strict=False):
        assert _rows_of(jamforelse_ur_registret(reg, fran, till, regel)) == \
            _rows_of(jamforelse(reg.beslut_lagen(fran), reg.beslut_lagen(till), fran, till, regel)), (fran, till)
    for year in range(START.year, START.year + 3):
        for number in range(1, 5):
            kvartal = Kvartal(year, number)
            namn = [u.namn for u in reg.uppdragstagare(kvartal.slut)] + [p.namn for p in reg.personal(kvartal.slut)]
            everything = ivo_rapport(reg.beslut_lagen(kvartal.slut), kvartal, regel, reg.katalog, namn=namn)
            from_register = ivo_ur_registret(reg, kvartal, regel, reg.katalog)
            assert from_register == everything, kvartal
            assert [r.beslut_id for r in from_register.rader] == [r.beslut_id for r in everything.rader]
            assert kvartalsstatistik(from_register) == kvartalsstatistik(everything), kvartal
            assert kvartalsstatistik_ur_registret(reg, kvartal, regel, reg.katalog) == \
                kvartalsstatistik(everything), kvartal
    reg.close()
