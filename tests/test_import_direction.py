"""Imports go one way: only atlas/ui touches Qt or pyqtgraph, and atlas/ui never runs SQL."""

import ast
import re
from pathlib import Path

ATLAS = Path(__file__).resolve().parent.parent / "atlas"
GUI_MODULES = ("PySide6", "pyqtgraph", "shiboken6", "PyQt5", "PyQt6")
SQL_RE = re.compile(r"\b(SELECT|INSERT|UPDATE|DELETE|CREATE|PRAGMA)\b\s+\S", re.IGNORECASE)


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    names = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_nothing_outside_ui_imports_qt():
    offenders = []
    for path in ATLAS.rglob("*.py"):
        if "ui" in path.relative_to(ATLAS).parts[:1]:
            continue
        bad = {m for m in imported_modules(path) if m.split(".")[0] in GUI_MODULES}
        if bad:
            offenders.append(f"{path.relative_to(ATLAS.parent)}: {sorted(bad)}")
    assert not offenders, offenders


def test_ui_runs_no_sql():
    offenders = []
    for path in (ATLAS / "ui").rglob("*.py"):
        modules = imported_modules(path)
        if "sqlite3" in modules or "sqlite_utils" in modules:
            offenders.append(f"{path.name}: imports sqlite")
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and SQL_RE.search(node.value):
                if re.search(r"\b(FROM|INTO|TABLE|SET|pragma)\b", node.value, re.IGNORECASE):
                    offenders.append(f"{path.name}:{node.lineno}: {node.value[:40]!r}")
            if isinstance(node, ast.Attribute) and node.attr in ("execute", "executemany", "executescript"):
                offenders.append(f"{path.name}:{node.lineno}: .{node.attr}()")
    assert not offenders, offenders


def test_checker_catches_a_violation(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("from PySide6.QtCore import QObject\nimport pyqtgraph as pg\n")
    assert {"PySide6.QtCore", "pyqtgraph"} <= imported_modules(bad)


def test_pyqtgraph_is_configured_in_one_place():
    """Every drawing module takes pg from atlas.ui.plotting, where row-major images are set once."""
    direct = [p.name for p in (ATLAS / "ui").rglob("*.py") if p.name != "plotting.py" and "pyqtgraph" in imported_modules(p)]
    assert not direct, direct
