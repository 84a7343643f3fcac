"""Downstream formats: the DocBin round-trips sentences.jsonl; BIO rows; BibTeX."""
from __future__ import annotations

import json

import pytest
import spacy

from conftest import ROOT
from pipeline.export.bibtex import bibtex_entry


def sentences_by_doc(root):
    rows = {}
    for line in (root / "annotations" / "sentences.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows.setdefault(row["doc_id"], []).append(row)
    return rows


def test_docbins_load_in_two_lines_and_round_trip_the_jsonl(seed_build):
    from spacy.training import Corpus

    docs = [eg.reference for eg in Corpus(str(seed_build / "annotations" / "corpus.spacy"))(spacy.blank("xx"))]
    docs.sort(key=lambda d: d.user_data["doc_id"])
    by_doc = sentences_by_doc(seed_build)
    assert [d.user_data["doc_id"] for d in docs] == sorted(by_doc)
    for doc in docs:
        rows = by_doc[doc.user_data["doc_id"]]
        clean = (seed_build / "corpus" / "clean" / f"{doc.user_data['doc_id']}.txt").read_text(encoding="utf-8")
        assert doc.text == clean
        sents = []
        for s in doc.sents:
            words = [t for t in s if not t.is_space]
            sents.append((words[0].idx, words[-1].idx + len(words[-1].text)))
        assert sents == [(r["start"], r["end"]) for r in rows]
        expected_ents = [(e["start"], e["end"], e["label"], e["id"], e.get("kb_id", "")) for r in rows for e in r["entities"]]
        assert [(e.start_char, e.end_char, e.label_, e.ent_id_, e.kb_id_) for e in doc.ents] == expected_ents
        assert any(e.kb_id_ for e in doc.ents) or not any("kb_id" in e for r in rows for e in r["entities"])
        expected_stances = [(st["start"], st["end"], st["polarity"]) for r in rows for st in r["stances"]]
        assert [(s.start_char, s.end_char, s.label_) for s in doc.spans["stances"]] == expected_stances
        details = doc.user_data["stances"]
        assert [d["holder"] for d in details] == [st["holder"] for r in rows for st in r["stances"]]


def test_bio_rows_match_entities(seed_build):
    by_doc = sentences_by_doc(seed_build)
    for line in (seed_build / "annotations" / "tokens.bio.jsonl").read_text(encoding="utf-8").splitlines():
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


def test_bibtex_has_every_work(seed_build):
    bib = (seed_build / "annotations" / "citations.bib").read_text(encoding="utf-8")
    works = (seed_build / "annotations" / "citation_index.jsonl").read_text(encoding="utf-8").splitlines()
    assert bib.count("\n@") + bib.startswith("@") == len(works)


def spacy_doc_the_slow_way(tag):
    """The reference for ``export_tokens``: the Doc that spaCy itself makes of a tag record, its
    sentences tokenized afresh, the text between them a token each, entities through
    ``Doc.char_span`` and the ``doc.ents`` setter, stance cues as the span group."""
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    from pipeline.tag import build_nlp

    text, words, spaces, sent_starts = tag["text"], [], [], [0]

    def add_gap(gap):
        if gap[:1] == " " and words and not spaces[-1]:
            spaces[-1], gap = True, gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)

    pos = 0
    for s in tag["sentences"]:
        add_gap(text[pos:s["start"]])
        sent_starts.append(len(words))
        for token in build_nlp("ja" if s["lang"] == "ja" else "en").make_doc(s["text"]):
            words.append(token.text)
            spaces.append(bool(token.whitespace_))
        pos = s["end"]
    add_gap(text[pos:])
    doc = Doc(Vocab(), words=words, spaces=spaces,
              sent_starts=[i in sent_starts for i in range(len(words))] if words else None)
    assert doc.text == text
    ents, stances, details = [], [], []
    for s in tag["sentences"]:
        for e in s["entities"]:
            ents.append(doc.char_span(e["start"], e["end"], label=e["label"], span_id=e["id"], kb_id=e.get("kb_id", "")))
        for st in s["stances"]:
            span = doc.char_span(st["start"], st["end"], alignment_mode="expand")
            stances.append(Span(doc, span.start, span.end, label=st["polarity"]))
            details.append({k: v for k, v in st.items() if k not in ("start", "end")})
    doc.ents = ents
    doc.spans["stances"] = stances
    doc.user_data.update(doc_id=tag["doc_id"], sent_ids=[s["sent_id"] for s in tag["sentences"]], stances=details)
    return doc


def spacys_doc_bin_bytes(doc, attrs=None):
    from spacy.tokens import DocBin

    from pipeline.export.docbin import DOC_BIN_ATTRS

    doc_bin = DocBin(attrs=DOC_BIN_ATTRS if attrs is None else attrs, store_user_data=True)
    doc_bin.add(doc)
    return doc_bin.to_bytes()


def test_doc_bin_bytes_equal_spacys_docbin_on_the_seeds(seed_clean):
    """The DocBin built from the tag stage's Docs is spaCy's DocBin of the Doc made afresh from the
    tag record; the columns it stores hold all that Doc has."""
    from spacy.tokens import DocBin
    from spacy.vocab import Vocab

    from pipeline.export.docbin import doc_bin_bytes, document_doc
    from pipeline.segment import segment_document
    from pipeline.tag import tag_document_docs

    for doc_id in sorted(seed_clean):
        tag, docs = tag_document_docs(segment_document(seed_clean[doc_id]))
        reference = spacy_doc_the_slow_way(tag)
        expected = spacys_doc_bin_bytes(reference)
        assert doc_bin_bytes(document_doc(tag, docs)) == expected
        # the columns left out (tag, lemma, parse ...) are empty: every column loads back the same
        every_column = DocBin(store_user_data=True)
        every_column.add(reference)
        ours, full = (next(DocBin().from_bytes(data).get_docs(Vocab())) for data in (expected, every_column.to_bytes()))
        assert ours.to_json() == full.to_json() and ours.user_data == full.user_data
        assert [(sp.start, sp.end, sp.label_) for sp in ours.spans["stances"]] == \
            [(sp.start, sp.end, sp.label_) for sp in full.spans["stances"]]


def made_up_tag(text, sentences, entities=(), stances=()):
    """A tag record of ``text`` by hand: sentences as (start, end), entities as (start, end,
    label, id), stance cues as (start, end, polarity), each put in the sentence holding it."""
    sents = [{"sent_id": f"t-s{k}", "start": a, "end": b, "text": text[a:b], "lang": "en", "paragraph": 0,
              "entities": [], "stances": []} for k, (a, b) in enumerate(sentences)]

    def holder(a):
        return next(s for s in sents if s["start"] <= a < s["end"])

    for a, b, label, ent_id in entities:
        holder(a)["entities"].append({"start": a, "end": b, "label": label, "text": text[a:b], "id": ent_id})
    for a, b, polarity in stances:
        holder(a)["stances"].append({"start": a, "end": b, "cue": text[a:b], "polarity": polarity, "holder": None})
    return {"doc_id": "t", "text": text, "sentences": sents}


def sentence_docs_of(tag):
    """What the tag stage would hand over for a made-up record: each sentence tokenized by the
    English pipeline's tokenizer, with the record's entities."""
    from spacy.tokens import Span

    from pipeline.tag import build_nlp

    docs = []
    for s in tag["sentences"]:
        doc = build_nlp("en").make_doc(s["text"])
        doc.ents = [Span(doc, sp.start, sp.end, label=e["label"], span_id=e["id"]) for e in s["entities"]
                    for sp in [doc.char_span(e["start"] - s["start"], e["end"] - s["start"])]]
        docs.append(doc)
    return docs


@pytest.mark.parametrize("tag", [
    made_up_tag("", []),
    made_up_tag("\n\n", []),
    made_up_tag("Heading\n\nJapan backed it. ", [(9, 25)]),
    # text between sentences that starts with a space, and a sentence holding a run of spaces
    made_up_tag("Tokyo  opposed the Act.  It agreed.\n", [(0, 23), (25, 35)],
                entities=[(0, 5, "GPE", "gpe:japan"), (15, 22, "LAW", "")], stances=[(7, 14, "oppose")]),
    # a cue starting in a token's trailing space, one ending mid-token, and adjacent entities
    made_up_tag("METI MOFA strongly backs reform.", [(0, 32)],
                entities=[(0, 4, "ORG", "org:meti"), (5, 9, "ORG", "org:mofa")],
                stances=[(9, 24, "support"), (25, 28, "support")]),
], ids=["empty", "only-blank", "text-before-and-after", "spaces", "cue-edges"])
def test_doc_bin_bytes_equal_spacys_docbin_for_made_up_documents(tag):
    """Edge cases of the document Doc: spaCy's DocBin of the Doc made afresh, byte for byte."""
    from pipeline.export.docbin import doc_bin_bytes, document_doc

    assert doc_bin_bytes(document_doc(tag, sentence_docs_of(tag))) == spacys_doc_bin_bytes(spacy_doc_the_slow_way(tag))


def test_document_doc_refuses_docs_of_other_sentences():
    from conftest import clean_text
    from pipeline.export.docbin import document_doc
    from pipeline.segment import segment_document
    from pipeline.tag import tag_document_docs

    tag, docs = tag_document_docs(segment_document(clean_text(
        "The Ministry of Economy, Trade and Industry (METI) backed the bill.\n\n"
        "経済産業省は法案を支持した。METI later said more.")))
    with pytest.raises(ValueError, match="not the clean text"):
        document_doc(tag, list(reversed(docs)))
    with pytest.raises(ValueError, match="sentence Docs for"):
        document_doc(tag, docs[:-1])


def test_bio_rows_of_a_made_up_document():
    """Tokens, offsets and B/I tags per sentence, with a multi-word entity, a Japanese sentence and
    paragraph breaks between sentences."""
    from conftest import clean_text
    from pipeline.export.docbin import bio_rows, document_doc
    from pipeline.segment import segment_document
    from pipeline.tag import tag_document_docs

    text = ("The Ministry of Economy, Trade and Industry met.\n\nIt said no.\n\n"
            "経済産業省は反対した。")
    tag, sentence_docs = tag_document_docs(segment_document(clean_text(text)))
    rows = list(bio_rows(tag, document_doc(tag, sentence_docs)))
    clean = tag["text"]
    assert [r["sent_id"] for r in rows] == [s["sent_id"] for s in tag["sentences"]]
    assert rows[0]["tokens"][:3] == ["The", "Ministry", "of"]
    assert rows[0]["tags"][:7] == ["O", "B-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG", "I-ORG"]
    assert rows[0]["tags"][7:] == ["I-ORG", "O", "O"]  # "Industry", "met", "."
    assert rows[1]["tokens"] == ["It", "said", "no", "."] and set(rows[1]["tags"]) == {"O"}
    assert rows[2]["lang"] == "ja" and rows[2]["tags"][0] == "B-ORG" and rows[2]["tokens"][0] == "経済"
    for row in rows:
        assert all(clean[st:st + len(tok)] == tok for st, tok in zip(row["starts"], row["tokens"]))


def test_bio_rows_leave_out_whitespace_tokens():
    """A run of spaces inside a sentence is a token of the Doc (spaCy's way) but gets no BIO row.
    Cleaning collapses such runs, so only a tag record made otherwise holds one."""
    from pipeline.export.docbin import bio_rows, document_doc

    tag = made_up_tag("Tokyo  opposed the Act.", [(0, 23)], entities=[(0, 5, "GPE", "gpe:japan")])
    doc = document_doc(tag, sentence_docs_of(tag))
    assert " " in [t.text for t in doc]
    [row] = bio_rows(tag, doc)
    assert row["tokens"] == ["Tokyo", "opposed", "the", "Act", "."]
    assert row["starts"] == [0, 7, 15, 19, 22] and row["tags"] == ["B-GPE", "O", "O", "O", "O"]


def test_spacy_trains_a_ner_for_one_epoch_on_a_slice_of_the_docbins(seed_build, tmp_path):
    """The DocBins train with `spacy train`: a config of the pipeline's one component, filled with
    spaCy's defaults (`spacy init fill-config`), one epoch on forty sentences of one seed."""
    import subprocess
    import sys

    import spacy
    from spacy.tokens import DocBin

    nlp = spacy.blank("en")
    doc = next(DocBin().from_disk(seed_build / "annotations" / "corpus.spacy" / "001_bb8bacf331d9a962.spacy")
               .get_docs(nlp.vocab))
    train = DocBin(attrs=["ORTH", "ENT_IOB", "ENT_TYPE", "SENT_START"])
    for sent in list(doc.sents)[:40]:
        train.add(sent.as_doc())
    train.to_disk(tmp_path / "train.spacy")
    (tmp_path / "base.cfg").write_text('[nlp]\nlang = "en"\npipeline = ["ner"]\n\n[components]\n\n'
                                       '[components.ner]\nfactory = "ner"\n', encoding="utf-8")
    spacy_cli = [sys.executable, "-m", "spacy"]
    subprocess.run([*spacy_cli, "init", "fill-config", "base.cfg", "config.cfg"], cwd=tmp_path, check=True,
                   capture_output=True)
    subprocess.run([*spacy_cli, "train", "config.cfg", "--paths.train", "train.spacy", "--paths.dev", "train.spacy",
                    "--training.max_epochs", "1", "--output", "out"], cwd=tmp_path, check=True, capture_output=True)
    trained = spacy.load(tmp_path / "out" / "model-last")
    assert set(trained.get_pipe("ner").labels) >= {"ORG", "GPE"}
