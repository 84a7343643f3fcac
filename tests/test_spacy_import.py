"""``pipeline`` defers spaCy's command-line package (``spacy.cli``), which ``import spacy`` would
load only for ``spacy.info``; everything of it must still work when asked for."""
import subprocess
import sys

import pytest


def _run(code: str) -> str:
    """``code`` in a fresh interpreter: this test process may have imported spaCy already."""
    return subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout


def test_importing_spacy_after_pipeline_leaves_out_its_command_line_package():
    out = _run("import sys, pipeline, spacy, spacy.tokens, pipeline.tag\n"
               "print(sorted(m for m in sys.modules if m.startswith(('spacy.cli', 'typer', 'weasel'))))")
    assert out.strip() == "['spacy.cli.info']"  # the stand-in alone


@pytest.mark.parametrize("code", [
    # spacy.info() runs the real function
    "import pipeline, spacy, sys\nresult = spacy.info()\nreal_info = sys.modules['spacy.cli.info'].info\n"
    "assert spacy.info is not real_info and result == real_info()",
    # any other name of spacy.cli.info is the real module's
    "import pipeline, spacy, sys\nfrom spacy.cli.info import info_spacy, info_model\n"
    "assert info_spacy.__module__ == 'spacy.cli.info'\n"
    "assert type(sys.modules['spacy.cli.info']).__name__ == 'module'",
    # the whole command-line package still imports, with all its commands
    "import pipeline, spacy, spacy.cli\nfrom spacy.cli import download, init_config\n"
    "from spacy.cli._util import app\nassert 'info' in [c.name for c in app.registered_commands]\n"
    "assert spacy.cli.info.__module__ == 'spacy.cli.info' and callable(download)",
    # spaCy imported first: nothing is deferred
    "import spacy, sys, pipeline\nassert 'spacy.cli' in sys.modules\n"
    "assert type(sys.modules['spacy.cli.info']).__name__ == 'module'",
])
def test_the_deferred_command_line_package_still_works(code):
    _run(code)
