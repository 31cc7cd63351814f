"""Groups, trends and co-word networks, with known answers on tiny corpora."""
import networkx as nx
import pandas as pd
import pytest

import workbench as wb
from workbench import groups, network, trends


@pytest.fixture
def years_corpus(tmp_path):
    texts = {
        "gwr1958": "改革。改革开放和体制改革。",
        "gwr1964": "加强农业。发展农业和工业。",
        "gwr1987": "改革开放。深化改革，扩大开放。",
        "gwr2024": "推动创新。改革创新，深化改革。科技创新。",
    }
    for name, text in texts.items():
        (tmp_path / f"{name}.txt").write_text(text, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text(
        "doc_id,year,region\n" + "".join(f"{n},{n[3:]},全国\n" for n in texts), encoding="utf-8")
    return wb.load_corpus(tmp_path)


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
