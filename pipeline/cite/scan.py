"""Scanning a note: URLs, what lies outside quotes and brackets, units, elements and titles."""
from __future__ import annotations

import re
from dataclasses import dataclass

from ..text.lexicon import abbreviations
from ..text.words import word_before
from .authors import is_author_like
from .dates import find_dates

_URL = re.compile(r"<(?P<angle>https?://[^>\s]+)>|(?P<bare>(?:https?://|www\.)[^\s<>\"」』）]+)")
DOI_PATTERN = re.compile(r"\b(10\.\d{4,9}/[^\s<>\"]+)")
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


def is_abbreviation(token: str) -> bool:
    token = token.strip("\"'“‘(")
    if not token:
        return False
    if re.fullmatch(r"(?:[A-Z]\.)*[A-Z]", token):  # initials: M, Y.A
        return True
    abbrevs = abbreviations()
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
            token = word_before(text, i)
            if is_abbreviation(token) or token.endswith("et al"):
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
                                  or japanese and is_author_like(text[start:i])):
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


_ELEMENT_SPLIT = re.compile(r"\s*[,、，]\s*|\.\s+|\s*[。]\s*")


def element_spans(text: str, start: int, end: int, mask: list[bool]) -> list[tuple[int, int]]:
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
        if m.group().startswith(".") and is_abbreviation(word_before(text, m.start(), pos)):
            continue
        if m.start() > pos:
            spans.append((pos, m.start()))
        pos = m.end()
    if end > pos:
        spans.append((pos, end))
    return [(s, e) for s, e in spans if text[s:e].strip(" .,、。")]
