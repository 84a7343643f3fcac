"""The records the stages pass on and the corpus files hold, typed once.

Each stage reads and writes JSON, so the records are ``TypedDict``s (plain dicts at run time, typed
for readers and type checkers). ``tests/test_records.py`` holds them to the JSON Schemas in
``pipeline/schemas/``: same fields, same required fields. The vocabularies (entity labels,
stance polarities, CSL variables) are defined here and read from here by every stage.
"""

from typing import Any, Literal, NotRequired, TypedDict, get_args

Label = Literal["ORG", "LAW", "EVENT", "POLICY", "GPE", "PERSON"]
Polarity = Literal["support", "oppose", "hardline", "conciliatory", "concern"]
Lang = Literal["en", "ja"]
ParagraphKind = Literal["title", "byline", "abstract", "heading", "paragraph", "list_item"]
RemovedKind = Literal["running_header", "page_number", "section_label"]


class Entity(TypedDict):
    """A mention of a body, law, policy, place or person: ``text == text_of_its_parent[start:end]``."""
    start: int
    end: int
    label: Label
    text: str
    id: str  # canonical id, e.g. "org:meti"
    kb_id: NotRequired[str]  # a Japanese law's e-Gov law id, derived from its official number
    role: NotRequired[Literal["publisher"]]  # in a note: the body that published the cited work


class Stance(TypedDict):
    """A holder's position toward a target, found at a cue (see ``patterns/STANCES.md``)."""
    start: int  # the cue's span in the clean text
    end: int
    cue: str
    polarity: Polarity
    cue_polarity: Polarity  # the lexicon's polarity, before negation flips it
    negated: bool
    hedged: bool
    holder: str | None  # text, or "AUTHOR"
    holder_id: str | None
    holder_span: list[int] | None
    target: str | None
    target_id: str | None
    target_span: list[int] | None
    target_inferred: bool


class Name(TypedDict, total=False):
    """A CSL name: a person as family/given, a body as literal (with its canonical id if known)."""
    family: str
    given: str
    literal: str
    id: str


class Citation(TypedDict):
    """A cited work as CSL-JSON (the variables this corpus uses), with the note span it came from."""
    type: str
    author: NotRequired[list[Name]]
    title: NotRequired[str]
    title_translation: NotRequired[str]  # "title-translation" in JSON: see CSL_FIELDS
    container_title: NotRequired[str]  # "container-title"
    volume: NotRequired[str]
    issue: NotRequired[str]
    page: NotRequired[str]
    number: NotRequired[str]  # a law's, report's or notice's number: "令和4年法律第43号", "Pub. L. No. 117-167"
    issued: NotRequired[str]  # ISO 8601: YYYY, YYYY-MM or YYYY-MM-DD
    accessed: NotRequired[str]
    URL: NotRequired[str]
    DOI: NotRequired[str]
    language: Lang
    event: NotRequired[str]
    event_place: NotRequired[str]  # "event-place"
    genre: NotRequired[str]
    publisher: NotRequired[str]
    authority: NotRequired[str]  # the court of a case
    note: NotRequired[str]
    span: list[int]  # [start, end) in the note's text
    work_id: NotRequired[str]  # the cited work, as in the citation index
    ibid: NotRequired[bool]


def json_key(field: str) -> str:
    """The JSON key of a record field: CSL's hyphenated variables are underscored in Python."""
    return field.replace("_", "-") if field in ("title_translation", "container_title", "event_place") else field


# The CSL-JSON variables a parsed citation may hold, in the order the site lists them.
CSL_FIELDS = tuple(json_key(f) for f in Citation.__annotations__ if f not in ("span", "work_id", "ibid"))
LABELS: tuple[str, ...] = get_args(Label)
POLARITIES: tuple[str, ...] = get_args(Polarity)


class Paragraph(TypedDict):
    start: int
    end: int
    kind: ParagraphKind
    page: int | None
    raw_start: int
    raw_end: int


class Removed(TypedDict):
    """Text the cleaner took out of the body (a running head, a page number, a section label)."""
    kind: RemovedKind
    text: str
    raw_start: int
    raw_end: int
    page: int | None


class UnlinkedMarker(TypedDict):
    """A footnote marker in the body whose note was not found."""
    marker: str
    pos: int
    raw_offset: int


class UnanchoredNote(TypedDict):
    """A note whose marker was not found in the body (its line of ``footnotes.jsonl`` has no anchor)."""
    fn_id: str
    marker: str
    page: int | None
    raw_start: int


class Source(TypedDict):
    path: str
    format: Literal["txt", "pdf"]
    sha256: str
    pages: int | None
    pages_without_text: list[int]  # a PDF's pages with no text beyond heads and numbers (scans), reported


class Extracted(TypedDict):
    """Metadata the cleaner read from the document itself."""
    title: str | None
    abstract: str | None
    keywords: list[str]
    front_matter: str | None
    back_matter: str | None
    links: list[dict[str, str]]


class SentenceRow(TypedDict):
    """A line of ``sentences.jsonl``."""
    doc_id: str
    sent_id: str
    lang: Lang
    start: int
    end: int
    text: str
    entities: list[Entity]
    stances: list[Stance]
    footnotes: list[str]  # fn_ids of the notes anchored in the sentence
    paragraph: int
    kind: ParagraphKind
    page: int | None
    raw_start: int
    raw_end: int


class FootnoteRow(TypedDict):
    """A line of ``footnotes.jsonl``."""
    doc_id: str
    fn_id: str
    marker: str
    number: int | None
    text: str
    anchor: int | None  # offset of its marker in the clean body
    citations: list[Citation]
    commentary: str | None
    parse_warnings: list[str]  # where the citation parser fell back to a guess
    lang: Lang
    entities: list[Entity]
    emphasis: list[list[int]]
    page: int | None
    raw_start: int
    raw_end: int


EGOV_LAW_URL = "https://laws.e-gov.go.jp/law/{}"  # a law's page on e-Gov, by its e-Gov law id


class LawRecord(TypedDict):
    """A Japanese law the document names: its official number and the e-Gov id derived from it."""
    number: str  # 令和4年法律第43号
    kb_id: str  # 504AC0000000043
    url: str  # https://laws.e-gov.go.jp/law/504AC0000000043


class DocumentRow(TypedDict):
    """A line of ``documents.jsonl``: the manifest's metadata and what the pipeline found."""
    doc_id: str
    file: str
    title: str
    authors: list[str]
    year: int | str
    publisher: str
    series: NotRequired[str]
    languages: list[str]
    source_url: str
    licence: str
    note: NotRequired[str]
    source: Source
    extracted: Extracted
    counts: dict[str, Any]
    unlinked_markers: list[UnlinkedMarker]
    unanchored_notes: list[UnanchoredNote]
    removed: list[Removed]
    abbreviations: dict[str, str]
    laws: dict[str, "LawRecord"]
    paragraphs: list[Paragraph]


class CitedBy(TypedDict):
    doc_id: str
    fn_id: str


class CitationIndexRow(TypedDict):
    """A line of ``citation_index.jsonl``: a cited work and every note citing it."""
    id: str
    type: str
    author: NotRequired[list[Name]]
    title: NotRequired[str]
    title_translation: NotRequired[str]
    container_title: NotRequired[str]
    volume: NotRequired[str]
    issue: NotRequired[str]
    page: NotRequired[str]
    number: NotRequired[str]
    issued: NotRequired[str]
    accessed: NotRequired[str]
    URL: NotRequired[str]
    DOI: NotRequired[str]
    language: Lang
    event: NotRequired[str]
    event_place: NotRequired[str]
    genre: NotRequired[str]
    publisher: NotRequired[str]
    authority: NotRequired[str]
    note: NotRequired[str]
    cited_by: list[CitedBy]


# tokens.bio.jsonl's integer ner_tags index this list (a datasets ClassLabel's names)
BIO_TAGS: tuple[str, ...] = ("O", *(f"{p}-{label}" for label in get_args(Label) for p in ("B", "I")))


class BioRow(TypedDict):
    """A line of ``tokens.bio.jsonl``: a sentence's tokens and their BIO entity tags."""
    doc_id: str
    sent_id: str
    lang: Lang
    tokens: list[str]
    starts: list[int]
    tags: list[str]
    ner_tags: list[int]  # each tag's index in BIO_TAGS


# The fields of a row that the stage's own record holds (the rows add doc_id).
SENTENCE_FIELDS = tuple(f for f in SentenceRow.__annotations__ if f != "doc_id")
FOOTNOTE_FIELDS = tuple(f for f in FootnoteRow.__annotations__ if f != "doc_id")
