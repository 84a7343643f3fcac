"""Citations: footnotes split into cited works parsed to CSL-JSON (dates, authors, titles, ...)."""
from .dates import find_dates, parse_date
from .parse import parse_citation, parse_footnote
from .resolve import referred_work, resolve_ibid, work_id, work_key

__all__ = ["find_dates", "parse_citation", "parse_date", "parse_footnote", "referred_work", "resolve_ibid", "work_id",
           "work_key"]
