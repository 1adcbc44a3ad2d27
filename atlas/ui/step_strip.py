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
        """Show these steps, reusing the buttons already made (new buttons cost a style polish each)."""
        self.setUpdatesEnabled(False)
        checked = self.group.checkedButton()
        if checked is not None:  # an exclusive group keeps one checked: lift that while relabelling
            self.group.setExclusive(False)
            checked.setChecked(False)
            self.group.setExclusive(True)
        self.current = None
        self.empty.setVisible(not steps)
        for step in steps:
            button = self.buttons.get(step.number)
            if button is None:
                button = QPushButton()
                button.setCheckable(True)
                button.setObjectName("stepButton")
                self.group.addButton(button, step.number)
                self.flow.addWidget(button)
                self.buttons[step.number] = button
            title = step.title if len(step.title) <= MAX_TITLE else step.title[: MAX_TITLE - 1].rstrip() + "…"
            button.setText(f"{step.number}. {title}")
            button.setToolTip(f"Step {step.number}: {step.title}")
            button.setVisible(True)
        shown = {step.number for step in steps}
        for number, button in self.buttons.items():
            if number not in shown:
                button.setVisible(False)
        if self.buttons:  # room for two rows always: a strip that grew and shrank page by page reflowed the text below
            row = next(iter(self.buttons.values())).sizeHint().height()
            margins = self.flow.contentsMargins()
            self.setMinimumHeight(2 * row + self.flow.spacing() + margins.top() + margins.bottom())
        self.updateGeometry()
        self.setUpdatesEnabled(True)

    def select(self, number: int) -> None:
        button = self.buttons.get(number)
        if button is not None:
            button.setChecked(True)
            self.current = number
