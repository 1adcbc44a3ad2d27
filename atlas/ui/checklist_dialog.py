"""The pre-procedure checklist on screen: tick, then reset for the next case. Nothing is stored."""

from __future__ import annotations

import html

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QCheckBox, QDialog, QHBoxLayout, QLabel, QPushButton, QScrollArea, QVBoxLayout, QWidget

from atlas.checklist import ChecklistItem


class ChecklistDialog(QDialog):
    changed = Signal(int, int)  # ticked, total

    def __init__(self, title: str, items: list[ChecklistItem], parent=None):
        super().__init__(parent)
        self.setWindowTitle(f"Checklist — {title}")
        self.resize(640, 720)
        self.boxes: dict[str, QCheckBox] = {}
        body = QWidget()
        rows = QVBoxLayout(body)
        heading = QLabel(f"<h3>{html.escape(title)}</h3><p>Tick each item for this case. Ticks are not saved.</p>")
        heading.setWordWrap(True)
        rows.addWidget(heading)
        for item in items:
            box = QCheckBox(("⚠ " if item.safety else "") + item.text)
            box.setStyleSheet("QCheckBox { font-weight: bold; }")
            box.toggled.connect(self._changed)
            rows.addWidget(box)
            if item.detail:
                detail = QLabel(item.detail)
                detail.setTextFormat(Qt.TextFormat.PlainText)
                detail.setWordWrap(True)
                detail.setContentsMargins(26, 0, 0, 8)
                rows.addWidget(detail)
            self.boxes[item.key] = box
        rows.addStretch(1)
        scroll = QScrollArea()
        scroll.setWidget(body)
        scroll.setWidgetResizable(True)
        self.status = QLabel()
        reset = QPushButton("Reset for next case")
        reset.clicked.connect(self.reset)
        close = QPushButton("Close")
        close.clicked.connect(self.accept)
        bottom = QHBoxLayout()
        bottom.addWidget(self.status, 1)
        bottom.addWidget(reset)
        bottom.addWidget(close)
        layout = QVBoxLayout(self)
        layout.addWidget(scroll, 1)
        layout.addLayout(bottom)
        self._changed()

    def ticked(self) -> int:
        return sum(box.isChecked() for box in self.boxes.values())

    def _changed(self) -> None:
        total = len(self.boxes)
        done = self.ticked()
        self.status.setText(f"{done} of {total} done" + (" — ready" if done == total else ""))
        self.changed.emit(done, total)

    def reset(self) -> None:
        for box in self.boxes.values():
            box.setChecked(False)
