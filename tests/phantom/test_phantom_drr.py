"""The fast shear-warp path against the reference ray-caster, and landmark projection."""

import numpy as np
import pytest

from atlas.phantom.carm import View
from atlas.phantom.drr import drr_fast, drr_reference
from atlas.phantom.volume import Layer


@pytest.mark.parametrize("oblique,cc", [(0, 0), (28, 8), (90, 0)])
def test_fast_path_matches_reference_ray_caster(lumbar, landmarks, oblique, cc):
    view = View("prone", oblique, cc, landmarks["L4.body-centre"], 200.0, 48)
    fast = drr_fast(lumbar.volume.layers, view)
    ref = drr_reference(lumbar.volume.layers, view)
    inside = ref > 0.5
    rel = np.sqrt(np.mean((fast[inside] - ref[inside]) ** 2)) / np.mean(ref[inside])
    assert rel < 0.02


def _bead_layer(points, spacing=0.2, radius=0.8):
    lo = points.min(axis=0) - 3
    hi = points.max(axis=0) + 3
    n = np.ceil((hi - lo) / spacing).astype(int) + 1
    xs, ys, zs = (lo[i] + spacing * np.arange(n[i]) for i in range(3))
    mu = np.zeros((n[2], n[1], n[0]), np.float32)
    for p in points:
        ix = slice(*np.searchsorted(xs, [p[0] - 2, p[0] + 2]))
        iy = slice(*np.searchsorted(ys, [p[1] - 2, p[1] + 2]))
        iz = slice(*np.searchsorted(zs, [p[2] - 2, p[2] + 2]))
        Z, Y, X = np.meshgrid(zs[iz], ys[iy], xs[ix], indexing="ij")
        d = np.sqrt((X - p[0]) ** 2 + (Y - p[1]) ** 2 + (Z - p[2]) ** 2)
        mu[iz, iy, ix] = np.clip(radius - d + 0.5 * spacing, 0, spacing) / spacing
    return Layer(lo, spacing, mu.copy(), mu, residual=True)


NAMES = ["L4.R.pedicle", "L4-L5.R.safe-triangle", "L5.R.sap-tp-junction", "L3.spinous-tip"]


@pytest.mark.parametrize("oblique,cc", [(0, 0), (25, 10), (-35, -8), (90, 0)])
def test_landmark_projection_agrees_with_ray_caster_within_one_pixel(landmarks, oblique, cc):
    for name in NAMES:
        p = landmarks[name]
        layer = _bead_layer(p[None, :])
        view = View("prone", oblique, cc, landmarks["L4-L5.disc-centre"], 180.0, 512)
        x, y = view.project(p)[0]
        x0, y0 = int(x) - 8, int(y) - 8
        img = drr_reference([layer], view, step=0.05, window=(x0, y0, x0 + 16, y0 + 16))
        total = img.sum()
        assert total > 0
        yy, xx = np.mgrid[0:16, 0:16]
        cx = x0 + 0.5 + (img * xx).sum() / total
        cy = y0 + 0.5 + (img * yy).sum() / total
        assert abs(cx - x) < 1.0 and abs(cy - y) < 1.0, (name, cx - x, cy - y)


def test_fast_path_places_a_bead_within_one_pixel_of_its_projection(landmarks):
    p = landmarks["L4-L5.R.safe-triangle"]
    layer = _bead_layer(p[None, :], spacing=0.25, radius=1.0)
    for oblique, cc in [(0, 0), (25, 10), (90, 0)]:
        view = View("prone", oblique, cc, landmarks["L4-L5.disc-centre"], 180.0, 512)
        img = drr_fast([layer], view)
        x, y = view.project(p)[0]
        yy, xx = np.mgrid[0:512, 0:512]
        cx = (img * (xx + 0.5)).sum() / img.sum()
        cy = (img * (yy + 0.5)).sum() / img.sum()
        assert abs(cx - x) < 1.0 and abs(cy - y) < 1.0


def test_endplate_squaring_tilt_lines_up_the_rims(landmarks):
    """The tilt that squares the L4 inferior endplate projects its anterior and posterior rims together."""
    from atlas.phantom.landmarks import endplate_rims, squaring_tilt_for_endplate

    for level, which in [("L4", "inferior"), ("L5", "superior"), ("L3", "inferior")]:
        ant, post, centre = endplate_rims(level, which)
        tilt = squaring_tilt_for_endplate(level, which)
        view = View("prone", 0.0, tilt, centre, 180.0, 512)
        (xa, ya), (xp, yp) = view.project(np.array([ant, post]))
        assert abs(ya - yp) < 1.0
    # the tilt that squares L4-L5 does not square L5-S1 (the lordosis differs level by level)
    tilt = squaring_tilt_for_endplate("L4", "inferior")
    ant, post, centre = endplate_rims("L5", "inferior")
    view = View("prone", 0.0, tilt, centre, 180.0, 512)
    (_, ya), (_, yp) = view.project(np.array([ant, post]))
    assert abs(ya - yp) > 5.0


def test_a_large_layer_keeps_one_copy_of_its_attenuation_whatever_the_beam(monkeypatch):
    from atlas.phantom import drr

    rng = np.random.default_rng(0)
    mu = rng.random((40, 30, 20), dtype=np.float32) * 0.02
    layer = Layer(np.array([-10.0, -15.0, -20.0]), 1.0, np.zeros(mu.shape, np.int16), mu.copy())
    monkeypatch.setattr(drr, "ONE_COPY_BYTES", 1000)
    images = {}
    for oblique in (0.0, 90.0, 0.0):  # AP (beam along y), lateral (along x), AP again
        view = View("prone", oblique, 0.0, np.zeros(3), 80.0, 32)
        images.setdefault(oblique, []).append(drr.drr_fast([layer], view))
        assert len(layer._by_axis) == 1 and layer.mu.base is next(iter(layer._by_axis.values()))
        np.testing.assert_array_equal(layer.mu, mu)  # the same voxels, whatever order they are kept in
    np.testing.assert_allclose(images[0.0][0], images[0.0][1], rtol=1e-6)
    assert images[0.0][0].sum() > 0 and images[90.0][0].sum() > 0
