"""The per-user database: bookmarks and personal notes (study progress joins later).

Kept apart from the read-only content so a content update never touches what
the user wrote. WAL mode; every write is one transaction. A damaged file is
moved aside with a timestamp and a fresh one created; nothing is deleted.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from typing import NamedTuple
from pathlib import Path

USER_SCHEMA_VERSION = 2
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
CREATE TABLE IF NOT EXISTS cards (
    item_id TEXT PRIMARY KEY,
    card TEXT NOT NULL,
    due TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS reviews (
    id INTEGER PRIMARY KEY,
    item_id TEXT NOT NULL,
    rating TEXT NOT NULL,
    reviewed TEXT NOT NULL,
    log TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS reviews_item ON reviews (item_id);
"""
EXPORT_FORMAT = "spine-atlas-user-data"
EXPORT_VERSION = 1


class Bookmark(NamedTuple):
    slug: str
    step: int  # 0 = the page itself
    created: str


class Note(NamedTuple):
    slug: str
    step: int
    text: str
    updated: str


class UserDataError(Exception):
    pass


def _now() -> str:
    return dt.datetime.now(dt.timezone.utc).replace(microsecond=0).isoformat()


class UserStore:
    def __init__(self, path: Path | str):
        """``path`` is the database file, or ":memory:" for a throw-away profile (tests, screenshots)."""
        self.path = Path(path)
        self.moved_aside: Path | None = None
        if str(path) != ":memory:":
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.conn = self._open()
        except sqlite3.DatabaseError:
            if str(path) == ":memory:":
                raise
            self.moved_aside = self._move_aside()
            self.conn = self._open()

    def _open(self) -> sqlite3.Connection:
        conn = sqlite3.connect(str(self.path), isolation_level=None, timeout=10)
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

    # -- study schedule -----------------------------------------------------

    def card(self, item_id: str) -> dict | None:
        row = self.conn.execute("SELECT card FROM cards WHERE item_id = ?", (item_id,)).fetchone()
        return json.loads(row[0]) if row else None

    def save_review(self, item_id: str, card: dict, due: str, rating: str, reviewed: str, log: dict) -> None:
        """The new card state and its review log entry, in one transaction."""
        with self._transaction(self.conn):
            self.conn.execute(
                "INSERT INTO cards (item_id, card, due) VALUES (?, ?, ?) "
                "ON CONFLICT (item_id) DO UPDATE SET card = excluded.card, due = excluded.due",
                (item_id, json.dumps(card, sort_keys=True), due),
            )
            self.conn.execute(
                "INSERT INTO reviews (item_id, rating, reviewed, log) VALUES (?, ?, ?, ?)",
                (item_id, rating, reviewed, json.dumps(log, sort_keys=True)),
            )

    def due_dates(self) -> dict[str, str]:
        return dict(self.conn.execute("SELECT item_id, due FROM cards"))

    def review_count(self) -> int:
        return self.conn.execute("SELECT count(*) FROM reviews").fetchone()[0]

    # -- export and import ------------------------------------------------

    def dump(self) -> dict:
        """Everything the user made, as plain data (the export file's content)."""
        q = self.conn.execute
        return {
            "format": EXPORT_FORMAT,
            "version": EXPORT_VERSION,
            "bookmarks": [dict(zip(("slug", "step", "created"), r)) for r in q("SELECT slug, step, created FROM bookmarks ORDER BY slug, step")],
            "notes": [dict(zip(("slug", "step", "text", "updated"), r)) for r in q("SELECT slug, step, text, updated FROM notes ORDER BY slug, step")],
            "cards": [{"item_id": r[0], "card": json.loads(r[1]), "due": r[2]} for r in q("SELECT item_id, card, due FROM cards ORDER BY item_id")],
            "reviews": [
                {"item_id": r[0], "rating": r[1], "reviewed": r[2], "log": json.loads(r[3])}
                for r in q("SELECT item_id, rating, reviewed, log FROM reviews ORDER BY reviewed, id")
            ],
        }

    def export_to(self, path: Path) -> None:
        """Write the user's data to one JSON file, atomically."""
        path = Path(path)
        tmp = path.with_name(path.name + ".tmp")
        tmp.write_text(json.dumps(self.dump(), indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        os.replace(tmp, path)

    def import_from(self, path: Path) -> dict[str, int]:
        """Merge an export file into this profile in one transaction; newer notes and cards win.

        Raises :class:`UserDataError` with a readable reason for a file that is not an export.
        """
        try:
            data = json.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise UserDataError(f"{Path(path).name} could not be read as Spine Atlas user data ({exc})") from None
        if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
            raise UserDataError(f"{Path(path).name} is not a Spine Atlas user-data export")
        if not isinstance(data.get("version"), int) or data["version"] > EXPORT_VERSION:
            raise UserDataError(f"{Path(path).name} was written by a newer Spine Atlas; update the app to import it")
        counts = {"bookmarks": 0, "notes": 0, "cards": 0, "reviews": 0}
        try:
            with self._transaction(self.conn):
                for b in data.get("bookmarks", []):
                    cur = self.conn.execute(
                        "INSERT OR IGNORE INTO bookmarks (slug, step, created) VALUES (?, ?, ?)",
                        (str(b["slug"]), int(b["step"]), str(b["created"])),
                    )
                    counts["bookmarks"] += cur.rowcount
                for n in data.get("notes", []):
                    cur = self.conn.execute(
                        "INSERT INTO notes (slug, step, text, updated) VALUES (?, ?, ?, ?) "
                        "ON CONFLICT (slug, step) DO UPDATE SET text = excluded.text, updated = excluded.updated "
                        "WHERE excluded.updated > notes.updated",
                        (str(n["slug"]), int(n["step"]), str(n["text"]), str(n["updated"])),
                    )
                    counts["notes"] += cur.rowcount
                seen = {(r[0], r[1]) for r in self.conn.execute("SELECT item_id, reviewed FROM reviews")}
                for r in data.get("reviews", []):
                    if (r["item_id"], r["reviewed"]) in seen:
                        continue
                    self.conn.execute(
                        "INSERT INTO reviews (item_id, rating, reviewed, log) VALUES (?, ?, ?, ?)",
                        (str(r["item_id"]), str(r["rating"]), str(r["reviewed"]), json.dumps(r["log"], sort_keys=True)),
                    )
                    counts["reviews"] += 1
                for c in data.get("cards", []):
                    card = c["card"]
                    mine = self.card(str(c["item_id"]))
                    if mine and str(mine.get("last_review") or "") >= str(card.get("last_review") or ""):
                        continue
                    self.conn.execute(
                        "INSERT INTO cards (item_id, card, due) VALUES (?, ?, ?) "
                        "ON CONFLICT (item_id) DO UPDATE SET card = excluded.card, due = excluded.due",
                        (str(c["item_id"]), json.dumps(card, sort_keys=True), str(c["due"])),
                    )
                    counts["cards"] += 1
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise UserDataError(f"{Path(path).name} is damaged ({type(exc).__name__}: {exc}); nothing was imported") from None
        return counts
