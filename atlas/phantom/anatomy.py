"""The registry of named structures: what is drawn, in which order, and what zones exist.

A :class:`Structure` is a shape with a tissue.  ``structures(region)`` lists
what a region volume draws, in painter's order (later wins).  ``zones()`` maps
every structure name content may use for a danger or target zone (including
parts of a vertebra such as ``L4.R.pedicle``) to its shape.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from . import tissues as T
from .sdf import Shape, Union

# Draw order groups (later groups are drawn over earlier ones).
ORDER = {
    "body": 0,
    "fat": 5,
    "muscle": 10,
    "organ": 20,
    "vessel": 30,
    "disc": 40,
    "canal": 50,
    "nerve": 60,
    "ligament": 70,
    "joint": 75,
    "bone": 80,
    "tooth": 90,
    "air": 95,
}


@dataclass
class Structure:
    name: str
    shape: Shape
    tissue: object
    group: str = "organ"
    detail: bool = False  # drawn at fine resolution in the detail blocks
    normalise: bool = False  # correct the field to a distance (needed for thin shells)
    sub: float = 0  # order within the group
    dense: Shape | None = None  # part of a bone that is mostly compact bone (posterior arch)

    @property
    def order(self) -> tuple[int, int]:
        return (ORDER[self.group], self.sub)


def _bone_structures() -> list[Structure]:
    from .sacropelvis import build_sacropelvis
    from .spine import build_spine

    sp = build_spine()
    out = []
    for name, v in sp.vertebrae.items():
        # compact bone: the posterior arch, and the outer part of the slender L1-L4 transverse processes (their
        # roots, continuous with the pedicles, have marrow like them: seen end-on on a lateral view, a process
        # compact from root to tip is a bright spot over the back of the pedicle); the stout L5 process, which
        # also springs from the body, has marrow throughout
        lumbar_tp = v.region == "lumbar"
        spongy = ("foramen-transversarium", "pedicle", "uncinate-process") + (("transverse-process",) if lumbar_tp else ())
        arch = [shape for part, shape in v.parts.items() if part != "body" and not part.endswith(spongy)]
        if lumbar_tp and name != "L5":
            arch += [_outer_part(v, side, s) for side, s in (("L", 1.0), ("R", -1.0))]
        out.append(Structure(name, v.bone, T.BONE_BY_REGION[v.region], "bone", detail=True, dense=Union(arch, k=1.0)))
    sx = build_sacropelvis()
    out.append(Structure("sacrum", sx.parts["sacrum"], T.SACRAL_BONE, "bone", detail=True))
    out.append(Structure("coccyx", sx.parts["coccyx"], T.SACRAL_BONE, "bone", detail=True))
    for side in ("L", "R"):
        out.append(Structure(f"hip-bone.{side}", sx.parts[f"{side}.hip-bone"], T.PELVIC_BONE, "bone", detail=True))
        out.append(Structure(f"femur.{side}", sx.parts[f"{side}.femur"], T.FEMUR_BONE, "bone", detail=True))
    return out


LUMBAR_TP_COMPACT_FROM = 0.5  # of the way from a lumbar transverse process's root to its tip (approximated)


def _outer_part(v, side: str, s: float) -> Shape:
    """The part of a lumbar transverse process lateral to LUMBAR_TP_COMPACT_FROM of its length."""
    from .sdf import HalfSpace, Intersect

    root, tip = v.points[f"{side}.tp-root"], v.points[f"{side}.tp-tip"]
    cut = root + LUMBAR_TP_COMPACT_FROM * (tip - root)
    return Intersect(v.parts[f"{side}.transverse-process"], HalfSpace(v.W(cut), v.frame.vector([-s, 0.0, 0.0])), k=1.0)


FASCIA_MM = 1.0  # fat between neighbouring muscles (fascial planes), drawn as a rim just outside each muscle


def all_structures(mouth: str = "open") -> tuple[Structure, ...]:
    """Every drawn structure, in painter's order; ``mouth``: the face with the mouth open or closed."""
    return _all_structures(mouth)  # one cache entry per mouth, however the argument is passed


@lru_cache(maxsize=2)
def _all_structures(mouth: str) -> tuple[Structure, ...]:
    from . import soft_tissue
    from .sdf import Offset

    items = _bone_structures() + soft_tissue.structures()
    for extra in _optional_builders(mouth):
        items += extra()
    # each muscle sits in its own fascial envelope of fat, so adjacent muscles are separated by a thin plane
    items += [Structure(f"{s.name}.fascia", Offset(s.shape, FASCIA_MM), T.FAT, "muscle", sub=s.sub - 0.5)
              for s in items if s.group == "muscle"]
    return tuple(sorted(items, key=lambda s: s.order))


def _optional_builders(mouth: str = "open"):
    from functools import partial

    from . import cervical, thoracic

    return [partial(cervical.structures, mouth), thoracic.structures]


@lru_cache(maxsize=1)
def zones() -> dict[str, Shape]:
    """Every name usable as a zone: drawn structures plus named parts of bones."""
    from .sacropelvis import build_sacropelvis
    from .spine import build_spine

    out: dict[str, Shape] = {s.name: s.shape for s in all_structures() if not s.name.endswith(".fascia")}
    for name, v in build_spine().vertebrae.items():
        for part, shape in v.parts.items():
            out[f"{name}.{part}"] = shape
    sx = build_sacropelvis()
    for part, shape in sx.parts.items():
        if "." in part:
            side, rest = part.split(".", 1)
            out.setdefault(f"{rest}.{side}", shape)
    from . import cervical, soft_tissue

    out.update(soft_tissue.extra_zones())
    out.update(cervical.zones())
    return out
