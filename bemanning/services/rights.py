"""Det enda stället som avgör om en användare får göra en åtgärd: kommandoraden och programmet
frågar här, ingen skärm och inget kommando avgör det själv.

Vem användaren är och vilka roller hen har:

- **Gemensamt register (PostgreSQL):** servern säger det. Användaren är inloggningen
  (`current_user`), rollerna är inloggningens grupproller i databasen (bemanning_enhetschef …)
  och enheterna och områdena står i registrets tabell `behorighet`. Inställningsfilen (`--config`,
  BEMANNING_CONFIG) påverkar inget av det. Databasens ägare är administratör. Servern håller
  dessutom själv samma gränser (GRANT och radsäkerhet, migrering 0005): det som nekas här nekas
  också av databasen, även för en ändrad klient.
- **Egen registerfil (SQLite):** den som äger filen är administratör. Roller under `[anvandare]`
  i inställningarna går att använda för att prova hur en roll ser registret; filen i sig skyddas
  av filsystemet, inte av programmet.
"""

from __future__ import annotations

from collections.abc import Iterable
from enum import Enum

from bemanning.access import Anvandare, Behorighet, Roll, may, resolve_user, users_from_config
from bemanning.errors import UserError
from bemanning.store import Register


class Atgard(str, Enum):
    """Varje åtgärd en användare kan begära, med den rätt den kräver (`RIGHT`)."""

    IMPORTERA = "importera"
    EXPORTERA = "exportera"
    HANTERA_DB = "hantera databasen"
    SE_BESLUT = "se beslut"
    REGISTRERA_HANDELSE = "registrera en händelse på ett beslut"
    MATCHA = "matcha"
    SE_SCHEMA = "se scheman"
    ANDRA_SCHEMA = "ändra scheman"
    SE_RAPPORTER = "se rapporter"
    SE_RESURSER = "se resurser"
    ANDRA_UPPDRAGSTAGARE = "ändra uppdragstagare"
    ANDRA_PERSONAL = "ändra personal"
    HANTERA_BEHORIGHET = "hantera behörigheter"
    GRANSKA_LOGGNING = "granska loggningen"


B = Behorighet
RIGHT: dict[Atgard, tuple[Behorighet, ...]] = {
    Atgard.IMPORTERA: (B.HANTERA_REGISTER,),
    Atgard.EXPORTERA: (B.HANTERA_REGISTER,),
    Atgard.HANTERA_DB: (B.HANTERA_REGISTER,),
    Atgard.SE_BESLUT: (B.SE_BESLUT,),
    Atgard.REGISTRERA_HANDELSE: (B.ANDRA_BESLUT,),
    Atgard.MATCHA: (B.MATCHA,),
    Atgard.SE_SCHEMA: (B.SE_SCHEMA,),
    Atgard.ANDRA_SCHEMA: (B.ANDRA_SCHEMA,),
    Atgard.SE_RAPPORTER: (B.SE_RAPPORTER,),
    Atgard.SE_RESURSER: (B.SE_PERSONAL, B.SE_UPPDRAGSTAGARE),  # någon av dem
    Atgard.ANDRA_UPPDRAGSTAGARE: (B.ANDRA_UPPDRAGSTAGARE,),
    Atgard.ANDRA_PERSONAL: (B.ANDRA_PERSONAL,),
    Atgard.HANTERA_BEHORIGHET: (B.HANTERA_BEHORIGHET,),
    Atgard.GRANSKA_LOGGNING: (B.GRANSKA_LOGGNING,),
}

#: Kommandoradens kommandon och åtgärden de är (kommandon utan rad kräver ingen särskild rätt).
COMMAND_ACTIONS: dict[str, Atgard] = {
    "importera": Atgard.IMPORTERA,
    "exportera": Atgard.EXPORTERA,
    "db": Atgard.HANTERA_DB,
    "beslut": Atgard.SE_BESLUT,
    "historik": Atgard.SE_BESLUT,
    "registrera": Atgard.REGISTRERA_HANDELSE,
    "matcha": Atgard.MATCHA,
    "schema": Atgard.SE_SCHEMA,
    "rapport": Atgard.SE_RAPPORTER,
    "behorighet": Atgard.HANTERA_BEHORIGHET,
}


def may_do(user: Anvandare, action: Atgard) -> bool:
    return any(may(user, right) for right in RIGHT[action])


def require(user: Anvandare, action: Atgard) -> None:
    """Nekar (UserError med en svensk mening) om användarens roller inte ger åtgärden."""
    if not may_do(user, action):
        roles = ", ".join(sorted(r.value for r in user.roller)) or "ingen roll"
        raise UserError(f"Din roll ({roles}) får inte {action.value}. Be registrets administratör om "
                        "behörighet om du behöver det.")


def current_user(register: Register, config_users: dict[str, Anvandare] | None = None) -> Anvandare:
    """Användaren som har öppnat registret, med roller, enheter och områden (se modulens text).

    `config_users` används bara för en egen registerfil (SQLite); utan dem läses `[anvandare]` ur
    inställningarna. För ett gemensamt register bortses från inställningarna helt."""
    if register.dialect == "postgresql":
        return user_from_server(register)
    if config_users is None:
        from bemanning.config import load_section

        config_users = users_from_config(load_section("anvandare"))
    return resolve_user(register.user, config_users)


def user_from_server(register: Register) -> Anvandare:
    who = register.server_identity()
    if who["agare"]:
        return Anvandare(who["login"], frozenset({Roll.ADMINISTRATOR}))
    if not who["roller"]:
        raise UserError(f"Inloggningen {who['login']} har ingen roll i registret; be registrets "
                        "administratör om behörighet (bemanning behorighet lagg-till).")
    return Anvandare(who["login"], frozenset(Roll(r) for r in who["roller"]),
                     frozenset(who["enheter"]), frozenset(who["omraden"]))


def allowed_omraden(user: Anvandare, enheter: Iterable) -> list[str]:
    """Samplaneringsområdena användaren planerar scheman för (enheternas områden hen arbetar med)."""
    from bemanning.access import visible_enheter

    return sorted({e.omrade for e in visible_enheter(user, enheter)})


def require_omrade(user: Anvandare, omrade: str, enheter: Iterable) -> None:
    """Nekar ett schema för ett område utanför användarens (en schemaläggare i Norr och Söder)."""
    enheter = list(enheter)
    allowed = allowed_omraden(user, enheter)
    finns = sorted({e.omrade for e in enheter})
    if omrade not in finns:
        # ett stavfel ("Norr", "mitt") är inget behörighetsfel
        raise UserError(f'Området "{omrade}" finns inte i registret. Skriv ett områdes id: '
                        f"{', '.join(finns) if finns else 'inga områden finns (importera enheter och områden)'}.")
    if omrade not in allowed:
        raise UserError(f"Din roll planerar inte området {omrade}. Du kan planera "
                        f"{', '.join(allowed) if allowed else 'inget område'}; be registrets "
                        "administratör om behörighet om du behöver det.")


def authorize(register: Register, action: Atgard) -> Anvandare:
    """Användaren, om hen får göra åtgärden (annars UserError)."""
    user = current_user(register)
    require(user, action)
    return user


def behorighet_table(register: Register, user: Anvandare) -> list[tuple[str, str, str, str]]:
    """(användare, roller, enheter, områden) för var och en som har något; bara för en administratör."""
    require(user, Atgard.HANTERA_BEHORIGHET)
    users: dict[str, dict[str, list[str]]] = {}
    for row in register.behorigheter():
        users.setdefault(row["anvandare"], {"roll": [], "enhet": [], "omrade": []}).setdefault(
            row["slag"], []).append(row["varde"])
    return [(name, ", ".join(v["roll"]), ", ".join(v["enhet"]), ", ".join(v["omrade"]))
            for name, v in sorted(users.items())]


SLAG = {"roll": "rollen", "enhet": "enheten", "omrade": "området"}


def change_behorighet(register: Register, user: Anvandare, anvandare: str, slag: str, varde: str,
                      *, add: bool) -> str:
    """Ge (add) eller ta en roll, en enhet eller ett område; bara en administratör, och bara i ett
    gemensamt register (servern prövar rätten en gång till). Returnerar en svensk mening om utfallet."""
    require(user, Atgard.HANTERA_BEHORIGHET)
    if register.dialect != "postgresql":
        raise UserError("En egen registerfil har en användare: den som äger filen, och hen är administratör. "
                        "Behörigheter delas ut i ett gemensamt register (PostgreSQL); se README, "
                        "avsnittet om ett gemensamt register.")
    anvandare, varde = anvandare.strip(), varde.strip()
    if not anvandare or not varde:
        raise UserError("Ange både användaren (inloggningen) och vad hen ska få eller förlora.")
    changed = register.set_behorighet(anvandare, slag, varde, add=add)
    what = SLAG.get(slag, slag)
    if add:
        return f"{anvandare}: {what} {varde} " + ("tillagd." if changed else "fanns redan.")
    return f"{anvandare}: {what} {varde} " + ("borttagen." if changed else "fanns inte.")


def allowed_commands(user: Anvandare, commands: Iterable[str]) -> list[str]:
    """Kommandona som användaren får köra (det hen inte får visas inte i hjälpen)."""
    return [c for c in commands if c not in COMMAND_ACTIONS or may_do(user, COMMAND_ACTIONS[c])]


__all__ = ["Atgard", "COMMAND_ACTIONS", "RIGHT", "allowed_commands", "authorize", "behorighet_table", "change_behorighet",
           "current_user", "may_do",
           "require", "user_from_server"]
