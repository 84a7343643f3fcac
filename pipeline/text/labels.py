"""The annotation vocabulary the stages and views share: entity labels, stance polarities and
the CSL fields a citation may carry.

A module of its own so that the views (stats, data card) can use it without importing spaCy.
"""
LABELS = ("ORG", "LAW", "POLICY", "GPE", "PERSON")
POLARITIES = ("support", "oppose", "hardline", "conciliatory", "concern")
# the CSL-JSON variables a parsed citation may hold (plus our "title-translation")
CSL_FIELDS = ("type", "author", "title", "title-translation", "container-title", "volume", "issue", "page",
              "issued", "accessed", "URL", "DOI", "language", "event", "event-place", "genre", "note")
