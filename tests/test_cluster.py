"""The build on Dask: a LocalCluster and a cluster of separate processes over loopback build the
files the worker pool (and make) build; a second run does nothing; a failed document or a killed
worker does not stop the others."""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from benchmarks.cluster import LoopbackCluster
from conftest import ROOT

pytest.importorskip("distributed")


def project(path: Path, extra: int = 2) -> Path:
    """The seeds and ``extra`` documents made from them (paragraphs shuffled), with the Makefile, code
    and virtualenv linked, so that make can check the result."""
    from benchmarks.bench import synthetic_corpus

    (path / "corpus").mkdir(parents=True)
    shutil.copytree(ROOT / "corpus" / "raw", path / "corpus" / "raw")
    rows = [json.loads(l) for l in (ROOT / "corpus" / "manifest.jsonl").read_text(encoding="utf-8").splitlines()]
    for p in synthetic_corpus(extra, path / "corpus" / "raw"):
        rows.append({"doc_id": p.stem, "file": p.name, "title": p.stem, "authors": ["synthetic"], "year": 2022,
                     "publisher": "synthetic", "languages": ["en"], "source_url": "unknown", "licence": "unknown"})
    (path / "corpus" / "manifest.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    for name in ("pipeline", "Makefile", "pyproject.toml", "constraints.txt", ".venv"):
        (path / name).symlink_to(ROOT / name)
    return path


def build(root: Path, *args: str, check: bool = True) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pipeline", "build", "--root", str(root), *args, "--quiet"],
                          capture_output=True, text=True, check=check, timeout=600, cwd=ROOT)


def same_outputs(a: Path, b: Path) -> None:
    subprocess.run(["diff", "-r", str(a / "annotations"), str(b / "annotations")], check=True)
    subprocess.run(["diff", "-r", str(a / "corpus" / "clean"), str(b / "corpus" / "clean")], check=True)


def test_local_cluster_builds_what_the_pool_builds_and_then_nothing(tmp_path):
    pool, dask = project(tmp_path / "pool"), project(tmp_path / "dask")
    build(pool, "--jobs", "1")
    out = build(dask, "--scheduler", "local:2").stderr
    assert "4 built, 0 failed, 0 up to date; corpus files rebuilt" in out
    same_outputs(pool, dask)
    assert subprocess.run(["make", "-q", "all"], cwd=dask).returncode == 0  # make finds nothing to do
    assert "0 built, 0 failed, 4 up to date; corpus files up to date" in build(dask, "--scheduler", "local:2").stderr
    raw = dask / "corpus" / "raw" / "syn00001.txt"
    raw.write_text(raw.read_text(encoding="utf-8") + "\n\nA new closing paragraph.\n", encoding="utf-8")
    assert "1 built, 0 failed, 3 up to date; corpus files rebuilt" in build(dask, "--scheduler", "local:2").stderr


@pytest.mark.parametrize("documents, workers, size", [(4, 2, 1), (31, 2, 1), (32, 2, 2), (64, 2, 4),
                                                       (100_000, 128, 4), (100, 0, 4)])
def test_documents_go_a_few_to_a_task_while_each_worker_gets_eight_tasks(documents, workers, size):
    from pipeline.build.cluster import batch_size

    assert batch_size(documents, workers) == size


def test_a_failed_document_is_reported_and_the_others_built(tmp_path):
    # 35 documents on two workers go two to a task: "broken" shares its task with syn00000
    root = project(tmp_path / "p", extra=32)
    (root / "corpus" / "raw" / "broken.txt").write_bytes(b"\xff\xfe\x00not text")
    rows = (root / "corpus" / "manifest.jsonl").read_text(encoding="utf-8")
    (root / "corpus" / "manifest.jsonl").write_text(rows + json.dumps(
        {"doc_id": "broken", "file": "broken.txt", "title": "x", "authors": [], "year": 2022, "publisher": "x",
         "languages": ["en"], "source_url": "unknown", "licence": "unknown"}) + "\n", encoding="utf-8")
    result = build(root, "--scheduler", "local:2", check=False)
    assert result.returncode == 1
    assert "error: broken:" in result.stderr and "34 built, 1 failed" in result.stderr
    assert not (root / "build" / "broken").exists() and not (root / "corpus" / "clean" / "broken.txt").exists()
    assert (root / "annotations" / "html" / "syn00000.html").exists()


def test_cluster_of_processes_over_loopback(tmp_path):
    pool, dask = project(tmp_path / "pool"), project(tmp_path / "dask")
    build(pool, "--jobs", "1")
    cluster = LoopbackCluster(tmp_path)
    try:
        assert "4 built, 0 failed" in build(dask, "--scheduler", cluster.address).stderr
    finally:
        cluster.stop()
    same_outputs(pool, dask)


def test_a_worker_killed_mid_run_loses_no_document(tmp_path):
    root = project(tmp_path / "p", extra=6)
    cluster = LoopbackCluster(tmp_path)
    try:
        run = subprocess.Popen([sys.executable, "-m", "pipeline", "build", "--root", str(root), "--scheduler",
                                cluster.address, "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                               cwd=ROOT)
        deadline = time.time() + 300
        while not list((root / "build").glob("*/clean.json")) and time.time() < deadline:
            time.sleep(0.05)
        # the first document is done: the workers are at work; one of them dies
        for pid in [*_children(cluster.workers[0].pid), cluster.workers[0].pid]:  # the worker, then its nanny
            os.kill(pid, signal.SIGKILL)
        _, err = run.communicate(timeout=600)
    finally:
        cluster.stop()
    assert run.returncode == 0, err
    assert "8 built, 0 failed" in err
    for doc in (root / "corpus" / "raw").glob("*.txt"):
        assert (root / "annotations" / "html" / f"{doc.stem}.html").exists()


def _children(pid: int) -> list[int]:
    """The processes a ``dask worker`` started (its nanny runs the worker in a child)."""
    import psutil

    try:
        return [c.pid for c in psutil.Process(pid).children(recursive=True)]
    except psutil.NoSuchProcess:
        return []
