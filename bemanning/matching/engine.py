"""Matchningen från början till slut: kö → kandidater → rensning → lösare → förklaringar.

`match(...)` arbetar på modellobjekt (beslutslägen, uppdragstagare, personal) och rör inte
registret; `match_register(...)` läser dem ur registret. Resultatet är samma för samma indata.
"""

from __future__ import annotations

import logging
import operator
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from itertools import islice
from operator import attrgetter
from typing import Any, NamedTuple

import attrs
import numpy as np

from bemanning.errors import Cancelled
from bemanning.matching import jsontext
from bemanning.matching.arende import Arende, Ko, Lasning, build_queue
from bemanning.matching.candidates import Kandidat, build_kandidater
from bemanning.matching.explain import (
    Forklarare,
    Forklaring,
    proposal_text,
)
from bemanning.matching.preferences import Onskemal, evaluate, fit, fit_edges, fit_vector, max_fit
from bemanning.matching.pruning import Arendekolumner, Pool, feasible_block, feasible_positions
from bemanning.matching.recruitment import Rekryteringsprofil, recruitment_profile
from bemanning.matching.requirements import Context
from bemanning.matching.settings import Settings
from bemanning.matching.solver import Losning, MatchingProblem, solve
from bemanning.memory import without_gc  # noqa: F401 - också här, som förut
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.insats import Katalog, default_katalog
from bemanning.model.resurser import Personal, Uppdragstagare
from bemanning.model.tremanadersregeln import Regel

log = logging.getLogger("bemanning.matching")

Progress = Callable[[str, float | None], None]
Cancel = Callable[[], bool]


@attrs.frozen
class Forslag:
    arende: Arende
    kandidat: Kandidat
    onskemal: tuple[Onskemal, ...]
    passform: float  # summan av vikt × poäng
    passform_max: float
    samma_som_forut: bool

    @property
    def beslut_id(self) -> str:
        return self.arende.beslut_id

    @property
    def motivering(self) -> str:
        return proposal_text(self.onskemal)


class UtanPerson(NamedTuple):
    """Ett beslut som blev utan person, och varför. En namngiven tupel: de är tiotusentals."""

    arende: Arende
    forklaring: Forklaring

    @property
    def beslut_id(self) -> str:
        return self.arende.beslut_id


@attrs.frozen
class Resultat:
    per: date
    forslag: tuple[Forslag, ...]
    utan_person: tuple[UtanPerson, ...]
    lasta: tuple[Lasning, ...]
    rekrytering: Rekryteringsprofil
    losning: Losning
    antal_kandidater: int
    antal_mojliga: int
    antal_par: int
    hoppade_over: int
    sekunder: float
    # JSON-texten för förklaringar som redan kodats (`_utan_texts`: per förklaringens id, och de
    # texter de delar), ifylld medan lösaren arbetar (`match_queue(..., prepare_json=True)`). Bara ett
    # förråd: texten blir densamma med och utan. Inte ett argument (`attrs.evolve` ger ett tomt): id:n
    # gäller bara förklaringarna i just det här resultatet.
    json_memo: dict[int, Any] = attrs.field(factory=dict, init=False, eq=False, repr=False)

    def to_json(self) -> dict[str, Any]:
        data = self.to_json_head()
        data["forslag"] = [_forslag_json(f) for f in self.forslag]
        data["utan_person"] = [_utan_json(u) for u in self.utan_person]
        return data

    def json_text(self, extra: dict[str, Any] | None = None) -> str:
        """`json.dumps(self.to_json() | extra, ensure_ascii=False, indent=2)`, tecken för tecken,
        men byggd så att en förklaring som delas av många beslut kodas en gång."""
        return b"".join(self.json_bytes(extra)).decode()

    def json_chunks(self, extra: dict[str, Any] | None = None) -> Iterator[str]:
        """`json_text` i bitar (några tusen beslut i taget), för att skriva utan att hela texten
        finns i minnet på en gång."""
        for chunk in self.json_bytes(extra):
            yield chunk.decode()

    def json_bytes(self, extra: dict[str, Any] | None = None) -> Iterator[bytes]:
        """`json_text` i UTF-8, i bitar. Texten byggs som bytes: en förklaring som delas av många
        beslut kodas till UTF-8 en gång, och hela texten (50 MB på 100 000 beslut) behöver inte
        kodas om när den skrivs."""
        from bemanning.matching import jsontext

        data = self.to_json_head()
        if extra:
            data.update(extra)
        yield b"{"
        first = True
        for key, value in data.items():
            yield (("" if first else ",") + jsontext.newline(1) + jsontext.key_text(key) + ": ").encode()
            first = False
            if key in ("forslag", "utan_person"):
                items = self.forslag if key == "forslag" else self.utan_person
                if not items:
                    yield b"[]"
                    continue
                texts = _forslag_texts if key == "forslag" else _utan_texts
                # Förklaringarna lever lika länge som resultatet, så deras texter (nycklade på id) kan
                # sparas i det mellan anropen.
                yield from _list_chunks(items, texts, 0, len(items), self.json_memo)
                yield (jsontext.newline(1) + "]").encode()
            else:
                yield jsontext.dumps(value, 1).encode()
        yield (jsontext.newline(0) + "}").encode()

    def to_json_head(self) -> dict[str, Any]:
        """`to_json()` utan listorna över förslag och beslut utan person (de står som None)."""
        return {
            "per": self.per.isoformat(),
            "forslag": None,
            "utan_person": None,
            "redan_bestamda": [attrs.asdict(x) for x in self.lasta],
            "rekrytering": self.rekrytering.to_json(),
            "statistik": {
                "beslut_i_kon": len(self.forslag) + len(self.utan_person),
                "med_forslag": len(self.forslag),
                "utan_person": len(self.utan_person),
                "personer": self.antal_kandidater,
                "personer_som_far_foreslas": self.antal_mojliga,
                "tillatna_par": self.antal_par,
                "sekunder": round(self.sekunder, 3),
                **self.losning.summary(),
            },
        }


#: Så många beslut skrivs i varje bit av JSON-texten.
CHUNK_ITEMS = 2000

def _list_chunks(items: Sequence[Any], texts: Callable[..., bytes], begin: int, end: int,
                 tails: dict[int, Any]) -> Iterator[bytes]:
    """Listans element `begin`..`end` (på gränser mellan bitar) som JSON-text på nivå 2 i UTF-8, bit
    för bit: "[" före det första elementet i listan, "," före de andra."""
    from bemanning.matching import jsontext

    inner = jsontext.newline(2).encode()
    for start in range(begin, end, CHUNK_ITEMS):
        chunk = items[start:min(end, start + CHUNK_ITEMS)]
        yield (b"[" if start == 0 else b",") + inner
        yield texts(chunk) if texts is _forslag_texts else texts(chunk, tails)


def _forslag_texts(items: Sequence[Forslag]) -> bytes:
    """Förslagen som JSON på nivå 2, åtskilda som i en lista (utan "[" och "]"), i UTF-8."""
    from bemanning.matching import jsontext

    return ("," + jsontext.newline(2)).join([jsontext.dumps(_forslag_json(f), 2) for f in items]).encode()


def _utan_texts(items: Sequence[UtanPerson], tails: dict[int, Any] | None = None) -> bytes:
    """Besluten utan person som JSON på nivå 2, åtskilda som i en lista (utan "[" och "]"), i UTF-8:
    beslutets fält, och förklaringens fält kodade en gång per förklaring (samma förklaring delas av
    beslut med samma krav och läge)."""
    from bemanning.matching import jsontext

    enc = jsontext.encode_basestring
    pad = jsontext.newline(3)
    tails = {} if tails is None else tails
    memo = tails.setdefault(-1, {})  # texter som förklaringarna delar
    # Fälten efter id (insats, beslutsdatum, väntan, över tre månader) delas av många beslut:
    # kodade en gång per värde.
    middles: dict[tuple[str, Any, int, bool], bytes] = tails.setdefault(-2, {})
    head = ("{" + pad + '"beslut_id": ').encode()
    between = ("," + jsontext.newline(2)).encode() + head
    # Delarna läggs i en lista och fogas ihop en gång (en förklaring är omkring en kilobyte: den
    # kopieras inte först in i sin rad).
    parts: list[bytes] = []
    extend = parts.extend
    get_tail, get_middle = tails.get, middles.get
    middle_key = _MIDDLE_KEY
    for a, f in items:
        tail = get_tail(id(f))
        if tail is None:
            tail = tails[id(f)] = _forklaring_text(f, memo)[1:].encode()  # utan "{"
        key = middle_key(a)
        middle = get_middle(key)
        if middle is None:
            insats, beslutsdatum, vantedagar, forsenad = key
            middle = middles[key] = (
                f',{pad}"insats": {enc(insats)},{pad}"beslutsdatum": {enc(beslutsdatum.isoformat())},{pad}'
                f'"vantedagar": {int.__repr__(vantedagar)},{pad}"over_tre_manader": '
                f'{"true" if forsenad else "false"},').encode()
        extend((between, enc(a.beslut_id).encode(), middle, tail))
    if parts:
        parts[0] = head
    return b"".join(parts)


#: Beslutets fält efter id i JSON-texten.
_MIDDLE_KEY = attrgetter("insats", "beslutsdatum", "vantedagar", "forsenad")


#: Indragen i förklaringens JSON-text (nivå 2–5) och skiljetecknen i dess listor.
_P2, _P3, _P4, _P5 = (jsontext.newline(level) for level in (2, 3, 4, 5))
_ITEMS = "," + _P4
_STRINGS = '",' + _P4 + '"'


def _value_text(v: Any, memo: dict[Any, str], level: int) -> str:
    """Ett värde i förklaringen som JSON-text; en text kodas en gång per `memo`."""
    if type(v) is str:
        found = memo.get(v)
        if found is None:
            found = memo[v] = jsontext.encode_basestring(v)
        return found
    if type(v) is int:
        return int.__repr__(v)
    return jsontext.dumps(v, level)


def _strings_text(items: Sequence[Any], memo: dict[Any, str]) -> str:
    """En lista (på nivå 3) av texter som JSON-text."""
    if not items:
        return "[]"
    # Texter utan tecken som JSON skriver om (citattecken, omvänt snedstreck, styrtecken): alla
    # på en gång. Kodaren gör aldrig en text kortare, så samma längd betyder att inget skrevs om.
    try:
        joined = "".join(items)
    except TypeError:  # något som inte är text
        joined = None
    if joined is not None and len(jsontext.encode_basestring(joined)) == len(joined) + 2:
        return "[" + _P4 + '"' + _STRINGS.join(items) + '"' + _P3 + "]"
    return "[" + _P4 + _ITEMS.join([_value_text(x, memo, 4) for x in items]) + _P3 + "]"


def _forklaring_text(f: Forklaring, memo: dict[Any, str] | None = None) -> str:
    """`jsontext.dumps(_forklaring_json(f), 2)`, skriven för förklaringens kända form (testerna
    jämför); värden av annan sort än text och heltal går genom `jsontext.dumps`. `memo` håller
    texter som många förklaringar delar (meningar, kedjans steg, listor över beslut) kodade en gång."""
    memo = {} if memo is None else memo
    get = memo.get
    if f.kedja:
        steps = []
        for s in f.kedja:
            key = (s.kod, s.text, s.kvar)
            found = get(key)
            if found is None:
                found = memo[key] = (f'{{{_P5}"krav": {_value_text(s.kod, memo, 5)},{_P5}"text": '
                                     f'{_value_text(s.text, memo, 5)},{_P5}"kvar": '
                                     f'{_value_text(s.kvar, memo, 5)}{_P4}}}')
            steps.append(found)
        kedja = "[" + _P4 + _ITEMS.join(steps) + _P3 + "]"
    else:
        kedja = "[]"
    # Detaljerna, "utan krav" och de upptagna delas ofta av många förklaringar (samma grupp av
    # personer, samma räkning): kodade en gång per värde.
    detaljer = get(("detaljer", f.detaljer))
    if detaljer is None:
        detaljer = memo[("detaljer", f.detaljer)] = _strings_text(f.detaljer, memo)
    utan_text = get(("utan_krav", f.utan_krav))
    if utan_text is None:
        utan = dict(f.utan_krav)
        if utan:
            utan_text = "{" + _P4 + _ITEMS.join([jsontext.key_text(k) + ": " + _value_text(v, memo, 4)
                                                for k, v in utan.items()]) + _P3 + "}"
        else:
            utan_text = "{}"
        memo[("utan_krav", f.utan_krav)] = utan_text
    upptagna = get(("upptagna", f.upptagna_av)) if f.upptagna_av else "[]"
    if upptagna is None:
        upptagna = memo[("upptagna", f.upptagna_av)] = _strings_text(f.upptagna_av, memo)
    return (f'{{{_P3}"skal": {_value_text(f.kod, memo, 3)},{_P3}"krav": {_value_text(f.krav, memo, 3)},'
            f'{_P3}"orsak": {_value_text(f.text, memo, 3)},{_P3}"detaljer": {detaljer},{_P3}"kedja": {kedja},'
            f'{_P3}"utan_krav": {utan_text},{_P3}"upptagna_av": {upptagna}{_P2}}}')


def _arende_json(a: Arende) -> dict[str, Any]:
    return {
        "beslut_id": a.beslut_id,
        "insats": a.insats,
        "beslutsdatum": a.beslutsdatum.isoformat(),
        "vantedagar": a.vantedagar,
        "over_tre_manader": a.forsenad,
    }


def _forslag_json(f: Forslag) -> dict[str, Any]:
    return {
        **_arende_json(f.arende),
        "kandidat": f.kandidat.kandidat_id,
        "namn": f.kandidat.namn,
        "typ": f.kandidat.typ,
        "passform": round(f.passform, 3),
        "passform_max": round(f.passform_max, 3),
        "samma_som_forut": f.samma_som_forut,
        "motivering": f.motivering,
        "onskemal": [
            {"kod": o.kod, "namn": o.namn, "vikt": o.vikt, "poang": round(o.poang, 3),
             "uppfyllt": o.uppfyllt, "text": o.text}
            for o in f.onskemal
        ],
    }


def _utan_json(u: UtanPerson) -> dict[str, Any]:
    return {**_arende_json(u.arende), **_forklaring_json(u.forklaring)}


def _forklaring_json(f: Forklaring) -> dict[str, Any]:
    return {
        "skal": f.kod,
        "krav": f.krav,
        "orsak": f.text,
        "detaljer": list(f.detaljer),
        "kedja": [{"krav": s.kod, "text": s.text, "kvar": s.kvar} for s in f.kedja],
        "utan_krav": dict(f.utan_krav),
        "upptagna_av": list(f.upptagna_av),
    }


def coverage_value(a: Arende, s: Settings) -> int:
    return s.bas + s.per_vantedag * min(a.vantedagar, s.vantedagar_tak) + (s.forsenad_bonus if a.forsenad else 0)


def _coverage_values(vantedagar: Sequence[int], forsenad: Sequence[bool], s: Settings) -> Any:
    """`coverage_value` för alla beslut: med numpy när talen ryms med marginal i 64 bitar, annars ett
    i taget (samma heltal)."""
    n = len(vantedagar)
    small = max(abs(s.bas), abs(s.per_vantedag), abs(s.vantedagar_tak), abs(s.forsenad_bonus)) < 2**20
    if n and small and max(vantedagar) < 2**30 and min(vantedagar) > -(2**30):
        v = np.fromiter(vantedagar, dtype=np.int64, count=n)
        late = np.fromiter(forsenad, dtype=bool, count=n)
        return s.bas + s.per_vantedag * np.minimum(v, s.vantedagar_tak) + np.where(late, s.forsenad_bonus, 0)
    return [s.bas + s.per_vantedag * min(v, s.vantedagar_tak) + (s.forsenad_bonus if f else 0)
            for v, f in zip(vantedagar, forsenad, strict=True)]


def fit_scale(settings: Settings) -> float:
    """Faktor från passform (summa av vikter × poäng) till heltal 0..upplösningen."""
    total = sum(settings.vikter.values())
    return settings.passform_upplosning / total if total > 0 else 0.0


#: Så många beslut prövas mot poolen i ett block (matriser om block × personer).
BLOCK = 4096


def _edges_in_blocks(arenden, pool, settings, per, ctx, scale, *, cancel=None, progress=None):
    """Alla tillåtna par och deras passform, prövade med numpy i block av beslut."""
    cols = Arendekolumner(pool, arenden)
    parts_b: list[np.ndarray] = []
    parts_k: list[np.ndarray] = []
    parts_fit: list[np.ndarray] = []
    for start in range(0, len(arenden), BLOCK):
        if cancel is not None and cancel():
            raise Cancelled()
        if progress is not None:
            progress("rensar", start / max(1, len(arenden)))
        stop = min(len(arenden), start + BLOCK)
        bs, js = feasible_block(pool, cols, start, stop, ctx, cols.uteslutna)
        values = fit_edges(cols, pool, bs, js, settings, per)
        parts_b.append(bs.astype(np.int64))
        parts_k.append(pool.index[js])
        parts_fit.append(np.rint(values * scale).astype(np.int64))  # som round(): halvt till jämnt
    if not parts_b:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.int64)
    return np.concatenate(parts_b), np.concatenate(parts_k), np.concatenate(parts_fit)


def _edges_one_by_one(arenden, kandidater, settings, per, ctx, scale, *, cancel=None, progress=None):
    """Samma par beslut för beslut (när orden är för många för bitmasker)."""
    pool, pairs = feasible_positions(arenden, kandidater, ctx, cancel=cancel, progress=progress)
    parts_b: list[np.ndarray] = []
    parts_k: list[np.ndarray] = []
    parts_fit: list[np.ndarray] = []
    for b, js in pairs:
        if not len(js):
            continue
        a = arenden[b]
        ks = pool.index[js]
        if pool.ok:
            values = fit_vector(a, pool, js, settings, per)
        else:
            values = np.array([fit(a, kandidater[k], settings, per) for k in ks.tolist()], dtype=np.float64)
        parts_b.append(np.full(len(ks), b, dtype=np.int64))
        parts_k.append(ks)
        parts_fit.append(np.rint(values * scale).astype(np.int64))
    edge_b = np.concatenate(parts_b) if parts_b else np.zeros(0, np.int64)
    edge_k = np.concatenate(parts_k) if parts_k else np.zeros(0, np.int64)
    edge_fit = np.concatenate(parts_fit) if parts_fit else np.zeros(0, np.int64)
    return edge_b, edge_k, edge_fit


def build_problem(
    arenden: Sequence[Arende],
    kandidater: Sequence[Kandidat],
    settings: Settings,
    per: date,
    *,
    cancel: Cancel | None = None,
    progress: Progress | None = None,
) -> tuple[MatchingProblem, list[list[int]]]:
    """Problemet som tal, och för varje beslut indexen för de personer som uppfyller kraven."""
    ctx = Context(settings.standard_max_avstand_km)
    scale = fit_scale(settings)
    pool = Pool(arenden, kandidater)
    if pool.ok and len(pool.index):
        edge_b, edge_k, edge_fit = _edges_in_blocks(arenden, pool, settings, per, ctx, scale,
                                                    cancel=cancel, progress=progress)
    else:
        edge_b, edge_k, edge_fit = _edges_one_by_one(arenden, kandidater, settings, per, ctx, scale,
                                                     cancel=cancel, progress=progress)
    fitting: list[list[int]] = [[] for _ in arenden]
    if len(edge_b):
        bounds = np.flatnonzero(np.diff(edge_b)) + 1
        starts = np.concatenate(([0], bounds)).tolist()
        stops = [*starts[1:], len(edge_b)]
        ks = edge_k.tolist()  # en lista, skivad per beslut (inte en numpy-vektor per beslut)
        for b, first, stop in zip(edge_b[starts].tolist(), starts, stops, strict=True):
            fitting[b] = ks[first:stop]
    # Besluten som kolumner, en i taget (en listbyggare läser fälten fortare än attrgetter och zip).
    vantedagar = [a.vantedagar for a in arenden]
    forsenad = [a.forsenad for a in arenden]
    timmar = [a.timmar for a in arenden]
    tidigare = [a.tidigare_kandidat for a in arenden]
    # Stabilitet: paret är beslutets tidigare förslag. Med unika id jämförs personernas index (heltal)
    # i stället för id-texterna kant för kant.
    position = {k.kandidat_id: i for i, k in enumerate(kandidater)}
    if len(position) == len(kandidater):
        get = position.get
        previous_k = np.fromiter([get(p, -1) if p else -1 for p in tidigare], dtype=np.int64, count=len(tidigare))
        edge_stab = (previous_k[edge_b] == edge_k).astype(np.int64)
    else:
        ids = np.array([k.kandidat_id for k in kandidater] + [""], dtype=object)
        previous = np.array([p or None for p in tidigare] + [None], dtype=object)
        edge_stab = (ids[edge_k] == previous[edge_b]).astype(np.int64)
    problem = MatchingProblem.from_arrays(
        cov=_coverage_values(vantedagar, forsenad, settings),
        forsenad=forsenad,
        beslut_timmar=timmar,
        kandidat_uppdrag=[k.uppdrag_kvar if k.hinder is None else 0 for k in kandidater],
        kandidat_timmar=[k.timmar_kvar for k in kandidater],
        edge_b=edge_b, edge_k=edge_k, fit=edge_fit, stab=edge_stab,
    )
    return problem, fitting


def match(
    lagen: Iterable[BeslutLage],
    uppdragstagare: Iterable[Uppdragstagare],
    personal: Iterable[Personal],
    per: date,
    *,
    settings: Settings | None = None,
    regel: Regel | None = None,
    katalog: Katalog | None = None,
    insats: str | None = None,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    explain: bool = True,
) -> Resultat:
    """Föreslå en person för varje öppet matchbart beslut, med förklaringar."""
    started = time.monotonic()
    settings = settings or Settings()
    regel = regel or Regel()
    katalog = katalog or default_katalog()
    ko = build_queue(lagen, settings, regel, katalog, insats_filter=insats)
    return match_queue(ko, uppdragstagare, personal, per, settings=settings, progress=progress, cancel=cancel,
                       explain=explain, started=started)


def match_queue(
    ko: Ko,
    uppdragstagare: Iterable[Uppdragstagare],
    personal: Iterable[Personal],
    per: date,
    *,
    settings: Settings,
    progress: Progress | None = None,
    cancel: Cancel | None = None,
    explain: bool = True,
    started: float | None = None,
    prepare_json: bool = False,
) -> Resultat:
    """Matchningen för en färdig kö (`build_queue` eller `indata.read_queue`).

    `prepare_json`: resultatet ska skrivas som JSON (`Resultat.json_bytes`); förklaringarna som inte
    beror på lösningen kodas då medan lösaren arbetar. Samma resultat och samma text med och utan."""
    started = time.monotonic() if started is None else started
    kandidater = build_kandidater(
        uppdragstagare, personal, per,
        giltighet_manader=settings.registerutdrag_giltighet_manader, belastning=ko.belastning,
    )
    arenden = list(ko.arenden)
    log.info("matchning per %s: %d beslut i kön, %d personer", per, len(arenden), len(kandidater))
    problem, fitting = build_problem(arenden, kandidater, settings, per, cancel=cancel, progress=progress)
    ctx = Context(settings.standard_max_avstand_km)
    holders: dict[str, list[Arende]] = {}  # fylls när lösningen finns; `Forklarare` läser den först då
    forklarare = Forklarare(kandidater, holders, ctx)
    # Besluten som ingen person passar blir utan person vad lösaren än väljer, och deras förklaringar
    # beror inte på lösningen.
    alone = [b for b, found in enumerate(fitting) if not found] if explain else []

    def explain_alone() -> dict[int, Forklaring]:
        forklarare.kolumner.prepare_avstand([arenden[b] for b in alone], ctx)  # avståndet för alla på en gång
        no_candidate = forklarare.no_candidate
        return {b: no_candidate(arenden[b]) for b in alone}

    order: list[int] | None = None  # köns ordning för alla beslut (`_queue_order`)
    json_memo: dict[int, Any] = {}  # `Resultat.json_memo`

    def alongside_solver() -> dict[int, Forklaring]:
        """Det som inte beror på lösningen, medan lösaren arbetar i sin tråd: förklaringarna för
        besluten som ingen passar, köns ordning och (för JSON) förklaringarnas text."""
        nonlocal order
        explained = explain_alone()
        order = _queue_order(arenden)
        if prepare_json:
            _prepare_tails(explained.values(), json_memo)
        return explained

    def run_solver(report: Progress | None, stop: Cancel | None) -> Losning:
        return solve(problem, metod=settings.metod, time_limit_s=settings.time_limit_s, workers=settings.workers,
                     seed=settings.seed, cpsat_max_par=settings.cpsat_max_par, progress=report, cancel=stop)

    if alone and progress is None and cancel is None:
        # Lösaren (OR-Tools i C++, som släpper Pythons lås) i en egen tråd medan förklaringarna
        # skrivs: på en maskin med två kärnor går de samtidigt. Med förlopp eller avbrott (gränssnittet)
        # körs de efter varandra, så att de anropen alltid kommer från samma tråd.
        losning, explained = alongside(lambda: run_solver(None, None), alongside_solver)
    else:
        losning = run_solver(progress, cancel)
        explained = None
    if cancel is not None and cancel():
        raise Cancelled()
    if progress is not None:
        progress("förklarar", 0.0)
    if explained is None:
        explained = explain_alone()
    assignment = losning.tilldelning.tolist()
    proposals: list[Forslag] = []
    for b, k in enumerate(assignment):
        if k >= 0:
            a, kand = arenden[b], kandidater[k]
            holders.setdefault(kand.kandidat_id, []).append(a)
            items = tuple(evaluate(a, kand, settings, per))
            proposals.append(Forslag(
                arende=a, kandidat=kand, onskemal=items, passform=sum(i.bidrag for i in items),
                passform_max=max_fit(a, settings), samma_som_forut=a.tidigare_kandidat == kand.kandidat_id,
            ))
    if order is None:
        order = _queue_order(arenden)
    # Besluten utan person direkt i köns ordning (när den finns; en förklaring beror inte på i vilken
    # ordning de skrivs).
    unmatched: list[UtanPerson] = []
    taken = forklarare.taken
    sequence = range(len(arenden)) if order is None else order
    grouped = _taken_in_groups(arenden, fitting, problem, assignment, forklarare) if explain else None
    if grouped is not None:
        for b in alone:
            grouped[b] = explained[b]
        unmatched = [UtanPerson(arenden[b], grouped[b]) for b in sequence if assignment[b] < 0]
    else:
        for b in sequence:
            if assignment[b] >= 0:
                continue
            a = arenden[b]
            if not explain:
                forklaring = Forklaring("", None, "")
            elif fitting[b]:
                forklaring = taken(a, fitting[b])
            else:
                forklaring = explained[b]
            unmatched.append(UtanPerson(a, forklaring))
    proposals = _in_queue_order(proposals)
    if order is None:
        unmatched = _in_queue_order(unmatched)
    resultat = Resultat(
        per=per,
        forslag=tuple(proposals),
        utan_person=tuple(unmatched),
        lasta=ko.lasta,
        rekrytering=recruitment_profile([u.arende for u in unmatched]),
        losning=losning,
        antal_kandidater=len(kandidater),
        antal_mojliga=sum(1 for k in kandidater if k.hinder is None),
        antal_par=problem.n_edges,
        hoppade_over=ko.hoppade_over,
        sekunder=time.monotonic() - started,
    )
    object.__setattr__(resultat, "json_memo", json_memo)  # fryst objekt; fältet är inte ett argument
    if progress is not None:
        progress("klar", 1.0)
    log.info("matchning klar: %d förslag, %d utan person, %.3f s", len(proposals), len(unmatched),
             resultat.sekunder)
    return resultat


#: Högst så många ord om 63 bitar per beslut när personerna som passar grupperas (`_fitting_groups`).
GROUP_WORDS = 32


def _fitting_groups(p: MatchingProblem) -> np.ndarray | None:
    """En grupp per beslut: samma tal för beslut med samma personer som passar (samma `fitting`),
    -1 för beslut som ingen passar. Mängderna som bitmasker (63 personer per ord), jämförda med numpy;
    None när personerna är för många för det."""
    n = p.n_beslut
    words = (p.n_kandidat + 62) // 63
    if words > GROUP_WORDS or p.n_edges == 0:
        return None
    starts = np.flatnonzero(np.r_[True, p.edge_b[1:] != p.edge_b[:-1]])
    owners = p.edge_b[starts]
    word, bit = np.divmod(p.edge_k, 63)
    masks = np.left_shift(np.int64(1), bit)
    columns = [np.bitwise_or.reduceat(np.where(word == w, masks, 0), starts) for w in range(words)]
    order = np.lexsort(columns[::-1])
    rows = np.stack([c[order] for c in columns])
    new = np.r_[True, np.any(rows[:, 1:] != rows[:, :-1], axis=0)]
    labels = np.empty(len(order), dtype=np.int64)
    labels[order] = np.cumsum(new) - 1
    groups = np.full(n, -1, dtype=np.int64)
    groups[owners] = labels
    return groups


def _taken_in_groups(arenden: Sequence[Arende], fitting: Sequence[Sequence[int]], p: MatchingProblem,
                     assignment: Sequence[int], forklarare: Forklarare) -> list[Any] | None:
    """`forklarare.taken(a, fitting[b])` för varje beslut utan person som någon passar (None för de
    andra), räknad en gång per förklaring: besluten med samma personer som passar, samma svar på om de
    som tagit personerna väntat minst lika länge, och samma timmar får samma förklaring (`taken` ger
    dem samma objekt). Besluten grupperas med numpy i stället för ett anrop per beslut. None när
    grupperna inte kan räknas så (då anropas `taken` per beslut)."""
    groups = _fitting_groups(p)
    if groups is None:
        return None
    n = len(arenden)
    open_ = (groups >= 0) & (np.asarray(assignment, dtype=np.int64) < 0)
    result: list[Any] = [None] * n
    picked = np.flatnonzero(open_)
    if not len(picked):
        return result
    g = groups[picked]
    vantedagar = np.fromiter([a.vantedagar for a in arenden], dtype=np.int64, count=n)[picked]
    # Timmarna som bitmönster: lika mönster ger samma `repr` (olika mönster med samma text, som -0.0
    # och 0.0 eller olika NaN, blir olika grupper här men får ändå samma förklaring av `taken`).
    hours = np.fromiter([a.timmar for a in arenden], dtype=np.float64, count=n)[picked].view(np.int64)
    # Kortast väntan bland besluten som tagit personerna, per grupp (None: ingen har tagit dem).
    by_group = np.argsort(g, kind="stable")
    firsts = by_group[np.r_[True, g[by_group][1:] != g[by_group][:-1]]]  # ett beslut per grupp
    shortest = np.zeros(int(groups.max()) + 1, dtype=np.int64)
    nobody = np.zeros(len(shortest), dtype=bool)
    for label, b in zip(g[firsts].tolist(), picked[firsts].tolist(), strict=True):
        value = forklarare.shortest_wait(fitting[b])
        if value is None:
            nobody[label] = True
        else:
            shortest[label] = value
    waited = nobody[g] | (shortest[g] >= vantedagar)
    key_order = np.lexsort((hours, waited, g))
    k_g, k_w, k_h = g[key_order], waited[key_order], hours[key_order]
    new = np.r_[True, (k_g[1:] != k_g[:-1]) | (k_w[1:] != k_w[:-1]) | (k_h[1:] != k_h[:-1])]
    combo = np.empty(len(picked), dtype=np.int64)
    combo[key_order] = np.cumsum(new) - 1
    representatives = picked[key_order[new]].tolist()
    taken = forklarare.taken
    explained = [taken(arenden[b], fitting[b]) for b in representatives]
    for b, f in zip(picked.tolist(), map(explained.__getitem__, combo.tolist()), strict=True):
        result[b] = f
    return result


def _queue_order(arenden: Sequence[Arende]) -> list[int] | None:
    """Besluten i köns ordning (som index), som `_in_queue_order`, när de står i id-ordning (annars
    None). Ordningen för en del av besluten är samma ordning med de andra borttagna: nyckeln
    (tremånadersgränsen, väntan, id) är densamma."""
    ids = [a.beslut_id for a in arenden]
    if not all(map(operator.lt, ids, islice(ids, 1, None))):
        return None
    n = len(arenden)
    forsenad = np.fromiter([a.forsenad for a in arenden], dtype=bool, count=n)
    vantedagar = np.fromiter([a.vantedagar for a in arenden], dtype=np.int64, count=n)
    return np.lexsort((-vantedagar, ~forsenad)).tolist()  # stabil: lika väntan behåller id-ordningen


def _prepare_tails(forklaringar: Iterable[Forklaring], tails: dict[int, Any]) -> None:
    """Förklaringarnas JSON-text som `_utan_texts` skriver den (efter "{"), i `tails` på förhand."""
    memo = tails.setdefault(-1, {})
    for f in forklaringar:
        if id(f) not in tails:
            tails[id(f)] = _forklaring_text(f, memo)[1:].encode()


def _in_queue_order(items: list[Any]) -> list[Any]:
    """Förslagen eller besluten utan person i köns ordning: de som passerat tremånadersgränsen
    först, sedan längst väntan, sedan beslutets id (som `sorted(key=(not forsenad, -vantedagar,
    beslut_id))`). Står de redan i id-ordning räcker en stabil sortering på de två första, med numpy."""
    order = _queue_order([item.arende for item in items]) if len(items) >= 2 else None
    if order is None:
        return sorted(items, key=lambda item: (not item.arende.forsenad, -item.arende.vantedagar,
                                               item.arende.beslut_id))
    return list(map(items.__getitem__, order))


#: Pythons växlingsintervall medan två trådar arbetar i matchningen (`alongside`).
SWITCH_INTERVAL = 0.0005


def alongside(background: Callable[[], Any], foreground: Callable[[], Any]) -> tuple[Any, Any]:
    """`(background(), foreground())`, med `background` i en egen tråd medan `foreground` körs i den
    här. Ett fel i någon av dem kommer fram här (förgrundens om båda felar), och tråden är alltid klar när
    funktionen lämnas."""
    box: dict[str, Any] = {}

    def run() -> None:
        try:
            box["value"] = background()
        except BaseException as exc:  # noqa: BLE001 - förs vidare till den som anropade
            box["error"] = exc

    # Pythons lås växlar oftare medan båda arbetar (0,5 ms i stället för 5 ms): tråden som kommer
    # tillbaka från OR-Tools eller numpy väntar då inte en hel period på förgrunden.
    interval = sys.getswitchinterval()
    sys.setswitchinterval(min(interval, SWITCH_INTERVAL))
    thread = threading.Thread(target=run, name="bemanning-matchning", daemon=True)
    thread.start()
    try:
        front = foreground()
    finally:
        thread.join()
        sys.setswitchinterval(interval)
    if "error" in box:
        raise box["error"]
    return box["value"], front


def match_register(reg: Any, per: date, **kwargs: Any) -> Resultat:
    """Matchning på registrets läge `per` en dag."""
    with without_gc():
        return _match_register(reg, per, **kwargs)


def _match_register(reg: Any, per: date, **kwargs: Any) -> Resultat:
    katalog = kwargs.pop("katalog", None) or getattr(reg, "katalog", None) or default_katalog()
    # Bara de beslut matchningen behöver (väntande, och pågående uppdrag som tar upp timmar),
    # valda i databasen bland de matchbara insatserna.
    # Kön läses direkt ur händelserna för de besluten, utan hela hopvikningen (`indata`).
    from bemanning.matching.indata import read_queue

    started = time.monotonic()
    settings = kwargs.pop("settings", None) or Settings()
    regel = kwargs.pop("regel", None) or Regel()
    ko = read_queue(reg, per, settings, regel, katalog, insats_filter=kwargs.pop("insats", None))
    return match_queue(ko, reg.uppdragstagare(per), reg.personal(per), per, settings=settings,
                       started=started, **kwargs)
