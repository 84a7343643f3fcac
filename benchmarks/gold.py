"""Scoring the cleaner and the citation parser against hand-written gold: the style zoo
(``tests/data/styles/*.gold.json``), the shared PDFs (``tests/data/pdf_gold/*.jsonl``) and a
report typeset in many layouts (``tests/data/pdf_flow/report.txt``).

Used by the tests (which assert the scores) and by ``make bench`` (which prints them).
"""
from __future__ import annotations

import json
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
STYLES = ROOT / "tests" / "data" / "styles"
PDF_GOLD = ROOT / "tests" / "data" / "pdf_gold"
SHARED = ROOT.parent / "shared"


def norm(text: str) -> str:
    """NFKC, one space for every run of whitespace, none between Japanese characters."""
    text = re.sub(r"\s+", " ", unicodedata.normalize("NFKC", text)).strip()
    return re.sub(r"(?<=[^\x00-\x7f]) (?=[^\x00-\x7f])", "", text)


def _unspaced(text: str) -> str:
    return re.sub(r"\s+", "", norm(text))


def _value(value: Any) -> Any:
    if isinstance(value, str):
        return norm(value).rstrip(" .,;:、。")
    if isinstance(value, list):
        return [_value(v) for v in value]
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items() if k != "id"}
    return value


@dataclass
class Score:
    """What a document's cleaning and note parsing got right, against its gold."""

    name: str
    notes: int = 0  # gold notes
    found: int = 0  # gold notes found whole (first and last words)
    anchored: int = 0  # found and linked to the right marker (or rightly to none)
    extra: int = 0  # notes found that are in no gold
    joins: int = 0
    joins_made: int = 0
    residue: int = 0  # head, footer and page-number lines left in the body
    sentences: int = 0
    sentences_kept: int = 0
    citation_fields: int = 0
    citation_fields_right: int = 0
    not_markers: int = 0  # places where raised digits or symbols are no note's marker (PDF gold)
    not_markers_kept: int = 0  # no marker taken from there
    pages_without_text_right: bool = True  # the pages with no text (scans) reported are the gold's (PDF gold)
    table_notes: int = 0  # notes under a table (a, b, c), which stay with it in the body (PDF gold)
    table_notes_kept: int = 0
    misses: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return (self.found == self.anchored == self.notes and not self.extra and self.joins_made == self.joins
                and not self.residue and self.sentences_kept == self.sentences
                and self.not_markers_kept == self.not_markers and self.pages_without_text_right
                and self.table_notes_kept == self.table_notes)


def build_text_document(text: str, doc_id: str) -> dict[str, Any]:
    """The segment record of a text document (clean and segment in memory)."""
    from pipeline.clean import clean_document
    from pipeline.ingest import document_from_text
    from pipeline.segment import segment_document

    return segment_document(clean_document(document_from_text(text, f"{doc_id}.txt"), doc_id))


def score_record(name: str, seg: dict[str, Any], gold: dict[str, Any], raw: str | None = None) -> Score:
    """Score the segment record ``seg`` against ``gold`` (a style-zoo gold file's fields, or a PDF
    gold line's). ``raw``: the raw text, for residue by provenance (text input only)."""
    score = Score(name)
    text = seg["text"]
    paragraphs = [norm(text[p["start"]:p["end"]]) for p in seg["paragraphs"]]
    # what the cleaner keeps apart from the body (acknowledgements, front matter) is joined there too
    paragraphs += [norm(part) for key in ("front_matter", "back_matter")
                   for part in (seg.get("metadata", {}).get(key) or "").split("\n\n") if part]
    body = norm(text)
    notes = seg["footnotes"]
    matched: set[int] = set()
    for g in gold.get("notes", []):
        score.notes += 1
        # a note is identified by its first and last words, spaces aside: where a PDF kerns
        # "LATEX 2ε" or "\show,\showbox" the eye and the text layer may differ by a space
        start, end = _unspaced(g["text_starts"]), _unspaced(g.get("text_ends") or "")
        hit = next((k for k, f in enumerate(notes) if k not in matched and _unspaced(f["text"]).startswith(start)
                    and _unspaced(f["text"]).rstrip(".。").endswith(end.rstrip(".。"))), None)
        if hit is None:
            score.misses.append(f"note {g['label']} not found: {g['text_starts'][:40]}")
            score.citation_fields += sum(len(c) for c in g.get("citations", []))
            continue
        matched.add(hit)
        score.found += 1
        f = notes[hit]
        if g.get("marker_after") is None:
            anchored = f["anchor"] is None
        else:
            anchored = f["anchor"] is not None and norm(text[:f["anchor"]]).endswith(norm(g["marker_after"]))
        if anchored:
            score.anchored += 1
        else:
            score.misses.append(f"note {g['label']} not anchored after {g.get('marker_after')!r}")
        for k, expected in enumerate(g.get("citations", [])):
            got = f["citations"][k] if k < len(f["citations"]) else {}
            for key, value in expected.items():
                score.citation_fields += 1
                if _value(got.get(key)) == _value(value):
                    score.citation_fields_right += 1
    score.extra = len(notes) - len(matched)
    score.misses += [f"extra note: {notes[k]['text'][:50]}" for k in range(len(notes)) if k not in matched]
    for join in gold.get("joins", []):
        join = join["joined"] if isinstance(join, dict) else join  # the PDF gold gives the page too
        score.joins += 1
        if any(norm(join) in p for p in paragraphs):
            score.joins_made += 1
        else:
            score.misses.append(f"join not made: {join}")
    body_unspaced = _unspaced(text)
    for table_note in gold.get("table_notes", []):
        score.table_notes += 1
        start = _unspaced(table_note["text_starts"])
        if start in body_unspaced and not any(start in _unspaced(f["text"]) for f in notes):
            score.table_notes_kept += 1
        else:
            score.misses.append(f"table note {table_note['label']} not with its table: {table_note['text_starts'][:40]}")
    for sentence in gold.get("sentences", []):
        score.sentences += 1
        if norm(sentence) in body:
            score.sentences_kept += 1
        else:
            score.misses.append(f"sentence lost: {sentence[:50]}")
    if raw is not None:
        score.residue = _residue(raw, seg, [*gold.get("heads", []), *gold.get("page_numbers", [])], score.misses,
                                 gold.get("titles", []))
        lifted = [m["raw_offset"] for m in seg.get("unlinked_markers", [])]
        for place in gold.get("not_markers", []):
            score.not_markers += 1
            span = _raw_span(raw, place["context"], place.get("page"))
            if span is None:
                score.misses.append(f"not-a-marker place not found: {place['context'][:40]}")
            elif any(span[0] <= at < span[1] for at in lifted):
                score.misses.append(f"taken for a marker ({place['why']}): {place['context'][:40]}")
            else:
                score.not_markers_kept += 1
    return score


NOTE_SYMBOLS = "*†‡§¶#$"  # what marks a note besides digits and letters


def _raw_span(raw: str, context: str, page: int | None) -> tuple[int, int] | None:
    """Where ``context`` stands in the raw text, on ``page`` where it stands more than once: matched
    by its letters, digits and note symbols after NFKC (a raised "¹⁶" is the "16" the eye reads;
    spaces, hyphens at line ends and symbol-font bullets aside), or by its two ends where the text
    layer sets a part apart (a fraction's numerator and denominator on lines of their own)."""
    want, _ = _alnum_key(context.replace("∗", "*"), NOTE_SYMBOLS)
    have, index = _alnum_key(raw.replace("∗", "*"), NOTE_SYMBOLS)
    spans = []
    at = have.find(want) if want else -1
    while at >= 0:
        spans.append((index[at], index[at + len(want) - 1] + 1))
        at = have.find(want, at + 1)
    head, tail = want[:6], want[-6:]
    at = have.find(head) if not spans and len(want) >= 12 else -1
    while at >= 0:
        end = have.find(tail, at + len(head))
        if 0 <= end <= at + 2 * len(want):
            spans.append((index[at], index[end + len(tail) - 1] + 1))
        at = have.find(head, at + 1)
    on_page = [sp for sp in spans if page is not None and raw.count("\f", 0, sp[0]) + 1 == page]
    return (on_page or spans or [None])[0]


def _residue(raw: str, seg: dict[str, Any], lines: list[str], misses: list[str], titles: list[str] = ()) -> int:
    """Raw lines that are a head, footer or page number (as the gold gives them, digits masked)
    whose characters reached the clean body (by the clean text's raw offsets). ``titles``: heads
    that the document also prints once as a title (a part's title page, which that part's pages
    repeat as their head): the first line with that text is the title, and stays."""
    def key(line: str) -> str:
        return re.sub(r"\d+", "#", norm(line))

    wanted = {key(line) for line in lines}
    title_keys = {key(line) for line in titles}
    kept: list[tuple[int, int]] = [(raw_start, raw_start + length) for _, raw_start, length in seg.get("offset_runs", [])]
    if not kept:
        return 0
    import bisect

    starts = [a for a, _ in kept]
    count = 0
    pos = 0
    seen: set[str] = set()
    for number, line in enumerate(raw.split("\n")):
        begin, pos = pos, pos + len(line) + 1
        stripped = line.strip().strip("\f")
        if not stripped or key(stripped) not in wanted:
            continue
        if (number < 10 or key(stripped) in title_keys) and key(stripped) not in seen:
            seen.add(key(stripped))
            continue  # the title the first page prints, which later pages repeat as their running head
        at = begin + line.index(stripped[0])
        k = bisect.bisect_right(starts, at) - 1
        if k >= 0 and kept[k][0] <= at < kept[k][1]:
            count += 1
            misses.append(f"residue: {stripped}")
    return count


def style_documents() -> list[Path]:
    return sorted(STYLES.glob("*.gold.json"))


def score_style(gold_path: Path) -> Score:
    """Clean and segment a style-zoo document and score it against its gold file."""
    from pipeline.clean import clean_document
    from pipeline.ingest import read_document
    from pipeline.segment import segment_document

    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    path = STYLES / gold["doc"]
    raw = read_document(path)
    clean = clean_document(raw, path.stem)
    seg = segment_document(clean)
    return score_record(path.stem, {**seg, "offset_runs": clean["offset_runs"]}, gold, raw.text)


def pdf_gold_rows() -> list[dict[str, Any]]:
    """Every line of ``tests/data/pdf_gold/*.jsonl``: one per shared PDF."""
    return [json.loads(line) for path in sorted(PDF_GOLD.glob("*.jsonl"))
            for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def score_pdftotext(row: dict[str, Any], workdir: Path) -> Score | None:
    """Extract a shared PDF with pdftotext (poppler), as users often do, clean and segment the text,
    and score it against the PDF's gold; None where pdftotext or the PDF is missing."""
    import shutil
    import subprocess

    pdf = SHARED / row["pdf"]
    tool = shutil.which("pdftotext")
    if tool is None or not pdf.exists():
        return None
    text = workdir / (pdf.stem + ".txt")
    subprocess.run([tool, str(pdf), str(text)], check=True, capture_output=True)
    from pipeline.clean import clean_document
    from pipeline.ingest import read_document
    from pipeline.segment import segment_document

    raw = read_document(text)
    clean = clean_document(raw, pdf.stem)
    seg = segment_document(clean)
    return score_record(f"pdftotext {pdf.stem}", {**seg, "offset_runs": clean["offset_runs"]}, row, raw.text)


STANCE_DOCS = ROOT / "tests" / "data" / "stance_docs"
CORPUS_MORE = SHARED / "corpus-more"
TAG_LABELS = ("ORG", "LAW", "EVENT")


def entity_gold() -> dict[str, tuple[Path, set[tuple[str, str]]]]:
    """The hand-made ORG/LAW/EVENT gold of the documents written for the project (the style zoo and
    the stance documents): each document's file and its distinct (label, name) pairs."""
    gold: dict[str, tuple[Path, set[tuple[str, str]]]] = {}
    for path in style_documents():
        row = json.loads(path.read_text(encoding="utf-8"))
        gold[row["doc"]] = (STYLES / row["doc"], {(label, norm(name)) for label, name in row.get("entities", [])})
    for line in (ROOT / "tests" / "data" / "entities.gold.jsonl").read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        path = STANCE_DOCS / row["doc"]
        if path.exists():
            gold[row["doc"]] = (path, {(label, norm(name)) for label, name in row["entities"]})
    return gold


def tagged_document(path: Path) -> dict[str, Any]:
    """The tag record of a text document, in memory."""
    from pipeline.clean import clean_document
    from pipeline.ingest import read_document
    from pipeline.segment import segment_document
    from pipeline.tag import tag_document

    return tag_document(segment_document(clean_document(read_document(path), path.stem)))


def entity_scores(documents: dict[str, tuple[Path, set[tuple[str, str]]]] | None = None
                  ) -> tuple[dict[str, dict[str, float]], list[str]]:
    """Precision, recall and F1 per label over the documents' distinct body names, and the misses."""
    documents = entity_gold() if documents is None else documents
    counts = {label: [0, 0, 0] for label in TAG_LABELS}  # true positives, predicted, gold
    misses: list[str] = []
    for name, (path, gold) in sorted(documents.items()):
        tag = tagged_document(path)
        found = {(e["label"], norm(e["text"])) for s in tag["sentences"] for e in s["entities"]
                 if e["label"] in TAG_LABELS}
        for label in TAG_LABELS:
            g = {x for x in gold if x[0] == label}
            f = {x for x in found if x[0] == label}
            counts[label][0] += len(g & f)
            counts[label][1] += len(f)
            counts[label][2] += len(g)
            misses += [f"{name}: missed {x}" for x in sorted(g - f)] + [f"{name}: extra {x}" for x in sorted(f - g)]
    scores = {}
    for label, (tp, predicted, total) in counts.items():
        p = tp / predicted if predicted else 0.0
        r = tp / total if total else 0.0
        scores[label] = {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0,
                         "gold": total, "found": predicted}
    return scores, misses


# ---------------------------------------------------------------------------------------------
# Stances: tests/data/stances.gold.jsonl (made by reading; method in pipeline/patterns/STANCES.md)

STANCE_GOLD = ROOT / "tests" / "data" / "stances.gold.jsonl"
POLARITIES = ("support", "oppose", "hardline", "conciliatory", "concern")
# written and real documents the cue lexicon was grown on, and those held out of that work
STANCE_HELD_OUT = ("en-whitehouse-2025-10-27-us-japan-critical-minerals-rare-earths-framework.md",
                   "en-whitehouse-2025-01-03-order-nippon-steel-us-steel-cfius.md", "en_op_ed.txt",
                   "ja_ministry_summary.txt")


def stance_source(doc: str) -> Path:
    """The file a stance gold row's ``doc`` names: a seed, a written document or a shared source."""
    for path in (ROOT / "corpus" / "raw" / f"{doc}.txt", STANCE_DOCS / doc, CORPUS_MORE / doc):
        if path.exists():
            return path
    raise FileNotFoundError(doc)


def markdown_text(path: Path) -> str:
    """A shared source's markdown as text: the YAML header goes, the cleaner handles the markup."""
    text = path.read_text(encoding="utf-8")
    return re.sub(r"\A---\n.*?\n---\n", "", text, flags=re.S) if path.suffix == ".md" else text


def _alnum_key(text: str, symbols: str = "") -> tuple[str, list[int]]:
    """Letters and digits only (and ``symbols``), after NFKC, casefolded, with each one's offset in
    ``text``: sentences found whatever the markup, spaces and line breaks around them."""
    keep = [(c, i) for i, ch in enumerate(text) for c in unicodedata.normalize("NFKC", ch).casefold()
            if c.isalnum() or c in symbols]
    return "".join(c for c, _ in keep), [i for _, i in keep]


def _locate(sentence: str, key: str, index: list[int], from_key: int) -> tuple[int, int, int] | None:
    """The clean-text span of a gold sentence (and where the search goes on), or None."""
    want, _ = _alnum_key(sentence)
    if not want:
        return None
    at = key.find(want, from_key)
    if at < 0:
        at = key.find(want)
    if at < 0:  # markup the cleaner kept (a link's address): find the sentence's two ends apart
        head, tail = want[:30], want[-30:]
        at = key.find(head, from_key)
        end_at = key.find(tail, at) if at >= 0 else -1
        if at < 0 or end_at < 0 or end_at - at > 2 * len(want):
            return None
        return index[at], index[end_at + len(tail) - 1] + 1, end_at + len(tail)
    return index[at], index[at + len(want) - 1] + 1, at + len(want)


def _same_phrase(ours: str | None, gold: str | None) -> bool:
    """A holder or target is right when one holds the other (case, spaces and "the" aside)."""
    if not ours or not gold:
        return False
    a, b = (re.sub(r"^the ", "", norm(x).casefold().rstrip(" .,;:、。")) for x in (ours, gold))
    return bool(a and b) and (a in b or b in a)


def stance_gold() -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = {}
    for line in STANCE_GOLD.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        rows.setdefault(row["doc"], []).append(row)
    return rows


def stance_tag_record(doc: str) -> dict[str, Any]:
    from pipeline.tag import tag_document

    path = stance_source(doc)
    if path.suffix == ".md":
        return tag_document(build_text_document(markdown_text(path), path.stem))
    return tagged_document(path)


def cue_word_baseline(record: dict[str, Any]) -> list[tuple[int, str]]:
    """Every sentence holding any cue word of the lexicon is one stance, of that word's polarity:
    (offset, polarity) per sentence."""
    from pipeline.tag.cues import load_cues

    words: dict[str, dict[str, str]] = {"en": {}, "ja": {}}
    for cue in load_cues():
        for token in cue.text.split():
            for word in token.rstrip("?").split("|"):
                if len(word.rstrip("*")) > 2 and word not in ("a", "an", "the", "to", "of", "on", "with", "for"):
                    words[cue.lang].setdefault(word.casefold(), cue.polarity)
    found = []
    for s in record["sentences"]:
        text = s["text"].casefold()
        lexicon = words["ja" if s.get("lang") == "ja" else "en"]
        for word, polarity in lexicon.items():
            pattern = re.escape(word.rstrip("*")) + (r"\w*" if word.endswith("*") else "")
            if re.search((r"\b" + pattern + r"\b") if s.get("lang") != "ja" else pattern, text):
                found.append((s["start"], polarity))
                break
    return found


@dataclass
class StanceCounts:
    gold: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POLARITIES, 0))
    found: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POLARITIES, 0))
    right: dict[str, int] = field(default_factory=lambda: dict.fromkeys(POLARITIES, 0))
    holders_right: int = 0
    targets_right: int = 0
    unlocated: int = 0  # gold sentences not found in the clean text (scored as missed)

    def add(self, other: "StanceCounts") -> None:
        for name in ("gold", "found", "right"):
            for p in POLARITIES:
                getattr(self, name)[p] += getattr(other, name)[p]
        self.holders_right += other.holders_right
        self.targets_right += other.targets_right
        self.unlocated += other.unlocated

    def scores(self, polarity: str | None = None) -> dict[str, float]:
        pols = POLARITIES if polarity is None else (polarity,)
        tp, found, gold = (sum(getattr(self, n)[p] for p in pols) for n in ("right", "found", "gold"))
        p = tp / found if found else 0.0
        r = tp / gold if gold else 0.0
        return {"precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0, "gold": gold,
                "found": found, "right": tp}


def score_stances(doc: str, rows: list[dict[str, Any]], record: dict[str, Any],
                  baseline: bool = False, misses: list[str] | None = None) -> StanceCounts:
    """A stance is right when its cue lies in a gold stance sentence and its polarity is one the gold
    gives there (each gold stance matched once); holder and target are checked on the right ones."""
    text = record["text"]
    key, index = _alnum_key(text)
    counts = StanceCounts()
    spans: list[tuple[int, int, list[dict[str, Any]]]] = []
    at = 0
    for row in rows:
        for st in row["stances"]:
            counts.gold[st["polarity"]] += 1
        where = _locate(row["sentence"], key, index, at)
        if where is None:
            counts.unlocated += 1
            if misses is not None:
                misses.append(f"{doc}: sentence not found: {row['sentence'][:80]}")
            continue
        start, end, at = where
        spans.append((start, end, list(row["stances"])))
    if baseline:
        predicted = [{"start": start, "polarity": pol, "holder": None, "target": None, "cue": ""}
                     for start, pol in cue_word_baseline(record)]
    else:
        predicted = [st for s in record["sentences"] for st in s["stances"]]
    for st in predicted:
        counts.found[st["polarity"]] += 1
        home = next((sp for sp in spans if sp[0] <= st["start"] < sp[1]), None)
        match = None if home is None else next((g for g in home[2] if g["polarity"] == st["polarity"]), None)
        if match is None:
            if misses is not None:
                misses.append(f"{doc}: extra {st['polarity']} at {st['cue']!r}: {text[st['start']:st['start'] + 80]!r}")
            continue
        home[2].remove(match)
        counts.right[st["polarity"]] += 1
        holder = st["holder"]
        counts.holders_right += _same_phrase(holder, match["holder"]) or holder == match["holder"] == "AUTHOR"
        counts.targets_right += _same_phrase(st["target"], match["target"])
    if misses is not None:
        for start, _, left in spans:
            misses += [f"{doc}: missed {g['polarity']} {g['cue']!r}: {text[start:start + 80]!r}" for g in left]
    return counts


def stance_scores(baseline: bool = False, docs: list[str] | None = None,
                  misses: list[str] | None = None) -> dict[str, StanceCounts]:
    """Counts per document of the stance gold (ours, or the cue-word baseline)."""
    gold = stance_gold()
    return {doc: score_stances(doc, gold[doc], stance_tag_record(doc), baseline, misses)
            for doc in sorted(gold) if docs is None or doc in docs}


def score_pdf(row: dict[str, Any]) -> Score | None:
    """Read a shared PDF through the pipeline's own PDF path (the page model over PDFium), clean and segment it, and
    score it against the PDF's gold; None where the PDF is missing."""
    from pipeline.clean import clean_document
    from pipeline.ingest import read_document
    from pipeline.segment import segment_document

    pdf = SHARED / row["pdf"]
    if not pdf.exists():
        return None
    raw = read_document(pdf)
    clean = clean_document(raw, pdf.stem)
    seg = segment_document(clean)
    score = score_record(f"pdf {pdf.stem}", {**seg, "offset_runs": clean["offset_runs"]}, row, raw.text)
    if raw.pages_without_text != row["pages_without_text"]:
        score.pages_without_text_right = False
        score.misses.append(f"pages without text {raw.pages_without_text}, not {row['pages_without_text']}")
    return score


# --- a report typeset by a layout engine: page breaks where the engine puts them -----------------

FLOW_REPORT = ROOT / "tests" / "data" / "pdf_flow" / "report.txt"


@dataclass(frozen=True)
class FlowLayout:
    page: str = "letter"  # or "A4"
    size: float = 11.0  # the body type's size, in points
    margin: float = 72.0  # the left and right margins, in points
    justified: bool = True  # or set ragged right

    def __str__(self) -> str:
        return f"{self.page} {self.size:g}pt {self.margin:g}pt {'justified' if self.justified else 'ragged'}"


FLOW_LAYOUTS = [FlowLayout(page, size, margin, justified) for page in ("letter", "A4")
                for size in (9, 9.5, 10, 10.5, 11, 11.5, 12, 12.5, 13) for margin in (54, 72, 90)
                for justified in (True, False)]


def flow_paragraphs() -> list[str]:
    """The report's paragraphs (headings too): the gold its PDF's cleaning must give."""
    return [p.strip() for p in FLOW_REPORT.read_text(encoding="utf-8").split("\n\n") if p.strip()]


def make_flowed_pdf(path: Path, layout: FlowLayout = FlowLayout()) -> Path:
    """The report typeset by reportlab's layout engine (platypus) as a word processor sets a report:
    paragraphs not indented but set apart by space, headings in bold, a running head and a page
    number on every page; the engine, not the test, decides where the pages break."""
    from reportlab.lib.enums import TA_JUSTIFY, TA_LEFT
    from reportlab.lib.pagesizes import A4, letter
    from reportlab.lib.styles import ParagraphStyle
    from reportlab.platypus import Paragraph, SimpleDocTemplate

    pagesize = {"letter": letter, "A4": A4}[layout.page]
    size = layout.size
    body = ParagraphStyle("body", fontName="Helvetica", fontSize=size, leading=size * 1.3, spaceAfter=size * 0.8,
                          alignment=TA_JUSTIFY if layout.justified else TA_LEFT)
    heading = ParagraphStyle("heading", fontName="Helvetica-Bold", fontSize=size + 2, leading=(size + 2) * 1.3,
                             spaceBefore=size * 0.6, spaceAfter=size * 0.6)

    def head_and_number(canvas: Any, doc: Any) -> None:
        canvas.saveState()
        canvas.setFont("Helvetica", 8)
        canvas.drawString(doc.leftMargin, pagesize[1] - 40, "Economic Security in Practice: A Field Report")
        canvas.drawCentredString(pagesize[0] / 2, 36, str(doc.page))
        canvas.restoreState()

    doc = SimpleDocTemplate(str(path), pagesize=pagesize, invariant=1, leftMargin=layout.margin,
                            rightMargin=layout.margin, topMargin=72, bottomMargin=72)
    story = [Paragraph(text, body if text.endswith((".", "?", '"')) else heading) for text in flow_paragraphs()]
    doc.build(story, onFirstPage=head_and_number, onLaterPages=head_and_number)
    return path


@dataclass
class FlowScore:
    """What the cleaning of the report in one layout got right: its paragraphs, against the report's."""

    layout: FlowLayout
    pages: int
    breaks_between_sentences: int  # page breaks that fall between two sentences of a paragraph
    text_kept: bool  # the paragraphs' words are the report's, in its order
    run_together: list[str]  # the report's paragraphs run into the one before (the first words)
    cut: list[str]  # paragraphs cut in two (the first words of the part cut off)

    @property
    def exact(self) -> bool:
        return self.text_kept and not self.run_together and not self.cut


def _starts(paragraphs: list[str]) -> dict[int, str]:
    """Where each paragraph starts in the paragraphs joined by one space, and its first words."""
    out, at = {}, 0
    for p in paragraphs:
        out[at] = " ".join(p.split()[:6])
        at += len(p) + 1
    return out


def score_flowed(layout: FlowLayout, workdir: Path) -> FlowScore:
    """Typeset the report in ``layout``, read the PDF through the pipeline and clean it; its paragraphs
    against the report's."""
    from pipeline.clean import clean_document
    from pipeline.ingest import read_document

    gold = flow_paragraphs()
    raw = read_document(make_flowed_pdf(workdir / "report.pdf", layout))
    record = clean_document(raw, "report")
    got = [norm(record["text"][p["start"]:p["end"]]) for p in record["paragraphs"]]
    # each page's last body line (not its running head or page number)
    last_lines = [[line.strip() for line in page.strip().splitlines()
                   if line.strip() and not line.strip().isdigit()][-1] for page in raw.text.split("\f")[:-1] if page.strip()]
    between = sum(1 for line in last_lines[:-1]
                  if line.endswith((".", "?", '"')) and not any(p.endswith(line) for p in gold))
    gold_starts, got_starts = _starts(gold), _starts(got)
    return FlowScore(layout, len(last_lines), between, " ".join(got) == " ".join(gold),
                     [words for at, words in gold_starts.items() if at not in got_starts],
                     [words for at, words in got_starts.items() if at not in gold_starts])
