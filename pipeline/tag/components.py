"""The entity components of the tagging pipeline (spaCy factories)."""
from __future__ import annotations

from typing import Any

from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from .. import patterns
from .aliases import alias_index, alias_key, canonical_id

UNLINKED = "?"  # the id of a generic-pattern match until alias_linker links it

_TRIM_EDGE = {"the", "a", "an", "and", "of", "on", "for", "to", "by", "in", ",", "-", "–", "&", "'s", "’s"}


@Language.component("entity_trimmer")
def entity_trimmer(doc: Doc) -> Doc:
    """Drop function words and punctuation a greedy pattern took at an entity's edges."""
    found = doc.ents  # read once: each read makes every entity's Span anew
    if not found:  # no names: the ruler has already set every token to "outside"
        return doc
    bounds = []
    for ent in found:
        start, end = ent.start, ent.end
        while end > start:
            last = doc[end - 1]  # a Token object per doc[i]: made once
            if not (last.lower_ in _TRIM_EDGE or last.is_punct and last.text != ")"):
                break
            end -= 1
        while start < end and doc[start].lower_ in _TRIM_EDGE:
            start += 1
        if ent.id_ == UNLINKED:
            # "Department of the Treasury and David Cohen": a greedy generic match swallowed a
            # conjunct that is a known name of its own; cut before the "and".
            for i in range(start + 1, end - 1):
                if doc[i].lower_ == "and" and alias_key(doc[i + 1:end].text) in alias_index():
                    end = i
                    break
        bounds.append((start, end))
    if any((start, end) != (ent.start, ent.end) for (start, end), ent in zip(bounds, found)):
        # otherwise doc.ents already holds exactly these spans
        doc.ents = filter_spans([Span(doc, start, end, label=ent.label, span_id=ent.id)
                                 for (start, end), ent in zip(bounds, found) if end > start])
    return doc


@Language.component("alias_linker")
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


@Language.factory("generic_entities", default_config={})
def make_generic_entities(nlp: Language, name: str) -> "GenericEntities":
    return GenericEntities(nlp, name)


class GenericEntities:
    """Token patterns (``generic_<lang>.jsonl``) for names listed in no alias table.

    A match joins ``doc.ents`` unless it overlaps a longer or equal alias match. The Matcher only
    runs on sentences holding one of the patterns' literal words (Ministry, Act, 法 ...), since
    its REGEX predicates cost a Python call per token and pattern.
    """

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.matcher = Matcher(nlp.vocab, validate=True)
        gate: set[str] | None = set()
        for row in _generic_patterns(nlp.lang):
            self.matcher.add(row["label"], [row["pattern"]])
            words = _literal_words(row["pattern"])
            gate = None if words is None or gate is None else gate | words
        self.gate = None if gate is None else {nlp.vocab.strings.add(w) for w in gate}

    def __call__(self, doc: Doc) -> Doc:
        if self.gate is not None and self.gate.isdisjoint(doc.to_array([ORTH, LOWER]).ravel().tolist()):
            return doc
        found = [Span(doc, start, end, label=match_id, span_id=UNLINKED) for match_id, start, end in self.matcher(doc)]
        doc.ents = filter_spans(list(doc.ents) + found)  # stable: on a tie the alias match wins
        return doc


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


def _generic_patterns(lang: str) -> list[dict[str, Any]]:
    return [{"label": row["label"], "pattern": row["pattern"]} for row in patterns.json_rows(f"generic_{lang}.jsonl")]
