from atlas.history import History, Location


def test_back_forward_and_steps_within_a_page():
    h = History()
    h.visit(Location("a"))
    h.visit(Location("a", 2))  # a step of the same page replaces, not stacks
    h.visit(Location("b"))
    assert h.back() == Location("a", 2)
    assert h.can_go_forward()
    assert h.forward() == Location("b")
    h.back()
    h.visit(Location("c"))
    assert not h.can_go_forward()
    assert h.back() == Location("a", 2) and h.back() is None
