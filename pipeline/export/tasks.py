"""The corpus as annotation-tool tasks, and the corrected tasks back as a gold layer.

One task per sentence, its text the sentence's, the pipeline's entities and stance cues as
pre-annotations with offsets into the task's text: Label Studio (a JSON list of tasks with
``predictions``, and its labeling config), Prodigy (JSONL with ``spans``), doccano (JSONL with
``label``). brat works on whole files: one ``<doc_id>.txt`` (the document's clean text) and its
``.ann`` standoff per document. Stance cues carry the label ``STANCE_<polarity>``.

Offsets: Label Studio counts a text in UTF-16 code units, as JavaScript does (a character outside
the Basic Multilingual Plane, 𠮷, counts two); Prodigy, doccano and brat count code points, as
Python does. Hand-written: each tool's format is a few fields, and no library writes them all.

A gold layer (``corpus/gold/<doc_id>.jsonl``) holds one line per reviewed sentence: its
``sent_id``, ``start``, ``end`` and ``text``, and its ``entities`` (``start``, ``end``, ``label``,
``text``) and ``stances`` (``start``, ``end``, ``polarity``), all in document offsets.
"""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Iterable, get_args

from ..records import POLARITIES, Label

FORMATS = ("labelstudio", "prodigy", "doccano", "brat")
STANCE_PREFIX = "STANCE_"
ENTITY_LABELS: tuple[str, ...] = get_args(Label)
STANCE_LABELS = tuple(STANCE_PREFIX + p for p in POLARITIES)
MODEL_VERSION = "policy-corpus"


def utf16_offset(text: str, index: int) -> int:
    """A code-point offset into ``text`` as JavaScript counts it (UTF-16 code units)."""
    return index + sum(1 for ch in text[:index] if ord(ch) > 0xFFFF)


def codepoint_offset(text: str, units: int) -> int:
    """A UTF-16 offset into ``text`` as a code-point offset; ValueError inside a surrogate pair."""
    count = 0
    for i, ch in enumerate(text):
        if count == units:
            return i
        count += 2 if ord(ch) > 0xFFFF else 1
        if count > units:
            raise ValueError(f"UTF-16 offset {units} falls inside the character {ch!r}")
    if count == units:
        return len(text)
    raise ValueError(f"UTF-16 offset {units} is beyond the text ({count} units)")


def _spans(sentence: dict[str, Any]) -> list[tuple[int, int, str]]:
    """The sentence's entities and stance cues as (start, end, label), relative to it."""
    base = sentence["start"]
    spans = [(e["start"] - base, e["end"] - base, e["label"]) for e in sentence["entities"]]
    spans += [(st["start"] - base, st["end"] - base, STANCE_PREFIX + st["polarity"]) for st in sentence["stances"]]
    return spans


def labeling_config() -> str:
    """The Label Studio labeling config for the tasks: entity labels and stance labels on the text."""
    entity = "".join(f'<Label value="{label}"/>' for label in ENTITY_LABELS)
    stance = "".join(f'<Label value="{label}"/>' for label in STANCE_LABELS)
    return (f'<View><Labels name="entity" toName="text">{entity}</Labels>'
            f'<Labels name="stance" toName="text">{stance}</Labels><Text name="text" value="$text"/></View>\n')


def _labelstudio_task(s: dict[str, Any]) -> dict[str, Any]:
    text = s["text"]
    result = []
    for k, (start, end, label) in enumerate(_spans(s)):
        result.append({"id": f"{s['sent_id']}-{k}", "from_name": "stance" if label in STANCE_LABELS else "entity",
                       "to_name": "text", "type": "labels",
                       "value": {"start": utf16_offset(text, start), "end": utf16_offset(text, end),
                                 "text": text[start:end], "labels": [label]}})
    return {"data": {"text": text, "doc_id": s["doc_id"], "sent_id": s["sent_id"], "offset": s["start"]},
            "predictions": [{"model_version": MODEL_VERSION, "result": result}]}


def export_tasks(sentences: Iterable[dict[str, Any]], texts: dict[str, str], fmt: str, out: Path) -> list[Path]:
    """Write the sentences (rows of sentences.jsonl) as tasks of ``fmt`` under ``out``; ``texts``:
    each document's clean text (brat's files). The files written."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    out.mkdir(parents=True, exist_ok=True)
    rows = list(sentences)
    if fmt == "labelstudio":
        (out / "tasks.json").write_text(json.dumps([_labelstudio_task(s) for s in rows], ensure_ascii=False, indent=1)
                                        + "\n", encoding="utf-8")
        (out / "labeling_config.xml").write_text(labeling_config(), encoding="utf-8")
        return [out / "tasks.json", out / "labeling_config.xml"]
    if fmt in ("prodigy", "doccano"):
        lines = []
        for s in rows:
            meta = {"doc_id": s["doc_id"], "sent_id": s["sent_id"], "offset": s["start"]}
            if fmt == "prodigy":
                lines.append({"text": s["text"], "meta": meta,
                              "spans": [{"start": a, "end": b, "label": lb} for a, b, lb in _spans(s)]})
            else:
                lines.append({"text": s["text"], "meta": meta, "label": [[a, b, lb] for a, b, lb in _spans(s)]})
        path = out / f"tasks.{fmt}.jsonl"
        path.write_text("".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines), encoding="utf-8")
        return [path]
    written = []
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for s in rows:
        by_doc.setdefault(s["doc_id"], []).append(s)
    for doc_id, doc_rows in by_doc.items():
        text = texts[doc_id]
        ann = []
        for s in doc_rows:
            for a, b, label in _spans(s):
                start, end = s["start"] + a, s["start"] + b
                ann.append(f"T{len(ann) + 1}\t{label} {start} {end}\t{text[start:end]}".replace("\n", " "))
        (out / f"{doc_id}.txt").write_text(text, encoding="utf-8")
        (out / f"{doc_id}.ann").write_text("".join(line + "\n" for line in ann), encoding="utf-8")
        written += [out / f"{doc_id}.txt", out / f"{doc_id}.ann"]
    return written


def _gold_line(s: dict[str, Any], spans: Iterable[tuple[int, int, str]], text: str) -> dict[str, Any]:
    """A reviewed sentence as its gold line; ``spans`` relative to ``text`` (the task's text)."""
    base = s["start"]
    entities, stances = [], []
    for start, end, label in sorted(spans):
        if label in STANCE_LABELS:
            stances.append({"start": base + start, "end": base + end, "polarity": label[len(STANCE_PREFIX):]})
        elif label in ENTITY_LABELS:
            entities.append({"start": base + start, "end": base + end, "label": label, "text": text[start:end]})
        else:
            raise ValueError(f"{s['sent_id']}: unknown label {label!r}")
    return {"doc_id": s["doc_id"], "sent_id": s["sent_id"], "start": base, "end": base + len(text), "text": text,
            "entities": entities, "stances": stances}


def import_corrections(directory: Path, fmt: str) -> dict[str, list[dict[str, Any]]]:
    """The corrected tasks under ``directory`` as gold lines per document (document offsets). A Label
    Studio task's last annotation is its correction; a task no one annotated keeps its predictions."""
    if fmt == "labelstudio":
        tasks = json.loads((directory / "tasks.json").read_text(encoding="utf-8"))
        lines = []
        for task in tasks:
            data = task["data"]
            done = [a for a in task.get("annotations", []) if not a.get("was_cancelled")]
            result = done[-1]["result"] if done else task["predictions"][0]["result"]
            text = data["text"]
            spans = [(codepoint_offset(text, r["value"]["start"]), codepoint_offset(text, r["value"]["end"]),
                      r["value"]["labels"][0]) for r in result if r.get("type") == "labels"]
            lines.append(_gold_line({"doc_id": data["doc_id"], "sent_id": data["sent_id"], "start": data["offset"]},
                                    spans, text))
    elif fmt in ("prodigy", "doccano"):
        lines = []
        for raw in (directory / f"tasks.{fmt}.jsonl").read_text(encoding="utf-8").splitlines():
            task = json.loads(raw)
            meta = task["meta"]
            spans = [(sp["start"], sp["end"], sp["label"]) for sp in task.get("spans", [])] if fmt == "prodigy" \
                else [tuple(x) for x in task.get("label", [])]
            lines.append(_gold_line({"doc_id": meta["doc_id"], "sent_id": meta["sent_id"], "start": meta["offset"]},
                                    spans, task["text"]))
    elif fmt == "brat":
        lines = []
        for txt in sorted(directory.glob("*.txt")):
            lines += _brat_gold(txt.stem, txt.read_text(encoding="utf-8"),
                                (directory / f"{txt.stem}.ann").read_text(encoding="utf-8"))
    else:
        raise ValueError(f"unknown format {fmt!r}; expected one of {', '.join(FORMATS)}")
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for line in lines:
        by_doc.setdefault(line["doc_id"], []).append(line)
    return by_doc


def _brat_gold(doc_id: str, text: str, ann: str) -> list[dict[str, Any]]:
    """brat standoff of a whole document as its gold: brat files know no sentences, so the whole
    document is one reviewed span (``sent_id`` ``<doc_id>-all``)."""
    spans = []
    for line in ann.splitlines():
        if not line.startswith("T"):
            continue  # relations, events and notes are not part of the gold layer
        _, type_span, _ = line.split("\t", 2)
        label, offsets = type_span.split(" ", 1)
        if ";" in offsets:
            raise ValueError(f"{doc_id}: discontinuous span {type_span!r} is not supported")
        start, end = map(int, offsets.split())
        spans.append((start, end, label))
    return [_gold_line({"doc_id": doc_id, "sent_id": f"{doc_id}-all", "start": 0}, spans, text)]


def write_gold(by_doc: dict[str, list[dict[str, Any]]], gold_dir: Path) -> list[Path]:
    """``corpus/gold/<doc_id>.jsonl`` per document, lines in document order."""
    gold_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for doc_id, lines in sorted(by_doc.items()):
        path = gold_dir / f"{doc_id}.jsonl"
        path.write_text("".join(json.dumps(line, ensure_ascii=False, sort_keys=True) + "\n"
                                for line in sorted(lines, key=lambda x: x["start"])), encoding="utf-8")
        written.append(path)
    return written
