"""Täckande index på projektionerna: frågorna "som det stod dag D" läses ur indexen utan att slå
upp raderna i tabellen, och räknar från de rader som gäller efter D (`giltig_till > D`) i stället
för från hela historiken före D.

- `ix_beslut_lage_giltig` (giltig_till, giltig_fran, status, insats, beslutsdatum, enhet) ersätter
  `ix_beslut_lage_per` (giltig_fran, giltig_till): `bemanning beslut --antal` och listans filter
  läste förut varje rad som börjat före D, alltså hela historiken.
- `ix_beslut_lage_vantar` blir täckande (alla fält som statistikrapportens tabell 3 läser), fortfarande
  bara över rader där beslutet väntar.
- `ix_enskild_lage_kon` (person_id, giltig_fran, giltig_till, kon, omrade) ersätter
  `ix_enskild_lage_person`: den enskildes kön dag D läses ur indexet.

Revision ID: 0006
Revises: 0005
"""

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

VANTAR = ["giltig_till", "vantar_sedan", "giltig_fran", "beslut_id", "insats", "beslutsdatum", "vantar_avbrott",
          "orsak", "enhet", "person_id"]


def upgrade() -> None:
    op.drop_index("ix_beslut_lage_per", table_name="beslut_lage")
    op.create_index("ix_beslut_lage_giltig", "beslut_lage",
                    ["giltig_till", "giltig_fran", "status", "insats", "beslutsdatum", "enhet"])
    op.drop_index("ix_beslut_lage_vantar", table_name="beslut_lage")
    op.create_index("ix_beslut_lage_vantar", "beslut_lage", VANTAR,
                    sqlite_where=sa.text("vantar_sedan IS NOT NULL"),
                    postgresql_where=sa.text("vantar_sedan IS NOT NULL"))
    op.drop_index("ix_enskild_lage_person", table_name="enskild_lage")
    op.create_index("ix_enskild_lage_kon", "enskild_lage", ["person_id", "giltig_fran", "giltig_till", "kon", "omrade"])


def downgrade() -> None:
    op.drop_index("ix_enskild_lage_kon", table_name="enskild_lage")
    op.create_index("ix_enskild_lage_person", "enskild_lage", ["person_id", "giltig_fran"])
    op.drop_index("ix_beslut_lage_vantar", table_name="beslut_lage")
    op.create_index("ix_beslut_lage_vantar", "beslut_lage", ["giltig_till", "vantar_sedan"],
                    sqlite_where=sa.text("vantar_sedan IS NOT NULL"),
                    postgresql_where=sa.text("vantar_sedan IS NOT NULL"))
    op.drop_index("ix_beslut_lage_giltig", table_name="beslut_lage")
    op.create_index("ix_beslut_lage_per", "beslut_lage", ["giltig_fran", "giltig_till"])
