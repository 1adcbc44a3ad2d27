"""Curves that follow the spine, so soft tissue follows its lordosis and kyphosis.

Each curve maps world z to a y (or a point) by interpolating per-level
points of the built column: body centres, canal centres, spinous tips, the
dorsal sacral surface.  Soft-tissue shapes are written relative to these
curves instead of fixed world positions.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .sacropelvis import build_sacropelvis
from .spine import build_spine


@lru_cache(maxsize=1)
def curves() -> dict[str, tuple[np.ndarray, np.ndarray]]:
    sp = build_spine()
    sx = build_sacropelvis()
    al = sp.alignment
    body, canal, tip = [], [], []
    for name, v in sp.vertebrae.items():
        p = v.p
        body.append(v.frame.origin)
        canal.append(v.frame.point([0, p.endplate_depth / 2 + p.canal_depth / 2, 0]))
        tip.append(v.W(v.points["spinous-tip"]))
    from .sacropelvis import _BODY_DEPTH, _CANAL_DEPTH, _DORSAL_WALL

    for k in range(5):
        fr = al.sacral[f"S{k + 1}"].frame
        body.append(fr.origin)
        canal.append(fr.point([0, _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] / 2, 0]))
        tip.append(fr.point([0, _BODY_DEPTH[k] / 2 + _CANAL_DEPTH[k] + _DORSAL_WALL[k] + 6.0, 0]))
    for pose in al.coccyx:
        body.append(pose.frame.origin)
        tip.append(pose.frame.point([0, 8.0, 0]))
    # C1/C2 for the cervical region
    body.append(al.c2.frame.origin)
    canal.append(al.c2.frame.point([0, 17.0, 0]))
    tip.append(al.c2.frame.point([0, 45.0, -8.0]))
    body.append(al.c1.frame.origin + np.array([0, -10.0, 0]))
    canal.append(al.c1.frame.origin + np.array([0, 5.0, 0]))
    tip.append(al.c1.frame.origin + np.array([0, 32.0, 0]))
    out = {}
    for key, pts in (("body", body), ("canal", canal), ("tip", tip)):
        a = np.array(pts)
        order = np.argsort(a[:, 2])
        out[key] = (a[order, 2], a[order, 1])
    return out


def y_at(curve: str, z):
    zs, ys = curves()[curve]
    return np.interp(z, zs, ys).astype(np.float32)
