"""Text that remembers where each character came from in the raw document.

Hand-written because no library tracks character provenance through regex edits: every
cleaning step rebuilds the text from copied slices and inserted literals, so each character
keeps its raw offset and zero-width anchors (footnote markers, emphasis) move with the text.
"""
from __future__ import annotations

import array
import bisect
import re
from dataclasses import dataclass, field
from typing import Any, Callable, Iterable, Sequence, Union

Piece = Union[tuple[int, int], str]  # a slice (start, end) of the current text, or a literal


@dataclass
class Anchor:
    pos: int
    data: dict[str, Any]


@dataclass
class Tracked:
    text: str
    offsets: list[int]  # raw offset of every character
    anchors: list[Anchor] = field(default_factory=list)
    raw_end: int = 0  # raw offset just past the source range; used when the text is empty

    @classmethod
    def from_raw(cls, raw: str, start: int, end: int) -> "Tracked":
        return cls(raw[start:end], list(range(start, end)), [], end)

    @classmethod
    def literal(cls, text: str, raw_pos: int) -> "Tracked":
        return cls(text, [raw_pos] * len(text), [], raw_pos)

    def __len__(self) -> int:
        return len(self.text)

    def raw_span(self, start: int, end: int) -> tuple[int, int]:
        """Raw [start, end) covering clean [start, end)."""
        if start >= end:
            pos = self.offsets[start] if start < len(self.offsets) else self.raw_end
            return pos, pos
        return self.offsets[start], self.offsets[end - 1] + 1

    def __add__(self, other: "Tracked") -> "Tracked":
        return Tracked.concat([self, other])

    @classmethod
    def concat(cls, parts: Sequence["Tracked"]) -> "Tracked":
        """The parts one after the other, anchors shifted with them, each copied once (adding
        them in a loop copies the growing text and offsets again for every part)."""
        text, offsets, anchors = [], [], []
        shift = raw_end = 0
        for part in parts:
            text.append(part.text)
            offsets.extend(part.offsets)
            anchors.extend(Anchor(a.pos + shift, a.data) for a in part.anchors)
            raw_end = part.raw_end if part.text or not shift else max(raw_end, part.raw_end)
            shift += len(part.text)
        return cls("".join(text), offsets, anchors, raw_end)

    def rebuild(self, pieces: Sequence[Piece], literal_pos: Sequence[int] | None = None) -> "Tracked":
        """New text from ordered slices and literals; anchors follow the slice they sit in.

        Literals take the raw offset of the old position given in ``literal_pos`` (one per
        literal, in order) or, by default, of the character after the previous slice.
        """
        text_parts: list[str] = []
        offsets: list[int] = []
        anchors = sorted(self.anchors, key=lambda a: a.pos)
        moved: list[Anchor] = []
        ai = 0
        new_len = 0
        old_cursor = 0
        lit_i = 0
        for piece in pieces:
            if isinstance(piece, str):
                if literal_pos is not None:
                    old = literal_pos[lit_i]
                    lit_i += 1
                else:
                    old = old_cursor
                raw = self.offsets[old] if old < len(self.offsets) else self.raw_end
                text_parts.append(piece)
                offsets.extend([raw] * len(piece))
                new_len += len(piece)
                continue
            a, b = piece
            while ai < len(anchors) and anchors[ai].pos < a:
                moved.append(Anchor(new_len, anchors[ai].data))
                ai += 1
            while ai < len(anchors) and anchors[ai].pos <= b:
                moved.append(Anchor(new_len + anchors[ai].pos - a, anchors[ai].data))
                ai += 1
            text_parts.append(self.text[a:b])
            offsets.extend(self.offsets[a:b])
            new_len += b - a
            old_cursor = b
        for anchor in anchors[ai:]:
            moved.append(Anchor(new_len, anchor.data))
        return Tracked("".join(text_parts), offsets, moved, self.raw_end)

    def sub(self, pattern: re.Pattern[str], repl: Callable[[re.Match[str]], Iterable[Piece]],
            on_match: Callable[[re.Match[str], int], None] | None = None) -> "Tracked":
        """Regex substitution; ``repl`` returns pieces (absolute slices or literals) for a match.

        ``on_match(match, new_pos)`` is told where the replacement starts in the new text.
        """
        pieces: list[Piece] = []
        lit_pos: list[int] = []
        cursor = 0
        new_len = 0
        for m in pattern.finditer(self.text):
            if m.start() > cursor:
                pieces.append((cursor, m.start()))
                new_len += m.start() - cursor
            if on_match is not None:
                on_match(m, new_len)
            for piece in repl(m):
                pieces.append(piece)
                if isinstance(piece, str):
                    lit_pos.append(m.start())
                    new_len += len(piece)
                else:
                    new_len += piece[1] - piece[0]
            cursor = m.end()
        if cursor == 0 and not pieces:
            return self
        pieces.append((cursor, len(self.text)))
        return self.rebuild(pieces, lit_pos)

    def map_chars(self, table: Callable[[str], str | None]) -> "Tracked":
        """Per-character replacement; ``table`` returns None to keep a character unchanged."""
        pieces: list[Piece] = []
        lit_pos: list[int] = []
        cursor = 0
        for i, ch in enumerate(self.text):
            new = table(ch)
            if new is None:
                continue
            if i > cursor:
                pieces.append((cursor, i))
            if new:
                pieces.append(new)
                lit_pos.append(i)
            cursor = i + 1
        if cursor == 0 and not pieces:
            return self
        pieces.append((cursor, len(self.text)))
        return self.rebuild(pieces, lit_pos)

    def strip(self) -> "Tracked":
        start = len(self.text) - len(self.text.lstrip())
        end = len(self.text.rstrip())
        if start == 0 and end == len(self.text):
            return self
        if start >= end:
            return self.rebuild([])
        return self.rebuild([(start, end)])


def offset_runs(offsets: list[int]) -> list[list[int]]:
    """Compress a clean->raw offset table into runs [clean_start, raw_start, length]."""
    if not offsets:
        return []
    import numpy  # spaCy's dependency, loaded by the stages after this one anyway

    # a run breaks wherever the raw offset does not advance by exactly one: found by numpy over
    # the whole table (a Python loop over every character was a quarter of the cleaning time,
    # and C iterators over the list still 2 ms of a 12 ms document)
    steps = numpy.diff(numpy.frombuffer(array.array("q", offsets), dtype=numpy.int64))
    starts = [0, *(numpy.flatnonzero(steps != 1) + 1).tolist(), len(offsets)]
    return [[a, offsets[a], b - a] for a, b in zip(starts, starts[1:])]


def raw_offset(runs: list[list[int]], pos: int) -> int:
    """Raw offset of clean position ``pos`` from ``offset_runs`` output."""
    k = bisect.bisect_right(runs, pos, key=lambda r: r[0]) - 1  # key=: no per-call list of starts
    if k < 0:
        return runs[0][1] if runs else 0
    start, raw, length = runs[k]
    return raw + min(pos - start, length)
