"""The SVG chart functions: accessible, escaped, CSP-safe and faithful to the figures."""

import re
from datetime import date
from types import SimpleNamespace

from dashboards import charts

STYLE_ATTRIBUTE = re.compile(r"\sstyle\s*=", re.IGNORECASE)


def _assert_accessible(svg):
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    labelled_by = re.search(r'aria-labelledby="([^"]+)"', svg).group(1).split()
    assert len(labelled_by) == 2
    title_id, desc_id = labelled_by
    assert f'<title id="{title_id}">' in svg
    assert f'<desc id="{desc_id}">' in svg
    assert not STYLE_ATTRIBUTE.search(svg)
    assert "<script" not in svg


def test_bar_chart_still_serves_the_reports():
    from dashboards.charts import bar_chart  # the chart the report PDFs draw

    svg = bar_chart([("held", 3), ("planned", 2)], title="Half-days")
    _assert_accessible(svg)
    assert svg.count("<rect") == 2
    assert "held: 3; planned: 2" in svg


def test_progress_bar_shows_value_target_and_marks_an_overrun():
    svg = charts.progress_bar(3, 5, title="Half-days held", value_label="3 held")
    _assert_accessible(svg)
    assert "3 held" in svg
    assert 'class="chart-target"' in svg
    assert "chart-over" not in svg
    # Width of the value bar is 3/5 of the track.
    track = float(re.search(r'class="chart-track"[^>]* width="([\d.]+)"', svg).group(1))
    value = float(re.search(r'class="chart-value"[^>]* width="([\d.]+)"', svg).group(1))
    assert abs(value / track - 0.6) < 0.01

    over = charts.progress_bar(45, 40, title="Hours")
    assert "chart-value chart-over" in over


def test_progress_bar_with_nothing_yet_draws_no_value_bar():
    svg = charts.progress_bar(0, 5, title="Half-days held")
    _assert_accessible(svg)
    assert 'class="chart-value' not in svg


def test_weekly_columns_draw_one_column_per_nonzero_count():
    svg = charts.weekly_columns(
        ["wk 1", "wk 2", "wk 3"],
        [("champion", [1, 0, 2]), ("team coach", [0, 1, 1])],
        title="Logbook rhythm",
    )
    _assert_accessible(svg)
    legend_squares = 2
    assert svg.count("<rect") == legend_squares + 4
    assert "champion: 3; team coach: 2" in svg


def test_goal_timeline_has_a_row_per_goal_and_a_marker_per_status():
    tracks = [
        SimpleNamespace(
            label="Vision",
            points=[
                charts.TimelinePoint(date(2026, 1, 10), "no", "not reached"),
                charts.TimelinePoint(date(2026, 6, 1), "yes", "reached"),
            ],
        ),
        SimpleNamespace(label="Endorsement", points=[]),
    ]
    svg = charts.goal_timeline(tracks, title="Goal progress")
    _assert_accessible(svg)
    assert svg.count("<circle") == 2
    assert svg.count("<polyline") == 1
    assert "Vision: 2026-01-10 not reached, 2026-06-01 reached; Endorsement: -" in svg
    assert 'fill="#2e7d32"' in svg


def test_labels_from_the_database_are_escaped():
    svg = charts.bar_chart([("<b>x</b>", 1)], title='"quoted" & <svg>')
    assert "<b>" not in svg
    assert "&lt;b&gt;" in svg
    assert "&lt;svg&gt;" in svg


def test_two_charts_on_one_page_have_distinct_ids():
    first = charts.progress_bar(1, 5, title="a")
    second = charts.progress_bar(1, 5, title="a")
    ids = re.findall(r'aria-labelledby="([^"]+)"', first + second)
    assert ids[0] != ids[1]
