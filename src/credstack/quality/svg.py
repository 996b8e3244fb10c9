"""A horizontal bar chart of compliance rates, written as plain SVG (no plotting library)."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from html import escape

WIDTH = 760
LABEL_WIDTH = 300
BAR_WIDTH = 300  # leaves room after the bar for a figure such as "100% (100000/100000)"
ROW_HEIGHT = 22
TITLE_HEIGHT = 30
PANEL_GAP = 24
MARGIN = 8
# Average advance of a line of sans-serif text in ems, capitals and bold included, with
# room to spare: lines are wrapped (and labels cut) at the characters that fit by it.
EM_PER_CHARACTER = 0.62
LABEL_PX = 12


@dataclass(frozen=True)
class Bar:
    """One bar: a label, a rate 0.0-1.0 and the counts behind it."""

    label: str
    rate: float
    passed: int
    checked: int


@dataclass(frozen=True)
class Panel:
    """A titled group of bars."""

    title: str
    bars: list[Bar]
    note: str = ""


def _colour(rate: float) -> str:
    # Three bands so a reader sees at a glance what needs work (colour-blind safe hues).
    if rate >= 0.9:
        return "#1b7837"
    if rate >= 0.5:
        return "#e08214"
    return "#b2182b"


def _clip(text: str) -> str:
    # A bar's label ends at the bar; longer ones are cut here (the tooltip has it whole).
    limit = int((LABEL_WIDTH - 2 * MARGIN) / (LABEL_PX * EM_PER_CHARACTER))
    return text if len(text) <= limit else text[: limit - 1] + "…"


def wrapped_text(text: str, *, top: int, font_px: int, css_class: str) -> tuple[str, int]:
    """``text`` as SVG lines that fit the chart's width; the element and its height."""
    per_line = int((WIDTH - 2 * MARGIN) / (font_px * EM_PER_CHARACTER))
    lines = textwrap.wrap(text, per_line, break_on_hyphens=False) or [""]
    line_height = round(font_px * 1.3)
    spans = "".join(
        f'<tspan x="{MARGIN}" dy="{font_px if index == 0 else line_height}">{escape(line)}</tspan>'
        for index, line in enumerate(lines)
    )
    element = f'<text x="{MARGIN}" y="{top}" class="{css_class}">{spans}</text>'
    return element, font_px + line_height * (len(lines) - 1)


def _panel(panel: Panel, top: int) -> tuple[list[str], int]:
    title, height = wrapped_text(panel.title, top=top + 6, font_px=14, css_class="title")
    parts = [title]
    y = top + height + TITLE_HEIGHT - 14
    for bar in panel.bars:
        length = round(BAR_WIDTH * max(0.0, min(1.0, bar.rate)))
        label = escape(_clip(bar.label))
        figure = f"{bar.rate:.0%} ({bar.passed}/{bar.checked})"
        parts.extend(
            [
                f'<text x="{LABEL_WIDTH - 8}" y="{y + 15}" class="label">{label}'
                f"<title>{escape(bar.label)}</title></text>",
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{BAR_WIDTH}" height="16" '
                f'class="track"/>',
                f'<rect x="{LABEL_WIDTH}" y="{y + 3}" width="{length}" height="16" '
                f'fill="{_colour(bar.rate)}"><title>{escape(bar.label)}: {figure}</title></rect>',
                f'<text x="{LABEL_WIDTH + BAR_WIDTH + 6}" y="{y + 15}" class="figure">'
                f"{escape(figure)}</text>",
            ]
        )
        y += ROW_HEIGHT
    if panel.note:
        parts.append(f'<text x="8" y="{y + 14}" class="note">{escape(panel.note)}</text>')
        y += ROW_HEIGHT
    return parts, y


def bar_chart(title: str, panels: list[Panel]) -> str:
    """An SVG document with one bar panel after another."""
    heading, height = wrapped_text(title, top=6, font_px=16, css_class="heading")
    body: list[str] = [heading]
    y = height + 18
    for panel in panels:
        parts, y = _panel(panel, y)
        body.extend(parts)
        y += PANEL_GAP
    style = (
        "<style>text{font-family:system-ui,sans-serif;font-size:12px;fill:#222}"
        ".heading{font-size:16px;font-weight:600}.title{font-size:14px;font-weight:600}"
        ".label{text-anchor:end}.note{fill:#555;font-style:italic}.track{fill:#eee}</style>"
    )
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{y}" '
        f'viewBox="0 0 {WIDTH} {y}" role="img" aria-label="{escape(title)}">'
        f"{style}{''.join(body)}</svg>\n"
    )
