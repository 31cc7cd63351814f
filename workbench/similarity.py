"""How alike are the plans? Cosine similarity of TF-IDF vectors or topic shares, clustered."""
from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from .segment import StopwordSpec
from .terms import DEFAULT_STOPWORDS, grouped_terms, term_matrix, unit_terms

REPRESENTATIONS = ("tfidf", "topics")


def cosine_matrix(vectors) -> np.ndarray:
    """Cosine similarity of the rows of a dense or sparse matrix (a zero row is similar to nothing).

    >>> cosine_matrix(np.array([[1.0, 0.0], [1.0, 1.0], [0.0, 0.0]])).round(4).tolist()
    [[1.0, 0.7071, 0.0], [0.7071, 1.0, 0.0], [0.0, 0.0, 0.0]]
    """
    from sklearn.preprocessing import normalize

    unit = normalize(vectors, norm="l2")
    product = unit @ unit.T
    return np.asarray(product.todense() if hasattr(product, "todense") else product, dtype=float)


def document_similarity(
    corpus,
    *,
    representation: str = "tfidf",
    by: str = "doc_id",
    model=None,
    idf_unit: str = "paragraph",
    sublinear_tf: bool = True,
    ngram: int = 1,
    stopwords: StopwordSpec | Sequence[StopwordSpec] = DEFAULT_STOPWORDS,
    tokens: pd.DataFrame | None = None,
) -> pd.DataFrame:
    """Cosine similarity between documents or groups as a labelled square table.

    ``by`` is any grouping (:mod:`workbench.groups`): ``doc_id``, ``region``, ``year``,
    ``decade``, ``plan_period``, a manifest column; ``section_role`` compares the
    review, plan and next-plan parts of the reports.

    Parameters
    ----------
    representation : {"tfidf", "topics"}
        ``"tfidf"``: each group's term counts weighted by an IDF fitted on
        ``idf_unit`` units (paragraphs by default, as in :func:`~workbench.tfidf_keywords`),
        with ``1 + ln tf`` when ``sublinear_tf``. ``"topics"``: each group's topic shares
        from ``model`` (a :class:`~workbench.topics.TopicModel`; one with k=10 is fitted
        when not given).

    Notes
    -----
    :math:`\\cos(a, b) = \\frac{a \\cdot b}{\\lVert a \\rVert \\lVert b \\rVert}`: 1 for vectors
    pointing the same way, 0 for documents that share no weighted term (or topic).
    """
    if representation not in REPRESENTATIONS:
        raise ValueError(f"representation must be one of {', '.join(REPRESENTATIONS)}, not {representation!r}")
    if representation == "topics":
        from .topics import fit_topics

        model = model if model is not None else fit_topics(corpus, k=10, tokens=tokens)
        table = model.shares_by(by, corpus)
        labels, vectors = list(table.index), table.to_numpy()
    else:
        from sklearn.feature_extraction.text import TfidfTransformer

        from .terms import count_vectorizer

        options = dict(ngram=ngram, stopwords=stopwords, tokens=tokens)
        units = unit_terms(corpus, unit=idf_unit, **options)
        counts, vocabulary = term_matrix(units)
        groups = grouped_terms(corpus, by, **options)
        vectorizer = count_vectorizer()
        vectorizer.vocabulary_ = {t: i for i, t in enumerate(vocabulary)}
        transformer = TfidfTransformer(sublinear_tf=sublinear_tf).fit(counts)
        vectors = transformer.transform(vectorizer.transform(groups["terms"]))
        labels = list(groups[by])
    return pd.DataFrame(cosine_matrix(vectors), index=pd.Index(labels, name=by), columns=labels)


def cluster_order(similarity: pd.DataFrame, *, method: str = "average"):
    """Hierarchical clustering of a similarity table: ``(linkage, order)``.

    The distance is ``1 − cosine``; ``order`` lists the labels as the dendrogram's leaves.
    """
    from scipy.cluster.hierarchy import leaves_list, linkage
    from scipy.spatial.distance import squareform

    if len(similarity) < 2:
        raise ValueError("clustering needs at least two documents")
    distance = np.clip(1 - similarity.to_numpy(), 0, None)
    np.fill_diagonal(distance, 0)
    links = linkage(squareform(distance, checks=False), method=method)
    return links, [similarity.index[i] for i in leaves_list(links)]


def most_similar(similarity: pd.DataFrame) -> pd.DataFrame:
    """Each pair once, most similar first: ``a, b, similarity``."""
    labels = list(similarity.index)
    rows = [(labels[i], labels[j], float(similarity.iat[i, j]))
            for i in range(len(labels)) for j in range(i + 1, len(labels))]
    table = pd.DataFrame(rows, columns=["a", "b", "similarity"])
    return table.sort_values(["similarity", "a", "b"], ascending=[False, True, True], kind="stable").reset_index(drop=True)
