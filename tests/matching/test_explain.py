"""Förklaringarnas texter: korta meningar, en per skäl, utan interna namn, vikter eller poäng."""

from __future__ import annotations

import re

import pytest

from bemanning.matching.arende import build_queue
from bemanning.matching.candidates import build_kandidater
from bemanning.matching.engine import match
from bemanning.matching.explain import item_line, missed_lines, proposal_text, why_line
from bemanning.matching.recruitment import recruitment_profile
from bemanning.model.insats import default_katalog
from bemanning.model.tremanadersregeln import Regel
from bemanning.model.values import Kon

from .cases import PER, lage, settings, upp

#: Ord som bara programmet förstår: kravens och önskemålens koder, vikter, poäng, lösarens namn.
INTERNA = re.compile(
    r"\b(vikt|poäng|passform|mojlig|kapacitet|utesluten|avstand|sprak|kon|alder|kvall|vardag|"
    r"flöde|cpsat|CP-SAT|mål|gräns \d|None|True|False)\b|%|\+|_",
)
MAX_ORD = 22  # en mening man läser på några sekunder


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+", text.strip())
    return [p for p in parts if p]


def assert_plain(text: str) -> None:
    assert text.strip(), "tom text"
    assert not INTERNA.search(text), f"internt ord i {text!r}"
    for sentence in sentences(text):
        assert sentence[0].isupper(), f"meningen börjar inte med stor bokstav: {sentence!r}"
        assert sentence.endswith((".", "!", "?")), f"meningen slutar inte med punkt: {sentence!r}"
        assert len(sentence.split()) <= MAX_ORD, f"för lång mening ({len(sentence.split())} ord): {sentence!r}"


def only_reason(lagen, people):
    result = match(lagen, people, [], PER, settings=settings())
    assert not result.forslag and len(result.utan_person) == 1
    return result.utan_person[0].forklaring


# Samma fall som i test_requirements: varje krav binder ensamt.
FALL = [
    (dict(kon=Kon.K, kon_krav=True), dict(kon="M"), "kon", "Ingen godkänd uppdragstagare är kvinna."),
    (dict(sprak="finska", sprak_krav=True), dict(sprak=("arabiska",)), "sprak",
     "Ingen godkänd uppdragstagare talar finska."),
    (dict(sarskilda_behov=("autism",)), dict(erfarenheter=("demens",)), "behov",
     "Ingen godkänd uppdragstagare har erfarenhet av autism."),
    (dict(tider=("helg",)), dict(tider=("vardag", "kvall")), "tider", "Ingen godkänd uppdragstagare kan helger."),
    (dict(max_avstand_km=5), dict(x=6.0), "avstand", "Ingen godkänd uppdragstagare bor inom 5 km."),
    (dict(undantagna=("U1",)), dict(), "utesluten", "undantagen i beslutet"),
    (dict(), dict(alder_min=40), "alder", "Ingen godkänd uppdragstagare tar uppdrag för en 34-åring."),
    (dict(), dict(max_avstand_km=2, x=3.0), "avstand", "Närmast: U1 (3 km, men reser högst 2 km)."),
    (dict(), dict(timmar=4), "kapacitet", "Närmast: U1 (4 timmar kvar i månaden, beslutet behöver 8)."),
]


@pytest.mark.parametrize(("wish", "person", "code", "expected"), FALL, ids=[f[2] + str(i) for i, f in enumerate(FALL)])
def test_binding_reason_is_short_plain_and_names_what_to_act_on(wish, person, code, expected):
    f = only_reason([lage("B", dagar=50, **wish)], [upp("U1", **person)])
    assert f.krav == code
    assert expected in f.text
    assert_plain(f.text)
    assert len(sentences(f.text)) <= 2, "skälet och vad som ligger närmast, inget mer"
    assert "U1" in f.text, "texten säger vem som ligger närmast"
    for detail in f.detaljer:
        assert len(sentences(detail)) == 1, f"en mening per rad i detaljerna: {detail!r}"


def test_language_and_distance_names_the_nearest_person():
    f = only_reason(
        [lage("B", dagar=100, sprak="finska", sprak_krav=True, max_avstand_km=30)],
        [upp("U1", sprak=("finska",), x=50.0), upp("U2", x=1.0), upp("U3", sprak=("finska",), x=45.0)],
    )
    assert f.text == "Ingen godkänd uppdragstagare som talar finska bor inom 30 km. Närmast: U3 (45 km)."


def test_many_requirements_are_named_by_their_subject_not_as_one_long_chain():
    f = only_reason(
        [lage("B", dagar=50, kon=Kon.M, kon_krav=True, tider=("vardag",), sprak="finska", sprak_krav=True,
              max_avstand_km=30)],
        [upp("U1", kon="M", sprak=("finska",), tider=("vardag",), x=50.0), upp("U2", kon="K", x=1.0),
         upp("U3", kon="M", sprak=("arabiska",), x=2.0), upp("U4", kon="M", sprak=("finska",), tider=("helg",))],
    )
    assert f.text == ("Ingen godkänd uppdragstagare som uppfyller kraven på kön, språk och tider bor inom 30 km. "
                      "Närmast: U1 (50 km).")
    assert_plain(f.text)


def test_hours_per_month_binding_before_max_uppdrag_is_said():
    # U1 tar två uppdrag men bara 10 timmar i månaden; båda besluten är 8 timmar.
    result = match([lage("A", dagar=200), lage("B", dagar=10)], [upp("U1", max_uppdrag=2, timmar=10)], [],
                   PER, settings=settings())
    assert [f.beslut_id for f in result.forslag] == ["A"]
    f = result.utan_person[0].forklaring
    assert f.kod == "upptagen"
    assert "A (200 dagar)" in f.text
    assert "timmarna som tar slut, inte antalet uppdrag" in f.text
    assert "2 timmar kvar i månaden" in f.text and "behöver 8" in f.text
    assert_plain(f.text)


def test_max_uppdrag_binding_does_not_blame_the_hours():
    result = match([lage("A", dagar=200), lage("B", dagar=10)], [upp("U1", max_uppdrag=1, timmar=40)], [],
                   PER, settings=settings())
    f = result.utan_person[0].forklaring
    assert "väntat längre: A (200 dagar)" in f.text
    assert "timmar" not in f.text


def proposal(wish: dict, person: dict):
    result = match([lage("A", dagar=40, **wish)], [upp("U1", **person)], [], PER, settings=settings())
    assert len(result.forslag) == 1
    return result.forslag[0]


def test_proposal_says_why_in_one_sentence_and_one_sentence_per_missed_wish():
    f = proposal(dict(intressen=("fiske", "musik"), tider=("vardag", "kvall"), kon=Kon.K, sprak="finska"),
                 dict(intressen=("fiske",), tider=("vardag",), kon="M", x=3.3))
    why = why_line(f.onskemal)
    assert why == "Bor 3,3 km bort, delar intresset fiske, kan vardagar och är nära i ålder (5 års skillnad)."
    assert missed_lines(f.onskemal) == ["Talar inte finska.", "Kan inte kvällar.",
                                        "Är inte kvinna, som den enskilde önskat."]
    assert_plain(why)
    for line in missed_lines(f.onskemal):
        assert len(sentences(line)) == 1
        assert_plain(line)
    # Registrets motivering (beslutets historik) är samma meningar, med stor bokstav i varje.
    assert f.motivering == " ".join([why, *missed_lines(f.onskemal)])
    assert_plain(f.motivering)


def test_a_half_met_time_wish_is_not_marked_as_met():
    f = proposal(dict(tider=("vardag", "kvall")), dict(tider=("kvall",)))
    assert "kan kvällar" in why_line(f.onskemal)
    assert "Kan inte vardagar." in missed_lines(f.onskemal)


def test_weights_only_in_the_details():
    f = proposal(dict(intressen=("schack",)), dict(intressen=("fiske",), x=30.0))
    assert "vikt" not in f.motivering and "%" not in f.motivering
    assert "Inga gemensamma intressen (önskat: schack)." in missed_lines(f.onskemal)
    assert "Bor långt bort (30 km)." in missed_lines(f.onskemal)
    assert all("vikt" in item_line(item) for item in f.onskemal)


def test_no_wishes_says_the_requirements_are_met():
    assert proposal_text(()) == "Uppfyller alla krav; inga önskemål att jämföra."


def test_recruitment_profile_writes_area_names_with_swedish_letters():
    a = lage("B", dagar=50, sprak="finska", sprak_krav=True)
    arende = match([a], [], [], PER, settings=settings()).utan_person[0].arende
    import attrs

    profile = recruitment_profile([attrs.evolve(arende, omrade="soder")])
    text = "\n".join(profile.lines())
    assert "Söder" in text and "soder" not in text
    assert "det enda beslutet utan person" in text


def test_requirements_for_all_people_at_once_equal_the_pair_by_pair_rules():
    """`Kravkolumner` (som förklaringarna använder) säger för varje krav, beslut och person samma
    sak som kravets egen regel, också nära avståndsgränsen."""
    from bemanning.matching.requirements import REQUIREMENTS, Context, Kravkolumner

    from .test_pruning import _instance

    checked = 0
    for seed in range(4):
        lagen, uppdrag, personal = _instance(seed)
        s = settings()
        ko = build_queue(lagen, s, Regel(), default_katalog())
        kandidater = build_kandidater(uppdrag, personal, PER, belastning=ko.belastning)
        cols = Kravkolumner(kandidater)
        for ctx in (Context(s.standard_max_avstand_km), Context(0.0), Context(9.0)):
            for a in ko.arenden:
                for req in REQUIREMENTS:
                    expected = [req.ok(a, k, ctx) for k in kandidater]
                    assert cols.ok(req.kod, a, ctx).tolist() == expected, (req.kod, a.beslut_id)
                    mask = cols.mask(req.kod, a, ctx)
                    assert [bool(mask >> i & 1) for i in range(len(kandidater))] == expected
                    assert cols.members(mask) == [k for k, ok in zip(kandidater, expected, strict=True) if ok]
                    checked += 1
    assert checked > 1000


def test_a_person_exactly_at_the_distance_limit_counts_as_within_it():
    from bemanning.matching.requirements import Context, Kravkolumner, _ok_avstand

    a = lage("B1", dagar=10, x=0.0, y=0.0, max_avstand_km=5.0)
    ko = build_queue([a], settings(), Regel(), default_katalog())
    people = [upp("U1", x=3.0, y=4.0), upp("U2", x=3.0, y=4.0 + 1e-12), upp("U3", x=3.0, y=4.01)]
    kandidater = build_kandidater(people, [], PER)
    ctx = Context(40.0)
    got = Kravkolumner(kandidater).ok("avstand", ko.arenden[0], ctx).tolist()
    assert got == [_ok_avstand(ko.arenden[0], k, ctx) for k in kandidater] == [True, True, False]


def test_distance_masks_for_many_beslut_at_once_equal_those_made_one_by_one():
    """`prepare_avstand` (alla beslut utan någon som passar, i block) ger samma avståndskrav som
    beslut för beslut, också exakt på gränsen, med en egen gräns och utan läge."""
    from bemanning.matching.requirements import REQUIREMENTS, Context, Kravkolumner

    from .test_pruning import _instance

    avstand = next(r for r in REQUIREMENTS if r.kod == "avstand")
    checked = 0
    for seed in range(4):
        lagen, uppdrag, personal = _instance(seed)
        lagen = [*lagen, lage("GRANS", dagar=5, x=0.0, y=0.0, max_avstand_km=5.0)]
        uppdrag = [*uppdrag, upp("UG1", x=3.0, y=4.0), upp("UG2", x=3.0, y=4.0 + 1e-12), upp("UG3", x=3.0, y=4.01)]
        ko = build_queue(lagen, settings(), Regel(), default_katalog())
        kandidater = build_kandidater(uppdrag, personal, PER, belastning=ko.belastning)
        for ctx in (Context(40.0), Context(0.0), Context(9.0)):
            cols = Kravkolumner(kandidater)
            cols.prepare_avstand(ko.arenden, ctx, block=7)
            assert cols._prepared[ctx]  # besluten med läge är räknade i förväg
            for a in ko.arenden:
                expected = [avstand.ok(a, k, ctx) for k in kandidater]
                mask = cols.mask("avstand", a, ctx)
                assert [bool(mask >> i & 1) for i in range(len(kandidater))] == expected, a.beslut_id
                checked += 1
    assert checked > 100


def test_explanations_shared_between_beslut_equal_those_made_one_by_one():
    """`Forklarare` ger varje beslut samma förklaring som `explain_no_candidate` och `explain_taken`
    för just det beslutet, och kedjans antal och "utan kravet"-antalen är de som kraven ger par för par."""
    import attrs

    from bemanning.matching.explain import Forklarare, explain_no_candidate, explain_taken
    from bemanning.matching.requirements import Context, applicable

    from .test_pruning import _instance

    compared = 0
    for seed in range(4):
        lagen, uppdrag, personal = _instance(seed)
        s = settings()
        ko = build_queue(lagen, s, Regel(), default_katalog())
        kandidater = build_kandidater(uppdrag, personal, PER, belastning=ko.belastning)
        ctx = Context(s.standard_max_avstand_km)
        # provfallen skriver kön som text; i registret är det alltid `Kon`
        arenden = [attrs.evolve(a, kon=None if a.kon is None else Kon(a.kon)) for a in ko.arenden]
        holders = {kandidater[0].kandidat_id: arenden[:2], kandidater[1].kandidat_id: arenden[2:3]}
        shared = Forklarare(kandidater, holders, ctx)
        for a in arenden + arenden:  # andra varvet: ur minnet
            got = shared.no_candidate(a)
            assert got == explain_no_candidate(a, kandidater, ctx)
            reqs = applicable(a)
            for index, step in enumerate(got.kedja):
                assert step.kvar == sum(all(r.ok(a, k, ctx) for r in reqs[:index + 1]) for k in kandidater)
            failing = [[r.kod for r in reqs if not r.ok(a, k, ctx)] for k in kandidater]
            assert dict(got.utan_krav) == {r.kod: failing.count([r.kod]) for r in reqs}
            fitting = [i for i in range(len(kandidater)) if (i + len(a.beslut_id)) % 3 == 0]
            if fitting:
                assert shared.taken(a, fitting) == explain_taken(a, [kandidater[i] for i in fitting], holders)
            compared += 1
    assert compared > 100
