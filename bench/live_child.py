"""Virtual C-arm and CT scroller figures, measured in a process of their own (for a clean RSS).

    python bench/live_child.py CACHE_DIR  → prints one JSON object
"""

import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def rss_mb() -> float:
    with open("/proc/self/status") as fh:
        for line in fh:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def main() -> int:
    cache = Path(sys.argv[1])
    from atlas.live import Angles, LiveScene, prepare

    fluoro = {"modality": "fluoroscopy", "region": "lumbar", "position": "prone", "oblique": 25, "craniocaudal": 11,
              "center": "L4-L5.R.safe-triangle", "field_mm": 180, "needle": {"target": "L4-L5.R.safe-triangle"},
              "labels": [{"landmark": "L4.R.pedicle", "label": "L4 pedicle"}, {"landmark": "L5.R.sap", "label": "L5 SAP"}],
              "zones": [{"structure": "L4.R.nerve-root", "label": "Exiting L4 root"}]}
    ct = {"modality": "ct", "region": "lumbar", "plane": "axial", "at": "L4.pedicles", "window": "soft-tissue",
          "labels": [{"landmark": "L4.R.pedicle", "label": "Pedicle"}]}
    # build and cache the volume and the landmark table in a process of its own (not timed, and not in this RSS)
    subprocess.run([sys.executable, "-c", f"from atlas.phantom import Phantom, landmarks; Phantom.load('lumbar', {str(cache)!r}); landmarks.landmarks()"],
                   check=True, cwd=Path(__file__).resolve().parent.parent)
    # what the app does on its worker thread when a step with a rendered image is first shown
    prepare(cache)
    started = time.perf_counter()
    scene = LiveScene(fluoro, cache_dir=cache)
    first = scene.fluoro_frame(scene.recommended(), "full")
    open_s = time.perf_counter() - started
    fast = []
    for i in range(24):
        t = time.perf_counter()
        scene.fluoro_frame(Angles("prone", 25 - i, 11 + i * 0.3), "fast")
        fast.append(time.perf_counter() - t)
    full = []
    for i in range(5):
        t = time.perf_counter()
        scene.fluoro_frame(Angles("prone", 10 + i, 5), "full")
        full.append(time.perf_counter() - t)
    ct_scene = LiveScene(ct, cache_dir=cache, phantom=scene.phantom)
    slices = []
    for i in range(20):
        t = time.perf_counter()
        ct_scene.ct_frame(float(i - 10), "soft-tissue")
        slices.append(time.perf_counter() - t)
    print(json.dumps({
        "open_panel_s": round(open_s, 3),
        "drag_fps": round(1 / statistics.median(fast), 1),
        "drag_frame_p95_ms": round(sorted(fast)[int(0.95 * (len(fast) - 1))] * 1000, 1),
        "release_to_still_ms": round(statistics.median(full) * 1000, 1),
        "ct_slices_per_s": round(1 / statistics.median(slices), 1),
        "rss_mb": round(rss_mb(), 1),
        "first_frame_shape": list(first.pixels.shape),
    }))
    return 0


if __name__ == "__main__":
    sys.exit(main())
