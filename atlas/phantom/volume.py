"""Multi-resolution phantom volumes: a coarse body layer plus fine detail blocks.

Fine detail is built only where it is needed.  A region volume is

* one **coarse layer** covering the whole body cross-section (all tissues,
  about 1.5 mm voxels), complete on its own, its edges drawn as smooth steps
  two voxels wide on distance-corrected fields so that linear interpolation
  shows no voxel steps on zoomed CT slices (see :func:`draw`), and
* a few **detail blocks** (0.5-0.8 mm voxels) around the bones, each storing
  the *residual*: fine truth minus the coarse layer interpolated at the fine
  voxels.  Residuals fade to zero at block edges, and overlapping blocks share
  out their overlap with weights that sum to one, so no seams appear.

Anything linear in the tissue values adds up over layers: a CT sample is the
coarse value plus every block's residual, a radiograph's line integral is the
sum of the layers' line integrals.  Layers store Hounsfield units (for CT) and
fluoroscopic attenuation (for radiographs) side by side.
"""

from __future__ import annotations

import concurrent.futures as cf
import json
import time
import zlib
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from scipy import ndimage

from .sdf import F32, field_on_block, normalised
from .tissues import BoneTissue, mu_fluoro


@dataclass
class Layer:
    origin: np.ndarray  # world position (x, y, z) of voxel index (0, 0, 0)
    spacing: float
    hu: np.ndarray  # (nz, ny, nx) float32 while built, int16 once saved (whole HU): absolute (coarse) or residual (blocks)
    mu: np.ndarray  # (nz, ny, nx) float32: fluoroscopic attenuation 1/mm, absolute or residual
    residual: bool = False
    _by_axis: dict = field(default_factory=dict, repr=False)

    @property
    def shape(self) -> tuple[int, int, int]:
        return self.hu.shape

    def axes(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        nz, ny, nx = self.shape
        o, h = self.origin, self.spacing
        return o[0] + h * np.arange(nx), o[1] + h * np.arange(ny), o[2] + h * np.arange(nz)

    @property
    def bbox(self) -> tuple[np.ndarray, np.ndarray]:
        nz, ny, nx = self.shape
        return self.origin.copy(), self.origin + self.spacing * (np.array([nx, ny, nz]) - 1)

    def index_of(self, points: np.ndarray) -> np.ndarray:
        """World (N, 3) -> continuous array indices (N, 3) in (z, y, x) order."""
        p = (np.asarray(points, float) - self.origin) / self.spacing
        return p[:, ::-1]

    def sample_hu(self, points: np.ndarray) -> np.ndarray:
        idx = self.index_of(points).T
        fill = -1000.0 if not self.residual else 0.0
        return ndimage.map_coordinates(self.hu, idx, output=F32, order=1, mode="constant", cval=fill, prefilter=False)

    def downsampled(self, factor: int) -> "Layer":
        """A coarser copy (block mean), for the interactive fast path."""
        if factor <= 1:
            return self
        nz, ny, nx = (s // factor * factor for s in self.shape)

        def pool(a):
            a = a[:nz, :ny, :nx]
            return a.reshape(nz // factor, factor, ny // factor, factor, nx // factor, factor).mean(axis=(1, 3, 5)).astype(F32)

        off = (factor - 1) / 2 * self.spacing
        return Layer(self.origin + off, self.spacing * factor, pool(self.hu), pool(self.mu), self.residual)


@dataclass
class PhantomVolume:
    region: str
    param_hash: str
    coarse: Layer
    blocks: list[Layer]
    meta: dict = field(default_factory=dict)

    @property
    def layers(self) -> list[Layer]:
        return [self.coarse, *self.blocks]

    def sample_hu(self, points: np.ndarray) -> np.ndarray:
        pts = np.asarray(points, float).reshape(-1, 3)
        out = self.coarse.sample_hu(pts)
        for b in self.blocks:
            lo, hi = b.bbox
            inside = np.all((pts >= lo) & (pts <= hi), axis=1)
            if inside.any():
                out[inside] += b.sample_hu(pts[inside])
        return out

    @property
    def nbytes(self) -> int:
        return sum(l.hu.nbytes + l.mu.nbytes for l in self.layers)

    # -- cache ------------------------------------------------------------------
    def save(self, folder: Path) -> None:
        folder.mkdir(parents=True, exist_ok=True)
        meta = {"region": self.region, "param_hash": self.param_hash, "meta": self.meta, "layers": []}
        for i, l in enumerate(self.layers):
            np.save(folder / f"layer{i}-hu.npy", l.hu.astype(np.int16 if not l.residual else np.int16))
            np.save(folder / f"layer{i}-mu.npy", l.mu.astype(np.float16))
            meta["layers"].append({"origin": l.origin.tolist(), "spacing": l.spacing, "residual": l.residual})
        tmp = folder / "meta.json.tmp"
        tmp.write_text(json.dumps(meta))
        tmp.replace(folder / "meta.json")

    @staticmethod
    def load(folder: Path) -> "PhantomVolume":
        meta = json.loads((folder / "meta.json").read_text())

        def layer(i: int, lm: dict) -> Layer:
            hu = np.load(folder / f"layer{i}-hu.npy")  # int16 as saved: half the memory of float32, sampled to float32
            mu = np.load(folder / f"layer{i}-mu.npy").astype(F32)  # float16 on disk; slicing needs float32
            return Layer(np.array(lm["origin"]), float(lm["spacing"]), hu, mu, bool(lm["residual"]))

        # two at a time (the float16 conversion runs outside the interpreter lock): the C-arm opens sooner
        with cf.ThreadPoolExecutor(max_workers=2) as pool:
            layers = list(pool.map(layer, range(len(meta["layers"])), meta["layers"]))
        return PhantomVolume(meta["region"], meta["param_hash"], layers[0], layers[1:], meta.get("meta", {}))


# ---------------------------------------------------------------------------
# drawing
# ---------------------------------------------------------------------------
def _grid_axes(lo, hi, h):
    n = np.maximum(np.ceil((np.asarray(hi) - np.asarray(lo)) / h).astype(int) + 1, 2)
    o = np.asarray(lo, float)
    return o, (o[0] + h * np.arange(n[0]), o[1] + h * np.arange(n[1]), o[2] + h * np.arange(n[2]))


def _sub(axis: np.ndarray, lo: float, hi: float) -> slice:
    i0 = int(np.searchsorted(axis, lo, side="left"))
    i1 = int(np.searchsorted(axis, hi, side="right"))
    return slice(i0, max(i0, i1))


SOFT_EDGE = 2.0  # width of an edge in the coarse layer, in voxels (see :func:`draw`)


def band_noise(shape, seed: int, sigma_small, sigma_large, threads: int = 1) -> np.ndarray:
    """Deterministic band-pass noise with unit standard deviation; ``threads=2`` runs its two filters side by
    side (the filters release the interpreter lock; the result is the same)."""
    white = np.random.default_rng(seed).standard_normal(shape, dtype=np.float32)
    small = lambda: ndimage.gaussian_filter(white, sigma_small, mode="wrap", truncate=3.0)  # noqa: E731
    large = lambda: ndimage.gaussian_filter(white, sigma_large, mode="wrap", truncate=2.5)  # noqa: E731
    if sigma_large is None:
        out = small()
    elif threads > 1:
        with cf.ThreadPoolExecutor(max_workers=2) as pool:
            b = pool.submit(large)
            out = small() - b.result()
    else:
        out = small() - large()
    out /= max(float(out.std()), 1e-6)
    return out.astype(F32)


def texture_value(tissue, tex: dict[str, np.ndarray], sl) -> np.ndarray | float:
    kind = tissue.texture
    if not kind or tissue.texture_hu == 0:
        return F32(tissue.hu)
    if kind in ("bowel", "colon"):
        t = tex["lobular"][sl]
        b = tex["blob"][sl]
        v = F32(tissue.hu) + F32(tissue.texture_hu) * t
        gas = np.clip((b - (1.1 if kind == "colon" else 2.3)) * 3.0, 0, 1)
        return v + gas * (F32(-960.0) - v)
    if kind == "fat":  # fat lobules separated by thin fibrous septa (a network where the fine noise crosses zero)
        t = tex["lobular"][sl]
        f = tex["fine"][sl]
        septa = np.clip(F32(1.0) - np.abs(f) / F32(0.16), 0.0, 1.0)
        return F32(tissue.hu) + F32(tissue.texture_hu) * t + F32(70.0) * septa
    if kind == "lung":
        t = tex["lobular"][sl]
        f = tex["fine"][sl]
        return F32(tissue.hu) + F32(tissue.texture_hu) * f + np.where(t > 1.9, F32(650.0), F32(0.0))
    field_name = kind if kind in tex else "fine"
    return F32(tissue.hu) + F32(tissue.texture_hu) * tex[field_name][sl]


def _coverage(f: np.ndarray, width: float) -> np.ndarray:
    """Partial-volume fraction of the inside (``f < 0``) for a distance field ``f``: a smooth step over
    ``width`` mm centred on the surface (0.5 at ``f = 0``)."""
    t = np.clip(F32(0.5) - f / F32(width), 0.0, 1.0)
    return t * t * (F32(3.0) - F32(2.0) * t)


def draw(arr: np.ndarray, axes, h: float, structure, tex: dict[str, np.ndarray], soft_edges: bool = False) -> None:
    """Composite one structure into ``arr`` (HU, float32) with anti-aliased edges.

    ``soft_edges`` (the coarse layer): every edge is a smooth step :data:`SOFT_EDGE` voxels wide on a field
    corrected to a distance, and thin bands (skin, pleura: :meth:`band` shapes) get their exact filtered
    coverage.  A step only one voxel wide, sampled that coarsely and interpolated linearly, moves with the
    voxel grid along a surface and shows as stair steps on zoomed CT slices; a thin band drawn as a shape
    breaks up into beads.  Otherwise (detail blocks) edges are one voxel wide.
    """
    xs, ys, zs = axes
    lo, hi = structure.shape.bbox
    reach = SOFT_EDGE * h / 2 if soft_edges else h  # the field value beyond which a voxel is untouched
    m = max(2 * h, reach + h)
    sx, sy, sz = _sub(xs, lo[0] - m, hi[0] + m), _sub(ys, lo[1] - m, hi[1] + m), _sub(zs, lo[2] - m, hi[2] + m)
    if sx.stop <= sx.start or sy.stop <= sy.start or sz.stop <= sz.start:
        return
    tissue = structure.tissue
    bone = isinstance(tissue, BoneTissue)
    band = structure.shape.band() if soft_edges and hasattr(structure.shape, "band") else None
    if band is not None:
        outer, d0, d1 = band
        g = field_on_block(outer, xs[sx], ys[sy], zs[sz], 3.0 + max(d1, 0.0))
        if g.min() + d0 > reach or g.max() + d1 < -reach:
            return
        g = normalised(g, h, band=2.5 + max(abs(d0), abs(d1)))
        alpha = _coverage(g + F32(d0), SOFT_EDGE * h) - _coverage(g + F32(d1), SOFT_EDGE * h)
        f = np.maximum(g + F32(d0), -(g + F32(d1)))
    else:
        f = field_on_block(structure.shape, xs[sx], ys[sy], zs[sz])
        if f.min() > reach:
            return
        if bone or structure.normalise or soft_edges:
            f = normalised(f, h)
        alpha = _coverage(f, SOFT_EDGE * h) if soft_edges else np.clip(0.5 - f / F32(h), 0.0, 1.0)
    sl = (sz, sy, sx)
    if bone:
        depth = -f
        cortex_mm = F32(tissue.cortex_mm)
        canc = F32(tissue.cancellous_hu) + F32(tissue.texture_hu) * tex["trabecular"][sl]
        if getattr(structure, "dense", None) is not None:  # compact parts: denser core, thicker cortex
            fd = field_on_block(structure.dense, xs[sx], ys[sy], zs[sz])
            w = np.clip(0.5 - fd / F32(2.0), 0.0, 1.0)
            canc = canc + w * (F32(tissue.dense_hu) - F32(tissue.cancellous_hu))
            cortex_mm = cortex_mm * (1.0 + 0.8 * w)
        if soft_edges:
            cortex = _coverage(depth - cortex_mm, SOFT_EDGE * h)
        else:
            cortex = np.clip((cortex_mm - depth) / F32(h) + 0.5, 0.0, 1.0)
        val = canc + (F32(tissue.cortical_hu) - canc) * cortex
    else:
        val = texture_value(tissue, tex, sl)
    region = arr[sl]
    region += alpha * (val - region)


def draw_all(arr: np.ndarray, axes, h: float, structures, tex: dict[str, np.ndarray], workers: int = 2,
             soft_edges: bool = False) -> None:
    """Draw structures in painter's order, the array split into ``workers`` slabs along z drawn in parallel.

    Slabs are disjoint, so painting them concurrently keeps the order inside each; numpy releases
    the GIL for the large array operations that dominate.
    """
    xs, ys, zs = axes
    n = len(zs)
    cuts = np.linspace(0, n, workers + 1).astype(int)

    def work(i):
        z0, z1 = cuts[i], cuts[i + 1]
        sub = arr[z0:z1]
        sub_tex = {k: v[z0:z1] for k, v in tex.items()}
        for s in structures:
            draw(sub, (xs, ys, zs[z0:z1]), h, s, sub_tex, soft_edges)

    with cf.ThreadPoolExecutor(max_workers=workers) as pool:
        list(pool.map(work, range(workers)))


# ---------------------------------------------------------------------------
# building a region volume
# ---------------------------------------------------------------------------
def _upsample(coarse: np.ndarray, c_origin, c_h, f_origin, f_h, f_shape, fill: float) -> np.ndarray:
    """Trilinear interpolation of a coarse array at the voxels of a fine grid."""
    scale = f_h / c_h
    offset = (np.asarray(f_origin) - np.asarray(c_origin)) / c_h
    return ndimage.affine_transform(coarse, [scale] * 3, offset=offset[::-1], output_shape=f_shape, order=1,
                                    mode="nearest", prefilter=False).astype(F32)


def _ramp(axis: np.ndarray, lo: float, hi: float, fade_lo: float, fade_hi: float) -> np.ndarray:
    w = np.ones_like(axis, dtype=F32)
    if fade_lo > 0:
        w = np.minimum(w, np.clip((axis - lo) / fade_lo, 0, 1))
    if fade_hi > 0:
        w = np.minimum(w, np.clip((hi - axis) / fade_hi, 0, 1))
    return w.astype(F32)


def _taper(b: "BlockSpec", axes) -> np.ndarray:
    """A block's weight on a grid: 1 inside, fading to 0 over ``fade`` mm at its faces."""
    wx = _ramp(axes[0], b.lo[0], b.hi[0], b.fade[0], b.fade[1])
    wy = _ramp(axes[1], b.lo[1], b.hi[1], b.fade[2], b.fade[3])
    wz = _ramp(axes[2], b.lo[2], b.hi[2], b.fade[4], b.fade[5])
    return wz[:, None, None] * wy[None, :, None] * wx[None, None, :]


@dataclass
class BlockSpec:
    lo: tuple[float, float, float]
    hi: tuple[float, float, float]
    spacing: float
    fade: tuple[float, ...] = (4.0,) * 6  # x-lo, x-hi, y-lo, y-hi, z-lo, z-hi (mm)


@dataclass
class RegionSpec:
    name: str
    lo: tuple[float, float, float]  # coarse layer box
    hi: tuple[float, float, float]
    coarse_spacing: float
    blocks: list[BlockSpec]


def build_volume(spec: RegionSpec, structures: list, param_hash: str, log=None) -> PhantomVolume:
    """Voxelise ``structures`` (in draw order) into a coarse layer and residual detail blocks."""
    t0 = time.perf_counter()
    h = spec.coarse_spacing
    c_origin, c_axes = _grid_axes(spec.lo, spec.hi, h)
    shape = (len(c_axes[2]), len(c_axes[1]), len(c_axes[0]))
    # texture noise is seeded by the region alone, so that a change to the model's code or shapes redraws the
    # shapes without also reshuffling every texture (the same definition still gives the same bytes)
    seed = zlib.crc32(spec.name.encode())
    noise = {"lobular": (seed + 1, 1.6, 4.0), "fibre": (seed + 2, (2.5, 0.6, 0.6), None), "fine": (seed + 3, 0.7, 2.5),
             "blob": (seed + 4, 4.0 * 1.5 / h, None)}
    with cf.ThreadPoolExecutor(max_workers=2) as pool:  # two fields at a time (the filters release the lock)
        tex = dict(zip(noise, pool.map(lambda args: band_noise(shape, *args), noise.values())))
    tex["trabecular"] = tex["fine"]
    arr = np.full(shape, -1000.0, F32)
    bulk = [s for s in structures if not s.detail]
    detail = [s for s in structures if s.detail]
    draw_all(arr, c_axes, h, bulk, tex, soft_edges=True)
    soft = arr.copy()
    if log:
        log(f"coarse soft tissue {shape} {time.perf_counter() - t0:.1f}s")
    draw_all(arr, c_axes, h, detail, tex, soft_edges=True)
    coarse = Layer(c_origin, h, arr, mu_fluoro(arr), residual=False)
    del tex
    if log:
        log(f"coarse {shape} {time.perf_counter() - t0:.1f}s")
    truths = []
    for bi, b in enumerate(spec.blocks):
        t1 = time.perf_counter()
        fh = b.spacing
        f_origin, f_axes = _grid_axes(b.lo, b.hi, fh)
        fshape = (len(f_axes[2]), len(f_axes[1]), len(f_axes[0]))
        ftex = {"trabecular": band_noise(fshape, seed + 11 + bi, (1.3 / fh, 0.5 / fh, 0.5 / fh), (3.0 / fh, 1.6 / fh, 1.6 / fh),
                                         threads=2)}
        for key in ("fine", "lobular", "fibre", "blob"):
            ftex[key] = ftex["trabecular"]
        fine = _upsample(soft, c_origin, h, f_origin, fh, fshape, -1000.0)
        blo, bhi = np.array(b.lo) - 2, np.array(b.hi) + 2
        inside = [s for s in detail if not (np.any(s.shape.bbox[1] < blo) or np.any(s.shape.bbox[0] > bhi))]
        draw_all(fine, f_axes, fh, inside, ftex)
        del ftex
        truths.append((f_origin, f_axes, fshape, fine))
        if log:
            log(f"block {bi} {fshape} {time.perf_counter() - t1:.1f}s")
    del soft
    blocks = []
    for b, (f_origin, f_axes, fshape, fine) in zip(spec.blocks, truths):
        fh = b.spacing
        up_hu = _upsample(coarse.hu, c_origin, h, f_origin, fh, fshape, -1000.0)
        up_mu = _upsample(coarse.mu, c_origin, h, f_origin, fh, fshape, 0.0)
        w = _taper(b, f_axes)
        total = sum(_taper(o, f_axes) for o in spec.blocks)
        w = w / np.maximum(total, 1.0)
        res_mu = (mu_fluoro(fine) - up_mu) * w
        res_hu = (fine - up_hu) * w
        del up_hu, up_mu
        blocks.append(Layer(f_origin, fh, res_hu.astype(F32), res_mu.astype(F32), residual=True))
    truths.clear()
    vol = PhantomVolume(spec.name, param_hash, coarse, blocks, {"build_seconds": round(time.perf_counter() - t0, 2)})
    return vol
