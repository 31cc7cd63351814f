import json

import pandas as pd
import pytest

import workbench as wb


@pytest.fixture(scope="module")
def records(seed_corpus):
    return wb.extract_targets(seed_corpus)


def test_compare_table_sorted_by_coverage(records, seed_corpus):
    table = wb.compare_targets(records, seed_corpus, by="region", kind="target")
    assert table["columns_covered"].is_monotonic_decreasing
    assert "徐州市" in table.columns
    gdp = table.set_index("indicator_id").loc["gdp", "徐州市"]
    assert "≈6.5%（2025）" in gdp and "≥1万亿元（2025）" in gdp
    with pytest.raises(ValueError, match="needs the corpus"):
        wb.compare_targets(records, by="region")


def test_filters(records):
    only = wb.filter_targets(records, kind="achieved", year=2019, indicator="income")
    assert len(only) == 2 and set(only["doc_id"]) == {"004_0471c23c1b65a733"}
    assert records.equals(records.copy())  # input untouched


def test_coverage_counts(records):
    cov = wb.coverage(records)
    assert cov.to_numpy().sum() == len(records)
    assert cov.loc["gdp", "003_75a5bbd56f8ce010"] >= 5


def test_charts(records, seed_corpus):
    import matplotlib

    matplotlib.use("Agg")
    fig = wb.plot_indicator(records, "gdp", seed_corpus, kind="target")
    assert len(fig.axes[0].patches) >= 2
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
    assert main(["compare", "--by", "region", "--indicator", "gdp", "--format", "json"]) == 0
    table = json.loads(capsys.readouterr().out)
    assert [r["indicator_id"] for r in table] == ["gdp"]


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
