"""CT slices in Hounsfield units: axial, sagittal, coronal and needle-aligned oblique planes.

A slice is a plane (centre, in-plane right and down unit vectors) sampled
from the phantom volume (coarse layer plus residual blocks), with CT-like
noise and window/level presets.  Display follows the radiological habit of
looking from the patient's feet with the table at the bottom of the image: a
prone patient's back is up and the patient's right is on the image right; a
supine patient's right is on the image left.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from scipy import ndimage

from .needle import Needle, distance_to_segment
from .volume import PhantomVolume

F32 = np.float32

WINDOWS = {  # name: (width, level)
    "bone": (2000.0, 500.0),
    "soft-tissue": (400.0, 40.0),
    "lung": (1500.0, -600.0),
    "spine": (1000.0, 250.0),
}

PLANES = ("axial", "sagittal", "coronal", "oblique-needle")


@dataclass
class SlicePlane:
    centre: np.ndarray  # world point at the image centre
    right: np.ndarray  # unit vector toward the image's right edge
    down: np.ndarray  # unit vector toward the image's bottom edge
    field_mm: float
    size: int

    @property
    def normal(self) -> np.ndarray:
        n = np.cross(self.right, self.down)
        return n / np.linalg.norm(n)

    @property
    def pixel_mm(self) -> float:
        return self.field_mm / self.size

    def grid(self) -> np.ndarray:
        c = (np.arange(self.size) + 0.5 - self.size / 2) * self.pixel_mm
        return (self.centre[None, None, :] + c[None, :, None] * self.right[None, None, :]
                + c[:, None, None] * self.down[None, None, :])

    def project(self, points) -> tuple[np.ndarray, np.ndarray]:
        """World points -> (pixel xy (N, 2), signed distance from the plane in mm (N,))."""
        p = np.atleast_2d(np.asarray(points, float)) - self.centre
        x = self.size / 2 + (p @ self.right) / self.pixel_mm
        y = self.size / 2 + (p @ self.down) / self.pixel_mm
        return np.stack([x, y], axis=1), p @ self.normal


def _up_vector(position: str) -> np.ndarray:
    """The patient direction that faces the ceiling (toward the top of a CT image)."""
    return {
        "prone": np.array([0.0, 1.0, 0.0]),
        "supine": np.array([0.0, -1.0, 0.0]),
        "lateral-decubitus-left": np.array([-1.0, 0.0, 0.0]),
        "lateral-decubitus-right": np.array([1.0, 0.0, 0.0]),
    }[position]


def make_plane(kind: str, position: str, through: np.ndarray, centre: np.ndarray, field_mm: float, size: int,
               needle: Needle | None = None) -> SlicePlane:
    up = _up_vector(position)
    z = np.array([0.0, 0.0, 1.0])
    if kind == "axial":
        down = -up
        right = np.cross(z, up)  # viewer at the feet looking toward the head
        c = centre.copy()
        c[2] = through[2]
    elif kind == "sagittal":
        down = -z
        right = np.array([0.0, 1.0, 0.0])  # radiological habit: anterior on the image left, head up
        c = centre.copy()
        c[0] = through[0]
    elif kind == "coronal":
        down = -z
        right = np.array([-1.0, 0.0, 0.0]) if position == "prone" else np.array([1.0, 0.0, 0.0])
        c = centre.copy()
        c[1] = through[1]
    elif kind == "oblique-needle":
        if needle is None:
            raise ValueError("oblique-needle plane needs a needle")
        u = needle.direction
        # the plane containing the needle that is closest to axial (a CT gantry tilt)
        n = z - u * (u @ z)
        if np.linalg.norm(n) < 1e-6:
            n = np.array([0.0, 1.0, 0.0])
        n /= np.linalg.norm(n)
        down = -(up - n * (up @ n))
        down /= np.linalg.norm(down)
        right = np.cross(n, down) * -1.0
        if right @ np.cross(z, up) < 0:
            right = -right
        c = centre - n * ((centre - needle.tip) @ n)
    else:
        raise ValueError(kind)
    return SlicePlane(np.asarray(c, float), right / np.linalg.norm(right), down / np.linalg.norm(down), field_mm, size)


def sample_plane(volume: PhantomVolume, plane: SlicePlane) -> np.ndarray:
    """HU on the plane: the coarse layer everywhere, each residual block only on the pixels it covers."""
    grid = plane.grid()
    out = volume.coarse.sample_hu(grid.reshape(-1, 3)).reshape(plane.size, plane.size)
    step = 8
    coarse_grid = grid[::step, ::step]
    for b in volume.blocks:
        lo, hi = b.bbox
        inside = np.all((coarse_grid >= lo) & (coarse_grid <= hi), axis=-1)
        if not inside.any():
            continue
        rows = np.nonzero(inside.any(axis=1))[0]
        cols = np.nonzero(inside.any(axis=0))[0]
        r0, r1 = max(rows[0] * step - step, 0), min((rows[-1] + 2) * step, plane.size)
        c0, c1 = max(cols[0] * step - step, 0), min((cols[-1] + 2) * step, plane.size)
        sub = grid[r0:r1, c0:c1].reshape(-1, 3)
        out[r0:r1, c0:c1] += b.sample_hu(sub).reshape(r1 - r0, c1 - c0)
    return out.astype(F32)


def burn_needle(hu: np.ndarray, plane: SlicePlane, needle: Needle, slab_mm: float = 1.5) -> np.ndarray:
    """Metal where the slice (of thickness ``slab_mm``) cuts the needle, with a little blooming and streak."""
    pts = plane.grid()
    a, b = needle.tip, needle.hub
    d = distance_to_segment(pts.reshape(-1, 3), a, b).reshape(hu.shape)
    r = needle.radius + 0.3
    cover = np.clip((r + plane.pixel_mm * 0.6 - d) / (plane.pixel_mm * 1.2), 0, 1)
    if not cover.any():
        return hu
    out = hu + cover * (3000.0 - hu)
    halo = ndimage.gaussian_filter(cover, 2.5 / plane.pixel_mm)
    return out + 350.0 * halo * (1 - cover)


_NOISE: dict[tuple[int, int], np.ndarray] = {}


def ct_noise(size: int, seed: int = 4242) -> np.ndarray:
    key = (size, seed)
    if key not in _NOISE:
        _NOISE[key] = _ct_noise(size, seed)
    return _NOISE[key]


def _ct_noise(size: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = rng.standard_normal((size, size), dtype=F32)
    n = ndimage.gaussian_filter(n, 0.9)
    return n / max(float(n.std()), 1e-6)


def window_image(hu: np.ndarray, window: str | tuple[float, float], noise_hu: float = 11.0, seed: int = 4242) -> tuple[np.ndarray, tuple[float, float]]:
    if isinstance(window, str):
        width, level = WINDOWS[window]
    else:
        width, level = window
    img = hu + F32(noise_hu) * ct_noise(hu.shape[0], seed)
    lo = level - width / 2
    x = np.clip((img - lo) / width, 0, 1)
    return (x * 255 + 0.5).astype(np.uint8), (float(width), float(level))


def structure_section(shape, plane: SlicePlane, step: int = 2) -> np.ndarray:
    """Mask of a shape's cross-section with the plane (sampled every ``step`` pixels, then enlarged)."""
    pts = plane.grid()[::step, ::step].reshape(-1, 3).astype(F32)
    lo, hi = shape.bbox
    inside_box = np.all((pts >= lo - 1) & (pts <= hi + 1), axis=1)
    f = np.full(len(pts), 1.0, F32)
    if inside_box.any():
        q = pts[inside_box]
        f[inside_box] = np.asarray(shape(q[:, 0], q[:, 1], q[:, 2]), F32)
    m = (f < 0).reshape(plane.grid()[::step, ::step].shape[:2])
    if step > 1:
        m = np.kron(m, np.ones((step, step), bool))[: plane.size, : plane.size]
    return m
