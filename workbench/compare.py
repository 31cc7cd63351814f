"""Compare target records across groups: one value per cell, the records that competed, exports.

A *cell* is one group (a region, a document, a plan period: any ``by=`` of
:mod:`workbench.groups`), one canonical indicator (``indicator_name``), one
measure and one year. Several records may speak for a cell; one wins:

1. the record from the section that speaks for that year: a target from a plan
   section (role ``plan`` or ``next_plan``) of the document of that year, a result
   from the review section (``review``) of the next year's document; then one from
   such a section of another document; then one from that year's document
   (``data/target_compare.json``);
2. a written number before a masked one (``XX%``);
3. the first stated (document order, then position).

A range ``a–b`` (two records, ``>=`` a and ``<=`` b, the same quote) is one
competitor with ``value_low`` a, ``value_high`` b and comparator ``range``; a single
value v fills both ends and keeps its comparator. A period average (年均增长) or a
change since a base year (比2020年增长) is its own canonical indicator (the name
gets ``（年均）`` / ``（累计）``): it never stands in for an annual figure.

The charts of these tables are in :mod:`workbench.viz` (``plot_indicator``,
``plot_coverage``); targets against results are in :mod:`workbench.attainment`.
"""
from __future__ import annotations

import csv
import json
import logging
import re
import unicodedata
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .groups import check_by, document_groups, group_order
from .output import atomic_path, write_table
from .resources import data_path
from .targets import POSITION_FIELDS, SCHEMA_FIELDS

log = logging.getLogger("workbench")

COMPARATOR_SIGNS = {">=": "≥", "<=": "≤", "~": "≈", "=": "", "range": ""}
KINDS = ("target", "achieved")
CELL_KEY = ("indicator_id", "indicator_name", "measure", "year")
COMPARE_COLUMNS = ("indicator_id", "indicator_name", "measure", "year", "value_low", "value_high", "comparator",
                   "unit", "display", "doc_id", "quote", "n_records")
NEEDED = ("doc_id", "indicator_id", "indicator_name", "measure", "value", "unit", "comparator", "year", "kind",
          "masked", "quote")
RECORD_FIELDS = (*SCHEMA_FIELDS, *POSITION_FIELDS, "section_role", "doc_year")
COMPETITOR_COLUMNS = ("indicator_id", "indicator_name", "measure", "year", "rank", "value_low", "value_high",
                      "comparator", "unit", "display", "doc_id", "section_role", "paragraph", "quote")


@lru_cache(maxsize=1)
def _rules() -> dict:
    raw = json.loads(data_path("target_compare.json").read_text(encoding="utf-8"))
    return {**raw, "period_average": re.compile(raw["period_average"]), "cumulative": re.compile(raw["cumulative"])}


@lru_cache(maxsize=1)
def _catalogue() -> tuple[dict[str, str], dict[str, str]]:
    """``(indicator_key -> indicator_name, indicator_name -> direction)`` of the shipped catalogue."""
    with open(data_path("indicator_catalogue.csv"), encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))
    return ({r["indicator_key"]: r["indicator_name"] for r in rows},
            {r["indicator_name"]: r["direction"] or "none" for r in rows})


def indicator_direction(indicator_name: str) -> str:
    """``floor`` (more is better: GDP growth), ``ceiling`` (less is better: CPI, unemployment)
    or ``none``, from the catalogue; a period average or cumulative change keeps its base's direction.

    >>> indicator_direction("生产总值（GDP）（年均）"), indicator_direction("居民消费价格（CPI）"), indicator_direction("?")
    ('floor', 'ceiling', 'none')
    """
    for suffix in _rules()["suffixes"].values():
        indicator_name = indicator_name.removesuffix(suffix)
    return _catalogue()[1].get(indicator_name, "none")


def canonical_indicator(indicator: str, indicator_name: str, year=None, unit: str = "") -> str:
    """The canonical indicator a record speaks for: the catalogue name, marked when the phrase
    as written is a period average or a change since a base year (not when the base year is
    the year before the record's ``year``: that is an annual change).

    >>> canonical_indicator("国内生产总值增长", "生产总值（GDP）")
    '生产总值（GDP）'
    >>> canonical_indicator("国内生产总值年均增长", "生产总值（GDP）"), canonical_indicator("比2002年增长", "生产总值（GDP）")
    ('生产总值（GDP）（年均）', '生产总值（GDP）（累计）')
    >>> canonical_indicator("生产总值比1954年增长", "生产总值（GDP）", 1955), canonical_indicator("生产总值实现", "生产总值（GDP）", unit="番")
    ('生产总值（GDP）', '生产总值（GDP）（累计）')
    """
    rules = _rules()
    indicator = unicodedata.normalize("NFKC", indicator) if isinstance(indicator, str) else ""
    if rules["period_average"].search(indicator):
        return f"{indicator_name}{rules['suffixes']['period_average']}"
    if unit in rules["cumulative_units"]:
        return f"{indicator_name}{rules['suffixes']['cumulative']}"
    found = rules["cumulative"].search(indicator)
    if found:
        base = re.search(r"(?:19|20)\d\d", found.group())
        if not (base and year is not None and not pd.isna(year) and int(base.group()) == int(year) - 1):
            return f"{indicator_name}{rules['suffixes']['cumulative']}"
    return indicator_name


def format_value(low, high, comparator: str, unit: str, masked: bool = False) -> str:
    """How a cell reads: ``≈5%``, ``≥5%``, ``5%–5.5%``, ``XX%`` when masked.

    >>> format_value(5, 5, "~", "%"), format_value(5, 5, ">=", "%"), format_value(5, 5.5, "range", "%")
    ('≈5%', '≥5%', '5%–5.5%')
    """
    unit = unit if isinstance(unit, str) else ""
    if masked or pd.isna(low):
        return f"{COMPARATOR_SIGNS.get(comparator, '')}XX{unit}"
    if comparator == "range":
        return f"{low:g}{unit}–{high:g}{unit}"
    return f"{COMPARATOR_SIGNS.get(comparator, '')}{low:g}{unit}"


def _match_indicator(records: pd.DataFrame, indicator: str) -> pd.Series:
    """Rows whose indicator_id, canonical name or catalogue key is ``indicator``."""
    if (records["indicator_id"] == indicator).any():
        return records["indicator_id"] == indicator
    name = _catalogue()[0].get(indicator, indicator)
    return records["indicator_name"] == name


def filter_targets(records: pd.DataFrame, *, kind: str | None = None, year: int | None = None,
                   indicator: str | None = None, measure: str | None = None, doc_ids=None) -> pd.DataFrame:
    """Records of one kind, year, indicator, measure and/or documents (a new DataFrame).

    ``indicator`` is an ``indicator_id`` (``gdp``), else a catalogue key or canonical name.
    """
    out = records
    if kind is not None:
        if kind not in KINDS:
            raise ValueError(f"kind must be 'target' or 'achieved', not {kind!r}")
        out = out[out["kind"] == kind]
    if year is not None:
        out = out[out["year"] == year]
    if indicator is not None:
        out = out[_match_indicator(out, indicator)]
    if measure is not None:
        out = out[out["measure"] == measure]
    if doc_ids is not None:
        out = out[out["doc_id"].isin(list(doc_ids))]
    return out.reset_index(drop=True)


def group_column(by: str) -> str:
    """The name of the group column: ``by``, or ``document_<by>`` where ``by`` is a record field (``year``).

    >>> group_column("region"), group_column("doc_id"), group_column("year")
    ('region', 'doc_id', 'document_year')
    """
    return f"document_{by}" if by in RECORD_FIELDS and by != "doc_id" else by


def _group_labels(records: pd.DataFrame, corpus, by: str) -> pd.Series:
    if by == "doc_id" or (by not in RECORD_FIELDS and by in records.columns and corpus is None):
        return records[by].astype(object)
    if corpus is None:
        raise ValueError(f"by={by!r} needs the corpus for the documents' metadata (or a records column {by!r})")
    check_by(corpus, by)
    return records["doc_id"].map(document_groups(corpus, by)).astype(object)


def _section_roles(records: pd.DataFrame, corpus) -> pd.Series:
    if "section_role" in records.columns:
        return records["section_role"]
    sections, paragraphs = getattr(corpus, "sections", None), getattr(corpus, "paragraphs", None)
    if sections is None or paragraphs is None or "paragraph" not in records or "section_id" not in paragraphs:
        return pd.Series(None, index=records.index, dtype=object)
    section = paragraphs.set_index(["doc_id", "paragraph"])["section_id"]
    role = sections.set_index(["doc_id", "section_id"])["role"]
    ids = section.reindex(pd.MultiIndex.from_arrays([records["doc_id"], records["paragraph"]])).to_numpy()
    roles = role.reindex(pd.MultiIndex.from_arrays([records["doc_id"].to_numpy(), ids])).to_numpy(dtype=object)
    return pd.Series([r if isinstance(r, str) and r else None for r in roles], index=records.index, dtype=object)


def _doc_years(records: pd.DataFrame, corpus) -> pd.Series:
    if "doc_year" in records.columns:
        return pd.to_numeric(records["doc_year"], errors="coerce")
    if corpus is None or "year" not in corpus.documents:
        return pd.Series(np.nan, index=records.index)
    years = pd.to_numeric(corpus.documents.set_index("doc_id")["year"], errors="coerce")
    return records["doc_id"].map(years).astype(float)


def _pair_ranges(data: pd.DataFrame) -> pd.DataFrame:
    """One row per competitor: a ``>=`` record followed by a ``<=`` record of the same quote,
    cell and document becomes one ``range`` row."""
    same = ["doc_id", "quote", "indicator_id", "indicator_name", "measure", "year", "group"]
    following = data.shift(-1)
    alike = pd.Series(True, index=data.index)
    for column in same:
        alike &= (data[column] == following[column]) | (data[column].isna() & following[column].isna())
    lower = (alike & (data["comparator"] == ">=") & (following["comparator"] == "<=") & ~data["masked"]
             & ~following["masked"].fillna(True).astype(bool)
             & (data["value"] <= following["value"]))
    upper = lower.shift(1, fill_value=False)
    data = data.assign(value_low=data["value"], value_high=data["value"])
    data.loc[lower, "value_high"] = following.loc[lower, "value"].astype(float)
    data.loc[lower, "comparator"] = "range"
    data.loc[lower, "unit"] = following.loc[lower, "unit"]
    return data[~upper]


def competing_targets(records: pd.DataFrame, corpus=None, *, by: str = "doc_id", kind: str = "target",
                      year: int | None = None, indicator: str | None = None,
                      measure: str | None = None) -> pd.DataFrame:
    """Every record that speaks for a cell of :func:`compare_targets`, ranked (``rank`` 1 wins).

    Columns: the group (named after ``by``), ``indicator_id, indicator_name, measure, year,
    rank, value_low, value_high, comparator, unit, display, doc_id, section_role, paragraph,
    quote``. ``indicator_name`` is the canonical indicator (see :func:`canonical_indicator`).
    A range counts as one competitor. Groups come from the ``corpus`` (any grouping of
    :func:`workbench.groups.document_groups`) or from a column ``by`` of ``records``;
    records whose group is unknown are left out.
    """
    if kind not in KINDS:
        raise ValueError(f"kind must be 'target' or 'achieved', not {kind!r}")
    missing = [c for c in NEEDED if c not in records.columns]
    if missing:
        raise ValueError(f"the records lack the column(s) {', '.join(missing)}: pass the table extract_targets returns")
    data = filter_targets(records, kind=kind, year=year, indicator=indicator, measure=measure)
    if "indicator" not in data:
        data = data.assign(indicator="")
    name = group_column(by)
    columns = list(dict.fromkeys([name, *COMPETITOR_COLUMNS]))
    group = _group_labels(data, corpus, by)
    data = data.assign(group=group.to_numpy(), section_role=_section_roles(data, corpus).to_numpy(),
                       doc_year=_doc_years(data, corpus).to_numpy())
    unknown = data["group"].isna()
    if unknown.any():
        log.info("compare: %d records have no %s and are left out", int(unknown.sum()), by)
        data = data[~unknown]
    if data.empty:
        return pd.DataFrame(columns=columns)
    named = data["indicator_name"].where(data["indicator_name"].fillna("") != "", data["indicator_id"])
    data = data.assign(indicator_name=[canonical_indicator(i, n, y, u) for i, n, y, u in
                                       zip(data["indicator"], named, data["year"], data["unit"])])
    for column in ("paragraph", "start"):
        if column not in data:
            data[column] = np.arange(len(data)) if column == "start" else pd.NA
    order = {d: i for i, d in enumerate(corpus.documents["doc_id"])} if corpus is not None else {}
    data = data.assign(doc_order=data["doc_id"].map(lambda d: order.get(d, len(order))))
    data = data.sort_values(["doc_order", "doc_id", "paragraph", "start"], kind="stable").reset_index(drop=True)
    data = _pair_ranges(data)
    rules = _rules()
    home_role = data["section_role"].isin(rules["home_role"][kind])
    home_year = data["doc_year"] == data["year"].astype(float) + rules["home_offset"][kind]
    data = data.assign(home=np.select([home_role & home_year, home_role, home_year], [0, 1, 2], 3),
                       masked_last=data["masked"].astype(bool))
    key = ["group", *CELL_KEY]
    data = data.sort_values([*key, "home", "masked_last", "doc_order", "doc_id", "paragraph", "start"],
                            kind="stable", na_position="last")
    data["rank"] = data.groupby(key, dropna=False, sort=False).cumcount() + 1
    data["display"] = [format_value(lo, hi, c, u, m) for lo, hi, c, u, m in
                       zip(data["value_low"], data["value_high"], data["comparator"], data["unit"], data["masked"])]
    data = data.assign(**{name: data["group"]})
    return _in_group_order(data[columns], by)


def _in_group_order(table: pd.DataFrame, by: str) -> pd.DataFrame:
    rank = {g: i for i, g in enumerate(group_order(table[group_column(by)], by))}
    order = ["_g", "indicator_id", "indicator_name", "measure", "year", *(["rank"] if "rank" in table else [])]
    table = table.assign(_g=table[group_column(by)].map(rank))
    return table.sort_values(order, kind="stable", na_position="last").drop(columns="_g").reset_index(drop=True)


def compare_targets(records: pd.DataFrame, corpus=None, *, by: str = "doc_id", kind: str = "target",
                    year: int | None = None, indicator: str | None = None, measure: str | None = None,
                    wide: bool = False) -> pd.DataFrame:
    """One value per group and canonical indicator: a tidy table, or groups × indicators.

    Tidy (default): one row per group, canonical indicator, measure and year, with the
    columns ``<by>, indicator_id, indicator_name, measure, year, value_low, value_high,
    comparator, unit, display, doc_id, quote, n_records`` (``n_records``: how many
    competitors the cell had; :func:`competing_targets` lists them). Groups come in their
    natural order (plan periods and years in time), then indicators by id and name.

    ``wide=True``: one row per group, one column per indicator (its name, plus measure and
    year when the table holds several), the ``display`` string in each cell.

    Examples
    --------
    >>> records = pd.DataFrame({"doc_id": ["a", "a", "b"], "region": ["甲市", "甲市", "乙市"],
    ...     "indicator": ["地区生产总值增长"] * 3, "indicator_id": ["gdp"] * 3,
    ...     "indicator_name": ["生产总值（GDP）"] * 3, "measure": ["growth"] * 3, "value": [5.0, 5.5, 6.0],
    ...     "unit": ["%"] * 3, "comparator": [">=", "<=", "~"], "year": [2021] * 3, "kind": ["target"] * 3,
    ...     "masked": [False] * 3, "quote": ["增长5%—5.5%", "增长5%—5.5%", "增长6%左右"]})
    >>> table = compare_targets(records, by="region")
    >>> table[["region", "value_low", "value_high", "comparator", "display"]].values.tolist()
    [['乙市', 6.0, 6.0, '~', '≈6%'], ['甲市', 5.0, 5.5, 'range', '5%–5.5%']]
    """
    ranked = competing_targets(records, corpus, by=by, kind=kind, year=year, indicator=indicator, measure=measure)
    name = group_column(by)
    key = list(dict.fromkeys([name, *CELL_KEY]))
    counts = ranked.groupby(key, dropna=False, sort=False).size().rename("n_records")
    table = ranked[ranked["rank"] == 1].merge(counts.reset_index(), on=key, how="left")
    table = table[list(dict.fromkeys([name, *COMPARE_COLUMNS]))].reset_index(drop=True)
    table["n_records"] = table["n_records"].astype("int64")
    return _wide(table, name) if wide else table


def _wide(table: pd.DataFrame, by: str) -> pd.DataFrame:
    """Groups in rows, one column per indicator (name, measure and year where they vary)."""
    if table.empty:
        return pd.DataFrame(columns=[by])
    parts = [table["indicator_name"].astype(str)]
    if table["measure"].nunique() > 1:
        parts.append(table["measure"].astype(str))
    if table["year"].nunique(dropna=False) > 1:
        parts.append(table["year"].map(lambda y: "" if pd.isna(y) else str(int(y))))
    label = parts[0].str.cat(parts[1:], sep=" ").str.strip() if len(parts) > 1 else parts[0]
    data = table.assign(column=label.to_numpy())
    wide = data.pivot(index=by, columns="column", values="display")
    groups = list(dict.fromkeys(data[by]))
    return wide.reindex(index=groups, columns=list(dict.fromkeys(data["column"]))).fillna("").reset_index() \
        .rename_axis(columns=None)


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
