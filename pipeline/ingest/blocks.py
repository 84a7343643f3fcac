"""A raw document as blocks (paragraphs) of raw line spans: what every source format is read into."""
from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Block:
    """A paragraph of the raw text: its lines as raw [start, end) spans.

    ``role`` is what the source layout already tells us (``header``, ``footer``,
    ``footnote``, ``body``), or None where the cleaner must infer it from the text; ``note_zone``:
    a PDF page's geometry put it among the notes (small type at a column's foot), which the
    cleaner weighs with its text; ``float_zone``: it put it in a float (a table, a figure) above
    the page's text columns, which a paragraph cut by the page break goes on after.
    """

    lines: list[tuple[int, int]]
    page: int | None = None
    role: str | None = None

    @property
    def start(self) -> int:
        return self.lines[0][0]

    @property
    def end(self) -> int:
        return self.lines[-1][1]


@dataclass
class RawDocument:
    path: str
    format: str  # "txt" or "pdf"
    text: str  # the raw text every raw offset refers to (for PDFs: the extracted text)
    blocks: list[Block]
    sha256: str
    page_count: int | None = None
    # a PDF's pages with no text layer, or none beyond running heads and page numbers (scans)
    pages_without_text: list[int] = field(default_factory=list)
    # a PDF's pages whose geometry shows their last line running on at the next page's top (pdf_layout.py)
    pages_running_on: list[int] = field(default_factory=list)


_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")
PAGE_BREAK = "\f"  # what pdftotext (poppler) writes between pages


def split_pages(text: str) -> tuple[list[Block], int | None]:
    """Blocks of ``text`` and its page count: pages are what form feeds separate (text from
    pdftotext), each block carrying its page (1-based); without a form feed, pages are unknown."""
    if PAGE_BREAK not in text:
        return split_blocks(text), None
    blocks: list[Block] = []
    base = 0
    pages = text.split(PAGE_BREAK)
    if pages and not pages[-1].strip():
        pages = pages[:-1]  # pdftotext ends the last page with a form feed too
    for number, page in enumerate(pages, 1):
        blocks += split_blocks(page, number, base)
        base += len(page) + 1
    return blocks, len(pages)


def split_blocks(text: str, page: int | None = None, base: int = 0) -> list[Block]:
    """Blocks separated by blank lines; each line a raw span with surrounding space trimmed."""
    blocks: list[Block] = []
    pos = 0
    for m in list(_BLANK_LINE.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        lines = []
        line_start = pos
        for line in text[pos:end].split("\n"):
            s = line_start + (len(line) - len(line.lstrip()))  # (a line's form feed is space too)
            e = line_start + len(line.rstrip())
            if e > s:
                lines.append((base + s, base + e))
            line_start += len(line) + 1
        if lines:
            blocks.append(Block(lines, page))
        pos = m.end() if m else len(text)
    return blocks
