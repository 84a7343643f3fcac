"""PDF input: each page laid out as text from its characters' geometry (``pdf_layout.py``), pages
separated by form feeds, then read like text extracted from a PDF.

pypdfium2 (PDFium) gives every character's box, size and font, ten times faster than pdfplumber
(``make bench --only pdfs``); pypdf gives text only. Superscripts, columns, paragraphs and the small
type of notes come from that geometry.
"""
from __future__ import annotations

import bisect
import hashlib
import math
from pathlib import Path

from ..text.io import InputError, max_bytes
from .blocks import PAGE_BREAK, Block, RawDocument, split_pages
from .pdf_layout import PageEdges, body_size_of, page_text, pages_running_on, pdfium_pages, running_heads


def read_pdf(path: Path, name: str | None = None) -> RawDocument:
    """Extract a PDF page by page; InputError for encrypted, corrupt or textless PDFs. Pages with no
    text layer (scans), or none beyond their running heads, footers and page numbers, are listed in
    ``pages_without_text``."""
    import pypdfium2

    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "empty file")
    if size > max_bytes() * 5:
        raise InputError(path, f"PDF is {size:,} bytes, over the limit (set PIPELINE_MAX_BYTES to raise it)")
    data = path.read_bytes()
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError(path, "not a PDF (no %PDF- header)")
    try:
        pages = pdfium_pages(path)
    except pypdfium2.PdfiumError as exc:
        if "password" in str(exc).lower():
            raise InputError(path, "encrypted PDF; decrypt it first (e.g. qpdf --decrypt)") from None
        raise InputError(path, f"corrupt PDF ({exc})") from None
    without_text = [k for k, (_, _, words, _) in enumerate(pages, 1) if not words]
    if len(without_text) == len(pages):
        raise InputError(path, "no extractable text (a scanned PDF needs OCR first)")
    body_size = body_size_of([words for _, _, words, _ in pages])
    heads = running_heads([(w, h, words) for w, h, words, _ in pages])
    parts: list[str] = []
    note_zones: list[tuple[int, int]] = []  # raw offsets of each page's notes zone
    float_zones: list[tuple[int, int]] = []  # and of the float that opens a page above its columns
    head_zones: list[tuple[int, int]] = []  # and of its running heads, footers and page number
    edges: list[PageEdges | None] = []  # where each page's running text starts and ends
    base = 0
    for (width, height, words, rules), page_heads in zip(pages, heads):
        page = page_text(width, height, words, rules, body_size, page_heads)
        if page.notes_end > page.notes_start:
            note_zones.append((base + page.notes_start, base + page.notes_end))
        if page.float_end:
            float_zones.append((base, base + page.float_end))
        if page.head_end:
            head_zones.append((base, base + page.head_end))
        if page.foot_start is not None:
            head_zones.append((base + page.foot_start, base + len(page.text)))
        edges.append(page.edges)
        parts.append(page.text + "\n" + PAGE_BREAK)
        base += len(parts[-1])
    text = "".join(parts)
    blocks, page_count = split_pages(text)
    blocks = _mark_zones(_mark_heads(text, blocks, heads, head_zones), note_zones, "note_zone")
    blocks = _mark_zones(blocks, float_zones, "float_zone")
    # a page whose text layer holds its running head and page number only is a scan too (a figure's image)
    furniture_only = {b.page for b in blocks} - {b.page for b in blocks if b.role != "header"}
    return RawDocument(str(path) if name is None else name, "pdf", text, blocks, hashlib.sha256(data).hexdigest(),
                       page_count, sorted(set(without_text) | furniture_only), pages_running_on(edges))


def _mark_zones(blocks: list[Block], zones: list[tuple[int, int]], role: str) -> list[Block]:
    """The blocks the page geometry puts in one of ``zones`` get ``role``, where they have none:
    ``note_zone``, a page's notes zone (small type at a column's foot), where a block with no label
    of its own may be the rest of the note the page before left unfinished (clean/pages.py), not body
    text; ``float_zone``, a float that opens a page above its text columns, which a paragraph cut by
    the page break goes on after (clean/layout.py)."""
    return [Block(b.lines, b.page, role) if b.role is None and _in_zone(zones, b.start) else b for b in blocks]


def _in_zone(zones: list[tuple[int, int]], offset: int) -> bool:
    """Whether ``offset`` falls in one of ``zones`` (raw spans, in order, none overlapping)."""
    k = bisect.bisect_right(zones, (offset, math.inf)) - 1
    return k >= 0 and zones[k][0] <= offset < zones[k][1]


def _mark_heads(text: str, blocks: list[Block], heads: list[set[str]], zones: list[tuple[int, int]]) -> list[Block]:
    """The lines the page geometry shows to be running heads, footers and page numbers (``zones``:
    their raw spans), split off as ``header`` blocks (the cleaner removes them and records where),
    and the lines elsewhere on the page that read as one of its heads (a title page's "Syllabus"
    under the head "Syllabus"), but for a number: a section's "2" on page 2 stays in the body."""
    def is_head(span: tuple[int, int], page_heads: set[str]) -> bool:
        line = text[span[0]:span[1]].strip()
        return _in_zone(zones, span[0]) or line in page_heads and not line.isdigit()

    out: list[Block] = []
    for b in blocks:
        page_heads = heads[b.page - 1] if b.page and b.page <= len(heads) else set()
        run: list[tuple[int, int]] = []
        run_head = None
        for span in b.lines:
            head = is_head(span, page_heads)
            if run and head != run_head:
                out.append(Block(run, b.page, "header" if run_head else b.role))
                run = []
            run.append(span)
            run_head = head
        if run:
            out.append(Block(run, b.page, "header" if run_head else b.role))
    return out
