"""Word clouds and charts draw Chinese with a font that has every glyph."""
import matplotlib
import pytest

import workbench as wb
from workbench.fonts import bundled_font_path, cjk_font_path, missing_glyphs

matplotlib.use("Agg")
XUZHOU = "003_75a5bbd56f8ce010"


def test_bundled_font_covers_every_term_of_the_seeds(seed_corpus):
    terms = {t for ts in wb.terms.unit_terms(seed_corpus, stopwords=None)["terms"] for t in ts}
    assert len(terms) > 2000
    assert missing_glyphs(bundled_font_path(), terms) == set()
    assert missing_glyphs(bundled_font_path(), "\U0001F600") == {"\U0001F600"}  # an emoji is not in it


def test_wordcloud_png_uses_a_font_covering_its_words(seed_corpus, tmp_path):
    ranking = wb.tfidf_keywords(seed_corpus, idf_unit="paragraph", top=80)
    cloud = wb.make_wordcloud(wb.ranking_weights(ranking, XUZHOU))
    path = wb.save_wordcloud(cloud, tmp_path / "cloud.png")
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    assert len(cloud.words_) == 80 and "徐州" in cloud.words_
    assert missing_glyphs(cloud.font_path, cloud.words_) == set()
    layout_words = {item[0][0] for item in cloud.layout_}
    assert missing_glyphs(cloud.font_path, layout_words) == set()


def test_wordcloud_is_reproducible(seed_corpus):
    weights = wb.ranking_weights(wb.tfidf_keywords(seed_corpus, top=40), XUZHOU)
    first = wb.make_wordcloud(weights, width=300, height=200).to_array()
    second = wb.make_wordcloud(weights, width=300, height=200).to_array()
    assert (first == second).all()


def test_font_choice_order(tmp_path, monkeypatch):
    monkeypatch.delenv("WORKBENCH_FONT", raising=False)
    assert missing_glyphs(cjk_font_path(text="高质量发展"), "高质量发展") == set()
    assert cjk_font_path(bundled_font_path()) == bundled_font_path()
    monkeypatch.setenv("WORKBENCH_FONT", str(bundled_font_path()))
    assert cjk_font_path() == bundled_font_path()
    with pytest.raises(ValueError, match="does not exist"):
        cjk_font_path(tmp_path / "nope.ttf")
    bad = tmp_path / "bad.ttf"
    bad.write_bytes(b"not a font")
    with pytest.raises(ValueError, match="not a readable font"):
        missing_glyphs(bad, "中")


def test_words_a_font_cannot_draw_are_left_out(caplog):
    from matplotlib import font_manager

    latin = font_manager.findfont("DejaVu Sans")
    with caplog.at_level("WARNING", logger="workbench"):
        cloud = wb.make_wordcloud({"GDP": 3.0, "发展": 2.0}, font_path=latin, width=200, height=100)
    assert set(cloud.words_) == {"GDP"}
    assert "cannot draw" in caplog.text


def test_ranking_weights():
    import pandas as pd

    table = pd.DataFrame({"doc_id": ["a", "a", "b"], "term": ["x", "y", "x"], "score": [2.0, -1.0, 1.0]})
    assert wb.ranking_weights(table, "a") == {"x": 2.0}
    with pytest.raises(ValueError, match="2 groups"):
        wb.ranking_weights(table)
    with pytest.raises(ValueError, match="no column"):
        wb.ranking_weights(table, "a", column="g2")


def test_charts_use_the_chinese_font(seed_corpus, recwarn):
    freq = wb.term_frequencies(seed_corpus, top=10)
    fig = wb.plot_frequency_heatmap(freq)
    labels = [t.get_text() for t in fig.axes[0].get_yticklabels()]
    assert labels[0] == "城市"
    family = matplotlib.rcParams["font.sans-serif"][0]
    assert family == wb.fonts.apply_cjk_font()
    fig.canvas.draw()  # a missing glyph would warn, and warnings are errors here
    fig2 = wb.plot_term_frequency(freq, ["城市", "徐州"])
    fig2.canvas.draw()
    assert not [w for w in recwarn if "Glyph" in str(w.message)]
    with pytest.raises(ValueError, match="not in the frequency table"):
        wb.plot_term_frequency(freq, ["不存在"])


@pytest.mark.parametrize(
    ("ids", "regions", "expected"),
    [
        (["001_534d", "002_0c8e"], ["泗洪县", "徐州市"], ["泗洪县 001", "徐州市 002"]),  # the seeds' shape
        (["gwr1954", "gwr1955"], [None, None], ["gwr1954", "gwr1955"]),  # ids sharing their first characters
        (["gwr1954", "gwr1955", "xz2021"], ["全国", "全国", "徐州市"], ["全国 gwr1954", "全国 gwr1955", "徐州市 xz2021"]),
        (["gwr1954", "gwr1955"], ["贫困地区", "国内市"], ["贫困地区 gwr1954", "国内市 gwr1955"]),  # every label alike
        (["a", "b"], ["x", "x"], ["x a", "x b"]),  # short ids
    ],
)
def test_document_labels_are_unique(ids, regions, expected):
    import pandas as pd

    labels = wb.viz.document_labels(pd.DataFrame({"doc_id": ids, "region": regions}))
    assert list(labels) == ids and list(labels.values()) == expected


def _similarity(n: int):
    import numpy as np
    import pandas as pd

    rng = np.random.default_rng(0)
    values = rng.uniform(0.3, 0.8, size=(n, n))
    values = (values + values.T) / 2
    np.fill_diagonal(values, 1.0)
    ids = [f"gwr{1954 + i}" for i in range(n)]
    return pd.DataFrame(values, index=ids, columns=ids)


@pytest.mark.parametrize("n", [5, 52])
def test_similarity_heatmap_fits_its_documents(n):
    similarity = _similarity(n)
    fig = wb.plot_similarity(similarity)
    ax = fig.axes[1]
    width, height = fig.get_size_inches()
    assert 5 <= width <= 16 and height <= 18  # 52 documents still fit a page
    assert width / n >= 0.2  # at least 0.2 inch per document
    labels = ax.get_yticklabels()
    assert len(labels) == n and min(t.get_fontsize() for t in labels) >= 6
    assert (len(ax.texts) == n * n) is (n == 5)  # numbers in the cells only while they fit
    off_diagonal = similarity.to_numpy()[~__import__("numpy").eye(n, dtype=bool)]
    assert ax.get_images()[0].get_clim() == pytest.approx((off_diagonal.min(), off_diagonal.max()))
    fig.canvas.draw()


def test_theme_and_coverage_heatmaps_put_many_documents_on_rows():
    import pandas as pd

    ids = [f"gwr{1954 + i}" for i in range(52)]
    themes = pd.DataFrame([(d, t, f"主题{t}", (i % 7 + t) / 100) for i, d in enumerate(ids) for t in range(14)],
                          columns=["doc_id", "theme", "label", "share"])
    fig = wb.plot_themes(themes)
    ax = fig.axes[0]
    assert [t.get_text() for t in ax.get_yticklabels()] == ids and len(ax.get_xticklabels()) == 14
    assert fig.get_size_inches()[1] <= 14 and not ax.texts
    assert ax.get_images()[0].get_clim() == pytest.approx((0, 100 * themes["share"].max()))

    records = pd.DataFrame({"doc_id": ids * 2, "indicator_id": ["gdp"] * 52 + ["grain"] * 52})
    fig = wb.plot_coverage(records)
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ids
    few = wb.plot_coverage(records[records["doc_id"].isin(ids[:3])])
    assert [t.get_text() for t in few.axes[0].get_xticklabels()] == ids[:3] and len(few.axes[0].texts) == 6


def test_wordcloud_with_a_given_largest_size(seed_corpus):
    weights = wb.ranking_weights(wb.tfidf_keywords(seed_corpus, top=25), XUZHOU)
    cloud = wb.make_wordcloud(weights, width=360, height=240, max_font_size=96, font_step=2)
    sizes = [size for (_, size, _, _, _) in cloud.layout_]
    assert max(sizes) <= 96 and len(sizes) == 25
    again = wb.make_wordcloud(weights, width=360, height=240, max_font_size=96, font_step=2)
    assert (cloud.to_array() == again.to_array()).all()


@pytest.mark.parametrize("option, message", [
    (dict(max_font_size=3), "max_font_size must be"),
    (dict(max_font_size=40.5), "max_font_size must be"),
    (dict(font_step=0), "font_step must be"),
])
def test_wordcloud_size_options_are_checked(option, message):
    with pytest.raises(ValueError, match=message):
        wb.make_wordcloud({"发展": 2.0, "改革": 1.0}, width=200, height=100, **option)
