"""Words around a position in a text, found by scanning from it (no regex over the text before)."""
from __future__ import annotations


def word_before(text: str, end: int, start: int = 0) -> str:
    """The run of non-space characters ending at ``end`` (at ``end - 1`` if that is a newline),
    not reaching back past ``start``: what ``re.search(r"(\\S*)$", text[start:end])`` finds.

    A scan back from ``end``: that regex tries every position from ``start``, so calling it at
    every period of a long paragraph or note cost time quadratic in its length."""
    if end > start and text[end - 1] == "\n":
        end -= 1
    begin = end
    while begin > start and not text[begin - 1].isspace():
        begin -= 1
    return text[begin:end]
