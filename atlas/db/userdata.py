"""The per-user database: bookmarks and personal notes (study progress joins later).

Kept apart from the read-only content so a content update never touches what
the user wrote. WAL mode; every write is one transaction. A damaged file is
moved aside with a timestamp and a fresh one created; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
from dataclasses import dataclass
from pathlib import Path

USER_SCHEMA_VERSION = 1
USER_APPLICATION_ID = 0x53504E55  # "SPNU"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS bookmarks (
    slug TEXT NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL,
    PRIMARY KEY (slug, step)
);
CREATE TABLE IF NOT EXISTS notes (
    slug TEXT NOT NULL,
    step INTEGER NOT NULL DEFAULT 0,
    text TEXT NOT NULL,
    updated TEXT NOT NULL,
    PRIMARY KEY (slug, step)
);
"""


@dataclass(frozen=True)
class Bookmark:
    slug: str
    step: int  # 0 = the page itself
    created: str


@dataclass(frozen=True)
class Note:
    slug: str
    step: int
    text: str
    updated: str


class UserDataError(Exception):
    pass


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class UserStore:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.moved_aside: Path | None = None
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = self._open()
        except sqlite3.DatabaseError:
            self.moved_aside = self._move_aside()
            self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(self.path, isolation_level=None, timeout=10)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=FULL")
            app_id = conn.execute("PRAGMA application_id").fetchone()[0]
            version = conn.execute("PRAGMA user_version").fetchone()[0]
            if app_id not in (0, USER_APPLICATION_ID) or version > USER_SCHEMA_VERSION:
                raise sqlite3.DatabaseError("not a Spine Atlas user database of a known version")
            if conn.execute("PRAGMA quick_check").fetchone()[0] != "ok":
                raise sqlite3.DatabaseError("integrity check failed")
            with self._transaction(conn):
                for statement in _SCHEMA.split(";"):
                    if statement.strip():
                        conn.execute(statement)
                conn.execute(f"PRAGMA application_id = {USER_APPLICATION_ID}")
                conn.execute(f"PRAGMA user_version = {USER_SCHEMA_VERSION}")
        except sqlite3.DatabaseError:
            conn.close()
            raise
        return conn

    def _move_aside(self) -> Path:
        stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
        target = self.path.with_name(f"{self.path.stem}.damaged-{stamp}{self.path.suffix}")
        self.path.rename(target)
        for suffix in ("-wal", "-shm"):
            side = self.path.with_name(self.path.name + suffix)
            if side.exists():
                side.rename(target.with_name(target.name + suffix))
        return target

    class _Tx:
        def __init__(self, conn):
            self.conn = conn

        def __enter__(self):
            self.conn.execute("BEGIN IMMEDIATE")
            return self.conn

        def __exit__(self, kind, value, tb):
            self.conn.execute("COMMIT" if kind is None else "ROLLBACK")
            return False

    @classmethod
    def _transaction(cls, conn):
        return cls._Tx(conn)

    def close(self) -> None:
        self.conn.close()

    # -- bookmarks --------------------------------------------------------

    def add_bookmark(self, slug: str, step: int = 0) -> None:
        with self._transaction(self.conn):
            self.conn.execute("INSERT OR IGNORE INTO bookmarks (slug, step, created) VALUES (?, ?, ?)", (slug, step, _now()))

    def remove_bookmark(self, slug: str, step: int = 0) -> None:
        with self._transaction(self.conn):
            self.conn.execute("DELETE FROM bookmarks WHERE slug = ? AND step = ?", (slug, step))

    def bookmarks(self) -> list[Bookmark]:
        return [Bookmark(*r) for r in self.conn.execute("SELECT slug, step, created FROM bookmarks ORDER BY created, slug, step")]

    def is_bookmarked(self, slug: str, step: int = 0) -> bool:
        return self.conn.execute("SELECT 1 FROM bookmarks WHERE slug = ? AND step = ?", (slug, step)).fetchone() is not None

    # -- notes ------------------------------------------------------------

    def set_note(self, slug: str, text: str, step: int = 0) -> None:
        with self._transaction(self.conn):
            if text.strip():
                self.conn.execute(
                    "INSERT INTO notes (slug, step, text, updated) VALUES (?, ?, ?, ?) "
                    "ON CONFLICT (slug, step) DO UPDATE SET text = excluded.text, updated = excluded.updated",
                    (slug, step, text, _now()),
                )
            else:
                self.conn.execute("DELETE FROM notes WHERE slug = ? AND step = ?", (slug, step))

    def note(self, slug: str, step: int = 0) -> str:
        row = self.conn.execute("SELECT text FROM notes WHERE slug = ? AND step = ?", (slug, step)).fetchone()
        return row[0] if row else ""

    def notes(self) -> list[Note]:
        return [Note(*r) for r in self.conn.execute("SELECT slug, step, text, updated FROM notes ORDER BY updated DESC")]

    def search_notes(self, text: str) -> list[Note]:
        pattern = "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        return [
            Note(*r)
            for r in self.conn.execute(
                "SELECT slug, step, text, updated FROM notes WHERE text LIKE ? ESCAPE '\\' ORDER BY updated DESC", (pattern,)
            )
        ]
