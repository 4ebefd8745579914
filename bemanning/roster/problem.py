"""The roster problem: pass types, bemanningsbehov, staff, absence, önskemål and rules.

Everything the engine needs, independent of where it came from (the register and
`data/demo/schema/`, or a Curtois & Qu benchmark file). Times are whole minutes; day 0 is
the first day of the schemaperiod; a pass belongs to the day it starts and may cross midnight.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from functools import cached_property

import attrs

MINUTES_PER_DAY = 1440
WEEKDAYS = ("mån", "tis", "ons", "tor", "fre", "lör", "sön")


def hhmm(minutes: int) -> str:
    minutes %= MINUTES_PER_DAY
    return f"{minutes // 60:02d}:{minutes % 60:02d}"


@attrs.frozen
class PassTyp:
    """A kind of pass at one enhet, e.g. HT-NORR/D 07:00–15:30 for an undersköterska."""

    pass_id: str
    enhet: str
    start: int  # minutes after midnight
    langd: int  # clock minutes from start to end (end may be on the next day)
    betald: int | None = None  # paid minutes; default the clock length
    kompetens: str | None = None  # competence required; None: anyone in the område
    natt: bool = False
    namn: str = ""

    @property
    def paid(self) -> int:
        return self.langd if self.betald is None else self.betald

    @property
    def kvall(self) -> bool:
        """An evening pass: not a night pass, ends after 19:00 (or past midnight)."""
        return not self.natt and self.start + self.langd > 19 * 60

    @property
    def tider(self) -> str:
        return f"{hhmm(self.start)}–{hhmm(self.start + self.langd)}"

    @property
    def label(self) -> str:
        return self.namn or self.pass_id

    @property
    def enhet_label(self) -> str:
        """The pass in a list over several enheter: the enhet once, then the name.

        Names read from pass.csv already start with the enhet ("HT-NORR Kväll").
        """
        label = self.label
        if not self.enhet or label.split(" ", 1)[0] == self.enhet:
            return label
        return f"{self.enhet} {label}"


@attrs.frozen
class Behov:
    """Bemanningsbehov: on `dag`, pass `pass_id` needs `antal` people (who hold its competence).

    `minst` is a hard minimum (e.g. safety staffing at night); the rest is soft: each missing
    person is obemannat and costs `vikt_under` (default from the rules, per hour).
    """

    dag: int
    pass_id: str
    antal: int
    minst: int = 0
    vikt_under: int | None = None
    vikt_over: int | None = None


@attrs.frozen
class Person:
    person_id: str
    namn: str = ""
    enhet: str = ""
    kompetenser: frozenset[str] = frozenset()
    introducerad: bool = True
    mal_minuter: int | None = None  # target in the period after absence (mått × grad × weeks)
    min_minuter: int | None = None  # hard limits; None: target ± tolerance
    max_minuter: int | None = None
    max_pass: Mapping[str, int] = attrs.field(factory=dict)  # per pass type; 0 bans it
    kontaktperson_minuter: int = 0  # kontaktperson uppdrag in the period (part of the target)
    kontaktperson_kalla: str = ""  # where those hours come from (shown in the resurspass)
    grad: float = 100.0
    onskad_grad: float | None = None
    arbetstidsmatt: float = 38.25
    max_helger: int | None = None  # overrides the rule
    max_dagar_i_rad: int | None = None
    min_dagar_i_rad: int | None = None
    min_lediga_i_rad: int | None = None

    @property
    def label(self) -> str:
        return self.namn or self.person_id

    @property
    def heltid(self) -> bool:
        return self.grad >= 100


@attrs.frozen
class Franvaro:
    person_id: str
    dag: int
    orsak: str = "frånvaro"


@attrs.frozen
class Onskemal:
    """A wish: `onskat` True wants the pass (any pass if `pass_id` is None), False wants it off."""

    person_id: str
    dag: int
    pass_id: str | None
    onskat: bool
    vikt: int = 1


@attrs.frozen
class Enhetsinfo:
    enhet_id: str
    namn: str = ""
    omrade: str = ""
    kort_dygnsvila: bool = False
    kraver_introducerad: bool = False
    dygnsbryt: int | None = 0  # AB 24: minutes after midnight where the unit's 24-hour periods begin
    dygnsbryt_vald: bool = False  # not given for the unit: chosen to fit its passes (fit_dygnsbryt)

    @property
    def label(self) -> str:
        return self.namn or self.enhet_id


@attrs.frozen
class Historik:
    """A pass worked before the period (for rest and consecutive days across the border).

    `start` is in minutes relative to the start of day 0, so it is negative.
    """

    person_id: str
    start: int
    langd: int


@attrs.define
class Regler:
    """Rule values (from `[schema]` in the settings). None switches a rule off."""

    dygnsvila_timmar: float | None = 11.0
    kort_dygnsvila_timmar: float = 9.0
    veckovila_timmar: float | None = 36.0
    veckovila_fonster: str = "kalendervecka"  # or "rullande"
    delade_turer: bool = False
    natt_max_timmar_per_dygn: float | None = 8.0
    max_dagar_i_rad: int | None = 6
    min_dagar_i_rad: int = 1
    min_lediga_i_rad: int = 1
    helg: str = "varannan"  # "varannan", "max" or "ingen"
    max_helger: int | None = None
    helg_hard: bool = True
    tolerans_timmar: float | None = None  # None: one pass (the person's longest)
    # soft weights
    obemannat_per_timme: int = 100
    overbemanning_per_timme: int = 1
    annan_enhet_per_timme: int = 2
    onskemal_vikt: int = 10
    saldo_per_timme: int = 2
    helg_mjuk_vikt: int = 50
    rattvisa_helger: int = 10
    rattvisa_natter: int = 3
    rattvisa_kvallar: int = 1
    andring_vikt: int = 500
    # explicit forbidden successions (Curtois); when set they replace clock-based dygnsvila
    forbjudna_foljder: frozenset[tuple[str, str]] | None = None

    @classmethod
    def from_settings(cls, settings: Mapping[str, object]) -> Regler:
        """Build from the `[schema]` table; unknown keys are ignored, `[schema.vikter]` merged."""
        flat: dict[str, object] = {}
        for key, value in settings.items():
            if isinstance(value, Mapping):
                flat.update(value)
            else:
                flat[key] = value
        names = {a.name for a in attrs.fields(cls)}
        kwargs = {k: v for k, v in flat.items() if k in names and k != "forbjudna_foljder"}
        for key in ("dygnsvila_timmar", "veckovila_timmar", "natt_max_timmar_per_dygn",
                    "max_dagar_i_rad", "tolerans_timmar", "max_helger"):
            if kwargs.get(key) in (0, "", "av", "ingen"):
                kwargs[key] = None
        return cls(**kwargs)


@attrs.frozen
class RosterProblem:
    dagar: int
    pass_typer: tuple[PassTyp, ...]
    behov: tuple[Behov, ...]
    personal: tuple[Person, ...]
    enheter: tuple[Enhetsinfo, ...] = ()
    franvaro: tuple[Franvaro, ...] = ()
    onskemal: tuple[Onskemal, ...] = ()
    historik: tuple[Historik, ...] = ()
    regler: Regler = attrs.field(factory=Regler)
    start: date | None = None
    startveckodag: int = 0  # weekday of day 0 (0 = Monday) when start is None
    namn: str = ""

    # -- lookups ---------------------------------------------------------------------------
    @cached_property
    def pass_index(self) -> dict[str, int]:
        return {p.pass_id: i for i, p in enumerate(self.pass_typer)}

    @cached_property
    def person_index(self) -> dict[str, int]:
        return {p.person_id: i for i, p in enumerate(self.personal)}

    @cached_property
    def enhet_map(self) -> dict[str, Enhetsinfo]:
        units = {e.enhet_id: e for e in self.enheter}
        for p in self.pass_typer:
            units.setdefault(p.enhet, Enhetsinfo(p.enhet, omrade=""))
        return units

    def pass_typ(self, pass_id: str) -> PassTyp:
        return self.pass_typer[self.pass_index[pass_id]]

    def person(self, person_id: str) -> Person:
        return self.personal[self.person_index[person_id]]

    def labels(self) -> dict[str, str]:
        """Each person's name as shown in a roster, with the id added where two people share a
        name ("Fatima Svensson (P0042)"), so that a schemaläggare can tell them apart."""
        from collections import Counter

        count = Counter(person.label for person in self.personal)
        return {person.person_id: person.label if count[person.label] == 1
                else f"{person.label} ({person.person_id})" for person in self.personal}

    def omrade_of(self, enhet: str) -> str:
        info = self.enhet_map.get(enhet)
        return info.omrade if info else ""

    @cached_property
    def franvaro_set(self) -> frozenset[tuple[str, int]]:
        return frozenset((f.person_id, f.dag) for f in self.franvaro)

    @cached_property
    def franvaro_map(self) -> dict[tuple[str, int], Franvaro]:
        return {(f.person_id, f.dag): f for f in self.franvaro}

    def weekday(self, dag: int) -> int:
        first = self.start.weekday() if self.start else self.startveckodag
        return (first + dag) % 7

    def is_weekend_day(self, dag: int) -> bool:
        return self.weekday(dag) >= 5

    def weekends(self) -> list[list[int]]:
        """The weekends in the period, each the list of its days (Saturday, Sunday) inside it."""
        result: dict[int, list[int]] = {}
        for d in range(self.dagar):
            wd = self.weekday(d)
            if wd >= 5:
                saturday = d - (wd - 5)
                result.setdefault(saturday, []).append(d)
        return [result[k] for k in sorted(result)]

    def weeks(self) -> list[list[int]]:
        """Calendar weeks (Monday–Sunday) in the period, possibly partial at the borders."""
        result: dict[int, list[int]] = {}
        for d in range(self.dagar):
            monday = d - self.weekday(d)
            result.setdefault(monday, []).append(d)
        return [result[k] for k in sorted(result)]

    def date_of(self, dag: int) -> date | None:
        return self.start + timedelta(days=dag) if self.start else None

    def day_label(self, dag: int) -> str:
        when = self.date_of(dag)
        if when is not None:
            return f"{WEEKDAYS[when.weekday()]} {when.isoformat()}"
        return f"dag {dag} ({WEEKDAYS[self.weekday(dag)]})"

    def eligible_passes(self, person: Person) -> list[int]:
        """Pass types a person may in principle be placed on: same samplaneringsområde."""
        omrade = self.omrade_of(person.enhet)
        result = []
        for i, p in enumerate(self.pass_typer):
            if omrade and self.omrade_of(p.enhet) != omrade:
                continue
            if not omrade and person.enhet and p.enhet != person.enhet and self.omrade_of(p.enhet):
                continue
            result.append(i)
        return result

    def qualified(self, person: Person, pass_typ: PassTyp) -> bool:
        return pass_typ.kompetens is None or pass_typ.kompetens in person.kompetenser

    def target_tolerance(self, person: Person) -> int:
        if self.regler.tolerans_timmar is not None:
            return round(self.regler.tolerans_timmar * 60)
        lengths = [self.pass_typer[i].paid for i in self.eligible_passes(person)
                   if self.qualified(person, self.pass_typer[i])]
        return max(lengths, default=0)

    def hour_limits(self, person: Person) -> tuple[int | None, int | None]:
        """(min, max) paid minutes of passes for the person in the period (hard)."""
        low, high = person.min_minuter, person.max_minuter
        if person.mal_minuter is not None:
            tol = self.target_tolerance(person)
            goal = person.mal_minuter - person.kontaktperson_minuter
            if low is None:
                low = max(0, goal - tol)
            if high is None:
                high = max(0, goal + tol)
        return low, high


@attrs.frozen
class Tilldelning:
    person_id: str
    dag: int
    pass_id: str


@attrs.frozen
class Schema:
    """A roster: who works which pass on which day (absence and free days are implied)."""

    tilldelningar: tuple[Tilldelning, ...]

    @classmethod
    def of(cls, items) -> Schema:
        return cls(tuple(sorted((Tilldelning(*t) if not isinstance(t, Tilldelning) else t
                                 for t in items), key=lambda t: (t.person_id, t.dag, t.pass_id))))

    def by_person(self) -> dict[str, list[Tilldelning]]:
        result: dict[str, list[Tilldelning]] = {}
        for t in self.tilldelningar:
            result.setdefault(t.person_id, []).append(t)
        return result

    def count(self, dag: int, pass_id: str) -> int:
        return sum(1 for t in self.tilldelningar if t.dag == dag and t.pass_id == pass_id)

    def as_set(self) -> frozenset[tuple[str, int, str]]:
        return frozenset((t.person_id, t.dag, t.pass_id) for t in self.tilldelningar)
