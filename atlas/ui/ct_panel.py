"""CT controls: slice position, window/level presets (number keys, as Weasis and OHIF users expect)
and the distance tool."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import QGridLayout, QLabel, QPushButton, QSlider, QVBoxLayout, QWidget

# (name shown, phantom window name, (width, level)) in HU; key = position + 1
PRESETS = (
    ("Soft tissue", "soft-tissue", (400.0, 40.0)),
    ("Bone", "bone", (2000.0, 500.0)),
    ("Lung", "lung", (1500.0, -600.0)),
    ("Spine", "spine", (1000.0, 250.0)),  # the phantom's window names
)
SLICE_RANGE_MM = 60


class CtPanel(QWidget):
    sliceChanged = Signal(float)  # offset from the step's slice, mm
    windowChanged = Signal(object)  # (width, level)
    measureToggled = Signal(bool)
    planeChanged = Signal(str)  # "axial" | "oblique-needle" | the step's own plane

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setObjectName("ctPanel")
        self.window = PRESETS[0][2]
        self.slice = QSlider(Qt.Orientation.Horizontal)
        self.slice.setRange(-SLICE_RANGE_MM, SLICE_RANGE_MM)
        self.slice.setAccessibleName("Slice position")
        self.slice.valueChanged.connect(lambda v: self._slice_changed(float(v)))
        self.slice_label = QLabel()
        self.preset_buttons = []
        presets = QGridLayout()
        for i, (name, _key, wl) in enumerate(PRESETS):
            button = QPushButton(f"{i + 1}  {name}")
            button.setToolTip(f"W {wl[0]:g} / L {wl[1]:g} HU (key {i + 1})")
            button.clicked.connect(lambda _=False, wl=wl: self.set_window(wl))
            presets.addWidget(button, i // 2, i % 2)
            self.preset_buttons.append(button)
        self.window_label = QLabel()
        self.needle_plane = QPushButton("Slice along the needle (N)")
        self.needle_plane.setCheckable(True)
        self.needle_plane.setToolTip("Tilt the slice so it contains the whole planned needle, as a gantry tilt would")
        self.needle_plane.toggled.connect(lambda on: self.planeChanged.emit("oblique-needle" if on else ""))
        self.measure = QPushButton("Measure distance (M)")
        self.measure.setCheckable(True)
        self.measure.toggled.connect(self.measureToggled.emit)
        self.measure_result = QLabel("")
        self.measure_result.setObjectName("measureResult")
        help_text = QLabel("Wheel or Up/Down: next slice · Right-drag: window/level · Ctrl+wheel: zoom")
        help_text.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addWidget(QLabel("Slice (mm from the step's slice)"))
        layout.addWidget(self.slice)
        layout.addWidget(self.slice_label)
        layout.addLayout(presets)
        layout.addWidget(self.window_label)
        layout.addWidget(self.needle_plane)
        layout.addWidget(self.measure)
        layout.addWidget(self.measure_result)
        layout.addWidget(help_text)
        layout.addStretch(1)
        self._slice_changed(0.0, emit=False)
        self._show_window()

    def reset(self, window: tuple[float, float] | None = None, has_needle: bool = False, needle_plane: bool = False) -> None:
        self.needle_plane.blockSignals(True)
        self.needle_plane.setVisible(has_needle)
        self.needle_plane.setChecked(needle_plane)
        self.needle_plane.blockSignals(False)
        self.slice.blockSignals(True)
        self.slice.setValue(0)
        self.slice.blockSignals(False)
        self._slice_changed(0.0, emit=False)
        if window is not None:
            self.window = window
        self._show_window()
        self.measure.setChecked(False)
        self.measure_result.setText("")

    def step_slice(self, delta_mm: int) -> None:
        self.slice.setValue(self.slice.value() + delta_mm)

    def _slice_changed(self, value: float, emit: bool = True) -> None:
        self.slice_label.setText(f"{value:+.0f} mm")
        if emit:
            self.sliceChanged.emit(value)

    def offset(self) -> float:
        return float(self.slice.value())

    def set_window(self, wl: tuple[float, float]) -> None:
        width = max(1.0, float(wl[0]))
        self.window = (width, float(wl[1]))
        self._show_window()
        self.windowChanged.emit(self.window)

    def preset(self, index: int) -> bool:
        if 0 <= index < len(PRESETS):
            self.set_window(PRESETS[index][2])
            return True
        return False

    def _show_window(self) -> None:
        self.window_label.setText(f"Window {self.window[0]:.0f} / level {self.window[1]:.0f} HU")

    def show_measurement(self, mm: float | None) -> None:
        self.measure_result.setText("" if mm is None else f"<b>{mm:.1f} mm</b>")
