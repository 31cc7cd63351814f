import json

import pandas as pd
import pytest

import workbench as wb
from workbench.compare import canonical_indicator, format_value, group_column

GDP = {"indicator_id": "gdp", "indicator_name": "生产总值（GDP）", "measure": "growth", "unit": "%"}


def rec(doc, value, comparator="~", year=2021, *, kind="target", role="plan", doc_year=None, region="甲市",
        indicator="地区生产总值增长", quote=None, masked=False, paragraph=1, **fields):
    """One record as extract_targets gives it, plus the section role and document year of its paragraph."""
    row = {"doc_id": doc, "region": region, "indicator": indicator, **GDP, "value": value, "comparator": comparator,
           "year": year, "kind": kind, "masked": masked, "section_role": role,
           "doc_year": year if doc_year is None else doc_year, "paragraph": paragraph,
           "quote": quote or f"{indicator}{value}%"}
    row.update(fields)
    if masked:
        row["value"] = None
    return row


def table(*rows):
    return pd.DataFrame(list(rows)).astype({"value": "float64", "year": "Int64"})


@pytest.fixture(scope="module")
def records(seed_corpus):
    return wb.extract_targets(seed_corpus)


CELLS = [
    pytest.param([rec("r2021", 2.3, "=", role="review", paragraph=3), rec("r2021", 6, ">=", paragraph=40),
                  rec("r2020", 6.5, "~", role="next_plan", doc_year=2020)],
                 (6.0, 6.0, ">=", "≥6%", "r2021", 3), id="plan-section-of-that-year-wins"),
    pytest.param([rec("r2021", 5, ">=", quote="增长5%—5.5%"), rec("r2021", 5.5, "<=", quote="增长5%—5.5%")],
                 (5.0, 5.5, "range", "5%–5.5%", "r2021", 1), id="range-is-one-competitor"),
    pytest.param([rec("r2021", None, ">=", masked=True, paragraph=1), rec("r2021", 6, "~", paragraph=9)],
                 (6.0, 6.0, "~", "≈6%", "r2021", 2), id="written-number-beats-masked"),
    pytest.param([rec("r2021", None, ">=", masked=True)], (None, None, ">=", "≥XX%", "r2021", 1), id="only-masked"),
    pytest.param([rec("r2022", 6, "=", role="review", doc_year=2022), rec("r2021", 6.5, "=", paragraph=2),
                  rec("r2021", 7, "=", paragraph=1)],
                 (7.0, 7.0, "=", "7%", "r2021", 3), id="first-stated-breaks-ties"),
    pytest.param([rec("p2025", 5.2, "=", role="review", doc_year=2025),
                  rec("p2020", 6, ">=", role="next_plan", doc_year=2020)],
                 (6.0, 6.0, ">=", "≥6%", "p2020", 2), id="a-plan-section-beats-a-review-of-that-year"),
]


@pytest.mark.parametrize("rows, expected", CELLS)
def test_one_value_per_cell(rows, expected):
    data = table(*rows)
    before = data.copy()
    out = wb.compare_targets(data, by="region", indicator="gdp", measure="growth", year=2021)
    assert list(out.columns) == ["region", "indicator_id", "indicator_name", "measure", "year", "value_low",
                                 "value_high", "comparator", "unit", "display", "doc_id", "quote", "n_records"]
    assert len(out) == 1
    row = out.iloc[0]
    got = (None if pd.isna(row.value_low) else row.value_low, None if pd.isna(row.value_high) else row.value_high,
           row.comparator, row.display, row.doc_id, row.n_records)
    assert got == expected
    assert data.equals(before)  # input untouched
    competitors = wb.competing_targets(data, by="region", indicator="gdp", year=2021)
    assert len(competitors) == expected[-1] and list(competitors["rank"]) == list(range(1, expected[-1] + 1))
    assert competitors.iloc[0]["display"] == expected[3]


@pytest.mark.parametrize("low, high, comparator, unit, masked, shown", [
    (5, 5, "~", "%", False, "≈5%"),
    (5, 5, ">=", "%", False, "≥5%"),
    (3, 3, "<=", "%", False, "≤3%"),
    (5, 5.5, "range", "%", False, "5%–5.5%"),
    (4500, 4500, "=", "亿元", False, "4500亿元"),
    (None, None, "~", "%", True, "≈XX%"),
])
def test_display(low, high, comparator, unit, masked, shown):
    assert format_value(low, high, comparator, unit, masked) == shown


@pytest.mark.parametrize("indicator, year, unit, suffix", [
    ("国内生产总值增长", 2021, "%", ""),
    ("国内生产总值年均增长", 2025, "%", "（年均）"),
    ("国内生产总值五年年均增长", 2023, "%", "（年均）"),
    ("国内生产总值比2002年增长", 2007, "%", "（累计）"),
    ("工业生产总值比1954年增长了", 1955, "%", ""),  # the year before: an annual change
    ("工业生产总值比１９５４年增长了", 1955, "%", ""),  # full-width digits as written
    ("地区生产总值在2025年基础上实现", 2035, "番", "（累计）"),
    ("城镇累计新增就业人数", 2025, "万人", "（累计）"),
])
def test_period_averages_and_cumulative_changes_are_their_own_indicator(indicator, year, unit, suffix):
    assert canonical_indicator(indicator, "生产总值（GDP）", year, unit) == f"生产总值（GDP）{suffix}"


def test_period_average_never_stands_in_for_the_annual_value():
    data = table(rec("r2021", 6.5, "~", indicator="地区生产总值年均增长"), rec("r2021", 6, ">=", paragraph=2))
    out = wb.compare_targets(data, by="region", year=2021)
    assert dict(zip(out["indicator_name"], out["display"])) == {"生产总值（GDP）": "≥6%", "生产总值（GDP）（年均）": "≈6.5%"}
    assert set(out["n_records"]) == {1}


def test_wide_groups_in_rows_indicators_in_columns():
    data = table(rec("a", 6, ">=", region="甲市"), rec("b", 5, "~", region="乙市"),
                 rec("b", 7, "~", region="乙市", indicator="地区生产总值年均增长", paragraph=2))
    wide = wb.compare_targets(data, by="region", year=2021, wide=True)
    assert list(wide.columns) == ["region", "生产总值（GDP）", "生产总值（GDP）（年均）"]
    assert wide.set_index("region").to_dict("index") == {
        "乙市": {"生产总值（GDP）": "≈5%", "生产总值（GDP）（年均）": "≈7%"},
        "甲市": {"生产总值（GDP）": "≥6%", "生产总值（GDP）（年均）": ""}}
    two_years = table(rec("a", 6, ">=", region="甲市"), rec("a", 5, "~", year=2022, region="甲市"))
    assert list(wb.compare_targets(two_years, by="region", wide=True).columns) == [
        "region", "生产总值（GDP） 2021", "生产总值（GDP） 2022"]


def test_groups_from_the_corpus(records, seed_corpus):
    out = wb.compare_targets(records, seed_corpus, by="region", indicator="gdp", year=2025)
    cells = {(r.region, r.indicator_name, r.measure): r.display for r in out.itertuples()}
    assert cells[("徐州市", "生产总值（GDP）（年均）", "growth")] == "≈6.5%"
    assert cells[("徐州市", "生产总值（GDP）", "level")] == "≥1万亿元"
    assert cells[("宿迁市泗洪县", "生产总值（GDP）", "growth")] == "≥8%"
    assert out[["region", "indicator_name", "measure", "year"]].duplicated().sum() == 0
    by_year = wb.compare_targets(records, seed_corpus, by="year", indicator="gdp")
    assert by_year.columns[0] == "document_year" == group_column("year")
    assert set(by_year["document_year"]) <= set(seed_corpus.documents["year"].dropna().astype(int))
    decade = wb.compare_targets(records, seed_corpus, by="decade")
    assert set(decade["decade"]) == {"2020s"}


def test_roles_come_from_the_corpus_sections(records, seed_corpus):
    ranked = wb.competing_targets(records, seed_corpus, by="doc_id", indicator="gdp")
    assert ranked["section_role"].notna().any()
    assert (ranked.groupby(["doc_id", "indicator_name", "measure", "year"], dropna=False)["rank"].min() == 1).all()


@pytest.mark.parametrize("options, message, drop", [
    ({"by": "region"}, "needs the corpus", ["region"]),
    ({"by": "region", "kind": "plan"}, "kind must be", ["region"]),
    ({"by": "region"}, "lack the column.*masked", ["masked"]),
])
def test_bad_options(options, message, drop):
    data = table(rec("a", 6)).drop(columns=drop)
    with pytest.raises(ValueError, match=message):
        wb.compare_targets(data, **options)


def test_bad_grouping_names_the_choices(records, seed_corpus):
    with pytest.raises(ValueError, match="by must be one of .*plan_period"):
        wb.compare_targets(records, seed_corpus, by="nonsense")


def test_filters(records):
    only = wb.filter_targets(records, kind="achieved", year=2019, indicator="income")
    assert len(only) == 2 and set(only["doc_id"]) == {"004_0471c23c1b65a733"}
    assert set(wb.filter_targets(records, indicator="gdp", measure="level")["measure"]) == {"level"}
    by_key = wb.filter_targets(records, indicator="disposable_income")  # a catalogue key
    assert len(by_key) and set(by_key["indicator_name"]) == {"居民人均可支配收入"}


def test_coverage_counts(records):
    cov = wb.coverage(records)
    assert cov.to_numpy().sum() == len(records)
    assert cov.loc["gdp", "003_75a5bbd56f8ce010"] >= 5


def test_charts(records, seed_corpus):
    import matplotlib

    matplotlib.use("Agg")
    fig = wb.plot_indicator(records, "gdp", seed_corpus, by="region", year=2025)
    table = wb.compare_targets(records, seed_corpus, by="region", indicator="gdp", year=2025)
    assert len(fig.axes) == len(table.groupby(["indicator_name", "measure", "year", "unit"]))
    assert {t.get_text() for t in fig.axes[0].get_yticklabels()} <= set(table["region"])
    national = pd.concat([table, table.iloc[[0]].assign(region="全国", value_low=5.0, value_high=5.0,
                                                         comparator="~", display="≈5%")])
    fig = wb.plot_targets(national)
    panel = fig.axes[[a.get_title() for a in fig.axes].index("生产总值（GDP） · growth · 2025")]
    assert any(t.get_text() == "全国 ≈5%" for t in panel.texts)  # the reference line's label
    assert "全国" not in {t.get_text() for t in panel.get_yticklabels()}
    fig = wb.plot_coverage(records)
    assert fig.axes[0].get_images()
    with pytest.raises(ValueError, match="no unmasked"):
        wb.plot_indicator(records, "no_such_indicator")


def test_export_atomic_and_never_overwrites(records, tmp_path):
    path = wb.export_tables(records.drop(columns=["sentence_text"]), tmp_path / "r.csv")
    assert pd.read_csv(path).shape[0] == len(records)
    with pytest.raises(FileExistsError):
        wb.export_tables(records, path)
    wb.export_tables(records.head(2), path, overwrite=True)
    assert pd.read_csv(path).shape[0] == 2
    jl = wb.export_tables(records, tmp_path / "r.jsonl")
    assert len(jl.read_text(encoding="utf-8").splitlines()) == len(records)
    xl = wb.export_tables({"records": records, "coverage": wb.coverage(records).reset_index()}, tmp_path / "t.xlsx")
    assert set(pd.read_excel(xl, sheet_name=None)) == {"records", "coverage"}
    assert not list(tmp_path.glob(".*"))  # no temporary file left behind
    with pytest.raises(ValueError, match="one table"):
        wb.export_tables({"a": records, "b": records}, tmp_path / "two.csv")


def test_cli_targets_and_compare(capsys, tmp_path):
    from workbench.cli import main

    assert main(["targets", "--format", "jsonl", "--kind", "target"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert rows and all(r["kind"] == "target" for r in rows)
    assert list(rows[0]) == ["doc_id", "quote", "indicator", "indicator_id", "value", "unit", "value_base",
                             "comparator", "year", "kind", "masked", "measure", "indicator_name"]  # SCHEMA v2 order
    out = tmp_path / "t.xlsx"
    assert main(["targets", "--format", "xlsx", "--out", str(out)]) == 0
    assert main(["targets", "--format", "xlsx", "--out", str(out)]) == 2
    assert "exists" in capsys.readouterr().err
    assert main(["compare", "--by", "region", "--indicator", "gdp", "--measure", "growth", "--year", "2025",
                 "--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert {(r["region"], r["display"]) for r in table} == {("宿迁市泗洪县", "≥8%"), ("徐州市", "≈6.5%")}
    assert main(["compare", "--by", "region", "--indicator", "gdp", "--year", "2025", "--wide", "--format", "csv"]) == 0
    wide = capsys.readouterr().out.splitlines()
    assert wide[0].startswith("region,") and len(wide) == 3
    book = tmp_path / "c.xlsx"
    assert main(["compare", "--by", "region", "--out", str(book)]) == 0
    assert set(pd.read_excel(book, sheet_name=None)) == {"comparison", "records"}


def test_target_explorer_widget(records, seed_corpus):
    box = wb.widgets.target_explorer(records, seed_corpus)
    (doc, kind), (indicator, year) = box.children[0].children, box.children[1].children
    pick, sentence, table = box.children[2:]
    doc.value = "003_75a5bbd56f8ce010"
    kind.value = "target"
    n = len(wb.filter_targets(records, kind="target", doc_ids=["003_75a5bbd56f8ce010"]))
    assert len(pick.options) == n and f"{n} records" in table.value
    pick.value = 0
    assert "<mark>" in sentence.value
    indicator.value, year.value = "gdp", 2025
    gdp_2025 = wb.filter_targets(records, kind="target", year=2025, indicator="gdp", doc_ids=["003_75a5bbd56f8ce010"])
    assert len(pick.options) == len(gdp_2025) > 0 and "gdp" in table.value


def test_target_comparison_widget(records, seed_corpus):
    box = wb.widgets.target_comparison(records, seed_corpus)
    view, (indicator, measure, year), (by, group), status, image, (table,) = (
        box.children[0], box.children[1].children, box.children[2].children, *box.children[3:5],
        box.children[5].children)
    assert (indicator.value, measure.value, by.value) == ("gdp", "growth", "region")
    year.value = 2025
    assert "≥8%" in table.value and "≈6.5%" in table.value and bytes(image.value).startswith(b"\x89PNG")
    group.value = "徐州市"
    assert "≥8%" not in table.value and "≈6.5%" in table.value
    by.value = "doc_id"
    assert group.value == "(all)" and "003_75a5bbd56f8ce010" in group.options
    view.value = "attainment"
    assert "links nothing" in status.value and bytes(image.value) == b""
    by.value, view.value = "region", "attainment"
    assert "target_low" in table.value
