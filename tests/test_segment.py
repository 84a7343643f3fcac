"""Sentence segmentation: golden rules, made-up English/Japanese cases, exact offsets, the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import BENCHMARKS, ROOT, needs_shared
from pipeline.segment import detect_lang, segment_document, split_sentences
from pipeline.segment.component import sentence_pipeline


def sents(text: str) -> list[str]:
    return [text[a:b] for a, b in split_sentences(text)]


def golden_rules():
    path = BENCHMARKS / "sentence_golden_rules.jsonl"
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.mark.parametrize("case", golden_rules(), ids=lambda c: c["id"])
def test_golden_rules(case):
    from benchmarks.bench import golden_input

    text = golden_input(case)
    assert sents(text) == case["sentences"]


def test_golden_rules_present():
    needs_shared(BENCHMARKS / "sentence_golden_rules.jsonl")
    cases = golden_rules()
    assert sum(c["lang"] == "en" for c in cases) == 48 and sum(c["lang"] == "ja" for c in cases) == 5


@pytest.mark.parametrize("text,expected", [
    ("Japan and the United States will invest US$4.5 billion. Tokyo agreed.",
     ["Japan and the United States will invest US$4.5 billion.", "Tokyo agreed."]),
    ("It set up a fund of about 1.15 billion yen. It helps firms.",
     ["It set up a fund of about 1.15 billion yen.", "It helps firms."]),
    ("See Vol. 44, No. 3 of the journal. It is cited, e.g. by Prof. Tanaka, i.e. widely.",
     ["See Vol. 44, No. 3 of the journal.", "It is cited, e.g. by Prof. Tanaka, i.e. widely."]),
    ("Between 2014 and 2017, 236 cases of flooding occurred. 33,000 people died as a result.",
     ["Between 2014 and 2017, 236 cases of flooding occurred.", "33,000 people died as a result."]),
    ("The U.S. government agreed. The U.S. The end.", ["The U.S. government agreed.", "The U.S.", "The end."]),
    ('He said, "If elected, I will give top priority to countering China." Taro Kono agreed.',
     ['He said, "If elected, I will give top priority to countering China."', "Taro Kono agreed."]),
    ("The meeting began at 9 a.m. and ended at noon.", ["The meeting began at 9 a.m. and ended at noon."]),
])
def test_english_cases(text, expected):
    assert sents(text) == expected


@pytest.mark.parametrize("text,expected", [
    ("経済安全保障推進法が成立した。政府は「重要物資の供給網を強化する。」と述べた。",
     ["経済安全保障推進法が成立した。", "政府は「重要物資の供給網を強化する。」と述べた。"]),
    ("本当か？（注：確認中。）次へ。", ["本当か？", "（注：確認中。）次へ。"]),
    ("率は3.29%だった。次に進む!", ["率は3.29%だった。", "次に進む!"]),
    ("『白書。本文。』を読む。", ["『白書。本文。』を読む。"]),
])
def test_japanese_cases(text, expected):
    assert sents(text) == expected


def test_mixed_english_and_japanese_paragraphs():
    text = "The law passed in 2022.\n\n経済安全保障推進法が成立した。同法は重要だ。\n\nJapan agreed."
    out = sents(text)
    assert out == ["The law passed in 2022.", "経済安全保障推進法が成立した。", "同法は重要だ。", "Japan agreed."]
    assert [detect_lang(s) for s in out] == ["en", "ja", "ja", "en"]


def test_language_of_an_english_sentence_quoting_a_japanese_name():
    assert detect_lang("The Diet passed the 経済安全保障推進法 in May 2022.") == "en"
    assert detect_lang("政府は法案を閣議決定した。") == "ja"


def test_blank_lines_always_end_sentences():
    assert sents("A heading\n\nBody text. More.") == ["A heading", "Body text.", "More."]


@pytest.mark.parametrize("text", ["", "   ", "\n\n", "。。。", "....", "(((", "a"])
def test_degenerate_inputs(text):
    spans = split_sentences(text)
    assert all(text[a:b].strip() == text[a:b] and text[a:b] for a, b in spans)


def test_spacy_component_agrees_with_splitter():
    text = "I live in the U.S. How about you? At 5 a.m. Mr. Smith left. これはペンです。それは何ですか？"
    doc = sentence_pipeline("en")(text)
    assert [s.text.strip() for s in doc.sents] == sents(text)


def test_long_mixed_paragraph_in_the_component_and_the_cli():
    """Thousands of sentences in one paragraph, Japanese ones glued to English tokens: the spaCy
    component's sentences are still the splitter's, and so are the CLI's (the text is over
    SudachiPy's 49,149-byte input limit, which a Japanese spaCy pipeline would hit)."""
    text = "".join(f"Point {i} is made. これは{i}番目です。" for i in range(3000))
    assert len(text.encode("utf-8")) > 49149
    doc = sentence_pipeline("en")(text)
    assert [s.text.strip() for s in doc.sents] == sents(text)
    out = subprocess.run([sys.executable, "-m", "pipeline", "sentences"], cwd=ROOT,
                         input=text, capture_output=True, text=True, check=True)
    assert [json.loads(line) for line in out.stdout.splitlines()] == sents(text)


def test_sentences_cli_reads_stdin():
    out = subprocess.run([sys.executable, "-m", "pipeline", "sentences"], cwd=ROOT,
                         input="これはペンです。それはマーカーです。", capture_output=True, text=True, check=True)
    assert [json.loads(line) for line in out.stdout.splitlines()] == ["これはペンです。", "それはマーカーです。"]


def test_sentences_cli_stops_quietly_when_its_reader_does():
    """``sentences < big.txt | head -1``: the closed pipe ends the command, without a traceback."""
    text = "".join(f"This is sentence {i}. " for i in range(20000))
    proc = subprocess.Popen([sys.executable, "-m", "pipeline", "sentences"], cwd=ROOT, stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    proc.stdin.write(text)
    proc.stdin.close()
    assert json.loads(proc.stdout.readline()) == "This is sentence 0."
    proc.stdout.close()  # the reader stops after one line
    assert proc.wait(timeout=60) == 1
    assert proc.stderr.read() == ""


def test_seed_sentences_tile_the_body_and_link_footnotes(seed_clean):
    for _doc_id, clean in seed_clean.items():
        seg = segment_document(clean)
        text = seg["text"]
        pos = 0
        for s in seg["sentences"]:
            assert s["text"] == text[s["start"]:s["end"]]
            assert not text[pos:s["start"]].strip()
            pos = s["end"]
        assert not text[pos:].strip()
        linked = [fn for s in seg["sentences"] for fn in s["footnotes"]]
        anchored = [fn["fn_id"] for fn in clean["footnotes"] if fn["anchor"] is not None]
        assert sorted(linked) == sorted(anchored)
        # provenance: the raw span of a sentence starts with the sentence's first word
        raw = open(clean["source"]["path"], encoding="utf-8").read()
        for s in seg["sentences"]:
            assert raw[s["raw_start"]:].startswith(s["text"].split()[0].strip("*")), s["sent_id"]


def test_seed_sentence_with_footnote(seed_clean):
    seg = segment_document(seed_clean["000_3f07d82da313b0d5"])
    first = next(s for s in seg["sentences"] if s["footnotes"] == ["fn2"])
    assert first["text"].startswith("An economic security strategy usually refers")
    assert first["text"].endswith("foreign policy goals.")
