"""Bone cement and kyphoplasty balloons: a lobulated fill, leaks as dense as the fill, balloons clear of the cortex."""

import numpy as np
import pytest
import yaml
from scipy.spatial import ConvexHull

from atlas.phantom import contrast as C
from atlas.phantom.anatomy import zones
from atlas.phantom.landmarks import landmarks
from atlas.phantom.lesions import remaining_body
from atlas.phantom.sdf import field_on_block

WEDGE = {"kind": "compression-fracture", "height_loss": 0.3, "shape": "wedge"}


def _fracture(level: str):
    return ((dict(WEDGE, at=level), landmarks()[f"{level}.body-centre"]),)


def _layer_points(comps, min_hu: float):
    layer = C.contrast_layer(comps)
    iz, iy, ix = np.nonzero(layer.hu > min_hu)
    return layer, layer.origin + layer.spacing * np.stack([ix, iy, iz], axis=1)


def test_venous_leak_is_as_dense_as_the_fill():
    at = landmarks()["T11.R.body-anterior-third"]
    fill, leak = C.components("cement-leak-venous", at, "R", "small")
    assert leak.hu >= fill.hu
    fill_peak = C.contrast_layer([fill]).hu.max()
    leak_peak = C.contrast_layer([leak]).hu.max()
    assert leak_peak >= fill_peak * 0.99


def test_fill_is_densest_centrally():
    at = landmarks()["L1.R.body-anterior-third"]
    layer, pts = _layer_points(C.components("cement", at, None, "medium"), 1.0)
    r = np.linalg.norm(pts - at, axis=1)
    idx = np.floor((pts - layer.origin) / layer.spacing + 0.5).astype(int)
    hu = layer.hu[idx[:, 2], idx[:, 1], idx[:, 0]]
    assert hu[r < 3].mean() > hu[r > np.percentile(r, 80)].mean() * 1.1


def test_fill_outline_is_lobulated_not_a_box():
    at = landmarks()["L1.R.body-anterior-third"]
    layer, pts = _layer_points(C.components("cement", at, None, "medium"), 0.5 * C.CEMENT_HU)
    mid = pts[np.abs(pts[:, 2] - at[2]) < layer.spacing / 2][:, :2]  # one axial section through the tip
    hull = ConvexHull(mid)
    solidity = len(mid) * layer.spacing ** 2 / hull.volume
    assert solidity < 0.93, solidity


def test_fill_stays_in_the_collapsed_body():
    at = landmarks()["T11.R.body-anterior-third"]
    lesions = _fracture("T11")
    _, pts = _layer_points(C.components("cement", at, None, "small", lesions), 0.5 * C.CEMENT_HU)
    body = remaining_body(lesions, "T11")
    f = np.asarray(body(*(pts.T.astype(np.float32))))
    assert np.all(f < 0.5)


@pytest.mark.parametrize("level", ["T11", "L1"])
@pytest.mark.parametrize("side", ["L", "R"])
def test_balloon_stays_clear_of_the_cortex(level, side):
    at = landmarks()[f"{level}.{side}.body-anterior-third"]
    lesions = _fracture(level)
    _, pts = _layer_points(C.components("balloon", at, side, "small", lesions), 750.0)
    assert len(pts) > 50
    body = C._And(zones()[f"{level}.body"], remaining_body(lesions, level))
    f = np.asarray(body(*(pts.T.astype(np.float32))))
    assert f.max() < -(C.BALLOON_CLEARANCE - 1.0), f.max()


def test_tva_lateral_cement_is_not_in_a_disc():
    spec = yaml.safe_load(open("images/tva-lateral-cement.yaml"))["render"]
    lesions = tuple((le, landmarks()[f"{le['at']}.body-centre"]) for le in spec.get("lesions", []))
    assert lesions, "the cement view shows the fractured T11"
    comps = []
    for c in spec["contrast"]:
        comps += C.components(c["pattern"], landmarks()[c["at"]], c.get("side"), c.get("amount", "medium"), lesions)
    _, pts = _layer_points(comps, 0.5 * C.CEMENT_HU)
    for seg in ("T10-T11", "T11-T12"):
        disc = zones()[f"{seg}.disc"]
        f = np.asarray(disc(*(pts.T.astype(np.float32))))
        # the zone is the disc space between the endplate rims; the cement stays out of it
        assert f.min() > 0.0, (seg, f.min())
    structures = [z.get("structure", "") for z in spec.get("zones") or []]
    assert {"T10-T11.disc", "T11-T12.disc"} <= set(structures), "the discs the cement must not enter are outlined"
