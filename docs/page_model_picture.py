"""Draw the PDF page model's zones over a page image: ``make page-picture`` writes
``docs/pdf-page-model.png`` from a shared PDF (``../shared/pdfs``), with pdfplumber's ``to_image``.

Blue: running heads and footers; green: body regions (columns and full-width rows), in reading
order; orange: notes; red lines: rules.
"""
from __future__ import annotations

import argparse
from pathlib import Path

import pdfplumber

from pipeline.ingest.pdf_layout import body_size_of, page_zones, pdfium_pages, running_heads

COLOURS = {"head": (31, 119, 180), "body": (44, 160, 44), "notes": (255, 127, 14), "foot": (31, 119, 180)}


def box(rows: list) -> tuple[float, float, float, float]:
    return (min(r.x0 for r in rows) - 2, min(r.top for r in rows) - 2, max(r.x1 for r in rows) + 2,
            max(r.bottom for r in rows) + 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("pdf", type=Path)
    parser.add_argument("--page", type=int, default=2, help="1-based page number (default 2)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("pdf-page-model.png"))
    args = parser.parse_args()
    pages = pdfium_pages(args.pdf)
    heads = running_heads([(w, h, words) for w, h, words, _ in pages])
    width, height, words, rules = pages[args.page - 1]
    zones = page_zones(width, height, words, body_size_of([p[2] for p in pages]), heads[args.page - 1])
    with pdfplumber.open(args.pdf) as pdf:
        image = pdf.pages[args.page - 1].to_image(resolution=110)
        for name, regions in (("head", [zones.head]), ("body", zones.body), ("notes", zones.notes),
                              ("foot", [zones.foot])):
            for rows in regions:
                if rows:
                    image.draw_rect(box(rows), fill=(*COLOURS[name], 40), stroke=COLOURS[name], stroke_width=2)
        for y in rules:
            image.draw_hline(y, stroke=(214, 39, 40), stroke_width=1)
        image.save(args.out)
    print(args.out)


if __name__ == "__main__":
    main()
