import datetime as dt
import json
import logging
import os
import pickle
from pathlib import Path

import pandas as pd
import pytest

from workbench.errors import CorpusError, TableRowError
from workbench.tables import TABLE_SUFFIXES, TableRow, read_table, rows_from_frame

# Real shapes: a CSV per region (province, year, title, source_url, publish_date, full_text), and the
# national government work reports as JSON Lines (title, url, content, year; year null for NPC resolutions).
GD_2024 = "2024年广东省政府工作报告"
GD_TEXT = "各位代表：现在，我代表省人民政府，向大会报告工作。全省地区生产总值突破13万亿元，增长4.8%。"
ZJ_TEXT = "过去一年，全省生产总值8.26万亿元，增长6%。城镇居民人均可支配收入增长4.6%。"
REGION_CSV = (
    "province,year,title,source_url,publish_date,full_text\n"
    f"广东,2024,{GD_2024},https://www.gd.gov.cn/gkmlpt/content/4/4345/post_4345001.html,2024-01-29 09:00:00,{GD_TEXT}\n"
    f'浙江,2024,2024年浙江省政府工作报告,https://www.zj.gov.cn/art/2024/1/29/art_1229463129.html,2024年1月29日,"{ZJ_TEXT}\n'
    '二、2024年工作安排"\n'
    ",,,,,\n"
    "江苏,,2024年江苏省政府工作报告,,2024-01,全省经济运行稳中有进。\n"
)


def _write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    path.write_bytes(text.encode(encoding))
    return path


def test_region_csv_shape(tmp_path):
    table = read_table(_write(tmp_path / "guangdong.csv", REGION_CSV, "utf-8-sig"))
    assert table.text_column == "full_text" and table.id_column is None and table.errors == []
    assert table.fields == {"province": "province", "year": "year", "title": "title", "source_url": "source",
                            "publish_date": "date"}
    first, second, third = table.rows
    assert first == TableRow(
        doc_id="guangdong-2", text=GD_TEXT, origin="guangdong.csv:2",
        meta={"province": "广东", "year": 2024, "title": GD_2024, "date": "2024-01-29",
              "source": "https://www.gd.gov.cn/gkmlpt/content/4/4345/post_4345001.html"},
    )
    # a quoted cell over two lines is one spreadsheet row; the empty row 4 is no document, but keeps its number
    assert second.text == f"{ZJ_TEXT}\n二、2024年工作安排" and second.meta["date"] == "2024-01-29"
    assert (third.doc_id, third.origin) == ("guangdong-5", "guangdong.csv:5")
    assert third.meta["year"] is None and third.meta["source"] is None  # empty cells are missing, not ""
    assert third.meta["date"] == "2024-01"  # not a full day: kept as written


@pytest.mark.parametrize("encoding", ["utf-8-sig", "gbk", "utf-16"])
def test_chinese_headers_in_any_encoding(tmp_path, encoding):
    text = f"编号,省份,年份,标题,链接,发布日期,正文,备注\ngd-2024,广东,2024年,{GD_2024},https://www.gd.gov.cn/,2024/1/29,{GD_TEXT},人大会议通过\n"
    table = read_table(_write(tmp_path / "reports.csv", text, encoding), id="编号")
    [row] = table.rows
    assert row.doc_id == "gd-2024" and row.text == GD_TEXT
    assert row.meta == {"province": "广东", "year": 2024, "title": GD_2024, "source": "https://www.gd.gov.cn/",
                        "date": "2024-01-29", "备注": "人大会议通过"}


def _gwr_lines() -> list[dict]:
    return [
        {"title": "2025年中华人民共和国国务院政府工作报告", "url": "https://zh.wikisource.org/wiki/2025",
         "content": "各位代表：\n\n现在，我代表国务院，向大会报告政府工作，请予审议。", "year": 2025},
        {"title": "第十四届全国人民代表大会第三次会议关于政府工作报告的决议", "url": "https://zh.wikisource.org/wiki/r2025",
         "content": "第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的政府工作报告。", "year": None},
        {"title": "1954年政府工作报告", "url": "https://zh.wikisource.org/wiki/1954",
         "content": "各位代表：\u2028第一届全国人民代表大会第一次会议开幕了。", "year": 1954},
    ]


def test_jsonl_gwr_shape(tmp_path):
    lines = [json.dumps(record, ensure_ascii=False) for record in _gwr_lines()]
    path = _write(tmp_path / "reports.jsonl", "\n".join([lines[0], "", lines[1], lines[2]]) + "\n")
    table = read_table(path)
    assert table.text_column == "content" and table.fields == {"title": "title", "year": "year", "url": "source"}
    assert [(r.doc_id, r.origin, r.meta["year"]) for r in table.rows] == [
        ("reports-1", "reports.jsonl:1", 2025), ("reports-3", "reports.jsonl:3", None), ("reports-4", "reports.jsonl:4", 1954)]
    assert table.rows[2].text == _gwr_lines()[2]["content"]  # a U+2028 inside a string does not split the line


def test_tsv(tmp_path):
    path = _write(tmp_path / "plans.tsv", f"doc_id\ttitle\ttext\tpages\nsz-14\t深圳市十四五规划\t{GD_TEXT}\t120\n")
    [row] = read_table(path).rows
    assert row.doc_id == "sz-14" and row.meta == {"title": "深圳市十四五规划", "pages": "120"}


def test_parquet_typed_cells(tmp_path):
    pytest.importorskip("pyarrow")
    frame = pd.DataFrame({"title": [GD_2024, "2024年浙江省政府工作报告"], "year": pd.array([2024, None], dtype="Int64"),
                          "publish_date": pd.to_datetime(["2024-01-29", None]), "pages": [32, 28],
                          "content": [GD_TEXT, ZJ_TEXT], "score": [0.5, float("nan")]})
    path = tmp_path / "reports.parquet"
    frame.to_parquet(path)
    first, second = read_table(path).rows
    assert first.meta == {"title": GD_2024, "year": 2024, "date": "2024-01-29", "pages": 32, "score": 0.5}
    assert type(first.meta["pages"]) is int and type(first.meta["year"]) is int
    assert second.meta == {"title": "2024年浙江省政府工作报告", "year": None, "date": None, "pages": 28, "score": None}
    assert (second.doc_id, second.origin) == ("reports-2", "reports.parquet:2")


def test_excel(tmp_path, caplog):
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "报告"
    sheet.append(["province", "year", "title", "publish_date", "full_text"])
    sheet.append(["广东", 2024, GD_2024, dt.datetime(2024, 1, 29, 9, 0), GD_TEXT])
    sheet.append([None, None, None, None, None])
    sheet.append(["浙江", None, None, "2024年1月29日", ZJ_TEXT])
    workbook.create_sheet("说明").append(["本表收录各省政府工作报告"])
    path = tmp_path / "reports.xlsx"
    workbook.save(path)
    with caplog.at_level(logging.WARNING, logger="workbench"):
        table = read_table(path)
    assert [(r.doc_id, r.origin) for r in table.rows] == [("reports-2", "reports.xlsx:2"), ("reports-4", "reports.xlsx:4")]
    assert table.rows[0].meta == {"province": "广东", "year": 2024, "title": GD_2024, "date": "2024-01-29"}
    assert table.rows[1].meta == {"province": "浙江", "year": None, "title": None, "date": "2024-01-29"}
    assert "sheet(s) '说明' are not read" in caplog.text


def test_data_frame():
    frame = pd.DataFrame({"id": ["gd", "zj"], "content": [GD_TEXT, ZJ_TEXT], "year": [2024.0, float("nan")],
                          "source": ["广东省人民政府", None], "url": ["https://www.gd.gov.cn/", "https://www.zj.gov.cn/"]})
    table = rows_from_frame(frame, id="id", origin="provinces")
    assert table.fields == {"year": "year", "source": "source"}  # source is taken: url keeps its own name
    assert [(r.doc_id, r.origin) for r in table.rows] == [("gd", "provinces:1"), ("zj", "provinces:2")]
    assert table.rows[1].meta == {"year": None, "source": None, "url": "https://www.zj.gov.cn/"}
    assert rows_from_frame(frame.drop(columns="id")).rows[1].doc_id == "DataFrame-2"


HEADER = "province,year,title,full_text\n"


@pytest.mark.parametrize(
    ("name", "content", "options", "problem"),
    [
        ("reports.csv", HEADER + f"广东,2024,{GD_2024},{GD_TEXT}\n", {"text": "正文"},
         "no text column '正文'; the columns are: province, year, title, full_text"),
        ("reports.csv", HEADER + f"广东,2024,{GD_2024},{GD_TEXT}\n", {"id": "doc_id"},
         "no id column 'doc_id'; the columns are: province, year, title, full_text"),
        ("reports.csv", f"province,year,title\n广东,2024,{GD_2024}\n", {},
         "no text column (looked for text, content, full_text, body, 正文, 全文, 内容); the columns are: province, year, title; "
         "name it with text= (--text-column)"),
        ("reports.csv", f"title,content,text\n{GD_2024},{GD_TEXT},{GD_TEXT}\n", {},
         "more than one text column (content, text); choose one with text= (--text-column)"),
        ("reports.csv", f"title,title,text\n{GD_2024},{GD_2024},{GD_TEXT}\n", {},
         "column(s) 'title' appear more than once in the header"),
        ("reports.csv", f"title,,text\n{GD_2024},x,{GD_TEXT}\n", {}, "column 2 has cells but no name in the header row"),
        ("reports.csv", HEADER + f"广东,2024,{GD_2024},{GD_TEXT},多余\n", {},
         "malformed CSV: Error tokenizing data. C error: Expected 4 fields in line 2, saw 5"),
        ("reports.csv", HEADER, {}, "the table has no rows of documents"),
        ("reports.csv", "", {}, "the file is empty"),
        ("reports.jsonl", "\n\n", {}, "the file has no JSON lines"),
        ("reports.parquet", "PAR1 not really", {}, "not a readable .parquet table (ArrowInvalid: "),
        ("reports.xlsx", "PK not a workbook", {}, "not a readable .xlsx table (BadZipFile: File is not a zip file)"),
        ("reports.xls", "whatever", {},
         "not a table of documents: '.xls'; tables are .csv, .tsv, .jsonl, .parquet, .xlsx"),
    ],
)
def test_table_errors_name_file_and_columns(tmp_path, name, content, options, problem):
    path = _write(tmp_path / name, content)
    with pytest.raises(CorpusError) as info:
        read_table(path, **options)
    assert info.value.path == path
    assert str(info.value).startswith(f"{path}: {problem}")


def test_fifo_is_refused_without_blocking(tmp_path):
    path = tmp_path / "reports.csv"
    os.mkfifo(path)
    with pytest.raises(CorpusError, match=r"reports\.csv: not a regular file \(a FIFO \(named pipe\)\)$"):
        read_table(path)


ROWS_CSV = (
    "doc_id,year,title,full_text\n"
    f"gd-2024,2024,{GD_2024},{GD_TEXT}\n"          # row 2
    f"gd-2023,2023,2023年广东省政府工作报告,\n"      # row 3: empty text
    f"gd-2024,2024,{GD_2024},{GD_TEXT}\n"          # row 4: duplicate of row 2
    f"zj-2024,二〇二四,浙江,{ZJ_TEXT}\n"           # row 5: not a year
    f"../etc,2024,路径,{ZJ_TEXT}\n"                # row 6: not a file-name-like id
    f",2024,无编号,{ZJ_TEXT}\n"                    # row 7: empty id
    f"zj-2023,2023年,2023年浙江省政府工作报告,{ZJ_TEXT}\n"  # row 8: fine
)


def test_row_errors_are_collected_with_file_and_row(tmp_path):
    path = _write(tmp_path / "reports.csv", ROWS_CSV)
    table = read_table(path)
    assert table.id_column == "doc_id"  # a doc_id column is the id column without being named
    assert [(r.doc_id, r.meta["year"]) for r in table.rows] == [("gd-2024", 2024), ("zj-2023", 2023)]
    assert [str(e) for e in table.errors] == [
        f"{path}: row 3: empty text",
        f"{path}: row 4: duplicate id 'gd-2024' (also row 2)",
        f"{path}: row 5: year '二〇二四' is not a four-digit year",
        f"{path}: row 6: id '../etc' cannot be a doc_id (no '/', '\\', control characters, '.' or '..')",
        f"{path}: row 7: empty id",
    ]
    assert [e.row for e in table.errors] == [3, 4, 5, 6, 7] and all(isinstance(e, TableRowError) for e in table.errors)


def test_jsonl_line_errors(tmp_path):
    good, resolution, _ = (json.dumps(r, ensure_ascii=False) for r in _gwr_lines())
    path = _write(tmp_path / "reports.jsonl", "\n".join([good, '{"title": "坏行", "content": "缺引号}', '["列表"]',
                                                          json.dumps({"title": "空", "content": "  "}), resolution]))
    table = read_table(path)
    assert [r.origin for r in table.rows] == ["reports.jsonl:1", "reports.jsonl:5"]
    assert [str(e) for e in table.errors] == [
        f"{path}: line 2: not valid JSON (Unterminated string starting at: column 28)",
        f"{path}: line 3: not a JSON object but list",
        f"{path}: line 4: empty text",
    ]


def test_script_must_be_known(tmp_path):
    path = _write(tmp_path / "hk.csv", f"script,text\n繁體,{GD_TEXT}\ntraditional,{GD_TEXT}\n")
    table = read_table(path)
    assert [str(e) for e in table.errors] == [f"{path}: row 2: script '繁體' is not one of simplified, traditional, none"]
    assert table.rows[0].meta == {"script": "traditional"}


def test_row_errors_survive_a_process_boundary():
    error = TableRowError("reports.jsonl", 4, "empty text", unit="line")
    back = pickle.loads(pickle.dumps(error))
    assert (str(back), back.row, back.unit) == ("reports.jsonl: line 4: empty text", 4, "line")
    assert str(pickle.loads(pickle.dumps(CorpusError("a.txt", "the file is empty")))) == "a.txt: the file is empty"


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: read_table("x.csv", text=3), "text must be a column name"),
        (lambda: read_table("x.csv", id=""), "id must be a column name"),
        (lambda: rows_from_frame([{"text": "a"}]), "needs a pandas DataFrame, not list"),
        (lambda: rows_from_frame(pd.DataFrame({"text": ["a"]}), origin="a/b"), "origin must be a non-empty name"),
    ],
)
def test_options_are_checked(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_suffixes():
    assert TABLE_SUFFIXES == (".csv", ".tsv", ".jsonl", ".parquet", ".xlsx")
