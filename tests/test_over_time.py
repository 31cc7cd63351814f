"""Groups, trends and co-word networks, with known answers on tiny corpora."""
import networkx as nx
import pandas as pd
import pytest

import workbench as wb
from workbench import groups, network, trends

from .conftest import national_years_corpus


@pytest.fixture
def years_corpus(tmp_path):
    texts = {
        "gwr1958": "改革。改革开放和体制改革。",
        "gwr1964": "加强农业。发展农业和工业。",
        "gwr1987": "改革开放。深化改革，扩大开放。",
        "gwr2024": "推动创新。改革创新，深化改革。科技创新。",
    }
    return national_years_corpus(tmp_path, texts)


@pytest.mark.parametrize("year, decade, period", [
    (1953, "1950s", "一五"), (1962, "1960s", "二五"), (1963, None and "1960s", None), (1965, "1960s", None),
    (1966, "1960s", "三五"), (2005, "2000s", "十五"), (2006, "2000s", "十一五"), (2025, "2020s", "十四五"),
    (2026, "2020s", "十五五"), (None, None, None),
])
def test_decade_and_plan_period(year, decade, period):
    assert groups.plan_period(year) == period
    if year == 1963:
        assert groups.decade(year) == "1960s"
    else:
        assert groups.decade(year) == decade


def test_document_and_unit_groups(years_corpus):
    assert groups.document_groups(years_corpus, "plan_period").to_dict() == {
        "gwr1958": "二五", "gwr1964": None, "gwr1987": "七五", "gwr2024": "十四五"}
    assert groups.group_order(["十四五", "二五", None, "七五"], "plan_period") == ["二五", "七五", "十四五"]
    with pytest.raises(ValueError, match="by must be one of .*decade, plan_period"):
        groups.document_groups(years_corpus, "era")
    with pytest.raises(ValueError, match="section_role groups paragraphs and sentences"):
        groups.document_groups(years_corpus, "section_role")
    seeds = wb.load_corpus()
    roles = groups.unit_groups(seeds, seeds.paragraphs, "section_role")
    assert len(roles) == len(seeds.paragraphs) and "next_plan" in set(roles)


def test_trends_count_tokens_or_text(years_corpus):
    """改革开放 and 体制改革 are tokens of their own: 改革 is one token in 1958 but three times in the text."""
    tokens = trends.term_trends(years_corpus, ["改革", "农业"], by="year", count="tokens")
    text = trends.term_trends(years_corpus, ["改革", "农业"], by="year", count="text")
    by_year = tokens.set_index(["group", "term"])
    assert text.set_index(["group", "term"]).loc[(1958, "改革"), "count"] == 3
    assert by_year.loc[(1958, "改革"), "count"] == 1
    assert by_year.loc[(1964, "农业"), "count"] == 2 and by_year.loc[(1964, "改革"), "count"] == 0
    total = by_year.loc[(2024, "改革"), "total_tokens"]
    assert by_year.loc[(2024, "改革"), "per_10k"] == pytest.approx(by_year.loc[(2024, "改革"), "count"] / total * 1e4)
    assert set(tokens["counted_as"]) == {"tokens"} and set(text["counted_as"]) == {"text"}
    assert tokens["group"].tolist()[:4] == [1958, 1964, 1987, 2024]
    periods = trends.term_trends(years_corpus, "改革", by="plan_period", count="text")
    assert periods["group"].tolist() == ["二五", "七五", "十四五"]  # 1964 belongs to no plan period
    with pytest.raises(ValueError, match="count must be one of tokens, text"):
        trends.term_trends(years_corpus, "改革", count="words")


def test_trend_and_dispersion_plots(years_corpus):
    import matplotlib.pyplot as plt

    fig = trends.plot_trends(trends.term_trends(years_corpus, ["改革", "创新"]))
    assert len(fig.axes[0].lines) == 2
    plt.close(fig)
    fig = trends.plot_dispersion(years_corpus, ["改革"])
    assert len(fig.axes[0].get_yticklabels()) == 4
    plt.close(fig)


def test_network_weights_by_hand():
    sentences = [["改革", "开放"], ["改革", "开放", "创新"], ["改革", "创新"], ["农业", "工业"], ["农业", "工业"]]
    counts = network.network_from_terms(sentences, min_count=2)
    assert {frozenset((a, b)): d["count"] for a, b, d in counts.edges(data=True)} == {
        frozenset(("改革", "开放")): 2, frozenset(("改革", "创新")): 2, frozenset(("农业", "工业")): 2}
    assert counts.nodes["改革"]["frequency"] == 3
    pmi = network.network_from_terms(sentences, min_count=2, weight="pmi")
    # P(改革, 开放) = 2/5, P(改革) = 3/5, P(开放) = 2/5: log2((2/5) / (3/5 · 2/5)) = log2(5/3)
    assert pmi["改革"]["开放"]["weight"] == pytest.approx(0.7369655941662062)
    g2 = network.network_from_terms(sentences, min_count=2, weight="g2")
    from workbench.keyness import g2_two_by_two

    assert g2["农业"]["工业"]["weight"] == pytest.approx(float(g2_two_by_two(2, 0, 0, 3)))
    # the two groups of terms never meet: two communities
    assert counts.nodes["改革"]["community"] != counts.nodes["农业"]["community"]
    window = network.network_from_terms([["甲方", "乙方", "丙方", "丁方"]], window=2, min_count=1)
    assert {frozenset(e) for e in window.edges} == {frozenset(("甲方", "乙方")), frozenset(("乙方", "丙方")),
                                                  frozenset(("丙方", "丁方"))}


def test_network_is_reproducible_and_exports_read_back(years_corpus, tmp_path, seed_corpus):
    first = network.cooccurrence_network(seed_corpus, min_count=3, max_nodes=60)
    second = network.cooccurrence_network(seed_corpus, min_count=3, max_nodes=60)
    assert nx.to_dict_of_dicts(first) == nx.to_dict_of_dicts(second)
    assert dict(first.nodes(data=True)) == dict(second.nodes(data=True))
    written = network.export_network(first, tmp_path / "graph.gexf")
    back = nx.read_gexf(written[0])
    assert set(back.nodes) == set(first.nodes)
    some = next(iter(first.nodes))
    assert int(back.nodes[some]["community"]) == first.nodes[some]["community"]
    with pytest.raises(FileExistsError):
        network.export_network(first, tmp_path / "graph.gexf")
    per_group = network.cooccurrence_network(years_corpus, by="plan_period", min_count=1)
    files = network.export_network(per_group, tmp_path / "era.graphml")
    assert [f.name for f in files] == ["era-二五.graphml", "era-七五.graphml", "era-十四五.graphml"]
    assert nx.read_graphml(files[0]).number_of_nodes() > 0
    nodes, edges = network.network_tables(first)
    assert list(nodes.columns) == ["term", "frequency", "community"] and list(edges.columns) == [
        "source", "target", "weight", "count"]
    csv_files = network.export_network(first, tmp_path / "edges.csv")
    assert pd.read_csv(csv_files[1]).shape[0] == first.number_of_edges()


@pytest.fixture
def years_dir(years_corpus, tmp_path):
    return tmp_path  # the folder years_corpus was read from (texts and manifest)


def test_keyness_a_against_b_by_decade(years_corpus):
    """1950s: 改革 改革开放 体制改革 (3 terms); 2020s: 推动 创新×3 改革 深化改革 科技 (7 terms)."""
    from workbench.keyness import g2_two_by_two

    table = wb.keyness(years_corpus, "1950s", reference="2020s", by="decade", min_count=1, top=None, stopwords=None)
    assert set(table["reference"]) == {"2020s"} and set(table["decade"]) == {"1950s"}
    reform = table[table["term"] == "改革"].iloc[0]
    assert (reform["count"], reform["count_ref"], reform["direction"]) == (1, 1, "over")
    assert reform["g2"] == pytest.approx(float(g2_two_by_two(1, 2, 1, 6)))
    innovation = table[table["term"] == "创新"].iloc[0]
    assert (innovation["count"], innovation["count_ref"], innovation["direction"]) == (0, 3, "under")
    assert "农业" not in set(table["term"])  # in neither A nor B
    # B against A: the same statistics, directions swapped
    back = wb.keyness(years_corpus, "2020s", reference="1950s", by="decade", min_count=1, top=None, stopwords=None)
    assert back.set_index("term").loc["创新", "direction"] == "over"
    assert back.set_index("term").loc["改革", "g2"] == pytest.approx(reform["g2"])
    # the default is still one against the rest
    rest = wb.keyness(years_corpus, "1950s", by="decade", min_count=1, top=None, stopwords=None)
    assert set(rest["reference"]) == {"(rest)"} and rest.set_index("term").loc["改革", "count_ref"] == 1  # 2024 only
    odds = wb.log_odds(years_corpus, 1987, reference="2024", by="year", min_count=1, top=None, stopwords=None)
    assert set(odds["year"]) == {1987} and set(odds["reference"]) == {"2024"}


@pytest.mark.parametrize("kwargs, message", [
    ({"target": "1950s", "reference": "1950s"}, "both the target and the reference"),
    ({"target": None, "reference": "1950s"}, "reference= needs a target"),
    ({"target": "1930s", "reference": "1950s"}, "no decade '1930s'.*1950s, 1960s, 1980s, 2020s"),
])
def test_keyness_a_against_b_rejects(years_corpus, kwargs, message):
    with pytest.raises(ValueError, match=message):
        wb.keyness(years_corpus, kwargs["target"], reference=kwargs["reference"], by="decade", min_count=1)


def test_any_grouping_for_keywords_and_frequencies(years_corpus):
    table = wb.tfidf_keywords(years_corpus, by="plan_period", top=None, stopwords=None)
    assert list(dict.fromkeys(table["plan_period"])) == ["二五", "七五", "十四五"]  # 1964: in no plan period
    by_decade = wb.term_frequencies(years_corpus, ["改革", "农业"], by="decade", stopwords=None)
    assert by_decade.columns.tolist() == ["decade", "term", "count", "total", "relative", "counted_as"]
    first = by_decade.iloc[0]
    assert (first["decade"], first["term"], first["count"], first["total"], first["counted_as"]) == (
        "1950s", "改革", 1, 3, "terms")
    assert wb.rank_terms(years_corpus, "keyness", group="2024", by="year", top=1)["year"].tolist() == [2024]
    grouped = wb.grouped_terms(years_corpus, "year", stopwords=None)
    assert grouped["year"].tolist() == [1958, 1964, 1987, 2024]
    with pytest.raises(ValueError, match="reference group"):
        wb.rank_terms(years_corpus, "tfidf", group="1950s", by="decade", reference="2020s")


def test_section_role_groups_sentences(seed_corpus):
    tokens = wb.segment_corpus(seed_corpus)
    grouped = wb.grouped_terms(seed_corpus, "section_role", tokens=tokens)
    assert grouped["section_role"].tolist() == ["review", "next_plan"]  # the seeds have no plan section
    table = wb.keyness(seed_corpus, "review", reference="next_plan", by="section_role", tokens=tokens, top=5)
    assert set(table["direction"]) == {"over", "under"} and (table["count"] >= 0).all()
    coverage = wb.theme_coverage(seed_corpus, by="section_role", tokens=tokens)
    assert coverage["section_role"].unique().tolist() == ["review", "next_plan"]


def test_topic_shares_over_time(seed_corpus):
    import matplotlib.pyplot as plt

    model = wb.fit_topics(seed_corpus, k=4)
    by_year = model.shares_by("year", seed_corpus)
    assert by_year.index.name == "year" and list(by_year.index) == sorted(by_year.index)
    assert by_year.sum(axis=1).to_numpy() == pytest.approx(1.0)
    by_doc = model.shares_by("doc_id")
    assert by_doc.sum(axis=1).to_numpy() == pytest.approx(1.0)
    with pytest.raises(ValueError, match="need the corpus"):
        model.shares_by("year")
    fig = wb.plot_topic_trends(model, seed_corpus, by="year", top=3)
    assert len(fig.axes[0].lines) == 3
    plt.close(fig)
    similar = wb.document_similarity(seed_corpus, by="decade")
    assert similar.shape == (1, 1)


def test_term_frequency_chart_for_many_years(tmp_path):
    import matplotlib.pyplot as plt

    for year in range(1990, 2010):
        (tmp_path / f"r{year}.txt").write_text("改革开放。深化改革。" * (year % 3 + 1), encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("doc_id,year\n" + "".join(f"r{y},{y}\n" for y in range(1990, 2010)),
                                           encoding="utf-8")
    corpus = wb.load_corpus(tmp_path)
    fig = wb.plot_term_frequency(wb.term_frequencies(corpus, ["深化改革"], by="year", stopwords=None))
    assert len(fig.axes[0].lines) == 1 and fig.get_size_inches()[0] <= 16  # a trend line, not 20 bars
    plt.close(fig)
    fig = wb.plot_term_frequency(wb.term_frequencies(corpus, ["深化改革"], by="doc_id", stopwords=None))
    assert fig.get_size_inches()[0] <= 16 and fig.axes[0].images  # a heatmap
    plt.close(fig)


def test_cli_trends_network_and_a_b(years_dir, tmp_path, capsys):
    import json

    from workbench.cli import main

    assert main(["trends", str(years_dir), "--term", "改革", "--term", "创新", "--by", "decade", "--count", "text",
                 "--format", "json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {"group": "1950s", "term": "改革", "count": 3, "total_tokens": rows[0]["total_tokens"],
                       "per_10k": rows[0]["per_10k"], "counted_as": "text"}
    assert main(["keywords", str(years_dir), "--method", "keyness", "--by", "decade", "--a", "1950s", "--b", "2020s",
                 "--format", "csv"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("decade,reference,term,count,count_ref") and ",2020s," in out
    out_file = tmp_path / "net" / "graph.gexf"
    out_file.parent.mkdir()
    assert main(["network", str(years_dir), "--min-count", "1", "--weight", "pmi", "--out", str(out_file)]) == 0
    graph = nx.read_gexf(out_file)
    assert graph.number_of_nodes() > 0 and all("community" in d for _, d in graph.nodes(data=True))
    assert main(["network", str(years_dir), "--out", str(out_file)]) == 2  # exists: refused
    assert "exists" in capsys.readouterr().err
    assert main(["keywords", str(years_dir), "--method", "tfidf", "--by", "decade", "--a", "1950s", "--b",
                 "2020s"]) == 2
    assert "--a/--b compare two groups" in capsys.readouterr().err


def test_map_reduce_tfidf_groups_by_decade(years_corpus):
    exact = wb.tfidf_keywords(years_corpus, by="decade", top=None, stopwords=None)
    hashed = wb.tfidf_keywords(years_corpus, by="decade", top=None, stopwords=None, vocabulary="hashing")
    assert list(dict.fromkeys(hashed["decade"])) == ["1950s", "1960s", "1980s", "2020s"]
    pd.testing.assert_frame_equal(exact[["decade", "term", "tf", "rank"]], hashed[["decade", "term", "tf", "rank"]])
    assert hashed["score"].to_numpy() == pytest.approx(exact["score"].to_numpy())
