"""The HTML report: every section, self-contained, no external URL."""
import re

import pytest

import workbench as wb
from workbench.cli import main
from workbench.report import SECTIONS


@pytest.fixture(scope="module")
def report_html(tmp_path_factory):
    path = tmp_path_factory.mktemp("report") / "report.html"
    assert main(["report", "--out", str(path), "--k", "6"]) == 0
    return path.read_text(encoding="utf-8")


def test_every_section_is_there(report_html, seed_corpus):
    for section in SECTIONS:
        assert f"<section id='{section}'>" in report_html
    for doc_id in seed_corpus.doc_ids:
        assert doc_id in report_html
    assert "徐州" in report_html and "淮海经济区" in report_html  # keywords of 徐州's plan
    assert "TF-IDF with IDF over paragraphs" in report_html
    assert "NMF k=6" in report_html and "&quot;k&quot;: 6" in report_html  # settings recorded
    assert "生态环保" in report_html and "indicator_id" in report_html


def test_self_contained(report_html):
    assert not re.search(r"https?://|//[a-z0-9.-]+\.[a-z]{2,}/", report_html, re.I)
    assert not re.search(r"<(script|link|iframe)\b", report_html, re.I)
    sources = re.findall(r"src='([^']*)'", report_html)
    assert len(sources) >= 5 + 3  # a word cloud per document, the topic, similarity and theme charts
    assert all(s.startswith("data:image/png;base64,") for s in sources)


def test_report_refuses_to_overwrite(tmp_path, seed_corpus):
    path = tmp_path / "r.html"
    path.write_text("mine", encoding="utf-8")
    with pytest.raises(FileExistsError):
        wb.write_report(seed_corpus, path)
    assert path.read_text(encoding="utf-8") == "mine"
    with pytest.raises(ValueError, match="ending in .html"):
        wb.write_report(seed_corpus, tmp_path / "r.pdf")


def test_report_of_a_user_folder(tmp_path, tiny_dir):
    out = tmp_path / "tiny.html"
    # three one-line files are too small for 8 topics: that section says so, the rest is there
    assert main(["report", str(tiny_dir), "--out", str(out)]) == 0
    text = out.read_text(encoding="utf-8")
    assert "No topic model:" in text and "a_plan" in text and "<section id='targets'>" in text
