"""Where labels go on an image: inside it, off each other, with a leader line when moved away.

Shared by the viewer (labels of constant size on screen, so their footprint in image
pixels depends on the zoom) and the contact sheet (labels drawn into the pixels).
Coordinates are image pixels, y down.
"""

from __future__ import annotations

from dataclasses import dataclass

GAP = 0.15  # of a label's height, between a label and one it was moved below or above
LEADER_FROM = 0.6  # of a label's height: a label farther than this from its point gets a leader line


@dataclass(frozen=True)
class LabelBox:
    """A label of size ``w`` × ``h`` meant to sit at ``(x, y)`` with ``anchor`` (0..1 of its size) on that point."""

    x: float
    y: float
    w: float
    h: float
    anchor: tuple[float, float] = (0.0, 0.5)


@dataclass(frozen=True)
class Placed:
    left: float
    top: float
    w: float
    h: float

    def contains(self, x: float, y: float) -> bool:
        return self.left <= x <= self.left + self.w and self.top <= y <= self.top + self.h

    def overlaps(self, other: "Placed") -> bool:
        return (self.left < other.left + other.w and other.left < self.left + self.w
                and self.top < other.top + other.h and other.top < self.top + self.h)


def place_labels(boxes: list[LabelBox], width: float, height: float, keep_clear: tuple[Placed, ...] = ()) -> list[Placed]:
    """Top-left corners for ``boxes`` (same order) inside a ``width`` × ``height`` image.

    Labels are placed from the top of the image down. A label that would run off the left or
    right edge flips to the other side of its point, then is clamped inside the image; one that
    overlaps a label already placed, or one of the ``keep_clear`` areas (the dots that mark
    points), moves just below it (or above it at the bottom edge).
    """
    placed: list[Placed | None] = [None] * len(boxes)
    done: list[Placed] = []
    for i in sorted(range(len(boxes)), key=lambda k: (boxes[k].y, boxes[k].x)):
        b = boxes[i]
        avoid = [r for r in keep_clear if not r.contains(b.x, b.y)] + done  # a label may touch its own dot
        ax, ay = b.anchor
        left = b.x - ax * b.w
        if left + b.w > width and ax < 0.5:
            ax = 1.0 - ax
        elif left < 0 and ax > 0.5:
            ax = 1.0 - ax
        left = min(max(b.x - ax * b.w, 0.0), max(width - b.w, 0.0))
        top = min(max(b.y - ay * b.h, 0.0), max(height - b.h, 0.0))
        spot = Placed(left, top, b.w, b.h)
        for _ in range(len(avoid) + 1):
            hit = next((r for r in avoid if spot.overlaps(r)), None)
            if hit is None:
                break
            below = hit.top + hit.h + GAP * b.h
            top = below if below + b.h <= height else max(hit.top - b.h - GAP * b.h, 0.0)
            spot = Placed(left, top, b.w, b.h)
        placed[i] = spot
        done.append(spot)
    return placed  # type: ignore[return-value]


def dot_area(x: float, y: float, radius: float) -> Placed:
    """The square a dot of ``radius`` at ``(x, y)`` covers, for ``keep_clear``."""
    return Placed(x - radius, y - radius, 2 * radius, 2 * radius)


def leader_end(x: float, y: float, spot: Placed) -> tuple[float, float] | None:
    """The point of the label's plate nearest to ``(x, y)`` if the label sits far from its point, else None."""
    nx = min(max(x, spot.left), spot.left + spot.w)
    ny = min(max(y, spot.top), spot.top + spot.h)
    far = ((nx - x) ** 2 + (ny - y) ** 2) ** 0.5 > LEADER_FROM * spot.h
    return (nx, ny) if far else None
