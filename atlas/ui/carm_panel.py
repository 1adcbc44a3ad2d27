"""The virtual C-arm's controls: oblique and cranio-caudal angles, patient position, a diagram,
"reset to this step's view" and the step's teaching prompt with its check."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QPainter, QPainterPath, QPen
from PySide6.QtWidgets import (
    QComboBox, QDoubleSpinBox, QGridLayout, QLabel, QPushButton, QSizePolicy, QSlider, QVBoxLayout, QWidget,
)

from atlas.live import Angles, PromptResult

POSITIONS = {
    "prone": "Prone",
    "supine": "Supine",
    "lateral-decubitus-left": "Left side down",
    "lateral-decubitus-right": "Right side down",
}
SETTLE_MS = 220  # after the last change, ask for a full-quality still


class CarmDiagram(QWidget):
    """Two small views of the C-arm around the patient: axial (oblique) and sagittal (tilt).

    The convention drawn is the atlas's one: oblique + = detector to the patient's right,
    cranio-caudal + = detector to the head (beam cephalad).
    """

    def __init__(self, parent=None):
        super().__init__(parent)
        self.angles = Angles("prone", 0.0, 0.0)
        self.setMinimumSize(220, 110)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.setToolTip("Left: seen from the feet; + oblique turns the detector towards the patient's right.\n"
                        "Right: seen from the side; + cranio-caudal tilts the detector towards the head (beam travelling cephalad).\n"
                        "Blue box: detector; orange dot: X-ray tube.")

    def set_angles(self, angles: Angles) -> None:
        self.angles = angles
        self.update()

    def paintEvent(self, event):  # noqa: N802
        p = QPainter(self)
        p.setRenderHint(QPainter.RenderHint.Antialiasing)
        w, h = self.width(), self.height()
        font = QFont(self.font())
        font.setPointSizeF(max(7.0, font.pointSizeF() - 1.5))
        p.setFont(font)
        fg = self.palette().windowText().color()
        half = w / 2
        self._axial(p, QRectF(0, 0, half, h), fg)
        self._sagittal(p, QRectF(half, 0, half, h), fg)
        p.end()

    def _arm(self, p: QPainter, cx: float, cy: float, r: float, angle_deg: float) -> None:
        """Detector (box) on one side, tube (dot) opposite, joined by the arc; angle from 'detector up'."""
        a = math.radians(angle_deg)
        dx, dy = math.sin(a), -math.cos(a)
        det = QPointF(cx + r * dx, cy + r * dy)
        tube = QPointF(cx - r * dx, cy - r * dy)
        p.setPen(QPen(QColor("#4fc3f7"), 1.5, Qt.PenStyle.DashLine))
        p.drawLine(tube, det)
        p.setPen(QPen(QColor("#9aa3ad"), 2))
        path = QPainterPath()
        path.arcMoveTo(QRectF(cx - r, cy - r, 2 * r, 2 * r), 90 - angle_deg)
        path.arcTo(QRectF(cx - r, cy - r, 2 * r, 2 * r), 90 - angle_deg, -180)
        p.drawPath(path)
        p.setBrush(QColor("#4fc3f7"))
        p.setPen(Qt.PenStyle.NoPen)
        p.save()
        p.translate(det)
        p.rotate(angle_deg)
        p.drawRect(QRectF(-9, -4, 18, 8))
        p.restore()
        p.setBrush(QColor("#ffb74d"))
        p.drawEllipse(tube, 4, 4)

    def _axial(self, p: QPainter, rect: QRectF, fg: QColor) -> None:
        cx, cy, r = rect.center().x(), rect.center().y() + 6, min(rect.width(), rect.height()) * 0.36
        p.setPen(QPen(fg, 1))
        p.setBrush(QColor(fg.red(), fg.green(), fg.blue(), 40))
        p.drawEllipse(QPointF(cx, cy), r * 0.55, r * 0.32)
        prone = self.angles.position == "prone"
        p.drawText(QRectF(cx - r, cy - r * 0.32 - 14, 2 * r, 12), Qt.AlignmentFlag.AlignCenter, "back" if prone else "front")
        p.drawText(QRectF(cx - r - 4, cy - 6, 20, 12), Qt.AlignmentFlag.AlignLeft, "L" if prone else "R")
        p.drawText(QRectF(cx + r - 14, cy - 6, 20, 12), Qt.AlignmentFlag.AlignLeft, "R" if prone else "L")
        # viewed from the feet with the back up (prone): the patient's right is on the viewer's right
        sign = 1 if prone else -1
        self._arm(p, cx, cy, r, sign * self.angles.oblique)
        p.setPen(QPen(fg, 1))
        side = "right" if self.angles.oblique > 0 else "left" if self.angles.oblique < 0 else ""
        p.drawText(QRectF(rect.left(), rect.top(), rect.width(), 14), Qt.AlignmentFlag.AlignCenter,
                   f"{abs(self.angles.oblique):.0f}° {side} oblique".replace("  ", " "))

    def _sagittal(self, p: QPainter, rect: QRectF, fg: QColor) -> None:
        cx, cy, r = rect.center().x(), rect.center().y() + 6, min(rect.width(), rect.height()) * 0.36
        p.setPen(QPen(fg, 1))
        p.setBrush(QColor(fg.red(), fg.green(), fg.blue(), 40))
        p.drawRoundedRect(QRectF(cx - r * 0.9, cy - r * 0.16, r * 1.8, r * 0.32), 4, 4)
        p.drawText(QRectF(cx - r - 6, cy + r * 0.2, 40, 12), Qt.AlignmentFlag.AlignLeft, "head")
        p.drawText(QRectF(cx + r - 22, cy + r * 0.2, 40, 12), Qt.AlignmentFlag.AlignLeft, "feet")
        self._arm(p, cx, cy, r, -self.angles.craniocaudal)
        p.setPen(QPen(fg, 1))
        word = "cranial" if self.angles.craniocaudal >= 0 else "caudal"
        p.drawText(QRectF(rect.left(), rect.top(), rect.width(), 14), Qt.AlignmentFlag.AlignCenter,
                   f"{abs(self.angles.craniocaudal):.0f}° {word}")


class CarmPanel(QWidget):
    """Emits :attr:`anglesChanged` (angles, interactive) as the user moves; interactive frames may be fast."""

    anglesChanged = Signal(object, bool)
    resetRequested = Signal()

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("carmPanel")
        self.recommended = Angles("prone", 0.0, 0.0)
        self._updating = False

        self.oblique = QSlider(Qt.Orientation.Horizontal)
        self.oblique.setRange(-90, 90)
        self.oblique.setAccessibleName("Oblique angle")
        self.cranial = QSlider(Qt.Orientation.Horizontal)
        self.cranial.setRange(-40, 40)
        self.cranial.setAccessibleName("Cranio-caudal angle")
        for slider in (self.oblique, self.cranial):
            slider.setSingleStep(1)
            slider.setPageStep(5)
            slider.setTickInterval(10)
            slider.setTickPosition(QSlider.TickPosition.TicksBelow)
            slider.valueChanged.connect(self._slider_moved)
            slider.sliderReleased.connect(self._settle)
        self.oblique_box = QDoubleSpinBox()
        self.oblique_box.setRange(-90, 90)
        self.cranial_box = QDoubleSpinBox()
        self.cranial_box.setRange(-40, 40)
        for box in (self.oblique_box, self.cranial_box):
            box.setDecimals(1)
            box.setSuffix("°")
            box.setKeyboardTracking(False)
            box.valueChanged.connect(self._typed)
        self.position = QComboBox()
        for key, text in POSITIONS.items():
            self.position.addItem(text, key)
        self.position.currentIndexChanged.connect(lambda _i: self._emit(False))
        self.reset_button = QPushButton("Reset to this step's view")
        self.reset_button.clicked.connect(self.reset)
        self.diagram = CarmDiagram()
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setObjectName("carmPrompt")
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.status.setObjectName("carmStatus")

        grid = QGridLayout()
        grid.addWidget(QLabel("Oblique (+ detector to patient's right)"), 0, 0, 1, 2)
        grid.addWidget(self.oblique, 1, 0)
        grid.addWidget(self.oblique_box, 1, 1)
        grid.addWidget(QLabel("Cranio-caudal (+ detector to head)"), 2, 0, 1, 2)
        grid.addWidget(self.cranial, 3, 0)
        grid.addWidget(self.cranial_box, 3, 1)
        grid.addWidget(QLabel("Patient"), 4, 0)
        grid.addWidget(self.position, 4, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(grid)
        layout.addWidget(self.diagram)
        layout.addWidget(self.reset_button)
        layout.addWidget(self.prompt)
        layout.addWidget(self.status)
        layout.addStretch(1)

        self._settle_timer = QTimer(self)
        self._settle_timer.setSingleShot(True)
        self._settle_timer.setInterval(SETTLE_MS)
        self._settle_timer.timeout.connect(self._settle)

    # -- state -----------------------------------------------------------------

    def angles(self) -> Angles:
        return Angles(self.position.currentData(), float(self.oblique_box.value()), float(self.cranial_box.value()))

    def set_angles(self, angles: Angles, emit: bool = True) -> None:
        self._updating = True
        index = self.position.findData(angles.position)
        self.position.setCurrentIndex(max(index, 0))
        self.oblique.setValue(round(angles.oblique))
        self.cranial.setValue(round(angles.craniocaudal))
        self.oblique_box.setValue(angles.oblique)
        self.cranial_box.setValue(angles.craniocaudal)
        self._updating = False
        self.diagram.set_angles(self.angles())
        if emit:
            self._emit(False)

    def set_step(self, recommended: Angles, prompt_text: str | None) -> None:
        self.recommended = recommended
        self.prompt.setText(f"<b>Try:</b> {prompt_text}" if prompt_text else "")
        self.prompt.setVisible(bool(prompt_text))
        self.status.setText("")
        self.set_angles(recommended, emit=False)

    def reset(self) -> None:
        self.set_angles(self.recommended)
        self.resetRequested.emit()

    def nudge(self, d_oblique: float, d_cranial: float, interactive: bool = True) -> None:
        a = self.angles()
        self.set_angles(Angles(a.position, a.oblique + d_oblique, a.craniocaudal + d_cranial).clamp(), emit=False)
        self._emit(interactive)

    def show_prompt_result(self, result: PromptResult | None) -> None:
        if result is None:
            self.status.setText("")
            return
        colour = "#3ddc84" if result.ok else "#ffb74d"
        self.status.setText(f"<span style='color:{colour}'><b>{'✓' if result.ok else '…'}</b> {result.message}</span>")

    # -- events ----------------------------------------------------------------

    def _slider_moved(self, _value: int) -> None:
        if self._updating:
            return
        self._updating = True
        self.oblique_box.setValue(self.oblique.value())
        self.cranial_box.setValue(self.cranial.value())
        self._updating = False
        self._emit(self.oblique.isSliderDown() or self.cranial.isSliderDown())

    def _typed(self, _value: float) -> None:
        if self._updating:
            return
        self._updating = True
        self.oblique.setValue(round(self.oblique_box.value()))
        self.cranial.setValue(round(self.cranial_box.value()))
        self._updating = False
        self._emit(False)

    def _emit(self, interactive: bool) -> None:
        if self._updating:
            return
        angles = self.angles()
        self.diagram.set_angles(angles)
        self.anglesChanged.emit(angles, interactive)
        if interactive:
            self._settle_timer.start()

    def _settle(self) -> None:
        self._settle_timer.stop()
        self.anglesChanged.emit(self.angles(), False)
