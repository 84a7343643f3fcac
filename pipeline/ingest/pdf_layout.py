"""The page model of PDF input: each page's words, from the characters PDFium gives (text, font,
size, position), laid out as text the way a reader sees the page.

Columns are found from the gaps no word crosses; in each column, words sharing a line by their
vertical overlap make a row, read left to right, and a small word raised above its row's baseline is
a superscript (a note marker: digits become ¹²³). Rows that a wider gap, an indented first line, a
change of type size or a drawn rule separates are paragraphs of their own (a blank line), so that the
small type at a page's foot stands apart from the body. Symbol-font bullets become "•", rules of
"—" or "_" go, zero-width characters go. Pages are separated by form feeds, as pdftotext writes
them; the text page model of the cleaner (``clean/pages.py``) then finds the running heads, page
numbers, notes and page-break joins, as for text input.

Hand-written: PDF libraries give characters with their geometry but no columns, paragraphs or
superscripts, and pdfminer's layout analysis (pdfplumber's) cuts raised markers and bullets into
boxes of their own.
"""
from __future__ import annotations

import math
import re
import statistics
from collections import Counter
from dataclasses import dataclass, field
from typing import Any, Iterable, NamedTuple

HEAD_BAND = 0.12  # the share of a page's height at its top (and foot) where heads and footers stand
WIDE_BAND = 0.2  # a head's second line may stand lower, if printed on three pages at least
FLUSH = 0.25  # ems from its column's right edge within which a row is set to the edge
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
_RULE = re.compile(r"^[\s—–_\-‐―─━]{3,}$")
_SECTION_LABEL = re.compile(r"^(?:[IVX]{1,5}|[A-Z]|\d{1,2}|\*(?: \*){2})$")  # a section's label alone
_MARKER_WORD = re.compile(r"^(?:[*∗]?\d{1,3}[,)]?|[*∗†‡§¶]{1,3}|[a-z])$")
_SYMBOL_FONT = re.compile(r"symbol|wingding|dingbat|typograph|zapf", re.I)
_LETTER = re.compile(r"[^\W\d_]")
_BULLET_CODES = frozenset("!lnq§·•▪■◆●o")
# zero-width characters go; a soft hyphen the PDF draws is a printed hyphen (at a line's end the
# cleaner joins the word); U+2217, the asterisk operator, is what TeX prints for a note's star
_ZERO_WIDTH = dict.fromkeys(map(ord, "\u200b\u200c\u200d\ufeff"), None) | {0x2011: "-", 0xAD: "-", 0x2217: "*"}


def _is_cjk(ch: str) -> bool:
    return "\u3000" <= ch <= "\u9fff" or "\uf900" <= ch <= "\uffef"


@dataclass
class Word:
    text: str
    x0: float
    x1: float
    top: float
    bottom: float
    size: float
    font: str
    seq: int = -1  # the word's place in the page's text stream
    after_space: bool = True  # a space (the PDF's or PDFium's) came before it in the stream


@dataclass
class Row:
    words: list[Word] = field(default_factory=list)

    @property
    def top(self) -> float:
        return min(w.top for w in self.words)

    @property
    def bottom(self) -> float:
        return max(w.bottom for w in self.words)

    @property
    def x0(self) -> float:
        return min(w.x0 for w in self.words)

    @property
    def x1(self) -> float:
        return max(w.x1 for w in self.words)

    @property
    def size(self) -> float:
        """The row's type size: that of most of its characters."""
        sizes: Counter[float] = Counter()
        for w in self.words:
            sizes[round(w.size, 1)] += len(w.text)
        return sizes.most_common(1)[0][0]

    @property
    def baseline(self) -> float:
        size = self.size
        return statistics.median(w.bottom for w in self.words if round(w.size, 1) == size)


def _gutters(words: list[Word], left: float, right: float) -> list[float]:
    """x positions between ``left`` and ``right`` that (almost) no word crosses, with words on both
    sides: the column gutters, found again inside each column for three columns."""
    if len(words) < 40:
        return []
    span = right - left
    # a gap as narrow as a word space (half an em, stretched in a justified line) may fall at one
    # place on a few lines by chance: on a page of a few lines, a gutter is an em wide at least
    narrowest = 4.0 if len(_rows(words)) >= 6 else max(4.0, statistics.median(w.size for w in words))
    best: tuple[float, float] | None = None
    step = 1.0
    x = left + 0.2 * span
    while x < right - 0.2 * span:
        crossing = sum(1 for w in words if w.x0 < x < w.x1)
        if crossing <= 0.02 * len(words):
            run_start = x
            while x < right - 0.2 * span and sum(1 for w in words if w.x0 < x < w.x1) <= 0.02 * len(words):
                x += step
            width = x - run_start
            if width >= narrowest and (best is None or width > best[1]):
                best = (run_start + width / 2, width)
        x += step
    if best is None:
        return []
    mid = best[0]
    lefts = [w for w in words if w.x1 <= mid]
    rights = [w for w in words if w.x0 >= mid]
    if len(lefts) < 0.2 * len(words) or len(rights) < 0.2 * len(words):
        return []
    # a column's own lines reach close to the gutter: a ragged right edge is no gutter
    if statistics.median(w.x1 for w in lefts) > mid or statistics.median(w.x0 for w in rights) < mid:
        return []
    return sorted(_gutters(lefts, left, mid) + [mid] + _gutters(rights, mid, right))


def _across(words: list[Word], gutters: list[float]) -> list[Word]:
    """The words of lines set across a gutter: a run of words one word space apart (a gutter is
    wider) that reaches over it, such as a full-width caption's line, even where a space, not a
    word, falls on the gutter. Where most lines would be, the gutter is too narrow to tell: only the
    words over it."""
    spanning: list[Word] = []
    rows = _rows(words)
    across = 0
    for row in rows:
        run: list[Word] = []
        for w in [*row.words, None]:
            if w is None or run and w.x0 - run[-1].x1 >= 0.6 * min(w.size, run[-1].size):
                if run and any(run[0].x0 < g - 3 and g + 3 < max(x.x1 for x in run) for g in gutters):
                    spanning.extend(run)
                    across += 1
                run = []
            if w is not None:
                run.append(w)
    if across > 0.5 * len(rows):  # most lines: a gutter no wider than a word space; its crossing words only
        return [w for w in words if any(w.x0 < g - 3 and g + 3 < w.x1 for g in gutters)]
    return spanning


def _column_blocks(rows: list[Row], width: float, body_size: float) -> list[list[Row]]:
    """The regions of a page without page-wide columns: rows in reading order, but for a block set in
    two columns under text in one (too few words for ``_gutters``), read as its left, then its right
    column."""
    regions: list[list[Row]] = []
    current: list[Row] = []
    i = 0
    while i < len(rows):
        block = _column_block(rows, i, width, body_size)
        if block is None:
            current.append(rows[i])
            i += 1
            continue
        end, (lo, hi) = block
        if current:
            regions.append(current)
            current = []
        words = [w for r in rows[i:end] for w in r.words]
        regions.append(_rows(w for w in words if w.x1 <= lo + 0.5))
        regions.append(_rows(w for w in words if w.x0 >= hi - 0.5))
        i = end
    return [*regions, current] if current else regions


def _column_block(rows: list[Row], i: int, width: float, body_size: float) -> tuple[int, tuple[float, float]] | None:
    """The two-column block that starts at row ``i``: where it ends and its gutter. A gutter is a
    gap at least 0.8 em wide in the middle three fifths of the page that no word of at least four
    consecutive rows crosses; the block's columns hold lines of words (two and a half a line on
    average, most with a letter: not a table's cells or figures) and the right one is set flush left
    (not a ragged gap)."""
    free = [(0.2 * width, 0.8 * width)]
    end = i
    while end < len(rows):
        if end > i and rows[end].top - rows[end - 1].bottom > 2 * body_size:
            break  # a block's rows are close together
        narrowed = []
        for lo, hi in free:
            for w in sorted(rows[end].words, key=lambda w: w.x0):
                if w.x1 <= lo or w.x0 >= hi:
                    continue
                if w.x0 - lo >= 0.8 * body_size:
                    narrowed.append((lo, w.x0))
                lo = max(lo, w.x1)
            if hi - lo >= 0.8 * body_size:
                narrowed.append((lo, hi))
        if not narrowed:
            break
        free = narrowed
        end += 1
    if end - i < 4:
        return None
    lo, hi = max(free, key=lambda g: g[1] - g[0])
    margin = statistics.median(r.x0 for r in rows[i:end])
    while end > i and rows[end - 1].x1 <= lo and abs(rows[end - 1].x0 - margin) > 2:
        end -= 1  # a heading under the left column, out of its margin: it follows both columns
    if end - i < 4:
        return None
    lefts = [[w for w in r.words if w.x1 <= lo] for r in rows[i:end]]
    rights = [[w for w in r.words if w.x0 >= hi] for r in rows[i:end]]
    if sum(1 for a, b in zip(lefts, rights) if a and b) < 4:
        return None
    for side in (lefts, rights):
        lines = [ws for ws in side if ws]
        words = [w for ws in lines for w in ws]
        if len(words) < 2.5 * len(lines) or sum(1 for w in words if _LETTER.search(w.text)) < 0.6 * len(words):
            return None  # a table's cells, or its figures
    starts = [min(w.x0 for w in ws) for ws in rights if ws]
    usual = statistics.median(starts)
    if sum(1 for x in starts if abs(x - usual) <= 2) < 0.6 * len(starts):
        return None
    return end, (lo, hi)


def _rows(words: Iterable[Word]) -> list[Row]:
    """Words on one line by vertical overlap (a raised superscript overlaps its line), top to bottom.
    A word much taller than the others (an icon or a big operator beside two lines) joins the row it
    overlaps most once the rows are made, so that it does not merge the lines it spans."""
    words = list(words)
    if not words:
        return []
    usual = statistics.median(w.bottom - w.top for w in words)
    regular, tall = [], []
    for w in words:
        (tall if w.bottom - w.top > 1.6 * usual else regular).append(w)
    rows: list[Row] = []
    for w in sorted(regular, key=lambda w: (w.bottom, w.x0)):
        best, best_overlap = None, 0.0
        for row in rows[-4:]:
            overlap = min(w.bottom, row.bottom) - max(w.top, row.top)
            height = min(w.bottom - w.top, row.bottom - row.top) or 1.0
            if overlap / height > best_overlap:
                best, best_overlap = row, overlap / height
        if best is not None and best_overlap >= 0.5:
            best.words.append(w)
        else:
            rows.append(Row([w]))
    for w in tall:
        overlaps = [(min(w.bottom, r.bottom) - max(w.top, r.top), k) for k, r in enumerate(rows)]
        overlap, k = max(overlaps, default=(0.0, -1))
        if overlap > 0:
            rows[k].words.append(w)
        else:
            rows.append(Row([w]))
    for row in rows:
        row.words.sort(key=lambda w: w.x0)
    return sorted(rows, key=lambda r: r.top)


def row_text(row: Row) -> str:
    """A row's words joined: raised small marks as superscripts, a space where the gap is one."""
    size, baseline = row.size, row.baseline
    parts: list[str] = []
    prev: Word | None = None
    for w in row.words:
        rise = baseline - w.bottom
        raised = w.size <= 0.85 * size and rise >= 0.12 * size or w.size <= 0.95 * size and rise >= 0.25 * size
        text = w.text
        if raised and _MARKER_WORD.match(text):
            text = text.replace("∗", "*").rstrip(",)")
            if not text.startswith("*"):  # "*1" is a marker form of its own; plain digits are raised
                text = text.translate(SUPERSCRIPT)
        if prev is not None:
            if w.seq == prev.seq + 1 and w.seq >= 0:  # neighbours in the text stream: its spaces decide
                space = w.after_space
            else:
                gap = w.x0 - prev.x1
                cjk = _is_cjk(parts[-1][-1:]) and _is_cjk(text[:1])
                space = gap > 0.15 * min(size, w.size) and not (cjk and gap < 0.5 * size) \
                    and not (raised and gap < 0.25 * size)
            if space:
                parts.append(" ")
        parts.append(text)
        prev = w
    return "".join(parts)


@dataclass
class PageZones:
    """A page's zones, each as rows: running heads, body regions (columns and full-width rows) in
    reading order, notes (the small type at the columns' feet), footers."""
    head: list[Row]
    body: list[list[Row]]
    notes: list[list[Row]]  # per column
    foot: list[Row]
    lead_float: int = 0  # how many of the body regions are a float above the text columns


def page_zones(width: float, height: float, words: list[Word], body_size: float,
               heads: set[str] = frozenset(), rules: Iterable[float] = ()) -> PageZones:
    """The zones of a page. ``heads``: the texts of its head and foot rows (``running_heads``);
    ``rules``: the tops of its short horizontal rules."""
    edge_rows = [r for r in _band_rows(words, height) if row_text(r).strip() in heads]
    edge_words = {id(w) for r in edge_rows for w in r.words}
    inner = [w for w in words if id(w) not in edge_words]
    # columns from the body type: notes in smaller type may run across two columns
    body_words = [w for w in inner if w.size >= 0.92 * body_size]
    gutters = _gutters(body_words, 0.0, width) or _gutters(inner, 0.0, width)
    lead_float = 0
    if not gutters:
        regions = _column_blocks(_rows(inner), width, body_size)
    else:
        edges = [0.0, *gutters, width]
        # a line across a gutter (a word over it by more than a hair: a long word at a column's
        # edge is no title; or words a space apart over it) spans the columns
        spanning = _across(inner, gutters)
        span_rows = _rows(spanning)
        spanning_ids = {id(w) for w in spanning}
        columns = [_rows(w for w in inner if id(w) not in spanning_ids and lo <= (w.x0 + w.x1) / 2 < hi)
                   for lo, hi in zip(edges, edges[1:])]
        # full-width rows (title, headings, notes across the columns) cut the page into bands
        regions = []
        bands_of: list[tuple[int, bool]] = []  # each region's band, and whether it is a full-width row
        bands = [-1.0, *[r.top for r in span_rows], height + 1]
        span_iter = iter(span_rows)
        for k, (lo, hi) in enumerate(zip(bands, bands[1:])):
            if k > 0:
                regions.append([next(span_iter)])
                bands_of.append((k, True))
            for col in columns:
                part = [r for r in col if lo <= r.top < hi]
                if part:
                    regions.append(part)
                    bands_of.append((k, False))
        lead_float = _float_above_columns(regions, bands_of, height, body_size)
    body: list[list[Row]] = []
    notes: list[list[Row]] = []
    for i, region in enumerate(regions):  # each column's foot in small type: its notes, read after the body
        k = len(region) if i >= lead_float else 0  # a float above the text columns holds no page notes
        while k > 0 and region[k - 1].size <= 0.92 * body_size and region[k - 1].top > 0.4 * height:
            k -= 1
        k = _below_note_rule(region, k, rules)
        if k < len(region) and k > 0:
            notes.append(region[k:])
            region = region[:k]
        body.append(region)
    return PageZones([r for r in edge_rows if r.top < 0.5 * height], body, notes,
                     [r for r in edge_rows if r.top >= 0.5 * height], lead_float)


def _float_above_columns(regions: list[list[Row]], bands_of: list[tuple[int, bool]], height: float,
                         body_size: float) -> int:
    """How many of a page's first regions are a float set above its text columns (a table or a figure
    with its caption and notes, at least partly across the columns, from the page's top down to its
    last band of columns); 0 where a column of running text (rows as long as the last band's full
    lines) comes before that band, or where the band is no text."""
    last = bands_of[-1][0] if bands_of else 0
    finals = [i for i, (k, full_width) in enumerate(bands_of) if k == last and not full_width]
    if not finals or not any(full_width for _, full_width in bands_of[:finals[0]]):
        return 0
    widths = sorted(r.x1 - r.x0 for i in finals for r in regions[i] if r.size >= 0.92 * body_size)
    if len(widths) < 6 or min(r.top for i in finals for r in regions[i]) > 0.75 * height:
        return 0
    full_line = widths[len(widths) * 3 // 4]
    for region, (_, full_width) in zip(regions[:finals[0]], bands_of):
        rows = [r for r in region if r.size >= 0.92 * body_size]
        if not full_width and len(rows) >= 3 and sum(r.x1 - r.x0 >= 0.8 * full_line for r in rows) >= 0.5 * len(rows):
            return 0
    return finals[0]


def _below_note_rule(region: list[Row], k: int, rules: Iterable[float]) -> int:
    """Where the notes of ``region`` start, given that its small type starts at row ``k``: after a
    rule drawn inside that small type when everything above the rule is set larger than everything
    below it (a remark in small type, then the note separator and the notes in smaller type still)."""
    small = region[k:]
    for rule in sorted(rules):
        above = [r for r in small if r.bottom <= rule + 1]
        below = [r for r in small if r.top >= rule - 1]
        if above and below and len(above) + len(below) == len(small) \
                and min(r.size for r in above) > max(r.size for r in below):
            return k + len(above)
    return k


class PageEdges(NamedTuple):
    """Where a page's running text starts and ends: what its page breaks are judged by."""
    first_top: float  # the top of its first body row (infinite where a float opens the page)
    first_word: float  # the width of that row's first word, with a space after it
    last_bottom: float  # the bottom of its last body row
    last_room: float  # the room left at that row's end, to its column's right edge
    pitch: float  # the usual distance between its body rows' tops
    last_flush: bool  # that row ends at the edge (within a quarter em: glyphs' boxes vary)
    flush_share: float  # the share of its body rows that do (justified type)


class PageText(NamedTuple):
    """A page as text, where in it the notes zone's lines are (``notes_start == notes_end`` when the
    page has none), where the float that opens it above its text columns ends (0: none), and its
    running text's edges (None: the page has no body text), and where its heads and footers are."""
    text: str
    notes_start: int
    notes_end: int
    float_end: int = 0
    edges: PageEdges | None = None
    head_end: int = 0  # where its running heads end (0: none)
    foot_start: int | None = None  # where its footers and page number start (None: none)


def page_edges(zones: PageZones, body_size: float) -> PageEdges | None:
    """The edges of a page's running text, from its body regions in reading order."""
    regions = [region for region in zones.body if region]
    if not regions:
        return None
    first, last = regions[0][0], regions[-1][-1]
    columns = [[r for r in region if r.size >= 0.92 * body_size] for region in regions]
    right = max((r.x1 for r in columns[-1]), default=last.x1)
    pitches = [b.top - a.top for region in regions for a, b in zip(region, region[1:])
               if min(a.size, b.size) >= 0.92 * body_size and b.top > a.top]
    flush = [max(r.x1 for r in rows) - row.x1 <= FLUSH * row.size for rows in columns if len(rows) >= 3 for row in rows]
    word = first.words[0]
    return PageEdges(math.inf if zones.lead_float else first.top, word.x1 - word.x0 + 0.25 * word.size,
                     last.bottom, right - last.x1, statistics.median(pitches) if pitches else 1.2 * body_size,
                     right - last.x1 <= FLUSH * last.size, sum(flush) / len(flush) if flush else 0.0)


def pages_running_on(edges: list[PageEdges | None]) -> list[int]:
    """The pages (1-based) whose last line runs on at the top of the next page, by geometry alone:
    the page's text runs down to the text area's foot (no room for another line), its last line to
    its column's edge, and the next page's text opens at the text area's top (no gap, float or
    heading above it). In justified type a line set to the edge is a paragraph's inner line (its
    last is set loose); in ragged type, the next page's first word would not have fit on the line,
    which a paragraph's last line seldom fills (but may: ragged type cannot tell for sure). The foot
    is the lowest body row of the document, so a page with notes under its text is never found
    full; the top, where most pages' text opens."""
    known = [e for e in edges if e is not None]
    tops = [e.first_top for e in known if e.first_top < math.inf]
    if len(known) < 2 or not tops:
        return []
    foot = max(e.last_bottom for e in known)
    top = statistics.median(tops)
    justified = statistics.median(e.flush_share for e in known) >= 0.5

    def to_the_edge(page: PageEdges, after: PageEdges) -> bool:
        return page.last_flush if justified else page.last_room < after.first_word

    return [k for k, (page, after) in enumerate(zip(edges, edges[1:]), 1)
            if page is not None and after is not None and foot - page.last_bottom < page.pitch
            and to_the_edge(page, after) and after.first_top <= top + 0.5 * after.pitch]


def page_text(width: float, height: float, words: list[Word], rules: list[float], body_size: float,
              heads: set[str] = frozenset()) -> PageText:
    """One page as text: its running heads, the columns in reading order, the notes (gathered after
    the body), its footers; rows as lines, paragraphs apart."""
    if not words:
        return PageText("", 0, 0)
    zones = page_zones(width, height, words, body_size, heads, rules)
    lines: list[str] = []
    lines.extend(_region_lines(zones.head, body_size, rules))
    head_to = len(lines)
    lines.append("")
    last_size: float | None = None  # of the body region before
    float_to = 0
    for k, region in enumerate(zones.body):
        region_lines = _region_lines(region, body_size, rules)
        if k == zones.lead_float > 0:
            float_to = len(lines)  # the text columns under a float do not run on from it
        elif region_lines and lines and lines[-1] == "" and len(lines) > 1 and _runs_on(lines[-2], region_lines[0]) \
                and (last_size is None or abs(region[0].size - last_size) < 0.8):
            lines.pop()  # a column that ends mid-sentence goes on at the top of the next (in the same type)
        lines.extend(region_lines)
        lines.append("")
        last_size = region[-1].size if region else last_size
    notes_from = len(lines)
    # notes hang their lines under the label: no indent opens a paragraph there (labels open notes)
    lines.extend(_region_lines([r for rows in zones.notes for r in rows], body_size, rules, indents=False))
    notes_to = len(lines)
    lines.append("")
    foot_from = len(lines)
    lines.extend(_region_lines(zones.foot, body_size, rules))
    joined = "\n".join(lines)
    text = joined.strip("\n")
    lead = len(joined) - len(joined.lstrip("\n"))

    def offset(line: int) -> int:  # where line ``line`` starts in the stripped text
        return min(len(text), max(0, sum(len(x) + 1 for x in lines[:line]) - lead))

    notes_start = offset(notes_from)
    return PageText(text, notes_start, offset(notes_to) if notes_to > notes_from else notes_start,
                    offset(float_to) if float_to else 0, page_edges(zones, body_size),
                    offset(head_to) if zones.head else 0, offset(foot_from) if zones.foot else None)


_SENTENCE_END = re.compile(r"[.!?。．:;」』）)”\"']$")


def _runs_on(last: str, first: str) -> bool:
    """Whether a column's last line goes on in the next column's first: it ends no sentence, and the
    next opens no paragraph (no indent, not a bullet or a heading number)."""
    return bool(last.strip()) and not _SENTENCE_END.search(last.strip()) and not first.startswith(" ") \
        and not re.match(r"^(?:•|\d+(?:\.\d+)*\.?\s|[A-Z]\.\s)", first)


def _region_lines(rows: list[Row], body_size: float, rules: list[float], indents: bool = True) -> list[str]:
    """A column's rows as lines, with a blank line before each new paragraph."""
    if not rows:
        return []
    # the column's left edge: where most rows start (a hanging quote or an outdented line is no edge)
    starts = Counter(round(r.x0) for r in rows)
    left = min(x for x, n in starts.items() if n == max(starts.values()))
    gaps = [b.top - a.bottom for a, b in zip(rows, rows[1:]) if abs(a.size - b.size) < 0.5]
    usual = statistics.median(gaps) if gaps else 0.0
    out: list[str] = []
    prev: Row | None = None
    prev_label = False
    indented_run = 0  # rows indented one after another: a list or a quotation set in
    for row in rows:
        text = row_text(row)
        if _RULE.match(text):
            out.append("")  # a footnote rule drawn in characters: the notes start below it
            prev = None
            continue
        is_indented = indents and row.x0 - left >= 0.8 * row.size
        label = is_indented and bool(_SECTION_LABEL.match(text.strip()))
        if prev is not None:
            gap = row.top - prev.bottom
            ruled = any(prev.bottom <= y <= row.top for y in rules)
            size_change = abs(row.size - prev.size) >= 0.8
            opens = is_indented and not indented_run  # an indented first line
            closes = not is_indented and indented_run >= 2  # back at the margin after a list
            if ruled or size_change or gap > max(usual * 1.8, usual + 0.45 * row.size) or opens or closes \
                    or label or prev_label:
                out.append("")
        # a section's label set in over its paragraph ("II", "A", "1") is a heading, not a list's line
        indented_run = 0 if label else indented_run + 1 if is_indented else 0
        out.append(("    " if is_indented else "") + text)
        prev, prev_label = row, label
    return out


def body_size_of(pages: list[list[Word]]) -> float:
    sizes: Counter[float] = Counter()
    for words in pages:
        for w in words:
            sizes[round(w.size, 1)] += len(w.text)
    return sizes.most_common(1)[0][0] if sizes else 10.0


_PAGE_NUMBER = re.compile(r"^(?:[-–—]?\s*\d{1,4}\s*[-–—]?|[ivxlc]{1,6}|page \d{1,4}(?: of \d{1,4})?|\d{1,4}\s*/\s*\d{1,4})$", re.I)


def _band_rows(words: list[Word], height: float) -> list[Row]:
    """The rows of a page's head and foot bands (``WIDE_BAND``), each cut where a gap of more than
    three ems parts it (a masthead printed beside a title, a folio far from its head)."""
    out: list[Row] = []
    for row in _rows(w for w in words if w.top < WIDE_BAND * height or w.bottom > (1 - WIDE_BAND) * height):
        part = [row.words[0]]
        for prev, w in zip(row.words, row.words[1:]):
            if w.x0 - prev.x1 > 3 * max(prev.size, w.size):
                out.append(Row(part))
                part = []
            part.append(w)
        out.append(Row(part))
    return out


def running_heads(pages: list[tuple[float, float, list[Word]]]) -> list[set[str]]:
    """Per page, the texts of its rows in the head or foot band that are running heads, footers or
    page numbers: printed at the same height, in the same font and size, with the same text (digits
    masked) on two pages at least, or a number alone in the band; and, in a page's band, a row of
    two words or more that is a part of another page's running head, in type no larger than it (the
    first page's masthead: "Federal Register" over "Vol. 85, No. 152"). The first page's head counts
    too (the cleaner's text model must spare a title there; a PDF shows the head is no title)."""
    keyed: list[list[tuple[tuple[str, str, float], float, str, float, bool]]] = []
    for width, height, words in pages:
        page_keys = []
        for row in _band_rows(words, height):
            text = row_text(row)
            key = (re.sub(r"\d+", "#", text.lower()).strip(), row.words[0].font, round(row.size))
            narrow = row.top < HEAD_BAND * height or row.bottom > (1 - HEAD_BAND) * height
            page_keys.append((key, row.top, text, row.size, narrow))
        keyed.append(page_keys)
    printed: dict[tuple[str, str, float], list[tuple[int, float]]] = {}  # key -> (page, top) of each row
    for k, page_keys in enumerate(keyed):
        for key, top, *_ in page_keys:
            printed.setdefault(key, []).append((k, top))
    heads: list[set[str]] = []
    repeated: list[list[tuple[str, float]]] = []  # per page: its running heads' texts and sizes
    for k, page_keys in enumerate(keyed):
        found, own = set(), []
        for key, top, text, size, narrow in page_keys:
            pages_again = len({j for j, other_top in printed[key] if j != k and abs(other_top - top) <= 6})
            again = pages_again >= (1 if narrow else 2)
            if again or narrow and _PAGE_NUMBER.match(text.strip()):
                found.add(text.strip())
            if again:
                own.append((f" {text.strip()} ", size))
        heads.append(found)
        repeated.append(own)
    for k, page_keys in enumerate(keyed):
        for _, _, text, size, narrow in page_keys:
            text = text.strip()
            if narrow and text not in heads[k] and len(text.split()) >= 2 and any(
                    f" {text} " in head and size <= head_size + 0.5
                    for j, others in enumerate(repeated) if j != k for head, head_size in others):
                heads[k].add(text)
    return heads


def pdfium_pages(path: Any) -> list[tuple[float, float, list[Word], list[float]]]:
    """Every page's size, words and short horizontal rules, through pypdfium2 (PDFium's C API):
    ten times faster than pdfplumber at giving each character's box, size and font, which is all
    the page model needs (``make bench --only pdfs`` measures both)."""
    import ctypes

    import pypdfium2
    import pypdfium2.raw as pdfium_c

    pages = []
    document = pypdfium2.PdfDocument(str(path))
    try:
        for page in document:
            width, height = page.get_size()
            text_page = page.get_textpage()
            words = _pdfium_words(text_page, height, pdfium_c, ctypes)
            rules = []
            for obj in page.get_objects(filter=[pdfium_c.FPDF_PAGEOBJ_PATH, pdfium_c.FPDF_PAGEOBJ_SHADING], max_depth=2):
                left, bottom, right, top = obj.get_bounds()
                if top - bottom < 2.5 and 0.1 * width < right - left < 0.6 * width:
                    rules.append(height - top)
            pages.append((float(width), float(height), words, sorted(rules)))
            text_page.close()
            page.close()
    finally:
        document.close()
    return pages


def _pdfium_words(text_page: Any, height: float, pdfium_c: Any, ctypes: Any) -> list[Word]:
    """Characters grouped into words: a space, a line break, a change of size or font, a gap or a
    step back (a logo's letters set out of order, XeTeX's) breaks a word; characters set at an
    angle (sideways text) are left out."""
    raw = text_page.raw
    matrix = pdfium_c.FS_MATRIX()
    font = ctypes.create_string_buffer(128)
    flags = ctypes.c_int()
    left, bottom, right, top = (ctypes.c_double() for _ in range(4))
    loose = pdfium_c.FS_RECTF()
    words: list[Word] = []
    chars: list[str] = []
    boxes: list[list[float]] = []  # each character's x0, x1, top, bottom
    gaps: list[float] = []  # the gap between each character's advance and the one before
    box: list[float] = []  # x0, x1, top, bottom of the word so far
    size = 0.0
    fontname = b""
    advance_end = 0.0  # where the last character's advance (its loose box) ended

    spaced = True  # a space came since the last word

    def flush() -> None:
        nonlocal spaced
        for k, part in enumerate(_pen_moved_parts(gaps, size) if chars else []):
            text = "".join(chars[part]).translate(_ZERO_WIDTH)
            if text:
                part_box = [min(b[0] for b in boxes[part]), max(b[1] for b in boxes[part]),
                            min(b[2] for b in boxes[part]), max(b[3] for b in boxes[part])]
                # after the first part, a space set by moving the pen
                words.append(_word(text, part_box, size, fontname.decode("latin-1"), len(words), spaced or k > 0))
                spaced = False
        chars.clear()
        boxes.clear()
        gaps.clear()

    for i in range(text_page.count_chars()):
        code = pdfium_c.FPDFText_GetUnicode(raw, i)
        ch = "-" if code == 2 else chr(code)  # PDFium reports a hyphen that ends a line as U+0002
        if ch.isspace() or code == 0:
            flush()
            spaced = True
            continue
        angle = pdfium_c.FPDFText_GetCharAngle(raw, i)  # radians, 0 to 2π
        if min(abs(angle), abs(angle - math.pi), abs(2 * math.pi - angle)) > 0.05:
            flush()  # set sideways (a margin label); a mirrored glyph (XeTeX's reversed E) is read in place
            spaced = True
            continue
        pdfium_c.FPDFText_GetMatrix(raw, i, ctypes.byref(matrix))
        char_size = pdfium_c.FPDFText_GetFontSize(raw, i) * abs(matrix.a * matrix.d - matrix.b * matrix.c) ** 0.5
        pdfium_c.FPDFText_GetFontInfo(raw, i, font, 128, ctypes.byref(flags))
        # the glyph's own width (a loose box spans the advance, closing the gaps between words),
        # the font's height (a glyph's own height varies with its shape: no baseline to compare)
        pdfium_c.FPDFText_GetLooseCharBox(raw, i, ctypes.byref(loose))
        pdfium_c.FPDFText_GetCharBox(raw, i, ctypes.byref(left), ctypes.byref(right), ctypes.byref(bottom),
                                     ctypes.byref(top))
        x0, x1, y_top, y_bottom = left.value, right.value, height - loose.top, height - loose.bottom
        if y_bottom - y_top > 1.4 * char_size:  # a math font's tall box (⟨, ≥) would bridge two lines
            y_top, y_bottom = height - top.value, height - bottom.value
        if chars and (abs(char_size - size) > 0.05 or font.value != fontname
                      or x0 < box[1] - 1.0 or x0 > box[1] + 0.3 * char_size or abs(y_bottom - box[3]) > 2.0):
            flush()  # (no space between: PDFium puts a space where the gap is one)
        if not chars:
            box = [x0, x1, y_top, y_bottom]
            size, fontname = char_size, font.value
        else:
            box = [min(box[0], x0), max(box[1], x1), min(box[2], y_top), max(box[3], y_bottom)]
        gaps.append(loose.left - advance_end if chars else 0.0)
        advance_end = loose.right
        chars.append(ch)
        boxes.append([x0, x1, y_top, y_bottom])
    flush()
    return words


def _pen_moved_parts(gaps: list[float], size: float) -> list[slice]:
    """A run of characters cut where the pen moved on between two of them: a space set without a
    space character (a justified line's "developments in"). A glyph's loose box spans its advance,
    so inside a word the boxes abut; letter-spaced type widens every gap alike, so a cut needs a
    gap well above the run's usual one."""
    inner = sorted(gaps[1:])
    usual = inner[len(inner) // 2] if inner else 0.0
    cuts = [k for k in range(1, len(gaps)) if gaps[k] > max(0.15 * size, 2.5 * usual + 0.05 * size)]
    return [slice(a, b) for a, b in zip([0, *cuts], [*cuts, len(gaps)])]


def _word(text: str, box: list[float], size: float, font: str, seq: int, after_space: bool) -> Word:
    if len(text) == 1 and (text in _BULLET_CODES and _SYMBOL_FONT.search(font) or "\ue000" <= text <= "\uf8ff"):
        text = "•"  # a bullet drawn in a symbol font ("!" in WP TypographicSymbols, U+F0B7 in Symbol)
    return Word(text, box[0], box[1], box[2], box[3], size, font, seq, after_space)
