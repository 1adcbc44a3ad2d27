"""The fluoroscopic look: exposure, detector blur, quantum noise, edge enhancement, collimation.

Input is a line-integral image (from :mod:`drr`, with needle and contrast
added); output is 8-bit greyscale.  Bone is white by default ("bone-white",
the usual display of spine fluoroscopy); ``native`` shows the raw polarity
(bone dark).  Everything is deterministic: the noise comes from a fixed seed.
"""

from __future__ import annotations

import numpy as np
from scipy import ndimage

F32 = np.float32


_MASKS: dict[tuple, np.ndarray] = {}

# rays whose line integral is below this fraction of the field's median pass (almost) beside the body;
# the exposure window ignores them (a choice of this atlas, approximated from how automatic brightness
# control meters the anatomy)
AIR_FRACTION = 0.5


def collimator_mask(size: int, shape: str = "circle", diameter: float = 0.98, soft: float = 1.5) -> np.ndarray:
    """1 inside the irradiated field, 0 outside (soft edge of ``soft`` pixels); cached."""
    key = (size, shape, diameter, soft)
    if key not in _MASKS:
        _MASKS[key] = _collimator_mask(size, shape, diameter, soft)
    return _MASKS[key]


def _collimator_mask(size: int, shape: str, diameter: float, soft: float) -> np.ndarray:
    if shape == "none":
        return np.ones((size, size), F32)
    c = (np.arange(size) + 0.5 - size / 2)
    if shape == "circle":
        r = np.hypot(c[None, :], c[:, None])
        return np.clip((diameter * size / 2 - r) / soft + 0.5, 0, 1).astype(F32)
    if shape == "rectangle":
        half = diameter * size / 2
        m = np.minimum(half - np.abs(c[None, :]), half - np.abs(c[:, None]))
        return np.clip(m / soft + 0.5, 0, 1).astype(F32)
    raise ValueError(shape)


def _noise(size: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    n = rng.standard_normal((size, size), dtype=F32)
    n = ndimage.gaussian_filter(n, 0.6)
    return n / max(float(n.std()), 1e-6)


_NOISE_CACHE: dict[tuple[int, int], np.ndarray] = {}


def _smooth(L: np.ndarray, mask: np.ndarray, sigma: float) -> np.ndarray:
    """Large-scale mean of ``L`` inside the collimated field (normalised convolution)."""
    w = (mask > 0.5).astype(F32)
    small = 8
    Ls = L[::small, ::small] * w[::small, ::small]
    ws = w[::small, ::small]
    num = ndimage.gaussian_filter(Ls, sigma / small)
    den = ndimage.gaussian_filter(ws, sigma / small)
    out = num / np.maximum(den, 1e-3)
    return ndimage.zoom(out, L.shape[0] / out.shape[0], order=1, grid_mode=True, mode="nearest")[: L.shape[0], : L.shape[1]].astype(F32)


METERING = ("field", "centre")
CENTRAL_METER = 0.4  # radius of the central measuring field, as a fraction of the image's half-width
# the top of the display window under centre metering: the measuring field sets the exposure from the bulk of
# what it sees, so a little very dense matter at its edge (the crowns of the teeth on an open-mouth view)
# saturates instead of compressing the bone round the target into the darker greys (percentile, approximated)
CENTRE_TOP = 97.0


def _central(size: int) -> np.ndarray:
    c = (np.arange(size) + 0.5 - size / 2) / (size / 2)
    return np.hypot(c[None, :], c[:, None]) < CENTRAL_METER


_VIGNETTE: dict[int, np.ndarray] = {}


def _vignette(size: int) -> np.ndarray:
    if size not in _VIGNETTE:
        c = (np.arange(size) + 0.5 - size / 2) / (size / 2)
        _VIGNETTE[size] = (1.0 - 0.10 * (c[None, :] ** 2 + c[:, None] ** 2)).astype(F32)
    return _VIGNETTE[size]


def noise_field(size: int, seed: int = 1729) -> np.ndarray:
    key = (size, seed)
    if key not in _NOISE_CACHE:
        _NOISE_CACHE[key] = _noise(size, seed)
    return _NOISE_CACHE[key]


def fluoro_look(line: np.ndarray, polarity: str = "bone-white", collimation: str = "circle", seed: int = 1729,
                noise: float = 1.0, window: tuple[float, float] | None = None,
                anatomy: np.ndarray | None = None, metering: str = "field") -> tuple[np.ndarray, dict]:
    """8-bit fluoroscopy image from line integrals; returns (pixels, exposure info).

    ``anatomy``: the line integrals of the body alone (without needles, contrast or cement). When given,
    the exposure (harmonisation and display window) is set from it, as automatic brightness control
    does from the patient, so that dense cement or contrast saturates instead of darkening the image.
    ``metering``: ``field`` sets the exposure from the whole collimated field; ``centre`` from its central
    part only (the C-arm's small measuring field), so that what lies round the target, not dense bone at
    the edge (the teeth on an open-mouth view), decides the exposure and the edge may saturate.
    """
    if metering not in METERING:
        raise ValueError(metering)
    size = line.shape[0]
    mask = collimator_mask(size, collimation)
    inside = mask > 0.5
    L = line.astype(F32)
    scale = size / 512.0
    L = ndimage.gaussian_filter(L, 0.7 * scale)  # detector and focal-spot blur
    A = L if anatomy is None else ndimage.gaussian_filter(anatomy.astype(F32), 0.7 * scale)
    # dynamic range compression ("harmonisation"), as flat-panel and intensifier chains do: slow
    # variations of body thickness are damped so that bone detail fills the display window
    low = _smooth(A, mask, 0.09 * size)
    ref = float(np.median(low[::4, ::4][inside[::4, ::4]])) if inside.any() else float(np.median(low))
    L = L - 0.62 * (low - ref)
    if window is None:
        raw = A
        A = A - 0.62 * (low - ref)  # the window is set on the image as displayed, after harmonisation
        # automatic exposure meters the patient, not the air beside it: rays that cross little or no body
        # (the air behind the back or in front of the neck on a lateral view, the skin seen edge-on) would
        # otherwise stretch the window down to zero and leave the anatomy a flat light grey; they go black
        meter = inside & (raw >= AIR_FRACTION * float(np.median(raw[::4, ::4][inside[::4, ::4]]))) if inside.any() else None
        if meter is None or meter[::3, ::3].sum() < 0.25 * inside[::3, ::3].sum():
            meter = inside
        if metering == "centre":  # unless the middle of the field is mostly air
            central = _central(size) & inside
            if (meter & central)[::3, ::3].sum() >= 0.25 * central[::3, ::3].sum():
                meter = meter & central
        sub = A[::3, ::3][meter[::3, ::3]] if meter.any() else A[::3, ::3].ravel()
        lo, hi = np.percentile(sub, [0.5, CENTRE_TOP if metering == "centre" else 99.8])
        lo = float(lo) - 0.05 * float(hi - lo)
        window = (lo, float(hi))
    lo, hi = window
    span = max(hi - lo, 1e-3)
    # quantum mottle: larger where fewer photons reach the detector (thicker, denser paths)
    med = 0.5 * (lo + hi)
    sd = 0.011 * span * np.exp(np.clip((L - med) / 2.0, -2.0, 2.0))
    L = L + F32(noise) * sd.astype(F32) * noise_field(size, seed)
    x = (L - lo) / span
    x = np.clip(x, 0.0, 1.2)
    # gentle S-curve like an image intensifier / flat-panel display LUT
    x = x ** 0.9
    x = x * x * (3 - 2 * np.clip(x, 0, 1)) * 0.35 + x * 0.65
    # edge enhancement (unsharp mask)
    blur = ndimage.gaussian_filter(x, 3.0 * scale, truncate=2.5)
    x = x + 0.55 * (x - blur)
    # vignetting of the image intensifier
    x = x * _vignette(size)
    x = np.clip(x, 0.0, 1.0)
    if polarity == "native":
        x = 1.0 - x
    elif polarity != "bone-white":
        raise ValueError(polarity)
    x = x * mask
    return (x * 255.0 + 0.5).astype(np.uint8), {"window": [round(lo, 4), round(hi, 4)]}
