"""KWIC: contexts are exact substrings of the cleaned text."""
import pytest

import workbench as wb


def paragraph_text(corpus, doc_id, paragraph):
    paras = corpus.paragraphs
    return paras[(paras["doc_id"] == doc_id) & (paras["paragraph"] == paragraph)]["text"].iloc[0]


@pytest.mark.parametrize("window_unit, window", [("chars", 15), ("chars", 0), ("tokens", 3), ("tokens", 40)])
def test_contexts_are_exact_substrings(seed_corpus, window_unit, window):
    lines = wb.kwic(seed_corpus, "发展", window=window, window_unit=window_unit)
    assert len(lines) > 100
    for r in lines.itertuples():
        text = paragraph_text(seed_corpus, r.doc_id, r.paragraph)
        assert text[r.start:r.end] == r.match == "发展"
        assert text[r.start - len(r.left):r.end + len(r.right)] == r.left + r.match + r.right
        doc_text = seed_corpus.document(r.doc_id)["text"]
        assert doc_text[r.doc_start:r.doc_start + len(r.match)] == r.match
        if window_unit == "chars":
            assert len(r.left) <= window and len(r.right) <= window
    if window == 0:
        assert (lines["left"] == "").all() and (lines["right"] == "").all()


def test_every_occurrence_is_found(seed_corpus):
    lines = wb.kwic(seed_corpus, "淮海经济区")
    expected = sum(t.count("淮海经济区") for t in seed_corpus.paragraphs["text"])
    assert len(lines) == expected == 11


def test_token_window_ends_on_token_boundaries(seed_corpus):
    lines = wb.kwic(seed_corpus, "淮海经济区", window=2, window_unit="tokens")
    tokenizer = wb.get_tokenizer()
    for r in lines.itertuples():
        text = paragraph_text(seed_corpus, r.doc_id, r.paragraph)
        starts = {s for _, s, _ in tokenizer.tokenize(text)}
        assert r.start - len(r.left) in starts


def test_sorting(seed_corpus):
    left = wb.kwic(seed_corpus, "淮海经济区", sort="left")
    keys = [s[::-1] for s in left["left"]]
    assert keys == sorted(keys)
    right = wb.kwic(seed_corpus, "淮海经济区", sort="right")
    assert right["right"].tolist() == sorted(right["right"])
    position = wb.kwic(seed_corpus, "淮海经济区")
    assert position["doc_start"].is_monotonic_increasing


def test_regex_and_documents(seed_corpus):
    lines = wb.kwic(seed_corpus, r"\d+(\.\d+)?%", regex=True, doc_ids=["001_534d44b1b875ba47"])
    assert set(lines["doc_id"]) == {"001_534d44b1b875ba47"} and lines["match"].str.endswith("%").all()


@pytest.mark.parametrize("pattern, kwargs, message", [
    ("", {}, "empty"),
    ("(", {"regex": True}, "not a valid regular expression"),
    ("a*", {"regex": True}, "matches the empty string"),
    ("发展", {"sort": "middle"}, "sort must be one of"),
    ("发展", {"doc_ids": ["nope"]}, "no document 'nope'"),
])
def test_bad_queries(seed_corpus, pattern, kwargs, message):
    with pytest.raises(ValueError, match=message):
        wb.kwic(seed_corpus, pattern, **kwargs)


def test_hostile_regular_expression_is_stopped_with_a_clear_error(seed_corpus):
    """A pattern that backtracks without end gives a ValueError within its time limit, never a hang."""
    import time

    start = time.monotonic()
    with pytest.raises(ValueError, match="took more than 0.5 s"):
        wb.kwic(seed_corpus, r"(\w|[\u4e00-\u9fff])+(\w|[\u4e00-\u9fff])+(\w|[\u4e00-\u9fff])+\d{40}", regex=True,
                timeout=0.5)
    assert time.monotonic() - start < 30
    assert len(wb.kwic(seed_corpus, "(.*)*x$", regex=True)) == 0  # answered, not hung
