import json

import numpy as np
import pytest
from PySide6.QtWidgets import QCheckBox, QSplitter, QTextEdit

from atlas.model import Annotation, AtlasImage, ImageInfo, LayerStyle
from atlas.ui.image_viewer import ImageViewer

ALL_LAYERS = (
    LayerStyle("anatomy", "Anatomy", "#f2c94c", 1), LayerStyle("target", "Target", "#3ddc84", 2),
    LayerStyle("trajectory", "Needle path", "#4fc3f7", 3), LayerStyle("danger", "Danger structures", "#ff5a5f", 4),
    LayerStyle("contrast", "Contrast", "#c792ea", 5), LayerStyle("measure", "Measurements", "#ffffff", 6),
)


def _image(title: str, view: str, layers, letters=True) -> AtlasImage:
    meta = json.dumps({"orientation": {"left": "R", "right": "L"}}) if letters else "{}"
    info = ImageInfo(title, title, "", "fluoroscopy", view, 64, 64, True, meta_json=meta)
    notes = tuple(Annotation("point", layer.name, layer.label, ((10.0 + 5 * i, 20.0),)) for i, layer in enumerate(layers))
    return AtlasImage(info, b"", notes, tuple(layers))


@pytest.fixture
def viewer_beside_page(qtbot):
    """The viewer in a splitter beside a text view, as in the main window, narrow enough to matter."""
    splitter = QSplitter()
    page = QTextEdit()
    viewer = ImageViewer()
    splitter.addWidget(page)
    splitter.addWidget(viewer)
    qtbot.addWidget(splitter)
    splitter.resize(900, 600)
    splitter.setSizes([400, 500])
    splitter.show()
    qtbot.waitExposed(splitter)
    return splitter, page, viewer


def _settle(qtbot):
    qtbot.wait(30)


def test_the_image_area_keeps_its_size_whatever_the_title_and_layers(qtbot, viewer_beside_page):
    splitter, page, viewer = viewer_beside_page
    pixels = np.zeros((64, 64), np.uint8)
    viewer.show_image(_image("Short", "AP", ALL_LAYERS[:1]), pixels)
    _settle(qtbot)
    image_size, page_width = viewer.graphics.size(), page.width()
    long_title = "Needle advanced down the beam to the subpedicular target"
    long_view = "Prone · beam AP · 25° right oblique (detector to patient's right)"
    viewer.show_image(_image(long_title, long_view, ALL_LAYERS[:4]), pixels)
    _settle(qtbot)
    line = viewer.title.fontMetrics().lineSpacing()
    assert viewer.title.heightForWidth(viewer.title.width()) > 1.5 * line  # the title takes two lines here
    assert len({box.y() for box in viewer.layer_boxes.values()}) == 2  # and the legend two rows
    assert viewer.graphics.size() == image_size  # a title on two lines does not shrink the image
    assert page.width() == page_width  # a legend with more layers wraps instead of widening the viewer
    viewer.show_image(_image("Short", "AP", ALL_LAYERS[:1]), pixels)
    _settle(qtbot)
    assert viewer.graphics.size() == image_size


def test_the_legend_wraps_and_every_layer_box_stays_visible(qtbot, viewer_beside_page):
    splitter, page, viewer = viewer_beside_page
    viewer.show_image(_image("Many layers", "AP", ALL_LAYERS), np.zeros((64, 64), np.uint8))
    _settle(qtbot)
    assert viewer.minimumSizeHint().width() < 340
    boxes = list(viewer.layer_boxes.values())
    assert len(boxes) == len(ALL_LAYERS) and all(box.isVisible() for box in boxes)
    assert len({box.y() for box in boxes}) > 1  # on more than one line
    for box in boxes:
        assert box.geometry().right() <= viewer.legend.width()


def test_edge_letters_are_kept_and_relabelled_from_image_to_image(qtbot, viewer_beside_page):
    _, _, viewer = viewer_beside_page
    pixels = np.zeros((64, 64), np.uint8)
    viewer.show_image(_image("One", "AP", ALL_LAYERS[:1]), pixels)
    left = viewer._edge_items["left"]
    assert left.toPlainText() == "R" and left.isVisible()
    flipped = _image("Two", "PA", ALL_LAYERS[:1])
    flipped = flipped._replace(info=flipped.info._replace(meta_json=json.dumps({"orientation": {"left": "L", "right": "R"}})))
    viewer.show_image(flipped, pixels)
    assert viewer._edge_items["left"] is left and left.toPlainText() == "L"
    viewer.show_image(_image("Three", "AP", ALL_LAYERS[:1], letters=False), pixels)
    assert not left.isVisible()


def test_legend_boxes_are_made_once_per_layer_and_follow_the_image(qtbot, viewer_beside_page):
    _, _, viewer = viewer_beside_page
    pixels = np.zeros((64, 64), np.uint8)
    viewer.show_image(_image("One", "AP", ALL_LAYERS[:3]), pixels)
    anatomy = viewer.layer_boxes["anatomy"]
    anatomy.click()  # the user hides the anatomy layer
    assert not any(i.isVisible() for i in viewer.overlay.items["anatomy"])
    viewer.show_image(_image("Two", "AP", (ALL_LAYERS[0], ALL_LAYERS[4])), pixels)
    assert list(viewer.layer_boxes) == ["anatomy", "contrast"]
    assert viewer.layer_boxes["anatomy"] is anatomy and anatomy.isChecked()  # a new image shows every layer again
    hidden = [box for box in viewer.legend.findChildren(QCheckBox) if not box.isVisibleTo(viewer.legend)]
    assert {box.text() for box in hidden} == {"■ Target", "■ Needle path"}
    viewer.layer_boxes["contrast"].click()
    assert not any(i.isVisible() for i in viewer.overlay.items["contrast"])
    viewer.show_image(_image("Three", "AP", ALL_LAYERS[:3]), pixels)
    assert [box.text() for box in viewer.layer_boxes.values()] == ["■ Anatomy", "■ Target", "■ Needle path"]
    assert len(viewer.legend.findChildren(QCheckBox)) == 4


def test_labels_keep_off_the_orientation_letters(qtbot, viewer_beside_page):
    """A label whose point lies under an edge letter (the F at the bottom middle) is moved off the letter."""
    _, _, viewer = viewer_beside_page
    info = ImageInfo("Letters", "Letters", "", "fluoroscopy", "AP", 64, 64, True,
                     meta_json=json.dumps({"orientation": {"left": "R", "right": "L", "top": "H", "bottom": "F"}}))
    note = Annotation("point", ALL_LAYERS[0].name, "Exiting L4 nerve", ((30.0, 56.5),))
    viewer.show_image(AtlasImage(info, b"", (note,), (ALL_LAYERS[0],)), np.zeros((64, 64), np.uint8))
    _settle(qtbot)
    viewer.fit()
    px, py = viewer.view.viewPixelSize()
    letters = viewer._edge_letter_areas(px, py)
    assert len(letters) == 4
    label = next(lab for labs in viewer.overlay.labels.values() for lab in labs if lab.isVisible())
    spot = label.image_area(px, py)
    bottom = min(letters, key=lambda a: -a.top)
    assert spot.left < bottom.left + bottom.w and bottom.left < spot.left + spot.w, "the label spans the letter's column"
    assert not any(spot.overlaps(a) for a in letters)
