"""Self-contained SVG charts drawn in Python: no JavaScript, no external fonts or scripts.

Each function returns an ``<svg>`` element as a string, sized by its ``viewBox`` so it scales
with the page. Missing values (``None``: unknown or suppressed) are left out of the drawing and
said so in the tooltip, never drawn as zero.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from xml.sax.saxutils import escape

# Okabe–Ito palette (readable with colour-vision deficiencies), one colour per bureau.
BUREAU_COLOURS = {
    "BDT": "#0072B2",
    "BR": "#E69F00",
    "TSB": "#009E73",
    "GS": "#CC79A7",
    "ALL": "#444444",
    "All bureaux": "#444444",
    "All": "#444444",
}
SERIES_COLOURS = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442")
# by gender code and by the label the Council file gives it (reference.code_labels)
GENDER_COLOURS = {
    "F": "#CC79A7",
    "M": "#0072B2",
    "X": "#E69F00",
    "unknown": "#BBBBBB",
    "Female": "#CC79A7",
    "Male": "#0072B2",
    "Other or non-binary": "#E69F00",
    "Unknown": "#BBBBBB",
}
# Fonts installed locally (Debian's fonts-dejavu-core / fonts-liberation in the image): the PDF
# renderer never fetches a font.
FONT = "font-family=\"'Segoe UI', 'Liberation Sans', 'DejaVu Sans', Helvetica, Arial, sans-serif\""


def colour_for(name: str, index: int) -> str:
    return BUREAU_COLOURS.get(name) or GENDER_COLOURS.get(name) or SERIES_COLOURS[index % 7]


def _fmt(value: float | None, percent: bool = False) -> str:
    if value is None:
        return "n/a"
    if percent:
        return f"{value * 100:.0f}%"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    if float(value).is_integer():
        return f"{int(value)}"
    return f"{value:.1f}"


def nice_ticks(max_value: float, count: int = 5) -> list[float]:
    """0 and round steps up to at least ``max_value`` (1, 2, 2.5, 5 × 10^n)."""
    if max_value <= 0:
        return [0, 1]
    raw = max_value / count
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 2.5, 5, 10) if m * magnitude >= raw)
    ticks = [0.0]
    while ticks[-1] < max_value:
        ticks.append(round(ticks[-1] + step, 10))
    return ticks


def _svg_open(width: int, height: int, title: str) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" aria-label="{escape(title)}" '
        f'class="chart" {FONT} font-size="12">',
        f"<title>{escape(title)}</title>",
        f'<rect x="0" y="0" width="{width}" height="{height}" fill="#ffffff"/>',
        f'<text x="12" y="20" font-size="14" font-weight="600" fill="#1a1a1a">'
        f"{escape(title)}</text>",
    ]


def _no_data(parts: list[str], width: int, height: int) -> str:
    parts.append(
        f'<text x="{width / 2}" y="{height / 2}" text-anchor="middle" fill="#777">'
        "No data for this period</text></svg>"
    )
    return "\n".join(parts)


def _legend(names: Sequence[str], x: float, y: float, width: float) -> list[str]:
    parts, cx, cy = [], x, y
    for i, name in enumerate(names):
        label_w = 22 + 7 * len(name)
        if cx + label_w > x + width and cx > x:
            cx, cy = x, cy + 18
        colour = colour_for(name, i)
        parts.append(
            f'<rect x="{cx:.1f}" y="{cy - 9:.1f}" width="12" height="12" rx="2" fill="{colour}"/>'
            f'<text x="{cx + 16:.1f}" y="{cy + 1:.1f}" fill="#333">{escape(name)}</text>'
        )
        cx += label_w + 10
    return parts


@dataclass(frozen=True)
class _Plot:
    """The plotting area of a line chart (in the SVG's units) and its scales."""

    left: int
    top: int
    width: int
    height: int
    y_max: float
    points: int  # the number of x values

    def x(self, i: int) -> float:
        if self.points > 1:
            return self.left + self.width * i / (self.points - 1)
        return self.left + self.width / 2

    def y(self, v: float) -> float:
        return self.top + self.height - self.height * v / self.y_max


def line_chart(
    x_values: Sequence[int],
    series: dict[str, Sequence[float | None]],
    title: str,
    y_title: str = "",
    width: int = 560,
    height: int = 320,
    partial: Collection[int] = (),
) -> str:
    """One line per series over ``x_values`` (years); gaps where a value is ``None``.

    ``partial``: x values (part years) marked as such: the axis label gets a ``*``, the line
    into the point is dashed and the point hollow, and a note under the plot says why.
    """
    partial = set(partial) & set(x_values)
    if partial:
        height += 16
    parts = _svg_open(width, height, title)
    values = [v for vs in series.values() for v in vs if v is not None]
    if not x_values or not values:
        return _no_data(parts, width, height)
    left, right, top, bottom = 62, 16, 58, 36 + (16 if partial else 0)
    ticks = nice_ticks(max(values))
    plot = _Plot(left, top, width - left - right, height - top - bottom, ticks[-1], len(x_values))
    parts += _legend(list(series), left, 40, plot.width)
    parts += _line_axes(plot, ticks, x_values, partial, y_title, height)
    for s, (name, vals) in enumerate(series.items()):
        parts += _line_series(plot, name, colour_for(name, s), x_values, vals, partial)
    parts.append("</svg>")
    return "\n".join(parts)


def _line_axes(
    plot: _Plot,
    ticks: list[float],
    x_values: Sequence[int],
    partial: set[int],
    y_title: str,
    height: int,
) -> list[str]:
    """Grid lines with their values, the years (``*`` on a part year, and the note saying
    why), the y axis title and the baseline."""
    left, top, plot_w, plot_h = plot.left, plot.top, plot.width, plot.height
    parts = [
        f'<line x1="{left}" x2="{left + plot_w}" y1="{plot.y(t):.1f}" y2="{plot.y(t):.1f}" '
        f'stroke="#e3e3e3"/><text x="{left - 6}" y="{plot.y(t) + 4:.1f}" text-anchor="end" '
        f'fill="#555">{_fmt(t)}</text>'
        for t in ticks
    ]
    parts += [
        f'<text x="{plot.x(i):.1f}" y="{top + plot_h + 18}" text-anchor="middle" '
        f'fill="#555">{x}{"*" if x in partial else ""}</text>'
        for i, x in enumerate(x_values)
    ]
    if partial:
        years = ", ".join(str(x) for x in sorted(partial))
        parts.append(
            f'<text class="part-year" x="{left + plot_w}" y="{height - 6}" text-anchor="end" '
            f'font-size="11" fill="#555">* part year ({years}): not comparable with full '
            "years</text>"
        )
    if y_title:
        parts.append(
            f'<text transform="translate(14,{top + plot_h / 2:.0f}) rotate(-90)" '
            f'text-anchor="middle" fill="#555">{escape(y_title)}</text>'
        )
    parts.append(
        f'<line x1="{left}" x2="{left + plot_w}" y1="{top + plot_h}" y2="{top + plot_h}" '
        'stroke="#999"/>'
    )
    return parts


def _segments(
    plot: _Plot, x_values: Sequence[int], vals: Sequence[float | None], partial: set[int]
) -> tuple[list[list[str]], list[str]]:
    """The solid runs of a series' points (broken at a missing value) and the dashed steps
    into a part year."""
    segment: list[str] = []
    segments: list[list[str]] = []
    dashed: list[str] = []
    for i, v in enumerate(vals):
        if v is None:
            if segment:
                segments.append(segment)
            segment = []
            continue
        point = f"{plot.x(i):.1f},{plot.y(v):.1f}"
        if x_values[i] in partial:
            if segment:
                dashed.append(f"{segment[-1]} {point}")
                segments.append(segment)
            segment = []
            continue
        segment.append(point)
    if segment:
        segments.append(segment)
    return segments, dashed


def _line_series(
    plot: _Plot,
    name: str,
    colour: str,
    x_values: Sequence[int],
    vals: Sequence[float | None],
    partial: set[int],
) -> list[str]:
    """One series: its lines (dashed into a part year) and its points (hollow on a part year),
    each point with its value in a tooltip."""
    segments, dashed = _segments(plot, x_values, vals, partial)
    parts = [
        f'<polyline class="series" points="{" ".join(seg)}" fill="none" '
        f'stroke="{colour}" stroke-width="2.5" stroke-linejoin="round"/>'
        for seg in segments
    ]
    parts += [
        f'<polyline class="series part-year" points="{seg}" fill="none" '
        f'stroke="{colour}" stroke-width="2" stroke-dasharray="5 4"/>'
        for seg in dashed
    ]
    for i, v in enumerate(vals):
        if v is None:
            continue
        part = x_values[i] in partial
        fill = "#ffffff" if part else colour
        parts.append(
            f'<circle cx="{plot.x(i):.1f}" cy="{plot.y(v):.1f}" r="3.5" fill="{fill}" '
            f'stroke="{colour}" stroke-width="1.5">'
            f"<title>{escape(name)} {x_values[i]}{' (part year)' if part else ''}: "
            f"{_fmt(v)}</title></circle>"
        )
    return parts


def hbar_chart(
    categories: Sequence[str],
    series: dict[str, Sequence[float | None]],
    title: str,
    width: int = 560,
    percent: bool = False,
    bar_height: int = 14,
) -> str:
    """Grouped horizontal bars: one group per category, one bar per series, value labels."""
    n_series = max(len(series), 1)
    group_h = bar_height * n_series + 10
    label_w = min(230, 12 + 6.6 * max((len(c) for c in categories), default=4))
    legend_h = 22 if n_series > 1 else 0
    top = 34 + legend_h
    height = int(top + group_h * max(len(categories), 1) + 16)
    parts = _svg_open(width, height, title)
    values = [v for vs in series.values() for v in vs if v is not None]
    if not categories or not values:
        return _no_data(parts, width, max(height, 80))
    if n_series > 1:
        parts += _legend(list(series), label_w, 42, width - label_w)
    value_w = 64
    plot_w = width - label_w - value_w - 10
    v_max = 1.0 if percent else max(max(values), 1e-9)
    for c, category in enumerate(categories):
        gy = top + c * group_h
        text = category if len(category) <= 34 else category[:33] + "…"
        parts.append(
            f'<text x="{label_w - 8:.0f}" y="{gy + group_h / 2 + 2:.1f}" text-anchor="end" '
            f'fill="#333"><title>{escape(category)}</title>{escape(text)}</text>'
        )
        for s, (name, vals) in enumerate(series.items()):
            v = vals[c]
            y = gy + 4 + s * bar_height
            label = "suppressed" if v is None else _fmt(v, percent)
            w = 0 if v is None else plot_w * v / v_max
            colour = colour_for(name, s)
            parts.append(
                f'<rect class="bar" x="{label_w:.0f}" y="{y:.1f}" width="{w:.1f}" '
                f'height="{bar_height - 3}" rx="2" fill="{colour}">'
                f"<title>{escape(category)} — {escape(name)}: {label}</title></rect>"
                f'<text x="{label_w + w + 5:.1f}" y="{y + bar_height - 5:.1f}" font-size="11" '
                f'fill="{"#999" if v is None else "#333"}">{label}</text>'
            )
    parts.append(
        f'<line x1="{label_w:.0f}" x2="{label_w:.0f}" y1="{top - 2}" '
        f'y2="{top + group_h * len(categories)}" stroke="#999"/>'
    )
    parts.append("</svg>")
    return "\n".join(parts)


def stacked_share_chart(
    rows: Sequence[tuple[str, dict[str, float | None]]],
    parts_order: Sequence[str],
    title: str,
    width: int = 560,
) -> str:
    """100 % stacked horizontal bars: each row's parts as shares of the row's known total."""
    bar_h, gap = 22, 10
    label_w = 70
    top = 58
    height = top + (bar_h + gap) * max(len(rows), 1) + 12
    svg = _svg_open(width, height, title)
    if not rows:
        return _no_data(svg, width, max(height, 80))
    svg += _legend(list(parts_order), label_w, 42, width - label_w)
    plot_w = width - label_w - 16
    for r, (label, values) in enumerate(rows):
        y = top + r * (bar_h + gap)
        svg.append(
            f'<text x="{label_w - 8}" y="{y + bar_h / 2 + 4:.1f}" text-anchor="end" '
            f'fill="#333">{escape(label)}</text>'
        )
        known = {k: v for k, v in values.items() if v is not None}
        total = sum(known.values())
        if total <= 0:
            svg.append(
                f'<rect x="{label_w}" y="{y}" width="{plot_w}" height="{bar_h}" fill="#f2f2f2"/>'
                f'<text x="{label_w + 8}" y="{y + bar_h / 2 + 4:.1f}" fill="#777">'
                "suppressed (fewer than 5 people)</text>"
            )
            continue
        x = float(label_w)
        for i, part in enumerate(parts_order):
            v = known.get(part)
            if not v:
                continue
            w = plot_w * v / total
            share = v / total
            svg.append(
                f'<rect class="bar" x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar_h}" '
                f'fill="{colour_for(part, i)}"><title>{escape(label)} — {escape(part)}: '
                f"{_fmt(v)} ({share:.0%})</title></rect>"
            )
            if w > 34:
                svg.append(
                    f'<text x="{x + w / 2:.1f}" y="{y + bar_h / 2 + 4:.1f}" text-anchor="middle" '
                    f'fill="#fff" font-size="11">{share:.0%}</text>'
                )
            x += w
    svg.append("</svg>")
    return "\n".join(svg)
