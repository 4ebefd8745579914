"""Första schemat: händelseloggen (endast tillägg) och importloggen.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "handelse",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("entitet", sa.String(20), nullable=False),
        sa.Column("nyckel", sa.String(100), nullable=False),
        sa.Column("typ", sa.String(20), nullable=False),
        sa.Column("datum", sa.Date, nullable=False),
        sa.Column("registrerad", sa.DateTime, nullable=False),
        sa.Column("kalla", sa.String(200), nullable=False, server_default=""),
        sa.Column("data", sa.Text, nullable=False),
    )
    op.create_index("ix_handelse_entitet_nyckel", "handelse", ["entitet", "nyckel", "id"])
    op.create_index("ix_handelse_entitet_datum", "handelse", ["entitet", "datum"])
    op.create_table(
        "importlogg",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("fil", sa.String(500), nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("importerad", sa.DateTime, nullable=False),
        sa.Column("antal_handelser", sa.Integer, nullable=False),
        sa.Column("sammanfattning", sa.Text, nullable=False, server_default=""),
    )
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER handelse_ingen_{action.lower()} BEFORE {action} ON handelse "
                "BEGIN SELECT RAISE(ABORT, 'Historiken får inte skrivas om'); END"
            )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION handelse_skrivskydd() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'Historiken får inte skrivas om'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER handelse_skrivskydd BEFORE UPDATE OR DELETE ON handelse "
            "FOR EACH ROW EXECUTE FUNCTION handelse_skrivskydd()"
        )


def downgrade() -> None:
    raise NotImplementedError("Registret nedgraderas inte: historiken är juridiskt material.")
