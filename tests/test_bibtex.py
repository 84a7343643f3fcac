"""citations.bib read back by bibtexparser 2: every entry parses and holds the fields its type
requires in BibTeX's standard styles; web pages are @misc with their URL."""
from __future__ import annotations

import bibtexparser
import pytest

from pipeline.export.bibtex import REQUIRED, bibtex_entry


def entries(text: str) -> list:
    library = bibtexparser.parse_string(text)
    assert not library.failed_blocks, [b.error for b in library.failed_blocks]
    return library.entries


def test_citations_bib_entries_hold_their_required_fields(seed_build):
    found = entries((seed_build / "annotations" / "citations.bib").read_text(encoding="utf-8"))
    assert found
    for entry in found:
        fields = {f.key for f in entry.fields}
        assert set(REQUIRED.get(entry.entry_type, ())) <= fields, (entry.key, entry.entry_type, fields)
        if entry.entry_type == "misc" and "url" in fields:
            assert "howpublished" in fields


@pytest.mark.parametrize("work, kind, expected", [
    ({"id": "a", "type": "article-journal", "author": [{"family": "Sato", "given": "Ken"}], "title": "Chips",
      "container-title": "Asian Survey", "issued": "2021", "volume": "61", "page": "1-20"}, "article",
     {"journal": "Asian Survey", "pages": "1--20"}),
    ({"id": "b", "type": "article-newspaper", "title": "Chips", "container-title": "Nikkei", "issued": "2022-05-01",
      "author": [{"literal": "Nikkei staff"}]}, "article", {"journal": "Nikkei"}),
    ({"id": "c", "type": "report", "title": "Review", "author": [{"literal": "METI"}], "issued": "2020"},
     "techreport", {"institution": "METI"}),
    ({"id": "d", "type": "article-journal", "title": "No journal", "issued": "2020"}, "misc", {}),  # → @misc
    ({"id": "e", "type": "webpage", "title": "Page", "URL": "https://example.org/x"}, "misc",
     {"url": "https://example.org/x", "howpublished": "\\url{https://example.org/x}"}),
])
def test_bibtex_entry_types_and_fields(work, kind, expected):
    (entry,) = entries(bibtex_entry(work))
    assert entry.entry_type == kind
    for key, value in expected.items():
        assert entry.fields_dict[key].value == value
