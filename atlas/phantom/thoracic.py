"""Thoracic region anatomy: ribs, sternum, shoulder girdle, lungs, pleura, mediastinum."""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import tissues as T
from .anatomy import Structure
from .sdf import F32, Ellipsoid, Frame, Intersect, Local, Offset, Rod, Shape, Subtract, Union, rod_chain, unit


def cage_structures() -> list:
    from .ribs import build_cage

    cage = build_cage()
    out = []
    for name, shape in cage.parts.items():
        tissue = T.RIB_BONE if name.startswith(("rib", "sternum", "clavicle", "scapula")) else T.FEMUR_BONE
        out.append(Structure(name, shape, tissue, "bone", detail=True))
    for name, shape in cage.cartilage.items():
        out.append(Structure(name, shape, T.Tissue("costal cartilage", 160.0, "fine", 15.0), "ligament", detail=True))
    return out


def _chest_cavity_fn(x, y, z):
    """The space inside the ribs and sternum (an elliptic section following the trunk and the cage's width)."""
    from .ribs import cage_profile
    from .soft_tissue import trunk_profile

    hw, ap, y_post = trunk_profile(z)
    back = y_post - F32(26.0)
    front = y_post - ap + F32(24.0)
    yc, b = (back + front) / 2, (back - front) / 2
    cz, ca = cage_profile()
    a = np.interp(z, cz, ca).astype(F32)
    rn = np.sqrt((x / a) ** 2 + ((y - yc) / b) ** 2)
    return (rn - 1.0) * np.minimum(a, b)


def _thoracic_cavity_fn(x, y, z):
    from .spine_curves import y_at

    y_body = y_at("body", z)
    f = _chest_cavity_fn(x, y, z)
    # paravertebral gutters reach back beside the spine; the spine itself is not lung
    spine = np.sqrt((x / F32(27.0)) ** 2 + ((y - y_body - F32(10.0)) / F32(42.0)) ** 2) - 1.0
    return np.maximum.reduce([f, -spine * F32(30.0), y - _posterior_pleura_y(x, z)])


# The posterior pleura (approximated from the model's own ribs and transverse processes): beside the spine
# the parietal pleura runs in front of the rib heads and necks, about 18 mm in front of the transverse
# process tip (the paravertebral wedge between it and the superior costotransverse ligament; the classic
# landmark technique walks off the transverse process and advances about 10-15 mm more to reach the space,
# which puts the pleura a few mm deeper still). Lateral to the TP tip it slopes back along the inside of
# the ribs toward their angles, where the cavity outline takes over. The lung therefore never
# lies behind the transverse processes or in the erector spinae.
_PLEURA_IN_FRONT_OF_TP = 18.0   # mm in front of the TP tip point, medial part (approximation)
_PLEURA_RISE = 0.7              # mm back per mm lateral beyond the TP tip: along the inside of the ribs (approximation)
_PLEURA_ROUND = 4.0             # mm, rounding of the bend at the TP tip


def _tp_tip_curve():
    global _TP_CURVE
    if _TP_CURVE is None:
        from .spine import build_spine

        sp = build_spine()
        rows = []
        for k in range(1, 13):
            v = sp.vertebrae[f"T{k}"]
            tips = [v.W(v.points[f"{sd}.tp-tip"]) for sd in ("L", "R")]
            rows.append((0.5 * (tips[0][2] + tips[1][2]), 0.5 * (abs(tips[0][0]) + abs(tips[1][0])), 0.5 * (tips[0][1] + tips[1][1])))
        a = np.array(sorted(rows))
        _TP_CURVE = (a[:, 0].astype(F32), a[:, 1].astype(F32), a[:, 2].astype(F32))
    return _TP_CURVE


_TP_CURVE = None


def _posterior_pleura_y(x, z):
    """World y of the posterior pleura at (x, z): the lung lies in front of (below) it."""
    zs, xt, yt = _tp_tip_curve()
    x_tp = np.interp(z, zs, xt).astype(F32)
    y_tp = np.interp(z, zs, yt).astype(F32)
    r = F32(_PLEURA_ROUND)
    beyond = r * np.logaddexp(F32(0.0), (np.abs(x) - x_tp) / r)  # smooth max(0, |x| - x_tp)
    return y_tp - F32(_PLEURA_IN_FRONT_OF_TP) + F32(_PLEURA_RISE) * beyond.astype(F32)


# Mediastinum (drawn proportions, approximated from textbook cross-sectional anatomy).
# The descending thoracic aorta lies against the left side of the bodies from T5 (left lateral) down to the
# aortic hiatus at T12 (in front of the body, nearly midline), about 25 mm across at mid-thorax; the azygos
# vein runs up the right anterolateral side of the bodies.  Angles are measured round the body from its
# front midline, positive toward the patient's left; radii in mm.
_AORTA_COURSE = {"T5": (82.0, 13.5), "T6": (74.0, 13.2), "T7": (64.0, 12.8), "T8": (55.0, 12.5), "T9": (47.0, 12.3),
                 "T10": (38.0, 12.0), "T11": (26.0, 11.5)}
_ARCH_END = np.array([20.0, -14.0, 4.0])  # where the arch becomes the descending aorta, beside T4 (local to T4)
_AZYGOS_COURSE = {n: (-38.0, 4.5) for n in ("T4", "T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12")}
# The heart: its long axis from the base (right, posterior, superior: the atria, the left atrium just in
# front of the oesophagus) to the apex (left, anterior, inferior: behind the left fifth intercostal space),
# its front flattened against the chest wall; points in local coordinates of T8 (x left, y back, z up).
_HEART_BASE = np.array([-38.0, -34.0, 24.0])
_HEART_APEX = np.array([80.0, -124.0, -24.0])
_HEART_HALF_WIDTH, _HEART_HALF_DEPTH = 36.0, 30.0
_HEART_CLEAR_OF_WALL = 7.0  # mm of chest wall (ribs, cartilages, sternum, intercostal muscle) in front of it


def beside_body(v, angle: float, radius: float, gap: float = 0.5) -> np.ndarray:
    """Centre (world) of a round vessel of ``radius`` lying ``gap`` mm off the side of the body of ``v`` at
    mid-height, ``angle`` degrees round from the body's front midline (positive toward the patient's left)."""
    th = np.radians(angle)
    d = np.array([np.sin(th), -np.cos(th), 0.0])
    ts = np.arange(0.0, 40.0, 0.25)
    surface = 0.0
    for zz in np.linspace(-0.35, 0.35, 5) * v.p.body_height_posterior:  # the widest part, near the endplates
        pts = np.array([v.W(d * t + np.array([0.0, 0.0, zz])) for t in ts]).astype(F32)
        outside = np.nonzero(np.asarray(v.parts["body"](pts[:, 0], pts[:, 1], pts[:, 2])) > 0)[0]
        surface = max(surface, float(ts[outside[0]]))
    return v.W(d * (surface + radius + gap))


@lru_cache(maxsize=1)
def descending_aorta_centres() -> dict[str, np.ndarray]:
    """Centre of the descending thoracic aorta beside each body T5-T12 (T12: where the abdominal aorta begins);
    computed once (do not modify the arrays)."""
    from .soft_tissue import abdominal_aorta_centre
    from .spine import build_spine

    sp = build_spine()
    out = {n: beside_body(sp.vertebrae[n], ang, r) for n, (ang, r) in _AORTA_COURSE.items()}
    out["T12"] = abdominal_aorta_centre(sp.vertebrae["T12"])
    return out


def _heart(t8) -> Shape:
    base, apex = t8.W(_HEART_BASE), t8.W(_HEART_APEX)
    long_axis = unit(apex - base)
    across = unit(np.cross(np.array([0.0, 0.0, 1.0]), long_axis))  # in the axial plane, across the long axis
    thickness = np.cross(long_axis, across)
    frame = Frame(0.5 * (base + apex), np.array([across, thickness, long_axis]))
    heart = Ellipsoid(frame, (_HEART_HALF_WIDTH, _HEART_HALF_DEPTH, float(np.linalg.norm(apex - base)) / 2))
    # its sternocostal surface lies flat against the inside of the chest wall, within the ribs and sternum
    inside_cage = Local(Frame.identity(), lambda x, y, z: _chest_cavity_fn(x, y, z) + F32(_HEART_CLEAR_OF_WALL), *heart.bbox)
    return Intersect(heart, inside_cage)


def _mediastinal_vessels() -> dict[str, Shape]:
    """The thoracic aorta (ascending, arch, descending) and the azygos vein."""
    from .spine import build_spine

    sp = build_spine()
    t4, t6, t8 = (sp.vertebrae[n] for n in ("T4", "T6", "T8"))
    desc = descending_aorta_centres()
    asc = [t8.W(np.array([4.0, -66.0, 28.0])), t6.W(np.array([-8.0, -66.0, 10.0]))]
    arch = [t4.W(np.array([-12.0, -60.0, 14.0])), t4.W(np.array([0.0, -48.0, 24.0])), t4.W(np.array([14.0, -28.0, 18.0])),
            t4.W(_ARCH_END)]
    radii = [14.0, 14.0, 14.0, 13.5, 13.5, 13.5] + [_AORTA_COURSE[n][1] for n in _AORTA_COURSE] + [11.0]
    aorta = rod_chain(asc + arch + list(desc.values()), radii, radii, k=3.0)
    az = [beside_body(sp.vertebrae[n], ang, r) for n, (ang, r) in _AZYGOS_COURSE.items()]
    azygos = rod_chain(az, [_AZYGOS_COURSE[n][1] for n in _AZYGOS_COURSE], [_AZYGOS_COURSE[n][1] for n in _AZYGOS_COURSE], k=2.0)
    return {"aorta.thoracic": aorta, "azygos": azygos}


def thorax_structures() -> list:
    from .spine import build_spine

    sp = build_spine()
    t = {n: sp.vertebrae[n] for n in sp.vertebrae if n.startswith("T")}
    z_top = float(sp.alignment.vertebrae["C7"].frame.origin[2]) + 8.0
    # Diaphragm (approximated): the right dome's summit at about T9 in the middle of the chest, the left
    # about 12 mm lower; from the summit the lung base falls a little to the front and steeply to the
    # back and sides, so the posterior costophrenic recesses reach about T12 beside the spine.
    z_dome = {"R": float(t["T9"].frame.origin[2]) + 4.0, "L": float(t["T9"].frame.origin[2]) - 8.0}
    z_recess = float(t["T12"].frame.origin[2]) - 2.0
    heart = _heart(t["T8"])
    great_vessels = _mediastinal_vessels()
    out = []
    lungs = []
    for side, s in (("L", 1.0), ("R", -1.0)):
        zd = z_dome[side]
        drop_back = zd - z_recess

        def fn(x, y, z, s=s, zd=zd, drop_back=drop_back):
            from .soft_tissue import trunk_profile

            f = _thoracic_cavity_fn(x, y, z)
            side_cut = F32(12.0) - x * F32(s)  # each lung on its own side of the mediastinum
            hw, ap, y_post = trunk_profile(z)
            back = np.minimum(y_post - F32(26.0), _posterior_pleura_y(x, z))  # the recess follows the pleura's back wall
            front = y_post - ap + F32(24.0)
            tq = np.clip((y - front) / (back - front), 0.0, 1.0)
            from .ribs import cage_profile

            cz, ca = cage_profile()
            q = np.clip(np.abs(x) / np.interp(z, cz, ca).astype(F32), 0.0, 1.0)
            fall = np.where(tq < 0.35, F32(18.0) * ((F32(0.35) - tq) / F32(0.35)) ** 2,
                            F32(drop_back - 14.0) * np.clip((tq - F32(0.35)) / F32(0.65), 0.0, 1.0) ** 1.4)
            base = F32(zd) - fall - F32(16.0) * q * q
            dome = (base - z) * F32(0.8)
            # rounded apex (the cupola) rising above the first rib, highest behind the clavicle
            xa, ya = F32(s * 38.0), F32(-10.0)
            cap = z - (F32(z_top) - ((x - xa) ** 2 / F32(110.0) + (y - ya) ** 2 / F32(150.0)))
            return np.maximum.reduce([f, side_cut, dome, cap])

        raw = Local(Frame.identity(), fn, np.array([-170.0, -170.0, z_recess - 10.0]), np.array([170.0, 140.0, z_top + 5.0]))
        lung = Subtract(raw, Union([Offset(heart, 2.0)] + [Offset(shape, 1.5) for shape in great_vessels.values()]), k=3.0)
        lungs.append(lung)
        out.append(Structure(f"lung.{side}", lung, T.LUNG, "organ", sub=1))
        from .soft_tissue import Band

        out.append(Structure(f"pleura.{side}", Band(lung, 0.0, 1.5), T.PLEURA, "organ", sub=2))
    # mediastinum: heart in its pericardial fat, thoracic aorta with its arch, azygos vein
    out.append(Structure("pericardial-fat", Offset(heart, 4.0), T.FAT, "organ", sub=2.5))
    out.append(Structure("heart", heart, T.Tissue("heart", 42.0, "lobular", 5.0), "organ", sub=3))
    out.append(Structure("aorta.thoracic", great_vessels["aorta.thoracic"], T.BLOOD, "vessel", sub=1))
    out.append(Structure("azygos", great_vessels["azygos"], T.BLOOD, "vessel", sub=2))
    # pulmonary vessels: from each hilum a few tapering branches into the lobes (they give the lung window
    # its branching pattern; a schematic tree, approximated)
    t6 = t["T6"]
    rng = np.random.default_rng(5)
    for (side, s), lung in zip((("L", 1.0), ("R", -1.0)), lungs):
        hilum = t6.W(np.array([s * 50.0, -t6.p.endplate_depth / 2 - 22.0, 0.0]))
        branches = []
        for dx, dy, dz, L in [(0.4, 0.3, 1.0, 95), (0.5, -0.5, 0.8, 85), (1.0, 0.0, 0.15, 75), (0.7, -0.7, -0.5, 90),
                              (0.8, 0.2, -0.8, 110), (0.4, 0.8, -0.8, 120), (0.2, 1.0, -0.3, 95), (0.6, 0.6, 0.3, 80)]:
            d = np.array([s * dx, dy, dz])
            d = d / np.linalg.norm(d)
            mid = hilum + d * L * 0.45 + rng.normal(0.0, 4.0, 3)
            end = hilum + d * L
            pts = [hilum, mid, end]
            branches.append(rod_chain(pts, [5.0, 3.2, 1.2], [5.0, 3.2, 1.2], k=1.5))
            for f in (0.55, 0.8):  # side branches
                b0 = hilum + d * L * f
                side_d = np.cross(d, rng.normal(0.0, 1.0, 3))
                side_d = side_d / np.linalg.norm(side_d)
                branches.append(Rod(b0, b0 + (side_d * 0.8 + d * 0.6) * L * 0.35, 2.0, 2.0, 0.8, 0.8))
        out.append(Structure(f"pulmonary-vessels.{side}", Intersect(Union(branches, k=1.0), lung), T.BLOOD, "vessel", sub=3))
    return out


def thoracic_roots() -> list:
    """Intercostal nerves T1-T11 with their ganglia in the foramina."""
    from .facets import SIDES
    from .spine import build_spine

    sp = build_spine()
    out = []
    names = [f"T{i}" for i in range(1, 12)]
    for name in names:
        v = sp.vertebrae[name]
        p = v.p
        D, H = p.endplate_depth, p.body_height_posterior
        for side, s in SIDES.items():
            ped = v.points[f"{side}.pedicle"]
            zb = ped[2] - p.pedicle_height / 2
            start = np.array([s * 4.0, D / 2 + p.canal_depth * 0.45, zb + 2.0])
            drg = np.array([s * (p.canal_width / 2 + p.pedicle_width * 0.5 + 1.0), D / 2 + 1.0, zb - 4.0])
            outp = np.array([s * (p.endplate_width / 2 + 22.0), D / 2 - 4.0, -H / 2 - 6.0])
            root = rod_chain([v.W(start), v.W(drg), v.W(outp)], [1.4, 2.6, 2.0], [1.4, 2.6, 2.0], k=1.0)
            out.append(Structure(f"{name}.{side}.nerve-root", root, T.NERVE, "nerve", detail=True))
    return out


def segmental_arteries() -> tuple[list, dict]:
    """Segmental arteries T5-L4 from the aorta round the waist of each body to the foramen (where each
    gives its spinal branch), and the artery of Adamkiewicz: from the left T10 segmental artery through
    the T10-T11 foramen with the root, up along the front of the cord to a hairpin at T9 and down as the
    anterior spinal artery to the conus (its commonest course: left, T9-T12; approximated)."""
    from .facets import SIDES
    from .spine import build_spine

    sp = build_spine()
    out, pts = [], {}
    names = [f"T{i}" for i in range(5, 13)] + ["L1", "L2", "L3", "L4"]
    thoracic_aorta = descending_aorta_centres()
    for name in names:
        v = sp.vertebrae[name]
        p = v.p
        D, W2 = p.endplate_depth, p.endplate_width / 2
        thoracic = name.startswith("T")
        aorta = v.local_of(thoracic_aorta[name]) if thoracic else np.array([10.0, -D / 2 - 12.0, 0.0])
        ped = v.points["L.pedicle"]
        zb = ped[2] - p.pedicle_height / 2
        for side, s in SIDES.items():
            start = aorta if thoracic else aorta + np.array([s * 6.0, 4.0, 0.0])
            front = np.array([s * W2 * 0.75, -D / 2 - 1.5, -1.0])
            beside = s > 0 and aorta[0] > W2 * 0.6  # the aorta lies beside the body: the left artery runs straight back
            chain = [start] + ([] if beside else [front]) + [
                np.array([s * (W2 + 1.5), -D * 0.1, -1.5]), np.array([s * (W2 + 3.0), D / 2 - 3.0, zb - 3.0]),
                np.array([s * (W2 + 14.0), D / 2 + 8.0, zb - 6.0])]
            if s < 0:  # the right arteries cross in front of the body from the left-sided aorta
                chain.insert(1, np.array([2.0, -D / 2 - 2.5, -0.5]))
            world = [v.W(c) for c in chain]
            out.append(Structure(f"segmental-artery.{side}.{name}", rod_chain(world, [1.5] * len(world), [1.5] * len(world), k=1.0),
                                 T.BLOOD, "vessel", detail=True, sub=3))
            pts[f"segmental-artery.{side}.{name}"] = world[-2]
    t10, t9, l1 = sp.vertebrae["T10"], sp.vertebrae["T9"], sp.vertebrae["L1"]
    p = t10.p
    zb = t10.points["L.pedicle"][2] - p.pedicle_height / 2
    fo = t10.W(np.array([p.canal_width / 2 + p.pedicle_width * 0.5, p.endplate_depth / 2 + 2.0, zb - 6.0]))
    cord_front = lambda v, dz: v.W(np.array([0.0, v.p.endplate_depth / 2 + 3.0, dz]))  # noqa: E731
    aka = [t10.W(np.array([p.endplate_width / 2 + 3.0, p.endplate_depth / 2 - 3.0, zb - 3.0])), fo,
           t10.W(np.array([4.0, p.endplate_depth / 2 + 3.5, zb - 3.0])), cord_front(t9, 2.0), cord_front(t9, 10.0)]
    asa = [cord_front(t9, 10.0), cord_front(t9, 4.0), cord_front(t10, 0.0), cord_front(sp.vertebrae["T11"], 0.0),
           cord_front(sp.vertebrae["T12"], 0.0), cord_front(l1, -6.0)]
    out.append(Structure("artery-of-adamkiewicz", rod_chain(aka, [0.9] * len(aka), [0.9] * len(aka), k=1.0), T.BLOOD, "vessel", detail=True, sub=4))
    out.append(Structure("anterior-spinal-artery", rod_chain(asa, [0.6] * len(asa), [0.6] * len(asa), k=1.0), T.BLOOD, "vessel", detail=True, sub=4))
    pts["artery-of-adamkiewicz"] = fo
    pts["artery-of-adamkiewicz.hairpin"] = cord_front(t9, 10.0)
    return out, pts


def structures() -> list:
    return cage_structures() + thorax_structures() + thoracic_roots() + segmental_arteries()[0]


def points() -> dict:
    from .facets import SIDES
    from .ribs import build_cage
    from .spine import build_spine

    out = dict(build_cage().points)
    sp = build_spine()
    names = [f"T{i}" for i in range(1, 13)] + ["L1"]
    for i, name in enumerate(names[:-1]):
        v = sp.vertebrae[name]
        p = v.p
        seg = f"{name}-{names[i + 1]}"
        for side, s in SIDES.items():
            ped = v.points[f"{side}.pedicle"]
            zb = ped[2] - p.pedicle_height / 2
            if name != "T12":
                out[f"{seg}.{side}.foramen"] = v.W(np.array([s * (p.canal_width / 2 + p.pedicle_width * 0.5), p.endplate_depth / 2 + 2.0, zb - 6.0]))
                out[f"{seg}.{side}.safe-triangle"] = v.W(np.array([s * (p.canal_width / 2 + p.pedicle_width * 0.8), p.endplate_depth / 2 + 4.5, zb - 1.8]))
            out[f"{name}.{side}.drg"] = v.W(np.array([s * (p.canal_width / 2 + p.pedicle_width * 0.5 + 1.0), p.endplate_depth / 2 + 1.0, zb - 4.0]))
            out[f"{name}.{side}.parapedicular-entry"] = v.W(v.points[f"{side}.pedicle"] + np.array([s * (p.pedicle_width / 2 + 3.0), 4.0, 0.0]))
    aorta = descending_aorta_centres()
    out["aorta.T4"] = sp.vertebrae["T4"].W(_ARCH_END)
    for n in ("T6", "T8", "T10", "T12"):
        out[f"aorta.{n}"] = aorta[n]
    # the posterior-inferior foramen: just in front of the superior articular process of the level below,
    # above that level's pedicle (thoracic transforaminal needle target, away from the root higher up)
    for i, name in enumerate(names[:-2]):
        v, lv = sp.vertebrae[name], sp.vertebrae[names[i + 1]]
        p = v.p
        seg = f"{name}-{names[i + 1]}"
        for side, s in SIDES.items():
            low_top = v.local_of(lv.W(lv.points[f"{side}.pedicle-top"]))
            out[f"{seg}.{side}.foramen-posteroinferior"] = v.W(np.array([s * (p.canal_width / 2 + p.pedicle_width * 0.6),
                                                                        p.endplate_depth / 2 + 4.0, low_top[2] + 3.0]))
    out.update(segmental_arteries()[1])
    return out


def zones() -> dict:
    return {s.name: s.shape for s in structures()}
