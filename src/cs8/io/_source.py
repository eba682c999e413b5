"""Where the loaders' text comes from: paths or streams, byte-order marks, decoding errors.

Every reader gets its text through :func:`open_source`, so one place turns an undecodable file into
a :class:`~cs8.LoadError` that names the byte offset and suggests an encoding, and one place knows
the lines of a file (split on ``\\n``, ``\\r\\n`` or a bare ``\\r``, as the :mod:`csv` module wants).

Example:
    >>> import io
    >>> with open_source(io.BytesIO(b"\\xef\\xbb\\xbfid\\r\\nC1\\r\\n"), "utf-8") as src:
    ...     list(src.lines)
    ['id\\r\\n', 'C1\\r\\n']
"""

from __future__ import annotations

import codecs
import contextlib
import io
import itertools
import os
import typing
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any, TypeAlias

from cs8.exceptions import LoadError

__all__ = ["Lines", "PathOrFile", "Source", "escape", "open_source"]

PathOrFile: TypeAlias = "str | os.PathLike[str] | IO[str] | IO[bytes]"

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
_CANDIDATES: tuple[str, ...] = (
    "utf-16-le",
    "utf-16-be",
    "cp1252",
    "cp1258",
    "cp949",
    "gb18030",
    "shift_jis",
)
_CONTROL = {c: f"\\x{c:02x}" for c in (*range(0x20), 0x7F)}
_CONTROL.update({0x09: "\\t", 0x0A: "\\n", 0x0D: "\\r"})


def escape(text: str, limit: int = 200) -> str:
    """Return ``text`` with control characters escaped and cut to ``limit`` characters.

    Data from a file reaches error messages and terminals only through this, so a cell cannot move
    the cursor, clear the screen or forge a line of output.

    Example:
        >>> escape("ok\\x1b[2Jbad\\r\\n")
        'ok\\\\x1b[2Jbad\\\\r\\\\n'
        >>> escape("x" * 10, limit=4)
        'xxxx...'
    """
    cut = text if len(text) <= limit else text[:limit] + "..."
    return cut.translate(_CONTROL)


_CONTROL_BUT_LAYOUT = {c: v for c, v in _CONTROL.items() if c not in (0x09, 0x0A, 0x0D)}


def escape_controls(text: str) -> str:
    """Return a whole document with control characters other than tab, newline and carriage
    return escaped, as :func:`escape` does (an HTML page keeps its line breaks).

    Example:
        >>> escape_controls("<p>ok\\x1b[2J</p>\\n")
        '<p>ok\\\\x1b[2J</p>\\n'
    """
    return text.translate(_CONTROL_BUT_LAYOUT)


class Lines:
    """The physical lines of a text, numbered from 1, that can give lines back to be read again.

    The CSV layer reads a record's lines through it, and when a quote opened on one line swallowed
    the lines after it, gives those back so they are read as records of their own. Not thread-safe:
    one reader owns it.

    ``failure`` turns a :class:`UnicodeError` met while reading ``texts`` into the error to
    raise (the one place that knows the source: :func:`open_source`); ``texts`` is read
    directly, with no generator between the lines and :meth:`take`.

    Example:
        >>> lines = Lines(iter(["a\\n", "b\\n"]))
        >>> lines.mark(); next(lines), lines.taken()
        ('a\\n', [(1, 'a\\n')])
        >>> lines.give_back([(1, "a\\n")]); next(lines)
        'a\\n'
    """

    def __init__(
        self, texts: Iterator[str], failure: Callable[[UnicodeError], Exception] | None = None
    ) -> None:
        self._texts = texts
        self._failure = failure
        self._number = 0
        self._pending: list[tuple[int, str]] = []
        self._taken: list[tuple[int, str]] = []
        self._error: Exception | None = None

    def __iter__(self) -> Lines:
        return self

    def __next__(self) -> str:
        if self._pending:
            item = self._pending.pop()
        else:
            if self._error is not None:
                raise self._error
            try:
                text = next(self._texts)
            except UnicodeError as exc:
                raise self._translate(exc) from None
            self._number += 1
            item = (self._number, text)
        self._taken.append(item)
        return item[1]

    def mark(self) -> None:
        """Start a new record: :meth:`taken` lists the lines read from here on."""
        self._taken = []

    def taken(self) -> list[tuple[int, str]]:
        """The ``(line number, text)`` pairs read since the last :meth:`mark`."""
        return self._taken

    def next_number(self) -> int:
        """The number of the line the next read returns."""
        return self._pending[-1][0] if self._pending else self._number + 1

    def take(self, count: int) -> tuple[int, list[str]]:
        """Read up to ``count`` lines at once: (the number of the first, their texts).

        Nothing is taken while lines given back are pending (read those one by one). An error
        met while reading (a decoding error) is kept and raised by the next :meth:`__next__`,
        after the lines read before it, which are returned.

        Example:
            >>> Lines(iter(["a\\n", "b\\n", "c\\n"])).take(2)
            (1, ['a\\n', 'b\\n'])
        """
        first = self._number + 1
        if self._pending or self._error is not None:
            return first, []
        out: list[str] = []
        try:
            out.extend(itertools.islice(self._texts, count))  # keeps the lines read before an error
        except UnicodeError as exc:  # raised, in its place, by __next__
            self._error = self._translate(exc)
        except Exception as exc:  # raised again, in its place, by __next__
            self._error = exc
        self._number += len(out)
        return first, out

    def _translate(self, exc: UnicodeError) -> Exception:
        return exc if self._failure is None else self._failure(exc)

    def give_back(self, items: list[tuple[int, str]]) -> None:
        """Put lines back, to be read again in their order before any new line."""
        self._pending.extend(reversed(items))


class Source:
    """An open text source: its display name and its numbered lines."""

    def __init__(self, name: str, lines: Lines) -> None:
        self.name = name
        self.lines = lines


def _split_lines(handle: IO[str]) -> Iterator[str]:
    # A TextIOWrapper or StringIO opened with newline="" splits on \n, \r\n and \r only. The
    # handle's own iterator, not a generator around it: one Python frame less per line.
    return iter(handle)


def _detect_bom(head: bytes, encoding: str) -> str:
    for bom, name in _BOMS:
        if head.startswith(bom):
            if name == "utf-8-sig" and codecs.lookup(encoding).name not in ("utf-8", "utf-8-sig"):
                return encoding
            return name
    return encoding


def _decode_error(name: str, raw: IO[bytes], encoding: str) -> LoadError:
    """Find the offending byte offset (re-reading from the start) and suggest encodings."""
    raw.seek(0)
    decoder = codecs.getincrementaldecoder(encoding)()
    offset = 0
    sample = b""
    message = f"{name}: cannot decode the file as {encoding}"
    while True:
        chunk = raw.read(1 << 16)
        if len(sample) < (1 << 20):
            sample += chunk
        try:
            decoder.decode(chunk, final=not chunk)
        except UnicodeDecodeError as exc:
            at = offset - len(decoder.getstate()[0]) + exc.start
            bad = exc.object[exc.start : exc.start + 4]
            message = (
                f"{name}: cannot decode byte offset {at} ({bad!r}) as {encoding}: {exc.reason}"
            )
            sample += raw.read(1 << 20)
            break
        except UnicodeError as exc:  # e.g. UTF-16 without a byte-order mark, no offset to name
            message = f"{name}: cannot decode the file as {encoding}: {exc}"
            break
        if not chunk:
            break
        offset += len(chunk)
    fits = [c for c in _CANDIDATES if _decodes(sample, c)]
    hint = ", ".join(f"encoding={c!r}" for c in fits[:3]) or "encoding='latin-1'"
    return LoadError(f"{message}; the file may be in another encoding: try {hint}")


def _decodes(sample: bytes, encoding: str) -> bool:
    if encoding.startswith("utf-16") and b"\x00" not in sample:
        return False
    try:
        # A sample cut in the middle of a character still fits.
        codecs.getincrementaldecoder(encoding)().decode(sample, final=False)
    except UnicodeError:
        return False
    return True


def _failure(
    name: str, raw: IO[bytes] | None, encoding: str
) -> Callable[[UnicodeError], LoadError]:
    """The :class:`Lines` ``failure`` of a source: a :class:`~cs8.LoadError` naming the byte
    offset (found again in ``raw``) and suggesting encodings."""

    def failure(exc: UnicodeError) -> LoadError:
        if isinstance(exc, UnicodeDecodeError):
            if raw is None:
                return LoadError(f"{name}: cannot decode the text: {exc}")
            return _decode_error(name, raw, encoding)
        # e.g. a UTF-16 file with an odd number of bytes
        return LoadError(f"{name}: cannot decode the text as {encoding}: {exc}")

    return failure


@contextmanager
def open_source(source: PathOrFile, encoding: str = "utf-8") -> Iterator[Source]:
    """Open a path, a binary file or a text stream for reading, with BOM detection.

    A byte-order mark decides the encoding (UTF-8, UTF-16 or UTF-32) over ``encoding``. Text that
    cannot be decoded raises :class:`~cs8.LoadError` when it is reached, naming the byte offset.

    Raises:
        LoadError: If the path does not exist, is a directory, or the encoding is unknown.
    """
    try:
        codecs.lookup(encoding)
    except LookupError:
        raise LoadError(f"unknown encoding {encoding!r}") from None
    if isinstance(source, io.TextIOBase) or (
        hasattr(source, "read") and not _is_binary(typing.cast(Any, source))
    ):
        handle = typing.cast(IO[str], source)
        name = escape(str(getattr(handle, "name", "<stream>")))
        yield Source(name, Lines(_split_lines(handle), _failure(name, None, encoding)))
        return
    if hasattr(source, "read"):
        binary = typing.cast(IO[bytes], source)
        name = escape(str(getattr(binary, "name", "<stream>")))
        with _wrapped(binary, name, encoding) as lines:
            yield Source(name, lines)
        return
    path = Path(source)
    name = escape(str(path))
    if not path.exists():
        raise LoadError(f"file not found: {name}")
    if path.is_dir():
        raise LoadError(f"expected a file, got a directory: {name}")
    try:
        with path.open("rb") as binary, _wrapped(binary, name, encoding) as lines:
            yield Source(name, lines)
    except OSError as exc:
        raise LoadError(f"cannot read {name}: {exc.strerror or exc}") from None


def _is_binary(handle: Any) -> bool:
    if isinstance(handle, io.RawIOBase | io.BufferedIOBase):
        return True
    mode = getattr(handle, "mode", "")
    return isinstance(mode, str) and "b" in mode


@contextmanager
def _wrapped(binary: IO[bytes], name: str, encoding: str) -> Iterator[Lines]:
    seekable = binary.seekable()
    head = binary.read(4)
    stream: Any
    if seekable:
        binary.seek(-len(head), io.SEEK_CUR)
        stream = binary
    else:
        stream = io.BufferedReader(typing.cast(Any, _Chain(head, binary)))
    chosen = _detect_bom(head, encoding)
    text = io.TextIOWrapper(stream, encoding=chosen, newline="")
    failure = _failure(name, binary if seekable else None, chosen)
    try:
        yield Lines(_split_lines(text), failure)
    finally:
        with contextlib.suppress(ValueError):  # already closed by its owner
            text.detach()


class _Chain(io.RawIOBase):
    """A raw reader giving ``head`` and then the rest of a non-seekable binary file."""

    def __init__(self, head: bytes, inner: IO[bytes]) -> None:
        self._head = head
        self._inner = inner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if self._head:
            data, self._head = self._head[: len(buffer)], self._head[len(buffer) :]
        else:
            data = self._inner.read(len(buffer))
        buffer[: len(data)] = data
        return len(data)
