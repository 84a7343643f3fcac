"""Scripts and brackets: the Unicode ranges of Japanese script and the closing punctuation, shared
by every stage (one definition, so that cleaning, segmentation and citation parsing agree), and
SudachiPy, shared by the citation parser and the tagger."""
from __future__ import annotations

import functools
import re
from typing import Any

KANA_RANGES = "\u3040-\u30ff\u31f0-\u31ff"
IDEOGRAPH_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Japanese and other CJK script, including Japanese punctuation and full-width forms.
CJK_CHARS = "\u3000-\u303f" + KANA_RANGES + IDEOGRAPH_RANGES + "\uff00-\uffef"
KANA = re.compile(f"[{KANA_RANGES}]")
IDEOGRAPH = re.compile(f"[{IDEOGRAPH_RANGES}]")
JAPANESE = re.compile(f"[{KANA_RANGES}{IDEOGRAPH_RANGES}]")  # kana or ideograph
CJK = re.compile(f"[{CJK_CHARS}]")  # any CJK character, punctuation and full-width forms included
LATIN = re.compile("[A-Za-z\u00c0-\u024f]")

# What may follow a sentence's last word after its final punctuation: quotes and closing brackets.
CLOSERS = "\"'”’)]}」』）】〉》］"


def is_cjk(ch: str) -> bool:
    """Whether ``ch`` (one character, or the first of a string) is CJK script or punctuation."""
    return bool(ch) and bool(CJK.match(ch))


@functools.lru_cache(maxsize=None)
def sudachi_tokenizer(mode: str) -> Any:
    """A SudachiPy tokenizer in split mode ``mode`` ("A", "B" or "C"), every one made from one
    loaded dictionary: loading it takes 27 ms of a document's process."""
    return _sudachi_dictionary().tokenizer(mode)


@functools.lru_cache(maxsize=1)
def _sudachi_dictionary() -> Any:
    from sudachipy import Dictionary

    return Dictionary()
