"""Soft-tissue edges of the coarse layer: smooth on zoomed CT slices, not stepped by the voxel grid."""

import numpy as np
import pytest
from scipy import ndimage

from atlas.phantom import tissues as T
from atlas.phantom.anatomy import Structure
from atlas.phantom.ct import make_plane, sample_plane
from atlas.phantom.sdf import F32, Frame, Local
from atlas.phantom.soft_tissue import Band
from atlas.phantom.volume import RegionSpec, build_volume

FAT = T.Tissue("plain fat", -100.0)  # no texture: only the geometry of the edges is measured
SKIN = T.Tissue("plain skin", 45.0)
CENTRE = np.array([0.37, -0.21, 0.13])  # off the voxel grid
R = 50.0
FIELD_MM, SIZE = 110.0, 512  # a zoomed neck slice: 0.21 mm pixels, 1.5 mm coarse voxels


def _body(steep: float) -> Local:
    """A sphere whose field is ``steep`` times the distance (smooth unions and scaled shapes, such as the
    body outline, give fields steeper or shallower than a distance)."""
    return Local(Frame.identity(CENTRE), lambda x, y, z: F32(steep) * (np.sqrt(x * x + y * y + z * z) - F32(R)),
                 (-R,) * 3, (R,) * 3)


def _neck_like_slice(steep: float = 1.0):
    body = _body(steep)
    structures = [Structure("body", body, FAT, "body"), Structure("skin", Band(body, 0.0, 2.0), SKIN, "body", sub=1)]
    spec = RegionSpec("edges", (-60.0, -60.0, -8.0), (60.0, 60.0, 8.0), 1.5, [])
    vol = build_volume(spec, structures, "0123456789abcdef")
    plane = make_plane("axial", "prone", CENTRE, CENTRE, FIELD_MM, SIZE)
    return sample_plane(vol, plane), plane


def _rays(hu, plane, n=720):
    """HU along ``n`` rays from the centre (rows: angles; columns: radius 44..54 mm in 0.02 mm steps)."""
    th = np.linspace(0, 2 * np.pi, n, endpoint=False)
    r = np.arange(44.0, 54.0, 0.02)
    c = (SIZE - 1) / 2
    px = r / plane.pixel_mm
    rows = c + np.sin(th)[:, None] * px[None]
    cols = c + np.cos(th)[:, None] * px[None]
    v = ndimage.map_coordinates(hu, [rows.ravel(), cols.ravel()], order=1, cval=-1000.0).reshape(rows.shape)
    return r, v


@pytest.mark.parametrize("steep", [1.0, 1.7])
def test_skin_outline_is_not_stepped_by_the_coarse_voxels(steep):
    hu, plane = _neck_like_slice(steep)
    r, v = _rays(hu, plane)
    # the edge seen in the soft-tissue window (on the flank of the skin line, so less exact), and mid-way to air
    for level, limit_mm in ((-160.0, 0.3), (-500.0, 0.18)):
        j = np.array([np.nonzero(row > level)[0][-1] for row in v])
        a, b = v[np.arange(len(v)), j], v[np.arange(len(v)), j + 1]
        radius = r[j] + 0.02 * (a - level) / (a - b)
        wobble = np.abs(radius - radius.mean()).max()
        # a sphere's outline is a circle: any wobble is the voxel grid showing through (a pixel is 0.21 mm)
        assert wobble < limit_mm, (level, wobble)


@pytest.mark.parametrize("steep", [1.0, 1.7])
def test_thin_skin_band_is_a_continuous_line(steep):
    hu, plane = _neck_like_slice(steep)
    _, v = _rays(hu, plane)
    peak = v.max(axis=1)  # the skin line's brightness along the outline
    assert peak.min() > -45.0, f"skin line broken: faintest {peak.min():.0f} HU (fat is -100)"
    assert peak.max() - peak.min() < 55.0, f"skin line beaded: peak HU {peak.min():.0f}..{peak.max():.0f}"
