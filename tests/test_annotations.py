from atlas.annotations import distance, hit_test, point_in_polygon
from atlas.model import Annotation

ZONE = Annotation("polygon", "danger", "Nerve root", ((0, 0), (10, 0), (10, 10), (0, 10)))
TARGET = Annotation("point", "target", "Safe triangle", ((5, 5),))
NEEDLE = Annotation("polyline", "trajectory", "Needle", ((20, 20), (40, 20)))


def test_geometry():
    assert point_in_polygon(5, 5, ZONE.points) and not point_in_polygon(15, 5, ZONE.points)
    assert distance(NEEDLE, 30, 23) == 3
    assert distance(ZONE, 5, 5) == 0


def test_point_inside_zone_wins():
    assert hit_test([ZONE, TARGET], 5.5, 5.5, 3).label == "Safe triangle"
    assert hit_test([ZONE, TARGET], 2, 2, 1).label == "Nerve root"


def test_hidden_layers_and_tolerance():
    assert hit_test([ZONE, TARGET], 5, 5, 3, visible_layers={"danger"}).label == "Nerve root"
    assert hit_test([NEEDLE], 30, 30, 3) is None


def test_an_annotation_without_points_is_never_hit():
    empty = Annotation("polygon", "danger", "Root (not in this image)", ())
    assert hit_test([empty, TARGET], 5, 5, 3).label == "Safe triangle"
