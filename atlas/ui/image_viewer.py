"""The image viewer: zoom, pan, fit, layer toggles with a legend, names on hover.

Importing this module imports pyqtgraph (~0.3 s), so the main window creates
the viewer after its first paint.
"""

from __future__ import annotations

import numpy as np
from atlas.ui.plotting import ImageItem, pg
from PySide6.QtCore import QEvent, QPointF, Qt, Signal
from PySide6.QtGui import QColor, QFont
from PySide6.QtWidgets import (
    QCheckBox, QComboBox, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from atlas.annotations import hit_test
from atlas.label_layout import Placed
from atlas.model import AtlasImage, ImageInfo
from atlas.ui.flow_layout import FlowLayout
from atlas.ui.overlays import AnnotationOverlay, Label


HOVER_TOLERANCE_PX = 9


class ImageViewer(QWidget):
    imageShown = Signal(str)  # image id, once pixels and overlays are on screen
    structureHovered = Signal(str)  # name under the pointer ("" when none)
    imageChosen = Signal(str)  # the user picked another image of the step
    frameShown = Signal(object)  # a live frame's key (angles, or CT slice and window) once on screen
    angleDrag = Signal(float, float)  # Shift+drag in C-arm mode: degrees oblique, degrees cranio-caudal
    sliceWheel = Signal(int)  # wheel in CT mode: slices
    windowDrag = Signal(float, float)  # right-drag in CT mode: change of width, change of level (HU)
    measured = Signal(object)  # CT distance tool: ((x0, y0), (x1, y1)) in image pixels

    def __init__(self, parent=None):
        super().__init__(parent)
        self.image: AtlasImage | None = None
        self.setAccessibleName("Image viewer")

        self.graphics = pg.GraphicsLayoutWidget()
        self.graphics.ci.setContentsMargins(0, 0, 0, 0)
        self.view = self.graphics.addViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.view.setMouseMode(pg.ViewBox.PanMode)
        self.image_item = ImageItem()
        self.view.addItem(self.image_item)
        self.overlay = AnnotationOverlay(self.image_item)
        self._edge_items: dict[str, Label] = {}  # orientation letter per image edge
        self.graphics.scene().sigMouseMoved.connect(self._mouse_moved)
        self.graphics.scene().sigMouseClicked.connect(self._mouse_clicked)
        self.view.sigRangeChanged.connect(lambda *_: self.arrange_labels())
        self.mode = "normal"  # "carm" or "ct" while the virtual C-arm or CT scroller drives the image
        self.measuring = False
        self._measure_points: list[tuple[float, float]] = []
        self._measure_item = None
        self._drag_from = None
        self.graphics.viewport().installEventFilter(self)

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
        self.live_button = QPushButton("Turn the C-arm")
        self.live_button.setToolTip("Re-render this view from the phantom at other angles (C)")
        self.live_button.setCheckable(True)
        self.live_button.hide()
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
        # wraps onto a second line rather than widening the viewer: a wider minimum would make the
        # splitter move and lay the page out again whenever an image with more layers is shown
        self.legend_layout = FlowLayout(self.legend, spacing=10)
        self.layer_boxes: dict[str, QCheckBox] = {}
        self._legend_layers: list[tuple[str, str, str]] | None = None  # what the boxes on show were made for
        self._legend_boxes: dict[tuple[str, str, str], QCheckBox] = {}  # (layer, label, colour) -> its box

        top = QHBoxLayout()
        top.addWidget(self.title, 1)
        top.addWidget(self.chooser)
        top.addWidget(self.live_button)
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
        self._reserve_header_lines()

    HEADER_LINES = 2  # the title and the view line keep room for two lines each, the legend for two rows

    def _reserve_header_lines(self) -> None:
        """Keep the image's height the same from one image to the next: a title, view line or legend
        that wraps onto a second line would otherwise shrink the image and lay the viewer out again."""
        for label in (self.title, self.view_label):
            label.ensurePolished()
            label.setMinimumHeight(label.fontMetrics().lineSpacing() * self.HEADER_LINES + 2 * label.margin() + 2)
        self.labels_box.ensurePolished()
        row = self.labels_box.sizeHint().height()
        self.legend.setMinimumHeight(row * self.HEADER_LINES + self.legend_layout.spacing() * (self.HEADER_LINES - 1))

    def changeEvent(self, event):  # noqa: N802
        super().changeEvent(event)
        if event.type() in (QEvent.Type.StyleChange, QEvent.Type.FontChange):
            self._reserve_header_lines()

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
        self._draw_edge_letters(image.info.meta_json)
        self._rebuild_legend()
        self.stack.setCurrentWidget(self.graphics)
        self.fit()
        self.hover_label.setText("Hover over a structure to see its name")
        self.imageShown.emit(image.info.id)

    def _draw_edge_letters(self, meta_json: str) -> None:
        """R/L (and H/F, A/P) at the image edges, so the side is never in doubt."""
        from atlas.orientation import edge_letters

        letters = edge_letters(meta_json) if self.image_item.image is not None else {}
        items = self._edge_items
        font = QFont(self.font())
        font.setBold(True)
        font.setPointSizeF(font.pointSizeF() + 1)
        w, h = self.image_item.width() or 0, self.image_item.height() or 0
        spots = {"left": ((6, h / 2), (0, 0.5)), "right": ((w - 6, h / 2), (1, 0.5)),
                 "top": ((w / 2, 6), (0.5, 0)), "bottom": ((w / 2, h - 6), (0.5, 1))}
        for edge, ((x, y), anchor) in spots.items():
            letter = letters.get(edge)
            item = items.get(edge)
            if letter is None:
                if item is not None:
                    item.setVisible(False)
                continue
            if item is None:  # made once per edge, then only moved and relabelled
                item = items[edge] = Label(letter, QColor("#ffffff"), self.image_item, font)
                item.setZValue(90)
            elif item.toPlainText() != letter or item.text_item.font() != font:
                item.set_text(letter, QColor("#ffffff"), font)
            item.setAnchor(anchor)
            item.setPos(x, y)
            item.setVisible(True)

    def _rebuild_legend(self) -> None:
        layers = [(name, style.label, style.colour) for name, style in sorted(self.overlay.styles.items(), key=lambda kv: kv[1].z)]
        if layers == self._legend_layers:  # the same layers as the last image (the usual case): keep the boxes
            for name, box in self.layer_boxes.items():
                _set_quietly(box, self.overlay.visible.get(name, True))
            return
        self._legend_layers = layers
        while self.legend_layout.count():  # the boxes of the previous image: hidden, kept for later images
            item = self.legend_layout.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
        self.layer_boxes = {}
        for name, label, colour in layers:
            box = self._legend_boxes.get((name, label, colour))
            if box is None:  # made once per layer style: a styled box costs a style pass to make
                box = self._legend_boxes[(name, label, colour)] = QCheckBox(f"■ {label}")
                box.setStyleSheet(f"QCheckBox {{ color: {colour}; font-weight: bold; }}")
                box.setToolTip(f"Show or hide the {label.lower()} layer")
                box.toggled.connect(lambda checked, n=name: self.set_layer_visible(n, checked))
            _set_quietly(box, self.overlay.visible.get(name, True))
            self.legend_layout.addWidget(box)
            box.show()
            self.layer_boxes[name] = box

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        self.overlay.set_layer_visible(layer, visible)
        self.arrange_labels()
        box = self.layer_boxes.get(layer)
        if box is not None and box.isChecked() != visible:
            _set_quietly(box, visible)

    def set_label_font(self, point_size: float, bold: bool = False) -> None:
        """The font of image labels (the room theme uses a larger, bold one); redraws the labels on screen."""
        font = QFont(self.font())
        font.setPointSizeF(point_size)
        font.setBold(bold)
        self.overlay.font = font
        if self.image is not None and self.stack.currentWidget() is self.graphics:
            visible = self.overlay.visible_layers() if self.overlay.visible else None
            self.overlay.draw(self.image.annotations, self.image.layers, visible)
            self.overlay.set_labels_visible(self.labels_box.isChecked())
            self.arrange_labels()

    def fit(self) -> None:
        if self.image is not None:
            self.view.autoRange(padding=0.01, items=[self.image_item])
            self.arrange_labels()

    def arrange_labels(self) -> None:
        if self.image is not None:
            px, py = self.view.viewPixelSize()
            self.overlay.arrange_labels((px, py), self._edge_letter_areas(px, py))

    def _edge_letter_areas(self, px: float, py: float) -> tuple[Placed, ...]:
        """Where the orientation letters sit, in image pixels at the current zoom (labels keep off them)."""
        return tuple(item.image_area(px, py) for item in self._edge_items.values() if item.isVisible())

    # -- live frames (virtual C-arm, CT scroller) ----------------------------

    def show_live(self, frame, layers, title: str) -> None:
        """Show a re-rendered frame, keeping the user's zoom and layer choices."""
        from atlas.model import AtlasImage, ImageInfo

        self.live_meta = frame.meta
        first = self.image is None or self.image_item.image is None or self.image_item.image.shape != frame.pixels.shape
        visible = self.overlay.visible_layers() if not first and self.overlay.visible else None
        import json

        info = ImageInfo(f"live:{title}", title, "", frame.meta.get("modality", ""), frame.view_text,
                         frame.pixels.shape[1], frame.pixels.shape[0], True, "", json.dumps(frame.meta, default=str))
        self.image = AtlasImage(info, b"", frame.annotations, tuple(layers))
        self.image_item.setImage(frame.pixels, levels=(0, 255) if frame.pixels.ndim == 2 else None, autoLevels=False)
        self.overlay.draw(frame.annotations, tuple(layers), visible)
        self.overlay.set_labels_visible(self.labels_box.isChecked())
        self.arrange_labels()
        self._draw_edge_letters(info.meta_json)
        if first:
            self._rebuild_legend()
            self.stack.setCurrentWidget(self.graphics)
            self.fit()
        self.title.setText(f"{title} — live view" if self.mode == "carm" else f"{title} — CT slices")
        self.view_label.setText(frame.view_text + ("  ·  moving" if frame.quality == "fast" else ""))
        self.frameShown.emit(frame.key)

    def set_mode(self, mode: str) -> None:
        self.mode = mode
        self.set_measuring(False)
        self.view.setMouseEnabled(True, True)

    def set_measuring(self, on: bool) -> None:
        self.measuring = on
        self._measure_points = []
        if self._measure_item is not None:
            self._measure_item.setParentItem(None)
            if self._measure_item.scene() is not None:
                self._measure_item.scene().removeItem(self._measure_item)
            self._measure_item = None

    def draw_measurement(self, a, b, text: str) -> None:
        self.set_measuring(True)
        line = pg.PlotCurveItem([a[0], b[0]], [a[1], b[1]], pen=pg.mkPen("#ffd54f", width=2, cosmetic=True))
        line.setParentItem(self.image_item)
        label = pg.TextItem(text, color="#ffd54f", anchor=(0, 1), fill=pg.mkBrush(12, 14, 18, 190))
        label.setParentItem(line)
        label.setPos(*b)
        line.setZValue(100)
        self._measure_item = line

    def set_live_available(self, modality: str | None) -> None:
        """Offer the virtual C-arm (fluoroscopy) or the CT scroller for a rendered image."""
        self.live_button.setVisible(modality is not None)
        self.live_button.setText("Scroll the CT" if modality == "ct" else "Turn the C-arm")

    def keyPressEvent(self, event):  # noqa: N802
        if self.mode == "ct" and event.key() in (Qt.Key.Key_Up, Qt.Key.Key_Down):
            self.sliceWheel.emit(1 if event.key() == Qt.Key.Key_Up else -1)
            return
        super().keyPressEvent(event)

    def eventFilter(self, obj, event):  # noqa: N802
        """C-arm mode: Shift+drag turns the C-arm. CT mode: wheel scrolls slices, right-drag sets window/level."""
        kind = event.type()
        if self.mode == "ct" and kind == QEvent.Type.Wheel and not event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            steps = event.angleDelta().y() // 120 or (1 if event.angleDelta().y() > 0 else -1 if event.angleDelta().y() < 0 else 0)
            if steps:
                self.sliceWheel.emit(int(steps))
            return True
        if kind == QEvent.Type.MouseButtonPress:
            right = event.button() == Qt.MouseButton.RightButton
            shift_left = event.button() == Qt.MouseButton.LeftButton and event.modifiers() & Qt.KeyboardModifier.ShiftModifier
            if (self.mode == "ct" and right) or (self.mode == "carm" and shift_left):
                self._drag_from = event.position()
                return True
        if kind == QEvent.Type.MouseMove and self._drag_from is not None:
            delta = event.position() - self._drag_from
            self._drag_from = event.position()
            if self.mode == "carm":
                self.angleDrag.emit(delta.x() * 0.25, -delta.y() * 0.25)
            else:
                self.windowDrag.emit(delta.x() * 4.0, -delta.y() * 2.0)
            return True
        if kind == QEvent.Type.MouseButtonRelease and self._drag_from is not None:
            self._drag_from = None
            return True
        return super().eventFilter(obj, event)

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
        if self.measuring:
            self._measure_points.append((p.x(), p.y()))
            if len(self._measure_points) == 2:
                self.measured.emit(tuple(self._measure_points))
                self._measure_points = []
            return
        name = self.structure_at(p.x(), p.y())
        if name:
            self.hover_label.setText(f"Selected: {name}")


def _set_quietly(box: QCheckBox, checked: bool) -> None:
    """Tick or untick a layer box without it reporting a change the user did not make."""
    box.blockSignals(True)
    box.setChecked(checked)
    box.blockSignals(False)
