"""One bare launch, timed by the parent: prints READY at the first paint of the window, then exits.

    python bench/launch_child.py bare       a bare PySide6 main window
    python bench/launch_child.py bare-qt    the same, having loaded the Qt namespace first

(The app itself is timed as ``python -m atlas`` with SPINE_ATLAS_BENCH_READY set.)
"""

import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def main() -> int:
    kind = sys.argv[1]
    from PySide6.QtCore import QEvent, QObject, QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    if kind == "bare-qt":
        from PySide6.QtCore import Qt  # noqa: F401  (PySide6 creates the namespace's 93 enums here)

    class FirstPaint(QObject):
        def eventFilter(self, obj, event):  # noqa: N802
            if event.type() == QEvent.Type.Paint:
                print("READY", flush=True)
                QTimer.singleShot(0, QApplication.instance().quit)
                obj.removeEventFilter(self)
            return False

    app = QApplication(sys.argv[:1])
    window = QMainWindow()
    window.setCentralWidget(QLabel("bare"))
    watcher = FirstPaint()
    window.centralWidget().installEventFilter(watcher)
    window.resize(1280, 800)
    window.show()
    app.exec()
    return 0


if __name__ == "__main__":
    sys.exit(main())
