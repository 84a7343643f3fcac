"""The alias table (``patterns/aliases.tsv``): every name of a body, English and Japanese, linked
to one canonical id."""
from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from .. import patterns
from ..text.labels import LABELS

def alias_key(text: str) -> str:
    """Normalised lookup key: case, commas, a leading 'the', '&'/'and', dashes and spaces ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"['’]s$", "", text)
    text = re.sub(r"^the\s+", "", text)
    text = text.replace("&", " and ")
    text = re.sub(r"[,.\-–—'’()]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Alias:
    id: str
    label: str
    lang: str
    text: str


@functools.lru_cache(maxsize=None)
def load_aliases() -> tuple[Alias, ...]:
    aliases = []
    for n, parts in patterns.rows("aliases.tsv"):
        if len(parts) != 4 or parts[1] not in LABELS:
            raise ValueError(f"pipeline/patterns/aliases.tsv line {n}: expected id<TAB>label<TAB>lang<TAB>alias")
        aliases.append(Alias(*parts))
    return tuple(aliases)


@functools.lru_cache(maxsize=None)
def alias_index() -> dict[str, tuple[str, str]]:
    """Normalised alias -> (id, label)."""
    index: dict[str, tuple[str, str]] = {}
    for a in load_aliases():
        index.setdefault(alias_key(a.text), (a.id, a.label))
    return index


def _slug(text: str) -> str:
    key = alias_key(text)
    return re.sub(r"\s+", "-", key) or "x"


def canonical_id(text: str, label: str) -> str:
    """The alias-table id of ``text``, else a stable id made from its normalised form."""
    index = alias_index()
    key = alias_key(text)
    hit = index.get(key)
    if hit is None and key.endswith("案"):  # a bill and the act it becomes share an id
        hit = index.get(key[:-1])
    if hit is None:
        # "US Foreign Investment Risk Review Modernization Act", "日本外務省": a country
        # qualifier before a known name does not make a different body.
        words = key.split(" ", 1)
        if len(words) == 2 and index.get(words[0], ("", ""))[1] == "GPE" or words[0] in ("japanese", "american"):
            hit = index.get(words[1])
        elif key.startswith(("日本国", "日本")):
            hit = index.get(key.removeprefix("日本国").removeprefix("日本"))
    if hit is not None and (hit[1] == label or label not in ("ORG", "LAW", "EVENT", "POLICY")):
        return hit[0]
    return f"{label.lower()}:{_slug(text)}"
