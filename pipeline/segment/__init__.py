"""Stage 2, segment: sentences (English and Japanese) with exact offsets; notes into citations.

The splitter is also the spaCy component ``rule_senter`` (``component.py``, which imports spaCy;
the stage itself does not)."""
from .document import SEGMENT_VERSION, segment_document
from .language import detect_lang
from .sentences import split_sentences

__all__ = ["SEGMENT_VERSION", "detect_lang", "segment_document", "split_sentences"]
