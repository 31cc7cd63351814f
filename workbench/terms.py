"""Terms for counting: filtered tokens and word n-grams per unit, term matrices, frequencies.

Every ranking in the workbench (TF-IDF, keyness, collocations, topics, similarity)
counts the same terms, made here: jieba tokens from :func:`~workbench.segment_corpus`
without punctuation, numbers, masked numbers (``XX``), stopwords or tokens shorter
than ``min_chars``, plus optional n-grams of *adjacent* tokens within a sentence
(joined by a space) whose parts all pass the same filter.
"""
from __future__ import annotations

import re
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from . import token_column
from .groups import ordered_groups, unit_groups
from .segment import StopwordSpec, is_punctuation, load_stopwords, segment_corpus

UNITS = ("document", "paragraph", "sentence")
DEFAULT_STOPWORDS = ("general", "policy")
NUMBER_LIKE = re.compile(r"^[\d０-９.．,，%％‰+\-−×~～:：/XxＸｘ]+$")


@lru_cache(maxsize=1 << 17)
def _rankable(token: str, min_chars: int) -> bool:
    return len(token) >= min_chars and not is_punctuation(token) and not NUMBER_LIKE.match(token)


class _Kept(dict):
    """token -> whether it is a term (rankable and not a stopword), decided once per distinct token."""

    def __init__(self, stopwords: frozenset[str], min_chars: int):
        super().__init__()
        self.stopwords, self.min_chars = stopwords, min_chars

    def __missing__(self, token: str) -> bool:
        self[token] = kept = token not in self.stopwords and _rankable(token, self.min_chars)
        return kept


def is_rankable(token: str, *, min_chars: int = 2) -> bool:
    """True for tokens that may appear in a ranking: no punctuation, numbers or masked numbers.

    >>> [t for t in ["高质量发展", "2020", "XX", "7.5%", "，", "县"] if is_rankable(t)]
    ['高质量发展']
    """
    return _rankable(token, min_chars)


def ngram_range(ngram: int | tuple[int, int]) -> tuple[int, int]:
    """``2`` means words and word bigrams ``(1, 2)``; a tuple is taken as it is."""
    lo, hi = (1, ngram) if isinstance(ngram, int) else tuple(ngram)
    if not 1 <= lo <= hi <= 4:
        raise ValueError(f"ngram must be 1..4 or a range (lo, hi) with 1 <= lo <= hi <= 4, not {ngram!r}")
    return lo, hi


def sentence_terms(tokens: Sequence[str], *, stopwords: frozenset[str], ngram: tuple[int, int] = (1, 1),
                   min_chars: int = 2) -> list[str]:
    """The terms of one sentence: kept tokens, then n-grams of adjacent kept tokens.

    >>> sentence_terms(["推动", "高质量", "发展", "。"], stopwords=frozenset({"推动"}), ngram=(1, 2))
    ['高质量', '发展', '高质量 发展']
    """
    if ngram == (1, 1):  # the common case, in one pass
        return [t for t in tokens if t not in stopwords and _rankable(t, min_chars)]
    words = [t for t in tokens if not t.isspace() and not is_punctuation(t)]
    keep = [t not in stopwords and _rankable(t, min_chars) for t in words]
    out: list[str] = []
    lo, hi = ngram
    for n in range(lo, hi + 1):
        for i in range(len(words) - n + 1):
            if all(keep[i:i + n]):
                out.append(words[i] if n == 1 else " ".join(words[i:i + n]))
    return out


def unit_terms(
    corpus,
    *,
    unit: str = "document",
    ngram: int | tuple[int, int] = 1,
    stopwords: StopwordSpec | Sequence[StopwordSpec] = DEFAULT_STOPWORDS,
    min_chars: int = 2,
    tokens: pd.DataFrame | None = None,
    user_dict=None,
) -> pd.DataFrame:
    """One row per unit (document, paragraph or sentence) with its ``terms`` list.

    Columns: ``doc_id`` (plus ``paragraph`` / ``sentence`` for smaller units),
    ``region``, ``doc_type``, ``terms``, in corpus order. ``tokens`` may be a
    :func:`~workbench.segment_corpus` table made earlier *without* stopwords, to
    save re-reading the cache when only the filters change.
    """
    if unit not in UNITS:
        raise ValueError(f"unit must be one of {', '.join(UNITS)}, not {unit!r}")
    stop = load_stopwords(stopwords)
    rng = ngram_range(ngram)
    sents = tokens if tokens is not None else segment_corpus(corpus, user_dict=user_dict)
    if rng == (1, 1):  # the common case: one decision per distinct token, then the ids filtered
        terms = token_column.lists(token_column.kept(sents["tokens"], _Kept(stop, min_chars).__getitem__))
    else:
        terms = [sentence_terms(ts, stopwords=stop, ngram=rng, min_chars=min_chars)
                 for ts in token_column.lists(sents["tokens"])]
    table = sents[["doc_id", "paragraph", "sentence"]].assign(terms=terms)
    if unit != "sentence":
        table = roll_up(table, unit)
    meta = corpus.documents[["doc_id", "region", "doc_type"]]
    keys = [c for c in ("doc_id", "paragraph", "sentence") if c in table]
    return table.merge(meta, on="doc_id", how="left")[[*keys, "region", "doc_type", "terms"]]


def roll_up(sentence_units: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Sentence units of :func:`unit_terms` concatenated into ``"paragraph"`` or ``"document"`` units.

    Other columns (region, doc_type) keep the value of each unit's first sentence.
    """
    from itertools import chain

    keys = {"document": ["doc_id"], "paragraph": ["doc_id", "paragraph"]}[unit]
    others = [c for c in ("region", "doc_type") if c in sentence_units]
    frame = sentence_units[keys].reset_index(drop=True)
    starts = np.flatnonzero((frame != frame.shift()).any(axis=1).to_numpy())
    if len(starts) != len(frame.drop_duplicates()):  # units not contiguous: group the slow way
        first = sentence_units.drop_duplicates(keys)[[*keys, *others]]
        merged = sentence_units.groupby(keys, sort=False)["terms"].agg(lambda lists: [t for ts in lists for t in ts])
        return first.merge(merged.reset_index(), on=keys)[[*keys, *others, "terms"]].reset_index(drop=True)
    terms = sentence_units["terms"].tolist()
    ends = [*starts[1:], len(terms)]
    first = sentence_units.iloc[starts][[*keys, *others]].reset_index(drop=True)
    return first.assign(terms=[list(chain.from_iterable(terms[a:b])) for a, b in zip(starts, ends)])


def group_terms(units: pd.DataFrame, by: str = "doc_id", *, corpus) -> pd.DataFrame:
    """Concatenate the ``terms`` of units per group: ``<by>, terms``.

    ``by`` is any grouping of :mod:`workbench.groups` (a metadata column of ``corpus``,
    ``decade``, ``plan_period``, or ``section_role`` for units with a ``section_id``).
    Groups come in time order for ``year``/``decade``/``plan_period``, else as first seen;
    units without a group (no year, no role) are left out.
    """
    from itertools import chain

    labels = unit_groups(corpus, units, by)
    order = ordered_groups(labels, by)
    position = {label: i for i, label in enumerate(order)}
    collected: list[list] = [[] for _ in order]
    for label, terms in zip(labels.tolist(), units["terms"].tolist()):
        if label is not None and label in position:
            collected[position[label]].append(terms)
    return pd.DataFrame({by: pd.Series(order, dtype=object),
                         "terms": [list(chain.from_iterable(parts)) for parts in collected]})


def grouped_terms(corpus, by: str = "doc_id", *, ngram: int | tuple[int, int] = 1,
                  stopwords: StopwordSpec | Sequence[StopwordSpec] = DEFAULT_STOPWORDS, min_chars: int = 2,
                  tokens: pd.DataFrame | None = None, user_dict=None) -> pd.DataFrame:
    """The terms of each group of the corpus, ``<by>, terms`` (see :func:`group_terms`).

    Documents are the units, except for ``by="section_role"``: sentences, each in the
    section it belongs to.

    >>> import workbench as wb
    >>> grouped_terms(wb.load_corpus(), "section_role")["section_role"].tolist()
    ['review', 'next_plan']
    """
    if by != "section_role":
        units = unit_terms(corpus, unit="document", ngram=ngram, stopwords=stopwords, min_chars=min_chars,
                           tokens=tokens, user_dict=user_dict)
        return group_terms(units, by, corpus=corpus)
    sents = tokens if tokens is not None else segment_corpus(corpus, user_dict=user_dict)
    if "section_id" not in sents:
        raise ValueError("grouping by section_role needs the tokens' section_id column (segment_corpus gives it)")
    units = unit_terms(corpus, unit="sentence", ngram=ngram, stopwords=stopwords, min_chars=min_chars, tokens=sents)
    return group_terms(units.assign(section_id=sents["section_id"].to_numpy()), by, corpus=corpus)


def _identity(terms):
    return terms


def count_vectorizer(*, min_df: int | float = 1, max_df: int | float = 1.0, max_features: int | None = None):
    """A scikit-learn ``CountVectorizer`` over ready-made term lists (our jieba terms)."""
    from sklearn.feature_extraction.text import CountVectorizer

    return CountVectorizer(analyzer=_identity, min_df=min_df, max_df=max_df, max_features=max_features)


def term_matrix(units: pd.DataFrame, *, min_df: int | float = 1, max_df: int | float = 1.0,
                max_features: int | None = None):
    """Sparse counts of the ``terms`` column: ``(matrix, vocabulary)``, one row per unit.

    ``vocabulary`` is the array of terms, in column order (alphabetical).
    """
    vectorizer = count_vectorizer(min_df=min_df, max_df=max_df, max_features=max_features)
    try:
        matrix = vectorizer.fit_transform(units["terms"])
    except ValueError as exc:  # scikit-learn's "empty vocabulary" / "max_df < min_df"
        raise ValueError(f"no terms left to count ({exc}); loosen min_df/max_df or the stopword lists") from exc
    return matrix, vectorizer.get_feature_names_out()


def term_frequencies(
    corpus,
    terms: Sequence[str] | None = None,
    *,
    by: str = "doc_id",
    top: int = 20,
    per: int = 10_000,
    **term_options,
) -> pd.DataFrame:
    """How often terms occur in each group, counted as *terms*: ``<by>, term, count, total, relative, counted_as``.

    The counts are of jieba tokens after the term filter (no stopwords, punctuation or
    numbers): ``改革`` inside the token ``改革开放`` is not counted, and ``total`` is the
    group's number of such terms, so ``relative = count / total × per`` (per 10,000
    terms). ``counted_as`` says so (``"terms"``). For counts in the text, or per 10,000
    word tokens with stopwords included, use :func:`~workbench.trends.term_trends`.
    ``by`` is any grouping of :mod:`workbench.groups`. Without ``terms``, the ``top``
    most frequent terms of the whole corpus are used. Rows are sorted by term order (the
    given order, or overall frequency) and then group.

    >>> import workbench as wb
    >>> wb.term_frequencies(wb.load_corpus(), ["创新"], by="decade").columns.tolist()
    ['decade', 'term', 'count', 'total', 'relative', 'counted_as']
    """
    from collections import Counter

    groups = grouped_terms(corpus, by, **term_options)
    counts = [Counter(ts) for ts in groups["terms"]]
    if terms is None:
        overall: Counter = Counter()
        for c in counts:
            overall.update(c)
        terms = [t for t, _ in sorted(overall.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    rows = []
    for term in terms:
        for label, total, c in zip(groups[by], groups["terms"].map(len), counts):
            n = int(c.get(term, 0))
            rows.append((label, term, n, int(total), n / total * per if total else 0.0, "terms"))
    return pd.DataFrame(rows, columns=[by, "term", "count", "total", "relative", "counted_as"])
