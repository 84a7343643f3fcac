"""The site across documents: a page per canonical entity (every mention in context, key word in
context, linked to its sentence; the entity's aliases in both languages), a page per stance holder,
and a search over every sentence that runs in the browser, offline (plain JavaScript over an index
of the sentences in ``search-index.js``)."""
from __future__ import annotations

import hashlib
import html
import json
import re
import shutil
import sqlite3
import tempfile
from pathlib import Path
from typing import Any, Iterable

from ..text.io import atomic_file, atomic_write_text
from .html import page

E = html.escape
CONTEXT = 60  # characters of context either side of a mention


def page_name(key: str) -> str:
    """A file name for an entity id or a holder: its ASCII letters and digits, and a short digest
    where it has others (Japanese names, spaces) so that two keys never share a file."""
    plain = re.sub(r"[^A-Za-z0-9_-]+", "-", key).strip("-")[:60] or "x"
    if plain == key:
        return f"{plain}.html"
    return f"{plain}-{hashlib.sha1(key.encode('utf-8')).hexdigest()[:8]}.html"


def _kwic(text: str, start: int, end: int) -> tuple[str, str, str]:
    left = text[max(0, start - CONTEXT):start]
    right = text[end:end + CONTEXT]
    return ("…" if start > CONTEXT else "") + left, text[start:end], right + ("…" if end + CONTEXT < len(text) else "")


def write_cross_pages(annotations: str | Path, aliases: dict[str, list[tuple[str, str]]]) -> None:
    """``html/entities/``, ``html/holders/``, ``html/search.html`` and ``html/search-index.js`` from
    ``sentences.jsonl``; ``aliases``: each canonical id's (language, alias) pairs.

    One pass over the sentences: the search index is streamed out as it is read, and each mention
    and stance is kept in a scratch SQLite table (on disk, beside nothing the corpus holds), from
    which every page is streamed: memory stays flat in the number of documents."""
    from ..text.io import iter_jsonl

    out = Path(annotations) / "html"
    for folder in ("entities", "holders"):
        shutil.rmtree(out / folder, ignore_errors=True)  # a page for every key of this build, no other
    with tempfile.TemporaryDirectory(prefix="cross-pages-") as scratch:
        db = sqlite3.connect(Path(scratch) / "rows.sqlite")
        db.execute("CREATE TABLE mention (ent_id TEXT, label TEXT, doc_id TEXT, kb_id TEXT, row TEXT)")
        db.execute("CREATE TABLE stance (holder TEXT, polarity TEXT, head TEXT, target_id TEXT, target TEXT, "
                   "tail TEXT)")
        with atomic_file(out / "search-index.js") as index:
            index.write(b"var SENTENCES = [")
            for n, s in enumerate(iter_jsonl(Path(annotations) / "sentences.jsonl")):
                row = json.dumps([s["doc_id"], s["sent_id"], s["text"]], ensure_ascii=False, separators=(",", ":"))
                index.write((("," if n else "") + row).encode("utf-8"))
                db.executemany("INSERT INTO mention VALUES (?, ?, ?, ?, ?)",
                               [(e["id"], e["label"], s["doc_id"], e.get("kb_id"), _mention_row(s, e))
                                for e in s["entities"]])
                db.executemany("INSERT INTO stance VALUES (?, ?, ?, ?, ?, ?)",
                               [(st["holder_id"] or st["holder"] or "(none)", st["polarity"],
                                 *_stance_row(s, st)) for st in s["stances"]])
            index.write(b"];\n")
        db.execute("CREATE INDEX mention_by_id ON mention (ent_id)")
        db.execute("CREATE INDEX stance_by_holder ON stance (holder)")
        entity_ids = _write_entities(out / "entities", db, aliases)
        _write_holders(out / "holders", db, entity_ids)
        db.close()
    _write_search_page(out)


def _streamed_page(path: Path, title: str, head: str, rows: Iterable[str], foot: str) -> None:
    """``page(title, head + rows + foot)`` written piece by piece (the rows may not fit in memory)."""
    before, after = page(title, "\x00", root="../").split("\x00")
    with atomic_file(path) as fh:
        fh.write((before + head).encode("utf-8"))
        for row in rows:
            fh.write(row.encode("utf-8"))
        fh.write((foot + after).encode("utf-8"))


def _sentence_link(s: dict[str, Any]) -> str:
    return f'<a href="../{E(s["doc_id"])}.html#{E(s["sent_id"])}">{E(s["sent_id"])}</a>'


def _mention_row(s: dict[str, Any], e: dict[str, Any]) -> str:
    left, match, right = _kwic(s["text"], e["start"] - s["start"], e["end"] - s["start"])
    return (f'<tr><td>{_sentence_link(s)}</td><td class="left">{E(left)}</td>'
            f'<td><mark class="ent {E(e["label"])}">{E(match)}</mark></td><td>{E(right)}</td></tr>')


def _stance_row(s: dict[str, Any], st: dict[str, Any]) -> tuple[str, str | None, str, str]:
    """A stance's table row in three parts: before the target, the target (linked once every entity
    is known), after it."""
    head = (f'<tr><td>{_sentence_link(s)}</td><td><span class="stance {E(st["polarity"])}">'
            f'{E(st["polarity"])}</span></td><td>{E(st["cue"])}</td>')
    flags = " ".join(f for f in ("negated" if st["negated"] else "", "hedged" if st["hedged"] else "") if f)
    return head, st["target_id"], st["target_id"] or st["target"] or "", f'<td>{flags}</td><td>{E(s["text"])}</td></tr>'


def _write_entities(folder: Path, db: sqlite3.Connection, aliases: dict[str, list[tuple[str, str]]]) -> set[str]:
    """A page per entity id and their index; the ids."""
    rows = []
    ids = set()
    summary = db.execute("SELECT ent_id, COUNT(*), COUNT(DISTINCT doc_id) FROM mention GROUP BY ent_id ORDER BY ent_id")
    for ent_id, count, docs in summary.fetchall():
        ids.add(ent_id)
        label, = db.execute("SELECT label FROM mention WHERE ent_id = ? ORDER BY rowid LIMIT 1", (ent_id,)).fetchone()
        kb = db.execute("SELECT kb_id FROM mention WHERE ent_id = ? AND kb_id IS NOT NULL AND kb_id != '' "
                        "ORDER BY rowid LIMIT 1", (ent_id,)).fetchone()
        names = aliases.get(ent_id, [])
        alias_list = ", ".join(f'<span lang="{E(lang)}">{E(name)}</span>' for lang, name in names) or \
            "not in the alias table: found by a pattern"
        link = f' · e-Gov <a href="https://laws.e-gov.go.jp/law/{E(kb[0])}">{E(kb[0])}</a>' if kb else ""
        head = (f"<h1>{E(ent_id)}</h1><p class=\"meta\">{E(label)} · {count} mentions in "
                f"{docs} documents{link}</p><p>Aliases: {alias_list}</p>"
                '<table class="sortable kwic"><thead><tr><th>sentence</th><th>before</th><th>mention</th>'
                "<th>after</th></tr></thead><tbody>")
        kwic = (row for (row,) in db.execute("SELECT row FROM mention WHERE ent_id = ? ORDER BY rowid", (ent_id,)))
        _streamed_page(folder / page_name(ent_id), ent_id, head, kwic, "</tbody></table>")
        rows.append(f'<tr><td><a href="{E(page_name(ent_id))}">{E(ent_id)}</a></td><td>{E(label)}</td>'
                    f"<td>{count}</td><td>{docs}</td></tr>")
    _index_page(folder, "Entities", "Every canonical id with its mentions; column headers sort.",
                ("id", "label", "mentions", "documents"), rows)
    return ids


def _write_holders(folder: Path, db: sqlite3.Connection, entity_ids: set[str]) -> None:
    rows = []
    for (holder,) in db.execute("SELECT DISTINCT holder FROM stance ORDER BY holder").fetchall():
        counts = db.execute("SELECT polarity, COUNT(*) FROM stance WHERE holder = ? GROUP BY polarity "
                            "ORDER BY polarity", (holder,)).fetchall()
        total = sum(n for _, n in counts)
        summary = ", ".join(f"{k} {v}" for k, v in counts)
        entity = f' (<a href="../entities/{E(page_name(holder))}">entity page</a>)' if holder in entity_ids else ""
        head = (f"<h1>{E(holder)}</h1><p class=\"meta\">{total} stances: {E(summary)}{entity}</p>"
                '<table class="sortable"><thead><tr><th>sentence</th><th>polarity</th><th>cue</th><th>target</th>'
                "<th></th><th>text</th></tr></thead><tbody>")
        lines = (f"{start}<td>{_target_cell(target_id, target, entity_ids)}</td>{end}" for start, target_id, target, end
                 in db.execute("SELECT head, target_id, target, tail FROM stance WHERE holder = ? ORDER BY rowid",
                               (holder,)))
        _streamed_page(folder / page_name(holder), f"Stances of {holder}", head, lines, "</tbody></table>")
        rows.append(f'<tr><td><a href="{E(page_name(holder))}">{E(holder)}</a></td><td>{total}</td>'
                    f"<td>{E(summary)}</td></tr>")
    _index_page(folder, "Stance holders", "Every holder (its canonical id, else its text, or AUTHOR) with its stances.",
                ("holder", "stances", "by polarity"), rows)


def _index_page(folder: Path, title: str, intro: str, columns: tuple[str, ...], rows: list[str]) -> None:
    header = "".join(f"<th>{c}</th>" for c in columns)
    body = (f'<h1>{title}</h1><p class="meta">{intro}</p><table class="sortable"><thead><tr>{header}</tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>")
    atomic_write_text(folder / "index.html", page(title, body, root="../"))


def _target_cell(target_id: str | None, target: str, entity_ids: set[str]) -> str:
    if target_id in entity_ids:
        return f'<a href="../entities/{E(page_name(target_id))}">{E(target_id)}</a>'
    return E(target)


SEARCH_JS = """
(function () {
  var box = document.getElementById('q'), out = document.getElementById('results'), note = document.getElementById('count');
  function norm(t) { return t.normalize('NFKC').toLowerCase(); }
  var rows = SENTENCES.map(function (s) { return [norm(s[2]), s]; });
  function show() {
    var q = norm(box.value.trim()), hits = [];
    if (q) { for (var i = 0; i < rows.length && hits.length < 200; i++) { if (rows[i][0].indexOf(q) >= 0) hits.push(rows[i][1]); } }
    out.innerHTML = '';
    hits.forEach(function (s) {
      var li = document.createElement('li'), a = document.createElement('a');
      a.href = s[0] + '.html#' + s[1]; a.textContent = s[1];
      li.appendChild(a); li.appendChild(document.createTextNode(' ' + s[2])); out.appendChild(li);
    });
    note.textContent = q ? hits.length + (hits.length === 200 ? '+' : '') + ' sentences' : '';
  }
  box.addEventListener('input', show);
  var initial = new URLSearchParams(location.search).get('q');
  if (initial) { box.value = initial; }
  show();
})();
"""


def _write_search_page(out: Path) -> None:
    body = ('<h1>Search the sentences</h1><p class="meta">Type a word or a phrase (English or Japanese; case and '
            'full-width forms ignored); it runs in your browser, offline.</p>'
            '<p><input id="q" type="search" size="60" placeholder="e.g. export controls, 経済安全保障" autofocus> '
            '<span id="count"></span></p><ol id="results"></ol><script src="search-index.js"></script>')
    atomic_write_text(out / "search.html", page("Search", body, script=SEARCH_JS))
