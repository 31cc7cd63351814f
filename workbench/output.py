"""Write tables for people and programs: aligned text, CSV, JSON, JSON Lines; files atomically.

Every file the workbench writes goes through :func:`atomic_path`: missing folders are
created, a reader never sees a half-written file, and a failure (a read-only folder, a
full disk, a path that is a folder or a device) raises :class:`OutputError` naming the
file, with nothing left behind.

CSV is written for spreadsheets too: a text cell that begins with ``=``, ``+``, ``-``,
``@``, a tab or a carriage return gets a leading ``'`` (see :func:`neutralise_formulas`),
so Excel shows it as text instead of running it as a formula; numbers stay numbers.
"""
from __future__ import annotations

import errno
import json
import math
import os
import stat
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import IO

import pandas as pd

TABLE_FORMATS = ("table", "csv", "json", "jsonl")
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


class OutputError(OSError):
    """An output file could not be written. ``filename`` is the file, ``strerror`` the problem.

    A subclass of :class:`OSError` (``errno`` kept), so code that tolerates a failed
    write (a cache) keeps doing so.

    Examples
    --------
    >>> str(OutputError(errno.ENOSPC, "no space left on the disk", "out/topics.csv"))
    'out/topics.csv: no space left on the disk'
    """

    def __str__(self) -> str:
        return f"{self.filename}: {self.strerror}"


_PROBLEMS = {
    errno.ENOSPC: "no space left on the disk",
    errno.EDQUOT: "disk quota exceeded",
    errno.EACCES: "permission denied (is the folder read-only?)",
    errno.EPERM: "permission denied (is the folder read-only?)",
    errno.EROFS: "the file system is read-only",
    errno.EISDIR: "is a folder, not a file; give a file name",
    errno.ENOTDIR: "a part of the path is a file, not a folder",
    errno.EEXIST: "a file is in the way where a folder is needed",
    errno.ENAMETOOLONG: "the file name is too long",
}


def _output_error(exc: OSError, path: Path, where: str = "") -> OutputError:
    problem = _PROBLEMS.get(exc.errno, exc.strerror or str(exc))
    return OutputError(exc.errno, f"{where}{problem}", str(path))


def neutralise_formulas(df: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``df`` whose text cells cannot become spreadsheet formulas.

    A string that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
    gets a leading ``'`` (the OWASP advice for CSV injection); a lone sign (the comparator
    ``=``) is no formula and stays; numbers, including negative ones, and every other cell
    are kept as they are. Column names are text too.

    Examples
    --------
    >>> df = pd.DataFrame({"region": ["=1+2", "广东"], "comparator": ["=", ">="], "value": [-3.5, 7.0]})
    >>> neutralise_formulas(df).to_dict(orient="list")
    {'region': ["'=1+2", '广东'], 'comparator': ['=', '>='], 'value': [-3.5, 7.0]}
    """
    out = df.copy()
    out.columns = [_safe(c) for c in df.columns]
    for k, dtype in enumerate(df.dtypes):
        if dtype == object or pd.api.types.is_string_dtype(dtype):
            out.isetitem(k, df.iloc[:, k].map(_safe))
    return out


# A lone sign is no formula (Excel shows it as it is): the comparators "=" and "~", a "-" for none
_HARMLESS = frozenset({"=", "+", "-", "@"})


def _safe(value):
    if isinstance(value, str) and value.startswith(FORMULA_STARTS) and value not in _HARMLESS:
        return "'" + value
    return value


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

    Raises
    ------
    OutputError
        When ``path`` is a folder, a FIFO or a device, its folder cannot be created,
        or the file cannot be written (permission denied, read-only, disk full…);
        the message names ``path``. Other errors inside the block pass unchanged.
    """
    path = Path(path)
    try:
        mode = path.stat().st_mode
    except OSError:
        mode = None
    if mode is not None and stat.S_ISDIR(mode):
        raise OutputError(errno.EISDIR, _PROBLEMS[errno.EISDIR], str(path))
    if mode is not None and not stat.S_ISREG(mode):  # never rename over a FIFO or /dev/null
        raise OutputError(errno.EINVAL, "not a regular file (a FIFO, socket or device); give a file name", str(path))
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise _output_error(exc, path, f"cannot create the folder {path.parent}: ") from exc
    try:
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=suffix)
    except OSError as exc:
        raise _output_error(exc, path) from exc
    os.close(fd)
    try:
        os.chmod(tmp, 0o666 & ~_umask())
        yield Path(tmp)
        os.replace(tmp, path)
    except OutputError:
        Path(tmp).unlink(missing_ok=True)
        raise
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        if exc.filename not in (None, tmp, str(tmp), str(path)):
            raise  # an error about another file (an input read inside the block) is not the output's
        raise _output_error(exc, path) from exc
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
    """Write ``df`` as ``table`` (aligned text), ``csv``, ``json`` (an array) or ``jsonl``.

    CSV is written for spreadsheets: text cells that would start a formula get a
    leading ``'`` (:func:`neutralise_formulas`); JSON and JSON Lines keep every text exactly.

    Examples
    --------
    >>> import io
    >>> out = io.StringIO()
    >>> write_table(pd.DataFrame({"term": ["=HYPERLINK(1)", "发展"], "g2": [-1.5, 2.0]}), "csv", out)
    >>> print(out.getvalue().strip())
    term,g2
    '=HYPERLINK(1),-1.5
    发展,2.0
    """
    stream = sys.stdout if stream is None else stream
    if fmt == "table":
        with pd.option_context("display.max_rows", None, "display.max_columns", None, "display.width", 200,
                               "display.max_colwidth", 40, "display.unicode.east_asian_width", True):
            stream.write(format_floats(df).to_string(index=False) + "\n")
    elif fmt == "csv":
        neutralise_formulas(df).to_csv(stream, index=False)
    elif fmt == "json":
        json.dump(records(df), stream, ensure_ascii=False, indent=2)
        stream.write("\n")
    elif fmt == "jsonl":
        for rec in records(df):
            stream.write(json.dumps(rec, ensure_ascii=False) + "\n")
    else:
        raise ValueError(f"format must be one of {', '.join(TABLE_FORMATS)}, not {fmt!r}")
