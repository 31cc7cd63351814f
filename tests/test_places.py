import csv
from pathlib import Path

import pytest

from workbench import places
from workbench.resources import data_path

DATA = Path(__file__).parent / "data"


def test_table_has_every_level_and_valid_codes():
    divisions = places.load_divisions()
    assert {d.level for d in divisions} == {"省级", "地级", "县级"}
    assert all(len(d.code) == 6 and d.code.isdigit() for d in divisions)
    current = [d for d in divisions if d.valid_until is None]
    # the 2024 list: 34 province-level units, 333 prefecture-level units, 2,846 county-level units
    assert sum(d.level == "省级" for d in current) == 34
    assert sum(d.level == "地级" for d in current) == 333
    assert sum(d.level == "县级" for d in current) == 2846


def test_table_file_columns():
    with data_path("divisions.csv").open(encoding="utf-8") as fh:
        header = next(csv.reader(fh))
    assert header == ["code", "name", "level", "full_name", "prefecture", "province", "short_name",
                      "valid_from", "valid_until"]


@pytest.mark.parametrize(
    ("name", "year", "full_name", "code", "level", "province"),
    [
        ("江苏省", None, "江苏省", "320000", "省级", "江苏省"),
        ("内蒙古自治区", None, "内蒙古自治区", "150000", "省级", "内蒙古自治区"),
        ("内蒙古", None, "内蒙古自治区", "150000", "省级", "内蒙古自治区"),
        ("新疆维吾尔自治区", 2021, "新疆维吾尔自治区", "650000", "省级", "新疆维吾尔自治区"),
        ("宿豫区", None, "宿迁市宿豫区", "321311", "县级", "江苏省"),
        ("宿迁市宿豫区", 2020, "宿迁市宿豫区", "321311", "县级", "江苏省"),
        ("宿豫县", 2000, "宿迁市宿豫县", "321321", "县级", "江苏省"),
        ("泗洪县", 2021, "宿迁市泗洪县", "321324", "县级", "江苏省"),
        ("泗洪县", 1990, "淮阴市泗洪县", "320827", "县级", "江苏省"),
        ("徐州市", None, "徐州市", "320300", "地级", "江苏省"),
        ("淮北市杜集区", None, "淮北市杜集区", "340602", "县级", "安徽省"),
        ("巢湖市", 2009, "巢湖市", "341400", "地级", "安徽省"),
        ("巢湖市", 2016, "合肥市巢湖市", "340181", "县级", "安徽省"),
        ("莱芜市", 2015, "莱芜市", "371200", "地级", "山东省"),
        ("莱芜区", 2021, "济南市莱芜区", "370116", "县级", "山东省"),
        ("北京市", None, "北京市", "110000", "省级", "北京市"),
        ("北京市朝阳区", None, "北京市朝阳区", "110105", "县级", "北京市"),
        ("仙桃市", 2020, "仙桃市", "429004", "县级", "湖北省"),
    ],
)
def test_lookup_region(name, year, full_name, code, level, province):
    found = places.lookup_region(name, year=year)
    assert (found.full_name, found.code, found.level, found.province) == (full_name, code, level, province)


@pytest.mark.parametrize(
    ("name", "year"),
    [
        ("朝阳区", None),      # 北京市朝阳区 and 长春市朝阳区
        ("鼓楼区", 2021),      # 南京, 徐州, 福州, 开封
        ("莱芜市", 2022),      # merged into 济南市 in 2019
        ("巢湖市", None),      # a prefecture until 2011, a county-level city since: which one?
        ("巢湖市", 2011),      # the year it changed
        ("XX市", None),
        ("自贸试验区", None),
        ("", None),
    ],
)
def test_lookup_region_unknown_or_ambiguous_is_none(name, year):
    assert places.lookup_region(name, year=year) is None


@pytest.mark.parametrize(
    ("line", "names"),
    [
        ("——2021年1月26日在浙江省第十三届人民代表大会第五次会议上", ["浙江省"]),
        ("在江苏省宿迁市泗洪县第十七届人民代表大会上", ["江苏省", "宿迁市泗洪县"]),
        ("2022年广西壮族自治区政府工作报告", ["广西壮族自治区"]),
        # sentences of real reports that a X区/X市 pattern read as places
        ("加快建设自贸试验区，积极融入全国统一大市场，高校毕业生留省就业比例提高。", []),
        ("服务业增加值占地区生产总值比重达到55%，城区面貌明显改善，新区建设提速。", []),
        ("北京市场监管局", []),
    ],
)
def test_find_place_names(line, names):
    assert [m.text for m in places.find_place_names(line)] == names


@pytest.mark.parametrize(
    ("line", "short_forms", "full_name"),
    [
        ("浙江2024年政府工作报告", True, "浙江省"),
        ("浙江2024年政府工作报告", False, None),
        ("2021年宿迁市宿豫区政府工作报告", False, "宿迁市宿豫区"),
        ("江苏省宿迁市泗洪县人民政府", False, "宿迁市泗洪县"),
        ("中共徐州市委关于制定徐州市国民经济和社会发展第十四个五年规划", False, "徐州市"),
    ],
)
def test_first_chain(line, short_forms, full_name):
    division, _ = places.first_chain(line, year=2021, short_forms=short_forms)
    assert (division.full_name if division else None) == full_name


@pytest.mark.parametrize(
    ("value", "level"),
    [("省", "省级"), ("省级", "省级"), ("自治区", "省级"), ("市", "地级"), ("地级市", "地级"), ("区", "县级"),
     ("县", "县级"), ("县级市", "县级"), ("县级", "县级"), ("乡", "乡级"), ("镇", "乡级"), ("国家", "国家"), (" 县 ", "县级")],
)
def test_normalize_admin_level(value, level):
    assert places.normalize_admin_level(value) == level


@pytest.mark.parametrize("value", ["村", "city", "", "省市"])
def test_normalize_admin_level_unknown(value):
    with pytest.raises(ValueError, match="allowed: 国家, 省级, 地级, 县级, 乡级"):
        places.normalize_admin_level(value)


def test_valid_in_keeps_units_since_merged():
    chaohu = places.lookup_region("巢湖市", year=2005)
    assert (chaohu.valid_from, chaohu.valid_until) == (1999, 2011)
    assert chaohu.valid_in(2011) and not chaohu.valid_in(2012)
    laiwu = places.lookup_region("莱芜市", year=2000)
    assert laiwu.valid_until == 2018 and laiwu.valid_in(2018) and not laiwu.valid_in(2019)


def test_docstring_examples_run():
    import doctest

    result = doctest.testmod(places)
    assert result.attempted >= 8 and result.failed == 0


@pytest.mark.parametrize(("name", "year"), [(None, None), ("江苏省", "2021"), ("江苏省", True)])
def test_lookup_region_bad_arguments(name, year):
    with pytest.raises(ValueError, match="must be"):
        places.lookup_region(name, year=year)


def test_units_of_the_first_list_count_for_earlier_years():
    assert places.lookup_region("江苏省", year=1958).code == "320000"
    assert places.lookup_region("宿豫区", year=1990) is None  # created in 2004


# --- the dictionary scan finds what the alternation of all names found ----------------------
def _regex_names(line, short_forms):
    return [(m.start(), m.end(), m.group()) for m in places._name_pattern(short_forms).finditer(line)]


@pytest.mark.parametrize("line", [
    "在江苏省宿迁市泗洪县第十七届人民代表大会上",
    "北京市场江苏省份浙江省政府",
    "收入大幅度提高的社员、生产队、生产大队、公社和县",  # a name at the very end of the line
    "甘孜藏族自治州得荣县万县市龙宝区连县昌潍地区潍县",
    "合江县荆州市江陵县咸阳市长武县铜陵市郊区",
    "2021年浙江省政府工作报告_浙江省人民政府门户网站",
    "内蒙古自治区鄂尔多斯市东胜区，广西、内蒙古",
    "",
])
@pytest.mark.parametrize("short_forms", [False, True])
def test_name_scan_equals_the_alternation(line, short_forms):
    assert list(places._scan_names(line, short_forms)) == _regex_names(line, short_forms)


def test_name_scan_equals_the_alternation_on_the_national_reports():
    lines = [line for path in sorted(DATA.glob("national-gwr-*.txt"))
             for line in path.read_text(encoding="utf-8").split("\n")]
    assert len(lines) > 100
    for short_forms in (False, True):
        assert [list(places._scan_names(x, short_forms)) for x in lines] == [_regex_names(x, short_forms) for x in lines]
