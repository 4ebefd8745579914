"""Roller och vad var och en får se (OSL 26 kap.): det en roll inte får se visas inte alls.

- enhetschef: beslut och personal för de egna enheterna (och uppdragstagarna, som är gemensamma)
- schemaläggare: personal och scheman för enheterna i det egna området; inga beslut
- controller: rapporter och antal, utan namn eller personnummer
- administratör: allt, och registret självt (import, migrering, kopiering)
- granskare: läser loggningen (vem öppnade eller ändrade vad)

Vem användaren är avgörs på ett ställe, `bemanning.services.rights.current_user`: i ett gemensamt
register (PostgreSQL) av servern (inloggningen, dess grupproller och tabellen `behorighet`), i en
egen registerfil (SQLite) av datorns konto, som är administratör om inte inställningarna ger
konton roller (`users_from_config`, för att prova hur en roll ser registret).

Gränssnittet filtrerar med `visible_beslut`, `visible_personal`, `visible_uppdragstagare`, tar bort
namnkolumner med `redact_rows` och visar personnummer med `show_person_id` (att visa ett helt
nummer loggas av den som anropar: `Register.log_access(VISAT_PERSONNUMMER, beslut_id=…)`).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from enum import Enum
from typing import Any

import attrs

from bemanning.errors import UserError
from bemanning.model import personnummer
from bemanning.model.beslutslage import BeslutLage
from bemanning.model.enhet import Enhet
from bemanning.model.resurser import Personal, Uppdragstagare


class Roll(str, Enum):
    ENHETSCHEF = "enhetschef"
    SCHEMALAGGARE = "schemalaggare"
    CONTROLLER = "controller"
    ADMINISTRATOR = "administrator"
    GRANSKARE = "granskare"


class Behorighet(str, Enum):
    SE_BESLUT = "se beslut"  # ett besluts uppgifter och historik (inom enheterna)
    ANDRA_BESLUT = "ändra beslut"
    SE_NAMN = "se namn"  # namn och id på enskilda, personal och uppdragstagare
    SE_PERSONNUMMER = "se personnummer"  # på begäran, loggas
    SE_PERSONAL = "se personal"
    SE_UPPDRAGSTAGARE = "se uppdragstagare"
    SE_SCHEMA = "se schema"
    ANDRA_SCHEMA = "ändra schema"
    SE_RAPPORTER = "se rapporter"
    MATCHA = "matcha"
    HANTERA_REGISTER = "hantera registret"  # import, migrering, kopiering
    ANDRA_UPPDRAGSTAGARE = "ändra uppdragstagare"  # skapa och ändra (uppdragstagarna är gemensamma)
    ANDRA_PERSONAL = "ändra personal"  # inom de egna enheterna eller områdena
    HANTERA_BEHORIGHET = "hantera behörigheter"  # ge och ta roller, enheter och områden
    GRANSKA_LOGGNING = "granska loggningen"


B = Behorighet
ROLE_RIGHTS: dict[Roll, frozenset[Behorighet]] = {
    Roll.ENHETSCHEF: frozenset({B.SE_BESLUT, B.ANDRA_BESLUT, B.SE_NAMN, B.SE_PERSONNUMMER, B.SE_PERSONAL,
                                B.SE_UPPDRAGSTAGARE, B.SE_SCHEMA, B.SE_RAPPORTER, B.MATCHA,
                                B.ANDRA_UPPDRAGSTAGARE, B.ANDRA_PERSONAL}),
    Roll.SCHEMALAGGARE: frozenset({B.SE_NAMN, B.SE_PERSONAL, B.SE_SCHEMA, B.ANDRA_SCHEMA, B.ANDRA_PERSONAL}),
    Roll.CONTROLLER: frozenset({B.SE_RAPPORTER}),
    Roll.ADMINISTRATOR: frozenset(set(Behorighet) - {B.GRANSKA_LOGGNING}),
    Roll.GRANSKARE: frozenset({B.GRANSKA_LOGGNING}),
}

# Kolumner och fält som pekar ut en människa. En controller ser dem aldrig.
IDENTIFYING = frozenset({
    "namn", "person_id", "personnummer", "enskild", "kandidat", "uppdragstagare", "uppdragstagare_id",
    "personal", "personal_id", "handlaggare", "kontaktperson", "x_km", "y_km", "kommentar",
})


@attrs.frozen
class Anvandare:
    namn: str
    roller: frozenset[Roll]
    enheter: frozenset[str] = frozenset()  # enhetschefens enheter
    omraden: frozenset[str] = frozenset()  # schemaläggarens samplaneringsområden

    @property
    def is_admin(self) -> bool:
        return Roll.ADMINISTRATOR in self.roller


def may(user: Anvandare, right: Behorighet) -> bool:
    return any(right in ROLE_RIGHTS[r] for r in user.roller)


def may_audit(user: Any) -> bool:
    return isinstance(user, Anvandare) and may(user, Behorighet.GRANSKA_LOGGNING)


def require(user: Anvandare, right: Behorighet) -> None:
    if not may(user, right):
        raise UserError(f"Din roll ({_roles(user)}) får inte {right.value}.")


def _roles(user: Anvandare) -> str:
    return ", ".join(sorted(r.value for r in user.roller)) or "ingen roll"


def _units_in(omraden: frozenset[str], enheter: Iterable[Enhet]) -> set[str]:
    return {e.enhet_id for e in enheter if e.omrade in omraden}


# -- vad som visas -------------------------------------------------------------


def may_open_beslut(user: Anvandare, lage: BeslutLage) -> bool:
    if not may(user, Behorighet.SE_BESLUT):
        return False
    return user.is_admin or (lage.beslut.enhet is not None and lage.beslut.enhet in user.enheter)


def visible_beslut(user: Anvandare, lagen: Iterable[BeslutLage]) -> list[BeslutLage]:
    """Beslut som användaren får se med uppgifter (enhetschef: de egna enheternas). En controller
    får inga enskilda beslut här; hen ser rapporterna (antal) via `redact_rows`."""
    return [lage for lage in lagen if may_open_beslut(user, lage)]


def visible_personal(user: Anvandare, personal: Iterable[Personal], enheter: Iterable[Enhet] = ()) -> list[Personal]:
    if not may(user, Behorighet.SE_PERSONAL):
        return []
    if user.is_admin:
        return list(personal)
    units = set(user.enheter) if Roll.ENHETSCHEF in user.roller else set()
    if Roll.SCHEMALAGGARE in user.roller:
        units |= _units_in(user.omraden, enheter)
    return [p for p in personal if p.enhet in units]


def visible_enheter(user: Anvandare, enheter: Iterable[Enhet]) -> list[Enhet]:
    """Enheter som användaren arbetar med (i listor och val av schema)."""
    items = list(enheter)
    if user.is_admin or Roll.CONTROLLER in user.roller:
        return items  # enheternas namn är inga personuppgifter
    units = set(user.enheter) if Roll.ENHETSCHEF in user.roller else set()
    if Roll.SCHEMALAGGARE in user.roller:
        units |= _units_in(user.omraden, items)
    return [e for e in items if e.enhet_id in units]


def visible_uppdragstagare(user: Anvandare, items: Iterable[Uppdragstagare]) -> list[Uppdragstagare]:
    return list(items) if may(user, Behorighet.SE_UPPDRAGSTAGARE) else []


def redact_rows(user: Anvandare, rows: Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    """Tabellrader (rapport, export, skärm) utan kolumner som pekar ut en människa, för den som inte
    får se namn. Ett värde som ser ut som ett personnummer tas bort oavsett kolumn."""
    if may(user, Behorighet.SE_NAMN):
        return [dict(r) for r in rows]
    result = []
    for row in rows:
        clean = {}
        for key, value in row.items():
            if key.lower() in IDENTIFYING:
                continue
            if isinstance(value, str) and personnummer.looks_like_personnummer(value):
                continue
            clean[key] = value
        result.append(clean)
    return result


def show_person_id(user: Anvandare, person_id: str, *, reveal: bool = False) -> str:
    """Den enskildes id som det visas: personnummer maskeras (19520314-****) om inte användaren
    uttryckligen ber om hela numret och får se det. Den som anropar med reveal=True loggar det."""
    if not may(user, Behorighet.SE_NAMN):
        return ""
    if not personnummer.looks_like_personnummer(person_id):
        return person_id
    if reveal and may(user, Behorighet.SE_PERSONNUMMER):
        return person_id
    return personnummer.mask(person_id)


# -- vem är användaren -----------------------------------------------------------


def users_from_config(section: Mapping[str, Any]) -> dict[str, Anvandare]:
    """Roller ur inställningsfilen:

        [anvandare.anna]
        roller = ["enhetschef"]
        enheter = ["HT-NORR", "SB-BJORKEN"]

        [anvandare.bo]
        roller = ["schemalaggare"]
        omraden = ["norr"]
    """
    users = {}
    for name, spec in section.items():
        try:
            roller = frozenset(Roll(str(r).lower().replace("ä", "a").replace("ö", "o")) for r in spec.get("roller", ()))
        except ValueError as exc:
            known = ", ".join(r.value for r in Roll)
            raise UserError(f"Okänd roll för {name} i inställningarna ({exc}); välj bland {known}.") from None
        users[name] = Anvandare(name, roller, frozenset(spec.get("enheter", ())), frozenset(spec.get("omraden", ())))
    return users


def resolve_user(login: str, users: Mapping[str, Anvandare] | None) -> Anvandare:
    """Användaren för ett konto. Utan rollinställning (egen SQLite-fil) är kontot administratör; med
    inställning får ett konto som inte står där ingen åtkomst alls."""
    if not users:
        return Anvandare(login, frozenset({Roll.ADMINISTRATOR}))
    user = users.get(login)
    if user is None:
        raise UserError(f"Kontot {login} har ingen roll i registret; be administratören om behörighet.")
    return user


__all__ = [
    "Anvandare", "Behorighet", "IDENTIFYING", "ROLE_RIGHTS", "Roll", "may", "may_audit", "may_open_beslut",
    "redact_rows", "require", "resolve_user", "show_person_id", "users_from_config", "visible_beslut",
    "visible_enheter", "visible_personal", "visible_uppdragstagare",
]
