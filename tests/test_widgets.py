import pytest

import workbench as wb


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
    by, group = controls.children[0].children
    method, top = controls.children[1].children
    ngram, stop = controls.children[2].children
    idf_unit = controls.children[3]
    table, image = body.children[0].children[0], body.children[1]
    term, window = kwic_controls.children
    return dict(by=by, group=group, method=method, top=top, ngram=ngram, stop=stop, idf_unit=idf_unit,
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
    method.value = "lda"
    assert "lda k=9" in status.value and examples.value.count("<ul>") == 9


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
