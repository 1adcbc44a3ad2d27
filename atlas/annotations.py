"""Geometry on annotations (Qt-free): which structure is under the pointer."""

from __future__ import annotations

import math
from collections.abc import Iterable

from atlas.model import Annotation


def _segment_distance(px: float, py: float, a: tuple[float, float], b: tuple[float, float]) -> float:
    ax, ay = a
    bx, by = b
    dx, dy = bx - ax, by - ay
    length2 = dx * dx + dy * dy
    t = 0.0 if length2 == 0 else max(0.0, min(1.0, ((px - ax) * dx + (py - ay) * dy) / length2))
    return math.hypot(px - (ax + t * dx), py - (ay + t * dy))


def point_in_polygon(x: float, y: float, points: tuple[tuple[float, float], ...]) -> bool:
    inside = False
    n = len(points)
    for i in range(n):
        (x1, y1), (x2, y2) = points[i], points[(i + 1) % n]
        if (y1 > y) != (y2 > y) and x < x1 + (y - y1) * (x2 - x1) / (y2 - y1):
            inside = not inside
    return inside


def distance(annotation: Annotation, x: float, y: float) -> float:
    """Distance in image pixels from (x, y) to the annotation (0 inside a polygon)."""
    pts = annotation.points
    if annotation.kind == "point":
        return math.hypot(x - pts[0][0], y - pts[0][1])
    if annotation.kind == "polygon" and point_in_polygon(x, y, pts):
        return 0.0
    ring = pts + (pts[0],) if annotation.kind == "polygon" else pts
    return min(_segment_distance(x, y, a, b) for a, b in zip(ring, ring[1:]))


def hit_test(
    annotations: Iterable[Annotation], x: float, y: float, tolerance: float, visible_layers: set[str] | None = None
) -> Annotation | None:
    """The labelled annotation nearest to (x, y) within ``tolerance`` pixels.

    Points and lines win over the zone they lie in, so a target inside a
    danger zone can still be named.
    """
    best: tuple[float, int, Annotation] | None = None
    for annotation in annotations:
        if not annotation.points or not annotation.label or (visible_layers is not None and annotation.layer not in visible_layers):
            continue
        d = distance(annotation, x, y)
        if d > tolerance:
            continue
        rank = 1 if annotation.kind == "polygon" else 0
        key = (rank, d)
        if best is None or key < (best[1], best[0]):
            best = (d, rank, annotation)
    return best[2] if best else None
