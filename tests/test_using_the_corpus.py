"""The README's "Using the corpus" snippets, run on the seeds' committed annotations; and
load_corpus's frames checked against the JSONL they come from."""
from __future__ import annotations

import importlib.util
import json
import os
from pathlib import Path

import pytest

from pipeline import load_corpus
from test_architecture import readme_python_blocks

ROOT = Path(__file__).resolve().parents[1]
BLOCKS = readme_python_blocks("## Using the corpus")[:4]


@pytest.mark.parametrize("block", BLOCKS, ids=["pandas", "datasets", "spacy", "bibtex"])
def test_readme_snippet_runs(block, monkeypatch):
    if "import datasets" in block and importlib.util.find_spec("datasets") is None:
        pytest.skip("datasets is an optional extra (pip install datasets)")
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(block, namespace)  # noqa: S102 (our own README)
    if "per_body" in namespace:
        assert namespace["per_body"].loc["org:meti"].sum() > 0
        assert set(namespace["by_holder"].columns) <= {"support", "oppose", "hardline", "conciliatory", "concern"}
        assert namespace["by_year"].sum() > 0
    if "bio" in namespace:
        assert namespace["bio"].features["ner_tags"].feature.names[0] == "O"
    if "laws" in namespace:
        assert ("Foreign Exchange Act", "324AC0000000228") in namespace["laws"]
    if "journals" in namespace:
        assert namespace["journals"]


def test_load_corpus_frames_match_the_jsonl():
    corpus = load_corpus(ROOT / "annotations")
    lines = [json.loads(l) for l in (ROOT / "annotations" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    notes = [json.loads(l) for l in (ROOT / "annotations" / "footnotes.jsonl").read_text(encoding="utf-8").splitlines()]
    assert len(corpus.sentences) == len(lines) and len(corpus.footnotes) == len(notes)
    assert len(corpus.entities) == sum(len(s["entities"]) for s in lines) + sum(len(f["entities"]) for f in notes)
    assert len(corpus.stances) == sum(len(s["stances"]) for s in lines)
    texts = {s["sent_id"]: s for s in lines}
    clean = {d: (ROOT / "corpus" / "clean" / f"{d}.txt").read_text(encoding="utf-8") for d in corpus.documents.doc_id}
    for row in corpus.entities.query("where == 'sentence'").itertuples():
        assert clean[row.doc_id][row.start:row.end] == row.text  # document offsets
    assert set(corpus.entities.query("where == 'footnote'").fn_id) <= {f["fn_id"] for f in notes}
    assert texts  # the frames are not empty


def test_load_corpus_says_what_is_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="documents.jsonl"):
        load_corpus(tmp_path)
