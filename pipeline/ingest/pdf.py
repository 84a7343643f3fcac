"""PDF input: text blocks in reading order with layout roles, via pdfplumber (pdfminer.six).

pdfplumber is used rather than pypdf because it exposes every character's size and position
and pdfminer's layout analysis (text boxes in reading order, columns kept apart): small raised
digits become superscript markers (¹), small lines at the foot of a page become footnote
blocks, and lines repeated at the top or bottom of pages become running headers.
"""
from __future__ import annotations

import hashlib
import re
import statistics
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from ..text.io import InputError, max_bytes
from .blocks import Block, RawDocument

SUPERSCRIPT = str.maketrans("0123456789*∗", "⁰¹²³⁴⁵⁶⁷⁸⁹**")
_MARKER_START = re.compile(r"^\s*(?:[⁰¹²³⁴⁵⁶⁷⁸⁹]+|\d{1,3}[.)]?\s|[*∗†‡])")


@dataclass
class _Line:
    text: str
    size: float
    top: float
    bottom: float
    page: int
    box: int


def _line_text(line) -> tuple[str, float]:  # type: ignore[no-untyped-def]
    """Text of a pdfminer text line; small raised digits become superscript characters."""
    from pdfminer.layout import LTChar

    chars = [c for c in line if isinstance(c, LTChar)]
    if not chars:
        return line.get_text().strip("\n"), 0.0
    sizes = Counter(round(c.size, 1) for c in chars)
    line_size = sizes.most_common(1)[0][0]
    baseline = Counter(round(c.y0, 0) for c in chars if round(c.size, 1) == line_size).most_common(1)[0][0]
    out = []
    for obj in line:
        text = obj.get_text()
        raised = obj.y0 > baseline + 0.15 * line_size if isinstance(obj, LTChar) else False
        if isinstance(obj, LTChar) and text in "0123456789*∗" and raised and obj.size < 0.93 * line_size:
            text = text.translate(SUPERSCRIPT)
        elif text == "∗":
            text = "*"  # U+2217, the asterisk operator, is what TeX prints for a footnote star
        elif text == "\u00ad" and obj is not chars[-1]:
            text = "-"  # a soft hyphen drawn inside a line was printed: it is a hyphen
        out.append(text)
    return "".join(out).rstrip("\n"), float(line_size)


def read_pdf(path: Path, name: str | None = None) -> RawDocument:
    """Extract a PDF into blocks with roles; InputError for encrypted, corrupt or empty PDFs."""
    import pdfplumber
    from pdfminer.layout import LTTextBoxHorizontal, LTTextLineHorizontal
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect
    from pdfminer.pdfparser import PDFSyntaxError

    size = path.stat().st_size
    if size == 0:
        raise InputError(path, "empty file")
    if size > max_bytes() * 5:
        raise InputError(path, f"PDF is {size:,} bytes, over the limit (set PIPELINE_MAX_BYTES to raise it)")
    data = path.read_bytes()
    if not data.lstrip()[:5] == b"%PDF-":
        raise InputError(path, "not a PDF (no %PDF- header)")
    lines: list[_Line] = []
    try:
        with pdfplumber.open(path, laparams={"char_margin": 2.0, "line_margin": 0.5, "word_margin": 0.1}) as pdf:
            page_count = len(pdf.pages)
            heights = []
            box_no = 0
            for page_no, page in enumerate(pdf.pages, 1):
                heights.append(float(page.height))
                for box in page.layout:
                    if not isinstance(box, LTTextBoxHorizontal):
                        continue
                    box_no += 1
                    for line in box:
                        if not isinstance(line, LTTextLineHorizontal):
                            continue
                        text, line_size = _line_text(line)
                        if text.strip():
                            top = float(page.height) - float(line.y1)
                            lines.append(_Line(text, line_size, top, float(page.height) - float(line.y0), page_no, box_no))
    except (PDFPasswordIncorrect, PDFEncryptionError):
        raise InputError(path, "encrypted PDF; decrypt it first (e.g. qpdf --decrypt)") from None
    except PDFSyntaxError as exc:
        raise InputError(path, f"corrupt PDF ({exc})") from None
    except InputError:
        raise
    except Exception as exc:  # pdfminer raises many types on damaged files
        raise InputError(path, f"unreadable PDF ({type(exc).__name__}: {exc})") from None
    if not lines:
        raise InputError(path, "no extractable text (a scanned PDF needs OCR first)")

    body_size = statistics.median(l.size for l in lines if l.size) if any(l.size for l in lines) else 10.0
    roles = _layout_roles(lines, heights, body_size)
    text_parts: list[str] = []
    blocks: list[Block] = []
    pos = 0
    current: Block | None = None
    current_key = None
    for line, role in zip(lines, roles):
        key = (line.page, line.box, role)
        if current is None or key != current_key:
            if text_parts:  # blocks are separated by a blank line, as in .txt input
                text_parts.append("\n\n")
                pos += 2
            current = Block([], line.page, role)
            blocks.append(current)
            current_key = key
        else:
            text_parts.append("\n")
            pos += 1
        current.lines.append((pos, pos + len(line.text)))
        text_parts.append(line.text)
        pos += len(line.text)
    text = "".join(text_parts)
    digest = hashlib.sha256(data).hexdigest()
    return RawDocument(str(path) if name is None else name, "pdf", text, blocks, digest, page_count)


def _layout_roles(lines: list[_Line], heights: list[float], body_size: float) -> list[str | None]:
    """header (repeated or page-number lines at a page's edge), footnote (small type at the
    foot of a page, from a line that opens with a marker), or None (left to the cleaner)."""
    pages = max(l.page for l in lines)

    def norm(t: str) -> str:
        return re.sub(r"\d+", "#", t.strip().lower())

    edge = [l.top < 0.08 * heights[l.page - 1] or l.bottom > 0.93 * heights[l.page - 1] for l in lines]
    edge_counts = Counter(norm(l.text) for l, e in zip(lines, edge) if e)
    roles: list[str | None] = []
    for l, e in zip(lines, edge):
        if e and (re.fullmatch(r"[\W\d_]*\d[\W\d_]*", l.text.strip()) or
                  (pages >= 2 and edge_counts[norm(l.text)] >= max(2, pages // 3))):
            roles.append("header")
        else:
            roles.append(None)
    # Footnotes: per page, from the first small-type line that opens with a marker in the lower
    # part of the page, every following small line on that page (except headers) is a note.
    by_page: dict[int, list[int]] = {}
    for i, l in enumerate(lines):
        by_page.setdefault(l.page, []).append(i)
    for page, idxs in by_page.items():
        height = heights[page - 1]
        in_notes = False
        for i in sorted(idxs, key=lambda k: (lines[k].top, k)):
            l = lines[i]
            if roles[i] == "header":
                continue
            small = 0 < l.size <= 0.92 * body_size
            if not in_notes and small and l.top > 0.5 * height and _MARKER_START.match(l.text):
                in_notes = True
            if in_notes and small:
                roles[i] = "footnote"
    return roles
