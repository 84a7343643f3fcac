"""The build's steps, each reading and writing files: what every command of ``python -m pipeline``
runs, what the Makefile's rules run through those commands, and what the worker pool runs.

The stages themselves (``clean_document``, ``segment_document``, ``tag_document_docs``) are pure
functions of records; a step adds the files. A document's outputs are written only once all its
stages have succeeded, each atomically, so a document that fails leaves no partial outputs.
"""
from __future__ import annotations

import shutil
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from ..export.fragments import document_fragments, write_fragments
from ..text.io import InputError, atomic_write_text, read_json, write_json

if TYPE_CHECKING:
    from spacy.tokens import Doc

# ---------------------------------------------------------------------------------------------
# One document


def clean_step(raw_path: str | Path, doc_id: str, out: str | Path, text_out: str | Path) -> dict[str, Any]:
    """``clean``: the raw document -> ``clean.json`` and the clean body text (``corpus/clean``)."""
    from ..clean import clean_document
    from ..ingest import read_document

    record = clean_document(read_document(raw_path), doc_id)
    atomic_write_text(text_out, record["text"])
    write_json(out, record)  # last: make tracks the pair by it
    return record


def segment_step(clean_json: str | Path, out: str | Path) -> dict[str, Any]:
    """``segment``: ``clean.json`` -> ``segment.json``."""
    from ..segment import segment_document

    record = segment_document(read_json(clean_json))
    write_json(out, record)
    return record


def tag_step(segment_json: str | Path, out: str | Path, fragments_dir: str | Path | None = None) -> dict[str, Any]:
    """``tag``: ``segment.json`` -> ``tag.json``, and the document's share of the corpus files in
    ``fragments_dir`` if given."""
    from ..tag import tag_document_docs

    record, sentence_docs = tag_document_docs(read_json(segment_json))
    if fragments_dir is not None:
        write_fragments(document_fragments(record, sentence_docs), fragments_dir)
    write_json(out, record)  # last: make tracks it with the fragments as one group
    return record


def process_document(raw_path: str | Path, doc_id: str
                     ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[Doc]]:
    """The clean, segment and tag records of the raw document at ``raw_path``, in memory, and the
    tag stage's sentence Docs (for the export fragments)."""
    from ..clean import clean_document
    from ..ingest import read_document
    from ..segment import segment_document
    from ..tag import tag_document_docs

    clean = clean_document(read_document(raw_path), doc_id)
    seg = segment_document(clean)
    tag, sentence_docs = tag_document_docs(seg)
    return clean, seg, tag, sentence_docs


def write_document_outputs(clean: dict[str, Any], seg: dict[str, Any], tag: dict[str, Any], sentence_docs: list[Doc],
                           build_dir: str | Path, text_out: str | Path) -> None:
    """What the ``clean``, ``segment`` and ``tag`` steps write, from their records: the clean
    text, ``clean.json``, ``segment.json``, ``export/*`` and ``tag.json`` (last) in ``build_dir``."""
    build = Path(build_dir)
    fragments = document_fragments(tag, sentence_docs)
    atomic_write_text(text_out, clean["text"])
    write_json(build / "clean.json", clean)
    write_json(build / "segment.json", seg)
    write_fragments(fragments, build / "export")
    write_json(build / "tag.json", tag)


def document_step(raw_path: str | Path, doc_id: str, build_dir: str | Path, text_out: str | Path) -> dict[str, Any]:
    """``document``: the ``clean``, ``segment`` and ``tag`` steps in one process (what ``make``
    runs per document: two interpreter start-ups fewer, and the imports they share loaded once).
    Returns the tag record."""
    clean, seg, tag, sentence_docs = process_document(raw_path, doc_id)
    write_document_outputs(clean, seg, tag, sentence_docs, build_dir, text_out)
    return tag


def spacy_doc_step(fragments_dir: str | Path, out: str | Path) -> None:
    """The document's DocBin into ``annotations/corpus.spacy/<doc_id>.spacy`` (a copy)."""
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    shutil.copyfile(Path(fragments_dir) / "doc.spacy", tmp)
    tmp.replace(out)


def page_step(tag: dict[str, Any] | str | Path, manifest: dict[str, dict[str, Any]] | str | Path, out: str | Path) -> None:
    """``html-page``: the document's page of the site, from its tag record (or ``tag.json``) and
    the manifest (rows by doc_id, or its path)."""
    from ..export.manifest import load_manifest
    from ..views.html import write_document_page

    record = tag if isinstance(tag, dict) else read_json(tag)
    rows = manifest if isinstance(manifest, dict) else load_manifest(manifest)
    if record["doc_id"] not in rows:
        raise InputError("corpus/manifest.jsonl" if isinstance(manifest, dict) else manifest,
                         f"no manifest line for {record['doc_id']}")
    write_document_page(record, rows[record["doc_id"]], out)


# ---------------------------------------------------------------------------------------------
# The corpus


def export_step(manifest: str | Path, fragment_dirs: Iterable[str | Path], out_dir: str | Path) -> dict[str, int]:
    """``export``: the corpus JSONL files in ``annotations/``."""
    from ..export.corpus import export_corpus

    return export_corpus(manifest, fragment_dirs, out_dir)


def citation_index_step(manifest: str | Path, fragment_dirs: Iterable[str | Path], out_dir: str | Path) -> int:
    """``citation-index``: the citation index (JSONL, CSV, CSL-JSON, BibTeX) in ``annotations/``."""
    from ..export.citation_index import export_citation_index

    return export_citation_index(manifest, fragment_dirs, out_dir)


def site_step(fragment_dirs: list[str | Path], manifest: str | Path, annotations: str | Path) -> None:
    """``site``: the site's index and citation pages, and the data card."""
    from ..views.site import load_site_inputs, write_site_index

    write_site_index(annotations, *load_site_inputs(manifest, fragment_dirs))


def stats_step(fragment_dirs: list[str | Path], out_dir: str | Path, echo: bool = False) -> None:
    """``stats``: the stats tables and the stance plot."""
    from ..views.stats import write_corpus_stats

    write_corpus_stats(fragment_dirs, out_dir, echo=echo)


def export_tasks_step(annotations: str | Path, fmt: str, out: str | Path, docs: list[str] | None = None,
                      clean_dir: str | Path = "corpus/clean") -> list[Path]:
    """The corpus's sentences (of ``docs``, default all) as annotation-tool tasks under ``out``."""
    from ..export.tasks import export_tasks
    from ..text.io import iter_jsonl

    rows = [s for s in iter_jsonl(Path(annotations) / "sentences.jsonl") if not docs or s["doc_id"] in docs]
    missing = set(docs or ()) - {s["doc_id"] for s in rows}
    if missing:
        raise InputError(Path(annotations) / "sentences.jsonl", f"no sentences of {', '.join(sorted(missing))}")
    texts = {d: (Path(clean_dir) / f"{d}.txt").read_text(encoding="utf-8") for d in {s["doc_id"] for s in rows}}
    return export_tasks(rows, texts, fmt, Path(out))


def import_corrections_step(directory: str | Path, fmt: str, gold_dir: str | Path = "corpus/gold") -> list[Path]:
    """Corrected tasks back as gold layers, ``corpus/gold/<doc_id>.jsonl`` (one per document)."""
    from ..export.tasks import import_corrections, write_gold

    return write_gold(import_corrections(Path(directory), fmt), Path(gold_dir))


def eval_step(gold_dir: str | Path, annotations: str | Path, out: str | Path | None = None) -> dict[str, Any]:
    """The annotations scored against every gold layer, written to ``out`` (default
    annotations/eval.json) and shown in the site (annotations/html/eval.html)."""
    out = Path(annotations) / "eval.json" if out is None else out
    from ..export.evaluate import evaluate
    from ..text.io import iter_jsonl

    from ..views.html import render_eval

    gold = {path.stem: list(iter_jsonl(path)) for path in sorted(Path(gold_dir).glob("*.jsonl"))}
    scores = evaluate(gold, iter_jsonl(Path(annotations) / "sentences.jsonl"))
    write_json(out, scores)
    atomic_write_text(Path(annotations) / "html" / "eval.html", render_eval(scores))
    return scores


def cross_pages_step(annotations: str | Path) -> None:
    """The site across documents: a page per entity and per stance holder, and the sentence search."""
    from ..tag.aliases import load_aliases
    from ..views.crosspages import write_cross_pages

    aliases: dict[str, list[tuple[str, str]]] = {}
    for a in load_aliases():
        aliases.setdefault(a.id, []).append((a.lang, a.text))
    write_cross_pages(annotations, aliases)
