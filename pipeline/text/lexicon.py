"""Word lists shared by the stages, read from the data files in ``pipeline/patterns``."""
from __future__ import annotations

import functools

from .. import patterns


@functools.lru_cache(maxsize=None)
def abbreviations() -> dict[str, str]:
    """Abbreviations that end in a period (``patterns/abbreviations.tsv``) and their kind:
    ``prepositive`` (Mr., Dr.: never end a sentence), ``time`` (a.m.), ``general`` (etc.)."""
    return {abbr: kind for _, (abbr, kind, *_) in patterns.rows("abbreviations.tsv", 2)}


@functools.lru_cache(maxsize=None)
def sentence_starters() -> frozenset[str]:
    """Words that start a sentence after an abbreviation like "U.S." (``sentence_starters.txt``)."""
    return frozenset(word.strip() for _, (word, *_) in patterns.rows("sentence_starters.txt"))
