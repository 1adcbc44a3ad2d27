#!/usr/bin/env python3
"""Set up Spine Atlas from a fresh checkout, then run the app or the tests.

    python3 dev.py run     # .venv, install, build the content database if needed, start the app
    python3 dev.py test    # the same set-up, then the whole test suite

Extra arguments after ``test`` go to pytest; after ``run``, to ``spine-atlas``.
Uses only the standard library so it works before anything is installed.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
DATABASE = ROOT / "data" / "spine-atlas.db"
INSTALL_STAMP = VENV / ".spine-atlas-installed"
CONTENT_STAMP = DATABASE.with_name(DATABASE.name + ".source")
CONTENT_INPUTS = ["content", "images", "atlas/content", "atlas/db/builder.py", "atlas/db/schema.py", "atlas/phantom", "atlas/levels.py"]


def venv_python() -> Path:
    return VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def digest(paths: list[str]) -> str:
    h = hashlib.sha256()
    for rel in paths:
        base = ROOT / rel
        files = [base] if base.is_file() else sorted(p for p in base.rglob("*") if p.is_file()) if base.exists() else []
        for path in files:
            if "__pycache__" in path.parts:
                continue
            h.update(str(path.relative_to(ROOT)).encode())
            h.update(path.read_bytes())
    return h.hexdigest()


def run(*cmd, **kwargs) -> None:
    print("+", " ".join(str(c) for c in cmd), flush=True)
    result = subprocess.run([str(c) for c in cmd], cwd=ROOT, **kwargs)
    if result.returncode != 0:
        sys.exit(result.returncode)


def set_up() -> None:
    if sys.version_info < (3, 11):
        sys.exit(f"Spine Atlas needs Python 3.11 or newer (this is {sys.version.split()[0]}).")
    if not venv_python().exists():
        print("creating .venv", flush=True)
        try:
            venv.EnvBuilder(with_pip=True).create(VENV)
        except Exception as exc:  # Debian without python3-venv, for one
            sys.exit(f"could not create .venv ({exc}); on Debian/Ubuntu: sudo apt-get install python3-venv")
    wanted = digest(["pyproject.toml"])
    if not INSTALL_STAMP.exists() or INSTALL_STAMP.read_text() != wanted:
        run(venv_python(), "-m", "pip", "install", "--quiet", "--upgrade", "pip")
        # compat mode: a plain path entry, not an import hook (which costs ~10 ms at every start)
        run(venv_python(), "-m", "pip", "install", "--quiet", "-e", ".[test]", "--config-settings", "editable_mode=compat")
        INSTALL_STAMP.write_text(wanted)
    # bytecode for the app's own modules, as a regular install has: without it (an editable install where
    # PYTHONDONTWRITEBYTECODE is set) every start compiles them again, some 60 ms; only changed files are redone
    run(venv_python(), "-m", "compileall", "-q", "atlas")
    sources = digest(CONTENT_INPUTS)
    if not DATABASE.exists() or not CONTENT_STAMP.exists() or CONTENT_STAMP.read_text() != sources:
        run(venv_python(), "-m", "atlas", "--db", DATABASE, "build")
        CONTENT_STAMP.write_text(sources)


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("run", "test"):
        print(__doc__)
        return 2
    set_up()
    if argv[0] == "run":
        return subprocess.call([str(venv_python()), "-m", "atlas", "--db", str(DATABASE), *argv[1:]], cwd=ROOT)
    return subprocess.call([str(venv_python()), "-m", "pytest", *argv[1:]], cwd=ROOT)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
