"""A static, offline site for reading the annotated corpus in a browser: the pages.

Hand-written rather than displaCy: displaCy renders one layer of non-overlapping spans, while a
page here layers sentences, entities (with canonical ids), stance cues that may cross entities,
and footnote links on one text.
"""
from __future__ import annotations

import html
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

from ..export.fragments import document_row
from ..records import EGOV_LAW_URL
from ..text.io import atomic_write_text
from ..text.labels import CSL_FIELDS
from ..text.scripts import JAPANESE
from .colours import LABEL_COLOURS, STANCE_COLOURS

CSS = """
body { font: 16px/1.6 Georgia, 'Noto Serif CJK JP', serif; max-width: 52rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
h1 { font-size: 1.5rem; } h2 { font-size: 1.2rem; margin-top: 2rem; }
nav a { margin-right: 1rem; }
.meta { color: #555; font-size: .9rem; }
p.heading, p.title { font-weight: bold; } p.abstract { font-style: italic; } p.list_item { margin-left: 1.5rem; }
mark.ent { border-radius: .25rem; padding: 0 .15rem; }
mark.ent .lbl { font: bold .6rem sans-serif; margin-left: .2rem; vertical-align: middle; opacity: .75; }
.stance { text-decoration: underline 3px; text-underline-offset: 3px; }
sup a { text-decoration: none; }
.legend span { margin-right: .6rem; font-size: .85rem; }
table { border-collapse: collapse; font-size: .85rem; width: 100%; }
th, td { border-bottom: 1px solid #ddd; padding: .25rem .4rem; text-align: left; vertical-align: top; }
th { cursor: pointer; background: #f6f8fa; position: sticky; top: 0; }
th.sorted-asc::after { content: " \\25B2"; } th.sorted-desc::after { content: " \\25BC"; }
ol.notes li { margin-bottom: .8rem; } dl.csl { margin: .2rem 0 0 1rem; font-size: .85rem; display: grid; grid-template-columns: max-content auto; column-gap: .6rem; }
dl.csl dt { color: #555; } dl.csl dd { margin: 0; }
.sent:target { background: #fff8c5; } li:target { background: #fff8c5; }
""" + "".join(f"mark.ent.{k} {{ background: {v}; }}\n" for k, v in LABEL_COLOURS.items()) \
    + "".join(f".stance.{k} {{ text-decoration-color: {v}; }}\n" for k, v in STANCE_COLOURS.items())

SORT_JS = """
document.querySelectorAll('table.sortable').forEach(function (table) {
  table.querySelectorAll('th').forEach(function (th, col) {
    th.addEventListener('click', function () {
      var asc = !th.classList.contains('sorted-asc');
      table.querySelectorAll('th').forEach(function (h) { h.classList.remove('sorted-asc', 'sorted-desc'); });
      th.classList.add(asc ? 'sorted-asc' : 'sorted-desc');
      var body = table.tBodies[0];
      var rows = Array.prototype.slice.call(body.rows);
      rows.sort(function (a, b) {
        var x = a.cells[col].dataset.sort || a.cells[col].textContent;
        var y = b.cells[col].dataset.sort || b.cells[col].textContent;
        var nx = parseFloat(x), ny = parseFloat(y);
        var c = (!isNaN(nx) && !isNaN(ny)) ? nx - ny : x.localeCompare(y);
        return asc ? c : -c;
      });
      rows.forEach(function (r) { body.appendChild(r); });
    });
  });
});
"""

E = html.escape
_TO_ESCAPE = re.compile("[&<>\"']")  # what html.escape(quote=True) replaces


def page(title: str, body: str, root: str = "", script: str = "") -> str:
    """A page of the site: ``root`` leads from its folder to the site's ("../" one folder down);
    ``script``: JavaScript of its own, run after the table sorter."""
    nav = "".join(f'<a href="{root}{href}">{name}</a>' for href, name in (
        ("index.html", "Corpus"), ("citations.html", "Citation index"), ("entities/index.html", "Entities"),
        ("holders/index.html", "Stance holders"), ("search.html", "Search"), ("eval.html", "Scores")))
    return (f"<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<title>{E(title)}</title>\n"
            f"<style>{CSS}</style>\n</head>\n<body>\n<nav>{nav}</nav>\n{body}\n<script>{SORT_JS}{script}</script>\n"
            "</body>\n</html>\n")


def _legend() -> str:
    ents = "".join(f'<span><mark class="ent {k}">{k}</mark></span>' for k in LABEL_COLOURS)
    stances = "".join(f'<span class="stance {k}">{k}</span>' for k in STANCE_COLOURS)
    return f'<p class="legend">Entities: {ents}<br>Stances (underlined cue): {stances}</p>'


def _csl_list(c: dict[str, Any]) -> str:
    rows = []
    for key in CSL_FIELDS:
        if key not in c:
            continue
        value = c[key]
        if key == "author":
            value = "; ".join(display_name(a) for a in value)
            cell = E(value)
        elif key == "URL":
            cell = f'<a href="{E(value)}">{E(value)}</a>'
        else:
            cell = E(str(value))
        rows.append(f"<dt>{E(key)}</dt><dd>{cell}</dd>")
    link = f'<dt>index</dt><dd><a href="citations.html#{E(c["work_id"])}">{E(c["work_id"])}</a></dd>' \
        if c.get("work_id") else ""
    return f'<dl class="csl">{"".join(rows)}{link}</dl>'


def _covering(points: list[int], spans: list[dict[str, Any]]) -> list[dict[str, Any] | None]:
    """For each piece ``points[i]..points[i + 1]``, the first of ``spans`` covering it, or None.
    Every span's bounds are among ``points``, so a span covers exactly the pieces from its start's
    index to its end's: one pass over the spans, not a search of them for every piece."""
    index = {p: i for i, p in enumerate(points)}
    covering: list[dict[str, Any] | None] = [None] * len(points)
    for span in spans:
        for i in range(index[span["start"]], index[span["end"]]):
            if covering[i] is None:
                covering[i] = span
    return covering


def render_paragraph(text: str, para: dict[str, Any], sentences: list[dict[str, Any]],
                     refs: dict[int, list[tuple[str, str]]]) -> str:
    """One paragraph: sentences, entity marks, stance underlines and footnote links."""
    out = [f'<p class="{E(para["kind"])}">']
    for s in sentences:
        out.append(f'<span class="sent" id="{E(s["sent_id"])}" lang="{E(s["lang"])}">')
        bounds = {s["start"], s["end"]} | set(k for k in refs if s["start"] < k <= s["end"])
        for e in s["entities"]:
            bounds |= {e["start"], e["end"]}
        for st in s["stances"]:
            bounds |= {st["start"], st["end"]}
        points = sorted(b for b in bounds if s["start"] <= b <= s["end"])
        entity_at, cue_at = _covering(points, s["entities"]), _covering(points, s["stances"])
        # most sentences hold nothing to escape: one search for them, not an escape per piece
        escape = E if _TO_ESCAPE.search(text, s["start"], s["end"]) else str
        for i, (a, b) in enumerate(zip(points, points[1:])):
            piece = escape(text[a:b])
            ent, cue = entity_at[i], cue_at[i]
            if cue:
                title = f"{cue['polarity']}: {cue['holder'] or '?'} → {cue['target'] or '?'}"
                if cue["negated"]:
                    title += " (negated)"
                if cue["hedged"]:
                    title += " (hedged)"
                piece = f'<span class="stance {E(cue["polarity"])}" title="{E(title)}">{piece}</span>'
            if ent:
                label = f'<span class="lbl">{E(ent["label"])}</span>' if b == ent["end"] else ""
                if label and ent.get("kb_id"):  # a Japanese law: its page on e-Gov
                    label += f' <a class="kb" href="{E(EGOV_LAW_URL.format(ent["kb_id"]))}">e-Gov</a>'
                piece = (f'<mark class="ent {E(ent["label"])}" title="{E(ent["label"])} {E(ent["id"])}" '
                         f'data-id="{E(ent["id"])}">{piece}{label}</mark>')
            out.append(piece)
            for fn_id, marker in refs.get(b, []):
                out.append(f'<sup><a href="#{E(fn_id)}" id="ref-{E(fn_id)}">{E(marker)}</a></sup>')
        out.append("</span> ")
    out.append("</p>")
    return "".join(out)


def render_document(doc: dict[str, Any], text: str, sentences: list[dict[str, Any]],
                    footnotes: list[dict[str, Any]]) -> str:
    refs: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for f in footnotes:
        if f["anchor"] is not None:
            refs[f["anchor"]].append((f["fn_id"], f["marker"]))
    by_para: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for s in sentences:
        by_para[s["paragraph"]].append(s)
    parts = [f"<h1>{E(doc['title'])}</h1>",
             f'<p class="meta">{E(", ".join(doc["authors"]))} · {E(str(doc["year"]))} · {E(doc["publisher"])} · '
             f'licence: {E(doc["licence"])} · {doc["counts"]["sentences"]} sentences, {doc["counts"]["footnotes"]} '
             f'footnotes</p>', _legend()]
    for k, para in enumerate(doc["paragraphs"]):
        parts.append(render_paragraph(text, para, by_para.get(k, []), refs))
    stance_rows = []
    for s in sentences:
        for st in s["stances"]:
            stance_rows.append(
                f'<tr><td><a href="#{E(s["sent_id"])}">{E(s["sent_id"].rsplit("-", 1)[-1])}</a></td>'
                f'<td>{E(st["holder"] or "")}</td><td><span class="stance {E(st["polarity"])}">{E(st["cue"])}</span></td>'
                f'<td>{E(st["polarity"])}{" (negated)" if st["negated"] else ""}{" (hedged)" if st["hedged"] else ""}</td>'
                f'<td>{E(st["target"] or "")}{" (inferred)" if st["target_inferred"] else ""}</td></tr>')
    parts.append("<h2>Stances</h2>")
    parts.append('<table class="sortable"><thead><tr><th>sentence</th><th>holder</th><th>cue</th><th>polarity</th>'
                 f'<th>target</th></tr></thead><tbody>{"".join(stance_rows)}</tbody></table>')
    notes = []
    for f in footnotes:
        back = f' <a href="#ref-{E(f["fn_id"])}">↩</a>' if f["anchor"] is not None else " (no marker in the source)"
        cits = "".join(_csl_list(c) for c in f["citations"])
        comment = f'<div class="meta">commentary: {E(f["commentary"])}</div>' if f["commentary"] else ""
        notes.append(f'<li id="{E(f["fn_id"])}" value="{E(str(f["number"] or ""))}"><span lang="{E(f["lang"])}">'
                     f'{E(f["marker"])} {E(f["text"])}</span>{back}{cits}{comment}</li>')
    parts.append(f'<h2>Footnotes</h2><ol class="notes">{"".join(notes)}</ol>')
    return page(doc["title"], "\n".join(parts))


def render_index(docs: list[dict[str, Any]]) -> str:
    rows = []
    for d in docs:
        c = d["counts"]
        ents = ", ".join(f"{k} {v}" for k, v in c["entities"].items())
        rows.append(f'<tr><td><a href="{E(d["doc_id"])}.html">{E(d["title"])}</a></td><td>{E(", ".join(d["authors"]))}</td>'
                    f'<td>{E(str(d["year"]))}</td><td>{E(" ".join(d["languages"]))}</td><td>{c["sentences"]}</td>'
                    f'<td>{c["footnotes"]}</td><td>{c["citations"]}</td><td>{E(ents)}</td>'
                    f'<td>{sum(c["stances"].values())}</td><td>{E(d["licence"])}</td></tr>')
    body = ("<h1>Japan economic-security policy corpus</h1>"
            f'<p class="meta">{len(docs)} documents. Click a title to read it annotated; column headers sort. '
            '<a href="citations.html">Citation index</a> · <a href="eval.html">Scores against the gold layers</a></p>'
            '<table class="sortable"><thead><tr><th>title</th><th>authors</th><th>year</th><th>languages</th>'
            '<th>sentences</th><th>footnotes</th><th>citations</th><th>entities</th><th>stances</th><th>licence</th>'
            f'</tr></thead><tbody>{"".join(rows)}</tbody></table>')
    return page("Corpus", body)


def render_eval(scores: dict[str, Any]) -> str:
    """The pipeline's scores against the gold layers (``annotations/eval.json``) and its disagreements."""
    if not scores["gold_documents"]:
        body = ("<h1>Scores against the gold layers</h1><p>No gold layer yet: export tasks "
                "(<code>policy-corpus export-tasks</code>), correct them in an annotation tool, import them "
                "(<code>policy-corpus import-corrections</code>) and run <code>make eval</code>.</p>")
        return page("Evaluation", body)
    ent, st = scores["entities"], scores["stances"]
    rows = "".join(f"<tr><td>{E(label)}</td><td>{s['gold']}</td><td>{s['found']}</td><td>{s['right']}</td>"
                   f"<td>{s['precision']:.3f}</td><td>{s['recall']:.3f}</td><td>{s['f1']:.3f}</td></tr>"
                   for label, s in [*ent["labels"].items(), ("all", ent["all"])])
    polarity = "—" if st["polarity_accuracy"] is None else f"{st['polarity_accuracy']:.3f}"
    disagreements = "".join(
        f"<tr><td><a href=\"{E(d['doc_id'])}.html#{E(d['sent_id'])}\">{E(d['sent_id'])}</a></td><td>{E(d['kind'])}</td>"
        f"<td>{E(d['text'] or '')}</td><td>{E(d['gold'] or '—')}</td><td>{E(d['pipeline'] or '—')}</td></tr>"
        for d in scores["disagreements"])
    body = (f"<h1>Scores against the gold layers</h1><p class=\"meta\">{len(scores['gold_documents'])} documents, "
            f"{scores['gold_sentences']} reviewed sentences.</p>"
            '<table class="sortable"><thead><tr><th>label</th><th>gold</th><th>found</th><th>right</th><th>P</th>'
            f"<th>R</th><th>F1</th></tr></thead><tbody>{rows}</tbody></table>"
            f"<p>Stances: {st['right']} of {st['gold']} gold cues marked with the same polarity ({polarity}).</p>"
            '<h2>Disagreements</h2><table class="sortable"><thead><tr><th>sentence</th><th>kind</th><th>text</th>'
            f"<th>gold</th><th>pipeline</th></tr></thead><tbody>{disagreements}</tbody></table>")
    return page("Evaluation", body)


def display_name(name: dict[str, str]) -> str:
    """A CSL name as readers write it: "Akira Igata", but 木内登英 (family first, no space)."""
    if "literal" in name:
        return name["literal"]
    family, given = name.get("family", ""), name.get("given", "")
    if JAPANESE.search(family):
        return family + given
    return " ".join(p for p in (given, family) if p)


def render_citations(works: list[dict[str, Any]]) -> str:
    rows = []
    for w in works:
        authors = "; ".join(display_name(a) for a in w.get("author", []))
        title = E(w.get("title", ""))
        if w.get("title-translation"):
            title += f' <span class="meta">[{E(w["title-translation"])}]</span>'
        if w.get("URL"):
            title = f'<a href="{E(w["URL"])}">{title}</a>'
        cited = " ".join(f'<a href="{E(c["doc_id"])}.html#{E(c["fn_id"])}">{E(c["doc_id"][:3])}#{E(c["fn_id"])}</a>'
                         for c in w["cited_by"])
        rows.append(f'<tr id="{E(w["id"])}"><td>{E(w["id"])}</td><td>{E(w.get("type", ""))}</td><td>{E(authors)}</td>'
                    f'<td>{title}</td><td>{E(w.get("container-title", ""))}</td><td>{E(w.get("issued", ""))}</td>'
                    f'<td>{E(w.get("language", ""))}</td><td data-sort="{len(w["cited_by"])}">{cited}</td></tr>')
    body = ("<h1>Citation index</h1>"
            f'<p class="meta">{len(works)} distinct works; click a column header to sort.</p>'
            '<table class="sortable" id="citations"><thead><tr><th>id</th><th>type</th><th>authors</th><th>title</th>'
            '<th>container</th><th>issued</th><th>lang</th><th>cited by</th></tr></thead>'
            f'<tbody>{"".join(rows)}</tbody></table>')
    return page("Citation index", body)


def write_document_page(tag: dict[str, Any], manifest_row: dict[str, Any], out_path: str | Path) -> None:
    """One document's page, from its tag record (``make`` renders each page on its own)."""
    doc = document_row(manifest_row, tag)
    atomic_write_text(out_path, render_document(doc, tag["text"], tag["sentences"], tag["footnotes"]))
