"""Stage 1, clean: a raw document into a continuous clean body with footnotes linked to it."""
from .document import CLEAN_VERSION, clean_document
from .tracked import Anchor, Tracked, offset_runs, raw_offset

__all__ = ["CLEAN_VERSION", "Anchor", "Tracked", "clean_document", "offset_runs", "raw_offset"]
