"""Zygapophyseal (facet) joints: one shared, curved joint surface per joint.

The superior articular process (SAP) of the lower vertebra and the inferior
articular process (IAP) of the upper vertebra are both cut by the same
cylindrical surface, offset by half the joint space on either side, so the two
processes can never fuse and the joint line is where the anatomy says.  The
surface lives in the lower vertebra's frame, so it follows the local lordosis
or kyphosis.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from . import parameters as P
from .sdf import F32, Frame, Shape, unit

SIDES = {"L": 1.0, "R": -1.0}  # +x is the patient's left


@dataclass(frozen=True)
class FacetJoint:
    name: str  # "L4-L5.R"
    side: str
    centre: np.ndarray  # world, middle of the joint space
    normal: np.ndarray  # world, from the SAP side toward the IAP side
    axis: np.ndarray  # world, cylinder axis (in the joint plane)
    radius: float  # curvature radius of the joint surface (large = flat)
    gap: float  # joint space (cartilage and cavity), mm
    half_height: float  # extent of the articular surface along the axis, mm
    half_width: float  # extent across the joint, mm
    convex: bool = False  # False: the SAP side's surface is concave (the cylinder's axis on the IAP side); True: convex

    @property
    def cylinder_centre(self) -> np.ndarray:
        return self.centre + (-1.0 if self.convex else 1.0) * self.radius * self.normal

    def surface_field(self, X, Y, Z):
        """Signed distance to the joint surface: negative on the IAP side."""
        c, a = self.cylinder_centre.astype(F32), self.axis.astype(F32)
        dx, dy, dz = X - c[0], Y - c[1], Z - c[2]
        t = dx * a[0] + dy * a[1] + dz * a[2]
        rx, ry, rz = dx - t * a[0], dy - t * a[1], dz - t * a[2]
        d = np.sqrt(rx * rx + ry * ry + rz * rz) - F32(self.radius)
        return -d if self.convex else d

    def sap_side(self) -> Shape:
        return _Side(self, +1)

    def iap_side(self) -> Shape:
        return _Side(self, -1)

    def sap_plate(self, profile: tuple[tuple[float, float], ...]) -> Shape:
        """The SAP side of the joint as a curved plate behind its facet, not a round blob.  ``profile`` is
        ``((along, thickness), ...)``: the plate's depth below the joint surface, in mm, at points ``along``
        the joint axis from the joint centre (increasing, positive upward), linear in between and constant
        beyond the first and the last point."""
        return _Slab(self, self.gap / 2, profile)

    def space(self) -> Shape:
        """The joint space itself (cartilage and cavity) as a thin curved slab."""
        return _Space(self)

    def point(self, along: float = 0.0, across: float = 0.0, normal: float = 0.0) -> np.ndarray:
        """A point on the joint: ``along`` the axis, ``across`` it in the joint plane, off the surface."""
        across_dir = unit(np.cross(self.axis, self.normal))
        return self.centre + along * self.axis + across * across_dir + normal * self.normal


class _Side(Shape):
    def __init__(self, joint: FacetJoint, sign: int):
        self.j, self.sign = joint, sign
        self.bbox = (np.full(3, -1e4), np.full(3, 1e4))

    def __call__(self, X, Y, Z):
        f = self.j.surface_field(X, Y, Z)
        g = F32(self.j.gap / 2)
        # SAP keeps f > g (field g - f); IAP keeps f < -g (field f + g)
        return g - f if self.sign > 0 else f + g


class _Slab(Shape):
    def __init__(self, joint: FacetJoint, t0: float, profile: tuple[tuple[float, float], ...]):
        self.j, self.t0 = joint, float(t0)
        self.along = np.array([a for a, _ in profile], F32)
        self.depth = np.array([self.t0 + t for _, t in profile], F32)
        if np.any(np.diff(self.along) <= 0) or np.any(self.depth <= self.t0):
            raise ValueError(f"plate profile must rise along the axis with positive thickness: {profile}")
        self.bbox = (np.full(3, -1e4), np.full(3, 1e4))

    def __call__(self, X, Y, Z):
        f = self.j.surface_field(X, Y, Z)
        c, a = self.j.centre.astype(F32), self.j.axis.astype(F32)
        along = (X - c[0]) * a[0] + (Y - c[1]) * a[1] + (Z - c[2]) * a[2]
        t1 = np.interp(along, self.along, self.depth).astype(F32)
        return np.maximum(F32(self.t0) - f, f - t1)


class _Space(Shape):
    def __init__(self, joint: FacetJoint):
        self.j = joint
        r = max(joint.half_height, joint.half_width) + joint.gap + 2
        self.bbox = (joint.centre - r, joint.centre + r)

    def __call__(self, X, Y, Z):
        j = self.j
        f = np.abs(j.surface_field(X, Y, Z)) - F32(j.gap / 2 + 0.2)
        c, a = j.centre.astype(F32), j.axis.astype(F32)
        across = unit(np.cross(j.axis, j.normal)).astype(F32)
        dx, dy, dz = X - c[0], Y - c[1], Z - c[2]
        t = dx * a[0] + dy * a[1] + dz * a[2]
        u = dx * across[0] + dy * across[1] + dz * across[2]
        e = np.sqrt((t / F32(j.half_height)) ** 2 + (u / F32(j.half_width)) ** 2) - 1.0
        return np.maximum(f, e * F32(min(j.half_height, j.half_width)))


def joint_for(segment: str, side: str, lower_frame: Frame, lower: "LowerDims") -> FacetJoint:
    """The facet joint of ``segment`` on ``side`` given the lower vertebra's frame and dimensions."""
    seg = P.SEGMENTS[segment]
    s = SIDES[side]
    region = lower.region
    beta = np.radians(seg.facet_transverse_angle)
    theta = np.radians(seg.facet_sagittal_angle)
    medial = np.array([-s, 0.0, 0.0])
    post = np.array([0.0, 1.0, 0.0])
    up = np.array([0.0, 0.0, 1.0])
    n_h = np.cos(beta) * medial + np.sin(beta) * post
    n_local = unit(np.sin(theta) * n_h + np.cos(theta) * up)
    a_local = unit(up - np.dot(up, n_local) * n_local)
    if region == "lumbar" or region == "sacrum":
        centre = np.array([s * (lower.canal_width / 2 + lower.pedicle_width * 0.2 + 1.0),
                           lower.depth / 2 + lower.canal_depth * 0.62, lower.height / 2 + 3.0])
        radius, gap, hh, hw = 15.0, 2.2, 8.0, 7.0
    elif region == "thoracic":
        centre = np.array([s * (lower.canal_width / 2 + lower.pedicle_width * 0.5 + 1.0),
                           lower.depth / 2 + lower.canal_depth * 0.55, lower.height / 2 + 4.0])
        radius, gap, hh, hw = 40.0, 1.6, 6.0, 6.0
    else:  # cervical
        centre = np.array([s * (lower.canal_width / 2 + 7.0), lower.depth / 2 + 9.0, lower.height / 2 + 3.0])
        radius, gap, hh, hw = 45.0, 1.6, 5.5, 6.0
    return FacetJoint(
        name=f"{segment}.{side}",
        side=side,
        centre=lower_frame.point(centre),
        normal=lower_frame.vector(n_local),
        axis=lower_frame.vector(a_local),
        radius=radius,
        gap=gap,
        half_height=hh,
        half_width=hw,
    )


@dataclass(frozen=True)
class LowerDims:
    region: str
    depth: float
    height: float  # posterior body height
    canal_width: float
    canal_depth: float
    pedicle_width: float
