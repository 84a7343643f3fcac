"""Stage 1, clean: raw PDF text -> continuous body text + footnotes linked to body positions.

The raw document is a list of blocks (paragraphs). Each block is classified (front matter,
abstract, running header, page number, footnote, body, back matter); body blocks are cleaned
with character provenance kept (see ``tracked.py``), footnote markers are lifted out of the body
as anchors, and blocks that a page break or footnote block cut in two are joined again.
Footnotes are linked to body markers by position: a footnote block belongs to the body text
printed since the previous footnote block, which is what makes per-page numbering (¹ on every
page) unambiguous.
"""
from __future__ import annotations

import functools
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import ftfy
import ftfy.badness

from . import patterns
from .source import Block, RawDocument
from .scripts import CJK_CHARS
from .tracked import Anchor, Tracked, offset_runs

CLEAN_VERSION = 1

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_VALUE = {c: str(i) for i, c in enumerate(SUPERSCRIPT_DIGITS)}
SYMBOL_MARKERS = "*†‡§"

_CJK = re.compile(f"[{CJK_CHARS}]")
TERMINAL_PUNCT = ".!?。！？:;…"
CLOSERS = "\"'”’)]}」』）】〉》"


def is_cjk(ch: str) -> bool:
    return bool(ch) and bool(_CJK.match(ch))


# ---------------------------------------------------------------------------------------------
# Layout cues (data file)


@functools.lru_cache(maxsize=None)
def layout_patterns() -> dict[str, list[re.Pattern[str]]]:
    table: dict[str, list[re.Pattern[str]]] = {}
    for _, (kind, pattern, *_) in patterns.rows("layout.tsv", 2):
        table.setdefault(kind, []).append(re.compile(pattern, re.IGNORECASE))
    return table


def _matches(kind: str, text: str) -> re.Match[str] | None:
    for pattern in layout_patterns()[kind]:
        m = pattern.search(text)
        if m:
            return m
    return None


# ---------------------------------------------------------------------------------------------
# Character-level cleaning


def _hyphen_join_keeps_hyphen(left: str, right: str) -> bool:
    """Whether ``left-`` + ``right`` at a line end is a real hyphenated compound (US-China)."""
    if not left or not right or not left[-1].isalpha() or not right[0].isalpha():
        return True
    if right[0].isupper():
        return True
    from wordfreq import zipf_frequency

    joined = zipf_frequency((left + right).lower(), "en")
    hyphenated = zipf_frequency(f"{left}-{right}".lower(), "en")
    if joined == 0:
        # Neither form is known: a fragment that is no word of its own ("dehyph-" "enation")
        # was split by the line break; two real words ("cost-effective") form a compound.
        return zipf_frequency(left.lower(), "en") > 0 and zipf_frequency(right.lower(), "en") > 0
    return joined < hyphenated


_LAST_WORD = re.compile(r"(\w+)-$")
_FIRST_WORD = re.compile(r"^(\w+)")


def join_lines(parts: list[Tracked]) -> Tracked:
    """Join the lines of one paragraph: dehyphenate, no space inside Japanese text."""
    out = parts[0]
    for nxt in parts[1:]:
        if not nxt.text:
            continue
        if not out.text:
            out = nxt
            continue
        prev_text = out.text
        if prev_text.endswith("\u00ad"):
            out = out.rebuild([(0, len(prev_text) - 1)]) + nxt
            continue
        m = _LAST_WORD.search(prev_text)
        if m:
            first = _FIRST_WORD.match(nxt.text)
            if first and not _hyphen_join_keeps_hyphen(m.group(1), first.group(1)):
                out = out.rebuild([(0, len(prev_text) - 1)]) + nxt
            else:
                out = out + nxt
            continue
        if is_cjk(prev_text[-1]) and is_cjk(nxt.text[0]):
            out = out + nxt
        else:
            out = out + Tracked.literal(" ", nxt.offsets[0]) + nxt
    return out


_BOLD = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_ITALIC = re.compile(r"(?<![\w*\\])\*(?=[^\s*])(.+?)(?<=[^\s*\\])\*(?![\w*])")
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^)\s]*)\)")
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!$%&~|<>])")
_SPACES = re.compile(r"[ \t]{2,}")


def strip_markup(t: Tracked, links: list[dict[str, Any]] | None = None) -> Tracked:
    """Remove converter markup: **bold**, *italic* (kept as emphasis anchors), [text](url), \\$."""

    def keep_group(m: re.Match[str]) -> list[tuple[int, int]]:
        return [m.span(1)]

    def note_link(m: re.Match[str], _pos: int) -> None:
        if links is not None and m.group(2) not in ("", "#"):
            links.append({"text": m.group(1), "url": m.group(2)})

    # each substitution only where its markup's characters occur: most blocks hold none
    if "](" in t.text:
        t = t.sub(_LINK, keep_group, on_match=note_link)
    if "**" in t.text:
        t = t.sub(_BOLD, keep_group)
    emphasis: list[tuple[int, int]] = []
    if "*" in t.text:  # the regex's lookbehinds cost a step at every character; most text has no *
        t = t.sub(_ITALIC, keep_group, on_match=lambda m, pos: emphasis.append((pos, pos + len(m.group(1)))))
    for n, (s, e) in enumerate(emphasis):
        t.anchors.append(Anchor(s, {"kind": "em_start", "n": n}))
        t.anchors.append(Anchor(e, {"kind": "em_end", "n": n}))
    if "\\" in t.text:
        t = t.sub(_ESCAPE, keep_group)
    return t


def _normalise_char(ch: str) -> str | None:
    """Unicode clean-up per character; None keeps it. Superscripts and curly quotes never change."""
    o = ord(ch)
    if ch in "\u00ad\u200b\u200c\u200d\u2060\ufeff":
        return ""
    if ch in "\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000\t":
        return " "
    if o < 32 and ch != "\n":
        return ""
    if 0xFF01 <= o <= 0xFF5E or 0x2F00 <= o <= 0x2FDF or 0x2E80 <= o <= 0x2EFF or 0xFB00 <= o <= 0xFB06:
        norm = unicodedata.normalize("NFKC", ch)
        return norm if norm != ch else None
    if unicodedata.category(ch) == "Cc" and ch != "\n":
        return ""
    return None


_HALFWIDTH_KANA = re.compile("[\uff61-\uff9f]+")
# Every character _normalise_char may change (kept in step with it).
_MAY_NORMALISE = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u00a0\u00ad\u2000-\u200d\u202f\u205f\u2060"
                            "\u2e80-\u2fdf\u3000\ufb00-\ufb06\ufeff\uff01-\uff5e]")


def normalise(t: Tracked) -> Tracked:
    """Fix mojibake (ftfy), full-width ASCII, Kangxi radicals, ligatures, odd spaces."""
    if not t.text.isascii() and ftfy.badness.is_bad(t.text):
        fixed = ftfy.fix_encoding(t.text)
        if fixed != t.text:
            # The fixed text no longer aligns character by character; anchor it at the start.
            lit = Tracked.literal(fixed, t.offsets[0] if t.offsets else t.raw_end)
            lit.anchors = [Anchor(min(a.pos, len(fixed)), a.data) for a in t.anchors]
            t = lit
    if _MAY_NORMALISE.search(t.text):  # most paragraphs need nothing: skip the per-char pass
        t = t.map_chars(_normalise_char)
    if not t.text.isascii():
        t = t.sub(_HALFWIDTH_KANA, lambda m: [unicodedata.normalize("NFKC", m.group())])
    if "  " in t.text or "\t" in t.text:
        t = t.sub(_SPACES, lambda m: [" "])
    return t.strip()


# ---------------------------------------------------------------------------------------------
# Footnote markers

_BODY_MARKER = re.compile(
    rf"(?P<space>[ ]?)(?<![{SUPERSCRIPT_DIGITS}])(?P<sup>[{SUPERSCRIPT_DIGITS}]{{1,3}})(?![{SUPERSCRIPT_DIGITS}])"
    rf"|(?<=[\w.,;:!?\"'”’)\]])(?P<sym>[{re.escape(SYMBOL_MARKERS)}])(?=$|[\s.,;:)\"'”’])"
)
_MARKER_CHAR = re.compile(rf"[{SUPERSCRIPT_DIGITS}{re.escape(SYMBOL_MARKERS)}]")  # in every marker
_UNIT_BEFORE_SUP = re.compile(r"(?:\b(?:k|c|m|d)?m|\bft|\bin)$")  # m², km³: exponents, not markers
_FOOTNOTE_START = re.compile(
    rf"^(?:(?P<sup>[{SUPERSCRIPT_DIGITS}]{{1,3}})(?![{SUPERSCRIPT_DIGITS}])\s*|(?P<num>\d{{1,3}})[.)]?\s+"
    rf"|(?P<sym>[{re.escape(SYMBOL_MARKERS)}])\s*)(?=\S)"
)


def marker_value(marker: str) -> str:
    return "".join(_SUP_VALUE.get(c, c) for c in marker)


def extract_markers(t: Tracked, next_id: list[int]) -> Tracked:
    """Lift footnote markers out of body text, leaving ``marker`` anchors where they stood."""
    found: list[tuple[int, dict[str, Any]]] = []

    def exponent(m: re.Match[str]) -> bool:
        return bool(m.group("sup")) and bool(_UNIT_BEFORE_SUP.search(t.text[: m.start("sup")]))

    def repl(m: re.Match[str]) -> list[Any]:
        if exponent(m):
            return [m.span()]
        after = t.text[m.end():m.end() + 1]
        if m.group("space") and after and not after.isspace():
            return [m.span("space")]  # "word ¹text": keep the space, drop the marker
        return []

    def note(m: re.Match[str], pos: int) -> None:
        marker = m.group("sup") or m.group("sym")
        if exponent(m):
            return
        next_id[0] += 1
        data = {"kind": "marker", "id": f"m{next_id[0]}", "marker": marker,
                "value": marker_value(marker), "raw": t.offsets[m.start(m.lastgroup or 0)]}
        found.append((pos, data))

    if not _MARKER_CHAR.search(t.text):  # the common case, found without the regex's step per character
        return t
    out = t.sub(_BODY_MARKER, repl, on_match=note)
    out.anchors.extend(Anchor(pos, data) for pos, data in found)
    return out


# ---------------------------------------------------------------------------------------------
# Block classification


@dataclass
class Footnote:
    marker: str
    value: str
    body: Tracked
    page: int | None
    raw_start: int
    raw_end: int
    marker_id: str | None = None
    anchor: int | None = None


@dataclass
class BodyBlock:
    text: Tracked
    label: str  # title | byline | body
    page: int | None
    after_break: bool  # a header, page number or footnote block was removed just before it
    raw_start: int
    raw_end: int
    kind: str = "paragraph"


@dataclass
class CleanState:
    raw: RawDocument
    marker_counter: list[int] = field(default_factory=lambda: [0])
    links: list[dict[str, Any]] = field(default_factory=list)


def _split_list_items(raw: RawDocument) -> list[Block]:
    """A line that opens with a bullet starts its own block: list items are paragraphs."""
    out: list[Block] = []
    for block in raw.blocks:
        current: list[tuple[int, int]] = []
        for span in block.lines:
            if current and _LIST_BULLET.match(raw.text[span[0]:span[1]]):
                out.append(Block(current, block.page, block.role))
                current = []
            current.append(span)
        out.append(Block(current, block.page, block.role))
    return out


def _block_lines(raw: RawDocument, block: Block) -> list[Tracked]:
    return [Tracked.from_raw(raw.text, s, e) for s, e in block.lines]


def _plain(raw: RawDocument, block: Block) -> str:
    return " ".join(raw.text[s:e] for s, e in block.lines).strip()


def _word_count(text: str) -> int:
    words = len(text.split())
    return words if text.isascii() else words + len(_CJK.findall(text)) // 2


_MARKUP_CHARS = re.compile(r"[*_#\\]")
_DIGITS = re.compile(r"\d+")
_WHITESPACE = re.compile(r"\s+")


def _strip_for_compare(text: str) -> str:
    return _DIGITS.sub("#", _WHITESPACE.sub(" ", _MARKUP_CHARS.sub("", text))).strip().lower()


def _running_headers(texts: list[str]) -> set[str]:
    """Short blocks repeated three times or more: running headers and footers.

    Digits are ignored (page numbers in a header), but then the header must have words of its
    own: "Header 1.1", "Header 1.2", "Header 2.1" are numbered section headings.
    """
    counts = Counter(_strip_for_compare(t) for t in texts if _word_count(t) <= 15)
    return {t for t, n in counts.items()
            if n >= 3 and t and len(re.sub(r"[#.\s]+", " ", t).split()) >= 2}


def _ends_sentence(text: str) -> bool:
    text = text.rstrip()
    while text and text[-1] in CLOSERS:
        text = text[:-1]
    return bool(text) and text[-1] in TERMINAL_PUNCT


_LIST_BULLET = re.compile(r"^(?:[-–•·▪◦‣⁃]|\*(?=\s))\s+")


def _clean_block_text(state: CleanState, block: Block, lines: list[Tracked] | None = None) -> Tracked:
    t = join_lines(lines if lines is not None else _block_lines(state.raw, block))
    t = strip_markup(t, state.links)
    return t


def clean_document(raw: RawDocument, doc_id: str) -> dict[str, Any]:
    """Clean one raw document into the ``clean.json`` record: body text, paragraphs, footnotes,
    unlinked markers, removed headers, extracted metadata and the clean->raw offset runs."""
    state = CleanState(raw)
    blocks = _split_list_items(raw)
    texts = [_plain(raw, b) for b in blocks]
    n = len(blocks)

    # --- document structure: abstract, keywords, title group, back matter ---------------------
    labels: list[str | None] = [None] * n
    abstract_parts: list[str] = []
    keyword_parts: list[str] = []
    structure_end = -1
    first_struct = None
    i = 0
    search_limit = max(10, n // 2)
    while i < min(n, search_limit):
        for kind, parts in (("abstract", abstract_parts), ("keywords", keyword_parts)):
            m = _matches(kind, texts[i])
            if m and not parts and blocks[i].role not in ("footnote",):
                rest = texts[i][m.end():].strip()
                first_struct = i if first_struct is None else first_struct
                if rest:
                    labels[i] = kind
                    parts.append(rest)
                    structure_end = i
                elif i + 1 < n:
                    labels[i] = "section_label"
                    labels[i + 1] = kind
                    parts.append(texts[i + 1])
                    structure_end = i + 1
                    i += 1
                break
        i += 1
    body_start = structure_end + 1 if structure_end >= 0 else 0

    back_start = n
    for j in range(body_start, n):
        if _matches("back", texts[j]) and _word_count(texts[j]) <= 6:
            back_start = j
            break

    # A PDF's layout already marked its running headers; text repetition is for .txt input.
    # Counted over the body only: a title repeated on the cover pages is no running header.
    headers = _running_headers(texts[body_start:back_start]) if raw.format == "txt" else set()
    title_group: list[int] = []
    first_body = next((j for j in range(body_start, back_start) if labels[j] is None), None)
    following = next((j for j in range((first_body or 0) + 1, back_start) if labels[j] is None
                      and blocks[j].role not in ("header", "footer", "footnote")
                      and not _matches("page_number", texts[j]) and not _FOOTNOTE_START.match(texts[j])), None)
    first_is_heading = (
        first_body is not None and _word_count(texts[first_body]) <= 25 and not _ends_sentence(texts[first_body])
        and not _LIST_BULLET.match(texts[first_body])
        and not (following is not None and _starts_lower(texts[following]))
    )
    if first_struct is not None and first_struct > 0 and not first_is_heading:
        # Title and byline printed above the abstract: they open the body.
        j = first_struct - 1
        while j >= 0 and len(title_group) < 2:
            t = texts[j]
            if _matches("boilerplate", t) or _word_count(t) > 20 or _ends_sentence(t.rstrip("*†‡")):
                break
            title_group.insert(0, j)
            j -= 1

    front = [j for j in range(0, first_struct if first_struct is not None else body_start)
             if j not in title_group]
    if first_struct is None and body_start == 0:
        # No abstract: only blocks that are plainly publisher boilerplate are front matter.
        front = []
        for j in range(n):
            if _matches("front_matter", texts[j]) and _word_count(texts[j]) < 60 and j < 5:
                front.append(j)
            else:
                break
        body_start = len(front)
    for j in front:
        labels[j] = "front"
    for j in range(back_start, n):
        labels[j] = "back"

    # --- forward pass over the body: headers, footnotes, body blocks -------------------------
    body_blocks: list[BodyBlock] = []
    footnotes: list[Footnote] = []
    removed: list[dict[str, Any]] = []
    regions: list[list[dict[str, Any]]] = [[]]  # body markers between footnote blocks
    in_footnotes = False
    after_break = False
    last_number = 0
    seen_header_text: set[str] = set()

    # The abstract stays in the body (its own paragraph kind): it is argument, and footnote
    # markers in it must keep their anchors. Its label and the keywords go to metadata.
    order = title_group + [j for j in range(first_struct if first_struct is not None else body_start, back_start)
                           if labels[j] in (None, "abstract", "section_label") and j not in title_group]
    for idx, j in enumerate(order):
        block = blocks[j]
        text = texts[j]
        key = _strip_for_compare(text) if headers else ""  # only ever looked up in headers
        is_title = j in title_group
        if labels[j] == "section_label":
            removed.append({"kind": "section_label", "text": text, "raw_start": block.start, "raw_end": block.end,
                            "page": block.page})
            continue
        if not is_title and (block.role in ("header", "footer") or _matches("page_number", text)
                             or (key in headers and (key in seen_header_text or idx > 0))):
            removed.append({"kind": "page_number" if _matches("page_number", text) else "running_header",
                            "text": text, "raw_start": block.start, "raw_end": block.end, "page": block.page})
            seen_header_text.add(key)
            after_break = True
            continue
        if is_title:
            seen_header_text.add(key)

        pending = [m for region in regions[-2:] for m in region if not m["linked"]]
        new_notes = None if is_title or labels[j] == "abstract" else _parse_footnote_block(state, block, last_number, pending, in_footnotes)
        if new_notes is None and block.role == "footnote" and footnotes:
            # A footnote continued from the previous page: no marker of its own.
            prev = footnotes[-1]
            prev.body = join_lines([prev.body, strip_markup(join_lines(_block_lines(raw, block)), state.links)])
            prev.raw_end = block.end
            after_break = True
            continue
        if new_notes:
            if not in_footnotes:
                regions.append([])
                in_footnotes = True
            for note in new_notes:
                _link_footnote(note, regions)
                if note.value.isdigit():
                    last_number = int(note.value)
                footnotes.append(note)
            after_break = True
            continue

        in_footnotes = False
        t = _clean_block_text(state, block)
        t = extract_markers(t, state.marker_counter)
        label = "body"
        if is_title:
            label = "title" if j == title_group[0] else "byline"
        elif j == first_body and not title_group and first_is_heading:
            label = "title"
        elif labels[j] == "abstract":
            label = "abstract"
            m = _matches("abstract", t.text)
            if m and m.start() == 0:
                t = t.rebuild([(m.end(), len(t.text))])  # "Abstract: Japan's ..." -> "Japan's ..."
        regions[-1].extend({"id": a.data["id"], "value": a.data["value"], "linked": False}
                           for a in t.anchors if a.data.get("kind") == "marker")
        body_blocks.append(BodyBlock(t, label, block.page, after_break, block.start, block.end))
        after_break = False

    # --- join blocks cut by page breaks, normalise, assemble ---------------------------------
    paragraphs = _join_broken_blocks(body_blocks)
    body_parts: list[Tracked] = []
    body_len = 0
    para_records = []
    for p in paragraphs:
        t = normalise(p.text)
        kind = p.kind
        bullet = _LIST_BULLET.match(t.text)
        if bullet:
            t = t.rebuild([(bullet.end(), len(t.text))])
            kind = "list_item"
        if not t.text:
            continue
        if body_parts:
            body_parts.append(Tracked.literal("\n\n", t.offsets[0]))
            body_len += 2
        start = body_len
        body_parts.append(t)
        body_len += len(t.text)
        if kind == "paragraph":
            if p.label in ("title", "byline", "abstract"):
                kind = p.label
            elif _word_count(t.text) <= 15 and not _ends_sentence(t.text):
                kind = "heading"
        raw_start, raw_end = t.raw_span(0, len(t.text))
        para_records.append({"start": start, "end": body_len, "kind": kind, "page": p.page,
                             "raw_start": raw_start, "raw_end": raw_end})
    body = Tracked.concat(body_parts)

    anchor_pos = {a.data["id"]: a.pos for a in body.anchors if a.data.get("kind") == "marker"}
    marker_data = {a.data["id"]: a.data for a in body.anchors if a.data.get("kind") == "marker"}
    linked_ids = {f.marker_id for f in footnotes if f.marker_id}

    fn_records = []
    for k, note in enumerate(footnotes, 1):
        ftext = normalise(note.body)
        emphasis = _emphasis_spans(ftext)
        fn_records.append({
            "fn_id": f"fn{k}", "marker": note.marker, "number": int(note.value) if note.value.isdigit() else None,
            "text": ftext.text, "anchor": anchor_pos.get(note.marker_id) if note.marker_id else None,
            "page": note.page, "raw_start": note.raw_start, "raw_end": note.raw_end, "emphasis": emphasis,
        })
    unlinked = [{"marker": d["marker"], "pos": anchor_pos[mid], "raw_offset": d["raw"]}
                for mid, d in sorted(marker_data.items(), key=lambda kv: anchor_pos[kv[0]])
                if mid not in linked_ids]

    def join_labelled(label: str) -> str:
        return "\n\n".join(normalise(strip_markup(join_lines(_block_lines(raw, blocks[j])))).text
                           for j in range(n) if labels[j] == label)

    title = next((body.text[r["start"]:r["end"]] for r in para_records if r["kind"] == "title"), None)
    return {
        "doc_id": doc_id,
        "clean_version": CLEAN_VERSION,
        "source": {"path": raw.path, "format": raw.format, "sha256": raw.sha256, "pages": raw.page_count},
        "text": body.text,
        "paragraphs": para_records,
        "footnotes": fn_records,
        "unlinked_markers": unlinked,
        "removed": removed,
        "metadata": {
            "title": title,
            "abstract": normalise(Tracked.literal(" ".join(abstract_parts), 0)).text or None,
            "keywords": _split_keywords(" ".join(keyword_parts)),
            "front_matter": join_labelled("front") or None,
            "back_matter": join_labelled("back") or None,
            "links": state.links,
        },
        "offset_runs": offset_runs(body.offsets),
    }


def _split_keywords(text: str) -> list[str]:
    text = normalise(strip_markup(Tracked.literal(text, 0))).text.rstrip(".")
    return [k.strip() for k in re.split(r"[;,、，]", text) if k.strip()]


def _emphasis_spans(t: Tracked) -> list[list[int]]:
    starts = {a.data["n"]: a.pos for a in t.anchors if a.data.get("kind") == "em_start"}
    ends = {a.data["n"]: a.pos for a in t.anchors if a.data.get("kind") == "em_end"}
    return [[starts[k], ends[k]] for k in sorted(starts) if k in ends and ends[k] > starts[k]]


def _parse_footnote_block(state: CleanState, block: Block, last_number: int,
                          pending_markers: list[dict[str, Any]], in_group: bool) -> list[Footnote] | None:
    """The footnotes in a block, or None if it is not a footnote block.

    Superscript-led lines are always notes. A plain number is a note only if a body marker
    with that number awaits its note, or it continues the numbering inside a footnote block;
    a symbol (*, †) only if such a body marker awaits it.
    """
    raw = state.raw
    lines = _block_lines(raw, block)
    pending = {m["value"] for m in pending_markers}
    from_layout = block.role == "footnote"
    notes: list[tuple[re.Match[str], list[Tracked]]] = []
    expected = last_number + 1
    for line in lines:
        m = _FOOTNOTE_START.match(line.text)
        accept = False
        if m:
            if m.group("sup"):
                # In a PDF the layout tells footnotes from affiliation lines (¹ University of ...).
                accept = from_layout or block.role is None and state.raw.format == "txt"
            elif m.group("num"):
                num = int(m.group("num"))
                words = line.text[m.end():].split()
                in_sequence = num == expected and (in_group or bool(notes) or from_layout)
                accept = len(words) >= 2 and (m.group("num") in pending or in_sequence)
            elif m.group("sym"):
                accept = m.group("sym") in pending or from_layout
        if accept and m:
            notes.append((m, [line]))
            if m.group("num"):
                expected = int(m.group("num")) + 1
            elif m.group("sup"):
                expected = int(marker_value(m.group("sup"))) + 1
        elif notes:
            notes[-1][1].append(line)
        else:
            return None
    result = []
    for m, note_lines in notes:
        first = note_lines[0]
        note_lines = [first.rebuild([(m.end(), len(first.text))])] + note_lines[1:]
        marker = m.group("sup") or m.group("num") or m.group("sym")
        t = strip_markup(join_lines(note_lines), state.links)
        raw_start = first.offsets[0]
        raw_end = note_lines[-1].raw_end
        result.append(Footnote(marker, marker_value(marker), t, block.page, raw_start, raw_end))
    return result


def _link_footnote(note: Footnote, regions: list[list[dict[str, Any]]]) -> None:
    """Link to an unlinked marker of the same value in the body just before this footnote
    block (the last one: earlier ones on a page are more often affiliation superscripts), else
    in the region before that (a note pushed to the next page)."""
    for region in (regions[-2], regions[-3] if len(regions) > 2 else []):
        for marker in reversed(region):
            if not marker["linked"] and marker["value"] == note.value:
                marker["linked"] = True
                note.marker_id = marker["id"]
                return


def _starts_lower(text: str) -> bool:
    for ch in text:
        if ch.isalpha():
            return ch.islower()
        if not ch.isspace() and ch not in "\"'“‘(":
            return False
    return False


def _join_broken_blocks(blocks: list[BodyBlock]) -> list[BodyBlock]:
    """Rejoin paragraphs that a page break (and the footnotes printed there) cut in two."""
    out: list[BodyBlock] = []
    for b in blocks:
        if out:
            prev = out[-1]
            prev_text = prev.text.text.rstrip()
            unfinished = prev_text and not _ends_sentence(prev_text) and prev.label == "body" and b.label == "body"
            long_prev = _word_count(prev_text) >= 12 or any(c in prev_text for c in ".。")
            # A PDF knows its pages: only a new page is a page break.
            page_break = b.page != prev.page if b.page is not None else b.after_break
            if unfinished and (_starts_lower(b.text.text) or (page_break and long_prev)
                               or (long_prev and is_cjk(prev_text[-1:]) and is_cjk(b.text.text[:1]))):
                prev.text = join_lines([prev.text, b.text])
                prev.raw_end = b.raw_end
                continue
        out.append(BodyBlock(b.text, b.label, b.page, b.after_break, b.raw_start, b.raw_end))
    return out
