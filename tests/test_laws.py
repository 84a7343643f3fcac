"""Japanese laws: official numbers, the e-Gov law ids derived from them, checked against the e-Gov
URLs and files the corpus and the shared sources hold."""
from __future__ import annotations

import re

import pytest

from benchmarks.gold import CORPUS_MORE
from conftest import clean_text, needs_shared
from pipeline.segment import segment_document
from pipeline.tag import tag_document
from pipeline.tag.laws import cited_law_numbers, egov_law_id, law_numbers


@pytest.mark.parametrize("number, expected", [
    ("令和4年法律第43号", "504AC0000000043"),
    ("昭和24年法律第228号", "324AC0000000228"),
    ("昭和61年法律第71号", "361AC0000000071"),
    ("平成元年法律第1号", "401AC0000000001"),
    ("令和四年法律第四十三号", "504AC0000000043"),  # kanji numerals
    ("令和４年法律第４３号", "504AC0000000043"),  # full-width digits
    ("昭和55年政令第260号", None),  # a cabinet order: its id is not derived here
    ("Act No. 43 of 2022", None),
])
def test_egov_law_id(number, expected):
    assert egov_law_id(number) == expected


def test_every_listed_number_derives_an_id():
    assert law_numbers() and all(egov_law_id(n) for n in law_numbers().values())


def test_derived_ids_equal_the_egov_urls_the_seed_notes_cite(seed_clean):
    """A seed note cites 国家安全保障会議設置法 with its e-Gov URL: the id derived from the law's
    number is the URL's."""
    checked = 0
    for clean in seed_clean.values():
        tag = tag_document(segment_document(clean))
        for note in tag["footnotes"]:
            for c in note["citations"]:
                m = re.search(r"e-gov\.go\.jp/(?:document\?lawid=|law/)([0-9A-Z]+)", c.get("URL", ""))
                if not m:
                    continue
                law_ids = {e["id"] for e in note["entities"] if e["label"] == "LAW"}
                numbers = [law_numbers()[i] for i in law_ids if i in law_numbers()]
                assert numbers, (c, law_ids)
                assert {egov_law_id(n) for n in numbers} == {m.group(1)}
                assert {e.get("kb_id") for e in note["entities"] if e["label"] == "LAW"} == {m.group(1)}
                checked += 1
    assert checked >= 1


def test_derived_id_names_the_shared_egov_file():
    needs_shared(CORPUS_MORE)
    kb_id = egov_law_id(law_numbers()["law:fefta"])
    assert list(CORPUS_MORE.glob(f"ja-egov-*-{kb_id}-*.html"))


def test_law_mentions_carry_their_egov_id_and_the_record_lists_them():
    tag = tag_document(segment_document(clean_text("政府は経済安全保障推進法を着実に運用する。外為法も改正された。")))
    ents = {e["text"]: e.get("kb_id") for s in tag["sentences"] for e in s["entities"] if e["label"] == "LAW"}
    assert ents == {"経済安全保障推進法": "504AC0000000043", "外為法": "324AC0000000228"}
    assert tag["laws"]["law:esp-act"] == {"number": "令和4年法律第43号", "kb_id": "504AC0000000043",
                                          "url": "https://laws.e-gov.go.jp/law/504AC0000000043"}


def test_a_number_the_notes_cite_is_learnt():
    assert cited_law_numbers([{"type": "legislation", "title": "経済安全保障推進法", "number": "令和4年法律第43号"},
                              {"type": "legislation", "title": "No such law", "number": "令和4年法律第1号"}]) \
        == {"law:esp-act": "令和4年法律第43号"}
