import pytest

import workbench as wb

from .conftest import national_years_corpus


def test_paragraph_html_shows_clean_and_original(seed_corpus):
    html = wb.widgets.paragraph_html(seed_corpus, "001_534d44b1b875ba47", 0)
    assert "泗洪将改革创新进行到底" in html  # clean (simplified)
    assert "泗洪將改革創新進行到底" in html  # original (traditional)
    with pytest.raises(ValueError, match="paragraph must be between"):
        wb.widgets.paragraph_html(seed_corpus, "001_534d44b1b875ba47", 999)


def test_corpus_browser_updates(seed_corpus):
    box = wb.widgets.corpus_browser(seed_corpus)
    doc, para = box.children[0].children
    out = box.children[1]
    assert para.max == int((seed_corpus.paragraphs["doc_id"] == doc.value).sum())
    doc.value = "003_75a5bbd56f8ce010"
    assert para.max == 111
    para.value = 3
    shown = out.value
    expected = seed_corpus.paragraphs.query("doc_id == '003_75a5bbd56f8ce010'")["text"].iloc[2]
    assert expected[:20] in shown and "paragraph 3 of 111" in shown


def _explorer_parts(box):
    controls, status, body, kwic_controls, lines = box.children
    by, group, reference = controls.children[0].children
    method, top = controls.children[1].children
    ngram, stop = controls.children[2].children
    idf_unit = controls.children[3]
    table, image = body.children[0].children[0], body.children[1]
    term, window = kwic_controls.children
    return dict(by=by, group=group, reference=reference, method=method, top=top, ngram=ngram, stop=stop, idf_unit=idf_unit,
                status=status, table=table, image=image, term=term, window=window, lines=lines)


def test_keyword_explorer_follows_its_controls(seed_corpus):
    parts = _explorer_parts(wb.widgets.keyword_explorer(seed_corpus))
    table = parts["table"]
    assert table.value.count("<tr>") == 15  # body rows: the top 15
    assert bytes(parts["image"].value)[:4] == b"\x89PNG"
    parts["top"].value = 30
    assert table.value.count("<tr>") == 30
    parts["group"].value = "003_75a5bbd56f8ce010"
    assert "<td>徐州</td>" in table.value and "<th>idf</th>" in table.value
    parts["method"].value = "keyness"
    assert "<th>g2</th>" in table.value and parts["idf_unit"].disabled
    parts["method"].value = "tfidf"
    parts["idf_unit"].value = "paragraph"
    assert "<td>188</td>" in table.value  # n_units: the seeds' paragraphs
    parts["stop"].value = None
    parts["by"].value = "region"
    assert parts["group"].value == "宿迁市宿豫区" and "宿迁市宿豫区" in parts["status"].value
    parts["term"].value = "淮海经济区"
    assert "11 occurrences" in parts["lines"].value and "<b>淮海经济区</b>" in parts["lines"].value
    parts["term"].value = "("
    assert "11 occurrences" not in parts["lines"].value


def test_kwic_html_escapes(seed_corpus):
    assert "0 occurrences" in wb.widgets.kwic_html(seed_corpus, "<script>")


def test_topic_explorer_refits_on_change(seed_corpus):
    box = wb.widgets.topic_explorer(seed_corpus, k=6)
    method, k = box.children[0].children
    unit, seed, by = box.children[1].children
    status, table, heatmap, examples = box.children[2:]
    assert table.value.count("<tr>") == 6 and "k=6" in status.value
    k.value = 9
    assert table.value.count("<tr>") == 9 and "k=9" in status.value
    assert heatmap.value.count("<tr>") == 1 + 5  # header and five documents
    by.value = "doc_type"
    assert heatmap.value.count("<tr>") == 1 + 4 and "规划建议" in heatmap.value
    unit.value = "sentences:5"
    assert "unit=sentences:5" in status.value
    by.value = "section_role"  # sections need paragraph units
    assert "paragraph units" in heatmap.value
    method.value = "lda"
    assert "lda k=9" in status.value and examples.value.count("<ul>") == 9
    unit.value = "paragraph"
    assert ">review</th>" in heatmap.value and ">next_plan</th>" in heatmap.value
    by.value = "decade"
    assert ">2020s</th>" in heatmap.value


def test_compare_explorer_follows_its_controls(seed_corpus):
    box = wb.widgets.compare_explorer(seed_corpus)
    docs, representation = box.children[0].children
    status, similarity, coverage, theme, matches = box.children[1], box.children[3], box.children[6], box.children[7], box.children[8]
    assert similarity.value.count("<tr>") == 1 + 5 and "徐州市" in similarity.value
    docs.value = tuple(seed_corpus.doc_ids[2:])
    assert similarity.value.count("<tr>") == 1 + 3 and "宿豫" not in similarity.value
    before = similarity.value
    representation.value = "topics"
    assert similarity.value != before and "topics" in status.value
    theme.value = "ecology"
    assert "<td>生态</td>" in matches.value
    docs.value = (seed_corpus.doc_ids[0],)
    assert "at least two" in status.value
    assert coverage.value.count("生态环保") == 1


@pytest.fixture
def decades_corpus(tmp_path):
    texts = {
        "gwr1958": "改革。改革开放和体制改革。发展农业。",
        "gwr1964": "加强农业。发展农业和工业。",
        "gwr1987": "改革开放。深化改革，扩大开放。发展农业。",
        "gwr2024": "推动创新。改革创新，深化改革。科技创新。创新发展。",
    }
    return national_years_corpus(tmp_path, texts)


def test_keyword_explorer_compares_a_with_b(decades_corpus):
    parts = _explorer_parts(wb.widgets.keyword_explorer(decades_corpus, cloud=False))
    assert parts["by"].options[:4] == ("doc_id", "year", "decade", "plan_period")
    parts["method"].value = "keyness"
    assert parts["reference"].value == "(rest)" and not parts["reference"].disabled
    parts["by"].value = "decade"
    assert [v for _, v in parts["group"].options] == ["1950s", "1960s", "1980s", "2020s"]
    parts["group"].value = "2020s"
    assert "<th>reference</th>" in parts["table"].value and "<td>(rest)</td>" in parts["table"].value
    parts["reference"].value = "1980s"
    assert "against <b>1980s</b>" in parts["status"].value
    assert "<td>创新</td>" in parts["table"].value and "<td>1980s</td>" in parts["table"].value
    parts["reference"].value = "2020s"  # the same group twice
    assert "two different groups" in parts["status"].value
    parts["method"].value = "tfidf"
    assert parts["reference"].disabled


def test_trends_explorer_follows_its_controls(decades_corpus):
    box = wb.widgets.trends_explorer(decades_corpus, ["改革", "创新"])
    (terms, by), (count, value) = box.children[0].children, box.children[1].children
    status, image, table = box.children[2], box.children[3], box.children[4]
    assert by.value == "year" and bytes(image.value)[:4] == b"\x89PNG"
    assert table.value.count("<tr>") == 4  # four years (the header row has a style)
    count.value = "text"
    assert "text occurrences" in status.value
    by.value = "decade"
    assert "<td>1950s</td>" in table.value and "<td>1960s</td>" in table.value
    value.value = "count"
    assert "<th>改革</th>" in table.value and "<td>3</td>" in table.value  # 改革 three times in the 1958 text
    terms.value = "农业、工业"
    assert "<th>农业</th>" in table.value and "<th>工业</th>" in table.value
    terms.value = " "
    assert "type one or more terms" in status.value


@pytest.mark.parametrize("interactive", [False, True])
def test_network_explorer_follows_its_controls(decades_corpus, interactive):
    box = wb.widgets.network_explorer(decades_corpus, by="decade", interactive=interactive, max_nodes=30)
    group, weight = box.children[0].children
    min_count, nodes = box.children[1].children
    status, view, edges = box.children[2:5]
    assert [v for _, v in group.options] == ["1950s", "1960s", "1980s", "2020s"]
    min_count.value = 1
    group.value = "2020s"
    assert status.value.startswith("2020s") and "<td>创新</td>" in edges.value
    shown = view.children[0]
    assert type(shown).__name__ == ("Sigma" if interactive else "Image")
    weight.value = "pmi"
    assert "<th>weight</th>" in edges.value
    whole = wb.widgets.network_explorer(decades_corpus, interactive=False)
    assert whole.children[0].children[0].disabled  # no grouping: one network


def test_topic_explorer_shows_a_setting_seen_before_as_it_was(seed_corpus):
    box = wb.widgets.topic_explorer(seed_corpus, k=5)
    method, k = box.children[0].children
    unit, seed, by = box.children[1].children
    status, table, heatmap, examples = box.children[2:]
    first = (status.value, table.value, heatmap.value, examples.value)
    k.value = 7
    assert "k=7" in status.value and table.value.count("<tr>") == 7
    seed.value = 3
    assert "seed=3" in status.value
    k.value, seed.value = 5, 0
    assert (status.value, table.value, heatmap.value, examples.value) == first
    fresh = wb.widgets.topic_explorer(seed_corpus, k=7)
    k.value = 7
    assert table.value == fresh.children[3].value
