"""Guldfiler för 2026: månadsrapporten, IVO-filen och revisorernas rapport efter lagen som den står.

Kör med UPPDATERA_GULD=1 för att skriva om filerna, och läs igenom ändringen.
"""

from __future__ import annotations

import re

from bemanning.reports import manadsrapport
from bemanning.reports.ej_verkstallda import statistikrapport
from bemanning.reports.format import markdown, tabell_csv
from bemanning.reports.installningar import load_installningar
from bemanning.reports.ivo import Kvartal, ivo_rapport, ivo_tabell
from bemanning.reports.revisorer import revisorer_dokument, revisorer_varningar

from .samples import NAMN, PNR_2026, PNR_K, PNR_M, RAPPORTDATUM_2026, sample_lagen_2026
from .test_format import check_golden

K1 = Kvartal(2026, 1)
PNR = (PNR_K, PNR_M, PNR_2026)


def _no_personal_data(text: str, *, ids: bool = True) -> None:
    for pnr in PNR:
        assert pnr not in text and pnr.replace("-", "") not in text
    assert "Agnes" not in text and "Testsson" not in text and NAMN not in text
    assert "PSEUDO" not in text and "U-3" not in text
    if ids:
        assert not re.search(r"\bN-\d\b", text)


def test_golden_monthly_report_2026():
    rapport = statistikrapport(sample_lagen_2026(), RAPPORTDATUM_2026)
    text = markdown(manadsrapport.dokument(rapport, load_installningar()))
    check_golden("statistikrapport-2026-03-31.md", text.encode("utf-8"))
    assert "34 kap. 1–3 §§ socialtjänstlagen (2025:400)" in text and "2001:453" not in text
    assert "*Lagrum: 34 kap. 1–3 §§ SoL (2025:400), 28 f–28 h §§ LSS, gäller från 2025-07-01.*" in text
    _no_personal_data(text)


def test_golden_ivo_csv_2026():
    rapport = ivo_rapport(sample_lagen_2026(), K1)
    data = tabell_csv(ivo_tabell(rapport))
    check_golden("ivo-2026K1.csv", data)
    text = data.decode("utf-8-sig")
    rows = {r.beslut_id: r for r in rapport.rader}
    assert rows["N-1"].lagrum == "4 kap. 1 § socialtjänstlagen (2001:453)"
    assert rows["N-2"].lagrum == "11 kap. 1 § socialtjänstlagen (2025:400)"
    assert rows["N-2"].motivering.startswith("Ingen ledig plats på demensboende")
    assert rows["N-3"].arende_id == "" and rows["N-3"].fodelsedatum is None
    assert any(v.startswith("Beslut N-3: den enskildes födelsedatum saknas (bara födelseåret 1951") for v in rapport.varningar)
    assert "19510101" not in text and "00000000" not in text  # inget påhittat datum för N-3
    # ärende-id bär födelsedatum till IVO, men inga personnummer, namn eller interna id
    _no_personal_data(text)


def test_golden_revisorer_report_2026():
    rapport = ivo_rapport(sample_lagen_2026(), K1)
    text = markdown(revisorer_dokument(rapport, load_installningar()))
    check_golden("revisorer-2026K1.md", text.encode("utf-8"))
    _no_personal_data(text)
    # inga ärende-id (de bär hela födelsedatumet): bara kön och födelseår
    assert not re.search(r"\d{8}-T\d{3}", text) and "1952-03-14" not in text and "19520314" not in text
    assert "| 1952 |" in text and "| 1951 |" in text
    # samma skäl som i IVO-filen, och anmälan om verkställighet med dagen
    for r in rapport.rader:
        assert r.motivering in text
    assert "Anmälan om verkställighet" in text and "2026-02-16" in text
    assert "*Lagrum: 34 kap. 1 § SoL (2025:400), 28 f § LSS, gäller från 2025-07-01; " \
           "34 kap. 2 § SoL (2025:400), 28 g § LSS, gäller från 2025-07-01.*" in text
    assert revisorer_varningar(rapport) == (
        'Beslut N-4: orsaken är Annat och skälen är inte beskrivna; skriv dem med bemanning registrera '
        'motivering N-4 "…".',)


def test_kf_statistikrapport_2026_gives_the_time_since_each_beslut():
    from bemanning.reports.ivo import kf_dokument, kvartalsstatistik

    text = markdown(kf_dokument([kvartalsstatistik(ivo_rapport(sample_lagen_2026(), K1))], load_installningar()))
    assert "enligt 34 kap. 3 § socialtjänstlagen (2025:400) och 28 h § LSS" in text
    assert "| Beslut om | Lag | Besluts-datum | Avbrott | Antal dagar | Kvinna eller man |" in text
    for row in ("| LSS – kontaktperson | LSS | 2025-11-10 | ja | 141 | K |",
                "| SoL – kontaktperson | SoL | 2025-06-30 |  | 274 | K |",
                "| Äldreboende – demens | SoL | 2025-07-01 |  | 273 | M |"):
        assert row in text
    assert "*Lagrum: 34 kap. 3 § SoL (2025:400), 28 h § LSS, gäller från 2025-07-01.*" in text
    _no_personal_data(text)
