"""Charts drawn on the server as SVG text: the 研判报告 PDF (WeasyPrint lays inline SVG out, so the
document needs no script) and the tile grid of the analysis page.

Each function takes plain figures and returns markup; every label is escaped here. Colours are the
heat tables' single-hue scale (ColorBrewer Blues, ``SHADE_COLOURS``), so a chart reads the same in
greyscale and for colour-blind readers, and every figure is also printed as a number.
"""

from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import mark_safe

# reporting.insight.shade() classes 0..5; the same colours as .heat-N in static/css/jiefen.css.
SHADE_COLOURS = ("#ffffff", "#eff3ff", "#bdd7e7", "#6baed6", "#2171b5", "#08519c")
DARK_FROM = 4  # classes whose fill needs white text (contrast over 4.5:1)
BAR = "#2171b5"
LAST_YEAR = "#969696"
# The documents' cut-down face first (cases.pdf_fonts; a browser skips the name it does not have).
FONT = "Noto Sans CJK SC GB2312, Noto Sans CJK SC, Noto Sans SC, sans-serif"


def _svg(width: int, height: int, body: list[str], label: str, role: str = "img") -> str:
    title = f"<title>{escape(label)}</title>" if role == "img" else ""
    return mark_safe(  # noqa: S308 - every label below passed through escape()
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="{role}" aria-label="{escape(label)}" '
        f'font-family="{FONT}" font-size="11">{title}{"".join(body)}</svg>'
    )


def nice_top(value: int) -> int:
    """The axis maximum: the value rounded up to 1, 2 or 5 times a power of ten (at least 1)."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for m in (1, 2, 5):
            if step * m >= value:
                return step * m
        step *= 10


def bar_chart(items: list[tuple[str, int]], label: str, width: int = 520) -> str:
    """Horizontal bars, one per (label, value), largest first as given; the value at the bar's end."""
    row, label_w, gap = 20, 130, 40
    top = nice_top(max((v for _l, v in items), default=0))
    plot = width - label_w - gap
    body = []
    for i, (name, value) in enumerate(items):
        y = i * row + 4
        length = round(plot * value / top) if top else 0
        body.append(
            f'<text x="{label_w - 6}" y="{y + 12}" text-anchor="end">{escape(_short(name, 10))}</text>'
            f'<rect x="{label_w}" y="{y + 2}" width="{max(length, 1)}" height="{row - 6}" fill="{BAR}"/>'
            f'<text x="{label_w + length + 4}" y="{y + 12}">{value}</text>'
        )
    body.append(
        f'<line x1="{label_w}" y1="2" x2="{label_w}" y2="{len(items) * row + 4}" '
        'stroke="#333" stroke-width="0.8"/>'
    )
    return _svg(width, len(items) * row + 8, body, label)


def line_chart(labels: list[str], series: list[tuple[str, list[int]]], label: str, width: int = 520) -> str:
    """Lines over the same x labels (months): the first series solid, the others dashed grey; a
    legend under the plot. Each point's value is printed above the first series' points."""
    height, left, right, top_pad, bottom = 210, 36, 12, 14, 56
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    top = nice_top(max((v for _n, values in series for v in values), default=0))
    step = plot_w / max(len(labels) - 1, 1)

    def xy(i, v):
        return left + i * step, top_pad + plot_h - plot_h * v / top

    body = []
    for tick in (0, top / 2, top):
        y = top_pad + plot_h - plot_h * tick / top
        body.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            'stroke="#ddd" stroke-width="0.6"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end">{tick:g}</text>'
        )
    for i, text in enumerate(labels):
        x = left + i * step
        body.append(
            f'<text x="{x:.1f}" y="{top_pad + plot_h + 14}" text-anchor="middle" font-size="9">'
            f"{escape(text)}</text>"
        )
    for n, (name, values) in enumerate(series):
        points = " ".join(f"{x:.1f},{y:.1f}" for x, y in (xy(i, v) for i, v in enumerate(values)))
        colour, dash = (BAR, "") if n == 0 else (LAST_YEAR, ' stroke-dasharray="4 3"')
        body.append(f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="1.8"{dash}/>')
        for i, v in enumerate(values):
            x, y = xy(i, v)
            body.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="2.2" fill="{colour}"/>')
            if n == 0 and v:
                body.append(
                    f'<text x="{x:.1f}" y="{y - 5:.1f}" text-anchor="middle" font-size="9">{v}</text>'
                )
        lx = left + n * 170
        ly = height - 14
        body.append(
            f'<line x1="{lx}" y1="{ly - 4}" x2="{lx + 24}" y2="{ly - 4}" stroke="{colour}" '
            f'stroke-width="1.8"{dash}/>'
            f'<text x="{lx + 30}" y="{ly}">{escape(name)}</text>'
        )
    return _svg(width, height, body, label)


@dataclass
class Tile:
    name: str
    value: int
    level: int = 0  # reporting.insight.shade() class
    href: str = ""  # the tile's case list (the page); none in the PDF
    drill: str = ""  # the page on this place, one level down (the page); none in the PDF


def tile_grid(tiles: list[Tile], label: str, columns: int = 6, width: int = 640, unit: str = "",
              drill_label: str = "") -> str:  # fmt: skip
    """Equal tiles (a county's towns, a town's villages) filled by their shade class, printing the
    name and count. On the page the count opens the tile's case list and the name (underlined)
    the place one level down; each link carries its name and figure as its accessible name."""
    tile_w, tile_h = (width - 4) // columns, 46
    body = []
    for i, tile in enumerate(tiles):
        x, y = 2 + (i % columns) * tile_w, 2 + (i // columns) * (tile_h + 4)
        ink = "#ffffff" if tile.level >= DARK_FROM else "#1a1a1a"
        box = (
            f'<rect x="{x}" y="{y}" width="{tile_w - 4}" height="{tile_h}" rx="3" '
            f'fill="{SHADE_COLOURS[tile.level]}" stroke="#6baed6" stroke-width="0.8"/>'
            f'<text x="{x + 6}" y="{y + 38}" fill="{ink}" font-size="14" font-weight="bold">'
            f"{tile.value}{escape(unit)}</text>"
        )
        underline = ' text-decoration="underline"' if tile.drill else ""
        name = f'<text x="{x + 6}" y="{y + 16}" fill="{ink}"{underline}>{escape(_short(tile.name, 8))}</text>'
        body.append(_link(tile.href if tile.value else "", f"{tile.name} {tile.value}{unit}", box))
        body.append(_link(tile.drill, f"{drill_label}{tile.name}", name))
    rows = -(-len(tiles) // columns)
    return _svg(width, max(rows * (tile_h + 4) + 2, 4), body, label, role="group")


def _link(href: str, name: str, inner: str) -> str:
    if not href:
        return inner
    return f'<a href="{escape(href)}" aria-label="{escape(name)}">{inner}</a>'


def _short(name: str, n: int) -> str:
    """A long place or category name cut to fit its tile or bar label (the full name is in the tables)."""
    return name if len(name) <= n else name[: n - 1] + "…"
