"""The pre-procedure checklist of a procedure page, built from its content (Qt-free).

Ticks live only on screen and are reset per case: the atlas stores no patient data.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from atlas.model import Page

LAB_WORDS = re.compile(r"\b(INR|PT|aPTT|platelet|platelets|haemoglobin|hemoglobin|creatinine|eGFR|CRP|ESR|glucose|laboratory)\b", re.I)
DRUG_WORDS = re.compile(r"\b(contrast|steroid|dexamethasone|triamcinolone|methylprednisolone|betamethasone|anaesthetic|lidocaine|"
                        r"bupivacaine|ropivacaine|cement|antibiotic|medication|saline)\b", re.I)
CITATION = re.compile(r"\s*\[\d+(?:[,–-]\s*\d+)*\]")
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
    text = " ".join(CITATION.sub("", text).split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _complication_names(page: Page) -> list[str]:
    """The complications a page names in bold in its Complications section."""
    html = next((x.html for x in page.sections if x.key == "complications"), "")
    names = [re.sub(r"<[^>]+>", "", m).strip(" .:") for m in re.findall(r"<strong>(.*?)</strong>", html)]
    return list(dict.fromkeys(n for n in names if n))


def procedure_checklist(page: Page) -> list[ChecklistItem]:
    s = page.summary
    indications = _sentences(_section(page, "indications"))
    labs = [x for x in _sentences(_section(page, "preprocedure"))
            if LAB_WORDS.search(x) and not x.startswith("⚠") and not re.search(r"bleeding risk|risk class|guideline", x, re.I)]
    drugs = [x for x in _sentences(_section(page, "equipment")) if DRUG_WORDS.search(x)]
    risk = page.bleeding_risk
    article = "an" if risk[:1] in "aeiou" else "a"
    anticoagulation = (
        f"This is {article} {risk}-risk procedure in the {GUIDELINE}. Check every anticoagulant and antiplatelet drug "
        "against the guideline's stop and restart tables (see Periprocedural safety) and agree any change with the prescriber."
        if risk
        else f"This page states no bleeding-risk class: classify the procedure with the {GUIDELINE} before stopping or continuing any drug."
    )
    complications = _complication_names(page)
    items = [
        ChecklistItem("indication", "Indication confirmed", _clip(" ".join(indications[:2]))),
        ChecklistItem(
            "consent", "Consent taken, including this procedure's specific risks",
            _clip("Risks on this page: " + "; ".join(complications), 300) if complications else "See the page's Complications section.",
            safety=True,
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
        ChecklistItem("drugs", "Contrast and medication drawn up and labelled", _clip(" ".join(drugs[:2])) if drugs else ""),
        ChecklistItem(
            "emergency", "Emergency equipment and drugs at hand",
            "Resuscitation equipment, oxygen and suction checked" + (", with airway equipment for cervical access." if s.region == "cervical" else "."),
            True,
        ),
        ChecklistItem("timeout", "Time-out: patient, procedure, side and level agreed by the team"),
    ]
    return items
