import json
import os
from pathlib import Path

import pytest

import workbench as wb
from workbench import metadata
from workbench.align import normalized_original
from workbench.metadata import (
    FIELDS,
    Inferred,
    infer_metadata,
    is_furniture,
    merge_metadata,
    read_manifest,
    year_from_file_name,
    years_in,
)

DATA = Path(__file__).parent / "data"
NATIONAL = [json.loads(line) for line in (DATA / "national-heads.jsonl").read_text(encoding="utf-8").splitlines()]
OPENING = "各位代表：\n现在，我代表省人民政府，向大会报告工作，请予审议，并请省政协委员和其他列席人员提出意见。\n"
BODY = ("过去一年，我们加快建设自贸试验区，积极融入全国统一大市场，高校毕业生留省就业比例提高，"
        "服务业增加值占地区生产总值比重达到55%，城区面貌明显改善。\n")


def infer(text, file_name=None):
    meta = infer_metadata(text, normalized_original(text), file_name=file_name)
    return {name: found.value for name, found in meta.items()}


# Heads of provincial, city and county reports as copied from web pages: the text, and the
# values that must be inferred (title, year, region, region_code, province, admin_level).
HEADS = {
    "zhejiang-2021": (
        "首页 > 政务公开 > 政府工作报告\n【字体：大 中 小】 打印 关闭\n\n2021年浙江省政府工作报告\n"
        "发布时间：2021-02-01 10:12  来源：浙江省人民政府办公厅\n分享到：微信 微博 QQ空间\n\n"
        "——2021年1月26日在浙江省第十三届人民代表大会第五次会议上\n浙江省省长　郑栅洁\n" + OPENING + BODY,
        ("2021年浙江省政府工作报告", 2021, "浙江省", "330000", "浙江省", "省级")),
    "guangxi-2022": (
        "您的位置： > 首页 > 政务 > 广西要闻\n下载\n全屏\n>\n政府工作报告\n"
        "——2022年1月18日在广西壮族自治区第十三届人民代表大会第六次会议上\n自治区主席　蓝天立\n"
        "各位代表：\n现在，我代表自治区人民政府，向大会报告工作，请予审议。\n" + BODY,
        ("政府工作报告", 2022, "广西壮族自治区", "450000", "广西壮族自治区", "省级")),
    "neimenggu-2023": (
        "内蒙古自治区2023年政府工作报告\n时间：2023-01-20 09:30\n来源：内蒙古日报\n"
        "——2023年1月12日在内蒙古自治区第十四届人民代表大会第一次会议上\n" + OPENING + BODY,
        ("内蒙古自治区2023年政府工作报告", 2023, "内蒙古自治区", "150000", "内蒙古自治区", "省级")),
    "xinjiang-2021": (
        "\u200b\n2021年新疆维吾尔自治区政府工作报告\n分享：\n"
        "——2021年2月1日在新疆维吾尔自治区第十三届人民代表大会第四次会议上\n" + OPENING + BODY,
        ("2021年新疆维吾尔自治区政府工作报告", 2021, "新疆维吾尔自治区", "650000", "新疆维吾尔自治区", "省级")),
    "yunnan-2022": (
        "您的位置： > 云南要闻\n2022年云南省政府工作报告\n时间：2022-01-25  来源：云南日报\n"
        "——2022年1月18日在云南省第十三届人民代表大会第五次会议上\n云南省省长　王予波\n" + OPENING + BODY,
        ("2022年云南省政府工作报告", 2022, "云南省", "530000", "云南省", "省级")),
    "guizhou-breadcrumb-elsewhere": (
        "当前位置：首页 > 云南要闻 > 昆明市\n2023年贵州省政府工作报告\n"
        "——2023年1月13日在贵州省第十四届人民代表大会第一次会议上\n" + OPENING + BODY,
        ("2023年贵州省政府工作报告", 2023, "贵州省", "520000", "贵州省", "省级")),
    "guangdong-traditional": (
        "廣東省2021年政府工作報告\n——2021年1月24日在廣東省第十三屆人民代表大會第四次會議上\n"
        "各位代表：\n現在，我代表省人民政府，向大會報告工作，請予審議。\n",
        ("廣東省2021年政府工作報告", 2021, "广东省", "440000", "广东省", "省级")),
    "beijing-2021": (
        "首页 政务公开 政务服务 互动交流 走进北京\n2021年北京市政府工作报告\n"
        "——2021年1月23日在北京市第十五届人民代表大会第四次会议上\n" + OPENING,
        ("2021年北京市政府工作报告", 2021, "北京市", "110000", "北京市", "省级")),
    "hunan-venue-only": (
        "政府工作报告\n——2024年1月21日在湖南省第十四届人民代表大会第二次会议上\n湖南省省长　毛伟明\n" + OPENING,
        ("政府工作报告", 2024, "湖南省", "430000", "湖南省", "省级")),
    "shandong-split-title": (
        "\u200b\n\n政府工作报\n告\n\n——2023年1月13日在山东省第十四届人民代表大会第一次会议上\n" + OPENING,
        ("政府工作报告", 2023, "山东省", "370000", "山东省", "省级")),
    "xuzhou-city": (
        "政府工作报告\n——2021年1月6日在徐州市第十六届人民代表大会第五次会议上\n徐州市市长　庄兆林\n"
        "各位代表：\n现在，我代表市人民政府，向大会报告工作，请予审议。\n" + BODY,
        ("政府工作报告", 2021, "徐州市", "320300", "江苏省", "地级")),
    "sihong-county": (
        "泗洪县人民政府\n您现在的位置：首页 > 政务公开\n政府工作报告\n"
        "——2021年1月12日在泗洪县第十七届人民代表大会第五次会议上\n"
        "各位代表：\n现在，我代表县人民政府，向大会报告工作，请予审议。\n",
        ("政府工作报告", 2021, "宿迁市泗洪县", "321324", "江苏省", "县级")),
    "suyu-district": (
        "2021年宿迁市宿豫区政府工作报告\n发布日期：2021-01-20\n"
        "各位代表：\n现在，我代表区人民政府，向大会报告工作，请予审议。\n",
        ("2021年宿迁市宿豫区政府工作报告", 2021, "宿迁市宿豫区", "321311", "江苏省", "县级")),
    "chaohu-prefecture-2010": (
        "巢湖市2010年政府工作报告\n——2010年1月在巢湖市第三届人民代表大会第五次会议上\n" + OPENING,
        ("巢湖市2010年政府工作报告", 2010, "巢湖市", "341400", "安徽省", "地级")),
    "chaohu-county-city-2016": (
        "2016年巢湖市政府工作报告\n" + OPENING,
        ("2016年巢湖市政府工作报告", 2016, "合肥市巢湖市", "340181", "安徽省", "县级")),
    "laiwu-2017": (
        "2017年莱芜市政府工作报告\n" + OPENING,
        ("2017年莱芜市政府工作报告", 2017, "莱芜市", "371200", "山东省", "地级")),
    "zhejiang-plan": (
        "浙江省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要\n"
        "（2021年1月30日浙江省第十三届人民代表大会第五次会议批准）\n目录\n",
        ("浙江省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", 2021, "浙江省", "330000", "浙江省", "省级")),
    "xuzhou-proposal": (
        "中共徐州市委关于制定徐州市国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议\n"
        "(二〇二〇年十二月二十八日中国共产党徐州市第十二届委员会第十一次全体会议通过)\n",
        ("中共徐州市委关于制定徐州市国民经济和社会发展第十四个五年规划和二〇三五年远景目标的建议", 2020, "徐州市",
         "320300", "江苏省", "地级")),
    "hubei-opening-issuer": (
        "政府工作报告（全文）\n各位代表：\n现在，我代表湖北省人民政府，向大会报告工作，请予审议。\n" + BODY,
        ("政府工作报告", None, "湖北省", "420000", "湖北省", "省级")),
}


@pytest.mark.parametrize("key", sorted(HEADS))
def test_provincial_heads(key):
    text, (title, year, region, code, province, level) = HEADS[key]
    found = infer(text)
    assert (found.get("title"), found.get("year"), found.get("region"), found.get("region_code"),
            found.get("province"), found.get("admin_level")) == (title, year, region, code, province, level)


@pytest.mark.parametrize(
    ("key", "doc_type", "date"),
    [("zhejiang-2021", "政府工作报告", "2021-01-26"), ("zhejiang-plan", "规划纲要", "2021-01-30"),
     ("xuzhou-proposal", "规划建议", "2020-12-28"), ("guangdong-traditional", "政府工作报告", "2021-01-24")],
)
def test_doc_type_and_date(key, doc_type, date):
    found = infer(HEADS[key][0])
    assert (found["doc_type"], found["date"]) == (doc_type, date)


def test_every_value_has_its_evidence():
    text = HEADS["zhejiang-2021"][0]
    meta = infer_metadata(text, normalized_original(text))
    venue = "——2021年1月26日在浙江省第十三届人民代表大会第五次会议上"
    assert meta["title"] == Inferred("2021年浙江省政府工作报告", "2021年浙江省政府工作报告")
    assert meta["year"].evidence == "2021年浙江省政府工作报告"
    assert meta["date"].evidence == venue
    assert meta["region"].evidence == "2021年浙江省政府工作报告"
    assert set(meta) <= set(FIELDS) and all(isinstance(v, Inferred) and v.evidence for v in meta.values())


# The fields must stay empty when nothing names them: body sentences, breadcrumbs, masked names.
@pytest.mark.parametrize(
    ("text", "empty"),
    [
        ("政府工作报告\n" + OPENING + BODY, ("region", "region_code", "province", "admin_level", "year")),
        ("您的位置： > 云南要闻\n政府工作报告\n" + OPENING + BODY, ("region", "province", "admin_level")),
        ("在市委X届X次全体会议上的讲话\n同志们：\n这次会议的主要任务是，贯彻落实省委X届X次全会和XX市委X届X次全会的部署要求。\n",
         ("region", "region_code", "province", "admin_level", "year")),
        ("2021年鼓楼区政府工作报告\n" + OPENING, ("region", "region_code", "province", "admin_level")),
        ("下载\n全屏\n>\n\u200b\n", ("title", "region", "year")),
        ("泗洪將改革創新進行到底 譜寫春到上塘新傳奇\n\n2021年02月27日15:59  來源:宿遷網\n", ("region",)),
    ],
)
def test_weak_evidence_leaves_fields_empty(text, empty):
    found = infer(text)
    assert {name: found.get(name) for name in empty} == {name: None for name in empty}


def test_masked_city_keeps_only_its_province():
    found = infer("江苏省某市人民政府工作报告\n2021年1月15日\n过去一年，徐州市地区生产总值增长3.4%。\n")
    assert (found.get("region"), found.get("province"), found.get("admin_level")) == (None, "江苏省", None)


def test_news_report_shape():
    found = infer("泗洪將改革創新進行到底 譜寫春到上塘新傳奇\n\n2021年02月27日15:59  來源:宿遷網\n 原標題:追趕超越勇向前\n")
    assert (found["title"], found["year"], found["date"], found["doc_type"], found["source"], found["script"]) == (
        "泗洪將改革創新進行到底 譜寫春到上塘新傳奇", 2021, "2021-02-27", "新闻报道", "宿迁网", "traditional")


@pytest.mark.parametrize(
    ("file_name", "text", "year", "region"),
    [
        ("gwr2016.txt", "各位代表：\n现在，我代表国务院，向大会报告政府工作，请予审议。\n", 2016, "全国"),
        ("2021_浙江省_政府工作报告.txt", OPENING + BODY, 2021, "浙江省"),
        ("2021_浙江省_政府工作报告.csv", OPENING, 2021, "浙江省"),
        ("/some/folder/2019-内蒙古-政府工作报告.txt", OPENING, 2019, "内蒙古自治区"),
        ("report.txt", OPENING, None, None),
        ("2020-2021.txt", OPENING, None, None),  # two years: which one?
    ],
)
def test_file_names(file_name, text, year, region):
    found = infer(text, file_name=file_name)
    assert (found.get("year"), found.get("region")) == (year, region)


def test_title_and_venue_win_over_file_name():
    found = infer(HEADS["zhejiang-2021"][0], file_name="2019_江苏省_报告.txt")
    assert (found["year"], found["region"]) == (2021, "浙江省")


@pytest.mark.parametrize(
    ("line", "years"),
    [("2021年浙江省政府工作报告", [2021]), ("二〇二一年政府工作报告", [2021]), ("１９５５年国家决算", [1955]),
     ("浙江省国民经济和社会发展第十四个五年规划和二〇三五年远景目标纲要", []), ("2021—2025年发展规划", []),
     ("到2035年基本实现现代化", []), ("政府工作报告", [])],
)
def test_years_in(line, years):
    assert years_in(line.replace("１９５５", "1955")) == years


@pytest.mark.parametrize(("name", "year"), [("gwr2016.txt", 2016), ("2021_浙江省_政府工作报告.csv", 2021),
                                            ("report.txt", None), ("a12345.txt", None), ("0000.txt", None)])
def test_year_from_file_name(name, year):
    assert year_from_file_name(name) == year


@pytest.mark.parametrize(
    ("line", "furniture"),
    [("您的位置： > 云南要闻", True), ("当前位置：首页 > 政务公开 > 政府工作报告", True), ("下载", True), ("全屏", True),
     (">", True), ("\u200b", True), ("时间：2022-01-25  来源：云南日报", True), ("分享到：微信 微博 QQ空间", True),
     ("【字体：大 中 小】 打印 关闭", True), ("首页 政务公开 政务服务 互动交流 走进北京", True),
     ("政府工作报告", False), ("2021年浙江省政府工作报告", False), ("强化使命担当 奋力决战决胜", False)],
)
def test_is_furniture(line, furniture):
    assert is_furniture(line) is furniture


# --- the 52 national government work reports (first 600 characters of each) ----------------

def test_national_heads_file():
    assert len(NATIONAL) == 52 and len({r["year"] for r in NATIONAL}) == 52


@pytest.mark.parametrize("row", NATIONAL, ids=[str(r["year"]) for r in NATIONAL])
def test_national_report_with_its_title_line(row):
    text = row["title"] + "\n" + row["head"]
    found = infer(text)
    assert (found["year"], found["region"], found["admin_level"]) == (row["year"], "全国", "国家")
    assert found["title"] == row["title"] and found.get("province") is None and found["doc_type"] == "政府工作报告"


@pytest.mark.parametrize("row", NATIONAL, ids=[str(r["year"]) for r in NATIONAL])
def test_national_report_as_a_file(row):
    """The text alone (some start with a zero-width space or a split title), saved as gwrYYYY.txt."""
    found = infer(row["head"], file_name=f"gwr{row['year']}.txt")
    assert found["year"] == row["year"]
    assert found.get("region") in ("全国", None) and found.get("province") is None
    if found.get("title") is not None:
        assert found["title"] == "政府工作报告"


def test_national_reports_text_alone_never_wrong():
    years = [infer(r["head"]).get("year") for r in NATIONAL]
    regions = [infer(r["head"]).get("region") for r in NATIONAL]
    assert all(y in (None, r["year"]) for y, r in zip(years, NATIONAL))
    assert sum(y is not None for y in years) >= 14  # from the venue line, or the NPC session addressed
    assert set(regions) <= {"全国", None} and regions.count("全国") >= 49


# --- the manifest -----------------------------------------------------------------------

def test_seed_manifest_uses_official_names_and_levels():
    manifest = read_manifest(Path(wb.__file__).resolve().parent.parent / "seeds" / "manifest.csv")
    assert {r["admin_level"] for r in manifest.values()} <= {"国家", "省级", "地级", "县级", "乡级"}
    rows = {k: (r["region"], r["region_code"], r["province"], r["admin_level"]) for k, r in manifest.items()}
    assert rows["000_33b89863f3dbc27e"] == ("宿迁市宿豫区", "321311", "江苏省", "县级")
    assert rows["003_75a5bbd56f8ce010"] == ("徐州市", "320300", "江苏省", "地级")
    assert rows["002_049a35ec4ac63eb7"] == (None, None, "江苏省", "县级")  # 'XX市' is masked: no region


@pytest.mark.parametrize(("given", "level"), [("省", "省级"), ("地级市", "地级"), ("区", "县级"), ("县级市", "县级"), ("乡级", "乡级")])
def test_manifest_maps_older_admin_levels(tmp_path, given, level):
    path = tmp_path / "manifest.csv"
    path.write_text(f"doc_id,admin_level\na,{given}\n", encoding="utf-8")
    assert read_manifest(path)["a"]["admin_level"] == level


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("doc_id,admin_level\na,省\nb,村委会\n", "line 3: unknown admin_level '村委会'"),
        ("doc_id,year\na,0000\n", "line 2: year 0000 is outside 1949–2100"),
        ("doc_id,year\na,2021\nb,2200\n", "line 3: year 2200 is outside"),
        ("doc_id,year\na,二〇二一\n", "four-digit year"),
        ("doc_id,region_code\na,32130\n", "region_code '32130' is not six digits"),
        ("doc_id,region,admin_level\na,宿迁市宿豫区,地级市\n", "line 2: admin_level '地级' does not agree with region '宿迁市宿豫区' (县级)"),
        ("doc_id,region,region_code\na,徐州市,320000\n", "region_code '320000' does not agree with region '徐州市' (320300)"),
        ("doc_id,region,admin_level\na,全国,省级\n", "does not agree with region '全国' (国家)"),
        # an unterminated quote: the title would swallow the next rows, whose metadata would be lost
        ('doc_id,title,year\na,"江苏省政府工作报告,2021\nb,浙江省政府工作报告,2022\n', "line 2: a quote opens a cell and is never closed"),
        ('doc_id,title,year\na,甲,2020\nb,"江苏省政府工作报告,2021\nc,浙江省政府工作报告,2022\nd,乙",2023\n',
         "line 3: a cell runs over lines 3–5"),
        ('doc_id,title\na,"十四五"规划纲要\n', "line 2: ',' expected after '\"'"),
        ("doc_id,title,year\na,甲,2020,多余\n", "line 2 has more cells than the header"),
    ],
)
def test_manifest_errors_name_file_and_line(tmp_path, content, problem):
    path = tmp_path / "manifest.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(wb.CorpusError) as info:
        read_manifest(path)
    assert str(path) in str(info.value) and problem in str(info.value)


def test_manifest_not_utf8(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_bytes("doc_id,title\na,江苏省政府工作报告\n".encode("gbk"))
    with pytest.raises(wb.CorpusError, match="malformed manifest: not UTF-8"):
        read_manifest(path)


def test_manifest_quoted_cells_and_blank_lines_are_fine(tmp_path):
    path = tmp_path / "manifest.csv"
    path.write_text('\ufeffdoc_id,title,year\r\n\r\na,"政府工作报告, 2021",2021\r\nb,"""十四五""规划"\r\nc\r\n', encoding="utf-8")
    manifest = read_manifest(path)
    assert manifest["a"] == {"title": "政府工作报告, 2021", "year": 2021}
    assert manifest["b"] == {"title": '"十四五"规划', "year": None}
    assert manifest["c"] == {"title": None, "year": None}


@pytest.mark.parametrize("kind", ["missing", "folder", "fifo", "device"])
def test_manifest_that_is_not_a_file(tmp_path, kind):
    path = {"missing": tmp_path / "none.csv", "folder": tmp_path, "fifo": tmp_path / "fifo", "device": Path("/dev/null")}[kind]
    if kind == "fifo":
        os.mkfifo(path)
    with pytest.raises(wb.CorpusError, match={"missing": "no such file", "folder": "a folder", "fifo": "FIFO",
                                              "device": "character device"}[kind]) as info:
        read_manifest(path)
    assert str(path) in str(info.value)


def test_merge_metadata_manifest_wins_and_keeps_region_fields_together():
    text = HEADS["zhejiang-2021"][0]
    inferred = infer_metadata(text, normalized_original(text))
    record, names = merge_metadata({"region": "宿迁市宿豫区", "year": 2020}, inferred)
    assert (record["region"], record["year"], record["title"]) == ("宿迁市宿豫区", 2020, "2021年浙江省政府工作报告")
    assert (record["region_code"], record["province"], record["admin_level"]) == ("321311", "江苏省", "县级")  # from the table
    record, _ = merge_metadata({"region": "甲市"}, inferred)
    assert (record["region_code"], record["province"], record["admin_level"]) == (None, None, None)  # not 浙江's
    assert "region" not in names and "year" not in names and "title" in names
    record, names = merge_metadata({}, inferred)
    assert (record["region"], record["region_code"], record["admin_level"]) == ("浙江省", "330000", "省级")
    assert list(record) == list(FIELDS[1:])


# More shapes of the title and venue lines seen on government and news sites.
@pytest.mark.parametrize(
    ("text", "title", "year", "region"),
    [
        ("政府工作报告\n——二〇二一年一月二十六日在浙江省第十三届人民代表大会第五次会议上\n" + OPENING,
         "政府工作报告", 2021, "浙江省"),
        ("政府工作报告\n（2021年1月26日在浙江省第十三届人民代表大会第五次会议上）\n" + OPENING, "政府工作报告", 2021, "浙江省"),
        ("政府工作报告 ——2021年1月26日在浙江省第十三届人民代表大会第五次会议上\n" + OPENING, "政府工作报告", 2021, "浙江省"),
        ("2021年政府工作报告（全文）\n来源：浙江在线\n——2021年1月26日在浙江省第十三届人民代表大会第五次会议上\n" + OPENING,
         "2021年政府工作报告", 2021, "浙江省"),
        ("浙江省人民政府门户网站\n首页 > 信息公开 > 政府工作报告\n政府工作报告\n2021-01-27 08:00 来源：浙江日报\n"
         "——2021年1月26日在浙江省第十三届人民代表大会第五次会议上\n" + OPENING, "政府工作报告", 2021, "浙江省"),
        ("标题：2021年浙江省政府工作报告\n发文机关：浙江省人民政府\n" + OPENING, "2021年浙江省政府工作报告", 2021, "浙江省"),
        ("2021年浙江省政府工作报告_浙江省人民政府门户网站\n" + OPENING, "2021年浙江省政府工作报告", 2021, "浙江省"),
        ("浙江省2021年政府工作报告全文\n" + OPENING, "浙江省2021年政府工作报告", 2021, "浙江省"),
        ("2021年浙江政府工作报告\n" + OPENING, "2021年浙江政府工作报告", 2021, "浙江省"),
        ("政府工作报告\n——2021年1月在沭阳县第十七届人民代表大会第六次会议上\n" + OPENING, "政府工作报告", 2021, "宿迁市沭阳县"),
        ("政府工作报告\n——2021年1月26日在宁夏回族自治区第十二届人民代表大会第四次会议上\n" + OPENING,
         "政府工作报告", 2021, "宁夏回族自治区"),
        ("2024年政府工作报告｜中国政府网\n——2024年3月5日在第十四届全国人民代表大会第二次会议上\n",
         "2024年政府工作报告", 2024, "全国"),
        ("2023年湖南省政府工作报告\n2023-01-17 09:31:22 来源: 湖南日报\n【字体：大 中 小】\n政府工作报告\n"
         "——2023年1月13日在湖南省第十四届人民代表大会第一次会议上\n" + OPENING, "2023年湖南省政府工作报告", 2023, "湖南省"),
        ("政府工作报告\n——2021年1月26日在省十三届人大五次会议上\n" + OPENING, "政府工作报告", 2021, None),
        ("江苏省某市人民政府工作报告\n2021年1月15日\n过去一年，徐州市地区生产总值增长3.4%。\n", "江苏省某市人民政府工作报告", 2021, None),
        ("政府工作报告\n——2021年1月15日在江苏省XX市第十六届人民代表大会第五次会议上\n", "政府工作报告", 2021, None),
        ("关于贵州省2020年国民经济和社会发展计划执行情况与2021年计划草案的报告\n" + OPENING,
         "关于贵州省2020年国民经济和社会发展计划执行情况与2021年计划草案的报告", 2021, "贵州省"),
    ],
)
def test_title_and_venue_shapes(text, title, year, region):
    found = infer(text)
    assert (found.get("title"), found.get("year"), found.get("region")) == (title, year, region)


SEEDS = Path(__file__).resolve().parent.parent / "seeds"


@pytest.mark.parametrize("path", sorted(SEEDS.glob("*.txt")), ids=lambda p: p.stem)
def test_seeds_inferred_values_agree_with_the_manifest(path):
    """What is inferred from a seed is what a person wrote in its manifest row (or nothing)."""
    row = read_manifest(SEEDS / "manifest.csv")[path.stem]
    found = infer(path.read_text(encoding="utf-8"), file_name=path.name)
    # 004's date line holds the page's date, the manifest the paper's; 讲话 is the coarser type of 全会讲话
    checked = {k: v for k, v in found.items() if k not in ("date", "doc_type") and row[k] is not None}
    assert checked == {k: row[k] for k in checked}


@pytest.mark.parametrize(("stem", "fields"), [("000_33b89863f3dbc27e", set()),
                                              ("003_75a5bbd56f8ce010", {"year", "region", "region_code", "province", "admin_level"})])
def test_seeds_without_title_line(stem, fields):
    """000 starts with a hard-wrapped body sentence and 003 with its approval line: no title to infer."""
    found = infer((SEEDS / f"{stem}.txt").read_text(encoding="utf-8"))
    assert "title" not in found and fields <= set(found)


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("南京市鼓楼区人民政府\n政府工作报告\n——2021年1月12日在鼓楼区第十八届人民代表大会第五次会议上\n" + OPENING, "南京市鼓楼区"),
        ("福州市鼓楼区人民政府门户网站\n2021年鼓楼区政府工作报告\n" + OPENING, "福州市鼓楼区"),  # the site's banner
        ("政府工作报告\n——2021年1月12日在鼓楼区第十八届人民代表大会第五次会议上\n" + OPENING, None),
        ("政府工作报告\n——2021年1月12日在鼓楼区第十八届人民代表大会第五次会议上\n" + OPENING + "南京市委的部署。\n", None),
    ],
)
def test_shared_names_need_their_prefecture_above_the_body(text, region):
    assert infer(text).get("region") == region


@pytest.mark.parametrize(
    ("text", "title", "year", "doc_type"),
    [
        ("第十四届全国人民代表大会第三次会议听取和审议了国务院总理李强所作的\n政府工作报告\n。会议充分肯定国务院过去一年的工作。\n",
         None, 2025, None),
        ("\u200b\n\n第十三届全国人民代表大会第四次会议关于政府工作报告的决议\n\n（2021年3月11日第十三届全国人民代表大会第四次会议通过）\n\n"
         "第十三届全国人民代表大会第四次会议听取和审议了国务院总理李克强所作的政府工作报告。\n",
         "第十三届全国人民代表大会第四次会议关于政府工作报告的决议", 2021, "决议"),
        # a past session named in the body is not the document's year
        ("各位代表：\n现在，我代表国务院，向大会报告过去五年政府工作。\n第十二届全国人民代表大会第一次会议以来的五年，是极不平凡的五年。\n",
         None, None, "政府工作报告"),
    ],
)
def test_npc_resolutions_and_sessions(text, title, year, doc_type):
    found = infer(text)
    assert (found.get("title"), found.get("year"), found.get("region"), found.get("doc_type")) == (title, year, "全国", doc_type)


def test_a_premier_named_deep_in_a_provincial_body_is_no_issuer():
    text = "政府工作报告\n" + OPENING + BODY * 12 + "国务院总理李强来我省考察，我代表国务院向全省人民致以问候。\n"
    assert "region" not in infer(text)


def test_docstring_examples_run():
    import doctest

    from workbench import metadata

    result = doctest.testmod(metadata)
    assert result.attempted >= 10 and result.failed == 0


def test_dates_in_the_body_are_not_the_documents():
    text = "政府工作报告\n各位代表：\n2020年1月23日，我们启动了一级响应。2020年是极不平凡的一年。\n"
    found = infer(text)
    assert "date" not in found and "year" not in found


@pytest.mark.parametrize(
    ("text", "region"),
    [
        ("泗洪县人民政府门户网站\n首页 > 政务公开\n政府工作报告\n——2021年1月12日在县十七届人大五次会议上\n" + OPENING, "宿迁市泗洪县"),
        ("浙江省人民政府\n政府工作报告\n" + OPENING, "浙江省"),
        ("2021年杭州市政府工作报告\n浙江省人民政府\n" + OPENING, "杭州市"),  # the title's place wins
        ("鼓楼区人民政府\n政府工作报告\n" + OPENING, None),  # shared name
        ("相关阅读：2020年浙江省政府工作报告\n政府工作报告\n" + OPENING, None),
    ],
)
def test_site_banner_names_the_issuer_last(text, region):
    assert infer(text).get("region") == region


@pytest.mark.parametrize(
    "line", ["【打印本页】 【关闭窗口】", "[打印] [关闭]", "[ 大 中 小 ]", "分享至：", "列印", "今天是：2021年1月26日 星期二",
             "欢迎访问浙江省人民政府门户网站"],
)
def test_more_furniture(line):
    assert is_furniture(line)


def test_traditional_page_with_furniture():
    text = ("您的位置：首頁 > 新聞中心 > 要聞\n分享至：\n【列印】 【關閉】\n2022年臺灣省政府工作報告\n"
            "發佈時間：2022-01-20\n各位代表：\n現在，我代表省人民政府，向大會報告工作。\n")
    found = infer(text)
    assert (found["title"], found["year"], found["region"], found["admin_level"]) == (
        "2022年臺灣省政府工作報告", 2022, "台湾省", "省级")


def test_every_province_and_prefecture_in_a_venue_line():
    """Each of today's 34 province-level and 333 prefecture-level units, named in a venue line below furniture."""
    from workbench import places

    units = [d for d in places.load_divisions() if d.valid_until is None and d.level in ("省级", "地级")]
    assert len(units) == 367
    wrong = []
    for d in units:
        text = (f"您的位置： > 首页 > 要闻\n下载\n政府工作报告\n——2021年1月20日在{d.name}第十七届人民代表大会第五次会议上\n"
                + OPENING)
        found = infer(text)
        if (found.get("region"), found.get("region_code"), found.get("admin_level"), found.get("year")) != (
                d.full_name, d.code, d.level, 2021):
            wrong.append(d.full_name)
    assert wrong == []


@pytest.mark.parametrize("written", ["二〇〇七年三月五日", "二OO七年三月五日", "二００七年三月五日", "二ＯＯ七年三月五日"])
def test_chinese_year_with_o_for_zero(written):
    """〇 is often typed as a letter O (Latin, full-width) or a zero: the year is still read."""
    from workbench.metadata import infer_date

    assert infer_date(written) == "2007-03-05"


def _head_lines():
    seeds = Path(__file__).resolve().parent.parent / "seeds"
    lines = [line.strip() for path in sorted(seeds.glob("*.txt"))
             for line in path.read_text(encoding="utf-8").split("\n")[:40]]
    return [line for line in lines if line] + [
        "首页 > 政务公开 > 政府工作报告", "【字体：大 中 小】", "字号 大", "2021-02-27", "2021年2月27日 15:59",
        "【打印】【关闭】", "微信 微博", "当前位置：首页", "南京市人民政府门户网站", "【政务】【公开】", "[打印]",
        "大 中 小", "今天是2021年", "欢迎您", "A > B > C", "»", "分享到：", "来源：新华社", "",
    ]


@pytest.mark.parametrize("line", _head_lines())
def test_title_furniture_test_is_any_pattern_searched(line):
    """The combined test (anchored patterns at the start, the others only where a literal they need
    stands) agrees with searching each title-furniture pattern."""
    expected = any(p.search(line) for p in metadata._furniture_patterns())
    assert bool(metadata._furniture_search()(line)) == expected
