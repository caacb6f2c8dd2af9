"""Server-rendered SVG charts: they work in PDFs and without JavaScript.

Colours are presentation attributes (not style attributes), so the strict
Content-Security-Policy does not block them. Every chart comes with a table
alternative in the template for screen readers.
"""

from django.utils.html import escape

PALETTE = ["#1a4f8b", "#b35c00", "#2e7d32", "#6a1b9a", "#00838f", "#5d4037"]


def bar_chart(rows: list[tuple[str, int]], *, title: str, width: int = 480) -> str:
    """Horizontal bars, one per (label, value) row."""
    bar_height, gap, label_width = 22, 8, 170
    height = max(1, len(rows)) * (bar_height + gap) + gap
    largest = max((value for _label, value in rows), default=0) or 1
    scale = (width - label_width - 50) / largest
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img" aria-label="{escape(title)}">',
        f"<title>{escape(title)}</title>",
    ]
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        parts.append(
            f'<text x="{label_width - 6}" y="{y + 15}" text-anchor="end" font-size="12" '
            f'fill="#212529">{escape(label)}</text>'
        )
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max(value * scale, 1):.1f}" '
            f'height="{bar_height}" fill="{PALETTE[index % len(PALETTE)]}"/>'
        )
        parts.append(
            f'<text x="{label_width + value * scale + 6:.1f}" y="{y + 15}" font-size="12" '
            f'fill="#212529">{value}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)
