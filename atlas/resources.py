"""Where the atlas finds its files, in a source checkout and in a frozen bundle."""

from __future__ import annotations

import os
import sys
from pathlib import Path

DB_NAME = "spine-atlas.db"


def is_frozen() -> bool:
    return bool(getattr(sys, "frozen", False))


def bundle_root() -> Path:
    """Folder holding the app's read-only files (the bundle, or the source tree)."""
    if is_frozen():
        return Path(getattr(sys, "_MEIPASS", Path(sys.executable).parent))
    return Path(__file__).resolve().parent.parent


def content_dir() -> Path:
    return bundle_root() / "content"


def images_dir() -> Path:
    return bundle_root() / "images"


def default_database() -> Path:
    """The content database: $SPINE_ATLAS_DB, else data/spine-atlas.db in the bundle or checkout."""
    override = os.environ.get("SPINE_ATLAS_DB")
    if override:
        return Path(override)
    return bundle_root() / "data" / DB_NAME


def cache_dir() -> Path:
    """Per-user cache (phantom volumes). Never beside the executable, except in a portable copy."""
    override = os.environ.get("SPINE_ATLAS_CACHE")
    if override:
        return Path(override)
    portable = portable_folder()
    if portable is not None:
        return portable / "cache"
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "SpineAtlas" / "cache"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Caches" / "SpineAtlas"
    return Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "spine-atlas"


def phantom_cache_dir() -> Path:
    """Where built phantom volumes are kept (content builds and the virtual C-arm share them)."""
    return cache_dir() / "phantom"


PORTABLE_MARKER = "portable"


def app_folder() -> Path:
    """The folder the user sees the app in (beside the executable when frozen)."""
    return Path(sys.executable).resolve().parent if is_frozen() else bundle_root()


def portable_folder() -> Path | None:
    """With a file named ``portable`` beside the app (a USB stick), user data lives in user-data/ beside it."""
    if (app_folder() / PORTABLE_MARKER).exists():
        return app_folder() / "user-data"
    return None
