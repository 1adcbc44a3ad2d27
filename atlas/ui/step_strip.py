"""The technique steps of a page, in order; choosing one opens its image."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QButtonGroup, QHBoxLayout, QLabel, QPushButton, QScrollArea, QWidget

from atlas.model import Step


class StepStrip(QScrollArea):
    stepSelected = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setWidgetResizable(True)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setFixedHeight(64)
        self.setAccessibleName("Technique steps")
        self.inner = QWidget()
        self.row = QHBoxLayout(self.inner)
        self.row.setContentsMargins(4, 2, 4, 2)
        self.setWidget(self.inner)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.idClicked.connect(self.stepSelected.emit)
        self.buttons: dict[int, QPushButton] = {}
        self.current: int | None = None
        self.set_steps(())

    def set_steps(self, steps: tuple[Step, ...]) -> None:
        for button in self.buttons.values():
            self.group.removeButton(button)
            button.deleteLater()
        while self.row.count():
            item = self.row.takeAt(0)
            if item.widget() is not None:
                item.widget().deleteLater()
        self.buttons = {}
        self.current = None
        if not steps:
            self.row.addWidget(QLabel("This page has no technique steps."))
            return
        for step in steps:
            title = step.title if len(step.title) <= 34 else step.title[:32] + "…"
            button = QPushButton(f"{step.number}  {title}")
            button.setCheckable(True)
            button.setToolTip(step.title)
            button.setObjectName("stepButton")
            self.group.addButton(button, step.number)
            self.row.addWidget(button)
            self.buttons[step.number] = button
        self.row.addStretch(1)

    def select(self, number: int) -> None:
        button = self.buttons.get(number)
        if button is not None:
            button.setChecked(True)
            self.current = number
            self.ensureWidgetVisible(button)
