"""Model-ready formats: the document as one spaCy Doc (``annotations/corpus.spacy/``) and its
token-level BIO rows (``tokens.bio.jsonl``)."""
from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..records import BIO_TAGS

if TYPE_CHECKING:
    from spacy.tokens import Doc

# The token columns the pipeline fills. Rule-based, it sets no tag, lemma, morphology, part of
# speech or parse and no norm: a column left out loads as the same zeros. (ENT_KB_ID: a Japanese
# law's e-Gov id.)
DOC_BIN_ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE", "ENT_ID", "ENT_KB_ID", "SENT_START")
_TAG_INDEX = {tag: k for k, tag in enumerate(BIO_TAGS)}
STANCES_KEY = "stances"  # the DocBin's span group of stance cues


def document_doc(tag: dict[str, Any], sentence_docs: Sequence[Doc]) -> Doc:
    """The clean body as one spaCy ``Doc``: each sentence's tokens and entities from the tag
    stage's Doc of it (``sentence_docs``, in the order of ``tag["sentences"]``), the text between
    sentences one token each (a leading space of it trails the token before); sentence starts;
    stance cues as the span group ``stances`` (label = polarity; holder, target and flags in
    ``user_data["stances"]``, same order). ValueError if a Doc is not its sentence's text."""
    from spacy.attrs import IDX, LENGTH, SPACY
    from spacy.tokens import Doc, Span
    from spacy.vocab import Vocab

    text, doc_id = tag["text"], tag["doc_id"]
    if len(sentence_docs) != len(tag["sentences"]):
        raise ValueError(f"{doc_id}: {len(sentence_docs)} sentence Docs for {len(tag['sentences'])} sentences")
    words: list[str] = []
    spaces: list[bool] = []
    sent_first = {0}
    ents: list[tuple[int, int, str, str, str]] = []

    def add_gap(gap: str) -> None:
        if gap[:1] == " " and words and not spaces[-1]:
            spaces[-1], gap = True, gap[1:]  # no token of its own: the space trails the token before
        if gap:
            words.append(gap)
            spaces.append(False)

    pos = 0
    for s, sent_doc in zip(tag["sentences"], sentence_docs):
        if text[s["start"]:s["end"]] != s["text"] or sent_doc.text != s["text"]:
            raise ValueError(f"{doc_id}: sentence {s['sent_id']} is not the clean text at its offsets")
        add_gap(text[pos:s["start"]])
        first = len(words)
        sent_first.add(first)
        # the tokens' words and trailing spaces from the Doc's columns (no Token object per token)
        idx, length, space = sent_doc.to_array([IDX, LENGTH, SPACY]).T.tolist() if len(sent_doc) else ([], [], [])
        words.extend(s["text"][i:i + n] for i, n in zip(idx, length))
        spaces.extend(map(bool, space))
        ents.extend((first + e.start, first + e.end, e.label_, e.id_, record.get("kb_id", ""))
                    for e, record in zip(sent_doc.ents, s["entities"]))
        pos = s["end"]
    add_gap(text[pos:])
    doc = Doc(Vocab(), words=words, spaces=spaces,
              sent_starts=[i in sent_first for i in range(len(words))] if words else None)
    doc.ents = [Span(doc, a, b, label=label, span_id=ent_id, kb_id=kb_id) for a, b, label, ent_id, kb_id in ents]
    stances, details = [], []
    for s in tag["sentences"]:
        for st in s["stances"]:
            cue = doc.char_span(st["start"], st["end"], alignment_mode="expand")
            stances.append(Span(doc, cue.start, cue.end, label=st["polarity"]))
            details.append({k: v for k, v in st.items() if k not in ("start", "end")})
    doc.spans[STANCES_KEY] = stances
    doc.user_data.update(doc_id=doc_id, sent_ids=[s["sent_id"] for s in tag["sentences"]], stances=details)
    return doc


def doc_bin_bytes(doc: Doc) -> bytes:
    """``doc`` as a serialised one-Doc ``DocBin`` of ``DOC_BIN_ATTRS``, with its user data."""
    from spacy.tokens import DocBin

    doc_bin = DocBin(attrs=DOC_BIN_ATTRS, store_user_data=True)
    doc_bin.add(doc)
    return doc_bin.to_bytes()


def bio_rows(tag: dict[str, Any], doc: Doc) -> Iterable[dict[str, Any]]:
    """One row per sentence: its tokens (whitespace tokens left out), their offsets in the clean
    text, and BIO entity tags; ``doc`` is ``document_doc(tag, ...)``."""
    from bisect import bisect_left

    from spacy.attrs import ENT_IOB, ENT_TYPE, IDX, LENGTH

    text = doc.text
    starts, lengths, iobs, types = doc.to_array([IDX, LENGTH, ENT_IOB, ENT_TYPE]).T.tolist() if len(doc) else \
        ([], [], [], [])  # columns, not a Token object per token
    strings = doc.vocab.strings
    for s in tag["sentences"]:
        lo, hi = bisect_left(starts, s["start"]), bisect_left(starts, s["end"])  # its tokens start inside it
        rows = [(text[i:i + n], i, f"{'B' if iob == 3 else 'I'}-{strings[t]}" if t else "O")
                for i, n, iob, t in zip(starts[lo:hi], lengths[lo:hi], iobs[lo:hi], types[lo:hi])
                if not text[i:i + n].isspace()]
        yield {"doc_id": tag["doc_id"], "sent_id": s["sent_id"], "lang": s["lang"], "tokens": [r[0] for r in rows],
               "starts": [r[1] for r in rows], "tags": [r[2] for r in rows],
               "ner_tags": [_TAG_INDEX[r[2]] for r in rows]}
