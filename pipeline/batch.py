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


def _write_corpus_files(manifest: str, fragment_dirs: list[str], out_dir: str) -> tuple[float, float]:
    """The export's corpus files; its seconds and the peak memory of the process that made them."""
    from .export import export_corpus

    t0 = time.perf_counter()
    export_corpus(manifest, fragment_dirs, out_dir)
    return time.perf_counter() - t0, peak_memory_mb()


def _write_stats(fragment_dirs: list[str], out_dir: str) -> tuple[float, float]:
    """``make stats``'s files; their seconds and the peak memory of the process that made them."""
    from .stats import write_corpus_stats

    t0 = time.perf_counter()
    write_corpus_stats(fragment_dirs, out_dir, echo=False)
    return time.perf_counter() - t0, peak_memory_mb()


def build_corpus(paths: list[Path], root: Path, processes: int = 2) -> dict[str, Any]:
    """Build ``paths`` (raw documents under ``root``/corpus/raw) through every stage in
    ``processes`` worker processes, then the corpus files, writing exactly the files make's rules
    write, each after its inputs, so that a later ``make`` finds everything up to date."""
    from multiprocessing import get_context

    from tqdm import tqdm

    from .export import export_citation_index

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

    annotations = root / "annotations"
    manifest = root / "corpus" / "manifest.jsonl"
    fragments = sorted((root / "build").glob("*/export"))
    fragment_args = [str(f) for f in fragments]
    # The corpus files (the longest corpus-wide step: they copy every document's share) and the
    # stats need nothing the other steps make: given a second process, each is made in a process
    # of its own (forked from this one, without the workers' spaCy pipelines) while this one makes
    # the citation index and then the site, which needs it.
    with ProcessPoolExecutor(2, mp_context=ctx) if processes > 1 else contextlib.nullcontext() as side:
        jobs = [(_write_corpus_files, str(manifest), fragment_args, str(annotations)),
                (_write_stats, fragment_args, str(annotations / "stats"))]
        running = [side.submit(*job) for job in jobs] if side is not None else None
        e0 = time.perf_counter()
        export_citation_index(manifest, fragments, annotations)
        t_index = time.perf_counter() - e0
        t0 = time.perf_counter()
        write_site_index(annotations, *load_site_inputs(manifest, fragments))
        t_site = time.perf_counter() - t0
        # results: or their errors
        (t_corpus_files, export_peak_mb), (t_stats, stats_peak_mb) = (
            [job[0](*job[1:]) for job in jobs] if running is None else [r.result() for r in running])
    total = time.perf_counter() - start
    per_stage = {s: sum(t[s] for t in stage_times) for s in ("clean", "segment", "tag", "page")}
    per_stage["site index + stats"] = t_site + t_stats
    return {"documents": len(paths), "seconds": total, "stage_seconds": per_stage,
            "export_seconds": t_corpus_files + t_index, "wall_stages": t_stages,
            # the largest worker, the side processes and this one: peak resident memory
            "peak_rss_mb": max([t["worker_peak_mb"] for t in stage_times]
                               + [export_peak_mb, stats_peak_mb, peak_memory_mb()])}


class BuildError(Exception):
    """Documents that could not be built (each message names the file and the reason)."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("; ".join(errors))
