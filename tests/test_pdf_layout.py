"""The page model's rules on words laid out by hand (no PDF needed): where a page's notes start,
how rows are made, and which marker a note links to."""
from __future__ import annotations

import math

import pytest

from pipeline.clean.layout import ends_sentence
from pipeline.clean.markers import Footnote, link_footnote
from pipeline.clean.tracked import Tracked
from pipeline.ingest.pdf_layout import PageEdges, Word, page_text, page_zones, pages_running_on, row_text, running_heads

HEIGHT, WIDTH, BODY = 842.0, 595.0, 10.9


def line(text: str, top: float, size: float, x0: float = 90.0) -> list[Word]:
    """A line of words of ``size`` points whose top is at ``top``."""
    words, x = [], x0
    for part in text.split():
        width = 0.5 * size * len(part)
        words.append(Word(part, x, x + width, top, top + size, size, "Serif"))
        x += width + 0.3 * size
    return words


WORDS = "alpha bravo charlie delta echo foxtrot golf hotel india juliet kilo lima mike november oscar".split()


def body_page(page: int = 0) -> list[Word]:
    """Thirty lines of body type; each page's lines its own (digits alone would look the same)."""
    return [w for k in range(30) for w in line(f"body {WORDS[page]} {WORDS[k % 15]} line of the page in its type",
                                                80 + 16 * k, BODY)]


def texts(rows) -> list[str]:
    return [row_text(r) for r in rows]


def test_a_remark_in_small_type_above_the_note_rule_stays_in_the_body():
    remark = line("Remark: set smaller than the body, in a box.", 580, 9.1) + line("It goes on here.", 594, 9.1)
    notes = line("*1 The note, smaller still.", 690, 8.1) + line("*2 Another note.", 702, 8.1)
    zones = page_zones(WIDTH, HEIGHT, body_page() + remark + notes, BODY, rules=[684.0])
    assert [texts(n) for n in zones.notes] == [["*1 The note, smaller still.", "*2 Another note."]]
    assert "It goes on here." in texts(zones.body[-1])


def test_without_a_rule_the_small_type_at_the_foot_is_the_notes():
    remark = line("Small type at the foot.", 580, 9.1)
    notes = line("*1 The note.", 690, 8.1)
    zones = page_zones(WIDTH, HEIGHT, body_page() + remark + notes, BODY, rules=[])
    assert [texts(n) for n in zones.notes] == [["Small type at the foot.", "*1 The note."]]


def test_a_rule_with_type_as_large_below_it_does_not_cut_the_notes():
    notes = line("*1 A note in small type.", 660, 8.1) + line("*2 Another, below a table rule.", 700, 8.1)
    zones = page_zones(WIDTH, HEIGHT, body_page() + notes, BODY, rules=[684.0])
    assert [texts(n) for n in zones.notes] == [["*1 A note in small type.", "*2 Another, below a table rule."]]


def test_an_icon_beside_two_lines_does_not_merge_them():
    icon = Word("\x7f", 60.0, 74.0, 602.0, 621.0, 9.96, "manfnt")
    first, second = line("the first line of a remark", 602, 9.1, x0=80), line("and its second line", 616, 9.1, x0=80)
    zones = page_zones(WIDTH, HEIGHT, body_page()[:60] + [icon] + first + second, BODY)
    rows = texts(zones.body[-1] + [r for n in zones.notes for r in n])
    assert "\x7f the first line of a remark" in rows and "and its second line" in rows


def test_a_full_width_stop_ends_a_sentence():
    assert ends_sentence("代替物がある．") and ends_sentence("代替物がある。") and not ends_sentence("代替物が")


def _note(marker: str) -> Footnote:
    return Footnote(marker, marker, Tracked.literal("text", 0), 1, 0, 4)


def _markers(value: str) -> list[dict]:
    return [{"id": f"m{k}", "value": value, "linked": False} for k in range(2)]


def test_a_star_marker_printed_twice_links_its_first_use():
    note, region = _note("*30"), _markers("*30")
    link_footnote(note, [region, []])
    assert note.marker_id == "m0"


def test_a_superscript_printed_twice_links_the_last_before_the_note():
    note, region = _note("¹"), _markers("1")
    note.value = "1"
    link_footnote(note, [region, []])
    assert note.marker_id == "m1"


def _page(page: int, *rows: list[Word]) -> tuple[float, float, list[Word]]:
    return WIDTH, HEIGHT, [w for row in rows for w in row] + body_page(page)


def test_a_first_page_masthead_that_later_heads_repeat_is_a_head_and_the_title_beside_it_is_not():
    head = "Federal Register / Vol. 85, No. 152 / Proposed Rules"
    first = _page(0, line("Proposed Rules", 56, 18.0, x0=46), line("Federal Register", 59, 8.0, x0=400),
                  line("Vol. 85, No. 152", 74, 8.0, x0=400))
    later = [_page(k, line(head, 34, 9.9, x0=120)) for k in (1, 2)]
    heads = running_heads([first, *later])
    assert {"Federal Register", "Vol. 85, No. 152"} <= heads[0] and "Proposed Rules" not in heads[0]
    assert heads[1] == heads[2] == {head}


def test_a_second_head_line_lower_on_the_page_is_a_head_when_three_pages_print_it():
    three = running_heads([_page(k, line("Syllabus", 137, 9.0, x0=288)) for k in range(3)])
    two = running_heads([_page(k, line("Syllabus", 137, 9.0, x0=288)) for k in range(2)])
    assert all("Syllabus" in h for h in three) and not any("Syllabus" in h for h in two)


def _pen_moved_pdf(path, gap_em: float, tracking_em: float = 0.0) -> None:
    """One line whose words are set apart by moving the pen ``gap_em`` (no space character), as a
    justified line sometimes is; ``tracking_em``: extra space between every letter."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    c = canvas.Canvas(str(path), pagesize=A4, invariant=1)
    size = 10.0
    text = c.beginText(72, 700)
    text.setFont("Times-Roman", size)
    text.setCharSpace(tracking_em * size)
    for word in ("Recent", "developments", "in", "supply", "chains."):
        text.textOut(word)
        # the pen moves on by the word and the gap: a new text position, no space character
        text.moveCursor(c.stringWidth(word, "Times-Roman", size) + len(word) * tracking_em * size + gap_em * size, 0)
    c.drawText(text)
    c.save()


def test_a_space_set_by_moving_the_pen_separates_words(tmp_path):
    from pipeline.ingest.pdf_layout import page_text, pdfium_pages

    _pen_moved_pdf(tmp_path / "justified.pdf", gap_em=0.18)
    (width, height, words, rules), = pdfium_pages(tmp_path / "justified.pdf")
    assert page_text(width, height, words, rules, 10.0).text == "Recent developments in supply chains."


def test_letter_spaced_type_stays_whole(tmp_path):
    from pipeline.ingest.pdf_layout import page_text, pdfium_pages

    _pen_moved_pdf(tmp_path / "tracked.pdf", gap_em=0.5, tracking_em=0.2)
    (width, height, words, rules), = pdfium_pages(tmp_path / "tracked.pdf")
    assert page_text(width, height, words, rules, 10.0).text == "Recent developments in supply chains."


def one_column_text(top: float) -> list[Word]:
    """Five lines across the page, each crossing its middle."""
    return [w for k in range(5) for w in line(f"a sentence across the page {WORDS[k]} that goes on and on here",
                                              top + 16 * k, BODY, x0=60)]


def test_a_short_block_in_two_columns_under_text_in_one_is_read_column_by_column():
    left = ["the left column opens", "and its lines run on", "down to where it", "stops for good."]
    right = ["then the right column", "takes over from it", "and ends its own", "sentence right here."]
    block = [w for k, (a, b) in enumerate(zip(left, right))
             for w in line(a, 200 + 16 * k, BODY, x0=60) + line(b, 200 + 16 * k, BODY, x0=320)]
    after = line("Table 1 below the columns", 280, BODY, x0=40)
    zones = page_zones(WIDTH, HEIGHT, one_column_text(100) + block + after, BODY)
    assert [texts(region) for region in zones.body] == [
        [row_text(r) for r in page_zones(WIDTH, HEIGHT, one_column_text(100), BODY).body[0]], left, right,
        ["Table 1 below the columns"]]


def test_a_table_of_labels_and_figures_is_read_row_by_row():
    rows = [("Armed Services", "2 5 711,569"), ("Finance", "1 1 30"), ("Foreign Relations", "2 6 540"),
            ("The Judiciary", "4 6 170"), ("Veterans Affairs", "1 8 69")]
    table = [w for k, (label, figures) in enumerate(rows)
             for w in line(label, 200 + 16 * k, BODY, x0=60) + line(figures, 200 + 16 * k, BODY, x0=320)]
    zones = page_zones(WIDTH, HEIGHT, one_column_text(100) + table, BODY)
    assert texts(zones.body[-1])[-5:] == [f"{label} {figures}" for label, figures in rows]


def test_a_caption_across_two_columns_stays_one_line():
    """All of its line spans the columns, not only the word on the gutter."""
    left_part = line("Figure 2. Speedup of the", 100, BODY, x0=60)
    right_part = line("baseline on every benchmark", 100, BODY, x0=left_part[-1].x1 + 0.3 * BODY)
    columns = [w for k in range(30) for w in line(f"left {WORDS[k % 15]} column", 130 + 16 * k, BODY, x0=60)
               + line(f"right {WORDS[k % 15]} column", 130 + 16 * k, BODY, x0=320)]
    zones = page_zones(WIDTH, HEIGHT, left_part + right_part + columns, BODY)
    assert texts(zones.body[0]) == ["Figure 2. Speedup of the baseline on every benchmark"]
    assert texts(zones.body[1])[:2] == ["left alpha column", "left bravo column"]
    assert texts(zones.body[2])[:2] == ["right alpha column", "right bravo column"]


def two_columns(top: float, rows: int) -> list[Word]:
    """``rows`` lines of running text in each of two columns, from ``top`` down."""
    return [w for k in range(rows) for w in line(f"left {WORDS[k % 15]} column line of text", top + 14 * k, BODY, x0=40)
            + line(f"right {WORDS[k % 15]} column line of text", top + 14 * k, BODY, x0=320)]


def test_a_table_above_the_columns_is_a_float_the_columns_go_on_after():
    caption = line("Table 1. Appropriations with expired authorizations, by committee of the House", 60, BODY, x0=40)
    table = [w for k, (label, figures) in enumerate([("Agriculture", "3 3 321"), ("Armed Services", "18 110 44,471"),
                                                    ("Finance", "52 282 13,661"), ("Judiciary", "7 19 5,122")])
             for w in line(label, 80 + 14 * k, BODY, x0=40) + line(figures, 80 + 14 * k, BODY, x0=320)]
    table_note = line("a. Includes laws containing expired authorizations of appropriations for any amounts.", 140,
                      BODY, x0=40)
    zones = page_zones(WIDTH, HEIGHT, caption + table + table_note + two_columns(170, 30), BODY)
    assert zones.lead_float > 0
    assert texts(zones.body[zones.lead_float])[0] == "left alpha column line of text"
    page = page_text(WIDTH, HEIGHT, caption + table + table_note + two_columns(170, 30), [], BODY)
    assert page.text[page.float_end:].startswith("left alpha column line of text")
    assert "a. Includes laws" in page.text[:page.float_end]


def test_columns_of_text_above_a_full_width_figure_are_no_float():
    caption = line("Figure 2. Speedup of every benchmark against the baseline interpreter, in", 300, BODY, x0=40)
    zones = page_zones(WIDTH, HEIGHT, two_columns(60, 16) + caption + two_columns(330, 25), BODY)
    assert zones.lead_float == 0


def test_columns_a_word_space_apart_stay_apart():
    """A gutter no wider than a word space: the lines beside it are no line across it."""
    text = "a line of words that runs on to the gutter"  # 42 characters: about 260 points
    edge = 290.0  # the left column's lines set flush with it, as justified lines are
    left = [line(f"{WORDS[k % 15]} {text}", 100 + 14 * k, BODY, x0=0) for k in range(30)]
    left = [[Word(w.text, w.x0 + edge - ws[-1].x1, w.x1 + edge - ws[-1].x1, w.top, w.bottom, w.size, w.font)
             for w in ws] for ws in left]
    right = [line(f"{WORDS[k % 15]} {text}", 100 + 14 * k, BODY, x0=edge + 5) for k in range(30)]
    zones = page_zones(WIDTH, HEIGHT, [w for ws in left + right for w in ws], BODY)
    assert [texts(region)[:2] for region in zones.body] == [[f"alpha {text}", f"bravo {text}"]] * 2


def test_small_type_at_the_foot_of_a_float_above_the_columns_is_no_note():
    caption = line("Table 4. Major sources of expired authorizations of appropriations, by public law", 220, BODY, x0=40)
    table = [w for k, (law, figures) in enumerate([("104-262 Veterans", "73,339 82,586"),
                                                   ("105-276 Housing", "30,026 31,293"),
                                                   ("109-162 Justice", "29,452 31,245")])
             for w in line(law, 240 + 14 * k, BODY, x0=40) + line(figures, 240 + 14 * k, BODY, x0=320)]
    small_row = line("102-550 Housing and Community Development", 350, 8.0, x0=40) + line("7,033 5,548", 350, 8.0, x0=320)
    source = line("Source: Congressional Budget Office, from the laws and their legislative history.", 366, BODY, x0=40)
    words = caption + table + small_row + source + two_columns(400, 27)
    zones = page_zones(WIDTH, HEIGHT, words, BODY)
    assert zones.lead_float > 0 and zones.notes == []
    assert "102-550 Housing and Community Development" in [t for region in zones.body[:zones.lead_float]
                                                          for t in texts(region)]


def edges(first_top: float = 72.0, last_bottom: float = 720.0, last_room: float = 2.0,
          flush_share: float = 0.1) -> PageEdges:
    """A page of 11-point ragged type on a 14-point pitch whose next page's first word is 30 points wide."""
    return PageEdges(first_top, 30.0, last_bottom, last_room, 14.0, last_room <= 0.25 * 11, flush_share)


@pytest.mark.parametrize("page_one, page_two, runs_on", [
    (edges(), edges(), [1, 2]),  # full to the foot, the last line to the edge, the next page's text at the top
    (edges(last_room=120.0), edges(), [2]),  # a short last line: a paragraph ended there
    (edges(last_bottom=690.0), edges(), [2]),  # room left for two more lines: it ended there
    (edges(), edges(first_top=160.0), [2]),  # the next page opens lower (a figure or a gap above its text)
    (edges(), edges(first_top=math.inf), [2]),  # the next page opens with a float
    (edges(last_room=6.0, flush_share=0.8), edges(flush_share=0.8), [2]),  # justified: 6 points short is a last line
    (edges(last_room=0.3, flush_share=0.8), edges(last_room=0.3, flush_share=0.8), [1, 2]),  # set to the edge
])
def test_a_page_runs_on_only_when_full_to_its_foot_and_edge_and_the_next_opens_at_the_top(page_one, page_two, runs_on):
    assert pages_running_on([page_one, page_two, edges()]) == runs_on


def test_word_spaces_lined_up_on_a_short_page_are_no_gutter():
    """The last page of a report, three justified lines whose spaces (stretched to 7.5 points) fall
    at the same places: one column."""
    rows = []
    for k in range(3):
        x, words = 60.0, []
        for text in f"the stakes are high for all who trade and who build what lasts {WORDS[k]}".split():
            width = 0.5 * BODY * len(text)
            words.append(Word(text, x, x + width, 100 + 14 * k, 100 + 14 * k + BODY, BODY, "Serif"))
            x += width + 7.5
        rows.append(words)
    zones = page_zones(WIDTH, HEIGHT, [w for words in rows for w in words], BODY)
    assert [texts(region) for region in zones.body] == [[" ".join(w.text for w in words) for words in rows]]


def test_a_section_label_over_an_indented_paragraph_is_a_heading_and_the_paragraph_stays_whole():
    """A slip opinion's "B" centred over a paragraph whose first line is indented: the label is a
    paragraph of its own, and the lines back at the margin go on with the paragraph (no list)."""
    label = line("B", 100, BODY, x0=290)
    first = line("In the years since the Compact was ratified by the", 116, BODY, x0=110)
    rest = [w for k, text in enumerate(["Congress of the signatory States, the region grew in", "population and in demand."])
            for w in line(text, 132 + 16 * k, BODY)]
    text = page_text(WIDTH, HEIGHT, label + first + rest, [], BODY).text
    assert [p.split() for p in text.split("\n\n")] == [
        ["B"], "In the years since the Compact was ratified by the Congress of the signatory States, the region grew in "
               "population and in demand.".split()]
