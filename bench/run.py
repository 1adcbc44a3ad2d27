"""Spine Atlas benchmark: one command, a table on stdout and JSON in bench/results/.

    .venv/bin/python bench/run.py [--quick] [--db PATH]

Every figure is measured in this run, side by side with its baseline where it
has one (launch is a ratio to a bare PySide6 window, alternating runs).
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import platform
import select
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
RESULTS = ROOT / "bench" / "results"
TARGETS = {
    "launch_ratio": 1.5,
    "navigation_p95_ms": 16.0,
    "search_p95_ms": 5.0,
    "search_100x_p95_ms": 20.0,
    "rss_mb": 300.0,
}
TYPED_QUERIES = ["transforaminal", "vertebral artery", "dexamethasone", "L4-5", "C7T1", "sacroiliac joint", "safe triangle", "contrast"]


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


# -- launch ------------------------------------------------------------------

def time_launch(kind: str, db: Path, frozen: Path | None = None) -> float:
    """Seconds from process start to the first paint: a bare PySide6 window, the app, or the frozen app."""
    env = dict(os.environ, SPINE_ATLAS_BENCH_READY="1", SPINE_ATLAS_DB=str(db))
    if kind in ("bare", "bare-qt"):
        cmd = [sys.executable, str(ROOT / "bench" / "launch_child.py"), kind]
    elif kind == "atlas":
        cmd = [sys.executable, "-m", "atlas"]  # no arguments, as when opened from its icon (SPINE_ATLAS_DB names the content)
    else:
        cmd = [str(frozen)]
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True, cwd=ROOT, env=env)
    ready, _, _ = select.select([proc.stdout], [], [], 60)
    line = proc.stdout.readline() if ready else ""
    elapsed = time.perf_counter() - start
    if "READY" not in line:
        proc.kill()
        proc.wait()
        raise RuntimeError(f"{kind} launch did not report READY within 60 s")
    proc.wait(timeout=60)
    return elapsed


def bench_launch(db: Path, runs: int, frozen: Path | None = None) -> dict:
    # the app's modules with their bytecode, as installed (dev.py and pip do this; the bundle carries it)
    compileall.compile_dir(str(ROOT / "atlas"), quiet=1)
    # bare-qt: the bare window that also loads the Qt namespace, which any real window needs (PySide6 makes its
    # 93 Python enums on first use); it shows how much of the gap is that alone
    kinds = ["bare", "bare-qt", "atlas"] + (["frozen"] if frozen else [])
    times: dict[str, list[float]] = {k: [] for k in kinds}
    for kind in kinds:
        time_launch(kind, db, frozen)  # warm the file cache
    for _ in range(runs):
        for kind in kinds:  # alternating, so load on the machine hits all alike
            times[kind].append(time_launch(kind, db, frozen))
    med = {k: statistics.median(v) for k, v in times.items()}
    out = {"bare_ms": round(med["bare"] * 1000, 1), "atlas_ms": round(med["atlas"] * 1000, 1),
           "ratio": round(med["atlas"] / med["bare"], 2), "runs": runs,
           "bare_qt_ms": round(med["bare-qt"] * 1000, 1), "bare_qt_ratio": round(med["bare-qt"] / med["bare"], 2)}
    if frozen:
        out["frozen_ms"] = round(med["frozen"] * 1000, 1)
        out["frozen_ratio_to_source"] = round(med["frozen"] / med["atlas"], 2)
    return out


# -- corpora -----------------------------------------------------------------

def build_corpus(content_dir: Path, images_dir: Path, out: Path, copies: int) -> Path:
    """The real content, or each page repeated ``copies`` times under new slugs (images shared)."""
    from atlas.db.builder import build

    if copies == 1:
        build(content_dir, images_dir, out)
        return out
    work = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    shutil.copytree(content_dir, work / "content")
    # the search corpus needs the images' captions and labels, not their pixels: declare them pending
    shutil.copytree(images_dir, work / "images")
    for definition in (work / "images").glob("*.yaml"):
        text = definition.read_text(encoding="utf-8")
        if "\nrender:" in text:
            head, _, _ = text.partition("\nrender:")
            definition.write_text(head.rstrip() + '\npending: "search benchmark corpus"\n', encoding="utf-8")
    images_dir = work / "images"
    pages = work / "content" / "pages"
    originals = list(pages.glob("*.md"))
    for page in originals:
        text = page.read_text(encoding="utf-8")
        for i in range(1, copies):
            slug = f"{page.stem}-copy{i}"
            (pages / f"{slug}.md").write_text(text.replace(f"slug: {page.stem}\n", f"slug: {slug}\n", 1), encoding="utf-8")
    build(work / "content", images_dir, out)
    shutil.rmtree(work)
    return out


def bench_search(db: Path) -> dict:
    from atlas.db.repository import ContentRepository

    repo = ContentRepository(db)
    times = []
    for _ in range(3):
        for query in TYPED_QUERIES:
            for end in range(1, len(query) + 1):  # as the user types
                t = time.perf_counter()
                repo.search(query[:end])
                times.append((time.perf_counter() - t) * 1000)
    pages = len(repo.slugs())
    repo.close()
    return {"pages": pages, "queries": len(times), "p50_ms": round(percentile(times, 50), 3), "p95_ms": round(percentile(times, 95), 3)}


# -- navigation and memory ---------------------------------------------------

def bench_window(db: Path, visits: int) -> dict:
    from PySide6.QtCore import QCoreApplication, QEvent, QEventLoop, QObject, QSettings, QTimer

    from atlas.db.repository import ContentRepository
    from atlas.ui.app import application
    from atlas.ui.main_window import MainWindow

    app = application()
    settings_dir = Path(tempfile.mkdtemp(prefix="atlas-bench-settings-"))
    repo = ContentRepository(db)
    window = MainWindow(repo, QSettings(str(settings_dir / "s.ini"), QSettings.Format.IniFormat))
    window.resize(1280, 800)
    window.show()
    window.ensure_viewer()
    app.processEvents()

    class FramePainted(QObject):
        """Notes the first paint of the image view (or its message) once the new image is in place: the frame the user sees."""

        def __init__(self):
            super().__init__()
            self.armed = False
            self.at: float | None = None
            self.loop: QEventLoop | None = None

        def eventFilter(self, obj, event):  # noqa: N802
            if self.armed and self.at is None and event.type() == QEvent.Type.Paint:
                self.at = time.perf_counter()
                if self.loop is not None:
                    self.loop.quit()
            return False

    painted = FramePainted()
    window.viewer.graphics.viewport().installEventFilter(painted)
    window.viewer.message.installEventFilter(painted)  # "image not yet available" is shown there

    def wait_shown(trigger) -> float:
        """Milliseconds from the trigger to the first frame painted with the new image on screen."""
        loop = QEventLoop()
        painted.armed, painted.at, painted.loop = False, None, loop

        def shown(*_):
            painted.armed = True

        window.viewer.imageShown.connect(shown)
        QTimer.singleShot(5000, loop.quit)
        start = time.perf_counter()
        trigger()
        if painted.at is None:
            loop.exec()
        window.viewer.imageShown.disconnect(shown)
        painted.armed, painted.loop = False, None
        app.processEvents()
        # what the app's own event loop does between two clicks: run deferred deletions
        QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete)
        return ((painted.at if painted.at is not None else time.perf_counter()) - start) * 1000

    nav = window.navigator
    targets = []
    for slug in repo.slugs():
        page = repo.page(slug)
        if page.steps and page.summary.levels:
            targets.append((page.summary.levels[len(page.summary.levels) // 2], slug))
    times = []
    for i in range(max(visits, len(targets))):
        level, slug = targets[i % len(targets)]

        def click(level=level, slug=slug):
            nav.select_level(level)
            window.open_page(slug)

        times.append(wait_shown(click))
    # every page and every step once, then RSS, then 100 more visits to look for growth
    for slug in repo.slugs():
        page = repo.page(slug)
        window.open_page(slug)
        for step in page.steps:
            wait_shown(lambda n=step.number: window.open_step(n))
    rss_after_all = rss_mb()
    for i in range(100):
        level, slug = targets[i % len(targets)]
        wait_shown(lambda slug=slug: window.open_page(slug))
    rss_after_100 = rss_mb()
    images_available = sum(1 for slug in repo.slugs() for info in repo.page(slug).images if info.available)
    window.shutdown()
    window.deleteLater()
    app.processEvents()
    repo.close()
    return {
        "visits": len(times),
        "p50_ms": round(percentile(times, 50), 2),
        "p95_ms": round(percentile(times, 95), 2),
        "rss_after_all_pages_mb": round(rss_after_all, 1),
        "rss_after_100_more_mb": round(rss_after_100, 1),
        "rss_growth_mb": round(rss_after_100 - rss_after_all, 1),
        "images_available": images_available,
    }


def bench_window_isolated(db: Path, visits: int) -> dict:
    """Navigation and memory in a fresh process, so the corpus builds of this run do not count in its RSS."""
    code = ("import json, sys; sys.path.insert(0, 'bench'); import run; "
            f"print(json.dumps(run.bench_window(run.Path({str(db)!r}), {visits})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=1800, cwd=ROOT,
                         env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def bench_live() -> dict:
    """Virtual C-arm figures from bench/live_child.py, in their own process, with the user's phantom cache."""
    from atlas import resources

    out = subprocess.run([sys.executable, str(ROOT / "bench" / "live_child.py"), str(resources.phantom_cache_dir())],
                         capture_output=True, text=True, timeout=900, cwd=ROOT)
    if out.returncode != 0:
        raise RuntimeError(out.stderr[-2000:])
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    parser.add_argument("--db", type=Path, help="content database (default: build from content/ into a temp folder)")
    parser.add_argument("--frozen", type=Path, help="the bundle's executable (dist/SpineAtlas/SpineAtlas) to time beside the source run")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="atlas-bench-"))
    db = args.db or build_corpus(ROOT / "content", ROOT / "images", work / "atlas.db", 1)
    big = build_corpus(ROOT / "content", ROOT / "images", work / "atlas-100x.db", 100)

    results = {
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()},
        "launch": bench_launch(db, 3 if args.quick else 7, args.frozen),
        "search": bench_search(db),
        "search_100x": bench_search(big),
        "window": bench_window_isolated(db, 30 if args.quick else 100),
        "live": bench_live(),
    }
    live = results["live"]
    rows = [
        ("Launch to first paint, atlas / bare PySide6", f"{results['launch']['atlas_ms']:.0f} / {results['launch']['bare_ms']:.0f} ms",
         f"{results['launch']['ratio']:.2f}x", f"<= {TARGETS['launch_ratio']}x", results["launch"]["ratio"] <= TARGETS["launch_ratio"]),
        ("Launch, bare window + Qt namespace / bare", f"{results['launch']['bare_qt_ms']:.0f} / {results['launch']['bare_ms']:.0f} ms",
         f"{results['launch']['bare_qt_ratio']:.2f}x", "report", True),
        *([("Launch, frozen bundle / source run", f"{results['launch']['frozen_ms']:.0f} / {results['launch']['atlas_ms']:.0f} ms",
            f"{results['launch']['frozen_ratio_to_source']:.2f}x", "report", True)] if args.frozen else []),
        ("Navigator click -> page and image painted", f"p50 {results['window']['p50_ms']:.1f} ms",
         f"p95 {results['window']['p95_ms']:.1f} ms", f"<= {TARGETS['navigation_p95_ms']:.0f} ms", results["window"]["p95_ms"] <= TARGETS["navigation_p95_ms"]),
        (f"Search as you type ({results['search']['pages']} pages)", f"p50 {results['search']['p50_ms']:.2f} ms",
         f"p95 {results['search']['p95_ms']:.2f} ms", f"<= {TARGETS['search_p95_ms']:.0f} ms", results["search"]["p95_ms"] <= TARGETS["search_p95_ms"]),
        (f"Search as you type, 100x corpus ({results['search_100x']['pages']} pages)", f"p50 {results['search_100x']['p50_ms']:.2f} ms",
         f"p95 {results['search_100x']['p95_ms']:.2f} ms", f"<= {TARGETS['search_100x_p95_ms']:.0f} ms",
         results["search_100x"]["p95_ms"] <= TARGETS["search_100x_p95_ms"]),
        ("RSS after visiting every page and step", f"{results['window']['rss_after_all_pages_mb']:.0f} MB",
         f"{results['window']['rss_growth_mb']:+.1f} MB over 100 more visits", f"<= {TARGETS['rss_mb']:.0f} MB, no growth",
         results["window"]["rss_after_all_pages_mb"] <= TARGETS["rss_mb"] and results["window"]["rss_growth_mb"] < 5),
    ]
    rows += [
        ("Virtual C-arm: frames while dragging (512²)", f"{live['drag_fps']:.1f} fps", f"p95 {live['drag_frame_p95_ms']:.0f} ms",
         ">= 15 fps", live["drag_fps"] >= 15),
        ("Virtual C-arm: release to full-quality still", f"{live['release_to_still_ms']:.0f} ms", "", "<= 500 ms",
         live["release_to_still_ms"] <= 500),
        ("CT scroller: slices per second", f"{live['ct_slices_per_s']:.1f} /s", "", ">= 30 /s", live["ct_slices_per_s"] >= 30),
        ("Open the C-arm panel (volume cached)", f"{live['open_panel_s']:.2f} s", "", "<= 1 s", live["open_panel_s"] <= 1.0),
        ("RSS with the C-arm panel open", f"{live['rss_mb']:.0f} MB", "", "<= 800 MB", live["rss_mb"] <= 800),
    ]
    results["table"] = [{"measure": r[0], "value": r[1], "detail": r[2], "target": r[3], "met": r[4]} for r in rows]
    print(f"{'measure':<52} {'value':<24} {'detail':<34} {'target':<22} met")
    for r in rows:
        print(f"{r[0]:<52} {r[1]:<24} {r[2]:<34} {r[3]:<22} {'yes' if r[4] else 'NO'}")
    print(f"(images available in this content: {results['window']['images_available']})")
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / "foundation.json"
    out.write_text(json.dumps(results, indent=2) + "\n")
    print(f"wrote {out.relative_to(ROOT)}")
    shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
