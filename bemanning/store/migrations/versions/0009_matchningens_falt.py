"""Matchningens fält i översikten: kön läses ur raderna i stället för ur händelsernas JSON.

`bemanning matcha` läste förut varje väntande besluts och varje enskilds händelser och tolkade
deras JSON för att få önskemålen, timmarna, de uteslutna och förslagen (på 100 000 beslut omkring
en sekund). Nu står de på beslutets rad i `beslut_lage` (räknade av `projection.matching_fields`, i
samma transaktion som händelserna), och den enskildes födelseår och läge på hennes rad i
`enskild_lage`. Indexet `ix_enskild_lage_kon` får de nya fälten sist, så att kön läser den
enskildes rad ur indexet (utan att slå upp raden i tabellen för vart och ett av 50 000 beslut).
Raderna fylls när översikten byggs om: projektionens version 3 byggs om vid första
öppningen efter uppgraderingen (i PostgreSQL av databasens ägare, `bemanning db bygg-om`).

Reglerna för vem som får skriva raderna (migrering 0008) gäller raderna, inte kolumnerna, och är
oförändrade.

Revision ID: 0009
Revises: 0008
"""

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

BESLUT = [
    sa.Column("timmar", sa.Float, nullable=True),
    sa.Column("onskad_kon", sa.String(1), nullable=True),
    sa.Column("kon_krav", sa.Integer, nullable=False, server_default="0"),
    sa.Column("sprak", sa.String(100), nullable=True),
    sa.Column("sprak_krav", sa.Integer, nullable=False, server_default="0"),
    sa.Column("intressen", sa.Text, nullable=True),
    sa.Column("tider", sa.Text, nullable=True),
    sa.Column("sarskilda_behov", sa.Text, nullable=True),
    sa.Column("max_avstand_km", sa.Float, nullable=True),
    sa.Column("uteslutna", sa.Text, nullable=True),
    sa.Column("tidigare_kandidat", sa.String(100), nullable=True),
    sa.Column("tidigare_status", sa.String(20), nullable=True),
    sa.Column("accepterad", sa.String(100), nullable=True),
    sa.Column("godkand", sa.String(100), nullable=True),
    sa.Column("avbrott_sedan", sa.Date, nullable=True),
]

KON = ["person_id", "giltig_fran", "giltig_till", "kon", "omrade"]  # indexet från migrering 0006

ENSKILD = [
    sa.Column("fodelsear", sa.Integer, nullable=True),
    sa.Column("x_km", sa.Float, nullable=True),
    sa.Column("y_km", sa.Float, nullable=True),
]


def upgrade() -> None:
    for column in BESLUT:
        op.add_column("beslut_lage", column)
    for column in ENSKILD:
        op.add_column("enskild_lage", column)
    op.drop_index("ix_enskild_lage_kon", table_name="enskild_lage")
    op.create_index("ix_enskild_lage_kon", "enskild_lage", [*KON, "fodelsear", "x_km", "y_km"])


def downgrade() -> None:
    op.drop_index("ix_enskild_lage_kon", table_name="enskild_lage")
    op.create_index("ix_enskild_lage_kon", "enskild_lage", KON)
    for column in ENSKILD:
        op.drop_column("enskild_lage", column.name)
    for column in BESLUT:
        op.drop_column("beslut_lage", column.name)
