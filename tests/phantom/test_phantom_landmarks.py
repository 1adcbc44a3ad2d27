import re

import numpy as np
import pytest

from atlas.phantom import landmarks as LM
from atlas.phantom.anatomy import zones
from atlas.phantom.spine import build_spine

NAME = re.compile(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*(\.[A-Za-z0-9]+(-[A-Za-z0-9]+)*)*$")


def field(shape, p):
    p = np.asarray(p, np.float32)[None, :]
    return float(np.asarray(shape(p[:, 0], p[:, 1], p[:, 2])).ravel()[0])


def test_names_follow_the_scheme(landmarks):
    assert len(landmarks) > 500
    for name in landmarks:
        assert NAME.match(name), name
        assert ".." not in name


def test_catalog_targets_exist(landmarks):
    for name in ["L4-L5.R.safe-triangle", "L5.R.sap-tp-junction", "sacral-hiatus", "S1.R.posterior-foramen",
                 "SIJ.R.inferior-third", "L4-L5.R.skin-entry", "L5-S1.interlaminar", "L4.pedicles", "S5.L.cornu",
                 "L4-L5.disc-centre", "piriformis.R", "S1.R.sap-ala-junction"]:
        assert name in landmarks, name


@pytest.mark.parametrize("seg,upper", [("L1-L2", "L1"), ("L2-L3", "L2"), ("L3-L4", "L3"), ("L4-L5", "L4"), ("L5-S1", "L5")])
@pytest.mark.parametrize("side", ["L", "R"])
def test_safe_triangle_is_below_the_pedicle_outside_sac_bone_and_root(landmarks, seg, upper, side):
    z = zones()
    v = build_spine().vertebrae[upper]
    p = landmarks[f"{seg}.{side}.safe-triangle"]
    local = v.local_of(p)
    bottom = v.points[f"{side}.pedicle-bottom"]
    assert local[2] < bottom[2], "below the pedicle"
    assert bottom[2] - local[2] < 6.0, "just below it"
    assert field(z["thecal-sac"], p) > 3.0, "outside the thecal sac"
    assert field(z[upper], p) > 0.3, "not in bone"
    assert field(z[f"{upper}.{side}.nerve-root"], p) > 0.5, "not in the exiting root"
    lateral = -1 if side == "R" else 1
    assert (local[0] - v.points[f"{side}.pedicle"][0]) * lateral > -2.0, "under the pedicle, not medial to it"


@pytest.mark.parametrize("seg", ["L3-L4", "L4-L5", "L5-S1", "C4-C5", "T6-T7"])
def test_facet_joint_centre_lies_in_the_joint_space_between_the_processes(landmarks, seg):
    z = zones()
    upper, lower = seg.split("-")
    for side in "LR":
        p = landmarks[f"{seg}.{side}.facet-joint"]
        assert field(z[f"{upper}.{side}.iap"], p) > 0
        lower_bone = z["sacrum"] if lower == "S1" else z[f"{lower}.{side}.sap"]
        assert field(lower_bone, p) > 0


def test_pedicle_centres_lie_in_bone(landmarks):
    z = zones()
    for lvl in ["L1", "L4", "T8", "C5"]:
        for side in "LR":
            assert field(z[lvl], landmarks[f"{lvl}.{side}.pedicle"]) < 0


def test_sacral_points(landmarks):
    z = zones()
    assert field(z["sacrum"], landmarks["sacral-hiatus"]) > 0, "hiatus is an opening"
    for side in "LR":
        assert field(z["sacrum"], landmarks[f"S1.{side}.posterior-foramen"]) > 0, "foramen is a hole"
    # the hiatus is caudal to the S1 foramina and the dural sac ends above it
    assert landmarks["sacral-hiatus"][2] < landmarks["dural-sac-end"][2] < landmarks["S1.R.posterior-foramen"][2]


def test_skin_entries_lie_on_the_skin_posterior_to_their_targets(landmarks):
    for seg in ["L3-L4", "L4-L5"]:
        e, t = landmarks[f"{seg}.R.skin-entry"], landmarks[f"{seg}.R.safe-triangle"]
        assert e[1] > t[1] + 40
        assert abs(field(LM._body_shape(), e)) < 1.0


def test_every_landmark_has_an_anatomical_definition(landmarks):
    missing = [n for n in landmarks if LM.definition_for(n) is None]
    assert missing == []


@pytest.mark.parametrize("landmark,structure", [
    ("L4.R.pedicle", "L4.R.pedicle"),
    ("L4-L5.disc-centre", "L4-L5.nucleus"),
    ("L4-L5.R.facet-joint", "L4-L5.R.facet-joint"),
    ("SIJ.R.centre", "SIJ.R"),
    ("C2.dens", "C2"),
    ("C1.R.lateral-mass", "C1"),
    ("stellate-ganglion.R", "stellate-ganglion.R"),
    ("C1-C2.R.lateral-atlantoaxial-joint", "C1-C2.R.lateral-atlantoaxial-joint"),
    ("T8.R.rib-head", "rib8.R"),
    ("kidney.R.lower-pole", "kidney.R"),
])
def test_target_landmarks_lie_inside_their_structures(landmarks, landmark, structure):
    assert field(zones()[structure], landmarks[landmark]) < 0


def test_cervical_danger_structures_keep_their_distance(landmarks):
    z = zones()
    for seg in ["C4-C5", "C5-C6", "C6-C7"]:
        for side in "LR":
            target = landmarks[f"{seg}.{side}.transforaminal-target"]
            assert field(z[f"vertebral-artery.{side}"], target) > 2.0, "vertebral artery lies in front of the target"
    # the open mouth: the upper incisors sit well above the lower incisors
    assert landmarks["incisors.upper"][2] - landmarks["incisors.lower"][2] > 30.0


def test_vertebral_artery_loops_lateral_to_the_atlantoaxial_joint(landmarks):
    z = zones()
    for side in "LR":
        assert field(z[f"vertebral-artery.{side}"], landmarks[f"C1-C2.{side}.lateral-atlantoaxial-joint.lateral"]) > 2.5
        assert field(z[f"vertebral-artery.{side}"], landmarks[f"C1-C2.{side}.lateral-atlantoaxial-joint"]) > 6.0
        # it still runs through both foramina transversaria
        for lvl in ("C1", "C2"):
            assert field(z[f"vertebral-artery.{side}"], landmarks[f"{lvl}.{side}.foramen-transversarium"]) < 0


def test_c1_c2_puncture_target_is_dorsal_subarachnoid(landmarks):
    z = zones()
    p = landmarks["C1-C2.posterior-canal"]
    assert field(z["spinal-cord"], p) > 0.5, "behind the cord"
    assert field(z["csf"], p) < -0.3, "inside the dura"
    assert p[1] > landmarks["C1.body-centre"][1], "dorsal"


def test_c7_medial_branch_crosses_high_on_the_pillar():
    sp = build_spine()
    for side in "LR":
        c7 = sp.vertebrae["C7"]
        high = c7.points[f"{side}.medial-branch"][2] - c7.points[f"{side}.articular-pillar"][2]
        c5 = sp.vertebrae["C5"]
        mid = c5.points[f"{side}.medial-branch"][2] - c5.points[f"{side}.articular-pillar"][2]
        assert high > mid + 2.0


@pytest.mark.parametrize("level", ["C3", "C4", "C5", "C6", "C7"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_foramen_transversarium_is_a_closed_bony_ring_on_axial_slices(level, side):
    """Axial slices (in the vertebra's own plane) through the foramen show it ringed by bone: the body and
    pedicle medially, the anterior and posterior roots in front and behind, the costotransverse lamella
    laterally; over at least 2 mm of its height, not one lucky slice."""
    from scipy import ndimage

    v = build_spine().vertebrae[level]
    c = v.points[f"{side}.foramen-transversarium"]
    xs = np.arange(-12.0, 12.01, 0.25)
    X, Y = np.meshgrid(xs, xs, indexing="ij")
    centre = (len(xs) // 2, len(xs) // 2)
    closed = []
    for dz in np.arange(-5.0, 5.01, 0.5):
        w = v.frame.point(np.stack([c[0] + X.ravel(), c[1] + Y.ravel(), np.full(X.size, c[2] + dz)], axis=1)).astype(np.float32)
        bone = (np.asarray(v.bone(w[:, 0], w[:, 1], w[:, 2])) < 0).reshape(X.shape)
        hole = ndimage.binary_fill_holes(bone) & ~bone
        if hole[centre]:
            lab, _n = ndimage.label(hole)
            assert (lab == lab[centre]).sum() * 0.25**2 > 9.0, "an opening the vertebral artery fits through"
            closed.append(dz)
    assert closed and closed[-1] - closed[0] >= 2.0, f"closed at {closed} mm from the foramen's centre"
    assert np.allclose(np.diff(closed), 0.5), "one closed stretch"


@pytest.mark.parametrize("seg", ["C3-C4", "C4-C5", "C5-C6", "C6-C7"])
def test_cervical_transforaminal_target_is_at_the_mid_pillar_on_ap_and_free(landmarks, seg):
    z = zones()
    lower = seg.split("-")[1]
    for side in "LR":
        t = landmarks[f"{seg}.{side}.transforaminal-target"]
        assert abs(t[0] - landmarks[f"{lower}.{side}.articular-pillar"][0]) < 2.0
        assert field(z[lower], t) > 0.5 and field(z[seg.split("-")[0]], t) > 0.5, "not in bone"


def test_neck_and_thoracic_inlet_proportions(landmarks):
    al = build_spine().alignment
    d = al.c2.frame.origin - al.vertebrae["C7"].frame.origin
    lean = np.degrees(np.arctan2(-d[1], d[2]))
    assert 0 <= lean <= 12, "the neck leans forward a little, not 18 degrees"
    inlet = landmarks["T2.body-anterior"][1] - landmarks["sternum.jugular-notch"][1]
    assert 45 <= inlet <= 70, "thoracic inlet about 50-60 mm deep"
    for side in "LR":
        assert 35 <= landmarks["T2.body-anterior"][1] - landmarks[f"clavicle.{side}"][1] <= 80
    canal = abs(landmarks["C6.L.pedicle-medial"][0] - landmarks["C6.R.pedicle-medial"][0])
    assert 23 <= canal <= 28


def test_neck_structures_where_they_belong(landmarks):
    z = zones()
    for lvl in ("C3", "C4", "C5", "C6", "C7"):
        c = landmarks[f"{lvl}.body-centre"]
        xs, ys = np.meshgrid(np.arange(-80.0, 80.0, 1.0), np.arange(-150.0, 60.0, 1.0))
        pts = np.stack([xs.ravel(), ys.ravel(), np.full(xs.size, c[2])], axis=1).astype(np.float32)
        for side in "LR":
            scm = np.asarray(z[f"sternocleidomastoid.{side}"](pts[:, 0], pts[:, 1], pts[:, 2]))
            assert (scm < 0).sum() > 60, f"sternocleidomastoid present at {lvl}"
    c6 = landmarks["C6.body-centre"]
    assert any(field(z["thyroid"], landmarks[f"thyroid.{s}"] * np.array([1, 1, 0]) + np.array([0, 0, c6[2]])) < 0 for s in "LR"), "thyroid at C6"
    for lvl in ("T6", "T8"):
        assert field(z["oesophagus"], landmarks[f"oesophagus.{lvl}"]) < 0
    assert field(z["cricoid"], landmarks["cricoid"]) < 1.0
    assert "C2.R.nerve-root" in z and "C2.L.drg" in z


def test_cervical_volume_holds_the_face(landmarks):
    from atlas.phantom.regions import region_spec

    spec = region_spec("cervical")
    for name in ("incisors.upper", "transmaxillary-entry.R", "mandible.symphysis"):
        assert landmarks[name][1] > spec.lo[1] + 10
        assert any(b.lo[1] < landmarks[name][1] < b.hi[1] and b.lo[2] < landmarks[name][2] < b.hi[2] for b in spec.blocks), name


def test_sacral_ala_and_foramina(landmarks):
    z = zones()
    for side in "LR":
        ala = landmarks[f"S1.{side}.ala"]
        assert 25 <= abs(ala[0]) <= 35 and field(z["sacrum"], ala) < -2, "in the ala, not on the joint"
        assert abs(ala[0]) < abs(landmarks[f"SIJ.{side}.centre"][0]) - 6
        for k in (3, 4):  # the dorsal foramina project inside the sacrum on an AP view
            p = landmarks[f"S{k}.{side}.posterior-foramen"]
            ys = np.arange(-40.0, 80.0, 0.5)
            lateral = p[0] + (-4.0 if side == "R" else 4.0)
            pts = np.stack([np.full(ys.size, lateral), ys, np.full(ys.size, p[2])], axis=1).astype(np.float32)
            assert (np.asarray(z["sacrum"](pts[:, 0], pts[:, 1], pts[:, 2])) < 0).any(), f"S{k} foramen inside the sacrum on AP"
        assert field(z["sacrum"], landmarks[f"L5.{side}.ventral-ramus"]) > 0.5
        assert field(z[f"L5.{side}.nerve-root"], landmarks[f"L5.{side}.ventral-ramus"]) < 2.0


def test_piriformis_skin_entry_is_on_the_skin(landmarks):
    assert abs(field(LM._body_shape(), landmarks["piriformis.R.skin-entry"])) < 1.0


def test_ilium_is_one_bone_from_the_joint_to_the_crest(landmarks):
    from scipy import ndimage

    z = zones()
    for side in "LR":
        hip = z[f"hip-bone.{side}"]
        for name in ("iliac-crest", "asis", "psis"):
            assert field(hip, landmarks[f"pelvis.{side}.{name}"]) < -1.0, name
        # an axial section at S1: the posterior ilium at the joint and the wing are one connected piece
        zc = landmarks["S1.body-centre"][2]
        xs, ys = np.meshgrid(np.arange(-160.0, 160.0, 1.0), np.arange(-120.0, 100.0, 1.0))
        pts = np.stack([xs.ravel(), ys.ravel(), np.full(xs.size, zc)], axis=1).astype(np.float32)
        m = (np.asarray(hip(pts[:, 0], pts[:, 1], pts[:, 2])) < 0).reshape(xs.shape)
        lab, n = ndimage.label(m)
        sizes = ndimage.sum(m, lab, range(1, n + 1))
        assert n >= 1 and sizes.max() / m.sum() > 0.9, "the wing joins the posterior ilium"
        # the wing's AP extent (posterior ilium to the anterior spine) is that of an adult ilium
        big = lab == 1 + int(np.argmax(sizes))
        yy = ys[big]
        assert np.ptp(yy) > 80


def test_iliac_wing_at_s1_is_a_curved_plate_between_iliacus_and_the_gluteal_muscles(landmarks):
    """Axial section at the S1 anterior foramina: the wing is concave medially (iliac fossa), thick behind and
    thin in front, stops short of the anterior body wall, with iliacus inside and gluteus medius outside."""
    z = zones()
    for side in "LR":
        s = -1.0 if side == "R" else 1.0
        zc = landmarks[f"S1.{side}.anterior-foramen"][2]
        hip = z[f"hip-bone.{side}"]
        xs, ys = np.meshgrid(s * np.arange(0.0, 180.0, 0.5), np.arange(-160.0, 120.0, 0.5))
        pts = np.stack([xs.ravel(), ys.ravel(), np.full(xs.size, zc)], axis=1).astype(np.float32)
        m = (np.asarray(hip(pts[:, 0], pts[:, 1], pts[:, 2])) < 0).reshape(xs.shape)
        # the wing: rows in front of the joint centre, each with its lateral edge and its bone width
        y_joint = landmarks[f"SIJ.{side}.centre"][1]
        rows = [i for i in range(len(ys)) if ys[i, 0] < y_joint - 12 and m[i].any()]
        y = np.array([ys[i, 0] for i in rows])
        lateral = np.array([np.abs(xs[i][m[i]]).max() for i in rows])
        width = np.array([m[i].sum() * 0.5 for i in rows])
        y_front, y_back = y.min(), y.max()
        assert y_back - y_front > 50
        # concave medially: the middle of the wing lies lateral to the chord joining its ends
        a, b, c = (np.argmin(np.abs(y - (y_front + f * (y_back - y_front)))) for f in (0.1, 0.5, 0.95))
        chord = lateral[a] + (lateral[c] - lateral[a]) * (y[b] - y[a]) / (y[c] - y[a])
        assert lateral[b] > chord + 4.0, "the wing bows laterally (iliac fossa concave inside)"
        # thick behind (at the joint), thin in front
        assert width[y > y_back - 10].mean() > 2.5 * width[(y > y_front + 10) & (y < y_front + 40)].mean()
        # it stops well short of the anterior body wall
        body = LM._body_shape()
        front = [yy for yy in np.arange(y_front, -400.0, -1.0) if field(body, [s * lateral[a], yy, zc]) < 0]
        assert y_front - min(front) > 20.0
        # iliacus on the inner face, gluteus medius on the outer face, each at its landmark
        for name, outward in (("iliacus", False), ("gluteus-medius", True), ("gluteus-minimus", True)):
            p = landmarks[f"{name}.{side}"]
            assert field(z[f"{name}.{side}"], p) < -3.0, name
            assert abs(p[2] - zc) < 0.5
            i = int(np.argmin(np.abs(ys[:, 0] - p[1])))
            bone_x = np.abs(xs[i][m[i]])
            assert bone_x.size, name
            assert (abs(p[0]) > bone_x.max()) if outward else (abs(p[0]) < bone_x.min()), name


def test_sacroiliac_joint_separates_sacrum_and_ilium_at_s1(landmarks):
    z = zones()
    for side in "LR":
        zc = landmarks[f"S1.{side}.anterior-foramen"][2]
        c = landmarks[f"SIJ.{side}.centre"]
        # across the joint at this level: sacrum, then the joint space, then ilium
        xs = np.arange(0.0, 100.0, 0.25) * (-1.0 if side == "R" else 1.0)
        pts = np.stack([xs, np.full(xs.size, c[1]), np.full(xs.size, zc)], axis=1).astype(np.float32)
        sac = np.asarray(z["sacrum"](pts[:, 0], pts[:, 1], pts[:, 2])) < 0
        ili = np.asarray(z[f"hip-bone.{side}"](pts[:, 0], pts[:, 1], pts[:, 2])) < 0
        joint = np.asarray(z[f"SIJ.{side}"](pts[:, 0], pts[:, 1], pts[:, 2])) < 0
        i_sac, i_ili = np.nonzero(sac)[0].max(), np.nonzero(ili)[0].min()
        assert i_sac < i_ili and joint[i_sac + 1:i_ili].all() and not (sac & ili).any()
        assert 1.5 <= (i_ili - i_sac - 1) * 0.25 <= 5.0, "a thin joint space"


def test_pelvic_vessels_leave_through_the_sciatic_notch(landmarks):
    z = zones()
    for side in "LR":
        sga = landmarks[f"superior-gluteal-artery.{side}"]
        assert field(z[f"piriformis.{side}"], sga) > 0
        assert sga[2] > landmarks[f"inferior-gluteal-artery.{side}"][2]
        assert field(z[f"hip-bone.{side}"], landmarks[f"internal-iliac-artery.{side}"]) > 2


def test_thoracic_pedicles_arise_from_the_upper_half_of_the_body():
    sp = build_spine()
    for lvl in ("T4", "T8", "T11"):
        v = sp.vertebrae[lvl]
        for side in "LR":
            assert v.points[f"{side}.pedicle"][2] > 1.5, lvl
            assert v.points[f"{side}.pedicle-top"][2] > v.p.body_height_posterior / 2 - 1.5


def _section_area(shape, z, x_range=(-170.0, 170.0)):
    xs, ys = np.meshgrid(np.arange(*x_range, 2.0), np.arange(-180.0, 140.0, 2.0))
    pts = np.stack([xs.ravel(), ys.ravel(), np.full(xs.size, z)], axis=1).astype(np.float32)
    inside = np.asarray(shape(pts[:, 0], pts[:, 1], pts[:, 2])) < 0
    return inside.sum() * 4.0, pts[inside]


def test_lung_bases_reach_the_posterior_recesses_and_stay_off_the_heart(landmarks):
    z = zones()
    for side in "LR":
        area, pts = _section_area(z[f"lung.{side}"], landmarks["T11.body-centre"][2])
        assert area > 400, f"{side} lung present at T11 (posterior recess)"
        assert pts[:, 1].mean() > landmarks["T11.body-centre"][1] - 30, "posteriorly"
        assert _section_area(z[f"lung.{side}"], landmarks["L1.body-centre"][2])[0] == 0
        _, at8 = _section_area(z[f"lung.{side}"], landmarks["T8.pedicles"][2])
        assert np.all(np.asarray(z["heart"](at8[:, 0], at8[:, 1], at8[:, 2])) > 1.0), "no lung over the heart"


def test_lung_apex_is_a_rounded_cupola_inside_the_cage(landmarks):
    z = zones()
    top = landmarks["C7.body-centre"][2] + 8.0
    for side in "LR":
        widths = []
        for dz in (4.0, 20.0, 40.0):
            _, pts = _section_area(z[f"lung.{side}"], top - dz)
            widths.append(np.ptp(pts[:, 0]) if len(pts) else 0.0)
        assert widths[0] < widths[1] < widths[2], "narrowing toward the apex"
        assert widths[2] < 110


def test_thoracolumbar_arteries_and_targets(landmarks):
    z = zones()
    aka = landmarks["artery-of-adamkiewicz"]
    assert aka[0] > 0, "left-sided"
    assert np.linalg.norm(aka - landmarks["T10-T11.L.foramen"]) < 6.0
    assert field(z["artery-of-adamkiewicz"], landmarks["artery-of-adamkiewicz.hairpin"]) < 0.5
    for lvl in ("T6", "T12", "L3"):
        for side in "LR":
            assert f"segmental-artery.{side}.{lvl}" in z
            assert field(z[lvl], landmarks[f"segmental-artery.{side}.{lvl}"]) > 0.5
    for seg in ("T4-T5", "T8-T9"):
        t = landmarks[f"{seg}.R.foramen-posteroinferior"]
        up, lo = seg.split("-")
        assert field(z[up], t) > 0.3 and field(z[lo], t) > 0.3
        assert t[2] < landmarks[f"{seg}.R.foramen"][2] + 2.0
    v = build_spine().vertebrae["T6"]
    assert v.points["R.lamina-superior"][2] > v.points["R.lamina-inferior"][2] + 8


@pytest.mark.parametrize("level", ["C5", "T8", "T11", "L1", "L4", "L5"])
@pytest.mark.parametrize("which", ["superior", "inferior"])
def test_lateral_endplate_landmarks_sit_on_the_endplate_clear_of_the_spinous_process_on_ap(landmarks, level, which):
    from atlas.phantom.anatomy import zones
    from atlas.phantom.carm import View
    from atlas.phantom.landmarks import squaring_tilt_for_endplate

    centre = landmarks[f"{level}.{which}-endplate"]
    view = View("prone", 0.0, squaring_tilt_for_endplate(level, which), landmarks[f"{level}.body-centre"], 160.0, 512)
    body = zones()[f"{level}.body"]
    for side in "LR":
        p = landmarks[f"{level}.{side}.{which}-endplate.lateral"]
        f = float(np.asarray(body(*np.asarray(p, np.float32).reshape(3, 1))).ravel()[0])
        assert -3.0 < f < 0.5, "at the endplate, in its cortex"
        assert abs(p[0] - centre[0]) > 5.0
        a, b = view.project(np.array([p, centre]))
        assert abs(a[1] - b[1]) < 6.0 and abs(a[0] - b[0]) > 15.0, "level with the centre, well to the side"


@pytest.mark.parametrize("side", ["L", "R"])
def test_lateral_atlantoaxial_joint_slopes_down_laterally_and_its_landmarks_lie_in_the_joint(landmarks, side):
    from atlas.phantom.craniocervical import build_craniocervical

    j = build_craniocervical().joints[side]
    s = 1.0 if side == "L" else -1.0
    assert j.normal[0] * s > 0.2 and j.normal[2] > 0.8, "the C2 facet faces up and laterally"
    space = zones()[f"C1-C2.{side}.lateral-atlantoaxial-joint"]
    c2 = zones()["C2"]
    for name in (f"C1-C2.{side}.lateral-atlantoaxial-joint", f"C1-C2.{side}.lateral-atlantoaxial-joint.lateral"):
        p = np.asarray(landmarks[name], np.float32).reshape(3, 1)
        assert float(np.asarray(space(*p)).ravel()[0]) < 0.0, f"{name} in the joint space"
        assert float(np.asarray(c2(*p)).ravel()[0]) > 0.3, f"{name} not in C2"
    c, lat = landmarks[f"C1-C2.{side}.lateral-atlantoaxial-joint"], landmarks[f"C1-C2.{side}.lateral-atlantoaxial-joint.lateral"]
    assert (lat[0] - c[0]) * s > 3.0 and lat[2] < c[2] - 1.0, "the lateral part is lower"


def test_s1_lateral_endplate_landmarks_sit_on_the_endplate_clear_of_the_l5_spinous_process_on_ap(landmarks):
    from atlas.phantom.anatomy import zones
    from atlas.phantom.carm import View
    from atlas.phantom.sacropelvis import build_sacropelvis

    centre = landmarks["S1.superior-endplate"]
    tilt = build_sacropelvis().al.s1_endplate.tilt
    view = View("prone", 0.0, -float(tilt), landmarks["S1.body-centre"], 160.0, 512)
    sacrum = zones()["sacrum"]
    spinous = view.project(np.array([landmarks["L5.spinous-process"]]))[0]
    for side, s in (("L", 1.0), ("R", -1.0)):
        p = landmarks[f"S1.{side}.superior-endplate.lateral"]
        f = float(np.asarray(sacrum(*np.asarray(p, np.float32).reshape(3, 1))).ravel()[0])
        assert -3.0 < f < 0.0, "just under the endplate surface, in the bone"
        assert 12.0 < (p[0] - centre[0]) * s < 26.0, "toward the lateral end of the endplate (about 48 mm wide)"
        q = p + np.array([s * 4.0, 0.0, 0.0])
        assert float(np.asarray(sacrum(*np.asarray(q, np.float32).reshape(3, 1))).ravel()[0]) > -1.5, "near the notch before the ala"
        a, b = view.project(np.array([p, centre]))
        assert abs(a[1] - b[1]) < 8.0 and abs(a[0] - b[0]) > 15.0, "level with the centre, well to the side"
        assert abs(a[0] - spinous[0]) > 15.0, "clear of the L5 spinous process"
