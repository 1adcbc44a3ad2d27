"""The phantom's cited parameter table: one row per vertebra and per disc.

Every number the anatomy model is built from lives here, with where it comes
from.  Provenance is stated per column and per region in ``PROVENANCE``:

* ``published``: a mean reported in the cited study, transcribed from memory of
  its tables and rounded to 0.5 mm or 1 degree.  Treat as approximate until
  checked against the original table; the model needs typical adult
  proportions, not a single specimen.
* ``approximated``: a typical adult value chosen from general anatomical
  knowledge (textbook ranges) because the cited studies did not report it or
  not in this form.  Never presented as a published figure.
* ``interpolated``: filled in between neighbouring published levels.

``docs/phantom-parameters.md`` renders this table (``python -m
atlas.phantom.parameters`` prints it as Markdown).  Changing any number
changes :func:`parameter_hash` and so invalidates cached phantom volumes.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, dataclass, fields

MODEL_VERSION = "phantom-model-1"  # bump when geometry code changes the volumes

SOURCES: dict[str, str] = {
    "panjabi1991c": "Panjabi MM, Duranceau J, Goel V, Oxland T, Takata K. Cervical human vertebrae: "
    "quantitative three-dimensional anatomy of the middle and lower regions. Spine 1991;16(8):861-869.",
    "panjabi1991t": "Panjabi MM, Takata K, Goel V, et al. Thoracic human vertebrae: quantitative "
    "three-dimensional anatomy. Spine 1991;16(8):888-901.",
    "panjabi1992": "Panjabi MM, Goel V, Oxland T, et al. Human lumbar vertebrae: quantitative "
    "three-dimensional anatomy. Spine 1992;17(3):299-306.",
    "panjabi1993": "Panjabi MM, Oxland T, Takata K, Goel V, Duranceau J, Krag M. Articular facets of the "
    "human spine: quantitative three-dimensional anatomy. Spine 1993;18(10):1298-1310.",
    "zindrick1987": "Zindrick MR, Wiltse LL, Doornik A, et al. Analysis of the morphometric characteristics "
    "of the thoracic and lumbar pedicles. Spine 1987;12(2):160-166.",
    "anatomy": "General anatomical and radiological knowledge (textbook ranges for healthy adults); "
    "approximated, not a published mean.",
}


@dataclass(frozen=True)
class VertebraParameters:
    """Dimensions of one vertebra in millimetres and degrees.

    Widths are left-right, depths anteroposterior, heights craniocaudal, in the
    vertebra's own frame (its mid-plane between the endplates).
    """

    name: str
    region: str  # cervical | thoracic | lumbar
    endplate_width: float  # EPW, mean of upper and lower endplate
    endplate_depth: float  # EPD, mid-sagittal
    body_height_anterior: float  # VBHa
    body_height_posterior: float  # VBHp
    pedicle_width: float  # transverse (outer) pedicle width at the isthmus
    pedicle_height: float
    pedicle_transverse_angle: float  # pedicle axis to the sagittal plane, converging anteriorly
    canal_width: float  # interpedicular distance
    canal_depth: float  # posterior body wall to the anterior lamina, mid-sagittal
    transverse_process_span: float  # tip to tip
    spinous_length: float  # from the posterior canal border to the tip
    spinous_slope: float  # degrees below the vertebral transverse plane (caudal tilt of the process)


@dataclass(frozen=True)
class SegmentParameters:
    name: str  # "L4-L5"
    disc_height_anterior: float
    disc_height_posterior: float
    facet_transverse_angle: float
    facet_sagittal_angle: float


def _rows(region: str, names: list[str], columns: dict[str, list[float]]) -> dict[str, VertebraParameters]:
    out: dict[str, VertebraParameters] = {}
    for i, name in enumerate(names):
        out[name] = VertebraParameters(name=name, region=region, **{k: float(v[i]) for k, v in columns.items()})
    return out


# --- cervical C3-C7 (C1 and C2 have their own shapes: see ATLAS_AXIS) -------
_CERVICAL = _rows(
    "cervical",
    ["C3", "C4", "C5", "C6", "C7"],
    {
        "endplate_width": [16.0, 17.0, 17.5, 19.0, 21.0],
        "endplate_depth": [15.0, 15.5, 15.5, 16.0, 16.5],
        "body_height_anterior": [13.5, 13.5, 13.0, 13.0, 14.5],
        "body_height_posterior": [14.0, 14.0, 13.5, 13.5, 15.0],
        "pedicle_width": [5.5, 5.5, 5.5, 6.0, 6.5],
        "pedicle_height": [7.0, 7.0, 7.0, 7.0, 7.5],
        "pedicle_transverse_angle": [45.0, 45.0, 45.0, 42.0, 37.0],
        "canal_width": [24.5, 25.0, 25.5, 25.0, 24.0],
        "canal_depth": [15.0, 14.5, 14.5, 14.5, 14.5],
        "transverse_process_span": [48.0, 50.0, 52.0, 56.0, 70.0],
        "spinous_length": [22.0, 23.0, 24.0, 25.0, 38.0],
        "spinous_slope": [25.0, 25.0, 25.0, 25.0, 20.0],
    },
)

# --- thoracic T1-T12 -------------------------------------------------------
_THORACIC = _rows(
    "thoracic",
    [f"T{i}" for i in range(1, 13)],
    {
        "endplate_width": [24.5, 25.5, 26.5, 27.0, 27.5, 28.0, 28.5, 29.5, 31.0, 33.0, 36.0, 38.0],
        "endplate_depth": [15.5, 16.5, 17.5, 19.0, 20.5, 22.0, 23.5, 25.0, 26.5, 27.5, 29.0, 30.5],
        "body_height_anterior": [13.5, 14.5, 15.0, 15.5, 16.0, 16.5, 17.5, 18.0, 18.5, 19.5, 20.5, 21.5],
        "body_height_posterior": [14.5, 15.5, 16.0, 16.5, 17.0, 17.5, 18.5, 19.0, 19.5, 20.5, 21.5, 22.5],
        "pedicle_width": [7.9, 7.0, 5.6, 4.7, 4.5, 4.6, 4.8, 5.2, 5.6, 6.3, 7.8, 7.8],
        "pedicle_height": [9.9, 12.0, 12.7, 12.2, 11.6, 11.4, 11.8, 12.4, 13.4, 14.4, 16.5, 15.8],
        "pedicle_transverse_angle": [27.0, 22.0, 17.0, 14.0, 12.0, 10.0, 9.0, 8.0, 7.0, 6.0, 5.0, 4.0],
        "canal_width": [21.0, 18.0, 17.0, 16.5, 16.0, 16.0, 16.0, 16.0, 16.5, 17.0, 18.5, 21.0],
        "canal_depth": [15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.0, 15.5, 16.0, 16.5, 17.0],
        "transverse_process_span": [76.0, 74.0, 72.0, 70.0, 68.0, 66.0, 64.0, 62.0, 60.0, 56.0, 50.0, 44.0],
        "spinous_length": [38.0, 40.0, 40.0, 40.0, 40.0, 40.0, 38.0, 36.0, 34.0, 32.0, 30.0, 30.0],
        "spinous_slope": [30.0, 40.0, 50.0, 55.0, 60.0, 60.0, 60.0, 55.0, 45.0, 35.0, 20.0, 10.0],
    },
)

# --- lumbar L1-L5 ------------------------------------------------------------
_LUMBAR = _rows(
    "lumbar",
    ["L1", "L2", "L3", "L4", "L5"],
    {
        "endplate_width": [40.0, 42.0, 44.5, 47.0, 49.0],
        "endplate_depth": [33.0, 34.0, 35.0, 35.5, 35.0],
        "body_height_anterior": [25.0, 26.5, 27.5, 27.5, 28.5],
        "body_height_posterior": [27.0, 27.5, 27.5, 27.0, 25.5],
        "pedicle_width": [8.7, 8.9, 10.3, 12.9, 18.0],
        "pedicle_height": [15.4, 15.0, 14.9, 14.8, 14.0],
        "pedicle_transverse_angle": [10.9, 12.0, 14.4, 17.7, 29.8],
        "canal_width": [21.5, 22.0, 22.5, 23.5, 26.0],
        "canal_depth": [18.0, 17.5, 16.5, 17.0, 18.0],
        "transverse_process_span": [70.0, 80.0, 90.0, 86.0, 90.0],
        "spinous_length": [32.0, 33.0, 33.0, 31.0, 22.0],
        "spinous_slope": [10.0, 8.0, 6.0, 8.0, 5.0],
    },
)

VERTEBRAE: dict[str, VertebraParameters] = {**_CERVICAL, **_THORACIC, **_LUMBAR}

# Segments: the disc (heights at its anterior and posterior margins; their
# difference over the endplate depth is the disc's wedge, lordotic when the
# anterior height is larger) and the pair of facet joints.
#
# Facet orientation, in the lower vertebra's frame:
#   facet_transverse_angle: in the axial plane, angle between the joint plane
#     and the mid-sagittal plane, opening posteriorly.  Below 90 degrees the
#     superior articular facet faces posteromedially (lumbar); 90 faces straight
#     back; above 90 it faces posterolaterally (thoracic).
#   facet_sagittal_angle: angle between the joint plane and the transverse
#     plane (90 = vertical joint, 45 = cervical "shingles").
SEGMENTS: dict[str, SegmentParameters] = {
    s.name: s
    for s in [
        SegmentParameters("C2-C3", 5.0, 4.0, 90.0, 40.0),
        SegmentParameters("C3-C4", 5.5, 4.0, 90.0, 45.0),
        SegmentParameters("C4-C5", 5.5, 4.0, 90.0, 45.0),
        SegmentParameters("C5-C6", 5.5, 4.0, 90.0, 50.0),
        SegmentParameters("C6-C7", 5.5, 4.0, 90.0, 55.0),
        SegmentParameters("C7-T1", 5.0, 4.0, 100.0, 60.0),
        SegmentParameters("T1-T2", 3.5, 4.0, 105.0, 62.0),
        SegmentParameters("T2-T3", 3.5, 4.0, 108.0, 64.0),
        SegmentParameters("T3-T4", 3.5, 4.0, 110.0, 65.0),
        SegmentParameters("T4-T5", 3.5, 4.5, 110.0, 65.0),
        SegmentParameters("T5-T6", 4.0, 4.5, 110.0, 65.0),
        SegmentParameters("T6-T7", 4.0, 4.5, 110.0, 65.0),
        SegmentParameters("T7-T8", 4.5, 5.0, 110.0, 65.0),
        SegmentParameters("T8-T9", 4.5, 5.0, 108.0, 66.0),
        SegmentParameters("T9-T10", 5.0, 5.5, 105.0, 68.0),
        SegmentParameters("T10-T11", 5.5, 5.5, 95.0, 75.0),
        SegmentParameters("T11-T12", 6.0, 6.0, 60.0, 82.0),
        SegmentParameters("T12-L1", 7.5, 6.0, 30.0, 85.0),
        SegmentParameters("L1-L2", 10.0, 6.0, 26.0, 85.0),
        SegmentParameters("L2-L3", 11.0, 6.0, 32.0, 85.0),
        SegmentParameters("L3-L4", 12.0, 6.5, 38.0, 85.0),
        SegmentParameters("L4-L5", 13.0, 7.0, 45.0, 85.0),
        SegmentParameters("L5-S1", 13.0, 6.5, 50.0, 80.0),
    ]
}


@dataclass(frozen=True)
class AtlasAxisParameters:
    """C1 and C2, which have no typical body (approximated from anatomy texts)."""

    c1_outer_width: float = 78.0  # tip to tip of the C1 transverse processes
    c1_ring_depth: float = 45.0  # anterior tubercle to posterior tubercle
    c1_canal_width: float = 29.0
    c1_lateral_mass_height: float = 14.0
    c1_lateral_mass_depth: float = 18.0
    c1_lateral_mass_width: float = 14.0
    c2_body_width: float = 17.0
    c2_body_depth: float = 15.5
    c2_body_height: float = 22.0  # body without the dens
    dens_height: float = 15.0  # above the C2 superior articular facets
    dens_width: float = 10.0
    c2_spinous_length: float = 32.0


@dataclass(frozen=True)
class SacrumParameters:
    """Sacrum, coccyx and pelvis (approximated from anatomy texts)."""

    s1_endplate_width: float = 48.0
    s1_endplate_depth: float = 33.0
    sacral_slope: float = 38.0  # S1 endplate to the horizontal, prone on the table
    sacral_width_at_alae: float = 110.0
    sacral_length: float = 105.0  # S1 endplate to the S5 apex, along the curve
    sacral_kyphosis: float = 55.0  # total angle between the S1 and S5 segment axes
    coccyx_length: float = 30.0
    foramen_diameter_s1: float = 10.0
    intercristal_width: float = 260.0  # between the iliac crest summits
    interspinous_asis_width: float = 235.0
    si_joint_axial_angle: float = 25.0  # joint plane to the sagittal plane, open anteriorly


ATLAS_AXIS = AtlasAxisParameters()
SACRUM = SacrumParameters()

# Provenance per column, by region.
PROVENANCE: dict[str, dict[str, tuple[str, str]]] = {
    "lumbar": {
        "endplate_width": ("panjabi1992", "published"),
        "endplate_depth": ("panjabi1992", "published"),
        "body_height_anterior": ("panjabi1992", "published"),
        "body_height_posterior": ("panjabi1992", "published"),
        "pedicle_width": ("zindrick1987", "published"),
        "pedicle_height": ("zindrick1987", "published"),
        "pedicle_transverse_angle": ("zindrick1987", "published"),
        "canal_width": ("panjabi1992", "published"),
        "canal_depth": ("panjabi1992", "published"),
        "transverse_process_span": ("panjabi1992", "approximated"),
        "spinous_length": ("panjabi1992", "approximated"),
        "spinous_slope": ("anatomy", "approximated"),
    },
    "thoracic": {
        "endplate_width": ("panjabi1991t", "published"),
        "endplate_depth": ("panjabi1991t", "published"),
        "body_height_anterior": ("panjabi1991t", "approximated"),
        "body_height_posterior": ("panjabi1991t", "published"),
        "pedicle_width": ("zindrick1987", "published"),
        "pedicle_height": ("zindrick1987", "published"),
        "pedicle_transverse_angle": ("zindrick1987", "approximated"),
        "canal_width": ("panjabi1991t", "published"),
        "canal_depth": ("panjabi1991t", "approximated"),
        "transverse_process_span": ("panjabi1991t", "approximated"),
        "spinous_length": ("panjabi1991t", "approximated"),
        "spinous_slope": ("anatomy", "approximated"),
    },
    "cervical": {
        "endplate_width": ("panjabi1991c", "published"),
        "endplate_depth": ("panjabi1991c", "published"),
        "body_height_anterior": ("panjabi1991c", "approximated"),
        "body_height_posterior": ("panjabi1991c", "published"),
        "pedicle_width": ("panjabi1991c", "published"),
        "pedicle_height": ("panjabi1991c", "published"),
        "pedicle_transverse_angle": ("panjabi1991c", "published"),
        "canal_width": ("panjabi1991c", "published"),
        "canal_depth": ("panjabi1991c", "published"),
        "transverse_process_span": ("anatomy", "approximated"),
        "spinous_length": ("anatomy", "approximated"),
        "spinous_slope": ("anatomy", "approximated"),
    },
    "segments": {
        "disc_height_anterior": ("anatomy", "approximated"),
        "disc_height_posterior": ("anatomy", "approximated"),
        "facet_transverse_angle": ("panjabi1993", "approximated"),
        "facet_sagittal_angle": ("panjabi1993", "approximated"),
    },
}

LEVEL_ORDER: list[str] = (
    ["C1", "C2", "C3", "C4", "C5", "C6", "C7"]
    + [f"T{i}" for i in range(1, 13)]
    + ["L1", "L2", "L3", "L4", "L5", "S1"]
)


def parameter_hash(extra: dict | None = None) -> str:
    """A short, stable hash of every number the phantom is built from."""
    payload = {
        "version": MODEL_VERSION,
        "vertebrae": {k: asdict(v) for k, v in VERTEBRAE.items()},
        "segments": {k: asdict(v) for k, v in SEGMENTS.items()},
        "atlas_axis": asdict(ATLAS_AXIS),
        "sacrum": asdict(SACRUM),
        "extra": extra or {},
    }
    blob = json.dumps(payload, sort_keys=True).encode()
    return hashlib.sha256(blob).hexdigest()[:16]


def markdown_table() -> str:
    """The table as Markdown, for docs/phantom-parameters.md."""
    lines: list[str] = []
    cols = [f.name for f in fields(VertebraParameters) if f.name not in ("name", "region")]
    for region, group in (("cervical", _CERVICAL), ("thoracic", _THORACIC), ("lumbar", _LUMBAR)):
        lines.append(f"### {region.capitalize()} vertebrae (mm, degrees)\n")
        lines.append("| level | " + " | ".join(cols) + " |")
        lines.append("|---" * (len(cols) + 1) + "|")
        for name, v in group.items():
            lines.append(f"| {name} | " + " | ".join(f"{getattr(v, c):g}" for c in cols) + " |")
        lines.append("")
        lines.append("| column | source | status |")
        lines.append("|---|---|---|")
        for c in cols:
            src, status = PROVENANCE[region][c]
            lines.append(f"| {c} | {src} | {status} |")
        lines.append("")
    lines.append("### Segments: discs (mm) and facet joints (degrees)\n")
    lines.append("| segment | disc anterior | disc posterior | facet transverse angle | facet sagittal angle |")
    lines.append("|---|---|---|---|---|")
    for d in SEGMENTS.values():
        lines.append(
            f"| {d.name} | {d.disc_height_anterior:g} | {d.disc_height_posterior:g} "
            f"| {d.facet_transverse_angle:g} | {d.facet_sagittal_angle:g} |"
        )
    lines.append("")
    lines.append(
        "Disc heights: approximated (typical adult radiographic ranges). Facet angles: approximated from "
        "the ranges in Panjabi 1993 and anatomy texts; the sign convention is in the module docstring.\n"
    )
    for title, obj in (("C1 and C2", ATLAS_AXIS), ("Sacrum and pelvis", SACRUM)):
        lines.append(f"### {title} (approximated)\n")
        lines.append("| parameter | value |")
        lines.append("|---|---|")
        for f in fields(obj):
            lines.append(f"| {f.name} | {getattr(obj, f.name):g} |")
        lines.append("")
    lines.append("### Sources\n")
    for k, v in SOURCES.items():
        lines.append(f"- `{k}`: {v}")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":  # pragma: no cover
    print(markdown_table())
