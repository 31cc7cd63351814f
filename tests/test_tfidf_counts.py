"""TF-IDF's single-word counts, built from token numbers: the same matrix, vocabulary and ranking
as scikit-learn's CountVectorizer over term lists, whatever the order of the sentence rows."""
import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.keywords import _unit_counts


def _rows(tokens: pd.DataFrame, rows: str) -> pd.DataFrame:
    return {"all": tokens, "shuffled": tokens.sample(frac=1, random_state=0),
            "a part of each document": tokens.groupby("doc_id", sort=False).head(60),
            "some empty": tokens.assign(tokens=[[] if i % 4 else ts for i, ts in enumerate(tokens["tokens"])])}[rows]


@pytest.mark.parametrize("rows", ["all", "shuffled", "a part of each document", "some empty"])
@pytest.mark.parametrize("unit", ["document", "paragraph"])
@pytest.mark.parametrize("min_df, max_df", [(1, 1.0), (2, 0.5), (0.01, 40)])
def test_counts_equal_countvectorizer_over_term_lists(seed_corpus, rows, unit, min_df, max_df):
    tokens = _rows(wb.segment_corpus(seed_corpus), rows)
    units = wb.terms.unit_terms(seed_corpus, unit=unit, tokens=tokens)
    expected, vocabulary = wb.terms.term_matrix(units, min_df=min_df, max_df=max_df)
    docs, counts, fast_vocabulary = _unit_counts(tokens, unit=unit, stopwords=wb.load_stopwords(("general", "policy")),
                                                 min_chars=2, min_df=min_df, max_df=max_df)
    assert fast_vocabulary.tolist() == vocabulary.tolist()
    assert counts.shape == expected.shape and (counts != expected).nnz == 0
    assert counts.has_canonical_format
    assert docs.tolist() == units["doc_id"].tolist()


def test_no_term_left_is_a_clear_error(seed_corpus):
    tokens = wb.segment_corpus(seed_corpus)
    with pytest.raises(ValueError, match="no terms left to count"):
        _unit_counts(tokens, unit="document", stopwords=frozenset(), min_chars=2, min_df=6, max_df=1.0)


@pytest.mark.parametrize("by", ["doc_id", "year", "doc_type"])
@pytest.mark.parametrize("idf_unit", ["document", "paragraph"])
def test_keywords_equal_tfidfvectorizer(seed_corpus, by, idf_unit):
    """Scores equal scikit-learn's TfidfVectorizer fitted on the units and applied to the groups' terms."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    units = wb.terms.unit_terms(seed_corpus, unit=idf_unit)
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms).fit(units["terms"])
    groups = wb.terms.grouped_terms(seed_corpus, by)
    expected = vectorizer.transform(groups["terms"])
    table = wb.tfidf_keywords(seed_corpus, by=by, idf_unit=idf_unit, top=None)
    assert table[by].drop_duplicates().tolist() == groups[by].tolist()
    position = {g: i for i, g in enumerate(groups[by])}
    got = np.array([expected[position[g], vectorizer.vocabulary_[t]] for g, t in zip(table[by], table["term"])])
    np.testing.assert_allclose(table["score"].to_numpy(), got, rtol=1e-12)
    assert len(table) == expected.nnz
