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


# ---- hostile and broken files: each is one clear CorpusError naming the file ----

def _docx(path: Path, text: str = "第一段：到2025年，城镇化率达到65%。") -> Path:
    from docx import Document

    document = Document()
    document.add_paragraph(text)
    document.save(path)
    return path


def _rewrite_docx(src: Path, dst: Path, edit) -> Path:
    """Copy a .docx, passing word/document.xml through ``edit``."""
    import zipfile

    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for item in zin.infolist():
            data = zin.read(item.filename)
            zout.writestr(item, edit(data) if item.filename == "word/document.xml" else data)
    return dst


def _with_doctype(entities: str, reference: str):
    def edit(data: bytes) -> bytes:
        head, rest = data.decode("utf-8").split("?>", 1)
        rest = rest.replace("第一段：", f"第一段：{reference}")
        return f"{head}?><!DOCTYPE w:document [{entities}]>{rest}".encode("utf-8")
    return edit


def _bad_compression_method(src: Path, dst: Path) -> Path:
    """A .docx whose zip entries claim compression method 99 (zipfile: NotImplementedError)."""
    raw = bytearray(src.read_bytes())
    for signature, offset in ((b"PK\x03\x04", 8), (b"PK\x01\x02", 10)):
        i = 0
        while (i := raw.find(signature, i)) >= 0:
            raw[i + offset:i + offset + 2] = (99).to_bytes(2, "little")
            i += 4
    dst.write_bytes(bytes(raw))
    return dst


def _pdf_bomb(path: Path) -> Path:
    """A one-page PDF whose 78 KB content stream inflates past pypdf's 75 MB limit."""
    import zlib

    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Growth) Tj ET\n" + b" " * 76_000_000, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << /Font << /F1 5 0 R >> >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    out += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    path.write_bytes(bytes(out))
    return path


def _error(path: Path) -> str:
    with pytest.raises(CorpusError) as info:
        read_document(path)
    assert info.value.path == path
    return str(info.value)


def test_corrupt_docx_zip(tmp_path):
    path = _bad_compression_method(_docx(tmp_path / "ok.docx"), tmp_path / "corrupt.docx")
    assert _error(path) == f"{path}: not a valid .docx file (NotImplementedError: That compression method is not supported)"


def test_docx_with_entity_doctype_is_refused_not_cut(tmp_path):
    # python-docx leaves &a; unexpanded and silently drops the text after it: refuse the file instead
    path = _rewrite_docx(_docx(tmp_path / "ok.docx"), tmp_path / "entity.docx",
                         _with_doctype('<!ENTITY a "城镇化率">', "&a;"))
    assert _error(path) == (f"{path}: not a valid .docx file: word/document.xml declares a DOCTYPE "
                            "(entity definitions), which Word never writes")


def test_docx_predefined_and_character_references_keep_the_text_after_them(tmp_path):
    path = _rewrite_docx(_docx(tmp_path / "ok.docx"), tmp_path / "refs.docx", _with_doctype_free("R&amp;D&#x6295;&#20837;"))
    assert read_document(path).text == "第一段：R&D投入到2025年，城镇化率达到65%。"


def _with_doctype_free(reference: str):
    def edit(data: bytes) -> bytes:
        return data.decode("utf-8").replace("第一段：", f"第一段：{reference}").encode("utf-8")
    return edit


def test_docx_entity_bomb(tmp_path):
    laughs = '<!ENTITY l0 "lol">' + "".join(f'<!ENTITY l{i} "{f"&l{i - 1};" * 10}">' for i in range(1, 10))
    path = _rewrite_docx(_docx(tmp_path / "ok.docx"), tmp_path / "laughs.docx", _with_doctype(laughs, "&l9;"))
    message = _error(path)
    assert message.startswith(f"{path}: not a valid .docx file: word/document.xml ")


def test_docx_zip_bomb_is_refused_before_unpacking(tmp_path, monkeypatch):
    import workbench.readers as readers

    path = _docx(tmp_path / "plan.docx")
    monkeypatch.setattr(readers, "DOCX_MAX_UNPACKED_BYTES", 1000)
    assert "unpack to" in _error(path) and "a zip bomb?" in _error(path)


def test_pdf_decompression_bomb(tmp_path):
    path = _pdf_bomb(tmp_path / "bomb.pdf")
    message = _error(path)
    assert message.startswith(f"{path}: the PDF exceeds pypdf's safety limits (a decompression bomb?): Limit reached")


@pytest.mark.skipif(hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0,
                    reason="root reads a chmod 000 file: permissions do not apply")
def test_unreadable_file(tmp_path):
    path = tmp_path / "locked.txt"
    path.write_text("城镇化率达到65%。", encoding="utf-8")
    path.chmod(0)
    try:
        assert _error(path) == f"{path}: cannot read the file (permission denied)"
    finally:
        path.chmod(0o600)


def test_os_error_while_reading_is_named(tmp_path, monkeypatch):
    # the same failure as chmod 000, reached also when running as root
    path = tmp_path / "locked.txt"
    path.write_text("城镇化率达到65%。", encoding="utf-8")

    def refuse(self):
        raise PermissionError(13, "Permission denied", str(self))

    monkeypatch.setattr(Path, "read_bytes", refuse)
    monkeypatch.setattr(Path, "open", lambda self, *args, **kwargs: refuse(self))  # (a text file is read in blocks)
    assert _error(path) == f"{path}: cannot read the file (Permission denied)"


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (b"\xef\xbb\xbf" + "增长".encode() + b"\xff\xfe", "starts with a UTF-8 byte-order mark, but byte 9 is not valid UTF-8 (invalid start byte)"),
        (b"\xff\xfe" + "增长".encode("utf-16-le") + b"\x41", "starts with a UTF-16 byte-order mark, but byte 6 is not valid UTF-16 (truncated data)"),
        (b"\xff\xfe" + "增长".encode("utf-16-le") + b"\x00\xdc\x41\x00", "starts with a UTF-16 byte-order mark, but byte 6 is not valid UTF-16 (illegal encoding)"),
        (b"\xfe\xff" + "增长".encode("utf-16-be") + b"\xd8\x00", "starts with a UTF-16 byte-order mark, but byte 6 is not valid UTF-16 (unexpected end of data)"),
    ],
    ids=["utf8-bom-then-0xff", "utf16-odd-length", "utf16-lone-low-surrogate", "utf16-lone-high-surrogate"],
)
def test_bom_followed_by_invalid_bytes(tmp_path, content, problem):
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    assert _error(path) == f"{path}: {problem}; save it again as UTF-8"


def test_fifo_is_refused_without_blocking(tmp_path):
    import os

    path = tmp_path / "pipe.txt"
    os.mkfifo(path)
    assert _error(path) == f"{path}: not a regular file (a FIFO (named pipe))"


@pytest.mark.parametrize(("path", "kind"), [("/dev/null", "a character device"), ("/dev/zero", "a character device")])
def test_device_is_refused(path, kind):
    assert _error(Path(path)) == f"{path}: not a regular file ({kind})"


def test_folder_is_refused(tmp_path):
    assert _error(tmp_path) == f"{tmp_path}: not a regular file (a folder)"


# ---- saved web pages ----

GOV_PAGE = """<!DOCTYPE html>
<html lang="zh-CN"><head><meta http-equiv="Content-Type" content="text/html; charset={charset}">
<title>2024年政府工作报告_某某市人民政府</title>
<meta name="ArticleTitle" content="2024年政府工作报告">
{date_meta}
<meta property="og:site_name" content="某某市人民政府">
</head><body>
<div class="header"><a href="/">首页</a> <a href="/zwgk">政务公开</a> <a href="/zxfw">政务服务</a> <a href="/hdjl">互动交流</a></div>
<div class="breadcrumb">当前位置：<a href="/">首页</a> &gt; <a href="/zwgk">政务公开</a> &gt; 政府工作报告</div>
<div class="article">
<h1>2024年政府工作报告</h1>
<div class="info">{info} 来源：市政府办公室 【字体：大 中 小】 打印本页</div>
<div class="share">分享到：微信 微博 QQ空间</div>
<div class="content" id="zoom">
<p>——2024年1月18日在某某市第十七届人民代表大会第三次会议上</p>
<p>各位代表：现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。</p>
<p>过去一年，全市地区生产总值达到5230亿元，增长6.1%；一般公共预算收入完成412亿元，增长8.3%。城镇居民人均可支配收入增长5.2%。</p>
<p>今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，城镇新增就业6万人以上，居民消费价格涨幅3%左右。</p>
</div></div>
<div class="footer">主办：某某市人民政府办公室 网站标识码：1234567890 备案号：京ICP备12345678号 联系我们 网站地图</div>
</body></html>
"""
ARTICLE = [
    "——2024年1月18日在某某市第十七届人民代表大会第三次会议上",
    "各位代表：现在，我代表市人民政府，向大会报告工作，请予审议，并请市政协委员和其他列席人员提出意见。",
    "过去一年，全市地区生产总值达到5230亿元，增长6.1%；一般公共预算收入完成412亿元，增长8.3%。城镇居民人均可支配收入增长5.2%。",
    "今年经济社会发展的主要预期目标是：地区生产总值增长6%左右，城镇新增就业6万人以上，居民消费价格涨幅3%左右。",
]


@pytest.mark.parametrize(
    ("name", "charset", "encoding", "date_meta", "info", "date"),
    [
        ("report.html", "utf-8", "utf-8", '<meta name="PubDate" content="2024-01-22 10:30">', "发布时间：2024-01-22", "2024-01-22"),
        ("report.htm", "gb2312", "gb18030", '<meta name="PubDate" content="2024-01-22 10:30">', "发布时间：2024-01-22", "2024-01-22"),
        ("undated.html", "utf-8", "utf-8", "", "", None),
    ],
)
def test_web_page_main_text_and_evidence(tmp_path, name, charset, encoding, date_meta, info, date):
    page = GOV_PAGE.format(charset=charset, date_meta=date_meta, info=info).replace("——", "—" * 2)
    path = tmp_path / name
    path.write_bytes(page.encode("gb18030" if encoding == "gb18030" else "utf-8"))
    doc = read_document(path)
    assert doc.text.splitlines() == ARTICLE  # no navigation, breadcrumb, share bar or footer
    assert doc.encoding == encoding and doc.format == name.rsplit(".", 1)[1]
    assert doc.evidence.get("title") == "2024年政府工作报告"
    assert doc.evidence.get("date") == date
    assert doc.evidence.get("source") == "某某市人民政府"


def test_xhtml_page_with_xml_declaration_and_wrong_meta_charset(tmp_path):
    # an older site: an XML prolog, and a meta charset that the bytes (GB18030) do not match
    page = GOV_PAGE.format(charset="utf-8", date_meta="", info="发布时间：2024年01月22日")
    path = tmp_path / "report.htm"
    path.write_bytes(('<?xml version="1.0" encoding="gb2312"?>\n' + page).encode("gb18030"))
    doc = read_document(path)
    assert doc.encoding == "gb18030" and doc.text.splitlines()[1:] == ARTICLE[1:]
    assert doc.evidence["date"] == "2024-01-22"


def test_web_page_without_main_text(tmp_path):
    path = tmp_path / "scan.html"  # a page of pictures (a scanned notice)
    path.write_text('<html><head><title>通知</title></head><body><img src="p1.png"><img src="p2.png"></body></html>',
                    encoding="utf-8")
    assert _error(path) == f"{path}: no main text found in the web page"


def test_other_formats_have_no_evidence(tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text("到2025年，城镇化率达到65%。", encoding="utf-8")
    assert read_document(path).evidence == {}


@pytest.mark.parametrize("sample", [
    "政府工作报告\n\t正文", "abc\x00\x01\x7f\x9f\xa0", "中文\ud800\udfff\ue000\uf8ff\uf900", "\uffff",
    "\U000f0000\U000ffffd\U000ffffe\U000fffff\U00100000\U0010fffd\U0010fffe\U0010ffff", "\U00020000",
])
def test_control_count_is_what_the_class_finds(sample):
    from workbench import readers

    assert readers._control_count(sample) == len(readers._CONTROL.findall(sample))


# --- a text file read a block at a time: the same text, encoding and errors as decoding it whole ---
_CONTROLS = "\x01\x02\x03" * 40


@pytest.mark.parametrize(
    "content",
    [
        GBK_TEXT.encode("utf-8"),  # three-byte characters cut by the blocks
        b"\xef\xbb\xbf" + GBK_TEXT.encode("utf-8"),
        b"\xef\xbb\xbf",  # a byte-order mark alone: no text
        b"\xef\xbb\xbf" + "增长".encode() + b"\xff\xfe",  # an error after the mark, at its offset in the file
        GBK_TEXT.encode("utf-8") + "城镇化".encode("gbk"),  # not UTF-8 after some blocks that were
        GBK_TEXT.encode("gbk"),
        BIG5_TEXT.encode("big5"),
        GBK_TEXT.encode("utf-16"),
        GBK_TEXT.encode("utf-16-le"),
        "增长\U00020000\r\n".encode("utf-8") * 9,  # four-byte characters and CRLF
        (GBK_TEXT + _CONTROLS).encode("utf-8"),  # a binary file that decodes
        "增长".encode("utf-8")[:-1],  # a character cut at the end of the file
    ],
    ids=["utf8", "utf8-bom", "bom-only", "bom-then-0xff", "utf8-then-gbk", "gbk", "big5", "utf16", "utf16-le",
         "astral-crlf", "controls", "truncated"],
)
@pytest.mark.parametrize("block", [1, 5, 1 << 20])
def test_text_file_read_in_blocks_decodes_as_whole(tmp_path, monkeypatch, content, block):
    from workbench import readers

    monkeypatch.setattr(readers, "_READ_BLOCK", block)
    path = tmp_path / "report.txt"
    path.write_bytes(content)
    try:
        expected = decode_bytes(content, path=path)
    except CorpusError as error:
        with pytest.raises(CorpusError) as info:
            readers.read_text_file(path)
        assert str(info.value) == str(error)
    else:
        assert readers.read_text_file(path) == expected
