"""Lesions placed by landmark: lytic and sclerotic foci, compression and sacral insufficiency fractures."""

import numpy as np
import pytest

from atlas.phantom import validate_render_spec
from atlas.phantom.anatomy import zones
from atlas.phantom.lesions import apply_to_points, fracture_surfaces
from atlas.phantom.render import render_with
from atlas.phantom.spine import build_spine


def line(a, b, n=200):
    t = np.linspace(0, 1, n)[:, None]
    return a[None, :] + t * (b - a)[None, :]


def test_lytic_lesion_replaces_cancellous_bone_and_keeps_the_cortex_unless_breached(landmarks):
    v = build_spine().vertebrae["L2"]
    at = landmarks["L2.R.body-anterior-third"]
    pts = line(at, v.W([v.local_of(at)[0], v.p.endplate_depth / 2 + 6.0, v.local_of(at)[2]]))
    hu = np.full(len(pts), 220.0, np.float32)
    f = np.asarray(zones()["L2.body"](*(pts.astype(np.float32).T)))
    hu[np.abs(f + 0.4) < 0.4] = 1300.0  # the posterior cortex
    kept = apply_to_points({"kind": "lytic", "size": "large"}, at, pts, hu)
    assert kept[0] < 60, "soft-tissue mass at the focus"
    assert kept.max() > 1000, "cortex kept"
    breached = apply_to_points({"kind": "lytic", "size": "large", "breach": "posterior"}, at, pts, hu)
    assert breached[np.abs(f + 0.4) < 0.4].max() < 200, "posterior wall destroyed"


def test_wedge_compression_fracture_loses_anterior_height_and_keeps_the_posterior_wall():
    v = build_spine().vertebrae["T11"]
    les = {"kind": "compression-fracture", "height_loss": 0.4, "shape": "wedge"}
    D = v.p.endplate_depth
    top_a, _ = fracture_surfaces(les, v, np.float32(0), np.float32(-D / 2))
    top_p, _ = fracture_surfaces(les, v, np.float32(0), np.float32(D / 2))
    H = 0.5 * (v.p.body_height_anterior + v.p.body_height_posterior)
    assert v.half_height(-D / 2) - float(top_a) == pytest.approx(0.4 * H, rel=0.05)
    assert abs(v.half_height(D / 2) - float(top_p)) < 0.5
    # voxels above the new endplate become soft tissue, a dense line marks the new endplate
    pts = np.array([v.W([0, -D / 2 + 4, z]) for z in np.arange(-2.0, v.half_height(-D / 2) - 1.0, 0.25)])
    out = apply_to_points(les, v.frame.origin, pts, np.full(len(pts), 220.0, np.float32))
    assert out[-1] < 100 and out.max() > 1000


def test_biconcave_fracture_depresses_both_endplates():
    v = build_spine().vertebrae["L1"]
    top, bot = fracture_surfaces({"kind": "compression-fracture", "height_loss": 0.3, "shape": "biconcave"}, v, np.float32(0), np.float32(0))
    assert float(top) < v.half_height(0) - 3 and float(bot) > -v.half_height(0) + 3


def test_sacral_insufficiency_fracture_is_a_lucent_line_with_sclerosis_in_the_ala(landmarks):
    at = landmarks["S1.R.ala"]
    pts = line(at + np.array([-12.0, 0, 0]), at + np.array([12.0, 0, 0]), 241)
    inside = np.asarray(zones()["sacrum"](*(pts.astype(np.float32).T))) < 0
    out = apply_to_points({"kind": "insufficiency-fracture"}, at, pts, np.full(len(pts), 200.0, np.float32))
    assert out[inside].min() < 100 and out[inside].max() > 450


def test_lesions_change_radiograph_and_ct(lumbar):
    base = {"modality": "fluoroscopy", "region": "lumbar", "oblique": 90, "level": "L1", "field_mm": 120}
    les = [{"kind": "compression-fracture", "at": "L1", "height_loss": 0.4, "label": "fracture"}]
    a = render_with(base, lumbar, size=96).pixels.astype(int)
    b = render_with(dict(base, lesions=les, zones=[{"structure": "lesion", "label": "collapsed"}]), lumbar, size=96)
    assert np.abs(b.pixels.astype(int) - a).sum() > 0
    assert any(x["kind"] == "arrow" and x["label"] == "fracture" for x in b.annotations)
    assert next(x for x in b.annotations if x["kind"] == "polygon")["points"]
    ct = {"modality": "ct", "region": "lumbar", "at": "L2.body-centre", "window": "bone", "field_mm": 120}
    c0 = render_with(ct, lumbar, size=96).pixels.astype(int)
    c1 = render_with(dict(ct, lesions=[{"kind": "lytic", "at": "L2.body-centre", "size": 20}]), lumbar, size=96).pixels.astype(int)
    assert (c0 - c1).max() > 20, "the lytic focus is darker than bone"


def test_lesion_specs_are_validated():
    base = {"modality": "ct", "region": "lumbar", "at": "L2.body-centre"}
    assert validate_render_spec(dict(base, lesions=[{"kind": "lytic", "at": "L2.body-centre", "size": "large", "breach": "posterior"}])) == []
    problems = dict(validate_render_spec(dict(base, lesions=[{"kind": "cyst", "at": "L2.nowhere", "shape": "h", "height_loss": 2}],
                                              zones=[{"structure": "lesion.2"}])))
    for key in ("render.lesions[0].kind", "render.lesions[0].at", "render.lesions[0].height_loss", "render.zones[0].structure"):
        assert key in problems, key


@pytest.mark.parametrize("level,shape", [("T11", "wedge"), ("L1", "wedge"), ("L1", "biconcave")])
def test_cement_stays_inside_the_collapsed_body(landmarks, level, shape):
    """With a compression fracture the cement fills what is left of the body, not the original height
    (which would put it in the disc space above the depressed endplate on the lateral view)."""
    from atlas.phantom.contrast import components
    from atlas.phantom.lesions import fracture_surfaces
    from atlas.phantom.spine import build_spine

    v = build_spine().vertebrae[level]
    lesion = {"kind": "compression-fracture", "at": level, "height_loss": 0.35, "shape": shape}
    at = landmarks[f"{level}.R.body-anterior-third"]
    comps = components("cement", at, None, "large", lesions=((lesion, landmarks[f"{level}.body-centre"]),))
    fill = comps[0].shape
    r = np.arange(-30.0, 30.01, 1.0)
    X, Y, Z = np.meshgrid(r, r, r, indexing="ij")
    loc = np.stack([X.ravel(), Y.ravel(), Z.ravel()], axis=1)
    pts = np.array([v.W(q) for q in loc], np.float32)
    inside = np.asarray(fill(pts[:, 0], pts[:, 1], pts[:, 2])).ravel() < 0
    assert inside.sum() > 500
    top, bot = fracture_surfaces(lesion, v, loc[inside, 0].astype(np.float32), loc[inside, 1].astype(np.float32))
    assert np.all(loc[inside, 2] <= top + 0.01), "no cement above the depressed endplate"
    if bot is not None:
        assert np.all(loc[inside, 2] >= bot - 0.01)
    # without the fracture the same cement reaches higher (the test measures something)
    plain = components("cement", at, None, "large")[0].shape
    inside0 = np.asarray(plain(pts[:, 0], pts[:, 1], pts[:, 2])).ravel() < 0
    top0, _ = fracture_surfaces(lesion, v, loc[inside0, 0].astype(np.float32), loc[inside0, 1].astype(np.float32))
    assert np.any(loc[inside0, 2] > top0 + 1.0)


def test_sacral_insufficiency_fracture_runs_front_to_back_through_the_ala(landmarks):
    """Axial CT: the lucent line crosses the whole lateral mass (not a front half ending in a straight edge),
    lateral to the foramina; the H pattern adds a horizontal limb across S2."""
    at = landmarks["S1.R.ala"]
    z = landmarks["S1.R.foramen"][2]
    xs, ys = np.meshgrid(np.arange(-60.0, 0.0, 0.5), np.arange(-20.0, 70.0, 0.5))
    pts = np.stack([xs.ravel(), ys.ravel(), np.full(xs.size, z)], axis=1)
    bone = np.asarray(zones()["sacrum"](*(pts.astype(np.float32).T))) < -1.0
    out = apply_to_points({"kind": "insufficiency-fracture"}, at, pts, np.full(len(pts), 200.0, np.float32))
    lucent = bone & (out < 100)
    assert lucent.any()
    yb = pts[bone & (pts[:, 0] < landmarks["S1.R.foramen"][0] - 3.0), 1]
    yl = pts[lucent, 1]
    assert yl.min() < yb.min() + 6.0 and yl.max() > yb.max() - 6.0, (yl.min(), yl.max(), yb.min(), yb.max())
    assert np.all(pts[lucent, 0] < landmarks["S1.R.foramen"][0] - 2.0), "lateral to the foramen"
    s2 = landmarks["S2.body-centre"]
    across = line(s2 + np.array([-25.0, 0, 6.0]), s2 + np.array([25.0, 0, -6.0]), 400)
    h = apply_to_points({"kind": "insufficiency-fracture", "shape": "h"}, at, across, np.full(len(across), 200.0, np.float32))
    assert (h < 100).any(), "horizontal limb of the H across the S2 body"


def test_wedge_fracture_in_the_built_model_loses_anterior_height_and_keeps_the_posterior(lumbar, landmarks):
    """On the phantom's own CT values (the sagittal CT path), the default compression fracture is an anterior
    wedge: the anterior wall loses about ``height_loss`` of the body height, the posterior wall far less, and a
    dense band of impacted bone lies beneath the depressed endplate."""
    v = build_spine().vertebrae["T11"]
    p = v.p
    D, H = p.endplate_depth, 0.5 * (p.body_height_anterior + p.body_height_posterior)
    lesion = {"kind": "compression-fracture", "at": "T11", "height_loss": 0.35}
    zs = np.arange(-4.0, p.body_height_posterior / 2 + 4.0, 0.25)

    def top(y, hu):  # highest bone sample (above a cancellous threshold) of the column at depth y
        bone = zs[hu > 150.0]
        return float(bone.max())

    heights = {}
    for name, y in (("anterior", -D / 2 + 3.0), ("posterior", D / 2 - 3.0)):
        pts = np.array([v.W([0.0, y, z]) for z in zs])
        hu0 = lumbar.volume.sample_hu(pts)
        hu1 = apply_to_points(lesion, landmarks["T11.body-centre"], pts, hu0)
        heights[name] = (top(y, hu0), top(y, hu1))
        if name == "anterior":
            t1 = heights[name][1]
            under = (zs > t1 - 4.5) & (zs < t1 - 2.0)
            assert np.mean(hu1[under] - hu0[under]) > 250, "sclerotic band beneath the depressed endplate"
    loss_a = heights["anterior"][0] - heights["anterior"][1]
    loss_p = heights["posterior"][0] - heights["posterior"][1]
    assert loss_a == pytest.approx(0.35 * H, abs=1.5), heights
    assert loss_p < 0.25 * loss_a, heights
