"""Loading region phantoms (cached by parameter hash) and the interactive renderer.

``Phantom.load(region, cache_dir)`` returns the region's volume, building it
on first use (seconds) and saving it under ``cache_dir`` in a folder named by
the hash of every parameter the model is built from; later loads read the
cached arrays.  Loaded phantoms are also kept in memory for the process.

``Renderer`` is what an interactive view (a virtual C-arm) calls per frame:

    r = Phantom.load("lumbar", cache_dir).renderer()
    view = r.view(oblique=25, craniocaudal=8, center="L4-L5.R.safe-triangle", field_mm=180, size=512)
    pixels = r.drr(view, quality="fast")            # uint8 (H, W)
    xy = r.project(["L4.R.pedicle", "L5.R.sap"], view)
    ct = r.ct_slice(plane="axial", at="L4.pedicles")
"""

from __future__ import annotations

import os
import shutil
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from scipy import ndimage

from . import landmark_cache
from . import landmarks as LM
from .carm import View
from .ct import SlicePlane, make_plane, sample_plane, window_image
from .drr import drr_fast
from .fluoro import fluoro_look
from .parameters import parameter_hash
from .regions import REGION_NAMES, region_info, region_spec
from .volume import Layer, PhantomVolume, build_volume

_MEMO: dict[tuple, "Phantom"] = {}
_LOCK = threading.Lock()


def default_cache_dir() -> Path:
    env = os.environ.get("SPINE_ATLAS_PHANTOM_CACHE")
    if env:
        return Path(env)
    return Path(tempfile.gettempdir()) / "spine-atlas-phantom"


# Only the cervical region shows the face; its volume is built with the mouth closed unless a view asks for it open
# (open-mouth and transoral views).
MOUTH_REGIONS = ("cervical",)


def mouth_for(region: str, mouth: str | None) -> str | None:
    """The mouth a region's volume is built with: None for regions without the face, else closed by default."""
    if region not in MOUTH_REGIONS:
        return None
    return mouth or "closed"


def _stem(region: str, mouth: str | None) -> str:
    return f"{region}-open-mouth" if mouth == "open" else region


@dataclass
class Phantom:
    region: str
    quality: str
    param_hash: str
    volume: PhantomVolume
    _fast: list[Layer] | None = None
    mouth: str | None = None

    @staticmethod
    def hash_for(region: str, quality: str = "full", mouth: str | None = None) -> str:
        """Hash of the parameter table, the region's layout and the model code the volume is built by."""
        mouth = mouth_for(region, mouth)
        spec = region_spec(region, quality, mouth)
        key = {"region": region, "quality": quality, "spec": repr(spec), "code": model_code_digest()}
        if mouth == "open":
            key["mouth"] = mouth
        return parameter_hash(key)

    @classmethod
    def load(cls, region: str, cache_dir: Path | None = None, quality: str = "full", log=None,
             mouth: str | None = None) -> "Phantom":
        if region not in REGION_NAMES:
            raise KeyError(f"unknown region {region!r}")
        mouth = mouth_for(region, mouth)
        cache_dir = Path(cache_dir) if cache_dir is not None else default_cache_dir()
        landmark_cache.use_folder(cache_dir)
        h = cls.hash_for(region, quality, mouth)
        key = (region, quality, h)
        with _LOCK:
            if key in _MEMO:
                return _MEMO[key]
            stem = _stem(region, mouth)
            folder = cache_dir / f"{stem}-{quality}-{h}"
            vol = None
            if (folder / "meta.json").exists():
                try:
                    vol = PhantomVolume.load(folder)
                except (OSError, ValueError, KeyError):
                    vol = None
            if vol is None:
                vol = build(region, quality, h, log=log, mouth=mouth)
                _save_atomically(vol, folder)
                try:  # render from what was saved (int16 HU, float16 attenuation), as every later start will
                    vol = PhantomVolume.load(folder)
                except (OSError, ValueError, KeyError):
                    pass
            prune_superseded(cache_dir, stem, quality, keep=folder.name)
            ph = cls(region, quality, h, vol, mouth=mouth)
            _MEMO[key] = ph
            return ph

    def fast_layers(self) -> list[Layer]:
        """Half-resolution layers for the interactive path."""
        if self._fast is None:
            self._fast = [self.volume.coarse.downsampled(2)] + [b.downsampled(2) for b in self.volume.blocks]
        return self._fast

    def renderer(self) -> "Renderer":
        return Renderer(self)


# Modules whose code decides the voxel values (a change rebuilds cached volumes).
MODEL_MODULES = ("parameters", "alignment", "sdf", "facets", "vertebra", "spine", "sacropelvis", "spine_curves",
                 "soft_tissue", "anatomy", "tissues", "volume", "regions", "cervical", "thoracic", "head_neck", "ribs",
                 "craniocervical")


def model_code_digest() -> str:
    import hashlib

    h = hashlib.sha256()
    here = Path(__file__).resolve().parent
    for name in MODEL_MODULES:
        f = here / f"{name}.py"
        if f.exists():
            h.update(name.encode() + b"\0" + f.read_bytes())
    return h.hexdigest()[:16]


def build(region: str, quality: str, h: str, log=None, mouth: str | None = None) -> PhantomVolume:
    from .anatomy import all_structures

    spec = region_spec(region, quality, mouth)
    lo, hi = np.array(spec.lo), np.array(spec.hi)
    items = [s for s in all_structures(mouth or "open") if np.all(s.shape.bbox[1] >= lo) and np.all(s.shape.bbox[0] <= hi)]
    return build_volume(spec, items, h, log=log)


def prune_superseded(cache_dir: Path, region: str, quality: str, keep: str, stale_after_s: float = 3600.0) -> list[str]:
    """Delete the volumes named ``<region>-<quality>-*`` (``region`` with its variant, e.g. ``cervical-open-mouth``)
    built by other model code (an earlier version of the app) and unfinished
    builds left by a stopped process, so that the cache holds one volume per region and quality.

    Returns the names removed.  A folder that cannot be removed (open elsewhere) is left for next time.
    """
    import time

    removed = []
    now = time.time()
    for p in Path(cache_dir).glob(f"{region}-{quality}-*"):
        if p.name == keep or not p.is_dir():
            continue
        unfinished = "." in p.name
        try:
            if unfinished and now - p.stat().st_mtime < stale_after_s:
                continue  # another process may be writing it
        except OSError:
            continue
        shutil.rmtree(p, ignore_errors=True)
        if not p.exists():
            removed.append(p.name)
    return removed


def _save_atomically(vol: PhantomVolume, folder: Path) -> None:
    folder.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=folder.name + ".", dir=folder.parent))
    try:
        vol.save(tmp)
        try:
            tmp.rename(folder)
        except OSError:  # another process finished first
            shutil.rmtree(tmp, ignore_errors=True)
    except OSError:
        shutil.rmtree(tmp, ignore_errors=True)


def resolve_point(name_or_point) -> np.ndarray:
    """A landmark name, a level name (its body centre) or coordinates -> world point."""
    if isinstance(name_or_point, str):
        pts = LM.landmarks()
        if name_or_point in pts:
            return pts[name_or_point]
        if f"{name_or_point}.body-centre" in pts:
            return pts[f"{name_or_point}.body-centre"]
        raise KeyError(f"unknown landmark {name_or_point!r}")
    return np.asarray(name_or_point, float)


class Renderer:
    def __init__(self, phantom: Phantom):
        self.phantom = phantom

    def view(self, position: str = "prone", oblique: float = 0.0, craniocaudal: float = 0.0, center=None,
             field_mm: float = 180.0, size: int = 512) -> View:
        if center is None:
            center = region_info(self.phantom.region).core_levels[len(region_info(self.phantom.region).core_levels) // 2]
        return View(position, float(oblique), float(craniocaudal), resolve_point(center), float(field_mm), int(size))

    def line_integrals(self, view: View, quality: str = "full") -> np.ndarray:
        if quality == "fast":
            half = View(view.position, view.oblique, view.craniocaudal, view.isocentre, view.field_mm, max(view.size // 2, 8),
                        view.sid, view.sod)
            L = drr_fast(self.phantom.fast_layers(), half, tol_mm=0.9)
            return ndimage.zoom(L, view.size / half.size, order=1, grid_mode=True, mode="nearest").astype(np.float32)
        return drr_fast(self.phantom.volume.layers, view)

    def drr(self, view: View, quality: str = "fast", polarity: str = "bone-white", collimation: str = "circle") -> np.ndarray:
        """Fluoroscopy pixels (uint8). ``fast``: half-resolution layers and image, look applied at half
        size and the result upsampled (for dragging the C-arm); ``full``: what render_image produces."""
        if quality == "fast" and view.size >= 16:
            half = View(view.position, view.oblique, view.craniocaudal, view.isocentre, view.field_mm, view.size // 2,
                        view.sid, view.sod)
            L = drr_fast(self.phantom.fast_layers(), half, tol_mm=0.9)
            small, _ = fluoro_look(L, polarity=polarity, collimation=collimation)
            big = ndimage.zoom(small.astype(np.float32), view.size / half.size, order=1, grid_mode=True, mode="nearest")
            return np.clip(big + 0.5, 0, 255).astype(np.uint8)
        L = self.line_integrals(view, quality)
        pixels, _ = fluoro_look(L, polarity=polarity, collimation=collimation)
        return pixels

    def project(self, names, view: View) -> dict[str, tuple[float, float]]:
        pts = np.array([resolve_point(n) for n in names])
        xy = view.project(pts)
        return {n: (float(x), float(y)) for n, (x, y) in zip(names, xy)}

    def ct_plane(self, plane: str = "axial", at="L4.pedicles", position: str = "prone", field_mm: float = 360.0,
                 size: int = 512, center=None, needle=None) -> SlicePlane:
        through = resolve_point(at)
        if center is None:
            centre = self._body_centre(through) if field_mm >= 250 else through
        else:
            centre = resolve_point(center)
        return make_plane(plane, position, through, np.asarray(centre, float), field_mm, size, needle)

    def ct_hu(self, plane: SlicePlane) -> np.ndarray:
        return sample_plane(self.phantom.volume, plane)

    def ct_slice(self, plane: str = "axial", at="L4.pedicles", window="soft-tissue", position: str = "prone",
                 field_mm: float = 360.0, size: int = 512, center=None) -> np.ndarray:
        p = self.ct_plane(plane, at, position, field_mm, size, center)
        pixels, _ = window_image(self.ct_hu(p), window)
        return pixels

    @staticmethod
    def _body_centre(point: np.ndarray) -> np.ndarray:
        from .soft_tissue import trunk_profile

        z = float(point[2])
        try:
            from . import cervical

            c = cervical.outline_centre(z)
            if c is not None:
                return c
        except AttributeError:
            pass
        hw, ap, y_post = trunk_profile(np.array([z]))
        return np.array([0.0, float(y_post[0] - ap[0] / 2), z])
