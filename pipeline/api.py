"""The Python API: annotate a text in memory (``annotate``)."""
from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from spacy.tokens import Doc


@dataclass
class Annotation:
    """One text run through clean -> segment -> tag: the records the corpus files hold for a
    document (``annotations/*.jsonl``), and its spaCy Doc (``annotations/corpus.spacy``)."""

    doc_id: str
    text: str  # the clean body: every offset below points into it
    document: dict[str, Any]  # its row of documents.jsonl, without the manifest's metadata
    sentences: list[dict[str, Any]]  # its rows of sentences.jsonl (entities and stances inside)
    footnotes: list[dict[str, Any]]  # its rows of footnotes.jsonl (citations as CSL-JSON inside)
    tokens: list[dict[str, Any]]  # its rows of tokens.bio.jsonl
    doc: Doc  # the body as one spaCy Doc: sentences, entities (ent_id_), span group "stances"


def annotate(text: str, doc_id: str = "adhoc") -> Annotation:
    """Clean, segment and tag ``text`` (English, Japanese or both; text as extracted from a PDF,
    notes included) in memory, writing nothing. InputError if it holds only whitespace."""
    from .clean import clean_document
    from .export.docbin import bio_rows, document_doc
    from .export.fragments import document_row, footnote_row, sentence_row
    from .ingest import document_from_text
    from .segment import segment_document
    from .tag import tag_document_docs

    tag, sentence_docs = tag_document_docs(segment_document(clean_document(document_from_text(text), doc_id)))
    doc = document_doc(tag, sentence_docs)
    return Annotation(doc_id=doc_id, text=tag["text"], document={"doc_id": doc_id, **document_row({}, tag)},
                      sentences=[sentence_row(doc_id, s) for s in tag["sentences"]],
                      footnotes=[footnote_row(doc_id, f) for f in tag["footnotes"]],
                      tokens=list(bio_rows(tag, doc)), doc=doc)
