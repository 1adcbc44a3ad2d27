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


def _axis_views(layer: Layer, axis: int) -> np.ndarray:
    """The layer's attenuation with array axis ``axis`` first, contiguous, cached."""
    arr = layer._by_axis.get(axis)
    if arr is None:
        arr = np.ascontiguousarray(np.moveaxis(layer.mu, axis, 0)) if axis != 0 else layer.mu
        layer._by_axis[axis] = arr
    return arr


def shear_warp(layer: Layer, view: View, tol: float = 0.35, threads: int = 2) -> np.ndarray:
    """Line integrals through one layer for every pixel of ``view`` (H, W) float32."""
    d = view.d
    world_axis = int(np.argmax(np.abs(d)))  # 0 x, 1 y, 2 z
    arr_axis = 2 - world_axis  # array order is (z, y, x)
    vol = _axis_views(layer, arr_axis)
    nw = vol.shape[0]
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
    n_p, n_q = vol.shape[1], vol.shape[2]
    # intermediate image extent (covers every projected slice)
    p_lo = min(s_p + sigma.min() * (0 - s_p), s_p + sigma.max() * (0 - s_p)) - 2
    p_hi = max(s_p + sigma.min() * (n_p - 1 - s_p), s_p + sigma.max() * (n_p - 1 - s_p)) + 2
    q_lo = min(s_q + sigma.min() * (0 - s_q), s_q + sigma.max() * (0 - s_q)) - 2
    q_hi = max(s_q + sigma.min() * (n_q - 1 - s_q), s_q + sigma.max() * (n_q - 1 - s_q)) + 2
    o_p, o_q = np.floor(p_lo), np.floor(q_lo)
    m_p, m_q = int(np.ceil(p_hi - o_p)) + 1, int(np.ceil(q_hi - o_q)) + 1
    # central-ray footprint in each slice (where the slab approximation is exact)
    t_iso = (k - s_w) / (iso[world_axis] - s_w)
    pc = s_p + (iso[wa[0]] - s_p) * t_iso
    qc = s_q + (iso[wa[1]] - s_q) * t_iso
    radius = 0.5 * np.hypot(n_p, n_q)
    # group slices into slabs with nearly constant magnification
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
            shifts_p = np.rint((sigma[a:b] / sc - 1.0) * (pc[a:b] - s_p)).astype(int)
            shifts_q = np.rint((sigma[a:b] / sc - 1.0) * (qc[a:b] - s_q)).astype(int)
            mp0, mp1 = min(shifts_p.min(), 0), max(shifts_p.max(), 0)
            mq0, mq1 = min(shifts_q.min(), 0), max(shifts_q.max(), 0)
            J = np.zeros((n_p + mp1 - mp0, n_q + mq1 - mq0), F32)
            for i, kk in enumerate(range(a, b)):
                r0, c0 = shifts_p[i] - mp0, shifts_q[i] - mq0
                J[r0:r0 + n_p, c0:c0 + n_q] += vol[kk]
            # J index j corresponds to slab coordinate p~ = j + mp0; p' = s + sc (p~ - s)
            # intermediate index a_ maps to p' = o + a_  ->  j = (o + a_ - s)/sc + s - mp0
            off_p = (o_p - s_p) / sc + s_p - mp0
            off_q = (o_q - s_q) / sc + s_q - mq0
            inter += ndimage.affine_transform(J, [1.0 / sc, 1.0 / sc], offset=(off_p, off_q), output_shape=(m_p, m_q),
                                              order=1, mode="constant", cval=0.0, prefilter=False)
        return inter

    if threads > 1 and len(slabs) > 3:
        half = [slabs[0::2], slabs[1::2]]
        inter = sum(_POOL.map(run, half))
    else:
        inter = run(slabs)
    # warp intermediate -> detector: intersect each pixel's ray with the plane w = w0
    _, rays = view.pixel_rays()
    rw = rays[..., world_axis]
    t = (w0 - s_w) * h / np.where(np.abs(rw) < 1e-9, 1e-9, rw)  # mm along the ray from the source
    P = view.source[None, None, :] + rays * t[..., None]
    ip = (P[..., wa[0]] - layer.origin[wa[0]]) / h - o_p
    iq = (P[..., wa[1]] - layer.origin[wa[1]]) / h - o_q
    img = ndimage.map_coordinates(inter, [ip, iq], order=1, mode="constant", cval=0.0, prefilter=False)
    path = h / np.abs(rw)  # ray length per slice
    return (img * path).astype(F32)


def drr_fast(layers: list[Layer], view: View, tol: float = 0.35) -> np.ndarray:
    out = np.zeros((view.size, view.size), F32)
    for layer in layers:
        out += shear_warp(layer, view, tol=tol)
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
