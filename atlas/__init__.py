"""Spine Atlas: an offline atlas of image-guided spine interventions."""

__version__ = "0.1.0"

EDUCATIONAL_NOTICE = (
    "Spine Atlas is an educational aid. It does not replace clinical judgement, "
    "local protocols or supervised training; the operator is responsible for every procedure."
)
