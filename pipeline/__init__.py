"""The corpus pipeline: one module per stage (clean, segment, citations, tag, export)."""
