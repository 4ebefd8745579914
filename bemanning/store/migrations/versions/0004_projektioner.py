"""Projektioner: varje besluts läge i giltig tid, så att "som det stod dag D" blir en fråga i
databasen. Tabellerna fylls av programmet (första öppningen efter uppgraderingen bygger dem ur
händelserna, med förlopp) och hålls sedan i samma transaktion som varje ny händelse.

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "beslut_lage",
        sa.Column("beslut_id", sa.String(100), nullable=False),
        sa.Column("giltig_fran", sa.Date, nullable=False),
        sa.Column("giltig_till", sa.Date, nullable=False),
        sa.Column("insats", sa.String(200), nullable=False),
        sa.Column("beslutsdatum", sa.Date, nullable=False),
        sa.Column("enhet", sa.String(100), nullable=True),
        sa.Column("person_id", sa.String(100), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("vantar_sedan", sa.Date, nullable=True),
        sa.Column("vantar_avbrott", sa.Integer, nullable=False, server_default="0"),
        sa.Column("orsak", sa.Integer, nullable=True),
        sa.Column("senaste_erbjudande", sa.Date, nullable=True),
        sa.Column("senaste_utfall", sa.String(20), nullable=True),
        sa.Column("har_person", sa.Integer, nullable=False, server_default="0"),
        sa.Column("antal_erbjudanden", sa.Integer, nullable=False, server_default="0"),
        sa.Column("forslag_vantar", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_index("ix_beslut_lage_beslut", "beslut_lage", ["beslut_id", "giltig_fran"])
    op.create_index("ix_beslut_lage_per", "beslut_lage", ["giltig_fran", "giltig_till"])
    op.create_index("ix_beslut_lage_vantar", "beslut_lage", ["giltig_till", "vantar_sedan"],
                    sqlite_where=sa.text("vantar_sedan IS NOT NULL"),
                    postgresql_where=sa.text("vantar_sedan IS NOT NULL"))
    op.create_table(
        "enskild_lage",
        sa.Column("person_id", sa.String(100), nullable=False),
        sa.Column("giltig_fran", sa.Date, nullable=False),
        sa.Column("giltig_till", sa.Date, nullable=False),
        sa.Column("kon", sa.String(1), nullable=True),
        sa.Column("omrade", sa.String(100), nullable=True),
    )
    op.create_index("ix_enskild_lage_person", "enskild_lage", ["person_id", "giltig_fran"])
    op.create_table(
        "projektion_meta",
        sa.Column("nyckel", sa.String(40), primary_key=True),
        sa.Column("varde", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    op.drop_table("projektion_meta")
    op.drop_table("enskild_lage")
    op.drop_table("beslut_lage")
