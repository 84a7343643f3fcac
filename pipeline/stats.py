"""``make stats``: corpus and per-document tables (CSV) and a stance plot (matplotlib)."""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable, Sequence

from .export import count_rows, document_csv_lines
from .html import STANCE_COLOURS
from .io import atomic_write_bytes, atomic_write_text, csv_text, read_fragments
from .labels import POLARITIES


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


PLOT_KEY = "pipeline-input-sha256"  # PNG text chunk: what the drawing was made from


def plot_polarity(table: Table, key: str | None = None) -> bytes:
    """Stacked bars per document (``table``: ``stance_polarity_by_document``); past 40 documents,
    a heat map of polarity shares (one row per document), so the figure and its drawing time stay
    bounded as the corpus grows. ``key``, if given, is stored in the PNG (see ``plot_key``)."""
    import numpy
    from matplotlib.figure import Figure  # not pyplot: no GUI backend or global state to load

    n = len(table.rows)
    doc_ids = [row[0] for row in table.rows]
    counts = numpy.array([row[1:] for row in table.rows], dtype=numpy.int64).reshape(n, len(POLARITIES))
    if n <= 40:
        fig = Figure(figsize=(8, 1.2 + 0.35 * max(2, n)), dpi=100)
        ax = fig.subplots()
        left = [0] * n
        for k, pol in enumerate(POLARITIES):
            values = counts[:, k].tolist()
            ax.barh(doc_ids, values, left=left, color=STANCE_COLOURS[pol], label=pol)
            left = [a + b for a, b in zip(left, values)]
        ax.set_xlabel("stances")
        ax.legend(ncol=5, fontsize="small", loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    else:
        totals = counts.sum(axis=1)
        shares = counts / numpy.where(totals == 0, 1, totals)[:, None]
        fig = Figure(figsize=(6, 8), dpi=100)
        ax = fig.subplots()
        image = ax.imshow(shares, aspect="auto", interpolation="nearest", cmap="viridis", vmin=0, vmax=1)
        ax.set_xticks(range(len(POLARITIES)), list(POLARITIES), rotation=30)
        ax.set_ylabel(f"{n} documents")
        ax.set_yticks([])
        fig.colorbar(image, ax=ax, label="share of the document's stances")
    ax.set_title("Stance polarity per document", pad=24)
    fig.tight_layout()
    buf = io.BytesIO()
    metadata = {"Software": None} if key is None else {"Software": None, PLOT_KEY: key}  # no version stamp
    fig.savefig(buf, format="png", metadata=metadata)
    return buf.getvalue()


def plot_key(table_csv: str) -> str:
    """A digest of everything the plot's bytes depend on: its table, the code that draws it, and
    the versions of matplotlib (drawing) and Pillow (PNG encoding)."""
    digest = hashlib.sha256(table_csv.encode("utf-8"))
    for module in ("stats.py", "html.py", "labels.py"):  # the drawing, its colours, the polarities
        digest.update(Path(__file__).with_name(module).read_bytes())
    for package in ("matplotlib", "pillow"):
        digest.update(f"{package} {importlib.metadata.version(package)}\n".encode("ascii"))
    return digest.hexdigest()


def stored_plot_key(path: Path) -> str | None:
    """The key stored in an existing plot, or None (no file, not a whole PNG, no key)."""
    from PIL import Image

    try:
        with Image.open(path) as image:
            key = image.info.get(PLOT_KEY)  # text chunks before the image data: matplotlib writes them there
            image.verify()  # every chunk's CRC, to the end: a damaged file is redrawn
    except Exception:  # Pillow raises many kinds (OSError, SyntaxError, struct.error ...) on bad files
        return None
    return key if isinstance(key, str) else None


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
        atomic_write_bytes(png, plot_polarity(corpus["stance_polarity_by_document"], key))


def write_corpus_stats(fragment_dirs: Iterable[str | Path], out_dir: str | Path, echo: bool = True) -> None:
    """``write_stats`` from the documents' fragment directories (their ``stats.json``)."""
    write_stats(read_fragments(fragment_dirs, "stats.json"), out_dir, echo=echo)
