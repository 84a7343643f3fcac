"""The Makefile as a user drives it: incremental rebuilds, a bad document, an interrupted build.

Each test builds a small corpus in a scratch copy of the project (code and virtualenv linked,
not copied), so the real corpus is never touched.
"""
from __future__ import annotations

import json
import os
import signal
import subprocess
import time
from pathlib import Path

import pytest

from conftest import ROOT

GOOD = {
    "a": "A Small Paper\n\nThe Ministry of Finance issued rules.¹ Tokyo backs them.\n\n¹ MOF, \"Rules,\" 2021.",
    "b": "Another Paper\n\n経済産業省は外為法の運用を強化した。\n\nJapan agreed.",
}


def manifest_row(doc_id: str, suffix: str = ".txt") -> dict:
    return {"doc_id": doc_id, "file": doc_id + suffix, "title": doc_id, "authors": ["X"], "year": 2022,
            "publisher": "unknown", "languages": ["en", "ja"], "source_url": "unknown", "licence": "unknown"}


def make_project(tmp: Path, docs: dict[str, bytes | str]) -> Path:
    if not (ROOT / ".venv" / ".installed").exists():
        pytest.skip("run `make` once first: these tests reuse the project's virtualenv")
    for name in ("pipeline", "Makefile", "pyproject.toml", "constraints.txt", ".venv"):
        (tmp / name).symlink_to(ROOT / name)
    raw = tmp / "corpus" / "raw"
    raw.mkdir(parents=True)
    rows = []
    for doc_id, content in docs.items():
        suffix = ".pdf" if isinstance(content, bytes) and content.startswith(b"%PDF") else ".txt"
        path = raw / (doc_id + suffix)
        path.write_bytes(content if isinstance(content, bytes) else content.encode("utf-8"))
        rows.append(manifest_row(doc_id, suffix))
    (tmp / "corpus" / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    return tmp


def make(project: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(["make", *args], cwd=project, capture_output=True, text=True, timeout=600)


def outputs(project: Path) -> dict[str, bytes]:
    files = sorted(p for d in ("annotations", "corpus/clean") for p in (project / d).rglob("*") if p.is_file())
    return {str(p.relative_to(project)): p.read_bytes() for p in files}


def test_make_builds_then_does_nothing_then_rebuilds_one_document(tmp_path):
    project = make_project(tmp_path, GOOD)
    first = make(project)
    assert first.returncode == 0, first.stderr
    assert make(project, "-q").returncode == 0  # up to date: a second `make` does nothing
    time.sleep(1.1)
    (project / "corpus" / "raw" / "b.txt").write_text(GOOD["b"] + "\n\nIt was amended.", encoding="utf-8")
    rebuild = make(project)
    assert rebuild.returncode == 0, rebuild.stderr
    ran = rebuild.stdout.splitlines()  # the commands make ran
    assert [line for line in ran if " document " in line] == [
        ".venv/bin/python -m pipeline document corpus/raw/b.txt --doc-id b --build-dir build/b --text-out corpus/clean/b.txt"]
    assert any("--out annotations/html/b.html" in line for line in ran)
    assert not any("html/a.html" in line or "a.spacy" in line for line in ran)  # a's own steps did not rerun
    assert "It was amended." in (project / "corpus" / "clean" / "b.txt").read_text()


def test_bad_document_fails_clearly_and_others_still_build(tmp_path):
    project = make_project(tmp_path, {**GOOD, "bad": b"\x00\x01binary\x00"})
    result = make(project)
    assert result.returncode != 0
    errors = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert errors == ["error: corpus/raw/bad.txt: binary or non-text file (NUL or control bytes); "
                      "expected UTF-8 text or a PDF"]
    assert (project / "build" / "a" / "tag.json").exists() and (project / "build" / "b" / "tag.json").exists()
    assert not (project / "build" / "bad").exists() or not list((project / "build" / "bad").iterdir())
    assert not (project / "annotations" / "sentences.jsonl").exists()  # nothing half-exported
    assert not list(project.rglob("*.tmp"))


def test_interrupted_build_resumes_to_identical_outputs(tmp_path):
    (tmp_path / "ref").mkdir()
    (tmp_path / "run").mkdir()
    reference = make_project(tmp_path / "ref", GOOD)
    assert make(reference).returncode == 0
    project = make_project(tmp_path / "run", GOOD)
    proc = subprocess.Popen(["make"], cwd=project, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    deadline = time.time() + 60
    running = None  # the first document step's process, once make has started it
    while time.time() < deadline and running is None:
        found = subprocess.run(["pgrep", "-s", str(proc.pid), "-f", "--", "-m pipeline document"], capture_output=True,
                               text=True).stdout.split()
        running = found[0] if found else None
        time.sleep(0.02)
    assert running is not None, "make never started a document step"
    time.sleep(0.3)  # the step is loading its modules or cleaning: a second from done
    os.killpg(proc.pid, signal.SIGKILL)  # kill make and the stage it is running, mid-stage
    proc.wait()
    assert not (project / "build" / "a" / "tag.json").exists() or not (project / "build" / "b" / "tag.json").exists()
    assert not (project / "annotations" / "sentences.jsonl").exists()
    assert make(project).returncode == 0
    assert outputs(project) == outputs(reference)
    assert not list(project.rglob("*.tmp"))  # a killed writer's temporary file is cleaned up


def test_batch_build_writes_what_make_writes(tmp_path):
    (tmp_path / "make").mkdir()
    (tmp_path / "batch").mkdir()
    by_make = make_project(tmp_path / "make", GOOD)
    assert make(by_make).returncode == 0
    by_batch = make_project(tmp_path / "batch", GOOD)
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "pipeline", "build", "--jobs", "2"],
                            cwd=by_batch, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert make(by_batch, "-q").returncode == 0  # make finds the batch's files up to date
    assert outputs(by_batch) == outputs(by_make)


def test_document_command_writes_what_the_three_stage_commands_write(tmp_path):
    python = str(ROOT / ".venv" / "bin" / "python")
    raw = tmp_path / "a.txt"
    raw.write_text(GOOD["a"] + "\n\n" + GOOD["b"], encoding="utf-8")

    def run(*args: str) -> None:
        result = subprocess.run([python, "-m", "pipeline", *args], cwd=ROOT, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr

    one, three = tmp_path / "one", tmp_path / "three"
    run("document", str(raw), "--doc-id", "a", "--build-dir", str(one / "build"), "--text-out", str(one / "a.txt"))
    run("clean", str(raw), "--doc-id", "a", "--out", str(three / "build" / "clean.json"),
        "--text-out", str(three / "a.txt"))
    run("segment", str(three / "build" / "clean.json"), "--out", str(three / "build" / "segment.json"))
    run("tag", str(three / "build" / "segment.json"), "--out", str(three / "build" / "tag.json"),
        "--fragments-dir", str(three / "build" / "export"))
    files = {p.relative_to(three): p.read_bytes() for p in sorted(three.rglob("*")) if p.is_file()}
    assert len(files) == 12  # clean text, clean/segment/tag JSON, 8 fragments
    assert {p.relative_to(one): p.read_bytes() for p in sorted(one.rglob("*")) if p.is_file()} == files


def test_document_command_writes_nothing_for_a_bad_document(tmp_path):
    raw = tmp_path / "bad.txt"
    raw.write_bytes("Shift_JIS: 経済安全保障".encode("shift_jis"))
    result = subprocess.run([str(ROOT / ".venv" / "bin" / "python"), "-m", "pipeline", "document", str(raw),
                             "--build-dir", str(tmp_path / "build"), "--text-out", str(tmp_path / "bad.clean.txt")],
                            cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 2
    assert result.stderr.startswith(f"error: {raw}: not valid UTF-8")
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["bad.txt"]


def test_bench_stops_before_timing_when_the_virtualenv_stamp_is_stale(tmp_path):
    from benchmarks.bench import check_setup_current

    (tmp_path / "Makefile").symlink_to(ROOT / "Makefile")
    for name in ("pyproject.toml", "constraints.txt"):
        (tmp_path / name).write_text("")
    stamp = tmp_path / ".venv" / ".installed"
    stamp.parent.mkdir()
    stamp.touch()
    os.utime(stamp, (0, 0))  # installed before the project files last changed
    with pytest.raises(SystemExit, match="older than its pyproject.toml or constraints.txt"):
        check_setup_current(tmp_path)
    stamp.touch()
    check_setup_current(tmp_path)  # up to date: the bench goes on


def test_worker_pool_reports_a_worker_that_cannot_start(monkeypatch):
    """A pool whose initializer raises would start new workers for ever: the build must stop with
    the error instead (here the tagger cannot load its patterns)."""
    from pipeline.build import pool

    def broken():
        raise ValueError("patterns unreadable")

    monkeypatch.setattr("pipeline.tag.build_nlp", lambda lang: broken())
    pool._start_error = None
    pool._warm()
    try:
        assert pool._start_error == "worker start-up failed: ValueError: patterns unreadable"
        assert pool._process_one(("corpus/raw/x.txt", ".")) == {"error": pool._start_error}
    finally:
        pool._start_error = None
