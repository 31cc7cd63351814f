"""Coherence of topics: do a topic's top terms occur together? NPMI over sliding windows, UMass over units.

Used by :func:`~workbench.topics.topic_summary` and by the sweeps and checks in
:mod:`workbench.topic_quality`; the functions take term lists, so they also score
topics that come from elsewhere.
"""
from __future__ import annotations

import itertools
import math
from collections import Counter
from collections.abc import Iterable, Sequence

import numpy as np
import pandas as pd

from .terms import count_vectorizer


def window_counts(sequences: Iterable[Sequence[str]], window: int = 10, vocabulary: set[str] | None = None):
    """Boolean sliding-window counts: ``(number of windows, {term: windows}, {(a, b): windows})``.

    Each sequence of length L yields ``max(1, L − window + 1)`` windows of ``window``
    consecutive terms (a shorter sequence is one window). Pairs are sorted tuples.
    Only terms in ``vocabulary`` (when given) are counted; the windows are always
    slid over the whole sequence.

    Computed without visiting the windows one by one: each occurrence of a counted term
    marks the run of windows that contain it in a sparse windows × terms matrix ``X``
    (a term twice in a window marks it once); then the counts are ``X``'s column sums
    and the pair counts ``XᵀX``.
    """
    from scipy import sparse

    sequences = [list(seq) for seq in sequences]
    lengths = np.fromiter(map(len, sequences), dtype=np.int64, count=len(sequences))
    windows = np.maximum(1, lengths - window + 1)  # per sequence
    n_windows = int(windows.sum())
    flat = list(itertools.chain.from_iterable(sequences))
    terms = sorted(set(flat) if vocabulary is None else set(vocabulary) & set(flat))
    if not terms:
        return n_windows, Counter(), Counter()
    codes = pd.Index(terms).get_indexer(flat).astype(np.int64)  # -1: not counted
    starts = np.concatenate([[0], np.cumsum(lengths)[:-1]])
    owner = np.repeat(np.arange(len(sequences)), lengths)
    position = np.arange(len(flat)) - starts[owner]
    counted = codes >= 0
    codes, owner, position = codes[counted], owner[counted], position[counted]
    first = np.maximum(0, position - window + 1)  # the windows s with s <= p < s + window, of this sequence
    last = np.minimum(position, windows[owner] - 1)
    n = last - first + 1
    offset = np.concatenate([[0], np.cumsum(windows)[:-1]])[owner] + first
    rows = np.repeat(offset - np.cumsum(n) + n, n) + np.arange(int(n.sum()))
    present = sparse.csr_matrix((np.ones(len(rows), dtype=np.int64), (rows, np.repeat(codes, n))),
                                shape=(n_windows, len(terms)))
    present.data[:] = 1  # duplicates were summed: a term counts once per window
    single = Counter({terms[i]: int(c) for i, c in enumerate(np.asarray(present.sum(axis=0)).ravel()) if c})
    together = sparse.triu(present.T @ present, k=1).tocoo()
    joint = Counter({(terms[a], terms[b]): int(c) for a, b, c in zip(together.row, together.col, together.data) if c})
    return n_windows, single, joint


def npmi_coherence(topics: Sequence[Sequence[str]], sequences: Iterable[Sequence[str]], *, window: int = 10) -> list[float]:
    """Mean NPMI over the pairs of each topic's terms, windows slid over ``sequences``.

    Notes
    -----
    With ``p(w)`` the share of windows containing ``w`` and ``p(a, b)`` the share
    containing both (Röder, Both & Hinneburg 2015, C_NPMI without the indirect
    confirmation):

    .. math:: \\mathrm{NPMI}(a, b) = \\frac{\\ln \\frac{p(a, b)}{p(a)\\,p(b)}}{-\\ln p(a, b)}

    which is 1 for terms that always co-occur, 0 for independent terms and −1
    (by convention) for terms never seen together. A pair with a term never seen
    at all scores −1 too.
    """
    vocab = {t for topic in topics for t in topic}
    n, single, joint = window_counts(sequences, window, vocab)
    scores = []
    for topic in topics:
        values = []
        for a, b in itertools.combinations(topic, 2):
            pab = joint[tuple(sorted((a, b)))] / n if n else 0.0
            pa, pb = single[a] / n if n else 0.0, single[b] / n if n else 0.0
            if pab == 0 or pa == 0 or pb == 0:
                values.append(-1.0)
            elif pab == 1.0:
                values.append(1.0)
            else:
                values.append(math.log(pab / (pa * pb)) / -math.log(pab))
        scores.append(float(np.mean(values)) if values else float("nan"))
    return scores


def umass_coherence(topics: Sequence[Sequence[str]], units: Iterable[Sequence[str]]) -> list[float]:
    """Mean UMass coherence of each topic's terms (in rank order) over the units as documents.

    Notes
    -----
    Mimno et al. (2011), with ``D(w)`` the units containing ``w`` and ``D(w_i, w_j)``
    those containing both, over the pairs ``j < i`` of the ranked top terms:

    .. math:: C = \\frac{1}{|pairs|} \\sum_{i} \\sum_{j < i} \\ln \\frac{D(w_i, w_j) + 1}{D(w_j)}

    Always ≤ ln 2 per pair and usually negative; closer to 0 is more coherent.
    """
    vocab = sorted({t for topic in topics for t in topic})
    index = {t: i for i, t in enumerate(vocab)}
    vectorizer = count_vectorizer()
    vectorizer.vocabulary_ = index
    return _umass_scores(topics, vectorizer.transform(list(units)), index)


def _umass_scores(topics: Sequence[Sequence[str]], counts, index: dict[str, int]) -> list[float]:
    """UMass of each topic from a units × terms count matrix whose column of term ``t`` is ``index[t]``."""
    present = (counts > 0).astype(np.int64).tocsc()
    together = (present.T @ present).toarray()  # D(a, b); the diagonal is D(a)
    scores = []
    for topic in topics:
        values = []
        for i in range(1, len(topic)):
            for j in range(i):
                a, b = index[topic[i]], index[topic[j]]
                values.append(math.log((together[a, b] + 1) / together[b, b]) if together[b, b] else float("nan"))
        scores.append(float(np.mean(values)) if values else float("nan"))
    return scores


def topic_coherence(model, *, n_terms: int = 10, window: int = 10) -> pd.DataFrame:
    """``topic, label, npmi, umass`` of a :class:`~workbench.topics.TopicModel`'s top ``n_terms`` terms, over its own units."""
    ranked = model.topics.sort_values(["topic", "rank"], kind="stable")
    by_topic = {t: terms.head(n_terms).tolist() for t, terms in ranked.groupby("topic", sort=True)["term"]}
    top = [by_topic.get(t, []) for t in range(model.settings.k)]
    units = model.units["terms"].tolist()
    # UMass counts units, and the model's own unit × term counts hold them: its top terms are columns there
    chosen = sorted({t for topic in top for t in topic})
    columns = pd.Index(model.vocabulary).get_indexer(chosen)
    if model.matrix is not None and len(columns) and (columns >= 0).all() and model.matrix.shape[0] == len(units):
        umass = _umass_scores(top, model.matrix.tocsc()[:, columns], {t: i for i, t in enumerate(chosen)})
    else:
        umass = umass_coherence(top, units)
    return pd.DataFrame({"topic": range(model.settings.k), "label": [model.labels[t] for t in range(model.settings.k)],
                         "npmi": npmi_coherence(top, units, window=window), "umass": umass})
