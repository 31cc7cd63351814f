"""The tokens column: ids into one vocabulary, read as Python lists, from any column of token lists."""
import numpy as np
import pandas as pd
import pyarrow as pa
import pytest

import workbench as wb
from workbench import token_column

ROWS = [["推动", "高质量", "发展"], [], ["发展"], ["\n", "发展", "長三角", "推动"], ["x"] * 5]


def _arrow_lists(rows):
    return pd.Series(pd.arrays.ArrowExtensionArray(pa.array(rows, pa.list_(pa.string()))))


@pytest.mark.parametrize("make", [
    token_column.from_lists,
    lambda rows: pd.Series(rows, dtype=object),  # a table made by hand
    lambda rows: [tuple(r) for r in rows],
    _arrow_lists,  # Arrow lists of strings
    lambda rows: pd.concat([pd.Series(token_column.from_lists(rows[:2])),  # two vocabularies, as pd.concat makes
                            pd.Series(token_column.from_lists(rows[2:]))], ignore_index=True),
    lambda rows: pd.Series(token_column.from_lists([["前"], *rows, ["后"]])).iloc[1:-1],  # a slice
])
def test_parts_of_any_column_give_the_same_rows(make):
    p = token_column.parts(make(ROWS))
    assert p.ids.dtype == np.int32 and p.offsets.dtype == np.int64 and p.offsets[0] == 0
    assert [p.vocabulary[p.ids[a:b]].tolist() for a, b in zip(p.offsets[:-1], p.offsets[1:])] == ROWS
    assert token_column.lists(make(ROWS)) == ROWS
    assert pd.Series(token_column.from_parts(p.dictionary, p.ids, p.offsets)).tolist() == ROWS


def test_the_column_reads_as_python_lists():
    column = pd.Series(token_column.from_lists(ROWS))
    assert column.dtype == token_column.DTYPE
    assert column.tolist() == ROWS and list(column) == ROWS and column.iloc[3] == ROWS[3]
    assert column.map(len).tolist() == [3, 0, 1, 4, 5]
    assert column.explode().dropna().tolist() == [t for row in ROWS for t in row]
    assert token_column.parts(column).dictionary.to_pylist() == ["推动", "高质量", "发展", "\n", "長三角", "x"]


def test_lists_share_one_object_per_distinct_token(monkeypatch):
    monkeypatch.setattr(token_column, "_BLOCK", 2)  # several blocks
    rows = token_column.lists(token_column.from_lists([["".join(["发", "展"])], ["发展", "发展"], [], ["发展"]]))
    tokens = [t for row in rows for t in row]
    assert len(tokens) == 4 and all(t is tokens[0] for t in tokens)


@pytest.mark.parametrize("values, problem", [
    (pd.Series([["a"], "ab"], dtype=object), "row 1 of the tokens column is a str"),
    (pd.Series([["a"], 3], dtype=object), "row 1 of the tokens column is a int"),
    (pd.Series(["ab", "c"]), "holds lists of tokens, not large_string"),
    (pd.Series(pd.arrays.ArrowExtensionArray(pa.array(["ab"]))), "holds lists of tokens, not string"),
    (_arrow_lists([["a", None]]), "a missing token"),
])
def test_what_is_not_a_column_of_token_lists_is_a_clear_error(values, problem):
    with pytest.raises(ValueError, match=problem):
        token_column.parts(values)


def test_tokens_must_be_strings():
    with pytest.raises(TypeError, match="tokens must be strings"):
        token_column.parts(pd.Series([["a", 3]], dtype=object))


def test_missing_rows_count_as_no_tokens():
    assert token_column.lists(pd.Series([["a"], None, np.nan], dtype=object)) == [["a"], [], []]
    assert token_column.lists(_arrow_lists([["a"], None, ["b"]])) == [["a"], [], ["b"]]


@pytest.mark.parametrize("ids, offsets, problem", [
    ([0, 2], [0, 2], "outside the vocabulary"),
    ([0, -1], [0, 2], "outside the vocabulary"),
    ([0, 1], [0, 1], "end at the number of tokens"),
    ([0, 1], [1, 2], "start at 0"),
    ([0, 1], [0, 2, 1, 2], "never decrease"),
])
def test_from_parts_checks_its_arrays(ids, offsets, problem):
    with pytest.raises(ValueError, match=problem):
        token_column.from_parts(["a", "b"], np.array(ids), np.array(offsets))


@pytest.mark.parametrize("keep, expected", [
    (lambda t: t != "发展", [["推动", "高质量"], [], [], ["\n", "長三角", "推动"], ["x"] * 5]),
    (lambda t: False, [[]] * 5),
    (lambda t: True, ROWS),
])
def test_kept_drops_tokens_and_keeps_only_used_vocabulary(keep, expected):
    column = token_column.kept(token_column.from_lists(ROWS), keep)
    assert pd.Series(column).tolist() == expected
    assert sorted(token_column.parts(column).dictionary.to_pylist()) == sorted({t for row in expected for t in row})


@pytest.mark.parametrize("unit", [
    [0, 0, 1, 1, 2],
    [2, 1, 0, 1, 2],  # units apart and out of order
    [-1, 0, -1, 0, 1],  # rows left out
    [-1, -1, -1, -1, -1],
])
def test_joined_concatenates_rows_per_unit_in_row_order(unit):
    unit = np.array(unit)
    expected = [[t for row, u in zip(ROWS, unit) if u == k for t in row] for k in range(unit.max() + 1)]
    assert pd.Series(token_column.joined(token_column.from_lists(ROWS), unit)).tolist() == expected


def test_segment_corpus_gives_the_column_and_rankings_read_it(seed_corpus):
    tokens = wb.segment_corpus(seed_corpus, stopwords="general")
    assert tokens["tokens"].dtype == token_column.DTYPE
    # a hand-made table of Python lists (what tokens.tolist() gives) ranks the same
    plain = tokens.assign(tokens=pd.Series(tokens["tokens"].tolist(), index=tokens.index, dtype=object))
    pd.testing.assert_frame_equal(wb.tfidf_keywords(seed_corpus, tokens=plain, idf_unit="paragraph"),
                                  wb.tfidf_keywords(seed_corpus, tokens=tokens, idf_unit="paragraph"))


def test_numbering_shared_by_threads_gives_each_token_one_id():
    from concurrent.futures import ThreadPoolExecutor

    words = [f"词{i % 5000}" for i in range(200_000)]
    numbering = token_column.Numbering()
    with ThreadPoolExecutor(4) as pool:
        ids = list(pool.map(lambda k: numbering.ids(words[k::4]), range(4)))
    assert len(numbering.tokens) == len(set(numbering.tokens)) == 5000
    for k in range(4):
        assert [numbering.tokens[i] for i in ids[k]] == words[k::4]


def test_alphabetical_renumbers_in_place():
    ids = np.array([2, 0, 1, 2], dtype=np.int32)
    tokens, same = token_column.alphabetical(["改革", "发展", "创新"], ids)
    assert tokens == ["创新", "发展", "改革"] and same is ids
    assert [tokens[i] for i in ids] == ["创新", "改革", "发展", "创新"]
