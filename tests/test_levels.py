import pytest

from atlas.levels import LevelError, SEGMENTS, VERTEBRAE, expand_level_entry, matching_levels, parse_level, region_of


@pytest.mark.parametrize(
    "typed, expected",
    [
        ("L45", "L4-L5"), ("l4-5", "L4-L5"), ("L4-L5", "L4-L5"), ("l4 l5", "L4-L5"), ("C7T1", "C7-T1"),
        ("c7-t1", "C7-T1"), ("L5S1", "L5-S1"), ("C5.6", "C5-C6"), ("T1011", "T10-T11"), ("C12", "C1-C2"),
        ("T12", "T12"), ("C6", "C6"), ("coccyx", "coccyx"), ("S1", "S1"),
    ],
)
def test_parse_level_accepts_what_clinicians_type(typed, expected):
    assert parse_level(typed) == expected


@pytest.mark.parametrize("typed", ["L6", "L4-L6", "C8", "X1", "", "L5-L4", "lumbar", "C7-T2"])
def test_parse_level_rejects_non_levels(typed):
    assert parse_level(typed) is None


def test_vertebrae_and_segments_are_in_order():
    assert VERTEBRAE[0] == "C1" and VERTEBRAE[-1] == "coccyx" and len(VERTEBRAE) == 30
    assert "C7-T1" in SEGMENTS and "L5-S1" in SEGMENTS and "T12-L1" in SEGMENTS
    assert region_of("C7-T1") == "cervical" and region_of("L5-S1") == "lumbar"


def test_expand_ranges():
    assert expand_level_entry("C3-C7") == ["C3", "C4", "C5", "C6", "C7"]
    assert expand_level_entry("C7-T1") == ["C7-T1"]
    assert expand_level_entry("C2-C3 to C7-T1") == ["C2-C3", "C3-C4", "C4-C5", "C5-C6", "C6-C7", "C7-T1"]
    assert expand_level_entry("S1-S3") == ["S1", "S2", "S3"]


@pytest.mark.parametrize("entry", ["C8", "L5-L3", "C7-T1 to C2-C3", "L4 to L5", "middle"])
def test_expand_rejects_with_a_message(entry):
    with pytest.raises(LevelError) as err:
        expand_level_entry(entry)
    assert entry.split(" ")[0] in str(err.value) or "range" in str(err.value)


def test_matching_levels_vertebra_segment_region():
    assert matching_levels("L4") == {"L4", "L3-L4", "L4-L5"}
    assert matching_levels("L45") == {"L4-L5", "L4", "L5"}
    assert matching_levels("L5-S1") == {"L5-S1", "L5", "S1"}
    lumbar = matching_levels("lumbar")
    assert {"L1", "L5", "L5-S1", "L1-L2"} <= lumbar and "T12" not in lumbar
    assert matching_levels("nonsense") is None
