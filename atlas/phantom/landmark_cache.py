"""The landmark table kept on disk between runs.

Computing the landmarks takes seconds (targets such as the safe triangle are
searched on the built shapes, with clear skin paths), which the virtual C-arm
cannot spend each time it opens. The table depends only on the phantom's code
and parameters, so it is saved once per version, beside the cached volumes.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

import numpy as np

_folder: Path | None = None


def use_folder(folder: Path | str | None) -> None:
    """Where later loads and saves go (the phantom volume cache, set when a volume is loaded)."""
    global _folder
    _folder = Path(folder) if folder is not None else None


def code_digest() -> str:
    """A digest of every phantom module (landmarks follow the shapes, the alignment and the searches)."""
    h = hashlib.sha256()
    for f in sorted(Path(__file__).resolve().parent.glob("*.py")):
        h.update(f.name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def _path() -> Path:
    from .phantom import default_cache_dir

    return (_folder or default_cache_dir()) / f"landmarks-{code_digest()}.npz"


def cached(compute: Callable[[], dict[str, np.ndarray]]) -> dict[str, np.ndarray]:
    """The saved table if there is one for this code, else ``compute()`` (saved for next time if possible)."""
    path = _path()
    try:
        with np.load(path) as saved:
            return dict(zip(saved["names"].tolist(), np.array(saved["points"], float)))
    except (OSError, ValueError, KeyError, EOFError, zipfile.BadZipFile):
        pass
    table = compute()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.stem + ".", suffix=".npz", dir=path.parent)
        with os.fdopen(fd, "wb") as fh:
            np.savez(fh, names=np.array(list(table)), points=np.array([table[n] for n in table], float))
        os.replace(tmp, path)
        for old in path.parent.glob("landmarks-*.npz"):  # tables of earlier versions are never read again
            if old != path:
                old.unlink(missing_ok=True)
    except OSError:
        pass  # a read-only cache: compute again next time
    return table
