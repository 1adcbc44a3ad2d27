"""Neck anatomy and the stellate ganglion and open-mouth images: carotid displaced by the fingers,
needle paths to the C6 body-transverse process junction, thyroid, oesophagus, C1 lateral masses."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import yaml

from atlas.phantom.render import render_with
from atlas.phantom.spec import validate_render_spec
from atlas.annotations import point_in_polygon

IMAGES = Path(__file__).resolve().parents[2] / "images"


def _render_spec(image_id: str) -> dict:
    return yaml.safe_load((IMAGES / f"{image_id}.yaml").read_text(encoding="utf-8"))["render"]


@pytest.fixture(scope="module")
def neck():
    from atlas.phantom.head_neck import build_head_neck

    return build_head_neck()


def _inside(polygon, x: float, y: float) -> bool:
    """Even-odd rule, as the viewer fills zones."""
    return point_in_polygon(x, y, tuple(tuple(p) for p in polygon))


def _field(shape, p) -> float:
    p = np.asarray(p, np.float32)
    return float(shape(*(np.array([v], np.float32) for v in p))[0])


def _by_label(result, kind: str) -> dict:
    return {a["label"]: a for a in result.annotations if a["kind"] == kind}


def _projected(spec: dict, phantom, landmark: str, size: int = 256):
    probe = dict(spec, labels=[{"landmark": landmark, "label": "probe"}], arrows=[], zones=[])
    probe.pop("contrast", None)
    return np.array(_by_label(render_with(probe, phantom, size=size), "point")["probe"]["points"][0])


# -- the displace_mm and within_mm zone keys --------------------------------------------------------------
def test_displace_mm_is_validated():
    base = {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "level": "C6"}
    good = dict(base, zones=[{"structure": "carotid.R", "label": "carotid", "displace_mm": [-15, 0, 0]}])
    assert validate_render_spec(good) == []
    for bad in ([-15, 0], "left", [-15, 0, True], [80, 0, 0], [-15, "a", 0]):
        spec = dict(base, zones=[{"structure": "carotid.R", "label": "carotid", "displace_mm": bad}])
        assert "render.zones[0].displace_mm" in dict(validate_render_spec(spec)), bad


def test_within_mm_is_validated():
    needle = {"target": "C6.R.body-tp-junction", "entry": {"skin": {"position": "supine"}}}
    base = {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "level": "C6", "needle": needle}
    ok = dict(base, zones=[{"structure": "longus-colli.R", "within_mm": 18}])
    assert validate_render_spec(ok) == []
    for bad in (0, 1.5, 200, "near", True):
        spec = dict(base, zones=[{"structure": "longus-colli.R", "within_mm": bad}])
        assert "render.zones[0].within_mm" in dict(validate_render_spec(spec)), bad
    no_needle = {k: v for k, v in ok.items() if k != "needle"}
    assert "needle" in dict(validate_render_spec(no_needle))["render.zones[0].within_mm"]


# -- stellate ganglion block ------------------------------------------------------------------------------
def test_carotid_lies_in_front_of_the_c6_anterior_tubercle_with_the_jugular_lateral(neck):
    c6 = neck.sp.vertebrae["C6"].frame
    local = {n: c6.local_point(neck.points[n]) for n in ("carotid.R.C6", "jugular.R.C6")}
    tubercle = neck.sp.vertebrae["C6"].points["R.anterior-tubercle"]
    carotid, jugular = local["carotid.R.C6"], local["jugular.R.C6"]
    assert abs(carotid[0] - tubercle[0]) < 6.0, "the carotid is in line with Chassaignac's tubercle"
    assert carotid[1] < tubercle[1] - 10.0, "and in front of it"
    assert jugular[0] < carotid[0] - 5.0, "the internal jugular vein is lateral to the carotid"


def test_oblique_target_is_clear_of_the_carotid_only_once_it_is_pushed_laterally(cervical):
    spec = _render_spec("sgb-oblique-target")
    (moved,) = [z for z in spec["zones"] if z["structure"] == "carotid.R"]
    assert moved["displace_mm"][0] < 0, "the right carotid is pushed to the patient's right (-x)"
    at_rest = dict(moved, label="at rest")
    del at_rest["displace_mm"]
    r = render_with(dict(spec, zones=[moved, at_rest]), cervical, size=256)
    zones = _by_label(r, "polygon")
    tip = _by_label(r, "polyline")["Needle (end-on)"]["points"][-1]
    mm_per_px = spec["field_mm"] / 256

    def clearance_mm(label: str) -> float:
        pts = np.asarray(zones[label]["points"], float)
        gap = float(np.hypot(*(pts - np.asarray(tip)).T).min()) * mm_per_px
        return -gap if _inside(pts, *tip) else gap

    assert clearance_mm("at rest") < 1.5, "at rest the carotid projects over (or against) the needle path"
    assert clearance_mm(moved["label"]) > 5.0, "pushed aside, it is clear of the needle by several mm"
    assert "pushed laterally" in moved["label"]
    assert len(spec["labels"]) + len(spec["arrows"]) + len(spec["zones"]) <= 6, "a few labels a clinician needs"


def test_needle_on_bone_comes_from_a_right_paratracheal_entry_to_the_c6_body_tp_junction(cervical, neck):
    spec = _render_spec("sgb-needle-bone")
    r = render_with(spec, cervical, size=256)
    entry_px, tip_px = (np.array(p) for p in _by_label(r, "polyline")["Needle"]["points"])
    target_px = _projected(spec, cervical, "C6.R.body-tp-junction")
    centre_px = _projected(spec, cervical, "C6.body-centre")
    assert np.linalg.norm(tip_px - target_px) < 4.0, "the tip is on the body-transverse process junction"
    assert r.meta["orientation"]["left"] == "R", "supine AP: the patient's right is on the image left"
    assert tip_px[0] < centre_px[0] - 15.0, "on the right of the C6 body, not midline"
    assert entry_px[0] < tip_px[0] - 10.0, "the shaft runs out to a right-sided entry"
    # in 3D: the skin entry lies between the trachea and the carotid
    from atlas.phantom.landmarks import skin_entry
    from atlas.phantom.carm import beam_direction
    from atlas.phantom.phantom import resolve_point

    sk = spec["needle"]["entry"]["skin"]
    target = resolve_point(spec["needle"]["target"])
    entry = skin_entry(target, beam_direction(sk["position"], sk["oblique"], sk["craniocaudal"]))
    carotid_x = neck.points["carotid.R.C6"][0]
    assert carotid_x < entry[0] < -10.0, "right paratracheal: lateral to the trachea, medial to the carotid"


def test_longus_colli_zone_is_limited_to_the_needle_tip(cervical):
    spec = _render_spec("sgb-needle-bone")
    (lc,) = [z for z in spec["zones"] if z["structure"] == "longus-colli.R"]
    r = render_with(spec, cervical, size=256)
    limited = np.asarray(_by_label(r, "polygon")[lc["label"]]["points"])
    whole = np.asarray(_by_label(render_with(dict(spec, zones=[{k: v for k, v in lc.items() if k != "within_mm"}]), cervical, size=256),
                                 "polygon")[lc["label"]]["points"])
    tip = _by_label(r, "polyline")["Needle"]["points"][-1]
    height = np.ptp(limited[:, 1])
    assert height < 0.5 * np.ptp(whole[:, 1]) and height < 0.4 * 256, "not a column the height of the image"
    assert limited[:, 1].min() < tip[1] < limited[:, 1].max(), "centred on the tip's level"


def test_contrast_run_needle_tip_is_at_the_c6_body_tp_junction(cervical):
    spec = _render_spec("sgb-contrast-ap")
    r = render_with(spec, cervical, size=256)
    tip = np.array(_by_label(r, "polyline")["Needle"]["points"][-1])
    target = _projected(spec, cervical, "C6.R.body-tp-junction")
    c6, c7 = _projected(spec, cervical, "C6.body-centre"), _projected(spec, cervical, "C7.body-centre")
    mm_per_px = spec["field_mm"] / 256
    assert np.linalg.norm(tip - target) * mm_per_px < 2.5, "the tip sits at the target (just withdrawn off bone)"
    assert abs(tip[1] - c6[1]) < 0.3 * abs(c7[1] - c6[1]), "at the level of C6, not at the disc above"
    assert spec["contrast"]["at"] == spec["needle"]["target"], "contrast spreads from the tip"


# -- thyroid and oesophagus ---------------------------------------------------------------------------------
def _trachea_frame(neck):
    a, b = neck.trachea_pts[0], neck.trachea_pts[1]
    down = (b - a) / np.linalg.norm(b - a)
    return a, down


def test_thyroid_wraps_the_trachea_with_an_isthmus_in_front(neck):
    thyroid, trachea = neck.zones["thyroid"], neck.zones["trachea"]
    top, down = _trachea_frame(neck)
    ant = np.array([0.0, -1.0, 0.0])
    at = {dz: top + down * dz for dz in (-12.0, 0.0, 8.0, 12.0, 20.0, 30.0)}
    for dz in (0.0, 12.0, 30.0):  # lobes beside the larynx and trachea
        for s in (1.0, -1.0):
            assert min(_field(thyroid, at[dz] + np.array([s * x, 0.0, 0.0])) for x in np.arange(10.0, 24.0, 1.0)) < 0, (dz, s)
    # the isthmus in front of the second to fourth rings (about 8-16 mm below the top of the trachea), not
    # in front of the cricoid
    assert min(_field(thyroid, at[12.0] + ant * d) for d in np.arange(10.0, 20.0, 0.5)) < 0
    assert min(_field(thyroid, at[-12.0] + ant * d) for d in np.arange(10.0, 20.0, 0.5)) > 0
    # wrapped round the trachea: lobe tissue reaches behind the tracheal axis at the side
    assert min(_field(thyroid, at[12.0] + np.array([s * 12.0, y, 0.0])) for s in (1, -1) for y in (6.0, 8.0)) < 0
    # it never overlaps the trachea or the carotids
    for dz, p in at.items():
        for x in np.arange(-10.0, 10.5, 2.0):
            q = p + np.array([x, 0.0, 0.0])
            assert not (_field(trachea, q) < 0 and _field(thyroid, q) < 0), (dz, x)
    for side in "LR":
        c = neck.points[f"carotid.{side}.C6"]
        assert _field(thyroid, c) > 0
        assert _field(thyroid, neck.points[f"thyroid.{side}"]) < 0, "the lobe landmark lies in the lobe"


def test_thyroid_lobes_span_about_c5_to_t1(neck):
    thyroid = neck.zones["thyroid"]
    sp = neck.sp
    for s in (1.0, -1.0):
        heights = []
        for z in np.arange(sp.vertebrae["T2"].frame.origin[2], sp.vertebrae["C4"].frame.origin[2], 1.0):
            xs = np.arange(8.0, 30.0, 1.0) * s
            ys = np.arange(-70.0, -10.0, 1.0)
            X, Y = np.meshgrid(xs, ys)
            f = thyroid(X.ravel().astype(np.float32), Y.ravel().astype(np.float32), np.full(X.size, z, np.float32))
            if (f < 0).any():
                heights.append(z)
        span = max(heights) - min(heights)
        assert 40.0 < span < 75.0, span


def test_oesophagus_lies_behind_the_trachea_slightly_left_in_front_of_the_spine(neck):
    c6 = neck.sp.vertebrae["C6"]
    oes = c6.frame.local_point(neck.points["oesophagus.C6"])
    trachea = c6.frame.local_point(neck.trachea_pts[0])
    assert oes[1] > trachea[1] + 10.0, "behind the airway"
    assert 0.5 < oes[0] < 8.0, "slightly to the left (+x)"
    assert oes[1] < -c6.p.endplate_depth / 2, "in front of the vertebral body"


# -- open-mouth view ------------------------------------------------------------------------------------------
def test_open_mouth_view_shows_the_lateral_masses_through_the_mouth():
    from atlas.phantom.anatomy import all_structures
    from atlas.phantom.carm import beam_direction
    from atlas.phantom.landmarks import landmarks

    spec = _render_spec("aaj-ap-openmouth")
    d = beam_direction(spec["position"], spec.get("oblique", 0.0), spec["craniocaudal"])
    shapes = {s.name: s.shape for s in all_structures() if s.name in ("oral-cavity", "C1")}
    pts = landmarks()
    for side in "LR":
        p = pts[f"C1.{side}.lateral-mass"]
        ray = (p[None] + np.arange(-150.0, 150.0, 0.5)[:, None] * d[None]).astype(np.float32)
        air = (shapes["oral-cavity"](*ray.T) < 0).sum() * 0.5
        bone = (shapes["C1"](*ray.T) < 0).sum() * 0.5
        assert air > 30.0, (side, air)  # the lateral mass is seen through the open mouth, against air
        assert bone > 14.0, (side, bone)


def test_lateral_mass_dens_interval_is_a_few_millimetres():
    from atlas.phantom.craniocervical import build_craniocervical

    cc = build_craniocervical()
    f1 = cc.f1
    xs = np.arange(0.0, 20.0, 0.25)
    ys = np.arange(-12.0, 8.0, 0.5)  # behind the anterior arch: what an AP view superimposes
    for s in (1.0, -1.0):
        X, Y = np.meshgrid(xs, ys)
        local = np.stack([s * X.ravel(), Y.ravel(), np.full(X.size, -2.5)], axis=1)
        pts = (f1.origin + local @ f1.axes).astype(np.float32)
        in_c2 = (cc.parts["C2"](*pts.T) < 0).reshape(X.shape).any(axis=0)
        in_c1 = (cc.parts["C1"](*pts.T) < 0).reshape(X.shape).any(axis=0)
        dens_edge = xs[in_c2].max()
        mass_edge = xs[in_c1 & (xs > dens_edge)].min()
        assert 2.0 < mass_edge - dens_edge < 6.0, mass_edge - dens_edge


def test_occipital_condyles_are_not_drawn_as_dense_skull_vault():
    from atlas.phantom import tissues as T
    from atlas.phantom.anatomy import all_structures

    (condyles,) = [s for s in all_structures() if s.name == "occipital-condyles"]
    assert condyles.tissue is T.CERVICAL_BONE


def _open_mouth_panel_spec() -> dict:
    from atlas.phantom.contact_sheet import panels

    (spec,) = [s for title, s in panels() if title.startswith("Open-mouth")]
    return spec


def test_open_mouth_view_keeps_the_jaw_and_lower_teeth_off_the_dens_base_and_joints():
    from atlas.phantom.anatomy import all_structures
    from atlas.phantom.carm import View
    from atlas.phantom.landmarks import landmarks

    pts = landmarks()
    spec = _open_mouth_panel_spec()
    view = View(spec["position"], 0.0, spec["craniocaudal"], pts["C2.dens"], spec["field_mm"], 448)
    shapes = {s.name: s.shape for s in all_structures() if s.name in ("mandible", "teeth.lower")}
    for name in ("C2.dens-base", "C1-C2.R.lateral-atlantoaxial-joint", "C1-C2.L.lateral-atlantoaxial-joint"):
        p = pts[name]
        ray = (view.source[None] + (p - view.source)[None] * np.linspace(0.5, 1.5, 1200)[:, None]).astype(np.float32)
        for part, shape in shapes.items():
            assert (shape(*ray.T) < 0).sum() == 0, (name, part)
    # and the upper incisors' edge is projected above the dens tip, the lower incisors below the C2 body centre
    up_inc, tip, body, low_inc = view.project(np.array([pts["incisors.upper"], pts["C2.dens-tip"], pts["C2.body-centre"],
                                                        pts["incisors.lower"]]))[:, 1]
    assert up_inc < tip and low_inc > body


def test_open_mouth_view_shows_the_lateral_masses_brighter_than_the_gaps_beside_the_dens(phantom_cache):
    from atlas.phantom import Phantom
    from atlas.phantom.carm import View
    from atlas.phantom.landmarks import landmarks

    cervical = Phantom.load("cervical", phantom_cache, quality="test", mouth="open")
    spec = dict(_open_mouth_panel_spec(), labels=[])
    size = 224
    img = render_with(spec, cervical, size=size).pixels.astype(float)
    pts = landmarks()
    view = View(spec["position"], 0.0, spec["craniocaudal"], pts["C2.dens"], spec["field_mm"], size)
    px_mm = size / spec["field_mm"]
    r = int(round(2.5 * px_mm))
    for side in "LR":
        mass = view.project(pts[f"C1.{side}.lateral-mass"][None])[0]
        medial = view.project(pts[f"C1.{side}.lateral-mass.medial"][None])[0]
        dens = view.project(pts["C2.dens"][None])[0]
        gap = 0.5 * (medial + np.array([dens[0], medial[1]]))  # halfway between the dens axis and the lateral mass

        def mean_at(c):
            x, y = int(c[0]), int(c[1])
            return img[y - r:y + r + 1, x - r:x + r + 1].mean()

        assert mean_at(mass) > mean_at(gap) + 12.0, (side, mean_at(mass), mean_at(gap))


@pytest.mark.parametrize("position,tilt", [("prone", 0.0), ("prone", 6.0), ("prone", 12.0), ("supine", -10.0)])
@pytest.mark.parametrize("side", ["L", "R"])
def test_lateral_atlantoaxial_joint_is_a_cleft_on_open_mouth_views_over_a_range_of_tilts(position, tilt, side):
    """Across the joint (2 mm lateral to its centre), the bone the beam crosses drops to a narrow minimum
    between the C1 lateral mass above and C2 below: the cleft the operator looks for, at every tilt the
    open-mouth step accepts, not at one exact angle."""
    from atlas.phantom.carm import beam_direction
    from atlas.phantom.craniocervical import build_craniocervical

    cc = build_craniocervical()
    j = cc.joints[side]
    d = beam_direction(position, 0.0, tilt)
    d = d / np.linalg.norm(d)
    up = np.array([0.0, 0.0, 1.0]) - d[2] * d
    up /= np.linalg.norm(up)
    lateral = np.cross(up, d)
    lateral *= np.sign(lateral @ (j.centre - cc.points["C2.dens"]))
    us = np.arange(-8.0, 8.01, 0.25)
    ts = np.arange(-40.0, 40.0, 0.25)
    path = []
    for u in us:
        ray = (j.centre + 2.0 * lateral + u * up + ts[:, None] * d).astype(np.float32)
        inside = (np.asarray(cc.parts["C1"](*ray.T)) < 0) | (np.asarray(cc.parts["C2"](*ray.T)) < 0)
        path.append(inside.sum() * 0.25)
    path = np.array(path)
    i = int(np.argmin(np.where(np.abs(us) <= 4.0, path, np.inf)))
    above = path[(us > us[i] + 2.0) & (us < us[i] + 5.0)].mean()
    below = path[(us < us[i] - 2.0) & (us > us[i] - 5.0)].mean()
    assert path[i] < 0.65 * min(above, below), f"{path[i]:.1f} mm of bone in the cleft, {above:.1f} above, {below:.1f} below"


def test_face_beside_the_mouth_is_soft_tissue_with_the_muscles_of_mastication(landmarks):
    """The masseter lies on the outer face of the ramus and the medial pterygoid on its inner face, clear of
    the jaw, airway and carotid sheath; an AP ray through the cheek, beside the C1 lateral mass, crosses
    mostly soft tissue rather than fat."""
    from atlas.phantom.anatomy import all_structures, zones
    from atlas.phantom.carm import beam_direction

    z = zones()
    for side, s in (("L", 1.0), ("R", -1.0)):
        angle_x = landmarks[f"mandible.{side}.angle"][0]
        centres = {}
        for muscle, least_mm3 in (("masseter", 8000.0), ("medial-pterygoid", 5000.0), ("lateral-pterygoid", 2500.0)):
            shape = z[f"{muscle}.{side}"]
            lo, hi = shape.bbox
            g = np.stack(np.meshgrid(*(np.arange(a, b, 1.5) for a, b in zip(lo, hi)), indexing="ij"), -1).reshape(-1, 3).astype(np.float32)
            g = g[np.asarray(shape(*g.T)) < 0]
            assert len(g) * 1.5**3 > least_mm3, muscle
            for other in ("mandible", "pharynx", f"carotid.{side}", f"jugular.{side}"):
                assert not (np.asarray(z[other](*g.T)) < 0).any(), (muscle, other)
            centres[muscle] = g.mean(axis=0)
        assert s * (centres["masseter"][0] - angle_x) > 0 > s * (centres["medial-pterygoid"][0] - angle_x)
    d = beam_direction("supine", 0.0, -10.0)
    start = landmarks["C1.R.lateral-mass"] + np.array([-20.0, 0.0, 0.0])
    ray = (start + np.arange(-200.0, 200.0, 0.5)[:, None] * (d / np.linalg.norm(d))).astype(np.float32)
    owner = np.full(len(ray), None, object)
    for st in all_structures("open"):  # painter's order: the last drawn owns a point
        owner[np.asarray(st.shape(*ray.T)) < 0] = st.tissue.name
    inside = [o for o in owner if o is not None]
    fat = sum(o in ("fat", "visceral fat") for o in inside)
    assert fat < 0.4 * len(inside), f"{fat * 0.5:.0f} of {len(inside) * 0.5:.0f} mm fat"
