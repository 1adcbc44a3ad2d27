"""Contrast patterns injected into the model: true and false epidurograms and other spreads.

Each pattern turns an injection point into iodine density placed in the
anatomy: the space the needle tip is in decides the shape (after the
patterns illustrated in RadioGraphics 2017;37:537-561):

* ``epidural-transforaminal``: along the exiting root sleeve (linear, outlining
  the nerve) and medially into the ventral epidural space under the pedicle.
* ``epidural-interlaminar``: dorsal epidural space, linear and patchy, spreading
  over levels, outlining the thecal sac margins and a few root sleeves.
* ``epidural-caudal``: sacral canal filling up to L5-S1 with sacral root sleeves.
* ``intravascular``: thin branching vessels (radicular vein to the epidural
  venous plexus and a segmental vein), fading downstream ("runoff").
* ``intrathecal``: a myelogram: contrast mixes with CSF and layers dependently,
  the cauda equina roots as filling defects, root sleeves filled.
* ``subdural``: a thin dense sharply marginated layer inside the dura over
  several levels, without root sleeves.
* ``facet``: arthrogram of the joint space with its superior and inferior recesses.
* ``muscle``: feathery, striated staining in muscle.
* ``intradiscal``: nucleogram of the disc nucleus.
* ``intraneural``: contrast within the nerve root sheath itself.

The result is an additive layer (Hounsfield units and fluoroscopic
attenuation) on a small grid around the pattern.
"""

from __future__ import annotations

import numpy as np

from .sdf import F32, Ellipsoid, Frame, Shape, Union, field_on_block, rod_chain
from .tissues import CONTRAST_BOOST, MU_WATER
from .volume import Layer

PATTERNS = (
    "epidural-transforaminal",
    "epidural-interlaminar",
    "epidural-caudal",
    "intravascular",
    "intrathecal",
    "subdural",
    "facet",
    "muscle",
    "intradiscal",
    "intraneural",
)
AMOUNT = {"small": 0.6, "medium": 1.0, "large": 1.5}


class Component:
    """Contrast of ``hu`` inside ``shape`` (field < 0), faded with distance from ``centre``."""

    def __init__(self, shape: Shape, hu: float, centre: np.ndarray, reach: float, stripes: float = 0.0):
        self.shape, self.hu, self.centre, self.reach, self.stripes = shape, float(hu), np.asarray(centre, float), float(reach), stripes


def _nearest(prefix_suffix: str, point: np.ndarray, zones: dict) -> tuple[str, Shape]:
    best, best_f = None, 1e9
    p = np.asarray(point, F32)[None, :]
    for name, shape in zones.items():
        if not name.endswith(prefix_suffix):
            continue
        lo, hi = shape.bbox
        if np.any(point < lo - 40) or np.any(point > hi + 40):
            continue
        f = float(np.asarray(shape(p[:, 0], p[:, 1], p[:, 2])).ravel()[0])
        if f < best_f:
            best, best_f = name, f
    if best is None:
        raise ValueError(f"no {prefix_suffix} near the injection point")
    return best, zones[best]


class _Between(Shape):
    """Region inside ``a`` and outside ``b`` (e.g. the epidural space around the thecal sac)."""

    def __init__(self, a: Shape, b: Shape, bbox=None):
        self.a, self.b = a, b
        self.bbox = bbox if bbox is not None else a.bbox

    def __call__(self, X, Y, Z):
        return np.maximum(self.a(X, Y, Z), -self.b(X, Y, Z))

    def field_block(self, xs, ys, zs, pad):
        return np.maximum(field_on_block(self.a, xs, ys, zs, pad), -field_on_block(self.b, xs, ys, zs, pad))


class _Near(Shape):
    """The band t0 < f < t1 around a shape (a sleeve)."""

    def __init__(self, s: Shape, t0: float, t1: float):
        self.s, self.t0, self.t1 = s, float(t0), float(t1)
        self.bbox = (s.bbox[0] - t1, s.bbox[1] + t1)

    def __call__(self, X, Y, Z):
        f = self.s(X, Y, Z)
        return np.maximum(F32(self.t0) - f, f - F32(self.t1))

    def field_block(self, xs, ys, zs, pad):
        f = field_on_block(self.s, xs, ys, zs, pad + self.t1)
        return np.maximum(F32(self.t0) - f, f - F32(self.t1))


class _Box(Shape):
    """A shape kept within ``radius`` of a centre."""

    def __init__(self, shape: Shape, centre, radius):
        self.s, self.c, self.r = shape, np.asarray(centre, float), float(radius)
        self.bbox = (np.maximum(shape.bbox[0], self.c - radius), np.minimum(shape.bbox[1], self.c + radius))

    def __call__(self, X, Y, Z):
        c = self.c.astype(F32)
        d = np.sqrt((X - c[0]) ** 2 + (Y - c[1]) ** 2 + (Z - c[2]) ** 2) - F32(self.r)
        return np.maximum(self.s(X, Y, Z), d)

    def field_block(self, xs, ys, zs, pad):
        c = self.c.astype(F32)
        X = xs.astype(F32)[None, None, :]
        Y = ys.astype(F32)[:, None][None]
        Z = zs.astype(F32)[:, None, None]
        d = np.sqrt((X - c[0]) ** 2 + (Y - c[1]) ** 2 + (Z - c[2]) ** 2) - F32(self.r)
        return np.maximum(field_on_block(self.s, xs, ys, zs, pad), d)


def components(pattern: str, at: np.ndarray, side: str, amount: str = "medium") -> list[Component]:
    from .anatomy import zones as all_zones

    zones = all_zones()
    k = AMOUNT[amount]
    at = np.asarray(at, float)
    sac = zones["thecal-sac"]
    epi = zones["epidural-space"]
    if pattern == "epidural-transforaminal":
        rname, root = _nearest(".nerve-root", at, zones)
        sleeve = _Box(_Near(root, 0.2, 1.6), at, 28.0 * k)
        ventral = _Box(_Between(epi, sac), at + np.array([0.0, -4.0, 0.0]), 18.0 * k)
        return [Component(sleeve, 1500.0, at, 30.0 * k), Component(ventral, 1100.0, at, 22.0 * k)]
    if pattern == "epidural-interlaminar":
        dorsal = _Box(_Between(epi, sac), at + np.array([0.0, 3.0, 0.0]), 45.0 * k)
        margins = _Box(_Near(sac, 0.1, 1.2), at, 50.0 * k)
        return [Component(dorsal, 900.0, at, 45.0 * k), Component(margins, 800.0, at, 55.0 * k)]
    if pattern == "epidural-caudal":
        canal = _Box(_Between(epi, sac), at, 70.0 * k)
        roots = [Component(_Box(_Near(zones[f"S{i}.{s}.nerve-root"], 0.2, 1.5), at, 70.0 * k), 1100.0, at, 70.0 * k)
                 for i in (1, 2, 3) for s in ("L", "R") if f"S{i}.{s}.nerve-root" in zones]
        return [Component(canal, 1300.0, at, 75.0 * k)] + roots
    if pattern == "intravascular":
        return _vessels(at, side, k)
    if pattern == "intrathecal":
        csf = zones["csf"]
        cauda = zones.get("cauda-equina")
        fill = _Box(_Between(csf, cauda) if cauda is not None else csf, at + np.array([0, 0, -25.0]), 75.0 * k)
        return [Component(fill, 900.0, at, 80.0 * k, stripes=-1.0)]
    if pattern == "subdural":
        shell = _Box(_Near(sac, -1.1, -0.2), at, 60.0 * k)
        return [Component(shell, 1600.0, at, 70.0 * k)]
    if pattern == "facet":
        jname, joint = _nearest(".facet-joint", at, zones)
        from .spine import build_spine

        seg, s = jname.split(".")[0], jname.split(".")[1]
        j = build_spine().joints[seg][s]
        rec_up = Ellipsoid(Frame(j.point(along=j.half_height + 1.5, normal=1.5), np.eye(3)), (3.0, 3.0, 4.0))
        rec_dn = Ellipsoid(Frame(j.point(along=-j.half_height - 2.0, normal=1.5), np.eye(3)), (3.5, 3.5, 5.0))
        return [Component(joint, 1600.0, j.centre, 40.0), Component(Union([rec_up, rec_dn], k=1.0), 1500.0, j.centre, 40.0)]
    if pattern == "muscle":
        cloud = Ellipsoid(Frame(at, np.eye(3)), (12.0 * k, 9.0 * k, 24.0 * k))
        return [Component(cloud, 900.0, at, 24.0 * k, stripes=1.0)]
    if pattern == "intradiscal":
        nname, nuc = _nearest(".nucleus", at, zones)
        return [Component(nuc, 1500.0, at, 40.0)]
    if pattern == "intraneural":
        rname, root = _nearest(".nerve-root", at, zones)
        return [Component(_Box(root, at, 14.0 * k), 1300.0, at, 14.0 * k)]
    raise ValueError(pattern)


def _vessels(at: np.ndarray, side: str, k: float) -> list[Component]:
    """Radicular vein running medially to the epidural venous plexus, and a segmental vein laterally."""
    s = 1.0 if side == "L" else -1.0
    med = at + np.array([-s * 8.0, -4.0, -2.0])
    plexus_top = med + np.array([-s * 2.0, -2.0, 30.0 * k])
    plexus_bot = med + np.array([-s * 2.0, -2.0, -30.0 * k])
    cross = med + np.array([-s * 12.0, -1.0, -3.0])
    lateral = at + np.array([s * 25.0, -15.0, -8.0])
    far = at + np.array([s * 45.0, -35.0, -14.0])
    parts = [
        rod_chain([at, med, cross], [0.9, 0.9, 0.7], [0.9, 0.9, 0.7], k=0.5),
        rod_chain([plexus_top, med + np.array([0, 0, 8.0]), med, med - np.array([0, 0, 8.0]), plexus_bot],
                  [0.6, 0.9, 1.0, 0.9, 0.6], [0.6, 0.9, 1.0, 0.9, 0.6], k=0.5),
        rod_chain([at, lateral, far], [1.0, 1.2, 1.3], [1.0, 1.2, 1.3], k=0.5),
    ]
    return [Component(Union(parts, k=0.6), 1300.0, at, 50.0 * k)]


def contrast_layer(comps: list[Component], spacing: float | None = None) -> Layer | None:
    """Rasterise contrast components into an additive layer (HU and fluoroscopic attenuation)."""
    if not comps:
        return None
    los = np.array([c.shape.bbox[0] for c in comps if c.hu > 0])
    his = np.array([c.shape.bbox[1] for c in comps if c.hu > 0])
    if len(los) == 0:
        return None
    lo = np.floor(los.min(axis=0)) - 2
    hi = np.ceil(his.max(axis=0)) + 2
    if spacing is None:  # fine for small patterns, coarser for spreads over several levels
        spacing = 0.6 if float(np.max(hi - lo)) < 70 else 0.9
    lo = np.maximum(lo, [-400, -400, -600])
    hi = np.minimum(hi, [400, 400, 900])
    xs = np.arange(lo[0], hi[0], spacing)
    ys = np.arange(lo[1], hi[1], spacing)
    zs = np.arange(lo[2], hi[2], spacing)
    hu = np.zeros((len(zs), len(ys), len(xs)), F32)
    for c in comps:
        if c.hu <= 0:
            continue
        f = field_on_block(c.shape, xs, ys, zs)
        alpha = np.clip(0.5 - f / F32(spacing), 0, 1)
        Z, Y, X = np.meshgrid(zs, ys, xs, indexing="ij", sparse=True)
        r = np.sqrt((X - c.centre[0]) ** 2 + (Y - c.centre[1]) ** 2 + (Z - c.centre[2]) ** 2)
        fade = np.clip(1.15 - (r / c.reach) ** 2, 0, 1).astype(F32)
        dens = alpha * fade
        if c.stripes > 0:  # feathery striation along the muscle fibres
            dens = dens * (0.55 + 0.45 * np.cos(X * 0.9 + 0.25 * Z) ** 2).astype(F32)
        if c.stripes < 0:  # dependent layering: denser anteriorly for a prone patient
            dens = dens * np.clip(0.7 - (Y - c.centre[1]) / 20.0, 0.35, 1.0).astype(F32)
        hu = np.maximum(hu, dens * F32(c.hu))
    mu = (MU_WATER * CONTRAST_BOOST * hu / 1000.0).astype(F32)
    return Layer(lo.astype(float), float(spacing), hu, mu, residual=True)
