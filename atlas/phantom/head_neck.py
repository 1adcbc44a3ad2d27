"""Head and neck: skull, face, airway, neck organs, vessels, muscles, cervical roots.

Placed relative to C1, C2 and the cervical vertebrae so that the neck follows
the cervical lordosis.  The face is built with the mouth closed (teeth just
apart, the tongue filling the oral cavity), as for most cervical views, or
wide open for open-mouth and transoral views of C1-C2; landmarks and zones of
the face (incisors, mandible, oral cavity) are those of the open mouth.
Sizes are typical adult values, approximated from anatomy and radiology texts.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import tissues as T
from .anatomy import Structure
from .craniocervical import build_craniocervical
from .facets import SIDES
from .sdf import (
    F32,
    Ellipsoid,
    Frame,
    Intersect,
    Local,
    Offset,
    RoundBox,
    Rod,
    Shape,
    Subtract,
    Union,
    rod_chain,
    rot_x,
)
from .spine import build_spine
from .spine_curves import y_at

NECK_BOTTOM = 440.0
# the mouth wide open for open-mouth and transoral views: the mandible turned about 27 degrees about the
# temporomandibular axis, an incisal gap of about 50 mm (a wide adult opening, approximated)
JAW_OPENING = 27.0
MOUTHS = ("closed", "open")
CROWN_HEIGHT = 7.0  # tooth crown standing above the alveolar crest, from the tooth's mid-length (drawn)
_NECK = np.array([  # z offset from C7 body centre, half-width, AP depth, skin behind the spinous tips
    [-10.0, 74.0, 150.0, 14.0],
    [20.0, 61.0, 136.0, 22.0],
    [55.0, 57.0, 126.0, 32.0],
    [95.0, 60.0, 126.0, 40.0],
    [130.0, 62.0, 132.0, 45.0],
])


class NeckOutline(Shape):
    def __init__(self, inset: float = 0.0):
        sp = build_spine()
        self.z7 = float(sp.alignment.vertebrae["C7"].frame.origin[2])
        self.inset = float(inset)
        self.z_hi = self.z7 + 130.0
        self.bbox = (np.array([-90.0, -180.0, NECK_BOTTOM - 20]), np.array([90.0, 120.0, self.z_hi + 10]))

    def __call__(self, X, Y, Z):
        dz = Z - F32(self.z7)
        hw = np.interp(dz, _NECK[:, 0], _NECK[:, 1]).astype(F32) - F32(self.inset)
        ap = np.interp(dz, _NECK[:, 0], _NECK[:, 2]).astype(F32)
        behind = np.interp(dz, _NECK[:, 0], _NECK[:, 3]).astype(F32)
        y_post = y_at("tip", Z) + behind - F32(self.inset)
        b = ap / 2 - F32(self.inset)
        yc = y_post - b
        yn = (Y - yc) / b
        rn = (np.abs(X / hw) ** 2.4 + np.abs(yn) ** 2.4) ** (1 / 2.4)
        f = (rn - 1.0) * np.minimum(hw, b)
        return np.maximum(f, np.maximum(F32(NECK_BOTTOM - 10) - Z, Z - F32(self.z_hi)))


class NeckSheet(Shape):
    """A muscle sheet under the skin of the neck: between ``d0`` and ``d1`` mm deep, within an angular
    sector (0 degrees the front midline, 90 the side ``s``, 180 the back midline), below ``z1``."""

    def __init__(self, neck: "NeckOutline", s: float, d0: float, d1: float, th0: float, th1: float, z1: float):
        self.neck, self.s, self.d0, self.d1 = neck, float(s), float(d0), float(d1)
        self.th0, self.th1, self.z1 = np.radians(th0), np.radians(th1), float(z1)
        lo, hi = neck.bbox
        self.bbox = (np.array([lo[0] if s < 0 else -10.0, -60.0, lo[2]]), np.array([10.0 if s < 0 else hi[0], hi[1], z1 + 4.0]))

    def __call__(self, X, Y, Z):
        dz = Z - F32(self.neck.z7)
        ap = np.interp(dz, _NECK[:, 0], _NECK[:, 2]).astype(F32)
        behind = np.interp(dz, _NECK[:, 0], _NECK[:, 3]).astype(F32)
        yc = y_at("tip", Z) + behind - ap / 2
        f = self.neck(X, Y, Z)
        band = np.maximum(f + F32(self.d0), -(f + F32(self.d1)))
        th = np.arctan2(X * F32(self.s), yc - Y)
        r = np.sqrt(X * X + (Y - yc) ** 2)
        ang = np.maximum(F32(self.th0) - th, th - F32(self.th1)) * r
        return np.maximum(band, np.maximum(ang, Z - F32(self.z1)) * F32(0.8))


class HeadNeck:
    def __init__(self, mouth: str = "open"):
        if mouth not in MOUTHS:
            raise ValueError(mouth)
        self.mouth = mouth
        self.jaw_opening = JAW_OPENING if mouth == "open" else 0.0
        sp = build_spine()
        self.sp = sp
        self.cc = build_craniocervical()
        al = sp.alignment
        self.f1 = al.c1.frame
        self.structures: list[Structure] = []
        self.points: dict[str, np.ndarray] = {}
        self.zones: dict[str, Shape] = {}
        c1 = self.f1.origin
        self.c1 = c1
        self._outline()
        self._skull()
        self._face()
        self._airway_and_organs()
        self._vessels()
        self._thyroid()
        self._muscles()
        self._masticators()
        self._roots()

    def add(self, name, shape, tissue, group, detail=False, sub=0, zone=True):
        self.structures.append(Structure(name, shape, tissue, group, detail=detail, sub=sub))
        if zone:
            self.zones[name] = shape

    def vert(self, name):
        return self.sp.vertebrae[name]

    # -- outline ------------------------------------------------------------------------
    def _outline(self) -> None:
        c1 = self.c1
        self.head_c = c1 + np.array([0.0, -12.0, 78.0])
        head = Ellipsoid(Frame(self.head_c, np.eye(3)), (78.0, 100.0, 92.0))
        face = Ellipsoid(Frame(c1 + np.array([0.0, -78.0, -6.0]), np.eye(3)), (62.0, 72.0, 66.0))
        self.neck = NeckOutline()
        # the jaw: the cheeks over the rami and the masseters, so that the skin lies well outside the mandible
        jaw = Ellipsoid(Frame(c1 + np.array([0.0, -42.0, -6.0]), np.eye(3)), (60.0, 40.0, 46.0))
        self.face = Union([face, jaw], k=18.0)
        outline = Union([self.neck, head, face, jaw], k=18.0)
        self.outline = outline  # fat and skin are drawn once for the whole body (soft_tissue.body_outline)

    # -- skull ---------------------------------------------------------------------------
    def _skull(self) -> None:
        c1 = self.c1
        hc = self.head_c
        outer = Ellipsoid(Frame(hc, np.eye(3)), (71.0, 92.0, 85.0))
        inner = Ellipsoid(Frame(hc, np.eye(3)), (64.5, 85.5, 78.5))
        # cranial floor: lowest at the foramen magnum, rising forward to the anterior fossa and back to
        # the internal occipital protuberance
        y0, z0 = float(c1[1]) + 3.0, float(c1[2]) + 20.0

        def floor_fn(x, y, z):
            return F32(z0) + F32(0.0056) * (y - F32(y0)) ** 2 + F32(0.002) * x * x - z

        base = Local(Frame.identity(), floor_fn, np.array([-120.0, -250.0, z0 - 10.0]), np.array([120.0, 150.0, z0 + 200.0]))
        vault = Intersect(Subtract(outer, inner, k=0.5), base, k=3.0)
        brain = Intersect(inner, base, k=2.0)
        self.add("brain", brain, T.BRAIN, "organ", sub=1)
        # the skull base is represented by the occipital bone, clivus and mastoids (craniocervical module);
        # a continuous floor plate seen edge-on drew an unnatural arc over C1 on lateral views
        skull = Union([vault, self.cc.parts["occiput"]], k=3.0)
        self.add("skull", skull, T.SKULL_BONE, "bone", detail=True)
        condyles = self.cc.parts["occipital-condyles"]  # a zone through the craniocervical parts
        self.structures.append(Structure("occipital-condyles", condyles, T.CERVICAL_BONE, "bone", detail=True, sub=0.5, dense=condyles))
        self.points["skull.vertex"] = hc + np.array([0.0, 0.0, 85.0])

    # -- face: maxilla, palate, teeth, mandible (mouth open), tongue, oral air -----------------
    def _arch(self, z: float, scale: float = 1.0) -> list[np.ndarray]:
        c1 = self.c1
        y0 = c1[1]
        pts = []
        for x, y in [(-25, -80), (-23, -92), (-20, -104), (-15, -114), (-8, -121), (0, -123), (8, -121), (15, -114), (20, -104), (23, -92), (25, -80)]:
            pts.append(np.array([x * scale, y0 + y * (0.97 + 0.03 * scale), z]))
        return pts

    def _face(self) -> None:
        c1 = self.c1
        z_occ = c1[2] - 2.0  # upper occlusal plane, about the level of the C1 arch
        up = np.array([0.0, 0.0, 1.0])
        # maxilla: alveolar process, hard palate, body with the maxillary sinuses
        arch = self._arch(z_occ + 10.0)
        # alveolar process: its crest at the necks of the teeth, so the crowns (about 8 mm, drawn) stand free
        alveolus = rod_chain([p + np.array([0.0, 0.0, CROWN_HEIGHT]) for p in arch], [6.0] * 11, [7.0] * 11, k=3.0)
        palate = RoundBox(Frame(c1 + np.array([0.0, -98.0, z_occ + 16.0 - c1[2]]), np.eye(3)), (22.0, 26.0, 3.0), r=2.0)
        body = RoundBox(Frame(c1 + np.array([0.0, -100.0, z_occ + 33.0 - c1[2]]), np.eye(3)), (36.0, 24.0, 17.0), r=9.0)
        sinuses = Union([Ellipsoid(Frame(c1 + np.array([s * 24.0, -98.0, z_occ + 34.0 - c1[2]]), np.eye(3)), (14.0, 17.0, 16.0)) for s in (1, -1)])
        nasal = Ellipsoid(Frame(c1 + np.array([0.0, -92.0, z_occ + 40.0 - c1[2]]), np.eye(3)), (10.0, 38.0, 24.0))
        maxilla = Subtract(Subtract(Union([alveolus, palate, body], k=4.0), sinuses, k=1.5), nasal, k=1.5)
        self.add("maxilla", maxilla, T.SKULL_BONE, "bone", detail=True, sub=1)
        self.add("maxillary-sinus", sinuses, T.AIR, "air")
        self.add("nasal-cavity", nasal, T.AIR, "air", sub=1)
        for s, side in ((1.0, "L"), (-1.0, "R")):
            self.points[f"maxillary-sinus.{side}"] = c1 + np.array([s * 24.0, -98.0, z_occ + 34.0 - c1[2]])
            self.points[f"transmaxillary-entry.{side}"] = c1 + np.array([s * 30.0, -120.0, z_occ + 30.0 - c1[2]])
        upper_teeth = [Rod(p + np.array([0, 0, 8.0]), p - np.array([0, 0, 8.0]), 3.2 if abs(p[0]) < 17 else 4.8, 3.8, 2.8, 3.8) for p in arch]
        self.add("teeth.upper", Union(upper_teeth, k=0.5), T.TOOTH, "tooth", detail=True)
        # mandible: body, rami and condyles, then turned open about the temporomandibular axis
        tmj = c1 + np.array([0.0, -22.0, 26.0])
        R = rot_x(self.jaw_opening)  # rows-as-axes, applied as p @ R: the chin swings down and back
        def rot(p):  # noqa: E306
            return tmj + (np.asarray(p, float) - tmj) @ R
        low_arch = self._arch(z_occ - 10.0, 0.97)
        # body of the mandible below the lower teeth: the alveolar crest at the necks of the teeth, the
        # roots in the bone, the lower border about 28 mm below the crest (drawn proportions)
        body_line = [rot(p - np.array([0.0, 0.0, CROWN_HEIGHT + 6.0])) for p in low_arch]
        mand_body = rod_chain(body_line, [6.5] * 11, [14.0] * 11, k=4.0, ups=[rot(up + tmj) - tmj] * 10)
        parts = [mand_body]
        for s, side in ((1.0, "L"), (-1.0, "R")):
            angle = np.array([s * 46.0, c1[1] - 58.0, z_occ - 28.0])
            cond = np.array([s * 48.0, c1[1] - 22.0, tmj[2]])
            corn = np.array([s * 42.0, c1[1] - 48.0, tmj[2] - 4.0])
            parts.append(Rod(rot(low_arch[0 if s < 0 else -1] + np.array([0, 6.0, -10.0])), rot(angle), 6.0, 12.0, 5.0, 10.0))
            parts.append(Rod(rot(angle), rot(cond - np.array([0, 0, 8.0])), 4.5, 13.0, 4.0, 9.0, up=(0, 1, 0)))
            parts.append(Ellipsoid(Frame(rot(cond), np.eye(3)), (9.0, 5.0, 5.5)))
            parts.append(Rod(rot(angle + np.array([0, -6.0, 20.0])), rot(corn), 3.5, 6.0, 2.5, 3.0, up=(0, 1, 0)))
            self.points[f"mandible.{side}.angle"] = rot(angle)
            self.points[f"mandible.{side}.condyle"] = rot(cond)
        mandible = Union(parts, k=4.0)
        self.add("mandible", mandible, T.SKULL_BONE, "bone", detail=True, sub=2)
        lower_teeth = [Rod(rot(p + np.array([0, 0, -8.0])), rot(p + np.array([0, 0, 8.0])), 3.2 if abs(p[0]) < 17 else 4.8, 3.8, 2.8, 3.8) for p in low_arch]
        self.add("teeth.lower", Union(lower_teeth, k=0.5), T.TOOTH, "tooth", detail=True, sub=1)
        self.points["mandible.symphysis"] = rot(low_arch[5] + np.array([0, -2.0, -20.0]))
        self.points["incisors.upper"] = arch[5] - np.array([0, 0, 8.0])
        self.points["incisors.lower"] = rot(low_arch[5] + np.array([0, 0, 8.0]))
        self.points["oropharynx.posterior-wall"] = self.cc.points["C2.body-anterior"] + np.array([0.0, -5.0, 6.0])
        self.points["transoral-entry"] = c1 + np.array([0.0, -104.0, z_occ - 8.0 - c1[2]])
        if self.mouth == "closed":
            # at rest the tongue fills the oral cavity, its dorsum against the palate; no air in the mouth
            tongue = Ellipsoid(Frame(c1 + np.array([0.0, -86.0, z_occ - 6.0 - c1[2]]), np.eye(3)), (24.0, 34.0, 18.0))
            self.add("tongue", tongue, T.TONGUE, "organ", sub=2)
            return
        # tongue on the floor of the open mouth; air in the oral cavity above it
        tongue = Ellipsoid(Frame(rot(c1 + np.array([0.0, -88.0, z_occ - 22.0 - c1[2]])), np.eye(3)), (24.0, 34.0, 16.0))
        self.add("tongue", tongue, T.TONGUE, "organ", sub=2)
        # the open mouth: air between the dental arches out to the cheeks (about 65 mm across, drawn) and from
        # under the palate down to the depressed tongue, its sides rounded so that it thins toward the cheeks;
        # on the open-mouth view the C1 lateral masses and the lateral atlanto-axial joints are seen through it
        mouth = RoundBox(Frame(c1 + np.array([0.0, -98.0, z_occ - 13.0 - c1[2]]), np.eye(3)), (33.0, 28.0, 19.0), r=12.0)
        # in plan the cavity follows the dental arch: full width at the molars, narrowing to the lips in
        # front (a U, not a box), so that an AP ray beside the midline crosses the mouth only behind the
        # premolars and the C1 lateral masses stand out from the air over the dens (drawn proportions)
        plan = Ellipsoid(Frame(c1 + np.array([0.0, -78.0, z_occ - 13.0 - c1[2]]), np.eye(3)), (34.0, 48.0, 80.0))
        mouth = Intersect(mouth, plan, k=3.0)
        solid = Union([tongue, self.zones["teeth.upper"], self.zones["teeth.lower"], maxilla, mandible], k=1.0)
        oral = Subtract(mouth, Offset(solid, 1.0), k=2.0)
        self.add("oral-cavity", oral, T.AIR, "air", sub=2)

    def _masticators(self) -> None:
        """The muscles of mastication on each side of the face, so that an AP ray beside the mouth crosses
        soft tissue, not fat alone: the masseter on the outer face of the ramus, the medial pterygoid on its
        inner face, the lateral pterygoid from the neck of the condyle forward.  Their lower ends follow the
        open jaw; they give way to the jaw, the airway and the carotid sheath (sizes and attachments drawn)."""
        c1 = self.c1
        tmj_z = c1[2] + 26.0
        z = self.zones
        keep_clear = Union([Offset(z["mandible"], 0.5), Offset(z["pharynx"], 1.0)]
                           + [Offset(z[f"{n}.{side}"], 1.0) for n in ("carotid", "jugular", "sternocleidomastoid") for side in SIDES], k=0.5)
        under_skin = Offset(self.outline, -4.0)
        for s, side in ((1.0, "L"), (-1.0, "R")):
            angle, cond = self.points[f"mandible.{side}.angle"], self.points[f"mandible.{side}.condyle"]
            zygoma = np.array([s * 52.0, cond[1] - 16.0, tmj_z - 2.0])
            masseter = Rod(zygoma, angle + np.array([s * 6.5, 3.0, 6.0]), 5.5, 14.0, 5.0, 11.0, up=(0, 1, 0))
            fossa = np.array([s * 19.0, c1[1] - 40.0, tmj_z - 8.0])
            medial = Rod(fossa, angle + np.array([-s * 6.0, 2.0, 8.0]), 5.0, 9.0, 4.5, 8.0, up=(0, 1, 0))
            plate = np.array([s * 21.0, c1[1] - 50.0, tmj_z - 6.0])
            lateral = Rod(cond + np.array([-s * 4.0, -3.0, -7.0]), plate, 5.0, 6.0, 4.5, 6.0, up=(0, 0, 1))
            for name, shape in ((f"masseter.{side}", masseter), (f"medial-pterygoid.{side}", medial),
                                (f"lateral-pterygoid.{side}", lateral)):
                self.add(name, Intersect(Subtract(shape, keep_clear, k=1.0), under_skin, k=1.0), T.MUSCLE, "muscle", sub=1.5)
        # the rest of the face below the skull base is not fat alone: the cheeks' muscles, the buccal pad, the
        # parotid and submandibular glands and the fibrous tissue round them average a little above water
        # (drawn as one soft tissue, with the subcutaneous fat kept under the skin)
        deep_face = Union([self.face] + [Ellipsoid(Frame(np.array([s * 44.0, c1[1] - 28.0, c1[2] + 2.0]), np.eye(3)), (16.0, 24.0, 34.0))
                                         for s in (1.0, -1.0)], k=8.0)
        below_skull_base = RoundBox(Frame(np.array([0.0, c1[1] - 60.0, c1[2] - 10.0]), np.eye(3)), (90.0, 110.0, 44.0), r=4.0)
        self.add("face-soft-tissue", Intersect(Intersect(deep_face, below_skull_base, k=4.0), Offset(self.outline, -6.0), k=2.0),
                 T.FACE_SOFT_TISSUE, "fat", sub=1, zone=False)

    # -- airway, oesophagus, thyroid -----------------------------------------------------------
    def _airway_and_organs(self) -> None:
        c1 = self.c1
        v = {n: self.vert(n) for n in ("C3", "C4", "C5", "C6", "C7")}

        def ant(name, dy, dz=0.0, dx=0.0):
            vv = v[name]
            return vv.W(np.array([dx, -vv.p.endplate_depth / 2 - dy, dz]))

        c2a = self.cc.points["C2.body-anterior"]
        pharynx = rod_chain([c1 + np.array([0.0, -44.0, 22.0]), c1 + np.array([0.0, -36.0, 2.0]), c2a + np.array([0, -13.0, -4.0]),
                             ant("C3", 14.0), ant("C4", 14.0)], [9.0, 8.0, 6.0, 6.0, 6.0], [16.0, 15.0, 15.0, 14.0, 12.0], k=4.0,
                            ups=[np.array([1.0, 0.0, 0.0])] * 4)
        self.add("pharynx", pharynx, T.AIR, "air", sub=3)
        larynx = rod_chain([ant("C4", 30.0), ant("C5", 30.0), ant("C6", 28.0)], [8.0, 8.0, 8.0], [9.0, 7.0, 7.0], k=3.0,
                           ups=[np.array([1.0, 0.0, 0.0])] * 2)
        thyroid_cart = Subtract(rod_chain([ant("C4", 30.0, 4.0), ant("C5", 31.0)], [13.0, 13.0], [17.0, 15.0], k=2.0,
                                          ups=[np.array([1.0, 0.0, 0.0])]), larynx, k=1.0)
        self.add("thyroid-cartilage", thyroid_cart, T.TRACHEA_WALL, "organ", sub=5)
        self.add("larynx", larynx, T.AIR, "air", sub=4)
        t = {n: self.sp.vertebrae[n] for n in ("T1", "T2", "T3", "T4")}
        tr_pts = [ant("C6", 26.0, -4.0), ant("C7", 24.0), t["T1"].W(np.array([0.0, -t["T1"].p.endplate_depth / 2 - 22.0, 0.0])),
                  t["T2"].W(np.array([0.0, -t["T2"].p.endplate_depth / 2 - 20.0, 0.0])), t["T4"].W(np.array([0.0, -t["T4"].p.endplate_depth / 2 - 22.0, 0.0]))]
        trachea_wall = rod_chain(tr_pts, [9.5] * 5, [10.0] * 5, k=2.0)
        trachea_air = rod_chain(tr_pts, [7.5] * 5, [8.0] * 5, k=2.0)
        self.add("trachea", trachea_wall, T.TRACHEA_WALL, "organ", sub=6)
        self.add("trachea.air", trachea_air, T.AIR, "air", sub=5, zone=False)
        # oesophagus: behind the trachea from the hypopharynx, through the posterior mediastinum (right of
        # the descending aorta, behind the heart), forward and left through the hiatus at T10 (approximated)
        tt = {n: self.sp.vertebrae[n] for n in [f"T{i}" for i in range(1, 12)]}

        def tho(n, dx, dy):
            v = tt[n]
            return v.W(np.array([dx, -v.p.endplate_depth / 2 - dy, 0.0]))

        oes_pts = [ant("C5", 8.0, 0.0, 2.0), ant("C6", 8.0, 0.0, 3.0), ant("C7", 8.0, 0.0, 5.0)] + \
            [tho(n, 6.0, 7.0) for n in ("T1", "T2", "T3")] + [tho("T4", 3.0, 9.0), tho("T6", 1.0, 12.0), tho("T8", 2.0, 14.0),
                                                             tho("T9", 7.0, 19.0), tho("T10", 16.0, 28.0), tho("T11", 32.0, 42.0)]
        widths = [6.0] * 6 + [7.0, 7.5, 7.5, 7.5, 8.0, 9.0]
        depths = [9.0] * 6 + [6.5, 6.0, 6.0, 6.5, 7.0, 9.0]
        self.add("oesophagus", rod_chain(oes_pts, widths, depths, k=2.0, ups=[np.array([1.0, 0.0, 0.0])] * (len(oes_pts) - 1)),
                 T.OESOPHAGUS, "organ", sub=7)
        self.points["oesophagus.C6"] = oes_pts[1]
        self.points["oesophagus.T6"] = oes_pts[7]
        self.points["oesophagus.T8"] = oes_pts[8]
        # cricoid cartilage: the ring at the top of the trachea (C6), its lamina tall at the back
        cric_c = tr_pts[0] + np.array([0.0, 0.0, 3.0])
        ring = Subtract(Ellipsoid(Frame(cric_c, np.eye(3)), (11.0, 11.0, 4.0)), Ellipsoid(Frame(cric_c, np.eye(3)), (8.0, 8.0, 12.0)), k=0.8)
        lamina = Subtract(Ellipsoid(Frame(cric_c + np.array([0.0, 7.5, 5.0]), np.eye(3)), (10.0, 3.0, 10.0)),
                          Ellipsoid(Frame(cric_c, np.eye(3)), (8.0, 8.0, 14.0)), k=0.8)
        self.add("cricoid", Union([ring, lamina], k=2.0), T.Tissue("cricoid cartilage", 130.0, "fine", 20.0), "organ", sub=9)
        self.points["cricoid"] = cric_c + np.array([0.0, -10.0, 0.0])
        self.points["trachea.C7"] = tr_pts[1]
        self.points["larynx.C5"] = ant("C5", 30.0)
        self.trachea_pts = tr_pts
        self.airway_walls = Union([trachea_wall, thyroid_cart, self.zones["cricoid"], self.zones["oesophagus"]], k=1.0)

    def _trachea_at(self, dz: float) -> np.ndarray:
        """Point on the tracheal axis ``dz`` mm below its top (the cricoid), along the first segment."""
        a, b = self.trachea_pts[0], self.trachea_pts[1]
        return a + (b - a) * (dz / float(np.linalg.norm(b - a)))

    def _thyroid(self) -> None:
        """Thyroid: two lobes beside the larynx and trachea, each wrapped round the trachea's side and
        reaching back to the tracheo-oesophageal groove and the carotid sheath, joined by an isthmus in
        front of the second to fourth tracheal rings.  Drawn proportions: lobes about 50 mm long (C5 to
        T1), 15-20 mm across and deep; isthmus about 14 mm high and 5 mm thick."""
        a, b = self.trachea_pts[0], self.trachea_pts[1]
        axis = (b - a) / float(np.linalg.norm(b - a))  # down the trachea
        z_ax = -axis
        x_ax = np.array([1.0, 0.0, 0.0]) - z_ax * z_ax[0]
        x_ax /= np.linalg.norm(x_ax)
        axes = np.array([x_ax, np.cross(z_ax, x_ax), z_ax])
        cavities = [self.airway_walls]
        for side in ("L", "R"):
            cavities += [self.zones[f"carotid.{side}"], self.zones[f"jugular.{side}"]]
        keep_out = Offset(Union(cavities, k=1.0), 1.0)
        lobes = []
        for side, s in SIDES.items():
            # centred beside the trachea a little behind its axis, 10 mm below the cricoid; the upper pole
            # narrower and more lateral (pear shape) from a smaller ellipsoid blended on top
            centre = self._trachea_at(10.0) + x_ax * (s * 13.5) + axes[1] * 3.0
            body = Ellipsoid(Frame(centre, axes), (10.5, 12.0, 21.0))
            upper = Ellipsoid(Frame(centre + x_ax * (s * 2.0) + axes[1] * 3.0 + z_ax * 16.0, axes), (8.5, 10.0, 14.0))
            lobes.append(Union([body, upper], k=4.0))
            # the landmark: in the lobe beside the cricoid (C6), where the lobe is met on a C6 slice
            self.points[f"thyroid.{side}"] = self._trachea_at(0.0) + x_ax * (s * 17.0) + axes[1] * 2.0
        isthmus_c = self._trachea_at(12.0) - axes[1] * 12.5
        isthmus = Ellipsoid(Frame(isthmus_c, axes), (15.0, 4.5, 7.0))
        thyroid = Subtract(Union(lobes + [isthmus], k=3.0), keep_out, k=1.0)
        self.add("thyroid", thyroid, T.THYROID, "organ", sub=8)
        self.points["thyroid.isthmus"] = isthmus_c - axes[1] * 1.5

    # -- vessels ----------------------------------------------------------------------------
    def _vessels(self) -> None:
        c1 = self.c1
        cc = self.cc
        sp = self.sp
        for s, side in ((1.0, "L"), (-1.0, "R")):
            # vertebral artery: subclavian origin, into the C6 foramen transversarium, up to C1, over the arch
            t1 = sp.vertebrae["T1"]
            pts = [t1.W(np.array([s * 32.0, -t1.p.endplate_depth / 2 - 6.0, -4.0]))]
            pts.append(sp.vertebrae["C7"].W(sp.vertebrae["C7"].points[f"{side}.foramen-transversarium"] + np.array([s * 2.0, -6.0, 0.0])))
            for n in ("C6", "C5", "C4", "C3"):
                vv = sp.vertebrae[n]
                pts.append(vv.W(vv.points[f"{side}.foramen-transversarium"]))
                if n != "C3":
                    self.points[f"vertebral-artery.{side}.{n}"] = pts[-1]
            self.points[f"vertebral-artery.{side}.C6"] = pts[2]
            # through the L-shaped C2 foramen, out on its lateral side, up lateral to the lateral
            # atlanto-axial joint (the loop), into the C1 foramen
            f2 = self.sp.alignment.c2.frame
            pts.append(f2.point([s * 16.8, 0.4, -7.0]))
            pts.append(f2.point([s * 18.5, 0.0, -0.5]))
            pts.append(cc.points[f"C2.{side}.foramen-transversarium.exit"])
            pts.append(self.f1.point([s * 31.5, -2.0, -9.5]))
            pts.append(cc.points[f"C1.{side}.foramen-transversarium"])
            self.points[f"vertebral-artery.{side}.C1"] = pts[-1]
            pts.append(cc.points[f"C1.{side}.vertebral-artery-groove"] + self.f1.vector([s * 6.0, 0.0, 1.5]))
            pts.append(cc.points[f"C1.{side}.vertebral-artery-groove"] + self.f1.vector([-s * 4.0, 0.0, 1.5]))
            pts.append(c1 + self.f1.vector([s * 6.0, 6.0, 24.0]))
            va = rod_chain(pts, [2.1] * len(pts), [2.1] * len(pts), k=1.5)
            self.add(f"vertebral-artery.{side}", va, T.BLOOD, "vessel", detail=True)
            # common carotid to its bifurcation at C4, internal carotid to the skull base; internal jugular lateral
            def ant(name, dx, dy):  # noqa: E306
                vv = sp.vertebrae[name]
                return vv.W(np.array([dx, -vv.p.endplate_depth / 2 - dy, 0.0]))
            cca = [t1.W(np.array([s * 20.0, -t1.p.endplate_depth / 2 - 26.0, 0.0])), ant("C7", s * 24.0, 20.0), ant("C6", s * 25.0, 20.0),
                   ant("C5", s * 25.0, 19.0), ant("C4", s * 25.0, 18.0)]
            ica = [cca[-1], ant("C3", s * 27.0, 14.0), cc.points["C2.body-anterior"] + np.array([s * 30.0, -10.0, 0.0]),
                   c1 + np.array([s * 30.0, -24.0, 24.0])]
            carotid = Union([rod_chain(cca, [3.6] * 5, [3.6] * 5, k=1.5), rod_chain(ica, [3.0, 2.8, 2.7, 2.6], [3.0, 2.8, 2.7, 2.6], k=1.5),
                             rod_chain([cca[-1], ant("C3", s * 20.0, 22.0), cc.points["C2.body-anterior"] + np.array([s * 22.0, -30.0, 4.0])], [2.6, 2.3, 2.0], [2.6, 2.3, 2.0], k=1.0)], k=1.0)
            self.add(f"carotid.{side}", carotid, T.BLOOD, "vessel", detail=True, sub=1)
            self.points[f"carotid.{side}.C6"] = cca[2]
            self.points[f"carotid.{side}.bifurcation"] = cca[-1]
            ijv_pts = [c.copy() + np.array([s * 11.0, 4.0, 0.0]) for c in cca[1:]] + [ica[2] + np.array([s * 8.0, 10.0, 0.0]), c1 + np.array([s * 32.0, -6.0, 22.0])]
            self.add(f"jugular.{side}", rod_chain(ijv_pts, [6.0] * len(ijv_pts), [5.0] * len(ijv_pts), k=2.0), T.BLOOD, "vessel", detail=True, sub=2)
            self.points[f"jugular.{side}.C6"] = ijv_pts[1]
            # stellate ganglion: over the neck of the first rib at C7-T1, lateral to longus colli
            c7 = sp.vertebrae["C7"]
            sg = 0.5 * (c7.frame.origin + t1.frame.origin) + c7.frame.vector([s * (c7.p.endplate_width / 2 + 9.0), -4.0, -2.0])
            self.add(f"stellate-ganglion.{side}", Ellipsoid(Frame(sg, c7.frame.axes), (3.0, 2.5, 8.0)), T.GANGLION, "nerve", detail=True)
            self.points[f"stellate-ganglion.{side}"] = sg

    # -- muscles ----------------------------------------------------------------------------
    def _muscles(self) -> None:
        c1 = self.c1
        sp = self.sp
        cc = self.cc
        names = ["C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2"]
        from .sdf import Offset

        skin_in = Offset(self.neck, -4.0)
        for s, side in ((1.0, "L"), (-1.0, "R")):
            # posterior neck muscles in layers, each in its fascia: the deep transversospinal group
            # (semispinalis, multifidus) on the laminae, splenius and the longissimus over it, levator
            # scapulae laterally, trapezius under the skin
            deep, mid, lev = [], [], []
            for n in names:
                if n == "C2":
                    lam = cc.points[f"C2.{side}.lamina"]
                    deep.append(lam + np.array([s * 6.0, 9.0, 0.0]))
                    mid.append(lam + np.array([s * 18.0, 16.0, 2.0]))
                    lev.append(cc.points[f"C1.{side}.transverse-process"] + np.array([s * 4.0, 6.0, -10.0]))
                else:
                    vv = sp.vertebrae[n]
                    ly = vv.points[f"{side}.lamina"][1]
                    deep.append(vv.W(np.array([s * 12.0, ly + 8.0, 0.0])))
                    mid.append(vv.W(np.array([s * 27.0, ly + 15.0, 0.0])))
                    tp = vv.points.get(f"{side}.posterior-tubercle", vv.points[f"{side}.tp-tip"])
                    lev.append(vv.W(np.array([s * (abs(tp[0]) + 15.0), tp[1] + 13.0, 0.0])))
            deep.insert(0, c1 + np.array([s * 12.0, 36.0, 18.0]))
            mid.insert(0, c1 + np.array([s * 30.0, 30.0, 20.0]))
            n_d = len(deep)
            # the posterior muscles fill the back of the neck from the laminae and pillars to the skin; only a
            # thin layer of subcutaneous fat and the fascial planes between them are fat (layer depths under
            # the skin approximated: trapezius 4-10 mm, splenius 10-19 mm, semispinalis capitis 19-31 mm,
            # the transversospinal group below it on the laminae)
            top = self.cc.points["C2.spinous-tip"][2]
            deep_pts = [d + sp.vertebrae["C3"].frame.vector([s * 3.0, 3.0, 0.0]) for d in deep]
            self.add(f"nuchal-muscles.{side}", Intersect(rod_chain(deep_pts, [14.0] * n_d, [12.0] * n_d, k=4.0), skin_in), T.MUSCLE, "muscle", sub=2)
            self.add(f"semispinalis-capitis.{side}", NeckSheet(self.neck, s, 19.0, 31.0, 128.0, 179.0, c1[2] + 24.0),
                     T.MUSCLE, "muscle", sub=2.6)
            self.add(f"splenius.{side}", Union([NeckSheet(self.neck, s, 10.0, 19.0, 112.0, 178.0, c1[2] + 22.0),
                                                Intersect(rod_chain(mid, [13.0] * n_d, [6.5] * n_d, k=4.0, ups=[np.array([s * 0.6, -1.0, 0.0])] * (n_d - 1)), skin_in)], k=2.0),
                     T.MUSCLE, "muscle", sub=3.2)
            self.add(f"levator-scapulae.{side}", Intersect(rod_chain(lev[:6], [12.0] * 6, [10.0] * 6, k=3.0), skin_in), T.MUSCLE, "muscle", sub=3.8)
            self.add(f"trapezius-cervical.{side}", NeckSheet(self.neck, s, 4.0, 10.0, 108.0, 180.0, top + 12.0),
                     T.MUSCLE, "muscle", sub=4.4)
            # longus colli on the front of the bodies, reaching out to the anterior tubercles; longus capitis
            # in front of the anterior tubercles lateral to it, from C3-C6 up to the basiocciput (sizes
            # approximated)
            lc = [cc.points["C1.anterior-tubercle"] + np.array([s * 6.0, 1.0, -4.0])] + \
                 [sp.vertebrae[n].W(np.array([s * 8.5, -sp.vertebrae[n].p.endplate_depth / 2 - 3.2, 0.0])) for n in ("C3", "C5", "C7", "T2")]
            self.add(f"longus-colli.{side}", rod_chain(lc, [3.8] * 5, [6.5] * 5, k=3.0, ups=[np.array([1.0, 0.0, 0.0])] * 4), T.MUSCLE, "muscle", sub=3)
            lcap = [sp.vertebrae[n].W(sp.vertebrae[n].points[f"{side}.anterior-tubercle"] + np.array([-s * 4.0, -2.5, 0.0])) for n in ("C6", "C5", "C4", "C3")]
            lcap += [cc.points["C2.body-anterior"] + np.array([s * 14.0, -6.0, 0.0]), c1 + np.array([s * 11.0, -20.0, 16.0])]
            self.add(f"longus-capitis.{side}", rod_chain(lcap, [3.0, 4.0, 4.5, 5.0, 5.0, 4.0], [3.0, 4.0, 5.0, 5.5, 5.5, 4.5], k=3.0),
                     T.MUSCLE, "muscle", sub=3.4)
            # infrahyoid (strap) muscles: a thin sheet under the skin in front of the larynx, thyroid and trachea
            hyoid_z = sp.vertebrae["C3"].frame.origin[2]
            self.add(f"infrahyoid-muscles.{side}", NeckSheet(self.neck, s, 4.0, 8.5, 4.0, 52.0, hyoid_z), T.MUSCLE, "muscle", sub=3.6)
            # sternocleidomastoid from the mastoid to the sternum and clavicle
            # sternocleidomastoid: from the mastoid down and forward over the carotid sheath to the manubrium
            # and the medial clavicle, under the skin all the way: a flat band (about 8-10 mm thick and
            # 25-30 mm wide in the mid neck, approximated) lying along the skin, not a round cord
            from .ribs import build_cage
            from .sdf import Offset

            cage = build_cage()
            mast = cc.points[f"occiput.{side}.mastoid"]
            jug = self.points[f"jugular.{side}.C6"]
            car4 = self.points[f"carotid.{side}.bifurcation"]
            notch = cage.points["sternum.jugular-notch"]
            clav = cage.points[f"clavicle.{side}"]
            c2a = cc.points["C2.body-anterior"]
            scm_pts = [mast + np.array([0.0, -2.0, -6.0]), np.array([s * 47.0, c2a[1] + 2.0, c2a[2] - 4.0]),
                       car4 + np.array([s * 18.0, -3.0, 0.0]), jug + np.array([s * 5.0, -13.0, 0.0]),
                       0.5 * (notch + clav) + np.array([s * 2.0, -8.0, 14.0])]
            # thickness along the outward skin normal (anterolateral, turning lateral near the mastoid)
            scm_ups = [np.array([s * 0.95, -0.3, 0.0]), np.array([s * 0.85, -0.55, 0.0]), np.array([s * 0.7, -0.7, 0.0]),
                       np.array([s * 0.5, -0.85, 0.0])]
            scm = Union([rod_chain(scm_pts, [9.0, 11.0, 13.0, 13.0, 12.0], [6.0, 5.5, 5.0, 5.0, 5.0], k=3.0, ups=scm_ups),
                         Rod(scm_pts[-1], notch + np.array([s * 10.0, -6.0, 3.0]), 5.0, 4.0),
                         Rod(scm_pts[-1], clav + np.array([-s * 8.0, -4.0, 6.0]), 7.0, 4.0)], k=3.0)
            from .soft_tissue import TrunkOutline

            skin = Union([self.neck, TrunkOutline()], k=10.0)
            self.add(f"sternocleidomastoid.{side}", Intersect(scm, Offset(skin, -2.5)), T.MUSCLE, "muscle", sub=4.2)
            # scalenes to the first rib: anterior scalene from the anterior tubercles C3-C6, middle (and
            # posterior) scalene from the posterior tubercles C2-C7, the interscalene groove between them
            # where the roots run
            t2 = sp.vertebrae["T2"]

            def tub(n, which, d):
                vv = sp.vertebrae[n]
                return vv.W(vv.points[f"{side}.{which}"] + np.array([s * d[0], d[1], d[2]]))
            ant_sc = [tub(n, "anterior-tubercle", (4.5, -1.0, 0.0)) for n in ("C3", "C4", "C5", "C6")] + \
                     [t2.W(np.array([s * 40.0, -26.0, 14.0]))]
            mid_sc = [tub(n, "posterior-tubercle", (7.5, 1.0, 0.0)) for n in ("C3", "C4", "C5", "C6")] + \
                     [tub("C7", "tp-tip", (6.0, 0.0, 0.0)), t2.W(np.array([s * 56.0, -6.0, 16.0]))]
            sc = Union([rod_chain(ant_sc, [4.0, 5.0, 6.0, 6.5, 6.5], [4.0, 5.0, 6.0, 6.5, 6.5], k=3.0),
                        rod_chain(mid_sc, [6.0, 7.5, 8.5, 10.0, 10.0, 9.0], [6.0, 7.5, 8.5, 10.0, 10.0, 9.0], k=3.0)], k=1.0)
            self.add(f"scalenes.{side}", Intersect(sc, skin_in), T.MUSCLE, "muscle", sub=4.8)

    # -- cervical nerve roots C3-C8 -----------------------------------------------------------
    def _c2_root(self) -> None:
        """C2: the dorsal root ganglion lies behind the lateral atlanto-axial joint between the C1 arch and
        the C2 lamina; the ventral ramus runs laterally behind the vertebral artery, the dorsal ramus
        (greater occipital nerve) back round the C1-C2 interspace."""
        cc, f1 = self.cc, self.f1
        f2 = self.sp.alignment.c2.frame
        for side, s in SIDES.items():
            drg = cc.points[f"C2.{side}.drg"]
            d1 = f1.local_point(drg)
            start = f1.point([s * 4.0, 13.5, d1[2] + 2.5])
            dura = f1.point([s * 9.0, d1[1] + 1.0, d1[2] + 1.0])
            vent1 = f1.point([s * (abs(d1[0]) + 8.0), d1[1] - 3.0, d1[2] - 1.0])
            vent2 = f1.point([s * 30.0, 6.5, d1[2] - 3.0])  # behind the vertebral artery's loop
            vent3 = f1.point([s * 38.0, 0.0, d1[2] - 8.0])
            dors = [drg, f1.point([s * (abs(d1[0]) + 2.0), d1[1] + 8.0, d1[2] - 3.0]), f2.point([s * 16.0, 34.0, -12.0])]
            root = Union([
                rod_chain([start, dura, drg, vent1, vent2, vent3], [1.6, 2.0, 3.2, 2.4, 2.2, 2.0], [1.6, 2.0, 3.2, 2.4, 2.2, 2.0], k=1.2),
                rod_chain(dors, [2.6, 2.0, 1.6], [2.6, 2.0, 1.6], k=1.0),
                Ellipsoid(Frame(drg, f1.axes), (3.0, 4.0, 3.2)),
            ], k=0.8)
            self.add(f"C2.{side}.nerve-root", root, T.NERVE, "nerve", detail=True, sub=1)
            self.zones[f"C2.{side}.drg"] = Ellipsoid(Frame(drg, f1.axes), (3.0, 4.0, 3.2))
            self.points[f"C2.{side}.nerve-root"] = vent1

    def _roots(self) -> None:
        self._c2_root()
        sp = self.sp
        order = ["C2", "C3", "C4", "C5", "C6", "C7", "T1"]
        for i in range(1, len(order)):
            upper, lower = order[i - 1], order[i]
            root_name = {"C3": "C3", "C4": "C4", "C5": "C5", "C6": "C6", "C7": "C7", "T1": "C8"}[lower]
            seg = f"{upper}-{lower}"
            lv = sp.vertebrae[lower]
            p = lv.p
            D, H = p.endplate_depth, p.body_height_posterior
            for side, s in SIDES.items():
                ped = lv.points[f"{side}.pedicle"]
                zf = H / 2 + 4.0 if lower != "T1" else H / 2 + 5.0  # foramen: above the lower pedicle
                start = np.array([s * 5.0, D / 2 + p.canal_depth * 0.45, zf + 2.0])
                fo = np.array([s * (p.canal_width / 2 + 2.5), D / 2 + 2.0, zf])
                # ganglion in the gutter of the transverse process, behind the vertebral artery, then the
                # ventral ramus runs down and out between the tubercles (so an axial slice through the
                # body shows the root lying on the transverse process)
                zp = ped[2]
                drg = np.array([ped[0] + s * 3.0, D / 2 - 2.0, zp + 3.0])
                out = np.array([s * (p.transverse_process_span / 2 + 6.0), -3.0, zp - 9.0])
                W = lv.W
                root = Union([rod_chain([W(start), W(fo), W(drg), W(out)], [1.6, 2.2, 2.8, 2.6], [1.6, 2.2, 2.8, 2.6], k=1.2),
                              Ellipsoid(lv.sub_frame(drg, drg - fo, [0, 0, 1]), (3.6, 2.8, 3.0))], k=0.8)
                self.add(f"{root_name}.{side}.nerve-root", root, T.NERVE, "nerve", detail=True, sub=1)
                self.points[f"{root_name}.{side}.nerve-root"] = W(0.5 * (drg + out))
                self.points[f"{root_name}.{side}.drg"] = W(drg)
                self.points[f"{seg}.{side}.foramen"] = W(fo + np.array([s * 2.0, -1.0, 0.0]))
                # cervical transforaminal target: posterior half of the foramen, just in front of the SAP
                self.points[f"{seg}.{side}.transforaminal-target"] = W(np.array([s * (p.canal_width / 2 + 4.5), D / 2 + 5.5, zf - 1.5]))


def build_head_neck(mouth: str = "open") -> HeadNeck:
    return _build_head_neck(mouth)  # one cache entry per mouth, however the argument is passed


@lru_cache(maxsize=2)
def _build_head_neck(mouth: str) -> HeadNeck:
    return HeadNeck(mouth)
