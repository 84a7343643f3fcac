"""Downstream formats: the DocBin round-trips sentences.jsonl; BIO rows; BibTeX."""
from __future__ import annotations

import json

import pytest
import spacy

from conftest import ROOT
from pipeline.formats import bibtex_entry


def sentences_by_doc():
    rows = {}
    for line in (ROOT / "annotations" / "sentences.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows.setdefault(row["doc_id"], []).append(row)
    return rows


def test_docbins_load_in_two_lines_and_round_trip_the_jsonl():
    from spacy.training import Corpus

    docs = [eg.reference for eg in Corpus(str(ROOT / "annotations" / "corpus.spacy"))(spacy.blank("xx"))]
    docs.sort(key=lambda d: d.user_data["doc_id"])
    by_doc = sentences_by_doc()
    assert [d.user_data["doc_id"] for d in docs] == sorted(by_doc)
    for doc in docs:
        rows = by_doc[doc.user_data["doc_id"]]
        clean = (ROOT / "corpus" / "clean" / f"{doc.user_data['doc_id']}.txt").read_text(encoding="utf-8")
        assert doc.text == clean
        sents = []
        for s in doc.sents:
            words = [t for t in s if not t.is_space]
            sents.append((words[0].idx, words[-1].idx + len(words[-1].text)))
        assert sents == [(r["start"], r["end"]) for r in rows]
        expected_ents = [(e["start"], e["end"], e["label"], e["id"]) for r in rows for e in r["entities"]]
        assert [(e.start_char, e.end_char, e.label_, e.ent_id_) for e in doc.ents] == expected_ents
        expected_stances = [(st["start"], st["end"], st["polarity"]) for r in rows for st in r["stances"]]
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["stances"]] == expected_stances
        details = doc.user_data["stances"]
        assert [d["holder"] for d in details] == [st["holder"] for r in rows for st in r["stances"]]


def test_bio_rows_match_entities():
    by_doc = sentences_by_doc()
    for line in (ROOT / "annotations" / "tokens.bio.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        sent = next(s for s in by_doc[row["doc_id"]] if s["sent_id"] == row["sent_id"])
        assert len(row["tokens"]) == len(row["tags"]) == len(row["starts"])
        begins = [(st, tok) for st, tok, tag in zip(row["starts"], row["tokens"], row["tags"]) if tag.startswith("B-")]
        assert [st for st, _ in begins] == [e["start"] for e in sent["entities"]]
        for tag in row["tags"]:
            assert tag == "O" or tag[:2] in ("B-", "I-")


def test_bibtex_entry_escapes_and_maps_fields():
    entry = bibtex_entry({"id": "w1", "type": "article-journal", "title": "Tariffs & Trade: 100% {hard}",
                          "author": [{"family": "Igata", "given": "Akira"}, {"literal": "Ministry of Economy, Trade and Industry"}],
                          "container-title": "The Washington Quarterly", "volume": "44", "issue": "3", "page": "25-42",
                          "issued": "2021-07", "language": "en", "DOI": "10.1/x_y", "title-translation": "T"})
    assert entry.startswith("@article{w1,")
    assert "author = {Igata, Akira and {Ministry of Economy, Trade and Industry}}" in entry
    assert r"title = {{Tariffs \& Trade: 100\% \{hard\}}}" in entry
    assert "pages = {25--42}" in entry and "number = {3}" in entry and "doi = {10.1/x_y}" in entry
    assert "note = {Title translation: T}" in entry


def test_committed_bibtex_has_every_work():
    bib = (ROOT / "annotations" / "citations.bib").read_text(encoding="utf-8")
    works = (ROOT / "annotations" / "citation_index.jsonl").read_text(encoding="utf-8").splitlines()
    assert bib.count("\n@") + bib.startswith("@") == len(works)


def test_spacy_doc_from_the_tag_stage_docs_equals_a_fresh_tokenization():
    """The export reuses the tag stage's sentence Docs; the DocBin is the same as from scratch,
    and Docs that do not belong to the sentences are refused."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from conftest import clean_text
    from pipeline.formats import DOC_BIN_ATTRS, doc_bin_bytes, to_spacy_doc
    from pipeline.segment import segment_document
    from pipeline.tag import tag_document_docs

    tag, docs = tag_document_docs(segment_document(clean_text(
        "The Ministry of Economy, Trade and Industry (METI) backed the bill.\n\n"
        "経済産業省は法案を支持した。METI later said more.")))

    def docbin_bytes(doc):
        doc_bin = DocBin(attrs=DOC_BIN_ATTRS, store_user_data=True)
        doc_bin.add(doc)
        return doc_bin.to_bytes()

    assert docbin_bytes(to_spacy_doc(tag, Vocab(), docs)) == docbin_bytes(to_spacy_doc(tag, Vocab()))
    assert doc_bin_bytes(to_spacy_doc(tag, Vocab(), docs)) == docbin_bytes(to_spacy_doc(tag, Vocab()))
    with pytest.raises(ValueError, match="do not rebuild the clean text"):
        to_spacy_doc(tag, Vocab(), list(reversed(docs)))


def test_doc_bin_bytes_equal_spacys_docbin_on_the_seeds(seed_clean):
    """``doc_bin_bytes`` skips DocBin.add's loop over Token objects; the bytes stay spaCy's own,
    and do not depend on what an earlier document left in the shared vocab. The columns it
    stores hold all the Doc has."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from pipeline.formats import DOC_BIN_ATTRS, doc_bin_bytes, to_spacy_doc
    from pipeline.segment import segment_document
    from pipeline.tag import tag_document_docs

    shared = Vocab()
    for doc_id in sorted(seed_clean):
        tag, docs = tag_document_docs(segment_document(seed_clean[doc_id]))
        doc_bin = DocBin(attrs=DOC_BIN_ATTRS, store_user_data=True)
        doc_bin.add(to_spacy_doc(tag, Vocab(), docs))
        expected = doc_bin.to_bytes()
        assert doc_bin_bytes(to_spacy_doc(tag, shared, docs)) == expected
        assert expected == (ROOT / "annotations" / "corpus.spacy" / f"{doc_id}.spacy").read_bytes()
        # the columns left out (tag, lemma, parse ...) are empty: every column loads back the same
        every_column = DocBin(store_user_data=True)
        every_column.add(to_spacy_doc(tag, Vocab(), docs))
        ours, full = (next(DocBin().from_bytes(data).get_docs(Vocab())) for data in (expected, every_column.to_bytes()))
        assert ours.to_json() == full.to_json() and ours.user_data == full.user_data
        assert [(sp.start, sp.end, sp.label_) for sp in ours.spans["stances"]] == \
            [(sp.start, sp.end, sp.label_) for sp in full.spans["stances"]]


@pytest.mark.parametrize("groups", [{}, {"stances": []}, {"stances": [(0, 1, "support", "", "")],
                                                         "other": [(1, 3, "X", "kb:1", "id:1"), (0, 2, "Y", "", "")]}])
def test_doc_bin_bytes_equal_spacys_docbin_for_any_span_groups(groups):
    """No span groups, an empty one, and two with knowledge-base ids and span ids (which
    ``doc_bin_bytes`` packs itself, as SpanGroup.to_bytes does): spaCy's own bytes each time."""
    from spacy.tokens import Doc, DocBin, Span
    from spacy.vocab import Vocab

    from pipeline.formats import DOC_BIN_ATTRS, doc_bin_bytes

    doc = Doc(Vocab(), words=["Japan", "argues", "firmly", "."], spaces=[True, True, False, False])
    doc.user_data["doc_id"] = "d"
    for key, spans in groups.items():
        doc.spans[key] = [Span(doc, a, b, label=label, kb_id=kb, span_id=sid) for a, b, label, kb, sid in spans]
    doc_bin = DocBin(attrs=DOC_BIN_ATTRS, store_user_data=True)
    doc_bin.add(doc)
    assert doc_bin_bytes(doc) == doc_bin.to_bytes()


def test_bio_rows_of_a_made_up_document():
    """Tokens, offsets and B/I tags per sentence, with a multi-word entity, a Japanese sentence and
    paragraph breaks between sentences (whitespace tokens get no row)."""
    from spacy.vocab import Vocab

    from conftest import clean_text
    from pipeline.formats import bio_rows, to_spacy_doc
    from pipeline.segment import segment_document
    from pipeline.tag import tag_document_docs

    text = ("The Ministry of Economy, Trade and Industry met.\n\nIt said no.\n\n"
            "経済産業省は反対した。")
    tag, sentence_docs = tag_document_docs(segment_document(clean_text(text)))
    rows = list(bio_rows(tag, to_spacy_doc(tag, Vocab(), sentence_docs)))
    clean = tag["text"]
    assert [r["sent_id"] for r in rows] == [s["sent_id"] for s in tag["sentences"]]
    assert rows[0]["tokens"][:3] == ["The", "Ministry", "of"]
    assert rows[0]["tags"][:7] == ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG"]
    assert rows[0]["tags"][7:] == ["I-ORG", "O", "O"]  # "Industry", "met", "."
    assert rows[1]["tokens"] == ["It", "said", "no", "."] and set(rows[1]["tags"]) == {"O"}
    assert rows[2]["lang"] == "ja" and rows[2]["tags"][0] == "B-ORG" and rows[2]["tokens"][0] == "経済"
    for row in rows:
        assert all(clean[st:st + len(tok)] == tok for st, tok in zip(row["starts"], row["tokens"]))
        assert not any(tok.isspace() for tok in row["tokens"])
