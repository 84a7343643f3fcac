"""Property-based tests: arbitrary Unicode never crashes a stage, and the offset invariants hold."""
from __future__ import annotations

import json
import re

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import clean_text
from pipeline.cite import parse_footnote
from pipeline.segment import split_sentences, segment_document
from pipeline.tag import tag_document
from pipeline.clean.tracked import Anchor, Tracked

# Text that looks like what the stages meet: words in Latin and Japanese script, footnote markers,
# markdown artifacts, quotes and brackets, punctuation, control characters, blank lines.
PIECES = st.sampled_from([
    "Japan", "the", "Ministry of Economy, Trade and Industry", "METI", "LDP", "U.S.", "Mr.", "e.g.", "No.",
    "経済安全保障", "推進法", "外為法", "自民党", "は", "を", "。", "、", "「", "」", "（", "）", "！", "？",
    "¹", "²", "¹⁶", "*", "**", "[x](#)", "\\$", "-", "\u00ad", "\u3000", "\u2f00", "ＡＢ", "…", ". . .",
    ".", "!", "?", ",", ";", ":", "\"", "“", "”", "'", "(", ")", "[", "]", "<https://example.org/a>",
    "accessed March 10, 2022", "令和4年", " ", " ", "\n", "\n\n", "\t", "\x00", "\x07", "advocated a tough stance",
    "favours the softer line", "does not support", "1", "2020", "Ibid.", "see", "Act on", "Division",
])
DOC_TEXT = st.one_of(
    st.lists(PIECES, max_size=60).map(lambda parts: " ".join(parts) if len(parts) % 2 else "".join(parts)),
    st.text(max_size=300),
)
FAST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def check_clean_invariants(raw: str, r: dict) -> None:
    text = r["text"]
    assert not re.search(r"[\x00-\x09\x0b-\x1f\r]", text)
    prev_end = 0
    for k, p in enumerate(r["paragraphs"]):
        assert 0 <= p["start"] < p["end"] <= len(text)
        assert text[p["start"]:p["end"]].strip() == text[p["start"]:p["end"]]
        if k:
            assert text[prev_end:p["start"]] == "\n\n"
        prev_end = p["end"]
    assert prev_end == len(text)
    for fn in r["footnotes"]:
        assert fn["anchor"] is None or 0 <= fn["anchor"] <= len(text)
        assert 0 <= fn["raw_start"] <= fn["raw_end"] <= len(raw)
    positions = [run[1] for run in r["offset_runs"]]
    assert all(0 <= pos <= len(raw) for pos in positions)
    assert sum(run[2] for run in r["offset_runs"]) == len(text)


@FAST
@given(DOC_TEXT)
def test_clean_never_crashes_and_keeps_invariants(raw):
    if not raw.strip():
        return
    check_clean_invariants(raw, clean_text(raw))


@FAST
@given(DOC_TEXT)
def test_sentences_tile_any_text(text):
    pos = 0
    for a, b in split_sentences(text):
        assert pos <= a < b <= len(text)
        assert not text[pos:a].strip()
        assert text[a:b] == text[a:b].strip() and text[a:b]
        pos = b
    assert not text[pos:].strip()


@FAST
@given(DOC_TEXT)
def test_citation_parser_never_crashes(note):
    parsed = parse_footnote(note)
    assert parsed["commentary"] is None or isinstance(parsed["commentary"], str)
    for c in parsed["citations"]:
        a, b = c["span"]
        assert 0 <= a < b <= len(note)
        for key in ("issued", "accessed"):
            assert key not in c or re.fullmatch(r"\d{4}(-\d{2}(-\d{2})?)?", c[key])
        assert "URL" not in c or re.match(r"https?://\S+$", c["URL"])


@FAST
@given(DOC_TEXT)
def test_all_stages_keep_span_offsets_exact(raw):
    if not raw.strip():
        return
    tagged = tag_document(segment_document(clean_text(raw)))
    text = tagged["text"]
    for s in tagged["sentences"]:
        assert text[s["start"]:s["end"]] == s["text"]
        for e in s["entities"]:
            assert text[e["start"]:e["end"]] == e["text"] and s["start"] <= e["start"] < e["end"] <= s["end"]
        for stance in s["stances"]:
            assert text[stance["start"]:stance["end"]] == stance["cue"]
            for key in ("holder", "target"):
                span = stance[f"{key}_span"]
                assert span is None or text[span[0]:span[1]] == stance[key]
    for fn in tagged["footnotes"]:
        for e in fn["entities"]:
            assert fn["text"][e["start"]:e["end"]] == e["text"]


def test_very_long_lines_and_runs():
    for raw in ("a" * 200_000, "。" * 50_000, ("word " * 40_000).strip(), "¹" * 10_000, "-\n" * 20_000,
                "経済" * 50_000):
        r = clean_text(raw)
        check_clean_invariants(raw, r)
        seg = segment_document(r)
        assert "".join(s["text"] for s in seg["sentences"]).replace(" ", "") == r["text"].replace(" ", "").replace("\n", "")


TRACKED = st.builds(  # a text with raw offsets from ``start``, anchors in it, and a raw end
    lambda text, start, end, marks: Tracked(text, list(range(start, start + len(text))),
                                            [Anchor(min(m, len(text)), {"id": m}) for m in marks], end),
    st.text(alphabet="ab \n", max_size=5), st.integers(0, 50), st.integers(0, 60),
    st.lists(st.integers(0, 6), max_size=2))


@given(st.lists(TRACKED, max_size=6))
def test_concat_is_adding_in_turn(parts):
    """Tracked.concat (the clean body, joined once; ``+`` is concat of two) gives what adding the
    parts one by one did when ``+`` was written out: texts and offsets joined, anchors shifted by
    the text before them, and the raw end of the last non-empty part (of all, if none is)."""
    added = Tracked("", [], [], 0)
    for part in parts:
        shift = len(added.text)
        added = Tracked(added.text + part.text, added.offsets + part.offsets,
                        added.anchors + [Anchor(a.pos + shift, a.data) for a in part.anchors],
                        part.raw_end if part.text or not added.text else max(added.raw_end, part.raw_end))
    assert Tracked.concat(parts) == added
    if len(parts) == 2:
        assert parts[0] + parts[1] == added


@given(st.lists(st.integers(min_value=-3, max_value=3), max_size=60), st.integers(min_value=0, max_value=5))
def test_offset_runs_give_back_every_offset(steps, first):
    """offset_runs compresses a clean->raw offset table without losing an entry."""
    from pipeline.clean.tracked import offset_runs, raw_offset

    offsets = [first]
    for step in steps:
        offsets.append(offsets[-1] + step)
    runs = offset_runs(offsets)
    assert sum(length for _, _, length in runs) == len(offsets)
    assert [raw_offset(runs, i) for i in range(len(offsets))] == offsets


@given(st.text(alphabet="ab.\n \t\u00a0\u3000", max_size=20), st.integers(min_value=0, max_value=20),
       st.integers(min_value=0, max_value=20))
def test_word_before_is_the_regex_it_replaced(text, end, start):
    """text.words.word_before answers as the regex search ``(\\S*)$`` over ``text[start:end]`` did."""
    from pipeline.text.words import word_before

    end = min(end, len(text))
    start = min(start, end)
    assert word_before(text, end, start) == re.compile(r"(\S*)$").search(text[start:end]).group(1)


NEIGHBOURS = st.sampled_from(["", "1", "¹", ")", "(", ")1", "]", "[", ".", ",", "'s", "’s", "-", "/", ":", "\"", "”",
                               "*", "†", "2022", "法", "は", "–"])


@FAST
@given(st.lists(st.tuples(NEIGHBOURS, NEIGHBOURS), min_size=1, max_size=6))
def test_entities_next_to_markers_brackets_and_punctuation_always_export(contexts):
    """An abbreviation the document defines, mentioned glued to markers, brackets and punctuation
    ("(DMCA)1"): the document always exports, and every entity is whole tokens of its DocBin."""
    from conftest import clean_text
    from pipeline.export.fragments import document_fragments
    from pipeline.segment import segment_document
    from pipeline.tag import tag_document_docs

    mentions = " ".join(f"{before}CDA{after}" for before, after in contexts)
    text = f"The Coastal Defence Agency (CDA) was created. Later {mentions} grew."
    tag, docs = tag_document_docs(segment_document(clean_text(text)))
    fragments = document_fragments(tag, docs)
    bio = [json.loads(line) for line in fragments["tokens.bio.jsonl"].decode().splitlines()]
    begins = [start for row in bio for start, t in zip(row["starts"], row["tags"]) if t.startswith("B-")]
    entities = [e for s in tag["sentences"] for e in s["entities"]]
    assert begins == [e["start"] for e in entities]
    assert all(tag["text"][e["start"]:e["end"]] == e["text"] for e in entities)


def counted_lang(text: str, default: str = "en") -> str:
    """detect_lang as it was first written, counting every script's characters: the oracle for
    its shortcuts (no URL cut without "://", "www." or "@"; no counting without Japanese script)."""
    from pipeline.segment.language import _URLISH
    from pipeline.text.scripts import IDEOGRAPH as _IDEO, KANA as _KANA, LATIN as _LATIN

    text = _URLISH.sub(" ", text)
    kana = len(_KANA.findall(text))
    cjk = kana + len(_IDEO.findall(text))
    latin = len(_LATIN.findall(text))
    if cjk == 0 and latin == 0:
        return default
    return "ja" if cjk > latin or (kana >= 2 and cjk * 3 >= latin) else "en"


@FAST
@given(st.one_of(DOC_TEXT, st.lists(st.sampled_from(["www.x.jp", "a@b", "https://e.org/法", "法", "は", "ab", " ",
                                                       "é", "１", "@", "://", "<"]), max_size=12).map("".join)),
       st.sampled_from(["en", "ja"]))
def test_detect_lang_shortcuts_give_the_counted_answer(text, default):
    from pipeline.segment import detect_lang

    assert detect_lang(text, default) == counted_lang(text, default)
