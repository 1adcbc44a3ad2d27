"""The technique steps of a page, in order; choosing one opens its image."""

from __future__ import annotations

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QButtonGroup, QLabel, QPushButton, QSizePolicy, QWidget

from atlas.model import Step
from atlas.ui.flow_layout import FlowLayout

MAX_TITLE = 30


class StepStrip(QWidget):
    """Numbered step buttons that wrap onto a second line rather than scroll."""

    stepSelected = Signal(int)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setAccessibleName("Technique steps")
        self.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        self.flow = FlowLayout(self, spacing=4)
        self.flow.setContentsMargins(4, 4, 4, 2)
        self.group = QButtonGroup(self)
        self.group.setExclusive(True)
        self.group.idClicked.connect(self.stepSelected.emit)
        self.buttons: dict[int, QPushButton] = {}
        self.empty = QLabel("This page has no technique steps.")
        self.empty.hide()  # shown once a page without steps is open
        self.flow.addWidget(self.empty)
        self.current: int | None = None

    def set_steps(self, steps: tuple[Step, ...]) -> None:
        for button in self.buttons.values():
            self.group.removeButton(button)
            self.flow.removeWidget(button)
            button.setParent(None)
            button.deleteLater()
        self.buttons = {}
        self.current = None
        self.empty.setVisible(not steps)
        for step in steps:
            title = step.title if len(step.title) <= MAX_TITLE else step.title[: MAX_TITLE - 1].rstrip() + "…"
            button = QPushButton(f"{step.number}. {title}")
            button.setCheckable(True)
            button.setToolTip(f"Step {step.number}: {step.title}")
            button.setObjectName("stepButton")
            self.group.addButton(button, step.number)
            self.flow.addWidget(button)
            self.buttons[step.number] = button
        self.updateGeometry()

    def select(self, number: int) -> None:
        button = self.buttons.get(number)
        if button is not None:
            button.setChecked(True)
            self.current = number
