"""Rapporter-skärmen bygger revisorernas rapport ur kärnan och visar vad som saknas."""

from __future__ import annotations

from bemanning.store import open_register
from tui.screens.rapporter import SLAG, bygg


def test_revisorer_report_on_the_rapporter_screen(demo_db):
    assert ("Revisorer, kvartal (per beslut)", "revisorer") in SLAG
    reg = open_register(demo_db)
    try:
        forhand = bygg(reg, "revisorer", "2026K3", "")
        ivo = bygg(reg, "ivo", "2026K3", "")
    finally:
        reg.close()
    assert forhand.filnamn == "revisorer-2026K3"
    assert "rapport till revisorerna om ej verkställda beslut, kvartal 3 2026" in forhand.titel
    assert "Skäl till dröjsmålet" in forhand.text and "Anmälan om verkställighet" in forhand.text
    assert "Lagrum: 34 kap. 1 § SoL (2025:400)" in forhand.text.replace("\n", " ")
    # varningarna (t.ex. födelsedatum som saknas) följer med till skärmen, aldrig in i texten
    for varning in ivo.varningar:
        assert varning.startswith("Beslut ")
        assert varning not in ivo.text
