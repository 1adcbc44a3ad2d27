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
* ``intrathecal``: a myelogram: contrast mixes with CSF and layers dependently
  (ventrally, the patient prone), the cord and cauda equina roots as filling
  defects, root sleeves filled.
* ``subdural``: a thin dense sharply marginated layer inside the dura over
  several levels, without root sleeves.
* ``facet``: arthrogram of the joint space with its superior and inferior recesses.
* ``muscle``: feathery, striated staining in muscle.
* ``intradiscal``: nucleogram of the disc nucleus.
* ``intraneural``: contrast within the nerve root sheath itself.
* ``sacroiliac-joint``: arthrogram of the sacroiliac joint: the joint line filled
  from its inferior recess upward, with the inferior capsular recess.
* ``prevertebral``: the stellate ganglion test injection: a linear spread in the
  prevertebral plane over the longus colli, from the needle down to C7-T1.
* ``medial-branch``: a small spread hugging the bone at the target (articular
  pillar waist, SAP-transverse process junction), a few millimetres across.

Bone cement and balloons (vertebral augmentation, sacroplasty, cementoplasty):

* ``cement``: polymethylmethacrylate (PMMA, opacified with barium) filling the
  cancellous bone around the needle tip with an interdigitating edge; it stays
  inside the cortex of the bone (or vertebral body) the tip lies in.
* ``cement-leak-epidural``, ``cement-leak-foraminal``, ``cement-leak-venous``,
  ``cement-leak-disc``: the same fill plus a leak through the posterior wall
  into the anterior epidural space, into the foramen on ``side``, along a
  segmental vein around the side of the body, or through the nearer endplate
  into the disc.
* ``balloon``: an inflated kyphoplasty balloon (contrast-filled) in the body,
  its long axis along the transpedicular path from the ``side`` pedicle.

The result is an additive layer (Hounsfield units and fluoroscopic
attenuation) on a small grid around the pattern.
"""

from __future__ import annotations

import numpy as np

from .sdf import F32, Ellipsoid, Frame, Rod, Shape, Union, field_on_block, rod_chain
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
    "sacroiliac-joint",
    "prevertebral",
    "medial-branch",
    "cement",
    "cement-leak-epidural",
    "cement-leak-foraminal",
    "cement-leak-venous",
    "cement-leak-disc",
    "balloon",
)
AMOUNT = {"small": 0.6, "medium": 1.0, "large": 1.5}


# Bone cement: PMMA with 20-30 % barium sulphate reads about 2000-3000 HU on CT and is far more opaque than
# cortical bone on fluoroscopy (values approximated).
CEMENT_HU = 2400.0
CEMENT_BOOST = 1.8  # fluoroscopic attenuation per HU of cement relative to water (barium; approximated)


class Component:
    """Contrast of ``hu`` inside ``shape`` (field < 0), faded with distance from ``centre``.

    ``reach=None`` fills the shape evenly (cement, balloons); ``boost`` is the fluoroscopic
    attenuation per HU relative to water (iodine by default).
    """

    def __init__(self, shape: Shape, hu: float, centre: np.ndarray, reach: float | None, stripes: float = 0.0,
                 boost: float = CONTRAST_BOOST, soft: float = 0.0, stripe_dir=None, patchy: bool = False):
        self.shape, self.hu, self.centre, self.stripes = shape, float(hu), np.asarray(centre, float), stripes
        self.patchy = patchy  # uneven filling: contrast in epidural fat pools and skips, it does not fill a tube
        self.stripe_dir = np.array([1.0, 0.0, 0.25]) if stripe_dir is None else np.asarray(stripe_dir, float)
        self.reach = None if reach is None else float(reach)
        self.boost, self.soft = float(boost), float(soft)


def _nearest(prefix_suffix, point: np.ndarray, zones: dict) -> tuple[str, Shape]:
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


class _Rough(Shape):
    """``base`` with a lobulated, interdigitating surface: its field plus smooth deterministic noise."""

    def __init__(self, base: Shape, amp: float, wavelength: float = 7.0, seed: int = 7, waves: int = 14,
                 inward: bool = False):
        self.base, self.amp, self.inward = base, float(amp), inward  # inward: the surface only moves in
        rng = np.random.default_rng(seed)
        k = rng.standard_normal((waves, 3))
        k /= np.linalg.norm(k, axis=1, keepdims=True)
        lam = wavelength * np.exp(rng.uniform(-0.6, 0.8, waves))  # several scales: lobulated, not a lattice
        self.k = (k * (2 * np.pi / lam)[:, None]).astype(F32)
        self.ph = (rng.random(waves) * 2 * np.pi).astype(F32)
        self.w = (lam / lam.max()).astype(F32)  # longer waves weigh more
        self.norm = F32(1.0 / np.sqrt(0.5 * float(np.sum(self.w ** 2))))
        self.bbox = (base.bbox[0] - amp, base.bbox[1] + amp)

    def noise(self, X, Y, Z):
        out = 0.0
        for (kx, ky, kz), ph, w in zip(self.k, self.ph, self.w):
            out = out + w * np.cos(X * kx + Y * ky + Z * kz + ph)
        out = out * self.norm
        return np.abs(out) if self.inward else out

    def __call__(self, X, Y, Z):
        return self.base(X, Y, Z) + F32(self.amp) * self.noise(X, Y, Z)

    def field_block(self, xs, ys, zs, pad):
        X = xs.astype(F32)[None, None, :]
        Y = ys.astype(F32)[:, None][None]
        Z = zs.astype(F32)[:, None, None]
        return field_on_block(self.base, xs, ys, zs, pad + self.amp) + F32(self.amp) * self.noise(X, Y, Z)


class _Inset(Shape):
    """``base`` shrunk by ``d`` mm (the cancellous interior inside a cortex)."""

    def __init__(self, base: Shape, d: float):
        self.base, self.d = base, float(d)
        self.bbox = base.bbox

    def __call__(self, X, Y, Z):
        return self.base(X, Y, Z) + F32(self.d)

    def field_block(self, xs, ys, zs, pad):
        return field_on_block(self.base, xs, ys, zs, pad) + F32(self.d)


class _And(Shape):
    """Intersection evaluated block-wise on both sides (``Intersect`` evaluates its right side point-wise)."""

    def __init__(self, a: Shape, b: Shape):
        self.a, self.b = a, b
        lo = np.maximum(a.bbox[0], b.bbox[0])
        self.bbox = (lo, np.maximum(np.minimum(a.bbox[1], b.bbox[1]), lo))

    def __call__(self, X, Y, Z):
        return np.maximum(self.a(X, Y, Z), self.b(X, Y, Z))

    def field_block(self, xs, ys, zs, pad):
        return np.maximum(field_on_block(self.a, xs, ys, zs, pad), field_on_block(self.b, xs, ys, zs, pad))


class _Minus(_And):
    """``a`` outside ``b``."""

    def __init__(self, a: Shape, b: Shape):
        self.a, self.b = a, b
        self.bbox = a.bbox

    def __call__(self, X, Y, Z):
        return np.maximum(self.a(X, Y, Z), -self.b(X, Y, Z))

    def field_block(self, xs, ys, zs, pad):
        return np.maximum(field_on_block(self.a, xs, ys, zs, pad), -field_on_block(self.b, xs, ys, zs, pad))


def _f(shape: Shape, p) -> float:
    q = np.asarray(p, F32).reshape(1, 3)
    return float(np.asarray(shape(q[:, 0], q[:, 1], q[:, 2])).ravel()[0])


def _nearest_structure(at: np.ndarray, keep, pad: float, within: float = 1e9):
    """The kept anatomy structure whose surface is nearest ``at`` (field below ``within``), or None.
    Structures whose box, grown by ``pad`` mm, misses the point are skipped unevaluated."""
    from .anatomy import all_structures

    best, best_f = None, within
    for st in all_structures():
        if not keep(st):
            continue
        lo, hi = st.shape.bbox
        if np.any(at < lo - pad) or np.any(at > hi + pad):
            continue
        f = _f(st.shape, at)
        if f < best_f:
            best, best_f = st, f
    return best


def host_bone(at: np.ndarray) -> tuple[str, Shape, Shape]:
    """The bone the point lies in (or nearest): (name, whole bone, the part a fill stays in).

    The part is the vertebral body when the point is in a body, a C1 lateral mass when it is in one,
    else the whole bone.
    """
    from .anatomy import zones as all_zones

    zones = all_zones()
    best = _nearest_structure(at, lambda st: st.group == "bone" and st.name not in ("skull", "maxilla", "mandible"), 15.0)
    if best is None:
        raise ValueError("no bone near the injection point")
    part = best.shape
    body = zones.get(f"{best.name}.body")
    if body is not None and _f(body, at) < 1.5:
        part = body
    else:
        for side in ("L", "R"):
            lm = zones.get(f"{best.name}.{side}.lateral-mass")
            if lm is not None and _f(lm, at) < 1.5:
                part = lm
    return best.name, best.shape, part


def _nearest_landmark(suffix: str, at: np.ndarray, max_mm: float = 60.0) -> np.ndarray | None:
    from .landmarks import landmarks

    best, bd = None, max_mm
    for name, p in landmarks().items():
        if name.endswith(suffix) and not name.endswith("skin-entry"):
            d = float(np.linalg.norm(p - at))
            if d < bd:
                best, bd = name, d
    return None if best is None else landmarks()[best]


def _side_of(at: np.ndarray, host: str, side: str) -> float:
    from .spine import build_spine

    v = build_spine().vertebrae.get(host)
    if v is not None:
        x = v.local_of(at)[0]
        if abs(x) > 2.0:
            return 1.0 if x > 0 else -1.0
    return 1.0 if side == "L" else -1.0


BALLOON_CLEARANCE = 2.0  # mm kept between an inflated balloon and the cortex (drawn proportion)


def _balloon(at: np.ndarray, v, side: str, k: float, part: Shape) -> Shape:
    """An inflated tamp along the pedicle path, kept ``BALLOON_CLEARANCE`` inside the cortex and endplates:
    drawn back along the path toward mid-body, then made shorter or slimmer, until it fits."""
    ped = v.W(v.points[f"{side}.pedicle"]) if v is not None else None
    axis = (at - ped) if ped is not None else np.array([0.0, -1.0, 0.0])
    axis = axis / max(np.linalg.norm(axis), 1e-6)
    half0, r0 = {0.6: (6.0, 5.0), 1.0: (9.0, 7.0), 1.5: (11.0, 8.5)}.get(k, (9.0, 7.0))

    def fits(c, half, r):
        return all(-_f(part, c + axis * t) >= r + BALLOON_CLEARANCE for t in (-half, 0.0, half)) and \
            -_f(part, c + axis * (half + r)) >= BALLOON_CLEARANCE

    for scale in (1.0, 0.9, 0.8, 0.7, 0.6, 0.5):
        for shift in np.arange(0.0, 10.5, 1.0):
            c, half, r = at - axis * shift, half0 * scale, r0 * scale
            if fits(c, half, r):
                return Rod(c - axis * half, c + axis * half, r, r)
    return Rod(at - axis * half0 * 0.4, at + axis * half0 * 0.4, r0 * 0.4, r0 * 0.4)


def _cement_cloud(at: np.ndarray, axes: np.ndarray, radius: float, seed: int = 5, lobes: int = 5) -> Shape:
    """A lobulated cloud: a core with a few smaller, offset lobes (fixed seed), as cement spreads
    unevenly through the trabeculae. Lobe sizes and offsets are drawn proportions of ``radius``."""
    rng = np.random.default_rng(seed)
    parts: list[Shape] = [Ellipsoid(Frame(at, axes), (radius * 0.85, radius * 0.75, radius * 0.65))]
    for _ in range(lobes):
        d = rng.standard_normal(3)
        d /= np.linalg.norm(d)
        centre = at + axes.T @ (d * radius * rng.uniform(0.4, 0.6))
        s = radius * rng.uniform(0.35, 0.55)
        parts.append(Ellipsoid(Frame(centre, axes), (s, s * 0.9, s * 0.8)))
    return Union(parts, k=2.0)


def _cement(pattern: str, at: np.ndarray, side: str | None, k: float, lesions=()) -> list[Component]:
    from .anatomy import zones as all_zones
    from .lesions import remaining_body
    from .spine import build_spine

    zones = all_zones()
    host, bone, part = host_bone(at)
    collapsed = remaining_body(lesions, host)
    if collapsed is not None:  # a compression fracture: the fill stays below the depressed endplate
        part = _And(part, collapsed)
    v = build_spine().vertebrae.get(host)
    s = _side_of(at, host, side)
    side = "L" if s > 0 else "R"
    if pattern == "balloon":
        return [Component(_balloon(at, v, side, k, part), 1500.0, at, None)]
    radius = {0.6: 9.0, 1.0: 14.0, 1.5: 20.0}.get(k, 14.0)
    if v is not None:  # a smaller body takes a smaller cloud (proportion to a lumbar body about 34 mm deep)
        radius *= float(np.clip(v.p.endplate_depth / 34.0, 0.7, 1.0))
    axes = v.frame.axes if v is not None else np.eye(3)
    # where the cloud meets the cortex it still interdigitates: the confining surface is roughened
    # inward only, so the cast never crosses the cortex
    confined = _Rough(_Inset(part, 0.6), 1.2, wavelength=3.0, seed=3, waves=16, inward=True)
    fill = _And(confined, _Rough(_cement_cloud(at, axes, radius), 1.6, wavelength=3.5, seed=11, waves=18))
    # denser centrally: the cloud thins toward its interdigitating edge
    comps = [Component(fill, CEMENT_HU, at, radius * 1.7, boost=CEMENT_BOOST, soft=0.5)]
    leak: list[Shape] = []
    if pattern == "cement-leak-epidural":
        from .soft_tissue import _canal_points

        c, hw, hd, _, fr = min(_canal_points(), key=lambda t: float(np.linalg.norm(t[0] - at)))
        u = at - c
        u = u / max(np.linalg.norm(u), 1e-6)
        wall = c + u * (hd - 0.5)
        pool = Ellipsoid(Frame(wall, fr.axes), (7.0 * k + 3.0, 3.5 + 1.5 * k, 9.0 * k + 5.0))
        leak.append(_Minus(_And(zones["epidural-space"], pool), bone))  # a ventral epidural collection indenting the sac
        leak.append(Rod(at, wall, 1.6, 1.6))
    elif pattern == "cement-leak-foraminal":
        fo = _nearest_landmark(f".{side}.foramen", at)
        if fo is None:
            raise ValueError("no foramen near the injection point")
        leak.append(_Minus(Ellipsoid(Frame(fo, np.eye(3)), (4.0 + 2 * k, 3.5 + k, 5.0 + 3 * k)), bone))
        leak.append(Rod(at, fo, 1.5, 1.5))
    elif pattern == "cement-leak-venous":
        if v is not None:
            W2, D = v.p.endplate_width / 2, v.p.endplate_depth
            z = float(np.clip(v.local_of(at)[2], -3.0, 3.0))
            pts = [v.local_of(at), [s * (W2 - 2.0), -D * 0.1, z], [s * (W2 + 3.0), -D * 0.25, z - 1.0],
                   [s * (W2 + 2.5), -D / 2 - 1.0, z - 3.0], [s * (W2 * 0.5), -D / 2 - 6.0, z - 5.0],
                   [s * 4.0, -D / 2 - 9.0, z - 9.0 * k]]
            pts = [v.W(np.asarray(p, float)) for p in pts]
        else:
            pts = [at, at + np.array([s * 12.0, -4.0, -2.0]), at + np.array([s * 24.0, -14.0, -6.0]), at + np.array([s * 30.0, -30.0, -12.0])]
        leak.append(rod_chain(pts, [1.4] + [1.2] * (len(pts) - 1), [1.4] + [1.2] * (len(pts) - 1), k=0.8))
        if v is not None:  # and back along the basivertebral vein to the centre of the posterior wall
            D = v.p.endplate_depth
            leak.append(rod_chain([v.W(np.array(p, float)) for p in ([0.0, -D * 0.05, 0.5], [0.0, -D * 0.3, 0.0], [0.0, -D / 2 + 0.5, -0.5])],
                                  [1.3, 1.2, 1.1], [1.3, 1.2, 1.1], k=0.8))
    elif pattern == "cement-leak-disc":
        best, bd = None, 1e9
        from .landmarks import landmarks

        for name, p in landmarks().items():
            if name.endswith(".disc-centre"):
                d = float(np.linalg.norm(p - at))
                if d < bd:
                    best, bd = name, d
        seg = best.rsplit(".", 1)[0]
        dc = landmarks()[best]
        disc = zones.get(f"{seg}.disc")
        if disc is None:
            raise ValueError("no disc near the injection point")
        entry = at + (dc - at) * 0.75
        leak.append(_And(disc, Ellipsoid(Frame(entry, np.eye(3)), (8.0 * k + 2.0, 7.0 * k + 2.0, 5.0))))
        leak.append(Rod(at, entry, 1.8, 1.8))
    if leak:
        # the same material as the fill, so the leak is as dense as the cast
        comps.append(Component(Union(leak, k=0.8), CEMENT_HU, at, None, boost=CEMENT_BOOST, soft=0.3))
    return comps


def components(pattern: str, at: np.ndarray, side: str | None, amount: str = "medium", lesions=()) -> list[Component]:
    """The pattern's parts. ``side`` (``L``/``R``) is the side named in the spec, or None (then the side
    of ``at`` decides where a pattern has a side).  ``lesions``: the image's (lesion, at) pairs; cement and
    balloons stay inside a vertebral body a compression fracture has collapsed."""
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
        # the epidural part has soft, feathered edges (it spreads in fat, not in a tube)
        return [Component(sleeve, 1500.0, at, 30.0 * k), Component(ventral, 1000.0, at, 22.0 * k, soft=2.5)]
    if pattern == "epidural-interlaminar":
        return _interlaminar(at, side, k, zones)
    if pattern == "epidural-caudal":
        canal = _Box(_Between(epi, sac), at, 70.0 * k)
        roots = [Component(_Box(_Near(zones[f"S{i}.{s}.nerve-root"], 0.2, 1.5), at, 70.0 * k), 1100.0, at, 70.0 * k)
                 for i in (1, 2, 3) for s in ("L", "R") if f"S{i}.{s}.nerve-root" in zones]
        return [Component(canal, 1300.0, at, 75.0 * k)] + roots
    if pattern == "intravascular":
        return _vessels(at, side or "R", k)
    if pattern == "intrathecal":
        # CSF only: the cord and the cauda equina roots stay as filling defects inside the column
        space = zones["csf"]
        for solid in ("spinal-cord", "cauda-equina"):
            if solid in zones:
                space = _Between(space, zones[solid])
        fill = _Box(space, at + np.array([0, 0, -25.0]), 75.0 * k)
        return [Component(fill, 900.0, at, 80.0 * k, stripes=-1.0)]
    if pattern == "subdural":
        shell = _Box(_Near(sac, -1.1, -0.2), at, 60.0 * k)
        return [Component(shell, 1600.0, at, 70.0 * k)]
    if pattern == "facet":
        from .craniocervical import build_craniocervical
        from .spine import build_spine

        jname, joint = _nearest((".facet-joint", ".lateral-atlantoaxial-joint"), at, zones)
        seg, s = jname.split(".")[0], jname.split(".")[1]
        j = build_craniocervical().joints[s] if seg == "C1-C2" else build_spine().joints[seg][s]
        rec_up = Ellipsoid(Frame(j.point(along=j.half_height + 1.5, normal=1.5), np.eye(3)), (3.0, 3.0, 4.0))
        rec_dn = Ellipsoid(Frame(j.point(along=-j.half_height - 2.0, normal=1.5), np.eye(3)), (3.5, 3.5, 5.0))
        return [Component(joint, 1600.0, j.centre, 40.0), Component(Union([rec_up, rec_dn], k=1.0), 1500.0, j.centre, 40.0)]
    if pattern == "muscle":
        return _muscle(at, k)
    if pattern == "sacroiliac-joint":
        return _sacroiliac(at, k, zones)
    if pattern == "prevertebral":
        return _prevertebral(at, side, k, zones)
    if pattern == "medial-branch":
        host, bone, _ = host_bone(at)
        spot = _And(_Near(bone, -0.3, 2.2), Ellipsoid(Frame(at, np.eye(3)), (4.0 + 1.5 * k, 4.0 + 1.5 * k, 6.0 + 3.0 * k)))
        return [Component(spot, 1300.0, at, 9.0 * k + 3.0, soft=0.8)]
    if pattern == "intradiscal":
        nname, nuc = _nearest(".nucleus", at, zones)
        return [Component(nuc, 1500.0, at, 40.0)]
    if pattern.startswith("cement") or pattern == "balloon":
        return _cement(pattern, at, side, k, lesions)
    if pattern == "intraneural":
        rname, root = _nearest(".nerve-root", at, zones)
        return [Component(_Box(root, at, 14.0 * k), 1300.0, at, 14.0 * k)]
    raise ValueError(pattern)


class _Dorsal(Shape):
    """Points behind the canal's centre line (the dorsal half of the canal), following the spine's curve."""

    def __init__(self, margin: float = 0.0):
        self.margin = float(margin)
        self.bbox = (np.full(3, -1e4), np.full(3, 1e4))

    def __call__(self, X, Y, Z):
        from .spine_curves import y_at

        return (y_at("canal", Z) + F32(self.margin)) - Y


def _side_sign(at: np.ndarray, side: str | None) -> float:
    """+1 left, -1 right, 0 midline: the side named in the spec, else the side of ``at``."""
    if side in ("L", "R"):
        return 1.0 if side == "L" else -1.0
    if abs(at[0]) > 2.0:
        return 1.0 if at[0] > 0 else -1.0
    return 0.0


def _interlaminar(at: np.ndarray, side: str | None, k: float, zones: dict) -> list[Component]:
    """Dorsal epidural spread on the needle's side, over the levels next to it (a dorsal line on the
    contralateral oblique), outlining the back of the thecal sac; not the whole epidural ring."""
    s = _side_sign(at, side)
    sac, epi = zones["thecal-sac"], zones["epidural-space"]
    c = at + np.array([s * 5.0, 2.0, 6.0 * k])  # spreads more cranially than caudally
    reach = Ellipsoid(Frame(c, np.eye(3)), (10.0 + (6.0 if s == 0 else 3.0), 14.0, 30.0 * k))
    dorsal = _And(_And(_Between(epi, sac), _Dorsal(-1.5)), reach)
    margin = _And(_And(_Near(sac, 0.1, 1.2), _Dorsal(1.0)), reach)
    comps = [Component(dorsal, 1300.0, c, 34.0 * k, soft=0.8, patchy=True),
             Component(margin, 1000.0, c, 30.0 * k, soft=0.6, patchy=True)]
    # with a larger volume it tracks out along the root sleeves of the levels it reaches: on its own side,
    # and fainter on the other once the volume is large (both alike from the midline). These are the short
    # lateral branches of an AP epidurogram, densest where they leave the canal.
    if k >= 1.0:
        for name, root in zones.items():
            if not name.endswith(".nerve-root"):
                continue
            root_side = 1.0 if name.split(".")[1] == "L" else -1.0
            weight = 1.0 if s in (0.0, root_side) else (0.5 if k > 1.0 else 0.0)
            sleeve_at = _sleeve_point(root, root_side) if weight else None
            if sleeve_at is None or abs(sleeve_at[2] - c[2]) > 24.0 * k:
                continue
            sleeve = _Box(_Near(root, 0.2, 1.4), sleeve_at, 7.0)
            source = sleeve_at - np.array([4.0 * root_side, 0.0, 0.0])
            comps.append(Component(sleeve, 900.0 * weight, source, 12.0, soft=0.5))
    return comps


def _sleeve_point(root: Shape, side: float) -> np.ndarray | None:
    """Where a nerve root runs 13 mm from the midline (its sleeve, between the thecal sac and the foramen)."""
    lo, hi = root.bbox
    y, z = np.meshgrid(np.arange(lo[1], hi[1], 1.0), np.arange(lo[2], hi[2], 1.0), indexing="ij")
    x = np.full(y.shape, 13.0 * side)
    f = np.asarray(root(x.ravel().astype(F32), y.ravel().astype(F32), z.ravel().astype(F32)))
    if f.size == 0 or float(f.min()) > 0.5:
        return None
    i = int(np.argmin(f))
    return np.array([13.0 * side, float(y.ravel()[i]), float(z.ravel()[i])])


def _muscle(at: np.ndarray, k: float) -> list[Component]:
    """Feathery staining confined to the muscle the tip lies in, elongated along its fibres."""
    best = _nearest_structure(at, lambda st: st.group == "muscle" and not st.name.endswith(".fascia"), 5.0, within=4.0)
    if best is None:  # not in a named muscle: a cloud around the tip
        cloud = Ellipsoid(Frame(at, np.eye(3)), (12.0 * k, 9.0 * k, 24.0 * k))
        return [Component(cloud, 900.0, at, 24.0 * k, stripes=1.0)]
    # fibre direction: the principal axis of the muscle within 25 mm of the tip
    g = np.arange(-25.0, 25.1, 2.5)
    P = (at[None, :] + np.stack(np.meshgrid(g, g, g, indexing="ij"), -1).reshape(-1, 3)).astype(F32)
    inside = np.asarray(best.shape(P[:, 0], P[:, 1], P[:, 2])) < 0
    Q = P[inside & (np.linalg.norm(P - at, axis=1) < 25.0)].astype(float)
    axis = np.array([0.0, 0.0, 1.0])
    if len(Q) > 10:
        axis = np.linalg.svd(Q - Q.mean(axis=0), full_matrices=False)[2][0]
    x = np.cross(axis, [0.0, 1.0, 0.0])
    x = x / np.linalg.norm(x) if np.linalg.norm(x) > 1e-3 else np.array([1.0, 0.0, 0.0])
    y = np.cross(axis, x)
    cloud = _And(best.shape, Ellipsoid(Frame(at, np.array([x, y, axis])), (8.0 * k + 2.0, 7.0 * k + 2.0, 26.0 * k)))
    return [Component(cloud, 900.0, at, 28.0 * k, stripes=1.0, stripe_dir=x)]


class _SISheet(Shape):
    """A sheet ``t`` mm either side of a sacroiliac joint surface."""

    def __init__(self, joint, t: float):
        self.j, self.t = joint, float(t)
        self.bbox = (joint.centre - 60.0, joint.centre + 60.0)

    def __call__(self, X, Y, Z):
        return np.abs(self.j.field(X, Y, Z)) - F32(self.t)


def _sacroiliac(at: np.ndarray, k: float, zones: dict) -> list[Component]:
    """Sacroiliac arthrogram: the joint line filled from the inferior recess upward, and the recess itself."""
    from .sacropelvis import build_sacropelvis

    sx = build_sacropelvis()
    side = min(sx.si, key=lambda sd: float(np.linalg.norm(sx.si[sd].centre - at)))
    j = sx.si[side]
    # contrast lines the joint: a thin sheet along the joint surface (not the whole cartilage space), within
    # the joint's extent
    space = _And(_SISheet(j, 0.8), zones[f"SIJ.{side}"].b if hasattr(zones[f"SIJ.{side}"], "b") else zones[f"SIJ.{side}"])
    low = j.point(up=-26.0, back=12.0)
    recess = Ellipsoid(Frame(j.point(up=-34.0, back=9.0, out=-1.0), np.eye(3)), (3.5 + k, 5.0 + k, 6.0 + 2.0 * k))
    return [Component(space, 1000.0, low, 42.0 * k + 10.0, soft=0.5), Component(recess, 1200.0, low, 30.0, soft=0.8)]


def _prevertebral(at: np.ndarray, side: str | None, k: float, zones: dict) -> list[Component]:
    """Stellate ganglion test dose: contrast in the prevertebral plane over the longus colli, spreading
    down toward C7-T1 (and a little up), a linear column beside the vertebral bodies on AP."""
    s = _side_sign(at, side) or -1.0
    lc = zones[f"longus-colli.{'L' if s > 0 else 'R'}"]
    c = at + np.array([0.0, -2.0, -18.0 * k])
    column = Ellipsoid(Frame(c, np.eye(3)), (9.0, 8.0, 30.0 * k + 8.0))
    plane = _And(_Near(lc, -1.2, 2.5), column)
    return [Component(plane, 1200.0, c, 38.0 * k + 8.0, soft=1.0)]


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


def _patches(X, Y, Z):
    """A smooth, fixed pattern of denser pools and thin gaps (about 1-2 cm across), 0.15 to 1."""
    a = np.cos(F32(0.31) * X + F32(0.17) * Z + F32(1.3)) * np.cos(F32(0.23) * Z - F32(0.29) * X + F32(0.7))
    b = np.cos(F32(0.41) * Z + F32(0.13) * Y + F32(2.1)) * np.cos(F32(0.37) * X - F32(0.11) * Z + F32(0.4))
    return np.clip(F32(0.55) + F32(0.6) * a + F32(0.45) * b, F32(0.15), F32(1.0))


def contrast_layer(comps: list[Component], spacing: float | None = None) -> Layer | None:
    """Rasterise contrast components into an additive layer (HU and fluoroscopic attenuation)."""
    if not comps:
        return None
    los = np.array([c.shape.bbox[0] for c in comps if c.hu > 0])
    his = np.array([c.shape.bbox[1] for c in comps if c.hu > 0])
    if len(los) == 0:
        return None
    pad = 2 + max(c.soft for c in comps)
    lo = np.floor(los.min(axis=0)) - pad
    hi = np.ceil(his.max(axis=0)) + pad
    lo = np.maximum(lo, [-400, -400, -600])
    hi = np.minimum(hi, [400, 400, 900])
    if spacing is None:  # fine for small patterns, coarser for spreads over several levels
        spacing = 0.6 if float(np.max(hi - lo)) < 70 else 0.9
    xs = np.arange(lo[0], hi[0], spacing)
    ys = np.arange(lo[1], hi[1], spacing)
    zs = np.arange(lo[2], hi[2], spacing)
    hu = np.zeros((len(zs), len(ys), len(xs)), F32)
    mu = np.zeros_like(hu)
    Z, Y, X = np.meshgrid(zs.astype(F32), ys.astype(F32), xs.astype(F32), indexing="ij", sparse=True)
    for c in comps:
        if c.hu <= 0:
            continue
        f = field_on_block(c.shape, xs, ys, zs, pad=3.0 + c.soft)
        width = F32(max(spacing, c.soft))
        alpha = np.clip(0.5 - f / width, 0, 1)
        if c.reach is not None:
            r2 = (X - F32(c.centre[0])) ** 2 + (Y - F32(c.centre[1])) ** 2 + (Z - F32(c.centre[2])) ** 2
            dens = alpha * np.clip(F32(1.15) - r2 / F32(c.reach * c.reach), 0, 1)
        else:
            dens = alpha
        if c.stripes > 0:  # feathery striation along the muscle fibres (varying across them)
            e = (c.stripe_dir * 0.9).astype(F32)
            dens = dens * (0.55 + 0.45 * np.cos(X * e[0] + Y * e[1] + Z * e[2]) ** 2).astype(F32)
        if c.patchy:
            dens = dens * _patches(X - F32(c.centre[0]), Y - F32(c.centre[1]), Z - F32(c.centre[2]))
        if c.stripes < 0:
            # contrast is heavier than CSF and sinks to the dependent, ventral side of the sac for a prone
            # patient: a dense column in front of the cord, a faint one behind it
            from .spine_curves import y_at

            dens = dens * np.clip(0.5 - (Y - y_at("canal", Z)) / 1.5, 0.1, 1.0).astype(F32)
        h = dens * F32(c.hu)
        hu = np.maximum(hu, h)
        mu = np.maximum(mu, h * F32(MU_WATER * c.boost / 1000.0))
    return Layer(lo.astype(float), float(spacing), hu, mu.astype(F32), residual=True)
