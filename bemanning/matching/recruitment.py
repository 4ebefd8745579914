"""Rekryteringsprofilen: vilka slags personer som skulle täcka besluten som blev utan person.

Varje beslut utan person beskriver en person som skulle passa: kön (när det är krav eller
önskemål), språk, område, tider, den enskildes ålder och särskilda behov. Profilen räknar dem
per egenskap och som hela profiler, så att nästa annons ber om rätt personer.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

import attrs

from bemanning.matching.arende import Arende
from bemanning.matching.requirements import TID_ORD
from bemanning.svenska import omrade_namn

ALDERSGRUPPER = ((0, 12, "barn 0–12 år"), (13, 17, "ungdomar 13–17 år"), (18, 25, "unga vuxna 18–25 år"),
                 (26, 64, "vuxna 26–64 år"), (65, 200, "äldre 65 år och äldre"))


def aldersgrupp(alder: int | None) -> str:
    if alder is None:
        return "okänd ålder"
    for low, high, text in ALDERSGRUPPER:
        if low <= alder <= high:
            return text
    return "okänd ålder"


@attrs.frozen
class Profil:
    kon: str  # "kvinna", "man" eller "valfritt"
    kon_krav: bool
    sprak: str | None
    sprak_krav: bool
    omrade: str
    tider: tuple[str, ...]
    aldersgrupp: str
    behov: tuple[str, ...]

    def text(self) -> str:
        parts = []
        if self.kon != "valfritt":
            parts.append(self.kon + (" (krav)" if self.kon_krav else ""))
        else:
            parts.append("kvinna eller man")
        if self.sprak:
            parts.append(f"talar {self.sprak}" + (" (krav)" if self.sprak_krav else ""))
        parts.append(f"område {omrade_namn(self.omrade)}" if self.omrade else "okänt område")
        if self.tider:
            parts.append("kan " + " eller ".join(TID_ORD.get(t, t) for t in self.tider))
        parts.append(f"för {self.aldersgrupp}")
        if self.behov:
            parts.append("erfarenhet av " + " och ".join(self.behov))
        return ", ".join(parts)


def profile_for(a: Arende) -> Profil:
    kon = "valfritt" if a.kon is None else ("kvinna" if a.kon.value == "K" else "man")
    return Profil(
        kon=kon,
        kon_krav=a.kon_krav,
        sprak=a.sprak,
        sprak_krav=a.sprak_krav,
        omrade=a.omrade or "",
        tider=tuple(t for t in ("vardag", "kvall", "helg") if t in a.tider),
        aldersgrupp=aldersgrupp(a.alder),
        behov=tuple(sorted(a.sarskilda_behov)),
    )


@attrs.frozen
class Rekryteringsprofil:
    antal: int
    kon: tuple[tuple[str, int], ...]
    sprak: tuple[tuple[str, int], ...]
    omrade: tuple[tuple[str, int], ...]
    tider: tuple[tuple[str, int], ...]
    aldrar: tuple[tuple[str, int], ...]
    behov: tuple[tuple[str, int], ...]
    profiler: tuple[tuple[Profil, int], ...]

    def lines(self) -> list[str]:
        if not self.antal:
            return ["Alla beslut i kön har fått ett förslag. Ingen rekrytering behövs just nu."]

        def fmt(items: tuple[tuple[str, int], ...]) -> str:
            return ", ".join(f"{name} {count}" for name, count in items) or "–"

        lines = [
            ("Personer som skulle täcka det enda beslutet utan person:" if self.antal == 1 else
             f"Personer som skulle täcka de {self.antal} besluten utan person:"),
            f"  Kön:        {fmt(self.kon)}",
            f"  Språk:      {fmt(self.sprak)}",
            f"  Område:     {fmt(self.omrade)}",
            f"  Tider:      {fmt(self.tider)}",
            f"  Enskildas ålder: {fmt(self.aldrar)}",
        ]
        if self.behov:
            lines.append(f"  Erfarenhet: {fmt(self.behov)}")
        lines.append("  Vanligaste profilerna:")
        for profil, count in self.profiler[:5]:
            lines.append(f"    {count} × {profil.text()}")
        return lines

    def to_json(self) -> dict[str, Any]:
        return {
            "antal": self.antal,
            "kon": dict(self.kon),
            "sprak": dict(self.sprak),
            "omrade": dict(self.omrade),
            "tider": dict(self.tider),
            "aldrar": dict(self.aldrar),
            "behov": dict(self.behov),
            "profiler": [{"profil": p.text(), "antal": n, **attrs.asdict(p)} for p, n in self.profiler],
        }


def _sorted(counter: Counter[str]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(counter.items(), key=lambda item: (-item[1], item[0])))


def recruitment_profile(unmatched: Sequence[Arende]) -> Rekryteringsprofil:
    # Besluten med samma egenskaper räknas ihop först (i C: Counter över nycklarna); profilen byggs
    # en gång per sådan grupp, i den ordning grupperna först förekommer. Åldern står i nyckeln som sin
    # åldersgrupp (räknad en gång per ålder): grupperna blir då ungefär lika många som profilerna.
    if unmatched:
        # Nycklarna i en listbyggare (fortare än attrgetter och zip över kolumner).
        age_group = {x: aldersgrupp(x) for x in {a.alder for a in unmatched}}
        keys = [(a.kon, a.kon_krav, a.sprak, a.sprak_krav, a.omrade, a.tider, age_group[a.alder], a.sarskilda_behov)
                for a in unmatched]
    else:
        keys = []
    counts = Counter(keys)
    example = dict(zip(keys, unmatched, strict=True))  # ett beslut per nyckel (alla ger samma profil)
    groups = [(example[key], count) for key, count in counts.items()]
    profiles: Counter[Profil] = Counter()
    for a, count in groups:
        profiles[profile_for(a)] += count
    kon: Counter[str] = Counter()
    sprak: Counter[str] = Counter()
    omrade: Counter[str] = Counter()
    tider: Counter[str] = Counter()
    aldrar: Counter[str] = Counter()
    behov: Counter[str] = Counter()
    for p, n in profiles.items():
        kon["kvinna eller man" if p.kon == "valfritt" else p.kon] += n
        sprak[p.sprak or "inget särskilt"] += n
        omrade[omrade_namn(p.omrade)] += n
        for t in p.tider or ("vardag", "kvall", "helg"):
            tider[TID_ORD.get(t, t)] += n
        aldrar[p.aldersgrupp] += n
        for item in p.behov:
            behov[item] += n
    ordered = sorted(profiles.items(), key=lambda item: (-item[1], item[0].text()))
    return Rekryteringsprofil(
        antal=len(unmatched),
        kon=_sorted(kon),
        sprak=_sorted(sprak),
        omrade=_sorted(omrade),
        tider=_sorted(tider),
        aldrar=_sorted(aldrar),
        behov=_sorted(behov),
        profiler=tuple(ordered),
    )
