"""Värden i meddelanden: utan personnummer, med osynliga tecken utskrivna och kapade till en
bestämd längd.

Ett meddelande om en felaktig fil visar vad som stod i cellen, men aldrig ett personnummer (hur
det än skrivs: med eller utan bindestreck eller mellanslag, tio eller tolv siffror), aldrig mer än
`SHOWN_MAX` tecken och aldrig råa styrtecken (ESC och BEL skulle annars nå terminalen).
"""

from __future__ import annotations

import re
import unicodedata

#: Högst så många tecken av ett värde visas i ett meddelande.
SHOWN_MAX = 40

#: Det som står i stället för ett personnummer i alla meddelanden.
PNR_MASK = "[personnummer]"

# Tio eller tolv siffror, med eller utan -, + eller mellanslag före de fyra sista.
_PNR = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+ ]?[0-9]{4}(?![0-9])")

_NAMES = {
    "\u0000": "NUL-tecken",
    "\u0007": "klocktecken (BEL)",
    "\u0008": "backsteg",
    "\u0009": "tabb",
    "\u000a": "radbrytning",
    "\u000b": "vertikal tabb",
    "\u000c": "sidbrytning",
    "\u000d": "vagnretur (CR)",
    "\u001b": "escape-tecken (ESC)",
    "\u007f": "raderingstecken (DEL)",
    "\u00a0": "hårt mellanslag",
    "\u00ad": "mjukt bindestreck",
    "\u034f": "osynligt sammanfogningstecken",
    "\u061c": "arabisk riktningsmarkering",
    "\u115f": "osynlig hangul-utfyllnad",
    "\u1160": "osynlig hangul-utfyllnad",
    "\u180e": "mongoliskt vokalavskiljare",
    "\u200b": "nollbreddsmellanslag",
    "\u200c": "nollbredds icke-sammanfogare",
    "\u200d": "nollbreddssammanfogare",
    "\u200e": "vänster-till-höger-markering",
    "\u200f": "höger-till-vänster-markering",
    "\u2028": "radavskiljare",
    "\u2029": "styckeavskiljare",
    "\u202f": "smalt hårt mellanslag",
    "\u2060": "ordsammanfogare",
    "\u3000": "brett mellanslag",
    "\u3164": "osynlig hangul-utfyllnad",
    "\ufeff": "byteordningsmärke (BOM)",
    "\ufffd": "ersättningstecken (en byte som inte gick att läsa)",
}


def is_invisible(char: str) -> bool:
    """Styrtecken, formattecken, avskiljare och andra tecken som inte syns eller ser ut som
    ett vanligt mellanslag (men är något annat)."""
    if char == " ":
        return False
    if char in _NAMES:
        return True
    category = unicodedata.category(char)
    return category in ("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp", "Zs")


def char_name(char: str) -> str:
    """`U+200B nollbreddsmellanslag`: kodpunkten och ett svenskt namn."""
    code = f"U+{ord(char):04X}"
    name = _NAMES.get(char)
    if name is None:
        category = unicodedata.category(char)
        name = {"Cc": "styrtecken", "Zs": "mellanslagstecken"}.get(category, "osynligt tecken")
    return f"{code} {name}"


def first_invisible(text: str) -> str | None:
    return next((c for c in text if is_invisible(c)), None)


def mask_personnummer(text: str) -> str:
    """Allt som ser ut som ett personnummer blir `[personnummer]`."""
    return _PNR.sub(PNR_MASK, text)


def escape_invisible(text: str) -> str:
    """Osynliga tecken och styrtecken som `\\u200b`, `\\x1b`, så att de syns och aldrig styr terminalen."""
    out = []
    for char in text:
        if is_invisible(char):
            code = ord(char)
            out.append(f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}")
        else:
            out.append(char)
    return "".join(out)


def shown(text: str, limit: int = SHOWN_MAX) -> str:
    """Ett värde som det får visas i ett meddelande: maskat, med synliga styrtecken, kapat."""
    value = escape_invisible(mask_personnummer(text))
    if len(value) > limit:
        return f"{value[:limit]}… ({len(text)} tecken)"
    return value


_LONG_QUOTE = re.compile('"([^"]{' + str(SHOWN_MAX + 30) + ',})"')


def safe_message(text: str) -> str:
    """Sista skyddet för ett helt meddelande: inga personnummer, inga råa styrtecken
    (radbrytningar mellan meddelandets rader behålls) och inga långa citat."""
    lines = []
    for line in text.split("\n"):
        line = _LONG_QUOTE.sub(lambda m: '"' + shown(m.group(1)) + '"', mask_personnummer(line))
        lines.append(escape_invisible(line))
    return "\n".join(lines)


def safe_line(text: str) -> str:
    """Som `safe_message`, men för en rad: en radbrytning i ett citerat värde visas som \\x0a."""
    line = _LONG_QUOTE.sub(lambda m: '"' + shown(m.group(1)) + '"', mask_personnummer(text))
    return escape_invisible(line)
