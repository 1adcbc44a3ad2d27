"""The page view: a long page shows its first screen at once and the whole page right after that frame."""

from atlas.ui.page_view import FIRST_SCREEN_CHARS, PageView, first_screen_blocks, page_blocks


def test_first_screen_is_whole_blocks_from_the_top_with_the_safety_box(repo):
    page = repo.page("fixture-cervical-il")
    blocks = page_blocks(page)
    head = first_screen_blocks(blocks)
    assert head == blocks[: len(head)] and 1 <= len(head) < len(blocks)
    assert sum(len(b) for b in head[:-1]) < FIRST_SCREEN_CHARS
    assert any("Safety-critical points" in b for b in head)
    assert first_screen_blocks(["<p>one very long block</p>"], budget=3) == ["<p>one very long block</p>"]


def shown_view(qtbot, height: int) -> PageView:
    view = PageView()
    qtbot.addWidget(view)
    view.resize(460, height)
    view.show()
    qtbot.waitExposed(view)
    return view


def test_the_whole_page_follows_the_first_painted_frame(qtbot, repo):
    view = shown_view(qtbot, 700)
    view.show_page(repo.page("fixture-cervical-il"))
    first = view.toPlainText()
    assert not view.is_complete()
    assert "Fixture cervical interlaminar injection" in first and "Safety-critical points" in first
    assert "References" not in first
    view.viewport().repaint()  # the first frame
    qtbot.waitUntil(view.is_complete, timeout=1000)
    assert "References" in view.toPlainText() and view.toPlainText().startswith(first.split("\n")[0])


def test_completing_keeps_the_readers_place_and_a_step_link_completes_at_once(qtbot, repo):
    view = shown_view(qtbot, 300)
    view.show_page(repo.page("fixture-cervical-il"))
    bar = view.verticalScrollBar()
    bar.setValue(bar.maximum() // 2)
    place = bar.value()
    assert place > 0
    view.complete()
    assert view.is_complete() and bar.value() == place
    view.show_page(repo.page("fixture-cervical-il"))
    assert not view.is_complete()
    view.scroll_to_step(3)  # a step may lie below the first screen
    assert view.is_complete() and "Step 3" in view.toPlainText()


def test_a_page_never_painted_is_completed_on_its_own(qtbot, repo):
    view = PageView()  # never shown
    qtbot.addWidget(view)
    view.show_page(repo.page("fixture-cervical-il"))
    assert not view.is_complete()
    qtbot.waitUntil(view.is_complete, timeout=1000)
    assert "References" in view.toPlainText()


def test_a_message_or_a_new_theme_drops_the_pending_rest(qtbot, repo):
    from atlas.ui.theme import ROOM

    view = PageView()
    qtbot.addWidget(view)
    view.show_page(repo.page("fixture-cervical-il"))
    view.set_theme(ROOM)
    assert view.is_complete() and "References" in view.toPlainText()
    view.show_page(repo.page("fixture-cervical-il"))
    view.show_message("Spine Atlas", "Pick a level.")
    assert view.is_complete() and view.toPlainText().startswith("Spine Atlas")
