"""The entity components of the tagging pipeline (spaCy factories), and the readers of their
pattern files (registered functions that a pipeline's config names)."""
from __future__ import annotations

import functools
from pathlib import Path
from typing import Any, Callable, Iterable

import spacy
import srsly
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, filter_spans
from spacy.vocab import Vocab

from .. import patterns
from ..text.lexicon import word_list
from .aliases import alias_index, alias_key, canonical_id, load_aliases

UNLINKED = "?"  # the id of a generic-pattern match until alias_linker links it
_TRIM_EDGE = frozenset(word_list("trim_edge"))


@Language.component("entity_trimmer", requires=["doc.ents"], assigns=["doc.ents"])
def entity_trimmer(doc: Doc) -> Doc:
    """Drop function words and punctuation a greedy pattern took at an entity's edges (a closing
    bracket stays when the name holds its opening one: 経済版「2+2」); for names the generic patterns
    found, drop a possessive in front ("China's Ministry of Commerce"), a year after a known law
    ("Economic Security Promotion Act of 2022"), words before a known name at the end (展開米国商務省),
    and names that are generic phrases (各省庁, 関係省令: word list ``generic_name_prefix``)."""
    found = doc.ents  # read once: each read makes every entity's Span anew
    if not found:  # no names: the ruler has already set every token to "outside"
        return doc
    bounds = []
    for ent in found:
        start, end = ent.start, ent.end
        while end > start:
            last = doc[end - 1]  # a Token object per doc[i]: made once
            closes = last.text in _CLOSING and _CLOSING[last.text] in doc[start:end - 1].text
            if closes or not (last.lower_ in _TRIM_EDGE or last.is_punct and last.text != ")"):
                break
            end -= 1
        while start < end and doc[start].lower_ in _TRIM_EDGE:
            start += 1
        if ent.label_ == "LAW" and end < len(doc) and doc[end].text == "案":
            end += 1  # 法律案: the bill, which shares the act's id
        if ent.id_ == UNLINKED:
            start, end = _generic_bounds(doc, start, end, ent.label_)
        bounds.append((start, end))
    if any((start, end) != (ent.start, ent.end) for (start, end), ent in zip(bounds, found)):
        # otherwise doc.ents already holds exactly these spans
        doc.ents = filter_spans([Span(doc, start, end, label=ent.label, span_id=ent.id)
                                 for (start, end), ent in zip(bounds, found) if end > start])
    return doc


_CLOSING = {")": "(", "）": "（", "」": "「", "』": "『", "]": "["}


def _generic_bounds(doc: Doc, start: int, end: int, label: str) -> tuple[int, int]:
    """The bounds of a generic-pattern match once what the pattern should not have taken is cut."""
    known = alias_index()
    # "Department of the Treasury and David Cohen": a conjunct that is a known name of its own
    for i in range(start + 1, end - 1):
        if doc[i].lower_ == "and" and alias_key(doc[i + 1:end].text) in known:
            end = i
            break
    for i in range(start + 1, end - 1):  # "China's Ministry of Commerce": the owner is no part of it
        if doc[i].lower_ in ("'s", "’s"):
            start = i + 1
            break
    if end - start > 2 and doc[end - 2].lower_ == "of" and doc[end - 1].text.isdigit() \
            and alias_key(doc[start:end - 2].text) in known:
        end -= 2  # "Economic Security Promotion Act of 2022": the law's name has no year
    if label == "LAW":  # "US Foreign Investment Risk Review Modernization Act": whose law is no part of its name
        for i in range(start + 1, end - 1):
            if known.get(alias_key(doc[start:i].text), ("", ""))[1] == "GPE" \
                    and known.get(alias_key(doc[i:end].text), ("", ""))[1] == "LAW":
                start = i
                break
    for i in range(start + 1, end):  # 展開米国商務省: a known name after words glued to it (no space)
        if not doc[i - 1].whitespace_ and alias_key(doc[i:end].text) in known:
            start = i
            break
    if start < end and doc[start:end].text.startswith(generic_name_prefixes()):
        return start, start  # 各省庁, 両政府, 関係省令: a kind of body or law, no name
    return start, end


@functools.lru_cache(maxsize=1)
def generic_name_prefixes() -> tuple[str, ...]:
    return word_list("generic_name_prefix")


@Language.component("alias_linker", requires=["doc.ents"], assigns=["doc.ents"])
def alias_linker(doc: Doc) -> Doc:
    """Set every entity's canonical id (``ent.ent_id_``)."""
    found = doc.ents  # read once: each read makes every entity's Span anew
    # Span.id_, which doc.ents sets from the tokens' ids: Span.ent_id_ finds the span's root token
    if all(ent.id_ not in ("", UNLINKED) for ent in found):  # alias matches come linked
        return doc
    ents = []
    for ent in found:
        ent_id = canonical_id(ent.text, ent.label_) if ent.id_ in ("", UNLINKED) else ent.id_
        ents.append(Span(doc, ent.start, ent.end, label=ent.label_, span_id=ent_id))
    doc.ents = ents
    return doc


@Language.factory("generic_entities", assigns=["doc.ents"], default_config={})
def make_generic_entities(nlp: Language, name: str) -> "GenericEntities":
    return GenericEntities(nlp.vocab, name)


class GenericEntities:
    """Token patterns (``generic_<lang>.jsonl``) for names listed in no alias table, given by
    ``initialize(patterns=...)`` (rows ``{"label", "pattern"}``) and saved with the pipeline.

    A match joins ``doc.ents`` unless it overlaps a longer or equal alias match. The Matcher only
    runs on texts holding one of the patterns' literal words (Ministry, Act, 法 ...), since its
    REGEX predicates cost a Python call per token and pattern.
    """

    def __init__(self, vocab: Vocab, name: str):
        self.vocab = vocab
        self.name = name
        self.clear()

    def clear(self) -> None:
        self.patterns: list[dict[str, Any]] = []
        self.matcher = Matcher(self.vocab, validate=True)
        self.gate: set[int] | None = set()  # None: some pattern has no literal word, so always match

    def add_patterns(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.matcher.add(row["label"], [row["pattern"]])
            self.patterns.append({"label": row["label"], "pattern": row["pattern"]})
            words = _literal_words(row["pattern"])
            self.gate = None if words is None or self.gate is None else \
                self.gate | {self.vocab.strings.add(w) for w in words}

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None,
                   patterns: Iterable[dict[str, Any]] = ()) -> None:
        self.clear()
        self.add_patterns(patterns)

    def __call__(self, doc: Doc) -> Doc:
        if self.gate is not None and self.gate.isdisjoint(doc.to_array([ORTH, LOWER]).ravel().tolist()):
            return doc
        found = [Span(doc, start, end, label=match_id, span_id=UNLINKED) for match_id, start, end in self.matcher(doc)]
        doc.ents = filter_spans(list(doc.ents) + found)  # stable: on a tie the alias match wins
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.patterns)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "GenericEntities":
        self.clear()
        self.add_patterns(srsly.read_jsonl(ensure_path(path) / "patterns.jsonl"))
        return self


def _literal_words(pattern: list[dict[str, Any]]) -> set[str] | None:
    """Words of which every match holds one (the pattern's first required literal token)."""
    for spec in pattern:
        if spec.get("OP") in ("?", "*"):
            continue
        for attr in ("ORTH", "LOWER"):
            value = spec.get(attr)
            if isinstance(value, str):
                return {value}
            if isinstance(value, dict) and "IN" in value:
                return set(value["IN"])
    return None


@spacy.registry.misc("policy_corpus.generic_patterns.v1")
def generic_patterns(lang: str) -> list[dict[str, Any]]:
    """The ``generic_entities`` rows of ``patterns/generic_<lang>.jsonl``."""
    return [{"label": row["label"], "pattern": row["pattern"]} for row in patterns.json_rows(f"generic_{lang}.jsonl")]


@spacy.registry.misc("policy_corpus.alias_patterns.v1")
def alias_patterns() -> list[dict[str, Any]]:
    """The alias table (``patterns/aliases.tsv``) as SpanRuler phrase patterns."""
    return [{"label": a.label, "pattern": a.text, "id": a.id} for a in load_aliases()]
