"""The stance plot (matplotlib), redrawn only when what it is drawn from changes."""
from __future__ import annotations

import hashlib
import importlib.metadata
import io
from pathlib import Path
from typing import Any, Sequence

from ..text.labels import POLARITIES
from .colours import STANCE_COLOURS

PLOT_KEY = "pipeline-input-sha256"  # PNG text chunk: what the drawing was made from


def plot_polarity(rows: Sequence[Sequence[Any]], key: str | None = None) -> bytes:
    """Stacked bars per document (``rows``: ``stance_polarity_by_document``'s, doc_id then a count
    per polarity); past 40 documents,
    a heat map of polarity shares (one row per document), so the figure and its drawing time stay
    bounded as the corpus grows. ``key``, if given, is stored in the PNG (see ``plot_key``)."""
    import numpy
    from matplotlib.figure import Figure  # not pyplot: no GUI backend or global state to load

    n = len(rows)
    doc_ids = [row[0] for row in rows]
    counts = numpy.array([row[1:] for row in rows], dtype=numpy.int64).reshape(n, len(POLARITIES))
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
    """A digest of everything the plot's bytes depend on: its table (polarities included), the code
    that draws it and its colours, and the versions of matplotlib (drawing) and Pillow (PNG
    encoding); no other source file, so that unrelated changes leave the committed PNG alone."""
    digest = hashlib.sha256(table_csv.encode("utf-8"))
    for module in ("plot.py", "colours.py"):
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
