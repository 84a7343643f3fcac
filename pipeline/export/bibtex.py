"""BibTeX of the citation index. Hand-written: it is a field mapping plus escaping, and no
maintained library converts CSL-JSON to BibTeX without a citation processor it would drag in."""
from __future__ import annotations

import re
from typing import Any

BIBTEX_TYPES = {"article-journal": "article", "article-newspaper": "article", "article-magazine": "article",
                "report": "techreport", "legislation": "misc", "speech": "misc", "webpage": "misc", "document": "misc"}

_LATEX_SPECIAL = re.compile(r"([&%$#_{}])|(~)|(\^)|(\\)")


def _escape(value: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return "\\" + m.group(1)
        if m.group(2):
            return r"\textasciitilde{}"
        if m.group(3):
            return r"\textasciicircum{}"
        return r"\textbackslash{}"

    return _LATEX_SPECIAL.sub(repl, value)


def _names(authors: list[dict[str, str]]) -> str:
    out = []
    for a in authors:
        if "literal" in a:
            out.append("{" + _escape(a["literal"]) + "}")
        else:
            out.append(_escape(a["family"]) + (", " + _escape(a["given"]) if a.get("given") else ""))
    return " and ".join(out)


def bibtex_entry(work: dict[str, Any]) -> str:
    fields: list[tuple[str, str]] = []
    if work.get("author"):
        fields.append(("author", _names(work["author"])))
    if work.get("title"):
        fields.append(("title", "{" + _escape(work["title"]) + "}"))
    container = work.get("container-title")
    if container:
        fields.append(("journal" if work.get("type") == "article-journal" else "howpublished", _escape(container)))
    for csl, bib in (("volume", "volume"), ("issue", "number"), ("page", "pages"), ("DOI", "doi"), ("URL", "url")):
        if work.get(csl):
            value = work[csl].replace("-", "--") if csl == "page" else work[csl]
            fields.append((bib, value if csl in ("URL", "DOI") else _escape(value)))
    if work.get("issued"):
        fields.append(("year", work["issued"][:4]))
        fields.append(("date", work["issued"]))
    if work.get("accessed"):
        fields.append(("urldate", work["accessed"]))
    fields.append(("langid", {"ja": "japanese", "en": "english"}.get(work.get("language", ""), "english")))
    notes = [f"Title translation: {work['title-translation']}"] if work.get("title-translation") else []
    notes += [work["note"]] if work.get("note") else []
    if notes:
        fields.append(("note", _escape("; ".join(notes))))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{BIBTEX_TYPES.get(work.get('type', ''), 'misc')}{{{work['id']},\n{body}\n}}\n"
