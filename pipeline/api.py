"""The Python API: annotate a text in memory (``annotate``); load the corpus as DataFrames
(``load_corpus``)."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import pandas as pd
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


@dataclass
class Corpus:
    """The corpus files as pandas DataFrames (``load_corpus``)."""

    documents: pd.DataFrame  # documents.jsonl: one row per document
    sentences: pd.DataFrame  # sentences.jsonl: one row per sentence (its entities and stances as lists)
    entities: pd.DataFrame  # one row per mention, in sentences and notes
    stances: pd.DataFrame  # one row per stance
    footnotes: pd.DataFrame  # footnotes.jsonl: one row per note (its citations as a list)
    citations: pd.DataFrame  # citation_index.jsonl: one row per cited work


_ENTITY_COLUMNS = ["doc_id", "where", "sent_id", "fn_id", "lang", "page", "label", "id", "text", "start", "end",
                   "kb_id", "role"]
_STANCE_COLUMNS = ["doc_id", "sent_id", "lang", "page", "polarity", "cue", "holder", "holder_id", "target",
                   "target_id", "negated", "hedged", "start", "end", "cue_polarity", "target_inferred"]


def _read_jsonl(path: Path) -> list[dict[str, Any]]:
    import jsonlines
    import orjson

    with jsonlines.open(path, loads=orjson.loads) as reader:
        return list(reader)


def load_corpus(annotations: str | Path = "annotations") -> Corpus:
    """The corpus under ``annotations`` (the directory ``make`` writes) as DataFrames. Entity offsets
    are into the document's clean text for sentences (``where == "sentence"``) and into the note's
    text for notes (``where == "footnote"``)."""
    import pandas as pd

    base = Path(annotations)
    for name in ("documents.jsonl", "sentences.jsonl", "footnotes.jsonl", "citation_index.jsonl"):
        if not (base / name).is_file():
            raise FileNotFoundError(f"{base / name} not found: load_corpus needs the annotations directory "
                                    "that `make` writes")
    sentences = _read_jsonl(base / "sentences.jsonl")
    footnotes = _read_jsonl(base / "footnotes.jsonl")
    mentions = [{"doc_id": s["doc_id"], "where": "sentence", "sent_id": s["sent_id"], "fn_id": None,
                 "lang": s["lang"], "page": s["page"], **e} for s in sentences for e in s["entities"]]
    mentions += [{"doc_id": f["doc_id"], "where": "footnote", "sent_id": None, "fn_id": f["fn_id"],
                  "lang": f["lang"], "page": f["page"], **e} for f in footnotes for e in f["entities"]]
    stances = [{"doc_id": s["doc_id"], "sent_id": s["sent_id"], "lang": s["lang"], "page": s["page"], **st}
               for s in sentences for st in s["stances"]]
    return Corpus(
        documents=pd.DataFrame(_read_jsonl(base / "documents.jsonl")),
        sentences=pd.DataFrame(sentences),
        entities=pd.DataFrame(mentions, columns=_ENTITY_COLUMNS),
        stances=pd.DataFrame([{k: st.get(k) for k in _STANCE_COLUMNS} for st in stances], columns=_STANCE_COLUMNS),
        footnotes=pd.DataFrame(footnotes),
        citations=pd.DataFrame(_read_jsonl(base / "citation_index.jsonl")),
    )
