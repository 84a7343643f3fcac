"""Atomic writes: concatenation (kernel copy and its fallback), no partial files."""
from __future__ import annotations

import os

import pytest

from pipeline.io import atomic_concatenate, atomic_write_text


def _parts(tmp_path, contents):
    paths = []
    for n, text in enumerate(contents):
        p = tmp_path / f"part{n}.jsonl"
        p.write_bytes(text)
        paths.append(p)
    return paths


CONTENTS = [b'{"a": 1}\n', b"", "日本語の文。\n".encode() * 5000, b'{"z": 26}\n']


def test_concatenate_joins_parts_in_order(tmp_path):
    out = tmp_path / "all.jsonl"
    atomic_write_text(out, "old contents, replaced\n")
    atomic_concatenate(out, _parts(tmp_path, CONTENTS))
    assert out.read_bytes() == b"".join(CONTENTS)


def test_concatenate_falls_back_when_the_kernel_copy_fails(tmp_path, monkeypatch):
    calls = []

    def failing_sendfile(out_fd, in_fd, offset, count):
        calls.append(count)
        if len(calls) == 2:  # fail part-way, after a first part went through the kernel
            os.write(out_fd, b"partial")
            raise OSError("sendfile not supported here")
        return real_sendfile(out_fd, in_fd, offset, count)

    real_sendfile = os.sendfile
    monkeypatch.setattr(os, "sendfile", failing_sendfile)
    out = tmp_path / "all.jsonl"
    atomic_concatenate(out, _parts(tmp_path, CONTENTS))
    assert out.read_bytes() == b"".join(CONTENTS)
    assert len(calls) >= 2


def test_concatenate_leaves_no_partial_file_on_error(tmp_path):
    out = tmp_path / "all.jsonl"
    atomic_write_text(out, "previous\n")
    parts = _parts(tmp_path, CONTENTS[:1]) + [tmp_path / "missing.jsonl"]
    with pytest.raises(FileNotFoundError):
        atomic_concatenate(out, parts)
    assert out.read_text() == "previous\n"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["all.jsonl", "part0.jsonl"]


def test_leftover_temp_file_is_replaced_and_outputs_get_usual_permissions(tmp_path):
    """A killed writer leaves .<name>.tmp; the next write of that file replaces it, and the
    output gets 0666 less the umask (a temporary file's 0600 would hide it from other users)."""
    out = tmp_path / "out.json"
    leftover = tmp_path / ".out.json.tmp"
    leftover.write_text("half-written")
    leftover.chmod(0o600)
    atomic_write_text(out, "{}\n")
    assert out.read_text() == "{}\n" and not leftover.exists()
    umask = os.umask(0)
    os.umask(umask)
    assert out.stat().st_mode & 0o777 == 0o666 & ~umask
