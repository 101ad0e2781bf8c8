"""The local data store: one SQLite file under ``XL_TDR_HOME`` holding what refreshes brought.

The bundled snapshot is never copied into it: readers lay the store's months over the bundled
ones (:mod:`xl_tdr.data.view`), so a new data folder needs no file at all until the first
refresh, which creates it. A refresh writes whole months (every partner of a month it changes)
in one transaction; readers see whole refreshes or none (WAL mode), and each read of several
tables happens in one read transaction, at one ``version``. A stamp file next to the database
changes after every committed write, so a reader notices a refresh with one ``stat`` call.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from .. import config
from ..errors import RefreshBusy, StoreError
from ..periods import FIRST_YEAR, LAST_YEAR
from ..reference.chapter_facts import CHAPTERS
from ..reference.partner_facts import WORLD
from .records import MAX_DOLLARS, flaw

SCHEMA_VERSION = 3
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE vintages (id INTEGER PRIMARY KEY, source TEXT NOT NULL, retrieved TEXT NOT NULL,
                       url TEXT, note TEXT, loaded TEXT NOT NULL, key TEXT, kind TEXT, derived INTEGER);
CREATE TABLE names (code TEXT PRIMARY KEY, census_name TEXT NOT NULL);
CREATE TABLE obs (code TEXT NOT NULL, flow TEXT NOT NULL CHECK (flow IN ('X', 'M')),
                  year INTEGER NOT NULL, month INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
                  value INTEGER NOT NULL, vintage INTEGER NOT NULL,
                  PRIMARY KEY (code, flow, year, month)) WITHOUT ROWID;
CREATE TABLE obs_history (code TEXT NOT NULL, flow TEXT NOT NULL, year INTEGER NOT NULL,
                          month INTEGER NOT NULL, value INTEGER NOT NULL,
                          vintage INTEGER NOT NULL, replaced_by INTEGER NOT NULL);
""" + """
CREATE TABLE sector_obs (code TEXT NOT NULL, chapter TEXT NOT NULL, flow TEXT NOT NULL CHECK (flow IN ('X', 'M')),
                         year INTEGER NOT NULL, month INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
                         value INTEGER NOT NULL, vintage INTEGER NOT NULL,
                         PRIMARY KEY (code, chapter, flow, year, month)) WITHOUT ROWID;
CREATE TABLE sector_history (code TEXT NOT NULL, chapter TEXT NOT NULL, flow TEXT NOT NULL,
                             year INTEGER NOT NULL, month INTEGER NOT NULL, value INTEGER NOT NULL,
                             vintage INTEGER NOT NULL, replaced_by INTEGER NOT NULL);
"""
SECTOR_TABLES = SCHEMA[SCHEMA.index("CREATE TABLE sector_obs"):]  # what schema 1 lacks
VINTAGE_COLUMNS = ("key", "kind", "derived")  # what schema 2 lacks
GENERATION = 0  # committed writes by this process, to any store
#: What records.flaw checks, as SQL (run in SQLite: a store of 300,000 values is checked in
#: milliseconds; a row it finds is named by ``flaw``).
_VALID = (f"(code = '-' OR (length(code) = 4 AND (code GLOB '[0-9][0-9][0-9][0-9]' OR code GLOB '[0-9]XXX'))) "
          f"AND flow IN ('X', 'M') AND typeof(year) = 'integer' AND year BETWEEN {FIRST_YEAR} AND {LAST_YEAR} "
          "AND typeof(month) = 'integer' AND month BETWEEN 0 AND 12 "
          f"AND typeof(value) = 'integer' AND value BETWEEN 0 AND {MAX_DOLLARS}")
_VALID_SECTOR = _VALID + f" AND chapter IN ({', '.join(repr(c) for c in sorted(CHAPTERS))})"
Month = tuple[str, int, int]  # flow, year, month (0: the annual total)


@dataclass
class Batch:
    """One refresh's write: whole months of totals and of trade by chapter, replaced values kept in
    the history, vintages, Census names and meta entries."""

    total_months: set[Month] = field(default_factory=set)
    totals: list[tuple] = field(default_factory=list)  # (code, flow, year, month, value, vintage)
    sector_months: set[Month] = field(default_factory=set)
    sectors: list[tuple] = field(default_factory=list)  # (code, chapter, flow, year, month, value, vintage)
    history: list[tuple] = field(default_factory=list)  # totals row with the old value + replaced_by
    sector_history: list[tuple] = field(default_factory=list)
    vintages: list[dict] = field(default_factory=list)
    names: dict[str, str] = field(default_factory=dict)
    meta: dict[str, str] = field(default_factory=dict)


class Reader:
    """Reads of one read transaction: everything it returns belongs to one ``version``."""

    def __init__(self, db: sqlite3.Connection | None, store: "Store"):
        self.db, self.store = db, store
        self.version = int(self._meta("version") or 0) if db else 0
        self.schema = _schema(db) if db else SCHEMA_VERSION

    @property
    def exists(self) -> bool:
        return self.db is not None

    def observations(self) -> list[tuple]:
        """Every stored total as (code, flow, year, month, value, vintage)."""
        return self._checked("SELECT code, flow, year, month, value, vintage FROM obs", (), False)

    def sector_rows(self, code: str) -> list[tuple]:
        """A partner's stored values by chapter as (chapter, flow, year, month, value, vintage)."""
        rows = self._checked("SELECT code, chapter, flow, year, month, value, vintage FROM sector_obs "
                             "WHERE code = ?", (code,), True)
        return [row[1:] for row in rows]

    def sector_year(self, year: int, later: bool = False) -> list[tuple]:
        """Every stored value by chapter of ``year`` (and, with ``later``, of the years after it) as
        (code, chapter, flow, year, month, value, vintage)."""
        return self._checked("SELECT code, chapter, flow, year, month, value, vintage FROM sector_obs "
                             f"WHERE year {'>=' if later else '='} ?", (year,), True)

    def sector_vintage_years(self) -> set[tuple[int, int]]:
        """(vintage, year) of the stored values by chapter; a flawed row is named, as every read does."""
        self._checked("SELECT code, chapter, flow, year, month, value, vintage FROM sector_obs "
                      f"WHERE NOT ({_VALID_SECTOR}) LIMIT 1", (), True)
        return set(self._query("SELECT DISTINCT vintage, year FROM sector_obs", (), True))

    def sector_months(self) -> set[Month]:
        """The (flow, year, month) the store holds trade by chapter for (the World's rows say)."""
        rows = self._query("SELECT DISTINCT flow, year, month FROM sector_obs WHERE code = ?", (WORLD,), True)
        for flow, year, month in rows:
            problem = flaw(WORLD, flow, year, month, 0)
            if problem:
                raise self.store.damaged(f"a stored value has {problem}")
        return set(rows)

    def vintages(self) -> list[dict]:
        """Provenance of every vintage in the store (what each supplies is the view's to say)."""
        columns = [row[1] for row in self._query("PRAGMA table_info(vintages)", ())]
        rows = self._query("SELECT * FROM vintages ORDER BY id", ())
        return [_vintage(dict(zip(columns, row))) for row in rows]

    def names(self) -> dict[str, str]:
        """Census names of the codes refreshes brought."""
        return dict(self._query("SELECT code, census_name FROM names", ()))

    def meta_json(self, key: str) -> dict:
        """A JSON object of the meta table (``{}`` when absent); a malformed one is damage."""
        raw = self._meta(key)
        try:
            found = json.loads(raw) if raw else {}
        except ValueError:
            found = None
        if not isinstance(found, dict):
            raise self.store.damaged(f"the entry {key!r} is not a JSON object")
        return found

    def history(self, code: str, year: int, sector: bool = False) -> list[dict]:
        """Replaced values of a partner and year, with the vintage that replaced them, oldest first."""
        table, chapter = ("sector_history", "chapter, ") if sector else ("obs_history", "")
        rows = self._query(f"SELECT {chapter}flow, month, value, vintage, replaced_by FROM {table} "
                           "WHERE code = ? AND year = ? ORDER BY replaced_by, month, flow", (code, year), sector)
        keys = (["chapter"] if sector else []) + ["flow", "month", "old", "old_vintage", "replaced_by"]
        return [dict(zip(keys, row)) for row in rows]

    def _meta(self, key: str) -> str | None:
        row = self._query("SELECT value FROM meta WHERE key = ?", (key,))
        return row[0][0] if row else None

    def _query(self, sql: str, args: tuple, sector: bool = False) -> list[tuple]:
        if self.db is None or (sector and self.schema < 2):
            return []
        try:
            return self.db.execute(sql, args).fetchall()
        except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
            raise self.store.problem(exc) from None

    def _checked(self, sql: str, args: tuple, sector: bool) -> list[tuple]:
        """The rows of ``sql``, each one a possible record: the check runs in SQLite, and the first
        row that fails it (if any) is named."""
        rows = self._query(sql, args, sector)
        if rows and self._query(f"SELECT 1 FROM ({sql}) WHERE NOT ({_VALID_SECTOR if sector else _VALID}) LIMIT 1",
                                args, sector):
            for row in rows:
                problem = flaw(row[0], *row[-5:-1], chapter=row[1], sector=True) if sector else flaw(*row[:5])
                if problem:
                    raise self.store.damaged(f"a stored value has {problem}")
        return rows


class Store:
    """A handle on the SQLite file; cheap to create, opens connections per operation. With
    ``memory`` (runtimes without a data folder, such as Excel's Python in the browser) there is no
    file: readers see the bundled data alone, and a refresh is refused."""

    def __init__(self, path: Path | None = None, memory: bool | None = None):
        self.memory = config.memory_store() if memory is None and path is None else bool(memory)
        self.path = Path(path) if path else config.store_path()
        self.stamp_path = self.path.with_suffix(".stamp")

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """One read transaction over the store (a store never created reads as empty). Opens the
        file read-only — in a read-only folder as an immutable file, which every write leaves
        whole — and never creates it."""
        if self.memory or not self._present():
            yield Reader(None, self)
            return
        with closing(self._reader()) as db:
            try:
                db.execute("BEGIN")
                reader = Reader(db, self)
            except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
                raise self.problem(exc) from None
            if reader.schema > SCHEMA_VERSION:
                raise StoreError(f"the data store {self.path} has schema {reader.schema}; this xl_tdr reads "
                                 f"schema {SCHEMA_VERSION} and older — update xl_tdr, or move the store aside")
            yield reader

    def exists(self) -> bool:
        """True once a refresh has created the file (never for a memory store)."""
        return not self.memory and self._present()

    def _present(self) -> bool:
        if self.path.is_symlink() and not self.path.exists():
            raise StoreError(f"the data store {self.path} is a link to {os.readlink(self.path)}, which does not "
                             "exist (a drive that is not connected?); connect it, or remove the link to start "
                             "again from the bundled data")
        if self.path.exists() and not self.path.is_file():
            raise StoreError(f"the data store {self.path} is not a file; move it aside")
        return self.path.exists()

    def _reader(self) -> sqlite3.Connection:
        """A read-only connection; an immutable one where the folder cannot hold WAL's -shm file."""
        connection = self._open("ro")
        try:
            connection.execute("SELECT 1 FROM sqlite_master LIMIT 1").fetchall()
        except sqlite3.OperationalError as exc:
            if _cannot_open(exc):
                connection.close()
                return self._open("ro", immutable=True)
        except sqlite3.DatabaseError:
            pass  # a damaged file: the schema query says so in one sentence
        return connection

    def _open(self, mode: str, immutable: bool = False) -> sqlite3.Connection:
        uri = f"{self.path.resolve().as_uri()}?mode={mode}" + ("&immutable=1" if immutable else "")
        try:
            return sqlite3.connect(uri, uri=True, timeout=30, isolation_level=None)
        except sqlite3.Error as exc:
            raise self.problem(exc) from None

    def damaged(self, why: str) -> StoreError:
        return StoreError(f"the data store {self.path} is damaged ({why}); move it aside and xl-tdr answers from "
                          f"the bundled data again (the next refresh writes a new store)")

    def problem(self, exc: Exception) -> StoreError:
        """One sentence for what went wrong with the file: damaged, read-only, busy, or else."""
        text = str(exc)
        if isinstance(exc, (ValueError, TypeError)) or any(
                sign in text for sign in ("not a database", "malformed", "no such table", "no such column",
                                          "file is encrypted", "unsupported file format")):
            return self.damaged(text)
        if "readonly" in text or "read-only" in text:
            return StoreError(f"the data store {self.path} cannot be changed: its folder is read-only")
        if "locked" in text or "busy" in text:
            return StoreError(f"the data store {self.path} is busy; try again in a moment")
        return StoreError(f"the data store {self.path} cannot be read ({text})")

    def change_token(self) -> int:
        """Changes whenever a write commits (the stamp file's mtime)."""
        try:
            return os.stat(self.stamp_path).st_mtime_ns
        except OSError:
            return 0

    @contextmanager
    def refresh_lock(self, wait: float = 0.0, on_wait=None) -> Iterator[None]:
        """Hold the store's refresh lock; waits up to ``wait`` seconds, else raises RefreshBusy."""
        from filelock import FileLock, Timeout

        self._refuse_memory()
        path = self.path.with_suffix(".lock")
        lock = FileLock(path)
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            try:
                lock.acquire(timeout=0)
            except Timeout:
                if wait <= 0:
                    raise
                if on_wait:
                    on_wait()
                lock.acquire(timeout=wait, poll_interval=0.2)
        except Timeout:
            raise RefreshBusy("another refresh of the data store is running; try again when it has finished") from None
        except OSError as exc:
            raise StoreError(f"cannot take the refresh lock {path}: {exc.strerror or exc}") from None
        try:
            yield
        finally:
            lock.release()

    def write(self, batch: Batch) -> None:
        """Replace the batch's months and add its history, vintages, names and meta, in one
        transaction (creating the store on its first write); a failure changes nothing."""
        self._refuse_memory()
        if not self._present():
            self._create()
        with closing(self._open("rw")) as db:
            try:
                _upgrade(db)
                with db_transaction(db):
                    _write(db, batch)
                db.execute("PRAGMA wal_checkpoint(PASSIVE)")  # keep the main file whole (read-only readers)
            except sqlite3.Error as exc:
                raise StoreError(f"the data store was left unchanged: the write failed ({exc})") from None
        self._touch()

    def _refuse_memory(self) -> None:
        if self.memory:
            raise StoreError("this Python has no data folder (Excel's Python in the browser): it reads the "
                             "bundled data only; refresh in the desktop xl-tdr")

    def _create(self) -> None:
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(partial)) as db:
                db.executescript(SCHEMA)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                db.commit()
                db.execute("PRAGMA journal_mode = WAL")
            os.replace(partial, self.path)  # atomic: a concurrent first write sees all or nothing
        except (OSError, sqlite3.Error) as exc:
            with suppress(OSError):
                partial.unlink()
            if isinstance(exc, OSError) and exc.errno in (13, 30):
                raise StoreError(f"the data store {self.path} cannot be created: its folder is read-only") from None
            raise StoreError(f"cannot create the data store {self.path}: {exc}") from None

    def _touch(self) -> None:
        global GENERATION
        GENERATION += 1  # services in this process notice at once; others see the stamp
        self.stamp_path.touch()
        os.utime(self.stamp_path, ns=(time.time_ns(), time.time_ns()))


@contextmanager
def db_transaction(db: sqlite3.Connection) -> Iterator[None]:
    """BEGIN IMMEDIATE … COMMIT, or ROLLBACK on any error."""
    db.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        db.execute("ROLLBACK")
        raise
    db.execute("COMMIT")


def _write(db: sqlite3.Connection, batch: Batch) -> None:
    loaded = time.strftime("%Y-%m-%dT%H:%M:%S")
    db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", batch.meta.items())
    db.executemany("INSERT INTO vintages (id, source, retrieved, url, note, loaded, key, kind, derived) "
                   "VALUES (:id, :source, :retrieved, :url, :note, :loaded, :key, :kind, :derived)",
                   [{"key": None, "kind": None, "derived": 0, **v, "loaded": loaded} for v in batch.vintages])
    db.executemany("INSERT OR REPLACE INTO names VALUES (?, ?)", batch.names.items())
    db.executemany("DELETE FROM obs WHERE flow = ? AND year = ? AND month = ?", sorted(batch.total_months))
    db.executemany("INSERT INTO obs VALUES (?, ?, ?, ?, ?, ?)", batch.totals)
    db.executemany("INSERT INTO obs_history VALUES (?, ?, ?, ?, ?, ?, ?)", batch.history)
    db.executemany("DELETE FROM sector_obs WHERE flow = ? AND year = ? AND month = ?", sorted(batch.sector_months))
    db.executemany("INSERT INTO sector_obs VALUES (?, ?, ?, ?, ?, ?, ?)", batch.sectors)
    db.executemany("INSERT INTO sector_history VALUES (?, ?, ?, ?, ?, ?, ?, ?)", batch.sector_history)
    db.execute("INSERT OR REPLACE INTO meta VALUES ('version', "
               "coalesce((SELECT value + 1 FROM meta WHERE key = 'version'), 1))")


def _upgrade(db: sqlite3.Connection) -> None:
    """Bring an older store up to this schema in place (schema 1 lacks the sector tables, schema 2
    the vintages' kind)."""
    version = _schema(db)
    if version >= SCHEMA_VERSION:
        return
    with db_transaction(db):
        if version < 2:
            for statement in SECTOR_TABLES.split(";"):
                if statement.strip():
                    db.execute(statement.replace("CREATE TABLE", "CREATE TABLE IF NOT EXISTS"))
        have = {row[1] for row in db.execute("PRAGMA table_info(vintages)")}
        for column in VINTAGE_COLUMNS:
            if column not in have:
                db.execute(f"ALTER TABLE vintages ADD COLUMN {column} {'INTEGER' if column == 'derived' else 'TEXT'}")
        db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))


def _vintage(row: dict) -> dict:
    """A vintage as every face reads it; a store written before vintages said their kind is read
    by its words (the only place that reads them)."""
    text = f"{row.get('source')} {row.get('note') or ''}"
    kind = row.get("kind") or ("sectors" if "chapter" in text or "HS2" in text else "totals")
    key = row.get("key") or ("census_bulk" if "bulk" in text else "usitc_dataweb" if "USITC" in text else "census_api")
    derived = bool(row.get("derived")) if row.get("kind") else str(row.get("source")).startswith("computed")
    return {"id": row["id"], "source": row["source"], "key": key, "kind": kind, "derived": derived,
            "retrieved": row["retrieved"], "url": row.get("url"), "note": row.get("note"), "loaded": row.get("loaded")}


def _schema(db: sqlite3.Connection) -> int:
    """The store's schema version (raises for a file that is not a store)."""
    row = db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
    if row is None:
        raise ValueError("it has no schema entry")
    return int(row[0])


def _cannot_open(exc: sqlite3.OperationalError) -> bool:
    """True when a read-only open failed for lack of a writable folder (WAL's -shm file)."""
    text = str(exc)
    return "unable to open" in text or "readonly" in text or "read-only" in text
