"""Fast full builds: every stage for many documents in a pool of worker processes.

``make`` runs a process per document and stage, which is what makes one changed document cheap
to rebuild; for a first build of a large corpus, the start-up of those processes dominates. This
builds the same files in a few long-lived workers (``python -m pipeline build``, ``make rebuild``).
"""
from __future__ import annotations

import contextlib
import functools
import gc
import resource
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any, Callable

from ..export.manifest import load_manifest
from ..text.io import InputError, fewer_gc_passes
from .steps import (citation_index_step, cross_pages_step, eval_step, export_step, page_step, site_step, spacy_doc_step,
                    stats_step,
                    write_document_outputs)


DOCUMENTS_PER_TASK = 4  # handed to a worker at a time, in the pool and on Dask


def peak_memory_mb() -> float:
    """This process's peak resident memory. VmHWM, unlike getrusage's ru_maxrss, is not carried
    over from the parent that started the process."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _process_one(args: tuple[str, str]) -> dict[str, Any]:
    """Every per-document step for one document, writing what make's rules write; timings,
    or the error that stopped the document."""
    if _start_error is not None:
        return {"error": _start_error}
    try:
        return build_document(*args)
    except InputError as exc:
        return {"error": str(exc)}


def build_document(raw_path: str, build_root: str) -> dict[str, Any]:
    """The steps ``make`` runs for one document (``document``, the DocBin copy, ``html-page``),
    each stage timed here, outside the stage functions."""
    from ..clean import clean_document
    from ..ingest import read_document
    from ..segment import segment_document
    from ..tag import tag_document_docs

    root = Path(build_root)
    doc_id = Path(raw_path).stem
    build = root / "build" / doc_id
    t0 = time.perf_counter()
    # the source path as make records it: relative to the project
    clean = clean_document(read_document(raw_path, str(Path(raw_path).relative_to(root))), doc_id)
    t1 = time.perf_counter()
    seg = segment_document(clean)
    t2 = time.perf_counter()
    tag, sentence_docs = tag_document_docs(seg)
    write_document_outputs(clean, seg, tag, sentence_docs, build, root / "corpus" / "clean" / f"{doc_id}.txt")
    spacy_doc_step(build / "export", root / "annotations" / "corpus.spacy" / f"{doc_id}.spacy")
    t3 = time.perf_counter()
    manifest_path = root / "corpus" / "manifest.jsonl"
    page_step(tag, _manifest(str(manifest_path), manifest_path.stat().st_mtime_ns),
              root / "annotations" / "html" / f"{doc_id}.html")
    t4 = time.perf_counter()
    return {"clean": t1 - t0, "segment": t2 - t1, "tag": t3 - t2, "page": t4 - t3, "worker_peak_mb": peak_memory_mb()}


@functools.lru_cache(maxsize=1)
def _manifest(path: str, mtime_ns: int) -> dict[str, dict[str, Any]]:
    """The manifest, read once per worker (``mtime_ns``, part of the cache key, rereads it if it
    changes): reading all of it for every document's page made the page step grow with the corpus."""
    return load_manifest(path)


_start_error: str | None = None  # why this worker could not start, reported for each of its documents


def prepare_worker() -> None:
    """Make this process a worker for many documents: the tagging pipelines loaded once, and the
    cycle collector run less often and kept off the pipelines (they live as long as the worker:
    no collection needs to walk them again)."""
    from ..tag import build_nlp

    fewer_gc_passes()
    build_nlp("en"), build_nlp("ja")
    gc.freeze()


def _warm(_: Any = None) -> None:
    """``prepare_worker`` in each worker of the pool. An error is kept, not raised: a pool whose
    initializer raises starts new workers for ever, and the build would hang."""
    global _start_error
    try:
        prepare_worker()
    except Exception as exc:  # any failure to load: the build must stop with it, not hang
        _start_error = f"worker start-up failed: {type(exc).__name__}: {exc}"


def _write_stats(fragment_dirs: list[str], out_dir: str) -> float:
    """``make stats``'s files; the peak memory of the process that made them."""
    stats_step(fragment_dirs, out_dir)
    return peak_memory_mb()


def build_corpus(paths: list[Path], root: Path, processes: int = 2) -> dict[str, Any]:
    """Build ``paths`` (raw documents under ``root``/corpus/raw) through every stage in
    ``processes`` worker processes, then the corpus files, writing exactly the files make's rules
    write, each after its inputs, so that a later ``make`` finds everything up to date."""
    from multiprocessing import get_context

    from tqdm import tqdm

    start = time.perf_counter()
    ctx = get_context("fork")
    with ctx.Pool(processes, initializer=_warm) as pool:
        jobs = [(str(p), str(root)) for p in paths]
        # progress on a terminal only: tqdm stays quiet when output is not a TTY (CI, logs)
        stage_times = list(tqdm(pool.imap(_process_one, jobs, chunksize=DOCUMENTS_PER_TASK), total=len(jobs),
                                disable=None, desc=f"{processes} process(es)", unit="doc"))
    t_stages = time.perf_counter() - start
    errors = [t["error"] for t in stage_times if "error" in t]
    if errors:
        raise BuildError(errors)
    manifest = root / "corpus" / "manifest.jsonl"
    fragments = sorted((root / "build").glob("*/export"))
    stats_args = ([str(f) for f in fragments], str(root / "annotations" / "stats"))
    # The stats need only the documents' stats fragments: given a second process, they are made
    # in one (forked from this one, without the workers' spaCy pipelines) while this one writes
    # the corpus files and the site.
    with ProcessPoolExecutor(1, mp_context=ctx) if processes > 1 else contextlib.nullcontext() as side:
        stats = side.submit(_write_stats, *stats_args) if side is not None else None
        e0 = time.perf_counter()
        corpus_files(root, fragments)
        t_export = time.perf_counter() - e0
        site_step(fragments, manifest, root / "annotations")
        stats_peak_mb = _write_stats(*stats_args) if stats is None else stats.result()  # result: or its error
    total = time.perf_counter() - start
    per_stage = {s: sum(t[s] for t in stage_times) for s in ("clean", "segment", "tag", "page")}
    per_stage["site index + stats"] = total - t_stages - t_export
    return {"documents": len(paths), "seconds": total, "stage_seconds": per_stage,
            "export_seconds": t_export, "wall_stages": t_stages,
            # the largest worker, and this process (export, views): peak resident memory
            "peak_rss_mb": max([t["worker_peak_mb"] for t in stage_times] + [stats_peak_mb, peak_memory_mb()])}


def corpus_files(root: Path, fragments: list[Path]) -> None:
    """The corpus-wide files from the documents' fragments: the JSONL, the citation index, the
    scores against the gold layers and the site across documents (the site index and the stats
    are made apart)."""
    manifest = root / "corpus" / "manifest.jsonl"
    export_step(manifest, fragments, root / "annotations")
    citation_index_step(manifest, fragments, root / "annotations")
    eval_step(root / "corpus" / "gold", root / "annotations")
    cross_pages_step(root / "annotations")


def corpus_steps(root: Path, aside: Callable[..., Any] | None = None) -> None:
    """Every corpus-wide step, as ``make`` runs them after the documents. ``aside(fn, *args)``, if
    given, runs the stats elsewhere meanwhile (a Dask worker: ``client.submit``) and returns what
    gives their end (``.result()``); else they run here, last."""
    fragments = sorted((root / "build").glob("*/export"))
    stats_args = ([str(f) for f in fragments], str(root / "annotations" / "stats"))
    stats = aside(stats_step, *stats_args) if aside is not None else None
    corpus_files(root, fragments)
    site_step(fragments, root / "corpus" / "manifest.jsonl", root / "annotations")
    if stats is None:
        stats_step(*stats_args)
    else:
        stats.result()  # or its error


class BuildError(Exception):
    """Documents that could not be built (each message names the file and the reason)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))
