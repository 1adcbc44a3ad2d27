"""The virtual C-arm's Qt-free side: prompts and CT offsets."""

from atlas.live import Angles, LiveScene, distance_mm


def test_prompt_checks_and_a_prompt_the_phantom_cannot_check(test_phantom):
    spec = {"modality": "fluoroscopy", "region": "lumbar", "oblique": 25, "craniocaudal": 6, "level": "L4"}
    scene = LiveScene(spec, {"text": "Oblique", "check": {"oblique": [20, 30]}}, phantom=test_phantom("lumbar"), size=128)
    assert scene.check_prompt(Angles("prone", 25, 6)).ok
    assert not scene.check_prompt(Angles("prone", 5, 6)).ok
    odd = LiveScene(spec, {"text": "x", "check": {"squared": "S1.superior"}}, phantom=test_phantom("lumbar"), size=128)
    result = odd.check_prompt(Angles("prone", 0, 0))
    assert not result.ok and "cannot be checked" in result.message


def test_distance():
    assert distance_mm((0, 0), (3, 4), 2.0) == 10.0


def test_fast_frame_is_the_same_view_from_the_coarse_layers(test_phantom, monkeypatch):
    phantom = test_phantom("lumbar")
    spec = {"modality": "fluoroscopy", "region": "lumbar", "oblique": 20, "craniocaudal": 5, "center": "L4.R.pedicle",
            "field_mm": 160, "labels": [{"landmark": "L4.R.pedicle", "label": "Pedicle"}]}
    scene = LiveScene(spec, phantom=phantom, size=128)
    used = []
    real = phantom.fast_layers
    monkeypatch.setattr(phantom, "fast_layers", lambda: used.append(1) or real())
    fast = scene.fluoro_frame(Angles("prone", 20, 5), "fast")
    assert used, "a fast frame must render from the half-resolution layers"
    full = scene.fluoro_frame(Angles("prone", 20, 5), "full")
    assert fast.quality == "fast" and fast.pixels.shape == full.pixels.shape == (128, 128)
    (fx, fy), = fast.annotations[0].points
    (gx, gy), = full.annotations[0].points
    assert abs(fx - gx) <= 1.0 and abs(fy - gy) <= 1.0  # labels sit where they will sit on the still
    assert abs(float(fast.pixels.mean()) - float(full.pixels.mean())) < 12


def test_a_scrolled_ct_slice_names_where_it_is_in_words(test_phantom):
    spec = {"modality": "ct", "region": "lumbar", "plane": "axial", "at": "L4.pedicles", "window": "bone"}
    scene = LiveScene(spec, phantom=test_phantom("lumbar"), size=96)
    text = scene.ct_frame(5.0).view_text
    assert "through the L4 pedicles +5 mm" in text and "L4.pedicles" not in text
