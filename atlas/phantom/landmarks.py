"""Named landmarks: points (and a few small curves) for targets, entries and danger structures.

Naming scheme (documented with every definition in docs/landmarks.md):

    <level or segment>.<side>.<feature>     e.g. L4.R.pedicle, L4-L5.R.safe-triangle
    <level or segment>.<feature>            midline, e.g. L4-L5.interlaminar, C2.dens-tip
    <structure>.<side>[.<feature>]          e.g. SIJ.R.inferior-third, piriformis.L
    <structure>[.<feature>]                 e.g. sacral-hiatus, aorta.bifurcation

``side`` is ``L`` or ``R`` (the patient's left or right).  Levels: C1..C7,
T1..T12, L1..L5, S1..S5; segments join two adjacent levels (``C7-T1``).
Skin entries are computed, not stored: ``<target>.skin-entry`` style names
are listed in :func:`skin_entry_names` and placed where the tunnel-view line
through the target leaves the skin.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from .alignment import build_alignment
from .carm import beam_direction
from .sdf import exit_point

_DEFINITIONS: dict[str, str] = {}


def _define(pattern: str, text: str) -> None:
    _DEFINITIONS[pattern] = text


_define("<V>.body-centre", "Centre of the vertebral body (midway between the endplates, mid-width, mid-depth).")
_define("<V>.superior-endplate", "Centre of the superior endplate.")
_define("<V>.inferior-endplate", "Centre of the inferior endplate (on an AP view it projects onto the spinous process: point arrows at the lateral ends).")
_define("<V>.<S>.superior-endplate.lateral", "Lateral end of the superior endplate (2.5 mm inside the lateral cortex, mid-depth): where an arrow to the endplate points on an AP view.")
_define("<V>.<S>.inferior-endplate.lateral", "Lateral end of the inferior endplate (2.5 mm inside the lateral cortex, mid-depth): where an arrow to the endplate points on an AP view.")
_define("<V>.body-anterior", "Mid-height of the anterior cortex of the body, mid-sagittal.")
_define("<V>.body-posterior", "Mid-height of the posterior cortex of the body, mid-sagittal.")
_define("<V>.pedicles", "Mid-point between the two pedicle centres (the pedicle level, for axial CT).")
_define("<V>.<S>.pedicle", "Centre of the pedicle at its isthmus (narrowest part); the 'eye' of the Scotty dog.")
_define("<V>.<S>.pedicle-top", "Superior cortex of the pedicle at its isthmus.")
_define("<V>.<S>.pedicle-bottom", "Inferior cortex of the pedicle at its isthmus (roof of the foramen below).")
_define("<V>.<S>.pedicle-medial", "Medial cortex of the pedicle (the line a transpedicular needle must not cross before the body).")
_define("<V>.<S>.pedicle-lateral", "Lateral cortex of the pedicle.")
_define("<V>.<S>.pedicle-entry", "Posterior entry point of the pedicle axis (transpedicular approach).")
_define("<V>.<S>.pillar", "Junction of pedicle, lamina, transverse and articular processes.")
_define("<V>.<S>.lamina", "Posterior surface of the lamina at its middle.")
_define("<V>.<S>.lamina-inferior", "Inferior edge of the lamina (upper border of the interlaminar window below).")
_define("<V>.<S>.lamina-superior", "Superior edge of the lamina (lower border of the interlaminar window above).")
_define("<SEG>.<S>.foramen-posteroinferior", "Posterior-inferior thoracic foramen: in front of the superior articular process of the level below, just above its pedicle (thoracic transforaminal target, below the exiting root).")
_define("segmental-artery.<S>.<V>", "Segmental (posterior intercostal or lumbar) artery beside the named body near the foramen, where it gives its spinal branch.")
_define("artery-of-adamkiewicz", "Artery of Adamkiewicz (arteria radicularis magna) entering the left T10-T11 foramen with the root (commonest course: left, T9-T12).")
_define("artery-of-adamkiewicz.hairpin", "Hairpin turn of the artery of Adamkiewicz on the front of the cord, where it joins the anterior spinal artery.")
_define("<V>.<S>.transverse-process", "Middle of the transverse process ('nose' of the Scotty dog in the lumbar spine).")
_define("<V>.<S>.tp-tip", "Lateral tip of the transverse process.")
_define("<V>.<S>.tp-root", "Root of the transverse process at the pillar.")
_define("<V>.<S>.sap", "Middle of the superior articular process ('ear' of the Scotty dog).")
_define("<V>.<S>.sap-tip", "Tip of the superior articular process.")
_define("<V>.<S>.iap", "Middle of the inferior articular process ('front leg' of the Scotty dog).")
_define("<V>.<S>.iap-tip", "Tip of the inferior articular process.")
_define("<V>.<S>.pars", "Pars interarticularis: the bone between the superior and inferior articular processes ('neck' of the Scotty dog).")
_define("L<n>.<S>.sap-tp-junction", "Junction of the superior articular process with the root of the transverse process: where the medial branch of the dorsal ramus from the level above crosses (lumbar medial branch block target): on the bone surface, where the needle tip rests.")
_define("<V>.spinous-process", "Middle of the spinous process.")
_define("<V>.spinous-tip", "Posterior tip of the spinous process.")
_define("<V>.lamina-junction", "Spinolaminar junction (midline).")
_define("<V>.body-anterior-third", "Junction of the anterior and middle thirds of the body, mid-height, midline (vertebroplasty needle tip; cement and balloon patterns at this point).")
_define("<V>.<S>.body-anterior-third", "Junction of the anterior and middle thirds of the body, mid-height, in the half of the body on that side (bipedicular kyphoplasty or vertebroplasty tip).")
_define("<SEG>.<S>.safe-triangle", "Safe triangle (Bogduk): just beneath the pedicle at its 6 o'clock position, in the posterosuperior foramen, superolateral to the exiting nerve root and lateral to the thecal sac (lumbar transforaminal target).")
_define("<SEG>.<S>.foramen", "Centre of the intervertebral foramen.")
_define("<SEG>.<S>.kambin-triangle", "Kambin's triangle over the posterolateral disc, bounded by the exiting root, the superior articular process and the endplate below (disc access).")
_define("<SEG>.<S>.facet-joint", "Centre of the zygapophyseal joint space.")
_define("<SEG>.<S>.facet-joint.superior-recess", "Superior recess of the facet joint capsule.")
_define("<SEG>.<S>.facet-joint.inferior-recess", "Inferior recess of the facet joint capsule at the lower end of the joint, just outside both articular processes (usual intra-articular needle target).")
_define("<SEG>.ligamentum-flavum", "Ligamentum flavum in the midline of the interlaminar window.")
_define("<SEG>.interlaminar", "Midline of the interlaminar window at the posterior surface of the ligamentum flavum (at C7-T1 and T1-T2, where the long spinous processes cover the midline, the nearest open point, up to 5 mm to one side).")
_define("<SEG>.<S>.interlaminar", "Paramedian point in the interlaminar window (paramedian interlaminar approach).")
_define("<SEG>.posterior-epidural-space", "Posterior epidural space just deep to the ligamentum flavum (interlaminar target).")
_define("<SEG>.disc-centre", "Centre of the intervertebral disc (nucleus).")
_define("<SEG>.<S>.disc-posterolateral", "Posterolateral annulus entry point for discography (extrapedicular approach).")
_define("<SEG>.<S>.disc-anterolateral", "Anterolateral annulus entry point (cervical anterior approach).")
_define("<V>.<S>.drg", "Dorsal root ganglion in the foramen below the pedicle.")
_define("<V>.<S>.nerve-root", "Point on the exiting spinal nerve just lateral to the foramen.")
_define("S<n>.<S>.posterior-foramen", "Posterior (dorsal) sacral foramen: S1 transforaminal target at the S1 level.")
_define("S<n>.<S>.anterior-foramen", "Anterior (pelvic) sacral foramen.")
_define("S<n>.<S>.foramen", "Sacral foramen between the posterior and anterior openings.")
_define("S1.<S>.sap", "S1 superior articular process (L5-S1 facet).")
_define("S1.<S>.sap-ala-junction", "Junction of the S1 superior articular process and the sacral ala: L5 dorsal ramus target (on the bone surface).")
_define("S1.<S>.ala", "Sacral ala.")
_define("S1.<S>.pedicle", "S1 pedicle region (for S1 foramen alignment).")
_define("S5.<S>.cornu", "Sacral cornu beside the hiatus.")
_define("sacral-hiatus", "Sacral hiatus: caudal opening of the sacral canal between the cornua (caudal epidural entry).")
_define("sacral-hiatus.apex", "Apex of the sacral hiatus (upper end of the opening).")
_define("sacral-canal.S2", "Sacral canal at S2 (caudal needle should stay below the dural sac, which ends near S2).")
_define("sacral-canal.S3", "Sacral canal at S3 (caudal epidural needle tip).")
_define("sacral-promontory", "Anterior superior margin of S1.")
_define("dural-sac-end", "Caudal end of the thecal sac (about S2).")
_define("coccyx", "Coccyx (second segment).")
_define("coccyx.tip", "Tip of the coccyx.")
_define("SIJ.<S>.centre", "Centre of the sacroiliac joint space.")
_define("SIJ.<S>.inferior-third", "Posterior joint line in the inferior third of the sacroiliac joint (usual injection target).")
_define("SIJ.<S>.posterior-inferior", "Lowest part of the posterior sacroiliac joint line.")
_define("SIJ.<S>.superior", "Upper part of the sacroiliac joint.")
_define("sacroplasty.<S>.bone-entry", "Long-axis sacroplasty entry on the dorsal sacrum: midway between the lower end of the sacroiliac joint and the lateral edge of the S3 dorsal foramen; the cannula runs from here up the ala toward S1 (its skin entry is sacroplasty.<S>.skin-entry).")
_define("sacroplasty.<S>.target", "Long-axis sacroplasty cannula tip: the upper ala, midway between the lateral edge of the S1 ventral foramen and the upper sacroiliac joint.")
_define("pelvis.<S>.psis", "Posterior superior iliac spine.")
_define("pelvis.<S>.asis", "Anterior superior iliac spine.")
_define("pelvis.<S>.iliac-crest", "Summit of the iliac crest.")
_define("pelvis.<S>.ischial-spine", "Ischial spine.")
_define("pelvis.<S>.ischial-tuberosity", "Ischial tuberosity.")
_define("pelvis.<S>.greater-sciatic-notch", "Apex of the greater sciatic notch.")
_define("pelvis.<S>.acetabulum", "Centre of the acetabulum.")
_define("femur.<S>.head", "Centre of the femoral head.")
_define("femur.<S>.greater-trochanter", "Greater trochanter.")
_define("piriformis.<S>", "Piriformis muscle lateral to the greater sciatic notch (injection target).")
_define("piriformis.<S>.belly", "Piriformis muscle belly between the notch and the greater trochanter.")
_define("piriformis.<S>.origin", "Piriformis at its origin on the anterior sacrum beside the S1-S3 foramina.")
_define("gluteus-maximus.<S>", "Gluteus maximus over the posterior pelvis.")
_define("iliacus.<S>", "Iliacus in the iliac fossa (inner face of the iliac wing), at the level of the S1 anterior foramina.")
_define("gluteus-medius.<S>", "Gluteus medius on the outer (gluteal) surface of the iliac wing, at the level of the S1 anterior foramina.")
_define("gluteus-minimus.<S>", "Gluteus minimus deep to gluteus medius on the gluteal surface of the iliac wing, at the level of the S1 anterior foramina.")
_define("sciatic-nerve.<S>", "Sciatic nerve as it leaves the greater sciatic notch below the piriformis.")
_define("aorta.bifurcation", "Aortic bifurcation (about L4).")
_define("kidney.<S>", "Centre of the kidney.")
_define("kidney.<S>.lower-pole", "Lower pole of the kidney (danger for upper lumbar approaches).")
_define("kidney.<S>.upper-pole", "Upper pole of the kidney.")
_define("psoas.<S>.<V>", "Psoas major beside the named vertebral body.")
_define("<V>.<S>.sap-base", "Base of the superior articular process where it rises from the pillar.")
_define("<V>.spinous-base", "Base of the spinous process at the junction of the laminae.")
_define("<V>.<S>.tp-superior", "Upper border of the transverse process near its root (lumbar medial branch course).")
_define("T<n>.<S>.costotransverse-facet", "Costal facet at the tip of the transverse process (costotransverse joint).")
_define("C<n>.<S>.foramen-transversarium", "Foramen transversarium (vertebral artery canal; C6 to C1 carry the artery).")
_define("C<n>.<S>.anterior-tubercle", "Anterior tubercle of the transverse process (at C6: Chassaignac's carotid tubercle).")
_define("C<n>.<S>.posterior-tubercle", "Posterior tubercle of the transverse process.")
_define("C<n>.<S>.body-tp-junction", "Junction of the vertebral body and the root of the transverse process (fluoroscopic stellate ganglion block target at C6 or C7).")
_define("C<n>.<S>.articular-pillar", "Centre of the articular pillar (lateral mass).")
_define("C<n>.<S>.articular-pillar-waist", "Waist (concavity) of the articular pillar on its lateral aspect: cervical medial branch target.")
_define("C<n>.<S>.medial-branch", "Course of the medial branch of the dorsal ramus across the waist of the articular pillar.")
_define("C<n>.<S>.uncinate-process", "Uncinate process on the posterolateral rim of the superior endplate.")
_define("S<n>.body-centre", "Centre of the sacral segment's body (S2 to S5).")
_define("S1.superior-endplate", "Centre of the S1 superior endplate (on an AP view it lies under the L5 spinous process: point arrows at the lateral ends).")
_define("S1.<S>.superior-endplate.lateral", "Lateral end of the S1 superior endplate (2.5 mm inside the notch where the endplate meets the ala, mid-depth, 1 mm under the endplate surface): where an arrow to the S1 endplate points on an AP view.")
_define("S1.<S>.sap-tip", "Tip of the S1 superior articular process.")
_define("S1.body-centre", "Centre of the S1 body.")
_define("S<n>.<S>.nerve-root", "Sacral nerve root (ventral ramus) at the anterior sacral foramen.")
_define("C1-C2.<S>.lateral-atlantoaxial-joint", "Centre of the lateral atlanto-axial joint space (injection target).")
_define("C1-C2.<S>.lateral-atlantoaxial-joint.lateral", "Lateral part of the lateral atlanto-axial joint (posterior approach aims at the lateral third, away from the C2 ganglion).")
_define("C1-C2.posterior-canal", "Dorsal subarachnoid space at the C1-C2 interspace, halfway between the back of the cord and the dura (lateral C1-C2 puncture target).")
_define("C1.<S>.flare-point", "Flare point: where the posterior arch of C1 widens into the lateral mass (on the lateral view, on average, the dorsal margin of the cord).")
_define("C1.<S>.lateral-mass.medial", "Medial cortex of the C1 lateral mass (the lateral mass-dens interval on the open-mouth view).")
_define("C2.body-posterior", "Posterior cortex of the C2 body, mid-sagittal.")
_define("C2.dens-posterior", "Back of the dens at mid-height (anterior wall of the canal at C1).")
_define("C2.<S>.nerve-root", "C2 ventral ramus lateral to its ganglion, behind the vertebral artery.")
_define("C1-C2.interlaminar", "Midline between the posterior arch of C1 and the laminae of C2.")
_define("C1.<S>.lateral-mass", "Centre of the lateral mass of the atlas.")
_define("C1.<S>.lateral-mass.posterior", "Posterior surface of the C1 lateral mass (posterior cementoplasty entry region).")
_define("C1.<S>.vertebral-artery-groove", "Groove for the vertebral artery on the upper surface of the C1 posterior arch.")
_define("C1.<S>.transverse-process", "Tip of the C1 transverse process.")
_define("C1.<S>.foramen-transversarium", "C1 foramen transversarium.")
_define("C1.anterior-arch", "Anterior arch of the atlas.")
_define("C1.anterior-tubercle", "Anterior tubercle of the atlas (transoral target region).")
_define("C1.posterior-arch", "Posterior arch of the atlas (midline).")
_define("C1.posterior-tubercle", "Posterior tubercle of the atlas.")
_define("C1.body-centre", "Centre of the atlas ring (C1 has no body: the point the ring surrounds).")
_define("C2.dens", "Odontoid process (dens) of the axis.")
_define("C2.dens-base", "Base of the dens.")
_define("C2.dens-tip", "Tip of the dens.")
_define("C2.body-anterior", "Anterior surface of the C2 body.")
_define("C2.<S>.pars", "Pars interarticularis (isthmus) of C2.")
_define("C2.<S>.drg", "C2 dorsal root ganglion, behind the lateral atlanto-axial joint between the C1 arch and the C2 lamina.")
_define("C2-C3.<S>.third-occipital-nerve", "Third occipital nerve where it crosses the lateral aspect of the C2-C3 facet joint.")
_define("C2-C3.<S>.third-occipital-nerve.middle", "Lateral aspect of the C2-C3 joint at the joint line, 5 mm below the usual crossing of the third occipital nerve (middle RF placement).")
_define("C2-C3.<S>.third-occipital-nerve.lower", "Lateral aspect of the C3 superior articular process, 10 mm below the usual crossing of the third occipital nerve (lower RF placement).")
_define("<SEG>.<S>.transforaminal-target", "Cervical transforaminal target: posterior half of the foramen just anterior to the superior articular process, away from the vertebral artery in front.")
_define("T<n>.<S>.rib-head", "Head of the rib at its costovertebral joint with this thoracic body.")
_define("T<n>.<S>.rib-neck", "Neck of the rib between its head and tubercle.")
_define("T<n>.<S>.costovertebral-joint", "Costovertebral joint space between the rib head and the body.")
_define("T<n>.<S>.costotransverse-joint", "Costotransverse joint between the rib tubercle and the transverse process.")
_define("T<n>.<S>.parapedicular-entry", "Parapedicular (costovertebral) entry lateral to the pedicle, between it and the rib head.")
_define("rib<n>.<S>.angle", "Angle of the rib, lateral to its tubercle.")
_define("rib<n>.<S>.neck", "Neck of the first rib (stellate ganglion lies in front of it).")
_define("aorta.<V>", "Descending aorta beside the named thoracic body.")
_define("carotid.<S>.<V>", "Common carotid artery at the named level (at C6 it lies lateral to the path to the C6 tubercle).")
_define("carotid.<S>.bifurcation", "Carotid bifurcation (about C4).")
_define("jugular.<S>.<V>", "Internal jugular vein at the named level.")
_define("vertebral-artery.<S>.<V>", "Vertebral artery in the foramen transversarium of the named vertebra.")
_define("stellate-ganglion.<S>", "Stellate (cervicothoracic) ganglion over the neck of the first rib at C7-T1.")
_define("thyroid.<S>", "Thyroid lobe.")
_define("thyroid.isthmus", "Thyroid isthmus in front of the upper trachea.")
_define("trachea.C7", "Trachea at C7.")
_define("larynx.C5", "Larynx (airway) at C5.")
_define("oesophagus.C6", "Upper oesophagus at C6 (behind the trachea, slightly left).")
_define("oesophagus.<V>", "Oesophagus in the posterior mediastinum beside the named thoracic body (right of the descending aorta, behind the heart).")
_define("cricoid", "Cricoid cartilage, anterior arch (C6): the ring at the top of the trachea.")
_define("sternum.manubrium", "Manubrium of the sternum.")
_define("sternum.jugular-notch", "Jugular (suprasternal) notch at the top of the manubrium (about the T2-T3 disc level).")
_define("C2.<S>.foramen-transversarium.exit", "Lateral exit of the L-shaped C2 foramen transversarium, where the vertebral artery turns up lateral to the C1-C2 joint.")
_define("oropharynx.posterior-wall", "Posterior pharyngeal wall in front of C2 (transoral approach).")
_define("transoral-entry", "Open mouth between the incisors: transoral working channel.")
_define("transmaxillary-entry.<S>", "Anterior wall of the maxillary sinus (transmaxillary CT approach to C1-C2).")
_define("maxillary-sinus.<S>", "Maxillary sinus.")
_define("incisors.upper", "Edge of the upper central incisors.")
_define("incisors.lower", "Edge of the lower central incisors (mouth open).")
_define("mandible.<S>.angle", "Angle of the mandible.")
_define("mandible.<S>.condyle", "Mandibular condyle.")
_define("mandible.symphysis", "Mandibular symphysis (chin).")
_define("occiput.<S>.condyle", "Occipital condyle (atlanto-occipital joint).")
_define("occiput.<S>.mastoid", "Mastoid process.")
_define("occiput.basion", "Basion: anterior margin of the foramen magnum.")
_define("occiput.opisthion", "Opisthion: posterior margin of the foramen magnum.")
_define("clivus", "Clivus (basiocciput).")
_define("skull.vertex", "Vertex of the skull.")
_define("sternum", "Body of the sternum.")
_define("clavicle.<S>", "Clavicle, medial third.")
_define("scapula.<S>", "Scapular blade.")
_define("humerus.<S>.head", "Humeral head.")
_define("S1.<S>.posterior-foramen.superolateral", "Superolateral quadrant of the dorsal S1 foramen (S1 transforaminal needle target, away from the root).")
_define("L5.<S>.ventral-ramus", "L5 ventral ramus where it crosses the front of the sacral ala toward the lumbosacral trunk.")
_define("internal-iliac-artery.<S>", "Internal iliac artery on the pelvic side wall in front of the sacroiliac joint.")
_define("superior-gluteal-artery.<S>", "Superior gluteal artery leaving the pelvis through the greater sciatic notch above the piriformis.")
_define("inferior-gluteal-artery.<S>", "Inferior gluteal artery leaving the pelvis below the piriformis.")
_define("<target>.skin-entry", "Computed: where the tunnel-view line through the target leaves the skin (see skin_entry_names).")


def _world_points() -> dict[str, np.ndarray]:
    from . import cervical, soft_tissue, thoracic
    from .sacropelvis import build_sacropelvis
    from .spine import build_spine

    out: dict[str, np.ndarray] = {}
    sp = build_spine()
    for name, v in sp.vertebrae.items():
        for key, local in v.points.items():
            out[f"{name}.{key}"] = v.W(local)
        if "L.pedicle" in v.points:
            out[f"{name}.pedicles"] = v.W(0.5 * (v.points["L.pedicle"] + v.points["R.pedicle"]))
        # vertebral augmentation targets: junction of the anterior and middle thirds of the body
        D, W2 = v.p.endplate_depth, v.p.endplate_width / 2
        out[f"{name}.body-anterior-third"] = v.W([0.0, -D / 6, 0.0])
        for side, s in (("L", 1.0), ("R", -1.0)):
            out[f"{name}.{side}.body-anterior-third"] = v.W([s * W2 * 0.45, -D / 6, 0.0])
    out.update(build_sacropelvis().points)
    out.update(soft_tissue.extra_points())
    for mod in (cervical, thoracic):
        if hasattr(mod, "points"):
            out.update(mod.points())
    _posterior_subarachnoid(out)
    _cervical_transforaminal(out)
    from . import targets

    targets.safe_triangles(out)
    targets.kambin_triangles(out)
    targets.interlaminar_targets(out)
    targets.surface_targets(out)
    al = build_alignment()
    for seg, pose in al.discs.items():
        out[f"{seg}.disc-centre"] = pose.frame.origin.copy()
        upper, lower = seg.split("-")
        v = sp.vertebrae.get(upper)
        if v is None:
            continue
        w = v.p.endplate_width / 2
        d = v.p.endplate_depth / 2
        for side, s in (("L", 1.0), ("R", -1.0)):
            out[f"{seg}.{side}.disc-posterolateral"] = pose.frame.point([s * w * 0.72, d * 0.62, 0.0])
            out[f"{seg}.{side}.disc-anterolateral"] = pose.frame.point([s * w * 0.55, -d * 0.8, 0.0])
    return out


def _posterior_subarachnoid(out: dict) -> None:
    """``C1-C2.posterior-canal``: the dorsal subarachnoid space at the C1-C2 interspace, halfway between the
    back of the cord and the inside of the dura (lateral C1-C2 puncture target), found on the built shapes."""
    from .anatomy import zones

    z = zones()
    cord, csf = z["spinal-cord"], z["csf"]
    a = out["C1-C2.interlaminar"]
    # the cord's centre at this height: the middle of its inside run along an antero-posterior line
    ys = np.arange(-60.0, 20.0, 0.2)
    line = np.stack([np.zeros_like(ys), a[1] + ys, np.full_like(ys, a[2])], axis=1).astype(np.float32)
    fc = np.asarray(cord(line[:, 0], line[:, 1], line[:, 2]))
    fs = np.asarray(csf(line[:, 0], line[:, 1], line[:, 2]))
    inside = np.nonzero(fc < 0)[0]
    if len(inside) == 0:
        return
    back = inside.max()  # last cord sample going posteriorly
    dura = back + int(np.argmax(fs[back:] > 0))  # first sample behind it outside the CSF
    out["C1-C2.posterior-canal"] = line[(back + dura) // 2].astype(float)


def _cervical_transforaminal(out: dict) -> None:
    """Cervical transforaminal targets: in the posterior foramen just in front of the superior articular
    process, above the exiting root and well behind the vertebral artery, at the middle of the articular
    pillar on an AP view (found on the built shapes)."""
    from .anatomy import zones
    from .spine import build_spine

    z, sp = zones(), build_spine()
    order = ["C2", "C3", "C4", "C5", "C6", "C7", "T1"]
    roots = {"C3": "C3", "C4": "C4", "C5": "C5", "C6": "C6", "C7": "C7", "T1": "C8"}
    for up, lo in zip(order[:-1], order[1:]):
        lv = sp.vertebrae[lo]
        pil_v = lv if lo != "T1" else sp.vertebrae["C7"]
        H = lv.p.body_height_posterior
        zf = H / 2 + (4.0 if lo != "T1" else 5.0)
        bones = [z[lo]] + ([z[up]] if up in z else [])
        for side in ("L", "R"):
            x = lv.local_of(pil_v.W(pil_v.points[f"{side}.articular-pillar"]))[0]
            ys, zs = np.meshgrid(np.arange(-4.0, 24.0, 0.5), np.arange(zf - 6.0, zf + 8.0, 0.5))
            loc = np.stack([np.full(ys.size, x), ys.ravel(), zs.ravel()], axis=1)
            P = np.array([lv.W(q) for q in loc], np.float32)
            X, Y, Z = P[:, 0], P[:, 1], P[:, 2]
            bone = np.min([np.asarray(b(X, Y, Z)) for b in bones], axis=0)
            root = np.asarray(z[f"{roots[lo]}.{side}.nerve-root"](X, Y, Z))
            va = np.asarray(z[f"vertebral-artery.{side}"](X, Y, Z))
            # bone 1.5-2.5 mm behind the point: the point lies just in front of the SAP
            Pb = np.array([lv.W(q + np.array([0.0, 2.0, 0.0])) for q in loc], np.float32)
            behind = np.min([np.asarray(b(Pb[:, 0], Pb[:, 1], Pb[:, 2])) for b in bones], axis=0)
            ok = (bone > 0.8) & (root > 1.2) & (va > 3.0) & (behind < 0.0)
            if not ok.any():
                continue
            cost = np.abs(loc[:, 2] - (zf - 0.5)) + 0.3 * np.abs(loc[:, 1] - 8.0)
            cost[~ok] = np.inf
            out[f"{up}-{lo}.{side}.transforaminal-target"] = P[int(np.argmin(cost))].astype(float)


@lru_cache(maxsize=1)
def landmarks() -> dict[str, np.ndarray]:
    from .landmark_cache import cached

    return cached(_compute_landmarks)


def _compute_landmarks() -> dict[str, np.ndarray]:
    pts = _world_points()
    for name in skin_entry_names():
        target, direction = _SKIN_ENTRY[name]
        if target in pts:
            pts[name] = skin_entry(pts[target], direction)
    for side, sign in (("L", 1.0), ("R", -1.0)):
        _add_sacroplasty_entry(pts, side, sign)
    return pts


# from a sacral foramen's centre to its lateral edge (drawn proportions, as the foramina are built)
S3_FORAMEN_LATERAL_MM = 3.0  # dorsal S3 opening
S1_FORAMEN_LATERAL_MM = 6.0  # ventral S1 opening


def _add_sacroplasty_entry(pts: dict[str, np.ndarray], side: str, sign: float) -> None:
    """Long-axis sacroplasty: the cannula enters the bone midway between the lower end of the sacroiliac joint
    and the lateral edge of the dorsal S3 foramen and runs up the ala, lateral to the foramina, to the upper ala
    midway between the S1 foramen and the joint; its skin entry is where that line, continued backwards, leaves
    the skin."""
    names = (f"SIJ.{side}.posterior-inferior", f"S3.{side}.posterior-foramen", f"S1.{side}.anterior-foramen", f"SIJ.{side}.superior")
    if not all(n in pts for n in names):
        return
    joint_low, s3, s1, joint_high = (pts[n] for n in names)
    lateral = np.array([sign, 0.0, 0.0])
    bone = 0.5 * (joint_low + s3 + lateral * S3_FORAMEN_LATERAL_MM)
    target = 0.5 * (joint_high + s1 + lateral * S1_FORAMEN_LATERAL_MM)
    pts[f"sacroplasty.{side}.bone-entry"] = bone
    pts[f"sacroplasty.{side}.target"] = target
    pts[f"sacroplasty.{side}.skin-entry"] = skin_entry(bone, bone - target)


def get(name: str) -> np.ndarray:
    return landmarks()[name]


# -- computed skin entries -----------------------------------------------------------------
_SKIN_ENTRY: dict[str, tuple[str, np.ndarray]] = {}


def squaring_tilt(segment: str) -> float:
    """Craniocaudal angle (degrees, + = detector cranial) that makes the beam parallel to a disc's endplates."""
    al = build_alignment()
    return float(al.discs[segment].tilt)


def _register_skin_entries() -> None:
    al = build_alignment()
    for seg in al.discs:
        upper = seg.split("-")[0]
        if upper.startswith("L") or upper == "T12":
            tilt = squaring_tilt(seg)
            for side, sign in (("L", -1.0), ("R", 1.0)):
                d = beam_direction("prone", sign * 25.0, tilt)
                _SKIN_ENTRY[f"{seg}.{side}.skin-entry"] = (f"{seg}.{side}.safe-triangle", d)
                _SKIN_ENTRY[f"{seg}.{side}.facet-joint.skin-entry"] = (f"{seg}.{side}.facet-joint.inferior-recess", beam_direction("prone", sign * 30.0, tilt))
        d0 = beam_direction("prone", 0.0, squaring_tilt(seg))
        _SKIN_ENTRY[f"{seg}.interlaminar.skin-entry"] = (f"{seg}.interlaminar", d0)
    for side, sign in (("L", -1.0), ("R", 1.0)):
        _SKIN_ENTRY[f"S1.{side}.posterior-foramen.skin-entry"] = (f"S1.{side}.posterior-foramen", beam_direction("prone", 0.0, squaring_tilt("L5-S1")))
        _SKIN_ENTRY[f"SIJ.{side}.skin-entry"] = (f"SIJ.{side}.inferior-third", beam_direction("prone", -sign * 20.0, 0.0))
        _SKIN_ENTRY[f"piriformis.{side}.skin-entry"] = (f"piriformis.{side}", beam_direction("prone", 0.0, 0.0))
    # caudal epidural: the needle enters the skin over the hiatus from below, about 45 degrees to the skin
    s5 = al.sacral["S5"].frame
    d = -s5.axes[2] * np.cos(np.radians(55.0)) + s5.axes[1] * np.sin(np.radians(55.0))
    _SKIN_ENTRY["sacral-hiatus.skin-entry"] = ("sacral-hiatus", d / np.linalg.norm(d))


_register_skin_entries()


def skin_entry_names() -> list[str]:
    return sorted(_SKIN_ENTRY)


def skin_entry(target: np.ndarray, direction: np.ndarray, step: float = 1.0, max_mm: float = 300.0) -> np.ndarray:
    """Where the line from ``target`` along ``direction`` (toward the detector side) leaves the skin."""
    return exit_point(_body_shape(), target, direction, step, max_mm)


def _body_shape():
    from .soft_tissue import body_outline

    return body_outline()


def definitions() -> dict[str, str]:
    return dict(_DEFINITIONS)


@lru_cache(maxsize=1)
def curves() -> dict[str, np.ndarray]:
    """Small named curves (polylines, world mm); computed once (do not modify the arrays)."""
    from .sacropelvis import build_sacropelvis
    from .spine import build_spine

    out: dict[str, np.ndarray] = {}
    sp = build_spine()
    for seg, by_side in sp.joints.items():
        for side, j in by_side.items():
            out[f"{seg}.{side}.facet-joint.line"] = np.array([j.point(along=a) for a in np.linspace(-j.half_height, j.half_height, 7)])
    sx = build_sacropelvis()
    for side, j in sx.si.items():
        out[f"SIJ.{side}.posterior-line"] = np.array([j.point(up=u, back=14.0 + 0.2 * abs(u)) for u in np.linspace(-30, 25, 9)])
        # the anterior joint line: on the AP and oblique views lateral to the posterior line
        out[f"SIJ.{side}.anterior-line"] = np.array([j.point(up=u, back=-13.0 - 0.15 * abs(u)) for u in np.linspace(-26, 28, 9)])
    return out


_LEVEL = __import__("re").compile(r"^[CTL]\d{1,2}$")
_SACRAL = __import__("re").compile(r"^S\d$")
_SEG = __import__("re").compile(r"^(C|T|L|S)\d{1,2}-(C|T|L|S)\d{1,2}$")


def definition_for(name: str) -> str | None:
    """The anatomical definition of a landmark name (matched against the documented patterns)."""
    if name in _DEFINITIONS:
        return _DEFINITIONS[name]
    parts = name.split(".")
    firsts = [parts[0]]
    if _LEVEL.match(parts[0]):
        firsts += ["<V>", parts[0][0] + "<n>"]
    if _SACRAL.match(parts[0]):
        firsts += ["S<n>"]
    if _SEG.match(parts[0]):
        firsts += ["<SEG>"]
    if parts[0].startswith("rib") and parts[0][3:].isdigit():
        firsts += ["rib<n>"]
    rest = ["<S>" if p in ("L", "R") else ("<V>" if _LEVEL.match(p) else p) for p in parts[1:]]
    for f in firsts:
        for cand in (".".join([f] + rest), ".".join([f] + parts[1:])):
            if cand in _DEFINITIONS:
                return _DEFINITIONS[cand]
    if name.endswith(".skin-entry"):
        return _DEFINITIONS["<target>.skin-entry"]
    return None


def endplate_rims(level: str, which: str) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Anterior rim, posterior rim and centre of a vertebra's superior or inferior endplate (world)."""
    from .spine import build_spine

    v = build_spine().vertebrae[level]
    D = v.p.endplate_depth
    sign = 1.0 if which == "superior" else -1.0
    y_a, y_p = -D / 2 + 1.0, D / 2 - 1.0
    ant = v.W([0.0, y_a, sign * v.half_height(y_a)])
    post = v.W([0.0, y_p, sign * v.half_height(y_p)])
    return ant, post, 0.5 * (ant + post)


def squaring_tilt_for_endplate(level: str, which: str) -> float:
    """Craniocaudal angle (+ = detector cranial) that puts the beam in the plane of one endplate (prone, AP)."""
    ant, post, _ = endplate_rims(level, which)
    d = post - ant
    return float(np.degrees(np.arctan2(d[2], d[1])))


def _pattern_of(name: str) -> str:
    for pat, text in _DEFINITIONS.items():
        if definition_for(name) == text:
            return pat
    return name


def landmarks_markdown() -> str:
    """docs/landmarks.md: every landmark pattern with its definition and the names that exist."""
    names = sorted(landmarks())
    groups: dict[str, list[str]] = {}
    for n in names:
        groups.setdefault(_pattern_of(n), []).append(n)
    lines = [
        "# Phantom landmarks",
        "",
        "Generated by `python -m atlas.phantom.write_docs` from `atlas/phantom/landmarks.py`; do not edit by hand.",
        "",
        "Content refers to anatomy by these names in `render:` specs (`center`, `at`, needle `entry` and",
        "`target`, `labels`, `arrows`, contrast `at`). Positions are computed from the parameter table, so",
        "they move with the model.",
        "",
        "## Naming scheme",
        "",
        "```",
        "<level or segment>.<side>.<feature>   L4.R.pedicle, L4-L5.R.safe-triangle, C6.R.anterior-tubercle",
        "<level or segment>.<feature>          L4-L5.interlaminar, C2.dens-tip, L4.pedicles",
        "<structure>.<side>[.<feature>]        SIJ.R.inferior-third, piriformis.L, kidney.R.lower-pole",
        "<structure>[.<feature>]               sacral-hiatus, aorta.bifurcation",
        "```",
        "",
        "- `side` is `L` or `R`, the patient's left or right.",
        "- Levels: `C1`..`C7`, `T1`..`T12`, `L1`..`L5`, sacral segments `S1`..`S5`; a segment joins two adjacent",
        "  levels (`C7-T1`, `L5-S1`) and names what lies between them (disc, foramen, facet joint, interlaminar window).",
        "- A foramen is named by its segment; the nerve root that exits through it by the upper level",
        "  (`L4-L5.R.safe-triangle` is the target for the right L4 root, `L4.R.nerve-root`).",
        "- Features are lower-case words joined by hyphens.",
        "- `.skin-entry` names are computed: the point where the tunnel-view line through the target leaves the",
        "  skin for the usual approach (listed below with the view that defines them). A needle can also use",
        "  `entry: skin` (along the image's own beam) or `entry: {skin: {oblique: .., craniocaudal: ..}}`.",
        "",
        "Structures for danger and target zones (`zones: [{structure: ...}]`) have their own names: whole",
        "bones (`L4`, `sacrum`, `hip-bone.R`), parts of vertebrae (`L4.R.pedicle`, `L4.R.sap`,",
        "`L4.spinous-process`), soft tissue (`thecal-sac`, `L4.R.nerve-root`, `L4-L5.R.foramen`,",
        "`aorta`, `kidney.R`, `vertebral-artery.R`, ...). `python -m atlas.phantom.write_docs --zones` lists them.",
        "",
        "## Skin entries",
        "",
        "| name | target | approach view |",
        "|---|---|---|",
    ]
    from .carm import view_text as _vt

    for name in skin_entry_names():
        target, d = _SKIN_ENTRY[name]
        obl = float(np.degrees(np.arctan2(-d[0], d[1])))
        cc = float(np.degrees(np.arcsin(np.clip(d[2], -1, 1))))
        lines.append(f"| `{name}` | `{target}` | {_vt('prone', round(obl, 1), round(cc, 1))} |")
    lines += ["", "## Definitions", "", "| pattern | definition | names |", "|---|---|---|"]
    for pat, items in sorted(groups.items(), key=lambda kv: kv[0]):
        if pat.endswith("skin-entry"):
            continue
        text = _DEFINITIONS.get(pat, "")
        shown = ", ".join(f"`{n}`" for n in items[:6]) + (f" … ({len(items)} in all)" if len(items) > 6 else "")
        lines.append(f"| `{pat}` | {text} | {shown} |")
    lines += ["", "## Curves", ""]
    for name in sorted(curves()):
        lines.append(f"- `{name}`")
    lines += ["", f"{len(names)} landmarks in all.", ""]
    return "\n".join(lines)

