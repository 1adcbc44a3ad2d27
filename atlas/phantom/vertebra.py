"""Subaxial vertebrae (C3-L5): every part in the vertebra's own frame.

Local axes: origin at the centre of the body, x to the patient's left, y
posterior, z cranial along the body axis.  Dimensions come from
:mod:`parameters`; the shape constants below (exponents, thicknesses, how far a
process reaches relative to another) are approximated from anatomy texts and
tuned by eye against radiographs: they are not published figures.

A vertebra exposes ``parts`` (named shapes, for zones and measurements),
``bone`` (their union, with the facet joints cut) and ``points`` (named local
points, from which :mod:`landmarks` makes world landmarks).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import parameters as P
from .facets import SIDES, FacetJoint, LowerDims
from .sdf import (
    F32,
    Complement,
    Ellipsoid,
    Frame,
    HalfSpace,
    Intersect,
    Local,
    RoundBox,
    Rod,
    Shape,
    Subtract,
    Union,
    smax,
    unit,
)


@dataclass(frozen=True)
class RegionShape:
    """Shape constants per region (approximated)."""

    p_anterior: float  # superellipse exponent of the body's anterior half
    p_posterior: float
    posterior_concavity: float  # mm, how far the mid posterior wall is set in
    waist: float  # fractional narrowing of the body at mid-height
    endplate_concavity: float  # mm
    rim: float  # rounding of the body rims, mm
    isthmus_offset: float  # pedicle isthmus behind the posterior body wall, mm
    pedicle_into_body: float
    pedicle_behind: float
    pedicle_top_gap: float  # superior endplate to the pedicle's upper border, mm
    lamina_thickness: float
    lamina_tilt: float  # degrees; the lower edge lies posterior to the upper edge
    lamina_reach_below: float  # lamina's lower edge below the posterior inferior body corner, mm
    spinous_half_width: tuple[float, float]  # base, tip
    spinous_half_height: tuple[float, float]
    tp_half_depth: tuple[float, float]
    tp_half_height: tuple[float, float]
    sap_half: tuple[float, float]  # half-width, half-depth
    sap_rise: float  # SAP tip above the joint centre
    iap_half: tuple[float, float]
    iap_drop: float  # IAP tip below the joint centre


SHAPES = {
    "lumbar": RegionShape(2.3, 3.6, 2.0, 0.07, 1.6, 2.0, 4.0, 9.0, 6.0, 2.0, 6.5, 22.0, 4.0,
                          (2.6, 3.8), (10.5, 9.0), (3.0, 2.6), (6.5, 3.5), (6.0, 4.2), 4.5, (6.5, 5.5), 10.0),
    "thoracic": RegionShape(2.2, 3.0, 1.5, 0.05, 1.0, 1.5, 2.5, 6.0, 4.0, 0.4, 5.5, 35.0, 5.0,
                            (2.4, 3.0), (5.5, 4.0), (4.5, 3.5), (5.0, 4.0), (4.5, 3.0), 5.5, (4.5, 3.2), 6.5),
    "cervical": RegionShape(3.4, 3.4, 0.8, 0.03, 0.9, 1.2, 3.0, 8.0, 3.0, 1.5, 3.5, 42.0, 4.0,
                            (2.9, 2.2), (4.5, 3.2), (2.8, 2.0), (3.0, 2.0), (6.5, 5.5), 3.5, (6.0, 5.5), 4.0),
}


# The lumbar superior articular process behind its facet: (mm along the joint axis from the joint centre,
# thickness in mm), a plate that thickens toward its root beside the pedicle (the broad base of the Scotty
# dog's ear) and tapers toward its tip; at the level of the disc it stays about 6 mm thick, so that Kambin's
# triangle keeps its width and a 45 degree oblique path to the L4-L5 disc passes in front of it
# (approximated)
LUMBAR_SAP_PROFILE = ((-7.0, 11.0), (-3.5, 8.0), (-1.5, 6.2), (2.5, 6.2), (6.0, 6.5), (12.0, 3.0))
# ... cut from a rod rising from the pedicle-lamina junction to the tip, with half-sizes (across, along the
# depth) at the base and at the tip in units of the region's sap_half: broad at the root and tapering
# toward the tip, so that on an oblique view the ear of the Scotty dog is a broad-based, pointed triangle
# rather than a thin stick (approximated)
LUMBAR_SAP_ROD = (1.5, 1.8, 1.1, 1.2)
LUMBAR_PARS_HALF = (3.5, 4.5)  # mm, half-width and half-depth of the lumbar pars bar (approximated)
# C3-C6 transverse processes: the anterior and posterior roots are slender bars round the foramen transversarium
# and the tubercles small knobs (this scales the roots' heights and the tubercles' sizes); seen end-on on a
# lateral view, taller bars and larger knobs made bright blobs over the vertebral bodies (approximated)
CERVICAL_TP_SCALE = 0.7
# The lumbar interlaminar window (all approximated, set so that a squared AP view shows the classic
# window: laminae above in an inverted V, the next laminae below, the articular processes at the sides,
# the spinous process above projecting into its apex with a midline gap below it):
LUMBAR_LAMINA_TOP = -4.0  # mm, upper lamina border relative to the top of the pedicle
LUMBAR_LAMINA_BELOW = 2.0  # mm, lower lamina border (beside the facets) below the inferior endplate
LUMBAR_LAMINA_RISE = 6.0  # mm the lower lamina border rises from the lateral lamina to the midline
LUMBAR_SPINOUS_UP = 3.0  # mm the spinous process springs above the middle of the lamina
LUMBAR_TUBERCLE_DOWN = 0.7  # reach of the spinous tubercle below the tip, in tip half-heights
# L5 spinous process (all approximated): the smallest lumbar one, a plate about 15 mm high (L1-L4 about
# 21 mm) whose thickened posterior border (tubercle) keeps the height out to the tip. It is boxed in: its
# upper border by the midline L4-L5 interlaminar window and the L4 spinous process above (lumbar lordosis
# brings the tips together), its lower border by the squared AP ray through the midline L5-S1 window,
# which rises posteriorly in the L5 frame. A taller process, or one sloping further caudally, closes one
# of the two windows.
L5_SPINOUS_SCALE = 0.75  # height scale at the tip (of the lumbar spinous_half_height)
L5_SPINOUS_BASE_SCALE = 0.72  # height scale where it springs from the laminae
L5_TUBERCLE_DOWN = 0.45  # reach of the L5 tubercle below the tip, in tip half-heights


def _sub(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.asarray(a, float) - np.asarray(b, float)


class SubaxialVertebra:
    def __init__(self, name: str, frame: Frame, joint_above: dict[str, FacetJoint] | None,
                 joint_below: dict[str, FacetJoint] | None):
        self.name = name
        self.p = P.VERTEBRAE[name]
        self.region = self.p.region
        self.frame = frame
        self.rs = SHAPES[self.region]
        self.joint_above = joint_above or {}
        self.joint_below = joint_below or {}
        self.parts: dict[str, Shape] = {}
        self.points: dict[str, np.ndarray] = {}  # local coordinates
        self._build()

    # -- helpers --------------------------------------------------------
    def W(self, local) -> np.ndarray:
        return self.frame.point(local)

    def local_of(self, world) -> np.ndarray:
        return self.frame.local_point(world)

    def sub_frame(self, local_origin, x_axis, z_axis) -> Frame:
        z = unit(z_axis)
        x = unit(np.asarray(x_axis, float) - z * np.dot(x_axis, z))
        y = np.cross(z, x)
        return Frame(self.W(local_origin), np.array([x, y, z]) @ self.frame.axes)

    @property
    def dims(self) -> LowerDims:
        p = self.p
        return LowerDims(self.region, p.endplate_depth, p.body_height_posterior, p.canal_width, p.canal_depth, p.pedicle_width)

    def half_height(self, y):
        p = self.p
        D = p.endplate_depth
        return 0.5 * (p.body_height_anterior + (p.body_height_posterior - p.body_height_anterior) * (y + D / 2) / D)

    # -- body -------------------------------------------------------------
    def _body(self) -> Shape:
        p, rs = self.p, self.rs
        a, b = F32(p.endplate_width / 2), F32(p.endplate_depth / 2)
        Ha, Hp, D = p.body_height_anterior, p.body_height_posterior, p.endplate_depth
        pa, pp, pc = F32(rs.p_anterior), F32(rs.p_posterior), F32(rs.posterior_concavity)
        waist, conc, rim = F32(rs.waist), F32(rs.endplate_concavity), rs.rim
        m = float(min(a, b))
        cervical = self.region == "cervical"

        def fn(x, y, z):
            post = y > 0
            # concave posterior wall: mid-sagittal depth stays D, the posterolateral corners reach back by pc
            yc = np.where(post, y + pc * (np.exp(-((x / (0.45 * a)) ** 2)) - 1.0), y)
            pexp = np.where(post, pp, pa)
            rn = (np.abs(x / a) ** pexp + np.abs(yc / b) ** pexp) ** (1.0 / pexp)
            hh = F32(0.5) * (F32(Ha) + F32(Hp - Ha) * (y + F32(D / 2)) / F32(D))
            zn = np.clip(z / hh, -1.0, 1.0)
            s = 1.0 - waist * (1.0 - zn * zn)
            fr = (rn - s) * F32(m)
            dip = conc * np.clip(1.0 - rn * rn, 0.0, 1.0)
            if cervical:  # superior endplate concave side to side (uncinate processes)
                top = hh - dip * 0.5 + F32(1.2) * np.clip(np.abs(x / a) - 0.55, 0, 1) ** 2 * 6
                bot = -hh + dip
            else:
                top = hh - dip
                bot = -hh + dip
            fz = np.maximum(z - top, bot - z)
            return smax(fr, fz, rim)

        ext = np.array([a + 2, b + 3, max(Ha, Hp) / 2 + 3])
        return Local(self.frame, fn, -ext, ext)

    # -- posterior elements ------------------------------------------------
    def _build(self) -> None:
        p, rs = self.p, self.rs
        D, Hp = p.endplate_depth, p.body_height_posterior
        body = self._body()
        self.parts["body"] = body
        bone_parts: list[Shape] = [body]
        zp = Hp / 2 - rs.pedicle_top_gap - p.pedicle_height / 2  # pedicle centre height
        if self.region == "cervical":
            zp = min(zp, 1.0)
        self.points["body-centre"] = np.zeros(3)
        self.points["superior-endplate"] = np.array([0.0, 0.0, Hp / 2 * 0.98])
        self.points["inferior-endplate"] = np.array([0.0, 0.0, -Hp / 2 * 0.98])
        # lateral ends of the endplates (on an AP view the centre lies under the spinous process): on the
        # rim 2.5 mm inside the lateral cortex, mid-depth
        hh0 = float(self.half_height(0.0))
        for side, s in SIDES.items():
            self.points[f"{side}.superior-endplate.lateral"] = np.array([s * (p.endplate_width / 2 - 2.5), 0.0, hh0 * 0.97])
            self.points[f"{side}.inferior-endplate.lateral"] = np.array([s * (p.endplate_width / 2 - 2.5), 0.0, -hh0 * 0.97])
        self.points["body-anterior"] = np.array([0.0, -D / 2, 0.0])
        self.points["body-posterior"] = np.array([0.0, D / 2, 0.0])
        lam_mid_y = D / 2 + p.canal_depth + rs.lamina_thickness / 2
        lam_top = zp + p.pedicle_height / 2 + (1.0 if self.region != "cervical" else 2.0)
        lam_bot = -Hp / 2 - rs.lamina_reach_below
        if self.region == "lumbar":
            lam_top = zp + p.pedicle_height / 2 + LUMBAR_LAMINA_TOP
            lam_bot = -Hp / 2 - LUMBAR_LAMINA_BELOW
        lam_zc = 0.5 * (lam_top + lam_bot)
        sp_base = np.array([0.0, lam_mid_y + 1.0, lam_zc + (LUMBAR_SPINOUS_UP if self.region == "lumbar" else 0.0)])
        for side, s in SIDES.items():
            tan_a = np.tan(np.radians(p.pedicle_transverse_angle))
            tan_a = np.tan(np.radians(p.pedicle_transverse_angle))
            # isthmus centre placed so that the medial pedicle wall just behind the body (where the
            # interpedicular distance is measured on an AP radiograph) lies at half the canal width
            cos_a = np.cos(np.radians(p.pedicle_transverse_angle))
            xi = s * (p.canal_width / 2 + p.pedicle_width / 2 / cos_a + (rs.isthmus_offset - 0.5) * tan_a)
            yi = D / 2 + rs.isthmus_offset
            isthmus = np.array([xi, yi, zp])
            axis = unit(np.array([s * tan_a, 1.0, 0.0]))
            ant = isthmus - axis * (rs.pedicle_into_body + rs.isthmus_offset)
            post = isthmus + axis * rs.pedicle_behind
            hw, hh = p.pedicle_width / 2, p.pedicle_height / 2
            ped = Union([
                Rod(self.W(isthmus), self.W(ant), hw - 0.1, hh, hw * 1.06, hh * 1.15, up=self.frame.vector([0, 0, 1])),
                Rod(self.W(isthmus), self.W(post), hw - 0.1, hh, hw * 1.3, hh * 1.2, up=self.frame.vector([0, 0, 1])),
            ], k=0.8)
            self.parts[f"{side}.pedicle"] = ped
            bone_parts.append(ped)
            self.points[f"{side}.pedicle"] = isthmus
            self.points[f"{side}.pedicle-top"] = isthmus + np.array([0, 0, hh])
            self.points[f"{side}.pedicle-bottom"] = isthmus - np.array([0, 0, hh])
            # medial cortex where the canal is narrowest (just behind the body): the medial border of the
            # pedicle's ring on an AP view, and the interpedicular distance of the table
            self.points[f"{side}.pedicle-medial"] = np.array([s * (p.canal_width / 2 + 0.6), D / 2 + 1.0, zp])
            self.points[f"{side}.pedicle-lateral"] = isthmus + np.array([s * hw, 0, 0])
            self.points[f"{side}.pedicle-entry"] = post + axis * 2.0 + np.array([0, 0, 0])
            pillar = post + np.array([s * 1.0, 1.5, 0.0])
            self.points[f"{side}.pillar"] = pillar
            # lamina: a plate from the pillar to the midline, lower edge tilted back
            lam_lat = np.array([pillar[0] - s * 2.0, pillar[1] + 2.5, lam_zc])
            lam_med = np.array([0.0, lam_mid_y, lam_zc])
            along = _sub(lam_med, lam_lat)
            length = float(np.linalg.norm(along))
            tilt = np.radians(rs.lamina_tilt)
            zdir = np.array([0.0, -np.sin(tilt), np.cos(tilt)])
            lam = RoundBox(self.sub_frame((lam_lat + lam_med) / 2, along, zdir),
                           (length / 2 + 2.5, rs.lamina_thickness / 2, (lam_top - lam_bot) / 2 / np.cos(tilt)),
                           r=min(rs.lamina_thickness / 2 - 0.2, 2.5))
            rise = 0.0
            if self.region == "lumbar":
                # the lower borders of the two laminae rise toward the spinous process (the "inverted V" over
                # the interlaminar window on an AP view): cut below a line from the lateral lamina up to the
                # spinolaminar junction (rise approximated)
                rise = LUMBAR_LAMINA_RISE
                xl = abs(lam_lat[0])
                n_cut = self.frame.vector([-s * rise / xl, 0.0, -1.0])
                lam = Intersect(lam, HalfSpace(self.W([0.0, lam_mid_y, lam_bot + rise]), n_cut), k=1.0)
            self.parts[f"{side}.lamina"] = lam
            bone_parts.append(lam)
            self.points[f"{side}.lamina"] = (lam_lat + lam_med) / 2 + np.array([0, rs.lamina_thickness / 2, 0])
            x_inf = length * 0.35
            z_inf = lam_bot + (rise * (1.0 - x_inf / abs(lam_lat[0])) if rise else 0.0)
            self.points[f"{side}.lamina-inferior"] = np.array([s * x_inf, lam_mid_y + np.tan(tilt) * (lam_zc - z_inf), z_inf + 1.0])
            self.points[f"{side}.lamina-superior"] = np.array([s * length * 0.35, lam_mid_y - np.tan(tilt) * (lam_top - lam_zc), lam_top - 1.0])
            self._transverse_process(side, s, pillar, zp)
            self._articular_processes(side, s, pillar, zp, lam_bot, lam_mid_y)
        self._spinous(sp_base, lam_bot)
        if self.region == "cervical":
            self._uncinate()
        self.bone_parts = bone_parts
        union_parts = [self.parts[k] for k in self.parts if k != "body" and not k.endswith("foramen-transversarium")]
        bone = Union([body] + union_parts, k=1.6 if self.region != "cervical" else 1.0)
        for side in SIDES:
            ft = self.parts.get(f"{side}.foramen-transversarium")
            if ft is not None:
                bone = Subtract(bone, ft, k=0.8)
            notch = self._pars_notch(side)
            if notch is not None:
                bone = Subtract(bone, notch, k=1.5)
        self.bone = bone

    def _pars_notch(self, side: str) -> Shape | None:
        """Lumbar pars interarticularis: the lateral border of the lamina is concave between the pedicle
        and the inferior articular process (the Scotty dog's neck)."""
        if self.region != "lumbar":
            return None
        s = SIDES[side]
        pil = self.points[f"{side}.pillar"]
        ped_bottom = self.points[f"{side}.pedicle-bottom"]
        c = np.array([pil[0] + s * 2.0, pil[1] + 3.0, ped_bottom[2] - 7.5])
        return Rod(self.W(c - np.array([0, 9.0, 0])), self.W(c + np.array([0, 9.0, 0])), 4.0, 4.0, up=self.frame.vector([0, 0, 1]))

    def _transverse_process(self, side: str, s: float, pillar: np.ndarray, zp: float) -> None:
        p, rs = self.p, self.rs
        up = self.frame.vector([0, 0, 1])
        if self.region == "lumbar":
            # the tips rise a little at L4 and L5; the stout L5 process stays at the level of its pedicle, its
            # upper border below the L4-L5 disc, so the posterolateral corridor to that disc passes above it
            lift = {"L1": 0.0, "L2": 0.0, "L3": 0.0, "L4": 4.0, "L5": 1.0}[self.name]
            # from the pedicle-lamina junction the process runs laterally and a little forward, in front of
            # the articular processes, its tip level with the back of the pedicle (drawn proportions): on a 30
            # degree oblique it projects past the outline of the body as the Scotty dog's nose. L1-L4: a slender
            # plate whose height halves toward the tip (half sizes in the shape table), compact bone like the arch
            root = np.array([pillar[0] - s * 1.0, pillar[1] - 3.0, zp + (1.0 if self.name != "L5" else -2.0)])
            tip = np.array([s * p.transverse_process_span / 2, pillar[1] - 5.0, zp + lift])
            d0, h0 = rs.tp_half_depth[0], rs.tp_half_height[0]
            d1, h1 = rs.tp_half_depth[1], rs.tp_half_height[1]
            if self.name == "L5":
                d0, h0, d1, h1 = 5.5, 6.5, 4.5, 5.5
            tp = Rod(self.W(root), self.W(tip), d0, h0, d1, h1, up=up)
            parts = [tp]
            if self.name == "L5":  # the L5 transverse process also springs from the body
                parts.append(Rod(self.W([s * (p.endplate_width / 2 - 4), p.endplate_depth / 2 - 6, zp - 3.0]),
                                 self.W(tip * 0.8 + root * 0.2), 5.0, 6.0, 4.5, 5.5, up=up))
            self.parts[f"{side}.transverse-process"] = Union(parts, k=2.0)
            self.points[f"{side}.transverse-process"] = 0.5 * (root + tip)
            self.points[f"{side}.tp-tip"] = tip
            self.points[f"{side}.tp-root"] = root
            self.points[f"{side}.tp-superior"] = root * 0.7 + tip * 0.3 + np.array([0, 0, (0.7 * h0 + 0.3 * h1) * 0.9])
        elif self.region == "thoracic":
            root = np.array([pillar[0], pillar[1] - 1.0, zp + 2.0])
            back = 6.0 + 8.0 * (int(self.name[1:]) / 12.0)
            tip = np.array([s * p.transverse_process_span / 2, pillar[1] + back, zp + 3.0])
            scale = 1.0 if int(self.name[1:]) <= 10 else 0.7
            tp = Rod(self.W(root), self.W(tip), rs.tp_half_depth[0] * scale, rs.tp_half_height[0] * scale,
                     rs.tp_half_depth[1] * scale, rs.tp_half_height[1] * scale, up=up)
            self.parts[f"{side}.transverse-process"] = tp
            self.points[f"{side}.transverse-process"] = 0.5 * (root + tip)
            self.points[f"{side}.tp-tip"] = tip
            self.points[f"{side}.tp-root"] = root
            self.points[f"{side}.costotransverse-facet"] = tip + np.array([-s * 3.0, -4.0, 0.0])
        else:
            self._cervical_tp(side, s, pillar, zp)

    def _cervical_tp(self, side: str, s: float, pillar: np.ndarray, zp: float) -> None:
        """Cervical transverse process.  C3-C6: a trough open above (the gutter for the spinal nerve)
        whose anterior root (costal element) springs from the side of the body and ends in the anterior
        tubercle, and whose posterior root springs from the pedicle-pillar junction and ends in the
        posterior tubercle; the two roots and the costotransverse lamella between them enclose the
        foramen transversarium lateral to the pedicle.  At C6 the anterior (carotid, Chassaignac)
        tubercle is the largest of the column.  C7: a long posterior root with a slender anterior root
        and a small foramen.  Thicknesses and tubercle sizes are approximated."""
        p = self.p
        up = self.frame.vector([0, 0, 1])
        W2, D = p.endplate_width / 2, p.endplate_depth
        span = p.transverse_process_span / 2
        big_anterior = self.name == "C6"
        ped = self.points[f"{side}.pedicle"]
        ft_c = np.array([s * (W2 + 7.0), D / 2 - 6.5, zp])  # foramen transversarium centre
        ant_root0 = np.array([s * (W2 - 1.5), -D / 2 + 6.0, zp - 0.5])
        ant_tub = np.array([s * (span - 4.0), -D / 2 + (1.0 if big_anterior else 3.0), zp - 2.0])
        post_root0 = np.array([ped[0] + s * 1.5, ped[1] - 1.0, zp])
        post_tub = np.array([s * span, D / 2 + 2.5, zp - 2.5])
        if self.name == "C7":
            parts = [
                Rod(self.W(post_root0), self.W([s * span, D / 2 + 3.0, zp + 1.0]), 3.2, 4.0, 2.6, 3.6, up=up),
                # slender anterior root round the front of the small foramen (which carries only the
                # vertebral veins: the artery enters at C6), joining the posterior root lateral to it
                Rod(self.W(ant_root0), self.W(ft_c + np.array([s * 0.5, -3.6, -0.5])), 1.4, 1.8, 1.3, 1.6, up=up),
                Rod(self.W(ft_c + np.array([s * 0.5, -3.6, -0.5])), self.W(ft_c + np.array([s * 4.0, 5.0, 0.0])), 1.3, 1.6, 1.6, 2.0, up=up),
            ]
            ft_r = 2.0
            self.parts[f"{side}.transverse-process"] = Union(parts, k=1.5)
        else:
            ft_r = 3.0
            fx, fy = float(ft_c[0]), float(ft_c[1])
            # anterior root: from the side of the body, in front of the foramen, out to the anterior tubercle
            a0 = np.array([s * (W2 - 1.0), fy - 3.0, zp - 0.5])
            a1 = np.array([fx + s * 1.0, fy - ft_r - 1.8, zp - 1.0])
            # posterior root: from the pedicle, behind the foramen, out to the posterior tubercle
            p0 = np.array([fx - s * 2.5, fy + ft_r + 2.2, zp])
            p1 = np.array([fx + s * 2.5, fy + ft_r + 2.0, zp - 1.0])
            # medial wall: the side of the body and the front of the pedicle, medial to the foramen
            m0 = np.array([fx - s * (ft_r + 1.5), fy + 2.0, zp])
            # costotransverse lamella: the floor of the gutter, lateral to the foramen; its medial end rises to
            # the roots' level, so that an axial slice through the foramen shows a closed bony ring
            l0 = np.array([fx + s * (ft_r - 0.5), fy, zp - 1.5])
            l1 = 0.5 * (ant_tub + post_tub) + np.array([-s * 1.5, 0.0, -0.8])
            k = CERVICAL_TP_SCALE
            ta = tuple(k * t for t in ((4.2, 4.6, 5.5) if big_anterior else (2.6, 3.0, 3.8)))  # anterior tubercle half-sizes (x, y, z)

            def bar(a, b, wa, ha, wb, hb):  # the heights scaled: the widths keep the ring round the foramen closed
                return Rod(self.W(a), self.W(b), wa, k * ha, wb, k * hb, up=up)

            parts = [
                Union([bar(a0, a1, 2.3, 3.2, 2.0, 3.0), bar(a1, ant_tub, 2.0, 3.0, 2.2, 3.0)], k=1.2),
                Union([bar(p0, p1, 2.4, 3.2, 2.2, 3.0), bar(p1, post_tub, 2.2, 3.0, 2.4, 3.2)], k=1.2),
                bar(a0, m0, 2.0, 3.2, 2.0, 3.2),
                Rod(self.W(l0), self.W(l1), 4.2, 2.4, 3.6, 1.5, up=up),
                Ellipsoid(self.sub_frame(ant_tub + np.array([s * 0.5, -0.5, -0.5]), [1, 0, 0], [0, 0, 1]), ta),
                Ellipsoid(self.sub_frame(post_tub, [1, 0, 0], [0, 0, 1]), tuple(k * t for t in (2.8, 3.0, 3.8))),
            ]
            self.parts[f"{side}.transverse-process"] = Union(parts, k=1.5)
        self.parts[f"{side}.foramen-transversarium"] = Rod(self.W(ft_c + np.array([0, 0, -6])), self.W(ft_c + np.array([0, 0, 6])), ft_r, ft_r, up=self.frame.vector([0, 1, 0]))
        self.points[f"{side}.foramen-transversarium"] = ft_c
        self.points[f"{side}.anterior-tubercle"] = ant_tub + np.array([0, -2.0, 0])
        self.points[f"{side}.posterior-tubercle"] = post_tub
        self.points[f"{side}.tp-tip"] = post_tub
        self.points[f"{side}.body-tp-junction"] = np.array([s * (W2 - 0.5), -D / 2 + 5.5, zp - 0.5])
        self.points[f"{side}.transverse-process"] = 0.5 * (ant_tub + post_tub)

    def _articular_processes(self, side: str, s: float, pillar: np.ndarray, zp: float, lam_bot: float, lam_mid_y: float) -> None:
        rs = self.rs
        up = self.frame.vector([0, 0, 1])
        ja = self.joint_above.get(side)
        jb = self.joint_below.get(side)
        if self.region == "cervical" and ja is not None and jb is not None:
            self._cervical_pillar(side, s, ja, jb)
            return
        if ja is not None:  # superior articular process, cut by the joint above
            jc = self.local_of(ja.centre)
            n = self.frame.axes @ ja.normal
            base = np.array([pillar[0], pillar[1] + 0.5, zp + self.p.pedicle_height / 2 - 1.0])
            if self.region == "lumbar":  # rises from the pedicle-lamina junction medial to the transverse process root
                base[0] -= s * 3.0
            tip = jc - n * (rs.sap_half[1] * 0.9) + np.array([0, 0, rs.sap_rise])
            k = LUMBAR_SAP_ROD if self.region == "lumbar" else (1.15, 1.25, 1.0, 1.0)
            blob = Rod(self.W(base), self.W(tip), rs.sap_half[0] * k[0], rs.sap_half[1] * k[1], rs.sap_half[0] * k[2], rs.sap_half[1] * k[3],
                       up=self.frame.vector([0, 1, 0]))
            mid = 0.5 * (base + tip)
            parts: list[Shape] = [blob]
            if self.region == "cervical":  # the articular pillar's upper half
                parts.append(Ellipsoid(self.sub_frame(jc - n * 4.5 + np.array([0, 0, -1.5]), [1, 0, 0], [0, 0, 1]), (6.0, 6.0, 4.5)))
            if self.region == "lumbar":
                # a curved plate about 7 mm thick behind its facet (approximated), so that the posterolateral
                # corridor to the disc (Kambin's triangle) opens lateral to it; the small mammillary process
                # sits on its posterior border
                sap = Intersect(blob, ja.sap_plate(LUMBAR_SAP_PROFILE), k=1.5)
                mam = Ellipsoid(self.sub_frame(mid + np.array([s * 2.5, 4.5, -2.0]), [1, 0, 0], [0, 0, 1]), (3.4, 3.0, 4.5))
                sap = Intersect(Union([sap, mam], k=1.5), ja.sap_side(), k=0.6)
            else:
                sap = Intersect(Union(parts, k=1.5), ja.sap_side(), k=0.6)
            self.parts[f"{side}.sap"] = sap
            self.points[f"{side}.sap"] = tip - np.array([0, 0, rs.sap_rise * 0.5])
            self.points[f"{side}.sap-tip"] = tip + np.array([0, 0, rs.sap_half[1] * 0.6])
            self.points[f"{side}.sap-base"] = base
            if self.region == "lumbar":
                tp_root = self.points.get(f"{side}.tp-root")
                self.points[f"{side}.sap-tp-junction"] = np.array([base[0] + s * 3.5, base[1] - 1.5, tp_root[2] + 6.0])
        if jb is not None:  # inferior articular process, cut by the joint below
            jc = self.local_of(jb.centre)
            n = self.frame.axes @ jb.normal
            base = np.array([jc[0] + (-s * 1.0 if self.region == "lumbar" else 0.0), lam_mid_y - 2.0 if self.region == "lumbar" else jc[1] + 2.0, lam_bot + 4.0])
            if self.region == "cervical":
                base = np.array([jc[0], jc[1] + 3.0, jc[2] + 7.0])
            tip = jc + n * (rs.iap_half[1] * 0.8) - np.array([0, 0, rs.iap_drop])
            blob = Rod(self.W(base), self.W(tip), rs.iap_half[0] * 1.1, rs.iap_half[1] * 1.2, rs.iap_half[0], rs.iap_half[1], up=self.frame.vector([0, 1, 0]))
            parts = [blob]
            if self.region == "cervical":
                parts.append(Ellipsoid(self.sub_frame(jc + n * 4.5 + np.array([0, 0, 1.0]), [1, 0, 0], [0, 0, 1]), (6.0, 6.0, 4.5)))
            iap = Intersect(Union(parts, k=1.5), jb.iap_side(), k=0.6)
            self.parts[f"{side}.iap"] = iap
            self.points[f"{side}.iap"] = tip + np.array([0, 0, rs.iap_drop * 0.4])
            self.points[f"{side}.iap-tip"] = tip - np.array([0, 0, rs.iap_half[1] * 0.6])
            if self.region in ("lumbar", "thoracic"):
                # pars interarticularis: the lateral lamina between the SAP and the IAP
                pil = self.points[f"{side}.pillar"]
                self.points[f"{side}.pars"] = np.array([0.55 * pil[0] + 0.45 * base[0], 0.5 * (pil[1] + base[1]) + 2.0, 0.5 * (zp + base[2]) - 2.0])
            if self.region == "lumbar":
                # the pars itself: a thick bar of compact bone from under the pedicle down to the inferior
                # articular process, thicker than the lamina it joins (the Scotty dog's neck; approximated)
                top = np.array([pil[0] + s * 0.5, pil[1] + 1.0, zp - self.p.pedicle_height / 2 - 0.5])
                self.parts[f"{side}.pars"] = Rod(self.W(top), self.W(base + np.array([0.0, 0.0, 2.0])), *LUMBAR_PARS_HALF,
                                                 up=self.frame.vector([0, 1, 0]))

    def _cervical_pillar(self, side: str, s: float, ja: FacetJoint, jb: FacetJoint) -> None:
        """Articular pillar (lateral mass): one rhomboid block between the joint above and the joint
        below, cut by both joint surfaces, with the waist carved on its posterior and lateral faces."""
        ca, cb = self.local_of(ja.centre), self.local_of(jb.centre)
        centre = 0.5 * (ca + cb)
        axis = ca - cb
        half = 0.5 * float(np.linalg.norm(axis)) + 5.0
        box = RoundBox(self.sub_frame(centre, [1, 0, 0], axis), (5.8, 6.0, half), r=2.5)
        waist_post = Rod(self.W(centre + np.array([-9.0, 9.0, 0.0])), self.W(centre + np.array([9.0, 9.0, 0.0])), 5.5, 5.5,
                         up=self.frame.vector([0, 0, 1]))
        waist_lat = Rod(self.W(centre + np.array([s * 9.2, -8.0, 0.0])), self.W(centre + np.array([s * 9.2, 8.0, 0.0])), 5.5, 5.5,
                        up=self.frame.vector([0, 0, 1]))
        pillar = Subtract(Subtract(box, waist_post, k=1.5), waist_lat, k=1.5)
        pillar = Intersect(Intersect(pillar, ja.sap_side(), k=0.5), jb.iap_side(), k=0.5)
        # connect the pillar to the pedicle and the lamina
        ped = self.points[f"{side}.pedicle"]
        bridge = Rod(self.W(ped + np.array([s * 0.5, 1.0, 0.0])), self.W(centre + np.array([-s * 1.0, -2.0, 0.0])), 3.0, 4.0, up=self.frame.vector([0, 0, 1]))
        self.parts[f"{side}.pillar"] = Union([pillar, bridge], k=1.5)
        upper = HalfSpace(self.W(centre), self.frame.vector(axis))  # field > 0 above the centre
        self.parts[f"{side}.sap"] = Intersect(pillar, Complement(upper), k=0.0)
        self.parts[f"{side}.iap"] = Intersect(pillar, upper, k=0.0)
        self.points[f"{side}.articular-pillar"] = centre
        self.points[f"{side}.articular-pillar-waist"] = centre + np.array([s * 5.0, 3.0, 0.0])
        if self.name == "C7":  # at C7 the medial branch crosses high on the pillar, near the tip of the SAP
            self.points[f"{side}.medial-branch"] = centre + 0.6 * (ca - centre) * np.array([0.0, 1.0, 1.0]) + np.array([s * 6.0, 1.5, 0.0])
        else:
            self.points[f"{side}.medial-branch"] = centre + np.array([s * 6.5, 2.0, 0.0])
        self.points[f"{side}.sap"] = ca - (self.frame.axes @ ja.normal) * 3.5
        self.points[f"{side}.sap-tip"] = ca - (self.frame.axes @ ja.normal) * 2.0 + np.array([0, -3.0, 2.0])
        self.points[f"{side}.iap"] = cb + (self.frame.axes @ jb.normal) * 3.5
        self.points[f"{side}.iap-tip"] = cb + (self.frame.axes @ jb.normal) * 2.0 + np.array([0, 3.0, -2.0])

    def _spinous(self, base: np.ndarray, lam_bot: float) -> None:
        p, rs = self.p, self.rs
        slope = np.radians(p.spinous_slope)
        length = p.spinous_length - (base[1] - (p.endplate_depth / 2 + p.canal_depth))
        tip = base + np.array([0.0, np.cos(slope), -np.sin(slope)]) * length
        up = self.frame.vector([0, 0, 1])
        w0, w1 = rs.spinous_half_width
        h0, h1 = rs.spinous_half_height
        if self.name == "L5":  # the smallest lumbar spinous process (approximated)
            h0, h1 = h0 * L5_SPINOUS_BASE_SCALE, h1 * L5_SPINOUS_SCALE
        if self.region == "lumbar":
            # hatchet: a thin plate whose sides converge (no walls parallel to an AP beam),
            # ending in a thick posterior border (the tubercle that makes the AP "teardrop")
            parts: list[Shape] = [Rod(self.W(base), self.W(tip - np.array([0, 2.0, 0])), 3.3, h0, 2.9, h1 * 1.1, up=up)]
            edge = tip + np.array([0, 0.5, 0])
            down = L5_TUBERCLE_DOWN if self.name == "L5" else LUMBAR_TUBERCLE_DOWN
            parts.append(Rod(self.W(edge + np.array([0, -2.0, h1 * 0.9])), self.W(edge + np.array([0, 0.5, -h1 * down])),
                             3.9, 3.6, 3.5, 3.8, up=self.frame.vector([0, 1, 0])))
        elif self.region == "cervical":
            # a flat plate, tall where it springs from the laminae and tapering to the tip (a triangle on
            # the lateral view, not a finger), wide where the laminae meet and narrowing backward (a wedge
            # in an axial slice); bifid at C3-C6, a thick non-bifid tubercle at C7
            bifid = self.name in ("C3", "C4", "C5", "C6")
            end = tip - np.array([0, 4.5 if bifid else 1.5, 0.0])
            parts = [Rod(self.W(base + np.array([0, 1.5, 0.5])), self.W(end), w0, h0 + 2.4, w1 * (1.1 if bifid else 1.0), h1 * 0.9, up=up, p=3.5)]
        else:
            parts = [Rod(self.W(base), self.W(tip), w0, h0, w1, h1, up=up)]
        cleft = None
        if self.region == "cervical" and self.name in ("C3", "C4", "C5", "C6"):
            # bifid tip: two tubercles diverging backward, with the cleft for the nuchal ligament between them
            for s in (1.0, -1.0):
                parts.append(Rod(self.W(tip - np.array([s * -0.8, 5.5, -0.5])), self.W(tip + np.array([s * 4.2, 0.8, -1.2])), 2.0, 3.0, 2.1, 2.7, up=up))
            cleft = Ellipsoid(self.sub_frame(tip + np.array([0.0, 1.5, -0.8]), [1, 0, 0], [0, 0, 1]), (1.6, 3.2, 5.0))
        if self.name in ("C7", "T1"):
            parts.append(Ellipsoid(self.sub_frame(tip, [1, 0, 0], [0, 0, 1]), (4.5, 4.0, 4.5)))
        spine = Union(parts, k=1.5)
        if cleft is not None:
            spine = Subtract(spine, cleft, k=0.8)
        self.parts["spinous-process"] = spine
        self.points["spinous-process"] = 0.5 * (base + tip)
        self.points["spinous-tip"] = tip + np.array([0.0, w1 * 0.8, 0.0])
        self.points["spinous-base"] = base
        self.points["lamina-junction"] = base - np.array([0.0, 2.0, 0.0])

    def _uncinate(self) -> None:
        p = self.p
        up = self.frame.vector([0, 0, 1])
        W2, D, Hp = p.endplate_width / 2, p.endplate_depth, p.body_height_posterior
        for side, s in SIDES.items():
            a = np.array([s * (W2 - 1.8), -D / 2 + 4.0, Hp / 2 + 0.5])
            b = np.array([s * (W2 - 1.8), D / 2 - 2.5, Hp / 2 + 1.5])
            self.parts[f"{side}.uncinate-process"] = Rod(self.W(a), self.W(b), 1.6, 2.8, 1.8, 3.2, up=up)
            self.points[f"{side}.uncinate-process"] = 0.5 * (a + b) + np.array([0, 0, 2.0])
