"""Keywords, keyness and collocations: the numbers, checked by hand on a tiny corpus and on the seeds."""
import math

import numpy as np
import pandas as pd
import pytest

import workbench as wb
from workbench.keyness import g2_two_by_two
from workbench.terms import is_rankable

XUZHOU = "003_75a5bbd56f8ce010"
WORDS = {"a.txt": "经济，经济，教育。", "b.txt": "教育，生态。", "c.txt": "生态，生态，生态，城市。"}


@pytest.fixture
def words_corpus(tmp_path):
    for name, text in WORDS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return wb.load_corpus(tmp_path)


def row(table, **where):
    selected = table
    for column, value in where.items():
        selected = selected[selected[column] == value]
    assert len(selected) == 1, where
    return selected.iloc[0]


def test_terms_of_tiny_corpus(words_corpus):
    units = wb.terms.unit_terms(words_corpus, stopwords=None)
    assert units["terms"].tolist() == [["经济", "经济", "教育"], ["教育", "生态"], ["生态", "生态", "生态", "城市"]]


def test_tfidf_matches_hand_computation(words_corpus):
    table = wb.tfidf_keywords(words_corpus, top=None, stopwords=None)
    # a: 经济×2 (df 1), 教育×1 (df 2); n = 3 documents
    idf_jingji, idf_jiaoyu = math.log(4 / 2) + 1, math.log(4 / 3) + 1
    norm_a = math.hypot(2 * idf_jingji, 1 * idf_jiaoyu)
    r = row(table, doc_id="a", term="经济")
    assert (r.tf, r.df, r.n_units) == (2, 1, 3)
    assert r.idf == pytest.approx(idf_jingji)
    assert r.tfidf == pytest.approx(2 * idf_jingji)
    assert r.score == pytest.approx(2 * idf_jingji / norm_a)
    assert row(table, doc_id="a", term="教育").score == pytest.approx(idf_jiaoyu / norm_a)
    assert r["rank"] == 1
    sub = wb.tfidf_keywords(words_corpus, top=None, stopwords=None, sublinear_tf=True)
    assert row(sub, doc_id="c", term="生态").tfidf == pytest.approx((1 + math.log(3)) * (math.log(4 / 3) + 1))


def test_tfidf_equals_scikit_learn_on_the_seeds(seed_corpus):
    from sklearn.feature_extraction.text import TfidfVectorizer

    units = wb.terms.unit_terms(seed_corpus, unit="paragraph")
    vectorizer = TfidfVectorizer(analyzer=lambda terms: terms).fit(units["terms"])
    docs = wb.terms.unit_terms(seed_corpus, unit="document")
    expected = vectorizer.transform(docs["terms"])
    table = wb.tfidf_keywords(seed_corpus, idf_unit="paragraph", top=None)
    assert table["n_units"].unique().tolist() == [len(units)]
    for r in table.sample(200, random_state=0).itertuples():
        i = docs.index[docs["doc_id"] == r.doc_id][0]
        assert r.score == pytest.approx(expected[i, vectorizer.vocabulary_[r.term]])
        assert r.idf == pytest.approx(math.log((1 + len(units)) / (1 + r.df)) + 1)


def test_paragraph_idf_is_finer_than_document_idf(seed_corpus):
    by_doc = wb.tfidf_keywords(seed_corpus, top=None)
    by_para = wb.tfidf_keywords(seed_corpus, top=None, idf_unit="paragraph")
    assert by_doc["idf"].nunique() <= 5 < 20 < by_para["idf"].nunique()


def test_groups_add_up_their_documents(seed_corpus):
    by_type = wb.tfidf_keywords(seed_corpus, by="doc_type", top=None)
    docs = seed_corpus.documents
    news = docs.loc[docs["doc_type"] == "新闻报道", "doc_id"].tolist()
    assert len(news) == 2
    per_doc = wb.tfidf_keywords(seed_corpus, top=None)
    tf = per_doc[per_doc["doc_id"].isin(news) & (per_doc["term"] == "改革")]["tf"].sum()
    assert row(by_type, doc_type="新闻报道", term="改革").tf == tf


def test_g2_matches_hand_computation():
    a, b, c, d = 10, 20, 100, 900
    n = c + d
    cells = [(a, c * (a + b) / n), (c - a, c * (n - a - b) / n), (b, d * (a + b) / n), (d - b, d * (n - a - b) / n)]
    expected = 2 * sum(o * math.log(o / e) for o, e in cells)
    assert g2_two_by_two(a, c - a, b, d - b) == pytest.approx(expected)
    assert g2_two_by_two(0, 10, 5, 5) > 0  # a zero cell contributes 0, not nan


def test_keyness_of_tiny_corpus(words_corpus):
    table = wb.keyness(words_corpus, "a", min_count=1, top=None, stopwords=None)
    r = row(table, term="经济")  # a: 2 of 3 terms; rest: 0 of 6
    assert (r["count"], r.count_ref, r.direction) == (2, 0, "over")
    assert r.g2 == pytest.approx(float(g2_two_by_two(2, 1, 0, 6)))
    from scipy.stats import chi2

    assert r.p_value == pytest.approx(chi2.sf(r.g2, 1))
    assert r.log_ratio == pytest.approx(math.log2((2 / 3) / (0.5 / 6)))
    assert row(table, term="生态").direction == "under"


def test_log_odds_matches_hand_computation(words_corpus):
    table = wb.log_odds(words_corpus, "c", prior=9.0, min_count=1, top=None, stopwords=None)
    # 生态: y=3 of n_i=4 in c, y'=1 of n_j=5; corpus share 4/9, so alpha = 9 * 4/9 = 4
    alpha = 4.0
    delta = math.log((3 + alpha) / (4 + 9 - 3 - alpha)) - math.log((1 + alpha) / (5 + 9 - 1 - alpha))
    r = row(table, term="生态")
    assert r.alpha == pytest.approx(alpha)
    assert r.delta == pytest.approx(delta)
    assert r.z == pytest.approx(delta / math.sqrt(1 / (3 + alpha) + 1 / (1 + alpha)))
    with pytest.raises(ValueError, match="prior"):
        wb.log_odds(words_corpus, "c", prior=0)


def test_keyness_puts_xuzhou_terms_on_top(seed_corpus):
    over = wb.keyness(seed_corpus, XUZHOU, direction="over", top=15)
    assert over["term"].iloc[0] == "徐州"
    assert "淮海经济区" in set(over["term"])
    top5 = over.head(5)
    assert (top5["per_10k"] > 2 * top5["per_10k_ref"]).all()
    assert (over["p_value"] < 0.001).all()
    under = wb.keyness(seed_corpus, XUZHOU, direction="under", top=5)
    assert (under["direction"] == "under").all() and (under["per_10k"] < under["per_10k_ref"]).all()
    odds = wb.log_odds(seed_corpus, XUZHOU, direction="over", top=5)
    assert odds["term"].iloc[0] == "徐州" and (odds["z"] > 1.96).all()


def test_keyness_each_group_against_the_rest(seed_corpus):
    table = wb.keyness(seed_corpus, by="region", direction="over", top=1)
    assert len(table) == seed_corpus.documents["region"].nunique()
    assert row(table, region="宿迁市泗洪县").term == "泗洪县"
    with pytest.raises(ValueError, match="no region '北京市'"):
        wb.keyness(seed_corpus, "北京市", by="region")


POLICY = wb.load_stopwords(("general", "policy"))


@pytest.mark.parametrize("method", ["tfidf", "jieba-tfidf", "textrank", "keyness", "log-odds"])
@pytest.mark.parametrize("ngram", [1, 2])
def test_no_punctuation_number_or_stopword_in_any_ranking(seed_corpus, method, ngram):
    options = {} if method in ("jieba-tfidf", "textrank") else {"ngram": ngram}
    table = wb.rank_terms(seed_corpus, method, top=None if method not in ("jieba-tfidf", "textrank") else 200, **options)
    assert len(table) > 50
    for term in table["term"]:
        for part in term.split(" "):
            assert is_rankable(part), term
            assert part not in POLICY, term
    assert not table["term"].str.contains(r"^\d+$|XX").any()


def test_rank_terms_one_group(seed_corpus):
    table = wb.rank_terms(seed_corpus, "tfidf", group=XUZHOU, top=7)
    assert table["doc_id"].unique().tolist() == [XUZHOU] and table["rank"].tolist() == list(range(1, 8))
    with pytest.raises(ValueError, match="method must be one of"):
        wb.rank_terms(seed_corpus, "bm25")


def test_jieba_extractors(seed_corpus):
    tags = wb.jieba_keywords(seed_corpus, top=10)
    assert list(tags.columns) == ["doc_id", "term", "idf", "in_jieba_idf", "score", "rank"]
    assert tags.groupby("doc_id").size().tolist() == [10] * 5
    xz = tags[tags["doc_id"] == XUZHOU]
    assert xz["score"].is_monotonic_decreasing and "徐州" in set(xz["term"])
    assert not tags["in_jieba_idf"].all()  # domain words jieba's general IDF does not know (高质量发展)
    rank = wb.jieba_keywords(seed_corpus, method="textrank", top=10)
    assert rank.groupby("doc_id")["score"].max().round(6).eq(1.0).all()  # textrank scales the top term to 1


def test_collocations_match_hand_counts(words_corpus):
    table = wb.collocations(words_corpus, window=2, min_count=1, top=None, stopwords=None)
    # slots: a 3 (经济→经济,教育; 经济→教育), b 1, c 5; the repeated 经济 is no pair
    assert set(zip(table["w1"], table["w2"])) == {("经济", "教育"), ("教育", "生态"), ("生态", "城市")}
    r = row(table, w1="生态", w2="城市")
    assert (r["count"], r.count_w1, r.count_w2) == (2, 5, 2)
    assert r.expected == pytest.approx(5 * 2 / 9)
    assert r.pmi == pytest.approx(math.log2(2 / (10 / 9)))
    assert r.g2 == pytest.approx(float(g2_two_by_two(2, 3, 0, 4)))


def test_collocations_on_seeds(seed_corpus):
    table = wb.collocations(seed_corpus, measure="g2", top=30)
    assert table["g2"].is_monotonic_decreasing and (table["count"] >= 3).all()
    assert ("牢固", "树立") in set(zip(table["w1"], table["w2"]))
    eco = wb.collocations(seed_corpus, term="生态", min_count=2)
    assert ((eco["w1"] == "生态") | (eco["w2"] == "生态")).all()


def test_term_frequencies(seed_corpus):
    freq = wb.term_frequencies(seed_corpus, ["城市", "徐州"])
    r = row(freq, doc_id=XUZHOU, term="徐州")
    assert r["count"] == 71 and r.relative == pytest.approx(71 / r.total * 10_000)
    assert freq[(freq["term"] == "徐州") & (freq["doc_id"] != XUZHOU)]["count"].eq(0).all()
    top = wb.term_frequencies(seed_corpus, top=5)
    assert top["term"].nunique() == 5 and top["term"].iloc[0] == "城市"


def test_corpus_functions_leave_the_corpus_unchanged(seed_corpus):
    before = {name: getattr(seed_corpus, name).copy() for name in ("documents", "paragraphs", "sentences")}
    wb.tfidf_keywords(seed_corpus, by="region")
    wb.keyness(seed_corpus, XUZHOU)
    wb.kwic(seed_corpus, "创新")
    for name, table in before.items():
        pd.testing.assert_frame_equal(getattr(seed_corpus, name), table)


def test_user_folder(tiny_dir):
    corpus = wb.load_corpus(tiny_dir)
    table = wb.tfidf_keywords(corpus, top=None)
    assert set(table["doc_id"]) == {"a_plan", "b_report", "c_trad"}
    assert "泗洪县" in set(table.loc[table["doc_id"] == "c_trad", "term"])  # traditional text was converted before segmentation
    assert np.isfinite(table["score"]).all()


@pytest.mark.parametrize("kwargs, message", [
    ({"idf_unit": "sentence"}, "idf_unit must be one of"),
    ({"by": "era"}, "by must be one of"),
    ({"ngram": 5}, "ngram must be"),
    ({"min_df": 100}, "no terms left"),
])
def test_tfidf_rejects_bad_options(seed_corpus, kwargs, message):
    with pytest.raises(ValueError, match=message):
        wb.tfidf_keywords(seed_corpus, **kwargs)


@pytest.mark.parametrize("options", [{"idf_unit": "paragraph", "top": 20}, {"by": "doc_type", "top": None},
                                     {"sublinear_tf": True, "top": 3}])
def test_scores_in_small_blocks_of_rows_are_the_same(seed_corpus, monkeypatch, options):
    """Scores and top terms are made for blocks of whole rows: small blocks give the same table."""
    import workbench.keywords as keywords

    expected = wb.tfidf_keywords(seed_corpus, **options)
    monkeypatch.setattr(keywords, "_SCORE_BLOCK", 7)
    pd.testing.assert_frame_equal(wb.tfidf_keywords(seed_corpus, **options), expected)


def test_top_per_row_equals_a_full_sort():
    """The pre-filtered top-N selection on CSR rows ranks exactly as sorting everything (ties by column)."""
    from workbench.keywords import _ranked, _top_per_row

    rng = np.random.default_rng(1)
    for _ in range(300):
        n = int(rng.integers(1, 3000))
        n_rows = int(rng.integers(1, 30))
        group = np.sort(rng.integers(0, n_rows, n))
        indptr = np.searchsorted(group, np.arange(n_rows + 1))  # rows may be empty
        score = rng.integers(0, 5, n) / 4.0  # many ties
        top = int(rng.integers(1, 6))
        order, rank = _ranked(group, score, None)
        picked, picked_row, picked_rank = _top_per_row(indptr, score, top)
        assert np.array_equal(picked, order[rank <= top]) and np.array_equal(picked_rank, rank[rank <= top])
        assert np.array_equal(picked_row, group[picked])
