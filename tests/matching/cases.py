"""Små handgjorda fall för matchningen: beslut, enskilda och personer som modellobjekt."""

from __future__ import annotations

from datetime import date, timedelta

from bemanning.matching.settings import Settings
from bemanning.model.beslut import Beslut, Onskemal
from bemanning.model.beslutslage import BeslutLage, fold_beslut
from bemanning.model.enskild import Enskild
from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
from bemanning.model.resurser import Personal, Uppdragstagare, Vetting
from bemanning.model.values import Kon

PER = date(2024, 3, 1)
KONTAKTPERSON = "SoL – kontaktperson"


def enskild(pid: str, *, kon: str = "M", fodelsear: int = 1990, x: float = 0.0, y: float = 0.0,
            omrade: str = "norr") -> Enskild:
    return Enskild(person_id=pid, kon=Kon(kon), fodelsear=fodelsear, x_km=x, y_km=y, omrade=omrade)


def lage(bid: str, *, dagar: int, per: date = PER, insats: str = KONTAKTPERSON, x: float = 0.0,
         y: float = 0.0, fodelsear: int = 1990, timmar: float | None = 8, events: list[Handelse] | None = None,
         **onskemal) -> BeslutLage:
    """Ett öppet beslut som väntat `dagar` dagar per `per`, med önskemål som nyckelord."""
    beslut = Beslut(beslut_id=bid, person_id=f"P-{bid}", insats=insats,
                    beslutsdatum=per - timedelta(days=dagar), omfattning_timmar=timmar,
                    onskemal=Onskemal(**onskemal))
    person = enskild(f"P-{bid}", fodelsear=fodelsear, x=x, y=y)
    if events:
        from bemanning.model.serialize import to_record

        reg = Handelse(Entitet.BESLUT, bid, HandelseTyp.REGISTRERAD, beslut.beslutsdatum, to_record(beslut))
        result = fold_beslut([reg, *events], person, per)
        assert result is not None
        return result
    return BeslutLage(beslut=beslut, enskild=person, per=per)


def upp(uid: str, *, kon: str = "K", x: float = 0.0, y: float = 0.0, fodelsear: int = 1985,
        status: Vetting = Vetting.GODKAND, utdrag: date | None = date(2024, 1, 1), max_uppdrag: int = 1,
        timmar: float = 10, **kw) -> Uppdragstagare:
    return Uppdragstagare(uppdragstagare_id=uid, namn=f"Namn {uid}", kon=Kon(kon), fodelsear=fodelsear,
                          x_km=x, y_km=y, status=status, registerutdrag_datum=utdrag,
                          max_uppdrag=max_uppdrag, max_timmar_per_manad=timmar, **kw)


def pers(pid: str, *, timmar: float | None = 10, kan: bool = True, kon: str = "K", x: float = 0.0,
         y: float = 0.0, **kw) -> Personal:
    return Personal(personal_id=pid, namn=f"Namn {pid}", enhet="HT", kan_kontaktperson=kan,
                    resurstimmar_per_manad=timmar, kon=Kon(kon), fodelsear=1980, x_km=x, y_km=y, **kw)


def settings(**kw) -> Settings:
    base = Settings(workers=1)
    import attrs

    return attrs.evolve(base, **kw)


def ev(bid: str, typ: HandelseTyp, dag: date, **data) -> Handelse:
    return Handelse(Entitet.BESLUT, bid, typ, dag, data)
