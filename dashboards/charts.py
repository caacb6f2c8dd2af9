"""Server-rendered SVG charts: they work in the browser, in WeasyPrint PDFs and
without JavaScript.

Every function returns safe SVG markup that

- is an accessible image: ``role="img"`` with ``aria-labelledby`` pointing at
  its own ``<title>`` and ``<desc>``;
- uses SVG presentation attributes (``fill=``, ``stroke=``, ``font-size=``)
  and CSS classes, never ``style=""``: the strict Content-Security-Policy
  (style-src without 'unsafe-inline') blocks style attributes in inline SVG
  too, and WeasyPrint reads presentation attributes directly;
- escapes every label, so text from the database cannot inject markup.

A chart is never the only carrier of its figures: the template that shows it
also renders the same figures as a table (visually hidden or in a
``<details>``) for screen readers and for people who prefer numbers.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.utils import formats
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

PALETTE = ["#1a4f8b", "#b35c00", "#2e7d32", "#6a1b9a", "#00838f", "#5d4037"]
TEXT = "#212529"
MUTED = "#6c757d"
TRACK = "#e9ecef"
OVER = "#a12622"

# Goal status colours, from "not started" to "reached" (GoalProgress) and the
# closing interview's no / partly / yes (GoalReached); unknown keys are grey.
STATUS_FILLS = {
    "not_started": "#6c757d",
    "no": "#a12622",
    "in_progress": "#b35c00",
    "partly": "#1a4f8b",
    "reached": "#2e7d32",
    "yes": "#2e7d32",
}
UNKNOWN_FILL = "#adb5bd"

_ids = itertools.count(1)


def _chart_id(prefix: str) -> str:
    """A page-unique id, so two charts on one page do not share their labels."""
    return f"{prefix}-{next(_ids)}"


def format_number(value) -> str:
    """A figure as people write it: 12 rather than 12.0 or 12.00, and a fraction
    with one decimal in the active language's notation (12,5 in Dutch)."""
    if isinstance(value, float) or hasattr(value, "as_integer_ratio"):
        as_float = float(value)
        if as_float.is_integer():
            return str(int(as_float))
        return formats.number_format(as_float, decimal_pos=1)
    return str(value)


def _open(kind: str, width: int, height: int, title: str, desc: str) -> tuple[list[str], str]:
    chart_id = _chart_id(kind)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart-{kind}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{chart_id}-title {chart_id}-desc" '
        f'preserveAspectRatio="xMinYMin meet">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
    ]
    return parts, chart_id


def _text(x, y, content, *, anchor="start", size=12, fill=TEXT, css="") -> str:
    css_attr = f' class="{css}"' if css else ""
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
        f'fill="{fill}"{css_attr}>{escape(content)}</text>'
    )


def bar_chart(
    rows: Sequence[tuple[str, int]], *, title: str, desc: str = "", width: int = 480
) -> SafeString:
    """Horizontal bars, one per ``(label, value)`` row, scaled to the largest.

    Used by the PDF reports (phases, sectors, half-days). ``desc`` defaults to
    the rows spelled out ("label: value; ...").
    """
    bar_height, gap, label_width = 22, 8, 170
    height = max(1, len(rows)) * (bar_height + gap) + gap
    largest = max((value for _label, value in rows), default=0) or 1
    scale = (width - label_width - 50) / largest
    if not desc:
        desc = "; ".join(f"{label}: {format_number(value)}" for label, value in rows)
    parts, _chart = _open("bars", width, height, title, desc)
    for index, (label, value) in enumerate(rows):
        y = gap + index * (bar_height + gap)
        parts.append(_text(label_width - 6, y + 15, label, anchor="end"))
        parts.append(
            f'<rect x="{label_width}" y="{y}" width="{max(value * scale, 1):.1f}" '
            f'height="{bar_height}" fill="{PALETTE[index % len(PALETTE)]}"/>'
        )
        parts.append(_text(label_width + value * scale + 6, y + 15, format_number(value)))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label went through escape()


def progress_bar(
    value,
    target,
    *,
    title: str,
    desc: str = "",
    value_label: str = "",
    target_label: str = "",
    width: int = 480,
) -> SafeString:
    """One horizontal bar: ``value`` against ``target`` (e.g. half-days held
    against the agreed minimum of 5, coach hours used against the budget).

    The track is as long as the larger of the two, a tick marks the target,
    and a value beyond the target is drawn in a warning colour with class
    ``chart-over``. ``value_label`` / ``target_label`` are the texts printed at
    the end of the bar and under the tick (default: the bare numbers).
    """
    value = float(value or 0)
    target = float(target or 0)
    height, bar_top, bar_height, margin = 52, 8, 20, 4
    usable = width - 2 * margin
    scale_max = max(value, target) or 1
    scale = usable / scale_max
    over = target > 0 and value > target
    value_text = value_label or format_number(value)
    target_text = target_label or format_number(target)
    if not desc:
        desc = f"{value_text} / {target_text}"
    parts, _chart = _open("progress", width, height, title, desc)
    parts.append(
        f'<rect class="chart-track" x="{margin}" y="{bar_top}" width="{usable:.1f}" '
        f'height="{bar_height}" fill="{TRACK}" stroke="{MUTED}" stroke-width="1"/>'
    )
    fill_width = value * scale
    if fill_width > 0:
        css = "chart-value chart-over" if over else "chart-value"
        parts.append(
            f'<rect class="{css}" x="{margin}" y="{bar_top}" width="{fill_width:.1f}" '
            f'height="{bar_height}" fill="{OVER if over else PALETTE[0]}"/>'
        )
    if target > 0:
        tick = margin + target * scale
        parts.append(
            f'<line class="chart-target" x1="{tick:.1f}" y1="{bar_top - 4}" x2="{tick:.1f}" '
            f'y2="{bar_top + bar_height + 4}" stroke="{TEXT}" stroke-width="2"/>'
        )
        anchor = "end" if tick > width - 60 else "middle"
        parts.append(_text(tick, bar_top + bar_height + 18, target_text, anchor=anchor, size=11))
    # The value's own figure sits inside the track on the left, in dark text on
    # the light track when the bar is short, else in white on the bar.
    if fill_width >= 60:
        parts.append(_text(margin + 6, bar_top + 15, value_text, fill="#ffffff"))
    else:
        parts.append(_text(margin + fill_width + 6, bar_top + 15, value_text))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label went through escape()


def weekly_columns(
    weeks: Sequence[str],
    series: Sequence[tuple[str, Sequence[int]]],
    *,
    title: str,
    desc: str = "",
    width: int = 640,
    height: int = 200,
) -> SafeString:
    """Columns of counts per week, one column per series side by side (e.g.
    logbook entries per ISO week for the champion, the buddy and the coach).

    ``weeks`` are the x-axis labels ("wk 5"); ``series`` is a list of
    ``(name, counts)`` with one count per week. A legend names the series.
    Only counts are drawn; there is no place for text from the entries.
    """
    legend_height, axis_height, left = 22, 22, 28
    plot_top = legend_height + 8
    plot_height = height - plot_top - axis_height
    plot_width = width - left - 8
    largest = max((max(counts, default=0) for _name, counts in series), default=0) or 1
    if not desc:
        desc = "; ".join(f"{name}: {sum(counts)}" for name, counts in series)
    parts, _chart = _open("weekly", width, height, title, desc)
    # Legend.
    x = left
    for index, (name, _counts) in enumerate(series):
        colour = PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{x}" y="4" width="12" height="12" fill="{colour}"/>')
        parts.append(_text(x + 16, 14, name, size=11))
        x += 16 + 7 * len(name) + 18
    # Axis and a top gridline with the largest count.
    baseline = plot_top + plot_height
    parts.append(
        f'<line x1="{left}" y1="{baseline}" x2="{left + plot_width}" y2="{baseline}" '
        f'stroke="{MUTED}" stroke-width="1"/>'
    )
    parts.append(
        f'<line x1="{left}" y1="{plot_top}" x2="{left + plot_width}" y2="{plot_top}" '
        f'stroke="{TRACK}" stroke-width="1"/>'
    )
    parts.append(_text(left - 4, plot_top + 4, format_number(largest), anchor="end", size=10))
    parts.append(_text(left - 4, baseline + 4, "0", anchor="end", size=10))
    if weeks and series:
        slot = plot_width / len(weeks)
        column = max(2.0, (slot - 4) / len(series))
        label_every = max(1, int(len(weeks) * 36 / plot_width) + 1)
        for week_index, week in enumerate(weeks):
            slot_x = left + week_index * slot + 2
            for series_index, (_name, counts) in enumerate(series):
                count = counts[week_index] if week_index < len(counts) else 0
                if count <= 0:
                    continue
                bar = plot_height * count / largest
                parts.append(
                    f'<rect x="{slot_x + series_index * column:.1f}" y="{baseline - bar:.1f}" '
                    f'width="{column:.1f}" height="{bar:.1f}" '
                    f'fill="{PALETTE[series_index % len(PALETTE)]}"/>'
                )
            if week_index % label_every == 0:
                parts.append(
                    _text(slot_x + (slot - 4) / 2, baseline + 15, week, anchor="middle", size=10)
                )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label went through escape()


@dataclass(frozen=True)
class TimelinePoint:
    """One status of one goal on one day; what `goal_timeline` draws."""

    recorded_on: date
    status: str
    status_label: str
    source: str = ""


def goal_timeline(
    tracks: Sequence,
    *,
    title: str,
    desc: str = "",
    width: int = 640,
    status_fills: dict[str, str] | None = None,
) -> SafeString:
    """Each goal a row, each recorded status a marker at its date.

    ``tracks`` are objects with ``label`` and ``points``; each point has
    ``recorded_on`` (a date), ``status`` (a key), ``status_label`` (what the
    status is called) and optionally ``source`` (start agreement, interim
    evaluation, closing interview). Markers are coloured by status key
    (``status_fills`` overrides `STATUS_FILLS`) and carry the status label as
    text, so colour is never the only cue. Markers of one row are joined by a
    line to show how the goal moved.
    """
    fills = {**STATUS_FILLS, **(status_fills or {})}
    label_width, row_height, top, bottom, right = 190, 40, 8, 24, 60
    height = top + max(1, len(tracks)) * row_height + bottom
    dates = [point.recorded_on for track in tracks for point in track.points]
    first, last = (min(dates), max(dates)) if dates else (None, None)
    span = max(1, (last - first).days) if dates else 1
    # Markers keep a margin from the goal labels: a status label is centred
    # on its marker and would otherwise print over the goal's name.
    plot_left = label_width + 50
    plot_width = width - plot_left - right

    def x_of(day: date) -> float:
        if first == last:
            return plot_left + plot_width / 2
        return plot_left + plot_width * (day - first).days / span

    if not desc:
        desc = "; ".join(
            f"{track.label}: "
            + (
                ", ".join(f"{p.recorded_on.isoformat()} {p.status_label}" for p in track.points)
                or "-"
            )
            for track in tracks
        )
    parts, _chart = _open("timeline", width, height, title, desc)
    for index, track in enumerate(tracks):
        middle = top + index * row_height + row_height / 2
        parts.append(_text(label_width - 8, middle + 4, track.label, anchor="end"))
        parts.append(
            f'<line x1="{label_width}" y1="{middle:.1f}" x2="{label_width + plot_width}" '
            f'y2="{middle:.1f}" stroke="{TRACK}" stroke-width="1"/>'
        )
        points = sorted(track.points, key=lambda point: point.recorded_on)
        if len(points) > 1:
            coordinates = " ".join(f"{x_of(p.recorded_on):.1f},{middle:.1f}" for p in points)
            parts.append(
                f'<polyline points="{coordinates}" fill="none" stroke="{MUTED}" stroke-width="2"/>'
            )
        for number, point in enumerate(points):
            x = x_of(point.recorded_on)
            fill = fills.get(point.status, UNKNOWN_FILL)
            parts.append(
                f'<circle class="chart-status chart-status-{escape(point.status)}" '
                f'cx="{x:.1f}" cy="{middle:.1f}" r="7" fill="{fill}" stroke="#ffffff" '
                f'stroke-width="1.5"/>'
            )
            # Labels alternate above and below the line, so two statuses
            # recorded a few days apart do not print over each other.
            label_y = middle - 10 if number % 2 == 0 else middle + 19
            parts.append(_text(x, label_y, point.status_label, anchor="middle", size=10))
    if dates:
        # The first and last dates under their markers.
        axis_y = top + len(tracks) * row_height + 16
        for day in dict.fromkeys([first, last]):
            parts.append(
                _text(
                    x_of(day),
                    axis_y,
                    day.strftime("%d-%m-%Y"),
                    anchor="middle",
                    size=10,
                    fill=MUTED,
                )
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every label went through escape()
