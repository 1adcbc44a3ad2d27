"""Sacrum, coccyx, ilia with the sacroiliac joints, and the upper femora.

The sacrum is built segment by segment (S1-S5) in the sacral frames of
:mod:`alignment`, so its kyphotic curve follows the table; foramina are
carved as channels between segments (anterior and posterior openings), the
hiatus is the missing dorsal wall below S4 with the cornua at its sides.  The
pelvis is placed by a few key points relative to the sacrum (approximated from
anatomy texts: intercristal width from :mod:`parameters`), and each
sacroiliac joint is one shared surface that cuts the sacral ala and the ilium,
like the facet joints.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
from scipy import ndimage

from . import parameters as P
from .alignment import build_alignment
from .facets import SIDES
from .sdf import (
    F32,
    polygon_sdf_2d,
    smax,
    Ellipsoid,
    Frame,
    HalfSpace,
    Intersect,
    RoundBox,
    Rod,
    Shape,
    Sphere,
    Subtract,
    Union,
    exit_point,
    rod_chain,
    unit,
)

# Per sacral segment (S1..S5): body half-width, body depth, canal half-width, canal depth,
# lateral mass reach from the midline, dorsal wall thickness (approximated).
_BODY_HALF_W = [24.0, 20.0, 16.0, 12.5, 9.0]
_BODY_DEPTH = [33.0, 27.0, 22.0, 17.0, 13.0]
_CANAL_HALF_W = [15.0, 13.0, 11.0, 9.0, 7.5]
_CANAL_DEPTH = [15.0, 12.0, 9.0, 7.0, 6.0]
_LATERAL_REACH = [54.0, 47.0, 37.0, 27.0, 17.0]
_DORSAL_WALL = [7.0, 6.5, 6.0, 5.0, 0.0]
# Lateral masses in the sagittal direction, per segment: how far their pelvic surface lies behind the front of
# the body (the ala of S1 is set back behind the promontory; from S2 down the lateral parts lie a few mm behind
# the bodies, the anterior foramina opening in the shallow groove between) and where their dorsal surface lies,
# measured forward from the back of the dorsal wall (S1-S3: the intermediate and lateral crests, level with
# the fused laminae) or, at S4 and S5 where the laminae fail to close over the hiatus, backward from the back
# of the canal (S4) and of the body (S5), so the lateral parts leave the hiatus open on a lateral view.
_LATERAL_FRONT = [3.0, 5.0, 5.0, 5.0, 2.0]
_LATERAL_BACK = [0.0, 0.0, 0.0, 1.0, 2.0]
# Foramina between segments k and k+1 (S1..S4), drawn proportions: each pair of openings is one
# tunnel through the lateral mass, perpendicular to the sacral plate at its level (so on an AP with the
# cranial tilt that squares that level the dorsal and ventral openings line up), widening forward from
# the smaller dorsal opening to the larger ventral one, which lies a little lateral and caudal to it;
# both shrink from S1 to S4.  Distance of each opening's centre from the midline (mm) and its radius.
_FORAMEN_X = [26.5, 24.0, 21.5, 17.0]
_FORAMEN_R = [6.0, 5.0, 4.0, 3.0]
_POST_FORAMEN_X = [23.0, 21.0, 19.0, 15.0]
_POST_FORAMEN_R = [4.6, 3.8, 3.0, 2.4]
_FORAMEN_DROP = 2.0  # the ventral opening's centre lies this far caudal to the dorsal one (mm)


@dataclass
class SIJoint:
    side: str
    centre: np.ndarray
    normal: np.ndarray  # from the sacrum toward the ilium
    gap: float = 3.0

    def field(self, X, Y, Z):
        c, n = self.centre.astype(F32), self.normal.astype(F32)
        # curved like the auricular surface: the ilium is convex toward the sacrum front to back
        # (radius about 90 mm) and the joint bows laterally at mid-height (radius about 110 mm)
        d = (X - c[0]) * n[0] + (Y - c[1]) * n[1] + (Z - c[2]) * n[2]
        t = (Y - c[1]) - d * n[1]
        zz = (Z - c[2]) - d * n[2]
        return d - F32(1.0 / 180.0) * t * t + F32(1.0 / 220.0) * zz * zz

    def sacral_side(self) -> Shape:
        return _SISide(self, -1)

    def iliac_side(self) -> Shape:
        return _SISide(self, +1)

    def point(self, up: float = 0.0, back: float = 0.0, out: float = 0.0) -> np.ndarray:
        n = self.normal
        upv = unit(np.array([0.0, 0.0, 1.0]) - n * n[2])
        backv = unit(np.cross(n, upv)) * (1 if self.side == "L" else -1)
        if backv[1] < 0:
            backv = -backv
        return self.centre + up * upv + back * backv + out * n


class _SISide(Shape):
    def __init__(self, j: SIJoint, sign: int):
        self.j, self.sign = j, sign
        self.bbox = (np.full(3, -1e4), np.full(3, 1e4))

    def __call__(self, X, Y, Z):
        f = self.j.field(X, Y, Z)
        g = F32(self.j.gap / 2)
        return (g - f) if self.sign > 0 else (f + g)


class SacroPelvis:
    def __init__(self):
        al = build_alignment()
        self.al = al
        self.parts: dict[str, Shape] = {}
        self.points: dict[str, np.ndarray] = {}  # world
        self.si: dict[str, SIJoint] = {}
        self.femur_shaft_direction: dict[str, np.ndarray] = {}  # unit vector down the shaft, per side
        self._si_joints()
        self._sacrum()
        self._coccyx()
        for side in SIDES:
            self._ilium(side)
            self._femur(side)

    # -- helpers -------------------------------------------------------------
    def seg(self, k: int) -> Frame:
        return self.al.sacral[f"S{k + 1}"].frame

    def sp(self, k: int, local) -> np.ndarray:
        return self.seg(k).point(local)

    # -- sacroiliac joints --------------------------------------------------------
    def _si_joints(self) -> None:
        a = np.radians(P.SACRUM.si_joint_axial_angle)
        tilt = np.radians(12.0)
        for side, s in SIDES.items():
            lateral = np.array([s, 0.0, 0.0])
            n_h = lateral * np.cos(a) + np.array([0.0, 1.0, 0.0]) * np.sin(a)
            n = unit(n_h * np.cos(tilt) - np.array([0.0, 0.0, 1.0]) * np.sin(tilt))
            centre = 0.5 * (self.sp(0, [s * 44.0, 6.0, -6.0]) + self.sp(1, [s * 40.0, 8.0, 0.0]))
            self.si[side] = SIJoint(side, centre, n)

    # -- sacrum --------------------------------------------------------------
    def _sacrum(self) -> None:
        parts: list[Shape] = []
        lengths = [30.0, 24.0, 20.0, 16.0, 15.0]
        fr1 = self.seg(0)
        # S1 body: a vertebral body (wider than deep, rounded rims)
        body1 = RoundBox(fr1.moved([0, 0, 1.0]), (_BODY_HALF_W[0], _BODY_DEPTH[0] / 2, lengths[0] / 2), r=6.0)
        parts.append(Intersect(body1, Ellipsoid(fr1, (_BODY_HALF_W[0] * 1.2, _BODY_DEPTH[0] / 2 * 1.3, lengths[0])), k=2.0))
        # the fused bodies of S2-S5: one tapering column
        pts = [fr1.point([0, 0, -4.0])] + [self.seg(k).origin for k in range(1, 5)] + [self.seg(4).point([0, 0, -lengths[4] / 2])]
        hw = [_BODY_HALF_W[0] - 2.0] + _BODY_HALF_W[1:] + [7.0]
        hd = [_BODY_DEPTH[0] / 2 - 1.5] + [d / 2 for d in _BODY_DEPTH[1:]] + [5.0]
        parts.append(rod_chain(pts, hd, hw, k=4.0, ups=[self.seg(min(i, 4)).vector([1, 0, 0]) for i in range(len(pts) - 1)]))
        # lateral masses: the alae at S1 narrowing to S5, rounded lateral borders, cut by the SI joints
        for side, s in SIDES.items():
            lp, lw, ld = [], [], []
            for k in range(5):
                x_in = _BODY_HALF_W[k] - 6.0
                if k < 3:
                    y_back = _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] + _DORSAL_WALL[k] - _LATERAL_BACK[k]
                elif k == 3:
                    y_back = _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] + _LATERAL_BACK[k]
                else:
                    y_back = _BODY_DEPTH[k] / 2 + _LATERAL_BACK[k]
                y_front = -_BODY_DEPTH[k] / 2 + _LATERAL_FRONT[k]
                z = 2.0 if k == 0 else 0.0
                lp.append(self.seg(k).point([s * 0.5 * (x_in + _LATERAL_REACH[k]), 0.5 * (y_front + y_back), z]))
                lw.append(0.5 * (_LATERAL_REACH[k] - x_in))
                ld.append(max(0.5 * (y_back - y_front), 6.0))
            lm = rod_chain(lp, ld, lw, k=6.0, ups=[self.seg(k).vector([1, 0, 0]) for k in range(4)])
            ala_cut = HalfSpace(fr1.point([s * 30.0, 0, lengths[0] / 2 - 1.0]), fr1.vector([s * 0.25, 0.15, 1.0]))
            lm = Intersect(lm, ala_cut, k=6.0)
            # the joint surface cuts the lateral mass only where there is a joint (S1 to S3); below it the
            # lateral masses keep their width, so the S3 and S4 foramina lie within the sacrum
            j = self.si[side]
            # (a slanted boundary, so the lateral border tapers smoothly instead of stepping out at S3)
            below = HalfSpace(j.centre - np.array([0.0, 0.0, 34.0]), unit(np.array([s * 0.9, 0.0, 1.0])))
            lm = Intersect(lm, Union([j.sacral_side(), below], k=6.0), k=1.0)
            parts.append(lm)
        # dorsal wall (fused laminae) down to S4, where the hiatus opens; median and intermediate crests
        dp, dw, dt, cp = [], [], [], []
        for k in range(4):
            fr = self.seg(k)
            y = _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] + _DORSAL_WALL[k] / 2
            dp.append(fr.point([0, y, 0.0 if k < 3 else 3.0]))
            dw.append(_CANAL_HALF_W[k] + 6.0)
            dt.append(_DORSAL_WALL[k] / 2 + 0.5)
            cp.append(fr.point([0, y + _DORSAL_WALL[k] / 2 + 3.0 - 0.5 * k, 2.0]))
        dp.insert(0, fr1.point([0, _BODY_DEPTH[0] / 2 + _CANAL_DEPTH[0] + _DORSAL_WALL[0] / 2, lengths[0] / 2 - 3.0]))
        dw.insert(0, _CANAL_HALF_W[0] + 6.0)
        dt.insert(0, _DORSAL_WALL[0] / 2)
        parts.append(rod_chain(dp, dt, dw, k=3.0, ups=[self.seg(min(k, 3)).vector([1, 0, 0]) for k in range(len(dp) - 1)]))
        parts.append(rod_chain(cp, [2.8] * len(cp), [3.0] * len(cp), k=2.0))
        # spinous tubercles of S1-S3 on the median crest, tapering downward
        for k in range(3):
            parts.append(Ellipsoid(Frame(cp[k] + self.seg(k).vector([0, 1.0, 0]), self.seg(k).axes), (3.0, 4.5 - 0.8 * k, 7.0 - k)))
        for side, s in SIDES.items():
            ip = [self.seg(k).point([s * (_CANAL_HALF_W[k] + 4.0), _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] + _DORSAL_WALL[k], 0]) for k in range(4)]
            parts.append(rod_chain(ip, [2.6] * 4, [3.0] * 4, k=2.0))
        canal_pts = [fr1.point([0, _BODY_DEPTH[0] / 2 + _CANAL_DEPTH[0] / 2, lengths[0] / 2 + 4.0])] + \
            [self.seg(k).point([0, _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] / 2, 0]) for k in range(5)] + \
            [self.seg(4).point([0, _BODY_DEPTH[4] / 2 + _CANAL_DEPTH[4] / 2 + 2.0, -lengths[4] / 2 - 2.0])]
        canal_hw = [_CANAL_HALF_W[0]] + _CANAL_HALF_W + [6.0]
        canal_hd = [_CANAL_DEPTH[0] / 2] + [c / 2 for c in _CANAL_DEPTH] + [3.0]
        canal_shapes = [rod_chain(canal_pts, canal_hd, canal_hw, k=2.0, ups=[self.seg(min(max(k - 1, 0), 4)).vector([1, 0, 0]) for k in range(len(canal_pts) - 1)])]
        # S1 superior articular processes (joint with L5)
        sp_joints = build_spine_joints()
        fr1 = self.seg(0)
        for side, s in SIDES.items():
            j = sp_joints[side]
            jc = fr1.local_point(j.centre)
            n = fr1.axes @ j.normal
            base = np.array([s * (_CANAL_HALF_W[0] + 4.0), _BODY_DEPTH[0] / 2 + 6.0, 12.0])
            tip = jc - n * 3.5 + np.array([0, 0, 9.0])
            blob = Rod(fr1.point(base), fr1.point(tip), 7.0, 6.0, 5.0, 4.0, up=fr1.vector([0, 1, 0]))
            parts.append(Intersect(blob, j.sap_side(), k=0.6))
            self.points[f"S1.{side}.sap"] = fr1.point(0.5 * (base + tip))
            self.points[f"S1.{side}.sap-tip"] = fr1.point(tip + np.array([0, 0, 3.0]))
            # L5 dorsal ramus target: junction of the S1 SAP with the sacral ala
            self.points[f"S1.{side}.sap-ala-junction"] = fr1.point(np.array([s * (_CANAL_HALF_W[0] + 10.5), _BODY_DEPTH[0] / 2 + 5.0, 8.0]))
        # sacral cornua beside the hiatus (S5 inferior articular processes): rounded tubercles hanging down
        # behind the S5 body toward the coccygeal cornua, so the hiatus opens between and above them
        fr5 = self.seg(4)
        for side, s in SIDES.items():
            a = fr5.point([s * 10.5, _BODY_DEPTH[4] / 2 + 3.0, 3.0])
            b = fr5.point([s * 9.5, _BODY_DEPTH[4] / 2 + 8.5, -6.5])
            parts.append(Rod(a, b, 2.8, 2.8, 3.2, 3.0, up=fr5.vector([0, 1, 0])))
            self.points[f"S5.{side}.cornu"] = b + fr5.vector([0, 2.0, 0])
        # transverse ridges across the pelvic surface where the segments fused (remnants of the discs' rims),
        # running between the anterior foramina of each pair
        for k in range(4):
            fr = self._junction_frame(k, lengths)
            hw = _FORAMEN_X[k] - _FORAMEN_R[k] - 2.0
            y = -0.5 * (_BODY_DEPTH[k] + _BODY_DEPTH[k + 1]) / 2 + 0.5
            parts.append(Rod(fr.point([-hw, y, 0.0]), fr.point([hw, y, 0.0]), 2.0, 1.6, up=fr.vector([0, 0, 1])))
        sacrum = Union(parts, k=2.5)
        for c in canal_shapes:
            sacrum = Subtract(sacrum, c, k=1.5)
        sacrum = self._foramina(sacrum, lengths)
        self.parts["sacrum"] = sacrum
        fr1 = self.seg(0)
        self.points["S1.superior-endplate"] = self.al.s1_endplate.frame.origin.copy()
        # lateral ends of the S1 endplate (as C3-L5 have): 2.5 mm inside the point where the endplate
        # surface, followed outward from the centre just under it at mid-depth, meets the notch before
        # the ala (on the built shape)
        efr = self.al.s1_endplate.frame
        xs = np.arange(0.0, P.SACRUM.s1_endplate_width / 2 + 10.0, 0.25)
        for side, s in SIDES.items():
            line = efr.point(np.stack([s * xs, np.zeros_like(xs), np.full_like(xs, -1.0)], axis=1)).astype(np.float32)
            f = np.asarray(sacrum(line[:, 0], line[:, 1], line[:, 2])).ravel()
            out_at = np.nonzero(f >= 0.0)[0]
            x_end = xs[out_at[0]] if len(out_at) else P.SACRUM.s1_endplate_width / 2
            self.points[f"S1.{side}.superior-endplate.lateral"] = efr.point([s * (x_end - 2.5), 0.0, -1.0])
        self.points["sacral-promontory"] = fr1.point([0, -_BODY_DEPTH[0] / 2, 15.0])
        self.points["S1.body-centre"] = fr1.origin.copy()
        for side, s in SIDES.items():
            self.points[f"S1.{side}.ala"] = fr1.point([s * 31.0, 0.0, 6.0])  # in the ala, between the S1 body and the joint
            # L5 ventral ramus crossing the front of the ala toward the lumbosacral trunk
            self.points[f"L5.{side}.ventral-ramus"] = fr1.point([s * 33.0, -_BODY_DEPTH[0] / 2 + 4.0, 12.0])
            self.points[f"S1.{side}.pedicle"] = fr1.point([s * (_CANAL_HALF_W[0] + 5.0), _BODY_DEPTH[0] / 2 + 3.0, 5.0])
        fr4, fr5 = self.seg(3), self.seg(4)
        self.points["sacral-hiatus"] = fr5.point([0, _BODY_DEPTH[4] / 2 + 3.0, 4.0])
        self.points["sacral-hiatus.apex"] = fr4.point([0, _BODY_DEPTH[3] / 2 + _CANAL_DEPTH[3] + 3.0, -6.0])
        self.points["sacral-canal.S3"] = self.seg(2).point([0, _BODY_DEPTH[2] / 2 + _CANAL_DEPTH[2] / 2, 0])
        self.points["sacral-canal.S2"] = self.seg(1).point([0, _BODY_DEPTH[1] / 2 + _CANAL_DEPTH[1] / 2, 0])
        for k in range(1, 5):
            self.points[f"S{k + 1}.body-centre"] = self.seg(k).origin.copy()
        for side, s in SIDES.items():
            # S1 transforaminal target: the superolateral quadrant of the dorsal S1 foramen
            self.points[f"S1.{side}.posterior-foramen.superolateral"] = (self.points[f"S1.{side}.posterior-foramen"]
                                                                           + fr1.vector([s * 2.2, -1.0, 2.2]))
        self.points["dural-sac-end"] = self.seg(1).point([0, _BODY_DEPTH[1] / 2 + _CANAL_DEPTH[1] / 2, 0.0])

    def _junction_frame(self, k: int, lengths) -> Frame:
        """Frame at the junction of sacral segments k and k+1 (mean of their axes)."""
        f_up, f_dn = self.seg(k), self.seg(k + 1)
        mid = 0.5 * (f_up.point([0, 0, -lengths[k] / 2]) + f_dn.point([0, 0, lengths[k + 1] / 2]))
        axes = 0.5 * (f_up.axes + f_dn.axes)
        return Frame(mid, axes / np.linalg.norm(axes, axis=1)[:, None])

    def _foramina(self, sacrum: Shape, lengths) -> Shape:
        """Carve the sacral foramina S1-S4 and name their openings.

        Each foramen is a tunnel from the dorsal to the pelvic surface of the lateral mass, joined to the
        canal by a short lateral passage (the intervertebral foramen of the fused segments).  The opening
        landmarks sit 1.5 mm inside the tunnel from where its axis leaves the bone.
        """
        envelope = sacrum
        for k in range(4):
            fr = self._junction_frame(k, lengths)
            d = _BODY_DEPTH[k]
            y_back = d / 2 + _CANAL_DEPTH[k] + _DORSAL_WALL[k]
            y_front = -d / 2 + 3.0 + 2.0 * k
            for side, s in SIDES.items():
                post_out = fr.point([s * _POST_FORAMEN_X[k], y_back + 10.0, 0.0])
                ant_out = fr.point([s * _FORAMEN_X[k], y_front - 10.0, -_FORAMEN_DROP])
                r_p, r_a = _POST_FORAMEN_R[k], _FORAMEN_R[k]
                tunnel = Rod(post_out, ant_out, r_p, r_p * 1.1, r_a, r_a * 1.1, up=fr.vector([0, 0, 1]))
                y_canal = d / 2 + _CANAL_DEPTH[k] / 2
                # the passage runs laterally and a little forward from the canal into the tunnel
                on_axis = _point_on_segment_at(post_out, ant_out, fr, y_canal - 0.4 * _CANAL_DEPTH[k])
                canal_pt = fr.point([s * (_CANAL_HALF_W[k] - 2.0), y_canal, 0.0])
                passage = Rod(canal_pt, on_axis, r_a * 0.75, r_a * 0.85, up=fr.vector([0, 0, 1]))
                sacrum = Subtract(sacrum, Union([tunnel, passage], k=1.0), k=0.8)
                lvl = f"S{k + 1}"
                axis = unit(ant_out - post_out)
                centre = _point_on_segment_at(post_out, ant_out, fr, 0.5 * (y_front + y_back))  # inside the lateral mass
                self.points[f"{lvl}.{side}.anterior-foramen"] = exit_point(envelope, centre, axis, step=0.25, max_mm=60.0) - 1.5 * axis
                self.points[f"{lvl}.{side}.posterior-foramen"] = exit_point(envelope, centre, -axis, step=0.25, max_mm=60.0) + 1.5 * axis
                self.points[f"{lvl}.{side}.foramen"] = _point_on_segment_at(post_out, ant_out, fr, d / 2 + 2.0)
        return sacrum

    def _coccyx(self) -> None:
        parts = []
        for i, pose in enumerate(self.al.coccyx):
            fr = pose.frame
            # small rounded ossicles tapering in a row separated by thin discs: Co1 the widest, Co2-Co4
            # nodules about as wide as they are deep
            hw = [8.0, 5.5, 4.5, 3.5][i]
            hd = [5.5, 4.6, 3.9, 3.2][i]
            hh = [4.5, 4.0, 3.5, 3.0][i]
            parts.append(Ellipsoid(fr, (hw, hd, hh)))
            if i == 0:
                for s in (1.0, -1.0):  # coccygeal cornua (up toward the sacral cornua) and short transverse processes
                    parts.append(Rod(fr.point([s * 5.0, 3.0, 2.0]), fr.point([s * 8.0, 5.5, 7.0]), 1.8, 1.8, up=fr.vector([0, 1, 0])))
                    parts.append(Rod(fr.point([s * 5.0, -1.0, 0.0]), fr.point([s * 13.0, 1.0, 3.5]), 2.2, 1.6, 1.4, 1.2, up=fr.vector([0, 0, 1])))
        self.parts["coccyx"] = Union(parts, k=1.0)
        self.points["coccyx"] = self.al.coccyx[1].frame.origin.copy()
        self.points["coccyx.tip"] = self.al.coccyx[-1].frame.point([0, 0, -3.5])

    # -- ilium, ischium, pubis ------------------------------------------------------
    def key_points(self, s: float) -> dict[str, np.ndarray]:
        """Pelvic key points for one side (world, mm); approximated adult proportions."""
        sl = self.al.s1_endplate.frame.origin
        half = P.SACRUM.intercristal_width / 2
        return {
            "psis": sl + np.array([s * 36.0, 68.0, -30.0]),
            "posterior-crest": sl + np.array([s * 62.0, 68.0, 8.0]),
            # the crest seen from the front is one convex arc: up from the posterior crest to its summit,
            # over to its widest point and down the lateral lip past the tubercle to the anterior spine
            "crest-summit": sl + np.array([s * (half - 18.0), 30.0, 56.0]),
            "crest-lateral": sl + np.array([s * half, -8.0, 44.0]),
            "iliac-tubercle": sl + np.array([s * (half - 1.0), -42.0, 24.0]),
            "asis": sl + np.array([s * P.SACRUM.interspinous_asis_width / 2, -78.0, -8.0]),
            "aiis": sl + np.array([s * 100.0, -70.0, -45.0]),
            "acetabulum": sl + np.array([s * 88.0, -35.0, -92.0]),
            "sciatic-notch": sl + np.array([s * 62.0, 38.0, -62.0]),
            "pis": sl + np.array([s * 44.0, 58.0, -52.0]),
            "ischial-spine": sl + np.array([s * 46.0, 26.0, -100.0]),
            "ischial-tuberosity": sl + np.array([s * 60.0, 4.0, -148.0]),
            "pubic-tubercle": sl + np.array([s * 22.0, -88.0, -118.0]),
            "symphysis": sl + np.array([s * 3.0, -86.0, -122.0]),
            "iliopubic": sl + np.array([s * 68.0, -62.0, -88.0]),
            "brim-posterior": sl + np.array([s * 52.0, 12.0, -30.0]),
        }

    def _ilium(self, side: str) -> None:
        s = SIDES[side]
        k = self.key_points(s)
        si = self.si[side]
        A = k["acetabulum"]
        upv = unit(np.array([0.0, 0.0, 1.0]) - si.normal * si.normal[2])
        back = unit(np.cross(si.normal, upv))
        if back[1] < 0:
            back = -back
        out = si.normal
        # the wing: a fan from the front of the sacroiliac joint and the arcuate line up to the crest and
        # forward to the anterior superior and inferior spines, thin in the iliac fossa, thick at its rims
        sij_top = si.centre + upv * 26.0 + back * 6.0 + out * 7.0
        sij_front = si.centre + upv * 4.0 - back * 14.0 + out * 6.0
        sij_low = si.centre - upv * 22.0 - back * 6.0 + out * 8.0
        supra = A + np.array([s * 6.0, 4.0, 30.0])
        notch_top = k["sciatic-notch"] + np.array([0.0, -6.0, 14.0])
        rim = [  # outline point, rim thickness (mm)
            (sij_top, 16.0), (k["posterior-crest"], 13.0), (0.5 * (k["posterior-crest"] + k["crest-summit"]) + np.array([s * 6.0, 0, 12.0]), 11.0),
            (k["crest-summit"], 11.0), (k["crest-lateral"], 12.0), (k["iliac-tubercle"], 14.0), (k["asis"], 9.0),
            (0.5 * (k["asis"] + k["aiis"]) + np.array([-s * 4.0, 12.0, 0.0]), 6.0), (k["aiis"], 9.0), (supra, 20.0),
            (notch_top, 14.0), (sij_low, 18.0),
        ]
        plate = IliacWing([p for p, _ in rim], [t for _, t in rim], s, fossa_depth=26.0, posterior_thickness=10.0)
        self.parts[f"{side}.ilium-plate"] = plate
        # iliac crest: a thick rounded rim from the posterior superior spine over the tubercle to the anterior spine
        crest_pts = [k["psis"] + np.array([0.0, -2.0, 8.0]), k["posterior-crest"], rim[2][0], k["crest-summit"], k["crest-lateral"],
                     k["iliac-tubercle"], k["asis"]]
        crest = _smooth_tube(crest_pts, [7.0, 7.0, 5.5, 5.0, 5.5, 7.5, 5.0], [8.0, 8.0, 6.5, 6.0, 6.5, 8.0, 5.5], k=3.0)
        # arcuate line (pelvic brim): a thick ridge on the inner surface from the joint to the iliopubic eminence
        # (its upper points sit on the wing's inner face, so the ridge is part of the wing in an axial section)
        arc_pts = [sij_front - out * 2.0, 0.5 * (sij_front + k["iliopubic"]) + np.array([-s * 2.0, 0.0, 6.0])]
        arc_pts = [plate.surface_point(p, 2.5 - plate.half_thickness(p)) for p in arc_pts]
        arcuate = rod_chain(arc_pts + [k["iliopubic"] + np.array([s * 2.0, 4.0, 6.0])], [6.0, 5.5, 6.5], [6.0, 5.5, 6.5], k=3.0)
        # posterior ilium: the auricular part and the iliac tuberosity behind it, reaching the sacrum at the joint
        auricular = Ellipsoid(Frame(si.centre + out * 12.0 + back * 6.0, np.array([out, back, upv])), (14.0, 22.0, 32.0))
        tuberosity = Ellipsoid(Frame(0.5 * (si.centre + k["psis"]) + out * 16.0 + upv * 10.0, np.array([out, back, upv])), (12.0, 18.0, 24.0))
        post = Union([
            auricular, tuberosity,
            Rod(k["psis"], si.centre + out * 12.0 + back * 10.0 + upv * 14.0, 8.0, 9.0, 12.0, 13.0, up=(0, 0, 1)),
            Rod(k["pis"], si.centre + out * 12.0 + back * 4.0 - upv * 16.0, 7.0, 8.0, 11.0, 11.0, up=(0, 0, 1)),
            Rod(si.centre + out * 14.0 - upv * 18.0, notch_top, 11.0, 12.0, 10.0, 12.0, up=(0, 0, 1)),  # the sciatic buttress
        ], k=8.0)
        post = Intersect(post, si.iliac_side(), k=1.0)
        # body of the ilium above the acetabulum (the roof), thick
        body = Union([
            Rod(A + np.array([s * 2.0, -6.0, 16.0]), notch_top + np.array([-s * 2.0, -8.0, -6.0]), 15.0, 13.0, 11.0, 12.0, up=(0, 0, 1)),
            Rod(A + np.array([s * 4.0, -2.0, 14.0]), supra + np.array([0.0, 0.0, 8.0]), 16.0, 14.0, 9.0, 8.0, up=(0, 1, 0)),
        ], k=6.0)
        # acetabular cup, ischium, pubic rami (the obturator ring), symphysis
        acet = Ellipsoid(Frame(A + np.array([s * 4.0, 2.0, 2.0]), np.eye(3)), (20.0, 31.0, 31.0))
        ischium = rod_chain([A + np.array([s * 2.0, 16.0, -18.0]), k["ischial-tuberosity"] + np.array([0, 4.0, 14.0]),
                             k["ischial-tuberosity"]], [11.0, 8.0, 10.0], [9.0, 7.5, 10.0], k=4.0)
        spine_ = Rod(A + np.array([-s * 4.0, 22.0, -14.0]), k["ischial-spine"], 6.0, 7.0, 2.0, 2.5)
        pubic_body = Rod(k["pubic-tubercle"] + np.array([0, 2.0, 2.0]), k["symphysis"] + np.array([0, 2.0, -14.0]), 8.0, 13.0, 7.0, 15.0, up=(0, 0, 1))
        hip = Union([plate, crest, arcuate, post, body, acet, ischium, spine_, self._obturator_ring(s), pubic_body], k=6.0)
        hip = Subtract(hip, Sphere(A, 26.0), k=1.0)  # the socket (femoral head 24 mm plus cartilage)
        hip = Subtract(hip, Sphere(k["symphysis"] + np.array([-s * 3.0, 0, 0]), 2.0), k=0.0)
        self.parts[f"{side}.hip-bone"] = hip
        nm = {"psis": "psis", "asis": "asis", "crest-summit": "iliac-crest", "ischial-spine": "ischial-spine",
              "ischial-tuberosity": "ischial-tuberosity", "sciatic-notch": "greater-sciatic-notch", "acetabulum": "acetabulum"}
        for key, name in nm.items():
            self.points[f"pelvis.{side}.{name}"] = k[key]
        # SI joint landmarks: the injection target is the posterior, inferior third of the joint line
        self.points[f"SIJ.{side}.centre"] = si.centre.copy()
        self.points[f"SIJ.{side}.inferior-third"] = si.point(up=-22.0, back=14.0)
        self.points[f"SIJ.{side}.superior"] = si.point(up=18.0, back=6.0)
        self.points[f"SIJ.{side}.posterior-inferior"] = si.point(up=-26.0, back=20.0)

    def _obturator_ring(self, s: float) -> Shape:
        """The bone round the obturator foramen: superior pubic ramus, pubic body, inferior pubic and
        ischial rami and the body of the ischium, one smooth closed ring about an oval opening taller than
        wide, below and medial to the acetabulum (drawn proportions).  Each control point: position
        relative to the S1 endplate centre (lateral, posterior, cranial; mm) and the bone's half-thickness."""
        sl = self.al.s1_endplate.frame.origin
        ring = [  # in order round the foramen, starting under the acetabulum
            ((76.0, -36.0, -112.0), 10.0),  # acetabular notch, the top of the ischial body
            ((58.0, -60.0, -100.0), 8.0),  # superior pubic ramus over the obturator groove
            ((30.0, -80.0, -104.0), 8.0),
            ((19.0, -84.0, -124.0), 8.0),  # lateral edge of the pubic body
            ((24.0, -68.0, -148.0), 6.0),  # inferior pubic ramus
            ((42.0, -32.0, -158.0), 6.0),  # ischial ramus
            ((64.0, -6.0, -146.0), 9.0),  # at the ischial tuberosity
            ((74.0, -18.0, -128.0), 10.0),  # body of the ischium
        ]
        pts = [sl + np.array([s * x, y, z]) for (x, y, z), _ in ring]
        r = [t for _, t in ring]
        return _smooth_tube(pts, r, r, k=4.0, closed=True)

    def _femur(self, side: str) -> None:
        s = SIDES[side]
        k = self.key_points(s)
        head_c = k["acetabulum"]
        troch = head_c + np.array([s * 56.0, 8.0, -16.0])
        neck_end = head_c + np.array([s * 40.0, 4.0, -30.0])
        shaft_top = head_c + np.array([s * 50.0, 4.0, -52.0])
        shaft_bot = shaft_top + np.array([-s * 14.0, -6.0, -140.0])
        femur = Union([
            Sphere(head_c, 24.0),
            Rod(head_c, neck_end, 15.0, 17.0, 15.0, 18.0, up=(0, 0, 1)),
            Ellipsoid(Frame(troch, np.eye(3)), (11.0, 15.0, 20.0)),
            Rod(shaft_top + np.array([0, 0, 10.0]), shaft_bot, 15.0, 14.5, 13.5, 13.5, up=(0, 1, 0)),
            Ellipsoid(Frame(neck_end + np.array([-s * 4.0, 2.0, -24.0]), np.eye(3)), (7.0, 8.0, 8.0)),  # lesser trochanter
        ], k=6.0)
        self.parts[f"{side}.femur"] = femur
        self.femur_shaft_direction[side] = unit(shaft_bot - shaft_top)
        self.points[f"femur.{side}.head"] = head_c
        self.points[f"femur.{side}.greater-trochanter"] = troch


class IliacWing(Shape):
    """The iliac wing as one curved plate through its outline points.

    The plate's plane is fitted to the outline (points on the wing's border, each with its rim
    thickness); its mid-surface follows the outline's twist (a quadratic fitted to the points' offsets
    from the plane) and bows laterally between its anterior and posterior borders at every height (the
    iliac fossa is concave on the inside, the gluteal surface convex outside, so an axial section is a
    curve, not a straight line).  The plate is about 2.5 mm thick in the fossa, thickens toward each
    border point's rim thickness and, over its posterior part, toward the thick bone behind the fossa
    (the iliac tuberosity and the auricular part at the sacroiliac joint).
    """

    def __init__(self, points, rims, s: float, fossa_depth: float = 10.0, posterior_thickness: float = 0.0):
        P = np.asarray(points, float)
        self.O = P.mean(axis=0)
        u, sv, vt = np.linalg.svd(P - self.O)
        e1, e2, n = vt[0], vt[1], vt[2]
        if n[0] * s < 0:
            n = -n
        if e1[2] < 0:  # e1 roughly upward-forward, e2 completes a right-handed frame
            e1 = -e1
        e2 = np.cross(n, e1)
        self.e1, self.e2, self.n, self.s = e1, e2, n, s
        self.su = 1.0 if e1[1] >= 0 else -1.0  # +1 when u grows toward the posterior border
        self.sv = 1.0 if e2[2] <= 0 else -1.0  # +1 when v grows toward the lower border
        d = P - self.O
        uv = np.stack([d @ e1, d @ e2], axis=1)
        w = d @ n
        Q = np.stack([np.ones(len(uv)), uv[:, 0], uv[:, 1], uv[:, 0] ** 2, uv[:, 0] * uv[:, 1], uv[:, 1] ** 2], axis=1)
        self.coef = np.linalg.lstsq(Q, w, rcond=None)[0]
        poly = _closed_spline(uv, 12)
        rim = np.interp(np.linspace(0, len(rims), len(poly), endpoint=False), np.arange(len(rims) + 1), list(rims) + [rims[0]])
        self.poly = poly
        lo2, hi2 = poly.min(axis=0) - 20, poly.max(axis=0) + 20
        gu = np.arange(lo2[0], hi2[0], 0.5, dtype=F32)
        gv = np.arange(lo2[1], hi2[1], 0.5, dtype=F32)
        self.table = polygon_sdf_2d(gu[:, None], gv[None, :], poly).astype(F32)
        # rim thickness of the nearest border point, tabulated on the same grid
        GU, GV = np.meshgrid(gu, gv, indexing="ij")
        near = np.full(GU.shape, 1e9, F32)
        rimt = np.zeros(GU.shape, F32)
        for (pu, pv), r in zip(poly[::2], rim[::2]):
            dd = (GU - F32(pu)) ** 2 + (GV - F32(pv)) ** 2
            closer = dd < near
            near = np.where(closer, dd, near)
            rimt = np.where(closer, F32(r), rimt)
        self.rim_table = ndimage.gaussian_filter(rimt, 6.0).astype(F32)
        self.t_origin = lo2
        c = poly.mean(axis=0)
        self.centre_uv = c
        self.radius_uv = (poly.max(axis=0) - poly.min(axis=0)) / 2
        self.fossa = float(fossa_depth)
        self.post_t = float(posterior_thickness)
        corners = [self.O + a * e1 + b * e2 + cc * n for a in (lo2[0], hi2[0]) for b in (lo2[1], hi2[1]) for cc in (-40.0, 40.0)]
        pc = np.array(corners)
        self.bbox = (pc.min(axis=0), pc.max(axis=0))

    def _lookup(self, table, u, v):
        iu = (u - F32(self.t_origin[0])) / F32(0.5)
        iv = (v - F32(self.t_origin[1])) / F32(0.5)
        shp = np.broadcast_shapes(np.shape(iu), np.shape(iv))
        return ndimage.map_coordinates(table, [np.broadcast_to(iu, shp).ravel(), np.broadcast_to(iv, shp).ravel()],
                                       order=1, mode="nearest").reshape(shp).astype(F32)

    def _mid(self, u, v, od=None):
        """Offset of the mid-surface from the fitted plane (along ``n``, lateral positive)."""
        c0, c1, c2, c3, c4, c5 = (F32(c) for c in self.coef)
        mid = c0 + c1 * u + c2 * v + c3 * u * u + c4 * u * v + c5 * v * v
        ru, rv = (F32(r) for r in self.radius_uv)
        # the wing bows laterally between its anterior and posterior borders at every height (concave iliac
        # fossa inside, convex gluteal surface outside), a little less toward the crest and the brim; the bow
        # fades over the last 30 mm to the border, so the rims (crest, spines, joint) stay where they are
        across = np.clip(1.0 - ((u - F32(self.centre_uv[0])) / ru) ** 2, 0.0, 1.0)
        along = np.clip(1.0 - F32(0.4) * ((v - F32(self.centre_uv[1])) / rv) ** 2, 0.0, 1.0)
        if od is None:
            od = self._lookup(self.table, u, v)
        e = np.clip(-od / F32(30.0), 0.0, 1.0)
        return mid + F32(self.fossa) * across * along * e * e * (F32(3.0) - F32(2.0) * e)

    def _thickness(self, u, v):
        """Plate thickness: thin in the fossa, thick at the rims and over the posterior part."""
        od = self._lookup(self.table, u, v)
        rim = self._lookup(self.rim_table, u, v)
        ru = F32(self.radius_uv[0])
        # from the middle of the fossa toward the posterior border the bone thickens
        back = np.clip((F32(self.su) * (u - F32(self.centre_uv[0])) + F32(0.45) * ru) / ru, 0.0, 1.0)
        base = F32(2.6) + F32(self.post_t) * back * back
        depth_in = np.maximum(-od, 0.0)
        return od, base + np.maximum(rim - base, 0.0) * np.exp(-depth_in / F32(7.0))

    def surface_point(self, p, offset: float = 0.0) -> np.ndarray:
        """``p`` moved onto the mid-surface, then ``offset`` mm along the lateral normal."""
        d = np.asarray(p, float) - self.O
        u, v = np.array([d @ self.e1], F32), np.array([d @ self.e2], F32)
        mid = float(self._mid(u, v)[0])
        return self.O + float(u[0]) * self.e1 + float(v[0]) * self.e2 + (mid + offset) * self.n

    def half_thickness(self, p) -> float:
        d = np.asarray(p, float) - self.O
        u, v = np.array([d @ self.e1], F32), np.array([d @ self.e2], F32)
        return float(self._thickness(u, v)[1][0]) / 2

    def frame(self, X, Y, Z):
        """Coordinates in the wing's own frame: (u, v) in its plane, w along its normal."""
        O, e1, e2, n = (v.astype(F32) for v in (self.O, self.e1, self.e2, self.n))
        dx, dy, dz = X - O[0], Y - O[1], Z - O[2]
        return (dx * e1[0] + dy * e1[1] + dz * e1[2], dx * e2[0] + dy * e2[1] + dz * e2[2],
                dx * n[0] + dy * n[1] + dz * n[2])

    def __call__(self, X, Y, Z):
        u, v, w = self.frame(X, Y, Z)
        od, t = self._thickness(u, v)
        plate = np.abs(w - self._mid(u, v, od)) - t / 2
        return smax(plate, od, 2.0)


class WingLayer(Shape):
    """Muscle lying on one face of the iliac wing (``face`` -1: the inner face, the iliac fossa; +1: the
    outer, gluteal surface).

    It fills the space from ``near`` to ``far`` mm off the bone surface, over the part of the wing
    between the fractions ``span`` of its front-to-back extent (0 at the anterior border, 1 at the
    posterior border) and between ``rows`` of its top-to-bottom extent (0 at the crest, 1 at the lower
    border).  It is thickest in the middle of that patch and thins toward its edges and the wing's rim.
    """

    def __init__(self, wing: IliacWing, face: int, near: float, far: float, span=(0.0, 1.0), rows=(0.0, 1.0), reach: float = 0.0,
                 taper: bool = True):
        self.w, self.face, self.near, self.far, self.taper = wing, float(face), float(near), float(far), taper
        lo, hi = wing.poly.min(axis=0), wing.poly.max(axis=0)

        def at(f, i, sign):  # the coordinate a fraction f of the way from the front (top) to the back (bottom)
            return lo[i] + f * (hi[i] - lo[i]) if sign > 0 else hi[i] - f * (hi[i] - lo[i])

        self.u0, self.u1 = sorted((at(span[0], 0, wing.su), at(span[1], 0, wing.su)))
        self.v0, self.v1 = sorted((at(rows[0], 1, wing.sv), at(rows[1], 1, wing.sv)))
        self.reach = float(reach)  # how far past the wing's border the muscle may extend (mm)
        self.bbox = wing.bbox

    def __call__(self, X, Y, Z):
        wg = self.w
        u, v, w = wg.frame(X, Y, Z)
        od, t = wg._thickness(u, v)
        off = F32(self.face) * (w - wg._mid(u, v, od)) - t / 2  # distance off the bone surface on this face
        hu, hv = F32((self.u1 - self.u0) / 2), F32((self.v1 - self.v0) / 2)
        cu, cv = F32((self.u1 + self.u0) / 2), F32((self.v1 + self.v0) / 2)
        a, b = (u - cu) / hu, (v - cv) / hv
        # lens-shaped belly: full thickness in the middle of the patch, thinning toward its edges
        belly = np.sqrt(np.clip(1.0 - a * a, 0.0, 1.0) * np.clip(1.0 - F32(0.6) * b * b, 0.0, 1.0)) if self.taper else F32(1.0)
        far = F32(self.near) + (F32(self.far) - F32(self.near)) * belly
        layer = np.maximum(F32(self.near) - off, off - far)
        patch = np.maximum(np.maximum(np.abs(u - cu) - hu, np.abs(v - cv) - hv), od - F32(self.reach))
        return np.maximum(layer, patch)


class IliacPlate(Shape):
    """The ilium as one curved plate: wing and body in the plane through the acetabulum, PSIS and ASIS.

    Its mid-surface flares laterally toward the middle of the crest (fitted so the crest summit lies
    on it) and bows to make the iliac fossa; the plate is thin in the fossa (about 3 mm) and thick at
    its borders (crest, brim, sciatic notch) and toward the acetabulum.
    """

    def __init__(self, A, k: dict, s: float):
        P, S, C = k["psis"], k["asis"], k["crest-summit"]
        e1 = unit(S - P)
        e2 = unit(C - A - e1 * np.dot(C - A, e1))
        n = unit(np.cross(e1, e2))
        if n[0] * s < 0:
            n = -n
        self.A, self.e1, self.e2, self.n, self.s = np.asarray(A, float), e1, e2, n, s

        def uv(p):
            d = np.asarray(p, float) - self.A
            return np.array([d @ e1, d @ e2]), d @ n

        outline = ["psis", "posterior-crest", "crest-summit", "crest-lateral", "iliac-tubercle", "asis", "aiis"]
        pts = [uv(k[o])[0] for o in outline]
        pts += [np.array([36.0, -4.0]), np.array([24.0, -24.0]), np.array([0.0, -32.0]), np.array([-20.0, -24.0])]
        pts += [uv(k["ischial-spine"] + np.array([0, 0, 24.0]))[0], uv(k["sciatic-notch"])[0], uv(k["pis"])[0]]
        self.poly = _closed_spline(np.array(pts), 10)
        # 2D signed distance to the outline, tabulated once (0.5 mm) and interpolated
        lo2, hi2 = self.poly.min(axis=0) - 20, self.poly.max(axis=0) + 20
        gu = np.arange(lo2[0], hi2[0], 0.5, dtype=F32)
        gv = np.arange(lo2[1], hi2[1], 0.5, dtype=F32)
        self.table = polygon_sdf_2d(gu[:, None], gv[None, :], self.poly).astype(F32)
        self.t_origin = lo2
        uC, off_C = uv(C)
        self.uc, self.vc = uC
        self.u_post = float(uv(P)[0][0])
        self.R = max(abs(uv(P)[0][0] - self.uc), abs(uv(S)[0][0] - self.uc))
        self.flare = off_C / max(self.vc, 1.0)
        lo = self.poly.min(axis=0)
        hi = self.poly.max(axis=0)
        corners = [self.A + a * e1 + b * e2 + c * n for a in (lo[0] - 5, hi[0] + 5) for b in (lo[1] - 5, hi[1] + 5) for c in (-30.0, 70.0)]
        pc = np.array(corners)
        self.bbox = (pc.min(axis=0), pc.max(axis=0))

    def __call__(self, X, Y, Z):
        A, e1, e2, n = (v.astype(F32) for v in (self.A, self.e1, self.e2, self.n))
        dx, dy, dz = X - A[0], Y - A[1], Z - A[2]
        u = dx * e1[0] + dy * e1[1] + dz * e1[2]
        v = dx * e2[0] + dy * e2[1] + dz * e2[2]
        w = dx * n[0] + dy * n[1] + dz * n[2]
        iu = (u - F32(self.t_origin[0])) / F32(0.5)
        iv = (v - F32(self.t_origin[1])) / F32(0.5)
        shp = np.broadcast_shapes(np.shape(iu), np.shape(iv))
        od = ndimage.map_coordinates(self.table, [np.broadcast_to(iu, shp).ravel(), np.broadcast_to(iv, shp).ravel()],
                                     order=1, mode="nearest").reshape(shp).astype(F32)
        depth_in = np.maximum(-od, 0.0)
        shape_uv = np.clip(1.0 - ((u - F32(self.uc)) / F32(self.R)) ** 2, 0.0, 1.0)
        bowl = shape_uv * np.clip(1.0 - ((v - F32(self.vc * 0.55)) / F32(self.vc * 0.55)) ** 2, 0, 1)
        curl = np.clip((F32(self.u_post + 50.0) - u) / F32(50.0), 0.0, 1.0) ** 2  # posterior wing turns toward the SI joint
        mid = F32(self.flare) * np.maximum(v, 0.0) * shape_uv + F32(17.0) * bowl - F32(16.0) * curl
        t = (F32(3.8) + F32(8.0) * np.exp(-depth_in / F32(4.0)) + F32(10.0) * np.clip((F32(-5.0) - v) / F32(30.0), 0.0, 1.0)
             + F32(5.0) * np.clip((F32(-30.0) - u) / F32(30.0), 0.0, 1.0))
        plate = np.abs(w - mid) - t / 2
        return smax(plate, od, 3.0)


def _point_on_segment_at(a: np.ndarray, b: np.ndarray, fr: Frame, y_local: float) -> np.ndarray:
    """The point of the line a-b whose local y (in ``fr``) is ``y_local``."""
    ya, yb = fr.local_point(a)[1], fr.local_point(b)[1]
    t = (y_local - ya) / (yb - ya)
    return a + t * (b - a)


def _smooth_tube(points, widths, heights, k: float, closed: bool = False, per: int = 4) -> Shape:
    """A tube along a Catmull-Rom curve through ``points`` (a smooth arc, not straight pieces between
    them), its half-width and half-height interpolated between the points' values."""
    pts = np.asarray(points, float)
    widths, heights = list(widths), list(heights)
    if closed:
        curve = _closed_spline(pts, per)
        curve = np.vstack([curve, curve[:1]])
        widths, heights = widths + widths[:1], heights + heights[:1]
    else:
        ends = np.vstack([2 * pts[0] - pts[1], pts, 2 * pts[-1] - pts[-2]])
        curve = np.array([c for i in range(len(pts) - 1) for c in _catmull_rom(ends[i:i + 4], per)] + [pts[-1]])
    at = np.linspace(0.0, len(widths) - 1, len(curve))
    w = np.interp(at, np.arange(len(widths)), widths)
    h = np.interp(at, np.arange(len(heights)), heights)
    return rod_chain(list(curve), list(w), list(h), k=k)


def _catmull_rom(p: np.ndarray, per: int) -> list[np.ndarray]:
    """``per`` samples of the Catmull-Rom segment from p[1] to p[2] (p[0], p[3]: its neighbours)."""
    p0, p1, p2, p3 = p
    out = []
    for t in np.linspace(0, 1, per, endpoint=False):
        t2, t3 = t * t, t * t * t
        out.append(0.5 * ((2 * p1) + (-p0 + p2) * t + (2 * p0 - 5 * p1 + 4 * p2 - p3) * t2 + (-p0 + 3 * p1 - 3 * p2 + p3) * t3))
    return out


def _closed_spline(pts: np.ndarray, per: int) -> np.ndarray:
    """Periodic Catmull-Rom curve through ``pts`` with ``per`` samples per segment."""
    n = len(pts)
    return np.array([c for i in range(n) for c in _catmull_rom(np.array([pts[(i + j - 1) % n] for j in range(4)]), per)])


def build_spine_joints():
    from .spine import build_spine

    return build_spine().joints["L5-S1"]


@lru_cache(maxsize=1)
def build_sacropelvis() -> SacroPelvis:
    return SacroPelvis()
