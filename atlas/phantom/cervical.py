"""Cervical region anatomy: C1, C2, the occiput and skull, face, neck soft tissue and the upper thorax."""

from __future__ import annotations

import numpy as np

from . import tissues as T
from .anatomy import Structure
from .sdf import Union


def structures(mouth: str = "open") -> list:
    from .craniocervical import build_craniocervical
    from .head_neck import build_head_neck

    cc = build_craniocervical()
    hn = build_head_neck(mouth)
    # compact bone, as in the arches of C3-C7: the whole atlas (arches and the load-bearing lateral masses)
    # and the dens and posterior elements of the axis; the C2 body stays cancellous
    c2_compact = Union([cc.parts["C2.dens"]] + [cc.parts[f"C2.{side}.{part}"] for side in ("L", "R") for part in ("pars", "iap", "lamina")], k=1.0)
    out = [
        Structure("C1", cc.parts["C1"], T.CERVICAL_BONE, "bone", detail=True, dense=cc.parts["C1"]),
        Structure("C1.arches", cc.parts["C1.arches"], T.ATLAS_ARCH_BONE, "bone", detail=True, sub=0.1, dense=cc.parts["C1.arches"]),
        Structure("C2", cc.parts["C2"], T.CERVICAL_BONE, "bone", detail=True, dense=c2_compact),
    ]
    for side, j in cc.joints.items():
        out.append(Structure(f"C1-C2.{side}.lateral-atlantoaxial-joint", j.space(), T.CARTILAGE, "joint", detail=True))
    return out + hn.structures


def points() -> dict[str, np.ndarray]:
    from .craniocervical import build_craniocervical
    from .head_neck import build_head_neck

    out = dict(build_craniocervical().points)
    out.update(build_head_neck().points)
    return out


def zones() -> dict:
    from .craniocervical import build_craniocervical
    from .head_neck import build_head_neck

    out = {k: v for k, v in build_craniocervical().parts.items() if not k.endswith("foramen-transversarium")}
    out.update(build_head_neck().zones)
    return out


def body_outline():
    from .head_neck import build_head_neck

    return build_head_neck().outline


def outline_centre(z: float):
    """Centre of the neck's cross-section at height z (for CT framing), or None below the neck."""
    from .head_neck import NeckOutline, _NECK
    from .spine_curves import y_at

    n = NeckOutline()
    if z < n.z7 + 5.0:
        return None
    dz = z - n.z7
    ap = float(np.interp(dz, _NECK[:, 0], _NECK[:, 2]))
    behind = float(np.interp(dz, _NECK[:, 0], _NECK[:, 3]))
    y_post = float(y_at("tip", np.array([z]))[0]) + behind
    return np.array([0.0, y_post - ap / 2, z])
