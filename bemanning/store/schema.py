"""Databasens tabeller (SQLAlchemy Core). Ändras bara genom en ny migrering i `migrations/`.

`handelse` är registrets juridiska historik: rader läggs till, ändras eller tas aldrig bort
(triggrar i databasen vägrar UPDATE och DELETE). Allt annat läge byggs av händelserna.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Float, Index, Integer, MetaData, String, Table, Text

metadata = MetaData()

handelse = Table(
    "handelse",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("entitet", String(20), nullable=False),
    Column("nyckel", String(100), nullable=False),
    Column("typ", String(20), nullable=False),
    Column("datum", Date, nullable=False),
    Column("registrerad", DateTime, nullable=False),
    Column("kalla", String(200), nullable=False, default=""),
    Column("data", Text, nullable=False),
    Index("ix_handelse_entitet_nyckel", "entitet", "nyckel", "id"),
    Index("ix_handelse_entitet_datum", "entitet", "datum"),
)

importlogg = Table(
    "importlogg",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("fil", String(500), nullable=False),
    Column("sha256", String(64), nullable=False),
    Column("importerad", DateTime, nullable=False),
    Column("antal_handelser", Integer, nullable=False),
    Column("sammanfattning", Text, nullable=False, default=""),
)

# Vem som öppnade eller ändrade vad (migrering 0002). Aldrig personnummer: beslut_id eller resursens id.
loggning = Table(
    "loggning",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tidpunkt", DateTime, nullable=False),
    Column("anvandare", String(100), nullable=False),
    Column("atgard", String(40), nullable=False),
    Column("beslut_id", String(100), nullable=True),
    Column("entitet", String(20), nullable=True),
    Column("nyckel", String(100), nullable=True),
    Column("antal", Integer, nullable=False, default=1),
    Column("detalj", String(200), nullable=False, default=""),
    Index("ix_loggning_beslut", "beslut_id", "id"),
    Index("ix_loggning_anvandare", "anvandare", "id"),
)

# Projektioner (migrering 0004): registrets läge i giltig tid, byggt av händelserna och fört i samma
# transaktion som varje händelse. De är inte det juridiska materialet (det är `handelse`) och får
# byggas om när som helst (`bemanning db bygg-om`). En rad gäller från `giltig_fran` till dagen före
# `giltig_till`; det sista intervallet har giltig_till = 9999-12-31.
def _matching_columns() -> list[Column]:
    """Matchningens kolumner på beslutets rad (migrering 0009 lägger till dem)."""
    return [
        Column("timmar", Float, nullable=True),  # omfattningen, timmar i månaden
        Column("onskad_kon", String(1), nullable=True),
        Column("kon_krav", Integer, nullable=False, default=0),
        Column("sprak", String(100), nullable=True),  # trimmat, små bokstäver
        Column("sprak_krav", Integer, nullable=False, default=0),
        Column("intressen", Text, nullable=True),  # JSON-lista, trimmade med små bokstäver
        Column("tider", Text, nullable=True),  # JSON-lista
        Column("sarskilda_behov", Text, nullable=True),  # JSON-lista, trimmade med små bokstäver
        Column("max_avstand_km", Float, nullable=True),
        Column("uteslutna", Text, nullable=True),  # JSON: [[kandidat, skäl], …] sorterade
        Column("tidigare_kandidat", String(100), nullable=True),  # senaste förslaget som inte uteslutits
        Column("tidigare_status", String(20), nullable=True),
        Column("accepterad", String(100), nullable=True),  # senast accepterade förslagets kandidat
        Column("godkand", String(100), nullable=True),  # senast godkända (som inte tackats nej till)
        Column("avbrott_sedan", Date, nullable=True),  # det öppna avbrottets datum
    ]


beslut_lage = Table(
    "beslut_lage",
    metadata,
    Column("beslut_id", String(100), nullable=False),
    Column("giltig_fran", Date, nullable=False),
    Column("giltig_till", Date, nullable=False),
    Column("insats", String(200), nullable=False),
    Column("beslutsdatum", Date, nullable=False),
    Column("enhet", String(100), nullable=True),
    Column("person_id", String(100), nullable=True),
    Column("status", String(20), nullable=False),  # ej verkställt, verkställt, avbrott, avslutat
    Column("vantar_sedan", Date, nullable=True),  # den öppna väntetidens start, som den syns den dagen
    Column("vantar_avbrott", Integer, nullable=False, default=0),
    Column("orsak", Integer, nullable=True),  # orsakskoden medan beslutet väntar
    Column("senaste_erbjudande", Date, nullable=True),
    Column("senaste_utfall", String(20), nullable=True),
    Column("har_person", Integer, nullable=False, default=0),  # ett förslag ur matchningen är accepterat
    Column("antal_erbjudanden", Integer, nullable=False, default=0),
    Column("forslag_vantar", Integer, nullable=False, default=0),  # förslag som väntar på beslut
    # Matchningens fält (migrering 0009, `projection.matching_fields`): kön läses ur raden.
    *_matching_columns(),
    Index("ix_beslut_lage_beslut", "beslut_id", "giltig_fran"),
    # Täckande (migrering 0006): "som det stod dag D" läses ur indexet, från raderna som gäller efter D.
    # Med listans fält sist (migrering 0011): Beslut-listans sida läses också ur indexet.
    Index("ix_beslut_lage_giltig", "giltig_till", "giltig_fran", "status", "insats", "beslutsdatum", "enhet",
          "vantar_sedan", "antal_erbjudanden", "person_id", "beslut_id"),
    # Migreringarna lägger också ett täckande partiellt index på bara de väntande raderna
    # (ix_beslut_lage_vantar, 0006), så "vilka väntar dag D" läser så många rader som svaret har. Det
    # står inte här: ett index med villkor per databas laddar PostgreSQL-dialekten (och asyncio) vid
    # varje start, också på SQLite.
)

# Den enskildes kön i giltig tid (registreringen gäller alltid; rättelser från sin dag).
enskild_lage = Table(
    "enskild_lage",
    metadata,
    Column("person_id", String(100), nullable=False),
    Column("giltig_fran", Date, nullable=False),
    Column("giltig_till", Date, nullable=False),
    Column("kon", String(1), nullable=True),
    Column("omrade", String(100), nullable=True),
    Column("fodelsear", Integer, nullable=True),  # matchningen (migrering 0009)
    Column("x_km", Float, nullable=True),
    Column("y_km", Float, nullable=True),
    # Täckande (0006, med matchningens fält från 0009): den enskildes rad dag D läses ur indexet.
    Index("ix_enskild_lage_kon", "person_id", "giltig_fran", "giltig_till", "kon", "omrade", "fodelsear", "x_km",
          "y_km"),
)

# Metadata om projektionerna: vilken version av reglerna de byggdes med.
projektion_meta = Table(
    "projektion_meta",
    metadata,
    Column("nyckel", String(40), primary_key=True),
    Column("varde", String(200), nullable=False),
)

# Behörigheter (migrering 0005): en rad per användare och roll, enhet eller område. I PostgreSQL är
# rollen databasens egen (inloggningen tilldelas gruppen bemanning_<roll>); här står enheterna och
# områdena som radsäkerheten läser.
behorighet = Table(
    "behorighet",
    metadata,
    Column("anvandare", String(100), primary_key=True),
    Column("slag", String(10), primary_key=True),  # roll, enhet, omrade
    Column("varde", String(100), primary_key=True),
)
