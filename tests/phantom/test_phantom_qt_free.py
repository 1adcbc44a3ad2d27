import ast
import subprocess
import sys
from pathlib import Path

PKG = Path(__file__).resolve().parents[2] / "atlas" / "phantom"
FORBIDDEN = ("PySide6", "pyqtgraph", "sqlite3", "sqlite_utils", "PyQt5", "PyQt6")


def test_no_module_imports_qt_or_sqlite():
    for path in PKG.glob("*.py"):
        tree = ast.parse(path.read_text())
        for node in ast.walk(tree):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            for n in names:
                assert n.split(".")[0] not in FORBIDDEN, f"{path.name} imports {n}"


def test_importing_the_package_loads_no_qt():
    code = ("import sys, atlas.phantom, atlas.phantom.render, atlas.phantom.phantom;"
            "bad=[m for m in sys.modules if m.split('.')[0] in %r]; print(bad); sys.exit(1 if bad else 0)" % (FORBIDDEN,))
    root = str(PKG.parents[1])
    r = subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, env={"PYTHONPATH": root})
    assert r.returncode == 0, r.stdout + r.stderr


def test_every_module_that_shapes_voxels_is_in_the_cache_key():
    from atlas.phantom.phantom import MODEL_MODULES

    render_only = {"__init__", "render", "spec", "phantom", "drr", "fluoro", "ct", "needle", "contrast", "carm", "contour",
                   "landmarks", "landmark_cache", "targets", "contact_sheet", "write_docs", "lesions", "names"}
    for path in PKG.glob("*.py"):
        assert path.stem in MODEL_MODULES or path.stem in render_only, f"{path.stem} must be in MODEL_MODULES or render-only"
