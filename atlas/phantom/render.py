"""``render_image``: one image definition's ``render:`` mapping -> pixels and resolved annotations."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from ..png_codec import encode_png
from . import landmarks as LM
from .anatomy import zones as all_zones
from .carm import View, orientation_marks
from .contour import mask_outline
from .names import readable
from .contrast import components, contrast_layer
from .ct import burn_needle, make_plane, sample_plane, structure_section, window_image
from .drr import drr_fast, shear_warp
from .fluoro import collimator_mask, fluoro_look
from .sdf import HalfSpace, Intersect, Sphere, Translated, unit
from .needle import Needle, needle_line_integral
from .phantom import Phantom, resolve_point
from .lesions import apply_to_points, lesion_layer, region_shape
from .spec import LAYER_DEFAULT, _lesion_index, normalise, validate_render_spec


@dataclass
class RenderedImage:
    pixels: np.ndarray  # uint8 (H, W), row 0 at the top
    annotations: list[dict] = field(default_factory=list)
    view_text: str = ""
    meta: dict = field(default_factory=dict)

    def png_bytes(self) -> bytes:
        return encode_png(self.pixels)


def _needles(s: dict, view_dir: np.ndarray | None) -> list[tuple[Needle, dict]]:
    out = []
    for n in s["_needles"]:
        target = resolve_point(n["target"])
        entry = n.get("entry", "skin")
        if entry == "skin":
            if view_dir is None:
                raise ValueError("entry 'skin' needs a beam direction: give entry: {skin: {oblique, craniocaudal}} for CT")
            e = LM.skin_entry(target, view_dir)
        elif isinstance(entry, dict):
            from .carm import beam_direction

            sk = entry["skin"]
            d = beam_direction(sk.get("position", s["position"]), sk.get("oblique", 0.0), sk.get("craniocaudal", 0.0))
            e = LM.skin_entry(target, d)
        else:
            e = resolve_point(entry)
        out.append((Needle(e, target, float(n.get("depth", 1.0)), int(n.get("gauge", 22)), n.get("length")), n))
    return out


_CONTRAST_CACHE: dict = {}


def _contrast_layer(c: dict, lesions=()):
    """The rasterised contrast of one spec entry (kept: a virtual C-arm re-renders it every frame).
    ``lesions``: the spec's lesions (a compression fracture confines cement to the collapsed body)."""
    at = resolve_point(c["at"])
    les = tuple((le, resolve_point(le["at"])) for le in lesions if le.get("kind") == "compression-fracture")
    les_key = tuple((le.get("shape", "wedge"), float(le.get("height_loss", 0.3)), tuple(np.round(p, 3))) for le, p in les)
    key = (c["pattern"], tuple(np.round(at, 3)), c.get("side"), c.get("amount", "medium"), les_key)
    if key not in _CONTRAST_CACHE:
        if len(_CONTRAST_CACHE) > 24:
            _CONTRAST_CACHE.clear()
        _CONTRAST_CACHE[key] = contrast_layer(components(c["pattern"], at, c.get("side"), c.get("amount", "medium"), les))
    return _CONTRAST_CACHE[key]


def _centre(s: dict) -> np.ndarray:
    if "center" in s:
        return resolve_point(s["center"])
    if "level" in s:
        return resolve_point(f"{s['level']}.body-centre")
    from .regions import region_info

    core = region_info(s["region"]).core_levels
    return resolve_point(core[len(core) // 2])


def _ann(kind: str, layer: str, label: str, points, description: str = "") -> dict:
    return {"kind": kind, "layer": layer, "label": label,
            "points": [[round(float(x), 2), round(float(y), 2)] for x, y in points], "description": description}


def _arrow_tail(head: np.ndarray, size: int, length: float = 0.09) -> np.ndarray:
    c = np.array([size / 2, size / 2])
    v = head - c
    if np.linalg.norm(v) < 1e-6:
        v = np.array([1.0, -1.0])
    v = v / np.linalg.norm(v)
    # point away from the centre and a little upward, so labels sit outside the anatomy
    v = v + np.array([0.35, -0.35])
    v /= np.linalg.norm(v)
    return head + v * length * size


def _visible_box(lo: np.ndarray, hi: np.ndarray, view: View, margin: float = 4.0):
    """The part of the box lo..hi that can project into the image (the view's frustum over the box's depth)."""
    corners = np.array([[x, y, z] for x in (lo[0], hi[0]) for y in (lo[1], hi[1]) for z in (lo[2], hi[2])])
    depth = (corners - view.source) @ view.d
    t0, t1 = max(float(depth.min()), 1.0), float(depth.max())
    n = view.size
    _, rays = view.pixel_rays(np.array([0.0, n]), np.array([0.0, n]))
    rays = rays.reshape(-1, 3)
    cos = rays @ view.d
    pts = np.concatenate([view.source + rays * (t / cos)[:, None] for t in (t0, t1)])
    flo, fhi = pts.min(axis=0) - margin, pts.max(axis=0) + margin
    return np.maximum(lo, flo), np.minimum(hi, fhi)


def _zone_outline_fluoro(shape, view: View, budget: int = 2_000_000, field: np.ndarray | None = None) -> list[list[float]]:
    """Outline of a structure's projection: sample it inside the visible part of its box, finely enough
    for the image's pixel size, project, close the gaps between samples, outline the result."""
    from scipy import ndimage

    from .sdf import field_on_block

    lo, hi = _visible_box(*shape.bbox, view)
    if np.any(hi <= lo):
        return []
    pix = view.field_mm / view.size  # mm per pixel at the isocentre
    step = max(min(1.0, 1.2 * pix), float((np.prod(hi - lo) / budget) ** (1 / 3)))
    n = np.ceil((hi - lo) / step).astype(int) + 1
    xs, ys, zs = (lo[i] + step * np.arange(n[i]) for i in range(3))
    f = field_on_block(shape, xs, ys, zs)
    iz, iy, ix = np.nonzero(f < 0)
    if len(ix) == 0:
        return []
    pts = np.stack([xs[ix], ys[iy], zs[iz]], axis=1)
    xy = view.project(pts)
    size = view.size
    mask = np.zeros((size, size), bool)
    ok = (xy[:, 0] >= 0) & (xy[:, 0] < size) & (xy[:, 1] >= 0) & (xy[:, 1] < size)
    mask[xy[ok, 1].astype(int), xy[ok, 0].astype(int)] = True
    # samples are ``step`` apart; nearer the source they spread by up to the magnification ratio
    gap = step / pix * 1.25
    radius = int(np.ceil(gap / 2)) + 1
    mask = ndimage.binary_dilation(mask, iterations=radius)
    mask = ndimage.binary_fill_holes(mask)
    mask = ndimage.binary_erosion(mask, iterations=radius - 1, border_value=1)
    if gap > 2.0:  # coarse samples leave a sawtooth edge at the sampling scale: smooth it away
        mask = ndimage.gaussian_filter(mask.astype(np.float32), gap / 2.5, mode="nearest") > 0.5
    if field is not None:  # a zone is drawn only where the collimated field shows the patient
        mask &= field
    return mask_outline(mask)


def render_image(spec: dict, *, size: int = 512, cache_dir: Path | None = None) -> RenderedImage:
    problems = validate_render_spec(spec)
    if problems:
        raise ValueError("; ".join(f"{p}: {m}" for p, m in problems))
    phantom = Phantom.load(spec["region"], cache_dir, mouth=spec.get("mouth"))
    return render_with(spec, phantom, size)


def render_with(spec: dict, phantom: Phantom, size: int = 512, quality: str = "full") -> RenderedImage:
    """Render a validated spec with an already loaded phantom (tests use a low-resolution one).

    ``quality="fast"`` (fluoroscopy only): the phantom's half-resolution layers, for frames while the C-arm moves.
    """
    s = normalise(spec)
    if phantom.mouth is not None and s.get("mouth", phantom.mouth) != phantom.mouth:
        raise ValueError(f"the view asks for the mouth {s['mouth']}, the phantom has it {phantom.mouth}")
    if s["modality"] == "fluoroscopy":
        return _render_fluoro(s, phantom, size, quality)
    return _render_ct(s, phantom, size)


def _render_fluoro(s: dict, phantom: Phantom, size: int, quality: str = "full") -> RenderedImage:
    view = View(s["position"], float(s["oblique"]), float(s["craniocaudal"]), _centre(s), float(s["field_mm"]), int(size))
    if quality == "fast":
        L = drr_fast(phantom.fast_layers(), view, tol_mm=0.9)
    else:
        L = drr_fast(phantom.volume.layers, view)
    for les in s["_lesions"]:
        L += shear_warp(lesion_layer(les, resolve_point(les["at"]), phantom.volume), view)
    anatomy = L.copy()
    needles = _needles(s, view.d)
    for nd, _ in needles:
        L += needle_line_integral(nd, view)
    for c in s["_contrast"]:
        layer = _contrast_layer(c, s["_lesions"])
        if layer is not None:
            L += shear_warp(layer, view)
    pixels, exposure = fluoro_look(L, polarity=s["polarity"], collimation=s["collimation"], seed=int(s["seed"]), anatomy=anatomy,
                                   metering=s["metering"])
    anns = _annotations(s, needles, lambda pts: (view.project(pts), np.zeros(len(np.atleast_2d(pts)))), view=view)
    warnings = [f"{a['label'] or a['kind']} lies outside the image" for a in anns
                if any(not (0 <= x <= size and 0 <= y <= size) for x, y in a["points"][-1:])]
    meta = {
        "modality": "fluoroscopy",
        "region": s["region"],
        "position": s["position"],
        "oblique": float(s["oblique"]),
        "craniocaudal": float(s["craniocaudal"]),
        "field_mm": float(s["field_mm"]),
        "polarity": s["polarity"],
        "source_detector_mm": view.sid,
        "source_isocentre_mm": view.sod,
        "magnification": round(view.magnification, 4),
        "mm_per_pixel_at_isocentre": round(view.field_mm / size, 4),
        "isocentre": [round(float(v), 2) for v in view.isocentre],
        "orientation": orientation_marks(view),
        "exposure": exposure,
        "phantom_hash": phantom.param_hash,
        "warnings": warnings,
    }
    return RenderedImage(pixels, anns, view.text(), meta)


def _render_ct(s: dict, phantom: Phantom, size: int) -> RenderedImage:
    needles = _needles(s, None) if s["_needles"] else []
    r = phantom.renderer()
    through = resolve_point(s["at"])
    nd0 = needles[0][0] if needles else None
    if "center" in s or "level" in s:
        centre = _centre(s)
    else:
        centre = r._body_centre(through) if s["field_mm"] >= 250 else through
    plane = make_plane(s["plane"], s["position"], through, np.asarray(centre, float), float(s["field_mm"]), int(size), nd0)
    hu = sample_plane(phantom.volume, plane)
    flat = None
    for les in s["_lesions"]:
        flat = plane.grid().reshape(-1, 3) if flat is None else flat
        hu = apply_to_points(les, resolve_point(les["at"]), flat, hu.reshape(-1)).reshape(hu.shape)
    for c in s["_contrast"]:
        layer = _contrast_layer(c, s["_lesions"])
        if layer is not None:
            hu += layer.sample_hu(plane.grid().reshape(-1, 3)).reshape(hu.shape)
    for nd, _ in needles:
        hu = burn_needle(hu, plane, nd)
    window = s["window"]
    w = (window["width"], window["level"]) if isinstance(window, dict) else window
    pixels, (width, level) = window_image(hu, w, seed=int(s["seed"]))
    anns = _annotations(s, needles, lambda pts: plane.project(pts), plane=plane)
    wname = window if isinstance(window, str) else "custom"
    pos = {"prone": "Prone", "supine": "Supine", "lateral-decubitus-left": "Left lateral decubitus",
           "lateral-decubitus-right": "Right lateral decubitus"}[s["position"]]
    plane_name = {"axial": "axial", "sagittal": "sagittal", "coronal": "coronal", "oblique-needle": "oblique along the needle"}[s["plane"]]
    at_words = readable(s["at"]) if isinstance(s["at"], str) else s["at"]  # a coordinate list stays "[x, y, z]" (the live view rewrites it)
    view_text = f"CT · {pos} · {plane_name} through {at_words} · window {wname} W{width:g}/L{level:g}"
    meta = {
        "modality": "ct",
        "region": s["region"],
        "position": s["position"],
        "plane": s["plane"],
        "at": s["at"],
        "window": {"name": wname, "width": width, "level": level},
        "field_mm": float(s["field_mm"]),
        "mm_per_pixel": round(plane.pixel_mm, 4),
        "plane_centre": [round(float(v), 2) for v in plane.centre],
        "plane_right": [round(float(v), 4) for v in plane.right],
        "plane_down": [round(float(v), 4) for v in plane.down],
        "phantom_hash": phantom.param_hash,
    }
    return RenderedImage(pixels, anns, view_text, meta)


def _annotations(s: dict, needles, project, view: View | None = None, plane=None) -> list[dict]:
    anns: list[dict] = []
    size = view.size if view is not None else plane.size
    zone_shapes = all_zones()
    field = collimator_mask(view.size, s["collimation"]) > 0.5 if view is not None else None
    for z in s.get("zones") or []:
        li = _lesion_index(z["structure"])
        if li is not None:
            les = s["_lesions"][li - 1]
            shape = region_shape(les, resolve_point(les["at"]))
        else:
            shape = zone_shapes[z["structure"]]
        if z.get("displace_mm"):  # e.g. a vessel pushed aside by the operator's fingers before the needle passes
            shape = Translated(shape, z["displace_mm"])
        if z.get("within_mm") and needles:
            # only the part of the structure near the needle tip (a muscle that runs the whole image)
            shape = Intersect(shape, Sphere(needles[0][0].tip, float(z["within_mm"])))
        if view is not None and z.get("slab_mm") and needles:
            # only what lies at the depth of the needle tip: a slab across the beam, centred on the tip
            tip = needles[0][0].tip
            beam = unit(tip - view.source)
            half = float(z["slab_mm"]) / 2
            shape = Intersect(Intersect(shape, HalfSpace(tip + beam * half, beam)), HalfSpace(tip - beam * half, -beam))
        if view is not None:
            poly = _zone_outline_fluoro(shape, view, field=field)
        else:
            poly = mask_outline(structure_section(shape, plane))
        desc = z.get("description", "")
        if not poly:
            desc = (desc + " " if desc else "") + "(not in this image)"
        anns.append({"kind": "polygon", "layer": z.get("layer", LAYER_DEFAULT["zones"]), "label": z.get("label", z["structure"]),
                     "points": poly, "description": desc})
    for c in s.get("curves") or []:
        pts = LM.curves()[c["curve"]]
        xy, _ = project(pts)
        anns.append(_ann("polyline", c.get("layer", LAYER_DEFAULT["curves"]), c.get("label", c["curve"]), xy, c.get("description", "")))
    for nd, n in needles:
        xy, dist = project(np.array([nd.entry, nd.tip]))
        desc = n.get("description", "")
        if plane is not None:
            off = [abs(d) for d in dist]
            if max(off) > 3:
                desc = (desc + " " if desc else "") + f"(needle leaves the slice: entry {dist[0]:+.0f} mm, tip {dist[1]:+.0f} mm)"
        anns.append(_ann("polyline", n.get("layer", LAYER_DEFAULT["needle"]), n.get("label", "Needle path"), xy, desc))
    for les in s["_lesions"]:
        if les.get("label"):
            xy, _ = project(resolve_point(les["at"]))
            head = xy[0]
            anns.append(_ann("arrow", les.get("layer", LAYER_DEFAULT["lesions"]), les["label"], [_arrow_tail(head, size), head], les.get("description", "")))
    for c in s["_contrast"]:
        if c.get("label"):
            xy, _ = project(resolve_point(c["at"]))
            head = xy[0]
            anns.append(_ann("arrow", c.get("layer", LAYER_DEFAULT["contrast"]), c["label"], [_arrow_tail(head, size), head], c.get("description", "")))
    for a in s.get("arrows") or []:
        xy, dist = project(resolve_point(a["to"]))
        head = xy[0]
        tail = project(resolve_point(a["from"]))[0][0] if "from" in a else _arrow_tail(head, size)
        anns.append(_ann("arrow", a.get("layer", LAYER_DEFAULT["arrows"]), a.get("label", a["to"]), [tail, head], _offplane(a.get("description", ""), dist, plane)))
    for lab in s.get("labels") or []:
        xy, dist = project(resolve_point(lab["landmark"]))
        anns.append(_ann("point", lab.get("layer", LAYER_DEFAULT["labels"]), lab.get("label", lab["landmark"]), xy,
                         _offplane(lab.get("description", ""), dist, plane)))
    return anns


def _offplane(desc: str, dist, plane) -> str:
    if plane is None:
        return desc
    d = float(np.atleast_1d(dist)[0])
    if abs(d) <= 3.0:
        return desc
    where = "in front of" if d > 0 else "behind"
    return (desc + " " if desc else "") + f"({abs(d):.0f} mm {where} this slice)"
