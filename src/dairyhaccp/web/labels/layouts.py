"""Label sizes and the fixed words of a label, read from printing.toml (data, not code)."""

from __future__ import annotations

import functools
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from django.utils.formats import number_format
from django.utils.translation import gettext as _

PRINTING_FILE = Path(__file__).with_name("printing.toml")
LANGS = ("nl", "fr", "en")


@dataclass(frozen=True, slots=True)
class Position:
    """Where one label of a sheet sits on its page, in millimetres from the top left corner."""

    page: int
    top_mm: float
    left_mm: float

    @property
    def style(self) -> str:
        """The place as CSS for the PDF (never localised: 0.45, not 0,45)."""
        return f"top: {self.top_mm:g}mm; left: {self.left_mm:g}mm;"


@dataclass(frozen=True, slots=True)
class Layout:
    """A label size: an A4 sheet of stickers or a roll label, with its measures in mm."""

    id: str
    kind: Literal["sheet", "roll"]
    page_width_mm: float
    page_height_mm: float
    columns: int
    rows: int
    label_width_mm: float
    label_height_mm: float
    margin_top_mm: float
    margin_left_mm: float
    gap_x_mm: float
    gap_y_mm: float
    padding_mm: float
    font_size_pt: float
    qr_mm: float

    @property
    def per_page(self) -> int:
        return self.columns * self.rows

    @property
    def title(self) -> str:
        """The layout in words, in the page's language."""
        values = {
            "columns": self.columns,
            "rows": self.rows,
            "width": _mm(self.label_width_mm),
            "height": _mm(self.label_height_mm),
        }
        if self.kind == "roll":
            return _("Roll of {width} mm, labels of {width} × {height} mm").format(**values)
        return _("A4 sheet of {columns} × {rows} labels of {width} × {height} mm").format(**values)

    def positions(self, count: int, first: int = 1) -> list[Position]:
        """The places of `count` labels, starting at place `first` (1-based) of the first page.

        On a sheet the places run left to right, then top to bottom; skipping the first
        places lets a partly used sheet be printed on.
        """
        places = []
        for index in range(first - 1, first - 1 + count):
            page, place = divmod(index, self.per_page)
            row, column = divmod(place, self.columns)
            places.append(
                Position(
                    page=page,
                    top_mm=round(
                        self.margin_top_mm + row * (self.label_height_mm + self.gap_y_mm), 3
                    ),
                    left_mm=round(
                        self.margin_left_mm + column * (self.label_width_mm + self.gap_x_mm), 3
                    ),
                )
            )
        return places


def _mm(value: float) -> str:
    """A measure in the page's language: 42,3 in Dutch and French, 42.3 in English."""
    return number_format(value, decimal_pos=None if value != int(value) else 0)


class LayoutError(ValueError):
    """printing.toml is malformed: a programming error caught at start, never a user's."""


def _layout(raw: dict[str, Any]) -> Layout:
    try:
        layout = Layout(**raw)
    except TypeError as exc:
        raise LayoutError(f"layout {raw.get('id')!r}: {exc}") from exc
    if layout.kind not in ("sheet", "roll"):
        raise LayoutError(f"layout {layout.id}: kind must be sheet or roll")
    right = layout.margin_left_mm + layout.columns * layout.label_width_mm
    right += (layout.columns - 1) * layout.gap_x_mm
    bottom = layout.margin_top_mm + layout.rows * layout.label_height_mm
    bottom += (layout.rows - 1) * layout.gap_y_mm
    if right > layout.page_width_mm + 1e-6 or bottom > layout.page_height_mm + 1e-6:
        raise LayoutError(f"layout {layout.id}: the labels do not fit the page")
    if layout.qr_mm > min(layout.label_width_mm, layout.label_height_mm) - 2 * layout.padding_mm:
        raise LayoutError(f"layout {layout.id}: the QR code does not fit the label")
    return layout


@dataclass(frozen=True, slots=True)
class Printing:
    """Everything printing.toml holds."""

    layouts: tuple[Layout, ...]
    words: dict[str, dict[str, str]]

    def layout(self, layout_id: str) -> Layout:
        for layout in self.layouts:
            if layout.id == layout_id:
                return layout
        raise KeyError(layout_id)

    def word(self, word: str, lang: str) -> str:
        return self.words[word][lang]


@functools.cache
def printing() -> Printing:
    """The label sizes and words of printing.toml, checked once."""
    with PRINTING_FILE.open("rb") as handle:
        raw = tomllib.load(handle)
    layouts = tuple(_layout(item) for item in raw["layouts"])
    ids = [layout.id for layout in layouts]
    if len(set(ids)) != len(ids):
        raise LayoutError("two layouts share an id")
    words = raw["words"]
    for word, texts in words.items():
        if set(texts) != set(LANGS):
            raise LayoutError(f"word {word}: give it in {', '.join(LANGS)}")
    return Printing(layouts, words)


def layout_choices() -> list[tuple[str, str]]:
    """The layouts as form choices, in the page's language."""
    return [(layout.id, layout.title) for layout in printing().layouts]


def _n(value: float) -> str:
    return f"{value:g}"


def layout_css() -> str:
    """The size of a label of each layout, for the preview at real size and the PDF."""
    rules = []
    for layout in printing().layouts:
        selector = f".label-size-{layout.id}"
        rules.append(
            f"{selector} {{ width: {_n(layout.label_width_mm)}mm; "
            f"height: {_n(layout.label_height_mm)}mm; padding: {_n(layout.padding_mm)}mm; "
            f"font-size: {_n(layout.font_size_pt)}pt; }}\n"
            f"{selector} .label-qr {{ width: {_n(layout.qr_mm)}mm; "
            f"height: {_n(layout.qr_mm)}mm; }}\n"
        )
    return "".join(rules)


def page_css(layout: Layout) -> str:
    """The page of a PDF of `layout`: the sheet or the roll label, without printer margins."""
    width, height = _n(layout.page_width_mm), _n(layout.page_height_mm)
    return (
        f"@page {{ size: {width}mm {height}mm; margin: 0; }}\n"
        f".sheet-page {{ width: {width}mm; height: {height}mm; }}\n"
    )
