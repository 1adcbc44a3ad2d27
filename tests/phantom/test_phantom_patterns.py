"""Contrast, cement and balloon patterns: where the phantom puts them."""

import numpy as np
import pytest

from atlas.phantom.anatomy import zones
from atlas.phantom.contrast import CEMENT_HU, components, contrast_layer


def field(shape, p):
    p = np.asarray(p, np.float32).reshape(-1, 3)
    return np.asarray(shape(p[:, 0], p[:, 1], p[:, 2]), float).ravel()


def filled_points(comps, min_hu=500.0):
    """World points of a rasterised pattern whose added HU exceeds ``min_hu``."""
    layer = contrast_layer(comps)
    iz, iy, ix = np.nonzero(layer.hu > min_hu)
    return layer.origin + layer.spacing * np.stack([ix, iy, iz], axis=1)


def test_cement_fills_the_cancellous_bone_of_the_body_around_the_tip(landmarks):
    at = landmarks["L1.body-centre"]
    comps = components("cement", at, "R", "medium")
    pts = filled_points(comps)
    assert len(pts) > 2000
    body = zones()["L1.body"]
    assert np.all(field(body, pts) < 0.2), "cement stays inside the cortex of the body"
    assert np.linalg.norm(pts.mean(axis=0) - at) < 4.0
    layer = contrast_layer(comps)
    assert layer.hu.max() >= CEMENT_HU * 0.95
    # cement is far more opaque than iodinated contrast per HU is not required, but more than cortical bone
    assert layer.mu.max() > 0.079


def test_cement_amounts_grow(landmarks):
    at = landmarks["T11.body-centre"]
    n = [len(filled_points(components("cement", at, "R", a))) for a in ("small", "medium", "large")]
    assert n[0] < n[1] < n[2]


@pytest.mark.parametrize("pattern,where", [
    ("cement-leak-epidural", "epidural"),
    ("cement-leak-disc", "disc"),
    ("cement-leak-foraminal", "foramen"),
    ("cement-leak-venous", "outside"),
])
def test_cement_leaks_leave_the_body_where_named(landmarks, pattern, where):
    at = landmarks["L2.body-centre"]
    pts = filled_points(components(pattern, at, "L", "medium"))
    z = zones()
    outside = pts[field(z["L2"], pts) > 1.0]
    assert len(outside) > 20, "some cement lies outside the bone"
    if where == "epidural":
        assert np.mean(field(z["epidural-space"], outside) < 0.5) > 0.5
    elif where == "disc":
        inside_disc = (field(z["L1-L2.disc"], outside) < 0.5) | (field(z["L2-L3.disc"], outside) < 0.5)
        assert inside_disc.mean() > 0.5
    elif where == "foramen":
        fo = min((landmarks["L1-L2.L.foramen"], landmarks["L2-L3.L.foramen"]), key=lambda p: np.linalg.norm(p - at))
        assert np.linalg.norm(outside.mean(axis=0) - fo) < 8.0
        assert np.all(outside[:, 0] > 0), "on the left"
    else:
        assert np.mean(outside[:, 0] > 0) > 0.8, "a left segmental vein"


def test_balloon_lies_in_the_body_along_the_pedicle_path(landmarks):
    at = landmarks["L1.body-centre"] + np.array([-6.0, 0.0, 0.0])
    pts = filled_points(components("balloon", at, "R", "medium"))
    assert np.all(field(zones()["L1.body"], pts) < 0.5)
    # long axis: principal direction roughly along the right pedicle-to-tip line
    c = pts - pts.mean(axis=0)
    axis = np.linalg.svd(c, full_matrices=False)[2][0]
    ped = landmarks["L1.R.pedicle"]
    want = (at - ped) / np.linalg.norm(at - ped)
    assert abs(axis @ want) > 0.9


def test_cement_in_a_c1_lateral_mass_stays_in_it(landmarks):
    at = landmarks["C1.R.lateral-mass"]
    pts = filled_points(components("cement", at, "R", "large"))
    assert np.all(field(zones()["C1.R.lateral-mass"], pts) < 0.3)


def test_sacroiliac_arthrogram_fills_the_joint_from_its_inferior_part(landmarks):
    pts = filled_points(components("sacroiliac-joint", landmarks["SIJ.R.inferior-third"], None, "medium"), 300.0)
    z = zones()
    assert len(pts) > 300
    in_joint = field(z["SIJ.R"], pts) < 0.5
    assert in_joint.mean() > 0.7
    assert pts[:, 2].mean() < landmarks["SIJ.R.centre"][2], "denser and fuller in the inferior joint"
    assert np.all(pts[:, 0] < 0), "the right joint"


def test_interlaminar_spread_is_dorsal_and_on_the_needle_side(landmarks):
    from atlas.phantom.spine_curves import y_at

    at = landmarks["L4-L5.R.interlaminar"]
    pts = filled_points(components("epidural-interlaminar", at, None, "medium"), 300.0)
    assert len(pts) > 200
    canal = pts[np.abs(pts[:, 0]) < 10.0]
    assert np.mean(canal[:, 1] > y_at("canal", canal[:, 2]) - 2.0) > 0.95, "dorsal epidural space, not the whole ring"
    assert np.mean(pts[:, 0] < 0) > 0.6, "favours the right"
    assert np.ptp(pts[:, 2]) < 90, "a few levels, not the whole canal"


def test_interlaminar_spread_is_patchy_and_tracks_along_root_sleeves_on_its_side(landmarks):
    z = zones()
    at = landmarks["T10-T11.posterior-epidural-space"]
    layer = contrast_layer(components("epidural-interlaminar", at, "R", "large"))
    filled = layer.hu[layer.hu > 300.0]
    assert np.std(filled) / np.mean(filled) > 0.25, "pools and gaps, not an even tube of contrast"
    pts = filled_points(components("epidural-interlaminar", at, "R", "large"), 300.0)
    out = pts[np.abs(pts[:, 0]) > 11.0]  # beyond the canal
    assert len(out) > 100
    roots = [s for n, s in z.items() if n.endswith(".nerve-root")]
    near_root = np.min([field(r, out) for r in roots], axis=0) < 1.6
    assert near_root.mean() > 0.95, "outside the canal only along the root sleeves"
    assert np.mean(out[:, 0] < 0) > 0.6, "mostly the right-sided sleeves"
    medium = filled_points(components("epidural-interlaminar", at, "R", "medium"), 300.0)
    assert np.all(medium[np.abs(medium[:, 0]) > 11.0][:, 0] < 0), "a medium volume: the needle's side only"


def test_prevertebral_spread_runs_down_over_the_longus_colli(landmarks):
    at = landmarks["C6.R.body-tp-junction"]
    pts = filled_points(components("prevertebral", at, None, "medium"), 300.0)
    assert len(pts) > 200
    assert np.mean(field(zones()["longus-colli.R"], pts) < 2.6) > 0.95
    assert pts[:, 2].min() < at[2] - 20, "spreads caudally toward C7-T1"


def test_medial_branch_spread_is_small_and_on_the_bone(landmarks):
    at = landmarks["L4.R.sap-tp-junction"]
    pts = filled_points(components("medial-branch", at, None, "small"), 300.0)
    assert 20 < len(pts) and np.linalg.norm(pts - at, axis=1).max() < 14.0
    assert np.all(np.abs(field(zones()["L4"], pts)) < 2.6)


def test_muscle_spread_stays_in_the_muscle_along_its_fibres(landmarks):
    at = landmarks["piriformis.R"]
    pts = filled_points(components("muscle", at, None, "medium"), 300.0)
    assert np.mean(field(zones()["piriformis.R"], pts) < 0.5) > 0.95
    c = pts - pts.mean(axis=0)
    axis = np.linalg.svd(c, full_matrices=False)[2][0]
    notch, troch = landmarks["pelvis.R.greater-sciatic-notch"], landmarks["femur.R.greater-trochanter"]
    along = (troch - notch) / np.linalg.norm(troch - notch)
    assert abs(axis @ along) > 0.7, "elongated along the muscle (notch to trochanter)"


def test_facet_pattern_at_the_atlantoaxial_joint_fills_that_joint(landmarks):
    at = landmarks["C1-C2.R.lateral-atlantoaxial-joint"]
    pts = filled_points(components("facet", at, None, "medium"), 300.0)
    assert np.linalg.norm(pts.mean(axis=0) - at) < 8.0


def test_transforaminal_spread_at_the_c2_ganglion_follows_the_c2_root(landmarks):
    from atlas.phantom.contrast import _nearest

    name, _ = _nearest(".nerve-root", landmarks["C2.R.drg"], zones())
    assert name == "C2.R.nerve-root"


def test_intrathecal_contrast_sinks_ventrally_in_front_of_the_cord(landmarks):
    from atlas.phantom.spine_curves import y_at

    at = landmarks["C1-C2.posterior-canal"]
    layer = contrast_layer(components("intrathecal", at, None, "small"))
    iz, iy, ix = np.nonzero(layer.hu > 1.0)
    pts = layer.origin + layer.spacing * np.stack([ix, iy, iz], axis=1)
    hu = layer.hu[iz, iy, ix]
    depth = pts[:, 1] - y_at("canal", pts[:, 2])  # + toward the back
    ventral, dorsal = hu[depth < -2.0].mean(), hu[depth > 2.0].mean()
    assert ventral > 4 * dorsal, (ventral, dorsal)
    assert np.all(field(zones()["spinal-cord"], pts[hu > 100.0]) > -0.5), "the cord stays a filling defect"
