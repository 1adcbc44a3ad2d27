"""The assembled column: vertebrae with their shared facet joints, discs and sacrum.

:func:`build_spine` is cached: the geometry is pure Python objects (shapes and
points), cheap to create, and the same for every region volume.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import parameters as P
from .alignment import SUBAXIAL, Alignment, build_alignment
from .facets import SIDES, FacetJoint, LowerDims, joint_for
from .vertebra import SubaxialVertebra

S1_DIMS = LowerDims("sacrum", P.SACRUM.s1_endplate_depth, 30.0, 30.0, 15.0, 20.0)
C2_DIMS = LowerDims("cervical", P.ATLAS_AXIS.c2_body_depth, 0.0, 24.0, 16.0, 7.0)  # height unused for C2-C3


@dataclass
class Spine:
    alignment: Alignment
    vertebrae: dict[str, SubaxialVertebra] = field(default_factory=dict)
    joints: dict[str, dict[str, FacetJoint]] = field(default_factory=dict)  # segment -> side -> joint
    extra: dict = field(default_factory=dict)  # C1, C2, sacrum, pelvis, ribs, skull (filled lazily)


def s1_frame(al: Alignment):
    """A frame at the centre of the S1 body with the vertebral axes (for the L5-S1 joint)."""
    return al.sacral["S1"].frame


@lru_cache(maxsize=1)
def build_spine() -> Spine:
    al = build_alignment()
    sp = Spine(al)
    order = SUBAXIAL + ["S1"]
    for i, lower in enumerate(order[1:], start=1):
        upper = order[i - 1]
        seg = f"{upper}-{lower}"
        if lower == "S1":
            frame, dims = al.sacral["S1"].frame, S1_DIMS
        else:
            v = P.VERTEBRAE[lower]
            frame = al.vertebrae[lower].frame
            dims = LowerDims(v.region, v.endplate_depth, v.body_height_posterior, v.canal_width, v.canal_depth, v.pedicle_width)
        sp.joints[seg] = {side: joint_for(seg, side, frame, dims) for side in SIDES}
    # C2-C3: the lower vertebra is C3 (a typical cervical vertebra)
    for i, name in enumerate(SUBAXIAL):
        above = "C2" if i == 0 else SUBAXIAL[i - 1]
        below = order[i + 1]
        ja = sp.joints.get(f"{above}-{name}")
        jb = sp.joints.get(f"{name}-{below}")
        sp.vertebrae[name] = SubaxialVertebra(name, al.vertebrae[name].frame, ja, jb)
    v3 = P.VERTEBRAE["C3"]
    sp.joints["C2-C3"] = {
        side: joint_for("C2-C3", side, al.vertebrae["C3"].frame,
                        LowerDims("cervical", v3.endplate_depth, v3.body_height_posterior, v3.canal_width, v3.canal_depth, v3.pedicle_width))
        for side in SIDES
    }
    # rebuild C3 with its superior joint now known
    sp.vertebrae["C3"] = SubaxialVertebra("C3", al.vertebrae["C3"].frame, sp.joints["C2-C3"], sp.joints["C3-C4"])
    return sp


def world_point(frame, local) -> np.ndarray:
    return frame.point(local)
