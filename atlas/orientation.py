"""Which patient direction lies toward each edge of an image (R, L, A, P, H, F), from renderer metadata."""

from __future__ import annotations

import json

_NAMES = {(1, 0, 0): "L", (-1, 0, 0): "R", (0, 1, 0): "P", (0, -1, 0): "A", (0, 0, 1): "H", (0, 0, -1): "F"}


def _nearest(vector) -> str:
    return _NAMES[max(_NAMES, key=lambda k: sum(a * b for a, b in zip(vector, k)))]


def edge_letters(meta: dict | str | None) -> dict[str, str]:
    """{"left", "right", "top", "bottom"} → letter; empty when the image carries no orientation."""
    if isinstance(meta, str):
        try:
            meta = json.loads(meta or "{}")
        except ValueError:
            return {}
    meta = meta or {}
    if isinstance(meta.get("orientation"), dict):
        return {k: str(v) for k, v in meta["orientation"].items() if k in ("left", "right", "top", "bottom")}
    right, down = meta.get("plane_right"), meta.get("plane_down")
    if right and down:
        return {
            "right": _nearest(right), "left": _nearest([-v for v in right]),
            "bottom": _nearest(down), "top": _nearest([-v for v in down]),
        }
    return {}
