"""Stage 2, segment: the clean body into sentences with exact offsets, each note into citations."""
from __future__ import annotations

import bisect
from dataclasses import dataclass
from typing import Any

from ..cite import parse_footnote, referred_work, resolve_ibid
from ..clean.tracked import raw_offset
from .language import detect_lang
from .sentences import split_sentences

SEGMENT_VERSION = 1


@dataclass
class _Para:
    start: int
    end: int
    kind: str
    page: int | None


def segment_document(clean: dict[str, Any]) -> dict[str, Any]:
    """Stage function: ``clean.json`` record -> ``segment.json`` record (sentences + citations)."""
    text = clean["text"]
    runs = clean["offset_runs"]
    paras = [_Para(p["start"], p["end"], p["kind"], p["page"]) for p in clean["paragraphs"]]
    para_starts = [p.start for p in paras]
    sentences = []
    doc_id = clean["doc_id"]
    for n, (start, end) in enumerate(split_sentences(text), 1):
        k = max(0, bisect.bisect_right(para_starts, start) - 1)
        para = paras[k] if paras else _Para(0, len(text), "paragraph", None)
        raw_start = raw_offset(runs, start)
        raw_end = raw_offset(runs, end - 1) + 1
        sentences.append({
            "sent_id": f"{doc_id}-s{n:04d}", "start": start, "end": end, "text": text[start:end],
            "lang": detect_lang(text[start:end]), "paragraph": k, "kind": para.kind,
            "page": para.page, "raw_start": raw_start, "raw_end": raw_end, "footnotes": [],
        })
    ends = [s["end"] for s in sentences]
    for fn in clean["footnotes"]:
        anchor = fn["anchor"]
        if anchor is None or not sentences:
            continue
        k = min(bisect.bisect_left(ends, anchor), len(sentences) - 1)
        sentences[k]["footnotes"].append(fn["fn_id"])
    footnotes = []
    previous = None  # the last work cited, for "ibid."
    by_note: dict[int, list[dict[str, Any]]] = {}  # the works each numbered note cites, for "前掲注5"
    for fn in clean["footnotes"]:
        parsed = parse_footnote(fn["text"], fn.get("emphasis", []))
        citations = []
        warnings = list(parsed["warnings"])
        for cit in parsed["citations"]:
            if cit.get("ibid"):
                referred = referred_work(cit, by_note)
                if cit.get("note_ref") is not None and referred is None:
                    warnings.append(f"citation {len(citations) + 1}: note {cit['note_ref']} cites nothing to refer "
                                    "back to; taken as the work cited last")
                if previous is None and referred is None:
                    warnings.append(f"citation {len(citations) + 1}: ibid. with no earlier citation")
                cit = resolve_ibid(cit, referred or previous)
            else:
                previous = cit
            citations.append(cit)
        if fn.get("number") is not None:
            by_note[fn["number"]] = [c for c in citations if not c.get("ibid")] or citations
        # A note written around a Japanese-script title is Japanese even when "accessed March
        # 10, 2022" outweighs the title; romanized titles leave the note in English.
        ja_title = any(detect_lang(c.get("title", "")) == "ja" for c in citations)
        lang = "ja" if ja_title else detect_lang(fn["text"])
        footnotes.append({**fn, "lang": lang, "citations": citations, "commentary": parsed["commentary"],
                          "parse_warnings": warnings})
    return {
        "doc_id": doc_id, "segment_version": SEGMENT_VERSION, "source": clean["source"],
        "metadata": clean["metadata"], "text": text, "paragraphs": clean["paragraphs"],
        "sentences": sentences, "footnotes": footnotes, "unlinked_markers": clean["unlinked_markers"],
        "removed": clean["removed"],
    }
