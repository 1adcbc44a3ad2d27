"""The app's look: Fusion with a calm dark chrome; pages stay black on white for reading."""

from __future__ import annotations

from PySide6.QtGui import QColor, QPalette
from PySide6.QtWidgets import QApplication

STYLESHEET = """
QToolBar { spacing: 6px; padding: 3px; }
QPushButton#approachChip { border: 1px solid #4a5058; border-radius: 10px; padding: 3px 10px; }
QPushButton#approachChip:checked { background: #ffb74d; color: #1b1b1b; border-color: #ffb74d; }
QPushButton#stepButton { padding: 6px 10px; border: 1px solid #4a5058; border-radius: 4px; }
QPushButton#stepButton:checked { background: #4fc3f7; color: #0d0f12; border-color: #4fc3f7; }
QLabel#noticeLabel { color: #ffcc80; }
QLabel#selectionLabel { font-weight: bold; }
QLabel#imageTitle { font-weight: bold; font-size: 11pt; }
QLabel#viewLabel { color: #9aa3ad; }
QLabel#hoverLabel { color: #ffe082; font-weight: bold; }
QLabel#viewerMessage { color: #c8ccd2; font-size: 12pt; background: #0d0f12; }
QListWidget::item { padding: 5px 2px; border-bottom: 1px solid #30353c; }
QTextBrowser { background: #fbfbf9; color: #1b1b1b; selection-background-color: #ffe082; }
"""


def apply_theme(app: QApplication) -> None:
    app.setStyle("Fusion")
    palette = QPalette()
    colours = {
        QPalette.ColorRole.Window: "#2a2e34",
        QPalette.ColorRole.WindowText: "#e3e6ea",
        QPalette.ColorRole.Base: "#1f2328",
        QPalette.ColorRole.AlternateBase: "#262a30",
        QPalette.ColorRole.Text: "#e3e6ea",
        QPalette.ColorRole.Button: "#343941",
        QPalette.ColorRole.ButtonText: "#e3e6ea",
        QPalette.ColorRole.Highlight: "#4fc3f7",
        QPalette.ColorRole.HighlightedText: "#0d0f12",
        QPalette.ColorRole.ToolTipBase: "#fdf6e3",
        QPalette.ColorRole.ToolTipText: "#1b1b1b",
        QPalette.ColorRole.PlaceholderText: "#8a9099",
        QPalette.ColorRole.Link: "#1f4e79",
    }
    for role, colour in colours.items():
        palette.setColor(role, QColor(colour))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.ButtonText, QColor("#6b7179"))
    palette.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText, QColor("#6b7179"))
    app.setPalette(palette)
    app.setStyleSheet(STYLESHEET)
