"""TF-IDF's single-word counts, built from token numbers block by block: the same document counts,
document frequencies and vocabulary as scikit-learn's CountVectorizer over term lists, whatever the
order of the sentence rows and the size of the blocks."""
import numpy as np
import pandas as pd
import pytest
from scipy import sparse

import workbench as wb
from workbench.keywords import _term_counts

STOPWORDS = ("general", "policy")


def _rows(tokens: pd.DataFrame, rows: str) -> pd.DataFrame:
    return {"all": tokens, "shuffled": tokens.sample(frac=1, random_state=0),
            "a part of each document": tokens.groupby("doc_id", sort=False).head(60),
            "some empty": tokens.assign(tokens=[[] if i % 4 else ts for i, ts in enumerate(tokens["tokens"])])}[rows]


@pytest.mark.parametrize("rows", ["all", "shuffled", "a part of each document", "some empty"])
@pytest.mark.parametrize("unit", ["document", "paragraph"])
@pytest.mark.parametrize("min_df, max_df", [(1, 1.0), (2, 0.5), (0.01, 40)])
@pytest.mark.parametrize("chunk", [1 << 21, 500])
def test_counts_equal_countvectorizer_over_term_lists(seed_corpus, rows, unit, min_df, max_df, chunk):
    tokens = _rows(wb.segment_corpus(seed_corpus), rows)
    units = wb.terms.unit_terms(seed_corpus, unit=unit, tokens=tokens)
    per_unit, vocabulary = wb.terms.term_matrix(units, min_df=min_df, max_df=max_df)
    doc_of_unit, expected_docs = pd.factorize(units["doc_id"])
    expected = sparse.csr_matrix((np.ones(len(units), dtype=np.int64), (doc_of_unit, np.arange(len(units)))),
                                 shape=(len(expected_docs), len(units))) @ per_unit
    docs, counts, df, n_units, fast_vocabulary = _term_counts(
        tokens, unit=unit, stopwords=wb.load_stopwords(STOPWORDS), min_chars=2, min_df=min_df, max_df=max_df,
        chunk=chunk)
    assert fast_vocabulary.tolist() == vocabulary.tolist()
    assert counts.shape == expected.shape and (counts != expected).nnz == 0
    assert counts.has_canonical_format
    assert df.tolist() == np.asarray((per_unit > 0).sum(axis=0)).ravel().tolist()
    assert n_units == len(units)
    assert docs.tolist() == expected_docs.tolist()


def test_blocks_hold_whole_documents(seed_corpus):
    """Small blocks give the same counts as one block: each document's row is made in one block."""
    tokens = wb.segment_corpus(seed_corpus)
    options = dict(unit="paragraph", stopwords=wb.load_stopwords(STOPWORDS), min_chars=2, min_df=1, max_df=1.0)
    _, whole, whole_df, _, _ = _term_counts(tokens, **options)
    _, blocks, blocks_df, _, _ = _term_counts(tokens, chunk=1, **options)
    assert (whole != blocks).nnz == 0 and whole_df.tolist() == blocks_df.tolist()
    assert whole.data.dtype == np.int32 and whole.indices.dtype == np.int32


def test_no_term_left_is_a_clear_error(seed_corpus):
    tokens = wb.segment_corpus(seed_corpus)
    with pytest.raises(ValueError, match="no terms left to count"):
        _term_counts(tokens, unit="document", stopwords=frozenset(), min_chars=2, min_df=6, max_df=1.0)
