"""Stage 4, export: the documents' fragments concatenated into the corpus files under
``annotations/``, in doc_id order, with the manifest's metadata; memory stays flat."""
from __future__ import annotations

from pathlib import Path
from typing import Iterable

from ..text.io import AtomicJsonlWriter, atomic_concatenate, read_json
from .manifest import corpus_fragments

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
