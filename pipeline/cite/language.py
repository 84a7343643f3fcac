"""The language of a cited work: Japanese script, or a romanized Japanese title."""
from __future__ import annotations

import functools
import re

from ..text.scripts import JAPANESE

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
    if JAPANESE.search(probe):
        return "ja"
    if translation or (title and is_romanized_japanese(title)):
        return "ja"
    return "en"
