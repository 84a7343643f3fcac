"""The annotation vocabulary the stages and views share: entity labels and stance polarities.

A module of its own so that the views (stats, data card) can use it without importing spaCy.
"""
LABELS = ("ORG", "LAW", "POLICY", "GPE", "PERSON")
POLARITIES = ("support", "oppose", "hardline", "conciliatory", "concern")
