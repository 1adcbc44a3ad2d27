import numpy as np
import pyqtgraph as pg
import pytest
from PySide6.QtCore import QRectF

from atlas.model import Annotation, LayerStyle
from atlas.ui.overlays import AnnotationOverlay, Label

LAYERS = (LayerStyle("anatomy", "Anatomy", "#f2c94c", 1), LayerStyle("danger", "Danger", "#ff5a5f", 3))


@pytest.fixture
def overlay(qtbot):
    widget = pg.GraphicsLayoutWidget()
    qtbot.addWidget(widget)
    view = widget.addViewBox()
    image = pg.ImageItem(np.zeros((100, 200), np.uint8), axisOrder="row-major")
    view.addItem(image)
    widget.resize(400, 200)
    widget.show()
    view.autoRange(padding=0)
    overlay = AnnotationOverlay(image)
    overlay.view = view
    yield overlay
    widget.close()
    del image, view


def _first_image():
    return (
        Annotation("point", "anatomy", "pedicle", ((50.0, 40.0),)),
        Annotation("point", "anatomy", "pars", ((52.0, 41.0),)),  # its label collides with the one above
        Annotation("point", "anatomy", "facet", ((51.0, 40.5),)),  # and this one with both
        Annotation("arrow", "danger", "artery", ((20.0, 80.0), (40.0, 60.0))),
        Annotation("polyline", "anatomy", "needle", ((10.0, 10.0), (90.0, 50.0))),
        Annotation("polygon", "danger", "sac", ((100.0, 20.0), (140.0, 20.0), (120.0, 60.0))),
    )


def _visible(overlay):
    return [i for items in overlay.items.values() for i in items if i.isVisible()]


def _scene_items(overlay):
    return len(overlay.image_item.scene().items())


def test_labels_that_collide_are_moved_apart_with_a_leader(overlay):
    overlay.draw(_first_image(), LAYERS, None)
    overlay.arrange_labels(overlay.view.viewPixelSize())
    pedicle, pars, facet = overlay.labels["anatomy"][:3]
    px, py = overlay.view.viewPixelSize()

    def footprint(label):  # in image pixels: labels keep their size on screen
        rect = label.rect()
        return QRectF(label.pos().x() + rect.left() * px, label.pos().y() + rect.top() * py, rect.width() * px, rect.height() * py)

    boxes = [footprint(label) for label in (pedicle, pars, facet)]
    assert not any(a.intersects(b) for i, a in enumerate(boxes) for b in boxes[i + 1:])
    lowest = max((pedicle, pars, facet), key=lambda label: label.pos().y())
    assert lowest.leader is not None and lowest.leader.isVisible()  # moved two rows away from its dot
    assert pedicle.leader is None


def test_a_new_image_uses_the_items_of_the_last_one_again(overlay):
    overlay.draw(_first_image(), LAYERS, None)
    overlay.arrange_labels(overlay.view.viewPixelSize())
    before = _scene_items(overlay)
    second = (
        Annotation("point", "danger", "vertebral artery", ((150.0, 50.0),)),
        Annotation("polyline", "anatomy", "path", ((0.0, 0.0), (30.0, 30.0))),
    )
    overlay.draw(second, LAYERS, None)
    overlay.arrange_labels(overlay.view.viewPixelSize())
    assert _scene_items(overlay) == before  # nothing new was made: the spare items were enough
    texts = sorted(lab.toPlainText() for labs in overlay.labels.values() for lab in labs if lab.isVisible())
    assert texts == ["path", "vertebral artery"]
    shown = _visible(overlay)
    assert len(shown) == 5  # dot, label; outline and dashes of the path, its label
    hidden_texts = [i.toPlainText() for i in overlay.image_item.childItems() if isinstance(i, Label) and not i.isVisible()]
    assert "pedicle" in hidden_texts or "pars" in hidden_texts or "artery" in hidden_texts  # old labels wait hidden
    artery = next(lab for lab in overlay.labels["danger"])
    assert artery.leader is None and artery.color.name() == "#ff5a5f"
    # drawing the first image again shows its labels and the leader, and still makes nothing new
    overlay.draw(_first_image(), LAYERS, None)
    overlay.arrange_labels(overlay.view.viewPixelSize())
    assert _scene_items(overlay) == before
    assert sorted(lab.toPlainText() for labs in overlay.labels.values() for lab in labs) == ["artery", "facet", "needle", "pars", "pedicle", "sac"]


def test_reused_items_keep_layer_visibility_rules(overlay):
    overlay.draw(_first_image(), LAYERS, None)
    overlay.draw(_first_image(), LAYERS, {"anatomy"})
    assert overlay.items["danger"] and not any(i.isVisible() for i in overlay.items["danger"])
    assert all(i.isVisible() for i in overlay.items["anatomy"])
    overlay.set_labels_visible(False)
    assert not any(lab.isVisible() for lab in overlay.labels["anatomy"])


def test_clear_keeps_only_a_bounded_number_of_spares(overlay):
    many = tuple(Annotation("point", "anatomy", f"p{i}", ((float(i % 200), float(i % 100)),)) for i in range(150))
    overlay.draw(many, LAYERS, None)
    overlay.clear()
    assert len(overlay._spare["label"]) == AnnotationOverlay.SPARE_MAX
    assert len(overlay._spare["spot"]) == AnnotationOverlay.SPARE_MAX
    hidden = [i for i in overlay.image_item.childItems() if not i.isVisible()]
    assert len(hidden) == 2 * AnnotationOverlay.SPARE_MAX


def test_labels_keep_off_the_dots_of_other_points(overlay):
    near = (
        Annotation("point", "anatomy", "carotid artery", ((40.0, 40.0),)),
        Annotation("point", "anatomy", "thyroid", ((46.0, 40.5),)),  # its dot lies under the first label's text
    )
    overlay.draw(near, LAYERS, None)
    px, py = overlay.view.viewPixelSize()
    overlay.arrange_labels((px, py))
    carotid = overlay.labels["anatomy"][0]
    rect = carotid.rect()
    left, top = carotid.pos().x() + rect.left() * px, carotid.pos().y() + rect.top() * py
    right, bottom = left + rect.width() * px, top + rect.height() * py
    dot = 5.5 * max(px, py)
    assert not (left < 46.0 + dot and 46.0 - dot < right and top < 40.5 + dot and 40.5 - dot < bottom)
