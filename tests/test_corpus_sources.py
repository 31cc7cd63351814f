"""Corpora from tables, data frames, web pages and the bundled datasets, alone or together."""
import json
import warnings

import pandas as pd
import pytest

import workbench as wb
from workbench.errors import CorpusError

# Rows in the shape researchers collect them: one CSV per region, one column per field.
PROVINCE_CSV = (
    "province,year,title,source_url,publish_date,full_text\n"
    "浙江省,2021,2021年浙江省政府工作报告,https://www.zj.gov.cn/a.html,2021-01-30,"
    "\"各位代表：\n现在，我代表省人民政府，向大会报告工作。\n一、2020年工作回顾\n全省生产总值增长3.6%。\n"
    "二、2021年主要目标\n全省生产总值增长6.5%以上。\"\n"
    "浙江省,2022,2022年浙江省政府工作报告,https://www.zj.gov.cn/b.html,2022-01-17,"
    "\"各位代表：\n一、2021年工作回顾\n全省生产总值增长8.5%。\n二、2022年主要目标\n全省生产总值增长6%左右。\"\n"
)


@pytest.fixture
def csv_table(tmp_path):
    path = tmp_path / "2021_浙江省_政府工作报告.csv"
    path.write_text(PROVINCE_CSV, encoding="utf-8-sig")
    return path


def test_csv_of_documents_loads_with_its_columns_as_metadata(csv_table):
    corpus = wb.load_corpus(csv_table)
    docs = corpus.documents.set_index("doc_id")
    assert corpus.doc_ids == ["2021_浙江省_政府工作报告-2", "2021_浙江省_政府工作报告-3"]
    first = docs.iloc[0]
    assert (first["province"], first["year"], first["title"], first["date"]) == (
        "浙江省", 2021, "2021年浙江省政府工作报告", "2021-01-30")
    assert first["source"] == "https://www.zj.gov.cn/a.html" and first["format"] == "table"
    assert first["path"].endswith("2021_浙江省_政府工作报告.csv:2")
    assert "province" not in first["inferred"].split(",") and "year" not in first["inferred"].split(",")
    assert first["region"] == "浙江省" and first["admin_level"] == "省级"  # inferred from the title line
    assert "全省生产总值增长6.5%以上。" in first["text"]
    roles = corpus.sections.query("doc_id == '2021_浙江省_政府工作报告-2'")["role"].tolist()
    assert roles[1:] == ["review", "plan"]
    records = wb.extract_targets(corpus)
    assert len(records) == 4 and set(records["quote"]) >= {"全省生产总值增长6.5%以上"}


def test_jsonl_data_frame_and_extra_columns(tmp_path):
    rows = [{"title": "2024年政府工作报告", "url": "https://example.org/1", "content": "经济增长5%左右。", "year": 2024,
             "batch": "A"},
            {"title": "2023年政府工作报告", "url": "https://example.org/2", "content": "经济增长5%左右。", "year": 2023,
             "batch": "B"}]
    path = tmp_path / "reports.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8")
    from_file = wb.load_corpus(path)
    assert from_file.doc_ids == ["reports-1", "reports-2"]
    assert from_file.documents["batch"].tolist() == ["A", "B"]  # a column of the user's table
    from_frame = wb.load_corpus(pd.DataFrame(rows), id="batch")
    assert from_frame.doc_ids == ["A", "B"] and from_frame.documents["year"].tolist() == [2024, 2023]


def test_bad_rows_name_the_file_and_row_and_can_be_skipped(tmp_path):
    path = tmp_path / "docs.csv"
    path.write_text("doc_id,text\na,经济增长5%。\nb,\na,重复。\n", encoding="utf-8")
    with pytest.raises(CorpusError, match=r"docs.csv: row 3: empty text"):
        wb.load_corpus(path)
    with pytest.warns(wb.CorpusWarning) as caught:
        corpus = wb.load_corpus(path, errors="skip")
    assert corpus.doc_ids == ["a"]
    messages = " ".join(str(w.message) for w in caught)
    assert "row 3: empty text" in messages and "duplicate id 'a'" in messages


def test_national_dataset(tmp_path):
    corpus = wb.load_corpus(dataset="national")
    docs = corpus.documents
    assert len(docs) == 52 and docs["doc_id"].iloc[0] == "gwr1954" and docs["doc_id"].iloc[-1] == "gwr2025"
    assert docs["year"].tolist() == [int(d[3:]) for d in docs["doc_id"]]
    assert set(docs["region"]) == {"全国"} and set(docs["admin_level"]) == {"国家"}
    assert set(docs["doc_type"]) == {"政府工作报告"}
    assert docs["title"].str.contains("政府工作报告").all()
    plan = corpus.sections.query("doc_id == 'gwr2025' and role == 'plan'")
    assert len(plan) and corpus.sections.query("doc_id == 'gwr2025' and role == 'review'").shape[0]


def test_dataset_and_user_files_together_ids_unique(tiny_dir):
    both = wb.load_corpus(tiny_dir, dataset="seeds")
    assert len(both) == 8 and set(wb.load_corpus().doc_ids) < set(both.doc_ids)
    (tiny_dir / "001_534d44b1b875ba47.txt").write_text("同名文件。", encoding="utf-8")
    with pytest.raises(CorpusError, match="duplicate doc_id '001_534d44b1b875ba47'"):
        wb.load_corpus(tiny_dir, dataset="seeds")
    with pytest.raises(ValueError, match="dataset must be one of seeds, national"):
        wb.load_corpus(dataset="provinces")


def test_saved_web_page_gives_its_title_and_date_as_evidence(tmp_path):
    page = """<html><head><meta charset="utf-8"><title>2024年湖南省政府工作报告_湖南省人民政府门户网站</title>
    <meta name="pubdate" content="2024-01-22"></head><body>
    <div class="nav"><a href="/">首页</a> &gt; <a href="/zw">政务公开</a></div>
    <div class="share">【字体：大 中 小】 分享：</div>
    <article><h1>2024年湖南省政府工作报告</h1>
    <p>各位代表：现在，我代表省人民政府，向大会报告政府工作，请予审议。</p>
    <p>全省地区生产总值增长4.6%，一般公共预算收入增长5.1%。今年全省地区生产总值增长6%左右。</p>
    <p>我们将坚持稳中求进工作总基调，完整准确全面贯彻新发展理念，加快构建新发展格局，着力推动高质量发展。</p>
    </article><div class="footer">版权所有：湖南省人民政府办公厅</div></body></html>"""
    path = tmp_path / "hunan.html"
    path.write_text(page, encoding="utf-8")
    corpus = wb.load_corpus(path)
    row = corpus.document("hunan")
    assert row["date"] == "2024-01-22" and row["year"] == 2024
    assert row["region"] == "湖南省" and row["admin_level"] == "省级" and row["doc_type"] == "政府工作报告"
    assert "增长6%左右" in row["text"] and "版权所有" not in row["text"]
    evidence = corpus.evidence.set_index("field")["evidence"]
    assert "web page" in evidence["date"]


def test_fifo_is_refused_not_waited_on(tmp_path):
    import os

    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(CorpusError, match="not a regular file"):
        wb.load_corpus(fifo)
    (tmp_path / "ok.txt").write_text("经济增长5%左右。", encoding="utf-8")
    assert wb.load_corpus(tmp_path).doc_ids == ["ok"]  # a folder's special files are passed over
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        corpus = wb.load_corpus([tmp_path / "ok.txt", fifo], errors="skip")
    assert corpus.doc_ids == ["ok"]
    assert any("pipe.txt: not a regular file" in str(w.message) for w in caught)


def test_national_reports_as_a_plain_table_file():
    """The JSON Lines file loaded as a user would load any table: year, region and title right for all 52."""
    from workbench.resources import dataset_path

    corpus = wb.load_corpus(dataset_path("national"))
    docs = corpus.documents
    assert len(docs) == 52 and docs["year"].notna().all()
    assert sorted(docs["year"]) == sorted(int(t[:4]) for t in docs["title"])
    assert set(docs["region"]) == {"全国"} and set(docs["admin_level"]) == {"国家"}
    assert "region" in docs["inferred"].iloc[0].split(",")  # inferred from the title (国务院)
    assert docs["title"].str.contains("政府工作报告").all() and (docs["doc_type"] == "政府工作报告").all()
    evidence = corpus.evidence.query("field == 'region'")["evidence"]
    assert len(evidence) == 52 and evidence.str.contains("国务院").all()
