"""Cache keys: one per document and step, over everything the step's result depends on.

A key covers the input (file bytes or the document's text), the settings, the data files
and the *source code* of the modules that compute the result, so an upgrade of workbench
invalidates exactly what it changed. The results themselves are kept by
:mod:`workbench.frame_cache`.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

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
