"""Fel från databasen som meningar: skrivskyddat, upptaget, fullt, nekat, förbindelsen bruten.

SQLAlchemys felmeddelanden är engelska och bär SQL-satsen och dess parametrar (där ett person_id
kan stå). Registret översätter de fel en användare kan råka ut för till `RegisterUnavailable`, ett
svenskt meddelande utan personuppgifter, innan de lämnar lagret. Andra fel (ett programfel) går
vidare oförändrade och visas som ett internt fel av kommandoraden och programmet.
"""

from __future__ import annotations

import logging

from sqlalchemy import Engine, event
from sqlalchemy.engine import ExceptionContext

from bemanning.errors import RegisterUnavailable

log = logging.getLogger(__name__)

NOTHING_SAVED = "Ingenting sparades."

#: (delsträng i SQLite:s meddelande, svensk mening)
_SQLITE = (
    ("readonly database", "Registret är skrivskyddat: du kan läsa men inte spara. Be den som förvaltar "
                          "registret om skrivrätt, eller arbeta i en kopia du får skriva i."),
    ("database is locked", "Registret är upptaget av någon annan just nu. Försök igen om en stund."),
    ("database or disk is full", "Disken där registret ligger är full. Frigör utrymme och försök igen."),
    ("disk i/o error", "Registret gick inte att läsa eller skriva (fel på disken eller nätverksenheten). "
                       "Kontrollera att filen går att nå och försök igen."),
    ("unable to open database file", "Registerfilen går inte att öppna. Kontrollera sökvägen och att du "
                                     "får läsa filen."),
    ("file is not a database", "Filen är inget register (ingen SQLite-databas). Kontrollera sökvägen."),
)

#: (SQLSTATE-prefix i PostgreSQL, svensk mening)
_POSTGRES = (
    ("42501", "Databasen nekade din inloggning den här åtgärden. Be registrets administratör om "
              "behörighet."),
    ("25006", "Registret är skrivskyddat just nu (skrivskyddad databas eller transaktion)."),
    ("53", "Databasservern har slut på utrymme eller resurser. Kontakta den som förvaltar registret."),
    ("08", "Förbindelsen med databasservern bröts. Kontrollera nätverket och försök igen."),
    ("57P", "Databasservern stängdes eller startades om. Försök igen om en stund."),
    ("40P01", "Databasen avbröt åtgärden för att två användare väntade på varandra. Försök igen."),
    ("28", "Databasservern godtog inte inloggningen. Kontrollera användarnamn och lösenord."),
)


def sentence_for(context: ExceptionContext) -> str | None:
    """Den svenska meningen för felet, eller None om det inte är ett fel användaren kan rätta."""
    original = context.original_exception
    text = str(original).lower()
    for fragment, sentence in _SQLITE:
        if fragment in text:
            return sentence
    sqlstate = getattr(original, "sqlstate", None) or getattr(getattr(original, "diag", None), "sqlstate", None)
    if sqlstate:
        for prefix, sentence in _POSTGRES:
            if sqlstate.startswith(prefix):
                return sentence
    if context.is_disconnect:
        return _POSTGRES[3][1]
    return None


def install(engine: Engine) -> None:
    """Översätt motorns databasfel till svenska meningar (SQLAlchemys handle_error-händelse)."""

    @event.listens_for(engine, "handle_error")
    def _translate(context: ExceptionContext) -> None:
        sentence = sentence_for(context)
        if sentence is None:
            return
        # Loggen får felets slag, aldrig satsens parametrar.
        log.warning("databasfel: %s", type(context.original_exception).__name__)
        writing = context.statement is not None and context.statement.lstrip().upper().startswith(
            ("INSERT", "UPDATE", "DELETE", "BEGIN IMMEDIATE"))
        raise RegisterUnavailable(f"{sentence} {NOTHING_SAVED}" if writing else sentence)
