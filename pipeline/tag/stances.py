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


_LEADING = re.compile(r"^(?:(?:against|on|toward|towards|about|over|to|with|for|of|in)\s+)*(?:(?:the|a|an|its|their|this|these)\s+)?", re.I)
FLIP = {"support": "oppose", "oppose": "support", "hardline": "conciliatory", "conciliatory": "hardline"}


def resolve_stances(text: str, sentences: list[dict[str, Any]], cue_spans: list[list[tuple[int, int, str, str]]]
                    ) -> None:
    """Fill ``sentence["stances"]`` from cue matches: holder, target, negation, hedging."""
    cues = load_cues()
    for k, (sent, found) in enumerate(zip(sentences, cue_spans)):
        stances: list[Stance] = []
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
