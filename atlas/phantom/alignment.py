"""Sagittal alignment: a frame for every vertebra, disc and sacral segment.

World axes are DICOM LPS in millimetres: +x toward the patient's left, +y
posterior, +z cranial.  The spine lies in the mid-sagittal plane x = 0.

Each vertebra's frame sits at the centre of its body; its local z axis is
perpendicular to the body's mid-plane (between the endplates), local y points
posteriorly and local x to the patient's left.  The column is stacked from the
sacrum upwards: every disc and body adds its wedge (from the anterior and
posterior heights in :mod:`parameters`), so lordosis and kyphosis come out of
the table rather than being imposed.  Finally the whole column is turned about
x so that the chord from the S1 endplate to the T1 body is vertical: the
patient's long axis is the world z axis (the table axis).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from . import parameters as P
from .sdf import Frame, rot_x

SUBAXIAL = ["C3", "C4", "C5", "C6", "C7"] + [f"T{i}" for i in range(1, 13)] + ["L1", "L2", "L3", "L4", "L5"]
SACRAL = ["S1", "S2", "S3", "S4", "S5"]
# Sacral segment lengths along the sacral axis (mm) and the share of sacral kyphosis at each
# (approximated: the S1 segment is the tallest, the curve is strongest at S2-S4).
_SACRAL_LENGTH = [30.0, 24.0, 20.0, 16.0, 15.0]
_SACRAL_BEND = [0.05, 0.25, 0.30, 0.25, 0.15]
_COCCYX_BEND = 25.0
# Extra extension (degrees) at the cervical segments: the resting posture of the neck, not a
# morphometric wedge.  Stacking the table's cervical discs and bodies alone gives about 17 degrees of
# C2-C7 lordosis on a T1 slope of about 27 degrees, so the neck leaned forward about 18 degrees; with
# these the C2-C7 lordosis is about 27 degrees and the neck leans forward about 8 degrees (C2-C7 chord
# to the vertical), within the range of standing radiographs (approximated).
POSTURE_EXTENSION = {"C7-T1": 4.0, "C6-C7": 2.0, "C5-C6": 2.0, "C4-C5": 2.0, "C3-C4": 2.0, "C2-C3": 2.0}


@dataclass
class Pose:
    name: str
    frame: Frame  # at the centre of the body (vertebra), disc (segment) or segment (sacrum)
    tilt: float  # degrees; the frame is rot_x(tilt) of the world axes


@dataclass
class Alignment:
    vertebrae: dict[str, Pose] = field(default_factory=dict)
    discs: dict[str, Pose] = field(default_factory=dict)
    sacral: dict[str, Pose] = field(default_factory=dict)
    coccyx: list[Pose] = field(default_factory=list)
    s1_endplate: Pose | None = None
    c1: Pose | None = None
    c2: Pose | None = None
    occiput: Pose | None = None

    def level_frame(self, level: str) -> Frame:
        if level in self.vertebrae:
            return self.vertebrae[level].frame
        if level in self.sacral:
            return self.sacral[level].frame
        if level == "C1":
            return self.c1.frame
        if level == "C2":
            return self.c2.frame
        raise KeyError(level)

    def level_z(self, level: str) -> float:
        return float(self.level_frame(level).origin[2])


def _normal(tilt: float) -> np.ndarray:
    """Cranial unit normal of a plane tilted ``tilt`` degrees (positive: its top faces anteriorly)."""
    t = np.radians(tilt)
    return np.array([0.0, -np.sin(t), np.cos(t)])


def _frame(origin, tilt: float) -> Frame:
    return Frame(np.asarray(origin, float), rot_x(tilt))


def _segment_name(upper: str, lower: str) -> str:
    return f"{upper}-{lower}"


@lru_cache(maxsize=1)
def build_alignment() -> Alignment:
    al = Alignment()
    tilt = P.SACRUM.sacral_slope
    c = np.zeros(3)
    al.s1_endplate = Pose("S1.endplate", _frame(c, tilt), tilt)
    chain = list(reversed(SUBAXIAL))  # L5 ... C3
    lower = "S1"
    lower_depth = P.SACRUM.s1_endplate_depth
    for name in chain:
        v = P.VERTEBRAE[name]
        seg = P.SEGMENTS[_segment_name(name, lower)]
        depth = 0.5 * (v.endplate_depth + lower_depth)
        wedge = np.degrees(np.arctan((seg.disc_height_anterior - seg.disc_height_posterior) / depth))
        wedge += POSTURE_EXTENSION.get(seg.name, 0.0)
        mid = tilt - wedge / 2
        h = 0.5 * (seg.disc_height_anterior + seg.disc_height_posterior)
        al.discs[seg.name] = Pose(seg.name, _frame(c + _normal(mid) * h / 2, mid), mid)
        c = c + _normal(mid) * h
        tilt -= wedge
        bw = np.degrees(np.arctan((v.body_height_anterior - v.body_height_posterior) / v.endplate_depth))
        mid = tilt - bw / 2
        hb = 0.5 * (v.body_height_anterior + v.body_height_posterior)
        al.vertebrae[name] = Pose(name, _frame(c + _normal(mid) * hb / 2, mid), mid)
        c = c + _normal(mid) * hb
        tilt -= bw
        lower, lower_depth = name, v.endplate_depth
    # C2-C3 disc, C2 body (taller, with the dens above), C1 ring, occiput.
    aa = P.ATLAS_AXIS
    seg = P.SEGMENTS["C2-C3"]
    depth = 0.5 * (aa.c2_body_depth + lower_depth)
    wedge = np.degrees(np.arctan((seg.disc_height_anterior - seg.disc_height_posterior) / depth))
    wedge += POSTURE_EXTENSION.get(seg.name, 0.0)
    mid = tilt - wedge / 2
    h = 0.5 * (seg.disc_height_anterior + seg.disc_height_posterior)
    al.discs[seg.name] = Pose(seg.name, _frame(c + _normal(mid) * h / 2, mid), mid)
    c = c + _normal(mid) * h
    tilt -= wedge
    al.c2 = Pose("C2", _frame(c + _normal(tilt) * aa.c2_body_height / 2, tilt), tilt)
    c = c + _normal(tilt) * aa.c2_body_height
    # C1 ring centre: its lateral masses sit on the C2 superior facets, level with the dens.
    tilt_c1 = tilt - 8.0  # the C1 ring is slightly extended on C2 (approximated)
    al.c1 = Pose("C1", _frame(c + _normal(tilt_c1) * 9.0 + np.array([0.0, 2.0, 0.0]), tilt_c1), tilt_c1)
    tilt_occ = tilt_c1 - 5.0
    al.occiput = Pose("occiput", _frame(al.c1.frame.origin + _normal(tilt_occ) * 16.0, tilt_occ), tilt_occ)
    # Sacral segments downwards from the S1 endplate.
    tilt = P.SACRUM.sacral_slope
    c = np.zeros(3)
    for name, length, bend in zip(SACRAL, _SACRAL_LENGTH, _SACRAL_BEND):
        tilt_mid = tilt - bend * P.SACRUM.sacral_kyphosis / 2
        down = -_normal(tilt_mid)
        al.sacral[name] = Pose(name, _frame(c + down * length / 2, tilt_mid), tilt_mid)
        c = c + down * length
        tilt -= bend * P.SACRUM.sacral_kyphosis
    for i, length in enumerate([9.0, 8.0, 7.0, 6.0]):
        tilt_mid = tilt - _COCCYX_BEND / 8
        down = -_normal(tilt_mid)
        al.coccyx.append(Pose(f"Co{i + 1}", _frame(c + down * (length / 2 + 1.0), tilt_mid), tilt_mid))
        c = c + down * (length + 2.0)
        tilt -= _COCCYX_BEND / 4
    # Turn the whole column so that the S1-T1 chord is vertical.
    chord = al.vertebrae["T1"].frame.origin - al.s1_endplate.frame.origin
    turn = np.degrees(np.arctan2(-chord[1], chord[2]))  # positive if T1 lies anterior
    _turn_all(al, -turn)
    return al


def _turn_all(al: Alignment, deg: float) -> None:
    R = rot_x(deg)  # rows are axes; world point p -> R.T @ p? use column form below
    M = R.T  # column-vector rotation matrix

    def fix(pose: Pose) -> None:
        o = M @ pose.frame.origin
        pose.frame = Frame(o, pose.frame.axes @ R)
        pose.tilt = pose.tilt + deg

    for group in (al.vertebrae, al.discs, al.sacral):
        for pose in group.values():
            fix(pose)
    for pose in al.coccyx + [al.s1_endplate, al.c1, al.c2, al.occiput]:
        fix(pose)


def segment_between(upper: str, lower: str) -> str:
    return f"{upper}-{lower}"


def next_lower(level: str) -> str | None:
    order = ["C1", "C2"] + SUBAXIAL + ["S1"]
    i = order.index(level)
    return order[i + 1] if i + 1 < len(order) else None


def next_upper(level: str) -> str | None:
    order = ["C1", "C2"] + SUBAXIAL + ["S1"]
    i = order.index(level)
    return order[i - 1] if i > 0 else None
