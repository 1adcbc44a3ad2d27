"""Soft tissue of the trunk: body wall, muscles, organs, vessels, discs, canal contents, nerves.

Everything is placed relative to the built column (frames, points and the
curves of :mod:`spine_curves`), so the tissue follows the spine's curve.
Sizes are typical adult values, approximated from anatomy and radiology texts.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import tissues as T
from .anatomy import Structure
from .facets import SIDES
from .sacropelvis import _BODY_DEPTH, _CANAL_DEPTH, _CANAL_HALF_W, WingLayer, build_sacropelvis
from .sdf import (
    F32,
    Ellipsoid,
    Frame,
    Intersect,
    Local,
    Rod,
    Shape,
    Subtract,
    Union,
    rod_chain,
    unit,
)
from .spine import build_spine
from .spine_curves import y_at

# Trunk outline anchors: world z, half-width, skin-to-skin AP depth, skin depth behind the spinous tips.
# Below the hip joints the depth narrows toward the perineum (the mons and lower abdomen in front of the
# pubis, the coccyx behind); the buttocks and thighs are separate masses (``_HIP``).
_TRUNK = np.array([
    [-230.0, 175.0, 120.0, 38.0],
    [-150.0, 178.0, 150.0, 40.0],
    [-125.0, 177.0, 180.0, 42.0],
    [-100.0, 176.0, 196.0, 42.0],
    [-60.0, 172.0, 215.0, 40.0],
    [20.0, 162.0, 212.0, 32.0],
    [100.0, 150.0, 205.0, 30.0],
    [190.0, 152.0, 212.0, 26.0],
    [260.0, 150.0, 218.0, 22.0],
    [300.0, 150.0, 208.0, 20.0],
    [340.0, 153.0, 196.0, 19.0],
    [380.0, 165.0, 178.0, 18.0],
    [415.0, 190.0, 158.0, 18.0],
    [436.0, 176.0, 142.0, 16.0],
    [447.0, 120.0, 128.0, 14.0],
    [455.0, 62.0, 118.0, 12.0],
    [462.0, 40.0, 100.0, 12.0],
])
TRUNK_TOP = 462.0  # the trunk tapers into the neck (cervical module) below this
PERINEUM_Z = -170.0  # lower end of the trunk at the midline, between the thighs
GROIN_SLOPE = 0.65  # rise of the groin and gluteal creases per mm away from the midline


# Hip and thigh of one side, continuous from the buttock into the thigh: world z, centre x (toward the
# side), centre y, half-width, half-depth in front of and behind the centre.  At the sacrum the mass lies
# inside the trunk; it bulges out behind as the buttock (deepest over the ischial tuberosity, about 230 mm
# skin to skin front to back at the hip joints), narrows below the gluteal fold and carries on as the thigh
# round the femoral shaft, below the pelvis.  The two sides meet at the midline (the natal cleft behind,
# the perineum below the pubis), where the trunk's lower end closes the gap.
_HIP = np.array([
    [-340.0, 88.0, -28.0, 90.0, 84.0, 74.0],
    [-230.0, 86.0, -26.0, 96.0, 88.0, 80.0],
    [-190.0, 86.0, -20.0, 97.0, 94.0, 86.0],
    [-165.0, 88.0, -12.0, 96.0, 102.0, 98.0],
    [-140.0, 90.0, -2.0, 94.0, 110.0, 112.0],
    [-110.0, 90.0, 4.0, 94.0, 114.0, 115.0],
    [-80.0, 87.0, 2.0, 91.0, 112.0, 116.0],
    [-50.0, 82.0, -2.0, 86.0, 106.0, 114.0],
    [-25.0, 76.0, -6.0, 80.0, 98.0, 110.0],
    [0.0, 70.0, -14.0, 70.0, 86.0, 80.0],
])
_HIP_TOP = 0.0
_HIP_BOTTOM = -340.0


class HipAndThigh(Shape):
    """The skin surface of the buttock and thigh of side ``s`` (super-elliptic sections, table ``_HIP``)."""

    def __init__(self, s: float):
        self.s = float(s)
        lo = np.array([-20.0 if s > 0 else -200.0, -140.0, _HIP_BOTTOM])
        hi = np.array([200.0 if s > 0 else 20.0, 145.0, _HIP_TOP])
        self.bbox = (lo, hi)

    def __call__(self, X, Y, Z):
        zt = np.clip(Z, _HIP_BOTTOM, _HIP_TOP)
        cx, cy, a, ba, bp = (np.interp(zt, _HIP[:, 0], _HIP[:, i]).astype(F32) for i in range(1, 6))
        xn = (X * F32(self.s) - cx) / a
        b = np.where(Y > cy, bp, ba)
        yn = (Y - cy) / b
        p = F32(2.4)
        rn = (np.abs(xn) ** p + np.abs(yn) ** p) ** (1.0 / p)
        f = (rn - 1.0) * np.minimum(a, b)
        cap = np.maximum(F32(_HIP_BOTTOM) - Z, Z - F32(_HIP_TOP))
        return np.maximum(f, cap)


class ThighMuscles(Shape):
    """The muscles of the upper thigh of side ``s`` (quadriceps, adductors and hamstrings as one mass)
    under about 16 mm of subcutaneous fat; toward the pelvis they narrow to their origins on the pubic
    and ischial rami and the ischial tuberosity, and the gluteal region above is left to the gluteal muscles.
    The vasti wrap the femoral shaft from just below the greater trochanter."""

    def __init__(self, s: float):
        self.hip = HipAndThigh(s)
        sx = build_sacropelvis()
        side = "L" if s > 0 else "R"
        troch = sx.points[f"femur.{side}.greater-trochanter"]
        shaft_dir = sx.femur_shaft_direction[side]
        top = troch + np.array([-s * 8.0, -2.0, -22.0])
        self.vasti = Rod(top, top + shaft_dir * 260.0, 34.0, 38.0, 38.0, 42.0, up=(0, 1, 0))
        self.bbox = (self.hip.bbox[0], np.array([self.hip.bbox[1][0], self.hip.bbox[1][1], -80.0]))

    def __call__(self, X, Y, Z):
        h = self.hip(X, Y, Z)
        inset = np.interp(Z, [-340.0, -215.0, -140.0], [16.0, 16.0, 95.0]).astype(F32)
        mass = np.maximum(h + inset, Z - F32(-140.0))
        return np.minimum(mass, np.maximum(self.vasti(X, Y, Z), h + F32(16.0)))


@lru_cache(maxsize=1)
def body_outline() -> Shape:
    """The whole body surface: trunk with the buttocks and upper thighs, neck and head."""
    from .head_neck import build_head_neck

    # the thighs touch and flatten against each other at the top, closing the crotch
    hips = [Union([HipAndThigh(s) for s in (1.0, -1.0)], k=40.0)]
    # the shoulders: the deltoid round each humeral head (the arms themselves are left out)
    from .ribs import build_cage

    cage = build_cage()
    shoulders = [Ellipsoid(Frame(cage.points[f"humerus.{side}.head"] + np.array([s * 4.0, 0.0, -14.0]), np.eye(3)), (36.0, 44.0, 52.0))
                 for side, s in (("L", 1.0), ("R", -1.0))]
    return Union([TrunkOutline(), build_head_neck().outline] + hips + shoulders, k=14.0)


def trunk_profile(z):
    z = np.asarray(z, F32)
    hw = np.interp(z, _TRUNK[:, 0], _TRUNK[:, 1]).astype(F32)
    ap = np.interp(z, _TRUNK[:, 0], _TRUNK[:, 2]).astype(F32)
    behind = np.interp(z, _TRUNK[:, 0], _TRUNK[:, 3]).astype(F32)
    y_post = y_at("tip", z) + behind
    return hw, ap, y_post


class TrunkOutline(Shape):
    """The skin surface of the trunk, following the spine; ``inset`` shrinks it (mm)."""

    def __init__(self, inset: float = 0.0, z_lo: float = -260.0, z_hi: float = TRUNK_TOP):
        self.inset, self.z_lo, self.z_hi = float(inset), z_lo, z_hi
        self.bbox = (np.array([-190.0, -200.0, z_lo]), np.array([190.0, 140.0, z_hi]))

    def __call__(self, X, Y, Z):
        hw, ap, y_post = trunk_profile(Z)
        groove = F32(9.0) * np.exp(-((X / F32(22.0)) ** 2))  # midline furrow between the paraspinal muscles
        yp = y_post - groove * 0.6
        yc = yp - ap / 2
        a = hw - F32(self.inset)
        b = ap / 2 - F32(self.inset)
        yn = (Y - yc) / b
        p = np.where(yn > 0, F32(2.6), F32(2.2))
        rn = (np.abs(X / a) ** p + np.abs(yn) ** p) ** (1.0 / p)
        f = (rn - 1.0) * np.minimum(a, b)
        # below, the trunk ends at the groin and gluteal creases, which rise from the perineum toward the
        # flank, with a rounded edge (the lower abdomen folds gently into the groin); the hips and thighs
        # (HipAndThigh) carry the body on below them
        below = F32(PERINEUM_Z + self.inset) + F32(GROIN_SLOPE) * np.abs(X) - Z
        r = F32(40.0)
        h = np.maximum(r - np.abs(f - below), 0) / r
        f = np.maximum(f, below) + h * h * r / 4
        cap = np.maximum(F32(self.z_lo) - Z, Z - F32(self.z_hi))
        return np.maximum(f, cap)


class Band(Shape):
    """The part of ``outer`` that lies deeper than ``d0`` and shallower than ``d1`` below its surface."""

    def __init__(self, outer: Shape, d0: float, d1: float):
        self.o, self.d0, self.d1 = outer, float(d0), float(d1)
        self.bbox = outer.bbox

    def __call__(self, X, Y, Z):
        f = self.o(X, Y, Z)
        return np.maximum(f + F32(self.d0), -(f + F32(self.d1)))

    def band(self) -> tuple[Shape, float, float]:
        """(outer shape, d0, d1): the band is where ``-d1 < outer < -d0`` (for exact partial volumes)."""
        return self.o, self.d0, self.d1

    def field_block(self, xs, ys, zs, pad):
        from .sdf import field_on_block

        f = field_on_block(self.o, xs, ys, zs, pad + self.d1)
        return np.maximum(f + F32(self.d0), -(f + F32(self.d1)))


def _canal_points():
    """Canal centre points with half-width/half-depth, from T10 down to S3 (and up for the cord)."""
    sp = build_spine()
    out = []
    for name, v in sp.vertebrae.items():
        p = v.p
        out.append((v.frame.point([0, p.endplate_depth / 2 + p.canal_depth / 2 + 0.5, 0]), p.canal_width / 2, p.canal_depth / 2, name, v.frame))
    al = sp.alignment
    for k in range(4):
        fr = al.sacral[f"S{k + 1}"].frame
        out.append((fr.point([0, _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] / 2, 0]), _CANAL_HALF_W[k], _CANAL_DEPTH[k] / 2, f"S{k + 1}", fr))
    f2, f1 = al.c2.frame, al.c1.frame
    out.append((f2.point([0, 16.0, 0]), 12.0, 8.0, "C2", f2))
    out.append((f1.point([0, 12.5, 0]), 13.5, 9.0, "C1", f1))
    out.append((f1.point([0, 9.0, 20.0]), 13.0, 11.0, "FM", f1))
    out.sort(key=lambda t: -t[0][2])
    return out


def _lumbar_sac_radius(name: str, cw: float, cd: float) -> tuple[float, float]:
    if name.startswith("L"):  # the dorsal epidural fat pad lies behind the sac (a few mm in the midline; approximated)
        return cw / 2 * 0.72, cd / 2 * 0.7
    if name.startswith("T"):
        return cw / 2 * 0.78, cd / 2 * 0.82
    return cw / 2 * 0.8, cd / 2 * 0.82


def _disc_shape(frame: Frame, a: float, b: float, ha: float, hp: float, pexp, extra: float) -> Shape:
    """A disc of half-width ``a``, half-depth ``b`` and height ``ha`` in front to ``hp`` behind, plus
    ``extra`` mm above and below; the back is flattened where the canal lies."""

    def fn(x, y, z, a=F32(a), b=F32(b), ha=F32(ha), hp=F32(hp), pexp=pexp):
        yc = np.where(y > 0, y + F32(1.5) * np.exp(-((x / (0.45 * a)) ** 2)), y)
        rn = (np.abs(x / a) ** pexp + np.abs(yc / b) ** pexp) ** (1.0 / pexp)
        hh = F32(0.5) * (ha + (hp - ha) * (y + b) / (2 * b)) + F32(extra)
        fr = (rn - 1.0) * min(float(a), float(b))
        return np.maximum(fr, np.abs(z) - hh)

    ext = np.array([a + 2, b + 2, max(ha, hp) / 2 + extra + 1.2])
    return Local(frame, fn, -ext, ext)


def _disc_sizes():
    """Per disc: name, pose, half-width, half-depth, anterior and posterior height, section exponent."""
    from . import parameters as P

    sp = build_spine()
    for name, pose in sp.alignment.discs.items():
        upper, lower = name.split("-")
        pu = sp.vertebrae.get(upper)
        pl = sp.vertebrae.get(lower)
        w_u = pu.p.endplate_width if pu else 17.0
        d_u = pu.p.endplate_depth if pu else 15.5
        if pl is not None:
            w_l, d_l = pl.p.endplate_width, pl.p.endplate_depth
        else:  # S1
            w_l, d_l = 48.0, 33.0
        seg = P.SEGMENTS[name]
        a, b = 0.5 * (w_u + w_l) / 2 + 0.8, 0.5 * (d_u + d_l) / 2 + 0.8
        pexp = F32(3.0 if upper.startswith("C") else 2.4)
        yield name, pose, a, b, seg.disc_height_anterior, seg.disc_height_posterior, pexp


def discs() -> list[Structure]:
    out = []
    for name, pose, a, b, ha, hp, pexp in _disc_sizes():
        # the drawn disc reaches 1.8 mm into each concave endplate (the body overwrites the rest)
        disc = _disc_shape(pose.frame, a, b, ha, hp, pexp, 1.8)
        out.append(Structure(f"{name}.disc", disc, T.ANNULUS, "disc", detail=True))
        nuc = Ellipsoid(pose.frame.moved([0, b * 0.12, 0]), (a * 0.45, b * 0.38, max(min(ha, hp) / 2 - 0.3, 1.2)))
        out.append(Structure(f"{name}.nucleus", nuc, T.NUCLEUS, "disc", detail=True, sub=1))
    return out


def canal_contents() -> list[Structure]:
    pts = _canal_points()
    centres = [p[0] for p in pts]
    # epidural space: the bony canal itself (bone drawn later trims it)
    epi = rod_chain(centres, [p[1] + 1.5 for p in pts], [p[2] + 1.5 for p in pts], k=3.0,
                    ups=[unit(pts[i][4].vector([0, 1, 0])) for i in range(len(pts) - 1)])
    # thecal sac ends at S2
    sac_pts, sac_w, sac_h = [], [], []
    for c, hw, hd, name, fr in pts:
        if name in ("S3", "S4"):
            continue
        rw, rd = _lumbar_sac_radius(name, 2 * hw, 2 * hd)
        if name == "S2":
            rw, rd = 3.0, 2.5
        if name == "S1":
            rw, rd = 7.5, 5.0
        if name == "L5":  # the sac tapers toward its end; the dorsal fat pad is thickest at L5-S1 (approximated)
            rd *= 0.88
        # lumbar and upper sacral sac lies forward in the canal: the dorsal epidural fat pad separates it
        # from the ligamentum flavum (at L5-S1 too; approximated)
        shift = {"L5": -3.0, "S1": -4.0, "S2": -2.0}.get(name, -2.5 if name.startswith("L") else 0.0)
        sac_pts.append(c + fr.vector([0, shift, 0]))
        sac_w.append(rw)
        sac_h.append(rd)
    ups = [np.array([0.0, 1.0, 0.0])] * (len(sac_pts) - 1)
    sac = rod_chain(sac_pts, sac_w, sac_h, k=3.0, ups=ups)
    csf = rod_chain(sac_pts, [max(w - 0.6, 1.0) for w in sac_w], [max(h - 0.6, 0.8) for h in sac_h], k=3.0, ups=ups)
    out = [
        Structure("epidural-space", epi, T.EPIDURAL_FAT, "canal", detail=True),
        Structure("thecal-sac", sac, T.LIGAMENT, "canal", detail=True, sub=1),
        Structure("csf", csf, T.CSF, "canal", detail=True, sub=2),
    ]
    # spinal cord to the conus at L1-L2
    sp = build_spine()
    cord_pts, cw, ch = [], [], []
    for c, hw, hd, name, fr in pts:
        if name == "FM":
            cord_pts.append(c + fr.vector([0, -1.0, 14.0]))
            cw.append(9.0)
            ch.append(8.0)
            cord_pts.append(c + fr.vector([0, -0.5, 0.0]))
            cw.append(6.0)
            ch.append(5.0)
        elif name.startswith("C"):
            enl = 1.25 if name in ("C5", "C6") else 1.0
            cord_pts.append(c + fr.vector([0, -0.5, 0]))
            cw.append(5.0 * enl)
            ch.append(3.8)
        elif name.startswith("T"):
            enl = 1.15 if name in ("T11", "T12") else 1.0
            cord_pts.append(c + fr.vector([0, -0.8, 0]))
            cw.append(4.2 * enl)
            ch.append(3.8)
        elif name == "L1":
            cord_pts.append(c + fr.vector([0, -1.0, -4.0]))
            cw.append(2.2)
            ch.append(2.2)
    conus_tip = sp.vertebrae["L1"].frame.point([0, sp.vertebrae["L1"].p.endplate_depth / 2 + 7.0, -18.0])
    cord_pts.append(conus_tip)
    cw.append(0.8)
    ch.append(0.8)
    out.append(Structure("spinal-cord", rod_chain(cord_pts, cw, ch, k=2.0, ups=[np.array([0.0, 1.0, 0.0])] * (len(cord_pts) - 1)),
                         T.CORD, "canal", detail=True, sub=3))
    # cauda equina: strands lying anteriorly in the sac (prone: anterior is dependent)
    strands = []
    lumbar = [(c, fr) for c, hw, hd, name, fr in pts if name.startswith("L") or name in ("S1", "S2")]
    for i, (dx, dy) in enumerate([(-3.5, -2.5), (3.5, -2.5), (-1.2, -3.2), (1.2, -3.2), (-5.5, -1.0), (5.5, -1.0)]):
        chain = [conus_tip + np.array([dx * 0.3, 0.0, 0.0])] + [c + fr.vector([dx, dy, 0]) for c, fr in lumbar]
        strands.append(rod_chain(chain, [0.9] * len(chain), [0.9] * len(chain), k=0.5))
    out.append(Structure("cauda-equina", Union(strands), T.NERVE, "canal", detail=True, sub=4))
    return out


def nerve_roots() -> tuple[list[Structure], dict[str, Shape], dict[str, np.ndarray]]:
    """Lumbar and sacral roots with their ganglia; also returns zone shapes and points (world)."""
    sp = build_spine()
    sx = build_sacropelvis()
    out, zones, points = [], {}, {}
    for name in ["T12", "L1", "L2", "L3", "L4", "L5"]:
        v = sp.vertebrae[name]
        p, rs = v.p, v.rs
        D, H = p.endplate_depth, p.body_height_posterior
        for side, s in SIDES.items():
            ped = v.points[f"{side}.pedicle"]
            zb = ped[2] - p.pedicle_height / 2  # inferior border of the pedicle
            cw2 = p.canal_width / 2
            sac_w = _lumbar_sac_radius(name, p.canal_width, p.canal_depth)[0]
            p0 = np.array([s * (sac_w - 2.0), D / 2 + p.canal_depth * 0.45, H / 2 - 1.0])
            p1 = np.array([s * (cw2 - 1.5), D / 2 + 3.5, zb - 1.0])
            drg = np.array([s * (cw2 + p.pedicle_width * 0.45 + 1.0), D / 2 + 2.0, zb - 5.5])
            p3 = np.array([s * (cw2 + p.pedicle_width + 9.0), D / 2 - 5.0, zb - 15.0])
            p4 = np.array([s * (p.endplate_width / 2 + 22.0), -2.0, -H / 2 - 22.0])
            W = v.W
            chain = [W(p0), W(p1), W(drg), W(p3), W(p4)]
            if name == "L5":  # the L5 ventral ramus crosses the front of the sacral ala to the lumbosacral trunk
                vr = sx.points[f"L5.{side}.ventral-ramus"]
                chain = [W(p0), W(p1), W(drg), W(p3), vr + np.array([0.0, -3.5, 2.0]),
                         sx.points[f"S1.{side}.anterior-foramen"] + np.array([s * 8.0, -14.0, -10.0])]
            root = Union([
                rod_chain(chain, [1.6, 2.0, 2.6, 2.6, 2.4, 2.4][:len(chain)], [1.6, 2.0, 2.6, 2.6, 2.4, 2.4][:len(chain)], k=1.5),
                Ellipsoid(v.sub_frame(drg, drg - p1, [0, 0, 1]), (4.2, 3.0, 3.3)),
            ], k=1.0)
            out.append(Structure(f"{name}.{side}.nerve-root", root, T.NERVE, "nerve", detail=True))
            zones[f"{name}.{side}.nerve-root"] = root
            zones[f"{name}.{side}.drg"] = Ellipsoid(v.sub_frame(drg, drg - p1, [0, 0, 1]), (4.2, 3.0, 3.3))
            points[f"{name}.{side}.drg"] = W(drg)
            points[f"{name}.{side}.nerve-root"] = W(0.5 * (drg + p3))
            # foraminal fat around the root (the space the needle reaches)
            lower = {"T12": "L1", "L1": "L2", "L2": "L3", "L3": "L4", "L4": "L5", "L5": "S1"}[name]
            seg = f"{name}-{lower}"
            fc = np.array([s * (cw2 + p.pedicle_width * 0.5), D / 2 + 3.0, zb - 8.0])
            fat = Ellipsoid(v.sub_frame(fc, [1, 0, 0], [0, 0, 1]), (p.pedicle_width * 0.6 + 3.0, 6.0, 10.0))
            out.append(Structure(f"{seg}.{side}.foraminal-fat", fat, T.EPIDURAL_FAT, "canal", detail=True, sub=-1))
            zones[f"{seg}.{side}.foramen"] = fat
            points[f"{seg}.{side}.foramen"] = W(fc)
            # Safe triangle target (Bogduk): just beneath the pedicle at its 6 o'clock position, posterior-superior
            # in the foramen, superolateral to the exiting root.
            points[f"{seg}.{side}.safe-triangle"] = W(np.array([s * (cw2 + p.pedicle_width * 0.72), D / 2 + 6.5, zb - 2.2]))
            # Kambin's triangle (discography/endoscopy): over the disc, between the exiting root and the SAP
            points[f"{seg}.{side}.kambin-triangle"] = W(np.array([s * (cw2 + 2.0), D / 2 + 2.0, -H / 2 - 5.0]))
    # sacral roots S1-S4: from the sac through the canal, out of the anterior foramina
    al = sp.alignment
    for k in range(4):
        lvl = f"S{k + 1}"
        fr = al.sacral[lvl].frame
        nxt = al.sacral[f"S{k + 2}"].frame
        for side, s in SIDES.items():
            start = al.sacral["S1"].frame.point([s * 5.0, _BODY_DEPTH[0] / 2 + 6.0, 12.0 - 8.0 * k])
            inside = fr.point([s * (_CANAL_HALF_W[k] - 3.0), _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] * 0.5, -8.0])
            ant = sx.points[f"{lvl}.{side}.anterior-foramen"]
            outv = ant + fr.vector([s * 8.0, -10.0, -6.0])
            far = ant + fr.vector([s * 30.0, -14.0, -25.0])
            r = [2.4, 2.2, 1.8, 1.4][k]
            root = rod_chain([start, inside, sx.points[f"{lvl}.{side}.foramen"], ant, outv, far], [r * 0.8, r, r * 1.3, r, r, r],
                             [r * 0.8, r, r * 1.3, r, r, r], k=1.2)
            out.append(Structure(f"{lvl}.{side}.nerve-root", root, T.NERVE, "nerve", detail=True))
            zones[f"{lvl}.{side}.nerve-root"] = root
            points[f"{lvl}.{side}.nerve-root"] = ant
    return out, zones, points


def ligaments_and_joints() -> tuple[list[Structure], dict[str, np.ndarray]]:
    sp = build_spine()
    sx = build_sacropelvis()
    out, points = [], {}
    names = list(sp.vertebrae)
    for i, name in enumerate(names):
        v = sp.vertebrae[name]
        lower_name = names[i + 1] if i + 1 < len(names) else "S1"
        seg = f"{name}-{lower_name}"
        # ligamentum flavum: from the under-surface of this lamina to the top of the next
        top = v.W(v.points["L.lamina-inferior"] * np.array([0, 1, 1]) + np.array([0, -3.5, 4.0]))
        if lower_name == "S1":
            lower_top = sx.al.sacral["S1"].frame.point([0, _BODY_DEPTH[0] / 2 + _CANAL_DEPTH[0] + 1.0, 15.0])
        else:
            lv = sp.vertebrae[lower_name]
            lower_top = lv.W(np.array([0.0, lv.p.endplate_depth / 2 + lv.p.canal_depth + 1.0, lv.points["L.pedicle-top"][2] + 1.0]))
        mid = 0.5 * (top + lower_top)
        width = v.p.canal_width * 0.5 + 3.0
        th = {"lumbar": 2.2, "thoracic": 1.6, "cervical": 1.2}[v.region]
        parts = []
        for s in (1.0, -1.0):
            lat = mid + v.frame.vector([s * width * 0.8, -3.0, 0.0])
            parts.append(Rod(top + v.frame.vector([s * width * 0.45, -1.5, 0]), lower_top + v.frame.vector([s * width * 0.45, -1.5, 0]),
                             width * 0.55, th, up=unit(np.cross(lower_top - top, v.frame.vector([1, 0, 0])))))
            del lat
        lf = Union(parts, k=2.0)
        out.append(Structure(f"{seg}.ligamentum-flavum", lf, T.LIGAMENT, "ligament", detail=True))
        n_post = unit(np.cross(v.frame.vector([1, 0, 0]), lower_top - top))
        if n_post[1] < 0:
            n_post = -n_post
        points[f"{seg}.ligamentum-flavum"] = mid
        points[f"{seg}.interlaminar"] = mid + n_post * 1.0
        points[f"{seg}.posterior-epidural-space"] = mid - n_post * (th + 2.0)
        for side, s in SIDES.items():
            points[f"{seg}.{side}.interlaminar"] = mid + v.frame.vector([s * width * 0.4, 0, 0]) + n_post * 1.0
        # interspinous ligament
        tip_u = v.W(v.points["spinous-base"])
        if lower_name != "S1":
            tip_l = sp.vertebrae[lower_name].W(sp.vertebrae[lower_name].points["spinous-base"])
            out.append(Structure(f"{seg}.interspinous-ligament", Rod(tip_u + v.frame.vector([0, 8, -6]), tip_l + v.frame.vector([0, 8, 6]), 2.0, 6.0,
                                                                   up=v.frame.vector([0, 1, 0])), T.LIGAMENT, "ligament", detail=True, sub=1))
    for seg, by_side in sp.joints.items():
        for side, j in by_side.items():
            out.append(Structure(f"{seg}.{side}.facet-joint", j.space(), T.CARTILAGE, "joint", detail=True))
            points[f"{seg}.{side}.facet-joint"] = j.centre.copy()
            points[f"{seg}.{side}.facet-joint.superior-recess"] = j.point(along=j.half_height + 2.0, normal=1.0)
            points[f"{seg}.{side}.facet-joint.inferior-recess"] = j.point(along=-j.half_height - 2.0, normal=1.0)
    for side, j in sx.si.items():
        space = Intersect(Local(Frame(j.centre, np.eye(3)), lambda x, y, z, jj=j: np.abs(jj.field(x + F32(jj.centre[0]), y + F32(jj.centre[1]), z + F32(jj.centre[2]))) - F32(jj.gap / 2 + 0.3),
                                -np.array([40.0, 50.0, 50.0]), np.array([40.0, 50.0, 50.0])),
                          Ellipsoid(Frame(j.centre + np.array([0, 6.0, -6.0]), np.eye(3)), (30.0, 22.0, 38.0)))
        out.append(Structure(f"SIJ.{side}", space, T.SI_JOINT, "joint", detail=True))
    return out, points


def _deepest_in_section(shape, z: float, s: float) -> np.ndarray:
    """The point of ``shape``'s axial section at height ``z`` (on side ``s``) farthest inside it (1 mm grid)."""
    xs = s * np.arange(20.0, 190.0, 1.0)
    ys = np.arange(-160.0, 140.0, 1.0)
    X, Y = np.meshgrid(xs, ys, indexing="ij")
    f = np.asarray(shape(X.astype(np.float32), Y.astype(np.float32), np.full(X.shape, z, np.float32))).reshape(X.shape)
    i = np.unravel_index(int(np.argmin(f)), f.shape)
    return np.array([X[i], Y[i], z])


def trunk_soft() -> list[Structure]:
    sp = build_spine()
    sx = build_sacropelvis()
    al = sp.alignment
    out = []
    body = body_outline()
    trunk = TrunkOutline()
    out.append(Structure("body", body, T.FAT, "body"))
    out.append(Structure("skin", Band(body, 0.0, 2.0), T.SKIN, "body", sub=1))
    # muscular wall (abdominal muscles, latissimus and the thoracolumbar fascia) under the subcutaneous fat,
    # then retroperitoneal and extraperitoneal fat filling whatever no organ or muscle claims
    from .sdf import Clipped

    out.append(Structure("body-wall-muscle", Clipped(Band(trunk, 20.0, 32.0), [-400, -400, -400], [400, 400, 445.0]), T.MUSCLE, "fat", sub=0))
    out.append(Structure("retroperitoneal-fat", Clipped(TrunkOutline(inset=32.0), [-400, -400, -400], [400, 400, 445.0]), T.FAT_VISCERAL, "fat", sub=0))
    # abdominal and pelvic cavity (visceral fat), anterior to the spine
    vis = Local(Frame.identity(), _cavity_fn, np.array([-150.0, -200.0, -170.0]), np.array([150.0, 40.0, 230.0]))
    out.append(Structure("abdominal-cavity", vis, T.FAT_VISCERAL, "fat", sub=1))
    # paraspinal muscles (erector spinae and multifidus) along the laminae and spinous processes
    beside_wing: list[Shape] = []
    for side, s in SIDES.items():
        pts, w, h = [], [], []
        for name in [f"T{i}" for i in range(1, 13)] + ["L1", "L2", "L3", "L4", "L5"]:
            v = sp.vertebrae[name]
            upper = name.startswith("T") and int(name[1:]) < 9  # thinner in the upper thorax
            c = v.W(np.array([s * (26.0 if upper else 34.0), v.points[f"{side}.lamina"][1] + (12.0 if upper else 16.0), 0.0]))
            pts.append(c)
            w.append(30.0 if name.startswith("L") else (19.0 if upper else 26.0))
            h.append(24.0 if name.startswith("L") else (14.0 if upper else 20.0))
        for k in range(3):
            fr = al.sacral[f"S{k + 1}"].frame
            pts.append(fr.point([s * 28.0, 48.0 - 2 * k, 0.0]))
            w.append([24.0, 18.0, 12.0][k])
            h.append([14.0, 10.0, 7.0][k])
        out.append(Structure(f"erector-spinae.{side}", Intersect(rod_chain(pts, w, h, k=8.0), TrunkOutline(inset=10.0)), T.MUSCLE, "muscle", sub=2))
        out += _wall_muscles(side, s)
        # psoas: from the T12-L1 bodies to the pelvic brim and the lesser trochanter
        pp, pw = [], []
        for name, r in [("T12", 7.0), ("L1", 10.0), ("L2", 13.0), ("L3", 16.0), ("L4", 19.0), ("L5", 21.0)]:
            v = sp.vertebrae[name]
            pp.append(v.W(np.array([s * (v.p.endplate_width / 2 + r * 0.75), 2.0 - 0.3 * r, 0.0])))
            pw.append(r)
        kp = sx.key_points(s)
        pp.append(kp["brim-posterior"] * 0.4 + kp["iliopubic"] * 0.6 + np.array([0, -6.0, 18.0]))
        pw.append(18.0)
        pp.append(kp["iliopubic"] + np.array([s * 6.0, -12.0, -16.0]))
        pw.append(15.0)
        out.append(Structure(f"psoas.{side}", rod_chain(pp, pw, [p * 0.85 for p in pw], k=6.0), T.MUSCLE, "muscle", sub=3))
        # quadratus lumborum between the 12th rib, the transverse processes and the iliac crest
        qp = [sp.vertebrae[n].W(np.array([s * 62.0, sp.vertebrae[n].points[f"{side}.pillar"][1] - 4.0, 0.0])) for n in ("T12", "L1", "L2", "L3", "L4")]
        qp.append(kp["posterior-crest"] * 0.5 + kp["crest-summit"] * 0.5 + np.array([0, -8.0, 0.0]))
        out.append(Structure(f"quadratus-lumborum.{side}", rod_chain(qp, [16, 20, 22, 22, 20, 16], [7, 8, 9, 9, 8, 7], k=5.0), T.MUSCLE, "muscle", sub=4))
        # iliacus lining the iliac fossa (the inner face of the wing, from the crest to the brim, forward of the
        # auricular part); on the outer face gluteus minimus (deep, the anterior and lower part of the gluteal
        # surface) under gluteus medius (most of it); gluteus maximus behind them over the posterior ilium
        wing = sx.parts[f"{side}.ilium-plate"]
        iliacus = WingLayer(wing, -1, 0.0, 22.0, span=(0.0, 0.82), reach=2.0)
        # the bowel of the false pelvis lies in front of and medial to iliacus, never beside the wing
        beside_wing.append(WingLayer(wing, -1, -90.0, 25.0, reach=6.0, taper=False))
        out.append(Structure(f"iliacus.{side}", iliacus, T.MUSCLE, "muscle", sub=5))
        gmin = WingLayer(wing, +1, 0.0, 11.0, span=(0.0, 0.62), rows=(0.3, 1.0), reach=2.0)
        gmed = WingLayer(wing, +1, 0.0, 26.0, span=(0.02, 0.88), reach=2.0)
        s1_level = float(sx.points[f"S1.{side}.anterior-foramen"][2])
        for name, shape in (("iliacus", iliacus), ("gluteus-medius", gmed), ("gluteus-minimus", gmin)):
            _POINTS[f"{name}.{side}"] = _deepest_in_section(shape, s1_level, s)
        gmax = rod_chain([kp["psis"] + np.array([s * 5.0, 15.0, 10.0]), kp["psis"] + np.array([s * 45.0, 28.0, -45.0]),
                          kp["ischial-tuberosity"] + np.array([s * 55.0, 35.0, 10.0])], [32.0, 48.0, 40.0], [18.0, 24.0, 20.0], k=10.0)
        from .sdf import Offset

        out.append(Structure(f"gluteus-maximus.{side}", Intersect(gmax, Offset(body_outline(), -16.0)), T.MUSCLE, "muscle", sub=6))
        out.append(Structure(f"gluteus-medius.{side}", gmed, T.MUSCLE, "muscle", sub=7))
        out.append(Structure(f"gluteus-minimus.{side}", gmin, T.MUSCLE, "muscle", sub=7.6))
        out.append(Structure(f"thigh-muscles.{side}", ThighMuscles(s), T.MUSCLE, "muscle", sub=9))
        # piriformis: anterior sacrum (S2-S4) through the greater sciatic notch to the greater trochanter
        s2 = sx.points[f"S2.{side}.anterior-foramen"] + al.sacral["S2"].frame.vector([s * 8.0, 2.0, 0.0])
        s3 = sx.points[f"S3.{side}.anterior-foramen"] + al.sacral["S3"].frame.vector([s * 8.0, 2.0, 0.0])
        notch = kp["sciatic-notch"] + np.array([s * 4.0, -4.0, -8.0])
        troch = sx.points[f"femur.{side}.greater-trochanter"] + np.array([-s * 6.0, 0.0, 10.0])
        s1 = sx.points[f"S1.{side}.anterior-foramen"] + al.sacral["S1"].frame.vector([s * 7.0, 3.0, -6.0])
        piri = rod_chain([s1, s2 * 0.5 + s3 * 0.5, notch, troch], [6.0, 9.0, 11.0, 6.0], [9.0, 13.0, 10.0, 5.0], k=4.0)
        _POINTS[f"piriformis.{side}.origin"] = s2 * 0.6 + s1 * 0.4
        _POINTS[f"gluteus-maximus.{side}"] = kp["psis"] + np.array([s * 45.0, 28.0, -45.0])
        out.append(Structure(f"piriformis.{side}", piri, T.MUSCLE, "muscle", sub=8))
        _POINTS[f"piriformis.{side}"] = 0.6 * notch + 0.4 * troch + np.array([0, 6.0, 0.0])
        _POINTS[f"piriformis.{side}.belly"] = 0.5 * notch + 0.5 * troch
        # sciatic nerve: below the piriformis, out of the notch, between trochanter and tuberosity
        sn = rod_chain([s3 + np.array([s * 6.0, -4.0, -10.0]), notch + np.array([0, -6.0, -22.0]),
                        0.5 * (kp["ischial-tuberosity"] + troch) + np.array([0, 14.0, -10.0]),
                        0.5 * (kp["ischial-tuberosity"] + troch) + np.array([s * 4.0, 18.0, -80.0])], [5.0, 6.5, 6.5, 6.0], [3.5, 4.0, 4.0, 4.0], k=2.5)
        out.append(Structure(f"sciatic-nerve.{side}", sn, T.NERVE, "nerve", detail=True, sub=2))
        _POINTS[f"sciatic-nerve.{side}"] = notch + np.array([0, -6.0, -22.0])
        # kidneys in perirenal fat, upper pole medial and posterior
        t12, l1, l2 = sp.vertebrae["T12"], sp.vertebrae["L1"], sp.vertebrae["L2"]
        # kidneys: the right one lies lower; this phantom's right lower pole reaches the L4 pedicles (low normal)
        kc = l2.W(np.array([s * 72.0, -2.0, -30.0 if side == "R" else -18.0]))
        kaxis = unit(np.array([-s * 0.25, -0.25, 1.0]))
        kf = Frame(kc, np.array([unit(np.cross(kaxis, [0, 1, 0])), unit(np.cross(unit(np.cross(kaxis, [0, 1, 0])), kaxis)) * -1, kaxis]))
        kf = Frame(kc, np.array([kf.axes[0], np.cross(kaxis, kf.axes[0]), kaxis]))
        out.append(Structure(f"perirenal-fat.{side}", Ellipsoid(kf, (40.0, 36.0, 72.0)), T.FAT, "organ", sub=0))
        kid = Subtract(Ellipsoid(kf, (28.0, 22.0, 56.0)), Ellipsoid(kf.moved([-s * 14.0 * (1 if side == "L" else -1) * 0 + (-14.0 if side == "L" else 14.0), -2.0, 0.0]), (12.0, 9.0, 26.0)), k=2.0)
        out.append(Structure(f"kidney.{side}", kid, T.KIDNEY, "organ", sub=1))
        out.append(Structure(f"renal-sinus.{side}", Ellipsoid(kf.moved([(-12.0 if side == "L" else 12.0), -2.0, 0.0]), (10.0, 8.0, 22.0)), T.RENAL_SINUS, "organ", sub=2))
        _POINTS[f"kidney.{side}"] = kc
        _POINTS[f"kidney.{side}.lower-pole"] = kf.point([0.0, 0.0, -46.0])
        _POINTS[f"kidney.{side}.upper-pole"] = kf.point([0.0, 0.0, 46.0])
        for name in ("L1", "L2", "L3", "L4", "L5"):
            v = sp.vertebrae[name]
            _POINTS[f"psoas.{side}.{name}"] = v.W(np.array([s * (v.p.endplate_width / 2 + 14.0), -4.0, 0.0]))
        del t12
    # liver (right) and spleen (left) in the upper abdomen
    t11 = sp.vertebrae["T11"]
    t12 = sp.vertebrae["T12"]
    out.append(Structure("liver", Intersect(Ellipsoid(Frame(t12.W(np.array([-72.0, -62.0, 0.0])), np.eye(3)), (92.0, 82.0, 84.0)), TrunkOutline(inset=24.0)),
                         T.LIVER, "organ", sub=3))
    out.append(Structure("spleen", Ellipsoid(Frame(t11.W(np.array([92.0, -8.0, -6.0])), np.eye(3)), (28.0, 48.0, 50.0)), T.SPLEEN, "organ", sub=3))
    # bowel: loops filling the anterior cavity from the upper abdomen into the pelvis
    bowel = Intersect(Local(Frame.identity(), _cavity_fn, np.array([-150.0, -200.0, -150.0]), np.array([150.0, 40.0, 170.0])),
                      Local(Frame.identity(), _bowel_front, np.array([-150.0, -200.0, -150.0]), np.array([150.0, 40.0, 170.0])))
    bowel = Subtract(bowel, Union(beside_wing), k=4.0)
    out.append(Structure("small-bowel", bowel, T.BOWEL, "organ", sub=4))
    # colon: caecum, ascending colon in the right flank, transverse, descending in the left flank, sigmoid
    l1, l3, l5 = sp.vertebrae["L1"], sp.vertebrae["L3"], sp.vertebrae["L5"]
    colon_pts = [
        l5.W(np.array([-68.0, -62.0, -30.0])), l3.W(np.array([-88.0, -42.0, 0.0])), l1.W(np.array([-86.0, -52.0, 6.0])),
        l1.W(np.array([-40.0, -105.0, -22.0])), l1.W(np.array([30.0, -105.0, -18.0])), l1.W(np.array([88.0, -36.0, 24.0])),
        l3.W(np.array([92.0, -30.0, 0.0])), l5.W(np.array([72.0, -45.0, -25.0])), sx.al.sacral["S2"].frame.point([30.0, -70.0, 0.0]),
        sx.al.sacral["S3"].frame.point([0.0, -40.0, 10.0]),
    ]
    colon_r = [26.0, 22.0, 21.0, 20.0, 20.0, 18.0, 16.0, 15.0, 14.0, 14.0]
    colon = Subtract(rod_chain(colon_pts, colon_r, [r * 0.85 for r in colon_r], k=6.0), Union(beside_wing), k=4.0)
    out.append(Structure("colon", colon, T.COLON, "organ", sub=5))
    # bladder and rectum in the pelvis
    kp = sx.key_points(1.0)
    out.append(Structure("bladder", Ellipsoid(Frame(kp["symphysis"] + np.array([-3.0, 28.0, 28.0]), np.eye(3)), (38.0, 30.0, 30.0)), T.BLADDER, "organ", sub=5))
    s3f, s4f = al.sacral["S3"].frame, al.sacral["S4"].frame
    rectum = rod_chain([s3f.point([0, -28.0, 10.0]), s4f.point([0, -26.0, 0.0]), al.coccyx[-1].frame.point([0, -22.0, -10.0])], [16.0, 18.0, 14.0], [13.0, 14.0, 12.0], k=4.0)
    out.append(Structure("rectum", rectum, T.BOWEL, "organ", sub=6))
    # aorta (left anterior of the bodies, bifurcating at L4) and inferior vena cava (right)
    # (above T12 the descending thoracic aorta of the thoracic module continues it)
    ao, ivc = [], []
    for name in ["T9", "T10", "T11", "T12", "L1", "L2", "L3", "L4"]:
        v = sp.vertebrae[name]
        D = v.p.endplate_depth
        if name not in ("T9", "T10", "T11"):
            ao.append(abdominal_aorta_centre(v))
        ivc.append(v.W(np.array([-22.0, -D / 2 - 14.0, 0.0])))
    l4, l5 = sp.vertebrae["L4"], sp.vertebrae["L5"]
    out.append(Structure("aorta", rod_chain(ao, [11.0] * 4 + [9.0], [11.0] * 4 + [9.0], k=2.0), T.BLOOD, "vessel", detail=False))
    out.append(Structure("ivc", rod_chain(ivc + [l5.W(np.array([-8.0, -l5.p.endplate_depth / 2 - 10.0, 0.0]))], [13.0] * 9, [9.0] * 9, k=2.0), T.BLOOD, "vessel"))
    for side, s in SIDES.items():
        kp = sx.key_points(s)
        bif = l4.W(np.array([8.0, -l4.p.endplate_depth / 2 - 12.0, -6.0]))
        ext = kp["iliopubic"] + np.array([-s * 8.0, -14.0, -4.0])
        mid = l5.W(np.array([s * 26.0, -l5.p.endplate_depth / 2 - 10.0, -20.0]))
        out.append(Structure(f"common-iliac-artery.{side}", rod_chain([bif, mid, ext], [7.0, 6.0, 5.0], [7.0, 6.0, 5.0], k=2.0), T.BLOOD, "vessel", sub=1))
        vmid = l5.W(np.array([s * 22.0, -l5.p.endplate_depth / 2 - 4.0, -26.0]))
        out.append(Structure(f"common-iliac-vein.{side}", rod_chain([l5.W(np.array([-6.0, -l5.p.endplate_depth / 2 - 8.0, 6.0])), vmid, ext + np.array([0, 8.0, -6.0])],
                                                                   [8.0, 7.0, 6.0], [6.0, 6.0, 5.0], k=2.0), T.BLOOD, "vessel", sub=2))
    _POINTS["aorta.bifurcation"] = l4.W(np.array([8.0, -l4.p.endplate_depth / 2 - 12.0, -6.0]))
    # internal iliac vessels down the pelvic side wall in front of the sacroiliac joint; the superior gluteal
    # artery leaves through the greater sciatic notch above the piriformis, the inferior gluteal below it
    for side, s in SIDES.items():
        kp = sx.key_points(s)
        j = sx.si[side]
        start = l5.W(np.array([s * 26.0, -l5.p.endplate_depth / 2 - 10.0, -20.0]))
        front = j.point(up=-4.0, back=-22.0, out=-14.0)
        low = j.point(up=-30.0, back=-10.0, out=-12.0)
        notch = kp["sciatic-notch"] + np.array([-s * 2.0, 2.0, 6.0])
        sga = [low, notch, notch + np.array([s * 14.0, 16.0, 6.0]), notch + np.array([s * 34.0, 26.0, 14.0])]
        iga_start = low + np.array([0.0, 2.0, -14.0])
        iga = [low, iga_start, kp["sciatic-notch"] + np.array([s * 2.0, 4.0, -24.0]), kp["sciatic-notch"] + np.array([s * 20.0, 20.0, -34.0])]
        out.append(Structure(f"internal-iliac-artery.{side}", rod_chain([start, front, low], [4.5, 4.0, 3.5], [4.5, 4.0, 3.5], k=2.0), T.BLOOD, "vessel", sub=3))
        out.append(Structure(f"internal-iliac-vein.{side}", rod_chain([start + np.array([0, 6.0, -4.0]), front + np.array([0, 6.0, -2.0]), low + np.array([0, 5.0, 0])],
                                                                     [6.0, 5.5, 5.0], [5.0, 4.5, 4.0], k=2.0), T.BLOOD, "vessel", sub=4))
        out.append(Structure(f"superior-gluteal-artery.{side}", rod_chain(sga, [3.0, 2.6, 2.2, 1.8], [3.0, 2.6, 2.2, 1.8], k=1.5), T.BLOOD, "vessel", sub=5))
        out.append(Structure(f"inferior-gluteal-artery.{side}", rod_chain(iga, [2.6, 2.4, 2.0, 1.6], [2.6, 2.4, 2.0, 1.6], k=1.5), T.BLOOD, "vessel", sub=6))
        _POINTS[f"internal-iliac-artery.{side}"] = front
        _POINTS[f"superior-gluteal-artery.{side}"] = notch
        _POINTS[f"inferior-gluteal-artery.{side}"] = iga[2]
    return out


def abdominal_aorta_centre(v) -> np.ndarray:
    """Centre of the abdominal aorta in front of the body of ``v`` (T12-L4), a little left of the midline."""
    return v.W(np.array([10.0 if v.name.startswith("L") else 12.0, -v.p.endplate_depth / 2 - 12.0, 0.0]))


class WallSector(Shape):
    """A muscle sheet under the skin: the part of the trunk between ``d0`` and ``d1`` mm deep, within an
    angular sector round the trunk (0 degrees the front midline, 90 the patient's side ``s``, 180 the back
    midline) and between heights ``z0`` and ``z1``, with ``taper`` mm of rounding at its ends."""

    def __init__(self, s: float, d0: float, d1: float, th0: float, th1: float, z0: float, z1: float, taper: float = 8.0):
        self.s, self.d0, self.d1 = float(s), float(d0), float(d1)
        self.th0, self.th1, self.z0, self.z1, self.taper = np.radians(th0), np.radians(th1), float(z0), float(z1), float(taper)
        self.trunk = TrunkOutline()
        self.bbox = (np.array([-190.0 if s < 0 else -20.0, -200.0, z0 - 5]), np.array([20.0 if s < 0 else 190.0, 140.0, z1 + 5]))

    def __call__(self, X, Y, Z):
        hw, ap, y_post = trunk_profile(Z)
        yc = y_post - ap / 2
        f = self.trunk(X, Y, Z)
        band = np.maximum(f + F32(self.d0), -(f + F32(self.d1)))
        th = np.arctan2(X * F32(self.s), yc - Y)  # 0 front, pi/2 side, pi back
        r = np.sqrt(X * X + (Y - yc) ** 2)
        ang = np.maximum(F32(self.th0) - th, th - F32(self.th1)) * r
        zc = np.maximum(F32(self.z0) - Z, Z - F32(self.z1))
        return np.maximum(band, np.maximum(ang, zc) * F32(0.8))


def _wall_muscles(side: str, s: float) -> list[Structure]:
    """Chest and back wall muscles (approximated sheets): pectoralis major, serratus anterior, latissimus
    dorsi, trapezius and rhomboids, so the chest wall is muscle and fat in layers, not a ring of fat."""
    sp = build_spine()
    z = lambda n: float(sp.alignment.vertebrae[n].frame.origin[2])  # noqa: E731
    c7 = float(sp.alignment.vertebrae["C7"].frame.origin[2])
    sheets = [
        ("pectoralis-major", 6.0, 22.0, 6.0, 78.0, z("T6"), z("T1") + 4.0),
        ("serratus-anterior", 12.0, 24.0, 62.0, 118.0, z("T10"), z("T3")),
        ("latissimus-dorsi", 6.0, 15.0, 105.0, 158.0, z("L2"), z("T6")),
        ("trapezius", 4.0, 10.0, 135.0, 180.0, z("T12"), c7 + 30.0),
        ("rhomboid", 10.0, 17.0, 158.0, 178.0, z("T5"), z("T1")),
    ]
    return [Structure(f"{name}.{side}", WallSector(s, d0, d1, a0, a1, z0, z1), T.MUSCLE, "muscle", sub=1)
            for name, d0, d1, a0, a1, z0, z1 in sheets]


def _cavity_fn(x, y, z):
    """Abdominal and pelvic cavity: anterior to the spine, inside the muscular wall."""
    hw, ap, y_post = trunk_profile(z)
    y_body = y_at("body", z)
    back = y_body - F32(8.0)
    front = y_post - ap + F32(26.0)
    yc, b = (back + front) / 2, (back - front) / 2
    a = hw - F32(32.0)
    rn = np.sqrt((x / a) ** 2 + ((y - yc) / b) ** 2)
    f = (rn - 1.0) * np.minimum(a, b)
    return np.maximum(f, np.maximum(F32(-165.0) - z, z - F32(215.0)))


def _bowel_front(x, y, z):
    """Bowel occupies the anterior two thirds of the cavity, clear of the spine and psoas."""
    y_body = y_at("body", z)
    lim = y_body - F32(42.0) + F32(18.0) * np.clip(np.abs(x) / F32(90.0), 0, 1)
    return y - lim


_POINTS: dict[str, np.ndarray] = {}


@lru_cache(maxsize=1)
def _roots():
    return nerve_roots()


@lru_cache(maxsize=1)
def _ligs():
    return ligaments_and_joints()


def structures() -> list[Structure]:
    roots, _, _ = _roots()
    ligs, _ = _ligs()
    return trunk_soft() + discs() + canal_contents() + roots + ligs


def extra_zones() -> dict[str, Shape]:
    out = dict(_roots()[1])
    out.update(_visible_discs())
    return out


def _visible_discs() -> dict[str, Shape]:
    """Each disc as a zone: the disc space a lateral radiograph shows, between the endplate rims (without the
    part of the drawn disc that fills the concave endplates), less any bone of the bodies above and below."""
    sp = build_spine()
    sx = build_sacropelvis()
    out: dict[str, Shape] = {}
    for name, pose, a, b, ha, hp, pexp in _disc_sizes():
        upper, lower = name.split("-")
        bodies = [sp.vertebrae[v].parts["body"] for v in (upper, lower) if v in sp.vertebrae]
        if lower == "S1":
            bodies.append(sx.parts["sacrum"])
        out[f"{name}.disc"] = Subtract(_disc_shape(pose.frame, a, b, ha, hp, pexp, 0.0), Union(bodies))
    return out


def extra_points() -> dict[str, np.ndarray]:
    structures()  # fills _POINTS
    out = dict(_POINTS)
    out.update(_roots()[2])
    out.update(_ligs()[1])
    return out
