"""Stage 3, tag: organizations, laws, policies (plus GPE/PERSON) and stances, with canonical ids."""
from __future__ import annotations

import re
from typing import Any

from spacy.tokens import Doc, Span

from ..records import Entity
from ..segment.component import split_tokens_at
from .aliases import alias_index, alias_key, canonical_id
from .laws import cited_law_numbers, egov_law_id, egov_url, law_numbers
from .nlp import tag_texts
from .stances import resolve_stances

TAG_VERSION = 1
_ABBR_DEF = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,9})\)")


def _entity_dict(text: str, start: int, ent: Span) -> Entity:
    """``ent`` of the Doc of ``text[start:]`` as a record; its text sliced from ``text`` (Span.text
    joins its tokens, one Token object each)."""
    begin, end = start + ent.start_char, start + ent.end_char
    return {"start": begin, "end": end, "label": ent.label_, "text": text[begin:end], "id": ent.id_}


def _learn_abbreviations(text: str, entities: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Abbreviations the document defines: 'Inter-Parliamentary Alliance on China (IPAC)'."""
    learnt: dict[str, tuple[str, str]] = {}
    index = alias_index()
    for ent in entities:
        m = _ABBR_DEF.match(text, ent["end"])
        if not m or ent["label"] not in ("ORG", "LAW", "EVENT", "POLICY"):
            continue
        abbr = m.group(1)
        known = index.get(alias_key(abbr))
        if known is None or known[0] == ent["id"]:
            learnt[abbr] = (ent["id"], ent["label"])
    return learnt


def _abbreviation_mentions(text: str, sent: dict[str, Any], learnt: dict[str, tuple[str, str]]
                           ) -> list[tuple[int, int, str, str]]:
    """Mentions of the document's abbreviations in ``sent`` not inside one of its entities, as
    (start, end, label, id) in the document's clean text."""
    taken = [(e["start"], e["end"]) for e in sent["entities"]]
    added: list[tuple[int, int, str, str]] = []
    sentence = text[sent["start"]:sent["end"]]
    for abbr, (ent_id, label) in learnt.items():
        if abbr not in sentence:  # most sentences hold none of the abbreviations: skip the regex
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", sentence):
            s, e = sent["start"] + m.start(), sent["start"] + m.end()
            if not any(ts < e and s < te for ts, te in taken):
                added.append((s, e, label, ent_id))
                taken.append((s, e))
    return added


def _with_entities(doc: Doc, start: int, mentions: list[tuple[int, int, str, str]]) -> Doc:
    """``doc`` (of the text at ``start``) with ``mentions`` added to its entities; a token a
    mention starts or ends inside ("DMCA)1") is split there first, so every entity is whole
    tokens."""
    split_tokens_at(doc, [p - start for s, e, _, _ in mentions for p in (s, e)])
    added = [Span(doc, span.start, span.end, label=label, span_id=ent_id)
             for s, e, label, ent_id in mentions
             for span in [doc.char_span(s - start, e - start)]]
    doc.ents = sorted([*doc.ents, *added], key=lambda sp: sp.start)
    return doc


def _with_author_ids(citation: dict[str, Any]) -> dict[str, Any]:
    """``citation`` with the canonical id on each organisation author ({"literal": ...} that is
    not initials); a copy, so that the segment record tagged stays as it was."""
    authors = citation.get("author", [])
    if not any("literal" in a for a in authors):
        return citation
    with_ids = [{**a, "id": canonical_id(a["literal"], "ORG")}
                if "literal" in a and not re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)*", a["literal"]) else a for a in authors]
    return {**citation, "author": with_ids}


def _mark_publishers(note: dict[str, Any]) -> None:
    """An organisation a note's citation names as its newspaper, journal, publisher or author body
    (『日本経済新聞』, The Japan Times) is the work's publisher, no actor of the argument:
    ``role: "publisher"`` (a body named inside a cited title keeps no role)."""
    for c in note["citations"]:
        start, end = c.get("span", (0, 0))
        names = {alias_key(v) for k in ("container-title", "publisher", "authority") if isinstance(v := c.get(k), str)}
        names |= {alias_key(a["literal"]) for a in c.get("author", []) if "literal" in a}
        for ent in note["entities"]:
            if ent["label"] == "ORG" and start <= ent["start"] and ent["end"] <= end and alias_key(ent["text"]) in names:
                ent["role"] = "publisher"


def tag_document(seg: dict[str, Any]) -> dict[str, Any]:
    """Stage function: ``segment.json`` record -> ``tag.json`` record."""
    return tag_document_docs(seg)[0]


def tag_document_docs(seg: dict[str, Any]) -> tuple[dict[str, Any], list[Doc]]:
    """``tag_document``, plus the sentences' Docs (the export's spaCy Doc reuses their tokens)."""
    text = seg["text"]
    sentences = [dict(s) for s in seg["sentences"]]
    docs = tag_texts((s["text"], s["lang"]) for s in sentences)
    cue_spans = []
    all_entities = []
    for sent, doc in zip(sentences, docs):
        sent["entities"] = [_entity_dict(text, sent["start"], ent) for ent in doc.ents]
        all_entities.extend(sent["entities"])
        cue_spans.append([(sent["start"] + sp.start_char, sent["start"] + sp.end_char, sp.label_, sp.id_)
                          for sp in doc.spans.get("stance_cues", [])])
    learnt = _learn_abbreviations(text, all_entities)
    for k, sent in enumerate(sentences):
        mentions = _abbreviation_mentions(text, sent, learnt)
        if mentions:
            docs[k] = _with_entities(docs[k], sent["start"], mentions)
            sent["entities"] = [_entity_dict(text, sent["start"], ent) for ent in docs[k].ents]
    resolve_stances(text, sentences, cue_spans)

    footnotes = [dict(f) for f in seg["footnotes"]]
    fn_docs = tag_texts((f["text"], f["lang"]) for f in footnotes)
    for fn, doc in zip(footnotes, fn_docs):
        fn["entities"] = [_entity_dict(fn["text"], 0, ent) for ent in doc.ents]
        fn["citations"] = [_with_author_ids(c) for c in fn["citations"]]
        _mark_publishers(fn)
    # a law's number: the table's, else the one the document's own notes cite
    numbers = {**cited_law_numbers(c for f in footnotes for c in f["citations"]), **law_numbers()}
    laws = {}
    for ent in [e for part in (sentences, footnotes) for x in part for e in x["entities"]]:
        if ent["label"] == "LAW" and ent["id"] in numbers:
            kb_id = egov_law_id(numbers[ent["id"]])
            ent["kb_id"] = kb_id
            laws[ent["id"]] = {"number": numbers[ent["id"]], "kb_id": kb_id, "url": egov_url(kb_id)}
    return {
        **{k: v for k, v in seg.items() if k not in ("sentences", "footnotes")},
        "tag_version": TAG_VERSION,
        "sentences": sentences,
        "footnotes": footnotes,
        "abbreviations": {k: v[0] for k, v in sorted(learnt.items())},
        "laws": dict(sorted(laws.items())),
    }, docs
