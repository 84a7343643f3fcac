"""Footnote markers lifted out of the body as anchors, footnote blocks read into notes, and each
note linked to its marker by position: a footnote block belongs to the body printed since the
previous one, which is what makes per-page numbering (¹ on every page) unambiguous."""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from ..ingest import Block
from .layout import CleanState, block_lines
from .text import join_lines, strip_markup
from .tracked import Anchor, Tracked

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_VALUE = {c: str(i) for i, c in enumerate(SUPERSCRIPT_DIGITS)}
SYMBOL_MARKERS = "*†‡§"
_BODY_MARKER = re.compile(
    rf"(?P<space>[ ]?)(?<![{SUPERSCRIPT_DIGITS}])(?P<sup>[{SUPERSCRIPT_DIGITS}]{{1,3}})(?![{SUPERSCRIPT_DIGITS}])"
    rf"|(?<=[\w.,;:!?\"'”’)\]])(?P<sym>[{re.escape(SYMBOL_MARKERS)}])(?=$|[\s.,;:)\"'”’])"
)

_MARKER_CHAR = re.compile(rf"[{SUPERSCRIPT_DIGITS}{re.escape(SYMBOL_MARKERS)}]")  # in every marker
_UNIT_BEFORE_SUP = re.compile(r"(?:\b(?:k|c|m|d)?m|\bft|\bin)$")  # m², km³: exponents, not markers
FOOTNOTE_START = re.compile(
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


def parse_footnote_block(state: CleanState, block: Block, last_number: int,
                          pending_markers: list[dict[str, Any]], in_group: bool) -> list[Footnote] | None:
    """The footnotes in a block, or None if it is not a footnote block.

    Superscript-led lines are always notes. A plain number is a note only if a body marker
    with that number awaits its note, or it continues the numbering inside a footnote block;
    a symbol (*, †) only if such a body marker awaits it.
    """
    raw = state.raw
    lines = block_lines(raw, block)
    pending = {m["value"] for m in pending_markers}
    from_layout = block.role == "footnote"
    notes: list[tuple[re.Match[str], list[Tracked]]] = []
    expected = last_number + 1
    for line in lines:
        m = FOOTNOTE_START.match(line.text)
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


def link_footnote(note: Footnote, regions: list[list[dict[str, Any]]]) -> None:
    """Link to an unlinked marker of the same value in the body just before this footnote
    block (the last one: earlier ones on a page are more often affiliation superscripts), else
    in the region before that (a note pushed to the next page)."""
    for region in (regions[-2], regions[-3] if len(regions) > 2 else []):
        for marker in reversed(region):
            if not marker["linked"] and marker["value"] == note.value:
                marker["linked"] = True
                note.marker_id = marker["id"]
                return
