"""Server-rendered bar charts as inline SVG: no script, no external assets.

Each chart has a <title> and <desc> and is always shown next to the table it
draws, which is the text alternative for screen-reader users.
"""

from __future__ import annotations

from typing import Optional, Sequence, Tuple

from markupsafe import Markup, escape

BAR_COLOUR = "#1d4f91"  # 8.9:1 on white; bars need 3:1 (WCAG 1.4.11)
TEXT_COLOUR = "#0b0c0c"
ROW_HEIGHT = 28
LABEL_WIDTH = 260
BAR_WIDTH = 360


def bar_chart(chart_id: str, title: str, rows: Sequence[Tuple[str, Optional[float]]], unit: str = "",
              missing: str = "no data") -> Markup:
    """Return a horizontal bar chart; missing values draw no bar and read `missing` ('no data')."""
    top = max([v for _, v in rows if v is not None] + [1.0])
    height = ROW_HEIGHT * max(len(rows), 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 80
    parts = [
        f'<svg class="chart" id="{escape(chart_id)}" role="img" aria-labelledby="{escape(chart_id)}-t {escape(chart_id)}-d" '
        f'viewBox="0 0 {width} {height}" width="100%" preserveAspectRatio="xMinYMin meet" xmlns="http://www.w3.org/2000/svg">',
        f'<title id="{escape(chart_id)}-t">{escape(title)}</title>',
        f'<desc id="{escape(chart_id)}-d">Bar chart. The same figures are in the table that follows.</desc>',
    ]
    for i, (label, value) in enumerate(rows):
        y = 4 + i * ROW_HEIGHT
        text_y = y + ROW_HEIGHT / 2 + 5
        short = label if len(label) <= 34 else label[:33] + "…"
        parts.append(f'<text x="0" y="{text_y}" fill="{TEXT_COLOUR}" font-size="14">{escape(short)}</text>')
        if value is None:
            parts.append(f'<text x="{LABEL_WIDTH}" y="{text_y}" fill="{TEXT_COLOUR}" font-size="14">{escape(missing)}</text>')
            continue
        length = BAR_WIDTH * float(value) / top
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 4}" width="{length:.1f}" height="{ROW_HEIGHT - 8}" fill="{BAR_COLOUR}"/>')
        shown = f"{value:g}{unit}"
        parts.append(f'<text x="{LABEL_WIDTH + length + 6:.1f}" y="{text_y}" fill="{TEXT_COLOUR}" font-size="14">{escape(shown)}</text>')
    parts.append("</svg>")
    return Markup("".join(parts))
