"""Measured dimensions of the built model against the parameter table (within 10 %)."""

import numpy as np
import pytest

from atlas.phantom import parameters as P
from atlas.phantom.spine import build_spine


def _inside_run(shape, a, b, step=0.05):
    """Length of the inside (field < 0) run containing the midpoint of segment a-b."""
    t = np.arange(0.0, 1.0 + 1e-9, step / np.linalg.norm(b - a))
    pts = (a[None, :] + t[:, None] * (b - a)[None, :]).astype(np.float32)
    f = np.asarray(shape(pts[:, 0], pts[:, 1], pts[:, 2]))
    inside = f < 0
    mid = len(t) // 2
    assert inside[mid], "the measuring line must start inside the structure"
    lo = mid
    while lo > 0 and inside[lo - 1]:
        lo -= 1
    hi = mid
    while hi < len(t) - 1 and inside[hi + 1]:
        hi += 1
    return (t[hi] - t[lo]) * np.linalg.norm(b - a)


def _gap(shape, a, b, step=0.05):
    """Length of the outside run containing the midpoint of a-b (a canal, a foramen)."""
    t = np.arange(0.0, 1.0 + 1e-9, step / np.linalg.norm(b - a))
    pts = (a[None, :] + t[:, None] * (b - a)[None, :]).astype(np.float32)
    f = np.asarray(shape(pts[:, 0], pts[:, 1], pts[:, 2]))
    outside = f > 0
    mid = len(t) // 2
    assert outside[mid]
    lo, hi = mid, mid
    while lo > 0 and outside[lo - 1]:
        lo -= 1
    while hi < len(t) - 1 and outside[hi + 1]:
        hi += 1
    assert lo > 0 and hi < len(t) - 1, "the gap must be closed on both sides"
    return (t[hi] - t[lo]) * np.linalg.norm(b - a)


LEVELS = ["C4", "C6", "T4", "T8", "T12", "L1", "L3", "L4", "L5"]


@pytest.mark.parametrize("level", LEVELS)
def test_body_width_and_depth(level):
    v = build_spine().vertebrae[level]
    p = P.VERTEBRAE[level]
    z = (p.body_height_anterior + p.body_height_posterior) / 4 - 3.5  # just inside the endplate rim
    body = v.parts["body"]
    width = _inside_run(body, v.W([-40, 0, z]), v.W([40, 0, z]))
    depth = _inside_run(body, v.W([0, -40, 0]), v.W([0, 40, 0]))
    assert width == pytest.approx(p.endplate_width, rel=0.10)
    assert depth == pytest.approx(p.endplate_depth, rel=0.10)


@pytest.mark.parametrize("level", LEVELS)
def test_pedicle_width(level):
    v = build_spine().vertebrae[level]
    p = P.VERTEBRAE[level]
    c = v.points["R.pedicle"]
    a = np.radians(p.pedicle_transverse_angle)
    across = np.array([np.cos(a), np.sin(a), 0.0])  # horizontal, perpendicular to the right pedicle axis
    width = _inside_run(v.parts["R.pedicle"], v.W(c - across * 15), v.W(c + across * 15))
    assert width == pytest.approx(p.pedicle_width, rel=0.10)


@pytest.mark.parametrize("level", LEVELS)
def test_canal_width_and_depth(level):
    v = build_spine().vertebrae[level]
    p = P.VERTEBRAE[level]
    ped = v.points["L.pedicle"]
    # interpedicular distance: the narrowest gap between the medial pedicle walls behind the body
    ys = np.linspace(p.endplate_depth / 2 + 0.5, ped[1] + 1.0, 6)
    width = min(_gap(v.bone, v.W([-40, y, ped[2]]), v.W([40, y, ped[2]])) for y in ys)
    assert width == pytest.approx(p.canal_width, rel=0.10)
    lam = v.points["lamina-junction"]
    depth = _gap(v.bone, v.W([0, 0, lam[2]]), v.W([0, p.endplate_depth / 2 + p.canal_depth + 12, lam[2]]))
    assert depth == pytest.approx(p.canal_depth, rel=0.10)


def test_lumbar_lordosis_and_thoracic_kyphosis_are_physiological():
    al = build_spine().alignment
    lordosis = al.sacral["S1"].tilt - al.vertebrae["L1"].tilt
    kyphosis = al.vertebrae["T1"].tilt - al.vertebrae["T12"].tilt
    assert 35 <= lordosis <= 65
    assert 25 <= kyphosis <= 55


def test_cervical_spinous_processes_are_tall_at_the_base_and_taper():
    """A plate, tall where it joins the laminae and narrowing to the tip, not a finger of even thickness."""
    spine = build_spine()
    for level in ("C4", "C5"):
        heights = _spinous_heights(spine.vertebrae[level], (0.25, 0.8), reach=12.0)
        assert heights[0] > 9.0 and heights[0] > 1.5 * heights[1], (level, heights)


def _spinous_heights(v, fractions, reach: float) -> list[float]:
    """Cranio-caudal height (mm) of a spinous process at fractions of the way from its base to its tip."""
    shape = v.parts["spinous-process"]
    base, tip = v.points["spinous-base"], v.points["spinous-tip"]
    out = []
    for t in fractions:
        c = base + (tip - base) * t
        out.append(_inside_run(shape, v.W(c - np.array([0, 0, reach])), v.W(c + np.array([0, 0, reach]))))
    return out


def test_l5_spinous_process_is_the_smallest_lumbar_one_but_a_plate_with_a_thick_posterior_border():
    """L5's spinous process: lower than L4's, but a quadrangular plate (not a flattened finger) whose height
    holds out to the thickened posterior border."""
    spine = build_spine()
    l4, l5 = (_spinous_heights(spine.vertebrae[level], (0.5, 0.95), reach=20.0) for level in ("L4", "L5"))
    assert l5[0] < l4[0], (l4, l5)
    assert l5[0] > 14.5 and l5[0] > 0.7 * l4[0], (l4, l5)
    assert l5[1] > 12.5 and l5[1] > 0.8 * l5[0], "the posterior border keeps its height (thick tubercle), not a tapered point"


@pytest.mark.parametrize("seg", ["C5-C6", "T8-T9", "T11-T12", "L2-L3", "L4-L5"])
def test_disc_zone_is_the_disc_space_between_the_endplate_rims(seg):
    from atlas.phantom.anatomy import zones

    frame = build_spine().alignment.discs[seg].frame
    s = P.SEGMENTS[seg]
    mid_height = 0.5 * (s.disc_height_anterior + s.disc_height_posterior)
    a, b = frame.point([0.0, 0.0, -8.0]), frame.point([0.0, 0.0, 8.0])
    zone = zones()[f"{seg}.disc"]
    assert abs(_inside_run(zone, a, b) - mid_height) < 0.1 * mid_height
