"""An independent checker: does a roster keep the hard rules? Lists every breach in Swedish.

It shares nothing with the CP-SAT model but the input (`RosterProblem`) and the rule values: each
rule is computed again directly from the passes in clock time. Every roster the solver returns
must give an empty list here; the tests build rosters by hand that break each rule.
"""

from __future__ import annotations

from collections import defaultdict

import attrs

from bemanning.model.tremanadersregeln import add_months
from bemanning.roster.kallor import kalla
from bemanning.roster.problem import RosterProblem, Schema, hhmm

KOMPETENS = "Kompetens"
OMRADE = "Samplaneringsområde"
FRANVARO = "Frånvaro"
OVERLAPP = "Ett pass i taget"
DYGNSVILA = "Dygnsvila"
VECKOVILA = "Veckovila"
NATTARBETE = "Nattarbete"
DAGAR_I_RAD = "Arbetsdagar i rad"
HELGER = "Helger"
ARBETSTID = "Arbetstid"
INTRODUKTION = "Ny medarbetare ensam"
MINSTA = "Minsta bemanning"
OKANT = "Okänt pass"


@attrs.frozen
class Brott:
    regel: str
    person_id: str | None
    dag: int | None
    text: str
    kalla: str = ""  # where the rule comes from, on the day ("AB 24, dygnsvila, från 2023-10-01")

    def __str__(self) -> str:
        return f"{self.regel}: {self.text}"


@attrs.frozen
class _Inst:
    start: int
    end: int
    dag: int
    pass_id: str | None  # None: a pass before the period (history)
    enhet: str | None


def _h(minutes: float) -> str:
    value = minutes / 60
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",")


def check(problem: RosterProblem, schema: Schema) -> list[Brott]:
    out: list[Brott] = []
    by_person: dict[str, list[_Inst]] = defaultdict(list)
    for a in schema.tilldelningar:
        if a.pass_id not in problem.pass_index or a.person_id not in problem.person_index \
                or not 0 <= a.dag < problem.dagar:
            out.append(Brott(OKANT, a.person_id, a.dag,
                             f"{a.person_id} dag {a.dag}: passet {a.pass_id} finns inte i perioden"))
            continue
        pt = problem.pass_typ(a.pass_id)
        start = a.dag * 1440 + pt.start
        by_person[a.person_id].append(_Inst(start, start + pt.langd, a.dag, a.pass_id, pt.enhet))
    history: dict[str, list[_Inst]] = defaultdict(list)
    for h in problem.historik:
        history[h.person_id].append(_Inst(h.start, h.start + h.langd, h.start // 1440, None, None))
    for person in problem.personal:
        mine = sorted(by_person.get(person.person_id, []), key=lambda i: i.start)
        before = sorted(history.get(person.person_id, []), key=lambda i: i.start)
        out += _assignment_rules(problem, person, mine)
        out += _overlap_and_rest(problem, person, mine, before)
        out += _rest_per_period(problem, person, mine, before)
        out += _weekly_rest(problem, person, mine, before)
        out += _night(problem, person, mine)
        out += _consecutive(problem, person, mine, before)
        out += _weekends(problem, person, mine)
        out += _hours(problem, person, mine)
    out += _new_alone(problem, schema)
    out += _minimum_staffing(problem, schema)
    # every message ends with where its rule comes from ("AB 24, dygnsvila, från 2023-10-01")
    sourced = []
    for b in out:
        source = kalla(b.regel, problem.date_of(b.dag if b.dag is not None else 0))
        sourced.append(attrs.evolve(b, kalla=source, text=f"{b.text} ({source})"))
    return sourced


def _schemaperiod(problem: RosterProblem) -> str:
    first, last = problem.date_of(0), problem.date_of(problem.dagar - 1)
    if first is None or last is None:
        return f"schemaperioden ({problem.dagar} dagar)"
    return f"schemaperioden {first.isoformat()}–{last.isoformat()}"


def _say(problem: RosterProblem, person, dag: int) -> str:
    return f"{person.label} {problem.day_label(dag)}"


def _assignment_rules(problem, person, mine) -> list[Brott]:
    out = []
    home = problem.omrade_of(person.enhet)
    for i in mine:
        pt = problem.pass_typ(i.pass_id)
        if pt.kompetens is not None and pt.kompetens not in person.kompetenser:
            out.append(Brott(KOMPETENS, person.person_id, i.dag,
                             f"{_say(problem, person, i.dag)}: passet {pt.label} kräver "
                             f"{pt.kompetens}, som personen saknar"))
        if home and problem.omrade_of(pt.enhet) != home:
            out.append(Brott(OMRADE, person.person_id, i.dag,
                             f"{_say(problem, person, i.dag)}: {pt.enhet} ligger utanför "
                             f"samplaneringsområdet {home}"))
        if person.max_pass.get(pt.pass_id) == 0:
            out.append(Brott(KOMPETENS, person.person_id, i.dag,
                             f"{_say(problem, person, i.dag)}: får inte ha passet {pt.label}"))
        f = problem.franvaro_map.get((person.person_id, i.dag))
        if f is not None:
            out.append(Brott(FRANVARO, person.person_id, i.dag,
                             f"{_say(problem, person, i.dag)}: har pass {pt.label} men är "
                             f"frånvarande ({f.orsak})"))
    return out


def _overlap_and_rest(problem, person, mine, before) -> list[Brott]:
    out = []
    regler = problem.regler
    days: dict[int, int] = defaultdict(int)
    for i in mine:
        days[i.dag] += 1
    if not regler.delade_turer:
        for dag, n in sorted(days.items()):
            if n > 1:
                out.append(Brott(OVERLAPP, person.person_id, dag,
                                 f"{_say(problem, person, dag)}: {n} pass samma dag (delad tur)"))
    everything = sorted(before + mine, key=lambda i: i.start)
    for a, b in zip(everything, everything[1:], strict=False):
        if b.pass_id is None:
            continue
        if b.start < a.end:
            out.append(Brott(OVERLAPP, person.person_id, b.dag,
                             f"{_say(problem, person, b.dag)}: passet {b.pass_id} börjar "
                             f"{hhmm(b.start)} innan föregående pass har slutat"))
    if regler.forbjudna_foljder is not None:
        by_day = {i.dag: i for i in mine}
        for i in mine:
            nxt = by_day.get(i.dag + 1)
            if nxt is not None and (i.pass_id, nxt.pass_id) in regler.forbjudna_foljder:
                out.append(Brott(DYGNSVILA, person.person_id, nxt.dag,
                                 f"{_say(problem, person, nxt.dag)}: {nxt.pass_id} får inte "
                                 f"följa på {i.pass_id} dagen innan"))
        return out
    if regler.dygnsvila_timmar is None:
        return out
    rest = round(regler.dygnsvila_timmar * 60)
    short = round(regler.kort_dygnsvila_timmar * 60)
    units = problem.enhet_map
    for i in mine:
        if i.end - i.start > 1440 - rest:
            out.append(Brott(DYGNSVILA, person.person_id, i.dag,
                             f"{_say(problem, person, i.dag)}: passet {i.pass_id} är "
                             f"{_h(i.end - i.start)} h långt, så {_h(rest)} h vila ryms inte "
                             "inom 24-timmarsperioden"))
    for k, (a, b) in enumerate(zip(everything, everything[1:], strict=False)):
        if b.pass_id is None:
            continue
        gap = b.start - a.end
        if gap < 0 or gap >= rest:
            continue
        allowed = (
            a.pass_id is not None and gap >= short
            and units[a.enhet].kort_dygnsvila and units[b.enhet].kort_dygnsvila
        )
        if allowed:
            need = rest + (rest - gap)
            after = everything[k + 2] if k + 2 < len(everything) else None
            if after is not None and after.start - b.end < need:
                out.append(Brott(DYGNSVILA, person.person_id, after.dag,
                                 f"{_say(problem, person, b.dag)}: kort dygnsvila "
                                 f"({_h(gap)} h mellan två pass) följs bara av "
                                 f"{_h(after.start - b.end)} h vila efter nästa pass, "
                                 f"{_h(need)} h behövs som kompenserande vila"))
            continue
        out.append(Brott(DYGNSVILA, person.person_id, b.dag,
                         f"{_say(problem, person, b.dag)}: bara {_h(gap)} h vila före passet "
                         f"{b.pass_id} ({hhmm(b.start)}), minst {_h(rest)} h krävs mellan två pass"))
    return out


def _longest_rest(p0: int, p1: int, spans: list[tuple[int, int]]) -> int:
    """The longest stretch without work that lies inside [p0, p1) (spans sorted by start)."""
    best, cursor = 0, p0
    for start, end in spans:
        if end <= p0 or start >= p1:
            continue
        best = max(best, min(start, p1) - cursor)
        cursor = max(cursor, end)
    return max(best, p1 - cursor)


def _rest_per_period(problem, person, mine, before) -> list[Brott]:
    """AB 24: at least 11 h of consecutive rest inside every 24-hour period from the dygnsbryt.

    The periods are the person's home unit's (its dygnsbryt); a rest counts only for the part
    that lies inside the period. Where the home unit and every pass in the period are marked
    for short rest, a rest down to the short limit is allowed when the next 24-hour period
    holds the shortfall on top of a full rest (kompenserande vila, directly after).
    """
    regler = problem.regler
    if regler.dygnsvila_timmar is None or regler.forbjudna_foljder is not None or not mine:
        return []
    rest = round(regler.dygnsvila_timmar * 60)
    short = round(regler.kort_dygnsvila_timmar * 60)
    units = problem.enhet_map
    home = units.get(person.enhet)
    bryt = home.dygnsbryt if home is not None else 0
    everything = sorted(before + mine, key=lambda i: i.start)
    spans = [(i.start, i.end) for i in everything]
    first = (mine[0].start - bryt) // 1440
    last = (max(i.end for i in mine) - 1 - bryt) // 1440
    out = []
    for k in range(first, last + 1):
        p0 = bryt + k * 1440
        p1 = p0 + 1440
        inside = [i for i in mine if i.start < p1 and i.end > p0]
        if not inside:
            continue
        got = _longest_rest(p0, p1, spans)
        if got >= rest:
            continue
        dag = max(0, min(problem.dagar - 1, p0 // 1440))
        where = (f"{person.label}, 24-timmarsperioden från {problem.day_label(p0 // 1440)} "
                 f"{hhmm(p0)} (dygnsbryt)")
        marked = (home is not None and home.kort_dygnsvila
                  and all(units[i.enhet].kort_dygnsvila for i in everything
                          if i.enhet is not None and i.start < p1 and i.end > p0))
        if marked and got >= short:
            need = rest + (rest - got)
            after = _longest_rest(p1, p1 + 1440, spans)
            if after < need:
                out.append(Brott(DYGNSVILA, person.person_id, dag,
                                 f"{where}: kort dygnsvila ({_h(got)} h) följs bara av "
                                 f"{_h(after)} h sammanhängande vila i nästa 24-timmarsperiod, "
                                 f"{_h(need)} h behövs som kompenserande vila"))
            continue
        out.append(Brott(DYGNSVILA, person.person_id, dag,
                         f"{where}: som längst {_h(got)} h sammanhängande vila inom perioden, "
                         f"minst {_h(rest)} h krävs"))
    return out


def _weekly_rest(problem, person, mine, before) -> list[Brott]:
    regler = problem.regler
    if regler.veckovila_timmar is None or not mine:
        return []
    rest = round(regler.veckovila_timmar * 60)
    week = 7 * 1440
    if regler.veckovila_fonster == "rullande":
        starts = [0] if problem.dagar < 7 else [d * 1440 for d in range(problem.dagar - 6)]
    else:
        mondays = sorted({d - problem.weekday(d) for d in range(problem.dagar)})
        starts = [m * 1440 for m in mondays]
    out = []
    everything = sorted(before + mine, key=lambda i: i.start)
    for w0 in starts:
        w1 = w0 + week
        if not any(i.start < w1 and i.end > w0 for i in mine):
            continue
        longest = _longest_rest(w0, w1, [(i.start, i.end) for i in everything])
        if longest < rest:
            dag = max(0, w0 // 1440)
            out.append(Brott(VECKOVILA, person.person_id, dag,
                             f"{person.label}, sjudagarsperioden från {problem.day_label(dag)}: "
                             f"längsta vila {_h(longest)} h, minst {_h(rest)} h krävs"))
    return out


def _night(problem, person, mine) -> list[Brott]:
    """ATL 13 a §: per beräkningsperiod of at most four months, worked time plus absence (as
    worked time) is at most 8 h × (days − started seven-day periods)."""
    regler = problem.regler
    most = regler.natt_max_timmar_per_dygn
    if most is None:
        return []
    if not any(problem.pass_typ(i.pass_id).natt for i in mine):
        return []
    per_day = person.arbetstidsmatt * 60 * person.grad / 100 / 7
    out = []
    first = 0
    while first < problem.dagar:
        begin = problem.date_of(first)
        later = first + 120 if begin is None else first + (add_months(begin, 4) - begin).days
        end = min(problem.dagar, later)
        days = end - first
        started = (days + 6) // 7
        cap = round(most * 60 * (days - started))
        worked = sum(problem.pass_typ(i.pass_id).paid for i in mine if first <= i.dag < end)
        absent = sum(1 for f in problem.franvaro
                     if f.person_id == person.person_id and first <= f.dag < end)
        credit = round(absent * per_day)
        if worked + credit > cap:
            last = problem.date_of(end - 1)
            span = (f"{problem.date_of(first).isoformat()}–{last.isoformat()}" if last
                    else f"dag {first + 1}–{end}")
            franvaro = (f" och {absent} dagars frånvaro räknad som arbetad tid ({_h(credit)} h)"
                        if absent else "")
            out.append(Brott(NATTARBETE, person.person_id, first,
                             f"{person.label} arbetar natt: beräkningsperioden {span} "
                             f"({days} dygn, {started} påbörjade sjudagarsperioder à 24 h "
                             f"avräknade) har {_h(worked)} h arbete{franvaro}; i snitt högst "
                             f"{_h(most * 60)} h per 24-timmarsperiod ger högst {_h(cap)} h"))
        first = end
    return out


def _runs(worked: list[bool]) -> list[tuple[bool, int, int]]:
    runs, d, n = [], 0, len(worked)
    while d < n:
        e = d
        while e < n and worked[e] == worked[d]:
            e += 1
        runs.append((worked[d], d, e - d))
        d = e
    return runs


def _consecutive(problem, person, mine, before) -> list[Brott]:
    regler = problem.regler
    most = person.max_dagar_i_rad if person.max_dagar_i_rad is not None else regler.max_dagar_i_rad
    least = person.min_dagar_i_rad if person.min_dagar_i_rad is not None else regler.min_dagar_i_rad
    off = person.min_lediga_i_rad if person.min_lediga_i_rad is not None else regler.min_lediga_i_rad
    n = problem.dagar
    worked_days = {i.dag for i in mine}
    earlier = {i.dag for i in before}
    lead = 0
    while -(lead + 1) in earlier:
        lead += 1
    out = []
    for value, start, length in _runs([d in worked_days for d in range(n)]):
        if value and most is not None:
            total = length + (lead if start == 0 else 0)
            if total > most:
                out.append(Brott(DAGAR_I_RAD, person.person_id, start,
                                 f"{_say(problem, person, start)}: {total} arbetsdagar i rad, "
                                 f"högst {most}"))
        inner = start > 0 and start + length < n
        if value and inner and length < least:
            out.append(Brott(DAGAR_I_RAD, person.person_id, start,
                             f"{_say(problem, person, start)}: bara {length} arbetsdagar i rad, "
                             f"minst {least}"))
        if not value and inner and length < off:
            out.append(Brott(DAGAR_I_RAD, person.person_id, start,
                             f"{_say(problem, person, start)}: bara {length} lediga dagar i rad, "
                             f"minst {off}"))
    return out


def _weekends(problem, person, mine) -> list[Brott]:
    regler = problem.regler
    worked_days = {i.dag for i in mine}
    weekends = problem.weekends()
    worked = [any(d in worked_days for d in days) for days in weekends]
    limit = person.max_helger
    if limit is None and regler.helg == "max":
        limit = regler.max_helger
    hard = regler.helg_hard or person.max_helger is not None
    out = []
    if hard and limit is not None and sum(worked) > limit:
        out.append(Brott(HELGER, person.person_id, None,
                         f"{person.label} arbetar {sum(worked)} helger under "
                         f"{_schemaperiod(problem)}, högst {limit}"))
    if regler.helg == "varannan" and regler.helg_hard:
        for k in range(len(worked) - 1):
            if worked[k] and worked[k + 1]:
                dag = weekends[k + 1][0]
                out.append(Brott(HELGER, person.person_id, dag,
                                 f"{_say(problem, person, dag)}: arbetar två helger i rad "
                                 "(varannan helg gäller)"))
    return out


def _hours(problem, person, mine) -> list[Brott]:
    out = []
    total = sum(problem.pass_typ(i.pass_id).paid for i in mine)
    low, high = problem.hour_limits(person)
    if low is not None and total < low:
        out.append(Brott(ARBETSTID, person.person_id, None,
                         f"{person.label} har {_h(total)} h under {_schemaperiod(problem)}, "
                         f"minst {_h(low)} h krävs"))
    if high is not None and total > high:
        out.append(Brott(ARBETSTID, person.person_id, None,
                         f"{person.label} har {_h(total)} h under {_schemaperiod(problem)}, "
                         f"högst {_h(high)} h tillåts"))
    counts: dict[str, int] = defaultdict(int)
    for i in mine:
        counts[i.pass_id] += 1
    for pass_id, most in person.max_pass.items():
        if most and counts.get(pass_id, 0) > most:
            out.append(Brott(ARBETSTID, person.person_id, None,
                             f"{person.label} har {counts[pass_id]} pass {pass_id} under "
                             f"{_schemaperiod(problem)}, högst {most}"))
    return out


def _new_alone(problem, schema) -> list[Brott]:
    out = []
    units = problem.enhet_map
    placed = []
    for a in schema.tilldelningar:
        if a.pass_id in problem.pass_index and a.person_id in problem.person_index:
            pt = problem.pass_typ(a.pass_id)
            start = a.dag * 1440 + pt.start
            placed.append((a, pt, start, start + pt.langd))
    for a, pt, s, e in placed:
        person = problem.person(a.person_id)
        if person.introducerad or not units[pt.enhet].kraver_introducerad:
            continue
        company = any(
            b.person_id != a.person_id and qt.enhet == pt.enhet and s2 < e and s < e2
            and problem.person(b.person_id).introducerad
            for b, qt, s2, e2 in placed
        )
        if not company:
            out.append(Brott(INTRODUKTION, a.person_id, a.dag,
                             f"{_say(problem, person, a.dag)}: inte introducerad och ensam på "
                             f"{units[pt.enhet].label} {pt.label}"))
    return out


def _minimum_staffing(problem, schema) -> list[Brott]:
    out = []
    counts: dict[tuple[int, str], int] = defaultdict(int)
    for a in schema.tilldelningar:
        counts[a.dag, a.pass_id] += 1
    for b in problem.behov:
        if b.minst and counts.get((b.dag, b.pass_id), 0) < b.minst:
            pt = problem.pass_typ(b.pass_id)
            out.append(Brott(MINSTA, None, b.dag,
                             f"{problem.enhet_map[pt.enhet].label} {pt.label} "
                             f"{problem.day_label(b.dag)}: {counts.get((b.dag, b.pass_id), 0)} "
                             f"personer, minst {b.minst} krävs"))
    return out
