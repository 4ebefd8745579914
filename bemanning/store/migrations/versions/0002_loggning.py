"""Loggning: vem som öppnade eller ändrade vad, och när (OSL 26 kap.). Endast tillägg.

Tabellen bär aldrig personnummer: en öppning eller ändring loggas med beslut_id (eller en
resurs id), aldrig med den enskildes id.

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "loggning",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column("tidpunkt", sa.DateTime, nullable=False),
        sa.Column("anvandare", sa.String(100), nullable=False),
        sa.Column("atgard", sa.String(40), nullable=False),
        sa.Column("beslut_id", sa.String(100), nullable=True),
        sa.Column("entitet", sa.String(20), nullable=True),
        sa.Column("nyckel", sa.String(100), nullable=True),
        sa.Column("antal", sa.Integer, nullable=False, server_default="1"),
        sa.Column("detalj", sa.String(200), nullable=False, server_default=""),
    )
    op.create_index("ix_loggning_beslut", "loggning", ["beslut_id", "id"])
    op.create_index("ix_loggning_anvandare", "loggning", ["anvandare", "id"])
    bind = op.get_bind()
    if bind.dialect.name == "sqlite":
        for action in ("UPDATE", "DELETE"):
            op.execute(
                f"CREATE TRIGGER loggning_ingen_{action.lower()} BEFORE {action} ON loggning "
                "BEGIN SELECT RAISE(ABORT, 'Loggningen får inte skrivas om'); END"
            )
    elif bind.dialect.name == "postgresql":
        op.execute(
            "CREATE FUNCTION loggning_skrivskydd() RETURNS trigger AS $$ BEGIN "
            "RAISE EXCEPTION 'Loggningen får inte skrivas om'; END $$ LANGUAGE plpgsql"
        )
        op.execute(
            "CREATE TRIGGER loggning_skrivskydd BEFORE UPDATE OR DELETE ON loggning "
            "FOR EACH ROW EXECUTE FUNCTION loggning_skrivskydd()"
        )


def downgrade() -> None:
    raise NotImplementedError("Loggningen tas inte bort: den är juridiskt material.")
