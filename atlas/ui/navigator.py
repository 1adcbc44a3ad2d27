"""The level-and-approach navigator: type or click a level, pick an approach, open a page."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QButtonGroup, QLabel, QLineEdit, QListWidget, QListWidgetItem, QPushButton, QSizePolicy, QVBoxLayout, QWidget,
)

from atlas.db.repository import ContentRepository
from atlas.levels import parse_level, parse_region
from atlas.ui.flow_layout import FlowLayout
from atlas.ui.spine_diagram import SpineDiagram

ALL_APPROACHES = ""


class NavigatorPanel(QWidget):
    """Emits :attr:`pageActivated` with a slug when the user opens a page from the list."""

    pageActivated = Signal(str)
    selectionChanged = Signal(str, str)  # level ("" for all), approach ("" for all)

    def __init__(self, repo: ContentRepository, parent=None):
        super().__init__(parent)
        self.repo = repo
        self.level: str | None = None
        self.approach: str | None = None
        self._open_slug: str | None = None  # the page on screen, highlighted in the list
        self._definitions = {a.name: a.definition for a in repo.approaches()}

        self.level_edit = QLineEdit()
        self.level_edit.setPlaceholderText("Level: L45, C7T1, S1, lumbar…")
        self.level_edit.setClearButtonEnabled(True)
        self.level_edit.setAccessibleName("Type a level")
        self.level_edit.textEdited.connect(self._typed)
        self.level_edit.returnPressed.connect(self._open_first)

        self.diagram = SpineDiagram()
        self.diagram.set_available(repo.levels_with_pages())
        self.diagram.levelClicked.connect(self.select_level)

        self.selection_label = QLabel("All levels")
        self.selection_label.setObjectName("selectionLabel")

        self.chips = QWidget()
        self.chip_layout = FlowLayout(self.chips, spacing=4)
        self.chip_group = QButtonGroup(self)
        self.chip_group.setExclusive(False)
        self.chip_buttons: dict[str, QPushButton] = {}  # the chips on show, in vocabulary order
        self._chip_pool: dict[str, QPushButton] = {}

        self.page_list = QListWidget()
        self.page_list.setAccessibleName("Pages for this selection")
        self.page_list.setWordWrap(True)
        self.page_list.setUniformItemSizes(False)
        self.page_list.itemActivated.connect(self._activated)
        self.page_list.itemClicked.connect(self._activated)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addWidget(self.level_edit)
        layout.addWidget(self.diagram, 5)
        layout.addWidget(self.selection_label)
        self.chips.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Minimum)
        layout.addWidget(self.chips)
        layout.addWidget(self.page_list, 2)
        self.refresh()

    # -- selection --------------------------------------------------------

    def _typed(self, text: str) -> None:
        text = text.strip()
        if not text:
            self.select_level(None)
            return
        level = parse_level(text)
        if level is not None:
            self.select_level(level, from_typing=True)
        elif parse_region(text) is not None:
            self.select_level(text.lower(), from_typing=True)

    def select_level(self, level: str | None, from_typing: bool = False) -> None:
        if level:
            level = parse_level(level) or (level.strip().lower() if parse_region(level) else None)
        self.level = level
        if not from_typing:
            self.level_edit.setText(level or "")
        self.diagram.set_selected(level)
        available = self.repo.approaches_at(level)
        if self.approach not in available:
            self.approach = None
        self.refresh(available)

    def select_approach(self, approach: str | None) -> None:
        self.approach = approach or None
        self.refresh()

    def _chip_toggled(self, name: str, checked: bool) -> None:
        self.select_approach(name if checked else None)

    def _rebuild_chips(self, available: list[str] | None = None) -> None:
        """Show the chips of the approaches found at this level. One button per term is made once and then
        shown or hidden: making and polishing new buttons on every click cost more than the rest of a page change."""
        available = self.repo.approaches_at(self.level) if available is None else available
        if list(self.chip_buttons) != available:
            made = False
            for name in available:
                if name not in self._chip_pool:
                    button = QPushButton(name)
                    button.setCheckable(True)
                    button.setObjectName("approachChip")
                    button.setToolTip(self._definitions.get(name, ""))
                    button.setFocusPolicy(Qt.FocusPolicy.TabFocus)
                    button.toggled.connect(lambda checked, n=name: self._chip_toggled(n, checked))
                    self.chip_group.addButton(button)
                    self._chip_pool[name] = button
                    made = True
            if made:  # laid out in vocabulary order, whatever order they were made in
                order = {a: i for i, a in enumerate(self._definitions)}
                for name in sorted(self._chip_pool, key=lambda n: order.get(n, len(order))):
                    self.chip_layout.removeWidget(self._chip_pool[name])
                    self.chip_layout.addWidget(self._chip_pool[name])
            shown = set(available)
            for name, button in self._chip_pool.items():
                button.setVisible(name in shown)
            self.chip_buttons = {name: self._chip_pool[name] for name in available}
        for name, button in self.chip_buttons.items():
            button.blockSignals(True)
            button.setChecked(name == self.approach)
            button.blockSignals(False)
        self.chips.updateGeometry()

    def refresh(self, available: list[str] | None = None) -> None:
        self._rebuild_chips(available)
        try:
            pages = self.repo.list_pages(level=self.level, approach=self.approach)
        except ValueError:
            pages = []
        self.page_list.clear()
        for page in pages:
            item = QListWidgetItem(page.title)
            detail = f"{page.kind} · {page.region} · {', '.join(page.approaches) or 'topic'}"
            item.setToolTip(f"{page.title}\n{detail}\n{page.summary}")
            item.setData(Qt.ItemDataRole.UserRole, page.slug)
            self.page_list.addItem(item)
        where = self.level or "All levels"
        how = f" · {self.approach}" if self.approach else ""
        self.selection_label.setText(f"{where}{how} — {len(pages)} page{'s' if len(pages) != 1 else ''}")
        self.mark_open(self._open_slug)
        self.selectionChanged.emit(self.level or "", self.approach or "")

    def mark_open(self, slug: str | None) -> None:
        """Highlight the page on screen in the list (and scroll to it); nothing if this selection lacks it."""
        self._open_slug = slug
        for row in range(self.page_list.count()):
            item = self.page_list.item(row)
            if item.data(Qt.ItemDataRole.UserRole) == slug:
                if self.page_list.currentItem() is not item:
                    self.page_list.setCurrentItem(item)  # does not open it again: only a click or Enter does
                self.page_list.scrollToItem(item)
                return
        self.page_list.setCurrentRow(-1)

    def slugs(self) -> list[str]:
        return [self.page_list.item(i).data(Qt.ItemDataRole.UserRole) for i in range(self.page_list.count())]

    def _activated(self, item: QListWidgetItem) -> None:
        self.pageActivated.emit(item.data(Qt.ItemDataRole.UserRole))

    def _open_first(self) -> None:
        """Enter in the level box moves to the page list (Enter there opens the highlighted page)."""
        if self.page_list.count() == 1:
            self.page_list.setCurrentRow(0)
            self._activated(self.page_list.item(0))
        elif self.page_list.count():
            self.page_list.setCurrentRow(0)
            self.page_list.setFocus()
