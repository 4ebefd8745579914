"""Önskemål: det som gör ett förslag bättre, vägt med vikterna i `[matchning.vikter]`.

Varje önskemål ger 0–1 poäng gånger sin vikt och gäller bara när beslutet (eller uppgifterna)
ger något att jämföra: ett beslut utan önskade intressen får inga poäng för intressen, men
förlorar inte heller några. Passformen för ett par är summan. Förklaringen listar varje
önskemål som uppfyllt eller inte, med vikt och poäng.
"""

from __future__ import annotations

import math
from datetime import date

import attrs

from bemanning.matching.arende import Arende
from bemanning.matching.candidates import Kandidat
from bemanning.matching.requirements import avstand_km, tider_text
from bemanning.matching.settings import Settings
from bemanning.model.values import format_number

NAMN = {
    "intressen": "Gemensamma intressen",
    "alder": "Ålder",
    "avstand": "Avstånd",
    "tider": "Tider",
    "sprak": "Språk",
    "kon": "Kön",
}


@attrs.frozen
class Onskemal:
    """Ett önskemål för ett par: uppfyllt eller inte, med vikt och poäng (0–1)."""

    kod: str
    namn: str
    vikt: float
    poang: float
    text: str

    @property
    def uppfyllt(self) -> bool:
        return self.poang >= 0.5

    @property
    def bidrag(self) -> float:
        return self.vikt * self.poang


def _age_diff(a: Arende, k: Kandidat, per: date) -> int | None:
    age = k.age_on(per)
    if a.alder is None or age is None:
        return None
    return abs(age - a.alder)


def evaluate(a: Arende, k: Kandidat, settings: Settings, per: date) -> list[Onskemal]:
    """Alla önskemål som gäller paret, i fast ordning."""
    w = settings.vikter
    result: list[Onskemal] = []
    if a.intressen and w["intressen"] > 0:
        shared = sorted(a.intressen & k.intressen)
        score = len(shared) / len(a.intressen)
        text = ("delar " + ", ".join(shared)) if shared else (
            "inga gemensamma intressen (önskat: " + ", ".join(sorted(a.intressen)) + ")")
        result.append(Onskemal("intressen", NAMN["intressen"], w["intressen"], score, text))
    diff = _age_diff(a, k, per)
    if diff is not None and w["alder"] > 0:
        score = max(0.0, 1.0 - diff / settings.alder_skala_ar)
        result.append(Onskemal("alder", NAMN["alder"], w["alder"], score, f"{diff} års åldersskillnad"))
    dist = avstand_km(a, k)
    if dist is not None and w["avstand"] > 0:
        score = max(0.0, 1.0 - dist / settings.avstand_skala_km)
        result.append(Onskemal("avstand", NAMN["avstand"], w["avstand"], score,
                               f"{format_number(round(dist, 1))} km bort"))
    if a.tider and w["tider"] > 0:
        common = a.tider & k.tider
        score = len(common) / len(a.tider)
        missing = a.tider - k.tider
        text = f"kan {tider_text(common)}" if common else "kan inga av de önskade tiderna"
        if missing and common:
            text += f", inte {tider_text(missing)}"
        result.append(Onskemal("tider", NAMN["tider"], w["tider"], score, text))
    if a.sprak and not a.sprak_krav and w["sprak"] > 0:
        ok = a.sprak in k.sprak
        result.append(Onskemal("sprak", NAMN["sprak"], w["sprak"], 1.0 if ok else 0.0,
                               f"talar {a.sprak}" if ok else f"talar inte {a.sprak}"))
    if a.kon is not None and not a.kon_krav and w["kon"] > 0:
        ok = k.kon == a.kon
        wished = "kvinna" if a.kon.value == "K" else "man"
        result.append(Onskemal("kon", NAMN["kon"], w["kon"], 1.0 if ok else 0.0,
                               f"är {wished} som önskat" if ok else f"önskat {wished}"))
    return result


def max_fit(a: Arende, settings: Settings) -> float:
    """Största möjliga passform för beslutet (alla önskemål som kan gälla, fullt uppfyllda)."""
    w = settings.vikter
    total = w["alder"] + w["avstand"]
    if a.intressen:
        total += w["intressen"]
    if a.tider:
        total += w["tider"]
    if a.sprak and not a.sprak_krav:
        total += w["sprak"]
    if a.kon is not None and not a.kon_krav:
        total += w["kon"]
    return total


def fit(a: Arende, k: Kandidat, settings: Settings, per: date) -> float:
    """Passformen (summan av vikt × poäng), samma tal som `evaluate` ger, utan texterna.

    Den snabba vägen för rensningen: samma formler i samma ordning som `evaluate`."""
    w = settings.vikter
    total = 0.0
    if a.intressen and w["intressen"] > 0:
        total += w["intressen"] * (len(a.intressen & k.intressen) / len(a.intressen))
    if a.alder is not None and k.fodelsear is not None and w["alder"] > 0:
        diff = abs(per.year - k.fodelsear - a.alder)
        total += w["alder"] * max(0.0, 1.0 - diff / settings.alder_skala_ar)
    if w["avstand"] > 0 and a.x_km is not None and a.y_km is not None and k.x_km is not None and k.y_km is not None:
        dist = math.hypot(a.x_km - k.x_km, a.y_km - k.y_km)
        total += w["avstand"] * max(0.0, 1.0 - dist / settings.avstand_skala_km)
    if a.tider and w["tider"] > 0:
        total += w["tider"] * (len(a.tider & k.tider) / len(a.tider))
    if a.sprak and not a.sprak_krav and w["sprak"] > 0:
        total += w["sprak"] * (1.0 if a.sprak in k.sprak else 0.0)
    if a.kon is not None and not a.kon_krav and w["kon"] > 0:
        total += w["kon"] * (1.0 if k.kon == a.kon else 0.0)
    return total


def fit_vector(a: Arende, pool, js, settings: Settings, per: date):
    """`fit` för beslutet mot personerna `js` (positioner i en `pruning.Pool`) på en gång.

    Samma formler, samma ordning på additionerna och samma flyttalsoperationer som `fit`,
    så att talen blir bit för bit lika (testerna jämför)."""
    import numpy as np

    w = settings.vikter
    total = np.zeros(len(js), dtype=np.float64)
    if a.intressen and w["intressen"] > 0:
        shared = np.bitwise_count(pool.intr_m[js] & pool.intr.mask(a.intressen)).astype(np.float64)
        total += w["intressen"] * (shared / len(a.intressen))
    if a.alder is not None and w["alder"] > 0:
        born = pool.fodelsear[js]
        diff = np.abs(per.year - born - a.alder)
        term = w["alder"] * np.maximum(0.0, 1.0 - diff / settings.alder_skala_ar)
        total += np.where(np.isnan(born), 0.0, term)
    if w["avstand"] > 0 and a.x_km is not None and a.y_km is not None:
        dist = np.hypot(a.x_km - pool.x[js], a.y_km - pool.y[js])
        term = w["avstand"] * np.maximum(0.0, 1.0 - dist / settings.avstand_skala_km)
        total += np.where(pool.has_xy[js], term, 0.0)
    if a.tider and w["tider"] > 0:
        common = np.bitwise_count(pool.tider_m[js] & pool.tider.mask(a.tider)).astype(np.float64)
        total += w["tider"] * (common / len(a.tider))
    if a.sprak and not a.sprak_krav and w["sprak"] > 0:
        ok = (pool.sprak_m[js] & pool.sprak.bit.get(a.sprak, 0)) != 0
        total += w["sprak"] * ok.astype(np.float64)
    if a.kon is not None and not a.kon_krav and w["kon"] > 0:
        ok = pool.kon[js] == pool.kon_code.get(a.kon, -2)
        total += w["kon"] * ok.astype(np.float64)
    return total


def fit_edges(cols, pool, bs, js, settings: Settings, per: date):
    """`fit_vector` för många par på en gång: beslut `bs` (rader i en `pruning.Arendekolumner`)
    mot personerna `js` (positioner i poolen). Ett önskemål som inte gäller beslutet lägger till
    0.0, som inte ändrar summan; de övriga adderas i samma ordning med samma operationer, så att
    talen blir bit för bit desamma som `fit_vector` och `fit` (testerna jämför)."""
    import numpy as np

    w = settings.vikter
    total = np.zeros(len(js), dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        if w["intressen"] > 0:
            shared = np.bitwise_count(pool.intr_m[js] & cols.intressen[bs]).astype(np.float64)
            term = w["intressen"] * (shared / cols.antal_intressen[bs])
            total += np.where(cols.har_intressen[bs], term, 0.0)
        if w["alder"] > 0:
            born = pool.fodelsear[js]
            alder = cols.alder[bs]
            diff = np.abs(per.year - born - alder)
            term = w["alder"] * np.maximum(0.0, 1.0 - diff / settings.alder_skala_ar)
            total += np.where(np.isnan(born) | np.isnan(alder), 0.0, term)
        if w["avstand"] > 0:
            dist = np.hypot(cols.x[bs] - pool.x[js], cols.y[bs] - pool.y[js])
            term = w["avstand"] * np.maximum(0.0, 1.0 - dist / settings.avstand_skala_km)
            total += np.where(pool.has_xy[js] & cols.has_xy[bs], term, 0.0)
        if w["tider"] > 0:
            common = np.bitwise_count(pool.tider_m[js] & cols.tider[bs]).astype(np.float64)
            term = w["tider"] * (common / cols.antal_tider[bs])
            total += np.where(cols.har_tider[bs], term, 0.0)
        if w["sprak"] > 0:
            ok = (pool.sprak_m[js] & cols.sprak_bit[bs]) != 0
            total += np.where(cols.onskat_sprak[bs], w["sprak"] * ok.astype(np.float64), 0.0)
        if w["kon"] > 0:
            ok = pool.kon[js] == cols.kon[bs]
            total += np.where(cols.onskat_kon[bs], w["kon"] * ok.astype(np.float64), 0.0)
    return total
