"""The language of a sentence or note: ``ja`` for Japanese script, ``en`` otherwise."""
from __future__ import annotations

import re

from ..text.scripts import IDEOGRAPH, JAPANESE, KANA, LATIN

_URLISH = re.compile(r"<?(?:https?://|www\.)\S+|\S+@\S+")


def detect_lang(text: str, default: str = "en") -> str:
    """``ja`` for Japanese script, ``en`` otherwise (an English sentence may quote a Japanese name)."""
    if "://" in text or "www." in text or "@" in text:  # what every _URLISH match holds
        text = _URLISH.sub(" ", text)  # a note's URL says nothing about its language
    if not JAPANESE.search(text):  # most sentences: no counting needed
        return "en" if LATIN.search(text) else default
    kana = len(KANA.findall(text))
    cjk = kana + len(IDEOGRAPH.findall(text))
    latin = len(LATIN.findall(text))
    if cjk == 0 and latin == 0:
        return default
    if cjk > latin or (kana >= 2 and cjk * 3 >= latin):
        return "ja"
    return "en"
