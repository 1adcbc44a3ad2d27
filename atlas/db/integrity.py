"""Is the content database the one the build produced? (Qt-free)

The builder writes ``<db>.manifest.json`` beside the database: SHA-256, size,
schema and content version, build date. The app checks it before opening the
content and explains any problem in words a clinician understands.
"""

from __future__ import annotations

import hashlib
import json
import threading
from typing import NamedTuple
from pathlib import Path

from atlas.db.schema import SCHEMA_VERSION

REINSTALL = "Reinstall Spine Atlas or ask your IT department for a fresh copy. Your own notes and bookmarks are not affected."


class IntegrityResult(NamedTuple):
    ok: bool
    kind: str  # "ok" | "missing" | "no-manifest" | "truncated" | "tampered" | "too-new" | "too-old" | "unreadable"
    message: str


def manifest_path(db_path: Path) -> Path:
    return db_path.with_name(db_path.name + ".manifest.json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def verify(db_path: Path) -> IntegrityResult:
    db_path = Path(db_path)
    if not db_path.is_file():
        return IntegrityResult(False, "missing", f"The atlas content is missing ({db_path.name} was not found). {REINSTALL}")
    mpath = manifest_path(db_path)
    try:
        manifest = json.loads(mpath.read_text(encoding="utf-8"))
        expected, schema = str(manifest["sha256"]), int(manifest["schema_version"])
        size = manifest.get("size")
    except FileNotFoundError:
        return IntegrityResult(False, "no-manifest", f"The atlas content cannot be verified: its integrity record is missing. {REINSTALL}")
    except (OSError, ValueError, KeyError, TypeError):
        return IntegrityResult(False, "no-manifest", f"The atlas content cannot be verified: its integrity record is damaged. {REINSTALL}")
    if schema > SCHEMA_VERSION:
        return IntegrityResult(
            False, "too-new",
            "This atlas content was made for a newer version of Spine Atlas. Update the app to use it. "
            "Your own notes and bookmarks are not affected.",
        )
    if schema < SCHEMA_VERSION:
        return IntegrityResult(False, "too-old", f"This atlas content is from an older version of Spine Atlas. {REINSTALL}")
    actual_size = db_path.stat().st_size
    if isinstance(size, int) and actual_size < size:
        return IntegrityResult(
            False, "truncated",
            f"The atlas content is incomplete: the file is shorter than it should be, probably cut short while copying. {REINSTALL}",
        )
    if file_sha256(db_path) != expected:
        return IntegrityResult(
            False, "tampered",
            "The atlas content has changed since it was built, so it cannot be trusted as a reference. " + REINSTALL,
        )
    return IntegrityResult(True, "ok", "The atlas content is intact.")


class BackgroundCheck:
    """:func:`verify` run on its own thread, started before the app loads Qt: hashing the content
    (tens of milliseconds) then overlaps the start-up instead of adding to it. The app still waits
    for the result before it opens the database."""

    def __init__(self, db_path: Path):
        self.db_path = Path(db_path)
        self._result: IntegrityResult | None = None
        self._error: Exception | None = None  # anything else is a fault of the app: raised where the answer is read
        self._thread = threading.Thread(target=self._run, name="content-check", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        try:
            self._result = verify(self.db_path)
        except OSError as exc:  # e.g. no permission to read the file
            self._result = IntegrityResult(
                False, "unreadable", f"The atlas content could not be read ({exc.strerror or exc}). {REINSTALL}"
            )
        except Exception as exc:  # noqa: BLE001 (handed to the thread that reads the answer)
            self._error = exc

    def result(self) -> IntegrityResult:
        self._thread.join()
        if self._error is not None:
            raise self._error
        assert self._result is not None
        return self._result
