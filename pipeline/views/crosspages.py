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
from collections import defaultdict
from pathlib import Path
from typing import Any, Iterable

from ..text.io import atomic_write_text
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
    ``sentences.jsonl``; ``aliases``: each canonical id's (language, alias) pairs."""
    from ..text.io import iter_jsonl

    out = Path(annotations) / "html"
    sentences = list(iter_jsonl(Path(annotations) / "sentences.jsonl"))
    mentions: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    holders: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]] = defaultdict(list)
    for s in sentences:
        for e in s["entities"]:
            mentions[e["id"]].append((s, e))
        for st in s["stances"]:
            holders[st["holder_id"] or st["holder"] or "(none)"].append((s, st))
    for folder in ("entities", "holders"):
        shutil.rmtree(out / folder, ignore_errors=True)  # a page for every key of this build, no other
    _write_entities(out / "entities", mentions, aliases)
    _write_holders(out / "holders", holders, mentions)
    _write_search(out, sentences)


def _sentence_link(s: dict[str, Any]) -> str:
    return f'<a href="../{E(s["doc_id"])}.html#{E(s["sent_id"])}">{E(s["sent_id"])}</a>'


def _write_entities(folder: Path, mentions: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]],
                    aliases: dict[str, list[tuple[str, str]]]) -> None:
    rows = []
    for ent_id, found in sorted(mentions.items()):
        label = found[0][1]["label"]
        docs = sorted({s["doc_id"] for s, _ in found})
        kwic = []
        for s, e in found:
            left, match, right = _kwic(s["text"], e["start"] - s["start"], e["end"] - s["start"])
            kwic.append(f'<tr><td>{_sentence_link(s)}</td><td class="left">{E(left)}</td>'
                        f'<td><mark class="ent {E(label)}">{E(match)}</mark></td><td>{E(right)}</td></tr>')
        names = aliases.get(ent_id, [])
        alias_list = ", ".join(f'<span lang="{E(lang)}">{E(name)}</span>' for lang, name in names) or \
            "not in the alias table: found by a pattern"
        kb = next((e.get("kb_id") for _, e in found if e.get("kb_id")), None)
        link = f' · e-Gov <a href="https://laws.e-gov.go.jp/law/{E(kb)}">{E(kb)}</a>' if kb else ""
        body = (f"<h1>{E(ent_id)}</h1><p class=\"meta\">{E(label)} · {len(found)} mentions in "
                f"{len(docs)} documents{link}</p><p>Aliases: {alias_list}</p>"
                '<table class="sortable kwic"><thead><tr><th>sentence</th><th>before</th><th>mention</th>'
                f"<th>after</th></tr></thead><tbody>{''.join(kwic)}</tbody></table>")
        atomic_write_text(folder / page_name(ent_id), page(ent_id, body, root="../"))
        rows.append(f'<tr><td><a href="{E(page_name(ent_id))}">{E(ent_id)}</a></td><td>{E(label)}</td>'
                    f"<td>{len(found)}</td><td>{len(docs)}</td></tr>")
    body = ("<h1>Entities</h1><p class=\"meta\">Every canonical id with its mentions; column headers sort.</p>"
            '<table class="sortable"><thead><tr><th>id</th><th>label</th><th>mentions</th><th>documents</th></tr>'
            f"</thead><tbody>{''.join(rows)}</tbody></table>")
    atomic_write_text(folder / "index.html", page("Entities", body, root="../"))


def _write_holders(folder: Path, holders: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]],
                   mentions: dict[str, list[tuple[dict[str, Any], dict[str, Any]]]]) -> None:
    rows = []
    for holder, found in sorted(holders.items()):
        counts: dict[str, int] = defaultdict(int)
        lines = []
        for s, st in found:
            counts[st["polarity"]] += 1
            target = st["target_id"] or st["target"] or ""
            if st["target_id"] in mentions:
                target = f'<a href="../entities/{E(page_name(st["target_id"]))}">{E(st["target_id"])}</a>'
            else:
                target = E(target)
            flags = " ".join(f for f in ("negated" if st["negated"] else "", "hedged" if st["hedged"] else "") if f)
            lines.append(f'<tr><td>{_sentence_link(s)}</td><td><span class="stance {E(st["polarity"])}">'
                         f'{E(st["polarity"])}</span></td><td>{E(st["cue"])}</td><td>{target}</td><td>{flags}</td>'
                         f'<td>{E(s["text"])}</td></tr>')
        summary = ", ".join(f"{k} {v}" for k, v in sorted(counts.items()))
        entity = f' (<a href="../entities/{E(page_name(holder))}">entity page</a>)' if holder in mentions else ""
        body = (f"<h1>{E(holder)}</h1><p class=\"meta\">{len(found)} stances: {E(summary)}{entity}</p>"
                '<table class="sortable"><thead><tr><th>sentence</th><th>polarity</th><th>cue</th><th>target</th>'
                f"<th></th><th>text</th></tr></thead><tbody>{''.join(lines)}</tbody></table>")
        atomic_write_text(folder / page_name(holder), page(f"Stances of {holder}", body, root="../"))
        rows.append(f'<tr><td><a href="{E(page_name(holder))}">{E(holder)}</a></td><td>{len(found)}</td>'
                    f"<td>{E(summary)}</td></tr>")
    body = ("<h1>Stance holders</h1><p class=\"meta\">Every holder (its canonical id, else its text, or AUTHOR) "
            'with its stances.</p><table class="sortable"><thead><tr><th>holder</th><th>stances</th>'
            f"<th>by polarity</th></tr></thead><tbody>{''.join(rows)}</tbody></table>")
    atomic_write_text(folder / "index.html", page("Stance holders", body, root="../"))


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


def _write_search(out: Path, sentences: Iterable[dict[str, Any]]) -> None:
    index = [[s["doc_id"], s["sent_id"], s["text"]] for s in sentences]
    atomic_write_text(out / "search-index.js",
                      "var SENTENCES = " + json.dumps(index, ensure_ascii=False, separators=(",", ":")) + ";\n")
    body = ('<h1>Search the sentences</h1><p class="meta">Type a word or a phrase (English or Japanese; case and '
            'full-width forms ignored); it runs in your browser, offline.</p>'
            '<p><input id="q" type="search" size="60" placeholder="e.g. export controls, 経済安全保障" autofocus> '
            '<span id="count"></span></p><ol id="results"></ol><script src="search-index.js"></script>')
    atomic_write_text(out / "search.html", page("Search", body, script=SEARCH_JS))
