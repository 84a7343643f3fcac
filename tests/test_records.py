"""The typed records (``pipeline/records.py``) and the JSON Schemas (``pipeline/schemas/``) agree:
the same fields, the same required fields, at every level that both describe."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT
from pipeline import records
from pipeline.records import json_key

SCHEMAS = ROOT / "pipeline" / "schemas"


def schema(name: str) -> dict:
    return json.loads((SCHEMAS / name).read_text(encoding="utf-8"))


def resolve(node: dict, root: dict) -> dict:
    if "$ref" in node:
        for part in node["$ref"].removeprefix("#/").split("/"):
            root = root[part]
        return root
    return node


def at(root: dict, *path: str) -> dict:
    """The object schema at ``path`` (property names; "[]" steps into an array's items)."""
    node = root
    for step in path:
        node = resolve(node["items"] if step == "[]" else node["properties"][step], root)
    return resolve(node, root)


CASES = [
    (records.SentenceRow, "sentence.schema.json", ()),
    (records.Entity, "sentence.schema.json", ("entities", "[]")),
    (records.Stance, "sentence.schema.json", ("stances", "[]")),
    (records.FootnoteRow, "footnote.schema.json", ()),
    (records.Entity, "footnote.schema.json", ("entities", "[]")),
    (records.Citation, "footnote.schema.json", ("citations", "[]")),
    (records.Name, "footnote.schema.json", ("citations", "[]", "author", "[]")),
    (records.DocumentRow, "document.schema.json", ()),
    (records.Source, "document.schema.json", ("source",)),
    (records.Extracted, "document.schema.json", ("extracted",)),
    (records.UnlinkedMarker, "document.schema.json", ("unlinked_markers", "[]")),
    (records.UnanchoredNote, "document.schema.json", ("unanchored_notes", "[]")),
    (records.Removed, "document.schema.json", ("removed", "[]")),
    (records.Paragraph, "document.schema.json", ("paragraphs", "[]")),
    (records.CitationIndexRow, "citation_index.schema.json", ()),
    (records.CitedBy, "citation_index.schema.json", ("cited_by", "[]")),
    (records.Name, "citation_index.schema.json", ("author", "[]")),
    (records.BioRow, "bio.schema.json", ()),
]


@pytest.mark.parametrize("record,schema_name,path", CASES,
                         ids=[f"{r.__name__}-{s.split('.')[0]}-{'.'.join(p) or 'row'}" for r, s, p in CASES])
def test_record_and_schema_have_the_same_fields(record, schema_name, path):
    node = at(schema(schema_name), *path)
    fields = {json_key(f) for f in record.__annotations__}
    required = {json_key(f) for f in record.__required_keys__}
    assert fields == set(node["properties"])
    assert required == set(node.get("required", []))


def test_vocabularies_are_the_schemas_enums():
    sentence = schema("sentence.schema.json")
    assert tuple(at(sentence, "entities", "[]")["properties"]["label"]["enum"]) == records.LABELS
    assert tuple(at(sentence, "stances", "[]")["properties"]["polarity"]["enum"]) == records.POLARITIES
