"""The data card (``annotations/README.md``): a template filled with the corpus's own numbers."""
from __future__ import annotations

from collections import Counter, defaultdict
from importlib import resources
from pathlib import Path
from string import Template
from typing import Any

from ..text.io import atomic_write_text, iter_jsonl
from ..records import BIO_TAGS
from ..text.labels import LABELS


def render_datacard(annotations: str | Path, docs: list[dict[str, Any]]) -> str:
    """The data card from the documents (``docs``: manifest rows with their ``summary.json``
    fragment: counts, mentions, examples) and the citation index."""
    annotations = Path(annotations)
    counts: Counter[tuple[str, str]] = Counter()  # (label, "sentences en" ...) -> mentions
    examples: dict[tuple[str, str], list[str]] = defaultdict(list)  # (label, lang) -> first names seen
    stances: Counter[str] = Counter()

    for d in docs:
        for label, where, n in d["mentions"]:
            counts[(label, where)] += n
        for key, names in d["examples"].items():
            label, lang = key.split(" ")
            seen = examples[(label, lang)]
            for name in names:
                if name not in seen and len(seen) < 3:
                    seen.append(name)
        stances.update(d["counts"]["stances"])
    columns = ["sentences en", "sentences ja", "footnotes en", "footnotes ja"]
    rows = ["| label | " + " | ".join(columns) + " | total |", "|---|" + "---|" * (len(columns) + 1)]
    for label in LABELS:
        row = [counts[(label, c)] for c in columns]
        rows.append(f"| {label} | " + " | ".join(map(str, row)) + f" | {sum(row)} |")
    doc_rows = ["| doc_id | title | authors | year | languages | sentences | footnotes | licence |",
                "|---|---|---|---|---|---|---|---|"]
    licences = []
    for d in docs:
        doc_rows.append(f"| `{d['doc_id']}` | {d['title']} | {', '.join(d['authors'])} | {d['year']} | "
                        f"{', '.join(d['languages'])} | {d['counts']['sentences']} | {d['counts']['footnotes']} | "
                        f"{d['licence']} |")
        licences.append(f"- `{d['doc_id']}` ({d['title']}): {d['licence']}"
                        + (f" — {d['publisher']}" if d.get("publisher") not in (None, "unknown") else ""))
    laws: dict[str, dict[str, str]] = {}
    for d in docs:
        for law_id, law in d.get("laws", {}).items():
            laws.setdefault(law_id, law)
    law_rows = ["| id | number | e-Gov law id |", "|---|---|---|"] + [
        f"| `{law_id}` | {law['number']} | [{law['kb_id']}]({law['url']}) |" for law_id, law in sorted(laws.items())]
    works = sum(1 for _ in iter_jsonl(annotations / "citation_index.jsonl"))
    template = Template(resources.files("pipeline.templates").joinpath("datacard.md").read_text(encoding="utf-8"))
    values = {
        "documents_table": "\n".join(doc_rows),
        "entity_counts": "\n".join(rows),
        "stance_counts": ", ".join(f"{k} {v}" for k, v in sorted(stances.items())) or "none",
        "footnotes": sum(d["counts"]["footnotes"] for d in docs),
        "unanchored": sum(d["counts"]["footnotes_unanchored"] for d in docs),
        "citations": sum(d["counts"]["citations"] for d in docs),
        "works": works,
        "licences": "\n".join(licences),
        "bio_tags": ", ".join(f"{k} `{tag}`" for k, tag in enumerate(BIO_TAGS)),
        "laws_table": "\n".join(law_rows) if laws else "None of the documents names a Japanese law with a known number.",
    }
    for label in LABELS:
        values[f"examples_{label}"] = ", ".join(examples[(label, "en")] + examples[(label, "ja")]) or "—"
    return template.substitute(values)


def write_datacard(annotations: str | Path, docs: list[dict[str, Any]]) -> Path:
    path = Path(annotations) / "README.md"
    atomic_write_text(path, render_datacard(annotations, docs))
    return path
