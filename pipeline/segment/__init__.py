"""Stage 2, segment: sentences (English and Japanese) with exact offsets; notes into citations."""
from .component import sentence_pipeline, split_tokens_at
from .document import SEGMENT_VERSION, segment_document
from .language import detect_lang
from .sentences import split_sentences

__all__ = ["SEGMENT_VERSION", "detect_lang", "segment_document", "sentence_pipeline", "split_sentences",
           "split_tokens_at"]
