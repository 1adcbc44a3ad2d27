"""Outlines of binary masks as simplified polygons (for danger and target zones)."""

from __future__ import annotations

import numpy as np
from scipy import ndimage

# Moore neighbourhood, clockwise starting from west (row, col offsets)
_NEIGHBOURS = [(0, -1), (-1, -1), (-1, 0), (-1, 1), (0, 1), (1, 1), (1, 0), (1, -1)]


def largest_component(mask: np.ndarray) -> np.ndarray:
    lab, n = ndimage.label(mask)
    if n <= 1:
        return mask.astype(bool)
    sizes = ndimage.sum(mask, lab, index=np.arange(1, n + 1))
    return lab == (1 + int(np.argmax(sizes)))


def trace_boundary(mask: np.ndarray) -> np.ndarray:
    """Ordered boundary pixels (row, col) of the largest component (Moore-neighbour tracing)."""
    m = largest_component(mask)
    if not m.any():
        return np.zeros((0, 2))
    m = np.pad(m, 1)
    rows, cols = np.nonzero(m)
    start = (rows[0], cols[0])  # top-most, then left-most
    boundary = [start]
    cur = start
    back = 0  # we came from the west of the start pixel
    for _ in range(4 * m.size):
        found = False
        for i in range(8):
            k = (back + 1 + i) % 8
            dr, dc = _NEIGHBOURS[k]
            nr, nc = cur[0] + dr, cur[1] + dc
            if m[nr, nc]:
                # the neighbour before k (in the scan) is background: continue from there
                back = (k + 4) % 8
                cur = (nr, nc)
                found = True
                break
        if not found:
            break
        if cur == start and len(boundary) > 2:
            break
        boundary.append(cur)
    return np.array(boundary, float) - 1.0


def simplify(points: np.ndarray, tol: float) -> np.ndarray:
    """Douglas-Peucker simplification of a closed polyline."""
    if len(points) < 4:
        return points

    def rdp(pts):
        if len(pts) < 3:
            return pts
        a, b = pts[0], pts[-1]
        ab = b - a
        n = np.hypot(*ab)
        if n < 1e-9:
            d = np.hypot(*(pts - a).T)
        else:
            d = np.abs(ab[0] * (pts[:, 1] - a[1]) - ab[1] * (pts[:, 0] - a[0])) / n
        i = int(np.argmax(d))
        if d[i] <= tol:
            return np.array([a, b])
        left = rdp(pts[: i + 1])
        right = rdp(pts[i:])
        return np.vstack([left[:-1], right])

    # split the closed loop at the farthest point from the start
    far = int(np.argmax(np.hypot(*(points - points[0]).T)))
    first = rdp(points[: far + 1])
    second = rdp(np.vstack([points[far:], points[:1]]))
    return np.vstack([first[:-1], second[:-1]])


def _ring(mask: np.ndarray, tol: float, max_points: int) -> np.ndarray:
    b = trace_boundary(mask)
    if len(b) < 3:
        return np.zeros((0, 2))
    poly = simplify(b, tol)
    while len(poly) > max_points:
        tol *= 1.5
        poly = simplify(b, tol)
    return poly


def mask_outline(mask: np.ndarray, tol: float = 0.8, max_points: int = 80, min_fraction: float = 0.12) -> list[list[float]]:
    """Polygon (x, y pixel coordinates, pixel centres at +0.5) around the regions of ``mask``.

    The largest region is outlined; other regions at least ``min_fraction`` of its area (a vertebral
    body and its spinous process in a sagittal slice) are joined to it by zero-width bridges (a keyhole
    polygon: the even-odd interior is exactly the regions; drawn, a bridge is one short line)."""
    lab, n = ndimage.label(mask)
    if n == 0:
        return []
    sizes = ndimage.sum(mask, lab, index=np.arange(1, n + 1))
    order = np.argsort(-sizes, kind="stable")
    big = float(sizes[order[0]])
    keep = [int(i) for i in order if sizes[i] >= max(min_fraction * big, 12.0) or i == order[0]][:6]
    rings = [_ring(lab == i + 1, tol, max_points if j == 0 else max(24, max_points // 2)) for j, i in enumerate(keep)]
    rings = [r for r in rings if len(r) >= 3]
    if not rings:
        return []
    poly = rings[0]
    for r in rings[1:]:
        d = np.hypot(poly[:, None, 0] - r[None, :, 0], poly[:, None, 1] - r[None, :, 1])
        ia, ib = np.unravel_index(int(np.argmin(d)), d.shape)
        ring = np.vstack([np.roll(r, -ib, axis=0), r[ib:ib + 1]])
        poly = np.vstack([poly[: ia + 1], ring, poly[ia:]])
    return [[round(float(c) + 0.5, 2), round(float(r) + 0.5, 2)] for r, c in poly]
