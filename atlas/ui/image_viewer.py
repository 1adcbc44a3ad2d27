"""The image viewer: zoom, pan, fit, layer toggles with a legend, names on hover.

Importing this module imports pyqtgraph (~0.3 s), so the main window creates
the viewer after its first paint.
"""

from __future__ import annotations

import numpy as np
from atlas.ui.plotting import pg
from PySide6.QtCore import QPointF, Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from atlas.annotations import hit_test
from atlas.model import AtlasImage, ImageInfo
from atlas.ui.overlays import AnnotationOverlay


HOVER_TOLERANCE_PX = 9


class ImageViewer(QWidget):
    imageShown = Signal(str)  # image id, once pixels and overlays are on screen
    structureHovered = Signal(str)  # name under the pointer ("" when none)
    imageChosen = Signal(str)  # the user picked another image of the step

    def __init__(self, parent=None):
        super().__init__(parent)
        self.image: AtlasImage | None = None
        self.setAccessibleName("Image viewer")

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.ci.setContentsMargins(0, 0, 0, 0)
        self.view = self.graphics.addViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.view.setMouseMode(pg.ViewBox.PanMode)
        self.image_item = pg.ImageItem()
        self.view.addItem(self.image_item)
        self.overlay = AnnotationOverlay(self.image_item)
        self.graphics.scene().sigMouseMoved.connect(self._mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._mouse_clicked)

        self.message = QLabel()
        self.message.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.message.setWordWrap(True)
        self.message.setObjectName("viewerMessage")
        self.stack = QStackedWidget()
        self.stack.addWidget(self.message)
        self.stack.addWidget(self.graphics)

        self.title = QLabel()
        self.title.setObjectName("imageTitle")
        self.title.setWordWrap(True)
        self.chooser = QComboBox()
        self.chooser.setAccessibleName("Images of this step")
        self.chooser.activated.connect(lambda i: self.imageChosen.emit(self.chooser.itemData(i)))
        self.chooser.hide()
        self.fit_button = QPushButton("Fit")
        self.fit_button.setToolTip("Fit the image to the window")
        self.fit_button.clicked.connect(self.fit)
        self.labels_box = QCheckBox("Labels")
        self.labels_box.setChecked(True)
        self.labels_box.toggled.connect(self.overlay.set_labels_visible)
        self.hover_label = QLabel(" ")
        self.hover_label.setObjectName("hoverLabel")
        self.view_label = QLabel()
        self.view_label.setObjectName("viewLabel")
        self.view_label.setWordWrap(True)

        self.legend = QWidget()
        self.legend_layout = QHBoxLayout(self.legend)
        self.legend_layout.setContentsMargins(0, 0, 0, 0)
        self.layer_boxes: dict[str, QCheckBox] = {}

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.chooser)
        top.addWidget(self.fit_button)
        bottom = QHBoxLayout()
        bottom.addWidget(self.legend, 1)
        bottom.addWidget(self.labels_box)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 4, 4, 4)
        layout.addLayout(top)
        layout.addWidget(self.view_label)
        layout.addWidget(self.stack, 1)
        layout.addLayout(bottom)
        layout.addWidget(self.hover_label)
        self.show_message("Choose a level and a page; the step images appear here.")

    # -- content ----------------------------------------------------------

    def set_choices(self, infos: list[ImageInfo], current: str | None) -> None:
        self.chooser.clear()
        for info in infos:
            self.chooser.addItem(info.title, info.id)
        self.chooser.setVisible(len(infos) > 1)
        if current is not None:
            index = self.chooser.findData(current)
            if index >= 0:
                self.chooser.setCurrentIndex(index)

    def show_message(self, text: str) -> None:
        self.image = None
        self.overlay.clear()
        self.image_item.clear()
        self._rebuild_legend()
        self.title.setText("")
        self.view_label.setText("")
        self.message.setText(text)
        self.stack.setCurrentWidget(self.message)

    def show_pending(self, info: ImageInfo) -> None:
        self.show_message(f"Image not yet available\n\n{info.title}\n{info.view}")
        self.title.setText(info.title)
        self.imageShown.emit(info.id)

    def show_image(self, image: AtlasImage, pixels: np.ndarray, visible_layers: set[str] | None = None) -> None:
        self.image = image
        self.title.setText(image.info.title)
        self.view_label.setText(image.info.view)
        levels = (0, 255)
        self.image_item.setImage(pixels, levels=levels if pixels.ndim == 2 else None, autoLevels=False)
        self.overlay.draw(image.annotations, image.layers, visible_layers)
        self._rebuild_legend()
        self.stack.setCurrentWidget(self.graphics)
        self.fit()
        self.hover_label.setText("Hover over a structure to see its name")
        self.imageShown.emit(image.info.id)

    def _rebuild_legend(self) -> None:
        for box in self.layer_boxes.values():
            self.legend_layout.removeWidget(box)
            box.deleteLater()
        self.layer_boxes = {}
        for name, style in sorted(self.overlay.styles.items(), key=lambda kv: kv[1].z):
            box = QCheckBox(f"■ {style.label}")
            box.setStyleSheet(f"QCheckBox {{ color: {style.colour}; font-weight: bold; }}")
            box.setChecked(self.overlay.visible.get(name, True))
            box.setToolTip(f"Show or hide the {style.label.lower()} layer")
            box.toggled.connect(lambda checked, n=name: self.set_layer_visible(n, checked))
            self.legend_layout.addWidget(box)
            self.layer_boxes[name] = box
        self.legend_layout.addStretch(0)

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        self.overlay.set_layer_visible(layer, visible)
        box = self.layer_boxes.get(layer)
        if box is not None and box.isChecked() != visible:
            box.blockSignals(True)
            box.setChecked(visible)
            box.blockSignals(False)

    def fit(self) -> None:
        if self.image is not None:
            self.view.autoRange(padding=0.01, items=[self.image_item])

    # -- pointer ----------------------------------------------------------

    def structure_at(self, x: float, y: float) -> str:
        """Name of the labelled structure at image pixel (x, y), or ''."""
        if self.image is None:
            return ""
        pixel_size = self.view.viewPixelSize()[0] or 1.0
        hit = hit_test(self.image.annotations, x, y, HOVER_TOLERANCE_PX * pixel_size, self.overlay.visible_layers())
        return hit.label if hit else ""

    def _image_point(self, scene_pos) -> QPointF:
        return self.image_item.mapFromScene(scene_pos)

    def _mouse_moved(self, scene_pos) -> None:
        if self.image is None:
            return
        p = self._image_point(scene_pos)
        name = self.structure_at(p.x(), p.y())
        self.hover_label.setText(name or " ")
        self.structureHovered.emit(name)

    def _mouse_clicked(self, event) -> None:
        if self.image is None:
            return
        p = self._image_point(event.scenePos())
        name = self.structure_at(p.x(), p.y())
        if name:
            self.hover_label.setText(f"Selected: {name}")
