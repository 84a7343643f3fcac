"""Stances from cue matches: holder, target, negation and hedging, resolved across sentences."""
from __future__ import annotations

import re
from typing import Any

from ..records import Stance
from ..text.lexicon import word_alternation, word_list
from .cues import load_cues

ACTOR_LABELS = ("PERSON", "ORG", "GPE")
_NEGATIONS = frozenset(word_list("negation"))
_HEDGES = re.compile(rf"\b(?:{word_alternation('hedge')})\b", re.I)
_TARGET_STOP = re.compile(r"\s(?:that|which|who|whom|whose|while|because|but|as|so|if|when|and\s+(?:is|are|was|were|has|have|will))\b|[,;:.!?()]|\s[–—]\s")
_REPORTING = re.compile(rf"\b(?:{word_alternation('reporting')})\b(?:\s+that)?\s+", re.I)
_PREPOSITIONS = frozenset(word_list("preposition"))
_TITLE_WORD = re.compile(r"^(?:[A-Z][\w.-]*|the)$")


def _after_preposition(text: str, sent_start: int, pos: int) -> bool:
    """Whether the entity at ``pos`` sits in a prepositional phrase (titles and 'the' skipped)."""
    words = text[sent_start:pos].split()
    while words and (_TITLE_WORD.match(words[-1]) or words[-1] in ("and", "or", "&") or words[-1].endswith(",")):
        words.pop()  # titles, "the" and coordinated names: "between Washington and Beijing"
    return bool(words) and words[-1].lower() in _PREPOSITIONS


_GROUP_HOLDER = re.compile(
    rf"\b(?:(?:the|both|all|two|three|four|our)\s+)*(?:{word_alternation('holder_noun')})\b", re.I)


def _group_holder(text: str, sent_start: int, cue_start: int) -> dict[str, Any] | None:
    """The last group named before a cue that can hold a stance and is in no prepositional phrase
    ("The two leaders", "Both leaders", "the Participants"), as an entity-like dict (no id)."""
    found = [m for m in _GROUP_HOLDER.finditer(text, sent_start, cue_start)
             if not _after_preposition(text, sent_start, m.start())]
    if not found:
        return None
    m = found[-1]
    return {"text": m.group(), "id": None, "start": m.start(), "end": m.end()}


_COPULA = re.compile(r"(?:is|are|was|were|be|been|remains?|remained|becomes?|forms?|formed)\b", re.I)
_JA_TOPIC = re.compile(r"(?:^|(?<=、))([^、。「」（）]{1,12}?)(?:は|が|も)(?!ず)")
_JA_REPORTED = re.compile(r"^[^。、]{0,8}?(?:と|との)(?:強調|述べ|訴え|指摘|主張|説明|示し|考え|繰り返し|見解)")
_JA_OBJECT_END = re.compile(r"(?:を|に|へ|が|は|と)(?=[^をにへがはと]*$)")


def _japanese_roles(text: str, sent_start: int, cue_start: int) -> tuple[tuple[int, int] | None, tuple[int, int] | None]:
    """Holder and target of a Japanese cue: the topic that opens the sentence (政府は -> 政府), and the
    phrase before a subject's が, else before the last particle ahead of the cue, back to the topic or a
    comma (…の強靱化を支持)."""
    clause = text[sent_start:cue_start]
    # the first topic or subject, not a place or time phrase (サミットでは, 今後は)
    topic = next((m for m in _JA_TOPIC.finditer(clause) if not m.group(1).endswith(("で", "に", "後", "今"))), None)
    holder = (sent_start, sent_start + topic.end(1)) if topic else None
    begin = max(topic.end() if topic else 0, clause.rfind("、") + 1)
    region = clause[begin:]
    end = re.search("が", region) or _JA_OBJECT_END.search(region)  # a subject first: …の整備が…に不可欠
    if end is not None and end.start() > 0:
        region = region[:end.start()]
    region_start = sent_start + begin
    stripped = region.strip()
    if not stripped:
        return holder, None
    lead = len(region) - len(region.lstrip())
    return holder, (region_start + lead, region_start + lead + len(stripped))


_LEADING = re.compile(r"^(?:(?:against|on|toward|towards|about|over|to|with|for|of|in)\s+)*(?:(?:the|a|an|its|their|this|these)\s+)?", re.I)
_NAME_LABELS = frozenset({"ORG", "LAW", "EVENT", "POLICY"})
# words that may stand between two cues of one predicate: "reaffirmed their commitment to",
# "concurred to work together to", "brutal, unprovoked, and unjustified"
_LINK_WORDS = frozenset(word_list("cue_link"))


def _predicates(text: str, sent: dict[str, Any], found: list[tuple[int, int, str, str]]
                ) -> list[tuple[int, int, str, str]]:
    """The cue matches of a sentence as stances: a cue inside a name (the Act on the Promotion of
    ...) is none, and cues joined only by link words are one predicate when they share a polarity
    or the first is a support cue (the later polarity wins; the first cue's row decides the holder)."""
    names = [(e["start"], e["end"]) for e in sent["entities"] if e["label"] in _NAME_LABELS]
    kept: list[tuple[int, int, str, str]] = []
    for start, end, polarity, key in found:
        if any(n_start <= start and end <= n_end for n_start, n_end in names):
            continue
        if kept and kept[-1][2] in (polarity, "support"):
            # a commitment to a tough measure is hardline, a call to worry concern ("pledged to
            # counter", "should deter"): the content's polarity wins
            gap = re.sub(r"[,\s]+", " ", text[kept[-1][1]:start]).split()
            if all(w.lower() in _LINK_WORDS for w in gap):
                kept[-1] = (kept[-1][0], end, polarity, kept[-1][3])
                continue
        kept.append((start, end, polarity, key))
    return kept


FLIP = {"support": "oppose", "oppose": "support", "hardline": "conciliatory", "conciliatory": "hardline"}


def resolve_stances(text: str, sentences: list[dict[str, Any]], cue_spans: list[list[tuple[int, int, str, str]]]
                    ) -> None:
    """Fill ``sentence["stances"]`` from cue matches: holder, target, negation, hedging."""
    cues = load_cues()
    for k, (sent, found) in enumerate(zip(sentences, cue_spans)):
        stances: list[Stance] = []
        for c_start, c_end, polarity, key in _predicates(text, sent, found):
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
                group = _group_holder(text, sent["start"], c_start)
                if group is not None and (chosen is None or not possessive and not report
                                          and group["start"] >= chosen["end"]):
                    chosen = group  # "The two leaders reaffirmed ...": nearer than a name before it
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
            if _COPULA.match(text[c_start:c_end]) and sent.get("lang") != "ja":
                # "Supply-chain resilience remains the top priority": what is so judged is the subject
                subject = re.split(r",|;|\b(?:that|which|who)\b", before)[-1].strip()
                if subject and len(subject.split()) <= 12:
                    t_start = sent["start"] + before.rindex(subject)
                    target, target_span = subject, [t_start, t_start + len(subject)]
                    target_id = next((e["id"] for e in sent["entities"] if [e["start"], e["end"]] == target_span), None)
            if sent.get("lang") == "ja":  # SOV: the target comes before the cue, the holder is the topic
                topic, object_span = _japanese_roles(text, sent["start"], c_start)
                reported = _JA_REPORTED.match(text[c_end:sent["end"]])  # 不可欠だと強調している
                if topic is not None and (cue.holder == "subject" or reported):
                    holder, holder_span = text[topic[0]:topic[1]], list(topic)
                    holder_id = next((e["id"] for e in sent["entities"] if [e["start"], e["end"]] == holder_span), None)
                if object_span is not None:
                    target, target_span = text[object_span[0]:object_span[1]], list(object_span)
                    target_id = next((e["id"] for e in sent["entities"] if [e["start"], e["end"]] == target_span), None)
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
