"""Stances: made-up (text, expected stances) pairs in one data file, and the scores on the hand-made
gold (method and guidelines: pipeline/patterns/STANCES.md)."""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.gold import CORPUS_MORE, STANCE_HELD_OUT, StanceCounts, stance_scores
from conftest import clean_text, needs_shared
from pipeline.segment import segment_document
from pipeline.tag import tag_document

EXAMPLES = [json.loads(line) for line in
            (Path(__file__).parent / "data" / "stance_examples.jsonl").read_text(encoding="utf-8").splitlines()]


@pytest.mark.parametrize("example", EXAMPLES, ids=[e["text"][:40] for e in EXAMPLES])
def test_stance_examples(example):
    record = tag_document(segment_document(clean_text(example["text"])))
    found = [[st["cue"], st["polarity"], st["holder"], st["target"]] for s in record["sentences"] for st in s["stances"]]
    assert found == example["stances"], example["why"]


@pytest.fixture(scope="module")
def gold_scores() -> dict[str, StanceCounts]:
    needs_shared(CORPUS_MORE)  # three of the gold's sources are real documents kept beside the repository
    return stance_scores()


def test_stance_gold_f1_and_precision(gold_scores):
    total = StanceCounts()
    for counts in gold_scores.values():
        total.add(counts)
    scores = total.scores()
    assert total.unlocated == 0  # every gold sentence was found in its document's clean text
    assert scores["f1"] >= 0.70 and scores["precision"] >= 0.70, scores


def test_stance_baseline_is_weaker(gold_scores):
    """The any-cue-word baseline on the same gold: ours must beat it by a wide margin."""
    ours, base = StanceCounts(), StanceCounts()
    for counts in gold_scores.values():
        ours.add(counts)
    for counts in stance_scores(baseline=True).values():
        base.add(counts)
    assert ours.scores()["f1"] >= base.scores()["f1"] + 0.3


def test_held_out_documents_are_scored(gold_scores):
    assert set(STANCE_HELD_OUT) <= set(gold_scores)
