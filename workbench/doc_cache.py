"""A per-document result cache: gzipped JSON files keyed by everything the result depends on.

Used for the cleaned document (loading) and its target records, so a second run over an
unchanged corpus only reads results back. The key covers the input (file bytes or the
document's text), the settings, the data files and the *source code* of the modules that
compute the result, so an upgrade of workbench invalidates exactly what it changed.
JSON, never pickle.
"""
from __future__ import annotations

import gzip
import hashlib
import json
import logging
from functools import lru_cache
from pathlib import Path

from .resources import cache_dir

log = logging.getLogger("workbench")
VERSION = 1


@lru_cache(maxsize=32)
def source_digest(*modules: str) -> str:
    """Digest of workbench modules' source files (``"clean"``, ``"targets"``…) and their data files."""
    here = Path(__file__).resolve().parent
    h = hashlib.sha256()
    for name in modules:
        path = here / name if "/" in name else here / f"{name}.py"
        h.update(name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _default(value):
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def make_key(kind: str, **parts) -> str:
    """A hex key from JSON-able parts (bytes are hashed first)."""
    h = hashlib.sha256(f"{kind}:{VERSION}".encode())
    for name in sorted(parts):
        value = parts[name]
        if isinstance(value, (bytes, bytearray)):
            value = hashlib.sha256(value).hexdigest()
        h.update(name.encode() + b"=" + json.dumps(value, sort_keys=True, ensure_ascii=False, default=_default).encode())
    return h.hexdigest()


def _path(kind: str, key: str) -> Path:
    return cache_dir() / kind / key[:2] / f"{key}.json.gz"


def read(kind: str, key: str):
    """The cached value, or None (a broken file is reported and ignored)."""
    path = _path(kind, key)
    if not path.is_file():
        return None
    try:
        return json.loads(gzip.decompress(path.read_bytes()))
    except (OSError, EOFError, ValueError) as exc:
        log.warning("ignoring unreadable cache file %s (%s)", path, exc)
        return None


def write(kind: str, key: str, value) -> None:
    """Store ``value`` atomically (a failure to write only logs: the cache is an optimisation)."""
    from .output import atomic_path

    path = _path(kind, key)
    data = gzip.compress(json.dumps(value, ensure_ascii=False, default=_default).encode("utf-8"), compresslevel=1,
                         mtime=0)  # level 1: 3× faster to write than the default 9, files 10% larger
    try:
        with atomic_path(path) as tmp:
            tmp.write_bytes(data)
    except OSError as exc:
        log.warning("could not write cache file %s (%s)", path, exc)
