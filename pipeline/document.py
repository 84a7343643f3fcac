"""Stages 1-3 (clean, segment, tag) of one document in one process: what make runs per document.

The stages stay separate pure functions, each with its own CLI command. Running the three in
one process saves two interpreter start-ups and the imports the stages share (ftfy, wordfreq,
SudachiPy), which is most of the time a one-document rebuild spends before tagging. Nothing is
written until all three have succeeded, so a document that fails leaves no partial outputs.
"""
from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .io import atomic_write_text, write_json

if TYPE_CHECKING:
    from spacy.tokens import Doc


def process_document(raw_path: str | Path, doc_id: str, timings: dict[str, float] | None = None
                     ) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], list[Doc]]:
    """The clean, segment and tag records of the raw document at ``raw_path``, and the tag
    stage's sentence Docs (for the export fragments). ``timings``, if given, gets each stage's
    seconds."""
    from .clean import clean_document
    from .segment import segment_document
    from .source import read_document
    from .tag import tag_document_docs

    t0 = time.perf_counter()
    clean = clean_document(read_document(raw_path), doc_id)
    t1 = time.perf_counter()
    seg = segment_document(clean)
    t2 = time.perf_counter()
    tag, sentence_docs = tag_document_docs(seg)
    if timings is not None:
        timings.update(clean=t1 - t0, segment=t2 - t1, tag=time.perf_counter() - t2)
    return clean, seg, tag, sentence_docs


def build_document(raw_path: str | Path, doc_id: str, build_dir: str | Path, clean_text_path: str | Path,
                   timings: dict[str, float] | None = None) -> dict[str, Any]:
    """Clean, segment and tag one document and write what the three stage commands write:
    ``clean_text_path``, and ``clean.json``, ``segment.json``, ``export/*`` (the document's
    share of the corpus files) and ``tag.json`` (last) in ``build_dir``. Returns the tag record.
    ``timings``, if given, gets each stage's seconds; writing the files counts as tagging."""
    from .export import document_fragments, write_fragments

    clean, seg, tag, sentence_docs = process_document(raw_path, doc_id, timings)
    t0 = time.perf_counter()
    fragments = document_fragments(tag, sentence_docs)
    build = Path(build_dir)
    atomic_write_text(clean_text_path, clean["text"])
    write_json(build / "clean.json", clean)
    write_json(build / "segment.json", seg)
    write_fragments(fragments, build / "export")
    write_json(build / "tag.json", tag)
    if timings is not None:
        timings["tag"] += time.perf_counter() - t0
    return tag
