"""Stage 3, tag: organizations, laws, policies (plus GPE/PERSON) and stances, with canonical ids.

A spaCy pipeline per language, built from data files in ``pipeline/patterns``:

* ``alias_ruler`` (a SpanRuler writing ``doc.ents``): every alias in ``aliases.tsv`` (phrase patterns);
* ``generic_entities``: token patterns in ``generic_<lang>.jsonl`` that catch names listed nowhere
  ("Act on ...", "...法");
* ``entity_trimmer``: trims function words a greedy generic pattern swallowed at the edges;
* ``alias_linker``: gives every entity its canonical id (``Span.ent_id_``) from the alias table,
  or a stable id made from its normalised text;
* ``stance_cues``: marks stance cue phrases (``stance_cues.tsv``) in ``doc.spans["stance_cues"]``.

Holders and targets of stances are resolved across sentences by ``resolve_stances``.
"""
from __future__ import annotations

import functools
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Iterable

import spacy
from spacy.attrs import LOWER, ORTH
from spacy.language import Language
from spacy.matcher import Matcher
from spacy.tokens import Doc, Span
from spacy.util import filter_spans

from . import patterns
from .labels import LABELS, POLARITIES

TAG_VERSION = 1
ACTOR_LABELS = ("PERSON", "ORG", "GPE")


# ---------------------------------------------------------------------------------------------
# Alias table


def alias_key(text: str) -> str:
    """Normalised lookup key: case, commas, a leading 'the', '&'/'and', dashes and spaces ignored."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"['’]s$", "", text)
    text = re.sub(r"^the\s+", "", text)
    text = text.replace("&", " and ")
    text = re.sub(r"[,.\-–—'’()]", " ", text)
    return re.sub(r"\s+", " ", text).strip()


@dataclass(frozen=True)
class Alias:
    id: str
    label: str
    lang: str
    text: str


@functools.lru_cache(maxsize=None)
def load_aliases() -> tuple[Alias, ...]:
    aliases = []
    for n, parts in patterns.rows("aliases.tsv"):
        if len(parts) != 4 or parts[1] not in LABELS:
            raise ValueError(f"pipeline/patterns/aliases.tsv line {n}: expected id<TAB>label<TAB>lang<TAB>alias")
        aliases.append(Alias(*parts))
    return tuple(aliases)


@functools.lru_cache(maxsize=None)
def alias_index() -> dict[str, tuple[str, str]]:
    """Normalised alias -> (id, label)."""
    index: dict[str, tuple[str, str]] = {}
    for a in load_aliases():
        index.setdefault(alias_key(a.text), (a.id, a.label))
    return index


def _slug(text: str) -> str:
    key = alias_key(text)
    return re.sub(r"\s+", "-", key) or "x"


def canonical_id(text: str, label: str) -> str:
    """The alias-table id of ``text``, else a stable id made from its normalised form."""
    index = alias_index()
    key = alias_key(text)
    hit = index.get(key)
    if hit is None and key.endswith("案"):  # a bill and the act it becomes share an id
        hit = index.get(key[:-1])
    if hit is None:
        # "US Foreign Investment Risk Review Modernization Act", "日本外務省": a country
        # qualifier before a known name does not make a different body.
        words = key.split(" ", 1)
        if len(words) == 2 and index.get(words[0], ("", ""))[1] == "GPE" or words[0] in ("japanese", "american"):
            hit = index.get(words[1])
        elif key.startswith(("日本国", "日本")):
            hit = index.get(key.removeprefix("日本国").removeprefix("日本"))
    if hit is not None and (hit[1] == label or label not in ("ORG", "LAW", "POLICY")):
        return hit[0]
    return f"{label.lower()}:{_slug(text)}"


# ---------------------------------------------------------------------------------------------
# spaCy components


UNLINKED = "?"  # the id of a generic-pattern match until alias_linker links it
_TRIM_EDGE = {"the", "a", "an", "and", "of", "on", "for", "to", "by", "in", ",", "-", "–", "&", "'s", "’s"}


@Language.component("entity_trimmer")
def entity_trimmer(doc: Doc) -> Doc:
    """Drop function words and punctuation a greedy pattern took at an entity's edges."""
    found = doc.ents  # read once: each read makes every entity's Span anew
    if not found:  # no names: the ruler has already set every token to "outside"
        return doc
    bounds = []
    for ent in found:
        start, end = ent.start, ent.end
        while end > start:
            last = doc[end - 1]  # a Token object per doc[i]: made once
            if not (last.lower_ in _TRIM_EDGE or last.is_punct and last.text != ")"):
                break
            end -= 1
        while start < end and doc[start].lower_ in _TRIM_EDGE:
            start += 1
        if ent.id_ == UNLINKED:
            # "Department of the Treasury and David Cohen": a greedy generic match swallowed a
            # conjunct that is a known name of its own; cut before the "and".
            for i in range(start + 1, end - 1):
                if doc[i].lower_ == "and" and alias_key(doc[i + 1:end].text) in alias_index():
                    end = i
                    break
        bounds.append((start, end))
    if any((start, end) != (ent.start, ent.end) for (start, end), ent in zip(bounds, found)):
        # otherwise doc.ents already holds exactly these spans
        doc.ents = filter_spans([Span(doc, start, end, label=ent.label, span_id=ent.id)
                                 for (start, end), ent in zip(bounds, found) if end > start])
    return doc


@Language.component("alias_linker")
def alias_linker(doc: Doc) -> Doc:
    """Set every entity's canonical id (``ent.ent_id_``)."""
    found = doc.ents  # read once: each read makes every entity's Span anew
    # Span.id_, which doc.ents sets from the tokens' ids: Span.ent_id_ finds the span's root token
    if all(ent.id_ not in ("", UNLINKED) for ent in found):  # alias matches come linked
        return doc
    ents = []
    for ent in found:
        ent_id = canonical_id(ent.text, ent.label_) if ent.id_ in ("", UNLINKED) else ent.id_
        ents.append(Span(doc, ent.start, ent.end, label=ent.label_, span_id=ent_id))
    doc.ents = ents
    return doc


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


def cue_pattern(cue: str, lang: str) -> list[dict[str, Any]]:
    """The mini-syntax of stance_cues.tsv as a spaCy Matcher pattern."""
    pattern = []
    attr = "LOWER" if lang == "en" else "ORTH"
    for token in cue.split():
        optional = token.endswith("?") and len(token) > 1
        token = token[:-1] if optional else token
        options: list[str] = []
        for option in token.split("|"):
            options.extend(expand_wildcard(option[:-1]) if option.endswith("*") and len(option) > 1 else [option])
        spec: dict[str, Any] = {attr: {"IN": options}} if len(options) > 1 else {attr: options[0]}
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

    required = [spellings(spec) for spec in pattern if spec.get("OP") != "?"]
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


@Language.factory("stance_cues", default_config={})
def make_stance_cues(nlp: Language, name: str) -> "StanceCues":
    return StanceCues(nlp, name)


class StanceCues:
    """Mark stance cues as ``doc.spans["stance_cues"]`` (label = polarity, id = cue row)."""

    def __init__(self, nlp: Language, name: str):
        self.name = name
        lang = nlp.lang
        self.attr_id = LOWER if lang == "en" else ORTH
        # One small Matcher per cue, run only around the cue's rarest word (its anchor), which every
        # match holds: most sentences hold no cue, and a Matcher makes a Token object and a
        # Python call per IN test for every token it is given.
        self.by_anchor: dict[int, list[tuple[Matcher, int]]] = {}
        for row in load_compiled_cues():
            if row["lang"] == lang:
                matcher = Matcher(nlp.vocab)
                matcher.add(f"cue{row['cue']}", [row["pattern"]])
                for word in row["anchors"]:
                    # a match holding the anchor at i lies within i - (n - 1) .. i + n, for n tokens
                    self.by_anchor.setdefault(nlp.vocab.strings.add(word), []).append((matcher, len(row["pattern"])))
        self.anchors = frozenset(self.by_anchor)  # a set: `tokens & dict.keys()` copied the keys every call

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
        found = sorted(found_set)
        cues = load_cues()
        spans = [Span(doc, start, end, label=cues[row].polarity, span_id=f"cue{row}") for start, end, row in found]
        doc.spans["stance_cues"] = filter_spans(spans)  # the longest; of equal spans, the lowest cue row
        return doc


@Language.factory("generic_entities", default_config={})
def make_generic_entities(nlp: Language, name: str) -> "GenericEntities":
    return GenericEntities(nlp, name)


class GenericEntities:
    """Token patterns (``generic_<lang>.jsonl``) for names listed in no alias table.

    A match joins ``doc.ents`` unless it overlaps a longer or equal alias match. The Matcher only
    runs on sentences holding one of the patterns' literal words (Ministry, Act, 法 ...), since
    its REGEX predicates cost a Python call per token and pattern.
    """

    def __init__(self, nlp: Language, name: str):
        self.name = name
        self.matcher = Matcher(nlp.vocab, validate=True)
        gate: set[str] | None = set()
        for row in _generic_patterns(nlp.lang):
            self.matcher.add(row["label"], [row["pattern"]])
            words = _literal_words(row["pattern"])
            gate = None if words is None or gate is None else gate | words
        self.gate = None if gate is None else {nlp.vocab.strings.add(w) for w in gate}

    def __call__(self, doc: Doc) -> Doc:
        if self.gate is not None and self.gate.isdisjoint(doc.to_array([ORTH, LOWER]).ravel().tolist()):
            return doc
        found = [Span(doc, start, end, label=match_id, span_id=UNLINKED) for match_id, start, end in self.matcher(doc)]
        doc.ents = filter_spans(list(doc.ents) + found)  # stable: on a tie the alias match wins
        return doc


def _literal_words(pattern: list[dict[str, Any]]) -> set[str] | None:
    """Words of which every match holds one (the pattern's first required literal token)."""
    for spec in pattern:
        if spec.get("OP") in ("?", "*"):
            continue
        for attr in ("ORTH", "LOWER"):
            value = spec.get(attr)
            if isinstance(value, str):
                return {value}
            if isinstance(value, dict) and "IN" in value:
                return set(value["IN"])
    return None


def _generic_patterns(lang: str) -> list[dict[str, Any]]:
    return [{"label": row["label"], "pattern": row["pattern"]} for row in patterns.json_rows(f"generic_{lang}.jsonl")]


@functools.lru_cache(maxsize=None)
def build_nlp(lang: str) -> Language:
    """The tagging pipeline for ``en`` or ``ja`` (cached: each process builds it once)."""
    nlp = spacy.blank(lang)
    # spaCy's SpanRuler writing doc.ents (an EntityRuler recounts all its patterns on every call)
    ruler = nlp.add_pipe("span_ruler", name="alias_ruler", config={
        "spans_key": None, "annotate_ents": True, "overwrite": True, "phrase_matcher_attr": "ORTH"})
    ruler.add_patterns([{"label": a.label, "pattern": a.text, "id": a.id} for a in load_aliases()])
    nlp.add_pipe("generic_entities")
    nlp.add_pipe("entity_trimmer")
    nlp.add_pipe("alias_linker")
    nlp.add_pipe("stance_cues")
    return nlp


# ---------------------------------------------------------------------------------------------
# Document tagging

_ABBR_DEF = re.compile(r"\s*\(([A-Z][A-Za-z&]{1,9})\)")
_NEGATIONS = {"not", "n't", "never", "no", "without", "hardly", "neither", "nor"}
_HEDGES = re.compile(r"\b(?:may|might|could|possibly|perhaps|reportedly|likely|arguably|seem\w*|appear\w*)\b", re.I)
_TARGET_STOP = re.compile(r"\s(?:that|which|who|whom|whose|while|because|but|as|so|if|when|and\s+(?:is|are|was|were|has|have|will))\b|[,;:.!?()]|\s[–—]\s")
_REPORTING = re.compile(r"\b(?:said|says|say|stated|states|argued|argues|claimed|claims|warned|warns|noted|notes|"
                        r"stressed|stresses|insisted|insists|declared|declares)\b(?:\s+that)?\s+", re.I)
_PREPOSITIONS = {"of", "in", "at", "with", "for", "from", "to", "between", "among", "by", "on", "as", "under",
                 "against", "toward", "towards", "about", "over", "into", "than", "like", "including"}
_TITLE_WORD = re.compile(r"^(?:[A-Z][\w.-]*|the)$")


def _after_preposition(text: str, sent_start: int, pos: int) -> bool:
    """Whether the entity at ``pos`` sits in a prepositional phrase (titles and 'the' skipped)."""
    words = text[sent_start:pos].split()
    while words and (_TITLE_WORD.match(words[-1]) or words[-1] in ("and", "or", "&") or words[-1].endswith(",")):
        words.pop()  # titles, "the" and coordinated names: "between Washington and Beijing"
    return bool(words) and words[-1].lower() in _PREPOSITIONS
_LEADING = re.compile(r"^(?:(?:against|on|toward|towards|about|over|to|with|for|of|in)\s+)*(?:(?:the|a|an|its|their|this|these)\s+)?", re.I)
FLIP = {"support": "oppose", "oppose": "support", "hardline": "conciliatory", "conciliatory": "hardline"}


def _entity_dict(text: str, start: int, ent: Span) -> dict[str, Any]:
    """``ent`` of the Doc of ``text[start:]`` as a record; its text sliced from ``text`` (Span.text
    joins its tokens, one Token object each)."""
    begin, end = start + ent.start_char, start + ent.end_char
    return {"start": begin, "end": end, "label": ent.label_, "text": text[begin:end], "id": ent.id_}


def tag_texts(items: Iterable[tuple[str, str]]) -> list[Doc]:
    """Run the right pipeline over (text, lang) pairs, keeping input order.

    Each text goes through the tokenizer and the components in turn, as ``nlp(text)`` does:
    ``nlp.pipe``'s batching, generators and error-handler wrappers cost about 6 µs a sentence, a
    tenth of tagging one, and buy nothing for components that handle one Doc at a time."""
    items = list(items)
    docs: list[Doc | None] = [None] * len(items)
    for lang in ("en", "ja"):
        idx = [i for i, (_, lg) in enumerate(items) if (lg == "ja") == (lang == "ja")]
        if not idx:
            continue
        nlp = build_nlp(lang)
        components = [proc for _, proc in nlp.pipeline]
        for i in idx:
            doc = nlp.make_doc(items[i][0])
            for proc in components:
                doc = proc(doc)
            docs[i] = doc
    return [d for d in docs if d is not None]


def _learn_abbreviations(text: str, entities: list[dict[str, Any]]) -> dict[str, tuple[str, str]]:
    """Abbreviations the document defines: 'Inter-Parliamentary Alliance on China (IPAC)'."""
    learnt: dict[str, tuple[str, str]] = {}
    index = alias_index()
    for ent in entities:
        m = _ABBR_DEF.match(text, ent["end"])
        if not m or ent["label"] not in ("ORG", "LAW", "POLICY"):
            continue
        abbr = m.group(1)
        known = index.get(alias_key(abbr))
        if known is None or known[0] == ent["id"]:
            learnt[abbr] = (ent["id"], ent["label"])
    return learnt


def _abbreviation_mentions(text: str, sent: dict[str, Any], learnt: dict[str, tuple[str, str]]
                           ) -> list[tuple[int, int, str, str]]:
    """Mentions of the document's abbreviations in ``sent`` not inside one of its entities, as
    (start, end, label, id) in the document's clean text."""
    taken = [(e["start"], e["end"]) for e in sent["entities"]]
    added: list[tuple[int, int, str, str]] = []
    sentence = text[sent["start"]:sent["end"]]
    for abbr, (ent_id, label) in learnt.items():
        if abbr not in sentence:  # most sentences hold none of the abbreviations: skip the regex
            continue
        for m in re.finditer(rf"(?<![\w-]){re.escape(abbr)}(?![\w-])", sentence):
            s, e = sent["start"] + m.start(), sent["start"] + m.end()
            if not any(ts < e and s < te for ts, te in taken):
                added.append((s, e, label, ent_id))
                taken.append((s, e))
    return added


def _with_entities(doc: Doc, start: int, mentions: list[tuple[int, int, str, str]]) -> Doc:
    """``doc`` (of the text at ``start``) with ``mentions`` added to its entities; a token a
    mention starts or ends inside ("DMCA)1") is split there first, so every entity is whole
    tokens."""
    from .segment import split_tokens_at

    split_tokens_at(doc, [p - start for s, e, _, _ in mentions for p in (s, e)])
    added = [Span(doc, span.start, span.end, label=label, span_id=ent_id)
             for s, e, label, ent_id in mentions
             for span in [doc.char_span(s - start, e - start)]]
    doc.ents = sorted([*doc.ents, *added], key=lambda sp: sp.start)
    return doc


def resolve_stances(text: str, sentences: list[dict[str, Any]], cue_spans: list[list[tuple[int, int, str, str]]]
                    ) -> None:
    """Fill ``sentence["stances"]`` from cue matches: holder, target, negation, hedging."""
    cues = load_cues()
    for k, (sent, found) in enumerate(zip(sentences, cue_spans)):
        stances = []
        for c_start, c_end, polarity, key in found:
            cue = cues[int(key[3:])]
            before = text[sent["start"]:c_start]
            actors = [e for e in sent["entities"] if e["end"] <= c_start and e["label"] in ACTOR_LABELS]
            holder, holder_id, holder_span = None, None, None
            in_cue = [e for e in sent["entities"] if c_start <= e["start"] and e["end"] <= c_end]
            if cue.holder == "AUTHOR":
                holder, holder_id = "AUTHOR", "AUTHOR"
            elif cue.holder == "self":
                holder, holder_span = text[c_start:c_end], [c_start, c_end]
            else:
                possessive = [e for e in actors if re.fullmatch(r"['’]s\s+(?:\w+\s+)?", text[e["end"]:c_start])]
                actors = [e for e in actors if not _after_preposition(text, sent["start"], e["start"])]
                report = _REPORTING.search(before)
                rel = re.search(r"\b(?:who|which|that)\s+(?:\w+ly\s+)?(?:has\s+|have\s+|had\s+)?$", before)
                chosen = None
                if possessive:
                    chosen = possessive[-1]  # "Tokyo's reluctance to ..."
                elif report:
                    # "Taro Kono said China has become a security threat": the speaker holds it,
                    # what he speaks of is the target.
                    report_at = sent["start"] + report.start()
                    speakers = [e for e in actors if e["end"] <= report_at]
                    spoken_of = [e for e in actors if e["start"] >= sent["start"] + report.end()]
                    if speakers:
                        chosen = speakers[-1]
                        if spoken_of:
                            in_cue = in_cue + [spoken_of[0]]
                if chosen is None and rel:
                    chosen = next((e for e in reversed(actors) if e["end"] <= sent["start"] + rel.start()), None)
                if chosen is None and actors:
                    chosen = actors[-1]
                if chosen is not None:
                    holder, holder_id, holder_span = chosen["text"], chosen["id"], [chosen["start"], chosen["end"]]
            after = text[c_end:sent["end"]]
            stop = _TARGET_STOP.search(after)
            window = after[:stop.start()] if stop else after
            lead = _LEADING.match(window.strip())
            t_rel = window.strip()[lead.end():] if lead else window.strip()
            target = target_id = target_span = None
            inferred = False
            cue_targets = [e for e in in_cue if e["label"] in ACTOR_LABELS + ("POLICY", "LAW")]
            if cue_targets:
                e = cue_targets[-1]
                target, target_id, target_span = e["text"], e["id"], [e["start"], e["end"]]
            elif t_rel:
                t_start = c_end + (len(window) - len(window.lstrip())) + (lead.end() if lead else 0)
                t_end = t_start + len(t_rel.rstrip())
                target, target_span = text[t_start:t_end], [t_start, t_end]
                inside = [e for e in sent["entities"] if t_start <= e["start"] and e["end"] <= t_end]
                exact = [e for e in inside if e["start"] == t_start and e["end"] == t_end]
                target_id = exact[0]["id"] if exact else None
                if len(target.split()) > 8 and " and " in target:
                    t_end = t_start + target.index(" and ")
                    target, target_span = text[t_start:t_end], [t_start, t_end]
                    target_id = next((e["id"] for e in inside if e["start"] == t_start and e["end"] == t_end), None)
                if len(target.split()) > 15:
                    target, target_span, target_id = None, None, None
            implicit = polarity in ("hardline", "conciliatory")
            if target is None and implicit and k > 0 and sentences[k - 1]["paragraph"] == sent["paragraph"]:
                prev_gpe = [e for e in sentences[k - 1]["entities"] if e["label"] == "GPE" and e["id"] != holder_id]
                if prev_gpe:
                    e = prev_gpe[-1]
                    target, target_id, target_span, inferred = e["text"], e["id"], [e["start"], e["end"]], True
            words = before.split()[-3:] + text[c_start:c_end].split()
            negated = any(w.lower().strip(",") in _NEGATIONS or w.lower().endswith("n't") for w in words)
            final = polarity
            if negated:
                final = FLIP.get(polarity, polarity)
            stances.append({
                "start": c_start, "end": c_end, "cue": text[c_start:c_end], "polarity": final,
                "cue_polarity": polarity, "negated": negated, "hedged": bool(_HEDGES.search(before)),
                "holder": holder, "holder_id": holder_id, "holder_span": holder_span,
                "target": target, "target_id": target_id, "target_span": target_span,
                "target_inferred": inferred,
            })
        sent["stances"] = stances


def _with_author_ids(citation: dict[str, Any]) -> dict[str, Any]:
    """``citation`` with the canonical id on each organisation author ({"literal": ...} that is
    not initials); a copy, so that the segment record tagged stays as it was."""
    authors = citation.get("author", [])
    if not any("literal" in a for a in authors):
        return citation
    with_ids = [{**a, "id": canonical_id(a["literal"], "ORG")}
                if "literal" in a and not re.fullmatch(r"[A-Z]\.(?:[A-Z]\.)*", a["literal"]) else a for a in authors]
    return {**citation, "author": with_ids}


def tag_document(seg: dict[str, Any]) -> dict[str, Any]:
    """Stage function: ``segment.json`` record -> ``tag.json`` record."""
    return tag_document_docs(seg)[0]


def tag_document_docs(seg: dict[str, Any]) -> tuple[dict[str, Any], list[Doc]]:
    """``tag_document``, plus the sentences' Docs (the export's spaCy Doc reuses their tokens)."""
    text = seg["text"]
    sentences = [dict(s) for s in seg["sentences"]]
    docs = tag_texts((s["text"], s["lang"]) for s in sentences)
    cue_spans = []
    all_entities = []
    for sent, doc in zip(sentences, docs):
        sent["entities"] = [_entity_dict(text, sent["start"], ent) for ent in doc.ents]
        all_entities.extend(sent["entities"])
        cue_spans.append([(sent["start"] + sp.start_char, sent["start"] + sp.end_char, sp.label_, sp.id_)
                          for sp in doc.spans.get("stance_cues", [])])
    learnt = _learn_abbreviations(text, all_entities)
    for k, sent in enumerate(sentences):
        mentions = _abbreviation_mentions(text, sent, learnt)
        if mentions:
            docs[k] = _with_entities(docs[k], sent["start"], mentions)
            sent["entities"] = [_entity_dict(text, sent["start"], ent) for ent in docs[k].ents]
    resolve_stances(text, sentences, cue_spans)

    footnotes = [dict(f) for f in seg["footnotes"]]
    fn_docs = tag_texts((f["text"], f["lang"]) for f in footnotes)
    for fn, doc in zip(footnotes, fn_docs):
        fn["entities"] = [_entity_dict(fn["text"], 0, ent) for ent in doc.ents]
        fn["citations"] = [_with_author_ids(c) for c in fn["citations"]]
    return {
        **{k: v for k, v in seg.items() if k not in ("sentences", "footnotes")},
        "tag_version": TAG_VERSION,
        "sentences": sentences,
        "footnotes": footnotes,
        "abbreviations": {k: v[0] for k, v in sorted(learnt.items())},
    }, docs
