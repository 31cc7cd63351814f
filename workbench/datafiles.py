"""Data files read once, by content: the key and the computation can never disagree.

Every data file a step reads (boilerplate patterns, indicator lexicons, user dictionaries,
stopword lists, cue tables) goes through :func:`read`: the file's bytes are read once per
call into a :class:`DataFile` (its path, the SHA-256 digest of the bytes, the bytes), and
:func:`parsed` turns it into the parsed object, cached by *digest*. So

- a cache key built from ``DataFile.digest`` always describes the very bytes that were
  parsed: edit a file in place and the next call sees a new digest and parses again
  (a cache keyed by the file's *path* would hand back the old patterns);
- a :class:`DataFile` is small and picklable: it travels to worker processes with the job,
  and each worker parses it once (again by digest), never re-reading a file that may
  have changed meanwhile.

>>> from workbench.resources import data_path
>>> f = read(data_path("stopwords_policy.txt"))
>>> words = parsed(f, lambda text: frozenset(text.split()))
>>> "推进" in words, len(f.digest)
(True, 64)
"""
from __future__ import annotations

import hashlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from threading import Lock
from typing import TypeVar

from .errors import CorpusError

T = TypeVar("T")
_CACHE_SIZE = 64


@dataclass(frozen=True)
class DataFile:
    """The bytes of one data file as read, with their digest."""

    path: str
    digest: str
    content: bytes = field(repr=False)

    @property
    def text(self) -> str:
        """The content decoded as UTF-8 (a byte-order mark dropped)."""
        return self.content.decode("utf-8-sig")


def read(path: str | Path, *, what: str = "data file") -> DataFile:
    """Read a data file's bytes once; a missing or unreadable file is a :class:`CorpusError` naming it."""
    path = Path(path)
    try:
        content = path.read_bytes()
    except IsADirectoryError:
        raise CorpusError(path, f"the {what} is a folder, not a file") from None
    except FileNotFoundError:
        raise CorpusError(path, f"no such {what}") from None
    except OSError as exc:
        raise CorpusError(path, f"cannot read the {what} ({exc.strerror or exc})") from None
    return DataFile(str(path), hashlib.sha256(content).hexdigest(), content)


def from_text(text: str, *, name: str = "<text>") -> DataFile:
    """A :class:`DataFile` for content given directly (a user's words rather than a file)."""
    content = text.encode("utf-8")
    return DataFile(name, hashlib.sha256(content).hexdigest(), content)


_parsed: OrderedDict[tuple[object, str], object] = OrderedDict()
_lock = Lock()


def parsed(data: DataFile, parser: Callable[[str], T]) -> T:
    """``parser(data.text)``, cached by the parser and the content's digest (not by path).

    A ``ValueError`` raised by the parser becomes a :class:`CorpusError` naming the file.
    """
    key = (parser, data.digest)  # the parser itself: two lambdas never share an entry
    with _lock:
        if key in _parsed:
            _parsed.move_to_end(key)
            return _parsed[key]  # type: ignore[return-value]
    try:
        value = parser(data.text)
    except UnicodeDecodeError as exc:
        raise CorpusError(data.path, f"not UTF-8 text ({exc.reason} at byte {exc.start})") from None
    except ValueError as exc:
        raise CorpusError(data.path, str(exc)) from None
    with _lock:
        _parsed[key] = value
        while len(_parsed) > _CACHE_SIZE:
            _parsed.popitem(last=False)
    return value


def load(path: str | Path, parser: Callable[[str], T], *, what: str = "data file") -> tuple[str, T]:
    """``(digest, parsed)`` of a data file: :func:`read` then :func:`parsed`."""
    data = read(path, what=what)
    return data.digest, parsed(data, parser)
