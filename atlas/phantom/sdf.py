"""Signed-distance shapes in world coordinates (millimetres, LPS axes).

A shape is a callable ``shape(X, Y, Z) -> field`` on broadcastable arrays of
world coordinates, negative inside, roughly the distance to the surface near
it, with a world bounding box ``shape.bbox`` outside which the field is
positive.  Shapes combine with :class:`Union`, :class:`Intersect` and
:class:`Subtract` (optionally smooth).  :func:`field_on_block` evaluates a
shape on an axis-aligned block of a voxel grid and evaluates each member of a
union only inside its own bounding box, which keeps the phantom build fast.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Sequence

import numpy as np

BIG = 60.0  # "far outside" field value, mm
F32 = np.float32


# ---------------------------------------------------------------------------
# frames
# ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Frame:
    """A rigid frame: ``origin`` (world) and ``axes`` (3x3, rows = local x, y, z in world)."""

    origin: np.ndarray
    axes: np.ndarray

    @staticmethod
    def identity(origin=(0.0, 0.0, 0.0)) -> "Frame":
        return Frame(np.asarray(origin, float), np.eye(3))

    def to_local(self, X, Y, Z):
        dx, dy, dz = X - F32(self.origin[0]), Y - F32(self.origin[1]), Z - F32(self.origin[2])
        a = self.axes.astype(F32)
        return (
            dx * a[0, 0] + dy * a[0, 1] + dz * a[0, 2],
            dx * a[1, 0] + dy * a[1, 1] + dz * a[1, 2],
            dx * a[2, 0] + dy * a[2, 1] + dz * a[2, 2],
        )

    def point(self, local) -> np.ndarray:
        """World position of a local point."""
        return self.origin + np.asarray(local, float) @ self.axes

    def vector(self, local) -> np.ndarray:
        return np.asarray(local, float) @ self.axes

    def local_point(self, world) -> np.ndarray:
        return self.axes @ (np.asarray(world, float) - self.origin)

    def rotated_x(self, degrees: float) -> "Frame":
        """This frame turned about its own x axis (positive: its z tips toward its -y)."""
        return Frame(self.origin, rot_x(degrees) @ self.axes)

    def moved(self, local_offset) -> "Frame":
        return Frame(self.point(local_offset), self.axes)

    def mirrored_x(self) -> "Frame":
        """Same frame with the local x axis flipped (for left/right copies)."""
        a = self.axes.copy()
        a[0] = -a[0]
        return Frame(self.origin, a)


def rot_x(deg: float) -> np.ndarray:
    """Rows-as-axes rotation about x: positive turns +z toward -y (forward flexion in LPS)."""
    t = np.radians(deg)
    c, s = np.cos(t), np.sin(t)
    return np.array([[1, 0, 0], [0, c, s], [0, -s, c]], float)


def rot_z(deg: float) -> np.ndarray:
    t = np.radians(deg)
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, s, 0], [-s, c, 0], [0, 0, 1]], float)


def rot_y(deg: float) -> np.ndarray:
    t = np.radians(deg)
    c, s = np.cos(t), np.sin(t)
    return np.array([[c, 0, -s], [0, 1, 0], [s, 0, c]], float)


def unit(v) -> np.ndarray:
    v = np.asarray(v, float)
    n = np.linalg.norm(v)
    return v / n if n > 0 else v


def frame_from_z(origin, z_axis, x_hint=(1.0, 0.0, 0.0)) -> Frame:
    """A frame whose z axis is ``z_axis`` and whose x axis is as close as possible to ``x_hint``."""
    z = unit(z_axis)
    x = np.asarray(x_hint, float) - z * np.dot(x_hint, z)
    if np.linalg.norm(x) < 1e-6:
        x = np.array([0.0, 1.0, 0.0]) - z * z[1]
    x = unit(x)
    y = np.cross(z, x)
    return Frame(np.asarray(origin, float), np.array([x, y, z]))


# ---------------------------------------------------------------------------
# smooth booleans
# ---------------------------------------------------------------------------
def smin(a, b, k: float):
    if k <= 0:
        return np.minimum(a, b)
    h = np.clip(0.5 + 0.5 * (b - a) / k, 0.0, 1.0)
    return b + (a - b) * h - F32(k) * h * (1.0 - h)


def smax(a, b, k: float):
    return -smin(-a, -b, k)


# ---------------------------------------------------------------------------
# shapes
# ---------------------------------------------------------------------------
class Shape:
    bbox: tuple[np.ndarray, np.ndarray]

    def __call__(self, X, Y, Z):  # pragma: no cover - interface
        raise NotImplementedError


def _bbox_of_points(points, pad: float) -> tuple[np.ndarray, np.ndarray]:
    p = np.asarray(points, float).reshape(-1, 3)
    return p.min(axis=0) - pad, p.max(axis=0) + pad


def _box_corners(lo, hi) -> np.ndarray:
    lo, hi = np.asarray(lo, float), np.asarray(hi, float)
    return np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])


def _ellipsoid_core(k0, k1, rmin):
    """Distance estimate from the ellipsoid ratios: accurate near the surface (k0 (k0-1) / k1) and
    never shallower than (k0 - 1) * rmin inside, so that deep points do not read as surface."""
    near = k0 * (k0 - 1.0) / np.maximum(k1, F32(1e-6))
    return np.where(k0 < 1.0, np.minimum(near, (k0 - 1.0) * rmin), near)


def _ellipsoid_local(x, y, z, rx, ry, rz):
    k0 = np.sqrt((x / rx) ** 2 + (y / ry) ** 2 + (z / rz) ** 2)
    k1 = np.sqrt((x / rx**2) ** 2 + (y / ry**2) ** 2 + (z / rz**2) ** 2)
    return _ellipsoid_core(k0, k1, F32(min(rx, ry, rz)))


class Local(Shape):
    """A shape given by a function of local coordinates in ``frame`` with a local box."""

    def __init__(self, frame: Frame, fn: Callable, lo, hi):
        self.frame, self.fn = frame, fn
        corners = np.array([frame.point(c) for c in _box_corners(lo, hi)])
        self.bbox = _bbox_of_points(corners, 0.0)

    def __call__(self, X, Y, Z):
        return self.fn(*self.frame.to_local(X, Y, Z))


class Ellipsoid(Local):
    def __init__(self, frame: Frame, radii):
        rx, ry, rz = (F32(r) for r in radii)
        super().__init__(frame, lambda x, y, z: _ellipsoid_local(x, y, z, rx, ry, rz), -np.asarray(radii), np.asarray(radii))


class Sphere(Shape):
    def __init__(self, centre, r: float):
        self.c, self.r = np.asarray(centre, float), float(r)
        self.bbox = (self.c - r, self.c + r)

    def __call__(self, X, Y, Z):
        c = self.c.astype(F32)
        return np.sqrt((X - c[0]) ** 2 + (Y - c[1]) ** 2 + (Z - c[2]) ** 2) - F32(self.r)


class RoundBox(Local):
    def __init__(self, frame: Frame, half, r: float = 0.0):
        hx, hy, hz = (F32(h - r) for h in half)
        rr = F32(r)

        def fn(x, y, z):
            qx, qy, qz = np.abs(x) - hx, np.abs(y) - hy, np.abs(z) - hz
            out = np.sqrt(np.maximum(qx, 0) ** 2 + np.maximum(qy, 0) ** 2 + np.maximum(qz, 0) ** 2)
            return out + np.minimum(np.maximum(qx, np.maximum(qy, qz)), 0) - rr

        super().__init__(frame, fn, -np.asarray(half), np.asarray(half))


class Rod(Shape):
    """A tapered rod of elliptical section from ``a`` to ``b`` with rounded ends.

    ``wa, ha`` are the half-width and half-height at ``a`` (``wb, hb`` at ``b``);
    the height axis is ``up`` made perpendicular to the rod.
    """

    def __init__(self, a, b, wa, ha, wb=None, hb=None, up=(0.0, 0.0, 1.0), p: float = 2.0):
        self.p = float(p)
        self.a, self.b = np.asarray(a, float), np.asarray(b, float)
        wb = wa if wb is None else wb
        hb = ha if hb is None else hb
        self.wa, self.ha, self.wb, self.hb = float(wa), float(ha), float(wb), float(hb)
        axis = self.b - self.a
        self.length = float(np.linalg.norm(axis))
        self.e = unit(axis)
        up = np.asarray(up, float)
        h = up - self.e * np.dot(up, self.e)
        if np.linalg.norm(h) < 1e-6:
            h = np.array([1.0, 0.0, 0.0]) - self.e * self.e[0]
        self.eh = unit(h)
        self.ew = np.cross(self.eh, self.e)
        rmax = max(wa, ha, wb, hb)
        self.bbox = _bbox_of_points([self.a, self.b], rmax)

    def __call__(self, X, Y, Z):
        a = self.a.astype(F32)
        dx, dy, dz = X - a[0], Y - a[1], Z - a[2]
        e, ew, eh = self.e.astype(F32), self.ew.astype(F32), self.eh.astype(F32)
        L = F32(max(self.length, 1e-6))
        pa = dx * e[0] + dy * e[1] + dz * e[2]
        t = np.clip(pa / L, 0.0, 1.0)
        w = F32(self.wa) + F32(self.wb - self.wa) * t
        h = F32(self.ha) + F32(self.hb - self.ha) * t
        c = np.minimum(w, h)
        pw = dx * ew[0] + dy * ew[1] + dz * ew[2]
        ph = dx * eh[0] + dy * eh[1] + dz * eh[2]
        over = pa - t * L
        if self.p != 2.0:  # superellipse section: flatter sides, rounder than a box
            e_ = F32(self.p)
            k = (np.abs(pw / w) ** e_ + np.abs(ph / h) ** e_) ** (1.0 / e_)
            return (np.sqrt(k * k + (over / c) ** 2) - 1.0) * c
        k0 = np.sqrt((pw / w) ** 2 + (ph / h) ** 2 + (over / c) ** 2)
        k1 = np.sqrt((pw / w**2) ** 2 + (ph / h**2) ** 2 + (over / c**2) ** 2)
        return _ellipsoid_core(k0, k1, c)


def rod_chain(points: Sequence, widths: Sequence, heights: Sequence, up=(0.0, 0.0, 1.0), k: float = 1.0, ups=None) -> "Union":
    """A smooth tube through ``points`` with a half-width and half-height per point."""
    parts = []
    for i in range(len(points) - 1):
        u = up if ups is None else ups[i]
        parts.append(Rod(points[i], points[i + 1], widths[i], heights[i], widths[i + 1], heights[i + 1], up=u))
    return Union(parts, k=k)


class HalfSpace(Shape):
    """Points with ``dot(p - point, normal) > 0`` are outside (field = signed plane distance)."""

    def __init__(self, point, normal, bbox=None):
        self.p, self.n = np.asarray(point, float), unit(normal)
        self.bbox = bbox if bbox is not None else (np.full(3, -1e4), np.full(3, 1e4))

    def __call__(self, X, Y, Z):
        p, n = self.p.astype(F32), self.n.astype(F32)
        return (X - p[0]) * n[0] + (Y - p[1]) * n[1] + (Z - p[2]) * n[2]


class Union(Shape):
    def __init__(self, parts: Sequence[Shape], k: float = 0.0):
        self.parts, self.k = [p for p in parts if p is not None], float(k)
        los = np.array([p.bbox[0] for p in self.parts])
        his = np.array([p.bbox[1] for p in self.parts])
        self.bbox = (los.min(axis=0) - self.k, his.max(axis=0) + self.k)

    def __call__(self, X, Y, Z):
        out = None
        for p in self.parts:
            f = p(X, Y, Z)
            out = f if out is None else smin(out, f, self.k)
        return out


class Intersect(Shape):
    def __init__(self, a: Shape, b: Shape, k: float = 0.0):
        self.a, self.b, self.k = a, b, float(k)
        lo = np.maximum(a.bbox[0], b.bbox[0])
        hi = np.minimum(a.bbox[1], b.bbox[1])
        self.bbox = (lo, np.maximum(hi, lo))

    def __call__(self, X, Y, Z):
        return smax(self.a(X, Y, Z), self.b(X, Y, Z), self.k)


class Subtract(Shape):
    """``a`` with ``b`` carved out."""

    def __init__(self, a: Shape, b: Shape, k: float = 0.0):
        self.a, self.b, self.k = a, b, float(k)
        self.bbox = a.bbox

    def __call__(self, X, Y, Z):
        return smax(self.a(X, Y, Z), -self.b(X, Y, Z), self.k)


class Shell(Shape):
    """A layer of thickness ``t`` centred on the surface of ``a`` (|f| - t/2)."""

    def __init__(self, a: Shape, t: float, offset: float = 0.0):
        self.a, self.t, self.offset = a, float(t), float(offset)
        self.bbox = (a.bbox[0] - t - abs(offset), a.bbox[1] + t + abs(offset))

    def __call__(self, X, Y, Z):
        return np.abs(self.a(X, Y, Z) - F32(self.offset)) - F32(self.t / 2)

    def band(self) -> tuple[Shape, float, float]:
        """(outer shape, d0, d1): the shell is where ``-d1 < a < -d0`` (for exact partial volumes)."""
        return self.a, -(self.offset + self.t / 2), self.t / 2 - self.offset


class Complement(Shape):
    """Everything outside ``a`` (its field negated)."""

    def __init__(self, a: Shape):
        self.a = a
        self.bbox = (np.full(3, -1e4), np.full(3, 1e4))

    def __call__(self, X, Y, Z):
        return -self.a(X, Y, Z)


class Offset(Shape):
    """``a`` grown (positive ``d``) or shrunk."""

    def __init__(self, a: Shape, d: float):
        self.a, self.d = a, float(d)
        self.bbox = (a.bbox[0] - max(d, 0), a.bbox[1] + max(d, 0))

    def __call__(self, X, Y, Z):
        return self.a(X, Y, Z) - F32(self.d)

    def field_block(self, xs, ys, zs, pad):
        return field_on_block(self.a, xs, ys, zs, pad + max(self.d, 0.0)) - F32(self.d)


class Translated(Shape):
    """``a`` moved bodily by ``offset`` (world axes: +x the patient's left, +y back, +z head)."""

    def __init__(self, a: Shape, offset):
        self.a, self.offset = a, np.asarray(offset, float)
        self.bbox = (np.asarray(a.bbox[0], float) + self.offset, np.asarray(a.bbox[1], float) + self.offset)

    def __call__(self, X, Y, Z):
        dx, dy, dz = (F32(v) for v in self.offset)
        return self.a(X - dx, Y - dy, Z - dz)

    def field_block(self, xs, ys, zs, pad):
        return field_on_block(self.a, xs - self.offset[0], ys - self.offset[1], zs - self.offset[2], pad)


class Clipped(Shape):
    """``a`` restricted to a world box (hard clip, used to keep a shape in a region)."""

    def __init__(self, a: Shape, lo, hi):
        self.a = a
        self.lo, self.hi = np.maximum(a.bbox[0], lo), np.minimum(a.bbox[1], hi)
        self.bbox = (self.lo, self.hi)

    def __call__(self, X, Y, Z):
        f = self.a(X, Y, Z)
        lo, hi = self.lo.astype(F32), self.hi.astype(F32)
        d = np.maximum(np.maximum(lo[0] - X, X - hi[0]), np.maximum(lo[1] - Y, Y - hi[1]))
        d = np.maximum(d, np.maximum(lo[2] - Z, Z - hi[2]))
        return np.maximum(f, d)

    def field_block(self, xs, ys, zs, pad):
        f = field_on_block(self.a, xs, ys, zs, pad)
        lo, hi = self.lo.astype(F32), self.hi.astype(F32)
        X = xs.astype(F32)[None, None, :]
        Y = ys.astype(F32)[:, None][None]
        Z = zs.astype(F32)[:, None, None]
        d = np.maximum(np.maximum(lo[0] - X, X - hi[0]), np.maximum(lo[1] - Y, Y - hi[1]))
        d = np.maximum(d, np.maximum(lo[2] - Z, Z - hi[2]))
        return np.maximum(f, d)


def polygon_sdf_2d(u, v, poly: np.ndarray):
    """Signed distance to a closed 2D polygon (negative inside), vectorised over u, v."""
    poly = np.asarray(poly, F32)
    d = None
    sign = np.ones_like(u, dtype=F32)
    n = len(poly)
    for i in range(n):
        a, b = poly[i], poly[(i + 1) % n]
        ex, ey = b[0] - a[0], b[1] - a[1]
        wx, wy = u - a[0], v - a[1]
        t = np.clip((wx * ex + wy * ey) / F32(ex * ex + ey * ey + 1e-9), 0.0, 1.0)
        dx, dy = wx - t * ex, wy - t * ey
        dd = dx * dx + dy * dy
        d = dd if d is None else np.minimum(d, dd)
        c1 = v >= a[1]
        c2 = v < b[1]
        c3 = ex * wy > ey * wx
        flip = (c1 & c2 & c3) | (~c1 & ~c2 & ~c3)
        sign = np.where(flip, -sign, sign)
    return sign * np.sqrt(d)


# ---------------------------------------------------------------------------
# evaluation on voxel blocks
# ---------------------------------------------------------------------------
def _sub_range(axis: np.ndarray, lo: float, hi: float) -> slice:
    i0 = int(np.searchsorted(axis, lo, side="left"))
    i1 = int(np.searchsorted(axis, hi, side="right"))
    return slice(i0, max(i0, i1))


def field_on_block(shape: Shape, xs: np.ndarray, ys: np.ndarray, zs: np.ndarray, pad: float = 3.0) -> np.ndarray:
    """Field of ``shape`` on the block ``zs x ys x xs`` (array order z, y, x)."""
    shape_out = (len(zs), len(ys), len(xs))
    if hasattr(shape, "field_block"):  # composite shapes that evaluate their children block-wise
        return shape.field_block(xs, ys, zs, pad)
    if isinstance(shape, Intersect):
        a = field_on_block(shape.a, xs, ys, zs, pad)
        b = field_on_block(shape.b, xs, ys, zs, pad) if not isinstance(shape.b, HalfSpace) else None
        if b is None:
            X = xs.astype(F32)[None, None, :]
            Y = ys.astype(F32)[:, None][None]
            Z = zs.astype(F32)[:, None, None]
            b = np.broadcast_to(np.asarray(shape.b(X, Y, Z), F32), shape_out)
        return smax(a, b, shape.k).astype(F32, copy=False)
    if isinstance(shape, Union):
        out = np.full(shape_out, BIG, F32)
        for part in shape.parts:
            lo, hi = part.bbox
            sx = _sub_range(xs, lo[0] - pad - shape.k, hi[0] + pad + shape.k)
            sy = _sub_range(ys, lo[1] - pad - shape.k, hi[1] + pad + shape.k)
            sz = _sub_range(zs, lo[2] - pad - shape.k, hi[2] + pad + shape.k)
            if sx.stop <= sx.start or sy.stop <= sy.start or sz.stop <= sz.start:
                continue
            f = field_on_block(part, xs[sx], ys[sy], zs[sz], pad)
            out[sz, sy, sx] = smin(out[sz, sy, sx], f, shape.k)
        return out
    if isinstance(shape, Subtract):
        out = field_on_block(shape.a, xs, ys, zs, pad)
        lo, hi = shape.b.bbox
        m = pad + shape.k
        sx, sy, sz = _sub_range(xs, lo[0] - m, hi[0] + m), _sub_range(ys, lo[1] - m, hi[1] + m), _sub_range(zs, lo[2] - m, hi[2] + m)
        if sx.stop > sx.start and sy.stop > sy.start and sz.stop > sz.start:
            g = field_on_block(shape.b, xs[sx], ys[sy], zs[sz], pad)
            out[sz, sy, sx] = smax(out[sz, sy, sx], -g, shape.k)
        return out
    X = xs.astype(F32)[None, None, :]
    Y = ys.astype(F32)[:, None][None]
    Z = zs.astype(F32)[:, None, None]
    f = np.asarray(shape(X, Y, Z), dtype=F32)
    if f.shape != shape_out or not f.flags.writeable:
        f = np.array(np.broadcast_to(f, shape_out), dtype=F32)
    return f


def exit_point(shape: Shape, start, direction, step: float = 1.0, max_mm: float = 300.0) -> np.ndarray:
    """Where the line from ``start`` along ``direction`` first leaves ``shape`` (sampled every ``step`` mm,
    refined linearly between the last sample inside and the first outside); ``start`` itself if it is
    already outside, the end of the search if the line never leaves."""
    start = np.asarray(start, float)
    d = np.asarray(direction, float) / np.linalg.norm(direction)
    ts = np.arange(0.0, max_mm, step)
    pts = (start[None, :] + ts[:, None] * d[None, :]).astype(np.float32)
    f = np.asarray(shape(pts[:, 0], pts[:, 1], pts[:, 2]), float).ravel()
    outside = np.nonzero(f > 0)[0]
    if len(outside) == 0:
        return pts[-1].astype(float)
    i = outside[0]
    if i == 0:
        return start
    f0, f1 = f[i - 1], f[i]
    return start + (ts[i - 1] + step * (-f0) / (f1 - f0)) * d


def field_at_points(shape: Shape, points: np.ndarray) -> np.ndarray:
    p = np.asarray(points, F32).reshape(-1, 3)
    return np.asarray(shape(p[:, 0], p[:, 1], p[:, 2]), float)


def normalised(field: np.ndarray, spacing: float, floor: float = 0.3, band: float = 2.5) -> np.ndarray:
    """Divide a field by its gradient magnitude so that it reads as a distance near the surface.

    Only values within ``band`` mm of the surface are corrected; farther ones
    keep their sign and size (the jump to :data:`BIG` outside a part's box must
    not be read as a steep gradient near a surface).
    """
    if min(field.shape) < 3:
        return field
    gz, gy, gx = np.gradient(field, spacing)
    gx *= gx  # in place: this runs on every structure of the coarse layer
    gy *= gy
    gz *= gz
    gx += gy
    gx += gz
    del gy, gz
    g = np.sqrt(gx, out=gx)
    np.clip(g, F32(floor), F32(3.0), out=g)
    out = field.astype(F32)  # a copy
    np.divide(out, g, out=out, where=np.abs(out) < band)
    return out
