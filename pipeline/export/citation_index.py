"""The citation index: every cited work and the notes citing it, as JSONL, CSV, CSL-JSON and BibTeX."""
from __future__ import annotations

import csv
import io
from pathlib import Path
from typing import Any, Iterable

from ..text.io import AtomicJsonlWriter, atomic_write_text, dumps, iter_jsonl
from ..text.labels import CSL_FIELDS
from .bibtex import bibtex_entry
from .manifest import corpus_fragments

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


def export_citation_index(manifest_path: str | Path, fragment_dirs: Iterable[str | Path], out_dir: str | Path) -> int:
    """The citation index of every cited work and the notes citing it, from the documents'
    ``citations.jsonl`` fragments: ``citation_index.jsonl`` and ``.csv``, ``citations.csl.json``
    and ``citations.bib`` in ``out_dir``. Returns the number of works."""
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
