import numpy as np
import pytest

from atlas.phantom.carm import View, beam_direction, orientation_marks, view_text


def test_prone_ap_beam_travels_anterior_to_posterior():
    assert np.allclose(beam_direction("prone", 0, 0), [0, 1, 0])
    assert np.allclose(beam_direction("supine", 0, 0), [0, -1, 0])


def test_positive_oblique_moves_the_detector_to_the_patients_right():
    # LPS: patient's right is -x; the beam points toward the detector
    assert beam_direction("prone", 30, 0)[0] < 0
    assert beam_direction("supine", 30, 0)[0] < 0
    assert np.allclose(beam_direction("prone", 90, 0), [-1, 0, 0], atol=1e-9)


def test_positive_craniocaudal_moves_the_detector_to_the_head():
    assert beam_direction("prone", 0, 15)[2] > 0
    assert beam_direction("prone", 0, -15)[2] < 0


def test_display_is_seen_from_the_detector_head_up():
    assert orientation_marks(View("prone")) == {"right": "R", "left": "L", "top": "H", "bottom": "F"}
    assert orientation_marks(View("supine"))["right"] == "L"
    assert orientation_marks(View("prone", oblique=90))["right"] == "A"


def test_isocentre_projects_to_the_image_centre_and_scale_matches_field():
    v = View("prone", 25, 10, np.array([1.0, 2.0, 3.0]), field_mm=180, size=512)
    assert np.allclose(v.project([1.0, 2.0, 3.0]), [[256, 256]])
    right = v.isocentre + v.right * 90.0
    assert v.project(right)[0, 0] == pytest.approx(512, abs=1e-6)


def test_view_text_names_the_convention():
    t = view_text("prone", 25, 10)
    assert t == "Prone · beam AP · 25° right oblique (detector to patient's right) · 10° cranial (detector to head, beam cephalad)"
    assert "left lateral" in view_text("prone", -90, 0)
    assert "caudal" in view_text("supine", 0, -5)


def test_decubitus_view_text_names_the_beam_it_has():
    for pos in ("lateral-decubitus-left", "lateral-decubitus-right"):
        assert np.allclose(beam_direction(pos, 90, 0), [0, -1, 0], atol=1e-9), "detector to the front: beam PA"
        assert "beam PA" in view_text(pos, 90, 0) and "lateral" not in view_text(pos, 90, 0).split("·")[1]
        assert np.allclose(beam_direction(pos, -90, 0), [0, 1, 0], atol=1e-9)
        assert "beam AP" in view_text(pos, -90, 0)
        assert "beam lateral" in view_text(pos, 0, 0) and "beam lateral" in view_text(pos, 30, 0)
