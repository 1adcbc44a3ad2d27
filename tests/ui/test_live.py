"""The virtual C-arm and the CT scroller: frames arrive by signal, overlays follow the phantom."""

import math

import pytest
from PySide6.QtCore import Qt

from atlas.live import Angles, distance_mm
from atlas.phantom.landmarks import squaring_tilt_for_endplate


@pytest.fixture
def live_window(window, test_phantom, qtbot):
    window.phantom_factory = test_phantom
    window.live.phantom_factory = test_phantom
    window.live.size = 256
    return window


def open_live(qtbot, window, step):
    with qtbot.waitSignal(window.viewer.imageShown, timeout=10000):
        window.open_page("fixture-lumbar-tf", step)
    assert window.viewer.live_button.isVisible()
    with qtbot.waitSignal(window.live.frameShown, timeout=30000) as shown:
        window.live_action.trigger()
    return shown.args[0]


def label_point(viewer, label):
    return next(a.points[-1] for a in viewer.image.annotations if a.label == label)


def test_turning_the_carm_re_projects_the_overlay(qtbot, live_window):
    window = live_window
    key = open_live(qtbot, window, 3)
    assert key == ("prone", 25.0, 6.0)
    live = window.live
    with qtbot.waitSignal(live.frameShown, timeout=20000, check_params_cb=lambda k: k == ("prone", 10.0, 6.0)):
        live.carm.oblique_box.setValue(10)
    x, y = label_point(window.viewer, "L4 pedicle")
    ex, ey = live.scene.project("L4.R.pedicle", Angles("prone", 10.0, 6.0))
    assert math.hypot(x - ex, y - ey) <= 1.0
    entry_before = next(a.points[0] for a in window.viewer.image.annotations if a.label == "Needle path")
    with qtbot.waitSignal(live.frameShown, timeout=20000, check_params_cb=lambda k: k == ("prone", 10.0, -8.0)):
        live.carm.cranial_box.setValue(-8)
    x, y = label_point(window.viewer, "L4 pedicle")
    ex, ey = live.scene.project("L4.R.pedicle", Angles("prone", 10.0, -8.0))
    assert math.hypot(x - ex, y - ey) <= 1.0
    entry_after = next(a.points[0] for a in window.viewer.image.annotations if a.label == "Needle path")
    assert math.dist(entry_before, entry_after) > 5, "the needle keeps its 3D path, so its skin end moves with the view"
    assert "10° right oblique" in window.viewer.view_label.text() or "10°" in window.viewer.view_label.text()


def test_reset_restores_the_recommended_view(qtbot, live_window):
    window = live_window
    open_live(qtbot, window, 3)
    live = window.live
    with qtbot.waitSignal(live.frameShown, timeout=20000):
        live.carm.oblique_box.setValue(-30)
    with qtbot.waitSignal(live.frameShown, timeout=20000) as shown:
        qtbot.mouseClick(live.carm.reset_button, Qt.MouseButton.LeftButton)
    assert shown.args[0] == ("prone", 25.0, 6.0) and live.carm.angles() == Angles("prone", 25.0, 6.0)


def test_drag_with_shift_turns_the_carm(qtbot, live_window):
    window = live_window
    open_live(qtbot, window, 3)
    start = window.live.carm.angles()
    window.viewer.angleDrag.emit(8.0, -4.0)
    moved = window.live.carm.angles()
    assert moved.oblique == pytest.approx(start.oblique + 8) and moved.craniocaudal == pytest.approx(start.craniocaudal - 4)


def test_teaching_prompt_checks_the_geometry(qtbot, live_window):
    window = live_window
    open_live(qtbot, window, 3)
    live = window.live
    assert "single line" in live.carm.prompt.text()
    square = round(squaring_tilt_for_endplate("L4", "inferior"))
    live.carm.set_angles(Angles("prone", 0.0, float(square)))
    qtbot.waitUntil(lambda: "✓" in live.carm.status.text(), timeout=20000)
    assert "squared" in live.carm.status.text()
    live.carm.set_angles(Angles("prone", 0.0, float(square - 12)))
    qtbot.waitUntil(lambda: "Not yet" in live.carm.status.text(), timeout=20000)


def test_ct_scroll_presets_and_measurement(qtbot, live_window):
    window = live_window
    key = open_live(qtbot, window, 4)
    live = window.live
    assert live.mode == "ct" and key[0] == 0.0 and key[2] == ""
    with qtbot.waitSignal(live.frameShown, timeout=20000, check_params_cb=lambda k: k[0] == 2.0):
        window.viewer.sliceWheel.emit(2)
    assert live.ct.offset() == 2.0 and "+2 mm" in window.viewer.view_label.text()
    with qtbot.waitSignal(live.frameShown, timeout=20000):
        window.toggle_layer(2)  # number key 2: the bone preset
    assert live.ct.window == (2000.0, 500.0) and "window bone W2000/L500" in window.viewer.view_label.text()
    with qtbot.waitSignal(live.frameShown, timeout=20000):
        window.viewer.windowDrag.emit(-200.0, 50.0)
    assert live.ct.window == (1800.0, 550.0)
    mm_per_px = window.viewer.live_meta["mm_per_pixel"]
    window.measure_action.trigger()
    assert window.viewer.measuring
    window.viewer.measured.emit(((10.0, 20.0), (40.0, 60.0)))
    assert live.ct.measure_result.text() == f"<b>{50 * mm_per_px:.1f} mm</b>"


def test_ct_slice_along_the_needle(qtbot, live_window):
    window = live_window
    open_live(qtbot, window, 4)
    live = window.live
    assert live.ct.needle_plane.isVisible()
    with qtbot.waitSignal(live.frameShown, timeout=20000, check_params_cb=lambda k: k[2] == "oblique-needle"):
        window.needle_plane_action.trigger()
    assert "oblique along the needle" in window.viewer.view_label.text()
    needle = next(a for a in window.viewer.image.annotations if a.label == "Needle path")
    assert "leaves the slice" not in needle.description
    with qtbot.waitSignal(live.frameShown, timeout=20000, check_params_cb=lambda k: k[2] == ""):
        window.needle_plane_action.trigger()


def test_distance_on_a_known_grid():
    assert distance_mm((0, 0), (30, 40), 0.5) == 25.0


def test_arrow_keys_turn_the_open_carm_and_reach_a_lateral(qtbot, live_window):
    window = live_window
    open_live(qtbot, window, 3)
    live = window.live
    start = live.carm.angles()
    window.page_view.setFocus()
    with qtbot.waitSignal(live.frameShown, timeout=20000):
        qtbot.keyClick(window.page_view, Qt.Key.Key_Right)
    assert window.step == 3, "arrows turn the C-arm while it is open, they do not change the step"
    assert live.carm.angles().oblique == start.oblique + 1
    qtbot.keyClick(window.page_view, Qt.Key.Key_Up)
    assert live.carm.angles().craniocaudal == start.craniocaudal + 1
    live.carm.oblique_box.setValue(90)
    assert live.carm.angles().oblique == 90.0, "a true lateral is reachable"
    window.toggle_live(False)
    with qtbot.waitSignal(window.stepShown, timeout=5000) as shown:
        qtbot.keyClick(window.page_view, Qt.Key.Key_Right)
    assert shown.args == [4]


def test_staying_on_a_rendered_image_warms_up_the_renderer_once_off_the_ui_thread(qtbot, window, monkeypatch):
    import threading

    import atlas.ui.live_worker as live_worker

    calls = []

    def fake_prepare(cache_dir):
        calls.append((cache_dir, threading.current_thread() is threading.main_thread()))
        raise RuntimeError("a warm-up failure is not the user's problem")

    monkeypatch.setattr(live_worker, "prepare", fake_prepare)
    window.live.prepared = False
    for step in (1, 3, 4):  # a plain image, then the rendered fluoroscopy and CT images
        with qtbot.waitSignal(window.viewer.imageShown, timeout=10000):
            window.open_page("fixture-lumbar-tf", step)
        if step == 1:
            assert window.live.thread is None
    assert calls == [], "no warm-up while the reader is still moving between pages"
    qtbot.waitUntil(lambda: len(calls) >= 1, timeout=5000)
    qtbot.wait(50)
    assert calls == [(window.live.cache_dir, False)]
    window.live.prepared = False
    window.live.phantom_factory = lambda region: None  # tests hand in their phantom: nothing to warm up
    window.live.prepare()
    qtbot.wait(50)
    assert len(calls) == 1


def test_a_window_that_shut_down_starts_no_worker_thread_again(qtbot, window, monkeypatch):
    """The warm-up timer firing, or an image arriving, after ``shutdown()`` must not start a thread that
    nobody stops (it would abort the interpreter at exit)."""
    import atlas.ui.live_worker as live_worker
    from atlas.ui.workers import running_threads

    monkeypatch.setattr(live_worker, "prepare", lambda cache_dir: None)
    window.live.prepared = False
    with qtbot.waitSignal(window.viewer.imageShown, timeout=10000):
        window.open_page("fixture-lumbar-tf", 3)  # a rendered image: the warm-up timer starts
    assert window._warm_up.isActive()
    window.shutdown()
    window.live.prepare()
    window.open_page("fixture-lumbar-tf", 4)
    window.toggle_live(True)
    qtbot.wait(50)
    assert running_threads() == [] and window.live.thread is None
