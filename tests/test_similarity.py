"""Similarity with known answers on tiny corpora, and on the seeds."""
import math

import numpy as np
import pytest

import workbench as wb
from workbench.similarity import cluster_order, cosine_matrix


@pytest.fixture
def three(tmp_path):
    texts = {"a.txt": "经济，经济，教育。", "b.txt": "教育，生态。", "c.txt": "生态，生态，生态，城市。", "d.txt": "经济，经济，教育。"}
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return wb.load_corpus(tmp_path)


def test_cosine_of_tfidf_matches_hand_computation(three):
    table = wb.document_similarity(three, idf_unit="document", sublinear_tf=False, stopwords=None)
    n = 4  # documents; df: 经济 2 (a, d), 教育 3, 生态 2, 城市 1
    idf = {t: math.log((1 + n) / (1 + df)) + 1 for t, df in {"经济": 2, "教育": 3, "生态": 2, "城市": 1}.items()}
    a = np.array([2 * idf["经济"], idf["教育"], 0, 0])
    b = np.array([0, idf["教育"], idf["生态"], 0])
    c = np.array([0, 0, 3 * idf["生态"], idf["城市"]])

    def cos(x, y):
        return x @ y / (np.linalg.norm(x) * np.linalg.norm(y))

    assert table.loc["a", "b"] == pytest.approx(cos(a, b))
    assert table.loc["b", "c"] == pytest.approx(cos(b, c))
    assert table.loc["a", "c"] == pytest.approx(0.0)  # no term in common
    assert table.loc["a", "d"] == pytest.approx(1.0)  # the same text
    assert np.allclose(table.to_numpy(), table.to_numpy().T) and np.allclose(np.diag(table), 1)


def test_cluster_order_puts_identical_documents_together(three):
    table = wb.document_similarity(three, idf_unit="document", stopwords=None)
    links, order = cluster_order(table)
    assert abs(order.index("a") - order.index("d")) == 1
    assert links[0][2] == pytest.approx(0.0)  # a and d merge first, at distance 0


def test_cosine_matrix_handles_zero_rows():
    m = cosine_matrix(np.array([[3.0, 4.0], [0.0, 0.0], [4.0, 3.0]]))
    assert m[0, 2] == pytest.approx(24 / 25) and m[1].tolist() == [0.0, 0.0, 0.0]


def test_seed_similarity(seed_corpus):
    tfidf = wb.document_similarity(seed_corpus)
    assert list(tfidf.index) == seed_corpus.doc_ids and ((tfidf >= 0) & (tfidf <= 1 + 1e-9)).all().all()
    pairs = wb.most_similar(tfidf)
    assert len(pairs) == 10 and pairs["similarity"].is_monotonic_decreasing
    # the two long plans (XX市's plenary speech and 徐州's plan) are the closest pair
    assert {pairs.iloc[0]["a"], pairs.iloc[0]["b"]} == {"002_049a35ec4ac63eb7", "003_75a5bbd56f8ce010"}
    model = wb.fit_topics(seed_corpus, k=6)
    topics = wb.document_similarity(seed_corpus, representation="topics", model=model)
    expected = cosine_matrix(model.shares_by("doc_id").to_numpy())
    assert np.allclose(topics.to_numpy(), expected)
    by_type = wb.document_similarity(seed_corpus, by="doc_type")
    assert set(by_type.index) == {"署名文章", "新闻报道", "全会讲话", "规划建议"}
    with pytest.raises(ValueError, match="representation must be"):
        wb.document_similarity(seed_corpus, representation="bert")


def test_plot_similarity_draws_chinese_labels(seed_corpus):
    import matplotlib

    matplotlib.use("Agg")
    names = seed_corpus.documents.set_index("doc_id")["region"].fillna("(no region)").to_dict()
    fig = wb.plot_similarity(wb.document_similarity(seed_corpus), labels=names)
    fig.canvas.draw()
    assert {t.get_text() for t in fig.axes[1].get_yticklabels()} == set(names.values())
