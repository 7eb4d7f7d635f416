# compare_svg.py - the SVG writer of `mpmref --compare`: a line chart
# and a bar chart as inline SVG text.  Compiled into mpmref together
# with compare_report.py and compare.py (the Makefile concatenates the
# three, this one first); tested by tests/compare/check.py.
#
# Smaller than driving gnuplot: no further package, no temporary files,
# and plain SVG that the tests parse.
import math

COLORS = {"prefork": "#d62728", "worker": "#1f77b4", "event": "#2ca02c"}
W, H, ML, MR, MT, MB = 520, 300, 64, 130, 34, 44


def esc(s):
    return (str(s).replace("&", "&amp;").replace("<", "&lt;")
            .replace(">", "&gt;").replace('"', "&quot;"))


def nice_max(v):
    """The smallest 1, 2 or 5 times a power of ten at least v."""
    if v <= 0:
        return 1.0
    e = 10.0 ** math.floor(math.log10(v))
    for m in (1, 2, 5, 10):
        if m * e >= v * (1 - 1e-9):
            return m * e
    return 10 * e


def fmt_num(v):
    if v >= 1000 or v == int(v):
        return "{:,}".format(int(round(v)))
    return "%.3g" % v


def svg_frame(title, xlabel, ylabel, ymax):
    out = ['<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" '
           'viewBox="0 0 %d %d" role="img" class="chart">' % (W, H, W, H),
           '<title>%s</title>' % esc(title),
           '<text x="%d" y="20" font-size="14" font-weight="bold">%s</text>'
           % (ML, esc(title)),
           '<text x="%d" y="%d" font-size="11" text-anchor="middle">%s</text>'
           % (ML + (W - ML - MR) // 2, H - 8, esc(xlabel)),
           '<text x="14" y="%d" font-size="11" text-anchor="middle" '
           'transform="rotate(-90 14 %d)">%s</text>' % (
               MT + (H - MT - MB) // 2, MT + (H - MT - MB) // 2,
               esc(ylabel))]
    for i in range(5):
        v = ymax * i / 4.0
        y = ypos(v, ymax)
        out.append('<line x1="%d" y1="%.1f" x2="%d" y2="%.1f" '
                   'stroke="#ddd"/>' % (ML, y, W - MR, y))
        out.append('<text x="%d" y="%.1f" font-size="10" text-anchor="end">'
                   '%s</text>' % (ML - 4, y + 3, fmt_num(v)))
    return out


def ypos(v, ymax):
    return H - MB - (H - MT - MB) * (v / ymax)


def legend(names):
    out = []
    for i, name in enumerate(names):
        y = MT + 14 * i + 6
        color = COLORS.get(name.split()[0], "#555")
        dash = ' stroke-dasharray="4 3"' if "apache2" in name else ""
        out.append('<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="%s" '
                   'stroke-width="2"%s/>' % (W - MR + 8, y, W - MR + 26, y,
                                             color, dash))
        out.append('<text x="%d" y="%d" font-size="11">%s</text>' % (
            W - MR + 30, y + 4, esc(name)))
    return out


def line_chart(title, xlabel, ylabel, series):
    """series: [(name, [(x, y), ...])]; x are category labels kept in
    order of first appearance, y numbers (None: no point)."""
    xs = []
    for _, pts in series:
        for x, _ in pts:
            if x not in xs:
                xs.append(x)
    ys = [y for _, pts in series for _, y in pts if y is not None]
    ymax = nice_max(max(ys) if ys else 1)
    out = svg_frame(title, xlabel, ylabel, ymax)
    step = (W - ML - MR) / float(max(1, len(xs) - 1) or 1)
    xpos = {x: ML + step * i if len(xs) > 1 else ML + (W - ML - MR) / 2.0
            for i, x in enumerate(xs)}
    for x in xs:
        out.append('<text x="%.1f" y="%d" font-size="10" '
                   'text-anchor="middle">%s</text>' % (
                       xpos[x], H - MB + 14, esc(fmt_num(x) if isinstance(
                           x, (int, float)) else x)))
    for name, pts in series:
        color = COLORS.get(name.split()[0], "#555")
        dash = ' stroke-dasharray="4 3"' if "apache2" in name else ""
        pp = ["%.1f,%.1f" % (xpos[x], ypos(y, ymax)) for x, y in pts
              if y is not None]
        if pp:
            out.append('<polyline fill="none" stroke="%s" stroke-width="2" '
                       'points="%s"%s/>' % (color, " ".join(pp), dash))
        for x, y in pts:
            if y is not None:
                out.append('<circle cx="%.1f" cy="%.1f" r="3" fill="%s">'
                           '<title>%s: %s</title></circle>' % (
                               xpos[x], ypos(y, ymax), color, esc(name),
                               esc(fmt_num(y))))
    out += legend([n for n, _ in series])
    out.append("</svg>")
    return "\n".join(out)


def bar_chart(title, ylabel, bars):
    """bars: [(label, value)]; one bar each, colored by MPM."""
    vals = [v for _, v in bars if v is not None]
    ymax = nice_max(max(vals) if vals else 1)
    out = svg_frame(title, "", ylabel, ymax)
    bw = (W - ML - MR) / float(max(1, len(bars)))
    for i, (label, v) in enumerate(bars):
        x = ML + bw * i
        if v is not None:
            y = ypos(v, ymax)
            out.append('<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" '
                       'fill="%s"><title>%s: %s</title></rect>' % (
                           x + bw * 0.15, y, bw * 0.7, H - MB - y,
                           COLORS.get(label.split()[0], "#555"), esc(label),
                           esc(fmt_num(v))))
        out.append('<text x="%.1f" y="%d" font-size="10" '
                   'text-anchor="middle">%s</text>' % (
                       x + bw / 2, H - MB + 14, esc(label)))
    out.append("</svg>")
    return "\n".join(out)
