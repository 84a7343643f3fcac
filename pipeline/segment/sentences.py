"""The sentence splitter, English and Japanese in one text, rule-based.

Hand-written because it must never alter the text, so that every sentence is an exact slice of
the clean body (pySBD and bunkai rewrite text in several modes; spaCy's sentencizer scores
25/48 on the Golden Rules).
"""
from __future__ import annotations

import bisect
import re
from typing import Iterator

from ..text.lexicon import abbreviations, sentence_starters, word_list
from ..text.scripts import CJK, CLOSERS
from ..text.words import word_before

OPEN_CLOSE = {"(": ")", "[": "]", "{": "}", "「": "」", "『": "』", "（": "）", "【": "】", "〈": "〉", "《": "》", "［": "］"}
OPENERS = "\"'“‘([{「『（【〈《［"

JA_TERMINALS = "。！？．!?‼⁇"
BULLETS = "•⁃‣◦▪●■"
TIME_FRONTING = frozenset(word_list("time_fronting"))
_BRACKET = re.compile("[" + re.escape("".join(OPEN_CLOSE) + "".join(OPEN_CLOSE.values())) + "]")


def _protected_spans(text: str) -> list[tuple[int, int]]:
    """Spans inside matched brackets: no sentence ends in there."""
    spans = []
    stack: list[tuple[str, int]] = []
    for m in _BRACKET.finditer(text):
        i, ch = m.start(), m.group()
        if ch in OPEN_CLOSE:
            stack.append((ch, i))
        elif stack and ch == OPEN_CLOSE[stack[-1][0]]:
            _, start = stack.pop()
            if not stack:
                spans.append((start, i))
        elif ch in OPEN_CLOSE.values():
            # Unmatched closer: drop openers that cannot match, keep scanning.
            while stack and OPEN_CLOSE[stack[-1][0]] != ch:
                stack.pop()
            if stack:
                _, start = stack.pop()
                if not stack:
                    spans.append((start, i))
    return spans


def _inside(spans: list[tuple[int, int]], starts: list[int], pos: int) -> tuple[int, int] | None:
    k = bisect.bisect_right(starts, pos) - 1
    if k >= 0 and spans[k][0] < pos < spans[k][1]:
        return spans[k]
    return None


_TERMINAL = re.compile(r"\.(?: \.){2,}|\.{2,}|…+|[.!?‽‼⁇]+|[。！？．]+")
_NEXT_WORD = re.compile(r"\s*(\S+)")


_MULTI_PERIOD = re.compile(r"^(?:[A-Za-z]\.)+[A-Za-z]$")
_LIST_NUM = re.compile(r"(?:(?<=\s)|^)(\d{1,3})(\.\)|\)|\.)(?=\s)")

_BULLET_NUM = re.compile(r"\s?\d{1,3}\.(?=\s)")
_LIST_ALPHA = re.compile(r"(?:(?<=\s)|^)([a-z])(\.\)|\)|\.)(?=\s)")


def _list_boundaries(text: str) -> tuple[set[int], set[int]]:
    """Starts of list items inside a paragraph, and the periods of their markers.

    A run of markers counts as a list only if it opens the paragraph and counts up
    (1, 2, 3 or a, b, c); bullets anywhere start an item.
    """
    starts: set[int] = set()
    marker_periods: set[int] = set()
    for pattern, value in ((_LIST_NUM, int), (_LIST_ALPHA, lambda s: ord(s) - ord("a") + 1)):
        if not pattern.match(text):  # the run must open the paragraph: most do not, and need no scan
            continue
        found = list(pattern.finditer(text))
        style = found[0].group(2)
        run = [found[0]]
        for m in found[1:]:
            if m.group(2) == style and value(m.group(1)) == value(run[-1].group(1)) + 1:
                run.append(m)
        if len(run) >= 2:
            for m in run:
                starts.add(m.start())
                if "." in m.group(2):
                    marker_periods.add(m.start(2))
    for m in re.finditer(f"[{BULLETS}]", text):
        before = text[:m.start()]
        if m.start() == 0 or before[-1:].isspace():
            starts.add(m.start())
        num = _BULLET_NUM.match(text, m.end())
        if num:
            marker_periods.add(num.end() - 1)
    starts.discard(0)
    return starts, marker_periods


def _starts_sentence(word: str) -> bool:
    """Could ``word`` open a sentence (capital, digit, opening quote/bracket, CJK)?"""
    w = word.lstrip(OPENERS)
    if not w:
        return word[:1] in OPENERS
    ch = w[0]
    return ch.isupper() or ch.isdigit() or bool(CJK.match(ch)) or ch in "$£€¥#"


def _period_ends_sentence(text: str, start: int, end: int, sent_start: int) -> bool:
    """Decide a single '.' at text[start] (followed by whitespace) in English text."""
    prev = word_before(text, start).lstrip(OPENERS)
    nxt_m = _NEXT_WORD.match(text, end)
    if not nxt_m:
        return True
    nxt = nxt_m.group(1)
    if not _starts_sentence(nxt):
        return False
    abbrevs = abbreviations()
    key = prev.lower()
    kind = abbrevs.get(prev) or abbrevs.get(key)
    if kind == "prepositive":
        return False
    if kind == "time" or key in ("a.m", "p.m"):
        words = text[sent_start:start].split()
        fronted = words and words[0].lower().strip(OPENERS) in TIME_FRONTING and len(words) <= 4
        return not fronted
    if kind == "general":
        return True
    if len(prev) == 1 and prev.isalpha() and prev.isupper():
        # "Jonas E. Smith", "Albert I. Jones": an initial; "you and I. Did": a word.
        before = word_before(text, max(0, start - len(prev) - 1))
        return before[:1].islower()
    if _MULTI_PERIOD.match(prev):
        if key in ("e.g", "i.e"):
            return False
        return nxt.lstrip(OPENERS).rstrip(".,;:!?") in sentence_starters()
    return True


def _paragraph_sentences(text: str, base: int) -> Iterator[tuple[int, int]]:
    protected = _protected_spans(text)
    prot_starts = [s for s, _ in protected]
    list_starts, list_periods = _list_boundaries(text)
    cuts: set[int] = set(list_starts)
    sent_start = 0
    for m in _TERMINAL.finditer(text):
        start, end = m.span()
        if start in list_periods:
            continue
        term = m.group()
        closer_end = end
        while closer_end < len(text) and text[closer_end] in CLOSERS:
            closer_end += 1
        prev_ch = text[start - 1] if start else ""
        next_ch = text[closer_end] if closer_end < len(text) else ""
        cjk = bool(CJK.match(prev_ch)) or bool(CJK.match(next_ch)) or term[0] in "。！？．"
        span = _inside(protected, prot_starts, start)
        if span:
            closes_span = closer_end > span[1] >= end
            if not closes_span or (cjk and next_ch and not next_ch.isspace() and next_ch not in OPEN_CLOSE):
                continue  # inside brackets: 「…。」と言った is one sentence
        if cjk:
            if term[0] in ".．" and prev_ch.isdigit() and next_ch.isdigit():
                continue  # 3.29 decimal point
            if next_ch and not next_ch.isspace() and next_ch in "、，,":
                continue
            cut = closer_end
        else:
            if next_ch and not next_ch.isspace():
                continue  # "Jr.'s", "example.com", "mean...see"
            nxt_m = _NEXT_WORD.match(text, closer_end)
            if not nxt_m:
                continue  # end of paragraph: closes the last sentence anyway
            nxt = nxt_m.group(1)
            dots = term.count(".")
            if term.startswith(".") and dots >= 3 or term.startswith("…"):
                spaced = " " in term
                attached = prev_ch and not prev_ch.isspace()
                if spaced and attached and dots >= 4 and _starts_sentence(nxt):
                    cut = start + 1  # "compounds. . . . The": the period ends it, ". . ." opens the next
                elif dots >= 4 and _starts_sentence(nxt):
                    cut = closer_end
                else:
                    continue
            elif term[0] in "!?‽‼⁇":
                if not _starts_sentence(nxt):
                    continue
                cut = closer_end
            else:
                if closer_end > end and not _starts_sentence(nxt):
                    continue
                if not _period_ends_sentence(text, start, closer_end, sent_start):
                    continue
                cut = closer_end
        cuts.add(cut)
        sent_start = cut
    bounds = sorted(cuts | {len(text)})
    prev_cut = 0
    for cut in bounds:
        chunk = text[prev_cut:cut]
        lead = len(chunk) - len(chunk.lstrip())
        trail = len(chunk.rstrip())
        if trail > lead:
            yield base + prev_cut + lead, base + prev_cut + trail
        prev_cut = cut


_HARD_BREAK = re.compile(r"\n\s*\n")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans [start, end) of ``text``; blank lines always end a sentence.

    Every span is an exact slice with no leading/trailing whitespace; together the spans
    cover every non-whitespace character exactly once.
    """
    spans: list[tuple[int, int]] = []
    pos = 0
    for m in list(_HARD_BREAK.finditer(text)) + [None]:
        end = m.start() if m else len(text)
        spans.extend(_paragraph_sentences(text[pos:end], pos))
        pos = m.end() if m else len(text)
    return spans
