"""Loggningen av ändringar i PostgreSQL räknas per sats och förs in en gång per transaktion, i stället
för en gång per händelse.

Servern loggar varje ändring (migrering 0005): en utlösare per sats samlade transaktionens nya
händelser i en tillfällig tabell, en rad per händelse, och en uppskjuten utlösare PER RAD förde in dem
i loggningen vid COMMIT. PostgreSQL har bara radutlösare som uppskjutna utlösare, så en import med
250 000 händelser köade 250 000 utlösare, och 249 999 av dem såg bara att tabellen redan var tömd:
nästan två sekunder av en import på tolv. Nu:

- utlösaren per sats (`handelse_loggas`, samma som förut) för in satsens händelser i den tillfälliga
  tabellen `bemanning_logg_poster` redan räknade per post och källa (en rad per beslut, inte per
  händelse), och en enda rad i `bemanning_logg_signal` per transaktion;
- den uppskjutna utlösaren sitter på `bemanning_logg_signal` och körs alltså en gång per transaktion,
  vid COMMIT som förut, med samma regler: en rad per post, eller en rad för hela skrivningen när den
  rör fler än 100 poster, med samma tid (transaktionens), samma användare, samma antal och samma text.

Loggningens rader blir desamma; bara vägen dit är kortare. De tillfälliga tabellerna måste vara
skapade av funktionen själv (ägda av registrets ägare): en inloggning som skapat tabeller med samma
namn i förväg, utan utlösaren vid COMMIT, skulle annars kunna skriva utan att det loggas, och vägras.

Utlösaren som sätter registreringstiden (`handelse_registreringstid`, per rad) körs nu bara för en
rad vars tid inte redan är transaktionens: samma tid som servern annars sätter för alla utom ägaren,
och ägarens egen tid behålls som förut. Programmet skickar transaktionens tid, så en import slipper
en funktion per händelse (omkring en sekund för 250 000). Utlösaren per rad på händelsetabellen tas
bort (den kunde inte heller låta en import bygga händelsetabellens index efter raderna utan att först
köras). Båda tillfälliga tabellerna skapas av utlösarens funktion (med ägarens rättigheter) i den
session som skriver, och töms vid COMMIT.

Revision ID: 0010
Revises: 0009
"""

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

PREFIX = "bemanning_"
ROLES = ("enhetschef", "schemalaggare", "controller", "administrator", "granskare")


def postgresql_statements(schema: str) -> list[str]:
    s = '"' + schema.replace('"', '""') + '"'
    definer = f"SECURITY DEFINER SET search_path = {s}, pg_temp"
    all_groups = ", ".join(f'"{PREFIX}{r}"' for r in ROLES)
    # Satsens händelser per post: beslutets id (för en enskild det beslut som händelsen nämner, aldrig
    # personens id), slaget för andra poster och deras id; inget som ser ut som ett personnummer.
    # Samma uttryck som 0005, men räknade per post och källa innan de jämförs med mönstret.
    keys = (
        "SELECT CASE WHEN b.beslut_id ~ pnr THEN NULL ELSE left(b.beslut_id, 100) END AS beslut_id, b.ent AS entitet, "
        "CASE WHEN b.nyc ~ pnr THEN NULL ELSE left(b.nyc, 100) END AS nyckel, b.kalla, b.antal, b.forsta "
        "FROM (SELECT r.beslut_id, r.ent, r.nyc, r.kalla, count(*) AS antal, min(r.id) AS forsta "
        "      FROM (SELECT n.id, n.kalla, "
        "            CASE WHEN n.entitet = 'beslut' THEN n.nyckel "
        "                 WHEN n.entitet = 'enskild' THEN n.data::jsonb ->> 'beslut_id' END AS beslut_id, "
        "            CASE WHEN n.entitet = 'beslut' THEN NULL ELSE n.entitet END AS ent, "
        "            CASE WHEN n.entitet IN ('beslut', 'enskild') THEN NULL ELSE n.nyckel END AS nyc FROM nya n) r "
        "      GROUP BY r.beslut_id, r.ent, r.nyc, r.kalla) b"
    )
    return [
        f"""
CREATE OR REPLACE FUNCTION bemanning_logga_andringar() RETURNS trigger
LANGUAGE plpgsql {definer} AS $$
DECLARE
  agare boolean := pg_has_role(session_user,
                     (SELECT c.relowner FROM pg_class c WHERE c.oid = 'loggning'::regclass), 'MEMBER');
  vem text := session_user;
  angiven text := current_setting('bemanning.anvandare', true);
  pnr constant text := '^([0-9]{{2}})?[0-9]{{6}}[-+ ]?[0-9]{{4}}$';
BEGIN
  IF agare AND coalesce(current_setting('bemanning.kopiering', true), '') = 'ja' THEN
    RETURN NULL;
  END IF;
  IF agare AND coalesce(angiven, '') <> '' THEN
    vem := angiven;
  END IF;
  IF to_regclass('pg_temp.bemanning_logg_signal') IS NULL AND to_regclass('pg_temp.bemanning_logg_poster') IS NULL THEN
    CREATE TEMP TABLE bemanning_logg_poster (vem text, beslut_id text, entitet text, nyckel text, kalla text,
                                             antal bigint, forsta bigint) ON COMMIT DELETE ROWS;
    CREATE TEMP TABLE bemanning_logg_signal (finns boolean) ON COMMIT DELETE ROWS;
    CREATE CONSTRAINT TRIGGER bemanning_loggas_vid_commit AFTER INSERT ON pg_temp.bemanning_logg_signal
      DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bemanning_logga_vid_commit();
  ELSIF (SELECT count(*) FROM pg_class c
         WHERE c.oid IN (to_regclass('pg_temp.bemanning_logg_signal'), to_regclass('pg_temp.bemanning_logg_poster'))
           AND c.relowner = (SELECT r.oid FROM pg_roles r WHERE r.rolname = current_user)) <> 2 THEN
    -- Tabellerna finns men är inte skapade här (med ägarens rättigheter): en inloggning som själv
    -- skapat dem utan utlösaren vid COMMIT skulle skriva utan att det loggas.
    RAISE EXCEPTION 'loggningens tillfälliga tabeller är inte registrets egna' USING ERRCODE = '42501';
  END IF;
  INSERT INTO pg_temp.bemanning_logg_poster
    SELECT vem, k.beslut_id, k.entitet, k.nyckel, k.kalla, k.antal, k.forsta FROM ({keys}) k;
  IF NOT EXISTS (SELECT 1 FROM pg_temp.bemanning_logg_signal) THEN
    INSERT INTO pg_temp.bemanning_logg_signal VALUES (true);
  END IF;
  RETURN NULL;
END $$""",
        # Vid COMMIT, en gång per transaktion: hela transaktionens ändringar blir loggrader, så att en
        # import i flera satser blir en rad, som förut.
        f"""
CREATE OR REPLACE FUNCTION bemanning_logga_vid_commit() RETURNS trigger
LANGUAGE plpgsql {definer} AS $$
DECLARE
  nycklar integer;
  stamp timestamp := date_trunc('second', now() AT TIME ZONE 'UTC');
BEGIN
  IF to_regclass('pg_temp.bemanning_logg_poster') IS NULL THEN
    RETURN NULL;
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_temp.bemanning_logg_poster) THEN
    RETURN NULL;
  END IF;
  SELECT count(*) INTO nycklar FROM (SELECT DISTINCT beslut_id, entitet, nyckel FROM pg_temp.bemanning_logg_poster) x;
  IF nycklar > 100 THEN
    INSERT INTO loggning (tidpunkt, anvandare, atgard, beslut_id, entitet, nyckel, antal, detalj)
    SELECT stamp, left(a.vem, 100), 'massandring', NULL, NULL, NULL, sum(a.antal),
           left(regexp_replace(nycklar || ' poster; ' ||
                coalesce(string_agg(DISTINCT nullif(a.kalla, ''), ', '), ''),
                '(?<![0-9])([0-9]{{2}})?[0-9]{{6}}[-+]?[0-9]{{4}}(?![0-9])', '[personnummer]', 'g'), 200)
    FROM pg_temp.bemanning_logg_poster a GROUP BY a.vem;
  ELSE
    INSERT INTO loggning (tidpunkt, anvandare, atgard, beslut_id, entitet, nyckel, antal, detalj)
    SELECT stamp, left(a.vem, 100), 'andrat', a.beslut_id, a.entitet, a.nyckel, sum(a.antal), ''
    FROM pg_temp.bemanning_logg_poster a GROUP BY a.vem, a.beslut_id, a.entitet, a.nyckel ORDER BY min(a.forsta);
  END IF;
  -- Tömda nu (och inte först vid COMMIT): körs utlösaren tidigare (SET CONSTRAINTS … IMMEDIATE)
  -- loggas det som transaktionen skriver efteråt vid COMMIT som vanligt.
  TRUNCATE pg_temp.bemanning_logg_poster;
  DELETE FROM pg_temp.bemanning_logg_signal;
  RETURN NULL;
END $$""",
        "DROP TRIGGER IF EXISTS handelse_loggas_vid_commit ON handelse",
        # Registreringstiden (0005): funktionen körs bara för en rad där tiden inte redan är
        # transaktionens (den som servern annars sätter). Samma regel, men en import som skickar
        # transaktionens tid slipper en funktion per händelse.
        "DROP TRIGGER IF EXISTS handelse_registreringstid ON handelse",
        "CREATE TRIGGER handelse_registreringstid BEFORE INSERT ON handelse FOR EACH ROW "
        "WHEN (NEW.registrerad IS DISTINCT FROM date_trunc('second', now() AT TIME ZONE 'UTC')) "
        "EXECUTE FUNCTION bemanning_registreringstid()",
        "REVOKE ALL ON FUNCTION bemanning_logga_andringar() FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION bemanning_logga_andringar() TO {all_groups}",
        "REVOKE ALL ON FUNCTION bemanning_logga_vid_commit() FROM PUBLIC",
        f"GRANT EXECUTE ON FUNCTION bemanning_logga_vid_commit() TO {all_groups}",
    ]


def upgrade() -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    schema = bind.execute(sa.text("SELECT current_schema()")).scalar_one()
    for statement in postgresql_statements(schema):
        op.execute(sa.text(statement))


def downgrade() -> None:
    raise NotImplementedError("Registret nedgraderas inte: loggningen är juridiskt material.")
