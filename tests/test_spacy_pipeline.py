"""The tagger is a spaCy pipeline like any other: registered components that declare what they
need and set, patterns from its config, saved with ``nlp.to_disk`` and loaded with ``spacy.load``
in a process that has not imported this package (the entry points find the components)."""
from __future__ import annotations

import json
import subprocess
import sys

import pytest

from conftest import ROOT

TEXTS = {
    "en": ["The Ministry of Economy, Trade and Industry (METI) strongly supports the Act on Promotion of Widgets.",
           "Japan's Coastal Defence Agency warned that China poses a security threat to Tokyo."],
    "ja": ["経済産業省は経済安全保障推進法を支持した。", "政府は中国による経済的威圧に懸念を表明した。"],
}


def annotations(nlp, texts):
    out = []
    for doc in nlp.pipe(texts):
        out.append({"ents": [[e.start_char, e.end_char, e.label_, e.ent_id_] for e in doc.ents],
                    "cues": [[s.start_char, s.end_char, s.label_, s.id_] for s in doc.spans["stance_cues"]]})
    return out


@pytest.mark.parametrize("lang", ["en", "ja"])
def test_saved_tagger_loads_in_a_fresh_process_and_tags_the_same(lang, tmp_path):
    from pipeline.tag import build_nlp

    nlp = build_nlp(lang)
    expected = annotations(nlp, TEXTS[lang])
    assert any(row["ents"] for row in expected) and any(row["cues"] for row in expected)
    nlp.to_disk(tmp_path / "tagger")
    code = ("import json, sys, spacy\n"
            "nlp = spacy.load(sys.argv[1])\n"
            "texts = json.loads(sys.argv[2])\n"
            "out = []\n"
            "for doc in nlp.pipe(texts):\n"
            "    out.append({'ents': [[e.start_char, e.end_char, e.label_, e.ent_id_] for e in doc.ents],\n"
            "                'cues': [[s.start_char, s.end_char, s.label_, s.id_] for s in doc.spans['stance_cues']]})\n"
            "print(json.dumps({'pipes': nlp.pipe_names, 'out': out}))\n")
    proc = subprocess.run([sys.executable, "-c", code, str(tmp_path / "tagger"), json.dumps(TEXTS[lang])],
                          capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    loaded = json.loads(proc.stdout)
    assert loaded["pipes"] == nlp.pipe_names
    assert loaded["out"] == expected


def test_components_declare_what_they_need_and_set():
    from pipeline.tag import build_nlp

    analysis = build_nlp("en").analyze_pipes(pretty=False)
    assert all(not problems for problems in analysis["problems"].values())
    summary = analysis["summary"]
    assert summary["generic_entities"]["assigns"] == ["doc.ents"]
    assert summary["alias_linker"]["requires"] == ["doc.ents"]
    assert summary["stance_cues"]["assigns"] == ["doc.spans"]


def test_sentence_component_is_registered_by_its_entry_point():
    code = "import spacy; nlp = spacy.blank('en'); nlp.add_pipe('rule_senter'); print([s.text for s in nlp('A b. C d.').sents])"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT / "tests")
    assert out.stdout.strip() == "['A b.', 'C d.']"
