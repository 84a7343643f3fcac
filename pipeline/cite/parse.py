"""Footnotes -> citations parsed into CSL-JSON, with the rest of the note kept as commentary.

Hand-written because no maintained library parses footnote-style notes (author, "title,"
container, date, URL) in both English and Japanese conventions: refextract and GROBID target
reference lists. Modelled on eyecite: find citation cores (quoted titles, 「」 titles, URLs),
grow them into whole citations element by element, and leave everything else as commentary.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from ..text.lexicon import word_alternation
from ..text.scripts import JAPANESE
from .authors import is_author_like, parse_authors
from .dates import find_dates
from .forms import read_form, read_ja_report
from .language import citation_language
from .resolve import work_id
from .types import citation_type
from .scan import DOI_PATTERN, element_spans, find_title, find_urls, split_units, top_level_mask

_ACCESSED = re.compile(r"(?:\b(?:[Aa]ccessed|[Rr]etrieved|[Vv]iewed|[Ll]ast\s+accessed)(?:\s+on)?|最終閲覧日?|閲覧日|アクセス日)[\s:：]*")
_ACCESSED_AFTER = re.compile(r"^\s*(?:閲覧|アクセス)")
_VOLUME = re.compile(r"^(?:vol(?:ume)?\.?\s*(\d+[A-Za-z]?)|第\s*(\d+)\s*巻)$", re.IGNORECASE)
_ISSUE = re.compile(r"^(?:(?:issue|no|number)\.?\s*(\d+[A-Za-z/-]*)|第\s*(\d+)\s*号)$", re.IGNORECASE)
_PAGES = re.compile(r"^(?:pp?\.\s*)?(\d+(?:\s*[-–]\s*\d+)?)$")
_YEAR_PAGES = re.compile(r"^(\d{4})\s*:\s*(\d+\s*[-–]\s*\d+)$")
_SPEECH = re.compile(r"^(?:speech|address|remarks|keynote(?: speech)?|lecture)\s+(?:at|to|before)\s+(?:the\s+)?(.+)$", re.IGNORECASE)
_GENRE = re.compile(rf"^(?:{word_alternation('genre')})$", re.IGNORECASE)
_EVENT = re.compile(rf"\b(?:{word_alternation('event')})\b", re.IGNORECASE)
_IBID = re.compile(r"^(?:(?P<who>[^・、，,\s]{1,12})・)?(?:ibid(?:em)?\.?|id\.|同上|同前"
                   r"|前掲(?:注\s*[（(]?(?P<note>\d+)[)）]?)?(?:書|論文)?)[,、，]?\s*(?P<rest>.*)$", re.IGNORECASE)


@dataclass
class _Work:
    start: int
    end: int
    fields: dict[str, Any] = field(default_factory=dict)


def _strip_title_punct(title: str) -> str:
    return title.strip().rstrip(",.;:、，。").strip()


def _split_translation(title: str) -> tuple[str, str | None]:
    m = re.search(r"\s*\[([^\[\]]*(?:\[[^\]]*\][^\[\]]*)*)\]$", title)
    if m and m.start() > 0:
        return title[:m.start()].strip(), m.group(1).strip()
    return title, None


def parse_citation(text: str, start: int, end: int, mask: list[bool],
                   emphasis: list[list[int]]) -> dict[str, Any]:
    """CSL-JSON fields of the citation text[start:end] (plus its ``span`` in the note)."""
    seg_consumed = [False] * len(text)

    def consume(s: int, e: int) -> None:
        for i in range(s, e):
            seg_consumed[i] = True

    fields: dict[str, Any] = {}
    urls = [u for u in find_urls(text) if start <= u[0] < end]
    if urls:
        fields["URL"] = urls[0][2]
        for s, e, _ in urls:
            consume(s, e)
        if len(urls) > 1:
            fields["note"] = "Also at: " + " ".join(u[2] for u in urls[1:])
    doi = DOI_PATTERN.search(text, start, end)
    if doi:
        fields["DOI"] = doi.group(1).rstrip(".,;>")
    dates = [d for d in find_dates(text) if start <= d[0] and d[1] <= end and not seg_consumed[d[0]]]
    for d_start, d_end, iso in dates:
        before = text[start:d_start]
        m = _ACCESSED.search(before)
        after_marker = _ACCESSED_AFTER.match(text[d_end:end])
        if (m and m.end() == len(before)) or after_marker:
            fields.setdefault("accessed", iso)
            consume(start + (m.start() if m and m.end() == len(before) else len(before)), d_end)
            if after_marker:
                consume(d_end, d_end + after_marker.end())

    title = find_title(text, start, end)
    author_text = ""
    after_title_start = start
    if title:
        raw_title = _strip_title_punct(text[title.text_start:title.text_end])
        fields["title"], translation = _split_translation(raw_title)
        if translation is None:
            tail = re.match(r"\s*\[([^\]]+)\]", text[title.end:end])
            if tail:
                translation = tail.group(1).strip()
                consume(title.end, title.end + tail.end())
        if translation:
            fields["title-translation"] = translation
        author_text = text[start:title.start]
        consume(start, title.end)
        after_title_start = title.end
    def unconsumed(s: int, e: int) -> str:
        return "".join(text[i] for i in range(s, e) if not seg_consumed[i])

    # Elements left once URLs, accessed dates and the title are taken out.
    elements = [(s, e) for s, e in element_spans(text, after_title_start, end, mask)
                if re.search(r"\w", unconsumed(s, e))]
    if not title:
        # Undelimited title (Japanese notes: 国家安全保障会議設置法、accessed ...): author? + title.
        plain = [(s, e) for s, e in elements if not find_dates(text[s:e]) or JAPANESE.search(text[s:e])]
        plain = [(s, e) for s, e in plain if not _ACCESSED.match(unconsumed(s, e).strip())]
        if len(plain) >= 2 and is_author_like(unconsumed(*plain[0])):
            author_text = unconsumed(*plain[0])
            fields["title"] = _strip_title_punct(unconsumed(*plain[1]))
            used = plain[:2]
        elif plain:
            fields["title"] = _strip_title_punct(unconsumed(*plain[0]))
            used = plain[:1]
        else:
            used = []
        if "title" in fields:
            fields["title"], translation = _split_translation(fields["title"])
            if translation:
                fields["title-translation"] = translation
        elements = [el for el in elements if el not in used]
        if not fields.get("title"):
            fields.pop("title", None)

    authors = parse_authors(author_text)
    if authors:
        fields["author"] = authors

    emphasised = {(s, e) for s, e in emphasis}
    extra: list[str] = []
    in_event = False
    for s, e in elements:
        el = unconsumed(s, e).strip(" .,;:、。<>")
        if not el:
            continue
        date = find_dates(el)
        if date and date[0][1] - date[0][0] >= len(el) - 1:
            fields.setdefault("issued", date[0][2])
            in_event = False
            continue
        if m := _YEAR_PAGES.match(el):
            fields.setdefault("issued", m.group(1))
            fields["page"] = m.group(2).replace(" ", "")
            continue
        if re.fullmatch(r"(?:19|20)\d{2}", el):
            fields.setdefault("issued", el)
            continue
        if m := _VOLUME.match(el):
            fields["volume"] = m.group(1) or m.group(2)
            continue
        if m := _ISSUE.match(el):
            fields["issue"] = m.group(1) or m.group(2)
            continue
        if (m := _PAGES.match(el)) and ("p" in el or "-" in el or "–" in el):
            fields["page"] = m.group(1).replace(" ", "")
            continue
        if m := _SPEECH.match(el):
            fields["genre"] = "speech"
            fields["event"] = m.group(1)
            in_event = True
            continue
        if _GENRE.match(el):
            fields["genre"] = el
            continue
        if in_event:
            fields["event-place"] = f"{fields['event-place']}, {el}" if "event-place" in fields else el
            continue
        if "container-title" not in fields and "event" not in fields and (
                (s, e) in emphasised or any(es <= s and e <= ee for es, ee in emphasised)
                or not _EVENT.search(el)):
            if el[:1].isupper() or el[:1].isdigit() or JAPANESE.match(el):
                fields["container-title"] = el
                continue
        if "event" not in fields and _EVENT.search(el):
            fields["event"] = el
            in_event = True
            continue
        extra.append(el)
    for es, ee in emphasis:  # an emphasised span is the container even when not a whole element
        if start <= es and ee <= end and "container-title" not in fields and not seg_consumed[es]:
            fields["container-title"] = text[es:ee]
    if extra:
        fields["note"] = "; ".join(([fields["note"]] if "note" in fields else []) + extra)
    fields["language"] = citation_language(fields.get("title"), text[start:end], fields.get("title-translation"))
    fields["type"] = citation_type(fields)
    fields["span"] = [start, end]
    return fields


_JA_LEADIN = re.compile(r"(?:[^「」『』、。]{1,30}については|なお)[、，]\s*")
_LEADIN = re.compile(r"(?:^|(?<=\s))(?:see\s+also|see|cf\.|compare|for\s+(?:example|instance))[,:]?\s+", re.IGNORECASE)
_FUNCTION_WORDS = re.compile(r"\b(?:is|are|was|were|the|this|that|these|which|uses|use|has|have|been|be|to|of|in|"
                             r"for|please|refer|can|as|if|by|on|with|not|more|than|its|their)\b")


def _looks_like_prose(text: str) -> bool:
    words = text.split()
    return len(words) >= 4 and len(_FUNCTION_WORDS.findall(text)) >= 2 and bool(re.search(r"\b[a-z]{3,}\b", text))


_NAMES_ONLY = re.compile(r"^[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*(?:(?:,\s*(?:and\s+)?|\s+(?:and|&)\s+)[A-Z][\w.'-]*(?:\s+[A-Z][\w.'-]*)*)*\.?$")


def _classify(text: str, s: int, e: int) -> str:
    unit = text[s:e]
    if _IBID.match(unit):
        return "ibid"
    if find_title(text, s, e):
        return "title"
    has_url = any(s <= u[0] < e for u in find_urls(text))
    body = unit
    for u in find_urls(unit):
        body = body.replace(unit[u[0]:u[1]], "")
    body = body.strip(" .,;")
    if has_url and not _looks_like_prose(body):
        return "url" if not body else "citation"
    if JAPANESE.search(unit) and (_ACCESSED.search(unit) or "「" in unit) and not re.search("[。]$", unit):
        return "citation"
    if _looks_like_prose(unit):
        return "prose"
    if _NAMES_ONLY.match(unit) and len(unit.split()) <= 10 and not find_dates(unit):
        return "names"
    return "element"


def parse_footnote(text: str, emphasis: list[list[int]] | None = None) -> dict[str, Any]:
    """Split a footnote into CSL-JSON citations and commentary (text that cites nothing)."""
    emphasis = emphasis or []
    if not text.strip():
        return {"citations": [], "commentary": None, "warnings": []}
    mask = top_level_mask(text)
    pieces: list[tuple[int, int, str]] = []
    formed: list[tuple[int, int, dict[str, Any]]] = []  # citations a form read whole
    read_up_to = 0
    units = split_units(text, mask)
    for index, (s, e) in enumerate(units):
        if e <= read_up_to:
            continue  # inside a citation a form has read
        s = max(s, read_up_to)
        while s < e and text[s] in " ;；,、":
            s += 1
        lead = _LEADIN.match(text, s, e) or _JA_LEADIN.match(text, s, e)
        at = lead.end() if lead else s
        form = None
        if not _IBID.match(text[at:e]):
            # a form reads a whole citation, which the unit splitter may have cut ("Corp. v. ...")
            later = [e] + [b for a, b in units[index + 1:index + 3] if _cut_at_abbreviation(text, e)
                           and not re.search("[;；]", text[e:b].rstrip(" ;；"))]
            form = next((f for f in (read_form(text, at, b) for b in later) if f is not None), None)
        if form is None and not any(at <= u[0] < e for u in find_urls(text)):
            form = read_ja_report(text, at, e)
        if form is not None:
            if lead:
                pieces.append((s, at, "prose"))
            formed.append((at, form[0], form[1]))
            read_up_to = form[0]
            continue
        # A lead-in ("On X, see", "This is a draft of:") is commentary before a citation.
        lead_end = None
        for m in _LEADIN.finditer(text, s, e):
            if all(mask[m.start():m.end()]) and _classify(text, m.end(), e) in ("title", "url", "names"):
                lead_end = m.end()
                break
        if lead_end is None:
            colon = next((i for i in range(s, e) if text[i] == ":" and mask[i] and i + 1 < e and text[i + 1] == " "), None)
            if colon is not None and _looks_like_prose(text[s:colon]) and _classify(text, colon + 2, e) in ("title", "names"):
                lead_end = colon + 2
        if lead_end is not None:
            pieces.append((s, lead_end, "prose"))
            s = lead_end
        pieces.append((s, e, _classify(text, s, e)))

    works: list[_Work] = []
    prose: list[tuple[int, int]] = []
    current: _Work | None = None
    for s, e, kind in pieces:
        if kind == "prose":
            prose.append((s, e))
            current = None
        elif kind == "ibid":
            current = _Work(s, e, {"ibid": True})
            works.append(current)
        elif kind == "citation":
            current = _Work(s, e)
            works.append(current)
        elif kind == "title":
            if current is not None and current.fields.get("names_only"):
                current.end = e
                current.fields.pop("names_only")
            else:
                current = _Work(s, e)
                works.append(current)
        elif kind == "names":
            current = _Work(s, e, {"names_only": True})
            works.append(current)
        elif kind == "url":
            if current is not None and not _has_url(text, current):
                current.end = e
            else:
                current = _Work(s, e)
                works.append(current)
        elif current is not None:  # a container, date, volume... continuing the citation
            current.end = e
        else:
            prose.append((s, e))

    citations = []
    warnings: list[str] = []  # where the parser fell back to a guess, for readers to filter on
    for work in sorted(works + [_Work(a, b, {"form": fields}) for a, b, fields in formed], key=lambda w: w.start):
        if "form" in work.fields:
            end = work.end
            while end > work.start and text[end - 1] in " ;；":
                end -= 1
            fields = work.fields["form"]
            if "type" not in fields:  # a web page's: from its domain
                fields = {**fields, "type": citation_type(fields)}
            citations.append({**fields, "language": citation_language(fields.get("title"), text[work.start:end],
                                                                      fields.get("title-translation")),
                              "span": [work.start, end]})
            continue
        if work.fields.get("ibid"):
            citations.append(_ibid(text, work))
            continue
        if work.fields.get("names_only"):
            prose.append((work.start, work.end))
            continue
        citations.append(parse_citation(text, work.start, work.end, mask, emphasis))
        warnings.append(f"citation {len(citations)}: no known citation form; its fields were read element by "
                        "element")
    commentary = " ".join(text[s:e].strip() for s, e in sorted(prose)).strip() or None
    for cit in citations:
        if not cit.get("ibid"):
            cit["work_id"] = work_id(cit)
    return {"citations": citations, "commentary": commentary, "warnings": warnings}


_ABBREVIATION_END = re.compile(r"(?:^|\s)(?:[A-Z][a-z]{0,4}\.|(?:[A-Z]\.)+|v\.|No\.|Pub\.)$")


def _cut_at_abbreviation(text: str, end: int) -> bool:
    """Whether the unit splitter cut a citation at an abbreviation ("Ralls Corp." | "v. ...",
    "Pub." | "L. No."), not at the end of a sentence."""
    return bool(_ABBREVIATION_END.search(text[max(0, end - 12):end]))


def _ibid(text: str, work: _Work) -> dict[str, Any]:
    """An ibid./同上/前掲 citation: its page, and the note and author it points back to, if it says."""
    m = _IBID.match(text[work.start:work.end])
    rest = m.group("rest").strip(" .。") if m else ""
    cit: dict[str, Any] = {"ibid": True, "span": [work.start, work.end]}
    if m and m.group("note"):
        cit["note_ref"] = int(m.group("note"))
    if m and m.group("who"):
        cit["ref_author"] = m.group("who")
    page = re.search(r"(?:pp?\.\s*|at\s+)?(\d+(?:\s*[-–]\s*\d+)?)", rest)
    if page:
        cit["page"] = re.sub(r"\s*[-–]\s*", "-", page.group(1))
    return cit


def _has_url(text: str, work: _Work) -> bool:
    return any(work.start <= u[0] < work.end for u in find_urls(text))
