"""Is a topic real? Coherence (NPMI, UMass; computed in :mod:`workbench.coherence`), a sweep over k, and stability across seeds."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace

import numpy as np
import pandas as pd

from .coherence import npmi_coherence, topic_coherence, umass_coherence, window_counts
from .topics import TopicModel, TopicSettings, build_model, fit_components, topic_units, vectorize

# The coherence measures live in workbench.coherence (topics.topic_summary needs them too); they are
# named here as well, where the notebooks and tests have always found them.
__all__ = ["align_topics", "npmi_coherence", "sweep_topics", "topic_coherence", "topic_stability", "umass_coherence",
           "window_counts"]


def sweep_topics(corpus, ks: Iterable[int] = range(4, 17, 2), *, tokens: pd.DataFrame | None = None,
                 n_terms: int = 10, window: int = 10, **settings) -> pd.DataFrame:
    """Fit one model per k (one vectorization, shared): ``k, npmi, umass, perplexity``.

    ``npmi`` and ``umass`` are means over the model's topics; ``perplexity`` is LDA's
    on the units it was fitted on (NaN for NMF). ``settings`` are those of
    :func:`~workbench.topics.fit_topics` (``method``, ``unit``, ``seed``, …).
    """
    base = TopicSettings(**{"k": 2, **settings})
    units = topic_units(corpus, base, tokens=tokens)
    counts, vocabulary = vectorize(units, base)
    rows = []
    for k in ks:
        model = build_model(replace(base, k=int(k)), units, counts, vocabulary)
        quality = topic_coherence(model, n_terms=n_terms, window=window)
        perplexity = model.estimator.perplexity(counts) if base.method == "lda" else float("nan")
        rows.append((int(k), quality["npmi"].mean(), quality["umass"].mean(), perplexity))
    return pd.DataFrame(rows, columns=["k", "npmi", "umass", "perplexity"])


def align_topics(reference: np.ndarray, other: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Hungarian matching of ``other``'s topics to ``reference``'s by cosine similarity of term weights.

    Returns ``(match, similarity)``: reference topic ``t`` is ``other``'s topic
    ``match[t]``, with cosine ``similarity[t]``.
    """
    from scipy.optimize import linear_sum_assignment

    def unit_rows(m):
        norms = np.linalg.norm(m, axis=1, keepdims=True)
        return m / np.where(norms > 0, norms, 1)

    similarity = unit_rows(reference) @ unit_rows(other).T
    rows, cols = linear_sum_assignment(-similarity)
    match = np.empty(len(reference), dtype=int)
    match[rows] = cols
    return match, similarity[rows, cols][np.argsort(rows)]


def topic_stability(model: TopicModel, *, seeds: Sequence[int] = (1, 2, 3, 4, 5)) -> pd.DataFrame:
    """How reliably each topic of ``model`` comes back when the model is refitted with other seeds.

    The model's own counts are refitted with each seed (NMF from a random start, so
    the seed matters), every run's topics are aligned to the model's by
    :func:`align_topics`, and each topic gets ``stability``, the mean cosine of its
    matches (1 = found identically every time), and ``min_similarity``, its worst
    match. Topics below about 0.6 are artefacts of one start, not themes of the corpus.

    Returns ``topic, label, stability, min_similarity``, sorted by topic.
    """
    if not seeds:
        raise ValueError("give at least one seed")
    sims = []
    for seed in seeds:
        settings = replace(model.settings, seed=int(seed), init="random")
        _, _, components = fit_components(model.matrix, settings)
        sims.append(align_topics(model.components, components)[1])
    sims = np.vstack(sims)
    k = model.settings.k
    return pd.DataFrame({"topic": range(k), "label": [model.labels[t] for t in range(k)],
                         "stability": sims.mean(axis=0), "min_similarity": sims.min(axis=0)})
