"""Tal, antal och datum som svenska läsare skriver dem. Den enda platsen för ental och flertal.

- `tal(1234.5, 1)` → "1 234,5": decimalkomma, mellanslag (hårt) mellan tusental.
- `antal(1, "dag", "dagar")` → "1 dag", `antal(2, "rad", "rader")` → "2 rader",
  `antal(1, "dags", "dagars") + " frånvaro"` → "1 dags frånvaro".
- `veckodag(date)` → "mån"; `datum_kort(date)` → "mån 4/3".
"""

from __future__ import annotations

from datetime import date

#: Hårt mellanslag: ett tal bryts aldrig mitt i.
TUSENTAL = "\u00a0"

VECKODAGAR = ("måndag", "tisdag", "onsdag", "torsdag", "fredag", "lördag", "söndag")
VECKODAGAR_KORT = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")
MANADER = ("januari", "februari", "mars", "april", "maj", "juni", "juli", "augusti", "september",
           "oktober", "november", "december")


def tal(value: float | int | None, decimaler: int = 0) -> str:
    """Svenskt talformat med ett fast antal decimaler; None blir ett tankstreck."""
    if value is None:
        return "–"
    return f"{value:,.{decimaler}f}".replace(",", TUSENTAL).replace(".", ",")


def tal_kort(value: float | int) -> str:
    """Som `tal`, men utan onödiga decimaler (högst två): 3 → "3", 2.5 → "2,5"."""
    rounded = round(float(value), 2)
    if rounded.is_integer():
        return tal(int(rounded))
    decimals = 1 if round(rounded, 1) == rounded else 2
    return tal(rounded, decimals)


def procent(value: float | None, decimaler: int = 1) -> str:
    """`value` är en andel (0–1) eller redan procent (> 1)."""
    if value is None:
        return "–"
    number = value * 100 if abs(value) <= 1 else value
    return f"{tal(number, decimaler)} %"


def antal(n: int | float, en: str, flera: str) -> str:
    """Antal med rätt form: "1 dag", "2 dagar", "1 234 rader"."""
    return f"{tal_kort(n)} {en if n == 1 else flera}"


def veckodag(day: date, *, kort: bool = True) -> str:
    return (VECKODAGAR_KORT if kort else VECKODAGAR)[day.weekday()]


def datum_kort(day: date) -> str:
    """"mån 4/3": veckodag, dag och månad, som i ett schema."""
    return f"{veckodag(day)} {day.day}/{day.month}"


def datum_lang(day: date) -> str:
    """"måndag 4 mars 2024"."""
    return f"{veckodag(day, kort=False)} {day.day} {MANADER[day.month - 1]} {day.year}"


#: Områdeskoder skrivs ofta utan å, ä och ö ("soder"); så här läses de.
OMRADE_ORD = {
    "norr": "Norr", "soder": "Söder", "syd": "Syd", "oster": "Öster", "ost": "Öst", "vaster": "Väster",
    "vast": "Väst", "centrum": "Centrum", "mitt": "Mitt", "nordost": "Nordost", "nordvast": "Nordväst",
    "sydost": "Sydost", "sydvast": "Sydväst",
}


def omrade_namn(kod: str | None) -> str:
    """Områdets namn som det läses: "soder" → "Söder"; okända koder med stor bokstav först."""
    if not kod or not kod.strip():
        return "okänt"
    kod = kod.strip()
    known = OMRADE_ORD.get(kod.lower())
    if known:
        return known
    return kod[0].upper() + kod[1:] if kod.islower() else kod
