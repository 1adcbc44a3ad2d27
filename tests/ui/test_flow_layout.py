"""The wrapping layout of the approach chips and the step strip: its remembered answers follow every change."""

from PySide6.QtWidgets import QPushButton, QWidget

from atlas.ui.flow_layout import FlowLayout


def make(qtbot, count=6):
    host = QWidget()
    qtbot.addWidget(host)
    layout = FlowLayout(host, spacing=4)
    buttons = [QPushButton(f"approach {n}") for n in range(count)]
    for button in buttons:
        layout.addWidget(button)
    host.show()
    qtbot.waitExposed(host)
    return host, layout, buttons


def test_height_follows_hidden_shown_and_added_chips(qtbot):
    host, layout, buttons = make(qtbot)
    row = buttons[0].sizeHint().height()
    width = buttons[0].sizeHint().width() * 2 + 10  # two chips a row
    assert layout.heightForWidth(width) == 3 * row + 2 * 4
    for button in buttons[2:]:
        button.hide()
    assert layout.heightForWidth(width) == row
    buttons[2].show()
    assert layout.heightForWidth(width) == 2 * row + 4
    layout.addWidget(QPushButton("one more"))
    layout.addWidget(QPushButton("and another"))
    assert layout.heightForWidth(width) == 2 * row + 4  # Qt shows added widgets in the next turn of the loop
    qtbot.wait(10)
    assert layout.heightForWidth(width) == 3 * row + 2 * 4
    layout.takeAt(layout.count() - 1)
    assert layout.heightForWidth(width) == 2 * row + 4


def test_a_longer_label_is_measured_again(qtbot):
    host, layout, buttons = make(qtbot, count=1)
    narrow = layout.minimumSize().width()
    width = buttons[0].sizeHint().width() + 2
    assert layout.heightForWidth(width) == buttons[0].sizeHint().height()
    buttons[0].setText("a much longer approach name than before")
    assert layout.minimumSize().width() > narrow
    assert layout.heightForWidth(width) == buttons[0].sizeHint().height()  # one chip: one row, whatever its width
    buttons[0].setText("x")
    assert layout.minimumSize().width() < narrow
