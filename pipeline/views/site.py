"""The corpus-wide views: the site's index and citation pages, the data card, and the stats."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from ..export.manifest import corpus_fragments
from ..text.io import atomic_write_text, iter_jsonl, read_fragments
from .datacard import write_datacard
from .html import render_citations, render_index
from .stats import write_corpus_stats

def write_site_index(annotations: str | Path, summaries: list[dict[str, Any]], manifest: dict[str, dict[str, Any]]
                     ) -> None:
    """The index page and the citation index page (``annotations/html/``) and the data card
    (``annotations/README.md``), from the documents' ``summary.json`` fragments, the manifest and
    the citation index: not from the export's documents.jsonl, so the site need not wait for it."""
    annotations = Path(annotations)
    out = annotations / "html"
    docs = [{**manifest[d["doc_id"]], **d} for d in summaries]
    atomic_write_text(out / "citations.html", render_citations(list(iter_jsonl(annotations / "citation_index.jsonl"))))
    write_datacard(annotations, docs)
    atomic_write_text(out / "index.html", render_index(docs))  # last: make tracks the group by it


def load_site_inputs(manifest_path: str | Path, fragment_dirs: list[str | Path]
                     ) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """The documents' summary fragments and the manifest, checked to list the same documents."""
    manifest, by_doc = corpus_fragments(manifest_path, fragment_dirs)
    return read_fragments(by_doc.values(), "summary.json"), manifest


def write_views(annotations: str | Path, manifest_path: str | Path, fragment_dirs: list[str | Path]) -> None:
    """Every corpus-wide view in one process: the stats tables and plot, the site index and
    citation pages, and the data card (``make`` runs them as two rules, ``site`` and ``stats``)."""
    summaries, manifest = load_site_inputs(manifest_path, fragment_dirs)
    write_corpus_stats(fragment_dirs, Path(annotations) / "stats", echo=False)
    write_site_index(annotations, summaries, manifest)
