"""Krav: det som aldrig bryts. Ett par (beslut, person) som bryter ett krav når aldrig lösaren.

Varje krav har en kod, en rubrik och en mening på svenska som säger vad det kräver av personen
för just det beslutet, så att förklaringen kan säga "av dem talar 3 finska; av dem bor ingen
inom 20 km". Ordningen i `REQUIREMENTS` är ordningen i förklaringarna: först vem som får
föreslås alls, sedan beslutets egna krav, sist avstånd och kapacitet.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence

import attrs

from bemanning.matching.arende import Arende
from bemanning.matching.candidates import PERSONAL, Kandidat
from bemanning.model.values import format_number

TID_ORD = {"vardag": "vardagar", "kvall": "kvällar", "helg": "helger"}


_TIDER_TEXT: dict[frozenset[str], str] = {}


def tider_text(tider: frozenset[str] | Sequence[str]) -> str:
    if isinstance(tider, frozenset):
        found = _TIDER_TEXT.get(tider)
        if found is None:
            found = _TIDER_TEXT[tider] = _tider_text(tider)
        return found
    return _tider_text(tider)


def _tider_text(tider: frozenset[str] | Sequence[str]) -> str:
    words = [TID_ORD.get(t, t) for t in ("vardag", "kvall", "helg") if t in tider]
    if not words:
        return "alla tider"
    if len(words) == 1:
        return words[0]
    return ", ".join(words[:-1]) + " eller " + words[-1]


def max_avstand(a: Arende, k: Kandidat, standard_km: float) -> float | None:
    """Största tillåtna avstånd för paret (det minsta av bådas gränser), None = ingen gräns."""
    limits = [x for x in (a.max_avstand_km, k.max_avstand_km) if x is not None]
    if limits:
        return min(limits)
    return standard_km if standard_km > 0 else None


def avstand_km(a: Arende, k: Kandidat) -> float | None:
    if a.x_km is None or a.y_km is None or k.x_km is None or k.y_km is None:
        return None
    return math.hypot(a.x_km - k.x_km, a.y_km - k.y_km)


@attrs.frozen
class Context:
    standard_max_avstand_km: float = 40.0


@attrs.frozen
class Requirement:
    kod: str
    rubrik: str
    applies: Callable[[Arende], bool]
    ok: Callable[[Arende, Kandidat, Context], bool]
    verb: Callable[[Arende, Context], tuple[str, str]]  # ("talar", "finska")

    def phrase(self, a: Arende, ctx: Context) -> str:
        verb, rest = self.verb(a, ctx)
        return f"{verb} {rest}"


def _always(_a: Arende) -> bool:
    return True


def _ok_mojlig(_a: Arende, k: Kandidat, _c: Context) -> bool:
    return k.hinder is None


def _ok_personal(a: Arende, k: Kandidat, _c: Context) -> bool:
    return not a.bara_personal or k.typ == PERSONAL


def _ok_utesluten(a: Arende, k: Kandidat, _c: Context) -> bool:
    return a.utesluten(k.kandidat_id) is None


def _ok_kon(a: Arende, k: Kandidat, _c: Context) -> bool:
    return not a.kon_krav or k.kon == a.kon


def _ok_sprak(a: Arende, k: Kandidat, _c: Context) -> bool:
    return not a.sprak_krav or a.sprak in k.sprak


def _ok_behov(a: Arende, k: Kandidat, _c: Context) -> bool:
    return a.sarskilda_behov <= k.erfarenheter


def _ok_alder(a: Arende, k: Kandidat, _c: Context) -> bool:
    if a.alder is None:
        return True
    if k.alder_min is not None and a.alder < k.alder_min:
        return False
    return not (k.alder_max is not None and a.alder > k.alder_max)


def _ok_tider(a: Arende, k: Kandidat, _c: Context) -> bool:
    return not a.tider or not a.tider.isdisjoint(k.tider)


def _ok_avstand(a: Arende, k: Kandidat, c: Context) -> bool:
    limit = max_avstand(a, k, c.standard_max_avstand_km)
    if limit is None:
        return True
    d = avstand_km(a, k)
    return d is None or d <= limit + 1e-9


def _ok_kapacitet(a: Arende, k: Kandidat, _c: Context) -> bool:
    return k.uppdrag_kvar >= 1 and k.timmar_kvar + 1e-9 >= a.timmar


def _avstand_verb(a: Arende, c: Context) -> tuple[str, str]:
    if a.max_avstand_km is not None:
        return "bor", f"inom {format_number(a.max_avstand_km)} km (och inom sin egen gräns)"
    if c.standard_max_avstand_km > 0:
        return "bor", f"inom {format_number(c.standard_max_avstand_km)} km (eller sin egen gräns)"
    return "bor", "inom sin egen gräns för avstånd"


REQUIREMENTS: tuple[Requirement, ...] = (
    Requirement("mojlig", "Godkänd och ledig", _always, _ok_mojlig,
                lambda a, c: ("är", "godkända uppdragstagare med giltigt registerutdrag "
                                    "eller personal med lediga resurstimmar")),
    Requirement("personal", "Bara personal", lambda a: a.bara_personal, _ok_personal,
                lambda a, c: ("är", "anställd personal (insatsen utförs bara av personal)")),
    Requirement("utesluten", "Undantagen eller tackad nej till", lambda a: bool(a.uteslutna), _ok_utesluten,
                lambda a, c: ("är", "varken undantagna i beslutet, avvisade eller tackade nej till")),
    Requirement("kon", "Kön", lambda a: a.kon_krav, _ok_kon,
                lambda a, c: ("är", "kvinnor" if a.kon is not None and a.kon.value == "K" else "män")),
    Requirement("sprak", "Språk", lambda a: a.sprak_krav, _ok_sprak,
                lambda a, c: ("talar", a.sprak or "")),
    Requirement("behov", "Särskilda behov", lambda a: bool(a.sarskilda_behov), _ok_behov,
                lambda a, c: ("har", "erfarenhet av " + " och ".join(sorted(a.sarskilda_behov)))),
    Requirement("alder", "Ålder", lambda a: a.alder is not None, _ok_alder,
                lambda a, c: ("tar", f"uppdrag för en enskild som är {a.alder} år")),
    Requirement("tider", "Tider", lambda a: bool(a.tider), _ok_tider,
                lambda a, c: ("kan", tider_text(a.tider))),
    Requirement("avstand", "Avstånd", _always, _ok_avstand, _avstand_verb),
    Requirement("kapacitet", "Kapacitet", _always, _ok_kapacitet,
                lambda a, c: ("har", "plats för ett uppdrag till "
                                     f"({format_number(a.timmar)} timmar i månaden)")),
)

BY_CODE = {r.kod: r for r in REQUIREMENTS}


def applicable(a: Arende) -> list[Requirement]:
    return [r for r in REQUIREMENTS if r.applies(a)]


def feasible(a: Arende, k: Kandidat, ctx: Context) -> bool:
    """Uppfyller paret alla krav? (Den snabba vägen; samma krav som `REQUIREMENTS`.)"""
    if k.hinder is not None:
        return False
    if k.uppdrag_kvar < 1 or k.timmar_kvar + 1e-9 < a.timmar:
        return False
    if a.bara_personal and k.typ != PERSONAL:
        return False
    if a.kon_krav and k.kon != a.kon:
        return False
    if a.sprak_krav and a.sprak not in k.sprak:
        return False
    if a.tider and a.tider.isdisjoint(k.tider):
        return False
    if a.sarskilda_behov and not a.sarskilda_behov <= k.erfarenheter:
        return False
    if a.alder is not None:
        if k.alder_min is not None and a.alder < k.alder_min:
            return False
        if k.alder_max is not None and a.alder > k.alder_max:
            return False
    if a.x_km is not None and a.y_km is not None and k.x_km is not None and k.y_km is not None:
        limit = a.max_avstand_km
        if k.max_avstand_km is not None and (limit is None or k.max_avstand_km < limit):
            limit = k.max_avstand_km
        if limit is None and ctx.standard_max_avstand_km > 0:
            limit = ctx.standard_max_avstand_km
        if limit is not None:
            dx, dy = a.x_km - k.x_km, a.y_km - k.y_km
            if dx * dx + dy * dy > (limit + 1e-9) ** 2:
                return False
    return not (a.uteslutna and a.utesluten(k.kandidat_id) is not None)


def failures(a: Arende, k: Kandidat, ctx: Context) -> list[Requirement]:
    """Kraven som paret bryter, i förklaringsordning."""
    return [r for r in applicable(a) if not r.ok(a, k, ctx)]


class Kravkolumner:
    """Alla personer som kolumner, så att ett krav prövas mot alla på en gång (`ok`).

    Samma regler som `Requirement.ok` person för person. Avståndet räknas med numpy, och där det
    ligger så nära gränsen att en avrundning i sista decimalen kunde avgöra, räknas paret om med
    `_ok_avstand`, så att svaret alltid är detsamma som person för person (testerna jämför)."""

    def __init__(self, kandidater: Sequence[Kandidat]) -> None:
        import numpy as np

        self.kandidater = list(kandidater)
        n = len(self.kandidater)
        self.n = n

        def floats(values) -> np.ndarray:
            return np.fromiter((math.nan if v is None else float(v) for v in values), dtype=np.float64, count=n)

        ks = self.kandidater
        self.index: dict[str, list[int]] = {}
        for i, k in enumerate(ks):
            self.index.setdefault(k.kandidat_id, []).append(i)
        self.mojlig = np.fromiter((k.hinder is None for k in ks), dtype=bool, count=n)
        self.personal = np.fromiter((k.typ == PERSONAL for k in ks), dtype=bool, count=n)
        kon_codes: dict[object, int] = {None: -1}
        for k in ks:
            kon_codes.setdefault(k.kon, len(kon_codes))
        self.kon_codes = kon_codes
        self.kon = np.fromiter((kon_codes[k.kon] for k in ks), dtype=np.int64, count=n)
        self.alder_min = floats(k.alder_min for k in ks)
        self.alder_max = floats(k.alder_max for k in ks)
        self.x = floats(k.x_km for k in ks)
        self.y = floats(k.y_km for k in ks)
        self.has_xy = ~(np.isnan(self.x) | np.isnan(self.y))
        self.max_avstand = floats(k.max_avstand_km for k in ks)
        self.kapacitet_ok = np.fromiter((k.uppdrag_kvar >= 1 for k in ks), dtype=bool, count=n)
        self.timmar_kvar = floats(k.timmar_kvar for k in ks)
        self.all = np.ones(n, dtype=bool)
        self._sets: dict[tuple[str, object], np.ndarray] = {}
        self.memo: dict[str, object] = {}  # för den som läser: sådant som bara beror på personerna
        self._masks: dict[str, dict[object, int]] = {}
        self._prepared: dict[Context, dict[tuple[object, object, object], int]] = {}  # prepare_avstand

    def _cached(self, kind: str, key: object, test: Callable[[Kandidat], bool]):
        import numpy as np

        found = self._sets.get((kind, key))
        if found is None:
            found = self._sets[(kind, key)] = np.fromiter((test(k) for k in self.kandidater), dtype=bool,
                                                          count=self.n)
        return found

    def ok(self, kod: str, a: Arende, ctx: Context):
        """Kravet `kod` för beslutet mot varje person (en bool-vektor i personernas ordning)."""
        import numpy as np

        if kod == "mojlig":
            return self.mojlig
        if kod == "personal":
            return self.personal if a.bara_personal else self.all
        if kod == "utesluten":
            result = self.all.copy()
            for key, _reason in a.uteslutna:
                for index in self.index.get(key, ()):
                    result[index] = False
            return result
        if kod == "kon":
            return self.kon == self.kon_codes.get(a.kon, -2) if a.kon_krav else self.all
        if kod == "sprak":
            return self._cached("sprak", a.sprak, lambda k: a.sprak in k.sprak) if a.sprak_krav else self.all
        if kod == "behov":
            need = a.sarskilda_behov
            return self._cached("behov", need, lambda k: need <= k.erfarenheter)
        if kod == "alder":
            if a.alder is None:
                return self.all
            return ~(a.alder < self.alder_min) & ~(a.alder > self.alder_max)  # NaN: ingen gräns
        if kod == "tider":
            if not a.tider:
                return self.all
            tider = a.tider
            return self._cached("tider", tider, lambda k: not tider.isdisjoint(k.tider))
        if kod == "avstand":
            return self._avstand(a, ctx)
        if kod == "kapacitet":
            return self.kapacitet_ok & (self.timmar_kvar + 1e-9 >= a.timmar)
        by_code = BY_CODE[kod]
        return np.fromiter((by_code.ok(a, k, ctx) for k in self.kandidater), dtype=bool, count=self.n)

    def _avstand(self, a: Arende, ctx: Context):
        if a.x_km is None or a.y_km is None:
            return self.all
        return self._avstand_rows([a], ctx)[0]

    def _avstand_rows(self, part: Sequence[Arende], ctx: Context):
        """Avståndskravet för besluten i `part` (alla med läge) mot alla personer, en rad per beslut.
        Okänt avstånd eller ingen gräns stoppar inte; nära gränsen avgör `_ok_avstand`."""
        import numpy as np

        kmax = self.max_avstand[None, :]
        default = ctx.standard_max_avstand_km if ctx.standard_max_avstand_km > 0 else math.nan
        ax = np.array([a.x_km for a in part], dtype=np.float64)[:, None]
        ay = np.array([a.y_km for a in part], dtype=np.float64)[:, None]
        has_max = np.array([a.max_avstand_km is not None for a in part])[:, None]
        amax = np.array([math.nan if a.max_avstand_km is None else a.max_avstand_km for a in part],
                        dtype=np.float64)[:, None]
        limit = np.where(has_max, np.where(np.isnan(kmax), amax, np.minimum(kmax, amax)),
                         np.where(np.isnan(kmax), default, kmax))
        d = np.hypot(ax - self.x[None, :], ay - self.y[None, :])
        with np.errstate(invalid="ignore"):
            reach = limit + 1e-9
            result = ~(d > reach)
            close = np.argwhere(np.abs(d - reach) < 1e-6)
        for row, i in close.tolist():
            result[row, i] = _ok_avstand(part[row], self.kandidater[i], ctx)
        return result

    # -- som bitmängder (bit i = person i), för förklaringar av många beslut --------------------

    @property
    def full(self) -> int:
        return (1 << self.n) - 1

    def prepare_avstand(self, arenden: Sequence[Arende], ctx: Context, block: int = 2048) -> None:
        """Räkna `mask("avstand", a, ctx)` för många beslut på en gång, i block av beslut mot alla
        personer (`_avstand_rows`, som `_avstand` använder för ett beslut). `mask` hittar dem sedan på
        beslutets läge och gräns."""
        import numpy as np

        todo = [a for a in arenden if a.x_km is not None and a.y_km is not None]
        if not todo or not self.n:
            return
        found = self._prepared.setdefault(ctx, {})
        for start in range(0, len(todo), block):
            part = todo[start:start + block]
            rows = np.packbits(self._avstand_rows(part, ctx), axis=1, bitorder="little")
            for a, row in zip(part, rows, strict=True):
                found[(a.x_km, a.y_km, a.max_avstand_km)] = int.from_bytes(row.tobytes(), "little")

    def mask(self, kod: str, a: Arende, ctx: Context) -> int:
        """`ok` som ett heltal där bit i är satt om person i uppfyller kravet."""
        if kod == "avstand":
            prepared = self._prepared.get(ctx)
            if prepared is not None:
                value = prepared.get((a.x_km, a.y_km, a.max_avstand_km))
                if value is not None:
                    return value
            return self._as_int(self._avstand(a, ctx))
        key: object
        if kod == "mojlig":
            key = None
        elif kod == "personal":
            key = a.bara_personal
        elif kod == "utesluten":
            key = a.uteslutna
        elif kod == "kon":
            key = (a.kon_krav, a.kon)
        elif kod == "sprak":
            key = (a.sprak_krav, a.sprak)
        elif kod == "behov":
            key = a.sarskilda_behov
        elif kod == "alder":
            key = a.alder
        elif kod == "tider":
            key = a.tider
        elif kod == "kapacitet":
            key = a.timmar
        else:
            return self._as_int(self.ok(kod, a, ctx))
        masks = self._masks.setdefault(kod, {})
        found = masks.get(key)
        if found is None:
            found = masks[key] = self._as_int(self.ok(kod, a, ctx))
        return found

    @staticmethod
    def _as_int(values) -> int:
        import numpy as np

        return int.from_bytes(np.packbits(values, bitorder="little").tobytes(), "little")

    def members(self, mask: int) -> list[Kandidat]:
        """Personerna vars bitar är satta, i personernas ordning."""
        ks = self.kandidater
        result = []
        while mask:
            low = mask & -mask
            result.append(ks[low.bit_length() - 1])
            mask ^= low
        return result
