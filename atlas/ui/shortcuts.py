"""The shortcut sheet (F1 or ?): every action and its keys, by menu."""

from __future__ import annotations

import html

from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QLabel, QScrollArea, QVBoxLayout

MOUSE = [
    ("Zoom the image", "mouse wheel"),
    ("Pan the image", "drag"),
    ("Name a structure", "hover or click it"),
    ("Type a level", "in the level box: L45, C7T1, S1, lumbar"),
]


def sheet_html(menus: dict) -> str:
    rows = []
    for title, menu in menus.items():
        rows.append(f"<tr><td colspan='2'><h3>{html.escape(title)}</h3></td></tr>")
        for action in menu.actions():
            if action.isSeparator():
                continue
            keys = ", ".join(dict.fromkeys(s.toString(QKeySequence.SequenceFormat.NativeText) for s in action.shortcuts()))
            rows.append(f"<tr><td>{html.escape(action.text().replace('&', ''))}</td><td><b>{html.escape(keys)}</b></td></tr>")
    rows.append("<tr><td colspan='2'><h3>Mouse</h3></td></tr>")
    rows += [f"<tr><td>{html.escape(a)}</td><td><b>{html.escape(b)}</b></td></tr>" for a, b in MOUSE]
    return "<table cellpadding='3'>" + "".join(rows) + "</table>"


class ShortcutSheet(QDialog):
    def __init__(self, menus: dict, parent=None):
        super().__init__(parent)
        self.setWindowTitle("Keyboard shortcuts")
        self.resize(520, 640)
        self.text = QLabel(sheet_html(menus))
        self.text.setWordWrap(True)
        scroll = QScrollArea()
        scroll.setWidget(self.text)
        scroll.setWidgetResizable(True)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll)
        layout.addWidget(buttons)
