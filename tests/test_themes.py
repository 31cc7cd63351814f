"""Theme coverage by dictionary: known answers on a tiny text, checks of the shipped dictionary."""
import pandas as pd
import pytest

import workbench as wb

TEXT = "坚持生态优先，推进城市建设，加强科技创新能力，生态就是生产力。"
THEMES = {"eco": ["生态优先", "生态"], "urban": ["城市建设"], "tech": ["科技"]}


@pytest.fixture
def one(tmp_path):
    (tmp_path / "plan.txt").write_text(TEXT, encoding="utf-8")
    return wb.load_corpus(tmp_path)


def test_tokens_of_the_text():
    # the expectations below rest on this segmentation
    assert wb.segment_text(TEXT) == ["坚持", "生态", "优先", "推进", "城市", "建设", "加强", "科技", "创新能力",
                                     "生态", "就是", "生产力"]


def test_coverage_and_matches_known_answer(one):
    coverage = wb.theme_coverage(one, themes=THEMES).set_index("theme")
    assert coverage["tokens"].unique().tolist() == [12]
    # 生态优先 covers two tokens and is matched before 生态; the second 生态 stands alone
    assert coverage.loc["eco", "count"] == 3 and coverage.loc["eco", "share"] == pytest.approx(3 / 12)
    assert coverage.loc["urban", "count"] == 2 and coverage.loc["tech", "count"] == 1
    matches = wb.theme_matches(one, themes=THEMES)
    assert set(zip(matches["term"], matches["count"])) == {("生态优先", 1), ("生态", 1), ("城市建设", 1), ("科技", 1)}


def test_every_theme_for_every_group(one):
    coverage = wb.theme_coverage(one, themes={**THEMES, "empty": ["不存在的词"]})
    assert len(coverage) == 4 and coverage.set_index("theme").loc["empty", "share"] == 0


def test_shipped_dictionary_and_seeds(seed_corpus):
    themes = wb.load_themes()
    assert themes["theme"].nunique() == 11 and not themes["term"].duplicated().any()
    coverage = wb.theme_coverage(seed_corpus)
    assert len(coverage) == 5 * 11
    assert (coverage.groupby("doc_id")["share"].sum() < 1).all()
    grid = wb.theme_table(coverage)
    assert grid.loc["生态环保"].idxmax() == "003_75a5bbd56f8ce010"  # 徐州's plan spends most on ecology
    matches = wb.theme_matches(seed_corpus)
    total = matches.groupby(["doc_id", "theme"])["count"].sum()
    assert total.sum() > 0 and (matches["count"] > 0).all()
    by_region = wb.theme_coverage(seed_corpus, by="region")
    assert set(by_region["region"]) == set(seed_corpus.documents["region"].dropna())  # no region: left out


def test_user_dictionaries(tmp_path, one):
    path = tmp_path / "mine.csv"
    path.write_text("# my themes\ntheme,term\neco,生态\nurban,城市\n", encoding="utf-8")
    themes = wb.load_themes(path)
    assert themes["label"].tolist() == ["eco", "urban"]
    assert wb.theme_coverage(one, themes=path).set_index("theme").loc["eco", "count"] == 2
    both = wb.load_themes(pd.concat([wb.load_themes(), wb.load_themes({"extra": ["自贸区"]})]))
    assert both["theme"].nunique() == 12


@pytest.mark.parametrize("source, message", [
    ({"a": ["生态"], "b": ["生态"]}, "listed under several themes"),
    (pd.DataFrame({"name": ["x"]}), "needs columns theme and term"),
    ("missing.csv", "does not exist"),
])
def test_bad_dictionaries(source, message):
    with pytest.raises(ValueError, match=message):
        wb.load_themes(source)
