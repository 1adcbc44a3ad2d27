"""Tissues: CT numbers (Hounsfield units), texture and fluoroscopic attenuation.

CT values are typical adult unenhanced values (approximated from radiology
texts).  For fluoroscopy the line integral uses an effective attenuation at
a C-arm's beam quality (about 70 kV): soft tissue scales with HU as in CT,
bone is boosted relative to its CT number because photoelectric absorption of
calcium matters more at fluoroscopic energies (``BONE_BOOST``, approximated).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

MU_WATER = 0.0205  # 1/mm, effective for a ~70 kV fluoroscopy beam (approximated)
BONE_BOOST = 2.2  # extra weight of HU above 100 in the fluoroscopic attenuation (bone/water ~3.5-4 at 50-60 keV)
CONTRAST_BOOST = 6.0  # iodine is far more opaque than bone at fluoroscopic energies (K-edge 33 keV; approximated)


@dataclass(frozen=True)
class Tissue:
    name: str
    hu: float
    texture: str = ""  # which noise field modulates it: "", "fine", "lobular", "fibre", "bowel", "lung"
    texture_hu: float = 0.0  # amplitude of the texture, HU


@dataclass(frozen=True)
class BoneTissue:
    name: str
    cortical_hu: float
    cancellous_hu: float
    cortex_mm: float
    texture_hu: float = 70.0  # trabecular texture amplitude
    dense_hu: float = 650.0  # "cancellous" value inside compact parts (posterior arch)

    hu = property(lambda self: self.cancellous_hu)
    texture = "trabecular"


AIR = Tissue("air", -1000.0)
SKIN = Tissue("skin", 45.0, "fine", 8.0)
FAT = Tissue("fat", -105.0, "fat", 16.0)  # lobules with thin fibrous septa
FAT_VISCERAL = Tissue("visceral fat", -95.0, "fat", 20.0)
MUSCLE = Tissue("muscle", 52.0, "fibre", 12.0)
TENDON = Tissue("tendon", 90.0, "fine", 6.0)
BLOOD = Tissue("blood", 42.0, "fine", 3.0)
VESSEL_WALL = Tissue("vessel wall", 60.0)
CSF = Tissue("csf", 7.0, "fine", 2.0)
CORD = Tissue("spinal cord", 34.0, "fine", 3.0)
NERVE = Tissue("nerve", 40.0, "fine", 3.0)
GANGLION = Tissue("ganglion", 46.0, "fine", 3.0)
EPIDURAL_FAT = Tissue("epidural fat", -90.0, "lobular", 12.0)
LIGAMENT = Tissue("ligament", 75.0, "fine", 5.0)
ANNULUS = Tissue("annulus", 92.0, "fibre", 6.0)
NUCLEUS = Tissue("nucleus", 72.0, "fine", 4.0)
CARTILAGE = Tissue("cartilage", 105.0)
JOINT_FLUID = Tissue("joint", 25.0)
# sacroiliac joint space: two thin cartilage layers, the synovial cleft and, behind, the interosseous ligament,
# averaged to one soft-tissue value (a modelling choice) so the joint reads as a dark line between the bones
SI_JOINT = Tissue("sacroiliac joint", 45.0, "fine", 4.0)
LUNG = Tissue("lung", -845.0, "lung", 45.0)
PLEURA = Tissue("pleura", 40.0)
LIVER = Tissue("liver", 58.0, "lobular", 7.0)
SPLEEN = Tissue("spleen", 48.0, "lobular", 7.0)
KIDNEY = Tissue("kidney", 33.0, "fine", 5.0)
RENAL_SINUS = Tissue("renal sinus fat", -80.0, "lobular", 15.0)
BOWEL = Tissue("small bowel", 22.0, "bowel", 28.0)
COLON = Tissue("colon", -20.0, "colon", 70.0)
BOWEL_GAS = Tissue("bowel gas", -980.0)
BLADDER = Tissue("urine", 8.0)
THYROID = Tissue("thyroid", 105.0, "fine", 6.0)
TRACHEA_WALL = Tissue("cartilage ring", 90.0)
OESOPHAGUS = Tissue("oesophagus", 42.0, "fine", 4.0)
BRAIN = Tissue("brain", 34.0, "fine", 3.0)
TONGUE = Tissue("tongue", 60.0, "fibre", 8.0)
GLAND = Tissue("gland", 40.0, "fine", 6.0)
# the face's muscles, glands and fibrous tissue taken together, where they are not drawn one by one (approximated)
FACE_SOFT_TISSUE = Tissue("facial soft tissue", 30.0, "fine", 8.0)

CORTICAL_HU = 1350.0
LUMBAR_BONE = BoneTissue("lumbar bone", CORTICAL_HU, 215.0, 0.5, dense_hu=850.0)  # a thin shell round the body; a compact arch
THORACIC_BONE = BoneTissue("thoracic bone", CORTICAL_HU, 235.0, 0.7)
CERVICAL_BONE = BoneTissue("cervical bone", CORTICAL_HU, 300.0, 0.8, dense_hu=450.0)
# the arches of the atlas are slender bars of almost solid cortical bone: seen end-on on a lateral view they are
# dense ovals, not rings
ATLAS_ARCH_BONE = BoneTissue("atlas arch", CORTICAL_HU, 300.0, 0.8, dense_hu=1050.0)
# the sacrum's cortex is thin (thinnest over the alae) round fairly dense trabecular bone in the bodies, so on a
# lateral view the segments read as solid bone with fine margins rather than as outlines
SACRAL_BONE = BoneTissue("sacral bone", CORTICAL_HU, 260.0, 0.6)
PELVIC_BONE = BoneTissue("pelvic bone", CORTICAL_HU, 230.0, 1.2)
RIB_BONE = BoneTissue("rib", CORTICAL_HU, 200.0, 0.9)
SKULL_BONE = BoneTissue("skull", 1600.0, 650.0, 1.6, 90.0)
FEMUR_BONE = BoneTissue("femur", CORTICAL_HU, 260.0, 1.6)
TOOTH = BoneTissue("tooth", 2600.0, 1700.0, 1.2, 40.0)

BONE_BY_REGION = {"lumbar": LUMBAR_BONE, "thoracic": THORACIC_BONE, "cervical": CERVICAL_BONE}


def mu_fluoro(hu: np.ndarray) -> np.ndarray:
    """Effective linear attenuation (1/mm) of tissue with CT number ``hu`` for fluoroscopy."""
    hu = np.asarray(hu, np.float32)
    return (MU_WATER * (1.0 + hu / 1000.0 + (BONE_BOOST - 1.0) * np.maximum(hu - 100.0, 0.0) / 1000.0)).astype(np.float32)
