"""Japanese laws' official numbers and the e-Gov law ids derived from them (kb_id)."""
from __future__ import annotations

import functools
import re
import unicodedata
from typing import Any, Iterable

from .. import patterns
from ..records import EGOV_LAW_URL
from ..cite.dates import kanji_numerals
from .aliases import alias_index, alias_key

_ERA_DIGIT = {"明治": 1, "大正": 2, "昭和": 3, "平成": 4, "令和": 5}
_LAW_NUMBER = re.compile(r"(明治|大正|昭和|平成|令和)(元|\d{1,2})年法律第(\d{1,4})号")
EGOV_ID = re.compile(r"[1-5]\d{2}AC\d{10}")


def egov_law_id(number: str) -> str | None:
    """e-Gov's id of an act from its official number: 令和4年法律第43号 -> 504AC0000000043 (era
    digit, two-digit year, AC for an act, the number zero-padded to ten digits); None for a
    number of another kind (a cabinet order's ids are not derived here)."""
    m = _LAW_NUMBER.fullmatch(kanji_numerals(unicodedata.normalize("NFKC", number).strip()))
    if m is None:
        return None
    era, year, serial = m.groups()
    return f"{_ERA_DIGIT[era]}{1 if year == '元' else int(year):02d}AC{int(serial):010d}"


def egov_url(kb_id: str) -> str:
    return EGOV_LAW_URL.format(kb_id)


@functools.lru_cache(maxsize=1)
def law_numbers() -> dict[str, str]:
    """Law id -> official number, from ``law_numbers.tsv``."""
    table: dict[str, str] = {}
    for n, parts in patterns.rows("law_numbers.tsv", min_fields=2):
        if egov_law_id(parts[1]) is None:
            raise ValueError(f"pipeline/patterns/law_numbers.tsv line {n}: {parts[1]!r} is no law number")
        table[parts[0]] = parts[1]
    return table


def cited_law_numbers(citations: Iterable[dict[str, Any]]) -> dict[str, str]:
    """Law id -> official number from a document's own citations of listed laws (a legislation
    citation with a number whose title is an alias)."""
    index = alias_index()
    found: dict[str, str] = {}
    for c in citations:
        number = c.get("number")
        known = index.get(alias_key(c.get("title", "")))
        if number and known and known[1] == "LAW" and egov_law_id(number):
            found.setdefault(known[0], number)
    return found
