"""Pattern and lexicon data files, read in one way: UTF-8, '#' comments and blank lines skipped."""
from __future__ import annotations

import json
from importlib import resources
from typing import Any, Iterator


def read_text(name: str) -> str:
    return resources.files(__name__).joinpath(name).read_text(encoding="utf-8")


def rows(name: str, min_fields: int = 1) -> Iterator[tuple[int, list[str]]]:
    """(line number, tab-separated fields) of every data line of ``name``."""
    for lineno, line in enumerate(read_text(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < min_fields:
            raise ValueError(f"pipeline/patterns/{name} line {lineno}: expected {min_fields} tab-separated fields")
        yield lineno, fields


def json_rows(name: str) -> Iterator[Any]:
    """The JSON value on every data line of ``name`` (a JSONL file)."""
    for lineno, line in enumerate(read_text(name).splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            yield json.loads(line)
        except json.JSONDecodeError as exc:
            raise ValueError(f"pipeline/patterns/{name} line {lineno}: {exc.msg}") from None
