"""Rapportinställningar (`[rapport]` i `data/rapport.toml` och användarens fil) och mallen.

Standardtexten är en redigerbar fil (`data/mallar/statistikrapport.md`): kommunen skriver om
den utan att röra koden. Platshållare: $namnd, $namnd_genitiv, $datum, $regel, $lagrum.
$lagrum är rapporteringsskyldighetens lagrum som det gällde på rapportdatum, ur
`bemanning.model.lagrum` (data/lagrum.toml) – det enda stället där lagrum väljs efter datum.
"""

from __future__ import annotations

import string
from collections.abc import Mapping
from datetime import date
from pathlib import Path
from typing import Any

import attrs

from bemanning.errors import UserError
from bemanning.model.lagrum import RAPPORTERING, lagrum_krav
from bemanning.model.tremanadersregeln import Regel
from bemanning.paths import data_dir
from bemanning.reports.format.dokument import Stycke, svenskt_datum

STANDARD_TITEL = (
    "$namnd_genitiv rapport angående antal beslut om insatser som inte verkställts "
    "till och med $datum"
)
STANDARD_RUBRIK = "Statistikrapport den $datum"
PLATSHALLARE = ("namnd", "namnd_genitiv", "datum", "regel", "lagrum")


# the text keys of `[rapport]`, each with an example for the error message
TEXT_KEYS = {"namnd": "Socialnämnden", "namnd_genitiv": "Socialnämndens", "titel": "Rapport till $namnd",
             "rubrik": STANDARD_RUBRIK, "mall": "statistikrapport.md", "kommun": "Ludvika"}
REGEL_NUMBERS = {"manader": (1, 24), "dagar": (1, 730)}


def _check_types(raw: Mapping[str, Any]) -> None:
    """`namnd = 5` or `manader = "tre"` under `[rapport]` is said in Swedish with the key and
    the file, not printed into the report ("5s rapport …") or found later as an internal error."""
    from bemanning.config import user_config_path

    where = user_config_path()
    for key, example in TEXT_KEYS.items():
        value = raw.get(key)
        if value is not None and not isinstance(value, str):
            raise UserError(f'{where}: {key} under [rapport] ska vara en text inom citattecken, till exempel '
                            f'{key} = "{example}", inte {_shown(value)}.')
    regel = raw.get("regel")
    if regel is None:
        return
    if not isinstance(regel, Mapping):
        raise UserError(f"{where}: [rapport.regel] ska vara en tabell, till exempel [rapport.regel] på en egen "
                        'rad och variant = "manader" under den.')
    for key, (low, high) in REGEL_NUMBERS.items():
        value = regel.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise UserError(f"{where}: {key} under [rapport.regel] ska vara ett heltal {low}–{high} (utan "
                            f"citattecken), till exempel {key} = {3 if key == 'manader' else 90}, inte {_shown(value)}.")


def _shown(value: Any) -> str:
    """A value as it was written in the TOML file."""
    if isinstance(value, str):
        return f'"{value}"'
    return str(value).lower() if isinstance(value, bool) else str(value)


def genitiv(namn: str) -> str:
    """Svensk genitiv: "nämnden" → "nämndens"; namn på s, x eller z får inget tillägg."""
    return namn if namn[-1:].lower() in {"s", "x", "z"} else namn + "s"


@attrs.frozen
class Installningar:
    namnd: str = "Vård- och omsorgsnämnden"
    namnd_genitiv: str = ""
    titel: str = STANDARD_TITEL
    rubrik: str = STANDARD_RUBRIK
    mall: str = "statistikrapport.md"
    kommun: str = ""
    regel: Regel = attrs.field(factory=Regel)

    @classmethod
    def from_config(cls, raw: Mapping[str, Any]) -> Installningar:
        _check_types(raw)
        namnd = str(raw.get("namnd") or cls.namnd)
        return cls(
            namnd=namnd,
            namnd_genitiv=str(raw.get("namnd_genitiv") or genitiv(namnd)),
            titel=str(raw.get("titel") or STANDARD_TITEL),
            rubrik=str(raw.get("rubrik") or STANDARD_RUBRIK),
            mall=str(raw.get("mall") or "statistikrapport.md"),
            kommun=str(raw.get("kommun") or ""),
            regel=Regel.from_config(raw.get("regel")),
        )

    def lagrum_per(self, day: date) -> str:
        """Rapporteringsskyldighetens lagrum som det gällde på rapportdatum."""
        return lagrum_krav(RAPPORTERING, day).text

    def values(self, rapportdatum: date) -> dict[str, str]:
        return {
            "namnd": self.namnd,
            "namnd_genitiv": self.namnd_genitiv or genitiv(self.namnd),
            "datum": svenskt_datum(rapportdatum),
            "regel": self.regel.beskrivning(),
            "lagrum": self.lagrum_per(rapportdatum),
        }

    def fill(self, text: str, rapportdatum: date, where: str) -> str:
        try:
            return string.Template(text).substitute(self.values(rapportdatum))
        except (KeyError, ValueError) as exc:
            known = ", ".join(f"${name}" for name in PLATSHALLARE)
            raise UserError(
                f"{where}: okänd platshållare {exc}. Använd bara {known} (och $$ för ett dollartecken)."
            ) from None

    def titel_per(self, rapportdatum: date) -> str:
        return self.fill(self.titel, rapportdatum, "titel i [rapport]")

    def rubrik_per(self, rapportdatum: date) -> str:
        return self.fill(self.rubrik, rapportdatum, "rubrik i [rapport]")

    def mall_path(self) -> Path:
        path = Path(self.mall).expanduser()
        if path.is_absolute():
            return path
        return data_dir() / "mallar" / path

    def standardtext(self, rapportdatum: date) -> tuple[Stycke, ...]:
        path = self.mall_path()
        try:
            source = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise UserError(
                f"Mallen för standardtexten finns inte: {path}. Ange en befintlig fil som "
                "mall i [rapport]."
            ) from None
        return parse_mall(self.fill(source, rapportdatum, str(path)))


def parse_mall(text: str) -> tuple[Stycke, ...]:
    """Stycken åtskilda av tomma rader; `- ` inleder en punkt; `#` inleder en kommentar."""
    result: list[Stycke] = []
    current: list[str] = []
    punkt = False  # raden fortsätter en punkt

    def flush() -> None:
        if current:
            result.append(Stycke(" ".join(current), punkt=punkt))
            current.clear()

    for raw_line in text.splitlines():
        line = raw_line.strip()
        if line.startswith("#"):
            continue
        if not line:
            flush()
            punkt = False
        elif line.startswith("- "):
            flush()
            punkt = True
            current.append(line[2:].strip())
        else:
            current.append(line)
    flush()
    return tuple(result)


def load_installningar() -> Installningar:
    from bemanning.config import load_section

    return Installningar.from_config(load_section("rapport"))
