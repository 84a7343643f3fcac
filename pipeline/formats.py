"""Downstream formats: spaCy DocBins (``annotations/corpus.spacy/``), token-level BIO rows, BibTeX."""
from __future__ import annotations

import functools
import re
from bisect import bisect_left, bisect_right
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:  # spaCy and numpy load in the functions that need them: BibTeX, in the export, does without
    import numpy
    from spacy.tokens import Doc

# The token columns the pipeline fills. Rule-based, it sets no tag, lemma, morphology, part of
# speech or parse, no norm and no knowledge-base id: storing those empty columns (DocBin's default)
# doubled the serialising time, and a column left out loads as the same zeros.
DOC_BIN_ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE", "ENT_ID", "SENT_START")
STANCES_KEY = "stances"  # the DocBin's span group of stance cues


@dataclass(frozen=True)
class ExportTokens:
    """A tag record's clean text as the tokens of its exported spaCy Doc, one numpy row per token:
    what the DocBin and the BIO rows are made of. The tokens tile the text: each starts where the
    one before ends, plus its trailing space.

    Columns, not a ``Doc``: making the Doc (a lexeme lookup per word, a ``char_span`` per entity,
    the ``doc.ents`` setter) and reading it back cost a third of the export fragments' time."""

    words: list[str]
    idx: numpy.ndarray  # int64: character offset in ``text``
    length: numpy.ndarray  # int64
    space: numpy.ndarray  # bool: followed by a space that is not a token
    orth: numpy.ndarray  # uint64: the word's string id (``StringStore.add``)
    sent_start: numpy.ndarray  # int64: 1 starts a sentence, -1 does not
    ent_iob: numpy.ndarray  # uint64: 3 begins an entity, 1 is inside one, 2 outside
    ent_type: numpy.ndarray  # uint64: the entity label's string id, 0 outside
    ent_id: numpy.ndarray  # uint64: the entity's canonical id's string id, 0 outside
    labels: dict[int, str]  # the entity labels by string id
    strings: frozenset[str]  # every string the ids above and the stances name ("" for 0)
    stances: list[tuple[int, int, str]]  # token start, token end, polarity
    user_data: dict[str, Any]  # doc_id, sent_ids, stances (holder, target, flags; same order)


def export_tokens(tag: dict[str, Any], sentence_docs: Sequence[Doc] | None = None) -> ExportTokens:
    """The clean body's tokens: each sentence's from the tag stage's tokenizers (so entity offsets
    align), the text between sentences one token each (a leading space of it trails the token
    before); sentence starts; entities (label, canonical id); stance cues (label = polarity;
    holder, target and flags in ``user_data["stances"]``, same order).

    ``sentence_docs``, the tag stage's Docs of the sentences, saves tokenizing them again.
    ValueError if the tokens do not tile the clean text or an entity does not align with them."""
    import numpy

    text, doc_id = tag["text"], tag["doc_id"]
    rows, sent_first = _token_rows(tag, sentence_docs)
    n = len(rows)
    idx, length = rows[:, 0].astype(numpy.int64), rows[:, 1].astype(numpy.int64)
    sent_start = numpy.full(n, -1, dtype=numpy.int64)
    if n:  # the first token starts a sentence even if it is text before the first sentence
        sent_start[[0, *(i for i in sent_first if i < n)]] = 1
    starts, lengths = idx.tolist(), length.tolist()
    words = [text[i:i + m] for i, m in zip(starts, lengths)]
    ent_iob, ent_type, ent_id, labels = _entity_columns(tag, starts, lengths, len(text))
    stances, details = [], []
    for s in tag["sentences"]:
        for st in s["stances"]:
            # alignment "expand", as Doc.char_span: every token the cue touches
            first, last = _token_at(starts, len(text), st["start"]), _token_at(starts, len(text), st["end"] - 1)
            if first >= 0 and st["start"] == starts[first] + lengths[first]:
                first += 1  # the cue starts in the token's trailing space
            if first < 0 or last < first:
                raise ValueError(f"{doc_id}: stance cue {st['cue']!r} does not align with tokens")
            stances.append((first, last + 1, st["polarity"]))
            details.append({k: v for k, v in st.items() if k not in ("start", "end")})
    strings = {*words, *labels.values(), *(e["id"] for s in tag["sentences"] for e in s["entities"]),
               *(polarity for _, _, polarity in stances)}
    if n:
        strings.add("")  # the string of the id 0: the columns without a value
    return ExportTokens(words=words, idx=idx, length=length, space=rows[:, 2].astype(bool),
                        orth=rows[:, 3].copy(), sent_start=sent_start, ent_iob=ent_iob, ent_type=ent_type,
                        ent_id=ent_id, labels=labels, strings=frozenset(strings), stances=stances,
                        user_data={"doc_id": doc_id, "sent_ids": [s["sent_id"] for s in tag["sentences"]],
                                   "stances": details})


def _token_rows(tag: dict[str, Any], sentence_docs: Sequence[Doc] | None) -> tuple[numpy.ndarray, list[int]]:
    """``export_tokens``' tokens as rows (character offset, length, trailing space, string id;
    uint64), and the index of each sentence's first token."""
    import numpy
    from spacy.attrs import IDX, LENGTH, ORTH, SPACY
    from spacy.strings import get_string_id

    from .tag import build_nlp

    text, doc_id = tag["text"], tag["doc_id"]
    parts: list[numpy.ndarray] = []
    sent_first: list[int] = []
    n = 0

    def add_gap(pos: int, gap: str) -> None:
        nonlocal n
        if gap[0] == " " and n and not parts[-1][-1, 2]:
            parts[-1][-1, 2] = 1  # no token of its own: the space trails the token before
            pos, gap = pos + 1, gap[1:]
        if gap:
            parts.append(numpy.array([[pos, len(gap), 0, get_string_id(gap)]], dtype=numpy.uint64))
            n += 1

    pos = 0
    for k, s in enumerate(tag["sentences"]):
        if text[s["start"]:s["end"]] != s["text"]:
            raise ValueError(f"{doc_id}: sentence {s['sent_id']} is not the clean text at its offsets")
        if s["start"] > pos:
            add_gap(pos, text[pos:s["start"]])
        sent_first.append(n)
        sent_doc = sentence_docs[k] if sentence_docs is not None else \
            build_nlp("ja" if s["lang"] == "ja" else "en").make_doc(s["text"])
        if len(sent_doc):
            rows = sent_doc.to_array([IDX, LENGTH, SPACY, ORTH])  # uint64
            rows[:, 0] += s["start"]
            parts.append(rows)
            n += len(rows)
        pos = s["end"]
    if len(text) > pos:
        add_gap(pos, text[pos:])
    rows = numpy.concatenate(parts) if parts else numpy.zeros((0, 4), dtype=numpy.uint64)
    ends = rows[:, 0] + rows[:, 1] + rows[:, 2]
    if n and (rows[0, 0] != 0 or ends[-1] != len(text) or (ends[:-1] != rows[1:, 0]).any()) or not n and text:
        raise ValueError(f"{doc_id}: tokens do not rebuild the clean text")
    return rows, sent_first


def _token_at(starts: list[int], text_length: int, char: int) -> int:
    """The token holding ``char``, its trailing space included; -1 if none (Doc's token_by_char)."""
    return bisect_right(starts, char) - 1 if 0 <= char < text_length else -1


def _entity_columns(tag: dict[str, Any], starts: list[int], lengths: list[int], text_length: int
                    ) -> tuple[numpy.ndarray, numpy.ndarray, numpy.ndarray, dict[int, str]]:
    """The ENT_IOB, ENT_TYPE and ENT_ID columns as ``Doc.set_ents`` writes them, and the labels by
    string id. Each entity's tokens are found one by one (a few hundred), the columns written in
    one go."""
    import numpy
    from spacy.strings import get_string_id

    firsts, lasts, label_ids, ent_ids = [], [], [], []
    labels: dict[int, str] = {}
    for s in tag["sentences"]:
        for e in s["entities"]:
            # alignment "strict", as Doc.char_span: the entity starts and ends at token edges
            first, last = _token_at(starts, text_length, e["start"]), _token_at(starts, text_length, e["end"] - 1)
            if first < 0 or last < first or starts[first] != e["start"] or starts[last] + lengths[last] != e["end"]:
                raise ValueError(f"{tag['doc_id']}: entity {e['text']!r} does not align with tokens")
            if lasts and first <= lasts[-1]:
                raise ValueError(f"{tag['doc_id']}: entity {e['text']!r} overlaps the one before")
            firsts.append(first)
            lasts.append(last)
            label_ids.append(get_string_id(e["label"]))
            labels[label_ids[-1]] = e["label"]
            ent_ids.append(get_string_id(e["id"]))
    n = len(starts)
    ent_iob = numpy.full(n, 2, dtype=numpy.uint64)
    ent_type = numpy.zeros(n, dtype=numpy.uint64)
    ent_id = numpy.zeros(n, dtype=numpy.uint64)
    if firsts:
        first_at, span_len = numpy.asarray(firsts), numpy.asarray(lasts) - numpy.asarray(firsts) + 1
        inside = numpy.arange(span_len.sum()) - numpy.repeat(numpy.cumsum(span_len) - span_len, span_len)
        covered = numpy.repeat(first_at, span_len) + inside
        ent_iob[covered] = 1
        ent_iob[first_at] = 3
        ent_type[covered] = numpy.repeat(numpy.asarray(label_ids, dtype=numpy.uint64), span_len)
        ent_id[covered] = numpy.repeat(numpy.asarray(ent_ids, dtype=numpy.uint64), span_len)
    return ent_iob, ent_type, ent_id, labels


def doc_bin_bytes(tokens: ExportTokens) -> bytes:
    """The document as a one-Doc ``DocBin`` (``DOC_BIN_ATTRS``, ``store_user_data=True``),
    serialised: the bytes of spaCy's ``DocBin.add`` + ``to_bytes`` for the Doc of these tokens
    (tested against them), packed from the columns, with one msgpack packer (``_packer``).
    spaCy 3.8's DocBin format, written by hand for speed (issue 7): ``DocBin.add`` makes a Token
    object per token, and srsly a packer per call."""
    import struct
    import zlib

    import numpy
    from spacy.strings import get_string_id

    doc_bin = _doc_bin_layout()
    n = len(tokens.words)
    columns = {"ORTH": tokens.orth, "ENT_IOB": tokens.ent_iob, "ENT_TYPE": tokens.ent_type, "ENT_ID": tokens.ent_id,
               "SENT_START": tokens.sent_start.astype(numpy.uint64)}
    token_rows = numpy.column_stack([columns[name] for name in doc_bin.attr_names]) if n else \
        numpy.zeros((0, len(doc_bin.attr_names)), dtype=numpy.uint64)
    pack = _packer().pack
    # SpanGroups.to_bytes and SpanGroup.to_bytes (spaCy 3.8): the group packed, then a map of
    # each packed group to its keys
    spans = [struct.pack(">QQQllll", 0, 0, get_string_id(label), a, b, int(tokens.idx[a]),
                         int(tokens.idx[b - 1] + tokens.length[b - 1]))
             for a, b, label in tokens.stances]  # never empty: export_tokens refuses those
    span_groups = pack({pack({"name": STANCES_KEY, "attrs": {}, "spans": spans}): [STANCES_KEY]})
    msg = {
        "version": doc_bin.version,
        "attrs": doc_bin.attrs,
        "tokens": numpy.ascontiguousarray(token_rows, dtype=numpy.uint64).tobytes("C"),
        "spaces": tokens.space.reshape((-1, 1)).tobytes("C"),
        "lengths": numpy.asarray([n], dtype="int32").tobytes("C"),
        "strings": sorted(tokens.strings),
        "cats": [{}],
        "flags": [{"has_unknown_spaces": False}],
        "span_groups": [span_groups],
        "user_data": [pack(tokens.user_data)],
    }
    return zlib.compress(pack(msg))


@dataclass(frozen=True)
class _DocBinLayout:
    version: str
    attrs: list[int]
    attr_names: list[str]


@functools.lru_cache(maxsize=1)
def _doc_bin_layout() -> _DocBinLayout:
    """The version and attribute ids (in DocBin's order) of a DocBin of ``DOC_BIN_ATTRS``."""
    from spacy.attrs import IDS
    from spacy.tokens import DocBin

    doc_bin = DocBin(attrs=DOC_BIN_ATTRS, store_user_data=True)
    names = {IDS[name]: name for name in DOC_BIN_ATTRS}
    return _DocBinLayout(doc_bin.version, list(doc_bin.attrs), [names[a] for a in doc_bin.attrs])


@functools.lru_cache(maxsize=1)
def _packer() -> Any:
    """The msgpack packer of ``srsly.msgpack_dumps`` (``use_bin_type=True``, srsly's numpy
    encoder), made once: srsly makes one per call, which scans catalogue's registry (0.23 ms,
    four times per DocBin)."""
    from srsly.msgpack import Packer

    return Packer(use_bin_type=True)


def bio_rows(tag: dict[str, Any], tokens: ExportTokens) -> Iterable[dict[str, Any]]:
    """One row per sentence: its tokens (whitespace tokens left out), their offsets in the clean
    text, and BIO entity tags."""
    starts = tokens.idx.tolist()
    ends = (tokens.idx + tokens.length).tolist()
    words = tokens.words
    tags = ["O"] * len(starts)
    iob = {1: "I", 3: "B"}
    in_entity = (tokens.ent_type != 0).nonzero()[0]
    for i, ent_iob, ent_type in zip(in_entity.tolist(), tokens.ent_iob[in_entity].tolist(),
                                    tokens.ent_type[in_entity].tolist()):
        tags[i] = f"{iob[ent_iob]}-{tokens.labels[ent_type]}"
    blank = [i for i, w in enumerate(words) if w.isspace()]
    for s in tag["sentences"]:
        # the tokens overlapping the sentence (alignment "expand"; they coincide with its bounds)
        lo, hi = bisect_right(ends, s["start"]), bisect_left(starts, s["end"])
        row_words, row_starts, row_tags = words[lo:hi], starts[lo:hi], tags[lo:hi]
        if bisect_left(blank, lo) != bisect_left(blank, hi):  # a whitespace token in the sentence
            keep = [k for k, w in enumerate(row_words) if not w.isspace()]
            row_words, row_starts, row_tags = ([column[k] for k in keep] for column in (row_words, row_starts, row_tags))
        yield {"doc_id": tag["doc_id"], "sent_id": s["sent_id"], "lang": s["lang"],
               "tokens": row_words, "starts": row_starts, "tags": row_tags}


# ---------------------------------------------------------------------------------------------
# BibTeX. Hand-written: it is a field mapping plus escaping, and no maintained library converts
# CSL-JSON to BibTeX without a citation processor it would drag in.

BIBTEX_TYPES = {"article-journal": "article", "article-newspaper": "article", "article-magazine": "article",
                "report": "techreport", "legislation": "misc", "speech": "misc", "webpage": "misc", "document": "misc"}
_LATEX_SPECIAL = re.compile(r"([&%$#_{}])|(~)|(\^)|(\\)")


def _escape(value: str) -> str:
    def repl(m: re.Match[str]) -> str:
        if m.group(1):
            return "\\" + m.group(1)
        if m.group(2):
            return r"\textasciitilde{}"
        if m.group(3):
            return r"\textasciicircum{}"
        return r"\textbackslash{}"

    return _LATEX_SPECIAL.sub(repl, value)


def _names(authors: list[dict[str, str]]) -> str:
    out = []
    for a in authors:
        if "literal" in a:
            out.append("{" + _escape(a["literal"]) + "}")
        else:
            out.append(_escape(a["family"]) + (", " + _escape(a["given"]) if a.get("given") else ""))
    return " and ".join(out)


def bibtex_entry(work: dict[str, Any]) -> str:
    fields: list[tuple[str, str]] = []
    if work.get("author"):
        fields.append(("author", _names(work["author"])))
    if work.get("title"):
        fields.append(("title", "{" + _escape(work["title"]) + "}"))
    container = work.get("container-title")
    if container:
        fields.append(("journal" if work.get("type") == "article-journal" else "howpublished", _escape(container)))
    for csl, bib in (("volume", "volume"), ("issue", "number"), ("page", "pages"), ("DOI", "doi"), ("URL", "url")):
        if work.get(csl):
            value = work[csl].replace("-", "--") if csl == "page" else work[csl]
            fields.append((bib, value if csl in ("URL", "DOI") else _escape(value)))
    if work.get("issued"):
        fields.append(("year", work["issued"][:4]))
        fields.append(("date", work["issued"]))
    if work.get("accessed"):
        fields.append(("urldate", work["accessed"]))
    fields.append(("langid", {"ja": "japanese", "en": "english"}.get(work.get("language", ""), "english")))
    notes = [f"Title translation: {work['title-translation']}"] if work.get("title-translation") else []
    notes += [work["note"]] if work.get("note") else []
    if notes:
        fields.append(("note", _escape("; ".join(notes))))
    body = ",\n".join(f"  {k} = {{{v}}}" for k, v in fields)
    return f"@{BIBTEX_TYPES.get(work.get('type', ''), 'misc')}{{{work['id']},\n{body}\n}}\n"
