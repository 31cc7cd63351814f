import pandas as pd
import pytest

import workbench as wb
from workbench.attainment import target_gap, target_met

from .test_compare import rec, table

CPI = {"indicator_id": "prices", "indicator_name": "居民消费价格（CPI）", "indicator": "居民消费价格涨幅"}
JOBLESS = {"indicator_id": "employment", "indicator_name": "城镇调查失业率", "indicator": "城镇调查失业率",
           "measure": "rate"}


@pytest.mark.parametrize("low, high, comparator, result, direction, gap, met", [
    (5, 5, "~", 5.2, "floor", 0.2, True),  # GDP growth: a floor
    (5, 5, "~", 4.9, "floor", -0.1, False),
    (3, 3, "~", 2.0, "ceiling", -1.0, True),  # CPI: a ceiling
    (3, 3, "~", 3.4, "ceiling", 0.4, False),
    (5, 5, "=", 5.0, "none", 0.0, None),  # no direction: met unknown
    (6, 6, ">=", 5.5, "ceiling", -0.5, False),  # the comparator decides over the direction
    (5.5, 5.5, "<=", 5.2, "floor", -0.3, True),
    (6, 6.5, "range", 6.2, "floor", 0.0, True),
    (6, 6.5, "range", 5.5, "floor", -0.5, False),
    (6, 6.5, "range", 6.9, "floor", 0.4, False),
    (6, 6, ">=", None, "floor", None, None),  # no result
])
def test_gap_and_met(low, high, comparator, result, direction, gap, met):
    result = float("nan") if result is None else result
    got = target_gap(low, high, comparator, result)
    assert (pd.isna(got) if gap is None else got == pytest.approx(gap))
    assert target_met(low, high, comparator, result, direction) is met


def pair(target, result, **fields):
    """A target for 2021 in the plan section of the 2021 report, its result in the review of the 2022 report."""
    target_value, target_comparator = target
    return [rec("r2021", target_value, target_comparator, **fields),
            rec("r2022", result, "=", kind="achieved", role="review", doc_year=2022, **fields)]


@pytest.mark.parametrize("rows, expected", [
    (pair((6, ">="), 8.1), (6.0, 6.0, ">=", 8.1, 2.1, True)),
    (pair((5.5, "~"), 3.0), (5.5, 5.5, "~", 3.0, -2.5, False)),
    (pair((3, "~"), 0.9, **CPI), (3.0, 3.0, "~", 0.9, -2.1, True)),  # a ceiling met from below
    (pair((5.5, "~"), 5.1, **JOBLESS), (5.5, 5.5, "~", 5.1, -0.4, True)),
    ([rec("r2021", 6, ">=", quote="增长6%—6.5%"), rec("r2021", 6.5, "<=", quote="增长6%—6.5%"),
      rec("r2022", 6.6, "=", kind="achieved", role="review", doc_year=2022)], (6.0, 6.5, "range", 6.6, 0.1, False)),
])
def test_target_against_result(rows, expected):
    out = wb.attainment(table(*rows), indicator=rows[0]["indicator_id"], by="region")
    assert list(out.columns)[:12] == ["region", "year", "indicator_name", "measure", "target_low", "target_high",
                                      "comparator", "unit", "result", "gap", "met", "target_quote"]
    assert len(out) == 1
    row = out.iloc[0]
    assert (row.target_low, row.target_high, row.comparator, row.result) == expected[:4]
    assert row.gap == pytest.approx(expected[4]) and out["met"].tolist() == [expected[5]]
    assert (row.target_doc_id, row.result_doc_id) == ("r2021", "r2022")


def test_the_review_of_the_next_year_gives_the_result():
    rows = [rec("r2021", 6, ">="),
            rec("r2021", 7.9, "=", kind="achieved", role="plan", paragraph=9),  # an estimate in the plan
            rec("r2022", 8.1, "=", kind="achieved", role="review", doc_year=2022, paragraph=4)]
    row = wb.attainment(table(*rows), indicator="gdp").iloc[0]
    assert (row.result, row.result_doc_id) == (8.1, "r2022")


def test_period_average_never_stands_in_for_an_annual_value():
    rows = [rec("r2021", 6, "~", year=2025, indicator="地区生产总值年均增长"),
            rec("r2026", 5.9, "=", year=2025, kind="achieved", role="review", doc_year=2026),
            rec("r2021", 5, "~", year=2025, paragraph=3),
            rec("r2026", 5.4, "=", year=2025, kind="achieved", role="review", doc_year=2026,
                indicator="地区生产总值五年年均增长", paragraph=2)]
    out = wb.attainment(table(*rows), indicator="gdp").set_index("indicator_name")
    assert out.loc["生产总值（GDP）（年均）", "result"] == 5.4
    assert out.loc["生产总值（GDP）", "result"] == 5.9


def test_no_result_in_another_unit_or_group_or_year():
    rows = [rec("r2021", 1, "=", year=2035, unit="番", indicator="地区生产总值翻"),
            rec("r2036", 8, "=", year=2035, kind="achieved", role="review", doc_year=2036),
            rec("r2021", 6, ">=", region="甲市"),
            rec("r2022", 8.1, "=", kind="achieved", role="review", doc_year=2022, region="乙市"),
            rec("r2022", 7.0, "=", year=2022, kind="achieved", role="review", doc_year=2022, region="甲市")]
    out = wb.attainment(table(*rows), indicator="gdp")
    assert out["result"].isna().all() and out["met"].isna().all() and len(out) == 2


def test_by_document_is_refused():
    with pytest.raises(ValueError, match="links nothing"):
        wb.attainment(table(*pair((6, ">="), 8.1)), indicator="gdp", by="doc_id")


@pytest.fixture(scope="module")
def national():
    corpus = wb.load_corpus(dataset="national")
    return corpus, wb.extract_targets(corpus)


# The annual GDP growth targets as the reports' plan sections state them.
NATIONAL_TARGETS = {2005: "≈8%", 2012: "7.5%", 2014: "≈7.5%", 2016: "6.5%–7%", 2019: "6%–6.5%", 2021: "≥6%",
                    2022: "≈5.5%", 2023: "≈5%", 2024: "≈5%", 2025: "≈5%"}


def test_national_gdp_targets(national):
    corpus, records = national
    table = wb.compare_targets(records, corpus, by="region", indicator="gdp", measure="growth")
    annual = table[table["indicator_name"] == "生产总值（GDP）"].set_index("year")
    assert {y: annual.loc[y, "display"] for y in NATIONAL_TARGETS} == NATIONAL_TARGETS
    assert set(annual.loc[list(NATIONAL_TARGETS), "doc_id"]) == {f"gwr{y}" for y in NATIONAL_TARGETS}
    out = wb.attainment(records, corpus, indicator="gdp", measure="growth")
    assert set(out["region"]) == {"全国"}
    linked = out.dropna(subset=["result"])
    assert len(linked) >= 10 and linked["gap"].notna().all() and linked["met"].notna().all()
    assert (out.merge(table, on=["region", "indicator_name", "year"])["target_quote"]
            == out.merge(table, on=["region", "indicator_name", "year"])["quote"]).all()


def test_attainment_chart_and_cli(national, capsys, tmp_path):
    import matplotlib

    matplotlib.use("Agg")
    corpus, records = national
    out = wb.attainment(records, corpus, indicator="gdp", measure="growth")
    fig = wb.plot_attainment(out[out["year"].between(2005, 2025)])
    titles = [a.get_title() for a in fig.axes]
    assert titles[0] == "全国 · 生产总值（GDP）"
    assert fig.axes[0].get_legend() is not None
    from workbench.cli import main
    from workbench.resources import dataset_path

    path = dataset_path("national")
    target = tmp_path / "a.csv"
    assert main(["attainment", str(path), "--indicator", "gdp", "--measure", "growth", "--out", str(target)]) == 0
    written = pd.read_csv(target)
    assert list(written.columns[:11]) == ["region", "year", "indicator_name", "measure", "target_low", "target_high",
                                          "comparator", "unit", "result", "gap", "met"]
    assert len(written) == len(out)
