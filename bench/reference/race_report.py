#!/usr/bin/env python3
"""The report of race_acgan_step.sh: its CSV (implementation, mode, precision,
batch, images_per_s) as a table on stdout, each PyTorch row with libnn's
speed-up over it at the same batch and precision, and a plot of images/s
against batch size as an SVG file. Python's standard library only.

usage: race_report.py CSV SVG [--title TEXT]
"""
import argparse
import csv
import math
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 760, 460
LEFT, RIGHT, TOP, BOTTOM = 70, 230, 50, 50  # plot margins; the legend sits in the right one
COLOURS = {("libnn", "eager"): "#d62728", ("pytorch", "eager"): "#1f77b4",
           ("pytorch", "max-autotune"): "#2ca02c", ("pytorch", "reduce-overhead"): "#9467bd"}
DASHES = {"fp32": "", "tf32": "7 3", "bf16": "2 3"}


def read_rows(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    for row in rows:
        row["batch"] = int(row["batch"])
        row["images_per_s"] = float(row["images_per_s"])
    return rows


def speedup(row, rows):
    """libnn's images/s over this PyTorch row's, at its batch and precision."""
    for other in rows:
        if other["implementation"] == "libnn" and (other["batch"], other["precision"]) == \
                (row["batch"], row["precision"]):
            return other["images_per_s"] / row["images_per_s"]
    return None


def table(rows):
    lines = [f"{'implementation':<15}{'mode':<17}{'precision':<11}{'batch':>6}{'images/s':>12}  libnn speed-up"]
    for row in rows:
        ratio = speedup(row, rows) if row["implementation"] == "pytorch" else None
        lines.append(f"{row['implementation']:<15}{row['mode']:<17}{row['precision']:<11}{row['batch']:>6}"
                     f"{row['images_per_s']:>12.1f}  {'' if ratio is None else f'{ratio:.2f}x'}")
    return "\n".join(lines)


def nice_ceiling(value):
    """The smallest of 1, 2, 2.5, 5 times a power of ten that is at least `value`."""
    if value <= 0:
        return 1.0
    power = 10 ** math.floor(math.log10(value))
    return next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= value)


def svg(rows, title):
    batches = sorted({row["batch"] for row in rows})
    top = nice_ceiling(max(row["images_per_s"] for row in rows) * 1.05)
    span = math.log2(batches[-1]) - math.log2(batches[0])
    inner_w, inner_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM

    def x(batch):  # log2 scale; a lone batch size sits in the middle
        return LEFT + (inner_w / 2 if span == 0 else (math.log2(batch) - math.log2(batches[0])) / span * inner_w)

    def y(rate):
        return TOP + inner_h * (1 - rate / top)

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" font-family="sans-serif" '
           f'font-size="12">', f'<rect width="{WIDTH}" height="{HEIGHT}" fill="white"/>',
           f'<text x="{WIDTH / 2:.1f}" y="24" text-anchor="middle" font-size="15">{escape(title)}</text>']
    for i in range(6):
        rate = top * i / 5
        out.append(f'<line x1="{LEFT}" x2="{LEFT + inner_w}" y1="{y(rate):.1f}" y2="{y(rate):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y(rate) + 4:.1f}" text-anchor="end">{rate:g}</text>')
    for batch in batches:
        out.append(f'<text x="{x(batch):.1f}" y="{TOP + inner_h + 18}" text-anchor="middle">{batch}</text>')
    out.append(f'<text x="{LEFT + inner_w / 2:.1f}" y="{HEIGHT - 12}" text-anchor="middle">batch size</text>')
    out.append(f'<text transform="translate(18 {TOP + inner_h / 2:.1f}) rotate(-90)" text-anchor="middle">'
               'images/s</text>')
    out.append(f'<rect x="{LEFT}" y="{TOP}" width="{inner_w}" height="{inner_h}" fill="none" stroke="black"/>')
    series = {}
    for row in rows:
        series.setdefault((row["implementation"], row["mode"], row["precision"]), []).append(row)
    for index, ((implementation, mode, precision), points) in enumerate(series.items()):
        colour = COLOURS.get((implementation, mode), "#555")
        dash = DASHES.get(precision, "")
        dash_attribute = f' stroke-dasharray="{dash}"' if dash else ""
        points.sort(key=lambda row: row["batch"])
        coordinates = " ".join(f"{x(p['batch']):.1f},{y(p['images_per_s']):.1f}" for p in points)
        out.append(f'<polyline points="{coordinates}" fill="none" stroke="{colour}" stroke-width="2"'
                   f'{dash_attribute}/>')
        name = escape(f"{implementation} {mode} {precision}")
        for p in points:
            batch, rate = p["batch"], p["images_per_s"]
            out.append(f'<circle cx="{x(batch):.1f}" cy="{y(rate):.1f}" r="3.5" fill="{colour}">'
                       f'<title>{name}, batch {batch}: {rate:.1f} images/s</title></circle>')
        legend_x, legend_y = LEFT + inner_w + 16, TOP + 10 + 20 * index
        out.append(f'<line x1="{legend_x}" x2="{legend_x + 30}" y1="{legend_y}" y2="{legend_y}" stroke="{colour}" '
                   f'stroke-width="2"{dash_attribute}/>')
        out.append(f'<text x="{legend_x + 38}" y="{legend_y + 4}">{name}</text>')
    out.append("</svg>")
    return "\n".join(out) + "\n"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("csv")
    parser.add_argument("svg")
    parser.add_argument("--title", default="AE-AC-GAN training step")
    args = parser.parse_args()
    rows = read_rows(args.csv)
    if not rows:
        raise SystemExit(f"race_report.py: {args.csv} holds no measurements")
    print(table(rows))
    with open(args.svg, "w") as f:
        f.write(svg(rows, args.title))


if __name__ == "__main__":
    main()
