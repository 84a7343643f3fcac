"""Japanese script: its Unicode ranges, shared by cleaning and segmentation (a module of its own so
that segmentation does not import the cleaning stage and ftfy with it), and SudachiPy, shared by
the citation parser and the tagger."""
from __future__ import annotations

import functools
from typing import Any

KANA_RANGES = "\u3040-\u30ff\u31f0-\u31ff"
IDEOGRAPH_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Japanese and other CJK script, including Japanese punctuation and full-width forms.
CJK_CHARS = "\u3000-\u303f" + KANA_RANGES + IDEOGRAPH_RANGES + "\uff00-\uffef"


@functools.lru_cache(maxsize=None)
def sudachi_tokenizer(mode: str) -> Any:
    """A SudachiPy tokenizer in split mode ``mode`` ("A", "B" or "C"), every one made from one
    loaded dictionary: loading it takes 27 ms of a document's process, and the citation parser
    (mode C, for names) and the Japanese pipeline (mode A) each need a tokenizer."""
    return _sudachi_dictionary().tokenizer(mode)


@functools.lru_cache(maxsize=1)
def _sudachi_dictionary() -> Any:
    from sudachipy import Dictionary

    return Dictionary()
