"""The corpus pipeline: one module per stage (clean, segment, citations, tag, export)."""
from __future__ import annotations

import importlib
import sys
import types
from typing import Any


class _DeferredSpacyInfo(types.ModuleType):
    """Stands in for ``spacy.cli.info`` until something uses it.

    ``import spacy`` imports the ``spacy.cli`` package (every command: typer, weasel, requests,
    httpx, jinja2 ...) only to re-export ``spacy.info``: 0.15 s of the 0.47 s import, paid by every
    process of a ``make`` that tags a document. With this module in ``sys.modules`` first, spaCy
    takes a deferred ``info`` from here, and the real ``spacy.cli.info`` is imported the first time
    ``spacy.info()`` is called, any other name of the module is read, or ``spacy.cli`` itself is
    imported (whose commands then include ``info``)."""

    def __init__(self) -> None:
        super().__init__("spacy.cli.info")

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):  # the import system probes __path__ etc.: not the module's names
            raise AttributeError(name)
        if name == "info" and "spacy.cli" not in sys.modules:  # spaCy's own import: defer
            return _deferred_info
        return getattr(_real_spacy_info(), name)


def _deferred_info(*args: Any, **kwargs: Any) -> Any:
    """``spacy.info``, importing spaCy's command-line package when first called."""
    return _real_spacy_info().info(*args, **kwargs)


def _real_spacy_info() -> types.ModuleType:
    if isinstance(sys.modules.get("spacy.cli.info"), _DeferredSpacyInfo):
        del sys.modules["spacy.cli.info"]
    return importlib.import_module("spacy.cli.info")


if "spacy" not in sys.modules:
    sys.modules.setdefault("spacy.cli.info", _DeferredSpacyInfo())
