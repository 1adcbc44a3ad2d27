"""Contact sheet of the teaching views a clinician checks first.

    python -m atlas.phantom.contact_sheet --out docs/contact-sheet.png [--size 448] [--only lumbar,sacropelvic]

Every panel is an ordinary render spec (the same path content uses), drawn with
its annotations.  Pillow is used only here, to lay out panels and draw text.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from ..label_layout import LabelBox, dot_area, leader_end, place_labels
from .landmarks import squaring_tilt, squaring_tilt_for_endplate
from .render import render_image

LAYER_COLOURS = {
    "anatomy": (242, 201, 76),
    "danger": (255, 90, 95),
    "target": (61, 220, 132),
    "trajectory": (79, 195, 247),
    "contrast": (199, 146, 234),
}


def _lab(landmark: str, label: str, layer: str = "anatomy") -> dict:
    return {"landmark": landmark, "label": label, "layer": layer}


def panels() -> list[tuple[str, dict]]:
    sq_l45 = round(squaring_tilt_for_endplate("L4", "inferior"), 1)
    # the tilt that squares the L5-S1 disc lines up the dorsal and ventral S1 foramina (as in the S1
    # transforaminal views)
    sq_s1 = round(squaring_tilt("L5-S1"), 1)
    return [
        ("Lumbar AP", {"modality": "fluoroscopy", "region": "lumbar", "level": "L3", "field_mm": 210,
                       "labels": [_lab("L3.R.pedicle", "L3 pedicle"), _lab("L3.spinous-process", "L3 spinous"),
                                  _lab("L3.R.transverse-process", "L3 TP")]}),
        ("Lumbar lateral", {"modality": "fluoroscopy", "region": "lumbar", "oblique": 90, "level": "L3", "field_mm": 210,
                            "labels": [_lab("L3-L4.R.foramen", "L3-L4 foramen"), _lab("L4.R.pedicle", "L4 pedicle"),
                                       _lab("L4.spinous-tip", "L4 spinous")]}),
        ("Right oblique 30°: Scotty dog at L3", {"modality": "fluoroscopy", "region": "lumbar", "oblique": 30, "craniocaudal": 4,
                                                "center": "L3.R.pedicle", "field_mm": 130,
                                                "labels": [_lab("L3.R.sap", "ear: SAP"), _lab("L3.R.transverse-process", "nose: TP"),
                                                           _lab("L3.R.pedicle", "eye: pedicle"), _lab("L3.R.pars", "neck: pars"),
                                                           _lab("L3.R.iap", "front leg: IAP")]}),
        (f"AP, {sq_l45:g}° cranial squares L4-L5", {"modality": "fluoroscopy", "region": "lumbar", "craniocaudal": sq_l45,
                                                   "center": "L4-L5.disc-centre", "field_mm": 180,
                                                   "labels": [_lab("L4-L5.disc-centre", "L4-L5 squared"), _lab("L5-S1.disc-centre", "L5-S1 not squared")]}),
        (f"AP, {sq_s1:g}° cranial: S1 foramina", {"modality": "fluoroscopy", "region": "sacropelvic", "craniocaudal": sq_s1,
                                                 "center": "S1.body-centre", "field_mm": 170,
                                                 "labels": [_lab("S1.R.posterior-foramen", "S1 foramen", "target"),
                                                            _lab("S2.R.posterior-foramen", "S2 foramen")]}),
        ("Right SI joint, 20° left oblique", {"modality": "fluoroscopy", "region": "sacropelvic", "oblique": -20,
                                             "center": "SIJ.R.centre", "field_mm": 170,
                                             "arrows": [{"to": "SIJ.R.inferior-third", "label": "inferior third", "layer": "target"}]}),
        ("Sacrum lateral: hiatus and cornua", {"modality": "fluoroscopy", "region": "sacropelvic", "oblique": 90,
                                              "center": "S3.body-centre", "field_mm": 170,
                                              "arrows": [{"to": "sacral-hiatus", "label": "hiatus", "layer": "target"}],
                                              "labels": [_lab("S5.R.cornu", "cornu")]}),
        ("Cervical lateral", {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "oblique": 90, "level": "C4",
                              "field_mm": 170,
                              "labels": [_lab("C4.R.articular-pillar-waist", "C4 pillar waist"), _lab("C2.dens-tip", "dens")]}),
        ("Cervical oblique 50° (left foramina), 15° caudal", {"modality": "fluoroscopy", "region": "cervical", "position": "supine",
                                                             "oblique": -50, "craniocaudal": -15, "level": "C5", "field_mm": 150,
                                                             "labels": [_lab("C4-C5.L.foramen", "C4-C5 foramen"), _lab("C5-C6.L.foramen", "C5-C6")]}),
        ("Cervical AP", {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "craniocaudal": -10, "level": "C5",
                         "field_mm": 170, "labels": [_lab("C6.R.anterior-tubercle", "C6 Chassaignac")]}),
        ("Open-mouth view, C1-C2", {"modality": "fluoroscopy", "region": "cervical", "position": "prone", "craniocaudal": 6,
                                    "center": "C2.dens", "field_mm": 100, "metering": "centre", "mouth": "open",
                                  "labels": [_lab("C2.dens", "dens"), _lab("C1.R.lateral-mass", "C1 lateral mass"),
                                             _lab("C1-C2.R.lateral-atlantoaxial-joint", "C1-C2 joint")]}),
        ("Thoracic oblique 25°", {"modality": "fluoroscopy", "region": "thoracic", "oblique": 25, "center": "T8.R.pedicle",
                                  "field_mm": 160, "labels": [_lab("T8.R.rib-head", "T8 rib head"), _lab("T8-T9.R.foramen", "T8-T9 foramen")]}),
        ("CT C6", {"modality": "ct", "region": "cervical", "position": "supine", "plane": "axial", "at": "C6.body-centre",
                   "field_mm": 180, "window": "soft-tissue",
                   "labels": [_lab("vertebral-artery.R.C6", "vertebral a."), _lab("carotid.R.C6", "carotid"),
                              _lab("thyroid.R", "thyroid"), _lab("oesophagus.C6", "oesophagus")]}),
        ("CT T8", {"modality": "ct", "region": "thoracic", "plane": "axial", "at": "T8.pedicles", "field_mm": 360,
                   "window": "soft-tissue", "labels": [_lab("aorta.T8", "aorta"), _lab("oesophagus.T8", "oesophagus"),
                                                       _lab("T8.R.costotransverse-joint", "costotransverse joint")]}),
        ("CT L4", {"modality": "ct", "region": "lumbar", "plane": "axial", "at": "L4.pedicles", "field_mm": 360,
                   "window": "soft-tissue", "labels": [_lab("L4.R.pedicle", "pedicle"), _lab("psoas.R.L4", "psoas"),
                                                       _lab("kidney.R.lower-pole", "kidney")]}),
        ("CT S1", {"modality": "ct", "region": "sacropelvic", "plane": "axial", "at": "S1.R.anterior-foramen", "field_mm": 380,
                   "window": "soft-tissue", "labels": [_lab("S1.R.anterior-foramen", "S1 foramen"), _lab("iliacus.R", "iliacus"),
                                                       _lab("gluteus-medius.R", "gluteus med.")],
                   "arrows": [{"to": "SIJ.R.centre", "label": "SI joint"}],
                   "zones": [{"structure": "gluteus-maximus.R", "label": "gluteus max.", "layer": "anatomy"}]}),
        ("Pelvis AP", {"modality": "fluoroscopy", "region": "sacropelvic", "center": "S3.body-centre", "field_mm": 360,
                       "labels": [_lab("pelvis.R.iliac-crest", "iliac crest"), _lab("pelvis.R.asis", "ASIS"), _lab("S1.R.ala", "ala")]}),
        ("T11 vertebroplasty: cement, venous leak", {"modality": "fluoroscopy", "region": "thoracic", "oblique": 90, "center": "T11.body-centre",
                                                    "field_mm": 130, "needle": {"entry": {"skin": {"oblique": 20, "craniocaudal": -10}},
                                                                                "target": "T11.R.body-anterior-third", "gauge": 11},
                                                    "lesions": [{"kind": "compression-fracture", "at": "T11", "height_loss": 0.35}],
                                                    "contrast": {"pattern": "cement-leak-venous", "at": "T11.R.body-anterior-third", "side": "R"}}),
        ("CT: T11 wedge fracture, L1 lytic lesion", {"modality": "ct", "region": "lumbar", "plane": "sagittal", "at": "T12.body-centre",
                                                     "window": "bone", "field_mm": 150,
                                                     "lesions": [{"kind": "compression-fracture", "at": "T11", "height_loss": 0.45},
                                                                 {"kind": "lytic", "at": "L1.body-centre", "size": "large", "breach": "posterior"}],
                                                     "zones": [{"structure": "lesion.2", "label": "lytic", "layer": "target"}]}),
        ("Right SI arthrogram, 20° left oblique", {"modality": "fluoroscopy", "region": "sacropelvic", "oblique": -20, "center": "SIJ.R.centre",
                                                  "field_mm": 150,
                                                  # placed from below (tunnel view with 20 degrees caudal tilt), seen in profile here
                                                  "needle": {"target": "SIJ.R.inferior-third", "gauge": 22,
                                                             "entry": {"skin": {"oblique": -20, "craniocaudal": -20}}},
                                                  "contrast": {"pattern": "sacroiliac-joint", "at": "SIJ.R.inferior-third"}}),
    ]


def draw_panel(result, title: str, size: int):
    from PIL import Image, ImageDraw, ImageFont

    img = Image.fromarray(result.pixels).convert("RGB")
    if img.size[0] != size:
        img = img.resize((size, size), Image.BILINEAR)
    scale = size / result.pixels.shape[1]
    d = ImageDraw.Draw(img)
    font = _font(13)
    small = _font(11)
    texts: list[tuple[str, tuple, LabelBox]] = []  # placed together below, so labels keep off each other
    dots = []  # and off the dots that mark points

    def label(text, col, x, y, anchor):
        if text:
            left, top, right, bottom = d.textbbox((0, 0), text, font=small)
            texts.append((text, col, LabelBox(x, y, right + 2, bottom + 2, anchor)))

    for a in result.annotations:
        col = LAYER_COLOURS.get(a["layer"], (255, 255, 255))
        pts = [(x * scale, y * scale) for x, y in a["points"]]
        if not pts:
            continue
        if a["kind"] == "polygon" and len(pts) > 2:
            d.line(pts + [pts[0]], fill=col, width=2)
        elif a["kind"] == "polyline":
            d.line(pts, fill=col, width=2)
        elif a["kind"] == "arrow" and len(pts) == 2:
            (x0, y0), (x1, y1) = pts
            d.line(pts, fill=col, width=2)
            v = np.array([x1 - x0, y1 - y0])
            v = v / max(np.linalg.norm(v), 1e-6)
            n = np.array([-v[1], v[0]])
            tip = np.array([x1, y1])
            d.polygon([tuple(tip), tuple(tip - 9 * v + 4.5 * n), tuple(tip - 9 * v - 4.5 * n)], fill=col)
            label(a["label"], col, x0 + 4, y0 - 2, (0.0, 1.0))
            continue
        elif a["kind"] == "point":
            x, y = pts[0]
            d.ellipse([x - 4, y - 4, x + 4, y + 4], outline=col, width=2)
            dots.append(dot_area(x, y, 5))
            label(a["label"], col, x + 7, y, (0.0, 0.5))
            continue
        x, y = pts[0]
        label(a["label"], col, x + 4, y - 2, (0.0, 1.0))
    boxes = [box for _, _, box in texts]
    for (text, col, box), spot in zip(texts, place_labels(boxes, size, size, tuple(dots))):
        end = leader_end(box.x, box.y, spot)
        if end is not None:
            d.line([(box.x - 3 if box.anchor == (0.0, 0.5) else box.x, box.y), end], fill=col, width=1)
        _text(d, (spot.left, spot.top), text, col, small)
    _text(d, (6, 5), title, (255, 255, 255), font)
    marks = result.meta.get("orientation")
    if marks:
        _text(d, (6, size / 2 - 7), marks["left"], (200, 200, 200), font)
        _text(d, (size - 16, size / 2 - 7), marks["right"], (200, 200, 200), font)
    _text(d, (6, size - 16), result.view_text.replace("(detector to patient's", "(det.").replace("detector to head, ", ""), (170, 170, 170), _font(9))
    return img


def _font(size: int):
    from PIL import ImageFont

    try:
        return ImageFont.load_default(size=size)
    except TypeError:  # older Pillow
        return ImageFont.load_default()


def _text(d, xy, text, col, font):
    x, y = xy
    d.text((x + 1, y + 1), text, fill=(0, 0, 0), font=font)
    d.text((x, y), text, fill=col, font=font)


def main(argv=None) -> int:
    from PIL import Image

    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--out", type=Path, default=Path("docs/contact-sheet.png"))
    ap.add_argument("--size", type=int, default=448)
    ap.add_argument("--columns", type=int, default=4)
    ap.add_argument("--only", default="", help="comma-separated regions to include")
    ap.add_argument("--cache-dir", type=Path, default=None)
    args = ap.parse_args(argv)
    only = {r for r in args.only.split(",") if r}
    items = [(t, s) for t, s in panels() if not only or s["region"] in only]
    tiles = []
    for title, spec in items:
        t0 = time.perf_counter()
        res = render_image(spec, size=512, cache_dir=args.cache_dir)
        tiles.append(draw_panel(res, title, args.size))
        print(f"{title}: {time.perf_counter() - t0:.2f}s")
    cols = args.columns
    rows = (len(tiles) + cols - 1) // cols
    sheet = Image.new("RGB", (cols * args.size + (cols - 1) * 4, rows * args.size + (rows - 1) * 4), (24, 24, 24))
    for i, tile in enumerate(tiles):
        r, c = divmod(i, cols)
        sheet.paste(tile, (c * (args.size + 4), r * (args.size + 4)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    sheet.save(args.out)
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
