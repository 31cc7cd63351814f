"""Topic models over paragraphs (or windows of sentences): NMF and LDA, with shares that roll up.

Five long documents are too few "documents" for a topic model, so the unit is the
paragraph or a window of N sentences; each unit belongs to a document, so topic
shares roll up to documents (weighted by the units' term counts), regions and
document types. Settings travel with the result (:class:`TopicSettings`).
"""
from __future__ import annotations

import json
import warnings
from dataclasses import asdict, dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import numpy as np
import pandas as pd

from .coherence import topic_coherence
from .compare import _write_export
from .segment import StopwordSpec
from .terms import DEFAULT_STOPWORDS, term_matrix, unit_terms

METHODS = ("nmf", "lda")
# What TopicModel.export writes into its folder: four tables (in this order) and the settings.
EXPORT_FILES = ("topics.csv", "unit_shares.csv", "document_shares.csv", "representative.csv", "settings.json")


@dataclass(frozen=True)
class TopicSettings:
    """Everything that determines a topic model; two equal settings on one corpus give equal tables."""

    method: str = "nmf"
    k: int = 10
    unit: str = "paragraph"
    seed: int = 0
    min_df: int | float = 2
    max_df: int | float = 0.5
    max_features: int | None = 10_000
    min_terms: int = 5
    ngram: int = 1
    stopwords: tuple[str, ...] | None = DEFAULT_STOPWORDS
    n_top: int = 10
    max_iter: int | None = None  # None: 400 for NMF, 50 for LDA
    init: str = "nndsvda"

    def __post_init__(self):
        if self.method not in METHODS:
            raise ValueError(f"method must be one of {', '.join(METHODS)}, not {self.method!r}")
        if not isinstance(self.k, (int, np.integer)) or self.k < 2:
            raise ValueError(f"k must be a whole number of topics, at least 2, not {self.k!r}")
        parse_unit(self.unit)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, indent=2, sort_keys=True)


def parse_unit(unit: str) -> int | None:
    """``"paragraph"`` → None; ``"sentences:N"`` → N (windows of N consecutive sentences)."""
    if unit == "paragraph":
        return None
    if unit.startswith("sentences:"):
        try:
            n = int(unit.split(":", 1)[1])
        except ValueError:
            n = 0
        if n >= 1:
            return n
    raise ValueError(f"unit must be 'paragraph' or 'sentences:N' with N ≥ 1, not {unit!r}")


def topic_units(corpus, settings: TopicSettings = TopicSettings(), *, tokens: pd.DataFrame | None = None) -> pd.DataFrame:
    """The units a topic model sees: ``doc_id, unit, paragraph, region, doc_type, text, terms, n_terms``.

    Units with fewer than ``settings.min_terms`` terms (headings, one-line captions)
    are left out. ``unit`` numbers the units within their document from 0.
    """
    window = parse_unit(settings.unit)
    stopwords = list(settings.stopwords) if settings.stopwords else None
    sents = unit_terms(corpus, unit="sentence", ngram=settings.ngram, stopwords=stopwords, tokens=tokens)
    sents = sents.merge(corpus.sentences[["doc_id", "paragraph", "sentence", "text"]], on=["doc_id", "paragraph", "sentence"])
    if window is None:
        keys = sents["paragraph"]
    else:
        keys = sents.groupby("doc_id", sort=False).cumcount() // window
    grouped = sents.assign(_u=keys).groupby(["doc_id", "_u"], sort=False).agg(
        paragraph=("paragraph", "first"), region=("region", "first"), doc_type=("doc_type", "first"),
        text=("text", "".join), terms=("terms", lambda lists: [t for ts in lists for t in ts])).reset_index()
    grouped["n_terms"] = grouped["terms"].map(len)
    units = grouped[grouped["n_terms"] >= settings.min_terms].drop(columns="_u").reset_index(drop=True)
    units.insert(1, "unit", units.groupby("doc_id", sort=False).cumcount())
    if units.empty:
        raise ValueError(f"no unit has {settings.min_terms} or more terms; lower min_terms or use larger units")
    return units


@dataclass
class TopicModel:
    """A fitted topic model and its tidy tables.

    Attributes
    ----------
    settings : TopicSettings
    topics : DataFrame ``topic, label, rank, term, weight`` (top ``n_top`` terms per topic;
        NMF weights are the rows of H, LDA weights are p(term | topic))
    unit_shares : DataFrame ``doc_id, unit, paragraph, topic, share`` (shares of a unit sum to 1)
    document_shares : DataFrame ``doc_id, topic, share`` (term-count-weighted mean of the units)
    units : DataFrame the units (text and terms) the model saw
    components : ndarray (k × vocabulary) the topic-term weights
    vocabulary : ndarray of terms
    matrix : sparse (units × vocabulary) the counts the model was fitted on
    estimator : the fitted scikit-learn NMF or LatentDirichletAllocation
    """

    settings: TopicSettings
    topics: pd.DataFrame
    unit_shares: pd.DataFrame
    document_shares: pd.DataFrame
    units: pd.DataFrame
    components: np.ndarray
    vocabulary: np.ndarray
    matrix: object
    estimator: object
    labels: dict[int, str] = field(default_factory=dict)

    def rename(self, labels: dict[int, str]) -> TopicModel:
        """A copy with some topics renamed: ``model.rename({0: "生态环境"})``."""
        unknown = sorted(set(labels) - set(self.labels))
        if unknown:
            raise ValueError(f"no topic {unknown[0]!r}; topics are 0..{self.settings.k - 1}")
        new = {**self.labels, **labels}
        return replace(self, labels=new, topics=self.topics.assign(label=self.topics["topic"].map(new)))

    def representative(self, n: int = 3) -> pd.DataFrame:
        """The ``n`` units with the highest share of each topic: ``topic, label, rank, doc_id, unit, paragraph, share, text``."""
        shares = self.unit_shares.merge(self.units[["doc_id", "unit", "text"]], on=["doc_id", "unit"])
        shares = shares.sort_values(["topic", "share", "doc_id", "unit"], ascending=[True, False, True, True], kind="stable")
        top = shares.groupby("topic", sort=True).head(n).copy()
        top["rank"] = top.groupby("topic").cumcount() + 1
        top.insert(1, "label", top["topic"].map(self.labels))
        return top[["topic", "label", "rank", "doc_id", "unit", "paragraph", "share", "text"]].reset_index(drop=True)

    def shares_by(self, by: str = "doc_id", corpus=None) -> pd.DataFrame:
        """A wide table: one row per group, one column per topic label; each row sums to 1.

        ``by`` is any grouping (:mod:`workbench.groups`): ``doc_id``, ``region`` and
        ``doc_type`` come with the units; ``year``, ``decade``, ``plan_period``,
        ``section_role`` (paragraph units) or any other metadata column need the
        ``corpus`` the model was fitted on. Each unit is weighted by its term count, like
        the document roll-up; rows are in time order for years, decades and plan periods,
        else as first seen; units without a group are left out.

        >>> import workbench as wb
        >>> corpus = wb.load_corpus()
        >>> fit_topics(corpus, k=3).shares_by("decade", corpus).round(6).sum(axis=1).tolist()
        [1.0]
        """
        from .groups import ordered_groups, unit_groups

        shares = self.unit_shares.merge(self.units[["doc_id", "unit", "region", "doc_type", "n_terms"]],
                                        on=["doc_id", "unit"])
        if by in ("doc_id", "region", "doc_type") and corpus is None:
            labels = pd.Series([None if pd.isna(v) else v for v in shares[by]], index=shares.index, dtype=object)
        elif corpus is None:
            raise ValueError(f"shares by {by!r} need the corpus: model.shares_by({by!r}, corpus)")
        else:
            if by == "section_role":
                if parse_unit(self.settings.unit) is not None:
                    raise ValueError("section_role shares need paragraph units (unit='paragraph')")
                sections = corpus.paragraphs[["doc_id", "paragraph", "section_id"]]
                shares = shares.merge(sections, on=["doc_id", "paragraph"], how="left")
            labels = unit_groups(corpus, shares, by)
        shares = shares.assign(_g=labels.to_numpy(dtype=object), w=shares["share"] * shares["n_terms"])
        order = ordered_groups(shares["_g"].tolist(), by)
        shares = shares[shares["_g"].map(lambda g: g is not None)]
        table = shares.groupby(["_g", "topic"], sort=False)["w"].sum().unstack("topic")
        table = table.div(table.sum(axis=1), axis=0)
        table.columns = [self.labels[t] for t in table.columns]
        table = table.reindex(order)
        table.index.name = by
        return table

    def export(self, folder: str | Path, *, overwrite: bool = False) -> list[Path]:
        """Write the tables as CSV and the settings as JSON into ``folder`` (created if missing).

        All or nothing: when a file exists (and not ``overwrite``) nothing is written, and
        a failed write (a full disk) leaves none of the new files behind. The CSVs are
        written like :func:`workbench.compare.export_tables` writes them (safe for Excel).
        """
        from contextlib import ExitStack

        from .output import atomic_path

        folder = Path(folder)
        tables = [self.topics, self.unit_shares, self.document_shares, self.representative()]
        paths = [folder / name for name in EXPORT_FILES]
        existing = [p for p in paths if p.exists()]
        if existing and not overwrite:
            raise FileExistsError(f"{existing[0]} exists; pass overwrite=True (CLI: --force) to replace it")
        payload = json.loads(self.settings.to_json()) | {"labels": {str(k): v for k, v in self.labels.items()}}
        with ExitStack() as stack:  # every file is written to a temporary one; all replace theirs at the end
            for table, path in zip(tables, paths):
                _write_export({path.stem: table}, stack.enter_context(atomic_path(path, suffix=".csv")), ".csv", bom=True)
            tmp = stack.enter_context(atomic_path(paths[-1], suffix=".json"))
            tmp.write_text(json.dumps(payload, ensure_ascii=False, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        return paths


def _estimator(settings: TopicSettings):
    from sklearn.decomposition import NMF, LatentDirichletAllocation

    if settings.method == "nmf":
        return NMF(n_components=settings.k, init=settings.init, random_state=settings.seed,
                   max_iter=settings.max_iter or 400, tol=1e-4)
    return LatentDirichletAllocation(n_components=settings.k, learning_method="batch", random_state=settings.seed,
                                     max_iter=settings.max_iter or 50)


def _weighting(counts, settings: TopicSettings):
    """NMF factorises sublinear TF-IDF rows (unit length); LDA models raw counts."""
    if settings.method == "lda":
        return counts
    from sklearn.feature_extraction.text import TfidfTransformer

    return TfidfTransformer(sublinear_tf=True).fit_transform(counts)


def vectorize(units: pd.DataFrame, settings: TopicSettings):
    """``(counts, vocabulary)`` of the units under the settings' vocabulary limits."""
    return term_matrix(units, min_df=settings.min_df, max_df=settings.max_df, max_features=settings.max_features)


@lru_cache(maxsize=1)
def _blas_threads():
    """One ``threadpoolctl.ThreadpoolController`` for the process: finding the loaded BLAS
    libraries takes a few milliseconds, which ``threadpool_limits`` would pay on every fit."""
    from threadpoolctl import ThreadpoolController

    return ThreadpoolController()


def fit_components(counts, settings: TopicSettings):
    """Fit the estimator: ``(estimator, unit × topic shares, topic × term components)``."""
    from sklearn.exceptions import ConvergenceWarning

    estimator = _estimator(settings)
    # One BLAS thread: the dense products here are units × k by k × k, too small to share out;
    # with OpenBLAS's threads a refit of the seeds took 40–170 ms, with one 40–95 ms
    with warnings.catch_warnings(), _blas_threads().limit(limits=1, user_api="blas"):
        warnings.simplefilter("ignore", ConvergenceWarning)  # a capped max_iter is a setting, not an error
        doc_topic = estimator.fit_transform(_weighting(counts, settings))
    totals = doc_topic.sum(axis=1, keepdims=True)
    shares = np.divide(doc_topic, totals, out=np.full_like(doc_topic, 1.0 / settings.k), where=totals > 0)
    components = estimator.components_
    if settings.method == "lda":
        components = components / components.sum(axis=1, keepdims=True)
    return estimator, shares, components


def default_labels(components: np.ndarray, vocabulary: np.ndarray, n: int = 3) -> dict[int, str]:
    """``{topic: "top·three·terms"}``: each topic's heaviest terms."""
    return {t: "·".join(vocabulary[np.argsort(-row, kind="stable")[:n]]) for t, row in enumerate(components)}


def fit_topics(
    corpus,
    *,
    method: str = "nmf",
    k: int = 10,
    unit: str = "paragraph",
    seed: int = 0,
    min_df: int | float = 2,
    max_df: int | float = 0.5,
    max_features: int | None = 10_000,
    min_terms: int = 5,
    ngram: int = 1,
    stopwords: StopwordSpec | tuple[str, ...] | None = DEFAULT_STOPWORDS,
    n_top: int = 10,
    tokens: pd.DataFrame | None = None,
) -> TopicModel:
    """Fit NMF (on TF-IDF) or LDA (on counts) with ``k`` topics over paragraph or sentence-window units.

    Parameters
    ----------
    unit : "paragraph" or "sentences:N"
        Paragraphs, or windows of N consecutive sentences of a document.
    min_df, max_df, max_features : vocabulary limits
        A term must occur in at least ``min_df`` units (2: a word seen in one
        paragraph cannot link paragraphs) and in at most ``max_df`` of them (0.5:
        words in every other paragraph say nothing about topics); ``max_features``
        keeps the most frequent terms, so memory follows the vocabulary, not the corpus.
    seed : int
        ``random_state`` of the estimator: same corpus, settings and seed give identical tables.

    Notes
    -----
    NMF factorises the unit × term matrix of sublinear TF-IDF, ``X ≈ W H``; a unit's
    topic shares are its row of ``W`` divided by the row's sum. LDA is scikit-learn's
    variational Bayes on raw counts; shares are the units' topic distributions and
    term weights are ``p(term | topic)``. A document's share of topic ``t`` is
    ``Σ_u n_u s_{u,t} / Σ_u n_u`` over its units ``u`` with ``n_u`` terms.

    >>> import workbench as wb
    >>> model = fit_topics(wb.load_corpus(), k=4)
    >>> model.document_shares.groupby("doc_id")["share"].sum().round(6).unique().tolist()
    [1.0]
    """
    stop = None if stopwords is None else (stopwords,) if isinstance(stopwords, str) else tuple(stopwords)
    settings = TopicSettings(method=method, k=k, unit=unit, seed=seed, min_df=min_df, max_df=max_df,
                             max_features=max_features, min_terms=min_terms, ngram=ngram, stopwords=stop, n_top=n_top)
    units = topic_units(corpus, settings, tokens=tokens)
    counts, vocabulary = vectorize(units, settings)
    if counts.shape[1] < k:
        raise ValueError(f"only {counts.shape[1]} terms pass min_df={min_df}/max_df={max_df}: too few for k={k}")
    return build_model(settings, units, counts, vocabulary)


def build_model(settings: TopicSettings, units: pd.DataFrame, counts, vocabulary) -> TopicModel:
    """Fit and tabulate (used by :func:`fit_topics` and by sweeps that vectorize once)."""
    estimator, shares, components = fit_components(counts, settings)
    labels = default_labels(components, vocabulary)
    top = np.argsort(-components, axis=1, kind="stable")[:, :settings.n_top]
    topics = pd.DataFrame([(t, labels[t], r + 1, vocabulary[j], float(components[t, j]))
                           for t in range(settings.k) for r, j in enumerate(top[t])],
                          columns=["topic", "label", "rank", "term", "weight"])
    keys = units[["doc_id", "unit", "paragraph"]]
    unit_shares = (pd.DataFrame(shares).rename_axis(columns="topic").stack().rename("share").reset_index(level=1)
                   .join(keys).reset_index(drop=True)[["doc_id", "unit", "paragraph", "topic", "share"]])
    weights = units["n_terms"].to_numpy()[:, None] * shares
    doc = pd.DataFrame(weights).groupby(units["doc_id"].to_numpy(), sort=False).sum()
    doc = doc.div(doc.sum(axis=1), axis=0)
    document_shares = (doc.rename_axis(index="doc_id", columns="topic").stack().rename("share").reset_index())
    return TopicModel(settings=settings, topics=topics, unit_shares=unit_shares, document_shares=document_shares,
                      units=units, components=components, vocabulary=vocabulary, matrix=counts, estimator=estimator,
                      labels=labels)


def share_matrix(model: TopicModel) -> np.ndarray:
    """The unit × topic shares as an array, rows in the order of ``model.units`` (NaN where a share is missing).

    ``unit_shares`` as :func:`build_model` writes it (unit by unit, topics 0..k−1 within each) is
    reshaped as it is; any other order is pivoted.

    >>> import workbench as wb
    >>> model = fit_topics(wb.load_corpus(), k=3)
    >>> share_matrix(model).shape == (len(model.units), 3)
    True
    """
    shares, units, k = model.unit_shares, model.units, model.settings.k
    n = len(units)
    if (len(shares) == n * k and (shares["topic"].to_numpy() == np.tile(np.arange(k), n)).all()
            and (shares["unit"].to_numpy()[::k] == units["unit"].to_numpy()).all()
            and (shares["doc_id"].to_numpy()[::k] == units["doc_id"].to_numpy()).all()):
        return shares["share"].to_numpy(dtype=float).reshape(n, k)
    wide = shares.pivot(index=["doc_id", "unit"], columns="topic", values="share")
    wide = wide.reindex(index=pd.MultiIndex.from_frame(units[["doc_id", "unit"]]), columns=range(k))
    return wide.to_numpy(dtype=float)


def topic_summary(model: TopicModel, *, coherence: bool = True) -> pd.DataFrame:
    """One row per topic: ``topic, label, terms, share`` (its share of all the corpus's terms), plus ``npmi, umass``."""
    terms = model.topics.sort_values(["topic", "rank"]).groupby("topic")["term"].agg(" ".join)
    weights = model.units["n_terms"].to_numpy()
    overall = (share_matrix(model) * weights[:, None]).sum(axis=0) / weights.sum()
    table = pd.DataFrame({"topic": range(model.settings.k), "label": [model.labels[t] for t in range(model.settings.k)],
                          "terms": terms.reindex(range(model.settings.k)).to_numpy(), "share": overall})
    if coherence:
        table = table.merge(topic_coherence(model).drop(columns="label"), on="topic")
    return table
