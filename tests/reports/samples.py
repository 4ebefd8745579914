"""Ett litet, fast urval beslut för guldfilerna (beror inte på ../shared eller dagens datum)."""

from __future__ import annotations

from datetime import date

from bemanning.model import HandelseTyp as T

from .conftest import lage

RAPPORTDATUM = date(2024, 5, 31)
PER = RAPPORTDATUM.isoformat()

# Person-id:n är fiktiva personnummer som klarar Luhn; de får aldrig synas i en rapport.
PNR_K = "19520314-1220"
PNR_M = "19880101-1233"
# "Namn" i fritext som inte heller får läcka (kommentarer skrivs aldrig i rapporterna).
NAMN = "Agnes Testsson"


def sample_lagen():
    return [
        lage("GB-1", "LSS – kontaktperson", "2023-02-10", PER, kon="K", person_id=PNR_K,
             events=((T.ERBJUDANDE, "2023-06-01", {"utfall": "tackat nej", "kommentar": f"ville inte träffa {NAMN}"}),)),
        lage("GB-2", "SoL – kontaktperson", "2024-02-29", PER, kon="M", person_id=PNR_M),
        lage("GB-3", "Äldreboende", "2024-02-29", PER, kon="K", person_id="PSEUDO-3", fodelsear=1938),
        lage("GB-4", "LSS – daglig verksamhet", "2023-11-20", PER, kon="M", person_id="PSEUDO-4", orsak=3),
        lage("GB-5", "LSS – kontaktperson", "2022-06-01", PER, kon="K", person_id="PSEUDO-5",
             events=((T.VERKSTALLT, "2022-10-01"), (T.AVBROTT, "2024-01-15"))),
        # lämnas utanför: yngre än tre månader, verkställd, avslutad
        lage("GB-6", "LSS – kontaktperson", "2024-03-01", PER, kon="K"),
        lage("GB-7", "LSS – kontaktperson", "2023-01-01", PER, kon="M", events=((T.VERKSTALLT, "2024-05-31"),)),
        lage("GB-8", "Äldreboende – demens", "2023-01-01", PER, kon="K",
             events=((T.AVSLUTAT, "2024-05-02", {"orsak": "avliden"}),)),
    ]
