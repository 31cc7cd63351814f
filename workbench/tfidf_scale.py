"""TF-IDF keywords as map-reduce, for corpora processed on a process pool or a Dask cluster.

:func:`~workbench.keywords.tfidf_keywords` with ``engine=`` runs here. Each document
is turned into terms where it lives (map 1: its term counts and the number of its
units containing each term); the document frequencies are summed (reduce) into the
IDF; each group's ranking is computed where its counts are (map 2). Nothing builds a
documents × vocabulary matrix.

``vocabulary="exact"`` keys document frequencies by term: the result equals the
one-process scikit-learn path. ``vocabulary="hashing"`` keys them by the bucket of
scikit-learn's ``HashingVectorizer`` (``n_features`` buckets, no shared vocabulary to
hold): memory is fixed, and two terms that share a bucket share a document frequency
(with 2**22 buckets and 100,000 terms, about 1,200 pairs do).
"""
from __future__ import annotations

from collections import Counter
from functools import partial
from itertools import chain

import numpy as np
import pandas as pd

from . import token_column
from .engines import map_documents
from .groups import document_groups, ordered_groups
from .segment import load_stopwords, segment_corpus
from .terms import is_rankable, ngram_range, sentence_terms

VOCABULARIES = ("exact", "hashing")


def _bucket_of(n_features: int):
    """The bucket HashingVectorizer(alternate_sign=False) puts each term in: |murmurhash3_32(term)| mod n."""
    from sklearn.utils import murmurhash3_32

    return lambda terms: [abs(murmurhash3_32(t, seed=0)) % n_features for t in terms]


class _Terms(dict):
    """token -> whether it is a term (not a stopword, rankable), decided once per distinct token."""

    def __init__(self, stop: frozenset, min_chars: int):
        super().__init__()
        self.stop, self.min_chars = stop, min_chars

    def __missing__(self, token: str) -> bool:
        self[token] = kept = token not in self.stop and is_rankable(token, min_chars=self.min_chars)
        return kept


def _map_counts(job, *, idf_unit: str, ngram, stop: frozenset, min_chars: int, n_features: int | None):
    """Map 1, one document: (its term counts, document frequencies of its units' keys, number of units)."""
    tokens_per_sentence, paragraph_of = job
    rng = ngram_range(ngram)
    if rng == (1, 1):  # single words: each distinct token tested once, the filtering in C
        keep = _Terms(stop, min_chars).__getitem__
        terms = [list(filter(keep, ts)) for ts in tokens_per_sentence]
    else:
        terms = [sentence_terms(ts, stopwords=stop, ngram=rng, min_chars=min_chars) for ts in tokens_per_sentence]
    units: dict = {}
    for p, ts in zip(paragraph_of, terms):
        units.setdefault(p if idf_unit == "paragraph" else 0, []).extend(ts)
    counts = Counter(chain.from_iterable(terms))
    key = _bucket_of(n_features) if n_features else None
    df: Counter = Counter()
    for unit in units.values():
        df.update(set(key(unit)) if key else set(unit))
    return counts, df, len(units)


def _map_scores(job, *, idf: dict, n_units: int, sublinear_tf: bool, top: int | None, n_features: int | None):
    """Map 2, one group: its rows ``term, tf, df, n_units, idf, tfidf, score`` (top ``top`` by score)."""
    label, counts = job
    key = _bucket_of(n_features) if n_features else None
    keys = dict(zip(counts, key(list(counts)))) if key else {t: t for t in counts}
    rows = [(t, tf, keys[t]) for t, tf in counts.items() if keys[t] in idf]
    if not rows:
        return []
    tf = np.array([r[1] for r in rows], dtype=float)
    weights = 1 + np.log(tf) if sublinear_tf else tf
    idfs = np.array([idf[r[2]][0] for r in rows])
    tfidf = weights * idfs
    norm = np.sqrt((tfidf ** 2).sum())
    out = [(label, t, int(c), idf[k][1], n_units, i, v, v / norm) for (t, c, k), i, v in zip(rows, idfs, tfidf)]
    out.sort(key=lambda r: (-r[7], r[1]))
    return out if top is None else out[:top]


def _documents(sents: pd.DataFrame) -> list[tuple[list, list]]:
    """Each document's ``(token lists, paragraph numbers)``, documents as first seen (as ``groupby(sort=False)``)."""
    codes = pd.factorize(sents["doc_id"])[0]  # rows without a doc_id: -1, left out
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    ends = np.cumsum(np.bincount(codes[order], minlength=int(codes.max()) + 1 if len(codes) else 0)).tolist()
    tokens, paragraphs = token_column.object_lists(sents["tokens"])[order], sents["paragraph"].to_numpy()[order]
    return [(tokens[a:b].tolist(), paragraphs[a:b].tolist()) for a, b in zip([0, *ends[:-1]], ends)]


def tfidf_keywords_mapreduce(corpus, *, by: str, idf_unit: str, ngram, sublinear_tf: bool, min_df, max_df,
                             stopwords, min_chars: int, top: int | None, tokens, user_dict, engine, workers,
                             progress, vocabulary: str = "exact", n_features: int = 2 ** 22) -> pd.DataFrame:
    """The map-reduce path of :func:`~workbench.keywords.tfidf_keywords`: its rows before ranking.

    Columns ``<by>, term, tf, df, n_units, idf, tfidf, score``, at most ``top`` rows per
    group (the highest scores); :func:`~workbench.keywords.tfidf_keywords` sorts and ranks them.
    """
    if vocabulary not in VOCABULARIES:
        raise ValueError(f"vocabulary must be one of {', '.join(VOCABULARIES)}, not {vocabulary!r}")
    hashed = n_features if vocabulary == "hashing" else None
    sents = tokens if tokens is not None else segment_corpus(corpus, user_dict=user_dict, engine=engine,
                                                              workers=workers, progress=progress)
    docs = _documents(sents)
    doc_ids = list(dict.fromkeys(sents["doc_id"]))
    mapped = map_documents(partial(_map_counts, idf_unit=idf_unit, ngram=ngram, stop=load_stopwords(stopwords),
                                   min_chars=min_chars, n_features=hashed),
                           docs, engine=engine, workers=workers, progress=progress, desc="counting terms")
    df: Counter = Counter()
    n_units = 0
    for _counts, doc_df, n in mapped:  # reduce
        df.update(doc_df)
        n_units += n
    low = min_df if isinstance(min_df, (int, np.integer)) else min_df * n_units
    high = max_df if isinstance(max_df, (int, np.integer)) else max_df * n_units
    if high < low:
        raise ValueError("no terms left to count (max_df corresponds to < documents than min_df); "
                         "loosen min_df/max_df or the stopword lists")
    idf = {k: (float(np.log((1 + n_units) / (1 + d)) + 1), d) for k, d in df.items() if low <= d <= high}
    if not idf:
        raise ValueError("no terms left to count; loosen min_df/max_df or the stopword lists")
    labels_of = document_groups(corpus, by).to_dict()  # any grouping of documents
    labels = [labels_of.get(d) for d in doc_ids]
    groups: dict = {label: Counter() for label in ordered_groups(labels, by)}
    for label, (counts, _df, _n) in zip(labels, mapped):
        if label is not None and label in groups:
            groups[label].update(counts)
    scored = map_documents(partial(_map_scores, idf=idf, n_units=n_units, sublinear_tf=sublinear_tf, top=top,
                                   n_features=hashed),
                           list(groups.items()), engine=engine, workers=workers, progress=progress, desc="scoring")
    return pd.DataFrame([r for rows in scored for r in rows],
                        columns=[by, "term", "tf", "df", "n_units", "idf", "tfidf", "score"])

