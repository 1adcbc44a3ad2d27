"""A drawn spine, C1 to coccyx, where a vertebra or a disc level is clicked."""

from __future__ import annotations

import math

from PySide6.QtCore import QPointF, QRectF, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QFont, QPainter, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsItem, QGraphicsPathItem, QGraphicsSimpleTextItem, QGraphicsView, QGraphicsScene

from atlas.levels import SEGMENTS, VERTEBRAE, region_of

# Drawn body size (width, height) per region, in scene units; proportions follow
# the real column (narrow cervical bodies, larger lumbar ones, a tapering sacrum), except that cervical
# bodies are drawn as tall as thoracic ones so that C1-C7 and their discs are big enough to click.
_SIZE = {"cervical": (34, 15), "thoracic": (40, 15), "lumbar": (50, 18)}
_DISC = 5.0
COLOURS = {
    "bone": QColor("#d8d2c2"),
    "bone_empty": QColor("#5b5f66"),
    "disc": QColor("#8fb3c9"),
    "disc_empty": QColor("#3c4148"),
    "selected": QColor("#ffb74d"),
    "hover": QColor("#ffffff"),
    "label": QColor("#c8ccd2"),
    "outline": QColor("#1d2126"),
}


class _LevelItem(QGraphicsPathItem):
    def __init__(self, level: str, path: QPainterPath, diagram: SpineDiagram):
        super().__init__(path)
        self.level = level
        self.diagram = diagram
        self.setAcceptHoverEvents(True)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        self.setToolTip(level)
        self.setFlag(QGraphicsItem.GraphicsItemFlag.ItemIsSelectable, False)
        self.hovered = False
        self.colour: QColor | None = None  # the fill on show (restyle skips an item whose fill is unchanged)

    def hoverEnterEvent(self, event):  # noqa: N802
        self.hovered = True
        self.diagram.restyle(self.level)

    def hoverLeaveEvent(self, event):  # noqa: N802
        self.hovered = False
        self.diagram.restyle(self.level)

    def mousePressEvent(self, event):  # noqa: N802
        if event.button() == Qt.MouseButton.LeftButton:
            self.diagram.levelClicked.emit(self.level)
            event.accept()


def _x_offset(y: float, total: float) -> float:
    """Gentle sagittal-looking sway so the column reads as a spine, not a ladder."""
    return 10.0 * math.sin(2 * math.pi * y / total)


class SpineDiagram(QGraphicsView):
    levelClicked = Signal(str)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.setScene(QGraphicsScene(self))
        self.setRenderHint(QPainter.RenderHint.Antialiasing)
        self.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setVerticalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.setBackgroundBrush(QColor("#22262c"))
        self.setFrameShape(QGraphicsView.Shape.NoFrame)
        self.setMinimumSize(150, 300)
        self.setAccessibleName("Spine level diagram")
        self.items_by_level: dict[str, _LevelItem] = {}
        self.available: set[str] = set()
        self.selected: str | None = None
        self._build()

    def _build(self) -> None:
        scene = self.scene()
        font = QFont()
        font.setPointSizeF(6.5)
        y = 0.0
        heights = []
        for name in VERTEBRAE:
            heights.append(self._size(name)[1])
        total = sum(heights) + _DISC * len(VERTEBRAE)
        for index, name in enumerate(VERTEBRAE):
            w, h = self._size(name)
            cx = _x_offset(y + h / 2, total)
            path = QPainterPath()
            if name == "coccyx":
                path.addPolygon(QPolygonF([QPointF(cx - w / 2, y), QPointF(cx + w / 2, y), QPointF(cx, y + h)]))
                path.closeSubpath()
            elif name.startswith("S"):
                below = self._size(VERTEBRAE[index + 1])[0]
                path.addPolygon(
                    QPolygonF([QPointF(cx - w / 2, y), QPointF(cx + w / 2, y), QPointF(cx + below / 2, y + h + _DISC), QPointF(cx - below / 2, y + h + _DISC)])
                )
                path.closeSubpath()
            else:
                path.addRoundedRect(QRectF(cx - w / 2, y, w, h), 3, 3)
                # posterior element hint: a small spinous nub on the right (patient's back)
                path.addRoundedRect(QRectF(cx + w / 2 + 2, y + h * 0.25, w * 0.18, h * 0.5), 2, 2)
            item = _LevelItem(name, path, self)
            scene.addItem(item)
            self.items_by_level[name] = item
            label = QGraphicsSimpleTextItem(name if name != "coccyx" else "Co")
            label.setFont(font)
            label.setBrush(COLOURS["label"])
            label.setPos(cx - w / 2 - 22, y + h / 2 - 5)
            scene.addItem(label)
            y += h
            if index + 1 < len(VERTEBRAE):
                segment = f"{name}-{VERTEBRAE[index + 1]}"
                if segment in SEGMENTS and not name.startswith("S"):
                    dw = min(w, self._size(VERTEBRAE[index + 1])[0]) * 0.92
                    dcx = _x_offset(y + _DISC / 2, total)
                    disc_path = QPainterPath()
                    disc_path.addRoundedRect(QRectF(dcx - dw / 2, y + 0.8, dw, _DISC - 1.6), 2, 2)
                    disc = _LevelItem(segment, disc_path, self)
                    disc.setZValue(1)
                    scene.addItem(disc)
                    self.items_by_level[segment] = disc
                y += _DISC
        self.scene().setSceneRect(self.scene().itemsBoundingRect().adjusted(-6, -6, 6, 6))
        outline = QPen(COLOURS["outline"], 0.8)
        for level in self.items_by_level:
            self.items_by_level[level].setPen(outline)
            self.restyle(level)

    @staticmethod
    def _size(name: str) -> tuple[float, float]:
        if name == "coccyx":
            return 12, 12
        if name.startswith("S"):
            n = int(name[1:])
            return 62 - 10 * (n - 1), 12 - (n - 1)
        region = region_of(name)
        w, h = _SIZE[region]
        if region == "thoracic":
            n = int(name[1:])
            w += n * 0.9
            h += n * 0.25
        if region == "lumbar":
            n = int(name[1:])
            w += n * 1.5
        if region == "cervical" and name in ("C1", "C2"):
            w -= 4
        return w, h

    def set_available(self, levels: set[str]) -> None:
        self.available = set(levels)
        for level in self.items_by_level:
            self.restyle(level)

    def set_selected(self, level: str | None) -> None:
        previous, self.selected = self.selected, level
        for name in (previous, level):
            if name in self.items_by_level:
                self.restyle(name)
        if level in self.items_by_level:
            self.ensureVisible(self.items_by_level[level])

    def restyle(self, level: str) -> None:
        item = self.items_by_level[level]
        is_segment = "-" in level
        if level == self.selected:
            colour = COLOURS["selected"]
        elif item.hovered:
            colour = COLOURS["hover"]
        elif level in self.available:
            colour = COLOURS["disc" if is_segment else "bone"]
        else:
            colour = COLOURS["disc_empty" if is_segment else "bone_empty"]
        if colour is not item.colour:
            item.colour = colour
            item.setBrush(QBrush(colour))

    def resizeEvent(self, event):  # noqa: N802
        super().resizeEvent(event)
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def showEvent(self, event):  # noqa: N802
        super().showEvent(event)
        self.fitInView(self.scene().sceneRect(), Qt.AspectRatioMode.KeepAspectRatio)

    def level_centre(self, level: str) -> QPointF:
        """Viewport position of a level's centre (for tests and keyboard focus)."""
        item = self.items_by_level[level]
        return self.mapFromScene(item.sceneBoundingRect().center()).toPointF()
