"""Stage 4, export: per-document tag records -> the corpus files under ``annotations/``.

Each document's share of every file is made by ``document_fragments`` when the document is
tagged; the export concatenates the shares in doc_id order, adds the manifest metadata and
builds the citation index, so it reads no full tag record and its memory stays flat (only the
index, which is small, is held whole).
"""
from __future__ import annotations

import csv
import io
import re
from collections import Counter
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Mapping, Sequence

from .io import (AtomicJsonlWriter, InputError, atomic_concatenate, atomic_write_bytes, atomic_write_text,
                 csv_text, dumps, dumps_line, iter_jsonl, read_json)
from .labels import CSL_FIELDS  # not from .citations: the parser's modules cost the corpus-wide steps 25 ms

if TYPE_CHECKING:  # spaCy loads only where a document is tagged: the corpus export does without it
    from spacy.tokens import Doc

MANIFEST_REQUIRED = ("doc_id", "file", "title", "authors", "year", "publisher", "languages", "source_url", "licence")


def load_manifest(path: str | Path) -> dict[str, dict[str, Any]]:
    """Manifest rows by doc_id; InputError for a missing field or a duplicate doc_id."""
    rows: dict[str, dict[str, Any]] = {}
    for n, row in enumerate(iter_jsonl(path), 1):
        missing = [k for k in MANIFEST_REQUIRED if k not in row or row[k] in (None, "")]
        if missing:
            raise InputError(path, f"line {n}: missing {', '.join(missing)} (write \"unknown\" if not known)")
        doc_id = row["doc_id"]
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", str(doc_id)):
            raise InputError(path, f"line {n}: doc_id {doc_id!r} may hold only letters, digits, _ . -")
        if doc_id in rows:
            raise InputError(path, f"line {n}: duplicate doc_id {doc_id!r}")
        if Path(row["file"]).stem != doc_id:
            raise InputError(path, f"line {n}: file {row['file']!r} does not match doc_id {doc_id!r}")
        rows[doc_id] = row
    return rows


def _sentence_row(doc_id: str, s: dict[str, Any]) -> dict[str, Any]:
    return {"doc_id": doc_id, **{k: s[k] for k in (
        "sent_id", "lang", "start", "end", "text", "entities", "stances", "footnotes", "paragraph", "kind",
        "page", "raw_start", "raw_end")}}


def _footnote_row(doc_id: str, f: dict[str, Any]) -> dict[str, Any]:
    return {"doc_id": doc_id, **{k: f[k] for k in (
        "fn_id", "marker", "number", "text", "anchor", "citations", "commentary", "lang", "entities", "emphasis",
        "page", "raw_start", "raw_end")}}


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


def _document_row(meta: dict[str, Any], tag: dict[str, Any]) -> dict[str, Any]:
    extracted = tag["metadata"]
    return {
        **meta,
        "source": tag["source"],
        "extracted": {k: extracted[k] for k in ("title", "abstract", "keywords", "front_matter", "back_matter", "links")},
        "counts": document_counts(tag),
        "unlinked_markers": tag["unlinked_markers"],
        "removed": tag["removed"],
        "abbreviations": tag["abbreviations"],
        "paragraphs": tag["paragraphs"],
    }


def csl_item(work: dict[str, Any]) -> dict[str, Any]:
    """A CSL-JSON item for Zotero/pandoc: ISO dates become date-parts, our extra keys go."""
    item: dict[str, Any] = {"id": work["id"]}
    for key in CSL_FIELDS:
        if key not in work:
            continue
        value = work[key]
        if key in ("issued", "accessed"):
            value = {"date-parts": [[int(p) for p in value.split("-")]]}
        elif key == "author":
            value = [{k: v for k, v in name.items() if k in ("family", "given", "literal")} for name in value]
        elif key == "title-translation":
            # Not a CSL 1.0 variable; keep it readable for Zotero users in the note.
            item["note"] = (item.get("note", "") + "; " if item.get("note") else "") + f"Title translation: {value}"
            continue
        item[key] = value
    return item


class CitationIndex:
    """Distinct cited works (by ``work_id``) and every footnote that cites each."""

    def __init__(self) -> None:
        self.fields = CSL_FIELDS
        self.works: dict[str, dict[str, Any]] = {}
        self._seen: set[tuple[str, str, str]] = set()  # (work, doc, note): a note citing a work twice counts once

    def add(self, doc_id: str, fn_id: str, citation: dict[str, Any]) -> None:
        wid = citation.get("work_id")
        if not wid:
            return  # an ibid. with nothing before it to refer to
        work = self.works.get(wid)
        if work is None:
            work = {"id": wid, **{k: citation[k] for k in self.fields if k in citation}, "cited_by": []}
            self.works[wid] = work
        else:
            for k in self.fields:  # a later citation may give a field the first one lacked
                if k in citation and k not in work:
                    work[k] = citation[k]
        if (wid, doc_id, fn_id) not in self._seen:
            self._seen.add((wid, doc_id, fn_id))
            work["cited_by"].append({"doc_id": doc_id, "fn_id": fn_id})

    def rows(self) -> list[dict[str, Any]]:
        return [self.works[k] for k in sorted(self.works)]


CSV_COLUMNS = ["id", "type", "author", "title", "title_translation", "container_title", "issued", "accessed", "url",
               "doi", "language", "cited_by", "times_cited"]


def _csv(rows: list[dict[str, Any]]) -> str:
    """The citation index as a flat table, one row per work. The csv module, not pandas: the
    export reruns on every change, and importing pandas would cost it more than the writing."""

    def names(authors: list[dict[str, str]]) -> str:
        return "; ".join(a.get("literal") or ", ".join(p for p in (a.get("family"), a.get("given")) if p)
                         for a in authors)

    buf = io.StringIO()
    writer = csv.DictWriter(buf, CSV_COLUMNS, lineterminator="\n", quoting=csv.QUOTE_MINIMAL)
    writer.writeheader()
    writer.writerows({
        "id": r["id"], "type": r.get("type"), "author": names(r.get("author", [])), "title": r.get("title"),
        "title_translation": r.get("title-translation"), "container_title": r.get("container-title"),
        "issued": r.get("issued"), "accessed": r.get("accessed"), "url": r.get("URL"), "doi": r.get("DOI"),
        "language": r.get("language"), "cited_by": "; ".join(f"{c['doc_id']}#{c['fn_id']}" for c in r["cited_by"]),
        "times_cited": len(r["cited_by"]),
    } for r in rows)
    return buf.getvalue()


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
    return {"doc_id": tag["doc_id"], "counts": document_counts(tag),
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
    from .formats import bio_rows, doc_bin_bytes, document_doc

    doc_id = tag["doc_id"]
    doc = document_doc(tag, sentence_docs)
    line = dumps_line
    return {
        "document.json": line(_document_row({}, tag)),
        "sentences.jsonl": b"".join(line(_sentence_row(doc_id, s)) for s in tag["sentences"]),
        "footnotes.jsonl": b"".join(line(_footnote_row(doc_id, f)) for f in tag["footnotes"]),
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


def corpus_fragments(manifest_path: str | Path, fragment_dirs: Iterable[str | Path]
                     ) -> tuple[dict[str, dict[str, Any]], dict[str, Path]]:
    """The manifest rows, and the documents' fragment directories by doc_id in doc_id order;
    InputError unless the directories are exactly the documents the manifest lists."""
    manifest = load_manifest(manifest_path)
    by_doc = {Path(p).parent.name: Path(p) for p in fragment_dirs}
    unknown = sorted(set(by_doc) - set(manifest))
    if unknown:
        raise InputError(manifest_path, f"no manifest line for {', '.join(unknown)}")
    missing = sorted(set(manifest) - set(by_doc))
    if missing:
        raise InputError(manifest_path, f"listed but not built (no raw file or its build failed): {', '.join(missing)}")
    return manifest, {d: by_doc[d] for d in sorted(by_doc)}


def export_corpus(manifest_path: str | Path, fragment_dirs: Iterable[str | Path], out_dir: str | Path) -> dict[str, int]:
    """Write the corpus JSONL files in ``annotations/`` (documents, sentences, footnotes, BIO
    tokens) from the documents' fragments; returns row counts. The citation index is
    ``export_citation_index``: a separate step, so that the site, which needs it, does not wait
    for the big concatenations. No progress bar: it takes about half a second for 1,000
    documents, and importing tqdm would add a tenth to that."""
    manifest, by_doc = corpus_fragments(manifest_path, fragment_dirs)
    out = Path(out_dir)
    counts = {"documents": 0, "sentences": 0, "footnotes": 0}
    with AtomicJsonlWriter(out / "documents.jsonl") as docs_w:
        for doc_id, fragments in by_doc.items():
            row = read_json(fragments / "document.json")
            docs_w.write({**row, **manifest[doc_id]})
            counts["sentences"] += row["counts"]["sentences"]
            counts["footnotes"] += row["counts"]["footnotes"]
        counts["documents"] = docs_w.count
    for name in ("sentences.jsonl", "footnotes.jsonl", "tokens.bio.jsonl"):
        atomic_concatenate(out / name, [fragments / name for fragments in by_doc.values()])
    # annotations/corpus.spacy/<doc_id>.spacy are copied per document by make (one DocBin per document:
    # memory stays flat and a change rewrites one file); drop those of documents now gone.
    for stale in (out / "corpus.spacy").glob("*.spacy"):
        if stale.stem not in by_doc:
            stale.unlink()
    return counts


def export_citation_index(manifest_path: str | Path, fragment_dirs: Iterable[str | Path], out_dir: str | Path) -> int:
    """The citation index of every cited work and the notes citing it, from the documents'
    ``citations.jsonl`` fragments: ``citation_index.jsonl`` and ``.csv``, ``citations.csl.json``
    and ``citations.bib`` in ``out_dir``. Returns the number of works."""
    from .formats import bibtex_entry

    _, by_doc = corpus_fragments(manifest_path, fragment_dirs)
    index = CitationIndex()
    for fragments in by_doc.values():
        for ref in iter_jsonl(fragments / "citations.jsonl"):
            index.add(ref["doc_id"], ref["fn_id"], ref["citation"])
    out = Path(out_dir)
    works = index.rows()
    with AtomicJsonlWriter(out / "citation_index.jsonl") as idx_w:
        for w in works:
            idx_w.write(w)
    atomic_write_text(out / "citation_index.csv", _csv(works))
    atomic_write_text(out / "citations.csl.json",
                      "[\n" + ",\n".join(dumps(csl_item(w)) for w in works) + "\n]\n" if works else "[]\n")
    atomic_write_text(out / "citations.bib", "\n".join(bibtex_entry(w) for w in works))
    return len(works)
