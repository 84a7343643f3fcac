"""``python -m pipeline``: the command line (``cli.py``)."""
from .cli import run

raise SystemExit(run())
