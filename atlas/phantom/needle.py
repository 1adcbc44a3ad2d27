"""A radiopaque needle drawn into the image along a planned path.

The needle is a hollow steel cylinder from its hub to its tip.  For
fluoroscopy its exact path length along every ray (supersampled per pixel) is
added to the line-integral image, so it is foreshortened, and seen end-on in
the tunnel view it becomes a dense dot.  For CT it is burnt into the slice as
metal where the slice cuts it.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .carm import View

MU_STEEL = 1.5  # 1/mm, effective for a fluoroscopy beam (about 50 keV; approximated)
GAUGE_OD_MM = {8: 4.19, 10: 3.40, 11: 3.05, 13: 2.41, 15: 1.83, 18: 1.27, 20: 0.91, 22: 0.72, 25: 0.51}  # Stubs gauge outer diameters
STANDARD_LENGTHS = (38.0, 64.0, 89.0, 127.0, 152.0, 178.0)


@dataclass
class Needle:
    entry: np.ndarray  # skin entry (world)
    target: np.ndarray  # planned tip position at depth 1.0
    depth: float = 1.0  # fraction of the entry-target distance reached by the tip
    gauge: int = 22
    length: float | None = None  # shaft length in mm (default: next standard length)

    @property
    def direction(self) -> np.ndarray:
        v = np.asarray(self.target, float) - np.asarray(self.entry, float)
        return v / max(np.linalg.norm(v), 1e-9)

    @property
    def tip(self) -> np.ndarray:
        return np.asarray(self.entry, float) + (np.asarray(self.target, float) - np.asarray(self.entry, float)) * self.depth

    @property
    def shaft_length(self) -> float:
        if self.length:
            return float(self.length)
        path = np.linalg.norm(np.asarray(self.target, float) - np.asarray(self.entry, float))
        for L in STANDARD_LENGTHS:
            if L >= path + 15.0:
                return L
        return path + 25.0

    @property
    def hub(self) -> np.ndarray:
        return self.tip - self.direction * self.shaft_length

    @property
    def radius(self) -> float:
        return GAUGE_OD_MM.get(int(self.gauge), 0.72) / 2


def _chord(S: np.ndarray, rays: np.ndarray, A: np.ndarray, u: np.ndarray, length: float, rho: float) -> np.ndarray:
    """Path length of rays (from S, unit directions) through a finite cylinder A..A+u*length of radius rho."""
    w = S - A
    ru = rays @ u
    wu = float(w @ u)
    rp = rays - ru[..., None] * u
    wp = w - wu * u
    a = np.einsum("...k,...k->...", rp, rp)
    b = 2.0 * (rp @ wp)
    c = float(wp @ wp) - rho * rho
    disc = b * b - 4 * a * c
    ok = (disc > 0) & (a > 1e-12)
    sq = np.sqrt(np.where(ok, disc, 0.0))
    a_safe = np.where(a > 1e-12, a, 1.0)
    t1 = (-b - sq) / (2 * a_safe)
    t2 = (-b + sq) / (2 * a_safe)
    with np.errstate(divide="ignore", invalid="ignore"):
        ta = (0.0 - wu) / ru
        tb = (length - wu) / ru
    lo_cap = np.where(np.abs(ru) > 1e-12, np.minimum(ta, tb), -np.inf)
    hi_cap = np.where(np.abs(ru) > 1e-12, np.maximum(ta, tb), np.inf)
    inside_axially = (wu >= 0) & (wu <= length)
    lo_cap = np.where((np.abs(ru) <= 1e-12) & ~inside_axially, np.inf, lo_cap)
    chord = np.minimum(t2, hi_cap) - np.maximum(t1, lo_cap)
    return np.where(ok, np.maximum(chord, 0.0), 0.0)


def needle_line_integral(needle: Needle, view: View, supersample: int = 2) -> np.ndarray:
    """Attenuation line integral of the needle for every pixel of ``view``."""
    n = view.size
    out = np.zeros((n, n), np.float32)
    hub, tip = needle.hub, needle.tip
    pts = view.project(np.array([hub, tip]))
    margin = 4 + needle.radius * 2 / (view.pixel_mm / view.magnification)
    x0 = int(max(0, np.floor(pts[:, 0].min() - margin)))
    x1 = int(min(n, np.ceil(pts[:, 0].max() + margin)))
    y0 = int(max(0, np.floor(pts[:, 1].min() - margin)))
    y1 = int(min(n, np.ceil(pts[:, 1].max() + margin)))
    if x1 <= x0 or y1 <= y0:
        return out
    ss = supersample
    offs = (np.arange(ss) + 0.5) / ss
    xs = (np.arange(x0, x1)[:, None] + offs[None, :]).ravel()
    ys = (np.arange(y0, y1)[:, None] + offs[None, :]).ravel()
    _, rays = view.pixel_rays(xs, ys)
    u = needle.direction
    L = float(np.linalg.norm(tip - hub))
    r = needle.radius
    chord = _chord(view.source, rays, hub, u, L, r) - _chord(view.source, rays, hub, u, L, r * 0.62)
    acc = chord * MU_STEEL
    # hub: plastic with a metal connector, lightly radiopaque
    acc += 0.06 * _chord(view.source, rays, hub - u * 14.0, u, 14.0, 3.0)
    acc = acc.reshape(y1 - y0, ss, x1 - x0, ss).mean(axis=(1, 3))
    out[y0:y1, x0:x1] = acc
    return out


def distance_to_segment(points: np.ndarray, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    ab = b - a
    t = np.clip(((points - a) @ ab) / max(float(ab @ ab), 1e-12), 0.0, 1.0)
    closest = a + t[..., None] * ab
    return np.linalg.norm(points - closest, axis=-1)
