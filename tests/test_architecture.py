"""The package's shape: no module uses another module's private names, no library's private
internals, and the public API imports without loading a stage."""
from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

SOURCES = sorted((ROOT / "pipeline").rglob("*.py")) + sorted((ROOT / "benchmarks").rglob("*.py"))


def _module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _resolve(module: str, node: ast.ImportFrom, path: Path) -> str:
    if not node.level:
        return node.module or ""
    package = _module_name(path).split(".")
    if path.name != "__init__.py":
        package = package[:-1]
    base = package[:len(package) - node.level + 1]
    return ".".join(base + ([node.module] if node.module else []))


def test_no_module_imports_another_modules_private_names():
    offences = []
    for path in SOURCES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom):
                source = _resolve(_module_name(path), node, path)
                offences += [f"{path.relative_to(ROOT)}: {source}.{a.name}" for a in node.names
                             if a.name.startswith("_") and not a.name.startswith("__")]
    assert offences == []


def test_no_private_internals_of_libraries():
    """What issue 21 removed stays removed: spaCy's, ftfy's and Python's private names."""
    forbidden = ("sys.modules[", "re._parser", "_match_label_id_map", "os._exit", "struct.pack", "msgpack",
                 "re._constants")
    found = [f"{p.relative_to(ROOT)}: {word}" for p in SOURCES for word in forbidden
             if word in p.read_text(encoding="utf-8")]
    assert found == []


def test_no_regex_searches_the_whole_text_before_a_position():
    """``re.search(r"(\\S*)$", text[:i])`` at each position is quadratic in the text's length:
    ``text.words.word_before`` scans back instead."""
    found = [str(p.relative_to(ROOT)) for p in SOURCES if r'(\S*)$"' in p.read_text(encoding="utf-8")
             and p.name != "words.py"]
    assert found == []


def test_importing_the_api_loads_no_stage():
    """``import pipeline`` is imports only: no spaCy, ftfy or pypdfium2 until a stage runs."""
    code = ("import sys, pipeline\n"
            "print(sorted(m for m in ('spacy', 'ftfy', 'pypdfium2', 'sudachipy') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == "[]"


def readme_python_blocks(after: str) -> list[str]:
    """The ```python blocks of the README that follow the line starting ``after``."""
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    text = text[text.index(after):]
    return [block.split("```", 1)[0] for block in text.split("```python\n")[1:]]


def test_readme_python_api_example_runs_and_says_what_it_returns():
    """The README's API example, run; each line ending in a comment that is a Python literal must
    evaluate to it (with a trailing ``...`` in a list: a prefix of it)."""
    block = readme_python_blocks("**Python API.**")[0]
    namespace: dict = {}
    exec(block, namespace)  # noqa: S102 (our own README)
    checked = 0
    for line in block.splitlines():
        code, _, comment = line.partition("  # ")
        if not comment or line.startswith(" "):
            continue
        expected_text = comment.strip()
        prefix = expected_text.endswith(", ...]")
        if prefix:
            expected_text = expected_text[:-len(", ...]")] + "]"
        try:
            expected = ast.literal_eval(expected_text)
        except (ValueError, SyntaxError):
            continue  # a comment in words
        value = eval(code, namespace)  # noqa: S307
        assert (value[:len(expected)] if prefix else value) == expected, line
        checked += 1
    assert checked >= 3


def test_policy_corpus_command_and_help_on_every_subcommand():
    """``policy-corpus`` (``[project.scripts]``) is ``python -m pipeline``; every subcommand has --help."""
    import re

    script = Path(sys.executable).with_name("policy-corpus")
    top = subprocess.run([str(script), "--help"], capture_output=True, text=True, check=True)
    commands = re.search(r"\{([a-z,-]+)\}", top.stdout).group(1).split(",")
    assert {"clean", "segment", "tag", "build", "check"} <= set(commands)
    for command in commands:
        out = subprocess.run([str(script), command, "--help"], capture_output=True, text=True)
        assert out.returncode == 0 and f"policy-corpus {command}" in out.stdout, command
