"""``make stats``: corpus and per-document tables (CSV) and the stance plot (``plot.py``)."""
from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from ..export.fragments import count_rows, document_csv_lines
from ..text.io import atomic_write_bytes, atomic_write_text, csv_text, read_fragments
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

    def to_text(self, max_rows: int = 25) -> str:
        """Aligned columns for a terminal; the middle rows of a long table are left out."""
        rows = self.rows
        if len(rows) > max_rows:
            rows = rows[:max_rows // 2] + [("...",) * len(self.columns)] + rows[-(max_rows // 2):]
        cells = [list(self.columns)] + [["" if v is None else str(v) for v in row] for row in rows]
        widths = [max(len(r[i]) for r in cells) for i in range(len(self.columns))]
        lines = ["  ".join(c.ljust(w) for c, w in zip(r, widths)).rstrip() for r in cells]
        return "\n".join(lines + [f"[{len(self.rows)} rows x {len(self.columns)} columns]"])


def count_table(rows: Iterable[tuple[Any, ...]], columns: Sequence[str]) -> Table:
    """The counts (each row's last cell) summed by the other cells, in ``row_order``; as a
    ``count`` column."""
    totals: dict[tuple[Any, ...], int] = {}
    get = totals.get  # a dict, not a Counter: 100,000 rows summed in half the time
    for row in rows:
        key = tuple(row[:-1])
        totals[key] = get(key, 0) + row[-1]
    return Table((*columns, "count"), [tuple(row) for row in count_rows(totals)])


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


def corpus_tables(docs: list[dict[str, Any]]) -> dict[str, Table]:
    """The corpus tables of ``tables`` and each document's stances by polarity."""
    docs = _by_doc_id(docs)
    out = {f"{key}_corpus": count_table((row for d in docs for row in d[key]), cols) for key, cols in COUNTED.items()}
    polarity: dict[str, dict[str, int]] = {d["doc_id"]: dict.fromkeys(POLARITIES, 0) for d in docs}
    for d in docs:
        counts = polarity[d["doc_id"]]
        for row in d["stances"]:  # (holder, target, polarity, count)
            if row[-2] in counts:
                counts[row[-2]] += row[-1]
    out["stance_polarity_by_document"] = Table(("doc_id", *POLARITIES),
                                               [(d, *(c[p] for p in POLARITIES)) for d, c in polarity.items()])
    return out


def by_document_csv(docs: list[dict[str, Any]]) -> dict[str, str]:
    """The per-document tables of ``tables`` as CSV: the header, then each fragment's own CSV
    lines in doc_id order (written by the tag stage; rendered here from its rows if absent)."""
    docs = _by_doc_id(docs)
    return {f"{key}_by_document": csv_text([("doc_id", *cols, "count")]) + "".join(
                d["csv"][key] if "csv" in d else document_csv_lines(d["doc_id"], d[key]) for d in docs)
            for key, cols in COUNTED.items()}


def csv_texts(docs: list[dict[str, Any]], corpus: dict[str, Table]) -> dict[str, str]:
    """Every table ``write_stats`` writes, as CSV text by name: the per-document tables from the
    fragments' own CSV lines (``by_document_csv``), and ``corpus``, ``corpus_tables(docs)``."""
    return {**by_document_csv(docs), **{name: table.to_csv() for name, table in corpus.items()}}


def write_stats(stats_docs: list[dict[str, Any]], out_dir: str | Path, echo: bool = True) -> None:
    """The CSV tables and the plot from the documents' ``stats.json`` fragments. The plot is redrawn
    only when its key (``plot_key``) differs from the one stored in the existing PNG."""
    out = Path(out_dir)
    corpus = corpus_tables(stats_docs)
    texts = csv_texts(stats_docs, corpus)
    for name, text in texts.items():
        atomic_write_text(out / f"{name}.csv", text)
    if echo:
        for name, table in {**by_document_tables(stats_docs), **corpus}.items():
            print(f"\n== {name} ==")
            print(table.to_text())
    png = out / "stance_polarity.png"
    key = plot_key(texts["stance_polarity_by_document"])
    if stored_plot_key(png) == key:
        # Drawn from this very table by this very code: the bytes would be the same. Skipping
        # matplotlib (a third of this step) matters when one changed document is rebuilt;
        # the new mtime tells make the plot is up to date.
        os.utime(png)
    else:
        atomic_write_bytes(png, plot_polarity(corpus["stance_polarity_by_document"].rows, key))


def write_corpus_stats(fragment_dirs: Iterable[str | Path], out_dir: str | Path, echo: bool = True) -> None:
    """``write_stats`` from the documents' fragment directories (their ``stats.json``)."""
    write_stats(read_fragments(fragment_dirs, "stats.json"), out_dir, echo=echo)
