"""The page model of text input: pages, what is printed at their edges, and where the notes are.

Text extracted from a PDF keeps what the PDF printed around its pages: running heads, footers and
page numbers, and each page's notes at its foot. Pages are known where the extractor separated
them with form feeds (pdftotext), and inferred from page-number lines otherwise. On each page,
lines at the top or the foot that are page numbers, or that repeat at the same edge of another page
(digits masked), are heads and footers; the blocks at the foot that open with a note label are the
page's notes (a block before them that opens with no label continues the previous page's last
note). A "Notes"/"注" heading opens a section of notes (endnotes). Each finding is a block role,
which the cleaner then acts on.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import replace

from ..ingest import Block, RawDocument
from .layout import ends_sentence, layout_match, starts_lower, word_count
from .markers import FOOTNOTE_START, note_label

HEAD_LINES = 3  # lines at a page's top that may be a running head
FOOT_LINES = 4  # lines at its foot that may be a footer or page number
NOTES_HEADING = re.compile(r"^(?:notes|endnotes|end notes|notes and references|注|注記|脚注|【注】|〔注〕|［注］|\[注\])$",
                           re.IGNORECASE)


def _norm(text: str) -> str:
    return re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()


def _key(text: str) -> str:
    """A line as heads repeat it: page numbers and other digits masked."""
    return re.sub(r"\d+", "#", _norm(text)).lower()


def is_page_number(text: str) -> bool:
    return bool(layout_match("page_number", _norm(text)))


def layout_pages(raw: RawDocument, blocks: list[Block]) -> list[Block]:
    """``blocks`` of a document's text (a PDF's laid out by ``ingest/pdf_layout.py``) with pages and
    roles: ``header`` (running heads, footers, page numbers: split off into blocks of their own),
    ``footnote`` (notes at a page's foot), ``notes_heading`` and ``endnote`` (the notes after it)."""
    paged = _with_pages(raw, blocks)
    if paged is not None:
        blocks = _mark_page_edges(raw, paged)
        blocks = _join_lone_labels(raw, blocks)
        blocks = _mark_page_notes(raw, blocks)
    return _mark_note_sections(raw, blocks)


def _line(raw: RawDocument, span: tuple[int, int]) -> str:
    return raw.text[span[0]:span[1]]


def _with_pages(raw: RawDocument, blocks: list[Block]) -> list[Block] | None:
    """The blocks with their pages: from form feeds, else closed by page-number lines (two at
    least, each ending its block); None if the pages cannot be told."""
    if raw.page_count:
        return blocks
    # a page number closes its page, alone or under the footer ("© 2024 ...", then "2/4")
    numbers = [k for k, b in enumerate(blocks) if is_page_number(_line(raw, b.lines[-1]))]
    if len(numbers) < 2:
        return None
    out, page = [], 1
    for k, b in enumerate(blocks):
        out.append(replace(b, page=page))
        if k in numbers:
            page += 1
    return out


def _pages(blocks: list[Block]) -> dict[int, list[int]]:
    pages: dict[int, list[int]] = {}
    for k, b in enumerate(blocks):
        pages.setdefault(b.page or 0, []).append(k)
    return pages


def _mark_page_edges(raw: RawDocument, blocks: list[Block]) -> list[Block]:
    """Running heads, footers and page numbers at the pages' edges split off as ``header`` blocks."""
    pages = _pages(blocks)
    lines = {p: [(k, span) for k in idx for span in blocks[k].lines] for p, idx in pages.items()}
    top: Counter[str] = Counter()
    foot: Counter[str] = Counter()
    for page_lines in lines.values():
        top.update({_key(_line(raw, span)) for _, span in page_lines[:HEAD_LINES]})
        foot.update({_key(_line(raw, span)) for _, span in page_lines[-FOOT_LINES:]})
    first_page = min(lines)
    edge: set[tuple[int, int]] = set()  # (block, line start) of every head, footer and page number

    def short(text: str) -> bool:
        return word_count(text) <= 15

    for page, page_lines in lines.items():
        for k, span in page_lines[:HEAD_LINES]:  # from the top down, while each line is a head
            text = _line(raw, span)
            if is_page_number(text) or page != first_page and short(text) and top[_key(text)] >= 2:
                edge.add((k, span[0]))
            else:
                break
        for k, span in reversed(page_lines[-FOOT_LINES:]):  # from the foot up
            text = _line(raw, span)
            if (k, span[0]) in edge:
                break
            if is_page_number(text) or short(text) and (foot[_key(text)] >= 2 or layout_match("page_footer", _norm(text))):
                edge.add((k, span[0]))
            else:
                break
    for idx in pages.values():  # publisher matter set as a block at the foot ("Permission to make digital ...")
        rest = [(k, span) for k in idx for span in blocks[k].lines if (k, span[0]) not in edge]
        if rest and len(idx) > 1:
            last = rest[-1][0]
            own = [span for k, span in rest if k == last]
            if len(own) <= 10 and layout_match("page_footer", _norm(_line(raw, own[0]))):
                edge.update((last, span[0]) for span in own)
    if not edge:
        return blocks
    out: list[Block] = []
    for k, b in enumerate(blocks):
        run: list[tuple[int, int]] = []
        run_edge = None
        for span in b.lines:
            is_edge = (k, span[0]) in edge
            if run and is_edge != run_edge:
                out.append(replace(b, lines=run, role="header" if run_edge else b.role))
                run = []
            run.append(span)
            run_edge = is_edge
        if run:
            out.append(replace(b, lines=run, role="header" if run_edge else b.role))
    return out


LONE_LABEL = re.compile(r"^(?:\d{1,3}|[⁰¹²³⁴⁵⁶⁷⁸⁹]{1,3}|[*∗†‡§])$")  # pdftotext prints a note's label on a line of its own


def _labels(raw: RawDocument, block: Block) -> list[tuple[int, str, str]]:
    """(line index, family, value) of every line of ``block`` that opens with a note label (or is
    one, before the note's first line)."""
    found = []
    for i, span in enumerate(block.lines):
        text = _line(raw, span)
        m = FOOTNOTE_START.match(text)
        if m:
            family, _, value = note_label(m)
            found.append((i, family, value))
        elif LONE_LABEL.match(text) and i + 1 < len(block.lines):
            m = FOOTNOTE_START.match(text + " x")
            if m:
                family, _, value = note_label(m)
                found.append((i, family, value))
    return found


def _join_lone_labels(raw: RawDocument, blocks: list[Block]) -> list[Block]:
    """A note label printed on a line of its own, at the end of a block ("1", then a blank line,
    then the note), joined to the block that follows it: the label opens that note. Read from each
    page's foot upwards, where its notes are, and only while every block below is such a note (the
    affiliation numbers of a title block stay where they are); in a PDF, among the notes the page
    geometry found only (a section's "2" over the page's last paragraph is no note's label)."""
    joined: dict[int, tuple[int, ...]] = {}  # block index -> the block indexes it becomes
    pages = _pages(blocks)
    for idx in pages.values():
        body = [k for k in idx if blocks[k].role != "header"
                and (raw.format != "pdf" or blocks[k].role == "note_zone")]
        pos = len(body) - 1
        while pos >= 1:
            before, k = body[pos - 1], body[pos]
            if not (LONE_LABEL.match(_line(raw, blocks[before].lines[-1])) and not _labels(raw, blocks[k])):
                break
            joined[before] = joined[k] = ()
            joined[k] = (before, k)
            pos -= 2 if len(blocks[before].lines) == 1 else 1
    if not joined:
        return blocks
    out: list[Block] = []
    for k, b in enumerate(blocks):
        if k not in joined:
            out.append(b)
        elif joined[k]:  # the note: its label line, then its text
            label_block = blocks[joined[k][0]]
            if len(label_block.lines) > 1:
                out.append(replace(label_block, lines=label_block.lines[:-1]))
            out.append(replace(b, lines=[label_block.lines[-1], *b.lines]))
    return out


def _width(text: str) -> int:
    """Printed width: a wide (CJK) character takes two columns."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _runs_on(raw: RawDocument, notes: list[Block], after: Block) -> bool:
    """Whether the last of ``notes`` goes on in ``after`` (over a page break): its last line ends no
    sentence, and fills the width of the notes' lines as a line cut by the page's end does, or
    ``after`` opens in lower case."""
    lines = [_line(raw, span) for b in notes for span in b.lines]
    last = lines[-1]
    return not ends_sentence(last) and (_width(last) >= 0.8 * max(map(_width, lines))
                                        or starts_lower(_line(raw, after.lines[0])))


def _glued_number(text: str, value: str) -> bool:
    """Whether ``value`` is printed in ``text`` as a marker (a number glued to a word or a stop,
    as pdftotext prints a superscript), or as a superscript."""
    sup = value.translate(str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹"))
    return sup in text or bool(re.search(rf"(?<=[a-z.,;:!?\"”’)\]]){value}(?=\s|$)", text))


def _contents_lines(raw: RawDocument, block: Block) -> bool:
    """Whether a block is a table of contents: most of its lines end in a page number."""
    lines = [_line(raw, span) for span in block.lines]
    ends = sum(1 for line in lines if re.search(r"(?:\s|\.\s?)\d{1,3}$", line.strip()))
    return len(lines) >= 1 and ends >= max(1, 0.6 * len(lines)) and not ends_sentence(lines[-1])


def _glued_paren(text: str, value: str) -> bool:
    """Whether a "(1)" note has its marker in the body: glued to a word ("…である（1）"), not an
    enumeration ("(1) Installing", "paragraph (h)(1)")."""
    return bool(re.search(rf"(?<=[^\s()（）\[\]])[（(]{value}[)）]", text))


def _mark_page_notes(raw: RawDocument, blocks: list[Block]) -> list[Block]:
    """The notes at each page's foot marked ``footnote``: the trailing blocks that open with a note
    label, and before them one that continues the previous page's last note."""
    pages = _pages(blocks)
    roles: dict[int, str] = {}
    splits: dict[int, int] = {}  # block -> line at which its own notes start (a continuation before)
    previous: list[Block] = []  # the previous page's notes
    for page in sorted(pages):
        idx = [k for k in pages[page] if blocks[k].role != "header"]
        body_text = " ".join(_line(raw, s) for k in idx for s in blocks[k].lines)
        # a symbol that opens two lines of one page is a list's bullet there: each note of a page
        # has a symbol of its own (*, †, ‡)
        page_labels = {k: _labels(raw, blocks[k]) for k in idx}
        symbols = Counter(value for k in idx for _, family, value in page_labels[k] if family == "sym")
        zone: list[int] = []
        for k in reversed(idx):
            labels = [lb for lb in page_labels[k] if lb[1] != "sym" or symbols[lb[2]] < 2]
            # "5 and 40 percent …" inside a note labelled ³: a line opening with a plain number
            # under another label form is the note's text going on
            labels = [lb for lb in labels if lb[1] != "num" or labels[0][1] == "num"]
            if _contents_lines(raw, blocks[k]):
                labels = []  # "1 はじめに 2", "5.1 バージョン番号 . . . 12": a table of contents
            numbered_ok = all(family != "num" or _glued_number(body_text, value) for _, family, value in labels) \
                and all(family != "paren" or _glued_paren(body_text, value) for _, family, value in labels)
            if labels and labels[0][0] == 0 and numbered_ok:
                zone.insert(0, k)
                continue
            # an unlabelled block alone at the foot goes on with the note before only where the
            # PDF's geometry put it among the notes: in text, it may as well be the body's
            if previous and (not labels or labels[0][0] > 0 and numbered_ok) \
                    and (zone or labels or blocks[k].role == "note_zone") and _runs_on(raw, previous, blocks[k]):
                zone.insert(0, k)  # the continuation of the previous page's note, then this page's notes
                if labels:
                    splits[k] = labels[0][0]
            break
        if _continues_a_list(raw, blocks, idx, zone, page_labels):
            zone = []
        for k in zone:
            roles[k] = "footnote"
        previous = [blocks[k] for k in zone]
    if not roles:
        return blocks
    out: list[Block] = []
    for k, b in enumerate(blocks):
        if k in splits:
            out.append(replace(b, lines=b.lines[:splits[k]], role="footnote"))
            out.append(replace(b, lines=b.lines[splits[k]:], role="footnote"))
        else:
            out.append(replace(b, role=roles.get(k, b.role)))
    return out


def _continues_a_list(raw: RawDocument, blocks: list[Block], idx: list[int], zone: list[int],
                      labels_of: dict[int, list[tuple[int, str, str]]]) -> bool:
    """Whether the page-foot blocks ``zone`` are a list's entries rather than notes: below a References
    heading on the page, or going on with a list the page's body numbers the same way ("[9] …" in
    the body, then "[10] …" at the foot: a bibliography's last entry). ``labels_of``: each block's
    labels (``_labels``)."""
    first = labels_of[zone[0]] if zone else []
    if not first or first[0][0] != 0:
        return False
    above_zone = idx[:idx.index(zone[0])]
    if any(layout_match("references", _norm(_line(raw, blocks[k].lines[0]))) for k in above_zone):
        return True  # under the page's References heading
    if not first[0][2].isdigit():
        return False
    above = next((labels_of[k] for k in reversed(above_zone) if labels_of[k] and labels_of[k][0][0] == 0), None)
    return bool(above) and above[-1][1] == first[0][1] and above[-1][2].isdigit() \
        and int(above[-1][2]) + 1 == int(first[0][2])


def _mark_note_sections(raw: RawDocument, blocks: list[Block]) -> list[Block]:
    """A notes heading ("Notes", "Endnotes", "注", "脚注", "【注】") and the notes after it: every
    following block that opens with a note label, or continues the note before it."""
    out = list(blocks)
    k = 0
    while k < len(out):
        b = out[k]
        if not (b.role not in ("footnote", "endnote") and NOTES_HEADING.match(_norm(_line(raw, b.lines[0])))
                and (len(b.lines) == 1 or _labels(raw, replace(b, lines=b.lines[1:2])))):
            k += 1
            continue
        out[k:k + 1] = [replace(b, lines=b.lines[:1], role="notes_heading")] + \
            ([replace(b, lines=b.lines[1:])] if len(b.lines) > 1 else [])  # "脚注" printed above its notes
        k += 1
        section: list[Block] = []  # its notes so far
        while k < len(out):
            b = out[k]
            if b.role == "header":
                k += 1
                continue
            labels = _labels(raw, b)
            continues = bool(section) and _runs_on(raw, section, b)
            if labels and labels[0][0] == 0 or not labels and continues:
                out[k] = replace(b, role="endnote")
                section.append(out[k])
                k += 1
                continue
            if labels and continues:  # the rest of the note before (across a page break), then notes
                cut = labels[0][0]
                out[k:k + 1] = [replace(b, lines=b.lines[:cut], role="endnote"),
                                replace(b, lines=b.lines[cut:], role="endnote")]
                section += out[k:k + 2]
                k += 2
                continue
            break
    return out
