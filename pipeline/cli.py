"""Command line: ``python -m pipeline <command> ...``. Each command runs one step of ``build/steps.py``,
which reads files and writes files."""
from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path

from .build import steps
from .text.io import InputError, atomic_write_text, fewer_gc_passes


def _clean(args: argparse.Namespace) -> None:
    raw = Path(args.raw)
    steps.clean_step(raw, args.doc_id or raw.stem, args.out, args.text_out)


def _segment(args: argparse.Namespace) -> None:
    steps.segment_step(args.input, args.out)


def _tag(args: argparse.Namespace) -> None:
    steps.tag_step(args.input, args.out, args.fragments_dir)


def _document(args: argparse.Namespace) -> None:
    raw = Path(args.raw)
    steps.document_step(raw, args.doc_id or raw.stem, args.build_dir, args.text_out)


def _export(args: argparse.Namespace) -> None:
    counts = steps.export_step(args.manifest, args.fragments, args.out_dir)
    print("exported " + ", ".join(f"{v} {k}" for k, v in counts.items()), file=sys.stderr)


def _citation_index(args: argparse.Namespace) -> None:
    works = steps.citation_index_step(args.manifest, args.fragments, args.out_dir)
    print(f"citation index: {works} works", file=sys.stderr)


def _check(args: argparse.Namespace) -> None:
    from .export.check import check_annotations

    errors = check_annotations(args.annotations, args.clean_dir)
    for e in errors[:200]:
        print(e, file=sys.stderr)
    if errors:
        print(f"check: {len(errors)} problem(s)", file=sys.stderr)
        raise SystemExit(1)
    print("check: all outputs valid", file=sys.stderr)


def _spacy_doc(args: argparse.Namespace) -> None:
    steps.spacy_doc_step(args.fragments, args.out)


def _html_page(args: argparse.Namespace) -> None:
    steps.page_step(args.tagged, args.manifest, args.out)


def _views(args: argparse.Namespace) -> None:
    steps.stats_step(args.fragments, Path(args.annotations) / "stats")
    steps.site_step(args.fragments, args.manifest, args.annotations)


def _compile_cues(args: argparse.Namespace) -> None:
    from .tag.cues import compile_cues

    atomic_write_text(args.out, compile_cues())


def _site(args: argparse.Namespace) -> None:
    steps.site_step(args.fragments, args.manifest, args.annotations)


def _export_tasks(args: argparse.Namespace) -> None:
    for path in steps.export_tasks_step(args.annotations, args.format, args.out, args.docs, args.clean_dir):
        print(path)


def _import_corrections(args: argparse.Namespace) -> None:
    for path in steps.import_corrections_step(args.directory, args.format, args.gold_dir):
        print(path)


def _eval(args: argparse.Namespace) -> None:
    scores = steps.eval_step(args.gold_dir, args.annotations, args.out)
    ent, st = scores["entities"], scores["stances"]
    print(f"{len(scores['gold_documents'])} gold documents, {scores['gold_sentences']} reviewed sentences")
    for label, s in [*ent["labels"].items(), ("all", ent["all"])]:
        print(f"{label:8} gold {s['gold']:4} found {s['found']:4} P {s['precision']:.3f} R {s['recall']:.3f} "
              f"F1 {s['f1']:.3f}")
    if st["gold"]:
        print(f"stances: {st['right']}/{st['gold']} gold cues with the same polarity ({st['polarity_accuracy']:.3f})")
    print(f"{len(scores['disagreements'])} disagreements in {args.out or Path(args.annotations) / 'eval.json'}")


def _cross_pages(args: argparse.Namespace) -> None:
    steps.cross_pages_step(args.annotations)


def _stats(args: argparse.Namespace) -> None:
    steps.stats_step(args.fragments, args.out_dir, echo=not args.quiet)


def _build(args: argparse.Namespace) -> None:
    from .build.pool import BuildError, build_corpus
    from .ingest import SUPPORTED_SUFFIXES

    root = Path(args.root)
    if args.scheduler:
        from .build.cluster import build_on_cluster

        done = build_on_cluster(root, args.scheduler, show_progress=not args.quiet)
        for doc_id, reason in sorted(done.failed.items()):
            print(f"error: {doc_id}: {reason}", file=sys.stderr)
        print(f"{len(done.built)} built, {len(done.failed)} failed, {len(done.skipped)} up to date; corpus files "
              f"{'rebuilt' if done.corpus_rebuilt else 'up to date' if not done.failed else 'left as they were'} "
              f"({done.seconds:.1f} s: documents {done.document_seconds:.1f} s, corpus files {done.corpus_seconds:.1f} s)",
              file=sys.stderr)
        if done.failed:
            raise SystemExit(1)
        return
    raws = sorted(p for p in (root / "corpus" / "raw").iterdir() if p.suffix.lower() in SUPPORTED_SUFFIXES)
    try:
        result = build_corpus(raws, root, args.jobs)
    except BuildError as exc:
        for message in exc.errors:
            print(f"error: {message}", file=sys.stderr)
        raise SystemExit(2) from None
    print(f"built {result['documents']} documents in {result['seconds']:.1f} s", file=sys.stderr)


def _sentences(args: argparse.Namespace) -> None:
    # The splitter itself, which the build uses and the spaCy component ``rule_senter`` wraps: no
    # tokenizer to load, and no input limit (SudachiPy refuses a text over 49,149 bytes).
    from .segment import split_sentences

    text = sys.stdin.read()
    for start, end in split_sentences(text):
        chunk = text[start:end].strip()
        if chunk:
            print(json.dumps(chunk, ensure_ascii=False))


def main(argv: list[str] | None = None) -> int:
    fewer_gc_passes()  # before the stage's imports, which the collector slowed too
    prog = "policy-corpus" if Path(sys.argv[0]).name == "policy-corpus" else "python -m pipeline"
    parser = argparse.ArgumentParser(prog=prog, description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)

    # the arguments of the commands that start from a raw document
    raw_document = argparse.ArgumentParser(add_help=False)
    raw_document.add_argument("raw")
    raw_document.add_argument("--doc-id")
    raw_document.add_argument("--text-out", required=True, help="clean body text path (corpus/clean/<doc_id>.txt)")

    p = sub.add_parser("clean", parents=[raw_document], help="raw .txt/.pdf -> clean.json + clean body text")
    p.add_argument("--out", required=True, help="clean.json path")
    p.set_defaults(func=_clean)

    p = sub.add_parser("segment", help="clean.json -> segment.json (sentences, parsed citations)")
    p.add_argument("input")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_segment)

    p = sub.add_parser("tag", help="segment.json -> tag.json (entities, stances)")
    p.add_argument("input")
    p.add_argument("--out", required=True)
    p.add_argument("--fragments-dir", help="also write this document's share of the corpus files here")
    p.set_defaults(func=_tag)

    p = sub.add_parser("document", parents=[raw_document],
                       help="raw .txt/.pdf -> clean, segment and tag in one process (what make runs)")
    p.add_argument("--build-dir", required=True, help="build/<doc_id>: clean.json, segment.json, tag.json, export/")
    p.set_defaults(func=_document)

    p = sub.add_parser("export", help="documents' fragment directories -> the corpus JSONL files in annotations/")
    p.add_argument("fragments", nargs="*", help="build/<doc_id>/export directories")
    p.add_argument("--manifest", required=True)
    p.add_argument("--out-dir", required=True)
    p.set_defaults(func=_export)

    p = sub.add_parser("citation-index", help="documents' fragment directories -> the citation index (JSONL, CSV, "
                                              "CSL-JSON, BibTeX) in annotations/")
    p.add_argument("fragments", nargs="*", help="build/<doc_id>/export directories")
    p.add_argument("--manifest", required=True)
    p.add_argument("--out-dir", required=True)
    p.set_defaults(func=_citation_index)

    p = sub.add_parser("check", help="validate annotations against the schemas and offset contract")
    p.add_argument("--annotations", default="annotations")
    p.add_argument("--clean-dir", default="corpus/clean")
    p.set_defaults(func=_check)

    p = sub.add_parser("spacy-doc", help="a document's DocBin (build/<doc_id>/export/doc.spacy) into "
                                         "annotations/corpus.spacy/<doc_id>.spacy")
    p.add_argument("fragments", help="build/<doc_id>/export")
    p.add_argument("--out", required=True)
    p.set_defaults(func=_spacy_doc)

    p = sub.add_parser("html-page", help="tag.json -> the document's page of the static site")
    p.add_argument("tagged")
    p.add_argument("--manifest", required=True)
    p.add_argument("--out", required=True)
    p.set_defaults(func=_html_page)

    p = sub.add_parser("views", help="corpus-wide views: site index and citation pages, data card, stats")
    p.add_argument("fragments", nargs="*", help="build/<doc_id>/export directories (for the counts)")
    p.add_argument("--manifest", default="corpus/manifest.jsonl")
    p.add_argument("--annotations", default="annotations")
    p.set_defaults(func=_views)

    p = sub.add_parser("site", help="the site index and citation pages and the data card (the views less the stats)")
    p.add_argument("fragments", nargs="*", help="build/<doc_id>/export directories (for the counts)")
    p.add_argument("--manifest", default="corpus/manifest.jsonl")
    p.add_argument("--annotations", default="annotations")
    p.set_defaults(func=_site)

    p = sub.add_parser("cross-pages", help="sentences.jsonl -> the site's entity, stance-holder and search pages")
    p.add_argument("--annotations", default="annotations")
    p.set_defaults(func=_cross_pages)

    p = sub.add_parser("stats", help="documents' stats fragments -> CSV tables and a stance plot")
    p.add_argument("fragments", nargs="*", help="build/<doc_id>/export directories")
    p.add_argument("--out-dir", default="annotations/stats")
    p.add_argument("--quiet", action="store_true", help="write the files, print nothing")
    p.set_defaults(func=_stats)

    p = sub.add_parser("compile-cues", help="stance_cues.tsv -> stance_cues.compiled.jsonl (Matcher patterns)")
    p.add_argument("--out", default="pipeline/patterns/stance_cues.compiled.jsonl")
    p.set_defaults(func=_compile_cues)

    p = sub.add_parser("build", help="every stage for every document in a pool of workers (fast full build)")
    p.add_argument("--root", default=".", help="project directory (holding corpus/raw)")
    p.add_argument("--jobs", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--scheduler", help="build on Dask instead: local:N (a LocalCluster of N worker processes) or "
                                       "tcp://HOST:PORT (a running scheduler; the project directory must be shared); "
                                       "only out-of-date documents are rebuilt")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    p.set_defaults(func=_build)

    from .export.tasks import FORMATS

    p = sub.add_parser("export-tasks", help="the corpus's sentences as annotation-tool tasks with the pipeline's "
                                            "entities and stances as pre-annotations")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--out", required=True, help="directory to write the tasks to")
    p.add_argument("--docs", nargs="*", help="doc_ids (default: every document)")
    p.add_argument("--annotations", default="annotations")
    p.add_argument("--clean-dir", default="corpus/clean")
    p.set_defaults(func=_export_tasks)

    p = sub.add_parser("import-corrections", help="corrected tasks -> gold layers corpus/gold/<doc_id>.jsonl")
    p.add_argument("directory", help="the directory export-tasks wrote, after correction")
    p.add_argument("--format", required=True, choices=FORMATS)
    p.add_argument("--gold-dir", default="corpus/gold")
    p.set_defaults(func=_import_corrections)

    p = sub.add_parser("eval", help="score the annotations against every gold layer -> annotations/eval.json")
    p.add_argument("--gold-dir", default="corpus/gold")
    p.add_argument("--annotations", default="annotations")
    p.add_argument("--out", help="default: <annotations>/eval.json")
    p.set_defaults(func=_eval)

    p = sub.add_parser("sentences", help="split stdin (English, Japanese or both) into sentences, one JSON string "
                                         "per line")
    p.set_defaults(func=_sentences)

    args = parser.parse_args(argv)
    try:
        args.func(args)
    except InputError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    return 0


def run() -> int:
    """``main``; a reader that stops early (``sentences ... | head``) ends the command quietly
    with status 1 (the recipe of Python's ``signal`` documentation for SIGPIPE)."""
    try:
        code = main()
        sys.stdout.flush()
    except BrokenPipeError:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # no second error at exit
        code = 1
    return code


if __name__ == "__main__":
    raise SystemExit(run())
