"""The content database schema, stamped with ``PRAGMA user_version``.

Bump :data:`SCHEMA_VERSION` whenever a table or column changes: the app
refuses a database whose version it does not know.
"""

SCHEMA_VERSION = 6
APPLICATION_ID = 0x53504E41  # "SPNA": marks a file as a Spine Atlas content database

TABLES = {
    "meta": ({"key": str, "value": str}, "key"),
    "levels": ({"name": str, "region": str, "ord": float, "is_segment": int}, "name"),
    "approaches": ({"name": str, "parent": str, "definition": str, "levels": str, "ord": int}, "name"),
    "guidance": ({"name": str, "label": str}, "name"),
    "bleeding_risk": ({"name": str, "definition": str}, "name"),
    "layers": ({"name": str, "label": str, "colour": str, "z": int}, "name"),
    "bibliography": ({"key": str, "citation": str, "doi": str, "url": str}, "key"),
    "pages": (
        {
            "slug": str, "title": str, "kind": str, "region": str, "summary": str, "authors": str,
            "version": str, "reviewed": str, "review_status": str, "synonyms": str, "guidance": str,
            "levels": str, "approaches": str, "ord": int, "bleeding_risk": str,
        },
        "slug",
    ),
    "page_levels": ({"slug": str, "level": str}, ("slug", "level")),
    "page_approaches": ({"slug": str, "approach": str}, ("slug", "approach")),
    "sections": ({"slug": str, "ord": int, "key": str, "title": str, "html": str, "text": str}, ("slug", "ord")),
    "steps": ({"slug": str, "number": int, "title": str, "html": str, "text": str, "layers": str}, ("slug", "number")),
    "step_images": ({"slug": str, "step": int, "ord": int, "image_id": str}, ("slug", "step", "ord")),
    "page_references": ({"slug": str, "number": int, "ref_key": str}, ("slug", "number")),
    "safety": ({"slug": str, "ord": int, "section": str, "text": str}, ("slug", "ord")),
    "facts": ({"slug": str, "ord": int, "section": str, "text": str, "cloze": str}, ("slug", "ord")),
    "images": (
        {
            "id": str, "title": str, "caption_html": str, "caption_text": str, "modality": str, "view": str,
            "width": int, "height": int, "png": bytes, "available": int, "pending_reason": str,
            "meta": str,  # JSON: what the renderer knows (angles, contrast pattern, window); {} for stored pictures
            "render_spec": str,  # JSON of the render: mapping ("" for stored pictures): the virtual C-arm re-renders it
            "prompt": str,  # JSON teaching prompt for the virtual C-arm, or ""
        },
        "id",
    ),
    "image_layers": ({"image_id": str, "name": str, "label": str, "colour": str, "z": int}, ("image_id", "name")),
    "annotations": (
        {"image_id": str, "ord": int, "kind": str, "layer": str, "label": str, "points": str, "description": str},
        ("image_id", "ord"),
    ),
    "charts": ({"id": str, "title": str, "unit": str, "source": str, "groups": str}, "id"),
    "page_charts": ({"slug": str, "chart_id": str}, ("slug", "chart_id")),
    "search_docs": ({"id": int, "slug": str, "step": int, "title": str, "body": str, "synonyms": str}, "id"),
}
INDEXES = [("page_levels", ["level"]), ("page_approaches", ["approach"]), ("step_images", ["image_id"])]
SEARCH_COLUMNS = ["title", "body", "synonyms"]
SEARCH_WEIGHTS = (10.0, 1.0, 6.0)
