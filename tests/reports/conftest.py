"""Hjälp för rapporttesterna: beslutslägen byggda för hand, ett litet register, fixturen."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from bemanning.model import Enskild, Entitet, Handelse, HandelseTyp, Kon, fold_beslut

SHARED = Path(__file__).resolve().parents[2].parent / "shared"
FIXTURE = SHARED / "fixtures" / "ludvika-2023"
GOLDEN = Path(__file__).resolve().parent / "golden"


@pytest.fixture(autouse=True)
def _no_user_config(tmp_path_factory, monkeypatch):
    """Användarens egna inställningar får inte påverka testerna."""
    monkeypatch.setenv("BEMANNING_CONFIG", str(tmp_path_factory.getbasetemp() / "finns-inte.toml"))
    monkeypatch.delenv("BEMANNING_DATA", raising=False)


@pytest.fixture
def fixture_dir() -> Path:
    if not FIXTURE.is_dir():
        pytest.skip(f"../shared saknas ({FIXTURE}); fixturtestet kräver shared/fixtures/ludvika-2023")
    return FIXTURE


def ev(beslut_id: str, typ: HandelseTyp, datum: str, data: dict | None = None) -> Handelse:
    return Handelse(Entitet.BESLUT, beslut_id, typ, date.fromisoformat(datum), data=dict(data or {}))


def lage(
    beslut_id: str,
    insats: str,
    beslutsdatum: str,
    per: str,
    *,
    kon: str = "K",
    person_id: str | None = None,
    orsak: int | None = None,
    fodelsear: int | None = None,
    events: tuple[tuple, ...] = (),
):
    """Ett beslutsläge per `per`; `events` är (typ, datum, data) efter registreringen."""
    person_id = person_id or f"P-{beslut_id}"
    record = {
        "beslut_id": beslut_id,
        "person_id": person_id,
        "insats": insats,
        "beslutsdatum": beslutsdatum,
        "orsak": orsak,
    }
    handelser = [ev(beslut_id, HandelseTyp.REGISTRERAD, beslutsdatum, record)]
    for typ, datum, *rest in events:
        handelser.append(ev(beslut_id, typ, datum, rest[0] if rest else None))
    enskild = Enskild(person_id=person_id, kon=Kon(kon), fodelsear=fodelsear)
    result = fold_beslut(handelser, enskild, date.fromisoformat(per))
    assert result is not None
    return result


def write_csv(path: Path, header: str, rows: list[str]) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


BESLUT_HEADER = "beslut_id;person_id;kon;insats;beslutsdatum;verkstalld_datum;avslutad_datum;avslutsorsak;orsak"
ERBJUDANDEN_HEADER = "beslut_id;datum;utfall;kommentar"


@pytest.fixture
def register_factory(tmp_path):
    """Bygger ett register ur CSV-rader med den riktiga importen."""
    from bemanning.io.importer import import_files
    from bemanning.store import open_register

    opened = []

    def make(beslut: list[str], erbjudanden: list[str] = (), today: date = date(2024, 1, 3)):
        reg = open_register(tmp_path / f"reg{len(opened)}.sqlite")
        opened.append(reg)
        files = [write_csv(tmp_path / f"beslut{len(opened)}.csv", BESLUT_HEADER, beslut)]
        if erbjudanden:
            files.append(write_csv(tmp_path / f"erbj{len(opened)}.csv", ERBJUDANDEN_HEADER, list(erbjudanden)))
        import_files(reg, files, today=today)
        return reg

    yield make
    for reg in opened:
        reg.close()


@pytest.fixture
def ludvika(fixture_dir, tmp_path):
    from bemanning.io.importer import import_files
    from bemanning.store import open_register

    reg = open_register(tmp_path / "ludvika.sqlite")
    import_files(reg, [fixture_dir / "beslut.csv", fixture_dir / "erbjudanden.csv"], today=date(2024, 1, 3))
    yield reg
    reg.close()
