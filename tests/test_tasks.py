"""Annotation-tool round trips: export the pipeline's annotations as tasks, correct them as an
annotator would, import the corrections as a gold layer, and score the pipeline against it."""
from __future__ import annotations

import importlib.util
import json
import subprocess
import sys

import pytest

from pipeline import annotate
from pipeline.export.evaluate import evaluate
from pipeline.export.tasks import (FORMATS, codepoint_offset, export_tasks, import_corrections, labeling_config,
                                   utf16_offset, write_gold)

TEXT = "𠮷田社長によると、経済産業省は法案を支持した。The Ministry of Economy, Trade and Industry (METI) backed the bill."


@pytest.fixture(scope="module")
def annotated():
    result = annotate(TEXT, "t")
    assert any(e["label"] == "ORG" for s in result.sentences for e in s["entities"])
    return result


def test_utf16_offsets_count_characters_outside_the_bmp_twice():
    text = "𠮷田の経産省"
    assert [utf16_offset(text, i) for i in range(len(text) + 1)] == [0, 2, 3, 4, 5, 6, 7]
    assert [codepoint_offset(text, u) for u in (0, 2, 3, 7)] == [0, 1, 2, 6]
    with pytest.raises(ValueError):
        codepoint_offset(text, 1)  # inside the surrogate pair


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_without_corrections_is_the_pipeline_itself(annotated, fmt, tmp_path):
    export_tasks(annotated.sentences, {"t": annotated.text}, fmt, tmp_path / "tasks")
    gold = import_corrections(tmp_path / "tasks", fmt)
    scores = evaluate(gold, annotated.sentences)
    assert scores["disagreements"] == []
    assert scores["entities"]["all"]["f1"] == 1.0
    expected = {(e["start"], e["end"], e["label"]) for s in annotated.sentences for e in s["entities"]}
    assert {(e["start"], e["end"], e["label"]) for lines in gold.values() for line in lines
            for e in line["entities"]} == expected
    for lines in gold.values():
        for line in lines:
            for e in line["entities"]:
                assert annotated.text[e["start"]:e["end"]] == e["text"]


def test_labelstudio_offsets_are_utf16(annotated, tmp_path):
    export_tasks(annotated.sentences, {"t": annotated.text}, "labelstudio", tmp_path)
    tasks = json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8"))
    first = tasks[0]
    org = next(r["value"] for r in first["predictions"][0]["result"] if r["value"]["labels"] == ["ORG"])
    text = first["data"]["text"]
    assert text.encode("utf-16-le")[2 * org["start"]:2 * org["end"]].decode("utf-16-le") == org["text"] == "経済産業省"
    assert text[org["start"]:org["end"]] != org["text"]  # Python's code points differ by the 𠮷


def test_brat_standoff_round_trip(annotated, tmp_path):
    export_tasks(annotated.sentences, {"t": annotated.text}, "brat", tmp_path)
    ann = (tmp_path / "t.ann").read_text(encoding="utf-8").splitlines()
    text = (tmp_path / "t.txt").read_text(encoding="utf-8")
    for line in ann:
        ident, type_span, surface = line.split("\t")
        label, start, end = type_span.split(" ")
        assert ident.startswith("T") and text[int(start):int(end)] == surface
    # an annotator deletes the first entity in brat: the gold layer says so
    (tmp_path / "t.ann").write_text("\n".join(ann[1:]) + "\n", encoding="utf-8")
    scores = evaluate(import_corrections(tmp_path, "brat"), annotated.sentences)
    assert [d["kind"] for d in scores["disagreements"]] == ["extra"]


def test_labelstudio_tasks_are_valid_for_label_studio(annotated, tmp_path):
    """Checked with label-studio-sdk's own LabelInterface where the SDK is installed."""
    if importlib.util.find_spec("label_studio_sdk") is None:
        pytest.skip("label-studio-sdk is not installed")
    from label_studio_sdk.label_interface import LabelInterface

    export_tasks(annotated.sentences, {"t": annotated.text}, "labelstudio", tmp_path)
    interface = LabelInterface(labeling_config())
    for task in json.loads((tmp_path / "tasks.json").read_text(encoding="utf-8")):
        assert interface.validate_prediction(task["predictions"][0], return_errors=True) == []


def test_make_eval_reflects_exactly_two_corrections(seed_build, tmp_path):
    """Export one seed to Label Studio, correct two mentions (relabel one, delete one) as an annotator
    would, import the corrections and score: the scores show those two, and nothing else."""
    import shutil

    project = tmp_path / "project"  # a copy: other tests read the seed build as it was made
    for part in ("annotations", "corpus"):
        shutil.copytree(seed_build / part, project / part)

    def run(*args):
        return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=project, capture_output=True,
                              text=True, check=True)

    doc_id = "000_3f07d82da313b0d5"
    run("export-tasks", "--format", "labelstudio", "--out", str(tmp_path / "ls"), "--docs", doc_id)
    tasks = json.loads((tmp_path / "ls" / "tasks.json").read_text(encoding="utf-8"))
    orgs = [(t, r) for t in tasks for r in t["predictions"][0]["result"] if r["value"]["labels"] == ["ORG"]]
    (relabel_task, relabelled), (delete_task, deleted) = orgs[0], orgs[1]
    for task in tasks:  # the annotator accepts every task, with two corrections
        result = [dict(r, value=dict(r["value"])) for r in task["predictions"][0]["result"]]
        for r in result:
            if r["id"] == relabelled["id"]:
                r["value"]["labels"] = ["LAW"]
        result = [r for r in result if r["id"] != deleted["id"]]
        task["annotations"] = [{"result": result, "was_cancelled": False}]
    (tmp_path / "ls" / "tasks.json").write_text(json.dumps(tasks, ensure_ascii=False), encoding="utf-8")
    run("import-corrections", str(tmp_path / "ls"), "--format", "labelstudio")
    assert (project / "corpus" / "gold" / f"{doc_id}.jsonl").exists()
    out = run("eval").stdout
    scores = json.loads((project / "annotations" / "eval.json").read_text(encoding="utf-8"))
    assert scores["gold_documents"] == [doc_id]
    kinds = sorted((d["kind"], d["text"], d["gold"], d["pipeline"]) for d in scores["disagreements"])
    assert kinds == sorted([("label", relabelled["value"]["text"], "LAW", "ORG"),
                            ("extra", deleted["value"]["text"], None, "ORG")])
    org, law, total = (scores["entities"]["labels"]["ORG"], scores["entities"]["labels"]["LAW"],
                       scores["entities"]["all"])
    assert org["found"] - org["right"] == 2 and org["gold"] == org["right"]  # two ORG predictions are wrong
    assert law["gold"] - law["right"] == 1 and law["found"] == law["right"]  # the relabelled one is missed
    assert total["found"] - total["right"] == 2 and total["gold"] - total["right"] == 1
    assert scores["stances"]["polarity_accuracy"] == 1.0
    assert "eval.html" in (project / "annotations" / "html" / "index.html").read_text(encoding="utf-8")
    assert "Disagreements" in (project / "annotations" / "html" / "eval.html").read_text(encoding="utf-8")
    assert "all" in out
