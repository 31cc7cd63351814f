"""TF-IDF tables in the cache: read back only for the same token content, groups, settings and stopwords."""
from __future__ import annotations

import logging

import pandas as pd
import pytest

import workbench as wb
from workbench import keyword_cache, keywords


@pytest.fixture
def cache_dir(tmp_path, monkeypatch):
    folder = tmp_path / "cache"
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(folder))
    return folder


@pytest.fixture(scope="module")
def seed_tokens(seed_corpus):
    return wb.segment_corpus(seed_corpus, progress=False)


def _not_computed(monkeypatch):
    def fail(*args, **kwargs):
        raise AssertionError("computed, not read back from the cache")

    monkeypatch.setattr(keywords, "_tfidf_table", fail)


SETTINGS = [{}, {"by": "year"}, {"by": "doc_type", "top": None}, {"idf_unit": "paragraph", "ngram": 2},
            {"idf_unit": "paragraph", "engine": "local"}, {"vocabulary": "hashing", "sublinear_tf": True}]


@pytest.mark.parametrize("options", SETTINGS, ids=lambda o: ",".join(f"{k}={v}" for k, v in o.items()) or "default")
def test_second_call_reads_back_the_computed_table(seed_corpus, seed_tokens, cache_dir, monkeypatch, options):
    computed = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens, cache=False, **options)
    first = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens, **options)
    assert len(list((cache_dir / keyword_cache.KIND).glob("*.npz"))) == 1
    _not_computed(monkeypatch)
    again = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens.copy(), **options)  # the same content, another frame
    pd.testing.assert_frame_equal(first, computed, check_exact=True)
    pd.testing.assert_frame_equal(again, computed, check_exact=True)


@pytest.mark.parametrize("form", ["arrow", "python lists"])
def test_other_token_content_is_computed_again(seed_corpus, seed_tokens, cache_dir, form):
    before = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens)
    top_term = before["term"].iloc[0]
    lists = [[t for t in row if t != top_term] for row in seed_tokens["tokens"].tolist()]
    edited = seed_tokens.assign(tokens=wb.token_column.from_lists(lists) if form == "arrow" else lists)
    after = wb.tfidf_keywords(seed_corpus, tokens=edited)
    assert len(list((cache_dir / keyword_cache.KIND).glob("*.npz"))) == 2  # (kept: its key was made)
    assert top_term not in set(after["term"])
    pd.testing.assert_frame_equal(after, wb.tfidf_keywords(seed_corpus, tokens=edited, cache=False), check_exact=True)
    fewer = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens.iloc[:-40], idf_unit="paragraph")  # rows dropped
    pd.testing.assert_frame_equal(fewer, wb.tfidf_keywords(seed_corpus, tokens=seed_tokens.iloc[:-40],
                                                           idf_unit="paragraph", cache=False), check_exact=True)


def test_other_groups_are_computed_again(seed_corpus, seed_tokens, cache_dir):
    before = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens, by="year")
    documents = seed_corpus.documents.copy()
    moved_from = documents["year"].iloc[0]
    documents.loc[documents.index[0], "year"] = 2021  # the same years, one document in the other one
    moved = wb.Corpus(documents, seed_corpus.paragraphs, seed_corpus.sentences, dict(seed_corpus.settings))
    after = wb.tfidf_keywords(moved, tokens=seed_tokens, by="year")
    assert moved_from != 2021 and set(after["year"]) == set(before["year"])
    assert not after.equals(before)
    pd.testing.assert_frame_equal(after, wb.tfidf_keywords(moved, tokens=seed_tokens, by="year", cache=False),
                                  check_exact=True)


def test_stopword_file_edited_in_place_is_read_again(seed_corpus, seed_tokens, cache_dir, tmp_path):
    words = tmp_path / "stop.txt"
    words.write_text("的\n", encoding="utf-8")
    before = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens, stopwords=words)
    top_term = before["term"].iloc[0]
    words.write_text(f"的\n{top_term}\n", encoding="utf-8")
    after = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens, stopwords=words)
    assert top_term not in set(after["term"])
    pd.testing.assert_frame_equal(after, wb.tfidf_keywords(seed_corpus, tokens=seed_tokens, stopwords=words,
                                                           cache=False), check_exact=True)


def test_a_file_that_does_not_fit_is_recomputed(seed_corpus, seed_tokens, cache_dir, caplog):
    from workbench import frame_cache

    computed = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens, cache=False)
    wb.tfidf_keywords(seed_corpus, tokens=seed_tokens)
    (path,) = (cache_dir / keyword_cache.KIND).glob("*.npz")
    frames = frame_cache.read(keyword_cache.KIND, path.stem)
    frames["groups"]["group"] += 100  # valid file, groups that do not exist
    frame_cache.write(keyword_cache.KIND, path.stem, frames)
    with caplog.at_level(logging.WARNING, logger="workbench"):
        again = wb.tfidf_keywords(seed_corpus, tokens=seed_tokens)
    assert "does not fit its table" in caplog.text
    pd.testing.assert_frame_equal(again, computed, check_exact=True)
    path.write_bytes(b"PK\x03\x04 damaged")
    with caplog.at_level(logging.WARNING, logger="workbench"):
        pd.testing.assert_frame_equal(wb.tfidf_keywords(seed_corpus, tokens=seed_tokens), computed, check_exact=True)
    assert "unreadable cache file" in caplog.text


def test_nothing_is_written_with_cache_off(seed_corpus, seed_tokens, cache_dir):
    wb.tfidf_keywords(seed_corpus, tokens=seed_tokens, cache=False)
    assert not (cache_dir / keyword_cache.KIND).exists()
