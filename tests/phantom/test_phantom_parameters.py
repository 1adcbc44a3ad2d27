from dataclasses import fields

from atlas.phantom import parameters as P


def test_every_column_of_every_region_has_a_source_and_status():
    cols = [f.name for f in fields(P.VertebraParameters) if f.name not in ("name", "region")]
    for region in ("cervical", "thoracic", "lumbar"):
        for c in cols:
            src, status = P.PROVENANCE[region][c]
            assert src in P.SOURCES
            assert status in ("published", "approximated", "interpolated")


def test_table_covers_every_subaxial_level_and_segment():
    for lvl in ["C3", "C7", "T1", "T12", "L1", "L5"]:
        assert lvl in P.VERTEBRAE
    for seg in ["C2-C3", "C7-T1", "T12-L1", "L4-L5", "L5-S1"]:
        assert seg in P.SEGMENTS


def test_zindrick_lumbar_pedicle_widths_are_the_cited_values():
    assert [P.VERTEBRAE[f"L{i}"].pedicle_width for i in (3, 4, 5)] == [10.3, 12.9, 18.0]


def test_hash_is_stable_and_depends_on_extra():
    assert P.parameter_hash() == P.parameter_hash()
    assert P.parameter_hash({"region": "lumbar"}) != P.parameter_hash({"region": "cervical"})


def test_markdown_table_lists_sources():
    md = P.markdown_table()
    assert "Zindrick" in md and "| L4 |" in md and "published" in md and "approximated" in md
