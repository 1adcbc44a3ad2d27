"""Sacrum, pelvis and the lumbar Scotty dog: what the teaching views must show."""

from __future__ import annotations

import numpy as np
import pytest

from atlas.phantom.carm import View
from atlas.phantom.landmarks import squaring_tilt
from atlas.phantom.sacropelvis import build_sacropelvis
from atlas.phantom.spine import build_spine


def field(shape, p):
    p = np.asarray(p, np.float32)[None, :]
    return float(np.asarray(shape(p[:, 0], p[:, 1], p[:, 2])).ravel()[0])


def inside(shape, pts):
    pts = np.asarray(pts, np.float32)
    return np.asarray(shape(pts[:, 0], pts[:, 1], pts[:, 2])).ravel() < 0.0


@pytest.fixture(scope="module")
def sacropelvic(phantom_cache):
    from atlas.phantom import Phantom

    return Phantom.load("sacropelvic", phantom_cache, quality="test")


def _cranial_tilt_ap(phantom, size=256):
    from atlas.phantom.render import render_with

    spec = {"modality": "fluoroscopy", "region": "sacropelvic", "craniocaudal": round(squaring_tilt("L5-S1"), 1),
            "center": "S1.body-centre", "field_mm": 170}
    img = render_with(spec, phantom, size=size)
    view = View("prone", 0.0, spec["craniocaudal"], build_sacropelvis().points["S1.body-centre"], 170.0, size)
    return img.pixels.astype(float), view


def _disc_and_ring(pixels, c, r_in, r0, r1):
    yy, xx = np.mgrid[0:pixels.shape[0], 0:pixels.shape[1]]
    d = np.hypot(xx + 0.5 - c[0], yy + 0.5 - c[1])
    return pixels[d <= r_in].mean(), pixels[(d >= r0) & (d <= r1)].mean()


def test_s1_foramina_are_the_clearest_lucencies_on_the_cranial_tilt_ap(sacropelvic, landmarks):
    """With the tilt that squares L5-S1 the dorsal and ventral S1 foramina line up: a round lucency (darker
    than the bone around it on a bone-white image), and more bone is missing along the beam there than at S2.

    The comparison with S2 is made on the attenuation (line integrals), which the display's harmonisation and
    edge enhancement do not reshape; the lucency itself is checked on the displayed image."""
    from atlas.phantom.drr import drr_fast

    pixels, view = _cranial_tilt_ap(sacropelvic)
    line = drr_fast(sacropelvic.volume.layers, view)
    mm = view.size / view.field_mm  # pixels per mm at the isocentre
    contrast, deficit = {}, {}
    for lvl in ("S1", "S2"):
        for side in "LR":
            post, ant = view.project(np.array([landmarks[f"{lvl}.{side}.posterior-foramen"], landmarks[f"{lvl}.{side}.anterior-foramen"]]))
            assert np.linalg.norm(post - ant) < 5.0 * mm, f"{lvl} dorsal and ventral foramina line up along the beam"
            hole, ring = _disc_and_ring(pixels, 0.5 * (post + ant), 2.5 * mm, 8.0 * mm, 11.0 * mm)
            contrast[lvl, side] = ring - hole
            hole, ring = _disc_and_ring(line, 0.5 * (post + ant), 2.5 * mm, 8.0 * mm, 11.0 * mm)
            deficit[lvl, side] = ring - hole
    for side in "LR":
        assert contrast["S1", side] > 45.0, f"the {side} S1 foramen is a clear lucency"
        assert deficit["S1", side] > deficit["S2", side], "S1 at least as lucent as S2"


def test_sacral_foramina_shrink_from_s1_to_s4():
    from atlas.phantom import sacropelvis as sp

    for sizes in (sp._FORAMEN_R, sp._POST_FORAMEN_R):
        assert all(a > b for a, b in zip(sizes, sizes[1:]))
    assert all(a > p for a, p in zip(sp._FORAMEN_R, sp._POST_FORAMEN_R)), "the ventral openings are the larger"


def test_anterior_foramen_landmarks_lie_in_the_foramen_not_in_front_of_the_sacrum(landmarks):
    sx = build_sacropelvis()
    sacrum = sx.parts["sacrum"]
    for k in range(1, 4):  # (the small S4 foramen opens at the thin lower border of the lateral mass)
        for side, s in (("R", -1.0), ("L", 1.0)):
            p = landmarks[f"S{k}.{side}.anterior-foramen"]
            assert field(sacrum, p) > 0.0, "in the opening"
            fr = sx.al.sacral[f"S{k}"].frame
            across = fr.vector([1.0, 0.0, 0.0])
            steps = np.arange(0.0, 10.0, 0.25)
            medial = inside(sacrum, p[None, :] - s * steps[:, None] * across[None, :])
            lateral = inside(sacrum, p[None, :] + s * steps[:, None] * across[None, :])
            assert medial.any() and lateral.any(), f"S{k} {side}: bone on both sides (in the foramen's canal)"
            # and it is the ventral opening: the dorsal one lies well behind it
            assert landmarks[f"S{k}.{side}.posterior-foramen"] @ fr.vector([0, 1.0, 0]) > p @ fr.vector([0, 1.0, 0]) + 10.0


def test_axial_ct_through_the_s1_anterior_foramen_cuts_the_foramen(landmarks):
    """On the axial slice through it, the landmark lies in a notch of the sacrum, with bone medial and lateral."""
    sacrum = build_sacropelvis().parts["sacrum"]
    p = landmarks["S1.R.anterior-foramen"]
    xs = np.arange(-12.0, 12.25, 0.25)
    row = inside(sacrum, np.stack([p[0] + xs, np.full(xs.size, p[1]), np.full(xs.size, p[2])], axis=1))
    assert row[xs < 0].any() and row[xs > 0].any() and not row[np.abs(xs) < 2.0].any()


def _outline_x(view, shape, frame, lo, hi, step):
    g = np.stack(np.meshgrid(*(np.arange(a, b, step) for a, b in zip(lo, hi)), indexing="ij"), -1).reshape(-1, 3)
    w = frame.point(g)
    return view.project(w[inside(shape, w)])[:, 0]


@pytest.mark.parametrize("side,oblique", [("R", 30.0), ("L", -30.0)])
def test_l3_transverse_process_is_the_scotty_dog_nose(landmarks, side, oblique):
    """On a 30 degree oblique the tip of the L3 transverse process projects past the outline of the body."""
    v = build_spine().vertebrae["L3"]
    view = View("prone", oblique, 4.0, landmarks[f"L3.{side}.pedicle"], 130.0, 512)
    mm = view.size / view.field_mm
    body = _outline_x(view, v.parts["body"], v.frame, (-30, -25, -15), (30, 25, 15.1), 0.75)
    outward = 1.0 if view.project(landmarks[f"L3.{side}.tp-tip"])[0, 0] > view.project(landmarks["L3.body-centre"])[0, 0] else -1.0
    edge = body.max() if outward > 0 else body.min()
    tip = view.project(landmarks[f"L3.{side}.tp-tip"])[0, 0]
    assert outward * (tip - edge) > 2.5 * mm, "the tip centre lies beyond the body's outline"
    tp = _outline_x(view, v.parts[f"{side}.transverse-process"], v.frame, (-60, -10, -12), (60, 40, 12), 0.75)
    reach = tp.max() if outward > 0 else tp.min()
    assert outward * (reach - edge) > 6.0 * mm, "the nose stands clear of the body"


@pytest.mark.parametrize("side,oblique", [("R", 30.0), ("L", -30.0)])
def test_l3_superior_articular_process_is_the_scotty_dog_ear_a_broad_based_point(landmarks, side, oblique):
    """On a 30 degree oblique the L3 SAP rises above the pedicle as a broad-based ear that narrows to its tip,
    not a thin stick of even width."""
    v = build_spine().vertebrae["L3"]
    view = View("prone", oblique, 4.0, landmarks[f"L3.{side}.pedicle"], 130.0, 512)
    mm = view.size / view.field_mm
    g = np.stack(np.meshgrid(*(np.arange(a, b, 0.4) for a, b in zip((-35, -5, -5), (35, 45, 35))), indexing="ij"), -1).reshape(-1, 3)
    w = v.frame.point(g)
    ear, eye = (view.project(w[inside(v.parts[f"{side}.{part}"], w)]) / mm for part in ("sap", "pedicle"))
    top, eye_top = ear[:, 1].min(), eye[:, 1].min()  # image y runs down
    assert eye_top - top > 8.0, "the ear rises well above the eye"
    widths = np.array([np.ptp(ear[(ear[:, 1] >= y) & (ear[:, 1] < y + 1.0), 0]) for y in np.arange(top, eye_top - 1.0, 1.0)])
    lower = widths[len(widths) // 3:]
    assert lower.mean() > 6.5, f"a broad base ({np.round(widths, 1)} mm from the tip down)"
    assert widths[0] < 0.7 * lower.max(), f"narrowing to its tip ({np.round(widths, 1)} mm from the tip down)"


@pytest.mark.parametrize("side,s", [("R", -1.0), ("L", 1.0)])
def test_obturator_foramen_is_an_opening_ringed_by_bone_on_an_ap_view(side, s):
    sx = build_sacropelvis()
    hip = sx.parts[f"{side}.hip-bone"]
    sl = sx.al.s1_endplate.frame.origin
    xs, zs = np.arange(0.0, 110.0, 1.5), np.arange(-175.0, -80.0, 1.5)
    ys = np.arange(-110.0, 30.0, 1.5)
    X, Z = np.meshgrid(xs, zs, indexing="ij")
    covered = np.zeros(X.shape, bool)
    for y in ys:
        pts = np.stack([sl[0] + s * X.ravel(), np.full(X.size, sl[1] + y), sl[2] + Z.ravel()], axis=1)
        covered |= inside(hip, pts).reshape(X.shape)
    from scipy import ndimage

    holes = ndimage.binary_fill_holes(covered) & ~covered
    lab, n = ndimage.label(holes)
    assert n >= 1, "an opening enclosed by bone"
    sizes = ndimage.sum(holes, lab, range(1, n + 1))
    big = lab == 1 + int(np.argmax(sizes))
    w, h = np.ptp(X[big]), np.ptp(Z[big])
    assert w > 24.0 and h > 30.0 and h > w, f"an oval taller than wide ({w:.0f} x {h:.0f} mm)"
    cx = X[big].mean()
    assert 20.0 < cx < sx.key_points(s)["acetabulum"][0] * s, "below and medial to the acetabulum"


def test_iliac_crest_is_a_smooth_arc_on_an_ap_view():
    """The crest's top outline (highest bone per column, AP projection) from the posterior crest to its widest
    point turns gradually, like an arc: no corner."""
    sx = build_sacropelvis()
    hip = sx.parts["R.hip-bone"]
    k = sx.key_points(-1.0)
    xs = np.arange(k["posterior-crest"][0], k["crest-lateral"][0] + 2.0, -2.0)  # the right side: x negative
    zz = np.arange(k["crest-summit"][2] + 20.0, k["asis"][2], -0.25)
    Zg, Yg = np.meshgrid(zz, np.arange(-100.0, 100.0, 1.0), indexing="ij")
    top = []
    for x in xs:
        m = inside(hip, np.stack([np.full(Zg.size, x), Yg.ravel(), Zg.ravel()], axis=1)).reshape(Zg.shape).any(axis=1)
        assert m.any()
        top.append(zz[np.argmax(m)])
    slope = np.degrees(np.arctan2(np.diff(np.array(top)[::3]), 6.0))  # over 6 mm steps
    assert slope[0] > 20.0 and slope[-1] < 0.0, "rises from the posterior crest, falls toward the widest point"
    assert np.abs(np.diff(slope)).max() < 28.0, "turns by less than 28 degrees per 6 mm"
