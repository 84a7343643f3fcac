"""Citation parsing: the seed footnotes against a hand-checked gold file, and many made-up notes."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from pipeline.cite import find_dates, parse_date, parse_footnote, work_id
from pipeline.cite.resolve import normalise_url
from pipeline.segment import segment_document

GOLD = Path(__file__).parent / "data" / "seed_citations.gold.jsonl"


def one(note: str, emphasis=None) -> dict:
    parsed = parse_footnote(note, emphasis or [])
    assert len(parsed["citations"]) == 1, parsed
    return parsed["citations"][0]


def field_scores(gold_rows, predicted):
    """(correct, gold fields, predicted fields) over all citations, matched in order."""
    correct = total = produced = 0
    for gold in gold_rows:
        pred = predicted[(gold["doc_id"], gold["fn_id"])]
        for g, p in zip(gold["citations"], pred + [{}] * len(gold["citations"])):
            total += len(g)
            produced += len([k for k in p if k not in ("span", "work_id")])
            correct += sum(1 for k, v in g.items() if _strip_ids(p.get(k)) == v)
        extra = len(pred) - len(gold["citations"])
        produced += sum(len(p) for p in pred[len(gold["citations"]):]) if extra > 0 else 0
    return correct, total, produced


def _strip_ids(value):
    if isinstance(value, list):
        return [{k: v for k, v in a.items() if k != "id"} if isinstance(a, dict) else a for a in value]
    return value


def test_seed_footnotes_field_level_accuracy(seed_clean):
    gold_rows = [json.loads(line) for line in GOLD.read_text(encoding="utf-8").splitlines()]
    predicted = {}
    commentary_ok = 0
    for doc_id, clean in seed_clean.items():
        seg = segment_document(clean)
        for fn in seg["footnotes"]:
            predicted[(doc_id, fn["fn_id"])] = fn["citations"]
            gold = next(g for g in gold_rows if g["doc_id"] == doc_id and g["fn_id"] == fn["fn_id"])
            commentary_ok += fn["commentary"] == gold["commentary"]
            assert len(fn["citations"]) == len(gold["citations"]), (doc_id, fn["fn_id"])
    correct, total, produced = field_scores(gold_rows, predicted)
    assert len(predicted) == len(gold_rows) == 35
    recall, precision = correct / total, correct / produced
    assert recall >= 0.97 and precision >= 0.97, (recall, precision)
    assert commentary_ok == len(gold_rows)


# --- Japanese-style notes -----------------------------------------------------------------

def test_japanese_org_author_title_accessed_url():
    c = one("日本内閣府、「経済安全保障法制に関する提言」、accessed March 10, 2022, https://www.cas.go.jp/jp/a.pdf.")
    assert c["author"] == [{"literal": "日本内閣府"}]
    assert c["title"] == "経済安全保障法制に関する提言"
    assert c["accessed"] == "2022-03-10"
    assert c["URL"] == "https://www.cas.go.jp/jp/a.pdf"
    assert c["language"] == "ja" and c["type"] == "report"


def test_japanese_person_author_split_family_given():
    c = one("木内登英、「経済安全保障推進法案の概要」、accessed March 10, 2022, <https://www.nri.com/jp/x>.")
    assert c["author"] == [{"family": "木内", "given": "登英"}]
    assert c["URL"] == "https://www.nri.com/jp/x"


def test_law_without_brackets_is_legislation():
    c = one("国家安全保障会議設置法、accessed March 10, 2022, <https://elaws.e-gov.go.jp/document?lawid=361AC0000000071>.")
    assert c["title"] == "国家安全保障会議設置法" and c["type"] == "legislation" and "author" not in c


def test_partial_brackets_stay_in_title():
    assert one("日本の半導体産業「他国より優位」、accessed March 10, 2022, <https://www.asahi.com/a.html>.")["title"] \
        == "日本の半導体産業「他国より優位」"
    assert one("「ポストコロナ」時代の国際秩序と日本、accessed March 10, 2022, https://dl.ndl.go.jp/x.pdf?no=1.")["title"] \
        == "「ポストコロナ」時代の国際秩序と日本"


def test_bracketed_title_with_inner_comma():
    c = one("JETRO、「2020年の日中貿易、日本の貿易に占める対中比率は過去最高に」、accessed March 10, 2022, <https://www.jetro.go.jp/a.html>.")
    assert c["title"] == "2020年の日中貿易、日本の貿易に占める対中比率は過去最高に"
    assert c["author"] == [{"literal": "JETRO"}]


@pytest.mark.parametrize("note,issued,accessed", [
    ("経済産業省「通商白書」令和4年6月、2022年7月1日閲覧、https://www.meti.go.jp/a.html", "2022-06", "2022-07-01"),
    ("内閣府「年次経済財政報告」令和元年7月23日。", "2019-07-23", None),
    ("外務省「外交青書」平成30年、最終閲覧日：2021年5月3日、https://www.mofa.go.jp/b.html", "2018", "2021-05-03"),
])
def test_japanese_era_and_kanji_dates(note, issued, accessed):
    c = one(note)
    assert c.get("issued") == issued
    assert c.get("accessed") == accessed


def test_japanese_newspaper_domain_type():
    assert one("「外為法とは」、accessed March 10, 2022, <https://www.nikkei.com/article/X/>.")["type"] == "article-newspaper"


# --- English / Chicago-style notes ------------------------------------------------------------

def test_magazine_article_with_italic_container():
    note = 'Y.A., "The Virtues of a Confrontational China Strategy," American Interest, April 10, 2020, <https://www.the-american-interest.com/x/>.'
    s = note.index("American")
    c = one(note, [[s, s + len("American Interest")]])
    assert c["author"] == [{"literal": "Y.A."}]
    assert c["title"] == "The Virtues of a Confrontational China Strategy"
    assert c["container-title"] == "American Interest"
    assert c["issued"] == "2020-04-10" and c["type"] == "article-magazine"


def test_romanized_japanese_title_with_translation():
    c = one('Ministry of Finance of Japan, "Yunyu aitekoku jyoui 10 kakoku no suii (nen be-su) [Trends of top 10 '
            'import countries (yearly basis)]," Trade Statistics of Japan, Accessed 26 July 2021, <https://www.customs.go.jp/y5.pdf>')
    assert c["title"] == "Yunyu aitekoku jyoui 10 kakoku no suii (nen be-su)"
    assert c["title-translation"] == "Trends of top 10 import countries (yearly basis)"
    assert c["language"] == "ja" and c["accessed"] == "2021-07-26"
    assert c["author"] == [{"literal": "Ministry of Finance of Japan"}]


def test_romanized_japanese_title_without_translation():
    c = one('"Kawaru gajji keisatsu: Soshiki saihei no haikai wa," NHK, October 15, 2020, <https://www3.nhk.or.jp/x.html>')
    assert c["language"] == "ja" and c["container-title"] == "NHK" and c["type"] == "article-newspaper"


def test_romanized_japanese_check_reads_the_small_word_list_without_changing_an_answer():
    """is_romanized_japanese counts words of Zipf >= 3.5 in wordfreq's small English list (fast to
    load); for every word either list knows, that count is the same as with the full list."""
    from wordfreq import get_frequency_dict, zipf_frequency

    words = set(get_frequency_dict("en", "small")) | {w for w, f in get_frequency_dict("en", "best").items()
                                                       if f >= 1e-6}  # Zipf 3 and up
    assert [w for w in words if (zipf_frequency(w, "en") >= 3.5) != (zipf_frequency(w, "en", wordlist="small") >= 3.5)] == []


def test_common_english_is_wordfreqs_small_list_at_the_threshold():
    from pipeline.cite.language import is_common_english

    assert all(map(is_common_english, ["the", "security", "japan", "be", "no"]))
    assert not any(map(is_common_english, ["kakoku", "suii", "jyoui", "seisai", "tōkyō", "sapurai"]))



def test_english_title_is_english():
    c = one('Wataru Suzuki, "NTT and NEC Eye Made-In-Japan 5G as US-China Tensions Grow," NikkeiAsia, 25 June 2020.')
    assert c["language"] == "en" and c["author"] == [{"family": "Suzuki", "given": "Wataru"}]
    assert c["issued"] == "2020-06-25" and "URL" not in c


def test_two_persons_and_newspaper_without_url():
    c = one('Tatsuya Sato and Yuki Nikaido, "Jinken shingai ni seisai [Sanctions law]," Asahi Shimbun, February 7, 2021.')
    assert c["author"] == [{"family": "Sato", "given": "Tatsuya"}, {"family": "Nikaido", "given": "Yuki"}]
    assert c["type"] == "article-newspaper" and c["issued"] == "2021-02-07"


def test_organisation_with_commas_stays_one_author():
    c = one('Ministry of Economy, Trade and Industry, "Kaigai sapurai che-n [Overseas supply chains]," May 26, 2020, <https://www.meti.go.jp/a.html>')
    assert c["author"] == [{"literal": "Ministry of Economy, Trade and Industry"}]
    c = one('METI and MOFA, "Joint guidance," 2021.')
    assert c["author"] == [{"literal": "METI"}, {"literal": "MOFA"}]


def test_speech_with_event():
    c = one('Shinzo Abe, "Confluence of the Two Seas," 22 August 2007, speech at the Parliament of the Republic of India, <https://www.mofa.go.jp/s.html>.')
    assert c["type"] == "speech" and c["event"] == "Parliament of the Republic of India"
    assert c["issued"] == "2007-08-22"


def test_chicago_bibliography_style_with_periods_and_commentary():
    note = ('This is an earlier draft of: Akira Igata and Brad Glosserman. "Japan\'s New Economic Statecraft." '
            'The Washington Quarterly. Vol. 44, Issue 3, 2021: 25-42. <https://www.tandfonline.com/doi/pdf/10.1080/0163660X.2021.1970334>. '
            'For quotation or citation, please refer to the completed manuscript.')
    parsed = parse_footnote(note)
    (c,) = parsed["citations"]
    assert c["author"] == [{"family": "Igata", "given": "Akira"}, {"family": "Glosserman", "given": "Brad"}]
    assert (c["volume"], c["issue"], c["page"], c["issued"]) == ("44", "3", "25-42", "2021")
    assert c["DOI"] == "10.1080/0163660X.2021.1970334" and c["type"] == "article-journal"
    assert parsed["commentary"] == ("This is an earlier draft of: For quotation or citation, please refer to "
                                    "the completed manuscript.")


def test_see_lead_in_and_two_citations_with_commentary_between():
    note = ('On the shift to \'vision,\' see "Indo taiheiyō, kieta "senryaku": Seifu ga "kousou" ni shuusei ["Strategy" '
            'has disappeared]," Nihon Keizai Shimbun, November 13, 2018, <https://www.nikkei.com/a/>. The government '
            'occasionally uses the phrase without the word, as can be seen in this document. Ministry of Foreign '
            'Affairs, "Free and Open Indo-Pacific Basic Thinking Material." <https://www.mofa.go.jp/files/1.pdf>')
    parsed = parse_footnote(note)
    a, b = parsed["citations"]
    assert a["title"] == 'Indo taiheiyō, kieta "senryaku": Seifu ga "kousou" ni shuusei'
    assert a["title-translation"] == '"Strategy" has disappeared'
    assert b["author"] == [{"literal": "Ministry of Foreign Affairs"}]
    assert b["title"] == "Free and Open Indo-Pacific Basic Thinking Material"
    assert parsed["commentary"].startswith("On the shift to 'vision,' see The government occasionally")


def test_author_note_is_all_commentary():
    note = ('Yan Zeyang is an assistant research professor at the Institute. This paper is a phased achievement '
            'of the "Important Countries and Regions" Major Research Project (Grant No. 20VGQ004).')
    parsed = parse_footnote(note)
    assert parsed["citations"] == [] and parsed["commentary"] == note


def test_prose_with_quoted_phrase_is_commentary_after_citation():
    note = ('Inter-Parliamentary Alliance on China, "Strategic Dependence on China: Japan," Draft document, December 2020. '
            'This document considers a country is "strategically dependent" on China if three conditions are met.')
    parsed = parse_footnote(note)
    (c,) = parsed["citations"]
    assert c["genre"] == "Draft document" and c["issued"] == "2020-12" and c["type"] == "report"
    assert parsed["commentary"].startswith("This document considers")


def test_ibid_with_page():
    parsed = parse_footnote("Ibid., p. 12.")
    (c,) = parsed["citations"]
    assert c["ibid"] and c["page"] == "12"


def test_ibid_resolved_to_previous_work_in_document():
    clean = {"doc_id": "d", "text": "A.", "offset_runs": [[0, 0, 2]], "paragraphs": [], "metadata": {},
             "unlinked_markers": [], "removed": [], "source": {},
             "footnotes": [
                 {"fn_id": "fn1", "text": 'Jane Roe, "A Title," Journal of Things, Vol. 3, 2020.', "anchor": 1, "emphasis": []},
                 {"fn_id": "fn2", "text": "Ibid., 45.", "anchor": 2, "emphasis": []},
                 {"fn_id": "fn3", "text": "同上。", "anchor": 2, "emphasis": []}]}
    seg = segment_document(clean)
    first, second, third = (fn["citations"][0] for fn in seg["footnotes"])
    assert second["title"] == "A Title" and second["work_id"] == first["work_id"] and second["ibid"]
    assert second["page"] == "45"
    assert third["work_id"] == first["work_id"]


def test_several_urls_and_doi():
    c = one('Jane Roe, "Supply Chains," Policy Brief, 2021, https://example.org/a and https://mirror.example.org/a.')
    assert c["URL"] == "https://example.org/a" and "https://mirror.example.org/a" in c["note"]
    c = one('John Doe, "Chips," Journal of Trade, Vol. 2, No. 1, 2020: 1-20, doi:10.1234/jot.2020.001.')
    assert c["DOI"] == "10.1234/jot.2020.001" and c["issue"] == "1" and c["type"] == "article-journal"


def test_no_date_no_url():
    c = one('Ministry of Defense, "Defense of Japan."')
    assert c["title"] == "Defense of Japan" and "issued" not in c and c["type"] == "document"


def test_url_only_note():
    parsed = parse_footnote("See https://www.meti.go.jp/policy/economy/economic_security/index.html.")
    (c,) = parsed["citations"]
    assert c["URL"] == "https://www.meti.go.jp/policy/economy/economic_security/index.html"
    assert parsed["commentary"] == "See"


def test_empty_note():
    assert parse_footnote("") == {"citations": [], "commentary": None, "warnings": []}


# --- helpers ---------------------------------------------------------------------------------

@pytest.mark.parametrize("text,iso", [
    ("accessed March 10, 2022", "2022-03-10"), ("Accessed 26 July 2021", "2021-07-26"),
    ("25 June 2020", "2020-06-25"), ("December 2020", "2020-12"), ("Sept. 3, 2019", "2019-09-03"),
    ("令和4年3月10日", "2022-03-10"), ("令和元年", "2019"), ("平成30年12月", "2018-12"), ("2021年5月3日", "2021-05-03"),
    ("2020-01-31", "2020-01-31"), ("no date here", None),
])
def test_parse_date(text, iso):
    assert parse_date(text) == iso


def test_find_dates_prefers_full_dates():
    assert [d[2] for d in find_dates("April 10, 2020 and May 2021")] == ["2020-04-10", "2021-05"]


def test_work_identity_by_url_then_title():
    a = {"URL": "https://www.Example.org/a/", "title": "X"}
    b = {"URL": "http://example.org/a", "title": "Different rendering"}
    assert work_id(a) == work_id(b)
    c = {"title": "Japan’s New Economic Statecraft", "author": [{"family": "Igata"}]}
    d = {"title": "Japan's new economic statecraft.", "author": [{"family": "Igata", "given": "A."}]}
    assert work_id(c) == work_id(d)
    assert normalise_url("https://www.example.org/a/?q=1#frag") == "example.org/a?q=1"


@pytest.mark.parametrize("text,iso", [
    ("令和四年五月十八日公布", "2022-05-18"), ("平成三十一年四月", "2019-04"), ("令和元年十一月二十九日", "2019-11-29"),
    ("令和5年2月30日", None), ("February 30, 2022", None), ("29 February 2024", "2024-02-29"),
])
def test_dates_in_kanji_numerals_and_invalid_dates(text, iso):
    from pipeline.cite.dates import kanji_numerals

    found = find_dates(kanji_numerals(text))
    assert (found[0][2] if found else None) == iso


def test_parse_warnings_say_where_the_parser_guessed():
    from conftest import clean_text
    from pipeline.segment import segment_document

    seg = segment_document(clean_text(
        "Body.¹ More.² Last.³\n\n"
        "¹ Kenji Saitō, \"Microcontrollers,\" Pacific Economic Review 38, no. 2 (2022): 141–163.\n"
        "² Some Body, an odd unquoted thing, Tokyo 2020.\n"
        "³ 前掲注9、12頁。"))
    first, second, third = seg["footnotes"]
    assert first["parse_warnings"] == []
    assert third["parse_warnings"] == ["citation 1: note 9 cites nothing to refer back to; taken as the work cited last"]
