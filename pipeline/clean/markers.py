"""Footnote markers lifted out of the body as anchors, footnote blocks read into notes, and each
note linked to its marker by position: a footnote block belongs to the body printed since the
previous one, which is what makes per-page numbering (¹ on every page) unambiguous."""
from __future__ import annotations

import functools
import re
from dataclasses import dataclass
from typing import Any, Callable

from ..ingest import Block
from .layout import CleanState, block_lines
from .text import join_lines, strip_markup
from .tracked import Anchor, Tracked

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
_SUP_VALUE = {c: str(i) for i, c in enumerate(SUPERSCRIPT_DIGITS)}
_TO_SUPERSCRIPT = str.maketrans("0123456789", SUPERSCRIPT_DIGITS)
SYMBOL_MARKERS = "*†‡§"

# Note styles ("families"): how a note's label opens its note (NOTE_LABEL) and how its marker is
# printed in the body (MARKER_FORMS). Superscripts and symbols are always looked for; the other
# forms only in a document whose notes use them (``extract_markers``' ``families``), since "(1)",
# "[1]" or a bare digit are ordinary text elsewhere.
DEFAULT_FAMILIES = frozenset({"sup", "sym"})
_MARKER_FORMS = {
    "sup": rf"(?P<space>[ ]?)(?<![{SUPERSCRIPT_DIGITS}])(?P<sup>[{SUPERSCRIPT_DIGITS}]{{1,3}})(?![{SUPERSCRIPT_DIGITS}])",
    "chu": r"(?P<chu>[（(]注\s*\d{1,3}[)）])",
    "chubare": r"(?<=[^\s\d（(【注前掲])(?P<chubare>注\d{1,3})(?![\d条項号])",
    "paren": r"(?<=[^\s\u3000（(\d])(?P<paren>[（(]\d{1,3}[)）])",
    "bracket": r"(?<=\S)(?P<bracket>\[\d{1,3}\])",
    "starnum": r"(?<=\S)(?P<starnum>[*＊∗]\d{1,3})(?!\d)",
    "plain": r"(?<=[a-z.,;:!?\"”’)\]])(?P<plain>\d{1,3})(?=\s|$)",  # not after a capital: G7, F35
    "sym": rf"(?<=[\w.,;:!?\"'”’)\]])(?P<sym>[{re.escape(SYMBOL_MARKERS)}])(?=$|[\s.,;:)\"'”’])",
}
_FAMILY_ORDER = ("sup", "chu", "chubare", "paren", "bracket", "starnum", "plain", "sym")
_MARKER_CHARS = {"sup": SUPERSCRIPT_DIGITS, "sym": SYMBOL_MARKERS, "chu": "注", "chubare": "注", "paren": "（(",
                 "bracket": "[", "starnum": "*＊∗", "plain": "0123456789"}


@functools.lru_cache(maxsize=None)
def _marker_regexes(families: frozenset[str]) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """The body-marker regex of ``families``, and the class of characters every such marker holds."""
    forms = [_MARKER_FORMS[f] for f in _FAMILY_ORDER if f in families]
    chars = "".join(_MARKER_CHARS[f] for f in _FAMILY_ORDER if f in families)
    return re.compile("|".join(forms)), re.compile(f"[{re.escape(chars)}]")


_LONE_LABEL = re.compile(rf"^(?:\d{{1,3}}|[{SUPERSCRIPT_DIGITS}]{{1,3}}|[*∗†‡§])$")
_UNIT_BEFORE_SUP = re.compile(r"(?:\b(?:k|c|m|d)?m|\bft|\bin)$")  # m², km³: exponents, not markers
FOOTNOTE_START = re.compile(
    rf"^(?:(?P<sup>[{SUPERSCRIPT_DIGITS}]{{1,3}})(?![{SUPERSCRIPT_DIGITS}])\s*"
    r"|(?P<chu>[（(]注\s*(?P<chu_v>\d{1,3})[)）]|【注\s*(?P<chu_v2>\d{1,3})】)[\s\u3000]*"
    r"|(?P<chubare>注(?P<chubare_v>\d{1,3}))[\s\u3000]+"
    r"|(?P<paren>[（(](?P<paren_v>\d{1,3})[)）])[\s\u3000]*"
    r"|(?P<bracket>\[(?P<bracket_v>\d{1,3})\])[\s\u3000]*"
    r"|(?P<starnum>[*＊∗](?P<starnum_v>\d{1,3}))(?!\d)[\s\u3000]*"
    r"|(?P<num>\d{1,3})[.)]?\s+"
    rf"|(?P<sym>[{re.escape(SYMBOL_MARKERS)}])(?![\d.])\s*)(?=\S)"  # §5.03 is a section, not a note
)
_LABEL_FAMILIES = ("sup", "chu", "chubare", "paren", "bracket", "starnum", "num", "sym")


def note_label(m: re.Match[str]) -> tuple[str, str, str]:
    """(family, the label as printed, its value) of a ``FOOTNOTE_START`` match. Values are what
    marker and note share: digits for numbered styles, "*1" for starred numbers, the symbol."""
    family = next(f for f in _LABEL_FAMILIES if m.group(f))
    printed = m.group(family)
    if family == "sup":
        return family, printed, marker_value(printed)
    if family == "starnum":
        return family, printed, "*" + m.group("starnum_v")
    if family in ("num", "sym"):
        return family, printed, printed
    return family, printed, m.group(f"{family}_v") or m.group("chu_v2")


def marker_families(note_families: set[str]) -> frozenset[str]:
    """The body-marker forms to look for, given the styles of a document's note labels: numbered
    notes ("1 ...", "1. ...") take plain digits glued to a word (as pdftotext prints superscripts)."""
    forms = {"plain" if f == "num" else f for f in note_families}
    return DEFAULT_FAMILIES | forms | ({"chubare"} if "chu" in forms else set())  # (注1) and 注2 mix


def marker_value(marker: str) -> str:
    return "".join(_SUP_VALUE.get(c, c) for c in marker)


def _body_marker_value(family: str, printed: str) -> str:
    if family == "sup":
        return marker_value(printed)
    if family == "starnum":
        return "*" + printed.lstrip("*＊∗")
    if family in ("sym",):
        return printed
    return re.sub(r"\D", "", printed)


def extract_markers(t: Tracked, next_id: list[int], families: frozenset[str] = DEFAULT_FAMILIES,
                    allowed: Callable[[str, str], bool] | None = None) -> Tracked:
    """Lift footnote markers out of body text, leaving ``marker`` anchors where they stood.
    ``families``: the marker forms to look for; ``allowed(family, value)``, if given, says whether
    a marker may stand there (its note exists)."""
    found: list[tuple[int, dict[str, Any]]] = []
    pattern, marker_chars = _marker_regexes(families)

    def family_of(m: re.Match[str]) -> str:
        return next(f for f in _FAMILY_ORDER if f in families and m.group(f))

    def kept(m: re.Match[str]) -> bool:
        family = family_of(m)
        if family == "sup" and _UNIT_BEFORE_SUP.search(t.text[: m.start("sup")]):
            return True  # an exponent
        return allowed is not None and not allowed(family, _body_marker_value(family, m.group(family)))

    def repl(m: re.Match[str]) -> list[Any]:
        if kept(m):
            return [m.span()]
        after = t.text[m.end():m.end() + 1]
        if "sup" in families and m.group("space") and after and not after.isspace():
            return [m.span("space")]  # "word ¹text": keep the space, drop the marker
        return []

    def note(m: re.Match[str], pos: int) -> None:
        if kept(m):
            return
        family = family_of(m)
        marker = m.group(family)
        next_id[0] += 1
        data = {"kind": "marker", "id": f"m{next_id[0]}", "marker": marker,
                "value": _body_marker_value(family, marker), "raw": t.offsets[m.start(family)]}
        found.append((pos, data))

    if not marker_chars.search(t.text):  # the common case, found without the regex's step per character
        return t
    out = t.sub(pattern, repl, on_match=note)
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


def _label_form(family: str, printed: str, value: int) -> str | None:
    """How the label after ``printed`` (of ``family``) is printed: the next note's label."""
    if family == "sup":
        return str(value).translate(_TO_SUPERSCRIPT)
    if family in ("sym",):
        return None
    digits = re.search(r"\d+", printed)
    return None if digits is None else printed[:digits.start()] + str(value) + printed[digits.end():]


def _split_run_on(line: Tracked, m: re.Match[str]) -> list[Tracked]:
    """A line holding two notes or more ("⁹ Ibid., 12. ¹⁰ Id. at 45."; "*4 同上。 *5 前掲注2。"): cut
    it before each next label in sequence that follows a space."""
    family, printed, value = note_label(m)
    if not value.lstrip("*").isdigit():
        return [line]
    pieces, start, number = [], 0, int(value.lstrip("*"))
    while True:
        label = _label_form(family, printed, number + 1)
        if label is None:
            break
        at = line.text.find(label, m.end() if not pieces else start + len(label))
        while at > 0 and not line.text[at - 1].isspace():
            at = line.text.find(label, at + 1)
        after = line.text[at + len(label):at + len(label) + 1] if at > 0 else ""
        if at <= 0 or not (after.isspace() or family in ("chu", "paren", "bracket") and after):
            break
        pieces.append((start, at))
        start, number = at, number + 1
    if not pieces:
        return [line]
    bounds = pieces + [(start, len(line.text))]
    return [line.rebuild([(a, b)]).strip() for a, b in bounds]


def parse_footnote_block(state: CleanState, block: Block, last_number: int,
                          pending_markers: list[dict[str, Any]], in_group: bool) -> list[Footnote] | None:
    """The footnotes in a block, or None if it is not a footnote block.

    Superscript-led lines are always notes. A plain number is a note only if a body marker
    with that number awaits its note, or it continues the numbering inside a footnote block;
    a symbol (*, †) or another label form ("(1)", "[1]", "*1", "（注1）") only if such a body
    marker awaits it, or the page layout put the block among the notes.
    """
    raw = state.raw
    lines = block_lines(raw, block)
    pending = {m["value"] for m in pending_markers}
    from_layout = block.role in ("footnote", "endnote")
    notes: list[tuple[re.Match[str], list[Tracked]]] = []
    expected = last_number + 1
    queue: list[Tracked] = []
    for line in lines:
        if from_layout and queue and _LONE_LABEL.match(queue[-1].text):  # "1" on its own line, then the note
            queue[-1] = queue[-1] + Tracked.literal(" ", line.offsets[0]) + line
        else:
            queue.append(line)
    while queue:
        line = queue.pop(0)
        m = FOOTNOTE_START.match(line.text)
        accept = False
        if m and notes and from_layout and note_label(m)[0] == "num" != note_label(notes[0][0])[0]:
            m = None  # "5 and 40 percent …" in a note labelled ⁴: a plain number there is the note's text
        if m:
            family, _, value = note_label(m)
            if family == "sup":
                # the page model tells footnotes from affiliation lines (¹ University of ...)
                accept = from_layout or block.role in (None, "note_zone", "float_zone")
            elif family == "num":
                num = int(value)
                words = line.text[m.end():].split()
                in_sequence = num == expected and (in_group or bool(notes) or from_layout)
                accept = (len(words) >= 2 or from_layout and in_sequence) and (value in pending or in_sequence)
            else:
                accept = value in pending or from_layout
        if accept and m:
            split = _split_run_on(line, m)
            if len(split) > 1:
                queue[:0] = split[1:]
                line = split[0]
            notes.append((m, [line]))
            value = note_label(m)[2]
            if value.lstrip("*").isdigit():
                expected = int(value.lstrip("*")) + 1
        elif notes:
            notes[-1][1].append(line)
        else:
            return None
    result = []
    for m, note_lines in notes:
        first = note_lines[0]
        note_lines = [first.rebuild([(m.end(), len(first.text))])] + note_lines[1:]
        _, marker, value = note_label(m)
        t = strip_markup(join_lines(note_lines), state.links)
        raw_start = first.offsets[0]
        raw_end = note_lines[-1].raw_end
        result.append(Footnote(marker, value, t, block.page, raw_start, raw_end))
    return result


def link_footnote(note: Footnote, regions: list[list[dict[str, Any]]]) -> None:
    """Link to an unlinked marker of the same value in the body just before this footnote
    block, else in the region before that (a note pushed to the next page). Of a superscript
    printed twice there, the last (earlier ones on a page are more often affiliations); of another
    form ("*1", "(1)") the first: a note referred to again repeats its marker after its first use."""
    superscript = note.marker[:1] in _SUP_VALUE
    for region in (regions[-2], regions[-3] if len(regions) > 2 else []):
        for marker in reversed(region) if superscript else region:
            if not marker["linked"] and marker["value"] == note.value:
                marker["linked"] = True
                note.marker_id = marker["id"]
                return


def link_in_reading_order(notes: list[Footnote], note_regions: list[int], regions: list[list[dict[str, Any]]]) -> None:
    """Link each note still without a marker to the first unlinked marker of its value read before
    it (endnotes, and numbering that restarts in each part of a bundled document)."""
    for note, read_in in zip(notes, note_regions):
        if note.marker_id is not None:
            continue
        for marker in (m for region in regions[:read_in + 1] for m in region):
            if not marker["linked"] and marker["value"] == note.value:
                marker["linked"] = True
                note.marker_id = marker["id"]
                break
