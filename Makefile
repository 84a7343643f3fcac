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

# Each step depends on the code and data it runs, so a change reruns only what it affects (the
# per-document stages clean, segment and tag run as one step: see DOC_OUTPUTS).
CORE_SRC := pipeline/__init__.py pipeline/__main__.py pipeline/io.py pipeline/labels.py pipeline/patterns/__init__.py
CLEAN_SRC := $(CORE_SRC) pipeline/clean.py pipeline/tracked.py pipeline/scripts.py pipeline/source.py pipeline/pdf.py \
	pipeline/patterns/layout.tsv
SEGMENT_SRC := $(CORE_SRC) pipeline/segment.py pipeline/citations.py pipeline/tracked.py pipeline/scripts.py \
	pipeline/patterns/abbreviations.tsv pipeline/patterns/sentence_starters.txt pipeline/patterns/citation_sources.tsv \
	pipeline/patterns/org_keywords.txt
COMPILED_CUES := pipeline/patterns/stance_cues.compiled.jsonl
TAG_SRC := $(CORE_SRC) pipeline/document.py pipeline/tag.py pipeline/scripts.py pipeline/patterns/aliases.tsv pipeline/patterns/generic_en.jsonl \
	pipeline/patterns/generic_ja.jsonl pipeline/patterns/stance_cues.tsv $(COMPILED_CUES) pipeline/export.py \
	pipeline/formats.py
EXPORT_SRC := $(CORE_SRC) pipeline/export.py corpus/manifest.jsonl
CITATION_INDEX_SRC := $(EXPORT_SRC) pipeline/formats.py pipeline/citations.py

PAGES := $(DOCS:%=annotations/html/%.html)
SITE := annotations/html/index.html annotations/html/citations.html annotations/README.md
STATS_OUT := annotations/stats/stance_polarity.png
VIEWS := $(SITE) $(STATS_OUT)
STATS_FRAGMENTS := $(FRAGMENT_DIRS:%=%/stats.json)
SUMMARY_FRAGMENTS := $(FRAGMENT_DIRS:%=%/summary.json)

.PHONY: all setup html stats rebuild test check determinism bench clean distclean
# Order matters under -j2. The corpus-wide jobs are the stats and the export (long) and the
# citation index (short, but the site waits for it): the stats and the citation index start
# first, the export follows the index on its core, and the site and the changed pages follow the
# stats on the other. Export first would leave the index and then the site to run after it.
all: $(STATS_OUT) $(CITATION_INDEX) $(CORPUS_JSONL) $(SPACY_DOCS) $(PAGES) $(SITE)

setup: $(STAMP)
$(STAMP): pyproject.toml constraints.txt
	@test -x $(PYTHON) || $(PY) -m venv $(VENV)
	$(PYTHON) -m pip install --quiet --disable-pip-version-check -c constraints.txt -e '.[dev]'
	@touch $@

# Stages 1-3 of a document, clean -> segment -> tag, in one process (`python -m pipeline document`,
# which writes what the `clean`, `segment` and `tag` commands write: the clean text, clean.json,
# segment.json, tag.json and the document's share of each corpus file). One process instead of
# three saves two start-ups per document; a change to any stage's code or data reruns all three,
# which costs little beside the start-up that dominates a per-document process.
DOC_OUTPUTS = build/%/clean.json corpus/clean/%.txt build/%/segment.json build/%/tag.json \
	$(addprefix build/%/export/,$(FRAGMENTS))
DOC_SRC := $(sort $(CLEAN_SRC) $(SEGMENT_SRC) $(TAG_SRC))
$(DOC_OUTPUTS) &: corpus/raw/%.txt $(DOC_SRC) $(STAMP)
	$(RUN) document $< --doc-id $* --build-dir build/$* --text-out corpus/clean/$*.txt
$(DOC_OUTPUTS) &: corpus/raw/%.pdf $(DOC_SRC) $(STAMP)
	$(RUN) document $< --doc-id $* --build-dir build/$* --text-out corpus/clean/$*.txt

# The cue lexicon as Matcher patterns (wildcards expanded with wordfreq), generated and committed.
$(COMPILED_CUES): pipeline/patterns/stance_cues.tsv pipeline/tag.py | $(STAMP)
	$(RUN) compile-cues --out $@

# Stage 4: export the corpus JSONL files (concatenates the documents' fragments), and the
# citation index (every cited work and the notes citing it) as a rule of its own: the site needs
# the index but not the concatenated files, so it need not wait for them.
$(CORPUS_JSONL) &: $(foreach d,$(FRAGMENT_DIRS),$(addprefix $(d)/,document.json sentences.jsonl footnotes.jsonl \
		tokens.bio.jsonl)) $(EXPORT_SRC) $(STAMP)
	$(RUN) export --manifest corpus/manifest.jsonl --out-dir annotations $(FRAGMENT_DIRS)
$(CITATION_INDEX) &: $(FRAGMENT_DIRS:%=%/citations.jsonl) $(CITATION_INDEX_SRC) $(STAMP)
	$(RUN) citation-index --manifest corpus/manifest.jsonl --out-dir annotations $(FRAGMENT_DIRS)

# One spaCy DocBin per document, in the directory annotations/corpus.spacy (spaCy's corpus reader
# and `spacy train` take the directory as one corpus).
annotations/corpus.spacy/%.spacy: build/%/export/doc.spacy
	@mkdir -p $(@D) && cp $< $@.tmp && mv $@.tmp $@

# A static site for reading the corpus (a page per document, rebuilt alone when its document
# changes; the index and citation index pages), the data card annotations/README.md, and the
# stats tables and plot. The stats need only the documents' stats fragments and the site their
# summary fragments and the citation index, so under -j2 they are made while the export runs.
html: $(PAGES) $(VIEWS)
annotations/html/%.html: build/%/tag.json corpus/manifest.jsonl $(CORE_SRC) pipeline/html.py pipeline/export.py
	$(RUN) html-page $< --manifest corpus/manifest.jsonl --out $@
$(SITE) &: $(CITATION_INDEX) $(SUMMARY_FRAGMENTS) corpus/manifest.jsonl $(CORE_SRC) pipeline/html.py \
		pipeline/datacard.py pipeline/export.py pipeline/templates/datacard.md
	$(RUN) site $(FRAGMENT_DIRS) --manifest corpus/manifest.jsonl --annotations annotations
$(STATS_OUT) &: $(STATS_FRAGMENTS) $(CORE_SRC) pipeline/stats.py pipeline/html.py
	$(RUN) stats $(FRAGMENT_DIRS) --out-dir annotations/stats --quiet

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

# Rebuild everything from corpus/raw in a scratch directory and compare with the committed outputs.
determinism: $(STAMP)
	@scratch=$$(mktemp -d) && trap 'rm -rf "$$scratch"' EXIT && \
	for d in $(DOCS); do \
		raw=$$(ls corpus/raw/$$d.* | head -n1) && \
		$(RUN) clean $$raw --doc-id $$d --out $$scratch/build/$$d/clean.json --text-out $$scratch/clean/$$d.txt && \
		$(RUN) segment $$scratch/build/$$d/clean.json --out $$scratch/build/$$d/segment.json && \
		$(RUN) tag $$scratch/build/$$d/segment.json --out $$scratch/build/$$d/tag.json \
			--fragments-dir $$scratch/build/$$d/export || exit 1; \
	done && \
	$(RUN) export --manifest corpus/manifest.jsonl --out-dir $$scratch/annotations $$scratch/build/*/export && \
	$(RUN) citation-index --manifest corpus/manifest.jsonl --out-dir $$scratch/annotations $$scratch/build/*/export && \
	for d in $(DOCS); do $(RUN) html-page $$scratch/build/$$d/tag.json --manifest corpus/manifest.jsonl \
		--out $$scratch/annotations/html/$$d.html && mkdir -p $$scratch/annotations/corpus.spacy && \
		cp $$scratch/build/$$d/export/doc.spacy $$scratch/annotations/corpus.spacy/$$d.spacy || exit 1; done && \
	$(RUN) views $$scratch/build/*/export --manifest corpus/manifest.jsonl --annotations $$scratch/annotations && \
	diff -r corpus/clean $$scratch/clean && diff -r annotations $$scratch/annotations && \
	echo "determinism: a fresh build reproduces corpus/clean and annotations byte for byte"

test: $(STAMP) check determinism
	$(PYTHON) -m pytest

# The baselines (refextract, GiNZA) live in their own virtualenv: they pin other versions of
# python-dateutil and SudachiPy, which must not change the build's environment.
BASELINES := .venv-baselines/.installed
$(BASELINES):
	@test -x .venv-baselines/bin/python || $(PY) -m venv .venv-baselines
	.venv-baselines/bin/pip install --quiet --disable-pip-version-check refextract ja-ginza \
		|| echo "bench: baselines could not be installed; their comparisons will be skipped"
	@touch $@

bench: $(STAMP) $(BASELINES)
	$(PYTHON) -m pipeline.bench $(BENCH_ARGS)

clean:
	rm -rf build

distclean: clean
	rm -rf $(VENV) .pytest_cache .hypothesis
