"""The corpus pipeline: policy papers (PDFs, or text extracted from them) into an annotated corpus.

The stages are subpackages, each a pure function of its input: ``ingest`` (read .txt/.pdf into
blocks), ``clean``, ``segment`` (sentences; ``cite`` parses the notes), ``tag``, ``export``; then
``views`` (site, stats, data card) and ``build`` (the steps as files, a worker pool). The public
API is below; ``python -m pipeline`` is the command line.
"""
from .api import Annotation, Corpus, annotate, load_corpus

__all__ = ["Annotation", "Corpus", "annotate", "load_corpus"]
