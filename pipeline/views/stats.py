"""``make stats``: corpus and per-document tables (CSV) and the stance plot (``plot.py``)."""
from __future__ import annotations

import os
from collections import deque
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..export.fragments import count_rows, document_csv_lines
from ..text.io import atomic_file, atomic_write_bytes, atomic_write_text, csv_text, read_json
from ..text.labels import POLARITIES
from .plot import plot_key, plot_polarity, stored_plot_key

@dataclass(frozen=True)
class Table:
    """A table's column names and rows. The tables are sums of counts the documents' stats
    fragments already hold, which a dict adds up; pandas took 0.35 s to import in a step that
    every one-document rebuild waits for (its groupby gives the same rows: tested)."""

    columns: tuple[str, ...]
    rows: list[tuple[Any, ...]]

    def to_csv(self) -> str:
        """Header and rows, comma-separated, quoted only where needed, None as an empty cell."""
        return csv_text([self.columns]) + csv_text(self.rows)

    def to_text(self, max_rows: int = 25, count: int | None = None) -> str:
        """Aligned columns for a terminal; the middle rows of a long table are left out.
        ``count``: the table's whole length, where ``rows`` holds only its ends."""
        rows = self.rows
        if len(rows) > max_rows:
            rows = rows[:max_rows // 2] + [("...",) * len(self.columns)] + rows[-(max_rows // 2):]
        cells = [list(self.columns)] + [["" if v is None else str(v) for v in row] for row in rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
        return "\n".join(lines + [f"[{len(self.rows) if count is None else count} rows x {len(self.columns)} columns]"])


# the tables of counts: their key columns
COUNTED = {"entities": ("label", "id"), "stances": ("holder", "target", "polarity"),
           "citations": ("language", "type", "domain")}


def _by_doc_id(docs: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    return sorted(docs, key=lambda d: d["doc_id"])


def tables(docs: list[dict[str, Any]]) -> dict[str, Table]:
    """From the documents' stats fragments (``export.stats_fragment``): long-format tables of
    entities by label and id, stances by holder/target/polarity, citations by language, type and
    web domain, per document and for the corpus, and each document's stances by polarity."""
    docs = _by_doc_id(docs)
    return {**by_document_tables(docs), **corpus_tables(docs)}


def by_document_tables(docs: list[dict[str, Any]]) -> dict[str, Table]:
    """The per-document tables of ``tables``."""
    # each fragment holds its document's rows, summed and in order: in doc_id order, they are the
    # per-document table
    return {f"{key}_by_document": Table(("doc_id", *cols, "count"), [(d["doc_id"], *row) for d in _by_doc_id(docs)
                                                                     for row in d[key]])
            for key, cols in COUNTED.items()}


class CorpusCounts:
    """The corpus tables, summed one document's stats fragment at a time (so that the stats of any
    number of documents take the memory of the distinct keys, not of the documents)."""

    def __init__(self) -> None:
        self.totals: dict[str, dict[tuple[Any, ...], int]] = {key: {} for key in COUNTED}
        self.polarity: list[tuple[Any, ...]] = []  # (doc_id, count per polarity): a row per document

    def add(self, doc: dict[str, Any]) -> None:
        for key in COUNTED:
            totals = self.totals[key]
            get = totals.get  # a dict, not a Counter: 100,000 rows summed in half the time
            for row in doc[key]:
                k = tuple(row[:-1])
                totals[k] = get(k, 0) + row[-1]
        counts = dict.fromkeys(POLARITIES, 0)
        for row in doc["stances"]:  # (holder, target, polarity, count)
            if row[-2] in counts:
                counts[row[-2]] += row[-1]
        self.polarity.append((doc["doc_id"], *(counts[p] for p in POLARITIES)))

    def tables(self) -> dict[str, Table]:
        """The corpus tables of ``tables`` and each document's stances by polarity."""
        out = {f"{key}_corpus": Table((*cols, "count"), [tuple(r) for r in count_rows(self.totals[key])])
               for key, cols in COUNTED.items()}
        out["stance_polarity_by_document"] = Table(("doc_id", *POLARITIES), sorted(self.polarity))
        return out


def corpus_tables(docs: Iterable[dict[str, Any]]) -> dict[str, Table]:
    """The corpus tables of ``tables`` and each document's stances by polarity."""
    counts = CorpusCounts()
    for d in _by_doc_id(docs):
        counts.add(d)
    return counts.tables()


def _document_csv(doc: dict[str, Any], key: str) -> str:
    """A document's lines of a per-document table: written by the tag stage (rendered here from its
    rows if absent, in older fragments)."""
    return doc["csv"][key] if "csv" in doc else document_csv_lines(doc["doc_id"], doc[key])


class _Preview:
    """The first and last rows of a table seen row by row, for ``Table.to_text``."""

    def __init__(self, columns: tuple[str, ...], keep: int = 12) -> None:
        self.columns, self.head, self.tail, self.count = columns, [], deque(maxlen=keep), 0
        self.keep = keep

    def add(self, rows: Iterable[tuple[Any, ...]]) -> None:
        for row in rows:
            self.count += 1
            (self.head if len(self.head) < self.keep else self.tail).append(row)

    def to_text(self) -> str:
        left_out = [("...",) * len(self.columns)] if self.count > len(self.head) + len(self.tail) else []
        rows = [*self.head, *left_out, *self.tail]
        return Table(self.columns, rows).to_text(max_rows=len(rows), count=self.count)


def write_stats(stats_docs: Iterable[dict[str, Any]], out_dir: str | Path, echo: bool = True) -> None:
    """The CSV tables and the plot from the documents' ``stats.json`` fragments, given in doc_id
    order and read one at a time (the per-document tables are streamed out). The plot is redrawn
    only when its key (``plot_key``) differs from the one stored in the existing PNG."""
    out = Path(out_dir)
    counts = CorpusCounts()
    previews = {key: _Preview(("doc_id", *cols, "count")) for key, cols in COUNTED.items()}
    last = None
    with ExitStack() as stack:
        files = {key: stack.enter_context(atomic_file(out / f"{key}_by_document.csv")) for key in COUNTED}
        for key, cols in COUNTED.items():
            files[key].write(csv_text([("doc_id", *cols, "count")]).encode("utf-8"))
        for doc in stats_docs:
            if last is not None and doc["doc_id"] <= last:
                raise ValueError(f"stats fragments out of doc_id order: {doc['doc_id']} after {last}")
            last = doc["doc_id"]
            counts.add(doc)
            for key in COUNTED:
                files[key].write(_document_csv(doc, key).encode("utf-8"))
                if echo:
                    previews[key].add((doc["doc_id"], *row) for row in doc[key])
    corpus = counts.tables()
    for name, table in corpus.items():
        atomic_write_text(out / f"{name}.csv", table.to_csv())
    if echo:
        for key, preview in previews.items():
            print(f"\n== {key}_by_document ==")
            print(preview.to_text())
        for name, table in corpus.items():
            print(f"\n== {name} ==")
            print(table.to_text())
    png = out / "stance_polarity.png"
    key = plot_key(corpus["stance_polarity_by_document"].to_csv())
    if stored_plot_key(png) == key:
        # Drawn from this very table by this very code: the bytes would be the same. Skipping
        # matplotlib (a third of this step) matters when one changed document is rebuilt;
        # the new mtime tells make the plot is up to date.
        os.utime(png)
    else:
        atomic_write_bytes(png, plot_polarity(corpus["stance_polarity_by_document"].rows, key))


def write_corpus_stats(fragment_dirs: Iterable[str | Path], out_dir: str | Path, echo: bool = True) -> None:
    """``write_stats`` from the documents' fragment directories (their ``stats.json``), read one
    at a time in doc_id order."""
    dirs = sorted(fragment_dirs, key=lambda d: Path(d).parent.name)
    write_stats((read_json(Path(d) / "stats.json") for d in dirs), out_dir, echo=echo)
