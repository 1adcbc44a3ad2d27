"""C1 (atlas), C2 (axis) and the occiput: the craniocervical junction.

Built in the C1 and C2 frames of :mod:`alignment` with dimensions from
``parameters.ATLAS_AXIS`` (approximated).  The lateral atlanto-axial joints
are shared flat joint surfaces (like the facet joints) cutting the C1 lateral
masses and the C2 superior articular facets; the occipital condyles sit in
the cupped superior facets of C1 with a joint space.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from . import parameters as P
from .facets import SIDES, FacetJoint
from .sdf import Ellipsoid, Frame, Intersect, RoundBox, Rod, Shape, Sphere, Subtract, Union, rod_chain, unit
from .spine import build_spine

C1_C2_FACET_RADIUS = 15.0  # mm, sagittal curvature of the C2 superior articular facet (approximated)


class CranioCervical:
    def __init__(self):
        sp = build_spine()
        self.sp = sp
        al = sp.alignment
        self.f1, self.f2, self.f0 = al.c1.frame, al.c2.frame, al.occiput.frame
        self.aa = P.ATLAS_AXIS
        self.parts: dict[str, Shape] = {}
        self.points: dict[str, np.ndarray] = {}
        self.joints: dict[str, FacetJoint] = {}
        self._atlanto_axial_joints()
        self._c2()
        self._c1()
        self._occiput()

    # lateral atlanto-axial joints: sloping down laterally about 20 degrees (approximated): the C2 superior
    # facets face up and laterally, the C1 inferior facets down and medially.  In the sagittal plane the C2
    # facet is convex (a low dome from front to back under a matching C1 facet; radius approximated), so that,
    # as on real films, an AP view shows the joint as a cleft over a range of cranio-caudal tilts rather than
    # at one exact angle: some part of the dome is always seen edge-on
    def _atlanto_axial_joints(self) -> None:
        f1 = self.f1
        for side, s in SIDES.items():
            centre_local = np.array([s * 17.5, -2.0, -8.5])
            n_local = unit(np.array([s * np.sin(np.radians(22.0)), 0.0, np.cos(np.radians(22.0))]))  # from C2 up to C1
            a_local = unit(np.array([1.0, 0.0, 0.0]) - n_local * n_local[0])  # across the joint: curvature front to back
            self.joints[side] = FacetJoint(f"C1-C2.{side}", side, f1.point(centre_local), f1.vector(n_local), f1.vector(a_local),
                                           radius=C1_C2_FACET_RADIUS, gap=2.0, half_height=8.0, half_width=8.0, convex=True)
            self.points[f"C1-C2.{side}.lateral-atlantoaxial-joint"] = f1.point(centre_local)
            self.points[f"C1-C2.{side}.lateral-atlantoaxial-joint.lateral"] = f1.point(centre_local + np.array([s * 6.0, 0, -2.4]))

    def _c2(self) -> None:
        f2, aa = self.f2, self.aa
        W = lambda p: f2.point(p)  # noqa: E731
        up = f2.vector([0, 0, 1])
        H = aa.c2_body_height
        body = RoundBox(f2.moved([0, 0, -2.0]), (aa.c2_body_width / 2, aa.c2_body_depth / 2, H / 2 - 2.0), r=3.0)
        # anterior-inferior lip
        lip = Ellipsoid(f2.moved([0, -aa.c2_body_depth / 2 + 2.0, -H / 2 + 1.5]), (6.0, 3.0, 3.0))
        dens_base = np.array([0.0, -1.5, H / 2 - 4.0])
        dens_tip = np.array([0.0, -3.0, H / 2 + aa.dens_height])
        dens = Rod(W(dens_base), W(dens_tip), aa.dens_width / 2 + 0.5, aa.dens_width / 2 + 0.5, aa.dens_width / 2 - 0.8, aa.dens_width / 2 - 0.5, up=up)
        parts: list[Shape] = [body, lip, dens]
        self.parts["C2.dens"] = dens
        self.points["C2.dens"] = W(0.5 * (dens_base + dens_tip) + np.array([0, 0, 3.0]))
        self.points["C2.dens-tip"] = W(dens_tip + np.array([0, 0, aa.dens_width / 2 - 1.5]))
        self.points["C2.dens-base"] = W(dens_base + np.array([0, 0, 2.0]))
        self.points["C2.body-centre"] = f2.origin.copy()
        self.points["C2.body-anterior"] = W([0, -aa.c2_body_depth / 2, 0])
        self.points["C2.inferior-endplate"] = W([0, 0, -H / 2 + 0.5])
        self.points["C2.body-posterior"] = W([0, aa.c2_body_depth / 2 - 0.4, -2.0])
        # back of the dens at mid-height (the dens axis runs from the base to the tip, radius about 5.5)
        self.points["C2.dens-posterior"] = W(0.5 * (dens_base + dens_tip) + np.array([0, aa.dens_width / 2 - 0.2, 0]))
        for side, s in SIDES.items():
            j = self.joints[side]
            jc = f2.local_point(j.centre)
            # superior articular facet block on the body and pedicle, cut by the C1-C2 joint
            sup = Union([
                Ellipsoid(f2.moved(jc + np.array([0.0, 0.0, -4.5])), (8.0, 8.5, 5.0)),
                Rod(W([s * 6.0, 0.0, H / 2 - 6.0]), W(jc + np.array([0, 0, -5.0])), 5.0, 5.0, up=up),
            ], k=2.0)
            sup = Intersect(sup, j.sap_side(), k=0.5)
            # pedicle/pars: from the superior facet back to the lamina; long narrow isthmus
            pars_a = jc + np.array([-s * 1.0, 6.0, -7.0])
            pars_b = np.array([s * 12.0, 20.0, -6.0])
            pars = Rod(W(pars_a), W(pars_b), 3.8, 4.8, 3.6, 5.0, up=up)
            # inferior articular process to the C2-C3 joint
            jb = self.sp.joints["C2-C3"][side]
            jbc = f2.local_point(jb.centre)
            nb = f2.axes @ jb.normal
            iap = Intersect(Union([Rod(W(pars_b + np.array([0, 1.0, 0])), W(jbc + nb * 3.0 - np.array([0, 0, 3.0])), 5.5, 5.0, up=f2.vector([0, 1, 0])),
                                   Ellipsoid(f2.moved(jbc + nb * 4.0), (6.0, 6.0, 4.5))], k=1.5), jb.iap_side(), k=0.6)
            # lamina to the bifid spinous process
            lam = Rod(W(pars_b + np.array([0, 1.0, -1.0])), W([s * 2.0, 27.0, -8.0]), 3.0, 6.0, 3.2, 6.5, up=up)
            # transverse process with its foramen: the foramen turns laterally inside it (L-shaped), so the
            # vertebral artery leaves C2 on its lateral side and climbs lateral to the C1-C2 joint
            tp = Rod(W([s * 10.0, -1.0, -2.0]), W([s * 25.0, 0.5, -1.0]), 3.6, 3.6, 3.0, 3.4, up=up)
            parts += [sup, pars, iap, lam, tp]
            self.parts[f"C2.{side}.superior-articular-facet"] = sup
            self.parts[f"C2.{side}.pars"] = pars
            self.parts[f"C2.{side}.iap"] = iap
            self.parts[f"C2.{side}.lamina"] = lam
            self.points[f"C2.{side}.pars"] = W(0.5 * (pars_a + pars_b))
            self.points[f"C2.{side}.lamina"] = W([s * 7.0, 25.0, -5.0])
            self.points[f"C2.{side}.iap"] = W(jbc + nb * 3.0)
            self.points[f"C2.{side}.foramen-transversarium"] = W([s * 17.0, 0.0, -3.0])
            self.points[f"C2.{side}.pedicle"] = W(pars_a * 0.6 + pars_b * 0.4)
            self.parts[f"C2.{side}.foramen-transversarium"] = Union([
                Rod(W([s * 16.5, 0.5, -10.0]), W([s * 17.5, 0.0, -1.5]), 2.7, 2.7, up=f2.vector([0, 1, 0])),
                Rod(W([s * 17.5, 0.0, -1.5]), W([s * 27.0, -0.5, 2.0]), 2.7, 2.7, up=f2.vector([0, 1, 0])),
            ], k=1.5)
            self.points[f"C2.{side}.foramen-transversarium.exit"] = W([s * 25.0, -0.5, 1.5])
            # C2 dorsal root ganglion: behind the lateral atlanto-axial joint, between the C1 arch and the C2 lamina
            self.points[f"C2.{side}.drg"] = W(jc + np.array([-s * 3.0, 11.0, -0.5]))
            # the nerve's usual crossing, behind the joint line over the C2 inferior articular process; RF placements
            # step from it across the joint line to the C3 superior articular process (5 mm apart, drawn proportion)
            for suffix, normal in (("", 7.5), (".middle", 2.5), (".lower", -2.5)):
                self.points[f"C2-C3.{side}.third-occipital-nerve{suffix}"] = jb.point(along=1.0, normal=normal) + f2.vector([s * 4.5, 0, 0])
        sp_base = np.array([0.0, 27.0, -8.0])
        sp_tip = np.array([0.0, 45.0, -15.0])
        parts.append(Rod(W(sp_base), W(sp_tip), 4.0, 7.0, 3.2, 6.0, up=up))
        for s in (1.0, -1.0):
            parts.append(Rod(W(sp_tip - np.array([0, 3.0, 0])), W(sp_tip + np.array([s * 5.0, 2.0, -1.0])), 2.6, 4.0, 2.4, 3.5, up=up))
        self.points["C2.spinous-tip"] = W(sp_tip + np.array([0, 2.0, 0]))
        self.points["C2.spinous-process"] = W(0.5 * (sp_base + sp_tip))
        bone = Union(parts, k=1.5)
        for side in SIDES:
            bone = Subtract(bone, self.parts[f"C2.{side}.foramen-transversarium"], k=0.6)
        self.parts["C2"] = bone

    def _c1(self) -> None:
        f1, aa = self.f1, self.aa
        W = lambda p: f1.point(p)  # noqa: E731
        up = f1.vector([0, 0, 1])
        parts: list[Shape] = []
        ant = rod_chain([W([14.0, -14.0, -1.0]), W([7.0, -17.5, 0.0]), W([0.0, -18.5, 0.0]), W([-7.0, -17.5, 0.0]), W([-14.0, -14.0, -1.0])],
                        [3.0, 3.2, 3.6, 3.2, 3.0], [5.0, 5.0, 5.5, 5.0, 5.0], k=1.5, ups=[up] * 4)
        parts.append(ant)
        self.points["C1.anterior-arch"] = W([0.0, -18.0, 0.0])
        self.points["C1.anterior-tubercle"] = W([0.0, -21.5, 0.0])
        post_pts = [W([16.0, 10.0, -2.0]), W([12.0, 20.0, 0.0]), W([5.0, 25.5, 0.0]), W([0.0, 26.5, 0.0]), W([-5.0, 25.5, 0.0]),
                    W([-12.0, 20.0, 0.0]), W([-16.0, 10.0, -2.0])]
        parts.append(rod_chain(post_pts, [3.6, 3.6, 4.0, 4.4, 4.0, 3.6, 3.6], [4.0, 4.0, 4.5, 5.0, 4.5, 4.0, 4.0], k=1.5, ups=[up] * 6))
        arches = [ant, parts[-1]]
        self.points["C1.posterior-arch"] = W([0.0, 26.0, 0.0])
        self.points["C1.posterior-tubercle"] = W([0.0, 30.5, 0.0])
        for side, s in SIDES.items():
            j = self.joints[side]
            lm_c = np.array([s * 21.0, -2.0, 0.0])
            lm = RoundBox(Frame(W(lm_c), f1.axes), (aa.c1_lateral_mass_width / 2, aa.c1_lateral_mass_depth / 2, aa.c1_lateral_mass_height / 2), r=4.5)
            # the inferior facet reaches down to the joint, which slopes down laterally: the joint surface
            # (not the box) shapes the lateral mass's lower side
            foot = RoundBox(Frame(W(lm_c + np.array([0.0, 0.0, -aa.c1_lateral_mass_height / 2])), f1.axes),
                            (aa.c1_lateral_mass_width / 2 - 0.5, aa.c1_lateral_mass_depth / 2 - 1.0, 6.0), r=3.0)
            # tubercle for the transverse ligament on the medial face, level with the dens: on the open-mouth
            # view it narrows the space between the dens and the lateral mass to a few millimetres (drawn size)
            tubercle = Ellipsoid(Frame(W(lm_c + np.array([-s * (aa.c1_lateral_mass_width / 2 + 0.5), 1.5, -2.5])), f1.axes), (4.0, 5.5, 5.0))
            lm = Intersect(Union([lm, foot, tubercle], k=1.5), j.iap_side(), k=0.5)
            # cupped superior facet for the occipital condyle
            lm = Subtract(lm, Ellipsoid(Frame(W([s * 18.5, -2.0, 10.5]), f1.axes), (8.5, 12.0, 6.0)), k=1.0)
            tp = Rod(W([s * 26.0, -2.0, -1.0]), W([s * aa.c1_outer_width / 2, 0.0, -2.0]), 4.5, 4.2, 4.0, 5.0, up=up)
            parts += [lm, tp]
            self.parts[f"C1.{side}.lateral-mass"] = lm
            self.parts[f"C1.{side}.foramen-transversarium"] = Rod(W([s * 29.0, -1.5, -6.0]), W([s * 29.0, -1.5, 6.0]), 3.0, 3.0, up=f1.vector([0, 1, 0]))
            self.points[f"C1.{side}.lateral-mass"] = W(lm_c)
            self.points[f"C1.{side}.lateral-mass.medial"] = W(lm_c - np.array([s * (aa.c1_lateral_mass_width / 2 - 0.6), 0.0, 0.0]))
            # flare point: where the posterior arch widens into the lateral mass (on the lateral view it
            # marks, on average, the dorsal margin of the cord)
            self.points[f"C1.{side}.flare-point"] = W([s * 14.8, 13.0, -1.4])
            self.points[f"C1.{side}.lateral-mass.posterior"] = W(lm_c + np.array([0.0, 9.0, 0.0]))
            self.points[f"C1.{side}.transverse-process"] = W([s * (aa.c1_outer_width / 2 - 2.0), 0.0, -2.0])
            self.points[f"C1.{side}.vertebral-artery-groove"] = W([s * 14.0, 15.0, 4.5])
            self.points[f"C1.{side}.foramen-transversarium"] = W([s * 29.0, -1.5, 0.0])
        bone = Union(parts, k=2.0)
        for side, s in SIDES.items():
            bone = Subtract(bone, self.parts[f"C1.{side}.foramen-transversarium"], k=0.6)
            groove = Rod(W([s * 21.0, 8.0, 5.5]), W([s * 8.0, 20.0, 5.0]), 2.6, 2.6, up=up)
            bone = Subtract(bone, groove, k=0.8)
        # dens must not touch the anterior arch: carve the atlanto-dental joint space
        bone = Subtract(bone, Sphere(self.points["C2.dens"] + f1.vector([0, -1.0, 0]), P.ATLAS_AXIS.dens_width / 2 + 2.0), k=0.5)
        self.parts["C1"] = bone
        self.parts["C1.arches"] = Intersect(Union(arches, k=1.5), bone, k=0.0)
        # posterior C1-C2 interlaminar space (lateral C1-C2 puncture target: posterior third of the canal)
        c2_lam = self.points["C2.L.lamina"] * 0.5 + self.points["C2.R.lamina"] * 0.5
        self.points["C1-C2.interlaminar"] = 0.5 * (W([0.0, 22.0, -4.0]) + c2_lam)
        self.points["C1-C2.posterior-canal"] = 0.5 * (W([0.0, 12.0, -6.0]) + c2_lam) + f1.vector([0, -6.0, 0])
        self.points["C1.body-centre"] = W([0.0, 0.0, 0.0])

    def _occiput(self) -> None:
        f1 = self.f1
        f0 = self.f0
        W = lambda p: f1.point(p)  # noqa: E731
        parts: list[Shape] = []
        condyles = []
        for side, s in SIDES.items():
            condyles.append(Ellipsoid(Frame(W([s * 18.5, -2.0, 12.0]), f1.axes), (7.5, 11.0, 5.6)))  # condyles in the C1 cups
            self.points[f"occiput.{side}.condyle"] = W([s * 18.5, -2.0, 12.0])
        # the condyles are cancellous bone in a cortical shell like the atlas below them, not the dense skull
        # vault: drawn as their own bone (head_neck) so that they do not outshine the C1 lateral masses
        self.parts["occipital-condyles"] = Union(condyles, k=0.0)
        # foramen magnum rim, clivus, occipital squama and mastoids
        fm = [W([17.0 * np.cos(a), 3.0 + 19.0 * np.sin(a), 19.0 + 2.5 * np.sin(a)]) for a in np.linspace(0, 2 * np.pi, 13)]
        parts.append(rod_chain(fm, [4.5] * 13, [5.0] * 13, k=2.0))
        self.points["occiput.basion"] = W([0.0, -16.5, 19.5])
        self.points["occiput.opisthion"] = W([0.0, 22.5, 21.5])
        basion = W([0.0, -18.0, 20.0])
        dorsum = basion + f1.vector([0.0, -22.0, 38.0])
        parts.append(Rod(basion, dorsum, 7.0, 9.0, 6.0, 7.0, up=f1.vector([1, 0, 0])))
        self.points["clivus"] = 0.5 * (basion + dorsum)
        # occipital squama behind the foramen magnum: from the opisthion it rises backward as the floor of the
        # posterior fossa to meet the vault (drawn as one plate thickening and widening backward)
        parts.append(Rod(W([0.0, 23.0, 23.0]), W([0.0, 56.0, 64.0]), 3.0, 15.0, 4.5, 42.0, up=f1.vector([1, 0, 0])))
        for side, s in SIDES.items():
            mast = W([s * 46.0, -2.0, 24.0])
            parts.append(Ellipsoid(Frame(mast, f1.axes), (8.0, 11.0, 15.0)))
            parts.append(Rod(mast + f1.vector([-s * 4.0, 0.0, 12.0]), dorsum + f1.vector([s * 6.0, 2.0, -6.0]), 7.0, 8.0, 5.0, 6.0, up=f1.vector([0, 0, 1])))
            self.points[f"occiput.{side}.mastoid"] = mast
        self.parts["occiput"] = Union(parts, k=3.0)
        del f0


@lru_cache(maxsize=1)
def build_craniocervical() -> CranioCervical:
    return CranioCervical()
