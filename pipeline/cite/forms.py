"""Citation forms read whole: statutes, codes and cases, Chicago-style articles, books and
reports, and Japanese 「」『』 citations. Each form is a pattern anchored at the start of a
citation; a match gives its CSL-JSON fields at once (the parser's element-by-element reading in
``parse.py`` takes what no form matches).

Hand-written: the forms are the house styles of legal, academic and Japanese notes, which no
maintained library reads (eyecite reads US case and statute citations only, in English prose).
"""
from __future__ import annotations

import re
from typing import Any, Callable

from ..text.lexicon import word_alternation, word_list
from .authors import is_org, parse_authors
from .dates import find_dates, kanji_numerals
from .types import container_type

_MONTH = r"(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?"
DATE_EN = rf"(?:{_MONTH}\s+\d{{1,2}},\s+\d{{4}}|{_MONTH}\s+\d{{4}}|\d{{4}})"
_END = r"\s*[.;。；]?\s*$"  # a form reads a whole citation: up to the end it is given
_PAGES = r"(?:pp?\.\s*)?(?P<pages>\d+(?:\s*[-–]\s*\d+)?)"
_KANJI_DIGITS = "〇一二三四五六七八九十百千"

Fields = dict[str, Any]


def _date(text: str | None) -> str | None:
    if not text:
        return None
    found = find_dates(kanji_numerals(text))
    if found:
        return found[0][2]
    year = re.search(r"(?<!\d)(1[89]\d\d|20\d\d)(?!\d)", text)  # "(2022): 141", "Fiscal Year 2022"
    return year.group(1) if year else None


def _pages(text: str | None) -> str | None:
    return re.sub(r"\s*[-–]\s*", "-", text) if text else None


def _clean(fields: Fields) -> Fields:
    return {k: v for k, v in fields.items() if v not in (None, "", [])}


def _translated(title: str) -> tuple[str, str | None]:
    """ "Keizai ... Hō [Economic Security Promotion Act]" -> the title and its translation."""
    m = re.fullmatch(r"(?P<title>.+?)\s*\[(?P<tr>[^\[\]]+)\]", title.strip())
    return (m["title"], m["tr"]) if m else (title.strip(), None)


def _is_newspaper(name: str) -> bool:
    return container_type(name.strip()) == "article-newspaper"


# ---------------------------------------------------------------------------------------------
# Laws, codes, cases

_US_CODE = re.compile(r"(?P<vol>\d+)\s+(?P<code>U\.\s?S\.\s?C\.|C\.\s?F\.\s?R\.)\s+(?P<sec>(?:§+|pt\.|part)\s*[\w.-]+)"
                      r"(?:\s*\((?P<year>\d{4})\))?" + _END)
_CASE = re.compile(r"(?P<title>[^,;]*?\sv\.\s[^;]+?),\s+(?P<vol>\d+)\s+"
                   r"(?P<rep>U\.\s?S\.|S\.\s?Ct\.|F\.\s?(?:Supp\.\s?)?\d?[a-z]*\.?|[A-Z][A-Za-z.]*\s?\d?[a-z]*\.?)\s+"
                   r"(?P<page>\d+|_{2,})(?:,\s*\d+(?:[-–]\d+)?)?\s*\((?P<court>[^()]*?)\s*(?P<year>\d{4})\)" + _END)
_ACT_NO = r"Act\s+No\.\s*\d+\s+of\s+\d{4}"
_EN_ACT = re.compile(rf"(?P<title>[^;]+?),\s+(?P<number>{_ACT_NO})(?:\s*\((?:promulgated\s+(?:on\s+)?)?(?P<date>[^()]+)\))?"
                     + _END)
_EN_ACT_PAREN = re.compile(rf"(?P<title>[^;()]+?)\s*\((?P<number>{_ACT_NO})\)" + _END)
_PUB_L = re.compile(r"(?P<title>[^;]+?),\s+(?P<number>Pub\.\s*L\.\s*No\.\s*[\d-]+)"
                    r"(?:,\s*(?P<vol>\d+)\s+Stat\.\s+(?P<page>\d+))?(?:\s*\((?P<date>[^()]+)\))?" + _END)
_SIGNED = re.compile(rf"(?P<title>[^;]*?\b(?:Agreement|Treaty|Convention|Accord|Protocol|Memorandum)\b[^;]*?),"
                     rf"\s+signed\s+(?:on\s+)?(?P<date>{DATE_EN})" + _END)
_JA_NUMBER = (rf"(?:明治|大正|昭和|平成|令和)(?:元|\d{{1,2}}|[{_KANJI_DIGITS}]+)年"
              rf"(?:法律|政令|省令|条約|告示|規則|府令)第[\d{_KANJI_DIGITS}]+号")
_JA_LAW = re.compile(rf"(?:正式名称は)?「?(?P<title>[^「」（）()、。]+?(?:法律|法|政令|省令|規則|条例|条約|府令)(?:案)?)」?"
                     rf"\s*[（(](?P<number>{_JA_NUMBER})[)）]」?(?:\s*[（(](?P<date>[^（）()]+?)(?:公布|施行)[)）])?"
                     r"\s*[。．.；;]?\s*$")


def _us_code(m: re.Match[str]) -> Fields:
    code = re.sub(r"\s", "", m["code"])
    return {"type": "legislation", "title": code, "number": f"{m['vol']} {code} {m['sec']}", "issued": m["year"]}


def _case(m: re.Match[str]) -> Fields:
    return {"type": "legal_case", "title": m["title"].strip(), "container-title": m["rep"].strip(),
            "volume": m["vol"], "page": None if m["page"].startswith("_") else m["page"],
            "authority": m["court"].strip() or None, "issued": m["year"]}


def _en_act(m: re.Match[str]) -> Fields:
    title, translation = _translated(m["title"])
    return {"type": "legislation", "title": title, "title-translation": translation, "number": m["number"],
            "issued": _date(m.groupdict().get("date"))}


def _pub_l(m: re.Match[str]) -> Fields:
    stat = {"container-title": "Stat.", "volume": m["vol"], "page": m["page"]} if m["vol"] else {}
    return {"type": "legislation", "title": m["title"].strip(), "number": re.sub(r"\s+", " ", m["number"]), **stat,
            "issued": _date(m["date"])}


def _signed(m: re.Match[str]) -> Fields:
    return {"type": "legislation", "title": m["title"].strip(), "issued": _date(m["date"])}


def _ja_law(m: re.Match[str]) -> Fields:
    return {"type": "legislation", "title": m["title"], "number": m["number"], "issued": _date(m["date"])}


# ---------------------------------------------------------------------------------------------
# Chicago style: "Title," with its container, or a title with its publication facts

_QUOTED = re.compile(r"(?P<pre>[^\"“;]*?)[,\s]*[\"“](?P<title>[^\"”]+?)[,.]?[\"”](?:\s*\[(?P<tr>[^\]]+)\])?,?\s*"
                     r"(?P<rest>[^;]*?)" + _END)
_PAREN_DATE = re.compile(r"[（(](?P<date>[^（）()]+)[)）]$")
_JOURNAL_RESTS = [
    re.compile(r"(?P<container>[^,]+?)\s+(?P<vol>\d+)(?:\((?P<iss>\d+)\))?(?:,\s*no\.\s*(?P<iss2>\d+))?"
               r"\s*\((?P<date>[^()]+)\)(?::\s*|,\s*)" + _PAGES + "$"),
    re.compile(r"(?P<container>[^,]+?),\s*no\.\s*(?P<iss>\d+)\s*\((?P<date>[^()]+)\)(?::\s*|,\s*)" + _PAGES + "$"),
    re.compile(r"(?P<container>[^,]+?),\s*Vol\.\s*(?P<vol>\d+),\s*No\.\s*(?P<iss>\d+)\s*\((?P<date>[^()]+)\),\s*"
               + _PAGES + "$", re.IGNORECASE),
    re.compile(r"(?P<container>[^,]+?)\s+(?P<vol>\d+)\((?P<iss>\d+)\),\s*(?P<date>\d{4}),\s*" + _PAGES + "$"),
]
_NUMBERED = re.compile(r"(?P<number>(?:Announcement|Notice|Order|Decision|Decree|Notification)\s+No\.\s*[\w-]+"
                       rf"(?:\s+of\s+\d{{4}})?),\s*(?P<date>{DATE_EN})$")
_ACCESSED_URL = re.compile(rf"accessed\s+(?P<date>{DATE_EN}),\s*(?P<url>\S+?)$", re.IGNORECASE)
_ELEMENT_DATE = re.compile(rf"(?:(?P<elem>(?!{_MONTH}\s+\d)[^,]+),\s*)?(?P<date>{DATE_EN})(?:,\s*(?:pp?\.\s*)?(?P<page>\d+(?:[-–]\d+)?))?$")
_GENRE = re.compile(rf"(?:{word_alternation('genre')})", re.IGNORECASE)
_RELEASE = re.compile(r"(?:press|news)\s+release|media\s+note|press\s+statement|readout|fact\s+sheet"
                      r"|(?:cabinet|ministerial)\s+decision|(?:government\s+)?notice|announcement", re.IGNORECASE)
_SERIES = re.compile(r"\b(?:commentary|brief|report|paper|note|analysis|insight|in\s+focus)$", re.IGNORECASE)
_STATEMENT = re.compile(r"\b(?:statement|declaration|communiqu[eé])\b", re.IGNORECASE)
_SPEECH = re.compile(r"^(?:remarks|speech|address|keynote|statement by)\b", re.IGNORECASE)


def _quoted(m: re.Match[str]) -> Fields | None:
    pre = re.sub(r"^(?:see\s+also|see|cf\.)\s+", "", m["pre"].strip(), flags=re.IGNORECASE).strip(" ,")
    rest = m["rest"].strip().rstrip(".")
    title, translation = _translated(m["title"]) if not m["tr"] else (m["title"].strip(), m["tr"])
    fields: Fields = {"title": title, "title-translation": translation}
    if pre and _is_newspaper(pre):
        fields["container-title"] = pre  # Asahi Shimbun, "...": the paper, no author
    elif pre:
        fields["author"] = parse_authors(pre)
    for pattern in _JOURNAL_RESTS:
        j = pattern.match(rest)
        if j:
            container = j["container"].strip()
            return {**fields, "type": "legislation" if container == "Federal Register" else "article-journal",
                    "container-title": container, "volume": j.groupdict().get("vol"),
                    "issue": j.groupdict().get("iss") or j.groupdict().get("iss2"), "issued": _date(j["date"]),
                    "page": _pages(j["pages"])}
    if (n := _NUMBERED.match(rest)):
        return {**fields, "type": "document", "number": n["number"], "issued": _date(n["date"])}
    if (d := _PAREN_DATE.match(rest)):  # "Title"（2021年6月）, in a Japanese note
        return {**fields, "type": "report", "issued": _date(d["date"])}
    if (a := _ACCESSED_URL.match(rest)):  # the type from the URL's domain (parse.citation_type)
        return {**fields, "accessed": _date(a["date"]), "URL": a["url"].rstrip(".").strip("<>")}
    e = _ELEMENT_DATE.match(rest)
    if e is None:
        return None
    elem, issued, page = (e["elem"] or "").strip(), _date(e["date"]), _pages(e["page"])
    title = fields["title"]
    if elem and _RELEASE.fullmatch(elem):
        return {**fields, "type": "document", "genre": elem, "issued": issued, "page": page}
    if elem and _GENRE.fullmatch(elem):  # "Draft document", "Working paper"
        return {**fields, "type": "report", "genre": elem, "issued": issued, "page": page}
    if _SPEECH.match(title) and elem:
        return {**fields, "type": "speech", "publisher": elem, "issued": issued, "page": page}
    if "container-title" in fields or elem and _is_newspaper(elem):
        return {**fields, "type": "article-newspaper", "container-title": fields.get("container-title") or elem,
                "issued": issued, "page": page}
    if elem and _SERIES.search(elem):
        return {**fields, "type": "report", "genre": elem, "issued": issued, "page": page}
    if elem:
        kind = container_type(elem) or "article-newspaper"
        return {**fields, "type": kind, "container-title": elem, "issued": issued, "page": page}
    if _STATEMENT.search(title):
        return {**fields, "type": "document", "issued": issued, "page": page}
    day = issued is not None and issued.count("-") == 2
    return {**fields, "type": "webpage" if day and not page else "report", "issued": issued, "page": page}


_PUBLISHED = re.compile(r"(?P<pre>(?:[^;()]|\(\d{4}\))+?)\s*\((?:(?P<place>[^():;]+?):\s*(?P<pub>[^();]+?),|(?P<place2>[A-Z][a-z]+),)"
                        rf"\s*(?P<date>{DATE_EN}|[^(),;]+)\)(?:,\s*" + _PAGES + ")?" + _END)
_PRESS = re.compile(r"\b(?:Press|Publishing|Publishers|Books|Verlag)\b|出版|書房|書店|有斐閣|新社$|社$")
_REPORT_NUMBER = re.compile(r",\s*(?P<number>[A-Z]{2,}-\d[\w-]*|COM\(\d{4}\)\s*\d+(?:\s+final)?|[A-Z]{1,3}\d{4,})$")


def comma_orgs() -> tuple[str, ...]:
    return word_list("comma_org")


def split_author_title(pre: str) -> tuple[str, str]:
    """ "Ministry of Economy, Trade and Industry, White Paper ..." -> the author and the title: the
    author is a body whose name holds commas (word list ``comma_org``), else the first part."""
    for name in comma_orgs():
        if pre.startswith(name + ","):
            return name, pre[len(name) + 1:].strip()
    author, _, title = pre.partition(",")
    return author.strip(), title.strip()


def _published(m: re.Match[str]) -> Fields | None:
    author, title = split_author_title(m["pre"])
    if not author or not title or not title[:1].isupper() and not title[:1].isdigit():
        return None
    number = _REPORT_NUMBER.search(title)
    if number:
        title = title[:number.start()].strip()
    title, translation = _translated(title)
    author, _ = _translated(author)
    publisher = m["pub"].strip() if m["pub"] else None
    people = [a for a in parse_authors(author) if "family" in a]
    kind = "book" if publisher and _PRESS.search(publisher) and people else "report"
    return {"type": kind, "author": parse_authors(author), "title": title, "title-translation": translation,
            "number": number["number"] if number else None, "publisher": publisher, "issued": _date(m["date"]),
            "page": _pages(m["pages"])}


_FACTS = re.compile(rf"(?P<author>[^,;\"“]+),\s*(?P<title>[A-Z][^,;\"“]+),\s*(?:(?P<pub>[A-Z][^,;\d]*),\s*)?"
                    rf"(?P<date>{DATE_EN})(?:,\s*(?:pp?\.\s*)?(?P<pages>\d+(?:[-–]\d+)?))?" + _END)


def _facts(m: re.Match[str]) -> Fields | None:
    """ "IEA, The Role of ..., IEA, 2021." / "Government of Japan, National Security Strategy of Japan,
    December 16, 2022, p. 27.": a body's report, with no quotation marks or brackets."""
    if not is_org(m["author"].strip()):
        return None
    return {"type": "report", "author": parse_authors(m["author"]), "title": m["title"].strip(),
            "publisher": m["pub"].strip() if m["pub"] else None, "issued": _date(m["date"]),
            "page": _pages(m["pages"])}


_CRS = re.compile(r"(?P<genre>CRS\s+(?:In\s+Focus|Report|Insight|Legal\s+Sidebar))\s+(?P<number>[A-Z]{1,3}\d+),\s*"
                  r"(?P<title>.+?),\s*by\s+(?P<author>[^;]+?)" + _END)


def _crs(m: re.Match[str]) -> Fields:
    return {"type": "report", "genre": m["genre"], "number": m["number"], "title": m["title"].strip(),
            "author": parse_authors(m["author"]), "publisher": "Congressional Research Service"}


# ---------------------------------------------------------------------------------------------
# Japanese: 著者「題」『誌名』巻号（年）、頁

_JA_TITLE = r"「(?P<title>(?:[^「」]|「[^「」]*」)+)」"
_JA_AUTHOR = r"(?P<author>[^「」『』、。；;（）()]*?)"
_JA_ARTICLE = re.compile(_JA_AUTHOR + _JA_TITLE + r"『(?P<container>[^』]+)』(?P<after>[^、，,。；;]*)"
                         r"(?:[、，,]\s*(?P<year>\d{4}年))?(?:[、，,]\s*" + _PAGES + r"頁?)?\s*(?:を参照)?[。．；;]?\s*$")
_JA_BOOK = re.compile(_JA_AUTHOR + r"『(?P<title>[^』]+)』\s*[（(](?P<pub>[^、,，）)]+)[、,，]\s*(?P<date>[^）)]+)[)）]"
                      r"(?:[、，,]\s*" + _PAGES + r"頁)?\s*[。．]?\s*$")
_JA_REPORT = re.compile(_JA_AUTHOR + _JA_TITLE + r"(?:\s*[（(](?P<date>[^（）()]+)[)）])?(?:[、，,]\s*" + _PAGES
                        + r"頁)?\s*(?:を参照)?[。．；;]?\s*$")
_JA_WEB = re.compile(_JA_AUTHOR + _JA_TITLE + r"(?:\s*[（(](?P<date>[^（）()]+)[)）])?[、，,]\s*(?P<url>https?://[^\s（()）]+)"
                     r"\s*[（(](?:(?:最終)?閲覧日?[:：]?\s*(?P<acc>[^（）()]+?)|(?P<acc2>[^（）()]+?)(?:最終)?閲覧)[)）]\s*[。．]?\s*$")
_VOL_ISSUE = [
    re.compile(r"第\s*(?P<vol>\d+)\s*巻\s*(?:第\s*(?P<iss>\d+)\s*号)?"),
    re.compile(r"(?P<vol>\d+)\s*\((?P<iss>\d+)\)"),
    re.compile(r"(?:No\.\s*|第\s*)?(?P<iss>\d+)\s*号?(?=\s*[（(]|$)"),
]
_DOCUMENT_TITLE = re.compile(r"(?:について|の開催|の設置|の公表|の公布)$")


def _ja_article(m: re.Match[str]) -> Fields:
    after = re.sub(r"を参照$", "", m["after"].strip())
    fields: Fields = {"author": parse_authors(m["author"]) if m["author"].strip() else None, "title": m["title"],
                      "container-title": m["container"], "page": _pages(m["pages"])}
    date_part = re.search(r"[（(]([^（）()]*\d{4}[^（）()]*)[)）]", after)  # not 44(3)
    bare = after[:date_part.start()] if date_part else after
    if not date_part and re.match(r"\d{4}年", after):  # 『日本経済新聞』2024年2月24日, 『日経ビジネス』2023年5月号
        weekly = after.endswith("号")
        return {**fields, "type": "article-magazine" if weekly else "article-newspaper", "issued": _date(after)}
    for pattern in _VOL_ISSUE:
        v = pattern.search(bare)
        if v and bare.strip():
            fields["volume"] = v.groupdict().get("vol")
            fields["issue"] = v.groupdict().get("iss")
            break
    issued = _date(date_part.group(1)) if date_part else _date(m["year"])
    return {**fields, "type": "article-journal", "issued": issued}


def _ja_book(m: re.Match[str]) -> Fields:
    return {"type": "book", "author": parse_authors(m["author"]) if m["author"].strip() else None,
            "title": m["title"], "publisher": m["pub"].strip(), "issued": _date(m["date"]), "page": _pages(m["pages"])}


def _ja_web(m: re.Match[str]) -> Fields:
    return {"author": parse_authors(m["author"]) if m["author"].strip() else None,
            "title": m["title"], "issued": _date(m["date"]), "URL": m["url"], "accessed": _date(m["acc"] or m["acc2"])}


def _ja_report(m: re.Match[str]) -> Fields | None:
    if not m["author"].strip():
        return None
    kind = "document" if _DOCUMENT_TITLE.search(m["title"]) else "report"
    return {"type": kind, "author": parse_authors(m["author"]), "title": m["title"], "issued": _date(m["date"]),
            "page": _pages(m["pages"])}


# ---------------------------------------------------------------------------------------------

FORMS: list[tuple[str, re.Pattern[str], Callable[[re.Match[str]], Fields | None]]] = [
    ("us-code", _US_CODE, _us_code),
    ("case", _CASE, _case),
    ("crs", _CRS, _crs),
    ("public-law", _PUB_L, _pub_l),
    ("act-number", _EN_ACT, _en_act),
    ("act-number", _EN_ACT_PAREN, _en_act),
    ("signed", _SIGNED, _signed),
    ("ja-law", _JA_LAW, _ja_law),
    ("ja-web", _JA_WEB, _ja_web),
    ("ja-article", _JA_ARTICLE, _ja_article),
    ("ja-book", _JA_BOOK, _ja_book),
    ("quoted", _QUOTED, _quoted),
    ("published", _PUBLISHED, _published),
    ("facts", _FACTS, _facts),
]


def read_form(text: str, start: int = 0, end: int | None = None) -> tuple[int, Fields] | None:
    """The first citation form that reads all of ``text[start:end]``: where the citation ends,
    and its CSL-JSON fields (without ``language`` and ``span``, which the parser adds)."""
    end = len(text) if end is None else end
    for _, pattern, read in FORMS:
        m = pattern.match(text, start, end)
        if m is None:
            continue
        fields = read(m)
        if fields is not None:
            return m.end(), _clean(fields)
    return None


def read_ja_report(text: str, start: int = 0, end: int | None = None) -> tuple[int, Fields] | None:
    """The Japanese report form (著者「題」（年月）), tried after the parser has ruled out a URL in it."""
    m = _JA_REPORT.match(text, start, len(text) if end is None else end)
    fields = _ja_report(m) if m else None
    return (m.end(), _clean(fields)) if m and fields else None
