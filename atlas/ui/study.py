"""Self-study: the review-due queue, one quiz card at a time, and progress by region.

Quiz items come from :mod:`atlas.study.quiz`; their schedule from the fsrs
library through :class:`atlas.study.schedule.StudySchedule`.
"""

from __future__ import annotations

import datetime as dt
import html

from atlas.ui.plotting import ImageItem, pg
from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QDialog, QGridLayout, QHBoxLayout, QLabel, QPushButton, QStackedWidget, QVBoxLayout, QWidget,
)

from atlas.annotations import hit_test
from atlas.model import Annotation, AtlasImage, LayerStyle
from atlas.study.quiz import QuizItem
from atlas.study.schedule import StudySchedule
from atlas.ui.overlays import AnnotationOverlay
from atlas.ui.workers import ImageWorker, WorkerThread

HIGHLIGHT = LayerStyle("quiz", "Quiz", "#ffd54f", 50)
CLICK_TOLERANCE_PX = 12


class QuizImage(pg.GraphicsLayoutWidget):
    """The quiz's picture: labels hidden; the asked-for structure highlighted, or clickable."""

    clicked = Signal(float, float)

    def __init__(self, parent=None):
        super().__init__(parent)
        self.view = self.addViewBox(lockAspect=True, invertY=True, enableMenu=False)
        self.image_item = ImageItem()
        self.view.addItem(self.image_item)
        self.overlay = AnnotationOverlay(self.image_item)
        self.scene().sigMouseClicked.connect(self._clicked)
        self.setMinimumSize(360, 300)

    def display(self, pixels, annotations: tuple[Annotation, ...] = ()) -> None:
        self.image_item.setImage(pixels, levels=(0, 255) if pixels.ndim == 2 else None, autoLevels=False)
        highlighted = tuple(Annotation(a.kind, "quiz", "", a.points) for a in annotations)
        self.overlay.draw(highlighted, (HIGHLIGHT,), None)
        self.view.autoRange(padding=0.01, items=[self.image_item])
        self.show()

    def _clicked(self, event) -> None:
        p = self.image_item.mapFromScene(event.scenePos())
        self.clicked.emit(p.x(), p.y())


class StudyDialog(QDialog):
    itemShown = Signal(str)  # quiz item id
    answered = Signal(str, bool)  # item id, correct
    reviewed = Signal(str, object)  # item id, next due datetime
    openPage = Signal(str, int)
    _request_image = Signal(int, str)

    def __init__(self, db_path, items: list[QuizItem], schedule: StudySchedule, parent=None, now=None, first_slug: str | None = None):
        super().__init__(parent)
        self.setWindowTitle("Review — Spine Atlas")
        self.resize(900, 720)
        self.items = items
        self.schedule = schedule
        self._now = now  # fixed clock for tests; None = real time
        self.first_slug = first_slug  # the page the user had open: its questions come first
        self.queue: list[QuizItem] = []
        self.current: QuizItem | None = None
        self.current_image: AtlasImage | None = None
        self.was_correct: bool | None = None
        self._request = 0

        self.summary = QLabel()
        self.summary.setObjectName("studySummary")
        self.chart = pg.PlotWidget()
        self.chart.setMaximumHeight(170)
        self.chart.setMenuEnabled(False)
        self.chart.setMouseEnabled(False, False)
        self.chart.getPlotItem().hideButtons()
        self.chart.setLabel("left", "items")
        self.prompt = QLabel()
        self.prompt.setWordWrap(True)
        self.prompt.setObjectName("quizPrompt")
        self.prompt.setTextFormat(Qt.TextFormat.RichText)
        self.picture = QuizImage()
        self.picture.clicked.connect(self._picture_clicked)
        self.source = QLabel()
        self.source.setTextFormat(Qt.TextFormat.RichText)
        self.source.linkActivated.connect(self._open_source)
        self.feedback = QLabel(" ")
        self.feedback.setWordWrap(True)
        self.feedback.setObjectName("quizFeedback")

        self.choice_box = QWidget()
        self.choice_grid = QGridLayout(self.choice_box)
        self.choice_buttons: list[QPushButton] = []
        self.reveal_button = QPushButton("Show answer (Space)")
        self.reveal_button.clicked.connect(self.reveal)
        self.rating_box = QWidget()
        rating_row = QHBoxLayout(self.rating_box)
        self.rating_buttons = {}
        for key, (text, shortcut) in {"again": ("Again", "1"), "hard": ("Hard", "2"), "good": ("Good", "3"), "easy": ("Easy", "4")}.items():
            button = QPushButton(f"{text} ({shortcut})")
            button.setShortcut(shortcut)
            button.clicked.connect(lambda _=False, k=key: self.rate(k))
            rating_row.addWidget(button)
            self.rating_buttons[key] = button
        self.answer_stack = QStackedWidget()
        self.answer_stack.addWidget(self.choice_box)
        self.answer_stack.addWidget(self.reveal_button)
        self.answer_stack.addWidget(self.rating_box)
        self.answer_stack.addWidget(QLabel("Nothing is due. Come back later, or browse the atlas."))

        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addWidget(self.chart)
        layout.addWidget(self.prompt)
        layout.addWidget(self.picture, 1)
        layout.addWidget(self.feedback)
        layout.addWidget(self.answer_stack)
        layout.addWidget(self.source)

        self.worker = ImageWorker(db_path)
        self.thread = WorkerThread(self.worker, "quiz-images")
        self._request_image.connect(self.worker.load)
        self.worker.loaded.connect(self._image_loaded)
        self.worker.failed.connect(lambda _id, message: self.feedback.setText(message))
        self.refresh_queue()

    def now(self) -> dt.datetime:
        return self._now or dt.datetime.now(dt.timezone.utc)

    # -- queue and progress -------------------------------------------------

    def refresh_queue(self) -> None:
        self.queue = self.schedule.due(self.items, self.now(), first_slug=self.first_slug)
        self._draw_progress()
        self.next_item()

    def _draw_progress(self) -> None:
        progress = self.schedule.progress(self.items, self.now())
        self.summary.setText(
            f"<b>{len(self.queue)} due now</b> · {sum(p.seen for p in progress)} of {len(self.items)} items studied"
        )
        plot = self.chart.getPlotItem()
        plot.clear()
        if plot.legend is None:
            plot.addLegend(offset=(-10, 5))
        plot.legend.clear()
        xs = list(range(len(progress)))
        plot.addItem(pg.BarGraphItem(x=[x - 0.17 for x in xs], height=[p.total for p in progress], width=0.32, brush="#5b6470", name="items"))
        plot.addItem(pg.BarGraphItem(x=[x + 0.17 for x in xs], height=[p.seen for p in progress], width=0.32, brush="#4fc3f7", name="studied"))
        plot.getAxis("bottom").setTicks([[(x, p.group) for x, p in zip(xs, progress)]])
        self.progress = progress

    def next_item(self) -> None:
        self.feedback.setText(" ")
        self.was_correct = None
        if not self.queue:
            self.current = None
            self.prompt.setText("<b>All done for now.</b>")
            self.picture.hide()
            self.source.setText("")
            self.answer_stack.setCurrentIndex(3)
            return
        item = self.queue.pop(0)
        self.current = item
        self.prompt.setText(f"<span style='font-size:13pt'>{html.escape(item.prompt)}</span>")
        self.source.setText(
            f"From <a href='{html.escape(item.slug)}'>{html.escape(item.page_title)}</a>"
            + (f", step {item.step}" if item.step else "")
        )
        if item.choices:
            self._set_choices(item.choices)
            self.answer_stack.setCurrentIndex(0)
        elif item.kind == "locate":
            self.answer_stack.setCurrentIndex(1)
            self.reveal_button.setText("I give up: show me")
        else:
            self.answer_stack.setCurrentIndex(1)
            self.reveal_button.setText("Show answer")
        if item.image_id:
            self.picture.setEnabled(True)
            self._request += 1
            self.worker.latest = self._request
            self._request_image.emit(self._request, item.image_id)
        else:
            self.picture.hide()
            self.itemShown.emit(item.id)

    def _image_loaded(self, request_id: int, image: AtlasImage, pixels) -> None:
        if request_id != self._request or self.current is None or pixels is None:
            return
        self.current_image = image
        target = self.current.target_label if self.current.kind == "label" else None
        shown = tuple(a for a in image.annotations if target and a.label == target)
        self.picture.display(pixels, shown)
        self.itemShown.emit(self.current.id)

    def _set_choices(self, choices: tuple[str, ...]) -> None:
        for button in self.choice_buttons:
            self.choice_grid.removeWidget(button)
            button.setParent(None)
            button.deleteLater()
        self.choice_buttons = []
        for i, choice in enumerate(choices):
            button = QPushButton(f"{chr(ord('a') + i)}) {choice}")
            button.setShortcut(chr(ord("a") + i))
            button.clicked.connect(lambda _=False, c=choice: self.choose(c))
            self.choice_grid.addWidget(button, i // 2, i % 2)
            self.choice_buttons.append(button)

    # -- answering ----------------------------------------------------------

    def choose(self, choice: str) -> None:
        if self.current is None:
            return
        self._judge(choice == self.current.answer, choice)

    def _picture_clicked(self, x: float, y: float) -> None:
        if self.current is None or self.current.kind != "locate" or self.current_image is None or self.was_correct is not None:
            return
        tolerance = CLICK_TOLERANCE_PX * (self.picture.view.viewPixelSize()[0] or 1.0)
        hit = hit_test(self.current_image.annotations, x, y, tolerance)
        self._judge(hit is not None and hit.label == self.current.answer, hit.label if hit else "nothing labelled there")

    def reveal(self) -> None:
        if self.current is None:
            return
        if self.current.kind == "locate" and self.current_image is not None:
            self.picture.display(
                self.picture.image_item.image, tuple(a for a in self.current_image.annotations if a.label == self.current.answer)
            )
            self._judge(False, None)
            return
        self.feedback.setText(f"<b>Answer:</b> {html.escape(self.current.answer)} — how well did you know it?")
        self.answer_stack.setCurrentIndex(2)

    def _judge(self, correct: bool, given: str | None) -> None:
        self.was_correct = correct
        answer = html.escape(self.current.answer)
        if correct:
            self.feedback.setText(f"<span style='color:#3ddc84'><b>Correct:</b> {answer}</span>")
        else:
            told = f" (you chose {html.escape(given)})" if given else ""
            self.feedback.setText(f"<span style='color:#ff8a80'><b>The answer is {answer}</b>{told}</span>")
        self.answer_stack.setCurrentIndex(2)
        self.rating_buttons["good" if correct else "again"].setFocus()
        self.answered.emit(self.current.id, correct)

    def rate(self, rating: str) -> None:
        if self.current is None:
            return
        item = self.current
        due = self.schedule.review(item.id, rating, self.now())
        self.reviewed.emit(item.id, due)
        if due <= self.now() + dt.timedelta(minutes=20):
            self.queue.append(item)  # learning steps: it comes back in this session
        self._draw_progress()
        self.next_item()

    def keyPressEvent(self, event):  # noqa: N802
        if event.key() == Qt.Key.Key_Space and self.answer_stack.currentIndex() == 1:
            self.reveal()
            return
        super().keyPressEvent(event)

    def _open_source(self, slug: str) -> None:
        if self.current is not None:
            self.openPage.emit(slug, self.current.step or 0)

    def done(self, result: int) -> None:  # noqa: A003 (Qt name)
        self.thread.stop()
        super().done(result)
