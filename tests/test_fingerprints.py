"""Per-document fingerprints and items read from the corpus tables' buffers (workbench.fingerprints)."""
import dataclasses

import numpy as np
import pandas as pd
import pytest

from workbench import fingerprints, segment, steps, targets
from workbench.fingerprints import ByDocument, LazyItems, document_digests


def _target_digests(corpus):
    return document_digests(*targets._by_document(corpus))


def _row(corpus, table: str, column: str) -> tuple[int, int]:
    """The first row in ``table``, after the first document, where ``column`` is not missing, and its document."""
    frame = getattr(corpus, table)
    row = int(np.flatnonzero(((frame["doc_id"] != corpus.documents["doc_id"].iloc[0])
                              & frame[column].notna()).to_numpy())[0])
    return row, corpus.documents["doc_id"].tolist().index(frame["doc_id"].iloc[row])


def _edited(corpus, table: str, column: str, value):
    """A copy of ``corpus`` with one value of ``table.column`` changed (see :func:`_row`), and its document."""
    frame = getattr(corpus, table).copy()
    row, doc = _row(corpus, table, column)
    frame.loc[frame.index[row], column] = value
    return dataclasses.replace(corpus, **{table: frame}), doc


def _changed(value):
    """Another value of the same kind: a text of the same length with its last character changed,
    a number one more, a year where it was missing."""
    if isinstance(value, str):
        return value[:-1] + chr(ord(value[-1]) ^ 1) if value else "一"
    if pd.isna(value):
        return 2020
    return int(value) + 1


EDITS = [("documents", c) for c in targets.DOCUMENT_FIELDS] + \
        [("paragraphs", c) for c in targets.PARAGRAPH_FIELDS] + \
        [("sentences", c) for c in targets.SENTENCE_FIELDS] + \
        [("sections", c) for c in targets.SECTION_FIELDS]


@pytest.mark.parametrize("table, column", EDITS)
def test_every_value_a_target_extraction_reads_is_in_its_document_key(seed_corpus, table, column):
    before = _target_digests(seed_corpus)
    old = getattr(seed_corpus, table)[column].iloc[_row(seed_corpus, table, column)[0]]
    edited, doc = _edited(seed_corpus, table, column, _changed(old))
    after = _target_digests(edited)
    assert after[doc] != before[doc]
    assert [a == b for i, (a, b) in enumerate(zip(before, after)) if i != doc] == [True] * (len(before) - 1)


@pytest.mark.parametrize("table, column", [("documents", "year"), ("documents", "date"), ("documents", "doc_type"),
                                           ("paragraphs", "orig_start"), ("sections", "parent_id"),
                                           ("sections", "title")])
def test_a_value_made_missing_changes_the_key(seed_corpus, table, column):
    before = _target_digests(seed_corpus)
    edited, doc = _edited(seed_corpus, table, column, None)
    assert _target_digests(edited)[doc] != before[doc]


def test_an_empty_text_and_a_missing_text_have_different_keys():
    frame = pd.DataFrame({"doc_id": ["a", "b"], "title": pd.array(["", None], dtype="str")})
    empty, missing = document_digests(ByDocument.each_row(frame, ["title"]))
    assert empty != missing


@pytest.mark.parametrize("texts, other", [
    (["推动发展", "建设"], ["推动", "发展建设"]),  # the same characters cut into sentences elsewhere
    (["推动发展"], ["推动发展", ""]),  # one more, empty sentence
    (["推动发展。"], ["推动发展."]),
    (["推动发展。"], ["推动发屋。"]),  # the same length in characters and bytes
])
def test_segmentation_keys_see_the_sentences_not_only_their_characters(texts, other):
    def digest(sentences):
        frame = pd.DataFrame({"doc_id": "a", "text": pd.array(sentences, dtype="str")})
        return document_digests(ByDocument.runs(frame, ["text"]))

    assert digest(texts) != digest(other)
    assert digest(texts) == digest(list(texts))


def test_segmentation_keys_follow_each_documents_sentences(seed_corpus):
    def digests(corpus):
        return document_digests(ByDocument.runs(corpus.sentences, ["text"]))

    before = digests(seed_corpus)
    for text in ("稳就业。", "稳就业"):
        edited, doc = _edited(seed_corpus, "sentences", "text", text)
        after = digests(edited)
        assert [i for i, (a, b) in enumerate(zip(before, after)) if a != b] == [doc]


def _old_rows(table, columns):
    """The rows by document as extract_targets built them before (pandas groupby), the reference."""
    values = [column.tolist() if column.dtype.kind in "iub" and isinstance(column.dtype, np.dtype)
              else column.astype(object).where(column.notna(), None).tolist() for column in (table[c] for c in columns)]
    rows = list(zip(*values))
    return {doc_id: [rows[i] for i in idx] for doc_id, idx in table.groupby("doc_id", sort=False).indices.items()}


def test_target_jobs_hold_the_rows_of_each_document_as_plain_values(seed_corpus):
    tables = targets._by_document(seed_corpus)
    paragraphs = _old_rows(seed_corpus.paragraphs, targets.PARAGRAPH_FIELDS)
    sentences = _old_rows(seed_corpus.sentences, targets.SENTENCE_FIELDS)
    sections = _old_rows(seed_corpus.sections, targets.SECTION_FIELDS)
    for i, doc_id in enumerate(seed_corpus.documents["doc_id"]):
        doc, p, s, sec = targets._job(tables, i)
        assert doc["doc_id"] == doc_id
        assert (p, s, sec) == (paragraphs[doc_id], sentences[doc_id], sections.get(doc_id, []))
        assert all(type(v) in (int, str, type(None)) for row in (*p, *s, *sec) for v in row)


def test_rows_apart_or_out_of_order_are_grouped_like_groupby():
    table = pd.DataFrame({"doc_id": ["b", "a", "b", "x", "a"], "n": [1, 2, 3, 4, 5],
                          "text": pd.array(["一", "二", None, "四", "五"], dtype="str")})
    by = ByDocument.of(table, ["n", "text"], ["a", "b", "c", "a"])
    assert [by.rows(i) for i in range(len(by))] == [[(2, "二"), (5, "五")], [(1, "一"), (3, None)], [],
                                                    [(2, "二"), (5, "五")]]
    digests = document_digests(by)
    assert digests[0] == digests[3] and len(set(digests)) == 3


def test_runs_follow_table_order():
    table = pd.DataFrame({"doc_id": ["a", "a", "b", "a"], "text": ["一", "二", "三", "四"]})
    by = ByDocument.runs(table, ["text"])
    assert [by.values(i, "text") for i in range(len(by))] == [["一", "二"], ["三"], ["四"]]


def test_a_missing_column_is_an_error_naming_it():
    with pytest.raises(ValueError, match="'txt'"):
        ByDocument.runs(pd.DataFrame({"doc_id": ["a"], "text": ["一"]}), ["txt"])


def _length(text, *, built):
    return {"t": {"n": [len(text)]}}


LENGTHS = steps.Step(name="lengths-step", compute=_length, columns={"t": {"n": "int64"}}, code=("steps",))


def test_items_are_built_only_for_the_documents_computed():
    texts = ["推动发展", "建设美丽中国", "稳增长", "保就业"]
    built = []
    items = LazyItems(len(texts), lambda i: built.append(i) or texts[i])
    first = steps.run(LENGTHS, items, fingerprints=texts, options={"built": None})
    assert built == [0, 1, 2, 3]
    built.clear()
    again = steps.run(LENGTHS, items, fingerprints=texts, options={"built": None})
    assert built == [] and again.cached == 4
    pd.testing.assert_frame_equal(again.tables["t"], first.tables["t"])
    built.clear()
    edited = [*texts[:2], "稳增长。", texts[3]]
    items = LazyItems(len(edited), lambda i: built.append(i) or edited[i])
    steps.run(LENGTHS, items, fingerprints=edited, options={"built": None})
    assert built == [2]


def test_segmentation_reads_no_sentence_when_all_is_cached(seed_corpus, monkeypatch):
    first = segment.segment_corpus(seed_corpus, progress=False)
    read = []
    values = ByDocument.values
    monkeypatch.setattr(ByDocument, "values", lambda self, group, column: read.append(group) or values(self, group,
                                                                                                       column))
    again = segment.segment_corpus(seed_corpus, progress=False)
    assert read == []
    pd.testing.assert_frame_equal(again, first)


def test_lazy_items_index_like_a_list():
    items = LazyItems(3, lambda i: i * 10)
    assert (items[0], items[-1], items[1:], list(items)) == (0, 20, [10, 20], [0, 10, 20])
    with pytest.raises(IndexError):
        items[3]


def test_the_module_is_part_of_the_steps_keys():
    assert "fingerprints" in segment.TOKENS_STEP.code and "fingerprints" in targets.TARGETS_STEP.code
    assert fingerprints.document_digests() == []


def test_digests_do_not_depend_on_how_arrow_holds_the_text():
    whole = pd.DataFrame({"doc_id": ["x", "x", "y"], "text": pd.array(["推动", "发展", "建设"], dtype="str")})
    chunked = pd.concat([whole.iloc[:2], whole.iloc[2:]], ignore_index=True)  # two Arrow chunks
    as_objects = whole.astype({"text": object})
    expected = document_digests(ByDocument.runs(whole, ["text"]))
    assert document_digests(ByDocument.runs(chunked, ["text"])) == expected
    assert document_digests(ByDocument.runs(as_objects, ["text"])) == expected
    assert document_digests(ByDocument.runs(whole.iloc[1:], ["text"]))[1] == expected[1]  # a slice's offsets


def test_digests_of_a_document_whose_rows_span_arrow_chunks(seed_corpus):
    """A document's rows in several chunks (the sentences' text is read from the paragraphs' buffer in runs)
    hash like the same rows in one chunk."""
    sentences = seed_corpus.sentences[["doc_id", "text"]]
    one = sentences.assign(text=pd.array(sentences["text"].tolist(), dtype="str"))
    pieces = pd.concat([one.iloc[:7], one.iloc[7:8], one.iloc[8:40], one.iloc[40:]], ignore_index=True)
    assert pieces["text"].array._pa_array.num_chunks == 4
    expected = document_digests(ByDocument.runs(one, ["doc_id", "text"]))
    assert len(set(expected)) == seed_corpus.documents.shape[0]
    for table in (sentences, pieces):
        assert document_digests(ByDocument.runs(table, ["doc_id", "text"])) == expected
    edited = pieces.copy()
    edited.loc[7, "text"] = edited.loc[7, "text"] + "。"
    changed = document_digests(ByDocument.runs(edited, ["doc_id", "text"]))
    assert [a != b for a, b in zip(changed, expected)] == [i == 0 for i in range(len(expected))]
