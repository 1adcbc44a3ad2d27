"""One launch, timed by the parent: prints READY at the first paint of the main window, then exits.

    python bench/launch_child.py bare
    python bench/launch_child.py atlas DB
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    kind = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                print("READY", flush=True)
                QTimer.singleShot(0, QApplication.instance().quit)
                obj.removeEventFilter(self)
            return False

    if kind == "bare":
        app = QApplication(sys.argv[:1])
        window = QMainWindow()
        window.setCentralWidget(QLabel("bare"))
        target = window.centralWidget()
    else:
        from PySide6.QtCore import QSettings

        from atlas.db.repository import ContentRepository
        from atlas.ui.app import application
        from atlas.ui.main_window import MainWindow

        app = application()
        settings = QSettings(os.path.join(os.path.dirname(sys.argv[2]), "bench-settings.ini"), QSettings.Format.IniFormat)
        window = MainWindow(ContentRepository(sys.argv[2]), settings)
        target = window.page_view.viewport()
    watcher = FirstPaint()
    target.installEventFilter(watcher)
    window.resize(1280, 800)
    window.show()
    app.exec()
    if kind != "bare":
        window.shutdown()
    return 0


if __name__ == "__main__":
    sys.exit(main())
