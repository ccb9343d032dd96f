"""Small line charts as inline SVG, drawn by our own code: no script, no network,
so the HTML report opens offline in any browser."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from html import escape

WIDTH, HEIGHT = 360, 150
_LEFT, _RIGHT, _TOP, _BOTTOM = 64, 12, 12, 30


def trend_chart(
    points: Sequence[tuple[str, float | None]],
    label: Callable[[float], str],
    *,
    title: str,
    from_zero: bool = True,
    width: int = WIDTH,
    height: int = HEIGHT,
) -> str:
    """A line through the known points (gaps where a value is None), the highest and
    lowest values labelled on the left, the quarters along the bottom, and each point's
    value as a hover tooltip (``<title>``). ``from_zero`` keeps 0 on the scale (amounts
    and counts); otherwise the scale spans the values (scores, rates)."""
    values = [value for _, value in points if value is not None]
    head = (
        f'<svg xmlns="http://www.w3.org/2000/svg" class="trend" role="img" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
    )
    if not values:
        return (
            head + f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" '
            f'class="empty">—</text></svg>'
        )
    low, high = min(values), max(values)
    if from_zero:
        low, high = min(0.0, low), max(0.0, high)
    if high == low:
        low, high = low - 1, high + 1
    plot_w, plot_h = width - _LEFT - _RIGHT, height - _TOP - _BOTTOM
    step = plot_w / max(len(points) - 1, 1)

    def xy(index: int, value: float) -> tuple[float, float]:
        return _LEFT + index * step, _TOP + (high - value) / (high - low) * plot_h

    parts = [head]
    axis_y = xy(0, min(max(0.0, low), high))[1]
    parts.append(
        f'<line class="axis" x1="{_LEFT}" y1="{axis_y:.1f}" x2="{width - _RIGHT}" '
        f'y2="{axis_y:.1f}" stroke="#999" stroke-width="1"/>'
    )
    for value, y in ((high, _TOP), (low, _TOP + plot_h)):
        parts.append(
            f'<text x="{_LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" '
            f'font-size="10">{escape(label(value))}</text>'
        )
    for segment in _runs(points):
        coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in segment))
        parts.append(f'<polyline points="{coords}" fill="none" stroke="#2b6cb0" stroke-width="2"/>')
    for index, (quarter, value) in enumerate(points):
        x = _LEFT + index * step
        parts.append(
            f'<text x="{x:.1f}" y="{height - 10}" text-anchor="middle" '
            f'font-size="9">{escape(_short(quarter))}</text>'
        )
        if value is not None:
            px, py = xy(index, value)
            parts.append(
                f'<circle cx="{px:.1f}" cy="{py:.1f}" r="3" fill="#2b6cb0">'
                f"<title>{escape(quarter)}: {escape(label(value))}</title></circle>"
            )
    parts.append("</svg>")
    return "".join(parts)


def _runs(points: Sequence[tuple[str, float | None]]) -> list[list[tuple[int, float]]]:
    """Consecutive known values, as (index, value) runs: the line breaks at gaps."""
    runs: list[list[tuple[int, float]]] = [[]]
    for index, (_, value) in enumerate(points):
        if value is None:
            runs.append([])
        else:
            runs[-1].append((index, value))
    return [run for run in runs if run]


def _short(quarter: str) -> str:
    """``2026-Q4`` → ``26Q4``, to fit eight labels under a small chart."""
    return quarter[2:4] + quarter[5:] if len(quarter) == 7 else quarter
