"""Stage 3, tag: organizations, laws, policies (plus GPE/PERSON) and stances, with canonical ids.

A spaCy pipeline per language (``nlp.py``), built from data files in ``pipeline/patterns``:

* ``alias_ruler`` (spaCy's SpanRuler writing ``doc.ents``): every alias in ``aliases.tsv``;
* ``generic_entities``: token patterns in ``generic_<lang>.jsonl`` that catch names listed nowhere
  ("Act on ...", "...法");
* ``entity_trimmer``: trims function words a greedy generic pattern swallowed at the edges;
* ``alias_linker``: gives every entity its canonical id from the alias table (``aliases.py``),
  or a stable id made from its normalised text;
* ``stance_cues``: marks stance cue phrases (``stance_cues.tsv``) in ``doc.spans["stance_cues"]``.

Holders and targets of stances are resolved across sentences by ``stances.resolve_stances``.
"""
from .aliases import alias_key, canonical_id
from .document import TAG_VERSION, tag_document, tag_document_docs
from .nlp import build_nlp, tag_texts

__all__ = ["TAG_VERSION", "alias_key", "build_nlp", "canonical_id", "tag_document", "tag_document_docs", "tag_texts"]
