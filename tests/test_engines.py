"""The same results on every engine: one process, a spawn process pool, a Dask LocalCluster with 2 workers."""
import os

import pandas as pd
import pytest

import workbench as wb
from workbench.engines import iter_batches, map_documents

from .conftest import SEEDS


def _square(x):
    return x * x


def _results(corpus_engine, engine):
    corpus = wb.load_corpus(SEEDS, engine=corpus_engine)
    tokens = wb.segment_corpus(corpus, engine=engine, cache=False)
    return {
        "documents": corpus.documents, "paragraphs": corpus.paragraphs, "sentences": corpus.sentences,
        "tokens": tokens,
        "targets": wb.extract_targets(corpus, engine=engine),
        "tfidf": wb.tfidf_keywords(corpus, engine=engine, idf_unit="paragraph", top=None, tokens=tokens),
        "tfidf_region": wb.tfidf_keywords(corpus, engine=engine, by="region", ngram=2, top=30, tokens=tokens),
    }


@pytest.fixture(scope="module")
def local():
    return _results(None, None)


def _assert_same(got, expected):
    for name, table in expected.items():
        if name.startswith("tfidf"):
            pd.testing.assert_frame_equal(got[name], table, check_exact=False, rtol=1e-12, obj=name)
        else:
            pd.testing.assert_frame_equal(got[name], table, obj=name)


def test_map_documents_keeps_order():
    assert map_documents(_square, range(7)) == [x * x for x in range(7)]
    assert map_documents(_square, range(7), engine="processes", workers=2) == [x * x for x in range(7)]
    with pytest.raises(ValueError, match="engine must be one of"):
        map_documents(_square, [1], engine="spark")


def test_tfidf_mapreduce_equals_scikit_learn(seed_corpus, local):
    expected = wb.tfidf_keywords(seed_corpus, idf_unit="paragraph", top=None)
    pd.testing.assert_frame_equal(local["tfidf"], expected, check_exact=False, rtol=1e-12)
    one_process = wb.tfidf_keywords(seed_corpus, idf_unit="paragraph", top=None, engine="local")
    pd.testing.assert_frame_equal(one_process, expected, check_exact=False, rtol=1e-12)


def test_hashing_vocabulary_agrees_on_the_rankings(seed_corpus):
    exact = wb.tfidf_keywords(seed_corpus, top=20)
    hashed = wb.tfidf_keywords(seed_corpus, top=20, vocabulary="hashing")
    assert (exact[["doc_id", "term", "tf", "rank"]].to_numpy() == hashed[["doc_id", "term", "tf", "rank"]].to_numpy()).all()


@pytest.mark.slow
def test_process_pool_gives_identical_results(local):
    _assert_same(_results("processes", "processes"), local)


@pytest.mark.slow
def test_dask_local_cluster_gives_identical_results(local):
    distributed = pytest.importorskip("distributed", reason="the dask extra is not installed")
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None) as cluster, \
            distributed.Client(cluster) as client:
        assert len(client.scheduler_info()["workers"]) == 2
        _assert_same(_results(client, client), local)


def test_steps_inside_use_share_one_process_pool(tiny_dir, monkeypatch):
    import concurrent.futures

    started = []

    class CountingPool(concurrent.futures.ProcessPoolExecutor):
        def __init__(self, *args, **kwargs):
            started.append(kwargs.get("max_workers"))
            super().__init__(*args, **kwargs)

    monkeypatch.setattr(concurrent.futures, "ProcessPoolExecutor", CountingPool)
    local = wb.extract_targets(wb.load_corpus(tiny_dir, cache=False), cache=False)
    with wb.engines.use("processes", workers=2):
        corpus = wb.load_corpus(tiny_dir, cache=False)
        tokens = wb.segment_corpus(corpus, cache=False, backend="jieba")
        shared = wb.extract_targets(corpus, cache=False)
    assert started == [2]  # one pool for the three steps
    pd.testing.assert_frame_equal(shared, local)
    assert tokens["tokens"].map(len).sum() > 20
    wb.extract_targets(corpus, cache=False, engine="processes", workers=2)
    assert started == [2, 2]  # outside a block, a call starts (and stops) its own


class _Counted:
    """A sequence that builds each item when asked and remembers which were asked for."""

    def __init__(self, n):
        self.n, self.asked = n, []

    def __len__(self):
        return self.n

    def __getitem__(self, i):
        if not 0 <= i < self.n:
            raise IndexError(i)
        self.asked.append(i)
        return i


@pytest.mark.parametrize("engine, workers", [(None, None), ("processes", 2)])
def test_items_are_built_only_for_the_documents_computed(engine, workers):
    """The runner reads items by position and only those it computes: a lazy sequence stays lazy."""
    from workbench import steps

    step = steps.Step(name=f"lazy-test-{engine}", compute=_row_of, columns={"t": {"n": "int64"}}, code=("steps",))
    items = _Counted(40)
    first = steps.run(step, items, fingerprints=[str(i) for i in range(40)], engine=engine, workers=workers)
    assert sorted(items.asked) == list(range(40)) and first.tables["t"]["n"].tolist() == [i * i for i in range(40)]
    items = _Counted(41)
    again = steps.run(step, items, fingerprints=[str(i) for i in range(41)], engine=engine, workers=workers)
    assert items.asked == [40] and again.cached == 40  # only the new document's item was built
    assert again.tables["t"]["n"].tolist() == [i * i for i in range(41)]


def _row_of(i):
    return {"t": {"n": [i * i]}}


@pytest.mark.parametrize("n", [1, 7, 200])
def test_process_pool_keeps_order_with_few_chunks_in_flight(n):
    assert map_documents(_square, list(range(n)), engine="processes", workers=2) == [i * i for i in range(n)]


def _pid_and_batch(batch):
    return os.getpid(), batch


@pytest.mark.parametrize("engine, workers, size", [(None, None, 3), ("processes", 2, 3), ("processes", 2, 64),
                                                   ("processes", 1, 4), ("dask", 2, 5)])
def test_batches_hold_every_item_once_in_order_combined_where_computed(engine, workers, size):
    """A worker process combines its own results: what comes back is one object per batch, not per item."""
    if engine == "dask":
        pytest.importorskip("dask.bag", reason="the dask extra is not installed")
    batches = list(iter_batches(_square, range(50), combine=_pid_and_batch, size=size, engine=engine, workers=workers))
    assert [x for _, batch in batches for x in batch] == [i * i for i in range(50)]
    assert all(0 < len(batch) <= size for _, batch in batches)
    assert {pid == os.getpid() for pid, _ in batches} == {engine is None or workers == 1}


@pytest.mark.parametrize("size", [0, -2, 2.5, None])
def test_batch_size_must_be_a_positive_int(size):
    with pytest.raises(ValueError, match="size must be a positive int"):
        list(iter_batches(_square, range(3), combine=list, size=size))
