from atlas.phantom import validate_render_spec

GOOD = {
    "modality": "fluoroscopy",
    "region": "lumbar",
    "oblique": 25,
    "craniocaudal": 6,
    "center": "L4-L5.R.safe-triangle",
    "needle": {"entry": "L4-L5.R.skin-entry", "target": "L4-L5.R.safe-triangle", "depth": 1.0},
    "contrast": {"pattern": "epidural-transforaminal", "at": "L4-L5.R.safe-triangle"},
    "labels": [{"landmark": "L4.R.pedicle", "label": "L4 pedicle", "layer": "anatomy"}],
    "arrows": [{"to": "L4-L5.R.safe-triangle", "label": "Safe triangle", "layer": "target"}],
    "zones": [{"structure": "L4.R.nerve-root", "label": "Exiting L4 nerve root", "layer": "danger"}],
}


def test_a_complete_fluoroscopy_spec_is_valid():
    assert validate_render_spec(GOOD) == []


def test_problems_carry_key_paths_and_suggestions():
    bad = dict(GOOD, oblique=120, bogus=1, labels=[{"landmark": "L4.R.pedicel"}])
    problems = dict(validate_render_spec(bad))
    assert "render.bogus" in problems
    assert "outside" in problems["render.oblique"]
    assert "L4.R.pedicle" in problems["render.labels[0].landmark"]


def test_needle_and_zone_names_are_checked():
    bad = dict(GOOD, needle={"target": "nowhere"}, zones=[{"structure": "L4.R.nerve-rot"}])
    problems = dict(validate_render_spec(bad))
    assert "render.needle.target" in problems
    assert "render.zones[0].structure" in problems


def test_ct_spec_needs_a_slice_point_and_rejects_c_arm_angles():
    problems = dict(validate_render_spec({"modality": "ct", "region": "lumbar", "oblique": 10}))
    assert "render.at" in problems and "render.oblique" in problems
    assert validate_render_spec({"modality": "ct", "region": "lumbar", "at": "L4.pedicles", "window": "bone"}) == []
    assert "render.window" in dict(validate_render_spec({"modality": "ct", "region": "lumbar", "at": "L4.pedicles", "window": "brain"}))


def test_unknown_modality_and_region():
    problems = dict(validate_render_spec({"modality": "mri", "region": "head"}))
    assert "render.modality" in problems and "render.region" in problems


def test_a_zone_slab_needs_a_thickness_and_a_needle_tip():
    zone = {"structure": "thecal-sac", "label": "Thecal sac", "slab_mm": 10}
    assert validate_render_spec(dict(GOOD, zones=[zone])) == []
    for bad in (0, 500, "10", True):
        assert "render.zones[0].slab_mm" in dict(validate_render_spec(dict(GOOD, zones=[dict(zone, slab_mm=bad)])))
    no_needle = {k: v for k, v in GOOD.items() if k != "needle"}
    assert "needle" in dict(validate_render_spec(dict(no_needle, zones=[zone])))["render.zones[0].slab_mm"]
