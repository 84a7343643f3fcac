"""Export: manifest validation, citation index and CSL export, errors through the CLI."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT, clean_text
from pipeline.clean import clean_document
from pipeline.export.citation_index import csl_item, export_citation_index
from pipeline.export.corpus import export_corpus
from pipeline.export.fragments import document_fragments, document_row, write_fragments
from pipeline.ingest import document_from_text
from pipeline.export.manifest import load_manifest
from pipeline.text.io import InputError
from pipeline.segment import segment_document
from pipeline.tag import tag_document, tag_document_docs

MANIFEST_ROW = {"title": "T", "authors": ["A"], "year": 2022, "publisher": "unknown", "languages": ["en"],
                "source_url": "unknown", "licence": "unknown"}


def write_manifest(path, rows):
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")


def build_doc(tmp_path, doc_id, text):
    record, docs = tag_document_docs(segment_document(clean_text(text, doc_id)))
    path = tmp_path / "build" / doc_id / "export"
    write_fragments(document_fragments(record, docs), path)
    return path


@pytest.mark.parametrize("rows,message", [
    ([{"file": "a.txt", **MANIFEST_ROW}], "missing doc_id"),
    ([{"doc_id": "a", "file": "a.txt", **MANIFEST_ROW}, {"doc_id": "a", "file": "a.txt", **MANIFEST_ROW}], "duplicate doc_id"),
    ([{"doc_id": "a b", "file": "a b.txt", **MANIFEST_ROW}], "may hold only"),
    ([{"doc_id": "a", "file": "b.txt", **MANIFEST_ROW}], "does not match"),
    ([{"doc_id": "a", "file": "a.txt", **{**MANIFEST_ROW, "licence": ""}}], "missing licence"),
])
def test_manifest_errors(tmp_path, rows, message):
    path = tmp_path / "manifest.jsonl"
    write_manifest(path, rows)
    with pytest.raises(InputError, match=message):
        load_manifest(path)


def test_manifest_bad_json_line(tmp_path):
    path = tmp_path / "manifest.jsonl"
    path.write_text('{"doc_id": "a"\n')
    with pytest.raises(InputError, match="line 1: invalid JSON"):
        load_manifest(path)


def test_citation_index_merges_works_cited_by_two_documents(tmp_path):
    note = 'Claim.¹\n\n¹ Jane Roe, "Shared Work," Journal of Things, Vol. 3, 2020, https://example.org/w.'
    a = build_doc(tmp_path, "a", note)
    b = build_doc(tmp_path, "b", note.replace("https://example.org/w", "https://www.example.org/w/"))
    manifest = tmp_path / "manifest.jsonl"
    write_manifest(manifest, [{"doc_id": d, "file": f"{d}.txt", **MANIFEST_ROW} for d in ("a", "b")])
    out = tmp_path / "annotations"
    assert export_corpus(manifest, [a, b], out) == {"documents": 2, "sentences": 2, "footnotes": 2}
    assert export_citation_index(manifest, [a, b], out) == 1
    (work,) = [json.loads(line) for line in (out / "citation_index.jsonl").read_text().splitlines()]
    assert work["cited_by"] == [{"doc_id": "a", "fn_id": "fn1"}, {"doc_id": "b", "fn_id": "fn1"}]
    csl = json.loads((out / "citations.csl.json").read_text())
    assert csl[0]["issued"] == {"date-parts": [[2020]]} and csl[0]["id"] == work["id"]
    assert "span" not in csl[0] and "cited_by" not in csl[0]
    csv_lines = (out / "citation_index.csv").read_text().splitlines()
    assert csv_lines[0].startswith("id,type,author,title") and "a#fn1; b#fn1" in csv_lines[1]


def test_site_is_made_without_the_corpus_jsonl_files(tmp_path):
    """The site and data card take counts from the summary fragments and need only the citation
    index, so make runs them beside the export; the counts are the ones documents.jsonl shows."""
    from pipeline.views.site import load_site_inputs, write_site_index
    from pipeline.text.io import read_json

    a = build_doc(tmp_path, "a", 'Claim by the Ministry of Defense.¹\n\n¹ Jane Roe, "A Work," 2020.')
    b = build_doc(tmp_path, "b", "Two sentences here. And a second one.")
    manifest = tmp_path / "manifest.jsonl"
    write_manifest(manifest, [{"doc_id": d, "file": f"{d}.txt", **MANIFEST_ROW, "title": f"Title {d}"} for d in "ab"])
    out = tmp_path / "annotations"
    export_citation_index(manifest, [a, b], out)
    write_site_index(out, *load_site_inputs(manifest, [a, b]))
    assert not (out / "documents.jsonl").exists()
    index = (out / "html" / "index.html").read_text(encoding="utf-8")
    assert "Title a" in index and "Title b" in index and "ORG 1" in index
    assert "<td>2</td>" in index  # b's two sentences
    card = (out / "README.md").read_text(encoding="utf-8")
    assert "| `a` | Title a |" in card and "| `b` | Title b |" in card
    for d in (a, b):
        assert read_json(d / "summary.json")["counts"] == read_json(d / "document.json")["counts"]
    with pytest.raises(InputError, match="listed but not built"):
        load_site_inputs(manifest, [a])


def test_export_refuses_documents_missing_from_manifest(tmp_path):
    a = build_doc(tmp_path, "a", "Text.")
    manifest = tmp_path / "manifest.jsonl"
    write_manifest(manifest, [{"doc_id": "z", "file": "z.txt", **MANIFEST_ROW}])
    with pytest.raises(InputError, match="no manifest line for a"):
        export_corpus(manifest, [a], tmp_path / "out")
    with pytest.raises(InputError, match="no manifest line for a"):
        export_citation_index(manifest, [a], tmp_path / "out")
    assert not (tmp_path / "out").exists()


def test_csl_item_conversion():
    item = csl_item({"id": "w1", "type": "webpage", "title": "T", "title-translation": "E", "accessed": "2022-03-10",
                     "author": [{"literal": "METI", "id": "org:meti"}], "cited_by": []})
    assert item == {"id": "w1", "type": "webpage", "title": "T", "accessed": {"date-parts": [[2022, 3, 10]]},
                    "author": [{"literal": "METI"}], "note": "Title translation: E"}


# --- the CLI on bad input -------------------------------------------------------------------

def run_cli(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "pipeline", *args], cwd=cwd, capture_output=True, text=True)


@pytest.mark.parametrize("name,payload,reason", [
    ("empty.txt", b"", "empty file"),
    ("binary.txt", bytes(range(256)) * 4, "binary"),
    ("sjis.txt", "経済安全保障推進法が成立した。".encode("shift_jis") * 10, "not valid UTF-8"),
    ("broken.pdf", b"%PDF-1.7\n1 0 obj <<>>\n", "PDF"),
])
def test_clean_cli_rejects_bad_documents_cleanly(tmp_path, name, payload, reason):
    raw = tmp_path / name
    raw.write_bytes(payload)
    out, text_out = tmp_path / "b" / "clean.json", tmp_path / "c" / "clean.txt"
    proc = run_cli("clean", str(raw), "--out", str(out), "--text-out", str(text_out))
    assert proc.returncode == 2
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and str(raw) in lines[0] and reason in lines[0]
    assert not out.exists() and not text_out.exists()
    assert not list(tmp_path.rglob("*.tmp"))


def test_check_cli_passes_on_a_fresh_build(seed_build):
    proc = run_cli("check", "--annotations", str(seed_build / "annotations"), "--clean-dir",
                   str(seed_build / "corpus" / "clean"))
    assert proc.returncode == 0, proc.stderr


def test_check_detects_offset_corruption(tmp_path, seed_build):
    import shutil

    ann = tmp_path / "annotations"
    shutil.copytree(seed_build / "annotations", ann, ignore=shutil.ignore_patterns("html", "stats"))
    lines = (ann / "sentences.jsonl").read_text(encoding="utf-8").splitlines()
    row = json.loads(lines[5])
    row["start"] += 1
    lines[5] = json.dumps(row, ensure_ascii=False)
    (ann / "sentences.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    proc = run_cli("check", "--annotations", str(ann), "--clean-dir", str(seed_build / "corpus" / "clean"))
    assert proc.returncode == 1 and "text != clean_text" in proc.stderr


def test_a_note_no_marker_points_to_is_listed_in_its_documents_row():
    raw = document_from_text("Export controls tightened in 2023.¹ Firms adjusted their plans.\n\n"
                             "¹ METI, \"Export Control Policy,\" 2023.\n\n² Ministry of Finance, \"Investment Screening,\" 2021.\n")
    row = document_row({}, tag_document(segment_document(clean_document(raw, "doc"))))
    assert row["unanchored_notes"] == [{"fn_id": "fn2", "marker": "²", "page": None, "raw_start": raw.text.index("²")}]
    assert row["counts"]["footnotes_unanchored"] == 1 and row["unlinked_markers"] == []
