"""Lagen efter datum: vilket lagrum som gällde en viss dag, och från vilken dag.

Den enda platsen där programmet väljer lagrum. Lydelserna är data (`data/lagrum.toml`); här
väljs den som gällde på det datum som är relevant:

- rapportens datum för texterna i rapporterna (`rapportering`, `individrapport`,
  `verkstallighet`, `statistik`, `avgift`, `undantag`, `preskription`);
- beslutets datum för en SoL-insats lagrum (`bistand`) och för avgiftens belopp (`avgiftsram`).

SoL (2001:453) gällde till och med 2025-06-30 och SoL (2025:400) från 2025-07-01; den nya
avgiftsramen gäller beslut från 2026-01-01.
"""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache
from pathlib import Path

import attrs
import tomli

from bemanning.model.errors import ValidationError
from bemanning.paths import data_dir

RAPPORTERING = "rapportering"
INDIVIDRAPPORT = "individrapport"
VERKSTALLIGHET = "verkstallighet"
STATISTIK = "statistik"
BISTAND = "bistand"
AVGIFT = "avgift"
AVGIFTSRAM = "avgiftsram"
UNDANTAG = "undantag"
PRESKRIPTION = "preskription"


def _belopp(value: int) -> str:
    return f"{value:,}".replace(",", " ")


@attrs.frozen
class Lydelse:
    """Ett lagrum som det lydde från en dag (och till dagen före nästa lydelse)."""

    regel: str
    fran: date
    kort: str
    text: str
    till: date | None = None
    min_kr: int | None = None
    max_kr: int | None = None

    def sidfot(self) -> str:
        """Hänvisningen med dagen den gäller från, till exempel för en rapports sidfot."""
        return f"{self.kort}, gäller från {self.fran.isoformat()}"

    @property
    def ram(self) -> str:
        """Avgiftsramen i kronor ("15 000–1 500 000 kr"); tom för andra regler."""
        if self.min_kr is None or self.max_kr is None:
            return ""
        return f"{_belopp(self.min_kr)}–{_belopp(self.max_kr)} kr"


@attrs.frozen
class Lagrum:
    """Alla regler med sina daterade lydelser."""

    regler: dict[str, tuple[Lydelse, ...]]

    def per(self, regel: str, day: date) -> Lydelse | None:
        """Lydelsen som gällde `day`, eller None om regeln inte gällde då."""
        try:
            versions = self.regler[regel]
        except KeyError:
            raise ValidationError("lagrum", f'regeln "{regel}" finns inte i lagrum.toml') from None
        current = None
        for item in versions:
            if item.fran <= day:
                current = item
        return current

    def krav(self, regel: str, day: date) -> Lydelse:
        """Som `per`, men regeln måste ha gällt den dagen."""
        found = self.per(regel, day)
        if found is None:
            raise ValidationError("lagrum", f'regeln "{regel}" gällde inte {day.isoformat()}')
        return found

    def galler(self, regel: str, day: date) -> bool:
        return self.per(regel, day) is not None


def load_lagrum(path: Path | None = None) -> Lagrum:
    source = path or data_dir() / "lagrum.toml"
    with open(source, "rb") as handle:
        raw = tomli.load(handle)
    regler: dict[str, tuple[Lydelse, ...]] = {}
    for regel, items in raw.items():
        ordered = sorted(items, key=lambda x: str(x["fran"]))
        versions = []
        for index, item in enumerate(ordered):
            following = ordered[index + 1]["fran"] if index + 1 < len(ordered) else None
            versions.append(
                Lydelse(
                    regel=regel,
                    fran=date.fromisoformat(str(item["fran"])),
                    kort=str(item.get("kort") or item["text"]),
                    text=str(item["text"]),
                    till=date.fromisoformat(str(following)) - timedelta(days=1) if following else None,
                    min_kr=item.get("min"),
                    max_kr=item.get("max"),
                )
            )
        regler[regel] = tuple(versions)
    return Lagrum(regler)


@lru_cache(maxsize=1)
def default_lagrum() -> Lagrum:
    return load_lagrum()


def lagrum_per(regel: str, day: date) -> Lydelse | None:
    """Lydelsen av `regel` som gällde `day` (None om regeln inte gällde då)."""
    return default_lagrum().per(regel, day)


def lagrum_krav(regel: str, day: date) -> Lydelse:
    return default_lagrum().krav(regel, day)


def sidfot(regler: tuple[str, ...] | list[str], day: date) -> str:
    """En rapports sidfot: varje regels lagrum på rapportdatum och dagen det gäller från."""
    parts = [found.sidfot() for regel in regler if (found := lagrum_per(regel, day)) is not None]
    return "Lagrum: " + "; ".join(parts) + "." if parts else ""
