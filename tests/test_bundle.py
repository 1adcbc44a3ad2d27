"""The PyInstaller bundle: builds, self-tests offscreen and under Xvfb, writes nothing beside itself."""

import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
SIZE_SANITY_MB = 280  # goal is 150; this only catches a regression such as all of SciPy creeping back in

pytestmark = [
    pytest.mark.bundle,
    pytest.mark.skipif(sys.platform != "linux", reason="the bundle test runs on Linux"),
    pytest.mark.skipif(shutil.which("pyinstaller", path=str(Path(sys.executable).parent)) is None, reason="PyInstaller not installed"),
]


def folder_size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file() and not f.is_symlink()) / 1e6


def listing(path: Path) -> set[str]:
    return {str(p.relative_to(path)) for p in path.rglob("*")}


@pytest.fixture(scope="module")
def bundle(tmp_path_factory, content_tree):
    from atlas.db.builder import build

    work = tmp_path_factory.mktemp("bundle")
    db = work / "content" / "spine-atlas.db"
    build(*content_tree, db)
    env = dict(os.environ, SPINE_ATLAS_BUNDLE_DB=str(db))
    pyinstaller = Path(sys.executable).parent / "pyinstaller"
    subprocess.run(
        [str(pyinstaller), "--noconfirm", "--log-level", "ERROR", "--distpath", str(work / "dist"),
         "--workpath", str(work / "build"), str(ROOT / "build.spec")],
        check=True, cwd=ROOT, env=env, timeout=900,
    )
    folder = work / "dist" / "SpineAtlas"
    assert (folder / "SpineAtlas").exists()
    return folder


def self_test(folder: Path, env: dict, report: Path) -> dict:
    started = time.perf_counter()
    result = subprocess.run([str(folder / "SpineAtlas"), "--self-test", "--report", str(report)],
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    data = json.loads(report.read_text())
    assert data["ok"] and data["frozen"], data
    data["wall_seconds"] = round(time.perf_counter() - started, 3)
    return data


def test_bundle_self_tests_offscreen_and_writes_nothing_beside_itself(bundle, tmp_path):
    before = listing(bundle)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"), XDG_CONFIG_HOME=str(tmp_path / "cfg"),
               XDG_DATA_HOME=str(tmp_path / "data"), XDG_CACHE_HOME=str(tmp_path / "cache"))
    report = self_test(bundle, env, tmp_path / "report.json")
    assert {c["name"] for c in report["checks"] if c["ok"]} >= {"integrity", "content", "visit-page", "render-image", "overlays"}
    assert listing(bundle) == before, "the app wrote files beside itself"
    size = folder_size_mb(bundle)
    RESULTS.mkdir(parents=True, exist_ok=True)
    (RESULTS / "bundle.json").write_text(json.dumps({"size_mb": round(size, 1), "goal_mb": 150, "self_test_seconds": report["wall_seconds"]}, indent=2))
    print(f"bundle size: {size:.0f} MB")
    assert size < SIZE_SANITY_MB


def test_bundle_runs_from_a_read_only_folder(bundle, tmp_path):
    copy = tmp_path / "ro" / "SpineAtlas"
    shutil.copytree(bundle, copy, symlinks=True)
    for path in [copy, *copy.rglob("*")]:
        if not path.is_symlink():
            path.chmod(path.stat().st_mode & ~0o222)
    try:
        env = dict(os.environ, QT_QPA_PLATFORM="offscreen", HOME=str(tmp_path / "home"))
        self_test(copy, env, tmp_path / "report.json")
    finally:
        for path in [copy, *copy.rglob("*")]:
            if not path.is_symlink():
                path.chmod(path.stat().st_mode | 0o200)


@pytest.mark.skipif(shutil.which("Xvfb") is None, reason="Xvfb is not installed")
def test_bundle_self_tests_under_xvfb(bundle, tmp_path):
    display = f":{90 + os.getpid() % 9}"
    server = subprocess.Popen(["Xvfb", display, "-screen", "0", "1400x900x24", "-nolisten", "tcp"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(0.5)
        env = {k: v for k, v in os.environ.items() if k != "QT_QPA_PLATFORM"}
        env.update(DISPLAY=display, HOME=str(tmp_path / "home"))
        report = self_test(bundle, env, tmp_path / "report.json")
        assert "platform xcb" in report["checks"][0]["detail"]
    finally:
        server.terminate()
        server.wait(10)
