"""Write tables for people and programs: aligned text, CSV, JSON, JSON Lines."""
from __future__ import annotations

import json
import math
import os
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pandas as pd

TABLE_FORMATS = ("table", "csv", "json", "jsonl")


def records(df: pd.DataFrame) -> list[dict]:
    """Rows as plain dicts with JSON-ready values (missing values become None)."""
    out = []
    for row in df.to_dict(orient="records"):
        out.append({k: _plain(v) for k, v in row.items()})
    return out


def _plain(value):
    if value is None or value is pd.NA or value is pd.NaT:
        return None
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):  # numpy scalars
        return value.item()
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def format_floats(df: pd.DataFrame, digits: int = 6) -> pd.DataFrame:
    """A copy for display: floats as text to ``digits`` significant digits (3e-20 is not shown
    as 0.0), missing values blank."""
    shown = df.astype(object).where(df.notna(), "")
    for col in df.columns[[pd.api.types.is_float_dtype(t) for t in df.dtypes]]:
        shown[col] = [f"{v:.{digits}g}" if v == v else "" for v in df[col]]
    return shown


@contextmanager
def atomic_path(path: Path, *, suffix: str = ".tmp"):
    """Yield a temporary path beside ``path``; on success it replaces ``path`` in one step,
    on failure it is removed, so a reader never sees a half-written file.

    Missing folders on the way are created (the one rule for every output), and the file
    gets the mode a plain ``open(path, "w")`` would give it (``0o666`` less the umask).
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        yield Path(tmp)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux), else 0o022."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except OSError:
        pass
    return 0o022


def write_table(df: pd.DataFrame, fmt: str = "table", stream: IO[str] | None = None) -> None:
    """Write ``df`` as ``table`` (aligned text), ``csv``, ``json`` (an array) or ``jsonl``."""
    stream = sys.stdout if stream is None else stream
    if fmt == "table":
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 40, "display.unicode.east_asian_width", True):
            stream.write(format_floats(df).to_string(index=False) + "\n")
    elif fmt == "csv":
        df.to_csv(stream, index=False)
    elif fmt == "json":
        json.dump(records(df), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt == "jsonl":
        for rec in records(df):
            stream.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")
