"""Starting the app: QApplication, the content database, error dialogs."""

from __future__ import annotations

import os
import sys
import traceback
from pathlib import Path

from PySide6.QtCore import QSettings, QStandardPaths
from PySide6.QtWidgets import QApplication

from atlas import resources
from atlas.db.integrity import BackgroundCheck, verify
from atlas.db.repository import ContentDatabaseError, ContentRepository
from atlas.db.userdata import UserStore
from atlas.ui.theme import apply_theme

ORGANISATION, APPLICATION = "SpineAtlas", "Spine Atlas"


def application(argv: list[str] | None = None) -> QApplication:
    app = QApplication.instance()
    if app is None:
        # Fusion chosen on the command line, not with setStyle(): that call hands back the style object,
        # and wrapping it creates QStyle's eleven Python enums (about 5 ms) before the first paint
        args = list(argv if argv is not None else sys.argv[:1]) + ["-style", "Fusion"]
        app = QApplication(args)
        app.setOrganizationName(ORGANISATION)
        app.setApplicationName(APPLICATION)
        apply_theme(app)
    return app


def user_data_folder() -> Path:
    """The per-user folder (platform convention), or user-data/ beside a portable copy."""
    portable = resources.portable_folder()
    if portable is not None:
        return portable
    return Path(QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppDataLocation))


def user_settings() -> QSettings:
    if resources.portable_folder() is not None:
        return QSettings(str(user_data_folder() / "settings.ini"), QSettings.Format.IniFormat)
    return QSettings(QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION)


def open_user_store() -> UserStore:
    """The user's bookmarks, notes and study schedule; a damaged file is moved aside, with a message."""
    store = UserStore(user_data_folder() / "user.db")
    if store.moved_aside is not None:
        from PySide6.QtWidgets import QMessageBox

        QMessageBox.warning(
            None, "Spine Atlas",
            "Your bookmarks, notes and study file could not be read, so a new one was started.\n\n"
            f"The old file was kept here:\n{store.moved_aside}",
        )
    return store


def _install_excepthook() -> None:
    """An unexpected error shows a dialog (and goes to stderr) instead of killing the app silently."""

    def hook(kind, value, tb):
        text = "".join(traceback.format_exception(kind, value, tb))
        sys.stderr.write(text)
        if QApplication.instance() is not None:
            from PySide6.QtWidgets import QMessageBox

            QMessageBox.critical(
                None, "Spine Atlas",
                f"Something went wrong: {value}\n\nThe atlas keeps running; if this repeats, restart it.",
            )

    sys.excepthook = hook


def open_content(db_path: Path, pending: BackgroundCheck | None = None) -> tuple[ContentRepository | None, str]:
    """The verified content, or None and a message written for the user (``pending``: a check already under way)."""
    check = pending.result() if pending is not None else verify(db_path)
    if not check.ok:
        return None, check.message
    try:
        return ContentRepository(db_path), ""
    except ContentDatabaseError as exc:
        return None, str(exc)


def _report_first_paint(window) -> None:
    """Benchmark hook: print READY at the first paint of the page, then quit (bench/run.py times it)."""
    from PySide6.QtCore import QEvent, QObject, QTimer

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                obj.removeEventFilter(self)
                print("READY", flush=True)
                QTimer.singleShot(0, QApplication.instance().quit)
            return False

    window._first_paint_filter = FirstPaint(window)
    window.page_view.viewport().installEventFilter(window._first_paint_filter)


def run_app(db_path: Path, pending: BackgroundCheck | None = None) -> int:
    app = application()
    _install_excepthook()
    store = open_user_store()
    repo, problem = open_content(db_path, pending)
    if repo is None:
        from PySide6.QtWidgets import QMessageBox

        from atlas.ui.recovery import RecoveryWindow

        QMessageBox.critical(None, "Spine Atlas cannot open its content", problem)
        window = RecoveryWindow(problem, store)
        window.show()
        app.exec()
        return 1
    from atlas.ui.main_window import MainWindow

    window = MainWindow(repo, user_settings(), store)
    if os.environ.get("SPINE_ATLAS_BENCH_READY"):
        _report_first_paint(window)
    window.show()
    last = window.settings.value("session/page")
    if last:
        window.open_page(str(last))
    return app.exec()
