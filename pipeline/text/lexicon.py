"""Word lists shared by the stages, read from the data files in ``pipeline/patterns``."""
from __future__ import annotations

import functools
import re

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


@functools.lru_cache(maxsize=None)
def _word_list_rows() -> dict[str, list[list[str]]]:
    lists: dict[str, list[list[str]]] = {}
    for _, (name, *fields) in patterns.rows("word_lists.tsv", 2):
        lists.setdefault(name, []).append(fields)
    return lists


def word_list(name: str) -> tuple[str, ...]:
    """The entries of list ``name`` of ``patterns/word_lists.tsv``, in file order."""
    rows = _word_list_rows().get(name)
    if rows is None:
        raise KeyError(f"pipeline/patterns/word_lists.tsv has no list {name!r}")
    return tuple(fields[0] for fields in rows)


def word_values(name: str) -> dict[str, str]:
    """List ``name`` as entry -> value (its third column)."""
    return {fields[0]: fields[1] for fields in _word_list_rows()[name]}


def word_alternation(name: str) -> str:
    """List ``name`` as a regex alternation: entries escaped, a trailing ``*`` as ``\\w*``."""
    return "|".join(re.escape(e[:-1]) + r"\w*" if e.endswith("*") else re.escape(e) for e in word_list(name))
