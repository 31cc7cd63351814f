import pytest

import workbench as wb
from workbench import segment

from .conftest import spy_step


def test_domain_dictionary_terms_stay_whole():
    tokens = wb.segment_text("推动长三角一体化高质量发展，加快构建新发展格局，培育专精特新企业，深化放管服改革")
    for term in ("长三角一体化", "高质量发展", "新发展格局", "专精特新", "放管服"):
        assert term in tokens


def test_user_dictionary_extends(tmp_path):
    text = "全力打造淮海智造谷"
    assert "淮海智造谷" not in wb.segment_text(text)
    user = tmp_path / "mine.txt"
    user.write_text("淮海智造谷 100 n\n", encoding="utf-8")
    assert "淮海智造谷" in wb.segment_text(text, user_dict=user)
    assert "淮海智造谷" not in wb.segment_text(text)  # no leak into the default tokenizer


def test_stopword_lists_are_separate():
    general, policy = wb.load_stopwords("general"), wb.load_stopwords("policy")
    assert {"的", "了", "和"} <= general and "推进" not in general
    assert {"推进", "加快", "坚持", "全面", "加强", "深入"} <= policy
    text = "坚持全面深化改革，推进的发展"
    assert "坚持" in wb.segment_text(text, stopwords="general")
    assert "坚持" not in wb.segment_text(text, stopwords=("general", "policy"))
    assert wb.load_stopwords(["改革"]) == frozenset({"改革"})
    with pytest.raises(ValueError, match="stopwords must be"):
        wb.load_stopwords("nonsense-list")


def test_punctuation_dropped():
    tokens = wb.segment_text("增长6.5%，“双胜利”！")
    assert "增长" in tokens and "胜利" in tokens
    assert not any(segment.is_punctuation(t) for t in tokens)
    assert "，" in wb.segment_text("增长，提高", drop_punctuation=False)


def test_segment_corpus_contract(seed_corpus):
    before = seed_corpus.sentences.copy()
    tokens = wb.segment_corpus(seed_corpus, stopwords="general")
    assert seed_corpus.sentences.equals(before)  # input unchanged
    assert tokens[["doc_id", "sentence"]].equals(before[["doc_id", "sentence"]])
    docs = wb.tokens_by(tokens, "document")
    assert docs["doc_id"].tolist() == seed_corpus.doc_ids
    assert all(len(ts) > 500 for ts in docs["tokens"])
    paras = wb.tokens_by(tokens, "paragraph")
    assert len(paras) == len(seed_corpus.paragraphs)
    with pytest.raises(ValueError, match="unit must be"):
        wb.tokens_by(tokens, "page")


def test_cache_hit_skips_segmentation(seed_corpus, monkeypatch):
    first = wb.segment_corpus(seed_corpus)

    def boom(*args, **kwargs):
        raise AssertionError("segmented again although the cache was warm")

    spy_step(monkeypatch, segment, "TOKENS_STEP", [], boom)
    second = wb.segment_corpus(seed_corpus, stopwords="general")  # stopwords apply after the cache
    assert second["tokens"].map(len).sum() < first["tokens"].map(len).sum()
    assert wb.segment_corpus(seed_corpus)["tokens"].tolist() == first["tokens"].tolist()


def test_cache_invalidated_by_dictionary_change(tiny_dir, tmp_path, monkeypatch):
    corpus = wb.load_corpus(tiny_dir)
    user = tmp_path / "dict.txt"
    user.write_text("地区生产 10 n\n", encoding="utf-8")
    wb.segment_corpus(corpus, user_dict=user)
    user.write_text("生产总值年 10 n\n", encoding="utf-8")
    calls = []
    spy_step(monkeypatch, segment, "TOKENS_STEP", calls)
    wb.segment_corpus(corpus, user_dict=user)
    assert calls, "a changed dictionary must re-segment"


def test_jieba_cache_goes_to_workbench_cache():
    from workbench.resources import cache_dir

    segment._tokenizer.cache_clear()  # tokenizers are kept per dictionary set: make a new one here
    tokenizer = wb.get_tokenizer()
    assert tokenizer.tmp_dir == str(cache_dir() / "jieba")
    assert tokenizer.cache_file.startswith("jieba-0.42") and len(tokenizer.cache_file) > 30  # version and digest


def test_a_foreign_jieba_cache_is_never_read():
    """jieba trusts its marshal cache by name: a file under jieba's plain name is not ours."""
    import marshal

    from workbench.resources import cache_dir

    segment._tokenizer.cache_clear()
    (cache_dir() / "jieba").mkdir(exist_ok=True)
    for folder in (cache_dir(), cache_dir() / "jieba"):
        (folder / "jieba.cache").write_bytes(marshal.dumps(({"城镇化": 1}, 1)))  # a poisoned copy
    assert wb.segment_text("城镇化率达到65%") == wb.segment_text("城镇化率达到65%", backend="jieba")
    assert "城镇化率" in wb.segment_text("城镇化率达到65%", backend="jieba")


@pytest.mark.parametrize("hmm", [True, False])
def test_rjieba_agrees_with_jieba_on_the_seeds(seed_corpus, hmm):
    pytest.importorskip("rjieba", reason="the fast extra (rjieba) is not installed")
    result = segment.backend_agreement(seed_corpus, hmm=hmm)
    assert result.tokens > 15_000 and result.share >= 0.999
    if hmm:  # the one documented difference: a year range
        assert result.differences.to_dict(orient="records") and set(result.differences["rjieba"]) == {"2022-2025"}
        assert set(result.differences["jieba"]) == {"2022 2025"}  # jieba: 2022, -, 2025 (the dash is punctuation)
    else:
        assert result.share == 1.0 and result.differences.empty
    # the shipped user dictionary reaches rjieba too
    assert wb.segment_text("推动长三角一体化高质量发展", backend="rjieba") == ["推动", "长三角一体化", "高质量发展"]


def test_backend_choice(monkeypatch):
    monkeypatch.setenv("WORKBENCH_SEGMENTER", "jieba")
    assert segment.resolve_backend("auto") == "jieba"
    monkeypatch.setenv("WORKBENCH_SEGMENTER", "thulac")
    with pytest.raises(ValueError, match="WORKBENCH_SEGMENTER"):
        segment.resolve_backend("auto")
    with pytest.raises(ValueError, match="backend must be one of"):
        segment.resolve_backend("pkuseg")
    monkeypatch.delenv("WORKBENCH_SEGMENTER")
    assert segment.resolve_backend("auto") == ("rjieba" if segment._has_rjieba() else "jieba")


def test_cache_is_per_backend(seed_corpus, monkeypatch, tmp_path):
    pytest.importorskip("rjieba", reason="the fast extra (rjieba) is not installed")
    monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path))
    calls = []
    spy_step(monkeypatch, segment, "TOKENS_STEP", calls, lambda item, **options: options["backend"])
    for backend in ("jieba", "rjieba", "jieba", "rjieba"):
        wb.segment_corpus(seed_corpus, backend=backend)
    assert calls == ["jieba"] * len(seed_corpus) + ["rjieba"] * len(seed_corpus)  # each backend's tokens cached apart


def test_progress_bar_when_asked(seed_corpus, capsys):
    wb.segment_corpus(seed_corpus, cache=False, progress=True)
    assert "segmenting" in capsys.readouterr().err


@pytest.mark.parametrize("backend", ["jieba", "rjieba"])
@pytest.mark.parametrize("hmm", [True, False])
def test_one_call_per_document_equals_one_call_per_sentence(seed_corpus, backend, hmm):
    if backend == "rjieba":
        pytest.importorskip("rjieba", reason="the fast extra (rjieba) is not installed")
    batched = wb.segment_corpus(seed_corpus, backend=backend, hmm=hmm, cache=False, drop_punctuation=False)["tokens"].tolist()
    one_by_one = [wb.segment_text(s, backend=backend, hmm=hmm, drop_punctuation=False)
                  for s in seed_corpus.sentences["text"]]
    assert batched == one_by_one


@pytest.mark.parametrize("cache", [False, True])
def test_threaded_rjieba_path_equals_one_document_at_a_time(seed_corpus, cache, tmp_path, monkeypatch):
    """rjieba cuts and splits documents in threads of this process, on the processes engine too; the tokens
    are those of the plain loop over the documents."""
    pytest.importorskip("rjieba", reason="the fast extra (rjieba) is not installed")
    from workbench import engines

    settings = dict(backend="rjieba", stopwords="general", cache=cache)
    one_by_one = [tokens for doc_id in seed_corpus.doc_ids for tokens in wb.segment_sentences(
        seed_corpus.sentences.loc[seed_corpus.sentences["doc_id"] == doc_id, "text"].tolist(), stopwords="general",
        backend="rjieba")]
    assert sum(map(len, one_by_one)) > 10_000
    monkeypatch.setattr(engines, "_process_pool", None)  # a pool would fail
    for engine in (None, "processes"):
        monkeypatch.setenv("WORKBENCH_CACHE_DIR", str(tmp_path / str(engine)))  # an empty cache: everything is cut
        threaded = wb.segment_corpus(seed_corpus, engine=engine, workers=2, **settings)
        assert threaded["tokens"].tolist() == one_by_one


def test_threads_keep_the_order():
    from workbench.engines import iter_documents

    assert list(iter_documents(str, range(300), threads=3)) == [str(i) for i in range(300)]


def test_tokens_are_numbered_as_they_are_cut_in_one_alphabetical_vocabulary(seed_corpus):
    """In this process each token is looked up once, by the cutting threads, into the column's ids; the
    vocabulary they fill in the order they meet tokens is then made alphabetical, so the column is the
    same run after run, every distinct token once."""
    pytest.importorskip("rjieba", reason="the fast extra (rjieba) is not installed")
    from workbench import token_column

    runs = [wb.segment_corpus(seed_corpus, backend="rjieba", engine="processes", workers=3, cache=False)["tokens"]
            for _ in range(2)]
    parts = [token_column.parts(column) for column in runs]
    vocabulary = parts[0].vocabulary.tolist()
    assert vocabulary == sorted(set(vocabulary)) == parts[1].vocabulary.tolist()
    assert (parts[0].ids == parts[1].ids).all()
    assert set(vocabulary) == {t for row in token_column.lists(runs[0]) for t in row}
