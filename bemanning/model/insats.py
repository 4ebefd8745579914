"""Insatskatalogen: kanoniska benämningar, lag, vem som utför, matchbarhet och alias.

Katalogen är data (`data/insatser.toml`), inte kod; kommunen lägger till egna alias där.
Normaliseringen bortser från sorts streck (-, –, —), blanksteg runt strecket och versaler.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from pathlib import Path

import attrs
import tomli

from bemanning.model.errors import ValidationError
from bemanning.model.lagrum import BISTAND, lagrum_per
from bemanning.paths import data_dir

_DASHES = re.compile(r"\s*[-–—‐‑]\s*")
_SPACES = re.compile(r"\s+")


@lru_cache(maxsize=4096)  # rapporterna slår upp samma få insatser för varje rad
def normalize_label(text: str) -> str:
    """Nyckel för jämförelse: små bokstäver, ett streck utan blanksteg, enkla blanksteg."""
    value = _SPACES.sub(" ", text.strip().lower())
    return _DASHES.sub("-", value)


@attrs.frozen
class Lagrum:
    fran: date
    text: str


@attrs.frozen
class Insats:
    namn: str
    lag: str
    paragraf: str = ""
    utfors_av: str = ""
    matchbar: str = "nej"  # "ja", "personal" eller "nej"
    alias: tuple[str, ...] = ()
    lagrum: tuple[Lagrum, ...] = ()
    #: En regel i `data/lagrum.toml` (t.ex. "bistand") som ger lagrummet efter beslutets datum.
    #: En SoL-insats utan egna lagrum får "bistand".
    lagrum_regel: str = ""

    @property
    def is_matchable(self) -> bool:
        return self.matchbar in {"ja", "personal"}

    @property
    def staff_only(self) -> bool:
        return self.matchbar == "personal"

    @property
    def is_kontaktperson(self) -> bool:
        return normalize_label(self.namn).endswith("kontaktperson")

    def lagrum_per(self, day: date) -> str:
        """Lagrummet för ett beslut fattat `day` (beslutets datum väljer lydelsen)."""
        current = ""
        for item in sorted(self.lagrum, key=lambda x: x.fran):
            if item.fran <= day:
                current = item.text
        if current:
            return current
        regel = self.lagrum_regel or (BISTAND if self.lag == "SoL" else "")
        if regel:
            found = lagrum_per(regel, day)
            if found is not None:
                return found.text
        return f"{self.paragraf} {self.lag}".strip() if self.paragraf else self.lag


@attrs.frozen
class Katalog:
    insatser: tuple[Insats, ...]
    _index: dict[str, Insats] = attrs.field(factory=dict, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        for insats in self.insatser:
            for label in (insats.namn, *insats.alias):
                key = normalize_label(label)
                other = self._index.get(key)
                if other is not None and other.namn != insats.namn:
                    raise ValidationError(
                        "alias", f'"{label}" pekar på både "{other.namn}" och "{insats.namn}"'
                    )
                self._index[key] = insats

    def find(self, label: str) -> Insats | None:
        return self._index.get(normalize_label(label))

    def resolve(self, label: str, field: str = "insats") -> Insats:
        """Den kanoniska insatsen för en benämning; okänd benämning är ett fel, aldrig en ny insats."""
        insats = self.find(label)
        if insats is None:
            raise ValidationError(
                field,
                f'"{label}" finns inte i insatskatalogen; skriv en känd insats '
                "(till exempel \"LSS – kontaktperson\") eller lägg till ett alias i insatser.toml",
            )
        return insats

    def get(self, namn: str) -> Insats:
        return self.resolve(namn)

    @property
    def names(self) -> list[str]:
        return [i.namn for i in self.insatser]


def load_katalog(path: Path | None = None) -> Katalog:
    source = path or data_dir() / "insatser.toml"
    with open(source, "rb") as handle:
        raw = tomli.load(handle)
    insatser = []
    for item in raw.get("insats", []):
        insatser.append(
            Insats(
                namn=item["namn"],
                lag=item["lag"],
                paragraf=item.get("paragraf", ""),
                utfors_av=item.get("utfors_av", ""),
                matchbar=item.get("matchbar", "nej"),
                alias=tuple(item.get("alias", ())),
                lagrum=tuple(
                    Lagrum(fran=date.fromisoformat(str(x["fran"])), text=x["text"])
                    for x in item.get("lagrum", ())
                    if not isinstance(item.get("lagrum"), str)
                ),
                lagrum_regel=item["lagrum"] if isinstance(item.get("lagrum"), str) else "",
            )
        )
    return Katalog(tuple(insatser))


@lru_cache(maxsize=1)
def default_katalog() -> Katalog:
    return load_katalog()
