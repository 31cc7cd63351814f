"""Groups of documents and of text units: any metadata column, or one derived from it.

Every function that compares groups (keywords, keyness, trends, networks, topic shares,
similarity, themes, target comparisons) takes ``by=`` and resolves it here:

- any column of ``corpus.documents`` that is not text or a path: ``doc_id``, ``year``,
  ``region``, ``province``, ``admin_level``, ``doc_type``, a column of the user's table
  or manifest;
- ``decade``: ``1950s``, ``1960s``… from ``year``;
- ``plan_period``: the national five-year plan a year falls in (一五 1953–1957 … 十五五
  2026–2030; 1963–1965 belong to none), from ``data/plan_periods.csv``;
- ``section_role``: for paragraphs and sentences only, the role of the section they sit in
  (``review``, ``plan``, ``next_plan``, ``annex``; see :mod:`workbench.structure`).

A document or unit whose group is unknown (no year, no role) has the label None and is
left out of group comparisons.

>>> decade(1954), plan_period(2021), plan_period(1964)
('1950s', '十四五', None)
"""
from __future__ import annotations

import csv
from functools import lru_cache

import pandas as pd

from .resources import data_path

DERIVED = ("decade", "plan_period", "section_role")
UNIT_ONLY = ("section_role",)
# Columns that are text or bookkeeping, never a grouping.
NOT_GROUPS = ("original", "text", "path", "inferred", "n_chars", "n_paragraphs", "n_sentences", "title", "date",
              "source", "encoding", "format")


@lru_cache(maxsize=1)
def plan_periods() -> tuple[tuple[str, int, int], ...]:
    """``(plan_period, first year, last year)`` of each national five-year plan, in order."""
    with open(data_path("plan_periods.csv"), encoding="utf-8", newline="") as fh:
        return tuple((row["plan_period"], int(row["start"]), int(row["end"])) for row in csv.DictReader(fh))


def decade(year) -> str | None:
    """``"1990s"`` for 1990–1999; None for a missing year.

    >>> decade(2025), decade(None)
    ('2020s', None)
    """
    if year is None or pd.isna(year):
        return None
    return f"{int(year) // 10 * 10}s"


def plan_period(year) -> str | None:
    """The national five-year plan period of a year (``十四五`` for 2021–2025), or None.

    >>> plan_period(1957), plan_period(1966), plan_period(2030)
    ('一五', '三五', '十五五')
    """
    if year is None or pd.isna(year):
        return None
    year = int(year)
    for name, first, last in plan_periods():
        if first <= year <= last:
            return name
    return None


def groupings(corpus) -> list[str]:
    """The ``by=`` values a corpus offers: its grouping columns, then the derived ones."""
    columns = [c for c in corpus.documents.columns if c not in NOT_GROUPS]
    return [*columns, *DERIVED]


def check_by(corpus, by: str, *, units: bool = False) -> None:
    """A ValueError naming the choices when ``by`` is not a grouping of this corpus (or of its units)."""
    allowed = [g for g in groupings(corpus) if units or g not in UNIT_ONLY]
    if by not in allowed:
        where = "" if units else " (section_role groups paragraphs and sentences, not documents)"
        raise ValueError(f"by must be one of {', '.join(allowed)}, not {by!r}{where if by in UNIT_ONLY else ''}")


def document_groups(corpus, by: str) -> pd.Series:
    """Each document's group label, indexed by ``doc_id`` (None where unknown).

    >>> import workbench as wb
    >>> document_groups(wb.load_corpus(), "decade").value_counts().to_dict()
    {'2020s': 5}
    """
    check_by(corpus, by)
    docs = corpus.documents
    if by == "decade":
        labels = [decade(y) for y in docs["year"]]
    elif by == "plan_period":
        labels = [plan_period(y) for y in docs["year"]]
    else:
        labels = [None if pd.isna(v) else (v if isinstance(v, str) else str(v) if by != "year" else int(v))
                  for v in docs[by]]
    return pd.Series(labels, index=pd.Index(docs["doc_id"], name="doc_id"), name=by, dtype=object)


def unit_groups(corpus, units: pd.DataFrame, by: str) -> pd.Series:
    """The group label of each row of a paragraph or sentence table (``doc_id`` and, for
    ``section_role``, ``section_id`` columns), aligned with ``units``' rows."""
    check_by(corpus, by, units=True)
    if by == "section_role":
        if "section_id" not in units:
            raise ValueError("grouping by section_role needs the units' section_id (paragraphs or sentences)")
        roles = corpus.sections.set_index(["doc_id", "section_id"])["role"]
        keys = pd.MultiIndex.from_arrays([units["doc_id"], units["section_id"]])
        labels = roles.reindex(keys).to_numpy(dtype=object)
        return pd.Series([v if isinstance(v, str) and v else None for v in labels], index=units.index, name=by,
                         dtype=object)
    by_doc = document_groups(corpus, by).to_dict()
    return pd.Series([by_doc.get(d) for d in units["doc_id"].tolist()], index=units.index, name=by, dtype=object)


def group_order(labels, by: str) -> list:
    """The distinct labels in their natural order: plan periods and years in time, else sorted."""
    distinct = {v for v in labels if v is not None and not (isinstance(v, float) and pd.isna(v))}
    if by == "plan_period":
        rank = {name: i for i, (name, _, _) in enumerate(plan_periods())}
        return sorted(distinct, key=lambda v: rank.get(v, len(rank)))
    return sorted(distinct, key=lambda v: (not isinstance(v, (int, float)), v if isinstance(v, (int, float)) else str(v)))


TIME_LIKE = ("year", "decade", "plan_period")


def ordered_groups(labels, by: str) -> list:
    """The distinct labels in the order tables list them: in time for ``year``, ``decade`` and
    ``plan_period``; otherwise as first seen (corpus order). None is left out.

    >>> ordered_groups([2024, 1958, None, 2024], "year"), ordered_groups(["乙", "甲", "乙"], "region")
    ([1958, 2024], ['乙', '甲'])
    """
    if by in TIME_LIKE:
        return group_order(labels, by)
    if by == "section_role":  # in the order of a report: review, plan, next_plan, annex
        from .structure import ROLES

        present = {v for v in labels if isinstance(v, str)}
        return [r for r in ROLES if r in present] + sorted(present - set(ROLES))
    return [v for v in dict.fromkeys(labels) if v is not None and not (isinstance(v, float) and pd.isna(v))]


def find_group(labels, value, by: str):
    """The label among ``labels`` that ``value`` names (``"2024"`` names the year 2024), or a
    ValueError listing the choices.

    >>> find_group([1958, 2024], "2024", "year")
    2024
    """
    known = ordered_groups(labels, by)
    for label in known:
        if label == value or str(label) == str(value):
            return label
    shown = ", ".join(map(str, known[:30])) + (" …" if len(known) > 30 else "")
    raise ValueError(f"no {by} {value!r} in the corpus; choose from {shown}")
