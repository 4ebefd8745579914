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


# --- 2026: lagen som den står efter 2025-07-01 (SoL 2025:400) och 2026-01-01 (nya avgiftsramen) ---

RAPPORTDATUM_2026 = date(2026, 3, 31)
PER_2026 = RAPPORTDATUM_2026.isoformat()
PNR_2026 = "19410722-1246"  # fiktivt, klarar Luhn


def sample_lagen_2026():
    per = PER_2026
    return [
        # beslutat dagen före den nya socialtjänstlagen: 4 kap. 1 § SoL (2001:453)
        lage("N-1", "SoL – kontaktperson", "2025-06-30", per, kon="K", person_id=PNR_K,
             events=((T.ERBJUDANDE, "2025-09-15", {"utfall": "tackat nej", "kandidat": "U-3",
                                                   "kommentar": f"ville hellre träffa {NAMN}"}),)),
        # beslutat första dagen: 11 kap. 1 § SoL (2025:400); handläggarens egen text vinner
        lage("N-2", "Äldreboende – demens", "2025-07-01", per, kon="M", person_id=PNR_M,
             events=((T.MOTIVERING, "2026-01-20", {"text": "Ingen ledig plats på demensboende i kommunen; "
                                                   "plats i grannkommun erbjuds när avtal finns."}),)),
        # senareläggning begärd av den enskilde; födelsedatum okänt (bara året)
        lage("N-3", "SoL – boendestöd", "2025-10-06", per, kon="K", person_id="PSEUDO-N3", fodelsear=1951,
             events=((T.SENARELAGGNING, "2025-12-01", {"till": "2026-06-30"}),)),
        # orsak Annat, registrerad kod; beslutat sista dagen med den gamla avgiftsramen
        lage("N-4", "LSS – daglig verksamhet", "2025-12-31", per, kon="M", person_id=PNR_2026, orsak=3),
        # avbrott som inte återupptagits inom tre månader
        lage("N-5", "LSS – kontaktperson", "2024-11-04", per, kon="K", person_id="PSEUDO-N5", fodelsear=1990,
             events=((T.VERKSTALLT, "2025-01-13"), (T.AVBROTT, "2025-11-10"))),
        # verkställd under kvartalet efter att ha rapporterats: anmälan om verkställighet
        lage("N-6", "SoL – kontaktperson", "2025-08-11", per, kon="M", person_id="PSEUDO-N6", fodelsear=1978,
             events=((T.ERBJUDANDE, "2026-02-02", {"utfall": "accepterat"}), (T.VERKSTALLT, "2026-02-16"))),
        # avslutad under kvartalet
        lage("N-7", "Äldreboende", "2025-09-01", per, kon="K", person_id="PSEUDO-N7", fodelsear=1932,
             events=((T.AVSLUTAT, "2026-01-08", {"orsak": "avliden"}),)),
        # yngre än tre månader vid kvartalets slut: inte med
        lage("N-8", "LSS – kontaktperson", "2026-01-02", per, kon="M"),
    ]
