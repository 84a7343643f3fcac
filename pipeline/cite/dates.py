"""Dates in notes: English and Japanese forms, Japanese eras, as ISO dates."""
from __future__ import annotations

import datetime
import re

from ..text.lexicon import word_values

MONTHS = {m: i for i, m in enumerate(
    ["january", "february", "march", "april", "may", "june", "july", "august", "september",
     "october", "november", "december"], 1)}

MONTHS.update({m[:3]: i for m, i in list(MONTHS.items())})
MONTHS["sept"] = 9
_MONTH = r"(?P<month>(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)[a-z]*\.?)"
ERAS = {era: int(year) for era, year in word_values("era").items()}
DATE_PATTERNS = [
    re.compile(_MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})\b"),
    re.compile(r"\b(?P<day>\d{1,2})(?:st|nd|rd|th)?\s+" + _MONTH + r",?\s+(?P<year>\d{4})\b"),
    re.compile(_MONTH + r",?\s+(?P<year>\d{4})\b"),
    re.compile(r"(?P<era>" + "|".join(ERAS) + r")\s*(?P<eyear>元|\d{1,2})年(?:\s*(?P<month>\d{1,2})月(?:\s*(?P<day>\d{1,2})日)?)?"),
    re.compile(r"(?P<year>\d{4})年(?:\s*(?P<month>\d{1,2})月(?:\s*(?P<day>\d{1,2})日)?)?"),
    re.compile(r"\b(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})\b"),
    re.compile(r"\b(?P<year>\d{4})/(?P<month>\d{1,2})/(?P<day>\d{1,2})\b"),
]


def _date_from_match(m: re.Match[str]) -> str | None:
    g = m.groupdict()
    if g.get("era"):
        year = ERAS[g["era"]] + (1 if g["eyear"] == "元" else int(g["eyear"]))
    else:
        year = int(g["year"])
    month = g.get("month")
    if month and not month.isdigit():
        month = MONTHS.get(month.rstrip(".").lower()[:4].rstrip("t") if month.lower().startswith("sept")
                           else month.rstrip(".").lower()[:3])
    month_n = int(month) if month else None
    day_n = int(g["day"]) if g.get("day") else None
    if not 1000 <= year <= 2999 or (month_n and not 1 <= month_n <= 12) or (day_n and not 1 <= day_n <= 31):
        return None
    if month_n and day_n:
        try:
            datetime.date(year, month_n, day_n)  # no February 30
        except ValueError:
            return None
        return f"{year:04d}-{month_n:02d}-{day_n:02d}"
    if month_n:
        return f"{year:04d}-{month_n:02d}"
    return f"{year:04d}"


def find_dates(text: str) -> list[tuple[int, int, str]]:
    """All dates in ``text`` as (start, end, ISO date), longest match first at each place."""
    found: list[tuple[int, int, str]] = []
    taken = [False] * (len(text) + 1)
    for pattern in DATE_PATTERNS:
        for m in pattern.finditer(text):
            if any(taken[m.start():m.end()]):
                continue
            iso = _date_from_match(m)
            if iso:
                found.append((m.start(), m.end(), iso))
                for i in range(m.start(), m.end()):
                    taken[i] = True
    return sorted(found)


def parse_date(text: str) -> str | None:
    """ISO date (YYYY, YYYY-MM or YYYY-MM-DD) of the first date in ``text``."""
    dates = find_dates(text)
    return dates[0][2] if dates else None


_KANJI_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_NUMBER = re.compile("[〇一二三四五六七八九十百]+(?=[年月日号])")


def _kanji_value(numeral: str) -> int:
    """三十一 -> 31, 十八 -> 18, 二〇二二 -> 2022 (digit by digit when it has no 十 or 百)."""
    if "十" not in numeral and "百" not in numeral:
        return int("".join(str(_KANJI_VALUE[c]) for c in numeral))
    total, current = 0, 0
    for c in numeral:
        if c in ("十", "百"):
            total += (current or 1) * (10 if c == "十" else 100)
            current = 0
        else:
            current = _KANJI_VALUE[c]
    return total + current


def kanji_numerals(text: str) -> str:
    """``text`` with kanji numbers before 年, 月, 日 or 号 written in digits (令和四年五月十八日 ->
    令和4年5月18日), so that the date patterns read them."""
    return _KANJI_NUMBER.sub(lambda m: str(_kanji_value(m.group())), text)
