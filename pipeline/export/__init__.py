"""Stage 4, export: the documents' fragments into the corpus files under ``annotations/``."""
