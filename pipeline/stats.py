"""``make stats``: corpus and per-document tables (pandas) and a stance plot (matplotlib)."""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
import os
from pathlib import Path
from typing import Any, Iterable

from .html import STANCE_COLOURS
from .io import atomic_write_bytes, atomic_write_text, read_fragments
from .labels import POLARITIES


def tables(docs: list[dict[str, Any]]) -> dict[str, Any]:
    """Long-format tables: entities by label and id, stances by holder/target/polarity,
    citations by language, type and web domain — per document and for the corpus."""
    import pandas as pd

    def frame(key: str, columns: list[str]) -> pd.DataFrame:
        # built from tuples: a DataFrame from dicts costs more than the counting
        return pd.DataFrame([(d["doc_id"], *row) for d in docs for row in d[key]], columns=["doc_id", *columns, "n"])

    def count(rows: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
        return rows.groupby(keys, dropna=False, sort=True)["n"].sum().reset_index(name="count")  # sorted by keys

    ents = frame("entities", ["label", "id", "where", "lang"])
    stances = frame("stances", ["holder", "target", "polarity"])
    cits = frame("citations", ["language", "type", "domain"])
    out = {
        "entities_by_document": count(ents, ["doc_id", "label", "id"]),
        "stances_by_document": count(stances, ["doc_id", "holder", "target", "polarity"]),
        "citations_by_document": count(cits, ["doc_id", "language", "type", "domain"]),
        "entities_corpus": count(ents, ["label", "id"]),
        "stances_corpus": count(stances, ["holder", "target", "polarity"]),
        "citations_corpus": count(cits, ["language", "type", "domain"]),
    }
    polarity = out["stances_by_document"]
    out["stance_polarity_by_document"] = (polarity.pivot_table(index="doc_id", columns="polarity", values="count",
                                                               aggfunc="sum", fill_value=0)
                                          .reindex(index=[d["doc_id"] for d in docs], columns=list(POLARITIES), fill_value=0))
    out["stance_polarity_by_document"].columns.name = None
    out["stance_polarity_by_document"].index.name = "doc_id"
    return out


PLOT_KEY = "pipeline-input-sha256"  # PNG text chunk: what the drawing was made from


def plot_polarity(table: Any, key: str | None = None) -> bytes:
    """Stacked bars per document; past 40 documents, a heat map of polarity shares (one row per
    document), so the figure and its drawing time stay bounded as the corpus grows. ``key``, if
    given, is stored in the PNG (see ``plot_key``)."""
    from matplotlib.figure import Figure  # not pyplot: no GUI backend or global state to load

    n = len(table)
    if n <= 40:
        fig = Figure(figsize=(8, 1.2 + 0.35 * max(2, n)), dpi=100)
        ax = fig.subplots()
        left = [0] * n
        for pol in POLARITIES:
            values = list(table[pol])
            ax.barh(list(table.index), values, left=left, color=STANCE_COLOURS[pol], label=pol)
            left = [a + b for a, b in zip(left, values)]
        ax.set_xlabel("stances")
        ax.legend(ncol=5, fontsize="small", loc="lower center", bbox_to_anchor=(0.5, 1.0), frameon=False)
    else:
        totals = table.sum(axis=1).replace(0, 1)
        shares = table.div(totals, axis=0)
        fig = Figure(figsize=(6, 8), dpi=100)
        ax = fig.subplots()
        image = ax.imshow(shares.to_numpy(), aspect="auto", interpolation="nearest", cmap="viridis", vmin=0, vmax=1)
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
    result = tables(stats_docs)
    csv = {}
    for name, frame in result.items():
        csv[name] = frame.to_csv(index=name == "stance_polarity_by_document", lineterminator="\n")
        atomic_write_text(out / f"{name}.csv", csv[name])
        if echo:
            print(f"\n== {name} ==")
            print(frame.to_string(max_rows=25))
    png = out / "stance_polarity.png"
    key = plot_key(csv["stance_polarity_by_document"])
    if stored_plot_key(png) == key:
        # Drawn from this very table by this very code: the bytes would be the same. Skipping
        # matplotlib (a third of this step) matters when one changed document is rebuilt;
        # the new mtime tells make the plot is up to date.
        os.utime(png)
    else:
        atomic_write_bytes(png, plot_polarity(result["stance_polarity_by_document"], key))


def write_corpus_stats(fragment_dirs: Iterable[str | Path], out_dir: str | Path, echo: bool = True) -> None:
    """``write_stats`` from the documents' fragment directories (their ``stats.json``)."""
    write_stats(read_fragments(fragment_dirs, "stats.json"), out_dir, echo=echo)
