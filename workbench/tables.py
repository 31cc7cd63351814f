"""Read tables of documents: CSV, TSV, JSON Lines, Parquet and Excel files, and DataFrames.

One row is one document: a text column, an optional id column, and every other
column as metadata. Columns that mean a corpus field (``title, region, province,
admin_level, date, year, doc_type, source, script``) are mapped onto it, by the
names listed in ``workbench/data/table_columns.csv`` (``publish_date`` → ``date``,
``source_url``/``url`` → ``source``, ``省份`` → ``province``…); every other column
is kept under its own name.

Rows are numbered as the user sees them: in a CSV, TSV or Excel file the header
is row 1 and the first document row 2 (a spreadsheet's row numbers); in a JSON
Lines file a row is its line number; in a Parquet file or a DataFrame row ``n``
is the ``n``-th row (``df.iloc[n - 1]``). Without an id column a document's id is
``<file stem>-<row>``, e.g. ``reports-2``.

A problem with the whole table (unreadable, no text column, a column named twice)
raises :class:`~workbench.errors.CorpusError`; a problem with one row (empty text,
empty or duplicate id, a year that is not a year) is collected in
:attr:`TableRead.errors` as a :class:`~workbench.errors.TableRowError`, so the
caller can raise the first or skip those rows with a warning.
"""
from __future__ import annotations

import csv
import datetime as dt
import io
import json
import logging
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .errors import CorpusError, TableRowError
from .readers import check_regular_file, decode_bytes
from .resources import data_path

log = logging.getLogger("workbench")

TABLE_SUFFIXES = (".csv", ".tsv", ".jsonl", ".parquet", ".xlsx")
# The corpus fields a column can be mapped onto (the manifest's fields but doc_id).
FIELDS = ("title", "region", "province", "admin_level", "date", "year", "doc_type", "source", "script")
SCRIPTS = ("simplified", "traditional", "none")

_BAD_ID = re.compile(r"[/\\\x00-\x1f\x7f]")
_YEAR = re.compile(r"((?:1[89]|20|21)\d\d)(?:\.0+)?\s*年?")
_FULL_DATE = re.compile(r"((?:19|20|21)\d\d)\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[ T]\d{1,2}:\d\d(?::\d\d)?)?")


@dataclass(frozen=True)
class TableRow:
    """One document read from a table.

    ``meta`` holds the corpus fields found in the table (typed: ``year`` an int,
    ``date`` ``YYYY-MM-DD`` when written as a full day) and every other column
    under its own name; an empty cell is ``None``. ``origin`` says where the row
    came from, e.g. ``reports.csv:7``.
    """

    doc_id: str
    text: str
    meta: dict
    origin: str


@dataclass(frozen=True)
class TableRead:
    """The documents of one table and the problems with its rows.

    Attributes
    ----------
    rows : list of TableRow
        The rows that could be read, in table order.
    errors : list of TableRowError
        One per row that could not be read, naming the file and the row.
    text_column, id_column : str, str or None
        The columns used for the text and the id (``None``: ids are ``<stem>-<row>``).
    fields : dict
        ``{column: corpus field}`` for the columns mapped onto a corpus field.
    """

    rows: list[TableRow]
    errors: list[TableRowError]
    text_column: str
    id_column: str | None
    fields: dict = field(default_factory=dict)


def read_table(path: str | Path, *, text: str | None = None, id: str | None = None) -> TableRead:  # noqa: A002
    """Read a CSV, TSV, JSON Lines, Parquet or Excel file of documents, one per row.

    Parameters
    ----------
    path : str or Path
        A ``.csv``/``.tsv`` (any encoding :func:`~workbench.readers.decode_bytes`
        detects, with or without a BOM), ``.jsonl`` (one JSON object a line),
        ``.parquet`` or ``.xlsx`` (its first sheet) file; the header is the first row.
    text : str, optional
        The column of the documents' text. By default the one column named like
        a text (``text``, ``content``, ``full_text``, ``body``, ``正文``…).
    id : str, optional
        The column of the documents' ids. By default a ``doc_id`` column if there
        is one, else ``<file stem>-<row>``.

    Returns
    -------
    TableRead

    Raises
    ------
    CorpusError
        When the file cannot be read as a table, names a column twice, lacks the
        column given as ``text``/``id``, or has no (or more than one) obvious
        text column; the message names the file and its columns.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "reports.csv"
    >>> _ = path.write_text("province,year,title,full_text\\n"
    ...                     "广东,2024,广东省政府工作报告,到2025年，城镇化率达到75%。\\n"
    ...                     "浙江,2024,浙江省政府工作报告,\\n", encoding="utf-8-sig")
    >>> table = read_table(path)
    >>> [(row.doc_id, row.meta["year"], row.origin) for row in table.rows]
    [('reports-2', 2024, 'reports.csv:2')]
    >>> str(table.errors[0]).endswith("reports.csv: row 3: empty text")
    True
    """
    _check_column_option("text", text)
    _check_column_option("id", id)
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in TABLE_SUFFIXES:
        raise CorpusError(path, f"not a table of documents: {suffix or '(none)'!r}; tables are {', '.join(TABLE_SUFFIXES)}")
    check_regular_file(path)
    if path.stat().st_size == 0:
        raise CorpusError(path, "the file is empty")
    unit = "line" if suffix == ".jsonl" else "row"
    try:
        if suffix in (".csv", ".tsv"):
            columns, records = _read_delimited(path, "," if suffix == ".csv" else "\t", text=text, id=id)
        else:
            columns, records = _READERS[suffix](path)
    except CorpusError:
        raise
    except OSError as exc:
        raise CorpusError(path, f"cannot read the file ({exc.strerror or exc})") from exc
    except Exception as exc:  # noqa: BLE001 - pandas, pyarrow and openpyxl raise many kinds on a damaged file
        raise CorpusError(path, f"not a readable {suffix} table ({type(exc).__name__}: {exc})") from exc
    return _table(path, columns, records, text=text, id=id, unit=unit, stem=path.stem, name=path.name)


def rows_from_frame(df, *, text: str | None = None, id: str | None = None,  # noqa: A002
                    origin: str = "DataFrame") -> TableRead:
    """Read a pandas DataFrame of documents, one per row, as :func:`read_table` reads a file.

    Row ``n`` is ``df.iloc[n - 1]``; default ids are ``<origin>-<n>``; errors name
    ``origin`` where a file's would name the file.

    Examples
    --------
    >>> import pandas as pd
    >>> df = pd.DataFrame({"title": ["政府工作报告"], "content": ["到2025年，城镇化率达到75%。"],
    ...                    "year": [2024.0], "url": ["https://www.gov.cn/"]})
    >>> row = rows_from_frame(df, origin="gwr").rows[0]
    >>> row.doc_id, row.meta
    ('gwr-1', {'title': '政府工作报告', 'year': 2024, 'source': 'https://www.gov.cn/'})
    """
    import pandas as pd

    if not isinstance(df, pd.DataFrame):
        raise ValueError(f"rows_from_frame needs a pandas DataFrame, not {type(df).__name__}")
    _check_column_option("text", text)
    _check_column_option("id", id)
    if not isinstance(origin, str) or not origin or _BAD_ID.search(origin):
        raise ValueError(f"origin must be a non-empty name without '/', '\\\\' or control characters, not {origin!r}")
    columns = [str(c) for c in df.columns]
    if len(set(columns)) != len(columns):
        twice = sorted({c for c in columns if columns.count(c) > 1})
        raise CorpusError(Path(origin), f"column(s) {', '.join(map(repr, twice))} appear more than once")
    records = ((n, dict(zip(columns, values))) for n, values in enumerate(df.itertuples(index=False, name=None), 1))
    return _table(Path(origin), columns, records, text=text, id=id, unit="row", stem=origin, name=origin)


def _check_column_option(name: str, value) -> None:
    if value is not None and (not isinstance(value, str) or not value.strip()):
        raise ValueError(f"{name} must be a column name (a non-empty str) or None, not {value!r}")


# ---- one reader per format: (columns, [(row number, {column: value}) or (row number, problem)]) ----

def _read_delimited(path: Path, sep: str, *, text: str | None = None, id: str | None = None) -> tuple[list[str], list]:  # noqa: A002
    import pandas as pd

    content, _encoding = decode_bytes(path.read_bytes(), path=path)
    try:
        # as UTF-8 bytes: pandas reads a StringIO through a slow re-encoding wrapper (46 MB: 9 s, not 1 s)
        frame = pd.read_csv(io.BytesIO(content.encode("utf-8")), encoding="utf-8", sep=sep, header=None, dtype=object,
                            keep_default_na=False, na_filter=False, skip_blank_lines=False, quoting=csv.QUOTE_MINIMAL)
    except (pd.errors.ParserError, pd.errors.EmptyDataError) as exc:
        kind = path.suffix.lstrip(".").upper()
        if m := re.search(r"EOF inside string starting at row (\d+)", str(exc)):
            row = int(m.group(1)) + 1  # pandas counts from 0
            raise CorpusError(path, f"malformed {kind}: row {row} (line {_line_of_row(content, sep, row)}): a quote "
                                    "opens a cell and is never closed") from exc
        raise CorpusError(path, f"malformed {kind}: {exc}".rstrip()) from exc
    _check_swallowed_rows(path, content, frame, sep, text=text, id=id)
    return _header_and_records(path, frame.itertuples(index=False, name=None), first_row=1)


_THOUSANDS = re.compile(r"(?<=\d),(?=\d{3}(?!\d))")
_SENTENCE_END = re.compile(r"[。！？；]")


def _check_swallowed_rows(path: Path, content: str, frame, sep: str, *, text: str | None, id: str | None) -> None:  # noqa: A002
    """Refuse a CSV/TSV whose quote runs on past its row and swallows the rows after it.

    An opening quote that is not closed where it should be makes the rest of the
    file, up to the next quote, one cell: the rows in between are lost without a
    word. Two signs of it, each an error naming the row and its line:

    * a cell of the id column or of a column meaning a short corpus field (title,
      region, year, date, source…) holds a line break: those are one line each;
    * another cell (the text may hold line breaks) holds a line that reads as a whole
      row of this table: exactly the header's number of cells (three or more), the
      short fields' cells short (at most 100 characters, no sentence end such as 。)
      and the year a year; delimiters between digits (``1,234``) do not count.
    """
    if frame.empty:
        return
    header = ["" if _missing(c) else str(c).strip() for c in frame.iloc[0]]
    known = column_names()
    short_names = {alias for name in FIELDS for alias in known.get(name, ())} | ({id.casefold()} if id else set(known["id"]))
    short = [k for k, name in enumerate(header) if name and name != text and name.casefold() in short_names]
    year = next((k for k in short if header[k].casefold() in known.get("year", ())), None)
    body = frame.iloc[1:]
    for k in range(len(header)):
        cells = body.iloc[:, k]
        broken = cells.str.contains("[\r\n]", regex=True, na=False)
        if not broken.any():
            continue
        for i in broken.to_numpy().nonzero()[0]:
            cell = cells.iloc[i]
            if k in short:
                problem = f"the {header[k]!r} cell holds a line break"
            else:
                if len(header) < 3 or cell.count(sep) < len(header) - 1:  # a quick look first
                    continue
                line = next((line for line in re.split(r"\r\n|\r|\n", cell)[1:]
                             if _reads_as_row(line, sep, len(header), short, year)), None)
                if line is None:
                    continue
                problem = f"the {header[k] or f'column {k + 1}'!r} cell holds a line that reads as a row of its own ({line[:40]!r})"
            row = i + 2
            raise CorpusError(path, f"malformed {path.suffix.lstrip('.').upper()}: row {row} (line {_line_of_row(content, sep, row)}): "
                                    f"{problem}; a quote opened in this row is not closed where it should be, so the "
                                    "rows after it were swallowed")


def _reads_as_row(line: str, sep: str, width: int, short: list[int], year: int | None) -> bool:
    if width < 3 or line.count(sep) < width - 1:
        return False
    if sep == ",":
        line = _THOUSANDS.sub("", line)
    cells = next(csv.reader([line], delimiter=sep))
    if len(cells) != width:
        return False
    for k in short:
        if len(cells[k]) > 100 or _SENTENCE_END.search(cells[k]):
            return False
    if year is not None:
        try:
            _year(cells[year].strip())
        except ValueError:
            return False
    return True


def _line_of_row(content: str, sep: str, row: int) -> int:
    """The line of the file where table row ``row`` (the header is row 1) begins."""
    reader = csv.reader(io.StringIO(content, newline=""), delimiter=sep)
    start = 1
    for n, _cells in enumerate(reader, 1):
        if n == row:
            return start
        start = reader.line_num + 1
    return start


def _read_excel(path: Path) -> tuple[list[str], list]:
    import pandas as pd

    sheets = pd.read_excel(path, sheet_name=None, header=None, dtype=object, engine="openpyxl")
    names = list(sheets)
    if not names:
        raise CorpusError(path, "the workbook has no sheets")
    ignored = [name for name in names[1:] if not sheets[name].dropna(how="all").empty]
    if ignored:
        log.warning("%s: read the first sheet %r only; sheet(s) %s are not read", path, names[0], ", ".join(map(repr, ignored)))
    return _header_and_records(path, sheets[names[0]].itertuples(index=False, name=None), first_row=1)


def _header_and_records(path: Path, tuples: Iterable[tuple], *, first_row: int) -> tuple[list[str], list]:
    rows = iter(tuples)
    header = next(rows, None)
    if header is None:
        raise CorpusError(path, "the table is empty (no header row)")
    names = ["" if _missing(name) else str(name).strip() for name in header]
    body = list(rows)
    keep = []
    for k, name in enumerate(names):
        if name:
            keep.append(k)
        elif any(not _missing(row[k]) for row in body):
            raise CorpusError(path, f"column {k + 1} has cells but no name in the header row")
    columns = [names[k] for k in keep]
    twice = sorted({c for c in columns if columns.count(c) > 1})
    if twice:
        raise CorpusError(path, f"column(s) {', '.join(map(repr, twice))} appear more than once in the header")
    records = [(n, {columns[i]: row[k] for i, k in enumerate(keep)}) for n, row in enumerate(body, first_row + 1)]
    return columns, records


def _read_jsonl(path: Path) -> tuple[list[str], list]:
    text, _encoding = decode_bytes(path.read_bytes(), path=path)
    columns: dict[str, None] = {}
    records: list = []
    # split on "\n" only: JSON strings may hold U+2028 and other line separators str.splitlines breaks at
    for n, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            records.append((n, f"not valid JSON ({exc.msg}: column {exc.colno})"))
            continue
        if not isinstance(record, dict):
            records.append((n, f"not a JSON object but {type(record).__name__}"))
            continue
        columns.update(dict.fromkeys(record))
        records.append((n, record))
    if not records:
        raise CorpusError(path, "the file has no JSON lines")
    return list(columns), records


def _read_parquet(path: Path) -> tuple[list[str], list]:
    try:
        import pyarrow  # noqa: F401
    except ImportError as exc:  # pragma: no cover - a dependency, but say how to get it
        raise CorpusError(path, "reading Parquet files needs pyarrow: pip install 'pyarrow>=15'") from exc
    import pandas as pd

    frame = pd.read_parquet(path, engine="pyarrow")
    columns = [str(c) for c in frame.columns]
    return columns, [(n, dict(zip(columns, values))) for n, values in enumerate(frame.itertuples(index=False, name=None), 1)]


_READERS = {
    ".csv": lambda path: _read_delimited(path, ","),
    ".tsv": lambda path: _read_delimited(path, "\t"),
    ".jsonl": _read_jsonl,
    ".parquet": _read_parquet,
    ".xlsx": _read_excel,
}


# ---- columns and rows ----

@lru_cache(maxsize=1)
def column_names() -> dict[str, tuple[str, ...]]:
    """``{field: column names meaning it}`` from ``workbench/data/table_columns.csv``, in priority order."""
    names: dict[str, list[str]] = {}
    with data_path("table_columns.csv").open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(line for line in fh if not line.startswith("#")):
            names.setdefault(row["field"], []).append(row["column"].strip().casefold())
    return {name: tuple(columns) for name, columns in names.items()}


def _resolve_columns(where: Path, columns: list[str], text: str | None, id: str | None):  # noqa: A002
    known = column_names()
    listed = ", ".join(columns) or "none"
    for option, given in (("text", text), ("id", id)):
        if given is not None and given not in columns:
            raise CorpusError(where, f"no {option} column {given!r}; the columns are: {listed}")
    if text is None:
        found = [c for c in columns if c.strip().casefold() in known["text"] and c != id]
        if not found:
            raise CorpusError(where, f"no text column (looked for {', '.join(known['text'])}); the columns are: {listed}; "
                                     "name it with text= (--text-column)")
        if len(found) > 1:
            raise CorpusError(where, f"more than one text column ({', '.join(found)}); choose one with text= (--text-column)")
        text = found[0]
    if id is None:
        id = next((c for c in columns if c.strip().casefold() in known["id"] and c != text), None)  # noqa: A001
    rest = [c for c in columns if c not in (text, id)]
    fields: dict[str, str] = {}
    for name in FIELDS:
        for alias in known.get(name, ()):
            column = next((c for c in rest if c.strip().casefold() == alias and c not in fields), None)
            if column is not None:
                fields[column] = name
                break
    return text, id, rest, fields


def _table(where: Path, columns: list[str], records: Iterable, *, text, id, unit: str, stem: str, name: str) -> TableRead:  # noqa: A002
    text_column, id_column, rest, fields = _resolve_columns(where, columns, text, id)
    rows: list[TableRow] = []
    errors: list[TableRowError] = []
    first_seen: dict[str, int] = {}
    for n, values in records:
        if isinstance(values, str):
            errors.append(TableRowError(where, n, values, unit=unit))
            continue
        if all(_missing(v) for v in values.values()):
            continue  # a blank line or an empty spreadsheet row is no document
        try:
            body = _text(values.get(text_column))
            doc_id = _doc_id(values.get(id_column)) if id_column is not None else f"{stem}-{n}"
            meta = {fields.get(c, c): _value(fields.get(c), values.get(c)) for c in rest}
        except ValueError as exc:
            errors.append(TableRowError(where, n, str(exc), unit=unit))
            continue
        if doc_id in first_seen:
            errors.append(TableRowError(where, n, f"duplicate id {doc_id!r} (also {unit} {first_seen[doc_id]})", unit=unit))
            continue
        first_seen[doc_id] = n
        rows.append(TableRow(doc_id=doc_id, text=body, meta=meta, origin=f"{name}:{n}"))
    if not rows and not errors:
        raise CorpusError(where, "the table has no rows of documents")
    return TableRead(rows=rows, errors=errors, text_column=text_column, id_column=id_column, fields=fields)


def _missing(value) -> bool:
    """An empty cell: None, NaN, NaT, pd.NA or a blank string."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        import pandas as pd

        return bool(pd.api.types.is_scalar(value) and pd.isna(value))
    except (TypeError, ValueError):
        return False


def _text(value) -> str:
    if _missing(value):
        raise ValueError("empty text")
    if not isinstance(value, str):
        raise ValueError(f"the text is a {type(value).__name__} ({value!r}), not a string")
    return value


def _doc_id(value) -> str:
    if _missing(value):
        raise ValueError("empty id")
    value = _plain(value)
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        raise ValueError(f"id {value!r} is not a name or a number")
    doc_id = str(value).strip()
    if _BAD_ID.search(doc_id) or doc_id in (".", ".."):
        raise ValueError(f"id {doc_id!r} cannot be a doc_id (no '/', '\\', control characters, '.' or '..')")
    return doc_id


def _value(name: str | None, value):
    """A metadata cell, typed: None when empty; ``year`` an int; ``date`` ISO when a full day."""
    if _missing(value):
        return None
    value = _plain(value)
    if isinstance(value, str):
        value = value.strip()
    if name == "year":
        return _year(value)
    if name == "date":
        return _date(value)
    if name == "script" and value not in SCRIPTS:
        raise ValueError(f"script {value!r} is not one of {', '.join(SCRIPTS)}")
    if isinstance(value, float) and value.is_integer():
        value = int(value)  # pandas keeps whole numbers of a column with gaps as floats: 330000.0 is 330000
    if name is not None and not isinstance(value, str):
        value = str(value)  # title, province, source… are words
    return value


def _plain(value):
    """numpy scalars as Python ones, pandas timestamps as datetimes."""
    if hasattr(value, "to_pydatetime"):
        return value.to_pydatetime()
    if hasattr(value, "item") and not isinstance(value, (str, bytes, list, dict)) and getattr(value, "ndim", 1) == 0:
        return value.item()
    return value


def _year(value) -> int:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.year
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int) and not isinstance(value, bool) and 1800 <= value <= 2199:
        return value
    if isinstance(value, str) and (m := _YEAR.fullmatch(value)):
        return int(m.group(1))
    raise ValueError(f"year {value!r} is not a four-digit year")


def _date(value) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.strftime("%Y-%m-%d")
    text = str(value)
    m = _FULL_DATE.fullmatch(text)
    if m and 1 <= int(m.group(2)) <= 12 and 1 <= int(m.group(3)) <= 31:
        return f"{int(m.group(1)):04d}-{int(m.group(2)):02d}-{int(m.group(3)):02d}"
    return text  # not a full day (e.g. "2024-01"): kept as written
