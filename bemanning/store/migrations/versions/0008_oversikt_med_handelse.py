"""Översikten (projektionerna) skrivs i PostgreSQL bara i samma transaktion som en händelse för samma
beslut eller enskild.

Programmet räknar om ett besluts rader i `beslut_lage` i samma transaktion som det sparar beslutets
händelser (`projection.refresh`). Förut fick en enhetschef med en egen inloggning också lägga in och
ta bort rader i översikten direkt med SQL, utan händelse. Det gav två hål:

- Vilka beslut en enhetschef ser räknas ur översikten (beslutets enhet i dess senaste läge). En
  påhittad rad som säger att en annan enhets beslut hör till hennes enhet gav henne beslutets och den
  enskildes händelser.
- Rapporterna läser översikten: en påhittad rad kunde få ett väntande beslut att se verkställt ut,
  utan någon händelse i registret och utan någon rad i loggningen.

Nu får en rad i översikten läggas in eller tas bort (av alla utom administratören) bara när
transaktionen också har fört in en händelse för samma nyckel: en händelse som servern redan prövat
(`bemanning_far_skriva`) och loggat. Funktionen `bemanning_skrivet_nu` ser det på händelsens xmin
(transaktionen som skrev raden). Att läsa översikten styrs som förut.

Revision ID: 0008
Revises: 0007
"""

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

PREFIX = "bemanning_"
ROLES = ("enhetschef", "schemalaggare", "controller", "administrator", "granskare")

ADMIN = "(SELECT 'administrator' = ANY(bemanning_roller()))"


def postgresql_statements(schema: str) -> list[str]:
    s = '"' + schema.replace('"', '""') + '"'
    definer = f"SECURITY DEFINER SET search_path = {s}, pg_temp"
    all_groups = ", ".join(f'"{PREFIX}{r}"' for r in ROLES)
    visible_beslut = "beslut_id = ANY((SELECT bemanning_synliga('beslut'))::text[])"
    visible_enskild = "person_id = ANY((SELECT bemanning_synliga('enskild'))::text[])"
    return [
        f"""
CREATE OR REPLACE FUNCTION bemanning_skrivet_nu(p_entitet text, p_nyckel text) RETURNS boolean
LANGUAGE sql STABLE {definer} AS $$
  SELECT EXISTS (SELECT 1 FROM handelse h
                 WHERE h.entitet = p_entitet AND h.nyckel = p_nyckel AND h.xmin = pg_current_xact_id()::xid)
$$""",
        "REVOKE ALL ON FUNCTION bemanning_skrivet_nu(text, text) FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION bemanning_skrivet_nu(text, text) TO {all_groups}",
        "DROP POLICY IF EXISTS beslut_lage_enhet ON beslut_lage",
        "DROP POLICY IF EXISTS beslut_lage_las ON beslut_lage",
        "DROP POLICY IF EXISTS beslut_lage_skriv ON beslut_lage",
        "DROP POLICY IF EXISTS beslut_lage_ta_bort ON beslut_lage",
        "CREATE POLICY beslut_lage_las ON beslut_lage FOR SELECT USING ("
        f"  (SELECT bemanning_roller() && ARRAY['administrator', 'controller']) OR {visible_beslut})",
        "CREATE POLICY beslut_lage_skriv ON beslut_lage FOR INSERT WITH CHECK ("
        f"  {ADMIN} OR (({visible_beslut} OR enhet = ANY((SELECT bemanning_enheter('enhetschef'))::text[]))"
        "               AND bemanning_skrivet_nu('beslut', beslut_id)))",
        "CREATE POLICY beslut_lage_ta_bort ON beslut_lage FOR DELETE USING ("
        f"  {ADMIN} OR ({visible_beslut} AND bemanning_skrivet_nu('beslut', beslut_id)))",
        "DROP POLICY IF EXISTS enskild_lage_enhet ON enskild_lage",
        "DROP POLICY IF EXISTS enskild_lage_las ON enskild_lage",
        "DROP POLICY IF EXISTS enskild_lage_skriv ON enskild_lage",
        "DROP POLICY IF EXISTS enskild_lage_ta_bort ON enskild_lage",
        "CREATE POLICY enskild_lage_las ON enskild_lage FOR SELECT USING ("
        f"  (SELECT bemanning_roller() && ARRAY['administrator', 'controller']) OR {visible_enskild})",
        "CREATE POLICY enskild_lage_skriv ON enskild_lage FOR INSERT WITH CHECK ("
        f"  {ADMIN} OR ((SELECT 'enhetschef' = ANY(bemanning_roller()))"
        "               AND bemanning_skrivet_nu('enskild', person_id)))",
        "CREATE POLICY enskild_lage_ta_bort ON enskild_lage FOR DELETE USING ("
        f"  {ADMIN} OR ({visible_enskild} AND bemanning_skrivet_nu('enskild', person_id)))",
    ]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in postgresql_statements(schema):
        op.execute(sa.text(statement))


def downgrade() -> None:
    raise NotImplementedError("Behörigheterna tas inte bort ur ett register.")
