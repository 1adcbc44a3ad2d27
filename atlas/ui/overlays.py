"""Draws annotation data with pyqtgraph items parented to the image, one z-order per layer.

This class only translates :class:`atlas.model.Annotation` objects into items;
what an annotation *is* lives in the model, where it is tested without Qt.
"""

from __future__ import annotations

import math

from atlas.ui.plotting import pg
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QColor, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsPolygonItem

from atlas.model import Annotation, LayerStyle

LABEL_FILL = (12, 14, 18, 170)
Z_BASE = 10


def _pen(colour: QColor, width: float = 2.0, style=Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(colour, width)
    pen.setCosmetic(True)  # constant width on screen at any zoom
    pen.setStyle(style)
    return pen


class AnnotationOverlay:
    def __init__(self, image_item: pg.ImageItem):
        self.image_item = image_item
        self.items: dict[str, list] = {}
        self.labels: dict[str, list[pg.TextItem]] = {}
        self.styles: dict[str, LayerStyle] = {}
        self.visible: dict[str, bool] = {}
        self.labels_visible = True

    def clear(self) -> None:
        scene = self.image_item.scene()
        for items in self.items.values():
            for item in items:
                item.setParentItem(None)
                if scene is not None and item.scene() is scene:
                    scene.removeItem(item)
        self.items.clear()
        self.labels.clear()
        self.styles.clear()
        self.visible.clear()

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
            self.labels.setdefault(annotation.layer, []).extend(i for i in made if isinstance(i, pg.TextItem))
        for name in self.styles:
            self.set_layer_visible(name, visible_layers is None or name in visible_layers)

    def _label(self, text: str, colour: QColor, at: tuple[float, float], anchor=(0, 0.5)) -> pg.TextItem:
        label = pg.TextItem(text, color=colour, anchor=anchor, fill=pg.mkBrush(*LABEL_FILL))
        label.setParentItem(self.image_item)
        label.setPos(*at)
        label.home = (float(at[0]), float(at[1]), tuple(anchor))  # where arrange_labels starts from
        return label

    def arrange_labels(self, pixel_size: tuple[float, float]) -> None:
        """Keep labels inside the image and off each other at the current zoom.

        Labels keep a constant size on screen, so their footprint in image pixels changes with
        zoom; call this after fitting or zooming. A label that would run off an edge flips to the
        other side of its point; one that overlaps a label already placed moves down (or up).
        """
        px, py = pixel_size
        if not px or not py or self.image_item.image is None:
            return
        width, height = self.image_item.width(), self.image_item.height()
        placed: list[tuple[float, float, float, float]] = []
        labels = [lab for labs in self.labels.values() for lab in labs if lab.isVisible()]
        for label in sorted(labels, key=lambda lab: (lab.home[1], lab.home[0])):
            x, y, (ax, ay) = label.home
            rect = label.boundingRect()
            w, h = rect.width() * px, rect.height() * py
            left = x - ax * w
            if left + w > width and ax < 0.5:
                ax = 1.0 - ax  # flip to the left of the point
            elif left < 0 and ax > 0.5:
                ax = 1.0 - ax
            left = min(max(x - ax * w, 0.0), max(width - w, 0.0))
            top = min(max(y - ay * h, 0.0), max(height - h, 0.0))
            for _ in range(len(placed) + 1):
                hit = next((r for r in placed if left < r[0] + r[2] and r[0] < left + w and top < r[1] + r[3] and r[1] < top + h), None)
                if hit is None:
                    break
                below = hit[1] + hit[3] + 0.15 * h
                top = below if below + h <= height else max(hit[1] - h - 0.15 * h, 0.0)
            label.setAnchor((0, 0))
            label.setPos(left, top)
            placed.append((left, top, w, h))
            self._leader(label, x, y, left, top, w, h)

    def _leader(self, label: pg.TextItem, x: float, y: float, left: float, top: float, w: float, h: float) -> None:
        """A thin line from a point to its label when the label had to move away from it."""
        nx, ny = min(max(x, left), left + w), min(max(y, top), top + h)
        far = ((nx - x) ** 2 + (ny - y) ** 2) ** 0.5 > 0.6 * h
        line = getattr(label, "leader", None)
        if far:
            if line is None:
                line = pg.PlotCurveItem(pen=_pen(label.color, 1.0))
                line.is_leader = True
                line.setParentItem(self.image_item)
                line.setZValue(label.zValue() - 0.5)
                label.leader = line
                self.items.setdefault(self._layer_of(label), []).append(line)
            line.setData([x, nx], [y, ny])
            line.setVisible(label.isVisible())
        elif line is not None:
            line.setVisible(False)

    def _layer_of(self, label: pg.TextItem) -> str:
        return next((name for name, labs in self.labels.items() if label in labs), "")

    def _make(self, a: Annotation, colour: QColor, z: float) -> list:
        made: list = []
        pts = a.points
        if a.kind == "point":
            spot = pg.ScatterPlotItem(
                [pts[0][0]], [pts[0][1]], size=11, pen=_pen(QColor("#101214"), 1.5), brush=pg.mkBrush(colour), symbol="o"
            )
            spot.setParentItem(self.image_item)
            made.append(spot)
            if a.label:
                # text to the right of the dot, or to its left near the right edge so it stays in the image
                near_right = pts[0][0] > 0.62 * max(self.image_item.width() or 0, 1)
                made.append(self._label(a.label, colour, pts[0], anchor=(1.06, 0.5) if near_right else (-0.06, 0.5)))
        elif a.kind == "arrow":
            (x0, y0), (x1, y1) = pts
            line = pg.PlotCurveItem([x0, x1], [y0, y1], pen=_pen(colour, 2.5))
            line.setParentItem(self.image_item)
            angle = math.degrees(math.atan2(-(y1 - y0), -(x1 - x0)))
            head = pg.ArrowItem(angle=angle, headLen=14, tipAngle=32, pen=_pen(colour, 1), brush=pg.mkBrush(colour))
            head.setParentItem(self.image_item)
            head.setPos(x1, y1)
            made += [line, head]
            if a.label:
                made.append(self._label(a.label, colour, (x0, y0), anchor=(0.5, -0.15) if y0 >= y1 else (0.5, 1.15)))
        elif a.kind == "polyline":
            xs, ys = [p[0] for p in pts], [p[1] for p in pts]
            halo = pg.PlotCurveItem(xs, ys, pen=_pen(QColor(0, 0, 0, 150), 5))
            line = pg.PlotCurveItem(xs, ys, pen=_pen(colour, 2.5, Qt.PenStyle.DashLine))
            for item in (halo, line):
                item.setParentItem(self.image_item)
            made += [halo, line]
            if a.label:
                made.append(self._label(a.label, colour, pts[0], anchor=(0.5, -0.2)))
        elif a.kind == "polygon":
            polygon = QGraphicsPolygonItem(QPolygonF([QPointF(x, y) for x, y in pts]))
            fill = QColor(colour)
            fill.setAlpha(60)
            polygon.setBrush(QBrush(fill))
            polygon.setPen(_pen(colour, 1.5))
            polygon.setParentItem(self.image_item)
            made.append(polygon)
            if a.label:
                cx = sum(p[0] for p in pts) / len(pts)
                cy = sum(p[1] for p in pts) / len(pts)
                made.append(self._label(a.label, colour, (cx, cy), anchor=(0.5, 0.5)))
        for item in made:
            item.setZValue(z + (1 if isinstance(item, pg.TextItem) else 0))
        return made

    def set_layer_visible(self, layer: str, visible: bool) -> None:
        self.visible[layer] = visible
        for item in self.items.get(layer, []):
            is_text = isinstance(item, pg.TextItem) or getattr(item, "is_leader", False)
            item.setVisible(visible and (self.labels_visible or not is_text))

    def set_labels_visible(self, visible: bool) -> None:
        self.labels_visible = visible
        for layer, labels in self.labels.items():
            for label in labels:
                label.setVisible(visible and self.visible.get(layer, True))
                if getattr(label, "leader", None) is not None:
                    label.leader.setVisible(label.isVisible())

    def visible_layers(self) -> set[str]:
        return {name for name, shown in self.visible.items() if shown}
