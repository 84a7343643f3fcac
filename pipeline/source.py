"""Raw documents as a list of blocks (paragraphs) with raw offsets, from .txt or .pdf."""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from .io import InputError, read_text_strict

SUPPORTED_SUFFIXES = (".txt", ".pdf")


@dataclass
class Block:
    """A paragraph of the raw text: its lines as raw [start, end) spans.

    ``role`` is what the source layout already tells us (``header``, ``footer``,
    ``footnote``, ``body``), or None where the cleaner must infer it from the text.
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
    pdf_metadata: dict[str, str] = field(default_factory=dict)


_BLANK_LINE = re.compile(r"\n[ \t\u3000]*\n")


def split_blocks(text: str, page: int | None = None, base: int = 0) -> list[Block]:
    """Blocks separated by blank lines; each line a raw span with surrounding space trimmed."""
    blocks: list[Block] = []
    pos = 0
    for m in list(_BLANK_LINE.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        lines = []
        line_start = pos
        for line in text[pos:end].split("\n"):
            s = line_start + (len(line) - len(line.lstrip()))
            e = line_start + len(line.rstrip())
            if e > s:
                lines.append((base + s, base + e))
            line_start += len(line) + 1
        if lines:
            blocks.append(Block(lines, page))
        pos = m.end() if m else len(text)
    return blocks


def read_document(path: str | Path) -> RawDocument:
    """Read a .txt (UTF-8, text extracted from a PDF) or .pdf into blocks; InputError if unusable."""
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(p, f"unsupported file type {suffix or '(none)'}; expected .txt or .pdf")
    if not p.exists():
        raise InputError(p, "no such file")
    if suffix == ".pdf":
        from .pdf import read_pdf  # imported lazily: pdfplumber is slow to import

        return read_pdf(p)
    text = read_text_strict(p)
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    return RawDocument(str(p), "txt", text, split_blocks(text), digest)
