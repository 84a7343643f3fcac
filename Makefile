# The corpus build. `make` sets everything up and rebuilds what changed; `make test` tests it.
# Per-document stages live under build/<doc_id>/ (not committed); the corpus outputs
# (corpus/clean/, annotations/) are committed and reproduced byte for byte by `make`.
SHELL := /bin/bash
.DELETE_ON_ERROR:
# Keep build/<doc>/{clean,segment}.json: later stages rerun from them.
.SECONDARY:
# Keep building the other documents when one fails; make still exits non-zero.
MAKEFLAGS += --keep-going --no-builtin-rules

PY ?= python3
VENV := .venv
PYTHON := $(VENV)/bin/python
STAMP := $(VENV)/.installed
RUN := $(PYTHON) -m pipeline

RAW := $(sort $(wildcard corpus/raw/*.txt corpus/raw/*.pdf))
DOCS := $(basename $(notdir $(RAW)))
CLEAN_TXT := $(DOCS:%=corpus/clean/%.txt)
FRAGMENTS := document.json sentences.jsonl footnotes.jsonl citations.jsonl tokens.bio.jsonl doc.spacy stats.json \
	summary.json
FRAGMENT_DIRS := $(DOCS:%=build/%/export)
CORPUS_JSONL := $(addprefix annotations/,documents.jsonl sentences.jsonl footnotes.jsonl tokens.bio.jsonl)
CITATION_INDEX := $(addprefix annotations/,citation_index.jsonl citation_index.csv citations.csl.json citations.bib)
ANNOTATIONS := $(CORPUS_JSONL) $(CITATION_INDEX)
SPACY_DOCS := $(DOCS:%=annotations/corpus.spacy/%.spacy)

# Each step depends on the code and data it runs, so a change reruns only what it affects: the
# source lists are the stages' folders (pipeline/<stage>/*.py) and their pattern files.
py = $(wildcard pipeline/$(1)/*.py)
CORE_SRC := pipeline/__init__.py pipeline/api.py pipeline/cli.py pipeline/__main__.py $(call py,text) \
	pipeline/patterns/__init__.py pipeline/patterns/abbreviations.tsv pipeline/patterns/sentence_starters.txt \
	pipeline/patterns/word_lists.tsv \
	$(call py,build)
COMPILED_CUES := pipeline/patterns/stance_cues.compiled.jsonl
DOC_SRC := $(CORE_SRC) $(call py,ingest) $(call py,clean) $(call py,segment) $(call py,cite) $(call py,tag) \
	$(call py,export) pipeline/patterns/layout.tsv pipeline/patterns/citation_sources.tsv \
	pipeline/patterns/org_keywords.txt pipeline/patterns/aliases.tsv pipeline/patterns/generic_en.jsonl \
	pipeline/patterns/generic_ja.jsonl pipeline/patterns/stance_cues.tsv pipeline/patterns/law_numbers.tsv $(COMPILED_CUES)
EXPORT_SRC := $(CORE_SRC) $(call py,export) corpus/manifest.jsonl
VIEWS_SRC := $(EXPORT_SRC) $(call py,views) pipeline/templates/datacard.md

PAGES := $(DOCS:%=annotations/html/%.html)
SITE := annotations/html/index.html annotations/html/citations.html annotations/README.md
STATS_OUT := annotations/stats/stance_polarity.png
VIEWS := $(SITE) $(STATS_OUT)
# The gold layers (corpus/gold/<doc_id>.jsonl, from import-corrections) and the scores against them.
GOLD := $(sort $(wildcard corpus/gold/*.jsonl))
EVAL := annotations/eval.json annotations/html/eval.html
# The site across documents (a page per entity id and per stance holder under entities/ and holders/).
CROSS := annotations/html/entities/index.html annotations/html/holders/index.html annotations/html/search.html \
	annotations/html/search-index.js
STATS_FRAGMENTS := $(FRAGMENT_DIRS:%=%/stats.json)
SUMMARY_FRAGMENTS := $(FRAGMENT_DIRS:%=%/summary.json)

.PHONY: all setup html stats rebuild test check determinism bench clean distclean page-picture eval
# Order matters under -j2. The corpus-wide jobs are the stats and the export (long) and the
# citation index (short, but the site waits for it): the stats and the citation index start
# first, the export follows the index on its core, and the site and the changed pages follow the
# stats on the other. Export first would leave the index and then the site to run after it.
all: $(STATS_OUT) $(CITATION_INDEX) $(CORPUS_JSONL) $(SPACY_DOCS) $(PAGES) $(SITE) $(EVAL) $(CROSS)

setup: $(STAMP)
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

# Stages 1-3 of a document, clean -> segment -> tag, in one process (`python -m pipeline document`,
# which writes what the `clean`, `segment` and `tag` commands write: the clean text, clean.json,
# segment.json, tag.json and the document's share of each corpus file). One process instead of
# three saves two start-ups per document.
DOC_OUTPUTS = build/%/clean.json corpus/clean/%.txt build/%/segment.json build/%/tag.json \
	$(addprefix build/%/export/,$(FRAGMENTS))
$(DOC_OUTPUTS) &: corpus/raw/%.txt $(DOC_SRC) $(STAMP)
	$(RUN) document $< --doc-id $* --build-dir build/$* --text-out corpus/clean/$*.txt
$(DOC_OUTPUTS) &: corpus/raw/%.pdf $(DOC_SRC) $(STAMP)
	$(RUN) document $< --doc-id $* --build-dir build/$* --text-out corpus/clean/$*.txt

# The cue lexicon as Matcher patterns (wildcards expanded with wordfreq), generated and committed.
$(COMPILED_CUES): pipeline/patterns/stance_cues.tsv pipeline/tag/cues.py | $(STAMP)
	$(RUN) compile-cues --out $@

# Stage 4: export the corpus JSONL files (concatenates the documents' fragments), and the
# citation index (every cited work and the notes citing it) as a rule of its own: the site needs
# the index but not the concatenated files, so it need not wait for them.
$(CORPUS_JSONL) &: $(foreach d,$(FRAGMENT_DIRS),$(addprefix $(d)/,document.json sentences.jsonl footnotes.jsonl \
		tokens.bio.jsonl)) $(EXPORT_SRC) $(STAMP)
	$(RUN) export --manifest corpus/manifest.jsonl --out-dir annotations $(FRAGMENT_DIRS)
$(CITATION_INDEX) &: $(FRAGMENT_DIRS:%=%/citations.jsonl) $(EXPORT_SRC) $(STAMP)
	$(RUN) citation-index --manifest corpus/manifest.jsonl --out-dir annotations $(FRAGMENT_DIRS)

# One spaCy DocBin per document, in the directory annotations/corpus.spacy (spaCy's corpus reader
# and `spacy train` take the directory as one corpus).
annotations/corpus.spacy/%.spacy: build/%/export/doc.spacy
	$(RUN) spacy-doc build/$*/export --out $@

# A static site for reading the corpus (a page per document, rebuilt alone when its document
# changes; the index and citation index pages), the data card annotations/README.md, and the
# stats tables and plot. The stats need only the documents' stats fragments and the site their
# summary fragments and the citation index, so under -j2 they are made while the export runs.
html: $(PAGES) $(VIEWS)
annotations/html/%.html: build/%/tag.json $(VIEWS_SRC)
	$(RUN) html-page $< --manifest corpus/manifest.jsonl --out $@
$(SITE) &: $(CITATION_INDEX) $(SUMMARY_FRAGMENTS) $(VIEWS_SRC)
	$(RUN) site $(FRAGMENT_DIRS) --manifest corpus/manifest.jsonl --annotations annotations
$(STATS_OUT) &: $(STATS_FRAGMENTS) $(VIEWS_SRC)
	$(RUN) stats $(FRAGMENT_DIRS) --out-dir annotations/stats --quiet

# The annotations scored against every gold layer (`make eval` prints the scores too).
$(EVAL) &: $(GOLD) $(CORPUS_JSONL) $(VIEWS_SRC)
	$(RUN) eval --gold-dir corpus/gold --annotations annotations > /dev/null
eval: $(EVAL)
	$(RUN) eval --gold-dir corpus/gold --annotations annotations

$(CROSS) &: $(CORPUS_JSONL) $(VIEWS_SRC) pipeline/patterns/aliases.tsv pipeline/tag/aliases.py
	$(RUN) cross-pages --annotations annotations

# `make stats` prints the tables as well (they are written by `make` in any case).
stats: $(VIEWS)
	$(RUN) stats $(FRAGMENT_DIRS) --out-dir annotations/stats

# Rebuild every document in a pool of workers (no per-process start-up): for a first build of a
# large corpus. It writes the files make's rules write, so the `make` after it does nothing.
rebuild: $(STAMP)
	$(RUN) build --jobs 2
	$(MAKE) all

check: $(ANNOTATIONS)
	$(RUN) check --annotations annotations --clean-dir corpus/clean

# Rebuild everything from corpus/raw in a scratch directory, with the worker pool (the same step
# functions the commands above run), and compare with the committed outputs.
determinism: $(STAMP) $(COMPILED_CUES)
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	mkdir -p $$scratch/corpus && cp -r corpus/raw corpus/manifest.jsonl $$scratch/corpus/ && \
	if [ -d corpus/gold ]; then cp -r corpus/gold $$scratch/corpus/; fi && \
	$(RUN) build --root $$scratch --jobs 2 && \
	diff -r corpus/clean $$scratch/corpus/clean && diff -r annotations $$scratch/annotations && \
	echo "determinism: a fresh build reproduces corpus/clean and annotations byte for byte"

test: $(STAMP) check determinism
	$(VENV)/bin/lint-imports
	$(PYTHON) -m pytest

# The baselines (refextract, GiNZA) live in their own virtualenv: they pin other versions of
# python-dateutil and SudachiPy, which must not change the build's environment.
BASELINES := .venv-baselines/.installed
$(BASELINES):
	@test -x .venv-baselines/bin/python || $(PY) -m venv .venv-baselines
	.venv-baselines/bin/pip install --quiet --disable-pip-version-check refextract ja-ginza \
		|| echo "bench: baselines could not be installed; their comparisons will be skipped"
	@touch $@

# The pipeline before issue 21 runs beside today's in the bench, from its own source (git archive)
# in an environment of the same pinned packages without this one: its spaCy components have the
# names ours declare as entry points.
BEFORE := .venv-before/.installed
$(BEFORE): constraints.txt
	@test -x .venv-before/bin/python || $(PY) -m venv .venv-before
	.venv-before/bin/pip install --quiet --disable-pip-version-check -c constraints.txt spacy sudachipy \
		sudachidict-core ftfy wordfreq msgpack numpy pdfplumber jsonschema charset-normalizer tqdm orjson matplotlib \
		|| echo "bench: the environment for the earlier pipeline could not be installed; no before/after comparison"
	@touch $@

# The compiled cues first: on a fresh clone they may be older than stance_cues.tsv (git writes
# files in name order), and the scratch projects' makes would remake them and every document.
bench: $(STAMP) $(BASELINES) $(BEFORE) $(COMPILED_CUES)
	$(PYTHON) -m benchmarks.bench $(BENCH_ARGS)

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) .venv-before .pytest_cache .hypothesis

# The picture of the PDF page model in the README (needs the shared PDFs beside the repository).
page-picture: $(STAMP)
	$(PYTHON) docs/page_model_picture.py ../shared/pdfs/federal-register-2020-17221.pdf --page 2 --out docs/pdf-page-model.png
