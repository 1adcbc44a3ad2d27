"""Region volumes: which part of the body each phantom volume covers, and at what detail.

Each region's coarse layer spans the whole body cross-section and extends well
beyond the levels content centres on (``core``), so that the field of view is
filled at every C-arm angle.  Detail blocks sit around the bones.  Quality
profiles scale the voxel sizes: ``full`` for the atlas, ``test`` for fast
unit tests.
"""

from __future__ import annotations

from dataclasses import dataclass

from .volume import BlockSpec, RegionSpec

REGION_NAMES = ("lumbar", "sacropelvic", "cervical", "thoracic")

PROFILES = {
    # coarse spacing, central block spacing, lateral block spacing
    "full": (1.5, 0.6, 1.0),
    "test": (3.0, 1.2, 1.8),
}


@dataclass(frozen=True)
class RegionInfo:
    name: str
    core_levels: tuple[str, ...]  # levels content may centre on in this region
    z_range: tuple[float, float]  # coarse layer z extent (world mm)


def _z(level: str) -> float:
    from .alignment import build_alignment

    return build_alignment().level_z(level)


def region_info(name: str) -> RegionInfo:
    if name == "lumbar":
        return RegionInfo(name, ("T12", "L1", "L2", "L3", "L4", "L5", "S1"), (_z("S3") - 40.0, _z("T11") + 60.0))
    if name == "sacropelvic":
        return RegionInfo(name, ("L4", "L5", "S1", "S2", "S3", "S4", "S5"), (-250.0, _z("L3") + 40.0))
    if name == "thoracic":
        return RegionInfo(name, tuple(f"T{i}" for i in range(1, 13)), (_z("L2") - 30.0, _z("C5") + 30.0))
    if name == "cervical":
        return RegionInfo(name, ("C1", "C2", "C3", "C4", "C5", "C6", "C7", "T1", "T2"), (_z("T4") - 30.0, _z("C1") + 120.0))
    raise KeyError(name)


def region_spec(name: str, profile: str = "full", mouth: str | None = None) -> RegionSpec:
    """``mouth="open"`` (cervical only): the volume for open-mouth and transoral views, which centre on C1-C2;
    it reaches down to about C6 (a 180 mm field round C2) instead of the upper thorax."""
    ch, fh, lh = PROFILES[profile]
    info = region_info(name)
    z0, z1 = info.z_range
    if name == "cervical" and mouth == "open":
        z0 = max(z0, _z("C2") - 115.0)
    if name == "lumbar":
        zc0, zc1 = _z("S2") - 12.0, _z("T11") + 30.0
        blocks = [
            BlockSpec((-66.0, -72.0, zc0), (66.0, 92.0, zc1), fh),
            BlockSpec((44.0, -112.0, -95.0), (150.0, 98.0, 78.0), lh),
            BlockSpec((-150.0, -112.0, -95.0), (-44.0, 98.0, 78.0), lh),
        ]
        return RegionSpec(name, (-188.0, -200.0, z0), (188.0, 140.0, z1), ch, blocks)
    if name == "sacropelvic":
        blocks = [
            BlockSpec((-62.0, -72.0, -148.0), (62.0, 108.0, _z("L4") + 28.0), fh),
            BlockSpec((42.0, -122.0, -205.0), (186.0, 102.0, 80.0), lh),
            BlockSpec((-186.0, -122.0, -205.0), (-42.0, 102.0, 80.0), lh),
        ]
        return RegionSpec(name, (-192.0, -215.0, z0), (192.0, 150.0, z1), ch, blocks)
    if name == "thoracic":
        blocks = [
            BlockSpec((-70.0, -40.0, _z("L1")), (70.0, 95.0, _z("C7") + 10.0), fh * 1.25),
        ]
        return RegionSpec(name, (-212.0, -175.0, z0), (212.0, 140.0, z1), ch, blocks)
    if name == "cervical":
        from .alignment import build_alignment

        zt = _z("C1")
        y_face = float(build_alignment().c1.frame.origin[1]) - 170.0  # in front of the incisors and the maxilla
        blocks = [
            BlockSpec((-62.0, -110.0, max(_z("T3"), z0)), (62.0, 80.0, zt + 95.0), fh),
            # the face (teeth, maxilla, mandible, sinuses) at lateral-block detail
            BlockSpec((-62.0, y_face + 4.0, _z("C2") - 48.0), (62.0, -100.0, zt + 62.0), lh),
        ]
        return RegionSpec(name, (-212.0, y_face, z0), (212.0, 120.0, z1), ch, blocks)
    raise KeyError(name)
