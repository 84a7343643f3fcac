"""The same build on a Dask cluster (``python -m pipeline build --scheduler local:N|tcp://HOST:PORT``).

Each document that is out of date (its raw file, or the code and pattern data its steps read, newer
than its outputs, as in the Makefile's rules) is built in a Dask task, up to four documents to a
task, by the steps ``make`` runs for it (``pool.build_document``: clean, segment, tag, its export
fragments, its DocBin and its page); the corpus-wide steps then run here, in the client, reading the
fragments one document at a time, but for the stats, made meanwhile elsewhere (as the worker pool
makes them aside): on a worker of a running cluster, or, once a LocalCluster is closed, in a process
of their own. The workers read and write the project directory, which all of them must share (the
same path on every machine). A task whose worker dies is run again on another (Dask's ``retries``);
a document that fails is reported with its reason and does not stop the others.
"""
from __future__ import annotations

import functools
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from multiprocessing import get_context
from pathlib import Path
from typing import Any

from ..ingest import SUPPORTED_SUFFIXES
from ..text.io import InputError
from .pool import DOCUMENTS_PER_TASK, build_document, corpus_steps, prepare_worker

PACKAGE = Path(__file__).resolve().parents[1]  # pipeline/


def _files(*patterns: str) -> list[Path]:
    return sorted(p for pattern in patterns for p in PACKAGE.glob(pattern))


def document_sources() -> list[Path]:
    """The code and data a document's steps read: the Makefile's DOC_SRC and VIEWS_SRC (the page)."""
    return _files("__init__.py", "api.py", "cli.py", "__main__.py", "text/*.py", "build/*.py", "ingest/*.py",
                  "clean/*.py", "segment/*.py", "cite/*.py", "tag/*.py", "export/*.py", "views/*.py",
                  "patterns/__init__.py", "patterns/*.tsv", "patterns/*.txt", "patterns/*.jsonl",
                  "templates/datacard.md")


def document_outputs(root: Path, doc_id: str) -> list[Path]:
    build = root / "build" / doc_id
    return [build / "clean.json", build / "segment.json", build / "tag.json", build / "export" / "summary.json",
            root / "corpus" / "clean" / f"{doc_id}.txt", root / "annotations" / "corpus.spacy" / f"{doc_id}.spacy",
            root / "annotations" / "html" / f"{doc_id}.html"]


def _newest(paths: list[Path]) -> float:
    return max((p.stat().st_mtime for p in paths), default=0.0)


def out_of_date(root: Path, raw: Path, sources_mtime: float) -> bool:
    """Whether a document's outputs are missing or older than its raw file, the manifest or the code."""
    outputs = document_outputs(root, raw.stem)
    if not all(p.exists() for p in outputs):
        return True
    newest_input = max(raw.stat().st_mtime, sources_mtime, (root / "corpus" / "manifest.jsonl").stat().st_mtime)
    return min(p.stat().st_mtime for p in outputs) < newest_input


def corpus_out_of_date(root: Path, sources_mtime: float) -> bool:
    """Whether the corpus-wide files are missing or older than a document's fragments, the gold
    layers, the manifest or the code."""
    annotations = root / "annotations"
    outputs = [annotations / name for name in ("documents.jsonl", "sentences.jsonl", "citation_index.jsonl",
                                                 "eval.json", "README.md", "html/index.html", "html/search.html",
                                                 "stats/stance_polarity.png")]
    if not all(p.exists() for p in outputs):
        return True
    inputs = [*(root / "build").glob("*/export/*"), *(root / "corpus" / "gold").glob("*.jsonl"),
              root / "corpus" / "manifest.jsonl"]
    return min(p.stat().st_mtime for p in outputs) < max(_newest(inputs), sources_mtime)


@functools.lru_cache(maxsize=1)
def _warm() -> None:
    """Once per worker process, as the worker pool's workers start (``pool.prepare_worker``)."""
    prepare_worker()


def document_task(raw_path: str, root: str) -> dict[str, Any]:
    """A document's steps on a worker: its timings, or the error that stopped it (bad input is
    reported, not raised: Dask would retry it in vain)."""
    _warm()
    start = time.perf_counter()
    try:
        result = build_document(raw_path, root)
    except InputError as exc:
        return {"doc_id": Path(raw_path).stem, "error": str(exc)}
    except Exception as exc:  # a bug shows on this document only; the others go on
        return {"doc_id": Path(raw_path).stem, "error": f"{type(exc).__name__}: {exc}"}
    return {"doc_id": Path(raw_path).stem, "seconds": time.perf_counter() - start, **result}


def documents_task(raw_paths: list[str], root: str) -> list[dict[str, Any]]:
    """A few documents' steps in one task, as the worker pool hands them to its workers."""
    return [document_task(raw_path, root) for raw_path in raw_paths]


def batch_size(documents: int, workers: int) -> int:
    """Documents per task: up to ``DOCUMENTS_PER_TASK``, as long as every worker still gets eight
    tasks or more to balance the load. A task per document cost the client process 6 ms of CPU each
    (the scheduler's and the client's bookkeeping), on the cores the workers use (measured: 1.7 s for
    300 documents, 1.1 s in tasks of four)."""
    return max(1, min(DOCUMENTS_PER_TASK, documents // (8 * max(1, workers))))


@dataclass
class ClusterBuild:
    built: list[str] = field(default_factory=list)
    failed: dict[str, str] = field(default_factory=dict)  # doc_id -> reason
    skipped: list[str] = field(default_factory=list)
    corpus_rebuilt: bool = False
    seconds: float = 0.0
    document_seconds: float = 0.0  # the documents' part, wall time
    corpus_seconds: float = 0.0  # the corpus-wide steps (the serial part)


def build_on_cluster(root: Path, scheduler: str, retries: int = 2, show_progress: bool = True) -> ClusterBuild:
    """Build the out-of-date documents under ``root`` as Dask tasks on ``scheduler`` (``local:N``
    for a LocalCluster of N worker processes, or a scheduler's address), then the corpus-wide
    steps if anything they read changed."""
    from dask.distributed import Client

    root = root.resolve()
    start = time.perf_counter()
    result = ClusterBuild()
    # the Makefile's rules also depend on the virtualenv's setup stamp: a reinstall rebuilds all
    stamp = root / ".venv" / ".installed"
    sources_mtime = _newest(document_sources() + ([stamp] if stamp.exists() else []))
    raws = sorted(p for p in (root / "corpus" / "raw").iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
    todo = [r for r in raws if out_of_date(root, r, sources_mtime)]
    result.skipped = [r.stem for r in raws if r not in todo]
    local = scheduler.startswith("local:")
    if todo:
        cluster = _local_cluster(int(scheduler.split(":", 1)[1])) if local else None
        try:
            with Client(cluster if cluster is not None else scheduler) as client:
                if cluster is None and show_progress:
                    print(f"dashboard: {client.dashboard_link}")
                _documents(client, todo, root, retries, show_progress, result)
                if not local:
                    # the stats on a worker while the other corpus files are written here, as the pool does
                    _corpus(root, result, sources_mtime, start,
                            aside=functools.partial(client.submit, pure=False, retries=retries))
        finally:
            if cluster is not None:
                cluster.close()
    if local or not todo:
        # A LocalCluster is closed first: its scheduler lives in this process, which writes the corpus
        # files (they took a third longer beside it, measured); the stats are made meanwhile in a
        # process of their own, as the worker pool makes them (spawned: this process has had threads)
        with ProcessPoolExecutor(1, mp_context=get_context("spawn")) as side:
            _corpus(root, result, sources_mtime, start, aside=side.submit)
    result.seconds = time.perf_counter() - start
    return result


def _local_cluster(workers: int) -> Any:
    """A LocalCluster of ``workers`` single-threaded worker processes, set up for this build."""
    import dask
    from dask.distributed import LocalCluster

    config: dict[str, Any] = {
        # Dask's statistical profiler samples each task's stack every 10 ms: a few percent of this
        # CPU-bound build (measured), which has no use for it
        "distributed.worker.profile.enabled": False,
        # nor for the nannies' MALLOC_TRIM_THRESHOLD_ of 64 KB, which hands freed memory back at once:
        # 2.5 times the page faults and a quarter more system time per document (measured), for
        # workers whose memory stays flat
        "distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": None,
        # the scheduler, the client and the nannies share this process and the workers' cores: their
        # event loops' health checks (every 20 ms), system monitors (500 ms) and the nannies' memory
        # checks (100 ms) took a quarter of its CPU while documents were built (measured: 1.4 s of
        # 300 documents' 22 s, 1.0 s with these)
        "distributed.admin.tick.interval": "1s",
        "distributed.admin.system-monitor.interval": "5s",
        "distributed.worker.memory.monitor-interval": "1s",
    }
    if sys.platform == "linux":
        # workers forked, as the worker pool's are, not spawned: spawned workers took about 9% longer
        # per document than forked ones (interleaved builds of 300 documents, measured)
        config["distributed.worker.multiprocessing-method"] = "fork"
    with dask.config.set(config):
        return LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None)


def _documents(client: Any, todo: list[Path], root: Path, retries: int, show_progress: bool,
               result: ClusterBuild) -> None:
    """Every out-of-date document, a few to a task; each one's outcome into ``result``."""
    from dask.distributed import progress

    size = batch_size(len(todo), sum(client.nthreads().values()))
    batches = [todo[i:i + size] for i in range(0, len(todo), size)]
    futures = client.map(documents_task, [[str(r) for r in batch] for batch in batches], root=str(root),
                         retries=retries, key=[f"documents-{batch[0].stem}" for batch in batches], pure=False)
    if show_progress and sys.stdout.isatty():
        progress(futures)  # Dask's bar, on a terminal
    for batch, future in zip(batches, futures):
        try:
            outcomes = future.result()
        except Exception as exc:  # the task itself failed: its worker died more often than allowed
            result.failed.update((raw.stem, f"{type(exc).__name__}: {exc}") for raw in batch)
            continue
        for raw, outcome in zip(batch, outcomes):
            if "error" in outcome:
                result.failed[raw.stem] = outcome["error"]
            else:
                result.built.append(raw.stem)


def _corpus(root: Path, result: ClusterBuild, sources_mtime: float, start: float, aside: Any) -> None:
    """The corpus-wide steps once the documents are done, as make's rules decide: they wait for every
    document (a failed one leaves them as they were), and run if anything they read changed."""
    result.document_seconds = time.perf_counter() - start
    if not result.failed and (result.built or corpus_out_of_date(root, sources_mtime)):
        c0 = time.perf_counter()
        corpus_steps(root, aside)
        result.corpus_rebuilt = True
        result.corpus_seconds = time.perf_counter() - c0
