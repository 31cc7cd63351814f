"""Keywords per document or group: TF-IDF fitted to the corpus, and jieba's own extractors.

Every table carries the numbers behind its ranking, so a reader can recompute a row.
"""
from __future__ import annotations

import warnings
from collections.abc import Sequence
from functools import lru_cache

import numpy as np
import pandas as pd

from . import keyword_cache, token_column
from .keyness import keyness, log_odds
from .perf import drained
from .segment import StopwordSpec, get_tokenizer, load_stopwords, segment_corpus
from .groups import document_groups, find_group, ordered_groups
from .terms import DEFAULT_STOPWORDS, is_rankable, ngram_range, term_matrix, unit_terms
from .tfidf_scale import tfidf_keywords_mapreduce

IDF_UNITS = ("document", "paragraph")
JIEBA_METHODS = ("jieba-tfidf", "textrank")
_SCORE_BLOCK = 1 << 20  # scores made for blocks of whole rows of about this many values


def _rank(table: pd.DataFrame, by: str, score: str, top: int | None, *, ascending: bool = False) -> pd.DataFrame:
    """Sort within each group by score (ties by term), number the ranks, keep ``top`` (groups keep their order)."""
    order = {g: i for i, g in enumerate(pd.unique(table[by]))}
    table = table.assign(_g=table[by].map(order)).sort_values(["_g", score, "term"], ascending=[True, ascending, True],
                                                              kind="stable")
    table["rank"] = table.groupby("_g").cumcount() + 1
    if top is not None:
        table = table[table["rank"] <= top]
    return table.drop(columns="_g").reset_index(drop=True)


def tfidf_keywords(
    corpus,
    *,
    by: str = "doc_id",
    idf_unit: str = "document",
    ngram: int | tuple[int, int] = 1,
    sublinear_tf: bool = False,
    min_df: int | float = 1,
    max_df: int | float = 1.0,
    stopwords: StopwordSpec | Sequence[StopwordSpec] = DEFAULT_STOPWORDS,
    min_chars: int = 2,
    top: int | None = 20,
    tokens: pd.DataFrame | None = None,
    user_dict=None,
    engine=None,
    workers: int | None = None,
    progress: bool | None = None,
    vocabulary: str = "exact",
    cache: bool = True,
) -> pd.DataFrame:
    """TF-IDF keywords of each document or group, with the numbers behind them.

    ``by`` is any grouping of documents (:mod:`workbench.groups`): ``doc_id``, ``year``,
    ``region``, ``doc_type``, a manifest column, ``decade`` or ``plan_period``. The IDF is
    fitted on ``idf_unit`` units (whole documents or paragraphs) as scikit-learn's
    ``TfidfTransformer`` fits it; each group's term counts are then weighted with it.
    Single words are counted straight from the token lists, in blocks of whole documents,
    into one documents × terms matrix; no matrix of units is kept.

    Returns
    -------
    DataFrame
        ``<by>, term, tf, df, n_units, idf, tfidf, score, rank``, sorted by group
        (corpus order) and rank; at most ``top`` rows per group.

    Notes
    -----
    As scikit-learn's ``TfidfTransformer(smooth_idf=True)``, with ``n`` units of
    which ``df(t)`` contain term ``t``:

    .. math:: \\mathrm{idf}(t) = \\ln\\frac{1 + n}{1 + \\mathrm{df}(t)} + 1

    ``tfidf = tf × idf`` where ``tf`` is the term's count in the group (or
    ``1 + ln(count)`` with ``sublinear_tf``); ``score`` is ``tfidf`` divided by
    the Euclidean norm of the group's whole tfidf vector, which is what
    ``TfidfVectorizer`` returns. The ranking by ``score`` and by ``tfidf`` is the same.

    With five documents, a term found in all five has idf 1 and one found in
    one has idf ln(6/2)+1 ≈ 2.1: a coarse scale. Over ~190 paragraphs the idf
    separates common from rare words far better.

    With ``engine`` (``"processes"``, ``"dask"`` or a Dask client) the same table is
    computed as map-reduce (:mod:`workbench.tfidf_scale`), without a documents ×
    vocabulary matrix; ``vocabulary="hashing"`` keys document frequencies by
    HashingVectorizer bucket instead of by term.

    With ``cache`` the table is kept in the cache directory (:mod:`workbench.frame_cache`,
    kind ``keywords``) under a key over the content of the token lists and of the groups,
    every setting, the stopwords and this code; the same call on the same tokens reads it back.

    Examples
    --------
    >>> import workbench as wb
    >>> table = tfidf_keywords(wb.load_corpus(), top=3)
    >>> list(table.columns)
    ['doc_id', 'term', 'tf', 'df', 'n_units', 'idf', 'tfidf', 'score', 'rank']
    """
    if idf_unit not in IDF_UNITS:
        raise ValueError(f"idf_unit must be one of {', '.join(IDF_UNITS)}, not {idf_unit!r}")
    labels_of = document_groups(corpus, by).to_dict()  # checks by: any grouping of documents
    if tokens is None:
        tokens = segment_corpus(corpus, user_dict=user_dict, engine=engine, workers=workers, progress=progress)
    options = {"by": by, "idf_unit": idf_unit, "ngram": ngram, "sublinear_tf": sublinear_tf, "min_df": min_df,
               "max_df": max_df, "stopwords": stopwords, "min_chars": min_chars, "top": top, "vocabulary": vocabulary}
    mapreduce = engine is not None or vocabulary != "exact"
    stored = keyword_cache.Stored(tokens, labels_of, options, mapreduce=mapreduce) if cache else None
    table = stored.read() if stored is not None else None
    if table is None:
        table = _tfidf_table(corpus, tokens, labels_of, engine=engine, workers=workers, progress=progress,
                             **options)
        if stored is not None:
            stored.write(table)
    return table


def _tfidf_table(corpus, tokens, labels_of, *, by, idf_unit, ngram, sublinear_tf, min_df, max_df, stopwords,
                 min_chars, top, vocabulary, engine, workers, progress) -> pd.DataFrame:
    """The table of :func:`tfidf_keywords`, computed."""
    from scipy import sparse  # scipy loads on first use, not with the package

    if engine is not None or vocabulary != "exact":
        table = tfidf_keywords_mapreduce(corpus, by=by, idf_unit=idf_unit, ngram=ngram, sublinear_tf=sublinear_tf,
                                         min_df=min_df, max_df=max_df, stopwords=stopwords, min_chars=min_chars,
                                         top=top, tokens=tokens, user_dict=None, engine=engine or "local",
                                         workers=workers, progress=progress, vocabulary=vocabulary)
        return _rank(table, by, "score", top)
    if ngram_range(ngram) == (1, 1):  # single words: counted straight from the tokens
        docs, doc_counts, df, n_units, vocabulary = _term_counts(
            tokens, unit=idf_unit, stopwords=load_stopwords(stopwords), min_chars=min_chars, min_df=min_df,
            max_df=max_df)
    else:
        units = unit_terms(corpus, unit=idf_unit, ngram=ngram, stopwords=stopwords, min_chars=min_chars,
                           tokens=tokens)
        counts, vocabulary = term_matrix(units, min_df=min_df, max_df=max_df)
        n_units = counts.shape[0]
        df = np.bincount(counts.indices[counts.data > 0], minlength=counts.shape[1])
        doc_of_unit, docs = pd.factorize(pd.Series(units["doc_id"], dtype=object), use_na_sentinel=False)
        docs = np.asarray(docs, dtype=object)
        doc_counts = sparse.csr_matrix((np.ones(n_units), (doc_of_unit, np.arange(n_units))),
                                       shape=(len(docs), n_units)) @ counts
    # idf exactly as scikit-learn's TfidfTransformer(smooth_idf=True) computes it
    idf = np.full(len(df), n_units + 1, dtype=np.float64)
    idf /= df.astype(np.float64) + 1.0
    np.log(idf, out=idf)
    idf += 1.0
    # A group's counts are the sum of its documents' rows (groups in time or first-seen order;
    # documents without a group left out). Labels are looked up once per document.
    doc_labels = [labels_of.get(d) for d in docs.tolist()]
    labels = ordered_groups(doc_labels, by)
    position = {label: i for i, label in enumerate(labels)}
    group_of_doc = np.array([position[g] if g is not None and g in position else -1 for g in doc_labels] or [],
                            dtype=np.int64)
    columns = np.flatnonzero(group_of_doc >= 0)
    if len(labels) == len(docs) and (group_of_doc == np.arange(len(docs))).all():  # each document a group
        group_counts = doc_counts
    else:
        membership = sparse.csr_matrix((np.ones(len(columns)), (group_of_doc[columns], columns)),
                                       shape=(len(labels), len(docs)))
        group_counts = (membership @ doc_counts).tocsr()
    group_counts.eliminate_zeros()
    group_counts.sort_indices()  # (a no-op on the counts of single words: they come canonical)
    # scores as TfidfTransformer(sublinear_tf=..., norm="l2").transform gives them (tf > 0 and idf > 0: the
    # same non-zeros), made for blocks of whole rows (about a million values each), each block's top kept
    indptr = group_counts.indptr
    starts = np.searchsorted(indptr, np.arange(_SCORE_BLOCK, indptr[-1], _SCORE_BLOCK))
    cuts = np.unique(np.r_[0, starts, len(indptr) - 1])
    picks, rows, ranks, kept_scores = [], [], [], []
    for r0, r1 in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
        a, b = int(indptr[r0]), int(indptr[r1])
        scores = group_counts.data[a:b].astype(np.float64)
        if sublinear_tf:
            np.log(scores, scores)
            scores += 1.0
        scores *= idf[group_counts.indices[a:b]]
        bounds = indptr[r0:r1 + 1] - a
        _l2_rows(scores, bounds)
        pick, row, rank = _top_per_row(bounds, scores, top)
        picks.append(pick + a), rows.append(row + r0), ranks.append(rank), kept_scores.append(scores[pick])
    pick, row, rank, score = (np.concatenate(parts) if parts else np.zeros(0, dtype=np.int64)
                              for parts in (picks, rows, ranks, kept_scores))
    col = group_counts.indices[pick]
    tf = group_counts.data[pick].astype(float)
    weight = 1 + np.log(tf) if sublinear_tf else tf
    return pd.DataFrame({by: np.asarray(labels, dtype=object)[row], "term": vocabulary[col],
                         "tf": tf.astype(int), "df": df[col].astype(int), "n_units": n_units, "idf": idf[col],
                         "tfidf": weight * idf[col], "score": score.astype(np.float64), "rank": rank})


def _term_counts(sents: pd.DataFrame, *, unit: str, stopwords: frozenset[str], min_chars: int,
                 min_df: int | float, max_df: int | float, chunk: int = 1 << 21):
    """Single-word term counts per document and document frequencies over units, straight from the token lists.

    Returns ``(docs, counts, df, n_units, vocabulary)``: the documents in first-seen order,
    their counts (a CSR matrix, one row per document, int32 term columns and counts,
    canonical), each term's number of units containing it, the number of units, and the
    terms (alphabetical). ``min_df``/``max_df`` mean what they mean in scikit-learn's
    ``CountVectorizer`` (over the units). The counts and frequencies are those of
    ``CountVectorizer`` over :func:`~workbench.terms.unit_terms` lists, summed per document.

    The token ids are read in blocks of whole documents of about ``chunk`` tokens (one
    block if a document's units are apart): each distinct token is tested once, a block's
    unit rows are summed by scipy (sorted per row), counted for the frequencies and added
    up per document. At the end each block's token ids become vocabulary columns and the
    blocks are copied into one matrix, one by one.
    """
    from numbers import Integral

    from scipy import sparse

    keys = ["doc_id"] if unit == "document" else ["doc_id", "paragraph"]
    sentence_unit, first = token_column.units(sents, keys, dropna=False)
    n_units = len(first)
    doc_of_unit, docs = pd.factorize(pd.Series(sents["doc_id"].iloc[first].to_numpy(dtype=object), dtype=object),
                                     use_na_sentinel=False)  # (only the units' doc_ids made Python strings)
    units = token_column.joined_parts(sents["tokens"], sentence_unit)  # each unit's tokens, units in order
    unit_token = units.offsets  # first token of each unit, and the end
    small = np.int32 if unit_token[-1] < 2 ** 31 else np.int64  # term numbers and counts in half the memory
    if (np.diff(doc_of_unit) >= 0).all():  # blocks of whole documents: each document's row made in one block
        doc_start = np.flatnonzero(np.r_[True, doc_of_unit[1:] != doc_of_unit[:-1]]) if n_units else first
        wanted = np.searchsorted(unit_token[doc_start], np.arange(chunk, unit_token[-1], chunk))
        cuts = np.unique(np.r_[0, doc_start[wanted[wanted < len(doc_start)]], n_units])
    else:  # a document's units apart from each other: one block
        cuts = np.unique([0, n_units])
    tokens = units.vocabulary
    is_term = np.fromiter((t not in stopwords and is_rankable(t, min_chars=min_chars) for t in tokens),
                          dtype=bool, count=len(tokens))
    df = np.zeros(len(tokens), dtype=np.int64)
    indptrs, indices, values = [], [], []  # each block's document rows, in token ids
    for u0, u1 in zip(cuts[:-1].tolist(), cuts[1:].tolist()):
        t0, t1 = int(unit_token[u0]), int(unit_token[u1])
        codes = units.ids[t0:t1]
        kept = is_term[codes]
        indptr = np.r_[0, np.cumsum(kept, dtype=np.int64)][unit_token[u0:u1 + 1] - t0]
        block = sparse.csr_matrix((np.ones(int(indptr[-1]), dtype=small), codes[kept].astype(small, copy=False),
                                   indptr), shape=(u1 - u0, len(tokens)))
        del codes, kept
        block.sum_duplicates()  # each unit's terms with their counts
        df += np.bincount(block.indices, minlength=len(tokens))
        if unit != "document":  # the block's units added up per document
            block_docs, doc_local = np.unique(doc_of_unit[u0:u1], return_inverse=True)
            membership = sparse.csr_matrix((np.ones(u1 - u0, dtype=small), (doc_local, np.arange(u1 - u0))),
                                           shape=(len(block_docs), u1 - u0))
            block = (membership @ block).tocsr()
        indptrs.append(block.indptr.astype(np.int64, copy=False))
        indices.append(block.indices.astype(small, copy=False))
        values.append(block.data.astype(small, copy=False))
        del block
    term_ids = np.flatnonzero(is_term)
    alphabetical = term_ids[np.argsort(tokens[term_ids], kind="stable")]
    high = max_df if isinstance(max_df, Integral) else max_df * n_units
    low = min_df if isinstance(min_df, Integral) else min_df * n_units
    keep = (df[alphabetical] >= low) & (df[alphabetical] <= high)
    if high < low or not keep.any():
        problem = "max_df corresponds to < documents than min_df" if high < low else "no term passes min_df/max_df"
        raise ValueError(f"no terms left to count ({problem}); loosen min_df/max_df or the stopword lists")
    alphabetical = alphabetical[keep]
    column = np.full(len(tokens), -1, dtype=small)
    column[alphabetical] = np.arange(len(alphabetical))
    for i, codes in enumerate(indices):  # term number -> column (-1: not counted), block by block
        np.take(column, codes, out=codes)
        kept = codes >= 0
        indptrs[i] = np.r_[0, np.cumsum(kept, dtype=np.int64)][indptrs[i]]
        indices[i], values[i] = codes[kept], values[i][kept]
    sizes = [len(codes) for codes in indices]
    offsets = np.cumsum([0, *sizes])
    indptr = np.concatenate([np.zeros(1, dtype=np.int64), *(p[1:] + o for p, o in zip(indptrs, offsets[:-1]))])
    col, value = np.empty(int(offsets[-1]), dtype=small), np.empty(int(offsets[-1]), dtype=small)
    blocks = list(zip(indices, values))
    del indices, values
    # each block freed once copied, and handed back to the system (the blocks are a few MB each: glibc
    # keeps them in its heap): 10,000 pages' TF-IDF peaked 49 MB higher while the blocks were copied
    for (codes, counts), a, b in zip(drained(blocks, lambda block: block[0].nbytes + block[1].nbytes, every=1),
                                     offsets[:-1].tolist(), offsets[1:].tolist()):
        col[a:b], value[a:b] = codes, counts
    counts = sparse.csr_matrix((value, col, indptr), shape=(len(indptr) - 1, len(alphabetical)))
    counts.sort_indices()  # each row in column (alphabetical) order again
    return np.asarray(docs, dtype=object), counts, df[alphabetical], n_units, tokens[alphabetical]


def _l2_rows(values: np.ndarray, bounds: np.ndarray) -> None:
    """Divide each row's values (``values[bounds[i]:bounds[i + 1]]``) by its Euclidean norm, in place.

    The arithmetic of scikit-learn's ``normalize(norm="l2")`` on a CSR matrix (squares summed
    in row order, a row of zeros left as it is), without importing scikit-learn: that import
    alone adds 64 MB of resident memory to a run that needs nothing else from it.

    >>> values = np.array([3.0, 4.0, 0.0, 2.0])
    >>> _l2_rows(values, np.array([0, 2, 3, 4]))
    >>> values.tolist()
    [0.6, 0.8, 0.0, 1.0]
    """
    rows = np.repeat(np.arange(len(bounds) - 1), np.diff(bounds))
    norms = np.sqrt(np.bincount(rows, weights=values * values, minlength=len(bounds) - 1))  # (summed in order)
    norms[norms == 0] = 1.0
    values /= norms[rows]


def _top_per_row(indptr: np.ndarray, score: np.ndarray, top: int | None):
    """Positions of a CSR matrix's data ordered by row, then score descending: ``(positions, their row, rank)``.

    At most ``top`` per row. The data are in (row, column) order (sorted indices) and both
    sorts are stable, so ties keep column order: the vocabulary is alphabetical, so ties go
    by term. Rows longer than ``top`` first drop what scores below their ``top``-th largest
    score (one ``np.partition`` per row; ties with it stay).
    """
    lengths = np.diff(indptr)
    if top is not None and len(score) > 50 * top:
        candidate = np.ones(len(score), dtype=bool)
        for r in np.flatnonzero(lengths > top).tolist():
            a, b = int(indptr[r]), int(indptr[r + 1])
            candidate[a:b] = score[a:b] >= np.partition(score[a:b], b - a - top)[b - a - top]
        kept = np.flatnonzero(candidate)
        row = np.searchsorted(indptr, kept, side="right") - 1
    else:
        kept = None
        row = np.repeat(np.arange(len(lengths)), lengths)
    order, rank = _ranked(row, score if kept is None else score[kept], top)
    return (order if kept is None else kept[order]), row[order], rank


def _ranked(group: np.ndarray, score: np.ndarray, top: int | None):
    by_score = np.argsort(-score, kind="stable")
    order = by_score[np.argsort(group[by_score], kind="stable")]
    g = group[order]
    starts = np.flatnonzero(np.r_[True, g[1:] != g[:-1]])
    rank = np.arange(len(g)) - np.repeat(starts, np.diff(np.r_[starts, len(g)])) + 1
    keep = rank <= top if top is not None else np.ones(len(g), dtype=bool)
    return order[keep], rank[keep]


@lru_cache(maxsize=4)
def _jieba_extractor(method: str, tokenizer):
    import jieba.posseg

    with warnings.catch_warnings():  # jieba 0.42 reads its IDF file without closing it (also on import)
        warnings.simplefilter("ignore", ResourceWarning)
        import jieba.analyse

        extractor = jieba.analyse.TFIDF() if method == "jieba-tfidf" else jieba.analyse.TextRank()
    extractor.postokenizer = jieba.posseg.POSTokenizer(tokenizer)
    extractor.tokenizer = tokenizer if method == "jieba-tfidf" else extractor.postokenizer
    return extractor, frozenset(extractor.stop_words)


@lru_cache(maxsize=64)
def _jieba_ranking(method: str, tokenizer, text: str, stopwords: frozenset[str], want: int | None):
    """jieba's ``(term, weight)`` pairs for one text (memoised: jieba's part-of-speech tagging is slow)."""
    extractor, jieba_stop = _jieba_extractor(method, tokenizer)
    extractor.stop_words = set(jieba_stop | stopwords)
    if method == "jieba-tfidf":
        return tuple(extractor.extract_tags(text, topK=want, withWeight=True))
    return tuple(extractor.textrank(text, topK=want, withWeight=True))


def jieba_keywords(
    corpus,
    *,
    method: str = "jieba-tfidf",
    by: str = "doc_id",
    stopwords: StopwordSpec | Sequence[StopwordSpec] = DEFAULT_STOPWORDS,
    min_chars: int = 2,
    top: int | None = 20,
    user_dict=None,
) -> pd.DataFrame:
    """Keywords by jieba's own extractors, for comparison with :func:`tfidf_keywords`.

    ``method="jieba-tfidf"`` is ``jieba.analyse.extract_tags``: term frequency in the
    text times an IDF that jieba ships, fitted on a *general* Chinese corpus (terms it
    does not know get the median IDF; ``in_jieba_idf`` says which). ``"textrank"`` is
    ``jieba.analyse.textrank``: PageRank over a co-occurrence graph (window 5) of
    nouns and verbs; it needs no IDF at all. Both use the workbench tokenizer (with
    its domain dictionary) and the same stopword and term filters.

    Returns
    -------
    DataFrame
        ``<by>, term, idf, in_jieba_idf, score, rank`` (``idf`` is jieba's, empty for textrank).
    """
    if method not in JIEBA_METHODS:
        raise ValueError(f"method must be one of {', '.join(JIEBA_METHODS)}, not {method!r}")
    labels_of = document_groups(corpus, by).to_dict()
    doc_labels = [labels_of.get(d) for d in corpus.documents["doc_id"].tolist()]
    order = ordered_groups(doc_labels, by)
    texts = {label: [] for label in order}
    for label, text in zip(doc_labels, corpus.documents["text"].tolist()):
        if label is not None and label in texts:
            texts[label].append(text)
    groups = pd.DataFrame({by: pd.Series(order, dtype=object), "terms": list(texts.values())})
    tokenizer = get_tokenizer(user_dict)
    stop = load_stopwords(stopwords)
    rows = []
    for label, parts in zip(groups[by], groups["terms"]):
        pairs = _jieba_ranking(method, tokenizer, "\n".join(parts), stop, None if top is None else top * 3 + 50)
        extractor = _jieba_extractor(method, tokenizer)[0]
        for term, score in pairs:
            if is_rankable(term, min_chars=min_chars):
                known = term in extractor.idf_freq if method == "jieba-tfidf" else None
                idf = extractor.idf_freq.get(term, extractor.median_idf) if method == "jieba-tfidf" else np.nan
                rows.append((label, term, idf, known, float(score)))
    table = pd.DataFrame(rows, columns=[by, "term", "idf", "in_jieba_idf", "score"])
    return _rank(table, by, "score", top)


METHODS = ("tfidf", "jieba-tfidf", "textrank", "keyness", "log-odds")


def rank_terms(corpus, method: str = "tfidf", *, group=None, by: str = "doc_id", reference=None,
               top: int | None = 20, **options) -> pd.DataFrame:
    """The ranking table of one ``method`` for every group, or for one ``group`` (a ``by`` value).

    A convenience over :func:`tfidf_keywords`, :func:`jieba_keywords`,
    :func:`~workbench.keyness.keyness` and :func:`~workbench.keyness.log_odds`
    for the CLI, the widgets and the report: the columns are those of the method's
    own function; every table has ``<by>, term, ..., score, rank``. ``by`` is any
    grouping (:mod:`workbench.groups`). For keyness and log-odds only over-used terms
    are kept, each group against the rest, or ``group`` (A) against ``reference`` (B)
    when one is given (then both directions are kept: ``over`` is A's, ``under`` B's).
    ``options`` go to the method's function.
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {', '.join(METHODS)}, not {method!r}")
    if reference is not None and method not in ("keyness", "log-odds"):
        raise ValueError(f"a reference group (B) is for keyness and log-odds, not {method}")
    if reference is not None and group is None:
        raise ValueError("a reference group (B) needs a group (A) to compare with it")
    if by == "section_role" and method not in ("keyness", "log-odds"):
        raise ValueError("section_role groups sentences: rank them with keyness or log-odds")
    labels_of = None if by == "section_role" else document_groups(corpus, by).to_dict()
    if group is not None and labels_of is not None:
        group = find_group(list(labels_of.values()), group, by)
    if method == "tfidf":
        table = tfidf_keywords(corpus, by=by, top=top, **options)
    elif method in JIEBA_METHODS:  # no corpus-wide statistics: rank only the group asked for
        part = corpus if group is None else corpus.subset([d for d, g in labels_of.items() if g == group])
        table = jieba_keywords(part, method=method, by=by, top=top, **options)
    else:
        func = keyness if method == "keyness" else log_odds
        return func(corpus, group, reference=reference, by=by, direction="over" if reference is None else "both",
                    top=top, **options)
    return table if group is None else table[table[by] == group].reset_index(drop=True)
