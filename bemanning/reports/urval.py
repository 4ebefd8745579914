"""Vilka beslut en rapport behöver, valda i databasen.

Månadens statistikrapport och jämförelsen mellan två rapportdagar tar bara med beslut som väntar
på rapportdagen med en väntetid äldre än tremånadersregelns gräns. Registrets projektion svarar på
det med en intervallfråga, och bara de besluten viks ihop: rapporten kostar så mycket som den är
lång, inte så mycket som historiken. Rapporten räknas sedan precis som förut ur lägena, så urvalet
kan aldrig ändra en siffra (det prövas av tests/store/test_projection.py).
"""

from __future__ import annotations

from datetime import date

from bemanning.model.beslutslage import BeslutLage
from bemanning.model.tremanadersregeln import Regel
from bemanning.store import Register


def lagen_for_statistik(reg: Register, rapportdatum: date, regel: Regel) -> list[BeslutLage]:
    """Besluten som kan stå i statistikrapporten vid `rapportdatum`, som de stod den dagen."""
    ids = reg.waiting_beslut_ids(rapportdatum, regel.senaste_startdatum(rapportdatum))
    return reg.beslut_lagen(rapportdatum, ids=ids)
