"""The pipeline's annotations scored against the gold layers (``corpus/gold/*.jsonl``, written by
``import-corrections``): entity precision, recall and F1 per label (exact span and label), stance
polarity accuracy (gold cues the pipeline marks at the same span with the same polarity) and every
disagreement. Only the reviewed stretches count: a gold line's ``start``..``end``."""
from __future__ import annotations

from collections import Counter
from typing import Any, Iterable

from ..records import POLARITIES
from .tasks import ENTITY_LABELS


def evaluate(gold: dict[str, list[dict[str, Any]]], sentences: Iterable[dict[str, Any]]) -> dict[str, Any]:
    """``gold``: lines per document; ``sentences``: rows of sentences.jsonl. The scores as
    ``annotations/eval.json`` holds them."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for s in sentences:
        if s["doc_id"] in gold:  # only what is scored is kept: memory flat in the corpus's size
            by_doc.setdefault(s["doc_id"], []).append(s)
    tp: Counter[str] = Counter()
    found: Counter[str] = Counter()
    expected: Counter[str] = Counter()
    stance_gold = stance_right = stance_found = stance_span = 0
    disagreements: list[dict[str, Any]] = []
    for doc_id, lines in sorted(gold.items()):
        ours = by_doc.get(doc_id, [])
        for line in lines:
            lo, hi = line["start"], line["end"]
            inside = [s for s in ours if lo <= s["start"] and s["end"] <= hi]
            predicted = {(e["start"], e["end"]): e for s in inside for e in s["entities"]}
            wanted = {(e["start"], e["end"]): e for e in line["entities"]}
            for span, e in wanted.items():
                expected[e["label"]] += 1
                p = predicted.get(span)
                if p is not None and p["label"] == e["label"]:
                    tp[e["label"]] += 1
                elif p is not None:
                    disagreements.append({"doc_id": doc_id, "sent_id": line["sent_id"], "kind": "label",
                                          "start": span[0], "end": span[1], "text": e["text"],
                                          "gold": e["label"], "pipeline": p["label"]})
                else:
                    disagreements.append({"doc_id": doc_id, "sent_id": line["sent_id"], "kind": "missed",
                                          "start": span[0], "end": span[1], "text": e["text"],
                                          "gold": e["label"], "pipeline": None})
            for span, p in predicted.items():
                found[p["label"]] += 1
                if span not in wanted:
                    disagreements.append({"doc_id": doc_id, "sent_id": line["sent_id"], "kind": "extra",
                                          "start": span[0], "end": span[1], "text": p["text"],
                                          "gold": None, "pipeline": p["label"]})
            cues = {(st["start"], st["end"]): st["polarity"] for s in inside for st in s["stances"]}
            stance_found += len(cues)
            for st in line["stances"]:
                stance_gold += 1
                ours_polarity = cues.get((st["start"], st["end"]))
                stance_span += ours_polarity is not None
                stance_right += ours_polarity == st["polarity"]
                if ours_polarity != st["polarity"]:
                    disagreements.append({"doc_id": doc_id, "sent_id": line["sent_id"], "kind": "stance",
                                          "start": st["start"], "end": st["end"], "text": None,
                                          "gold": st["polarity"], "pipeline": ours_polarity})
    labels = {}
    for label in ENTITY_LABELS:
        if not (expected[label] or found[label]):
            continue
        p = tp[label] / found[label] if found[label] else 0.0
        r = tp[label] / expected[label] if expected[label] else 0.0
        labels[label] = {"gold": expected[label], "found": found[label], "right": tp[label], "precision": p,
                         "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}
    all_tp, all_found, all_gold = sum(tp.values()), sum(found.values()), sum(expected.values())
    p = all_tp / all_found if all_found else 0.0
    r = all_tp / all_gold if all_gold else 0.0
    return {
        "gold_documents": sorted(gold),
        "gold_sentences": sum(len(lines) for lines in gold.values()),
        "entities": {"labels": labels, "all": {"gold": all_gold, "found": all_found, "right": all_tp,
                                                "precision": p, "recall": r, "f1": 2 * p * r / (p + r) if p + r else 0.0}},
        "stances": {"gold": stance_gold, "found": stance_found, "same_span": stance_span, "right": stance_right,
                    "polarity_accuracy": stance_right / stance_gold if stance_gold else None,
                    "polarities": list(POLARITIES)},
        "disagreements": disagreements,
    }
