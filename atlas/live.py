"""The virtual C-arm and CT scroller, Qt-free: re-render a step's image at other angles or slices.

A :class:`LiveScene` takes an image's ``render:`` spec (what the content
declared) and renders it again with the user's C-arm angles or CT slice
offset. The needle keeps its planned 3D path whatever the view, labels and
zones are re-projected from the phantom's landmarks, and teaching prompts are
checked from the geometry (never from pixels).
"""

from __future__ import annotations

import copy
import math
import re
from pathlib import Path
from typing import NamedTuple

import numpy as np

from atlas.model import Annotation

FAST_SIZE_DIVISOR = 2
SQUARED_TOLERANCE_PX = 2.0


class Angles(NamedTuple):
    position: str
    oblique: float
    craniocaudal: float

    def clamp(self) -> Angles:
        return Angles(self.position, max(-90.0, min(90.0, self.oblique)), max(-45.0, min(45.0, self.craniocaudal)))


class Frame(NamedTuple):
    pixels: np.ndarray
    annotations: tuple[Annotation, ...]
    view_text: str
    quality: str  # "fast" | "full"
    key: tuple  # what was rendered (angles, or CT offset and window)
    meta: dict


class PromptResult(NamedTuple):
    ok: bool
    message: str


OFF_SLICE_RE = re.compile(r"\((\d+) mm (?:in front of|behind) this slice\)")
OFF_SLICE_SHOWN_MM = 6  # a CT label further than this from the slice is not drawn while scrolling


def _annotations(items: list[dict], scale: float = 1.0, ct: bool = False) -> tuple[Annotation, ...]:
    """Annotations in display pixels; on CT, labels of structures well away from the slice are left out."""
    out = []
    for a in items:
        if not a.get("points"):
            continue
        off = OFF_SLICE_RE.search(a.get("description", ""))
        if ct and off and int(off.group(1)) > OFF_SLICE_SHOWN_MM:
            continue
        points = tuple((float(x) * scale, float(y) * scale) for x, y in a["points"])
        out.append(Annotation(a["kind"], a["layer"], a.get("label", ""), points, a.get("description", "")))
    return tuple(out)


class LiveScene:
    """One image's spec, ready to be rendered at other angles (fluoroscopy) or slices (CT)."""

    def __init__(self, spec: dict, prompt: dict | None = None, cache_dir: Path | None = None, phantom=None, size: int = 512):
        self.size = size
        self.spec = copy.deepcopy(spec)
        self.prompt = prompt or None
        self.cache_dir = cache_dir
        self.phantom = phantom
        self.modality = self.spec.get("modality", "fluoroscopy")
        # The planned needle keeps its 3D path when the C-arm turns: a tunnel-view ("skin") entry is
        # pinned to the recommended view, not re-derived from the current beam.
        for key in ("needle", "needles"):
            needles = self.spec.get(key)
            for needle in (needles if isinstance(needles, list) else [needles] if needles else []):
                if needle.get("entry", "skin") == "skin" and self.modality == "fluoroscopy":
                    rec = self.recommended()
                    needle["entry"] = {"skin": {"oblique": rec.oblique, "craniocaudal": rec.craniocaudal, "position": rec.position}}

    # -- set-up ------------------------------------------------------------

    @property
    def loaded(self) -> bool:
        return self.phantom is not None

    def load(self, log=None) -> None:
        """Load (or build once, then cache) the region's phantom volume. Slow the first time."""
        if self.phantom is None:
            from atlas.phantom import Phantom

            self.phantom = Phantom.load(self.spec["region"], self.cache_dir, log=log, mouth=self.spec.get("mouth"))

    def recommended(self) -> Angles:
        return Angles(self.spec.get("position", "prone"), float(self.spec.get("oblique", 0.0)), float(self.spec.get("craniocaudal", 0.0)))

    # -- fluoroscopy -------------------------------------------------------

    def _spec_at(self, angles: Angles) -> dict:
        s = copy.deepcopy(self.spec)
        s["position"], s["oblique"], s["craniocaudal"] = angles.position, float(angles.oblique), float(angles.craniocaudal)
        return s

    def fluoro_frame(self, angles: Angles, quality: str = "full", size: int | None = None) -> Frame:
        from atlas.phantom.render import render_with

        size = size or self.size
        self.load()
        angles = angles.clamp()
        render_size = size // FAST_SIZE_DIVISOR if quality == "fast" else size
        result = render_with(self._spec_at(angles), self.phantom, render_size, quality)
        pixels = result.pixels
        scale = size / render_size
        if scale != 1:
            pixels = np.repeat(np.repeat(pixels, FAST_SIZE_DIVISOR, axis=0), FAST_SIZE_DIVISOR, axis=1)
        return Frame(pixels, _annotations(result.annotations, scale), result.view_text, quality, tuple(angles), result.meta)

    def project(self, landmark: str, angles: Angles, size: int | None = None) -> tuple[float, float]:
        """Where the phantom puts a landmark in the image at these angles (pixels)."""
        size = size or self.size
        self.load()
        renderer = self.phantom.renderer()
        view = renderer.view(angles.position, angles.oblique, angles.craniocaudal, self._centre(), float(self.spec.get("field_mm", 180.0)), size)
        return renderer.project([landmark], view)[landmark]

    def _centre(self):
        from atlas.phantom.spec import normalise

        s = normalise(self.spec)
        return s.get("center") or s.get("level")

    # -- teaching prompts ----------------------------------------------------

    def check_prompt(self, angles: Angles, size: int | None = None) -> PromptResult | None:
        """Is the view within tolerance of what the prompt asks? Computed from the geometry."""
        if not self.prompt:
            return None
        check = self.prompt.get("check", {})
        problems = []
        if "squared" in check:
            level, which = str(check["squared"]).rsplit(".", 1)
            try:
                gap = self.endplate_gap(level, which, angles, size or 512)
            except (KeyError, ValueError):
                return PromptResult(False, f"This view cannot be checked here ({level} has no {which} endplate in the phantom).")
            tolerance = float(check.get("tolerance_px", SQUARED_TOLERANCE_PX))
            if gap > tolerance:
                problems.append(f"the {level} {which} endplate projects {gap:.1f} px thick (squared is under {tolerance:g} px)")
        for key in ("oblique", "craniocaudal"):
            if key in check:
                lo, hi = (float(v) for v in check[key])
                value = getattr(angles, key)
                if not lo <= value <= hi:
                    word = "oblique" if key == "oblique" else "cranio-caudal tilt"
                    problems.append(f"{word} {value:+.0f}° is outside {lo:+g}° to {hi:+g}°")
        if "position" in check and angles.position != check["position"]:
            problems.append(f"the patient should be {check['position']}")
        if problems:
            return PromptResult(False, "Not yet: " + "; ".join(problems) + ".")
        return PromptResult(True, str(self.prompt.get("success", "That is the view.")))

    def endplate_gap(self, level: str, which: str, angles: Angles, size: int = 512) -> float:
        """Vertical distance in pixels between the projected anterior and posterior rims of an endplate."""
        from atlas.phantom.landmarks import endplate_rims

        self.load()
        renderer = self.phantom.renderer()
        view = renderer.view(angles.position, angles.oblique, angles.craniocaudal, self._centre(), float(self.spec.get("field_mm", 180.0)), size)
        ant, post, _ = endplate_rims(level, which)
        (xa, ya), (xp, yp) = view.project(np.array([ant, post]))
        return float(abs(ya - yp))

    # -- CT ------------------------------------------------------------------

    @property
    def has_needle(self) -> bool:
        return bool(self.spec.get("needle") or self.spec.get("needles"))

    def ct_frame(
        self, offset_mm: float = 0.0, window: str | tuple[float, float] | None = None, size: int | None = None, plane: str = ""
    ) -> Frame:
        """The spec's CT slice moved ``offset_mm`` along its normal, in a window preset or (width, level);
        ``plane`` overrides the slice orientation (e.g. "oblique-needle": the plane containing the needle)."""
        from atlas.phantom.render import render_with

        self.load()
        s = copy.deepcopy(self.spec)
        if plane:
            s["plane"] = plane
        if window is not None:
            s["window"] = window if isinstance(window, str) else {"width": float(window[0]), "level": float(window[1])}
        if offset_mm:
            s["at"] = self._offset_point(offset_mm)
        result = render_with(s, self.phantom, size or self.size)
        view_text = result.view_text
        if offset_mm:
            from atlas.phantom.names import readable

            at = self.spec.get("at", "")
            base = readable(at) if isinstance(at, str) and at else "the step's slice"
            view_text = re.sub(r"through \[[^\]]*\]", f"through {base} {offset_mm:+.0f} mm", view_text)
        return Frame(result.pixels, _annotations(result.annotations, ct=True), view_text, "full", (round(offset_mm, 2), str(window), plane),
                     result.meta)

    def _offset_point(self, offset_mm: float) -> list[float]:
        from atlas.phantom.phantom import resolve_point

        renderer = self.phantom.renderer()
        at = self.spec.get("at", "L4.pedicles")
        plane = renderer.ct_plane("axial" if self.spec.get("plane", "axial") == "oblique-needle" else self.spec.get("plane", "axial"),
                                  at, self.spec.get("position", "prone"), float(self.spec.get("field_mm", 360.0)), 64)
        point = resolve_point(at) + offset_mm * plane.normal
        return [float(v) for v in point]


def prepare(cache_dir: Path | None) -> None:
    """The one-time set-up every scene shares: the renderer's imports, the landmark table, the body surface.

    The app runs this on its worker thread as soon as a step with a rendered image is shown, so
    opening the C-arm only has to load the region's volume.
    """
    from atlas.phantom import landmark_cache, landmarks
    from atlas.phantom import render  # noqa: F401  (imports scipy.ndimage)
    from atlas.phantom.soft_tissue import body_outline

    if cache_dir is not None:
        landmark_cache.use_folder(cache_dir)
    landmarks.landmarks()
    body_outline()


def distance_mm(a: tuple[float, float], b: tuple[float, float], mm_per_pixel: float) -> float:
    """Length of a measured line on a CT image."""
    return math.hypot(a[0] - b[0], a[1] - b[1]) * mm_per_pixel
