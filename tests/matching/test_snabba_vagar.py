"""De snabba vägarna i matchningen (issue 15, `matcha --json` på 100 000 beslut) ger samma svar som
de enkla: köns ordning, rekryteringsprofilen, lösaren i en egen tråd, och kommandoradens slut."""

from __future__ import annotations

import json
import os
import random
import re
import subprocess
import sys
from collections import Counter
from datetime import timedelta
from pathlib import Path

import attrs
import numpy as np
import pytest

from bemanning.cli import main
from bemanning.demo import DEMO_REFERENCE, load_demo
from bemanning.matching import engine
from bemanning.matching.arende import build_queue
from bemanning.matching.candidates import build_kandidater
from bemanning.matching.engine import UtanPerson, _in_queue_order, alongside, match_register
from bemanning.matching.explain import Forklarare, Forklaring, explain_taken
from bemanning.matching.recruitment import profile_for, recruitment_profile
from bemanning.matching.requirements import Context
from bemanning.matching.settings import Settings
from bemanning.matching.solver import MatchingProblem
from bemanning.model.insats import default_katalog
from bemanning.model.tremanadersregeln import Regel
from bemanning.model.values import Kon
from bemanning.store import open_register

from .cases import settings
from .test_pruning import PER, _instance

ROOT = Path(__file__).resolve().parents[2]


def _arenden(seed: int):
    lagen, _uppdrag, _personal = _instance(seed)
    ko = build_queue(lagen, settings(), Regel(), default_katalog())
    # provfallen skriver kön som text; i registret är det alltid `Kon`
    return [attrs.evolve(a, kon=None if a.kon is None else Kon(a.kon)) for a in ko.arenden]


def _plain_order(items):
    return sorted(items, key=lambda item: (not item.arende.forsenad, -item.arende.vantedagar, item.arende.beslut_id))


def test_queue_order_equals_sorting_on_overdue_wait_and_id_whatever_the_input_order():
    for seed in range(4):
        items = [UtanPerson(a, Forklaring("", None, "")) for a in _arenden(seed)]
        assert len({u.arende.vantedagar for u in items}) < len(items)  # lika väntan finns: ordningen på id prövas
        assert _in_queue_order(items) == _plain_order(items)  # i id-ordning: numpy-vägen
        shuffled = list(items)
        random.Random(seed).shuffle(shuffled)
        assert _in_queue_order(shuffled) == _plain_order(items)  # annars: den vanliga sorteringen


def test_recruitment_profile_counts_each_profile_as_one_per_beslut_would():
    for seed in range(4):
        arenden = _arenden(seed)
        random.Random(seed).shuffle(arenden)
        counted = Counter(profile_for(a) for a in arenden)
        expected = sorted(counted.items(), key=lambda item: (-item[1], item[0].text()))
        profile = recruitment_profile(arenden)
        assert list(profile.profiler) == expected
        assert profile.antal == len(arenden)


def test_the_solver_in_its_own_thread_gives_the_same_result_as_one_after_the_other(demo_db):
    """Utan förlopp löses problemet i en egen tråd medan förklaringarna skrivs; med förlopp efter
    varandra. Svaret är detsamma tecken för tecken (utom tiden), över flera dagar."""
    strip = re.compile(r'"sekunder": [0-9.e-]+')
    reg = open_register(demo_db)
    try:
        for day in (DEMO_REFERENCE, DEMO_REFERENCE - timedelta(days=60), DEMO_REFERENCE + timedelta(days=45)):
            together = match_register(reg, day, settings=Settings())
            stages: list[str] = []
            apart = match_register(reg, day, settings=Settings(),
                                   progress=lambda stage, _share, seen=stages: seen.append(stage))
            assert "löser" in stages
            assert any(u.forklaring.kod == "krav" for u in together.utan_person)  # förklaringar ur tråden
            assert strip.sub("", together.json_text()) == strip.sub("", apart.json_text())
    finally:
        reg.close()


def test_alongside_returns_both_answers_and_passes_on_an_error_from_either_side():
    assert alongside(lambda: "bak", lambda: "fram") == ("bak", "fram")

    def fail() -> None:
        raise ValueError("i tråden")

    with pytest.raises(ValueError, match="i tråden"):
        alongside(fail, lambda: "fram")
    with pytest.raises(KeyError):
        alongside(lambda: "bak", lambda: {}["saknas"])


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
    load_demo(path, today=DEMO_REFERENCE)
    return path


def test_matcha_json_as_a_process_writes_the_whole_answer_and_ends_with_code_zero(demo_db, capsys):
    """Från kommandoraden slutar processen direkt efter svaret (utan Pythons nedmontering): svaret är
    ändå helt, samma som när kommandot körs i processen, och slutkoden 0."""
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    argv = ["--db", str(demo_db), "matcha", "--json", "--per", DEMO_REFERENCE.isoformat()]
    proc = subprocess.run([sys.executable, "-m", "bemanning", *argv], capture_output=True, env=env, check=False)
    assert proc.returncode == 0, proc.stderr.decode()
    assert main(argv) == 0
    inside = capsys.readouterr().out
    strip = re.compile(r'"sekunder": [0-9.e-]+')
    text = proc.stdout.decode()
    assert text.endswith("}\n")
    assert strip.sub("", text) == strip.sub("", inside)
    assert json.loads(text)["utan_person"] is not None
    reg = open_register(demo_db)
    try:
        direct = match_register(reg, DEMO_REFERENCE, settings=Settings())
    finally:
        reg.close()
    assert len(json.loads(text)["forslag"]) == len(direct.forslag)


def test_matcha_json_in_another_encoding_than_utf8_is_the_same_text(demo_db):
    """Svaret skrivs som UTF-8 direkt till byteströmmen; med en annan kodning på standard ut (här
    UTF-16) går det den vanliga vägen genom textströmmen och blir samma text i den kodningen."""
    argv = [sys.executable, "-m", "bemanning", "--db", str(demo_db), "matcha", "--json", "--per",
            DEMO_REFERENCE.isoformat()]
    texts = {}
    for encoding in ("utf-8", "utf-16"):
        env = dict(os.environ, PYTHONPATH=str(ROOT), PYTHONIOENCODING=encoding)
        proc = subprocess.run(argv, capture_output=True, env=env, check=False)
        assert proc.returncode == 0, proc.stderr.decode(encoding)
        texts[encoding] = re.sub(r'"sekunder": [0-9.e-]+', "", proc.stdout.decode(encoding))
    assert any(ch in texts["utf-8"] for ch in "åäö")  # annars prövar provet inte kodningen
    assert texts["utf-16"] == texts["utf-8"]


def test_matcha_json_to_a_reader_that_stops_early_ends_quietly(demo_db):
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    argv = [sys.executable, "-m", "bemanning", "--db", str(demo_db), "matcha", "--json", "--per",
            DEMO_REFERENCE.isoformat()]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.read(10)
    proc.stdout.close()
    err = proc.stderr.read()
    assert proc.wait() in (0, 141)  # demots svar kan rymmas i rörets buffert innan läsaren slutar
    assert b"Traceback" not in err


def test_without_gc_does_not_leave_a_full_collection_for_the_next_allocation():
    """Efter `without_gc` räknas det som skapades under tiden som gammalt: nästa skräpsamling går
    inte igenom allt på en gång, men det som blir skräp i cykler samlas fortfarande in."""
    import gc
    import weakref

    from bemanning.matching.indata import without_gc

    class Node:
        pass

    assert gc.isenabled()
    with without_gc():
        kept = [[i] for i in range(50000)]
        cycle = Node()
        cycle.self = cycle  # type: ignore[attr-defined]
        gone = weakref.ref(cycle)
        del cycle
    assert gc.isenabled()
    assert gc.get_count()[0] < 1000  # inte 50 000 nya objekt som väntar på nästa samling
    assert gone() is not None  # cykeln finns kvar tills en full skräpsamling körs
    gc.collect()
    assert gone() is None
    assert len(kept) == 50000


def test_coverage_for_all_beslut_at_once_is_coverage_value_for_each():
    """Täckningens värde räknat för alla beslut på en gång (numpy) är `coverage_value` för varje
    beslut, också med inställningar vars tal inte ryms i numpys väg."""
    from types import SimpleNamespace

    from bemanning.matching.engine import _coverage_values, coverage_value

    beslut = [SimpleNamespace(vantedagar=v, forsenad=f) for v in (0, 1, 90, 1825, 1826, 40000) for f in (False, True)]
    for s in (Settings(), Settings(bas=7, per_vantedag=3, vantedagar_tak=100, forsenad_bonus=2**40)):
        values = _coverage_values([a.vantedagar for a in beslut], [a.forsenad for a in beslut], s)
        assert [int(x) for x in values] == [coverage_value(a, s) for a in beslut]


def _without_groups(monkeypatch):
    """`_taken_in_groups` av: "upptagen" förklaras då med ett anrop per beslut, som förut."""
    monkeypatch.setattr(engine, "GROUP_WORDS", -1)


def test_taken_explanations_counted_in_groups_are_those_counted_beslut_by_beslut(monkeypatch):
    """Besluten som någon passar men som blev utan person grupperas (samma personer, samma svar på om
    de som tog dem väntat längre, samma timmar) och förklaras en gång per grupp: samma förklaringar,
    i samma ordning, som när varje beslut förklaras för sig."""
    strip = re.compile(r'"sekunder": [0-9.e-]+')
    cases = []
    for seed in range(6):
        lagen, uppdrag, personal = _instance(seed)
        ko = attrs.evolve(build_queue(lagen, settings(), Regel(), default_katalog()), arenden=tuple(_arenden(seed)))
        for few in (None, 12, 5, 3):  # med få personer: fler utan person fast någon passar, fler i varje grupp
            cases.append((ko, uppdrag[:few], personal[:few]))
    grouped = [engine.match_queue(ko, u, p, PER, settings=settings()) for ko, u, p in cases]
    taken = sum(u.forklaring.kod == "upptagen" for r in grouped for u in r.utan_person)
    assert taken > 20  # annars prövas inget
    _without_groups(monkeypatch)
    for (ko, u, p), expected in zip(cases, grouped, strict=True):
        one_by_one = engine.match_queue(ko, u, p, PER, settings=settings())
        assert expected.utan_person == one_by_one.utan_person
        assert strip.sub("", expected.json_text()) == strip.sub("", one_by_one.json_text())


def test_groups_of_fitting_persons_are_equal_exactly_when_the_persons_are(monkeypatch):
    """`_fitting_groups`: samma grupp för två beslut precis när samma personer passar dem, också med
    fler personer än ett ord om 63 bitar rymmer; -1 för beslut som ingen passar."""
    rng = random.Random(3)
    n_beslut, n_kandidat = 300, 200
    pairs = sorted({(b, rng.choice((k, k + 70, k + 140)))  # få olika mängder, så att grupper delas
                    for b in range(n_beslut) if b % 7 for k in rng.sample(range(3), rng.randint(1, 3))})
    eb = np.array([b for b, _ in pairs], dtype=np.int64)
    ek = np.array([k for _, k in pairs], dtype=np.int64)
    zeros = np.zeros(len(pairs), dtype=np.int64)
    problem = MatchingProblem.from_arrays([1] * n_beslut, [False] * n_beslut, [1.0] * n_beslut,
                                          [1] * n_kandidat, [10.0] * n_kandidat, eb, ek, zeros, zeros)
    groups = engine._fitting_groups(problem).tolist()
    persons = [frozenset(k for b2, k in pairs if b2 == b) for b in range(n_beslut)]
    assert all((groups[b] == -1) == (not persons[b]) for b in range(n_beslut))
    assert len(set(groups)) < n_beslut // 2  # grupper delas
    for b in range(n_beslut):
        for c in range(n_beslut):
            if persons[b] and persons[c]:
                assert (groups[b] == groups[c]) == (persons[b] == persons[c])
    monkeypatch.setattr(engine, "GROUP_WORDS", 3)  # 200 personer behöver 4 ord
    assert engine._fitting_groups(problem) is None


def test_matcha_json_prepared_while_the_solver_works_is_the_same_text(demo_db):
    """Med `prepare_json` kodas förklaringarna som inte beror på lösningen medan lösaren arbetar:
    samma JSON-text som utan, och samma text när den skrivs två gånger."""
    strip = re.compile(r'"sekunder": [0-9.e-]+')
    reg = open_register(demo_db)
    try:
        for day in (DEMO_REFERENCE, DEMO_REFERENCE + timedelta(days=45)):
            prepared = match_register(reg, day, settings=Settings(), prepare_json=True)
            assert prepared.json_memo  # förklaringar kodade i förväg
            plain = match_register(reg, day, settings=Settings())
            first = strip.sub("", prepared.json_text())
            assert first == strip.sub("", plain.json_text())
            assert strip.sub("", prepared.json_text()) == first
            assert attrs.evolve(prepared, sekunder=0.0).json_memo == {}  # ett nytt resultat börjar tomt
    finally:
        reg.close()


def test_taken_in_groups_is_taken_for_each_beslut_whoever_holds_the_persons():
    """`_taken_in_groups` mot `Forklarare.taken` beslut för beslut, med slumpade tilldelningar (inte
    lösarens): personerna tas då av beslut som väntat både längre och kortare, lika länge, och med
    olika timmar."""
    rng = random.Random(7)
    checked = Counter()
    for seed in range(4):
        _lagen, uppdrag, personal = _instance(seed)
        # väntan i hela hundratal dagar: beslut som väntat lika länge som de som tagit personerna
        arenden = [attrs.evolve(a, vantedagar=a.vantedagar // 100 * 100) for a in _arenden(seed)]
        kandidater = build_kandidater(uppdrag[:6], personal[:3], PER)
        problem, fitting = engine.build_problem(arenden, kandidater, settings(), PER)
        for share in (0.02, 0.05, 0.1, 0.3, 0.5) * 2:  # få tagna: också personer som ingen tagit
            assignment = [rng.choice(found) if found and rng.random() < share else -1 for found in fitting]
            holders: dict[str, list] = {}
            for b, k in enumerate(assignment):
                if k >= 0:
                    holders.setdefault(kandidater[k].kandidat_id, []).append(arenden[b])
            ctx = Context(settings().standard_max_avstand_km)
            grouped = engine._taken_in_groups(arenden, fitting, problem, assignment,
                                              Forklarare(kandidater, holders, ctx))
            single = Forklarare(kandidater, holders, ctx)
            for b, a in enumerate(arenden):
                if assignment[b] >= 0 or not fitting[b]:
                    assert grouped[b] is None
                    continue
                expected = single.taken(a, fitting[b])
                assert grouped[b] == expected
                assert expected == explain_taken(a, [kandidater[i] for i in fitting[b]], holders)
                checked["väntat längre" if "väntat längre:" in expected.text else "andra"] += 1
                shortest = single.shortest_wait(fitting[b])
                checked["ingen tagen" if shortest is None else "lika länge" if shortest == a.vantedagar else ""] += 1
    assert all(checked[what] > 5 for what in ("väntat längre", "andra", "ingen tagen", "lika länge")), checked


def test_stability_of_each_pair_is_whether_the_person_was_proposed_before():
    """`build_problem`: stabiliteten för ett par är 1 precis när personens id är beslutets tidigare
    förslag (jämförd som heltal när id:n är unika, annars som text), aldrig för ett tomt eller okänt id."""
    rng = random.Random(5)
    for seed in range(3):
        _lagen, uppdrag, personal = _instance(seed)
        kandidater = build_kandidater(uppdrag, personal, PER)
        for people in (kandidater, [*kandidater, kandidater[0]]):  # med ett id två gånger: texterna jämförs
            ids = [k.kandidat_id for k in people]
            arenden = [attrs.evolve(a, tidigare_kandidat=rng.choice((None, "", "X99", *ids)))
                       for a in _arenden(seed)]
            problem, _fitting = engine.build_problem(arenden, people, settings(), PER)
            expected = [int(bool(arenden[b].tidigare_kandidat) and ids[k] == arenden[b].tidigare_kandidat)
                        for b, k in zip(problem.edge_b.tolist(), problem.edge_k.tolist(), strict=True)]
            assert problem.stab.tolist() == expected
            assert 0 < sum(expected) < len(expected)
