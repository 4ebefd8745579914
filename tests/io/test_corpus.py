"""Korpusen av trasiga filer (tests/io/corpus.py): varje fil ger sitt svenska meddelande, slutkod 1,
ingen traceback, inget personnummer, och registret är exakt som före (hash av alla händelser)."""

from __future__ import annotations

import hashlib
import re
import shutil
import tempfile
import threading
from datetime import date
from pathlib import Path

import pytest

from bemanning.cli import main
from bemanning.io.importer import import_files
from bemanning.io.problems import ImportFailed
from bemanning.store import open_register
from tests.io import corpus

PNR_ANYWHERE = re.compile(r"(?<![0-9])(?:[0-9]{2})?[0-9]{6}[-+ ]?[0-9]{4}(?![0-9])")


def events_hash(db: str) -> str:
    reg = open_register(db, user="testare")
    try:
        digest = hashlib.sha256()
        for e in reg.events():
            digest.update(repr((e.id, e.entitet.value, e.nyckel, e.typ.value, e.datum, sorted(e.data.items()),
                                e.kalla)).encode())
        return digest.hexdigest()
    finally:
        reg.close()


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("korpus")
    return corpus.build(folder)


@pytest.fixture
def seeded_db(tmp_path) -> str:
    db = str(tmp_path / "register.sqlite")
    start = tmp_path / "start.csv"
    start.write_text(corpus.HEADER + "S1;PS1;M;SoL – kontaktperson;2023-01-01\n", encoding="utf-8")
    assert main(["--db", db, "importera", str(start)]) == 0
    return db


def run(db: str, args: list[str], capsys) -> tuple[int, str]:
    """`bemanning importera` i en tråd: en fil som får läsningen att vänta ger fel, inte ett hängande test."""
    outcome: dict[str, int] = {}
    thread = threading.Thread(target=lambda: outcome.setdefault("rc", main(["--db", db, "importera", *args])),
                              daemon=True)
    thread.start()
    thread.join(30)
    assert not thread.is_alive(), f"importen av {args} hänger"
    captured = capsys.readouterr()
    return outcome["rc"], captured.out + captured.err


def _class_names() -> list[str]:
    folder = Path(tempfile.mkdtemp(prefix="korpus-"))
    try:
        return [c[0] for c in corpus.build(folder / "k")]
    finally:
        shutil.rmtree(folder, ignore_errors=True)


CLASSES = _class_names()


def test_corpus_has_one_file_per_failure_class(built):
    names = [name for name, _, _ in built]
    assert len(names) == len(set(names)) >= 40


@pytest.mark.parametrize("klass", CLASSES)
def test_corpus_file_gives_its_message_exit_1_and_leaves_the_register_exact(built, seeded_db, capsys, klass):
    _, args, message = next(c for c in built if c[0] == klass)
    before = events_hash(seeded_db)
    rc, output = run(seeded_db, args, capsys)
    assert rc == 1, (klass, output)
    assert message in output, (klass, output)
    assert "Traceback" not in output
    assert not PNR_ANYWHERE.search(output), (klass, output)
    assert "\x1b" not in output and "\x07" not in output and "\x00" not in output
    assert events_hash(seeded_db) == before, klass


def test_no_message_over_the_corpus_names_a_personnummer(built, seeded_db, capsys):
    outputs = [run(seeded_db, args, capsys)[1] for _, args, _ in built]
    assert outputs and all(not PNR_ANYWHERE.search(o) for o in outputs)
    assert sum("[personnummer]" in o for o in outputs) >= 2


def test_utf16_and_utf32_with_bom_are_read(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite")
    for codec, bom in (("utf-16-le", b"\xff\xfe"), ("utf-16-be", b"\xfe\xff"), ("utf-32-le", b"\xff\xfe\x00\x00")):
        path = tmp_path / f"{codec}.csv"
        path.write_bytes(bom + corpus.GOOD.replace("B1", codec).encode(codec))
        rc, output = run(db, [str(path)], capsys)
        assert rc == 0, output
    reg = open_register(db)
    assert sorted(reg.beslut_ids()) == ["utf-16-be", "utf-16-le", "utf-32-le"]
    reg.close()


def test_pure_cp1252_is_read_with_a_warning_and_kodning_reads_mixed_files(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite")
    path = tmp_path / "cp.csv"
    path.write_bytes((corpus.HEADER + "B1;P1;K;LSS – kontaktperson;2023-02-03\n").encode("cp1252"))
    rc, output = run(db, [str(path)], capsys)
    assert rc == 0
    assert "lästes som Windows-1252 (cp1252)" in output
    mixed = tmp_path / "mixed.csv"
    mixed.write_bytes((corpus.HEADER + "B2;Pö;K;LSS - kontaktperson;2023-02-03\n").encode() + b"B3;P\xe5;K;LSS - kontaktperson;2023-02-03\n")
    rc, output = run(db, [str(mixed)], capsys)
    assert rc == 1 and "rad 3, kolumn 5: byte E5 är inte giltig UTF-8" in output
    rc, output = run(db, ["--kodning", "cp1252", str(mixed)], capsys)
    assert rc == 0, output


def test_mojibake_in_utf8_gives_a_warning(tmp_path, capsys):
    db = str(tmp_path / "r.sqlite")
    path = tmp_path / "moji.csv"
    path.write_text(corpus.HEADER.strip() + ";omrade\nB1;P1;K;LSS – kontaktperson;2023-02-03;SamplaneringsomrÃ¥de\n",
                    encoding="utf-8")
    rc, output = run(db, [str(path)], capsys)
    assert rc == 0
    assert 'varning: moji.csv, rad 2, kolumn 56: texten innehåller "Ã¥"' in output


def test_permission_denied_is_a_message_not_a_traceback(tmp_path, monkeypatch, capsys):
    import errno
    import os

    path = tmp_path / "hemlig.csv"
    path.write_text(corpus.GOOD, encoding="utf-8")
    real_stat = os.stat

    def denied(target, *args, **kwargs):
        if str(target) == str(path):
            raise PermissionError(errno.EACCES, "Permission denied", str(target))
        return real_stat(target, *args, **kwargs)

    monkeypatch.setattr(os, "stat", denied)
    rc, output = run(str(tmp_path / "r.sqlite"), [str(path)], capsys)
    assert rc == 1
    assert "hemlig.csv: du saknar behörighet att läsa filen" in output


def test_a_leading_apostrophe_before_a_formula_sign_is_dropped_on_import(reg, tmp_path):
    path = tmp_path / "apostrof.csv"
    path.write_text(corpus.HEADER.strip() + ";enhet\nB1;P1;K;LSS – kontaktperson;2023-02-03;'=1+1\n",
                    encoding="utf-8")
    import_files(reg, [path], today=date(2024, 1, 3))
    assert reg.beslut_lage("B1", date(2024, 1, 3)).beslut.enhet == "=1+1"


def test_import_files_refuses_corpus_files_on_every_backend(reg, tmp_path):
    """Samma läsning på båda databaserna: trasig fil, inget ändrat."""
    start = tmp_path / "start.csv"
    start.write_text(corpus.GOOD, encoding="utf-8")
    import_files(reg, [start], today=date(2024, 1, 3))
    before = reg.last_event_id()
    for klass, args, message in corpus.build(tmp_path / "k"):
        if klass.startswith("mappning") or klass in ("fifo", "enhet") or klass.startswith("id-skiftlage-reg"):
            continue
        if klass == "katalog":  # kommandot läser katalogens filer; import_files själv får bara filer
            message = "är en katalog, inte en fil"
        with pytest.raises(ImportFailed) as exc:
            import_files(reg, [Path(args[0])], today=date(2024, 1, 3))
        assert any(message.split(": ", 1)[-1][:30] in d for d in exc.value.details), (klass, exc.value.details)
    assert reg.last_event_id() == before


def test_the_store_refuses_an_id_over_100_characters(reg):
    from bemanning.model import Entitet, Handelse, HandelseTyp

    with pytest.raises(Exception):  # noqa: B017 - databasens eget fel, olika per databas
        reg.append([Handelse(Entitet.BESLUT, "B" * 101, HandelseTyp.REGISTRERAD, date(2024, 1, 1), {}, "test")])
    assert reg.last_event_id() == 0
