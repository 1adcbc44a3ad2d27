from atlas.orientation import edge_letters


def test_letters_from_fluoroscopy_and_ct_metadata():
    assert edge_letters('{"orientation": {"left": "L", "right": "R", "top": "H", "bottom": "F"}}')["right"] == "R"
    prone_ct = {"plane_right": [-1, 0, 0], "plane_down": [0, -1, 0]}  # patient's right on the right, back up
    assert edge_letters(prone_ct) == {"right": "R", "left": "L", "bottom": "A", "top": "P"}
    assert edge_letters("{}") == {} and edge_letters("not json") == {}
