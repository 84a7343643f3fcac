"""Text utilities every stage shares: file I/O, the annotation vocabulary, Unicode scripts, word lists."""
