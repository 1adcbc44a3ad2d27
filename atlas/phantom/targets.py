"""Needle targets found on the built shapes: points that satisfy what the anatomy says about them.

A needle target is only useful if it lies where the text says (in the foramen, on the bone surface, in
the interlaminar window) and if the usual straight path from the skin reaches it without crossing bone,
a nerve root or the thecal sac.  Placing such points by fixed offsets breaks whenever a shape changes,
so the targets here are searched for: candidate points on a small grid in the vertebra's frame are
filtered by their clearance from the structures around them, the straight path from each toward the
skin along the approach direction is checked, and the cheapest survivor (closest to the textbook
description) is kept.  Every search is vectorised and runs once per process (``landmarks()`` is cached).

The approach views (25 degrees oblique for the subpedicular transforaminal target, 35-45 degrees for
Kambin's triangle, the squared AP for interlaminar windows) are the usual ones of the procedure texts;
the clearances (a millimetre or two from bone, roots and dura) are approximations chosen so that a
22-gauge needle drawn along the path does not touch them.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .carm import beam_direction
from .facets import SIDES


@lru_cache(maxsize=1)
def bone_names() -> tuple[str, ...]:
    from .anatomy import all_structures

    return tuple(s.name for s in all_structures() if s.group == "bone")


@lru_cache(maxsize=1)
def root_names() -> tuple[str, ...]:
    from .anatomy import zones

    return tuple(n for n in zones() if n.endswith(".nerve-root")) + ("cauda-equina", "spinal-cord")


def _overlapping(names, lo, hi, pad: float = 2.0) -> list:
    from .anatomy import zones

    z = zones()
    out = []
    for n in names:
        s = z.get(n)
        if s is None:
            continue
        blo, bhi = s.bbox
        if np.all(bhi + pad >= lo) and np.all(blo - pad <= hi):
            out.append(s)
    return out


def min_field(names, pts: np.ndarray) -> np.ndarray:
    """Smallest field over the named structures at ``pts`` (N, 3): negative inside any of them."""
    pts = np.asarray(pts, np.float32).reshape(-1, 3)
    out = np.full(len(pts), 1e3, float)
    if len(pts) == 0:
        return out
    for s in _overlapping(names, pts.min(axis=0), pts.max(axis=0)):
        out = np.minimum(out, np.asarray(s(pts[:, 0], pts[:, 1], pts[:, 2]), float).ravel())
    return out


def path_clearance(targets: np.ndarray, direction: np.ndarray, names, start: float = 1.0, length: float = 100.0,
                   step: float = 0.5) -> np.ndarray:
    """For each target, the smallest field of the named structures along the straight line from
    ``start`` to ``length`` mm beyond it in ``direction`` (toward the skin)."""
    targets = np.asarray(targets, float).reshape(-1, 3)
    d = np.asarray(direction, float) / np.linalg.norm(direction)
    ts = np.arange(start, length + 1e-6, step)
    pts = targets[:, None, :] + ts[None, :, None] * d[None, None, :]
    f = min_field(names, pts.reshape(-1, 3)).reshape(len(targets), len(ts))
    return f.min(axis=1)


def _passing(world: np.ndarray, cost: np.ndarray, checks) -> np.ndarray:
    """Mask of the candidates with a finite cost that pass every point check (each check sees survivors only)."""
    ok = np.isfinite(cost)
    for check in checks:
        idx = np.nonzero(ok)[0]
        if len(idx) == 0:
            break
        ok[idx] = check(world[idx])
    return ok


def _search(frame, local: np.ndarray, cost: np.ndarray, point_checks, path_checks=(), batch: int = 64):
    """The cheapest local candidate that passes every check, as a world point (None if none does).

    ``point_checks``: (names, minimum field) at the point itself (a negative minimum asks the point to
    lie inside, e.g. ``(["L4-L5.R.foramen"], -inf)`` is no check and ``maximum`` checks use
    :func:`_inside`); ``path_checks``: (direction, names, minimum field along the path)."""
    world = np.asarray(frame.point(local), float).reshape(-1, 3)
    ok = _passing(world, cost, point_checks)
    order = np.argsort(np.where(ok, cost, np.inf))
    order = order[ok[order]]
    for i in range(0, len(order), batch):
        idx = order[i:i + batch]
        good = np.ones(len(idx), bool)
        for direction, names, margin in path_checks:
            good &= path_clearance(world[idx], direction, names) > margin
        if good.any():
            return world[idx[int(np.argmax(good))]]
    return None


def clear_of(names, margin: float):
    return lambda pts: min_field(names, pts) > margin


def inside(names, depth: float = 0.0):
    return lambda pts: min_field(names, pts) < -depth


def near_surface(names, lo: float, hi: float):
    """Points whose distance outside the named structures lies between ``lo`` and ``hi`` mm."""
    def check(pts):
        f = min_field(names, pts)
        return (f >= lo) & (f <= hi)
    return check


def _grid(xs, ys, zs) -> np.ndarray:
    X, Y, Z = np.meshgrid(xs, ys, zs, indexing="ij")
    return np.stack([X.ravel(), Y.ravel(), Z.ravel()], axis=1)


def _lower_name(upper: str) -> str:
    from .spine import build_spine

    names = list(build_spine().vertebrae)
    i = names.index(upper)
    return names[i + 1] if i + 1 < len(names) else "S1"


def safe_triangle_direction(seg: str, side: str) -> np.ndarray:
    """The approach of the subpedicular (safe-triangle) target: 25 degrees ipsilateral oblique with the
    endplates squared (lumbar and T12-L1); 20 degrees in the thorax, where the ribs close the wider view."""
    from .landmarks import squaring_tilt

    sign = 1.0 if side == "R" else -1.0
    obl = 25.0 if seg.startswith(("L", "T12")) else 20.0
    return beam_direction("prone", sign * obl, squaring_tilt(seg))


def safe_triangles(out: dict) -> None:
    """``<SEG>.<S>.safe-triangle``: just below the pedicle (1.5-5 mm under its lower cortex), above and lateral
    to the exiting root, lateral to the thecal sac, in the posterosuperior foramen, with a clear straight
    path at the approach oblique (see :func:`safe_triangle_direction`)."""
    from .spine import build_spine

    sp = build_spine()
    for upper, v in sp.vertebrae.items():
        if v.region == "cervical":
            continue
        lower = _lower_name(upper)
        seg = f"{upper}-{lower}"
        p = v.p
        lower_bone = "sacrum" if lower == "S1" else lower
        for side, s in SIDES.items():
            name = f"{seg}.{side}.safe-triangle"
            if name not in out:
                continue
            ped = v.points[f"{side}.pedicle"]
            pb = v.points[f"{side}.pedicle-bottom"][2]
            hw = p.pedicle_width / 2
            xs = ped[0] + s * np.arange(-0.6 * hw, hw + 6.0, 0.5)
            ys = np.arange(p.endplate_depth / 2 - 1.0, p.endplate_depth / 2 + 14.0, 0.5)
            zs = np.arange(pb - 6.0, pb - 1.2, 0.4)
            local = _grid(xs, ys, zs)
            x_pref = ped[0] + s * 0.5 * hw
            y_pref = ped[1] + 1.0
            cost = (np.abs(local[:, 2] - (pb - 2.5)) + 0.4 * np.abs(local[:, 0] - x_pref) + 0.3 * np.abs(local[:, 1] - y_pref))
            root = f"{upper}.{side}.nerve-root"
            bones = [upper, lower_bone] + ([f"rib{int(upper[1:]) + k}.{side}" for k in (0, 1)] if v.region == "thoracic" else [])
            drg = v.local_of(out[f"{upper}.{side}.drg"])
            cost[local[:, 2] < drg[2]] = np.inf  # above the root's ganglion
            found = _search(v.frame, local, cost,
                            [clear_of(bones, 1.0), clear_of([root], 1.5), clear_of(["thecal-sac"], 3.0)],
                            [(safe_triangle_direction(seg, side), bones + [root, "thecal-sac"], 0.6)])
            if found is not None:
                out[name] = found


KAMBIN_OBLIQUES = (40.0, 45.0, 35.0)  # tried in this order; 35-45 degrees is the usual posterolateral disc approach


def kambin_direction(seg: str, side: str, oblique: float = 40.0) -> np.ndarray:
    from .landmarks import squaring_tilt

    return beam_direction("prone", (1.0 if side == "R" else -1.0) * oblique, squaring_tilt(seg))


def kambin_triangles(out: dict) -> None:
    """``<SEG>.<S>.kambin-triangle``: on the posterolateral annulus (0.5-2.5 mm outside it) at mid-disc height,
    lateral to the superior articular process and the dura, below and medial to the exiting root, with a
    clear straight path at a posterolateral oblique of 35-45 degrees (endplates squared).  The discography
    entry ``<SEG>.<S>.disc-posterolateral`` is placed 2 mm into the annulus along that path."""
    from .anatomy import zones
    from .spine import build_spine

    sp = build_spine()
    al = sp.alignment
    for upper, v in sp.vertebrae.items():
        if v.region != "lumbar" and upper != "T12":
            continue
        lower = _lower_name(upper)
        seg = f"{upper}-{lower}"
        frame = al.discs[seg].frame
        lower_bone = "sacrum" if lower == "S1" else lower
        traversing = f"{lower}.{{side}}.nerve-root"
        disc = zones()[f"{seg}.disc"]
        for side, s in SIDES.items():
            name = f"{seg}.{side}.kambin-triangle"
            if name not in out:
                continue
            jc = frame.local_point(sp.joints[seg][side].centre)
            xs = s * np.arange(8.0, 34.0, 0.5)
            ys = np.arange(4.0, 26.0, 0.5)
            zs = np.arange(-2.0, 2.01, 0.5)
            local = _grid(xs, ys, zs)
            x_pref = jc[0] + s * 5.0
            cost = np.abs(local[:, 2]) + 0.25 * np.abs(local[:, 0] - x_pref) + 0.05 * np.abs(local[:, 1] - 12.0)
            roots = [f"{upper}.{side}.nerve-root", traversing.format(side=side)]
            bones = [upper, lower_bone]
            checks = [near_surface([f"{seg}.disc"], 0.5, 2.5), clear_of(bones, 1.0), clear_of(roots, 1.5),
                      clear_of(["thecal-sac"], 2.0)]
            found = None
            for obl in KAMBIN_OBLIQUES:
                found = _search(frame, local, cost, checks,
                                [(kambin_direction(seg, side, obl), bones + roots + ["thecal-sac"], 0.5)])
                if found is not None:
                    d = kambin_direction(seg, side, obl)
                    break
            if found is None:
                continue
            out[name] = found
            # the annulus entry: 2 mm inside the disc along the same path
            ts = np.arange(0.0, 12.0, 0.25)
            line = (found[None, :] - ts[:, None] * d[None, :]).astype(np.float32)
            fd = np.asarray(disc(line[:, 0], line[:, 1], line[:, 2]))
            inside_at = np.nonzero(fd < -2.0)[0]
            if len(inside_at):
                out[f"{seg}.{side}.disc-posterolateral"] = line[inside_at[0]].astype(float)


def interlaminar_direction(seg: str, oblique: float = 0.0) -> np.ndarray:
    """The interlaminar working view: AP (or a small oblique) with the endplates of the segment squared."""
    from .landmarks import squaring_tilt

    return beam_direction("prone", oblique, squaring_tilt(seg))


def interlaminar_targets(out: dict) -> None:
    """Lumbar interlaminar window targets found on the built shapes (T12-L1 to L5-S1):

    * ``<SEG>.<S>.interlaminar``: on the back of the ligamentum flavum (0.3-1.5 mm behind it), about
      6 mm from the midline, where the straight ray of the squared AP view reaches it clear of bone;
    * ``<SEG>.interlaminar``: the same in the midline, under the spinous process above (where the
      midline ray passes between the spinous processes; kept at its old place if no such point exists);
    * ``<SEG>.ligamentum-flavum``: inside the ligament in the midline at the height of that point;
    * ``<SEG>.posterior-epidural-space``: in the midline just deep to the ligament (0.3-2.5 mm in
      front of it), clear of the thecal sac, reached without crossing bone by a paramedian ray (15 degrees
      oblique, endplates squared) and, where the window allows, by the steep paramedian approach from
      below (20 degrees oblique, 40 degrees caudal).
    """
    from .anatomy import zones
    from .spine import build_spine

    sp = build_spine()
    z = zones()
    upper_interlaminar_targets(out)
    for upper, v in sp.vertebrae.items():
        if v.region != "lumbar" and upper != "T12":
            continue
        lower = _lower_name(upper)
        seg = f"{upper}-{lower}"
        lf = f"{seg}.ligamentum-flavum"
        if lf not in z or f"{seg}.interlaminar" not in out:
            continue
        bones = [upper, "sacrum" if lower == "S1" else lower]
        p = v.p
        d_ap = interlaminar_direction(seg)
        lam_y = v.local_of(out[f"{upper}.L.lamina"])[1]
        ys = np.arange(p.endplate_depth / 2 + 4.0, lam_y + 4.0, 0.5)
        zs = np.arange(-p.body_height_posterior / 2 - 22.0, -p.body_height_posterior / 2 + 6.0, 0.5)

        def clear_ap(world, margin=0.75, direction=d_ap):
            return path_clearance(world, direction, bones + ["thecal-sac"], start=0.5) > margin

        def best(local, cost, checks, margin=0.75, directions=None):
            world = np.array([v.frame.point(q) for q in local])
            idx = np.nonzero(_passing(world, cost, checks))[0]
            if len(idx) == 0:
                return None
            clr = np.max([path_clearance(world[idx], dd, bones, start=0.5) for dd in (directions or [d_ap])], axis=0)
            good = clr > margin
            if not good.any():
                return None
            c = cost[idx] + 0.6 * np.maximum(0.0, 3.0 - clr)
            c[~good] = np.inf
            return world[idx[int(np.argmin(c))]]

        # the paramedian points on the back of the ligament
        # (the ray toward the skin leaves the ligament behind it: the back surface, not the front)
        behind = [near_surface([lf], 0.3, 1.5), clear_of(bones, 1.5), lambda w: path_clearance(w, d_ap, [lf], start=0.5) > 0.0]
        for side, s in SIDES.items():
            x_pref = s * (p.canal_width * 0.5 + 3.0) * 0.4
            local = _grid(x_pref + np.arange(-3.0, 3.01, 0.5), ys, zs)
            cost = np.abs(local[:, 0] - x_pref)
            found = best(local, cost, behind)
            if found is not None:
                out[f"{seg}.{side}.interlaminar"] = found
        # midline
        local = _grid(np.array([0.0]), ys, zs)
        cost = np.zeros(len(local))
        mid = best(local, cost, behind)
        if mid is not None:
            out[f"{seg}.interlaminar"] = mid
            zl = v.local_of(mid)[2]
            local = _grid(np.array([0.0]), ys, np.arange(zl - 3.0, zl + 3.01, 0.25))
            lfc = _search(v.frame, local, np.abs(local[:, 2] - zl), [inside([lf], 0.3), clear_of(bones, 1.0)])
            if lfc is not None:
                out[lf] = lfc
        # the posterior epidural space: in front of the ligament, behind the sac, in the midline
        local = _grid(np.array([0.0]), ys, zs)
        zl = v.local_of(out[f"{seg}.interlaminar"])[2]
        cost = np.abs(local[:, 2] - zl) * 0.3
        paramedian = [interlaminar_direction(seg, o) for o in (-15.0, 15.0)]

        def reached_paramedian(w):
            ok = np.zeros(len(w), bool)
            for dpm in paramedian:
                ok |= path_clearance(w, dpm, bones, start=0.5) > 0.5
            return ok

        base_checks = [near_surface([lf], 0.3, 2.5), clear_of(bones, 1.5), clear_of(["thecal-sac"], 0.7),
                       lambda w: path_clearance(w, d_ap, [lf], start=0.5) < 0.0]
        # preferably also reached by the steep paramedian approach from below (20 degrees oblique, 40 caudal)
        steep = [beam_direction("prone", o, -40.0) for o in (-20.0, 20.0)]

        def reached_steep(w):
            ok = np.ones(len(w), bool)
            for dst in steep:
                ok &= path_clearance(w, dst, bones, start=0.5) > 0.3
            return ok

        epi = best(local, cost, base_checks + [reached_steep], margin=0.5, directions=paramedian)
        if epi is None:
            epi = best(local, cost, base_checks, margin=0.5, directions=paramedian)
        if epi is not None:
            out[f"{seg}.posterior-epidural-space"] = epi


# The cervical and thoracic interlaminar approach (approximations matching the atlas's images): the beam
# tilted caudally along the shingled laminae (20 degrees at the neck, 30 degrees in the thorax, where the
# laminae overlap more steeply), and the paramedian needle entering a little to the side of the spinous
# processes (12 and 10 degrees oblique).
UPPER_INTERLAMINAR_APPROACH = {"cervical": (12.0, -20.0), "thoracic": (10.0, -30.0)}


def upper_interlaminar_direction(seg: str, side: str | None = None) -> np.ndarray:
    """The cervical or thoracic interlaminar needle path (toward the skin): ``side`` R or L for the
    paramedian entry on that side, None for the midline ray at the same caudal tilt."""
    from .spine import build_spine

    region = build_spine().vertebrae[seg.split("-")[0]].region
    obl, cc = UPPER_INTERLAMINAR_APPROACH[region]
    sign = 0.0 if side is None else (1.0 if side == "R" else -1.0)
    return beam_direction("prone", sign * obl, cc)


def upper_interlaminar_targets(out: dict) -> None:
    """Cervical and thoracic interlaminar window targets (C3-C4 to T11-T12) found on the built shapes, as
    :func:`interlaminar_targets` does for the lumbar spine but for the approach used above the lumbar
    spine (see :func:`upper_interlaminar_direction`): the laminae overlap like shingles, so the straight
    ray of a squared AP view meets bone and the window is opened by a caudal tilt.

    * ``<SEG>.<S>.interlaminar``: on the back of the ligamentum flavum (0.3-1.5 mm behind it), about
      3-6 mm from the midline, 1.5 mm clear of bone, reached by the paramedian needle path from that side
      without crossing bone (0.75 mm clearance);
    * ``<SEG>.interlaminar``: the same in the midline, reached by the midline ray at that caudal tilt
      (or a steeper one, up to 30 degrees more, where the spinous process above covers the window);
    * ``<SEG>.ligamentum-flavum``: inside the ligament near the midline at the height of that point;
    * ``<SEG>.posterior-epidural-space``: just in front of the ligament (0.3-2.5 mm), within 3 mm of the
      midline, clear of bone and the dura, reached by the paramedian needle paths from both sides
      (from the right side only where both do not fit).
    Points that cannot be found keep their nominal place (the ligament's middle)."""
    from .anatomy import zones
    from .spine import build_spine

    sp = build_spine()
    z = zones()
    names = list(sp.vertebrae)
    for upper, v in sp.vertebrae.items():
        if v.region not in UPPER_INTERLAMINAR_APPROACH or upper == "T12":
            continue
        lower = _lower_name(upper)
        # the two vertebrae and their neighbours (the spinous process above overhangs the window; the
        # caudally tilted path passes over the one below); the ribs lie well lateral to these paths
        i = names.index(upper)
        all_bones = [n for n in names[max(0, i - 2):i + 3] if n in z] + (["C2"] if i < 2 and "C2" in z else [])
        seg = f"{upper}-{lower}"
        lf = f"{seg}.ligamentum-flavum"
        if lf not in z or lf not in out:
            continue
        c = v.local_of(out[lf])
        ys = c[1] + np.arange(-6.0, 8.01, 0.5)
        zs = c[2] + np.arange(-12.0, 12.01, 0.5)
        _, cc = UPPER_INTERLAMINAR_APPROACH[v.region]
        sides = {sd: upper_interlaminar_direction(seg, sd) for sd in SIDES}

        def best(local, cost, checks, directions, margin=0.75):
            world = v.frame.point(local)
            idx = np.nonzero(_passing(world, cost, checks))[0]
            if len(idx) == 0:
                return None
            # cheapest first, in batches: the path penalty is at most 0.9, so stop once the next batch
            # cannot beat the best found
            idx = idx[np.argsort(cost[idx], kind="stable")]
            best_c, best_i = np.inf, None
            for k in range(0, len(idx), 64):
                part = idx[k:k + 64]
                if cost[part[0]] >= best_c:
                    break
                clr = np.array([path_clearance(world[part], dd, all_bones, start=0.5) for dd in directions]).min(axis=0)
                cc_ = cost[part] + 0.3 * np.maximum(0.0, 3.0 - clr)
                cc_[clr <= margin] = np.inf
                j = int(np.argmin(cc_))
                if cc_[j] < best_c:
                    best_c, best_i = cc_[j], part[j]
            return None if best_i is None else world[best_i]

        def behind(direction):
            return [near_surface([lf], 0.3, 1.5), clear_of(all_bones, 1.5),
                    lambda w: path_clearance(w, direction, [lf], start=0.5) > 0.0]

        for side, s in SIDES.items():
            x_pref = s * 4.5
            local = _grid(s * np.arange(3.0, 7.51, 0.5), ys, zs)
            cost = np.abs(local[:, 0] - x_pref) + 0.1 * np.abs(local[:, 2] - c[2])
            found = best(local, cost, behind(sides[side]), [sides[side]])
            if found is not None:
                out[f"{seg}.{side}.interlaminar"] = found
        # the midline point; where the spinous processes meet over the midline (the lower neck), the point
        # nearest to it (within 3 mm) that the ray reaches
        # (within 5 mm at C7-T1 and T1-T2, where the long C7 and T1 spinous processes cover the midline)
        mid = None
        for half in (3.0, 5.0):
            local = _grid(np.arange(-half, half + 0.01, 0.5), ys, zs)
            cost = np.abs(local[:, 0]) + 0.1 * np.abs(local[:, 2] - c[2])
            for extra in (0.0, -10.0, -20.0, -30.0):
                d = beam_direction("prone", 0.0, cc + extra)
                mid = best(local, cost, behind(d), [d])
                if mid is not None:
                    break
            if mid is not None:
                out[f"{seg}.interlaminar"] = mid
                break
        zl = v.local_of(out[f"{seg}.interlaminar"])[2]
        xl = v.local_of(out[f"{seg}.interlaminar"])[0]
        local = _grid(np.arange(-5.0, 5.01, 0.5), ys, np.arange(zl - 3.0, zl + 3.01, 0.25))
        lfc = _search(v.frame, local, np.abs(local[:, 2] - zl) + np.abs(local[:, 0] - xl) + 0.5 * np.abs(local[:, 0]),
                      [inside([lf], 0.3), clear_of(all_bones, 1.0), clear_of(["thecal-sac"], 0.3)])
        if lfc is not None:
            out[lf] = lfc
        # the posterior epidural space: in front of the ligament (the needle path leaves through it), as
        # near the midline as the window allows (within 5 mm: in the lower neck the dural sac lies against
        # the ligament in the midline); the dura kept 0.7 mm away, 0.3 mm where the space is thinner
        local = _grid(np.arange(-5.0, 5.01, 0.5), ys, zs)
        cost = np.abs(local[:, 0]) + 0.3 * np.abs(local[:, 2] - zl)
        epi = None
        for sac, bone in ((0.7, 1.5), (0.3, 1.0)):
            front = [near_surface([lf], 0.3, 2.5), clear_of(all_bones, bone), clear_of(["thecal-sac"], sac),
                     lambda w: path_clearance(w, sides["R"], [lf], start=0.5) < 0.0]
            epi = best(local, cost, front, list(sides.values()), margin=0.5)
            if epi is None:
                epi = best(local, cost, front, [sides["R"]], margin=0.5)
            if epi is not None:
                out[f"{seg}.posterior-epidural-space"] = epi
                break


def _surface_point(nominal: np.ndarray, bones: list, touch: list, required: list, preferred: list = (),
                   avoid: list = (), lo: float = 0.3, hi: float = 1.2, radius: float = 7.0, step: float = 0.5,
                   touch_hi: float | None = None):
    """The point nearest ``nominal`` that lies ``lo``-``hi`` mm outside the named bones (on their surface),
    within ``touch_hi`` mm of each bone in ``touch``, clear of ``avoid`` (roots) by 1.5 mm, and reached
    by a straight ray along every direction in ``required`` (preferably also along ``preferred``)
    without crossing bone or root.  None if nothing qualifies."""
    r = np.arange(-radius, radius + 1e-6, step)
    pts = nominal[None, :] + _grid(r, r, r)
    d2 = np.sum((pts - nominal) ** 2, axis=1)
    pts, d2 = pts[d2 <= radius ** 2], d2[d2 <= radius ** 2]
    f = min_field(bones, pts)
    ok = (f >= lo) & (f <= hi)
    th = hi if touch_hi is None else touch_hi
    for b in touch:
        idx = np.nonzero(ok)[0]
        ok[idx] = min_field([b], pts[idx]) <= th
    if avoid:
        idx = np.nonzero(ok)[0]
        ok[idx] = min_field(list(avoid), pts[idx]) > 1.5
    idx = np.nonzero(ok)[0]
    if len(idx) == 0:
        return None
    names = list(bones) + list(avoid)
    # nearest first: the first 48 candidates the required rays reach, then the preferred rays among them
    idx = idx[np.argsort(d2[idx])]
    kept = []
    for i in range(0, len(idx), 96):
        part = idx[i:i + 96]
        good = np.ones(len(part), bool)
        for d in required:
            good &= path_clearance(pts[part], d, names, start=0.5) > 0.2
        kept += list(part[good])
        if len(kept) >= 48:
            break
    if not kept:
        return None
    idx = np.array(kept[:48])
    cost = np.sqrt(d2[idx])
    for d in preferred:
        cost = cost + 4.0 * (path_clearance(pts[idx], d, names, start=0.5) <= 0.2)
    return pts[idx[int(np.argmin(cost))]].astype(float)


def surface_targets(out: dict) -> None:
    """Targets for a needle resting on bone or entering a joint recess, moved from their nominal place
    (the old fixed offsets) to the nearest point just outside the bone from which the usual approach
    reaches them in a straight line:

    * ``<SEG>.<S>.facet-joint.inferior-recess``: 0.3-1.5 mm outside bone, within 2.5 mm of both articular
      processes (the capsule's lower recess at the joint's lower end); lumbar: reached at the 30 degree
      ipsilateral oblique with the endplates squared (the facet skin entry), thoracic: from the squared
      AP, cervical: preferably from a 15 degree oblique with 30 degrees caudal tilt (the images' approach);
    * ``L<n>.<S>.sap-tp-junction``: on the bone (0.3-1.2 mm out) where the SAP meets the upper border of the
      transverse process, reached at a 15 degree ipsilateral oblique (squared) and preferably with a
      25 degree caudal tilt (radiofrequency);
    * ``S1.<S>.sap-ala-junction``: on the sacrum in the groove where the S1 SAP meets the ala, reached at a
      10 degree oblique with 15 degrees cranial tilt and by a caudal-oblique path (see :func:`alar_groove_point`).
    """
    from .landmarks import squaring_tilt
    from .spine import build_spine

    sp = build_spine()
    roots = list(root_names())
    for upper, v in sp.vertebrae.items():
        lower = _lower_name(upper)
        seg = f"{upper}-{lower}"
        lower_bone = "sacrum" if lower == "S1" else lower
        bones = [upper, lower_bone]
        if v.region == "thoracic":
            n = int(upper[1:])
            bones += [f"rib{k}.{sd}" for k in (n, n + 1) for sd in SIDES]
        for side, s in SIDES.items():
            sign = 1.0 if side == "R" else -1.0
            name = f"{seg}.{side}.facet-joint.inferior-recess"
            if name in out:
                if v.region == "lumbar" or upper == "T12":
                    req, pref = [beam_direction("prone", sign * 30.0, squaring_tilt(seg))], []
                elif v.region == "thoracic":
                    req, pref = [beam_direction("prone", 0.0, squaring_tilt(seg))], []
                else:
                    req, pref = [], [beam_direction("prone", sign * 15.0, -30.0)]
                found = _surface_point(np.asarray(out[name], float), bones, [upper, lower_bone], req, pref,
                                       avoid=roots, lo=0.3, hi=1.5, touch_hi=2.5)
                if found is not None:
                    out[name] = found
            name = f"{upper}.{side}.sap-tp-junction"
            if name in out and v.region == "lumbar":
                above = _upper_name(upper)
                tilt = squaring_tilt(f"{above}-{upper}") if above else 0.0
                found = _surface_point(np.asarray(out[name], float), [upper] + ([above] if above else []), [upper],
                                       [beam_direction("prone", sign * 15.0, tilt)],
                                       [beam_direction("prone", sign * 15.0, -25.0)], avoid=roots)
                if found is not None:
                    out[name] = found
    for side in SIDES:
        sign = 1.0 if side == "R" else -1.0
        name = f"S1.{side}.sap-ala-junction"
        if name in out:
            found = alar_groove_point(np.asarray(out[name], float), side, roots)
            if found is None:
                found = _surface_point(np.asarray(out[name], float), ["sacrum", "L5"], ["sacrum"],
                                       [beam_direction("prone", sign * 10.0, 15.0)],
                                       [beam_direction("prone", sign * 10.0, -20.0)], avoid=roots)
            if found is not None:
                out[name] = found


# The L5 dorsal ramus approaches (approximations matching the atlas's images): the block needle from a
# 10 degree ipsilateral oblique with 15 degrees cranial tilt, and the radiofrequency electrode laid along
# the alar groove from a caudal-oblique entry (tried in this order; the first the groove allows is kept).
ALAR_CRANIAL = (10.0, 15.0)
ALAR_CAUDAL = ((10.0, -20.0), (10.0, -15.0), (0.0, -20.0), (0.0, -15.0))


def alar_groove_point(nominal: np.ndarray, side: str, roots: list, radius: float = 10.0) -> np.ndarray | None:
    """``S1.<S>.sap-ala-junction`` in the groove between the S1 superior articular process and the ala:
    0.3-1.2 mm off the bone, with sacral bone within 2.5 mm medial to it (the SAP) and 2.5 mm below it
    (the ala), 1.5 mm clear of the roots, reached in a straight line both by the block needle
    (:data:`ALAR_CRANIAL`) and by a caudal-oblique electrode (:data:`ALAR_CAUDAL`); the nearest such
    point to ``nominal``.  In this phantom the dorsal surface of the sacrum below the groove blocks the
    caudal paths to the lower part of the groove, so the point found lies higher in it (5-8 mm above the
    nominal point, toward the upper border of the ala)."""
    sign = 1.0 if side == "R" else -1.0
    medial = np.array([sign, 0.0, 0.0])  # +x is the patient's left: the right side's medial is +x
    r = np.arange(-radius, radius + 1e-6, 0.5)
    pts = nominal[None, :] + _grid(r, r, r)
    d2 = np.sum((pts - nominal) ** 2, axis=1)
    keep = d2 <= radius ** 2
    pts, d2 = pts[keep], d2[keep]
    f = min_field(["sacrum", "L5"], pts)
    idx = np.nonzero((f >= 0.3) & (f <= 1.2))[0]
    if len(idx) == 0:
        return None
    sac = ["sacrum"]
    idx = idx[(min_field(sac, pts[idx] + 2.5 * medial) < 0.0) & (min_field(sac, pts[idx] - np.array([0.0, 0.0, 2.5])) < 0.0)]
    if len(idx) == 0:
        return None
    idx = idx[min_field(roots, pts[idx]) > 1.5]
    names = ["sacrum", "L5"] + list(roots)
    obl, cc = ALAR_CRANIAL
    idx = idx[path_clearance(pts[idx], beam_direction("prone", sign * obl, cc), names, start=0.5) > 0.2]
    for obl, cc in ALAR_CAUDAL:
        if len(idx) == 0:
            return None
        both = idx[path_clearance(pts[idx], beam_direction("prone", sign * obl, cc), names, start=0.5) > 0.2]
        if len(both):
            return pts[both[int(np.argmin(d2[both]))]].astype(float)
    return None


def _upper_name(lower: str) -> str | None:
    from .spine import build_spine

    names = list(build_spine().vertebrae)
    i = names.index(lower)
    return names[i - 1] if i > 0 else None
