"""Atomic writes: concatenation (kernel copy and its fallback), no partial files."""
from __future__ import annotations

import os

import pytest

from pipeline.text.io import atomic_concatenate, atomic_write_text


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


@pytest.mark.parametrize("reserve", ["more", "unsupported"])
def test_concatenate_is_exact_whatever_space_was_reserved(tmp_path, monkeypatch, reserve):
    """The output is reserved at the parts' total size first: more space than the parts fill (a
    part shrunk since) is cut off, and a file system without fallocate just goes without."""
    real_fallocate = os.posix_fallocate

    def fallocate(fd, offset, length):
        if reserve == "unsupported":
            raise OSError(95, "Operation not supported")
        real_fallocate(fd, offset, length + 100)

    monkeypatch.setattr(os, "posix_fallocate", fallocate)
    out = tmp_path / "all.jsonl"
    atomic_concatenate(out, _parts(tmp_path, CONTENTS))
    assert out.read_bytes() == b"".join(CONTENTS)


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


def test_json_round_trip_is_canonical(tmp_path):
    from pipeline.text.io import dumps, iter_jsonl, read_json, write_json, write_jsonl

    value = {"b": [1, 2.5, None, True], "a": "経済安全保障 \u2028 \"quoted\"\n", "c": {"z": 0, "y": -1}}
    assert dumps(value) == '{"a":"経済安全保障 \u2028 \\"quoted\\"\\n","b":[1,2.5,null,true],"c":{"y":-1,"z":0}}'
    write_json(tmp_path / "v.json", value)
    assert read_json(tmp_path / "v.json") == value
    write_jsonl(tmp_path / "v.jsonl", [value, {"n": 1}])
    assert (tmp_path / "v.jsonl").read_bytes().count(b"\n") == 2
    assert list(iter_jsonl(tmp_path / "v.jsonl")) == [value, {"n": 1}]


def test_malformed_json_names_the_file_and_line(tmp_path):
    from pipeline.text.io import InputError, iter_jsonl, read_json

    (tmp_path / "cut.json").write_bytes(b'{"text": "a sentence cut sho')
    with pytest.raises(InputError, match=r"cut\.json: invalid JSON"):
        read_json(tmp_path / "cut.json")
    (tmp_path / "rows.jsonl").write_bytes(b'{"a": 1}\n\n{"b": \n')
    with pytest.raises(InputError, match=r"rows\.jsonl: line 3: invalid JSON"):
        list(iter_jsonl(tmp_path / "rows.jsonl"))
    (tmp_path / "latin1.jsonl").write_bytes('{"a": "caf\u00e9"}\n'.encode("latin-1"))
    with pytest.raises(InputError, match=r"latin1\.jsonl: line 1: invalid JSON"):
        list(iter_jsonl(tmp_path / "latin1.jsonl"))
