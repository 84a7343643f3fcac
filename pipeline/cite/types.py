"""The CSL type of a cited work: from its container and web domain (``patterns/citation_sources.tsv``)
and from its structure (volume and issue, a law's title, a speech)."""
from __future__ import annotations

import functools
import re
from typing import Any
from urllib.parse import urlsplit

from .. import patterns

@functools.lru_cache(maxsize=None)
def _source_types() -> tuple[list[tuple[re.Pattern[str], str]], list[tuple[str, str]]]:
    containers, domains = [], []
    for _, (kind, pattern, csl_type, *_) in patterns.rows("citation_sources.tsv", 3):
        if kind == "container":
            containers.append((re.compile(pattern, re.IGNORECASE), csl_type))
        else:
            domains.append((pattern.lower(), csl_type))
    return containers, domains


_LAW = re.compile(r"(?:法|法律|条例|政令|省令)(?:案)?$|\b(?:Act|Law|Bill|Code|Ordinance|Regulation|Treaty)\b(?:\s+(?:of|on)\s+\d{4})?$")
_STATEMENT = re.compile(r"^(?:joint\s+)?(?:statement|declaration|communiqu[eé]|press\s+release|readout)\b|共同声明|声明$", re.I)


def container_type(container: str) -> str | None:
    """The CSL type that a container's name tells (a newspaper, a journal, a magazine), if any."""
    containers, _ = _source_types()
    return next((csl_type for pattern, csl_type in containers if pattern.search(container)), None)


def citation_type(fields: dict[str, Any]) -> str:
    containers, domains = _source_types()
    title = fields.get("title", "")
    container = fields.get("container-title", "")
    host = urlsplit(fields["URL"]).hostname or "" if "URL" in fields else ""
    domain_type = next((t for d, t in domains if host == d or host.endswith("." + d)), None)
    if domain_type == "legislation" or (title and _LAW.search(title) and not container and not fields.get("author")):
        return "legislation"
    if fields.get("genre") == "speech" or "event" in fields and re.search(r"speech|address", fields.get("genre", ""), re.I):
        return "speech"
    if any(k in fields for k in ("volume", "issue")) or (fields.get("page") and container):
        return "article-journal"
    if container:
        for pattern, csl_type in containers:
            if pattern.search(container):
                return csl_type
    if domain_type:
        return domain_type
    if _STATEMENT.search(title) or any(re.search(r"public relations|press office", a.get("literal", ""), re.I)
                                       for a in fields.get("author", [])):
        return "document"  # statements, declarations, press releases
    if re.search(r"brief|report|paper|document", fields.get("genre", ""), re.I):
        return "report"
    if "URL" in fields:
        return "report" if urlsplit(fields["URL"]).path.lower().endswith(".pdf") else "webpage"
    return "document"
