"""The local data store: one SQLite file under ``XL_TDR_HOME``, seeded from the snapshot.

Readers see whole refreshes or none (WAL mode, one transaction per write). A stamp file next to
the database changes after every committed write, so an in-memory index can notice a refresh
with one ``stat`` call.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from contextlib import closing, contextmanager, suppress
from pathlib import Path
from typing import Iterable, Iterator

from .. import config
from ..errors import StoreError
from .records import Observation, SectorObservation

SCHEMA_VERSION = 2
SCHEMA = """
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE vintages (id INTEGER PRIMARY KEY, source TEXT NOT NULL, retrieved TEXT NOT NULL,
                       url TEXT, note TEXT, loaded TEXT NOT NULL);
CREATE TABLE names (code TEXT PRIMARY KEY, census_name TEXT NOT NULL);
CREATE TABLE obs (code TEXT NOT NULL, flow TEXT NOT NULL CHECK (flow IN ('X', 'M')),
                  year INTEGER NOT NULL, month INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
                  value INTEGER NOT NULL, vintage INTEGER NOT NULL REFERENCES vintages(id),
                  PRIMARY KEY (code, flow, year, month)) WITHOUT ROWID;
CREATE TABLE obs_history (code TEXT NOT NULL, flow TEXT NOT NULL, year INTEGER NOT NULL,
                          month INTEGER NOT NULL, value INTEGER NOT NULL,
                          vintage INTEGER NOT NULL, replaced_by INTEGER NOT NULL);
""" + """
CREATE TABLE sector_obs (code TEXT NOT NULL, chapter TEXT NOT NULL, flow TEXT NOT NULL CHECK (flow IN ('X', 'M')),
                         year INTEGER NOT NULL, month INTEGER NOT NULL CHECK (month BETWEEN 0 AND 12),
                         value INTEGER NOT NULL, vintage INTEGER NOT NULL REFERENCES vintages(id),
                         PRIMARY KEY (code, chapter, flow, year, month)) WITHOUT ROWID;
CREATE TABLE sector_history (code TEXT NOT NULL, chapter TEXT NOT NULL, flow TEXT NOT NULL,
                             year INTEGER NOT NULL, month INTEGER NOT NULL, value INTEGER NOT NULL,
                             vintage INTEGER NOT NULL, replaced_by INTEGER NOT NULL);
"""
SECTOR_TABLES = SCHEMA[SCHEMA.index("CREATE TABLE sector_obs"):]  # what schema 1 lacks
GENERATION = 0  # committed writes by this process, to any store
SECTORS_SEEDED = "seed:sectors"  # meta key: the bundled sector data are in the store
#: table → (history table, number of columns)
TABLES = {"obs": ("obs_history", 6), "sector_obs": ("sector_history", 7)}


class Store:
    """A handle on the SQLite file; cheap to create, opens connections per operation."""

    def __init__(self, path: Path | None = None):
        self.path = Path(path) if path else config.store_path()
        self.stamp_path = self.path.with_suffix(".stamp")

    def ensure(self) -> "Store":
        """Create and seed the store from the bundled snapshot if it does not exist yet; bring a
        schema-1 store (totals only) up to schema 2 by adding the bundled sector data."""
        if not self.path.exists():
            self._seed()
        elif self._version() == 1:
            self._upgrade()
        return self

    def _version(self) -> int:
        with self.connect(any_version=True) as db:
            return _schema(db)

    @contextmanager
    def connect(self, write: bool = False, any_version: bool = False) -> Iterator[sqlite3.Connection]:
        """A connection to the existing store, closed on exit; never creates a store. Reads open
        it read-only — in a read-only folder (no room for WAL's shared-memory file) as an
        immutable file, which every write leaves whole by checkpointing. A damaged file, a
        missing table or a malformed entry becomes one StoreError sentence."""
        if not self.path.is_file():
            raise StoreError(f"the data store {self.path} is missing (it may have been moved or deleted "
                             f"while xl_tdr ran); run the command again to rebuild it from the bundled data")
        connection = self._open("rw") if write else self._reader()
        with closing(connection):
            try:
                version = _schema(connection)
                if version != SCHEMA_VERSION and not any_version:
                    raise StoreError(f"the data store {self.path} has schema {version}; this xl_tdr "
                                     f"reads schema {SCHEMA_VERSION} — move it aside to rebuild it")
                connection.execute("PRAGMA foreign_keys = ON")
                yield connection
            except (sqlite3.DatabaseError, ValueError, TypeError) as exc:
                raise self.problem(exc) from None

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
            pass  # a damaged file: the schema query in connect() says so in one sentence
        return connection

    def _open(self, mode: str, immutable: bool = False) -> sqlite3.Connection:
        uri = f"{self.path.resolve().as_uri()}?mode={mode}" + ("&immutable=1" if immutable else "")
        try:
            return sqlite3.connect(uri, uri=True, timeout=30)
        except sqlite3.Error as exc:
            raise self.problem(exc) from None

    def problem(self, exc: Exception) -> StoreError:
        """One sentence for what went wrong with the file: damaged, read-only, busy, or else."""
        text = str(exc)
        if isinstance(exc, (ValueError, TypeError)) or any(
                sign in text for sign in ("not a database", "malformed", "no such table", "no such column",
                                          "file is encrypted", "unsupported file format")):
            return StoreError(f"the data store {self.path} is damaged ({text}); move it aside and "
                              f"xl-tdr rebuilds it from the bundled data")
        if "readonly" in text or "read-only" in text:
            return StoreError(f"the data store {self.path} cannot be changed: its folder is read-only")
        if "locked" in text or "busy" in text:
            return StoreError(f"the data store {self.path} is busy; try again in a moment")
        return StoreError(f"the data store {self.path} cannot be read ({text})")

    def observations(self) -> list[tuple[str, str, int, int, int, int]]:
        """Every stored value as (code, flow, year, month, value, vintage)."""
        with self.connect() as db:
            return self._whole(db.execute("SELECT code, flow, year, month, value, vintage FROM obs").fetchall(), 2)

    def sector_rows(self, code: str) -> list[tuple[str, str, int, int, int]]:
        """A partner's values by HS chapter as (chapter, flow, year, month, value)."""
        with self.connect() as db:
            return self._whole(db.execute("SELECT chapter, flow, year, month, value FROM sector_obs WHERE code = ?",
                                          (code,)).fetchall(), 2)

    def _whole(self, rows: list[tuple], first: int) -> list[tuple]:
        """``rows`` if year, month and value (from column ``first`` on) are whole numbers."""
        for row in rows:
            year, month, value = row[first:first + 3]
            if year.__class__ is not int or month.__class__ is not int or value.__class__ is not int:
                raise self.problem(ValueError(f"a stored value is not a whole number: {row}"))
        return rows

    def sector_year_sums(self, year: int) -> list[tuple[str, str, str, int, int]]:
        """(code, chapter, flow, sum of the months, annual total) of every partner in ``year``."""
        with self.connect() as db:
            return db.execute("SELECT code, chapter, flow, sum(CASE WHEN month > 0 THEN value ELSE 0 END), "
                              "sum(CASE WHEN month = 0 THEN value ELSE 0 END) FROM sector_obs WHERE year = ? "
                              "GROUP BY code, chapter, flow", (year,)).fetchall()

    def sector_values(self, first_year: int) -> dict[tuple[str, str, str, int, int], int]:
        """Stored values by HS chapter from ``first_year`` on, keyed (code, chapter, flow, year, month)."""
        with self.connect() as db:
            rows = db.execute("SELECT code, chapter, flow, year, month, value FROM sector_obs "
                              "WHERE year >= ? AND month > 0", (first_year,)).fetchall()
        return {tuple(row[:5]): row[5] for row in rows}

    def vintages(self) -> list[dict]:
        """Provenance of every vintage in the store, with the years it supplies."""
        with self.connect() as db:
            db.row_factory = sqlite3.Row
            rows = db.execute("SELECT v.*, group_concat(o.year) AS years FROM vintages v LEFT JOIN "
                              "(SELECT DISTINCT vintage, year FROM obs UNION "
                              "SELECT DISTINCT vintage, year FROM sector_obs) o ON o.vintage = v.id "
                              "GROUP BY v.id ORDER BY v.id").fetchall()
        return [{**dict(row), "years": sorted(int(y) for y in (row["years"] or "").split(",") if y)}
                for row in rows]

    def names(self) -> dict[str, str]:
        """Census names of every code in the store."""
        with self.connect() as db:
            return dict(db.execute("SELECT code, census_name FROM names").fetchall())

    def change_token(self) -> int:
        """Changes whenever a write commits (the stamp file's mtime)."""
        try:
            return os.stat(self.stamp_path).st_mtime_ns
        except OSError:
            return 0

    def write(self, observations: Iterable[Observation], vintages: list[dict],
              names: dict[str, str], meta: dict[str, str] | None = None,
              sectors: Iterable[SectorObservation] = ()) -> None:
        """Insert or replace values (totals and sectors) in one transaction, keeping replaced
        values in history."""
        with self.connect(write=True) as db:
            try:
                self._write(db, observations, vintages, names, meta or {}, sectors)
            except sqlite3.Error as exc:
                raise StoreError(f"the data store was left unchanged: the write failed ({exc})") from None
            db.execute("PRAGMA wal_checkpoint(PASSIVE)")  # keep the main file whole (read-only readers)
        self._touch()

    def meta(self, key: str) -> str | None:
        """A value of the meta table (e.g. ``refresh:api``), or None."""
        with self.connect() as db:
            row = db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None

    def meta_json(self, key: str) -> dict:
        """A JSON object of the meta table (``{}`` when absent); a malformed one is damage."""
        raw = self.meta(key)
        try:
            found = json.loads(raw) if raw else {}
        except ValueError:
            found = None
        if not isinstance(found, dict):
            raise self.problem(ValueError(f"the entry {key!r} is not a JSON object"))
        return found

    def next_vintage(self) -> int:
        """The id the next vintage will get."""
        with self.connect() as db:
            return db.execute("SELECT coalesce(max(id), 0) + 1 FROM vintages").fetchone()[0]

    def history(self, code: str, year: int) -> list[dict]:
        """Replaced values of a partner and year, with both vintages, oldest change first."""
        query = ("SELECT h.flow, h.month, h.value AS old, o.value AS current, ov.source AS old_source, "
                 "ov.retrieved AS old_retrieved, nv.source AS new_source, nv.retrieved AS new_retrieved, "
                 "nv.loaded AS loaded, h.replaced_by FROM obs_history h "
                 "JOIN vintages ov ON ov.id = h.vintage JOIN vintages nv ON nv.id = h.replaced_by "
                 "LEFT JOIN obs o USING (code, flow, year, month) "
                 "WHERE h.code = ? AND h.year = ? ORDER BY h.replaced_by, h.month, h.flow")
        with self.connect() as db:
            db.row_factory = sqlite3.Row
            return [dict(row) for row in db.execute(query, (code, year))]

    @contextmanager
    def refresh_lock(self, wait: float = 0.0, on_wait=None) -> Iterator[None]:
        """Hold the store's refresh lock; waits up to ``wait`` seconds, else raises RefreshBusy."""
        from filelock import FileLock, Timeout

        from ..errors import RefreshBusy

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

    def _write(self, db: sqlite3.Connection, observations: Iterable[Observation],
               vintages: list[dict], names: dict[str, str], meta: dict[str, str] | None = None,
               sectors: Iterable[SectorObservation] = ()) -> None:
        loaded = time.strftime("%Y-%m-%dT%H:%M:%S")
        with db:  # one transaction: all or nothing
            db.executemany("INSERT OR REPLACE INTO meta VALUES (?, ?)", (meta or {}).items())
            db.executemany("INSERT INTO vintages (id, source, retrieved, url, note, loaded) "
                           "VALUES (:id, :source, :retrieved, :url, :note, :loaded)",
                           [{**v, "loaded": loaded} for v in vintages])
            db.executemany("INSERT OR REPLACE INTO names VALUES (?, ?)", names.items())
            _upsert(db, "obs", observations)
            _upsert(db, "sector_obs", sectors)

    def ensure_sectors(self) -> "Store":
        """Add the bundled sector snapshot on the first use of sector data (once per store; it is
        ten times the size of the totals, so the total-trade path never waits for it)."""
        self.ensure()
        if self.meta(SECTORS_SEEDED) is not None:
            return self
        from .bundle import load_sectors

        rows, vintages = load_sectors()
        with self.connect(write=True) as db:
            try:
                db.execute("BEGIN IMMEDIATE")  # a second process seeding at once waits, then skips
                if db.execute("SELECT 1 FROM meta WHERE key = ?", (SECTORS_SEEDED,)).fetchone() is None:
                    first = db.execute("SELECT coalesce(max(id), 0) + 1 FROM vintages").fetchone()[0]
                    shift = first - min(v["id"] for v in vintages)
                    self._write(db, [],  # commits the transaction begun above
                                [{**v, "id": v["id"] + shift} for v in vintages], {},
                                {SECTORS_SEEDED: time.strftime("%Y-%m-%d")},
                                (row._replace(vintage=row.vintage + shift) for row in rows))
                else:
                    db.execute("COMMIT")
            except sqlite3.Error as exc:
                raise StoreError(f"cannot add the bundled sector data to the store {self.path}: {exc}") from None
        self._touch()
        return self

    def _upgrade(self) -> None:
        with self.connect(write=True, any_version=True) as db:
            try:
                with db:
                    db.executescript(SECTOR_TABLES)
                    db.execute("UPDATE meta SET value = ? WHERE key = 'schema'", (str(SCHEMA_VERSION),))
            except sqlite3.Error as exc:
                raise StoreError(f"cannot upgrade the data store {self.path}: {exc}") from None
        self._touch()

    def _seed(self) -> None:
        from .bundle import load

        observations, vintages, names = load()
        partial = self.path.with_name(f"{self.path.name}.{os.getpid()}.partial")
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(partial)) as db:
                db.executescript(SCHEMA)
                db.execute("INSERT INTO meta VALUES ('schema', ?)", (str(SCHEMA_VERSION),))
                self._write(db, observations, vintages, names)
                db.execute("PRAGMA journal_mode = WAL")
            os.replace(partial, self.path)  # atomic: a concurrent first use sees all or nothing
        except (OSError, sqlite3.Error) as exc:
            with suppress(OSError):
                partial.unlink()
            raise StoreError(f"cannot create the data store {self.path}: {exc}") from None
        self._touch()

    def _touch(self) -> None:
        global GENERATION
        GENERATION += 1  # services in this process notice at once; others see the stamp
        self.stamp_path.touch()
        os.utime(self.stamp_path, ns=(time.time_ns(), time.time_ns()))


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


def _upsert(db: sqlite3.Connection, table: str, rows: Iterable[tuple]) -> None:
    """Insert or replace ``rows`` in ``table``, copying each changed old value to its history."""
    history, width = TABLES[table]
    key = "code, flow, year, month" if table == "obs" else "code, chapter, flow, year, month"
    db.execute(f"CREATE TEMP TABLE incoming AS SELECT * FROM {table} WHERE 0")
    db.executemany(f"INSERT INTO incoming VALUES ({', '.join('?' * width)})", rows)
    db.execute(f"INSERT INTO {history} SELECT o.*, i.vintage FROM {table} o JOIN incoming i "
               f"USING ({key}) WHERE o.value != i.value")
    db.execute(f"INSERT OR REPLACE INTO {table} SELECT * FROM incoming")
    db.execute("DROP TABLE incoming")
