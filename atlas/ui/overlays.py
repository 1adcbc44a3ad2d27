"""Draws annotation data as plain Qt graphics items parented to the image, one z-order per layer.

This class only translates :class:`atlas.model.Annotation` objects into items;
what an annotation *is* lives in the model, where it is tested without Qt.
Plain items (not pyqtgraph's) keep a redraw to about a millisecond, which the
virtual C-arm needs at every frame. Dots, arrow heads and labels keep their
size on screen at any zoom; lines keep their width.
"""

from __future__ import annotations

import math

from PySide6.QtCore import QLineF, QPointF, QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import (
    QGraphicsEllipseItem, QGraphicsItem, QGraphicsLineItem, QGraphicsPathItem, QGraphicsPolygonItem, QGraphicsRectItem,
    QGraphicsSimpleTextItem,
)

from atlas.label_layout import LabelBox, Placed, dot_area, leader_end, place_labels
from atlas.model import Annotation, LayerStyle

LABEL_FILL = QColor(12, 14, 18, 175)
Z_BASE = 10
FIXED = QGraphicsItem.GraphicsItemFlag.ItemIgnoresTransformations
DOT_RADIUS = 5.5  # screen pixels, of the dot that marks a point


def _pen(colour: QColor, width: float = 2.0, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)  # constant width on screen at any zoom
    pen.setStyle(style)
    return pen


class Label(QGraphicsRectItem):
    """Text on a dark plate, constant size on screen; ``setAnchor`` places the plate around its position."""

    PAD_X, PAD_Y = 4.0, 1.5

    def __init__(self, text: str, colour: QColor, parent: QGraphicsItem, font: QFont | None = None):
        super().__init__(parent)
        self.setFlag(FIXED)
        self.setPen(Qt.PenStyle.NoPen)
        self.setBrush(LABEL_FILL)
        self.text_item = QGraphicsSimpleTextItem(self)
        self.set_text(text, colour, font)

    def set_text(self, text: str, colour: QColor, font: QFont | None = None) -> None:
        """New text, colour and font (None: the default font); the label is used again for another annotation."""
        self.color = colour
        self.text_item.setText(text)
        self.text_item.setBrush(colour)
        self.text_item.setFont(font if font is not None else QFont())
        bounds = self.text_item.boundingRect()
        self._size = (bounds.width() + 2 * self.PAD_X, bounds.height() + 2 * self.PAD_Y)
        self.home = (0.0, 0.0, (0.0, 0.5))
        self.leader = None
        self.setAnchor((0.0, 0.5))

    def setAnchor(self, anchor) -> None:  # noqa: N802 (same name as pyqtgraph's TextItem)
        w, h = self._size
        left, top = -anchor[0] * w, -anchor[1] * h
        self.setRect(QRectF(left, top, w, h))
        self.text_item.setPos(left + self.PAD_X, top + self.PAD_Y)

    def toPlainText(self) -> str:  # noqa: N802
        return self.text_item.text()

    def image_area(self, px: float, py: float) -> Placed:
        """The plate's area in image pixels, for ``px`` × ``py`` image pixels per screen pixel (it keeps its
        size on screen)."""
        rect, pos = self.rect(), self.pos()
        return Placed(pos.x() + rect.left() * px, pos.y() + rect.top() * py, rect.width() * px, rect.height() * py)


class AnnotationOverlay:
    """The items of one image's annotations, by layer.

    Items are kept when the image changes: hidden, then used again for the next image's
    annotations of the same kind, so turning a page costs no item creation or scene removal.
    """

    SPARE_MAX = 64  # hidden items kept per kind; more are removed from the scene

    def __init__(self, image_item):
        self.image_item = image_item
        self.items: dict[str, list] = {}
        self.labels: dict[str, list[Label]] = {}
        self.font = None  # label font (the room theme makes it larger)
        self.styles: dict[str, LayerStyle] = {}
        self.visible: dict[str, bool] = {}
        self.labels_visible = True
        self._spare: dict[str, list] = {}  # kind -> hidden items ready for use again
        self.dots: list[tuple[float, float, str]] = []  # point markers (x, y, layer): labels keep off them

    def clear(self) -> None:
        scene = self.image_item.scene()
        for items in self.items.values():
            for item in items:
                spare = self._spare.setdefault(item.kind, [])
                if len(spare) < self.SPARE_MAX and item.parentItem() is self.image_item:
                    item.setVisible(False)
                    spare.append(item)
                    continue
                item.setParentItem(None)
                if scene is not None and item.scene() is scene:
                    scene.removeItem(item)
        self.items.clear()
        self.labels.clear()
        self.dots.clear()
        self.styles.clear()
        self.visible.clear()

    def _take(self, kind: str, make):
        """A hidden item of ``kind`` kept from an earlier image, shown again, or a new one from ``make()``."""
        spare = self._spare.get(kind)
        if spare:
            item = spare.pop()
            item.setVisible(True)
        else:
            item = make()
            item.kind = kind
        return item

    def draw(self, annotations: tuple[Annotation, ...], layers: tuple[LayerStyle, ...], visible_layers: set[str] | None) -> None:
        self.clear()
        self.styles = {s.name: s for s in layers}
        for annotation in annotations:
            if not annotation.points:  # e.g. a structure the view does not show
                continue
            style = self.styles.get(annotation.layer) or LayerStyle(annotation.layer, annotation.layer, "#ffffff", 99)
            self.styles.setdefault(annotation.layer, style)
            colour = QColor(style.colour)
            z = Z_BASE + 2 * style.z
            made = self._make(annotation, colour, z)
            self.items.setdefault(annotation.layer, []).extend(made)
            self.labels.setdefault(annotation.layer, []).extend(i for i in made if isinstance(i, Label))
        for name in self.styles:
            self.set_layer_visible(name, visible_layers is None or name in visible_layers)

    def _label(self, text: str, colour: QColor, at: tuple[float, float], anchor=(0, 0.5)) -> Label:
        label = self._take("label", lambda: Label("", colour, self.image_item))
        label.set_text(text, colour, self.font)
        label.setPos(*at)
        label.setAnchor(anchor)
        label.home = (float(at[0]), float(at[1]), tuple(anchor))  # where arrange_labels starts from
        return label

    def arrange_labels(self, pixel_size: tuple[float, float], keep_clear: tuple = ()) -> None:
        """Keep labels inside the image and off each other at the current zoom.

        Labels keep a constant size on screen, so their footprint in image pixels changes with
        zoom; call this after fitting or zooming. A label that would run off an edge flips to the
        other side of its point; one that overlaps a label already placed moves down (or up).
        ``keep_clear``: further areas no label may cover (image pixels), e.g. the orientation letters.
        """
        px, py = pixel_size
        if not px or not py or self.image_item.image is None:
            return
        labels = [lab for labs in self.labels.values() for lab in labs if lab.isVisible()]
        boxes = []
        for label in labels:
            x, y, anchor = label.home
            rect = label.boundingRect()
            boxes.append(LabelBox(x, y, rect.width() * px, rect.height() * py, anchor))
        radius = DOT_RADIUS * max(px, py)  # dots keep their size on screen
        dots = tuple(dot_area(x, y, radius) for x, y, layer in self.dots if self.visible.get(layer, True)) + tuple(keep_clear)
        for label, box, spot in zip(labels, boxes, place_labels(boxes, self.image_item.width(), self.image_item.height(), dots)):
            label.setAnchor((0, 0))
            label.setPos(spot.left, spot.top)
            self._leader(label, box.x, box.y, leader_end(box.x, box.y, spot))

    def _leader(self, label: Label, x: float, y: float, end: tuple[float, float] | None) -> None:
        """A thin line from a point to its label when the label had to move away from it."""
        line = label.leader
        if end is not None:
            if line is None:
                line = self._take("leader", lambda: QGraphicsLineItem(self.image_item))
                line.setPen(_pen(label.color, 1.0))
                line.setZValue(label.zValue() - 0.5)
                line.is_leader = True
                label.leader = line
                self.items.setdefault(self._layer_of(label), []).append(line)
            line.setLine(QLineF(x, y, *end))
            line.setVisible(label.isVisible())
        elif line is not None:
            line.setVisible(False)

    def _layer_of(self, label: Label) -> str:
        return next((name for name, labs in self.labels.items() if label in labs), "")

    def _path(self, points, pen: QPen) -> QGraphicsPathItem:
        path = QPainterPath(QPointF(*points[0]))
        for x, y in points[1:]:
            path.lineTo(x, y)
        item = self._take("path", lambda: QGraphicsPathItem(self.image_item))
        item.setPath(path)
        item.setPen(pen)
        return item

    def _new_spot(self) -> QGraphicsEllipseItem:
        spot = QGraphicsEllipseItem(-DOT_RADIUS, -DOT_RADIUS, 2 * DOT_RADIUS, 2 * DOT_RADIUS, self.image_item)
        spot.setFlag(FIXED)
        return spot

    def _new_head(self) -> QGraphicsPolygonItem:
        head = QGraphicsPolygonItem(QPolygonF([QPointF(0, 0), QPointF(-14, -6), QPointF(-14, 6)]), self.image_item)
        head.setFlag(FIXED)
        return head

    def _make(self, a: Annotation, colour: QColor, z: float) -> list:
        made: list = []
        pts = a.points
        if a.kind == "point":
            spot = self._take("spot", self._new_spot)
            spot.setPos(*pts[0])
            self.dots.append((float(pts[0][0]), float(pts[0][1]), a.layer))
            spot.setBrush(QBrush(colour))
            spot.setPen(_pen(QColor("#101214"), 1.5))
            made.append(spot)
            if a.label:
                # text to the right of the dot, or to its left near the right edge so it stays in the image
                near_right = pts[0][0] > 0.62 * max(self.image_item.width() or 0, 1)
                made.append(self._label(a.label, colour, pts[0], anchor=(1.06, 0.5) if near_right else (-0.06, 0.5)))
        elif a.kind == "arrow":
            (x0, y0), (x1, y1) = pts
            made.append(self._path(pts, _pen(colour, 2.5)))
            head = self._take("head", self._new_head)
            head.setPos(x1, y1)
            head.setRotation(math.degrees(math.atan2(y1 - y0, x1 - x0)))
            head.setBrush(QBrush(colour))
            head.setPen(_pen(colour, 1))
            made.append(head)
            if a.label:
                made.append(self._label(a.label, colour, (x0, y0), anchor=(0.5, -0.15) if y0 >= y1 else (0.5, 1.15)))
        elif a.kind == "polyline":
            made.append(self._path(pts, _pen(QColor(0, 0, 0, 150), 5)))
            made.append(self._path(pts, _pen(colour, 2.5, Qt.PenStyle.DashLine)))
            if a.label:
                made.append(self._label(a.label, colour, pts[0], anchor=(0.5, -0.2)))
        elif a.kind == "polygon":
            polygon = self._take("polygon", lambda: QGraphicsPolygonItem(self.image_item))
            polygon.setPolygon(QPolygonF([QPointF(x, y) for x, y in pts]))
            fill = QColor(colour)
            fill.setAlpha(60)
            polygon.setBrush(QBrush(fill))
            polygon.setPen(_pen(colour, 1.5))
            made.append(polygon)
            if a.label:
                cx = sum(p[0] for p in pts) / len(pts)
                cy = sum(p[1] for p in pts) / len(pts)
                made.append(self._label(a.label, colour, (cx, cy), anchor=(0.5, 0.5)))
        for item in made:
            item.setZValue(z + (1 if isinstance(item, Label) else 0))
        return made

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        self.visible[layer] = visible
        for item in self.items.get(layer, []):
            is_text = isinstance(item, Label) or getattr(item, "is_leader", False)
            item.setVisible(visible and (self.labels_visible or not is_text))

    def set_labels_visible(self, visible: bool) -> None:
        self.labels_visible = visible
        for layer, labels in self.labels.items():
            for label in labels:
                label.setVisible(visible and self.visible.get(layer, True))
                if label.leader is not None:
                    label.leader.setVisible(label.isVisible())

    def visible_layers(self) -> set[str]:
        return {name for name, shown in self.visible.items() if shown}
