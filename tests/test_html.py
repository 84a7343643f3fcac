"""The static site: structure of the pages, and a real load in headless Chromium."""
from __future__ import annotations

import re
import shutil
import subprocess
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st


DOC = "000_3f07d82da313b0d5"


@pytest.fixture(scope="module")
def site(seed_build):
    return seed_build / "annotations" / "html"


class Collector(HTMLParser):
    def __init__(self):
        super().__init__()
        self.tags: list[tuple[str, dict]] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def parse(path):
    c = Collector()
    c.feed(path.read_text(encoding="utf-8"))
    return c.tags


def test_every_page_exists_and_is_self_contained(site):
    for name in ("index.html", "citations.html", f"{DOC}.html", "001_bb8bacf331d9a962.html"):
        text = (site / name).read_text(encoding="utf-8")
        assert "<style>" in text and "<script>" in text
        assert not re.search(r'(src|href)="https?://[^"]*\.(css|js)"', text)  # works offline


def test_document_page_shows_every_annotation(site, seed_build):
    import json

    tags = parse(site / f"{DOC}.html")
    marks = [a for t, a in tags if t == "mark" and "data-id" in a]  # (the legend's marks have none)
    entity_ids = {a["data-id"] for a in marks}
    sentences = [json.loads(l) for l in (seed_build / "annotations" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    expected = {e["id"] for s in sentences if s["doc_id"] == DOC for e in s["entities"]}
    assert entity_ids == expected
    refs = [a["href"] for t, a in tags if t == "a" and a.get("href", "").startswith("#fn")]
    notes = {a["id"] for t, a in tags if t == "li" and a.get("id", "").startswith("fn")}
    assert refs and set(h[1:] for h in refs) <= notes and len(notes) == 17
    assert len(refs) == 16  # one footnote has no marker in the source
    stances = [a for t, a in tags if t == "span" and "stance" in a.get("class", "")]
    assert any("hardline" in a["class"] and "Kobayashi" in a.get("title", "") for a in stances)


def test_citation_table_links_back_to_footnotes(site, seed_build):
    tags = parse(site / "citations.html")
    rows = [a["id"] for t, a in tags if t == "tr" and "id" in a]
    assert len(rows) == len((seed_build / "annotations" / "citation_index.jsonl").read_text().splitlines())
    links = [a["href"] for t, a in tags if t == "a" and ".html#fn" in a.get("href", "")]
    assert links and all((site / link.split("#")[0]).exists() for link in links)
    assert any(t == "table" and "sortable" in a.get("class", "") for t, a in tags)


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync"]


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)")
def test_pages_load_in_headless_chromium(tmp_path, site):
    page = (site / f"{DOC}.html").as_uri()
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page],
                         capture_output=True, text=True, timeout=120).stdout
    assert '<mark class="ent ORG"' in dom and 'href="#fn2"' in dom and 'class="stance hardline"' in dom
    shot = tmp_path / "page.png"
    subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile2'}", "--window-size=1200,1600",
                    f"--screenshot={shot}", page], capture_output=True, timeout=120)
    data = shot.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000


def test_stats_tables_and_plot(seed_build):
    stats = seed_build / "annotations" / "stats"
    header = (stats / "entities_corpus.csv").read_text().splitlines()[0]
    assert header == "label,id,count"
    polarity = (stats / "stance_polarity_by_document.csv").read_text().splitlines()
    assert polarity[0] == "doc_id,support,oppose,hardline,conciliatory,concern" and len(polarity) == 3
    assert (stats / "stance_polarity.png").read_bytes()[:4] == b"\x89PNG"


def test_stats_plot_switches_to_a_heat_map_for_large_corpora():
    """Past 40 documents the plot is a fixed-size heat map: same bytes for the same table."""
    from pipeline.text.labels import POLARITIES
    from pipeline.views.plot import plot_polarity
    from pipeline.views.stats import Table

    def table(n):
        return Table(("doc_id", *POLARITIES), [(f"doc{i:03d}", i % 3, 1, 0, 2, i % 5) for i in range(n)])

    small, large, larger = plot_polarity(table(5).rows), plot_polarity(table(50).rows), plot_polarity(table(500).rows)
    assert all(png[:8] == b"\x89PNG\r\n\x1a\n" for png in (small, large, larger))
    assert plot_polarity(table(50).rows) == large

    def width_height(png: bytes) -> tuple[int, int]:  # from the PNG's IHDR chunk
        return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")

    assert width_height(large) == width_height(larger) == (600, 800)  # 6 x 8 in at 100 dpi, whatever n


def test_stats_plot_is_redrawn_only_when_its_table_changes(tmp_path, monkeypatch, seed_build):
    """An unchanged polarity table keeps the plot's bytes (matplotlib is not run) but renews its
    mtime, so make sees it up to date; a changed table, or a damaged PNG, redraws it."""
    import os

    from pipeline.views import stats
    from pipeline.text.io import read_fragments

    docs = read_fragments(sorted((seed_build / "build").glob("*/export")), "stats.json")
    stats.write_stats(docs, tmp_path, echo=False)
    png = tmp_path / "stance_polarity.png"
    first = png.read_bytes()
    assert stats.stored_plot_key(png) == stats.plot_key((tmp_path / "stance_polarity_by_document.csv").read_text())
    os.utime(png, (1, 1))

    def must_not_draw(*args, **kwargs):
        raise AssertionError("the plot was redrawn from an unchanged table")

    with monkeypatch.context() as m:
        m.setattr(stats, "plot_polarity", must_not_draw)
        stats.write_stats(docs, tmp_path, echo=False)
    assert png.read_bytes() == first and png.stat().st_mtime > 1

    fewer = docs[:1]  # one document fewer: another table
    stats.write_stats(fewer, tmp_path, echo=False)
    assert png.read_bytes() != first
    stats.write_stats(docs, tmp_path, echo=False)
    assert png.read_bytes() == first  # drawn again, the same bytes as the first time

    for damaged in (first[:100], first[:-30], b"not a png"):  # truncated in its key, in its data
        png.write_bytes(damaged)
        stats.write_stats(docs, tmp_path, echo=False)
        assert png.read_bytes() == first


def _pandas_tables(docs):
    """The tables as pandas makes them (groupby sums, a pivot): the oracle for ``stats.tables``."""
    import pandas as pd

    from pipeline.text.labels import POLARITIES

    def frame(key, columns):
        return pd.DataFrame([(d["doc_id"], *row) for d in docs for row in d[key]], columns=["doc_id", *columns, "n"])

    def count(rows, keys):
        return rows.groupby(keys, dropna=False, sort=True)["n"].sum().reset_index(name="count")

    ents = frame("entities", ["label", "id"])
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
    csv = {name: t.to_csv(index=False, lineterminator="\n") for name, t in out.items()}
    polarity = (out["stances_by_document"].pivot_table(index="doc_id", columns="polarity", values="count",
                                                       aggfunc="sum", fill_value=0)
                .reindex(index=[d["doc_id"] for d in docs], columns=list(POLARITIES), fill_value=0))
    polarity.columns.name, polarity.index.name = None, "doc_id"
    csv["stance_polarity_by_document"] = polarity.to_csv(lineterminator="\n")
    return csv


def _written_csv(docs):
    """The CSV files ``write_stats`` writes, streaming the fragments (in doc_id order): the
    per-document tables joined from the fragments' own CSV lines, the corpus tables from their rows."""
    import tempfile
    from unittest import mock

    from pipeline.views import stats

    with tempfile.TemporaryDirectory() as out, mock.patch.object(stats, "plot_polarity", return_value=b""):
        stats.write_stats(iter(docs), out, echo=False)
        return {p.stem: p.read_text(encoding="utf-8") for p in Path(out).glob("*.csv")}


def test_stats_tables_are_what_pandas_makes_of_the_seeds(seed_build):
    from pipeline.text.io import read_fragments
    from pipeline.views.stats import tables

    docs = read_fragments(sorted((seed_build / "build").glob("*/export")), "stats.json")
    assert all("csv" in d for d in docs)
    expected = _pandas_tables(docs)
    assert {name: t.to_csv() for name, t in tables(docs).items()} == expected
    assert _written_csv(docs) == expected
    assert _written_csv([{k: v for k, v in d.items() if k != "csv"} for d in docs]) == expected  # older fragments
    for name, text in expected.items():
        assert (seed_build / "annotations" / "stats" / f"{name}.csv").read_text(encoding="utf-8") == text


_words = st.sampled_from(["a", "b", "B", "日本", "x, y", 'say "no"', "", "z" * 3])
_maybe = st.one_of(st.none(), _words)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.fixed_dictionaries({
    "entities": st.lists(st.tuples(st.sampled_from(["ORG", "LAW", "GPE"]), _words), max_size=8),
    "stances": st.lists(st.tuples(_words, _words, st.sampled_from(["support", "oppose", "concern"])), max_size=8),
    "citations": st.lists(st.tuples(_maybe, _maybe, _words), max_size=8),
}), min_size=1, max_size=5))
def test_stats_tables_are_what_pandas_makes(mentions):
    """Made-up mentions, with missing values, repeated keys, commas and quotes, counted per
    document as the tag stage counts them (``export.stats_fragment``): the same CSV bytes as
    pandas' groupby and pivot of the uncounted mentions, from the tables and as written."""
    from collections import Counter

    from pipeline.export.fragments import stats_fragment
    from pipeline.views.stats import tables

    raw = [{"doc_id": f"d{i}", **{k: [[*r, 1] for r in rows] for k, rows in m.items()}} for i, m in enumerate(mentions)]
    fragments = [stats_fragment(f"d{i}", {k: Counter(rows) for k, rows in m.items()}) for i, m in enumerate(mentions)]
    expected = _pandas_tables(raw)
    assert {name: t.to_csv() for name, t in tables(fragments[::-1]).items()} == expected
    assert _written_csv(fragments) == expected


def test_stats_fragments_out_of_order_are_refused(tmp_path):
    from pipeline.export.fragments import stats_fragment
    from pipeline.views.stats import write_stats

    docs = [stats_fragment(d, {"entities": {}, "stances": {}, "citations": {}}) for d in ("b", "a")]
    with pytest.raises(ValueError, match="out of doc_id order: a after b"):
        write_stats(iter(docs), tmp_path, echo=False)
    assert not list(tmp_path.glob("*.csv"))  # nothing half-written


def test_entity_pages_list_every_mention_in_context(site, seed_build):
    import json

    from pipeline.views.crosspages import page_name

    sentences = [json.loads(l) for l in (seed_build / "annotations" / "sentences.jsonl").read_text(encoding="utf-8").splitlines()]
    mentions: dict = {}
    for s in sentences:
        for e in s["entities"]:
            mentions.setdefault(e["id"], []).append(s["sent_id"])
    assert len(list((site / "entities").glob("*.html"))) == len(mentions) + 1  # and the index
    tags = parse(site / "entities" / page_name("org:meti"))
    links = [a["href"] for t, a in tags if t == "a" and a.get("href", "").startswith("../0")]
    assert sorted(h.split("#")[1] for h in links) == sorted(mentions["org:meti"])
    assert all((site / "entities" / h.split("#")[0]).resolve().exists() for h in links)
    text = (site / "entities" / page_name("org:meti")).read_text(encoding="utf-8")
    assert "経済産業省" in text and "Ministry of Economy, Trade and Industry" in text  # aliases in both languages
    index = parse(site / "entities" / "index.html")
    assert sum(1 for t, a in index if t == "a" and a.get("href", "").endswith(".html") and "/" not in a["href"]) \
        >= len(mentions)


def test_holder_pages_list_their_stances(site, seed_build):
    from pipeline.views.crosspages import page_name

    text = (site / "holders" / page_name("person:kobayashi-takayuki")).read_text(encoding="utf-8")
    assert "advocated a tough stance" in text and 'class="stance hardline"' in text
    assert page_name("政府") != page_name("政 府") and page_name("政府").endswith(".html")


@pytest.mark.skipif(CHROMIUM is None, reason="headless Chromium not installed (Debian package 'chromium'; .ci/run installs it)")
def test_search_runs_offline_in_headless_chromium(tmp_path, site):
    page = (site / "search.html").as_uri() + "?q=export%20control"
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile'}", "--dump-dom", page],
                         capture_output=True, text=True, timeout=120).stdout
    hits = re.findall(r'<li><a href="([^"]+)">[^<]+</a> ([^<]+)</li>', dom)
    assert hits and all("export control" in text.lower() for _, text in hits)
    assert all((site / href.split("#")[0]).exists() for href, _ in hits)
    dom = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={tmp_path / 'profile2'}", "--dump-dom",
                          (site / "search.html").as_uri() + "?q=%EF%BD%8D%EF%BD%85%EF%BD%94%EF%BD%89"],
                         capture_output=True, text=True, timeout=120).stdout
    hits = re.findall(r'<li><a href="([^"]+)">[^<]+</a> ([^<]+)</li>', dom)
    assert hits and all("meti" in text.lower() for _, text in hits)  # ｍｅｔｉ: full width and case ignored
