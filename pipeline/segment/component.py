"""The splitter as the spaCy component ``rule_senter``."""
from __future__ import annotations

import bisect
from typing import Iterable

import numpy
import spacy
from spacy.attrs import SENT_START
from spacy.language import Language
from spacy.tokens import Doc

from .sentences import split_sentences

def split_tokens_at(doc: Doc, positions: Iterable[int]) -> Doc:
    """Split every token of ``doc`` that one of the character ``positions`` falls strictly inside
    (spaCy's ``Doc.retokenize``), so that a span may start or end there; returns ``doc``."""
    starts = sorted(set(positions))
    inside = []
    for t in doc:  # the positions strictly inside each token, found by bisection: linear in the text
        lo, hi = bisect.bisect_right(starts, t.idx), bisect.bisect_left(starts, t.idx + len(t.text))
        if lo < hi:
            inside.append((t, [p - t.idx for p in starts[lo:hi]]))
    if inside:
        with doc.retokenize() as retokenizer:
            for token, cuts in inside:
                bounds = [0] + cuts + [len(token.text)]
                orths = [token.text[a:b] for a, b in zip(bounds, bounds[1:])]
                retokenizer.split(token, orths, heads=[(token, 0)] * len(orths))
    return doc


@Language.component("rule_senter", assigns=["token.is_sent_start"], retokenizes=True)
def rule_senter(doc: Doc) -> Doc:
    """Set sentence starts from ``split_sentences``; a token a boundary falls inside (Japanese run
    through an English tokenizer: これはペンです。それは) is split there."""
    starts = sorted(s for s, _ in split_sentences(doc.text))
    split_tokens_at(doc, starts)
    if len(doc):
        # as one array: setting Token.is_sent_start checks the whole Doc for a parse every time
        start_set = set(starts)
        flags = [1 if t.i == 0 or t.idx in start_set else -1 for t in doc]
        # uint64 as from_array reads it (-1, "not a start", wraps round like to_array's)
        doc.from_array([SENT_START], numpy.array(flags, dtype="int64").astype("uint64").reshape(-1, 1))
    return doc


def sentence_pipeline(lang: str) -> Language:
    """A blank spaCy pipeline for ``lang`` with the rule-based sentence splitter. (For ``ja`` the
    tokenizer is SudachiPy's, which refuses a text over 49,149 bytes: pass paragraphs.)"""
    nlp = spacy.blank(lang)
    nlp.add_pipe("rule_senter")
    return nlp
