"""Targets against results: was the target a plan set for year Y met?

Each target cell of :func:`workbench.compare.compare_targets` (group, canonical
indicator, measure, year Y) is linked to the result for the same group, indicator,
measure and year reported anywhere in the corpus (the winner of the ``achieved``
records; usually the review section of the next year's report). A period average
(年均增长) is its own canonical indicator and is only ever linked to a period average.

Notes
-----
``gap`` is the result minus the target's value; for a range ``[a, b]`` it is the
distance outside it (``r − a`` below, ``r − b`` above, 0 inside). ``met`` follows
the comparator: ``>=`` r ≥ a, ``<=`` r ≤ b, ``range`` a ≤ r ≤ b; for ``~`` and ``=``
the indicator's direction in the catalogue decides: a floor (GDP growth) is met when
r ≥ v, a ceiling (CPI, unemployment) when r ≤ v; no direction leaves ``met`` empty.
"""
from __future__ import annotations

import numpy as np
import pandas as pd

from .compare import compare_targets, group_column, indicator_direction

ATTAINMENT_COLUMNS = ("year", "indicator_name", "measure", "target_low", "target_high", "comparator", "unit",
                      "result", "gap", "met", "target_quote", "result_quote", "target_doc_id", "result_doc_id")


def target_gap(low: float, high: float, comparator: str, result: float) -> float:
    """The result minus the target (for a range, the distance outside it).

    >>> target_gap(5, 5, "~", 5.2), target_gap(6, 6.5, "range", 6.2), target_gap(6, 6.5, "range", 5.5)
    (0.2, 0.0, -0.5)
    """
    if pd.isna(result) or pd.isna(low):
        return np.nan
    if comparator == "range":
        gap = result - low if result < low else result - high if result > high else 0.0
    elif comparator == "<=":
        gap = result - high
    else:
        gap = result - low
    return round(float(gap), 10)


def target_met(low: float, high: float, comparator: str, result: float, direction: str):
    """True, False, or None (no result, or ``~``/``=`` on an indicator without direction).

    >>> target_met(5, 5, "~", 4.9, "floor"), target_met(3, 3, "~", 2.0, "ceiling"), target_met(6, 6.5, "range", 6.6, "")
    (False, True, False)
    """
    if pd.isna(result) or pd.isna(low):
        return None
    if comparator == ">=":
        return bool(result >= low)
    if comparator == "<=":
        return bool(result <= high)
    if comparator == "range":
        return bool(low <= result <= high)
    if direction == "floor":
        return bool(result >= low)
    if direction == "ceiling":
        return bool(result <= low)
    return None


def attainment(records: pd.DataFrame, corpus=None, *, indicator: str, measure: str | None = None,
               by: str = "region") -> pd.DataFrame:
    """Each target next to the result for the same group, indicator, measure and year.

    Columns: the group (named after ``by``), ``year, indicator_name, measure, target_low,
    target_high, comparator, unit, result, gap, met, target_quote, result_quote,
    target_doc_id, result_doc_id``; one row per target cell, in group then year order;
    ``result``, ``gap`` and ``met`` are empty where no result is reported (or it is masked).
    A result stated as a range counts as its midpoint.

    Examples
    --------
    >>> rows = [("p2021", "国内生产总值增长", 6.0, ">=", 2021, "target", "增长6%以上"),
    ...         ("p2022", "国内生产总值增长", 8.1, "=", 2021, "achieved", "增长8.1%"),
    ...         ("p2022", "国内生产总值增长", 5.5, "~", 2022, "target", "增长5.5%左右"),
    ...         ("p2023", "国内生产总值增长", 3.0, "=", 2022, "achieved", "增长3%")]
    >>> records = pd.DataFrame(rows, columns=["doc_id", "indicator", "value", "comparator", "year", "kind", "quote"])
    >>> records = records.assign(region="全国", indicator_id="gdp", indicator_name="生产总值（GDP）", measure="growth",
    ...                          unit="%", masked=False)
    >>> table = attainment(records, indicator="gdp", measure="growth")
    >>> table[["region", "year", "target_low", "result", "gap", "met"]].values.tolist()
    [['全国', 2021, 6.0, 8.1, 2.1, True], ['全国', 2022, 5.5, 3.0, -2.5, False]]
    """
    if by == "doc_id":
        raise ValueError("by='doc_id' links nothing: a result is reported in another document than its target; "
                         "group by region, province or another grouping that several documents share")
    name = group_column(by)
    targets = compare_targets(records, corpus, by=by, kind="target", indicator=indicator, measure=measure)
    results = compare_targets(records, corpus, by=by, kind="achieved", indicator=indicator, measure=measure)
    key = [name, "indicator_id", "indicator_name", "measure", "year", "unit"]  # 8% is no result for 翻一番
    mid = np.where(results["comparator"] == "range", (results["value_low"] + results["value_high"]) / 2,
                   results["value_low"])
    results = results.assign(result=mid)[[*key, "result", "quote", "doc_id"]]
    table = targets.merge(results, on=key, how="left", suffixes=("", "_result"))
    table = table.rename(columns={"value_low": "target_low", "value_high": "target_high", "quote": "target_quote",
                                  "quote_result": "result_quote", "doc_id": "target_doc_id",
                                  "doc_id_result": "result_doc_id"})
    gaps, met = [], []
    for row in table.itertuples(index=False):
        gaps.append(target_gap(row.target_low, row.target_high, row.comparator, row.result))
        met.append(target_met(row.target_low, row.target_high, row.comparator, row.result,
                              indicator_direction(row.indicator_name)))
    table = table.assign(gap=np.array(gaps, dtype=float), met=pd.array(met, dtype="boolean"))
    return table[list(dict.fromkeys([name, *ATTAINMENT_COLUMNS]))].reset_index(drop=True)
