"""Thoracic cage and shoulder girdle: ribs with costovertebral and costotransverse joints,
costal cartilages, sternum, clavicles, scapulae and humeral heads.

Rib *k* articulates with the body of T*k* (its head at the upper posterolateral
corner, straddling the disc above) and with the tip of T*k*'s transverse
process (its tubercle).  From the tubercle the shaft sweeps laterally, then
forward around the inside of the chest wall, descending as it goes.  Shapes
are approximated from anatomy texts; joint spaces are left open (about 1.5 mm)
so the joints show.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .facets import SIDES
from .sdf import Ellipsoid, Frame, Rod, Shape, Sphere, Union, rod_chain
from .spine import build_spine


# Half-width of each rib's arc at its widest (mm, centre of the rib): the cage is narrow at the first rib,
# widest at ribs 7-9 (about 260 mm across the outside of the cage in an adult; approximated).
RIB_HALF_WIDTH = {1: 56.0, 2: 84.0, 3: 102.0, 4: 114.0, 5: 121.0, 6: 126.0, 7: 129.0, 8: 130.0, 9: 129.0, 10: 127.0,
                  11: 123.0, 12: 117.0}


# Where each rib's bone ends and its costal cartilage begins, as a fraction of the rib's half-width: near the
# sternum for the upper ribs, farther out for the lower ones (drawn proportions).
COSTOCHONDRAL_FRACTION = {1: 0.40, 2: 0.42, 3: 0.44, 4: 0.46, 5: 0.48, 6: 0.50, 7: 0.54, 8: 0.60, 9: 0.68, 10: 0.76}
FIRST_RIB_FRONT_MM = 40.0  # first costochondral junction in front of the T1 body (drawn proportion)


class ThoracicCage:
    def __init__(self):
        from .soft_tissue import trunk_profile

        sp = build_spine()
        self.parts: dict[str, Shape] = {}
        self.cartilage: dict[str, Shape] = {}
        self.lateral: dict[tuple[int, str], tuple[float, float]] = {}  # rib -> (z, half-width) of its widest point
        self.points: dict[str, np.ndarray] = {}
        ends = {}
        arcs = {}  # rib -> (half-width, half-depth, centre y, end angle) of its arc round the chest
        for k in range(1, 13):
            v = sp.vertebrae[f"T{k}"]
            p = v.p
            W2, D, H = p.endplate_width / 2, p.endplate_depth, p.body_height_posterior
            for side, s in SIDES.items():
                r_head = 4.5 if k > 1 else 4.0
                head = np.array([s * (W2 * 0.86 + r_head + 1.6), D / 2 - 3.5, H / 2 + 0.5])
                ctf = v.points.get(f"{side}.costotransverse-facet")
                tub = ctf + np.array([0.0, -3.5 - 1.6, -1.5]) if ctf is not None else v.points[f"{side}.tp-tip"]
                hw = W(v, head)
                tw = W(v, tub)
                # shaft: around the inside of the chest wall at this level, descending anteriorly
                z0 = float(tw[2])
                hwid, ap, y_post = trunk_profile(np.array([z0]))
                yc = float(y_post[0] - ap[0] / 2)
                a = RIB_HALF_WIDTH[k]  # the cage, not the shoulders, sets the width of the upper ribs
                b = float(ap[0]) / 2 - 22.0
                length_frac = 1.0 if k <= 10 else (0.55 if k == 11 else 0.35)
                descent = (30.0 + 6.0 * k) if k <= 10 else 30.0
                if k == 1:
                    # the first rib rings the thoracic inlet: its arc is centred level with the tubercle and
                    # reaches forward to the costochondral junction beside the manubrium (the neck's outline,
                    # which sets the other ribs' arcs, lies far behind it)
                    yc = float(tw[1])
                    reach = np.sqrt(1.0 - COSTOCHONDRAL_FRACTION[1] ** 2)
                    b, descent = (yc - (float(v.W([0.0, -D / 2, 0.0])[1]) - FIRST_RIB_FRONT_MM)) / reach, 22.0
                pts = [hw, tw]
                th0 = np.arctan2((tw[1] - yc) / b, s * tw[0] / a)
                # ribs 1-10 end at the costochondral junction, lateral to the sternum; the cartilage goes on
                th_end = -np.arccos(COSTOCHONDRAL_FRACTION[k]) if k <= 10 else th0 - np.pi * 0.95 * length_frac
                ths = np.linspace(th0 - 0.18, th_end, 9)
                for i, th in enumerate(ths):
                    f = (i + 1) / len(ths)
                    pts.append(np.array([s * a * np.cos(th), yc + b * np.sin(th), z0 - descent * (0.25 * f + 0.75 * f * f ** 0.5)]))
                hgt = [r_head, 3.2] + [6.0 if k > 1 else 7.0] * 9
                thk = [r_head, 4.5] + [3.0 if k > 1 else 3.5] * 9
                rib = rod_chain(pts, thk, hgt, k=2.5, ups=[np.array([0.0, 0.0, 1.0])] * (len(pts) - 1))
                self.parts[f"rib{k}.{side}"] = rib
                self.points[f"T{k}.{side}.rib-head"] = hw
                self.points[f"T{k}.{side}.costovertebral-joint"] = W(v, head - np.array([s * (r_head + 0.8), 0.0, 0.0]))
                self.points[f"T{k}.{side}.costotransverse-joint"] = W(v, tub + np.array([0.0, 3.0, 0.5]))
                self.points[f"T{k}.{side}.rib-neck"] = 0.5 * (hw + tw)
                self.points[f"rib{k}.{side}.angle"] = pts[3]
                ends[(k, side)] = pts[-1]
                arcs[(k, side)] = (a, b, yc, th_end)
                lat = max(pts[2:], key=lambda q: abs(q[0]))
                self.lateral[(k, side)] = (float(lat[2]), abs(float(lat[0])))
        # costal cartilages (ribs 1-7 to the sternum, 8-10 to the cartilage above) and the sternum
        t = {k: sp.vertebrae[f"T{k}"].frame.origin for k in range(1, 13)}
        ant = {k: sp.vertebrae[f"T{k}"].W([0.0, -sp.vertebrae[f"T{k}"].p.endplate_depth / 2, 0.0]) for k in range(1, 13)}
        # manubrium: the jugular notch at the T2-T3 disc, the thoracic inlet (front of T1-T2 to the back of
        # the manubrium) about 55 mm deep; the sternum slopes forward to the xiphisternal joint at T9, about
        # 105 mm in front of the T9 body (approximated from anatomy texts)
        st_top = np.array([0.0, float(ant[2][1]) - 60.0, 0.5 * (t[2][2] + t[3][2])])
        st_bot = np.array([0.0, float(ant[9][1]) - 110.0, t[9][2] - 12.0])
        self.parts["sternum"] = Union([
            Rod(st_top, st_top + (st_bot - st_top) * 0.28, 5.5, 26.0, 5.0, 16.0, up=(1, 0, 0)),
            Rod(st_top + (st_bot - st_top) * 0.3, st_bot, 5.0, 15.0, 4.5, 13.0, up=(1, 0, 0)),
        ], k=3.0)
        self.points["sternum"] = 0.5 * (st_top + st_bot)
        self.points["sternum.manubrium"] = st_top + (st_bot - st_top) * 0.12
        self.points["sternum.jugular-notch"] = st_top + np.array([0.0, 0.0, 2.0])
        attach: dict[tuple[int, str], np.ndarray] = {}
        for (k, side), end in sorted(ends.items()):
            if k > 10:
                continue
            s = SIDES[side]
            if k <= 7:
                target = st_top + (st_bot - st_top) * min((k - 1) / 6.0, 1.0) + np.array([s * 12.0, 0.0, 0.0])
            else:  # false ribs join the cartilage above
                target = 0.5 * (ends[(k - 1, side)] + attach[(k - 1, side)])
            attach[(k, side)] = target
            self.cartilage[f"costal-cartilage{k}.{side}"] = _costal_cartilage(end, target, arcs[(k, side)], s)
        # clavicles, scapulae and humeral heads (arms at the sides)
        for side, s in SIDES.items():
            sc = st_top + np.array([s * 22.0, 4.0, 8.0])
            acr = np.array([s * 160.0, float(t[1][1]) + 10.0, float(t[1][2]) + 18.0])
            self.parts[f"clavicle.{side}"] = rod_chain([sc, sc + np.array([s * 45.0, -6.0, 8.0]), acr - np.array([s * 35.0, -8.0, 0.0]), acr],
                                                      [6.0, 5.0, 4.5, 5.5], [6.5, 5.5, 5.0, 5.5], k=3.0)
            spn = np.array([s * 75.0, float(t[3][1]) + 70.0, float(t[3][2])])
            inf = np.array([s * 95.0, float(t[7][1]) + 62.0, float(t[7][2])])
            sup = np.array([s * 70.0, float(t[1][1]) + 60.0, float(t[1][2]) + 10.0])
            gle = np.array([s * 140.0, float(t[2][1]) + 30.0, float(t[2][2])])
            blade = Union([Rod(sup, inf, 3.0, 6.0, 2.5, 6.0, up=(1, 0, 0)), Rod(inf, gle, 2.5, 8.0, 4.0, 14.0, up=(0, 0, 1)),
                           Rod(sup, gle, 2.5, 8.0, 4.0, 12.0, up=(0, 0, 1)), Rod(spn, acr - np.array([s * 8.0, -20.0, 2.0]), 4.0, 6.0, 4.0, 7.0, up=(0, 0, 1)),
                           Ellipsoid(Frame(0.4 * sup + 0.3 * inf + 0.3 * gle, np.eye(3)), (28.0, 4.0, 40.0))], k=5.0)
            self.parts[f"scapula.{side}"] = blade
            head = gle + np.array([s * 26.0, -4.0, -2.0])
            # humeral head and neck only: the arms themselves are left out, as when raised above the head for
            # thoracic and lumbar procedures (the shoulders still overlie C7-T1 on a lateral cervical view)
            self.parts[f"humerus.{side}"] = Union([Sphere(head, 23.0), Rod(head + np.array([s * 4.0, 0, -10.0]), head + np.array([s * 6.0, 0, -38.0]),
                                                                              13.0, 13.0, 12.0, 12.0)], k=6.0)
            self.points[f"scapula.{side}"] = 0.5 * (sup + inf)
            self.points[f"clavicle.{side}"] = sc + np.array([s * 45.0, -6.0, 8.0])
            self.points[f"humerus.{side}.head"] = head
            self.points[f"rib1.{side}.neck"] = self.points[f"T1.{side}.rib-neck"]


def _costal_cartilage(end: np.ndarray, target: np.ndarray, arc: tuple, s: float) -> Shape:
    """Costal cartilage from the rib's anterior end, on round the chest wall along the rib's arc, to the
    sternum (or to the cartilage above)."""
    a, b, yc, th_end = arc
    th_target = np.arctan2((target[1] - yc) / b, s * target[0] / a)
    pts = [end]
    for f in (0.35, 0.7):
        th = th_end + (th_target - th_end) * f
        pts.append(np.array([s * a * np.cos(th), yc + b * np.sin(th), end[2] + (target[2] - end[2]) * f]))
    pts.append(target)
    return rod_chain(pts, [3.5] * 4, [5.0] * 4, k=1.5, ups=[np.array([0.0, 0.0, 1.0])] * 3)


def W(v, local) -> np.ndarray:
    return v.W(local)


@lru_cache(maxsize=1)
def build_cage() -> ThoracicCage:
    return ThoracicCage()


@lru_cache(maxsize=1)
def cage_profile() -> tuple[np.ndarray, np.ndarray]:
    """(z, inner half-width) of the rib cage: the width of the thoracic cavity at each height."""
    lat = build_cage().lateral
    pts = sorted({k: lat[(k, "L")] for k in range(1, 13)}.values())
    z = np.array([p[0] for p in pts])
    a = np.array([p[1] for p in pts]) - 6.0
    return z, a
