"""C-arm geometry: the one angle convention, perspective projection, view text.

Convention (shown with every image, documented in docs/image-definitions.md):

* The tube (source) is under the table and the detector above, as in spine
  suites.  With both angles at 0 the beam is vertical, travelling upwards:
  prone -> beam AP (anterior to posterior), supine -> beam PA, lateral
  decubitus -> a lateral beam.
* ``oblique`` (degrees): the C-arm turned about the patient's long axis.
  Positive moves the detector toward the patient's RIGHT (prone or supine);
  for a lateral decubitus patient positive moves the detector toward the
  patient's front.  +90 prone or supine is a lateral view with the detector at
  the patient's right (beam travelling left to right).
* ``craniocaudal`` (degrees): positive moves the detector toward the HEAD, so
  the beam travels cephalad; negative moves it toward the feet (beam caudad).
* The image is displayed as seen from the detector looking toward the source,
  with the patient's head toward the top of the image.  Prone AP: the
  patient's right is on the image right.  Supine: the conventional radiograph
  (patient's right on the image left).  Lateral: anterior is on the side of
  the image toward which the patient faces.

World axes are LPS (x left, y posterior, z cranial), millimetres.  Pixel
coordinates are continuous: the image's top-left corner is (0, 0), the first
pixel's centre (0.5, 0.5), x to the right, y down.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

POSITIONS = ("prone", "supine", "lateral-decubitus-left", "lateral-decubitus-right")
SID = 1000.0  # source to detector, mm
SOD = 620.0  # source to isocentre, mm


def beam_direction(position: str, oblique: float, craniocaudal: float) -> np.ndarray:
    """Unit vector of the central ray (source to detector) in patient coordinates."""
    t, c = np.radians(oblique), np.radians(craniocaudal)
    if position == "prone":
        d = np.array([-np.sin(t), np.cos(t), 0.0])
    elif position == "supine":
        d = np.array([-np.sin(t), -np.cos(t), 0.0])
    elif position == "lateral-decubitus-left":  # lying on the left side: beam goes left to right
        d = np.array([-np.cos(t), -np.sin(t), 0.0])
    elif position == "lateral-decubitus-right":
        d = np.array([np.cos(t), -np.sin(t), 0.0])
    else:
        raise ValueError(f"unknown position {position!r}")
    d = d * np.cos(c) + np.array([0.0, 0.0, 1.0]) * np.sin(c)
    return d / np.linalg.norm(d)


@dataclass
class View:
    """A C-arm view: angles, isocentre, field of view at the isocentre, image size."""

    position: str = "prone"
    oblique: float = 0.0
    craniocaudal: float = 0.0
    isocentre: np.ndarray = field(default_factory=lambda: np.zeros(3))
    field_mm: float = 180.0  # image width at the isocentre plane
    size: int = 512
    sid: float = SID
    sod: float = SOD

    def __post_init__(self):
        self.isocentre = np.asarray(self.isocentre, float)
        d = beam_direction(self.position, self.oblique, self.craniocaudal)
        self.d = d
        self.source = self.isocentre - d * self.sod
        self.det_centre = self.source + d * self.sid
        up = np.array([0.0, 0.0, 1.0]) - d * d[2]
        if np.linalg.norm(up) < 1e-6:  # beam along the body axis: use anterior as up
            up = np.array([0.0, -1.0, 0.0]) - d * d[1]
        up /= np.linalg.norm(up)
        self.right = np.cross(-d, up)
        self.down = -up
        self.magnification = self.sid / self.sod
        self.pixel_mm = self.field_mm * self.magnification / self.size  # at the detector

    # -- projection -----------------------------------------------------------
    def project(self, points) -> np.ndarray:
        """World points (N, 3) -> pixel coordinates (N, 2) as (x right, y down)."""
        p = np.atleast_2d(np.asarray(points, float))
        rel = p - self.source
        depth = rel @ self.d
        t = self.sid / depth
        q = rel * t[:, None] - (self.det_centre - self.source)
        x = self.size / 2 + (q @ self.right) / self.pixel_mm
        y = self.size / 2 + (q @ self.down) / self.pixel_mm
        return np.stack([x, y], axis=1)

    def pixel_rays(self, xs=None, ys=None):
        """Detector points and unit ray directions for pixel centres (H, W, 3)."""
        n = self.size
        xs = np.arange(n) + 0.5 if xs is None else np.asarray(xs, float)
        ys = np.arange(n) + 0.5 if ys is None else np.asarray(ys, float)
        X, Y = np.meshgrid(xs, ys)
        q = (self.det_centre[None, None, :]
             + ((X - n / 2) * self.pixel_mm)[..., None] * self.right
             + ((Y - n / 2) * self.pixel_mm)[..., None] * self.down)
        r = q - self.source
        r /= np.linalg.norm(r, axis=-1, keepdims=True)
        return q, r

    def depth_of(self, points) -> np.ndarray:
        """Distance along the central ray from the isocentre plane (positive toward the detector)."""
        p = np.atleast_2d(np.asarray(points, float))
        return (p - self.isocentre) @ self.d

    def text(self) -> str:
        return view_text(self.position, self.oblique, self.craniocaudal)


def _pos_name(position: str) -> str:
    return {"prone": "Prone", "supine": "Supine", "lateral-decubitus-left": "Left lateral decubitus",
            "lateral-decubitus-right": "Right lateral decubitus"}[position]


def view_text(position: str, oblique: float, craniocaudal: float) -> str:
    """The view in the one convention, e.g. ``Prone · beam AP · 25° right oblique (detector to patient's right) · 10° cranial (detector to head)``."""
    parts = [_pos_name(position)]
    o = float(oblique)
    if position in ("prone", "supine"):
        if abs(abs(o) - 90) < 1e-6:
            side = "right" if o > 0 else "left"
            parts.append(f"beam lateral · {side} lateral (detector at patient's {side})")
        else:
            parts.append("beam AP" if position == "prone" else "beam PA")
            if abs(o) > 1e-6:
                side = "right" if o > 0 else "left"
                parts.append(f"{abs(o):g}° {side} oblique (detector to patient's {side})")
    else:
        # lying on one side: the beam enters the side on the table; turning the detector toward the
        # patient's front ends in a PA beam at +90, toward the back in an AP beam at -90
        way = "anterior" if o > 0 else "posterior"
        if abs(abs(o) - 90) < 1e-6:
            parts.append("beam PA (detector at patient's front)" if o > 0 else "beam AP (detector at patient's back)")
        else:
            parts.append("beam lateral")
            if abs(o) > 1e-6:
                parts.append(f"{abs(o):g}° oblique (detector to patient's {way})")
    c = float(craniocaudal)
    if abs(c) > 1e-6:
        if c > 0:
            parts.append(f"{abs(c):g}° cranial (detector to head, beam cephalad)")
        else:
            parts.append(f"{abs(c):g}° caudal (detector to feet, beam caudad)")
    return " · ".join(parts)


def orientation_marks(view: View) -> dict[str, str]:
    """Which patient direction lies toward each image edge (for the edge letters)."""
    names = {(1, 0, 0): "L", (-1, 0, 0): "R", (0, 1, 0): "P", (0, -1, 0): "A", (0, 0, 1): "H", (0, 0, -1): "F"}

    def nearest(vec):
        best = max(names, key=lambda k: np.dot(vec, k))
        return names[best]

    return {"right": nearest(view.right), "left": nearest(-view.right), "top": nearest(-view.down), "bottom": nearest(view.down)}
