"""Lesions placed into the phantom by landmark: lytic and sclerotic lesions, fractures.

A lesion is a *modifier*: on a small grid around it the phantom's tissue is
sampled, the lesion decides what the tissue becomes there, and the
difference is returned as an additive layer (Hounsfield units and
fluoroscopic attenuation), so the same layer changes the radiograph and the CT
slice.  Nothing is rebuilt; lesions are part of an image definition
(``lesions:`` in a render spec, docs/image-definitions.md).

Kinds:

* ``lytic``: bone replaced by a soft-tissue mass (about 35 HU) in the
  cancellous bone around ``at``; the cortex is kept unless ``breach`` names
  where the mass breaks through it (``posterior``: into the canal behind a
  body, ``anterior``, ``lateral`` toward ``side``, ``endplate``: the nearer
  endplate), where it also pushes a few millimetres into the soft tissue.
* ``sclerotic``: an osteoblastic focus, dense bone (about 900 HU).
* ``compression-fracture``: the vertebral body ``at`` lies in loses height
  (``height_loss``, a fraction of the body height) from its superior endplate:
  ``wedge`` (anterior height lost, the posterior quarter of the endplate and the posterior wall kept, the
  endplate tilting down in front), ``biconcave`` (both
  endplates depressed centrally) or ``crush`` (the whole endplate lowered).
  The collapsed part becomes soft tissue, the new endplate is a cortical line
  with a band of impacted, sclerotic bone beneath it.  The vertebra above is
  not moved: the gap reads as a taller disc (an approximation).
* ``insufficiency-fracture``: a sacral insufficiency fracture: a lucent line
  with a sclerotic margin running vertically through the ala at ``at``,
  parallel to the sacroiliac joint, from S1 to S3; ``shape: h`` adds the
  horizontal limb across the S2 body and the vertical line on the other side
  (the H or "Honda" pattern).

Sizes and values are approximated from radiology texts.
"""

from __future__ import annotations

import numpy as np

from .sdf import F32, Ellipsoid, Frame, Shape, exit_point
from .tissues import mu_fluoro
from .volume import Layer

KINDS = ("lytic", "sclerotic", "compression-fracture", "insufficiency-fracture")
SIZES = {"small": 10.0, "medium": 18.0, "large": 26.0}  # diameter, mm
BREACHES = ("none", "cortex", "posterior", "anterior", "lateral", "endplate")
FRACTURE_SHAPES = ("wedge", "biconcave", "crush")
SACRAL_SHAPES = ("vertical", "h")
LESION_HU = 35.0  # soft-tissue tumour mass
SCLEROTIC_HU = 900.0
SCLEROTIC_BAND_HU = 420.0  # added beneath a depressed endplate (impacted trabeculae)
# In a wedge fracture the posterior part of the superior endplate keeps its height (the middle column is
# intact) and the endplate in front of it tilts down to the collapsed anterior wall: the fraction of the
# endplate's depth, from the back, that is kept (drawn proportion).
WEDGE_HINGE = 0.25


def diameter(lesion: dict) -> float:
    size = lesion.get("size", "medium")
    return float(SIZES[size]) if isinstance(size, str) else float(size)


def _grid(lo, hi, h):
    lo, hi = np.floor(np.asarray(lo, float)), np.ceil(np.asarray(hi, float))
    xs, ys, zs = (np.arange(lo[i], hi[i] + h, h) for i in range(3))
    return lo, xs, ys, zs


def _points(xs, ys, zs) -> np.ndarray:
    Z, Y, X = np.meshgrid(zs, ys, xs, indexing="ij")
    return np.stack([X.ravel(), Y.ravel(), Z.ravel()], axis=1)


def region_shape(lesion: dict, at: np.ndarray) -> Shape:
    """The lesion's own region (for a zone outline): the lytic or sclerotic focus, or the fracture zone."""
    return _plan_cached(lesion, at)["shape"]


def _plan(lesion: dict, at: np.ndarray) -> dict:
    from .contrast import _And, _Inset, _Rough, host_bone

    kind = lesion["kind"]
    host, bone, part = host_bone(at)
    if kind in ("lytic", "sclerotic"):
        r = diameter(lesion) / 2
        focus = _Rough(Ellipsoid(Frame(at, np.eye(3)), (r, r, r)), min(1.6, r * 0.15), wavelength=5.0, seed=11)
        inner = _And(_Inset(part, 1.1), focus)
        plan = {"kind": kind, "host": host, "bone": bone, "part": part, "focus": focus, "shape": inner,
                "lo": at - r - 8.0, "hi": at + r + 8.0}
        breach = lesion.get("breach", "none")
        if kind == "lytic" and breach not in ("none", "cortex"):
            plan["exit"] = e = exit_point(part, at, _breach_direction(host, at, breach, lesion.get("side", "R")), step=0.5, max_mm=60.0)
            plan["lo"] = np.minimum(plan["lo"], e - 12.0)
            plan["hi"] = np.maximum(plan["hi"], e + 12.0)
        return plan
    if kind == "compression-fracture":
        from .spine import build_spine

        v = build_spine().vertebrae.get(host)
        if v is None:
            raise ValueError(f"a compression fracture needs a vertebral body; {lesion.get('at')!r} lies in {host}")
        ext = np.array([v.p.endplate_width / 2 + 6, v.p.endplate_depth / 2 + 6, v.p.body_height_posterior / 2 + 6])
        corners = np.array([v.W([sx * ext[0], sy * ext[1], sz * ext[2]]) for sx in (-1, 1) for sy in (-1, 1) for sz in (-1, 1)])
        return {"kind": kind, "host": host, "v": v, "part": v.parts["body"], "shape": _FractureZone(lesion, v),
                "lo": corners.min(axis=0), "hi": corners.max(axis=0)}
    if kind == "insufficiency-fracture":
        from .sacropelvis import build_sacropelvis

        sx = build_sacropelvis()
        if host != "sacrum":
            raise ValueError(f"an insufficiency fracture is placed in the sacrum; {lesion.get('at')!r} lies in {host}")
        lines = _sacral_lines(lesion, at, sx)
        # each strip is unbounded across its third axis (front to back through the whole ala, trimmed by the
        # bone), so the box spans the sacrum's depth there, not just a margin round the strip's axis
        corners = []
        for c, n, a, L in lines:
            b = np.cross(n, a)
            for sa in (-1.0, 1.0):
                for sb in (-1.0, 1.0):
                    corners.append(c + sa * a * L + sb * b * 60.0)
        pts = np.array(corners)
        blo, bhi = bone.bbox
        lo = np.maximum(pts.min(axis=0) - 6.0, np.asarray(blo, float) - 1.0)
        hi = np.minimum(pts.max(axis=0) + 6.0, np.asarray(bhi, float) + 1.0)
        return {"kind": kind, "host": host, "part": bone, "lines": lines, "shape": _SacralLines(lines, 2.5),
                "lo": lo, "hi": hi}
    raise ValueError(f"unknown lesion kind {kind!r}")


def _sacral_lines(lesion: dict, at: np.ndarray, sx) -> list[tuple]:
    """(centre, normal, long axis, half length) of each fracture plane strip.

    The vertical limb runs through the middle of the lateral mass, between the sacral foramina and the
    sacroiliac joint, parallel to the joint but a little closer to sagittal than the joint itself (so it
    keeps lateral to the foramina from the front of the ala to its back), from the top of the ala down to
    S3. Across the strip (front to back) it is bounded only by the bone, so an axial slice shows a line
    through the whole ala. (Placement approximated from the usual CT appearance.)
    """
    out = []
    sides = [("L" if at[0] > 0 else "R")]
    if lesion.get("shape", "vertical") == "h":
        sides.append("R" if sides[0] == "L" else "L")
    mids = {}
    for side in sides:
        j = sx.si[side]
        n = np.array(j.normal, float) * np.array([1.0, 0.5, 1.0])
        n /= np.linalg.norm(n)
        up = np.array([0.0, 0.0, 1.0]) - n * n[2]
        up /= np.linalg.norm(up)
        mid = 0.5 * (np.asarray(sx.points[f"S1.{side}.foramen"], float) + np.asarray(j.centre, float))
        # centre a little below S1 so the strip reaches from the top of the ala to S3 (about 68 mm)
        c = mid + up * ((float(at[2]) - 12.0 - mid[2]) / max(up[2], 0.5))
        mids[side] = c
        out.append((c, n, up, 34.0))
    if len(sides) == 2:
        s2 = sx.al.sacral["S2"].frame
        reach = max(abs(float(m[0])) for m in mids.values()) + 4.0
        out.append((s2.origin + s2.vector([0.0, 2.0, 0.0]), s2.vector([0, 0, 1]), s2.vector([1, 0, 0]), reach))
    return out


class _SacralLines(Shape):
    """Union of flat strips: distance to the nearest fracture plane within its extent, minus ``t``."""

    def __init__(self, lines, t: float):
        self.lines, self.t = lines, float(t)
        pts = np.concatenate([np.array([c - a * L, c + a * L]) for c, n, a, L in lines])
        self.bbox = (pts.min(axis=0) - 40.0, pts.max(axis=0) + 40.0)

    def distance(self, X, Y, Z):
        out = None
        for c, n, a, L in self.lines:
            c, n, a = (np.asarray(v, F32) for v in (c, n, a))
            dx, dy, dz = X - c[0], Y - c[1], Z - c[2]
            d = np.abs(dx * n[0] + dy * n[1] + dz * n[2])
            t = np.abs(dx * a[0] + dy * a[1] + dz * a[2]) - F32(L)
            f = np.maximum(d, t)
            out = f if out is None else np.minimum(out, f)
        return out

    def __call__(self, X, Y, Z):
        return self.distance(X, Y, Z) - F32(self.t)


class _FracturedBodyShape(Shape):
    """A shape within a vertebral body that a compression fracture has changed."""

    def __init__(self, lesion: dict, v):
        self.lesion, self.v = lesion, v
        self.bbox = v.parts["body"].bbox

    def _surfaces(self, X, Y, Z):
        """Local height z of each point and the depressed endplate surfaces (top, bottom or None) above it."""
        x, y, z = self.v.frame.to_local(X, Y, Z)
        return (z, *fracture_surfaces(self.lesion, self.v, x, y))


class _FractureZone(_FracturedBodyShape):
    """The part of a vertebral body a compression fracture changes (for zone outlines)."""

    def __call__(self, X, Y, Z):
        z, top, bot = self._surfaces(X, Y, Z)
        body = self.v.parts["body"](X, Y, Z)
        band = np.maximum(z - (top + F32(1.5)), (top - F32(6.0)) - z)
        if bot is not None:
            band = np.minimum(band, np.maximum(z - (bot + F32(6.0)), (bot - F32(1.5)) - z))
        return np.maximum(body, band)


class RemainingBody(_FracturedBodyShape):
    """What is left of a vertebral body after a compression fracture: the body below the depressed
    superior endplate (and above a depressed inferior one).  Cement and balloons stay inside it."""

    def __call__(self, X, Y, Z):
        z, top, bot = self._surfaces(X, Y, Z)
        f = np.maximum(self.v.parts["body"](X, Y, Z), z - top)
        if bot is not None:
            f = np.maximum(f, bot - z)
        return f


def remaining_body(lesions, host: str) -> Shape | None:
    """The fractured body of vertebra ``host`` if one of ``lesions`` ((lesion, at) pairs) is a compression
    fracture of it, else None."""
    from .spine import build_spine

    v = build_spine().vertebrae.get(host)
    if v is None:
        return None
    for lesion, at in lesions or ():
        if lesion.get("kind") != "compression-fracture":
            continue
        if np.linalg.norm(v.local_of(np.asarray(at, float))) < max(v.p.endplate_depth, v.p.body_height_posterior) / 2:
            return RemainingBody(lesion, v)
    return None


def fracture_surfaces(lesion: dict, v, x, y):
    """Local z of the new superior (and, for ``biconcave``, inferior) endplate after collapse."""
    p = v.p
    D, W2 = F32(p.endplate_depth), F32(p.endplate_width / 2)
    H = F32(0.5 * (p.body_height_anterior + p.body_height_posterior))
    loss = F32(float(lesion.get("height_loss", 0.3)))
    hh = F32(0.5) * (F32(p.body_height_anterior) + F32(p.body_height_posterior - p.body_height_anterior) * (y + D / 2) / D)
    shape = lesion.get("shape", "wedge")
    if shape == "wedge":  # anterior height lost, posterior wall intact: the endplate hinges down in front
        hinge = D / 2 - F32(WEDGE_HINGE) * D
        r = F32(2.0)  # mm, rounding of the hinge
        frac = np.clip(r * np.logaddexp(F32(0.0), (hinge - y) / r) / (hinge + D / 2), 0.0, 1.0)
        return hh - loss * H * frac, None
    if shape == "crush":
        return hh - loss * H, None
    rn2 = np.clip((x / W2) ** 2 + (y / (D / 2)) ** 2, 0.0, 1.0)  # biconcave: central depression of both endplates
    dip = F32(0.5) * loss * H * (1.0 - rn2) * F32(1.25)
    return hh - dip, -hh + dip


def _target(plan: dict, lesion: dict, P: np.ndarray, hu: np.ndarray) -> np.ndarray:
    """New HU at points ``P`` (N, 3) whose current HU is ``hu``."""
    kind = plan["kind"]
    X, Y, Z = (P[:, i].astype(F32) for i in range(3))
    out = hu.copy()
    rng = np.random.default_rng(23)
    if kind in ("lytic", "sclerotic"):
        inner = plan["shape"](X, Y, Z)
        alpha = np.clip(0.5 - inner / F32(0.6), 0, 1)
        if kind == "sclerotic":
            val = np.maximum(hu, F32(SCLEROTIC_HU) + F32(120.0) * rng.standard_normal(len(hu)).astype(F32) * 0.3)
            return out + alpha * (val - out)
        val = F32(LESION_HU) + F32(6.0) * rng.standard_normal(len(hu)).astype(F32)
        out = out + alpha * (val - out)
        breach = lesion.get("breach", "none")
        if breach != "none":
            out = _breach(plan, lesion, breach, X, Y, Z, out, val)
        return out
    if kind == "compression-fracture":
        v = plan["v"]
        x, y, z = v.frame.to_local(X, Y, Z)
        body = plan["part"](X, Y, Z)
        top, bot = fracture_surfaces(lesion, v, x, y)
        rough = (F32(0.35) * np.sin(x * F32(0.53) + F32(1.3)) * np.cos(y * F32(0.41) - F32(0.4))
                 + F32(0.22) * np.sin(x * F32(1.37) - y * F32(0.91) + F32(2.0)) + F32(0.12) * np.sin(x * F32(2.9) + y * F32(2.3)))
        soft = F32(62.0)

        def ramp(d, w=0.5):  # 0 -> 1 as d goes from -w/2 to +w/2 (anti-aliased edges)
            return np.clip(d / F32(w) + F32(0.5), 0, 1)

        near = ramp(F32(2.6) - body, 0.8)  # the body, its cortical rim and the partial-volume edge round it
        inside = ramp(-body - F32(0.3), 0.8)
        surfaces = [(top + rough, 1.0)] + ([(bot - rough, -1.0)] if bot is not None else [])
        for t, sign in surfaces:
            h = (z - t) * F32(sign)  # > 0 beyond the new endplate (collapsed), < 0 inside the remaining body
            out = out + near * ramp(h) * (soft - out)
            cortex = inside * ramp(h + F32(1.2)) * (1 - ramp(h))
            out = out + cortex * (np.maximum(out, F32(1250.0)) - out)
            # a band of impacted, sclerotic trabeculae beneath the new endplate: an even plateau of added
            # density about 5 mm deep (its lower edge undulating), so it reads as a band on CT and radiograph
            depth = F32(5.5) + F32(1.0) * np.sin(x * F32(0.31) + F32(0.7)) * np.cos(y * F32(0.27) - F32(0.5))
            band = inside * ramp(h + depth, 1.5) * (1 - ramp(h + F32(1.2)))
            out = out + band * F32(SCLEROTIC_BAND_HU)
        return out
    if kind == "insufficiency-fracture":
        bone = plan["part"](X, Y, Z)
        in_bone = bone < 0.0
        d = _SacralLines(plan["lines"], 0.0).distance(X, Y, Z)
        wobble = F32(0.5) * np.sin(Z * F32(0.45) + X * F32(0.2))
        d = np.abs(d + wobble)
        line = in_bone & (d < 0.7)
        sclerosis = in_bone & (d >= 0.7) & (d < 5.0)
        out = np.where(sclerosis, out + F32(420.0) * np.clip((5.0 - d) / F32(3.5), 0, 1), out)
        out = np.where(line, F32(70.0), out)
        return out
    raise ValueError(kind)


def _breach_direction(host: str, c: np.ndarray, breach: str, side: str) -> np.ndarray:
    from .spine import build_spine

    v = build_spine().vertebrae.get(host)
    fr = v.frame if v is not None else Frame(np.zeros(3), np.eye(3))
    if breach == "posterior":
        return fr.vector([0, 1, 0])
    if breach == "anterior":
        return fr.vector([0, -1, 0])
    if breach == "lateral":
        return fr.vector([1.0 if side == "L" else -1.0, 0, 0])
    zl = fr.local_point(c)[2] if v is not None else 1.0  # endplate: toward the nearer one
    return fr.vector([0, 0, 1.0 if zl >= 0 else -1.0])


def _breach(plan, lesion, breach, X, Y, Z, out, val):
    """The mass breaks through the cortex (toward ``breach``) and bulges into the soft tissue beyond."""
    focus, part = plan["focus"], plan["part"]
    fp = part(X, Y, Z)
    r = diameter(lesion) / 2
    if breach == "cortex":  # the cortex within the focus is destroyed, the mass stays within 2 mm of the bone
        region = np.maximum(focus(X, Y, Z), fp - F32(2.0))
        return out + np.clip(0.5 - region / F32(0.6), 0, 1) * (val - out)
    c = focus.base.frame.origin
    e = plan["exit"]
    rb = max(3.0, r * 0.6)
    # a tongue of tumour from the focus to the cortex, through it, and a bulge beyond it (up to 5 mm)
    ab = e - c
    L = max(float(np.linalg.norm(ab)), 1e-6)
    u = ab / L
    tq = np.clip((X - F32(c[0])) * F32(u[0]) + (Y - F32(c[1])) * F32(u[1]) + (Z - F32(c[2])) * F32(u[2]), 0, F32(L))
    dx, dy, dz = X - F32(c[0]) - tq * F32(u[0]), Y - F32(c[1]) - tq * F32(u[1]), Z - F32(c[2]) - tq * F32(u[2])
    tongue = np.sqrt(dx * dx + dy * dy + dz * dz) - F32(rb)
    bulge = np.sqrt((X - F32(e[0])) ** 2 + (Y - F32(e[1])) ** 2 + (Z - F32(e[2])) ** 2) - F32(rb * 1.2)
    region = np.maximum(np.minimum(tongue, bulge), fp - F32(5.0))
    alpha = np.clip(0.5 - region / F32(0.6), 0, 1)
    return out + alpha * (val - out)


def lesion_layer(lesion: dict, at: np.ndarray, volume, spacing: float = 0.5) -> Layer:
    """The additive layer (HU and attenuation residuals) that puts ``lesion`` into ``volume``.

    Layers are kept with the volume (a virtual C-arm re-renders the same lesion every frame)."""
    key = (tuple(sorted((k, v) for k, v in lesion.items() if k in ("kind", "size", "breach", "side", "height_loss", "shape"))),
           tuple(np.round(np.asarray(at, float), 3)), spacing)
    cache = volume.__dict__.setdefault("_lesion_layers", {})
    if key not in cache:
        if len(cache) > 16:
            cache.clear()
        cache[key] = _build(lesion, at, volume, spacing)
    return cache[key]


def _support(plan: dict, P: np.ndarray) -> np.ndarray:
    """Points the lesion may change (a cheap superset), so only those are sampled and modified."""
    X, Y, Z = (P[:, i].astype(F32) for i in range(3))
    if plan["kind"] == "insufficiency-fracture":
        return _SacralLines(plan["lines"], 0.0).distance(X, Y, Z) < 6.0
    if plan["kind"] == "compression-fracture":
        return plan["part"](X, Y, Z) < 3.2
    return np.ones(len(P), bool)


def apply_to_points(lesion: dict, at: np.ndarray, points: np.ndarray, hu: np.ndarray) -> np.ndarray:
    """The lesion applied to tissue values ``hu`` at world ``points`` (N, 3): exact, for CT slices."""
    plan = _plan_cached(lesion, at)
    lo, hi = plan["lo"], plan["hi"]
    inside = np.all((points >= lo) & (points <= hi), axis=1)
    out = np.array(hu, dtype=F32, copy=True)
    if inside.any():
        idx = np.nonzero(inside)[0]
        keep = _support(plan, points[idx])
        idx = idx[keep]
        if len(idx):
            out[idx] = _target(plan, lesion, points[idx], out[idx])
    return out


_PLANS: dict = {}


def _plan_cached(lesion: dict, at: np.ndarray) -> dict:
    key = (repr(sorted((k, v) for k, v in lesion.items() if k in ("kind", "size", "breach", "side", "height_loss", "shape"))),
           tuple(np.round(np.asarray(at, float), 3)))
    if key not in _PLANS:
        if len(_PLANS) > 32:
            _PLANS.clear()
        _PLANS[key] = _plan(lesion, np.asarray(at, float))
    return _PLANS[key]


def _build(lesion: dict, at: np.ndarray, volume, spacing: float = 0.5) -> Layer:
    plan = _plan_cached(lesion, at)
    lo, xs, ys, zs = _grid(plan["lo"], plan["hi"], spacing)
    P = _points(xs, ys, zs)
    keep = _support(plan, P)
    shape = (len(zs), len(ys), len(xs))
    dhu = np.zeros(len(P), F32)
    dmu = np.zeros(len(P), F32)
    if keep.any():
        Pk = P[keep]
        cur = volume.sample_hu(Pk).astype(F32)
        new = _target(plan, lesion, Pk, cur).astype(F32)
        dhu[keep] = new - cur
        dmu[keep] = mu_fluoro(new) - mu_fluoro(cur)
    dhu, dmu = dhu.reshape(shape), dmu.reshape(shape)
    return Layer(lo.astype(float), float(spacing), dhu.astype(F32), dmu.astype(F32), residual=True)


__all__ = ["KINDS", "apply_to_points", "lesion_layer", "region_shape"]
