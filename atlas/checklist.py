"""The pre-procedure checklist of a procedure page, built from its content (Qt-free).

Ticks live only on screen and are reset per case: the atlas stores no patient data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.model import Page

LAB_WORDS = re.compile(r"\b(INR|PT|aPTT|platelet|platelets|haemoglobin|hemoglobin|creatinine|eGFR|CRP|ESR|glucose)\b", re.I)
GUIDELINE = "ASRA/ESRA multisociety guideline (Narouze et al. 2015, 2018)"


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    text: str
    detail: str = ""
    safety: bool = False


def _section(page: Page, key: str) -> str:
    return next((s.text for s in page.sections if s.key == key), "")


def _sentences(text: str) -> list[str]:
    flat = " ".join(line.lstrip("-0123456789. ").strip() for line in text.splitlines() if line.strip())
    return [s.strip() for s in re.split(r"(?<=[.!?])\s+(?=[A-Z⚠])", flat) if s.strip()]


def _clip(text: str, limit: int = 240) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def procedure_checklist(page: Page) -> list[ChecklistItem]:
    s = page.summary
    indications = _sentences(_section(page, "indications"))
    labs = [x for x in _sentences(_section(page, "preprocedure")) if LAB_WORDS.search(x)]
    equipment = _sentences(_section(page, "equipment"))
    risk = page.bleeding_risk
    anticoagulation = (
        f"This is a {risk}-risk procedure in the {GUIDELINE}. Check every anticoagulant and antiplatelet drug "
        "against the guideline's stop and restart intervals (see Periprocedural safety) and agree any change with the prescriber."
        if risk
        else f"This page states no bleeding-risk class: classify the procedure with the {GUIDELINE} before stopping or continuing any drug."
    )
    safety = [x.text for x in page.safety]
    items = [
        ChecklistItem("indication", "Indication confirmed", _clip(" ".join(indications[:2]))),
        ChecklistItem(
            "consent", "Consent taken, including this procedure's specific risks",
            _clip("; ".join(safety[:3])) if safety else "",
            safety=bool(safety),
        ),
        ChecklistItem("allergies", "Allergies checked", "Iodinated contrast, local anaesthetic, corticosteroid, antiseptic, latex.", True),
        ChecklistItem("anticoagulation", "Anticoagulant and antiplatelet drugs reviewed", anticoagulation, True),
        ChecklistItem("labs", "Laboratory results reviewed", _clip(" ".join(labs[:2])) if labs else "As the page's preprocedure section and local protocol require."),
        ChecklistItem(
            "site", "Side and level confirmed and marked",
            f"Levels on this page: {', '.join(s.levels) if len(s.levels) <= 6 else s.levels[0] + ' to ' + s.levels[-1]}; "
            f"approach: {', '.join(s.approaches)}.",
            True,
        ),
        ChecklistItem("drugs", "Contrast and medication drawn up and labelled", _clip(" ".join(equipment[:2]))),
        ChecklistItem(
            "emergency", "Emergency equipment and drugs at hand",
            "Resuscitation equipment, oxygen and suction checked" + (", with airway equipment for cervical access." if s.region == "cervical" else "."),
            True,
        ),
        ChecklistItem("timeout", "Time-out: patient, procedure, side and level agreed by the team"),
    ]
    return items
