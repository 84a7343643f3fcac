"""Footnotes -> citations parsed into CSL-JSON, with the rest of the note kept as commentary.

Hand-written because no maintained library parses footnote-style notes (author, "title,"
container, date, URL) in both English and Japanese conventions: refextract and GROBID target
reference lists. Modelled on eyecite: find citation cores (quoted titles, 「」 titles, URLs),
grow them into whole citations element by element, and leave everything else as commentary.
"""
from __future__ import annotations

import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from . import patterns
from .labels import CSL_FIELDS
from .scripts import sudachi_tokenizer
from .segment import _abbreviations

# ---------------------------------------------------------------------------------------------
# Data files


@functools.lru_cache(maxsize=None)
def _source_types() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[str, str]]]:
    containers, domains = [], []
    for _, (kind, pattern, csl_type, *_) in patterns.rows("citation_sources.tsv", 3):
        if kind == "container":
            containers.append((re.compile(pattern, re.IGNORECASE), csl_type))
        else:
            domains.append((pattern.lower(), csl_type))
    return containers, domains


@functools.lru_cache(maxsize=None)
def _org_words() -> tuple[re.Pattern[str], tuple[str, ...]]:
    words, suffixes = [], []
    for _, (line, *_) in patterns.rows("org_keywords.txt"):
        line = line.strip()
        if line.startswith("="):
            suffixes.append(line[1:])
        else:
            words.append(re.escape(line))
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE), tuple(suffixes)


# ---------------------------------------------------------------------------------------------
# Dates

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}
MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?)"
ERAS = {"令和": 2018, "平成": 1988, "昭和": 1925, "大正": 1911, "明治": 1867}

DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b"),
    re.compile(_MONTH + r",?\s+(?P<year>\d{4})\b"),
    re.compile(r"(?P<era>令和|平成|昭和|大正|明治)\s*(?P<eyear>元|\d{1,2})年(?:\s*(?P<month>\d{1,2})月(?:\s*(?P<day>\d{1,2})日)?)?"),
    re.compile(r"(?P<year>\d{4})年(?:\s*(?P<month>\d{1,2})月(?:\s*(?P<day>\d{1,2})日)?)?"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(r"\b(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})\b"),
]


def _date_from_match(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g.get("era"):
        year = ERAS[g["era"]] + (1 if g["eyear"] == "元" else int(g["eyear"]))
    else:
        year = int(g["year"])
    month = g.get("month")
    if month and not month.isdigit():
        month = MONTHS.get(month.rstrip(".").lower()[:4].rstrip("t") if month.lower().startswith("sept")
                           else month.rstrip(".").lower()[:3])
    month_n = int(month) if month else None
    day_n = int(g["day"]) if g.get("day") else None
    if not 1000 <= year <= 2999 or (month_n and not 1 <= month_n <= 12) or (day_n and not 1 <= day_n <= 31):
        return None
    if month_n and day_n:
        return f"{year:04d}-{month_n:02d}-{day_n:02d}"
    if month_n:
        return f"{year:04d}-{month_n:02d}"
    return f"{year:04d}"


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """All dates in ``text`` as (start, end, ISO date), longest match first at each place."""
    found: list[tuple[int, int, str]] = []
    taken = [False] * (len(text) + 1)
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            iso = _date_from_match(m)
            if iso:
                found.append((m.start(), m.end(), iso))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    return sorted(found)


def parse_date(text: str) -> str | None:
    """ISO date (YYYY, YYYY-MM or YYYY-MM-DD) of the first date in ``text``."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


# ---------------------------------------------------------------------------------------------
# Scanning helpers

_URL = re.compile(r"<(?P<angle>https?://[^>\s]+)>|(?P<bare>(?:https?://|www\.)[^\s<>\"」』）]+)")
_DOI = re.compile(r"\b(10\.\d{4,9}/[^\s<>\"]+)")
PAIRS = {"(": ")", "[": "]", "「": "」", "『": "』", "（": "）", "【": "】", "“": "”", "‘": "’"}


def find_urls(text: str) -> list[tuple[int, int, str]]:
    """URLs as (start, end, url); <angle> brackets and a trailing sentence period excluded."""
    urls = []
    for m in _URL.finditer(text):
        if m.group("angle"):
            urls.append((m.start(), m.end(), m.group("angle")))
            continue
        url = m.group("bare")
        while url and url[-1] in ".,;:)]":
            if url[-1] in ")]" and url.count("(" if url[-1] == ")" else "[") >= url.count(url[-1]):
                break
            url = url[:-1]
        if url.startswith("www."):
            url = "http://" + url
            urls.append((m.start(), m.start() + len(url) - 7, url))
        else:
            urls.append((m.start(), m.start() + len(url), url))
    return urls


def top_level_mask(text: str) -> list[bool]:
    """True where a character is outside quotes, brackets and URLs."""
    mask = [True] * len(text)
    for s, e, _ in find_urls(text):
        for i in range(s, e):
            mask[i] = False
    stack: list[str] = []
    for i, ch in enumerate(text):
        if not mask[i]:
            continue
        inside = bool(stack)
        if ch == '"':
            prev = text[i - 1] if i else " "
            nxt = text[i + 1] if i + 1 < len(text) else " "
            opening = (prev.isspace() or prev in "([{“‘:—–-") and not nxt.isspace()
            if opening:
                stack.append('"')
            elif stack and stack[-1] == '"':
                stack.pop()
            elif '"' in stack:
                while stack and stack[-1] != '"':
                    stack.pop()
                stack.pop()
            mask[i] = False
            continue
        if ch in PAIRS:
            stack.append(ch)
            mask[i] = False
            continue
        if stack and ch == PAIRS.get(stack[-1]):
            stack.pop()
            mask[i] = False
            continue
        if ch in PAIRS.values() and ch in [PAIRS.get(s) for s in stack]:
            while stack and PAIRS.get(stack[-1]) != ch:
                stack.pop()
            stack.pop()
            mask[i] = False
            continue
        mask[i] = not inside
    return mask


def _is_abbreviation(token: str) -> bool:
    token = token.strip("\"'“‘(")
    if not token:
        return False
    if re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", token):  # initials: M, Y.A
        return True
    abbrevs = _abbreviations()
    kind = abbrevs.get(token) or abbrevs.get(token.lower())
    return kind in ("prepositive", "general") and token.lower() not in ("etc",)


def split_units(text: str, mask: list[bool]) -> list[tuple[int, int]]:
    """Split a note at top-level sentence ends ('. ' before a capital, ';', '。')."""
    cuts = []
    for i, ch in enumerate(text):
        if not mask[i]:
            continue
        if ch in ";。；":
            cuts.append(i + 1)
        elif ch == "." and (i + 1 == len(text) or text[i + 1].isspace()):
            nxt = text[i + 1:].lstrip()[:1]
            if nxt and (nxt.islower() or nxt.isdigit()):
                continue
            token = re.search(r"(\S*)$", text[:i]).group(1)
            if _is_abbreviation(token) or token.endswith("et al"):
                continue
            cuts.append(i + 1)
    units = []
    prev = 0
    for cut in cuts + [len(text)]:
        chunk = text[prev:cut]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            units.append((prev + lead, prev + trail))
        prev = cut
    return units


# ---------------------------------------------------------------------------------------------
# Title detection

_ELEMENT_BEFORE = re.compile(r"(?:^\s*|[,、，:：;.]\s*|\bsee\s+|\bin\s+)$", re.IGNORECASE)
_OPEN_TITLE = {'"': '"', "“": "”", "「": "」", "『": "』", "‘": "’"}


@dataclass
class Title:
    start: int  # of the opening delimiter
    end: int  # after the closing delimiter
    text_start: int
    text_end: int


def find_title(text: str, start: int, end: int) -> Title | None:
    """First delimited title in text[start:end] that fills a whole element of the citation."""
    i = start
    while i < end:
        ch = text[i]
        japanese = ch in "「『"
        # 経済産業省「通商白書」令和4年: in Japanese notes the title follows its author directly.
        if ch in _OPEN_TITLE and (_ELEMENT_BEFORE.search(text[start:i])
                                  or japanese and _is_author_like(text[start:i])):
            close = _find_close(text, i, end)
            if close is not None:
                after = text[close + 1:end]
                if re.match(r"^(?:\s*\[[^\]]*\])?\s*(?:[,.、，;:。]|\s|<|$)", after) or after == "" \
                        or japanese and any(d[0] == 0 for d in find_dates(after)):
                    return Title(i, close + 1, i + 1, close)
        i += 1
    return None


def _find_close(text: str, open_at: int, end: int) -> int | None:
    opener = text[open_at]
    closer = _OPEN_TITLE[opener]
    depth = 1
    brackets = 0
    for j in range(open_at + 1, end):
        ch = text[j]
        if ch == "[":
            brackets += 1
        elif ch == "]" and brackets:
            brackets -= 1
        if brackets:
            continue
        if opener == '"':
            if ch != '"':
                continue
            prev = text[j - 1]
            nxt = text[j + 1] if j + 1 < end else " "
            if (prev.isspace() or prev in "([{") and not nxt.isspace():
                depth += 1
            else:
                depth -= 1
        elif ch == opener and opener != closer:
            depth += 1
        elif ch == closer:
            depth -= 1
        if depth == 0:
            return j
    return None


# ---------------------------------------------------------------------------------------------
# Authors

_JA_SCRIPT = re.compile("[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]")


def _is_org(name: str) -> bool:
    words, suffixes = _org_words()
    if _JA_SCRIPT.search(name):
        return name.endswith(suffixes)
    if re.fullmatch(r"[A-Z][A-Z&]{1,9}", name):
        return True  # an acronym: JETRO, NHK
    return bool(words.search(name))


@functools.lru_cache(maxsize=4096)
def _japanese_person(name: str) -> tuple[str, str] | None:
    """(family, given) if SudachiPy reads ``name`` as a surname + given name, else None."""
    if not re.fullmatch("[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,8}", name):
        return None
    morphs = sudachi_tokenizer("C").tokenize(name)
    if len(morphs) >= 2 and morphs[0].part_of_speech()[2:4] == ("人名", "姓"):
        family = morphs[0].surface()
        return family, name[len(family):]
    return None


def _is_person(name: str) -> bool:
    if _JA_SCRIPT.search(name):
        return _japanese_person(name) is not None
    words = name.split()
    return 2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not _is_org(name)


def parse_authors(text: str) -> list[dict[str, str]]:
    """CSL names: organizations as {literal}, persons as {family, given}."""
    text = text.strip(" ,、，:：")
    if re.search(r"[a-z]{2}\.$", text):
        text = text[:-1]
    if not text:
        return []
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+|[・、，]", text) if p.strip()]
    if _is_org(text):
        joined = [p.strip() for p in re.split(r"\s+(?:and|&)\s+|[・、，]", text) if p.strip()]
        if len(joined) > 1 and all(_is_org(p) for p in joined):
            return [{"literal": p} for p in joined]  # "METI and MOFA": two bodies
        if not any(_is_person(p) for p in parts):
            # "Ministry of Economy, Trade and Industry"; "Headquarters X, Council Y, Party Z": one body
            return [{"literal": text}]
    authors = []
    for part in parts:
        if _is_org(part):
            authors.append({"literal": part})
            continue
        if _JA_SCRIPT.search(part):
            split = _japanese_person(part)
            authors.append({"family": split[0], "given": split[1]} if split else {"literal": part})
            continue
        words = part.split()
        if len(words) == 1:
            authors.append({"literal": part})
        else:
            authors.append({"family": words[-1], "given": " ".join(words[:-1])})
    return authors


# ---------------------------------------------------------------------------------------------
# Language

_ROMAJI_TOKEN = re.compile(r"(?:[bcdfghjkmnprstvwyz]{0,3}[aeiouāīūēōâîûêô]|n)+", re.IGNORECASE)


COMMON_ENGLISH_ZIPF = 3.5  # once per 300,000 words or more often


@functools.lru_cache(maxsize=65536)
def is_common_english(word: str) -> bool:
    """Whether ``word`` (lower case) is at least ``COMMON_ENGLISH_ZIPF`` in wordfreq's "small"
    English list (which gives the same answer as the full list at this threshold)."""
    from wordfreq import zipf_frequency

    return zipf_frequency(word, "en", wordlist="small") >= COMMON_ENGLISH_ZIPF


def is_romanized_japanese(text: str) -> bool:
    tokens = re.findall(r"[A-Za-zāīūēōâîûêôĀĪŪĒŌ]+", text)
    if len(tokens) < 2:
        return False
    if sum(1 for t in tokens if _ROMAJI_TOKEN.fullmatch(t)) < 0.8 * len(tokens):
        return False  # decided without loading a word list
    # the "small" list (words of Zipf 3 and up) gives the same answer as the full list for
    # every word at this threshold (tested)
    english = sum(1 for t in tokens if is_common_english(t.lower()))
    return english <= 0.4 * len(tokens)


def citation_language(title: str | None, whole: str, translation: str | None) -> str:
    probe = title or whole
    if _JA_SCRIPT.search(probe):
        return "ja"
    if translation or (title and is_romanized_japanese(title)):
        return "ja"
    return "en"


# ---------------------------------------------------------------------------------------------
# Parsing one citation

_ACCESSED = re.compile(r"(?:\b(?:[Aa]ccessed|[Rr]etrieved|[Vv]iewed|[Ll]ast\s+accessed)(?:\s+on)?|最終閲覧日?|閲覧日|アクセス日)[\s:：]*")
_ACCESSED_AFTER = re.compile(r"^\s*(?:閲覧|アクセス)")
_VOLUME = re.compile(r"^(?:vol(?:ume)?\.?\s*(\d+[A-Za-z]?)|第\s*(\d+)\s*巻)$", re.IGNORECASE)
_ISSUE = re.compile(r"^(?:(?:issue|no|number)\.?\s*(\d+[A-Za-z/-]*)|第\s*(\d+)\s*号)$", re.IGNORECASE)
_PAGES = re.compile(r"^(?:pp?\.\s*)?(\d+(?:\s*[-–]\s*\d+)?)$")
_YEAR_PAGES = re.compile(r"^(\d{4})\s*:\s*(\d+\s*[-–]\s*\d+)$")
_SPEECH = re.compile(r"^(?:speech|address|remarks|keynote(?: speech)?|lecture)\s+(?:at|to|before)\s+(?:the\s+)?(.+)$", re.IGNORECASE)
_GENRE = re.compile(r"^(?:draft document|press release|working paper|policy brief|issue brief|discussion paper|"
                    r"policy paper|white paper|conference paper|report|fact sheet|joint statement|"
                    r"speech|statement|memorandum|ministerial decision|draft)$", re.IGNORECASE)
_EVENT = re.compile(r"\b(?:summit|conference|meeting|symposium|forum|dialogue|session)\b", re.IGNORECASE)
_LAW = re.compile(r"(?:法|法律|条例|政令|省令)(?:案)?$|\b(?:Act|Law|Bill|Code|Ordinance|Regulation|Treaty)\b(?:\s+(?:of|on)\s+\d{4})?$")
_STATEMENT = re.compile(r"^(?:joint\s+)?(?:statement|declaration|communiqu[eé]|press\s+release|readout)\b|共同声明|声明$", re.I)
_IBID = re.compile(r"^(?:ibid(?:em)?\.?|id\.|同上|同前|前掲(?:書|論文)?)[,、，]?\s*(?P<rest>.*)$", re.IGNORECASE)
_ELEMENT_SPLIT = re.compile(r"\s*[,、，]\s*|\.\s+|\s*[。]\s*")


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


def _element_spans(text: str, start: int, end: int, mask: list[bool]) -> list[tuple[int, int]]:
    """Elements of a citation: split at top-level commas, 、 and sentence periods, never in a date."""
    in_date = [False] * (len(text) + 1)
    for ds, de, _ in find_dates(text[start:end]):
        for i in range(start + ds, start + de):
            in_date[i] = True
    spans = []
    pos = start
    for m in _ELEMENT_SPLIT.finditer(text, start, end):
        if not all(mask[m.start():m.end()]) or not m.group().strip(" ") or in_date[m.start()]:
            continue
        if m.group().startswith(".") and _is_abbreviation(re.search(r"(\S*)$", text[pos:m.start()]).group(1)):
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        spans.append((pos, end))
    return [(s, e) for s, e in spans if text[s:e].strip(" .,、。")]


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
    doi = _DOI.search(text, start, end)
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
    elements = [(s, e) for s, e in _element_spans(text, after_title_start, end, mask)
                if re.search(r"\w", unconsumed(s, e))]
    if not title:
        # Undelimited title (Japanese notes: 国家安全保障会議設置法、accessed ...): author? + title.
        plain = [(s, e) for s, e in elements if not find_dates(text[s:e]) or _JA_SCRIPT.search(text[s:e])]
        plain = [(s, e) for s, e in plain if not _ACCESSED.match(unconsumed(s, e).strip())]
        if len(plain) >= 2 and _is_author_like(unconsumed(*plain[0])):
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
            if el[:1].isupper() or el[:1].isdigit() or _JA_SCRIPT.match(el):
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


def _is_author_like(text: str) -> bool:
    text = text.strip()
    if _JA_SCRIPT.search(text):
        return len(text) <= 20 and ("「" not in text) and (_is_org(text) or _japanese_person(text) is not None)
    return bool(re.fullmatch(r"[A-Z][\w.'&-]*(?:\s+(?:of|for|and|the|on|[A-Z][\w.'&-]*))*", text)) and _is_org(text)


def citation_type(fields: dict[str, Any]) -> str:
    containers, domains = _source_types()
    title = fields.get("title", "")
    container = fields.get("container-title", "")
    host = urlsplit(fields["URL"]).hostname or "" if "URL" in fields else ""
    domain_type = next((t for d, t in domains if host == d or host.endswith("." + d)), None)
    if domain_type == "legislation" or (title and _LAW.search(title) and not container):
        return "legislation"
    if fields.get("genre") == "speech" or "event" in fields and re.search(r"speech|address", fields.get("genre", ""), re.I):
        return "speech"
    if any(k in fields for k in ("volume", "issue")) or (fields.get("page") and container):
        return "article-journal"
    if container:
        for pattern, csl_type in containers:
            if pattern.search(container):
                return csl_type
    if domain_type:
        return domain_type
    if _STATEMENT.search(title) or any(re.search(r"public relations|press office", a.get("literal", ""), re.I)
                                       for a in fields.get("author", [])):
        return "document"  # statements, declarations, press releases
    if re.search(r"brief|report|paper|document", fields.get("genre", ""), re.I):
        return "report"
    if "URL" in fields:
        return "report" if urlsplit(fields["URL"]).path.lower().endswith(".pdf") else "webpage"
    return "document"


# ---------------------------------------------------------------------------------------------
# Parsing a whole note

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
    if _JA_SCRIPT.search(unit) and (_ACCESSED.search(unit) or "「" in unit) and not re.search("[。]$", unit):
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
        return {"citations": [], "commentary": None}
    mask = top_level_mask(text)
    pieces: list[tuple[int, int, str]] = []
    for s, e in split_units(text, mask):
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
    for work in works:
        if work.fields.get("ibid"):
            m = _IBID.match(text[work.start:work.end])
            rest = m.group("rest").strip(" .") if m else ""
            cit: dict[str, Any] = {"ibid": True, "span": [work.start, work.end]}
            page = re.search(r"(?:pp?\.\s*)?(\d+(?:[-–]\d+)?)", rest)
            if page:
                cit["page"] = page.group(1)
            citations.append(cit)
            continue
        if work.fields.get("names_only"):
            prose.append((work.start, work.end))
            continue
        citations.append(parse_citation(text, work.start, work.end, mask, emphasis))
    commentary = " ".join(text[s:e].strip() for s, e in sorted(prose)).strip() or None
    for cit in citations:
        if not cit.get("ibid"):
            cit["work_id"] = work_id(cit)
    return {"citations": citations, "commentary": commentary}


def _has_url(text: str, work: _Work) -> bool:
    return any(work.start <= u[0] < work.end for u in find_urls(text))


# ---------------------------------------------------------------------------------------------
# Identity of a cited work


def normalise_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, parts.query, ""))[2:]


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def work_key(cit: dict[str, Any]) -> str:
    """Duplicates share a key: the normalised URL, else normalised title + first author."""
    if cit.get("DOI"):
        return "doi:" + cit["DOI"].lower()
    if cit.get("URL"):
        return "url:" + normalise_url(cit["URL"])
    authors = cit.get("author") or [{}]
    first = authors[0].get("family") or authors[0].get("literal") or ""
    return "title:" + normalise_text(cit.get("title", "")) + "|" + normalise_text(first)


def work_id(cit: dict[str, Any]) -> str:
    return "w" + hashlib.sha1(work_key(cit).encode("utf-8")).hexdigest()[:12]


def resolve_ibid(citation: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """An ibid. takes the fields of the work cited just before it (its own page wins)."""
    if previous is None:
        return {**citation, "type": "document", "language": "en", "note": "ibid. with no earlier citation to refer to"}
    resolved = {k: v for k, v in previous.items() if k in CSL_FIELDS or k == "work_id"}
    resolved.update({k: v for k, v in citation.items() if k in ("page", "span")})
    resolved["ibid"] = True
    return resolved
