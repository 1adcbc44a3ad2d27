from atlas.label_layout import LabelBox, Placed, leader_end, place_labels


def test_a_label_with_room_sits_at_its_anchor():
    (spot,) = place_labels([LabelBox(100, 50, 40, 10, (0.0, 0.5))], 512, 512)
    assert (spot.left, spot.top) == (100, 45)
    assert leader_end(100, 50, spot) is None


def test_a_label_at_the_right_edge_flips_to_the_left_of_its_point():
    (spot,) = place_labels([LabelBox(500, 50, 40, 10, (0.0, 0.5))], 512, 512)
    assert spot.left == 460 and spot.left + spot.w <= 512


def test_a_label_that_cannot_flip_is_kept_inside_the_image():
    (spot,) = place_labels([LabelBox(5, 2, 600, 10, (0.5, 0.5))], 512, 100)
    assert spot.left == 0 and spot.top == 0


def test_overlapping_labels_are_moved_apart_and_keep_their_order():
    boxes = [LabelBox(100, 52, 60, 10), LabelBox(104, 50, 60, 10), LabelBox(102, 51, 60, 10)]
    spots = place_labels(boxes, 512, 512)
    assert len(spots) == 3
    for i, a in enumerate(spots):
        for b in spots[i + 1:]:
            assert not a.overlaps(b)
    # the topmost point keeps its place; the others go below it, in the order of their points
    assert spots[1].top == 45
    assert spots[1].top < spots[2].top < spots[0].top


def test_a_moved_label_gets_a_leader_to_its_nearest_edge():
    boxes = [LabelBox(100, 50, 60, 10), LabelBox(100, 50, 60, 10)]
    first, second = place_labels(boxes, 512, 512)
    assert leader_end(100, 50, first) is None
    end = leader_end(100, 50, second)
    assert end == (100, second.top)


def test_at_the_bottom_edge_an_overlapping_label_moves_up():
    boxes = [LabelBox(100, 505, 60, 10), LabelBox(100, 507, 60, 10)]
    a, b = place_labels(boxes, 512, 512)
    assert b.top < a.top and not a.overlaps(b)
    assert Placed(0, 0, 1, 1).overlaps(Placed(0.5, 0.5, 1, 1))


def test_labels_keep_off_other_points_dots_but_may_touch_their_own():
    from atlas.label_layout import dot_area

    dots = (dot_area(100, 50, 5), dot_area(140, 50, 5))
    boxes = [LabelBox(100, 50, 60, 10, (-0.05, 0.5))]  # its text runs over the second point's dot
    (spot,) = place_labels(boxes, 512, 512, dots)
    assert not spot.overlaps(dots[1])
    assert spot.top >= 55  # moved below that dot
    (alone,) = place_labels(boxes, 512, 512, dots[:1])
    assert (alone.left, alone.top) == (103, 45)  # its own dot does not move it
