"""Cleaning rules, each on a small made-up input, then the two seed documents."""
from __future__ import annotations

import re

import pytest

from conftest import clean_text, SEEDS
from pipeline.clean import clean_document
from pipeline.clean.markers import marker_value
from pipeline.clean.text import join_lines, normalise, strip_markup
from pipeline.text.io import InputError, read_text_strict
from pipeline.ingest import document_from_text, read_document
from pipeline.clean.tracked import Tracked

HEADER = "A Study of Export Controls in Asia"


def page_doc(*pages: str) -> str:
    """Pages separated by a running header, as PDF text extraction leaves them; filler pages
    make the header repeat three times, the least that marks a running header."""
    pages = list(pages) + [f"Filler page {n}." for n in range(max(0, 4 - len(pages)))]
    return f"\n\n{HEADER}\n\n".join(pages)


def t(text: str) -> Tracked:
    return Tracked.from_raw(text, 0, len(text))


# --- running headers, page numbers ------------------------------------------------------------

def test_running_header_and_page_numbers_removed():
    doc = page_doc("Intro text one.", "Body two.\n\n12", "Body three.", "Body four.")
    r = clean_text(doc)
    assert HEADER not in r["text"]
    assert "12" not in r["text"]
    kinds = {x["kind"] for x in r["removed"]}
    assert kinds == {"running_header", "page_number"}
    # removed material is kept with its raw offsets, not lost
    for x in r["removed"]:
        assert doc[x["raw_start"]:x["raw_end"]] == x["text"]


def test_first_occurrence_of_a_repeated_title_is_kept_as_title():
    doc = HEADER + "\n\n" + page_doc("First page text.", "Second page.", "Third page.")
    r = clean_text(doc)
    assert r["text"].startswith(HEADER + "\n\n")
    assert r["text"].count(HEADER) == 1
    assert r["paragraphs"][0]["kind"] == "title"


def test_numbered_headings_are_not_running_headers():
    doc = "Section 1.1\n\nText.\n\nSection 1.2\n\nMore.\n\nSection 2.1\n\nEnd."
    assert clean_text(doc)["text"].count("Section") == 3


# --- page breaks ---------------------------------------------------------------------------------

def test_sentence_cut_by_page_break_and_footnotes_is_rejoined():
    doc = page_doc(
        "Page one.",
        "The ministry issued a report¹ proposing to contain external\n\n¹ Some source, accessed March 10, 2022.",
        "economic threats by economic means.",
    )
    r = clean_text(doc)
    assert "a report proposing to contain external economic threats by economic means." in r["text"]
    assert r["footnotes"][0]["anchor"] == r["text"].index(" proposing")


def test_long_paragraph_cut_before_capitalised_word_is_rejoined_after_page_break():
    first = "The " + " ".join(["long"] * 15) + " proposals known as the"
    doc = f"{first}\n\n¹ A note.\n\n{HEADER}\n\nFormulation of Strategy were adopted."
    r = clean_text(page_doc("x.", "y.") + "\n\n" + doc)
    assert f"{first} Formulation of Strategy were adopted." in r["text"]


def test_heading_is_not_joined_to_next_paragraph():
    r = clean_text("Walking the tightrope\n\nJapan's key challenge is managing relations.")
    assert r["text"] == "Walking the tightrope\n\nJapan's key challenge is managing relations."
    assert [p["kind"] for p in r["paragraphs"]] == ["title", "paragraph"]


def test_bullet_item_cut_by_page_break_reads_whole():
    doc = page_doc("- Both sides support the health and well-being", "of all people.\n\n- Second item.")
    r = clean_text(doc)
    assert "Both sides support the health and well-being of all people." in r["text"]
    assert [p["kind"] for p in r["paragraphs"]][:2] == ["list_item", "list_item"]


def test_a_line_of_stars_is_a_section_break_not_a_list_item():
    r = clean_text("The part ends here.\n\n* * *\n\n* A list's item.\n\nThe next part opens.")
    assert r["text"] == "The part ends here.\n\n* * *\n\nA list's item.\n\nThe next part opens."
    assert [p["kind"] for p in r["paragraphs"]][1:3] == ["heading", "list_item"]


def clean_pages(*pages: str) -> dict:
    """Clean pages as pdftotext writes them: form feeds between, each page with its running head."""
    from pipeline.clean import clean_document
    from pipeline.ingest.blocks import RawDocument, split_pages

    text = "\f".join(f"{HEADER}\n\n{page}" for page in [*pages, "Filler page.", "Another filler page."])
    blocks, count = split_pages(text)
    return clean_document(RawDocument("<test>", "txt", text, blocks, "0" * 64, count), "t")


CUT = "The committee found that the authorizations of annual funding expired in large numbers and that"


def test_paragraph_goes_on_after_a_table_that_opens_the_next_page():
    table = "Table 2.\n\nCommittee Laws Amount\n\n3 18 44,471\n\n52 282 13,661"
    r = clean_pages(f"Opening words.\n\n{CUT}", f"{table}\n\nmost of them were never renewed.\n\nA new paragraph.")
    assert f"{CUT} most of them were never renewed." in r["text"]
    assert "Table 2." in r["text"] and "52 282 13,661" in r["text"]  # the float is kept, after the paragraph
    assert r["text"].index("Table 2.") > r["text"].index("never renewed.")


def test_paragraph_goes_on_after_a_figure_when_the_next_page_does_not_indent():
    opening = "    " + " ".join(["Paragraphs here open indented, as typeset papers do."] * 3)
    pages = [f"{opening}\n\n{opening}", f"{opening}\n\n{opening}\n\n    The cache keeps both copies of the loop.",
             "Figure 7. A nested loop.\n\nIn general, nested loops are recorded once for each exit, which is "
             "what the cache measured and what the tables in this section report.\n\n" + opening]
    r = clean_pages(*pages)
    assert "The cache keeps both copies of the loop. In general, nested loops" in r["text"]


def test_paragraph_goes_on_past_a_box_of_notes_that_ends_the_page():
    box = "Notes: All years in this report are fiscal years. Numbers may not add up to totals because of rounding."
    r = clean_pages(f"Opening words.\n\n{CUT}\n\n{box}", "most of them were never renewed.\n\nA new paragraph.")
    assert f"{CUT} most of them were never renewed." in r["text"]
    assert r["text"].index(box) > r["text"].index("never renewed.")  # the box is kept, after the paragraph


def test_a_page_that_ends_with_a_caption_after_a_finished_paragraph_joins_nothing():
    r = clean_pages("Opening words.\n\nThe paragraph ends here.\n\nSource: Congressional Budget Office.",
                    "most of the new page is its own.\n\nA new paragraph.")
    assert "ends here. most" not in r["text"]
    assert r["text"].index("Source:") < r["text"].index("most of the new page")  # nothing moved


def test_a_new_section_after_a_figure_is_not_joined_to_the_cut_paragraph():
    page = "Figure 3. Speedups.\n\n4. Results\n\nThe results show a large gain on every benchmark we ran here."
    r = clean_pages(f"Opening words.\n\n{CUT}", page)
    assert f"{CUT} The results" not in r["text"] and f"{CUT} Figure" not in r["text"]
    assert r["text"].index("Figure 3.") < r["text"].index("4. Results")  # nothing moved


def test_a_paragraph_joined_across_a_page_break_does_not_take_the_next_block_of_that_page():
    # once joined, the paragraph ends on the second page: the block after it follows no page break
    r = clean_pages(f"Opening words.\n\n{CUT}",
                    "most of them were never renewed, as the counts below show\n\nCommittee Laws Amount\n\n"
                    "A new paragraph.")
    assert f"{CUT} most of them were never renewed, as the counts below show\n\nCommittee Laws Amount" in r["text"]


def test_back_matter_cut_by_a_page_break_reads_whole():
    r = clean_pages("Opening words of the body, which says enough.\n\nAcknowledgments\n\nThe views here are "
                    "those of the authors and should", "not be read as the views of any agency.")
    assert "those of the authors and should not be read as the views" in r["metadata"]["back_matter"]


# --- footnotes ---------------------------------------------------------------------------------

def test_footnotes_restarting_per_page_link_by_position():
    doc = page_doc(
        "First claim.¹ Second claim.²\n\n¹ Note A.\n\n² Note B.",
        "Third claim.¹\n\n¹ Note C.",
    )
    r = clean_text(doc)
    text = r["text"]
    assert "¹" not in text and "²" not in text
    notes = {fn["text"]: fn for fn in r["footnotes"]}
    assert text[:notes["Note A."]["anchor"]].endswith("First claim.")
    assert text[:notes["Note B."]["anchor"]].endswith("Second claim.")
    assert text[:notes["Note C."]["anchor"]].endswith("Third claim.")
    assert [fn["marker"] for fn in r["footnotes"]] == ["¹", "²", "¹"]


def test_a_symbol_that_opens_two_lines_of_a_page_is_a_bullet_not_a_note_label():
    r = clean_pages("The programs that expire this year are these:\n\n* Grants for adaptive sports programs\n"
                    "* Reintegration programs for homeless veterans")
    assert r["footnotes"] == []
    assert "Grants for adaptive sports programs" in r["text"]


def test_the_last_entry_of_a_numbered_bibliography_at_a_page_foot_is_no_note():
    r = clean_pages("References\n\n[1] A. Author, A First Book (Tokyo: Press, 1990).\n\n"
                    "[2] B. Author, A Second Book (Tokyo: Press, 1991).\n\n[3] C. Author, A Third Book, 1994.")
    assert r["footnotes"] == []
    assert "C. Author, A Third Book, 1994." in r["text"]


def test_a_numbered_list_that_goes_on_at_a_page_foot_is_no_note():
    r = clean_pages("Opening words.", "[8] H. Author, An Eighth Book (Tokyo: Press,\n\n    1990).\n\n"
                    "[9] I. Author, A Ninth Book (Tokyo:\n\n    Press, 1991).\n\n[10] J. Author, A Tenth Book, 1994.")
    assert r["footnotes"] == []
    assert "J. Author, A Tenth Book, 1994." in r["text"]


def test_footnote_without_body_marker_gets_null_anchor():
    doc = page_doc("Claim one.¹\n\n¹ Note A.", "No marker on this page.\n\n¹ Orphan note.")
    r = clean_text(doc)
    orphan = next(fn for fn in r["footnotes"] if fn["text"] == "Orphan note.")
    assert orphan["anchor"] is None


def test_plain_digit_footnotes_in_sequence_and_star_note():
    doc = ("A title*\n\nBody says this.¹ And that.²\n\n* Author note.\n\n1 First, source.\n\n"
           "2 Second, source.\n\nMore body.³\n\n3 Third, source.")
    r = clean_text(doc)
    markers = [(fn["marker"], fn["text"]) for fn in r["footnotes"]]
    assert markers == [("*", "Author note."), ("1", "First, source."), ("2", "Second, source."),
                       ("3", "Third, source.")]
    star = r["footnotes"][0]
    assert r["text"][:star["anchor"]] == "A title"
    assert all(fn["anchor"] is not None for fn in r["footnotes"])


def test_number_opening_a_body_paragraph_is_not_a_footnote():
    r = clean_text("Intro.\n\n33,000 people died.\n\n2 trillion yen was spent.")
    assert r["footnotes"] == []
    assert "2 trillion yen was spent." in r["text"]


def test_marker_after_space_and_quote_removed_cleanly():
    r = clean_text("It published 'Towards a \"Strategy.\"' ⁸ This recommends.\n\n⁸ Source.")
    assert "'Towards a \"Strategy.\"' This recommends." in r["text"]
    assert r["footnotes"][0]["anchor"] == r["text"].index(" This")


def test_unit_exponent_is_not_a_marker():
    r = clean_text("The site covers 20 km² of land.")
    assert "km²" in r["text"]
    assert r["unlinked_markers"] == []


def test_unlinked_marker_is_reported_not_lost():
    r = clean_text("A claim.⁹ Another.")
    assert r["text"] == "A claim. Another."
    assert r["unlinked_markers"][0]["marker"] == "⁹"


# --- converter artifacts ----------------------------------------------------------------------

def test_markdown_artifacts_removed():
    r = clean_text("**Bold title** has *italic* words, a [link text](#) and US\\$4.5 billion \\(approx.\\).")
    assert r["text"] == "Bold title has italic words, a link text and US$4.5 billion (approx.)."


def test_real_link_is_kept_in_metadata():
    r = clean_text("See [the repository](https://example.org/x) for data.")
    assert r["text"] == "See the repository for data."
    assert r["metadata"]["links"] == [{"text": "the repository", "url": "https://example.org/x"}]


def test_italic_in_footnote_becomes_emphasis_span():
    r = clean_text("Claim.¹\n\n¹ Y.A., \"Title,\" *American Interest*, April 10, 2020.")
    fn = r["footnotes"][0]
    s, e = fn["emphasis"][0]
    assert fn["text"][s:e] == "American Interest"
    assert "*" not in fn["text"]


def test_stray_spaces_collapsed():
    assert clean_text("Too    many\tspaces  here.")["text"] == "Too many spaces here."


# --- hyphenation -------------------------------------------------------------------------------

@pytest.mark.parametrize("lines,expected", [
    (["economic dehyph-", "enation is common."], "economic dehyphenation is common."),
    (["the eco-", "nomic case."], "the economic case."),
    (["the US-", "China rivalry."], "the US-China rivalry."),
    (["the Japan-", "US alliance."], "the Japan-US alliance."),
    (["health and well-", "being matter."], "health and well-being matter."),
    (["soft\u00ad", "hyphen here."], "softhyphen here."),
    (["water that was un-", "designated then."], "water that was undesignated then."),
    (["a dis-", "quieting turn."], "a disquieting turn."),
    (["a cost-", "effective plan."], "a cost-effective plan."),
])
def test_line_end_hyphenation(lines, expected):
    text = "\n".join(lines)
    assert clean_text(text)["text"] == expected


def test_soft_hyphen_inside_text_removed():
    assert clean_text("trans\u00admission line.")["text"] == "transmission line."


# --- Unicode -------------------------------------------------------------------------------------

def test_fullwidth_ascii_and_kangxi_radicals_normalised():
    r = clean_text("ＡＢＣ１２３（注）と⾮常に⼀つ⽴つ。")
    assert r["text"] == "ABC123(注)と非常に一つ立つ。"


def test_superscript_markers_found_before_normalisation():
    r = clean_text("全角の主張です。¹\n\n¹ 出典。")
    assert r["footnotes"][0]["anchor"] == len("全角の主張です。")
    assert "1" not in r["text"]


def test_curly_quotes_and_superscripts_preserved():
    r = clean_text("He wrote “Japan’s ‘rule-maker’ role” in 20 m² rooms.")
    assert r["text"] == "He wrote “Japan’s ‘rule-maker’ role” in 20 m² rooms."


def test_curly_quotes_in_footnote_titles_untouched():
    r = clean_text("Claim.¹\n\n¹ Author, “A ‘Quoted’ Title,” Journal, 2020.")
    assert "“A ‘Quoted’ Title,”" in r["footnotes"][0]["text"]


def test_mojibake_fixed():
    assert clean_text("The ministryâ€™s plan.")["text"] == "The ministry’s plan."


def test_japanese_lines_join_without_space():
    r = clean_text("経済安全保障は重要な\n政策課題である。\nEnglish line\ncontinues here.")
    assert r["text"] == "経済安全保障は重要な政策課題である。 English line continues here."


def test_offsets_map_back_to_raw_text():
    doc = page_doc("**Bold** start of a long paragraph that keeps going and", "continues here.")
    r = clean_text(doc)
    from pipeline.clean.tracked import raw_offset
    pos = r["text"].index("continues")
    assert doc[raw_offset(r["offset_runs"], pos):].startswith("continues")
    assert doc[raw_offset(r["offset_runs"], 0):].startswith("Bold")


# --- document structure ------------------------------------------------------------------------

def test_front_matter_abstract_keywords_and_back_matter_kept_out_of_body():
    doc = ("SERIES PAPER 2022/07\n\nThis work is licensed under CC-BY 4.0.\n\nAbstract\n\nWe argue things.\n\n"
           "Keywords\n\nJapan; security.\n\nThe Real Title\n\nBody text here.\n\nAuthor contacts\n\nJane Doe\n\n"
           "Email jane@example.org")
    r = clean_text(doc)
    # The abstract stays in the body as its own paragraph (markers in it keep their anchors).
    assert r["text"] == "We argue things.\n\nThe Real Title\n\nBody text here."
    assert [p["kind"] for p in r["paragraphs"]] == ["abstract", "title", "paragraph"]
    assert [x["text"] for x in r["removed"] if x["kind"] == "section_label"] == ["Abstract", "Keywords"]
    meta = r["metadata"]
    assert meta["abstract"] == "We argue things."
    assert meta["keywords"] == ["Japan", "security"]
    assert "licensed" in meta["front_matter"]
    assert "jane@example.org" in meta["back_matter"]
    assert meta["title"] == "The Real Title"


def test_title_and_byline_above_abstract_open_the_body():
    doc = "Paper Title\n\nJane Doe*\n\nAbstract: We argue.\n\nKeywords: a, b\n\nBody starts here.\n\n* Jane is a fellow."
    r = clean_text(doc)
    assert r["text"].startswith("Paper Title\n\nJane Doe\n\nWe argue.\n\nBody starts here.")
    assert r["footnotes"][0]["anchor"] == r["text"].index("\n\nWe argue")


# --- bad input ------------------------------------------------------------------------------

@pytest.mark.parametrize("payload,reason", [
    (b"", "empty file"),
    (b"   \n\n ", "only whitespace"),
    (b"\x00\x01\x02binary\x00data", "binary"),
    ("経済安全保障の重要性について述べる。".encode("shift_jis"), "not valid UTF-8"),
    ("Caf\u00e9 soci\u00e9t\u00e9 r\u00e9sum\u00e9".encode("latin-1"), "not valid UTF-8"),
])
def test_bad_text_input_gives_clear_error(tmp_path, payload, reason):
    p = tmp_path / "bad.txt"
    p.write_bytes(payload)
    with pytest.raises(InputError) as exc:
        read_text_strict(p)
    assert str(p) in str(exc.value) and reason in str(exc.value)


def test_shift_jis_error_names_the_encoding(tmp_path):
    p = tmp_path / "sjis.txt"
    p.write_bytes(("経済安全保障推進法が成立した。" * 20).encode("cp932"))
    with pytest.raises(InputError, match="iconv -f"):
        read_text_strict(p)


def test_oversized_file_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("PIPELINE_MAX_BYTES", "100")
    p = tmp_path / "big.txt"
    p.write_text("word " * 100)
    with pytest.raises(InputError, match="limit"):
        read_text_strict(p)


def test_unsupported_suffix(tmp_path):
    p = tmp_path / "x.docx"
    p.write_bytes(b"PK")
    with pytest.raises(InputError, match="unsupported"):
        read_document(p)


# --- helpers ---------------------------------------------------------------------------------

def test_strip_markup_keeps_offsets():
    src = "a **b** c"
    out = strip_markup(t(src))
    assert out.text == "a b c"
    assert [src[o] for o in out.offsets] == list("a b c")


def test_join_lines_and_normalise_keep_anchor_positions():
    out = normalise(join_lines([t("ＡＢ "), t("cd")]))
    assert out.text == "AB cd"


# --- the seed documents --------------------------------------------------------------------

ARTIFACTS = re.compile(r"\*\*|\]\(|\\\$|\\\(|[⁰¹²³⁴⁵⁶⁷⁸⁹]|\u00ad")


def test_seeds_have_no_headers_page_numbers_or_artifacts(seed_clean):
    for doc_id, r in seed_clean.items():
        text = r["text"]
        assert not ARTIFACTS.search(text), doc_id
        assert "\n\n" + "New Trend of Japan's Economic Security Strategy" + "\n\n" not in text
        assert not re.search(r"(?m)^\d+$", text)
        assert "*" not in text


def test_seed_000_structure(seed_clean):
    r = seed_clean["000_3f07d82da313b0d5"]
    assert r["text"].count("New Trend of Japan's Economic Security Strategy") == 1
    assert len(r["removed"]) == 8
    assert len(r["footnotes"]) == 17
    anchors = [fn["anchor"] for fn in r["footnotes"]]
    assert anchors.count(None) == 1
    orphan = r["footnotes"][anchors.index(None)]
    assert orphan["text"].startswith("日本内閣府、「世界経済の潮流」")
    star = r["footnotes"][0]
    assert star["marker"] == "*" and r["text"][:star["anchor"]].endswith("Yan Zeyang")
    assert r["metadata"]["keywords"] == ["Japan", "economic security", "Kishida government"]
    for cut in ["contain and eliminate external economic or noneconomic threats",
                "review beforehand, counsel, and reprimand", "has tightened funding restrictions",
                "to further bind its economic strategy", "health and well-being of all people",
                "ensure that supply chains are protected", "The \"Suggestions on the Formulation of Economic",
                "In the first half of 2020", "this kind of economic security that weaponizes".capitalize()[0:0]
                + "This kind of economic security that weaponizes", "friction between China and Japan in the economic field, thus"]:
        assert cut in r["text"], cut


def test_seed_001_structure(seed_clean):
    r = seed_clean["001_bb8bacf331d9a962"]
    text = r["text"]
    assert text.startswith("This conference paper describes the burgeoning economic security policies")
    assert "\n\nJapan's burgeoning economic security strategy: Navigating amidst US-China competition\n\n" in text
    assert [p["kind"] for p in r["paragraphs"]][:3] == ["abstract", "title", "paragraph"]
    assert "Creative Commons" not in text and "Author contacts" not in text and "Keywords" not in text
    assert "CC-BY 4.0" in r["metadata"]["front_matter"]
    assert "akira.igata@gmail.com" in r["metadata"]["back_matter"]
    assert [fn["marker"] for fn in r["footnotes"]][:4] == ["*", "1", "2", "3"]
    assert len(r["footnotes"]) == 18
    assert all(fn["anchor"] is not None for fn in r["footnotes"])
    for cut in ["China remains Japan's number one trading partner, a position it has held since 2007.",
                "Following its launch in April 2020 the division has since grown",
                "stipulating the need for Japan", "relations with regional governments."]:
        assert cut in text, cut
    for fn in r["footnotes"]:
        if fn["number"]:
            # the text right before each anchor is where its superscript stood in the raw text
            assert fn["anchor"] > 0


def test_seed_footnote_anchor_positions_match_raw_markers(seed_clean):
    """Each anchor maps back (via the offset runs) to the raw position of its body marker."""
    from pipeline.clean.tracked import raw_offset
    for path in SEEDS:
        raw = path.read_text(encoding="utf-8")
        r = seed_clean[path.stem]
        for fn in r["footnotes"]:
            if fn["anchor"] is None:
                continue
            raw_pos = raw_offset(r["offset_runs"], fn["anchor"] - 1) + 1
            body_marker = re.match(r" ?([⁰¹²³⁴⁵⁶⁷⁸⁹]+|\*)", raw[raw_pos:])
            assert body_marker, (path.stem, fn["fn_id"], raw[raw_pos - 20:raw_pos + 5])
            assert marker_value(body_marker.group(1)) == marker_value(fn["marker"])


def test_normalisation_prefilter_covers_every_changed_character():
    from pipeline.clean.text import _MAY_NORMALISE, _normalise_char

    changed = [chr(o) for o in range(0x30000) if _normalise_char(chr(o)) is not None]
    assert changed and all(_MAY_NORMALISE.match(ch) for ch in changed)


def test_50_mb_text_file_refused_without_reading_it(tmp_path):
    p = tmp_path / "huge.txt"
    with open(p, "wb") as fh:
        fh.truncate(50 * 1024 * 1024)  # sparse: the size alone must refuse it
    with pytest.raises(InputError, match="over the .* limit") as exc:
        read_text_strict(p)
    assert str(p) in str(exc.value)


# --- markers where notes stand at the pages' feet: only where the note is, on that page or the next -----

@pytest.mark.parametrize("pages, kept, notes", [
    # an exponent set apart from its base, as a PDF's text layer gives it; note 16 is two pages on
    (["Export controls now cover more chip tools.¹ The register limit rose from 256 to 2 ¹⁶ entries.\n\n"
      "¹ METI, \"Export Control Policy,\" 2023.",
      "The second page goes on about the rules and their reach.² Officials agreed.\n\n"
      "² Cabinet Office, \"Economic Security,\" 2022.",
      "The third page notes a point.¹⁶ Sixteen notes in all.\n\n¹⁶ Ministry of Finance, \"Screening,\" 2021."],
     "rose from 256 to 2 ¹⁶ entries.", 3),
    # a star and digits in a code listing; note *13 is two pages on
    (["拡張により数式の表現が使えるようになった*1．例えば次のように書ける．\n\n    \\dimexpr 3-3*13/5\\relax\n\n"
      "*1 詳しくは文献を参照．",
      "次のページでも説明が続く*2．さらに続く*3．\n\n*2 北川による．\n\n*3 同上．",
      "第三のページ*13．\n\n*13 最後の注．"],
     "\\dimexpr 3-3*13/5\\relax", 4),
    # two notes on one line: the second, which the page's notes run through, is on the page too
    (["政府は方針を示した*4．企業も対応した*5．\n\n*4 同上。 *5 前掲注2。", "次のページ*6．\n\n*6 最後の注．"],
     "企業も対応した.", 3),
])
def test_a_marker_whose_note_is_pages_away_is_text(pages, kept, notes):
    r = clean_document(document_from_text("\n\f".join(pages) + "\n\f"), "doc")
    assert kept in r["text"] and r["unlinked_markers"] == []
    assert [f["anchor"] is not None for f in r["footnotes"]] == [True] * notes
