"""The manifest (``corpus/manifest.jsonl``): each document's metadata, checked."""
from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Iterable

from ..text.io import InputError, iter_jsonl

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
