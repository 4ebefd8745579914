"""Registret: händelseloggen i en databas, och läget för valfri dag byggt ur den.

Standard är en inbäddad SQLite-fil (WAL-läge, ägarens rättigheter). En annan databas är en
fråga om URL (`postgresql://…`), inte om annan kod: tabellerna är SQLAlchemy Core och
schemat versioneras med Alembic-migreringar som körs när registret öppnas.
"""

from __future__ import annotations

import functools
import getpass
import json
import logging
import os
import re
import threading
from collections import OrderedDict, defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from itertools import compress, repeat
from operator import and_, attrgetter, is_, is_not, methodcaller
from pathlib import Path
from types import MappingProxyType
from typing import Any, TypeVar

from sqlalchemy import Connection, Engine, create_engine, event, func, insert, select, text, union
from sqlalchemy.exc import OperationalError

from bemanning.errors import AlreadyExistsError, ConflictError, RegisterUnavailable, UserError
from bemanning.model.beslut import Beslut, Onskemal
from bemanning.model.beslutslage import BeslutLage, Erbjudande, fold_beslut, fold_record
from bemanning.model.enhet import Enhet, Samplaneringsomrade
from bemanning.model.enskild import Enskild
from bemanning.model.handelse import Entitet, Handelse, HandelseTyp
from bemanning.model.insats import Katalog, default_katalog
from bemanning.model.personnummer import looks_like_personnummer
from bemanning.model.resurser import Personal, Uppdragstagare
from bemanning.model.serialize import from_record, to_record
from bemanning.model.values import Kon
from bemanning.store import bulk, dberrors, projection
from bemanning.store.schema import behorighet, beslut_lage, handelse, importlogg, loggning

log = logging.getLogger("bemanning.store")

T = TypeVar("T")

_RESOURCE_TYPES: dict[Entitet, type] = {
    Entitet.UPPDRAGSTAGARE: Uppdragstagare,
    Entitet.PERSONAL: Personal,
    Entitet.ENHET: Enhet,
    Entitet.OMRADE: Samplaneringsomrade,
    Entitet.ENSKILD: Enskild,
}


# Nyckel för PostgreSQL:s transaktionslås som alla skrivningar tar (se Register.transaction).
WRITE_LOCK_KEY = 0x62656D6E  # "bemn"

#: Händelser per sats när de skrivs (`Register.append`): raderna med JSON-texten för en sats i taget
#: i minnet, inte för alla (254 515 händelser för 100 000 beslut, 50 MB JSON).
EVENT_BATCH = 20_000

# Fler poster än så i en skrivning loggas som en rad (import), inte en rad per post.
_LOG_ROWS_MAX = 100

# Åtgärder i loggningen
OPPNAT_BESLUT = "oppnat_beslut"
OPPNAT_HISTORIK = "oppnat_historik"
VISAT_PERSONNUMMER = "visat_personnummer"
ANDRAT = "andrat"
MASSANDRING = "massandring"
KOPIERAT = "kopierat"
LAST_LOGGNING = "last_loggning"
BEHORIGHET = "behorighet"  # en roll, enhet eller ett område gavs eller togs


def to_url(db: str | Path) -> str:
    """Sökväg → SQLite-URL; `postgresql://` och `postgres://` → drivrutinen psycopg (version 3)."""
    text = str(db)
    if "://" in text:
        for prefix in ("postgresql://", "postgres://"):
            if text.startswith(prefix):
                return "postgresql+psycopg://" + text.removeprefix(prefix)
        return text
    return f"sqlite:///{Path(text).expanduser()}"


MIGRATIONS = Path(__file__).parent / "migrations"


@functools.lru_cache(maxsize=1)
def head_revision() -> str:
    """Den senaste migreringen, läst ur filerna (utan att ladda Alembic, som tar en kvarts sekund
    att importera: de flesta öppningar har redan ett register i senaste versionen)."""
    revisions = _revisions()
    heads = set(revisions) - {d for d in revisions.values() if d}
    if len(heads) != 1:
        raise RuntimeError(f"migreringarna har {len(heads)} huvuden: {sorted(heads)}")
    return heads.pop()


def _revisions() -> dict[str, str | None]:
    """Migreringarna som programmet känner: revision → föregående."""
    revisions: dict[str, str | None] = {}
    for path in (MIGRATIONS / "versions").glob("*.py"):
        source = path.read_text(encoding="utf-8")
        rev = re.search(r'^revision = "([^"]+)"', source, re.MULTILINE)
        down = re.search(r'^down_revision = (?:"([^"]+)"|None)', source, re.MULTILINE)
        if rev:
            revisions[rev.group(1)] = down.group(1) if down else None
    return revisions


def _is_current(connection: Connection) -> bool:
    """Är registret i senaste versionen, med projektionerna byggda? (En läsning, inget lås.)"""
    from sqlalchemy import inspect

    names = set(inspect(connection).get_table_names())
    if "alembic_version" not in names or "projektion_meta" not in names:
        return False
    current = connection.execute(text("SELECT version_num FROM alembic_version")).scalar()
    return current == head_revision() and projection.built_version(connection) == projection.VERSION


def _alembic_config(connection: Connection):
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    cfg.attributes["connection"] = connection
    return cfg


def _enable_sqlite_pragmas(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA busy_timeout=10000")
        cursor.close()
        # Vi skriver BEGIN själva (nedan), så att en skrivning kan ta skrivlåset direkt.
        dbapi_connection.isolation_level = None

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Connection) -> None:
        # En skrivning (Register.transaction) börjar med BEGIN IMMEDIATE: låset tas innan något
        # läses, så kontrollen av versionen och tillägget sker utan att någon annan skriver emellan.
        write = connection.get_execution_options().get("bemanning_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def _require_driver(url: str) -> None:
    if url.startswith("postgresql+psycopg"):
        try:
            import psycopg  # noqa: F401
        except ImportError:
            raise UserError(
                "PostgreSQL kräver paketet psycopg; installera det med "
                "pip install 'psycopg[binary]' (eller bemanning[postgresql])."
            ) from None


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """En skrivtransaktion som bara en i taget har: BEGIN IMMEDIATE i SQLite, transaktionslås i
    PostgreSQL. Då får händelserna id i den ordning de sparas, och ingen annan skriver mellan en
    kontroll och tillägget."""
    with engine.connect() as connection:
        connection.execution_options(bemanning_write=True)
        with connection.begin():
            if connection.dialect.name == "postgresql":
                connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": WRITE_LOCK_KEY})
            yield connection


def open_register(db: str | Path, katalog: Katalog | None = None, *, user: str | None = None,
                  create_dir: bool = False, progress: Callable[[str], None] | None = None) -> Register:
    """Öppna (och skapa vid behov) registret och för schemat till senaste versionen.

    `user` är den som loggas för öppningar och ändringar; annars databasinloggningen
    (PostgreSQL) eller datorns konto (SQLite). En registerfil i en katalog som inte finns är ett
    fel (ett felskrivet `--db` ska inte tyst ge ett tomt register), utom i användarens egen
    datakatalog eller när `create_dir` ges. Behöver projektionerna byggas (första öppningen efter
    en uppgradering) rapporteras förloppet till `progress`.
    """
    url = to_url(db)
    _require_driver(url)
    if url.startswith("sqlite:///") and not url.startswith("sqlite:///file:"):
        path = Path(url.removeprefix("sqlite:///"))
        new_file = not path.exists()
        _prepare_directory(path, create=create_dir)
        if new_file:
            try:
                path.touch(mode=0o600)
                os.chmod(path, 0o600)  # sekretess: bara ägaren får läsa registret
            except OSError as exc:
                from bemanning.errors import os_error_text

                raise UserError(f"Kan inte skapa registret {path}: {os_error_text(exc)}.") from None
    engine = create_engine(url, future=True, pool_pre_ping=not url.startswith("sqlite"))
    dberrors.install(engine)
    if engine.dialect.name == "sqlite":
        _enable_sqlite_pragmas(engine)
    try:
        with engine.connect() as connection:
            if connection.dialect.name == "postgresql":
                _refuse_without_access(connection)
            current = _is_current(connection)
        if not current:
            _migrate(engine, progress)
    except RegisterUnavailable as exc:
        engine.dispose()
        shown = engine.url.render_as_string(hide_password=True) if "://" in str(db) else db
        raise UserError(f"Kan inte öppna registret {shown}. {exc.message}") from None
    except OperationalError as exc:
        engine.dispose()
        shown = engine.url.render_as_string(hide_password=True) if "://" in str(db) else db
        raise UserError(f"Kan inte öppna registret {shown} (databasen svarade: "
                        f"{str(exc.orig).strip()[:200]}).") from None
    return Register(engine, katalog or default_katalog(), user=user)


def _migrate(engine: Engine, progress: Callable[[str], None] | None) -> None:
    """För registret till senaste versionen och bygg projektionerna, i en skrivtransaktion (två
    som öppnar samtidigt gör det en gång: den andra ser att det redan är gjort)."""
    from alembic import command
    from alembic.runtime.migration import MigrationContext

    with write_transaction(engine) as connection:
        cfg = _alembic_config(connection)
        current = MigrationContext.configure(connection).get_current_revision()
        head = head_revision()
        if current is not None and current not in _revisions():
            raise UserError(f"Registret har en nyare version av schemat ({current}) än den här versionen av "
                            f"bemanning känner ({head}). Uppdatera programmet (samma version som de andra "
                            "som använder registret) och öppna det igen; inget har ändrats.")
        if current is not None and current != head and not _is_owner(connection):
            raise UserError("Registret har en äldre version av schemat och måste migreras av databasens "
                            "ägare (bemanning db migrera) innan det kan användas.")
        if current != head:
            log.info("migrerar registret från %s till %s", current or "tomt", head)
            command.upgrade(cfg, "head")
        built = projection.built_version(connection)
        if built != projection.VERSION:
            if built is not None and built.isdigit() and int(built) > int(projection.VERSION):
                raise UserError(f"Registrets översikt är byggd efter en nyare version av bemanning (översikt "
                                f"{built}, det här programmet {projection.VERSION}). Uppdatera programmet och "
                                "öppna registret igen; inget har ändrats.")
            # Första öppningen efter en uppgradering: översikten byggs ur händelserna.
            if connection.dialect.name == "postgresql" and not _is_owner(connection):
                raise UserError("Registrets översikt räknas efter nya regler i den här versionen och måste "
                                "byggas om av databasens ägare (bemanning db bygg-om) innan det kan användas.")
            projection.rebuild(connection, progress)


def _prepare_directory(path: Path, *, create: bool) -> None:
    from bemanning.errors import os_error_text
    from bemanning.paths import user_data_dir

    parent = path.parent
    if parent.is_dir():
        return
    if parent.exists() or any(p.is_file() for p in parent.parents):
        raise UserError(f"Kan inte lägga registret i {parent}: en del av sökvägen är en fil, inte en "
                        "katalog. Ange en annan sökväg med --db.")
    if not create and parent.resolve() != user_data_dir().resolve():
        raise UserError(f"Katalogen {parent} finns inte. Skapa den först (mkdir -p {parent}), eller ange "
                        "ett register i en befintlig katalog med --db.")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise UserError(f"Kan inte skapa katalogen för registret ({parent}): {os_error_text(exc)}.") from None


def _now() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None, microsecond=0)


def _json_default(value: Any) -> Any:
    record = to_record(value)
    if record is value:
        raise TypeError(f"{type(value).__name__} kan inte sparas i en händelse")
    return record


#: En händelses data som JSON: samma text som json.dumps(to_record(data)), men bara de värden som
#: JSON inte själv kan skriva (datum, modellobjekt, uppräkningar) går genom to_record.
_DATA_ENCODER = json.JSONEncoder(ensure_ascii=False, sort_keys=True, default=_json_default)


def _one_shot_encoder() -> Callable[[Any], str]:
    """`_DATA_ENCODER.encode` för ett objekt (dict), utan att bygga om kodaren för varje händelse
    (det gör json för varje anrop): en import kodar hundratusentals. Samma text; utan json:s
    C-kodare (eller om den inte ger samma text) används `_DATA_ENCODER.encode` som den är."""
    from json import encoder as json_encoder

    make = getattr(json_encoder, "c_make_encoder", None)
    if make is None:
        return _DATA_ENCODER.encode
    try:
        # markers None: ingen kontroll av cirkulära objekt (händelsedata är aldrig cirkulärt)
        chunks = make(None, _json_default, json_encoder.c_encode_basestring, None, ": ", ", ", True, False, True)
    except TypeError:  # en annan Python med andra argument
        return _DATA_ENCODER.encode
    join = "".join
    slow = _DATA_ENCODER.encode

    def encode(data: Any) -> str:
        if type(data) is not dict:
            return slow(data)
        return join(chunks(data, 0))

    sample = {"ö": "å\n\"x\u2028", "b": [1, 2.5, None, True], "a": {"z": date(2024, 1, 2)}, "tal": 1e20}
    return encode if encode(sample) == slow(sample) else slow


#: Händelsedatat som den text registret sparar (samma text för samma data).
encode_data = _one_shot_encoder()


#: Händelsetabellens kolumner som `Register.append` skriver (id:t sätter databasen).
_EVENT_COLUMNS = ("entitet", "nyckel", "typ", "datum", "registrerad", "kalla", "data")


def as_event(row: Any) -> Handelse:
    """En rad ur `Register.stored_rows` (eller händelsetabellen) som händelse."""
    return _row_to_event(row)


def _row_to_event(row: Any) -> Handelse:
    return Handelse(
        entitet=Entitet(row.entitet),
        nyckel=row.nyckel,
        typ=HandelseTyp(row.typ),
        datum=row.datum,
        data=json.loads(row.data),
        kalla=row.kalla,
        registrerad=row.registrerad,
        id=row.id,
    )


def _default_user(engine: Engine) -> str:
    if engine.dialect.name == "postgresql":
        with engine.connect() as conn:
            return str(conn.execute(text("SELECT session_user")).scalar_one())
    try:
        return getpass.getuser()
    except Exception:  # inget konto i miljön (container utan passwd-rad)
        return f"uid {os.getuid()}"


def _is_owner(connection: Connection) -> bool:
    """Är inloggningen databasens ägare (äger händelsetabellen, eller är superanvändare)? Ägaren
    migrerar och är administratör; alla andra får det deras grupproller ger."""
    if connection.dialect.name != "postgresql":
        return True
    return bool(connection.execute(text(
        "SELECT coalesce((SELECT pg_has_role(current_user, c.relowner, 'MEMBER') FROM pg_class c "
        "WHERE c.oid = to_regclass('handelse')), true)"
    )).scalar())


def _refuse_without_access(connection: Connection) -> None:
    """En inloggning som inte når registrets schema (ingen roll) får ett svenskt besked, inte ett
    försök att skapa ett nytt register."""
    schema, usable, creatable = connection.execute(text(
        "SELECT s, s IS NOT NULL AND has_schema_privilege(s, 'USAGE'), "
        "s IS NOT NULL AND has_schema_privilege(s, 'CREATE') FROM (SELECT current_schema() AS s) x"
    )).one()
    if not usable:
        who = connection.execute(text("SELECT current_user")).scalar()
        raise UserError(f"Inloggningen {who} har ingen behörighet till registret (eller så finns det inte här). "
                        "Be registrets administratör om en roll (bemanning behorighet lagg-till).")
    if not creatable and connection.execute(text("SELECT to_regclass('alembic_version') IS NULL")).scalar():
        raise UserError("Registret finns inte i databasen ännu och din inloggning får inte skapa det. "
                        "Databasens ägare skapar det med bemanning db migrera.")


#: Programmets roller som grupproller i PostgreSQL (migrering 0005).
ROLE_GROUP_PREFIX = "bemanning_"
ROLE_NAMES = ("enhetschef", "schemalaggare", "controller", "administrator", "granskare")
SCOPE_KINDS = ("enhet", "omrade")


def _safe_key(value: Any) -> str | None:
    """Ett id som får stå i loggningen: aldrig något som ser ut som ett personnummer."""
    if value is None:
        return None
    value = str(value)[:100]
    first = value[:1]
    if first and not first.isdigit() and not first.isspace():
        return value  # (ett personnummer börjar med en siffra, efter blanksteg)
    return None if looks_like_personnummer(value) else value


def _as_of(items: Iterable[Handelse], per: date | None) -> list[Handelse]:
    return [e for e in items if per is None or e.typ is HandelseTyp.REGISTRERAD or e.datum <= per]


_WHAT = {
    Entitet.BESLUT: "Beslutet",
    Entitet.ENSKILD: "Den enskilde",
    Entitet.UPPDRAGSTAGARE: "Uppdragstagaren",
    Entitet.PERSONAL: "Den anställda",
    Entitet.ENHET: "Enheten",
    Entitet.OMRADE: "Området",
}


def _fold_all(groups: Iterable[Sequence[Handelse]], enskilda: Mapping[str, Enskild], per: date) -> list[BeslutLage]:
    """Varje besluts läge dag `per` ur dess händelser (och den enskilde), äldst beslut först."""
    result = []
    for items in groups:
        first = items[0]
        person = first.data.get("person_id") if first.typ is HandelseTyp.REGISTRERAD else None
        lage = fold_beslut(items, enskilda.get(person) if person else None, per)
        if lage is not None:
            result.append(lage)
    result.sort(key=lambda x: (x.beslut.beslutsdatum, x.beslut_id))
    return result


_REGISTRERAD = HandelseTyp.REGISTRERAD.value
#: Så många beslut läses och räknas åt gången av `Register.beslut_lagen_satsvis`.
LAGEN_SATS = 2000
#: Händelserna i en enkel historik (det en import skriver efter registreringen).
_SIMPLE_TYPES = frozenset({HandelseTyp.ERBJUDANDE.value, HandelseTyp.VERKSTALLT.value, HandelseTyp.AVSLUTAT.value})


def _light_lage(data: dict[str, Any], rows: Sequence[Any], person: Any, per: date) -> BeslutLage | None:
    """Läget dag `per` för en enkel historik (registreringen `data`, sedan bara erbjudanden,
    verkställt och avslutat med datum till och med `per`, i registreringsordning), med samma regler
    som `fold_beslut`: det senast registrerade verkställandet och avslutet gäller, erbjudandena
    sorteras stabilt på datum. Den enskilde är hennes rad i projektionen den dagen (samma som
    hopvikningen av hennes händelser). None när något är ovanligt (då viks beslutet ihop)."""
    registered = projection._registered(data)
    if registered is None or person is None or person.kon not in ("K", "M"):
        return None
    fodelsear = person.fodelsear
    if fodelsear is not None and type(fodelsear) is not int:
        return None
    try:
        enskild = Enskild(person_id=person.person_id, kon=Kon(person.kon), fodelsear=fodelsear)
        beslut = Beslut(beslut_id=data["beslut_id"], person_id=data["person_id"], insats=registered.insats,
                        beslutsdatum=registered.beslutsdatum, orsak=registered.orsak, enhet=registered.enhet,
                        onskemal=_INGA_ONSKEMAL)  # önskemålen läses inte av rapporterna
    except (ValueError, TypeError):
        return None
    erbjudanden = []
    verkstalld = avslutad = None
    avslutsorsak = ""
    for row in rows[1:]:
        typ = row.typ
        if typ == _VERKSTALLT:
            verkstalld = row.datum
        elif typ == _AVSLUTAT:
            avslutad = row.datum
            avslutsorsak = json.loads(row.data).get("orsak", "")
        else:
            d = json.loads(row.data)
            erbjudanden.append(Erbjudande(datum=row.datum, utfall=d.get("utfall", ""),
                                          kommentar=d.get("kommentar", ""), kandidat=d.get("kandidat")))
    erbjudanden.sort(key=lambda e: e.datum)
    return BeslutLage(beslut=beslut, enskild=enskild, per=per, erbjudanden=tuple(erbjudanden),
                      verkstalld_datum=verkstalld, avslutad_datum=avslutad, avslutsorsak=avslutsorsak)


_VERKSTALLT, _AVSLUTAT = HandelseTyp.VERKSTALLT.value, HandelseTyp.AVSLUTAT.value
_INGA_ONSKEMAL = Onskemal()

_ENTITET = attrgetter("entitet")
_NYCKEL = attrgetter("nyckel")
_DATA = attrgetter("data")
_KALLA = attrgetter("kalla")
_TYP = attrgetter("typ")
_BESLUT_ID = methodcaller("get", "beslut_id")


def _count_logged_posts(events: Sequence[Handelse]) -> int | None:
    """Antalet rader som `Register._log_changes` skulle skriva en per post (samma nycklar: beslutet,
    den enskilde genom sitt beslut, övriga poster med sitt slag), räknat med mängder och
    funktioner i C i stället för en genomgång av händelserna i Python (en import har hundratusentals).
    None om något värde inte går att räkna så (då räknar `_log_changes` som förut)."""
    kinds = list(map(_ENTITET, events))
    beslut, enskild = Entitet.BESLUT, Entitet.ENSKILD
    try:
        beslut_keys = set(compress(map(_NYCKEL, events), map(is_, kinds, repeat(beslut))))
        enskild_values = set(map(_BESLUT_ID, map(_DATA, compress(events, map(is_, kinds, repeat(enskild))))))
        others = set(compress(zip(kinds, map(_NYCKEL, events), strict=True),
                              map(and_, map(is_not, kinds, repeat(beslut)), map(is_not, kinds, repeat(enskild)))))
    except (TypeError, AttributeError):  # ett värde som inte kan vara nyckel, data som inte är en dict
        return None
    count = len(set(map(_safe_key, beslut_keys)))
    count += len({_safe_key(v if v is None or type(v) is str else str(v)) for v in enskild_values})
    count += len({(kind.value, _safe_key(key)) for kind, key in others})
    return count


def _log_summary(events: Sequence[Handelse]) -> list[Any]:
    """[antalet poster som `_count_logged_posts` räknar dem (eller None), källorna i ordning]."""
    return [_count_logged_posts(events), sorted(filter(None, set(map(_KALLA, events))))]


def _shown_key(entitet: Entitet, key: str) -> str | None:
    """Id:t som får stå i ett meddelande: aldrig den enskildes person_id."""
    return None if entitet is Entitet.ENSKILD else key


@contextmanager
def sqlite_pragma(connection: Any, name: str, value: int) -> Iterator[None]:
    """I SQLite: `PRAGMA name=value` på anslutningen medan blocket körs, och det förra värdet
    tillbaka efteråt (anslutningen går tillbaka till poolen). Andra databaser: inget."""
    if connection.dialect.name != "sqlite":
        yield
        return
    before = connection.exec_driver_sql(f"PRAGMA {name}").scalar()
    connection.exec_driver_sql(f"PRAGMA {name}={int(value):d}")
    try:
        yield
    finally:
        connection.exec_driver_sql(f"PRAGMA {name}={int(before or 0):d}")


class _ListRad:
    """En rad i listan över beslut, med den enskildes kön och område från en egen fråga."""

    __slots__ = ("_row", "kon", "enhet_visad")

    def __init__(self, row: Any, person: Any | None) -> None:
        self._row = row
        self.kon = person.kon if person is not None else None
        omrade = person.omrade if person is not None else None
        self.enhet_visad = row.enhet or omrade or ""

    def __getattr__(self, name: str) -> Any:
        return getattr(self._row, name)


class _ReadCache:
    """De senaste läsningarna av hela registret, giltiga så länge ingen ny händelse har skrivits.

    Begränsad till några få svar (de äldsta faller bort), och svaren är oföränderliga (tupler och
    skrivskyddade mappningar), så att ingen som läser kan ändra det nästa läsare får.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._items: OrderedDict[Any, tuple[int, Any]] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: Any, last_event: int) -> Any | None:
        with self._lock:
            cached = self._items.get(key)
            if cached is None or cached[0] != last_event:
                return None
            self._items.move_to_end(key)
            return cached[1]

    def put(self, key: Any, last_event: int, value: Any) -> None:
        with self._lock:
            self._items[key] = (last_event, value)
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


class Register:
    """Läs- och skrivgränssnittet mot registret. Varje skrivning är en transaktion."""

    def __init__(self, engine: Engine, katalog: Katalog, *, user: str | None = None) -> None:
        self.engine = engine
        self.katalog = katalog
        self._cache = _ReadCache()
        self._user = user

    @property
    def user(self) -> str:
        """Den som loggas: angiven vid öppning, annars databasinloggningen eller datorns konto."""
        if self._user is None:
            self._user = _default_user(self.engine)
        return self._user

    @property
    def dialect(self) -> str:
        return self.engine.dialect.name

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=True)

    def close(self) -> None:
        self.engine.dispose()

    # -- skrivning --------------------------------------------------------------

    def append(
        self,
        events: Iterable[Handelse],
        *,
        connection: Connection | None = None,
        expected_version: dict[tuple[Entitet, str], int] | None = None,
        grouped: dict[Entitet, dict[str, list[Handelse]]] | None = None,
    ) -> int:
        """Lägg till händelser i en transaktion (eller i den givna). Returnerar antalet.

        `grouped` (en import): händelserna för poster som registreras här, redan ordnade per post
        (se `projection.refresh`).

        `expected_version` är optimistisk versionering: {(entitet, nyckel): senaste händelsens id
        som användaren såg (0 = posten fanns inte)}. Har någon annan sparat en händelse för posten
        sedan dess vägras hela skrivningen med `ConflictError` och ingenting sparas. Kontrollen
        görs i skrivtransaktionen (som bara en i taget har), så två samtidiga sparanden av samma
        beslut kan aldrig båda gå igenom. Historiken skrivs aldrig om.
        """
        events = list(events)
        if connection is None:
            if not events:
                return 0
            with self.transaction() as conn:
                return self.append(events, connection=conn, expected_version=expected_version, grouped=grouped)
        if expected_version:
            self._check_versions(connection, expected_version)
        if not events:
            self._refuse_existing(connection, events)
            return 0
        # En stor import av nya beslut: besluten rader i översikten räknas i en egen process medan
        # id:n prövas och händelserna skrivs här (`projection.start_elsewhere`).
        # I SQLite räknar den också loggningens poster (`_log_summary`), som annars räknas här efteråt.
        summary = functools.partial(_log_summary, events) if connection.dialect.name != "postgresql" else None
        elsewhere = projection.start_elsewhere(connection, events, grouped, summary)
        try:
            self._refuse_existing(connection, events)
            stamp = _now()
            if connection.dialect.name == "postgresql":
                # Transaktionens tid, den som servern sätter för alla utom ägaren: då behöver utlösaren
                # för registreringstiden inte köras för varje händelse (migrering 0010).
                stamp = connection.execute(text("SELECT date_trunc('second', now() AT TIME ZONE 'UTC')")).scalar_one()
            encode = encode_data

            def batches() -> Iterator[list[tuple]]:
                # I satser: varje sats rader (med JSON-texten) skrivs och släpps innan nästa skapas. Som
                # tupler i `_EVENT_COLUMNS` ordning; uppräkningarnas värde utan deras långsamma egenskap.
                for start in range(0, len(events), EVENT_BATCH):
                    yield [(e.entitet._value_, e.nyckel, e.typ._value_, e.datum, e.registrerad or stamp,
                            e.kalla[:200], encode(e.data))
                           for e in events[start:start + EVENT_BATCH]]

            if connection.dialect.name == "postgresql":
                # Servern loggar ändringen (utlösaren handelse_loggas) med inloggningen; bara databasens
                # ägare får ange ett annat namn (kopiering, prov).
                connection.execute(text("SELECT set_config('bemanning.anvandare', :u, true)"),
                                   {"u": self.user[:100]})
            count = len(events)
            bulk.insert_batches(connection, handelse, batches(), count=count, reindex=True, names=_EVENT_COLUMNS)
            # Projektionen räknas medan en stor skrivning pågår i sin tråd (`bulk.insert_rows`); loggningen
            # (i SQLite skriven här, i PostgreSQL av servern) efter den, med samma rad och tid.
            projection.refresh(connection, events, grouped, elsewhere)
        finally:
            if elsewhere is not None:
                elsewhere.cancel()
        if connection.dialect.name != "postgresql":
            self._log_changes(connection, events, stamp, elsewhere.extra if elsewhere is not None else None)
        log.info("%d händelser sparade", count)
        return count

    def _refuse_existing(self, connection: Connection, events: list[Handelse]) -> None:
        """En registrering av en post som redan finns vägras, i skrivtransaktionen: att skapa skriver
        aldrig över, vad som än föreslog id:t (och vilka poster användaren än kunde se)."""
        # Registreringarnas id per slag, i händelsernas ordning (mängderna byggs i C: en import har
        # hundratusentals); samma id två gånger vägras som den första dubbletten i ordningen.
        registrations = list(compress(events, map(is_, map(_TYP, events), repeat(HandelseTyp.REGISTRERAD))))
        kinds = list(map(_ENTITET, registrations))
        wanted: dict[Entitet, set[str]] = {}
        for entitet in dict.fromkeys(kinds):
            names = list(compress(map(_NYCKEL, registrations), map(is_, kinds, repeat(entitet))))
            wanted[entitet] = set(names)
            if len(wanted[entitet]) != len(names):
                seen: dict[Entitet, set[str]] = defaultdict(set)
                for e in registrations:
                    if e.nyckel in seen[e.entitet]:
                        raise AlreadyExistsError(_WHAT.get(e.entitet, "Posten"), _shown_key(e.entitet, e.nyckel))
                    seen[e.entitet].add(e.nyckel)
        for entitet, keys in wanted.items():
            if len(keys) > 500 and connection.dialect.name == "sqlite" and connection.execute(
                select(handelse.c.id).where(handelse.c.entitet == entitet.value).limit(1)
            ).first() is None:
                continue  # inga poster av slaget alls (en första import): inget att fråga efter
            ordered = sorted(keys)
            # PostgreSQL får id:n som en lista (en parameter) i stora satser: en fråga per 500 id
            # var 200 frågor fram och tillbaka för 100 000 beslut. SQLite: IN (…) med 500 åt gången.
            step = 50_000 if connection.dialect.name == "postgresql" else 500
            for start in range(0, len(ordered), step):
                chunk = ordered[start:start + step]
                if connection.dialect.name == "postgresql":
                    # Också poster som inloggningen inte får se (radsäkerheten döljer dem).
                    found = connection.execute(text("SELECT bemanning_finns(:entitet, :keys)"),
                                               {"entitet": entitet.value, "keys": list(chunk)}).scalar()
                    if found is not None:
                        raise AlreadyExistsError(_WHAT.get(entitet, "Posten"), _shown_key(entitet, found))
                    continue
                found = connection.execute(
                    select(handelse.c.nyckel).where(
                        handelse.c.entitet == entitet.value, handelse.c.nyckel.in_(chunk)
                    ).limit(1)
                ).scalar()
                if found is not None:
                    raise AlreadyExistsError(_WHAT.get(entitet, "Posten"), _shown_key(entitet, found))

    def _check_versions(self, connection: Connection, expected: dict[tuple[Entitet, str], int]) -> None:
        for (entitet, nyckel), seen in sorted(expected.items(), key=lambda kv: (kv[0][0].value, kv[0][1])):
            current = connection.execute(
                select(func.coalesce(func.max(handelse.c.id), 0)).where(
                    handelse.c.entitet == entitet.value, handelse.c.nyckel == nyckel
                )
            ).scalar_one()
            if current != (seen or 0):
                what = f"Beslutet {nyckel}" if entitet is Entitet.BESLUT else f"Posten ({entitet.value})"
                if entitet is Entitet.ENSKILD:
                    what = "Uppgifterna om den enskilde"
                log.info("konflikt: %s version %s, sågs som %s", entitet.value, current, seen)
                raise ConflictError(what)

    def version(self, entitet: Entitet, nyckel: str) -> int:
        """Id för postens senaste händelse (0 om den inte finns): det som skickas som expected_version."""
        with self.engine.connect() as conn:
            return conn.execute(
                select(func.coalesce(func.max(handelse.c.id), 0)).where(
                    handelse.c.entitet == entitet.value, handelse.c.nyckel == nyckel
                )
            ).scalar_one()

    @contextmanager
    def transaction(self) -> Iterator[Connection]:
        """Skrivtransaktion (en i taget; se `write_transaction`). Allt eller inget."""
        with write_transaction(self.engine) as connection:
            yield connection

    # -- behörigheter (migrering 0005) ----------------------------------------------

    def server_identity(self) -> dict[str, Any]:
        """Vem servern säger att inloggningen är (bara PostgreSQL): {"login", "agare", "roller",
        "enheter", "omraden"}. Rollerna är gruppmedlemskap i databasen, enheterna och områdena
        står i tabellen `behorighet`. Inställningsfilen påverkar inget av det."""
        with self.engine.connect() as conn:
            login = str(conn.execute(text("SELECT current_user")).scalar_one())
            owner = _is_owner(conn)
            roles = set(conn.execute(text(
                "SELECT substr(rolname, :n) FROM pg_roles WHERE rolname = ANY(:names) "
                "AND pg_has_role(current_user, oid, 'MEMBER') AND NOT :owner"
            ), {"n": len(ROLE_GROUP_PREFIX) + 1, "owner": owner,
                "names": [ROLE_GROUP_PREFIX + r for r in ROLE_NAMES]}).scalars())
            scope: dict[str, set[str]] = {k: set() for k in SCOPE_KINDS}
            if owner or roles:
                for slag, varde in conn.execute(
                    select(behorighet.c.slag, behorighet.c.varde).where(behorighet.c.anvandare == login)
                ):
                    scope.setdefault(slag, set()).add(varde)
        return {"login": login, "agare": owner, "roller": roles,
                "enheter": scope["enhet"], "omraden": scope["omrade"]}

    def behorigheter(self) -> list[dict[str, str]]:
        """Alla behörigheter: {"anvandare", "slag", "varde"}; i PostgreSQL rollerna ur databasens
        gruppmedlemskap och enheterna och områdena ur tabellen."""
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(
                select(behorighet).order_by(behorighet.c.anvandare, behorighet.c.slag, behorighet.c.varde)
            ).mappings()]
            if self.dialect == "postgresql":
                rows = [r for r in rows if r["slag"] != "roll"]
                rows += [{"anvandare": login, "slag": "roll", "varde": roll} for login, roll in conn.execute(text(
                    "SELECT m.rolname, substr(g.rolname, :n) FROM pg_auth_members a "
                    "JOIN pg_roles g ON g.oid = a.roleid JOIN pg_roles m ON m.oid = a.member "
                    "WHERE g.rolname = ANY(:names) AND m.rolcanlogin"
                ), {"n": len(ROLE_GROUP_PREFIX) + 1, "names": [ROLE_GROUP_PREFIX + r for r in ROLE_NAMES]})]
        rows.sort(key=lambda r: (r["anvandare"], r["slag"] != "roll", r["slag"], r["varde"]))
        return rows

    def set_behorighet(self, anvandare: str, slag: str, varde: str, *, add: bool) -> bool:
        """Lägg till eller ta bort en roll, enhet eller ett område för en användare. I PostgreSQL
        tilldelas (eller fråntas) inloggningen gruppen för rollen av servern (bemanning_ge_roll),
        som bara en administratör får anropa. Returnerar False om inget ändrades."""
        if slag not in ("roll", *SCOPE_KINDS):
            raise UserError(f"Okänt slag av behörighet: {slag} (roll, enhet eller omrade).")
        if slag == "roll" and varde not in ROLE_NAMES:
            raise UserError(f"Okänd roll {varde}; välj bland {', '.join(ROLE_NAMES)}.")
        with self.transaction() as conn:
            if slag == "roll" and self.dialect == "postgresql":
                login_exists = conn.execute(text("SELECT 1 FROM pg_roles WHERE rolname = :n AND rolcanlogin"),
                                            {"n": anvandare}).scalar()
                if not login_exists:
                    raise UserError(f"Inloggningen {anvandare} finns inte i databasen. Databasens förvaltare "
                                    f"skapar den först (CREATE ROLE \"{anvandare}\" LOGIN …).")
                member = bool(conn.execute(text(
                    "SELECT pg_has_role(:n, :g, 'MEMBER') AND EXISTS (SELECT 1 FROM pg_auth_members a "
                    "WHERE a.roleid = to_regrole(:g) AND a.member = to_regrole(:n))"
                ), {"n": anvandare, "g": ROLE_GROUP_PREFIX + varde}).scalar())
                if member == add:
                    return False
                function = "bemanning_ge_roll" if add else "bemanning_ta_roll"
                conn.execute(text(f"SELECT {function}(:n, :r)"), {"n": anvandare, "r": varde})
                self._write_log(conn, [{"anvandare": self.user[:100], "atgard": BEHORIGHET,
                                        "detalj": f"{'gav' if add else 'tog'} {varde} {anvandare}"[:200]}])
                return True
            key = {"anvandare": anvandare, "slag": slag, "varde": varde}
            exists = conn.execute(select(behorighet.c.varde).where(
                behorighet.c.anvandare == anvandare, behorighet.c.slag == slag, behorighet.c.varde == varde
            )).first() is not None
            if exists == add:
                return False
            if add:
                conn.execute(insert(behorighet), key)
            else:
                conn.execute(behorighet.delete().where(
                    behorighet.c.anvandare == anvandare, behorighet.c.slag == slag, behorighet.c.varde == varde))
            self._write_log(conn, [{"anvandare": self.user[:100], "atgard": BEHORIGHET,
                                    "detalj": f"{'gav' if add else 'tog'} {slag} {varde} {anvandare}"[:200]}])
        return True

    # -- loggning (vem öppnade eller ändrade vad) ----------------------------------

    def _log_changes(self, connection: Connection, events: list[Handelse], stamp: datetime,
                     summary: list[Any] | None = None) -> None:
        """Loggningens rader för skrivningen. `summary`: `_log_summary(events)` om den redan är
        räknad (i processen som räknade besluten rader, `projection.start_elsewhere`)."""
        user = self.user[:100]
        if len(events) > _LOG_ROWS_MAX:
            posts, sources = summary if summary is not None else _log_summary(events)
            if posts is not None and posts > _LOG_ROWS_MAX:  # en import: en rad, utan en genomgång i Python
                self._write_log(connection, [{
                    "tidpunkt": stamp, "anvandare": user, "atgard": MASSANDRING, "antal": len(events),
                    "detalj": _scrub(f"{posts} poster; " + ", ".join(sources))[:200],
                }])
                return
        # Först per post som den står (en import har många händelser per beslut), sedan prövas
        # varje id en gång för sig (_safe_key).
        raw: dict[tuple[Entitet, Any], int] = defaultdict(int)
        beslut, enskild = Entitet.BESLUT, Entitet.ENSKILD
        for e in events:
            kind = e.entitet
            if kind is enskild:
                value = e.data.get("beslut_id")
                raw[(kind, value if value is None or type(value) is str else str(value))] += 1
            else:
                raw[(kind, e.nyckel)] += 1
        keys: dict[tuple[str | None, str | None, str | None], int] = defaultdict(int)
        for (kind, value), count in raw.items():
            if kind is beslut:
                keys[(_safe_key(value), None, None)] += count
            elif kind is enskild:
                # den enskildes id kan vara ett personnummer: logga beslutet om det är känt, annars bara slaget
                keys[(_safe_key(value), Entitet.ENSKILD.value, None)] += count
            else:
                keys[(None, kind.value, _safe_key(value))] += count
        if len(keys) > _LOG_ROWS_MAX:
            sources = sorted({e.kalla for e in events if e.kalla})
            self._write_log(connection, [{
                "tidpunkt": stamp, "anvandare": user, "atgard": MASSANDRING, "antal": len(events),
                "detalj": _scrub(f"{len(keys)} poster; " + ", ".join(sources))[:200],
            }])
            return
        self._write_log(connection, [
            {"tidpunkt": stamp, "anvandare": user, "atgard": ANDRAT, "beslut_id": beslut_id,
             "entitet": entitet, "nyckel": nyckel, "antal": antal, "detalj": ""}
            for (beslut_id, entitet, nyckel), antal in keys.items()
        ])

    @staticmethod
    def _write_log(connection: Connection, rows: list[dict[str, Any]]) -> None:
        """Rader i loggningen. I PostgreSQL skriver servern dem (funktionen bemanning_logga, med
        sessionens inloggning som användare): ingen programroll får skriva i tabellen själv."""
        defaults = {"tidpunkt": _now(), "beslut_id": None, "entitet": None, "nyckel": None, "antal": 1, "detalj": ""}
        rows = [{**defaults, **r} for r in rows]
        if connection.dialect.name != "postgresql":
            connection.execute(insert(loggning), rows)
            return
        connection.execute(
            text("SELECT bemanning_logga(:atgard, :beslut_id, :entitet, :nyckel, :antal, :detalj, :anvandare)"),
            [{"atgard": r["atgard"], "beslut_id": r.get("beslut_id"), "entitet": r.get("entitet"),
              "nyckel": r.get("nyckel"), "antal": r.get("antal", 1), "detalj": r.get("detalj", ""),
              "anvandare": r["anvandare"]} for r in rows],
        )

    def log_access(
        self,
        atgard: str,
        *,
        beslut_id: str | None = None,
        entitet: Entitet | None = None,
        nyckel: str | None = None,
        detalj: str = "",
        connection: Connection | None = None,
    ) -> None:
        """För in en öppning (OPPNAT_BESLUT, OPPNAT_HISTORIK, VISAT_PERSONNUMMER …) i loggningen.

        Anropas av gränssnittet när en person öppnar ett beslut eller en historik. Den enskildes
        id (som kan vara ett personnummer) loggas aldrig; ange beslut_id.
        """
        row = {
            "tidpunkt": _now(), "anvandare": self.user[:100], "atgard": atgard[:40],
            "beslut_id": _safe_key(beslut_id),
            "entitet": entitet.value if entitet is not None else None,
            "nyckel": None if entitet is Entitet.ENSKILD else _safe_key(nyckel),
            "antal": 1, "detalj": _scrub(detalj)[:200],
        }
        if connection is not None:
            self._write_log(connection, [row])
            return
        with self.engine.begin() as conn:
            self._write_log(conn, [row])

    def access_log(
        self,
        reader: Any,
        *,
        beslut_id: str | None = None,
        anvandare: str | None = None,
        since: datetime | None = None,
        limit: int | None = None,
    ) -> list[dict[str, Any]]:
        """Loggningen, för den som får granska (`bemanning.access.may_audit`). Läsningen loggas också.

        `reader` är en `bemanning.access.Anvandare`. Loggningen ingår aldrig i rapporter eller
        exporter: den nås bara härifrån.
        """
        from bemanning.access import may_audit

        if not may_audit(reader):
            raise UserError("Din roll får inte läsa loggningen; den läses av den som granskar åtkomst.")
        query = select(loggning).order_by(loggning.c.id)
        if beslut_id is not None:
            query = query.where(loggning.c.beslut_id == beslut_id)
        if anvandare is not None:
            query = query.where(loggning.c.anvandare == anvandare)
        if since is not None:
            query = query.where(loggning.c.tidpunkt >= since)
        if limit is not None:
            query = query.order_by(None).order_by(loggning.c.id.desc()).limit(limit)
        with self.engine.connect() as conn:
            rows = [dict(r) for r in conn.execute(query).mappings()]
        rows.sort(key=lambda r: r["id"])
        self.log_access(LAST_LOGGNING, beslut_id=beslut_id, detalj=f"{len(rows)} rader")
        return rows

    def log_import(self, connection: Connection, fil: str, sha256: str, antal: int, summary: str) -> None:
        connection.execute(
            insert(importlogg),
            {"fil": fil, "sha256": sha256, "importerad": _now(), "antal_handelser": antal,
             "sammanfattning": summary},
        )

    def imports(self) -> list[dict[str, Any]]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(importlogg).order_by(importlogg.c.id)).mappings().all()
        return [dict(r) for r in rows]

    # -- läsning ----------------------------------------------------------------

    def last_event_id(self) -> int:
        with self.engine.connect() as conn:
            return conn.execute(select(func.coalesce(func.max(handelse.c.id), 0))).scalar_one()

    def events(
        self,
        entitet: Entitet | None = None,
        nyckel: str | None = None,
        *,
        until: date | None = None,
    ) -> list[Handelse]:
        query = select(handelse).order_by(handelse.c.id)
        if entitet is not None:
            query = query.where(handelse.c.entitet == entitet.value)
        if nyckel is not None:
            query = query.where(handelse.c.nyckel == nyckel)
        if until is not None:
            query = query.where(handelse.c.datum <= until)
        with self.engine.connect() as conn:
            return [_row_to_event(r) for r in conn.execute(query)]

    def history(self, entitet: Entitet, nyckel: str) -> list[Handelse]:
        """Alla händelser för en post, i den ordning de registrerades."""
        return self.events(entitet, nyckel)

    def _grouped(self, entitet: Entitet, until: date | None) -> Mapping[str, tuple[Handelse, ...]]:
        key = ("grupper", entitet, until)
        last = self.last_event_id()
        cached = self._cache.get(key, last)
        if cached is not None:
            return cached
        lists: dict[str, list[Handelse]] = defaultdict(list)
        for item in self.events(entitet, until=until):
            lists[item.nyckel].append(item)
        groups = MappingProxyType({k: tuple(v) for k, v in lists.items()})
        self._cache.put(key, last, groups)
        return groups

    def _records(self, entitet: Entitet, per: date | None) -> dict[str, dict[str, Any]]:
        records = {}
        for key, items in self._grouped(entitet, per).items():
            record = fold_record(items)
            if record is not None:
                records[key] = record
        return records

    def _resources(self, entitet: Entitet, cls: type[T], per: date | None) -> list[T]:
        records = self._records(entitet, per)
        return [from_record(cls, records[k]) for k in sorted(records)]

    def enskilda(self, per: date | None = None) -> dict[str, Enskild]:
        """De enskilda med rättelser till och med `per`. Registreringen gäller oavsett datum: den
        enskilde finns för alla beslut, även ett som importeras senare med ett äldre beslutsdatum."""
        result = {}
        for key, items in self._grouped(Entitet.ENSKILD, None).items():
            record = fold_record(_as_of(items, per))
            if record is not None:
                result[key] = from_record(Enskild, record)
        return result

    def enskild(self, person_id: str, per: date | None = None) -> Enskild | None:
        """En enskild som i `enskilda`, men bara hens händelser läses."""
        record = fold_record(_as_of(self.events(Entitet.ENSKILD, person_id), per))
        return from_record(Enskild, record) if record is not None else None

    def uppdragstagare(self, per: date | None = None) -> list[Uppdragstagare]:
        return self._resources(Entitet.UPPDRAGSTAGARE, Uppdragstagare, per)

    def personal(self, per: date | None = None) -> list[Personal]:
        return self._resources(Entitet.PERSONAL, Personal, per)

    def enheter(self, per: date | None = None) -> list[Enhet]:
        return self._resources(Entitet.ENHET, Enhet, per)

    def omraden(self, per: date | None = None) -> list[Samplaneringsomrade]:
        return self._resources(Entitet.OMRADE, Samplaneringsomrade, per)

    def resource_record(self, entitet: Entitet, nyckel: str, per: date | None = None) -> dict[str, Any] | None:
        return fold_record(e for e in self.events(entitet, nyckel) if per is None or e.datum <= per)

    def first_source(self) -> str | None:
        """Källan till registrets första händelse ("demo:…" i ett demoregister), None om tomt."""
        with self.engine.connect() as conn:
            return conn.execute(select(handelse.c.kalla).order_by(handelse.c.id).limit(1)).scalar()

    def keys(self, entitet: Entitet) -> list[str]:
        """Alla id:n som finns för slaget av post, oavsett vem som frågar: det ett förslag på nytt
        id räknas från, så att förslaget aldrig är en post som användaren inte ser."""
        with self.engine.connect() as conn:
            if self.dialect == "postgresql":  # radsäkerheten döljer andras poster; funktionen ser alla
                return list(conn.execute(text("SELECT bemanning_nycklar(:entitet)"),
                                         {"entitet": entitet.value}).scalars())
            return list(conn.execute(
                select(handelse.c.nyckel).where(handelse.c.entitet == entitet.value)
                .distinct().order_by(handelse.c.nyckel)
            ).scalars())

    def beslut_ids(self) -> list[str]:
        """Besluten som har händelser (som inloggningen ser), ur indexet utan att läsa händelserna."""
        with self.engine.connect() as conn:
            return sorted(conn.execute(select(handelse.c.nyckel).where(
                handelse.c.entitet == Entitet.BESLUT.value).distinct()).scalars())

    def stored_rows(self, entitet: Entitet) -> dict[str, list[Any]]:
        """Postens händelser som rader (id, typ, datum, data som text, kalla, registrerad) i
        registreringsordning, utan att tolka datat: för att jämföra många poster med det som redan
        finns (en import av samma filer igen). `as_event` gör en rad till en händelse."""
        grouped: dict[str, list[Any]] = defaultdict(list)
        query = (select(handelse.c.nyckel, handelse.c.id, handelse.c.typ, handelse.c.datum, handelse.c.data,
                        handelse.c.kalla, handelse.c.registrerad, handelse.c.entitet)
                 .where(handelse.c.entitet == entitet.value).order_by(handelse.c.id))
        with self.engine.connect() as conn:
            for row in conn.execute(query):
                grouped[row.nyckel].append(row)
        return grouped

    def beslut_lagen(self, per: date, ids: Iterable[str] | None = None) -> list[BeslutLage]:
        """Varje beslut som fanns `per` en dag, som det stod den dagen (senare händelser räknas inte).

        Med `ids` bara de besluten (ett urval som projektionerna har gjort i databasen): då läses
        bara deras händelser, och frågan kostar så mycket som svaret.
        """
        if ids is not None:
            return self._beslut_lagen_for(per, list(ids))
        key = ("lagen", per)
        last = self.last_event_id()
        cached = self._cache.get(key, last)
        if cached is not None:
            return list(cached)
        result = _fold_all(self._grouped(Entitet.BESLUT, per).values(), self.enskilda(per), per)
        self._cache.put(key, last, tuple(result))
        return result

    def _beslut_lagen_for(self, per: date, ids: list[str]) -> list[BeslutLage]:
        with self.engine.connect() as conn:
            groups = projection.events_by_key(conn, Entitet.BESLUT, sorted(set(ids)), until=per)
            people = sorted({str(items[0].data.get("person_id")) for items in groups.values()
                             if items and items[0].typ is HandelseTyp.REGISTRERAD and items[0].data.get("person_id")})
            people_events = projection.events_by_key(conn, Entitet.ENSKILD, people)
        enskilda = {}
        for person, items in people_events.items():
            record = fold_record(_as_of(items, per))
            if record is not None:
                enskilda[person] = from_record(Enskild, record)
        return _fold_all(groups.values(), enskilda, per)

    def beslut_lagen_satsvis(self, per: date, ids: Iterable[str], size: int | None = None) -> Iterator[list[BeslutLage]]:
        """`beslut_lagen(per, ids=ids)` i satser om högst `size` beslut, så att den som läser kan
        släppa en sats innan nästa läses (en kvartalsrapport med tiotusentals beslut).

        Ett beslut med en enkel historik (registreringen och sedan bara erbjudanden, verkställt och
        avslutat: det en import skriver) byggs direkt ur raderna och den enskildes rad i
        projektionen, utan att tolka händelserna en och en (`_light_lage`); andra viks ihop som
        förut. Lägena har samma fält som rapporterna läser (inte historiken, och i en enkel historik inte
        beslutets önskemål och timmar: för matchningen, använd `beslut_lagen`); ett och samma beslut
        står aldrig i två satser. Ordningen: beslut-id inom satsen, satserna efter varandra."""
        keys = sorted(set(ids))
        size = size or LAGEN_SATS
        with self.engine.connect() as conn:
            for start in range(0, len(keys), size):
                yield self._lagen_sats(conn, per, keys[start:start + size])

    def _lagen_sats(self, conn: Connection, per: date, keys: Sequence[str]) -> list[BeslutLage]:
        from bemanning.store.schema import enskild_lage

        groups: dict[str, list[Any]] = defaultdict(list)
        # bara det läget läses ur (inte källan eller registreringstiden: ett beslut som viks ihop läses om)
        columns = (handelse.c.nyckel, handelse.c.typ, handelse.c.datum, handelse.c.data)
        for chunk in projection._chunks(keys):
            query = (select(*columns).where(handelse.c.entitet == Entitet.BESLUT.value, handelse.c.nyckel.in_(chunk))
                     .order_by(handelse.c.nyckel, handelse.c.id))
            for row in conn.execute(query):
                if row.datum <= per:
                    groups[row.nyckel].append(row)
        simple: dict[str, tuple[dict[str, Any], list[Any]]] = {}
        complex_keys: list[str] = []
        for key, rows in groups.items():
            if rows[0].typ == _REGISTRERAD and all(r.typ in _SIMPLE_TYPES for r in rows[1:]):
                data = json.loads(rows[0].data)
                if type(data) is dict and projection._registered(data) is not None:
                    simple[key] = (data, rows)
                    continue
            complex_keys.append(key)
        people = sorted({data["person_id"] for data, _rows in simple.values()})
        persons: dict[str, Any] = {}
        for chunk in projection._chunks(people):
            persons.update((r.person_id, r) for r in conn.execute(
                select(enskild_lage.c.person_id, enskild_lage.c.kon, enskild_lage.c.fodelsear).where(
                    enskild_lage.c.person_id.in_(chunk), enskild_lage.c.giltig_fran <= per,
                    enskild_lage.c.giltig_till > per)))
        result = []
        for key, (data, rows) in simple.items():
            lage = _light_lage(data, rows, persons.get(data["person_id"]), per)
            if lage is None:
                complex_keys.append(key)
            else:
                result.append(lage)
        if complex_keys:
            result += self._beslut_lagen_for(per, complex_keys)
        return result

    def overview(self, per: date, enheter: tuple[str, ...] | None = None) -> dict[str, Any]:
        """Översiktens siffror dag `per`, räknade i databasen: antal beslut och väntande förslag
        per (status, väntans start, insats), och det öppna beslut som väntat längst."""
        with self.engine.connect() as conn:
            groups = [(r.status, r.vantar_sedan, r.insats, int(r.antal), int(r.forslag))
                      for r in conn.execute(projection.overview_query(per, enheter))]
            starts = [start for status, start, *_ in groups
                      if start is not None and status in projection.STATUS_FILTER["ej-verkstallda"]]
            oldest = conn.execute(projection.oldest_query(per, min(starts), enheter)).first() if starts else None
        return {"grupper": groups, "aldsta": oldest}

    def beslut_list_count(self, urval: projection.BeslutUrval) -> int:
        """Antal beslut i listans urval, räknat i databasen."""
        with self.engine.connect() as conn:
            return int(conn.execute(projection.list_count_query(urval)).scalar_one())

    def beslut_list_page(self, urval: projection.BeslutUrval, limit: int, *,
                         after: tuple | None = None, before: tuple | None = None) -> list[Any]:
        """En sida av listan (högst `limit` rader) efter raden `after` eller före raden `before`
        (deras `sortvarde` och `beslut_id`); utan dem den första sidan."""
        query, reverse = projection.list_page_query(urval, limit, after=after, before=before)
        with self.engine.connect() as conn:
            rows = list(conn.execute(query))
            if rows and not projection.needs_person(urval):
                people = {r.person_id: r for r in conn.execute(projection.person_rows_query(
                    urval.per, sorted({r.person_id for r in rows if r.person_id})))}
                rows = [_ListRad(r, people.get(r.person_id)) for r in rows]
        return rows[::-1] if reverse else rows

    def beslut_list_row(self, per: date, beslut_id: str) -> Any | None:
        """Listans rad för ett beslut dag `per` (vilken status det än har)."""
        urval = projection.BeslutUrval(per=per, status="alla")
        query = projection.list_query(urval, projection.list_columns()).where(
            projection.beslut_lage.c.beslut_id == beslut_id)
        with self.engine.connect() as conn:
            return conn.execute(query).first()

    def beslut_list_key(self, urval: projection.BeslutUrval, beslut_id: str) -> tuple | None:
        """Beslutets plats i listans ordning (sortvärde, id), eller None om urvalet döljer det."""
        query = projection.list_key_query(urval, beslut_id)
        with self.engine.connect() as conn:
            row = conn.execute(query).first()
        return (row.sortvarde, row.beslut_id) if row is not None else None

    def beslut_list_position(self, urval: projection.BeslutUrval, key: tuple) -> int:
        """Hur många rader i urvalet som kommer före raden `key`."""
        with self.engine.connect() as conn:
            return int(conn.execute(projection.list_position_query(urval, key)).scalar_one())

    def beslut_list_choices(self, per: date, enheter: tuple[str, ...] | None) -> tuple[list[str], list[str]]:
        """Insatserna och enheterna som finns dag `per` (listans filterval)."""
        insatser, units, areas = projection.distinct_values(per, enheter)
        with self.engine.connect() as conn:
            return (sorted(v for v in conn.execute(insatser).scalars() if v),
                    sorted({v for q in (units, areas) for v in conn.execute(q).scalars() if v}))

    def beslut_with_event(self, typ: HandelseTyp) -> set[str]:
        """Besluten som har någon händelse av slaget `typ` (t.ex. en begärd senareläggning)."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(handelse.c.nyckel).where(
                handelse.c.entitet == Entitet.BESLUT.value, handelse.c.typ == typ.value).distinct()).scalars())

    def beslut_waiting_during(self, first: date, last: date) -> list[str]:
        """Beslut som väntade någon gång från `first` till `last` (ett överurval ur projektionen)."""
        with self.engine.connect() as conn:
            return list(conn.execute(projection.waiting_during_query(first, last)).scalars())

    def arende_grunder(self, per: date, prefixes: Sequence[str] | None = None) -> list[Any]:
        """(beslutsdatum, beslut_id, person_id, kön) för varje beslut dag `per` vars enskilde finns;
        med `prefixes` bara de vars person-id börjar med något av dem."""
        with self.engine.connect() as conn:
            return conn.execute(projection.arende_query(per, prefixes)).all()

    def kvartal_kandidater(self, first: date, last: date, started_on_or_before: date) -> tuple[list[str], set[str]]:
        """Besluten som kan stå i kvartalets individrapport (`projection.kvartal_kandidater_query`,
        ett överurval) och deras enskildas person-id dag `last`."""
        query = projection.kvartal_kandidater_query(first, last, started_on_or_before)
        with self.engine.connect() as conn:
            ids = list(conn.execute(query).scalars())
            people = set(conn.execute(projection.kvartal_personer_query(query.subquery().select(), last)).scalars())
        return ids, people

    def kvartal_vantande(self, first: date, last: date, started_on_or_before: date) -> tuple[list[str], list[Any]]:
        """KF:s uppgifter för kvartalet i databasen: besluten som måste vikas ihop (de vars väntan
        kan ha slutat under kvartalet, och de med rättelser eller avbrott) och övriga väntande vid
        `last` i grupper (`projection.kvartal_vantande_query`)."""
        folded = union(projection.kvartal_slutade_query(first, last, started_on_or_before),
                       projection.kvartal_flyttade_query(last))
        with self.engine.connect() as conn:
            ids = list(conn.execute(folded).scalars())
            groups = conn.execute(projection.kvartal_vantande_query(
                last, started_on_or_before, folded.subquery().select())).all()
        return ids, groups

    def ids_in_register(self, per: date) -> set[str]:
        """Varje beslut-, person- och kandidat-id som registret nämner till och med dag `per`: de
        id som aldrig får stå i en motivering (som `forbjudna_ord` över alla beslut)."""
        import json

        with self.engine.connect() as conn:
            rows = conn.execute(select(beslut_lage.c.beslut_id, beslut_lage.c.person_id)
                                .where(beslut_lage.c.giltig_fran <= per).distinct()).all()
            data = conn.execute(select(handelse.c.data).where(
                handelse.c.entitet == Entitet.BESLUT.value, handelse.c.datum <= per,
                handelse.c.typ.in_([HandelseTyp.ERBJUDANDE.value, HandelseTyp.FORSLAG.value]))).scalars()
            result = {value for row in rows for value in row if value}
            result.update(k for k in (json.loads(d).get("kandidat") for d in data) if k)
        return result

    def beslut_with_accepted_offer(self, per: date) -> list[str]:
        """Beslut med ett erbjudande som kan ha accepterats till och med dag `per` (ett överurval:
        händelser vars data nämner "accepterat"; hopvikningen avgör sedan). För uppdragen i
        personalens schema, utan att vika ihop varje beslut."""
        with self.engine.connect() as conn:
            return list(conn.execute(select(handelse.c.nyckel).where(
                handelse.c.entitet == Entitet.BESLUT.value, handelse.c.typ == HandelseTyp.ERBJUDANDE.value,
                handelse.c.datum <= per, handelse.c.data.contains("accepterat")).distinct()).scalars())

    def waiting_rows(self, per: date, started_on_or_before: date) -> list[Any]:
        """Uppgifterna till statistikrapportens tabell 3 (id, insats, beslutsdatum, väntans start,
        avbrott, orsakskod, kön) för beslut som väntar dag `per` sedan senast `started_on_or_before`."""
        with self.engine.connect() as conn:
            return conn.execute(projection.statistik_query(per, started_on_or_before)).all()

    def waiting_groups(self, per: date, started_on_or_before: date) -> list[Any]:
        """Statistikrapportens tabell 3 i grupper: (väntans start, insats, kön, orsakskod, avbrott,
        antal) för beslut som väntar dag `per` sedan senast `started_on_or_before`, i ingen bestämd
        ordning (se `projection.statistik_grupper_query`)."""
        with self.engine.connect() as conn:
            return conn.execute(projection.statistik_grupper_query(per, started_on_or_before)).all()

    def waiting_beslut_ids(self, per: date, started_on_or_before: date) -> list[str]:
        """Beslut som väntar dag `per` med en väntetid som började senast `started_on_or_before`
        (tremånadersregelns urval), ur projektionen."""
        with self.engine.connect() as conn:
            return projection.waiting_ids(conn, per, started_on_or_before)

    def count_beslut(self, per: date, *, status: str = "alla", insats: str = "",
                     fran: date | None = None, till: date | None = None) -> dict[str, int]:
        """Antal beslut per insats som de stod dag `per`, räknat i databasen.

        `status`: "ej-verkstallda" (väntar: ej verkställt eller avbrutet), "verkstallda",
        "avslutade" eller "alla"; `insats` är en del av insatsens namn (utan hänsyn till versaler).
        """
        query = projection.count_query(per, status=status, insats=insats, fran=fran, till=till)
        with self.engine.connect() as conn:
            return {row.insats: int(row.antal) for row in conn.execute(query)}

    def beslut_rows(self, per: date, *, status: str = "alla", insats: str = "",
                    fran: date | None = None, till: date | None = None) -> list[Any]:
        """Besluten dag `per` med samma urval som `count_beslut`, äldst först, som rader ur
        projektionen: beslut_id, insats, beslutsdatum, kon, status och vantar_sedan (väntans start
        om beslutet väntar)."""
        query = projection.rows_query(per, status=status, insats=insats, fran=fran, till=till)
        with self.engine.connect() as conn:
            return conn.execute(query).all()

    def matching_beslut_ids(self, per: date, insatser: Iterable[str]) -> list[str]:
        """Besluten matchningen behöver dag `per` (väntande och pågående uppdrag med person)."""
        with self.engine.connect() as conn:
            return list(conn.execute(projection.matching_ids_query(per, list(insatser))).scalars())

    def rebuild_projections(self, progress: Callable[[str], None] | None = None) -> int:
        """`bemanning db bygg-om`: bygg om projektionerna ur händelserna, i en transaktion."""
        with self.transaction() as conn:
            count = projection.rebuild(conn, progress)
        self._cache = _ReadCache()
        return count

    def projection_differences(self, progress: Callable[[str], None] | None = None) -> dict[str, list[str]]:
        """`bemanning db kontrollera`: beslut och enskilda vars översikt inte stämmer med händelserna."""
        with self.engine.connect() as conn:
            found = projection.differing_keys(conn, progress)
        return {entitet.value: keys for entitet, keys in found.items()}

    def beslut_lage(self, beslut_id: str, per: date) -> BeslutLage | None:
        items = [e for e in self.events(Entitet.BESLUT, beslut_id) if e.datum <= per]
        if not items:
            return None
        record = fold_record(items) or {}
        person_id = record.get("person_id")
        enskild = None
        if person_id:
            enskild_record = fold_record(_as_of(self.events(Entitet.ENSKILD, person_id), per))
            enskild = from_record(Enskild, enskild_record) if enskild_record else None
        return fold_beslut(items, enskild, per)

    def counts(self) -> dict[str, int]:
        """Antal poster per slag (för översikt och `bemanning db info`)."""
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(handelse.c.entitet, func.count(func.distinct(handelse.c.nyckel))).group_by(
                    handelse.c.entitet
                )
            ).all()
        return {entitet: count for entitet, count in rows}


def _scrub(text: str) -> str:
    """Fri text till loggningen utan något som ser ut som ett personnummer."""
    import re

    return re.sub(r"(?<!\d)(\d{2})?\d{6}[-+]?\d{4}(?!\d)", "[personnummer]", text)


def record_of(obj: Any) -> dict[str, Any]:
    """Modellobjekt som post (JSON-säker) för en registrerad-händelse."""
    return to_record(obj)


__all__: Sequence[str] = ["Register", "open_register", "record_of", "to_url", "write_transaction"]
