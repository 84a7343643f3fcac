"""Character-level cleaning of a block's text, every character keeping its raw offset: lines
joined (line-end hyphens, no space inside Japanese), converter markup removed, Unicode normalised."""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any

import ftfy
import ftfy.badness

from ..text.lexicon import word_list
from ..text.scripts import is_cjk
from .tracked import Anchor, Tracked


COMMON_WORD_ZIPF = 3.0  # a word a reader meets once in a million words or more often


def _hyphen_join_keeps_hyphen(left: str, right: str) -> bool:
    """Whether ``left-`` + ``right`` at a line end is a real hyphenated compound (US-China), not
    a word the line break cut (govern-ment). Most line-end hyphens are breaks: a common English
    word once joined ("background", "semiconductors") is joined, unless it is one of the compounds
    printed with their hyphen (word list ``hyphenated``: "well-being"); a rare joined form keeps
    the hyphen when both parts are words ("cost-effective", "long-term"), and a capital after it
    always does."""
    if not left or not right or not left[-1].isalpha() or not right[0].isalpha():
        return True
    if right[0].isupper():
        return True
    from wordfreq import zipf_frequency

    joined_word = (left + right).lower()
    joined = max(zipf_frequency(joined_word, "en"), zipf_frequency(re.sub(r"e?s$", "", joined_word), "en"))
    if joined >= COMMON_WORD_ZIPF:
        return f"{left}-{right}".lower() in hyphenated_compounds()
    # A rare joined form: a fragment that is no word of its own ("gal-" "lium", "dehyph-" "enation",
    # "un-" "designated") was split by the line break; two real words ("cost-effective") form a compound.
    if left.lower() in bound_prefixes():
        return False
    return zipf_frequency(left.lower(), "en") > 0 and zipf_frequency(right.lower(), "en") > 0


@functools.lru_cache(maxsize=1)
def hyphenated_compounds() -> frozenset[str]:
    return frozenset(word_list("hyphenated"))


@functools.lru_cache(maxsize=1)
def bound_prefixes() -> frozenset[str]:
    return frozenset(word_list("bound_prefix"))


_LAST_WORD = re.compile(r"(\w+)-$")
_FIRST_WORD = re.compile(r"^(\w+)")


_TIGHT_NEXT_TO_CJK = set("0123456789（(「『【〈《")  # after Japanese: 令和4年5月 | 23日, 法律（令和…
_TIGHT_BEFORE_CJK = set("0123456789）)」』】〉》")


def joins_without_space(last: str, first: str) -> bool:
    """Whether a line ending in ``last`` and the next starting with ``first`` join without a space:
    inside Japanese text, where no space separates words, numbers or brackets."""
    return (is_cjk(last) and (is_cjk(first) or first in _TIGHT_NEXT_TO_CJK)
            or is_cjk(first) and last in _TIGHT_BEFORE_CJK)


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
        if joins_without_space(prev_text[-1], nxt.text[0]):
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


def emphasis_spans(t: Tracked) -> list[list[int]]:
    starts = {a.data["n"]: a.pos for a in t.anchors if a.data.get("kind") == "em_start"}
    ends = {a.data["n"]: a.pos for a in t.anchors if a.data.get("kind") == "em_end"}
    return [[starts[k], ends[k]] for k in sorted(starts) if k in ends and ends[k] > starts[k]]
