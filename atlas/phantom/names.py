"""Landmark ids in plain words for view texts: ``C6.R.transverse-process`` -> ``the right C6 transverse process``.

The ids follow the naming scheme of docs/landmarks.md (``<level or segment>.<side>.<feature>``,
``<structure>.<side>[.<feature>]``); this turns any of them into a short phrase a clinician reads.
"""

from __future__ import annotations

import re

_LEVEL = re.compile(r"^(?:C|T|L|S)\d{1,2}$")
_SEG = re.compile(r"^(?:C|T|L|S)\d{1,2}-(?:C|T|L|S)\d{1,2}$")
_SIDES = {"L": "left", "R": "right"}

# features whose words are not simply the id with the hyphens dropped
_FEATURE = {
    "body-centre": "vertebral body",
    "disc-centre": "disc",
    "body-anterior": "anterior vertebral body",
    "body-posterior": "posterior vertebral body",
    "body-anterior-third": "anterior third of the vertebral body",
    "drg": "dorsal root ganglion",
    "sap": "superior articular process",
    "sap-tip": "superior articular process tip",
    "sap-base": "superior articular process base",
    "iap": "inferior articular process",
    "iap-tip": "inferior articular process tip",
    "tp-tip": "transverse process tip",
    "tp-root": "transverse process root",
    "tp-superior": "upper border of the transverse process",
    "sap-tp-junction": "SAP-transverse process junction",
    "sap-ala-junction": "SAP-ala junction",
    "interlaminar": "interlaminar space",
    "pillar": "articular pillar",
    "pars": "pars interarticularis",
    "facet-joint.inferior-recess": "facet joint inferior recess",
    "facet-joint.superior-recess": "facet joint superior recess",
    "superior-endplate.lateral": "superior endplate (lateral)",
    "inferior-endplate.lateral": "inferior endplate (lateral)",
    "lateral-atlantoaxial-joint": "lateral atlantoaxial joint",
    "lateral-atlantoaxial-joint.lateral": "lateral atlantoaxial joint (lateral edge)",
    "foramen-transversarium": "foramen transversarium",
    "foramen-transversarium.exit": "foramen transversarium exit",
    "posterior-foramen.superolateral": "posterior foramen (superolateral edge)",
    "lateral-mass.medial": "lateral mass (medial edge)",
    "lateral-mass.posterior": "lateral mass (posterior edge)",
    "third-occipital-nerve.middle": "third occipital nerve zone (at the joint line)",
    "third-occipital-nerve.lower": "third occipital nerve zone (over the C3 superior articular process)",
}

# structures named with their own words (or a plainer one)
_STRUCTURE = {
    "SIJ": "sacroiliac joint",
    "ivc": "IVC",
    "pelvis": "",       # pelvis.R.psis -> the right PSIS
    "hip-bone": "hip bone",
    "psis": "PSIS",
    "asis": "ASIS",
}


# features read best as a phrase round the level
_TEMPLATE = {
    "body-anterior": "the front of the {lead}{head} body",
    "body-posterior": "the back of the {lead}{head} body",
    "body-anterior-third": "the anterior third of the {lead}{head} body",
    "pedicles": "the {head} pedicles",
    "dens": "the dens",
    "dens-base": "the base of the dens",
    "dens-tip": "the tip of the dens",
    "dens-posterior": "the back of the dens",
}


def _words(token: str) -> str:
    return _FEATURE.get(token, _STRUCTURE.get(token, token.replace("-", " ")))


def readable(name: str) -> str:
    """A landmark or structure id as a short phrase; unknown forms fall back to the id with spaces."""
    name = str(name).strip()
    if not name:
        return name
    entry = name.endswith(".skin-entry")
    if entry:
        return f"the skin entry for {readable(name[: -len('.skin-entry')])}"
    parts = name.split(".")
    head, rest = parts[0], parts[1:]
    side = ""
    if rest and rest[0] in _SIDES:
        side = _SIDES[rest[0]]
        rest = rest[1:]
    feature = ".".join(rest)
    if _LEVEL.match(head) or _SEG.match(head):
        if not feature:
            return f"{head}" if not side else f"the {side} side of {head}"
        words = _words(feature)
        lead = f"{side} " if side else ""
        if feature in _TEMPLATE:
            return _TEMPLATE[feature].format(lead=lead, head=head)
        return f"the {lead}{head} {words}"
    # <structure>[.<side>][.<feature>]
    struct = _STRUCTURE.get(head, head.replace("-", " "))
    rib = re.match(r"^rib(\d+)$", head)
    if rib:
        n = int(rib.group(1))
        struct = f"{n}{'st' if n == 1 else 'nd' if n == 2 else 'rd' if n == 3 else 'th'} rib"
    lead = f"{side} " if side else ""
    if feature and (_LEVEL.match(feature) or _SEG.match(feature)):
        return f"the {lead}{struct} at {feature}".replace("  ", " ")
    if feature:
        words = _words(feature)
        if not struct:
            return f"the {lead}{words}"
        return f"the {words} of the {lead}{struct}"
    return f"the {lead}{struct}".rstrip()
