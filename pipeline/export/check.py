"""``make check``: validate every output against its JSON Schema and the offset contract."""
from __future__ import annotations

import functools
import json
from importlib import resources
from pathlib import Path
from typing import Any, Iterator

import jsonschema

from ..text.io import iter_jsonl

SCHEMAS = {
    "documents.jsonl": "document.schema.json",
    "sentences.jsonl": "sentence.schema.json",
    "footnotes.jsonl": "footnote.schema.json",
    "citation_index.jsonl": "citation_index.schema.json",
    "tokens.bio.jsonl": "bio.schema.json",
}


@functools.lru_cache(maxsize=None)
def validator(schema_name: str) -> jsonschema.protocols.Validator:
    schema = json.loads(resources.files("pipeline.schemas").joinpath(schema_name).read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _offset_errors(row: dict[str, Any], clean: str) -> Iterator[str]:
    s, e = row["start"], row["end"]
    if not (0 <= s < e <= len(clean)) or clean[s:e] != row["text"]:
        yield f"{row['sent_id']}: text != clean_text[{s}:{e}]"
    for ent in row["entities"]:
        if clean[ent["start"]:ent["end"]] != ent["text"] or not (s <= ent["start"] < ent["end"] <= e):
            yield f"{row['sent_id']}: entity {ent['text']!r} not at [{ent['start']}:{ent['end']}] inside its sentence"
    for st in row["stances"]:
        if clean[st["start"]:st["end"]] != st["cue"] or not (s <= st["start"] < st["end"] <= e):
            yield f"{row['sent_id']}: stance cue {st['cue']!r} not at [{st['start']}:{st['end']}]"
        for key in ("holder", "target"):
            span = st[f"{key}_span"]
            if span and clean[span[0]:span[1]] != st[key]:
                yield f"{row['sent_id']}: stance {key} {st[key]!r} != clean_text{span}"


def check_annotations(annotations: str | Path, clean_dir: str | Path) -> list[str]:
    """All problems found (empty when everything validates)."""
    annotations, clean_dir = Path(annotations), Path(clean_dir)
    errors: list[str] = []
    for name, schema in SCHEMAS.items():
        path = annotations / name
        if not path.exists():
            errors.append(f"{path}: missing")
            continue
        v = validator(schema)
        for n, row in enumerate(iter_jsonl(path), 1):
            for err in v.iter_errors(row):
                errors.append(f"{path}:{n}: {'/'.join(map(str, err.absolute_path))}: {err.message}")
    if errors:
        return errors
    texts: dict[str, str] = {}
    fn_ids: dict[str, set[str]] = {}
    for doc in iter_jsonl(annotations / "documents.jsonl"):
        clean_path = clean_dir / f"{doc['doc_id']}.txt"
        if not clean_path.exists():
            errors.append(f"{clean_path}: missing clean text for {doc['doc_id']}")
            continue
        texts[doc["doc_id"]] = clean_path.read_text(encoding="utf-8")
        if doc["counts"]["characters"] != len(texts[doc["doc_id"]]):
            errors.append(f"{clean_path}: length differs from documents.jsonl counts")
    covered: dict[str, list[tuple[int, int]]] = {d: [] for d in texts}
    for row in iter_jsonl(annotations / "sentences.jsonl"):
        clean = texts.get(row["doc_id"])
        if clean is None:
            errors.append(f"{row['sent_id']}: unknown doc_id {row['doc_id']}")
            continue
        errors.extend(_offset_errors(row, clean))
        covered[row["doc_id"]].append((row["start"], row["end"]))
    for doc_id, spans in covered.items():
        clean, pos = texts[doc_id], 0
        for s, e in spans:
            if s < pos or clean[pos:s].strip():
                errors.append(f"{doc_id}: sentences do not tile the body at {pos}..{s}")
            pos = e
        if clean[pos:].strip():
            errors.append(f"{doc_id}: text after the last sentence is in no sentence")
    for row in iter_jsonl(annotations / "footnotes.jsonl"):
        fn_ids.setdefault(row["doc_id"], set()).add(row["fn_id"])
        clean = texts.get(row["doc_id"], "")
        if row["anchor"] is not None and not 0 <= row["anchor"] <= len(clean):
            errors.append(f"{row['doc_id']}#{row['fn_id']}: anchor {row['anchor']} outside the body")
        for c in row["citations"]:
            a, b = c["span"]
            if not 0 <= a < b <= len(row["text"]):
                errors.append(f"{row['doc_id']}#{row['fn_id']}: citation span {c['span']} outside the note")
        for ent in row["entities"]:
            if row["text"][ent["start"]:ent["end"]] != ent["text"]:
                errors.append(f"{row['doc_id']}#{row['fn_id']}: entity {ent['text']!r} misplaced")
    for row in iter_jsonl(annotations / "sentences.jsonl"):
        for fn in row["footnotes"]:
            if fn not in fn_ids.get(row["doc_id"], set()):
                errors.append(f"{row['sent_id']}: footnote {fn} does not exist")
    for n, row in enumerate(iter_jsonl(annotations / "citation_index.jsonl"), 1):
        for ref in row["cited_by"]:
            if ref["fn_id"] not in fn_ids.get(ref["doc_id"], set()):
                errors.append(f"citation_index.jsonl:{n}: cited_by {ref} does not exist")
    csl = json.loads((annotations / "citations.csl.json").read_text(encoding="utf-8"))
    errors.extend(f"citations.csl.json: {'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in validator("csl.schema.json").iter_errors(csl))
    return errors
