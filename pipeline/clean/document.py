"""Stage 1, clean: raw PDF text -> continuous body text + footnotes linked to body positions.

The raw document is a list of blocks (paragraphs). Each block is classified (front matter,
abstract, running header, page number, footnote, body, back matter); body blocks are cleaned
with character provenance kept (see ``tracked.py``), footnote markers are lifted out of the body
as anchors (``markers.py``), and blocks that a page break or footnote block cut in two are
joined again (``layout.py``).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ..ingest import Block, RawDocument
from .layout import (LIST_BULLET, BodyBlock, CleanState, block_lines, clean_block_text, ends_sentence,
                     header_key, join_broken_blocks, layout_match, plain_text, running_headers, split_list_items,
                     starts_lower, word_count)
from .markers import (DEFAULT_FAMILIES, FOOTNOTE_START, Footnote, extract_markers, link_footnote,
                      link_in_reading_order, marker_families, note_label, parse_footnote_block)
from .pages import LONE_LABEL, layout_pages
from .text import emphasis_spans, join_lines, normalise, strip_markup
from .tracked import Tracked, offset_runs

CLEAN_VERSION = 1
NOTE_ROLES = ("footnote", "endnote")
# "1. Introduction", "II. Background", "１．はじめに": a section heading, never the document's title
NUMBERED_HEADING = re.compile(r"^(?:\d{1,2}|[IVX]{1,4}|[０-９]{1,2})[.．、]\s*\S")  # the page model's notes: at a page's foot, under a notes heading


def clean_document(raw: RawDocument, doc_id: str) -> dict[str, Any]:
    """Clean one raw document into the ``clean.json`` record: body text, paragraphs, footnotes,
    unlinked markers, removed headers, extracted metadata and the clean->raw offset runs."""
    state = CleanState(raw)
    blocks = split_list_items(raw, layout_pages(raw, raw.blocks))
    texts = [plain_text(raw, b) for b in blocks]
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
            m = layout_match(kind, texts[i])
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
        if layout_match("back", texts[j]) and word_count(texts[j]) <= 6:
            back_start = j
            break

    # Counted over the body only: a title repeated on the cover pages is no running header.
    headers = running_headers(texts[body_start:back_start])
    title_group: list[int] = []
    first_body = next((j for j in range(body_start, back_start) if labels[j] is None), None)
    following = next((j for j in range((first_body or 0) + 1, back_start) if labels[j] is None
                      and blocks[j].role not in ("header", "footer", "footnote")
                      and not layout_match("page_number", texts[j]) and not FOOTNOTE_START.match(texts[j])), None)
    first_is_heading = (
        first_body is not None and word_count(texts[first_body]) <= 25 and not ends_sentence(texts[first_body])
        and not LIST_BULLET.match(texts[first_body]) and not NUMBERED_HEADING.match(texts[first_body])
        and not (following is not None and starts_lower(texts[following]))
    )
    if first_struct is not None and first_struct > 0 and not first_is_heading:
        # Title and byline printed above the abstract: they open the body.
        j = first_struct - 1
        while j >= 0 and len(title_group) < 2:
            t = texts[j]
            if blocks[j].role in ("header", "footnote"):  # a page number or a note printed above the abstract
                j -= 1
                continue
            if layout_match("boilerplate", t) or word_count(t) > 20 or ends_sentence(t.rstrip("*†‡")):
                break
            title_group.insert(0, j)
            j -= 1

    front = [j for j in range(0, first_struct if first_struct is not None else body_start)
             if j not in title_group]
    if first_struct is None and body_start == 0:
        # No abstract: only blocks that are plainly publisher boilerplate are front matter.
        front = []
        for j in range(n):
            if layout_match("front_matter", texts[j]) and word_count(texts[j]) < 60 and j < 5:
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
    note_regions: list[int] = []  # the region each note was read in
    families, allowed_markers = _marker_forms(raw, blocks)
    layout_notes = any(b.role in NOTE_ROLES for b in blocks)
    seen_header_text: set[str] = set()

    # The abstract stays in the body (its own paragraph kind): it is argument, and footnote
    # markers in it must keep their anchors. Its label and the keywords go to metadata.
    order = title_group + [j for j in range(first_struct if first_struct is not None else body_start, back_start)
                           if labels[j] in (None, "abstract", "section_label") and j not in title_group]
    for idx, j in enumerate(order):
        block = blocks[j]
        text = texts[j]
        key = header_key(text) if headers else ""  # only ever looked up in headers
        is_title = j in title_group
        if labels[j] == "section_label" or block.role == "notes_heading":
            removed.append({"kind": "section_label", "text": text, "raw_start": block.start, "raw_end": block.end,
                            "page": block.page})
            continue
        if not is_title and (_printed_at_page_edge(raw, block, text)
                             or (key in headers and (key in seen_header_text or idx > 0))):
            removed.append({"kind": "page_number" if layout_match("page_number", text) else "running_header",
                            "text": text, "raw_start": block.start, "raw_end": block.end, "page": block.page})
            seen_header_text.add(key)
            after_break = True
            continue
        if is_title:
            seen_header_text.add(key)

        pending = [m for region in regions[-2:] for m in region if not m["linked"]]
        # where the page model found the notes, no other block is one ("2. A Wider Set of ..." is a heading)
        new_notes = None if is_title or labels[j] == "abstract" or layout_notes and block.role not in NOTE_ROLES else \
            parse_footnote_block(state, block, last_number, pending, in_footnotes)
        if new_notes is None and block.role in ("footnote", "endnote") and footnotes:
            # A footnote continued from the previous page: no marker of its own.
            prev = footnotes[-1]
            prev.body = join_lines([prev.body, strip_markup(join_lines(block_lines(raw, block)), state.links)])
            prev.raw_end = block.end
            after_break = True
            continue
        if new_notes:
            if not in_footnotes:
                regions.append([])
                in_footnotes = True
            for note in new_notes:
                link_footnote(note, regions)
                if note.value.isdigit():
                    last_number = int(note.value)
                footnotes.append(note)
                note_regions.append(len(regions) - 1)
            after_break = True
            continue

        in_footnotes = False
        t = clean_block_text(state, block)
        t = extract_markers(t, state.marker_counter, families, allowed_markers(block.page))
        label = "body"
        if is_title:
            label = "title" if j == title_group[0] else "byline"
        elif j == first_body and not title_group and first_is_heading:
            label = "title"
        elif labels[j] == "abstract":
            label = "abstract"
            m = layout_match("abstract", t.text)
            if m and m.start() == 0:
                t = t.rebuild([(m.end(), len(t.text))])  # "Abstract: Japan's ..." -> "Japan's ..."
        regions[-1].extend({"id": a.data["id"], "value": a.data["value"], "linked": False}
                           for a in t.anchors if a.data.get("kind") == "marker")
        body_blocks.append(BodyBlock(t, label, block.page, after_break, block.start, block.end,
                                     indented=_set_in(raw, block), floating=block.role == "float_zone"))
        after_break = False

    if families != DEFAULT_FAMILIES:
        link_in_reading_order(footnotes, note_regions, regions)

    # --- join blocks cut by page breaks, normalise, assemble ---------------------------------
    paragraphs = join_broken_blocks(body_blocks, raw.pages_running_on)
    body_parts: list[Tracked] = []
    body_len = 0
    para_records = []
    for p in paragraphs:
        t = normalise(p.text)
        kind = p.kind
        bullet = LIST_BULLET.match(t.text)
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
            elif word_count(t.text) <= 15 and not ends_sentence(t.text):
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
        emphasis = emphasis_spans(ftext)
        fn_records.append({
            "fn_id": f"fn{k}", "marker": note.marker, "number": int(note.value) if note.value.isdigit() else None,
            "text": ftext.text, "anchor": anchor_pos.get(note.marker_id) if note.marker_id else None,
            "page": note.page, "raw_start": note.raw_start, "raw_end": note.raw_end, "emphasis": emphasis,
        })
    unlinked = [{"marker": d["marker"], "pos": anchor_pos[mid], "raw_offset": d["raw"]}
                for mid, d in sorted(marker_data.items(), key=lambda kv: anchor_pos[kv[0]])
                if mid not in linked_ids]

    def join_labelled(label: str) -> str:
        """The blocks with ``label`` (front or back matter) but running heads and page numbers, paragraphs
        apart; one that a page break cut (no sentence end before it, a lower-case start after it) whole."""
        parts: list[tuple[Tracked, int | None]] = []
        for j in range(n):
            if labels[j] != label or _printed_at_page_edge(raw, blocks[j], texts[j]) \
                    or headers and header_key(texts[j]) in headers:
                continue  # a running head or a page number printed among them
            part = strip_markup(join_lines(block_lines(raw, blocks[j])))
            if parts and blocks[j].page != parts[-1][1] and not ends_sentence(parts[-1][0].text) \
                    and starts_lower(part.text):
                parts[-1] = (join_lines([parts[-1][0], part]), blocks[j].page)
            else:
                parts.append((part, blocks[j].page))
        return "\n\n".join(normalise(part).text for part, _ in parts)

    title = next((body.text[r["start"]:r["end"]] for r in para_records if r["kind"] == "title"), None)
    return {
        "doc_id": doc_id,
        "clean_version": CLEAN_VERSION,
        "source": {"path": raw.path, "format": raw.format, "sha256": raw.sha256, "pages": raw.page_count,
                   "pages_without_text": raw.pages_without_text},
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


def _printed_at_page_edge(raw: RawDocument, block: Block, text: str) -> bool:
    """A block the layout marked as a page's head or footer, or a page number; not, in a PDF, a
    number set in from the margin (centred over its paragraph: a section's label, "1")."""
    if block.role in ("header", "footer"):
        return True
    return bool(layout_match("page_number", text)) and not (raw.format == "pdf" and _set_in(raw, block))


def _set_in(raw: RawDocument, block: Block) -> bool:
    """Whether the block's first line is set in from the margin (indented in the raw text)."""
    return bool(raw.text[raw.text.rfind("\n", 0, block.start) + 1:block.start].strip("\f"))


def _marker_forms(raw: RawDocument, blocks: list[Block]
                  ) -> tuple[frozenset[str], Callable[[int | None], Callable[[str, str], bool] | None]]:
    """The body-marker forms to look for, from the labels of the notes the page model found in a
    text document, and for a page, which markers of the optional forms may stand there: those whose
    note exists on that page or the next, where the notes stand at the pages' feet (a digit in a
    formula, an exponent, a star in code is no marker of a note three pages on); anywhere, where
    some are endnotes or pages are unknown, but for plain digits, which are ordinary text elsewhere."""
    def label(line: str) -> re.Match[str] | None:  # a label alone on its line ("1") opens the next one
        return FOOTNOTE_START.match(line + " x" if LONE_LABEL.match(line) else line)

    labels = [(b.page, b.role, *note_label(m)) for b in blocks if b.role in NOTE_ROLES
              for s, e in b.lines for m in [label(raw.text[s:e])] if m]
    # numbered notes at a page's foot take plain digits as markers (pdftotext's superscripts);
    # numbered endnotes do not ("1. ..." under "Notes" says nothing of how the markers are printed)
    families = marker_families({family for _, _, family, _, _ in labels}) - (
        set() if any(b.role == "footnote" for b in blocks) else {"plain"})
    values = {value for *_, value in labels}
    # a line may hold two notes ("*4 同上。 *5 前掲注2。"): every number up to the highest is a note
    top = max((int(v.lstrip("*")) for v in values if v.lstrip("*").isdigit()), default=0)
    values |= {str(n) for n in range(1, top + 1)} | {f"*{n}" for n in range(1, top + 1)}
    by_page: dict[int | None, set[str]] = {}
    for page, _, _, _, value in labels:
        by_page.setdefault(page, set()).add(value)
    on_pages = bool(labels) and all(page is not None and role == "footnote" for page, role, *_ in labels)
    numbered = _numbered_runs(by_page) if on_pages else {}

    def allowed(page: int | None) -> Callable[[str, str], bool]:
        near = by_page.get(page, set()) | by_page.get(None if page is None else page + 1, set())
        if not on_pages or page is None:  # a superscript or a symbol is a marker wherever its note is
            return lambda family, value: family in ("sup", "sym") or value in (near if family == "plain" else values)
        near_run = near | numbered.get(page, set()) | numbered.get(page + 1, set())
        return lambda family, value: value in (near if family == "plain" else near_run)

    return families, allowed


def _numbered_runs(by_page: dict[int | None, set[str]]) -> dict[int | None, set[str]]:
    """Per page, the numbers its notes run through ("*12" to "*14"), on to just before the next
    page's first where they go on through the document: a line may hold two notes, and the page
    model finds the first only."""
    runs: dict[int | None, set[str]] = {}
    pages = sorted(p for p in by_page if p is not None)
    for prefix in ("", "*"):
        numbers = {p: sorted(int(v[len(prefix):]) for v in by_page[p]
                             if v.startswith(prefix) and v[len(prefix):].isdigit()) for p in pages}
        numbered_pages = [p for p in pages if numbers[p]]
        for k, p in enumerate(numbered_pages):
            low, high = numbers[p][0], numbers[p][-1]
            if k + 1 < len(numbered_pages) and numbers[numbered_pages[k + 1]][0] > high:
                high = numbers[numbered_pages[k + 1]][0] - 1
            runs.setdefault(p, set()).update(f"{prefix}{n}" for n in range(low, high + 1))
    return runs


def _split_keywords(text: str) -> list[str]:
    text = normalise(strip_markup(Tracked.literal(text, 0))).text.rstrip(".")
    return [k.strip() for k in re.split(r"[;,、，]", text) if k.strip()]
