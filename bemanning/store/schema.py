"""Databasens tabeller (SQLAlchemy Core). Ändras bara genom en ny migrering i `migrations/`.

`handelse` är registrets juridiska historik: rader läggs till, ändras eller tas aldrig bort
(triggrar i databasen vägrar UPDATE och DELETE). Allt annat läge byggs av händelserna.
"""

from __future__ import annotations

from sqlalchemy import Column, Date, DateTime, Index, Integer, MetaData, String, Table, Text

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
