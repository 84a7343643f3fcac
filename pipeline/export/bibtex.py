"""BibTeX of the citation index. Hand-written: it is a field mapping plus escaping, and no
maintained library converts CSL-JSON to BibTeX without a citation processor it would drag in."""
from __future__ import annotations

import re
from typing import Any

BIBTEX_TYPES = {"article-journal": "article", "article-newspaper": "article", "article-magazine": "article",
                "report": "techreport", "book": "book", "chapter": "incollection", "legislation": "misc",
                "legal_case": "misc", "speech": "misc", "webpage": "misc", "document": "misc"}
# what each entry type must hold (BibTeX's standard styles); an entry that lacks one becomes @misc
REQUIRED = {"article": ("author", "title", "journal", "year"),
            "techreport": ("author", "title", "institution", "year"),
            "book": ("author", "title", "publisher", "year"),
            "incollection": ("author", "title", "booktitle", "publisher", "year")}

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
    """A cited work as a BibTeX entry, with the fields its entry type requires: the container as
    ``journal`` for articles (newspapers and magazines too), the publisher (or the body that wrote
    it) as ``institution`` for reports; a work that lacks them is an ``@misc``."""
    kind = BIBTEX_TYPES.get(work.get("type", ""), "misc")
    fields: list[tuple[str, str]] = []
    if work.get("author"):
        fields.append(("author", _names(work["author"])))
    if work.get("title"):
        fields.append(("title", "{" + _escape(work["title"]) + "}"))
    container = work.get("container-title")
    bodies = [a["literal"] for a in work.get("author", []) if "literal" in a]
    institution = work.get("publisher") or (bodies[0] if bodies else None)
    if kind == "article" and container:
        fields.append(("journal", _escape(container)))
    elif kind == "incollection" and container:
        fields.append(("booktitle", _escape(container)))
    elif container:
        fields.append(("howpublished", _escape(container)))
    if kind == "techreport" and institution:
        fields.append(("institution", _escape(institution)))
    elif work.get("publisher"):
        fields.append(("publisher", _escape(work["publisher"])))
    if work.get("authority"):
        fields.append(("organization", _escape(work["authority"])))
    number = work.get("issue") or work.get("number")
    for bib, value in (("volume", work.get("volume")), ("number", number), ("pages", work.get("page"))):
        if value:
            fields.append((bib, _escape(value.replace("-", "--") if bib == "pages" else value)))
    for csl, bib in (("DOI", "doi"), ("URL", "url")):
        if work.get(csl):
            fields.append((bib, work[csl]))
    if kind == "misc" and work.get("URL") and not container:
        fields.append(("howpublished", "\\url{" + work["URL"] + "}"))
    if work.get("issued"):
        fields.append(("year", work["issued"][:4]))
        fields.append(("date", work["issued"]))
    if work.get("accessed"):
        fields.append(("urldate", work["accessed"]))
    fields.append(("langid", {"ja": "japanese", "en": "english"}.get(work.get("language", ""), "english")))
    notes = [f"Title translation: {work['title-translation']}"] if work.get("title-translation") else []
    notes += [work["note"]] if work.get("note") else []
    if work.get("number") and work.get("issue"):
        notes.append(str(work["number"]))
    if notes:
        fields.append(("note", _escape("; ".join(notes))))
    present = {name for name, _ in fields}
    if not all(name in present for name in REQUIRED.get(kind, ())):
        # @misc: the container (journal, book, institution) is how it was published
        kind = "misc"
        container_fields = ("journal", "booktitle", "institution")
        where = next((v for k, v in fields if k in container_fields), None)
        fields = [(k, v) for k, v in fields if k not in container_fields]
        if where is None and work.get("URL"):
            where = "\\url{" + work["URL"] + "}"
        if where is not None and "howpublished" not in present:
            fields.insert(2 if work.get("author") and work.get("title") else 1, ("howpublished", where))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{kind}{{{work['id']},\n{body}\n}}\n"
