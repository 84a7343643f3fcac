"""What a block is on the page: layout cues (``patterns/layout.tsv``), running headers, sentence
ends, list bullets, and paragraphs that a page break cut in two joined again."""
from __future__ import annotations

import functools
import re
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Callable, Collection

from .. import patterns
from ..ingest import Block, RawDocument
from ..text.scripts import CJK, CLOSERS, is_cjk
from .text import join_lines, strip_markup
from .tracked import Tracked

TERMINAL_PUNCT = ".!?。．｡！？:;…"


@functools.lru_cache(maxsize=None)
def layout_patterns() -> dict[str, list[re.Pattern[str]]]:
    table: dict[str, list[re.Pattern[str]]] = {}
    for _, (kind, pattern, *_) in patterns.rows("layout.tsv", 2):
        table.setdefault(kind, []).append(re.compile(pattern, re.IGNORECASE))
    return table


def layout_match(kind: str, text: str) -> re.Match[str] | None:
    for pattern in layout_patterns()[kind]:
        m = pattern.search(text)
        if m:
            return m
    return None


@dataclass
class BodyBlock:
    text: Tracked
    label: str  # title | byline | body
    page: int | None
    after_break: bool  # a header, page number or footnote block was removed just before it
    raw_start: int
    raw_end: int
    kind: str = "paragraph"
    indented: bool = False  # its first line is indented in the raw text
    floating: bool = False  # the page geometry puts it in a float above the page's text columns
    end_page: int | None = None  # the page it ends on, once joined with its rest from the next page

    def __post_init__(self) -> None:
        if self.end_page is None:
            self.end_page = self.page


@dataclass
class CleanState:
    raw: RawDocument
    marker_counter: list[int] = field(default_factory=lambda: [0])
    links: list[dict[str, Any]] = field(default_factory=list)


# a bullet opens a list's item; a line of bullets alone ("* * *") is an ornament, a section break
LIST_BULLET = re.compile(r"^(?![-–•·▪◦‣⁃*\s]+$)(?:[-–•·▪◦‣⁃]|\*(?=\s))\s+")


def split_list_items(raw: RawDocument, blocks: list[Block]) -> list[Block]:
    """A line that opens with a bullet starts its own block: list items are paragraphs."""
    out: list[Block] = []
    for block in blocks:
        current: list[tuple[int, int]] = []
        for span in block.lines:
            if current and LIST_BULLET.match(raw.text[span[0]:span[1]]):
                out.append(Block(current, block.page, block.role))
                current = []
            current.append(span)
        out.append(Block(current, block.page, block.role))
    return out


def block_lines(raw: RawDocument, block: Block) -> list[Tracked]:
    return [Tracked.from_raw(raw.text, s, e) for s, e in block.lines]


def plain_text(raw: RawDocument, block: Block) -> str:
    return " ".join(raw.text[s:e] for s, e in block.lines).strip()


def word_count(text: str) -> int:
    words = len(text.split())
    return words if text.isascii() else words + len(CJK.findall(text)) // 2


_MARKUP_CHARS = re.compile(r"[*_#\\]")
_DIGITS = re.compile(r"\d+")
_WHITESPACE = re.compile(r"\s+")


def header_key(text: str) -> str:
    return _DIGITS.sub("#", _WHITESPACE.sub(" ", _MARKUP_CHARS.sub("", text))).strip().lower()


def running_headers(texts: list[str]) -> set[str]:
    """Short blocks repeated three times or more: running headers and footers.

    Digits are ignored (page numbers in a header), but then the header must have words of its
    own: "Header 1.1", "Header 1.2", "Header 2.1" are numbered section headings.
    """
    counts = Counter(header_key(t) for t in texts if word_count(t) <= 15)
    return {t for t, n in counts.items()
            if n >= 3 and t and len(re.sub(r"[#.\s]+", " ", t).split()) >= 2}


def ends_sentence(text: str) -> bool:
    text = text.rstrip()
    while text and text[-1] in CLOSERS:
        text = text[:-1]
    return bool(text) and text[-1] in TERMINAL_PUNCT


def clean_block_text(state: CleanState, block: Block) -> Tracked:
    """A block's lines joined, converter markup removed (links noted in ``state``)."""
    return strip_markup(join_lines(block_lines(state.raw, block)), state.links)


def starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if not ch.isspace() and ch not in "\"'“‘(":
            return False
    return False


_ENUMERATOR = re.compile(r"^(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]$")


def is_float_part(text: str) -> bool:
    """A block that belongs to a figure or a table rather than to the running text: its caption
    (``patterns/layout.tsv``, kind ``caption``), or text that is not prose: a list's number alone
    (pdftotext prints a numbers column apart), a short label, a row of figures, a chart's glyphs."""
    text = text.strip()
    if _ENUMERATOR.match(text) or layout_match("caption", text):
        return True
    words = text.split()
    if not text.isascii() and is_cjk(text[:1]):
        return len(text) < 12 and not ends_sentence(text)
    wordlike = [w for w in words if sum(ch.isalpha() for ch in w) >= max(2, len(w) // 2)]
    return len(words) < 8 and not ends_sentence(text) or len(wordlike) < 0.6 * len(words)


def _floats_before_page_break(blocks: list[BodyBlock],
                              continues: Callable[..., bool]) -> list[BodyBlock]:
    """A page that ends with a float's caption or source line, or a box of general notes
    (``layout.tsv``, kind ``caption``), after the paragraph it cut: the rest of that paragraph, from
    the next page, first, so that it joins the paragraph, then the float. ``continues(prev, block)``
    says whether ``block`` goes on with ``prev``."""
    out = list(blocks)
    for k in range(1, len(out)):
        if out[k].page is None or out[k].page == out[k - 1].page or out[k].label != "body":
            continue
        i = k - 1
        while i >= 0 and out[i].page == out[k - 1].page and out[i].label == "body" \
                and layout_match("caption", out[i].text.text.strip()):
            i -= 1
        if 0 <= i < k - 1 and out[i].page == out[k - 1].page and continues(out[i], out[k], past_float=True):
            out[i + 1:k + 1] = [out[k], *out[i + 1:k]]
    return out


def _floats_before_continuation(blocks: list[BodyBlock],
                                continues: Callable[..., bool]) -> list[BodyBlock]:
    """A page that opens with a figure or a table (or a list's numbers printed apart) before the rest
    of the paragraph the page before left cut: that rest first, so that it joins the paragraph,
    then the float. ``continues(prev, block)`` says whether ``block`` goes on with ``prev``."""
    out = list(blocks)
    k = 1
    while k < len(out):
        j = k
        while j < len(out) and out[j].page == out[k].page and out[j].label == "body" \
                and (out[j].floating or is_float_part(out[j].text.text)):
            j += 1
        if (j > k and j < len(out) and out[k].page != out[k - 1].page and out[j].page == out[k].page
                and out[j].label == "body" and continues(out[k - 1], out[j], past_float=True)):
            out[k:j + 1] = [out[j], *out[k:j]]
            k = j + 1
            continue
        k += 1
    return out


def join_broken_blocks(blocks: list[BodyBlock], pages_running_on: Collection[int] = ()) -> list[BodyBlock]:
    """Rejoin paragraphs that a page break (and the footnotes printed there) cut in two. A page that
    opens with a line not indented continues the paragraph before, even when the page broke after a
    sentence, where the document indents its paragraphs' first lines (Japanese text: "　"), or where
    the PDF's geometry shows the line before running on (``pages_running_on``: the page full to its
    foot and its last line to the edge, the next page's text at its top).
    A figure or a table that ends the page or opens the next is passed over: the paragraph goes on
    after it."""
    # whether paragraphs open indented, judged on the blocks that may open one: not those that go
    # on in lower case (after a quotation) nor those at a page's top (which are what is judged)
    body = [b for k, b in enumerate(blocks) if b.label == "body" and word_count(b.text.text) > 15
            and not starts_lower(b.text.text) and k > 0 and blocks[k - 1].page == b.page]
    indents_paragraphs = len(body) >= 4 and sum(b.indented for b in body) >= 0.6 * len(body)

    def continues(prev: BodyBlock, b: BodyBlock, past_float: bool = False) -> bool:
        """Whether ``b`` goes on with ``prev``; past a float, only on a clear sign (a lower-case start,
        or a line not indented where paragraphs are), not merely because ``prev`` is unfinished."""
        prev_text = prev.text.text.rstrip()
        if layout_match("caption", b.text.text.strip()):
            return False  # a figure's or a table's caption opens no continuation
        both_body = bool(prev_text) and prev.label == "body" and b.label == "body"
        unfinished = both_body and not ends_sentence(prev_text)
        long_prev = word_count(prev_text) >= 12 or any(c in prev_text for c in ".。")
        # A PDF knows its pages: only a new page is a page break.
        page_break = b.page != prev.end_page if b.page is not None else b.after_break
        runs_on = prev.end_page in pages_running_on and b.page == prev.end_page + 1 and not past_float
        # a block opening the page at the margin, where paragraphs open indented: its rest, unless
        # it is short (a heading, a list's item); where the line before runs on, its rest however short
        goes_on = (both_body and page_break and not b.indented and ends_sentence(b.text.text)
                   and (indents_paragraphs and word_count(b.text.text) > 15 or runs_on))
        return goes_on or unfinished and (starts_lower(b.text.text) or (page_break and long_prev and not past_float)
                                          or (long_prev and is_cjk(prev_text[-1:]) and is_cjk(b.text.text[:1])))

    out: list[BodyBlock] = []
    for b in _floats_before_continuation(_floats_before_page_break(blocks, continues), continues):
        if out and continues(out[-1], b):
            prev = out[-1]
            prev.text = join_lines([prev.text, b.text])
            prev.raw_end = b.raw_end
            prev.end_page = b.end_page
            continue
        out.append(replace(b))
    return out
