"""Term trends: how often terms occur per year or group, counted as tokens or in the text.

Two ways of counting say different things, and the table always says which one it used
(``counted_as``):

- ``count="tokens"``: the jieba tokens equal to the term. ``改革`` inside the tokens
  ``改革开放`` or ``体制改革`` is not counted: this is the word as the segmenter sees it.
- ``count="text"``: the term's occurrences in the clean text, wherever they are (inside
  longer words too, non-overlapping).

Both are divided by the group's number of word tokens (punctuation not counted, stopwords
counted): ``per_10k = count / total_tokens × 10,000``, so groups of different sizes compare.

>>> import workbench as wb
>>> table = term_trends(wb.load_corpus(), ["改革", "创新"], by="doc_type", count="text")
>>> table.columns.tolist()
['group', 'term', 'count', 'total_tokens', 'per_10k', 'counted_as']
"""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .groups import document_groups, group_order
from .segment import is_punctuation, segment_corpus

COUNTS = ("tokens", "text")
TREND_COLUMNS = ["group", "term", "count", "total_tokens", "per_10k", "counted_as"]


def term_trends(corpus, terms: str | Sequence[str], *, by: str = "year", count: str = "tokens",
                tokens: pd.DataFrame | None = None, per: int = 10_000) -> pd.DataFrame:
    """A term's frequency per group (year, decade, plan period, region…), raw and per 10,000 tokens.

    Parameters
    ----------
    terms : str or list of str
        The terms, in the order the table lists them.
    by : str
        A grouping (:mod:`workbench.groups`): a metadata column or ``decade``/``plan_period``.
    count : {"tokens", "text"}
        Count tokens equal to the term, or the term's occurrences in the clean text.
    tokens : DataFrame, optional
        The corpus's :func:`~workbench.segment_corpus` table (segmented here when not given;
        stopwords must be kept, as ``segment_corpus`` does by default).

    Returns
    -------
    DataFrame
        ``group, term, count, total_tokens, per_10k, counted_as``: one row per group and
        term, groups in their natural order (years ascending), documents without a group
        left out.

    Notes
    -----
    ``per_10k = count / total_tokens × per``, where ``total_tokens`` counts the group's word
    tokens (punctuation excluded, stopwords included) for both ways of counting.
    """
    terms = [terms] if isinstance(terms, str) else list(terms)
    if not terms or not all(isinstance(t, str) and t.strip() for t in terms):
        raise ValueError("terms must be one or more non-empty strings")
    if count not in COUNTS:
        raise ValueError(f"count must be one of {', '.join(COUNTS)}, not {count!r}")
    if per <= 0:
        raise ValueError(f"per must be positive, not {per!r}")
    labels = document_groups(corpus, by)
    per_doc = document_counts(corpus, terms, count=count, tokens=tokens)
    per_doc["group"] = per_doc["doc_id"].map(labels)
    per_doc = per_doc[per_doc["group"].notna()]
    order = group_order(per_doc["group"], by)
    summed = per_doc.groupby("group", sort=False)[[*terms, "total_tokens"]].sum().reindex(order)
    rows = []
    for term in terms:
        for group, n, total in zip(summed.index, summed[term].tolist(), summed["total_tokens"].tolist()):
            rows.append((group, term, int(n), int(total), n / total * per if total else 0.0, count))
    table = pd.DataFrame(rows, columns=TREND_COLUMNS)
    return table.astype({"count": "int64", "total_tokens": "int64", "per_10k": "float64"})


def document_counts(corpus, terms: Sequence[str], *, count: str = "tokens",
                    tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """Per document: each term's count (as tokens or in the text) and ``total_tokens``."""
    if tokens is None:
        tokens = segment_corpus(corpus, progress=False)
    doc_ids = corpus.documents["doc_id"].tolist()
    totals = dict.fromkeys(doc_ids, 0)
    counts = {term: dict.fromkeys(doc_ids, 0) for term in terms}
    wanted = set(terms)
    for doc_id, toks in zip(tokens["doc_id"].tolist(), tokens["tokens"].tolist()):
        totals[doc_id] += sum(1 for t in toks if not is_punctuation(t))
        if count == "tokens":
            for t in toks:
                if t in wanted:
                    counts[t][doc_id] += 1
    if count == "text":
        for doc_id, text in zip(doc_ids, corpus.documents["text"].tolist()):
            for term in terms:
                counts[term][doc_id] = text.count(term)
    table = pd.DataFrame({"doc_id": doc_ids, **{t: [counts[t][d] for d in doc_ids] for t in terms},
                          "total_tokens": [totals[d] for d in doc_ids]})
    return table


def plot_trends(table: pd.DataFrame, *, value: str = "per_10k", title: str | None = None):
    """A line per term over the groups; years (or decades) on a real time axis.

    ``table`` is a :func:`term_trends` table; ``value`` is ``per_10k`` or ``count``.
    Years missing from the corpus are gaps in the line, not joined over.
    """
    import matplotlib.pyplot as plt

    from .fonts import apply_cjk_font

    if value not in ("per_10k", "count"):
        raise ValueError(f"value must be per_10k or count, not {value!r}")
    apply_cjk_font()
    groups = list(dict.fromkeys(table["group"]))
    numeric = all(isinstance(g, (int, np.integer)) for g in groups)
    fig, ax = plt.subplots(figsize=(min(16, max(7, 0.12 * len(groups) + 5)), 4.2))
    for term, rows in table.groupby("term", sort=False):
        if numeric:
            years = np.arange(min(groups), max(groups) + 1)
            series = rows.set_index("group")[value].reindex(years)  # gaps where a year has no document
            ax.plot(years, series.to_numpy(dtype=float), marker="o", markersize=3, label=term)
        else:
            ax.plot(range(len(groups)), rows.set_index("group")[value].reindex(groups).to_numpy(dtype=float),
                    marker="o", label=term)
    if not numeric:
        step = max(1, len(groups) // 20)
        ax.set_xticks(range(0, len(groups), step), [str(g) for g in groups[::step]], rotation=30, ha="right")
    ax.set_ylabel("per 10,000 tokens" if value == "per_10k" else "count")
    counted = table["counted_as"].iloc[0] if len(table) else "tokens"
    ax.set_title(title or f"term frequency ({'as tokens' if counted == 'tokens' else 'in the text'})")
    ax.legend(loc="best", fontsize=9)
    ax.grid(alpha=0.3)
    fig.tight_layout()
    return fig


def plot_dispersion(corpus, terms: str | Sequence[str], *, doc_ids: Sequence[str] | None = None):
    """Where in each document the terms occur: one row per document, a tick per occurrence
    at its relative position in the clean text (0 = start, 1 = end)."""
    import matplotlib.pyplot as plt

    from .fonts import apply_cjk_font

    terms = [terms] if isinstance(terms, str) else list(terms)
    apply_cjk_font()
    docs = corpus.documents if doc_ids is None else corpus.documents.set_index("doc_id").loc[list(doc_ids)].reset_index()
    fig, ax = plt.subplots(figsize=(9, 0.8 + 0.22 * len(docs)))
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    for row, (doc_id, text) in enumerate(zip(docs["doc_id"], docs["text"])):
        for k, term in enumerate(terms):
            positions, at = [], text.find(term)
            while at >= 0:
                positions.append(at / max(len(text), 1))
                at = text.find(term, at + len(term))
            ax.vlines(positions, row - 0.35, row + 0.35, color=colours[k % len(colours)],
                      label=term if row == 0 else None, linewidth=0.8)
    ax.set_yticks(range(len(docs)), [str(d) for d in docs["doc_id"]], fontsize=7 if len(docs) > 30 else 9)
    ax.set_ylim(len(docs) - 0.5, -0.5)
    ax.set_xlim(0, 1)
    ax.set_xlabel("position in the document")
    ax.legend(loc="upper right", fontsize=8)
    fig.tight_layout()
    return fig
