"""Segmentation's token lists: ids into one vocabulary (each distinct token stored once), white
space and punctuation dropped as the text is cut, the cache keyed by what it holds, and cheap roll-ups."""
import pandas as pd
import pytest

import workbench as wb
from workbench import segment, token_column

from .conftest import spy_step


def _one_vocabulary(column: pd.Series) -> bool:
    """A token column of one chunk whose vocabulary holds each token once."""
    vocabulary = token_column.parts(column).dictionary.to_pylist()
    return (column.dtype == token_column.DTYPE and column.array._pa_array.num_chunks == 1
            and len(set(vocabulary)) == len(vocabulary))


@pytest.mark.parametrize("engine, backend", [(None, "auto"), ("processes", "auto"), ("processes", "jieba")])
def test_equal_tokens_are_one_object(seed_corpus, engine, backend, tmp_path, monkeypatch):
    """Also for token lists sent back by a pool's processes (jieba, which holds the GIL, is cut there)."""
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    cold = wb.segment_corpus(seed_corpus, engine=engine, workers=2, backend=backend)
    warm = wb.segment_corpus(seed_corpus, backend=backend)  # read back from the cache
    assert cold["tokens"].map(len).sum() > 15_000
    assert cold["tokens"].tolist() == warm["tokens"].tolist()
    assert _one_vocabulary(cold["tokens"]) and _one_vocabulary(warm["tokens"])


def test_tokens_stay_one_object_when_cache_and_new_documents_mix(seed_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    wb.segment_corpus(seed_corpus.subset(seed_corpus.doc_ids[:2]))
    calls = []
    spy_step(monkeypatch, segment, "TOKENS_STEP", calls, lambda item, **options: item[0][:10])
    mixed = wb.segment_corpus(seed_corpus)
    assert len(calls) == len(seed_corpus) - 2  # two documents came from the cache
    assert _one_vocabulary(mixed["tokens"])
    assert mixed["tokens"].tolist() == wb.segment_corpus(seed_corpus, cache=False)["tokens"].tolist()


SENTENCES = [
    "推动长三角一体化高质量发展，加快构建新发展格局。",
    "全年 GDP 增长 5.2%\u3000居民收入\t稳步提高",  # spaces, an ideographic space, a tab
    "第一行\n第二行：“双循环”",  # a line break inside a sentence: cut one by one
    "",
    "   ",
]


@pytest.mark.parametrize("drop_punctuation", [True, False])
@pytest.mark.parametrize("stopwords", [None, "general", ("general", "policy")])
@pytest.mark.parametrize("backend", ["jieba", "auto"])
def test_sentences_cut_together_equal_sentences_cut_alone(drop_punctuation, stopwords, backend):
    options = dict(drop_punctuation=drop_punctuation, stopwords=stopwords, backend=backend)
    together = wb.segment_sentences(SENTENCES, **options)
    assert together == [wb.segment_text(s, **options) for s in SENTENCES]
    assert not any(t.isspace() for ts in together for t in ts)
    if stopwords is None:  # the general list has punctuation of its own
        assert ("，" in together[0]) is not drop_punctuation
    assert together[3] == together[4] == []


def test_drop_punctuation_is_part_of_the_cache_key(seed_corpus, tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    without = wb.segment_corpus(seed_corpus)
    calls = []
    spy_step(monkeypatch, segment, "TOKENS_STEP", calls)
    with_punctuation = wb.segment_corpus(seed_corpus, drop_punctuation=False)
    assert len(calls) == len(seed_corpus)  # cut again: the cache holds tokens without punctuation
    assert "。" in with_punctuation["tokens"].explode().tolist()
    assert "。" not in without["tokens"].explode().tolist()
    calls.clear()
    fewer = wb.segment_corpus(seed_corpus, stopwords="general")
    assert fewer["tokens"].map(len).sum() < without["tokens"].map(len).sum()
    again = wb.segment_corpus(seed_corpus, drop_punctuation=False)
    assert again["tokens"].tolist() == with_punctuation["tokens"].tolist()
    assert calls == []  # stopwords apply after the cache; each punctuation setting has its own file


def _grouped(tokens: pd.DataFrame, keys: list[str]) -> pd.DataFrame:
    """tokens_by's result written the plain way (pandas groupby over Python lists)."""
    plain = tokens.assign(tokens=pd.Series(tokens["tokens"].tolist(), index=tokens.index, dtype=object))
    return plain.groupby(keys, sort=False)["tokens"].agg(lambda lists: [t for ts in lists for t in ts]).reset_index()


@pytest.mark.parametrize("rows", ["all", "shuffled", "a slice", "missing doc_id", "none"])
@pytest.mark.parametrize("unit, keys", [("document", ["doc_id"]), ("paragraph", ["doc_id", "paragraph"])])
def test_tokens_by_equals_groupby(seed_corpus, rows, unit, keys):
    tokens = wb.segment_corpus(seed_corpus)
    tokens = {"all": tokens, "shuffled": tokens.sample(frac=1, random_state=0), "a slice": tokens.iloc[150:400],
              "missing doc_id": tokens.assign(doc_id=tokens["doc_id"].where(tokens.index % 5 != 0)),
              "none": tokens.iloc[:0]}[rows]
    result = wb.tokens_by(tokens, unit)
    assert _one_vocabulary(result["tokens"])
    pd.testing.assert_frame_equal(result.assign(tokens=pd.Series(result["tokens"].tolist(), dtype=object)),
                                  _grouped(tokens, keys))


@pytest.mark.parametrize("token, expected", [
    ("，", True), ("……", True), ("“”", True), ("%", True), ("\u3000", True), ("+-", True), ("①", False),
    ("〇", False), ("Ⅻ", False), ("高质量发展", False), ("GDP", False), ("2025", False), ("5.2%", False),
    ("", True),
])
def test_is_punctuation(token, expected):
    """Letters and digits of any script are words; only tokens made wholly of punctuation, symbols or spaces are not."""
    import unicodedata

    assert segment.is_punctuation(token) is expected
    assert expected is all(unicodedata.category(ch)[0] in "PSZ" or ch.isspace() for ch in token)
