"""Behörigheter i registret: vem som har vilka enheter och områden, och (i PostgreSQL) databasens
egna rättigheter, så att en ändrad klient eller en annan inställningsfil inte kan göra mer än
inloggningen får.

- Tabellen `behorighet` (alla databaser): en rad per användare och roll, enhet eller område
  (slag = 'roll', 'enhet' eller 'omrade').
- PostgreSQL: en grupproll utan inloggning per programroll (bemanning_enhetschef,
  bemanning_schemalaggare, bemanning_controller, bemanning_administrator, bemanning_granskare);
  en inloggning får sina roller genom att tilldelas gruppen. GRANT per tabell, radsäkerhet (RLS)
  på händelserna och projektionerna efter enhet och område, och loggningen skrivs bara av servern:
  ändringar av en utlösare på `handelse` (förs in vid COMMIT, en rad per post eller en för en
  import), öppningar av funktionen `bemanning_logga` (SECURITY DEFINER). Ingen roll får INSERT,
  UPDATE eller DELETE på tabellen. Migreringen körs av databasens ägare (`bemanning db migrera`).

Revision ID: 0005
Revises: 0004
"""

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

ROLES = ("enhetschef", "schemalaggare", "controller", "administrator", "granskare")
PREFIX = "bemanning_"


def upgrade() -> None:
    op.create_table(
        "behorighet",
        sa.Column("anvandare", sa.String(100), nullable=False),
        sa.Column("slag", sa.String(10), nullable=False),  # roll, enhet, omrade
        sa.Column("varde", sa.String(100), nullable=False),
        sa.PrimaryKeyConstraint("anvandare", "slag", "varde", name="pk_behorighet"),
    )
    bind = op.get_bind()
    if bind.dialect.name == "postgresql":
        for statement in postgresql_statements(bind.execute(sa.text("SELECT current_schema()")).scalar_one()):
            op.execute(sa.text(statement))


def downgrade() -> None:
    raise NotImplementedError("Behörigheterna tas inte bort ur ett register.")


def _group(role: str) -> str:
    return f'"{PREFIX}{role}"'


def postgresql_statements(schema: str) -> list[str]:
    """Rättigheterna i PostgreSQL. Kan köras igen (`bemanning db migrera` efter en ny inloggning)."""
    s = '"' + schema.replace('"', '""') + '"'
    all_groups = ", ".join(_group(r) for r in ROLES)
    chef, plan, ctrl, admin, gransk = (_group(r) for r in ROLES)
    role_list = ", ".join(f"'{PREFIX}{r}'" for r in ROLES)
    definer = f"SECURITY DEFINER SET search_path = {s}, pg_temp"
    out: list[str] = []
    for role in ROLES:
        # Grupproller är gemensamma för hela servern; finns de redan (ett annat register) återanvänds de.
        out.append(
            "DO $$ BEGIN "
            f"IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '{PREFIX}{role}') THEN "
            f"CREATE ROLE {_group(role)} NOLOGIN; END IF; "
            "EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL; END $$"
        )
    out.append(f"GRANT USAGE ON SCHEMA {s} TO {all_groups}")

    # -- hjälpfunktioner som policyerna läser med (ägarens rättigheter, inga data ut) --------------
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_roller() RETURNS text[] LANGUAGE sql STABLE {definer} AS $$
  SELECT coalesce(array_agg(substr(r.rolname, {len(PREFIX) + 1}) ORDER BY r.rolname), '{{}}')
  FROM pg_roles r WHERE r.rolname IN ({role_list}) AND pg_has_role(session_user, r.oid, 'MEMBER')
$$""")
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_post_falt(p_entitet text, p_nyckel text, p_falt text) RETURNS text
LANGUAGE sql STABLE {definer} AS $$
  SELECT coalesce(d -> 'falt' -> p_falt ->> 'till', d ->> p_falt)
  FROM (SELECT h.id, h.data::jsonb AS d FROM handelse h
        WHERE h.entitet = p_entitet AND h.nyckel = p_nyckel) x
  WHERE d ? p_falt OR coalesce(d -> 'falt', '{{}}'::jsonb) ? p_falt
  ORDER BY id DESC LIMIT 1
$$""")
    # Enheterna användaren arbetar med: enhetschefens egna och enheterna i schemaläggarens områden.
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_enheter(roll text DEFAULT NULL) RETURNS text[]
LANGUAGE sql STABLE {definer} AS $$
  SELECT coalesce(array_agg(DISTINCT e), '{{}}') FROM (
    SELECT b.varde AS e FROM behorighet b
    WHERE b.anvandare = session_user::text AND b.slag = 'enhet' AND coalesce(roll, 'enhetschef') = 'enhetschef'
      AND pg_has_role(session_user, '{PREFIX}enhetschef', 'MEMBER')
    UNION
    SELECT DISTINCT h.nyckel FROM handelse h
    WHERE h.entitet = 'enhet' AND coalesce(roll, 'schemalaggare') = 'schemalaggare'
      AND pg_has_role(session_user, '{PREFIX}schemalaggare', 'MEMBER')
      AND bemanning_post_falt('enhet', h.nyckel, 'omrade') IN (
        SELECT b.varde FROM behorighet b WHERE b.anvandare = session_user::text AND b.slag = 'omrade')
  ) x
$$""")
    # Posterna av ett slag som användaren får se, räknat en gång per fråga (policyerna läser
    # funktionen i en delfråga, som databasen räknar ut en gång och inte per rad). Ett beslut hör
    # till enheten i dess senaste läge (projektionen), den enskilde till sina besluts enheter.
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_synliga(p_entitet text) RETURNS text[]
LANGUAGE plpgsql STABLE {definer} AS $$
DECLARE chef text[] := bemanning_enheter('enhetschef');
BEGIN
  IF p_entitet = 'beslut' THEN
    RETURN (SELECT coalesce(array_agg(DISTINCT l.beslut_id), '{{}}') FROM beslut_lage l
            WHERE l.giltig_till = DATE '9999-12-31' AND l.enhet = ANY(chef));
  ELSIF p_entitet = 'enskild' THEN
    RETURN (SELECT coalesce(array_agg(DISTINCT l.person_id), '{{}}') FROM beslut_lage l
            WHERE l.giltig_till = DATE '9999-12-31' AND l.enhet = ANY(chef) AND l.person_id IS NOT NULL);
  ELSIF p_entitet = 'personal' THEN
    RETURN (SELECT coalesce(array_agg(p.k), '{{}}') FROM (SELECT DISTINCT h.nyckel AS k FROM handelse h
            WHERE h.entitet = 'personal') p
            WHERE bemanning_post_falt('personal', p.k, 'enhet') = ANY(bemanning_enheter()));
  END IF;
  RETURN '{{}}';
END $$""")
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_far_skriva(p_entitet text, p_nyckel text, p_typ text, p_data text)
RETURNS boolean LANGUAGE plpgsql STABLE {definer} AS $$
DECLARE
  roller text[] := bemanning_roller();
  d jsonb := p_data::jsonb;
  ny text;
  nu text;
BEGIN
  IF 'administrator' = ANY(roller) THEN RETURN true; END IF;
  ny := coalesce(d -> 'falt' -> 'enhet' ->> 'till', d ->> 'enhet');
  nu := CASE WHEN p_typ = 'registrerad' THEN ny ELSE bemanning_post_falt(p_entitet, p_nyckel, 'enhet') END;
  IF p_entitet = 'beslut' THEN
    RETURN 'enhetschef' = ANY(roller)
       AND nu = ANY(bemanning_enheter('enhetschef'))
       AND (ny IS NULL OR ny = ANY(bemanning_enheter('enhetschef')));
  ELSIF p_entitet IN ('enskild', 'uppdragstagare') THEN
    RETURN 'enhetschef' = ANY(roller);
  ELSIF p_entitet = 'personal' THEN
    RETURN nu = ANY(bemanning_enheter()) AND (ny IS NULL OR ny = ANY(bemanning_enheter()));
  END IF;
  RETURN false;
END $$""")
    # Finns id:t redan (också bland poster användaren inte ser)? Att skapa skriver aldrig över.
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_finns(p_entitet text, p_nycklar text[]) RETURNS text
LANGUAGE sql STABLE {definer} AS $$
  SELECT h.nyckel FROM handelse h WHERE h.entitet = p_entitet AND h.nyckel = ANY(p_nycklar) LIMIT 1
$$""")
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_nycklar(p_entitet text) RETURNS SETOF text
LANGUAGE sql STABLE {definer} AS $$
  SELECT DISTINCT h.nyckel FROM handelse h WHERE h.entitet = p_entitet AND p_entitet <> 'enskild' ORDER BY 1
$$""")
    # Loggningen skrivs av servern: användaren är sessionens inloggning. Bara databasens ägare (som
    # ändå kan skriva i tabellen) får ange ett annat namn, t.ex. vid kopiering och i prov.
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_logga(p_atgard text, p_beslut_id text, p_entitet text, p_nyckel text,
                                           p_antal integer, p_detalj text, p_anvandare text DEFAULT NULL)
RETURNS void LANGUAGE plpgsql VOLATILE {definer} AS $$
DECLARE vem text := session_user;
BEGIN
  IF p_anvandare IS NOT NULL AND pg_has_role(session_user,
       (SELECT c.relowner FROM pg_class c WHERE c.oid = 'loggning'::regclass), 'MEMBER') THEN
    vem := p_anvandare;
  END IF;
  INSERT INTO loggning (tidpunkt, anvandare, atgard, beslut_id, entitet, nyckel, antal, detalj)
  VALUES (date_trunc('second', now() AT TIME ZONE 'UTC'), left(vem, 100), left(p_atgard, 40),
          left(p_beslut_id, 100), left(p_entitet, 20), left(p_nyckel, 100), coalesce(p_antal, 1),
          left(coalesce(p_detalj, ''), 200));
END $$""")
    # Varje ändring loggas av servern, i samma transaktion som händelserna (en utlösare på
    # händelsetabellen): en klient kan inte låta bli. Som programmet gjorde: en rad per beslut eller
    # post, eller en rad för hela skrivningen när den rör fler än 100 (en import); aldrig något som
    # ser ut som ett personnummer. Ägaren kan ange vem som står i loggen (bemanning.anvandare) och
    # stänga av loggningen när ett register kopieras med sin egen loggning (bemanning.kopiering).
    keys = (
        "SELECT CASE WHEN b.beslut_id ~ pnr THEN NULL ELSE left(b.beslut_id, 100) END AS beslut_id, b.ent AS entitet, "
        "CASE WHEN b.nyc ~ pnr THEN NULL ELSE left(b.nyc, 100) END AS nyckel, b.kalla, b.id "
        "FROM (SELECT n.id, n.kalla, "
        "CASE WHEN n.entitet = 'beslut' THEN n.nyckel WHEN n.entitet = 'enskild' THEN n.data::jsonb ->> 'beslut_id' END "
        "AS beslut_id, CASE WHEN n.entitet = 'beslut' THEN NULL ELSE n.entitet END AS ent, "
        "CASE WHEN n.entitet IN ('beslut', 'enskild') THEN NULL ELSE n.nyckel END AS nyc FROM nya n) b"
    )
    out.append(f"""
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
  IF to_regclass('pg_temp.bemanning_andringar') IS NULL THEN
    CREATE TEMP TABLE bemanning_andringar (vem text, beslut_id text, entitet text, nyckel text, kalla text,
                                           id bigint) ON COMMIT DELETE ROWS;
  END IF;
  INSERT INTO pg_temp.bemanning_andringar SELECT vem, k.beslut_id, k.entitet, k.nyckel, k.kalla, k.id FROM ({keys}) k;
  RETURN NULL;
END $$""")
    # Vid COMMIT (en uppskjuten utlösare): hela transaktionens ändringar blir loggrader, så att en
    # import i flera satser blir en rad, som i programmet. Bara den första körningen har något kvar.
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_logga_vid_commit() RETURNS trigger
LANGUAGE plpgsql {definer} AS $$
DECLARE
  nycklar integer;
  stamp timestamp := date_trunc('second', now() AT TIME ZONE 'UTC');
BEGIN
  IF to_regclass('pg_temp.bemanning_andringar') IS NULL THEN
    RETURN NULL;  -- ingen ändring loggad i sessionen (kopiering)
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_temp.bemanning_andringar) THEN
    RETURN NULL;  -- redan förd i loggningen av en tidigare rad i samma transaktion
  END IF;
  SELECT count(*) INTO nycklar FROM (SELECT DISTINCT beslut_id, entitet, nyckel FROM pg_temp.bemanning_andringar) x;
  IF nycklar > 100 THEN
    INSERT INTO loggning (tidpunkt, anvandare, atgard, beslut_id, entitet, nyckel, antal, detalj)
    SELECT stamp, left(a.vem, 100), 'massandring', NULL, NULL, NULL, count(*),
           left(regexp_replace(nycklar || ' poster; ' ||
                coalesce(string_agg(DISTINCT nullif(a.kalla, ''), ', '), ''),
                '(?<![0-9])([0-9]{{2}})?[0-9]{{6}}[-+]?[0-9]{{4}}(?![0-9])', '[personnummer]', 'g'), 200)
    FROM pg_temp.bemanning_andringar a GROUP BY a.vem;
  ELSE
    INSERT INTO loggning (tidpunkt, anvandare, atgard, beslut_id, entitet, nyckel, antal, detalj)
    SELECT stamp, left(a.vem, 100), 'andrat', a.beslut_id, a.entitet, a.nyckel, count(*), ''
    FROM pg_temp.bemanning_andringar a GROUP BY a.vem, a.beslut_id, a.entitet, a.nyckel ORDER BY min(a.id);
  END IF;
  -- TRUNCATE och inte DELETE: utlösaren körs en gång per ny händelse, och efter en DELETE läste
  -- varje körning alla borttagna rader igen (en import på 250 000 händelser tog timmar vid COMMIT).
  TRUNCATE pg_temp.bemanning_andringar;
  RETURN NULL;
END $$""")
    out.append("CREATE TRIGGER handelse_loggas AFTER INSERT ON handelse REFERENCING NEW TABLE AS nya "
               "FOR EACH STATEMENT EXECUTE FUNCTION bemanning_logga_andringar()")
    out.append("CREATE CONSTRAINT TRIGGER handelse_loggas_vid_commit AFTER INSERT ON handelse "
               "DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION bemanning_logga_vid_commit()")

    # Registreringstiden sätts av servern för alla utom ägaren (som kopierar ett register med dess
    # tider): ingen klient kan föra in en händelse som registrerad en annan dag.
    out.append(f"""
CREATE OR REPLACE FUNCTION bemanning_registreringstid() RETURNS trigger
LANGUAGE plpgsql {definer} AS $$
BEGIN
  IF NOT pg_has_role(session_user, (SELECT c.relowner FROM pg_class c WHERE c.oid = 'handelse'::regclass), 'MEMBER') THEN
    NEW.registrerad := date_trunc('second', now() AT TIME ZONE 'UTC');
  END IF;
  RETURN NEW;
END $$""")
    out.append("CREATE TRIGGER handelse_registreringstid BEFORE INSERT ON handelse "
               "FOR EACH ROW EXECUTE FUNCTION bemanning_registreringstid()")

    # Behörigheter delas ut av en administratör: gruppen tilldelas inloggningen.
    for name, verb in (("bemanning_ge_roll", "GRANT %I TO %I"), ("bemanning_ta_roll", "REVOKE %I FROM %I")):
        out.append(f"""
CREATE OR REPLACE FUNCTION {name}(p_login text, p_roll text) RETURNS void
LANGUAGE plpgsql VOLATILE {definer} AS $$
BEGIN
  IF p_roll NOT IN ({", ".join(f"'{r}'" for r in ROLES)}) THEN
    RAISE EXCEPTION 'Okänd roll %', p_roll USING ERRCODE = '22023';
  END IF;
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = p_login AND rolcanlogin) THEN
    RAISE EXCEPTION 'Inloggningen % finns inte i databasen', p_login USING ERRCODE = '42704';
  END IF;
  EXECUTE format('{verb}', '{PREFIX}' || p_roll, p_login);
END $$""")
    functions = {
        "bemanning_roller()": all_groups,
        "bemanning_post_falt(text, text, text)": None,  # bara inifrån de andra: läser vilken post som helst
        "bemanning_enheter(text)": all_groups,
        "bemanning_synliga(text)": all_groups,
        "bemanning_far_skriva(text, text, text, text)": all_groups,
        "bemanning_finns(text, text[])": f"{chef}, {plan}, {admin}",
        "bemanning_nycklar(text)": f"{chef}, {plan}, {admin}",
        "bemanning_logga(text, text, text, text, integer, text, text)": all_groups,
        "bemanning_logga_andringar()": all_groups,
        "bemanning_logga_vid_commit()": all_groups,
        "bemanning_registreringstid()": all_groups,
        "bemanning_ge_roll(text, text)": admin,
        "bemanning_ta_roll(text, text)": admin,
    }
    for signature, grantees in functions.items():
        out.append(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC")
        if grantees:
            out.append(f"GRANT EXECUTE ON FUNCTION {signature} TO {grantees}")

    # -- GRANT per tabell -----------------------------------------------------------------------------
    out += [
        "REVOKE ALL ON handelse, importlogg, loggning, beslut_lage, enskild_lage, projektion_meta, "
        "behorighet, alembic_version FROM PUBLIC",
        f"GRANT SELECT ON alembic_version, projektion_meta TO {all_groups}",
        f"GRANT SELECT, INSERT ON handelse TO {chef}, {plan}, {admin}",
        f"GRANT SELECT ON handelse TO {ctrl}, {gransk}",  # granskaren: inga rader (radsäkerheten)
        f"GRANT USAGE ON SEQUENCE handelse_id_seq TO {chef}, {plan}, {admin}",
        f"GRANT SELECT, INSERT ON importlogg TO {admin}",
        f"GRANT USAGE ON SEQUENCE importlogg_id_seq TO {admin}",
        f"GRANT SELECT ON loggning TO {gransk}",
        # schemaläggaren och granskaren: inga rader (radsäkerheten), så att Översikt visar noll
        f"GRANT SELECT ON beslut_lage, enskild_lage TO {chef}, {plan}, {ctrl}, {admin}, {gransk}",
        f"GRANT INSERT, DELETE ON beslut_lage, enskild_lage TO {chef}, {admin}",
        f"GRANT INSERT, DELETE ON projektion_meta TO {admin}",
        f"GRANT SELECT ON behorighet TO {all_groups}",
        f"GRANT INSERT, DELETE ON behorighet TO {admin}",
        "CREATE INDEX IF NOT EXISTS ix_handelse_person ON handelse ((data::jsonb ->> 'person_id')) "
        "WHERE entitet = 'beslut' AND typ = 'registrerad'",
    ]

    # -- radsäkerhet ----------------------------------------------------------------------------------
    for table in ("handelse", "beslut_lage", "enskild_lage", "behorighet"):
        out.append(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    out += [
        "CREATE POLICY handelse_las ON handelse FOR SELECT USING ("
        "  (SELECT 'administrator' = ANY(bemanning_roller()))"
        "  OR (entitet = 'beslut' AND nyckel = ANY((SELECT bemanning_synliga('beslut'))::text[]))"
        "  OR (entitet = 'enskild' AND nyckel = ANY((SELECT bemanning_synliga('enskild'))::text[]))"
        "  OR (entitet = 'personal' AND nyckel = ANY((SELECT bemanning_synliga('personal'))::text[]))"
        "  OR (entitet = 'uppdragstagare' AND (SELECT 'enhetschef' = ANY(bemanning_roller())))"
        # Controllerns rapporter och antal räknas i programmet ur besluten och de enskildas kön och
        # födelseår: controllern läser dem (utan namn; programmet visar inga id).
        "  OR (entitet IN ('beslut', 'enskild') AND (SELECT 'controller' = ANY(bemanning_roller())))"
        "  OR (entitet IN ('enhet', 'omrade') AND (SELECT bemanning_roller() "
        "      && ARRAY['enhetschef', 'schemalaggare', 'controller'])))",
        "CREATE POLICY handelse_skriv ON handelse FOR INSERT WITH CHECK ("
        "  (SELECT 'administrator' = ANY(bemanning_roller()))"
        "  OR bemanning_far_skriva(entitet, nyckel, typ, data))",
        "CREATE POLICY beslut_lage_enhet ON beslut_lage FOR ALL USING ("
        "  (SELECT bemanning_roller() && ARRAY['administrator', 'controller'])"
        "  OR beslut_id = ANY((SELECT bemanning_synliga('beslut'))::text[]))"
        " WITH CHECK ("
        "  (SELECT 'administrator' = ANY(bemanning_roller()))"
        "  OR beslut_id = ANY((SELECT bemanning_synliga('beslut'))::text[])"
        "  OR enhet = ANY((SELECT bemanning_enheter('enhetschef'))::text[]))",
        "CREATE POLICY enskild_lage_enhet ON enskild_lage FOR ALL USING ("
        "  (SELECT bemanning_roller() && ARRAY['administrator', 'controller'])"
        "  OR person_id = ANY((SELECT bemanning_synliga('enskild'))::text[]))"
        " WITH CHECK ((SELECT bemanning_roller() && ARRAY['administrator', 'enhetschef']))",
        "CREATE POLICY behorighet_egen ON behorighet FOR SELECT "
        "USING (anvandare = current_user::text OR 'administrator' = ANY(bemanning_roller()))",
        "CREATE POLICY behorighet_admin ON behorighet FOR ALL "
        "USING ('administrator' = ANY(bemanning_roller())) "
        "WITH CHECK ('administrator' = ANY(bemanning_roller()))",
    ]
    return out
