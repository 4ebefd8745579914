"""Kvartalets rapport till kommunens revisorer, per beslut (34 kap. 1–2 §§ SoL (2025:400), 28 f–28 g §§ LSS).

Revisorerna får samma uppgifter om varje beslut som IVO (beslutets datum, insats, lagrum,
erbjudanden, orsak och skälen till dröjsmålet med ord) och anmälan när ett rapporterat beslut
har verkställts, med dagen för verkställigheten. Rapporten byggs ur samma `IvoRapport` som
IVO:s, så de två kan aldrig säga olika saker.

Inga namn, personnummer eller id: inte heller IVO-stilens ärende-id, som bär hela
födelsedatumet. Den enskilde beskrivs med kön och födelseår, som i IVO:s uppgifter om individen.
Raderna numreras i rapporten.
"""

from __future__ import annotations

from bemanning.model.lagrum import INDIVIDRAPPORT, VERKSTALLIGHET, lagrum_krav, sidfot
from bemanning.reports.format import Dokument, Stycke, Tabell
from bemanning.reports.installningar import Installningar
from bemanning.reports.ivo import KATEGORI_ORDNING, IvoRapport

KOLUMNER = (
    "Nr",
    "Kategori",
    "Lag",
    "Insats",
    "Lagrum",
    "Beslutsdatum",
    "Kön",
    "Födelseår",
    "Datum för avbrott",
    "Erbjudanden",
    "Orsak (text)",
    "Skäl till dröjsmålet",
    "Verkställighetsdatum",
    "Avslutsdatum",
    "Antal dagar",
    "Första rapportering",
)
KOLUMNER_VERKSTALLIGHET = ("Nr", "Insats", "Beslutsdatum", "Datum för avbrott", "Verkställighetsdatum", "Antal dagar")


def revisorer_tabell(rapport: IvoRapport) -> Tabell:
    rows = tuple(
        (
            nr,
            r.kategori,
            r.lag,
            r.insats,
            r.lagrum,
            r.beslutsdatum,
            r.kon,
            r.fodelsear,
            r.avbrott_datum,
            r.erbjudanden,
            r.orsak_text,
            r.motivering,
            r.verkstallighetsdatum,
            r.avslutsdatum,
            r.antal_dagar,
            "ja" if r.forsta_rapportering else "nej",
        )
        for nr, r in enumerate(rapport.rader, start=1)
    )
    return Tabell(KOLUMNER, rows, rubrik="Varje beslut som inte verkställts inom tre månader.", blad="Per beslut")


def verkstallighet_tabell(rapport: IvoRapport) -> Tabell:
    rows = tuple(
        (nr, r.insats, r.beslutsdatum, r.avbrott_datum, r.verkstallighetsdatum, r.antal_dagar)
        for nr, r in enumerate(rapport.rader, start=1)
        if r.verkstallighetsdatum is not None
    )
    return Tabell(
        KOLUMNER_VERKSTALLIGHET, rows,
        rubrik="Anmälan om verkställighet: rapporterade beslut som verkställts (eller återupptagits efter "
               "avbrott) under kvartalet, med dagen för verkställigheten.",
        blad="Verkställighet",
    )


def revisorer_varningar(rapport: IvoRapport) -> tuple[str, ...]:
    """Det som saknas för revisorernas rapport (med beslut-id, till förvaltningen, aldrig i filen)."""
    saknar_ar = tuple(
        f"Beslut {r.beslut_id}: den enskildes födelseår saknas; ange det (eller personnumret) i registret "
        "och gör rapporten igen."
        for r in rapport.rader
        if r.fodelsear is None
    )
    return tuple(dict.fromkeys(saknar_ar)) + rapport.motiveringsvarningar


def revisorer_dokument(rapport: IvoRapport, installningar: Installningar) -> Dokument:
    k = rapport.kvartal
    lagrum = lagrum_krav(INDIVIDRAPPORT, k.slut)
    anmalan = lagrum_krav(VERKSTALLIGHET, k.slut)
    counts = ", ".join(f"{kategori.lower()} {rapport.antal(kategori)}" for kategori in KATEGORI_ORDNING)
    mottagare = f"{installningar.kommun}s revisorer" if installningar.kommun else "kommunens revisorer"
    verk = verkstallighet_tabell(rapport)
    delar: list = [
        Stycke(
            f"Enligt {lagrum.text} rapporteras varje gynnande beslut som inte har verkställts inom tre "
            f"månader från dagen för beslutet till {mottagare}, med samma uppgifter som till IVO: beslutets "
            "datum, vilken typ av insats det gäller och kortfattat skälen till dröjsmålet. Enligt "
            f"{anmalan.text} anmäls dagen då ett rapporterat beslut har verkställts."
        ),
        Stycke(
            f"Beslut som inte verkställts inom {installningar.regel.beskrivning()}, {k.text()}: {counts}. "
            "Rapporten innehåller inga namn, personnummer eller ärende-id; den enskilde anges med kön och "
            "födelseår."
        ),
        revisorer_tabell(rapport),
    ]
    if verk.rader:
        delar.append(verk)
    else:
        delar.append(Stycke("Inga rapporterade beslut verkställdes under kvartalet.", kursiv=True))
    delar.append(Stycke(sidfot((INDIVIDRAPPORT, VERKSTALLIGHET), k.slut), kursiv=True))
    return Dokument(
        titel=f"{installningar.namnd_genitiv} rapport till revisorerna om ej verkställda beslut, {k.text()}",
        rubrik=f"Rapport per beslut för perioden {k.period()}",
        delar=tuple(delar),
        forfattare=installningar.namnd,
        datum=k.slut,
    )
