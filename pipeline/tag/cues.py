"""Stance cues: the lexicon (``patterns/stance_cues.tsv``), its compiled Matcher patterns, and the
``stance_cues`` component marking them."""
from __future__ import annotations

import functools
import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterable

import spacy
import srsly
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import ensure_path, filter_spans

from .. import patterns
from ..text.labels import POLARITIES

@dataclass(frozen=True)
class Cue:
    lang: str
    text: str
    polarity: str
    holder: str
    note: str


@functools.lru_cache(maxsize=None)
def load_cues() -> tuple[Cue, ...]:
    cues = []
    for n, parts in patterns.rows("stance_cues.tsv"):
        if len(parts) < 4 or parts[2] not in POLARITIES or parts[3] not in ("subject", "self", "AUTHOR"):
            raise ValueError(f"pipeline/patterns/stance_cues.tsv line {n}: expected "
                             "lang<TAB>cue<TAB>polarity<TAB>subject|self|AUTHOR<TAB>note")
        cues.append(Cue(parts[0], parts[1], parts[2], parts[3], parts[4] if len(parts) > 4 else ""))
    return tuple(cues)


@functools.lru_cache(maxsize=None)
def _english_words() -> tuple[str, ...]:
    from wordfreq import iter_wordlist

    return tuple(sorted(set(iter_wordlist("en", "small"))))


def expand_wildcard(stem: str) -> list[str]:
    """``advocat*`` -> the words starting so in wordfreq's common-English list, plus the stem's
    regular inflections. A closed list instead of a regex keeps the Matcher fast (a REGEX
    predicate is a Python call per token and pattern)."""
    import bisect

    words = _english_words()
    lo = bisect.bisect_left(words, stem)
    hi = bisect.bisect_left(words, stem + "\uffff")
    forms = set(words[lo:hi]) | {stem + suffix for suffix in ("", "s", "es", "d", "ed", "ing", "e", "es")}
    return sorted(forms)


LIST_LABEL = r"^(?:\(?(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)]|\d{1,2}|[-•–])$"


def cue_pattern(cue: str, lang: str) -> list[dict[str, Any]]:
    """The mini-syntax of stance_cues.tsv as a spaCy Matcher pattern."""
    pattern = []
    attr = "LOWER" if lang == "en" else "ORTH"
    opens = False
    for token in cue.split():
        optional = token.endswith("?") and len(token) > 1
        token = token[:-1] if optional else token
        if token == "^":  # the next token opens the sentence
            opens = True
            continue
        if token == "^#":  # a list label opening the sentence: "1." "(a)" "ii)"
            pattern.append({"IS_SENT_START": True, "TEXT": {"REGEX": LIST_LABEL}})
            continue
        if token == "_":  # any one token
            pattern.append({"OP": "?"} if optional else {})
            continue
        options: list[str] = []
        for option in token.split("|"):
            options.extend(expand_wildcard(option[:-1]) if option.endswith("*") and len(option) > 1 else [option])
        spec: dict[str, Any] = {attr: {"IN": options}} if len(options) > 1 else {attr: options[0]}
        if opens:
            spec["IS_SENT_START"], opens = True, False
        if optional:
            spec["OP"] = "?"
        pattern.append(spec)
    return pattern


def _anchor_words(pattern: list[dict[str, Any]]) -> set[str]:
    """The spellings of a cue's rarest required token: a sentence without one has no such cue."""
    from wordfreq import zipf_frequency

    def spellings(spec: dict[str, Any]) -> list[str]:
        value = next(iter(v for k, v in spec.items() if k != "OP"))
        return value["IN"] if isinstance(value, dict) else [value]

    required = [spellings(spec) for spec in pattern
                if spec.get("OP") != "?" and any(k in ("LOWER", "ORTH") for k in spec)]
    return set(min(required, key=lambda words: max(zipf_frequency(w, "en") for w in words)))


COMPILED_CUES = "stance_cues.compiled.jsonl"


def compile_cues() -> str:
    """``stance_cues.compiled.jsonl``: each cue of ``stance_cues.tsv`` as a Matcher pattern with
    its anchor words. Generated (``make``) and committed, so that tagging does not load wordfreq's
    word lists at every start-up; a test checks it matches the lexicon."""
    header = ("# Generated from stance_cues.tsv by `python -m pipeline compile-cues` (run by make); "
              f"do not edit.\n# source sha256: {_lexicon_digest()}\n")
    lines = []
    for n, cue in enumerate(load_cues()):
        pattern = cue_pattern(cue.text, cue.lang)
        lines.append(json.dumps({"cue": n, "lang": cue.lang, "pattern": pattern,
                                 "anchors": sorted(_anchor_words(pattern))}, ensure_ascii=False) + "\n")
    return header + "".join(lines)


def _lexicon_digest() -> str:
    import hashlib

    return hashlib.sha256(patterns.read_text("stance_cues.tsv").encode("utf-8")).hexdigest()


@functools.lru_cache(maxsize=None)
def load_compiled_cues() -> tuple[dict[str, Any], ...]:
    """The compiled cues, refused if ``stance_cues.tsv`` changed since they were compiled."""
    if f"# source sha256: {_lexicon_digest()}\n" not in patterns.read_text(COMPILED_CUES):
        raise ValueError(f"pipeline/patterns/{COMPILED_CUES} is out of date with stance_cues.tsv: "
                         "run `make` (or `python -m pipeline compile-cues`)")
    return tuple(patterns.json_rows(COMPILED_CUES))


@spacy.registry.misc("policy_corpus.stance_cue_patterns.v1")
def stance_cue_patterns(lang: str) -> list[dict[str, Any]]:
    """The ``stance_cues`` rows for ``lang``: each compiled cue (``cue`` row number, Matcher
    ``pattern``, ``anchors``) with its ``polarity``."""
    cues = load_cues()
    return [{**row, "polarity": cues[row["cue"]].polarity} for row in load_compiled_cues() if row["lang"] == lang]


@Language.factory("stance_cues", assigns=["doc.spans"], default_config={})
def make_stance_cues(nlp: Language, name: str) -> "StanceCues":
    return StanceCues(nlp, name)


class StanceCues:
    """Mark stance cues as ``doc.spans["stance_cues"]`` (label = polarity, id = ``cue<row>``, the
    row of ``stance_cues.tsv``), from the rows given by ``initialize(patterns=...)`` and saved with
    the pipeline."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.vocab = nlp.vocab
        self.attr_id = LOWER if nlp.lang == "en" else ORTH
        self.clear()

    def clear(self) -> None:
        self.patterns: list[dict[str, Any]] = []
        # One small Matcher per cue, run only around the cue's rarest word (its anchor), which every
        # match holds: most sentences hold no cue, and a Matcher makes a Token object and a
        # Python call per IN test for every token it is given.
        self.by_anchor: dict[int, list[tuple[Matcher, int]]] = {}
        self.polarity: dict[int, str] = {}
        self.anchors: frozenset[int] = frozenset()

    def add_patterns(self, rows: Iterable[dict[str, Any]]) -> None:
        for row in rows:
            self.patterns.append(row)
            matcher = Matcher(self.vocab)
            matcher.add(f"cue{row['cue']}", [row["pattern"]])
            self.polarity[row["cue"]] = row["polarity"]
            for word in row["anchors"]:
                # a match holding the anchor at i lies within i - (n - 1) .. i + n, for n tokens
                self.by_anchor.setdefault(self.vocab.strings.add(word), []).append((matcher, len(row["pattern"])))
        self.anchors = frozenset(self.by_anchor)  # a set: `tokens & dict.keys()` copied the keys every call

    def initialize(self, get_examples: Callable[[], Iterable[Any]] | None = None, *, nlp: Language | None = None,
                   patterns: Iterable[dict[str, Any]] = ()) -> None:
        self.clear()
        self.add_patterns(patterns)

    def __call__(self, doc: Doc) -> Doc:
        # token attributes as one array of hashes: a Python loop over Token objects costs more
        # than all the matching
        words = doc.to_array(self.attr_id).tolist()
        present = self.anchors.intersection(words)
        found_set: set[tuple[int, int, int]] = set()  # windows around two anchors may overlap
        if present:
            for i, word in enumerate(words):
                if word in present:
                    for matcher, width in self.by_anchor[word]:
                        window = doc[max(0, i - width + 1):i + width]
                        found_set.update((window.start + start, window.start + end,
                                          int(doc.vocab.strings[match_id][3:]))  # "cue<row>"
                                         for match_id, start, end in matcher(window))
        spans = [Span(doc, start, end, label=self.polarity[row], span_id=f"cue{row}")
                 for start, end, row in sorted(found_set)]
        doc.spans["stance_cues"] = filter_spans(spans)  # the longest; of equal spans, the lowest cue row
        return doc

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = ensure_path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / "patterns.jsonl", self.patterns)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "StanceCues":
        self.clear()
        self.add_patterns(srsly.read_jsonl(ensure_path(path) / "patterns.jsonl"))
        return self
