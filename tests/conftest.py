from __future__ import annotations

import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SEEDS = sorted((ROOT / "corpus" / "raw").glob("*.txt"))
PDFS = SHARED / "pdfs"
BENCHMARKS = SHARED / "benchmarks"

sys.path.insert(0, str(ROOT))

from pipeline.clean import clean_document  # noqa: E402
from pipeline.ingest import RawDocument, read_document, split_blocks  # noqa: E402


def clean_text(text: str, doc_id: str = "t") -> dict:
    """Clean a made-up .txt document given as a string."""
    raw = RawDocument("<test>", "txt", text, split_blocks(text), "0" * 64)
    return clean_document(raw, doc_id)


@pytest.fixture(scope="session")
def seed_clean() -> dict[str, dict]:
    return {p.stem: clean_document(read_document(p), p.stem) for p in SEEDS}


@pytest.fixture(scope="session")
def seed_build(tmp_path_factory) -> Path:
    """The seeds built from corpus/raw by the worker pool in a scratch project: its annotations/,
    corpus/clean/ and build/, for tests that read outputs (not the committed files, which
    ``make determinism`` compares with such a build)."""
    import shutil
    import subprocess

    root = tmp_path_factory.mktemp("seed-build")
    (root / "corpus").mkdir()
    shutil.copytree(ROOT / "corpus" / "raw", root / "corpus" / "raw")
    shutil.copy(ROOT / "corpus" / "manifest.jsonl", root / "corpus" / "manifest.jsonl")
    subprocess.run([sys.executable, "-m", "pipeline", "build", "--root", str(root), "--jobs", "2"], cwd=ROOT,
                   check=True, capture_output=True)
    return root


def needs_shared(path: Path) -> None:
    if not path.exists():
        pytest.skip(f"{path} not available (shared test data lives beside the repository)")
