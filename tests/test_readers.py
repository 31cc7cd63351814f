from pathlib import Path

import pytest

from workbench.errors import CorpusError
from workbench.readers import decode_bytes, read_document

GBK_TEXT = "上半年实现地区生产总值623.2亿元，增长3.2%，增速高于全国、全省水平。全市上下统筹推进疫情防控和经济社会发展各项工作。"
BIG5_TEXT = "泗洪縣主動應對風險挑戰，凝心聚力攻堅克難，交出了一份沉甸甸的答卷。經濟發展逆勢上揚，主要指標快速增長。"


@pytest.mark.parametrize(
    ("text", "encoding", "expected"),
    [
        (GBK_TEXT, "utf-8", "utf-8"),
        (GBK_TEXT, "utf-8-sig", "utf-8-sig"),
        (GBK_TEXT, "utf-16", "utf-16"),
        (GBK_TEXT, "utf-16-le", "utf_16_le"),
        (GBK_TEXT, "gbk", "gb18030"),
        (GBK_TEXT, "gb18030", "gb18030"),
        (BIG5_TEXT, "big5", "big5"),
    ],
)
def test_decode_detects_encoding(text, encoding, expected):
    decoded, detected = decode_bytes(text.encode(encoding))
    assert decoded.lstrip("\ufeff") == text
    assert detected == expected


def test_read_files_in_each_encoding(tmp_path):
    for enc in ("gbk", "big5", "utf-16"):
        text = BIG5_TEXT if enc == "big5" else GBK_TEXT
        path = tmp_path / f"{enc}.txt"
        path.write_bytes(text.encode(enc))
        doc = read_document(path)
        assert doc.text == text and doc.format == "txt"


@pytest.mark.parametrize(
    ("name", "content", "problem"),
    [
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\n ", "no text"),
        ("binary.txt", bytes(range(256)) * 8, "binary"),
        ("image.png", b"\x89PNG\r\n", "unsupported file type '.png'"),
        ("noext", b"abc", "unsupported file type"),
        ("bad.docx", b"not a zip", "not a valid .docx"),
        ("bad.pdf", b"%PDF-1.4 garbage", "PDF"),
    ],
)
def test_bad_input_names_file_and_problem(tmp_path, name, content, problem):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(CorpusError) as info:
        read_document(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_undecodable_bytes(tmp_path):
    path = tmp_path / "latin.txt"
    path.write_bytes("增长".encode("utf-8") + b" \xff\xff\xff")  # 0xFF leads no UTF-8, GB18030 or Big5 sequence
    with pytest.raises(CorpusError, match="cannot decode"):
        read_document(path)


def test_missing_file(tmp_path):
    with pytest.raises(CorpusError, match="no such file"):
        read_document(tmp_path / "nope.txt")


def test_docx(tmp_path):
    from docx import Document

    document = Document()
    document.add_paragraph("一、主要目标")
    document.add_paragraph("到2025年，高新技术企业突破3000家。")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "城镇化率"
    table.rows[0].cells[1].text = "65%"
    path = tmp_path / "plan.docx"
    document.save(path)
    doc = read_document(path)
    assert doc.encoding == "docx"
    assert doc.text.splitlines()[:2] == ["一、主要目标", "到2025年，高新技术企业突破3000家。"]
    assert "城镇化率\t65%" in doc.text


def make_pdf(path: Path, pages: list[list[str]]) -> Path:
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    c = canvas.Canvas(str(path))
    for lines in pages:
        c.setFont("STSong-Light", 12)
        for i, line in enumerate(lines):
            c.drawString(50, 800 - 18 * i, line)
        c.showPage()
    c.save()
    return path


def test_pdf_text_layer(tmp_path):
    path = make_pdf(tmp_path / "plan.pdf", [["到2025年全市高新技术企业突破3000家。"], ["城镇化率达到65%。"]])
    doc = read_document(path)
    assert doc.format == "pdf"
    assert "高新技术企业突破3000家" in doc.text and "城镇化率达到65%" in doc.text


def test_pdf_without_text_layer(tmp_path):
    from reportlab.pdfgen import canvas

    path = tmp_path / "scan.pdf"
    c = canvas.Canvas(str(path))
    c.rect(10, 10, 100, 100)
    c.showPage()
    c.save()
    with pytest.raises(CorpusError, match="no text layer"):
        read_document(path)
