"""``make bench``: benchmarks (placeholder functions filled in per issue)."""
from __future__ import annotations

from typing import Any

from .clean import join_lines
from .tracked import Tracked


def golden_input(case: dict[str, Any]) -> str:
    """The text a golden-rules case is segmented from. Cases marked ``clean`` go through the
    cleaner's line joining first, as our pipeline does (Japanese lines join without a space)."""
    text = case["text"]
    if not case.get("clean"):
        return text
    lines = text.split("\n")
    pos, parts = 0, []
    for line in lines:
        parts.append(Tracked.from_raw(text, pos, pos + len(line)))
        pos += len(line) + 1
    return join_lines(parts).text
