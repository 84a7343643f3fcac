"""Ingest: a raw document (.txt extracted from a PDF, or a .pdf) read into blocks with raw offsets."""
from __future__ import annotations

import hashlib
from pathlib import Path

from ..text.io import InputError, plain_text, read_text_strict
from .blocks import Block, RawDocument, split_blocks, split_pages

__all__ = ["Block", "RawDocument", "SUPPORTED_SUFFIXES", "document_from_text", "read_document", "split_blocks"]
SUPPORTED_SUFFIXES = (".txt", ".pdf")


def read_document(path: str | Path, name: str | None = None) -> RawDocument:
    """Read a .txt (UTF-8, text extracted from a PDF) or .pdf into blocks; InputError if unusable.
    ``name``: the path to record as the document's source (default ``path`` as given)."""
    p = Path(path)
    name = str(p) if name is None else name
    suffix = p.suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise InputError(p, f"unsupported file type {suffix or '(none)'}; expected .txt or .pdf")
    if not p.exists():
        raise InputError(p, "no such file")
    if suffix == ".pdf":
        from .pdf import read_pdf  # imported lazily: pypdfium2 loads a native library

        return read_pdf(p, name)
    text = read_text_strict(p)
    digest = hashlib.sha256(p.read_bytes()).hexdigest()
    blocks, pages = split_pages(text)
    return RawDocument(name, "txt", text, blocks, digest, pages)


def document_from_text(text: str, name: str = "<text>") -> RawDocument:
    """A raw document from a string (text extracted from a PDF, as a .txt file holds it)."""
    text = plain_text(text, name)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    blocks, pages = split_pages(text)
    return RawDocument(name, "txt", text, blocks, digest, pages)
