"""File I/O shared by every stage: strict decoding, atomic writes, JSON(L) helpers."""
from __future__ import annotations

import csv
import gc
import io
import os
import shutil
from contextlib import contextmanager
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Iterator, Sequence

import orjson

# A text document larger than this is almost certainly not a policy paper (or is a dump);
# refusing it early keeps memory bounded. Override with PIPELINE_MAX_BYTES.
DEFAULT_MAX_BYTES = 20 * 1024 * 1024


class InputError(Exception):
    """A document cannot be processed; the message names the file and the reason."""

    def __init__(self, path: str | os.PathLike, reason: str):
        self.path = str(path)
        self.reason = reason
        super().__init__(f"{self.path}: {reason}")


def fewer_gc_passes() -> None:
    """Run Python's cycle collector less often. The stages make and drop millions of small
    objects (spaCy Tokens and Spans, regex matches) that reference counting frees; at the
    default thresholds the collector still walked every live object again and again, 7% of the
    tagging time. Memory stays flat (``make bench`` measures it)."""
    gc.set_threshold(10_000, 20, 50)  # default 700, 10, 10


def max_bytes() -> int:
    return int(os.environ.get("PIPELINE_MAX_BYTES", DEFAULT_MAX_BYTES))


def _looks_binary(data: bytes) -> bool:
    sample = data[:8192]
    if b"\x00" in sample:
        return True
    controls = sum(1 for b in sample if b < 32 and b not in (9, 10, 12, 13))
    return controls > len(sample) * 0.05


def _guess_encoding(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: only used to make the error message more helpful
        return None
    best = from_bytes(data[:65536]).best()
    return best.encoding if best else None


def read_text_strict(path: str | os.PathLike) -> str:
    """Read a UTF-8 text document; raise InputError (never guess) for anything else.

    Silently transcoding a Shift_JIS file would put its bytes' misreading into the corpus;
    the user is told which encoding it looks like and how to convert it instead.
    """
    p = Path(path)
    size = p.stat().st_size
    if size == 0:
        raise InputError(p, "empty file")
    if size > max_bytes():
        raise InputError(p, f"file is {size:,} bytes, over the {max_bytes():,}-byte limit "
                            "(set PIPELINE_MAX_BYTES to raise it)")
    data = p.read_bytes()
    if _looks_binary(data):
        raise InputError(p, "binary or non-text file (NUL or control bytes); expected UTF-8 text or a PDF")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        guess = _guess_encoding(data)
        hint = f"; looks like {guess}: convert with `iconv -f {guess} -t UTF-8`" if guess else ""
        raise InputError(p, f"not valid UTF-8 (byte {exc.start}){hint}") from None
    return plain_text(text, p)


def plain_text(text: str, source: str | os.PathLike = "<text>") -> str:
    """``text`` with a byte-order mark dropped and every line ending made "\\n"; InputError (naming
    ``source``) if it holds nothing but whitespace."""
    text = text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")
    if not text.strip():
        raise InputError(source, "holds only whitespace")
    return text


def _temp_for(p: Path) -> tuple[int, str]:
    """The temporary file ``.<name>.tmp`` beside ``p``, created afresh: a leftover of a killed
    earlier writer of ``p`` is replaced (one name per target, so no directory scan for them).
    Outputs get the usual permissions (0666 less the umask)."""
    p.parent.mkdir(parents=True, exist_ok=True)
    tmp = str(p.with_name(f".{p.name}.tmp"))
    Path(tmp).unlink(missing_ok=True)
    return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666), tmp


@contextmanager
def atomic_file(path: str | os.PathLike) -> Iterator[BinaryIO]:
    """A binary file that replaces ``path`` only when the block completes: never half-written."""
    p = Path(path)
    fd, tmp = _temp_for(p)
    try:
        with os.fdopen(fd, "wb") as fh:
            yield fh
        os.replace(tmp, p)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def atomic_write_text(path: str | os.PathLike, text: str) -> None:
    with atomic_file(path) as fh:
        fh.write(text.encode("utf-8"))


def atomic_write_bytes(path: str | os.PathLike, data: bytes) -> None:
    with atomic_file(path) as fh:
        fh.write(data)


def atomic_concatenate(path: str | os.PathLike, parts: Iterable[str | os.PathLike]) -> None:
    """Write the files ``parts`` one after the other into ``path``, streaming, atomically.

    The output's space is reserved first (``posix_fallocate``): growing a file by a thousand
    appends took ext4 half as long again as filling one of its final size (0.25 -> 0.17 s for
    the 225 MB a 1,000-document export writes)."""
    parts = list(parts)
    with atomic_file(path) as out:
        _reserve(out, sum(os.stat(part).st_size for part in parts))
        for part in parts:
            with open(part, "rb") as src:
                _append_file(src, out)
        out.truncate()  # reserved space that a part, shrunk since, did not fill


def _reserve(out: BinaryIO, size: int) -> None:
    """Allocate ``size`` bytes of ``out`` on disk ahead of the writes; a file system that cannot
    (``OSError``) just goes without."""
    if size and hasattr(os, "posix_fallocate"):
        try:
            os.posix_fallocate(out.fileno(), 0, size)
        except OSError:
            pass


def _append_file(src: BinaryIO, out: BinaryIO) -> None:
    """Append ``src`` at ``out``'s position: in the kernel (sendfile) where it can, else through a
    buffer. The position, not the end: the end of a reserved file lies beyond what is written."""
    out.flush()
    start = out.tell()
    try:
        size, sent = os.fstat(src.fileno()).st_size, 0
        while sent < size:
            n = os.sendfile(out.fileno(), src.fileno(), sent, size - sent)
            if n == 0:  # the file shrank since fstat
                break
            sent += n
        out.seek(start + sent)  # sendfile moved the descriptor's offset, not the buffered file's
        src.seek(sent)  # whatever is left (a file grown since fstat) goes through the buffer
    except (AttributeError, OSError):  # no sendfile here (not Linux), or not for these files
        out.seek(start)
        out.truncate()
        src.seek(0)
    shutil.copyfileobj(src, out, 1 << 20)


# orjson, not the standard library's json: it writes the same JSON text (keys sorted, no ASCII
# escaping) without spaces after separators, 5-8x faster, and every stage and the export spend
# most of their output time encoding JSON.
_JSON_OPTIONS = orjson.OPT_SORT_KEYS | orjson.OPT_NON_STR_KEYS


def dumps(obj: Any) -> str:
    """Canonical JSON: keys sorted, no ASCII escaping, no spaces, so outputs diff cleanly."""
    return orjson.dumps(obj, option=_JSON_OPTIONS).decode("utf-8")


def dumps_line(obj: Any) -> bytes:
    """``dumps`` as UTF-8 and a newline: one line of a JSONL file."""
    return orjson.dumps(obj, option=_JSON_OPTIONS | orjson.OPT_APPEND_NEWLINE)


def write_json(path: str | os.PathLike, obj: Any) -> None:
    atomic_write_bytes(path, dumps_line(obj))


def read_json(path: str | os.PathLike) -> Any:
    data = Path(path).read_bytes()
    try:
        return orjson.loads(data)
    except orjson.JSONDecodeError as exc:
        raise InputError(path, f"invalid JSON ({exc.msg})") from None


def csv_text(rows: Iterable[Sequence[Any]]) -> str:
    """``rows`` as CSV lines (comma-separated, quoted only where needed, None as an empty cell, "\\n"
    line ends): the format of the stats tables. Each row renders alone, so the lines of several
    row lists joined are the lines of the rows together."""
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def write_jsonl(path: str | os.PathLike, rows: Iterable[Any]) -> None:
    atomic_write_bytes(path, b"".join(dumps_line(r) for r in rows))


def iter_jsonl(path: str | os.PathLike) -> Iterator[Any]:
    with open(path, "rb") as fh:
        for lineno, line in enumerate(fh, 1):
            if line.strip():
                try:
                    yield orjson.loads(line)
                except orjson.JSONDecodeError as exc:
                    raise InputError(path, f"line {lineno}: invalid JSON ({exc.msg})") from None


class AtomicJsonlWriter:
    """Stream JSON lines into a temporary file; rename over the target only on success."""

    def __init__(self, path: str | os.PathLike):
        self._file = atomic_file(path)
        self.count = 0

    def write(self, row: Any) -> None:
        self.fh.write(dumps_line(row))
        self.count += 1

    def __enter__(self) -> "AtomicJsonlWriter":
        self.fh = self._file.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        self._file.__exit__(*exc)


def read_fragments(fragment_dirs: Iterable[str | Path], name: str) -> list[Any]:
    """One JSON fragment (``stats.json``, ``summary.json``) of each document's fragment directory
    (``build/<doc_id>/export``), in doc_id order."""
    return [read_json(Path(d) / name) for d in sorted(fragment_dirs, key=lambda d: Path(d).parent.name)]
