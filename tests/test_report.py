"""The HTML report: every section, self-contained, no external URL."""
import json
import re
from pathlib import Path

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


def _section(page: str, key: str) -> str:
    return page.split(f"<section id='{key}'>")[1].split("</section>")[0]


def test_theme_table_has_no_empty_header(report_html, seed_corpus):
    headers = re.findall(r"<th>(.*?)</th>", _section(report_html, "themes"))
    assert headers[0] == "theme" and "doc_id" not in headers and "" not in headers
    assert len(headers) == 1 + len(seed_corpus)


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


NATIONAL = Path(__file__).parent / "data" / "national-sample.jsonl"


@pytest.fixture(scope="module")
def national_dir(tmp_path_factory) -> Path:
    """52 national government work reports, 1954–2025 (their first ~1,200 characters), as gwr1954.txt … gwr2025.txt:
    ids that share their first characters, one region for all."""
    folder = tmp_path_factory.mktemp("national")
    for line in NATIONAL.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        (folder / f"gwr{row['year']}.txt").write_text(f"{row['title']}\n\n{row['content']}\n", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def national_html(national_dir, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("national-report") / "national.html"
    corpus = wb.load_corpus(national_dir)
    assert len(corpus) == 52
    assert wb.write_report(corpus, path, settings=wb.ReportSettings(top=10, k=6)) == path
    return path.read_text(encoding="utf-8")


def test_national_report_has_one_collapsible_section_per_document(national_html):
    documents = re.findall(r"<details class='document'[^>]*>\s*<summary>(.*?)</summary>", national_html, re.S)
    assert len(documents) == 52
    labels = [summary.split(" · ")[0] for summary in documents]
    assert len(set(labels)) == 52  # unique, though the ids share their first characters and regions are unknown
    assert [label[-7:] for label in labels[:2]] == ["gwr1954", "gwr1955"] and labels[-1].endswith("gwr2025")
    assert "<details class='document'>" in national_html  # closed: 52 open sections would be pages long


def test_national_report_stays_readable(national_html):
    assert "overflow-x:auto" in national_html  # wide tables scroll inside their box
    themes = _section(national_html, "themes")
    headers = re.findall(r"<th>(.*?)</th>", themes)
    assert headers[0] == "document" and "经济发展" in headers and "doc_id" not in headers  # a row per document
    rows = re.findall(r"<tr>\s*<td>(.*?)</td>", themes)
    assert len(rows) == len(set(rows)) == 52
    targets = _section(national_html, "targets")
    assert "<details" in targets and "class='scroll'" in targets
