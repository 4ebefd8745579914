"""Krav: varje krav kan uppfyllas och brytas, och ett omöjligt beslut får rätt skäl."""

from __future__ import annotations

from datetime import date

import pytest

from bemanning.matching.engine import match
from bemanning.model.handelse import HandelseTyp
from bemanning.model.resurser import Vetting
from bemanning.model.values import Kon

from .cases import PER, ev, lage, pers, settings, upp


def only_reason(lagen, people, staff=()):
    result = match(lagen, people, list(staff), PER, settings=settings())
    assert not result.forslag
    assert len(result.utan_person) == 1
    return result.utan_person[0].forklaring


def test_language_required_far_away_gives_language_and_distance_in_the_reason():
    f = only_reason(
        [lage("B", dagar=100, sprak="finska", sprak_krav=True, max_avstand_km=30)],
        [upp("U1", sprak=("finska",), x=50.0), upp("U2", x=1.0), upp("U3", sprak=("finska",), x=45.0)],
    )
    assert f.kod == "krav"
    assert f.krav == "avstand"
    assert f.text == "Ingen godkänd uppdragstagare som talar finska bor inom 30 km. Närmast: U3 (45 km)."
    assert f.detaljer[1:3] == ("2 av dem talar finska.", "Ingen av dem bor inom 30 km (och inom sin egen gräns).")
    assert "Utan kravet på språk skulle 1 person passa." in f.detaljer
    assert dict(f.utan_krav)["sprak"] == 1


@pytest.mark.parametrize(
    ("wish", "person", "code"),
    [
        (dict(kon=Kon.K, kon_krav=True), dict(kon="M"), "kon"),
        (dict(sprak="finska", sprak_krav=True), dict(sprak=("arabiska",)), "sprak"),
        (dict(sarskilda_behov=("autism",)), dict(erfarenheter=("demens",)), "behov"),
        (dict(tider=("helg",)), dict(tider=("vardag", "kvall")), "tider"),
        (dict(max_avstand_km=5), dict(x=6.0), "avstand"),
        (dict(undantagna=("U1",)), dict(), "utesluten"),
        (dict(), dict(alder_min=40), "alder"),  # den enskilde är 33 år
        (dict(), dict(max_avstand_km=2, x=3.0), "avstand"),  # personens egen gräns
        (dict(), dict(timmar=4), "kapacitet"),  # beslutet är 8 timmar i månaden
    ],
)
def test_each_requirement_binds_alone(wish, person, code):
    f = only_reason([lage("B", dagar=50, **wish)], [upp("U1", **person)])
    assert f.krav == code
    # och kravet kan uppfyllas: utan beslutets krav (eller personens gräns) passar personen
    if wish:
        ok = match([lage("B", dagar=50)], [upp("U1", **person)], [], PER, settings=settings())
    else:
        ok = match([lage("B", dagar=50)], [upp("U1")], [], PER, settings=settings())
    assert len(ok.forslag) == 1


@pytest.mark.parametrize(
    ("person", "hinder"),
    [
        (dict(status=Vetting.REFERENSER), "inte godkänd ännu (status: referenser)"),
        (dict(utdrag=None), "registerutdrag saknas"),
        (dict(utdrag=date(2022, 12, 1)), "registerutdraget är äldre än 12 månader"),
    ],
)
def test_vetting_and_registerutdrag(person, hinder):
    f = only_reason([lage("B", dagar=50)], [upp("U1", **person)])
    assert f.krav == "mojlig"
    assert f.text.startswith("Det finns ingen godkänd uppdragstagare")
    assert any(hinder in d for d in f.detaljer)


def test_staff_need_free_hours_and_to_take_uppdrag():
    assert only_reason([lage("B", dagar=5)], [], [pers("P1", timmar=None)]).krav == "mojlig"
    assert only_reason([lage("B", dagar=5)], [], [pers("P1", kan=False)]).krav == "mojlig"
    result = match([lage("B", dagar=5)], [], [pers("P1", timmar=10)], PER, settings=settings())
    assert result.forslag[0].kandidat.typ == "personal"


def test_staff_only_insats_never_gets_an_uppdragstagare():
    f = only_reason([lage("B", dagar=5, insats="LSS – korttidstillsyn")], [upp("U1")])
    assert f.krav == "personal"


def test_declined_pair_is_never_proposed_again():
    events = [
        ev("B", HandelseTyp.FORSLAG, date(2024, 1, 10), kandidat="U1", motivering=""),
        ev("B", HandelseTyp.GODKANT, date(2024, 1, 11), kandidat="U1"),
        ev("B", HandelseTyp.ERBJUDANDE, date(2024, 1, 20), utfall="tackat nej", kandidat="U1"),
    ]
    b = lage("B", dagar=100, events=events)
    # U1 passar bäst på alla sätt, men den enskilde har tackat nej till U1.
    result = match([b], [upp("U1", intressen=("fiske",)), upp("U2", x=20.0)], [], PER, settings=settings())
    assert [f.kandidat.kandidat_id for f in result.forslag] == ["U2"]
    f = only_reason([b], [upp("U1")])
    assert f.krav == "utesluten"


def test_rejected_proposal_is_not_proposed_again():
    events = [
        ev("B", HandelseTyp.FORSLAG, date(2024, 1, 10), kandidat="U1", motivering=""),
        ev("B", HandelseTyp.AVVISAT, date(2024, 1, 11), kandidat="U1"),
    ]
    f = only_reason([lage("B", dagar=100, events=events)], [upp("U1")])
    assert f.krav == "utesluten"


def test_capacity_used_by_accepted_uppdrag():
    events = [
        ev("A", HandelseTyp.FORSLAG, date(2024, 1, 10), kandidat="U1", motivering=""),
        ev("A", HandelseTyp.GODKANT, date(2024, 1, 11), kandidat="U1"),
        ev("A", HandelseTyp.ERBJUDANDE, date(2024, 1, 20), utfall="accepterat", kandidat="U1"),
    ]
    result = match([lage("A", dagar=100, events=events), lage("B", dagar=10)], [upp("U1")], [], PER,
                   settings=settings())
    assert not result.forslag
    assert [x.beslut_id for x in result.lasta] == ["A"]
    assert result.utan_person[0].forklaring.krav == "kapacitet"


def test_non_matchable_insats_is_left_to_the_reports():
    result = match([lage("B", dagar=100, insats="LSS – gruppbostad")], [upp("U1")], [], PER, settings=settings())
    assert not result.forslag and not result.utan_person
    assert result.hoppade_over == 1
