"""The identity of a cited work (``work_id``), and ibid./同上 resolved to the work it repeats."""
from __future__ import annotations

import hashlib
import re
import unicodedata
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from ..text.labels import CSL_FIELDS

def normalise_url(url: str) -> str:
    parts = urlsplit(url.strip())
    host = (parts.hostname or "").lower().removeprefix("www.")
    path = parts.path.rstrip("/") or "/"
    return urlunsplit(("", host, path, parts.query, ""))[2:]


def normalise_text(text: str) -> str:
    text = unicodedata.normalize("NFKC", text).casefold()
    return re.sub(r"[\W_]+", "", text)


def work_key(cit: dict[str, Any]) -> str:
    """Duplicates share a key: the normalised URL, else normalised title + first author."""
    if cit.get("DOI"):
        return "doi:" + cit["DOI"].lower()
    if cit.get("URL"):
        return "url:" + normalise_url(cit["URL"])
    authors = cit.get("author") or [{}]
    first = authors[0].get("family") or authors[0].get("literal") or ""
    return "title:" + normalise_text(cit.get("title", "")) + "|" + normalise_text(first)


def work_id(cit: dict[str, Any]) -> str:
    return "w" + hashlib.sha1(work_key(cit).encode("utf-8")).hexdigest()[:12]


def resolve_ibid(citation: dict[str, Any], previous: dict[str, Any] | None) -> dict[str, Any]:
    """An ibid. takes the fields of the work cited just before it (its own page wins)."""
    if previous is None:
        unresolved = {k: v for k, v in citation.items() if k not in ("note_ref", "ref_author")}
        return {**unresolved, "type": "document", "language": "en", "note": "ibid. with no earlier citation to refer to"}
    resolved = {k: v for k, v in previous.items() if k in CSL_FIELDS or k == "work_id"}
    resolved.update({k: v for k, v in citation.items() if k in ("page", "span")})
    resolved["ibid"] = True
    return resolved


def referred_work(citation: dict[str, Any], by_note: dict[int, list[dict[str, Any]]]) -> dict[str, Any] | None:
    """The work a 前掲注5 / "supra note 5" citation points to: among the works note 5 cites, the one
    whose first author its name prefix gives (高橋・前掲注（5）), else the first; None without a note
    number or if that note cites nothing."""
    works = by_note.get(citation.get("note_ref", -1), [])
    who = citation.get("ref_author")
    if who:
        for work in works:
            first = (work.get("author") or [{}])[0]
            if (first.get("family") or first.get("literal") or "").startswith(who):
                return work
    return works[0] if works else None
