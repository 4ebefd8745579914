"""Arbetsgången: varje steg är en daterad händelse som viks ihop rätt."""

from __future__ import annotations

from datetime import date

import pytest

from bemanning.errors import UserError
from bemanning.matching import workflow as wf
from bemanning.model.beslutslage import BeslutLage, fold_beslut

from .cases import lage


def apply(current: BeslutLage, events) -> BeslutLage:
    folded = fold_beslut([*current.historik, *events], current.enskild, date(2024, 12, 31))
    assert folded is not None
    return folded


def start() -> BeslutLage:
    from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
    from bemanning.model.serialize import to_record

    base = lage("B", dagar=100)
    reg = Handelse(Entitet.BESLUT, "B", HandelseTyp.REGISTRERAD, base.beslut.beslutsdatum, to_record(base.beslut))
    return apply(base, [reg])


def test_full_path_to_verkstallt():
    b = start()
    b = apply(b, wf.forslag_events(b, "U1", date(2024, 3, 1), "delar fiske"))
    assert [(f.kandidat, f.status) for f in b.forslag] == [("U1", "föreslagen")]
    assert wf.forslag_events(b, "U1", date(2024, 3, 2)) == []  # redan föreslagen
    b = apply(b, wf.godkann_events(b, "U1", date(2024, 3, 4)))
    assert b.forslag[0].status == "godkänd"
    b = apply(b, wf.erbjud_events(b, "U1", date(2024, 3, 10), "accepterat"))
    assert b.forslag[0].status == "accepterad"
    assert b.is_open  # accepterat är inte verkställt
    b = apply(b, wf.verkstall_events(b, date(2024, 3, 20)))
    assert b.verkstalld_datum == date(2024, 3, 20)
    assert not b.is_open
    with pytest.raises(UserError, match="redan verkställt"):
        wf.verkstall_events(b, date(2024, 3, 21))


def test_declined_offer_excludes_the_pair_and_keeps_the_beslut_open():
    b = start()
    b = apply(b, wf.godkann_events(b, "U1", date(2024, 3, 4)))  # vald av enhetschefen
    assert b.forslag[0].motivering == "vald av enhetschefen"
    b = apply(b, wf.erbjud_events(b, "U1", date(2024, 3, 10), "tackat-nej", "vill ha en kvinna"))
    assert b.is_open
    assert b.declined_candidates == frozenset({"U1"})
    assert b.latest_offer.declined and b.latest_offer.kandidat == "U1"
    with pytest.raises(UserError, match="tackat nej"):
        wf.godkann_events(b, "U1", date(2024, 3, 12))
    with pytest.raises(UserError, match="tackat nej"):
        wf.forslag_events(b, "U1", date(2024, 3, 12))


def test_steps_out_of_order_are_refused_with_a_hint():
    b = start()
    with pytest.raises(UserError, match="godkänn först"):
        wf.erbjud_events(b, "U1", date(2024, 3, 10), "accepterat")
    with pytest.raises(UserError, match="inget accepterat erbjudande"):
        wf.verkstall_events(b, date(2024, 3, 10))
    with pytest.raises(UserError, match="inget utfall"):
        wf.erbjud_events(b, "U1", date(2024, 3, 10), "kanske")
    b = apply(b, wf.godkann_events(b, "U1", date(2024, 3, 4)))
    with pytest.raises(UserError, match="avvisa det förslaget först"):
        wf.godkann_events(b, "U2", date(2024, 3, 5))
    with pytest.raises(UserError, match="före förslaget"):
        wf.erbjud_events(b, "U1", date(2024, 3, 1), "accepterat")


def test_rejected_proposal_then_another_person():
    b = start()
    b = apply(b, wf.forslag_events(b, "U1", date(2024, 3, 1)))
    b = apply(b, wf.avvisa_events(b, "U1", date(2024, 3, 2), "känner familjen"))
    assert b.forslag[0].status == "avvisad"
    b = apply(b, wf.godkann_events(b, "U2", date(2024, 3, 3)))
    assert {f.kandidat: f.status for f in b.forslag} == {"U1": "avvisad", "U2": "godkänd"}
