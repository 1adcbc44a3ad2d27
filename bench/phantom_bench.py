"""Benchmark of the phantom image engine, measured in one run.

    python bench/phantom_bench.py [--images 120] [--out bench/results/phantom.json]

Measures, on this machine: the cold build of every region volume (empty cache)
and its cached reload; interactive fast-path frames (DRR 512 x 512 with the
fluoroscopic look and landmark overlays re-projected per frame, while the
C-arm angles change); full-quality stills through ``render_image``; CT slices;
a content build of N representative image definitions starting from an empty
cache; peak memory of the process; and accuracy of the fast path against the
reference ray-caster.  Prints a table and writes the figures as JSON.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from atlas.phantom import Phantom, render_image  # noqa: E402
from atlas.phantom.carm import View  # noqa: E402
from atlas.phantom.drr import drr_fast, drr_reference  # noqa: E402
from atlas.phantom.landmarks import landmarks, squaring_tilt_for_endplate  # noqa: E402
from atlas.phantom.regions import REGION_NAMES  # noqa: E402
from atlas.phantom.volume import PhantomVolume  # noqa: E402

TARGETS = {
    "interactive_fps": 15.0,
    "still_seconds": 0.5,
    "ct_slice_ms": 30.0,
    "region_build_seconds": 30.0,
    "content_build_seconds": 120.0,
    "peak_memory_gb": 6.0,
}


def peak_rss_gb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 / 1024


def content_specs(n: int) -> list[dict]:
    """N representative image definitions across the regions (the mix of the catalog's pages)."""
    base = []
    sq = squaring_tilt_for_endplate("L4", "inferior")
    for seg, up in (("L3-L4", "L3"), ("L4-L5", "L4"), ("L5-S1", "L5")):
        for side, sign in (("R", 1), ("L", -1)):
            base.append({"modality": "fluoroscopy", "region": "lumbar", "oblique": 25 * sign, "craniocaudal": round(sq, 1),
                         "center": f"{seg}.{side}.safe-triangle", "field_mm": 180,
                         "needle": {"entry": f"{seg}.{side}.skin-entry", "target": f"{seg}.{side}.safe-triangle"},
                         "labels": [{"landmark": f"{up}.{side}.pedicle", "label": "pedicle"}],
                         "zones": [{"structure": f"{up}.{side}.nerve-root", "label": "root"}]})
    base += [
        {"modality": "fluoroscopy", "region": "lumbar", "level": "L4", "contrast": {"pattern": "epidural-transforaminal", "at": "L4-L5.R.safe-triangle"}},
        {"modality": "fluoroscopy", "region": "lumbar", "oblique": 90, "level": "L4", "labels": [{"landmark": "L4-L5.R.foramen", "label": "foramen"}]},
        {"modality": "ct", "region": "lumbar", "plane": "axial", "at": "L4.pedicles", "window": "soft-tissue"},
        {"modality": "fluoroscopy", "region": "sacropelvic", "oblique": -20, "center": "SIJ.R.centre", "field_mm": 170,
         "needle": {"target": "SIJ.R.inferior-third"}, "arrows": [{"to": "SIJ.R.inferior-third", "label": "target"}]},
        {"modality": "fluoroscopy", "region": "sacropelvic", "craniocaudal": 26, "center": "S1.body-centre",
         "needle": {"target": "S1.R.posterior-foramen"}},
        {"modality": "fluoroscopy", "region": "sacropelvic", "oblique": 90, "center": "S3.body-centre",
         "contrast": {"pattern": "epidural-caudal", "at": "sacral-canal.S3"}},
        {"modality": "ct", "region": "sacropelvic", "plane": "axial", "at": "S1.R.anterior-foramen", "window": "bone"},
        {"modality": "fluoroscopy", "region": "cervical", "position": "prone", "craniocaudal": 20, "center": "C7-T1.interlaminar",
         "needle": {"target": "C7-T1.posterior-epidural-space"}},
        {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "oblique": 90, "level": "C4"},
        {"modality": "fluoroscopy", "region": "cervical", "position": "supine", "oblique": -50, "craniocaudal": -15, "level": "C5"},
        {"modality": "ct", "region": "cervical", "position": "supine", "plane": "axial", "at": "C6.body-centre", "field_mm": 180},
        {"modality": "fluoroscopy", "region": "thoracic", "oblique": 25, "center": "T8.R.pedicle", "field_mm": 160},
        {"modality": "fluoroscopy", "region": "thoracic", "level": "T8"},
        {"modality": "ct", "region": "thoracic", "plane": "axial", "at": "T8.pedicles", "window": "lung"},
        # vertebral augmentation and lesions: cement, a balloon, a fracture and a lytic lesion
        {"modality": "fluoroscopy", "region": "thoracic", "oblique": 90, "center": "T11.body-centre", "field_mm": 130,
         "needle": {"entry": {"skin": {"oblique": 20, "craniocaudal": -10}}, "target": "T11.R.body-anterior-third", "gauge": 11},
         "contrast": {"pattern": "cement-leak-venous", "at": "T11.R.body-anterior-third", "side": "R"},
         "lesions": [{"kind": "compression-fracture", "at": "T11", "height_loss": 0.3}]},
        {"modality": "ct", "region": "lumbar", "plane": "sagittal", "at": "L2.body-centre", "window": "bone",
         "lesions": [{"kind": "lytic", "at": "L2.R.body-anterior-third", "size": "large", "breach": "posterior"}],
         "contrast": [{"pattern": "balloon", "at": "L2.L.body-anterior-third", "side": "L"}]},
    ]
    out = []
    for i in range(n):
        spec = dict(base[i % len(base)])
        spec["seed"] = 1000 + i
        out.append(spec)
    return out


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--images", type=int, default=120)
    ap.add_argument("--out", type=Path, default=ROOT / "bench" / "results" / "phantom.json")
    ap.add_argument("--frames", type=int, default=40)
    args = ap.parse_args(argv)
    cache = Path(tempfile.mkdtemp(prefix="phantom-bench-"))
    results: dict = {"machine": {"python": platform.python_version(), "cpus": os.cpu_count(), "platform": platform.platform()}}
    try:
        # 1. content build from an empty cache: region builds happen inside, on first use
        specs = content_specs(args.images)
        t0 = time.perf_counter()
        per_image = []
        for spec in specs:
            t = time.perf_counter()
            render_image(spec, size=512, cache_dir=cache)
            per_image.append(time.perf_counter() - t)
        content_s = time.perf_counter() - t0
        results["content_build"] = {"images": len(specs), "seconds": round(content_s, 2), "includes_cold_region_builds": True}
        # 2. cold region builds, each in a fresh cache folder (the content build above used its own)
        builds = {}
        for region in REGION_NAMES:
            fresh = cache / f"cold-{region}"
            from atlas.phantom import phantom as ph_mod

            ph_mod._MEMO.pop((region, "full", Phantom.hash_for(region)), None)
            t = time.perf_counter()
            ph = Phantom.load(region, fresh)
            cold = time.perf_counter() - t
            folder = next(fresh.iterdir())
            t = time.perf_counter()
            PhantomVolume.load(folder)
            warm = time.perf_counter() - t
            builds[region] = {"cold_seconds": round(cold, 2), "cached_load_seconds": round(warm, 3),
                              "voxels_millions": round(sum(int(np.prod(l.shape)) for l in ph.volume.layers) / 1e6, 1),
                              "memory_mb": round(ph.volume.nbytes / 1e6, 1)}
        results["region_builds"] = builds
        # 3. interactive fast path: frames while dragging the C-arm, with overlays re-projected
        ph = Phantom.load("lumbar", cache)
        r = ph.renderer()
        names = ["L4.R.pedicle", "L5.R.sap", "L4-L5.R.safe-triangle", "L4.R.transverse-process", "L4.spinous-tip",
                 "L3.R.pedicle", "L5.R.pedicle", "L4-L5.disc-centre", "L4.R.pars", "L4.R.iap"]
        r.drr(r.view(oblique=10, center="L4", size=512), quality="fast")  # warm caches
        frames = []
        for i in range(args.frames):
            obl = 35 * np.sin(i / 7.0)
            cc = 12 * np.sin(i / 11.0)
            t = time.perf_counter()
            view = r.view(oblique=obl, craniocaudal=cc, center="L4-L5.R.safe-triangle", field_mm=180, size=512)
            r.drr(view, quality="fast")
            r.project(names, view)
            frames.append(time.perf_counter() - t)
        fps = 1.0 / statistics.median(frames)
        results["interactive"] = {"frames": len(frames), "median_ms": round(1000 * statistics.median(frames), 1),
                                  "p90_ms": round(1000 * float(np.percentile(frames, 90)), 1), "fps": round(fps, 1)}
        # 4. full-quality stills through the public API
        spec = content_specs(1)[0]
        stills = []
        for i in range(8):
            t = time.perf_counter()
            render_image(dict(spec, seed=i), size=512, cache_dir=cache)
            stills.append(time.perf_counter() - t)
        results["still"] = {"median_seconds": round(statistics.median(stills), 3), "max_seconds": round(max(stills), 3)}
        # 5. CT slices
        cts = []
        for i in range(20):
            t = time.perf_counter()
            r.ct_slice(plane="axial", at="L4.pedicles", window="soft-tissue", size=512)
            cts.append(time.perf_counter() - t)
        results["ct_slice"] = {"median_ms": round(1000 * statistics.median(cts), 1)}
        # 6. accuracy: fast path against the reference ray-caster, landmark projection
        view = View("prone", 25, 8, landmarks()["L4.body-centre"], 180.0, 96)
        fast = drr_fast(ph.volume.layers, view)
        ref = drr_reference(ph.volume.layers, view)
        m = ref > 0.5
        rel = float(np.sqrt(np.mean((fast[m] - ref[m]) ** 2)) / np.mean(ref[m]))
        results["accuracy"] = {"fast_vs_reference_relative_rms": round(rel, 5), "view": view.text(), "size": 96}
        results["peak_memory_gb"] = round(peak_rss_gb(), 2)
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    checks = {
        "interactive_fps": results["interactive"]["fps"] >= TARGETS["interactive_fps"],
        "still_seconds": results["still"]["median_seconds"] <= TARGETS["still_seconds"],
        "ct_slice_ms": results["ct_slice"]["median_ms"] <= TARGETS["ct_slice_ms"],
        "region_build_seconds": all(b["cold_seconds"] <= TARGETS["region_build_seconds"] for b in results["region_builds"].values()),
        "content_build_seconds": results["content_build"]["seconds"] <= TARGETS["content_build_seconds"],
        "peak_memory_gb": results["peak_memory_gb"] <= TARGETS["peak_memory_gb"],
    }
    results["targets"] = TARGETS
    results["meets_targets"] = checks
    rows = [
        ("interactive DRR 512² fast + overlays", f"{results['interactive']['fps']} fps ({results['interactive']['median_ms']} ms)", "≥15 fps"),
        ("full-quality still (render_image)", f"{results['still']['median_seconds']} s", "≤0.5 s"),
        ("CT slice 512²", f"{results['ct_slice']['median_ms']} ms", "≤30 ms"),
    ]
    for region, b in results["region_builds"].items():
        rows.append((f"region build {region} (cold / cached)", f"{b['cold_seconds']} s / {b['cached_load_seconds']} s", "≤30 s"))
    rows += [
        (f"content build, {results['content_build']['images']} images, cold cache", f"{results['content_build']['seconds']} s", "≤120 s"),
        ("peak memory", f"{results['peak_memory_gb']} GB", "≤6 GB"),
        ("fast vs reference DRR (relative RMS)", f"{results['accuracy']['fast_vs_reference_relative_rms'] * 100:.2f} %", "-"),
    ]
    w = max(len(r[0]) for r in rows)
    print(f"{'measure'.ljust(w)}  {'result':28}  target")
    for name, val, target in rows:
        print(f"{name.ljust(w)}  {val:28}  {target}")
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2))
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
