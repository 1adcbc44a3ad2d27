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

from . import parameters as P
from .alignment import build_alignment
from .facets import SIDES
from .sdf import (
    F32,
    Ellipsoid,
    Frame,
    HalfSpace,
    Intersect,
    Local,
    RoundBox,
    Rod,
    Shape,
    Sphere,
    Subtract,
    Union,
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
# Foramina between segments k and k+1 (S1..S4): distance from the midline (mm) and radius.
_FORAMEN_X = [27.0, 24.0, 21.0, 18.0]
_FORAMEN_R = [5.2, 4.5, 3.8, 3.0]
_POST_FORAMEN_X = [22.0, 20.0, 18.0, 15.5]
_POST_FORAMEN_R = [4.2, 3.6, 3.0, 2.4]


@dataclass
class SIJoint:
    side: str
    centre: np.ndarray
    normal: np.ndarray  # from the sacrum toward the ilium
    gap: float = 2.5

    def field(self, X, Y, Z):
        c, n = self.centre.astype(F32), self.normal.astype(F32)
        # gently curved (ilium convex toward the sacrum): radius 120 mm about a vertical-ish axis
        d = (X - c[0]) * n[0] + (Y - c[1]) * n[1] + (Z - c[2]) * n[2]
        t = (Y - c[1]) - d * n[1]
        return d - F32(1.0 / 240.0) * t * t

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
        canal_shapes: list[Shape] = []
        for k in range(5):
            fr = self.seg(k)
            L = lengths[k]
            hw, d = _BODY_HALF_W[k], _BODY_DEPTH[k]
            body = RoundBox(fr, (hw, d / 2, L / 2 + 0.5), r=min(5.0, hw / 2.2))
            body = Intersect(body, Ellipsoid(fr.moved([0, 0, 0]), (hw * 1.18, d / 2 * 1.3, L)), k=2.0)
            parts.append(body)
            # lateral masses (alae at S1) with a rounded lateral border
            reach, cw, cd = _LATERAL_REACH[k], _CANAL_HALF_W[k], _CANAL_DEPTH[k]
            y_back = d / 2 + cd + _DORSAL_WALL[k]
            y_front = -d / 2 + 4.0 + 2.0 * k
            for side, s in SIDES.items():
                x_in = hw - 4.0
                cx = s * 0.5 * (x_in + reach)
                top_drop = 4.0 if k == 0 else 0.0
                lm = RoundBox(fr.moved([cx, 0.5 * (y_front + y_back), -top_drop / 2]),
                              (0.5 * (reach - x_in), 0.5 * (y_back - y_front), L / 2 + 1.5 - top_drop / 2), r=6.0)
                if k == 0:  # ala: its upper surface slopes down laterally and is smooth
                    ala_cut = HalfSpace(fr.point([s * 30.0, 0, L / 2 - 1.0]), fr.vector([s * 0.28, 0.0, 1.0]))
                    lm = Intersect(lm, ala_cut, k=5.0)
                if k <= 2:
                    lm = Intersect(lm, self.si[side].sacral_side(), k=1.0)
                parts.append(lm)
            # dorsal wall: fused laminae, open below S4 (the hiatus)
            if k <= 3:
                wall = RoundBox(fr.moved([0, d / 2 + cd + _DORSAL_WALL[k] / 2, 0.5 if k < 3 else 3.0]),
                                (cw + 5.0, _DORSAL_WALL[k] / 2, (L / 2 + 1.5) if k < 3 else L / 2 - 2.0), r=_DORSAL_WALL[k] / 2 - 0.3)
                parts.append(wall)
                # median sacral crest (fused spinous tubercles)
                parts.append(Rod(fr.point([0, y_back - 1.0, L / 2 - 3.0]), fr.point([0, y_back + 7.0 - k, -2.0]), 3.0, 5.5, 2.5, 4.0,
                                 up=fr.vector([0, 0, 1]), p=3.0))
                # intermediate crests (fused articular processes)
                for side, s in SIDES.items():
                    parts.append(Rod(fr.point([s * (cw + 4.0), y_back - 1.0, L / 2]), fr.point([s * (cw + 3.0), y_back, -L / 2]), 3.2, 3.0, up=fr.vector([1, 0, 0])))
            canal = RoundBox(fr.moved([0, d / 2 + cd / 2, 0]), (cw, cd / 2, L / 2 + 3.0), r=min(cd / 2 - 0.5, 5.0))
            canal_shapes.append(canal)
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
        # sacral cornua beside the hiatus (S5 inferior articular processes)
        fr5 = self.seg(4)
        for side, s in SIDES.items():
            a = fr5.point([s * 8.0, _BODY_DEPTH[4] / 2 + 7.0, 6.0])
            b = fr5.point([s * 7.0, _BODY_DEPTH[4] / 2 + 9.0, -5.0])
            parts.append(Rod(a, b, 2.6, 2.6, 2.4, 2.0, up=fr5.vector([0, 1, 0])))
            self.points[f"S5.{side}.cornu"] = b + fr5.vector([0, 2.0, 0])
        sacrum = Union(parts, k=2.5)
        for c in canal_shapes:
            sacrum = Subtract(sacrum, c, k=1.5)
        # foramina: anterior (out of the pelvic surface) and posterior (dorsal surface)
        for k in range(4):
            f_up, f_dn = self.seg(k), self.seg(k + 1)
            for side, s in SIDES.items():
                c_up = f_up.point([0, 0, -lengths[k] / 2])
                c_dn = f_dn.point([0, 0, lengths[k + 1] / 2])
                mid = 0.5 * (c_up + c_dn)
                fr = Frame(mid, 0.5 * (f_up.axes + f_dn.axes))
                fr = Frame(mid, np.array([unit(fr.axes[0]), unit(fr.axes[1]), unit(fr.axes[2])]))
                d = _BODY_DEPTH[k]
                fx = s * _FORAMEN_X[k]
                canal_pt = fr.point([s * (_CANAL_HALF_W[k] - 2.0), d / 2 + _CANAL_DEPTH[k] / 2, 0])
                ant_out = fr.point([fx + s * 4.0, -d / 2 - 6.0, -2.0])
                ant = Rod(canal_pt, ant_out, _FORAMEN_R[k], _FORAMEN_R[k] * 1.1, up=fr.vector([0, 0, 1]))
                pfx = s * _POST_FORAMEN_X[k]
                post_out = fr.point([pfx, d / 2 + _CANAL_DEPTH[k] + _DORSAL_WALL[k] + 6.0, 1.0])
                post = Rod(fr.point([pfx * 0.9, d / 2 + _CANAL_DEPTH[k] * 0.6, 0]), post_out, _POST_FORAMEN_R[k], _POST_FORAMEN_R[k] * 1.15,
                           up=fr.vector([0, 0, 1]))
                sacrum = Subtract(sacrum, Union([ant, post], k=1.0), k=0.8)
                lvl = f"S{k + 1}"
                self.points[f"{lvl}.{side}.anterior-foramen"] = fr.point([fx, -d / 2 + 1.0, -1.0])
                self.points[f"{lvl}.{side}.posterior-foramen"] = fr.point([pfx, d / 2 + _CANAL_DEPTH[k] + _DORSAL_WALL[k] - 1.0, 1.0])
                self.points[f"{lvl}.{side}.foramen"] = fr.point([0.5 * (fx + pfx), d / 2 + 2.0, 0.0])
        self.parts["sacrum"] = sacrum
        fr1 = self.seg(0)
        self.points["S1.superior-endplate"] = self.al.s1_endplate.frame.origin.copy()
        self.points["sacral-promontory"] = fr1.point([0, -_BODY_DEPTH[0] / 2, 15.0])
        self.points["S1.body-centre"] = fr1.origin.copy()
        for side, s in SIDES.items():
            self.points[f"S1.{side}.ala"] = fr1.point([s * 42.0, 0.0, 8.0])
            self.points[f"S1.{side}.pedicle"] = fr1.point([s * (_CANAL_HALF_W[0] + 5.0), _BODY_DEPTH[0] / 2 + 3.0, 5.0])
        fr4, fr5 = self.seg(3), self.seg(4)
        self.points["sacral-hiatus"] = fr5.point([0, _BODY_DEPTH[4] / 2 + 3.0, 4.0])
        self.points["sacral-hiatus.apex"] = fr4.point([0, _BODY_DEPTH[3] / 2 + _CANAL_DEPTH[3] + 3.0, -6.0])
        self.points["sacral-canal.S3"] = self.seg(2).point([0, _BODY_DEPTH[2] / 2 + _CANAL_DEPTH[2] / 2, 0])
        self.points["sacral-canal.S2"] = self.seg(1).point([0, _BODY_DEPTH[1] / 2 + _CANAL_DEPTH[1] / 2, 0])
        self.points["S2.body-centre"] = self.seg(1).origin.copy()
        self.points["S3.body-centre"] = self.seg(2).origin.copy()
        self.points["dural-sac-end"] = self.seg(1).point([0, _BODY_DEPTH[1] / 2 + _CANAL_DEPTH[1] / 2, 0.0])

    def _coccyx(self) -> None:
        parts = []
        for i, pose in enumerate(self.al.coccyx):
            fr = pose.frame
            hw = [9.0, 7.0, 5.5, 4.0][i]
            hh = [4.5, 4.0, 3.5, 3.0][i]
            parts.append(Ellipsoid(fr, (hw, 5.0 - i * 0.6, hh)))
            if i == 0:
                for s in (1.0, -1.0):  # coccygeal cornua and transverse processes
                    parts.append(Rod(fr.point([s * 4.0, 3.0, 2.0]), fr.point([s * 6.0, 5.0, 7.0]), 1.8, 1.8, up=fr.vector([0, 1, 0])))
                    parts.append(Rod(fr.point([0, 0, 0]), fr.point([s * 14.0, 0.0, 1.0]), 2.5, 2.5, 1.5, 1.5, up=fr.vector([0, 0, 1])))
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
            "crest-summit": sl + np.array([s * (half - 8.0), 30.0, 52.0]),
            "crest-lateral": sl + np.array([s * half, -8.0, 48.0]),
            "iliac-tubercle": sl + np.array([s * (half - 4.0), -42.0, 30.0]),
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
        up = np.array([0.0, 0.0, 1.0])
        crest_pts = [k["psis"], k["posterior-crest"], k["crest-summit"], k["crest-lateral"], k["iliac-tubercle"], k["asis"]]
        crest = rod_chain(crest_pts, [6.0, 7.0, 6.5, 6.0, 7.5, 5.5], [8.0, 7.0, 6.0, 6.0, 7.0, 6.0], up=(0, 0, 1), k=3.0,
                          ups=[np.array([0.0, 0.0, 1.0])] * 5)
        # the wing: a fan of thin plates from the supra-acetabular body to the crest
        hub = k["acetabulum"] + np.array([0.0, 10.0, 30.0])
        wing_parts = []
        for i, c in enumerate(crest_pts[1:]):
            centre = 0.5 * (hub + c)
            n = unit(np.cross(c - hub, k["crest-summit"] - k["asis"] if i < 3 else k["crest-lateral"] - k["psis"]))
            wing_parts.append(Rod(hub, c, 2.6, 16.0, 1.6, 18.0, up=np.cross(n, unit(c - hub))))
        wing = Union(wing_parts, k=6.0)
        # iliac pillar (thick buttress from the acetabulum up to the tubercle) and the sciatic buttress
        pillar = Rod(k["acetabulum"] + np.array([0, 0, 18.0]), k["iliac-tubercle"] - np.array([0, 0, 6.0]), 8.0, 10.0, 5.0, 7.0, up=(0, 1, 0))
        buttress = Rod(k["acetabulum"] + np.array([0, 12.0, 16.0]), k["pis"], 11.0, 12.0, 9.0, 12.0, up=(0, 0, 1))
        # posterior ilium: auricular part and tuberosity, cut by the SI joint
        si = self.si[side]
        post = Union([
            Ellipsoid(Frame(si.centre + si.normal * 12.0 + np.array([0, 10.0, 4.0]), np.eye(3)), (16.0, 24.0, 30.0)),
            Rod(k["psis"], si.centre + si.normal * 10.0 + np.array([0, 0, 10.0]), 9.0, 10.0, 12.0, 12.0, up=(0, 0, 1)),
            Rod(k["posterior-crest"], si.centre + si.normal * 14.0 + np.array([0, -5.0, 20.0]), 8.0, 9.0, 10.0, 10.0, up=(0, 0, 1)),
        ], k=5.0)
        post = Intersect(post, si.iliac_side(), k=1.0)
        # ischium and pubis around the obturator foramen; acetabular socket
        ischium = rod_chain([k["acetabulum"] + np.array([0, 8.0, -10.0]), k["ischial-spine"] * 0.3 + k["ischial-tuberosity"] * 0.7,
                             k["ischial-tuberosity"]], [12.0, 9.0, 10.0], [10.0, 9.0, 11.0], k=3.0)
        spine_ = Rod(k["acetabulum"] * 0.4 + k["ischial-tuberosity"] * 0.6 + np.array([0, 12.0, 18.0]), k["ischial-spine"], 5.0, 6.0, 2.0, 2.5)
        inf_ramus = Rod(k["ischial-tuberosity"] + np.array([0, -8.0, 2.0]), k["symphysis"] + np.array([s * 10.0, 4.0, -14.0]), 5.0, 7.0, 4.5, 7.0, up=(0, 1, 0))
        sup_ramus = Rod(k["iliopubic"], k["pubic-tubercle"], 8.0, 9.0, 7.0, 9.0, up=(0, 0, 1))
        pubic_body = Rod(k["pubic-tubercle"], k["symphysis"] + np.array([0, 0, -14.0]), 8.0, 14.0, 7.0, 18.0, up=(0, 0, 1))
        acet_mass = Ellipsoid(Frame(k["acetabulum"] + np.array([-s * 2.0, 4.0, 0.0]), np.eye(3)), (22.0, 30.0, 30.0))
        brim = rod_chain([si.point(up=-15.0, back=-8.0, out=6.0), k["brim-posterior"] * 0.5 + k["iliopubic"] * 0.5, k["iliopubic"]],
                         [5.0, 4.5, 6.0], [5.0, 4.5, 6.0], k=3.0)
        ilium = Union([crest, wing, pillar, buttress, post, ischium, spine_, inf_ramus, sup_ramus, pubic_body, acet_mass, brim], k=4.0)
        socket = Sphere(k["acetabulum"] + np.array([s * 12.0, 0.0, -6.0]), 27.0)
        ilium = Subtract(ilium, socket, k=1.0)
        self.parts[f"{side}.hip-bone"] = ilium
        nm = {"psis": "psis", "asis": "asis", "crest-summit": "iliac-crest", "ischial-spine": "ischial-spine",
              "ischial-tuberosity": "ischial-tuberosity", "sciatic-notch": "greater-sciatic-notch", "acetabulum": "acetabulum"}
        for key, name in nm.items():
            self.points[f"pelvis.{side}.{name}"] = k[key]
        # SI joint landmarks: the injection target is the posterior, inferior third of the joint line
        self.points[f"SIJ.{side}.centre"] = si.centre.copy()
        self.points[f"SIJ.{side}.inferior-third"] = si.point(up=-22.0, back=14.0)
        self.points[f"SIJ.{side}.superior"] = si.point(up=18.0, back=6.0)
        self.points[f"SIJ.{side}.posterior-inferior"] = si.point(up=-26.0, back=20.0)

    def _femur(self, side: str) -> None:
        s = SIDES[side]
        k = self.key_points(s)
        head_c = k["acetabulum"] + np.array([s * 12.0, 0.0, -6.0])
        neck_end = head_c + np.array([s * 42.0, 4.0, -26.0])
        troch = neck_end + np.array([s * 10.0, 10.0, 10.0])
        shaft_top = neck_end + np.array([s * 4.0, 2.0, -12.0])
        shaft_bot = shaft_top + np.array([-s * 12.0, -4.0, -120.0])
        femur = Union([
            Sphere(head_c, 24.0),
            Rod(head_c, neck_end, 15.0, 17.0, 14.0, 18.0, up=(0, 0, 1)),
            Ellipsoid(Frame(troch, np.eye(3)), (12.0, 14.0, 18.0)),
            Rod(shaft_top, shaft_bot, 16.0, 15.0, 13.5, 13.5, up=(0, 1, 0)),
            Ellipsoid(Frame(neck_end + np.array([-s * 6.0, -6.0, -22.0]), np.eye(3)), (8.0, 8.0, 8.0)),  # lesser trochanter
        ], k=5.0)
        self.parts[f"{side}.femur"] = femur
        self.points[f"femur.{side}.head"] = head_c
        self.points[f"femur.{side}.greater-trochanter"] = troch


def build_spine_joints():
    from .spine import build_spine

    return build_spine().joints["L5-S1"]


@lru_cache(maxsize=1)
def build_sacropelvis() -> SacroPelvis:
    return SacroPelvis()
