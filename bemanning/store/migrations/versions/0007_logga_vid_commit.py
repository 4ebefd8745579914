"""Loggningen vid COMMIT i PostgreSQL tömmer sin tillfälliga tabell med TRUNCATE i stället för DELETE.

Utlösaren `handelse_loggas_vid_commit` körs en gång per ny händelse när transaktionen sparas. Den
första körningen för in transaktionens ändringar i loggningen och tömmer tabellen; de andra ser att
den är tom. Efter en DELETE finns de borttagna raderna kvar i tabellen tills den städas, och varje
körning läste om dem: en import på 250 000 händelser blev kvadratisk och stod i tio minuter på
COMMIT. Efter TRUNCATE är tabellen tom på riktigt. Loggraderna blir desamma.

Funktionen skapas om med samma text som migrering 0005 nu skriver (den enda källan till den).

Revision ID: 0007
Revises: 0006
"""

import importlib.util
from pathlib import Path

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None


def _statements_0005(schema: str) -> list[str]:
    path = Path(__file__).with_name("0005_behorighet.py")
    spec = importlib.util.spec_from_file_location("bemanning_migrering_0005", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.postgresql_statements(schema)


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    wanted = [s for s in _statements_0005(schema)
              if "CREATE OR REPLACE FUNCTION bemanning_logga_vid_commit()" in s]
    if len(wanted) != 1:
        raise RuntimeError("migrering 0005 har inte funktionen bemanning_logga_vid_commit en gång")
    op.execute(sa.text(wanted[0]))


def downgrade() -> None:
    pass
