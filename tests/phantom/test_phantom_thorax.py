"""Thorax: the mid-thoracic mediastinum (heart, descending aorta, oesophagus, azygos), the ribs, and the
shape of a thoracic wedge fracture."""

import numpy as np
import pytest

from atlas.phantom.anatomy import zones
from atlas.phantom.lesions import apply_to_points
from atlas.phantom.spine import build_spine


def field(shape, p):
    p = np.atleast_2d(np.asarray(p, np.float32))
    return np.asarray(shape(p[:, 0], p[:, 1], p[:, 2])).ravel()


def axial_section(shape, z, step=1.0):
    xs, ys = np.meshgrid(np.arange(-170.0, 170.0, step), np.arange(-180.0, 140.0, step))
    pts = np.stack([xs.ravel(), ys.ravel(), np.full(xs.size, z)], axis=1).astype(np.float32)
    return pts[field(shape, pts) < 0]


def test_descending_aorta_lies_against_the_left_anterolateral_side_of_t8(landmarks):
    z = zones()
    v = build_spine().vertebrae["T8"]
    ao = landmarks["aorta.T8"]
    local = v.local_of(ao)
    assert local[0] > 12.0, "left of the midline"
    assert local[1] < -v.p.endplate_depth / 4, "in front of the middle of the body"
    assert field(z["aorta.thoracic"], ao)[0] < -10.0, "the landmark lies inside the aorta, near its centre"
    assert 10.0 < field(z["T8.body"], ao)[0] < 15.5, "against the body (about its radius away)"
    section = axial_section(z["aorta.thoracic"], ao[2], 0.5)
    near = section[np.linalg.norm(section[:, :2] - ao[:2], axis=1) < 20.0]
    width = near[:, 0].max() - near[:, 0].min()
    assert 21.0 < width < 30.0, f"about 25 mm across ({width:.1f})"


def test_oesophagus_and_azygos_beside_the_aorta_at_t8(landmarks):
    z = zones()
    v = build_spine().vertebrae["T8"]
    ao, oes = landmarks["aorta.T8"], landmarks["oesophagus.T8"]
    assert oes[0] < ao[0] - 8.0 and oes[1] < ao[1] - 5.0, "oesophagus anterior and to the right of the aorta"
    assert np.all(field(z["aorta.thoracic"], axial_section(z["oesophagus"], oes[2])) > 0), "no overlap"
    az = axial_section(z["azygos"], v.frame.origin[2], 0.5).mean(axis=0)
    local = v.local_of(az)
    assert local[0] < -6.0 and local[1] < 0.0, "azygos on the right anterolateral side of the body"


def test_heart_is_left_anterior_and_oblique_at_t8(landmarks):
    z = zones()
    t8 = landmarks["T8.pedicles"]
    heart = axial_section(z["heart"], t8[2])
    assert len(heart) > 3000, "the slice cuts through the heart"
    c = heart[:, :2].mean(axis=0)
    assert c[0] > 12.0, "centre left of the midline"
    assert c[1] < landmarks["oesophagus.T8"][1] - 25.0, "in front of the oesophagus"
    # broad and oblique: its long axis runs from right-posterior to left-anterior
    evals, evecs = np.linalg.eigh(np.cov((heart[:, :2] - c).T))
    assert evals[1] / evals[0] > 1.3, "elongated, not a circle"
    axis = evecs[:, 1] * np.sign(evecs[0, 1])
    assert axis[1] < -0.25, f"long axis toward the left and front ({axis})"
    # behind the chest wall, not through it
    for name in ["sternum"] + [f"rib{k}.{s}" for k in range(3, 9) for s in "LR"]:
        assert np.all(field(z[name], heart) > 0), name


def test_ribs_end_at_their_cartilages_lateral_to_the_sternum():
    z = zones()
    for k in range(1, 11):
        for side, s in (("L", 1.0), ("R", -1.0)):
            rib = z[f"rib{k}.{side}"]
            lo, hi = rib.bbox
            g = np.mgrid[lo[0]:hi[0]:2.0, lo[1]:hi[1]:2.0, lo[2]:hi[2]:2.0].reshape(3, -1).T.astype(np.float32)
            bone = g[field(rib, g) < 0]
            assert s * bone[:, 0].min() > 12.0 if s > 0 else s * bone[:, 0].max() > 12.0, f"rib{k}.{side} stays on its side"


def _endplate_lines(volume, v, lesion, centre):
    """Slopes (dz/dy, local) of lines fitted to the top and the bottom of the body's bone in its mid-sagittal
    plane, on the phantom's CT values with ``lesion`` applied."""
    p = v.p
    D = p.endplate_depth
    zs = np.arange(-p.body_height_posterior / 2 - 4.0, p.body_height_posterior / 2 + 4.0, 0.25)
    ys = np.arange(-D / 2 + 3.0, D / 2 - 2.9, 1.0)
    tops, bots = [], []
    for y in ys:
        pts = np.array([v.W([0.0, y, zz]) for zz in zs])
        hu = volume.sample_hu(pts)
        if lesion is not None:
            hu = apply_to_points(lesion, centre, pts, hu)
        bone = zs[hu > 150.0]
        tops.append(bone.max())
        bots.append(bone.min())
    return np.polyfit(ys, tops, 1)[0], np.polyfit(ys, bots, 1)[0]


def test_wedge_fracture_tilts_the_superior_endplate_down_in_front(lumbar, landmarks):
    """The wedge angle between the two endplates (Cobb-like lines along each) of a wedge fracture of T11 with
    35 % anterior height loss is clearly larger than the intact body's, the superior endplate sloping down
    anteriorly relative to the inferior one."""
    v = build_spine().vertebrae["T11"]
    centre = landmarks["T11.body-centre"]

    def wedge_angle(lesion):
        top, bot = _endplate_lines(lumbar.volume, v, lesion, centre)
        return np.degrees(np.arctan(top) - np.arctan(bot))  # > 0: the body is lower in front (y < 0)

    intact = wedge_angle(None)
    fractured = wedge_angle({"kind": "compression-fracture", "at": "T11", "height_loss": 0.35})
    assert abs(intact) < 6.0, intact
    assert fractured > 16.5, (intact, fractured)
    assert fractured - intact > 15.0, (intact, fractured)
