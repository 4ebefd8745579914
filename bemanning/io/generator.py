"""Syntetiska register för demo och prestandamätning, med fast frö (samma frö ger samma filer).

Inga riktiga personer: namnen är slumpade ur listor med vanliga förnamn och efternamn, och
person_id är pseudonymer (DEMO-P0001), aldrig personnummer.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from bemanning.io.exporter import csv_bytes
from bemanning.io.formats import BESLUT, ENHETER, ERBJUDANDEN, OMRADEN, PERSONAL, UPPDRAGSTAGARE
from bemanning.svenska import antal

FORNAMN_K = ["Anna", "Eva", "Maria", "Karin", "Sara", "Lena", "Emma", "Kristina", "Elin", "Ida", "Hanna",
             "Linnea", "Johanna", "Sofia", "Aino", "Leila", "Amina", "Fatima", "Malin", "Helena", "Ulla", "Birgitta"]
FORNAMN_M = ["Erik", "Lars", "Karl", "Anders", "Johan", "Per", "Nils", "Mikael", "Jonas", "Oskar", "Ali",
             "Ahmed", "Matti", "Juha", "Emil", "Gustav", "Viktor", "Olle", "Hassan", "Sven", "Björn", "David"]
EFTERNAMN = ["Andersson", "Johansson", "Karlsson", "Nilsson", "Eriksson", "Larsson", "Olsson", "Persson",
             "Svensson", "Gustafsson", "Pettersson", "Lindberg", "Berg", "Holm", "Sjöberg", "Korhonen",
             "Virtanen", "Mäkinen", "Hassan", "Ali", "Lund", "Ek", "Dahl", "Strand"]
INTRESSEN = ["friluftsliv", "musik", "fotboll", "matlagning", "konst", "djur", "spel", "bibliotek",
             "fiske", "dans", "bilar", "teater"]
SPRAK = ["finska", "arabiska", "somaliska", "engelska", "persiska"]

OMRADEN_DEMO = [("norr", "Samplaneringsområde Norr"), ("soder", "Samplaneringsområde Söder")]
ENHETER_DEMO = [
    ("HT-NORR", "Hemtjänst Norr", "norr", "hemtjänst", 22, ("underskoterska", "vardbitrade")),
    ("SB-BJORKEN", "Björkens särskilda boende", "norr", "särskilt boende", 24, ("underskoterska", "vardbitrade")),
    ("NATT", "Nattpatrullen", "norr", "nattpatrull", 10, ("underskoterska",)),
    ("HT-SODER", "Hemtjänst Söder", "soder", "hemtjänst", 20, ("underskoterska", "vardbitrade")),
    ("SB-LINDEN", "Lindens särskilda boende", "soder", "särskilt boende", 22, ("underskoterska", "vardbitrade")),
    ("LSS-ASPEN", "Gruppbostaden Aspen", "soder", "LSS gruppbostad", 11, ("stodassistent",)),
    ("LSS-ROSEN", "Gruppbostaden Rosen", "soder", "LSS gruppbostad", 11, ("stodassistent",)),
]
# AB 24: 19:00 leaves 11 h of rest inside every 24-hour period for all the demo's pass types
# (data/demo/schema/pass.csv) in every order the 11-hour gap allows; 00:00 would not (07–16).
DYGNSBRYT_DEMO = "19:00"
INSATS_MIX = [
    ("LSS – kontaktperson", 26), ("SoL – kontaktperson", 20), ("LSS – ledsagarservice", 6),
    ("LSS – avlösarservice", 4), ("Äldreboende", 4), ("Äldreboende – demens", 3),
    ("LSS – gruppbostad", 3), ("LSS – daglig verksamhet", 2), ("SoL – boendestöd", 2),
]


def _name(rng: random.Random, kon: str) -> str:
    first = rng.choice(FORNAMN_K if kon == "K" else FORNAMN_M)
    return f"{first} {rng.choice(EFTERNAMN)}"


def _point(rng: random.Random, omrade: str) -> tuple[float, float]:
    y_low = 20.0 if omrade == "norr" else 0.0
    return round(rng.uniform(0, 30), 1), round(rng.uniform(y_low, y_low + 20), 1)


def _pick(rng: random.Random, items: list[str], low: int, high: int) -> list[str]:
    return sorted(rng.sample(items, rng.randint(low, high)))


def generate(
    out_dir: Path,
    *,
    beslut: int = 70,
    uppdragstagare: int = 40,
    personal_scale: float = 1.0,
    seed: int = 2026,
    reference: date = date(2026, 11, 23),
    months: int = 18,
    closed_after_days: int | None = None,
    progress: Callable[[str], None] | None = None,
) -> dict[str, Path]:
    """Skriv omraden, enheter, personal, uppdragstagare, beslut och erbjudanden som CSV i `out_dir`."""
    rng = random.Random(seed)
    out_dir.mkdir(parents=True, exist_ok=True)
    files: dict[str, Path] = {}

    def write(name: str, header: tuple[str, ...], rows: list[list[object]]) -> None:
        path = out_dir / f"{name}.csv"
        path.write_bytes(csv_bytes(header, rows))
        files[name] = path
        if progress:
            progress(f"{path.name}: {antal(len(rows), 'rad', 'rader')}")

    write("omraden", OMRADEN.columns, [[oid, namn] for oid, namn in OMRADEN_DEMO])
    write("enheter", ENHETER.columns, [
        [eid, namn, omr, typ, "nej", "ja" if typ == "LSS gruppbostad" else "nej", DYGNSBRYT_DEMO]
        for eid, namn, omr, typ, _n, _k in ENHETER_DEMO
    ])

    staff_rows = []
    counter = 0
    for eid, _namn, omr, typ, count, komp in ENHETER_DEMO:
        for _ in range(max(1, round(count * personal_scale))):
            counter += 1
            kon = "K" if rng.random() < 0.8 else "M"
            competences = [komp[0]] if rng.random() < 0.75 else list(komp)
            if typ == "särskilt boende" and rng.random() < 0.12:
                competences = ["sjukskoterska"]
            grad = 100 if rng.random() < 0.8 else rng.choice([75, 80, 90])
            matt = 34.33 if typ == "nattpatrull" else (40.0 if typ == "hemtjänst" and rng.random() < 0.3 else 38.25)
            kan_kp = typ != "nattpatrull" and rng.random() < 0.25
            x, y = _point(rng, omr)
            staff_rows.append([
                f"P{counter:04d}", _name(rng, kon), eid, competences, matt, float(grad),
                100.0 if grad < 100 and rng.random() < 0.4 else None, kan_kp, rng.random() > 0.05,
                kon, rng.randint(1962, 2003), _pick(rng, SPRAK, 0, 1) if rng.random() < 0.3 else [],
                _pick(rng, INTRESSEN, 1, 3), ["autism"] if typ == "LSS gruppbostad" else [], x, y,
                _pick(rng, ["vardag", "kvall", "helg"], 1, 3), float(rng.choice([8, 10, 12])) if kan_kp else None,
                1, None, None, 25.0,
            ])
    write("personal", PERSONAL.columns, staff_rows)

    ut_rows = []
    for index in range(1, uppdragstagare + 1):
        kon = "K" if rng.random() < 0.6 else "M"
        omr = rng.choice(["norr", "soder"])
        x, y = _point(rng, omr)
        status = rng.choices(
            ["godkänd", "registerutdrag", "referenser", "intervju", "intresseanmälan"], [70, 8, 7, 8, 7]
        )[0]
        utdrag = reference - timedelta(days=rng.randint(20, 900)) if status == "godkänd" else None
        low = rng.choice([None, 6, 12, 18])
        ut_rows.append([
            f"U{index:04d}", _name(rng, kon), kon, rng.randint(1950, 2004),
            _pick(rng, SPRAK, 0, 1) if rng.random() < 0.35 else [], _pick(rng, INTRESSEN, 1, 4),
            ["autism"] if rng.random() < 0.2 else [], omr, x, y, _pick(rng, ["vardag", "kvall", "helg"], 1, 3),
            rng.choice([1, 1, 2, 3]), float(rng.choice([6, 8, 10, 16])), low,
            None if low is None else rng.choice([None, 30, 67, 99]), float(rng.choice([10, 15, 25, 40])),
            status, utdrag, rng.choice(["lokaltidning", "digitala medier", "informationsmöte", "tips från vän"]),
        ])
    write("uppdragstagare", UPPDRAGSTAGARE.columns, ut_rows)

    beslut_rows = []
    offer_rows = []
    labels = [label for label, weight in INSATS_MIX for _ in range(weight)]
    start = reference - timedelta(days=int(months * 30.4))
    span = (reference - start).days
    for index in range(1, beslut + 1):
        label = labels[(index - 1) % len(labels)] if beslut <= len(labels) else rng.choice(labels)
        beslutsdatum = start + timedelta(days=int(span * (rng.random() ** 0.8)))
        kon = "K" if rng.random() < 0.5 else "M"
        omr = rng.choice(["norr", "soder"])
        x, y = _point(rng, omr)
        age_days = (reference - beslutsdatum).days
        verkstalld = avslutad = None
        orsak_text = ""
        roll = rng.random()
        if closed_after_days is not None and age_days > closed_after_days:
            # Lång historik: ett beslut som är äldre än så är verkställt eller avslutat.
            roll = 0.35 * rng.random() if rng.random() < 0.85 else 0.35 + 0.07 * rng.random()
        if age_days > 30 and roll < 0.35:
            verkstalld = beslutsdatum + timedelta(days=rng.randint(14, min(age_days, 200)))
        elif age_days > 60 and roll < 0.42:
            avslutad = beslutsdatum + timedelta(days=rng.randint(30, min(age_days, 300)))
            orsak_text = rng.choice(["ansökan återtagen", "behovet upphört", "flyttat"])
        is_kp = label.endswith("kontaktperson") or "ledsagar" in label or "avlösar" in label
        fodelsear = rng.randint(1940, 2014) if is_kp else rng.randint(1930, 1960)
        finska = omr == "norr" and rng.random() < 0.15
        kon_wish = rng.choice([None, None, "K", "M"]) if is_kp else None
        beslut_rows.append([
            f"DEMO-{index:04d}", f"DEMO-P{index:04d}", kon, label, beslutsdatum, verkstalld, avslutad,
            orsak_text, None, fodelsear, ["finska"] if finska else [], omr, x, y,
            float(rng.choice([4, 6, 8, 10])) if is_kp else None, None, kon_wish,
            kon_wish is not None and rng.random() < 0.4, "finska" if finska else None, finska and rng.random() < 0.6,
            _pick(rng, INTRESSEN, 1, 3) if is_kp else [], _pick(rng, ["vardag", "kvall", "helg"], 1, 2) if is_kp else [],
            float(rng.choice([10, 15, 20, 30])) if is_kp else None,
            ["autism"] if is_kp and rng.random() < 0.12 else [], [],
        ])
        if verkstalld is None and avslutad is None and age_days > 45 and rng.random() < 0.3:
            when = beslutsdatum + timedelta(days=rng.randint(20, age_days - 5))
            offer_rows.append([f"DEMO-{index:04d}", when, "tackat nej", "", None])
    beslut_rows.sort(key=lambda row: row[4])  # type: ignore[arg-type,return-value]
    write("beslut", BESLUT.columns, beslut_rows)
    offer_rows.sort(key=lambda row: (row[1], row[0]))  # type: ignore[arg-type,return-value]
    write("erbjudanden", ERBJUDANDEN.columns, offer_rows)
    return files
