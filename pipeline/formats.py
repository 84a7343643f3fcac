"""Downstream formats: spaCy Docs (``annotations/corpus.spacy/``), token-level BIO rows, BibTeX."""
from __future__ import annotations

import functools
import re
from typing import TYPE_CHECKING, Any, Iterable, Sequence

if TYPE_CHECKING:  # spaCy loads in the functions that need it: BibTeX, in the export, does without
    from spacy.tokens import Doc
    from spacy.vocab import Vocab


def _words_spaces(doc: Doc, text: str) -> tuple[list[str], list[bool]]:
    """The token texts and trailing spaces of ``doc``, a Doc of ``text``, read from its arrays
    (Token objects, and Doc.text which is made from them, cost more than the tokenizing)."""
    from spacy.attrs import IDX, LENGTH, SPACY

    rows = doc.to_array([IDX, LENGTH, SPACY]).tolist()
    return [text[i:i + n] for i, n, _ in rows], [bool(sp) for _, _, sp in rows]


def to_spacy_doc(tag: dict[str, Any], vocab: Vocab, sentence_docs: Sequence[Doc] | None = None) -> Doc:
    """The clean body as one Doc: tokens from the tag stage's tokenizers (so entity offsets
    align), sentences, ``doc.ents`` (ids in ``ent_id_``), stance cues in ``doc.spans["stances"]``
    (label = polarity; holder/target/flags in ``doc.user_data["stances"]``, same order).

    ``sentence_docs``, the tag stage's Docs of the sentences, saves tokenizing them again."""
    import numpy
    from spacy.attrs import SENT_START
    from spacy.tokens import Doc, Span

    from .tag import build_nlp

    text = tag["text"]
    words: list[str] = []
    spaces: list[bool] = []
    sent_starts: set[int] = set()

    def add_gap(gap: str) -> None:
        if not gap:
            return
        if gap[0] == " " and words and not spaces[-1]:
            spaces[-1] = True
            gap = gap[1:]
        if gap:
            words.append(gap)
            spaces.append(False)

    pos = 0
    for k, s in enumerate(tag["sentences"]):
        add_gap(text[pos:s["start"]])
        sent_starts.add(len(words))
        sent_doc = sentence_docs[k] if sentence_docs is not None else \
            build_nlp("ja" if s["lang"] == "ja" else "en").make_doc(s["text"])
        sent_words, sent_spaces = _words_spaces(sent_doc, s["text"])
        words += sent_words
        spaces += sent_spaces
        pos = s["end"]
    add_gap(text[pos:])
    if "".join([w + " " if sp else w for w, sp in zip(words, spaces)]) != text:
        raise ValueError(f"{tag['doc_id']}: tokens do not rebuild the clean text")
    doc = Doc(vocab, words=words, spaces=spaces)
    # Sentence starts as one column (1 = starts, -1 = does not), which is what Doc(sent_starts=...)
    # stores too, without its loop over tokens; token.is_sent_start one by one is quadratic.
    if words:
        starts = numpy.full(len(words), -1, dtype=numpy.int32)
        starts[[0, *sent_starts]] = 1
        doc.from_array([SENT_START], starts.astype(numpy.uint64).reshape(-1, 1))
    ents, stances, details = [], [], []
    for s in tag["sentences"]:
        for e in s["entities"]:
            span = doc.char_span(e["start"], e["end"])
            if span is None:
                raise ValueError(f"{tag['doc_id']}: entity {e['text']!r} does not align with tokens")
            ents.append(Span(doc, span.start, span.end, label=e["label"], span_id=e["id"]))
        for st in s["stances"]:
            span = doc.char_span(st["start"], st["end"], alignment_mode="expand")
            stances.append(Span(doc, span.start, span.end, label=st["polarity"]))
            details.append({k: v for k, v in st.items() if k not in ("start", "end")})
    doc.ents = ents
    doc.spans["stances"] = stances
    doc.user_data["doc_id"] = tag["doc_id"]
    doc.user_data["sent_ids"] = [s["sent_id"] for s in tag["sentences"]]
    doc.user_data["stances"] = details
    return doc


# The token columns the pipeline fills. Rule-based, it sets no tag, lemma, morphology, part of
# speech or parse: storing those empty columns (DocBin's default) doubled the serialising time.
DOC_BIN_ATTRS = ("ORTH", "NORM", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID", "ENT_ID", "SENT_START")


def doc_bin_bytes(doc: Doc) -> bytes:
    """``doc`` as a one-Doc ``DocBin`` (``DOC_BIN_ATTRS``, ``store_user_data=True``), serialised:
    the same bytes as spaCy's ``DocBin.add`` + ``to_bytes`` (tested), with the token strings read
    from the Doc's arrays, since ``DocBin.add`` makes a Token object per token, a tenth of the tag
    stage's time; and every message packed by one msgpack packer (``_packer``)."""
    import zlib

    import numpy
    from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, SPACY, TAG
    from spacy.tokens import DocBin

    doc_bin = DocBin(attrs=DOC_BIN_ATTRS, store_user_data=True)  # for its attribute ids and version
    # DocBin.add and DocBin.to_bytes for one Doc (spaCy 3.8; the test compares against them)
    tokens = doc.to_array(doc_bin.attrs)  # several columns: always 2-D
    spaces = numpy.asarray(doc.to_array(SPACY).reshape((-1, 1)), dtype=bool)
    # the strings of the token attributes DocBin.add reads: text, tag, lemma, norm, morph, dep, entity type, KB id, id
    hashes = doc.to_array([ORTH, TAG, LEMMA, NORM, MORPH, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID])
    strings = doc.vocab.strings
    used = {strings[h] for h in set(hashes.ravel().tolist())}
    for group in doc.spans.values():
        for span in group:
            used.add(span.label_)
            if span.kb_id in strings:
                used.add(span.kb_id_)
            if span.id in strings:
                used.add(span.id_)
    pack = _packer().pack
    msg = {
        "version": doc_bin.version,
        "attrs": doc_bin.attrs,
        "tokens": tokens.tobytes("C"),
        "spaces": spaces.tobytes("C"),
        "lengths": numpy.asarray([len(tokens)], dtype="int32").tobytes("C"),
        "strings": sorted(used),
        "cats": [doc.cats],
        "flags": [{"has_unknown_spaces": doc.has_unknown_spaces}],
        "span_groups": [_span_groups_bytes(doc)],
        "user_data": [pack(doc.user_data)],
    }
    return zlib.compress(pack(msg))


@functools.lru_cache(maxsize=1)
def _packer() -> Any:
    """The msgpack packer of ``srsly.msgpack_dumps`` (``use_bin_type=True``, srsly's numpy
    encoder), made once: srsly makes one per call, which scans catalogue's registry (0.23 ms,
    four times per DocBin)."""
    from srsly.msgpack import Packer

    return Packer(use_bin_type=True)


def _span_groups_bytes(doc: Doc) -> bytes:
    """``doc.spans.to_bytes()``: ``SpanGroups.to_bytes`` and ``SpanGroup.to_bytes`` (spaCy 3.8),
    packed by ``_packer``."""
    import struct

    pack = _packer().pack
    if not doc.spans:
        return pack([])
    msg: dict[bytes, list[str]] = {}
    for key, group in doc.spans.items():
        spans = [struct.pack(">QQQllll", s.id, s.kb_id, s.label, s.start, s.end, s.start_char, s.end_char)
                 for s in group]
        msg.setdefault(pack({"name": group.name, "attrs": group.attrs, "spans": spans}), []).append(key)
    return pack(msg)


def bio_rows(tag: dict[str, Any], doc: Doc) -> Iterable[dict[str, Any]]:
    """One row per sentence: its tokens, their offsets in the clean text, and BIO entity tags."""
    from bisect import bisect_left, bisect_right

    from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, IS_SPACE, LENGTH

    text, strings = tag["text"], doc.vocab.strings
    # whole columns, as numpy arrays: Token objects, or a Python list of every cell, cost more
    # than writing the rows
    cols = doc.to_array([IDX, LENGTH, IS_SPACE, ENT_IOB, ENT_TYPE])
    cols = cols[cols[:, 2] == 0]  # whitespace tokens get no row
    starts = cols[:, 0].tolist()
    ends = (cols[:, 0] + cols[:, 1]).tolist()
    words = [text[a:b] for a, b in zip(starts, ends)]
    tags = ["O"] * len(starts)
    iob = {1: "I", 3: "B"}
    in_entity = (cols[:, 4] != 0).nonzero()[0]
    for i, (ent_iob, ent_type) in zip(in_entity.tolist(), cols[in_entity, 3:5].tolist()):
        tags[i] = f"{iob[ent_iob]}-{strings[ent_type]}"
    for s in tag["sentences"]:
        # the tokens overlapping the sentence (alignment "expand"; they coincide with its bounds)
        lo, hi = bisect_right(ends, s["start"]), bisect_left(starts, s["end"])
        yield {"doc_id": tag["doc_id"], "sent_id": s["sent_id"], "lang": s["lang"],
               "tokens": words[lo:hi], "starts": starts[lo:hi], "tags": tags[lo:hi]}


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
