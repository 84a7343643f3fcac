"""The style zoo (tests/data/styles): twelve documents written in other publishers' house styles,
English and Japanese, each with a hand-written gold file. Every note found whole and anchored to
its marker, no extra note, every page-break join made, no running head, footer or page number left
in the body, and every gold sentence kept."""
from __future__ import annotations

import pytest

from benchmarks.gold import score_style, style_documents

DOCUMENTS = style_documents()


def test_the_zoo_has_its_twelve_documents():
    assert len(DOCUMENTS) >= 12
    assert {p.name.split("_")[0] for p in DOCUMENTS} == {"en", "ja"}


@pytest.mark.parametrize("gold", DOCUMENTS, ids=[p.name.removesuffix(".gold.json") for p in DOCUMENTS])
def test_style_document_is_cleaned_as_its_gold_says(gold):
    score = score_style(gold)
    assert score.notes > 0 and score.sentences > 0
    assert score.misses == [], "\n".join(score.misses)
    assert score.ok


def test_every_style_document_builds_through_the_document_step(tmp_path):
    """What make runs for each document (clean, segment, tag, the export fragments) succeeds on all
    of them, and the notes the build writes are the ones scored above."""
    from benchmarks.gold import STYLES
    from pipeline.build.steps import document_step
    from pipeline.text.io import iter_jsonl

    for gold in DOCUMENTS:
        name = gold.name.removesuffix(".gold.json")
        tag = document_step(STYLES / f"{name}.txt", name, tmp_path / name, tmp_path / f"{name}.clean.txt")
        notes = list(iter_jsonl(tmp_path / name / "export" / "footnotes.jsonl"))
        assert len(notes) == len(tag["footnotes"]) == score_style(gold).notes


PDFTOTEXT_COMPLETE = ["pdfs-more/en-us-copyright-office-dmca-summary-1998.pdf", "pdfs/grobid-footnotes-test.pdf"]


@pytest.mark.parametrize("pdf", PDFTOTEXT_COMPLETE)
def test_pdftotext_extraction_in_the_zoo(pdf, tmp_path):
    """Real PDFs as pdftotext (poppler) extracts them, form feeds between pages and a note's label
    on a line of its own: every note found and anchored, no head, footer or page number left in
    the body, every join made (one across a list whose numbers pdftotext prints in a column of their
    own), every gold sentence kept."""
    from benchmarks.gold import pdf_gold_rows, score_pdftotext

    row = next(r for r in pdf_gold_rows() if r["pdf"] == pdf)
    score = score_pdftotext(row, tmp_path)
    if score is None:
        pytest.skip("pdftotext (Debian's poppler-utils) or the shared PDFs are missing")
    assert score.found == score.anchored == score.notes and not score.extra, score.misses
    assert score.residue == 0 and score.sentences_kept == score.sentences, score.misses
    assert score.joins_made == score.joins, score.misses
