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
import shutil
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path
from typing import Any

from .io import InputError


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
    try:
        return _steps(*args)
    except InputError as exc:
        return {"error": str(exc)}


def _steps(raw_path: str, build_root: str) -> dict[str, Any]:
    from .document import build_document
    from .html import write_document_page

    root = Path(build_root)
    doc_id = Path(raw_path).stem
    build = root / "build" / doc_id
    timings: dict[str, float] = {}
    tag = build_document(raw_path, doc_id, build, root / "corpus" / "clean" / f"{doc_id}.txt", timings)
    t0 = time.perf_counter()
    spacy_doc = root / "annotations" / "corpus.spacy" / f"{doc_id}.spacy"
    spacy_doc.parent.mkdir(parents=True, exist_ok=True)
    shutil.copy(build / "export" / "doc.spacy", spacy_doc)
    t1 = time.perf_counter()
    manifest_path = root / "corpus" / "manifest.jsonl"
    write_document_page(tag, _manifest(str(manifest_path), manifest_path.stat().st_mtime_ns)[doc_id],
                        root / "annotations" / "html" / f"{doc_id}.html")
    t2 = time.perf_counter()
    return {**timings, "tag": timings["tag"] + t1 - t0, "page": t2 - t1, "worker_peak_mb": peak_memory_mb()}


@functools.lru_cache(maxsize=1)
def _manifest(path: str, mtime_ns: int) -> dict[str, dict[str, Any]]:
    """The manifest, read once per worker (``mtime_ns``, part of the cache key, rereads it if it
    changes): reading all of it for every document's page made the page step grow with the corpus."""
    from .export import load_manifest

    return load_manifest(path)


def _warm(_: Any = None) -> None:
    from .io import fewer_gc_passes
    from .tag import build_nlp

    fewer_gc_passes()
    build_nlp("en"), build_nlp("ja")
    gc.freeze()  # the pipelines live as long as the worker: no collection needs to walk them again


def _write_stats(fragment_dirs: list[str], out_dir: str) -> float:
    """``make stats``'s files; the peak memory of the process that made them."""
    from .stats import write_corpus_stats

    write_corpus_stats(fragment_dirs, out_dir, echo=False)
    return peak_memory_mb()


def build_corpus(paths: list[Path], root: Path, processes: int = 2) -> dict[str, Any]:
    """Build ``paths`` (raw documents under ``root``/corpus/raw) through every stage in
    ``processes`` worker processes, then the corpus files, writing exactly the files make's rules
    write, each after its inputs, so that a later ``make`` finds everything up to date."""
    from multiprocessing import get_context

    from tqdm import tqdm

    from .export import export_citation_index, export_corpus

    start = time.perf_counter()
    ctx = get_context("fork")
    with ctx.Pool(processes, initializer=_warm) as pool:
        jobs = [(str(p), str(root)) for p in paths]
        # progress on a terminal only: tqdm stays quiet when output is not a TTY (CI, logs)
        stage_times = list(tqdm(pool.imap(_process_one, jobs, chunksize=4), total=len(jobs), disable=None,
                                desc=f"{processes} process(es)", unit="doc"))
    t_stages = time.perf_counter() - start
    errors = [t["error"] for t in stage_times if "error" in t]
    if errors:
        raise BuildError(errors)
    from .html import load_site_inputs, write_site_index

    manifest = root / "corpus" / "manifest.jsonl"
    fragments = sorted((root / "build").glob("*/export"))
    stats_args = ([str(f) for f in fragments], str(root / "annotations" / "stats"))
    # The stats need only the documents' stats fragments: given a second process, they are made
    # in one (forked from this one, without the workers' spaCy pipelines) while this one writes
    # the corpus files and the site.
    with ProcessPoolExecutor(1, mp_context=ctx) if processes > 1 else contextlib.nullcontext() as side:
        stats = side.submit(_write_stats, *stats_args) if side is not None else None
        e0 = time.perf_counter()
        export_corpus(manifest, fragments, root / "annotations")
        export_citation_index(manifest, fragments, root / "annotations")
        t_export = time.perf_counter() - e0
        write_site_index(root / "annotations", *load_site_inputs(manifest, fragments))
        stats_peak_mb = _write_stats(*stats_args) if stats is None else stats.result()  # result: or its error
    total = time.perf_counter() - start
    per_stage = {s: sum(t[s] for t in stage_times) for s in ("clean", "segment", "tag", "page")}
    per_stage["site index + stats"] = total - t_stages - t_export
    return {"documents": len(paths), "seconds": total, "stage_seconds": per_stage,
            "export_seconds": t_export, "wall_stages": t_stages,
            # the largest worker, and this process (export, views): peak resident memory
            "peak_rss_mb": max([t["worker_peak_mb"] for t in stage_times] + [stats_peak_mb, peak_memory_mb()])}


class BuildError(Exception):
    """Documents that could not be built (each message names the file and the reason)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))
