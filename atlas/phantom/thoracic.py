"""Thoracic region anatomy: ribs, sternum, shoulder girdle, lungs, pleura, mediastinum."""

from __future__ import annotations

import numpy as np

from . import tissues as T
from .anatomy import Structure
from .sdf import F32, Ellipsoid, Frame, Local, rod_chain


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


def _thoracic_cavity_fn(x, y, z):
    from .soft_tissue import trunk_profile
    from .spine_curves import y_at

    hw, ap, y_post = trunk_profile(z)
    y_body = y_at("body", z)
    back = y_post - F32(26.0)
    front = y_post - ap + F32(24.0)
    yc, b = (back + front) / 2, (back - front) / 2
    a = hw - F32(30.0)
    rn = np.sqrt((x / a) ** 2 + ((y - yc) / b) ** 2)
    f = (rn - 1.0) * np.minimum(a, b)
    # paravertebral gutters reach back beside the spine; the spine itself is not lung
    spine = np.sqrt((x / F32(34.0)) ** 2 + ((y - y_body - F32(10.0)) / F32(42.0)) ** 2) - 1.0
    return np.maximum(f, -spine * F32(30.0))


def thorax_structures() -> list:
    from .spine import build_spine

    sp = build_spine()
    t = {n: sp.vertebrae[n] for n in sp.vertebrae if n.startswith("T")}
    z_top = float(sp.alignment.vertebrae["C7"].frame.origin[2]) + 8.0
    z_dome_r = float(t["T10"].frame.origin[2])
    z_dome_l = float(t["T10"].frame.origin[2]) - 10.0
    out = []
    lungs = []
    for side, s in (("L", 1.0), ("R", -1.0)):
        zd = z_dome_l if side == "L" else z_dome_r

        def fn(x, y, z, s=s, zd=zd):
            f = _thoracic_cavity_fn(x, y, z)
            side_cut = F32(12.0) - x * F32(s)  # each lung on its own side of the mediastinum
            dome = F32(zd) - z + F32(0.004) * (x * x + (y - F32(0.0)) ** 2) * 0.5
            apex = z - F32(z_top)
            return np.maximum.reduce([f, side_cut, dome, apex])

        lung = Local(Frame.identity(), fn, np.array([-170.0, -170.0, zd - 60.0]), np.array([170.0, 140.0, z_top + 5.0]))
        lungs.append(lung)
        out.append(Structure(f"lung.{side}", lung, T.LUNG, "organ", sub=1))
        from .soft_tissue import Band

        out.append(Structure(f"pleura.{side}", Band(lung, 0.0, 1.5), T.PLEURA, "organ", sub=2))
    # mediastinum: heart, thoracic aorta with its arch, azygos
    t4, t6, t8 = t["T4"], t["T6"], t["T8"]
    heart = Ellipsoid(Frame(t8.W(np.array([16.0, -64.0, 6.0])), np.eye(3)), (52.0, 38.0, 50.0))
    out.append(Structure("heart", heart, T.Tissue("heart", 42.0, "fine", 4.0), "organ", sub=3))
    arch = [t4.W(np.array([-12.0, -60.0, 14.0])), t4.W(np.array([0.0, -48.0, 24.0])), t4.W(np.array([14.0, -28.0, 18.0])), t4.W(np.array([16.0, -18.0, 0.0]))]
    desc = [sp.vertebrae[n].W(np.array([16.0, -sp.vertebrae[n].p.endplate_depth / 2 - 6.0, 0.0])) for n in ("T5", "T6", "T7", "T8", "T9", "T10", "T11", "T12")]
    asc = [t8.W(np.array([0.0, -70.0, 30.0])), t6.W(np.array([-8.0, -66.0, 10.0]))]
    aorta = rod_chain(asc + arch + desc, [14.0] * 2 + [14.0, 13.0, 12.0, 12.0] + [11.5] * 8, [14.0] * 2 + [14.0, 13.0, 12.0, 12.0] + [11.5] * 8, k=3.0)
    out.append(Structure("aorta.thoracic", aorta, T.BLOOD, "vessel", sub=1))
    az = [sp.vertebrae[n].W(np.array([-8.0, -sp.vertebrae[n].p.endplate_depth / 2 - 4.0, 0.0])) for n in ("T4", "T6", "T8", "T10", "T12")]
    out.append(Structure("azygos", rod_chain(az, [4.0] * 5, [4.0] * 5, k=2.0), T.BLOOD, "vessel", sub=2))
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


def structures() -> list:
    return cage_structures() + thorax_structures() + thoracic_roots()


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
    for n in ("T4", "T6", "T8", "T10", "T12"):
        v = sp.vertebrae[n]
        out[f"aorta.{n}"] = v.W(np.array([16.0, -v.p.endplate_depth / 2 - 6.0, 0.0]))
    return out


def zones() -> dict:
    return {s.name: s.shape for s in structures()}
