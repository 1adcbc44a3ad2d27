"""Digitally reconstructed radiographs: a fast perspective shear-warp and a reference ray-caster.

Both return the line integral of fluoroscopic attenuation (dimensionless,
``sum(mu * step)``) for every detector pixel of a :class:`carm.View`, summed
over the volume's layers (coarse plus residual blocks).

Fast path (shear-warp, after Lacroute and Levoy 1994): the layer is cut into
slices across the axis most parallel to the beam.  Projected from the source,
each slice lands on an intermediate plane scaled by its own magnification and
shifted.  Slices are summed in thin slabs with whole-voxel shifts (the shift
that is exact along the central ray), each slab is resampled once with its
mean magnification (bilinear), and the intermediate image is warped onto the
detector by the plane-to-plane homography.  Slabs are thin enough that the
magnification error stays under ``tol`` voxels at the edge of the layer.

Reference path: rays from the source through every pixel centre, sampled at a
fixed step with trilinear interpolation.  Slow; used by tests and the
benchmark to check the fast path and the landmark projection.
"""

from __future__ import annotations

import concurrent.futures as cf

import numpy as np
from scipy import ndimage

from .carm import View
from .volume import Layer

F32 = np.float32
_POOL = cf.ThreadPoolExecutor(max_workers=2)


ONE_COPY_BYTES = 16_000_000  # layers larger than this keep a single copy of their attenuation in memory


def _axis_views(layer: Layer, axis: int) -> np.ndarray:
    """The layer's attenuation with array axis ``axis`` first, contiguous, cached.

    A large layer keeps one copy only: ``layer.mu`` becomes a (z, y, x) view of the copy in the
    order last asked for, so turning from AP to lateral re-orders it (a fraction of a second, once)
    instead of holding the volume twice or three times over.
    """
    arr = layer._by_axis.get(axis)
    if arr is None:
        if axis == 0 and layer.mu.flags.c_contiguous:
            arr = layer.mu
        else:
            arr = np.ascontiguousarray(np.moveaxis(layer.mu, axis, 0))
        if layer.mu.nbytes > ONE_COPY_BYTES:
            layer.mu = np.moveaxis(arr, 0, axis)
            layer._by_axis.clear()
        layer._by_axis[axis] = arr
    return arr


class _Rays:
    """Per-view ray directions for every pixel centre (shared by all layers of one render)."""

    def __init__(self, view: View):
        _, self.dirs = view.pixel_rays()
        n = view.size
        corners_x = np.array([0.0, n, 0.0, n])
        corners_y = np.array([0.0, 0.0, n, n])
        q = (view.det_centre[None, :] + ((corners_x - n / 2) * view.pixel_mm)[:, None] * view.right
             + ((corners_y - n / 2) * view.pixel_mm)[:, None] * view.down)
        r = q - view.source
        self.corners = r / np.linalg.norm(r, axis=1, keepdims=True)


def shear_warp(layer: Layer, view: View, tol_mm: float = 0.25, threads: int = 2, rays: _Rays | None = None) -> np.ndarray:
    """Line integrals through one layer for every pixel of ``view`` (H, W) float32."""
    rays = rays or _Rays(view)
    d = view.d
    world_axis = int(np.argmax(np.abs(d)))  # 0 x, 1 y, 2 z
    arr_axis = 2 - world_axis  # array order is (z, y, x)
    vol = _axis_views(layer, arr_axis)
    nw, n_p, n_q = vol.shape
    rest = [a for a in (0, 1, 2) if a != arr_axis]  # remaining array axes, in array order
    wa = [2 - a for a in rest]  # their world axes (p, q)
    h = layer.spacing
    S = (view.source - layer.origin) / h  # source in index units (x, y, z)
    s_w, s_p, s_q = S[world_axis], S[wa[0]], S[wa[1]]
    iso = (view.isocentre - layer.origin) / h
    w0 = 0.5 * (nw - 1)
    if abs(w0 - s_w) < 1.0:
        return np.zeros((view.size, view.size), F32)
    k = np.arange(nw, dtype=float)
    sigma = (w0 - s_w) / (k - s_w)
    # intermediate image: the layer's projection, cropped to the detector's footprint on the plane w0
    lp = [s_p + sg * (e - s_p) for sg in (sigma.min(), sigma.max()) for e in (0, n_p - 1)]
    lq = [s_q + sg * (e - s_q) for sg in (sigma.min(), sigma.max()) for e in (0, n_q - 1)]
    tc = (w0 - s_w) / rays.corners[:, world_axis]
    cp = s_p + rays.corners[:, wa[0]] * tc
    cq = s_q + rays.corners[:, wa[1]] * tc
    P0 = np.floor(max(min(lp), cp.min())) - 2
    P1 = np.ceil(min(max(lp), cp.max())) + 2
    Q0 = np.floor(max(min(lq), cq.min())) - 2
    Q1 = np.ceil(min(max(lq), cq.max())) + 2
    if P1 <= P0 or Q1 <= Q0:
        return np.zeros((view.size, view.size), F32)
    m_p, m_q = int(P1 - P0) + 1, int(Q1 - Q0) + 1
    # central-ray footprint in each slice (where the slab approximation is exact)
    t_iso = (k - s_w) / (iso[world_axis] - s_w)
    pc = s_p + (iso[wa[0]] - s_p) * t_iso
    qc = s_q + (iso[wa[1]] - s_q) * t_iso
    radius = max(np.hypot(P1 - P0, Q1 - Q0) / 2, 8.0)  # voxels from the central ray to the footprint corner
    # slabs of slices with nearly constant magnification (error at the footprint corner < tol_mm, and never
    # below half a voxel: a coarse layer of smooth soft tissue gains nothing from thinner slabs)
    tol = max(tol_mm, 0.5 * h) / h
    slabs = []
    start = 0
    while start < nw:
        end = start + 1
        while end < nw and abs(sigma[end] - sigma[start]) * radius < 2 * tol * sigma[start]:
            end += 1
        slabs.append((start, end))
        start = end

    def run(slab_list):
        inter = np.zeros((m_p, m_q), F32)
        for a, b in slab_list:
            kc = 0.5 * (a + b - 1)
            sc = (w0 - s_w) / (kc - s_w)
            sh_p = np.rint((sigma[a:b] / sc - 1.0) * (pc[a:b] - s_p)).astype(int)
            sh_q = np.rint((sigma[a:b] / sc - 1.0) * (qc[a:b] - s_q)).astype(int)
            # slab coordinates p~ = s + (p' - s)/sc covering the cropped intermediate image
            J0 = int(np.floor(s_p + (P0 - s_p) / sc)) - 1
            J1 = int(np.ceil(s_p + (P1 - s_p) / sc)) + 2
            K0 = int(np.floor(s_q + (Q0 - s_q) / sc)) - 1
            K1 = int(np.ceil(s_q + (Q1 - s_q) / sc)) + 2
            J = np.zeros((J1 - J0, K1 - K0), F32)
            for i, kk in enumerate(range(a, b)):
                ip0, ip1 = max(J0 - sh_p[i], 0), min(J1 - sh_p[i], n_p)
                iq0, iq1 = max(K0 - sh_q[i], 0), min(K1 - sh_q[i], n_q)
                if ip1 <= ip0 or iq1 <= iq0:
                    continue
                r0, c0 = ip0 + sh_p[i] - J0, iq0 + sh_q[i] - K0
                J[r0:r0 + ip1 - ip0, c0:c0 + iq1 - iq0] += vol[kk, ip0:ip1, iq0:iq1]
            off_p = s_p + (P0 - s_p) / sc - J0
            off_q = s_q + (Q0 - s_q) / sc - K0
            inter += ndimage.affine_transform(J, [1.0 / sc, 1.0 / sc], offset=(off_p, off_q), output_shape=(m_p, m_q),
                                              order=1, mode="constant", cval=0.0, prefilter=False)
        return inter

    if threads > 1 and len(slabs) > 3 and vol.size > 6_000_000:  # small layers: thread overhead outweighs the gain
        inter = sum(_POOL.map(run, [slabs[0::2], slabs[1::2]]))
    else:
        inter = run(slabs)
    # warp intermediate -> detector: intersect each pixel's ray with the plane w = w0
    rw = rays.dirs[..., world_axis]
    rw = np.where(np.abs(rw) < 1e-9, 1e-9, rw)
    t = (w0 - s_w) / rw  # in index units along the ray
    ip = s_p + rays.dirs[..., wa[0]] * t - P0
    iq = s_q + rays.dirs[..., wa[1]] * t - Q0
    img = ndimage.map_coordinates(inter, [ip, iq], order=1, mode="constant", cval=0.0, prefilter=False)
    return (img * (h / np.abs(rw))).astype(F32)


def drr_fast(layers: list[Layer], view: View, tol_mm: float = 0.25) -> np.ndarray:
    rays = _Rays(view)
    out = np.zeros((view.size, view.size), F32)
    for layer in layers:
        out += shear_warp(layer, view, tol_mm=tol_mm, rays=rays)
    return out


def drr_reference(layers: list[Layer], view: View, step: float | None = None, window=None) -> np.ndarray:
    """Ray-cast line integrals; ``window`` = (x0, y0, x1, y1) pixel box to render only part of the image."""
    if window is None:
        x0, y0, x1, y1 = 0, 0, view.size, view.size
    else:
        x0, y0, x1, y1 = window
    xs = np.arange(x0, x1) + 0.5
    ys = np.arange(y0, y1) + 0.5
    _, rays = view.pixel_rays(xs, ys)
    out = np.zeros(rays.shape[:2], np.float64)
    for layer in layers:
        h = layer.spacing
        st = step or h * 0.5
        lo, hi = layer.bbox
        # ray-box intersection (slab method)
        with np.errstate(divide="ignore", invalid="ignore"):
            inv = 1.0 / rays
            t1 = (lo[None, None, :] - view.source[None, None, :]) * inv
            t2 = (hi[None, None, :] - view.source[None, None, :]) * inv
        tmin = np.nanmax(np.minimum(t1, t2), axis=-1)
        tmax = np.nanmin(np.maximum(t1, t2), axis=-1)
        valid = tmax > tmin
        if not valid.any():
            continue
        t_start = np.floor(tmin[valid].min() / st) * st
        t_end = tmax[valid].max()
        r = rays[valid]
        acc = np.zeros(len(r))
        for t in np.arange(t_start, t_end + st, st):
            P = view.source[None, :] + r * t
            idx = ((P - layer.origin) / h)[:, ::-1].T
            acc += ndimage.map_coordinates(layer.mu, idx, order=1, mode="constant", cval=0.0, prefilter=False)
        out[valid] += acc * st
    return out.astype(F32)
