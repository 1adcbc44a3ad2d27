"""Needle targets: each lies where the anatomy says, clear of what it must not be in, and the usual straight
path from the skin reaches it without crossing bone, a nerve root or the thecal sac."""

from functools import lru_cache

import numpy as np
import pytest

from atlas.phantom.anatomy import all_structures, zones
from atlas.phantom.carm import View, beam_direction
from atlas.phantom.landmarks import squaring_tilt
from atlas.phantom.spine import build_spine

LUMBAR_SEGMENTS = ["T12-L1", "L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"]
THORACIC_SEGMENTS = [f"T{i}-T{i + 1}" for i in range(1, 12)]


def field(name, pts):
    p = np.asarray(pts, np.float32).reshape(-1, 3)
    return np.asarray(zones()[name](p[:, 0], p[:, 1], p[:, 2]), float).ravel()


@lru_cache(maxsize=1)
def bones():
    return tuple(s.name for s in all_structures() if s.group == "bone")


@lru_cache(maxsize=1)
def roots():
    return tuple(n for n in zones() if n.endswith(".nerve-root")) + ("cauda-equina", "spinal-cord")


def _near(names, pts, pad=5.0):
    lo, hi = pts.min(axis=0) - pad, pts.max(axis=0) + pad
    z = zones()
    return [n for n in names if np.all(z[n].bbox[1] >= lo) and np.all(z[n].bbox[0] <= hi)]


def crossings(a, b, names, margin=0.0, skip_end=0.0, step=0.25):
    """Structures the straight segment a -> b passes through (closer than ``margin``), ignoring the last
    ``skip_end`` mm before ``b``: {name: smallest field}."""
    a, b = np.asarray(a, float), np.asarray(b, float)
    length = float(np.linalg.norm(b - a))
    ts = np.arange(0.0, max(length - skip_end, 0.0), step)
    pts = a[None, :] + ts[:, None] * (b - a)[None, :] / length
    out = {}
    for n in _near(names, pts):
        f = field(n, pts).min()
        if f < margin:
            out[n] = round(float(f), 2)
    return out


def ray_crossings(target, direction, names, margin=0.0, start=1.0, length=110.0):
    t = np.asarray(target, float)
    d = np.asarray(direction, float) / np.linalg.norm(direction)
    return crossings(t + length * d, t + start * d, names, margin)


def local(level, p):
    return build_spine().vertebrae[level].local_of(p)


def lower_of(seg):
    return seg.split("-")[1]


# -- 1. the subpedicular (safe-triangle) target -----------------------------------------------------------------
@pytest.mark.parametrize("seg", LUMBAR_SEGMENTS + THORACIC_SEGMENTS)
@pytest.mark.parametrize("side", ["L", "R"])
def test_safe_triangle_lies_below_the_pedicle_in_the_foramen_clear_of_bone_root_and_sac(landmarks, seg, side):
    upper, lower = seg.split("-")
    v = build_spine().vertebrae[upper]
    t = landmarks[f"{seg}.{side}.safe-triangle"]
    lt = v.local_of(t)
    bottom = v.points[f"{side}.pedicle-bottom"][2]
    assert 1.0 < bottom - lt[2] < 6.0, "just below the pedicle"
    assert lt[2] > v.local_of(landmarks[f"{upper}.{side}.drg"])[2], "above the exiting root's ganglion"
    lower_bone = "sacrum" if lower == "S1" else lower
    assert field(upper, t)[0] > 1.0 and field(lower_bone, t)[0] > 1.0, "not in bone (nor in the superior articular process below)"
    assert field(f"{upper}.{side}.nerve-root", t)[0] > 1.0, "not in the exiting root"
    assert field("thecal-sac", t)[0] > 3.0, "lateral to the thecal sac"
    if f"{seg}.{side}.foramen" in zones():
        assert field(f"{seg}.{side}.foramen", t)[0] < 0, "in the foramen"


@pytest.mark.parametrize("seg", LUMBAR_SEGMENTS)
@pytest.mark.parametrize("side", ["L", "R"])
def test_transforaminal_skin_path_reaches_the_safe_triangle_crossing_nothing(landmarks, seg, side):
    t, e = landmarks[f"{seg}.{side}.safe-triangle"], landmarks[f"{seg}.{side}.skin-entry"]
    assert crossings(e, t, bones() + roots() + ("thecal-sac",), margin=0.3) == {}
    # and across the usual range of working obliques
    sign = 1.0 if side == "R" else -1.0
    for obl in (20.0, 25.0, 30.0):
        hits = ray_crossings(t, beam_direction("prone", sign * obl, squaring_tilt(seg)), bones() + roots() + ("thecal-sac",))
        assert hits == {}, (obl, hits)


@pytest.mark.parametrize("seg", ["L1-L2", "L2-L3", "L3-L4", "L4-L5"])
def test_in_the_oblique_the_target_shows_under_the_pedicle_above_and_lateral_to_the_sap_tip(landmarks, seg):
    upper, lower = seg.split("-")
    view = View("prone", 25.0, squaring_tilt(seg), landmarks[f"{seg}.R.safe-triangle"], 120.0, 512)
    names = [f"{seg}.R.safe-triangle", f"{upper}.R.pedicle-bottom", f"{lower}.R.sap-tip", f"{upper}.R.pedicle", f"{upper}.R.tp-tip"]
    t, pb, tip, ped, tp = view.project(np.array([landmarks[n] for n in names]))
    assert pb[1] < t[1] < tip[1], "between the pedicle above and the SAP tip below (image y runs down)"
    lateral = np.sign(tp[0] - ped[0])
    assert (t[0] - tip[0]) * lateral > 0, "lateral to the SAP tip"


# -- 2. Kambin's triangle -----------------------------------------------------------------------------------------
@pytest.mark.parametrize("seg", ["L1-L2", "L2-L3", "L3-L4", "L4-L5", "L5-S1"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_kambin_triangle_lies_on_the_posterolateral_disc_lateral_to_the_sap_below_the_root(landmarks, seg, side):
    upper, lower = seg.split("-")
    k = landmarks[f"{seg}.{side}.kambin-triangle"]
    sp = build_spine()
    frame = sp.alignment.discs[seg].frame
    lk = frame.local_point(k)
    assert 0.0 < field(f"{seg}.disc", k)[0] < 3.0, "on the annulus"
    assert lk[1] > 3.0, "posterolateral, not lateral"
    joint = frame.local_point(sp.joints[seg][side].centre)
    assert abs(lk[0]) > abs(joint[0]), "lateral to the facet joint and its superior articular process"
    lower_bone = "sacrum" if lower == "S1" else lower
    assert field(upper, k)[0] > 1.0 and field(lower_bone, k)[0] > 1.0
    assert field(f"{upper}.{side}.nerve-root", k)[0] > 1.0, "below the exiting root"
    assert field(f"{lower}.{side}.nerve-root", k)[0] > 1.0 and field("thecal-sac", k)[0] > 2.0, "lateral to the dura"
    sign = 1.0 if side == "R" else -1.0
    clear = [obl for obl in (35.0, 40.0, 45.0)
             if not ray_crossings(k, beam_direction("prone", sign * obl, squaring_tilt(seg)), bones() + roots() + ("thecal-sac",))]
    assert clear, "reachable from a 35-45 degree posterolateral oblique"


# -- 3. the posterolateral corridor to the L4-L5 disc ----------------------------------------------------------
def test_l5_transverse_process_lies_below_the_l4_l5_disc(landmarks):
    for side in "LR":
        assert landmarks[f"L5.{side}.tp-superior"][2] < landmarks["L4-L5.disc-centre"][2] - 1.0


@pytest.mark.parametrize("side", ["L", "R"])
def test_straight_oblique_path_reaches_the_l4_l5_disc_centre_lateral_to_the_sap_above_the_tp(landmarks, side):
    t = landmarks["L4-L5.disc-centre"]
    sign = 1.0 if side == "R" else -1.0
    names = bones() + roots() + ("thecal-sac",)
    ok = []
    for obl in (45.0, 50.0):
        for cc in (5.0, squaring_tilt("L4-L5")):
            if not ray_crossings(t, beam_direction("prone", sign * obl, cc), names, start=12.0, length=130.0):
                ok.append((obl, cc))
    assert (45.0, 5.0) in ok and (50.0, squaring_tilt("L4-L5")) in ok, ok


# -- 4. the lumbar interlaminar window ----------------------------------------------------------------------------
INTERLAMINAR_SEGMENTS = ["L1-L2", "L2-L3", "L3-L4", "L4-L5"]


@pytest.mark.parametrize("seg", INTERLAMINAR_SEGMENTS + ["L5-S1"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_paramedian_interlaminar_point_is_on_the_back_of_the_flavum_in_an_open_window(landmarks, seg, side):
    upper, lower = seg.split("-")
    t = landmarks[f"{seg}.{side}.interlaminar"]
    lower_bone = "sacrum" if lower == "S1" else lower
    assert field(upper, t)[0] > 1.0 and field(lower_bone, t)[0] > 1.0, "not in a lamina"
    assert 0.0 < field(f"{seg}.ligamentum-flavum", t)[0] < 2.0, "on the back of the ligamentum flavum"
    assert abs(t[0]) > 3.0, "paramedian"
    hits = ray_crossings(t, beam_direction("prone", 0.0, squaring_tilt(seg)), bones() + ("thecal-sac",))
    assert hits == {}, "the squared AP ray reaches it through the window"


@pytest.mark.parametrize("seg", INTERLAMINAR_SEGMENTS + ["L5-S1"])
def test_midline_interlaminar_skin_path_crosses_no_bone(landmarks, seg):
    t, e = landmarks[f"{seg}.interlaminar"], landmarks[f"{seg}.interlaminar.skin-entry"]
    assert abs(t[0]) < 0.5
    assert crossings(e, t, bones() + ("thecal-sac",), margin=0.3) == {}


@pytest.mark.parametrize("seg", INTERLAMINAR_SEGMENTS + ["L5-S1"])
def test_posterior_epidural_space_lies_just_deep_to_the_flavum_and_a_paramedian_ray_reaches_it(landmarks, seg):
    upper, lower = seg.split("-")
    lower = "sacrum" if lower == "S1" else lower
    t = landmarks[f"{seg}.posterior-epidural-space"]
    assert field(upper, t)[0] > 1.0 and field(lower, t)[0] > 1.0
    assert field("thecal-sac", t)[0] > 0.5, "behind the dura, not in it"
    assert 0.0 < field(f"{seg}.ligamentum-flavum", t)[0] < 3.0, "just deep to the ligamentum flavum"
    lf = landmarks[f"{seg}.ligamentum-flavum"]
    assert field(f"{seg}.ligamentum-flavum", lf)[0] < 0.0 and lf[1] > t[1], "the flavum behind it"
    clear = [obl for obl in (-15.0, -10.0, 10.0, 15.0)
             if not ray_crossings(t, beam_direction("prone", obl, squaring_tilt(seg)), bones(), start=0.5)]
    assert clear, "some paramedian ray reaches it through the window"


def test_l5_s1_midline_ap_ray_passes_under_the_l5_spinous_process(landmarks):
    """The squared AP ray through the midline L5-S1 window point reaches the skin clear of bone (the L5
    spinous process no longer covers the window), and the sac lies clear of the flavum there."""
    for name in ("L5-S1.interlaminar", "L5-S1.ligamentum-flavum"):
        t = landmarks[name]
        assert abs(t[0]) < 0.5
        assert ray_crossings(t, beam_direction("prone", 0.0, squaring_tilt("L5-S1")), bones(), start=0.5) == {}, name
    assert field("thecal-sac", landmarks["L5-S1.ligamentum-flavum"])[0] > 3.0


def test_l4_l5_epidural_needle_of_the_interlaminar_images_crosses_no_bone(landmarks):
    # the images' needle: entry {skin: {oblique: -20, craniocaudal: -40}}, the paramedian approach from below
    t = landmarks["L4-L5.posterior-epidural-space"]
    assert ray_crossings(t, beam_direction("prone", -20.0, -40.0), bones() + roots(), start=0.5) == {}


def test_squared_ap_shows_an_open_l4_l5_window(landmarks):
    """Rays of the squared AP view through a grid over the window: a sizeable open area (no bone)."""
    seg = "L4-L5"
    d = beam_direction("prone", 0.0, squaring_tilt(seg))
    c = landmarks[f"{seg}.posterior-epidural-space"]
    ex = np.array([1.0, 0.0, 0.0])
    ez = np.cross(d, ex)
    ez *= np.sign(ez[2]) / np.linalg.norm(ez)
    open_area = 0
    for x in np.arange(-12.0, 12.1, 1.0):
        for zz in np.arange(-12.0, 12.1, 1.0):
            p = c + x * ex + zz * ez - 3.0 * d
            if not ray_crossings(p, d, ("L4", "L5"), start=0.0, length=70.0):
                open_area += 1
    assert open_area >= 60, open_area  # mm^2 (the window is about 20 mm wide and 6-10 mm tall here)


# -- 4b. the cervical and thoracic interlaminar window (caudally tilted paramedian approach) ---------------------
UPPER_INTERLAMINAR = ["C3-C4", "C4-C5", "C5-C6", "C6-C7", "C7-T1"] + [f"T{i}-T{i + 1}" for i in range(1, 12)]


def _upper_direction(seg, side=None):
    from atlas.phantom.targets import upper_interlaminar_direction

    return upper_interlaminar_direction(seg, side)


@pytest.mark.parametrize("seg", UPPER_INTERLAMINAR)
def test_upper_interlaminar_targets_lie_in_the_window_and_the_needle_path_crosses_no_bone(landmarks, seg):
    lf = f"{seg}.ligamentum-flavum"
    for side in ("L", "R"):
        t = landmarks[f"{seg}.{side}.interlaminar"]
        assert _bone_distance(t, bones()) > 1.0, (side, "not in a lamina")
        assert 0.0 < field(lf, t)[0] < 2.0, (side, "on the back of the ligamentum flavum")
        assert 2.5 < abs(local(seg.split("-")[0], t)[0]) < 8.0, (side, "paramedian")
        assert ray_crossings(t, _upper_direction(seg, side), bones(), start=0.5) == {}, side
    t = landmarks[f"{seg}.interlaminar"]
    assert _bone_distance(t, bones()) > 1.0 and 0.0 < field(lf, t)[0] < 2.0
    assert field(lf, landmarks[lf])[0] < 0.0 and _bone_distance(landmarks[lf], bones()) > 0.5
    e = landmarks[f"{seg}.posterior-epidural-space"]
    assert _bone_distance(e, bones()) > 1.0, "not in bone"
    assert field("thecal-sac", e)[0] > 0.3, "behind the dura, not in it"
    assert 0.0 < field(lf, e)[0] < 3.0, "next to the ligamentum flavum"
    assert lf in ray_crossings(e, _upper_direction(seg, "R"), (lf,), start=0.0), "deep to it: the needle passes the ligament first"
    assert ray_crossings(e, _upper_direction(seg, "R"), bones(), start=0.5) == {}, "the right paramedian needle reaches it"


def test_images_interlaminar_needles_reach_their_targets_without_crossing_bone(landmarks):
    """cilesi-*: entry {skin: {oblique: 12, craniocaudal: -20}} to C7-T1.posterior-epidural-space;
    tilesi-*: entry {skin: {oblique: 10, craniocaudal: -30}} to T10-T11.R.interlaminar (on the ligament) and
    T10-T11.posterior-epidural-space (after the loss of resistance)."""
    from atlas.phantom.landmarks import skin_entry

    for target, obl, cc in (("C7-T1.posterior-epidural-space", 12.0, -20.0), ("T10-T11.R.interlaminar", 10.0, -30.0),
                           ("T10-T11.posterior-epidural-space", 10.0, -30.0)):
        t = landmarks[target]
        e = skin_entry(t, beam_direction("prone", obl, cc))
        assert np.linalg.norm(e - t) > 20.0
        assert crossings(e, t, bones() + roots() + ("thecal-sac",), margin=0.3) == {}, target


# -- 5. targets for a needle resting on bone lie on the bone surface ----------------------------------------------
def _bone_distance(p, names):
    return min(field(n, p)[0] for n in names)


@pytest.mark.parametrize("seg", LUMBAR_SEGMENTS + THORACIC_SEGMENTS + ["C2-C3", "C3-C4", "C4-C5", "C5-C6", "C6-C7", "C7-T1"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_facet_inferior_recess_lies_at_the_joint_outside_bone(landmarks, seg, side):
    upper, lower = seg.split("-")
    lower_bone = "sacrum" if lower == "S1" else lower
    t = landmarks[f"{seg}.{side}.facet-joint.inferior-recess"]
    near = [n for n in bones() if field(n, t)[0] < 3.0]
    assert _bone_distance(t, near) > 0.2, {n: field(n, t)[0] for n in near}
    assert field(upper, t)[0] < 3.0 and field(lower_bone, t)[0] < 3.0, "at the joint, between its two processes"
    if seg in LUMBAR_SEGMENTS:
        sign = 1.0 if side == "R" else -1.0
        d = beam_direction("prone", sign * 30.0, squaring_tilt(seg))
        assert ray_crossings(t, d, bones() + roots(), start=0.5) == {}
        e = landmarks[f"{seg}.{side}.facet-joint.skin-entry"]
        assert crossings(e, t, bones() + roots(), skip_end=0.5) == {}


@pytest.mark.parametrize("level", ["L1", "L2", "L3", "L4", "L5"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_medial_branch_target_rests_on_the_sap_tp_junction(landmarks, level, side):
    t = landmarks[f"{level}.{side}.sap-tp-junction"]
    assert 0.2 < field(level, t)[0] < 1.5, "on the bone surface, not in it"
    v = build_spine().vertebrae[level]
    lt = v.local_of(t)
    root = v.points[f"{side}.tp-root"]
    assert abs(lt[0]) > abs(v.points[f"{side}.sap-base"][0]), "lateral to the SAP base"
    assert lt[2] > root[2], "on the upper border of the transverse process"
    sign = 1.0 if side == "R" else -1.0
    names = bones() + roots()
    assert ray_crossings(t, beam_direction("prone", sign * 15.0, 5.5), names, start=0.5) == {}


@pytest.mark.parametrize("level", ["L1", "L2", "L3", "L4", "L5"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_transverse_process_upper_border_point_lies_just_inside_its_upper_border(landmarks, level, side):
    t = landmarks[f"{level}.{side}.tp-superior"]
    tp = f"{level}.{side}.transverse-process"
    assert -1.5 < field(tp, t)[0] < 0.0, "in the process, near its surface"
    assert field(tp, t + np.array([0.0, 0.0, 1.5]))[0] > 0.0, "the surface just above it"


@pytest.mark.parametrize("side", ["L", "R"])
def test_l5_dorsal_ramus_target_rests_on_the_sacrum(landmarks, side):
    t = landmarks[f"S1.{side}.sap-ala-junction"]
    assert 0.2 < field("sacrum", t)[0] < 1.5
    sign = 1.0 if side == "R" else -1.0
    assert ray_crossings(t, beam_direction("prone", sign * 10.0, 15.0), bones() + roots(), start=0.5) == {}


@pytest.mark.parametrize("side", ["L", "R"])
def test_l5_dorsal_ramus_target_lies_in_the_alar_groove_and_a_caudal_oblique_electrode_reaches_it(landmarks, side):
    """The radiofrequency electrode is laid along the groove between the S1 superior articular process and
    the ala from a caudal-oblique entry (10 degrees ipsilateral, 20 degrees caudal)."""
    t = landmarks[f"S1.{side}.sap-ala-junction"]
    sign = 1.0 if side == "R" else -1.0
    assert field("sacrum", t + np.array([sign * 2.5, 0.0, 0.0]))[0] < 0.0, "the SAP just medial to it"
    assert field("sacrum", t - np.array([0.0, 0.0, 2.5]))[0] < 0.0, "the ala just below it"
    assert ray_crossings(t, beam_direction("prone", sign * 10.0, -20.0), bones() + roots(), start=0.5) == {}


# -- 10. the thoracic paravertebral corridor ---------------------------------------------------------------------
@pytest.mark.parametrize("level", ["T5", "T6", "T7", "T8", "T9", "T10"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_no_lung_behind_the_transverse_processes(landmarks, level, side):
    tip = landmarks[f"{level}.{side}.tp-tip"]
    s = 1.0 if side == "L" else -1.0
    xs = np.arange(0.0, 25.0, 1.0)
    for dy in (0.0, 5.0, 10.0):
        pts = np.stack([tip[0] + s * xs - s * 10.0, np.full_like(xs, tip[1] + dy), np.full_like(xs, tip[2])], axis=1)
        assert field(f"lung.{side}", pts).min() > 0.0, (dy, "lung in the erector spinae")


@pytest.mark.parametrize("level", ["T6", "T8", "T10"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_parapedicular_path_to_the_body_crosses_no_lung(landmarks, level, side):
    sign = 1.0 if side == "R" else -1.0
    t = landmarks[f"{level}.{side}.parapedicular-entry"]
    hits = ray_crossings(t, beam_direction("prone", sign * 27.6, -1.3), (f"lung.{side}",), start=0.5, length=120.0)
    assert hits == {}, hits


@pytest.mark.parametrize("level", ["T4", "T6", "T8", "T10"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_pleura_lies_a_paravertebral_space_in_front_of_the_transverse_process(landmarks, level, side):
    """The lung's back edge is in front of the TP (tested above) but not far: the paravertebral wedge is
    about 1-2 cm deep in front of the TP (approximation), so a walk-off needle meets the pleura soon."""
    tip = landmarks[f"{level}.{side}.tp-tip"]
    s = 1.0 if side == "L" else -1.0
    ys = np.arange(0.0, 35.0, 0.5)
    pts = np.stack([np.full_like(ys, tip[0] + s * 8.0), tip[1] - ys, np.full_like(ys, tip[2])], axis=1)
    inside = field(f"lung.{side}", pts) < 0.0
    assert inside.any(), "lung within 35 mm in front of the transverse process tip"
    assert ys[inside].min() >= 12.0, ys[inside].min()
