"""Compare target records across documents or regions: a table, coverage counts, exports.

The charts of these tables are in :mod:`workbench.viz` (``plot_indicator``, ``plot_coverage``).
"""
from __future__ import annotations

from pathlib import Path

import pandas as pd

from .output import atomic_path, write_table

COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "~": "≈", "=": ""}
BY_CHOICES = ("doc_id", "region", "doc_type")


def filter_targets(records: pd.DataFrame, *, kind: str | None = None, year: int | None = None,
                   indicator: str | None = None, doc_ids=None) -> pd.DataFrame:
    """Records of one kind, year, indicator_id and/or documents (a new DataFrame)."""
    out = records
    if kind is not None:
        if kind not in ("target", "achieved"):
            raise ValueError(f"kind must be 'target' or 'achieved', not {kind!r}")
        out = out[out["kind"] == kind]
    if year is not None:
        out = out[out["year"] == year]
    if indicator is not None:
        out = out[out["indicator_id"] == indicator]
    if doc_ids is not None:
        out = out[out["doc_id"].isin(list(doc_ids))]
    return out.reset_index(drop=True)


def format_cell(row) -> str:
    """``≥8%（2025）``: comparator, value, unit and year of one record; ``XX%`` when masked."""
    value = "XX" if row["masked"] else f"{row['value']:g}"
    year = "" if pd.isna(row["year"]) else f"（{int(row['year'])}）"
    return f"{COMPARATOR_SIGNS.get(row['comparator'], '')}{value}{row['unit']}{year}"


def compare_targets(records: pd.DataFrame, corpus=None, *, by: str = "doc_id", kind: str | None = None,
                    year: int | None = None, indicator: str | None = None) -> pd.DataFrame:
    """An indicator × document (or region) table of the records.

    Each cell lists the records of that indicator in that column as
    ``comparator value unit（year）``, joined by ``；``. Rows are sorted so the
    indicators most columns address come first (ties: more records first, then
    the id). ``by="region"`` or ``"doc_type"`` needs the ``corpus`` for metadata.
    """
    if by not in BY_CHOICES:
        raise ValueError(f"by must be one of {', '.join(BY_CHOICES)}, not {by!r}")
    data = filter_targets(records, kind=kind, year=year, indicator=indicator)
    if by != "doc_id":
        if corpus is None:
            raise ValueError(f"by={by!r} needs the corpus for the documents' metadata")
        meta = corpus.documents[["doc_id", by]].fillna({by: "(unknown)"})
        data = data.merge(meta, on="doc_id", how="left")
    if data.empty:
        return pd.DataFrame(columns=["indicator_id", "columns_covered", "records"])
    data = data.assign(cell=data.apply(format_cell, axis=1))
    table = data.pivot_table(index="indicator_id", columns=by, values="cell", aggfunc=lambda s: "；".join(s))
    table = table.fillna("")
    stats = data.groupby("indicator_id").agg(columns_covered=(by, "nunique"), records=("cell", "size"))
    table = stats.join(table).reset_index()
    table = table.sort_values(["columns_covered", "records", "indicator_id"], ascending=[False, False, True])
    return table.reset_index(drop=True)


def coverage(records: pd.DataFrame) -> pd.DataFrame:
    """indicator_id × doc_id counts of records (how many targets each plan sets in each area)."""
    return pd.crosstab(records["indicator_id"], records["doc_id"]).sort_index()


def export_tables(tables: dict[str, pd.DataFrame] | pd.DataFrame, path: str | Path, *, overwrite: bool = False,
                  bom: bool = True) -> Path:
    """Write a table (or several) to ``.csv``, ``.jsonl`` or ``.xlsx`` (one sheet per table), atomically.

    An existing file is never replaced unless ``overwrite=True``; missing folders are
    created (:func:`workbench.output.atomic_path`). CSV and JSON Lines take one table.

    The files are safe to open in a spreadsheet: in ``.xlsx`` every text is a text cell
    (``=1+2`` stays the text ``=1+2``); in ``.csv`` a text that begins with ``=``, ``+``,
    ``-``, ``@``, a tab or a carriage return gets a leading ``'``; numbers stay numbers.
    A ``.csv`` starts with a UTF-8 byte order mark, so Excel on Windows shows Chinese
    instead of mojibake (``bom=False`` for tools that do not expect one).
    ``.jsonl`` keeps every text exactly.

    Examples
    --------
    >>> import tempfile
    >>> path = Path(tempfile.mkdtemp()) / "new" / "records.csv"
    >>> export_tables(pd.DataFrame({"region": ["=1+2"], "value": [-3]}), path) == path
    True
    >>> path.read_text(encoding="utf-8-sig").splitlines()
    ['region,value', "'=1+2,-3"]
    """
    path = Path(path)
    if isinstance(tables, pd.DataFrame):
        tables = {"records": tables}
    suffix = path.suffix.lower()
    if suffix not in (".csv", ".jsonl", ".xlsx"):
        raise ValueError(f"{path}: export to .csv, .jsonl or .xlsx, not {suffix or 'no suffix'!r}")
    if suffix != ".xlsx" and len(tables) != 1:
        raise ValueError(f"{path}: {suffix} holds one table; use .xlsx for {len(tables)} tables")
    if path.is_file() and not overwrite:
        raise FileExistsError(f"{path} exists; pass overwrite=True (CLI: --force) to replace it")
    with atomic_path(path, suffix=suffix) as tmp:
        _write_export(tables, tmp, suffix, bom=bom)
    return path


def _write_export(tables: dict[str, pd.DataFrame], tmp: Path, suffix: str, *, bom: bool) -> None:
    """Write the tables to ``tmp`` as ``suffix`` says (see :func:`export_tables`)."""
    from .output import neutralise_formulas

    if suffix == ".xlsx":
        with pd.ExcelWriter(tmp, engine="openpyxl") as writer:
            for name, df in tables.items():
                df.to_excel(writer, sheet_name=name[:31], index=False)
            for sheet in writer.book.worksheets:  # openpyxl makes a text starting with "=" a formula
                for row in sheet.iter_rows():
                    for cell in row:
                        if cell.data_type == "f":
                            cell.data_type = "s"
        return
    (df,) = tables.values()
    encoding = "utf-8-sig" if suffix == ".csv" and bom else "utf-8"
    with open(tmp, "w", encoding=encoding, newline="") as fh:
        if suffix == ".csv":
            neutralise_formulas(df).to_csv(fh, index=False)
        else:
            write_table(df, "jsonl", fh)
