"""Running the window without a user: screenshots and the self-test."""

from __future__ import annotations

import json
import os
import platform
import sys
import tempfile
import time
from pathlib import Path

if not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtCore import QEventLoop, QSettings, QTimer, qInstallMessageHandler  # noqa: E402

from atlas import __version__  # noqa: E402
from atlas.db.repository import ContentDatabaseError, ContentRepository  # noqa: E402
from atlas.ui.app import application  # noqa: E402

WAIT_MS = 15000
_previous_handler = None


def _quiet_offscreen(kind, context, message) -> None:
    """The offscreen platform says it cannot resize windows to their size hints; that is expected here."""
    if "propagateSizeHints" in message:
        return
    if _previous_handler is not None:
        _previous_handler(kind, context, message)
    else:
        sys.stderr.write(message + "\n")


if os.environ.get("QT_QPA_PLATFORM") == "offscreen":
    _previous_handler = qInstallMessageHandler(_quiet_offscreen)


def wait_for(signal, timeout_ms: int = WAIT_MS, trigger=None) -> bool:
    """Run the event loop until ``signal`` fires (after calling ``trigger``), or time out."""
    loop = QEventLoop()
    fired = []

    def done(*_args):
        fired.append(True)
        loop.quit()

    signal.connect(done)
    timer = QTimer()
    timer.setSingleShot(True)
    timer.timeout.connect(loop.quit)
    timer.start(timeout_ms)
    if trigger is not None:
        trigger()
    if not fired:
        loop.exec()
    signal.disconnect(done)
    return bool(fired)


def _window(repo: ContentRepository, size: tuple[int, int]):
    from atlas.ui.main_window import MainWindow

    settings_file = Path(tempfile.mkdtemp(prefix="spine-atlas-")) / "settings.ini"
    window = MainWindow(repo, QSettings(str(settings_file), QSettings.Format.IniFormat))
    window.resize(*size)
    window.show()
    wait_for(window.viewerReady, trigger=window.ensure_viewer) if window.viewer is None else None
    return window


def _open(window, slug: str, step: int | None) -> bool:
    """Open a page (and step) and wait until its image (or its 'not yet available' notice) is shown."""
    page = window.repo.page(slug)
    if page is None:
        return False
    number = step or 1
    has_image = any(s.number == number and s.image_ids for s in page.steps)
    if has_image:
        return wait_for(window.viewer.imageShown, trigger=lambda: window.open_page(slug, number))
    return window.open_page(slug, number)


def screenshot(
    db_path: Path, slug: str, step: int | None, out: Path, size: tuple[int, int], level: str | None = None, approach: str | None = None
) -> int:
    app = application()
    try:
        repo = ContentRepository(db_path)
    except ContentDatabaseError as exc:
        print(f"spine-atlas: {exc}", file=sys.stderr)
        return 1
    page = repo.page(slug)
    if page is None:
        print(f"spine-atlas: no page {slug!r}", file=sys.stderr)
        return 1
    if step is not None and not any(s.number == step for s in page.steps):
        print(f"spine-atlas: page {slug!r} has {len(page.steps)} steps; there is no step {step}", file=sys.stderr)
        return 1
    window = _window(repo, size)
    try:
        if level:
            window.navigator.select_level(level)
        if approach:
            window.navigator.select_approach(approach)
        if not _open(window, slug, step):
            print(f"spine-atlas: page {slug!r} step {step} did not finish loading", file=sys.stderr)
            return 1
        for _ in range(3):
            app.processEvents()
        out.parent.mkdir(parents=True, exist_ok=True)
        if not window.grab().save(str(out), "PNG"):
            print(f"spine-atlas: could not write {out}", file=sys.stderr)
            return 1
    finally:
        window.shutdown()
        window.deleteLater()
        repo.close()
    print(f"wrote {out}")
    return 0


def check_virtual_carm(repo: ContentRepository, check) -> None:
    """The virtual C-arm's machinery works here: a low-resolution phantom renders a view at other angles."""
    import shutil

    target = None
    for slug in repo.slugs():
        for info in repo.page(slug).images:
            live = repo.live_spec(info.id) if info.available else None
            if live and live[0].get("modality") == "fluoroscopy":
                target = (info.id, live[0])
                break
        if target:
            break
    if target is None:
        check("virtual-carm", True, "no rendered fluoroscopy image in this content")
        return
    from atlas.live import Angles, LiveScene
    from atlas.phantom import Phantom

    cache = Path(tempfile.mkdtemp(prefix="spine-atlas-selftest-"))
    try:
        image_id, spec = target
        scene = LiveScene(spec, phantom=Phantom.load(spec["region"], cache, quality="test", mouth=spec.get("mouth")), size=128)
        angles = scene.recommended()
        frame = scene.fluoro_frame(Angles(angles.position, angles.oblique + 10, angles.craniocaudal))
        check("virtual-carm", frame.pixels.shape == (128, 128) and frame.pixels.std() > 0, f"{image_id} re-rendered at +10°")
    finally:
        shutil.rmtree(cache, ignore_errors=True)


def self_test(db_path: Path, report: Path | None) -> int:
    checks: list[dict] = []

    def check(name: str, ok: bool, detail: str = "") -> bool:
        checks.append({"name": name, "ok": bool(ok), "detail": detail})
        return ok

    started = time.perf_counter()
    window = repo = None
    try:
        app = application()
        check("qt", True, f"platform {app.platformName()}")
        from atlas.db.integrity import verify

        integrity = verify(db_path)
        check("integrity", integrity.ok, integrity.message)
        try:
            repo = ContentRepository(db_path)
            info = repo.info()
            check("content", info.pages > 0, f"{info.pages} pages, {info.images} images, content {info.content_version}")
        except ContentDatabaseError as exc:
            check("content", False, str(exc))
            raise
        window = _window(repo, (1280, 800))
        check("window", window.isVisible() and window.viewer is not None, "main window and image viewer created")
        target = None
        for slug in repo.slugs():
            page = repo.page(slug)
            for step in page.steps:
                infos = [i for i in page.images if i.id in step.image_ids and i.available]
                if infos:
                    target = (slug, step.number, infos[0].id)
                    break
            if target:
                break
        if check("page-with-image", target is not None, str(target)):
            slug, number, image_id = target
            shown = _open(window, slug, number)
            check("visit-page", shown and window.page is not None and window.page.slug == slug, slug)
            viewer = window.viewer
            image = viewer.image
            rendered = image is not None and image.info.id == image_id and viewer.image_item.image is not None
            check("render-image", rendered, image_id)
            overlay_items = sum(len(v) for v in viewer.overlay.items.values())
            check("overlays", image is not None and overlay_items >= len(image.annotations) > 0, f"{overlay_items} overlay items")
            grab = window.grab()
            check("paint", not grab.isNull() and grab.width() > 0, f"{grab.width()}x{grab.height()}")
        hits = repo.search("needle")
        check("search", isinstance(hits, list), f"{len(hits)} hits for 'needle'")
        check_virtual_carm(repo, check)
    except Exception as exc:  # the self-test reports, it does not crash
        check("exception", False, f"{type(exc).__name__}: {exc}")
    finally:
        if window is not None:
            window.shutdown()
            window.deleteLater()
        if repo is not None:
            repo.close()
    ok = all(c["ok"] for c in checks)
    result = {
        "ok": ok,
        "checks": checks,
        "seconds": round(time.perf_counter() - started, 3),
        "version": __version__,
        "python": platform.python_version(),
        "frozen": bool(getattr(sys, "frozen", False)),
    }
    if report is not None:
        report.parent.mkdir(parents=True, exist_ok=True)
        report.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    for c in checks:
        print(f"{'ok  ' if c['ok'] else 'FAIL'} {c['name']}: {c['detail']}")
    return 0 if ok else 1
