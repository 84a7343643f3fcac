"""Authors of a citation as CSL names: bodies as ``{literal}``, persons as ``{family, given}``
(Japanese names split with SudachiPy)."""
from __future__ import annotations

import functools
import re

from .. import patterns
from ..text.scripts import JAPANESE, sudachi_tokenizer
from .language import is_common_english

@functools.lru_cache(maxsize=None)
def _org_words() -> tuple[re.Pattern[str], tuple[str, ...]]:
    words, suffixes = [], []
    for _, (line, *_) in patterns.rows("org_keywords.txt"):
        line = line.strip()
        if line.startswith("="):
            suffixes.append(line[1:])
        else:
            words.append(re.escape(line))
    return re.compile(r"\b(?:" + "|".join(words) + r")\b", re.IGNORECASE), tuple(suffixes)


def is_org(name: str) -> bool:
    words, suffixes = _org_words()
    if JAPANESE.search(name):
        return name.endswith(suffixes)
    if re.fullmatch(r"[A-Z][A-Z&]{1,9}", name):
        return True  # an acronym: JETRO, NHK
    return bool(words.search(name))


@functools.lru_cache(maxsize=4096)
def japanese_person(name: str) -> tuple[str, str] | None:
    """(family, given) if SudachiPy reads ``name`` as a surname + given name, else None."""
    if not re.fullmatch("[\u3005\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff]{2,8}", name):
        return None
    morphs = sudachi_tokenizer("C").tokenize(name)
    if len(morphs) >= 2 and morphs[0].part_of_speech()[2:4] == ("人名", "姓"):
        family = morphs[0].surface()
        return family, name[len(family):]
    return None


def _is_person(name: str) -> bool:
    if JAPANESE.search(name):
        return japanese_person(name) is not None
    words = name.split()
    return (2 <= len(words) <= 4 and all(w[:1].isupper() for w in words) and not is_org(name)
            and not all(is_common_english(w.lower()) for w in words))  # "International Studies" names no one


def parse_authors(text: str) -> list[dict[str, str]]:
    """CSL names: organizations as {literal}, persons as {family, given}."""
    text = text.strip(" ,、，:：")
    if re.search(r"[a-z]{2}\.$", text):
        text = text[:-1]
    if not text:
        return []
    parts = [p.strip() for p in re.split(r",\s*(?:and\s+)?|\s+(?:and|&)\s+|[・、，]", text) if p.strip()]
    if is_org(text):
        joined = [p.strip() for p in re.split(r"\s+(?:and|&)\s+|[・、，]", text) if p.strip()]
        if len(joined) > 1 and all(is_org(p) for p in joined):
            return [{"literal": p} for p in joined]  # "METI and MOFA": two bodies
        if not any(_is_person(p) for p in parts):
            # "Ministry of Economy, Trade and Industry"; "Headquarters X, Council Y, Party Z": one body
            return [{"literal": text}]
    authors = []
    for part in parts:
        if is_org(part):
            authors.append({"literal": part})
            continue
        if JAPANESE.search(part):
            split = japanese_person(part)
            authors.append({"family": split[0], "given": split[1]} if split else {"literal": part})
            continue
        words = part.split()
        if len(words) == 1:
            authors.append({"literal": part})
        else:
            authors.append({"family": words[-1], "given": " ".join(words[:-1])})
    return authors


def is_author_like(text: str) -> bool:
    text = text.strip()
    if JAPANESE.search(text):
        return len(text) <= 20 and ("「" not in text) and (is_org(text) or japanese_person(text) is not None)
    return bool(re.fullmatch(r"[A-Z][\w.'&-]*(?:\s+(?:of|for|and|the|on|[A-Z][\w.'&-]*))*", text)) and is_org(text)
