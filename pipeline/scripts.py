"""Unicode ranges of Japanese script, shared by cleaning and segmentation (a module of its own so
that segmentation does not import the cleaning stage and ftfy with it)."""
from __future__ import annotations

KANA_RANGES = "\u3040-\u30ff\u31f0-\u31ff"
IDEOGRAPH_RANGES = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff"
# Japanese and other CJK script, including Japanese punctuation and full-width forms.
CJK_CHARS = "\u3000-\u303f" + KANA_RANGES + IDEOGRAPH_RANGES + "\uff00-\uffef"
