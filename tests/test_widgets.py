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
