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

from . import token_column
from .groups import document_groups, group_order
from .segment import is_punctuation, segment_corpus

COUNTS = ("tokens", "text")
TREND_COLUMNS = ["group", "term", "count", "total_tokens", "per_10k", "counted_as"]


def term_trends(corpus, terms: str | Sequence[str], *, by: str = "year", count: str = "tokens",
                tokens: pd.DataFrame | None = None, per: int = 10_000, counts: dict | None = None) -> pd.DataFrame:
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
    counts : dict, optional
        :func:`token_counts` of those tokens, made earlier: then nothing is re-counted.

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
    per_doc = document_counts(corpus, terms, count=count, tokens=tokens, counts=counts)
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


def token_counts(tokens: pd.DataFrame) -> dict:
    """Per document: ``(Counter of its tokens, number of word tokens)`` from a
    :func:`~workbench.segment_corpus` table: made once, any terms can then be counted at once.
    """
    from collections import Counter
    from itertools import chain

    out = {}
    doc_ids = tokens["doc_id"].to_numpy()
    lists = token_column.lists(tokens["tokens"])
    bounds = np.flatnonzero(np.r_[True, doc_ids[1:] != doc_ids[:-1], True]) if len(lists) else np.array([0])
    for a, b in zip(bounds[:-1].tolist(), bounds[1:].tolist()):
        counter = Counter(chain.from_iterable(lists[a:b]))
        words = sum(n for t, n in counter.items() if not is_punctuation(t))
        if doc_ids[a] in out:  # a document's sentences not contiguous: add up
            old, total = out[doc_ids[a]]
            counter, words = old + counter, total + words
        out[doc_ids[a]] = (counter, words)
    return out


def document_counts(corpus, terms: Sequence[str], *, count: str = "tokens",
                    tokens: pd.DataFrame | None = None, counts: dict | None = None) -> pd.DataFrame:
    """Per document: each term's count (as tokens or in the text) and ``total_tokens``.

    ``counts`` is :func:`token_counts` of the corpus's tokens, made earlier (a widget makes it once).
    """
    if counts is None:
        counts = token_counts(tokens if tokens is not None else segment_corpus(corpus, progress=False))
    doc_ids = corpus.documents["doc_id"].tolist()
    empty = ({}, 0)
    table = {"doc_id": doc_ids}
    if count == "tokens":
        for term in terms:
            table[term] = [counts.get(d, empty)[0].get(term, 0) for d in doc_ids]
    else:
        texts = corpus.documents["text"].tolist()
        for term in terms:
            table[term] = [text.count(term) for text in texts]
    table["total_tokens"] = [counts.get(d, empty)[1] for d in doc_ids]
    return pd.DataFrame(table)


def plot_trends(table: pd.DataFrame, *, value: str = "per_10k", title: str | None = None, ax=None):
    """A line per term over the groups; years (or decades) on a real time axis.

    ``table`` is a :func:`term_trends` table; ``value`` is ``per_10k`` or ``count``.
    Years missing from the corpus are gaps in the line, not joined over. ``ax``: draw into
    these axes (cleared first) instead of a new figure, as a widget redrawing its chart does.
    """
    import matplotlib.pyplot as plt

    from .fonts import apply_cjk_font

    if value not in ("per_10k", "count"):
        raise ValueError(f"value must be per_10k or count, not {value!r}")
    apply_cjk_font()
    groups = list(dict.fromkeys(table["group"]))
    numeric = all(isinstance(g, (int, np.integer)) for g in groups)
    if ax is None:
        fig, ax = plt.subplots(figsize=(min(16, max(7, 0.12 * len(groups) + 5)), 4.2))
        fresh = True
    else:
        fig, fresh = ax.figure, False
        ax.clear()
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
    if fresh:
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
