"""A document's share of every corpus file, made once when the document is tagged, so that the
corpus-wide export only concatenates."""
from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from ..records import (FOOTNOTE_FIELDS, SENTENCE_FIELDS, DocumentRow, Extracted, FootnoteRow, SentenceRow,
                       UnanchoredNote)
from ..text.io import atomic_write_bytes, csv_text, dumps_line

if TYPE_CHECKING:  # spaCy loads only where a document is tagged: the corpus export does without it
    from spacy.tokens import Doc

def sentence_row(doc_id: str, s: dict[str, Any]) -> SentenceRow:
    """A tagged sentence as its line of ``sentences.jsonl``."""
    return {"doc_id": doc_id, **{k: s[k] for k in SENTENCE_FIELDS}}  # type: ignore[return-value]


def footnote_row(doc_id: str, f: dict[str, Any]) -> FootnoteRow:
    """A tagged note as its line of ``footnotes.jsonl``."""
    return {"doc_id": doc_id, **{k: f[k] for k in FOOTNOTE_FIELDS}}  # type: ignore[return-value]


def document_counts(tag: dict[str, Any]) -> dict[str, Any]:
    """A document's counts, as documents.jsonl and the site's index and data card show them."""
    sentences, footnotes = tag["sentences"], tag["footnotes"]
    entity_counts = Counter(e["label"] for s in sentences for e in s["entities"])
    stance_counts = Counter(st["polarity"] for s in sentences for st in s["stances"])
    lang_counts = Counter(s["lang"] for s in sentences)
    return {
        "characters": len(tag["text"]),
        "paragraphs": len(tag["paragraphs"]),
        "sentences": len(sentences),
        "sentences_by_lang": dict(sorted(lang_counts.items())),
        "footnotes": len(footnotes),
        "footnotes_unanchored": sum(1 for f in footnotes if f["anchor"] is None),
        "citations": sum(len(f["citations"]) for f in footnotes),
        "entities": dict(sorted(entity_counts.items())),
        "stances": dict(sorted(stance_counts.items())),
    }


def document_row(meta: dict[str, Any], tag: dict[str, Any]) -> DocumentRow:
    """A tagged document as its line of ``documents.jsonl``, with the manifest's metadata ``meta``
    (``{}`` for the document's fragment, which the export completes)."""
    extracted = tag["metadata"]
    return {  # type: ignore[typeddict-item]
        **meta,
        "source": tag["source"],
        "extracted": {k: extracted[k] for k in Extracted.__annotations__},
        "counts": document_counts(tag),
        "unlinked_markers": tag["unlinked_markers"],
        "unanchored_notes": [{key: f[key] for key in UnanchoredNote.__annotations__}
                             for f in tag["footnotes"] if f["anchor"] is None],
        "removed": tag["removed"],
        "abbreviations": tag["abbreviations"],
        "laws": tag["laws"],
        "paragraphs": tag["paragraphs"],
    }


def stats_rows(tag: dict[str, Any]) -> dict[str, Any]:
    """The document's rows of the ``make stats`` tables, counted and in order here, so that the
    corpus-wide step only concatenates and adds up: entity mentions by (label, id), stances by
    (holder, target, polarity), citations by (language, type, web domain)."""
    from urllib.parse import urlsplit

    entities = Counter((e["label"], e["id"]) for e, _, _ in _mentions(tag))
    stances = Counter((st["holder_id"] or st["holder"] or "(none)", st["target_id"] or st["target"] or "(none)",
                       st["polarity"]) for s in tag["sentences"] for st in s["stances"])
    citations = Counter((c.get("language"), c.get("type"),
                         (urlsplit(c["URL"]).hostname or "").removeprefix("www.") if c.get("URL") else "(no URL)")
                        for f in tag["footnotes"] for c in f["citations"])
    return stats_fragment(tag["doc_id"], {"entities": entities, "stances": stances, "citations": citations})


def stats_fragment(doc_id: str, counts: dict[str, Counter[tuple[Any, ...]]]) -> dict[str, Any]:
    """A document's ``stats.json``: for each table (entities, stances, citations), its rows
    ``[*key, count]`` in ``row_order``, and the same rows as the lines of the per-document CSV
    table (``doc_id`` first): the stats step joins those instead of writing 100,000 rows itself."""
    rows = {table: count_rows(counter) for table, counter in counts.items()}
    return {"doc_id": doc_id, **rows,
            "csv": {table: document_csv_lines(doc_id, table_rows) for table, table_rows in rows.items()}}


def document_csv_lines(doc_id: str, rows: Iterable[Sequence[Any]]) -> str:
    """A document's rows of a per-document stats table as CSV lines, ``doc_id`` first."""
    return csv_text([doc_id, *row] for row in rows)


def summary_row(tag: dict[str, Any]) -> dict[str, Any]:
    """What the site's index page and the data card show of a document, small so that they read
    it fast: its counts, entity mentions by label and where (``sentences en`` ...), and the first
    three names seen per label and language (the data card's examples)."""
    mentions = _mentions(tag)
    examples: dict[str, list[str]] = {}
    for e, _, lang in mentions:
        seen = examples.setdefault(f"{e['label']} {lang}", [])
        if e["text"] not in seen and len(seen) < 3:
            seen.append(e["text"])
    return {"doc_id": tag["doc_id"], "counts": document_counts(tag), "laws": tag["laws"],
            "mentions": count_rows(Counter((e["label"], f"{where} {lang}") for e, where, lang in mentions)),
            "examples": examples}


def _mentions(tag: dict[str, Any]) -> list[tuple[dict[str, Any], str, str]]:
    """Every entity mention with where it is (sentences, footnotes) and that text's language."""
    mentions = [(e, "sentences", s["lang"]) for s in tag["sentences"] for e in s["entities"]]
    return mentions + [(e, "footnotes", f["lang"]) for f in tag["footnotes"] for e in f["entities"]]


def row_order(key: Sequence[Any]) -> tuple[tuple[bool, Any], ...]:
    """The order of the count tables' rows: by each cell, a missing value (None) last."""
    return tuple((v is None, "" if v is None else v) for v in key)


def count_rows(counter: Mapping[Any, int]) -> list[list[Any]]:
    """``counter``'s (key tuple, count) pairs as rows ``[*key, count]``, in ``row_order``."""
    return [[*key, counter[key]] for key in sorted(counter, key=row_order)]


def document_fragments(tag: dict[str, Any], sentence_docs: Sequence[Doc]) -> dict[str, bytes]:
    """A document's share of every corpus file, made once per document (in the tag stage's
    process) so that the corpus export only concatenates: one changed document re-exports fast.
    ``sentence_docs``: the tag stage's Docs of the sentences (see ``formats.document_doc``)."""
    from .docbin import bio_rows, doc_bin_bytes, document_doc

    doc_id = tag["doc_id"]
    doc = document_doc(tag, sentence_docs)
    line = dumps_line
    return {
        "document.json": line(document_row({}, tag)),
        "sentences.jsonl": b"".join(line(sentence_row(doc_id, s)) for s in tag["sentences"]),
        "footnotes.jsonl": b"".join(line(footnote_row(doc_id, f)) for f in tag["footnotes"]),
        "citations.jsonl": b"".join(line({"doc_id": doc_id, "fn_id": f["fn_id"], "citation": c})
                                    for f in tag["footnotes"] for c in f["citations"]),
        "tokens.bio.jsonl": b"".join(line(row) for row in bio_rows(tag, doc)),
        "doc.spacy": doc_bin_bytes(doc),
        "stats.json": line(stats_rows(tag)),
        "summary.json": line(summary_row(tag)),
    }


def write_fragments(fragments: dict[str, bytes], out_dir: str | Path) -> None:
    """Write ``document_fragments``' files into ``out_dir`` (``build/<doc_id>/export``)."""
    out = Path(out_dir)
    for name, content in fragments.items():
        atomic_write_bytes(out / name, content)
