"""Fel som en användare kan åtgärda. Meddelandet är svensk text som visas som den är."""

from __future__ import annotations


class UserError(Exception):
    """Något användaren kan rätta (fil, datum, val). CLI:t visar texten och avslutar med kod 1."""

    def __init__(self, message: str, details: list[str] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or []

    def __str__(self) -> str:
        return "\n".join([self.message, *self.details])


class Cancelled(Exception):
    """Ett långt arbete avbröts av användaren."""


class ConflictError(UserError):
    """Någon annan sparade en ändring av samma post efter att användaren läste den (optimistisk versionering).

    Ingenting av användarens ändring har sparats; formuläret behåller uppgifterna så att hen kan
    läsa in det nya läget och försöka igen.
    """

    def __init__(self, beskrivning: str, details: list[str] | None = None) -> None:
        super().__init__(
            f"{beskrivning} ändrades av någon annan medan du arbetade; dina uppgifter finns kvar, "
            "försök igen.",
            details,
        )


class AlreadyExistsError(UserError):
    """En ny post med ett id som redan finns i registret. Att skapa skriver aldrig över: registret
    vägrar, vad gränssnittet än föreslog. Meddelandet nämner id:t men aldrig vem posten gäller."""

    def __init__(self, what: str, key: str | None) -> None:
        named = f"{what} {key}" if key else what
        super().__init__(f"{named} finns redan i registret; välj ett annat id, eller ändra den "
                         "befintliga posten i stället.")
        self.key = key


class RegisterUnavailable(UserError):
    """Databasen kunde inte göra det som bads (skrivskyddad, upptagen, full, nekad, bortkopplad).
    Meddelandet är en svensk mening utan SQL och utan personuppgifter."""


#: Vad operativsystemet menar, på svenska (strerror är engelska).
_OS_ERRORS = {
    "ENOENT": "finns inte",
    "ENOTDIR": "en del av sökvägen är en fil, inte en katalog",
    "EACCES": "du saknar behörighet",
    "EPERM": "du saknar behörighet",
    "EROFS": "filsystemet är skrivskyddat",
    "ENOSPC": "disken är full",
    "EDQUOT": "diskkvoten är slut",
    "EISDIR": "det är en katalog, inte en fil",
    "ENAMETOOLONG": "namnet är för långt",
    "ELOOP": "sökvägen går i cirkel genom symboliska länkar",
    "EEXIST": "finns redan",
}


def os_error_text(exc: OSError) -> str:
    """Ett fel från operativsystemet som en svensk bisats ("du saknar behörighet")."""
    import errno

    name = errno.errorcode.get(exc.errno or 0, "")
    return _OS_ERRORS.get(name, f"systemfel {name or exc.errno}")
