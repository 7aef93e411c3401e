"""Server-rendered SVG charts for the portal (no script, no outside resources).

Each chart is an ``<svg role="img">`` with a ``<title>`` and ``<desc>`` naming every value, and
the page shows the same numbers in a table beside it (WCAG 1.1.1: the table is the text
alternative; colour is never the only carrier — every bar has its number written next to it).
"""

from __future__ import annotations

from html import escape

from django.utils.safestring import SafeString, mark_safe

BAR = "#1d4f91"  # 8.6:1 on white
TEXT = "#1f2328"
GRID = "#8c959f"


def bar_chart(
    rows: list[tuple[str, int]], *, title: str, unit: str = "件", ident: str
) -> SafeString:
    """Horizontal bars, one per row, labelled and numbered."""
    label_w, bar_w, row_h, top = 190, 300, 26, 8
    height = top + row_h * len(rows) + 8
    peak = max([v for _, v in rows] + [1])
    desc = "；".join(f"{label}{value}{unit}" for label, value in rows)
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {label_w + bar_w + 70} {height}" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
        f'<line x1="{label_w}" y1="{top - 4}" x2="{label_w}" y2="{height - 4}" stroke="{GRID}"/>',
    ]
    for i, (label, value) in enumerate(rows):
        y = top + i * row_h
        w = round(bar_w * value / peak) if value else 0
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 17}" text-anchor="end" font-size="13" '
            f'fill="{TEXT}">{escape(label)}</text>'
        )
        if w:
            parts.append(
                f'<rect x="{label_w}" y="{y + 4}" width="{w}" height="{row_h - 8}" fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{label_w + w + 6}" y="{y + 17}" font-size="13" fill="{TEXT}">'
            f"{value}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — every text is escaped above


def column_chart(
    values: list[int], labels: list[str], *, title: str, unit: str = "件", ident: str
) -> SafeString:
    """Vertical columns (e.g. decisions per month)."""
    left, col_w, gap, top, plot_h = 30, 30, 10, 20, 150
    width = left + (col_w + gap) * len(values) + 10
    height = top + plot_h + 30
    peak = max(values + [1])
    desc = "；".join(f"{label}{value}{unit}" for label, value in zip(labels, values, strict=True))
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        f'viewBox="0 0 {width} {height}" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width - 5}" y2="{top + plot_h}" stroke="{GRID}"/>',
    ]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        x = left + i * (col_w + gap)
        h = round(plot_h * value / peak) if value else 0
        if h:
            parts.append(
                f'<rect x="{x}" y="{top + plot_h - h}" width="{col_w}" height="{h}" fill="{BAR}"/>'
            )
        parts.append(
            f'<text x="{x + col_w / 2}" y="{top + plot_h - h - 4}" text-anchor="middle" '
            f'font-size="12" fill="{TEXT}">{value}</text>'
        )
        parts.append(
            f'<text x="{x + col_w / 2}" y="{top + plot_h + 16}" text-anchor="middle" '
            f'font-size="12" fill="{TEXT}">{escape(label)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308


def flow_chart(steps: list[dict], *, title: str, ident: str) -> SafeString:
    """The case procedure: a vertical chain of states; each arrow carries the action that moves
    a case on; other actions from a state are written inside its box."""
    box_w, x, top, gap = 420, 20, 10, 34
    heights = [44 + 18 * len(s["others"]) for s in steps]
    total = top + sum(heights) + gap * (len(steps) - 1) + 10
    desc = "；".join(
        f"{s['label']}" + (f"，经“{s['next_action']}”进入下一步" if s.get("next_action") else "")
        for s in steps
    )
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart flow" role="img" '
        f'viewBox="0 0 {box_w + 2 * x} {total}" aria-labelledby="{ident}-t {ident}-d">',
        f'<title id="{ident}-t">{escape(title)}</title><desc id="{ident}-d">{escape(desc)}</desc>',
        '<defs><marker id="arr" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" '
        f'markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="{TEXT}"/></marker></defs>',
    ]
    y = top
    for i, (step, h) in enumerate(zip(steps, heights, strict=True)):
        parts.append(
            f'<rect x="{x}" y="{y}" width="{box_w}" height="{h}" rx="6" fill="#eef3fa" '
            f'stroke="{BAR}" stroke-width="1.5"/>'
        )
        parts.append(
            f'<text x="{x + 12}" y="{y + 26}" font-size="16" font-weight="bold" fill="{TEXT}">'
            f"{escape(step['label'])}</text>"
        )
        for j, other in enumerate(step["others"]):
            parts.append(
                f'<text x="{x + 24}" y="{y + 48 + 18 * j}" font-size="13" fill="{TEXT}">'
                f"{escape(other)}</text>"
            )
        if i + 1 < len(steps):
            cx, y1, y2 = x + 40, y + h, y + h + gap
            parts.append(
                f'<line x1="{cx}" y1="{y1}" x2="{cx}" y2="{y2 - 2}" stroke="{TEXT}" '
                'stroke-width="1.5" marker-end="url(#arr)"/>'
            )
            parts.append(
                f'<text x="{cx + 12}" y="{y1 + gap / 2 + 5}" font-size="13" fill="{TEXT}">'
                f"{escape(step.get('next_action') or '')}</text>"
            )
        y += h + gap
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308
