import numpy as np
import pytest

from atlas.phantom.render import encode_png, render_with
from atlas.annotations import point_in_polygon

TFESI = {
    "modality": "fluoroscopy",
    "region": "lumbar",
    "oblique": 25,
    "craniocaudal": 6,
    "center": "L4-L5.R.safe-triangle",
    "field_mm": 180,
    "needle": {"entry": "L4-L5.R.skin-entry", "target": "L4-L5.R.safe-triangle", "depth": 1.0},
    "labels": [{"landmark": "L4.R.pedicle", "label": "L4 pedicle"}],
    "arrows": [{"to": "L4-L5.R.safe-triangle", "label": "Safe triangle", "layer": "target"}],
    "zones": [{"structure": "L4.R.nerve-root", "label": "Exiting L4 nerve root"}],
    "contrast": {"pattern": "epidural-transforaminal", "at": "L4-L5.R.safe-triangle"},
}


def test_rendering_is_deterministic(lumbar):
    a = render_with(TFESI, lumbar, size=128)
    b = render_with(TFESI, lumbar, size=128)
    assert a.pixels.dtype == np.uint8 and a.pixels.shape == (128, 128)
    assert encode_png(a.pixels) == encode_png(b.pixels)
    assert a.annotations == b.annotations and a.view_text == b.view_text


def test_annotations_are_resolved_in_pixels(lumbar):
    r = render_with(TFESI, lumbar, size=128)
    kinds = [a["kind"] for a in r.annotations]
    assert kinds.count("point") == 1 and kinds.count("arrow") == 1 and kinds.count("polyline") == 1 and kinds.count("polygon") == 1
    for a in r.annotations:
        assert set(a) == {"kind", "layer", "label", "points", "description"}
    arrow = next(a for a in r.annotations if a["kind"] == "arrow")
    assert np.allclose(arrow["points"][1], [64, 64], atol=0.01), "the centre landmark is at the image centre"
    needle = next(a for a in r.annotations if a["kind"] == "polyline")
    assert np.allclose(needle["points"][1], [64, 64], atol=0.01), "the needle tip is at the target"
    zone = next(a for a in r.annotations if a["kind"] == "polygon")
    assert len(zone["points"]) >= 3
    assert r.view_text.startswith("Prone · beam AP · 25° right oblique")
    assert r.meta["modality"] == "fluoroscopy" and r.meta["phantom_hash"] == lumbar.param_hash


def test_needle_is_drawn_into_the_pixels(lumbar):
    spec = {k: v for k, v in TFESI.items() if k not in ("contrast",)}
    lateral = dict(spec, oblique=90, craniocaudal=0, center="L4-L5.disc-centre", needle=dict(TFESI["needle"], entry="L4-L5.R.skin-entry"))
    without = dict(lateral)
    del without["needle"]
    a = render_with(lateral, lumbar, size=256).pixels.astype(int)
    b = render_with(without, lumbar, size=256).pixels.astype(int)
    assert (a - b).max() > 30, "a radiopaque needle brightens the bone-white image"


def test_native_polarity_inverts_inside_the_field(lumbar):
    spec = {"modality": "fluoroscopy", "region": "lumbar", "level": "L4", "collimation": "none"}
    a = render_with(spec, lumbar, size=64).pixels.astype(int)
    b = render_with(dict(spec, polarity="native"), lumbar, size=64).pixels.astype(int)
    assert np.corrcoef(a.ravel(), b.ravel())[0, 1] < -0.95


def test_centre_metering_exposes_for_the_middle_of_the_field():
    from atlas.phantom.fluoro import fluoro_look

    # a thin part in the middle of the field, a dense block at the edge (the teeth round an open-mouth view)
    size = 128
    yy, xx = np.mgrid[0:size, 0:size]
    r = np.hypot(xx + 0.5 - size / 2, yy + 0.5 - size / 2) / (size / 2)
    line = np.where(r < 0.55, 4.0 + 0.3 * (xx > size / 2), 7.0).astype(np.float32)
    field, _ = fluoro_look(line, noise=0.0)
    centre, exposure = fluoro_look(line, noise=0.0, metering="centre")
    mid = (r < 0.3) & (np.abs(xx + 0.5 - size / 2) > 6)
    step = lambda px: px[mid & (xx > size / 2)].mean() - px[mid & (xx < size / 2)].mean()  # noqa: E731
    assert step(centre.astype(float)) > 1.5 * step(field.astype(float)), "more contrast where the target is"
    assert centre[(r > 0.6) & (r < 0.8)].mean() > 250, "the dense edge saturates"
    assert exposure["window"][1] < 7.0


def test_an_unknown_metering_is_refused():
    from atlas.phantom.spec import validate_render_spec

    problems = validate_render_spec({"modality": "fluoroscopy", "region": "cervical", "metering": "spot"})
    assert any(path.endswith("metering") for path, _ in problems)


def test_ct_slice_in_hounsfield_units(lumbar, landmarks):
    from atlas.phantom.ct import make_plane, sample_plane

    r = lumbar.renderer()
    plane = r.ct_plane("axial", "L4.pedicles", field_mm=360, size=128)
    hu = sample_plane(lumbar.volume, plane)
    assert hu.min() < -900, "air around the body"
    vol = lumbar.volume
    g = np.stack(np.meshgrid(*[np.linspace(-3, 3, 5)] * 3, indexing="ij"), -1).reshape(-1, 3)
    assert vol.sample_hu(landmarks["L4.body-centre"][None] + g).mean() > 120, "cancellous bone (mean over a few mm: texture varies)"
    ped = landmarks["L4.R.pedicle"]
    across = ped[None, :] + np.linspace(-9, 9, 61)[:, None] * np.array([1.0, 0.0, 0.0])
    assert vol.sample_hu(across).max() > 450, "pedicle cortex denser than cancellous bone"
    # the slender L1-L4 transverse processes are compact bone in their outer part (seen end-on on a lateral
    # view, a marrow-filled rod would be a ring) and have marrow at the root, like the pedicle they continue
    # (compact from root to tip, they made a bright spot over the pedicle); the stout L5 process has marrow
    def tp_hu(level, fraction):
        root, tip = landmarks[f"{level}.R.tp-root"], landmarks[f"{level}.R.tp-tip"]
        return vol.sample_hu((root + fraction * (tip - root))[None] + 0.3 * g).mean()

    assert tp_hu("L3", 0.75) > 600 and tp_hu("L3", 0.3) < 400
    assert tp_hu("L5", 0.75) < 400
    spec = {"modality": "ct", "region": "lumbar", "plane": "axial", "at": "L4.pedicles", "window": "bone",
            "labels": [{"landmark": "L4.R.pedicle", "label": "pedicle"}, {"landmark": "L2.body-centre", "label": "far"}],
            "zones": [{"structure": "psoas.R", "label": "Psoas"}]}
    res = render_with(spec, lumbar, size=128)
    assert res.meta["window"] == {"name": "bone", "width": 2000.0, "level": 500.0}
    far = next(a for a in res.annotations if a["label"] == "far")
    assert "this slice" in far["description"]
    assert "axial" in res.view_text and "W2000/L500" in res.view_text
    assert "axial through the L4 pedicles" in res.view_text, res.view_text
    zone = next(a for a in res.annotations if a["kind"] == "polygon")
    assert len(zone["points"]) >= 3


def test_oblique_needle_plane_contains_the_needle(lumbar, landmarks):
    spec = {"modality": "ct", "region": "lumbar", "plane": "oblique-needle", "at": "L4-L5.R.safe-triangle",
            "needle": {"entry": {"skin": {"oblique": 25, "craniocaudal": 6}}, "target": "L4-L5.R.safe-triangle"}}
    res = render_with(spec, lumbar, size=96)
    needle = next(a for a in res.annotations if a["kind"] == "polyline")
    assert "leaves the slice" not in needle["description"]


def test_every_contrast_pattern_renders(lumbar):
    from atlas.phantom.contrast import PATTERNS

    at = {"epidural-transforaminal": "L4-L5.R.safe-triangle", "epidural-interlaminar": "L4-L5.posterior-epidural-space",
          "epidural-caudal": "sacral-canal.S3", "intravascular": "L4-L5.R.safe-triangle", "intrathecal": "L3.body-centre",
          "subdural": "L4-L5.posterior-epidural-space", "facet": "L4-L5.R.facet-joint", "muscle": "L4.R.lamina",
          "intradiscal": "L4-L5.disc-centre", "intraneural": "L4.R.drg"}
    at.update({p: "L4.body-anterior-third" for p in PATTERNS if p.startswith("cement") or p == "balloon"})
    at.update({"sacroiliac-joint": "SIJ.R.inferior-third", "medial-branch": "L4.R.sap-tp-junction"})
    at = {p: at.get(p, "L4.body-centre") for p in PATTERNS if p != "prevertebral"}
    base = {"modality": "fluoroscopy", "region": "lumbar", "level": "L4", "field_mm": 200}
    plain = render_with(base, lumbar, size=64).pixels.astype(int)
    for pattern in at:
        img = render_with(dict(base, contrast={"pattern": pattern, "at": at[pattern]}), lumbar, size=64).pixels.astype(int)
        assert np.abs(img - plain).sum() > 0, pattern


def test_prevertebral_pattern_renders_in_the_neck(phantom_cache):
    from atlas.phantom import Phantom

    cervical = Phantom.load("cervical", phantom_cache, quality="test")
    base = {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "level": "C6", "field_mm": 140}
    plain = render_with(base, cervical, size=64).pixels.astype(int)
    img = render_with(dict(base, contrast={"pattern": "prevertebral", "at": "C6.R.body-tp-junction"}), cervical, size=64).pixels.astype(int)
    assert np.abs(img - plain).sum() > 0


def test_cervical_open_mouth_view_shows_the_dens_between_the_incisors(phantom_cache, landmarks):
    from atlas.phantom import Phantom
    from atlas.phantom.carm import View

    cervical = Phantom.load("cervical", phantom_cache, quality="test", mouth="open")
    spec = {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "craniocaudal": -10, "center": "C2.dens",
            "field_mm": 110, "mouth": "open", "labels": [{"landmark": "C2.dens-tip", "label": "dens"}]}
    res = render_with(spec, cervical, size=96)
    assert res.pixels.shape == (96, 96) and res.meta["orientation"]["right"] == "L"
    view = View("supine", 0, -10, landmarks["C2.dens"], 110, 512)
    upper, tip, lower = view.project(np.array([landmarks["incisors.upper"], landmarks["C2.dens-tip"], landmarks["incisors.lower"]]))[:, 1]
    assert upper < tip < lower, "image y grows downward: upper incisors above the dens tip, lower incisors below"


def test_the_mouth_is_closed_unless_a_view_asks_for_it_open(phantom_cache, landmarks):
    from atlas.phantom import Phantom
    from atlas.phantom.carm import View

    closed = Phantom.load("cervical", phantom_cache, quality="test")
    opened = Phantom.load("cervical", phantom_cache, quality="test", mouth="open")
    assert closed.mouth == "closed" and opened.mouth == "open" and closed.param_hash != opened.param_hash
    assert Phantom.load("lumbar", phantom_cache, quality="test").mouth is None
    spec = {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "craniocaudal": -10, "center": "C2.dens",
            "field_mm": 110, "collimation": "none"}
    view = View("supine", 0, -10, landmarks["C2.dens"], 110, 96)
    (x, y), = view.project(landmarks["C2.dens-tip"][None, :])
    # open, the dens is seen through the air of the mouth; closed, through the tongue and the teeth
    shut = render_with(spec, closed, size=96).pixels.astype(float)
    wide = render_with(dict(spec, mouth="open"), opened, size=96).pixels.astype(float)
    patch = (slice(int(y) - 2, int(y) + 3), slice(int(x) - 2, int(x) + 3))
    assert shut[patch].mean() > wide[patch].mean() + 20, (shut[patch].mean(), wide[patch].mean())
    with pytest.raises(ValueError):
        render_with(dict(spec, mouth="open"), closed, size=32)


def test_long_structures_outline_whole_at_small_fields(landmarks):
    from atlas.phantom.anatomy import zones
    from atlas.phantom.carm import View
    from atlas.phantom.render import _zone_outline_fluoro

    for name, centre, field_mm in [("vertebral-artery.R", "C2.dens", 90), ("spinal-cord", "C4.body-centre", 70),
                                   ("thecal-sac", "L4.R.pedicle", 80), ("L4.R.nerve-root", "L4.R.pedicle", 60)]:
        view = View("supine" if name != "thecal-sac" and not name.startswith("L4") else "prone", 90 if name != "thecal-sac" else 0, 0,
                    landmarks[centre], field_mm, 256)
        poly = np.array(_zone_outline_fluoro(zones()[name], view))
        assert len(poly) >= 3, name
        assert np.ptp(poly[:, 1]) > 0.5 * 256 or np.ptp(poly[:, 0]) > 0.5 * 256, f"{name} outline is a fragment"


def _inside_even_odd(poly, x, y):
    inside = False
    n = len(poly)
    for i in range(n):
        (x0, y0), (x1, y1) = poly[i], poly[(i + 1) % n]
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
    return inside


def test_a_whole_vertebra_outlines_body_and_spinous_process_in_sagittal_ct(lumbar, landmarks):
    spec = {"modality": "ct", "region": "lumbar", "plane": "sagittal", "at": "L3.body-centre", "window": "bone", "field_mm": 200,
            "zones": [{"structure": "L3", "label": "L3"}]}
    res = render_with(spec, lumbar, size=256)
    poly = next(a for a in res.annotations if a["kind"] == "polygon")["points"]
    plane = lumbar.renderer().ct_plane("sagittal", "L3.body-centre", field_mm=200, size=256)
    for name in ("L3.body-centre", "L3.spinous-process"):
        xy, _ = plane.project(landmarks[name])
        assert _inside_even_odd(poly, xy[0][0], xy[0][1]), name


def test_landmark_ids_read_as_words_in_view_texts():
    from atlas.phantom.landmarks import landmarks as all_landmarks
    from atlas.phantom.names import readable

    assert readable("C6.R.transverse-process") == "the right C6 transverse process"
    assert readable("C1.L.lateral-mass") == "the left C1 lateral mass"
    assert readable("T8-T9.disc-centre") == "the T8-T9 disc"
    assert readable("piriformis.R") == "the right piriformis"
    assert readable("pelvis.R.greater-sciatic-notch") == "the right greater sciatic notch"
    for name in all_landmarks():
        words = readable(name)
        assert "." not in words and not any(t in words.split() for t in ("L", "R")), (name, words)


def test_danger_zones_are_drawn_only_inside_the_collimated_field(lumbar):
    """A long structure (the thecal sac) runs out of the round field; its outline stops at the field's edge."""
    spec = {"modality": "fluoroscopy", "region": "lumbar", "oblique": 90, "center": "L4-L5.disc-centre", "field_mm": 120,
            "zones": [{"structure": "thecal-sac", "label": "Thecal sac", "layer": "danger"}]}
    size = 128
    r = render_with(spec, lumbar, size=size)
    (zone,) = [a for a in r.annotations if a["kind"] == "polygon"]
    points = np.array(zone["points"])
    assert len(points) >= 3
    centre = size / 2
    radius = np.hypot(points[:, 0] - centre, points[:, 1] - centre)
    assert radius.max() <= 0.98 * size / 2 + 1.0  # the circle of the collimator, not the square image
    assert radius.max() >= 0.9 * size / 2  # it does reach the edge of the field


def _inside(polygon, x: float, y: float) -> bool:
    """Even-odd rule, as the viewer fills zones."""
    return point_in_polygon(x, y, tuple(tuple(p) for p in polygon))


def _edge_distance(polygon, x: float, y: float) -> float:
    p = np.asarray(polygon, float)
    a, b = p, np.roll(p, -1, axis=0)
    ab = b - a
    t = np.clip(((np.array([x, y]) - a) * ab).sum(1) / np.maximum((ab * ab).sum(1), 1e-9), 0, 1)
    return float(np.hypot(*(a + t[:, None] * ab - np.array([x, y])).T).min())


def test_a_zone_slab_shows_the_structure_at_the_depth_of_the_needle_tip(lumbar):
    """In a contralateral oblique the whole thecal sac's shadow covers the epidural needle tip; the part of
    the sac at the tip's depth lies in front of the tip, as the dura does."""
    spec = {"modality": "fluoroscopy", "region": "lumbar", "oblique": -50, "center": "L4-L5.interlaminar", "field_mm": 120,
            "needle": {"entry": "L4-L5.interlaminar.skin-entry", "target": "L4-L5.posterior-epidural-space", "depth": 1.0},
            "zones": [{"structure": "thecal-sac", "label": "whole"}, {"structure": "thecal-sac", "label": "slab", "slab_mm": 3}]}
    r = render_with(spec, lumbar, size=384)
    (needle,) = [a for a in r.annotations if a["kind"] == "polyline"]
    zones = {a["label"]: a["points"] for a in r.annotations if a["kind"] == "polygon"}
    tip = needle["points"][-1]  # the needle line runs from the skin entry to the tip
    assert _inside(zones["whole"], *tip) and _edge_distance(zones["whole"], *tip) > 3.0  # 1 mm is 3.2 px here
    assert len(zones["slab"]) >= 3 and not _inside(zones["slab"], *tip)  # the dura lies in front of the tip
    assert _edge_distance(zones["slab"], *tip) < 12.0  # within about 4 mm of it
