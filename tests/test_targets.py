from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import workbench as wb
from workbench.evaluate import read_jsonl, score_targets
from workbench.numbers import find_quantities
from workbench.targets import SCHEMA_FIELDS, is_record

GOLD = Path(__file__).parent / "data" / "gold-seeds.jsonl"


def one(sentence, **doc):
    """Extract from a one-sentence corpus written to a temporary folder."""
    import tempfile

    folder = Path(tempfile.mkdtemp())
    (folder / "doc.txt").write_text(sentence, encoding="utf-8")
    manifest = {"year": doc.get("year", 2021), "date": doc.get("date", "2021-06-30")}
    (folder / "manifest.csv").write_text(f"doc_id,year,date\ndoc,{manifest['year']},{manifest['date']}\n", encoding="utf-8")
    return wb.extract_targets(wb.load_corpus(folder))


@pytest.mark.parametrize(
    ("text", "value", "unit", "base"),
    [
        ("突破3000家", 3000, "家", 3000),
        ("达到1,200个", 1200, "个", 1200),
        ("增长6.5%", 6.5, "%", 6.5),
        ("达到４５００亿元", 4500, "亿元", 4.5e11),
        ("改善 1.3 万户", 1.3, "万户", 13000),
        ("7.7亿元", 7.7, "亿元", 7.7e8),
        ("三千家企业", 3000, "家", 3000),
        ("两万人", 2, "万人", 20000),
        ("百亿级产业", 100, "亿", 1e10),
        ("工业投入五百亿", 500, "亿", 5e10),
        ("翻一番", 1, "番", 1),
        ("为2015年的两倍", 2, "倍", 2),
        ("提高7个百分点", 7, "个百分点", 7),
        ("开展活动500余场", 500, "场", 500),
        ("超过35万", 35, "万", 350000),
        ("紧盯万亩", 1, "万亩", 10000),
        ("过万亿", 1, "万亿", 1e12),
    ],
)
def test_number_forms(text, value, unit, base):
    (q,) = [q for q in find_quantities(text) if is_record(q, text)]
    assert (q.value, q.unit, q.value_base) == (value, unit, base)


@pytest.mark.parametrize(
    "text",
    ["打好“521”工程收官战", "健全“13+6+1”招商机制", "省委X届X次全会", "2021年02月27日15:59", "力争进入全国百强",
     "第十三届", "第一批", "秸秆禁烧连续6年实现零火点", "两不愁三保障", "三项机制", "十七连丰", "4A级旅游景区",
     "PM2.5浓度", "连续5个多月", "千家万户", "亿元以上项目", "万众瞩目", "“乡村文明20条”", "推动15年基础教育"],
)
def test_not_records(text):
    assert [q.number_text for q in find_quantities(text) if is_record(q, text)] == []


@pytest.mark.parametrize(
    ("sentence", "comparator"),
    [
        ("到2025年，全市高新技术企业突破3000家。", ">="),
        ("城镇化率达到65%以上。", ">="),
        ("地区生产总值年均增长6.5%左右。", "~"),
        ("确保全年城镇登记失业率控制在3%以内。", "<="),
        ("常住人口城镇化率达到73%。", "="),
        ("参保缴费率不低于90%。", ">="),
        ("新增就业人数超过35万。", ">="),
        ("开展活动500余场。", ">="),
        ("预计全年实现财政收入12亿元，增长5%。", "~"),
        ("家庭医生签约10.3万人。", "="),
    ],
)
def test_comparators(sentence, comparator):
    assert one(sentence)["comparator"].iloc[0] == comparator


@pytest.mark.parametrize(
    ("sentence", "kind", "year"),
    [
        ("到2025年，全市高新技术企业突破3000家。", "target", 2025),
        ("力争“十四五”时期全县GDP增长8%以上。", "target", 2025),
        ("确保年内净增高新技术企业50家以上。", "target", 2021),
        ("今后五年，城乡居民人均可支配收入达到4万元。", "target", 2025),
        ("通过三年努力，国家高新技术企业突破120家。", "target", 2023),
        ("到2035年，地区生产总值在2025年基础上实现翻一番。", "target", 2035),
        ("上半年实现地区生产总值623.2亿元，增长3.2%。", "achieved", 2021),
        ("过去五年，累计新改扩建中小学1184所。", "achieved", 2020),
        ("2018年以来，累计改善农民住房条件1.3万户。", "achieved", 2021),
        ("“十三五”时期，高新技术企业数量达1000家。", "achieved", 2020),
    ],
)
def test_kind_and_year(sentence, kind, year):
    row = one(sentence).iloc[0]
    assert (row["kind"], row["year"]) == (kind, year)


def test_annual_review_published_in_january_reports_previous_year():
    row = one("这一年，新认定高新技术企业12家。", year=2020, date="2020-01-10").iloc[0]
    assert (row["kind"], row["year"]) == ("achieved", 2019)


def test_section_heading_sets_kind(tmp_path):
    text = ("一、“十三五”时期发展取得重大成就\n城镇化率达68%。\n二、“十四五”时期主要目标\n城镇化率达73%。\n")
    (tmp_path / "plan.txt").write_text(text, encoding="utf-8")
    (tmp_path / "manifest.csv").write_text("doc_id,year,date\nplan,2020,2020-12-28\n", encoding="utf-8")
    records = wb.extract_targets(wb.load_corpus(tmp_path))
    assert records[["value", "kind", "year"]].values.tolist() == [[68.0, "achieved", 2020], [73.0, "target", 2025]]


def test_masked_numbers():
    records = one("集装箱吞吐量X万标箱、增长XX%，完成投资XX亿元。")
    assert records["masked"].tolist() == [True, True, True]
    assert records["value"].isna().all() and records["value_base"].isna().all()
    assert records["unit"].tolist() == ["万标箱", "%", "亿元"]


def test_growth_inherits_indicator_and_quote():
    records = one("上半年实现地区生产总值623.2亿元，增长3.2%。")
    assert records["indicator"].tolist() == ["地区生产总值", "地区生产总值增长"]
    assert records["indicator_id"].tolist() == ["gdp", "gdp"]
    assert records["quote"].iloc[1] == "上半年实现地区生产总值623.2亿元，增长3.2%"


def test_range_gives_two_records():
    records = one("一般公共预算收入增长3%–5%。")
    assert records["value"].tolist() == [3.0, 5.0]


def test_traditional_quote_and_unit_as_written():
    records = one("確保新招引億元項目130個以上。")
    row = records.iloc[0]
    assert row["quote"] == "確保新招引億元項目130個以上" and row["unit"] == "個" and row["comparator"] == ">="


def test_user_lexicon_extends(tmp_path):
    lexicon = tmp_path / "lex.csv"
    lexicon.write_text("keyword,indicator_id\n快递业务量,services\n", encoding="utf-8")
    (tmp_path / "d.txt").write_text("快递业务量达到5亿件。", encoding="utf-8")
    corpus = wb.load_corpus(tmp_path / "d.txt")
    assert wb.extract_targets(corpus)["indicator_id"].iloc[0] == "other"
    assert wb.extract_targets(corpus, lexicon=lexicon)["indicator_id"].iloc[0] == "services"


def test_records_have_schema_fields_and_positions(seed_corpus):
    records = wb.extract_targets(seed_corpus)
    assert list(records.columns[: len(SCHEMA_FIELDS)]) == list(SCHEMA_FIELDS)
    docs = seed_corpus.documents.set_index("doc_id")
    for r in records.itertuples():
        assert r.quote in docs.loc[r.doc_id, "original"]
        text = docs.loc[r.doc_id, "text"]
        assert text[r.sentence_start:r.sentence_start + len(r.sentence_text)] == r.sentence_text
        number = text[r.start:r.end]
        assert number[0].isdigit() or number[0] in "X一二两三四五六七八九十百千万亿", number
    assert set(records["kind"]) == {"target", "achieved"}
    assert wb.extract_targets(seed_corpus, kind="target")["kind"].eq("target").all()
    with pytest.raises(ValueError, match="kind must be"):
        wb.extract_targets(seed_corpus, kind="planned")


def test_quality_bar_on_development_set(seed_corpus):
    from workbench.output import records as plain

    pred = plain(wb.extract_targets(seed_corpus)[list(SCHEMA_FIELDS)])
    scores = score_targets(read_jsonl(GOLD), pred)
    assert scores["f1"] >= 0.97
    assert scores["strict_f1"] >= 0.95
    assert scores["full_f1"] >= 0.85
    assert scores["masked_recall"] >= 0.90


def test_scorer_on_hand_made_case():
    gold = [{"doc_id": "a", "quote": "城镇化率达到65%", "value": 65, "unit": "%", "value_base": 65, "kind": "target",
             "comparator": "=", "indicator_id": "urbanization", "year": 2025, "masked": False},
            {"doc_id": "a", "quote": "增长XX%", "value": None, "unit": "%", "value_base": None, "kind": "target",
             "comparator": "=", "indicator_id": "gdp", "year": 2025, "masked": True}]
    pred = [dict(gold[0], quote="到2025年城镇化率达到65%", kind="achieved"),
            dict(gold[0], quote="完全不同的句子", value=3, value_base=3)]
    s = score_targets(gold, pred)
    assert (s["matched"], s["precision"], s["recall"]) == (1, 0.5, 1.0)
    assert s["strict_f1"] == 0.0 and s["masked_recall"] == 0.0


@settings(max_examples=120, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("0123456789.,%X万亿千百元个家年到力争确保增长达突破以上左右，。、一二三四五“”")) | st.characters(blacklist_categories=("Cs",)), max_size=80))
def test_random_text_never_fails(text):
    from workbench.targets import _Context, extract_from_paragraph

    for rec in extract_from_paragraph(text, _Context("d", 2021, 2021)):
        s, e = rec["quote_span"]
        assert text[s:e]  # the quote is a substring of the source
        number = text[rec["start"]:rec["end"]]
        assert number and (number[0].isdigit() or number[0] in "X零〇一二两三四五六七八九十百千万亿")
